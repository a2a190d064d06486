// Sorting: sort, argsort (stable, NaN last), partition, argpartition and topk along one axis
// (default -1; null sorts the flattened array), as MLX.
import { type MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';
import { Sort, ArgSort, Partition, ArgPartition } from '../primitives/sort.js';
import { type Dtype, uint32 } from '../dtype.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { normalizeAxis, shapeSize, shapeToString } from '../shape.js';
import { asArray } from '../convert.js';
import { sliceView, astype, reshape } from './views.js';
import { less, lessEqual } from './elementwise.js';
import { sum } from './reduce.js';
import { flat, isStreamObject } from './internal.js';


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
