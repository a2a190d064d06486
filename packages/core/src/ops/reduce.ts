// Reductions: sum, prod, max, min, all, any, argmax, argmin (Reduce / ArgReduce primitives)
// and the composed ones, as MLX builds them: mean, variance, std, logsumexp, softmax.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Reduce, ArgReduce, NumberOfElements, type ReduceType, type ArgReduceType } from '../primitives/reduce.js';
import { Reshape } from '../primitives/views.js';
import { type Dtype, bool, int32, int64, uint32, uint64, float32, float16, bfloat16, isComplex, isInexact } from '../dtype.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { normalizeAxes, normalizeAxis, shapeSize, shapesEqual } from '../shape.js';
import { asArray } from '../convert.js';
import { isStreamObject, reshapeTo, squeezeTo, flat } from './internal.js';
import { inDynamicTracing } from '../transforms/trace.js';
import { astype, sliceView, transpose } from './views.js';
import { sort } from './sort.js';
import { atLeastFloat } from './apply.js';
import { zeros } from './creation.js';
import {
  add,
  subtract,
  multiply,
  exp,
  divide,
  square,
  sqrt,
  log,
  where,
  isinf,
  real,
  conjugate,
  stopGradient,
  maximum,
  notEqual,
  isnan,
} from './elementwise.js';

type Axes = number | number[] | null | undefined;


function checkBool(v: unknown, op: string, name: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new TypeError(`[${op}] ${name} must be a boolean, got ${String(v)}.`);
  return v;
}

function checkAxesArg(axis: unknown, op: string): Axes {
  if (axis === undefined || axis === null || typeof axis === 'number') return axis;
  if (Array.isArray(axis) && axis.every((a) => typeof a === 'number')) return axis as number[];
  throw new TypeError(`[${op}] axis must be a number, an array of numbers or null, got ${String(axis)}.`);
}


/** node-mlx's two overloads: `(keepdims?, s?)` and `(axis?, keepdims?, s?)`. */
function reduceArgs(op: string, args: unknown[]): { axis: Axes; keepdims: boolean; s: StreamOrDevice } {
  if (isStreamObject(args[0])) return { axis: undefined, keepdims: false, s: args[0] };
  if (typeof args[0] === 'boolean') return { axis: undefined, keepdims: args[0], s: args[1] as StreamOrDevice };
  if (isStreamObject(args[1])) return { axis: checkAxesArg(args[0], op), keepdims: false, s: args[1] };
  return { axis: checkAxesArg(args[0], op), keepdims: checkBool(args[1], op, 'keepdims'), s: args[2] as StreamOrDevice };
}

/** The accumulation dtype of sum/prod (MLX: small ints widen to 32 bits, bool to int32). */
function sumDtype(d: Dtype): Dtype {
  if (d === bool) return int32;
  if (d.kind === 'i') return d.size <= 4 ? int32 : int64;
  if (d.kind === 'u') return d.size <= 4 ? uint32 : uint64;
  return d;
}

/** Axes of a reduction: all when omitted; negatives wrapped; duplicates and out-of-range rejected. */
function reduceAxes(x: MxArray, axis: Axes, op: string): number[] {
  return normalizeAxes(axis, x._shape.length, op).sort((a, b) => a - b);
}

function reduceOp(x: MxArray, type: ReduceType, axis: Axes, keepdims: boolean, s: StreamOrDevice, op: string): MxArray {
  const axes = reduceAxes(x, axis, op);
  const outD = type === 'sum' || type === 'prod' ? sumDtype(x._dtype) : type === 'and' || type === 'or' ? bool : x._dtype;
  // MLX returns the input itself when asked to sum/prod/max/min over no axes.
  if (axes.length === 0 && type !== 'and' && type !== 'or') return x;
  const keepShape = x._shape.map((d, i) => (axes.includes(i) ? 1 : d));
  if (type === 'max' || type === 'min') {
    for (const a of axes) {
      if (x._shape[a] === 0) throw new Error(`[${op}] Cannot ${op} reduce over axis ${a} with size 0.`);
    }
  }
  let out: MxArray;
  // every reduced axis has size 1: nothing to reduce (unless a shapeless replay may give them other sizes)
  if (shapesEqual(keepShape, x._shape) && !inDynamicTracing()) {
    out = astype(x, outD, s);
  } else {
    out = makeArray(keepShape, outD, new Primitive(Reduce, { type, axes }), [x], s);
  }
  if (!keepdims) out = squeezeTo(out, axes, s);
  return out;
}

type ReduceFn = {
  (array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
  (array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
};

function makeReduce(op: string, type: ReduceType): ReduceFn {
  return ((array: ScalarOrArray, ...args: unknown[]) => {
    const x = asArray(array, 'array', op);
    const { axis, keepdims, s } = reduceArgs(op, args);
    return reduceOp(x, type, axis, keepdims, s, op);
  }) as ReduceFn;
}

/** Sum over `axis` (all axes when omitted). bool and ints up to 32 bits sum in int32/uint32. */
export const sum: ReduceFn = makeReduce('sum', 'sum');
/** Product over `axis`; same dtype rules as sum. */
export const prod: ReduceFn = makeReduce('prod', 'prod');
/** Maximum over `axis`; NaN propagates; an empty reduced axis is an error. */
export const max: ReduceFn = makeReduce('max', 'max');
/** Minimum over `axis`; NaN propagates; an empty reduced axis is an error. */
export const min: ReduceFn = makeReduce('min', 'min');
/** Logical and over `axis` (true for an empty axis). */
export const all: ReduceFn = makeReduce('all', 'and');
/** Logical or over `axis` (false for an empty axis). */
export const any: ReduceFn = makeReduce('any', 'or');

type ArgReduceFn = {
  (array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
  (array: ScalarOrArray, axis?: number | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
};

function makeArgReduce(op: string, type: ArgReduceType): ArgReduceFn {
  return ((array: ScalarOrArray, ...args: unknown[]) => {
    const x = asArray(array, 'array', op);
    const { axis, keepdims, s } = reduceArgs(op, args);
    if (Array.isArray(axis)) throw new TypeError(`[${op}] axis must be a single number or null, got [${axis.join(', ')}].`);
    const nd = x._shape.length;
    if (axis === undefined || axis === null) {
      // MLX: reduce the flattened array, then shape the scalar result.
      const r = argReduceAxis(flat(x, s), type, 0, s, op);
      return reshapeTo(r, keepdims ? new Array<number>(nd).fill(1) : [], s);
    }
    const ax = normalizeAxis(axis, nd, op);
    const r = argReduceAxis(x, type, ax, s, op);
    return keepdims ? r : squeezeTo(r, [ax], s);
  }) as ArgReduceFn;
}

function argReduceAxis(x: MxArray, type: ArgReduceType, axis: number, s: StreamOrDevice, op: string): MxArray {
  if (shapeSize(x._shape) === 0) throw new Error(`[${op}] Cannot ${op} reduce zero size array.`);
  const shape = x._shape.map((d, i) => (i === axis ? 1 : d));
  // MLX: over a size-1 axis the answer is a constant 0, no ArgReduce node (so no tape entry),
  // unless a shapeless replay may give the axis another size
  if (x._shape[axis] === 1 && !inDynamicTracing()) return zeros(shape, uint32, s);
  return makeArray(shape, uint32, new Primitive(ArgReduce, { type, axis }), [x], s);
}

/** Index (uint32) of the first maximum along `axis` (of the flattened array when omitted); a NaN wins. */
export const argmax: ArgReduceFn = makeArgReduce('argmax', 'argmax');
/** Index (uint32) of the first minimum along `axis` (of the flattened array when omitted); a NaN wins. */
export const argmin: ArgReduceFn = makeArgReduce('argmin', 'argmin');

/** A 0-d constant of `dtype` (MLX's number_of_elements is computed in double, then cast). */
function constant(v: number, dtype: Dtype): MxArray {
  return new MxArray(v, dtype);
}

function reducedCount(x: MxArray, axes: number[]): number {
  let n = 1;
  for (const a of axes) n *= x._shape[a]!;
  return n;
}

/**
 * MLX's number_of_elements: the count over `axes` (or its reciprocal), a constant, or a node
 * that counts again when a shapeless compile replays with new shapes.
 */
function elementCount(x: MxArray, axes: number[], inverted: boolean, dtype: Dtype, s: StreamOrDevice): MxArray {
  if (inDynamicTracing()) return makeArray([], dtype, new Primitive(NumberOfElements, { axes, inverted, dtype }), [x], s);
  const n = reducedCount(x, axes);
  return constant(inverted ? 1 / n : n, dtype);
}

function meanImpl(x: MxArray, axis: Axes, keepdims: boolean, s: StreamOrDevice, op: string): MxArray {
  const axes = reduceAxes(x, axis, op);
  const dtype = atLeastFloat(x._dtype);
  // As MLX: sum (in the sum dtype) times 1/n; an empty reduction gives 0 * inf = nan.
  return multiply(reduceOp(x, 'sum', axes, keepdims, s, op), elementCount(x, axes, true, dtype, s), s);
}

/** Mean over `axis` (all axes when omitted); at least float32. */
export function mean(array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function mean(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function mean(array: ScalarOrArray, ...args: unknown[]): MxArray {
  const x = asArray(array, 'array', 'mean');
  const { axis, keepdims, s } = reduceArgs('mean', args);
  return meanImpl(x, axis, keepdims, s, 'mean');
}

function varArgs(op: string, args: unknown[]): { axis: Axes; keepdims: boolean; ddof: number; s: StreamOrDevice } {
  let axis: Axes, keepdims: boolean, ddof: unknown, s: unknown;
  const at = args.findIndex(isStreamObject); // node-mlx also has `std(a, s)`
  if (at >= 0) args = [...args.slice(0, at), ...new Array<unknown>(Math.max(0, 3 - at)).fill(undefined), args[at]];
  if (typeof args[0] === 'boolean') [keepdims, ddof, s] = [args[0], args[1], args[2]];
  else [axis, keepdims, ddof, s] = [checkAxesArg(args[0], op), checkBool(args[1], op, 'keepdims'), args[2], args[3]];
  ddof ??= 0;
  if (typeof ddof !== 'number' || !Number.isInteger(ddof)) throw new TypeError(`[${op}] ddof must be an integer, got ${String(ddof)}.`);
  return { axis, keepdims, ddof, s: s as StreamOrDevice };
}

function varianceImpl(x: MxArray, axis: Axes, keepdims: boolean, ddof: number, s: StreamOrDevice, op: string): MxArray {
  const axes = reduceAxes(x, axis, op);
  let dtype = atLeastFloat(x._dtype);
  const mu = meanImpl(x, axes, true, s, op);
  const d = subtract(x, mu, s);
  // Complex variance is the mean squared magnitude: d * conj(d) is real and non-negative.
  const complexIn = isComplex(dtype);
  const sq = complexIn ? real(multiply(d, conjugate(d, s), s), s) : square(d, s);
  if (complexIn) dtype = float32;
  const v = reduceOp(sq, 'sum', axes, keepdims, s, op);
  if (ddof !== 0 && inDynamicTracing()) {
    return divide(v, maximum(subtract(elementCount(x, axes, false, dtype, s), constant(ddof, dtype), s), constant(0, dtype), s), s);
  }
  if (ddof !== 0) return divide(v, constant(Math.max(reducedCount(x, axes) - ddof, 0), dtype), s);
  return multiply(v, elementCount(x, axes, true, dtype, s), s);
}

/** Variance over `axis` with divisor max(N - ddof, 0) (MLX's `var`; node-mlx's `variance`). */
export function variance(array: ScalarOrArray, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
export function variance(
  array: ScalarOrArray,
  axis?: number | number[] | null,
  keepdims?: boolean,
  ddof?: number,
  s?: StreamOrDevice,
): MxArray;
export function variance(array: ScalarOrArray, ...args: unknown[]): MxArray {
  const x = asArray(array, 'array', 'variance');
  const { axis, keepdims, ddof, s } = varArgs('variance', args);
  return varianceImpl(x, axis, keepdims, ddof, s, 'variance');
}

/** Standard deviation: sqrt of variance. */
export function std(array: ScalarOrArray, s?: Stream | Device): MxArray;
export function std(array: ScalarOrArray, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
export function std(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
export function std(array: ScalarOrArray, ...args: unknown[]): MxArray {
  const x = asArray(array, 'array', 'std');
  const { axis, keepdims, ddof, s } = varArgs('std', args);
  return sqrt(varianceImpl(x, axis, keepdims, ddof, s, 'std'), s);
}

/** log(sum(exp(a))) over `axis`, computed stably around the maximum. */
export function logsumexp(array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function logsumexp(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function logsumexp(array: ScalarOrArray, ...args: unknown[]): MxArray {
  let x = asArray(array, 'array', 'logsumexp');
  const { axis, keepdims, s } = reduceArgs('logsumexp', args);
  if (shapeSize(x._shape) === 0) throw new Error('[logsumexp] Received empty array.');
  if (x._shape.length === 0 && axis !== undefined && axis !== null && !(Array.isArray(axis) && axis.length === 0)) {
    throw new Error('[logsumexp] Received non-empty axes for array with 0 dimensions.');
  }
  const axes = reduceAxes(x, axis, 'logsumexp');
  // MLX's fused path (the last axis) computes in at-least-float; its general path subtracts
  // the maximum in the input dtype first (integers wrap there, as in MLX).
  const given = axis === undefined || axis === null ? axes : typeof axis === 'number' ? [axis] : axis;
  if (!isComplex(x._dtype) && reducesLastDim(given, x._shape)) x = astype(x, atLeastFloat(x._dtype), s);
  const maxval = stopGradient(reduceOp(x, 'max', axes, true, s, 'logsumexp'), s);
  let out = log(reduceOp(exp(subtract(x, maxval, s), s), 'sum', axes, keepdims, s, 'logsumexp'), s);
  const m = keepdims ? maxval : squeezeTo(maxval, axes, s);
  out = add(out, m, s);
  // An infinite maximum would give inf - inf = nan above; the answer is the maximum itself.
  return where(isinf(m, s), m, out, s);
}

/** exp(a) / sum(exp(a)) over `axis` (all axes when omitted). `precise` computes half types in float32. */
/** MLX's test for its fused last-axis path: axes end at the last axis, earlier ones size 1. */
function reducesLastDim(list: number[], shape: readonly number[]): boolean {
  const nd = shape.length;
  let last = list.length > 0 && (list[list.length - 1] === nd - 1 || list[list.length - 1] === -1);
  for (let i = list.length - 2; last && i >= 0; i--) {
    if (list[i]! + 1 !== list[i + 1] || shape[list[i]!] !== 1) last = false;
  }
  return last;
}

export function softmax(array: ScalarOrArray, axis?: number | number[] | null, precise?: boolean, s?: StreamOrDevice): MxArray {
  if (isStreamObject(axis)) [axis, s] = [undefined, axis];
  else if (isStreamObject(precise)) [precise, s] = [undefined, precise];
  const a = asArray(array, 'array', 'softmax');
  const ax = checkAxesArg(axis, 'softmax');
  const isPrecise = checkBool(precise, 'softmax', 'precise');
  if (shapeSize(a._shape) === 0) return a;
  const given = ax === undefined || ax === null ? null : typeof ax === 'number' ? [ax] : ax;
  if (a._shape.length === 0 && given && given.length > 0) {
    throw new Error('[softmax] Received non-empty axes for array with 0 dimensions.');
  }
  const axes = reduceAxes(a, ax, 'softmax');
  const nd = a._shape.length;
  // MLX's fused path (last axis, possibly with leading size-1 axes) computes in at least
  // float; its general path subtracts the maximum in the input dtype (integers wrap) and
  // casts the result back to the input dtype (so ints mostly give zeros there).
  const lastDim = reducesLastDim(given ?? axes, a._shape);
  const complexIn = isComplex(a._dtype);
  const outD = !complexIn && lastDim ? atLeastFloat(a._dtype) : a._dtype;
  let x = complexIn || !lastDim ? a : astype(a, atLeastFloat(a._dtype), s);
  if (isPrecise && !complexIn && (!lastDim || x._dtype === float16 || x._dtype === bfloat16)) x = astype(x, float32, s);
  const m = stopGradient(reduceOp(x, 'max', axes, true, s, 'softmax'), s);
  const ex = exp(subtract(x, m, s), s);
  return astype(divide(ex, reduceOp(ex, 'sum', axes, true, s, 'softmax'), s), outD, s);
}

declare module '../array.js' {
  interface MxArray {
    sum(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    sum(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    prod(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    prod(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    max(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    max(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    min(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    min(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    all(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    all(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    any(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    any(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    argmax(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    argmax(axis?: number | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    argmin(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    argmin(axis?: number | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    mean(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    mean(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
    variance(keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
    variance(axis?: number | number[] | null, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
    std(keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
    std(axis?: number | number[] | null, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
    logsumexp(keepdims?: boolean, s?: StreamOrDevice): MxArray;
    logsumexp(axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
  }
}

// Array methods forward to the ops with the same arguments.
const method =
  (f: (array: ScalarOrArray, ...args: any[]) => MxArray) =>
  function (this: MxArray, ...args: unknown[]): MxArray {
    return f(this, ...args);
  };
Object.assign(MxArray.prototype, {
  sum: method(sum),
  prod: method(prod),
  max: method(max),
  min: method(min),
  all: method(all),
  any: method(any),
  argmax: method(argmax),
  argmin: method(argmin),
  mean: method(mean),
  variance: method(variance),
  std: method(std),
  logsumexp: method(logsumexp),
});

// ---- more reductions MLX composes from the ones above (mlx/ops.cpp) ----

/** MLX's and the Array API's `var` (a JS binding can't be called `var`, an export can). */
export { variance as var };

/** The number of elements that are not zero over `axis` (all axes when omitted), as int32. */
export function countNonzero(array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function countNonzero(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function countNonzero(array: ScalarOrArray, ...args: unknown[]): MxArray {
  const x = asArray(array, 'array', 'count_nonzero');
  const { axis, keepdims, s } = reduceArgs('count_nonzero', args);
  const nonzero = astype(notEqual(x, new MxArray(0, x._dtype), s), int32, s);
  return reduceOp(nonzero, 'sum', axis, keepdims, s, 'count_nonzero');
}

/** [min, max] over `axis` (all axes when omitted): the two reductions, as MLX's minmax. */
export function minmax(array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): [MxArray, MxArray];
export function minmax(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): [MxArray, MxArray];
export function minmax(array: ScalarOrArray, ...args: unknown[]): [MxArray, MxArray] {
  const x = asArray(array, 'array', 'minmax');
  const { axis, keepdims, s } = reduceArgs('minmax', args);
  return [reduceOp(x, 'min', axis, keepdims, s, 'min'), reduceOp(x, 'max', axis, keepdims, s, 'max')];
}

/**
 * The median over `axis` (all axes when omitted), at least float32. As MLX: the reduced axes
 * move to the back and flatten, one sort, the middle element (the mean of the two middle
 * ones for an even count), and NaN wherever the reduced elements hold a NaN.
 */
export function median(array: ScalarOrArray, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function median(array: ScalarOrArray, axis?: number | number[] | null, keepdims?: boolean, s?: StreamOrDevice): MxArray;
export function median(array: ScalarOrArray, ...args: unknown[]): MxArray {
  const x = asArray(array, 'array', 'median');
  const { axis, keepdims, s } = reduceArgs('median', args);
  const nd = x._shape.length;
  const given = axis === undefined || axis === null ? [...Array(nd).keys()] : typeof axis === 'number' ? [axis] : axis;
  for (const a of given) {
    if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`[median] axis ${a} is out of bounds for array with ${nd} dimensions.`);
  }
  const axes = [...new Set(given.map((a) => (a < 0 ? a + nd : a)))].sort((p, q) => p - q);
  if (axes.length !== given.length) throw new Error('[median] Received duplicate axis.');
  const kept = [...Array(nd).keys()].filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x._shape[i]!);
  const n = reducedCount(x, axes);
  if (n === 0) throw new Error('[median] Cannot take median along empty axis.');
  const rows = reshapeTo(transpose(x, [...kept, ...axes], s), [...keptShape, n], s);
  const sorted = sort(rows, -1, s);
  const dtype = atLeastFloat(x._dtype);
  const column = (k: number): MxArray =>
    astype(sliceView(sorted, [...keptShape.map(() => 0), k], [...keptShape, k + 1], rows._shape.map(() => 1), s), dtype, s);
  const mid = n >> 1;
  let m = column(mid);
  if (n % 2 === 0) m = multiply(add(m, column(mid - 1), s), new MxArray(0.5, dtype), s);
  // The sort puts NaNs last, where the middle never reaches: propagate them as max/min/mean do.
  if (isInexact(x._dtype)) m = where(any(isnan(rows, s), -1, true, s), new MxArray(NaN, dtype), m, s);
  return reshapeTo(m, keepdims ? x._shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape, s);
}

declare module '../array.js' {
  interface MxArray {
    var(keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
    var(axis?: number | number[] | null, keepdims?: boolean, ddof?: number, s?: StreamOrDevice): MxArray;
  }
}
Object.assign(MxArray.prototype, { var: method(variance) });
