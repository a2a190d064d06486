// MLX's hadamard_transform: one Hadamard primitive (primitives/hadamard.ts), whose meaning is
// the composition below, in elementwise ops in the order MLX's CPU kernel computes
// (mlx/backend/cpu/hadamard.cpp), so that results match it bit for bit: butterflies in the
// array's dtype over chunks of 2^k, then, for sizes m * 2^k (m = 12, 20, 28), the m x m
// Hadamard matrix applied with a float32 running sum. A backend that doesn't fuse it
// (Backend.fuses) gets the composition.
import { MxArray, type ScalarOrArray } from '../array.js';
import { type Dtype, float32, float64, isFloating } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { astype, sliceView } from './views.js';
import { add, multiply, subtract } from './elementwise.js';
import { concatenate } from './shape.js';
import { isStreamObject, reshapeTo } from './internal.js';
import { makeArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { useFallback } from './fast.js';
import { Hadamard, decompose, signRows } from '../primitives/hadamard.js';

/** `v * scale` as MLX's kernel stores it: a float32 product rounded to the array's dtype. */
function scaled(v: MxArray, scale: number, dtype: Dtype, s?: StreamOrDevice): MxArray {
  return astype(multiply(astype(v, float32, s), new MxArray(scale, float32), s), dtype, s);
}

/**
 * The Walsh-Hadamard transform along the last axis, times `scale` (default 1/sqrt(n), which
 * makes it orthonormal): `hadamard(n) @ x * scale` for sizes n = m * 2^k, m in (1, 12, 20, 28).
 * Floating inputs keep their dtype (float64 is refused, as MLX's kernels do); others compute
 * in float32.
 */
export function hadamardTransform(a: ScalarOrArray, scale?: number | null | StreamOrDevice, s?: StreamOrDevice): MxArray {
  if (isStreamObject(scale)) [scale, s] = [undefined, scale];
  const x = asArray(a, 'array', 'hadamard_transform');
  if (scale !== undefined && scale !== null && typeof scale !== 'number') throw new TypeError(`[hadamard_transform] scale must be a number, got ${String(scale)}.`);
  if (x.size === 0) throw new Error('[hadamard_transform] Does not support empty arrays.');
  const len = x.ndim > 0 ? x._shape[x.ndim - 1]! : 1;
  // MLX's scale is a C++ float
  const sc = Math.fround(typeof scale === 'number' ? scale : 1 / Math.sqrt(len));
  const dtype = isFloating(x._dtype) ? x._dtype : float32;
  if (len === 1) return sc === 1 ? x : multiply(x, new MxArray(sc, dtype), s);
  if (dtype === float64) throw new TypeError('[hadamard] Unsupported type.');
  decompose(len);
  const y = astype(x, dtype, s);
  if (useFallback('Hadamard', dtype, s)) return hadamardFallback(y, sc, s);
  return makeArray([...x._shape], dtype, new Primitive(Hadamard, { scale: sc }), [y], s);
}

/** The Hadamard primitive's meaning: x (a float dtype, last axis m * 2^k) transformed, in ops. */
export function hadamardFallback(x: MxArray, sc: number, s?: StreamOrDevice): MxArray {
  const dtype = x._dtype;
  const len = x._shape[x.ndim - 1]!;
  const [n, m] = decompose(len);
  const lead = x._shape.slice(0, -1);
  let y = x;
  // Butterflies on pairs (j, j + h) within each chunk of n, rounding to the dtype at each stage.
  for (let h = 1; h < n; h *= 2) {
    const pairs = reshapeTo(y, [...lead, len / (2 * h), 2, h], s);
    const half = (i: number): MxArray =>
      sliceView(pairs, [...lead.map(() => 0), 0, i, 0], [...lead, len / (2 * h), i + 1, h], pairs._shape.map(() => 1), s);
    let sum = add(half(0), half(1), s);
    let dif = subtract(half(0), half(1), s);
    if (m === 1 && 2 * h === n) [sum, dif] = [scaled(sum, sc, dtype, s), scaled(dif, sc, dtype, s)];
    y = reshapeTo(concatenate([sum, dif], -2, s), [...lead, len], s);
  }
  if (m === 1) return y;
  // out[j] = sum over k of H[j][k] * x[k], over the m chunks, accumulated in float32 in k order.
  const rows = signRows[m]!.split(/\s+/).filter(Boolean);
  const chunks = astype(reshapeTo(y, [...lead, m, n], s), float32, s);
  let acc = new MxArray(0, float32);
  for (let k = 0; k < m; k++) {
    const column = new MxArray(rows.map((r) => [r[k] === '+' ? 1 : -1]), float32);
    const xk = sliceView(chunks, [...lead.map(() => 0), k, 0], [...lead, k + 1, n], chunks._shape.map(() => 1), s);
    acc = add(acc, multiply(column, xk, s), s);
  }
  return reshapeTo(scaled(acc, sc, dtype, s), [...lead, len], s);
}
