// Helpers shared by op modules. This module is not re-exported from index.ts (ops/*.ts
// modules are re-exported whole), so nothing here leaks into the public `mx` namespace.
import { type MxArray, makeArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Reshape } from '../primitives/views.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { shapeSize } from '../shape.js';

/** A reshape view to a fully known shape, without node-mlx's rest-argument parsing. */
export function reshapeTo(x: MxArray, shape: number[], s?: StreamOrDevice): MxArray {
  if (shape.length === x._shape.length && shape.every((d, i) => d === x._shape[i])) return x;
  return makeArray(shape, x._dtype, new Primitive(Reshape, { shape }), [x], s);
}

/** The flattened array as a reshape view (MLX's axis=None forms). */
export function flat(x: MxArray, s?: StreamOrDevice): MxArray {
  return reshapeTo(x, [shapeSize(x._shape)], s);
}

/** A Stream or Device object where an optional argument was expected (node-mlx's `op(a, s)` forms). */
export function isStreamObject(v: unknown): v is Stream | Device {
  return v instanceof Stream || v instanceof Device;
}
