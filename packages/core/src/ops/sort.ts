// Sorting: sort, argsort (stable, NaN last), partition, argpartition and topk along one axis
// (default -1; null sorts the flattened array), as MLX.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';
import { Sort, ArgSort, Partition, ArgPartition } from '../primitives/sort.js';
import { type Dtype, int32, uint32 } from '../dtype.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { normalizeAxis, shapeSize, shapeToString, checkDimension } from '../shape.js';
import { asArray } from '../convert.js';
import { sliceView, astype, reshape } from './views.js';
import { add, less, lessEqual, logicalNot, minimum, notEqual, subtract, where } from './elementwise.js';
import { sum } from './reduce.js';
import { flat, isStreamObject, reshapeTo } from './internal.js';
import { take } from './indexing.js';
import { concatenate } from './shape.js';
import { cumsum } from './scan.js';
import { arange, full, zeros } from './creation.js';


/** The array and axis to work on: `null` flattens, `undefined` means the last axis. */
function axisOf(x: MxArray, axis: unknown, op: string, s: StreamOrDevice): [MxArray, number] {
  if (axis === null) return [flat(x, s), 0];
  if (axis !== undefined && typeof axis !== 'number') throw new TypeError(`[${op}] axis must be a number or null, got ${String(axis)}.`);
  return [x, normalizeAxis(axis ?? -1, x._shape.length, op)];
}

function sortLike(op: string, def: PrimitiveDef<{ axis: number }>, out: (d: Dtype) => Dtype) {
  return (array: ScalarOrArray, axis?: number | null | Stream | Device, s?: StreamOrDevice): MxArray => {
    if (isStreamObject(axis)) [axis, s] = [undefined, axis]; // node-mlx's `argsort(a, s)`
    const [x, ax] = axisOf(asArray(array, 'array', op), axis, op, s);
    return makeArray([...x._shape], out(x._dtype), new Primitive(def, { axis: ax }), [x], s);
  };
}

/** A stably sorted copy along `axis` (default -1; null: the flattened array). NaNs sort last. */
export const sort = sortLike('sort', Sort, (d) => d);
/** uint32 indices that stably sort along `axis` (default -1; null: the flattened array). */
export const argsort = sortLike('argsort', ArgSort, () => uint32);

function checkKth(x: MxArray, kth: unknown, axis: number, given: unknown, op: string): number {
  if (typeof kth !== 'number' || !Number.isInteger(kth)) throw new TypeError(`[${op}] kth must be an integer, got ${String(kth)}.`);
  const n = x._shape[axis]!;
  const k = kth < 0 ? kth + n : kth;
  if (k < 0 || k >= n) {
    throw new RangeError(`[${op}] Received invalid kth ${kth} along axis ${String(given ?? -1)} for array with shape: ${shapeToString(x._shape)}.`);
  }
  return k;
}

function partitionLike(op: string, def: PrimitiveDef<{ kth: number; axis: number }>, out: (d: Dtype) => Dtype) {
  return (array: ScalarOrArray, kth: number, axis?: number | null, s?: StreamOrDevice): MxArray => {
    if (isStreamObject(axis)) [axis, s] = [undefined, axis];
    const [x, ax] = axisOf(asArray(array, 'array', op), axis, op, s);
    const k = checkKth(x, kth, ax, axis, op);
    return makeArray([...x._shape], out(x._dtype), new Primitive(def, { kth: k, axis: ax }), [x], s);
  };
}

/**
 * A copy where the element at `kth` is in its sorted place, smaller-or-equal ones before and
 * greater-or-equal ones after (the order within each side is unspecified, as in MLX).
 */
export const partition = partitionLike('partition', Partition, (d) => d);
/** uint32 indices that partition along `axis` around `kth` (see partition). */
export const argpartition = partitionLike('argpartition', ArgPartition, () => uint32);

/**
 * The `k` largest elements along `axis` (default -1; null: the flattened array), as one array
 * like MLX (node-mlx's d.ts declares a pair; MLX returns one array). The order of the result
 * is unspecified in MLX; this backend returns them in ascending order.
 */
export function topk(array: ScalarOrArray, k: number, axis?: number | null, s?: StreamOrDevice): MxArray {
  if (isStreamObject(axis)) [axis, s] = [undefined, axis];
  const [x, ax] = axisOf(asArray(array, 'array', 'topk'), axis, 'topk', s);
  const n = x._shape[ax]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`[topk] Received invalid k=${String(k)} along axis ${String(axis ?? -1)} for array with shape: ${shapeToString(x._shape)}.`);
  }
  if (k === n) return x;
  const p = partition(x, -k, ax, s);
  const start = x._shape.map((_, i) => (i === ax ? n - k : 0));
  return sliceView(p, start, [...x._shape], x._shape.map(() => 1), s);
}

/**
 * MLX's searchsorted: for each value, the number of elements of the 1-D ascending sequence
 * strictly below it ('left') or at most it ('right'), as uint32 of the values' shape.
 * Composed as a comparison against every element and a sum (plain; a kernel can come later).
 */
export function searchsorted(sortedSequence: ScalarOrArray, values: ScalarOrArray, side: 'left' | 'right' = 'left', s?: StreamOrDevice): MxArray {
  const seq = asArray(sortedSequence, 'sortedSequence', 'searchsorted');
  const v = asArray(values, 'values', 'searchsorted');
  if (seq.ndim !== 1) throw new Error(`[searchsorted] The sorted sequence must be 1-D but has ${seq.ndim} dimensions.`);
  if (side !== 'left' && side !== 'right') throw new TypeError(`[searchsorted] side must be 'left' or 'right', got '${String(side)}'.`);
  const vv = reshapeForSearch(v, s);
  const hits = side === 'left' ? less(seq, vv, s) : lessEqual(seq, vv, s);
  return astype(sum(hits, -1, false, s), uint32, s);
}

function reshapeForSearch(v: MxArray, s?: StreamOrDevice): MxArray {
  return reshape(v, [...v.shape, 1], s ?? undefined);
}

/**
 * MLX's unique: the sorted unique elements of the flattened array, `size` of them whatever the
 * values (the output shape never depends on the data, so nothing is evaluated here). Extra
 * entries hold `fillValue` (default: the smallest element) with count 0 and the first entry's
 * index; a smaller `size` keeps the smallest values, and `inverse` is clamped to size - 1.
 * NaNs are all distinct and sort last; -0 and 0 are one value. With any of the flags set,
 * returns [values, index?, inverse?, counts?] in that order (index and inverse uint32, counts
 * int32).
 */
export function unique(
  array: ScalarOrArray,
  size: number,
  returnIndex = false,
  returnInverse = false,
  returnCounts = false,
  fillValue?: ScalarOrArray | null,
  s?: StreamOrDevice,
): MxArray | MxArray[] {
  const x = asArray(array, 'array', 'unique');
  if (typeof size !== 'number' || !Number.isInteger(size)) throw new TypeError(`[unique] size must be an integer, got ${String(size)}.`);
  if (size < 0) throw new RangeError(`[unique] Received negative size ${size}.`);
  checkDimension(size, 'unique', 'size');
  const n = shapeSize(x._shape);
  let fill: MxArray | null = null;
  if (fillValue !== undefined && fillValue !== null) {
    const f = asArray(fillValue, 'fillValue', 'unique');
    if (shapeSize(f._shape) !== 1) throw new Error(`[unique] Fill value must have one element, but got shape ${shapeToString(f._shape)}.`);
    fill = astype(reshapeTo(f, [], s), x._dtype, s);
  } else if (n === 0 && size > 0) {
    throw new Error('[unique] A fill value is required for an empty input with a non-zero size.');
  }
  let values: MxArray, index: MxArray, inverse: MxArray, counts: MxArray;
  if (n === 0) {
    values = full([size], fill ?? new MxArray(0, x._dtype), undefined, s);
    index = zeros([size], uint32, s);
    inverse = zeros(x._shape, uint32, s);
    counts = zeros([size], int32, s);
  } else {
    const flatX = flat(x, s);
    const order = argsort(flatX, 0, s);
    const sorted = take(flatX, order, 0, s);
    // true where a sorted element differs from the one before it (NaN != NaN: each NaN is new)
    const isNew = concatenate([new MxArray([true]), notEqual(sliceView(sorted, [1], [n], [1], s), sliceView(sorted, [0], [n - 1], [1], s), s)], 0, s);
    const groups = sum(isNew, false, s);
    // The sorted positions where each value starts, in order: a stable sort of "not new" puts them first.
    const starts = argsort(logicalNot(isNew, s), 0, s);
    const k = arange(0, size, 1, int32, s);
    const startOf = (i: MxArray): MxArray => take(starts, minimum(i, BigInt(n - 1), s), 0, s);
    const valid = less(k, groups, s);
    const start = startOf(k);
    values = where(valid, take(sorted, start, 0, s), fill ?? take(sorted, 0, 0, s), s);
    index = where(valid, take(order, start, 0, s), take(order, 0, 0, s), s);
    const next = where(less(add(k, 1n, s), groups, s), startOf(add(k, 1n, s)), BigInt(n), s);
    counts = where(valid, astype(subtract(next, start, s), int32, s), 0n, s);
    // each element's group: the running count of starts, read back in the input's order
    const group = subtract(cumsum(isNew, 0, false, true, s), 1n, s);
    const inOrder = take(group, argsort(order, 0, s), 0, s);
    inverse = size === 0 ? zeros(x._shape, uint32, s) : reshapeTo(astype(minimum(inOrder, BigInt(size - 1), s), uint32, s), [...x._shape], s);
  }
  const flags: [boolean, MxArray][] = [[returnIndex, index], [returnInverse, inverse], [returnCounts, counts]];
  if (!flags.some(([on]) => on)) return values;
  return [values, ...flags.filter(([on]) => on).map(([, out]) => out)];
}
