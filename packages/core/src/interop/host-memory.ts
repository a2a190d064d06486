// Host memory in and out of arrays: the layout of an evaluated array's bytes, pinned views
// over them, and arrays over (or copied from) memory owned by someone else. Every
// TypedArray-, DLPack- and adapter-level function goes through here.
import { MxArray, evalArrays, type TypedArray } from '../array.js';
import type { Storage } from '../backend/interface.js';
import { backendFor, toStream, type StreamOrDevice } from '../device.js';
import { Dtype, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64 } from '../dtype.js';
import { shapeSize, shapeToString, isRowContiguous, stridedOffsets } from '../shape.js';
import { BufferError } from './buffer-error.js';
import { pin, watch, unwatch } from './exported-memory.js';
import { heapOwning } from '../backend/wasm/heap.js';

export type TypedArrayCtor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** The runtime's Float16Array (Node 24+, recent browsers), if any. */
export function float16ArrayCtor(): TypedArrayCtor | undefined {
  return (globalThis as { Float16Array?: TypedArrayCtor }).Float16Array;
}

/** The TypedArray that holds a dtype's values, or a clear error for dtypes JS has none for. */
export function typedArrayCtorFor(dtype: Dtype, op: string): TypedArrayCtor {
  if (dtype === bfloat16) {
    throw new TypeError(
      `[${op}] bfloat16 has no JS TypedArray. Convert first with a.astype(mx.float32), or read the raw bits with mx.view(a, mx.uint16).`,
    );
  }
  if (dtype === complex64) {
    throw new TypeError(
      `[${op}] complex64 has no JS TypedArray. Use mx.real(a) and mx.imag(a), or the interleaved (re, im) float32 pairs of mx.view(a, mx.float32).`,
    );
  }
  if (dtype === float16) {
    const F16 = float16ArrayCtor();
    if (!F16) {
      throw new TypeError(
        `[${op}] float16 needs Float16Array, which this runtime lacks. Convert first with a.astype(mx.float32), or read the raw bits with mx.view(a, mx.uint16).`,
      );
    }
    return F16;
  }
  return dtype.storage as TypedArrayCtor; // bool -> Uint8Array, int64 -> BigInt64Array, ...
}

/** The dtype whose bytes a TypedArray holds as they are (Float64Array -> float64). */
export function storedDtypeOf(t: ArrayBufferView, op: string, argName: string): Dtype {
  const pairs: [TypedArrayCtor | undefined, Dtype][] = [
    [Float32Array as TypedArrayCtor, float32], [Float64Array as TypedArrayCtor, float64], [float16ArrayCtor(), float16],
    [Int8Array as TypedArrayCtor, int8], [Int16Array as TypedArrayCtor, int16], [Int32Array as TypedArrayCtor, int32],
    [BigInt64Array as TypedArrayCtor, int64], [Uint8Array as TypedArrayCtor, uint8], [Uint8ClampedArray as TypedArrayCtor, uint8],
    [Uint16Array as TypedArrayCtor, uint16], [Uint32Array as TypedArrayCtor, uint32], [BigUint64Array as TypedArrayCtor, uint64],
  ];
  for (const [C, d] of pairs) if (C && t instanceof C) return d;
  throw new TypeError(`[${op}] argument '${argName}' must be a TypedArray, got ${t.constructor?.name ?? typeof t}.`);
}

/** Whether a TypedArray holds exactly a dtype's stored elements (float16: Uint16Array bits or Float16Array). */
export function holdsStorageOf(data: unknown, dtype: Dtype): data is TypedArray {
  const F16 = float16ArrayCtor();
  return data instanceof dtype.storage || (dtype === float16 && !!F16 && data instanceof F16);
}

export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function isFixedBuffer(x: unknown): x is ArrayBufferLike {
  return x instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && x instanceof SharedArrayBuffer);
}

// ---- out of arrays ----

/** The evaluated layout of an array in host memory (throws for GPU-only storage). */
export function hostLayout(a: MxArray, op: string): { storage: Storage; bytes: Uint8Array; offset: number; strides: number[] } {
  a._check();
  evalArrays([a]);
  const { storage, offset, strides } = a._data!;
  const bytes = storage.backend.syncReadable ? storage.backend.hostBytes?.(storage) : undefined;
  if (!bytes) {
    throw new BufferError(
      `[${op}] arrays on the '${storage.backend.name}' backend have no host memory to share; move the array to mx.cpu first.`,
    );
  }
  return { storage, bytes, offset, strides };
}

/** Why a strided layout is not one flat run of memory, or null when it is. */
export function whyNotContiguous(shape: readonly number[], strides: readonly number[]): string | null {
  if (isRowContiguous(shape, strides)) return null;
  const axis = shape.findIndex((d, i) => d > 1 && strides[i] === 0);
  if (axis >= 0) return `it is broadcast (stride 0 along axis ${axis} of shape ${shapeToString(shape)})`;
  return `its elements are not contiguous in row-major order (shape ${shapeToString(shape)}, strides [${strides.join(', ')}])`;
}

/**
 * Why views over this storage's host memory must not be handed out (a plain WASM memory's
 * buffer detaches when it grows), or null when they may.
 */
export function whyNoViews(storage: Storage): string | null {
  return storage.backend.whyNoHostViews?.() ?? null;
}

/** The BufferError for a view or capsule that the memory can't safely give (see whyNoViews). */
export function noViewsError(op: string, why: string): BufferError {
  return new BufferError(
    `[${op}] cannot share this array's memory: ${why}. Pass copy: true (or leave copy undefined) for a copy, ` +
      `or use a runtime with SharedArrayBuffer (or mx.setCpuBackend('reference')) for zero-copy views.`,
  );
}

/**
 * A TypedArray over `length` elements of storage starting at element `start`, pinned: the
 * storage outlives every array that owns it for as long as the view is reachable.
 */
export function pinnedView(storage: Storage, bytes: Uint8Array, Ctor: TypedArrayCtor, start: number, length: number): TypedArray {
  const unsafe = whyNoViews(storage);
  if (unsafe) throw new Error(`internal: a view of memory that must not be viewed (${unsafe})`);
  const view = new Ctor(bytes.buffer, bytes.byteOffset + start * Ctor.BYTES_PER_ELEMENT, length);
  pin(view, storage);
  return view;
}

/** Unsigned integer views by element size: copying through them keeps every bit (NaN payloads too). */
const bitsViews: Record<number, TypedArrayCtor> = {
  1: Uint8Array as TypedArrayCtor, 2: Uint16Array as TypedArrayCtor, 4: Uint32Array as TypedArrayCtor, 8: BigUint64Array as TypedArrayCtor,
};

/** Storage with no host memory that can still be read synchronously (the WebGPU backend in Node): copies only. */
function copyOnly(a: MxArray): boolean {
  const b = a._data?.storage.backend;
  return !!b && !b.hostBytes && b.syncReadable && !!b.readSync;
}

/** A fresh row-major copy of an array's elements in a TypedArray of `Ctor` (by default the unsigned integers of the element size). */
export function copyElements(a: MxArray, Ctor: TypedArrayCtor | undefined, op: string): TypedArray {
  a._check();
  evalArrays([a]);
  const { bytes, offset, strides } = copyOnly(a)
    ? { ...a._data!, bytes: a._data!.storage.backend.readSync!(a._data!.storage, 0, a._data!.storage.byteLength) }
    : hostLayout(a, op);
  const n = shapeSize(a._shape);
  Ctor ??= bitsViews[a._dtype.size]!;
  const size = Ctor.BYTES_PER_ELEMENT;
  const Bits = bitsViews[size]!;
  const out = new Bits(n);
  const src = new Bits(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / size));
  if (isRowContiguous(a._shape, strides)) {
    (out as Uint8Array).set((src as Uint8Array).subarray(offset, offset + n));
  } else {
    const offsets = stridedOffsets(a._shape, strides, offset);
    for (let i = 0; i < n; i++) (out as Uint8Array)[i] = (src as Uint8Array)[offsets[i]!]!;
  }
  return new Ctor(out.buffer);
}

/**
 * The elements of an array as a TypedArray of `Ctor`: a pinned view of its memory when
 * `copy` is false (BufferError if it is not one flat run), a fresh row-major copy when true,
 * whichever is possible when undefined (a view if contiguous).
 */
export function exportElements(a: MxArray, Ctor: TypedArrayCtor, copy: boolean | undefined, op: string, hint: string): TypedArray {
  if (copy === true) return copyElements(a, Ctor, op);
  a._check();
  evalArrays([a]);
  if (copy === undefined && copyOnly(a)) return copyElements(a, Ctor, op);
  const { storage, bytes, offset, strides } = hostLayout(a, op);
  const unsafe = whyNoViews(storage);
  if (unsafe) {
    if (copy === false) throw noViewsError(op, unsafe);
    return copyElements(a, Ctor, op);
  }
  const why = whyNotContiguous(a._shape, strides);
  if (!why) return pinnedView(storage, bytes, Ctor, offset, shapeSize(a._shape));
  if (copy === false) throw new BufferError(`[${op}] cannot share this array's memory: ${why}. ${hint}`);
  return copyElements(a, Ctor, op);
}

// ---- into arrays ----

/** Someone else's memory, as DLPack describes it: element [0, ..., 0] at `byteOffset`. */
export interface HostRegion {
  buffer: unknown;
  byteOffset: number;
  dtype: Dtype;
  shape: readonly number[];
  /** In elements; may be negative or zero (broadcast). */
  strides: readonly number[];
}

export interface ImportOptions {
  /** true: always copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
  /** Read-only memory is never shared (an exported view could write it). */
  readOnly?: boolean;
  /** Runs once mlx-ts no longer needs the memory (at once after a copy). */
  onRelease?: () => void;
  device?: StreamOrDevice;
  op: string;
}

/** An array over (copy undefined/false) or copied from (copy true, or sharing impossible) a region. */
export function importRegion(region: HostRegion, options: ImportOptions): MxArray {
  const { dtype, shape, strides, buffer, byteOffset } = region;
  const { op } = options;
  if (!isFixedBuffer(buffer)) {
    throw new TypeError(`[${op}] the data must be an ArrayBuffer or SharedArrayBuffer, got ${describe(buffer)}.`);
  }
  checkLayout(shape, strides, op);
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new RangeError(`[${op}] byteOffset must be a non-negative integer, got ${String(byteOffset)}.`);
  }
  const size = dtype.size;
  const n = shapeSize(shape);
  let lo = 0;
  let hi = 0;
  shape.forEach((d, i) => {
    if (d === 0) return;
    const reach = strides[i]! * (d - 1);
    if (reach > 0) hi += reach;
    else lo += reach;
  });
  const startByte = byteOffset + lo * size;
  const endByte = byteOffset + (hi + 1) * size;
  if (n > 0 && (startByte < 0 || endByte > buffer.byteLength)) {
    throw new RangeError(
      `[${op}] shape ${shapeToString(shape)} with strides [${strides.join(', ')}] at byte offset ${byteOffset} reaches bytes ${startByte}..${endByte} outside its buffer of ${buffer.byteLength} bytes.`,
    );
  }
  const backend = backendFor(toStream(options.device).device);
  // A WASM backend's linear memory can back arrays of another backend only under a DLPack
  // deleter's promise (onRelease) and only when shared: the WASM heap reuses freed blocks, and
  // a plain memory's ArrayBuffer detaches when it grows. (Its own backend adopts it by address.)
  const wasmHeap = heapOwning(buffer);
  const foreignWasm =
    !wasmHeap || backend === wasmHeap.owner ? null
    : !wasmHeap.shared ? `it is the '${wasmHeap.ownerName}' backend's non-shared WebAssembly memory, whose ArrayBuffer detaches when the memory grows`
    : !options.onRelease ? `it is the '${wasmHeap.ownerName}' backend's WebAssembly memory, whose blocks that backend reuses once its arrays and views are gone; an array of the '${backend.name}' backend could outlive the block`
    : null;
  const whyNot =
    options.readOnly ? 'the memory is marked read-only'
    : !backend.adopt ? `the '${backend.name}' backend cannot use external memory`
    : foreignWasm ? foreignWasm
    : startByte % size !== 0 ? `the data is not aligned to its ${size}-byte elements`
    : null;
  let refused: string | null = null;
  if (options.copy !== true && n > 0 && whyNot === null) {
    const alignedStart = startByte - (startByte % 8);
    const region = new Uint8Array(buffer, alignedStart, endByte - alignedStart);
    let adopted: Storage | null = null;
    adopted = backend.adopt!(region, () => {
      unwatch(adopted!);
      options.onRelease?.();
    });
    if (adopted) {
      watch(adopted);
      return MxArray._fromStorage([...shape], dtype, adopted, [...strides], (byteOffset - alignedStart) / size);
    }
    refused = backend.whyNotAdopted?.(region) ?? null;
  }
  if (options.copy === false && n > 0) {
    const reason = whyNot ?? refused ?? `the '${backend.name}' backend cannot use this memory (it must be a fixed-length buffer, 8-byte aligned)`;
    throw new BufferError(`[${op}] cannot share this memory: ${reason}. Pass copy: true (or leave copy undefined) to copy it.`);
  }
  const storage = backend.allocate(n * size);
  const src = new Uint8Array(buffer);
  if (isRowContiguous(shape, strides)) {
    backend.write(storage, 0, src.subarray(byteOffset, byteOffset + n * size));
  } else {
    const gathered = new Uint8Array(n * size);
    const offsets = stridedOffsets(shape, strides, 0);
    for (let i = 0; i < n; i++) {
      const from = byteOffset + offsets[i]! * size;
      for (let b = 0; b < size; b++) gathered[i * size + b] = src[from + b]!;
    }
    backend.write(storage, 0, gathered);
  }
  options.onRelease?.();
  return MxArray._fromStorage([...shape], dtype, storage);
}

function checkLayout(shape: readonly number[], strides: readonly number[], op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(`[${op}] shape must be a list of non-negative integers, got ${describe(shape)}.`);
  }
  if (!Array.isArray(strides) || strides.length !== shape.length || strides.some((s) => !Number.isSafeInteger(s))) {
    throw new TypeError(`[${op}] strides must be a list of ${shape.length} integers (in elements), got ${describe(strides)}.`);
  }
}

/** The `copy` option of every function here: true, false, or undefined (null counts as undefined). */
export function checkCopyOption(copy: unknown, op: string): boolean | undefined {
  if (copy !== undefined && copy !== null && typeof copy !== 'boolean') {
    throw new TypeError(`[${op}] copy must be true, false or undefined, got ${describe(copy)}.`);
  }
  return copy ?? undefined;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(String).join(', ')}]`;
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

