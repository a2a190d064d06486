// Small helpers shared by the primitives' autodiff and batching rules (vjp/jvp/vmap).
// They only call ops inside the functions, never at module evaluation (ops import the
// primitives, so importing ops here makes a cycle that is harmless only that way).
import type { MxArray } from '../array.js';
import { moveaxis } from '../ops/shape.js';
import { broadcastArrays } from '../ops/views.js';
import { expandTo } from '../ops/internal.js';
import { shapesEqual, shapeToString } from '../shape.js';

/** Moves the batch axis `axis` of `x` to position `to` (a view; `x` itself when already there). */
export function moveBatchAxis(x: MxArray, axis: number, to = 0): MxArray {
  return axis === to ? x : moveaxis(x, axis, to);
}

/**
 * Aligns the batch axes of the inputs of an elementwise (broadcasting) primitive, as MLX's
 * vmap_binary_op/vmap_ternary_op: each input gets leading size-1 axes up to the widest rank
 * (an unbatched input's last such axis stands for its missing batch axis), every batch axis
 * is moved to the position of the first batched input's, and all are broadcast to one shape,
 * since elementwise primitives take inputs of exactly one shape. Returns the aligned inputs
 * and the common batch axis (-1 when no input is batched: the inputs are returned as given).
 */
export function alignBatchAxes(inputs: MxArray[], axes: number[]): { inputs: MxArray[]; axis: number } {
  const first = axes.findIndex((a) => a >= 0);
  if (first < 0) return { inputs, axis: -1 };
  const ndim = Math.max(...inputs.map((x, i) => x._shape.length + (axes[i]! < 0 ? 1 : 0)));
  const to = ndim - inputs[first]!._shape.length + axes[first]!;
  const moved = inputs.map((x, i) => {
    const lead = ndim - x._shape.length;
    const from = lead + axes[i]!; // for an unbatched input: its last added size-1 axis
    const expanded = expandTo(x, Array.from({ length: lead }, (_, i) => i));
    return moveBatchAxis(expanded, from, to);
  });
  return { inputs: broadcastArrays(moved), axis: to };
}

/**
 * outputShapes of an elementwise primitive: its inputs have one shape (the ops broadcast
 * them first), and so have its `nOut` outputs.
 */
export function elementwiseShapes(name: string, inputs: readonly (readonly number[])[], nOut = 1): number[][] {
  const shape = inputs[0]!;
  if (inputs.some((s) => !shapesEqual(s, shape))) {
    throw new Error(`[${name}] Cannot infer the output shape from inputs of shapes ${inputs.map(shapeToString).join(', ')}.`);
  }
  return Array.from({ length: nOut }, () => [...shape]);
}
