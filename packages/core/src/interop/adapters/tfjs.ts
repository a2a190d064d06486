// TF.js tensors <-> arrays. TF.js has float32, int32, bool and complex64 tensors. Its CPU
// backend keeps the TypedArray it is given and returns it from dataSync(), so float32, int32
// and bool share memory both ways there; other backends (WebGL, WebGPU) upload and download,
// which copies. Other dtypes convert (a copy) when no value can change, else throw. The `tf`
// module is passed in: mlx-ts never imports TF.js.
import { MxArray } from '../../array.js';
import { Dtype, bool, uint8, uint16, int8, int16, int32, float16, float32, bfloat16, complex64 } from '../../dtype.js';
import { rowMajorStrides } from '../../shape.js';
import type { StreamOrDevice } from '../../device.js';
import { astype, view } from '../../ops/views.js';
import { real, imag } from '../../ops/elementwise.js';
import { BufferError } from '../buffer-error.js';
import { exportElements, importRegion, holdsStorageOf, describe, type TypedArrayCtor, checkCopyOption } from '../host-memory.js';

/** What mlx-ts uses of a tf.Tensor. */
export interface TfjsTensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  dataSync(): unknown;
  data(): Promise<unknown>;
}

/** What mlx-ts uses of the TF.js module (@tensorflow/tfjs or tfjs-core with a backend). */
export interface TfjsModuleLike<T> {
  tensor(values: never, shape: number[], dtype: never): T;
  complex(real: NoInfer<T>, imag: NoInfer<T>): NoInfer<T>;
}

export interface TfjsConversionOptions {
  /** true: copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
}

const sameInTfjs: [string, Dtype][] = [['float32', float32], ['int32', int32], ['bool', bool]];
// Conversions that keep every value.
const widenedInTfjs = new Map<Dtype, Dtype>([
  [float16, float32], [bfloat16, float32], [int8, int32], [int16, int32], [uint8, int32], [uint16, int32],
]);

/**
 * A tf.Tensor of the array. float32, int32 and bool arrays hand their memory to TF.js when
 * contiguous (kept as is by its CPU backend); float16/bfloat16 become float32 and 8/16-bit
 * integers int32 (copies); complex64 goes through tf.complex; float64, int64, uint32 and
 * uint64 throw (TF.js can't hold them exactly).
 */
export function toTfjs<T>(a: MxArray, tf: TfjsModuleLike<T>, options: TfjsConversionOptions = {}): T {
  const op = 'toTfjs';
  const copy = checkCopyOption(options?.copy, op);
  if (typeof tf?.tensor !== 'function') throw new TypeError(`[${op}] argument 'tf' must be the TF.js module, got ${describe(tf)}.`);
  const dtype = a._check()._dtype;
  const shape = [...a._shape];
  const tensorOf = (x: MxArray, name: string, c: boolean | undefined): T =>
    tf.tensor(exportElements(x, x._dtype.storage as TypedArrayCtor, c, op, 'Pass copy: true (or leave it undefined) for a copy.') as never, shape, name as never);
  const same = sameInTfjs.find(([, d]) => d === dtype);
  if (same) return tensorOf(a, same[0], copy);
  if (copy === false) throw new BufferError(`[${op}] TF.js has no ${dtype.name} tensors, so the data must be converted (a copy), but copy is false.`);
  const widened = widenedInTfjs.get(dtype);
  if (widened) return tensorOf(astype(a, widened), widened.name, undefined);
  if (dtype === complex64) return tf.complex(tensorOf(real(a), 'float32', undefined), tensorOf(imag(a), 'float32', undefined));
  throw new TypeError(
    `[${op}] TF.js has no ${dtype.name} tensors and float32/int32 can't hold every ${dtype.name} value; convert first, e.g. a.astype(mx.float32) or a.astype(mx.int32).`,
  );
}

function fromTfjsData(t: TfjsTensorLike, data: unknown, copy: boolean | undefined, device: StreamOrDevice, op: string): MxArray {
  const shape = [...t.shape];
  const strides = rowMajorStrides(shape);
  if (t.dtype === 'complex64') {
    // TF.js keeps real and imaginary parts apart; the interleaved data it returns is its own copy.
    if (copy === false) throw new BufferError(`[${op}] TF.js stores complex64 as separate real and imaginary tensors; there is no memory to share.`);
    const pairs = importRegion({ buffer: (data as Float32Array).buffer, byteOffset: (data as Float32Array).byteOffset, dtype: float32, shape: [shape.reduce((x, y) => x * y, 1) * 2], strides: [1] }, { copy, op, device });
    return view(pairs, complex64).reshape(shape);
  }
  const dtype = sameInTfjs.find(([name]) => name === t.dtype)?.[1];
  if (!dtype) throw new TypeError(`[${op}] TF.js dtype '${t.dtype}' has no mlx dtype.`);
  if (!holdsStorageOf(data, dtype)) {
    throw new TypeError(`[${op}] a '${t.dtype}' tensor's data must be a ${dtype.storage.name}, got ${describe(data)}.`);
  }
  return importRegion({ buffer: data.buffer, byteOffset: data.byteOffset, dtype, shape, strides }, { copy, op, device });
}

function checkTensor(t: TfjsTensorLike, op: string): void {
  if (typeof t !== 'object' || t === null || typeof t.dataSync !== 'function' || !Array.isArray(t.shape)) {
    throw new TypeError(`[${op}] argument 't' must be a tf.Tensor, got ${describe(t)}.`);
  }
}

/**
 * An array of a tf.Tensor (dataSync). On TF.js's CPU backend float32, int32 and bool tensors
 * share memory with the array unless `copy` is true; elsewhere the downloaded data is adopted.
 */
export function fromTfjs(t: TfjsTensorLike, options: TfjsConversionOptions & { device?: StreamOrDevice } = {}): MxArray {
  const op = 'fromTfjs';
  const copy = checkCopyOption(options?.copy, op);
  checkTensor(t, op);
  return fromTfjsData(t, t.dataSync(), copy, options?.device, op);
}

/** fromTfjs for backends that read asynchronously (WebGL, WebGPU): awaits t.data(). */
export async function fromTfjsAsync(t: TfjsTensorLike, options: TfjsConversionOptions & { device?: StreamOrDevice } = {}): Promise<MxArray> {
  const op = 'fromTfjsAsync';
  const copy = checkCopyOption(options?.copy, op);
  checkTensor(t, op);
  return fromTfjsData(t, await t.data(), copy, options?.device, op);
}
