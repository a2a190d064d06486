// Shared by the file-format tests: arrays of every dtype with arbitrary bit patterns, their
// raw row-major bytes, and which dtypes each format holds (as MLX 0.32.4 has it).
import { deflateRawSync } from 'node:zlib';
import * as mx from '@mlx-ts/core';
import { crc32 } from '../../packages/core/src/interop/io/zip.js';

export const allDtypes: mx.Dtype[] = [
  mx.bool, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64,
  mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64,
];

/** dtypes each format holds in MLX (checked against MLX in io-python.test.ts). */
export const formatDtypes: Record<'npy' | 'npz' | 'safetensors' | 'gguf', mx.Dtype[]> = {
  npy: allDtypes,
  npz: allDtypes,
  safetensors: allDtypes.filter((d) => d !== mx.float64),
  gguf: [mx.float32, mx.float16, mx.int8, mx.int16, mx.int32],
};

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * An array of `shape` whose elements are arbitrary bit patterns (NaNs, infinities and
 * subnormals included for floats); bools are 0/1.
 */
export function patternArray(dtype: mx.Dtype, shape: number[], seed: number): mx.MxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const bytes = pseudoRandomBytes(n * dtype.size, seed);
  if (dtype === mx.bool) for (let i = 0; i < bytes.length; i++) bytes[i]! &= 1;
  const u8 = mx.array(bytes, mx.uint8);
  const typed = dtype === mx.uint8 ? u8 : mx.view(u8, dtype);
  const out = mx.reshape(typed, shape);
  mx.eval(out);
  return out;
}

/** Raw row-major bytes of an array, read element by element from its storage (no kernel copy). */
export function rawBytes(a: mx.MxArray): Uint8Array {
  mx.eval(a);
  const { storage, strides, offset } = a._data!;
  const host = storage.backend.hostBytes!(storage);
  const w = a.itemsize;
  const shape = a.shape;
  const out = new Uint8Array(a.nbytes);
  let pos = 0;
  const walk = (dim: number, elem: number): void => {
    if (dim === shape.length) {
      out.set(host.subarray(elem * w, elem * w + w), pos);
      pos += w;
      return;
    }
    for (let i = 0; i < shape[dim]!; i++) walk(dim + 1, elem + i * strides[dim]!);
  };
  if (a.size > 0) walk(0, offset);
  return out;
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

// ---- hand-made files: the broken and odd inputs the loaders must judge as the reference
// readers (NumPy's zipfile, safetensors, gguf) do ----

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface ZipEntrySpec {
  name: string;
  /** 0: stored, 8: deflated. */
  method: 0 | 8;
  /** The entry's bytes as they lie in the archive (deflated ones: a raw deflate stream). */
  payload: Uint8Array;
  /** What the directory records: the plain size and its CRC-32. */
  size: number;
  crc: number;
}

/** A ZIP archive of one entry, its local header and central directory saying the same. */
export function zipArchive({ name, method, payload, size, crc }: ZipEntrySpec): Uint8Array {
  const nb = ascii(name);
  const out = new Uint8Array(30 + nb.length + payload.length + 46 + nb.length + 22);
  const dv = new DataView(out.buffer);
  const fields = (at: number): void => {
    dv.setUint16(at, method, true);
    dv.setUint32(at + 6, crc, true);
    dv.setUint32(at + 10, payload.length, true);
    dv.setUint32(at + 14, size, true);
    dv.setUint16(at + 18, nb.length, true);
  };
  dv.setUint32(0, 0x04034b50, true);
  fields(8);
  out.set(nb, 30);
  out.set(payload, 30 + nb.length);
  const c = 30 + nb.length + payload.length;
  dv.setUint32(c, 0x02014b50, true);
  fields(c + 10);
  out.set(nb, c + 46);
  const e = c + 46 + nb.length;
  dv.setUint32(e, 0x06054b50, true);
  dv.setUint16(e + 8, 1, true);
  dv.setUint16(e + 10, 1, true);
  dv.setUint32(e + 12, 46 + nb.length, true);
  dv.setUint32(e + 16, c, true);
  return out;
}

/** A one-entry archive of `data`, stored or deflated, with its true size and CRC-32. */
export function zipOf(name: string, data: Uint8Array, method: 0 | 8 = 0): Uint8Array {
  const payload = method === 0 ? data : new Uint8Array(deflateRawSync(data));
  return zipArchive({ name, method, payload, size: data.length, crc: crc32(data) });
}

/** A safetensors file: the JSON header as given (no padding), then the data bytes. */
export function safetensorsFile(json: string, data: Uint8Array | number[] = []): Uint8Array {
  const header = ascii(json);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** A GGUF file of one float32 tensor 'a' = [0, 1, 2, 3] whose general.alignment is `alignment` (uint32). */
export function ggufWithAlignment(alignment: number): Uint8Array {
  // mx.saveGguf pads the data to 32 bytes; an alignment of 32 describes it truly.
  return mx.saveToBytes('gguf', { a: mx.arange(4, mx.float32) }, { 'general.alignment': mx.array(alignment, mx.uint32) });
}

export interface CraftedFile {
  id: string;
  format: mx.LoadFormat;
  bytes: Uint8Array;
  /** mlx-ts's verdict: the FormatError it raises, or null where the file loads. */
  refusal: RegExp | null;
  /** The format's reference reader: 'refuses' or 'loads' (checked in io-python.test.ts). */
  reference: 'refuses' | 'loads';
  /** Where the file loads: arrays (as tolist()) it holds. */
  holds?: Record<string, unknown>;
}

/** The flipped last byte of the entry that ends where the central directory starts. */
function flipLastEntryByte(npz: Uint8Array): Uint8Array {
  const out = npz.slice();
  const centralDirectory = Buffer.from(out).lastIndexOf('PK\x01\x02', undefined, 'latin1');
  out[centralDirectory - 1]! ^= 0x80;
  return out;
}

/** Files that MLX 0.32.4 loads wrongly or that test an edge of a rule; each judged as the reference readers judge it. */
export function craftedFiles(): CraftedFile[] {
  const f32 = mx.arange(6, mx.float32);
  const npy = mx.saveToBytes('npy', f32);
  const flippedNpy = npy.slice();
  flippedNpy[npy.length - 1]! ^= 0x80; // 5 becomes -5
  const u8 = (json: string, data: number[]): Uint8Array => safetensorsFile(json, data);
  const t = (name: string, begin: number, end: number, dtype = 'U8'): string =>
    `"${name}":{"dtype":"${dtype}","shape":[${(end - begin) / (dtype === 'U8' ? 1 : 4)}],"data_offsets":[${begin},${end}]}`;
  return [
    // .npz: every entry's CRC-32 is checked, stored or deflated (NumPy's zipfile checks it too)
    { id: 'npz: a stored entry with its last data byte flipped', format: 'npz', bytes: flipLastEntryByte(mx.saveToBytes('npz', { a: f32 })),
      refusal: /entry 'a\.npy'.*CRC-32/, reference: 'refuses' },
    { id: 'npz: a stored Fortran-order entry with its last data byte flipped', format: 'npz',
      bytes: flipLastEntryByte(mx.saveToBytes('npz', { t: mx.transpose(mx.reshape(f32, [2, 3])) })), refusal: /entry 't\.npy'.*CRC-32/, reference: 'refuses' },
    { id: 'npz: a deflated entry whose bytes differ from its CRC-32', format: 'npz',
      bytes: zipArchive({ name: 'a.npy', method: 8, payload: new Uint8Array(deflateRawSync(flippedNpy)), size: npy.length, crc: crc32(npy) }),
      refusal: /entry 'a\.npy'.*CRC-32/, reference: 'refuses' },
    { id: 'npz: a stored entry with a true CRC-32', format: 'npz', bytes: zipOf('a.npy', npy), refusal: null, reference: 'loads', holds: { a: [0, 1, 2, 3, 4, 5] } },
    // safetensors: sorted by offsets, the tensors must tile the data exactly (safetensors' validate)
    { id: 'safetensors: overlapping data_offsets', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)},${t('b', 1, 3)}}`, [1, 2, 3]),
      refusal: /tensor 'b' has data_offsets \(1, 3\), which overlap tensor 'a' \(0, 2\)/, reference: 'refuses' },
    { id: 'safetensors: two tensors on the same bytes', format: 'safetensors', bytes: u8(`{${t('a', 0, 4, 'F32')},${t('b', 0, 4, 'I32')}}`, [0, 0, 128, 63]),
      refusal: /tensor '[ab]' has data_offsets \(0, 4\), which overlap tensor '[ab]' \(0, 4\)/, reference: 'refuses' },
    { id: 'safetensors: an empty tensor inside another', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)},${t('e', 1, 1)}}`, [1, 2]),
      refusal: /tensor 'e' has data_offsets \(1, 1\), which overlap tensor 'a' \(0, 2\)/, reference: 'refuses' },
    { id: 'safetensors: a gap between tensors', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)},${t('b', 3, 5)}}`, [1, 2, 3, 4, 5]),
      refusal: /bytes \[2, 3\) of the data belong to no tensor/, reference: 'refuses' },
    { id: 'safetensors: data that does not start at offset 0', format: 'safetensors', bytes: u8(`{${t('a', 1, 3)}}`, [1, 2, 3]),
      refusal: /bytes \[0, 1\) of the data belong to no tensor/, reference: 'refuses' },
    { id: 'safetensors: bytes after the last tensor', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)}}`, [1, 2, 3]),
      refusal: /bytes \[2, 3\) of the data belong to no tensor/, reference: 'refuses' },
    { id: 'safetensors: header order differs from data order', format: 'safetensors', bytes: u8(`{${t('b', 2, 4)},${t('a', 0, 2)}}`, [1, 2, 3, 4]),
      refusal: null, reference: 'loads', holds: { a: [1, 2], b: [3, 4] } },
    { id: 'safetensors: empty tensors at the ends of the data', format: 'safetensors', bytes: u8(`{${t('e', 0, 0)},${t('a', 0, 2)},${t('z', 2, 2)}}`, [1, 2]),
      refusal: null, reference: 'loads', holds: { e: [], a: [1, 2], z: [] } },
    // duplicate keys: JSON.parse keeps the last; the reference keeps the last tensor of a name
    // (then its offsets check catches a dropped tensor's bytes) and refuses repeated fields
    { id: 'safetensors: a tensor name twice, on different bytes', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)},${t('a', 2, 4)}}`, [1, 2, 3, 4]),
      refusal: /the JSON header names tensor 'a' twice/, reference: 'refuses' },
    // stricter than the reference here: which of the two is meant can't be known
    { id: 'safetensors: a tensor name twice, on the same bytes', format: 'safetensors', bytes: u8(`{${t('a', 0, 2)},${t('a', 0, 2)}}`, [1, 2]),
      refusal: /the JSON header names tensor 'a' twice/, reference: 'loads' },
    { id: 'safetensors: a field twice in one tensor', format: 'safetensors', bytes: u8(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"dtype":"I8"}}`, [1, 2]),
      refusal: /tensor 'a' has 'dtype' twice/, reference: 'refuses' },
    { id: 'safetensors: __metadata__ twice', format: 'safetensors', bytes: u8(`{"__metadata__":{"k":"v"},"__metadata__":{"k":"w"},${t('a', 0, 2)}}`, [1, 2]),
      refusal: /the JSON header holds __metadata__ twice/, reference: 'refuses' },
    { id: 'safetensors: a metadata key twice (the last counts)', format: 'safetensors', bytes: u8(`{"__metadata__":{"k":"v","k":"w"},${t('a', 0, 2)}}`, [1, 2]),
      refusal: null, reference: 'loads', holds: { a: [1, 2] } },
    // gguf: the alignment must be a power of two (gguf's GGUFReader and ggml refuse others)
    { id: 'gguf: general.alignment 24', format: 'gguf', bytes: ggufWithAlignment(24), refusal: /general\.alignment is 24, not a power of two/, reference: 'refuses' },
    { id: 'gguf: general.alignment 0', format: 'gguf', bytes: ggufWithAlignment(0), refusal: /general\.alignment is 0, not a power of two/, reference: 'refuses' },
    { id: 'gguf: general.alignment 32', format: 'gguf', bytes: ggufWithAlignment(32), refusal: null, reference: 'loads', holds: { a: [0, 1, 2, 3] } },
  ];
}
