// scijs ndarray <-> arrays. An ndarray is a TypedArray plus shape, strides and offset, the same
// model as an evaluated mx array, so both directions share memory for every layout (strided,
// reversed and broadcast included). The `ndarray` factory is passed in: mlx-ts never imports it.
import { MxArray } from '../../array.js';
import { rowMajorStrides, stridedOffsets } from '../../shape.js';
import type { StreamOrDevice } from '../../device.js';
import { BufferError } from '../buffer-error.js';
import {
  typedArrayCtorFor, storedDtypeOf, hostLayout, pinnedView, copyElements, importRegion, isTypedArray, describe, checkCopyOption, whyNoViews, noViewsError,
} from '../host-memory.js';

/** What mlx-ts uses of an ndarray. */
export interface NdarrayLike {
  readonly data: unknown;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

/** The default export of the `ndarray` package: ndarray(data, shape, stride, offset). */
export type NdarrayFactory<T> = (data: never, shape: number[], stride: number[], offset: number) => T;

export interface NdarrayConversionOptions {
  /** true: copy; false or undefined: share (mx arrays always can; plain JS data never can). */
  copy?: boolean;
}

/**
 * An ndarray over the array's memory with its strides and offset (any layout; writes alias
 * both ways and the memory stays alive while the ndarray's data is reachable), or a
 * row-major copy for `copy: true`.
 */
export function toNdarray<T>(a: MxArray, ndarray: NdarrayFactory<T>, options: NdarrayConversionOptions = {}): T {
  const op = 'toNdarray';
  const copy = checkCopyOption(options?.copy, op);
  if (typeof ndarray !== 'function') throw new TypeError(`[${op}] argument 'ndarray' must be the ndarray factory function, got ${describe(ndarray)}.`);
  const Ctor = typedArrayCtorFor(a._check()._dtype, op);
  const shape = [...a._shape];
  if (copy === true) return ndarray(copyElements(a, Ctor, op) as never, shape, rowMajorStrides(shape), 0);
  const { storage, bytes, offset, strides } = hostLayout(a, op);
  const unsafe = whyNoViews(storage); // a plain WASM memory: its buffer detaches on growth
  if (unsafe) {
    if (copy === false) throw noViewsError(op, unsafe);
    return ndarray(copyElements(a, Ctor, op) as never, shape, rowMajorStrides(shape), 0);
  }
  const whole = pinnedView(storage, bytes, Ctor, 0, Math.floor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT));
  return ndarray(whole as never, shape, [...strides], offset);
}

/**
 * An array of an ndarray: over its TypedArray with its strides and offset (Float64Array data
 * stays float64), unless `copy` is true. Plain JS array data is copied (copy: false throws).
 */
export function fromNdarray(nd: NdarrayLike, options: NdarrayConversionOptions & { device?: StreamOrDevice } = {}): MxArray {
  const op = 'fromNdarray';
  const copy = checkCopyOption(options?.copy, op);
  if (typeof nd !== 'object' || nd === null || !Array.isArray(nd.shape) || !Array.isArray(nd.stride) || !Number.isSafeInteger(nd.offset)) {
    throw new TypeError(`[${op}] argument 'nd' must be an ndarray (with data, shape, stride and offset), got ${describe(nd)}.`);
  }
  const shape = [...nd.shape];
  const data = nd.data;
  if (isTypedArray(data)) {
    const dtype = storedDtypeOf(data, op, 'nd.data');
    return importRegion(
      { buffer: data.buffer, byteOffset: data.byteOffset + nd.offset * dtype.size, dtype, shape, strides: [...nd.stride] },
      { copy, op, device: options?.device },
    );
  }
  if (Array.isArray(data)) {
    if (copy === false) throw new BufferError(`[${op}] an ndarray over a plain JS array has no memory to share; pass copy: true or leave it undefined.`);
    const offsets = stridedOffsets(shape, nd.stride, nd.offset);
    const values: unknown[] = [];
    for (let i = 0; i < offsets.length; i++) {
      const at = offsets[i]!;
      if (at < 0 || at >= data.length) throw new RangeError(`[${op}] the ndarray's strides and offset reach index ${at} outside its data of length ${data.length}.`);
      values.push(data[at]);
    }
    return new MxArray(values as number[]).reshape(shape);
  }
  throw new TypeError(`[${op}] nd.data must be a TypedArray or a JS array, got ${describe(data)}.`);
}

