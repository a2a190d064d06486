// Helpers shared by op modules. This module is not re-exported from index.ts (ops/*.ts
// modules are re-exported whole), so nothing here leaks into the public `mx` namespace.
import { type MxArray, makeArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Reshape, type ReshapeDim } from '../primitives/views.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { shapeSize } from '../shape.js';

/**
 * A reshape view to a fully known shape, without node-mlx's rest-argument parsing. `dims`
 * says how the shape follows from the input's (see ReshapeDim) for a shapeless replay;
 * without it the shape is fixed.
 */
export function reshapeTo(x: MxArray, shape: number[], s?: StreamOrDevice, dims?: ReshapeDim[]): MxArray {
  if (shape.length === x._shape.length && shape.every((d, i) => d === x._shape[i])) return x;
  return makeArray(shape, x._dtype, new Primitive(Reshape, dims ? { shape, dims } : { shape }), [x], s);
}

/** Drops the size-1 `axes` (valid, sorted), as MLX's Squeeze: the other axes keep their sizes. */
export function squeezeTo(x: MxArray, axes: readonly number[], s?: StreamOrDevice): MxArray {
  const kept = [...x._shape.keys()].filter((i) => !axes.includes(i));
  return reshapeTo(x, kept.map((i) => x._shape[i]!), s, kept.map((i): ReshapeDim => [i, i + 1]));
}

/** Inserts size-1 axes at the output positions `axes` (valid, sorted), as MLX's ExpandDims. */
export function expandTo(x: MxArray, axes: readonly number[], s?: StreamOrDevice): MxArray {
  const dims: ReshapeDim[] = [];
  let k = 0;
  for (let i = 0; i < x._shape.length + axes.length; i++) dims.push(axes.includes(i) ? 1 : [k, ++k]);
  return reshapeTo(x, dims.map((d) => (typeof d === 'number' ? d : x._shape[d[0]]!)), s, dims);
}

/** The flattened array as a reshape view (MLX's axis=None forms). */
export function flat(x: MxArray, s?: StreamOrDevice): MxArray {
  return reshapeTo(x, [shapeSize(x._shape)], s, [[0, x._shape.length]]);
}

/** A Stream or Device object where an optional argument was expected (node-mlx's `op(a, s)` forms). */
export function isStreamObject(v: unknown): v is Stream | Device {
  return v instanceof Stream || v instanceof Device;
}
