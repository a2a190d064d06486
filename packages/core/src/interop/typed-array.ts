// TypedArrays out of arrays (copies and zero-copy views) and mx.asarray (share when possible).
import { MxArray, type TypedArray } from '../array.js';
import { dtypeOfTypedArray } from '../convert.js';
import { Dtype } from '../dtype.js';
import { astype } from '../ops/views.js';
import { BufferError } from './buffer-error.js';
import { typedArrayCtorFor, storedDtypeOf, isTypedArray, exportElements, importRegion, checkCopyOption, describe } from './host-memory.js';
import { fromDlpack, isDlpackProducer } from './dlpack.js';

export interface ToTypedArrayOptions {
  /** true or undefined: a fresh copy; false: a view over the array's own memory (or BufferError). */
  copy?: boolean;
}

/**
 * The elements in row-major order as the dtype's TypedArray (bool -> Uint8Array, int64 ->
 * BigInt64Array, float16 -> Float16Array where the runtime has one). Evaluates the array.
 * With `copy: false` the result is a view of the array's memory: writes alias both ways, and
 * the memory stays alive while the view is reachable. Only flat, contiguous arrays (or
 * contiguous slices) can be viewed; others throw BufferError.
 */
export function toTypedArray(a: MxArray, options: ToTypedArrayOptions = {}): TypedArray {
  const op = 'toTypedArray';
  const copy = checkCopyOption(options?.copy, op);
  const Ctor = typedArrayCtorFor(a._check()._dtype, op);
  return exportElements(
    a, Ctor, copy ?? true, op,
    'A TypedArray is flat and contiguous; use a.toTypedArray() for a copy, or a.__dlpack__() / mx.toNdarray() for a strided zero-copy export.',
  );
}

export interface AsArrayOptions {
  dtype?: Dtype;
  /** true: always copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
}

/**
 * An array from `x`, sharing its memory when possible (NumPy's asarray): an mx array is
 * returned as is; a TypedArray backs the array directly when its element type is the dtype
 * asked for (inferred as mx.array does, so Float64Array means float32 unless dtype is
 * mx.float64); a DLPack producer is imported with mx.fromDlpack. JS lists always copy.
 */
export function asarray(x: unknown, options: AsArrayOptions = {}): MxArray {
  const op = 'asarray';
  const copy = checkCopyOption(options?.copy, op);
  const dtype = options?.dtype;
  if (dtype !== undefined && !(dtype instanceof Dtype)) {
    throw new TypeError(`[${op}] dtype must be an mx Dtype (e.g. mx.float32), got ${describe(dtype)}.`);
  }
  const convert = (a: MxArray, how: string): MxArray => {
    if (dtype === undefined || dtype === a._dtype) return a;
    if (copy === false) {
      throw new BufferError(`[${op}] ${how} holds ${a._dtype.name}; converting to ${dtype.name} needs a copy, but copy is false.`);
    }
    return astype(a, dtype);
  };
  if (x instanceof MxArray) {
    x._check();
    if (copy === true) return new MxArray(x, dtype);
    return convert(x, 'the array');
  }
  if (isTypedArray(x)) {
    const stored = storedDtypeOf(x, op, 'x');
    const target = dtype ?? dtypeOfTypedArray(x);
    if (copy === true || target !== stored) {
      if (copy === false) {
        throw new BufferError(
          `[${op}] a ${x.constructor.name} holds ${stored.name}, and mx.array maps it to ${target.name}: that needs a copy, but copy is false. Pass dtype: mx.${stored.name} to share it.`,
        );
      }
      return new MxArray(x, target);
    }
    return importRegion(
      { buffer: x.buffer, byteOffset: x.byteOffset, dtype: stored, shape: [x.length], strides: [1] },
      { copy, op },
    );
  }
  if (isDlpackProducer(x)) return convert(fromDlpack(x, { copy }), 'the DLPack tensor');
  if (copy === false) throw new BufferError(`[${op}] ${describe(x)} has no memory to share; pass copy: true or leave it undefined.`);
  return new MxArray(x as never, dtype);
}

declare module '../array.js' {
  interface MxArray {
    /** See mx.toTypedArray: a fresh copy, or with `{ copy: false }` a zero-copy view. */
    toTypedArray(options?: ToTypedArrayOptions): TypedArray;
  }
}

MxArray.prototype.toTypedArray = function (options) {
  return toTypedArray(this, options);
};
