// onnxruntime-common Tensors <-> arrays. An ort.Tensor wraps its TypedArray by reference, so
// both directions share memory when the layout allows (contiguous, same element type).
// The `ort` module is passed in: mlx-ts never imports onnxruntime.
import { MxArray } from '../../array.js';
import {
  Dtype, bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64,
} from '../../dtype.js';
import { rowMajorStrides } from '../../shape.js';
import type { StreamOrDevice } from '../../device.js';
import { exportElements, importRegion, holdsStorageOf, describe, type TypedArrayCtor, checkCopyOption } from '../host-memory.js';

/** What mlx-ts uses of an ort.Tensor. */
export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly location?: string;
}

/** What mlx-ts uses of the onnxruntime module (onnxruntime-common, -web or -node). */
export interface OrtModuleLike<T> {
  Tensor: new (type: never, data: never, dims: readonly number[]) => T;
}

// ORT's element types whose TypedArray holds mlx's storage as is (float16 as Uint16Array bits).
const ortTypes: [string, Dtype][] = [
  ['bool', bool], ['uint8', uint8], ['uint16', uint16], ['uint32', uint32], ['uint64', uint64],
  ['int8', int8], ['int16', int16], ['int32', int32], ['int64', int64],
  ['float16', float16], ['float32', float32], ['float64', float64],
];

export interface OrtConversionOptions {
  /** true: copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
}

/**
 * An ort.Tensor of the array: it wraps the array's memory when the array is contiguous (writes
 * alias both ways; the memory stays alive while the tensor's data is reachable), else a copy.
 * bfloat16 and complex64 have no ORT tensor type.
 */
export function toOrtTensor<T>(a: MxArray, ort: OrtModuleLike<T>, options: OrtConversionOptions = {}): T {
  const op = 'toOrtTensor';
  const copy = checkCopyOption(options?.copy, op);
  if (typeof ort?.Tensor !== 'function') throw new TypeError(`[${op}] argument 'ort' must be the onnxruntime module (with Tensor), got ${describe(ort)}.`);
  const dtype = a._check()._dtype;
  const entry = ortTypes.find(([, d]) => d === dtype);
  if (!entry) {
    throw new TypeError(
      `[${op}] ORT tensors have no ${dtype.name} type; convert first, e.g. a.astype(mx.float32)${dtype.name === 'bfloat16' ? ' or mx.view(a, mx.uint16)' : ''}.`,
    );
  }
  const data = exportElements(a, dtype.storage as TypedArrayCtor, copy, op, 'Pass copy: true (or leave it undefined) for a copy.');
  return new ort.Tensor(entry[0] as never, data as never, [...a._shape]);
}

/**
 * An array of an ort.Tensor on the CPU, over the tensor's own TypedArray unless `copy` is true
 * (writes alias both ways). Tensors on a GPU need `await tensor.getData()` first.
 */
export function fromOrtTensor(t: OrtTensorLike, options: OrtConversionOptions & { device?: StreamOrDevice } = {}): MxArray {
  const op = 'fromOrtTensor';
  const copy = checkCopyOption(options?.copy, op);
  if (typeof t !== 'object' || t === null || typeof t.type !== 'string' || !Array.isArray(t.dims)) {
    throw new TypeError(`[${op}] argument 't' must be an ort.Tensor (with type, data and dims), got ${describe(t)}.`);
  }
  if (t.location !== undefined && t.location !== 'cpu' && t.location !== 'cpu-pinned') {
    throw new TypeError(`[${op}] the tensor's data is on '${t.location}'; download it first: new ort.Tensor(t.type, await t.getData(), t.dims).`);
  }
  const dtype = ortTypes.find(([name]) => name === t.type)?.[1];
  if (!dtype) throw new TypeError(`[${op}] ORT type '${t.type}' has no mlx dtype.`);
  const data = t.data;
  if (!holdsStorageOf(data, dtype)) {
    throw new TypeError(`[${op}] a '${t.type}' tensor must hold a ${dtype.storage.name}, got ${describe(data)}.`);
  }
  const shape = [...t.dims];
  return importRegion(
    { buffer: data.buffer, byteOffset: data.byteOffset, dtype, shape, strides: rowMajorStrides(shape) },
    { copy, op, device: options?.device },
  );
}
