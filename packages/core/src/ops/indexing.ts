// Indexing as MLX's Python __getitem__ / __setitem__ / .at (python/src/indexing.cpp), in
// node-mlx's spelling: a.index(...), a.indexPut_(idx, v), a.at(...).add(v), plus take,
// takeAlongAxis and putAlongAxis. Basic indexing (numbers, slices, '...', null) gives views;
// array indices gather (NumPy's advanced-indexing layout rules).
import { MxArray, makeArray, overwriteArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Dtype, int32, isInteger, bool } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { Gather, GatherAxis, Scatter, ScatterAxis, MaskedScatter, type ScatterReduce } from '../primitives/indexing.js';
import { shapeSize, shapeToString, broadcastShapes, normalizeAxis, shapesEqual, checkShape } from '../shape.js';
import { asArray, scalarToArray, describeValue, indexScalar } from '../convert.js';
import { astype, broadcastAgainst, broadcastArrays, broadcastTo, reshape, sliceView, transpose } from './views.js';
import { reshapeTo, squeezeTo } from './internal.js';
import type { ReshapeDim } from '../primitives/views.js';
import * as elementwise from './elementwise.js';
import { add, negative } from './elementwise.js';
import { inDynamicTracing } from '../transforms/trace.js';

export interface Slice {
  start: number | null;
  stop: number | null;
  step: number | null;
}

/** A slice object, as Python's `start:stop:step` (missing parts are null). */
export function Slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/** booleans (and lists of them) are masks, accepted by indexPut_ only (as MLX). */
export type ArrayIndex = null | Slice | '...' | MxArray | number | boolean | ArrayIndex[];

function isSlice(x: unknown): x is Slice {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof MxArray) && 'start' in x && 'stop' in x && 'step' in x;
}

type Entry =
  | { kind: 'slice'; start: number; stop: number; step: number }
  | { kind: 'int'; value: number }
  | { kind: 'array'; array: MxArray }
  | { kind: 'none' };

function sliceBound(v: number | null, name: string, op: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`[${op}] slice ${name} must be an integer or null, got ${describeValue(v)}.`);
  return v;
}

/** Python's slice.indices(n): clamped start/stop for a step. */
function normalizeSlice(sl: Slice, n: number, op: string): { start: number; stop: number; step: number } {
  const step = sliceBound(sl.step, 'step', op) ?? 1;
  if (step === 0) throw new RangeError(`[${op}] slice step cannot be zero.`);
  const fix = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += n;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) v = step < 0 ? n - 1 : n;
    return v;
  };
  const start = fix(sliceBound(sl.start, 'start', op), step < 0 ? n - 1 : 0);
  const stop = fix(sliceBound(sl.stop, 'stop', op), step < 0 ? -1 : n);
  return { start, stop, step };
}

/** An index array: mx arrays or nested JS lists of integers; bools are refused as in MLX. */
function indexArray(x: MxArray | unknown[], op: string): MxArray {
  // A JS list of integral numbers is an int32 index list: a number is a float elsewhere, but an
  // index is an integer whatever JS type it came in. Anything else is refused below.
  const arr = x instanceof MxArray ? x._check() : new MxArray(x as ScalarOrArray, isIntegerList(x) ? int32 : undefined);
  if (arr._dtype === bool) throw new TypeError(`[${op}] boolean indices are not yet supported.`);
  if (!isInteger(arr._dtype)) {
    // an empty JS list is float32 in mx.array; as an index it is an empty int array
    if (!(x instanceof MxArray) && arr.size === 0) return astype(arr, int32);
    throw new TypeError(`[${op}] index arrays must have an integer dtype, got ${arr._dtype.name}.`);
  }
  return arr;
}

function isIntegerList(x: unknown): boolean {
  if (Array.isArray(x)) return x.every(isIntegerList);
  return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) < 2 ** 31;
}

/** Expands '...' and missing trailing axes; entries then line up with the axes of `a`. */
function parseIndices(shape: readonly number[], indices: unknown[], op: string): Entry[] {
  let ellipsis = -1;
  let used = 0;
  indices.forEach((ix, i) => {
    if (ix === '...') {
      if (ellipsis >= 0) throw new Error(`[${op}] An index can only have a single ellipsis ('...').`);
      ellipsis = i;
    } else if (ix !== null) used++;
  });
  const nd = shape.length;
  if (used > nd) throw new RangeError(`[${op}] Too many indices for array with ${nd} dimensions (got ${used}).`);
  const list = [...indices];
  const fill = Array.from({ length: nd - used }, () => Slice());
  if (ellipsis >= 0) list.splice(ellipsis, 1, ...fill);
  else list.push(...fill);
  const out: Entry[] = [];
  let axis = 0;
  for (const ix of list) {
    if (ix === null) {
      out.push({ kind: 'none' });
      continue;
    }
    const n = shape[axis]!;
    if (typeof ix === 'number' || typeof ix === 'bigint') {
      const v = Number(ix);
      if (!Number.isInteger(v)) throw new TypeError(`[${op}] index ${String(ix)} for axis ${axis} must be an integer.`);
      if (v < -n || v >= n) throw new RangeError(`[${op}] index ${v} is out of bounds for axis ${axis} with size ${n}.`);
      out.push({ kind: 'int', value: v < 0 ? v + n : v });
    } else if (isSlice(ix)) {
      out.push({ kind: 'slice', ...normalizeSlice(ix, n, op) });
    } else if (ix instanceof MxArray || Array.isArray(ix)) {
      out.push({ kind: 'array', array: indexArray(ix, op) });
    } else if (typeof ix === 'boolean') {
      throw new TypeError(`[${op}] boolean indices are not yet supported.`);
    } else {
      throw new TypeError(`[${op}] Cannot index mlx array using ${describeValue(ix)} for axis ${axis}; expected a number, mx.Slice, '...', null or an integer array.`);
    }
    axis++;
  }
  return out;
}

function getIndex(x: MxArray, indices: unknown[], op: string, s?: StreamOrDevice): MxArray {
  const entries = parseIndices(x._shape, indices, op);
  const hasArray = entries.some((e) => e.kind === 'array');
  // 1. every slice (and, without index arrays, every integer) becomes one strided view
  const start: number[] = [], stop: number[] = [], step: number[] = [];
  let axis = 0;
  for (const e of entries) {
    if (e.kind === 'none') continue;
    const n = x._shape[axis++]!;
    if (e.kind === 'slice') {
      start.push(e.start), stop.push(e.stop), step.push(e.step);
    } else if (e.kind === 'int' && !hasArray) {
      start.push(e.value), stop.push(e.value + 1), step.push(1);
    } else {
      start.push(0), stop.push(n), step.push(1);
    }
  }
  const v = sliceView(x, start, stop, step, s);
  let ax = 0;
  if (!hasArray) {
    // integers drop their (size-1) axis, nulls insert one; a shapeless replay follows the rest
    const dims: ReshapeDim[] = [];
    for (const e of entries) {
      if (e.kind === 'none') dims.push(1);
      else {
        if (e.kind === 'slice') dims.push([ax, ax + 1]);
        ax++;
      }
    }
    return reshapeTo(v, dims.map((d) => (typeof d === 'number' ? d : v._shape[d[0]]!)), s, dims);
  }
  // 2. integers and index arrays are advanced indices: broadcast together and gather
  const advAxes: number[] = [];
  const advArrays: MxArray[] = [];
  const advPositions: number[] = [];
  const sliceDims: number[] = [];
  ax = 0;
  entries.forEach((e, pos) => {
    if (e.kind === 'none') return;
    if (e.kind === 'int') {
      advAxes.push(ax), advArrays.push(indexScalar(e.value)), advPositions.push(pos);
    } else if (e.kind === 'array') {
      advAxes.push(ax), advArrays.push(e.array), advPositions.push(pos);
    } else sliceDims.push(v._shape[ax]!);
    ax++;
  });
  let B: number[];
  try {
    B = broadcastShapes(...advArrays.map((a) => a._shape));
  } catch {
    throw new Error(`[${op}] Index arrays with shapes ${advArrays.map((a) => shapeToString(a._shape)).join(', ')} cannot be broadcast together.`);
  }
  const idx = broadcastArrays(advArrays, s);
  const gShape = [...B, ...v._shape.map((d, i) => (advAxes.includes(i) ? 1 : d))];
  const nb = B.length;
  let g = makeArray(gShape, x._dtype, new Primitive(Gather, { axes: advAxes }), [v, ...idx], s);
  g = squeezeTo(g, advAxes.map((a) => nb + a), s); // (B ++ the sliced axes)
  // 3. NumPy's rule: adjacent advanced indices keep their place, otherwise they go first
  const adjacent = advPositions[advPositions.length - 1]! - advPositions[0]! + 1 === advPositions.length;
  const finalShape: number[] = [];
  const isNone: boolean[] = []; // the axes that nulls insert; the others are g's, in order
  let k = 0; // slice dims placed before the advanced block
  let placed = false;
  let si = 0;
  entries.forEach((e, pos) => {
    if (adjacent && !placed && pos === advPositions[0]) {
      finalShape.push(...B);
      isNone.push(...B.map(() => false));
      placed = true;
    }
    if (e.kind === 'none') finalShape.push(1), isNone.push(true);
    else if (e.kind === 'slice') {
      finalShape.push(sliceDims[si++]!), isNone.push(false);
      if (!placed && adjacent) k++;
    }
  });
  if (!adjacent) finalShape.unshift(...B), isNone.unshift(...B.map(() => false));
  if (adjacent && k > 0) {
    const perm = [...Array.from({ length: k }, (_, i) => nb + i), ...Array.from({ length: nb }, (_, i) => i)];
    for (let i = nb + k; i < nb + sliceDims.length; i++) perm.push(i);
    g = transpose(g, perm, s);
  }
  let gAxis = 0;
  return reshapeTo(g, finalShape, s, isNone.map((none): ReshapeDim => (none ? 1 : [gAxis, ++gAxis])));
}

/** Row-major flat positions of every element of `a`, shaped like `a` (for scatters). */
function positionsOf(shape: readonly number[]): MxArray {
  const n = shapeSize(shape);
  const flat = n < 2 ** 31 ? Int32Array.from({ length: n }, (_, i) => i) : BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
  return reshape(new MxArray(flat as unknown as ScalarOrArray), [...shape]);
}

/** The update value: cast to a's dtype (weak scalars), leading 1s dropped, broadcast. */
function valueArray(value: unknown, dtype: Dtype, op: string): MxArray {
  if (value instanceof MxArray) return value._check();
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return asArray(value, 'value', op);
  return scalarToArray(value, dtype);
}

/**
 * `indexing`: the value goes in as MLX's `a.at[i]` and `a[i] = v` take it when an index is an
 * array (its scatter path): every leading 1 squeezed, broadcast in the value's own dtype, and
 * cast last (inside its scatter). Then each broadcast copy gets its own cotangent before the
 * cast's rule: a bool target's float update gets the count of its copies, not `true`; a bool
 * update gets MLX's int32 count. With slices and integers only, MLX goes through slice_update,
 * which casts first, as slice_update and put_along_axis do here.
 */
function updateValue(value: unknown, dtype: Dtype, target: number[], op: string, s?: StreamOrDevice, indexing = false): MxArray {
  const given = valueArray(value, dtype, op);
  let u = indexing ? given : astype(given, dtype, s);
  let shape = u._shape;
  while (shape.length > (indexing ? 0 : target.length) && shape[0] === 1) shape = shape.slice(1);
  let ok = shape.length <= target.length;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes(shape, target), target);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new Error(`[${op}] Cannot broadcast value of shape ${shapeToString(u._shape)} into the indexed shape ${shapeToString(target)}.`);
  if (!shapesEqual(shape, u._shape)) u = reshape(u, shape, s);
  return astype(broadcastTo(u, target, s), dtype, s);
}

function scatterAt(x: MxArray, positions: MxArray, value: unknown, reduce: ScatterReduce, op: string, s?: StreamOrDevice, indexing = false): MxArray {
  const u = updateValue(value, x._dtype, [...positions._shape], op, s, indexing);
  return makeArray([...x._shape], x._dtype, new Primitive(Scatter, { reduce }), [x, positions, u], s);
}

function indexList(index: unknown): unknown[] {
  return Array.isArray(index) ? index : [index];
}

/** Whether MLX's Python indexing updates `a[index]` through a scatter: an array among the indices. */
const hasArrayIndex = (list: unknown[]): boolean => list.some((ix) => ix instanceof MxArray || Array.isArray(ix));

/** take(a, indices, axis?): gather along one axis; without an axis, from the flattened array. */
export function take(array: ScalarOrArray, indices: ScalarOrArray, axis?: number | null, s?: StreamOrDevice): MxArray {
  const x = asArray(array, 'array', 'take');
  const idx: unknown = indices;
  if (axis === undefined || axis === null) {
    return getIndex(reshape(x, [-1], s), [idx], 'take', s);
  }
  const ax = normalizeAxis(axis, x.ndim, 'take');
  const list: unknown[] = Array.from({ length: ax }, () => Slice());
  list.push(idx);
  return getIndex(x, list, 'take', s);
}

/**
 * The inputs of GatherAxis / ScatterAxis as MLX's take/put_along_axis broadcast them: every
 * axis but `axis` broadcast between the array and the indices; null axis: both flattened.
 */
function alongAxisOperands(array: ScalarOrArray, indices: ScalarOrArray, axis: number | null | undefined, op: string, s?: StreamOrDevice): { x: MxArray; idx: MxArray; ax: number } {
  const name = op === 'take_along_axis' ? 'takeAlongAxis' : 'putAlongAxis';
  let x = asArray(array, 'array', name);
  let idx = indexArray(asArray(indices, 'indices', name), name);
  let ax: number;
  if (axis === undefined || axis === null) {
    x = reshape(x, [-1], s);
    idx = reshape(idx, [-1], s);
    ax = 0;
  } else ax = normalizeAxis(axis, x.ndim, name);
  if (idx.ndim !== x.ndim) {
    throw new Error(`[${op}] Indices of dimension ${idx.ndim} does not match array of dimension ${x.ndim}.`);
  }
  const xShape = [...x._shape];
  xShape[ax] = 1;
  const iShape = [...idx._shape];
  iShape[ax] = 1;
  const common = broadcastShapes(xShape, iShape);
  if (inDynamicTracing()) {
    // a shapeless compile records: each broadcast against the other (so a replay infers the
    // shapes again), the axis moved last, where Broadcast can leave it out
    const perm = [...Array(x.ndim).keys()].filter((d) => d !== ax).concat(ax);
    const back = perm.map((_, d) => perm.indexOf(d));
    const [xt, it] = [transpose(x, perm, s), transpose(idx, perm, s)];
    return { x: transpose(broadcastAgainst(xt, [it], 1, s), back, s), idx: transpose(broadcastAgainst(it, [xt], 1, s), back, s), ax };
  }
  const to = (a: MxArray) => {
    const t = [...common];
    t[ax] = a._shape[ax]!;
    return shapesEqual(t, a._shape) ? a : broadcastTo(a, t, s);
  };
  return { x: to(x), idx: to(idx), ax };
}

/** takeAlongAxis(a, indices, axis): indices broadcast with a except on `axis`; null: flattened. */
export function takeAlongAxis(array: ScalarOrArray, indices: ScalarOrArray, axis?: number | null, s?: StreamOrDevice): MxArray {
  const { x, idx, ax } = alongAxisOperands(array, indices, axis, 'take_along_axis', s);
  return makeArray([...idx._shape], x._dtype, new Primitive(GatherAxis, { axis: ax }), [x, idx], s);
}

/**
 * putAlongAxis(a, indices, values, axis): the scatter counterpart of takeAlongAxis; a and the
 * indices broadcast as there (so the result can be larger than a, as MLX's), values broadcast
 * to the indices and cast to a's dtype; a null axis writes into the flattened array.
 */
export function putAlongAxis(array: ScalarOrArray, indices: ScalarOrArray, values: ScalarOrArray, axis?: number | null, s?: StreamOrDevice): MxArray {
  const orig = asArray(array, 'array', 'putAlongAxis');
  const { x, idx, ax } = alongAxisOperands(orig, indices, axis, 'put_along_axis', s);
  let u = updateValue(values, x._dtype, [...idx._shape], 'put_along_axis', s);
  const given = valueArray(values, x._dtype, 'put_along_axis');
  if (inDynamicTracing() && given.ndim <= idx.ndim) u = broadcastAgainst(astype(given, x._dtype, s), [idx], 0, s);
  const out = makeArray([...x._shape], x._dtype, new Primitive(ScatterAxis, { axis: ax, reduce: 'none' }), [x, idx, u], s);
  return axis === undefined || axis === null ? reshape(out, [...orig._shape], s) : out;
}

/** Index arrays of an open grid over `sizes`, starting at `starts` (lazy scalars or 0). */
function dynamicGrid(x: MxArray, startIndices: unknown, axes: number[], sizes: number[], op: string, s?: StreamOrDevice): MxArray {
  const nd = x.ndim;
  const start = asArray(startIndices, 'startIndices', op);
  if (!isInteger(start._dtype)) throw new TypeError(`[${op}] startIndices must have an integer dtype, got ${start._dtype.name}.`);
  if (!Array.isArray(axes)) throw new TypeError(`[${op}] axes must be a list of integers.`);
  const ax = axes.map((a) => normalizeAxis(a, nd, op));
  if (new Set(ax).size !== ax.length) throw new Error(`[${op}] Received duplicate axes [${axes.join(', ')}].`);
  if (start.size !== ax.length) throw new Error(`[${op}] startIndices has ${start.size} entries but ${ax.length} axes were given.`);
  if (sizes.length !== nd) throw new Error(`[${op}] slice size ${shapeToString(sizes)} must have one entry per dimension of the array with shape ${shapeToString(x._shape)}.`);
  sizes.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d > x._shape[i]!) {
      throw new RangeError(`[${op}] slice size ${shapeToString(sizes)} does not fit in the array with shape ${shapeToString(x._shape)}.`);
    }
  });
  const flatStart = reshape(start, [-1], s);
  const arrays = sizes.map((d, i) => {
    const r = Array.from({ length: nd }, (_, j) => (j === i ? d : 1));
    let grid = reshape(new MxArray(Int32Array.from({ length: d }, (_, j) => j) as unknown as ScalarOrArray), r, s);
    const k = ax.indexOf(i);
    if (k >= 0) grid = add(grid, getIndex(flatStart, [k], op, s), s);
    return grid;
  });
  const bs = broadcastArrays(arrays, s);
  const g = makeArray([...sizes, ...sizes.map(() => 1)], x._dtype, new Primitive(Gather, { axes: [...Array(nd).keys()] }), [x, ...bs], s);
  return reshape(g, [...sizes], s);
}

/**
 * slice(a, startIndices, axes, sliceSize): MLX's dynamic slice (start positions come from an
 * array). MLX leaves out-of-range windows undefined; here they raise at evaluation.
 */
export function slice(array: ScalarOrArray, startIndices: ScalarOrArray, axes: number[], sliceSize: number[], s?: StreamOrDevice): MxArray {
  const x = asArray(array, 'array', 'slice');
  return dynamicGrid(x, startIndices, axes, checkShape(sliceSize, 'slice', 'sliceSize'), 'slice', s);
}

/** sliceUpdate(src, update, startIndices, axes): writes `update` into a window of a copy of src. */
export function sliceUpdate(src: ScalarOrArray, update: ScalarOrArray, startIndices: ScalarOrArray, axes: number[], s?: StreamOrDevice): MxArray {
  const x = asArray(src, 'src', 'sliceUpdate');
  const u = asArray(update, 'update', 'sliceUpdate');
  if (u.ndim !== x.ndim) {
    throw new Error(`[slice_update] update with shape ${shapeToString(u._shape)} must have as many dimensions as src with shape ${shapeToString(x._shape)}.`);
  }
  const pos = dynamicGrid(positionsOf(x._shape), startIndices, axes, [...u._shape], 'slice_update', s);
  return scatterAt(x, pos, u, 'none', 'slice_update', s);
}

/**
 * A boolean mask for `a[mask] = v` (MLX supports masks in assignments only): a JS boolean, a
 * bool array, or a (nested) JS list of booleans.
 */
function booleanMask(index: unknown): MxArray | null {
  let ix = index;
  if (Array.isArray(ix) && ix.length === 1 && !Array.isArray(ix[0])) ix = ix[0];
  if (typeof ix === 'boolean') return new MxArray(ix);
  if (ix instanceof MxArray) return ix._check()._dtype === bool ? ix : null;
  if (Array.isArray(ix)) {
    let leaf: unknown = ix;
    while (Array.isArray(leaf) && leaf.length) leaf = leaf[0];
    if (typeof leaf === 'boolean') return new MxArray(ix as ScalarOrArray);
  }
  return null;
}

/** MLX's masked_scatter checks: values become (rows, ...a's dims after the mask's). */
function maskedValues(x: MxArray, mask: MxArray, value: unknown): MxArray {
  const op = 'masked_scatter';
  if (mask.ndim > x.ndim) throw new Error(`[${op}] The mask cannot have more dimensions than the target.`);
  if (!mask._shape.every((d, i) => d === x._shape[i])) {
    throw new Error(
      `[${op}] The boolean mask should have the same shape as the beginning of the indexed array but the mask has shape ${shapeToString(mask._shape)} and the array has shape ${shapeToString(x._shape)}.`,
    );
  }
  const unmasked = x.ndim - mask.ndim;
  const inner = x._shape.slice(mask.ndim);
  let u = astype(valueArray(value, x._dtype, op), x._dtype);
  if (u.ndim > unmasked + 1) {
    throw new Error(`[${op}] Value array shape must be broadcastable with the last ${unmasked} dimensions of the input.`);
  }
  if (u.ndim < unmasked + 1) {
    u = reshape(u, [...new Array<number>(unmasked + 1 - u.ndim).fill(1), ...u._shape]);
    return broadcastTo(u, [mask.size, ...inner]);
  }
  return broadcastTo(u, [u._shape[0]!, ...inner]);
}

/** The object `a.at(...)` returns: MLX's ArrayAt (updates that accumulate duplicates). */
export class ArrayAt {
  private readonly indices: unknown[];
  constructor(
    private readonly array: MxArray,
    indices: ArrayIndex | ArrayIndex[],
  ) {
    this.indices = indexList(indices);
  }
  private apply(value: unknown, reduce: ScatterReduce, op: string): MxArray {
    const x = this.array._check();
    const pos = getIndex(positionsOf(x._shape), this.indices, op);
    return scatterAt(x, pos, value, reduce, op, undefined, hasArrayIndex(this.indices));
  }
  add(value: ScalarOrArray): MxArray {
    return this.apply(value, 'sum', 'at.add');
  }
  subtract(value: ScalarOrArray): MxArray {
    const x = this.array._check();
    // MLX negates the value in its own dtype; the scatter casts it (a float into a bool target)
    return this.apply(negative(valueArray(value, x._dtype, 'at.subtract')), 'sum', 'at.subtract');
  }
  multiply(value: ScalarOrArray): MxArray {
    return this.apply(value, 'prod', 'at.multiply');
  }
  divide(value: ScalarOrArray): MxArray {
    // MLX: a scatter_prod of the reciprocal, computed in a float type and cast to a's dtype
    const x = this.array._check();
    return this.apply(reciprocalOf(value, x._dtype), 'prod', 'at.divide');
  }
  maximum(value: ScalarOrArray): MxArray {
    return this.apply(value, 'max', 'at.maximum');
  }
  minimum(value: ScalarOrArray): MxArray {
    return this.apply(value, 'min', 'at.minimum');
  }
}

function reciprocalOf(value: unknown, dtype: Dtype): MxArray {
  const u = valueArray(value, dtype, 'at.divide');
  // mx.reciprocal lives in elementwise.ts (another family); looked up at call time.
  const reciprocal = (elementwise as unknown as Record<string, ((x: MxArray) => MxArray) | undefined>)['reciprocal'];
  if (!reciprocal) throw new Error('[at.divide] needs mx.reciprocal, which is not available yet.');
  return reciprocal(u);
}

declare module '../array.js' {
  interface MxArray {
    index(...index: unknown[]): MxArray;
    /** In place: `a[index] = value` (the handle now holds the updated array). */
    indexPut_(index: ArrayIndex | ArrayIndex[], value: ScalarOrArray): MxArray;
    at(...index: ArrayIndex[]): ArrayAt;
  }
}

Object.assign(MxArray.prototype, {
  index(this: MxArray, ...index: unknown[]): MxArray {
    return getIndex(this._check(), index, 'index');
  },
  indexPut_(this: MxArray, index: ArrayIndex | ArrayIndex[], value: ScalarOrArray): MxArray {
    this._check();
    const mask = booleanMask(index);
    if (mask) {
      const u = maskedValues(this, mask, value);
      overwriteArray(this, (old) => makeArray([...old._shape], old._dtype, new Primitive(MaskedScatter, {}), [old, mask, u]));
      return this;
    }
    const list = indexList(index);
    // Validate and build before touching the handle, so an error leaves `this` unchanged.
    const pos = getIndex(positionsOf(this._shape), list, 'indexPut_');
    const u = updateValue(value, this._dtype, [...pos._shape], 'indexPut_', undefined, hasArrayIndex(list));
    overwriteArray(this, (old) => makeArray([...old._shape], old._dtype, new Primitive(Scatter, { reduce: 'none' }), [old, pos, u]));
    return this;
  },
  at(this: MxArray, ...index: ArrayIndex[]): ArrayAt {
    return new ArrayAt(this._check(), index);
  },
});
