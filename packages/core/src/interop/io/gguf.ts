// GGUF (version 3, as MLX writes it through gguflib): key/value metadata, tensor infos with
// GGML's reversed dimension order, 32-byte aligned tensor data. Tensor dtypes as MLX has
// them: float32, float16, int8, int16, int32 both ways; BF16 tensors load as float16 (MLX
// converts them so); Q4_0, Q4_1 and Q8_0 tensors load as MLX's quantized triplet ('x.weight'
// as packed uint32, 'x.scales' and 'x.biases' as float16, group size 32). Metadata values:
// strings, lists of strings and 0-d / 1-d arrays.
import { MxArray } from '../../array.js';
import { Dtype, bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32 } from '../../dtype.js';
import type { StreamOrDevice } from '../../device.js';
import { bfloat16ToNumber, halfToNumber, numberToHalf } from '../../half.js';
import {
  type ByteSource,
  ByteReader,
  ByteWriter,
  FormatError,
  arrayBytes,
  arrayFromFill,
  arrayFromSource,
  checkedNbytes,
  decodeUtf8,
  describe,
  encodeUtf8,
  hasEntry,
  setEntry,
} from './bytes.js';

/** A GGUF metadata value as mx.load returns it and mx.saveGguf takes it. */
export type GgufMetadataValue = string | string[] | MxArray;
/** What mx.saveGguf also accepts: JS numbers and booleans become arrays as mx.array makes them. */
export type GgufMetadataInput = GgufMetadataValue | number | boolean | bigint | (number | boolean | bigint)[];

const MAGIC = 0x46554747; // 'GGUF' little-endian
const VERSION = 3;
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 8; // gguflib's limit

// Value types of the GGUF spec.
const T_UINT8 = 0, T_INT8 = 1, T_UINT16 = 2, T_INT16 = 3, T_UINT32 = 4, T_INT32 = 5, T_FLOAT32 = 6, T_BOOL = 7;
const T_STRING = 8, T_ARRAY = 9, T_UINT64 = 10, T_INT64 = 11, T_FLOAT64 = 12;

/** Numeric value types and the dtype MLX loads them as (float64 values become float32). */
const valueDtypes: Record<number, [Dtype, number]> = {
  [T_UINT8]: [uint8, 1],
  [T_INT8]: [int8, 1],
  [T_UINT16]: [uint16, 2],
  [T_INT16]: [int16, 2],
  [T_UINT32]: [uint32, 4],
  [T_INT32]: [int32, 4],
  [T_FLOAT32]: [float32, 4],
  [T_BOOL]: [bool, 1],
  [T_UINT64]: [uint64, 8],
  [T_INT64]: [int64, 8],
  [T_FLOAT64]: [float32, 8],
};
const metadataTypeOf = new Map<Dtype, number>([
  [float32, T_FLOAT32],
  [int64, T_INT64],
  [int32, T_INT32],
  [int16, T_INT16],
  [int8, T_INT8],
  [uint64, T_UINT64],
  [uint32, T_UINT32],
  [uint16, T_UINT16],
  [uint8, T_UINT8],
  [bool, T_BOOL],
]);

// GGML tensor types.
const G_F32 = 0, G_F16 = 1, G_Q4_0 = 2, G_Q4_1 = 3, G_Q8_0 = 8, G_I8 = 24, G_I16 = 25, G_I32 = 26, G_BF16 = 30;
const tensorTypeOf = new Map<Dtype, number>([
  [float32, G_F32],
  [float16, G_F16],
  [int8, G_I8],
  [int16, G_I16],
  [int32, G_I32],
]);
const tensorDtypes = new Map<number, Dtype>([...tensorTypeOf].map(([d, t]) => [t, d]));
const ggmlNames: Record<number, string> = {
  6: 'Q5_0', 7: 'Q5_1', 9: 'Q8_1', 10: 'Q2_K', 11: 'Q3_K', 12: 'Q4_K', 13: 'Q5_K',
  14: 'Q6_K', 15: 'Q8_K', 27: 'I64', 28: 'F64',
};

function checkMetadataArray(v: MxArray, key: string, op: string): number {
  if (v.ndim > 1) throw new Error(`[${op}] metadata['${key}']: cannot save arrays with more than one dimension.`);
  if (v.size === 0) throw new Error(`[${op}] metadata['${key}']: cannot save empty arrays.`);
  const t = metadataTypeOf.get(v.dtype);
  if (t === undefined) {
    throw new TypeError(`[${op}] metadata['${key}']: array type ${v.dtype.name} is not supported for metadata (supported: ${[...metadataTypeOf.keys()].map((d) => d.name).join(', ')}).`);
  }
  return t;
}

function toMetadataValue(v: unknown, key: string, op: string): GgufMetadataValue {
  if (typeof v === 'string' || v instanceof MxArray) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  // JS values type as everywhere else: numbers float32, bigints int32 (int64 when wide), booleans bool.
  const scalar = (x: unknown) => typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint';
  if (scalar(v) || (Array.isArray(v) && v.every(scalar))) return new MxArray(v as number[]);
  throw new TypeError(`[${op}] metadata['${key}'] must be a string, a list of strings, an mx.array, a number, a bigint or a list of them; got ${describe(v)}.`);
}

function writeString(w: ByteWriter, s: string): void {
  const b = encodeUtf8(s);
  w.u64(b.byteLength);
  w.bytes(b);
}

const pad = (n: number, align: number): number => (align - (n % align)) % align;
const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0; // n: a uint32

export function ggufChunks(arrays: readonly [string, MxArray][], metadata: unknown, op: string): Uint8Array[] {
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw new TypeError(`[${op}] metadata must be an object, got ${describe(metadata)}.`);
  }
  const meta = Object.entries((metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, toMetadataValue(v, k, op)] as const);
  const w = new ByteWriter();
  w.u32(MAGIC);
  w.u32(VERSION);
  w.u64(arrays.length);
  w.u64(meta.length);
  for (const [key, v] of meta) {
    writeString(w, key);
    if (typeof v === 'string') {
      w.u32(T_STRING);
      writeString(w, v);
    } else if (Array.isArray(v)) {
      w.u32(T_ARRAY);
      w.u32(T_STRING);
      w.u64(v.length);
      for (const s of v) writeString(w, s);
    } else {
      const t = checkMetadataArray(v, key, op);
      const { bytes } = arrayBytes(v, op);
      if (v.ndim === 1) {
        w.u32(T_ARRAY);
        w.u32(t);
        w.u64(v.size);
      } else w.u32(t);
      w.bytes(bytes);
    }
  }
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    const type = tensorTypeOf.get(a.dtype);
    if (type === undefined) {
      throw new TypeError(`[${op}] array '${name}' has dtype ${a.dtype.name}, which GGUF in MLX can't hold (supported: ${[...tensorTypeOf.keys()].map((d) => d.name).join(', ')}).`);
    }
    const { bytes } = arrayBytes(a, op);
    const gap = pad(offset, DEFAULT_ALIGNMENT);
    if (gap) data.push(new Uint8Array(gap));
    offset += gap;
    writeString(w, name);
    w.u32(a.ndim);
    for (let i = a.ndim - 1; i >= 0; i--) w.u64(a._shape[i]!);
    w.u32(type);
    w.u64(offset);
    data.push(bytes);
    offset += bytes.byteLength;
  }
  w.bytes(new Uint8Array(pad(w.length, DEFAULT_ALIGNMENT)));
  return [w.result(), ...data];
}

/** Reads a whole GGUF file: arrays and metadata. The header is read into memory piecewise. */
export function readGguf(src: ByteSource, s: StreamOrDevice): [Record<string, MxArray>, Record<string, GgufMetadataValue>] {
  const label = src.label;
  // Header reads go through a growing window: never more than the file holds.
  let window = new ByteReader(src.bytes(0, Math.min(src.size, 1 << 16)), label);
  const r = {
    ensure(n: number, what: string): ByteReader {
      if (window.pos + n > window.data.byteLength && window.data.byteLength < src.size) {
        const pos = window.pos;
        const want = Math.min(src.size, Math.max(window.data.byteLength * 2, pos + n));
        window = new ByteReader(src.bytes(0, want), label);
        window.pos = pos;
      }
      window.need(n, what);
      return window;
    },
  };
  const u32 = (what: string): number => r.ensure(4, what).u32(what);
  const u64 = (what: string): number => r.ensure(8, what).u64(what);
  const str = (what: string): string => {
    const n = u64(`the length of ${what}`);
    return decodeUtf8(r.ensure(n, what).bytes(n, what), label, what);
  };
  if (src.size < 4 || u32('the magic') !== MAGIC) throw new FormatError(`${label}: not a GGUF file (bad magic).`);
  const version = u32('the version');
  if (version !== 2 && version !== 3) throw new FormatError(`${label}: unsupported GGUF version ${version} (2 and 3 are supported).`);
  const nTensors = u64('the tensor count');
  const nKv = u64('the metadata count');
  // Every entry takes at least 8 bytes: counts beyond the file size are lies.
  if (nTensors > src.size / 8 || nKv > src.size / 8) throw new FormatError(`${label}: claims ${nTensors} tensors and ${nKv} metadata entries, more than the file can hold.`);

  const metadata: Record<string, GgufMetadataValue> = {};
  const numeric = (t: number, count: number | null, what: string): MxArray => {
    const [dtype, width] = valueDtypes[t]!;
    const n = count ?? 1;
    const raw = r.ensure(n * width, what).bytes(n * width, what);
    const shape = count === null ? [] : [n];
    return arrayFromFill(shape, dtype, s, (dest) => {
      if (t === T_FLOAT64) {
        const f64 = new Float64Array(raw.slice().buffer);
        new Float32Array(dest.buffer, dest.byteOffset, n).set(f64);
      } else dest.set(raw);
    });
  };
  for (let k = 0; k < nKv; k++) {
    const key = str(`metadata key ${k}`);
    const t = u32(`the type of metadata '${key}'`);
    if (t === T_STRING) setEntry(metadata, key, str(`metadata '${key}'`));
    else if (t in valueDtypes) setEntry(metadata, key, numeric(t, null, `metadata '${key}'`));
    else if (t === T_ARRAY) {
      const et = u32(`the element type of metadata '${key}'`);
      const n = u64(`the length of metadata '${key}'`);
      if (n > src.size) throw new FormatError(`${label}: metadata '${key}' claims ${n} elements, more than the file holds.`);
      if (et === T_STRING) {
        const list: string[] = [];
        for (let i = 0; i < n; i++) list.push(str(`metadata '${key}'[${i}]`));
        setEntry(metadata, key, list);
      } else if (et in valueDtypes) setEntry(metadata, key, numeric(et, n, `metadata '${key}'`));
      else if (et === T_ARRAY) throw new FormatError(`${label}: metadata '${key}' nests arrays; only one level of arrays is supported (as in MLX).`);
      else throw new FormatError(`${label}: metadata '${key}' has unknown element type ${et}.`);
    } else throw new FormatError(`${label}: metadata '${key}' has unknown value type ${t}.`);
  }

  const infos: { name: string; shape: number[]; type: number; offset: number }[] = [];
  for (let k = 0; k < nTensors; k++) {
    const name = str(`tensor name ${k}`);
    const ndim = u32(`the rank of tensor '${name}'`);
    if (ndim > MAX_DIMS) throw new FormatError(`${label}: tensor '${name}' has ${ndim} dimensions; at most ${MAX_DIMS} are supported.`);
    const dims: number[] = [];
    for (let i = 0; i < ndim; i++) dims.push(u64(`a dimension of tensor '${name}'`));
    const type = u32(`the type of tensor '${name}'`);
    const offset = u64(`the offset of tensor '${name}'`);
    infos.push({ name, shape: dims.reverse(), type, offset });
  }
  let alignment = DEFAULT_ALIGNMENT;
  const al = metadata['general.alignment'];
  if (al instanceof MxArray && al.ndim === 0 && al.dtype === uint32) {
    alignment = Number(al.item());
    // As the spec, ggml and gguf-py require (MLX pads to any value: garbage offsets).
    if (!isPowerOfTwo(alignment)) throw new FormatError(`${label}: general.alignment is ${alignment}, not a power of two.`);
  }
  const dataStart = window.pos + pad(window.pos, alignment);

  const arrays: Record<string, MxArray> = {};
  for (const { name, shape, type, offset } of infos) {
    if (hasEntry(arrays, name)) throw new FormatError(`${label}: duplicate tensor name '${name}'.`);
    const dtype = tensorDtypes.get(type);
    const start = dataStart + offset;
    const what = `tensor '${name}'`;
    if (start > src.size) throw new FormatError(`${label}: ${what} has a data offset past the end of the file (incomplete download or corrupt file?).`);
    if (dtype) {
      checkedNbytes(shape, dtype.size, src.size - start, label, what);
      setEntry(arrays, name, arrayFromSource(src, start, shape, dtype, s));
    } else if (type === G_BF16) {
      const nbytes = checkedNbytes(shape, 2, src.size - start, label, what);
      let raw = src.bytes(start, nbytes);
      if (raw.byteOffset % 2) raw = raw.slice(); // Uint16Array needs an even offset
      const bits = new Uint16Array(raw.buffer, raw.byteOffset, nbytes / 2);
      setEntry(arrays, name, arrayFromFill(shape, float16, s, (dest) => {
        const out = new Uint16Array(dest.buffer, dest.byteOffset, bits.length);
        for (let i = 0; i < bits.length; i++) out[i] = numberToHalf(bfloat16ToNumber(bits[i]!));
      }));
    } else if (type === G_Q4_0 || type === G_Q4_1 || type === G_Q8_0) {
      loadQuantized(src, start, name, shape, type, arrays, s);
    } else {
      const tname = ggmlNames[type] ?? `type ${type}`;
      throw new FormatError(`${label}: ${what} has GGML type ${tname}, which mlx-ts does not load (supported: F32, F16, BF16, I8, I16, I32, Q4_0, Q4_1, Q8_0).`);
    }
  }
  return [arrays, metadata];
}

/**
 * A Q4_0 / Q4_1 / Q8_0 tensor as MLX loads it (gguf_quants.cpp): blocks of 32 weights become
 * `name` (packed uint32, 4 or 8 bits each), `prefix.scales` and `prefix.biases` (float16),
 * where prefix is the name without its last 7 characters ('.weight').
 */
function loadQuantized(
  src: ByteSource,
  start: number,
  name: string,
  shape: number[],
  type: number,
  arrays: Record<string, MxArray>,
  s: StreamOrDevice,
): void {
  const label = src.label;
  const last = shape.length ? shape[shape.length - 1]! : 1;
  if (last % 32 !== 0) throw new FormatError(`${label}: tensor '${name}' has incompatible last dim shape: ${last} (a multiple of 32 is needed).`);
  const blockBytes = type === G_Q4_0 ? 18 : type === G_Q4_1 ? 20 : 34;
  const elements = checkedNbytes(shape, 1, Number.MAX_SAFE_INTEGER, label, `tensor '${name}'`);
  const blocks = elements / 32;
  if (blocks * blockBytes > src.size - start) {
    throw new FormatError(`${label}: tensor '${name}' needs ${blocks * blockBytes} bytes but only ${src.size - start} remain in the input (truncated or corrupt file?).`);
  }
  const raw = src.bytes(start, blocks * blockBytes);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bits = type === G_Q8_0 ? 8 : 4;
  const prefix = name.length >= 7 ? name.slice(0, name.length - 7) : name;
  const groupShape = [...shape.slice(0, -1), last / 32];
  const scales = new Uint16Array(blocks);
  const biases = new Uint16Array(blocks);
  const weights = arrayFromFill([...shape.slice(0, -1), (last * bits) / 32], uint32, s, (dest) => {
    for (let i = 0; i < blocks; i++) {
      const b = i * blockBytes;
      const scale = dv.getUint16(b, true);
      scales[i] = scale;
      const out = dest.subarray(i * 4 * bits, (i + 1) * 4 * bits);
      if (type === G_Q8_0) {
        biases[i] = numberToHalf(-128 * halfToNumber(scale));
        // int8 weights shifted to uint8 (x + 128): flip the top bit
        for (let j = 0; j < 32; j++) out[j] = raw[b + 2 + j]! ^ 0x80;
        continue;
      }
      biases[i] = type === G_Q4_0 ? numberToHalf(-8 * halfToNumber(scale)) : dv.getUint16(b + 2, true);
      // GGML keeps weights j and j+16 in one byte; MLX packs consecutive weights.
      const qs = b + (type === G_Q4_0 ? 2 : 4);
      for (let k = 0; k < 8; k++) {
        const lo = raw[qs + 2 * k]!;
        const hi = raw[qs + 2 * k + 1]!;
        out[k] = (lo & 0x0f) | ((hi & 0x0f) << 4);
        out[8 + k] = (lo >> 4) | (hi & 0xf0);
      }
    }
  });
  setEntry(arrays, name, weights);
  for (const [suffix, data] of [['.scales', scales], ['.biases', biases]] as const) {
    const key = prefix + suffix;
    if (hasEntry(arrays, key)) throw new FormatError(`${label}: duplicate parameter name '${key}' (this can happen when loading quantized tensors).`);
    setEntry(arrays, key, arrayFromFill(groupShape, float16, s, (dest) => dest.set(new Uint8Array(data.buffer))));
  }
}
