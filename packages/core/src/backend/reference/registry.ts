// Kernel table of the reference backend, filled by the family files, plus the helpers every
// kernel uses to see storage as typed elements and walk strided layouts.
import type { ArrayData } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import type { StorageArray } from '../../dtype.js';
import { typedView } from '../../elements.js';
import { stridedOffsets } from '../../shape.js';

export type Kernel = (prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]) => void;

export const kernels = new Map<string, Kernel>();

export function registerKernel(name: string, k: Kernel): void {
  if (kernels.has(name)) throw new Error(`reference: kernel ${name} registered twice`);
  kernels.set(name, k);
}

/** The storage of an array as its dtype's TypedArray (whole buffer; index with offsets). */
export function elements(d: ArrayData): StorageArray {
  const b = d.storage.backend;
  return typedView(d.dtype, b.hostBytes!(d.storage));
}

/** Element offsets (in elements, not storage lanes) of every position, row-major. */
export function offsetsOf(d: ArrayData): Float64Array | Int32Array {
  return stridedOffsets(d.shape, d.strides, d.offset);
}
