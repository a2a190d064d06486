// What every format shares: where bytes come from (a file or a Uint8Array, read with bounds
// checks so a broken file gives a clear error and never a huge allocation), where they go, and
// the two crossings between bytes and arrays (each copies the element bytes exactly once).
import { MxArray, evalArrays } from '../../array.js';
import type { Dtype } from '../../dtype.js';
import { backendFor, toStream, type StreamOrDevice } from '../../device.js';
import { shapeSize, isRowContiguous, rowMajorStrides } from '../../shape.js';
import { copy } from '../../ops/views.js';
import { nodeFs, type FsLike } from './fs.js';

/** A thrown error always says which call and which input failed. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** Random-access bytes: a file opened for reading, or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  /** Names the input in error messages. */
  readonly label: string;
  /** Bytes [offset, offset + length): a view for memory, a fresh copy for a file. */
  bytes(offset: number, length: number): Uint8Array;
  /** Copies bytes [offset, offset + dest.length) into `dest` (straight from the file: no buffer in between). */
  readInto(offset: number, dest: Uint8Array): void;
}

function checkRange(src: ByteSource, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
    throw new FormatError(
      `${src.label}: ${what} needs bytes [${offset}, ${offset + length}) but the input has only ${src.size} bytes (truncated or corrupt file?).`,
    );
  }
}

export function memorySource(data: Uint8Array, label: string): ByteSource {
  return {
    size: data.byteLength,
    label,
    bytes(offset, length) {
      checkRange(this, offset, length, 'reading');
      return data.subarray(offset, offset + length);
    },
    readInto(offset, dest) {
      checkRange(this, offset, dest.byteLength, 'reading');
      dest.set(data.subarray(offset, offset + dest.byteLength));
    },
  };
}

/** Opens a file and runs `use` on it; the descriptor is closed whatever happens. */
export function withFileSource<T>(path: string, op: string, use: (src: ByteSource) => T): T {
  const fs = nodeFs(op);
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw new Error(`[${op}] Failed to open ${path}: ${(e as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const src: ByteSource = {
      size,
      label: `[${op}] ${path}`,
      bytes(offset, length) {
        checkRange(this, offset, length, 'reading');
        const out = new Uint8Array(length);
        this.readInto(offset, out);
        return out;
      },
      readInto(offset, dest) {
        checkRange(this, offset, dest.byteLength, 'reading');
        let done = 0;
        while (done < dest.byteLength) {
          const n = fs.readSync(fd, dest, done, dest.byteLength - done, offset + done);
          if (n <= 0) throw new FormatError(`${this.label}: the file ended while reading (it changed while being read?).`);
          done += n;
        }
      },
    };
    return use(src);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes chunks in order to a file (no concatenation: large arrays are written from their storage). */
export function writeFileChunks(path: string, op: string, chunks: readonly Uint8Array[]): void {
  const fs: FsLike = nodeFs(op);
  let fd: number;
  try {
    fd = fs.openSync(path, 'w');
  } catch (e) {
    throw new Error(`[${op}] Failed to open ${path} for writing: ${(e as Error).message}`);
  }
  try {
    for (const c of chunks) {
      let done = 0;
      while (done < c.byteLength) done += fs.writeSync(fd, c, done, c.byteLength - done);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

/** Little-endian writer for headers (grows as needed). */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    const next = new Uint8Array(Math.max(this.buf.byteLength * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.length++, v);
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.byteLength);
    this.buf.set(b, this.length);
    this.length += b.byteLength;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Little-endian reader over a header held in memory; every read is bounds-checked. */
export class ByteReader {
  pos = 0;
  private readonly view: DataView;
  constructor(
    readonly data: Uint8Array,
    readonly label: string,
    /** Where data[0] sits in the whole input, for error messages. */
    readonly base = 0,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.data.byteLength) {
      throw new FormatError(
        `${this.label}: ${what} at byte ${this.base + this.pos} needs ${n} bytes but the input ends after ${this.base + this.data.byteLength} (truncated or corrupt file?).`,
      );
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A u64 that must fit in a JS number exactly (sizes, counts, offsets). */
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`${this.label}: ${what} is ${v}, far beyond any real input (corrupt file?).`);
    return Number(v);
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export function decodeUtf8(b: Uint8Array, label: string, what: string): string {
  try {
    return utf8Decoder.decode(b);
  } catch {
    throw new FormatError(`${label}: ${what} is not valid UTF-8.`);
  }
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/**
 * Element count of `shape` after checking that every dimension is a non-negative integer and
 * that the data (`itemsize` bytes each) fits in `available` bytes: a file can't make us
 * allocate more than it holds.
 */
export function checkedNbytes(shape: readonly unknown[], itemsize: number, available: number, label: string, what: string): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0 || d > 2 ** 31 - 1) {
      throw new FormatError(`${label}: ${what} has an invalid shape [${shape.join(', ')}]; expected non-negative integer dimensions below 2^31.`);
    }
    n *= d;
  }
  const nbytes = n * itemsize;
  if (nbytes > available) {
    throw new FormatError(
      `${label}: ${what} of shape [${shape.join(', ')}] needs ${nbytes} bytes but only ${available} remain in the input (truncated or corrupt file?).`,
    );
  }
  return nbytes;
}

/** Reverses the bytes of each `width`-byte unit in place (big-endian data to native little-endian). */
export function swapBytes(b: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i + width <= b.byteLength; i += width) {
    for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
      const t = b[lo]!;
      b[lo] = b[hi]!;
      b[hi] = t;
    }
  }
}

/**
 * A new evaluated array of `shape`/`dtype` whose bytes `fill` writes into the given buffer
 * (its storage itself on host backends, so file bytes land in place with no copy between).
 */
export function arrayFromFill(shape: number[], dtype: Dtype, s: StreamOrDevice, fill: (dest: Uint8Array) => void): MxArray {
  const nbytes = shapeSize(shape) * dtype.size;
  const backend = backendFor(toStream(s).device);
  const storage = backend.allocate(nbytes);
  try {
    if (backend.hostBytes) {
      fill(backend.hostBytes(storage).subarray(0, nbytes));
    } else {
      const tmp = new Uint8Array(nbytes);
      fill(tmp);
      backend.write(storage, 0, tmp);
    }
  } catch (e) {
    storage.released = true;
    backend.release(storage);
    throw e;
  }
  return MxArray._fromStorage(shape, dtype, storage);
}

/** An array from `nbytes` bytes of `src` at `offset`; big-endian data is swapped per `swapWidth`. */
export function arrayFromSource(
  src: ByteSource,
  offset: number,
  shape: number[],
  dtype: Dtype,
  s: StreamOrDevice,
  swapWidth = 0,
): MxArray {
  return arrayFromFill(shape, dtype, s, (dest) => {
    src.readInto(offset, dest);
    if (swapWidth > 1) swapBytes(dest, swapWidth);
  });
}

/**
 * Copies the elements of a strided layout (strides and offset in elements, any sign) into
 * `dest` in row-major order, `width` bytes each: a byte move, so every bit pattern (NaN
 * payloads included) is kept.
 */
export function gatherBytes(src: Uint8Array, shape: readonly number[], strides: readonly number[], offset: number, width: number, dest: Uint8Array): void {
  const n = shape.length;
  const count = shapeSize(shape);
  if (count === 0) return;
  if (n === 0) {
    dest.set(src.subarray(offset * width, offset * width + width));
    return;
  }
  const last = shape[n - 1]!;
  const step = strides[n - 1]! * width;
  const idx = new Array<number>(n).fill(0);
  let base = offset * width; // byte offset of idx with idx[n-1] = 0
  for (let out = 0; out < count * width; ) {
    for (let j = 0, from = base; j < last; j++, from += step, out += width) {
      for (let b = 0; b < width; b++) dest[out + b] = src[from + b]!;
    }
    for (let d = n - 2; d >= 0; d--) {
      base += strides[d]! * width;
      if (++idx[d]! < shape[d]!) break;
      base -= strides[d]! * width * shape[d]!;
      idx[d] = 0;
    }
    if (n === 1) break;
  }
}

/** True when the layout is column-major contiguous (size-1 dims ignored), as MLX's col_contiguous flag. */
export function isColContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  if (shapeSize(shape) === 0) return true;
  let acc = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= shape[i]!;
  }
  return true;
}

export interface ArrayBytes {
  bytes: Uint8Array;
  /** The bytes are in column-major order (only when `allowColMajor` and the array is laid out so). */
  colMajor: boolean;
}

/**
 * The logical contents of an array as bytes: evaluates it and returns a view of its storage
 * when that is contiguous, else of a row-major copy. With `allowColMajor` a column-major
 * array is returned as it lies (MLX's contiguous(a, allow_col_major=true) in mx.save).
 */
export function arrayBytes(a: MxArray, op: string, allowColMajor = false): ArrayBytes {
  if (!(a instanceof MxArray)) throw new TypeError(`[${op}] expected an mx.array, got ${describe(a)}.`);
  a._check();
  evalArrays([a]);
  const { storage, offset, strides } = a._data!;
  const shape = a._shape;
  const width = a._dtype.size;
  const nbytes = a.nbytes;
  const backend = storage.backend;
  const row = isRowContiguous(shape, strides);
  const colMajor = allowColMajor && isColContiguous(shape, strides);
  if (backend.hostBytes) {
    const host = backend.hostBytes(storage);
    if (row || colMajor) return { bytes: host.subarray(offset * width, offset * width + nbytes), colMajor };
    // Strided, broadcast or reversed: gather bytes (a kernel copy could canonicalize NaNs).
    const out = new Uint8Array(nbytes);
    gatherBytes(host, shape, strides, offset, width, out);
    return { bytes: out, colMajor: allowColMajor && isColContiguous(shape, rowMajorStrides(shape)) };
  }
  let src = a;
  if (!row && !colMajor) {
    src = copy(a);
    evalArrays([src]);
  }
  const d = src._data!;
  if (!d.storage.backend.readSync) {
    throw new Error(`[${op}] arrays on the '${backend.name}' backend can't be read synchronously; move them to mx.cpu before saving.`);
  }
  const bytes = d.storage.backend.readSync(d.storage, d.offset * width, nbytes);
  return { bytes, colMajor: allowColMajor && isColContiguous(src._shape, d.strides) };
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v}'`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * Sets an own property of a result object; names come from files, so '__proto__' or
 * 'constructor' must be plain keys, never the prototype.
 */
export function setEntry<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export const hasEntry = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** Checks a Record<string, MxArray> argument. */
export function checkArrayMap(arrays: unknown, op: string, argName = 'arrays'): [string, MxArray][] {
  if (typeof arrays !== 'object' || arrays === null || Array.isArray(arrays) || arrays instanceof MxArray) {
    throw new TypeError(`[${op}] ${argName} must be an object mapping names to mx arrays, got ${describe(arrays)}.`);
  }
  const entries = Object.entries(arrays as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (!(v instanceof MxArray)) throw new TypeError(`[${op}] ${argName}['${k}'] must be an mx.array, got ${describe(v)}.`);
  }
  return entries as [string, MxArray][];
}
