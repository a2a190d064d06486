// Hugging Face safetensors: u64 header length, a JSON header (dtype, shape, data_offsets per
// tensor, optional string-to-string __metadata__), then the tensor bytes. dtypes as MLX has
// them: no F64 (MLX refuses it both ways); F8_E4M3 / F8_E8M0 load as uint8, as in MLX.
// Stricter than MLX where the reference reader is: the tensors must tile the data exactly
// and no key may repeat (both can make MLX return another tensor's bytes).
import type { MxArray } from '../../array.js';
import { Dtype, bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, bfloat16, complex64 } from '../../dtype.js';
import type { StreamOrDevice } from '../../device.js';
import { type ByteSource, ByteWriter, FormatError, arrayBytes, arrayFromSource, checkedNbytes, decodeUtf8, describe, encodeUtf8, setEntry } from './bytes.js';

const toName = new Map<Dtype, string>([
  [bool, 'BOOL'],
  [uint8, 'U8'],
  [uint16, 'U16'],
  [uint32, 'U32'],
  [uint64, 'U64'],
  [int8, 'I8'],
  [int16, 'I16'],
  [int32, 'I32'],
  [int64, 'I64'],
  [float16, 'F16'],
  [float32, 'F32'],
  [bfloat16, 'BF16'],
  [complex64, 'C64'], // not in the spec yet; MLX's name
]);
const fromName = new Map<string, Dtype>([...[...toName].map(([d, n]) => [n, d] as [string, Dtype]), ['F8_E4M3', uint8], ['F8_E8M0', uint8]]);

// The limit of the Rust safetensors library and MLX.
const MAX_HEADER = 100_000_000;

/** Checks a metadata argument: an object of string values. */
export function checkStringMetadata(metadata: unknown, op: string): [string, string][] {
  if (metadata === undefined || metadata === null) return [];
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`[${op}] metadata must be an object of strings, got ${describe(metadata)}.`);
  }
  const entries = Object.entries(metadata as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new TypeError(`[${op}] metadata['${k}'] must be a string, got ${describe(v)}.`);
  }
  return entries as [string, string][];
}

export function safetensorsChunks(arrays: readonly [string, MxArray][], metadata: readonly [string, string][], op: string): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (metadata.length) header.__metadata__ = Object.fromEntries(metadata);
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    if (name === '__metadata__') throw new Error(`[${op}] '__metadata__' is reserved and can't name an array.`);
    const dtype = toName.get(a.dtype);
    if (!dtype) throw new TypeError(`[${op}] array '${name}' has dtype ${a.dtype.name}, which safetensors in MLX can't hold (supported: ${[...toName.keys()].map((d) => d.name).join(', ')}).`);
    const { bytes } = arrayBytes(a, op);
    setEntry(header, name, { dtype, shape: a.shape, data_offsets: [offset, offset + bytes.byteLength] });
    data.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad with spaces (allowed by the spec) so the data starts 8-byte aligned.
  json += ' '.repeat((8 - ((encodeUtf8(json).byteLength + 8) % 8)) % 8);
  const text = encodeUtf8(json);
  const w = new ByteWriter();
  w.u64(text.byteLength);
  w.bytes(text);
  return [w.result(), ...data];
}

export function readSafetensors(src: ByteSource, s: StreamOrDevice): [Record<string, MxArray>, Record<string, string>] {
  const label = src.label;
  if (src.size < 8) throw new FormatError(`${label}: too short to be a safetensors file (${src.size} bytes).`);
  const lenBytes = src.bytes(0, 8);
  const len = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true);
  if (len === 0n || len >= BigInt(MAX_HEADER)) throw new FormatError(`${label}: invalid JSON header length ${len} (not a safetensors file?).`);
  const headerLen = Number(len);
  if (8 + headerLen > src.size) {
    throw new FormatError(`${label}: the JSON header is ${headerLen} bytes long but the file is only ${src.size} bytes (incomplete download or corrupt file?).`);
  }
  const text = decodeUtf8(src.bytes(8, headerLen), label, 'the JSON header');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${label}: the JSON header is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new FormatError(`${label}: the JSON header must be an object.`);
  const repeated = repeatedKey(text);
  if (repeated) {
    const { tensor, key } = repeated;
    if (tensor !== undefined) throw new FormatError(`${label}: tensor '${tensor}' has '${key}' twice in the JSON header.`);
    if (key === '__metadata__') throw new FormatError(`${label}: the JSON header holds __metadata__ twice.`);
    throw new FormatError(`${label}: the JSON header names tensor '${key}' twice.`);
  }
  const dataStart = 8 + headerLen;
  const metadata: Record<string, string> = {};
  const tensors: { name: string; dtype: Dtype; shape: number[]; begin: number; end: number }[] = [];
  const bad = (name: string, what: string): never => {
    throw new FormatError(`${label}: tensor '${name}' ${what}.`);
  };
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null) continue;
      if (typeof info !== 'object' || Array.isArray(info)) throw new FormatError(`${label}: __metadata__ must be an object of strings.`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new FormatError(`${label}: __metadata__['${k}'] must be a string, got ${JSON.stringify(v)}.`);
        setEntry(metadata, k, v);
      }
      continue;
    }
    if (typeof info !== 'object' || info === null) bad(name, 'has no {dtype, shape, data_offsets} entry');
    const { dtype: dname, shape, data_offsets: offs } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof dname === 'string' ? fromName.get(dname) : undefined;
    if (!dtype) bad(name, `has unsupported dtype ${JSON.stringify(dname)} (supported: ${[...fromName.keys()].join(', ')})`);
    if (!Array.isArray(shape)) bad(name, `has shape ${JSON.stringify(shape)}; expected a list of integers`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      bad(name, `has data_offsets ${JSON.stringify(offs)}; expected [begin, end] of non-negative integers`);
    }
    const [begin, end] = offs as [number, number];
    if (dataStart + end > src.size) bad(name, `has data_offsets (${begin}, ${end}) past the end of the file (incomplete download or corrupt file?)`);
    const nbytes = checkedNbytes(shape as unknown[], dtype!.size, src.size - dataStart, label, `tensor '${name}'`);
    if (end < begin || end - begin !== nbytes) bad(name, `has data_offsets (${begin}, ${end}); expecting ${nbytes} bytes`);
    tensors.push({ name, dtype: dtype!, shape: shape as number[], begin, end });
  }
  checkTiling(tensors, src.size - dataStart, label);
  const arrays: Record<string, MxArray> = {};
  for (const { name, dtype, shape, begin } of tensors) setEntry(arrays, name, arrayFromSource(src, dataStart + begin, shape, dtype, s));
  return [arrays, metadata];
}

/**
 * The rule of the reference reader (safetensors' Metadata::validate): sorted by data_offsets,
 * the tensors cover the data section exactly, from 0 to its end, with no overlap (where MLX
 * would hand back another tensor's bytes) and no gap. Header order is free.
 */
function checkTiling(tensors: readonly { name: string; begin: number; end: number }[], dataLength: number, label: string): void {
  const byOffset = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: (typeof tensors)[number] | undefined;
  const gap = (from: number, to: number): never => {
    throw new FormatError(`${label}: bytes [${from}, ${to}) of the data belong to no tensor (safetensors data has no gaps; corrupt file?).`);
  };
  for (const t of byOffset) {
    if (t.begin < covered) {
      throw new FormatError(`${label}: tensor '${t.name}' has data_offsets (${t.begin}, ${t.end}), which overlap tensor '${previous!.name}' (${previous!.begin}, ${previous!.end}).`);
    }
    if (t.begin > covered) gap(covered, t.begin);
    covered = t.end;
    previous = t;
  }
  if (covered < dataLength) gap(covered, dataLength);
}

const isJsonSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/**
 * The first key that the header object ({ key }) or a tensor's entry ({ tensor, key }) holds
 * twice: JSON.parse silently keeps the last. Keys in __metadata__ may repeat (the reference
 * reader keeps the last too). `json` has been parsed already, so it is well formed.
 */
function repeatedKey(json: string): { tensor?: string; key: string } | undefined {
  const open: Set<string>[] = []; // the keys of each enclosing object or array
  let member = ''; // the top-level key whose value is being read
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{' || c === '[') open.push(new Set());
    else if (c === '}' || c === ']') open.pop();
    else if (c === '"') {
      const from = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      const depth = open.length;
      if (depth > 2 || (depth === 2 && member === '__metadata__')) continue;
      let next = i + 1;
      while (isJsonSpace(json[next])) next++;
      if (json[next] !== ':') continue; // a value, not a key
      const key = JSON.parse(json.slice(from, i + 1)) as string;
      const seen = open[depth - 1]!;
      if (seen.has(key)) return depth === 1 ? { key } : { tensor: member, key };
      seen.add(key);
      if (depth === 1) member = key;
    }
  }
  return undefined;
}
