// Matmul: inputs [a (..., M, K), b (..., K, N)] with equal batch shapes (broadcast views) and
// one inexact dtype; output (..., M, N). The batch shapes being equal, the vjp returns
// cotangents of exactly the (broadcast) input shapes; the Broadcast view's own vjp sums them
// back to the user's shapes.
import type { MxArray } from '../array.js';
import { definePrimitive } from '../primitive.js';
import { isComplex } from '../dtype.js';
import { matmul, addmm } from '../ops/linalg.js';
import { swapaxes } from '../ops/shape.js';
import { conjugate, multiply } from '../ops/elementwise.js';
import { moveBatchAxis } from './rules.js';
import { shapeToString } from '../shape.js';
import { batchFirst } from './views.js';

/** The (conjugate) transpose of the two last axes: the adjoint of multiplying by x. */
function adjoint(x: MxArray): MxArray {
  return swapaxes(isComplex(x._dtype) ? conjugate(x) : x, -1, -2);
}

function scaled(x: MxArray, k: number): MxArray {
  return k === 1 ? x : multiply(x, k);
}

/** Cotangents of a and b of alpha * (a @ b), for the entries of argnums among 0 and 1. */
function productVjp(a: MxArray, b: MxArray, cot: MxArray, argnums: number[], alpha: number): Map<number, MxArray> {
  const c = scaled(cot, alpha);
  const out = new Map<number, MxArray>();
  if (argnums.includes(0)) out.set(0, matmul(c, adjoint(b)));
  if (argnums.includes(1)) out.set(1, matmul(adjoint(a), c));
  return out;
}

/**
 * Tangent of alpha * (a @ b) + beta * c given the tangents of the inputs in argnums; products
 * accumulate with addmm (one rounding per term, as MLX's jvp).
 */
function productJvp(primals: MxArray[], tangents: MxArray[], argnums: number[], alpha: number, beta: number): MxArray {
  const [a, b] = primals as [MxArray, MxArray];
  const tangentOf = (i: number) => tangents[argnums.indexOf(i)]!;
  const terms: [MxArray, MxArray][] = [];
  if (argnums.includes(0)) terms.push([tangentOf(0), b]);
  if (argnums.includes(1)) terms.push([a, tangentOf(1)]);
  let acc: MxArray | null = argnums.includes(2) ? tangentOf(2) : null;
  let accScale = beta;
  for (const [x, y] of terms) {
    acc = acc === null ? scaled(matmul(x, y), alpha) : addmm(acc, x, y, alpha, accScale);
    accScale = 1;
  }
  return scaled(acc!, accScale);
}

/** vmap: batch axes to the front; matmul broadcasts an unbatched operand's batch dims. */
function batchedProduct(inputs: MxArray[], axes: number[]): MxArray[] {
  return inputs.map((x, i) => (axes[i]! >= 0 ? moveBatchAxis(x, axes[i]!, 0) : x));
}

/** MLX's Matmul::output_shapes: a's shape with b's last dim (the batch dims arrive broadcast). */
function productShape([a, b]: readonly (readonly number[])[]): number[][] {
  if (a![a!.length - 1] !== b![b!.length - 2]) {
    throw new Error(
      `[matmul] Last dimension of first input with shape ${shapeToString(a!)} must match second to last dimension of second input with shape ${shapeToString(b!)}.`,
    );
  }
  return [[...a!.slice(0, -1), b![b!.length - 1]!]];
}

export const Matmul = definePrimitive({
  name: 'Matmul',
  outputShapes: (_p, inputs) => productShape(inputs),
  vjp: (_p, [a, b], [cot], argnums) => {
    const g = productVjp(a!, b!, cot!, argnums, 1);
    return argnums.map((i) => g.get(i)!);
  },
  jvp: (_p, primals, tangents, argnums) => [productJvp(primals, tangents, argnums, 1, 1)],
  vmap: (_p, inputs, axes) => {
    const [a, b] = batchedProduct(inputs, axes) as [MxArray, MxArray];
    return [[matmul(a, b)], [0]];
  },
});

/** MLX's AddMM: alpha * (a @ b) + beta * c, accumulated and scaled before one rounding. */
export const AddMM = definePrimitive<{ alpha: number; beta: number }>({
  name: 'AddMM',
  describe: (p) => `alpha=${p.alpha} beta=${p.beta}`,
  outputShapes: (_p, inputs) => productShape(inputs),
  vjp: ({ alpha, beta }, [a, b], [cot], argnums) => {
    const g = productVjp(a!, b!, cot!, argnums, alpha);
    return argnums.map((i) => (i === 2 ? scaled(cot!, beta) : g.get(i)!));
  },
  jvp: ({ alpha, beta }, primals, tangents, argnums) => [productJvp(primals, tangents, argnums, alpha, beta)],
  vmap: ({ alpha, beta }, inputs, axes) => {
    let [a, b, c] = batchedProduct(inputs, axes) as [MxArray, MxArray, MxArray];
    // An unbatched c (..., M, N) broadcasts against the batched product (B, ..., M, N); when
    // only c is batched, a carries the batch so that the product has it too.
    if (axes[0]! < 0 && axes[1]! < 0) a = batchFirst(a, -1, c._shape[0]!);
    return [[addmm(c, a, b, alpha, beta)], [0]];
  },
});
