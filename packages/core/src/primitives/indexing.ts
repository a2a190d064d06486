// Gather and scatter, MLX's indexing primitives (in a reduced form: see the kernels).
// Their rules work on flat positions: gathering the positions array with a Gather's own
// indices says where each output element came from, and Scatter already takes positions.
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { type MxArray, makeArray } from '../array.js';
import { int32, int64 } from '../dtype.js';
import { shapeSize, shapesEqual, shapeToString } from '../shape.js';
import { astype, broadcastArrays, broadcastTo, reshape } from '../ops/views.js';
import { add, divide, equal, greater, less, minimum, multiply, where } from '../ops/elementwise.js';
import { arange, onesLike, zeros, zerosLike } from '../ops/creation.js';
import { cumsum } from '../ops/scan.js';
import { take, takeAlongAxis } from '../ops/indexing.js';
import { expandDims } from '../ops/shape.js';
import { batchFirst, batchSize, flatPositions, scatterAddInto } from './views.js';

/**
 * Gather: inputs [a, idx_0, ..., idx_{k-1}], the index arrays all of one shape B (broadcast
 * views are fine), any integer dtype, negative values wrap once. `axes[i]` is the axis of `a`
 * that idx_i indexes. Output shape: B ++ (a's shape with every indexed axis set to 1), as
 * MLX's gather with full slice sizes on the other axes.
 */
export const Gather = definePrimitive<{ axes: number[] }>({
  name: 'Gather',
  // (MLX keeps the slice sizes of the trace; here the sliced axes follow the source)
  outputShapes: (p, [src, ...idx]) => {
    if (idx.some((s) => !shapesEqual(s, idx[0]!))) throw new Error(`[gather] Index arrays of shapes ${idx.map(shapeToString).join(', ')} differ.`);
    return [[...(idx[0] ?? []), ...src!.map((d, i) => (p.axes.includes(i) ? 1 : d))]];
  },
  // scatter-add of the cotangent where each element came from (duplicates accumulate);
  // index arrays get zeros
  vjp: (p, [a, ...idx], [c], argnums) =>
    argnums.map((i) => (i > 0 ? zerosLike(idx[i - 1]!) : scatterAddInto(a!._shape, a!._dtype, gatherWith(p.axes, flatPositions(a!._shape), idx), c!))),
  jvp: (p, [a, ...idx], tangents, argnums) => {
    const k = argnums.indexOf(0);
    return [k >= 0 ? gatherWith(p.axes, tangents[k]!, idx) : zeros(gatherShape(p.axes, a!, idx), a!._dtype)];
  },
  vmap: (p, inputs, axes) => {
    const [src, ...idx] = inputs as [MxArray, ...MxArray[]];
    const [sax, ...iax] = axes as [number, ...number[]];
    const n = batchSize(inputs, axes);
    const shifted = p.axes.map((a) => (sax >= 0 && a >= sax ? a + 1 : a));
    // Only the source is batched: its batch axis is one more sliced axis of the output.
    if (!iax.some((a) => a >= 0)) return [[gatherWith(shifted, src, idx)], [(idx[0]?._shape.length ?? 0) + sax]];
    const batchedIdx = broadcastArrays(idx.map((x, i) => batchFirst(x, iax[i]!, n)));
    if (sax < 0) return [[gatherWith(p.axes, src, batchedIdx)], [0]];
    // Both batched: an iota index along the source's batch axis picks each example's source.
    const idxShape = batchedIdx[0]!._shape;
    const iota = broadcastTo(reshape(arange(0, n, 1, int32), [n, ...idxShape.slice(1).map(() => 1)]), idxShape);
    const g = gatherWith([...shifted, sax], src, [...batchedIdx, iota]);
    return [[reshape(g, g._shape.filter((_, i) => i !== idxShape.length + sax))], [0]];
  },
  describe: (p) => `axes=[${p.axes}]`,
});

/** A Gather's output shape: the indices' shape B ++ src's shape with the indexed axes 1. */
function gatherShape(axes: number[], src: MxArray, idx: MxArray[]): number[] {
  return [...(idx[0]?._shape ?? []), ...src._shape.map((d, i) => (axes.includes(i) ? 1 : d))];
}

/** A Gather node: `src` indexed on `axes` by `idx`. */
function gatherWith(axes: number[], src: MxArray, idx: MxArray[]): MxArray {
  return makeArray(gatherShape(axes, src, idx), src._dtype, new Primitive(Gather, { axes }), [src, ...idx]);
}

/**
 * GatherAxis (MLX's, behind take_along_axis): inputs [x, indices] of one rank, equal on every
 * axis but `axis` (the op broadcasts them); out[..., i, ...] = x[..., indices[..., i, ...], ...]
 * along `axis`, the indices' shape. Negative indices wrap once. Shapes follow the inputs, so
 * it records under shapeless compile.
 */
export const GatherAxis = definePrimitive<{ axis: number }>({
  name: 'GatherAxis',
  outputShapes: (_p, [, idx]) => [[...idx!]],
  vjp: (p, [x, idx], [c], argnums) =>
    argnums.map((i) => (i === 1 ? zerosLike(idx!) : scatterAxisWith('sum', p.axis, zerosLike(x!), idx!, c!))),
  jvp: (p, [, idx], tangents, argnums) => {
    const k = argnums.indexOf(0);
    return [k >= 0 ? gatherAxisWith(p.axis, tangents[k]!, idx!) : zeros([...idx!._shape], tangents[0]!._dtype)];
  },
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const [x, idx] = inputs.map((v, i) => batchFirst(v, axes[i]!, n)) as [MxArray, MxArray];
    return [[gatherAxisWith(p.axis + 1, x, idx)], [0]];
  },
  describe: (p) => `axis=${p.axis}`,
});

/** A GatherAxis node over inputs already of one shape but along `axis`. */
export function gatherAxisWith(axis: number, x: MxArray, idx: MxArray): MxArray {
  return makeArray([...idx._shape], x._dtype, new Primitive(GatherAxis, { axis }), [x, idx]);
}

/**
 * ScatterAxis (MLX's, behind put_along_axis and GatherAxis's gradient): inputs [x, indices,
 * updates], indices and updates of one shape, equal to x's on every axis but `axis`; a copy of
 * x with updates[..., i, ...] written ('none': the last write wins) or added ('sum') at
 * x[..., indices[..., i, ...], ...]. Gradients as MLX's ScatterAxis::vjp.
 */
export const ScatterAxis = definePrimitive<{ axis: number; reduce: 'none' | 'sum' }>({
  name: 'ScatterAxis',
  outputShapes: (_p, [x]) => [[...x!]],
  vjp: (p, [, idx, u], [c], argnums) =>
    argnums.map((i) => {
      if (i === 1) return zerosLike(idx!);
      if (i === 2) return gatherAxisWith(p.axis, c!, idx!);
      return p.reduce === 'sum' ? c! : scatterAxisWith('none', p.axis, c!, idx!, zerosLike(u!));
    }),
  jvp: (p, [x, idx, u], tangents, argnums) => {
    const tx = argnums.includes(0) ? tangents[argnums.indexOf(0)]! : zerosLike(x!);
    const tu = argnums.includes(2) ? tangents[argnums.indexOf(2)]! : zerosLike(u!);
    return [scatterAxisWith(p.reduce, p.axis, tx, idx!, tu)];
  },
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const [x, idx, u] = inputs.map((v, i) => batchFirst(v, axes[i]!, n)) as [MxArray, MxArray, MxArray];
    return [[scatterAxisWith(p.reduce, p.axis + 1, x, idx, u)], [0]];
  },
  describe: (p) => `axis=${p.axis} ${p.reduce}`,
});

/** A ScatterAxis node (updates cast to x's dtype). */
export function scatterAxisWith(reduce: 'none' | 'sum', axis: number, x: MxArray, idx: MxArray, updates: MxArray): MxArray {
  return makeArray([...x._shape], x._dtype, new Primitive(ScatterAxis, { axis, reduce }), [x, idx, astype(updates, x._dtype)]);
}

export type ScatterReduce = 'none' | 'sum' | 'prod' | 'max' | 'min';

/**
 * Scatter: inputs [a, positions, updates]; positions (any int dtype) are row-major flat
 * indices into a (negative values wrap once), updates have the positions' shape and a's
 * dtype. Output: a row-major copy of a where each update is applied in order ('none': the
 * last write wins; the others accumulate duplicates, as MLX's scatter_add/prod/max/min).
 *
 * Gradients as MLX defines them: 'none' gives overwritten elements of a zero and every
 * update (a losing duplicate too) the cotangent at its position; 'sum' passes the cotangent
 * to both; 'max'/'min' give it to a where a is the result and to the updates equal to the
 * result (ties count for each). MLX has no rule for 'prod' and no jvp at all; here 'prod' is
 * the product rule (each factor gets the product of the other factors at its position, zero
 * factors included: see updateProducts) and the jvps are the derivatives of the same
 * definitions (the winner's tangent for 'none', ties adding up for 'max'/'min').
 */
export const Scatter = definePrimitive<{ reduce: ScatterReduce }>({
  name: 'Scatter',
  // The flat positions were computed for the traced shape: they still name the same elements
  // when only a's first axis changed (as MLX's SliceUpdate keeps its bounds; its Scatter can't).
  outputShapes: (_p, [a, pos, u], [a0, pos0, u0]) => {
    if (!shapesEqual(a!.slice(1), a0!.slice(1)) || !shapesEqual(pos!, pos0!) || !shapesEqual(u!, u0!)) {
      throw new Error('[Primitive::output_shapes] Scatter cannot infer output shapes.');
    }
    return [[...a!]];
  },
  // MLX's cotangents keep the cotangent's dtype (an int32 count into a bool array stays a count)
  vjp: (p, [a, pos, u], [c], argnums, [out]) =>
    argnums.map((i) => {
      if (i === 1) return zerosLike(pos!);
      const g = i === 0 ? scatterVjpInput(p.reduce, a!, pos!, u!, c!, out!) : scatterVjpUpdates(p.reduce, a!, pos!, u!, c!, out!);
      return p.reduce === 'prod' ? astype(g, (i === 0 ? a : u)!._dtype) : g;
    }),
  jvp: (p, [a, pos, u], tangents, argnums) => {
    const ta = argnums.includes(0) ? tangents[argnums.indexOf(0)]! : zerosLike(a!);
    const tu = argnums.includes(2) ? tangents[argnums.indexOf(2)]! : zerosLike(u!);
    if (p.reduce === 'none' || p.reduce === 'sum') return [scatterWith(p.reduce, ta, pos!, tu)];
    if (p.reduce === 'prod') {
      const { all, others } = updateProducts(a!, pos!, u!);
      return [scatterWith('sum', multiply(ta, all), pos!, multiply(multiply(tu, take(a!, pos!)), others))];
    }
    const out = scatterWith(p.reduce, a!, pos!, u!);
    const keepA = where(equal(out, a!), ta, zerosLike(ta));
    return [scatterWith('sum', keepA, pos!, where(equal(take(out, pos!), u!), tu, zerosLike(tu)))];
  },
  // Batch-first everything and shift each example's positions into its own block.
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const [a, pos, u] = inputs.map((x, i) => batchFirst(x, axes[i]!, n)) as [MxArray, MxArray, MxArray];
    const size = shapeSize(a._shape.slice(1));
    const d = n * size >= 2 ** 31 || pos._dtype.size === 8 ? int64 : int32;
    let q = astype(pos, d);
    // bigints are weak ints: they keep q's integer dtype (a JS number would make it float32)
    q = where(less(q, 0n), add(q, BigInt(size)), q);
    q = add(q, reshape(multiply(arange(0, n, 1, d), BigInt(size)), [n, ...q._shape.slice(1).map(() => 1)]));
    return [[scatterWith(p.reduce, a, q, u)], [0]];
  },
  describe: (p) => p.reduce,
});

/** A Scatter node (updates cast to a's dtype). */
export function scatterWith(reduce: ScatterReduce, a: MxArray, positions: MxArray, updates: MxArray): MxArray {
  return makeArray([...a._shape], a._dtype, new Primitive(Scatter, { reduce }), [a, positions, astype(updates, a._dtype)]);
}

function scatterVjpInput(reduce: ScatterReduce, a: MxArray, pos: MxArray, u: MxArray, c: MxArray, out: MxArray): MxArray {
  if (reduce === 'none') return scatterWith('none', c, pos, zerosLike(u));
  if (reduce === 'sum') return c;
  if (reduce === 'prod') return multiply(c, updateProducts(a, pos, u).all);
  return where(equal(out, a), c, zerosLike(c));
}

function scatterVjpUpdates(reduce: ScatterReduce, a: MxArray, pos: MxArray, u: MxArray, c: MxArray, out: MxArray): MxArray {
  const atPos = take(c, pos);
  if (reduce === 'none' || reduce === 'sum') return atPos;
  if (reduce === 'prod') return multiply(multiply(atPos, take(a, pos)), updateProducts(a, pos, u).others);
  return multiply(atPos, equal(take(out, pos), u));
}

/**
 * For a 'prod' scatter: `all`, the product of the updates landing on each element of a, and
 * `others`, for each update the product of the other updates at its position. A non-zero
 * update divides itself out of `all` (so `others` stays differentiable when a sibling is
 * zero); a zero one takes the product of the non-zero updates there, or 0 when another zero
 * shares its position. (Second derivatives through two zeros at one position come out 0.)
 */
function updateProducts(a: MxArray, pos: MxArray, u: MxArray): { all: MxArray; others: MxArray } {
  const all = scatterWith('prod', onesLike(a), pos, u);
  const isZero = equal(u, zerosLike(u));
  const safe = where(isZero, onesLike(u), u);
  const zerosHere = take(scatterWith('sum', zeros([...a._shape], int32), pos, astype(isZero, int32)), pos);
  const nonzeroHere = take(scatterWith('prod', onesLike(a), pos, safe), pos);
  const forZero = where(greater(zerosHere, 1n), zerosLike(nonzeroHere), nonzeroHere);
  const others = astype(where(isZero, forZero, divide(take(all, pos), safe)), u._dtype);
  return { all, others };
}

/**
 * MaskedScatter (`a[mask] = values`): inputs [a, mask, values]; mask has the shape of a's
 * leading dims, values are (R, ...a's remaining dims) in a's dtype. The k-th true position of
 * the mask (row-major) takes row k of values; fewer than needed rows is an error.
 */
export const MaskedScatter = definePrimitive({
  name: 'MaskedScatter',
  outputShapes: (_p, [a]) => [[...a!]],
  vjp: (_p, [a, mask, v], [c], argnums) =>
    argnums.map((i) => {
      if (i === 1) return zerosLike(mask!);
      const { rows, inner } = maskLayout(a!, mask!);
      const m = reshape(mask!, [rows]);
      // a: the cotangent where the mask kept a's elements
      if (i === 0) return where(reshape(m, [...mask!._shape, ...a!._shape.slice(mask!.ndim).map(() => 1)]), zerosLike(c!), c!);
      // values: row k gets the cotangent of the k-th masked row (exclusive count of trues)
      const r = v!._shape[0]!;
      if (r * inner === 0) return zerosLike(v!);
      const rank = cumsum(astype(m, int32), 0, false, false);
      const rowStart = reshape(multiply(where(m, rank, zerosLike(rank)), BigInt(inner)), [rows, 1]);
      const positions = add(rowStart, reshape(arange(0, inner, 1, int32), [1, inner]));
      const masked = where(reshape(m, [rows, 1]), reshape(c!, [rows, inner]), zeros([], c!._dtype));
      return reshape(scatterAddInto([r * inner], v!._dtype, positions, masked), [...v!._shape]);
    }),
  jvp: (_p, [a, mask, v], tangents, argnums): MxArray[] => {
    const ta = argnums.includes(0) ? tangents[argnums.indexOf(0)]! : zerosLike(a!);
    const tv = argnums.includes(2) ? tangents[argnums.indexOf(2)]! : zerosLike(v!);
    return [makeArray([...a!._shape], a!._dtype, new Primitive(MaskedScatter as PrimitiveDef, {}), [ta, mask!, tv])];
  },
  // Each example counts its own trues: row rank[b, i] of values[b] goes where mask[b, i] is set.
  // (Rows past the end are clamped rather than raising as the primitive does.)
  vmap: (_p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const [a, mask, v] = inputs.map((x, i) => batchFirst(x, axes[i]!, n)) as [MxArray, MxArray, MxArray];
    const r = v._shape[1]!;
    if (r === 0) return [[a], [0]];
    const rows = shapeSize(mask._shape.slice(1));
    const inner = shapeSize(a._shape.slice(mask.ndim));
    const m = reshape(mask, [n, rows]);
    const rank = minimum(cumsum(astype(m, int32), 1, false, false), BigInt(r - 1));
    const picked = takeAlongAxis(reshape(v, [n, r, inner]), expandDims(rank, 2), 1);
    const out = where(expandDims(m, 2), picked, reshape(a, [n, rows, inner]));
    return [[reshape(out, [...a._shape])], [0]];
  },
});

/** The mask's element count and the size of the trailing block each mask element covers. */
function maskLayout(a: MxArray, mask: MxArray): { rows: number; inner: number } {
  return { rows: shapeSize(mask._shape), inner: shapeSize(a._shape.slice(mask._shape.length)) };
}
