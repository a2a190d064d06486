// The matmul family (mlx/ops.cpp): matmul with NumPy's 1-D rules and broadcast batch dims,
// addmm, inner, outer, tensordot. Only inexact dtypes multiply, as in MLX.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { promoteTypes, isInexact } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { Matmul, AddMM } from '../primitives/matmul.js';
import { shapeSize, shapeToString, broadcastShapes, normalizeAxis } from '../shape.js';
import { asArray, asArrays2 } from '../convert.js';
import { astype, broadcastTo, broadcastAgainst, reshape, transpose } from './views.js';
import { expandTo, squeezeTo } from './internal.js';
import { inDynamicTracing } from '../transforms/trace.js';
import { add, multiply, conjugate } from './elementwise.js';
import { sum } from './reduce.js';

export function matmul(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  let [x, y] = asArrays2(a, b, 'matmul');
  if (x.ndim === 0 || y.ndim === 0) throw new Error('[matmul] Got 0 dimension input. Inputs must have at least one dimension.');
  const d = promoteTypes(x._dtype, y._dtype);
  if (!isInexact(d)) {
    throw new TypeError(
      `[matmul] Only inexact types are supported but ${x._dtype.name} and ${y._dtype.name} were provided which results in ${d.name}, which is not a floating point type.`,
    );
  }
  const xShape = x._shape, yShape = y._shape;
  const lhs1d = x.ndim === 1, rhs1d = y.ndim === 1;
  if (lhs1d) x = expandTo(x, [0], s);
  if (rhs1d) y = expandTo(y, [1], s);
  const K = x._shape[x.ndim - 1]!;
  if (K !== y._shape[y.ndim - 2]) {
    throw new Error(
      `[matmul] Last dimension of first input with shape ${shapeToString(xShape)} must match second to last dimension of second input with shape ${shapeToString(yShape)}.`,
    );
  }
  let batch: number[];
  try {
    batch = broadcastShapes(x._shape.slice(0, -2), y._shape.slice(0, -2));
  } catch {
    throw new Error(`[matmul] The batch dimensions of inputs with shapes ${shapeToString(xShape)} and ${shapeToString(yShape)} cannot be broadcast.`);
  }
  const M = x._shape[x.ndim - 2]!, N = y._shape[y.ndim - 1]!;
  x = astype(x, d, s);
  y = astype(y, d, s);
  if (inDynamicTracing() && (x.ndim > 2 || y.ndim > 2)) {
    // MLX: the batch dims broadcast against each other's, so that a shapeless replay infers them
    [x, y] = [broadcastAgainst(x, [y], 2, s), broadcastAgainst(y, [x], 2, s)];
  } else {
    x = broadcastTo(x, [...batch, M, K], s);
    y = broadcastTo(y, [...batch, K, N], s);
  }
  const out = makeArray([...batch, M, N], d, new Primitive(Matmul, {}), [x, y], s);
  const nd = batch.length + 2;
  return squeezeTo(out, [...(lhs1d ? [nd - 2] : []), ...(rhs1d ? [nd - 1] : [])], s);
}

/** addmm(c, a, b, alpha=1, beta=1) = alpha * (a @ b) + beta * c (MLX's argument order). */
export function addmm(c: ScalarOrArray, a: ScalarOrArray, b: ScalarOrArray, alpha = 1, beta = 1, s?: StreamOrDevice): MxArray {
  const cc = asArray(c, 'c', 'addmm');
  const [x, y] = asArrays2(a, b, 'addmm');
  if (typeof alpha !== 'number' || typeof beta !== 'number') throw new TypeError('[addmm] alpha and beta must be numbers.');
  const d = promoteTypes(promoteTypes(x._dtype, y._dtype), cc._dtype);
  if (!isInexact(d)) {
    throw new TypeError(`[addmm] Only inexact types are supported but ${x._dtype.name}, ${y._dtype.name} and ${cc._dtype.name} were provided which results in ${d.name}.`);
  }
  const p = matmul(astype(x, d, s), astype(y, d, s), s);
  let fits = cc.ndim <= p.ndim;
  try {
    fits = fits && broadcastShapes(cc._shape, p._shape).every((v, i) => v === p._shape[i]);
  } catch {
    fits = false;
  }
  if (!fits) throw new Error(`[addmm] c with shape ${shapeToString(cc._shape)} cannot be broadcast to the product's shape ${shapeToString(p._shape)}.`);
  // Reuse matmul's validation and 1-D handling; then one fused AddMM over the 2-D+ operands,
  // so alpha, beta and c apply before the single rounding (as MLX's AddMM does).
  const node = p._node;
  if (!node || node.prim.def !== Matmul) return add(alpha === 1 ? p : multiply(p, alpha, s), beta === 1 ? astype(cc, d, s) : multiply(astype(cc, d, s), beta, s), s);
  const [pa, pb] = node.inputs as [MxArray, MxArray];
  const cb = broadcastTo(astype(cc, d, s), p._shape, s);
  return makeArray([...p._shape], d, new Primitive(AddMM, { alpha, beta }), [pa, pb, cb], s);
}

/** tensordot: axes = n (last n of a with first n of b) or [axesA, axesB]. */
export function tensordot(
  a: ScalarOrArray,
  b: ScalarOrArray,
  axes: number | [number | number[], number | number[]] = 2,
  s?: StreamOrDevice,
): MxArray {
  const [x, y] = asArrays2(a, b, 'tensordot');
  let ax: number[], bx: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0) throw new RangeError(`[tensordot] axes must be a non-negative integer, got ${axes}.`);
    if (axes > x.ndim || axes > y.ndim) {
      throw new RangeError(`[tensordot] axes ${axes} exceeds the dimensions of inputs with shapes ${shapeToString(x._shape)} and ${shapeToString(y._shape)}.`);
    }
    ax = Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    bx = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) throw new TypeError('[tensordot] axes must be an integer or a pair of axis lists.');
    const la = typeof axes[0] === 'number' ? [axes[0]] : [...axes[0]];
    const lb = typeof axes[1] === 'number' ? [axes[1]] : [...axes[1]];
    if (la.length !== lb.length) throw new Error('[tensordot] Must provide the same number of axes for a and b.');
    ax = la.map((v) => normalizeAxis(v, x.ndim, 'tensordot'));
    bx = lb.map((v) => normalizeAxis(v, y.ndim, 'tensordot'));
    if (new Set(ax).size !== ax.length || new Set(bx).size !== bx.length) throw new Error('[tensordot] Received duplicate axes.');
  }
  ax.forEach((v, i) => {
    if (x._shape[v] !== y._shape[bx[i]!]) {
      throw new Error(
        `[tensordot] a.shape[${v}] (${x._shape[v]}) does not match b.shape[${bx[i]}] (${y._shape[bx[i]!]}) for inputs with shapes ${shapeToString(x._shape)} and ${shapeToString(y._shape)}.`,
      );
    }
  });
  const freeA = [...Array(x.ndim).keys()].filter((i) => !ax.includes(i));
  const freeB = [...Array(y.ndim).keys()].filter((i) => !bx.includes(i));
  const csize = shapeSize(ax.map((i) => x._shape[i]!));
  const fa = freeA.map((i) => x._shape[i]!), fb = freeB.map((i) => y._shape[i]!);
  const xm = reshape(transpose(x, [...freeA, ...ax], s), [shapeSize(fa), csize], s);
  const ym = reshape(transpose(y, [...bx, ...freeB], s), [csize, shapeSize(fb)], s);
  return reshape(matmul(xm, ym, s), [...fa, ...fb], s);
}

/** inner: contraction over the last axes (a scalar operand multiplies). */
export function inner(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'inner');
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y, s);
  if (x._shape[x.ndim - 1] !== y._shape[y.ndim - 1]) {
    throw new Error(`[inner] a and b must have the same last dimension, got shapes ${shapeToString(x._shape)} and ${shapeToString(y._shape)}.`);
  }
  return tensordot(x, y, [[-1], [-1]], s);
}

/** outer: the flattened inputs' outer product (elementwise multiply, so any dtype). */
export function outer(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'outer');
  return multiply(reshape(x, [-1, 1], s), reshape(y, [1, -1], s), s);
}

/**
 * The dot product of conj(a) and b along `axis` (default -1), broadcasting the other axes.
 * As MLX, `axis` must name the same axis of both inputs counted from their ends (negative)
 * or starts (non-negative).
 */
export function vecdot(a: ScalarOrArray, b: ScalarOrArray, axis = -1, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'vecdot');
  if (x.ndim === 0 || y.ndim === 0) throw new Error('[vecdot] inputs must be at least 1D.');
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new TypeError(`[vecdot] axis must be an integer, got ${String(axis)}.`);
  const ax = axis < 0 ? axis + x.ndim : axis;
  if (ax < 0 || ax >= x.ndim) throw new RangeError('[vecdot] axis is out of bounds.');
  if (axis < 0 ? axis + y.ndim !== ax : axis >= y.ndim) throw new RangeError('[vecdot] axis is out of bounds.');
  if (x._shape[ax] !== y._shape[ax]) throw new Error('[vecdot] a and b must have the same size along axis.');
  return sum(multiply(conjugate(x, s), y, s), ax, false, s);
}
