// Scans: cumsum, cumprod, cummax, cummin, logcumsumexp (MLX's Scan primitive). With no axis
// the array is flattened first, as in MLX.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Scan, type ScanType } from '../primitives/scan.js';
import { Dtype, bool, int32, isComplex } from '../dtype.js';
import { Stream, Device, type StreamOrDevice } from '../device.js';
import { normalizeAxis, shapeSize } from '../shape.js';
import { asArray } from '../convert.js';
import { astype } from './views.js';
import { atLeastFloat } from './apply.js';
import { flat, isStreamObject } from './internal.js';


type ScanFn = {
  (array: ScalarOrArray, axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
  /** cumsum and cumprod: MLX's `dtype`, the type the input is cast to first. */
  (array: ScalarOrArray, axis: number | null | undefined, reverse: boolean | undefined, inclusive: boolean | undefined, dtype: Dtype | null | undefined, s?: StreamOrDevice): MxArray;
  /** node-mlx's `cumsum(array, s)` form: the flattened array. */
  (array: ScalarOrArray, s: Stream | Device): MxArray;
};

function flag(v: unknown, op: string, name: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new TypeError(`[${op}] ${name} must be a boolean, got ${String(v)}.`);
  return v;
}

function makeScan(op: string, type: ScanType): ScanFn {
  return ((array: ScalarOrArray, axis?: unknown, reverse?: unknown, inclusive?: unknown, s?: StreamOrDevice | Dtype | null, s2?: StreamOrDevice) => {
    // cumsum and cumprod take MLX's dtype before the stream: (a, axis, reverse, inclusive, dtype, s).
    let dtype: Dtype | null = null;
    if (s instanceof Dtype || ((s === null || s === undefined) && s2 !== undefined)) {
      if (s && type !== 'sum' && type !== 'prod') throw new TypeError(`[${op}] takes no dtype.`);
      [dtype, s] = [s as Dtype | null, s2];
    }
    // node-mlx also has `cumsum(a, s)`: a Stream/Device object ends the optional arguments.
    const opt: unknown[] = [axis, reverse, inclusive];
    const at = opt.findIndex(isStreamObject);
    if (at >= 0) {
      s = opt[at] as StreamOrDevice;
      for (let i = at; i < 3; i++) opt[i] = undefined;
      [axis, reverse, inclusive] = opt;
    }
    let x = asArray(array, 'array', op);
    if (dtype) x = astype(x, dtype, s as StreamOrDevice);
    if (axis !== undefined && axis !== null && typeof axis !== 'number') {
      throw new TypeError(`[${op}] axis must be a number or null, got ${String(axis)}.`);
    }
    const rev = flag(reverse, op, 'reverse', false);
    const inc = flag(inclusive, op, 'inclusive', true);
    let ax = 0;
    if (axis === undefined || axis === null) x = flat(x, s);
    else ax = normalizeAxis(axis, x._shape.length, op);
    // MLX returns float32 for integer inputs (complex64 stays complex64).
    if (type === 'logaddexp' && !isComplex(x._dtype)) x = astype(x, atLeastFloat(x._dtype), s);
    // cumsum of bool counts in int32; every other scan keeps the input dtype (cumprod of bool is bool).
    const outD = type === 'sum' && x._dtype === bool ? int32 : x._dtype;
    return makeArray([...x._shape], outD, new Primitive(Scan, { type, axis: ax, reverse: rev, inclusive: inc }), [x], s);
  }) as ScanFn;
}

/** Cumulative sum along `axis` (of the flattened array when omitted). */
export const cumsum: ScanFn = makeScan('cumsum', 'sum');
/** Cumulative product along `axis` (of the flattened array when omitted). */
export const cumprod: ScanFn = makeScan('cumprod', 'prod');
/** Cumulative maximum; NaN propagates; an exclusive scan starts at the dtype's lowest value. */
export const cummax: ScanFn = makeScan('cummax', 'max');
/** Cumulative minimum; NaN propagates; an exclusive scan starts at the dtype's highest value. */
export const cummin: ScanFn = makeScan('cummin', 'min');
/** Cumulative log(sum(exp)) along `axis`; at least float32. */
export const logcumsumexp: ScanFn = makeScan('logcumsumexp', 'logaddexp');
/** The Array API's names for cumsum and cumprod (MLX exports both). */
export const cumulativeSum = cumsum;
export const cumulativeProd = cumprod;

declare module '../array.js' {
  interface MxArray {
    cumsum(axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
    cumprod(axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
    cummax(axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
    cummin(axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
    logcumsumexp(axis?: number | null, reverse?: boolean, inclusive?: boolean, s?: StreamOrDevice): MxArray;
  }
}

// Array methods forward to the ops with the same arguments.
const method = (f: ScanFn) =>
  function (this: MxArray, ...args: unknown[]): MxArray {
    return (f as (...a: unknown[]) => MxArray)(this, ...args);
  };
Object.assign(MxArray.prototype, {
  cumsum: method(cumsum),
  cumprod: method(cumprod),
  cummax: method(cummax),
  cummin: method(cummin),
  logcumsumexp: method(logcumsumexp),
});
