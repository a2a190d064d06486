// Scan: cumulative sum/prod/max/min/logaddexp along one axis (MLX's Scan primitive).
// The rules are derived for inclusive scans; an exclusive scan is the inclusive one shifted by
// one step in scan order, so its rules shift tangents forward and cotangents back.
import { MxArray } from '../array.js';
import { definePrimitive } from '../primitive.js';
import { finfo, int32 } from '../dtype.js';
import { flatPositions, scatterAddInto } from './views.js';
import { cumsum, cumprod, cummax, cummin, logcumsumexp } from '../ops/scan.js';
import { astype, reshape, sliceView } from '../ops/views.js';
import { concatenate } from '../ops/shape.js';
import { arange, full, zeros } from '../ops/creation.js';
import { takeAlongAxis } from '../ops/indexing.js';
import {
  abs,
  add,
  divide,
  equal,
  exp,
  greater,
  less,
  log,
  logicalAnd,
  multiply,
  notEqual,
  stopGradient,
  subtract,
  where,
} from '../ops/elementwise.js';

export type ScanType = 'sum' | 'prod' | 'max' | 'min' | 'logaddexp';
type ScanParams = { type: ScanType; axis: number; reverse: boolean; inclusive: boolean };

/** The same scan with other flags (a public op call, so it stays differentiable). */
function scan(x: MxArray, type: ScanType, axis: number, reverse: boolean, inclusive = true): MxArray {
  // Looked up at call time: the ops are not yet defined while this module is evaluated.
  const op = { sum: cumsum, prod: cumprod, max: cummax, min: cummin, logaddexp: logcumsumexp }[type];
  return op(x, axis, reverse, inclusive);
}

/** `out[j] = x[j - by]` along `axis` (by = +1 or -1), zero where that falls outside. */
function shift(x: MxArray, axis: number, by: 1 | -1): MxArray {
  const n = x._shape[axis]!;
  if (n === 0) return x;
  const start = x._shape.map(() => 0);
  const stop = [...x._shape];
  if (by === 1) stop[axis] = n - 1;
  else start[axis] = 1;
  const kept = sliceView(x, start, stop, x._shape.map(() => 1));
  const pad = zeros(x._shape.map((d, i) => (i === axis ? 1 : d)), x._dtype);
  return concatenate(by === 1 ? [pad, kept] : [kept, pad], axis);
}

/** Position along `axis`, shaped to broadcast against an array of `ndim` dims. */
function positions(n: number, axis: number, ndim: number): MxArray {
  return reshape(arange(n, int32), Array.from({ length: ndim }, (_, i) => (i === axis ? n : 1)));
}

/**
 * For an inclusive cummax/cummin: the index of the element that holds the running extreme at
 * each position, ties going to the latest element in scan order (as MLX), and whether there
 * is one (a NaN that starts the scan equals nothing; MLX crashes there, here such positions
 * pass no derivative). Stop-gradient'd: it is locally constant in the input.
 */
function extremeOwner(x: MxArray, y: MxArray, axis: number, reverse: boolean): { owner: MxArray; owned: MxArray } {
  const n = x._shape[axis]!;
  const none = new MxArray(reverse ? n : -1, int32);
  const masked = where(equal(x, y), positions(n, axis, x.ndim), none);
  const found = stopGradient(reverse ? cummin(masked, axis, true) : cummax(masked, axis, false));
  const owned = notEqual(found, none);
  return { owner: where(owned, found, zeros([], int32)), owned };
}

/** log of the positive and of the negative part of v (a very negative finite number where absent). */
function logParts(v: MxArray): [MxArray, MxArray] {
  const lowest = full([], finfo(v._dtype).min, v._dtype);
  const logAbs = log(abs(v));
  const zero = zeros([], v._dtype);
  return [where(greater(v, zero), logAbs, lowest), where(less(v, zero), logAbs, lowest)];
}

/** Cotangent of an inclusive scan's input, given its output y. */
function inclusiveVjp(type: ScanType, axis: number, reverse: boolean, x: MxArray, c: MxArray, y: MxArray): MxArray {
  switch (type) {
    case 'sum':
      return cumsum(c, axis, !reverse, true);
    case 'prod': {
      // Divide by x before the first zero of each line; the first zero's gradient is the
      // scan redone with it set to 1; everything after it gets 0 (MLX's scheme).
      const exclusive = cumprod(x, axis, reverse, false);
      const zero = zeros([], x._dtype);
      const isZero = equal(y, zero);
      const firstZero = logicalAnd(isZero, notEqual(exclusive, zero));
      const backSum = (v: MxArray) => cumsum(multiply(v, c), axis, !reverse, true);
      const withOne = cumprod(where(firstZero, new MxArray(1, x._dtype), x), axis, reverse, true);
      return where(firstZero, backSum(withOne), where(isZero, zero, divide(backSum(y), x)));
    }
    case 'max':
    case 'min': {
      // Scatter-add each cotangent onto its owner.
      const { owner, owned } = extremeOwner(x, y, axis, reverse);
      const at = takeAlongAxis(flatPositions(x._shape), owner, axis);
      return scatterAddInto(x._shape, x._dtype, at, where(owned, c, zeros([], c._dtype)));
    }
    case 'logaddexp': {
      // dy_j/dx_i = exp(x_i - y_j): sum it in log space, positive and negative parts apart.
      const [pos, neg] = logParts(c);
      const part = (l: MxArray) => exp(add(logcumsumexp(subtract(l, y), axis, !reverse, true), x));
      return subtract(part(pos), part(neg));
    }
  }
}

/** Tangent of an inclusive scan's output, given its output y. */
function inclusiveJvp(type: ScanType, axis: number, reverse: boolean, x: MxArray, t: MxArray, y: MxArray): MxArray {
  switch (type) {
    case 'sum':
      return cumsum(t, axis, reverse, true);
    case 'prod': {
      // Before the first zero: y * cumsum(t / x). From it on only its own term survives:
      // t at the first zero times the scan with that zero set to 1.
      const exclusive = cumprod(x, axis, reverse, false);
      const zero = zeros([], x._dtype);
      const firstZero = logicalAnd(equal(y, zero), notEqual(exclusive, zero));
      const seenZero = greater(cumsum(astype(firstZero, int32), axis, reverse, true), zeros([], int32));
      const withOne = cumprod(where(firstZero, new MxArray(1, x._dtype), x), axis, reverse, true);
      const tAtZero = cumsum(where(firstZero, t, zero), axis, reverse, true);
      const regular = multiply(y, cumsum(divide(t, where(seenZero, new MxArray(1, x._dtype), x)), axis, reverse, true));
      return where(seenZero, multiply(tAtZero, withOne), regular);
    }
    case 'max':
    case 'min': {
      const { owner, owned } = extremeOwner(x, y, axis, reverse);
      return where(owned, takeAlongAxis(t, owner, axis), zeros([], t._dtype));
    }
    case 'logaddexp': {
      const [pos, neg] = logParts(t);
      const part = (l: MxArray) => exp(subtract(logcumsumexp(add(x, l), axis, reverse, true), y));
      return subtract(part(pos), part(neg));
    }
  }
}

export const Scan = definePrimitive<ScanParams>({
  name: 'Scan',
  outputShapes: (_p, [x]) => [[...x!]],
  describe: (p) => `${p.type} axis=${p.axis} reverse=${p.reverse} inclusive=${p.inclusive}`,
  vjp: ({ type, axis, reverse, inclusive }, [x], [cot], _argnums, [out]) => {
    const input = x!;
    // An exclusive output j is the inclusive output one step earlier in scan order.
    const c = inclusive ? cot! : shift(cot!, axis, reverse ? 1 : -1);
    const y = inclusive ? out! : scan(input, type, axis, reverse);
    // The dtype is the formula's, as in MLX (float32 for cumprod of integers, the sum's for cumsum).
    return [inclusiveVjp(type, axis, reverse, input, c, y)];
  },
  jvp: ({ type, axis, reverse, inclusive }, [x], [t], _argnums) => {
    const input = x!;
    const y = scan(input, type, axis, reverse);
    const ty = inclusiveJvp(type, axis, reverse, input, t!, y);
    return [inclusive ? astype(ty, y._dtype) : shift(astype(ty, y._dtype), axis, reverse ? -1 : 1)];
  },
  vmap: ({ type, axis, reverse, inclusive }, [x], [ax]) => {
    const a = ax! >= 0 && ax! <= axis ? axis + 1 : axis;
    return [[scan(x!, type, a, reverse, inclusive)], [ax!]];
  },
});
