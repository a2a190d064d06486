// Turning op arguments into arrays: MLX's weak-scalar rules (python/src/utils.cpp to_array
// and to_arrays), so `intArray + 1.5` is float32 and `int8Array + 1` stays int8.
import { MxArray, type ScalarOrArray } from '../array.js';
import { Dtype, bool, int32, int64, float32, float64, complex64, isInteger, isFloating, iinfo, issubdtype, floating } from '../dtype.js';
import { isComplexValue } from '../elements.js';

function isScalar(x: unknown): x is number | boolean | bigint {
  return typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint';
}

/** A JS scalar as an array, given the dtype of the array it meets (weak typing). */
export function scalarToArray(v: unknown, hint?: Dtype): MxArray {
  if (typeof v === 'boolean') return new MxArray(v, hint ?? bool);
  if (typeof v === 'number' && Number.isInteger(v) || typeof v === 'bigint') {
    const big = typeof v === 'bigint' ? v : BigInt(v);
    const wide = big > 2147483647n || big < -2147483648n;
    let out = hint ?? (wide ? int64 : int32);
    if (isInteger(out) && out.size < 8) {
      const { min, max } = iinfo(out);
      if (big < min || big > max) {
        throw new RangeError(`Converting ${String(v)} to ${out.name} would result in overflow.`);
      }
    }
    if (out === bool) out = int32; // bool is always promoted by an int
    return new MxArray(typeof v === 'bigint' ? v : v, out);
  }
  if (typeof v === 'number') {
    let out = hint ?? float32;
    if (!issubdtype(out, floating)) out = float32;
    return new MxArray(out === float64 ? v : Math.fround(v), out);
  }
  if (isComplexValue(v)) return new MxArray(v, complex64);
  throw new TypeError(`Expected an mx array or a scalar, got ${describeValue(v)}`);
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'a JS array';
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Any op argument as an array: arrays pass through, scalars and nested lists are converted. */
export function asArray(x: ScalarOrArray | unknown, argName = 'array', op = 'op'): MxArray {
  if (x instanceof MxArray) return x._check();
  if (isScalar(x) || isComplexValue(x)) return scalarToArray(x);
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return new MxArray(x as ScalarOrArray);
  throw new TypeError(`[${op}] argument '${argName}' must be an array, a scalar or a nested list, got ${describeValue(x)}.`);
}

/** Two op arguments as arrays with MLX's weak-scalar rules (to_arrays). */
export function asArrays2(a: unknown, b: unknown, op = 'op'): [MxArray, MxArray] {
  const aIsArr = a instanceof MxArray;
  const bIsArr = b instanceof MxArray;
  if (aIsArr && bIsArr) return [a._check(), b._check()];
  if (aIsArr) return [a._check(), weak(b, a._dtype, 'b', op)];
  if (bIsArr) return [weak(a, b._dtype, 'a', op), b._check()];
  return [asArray(a, 'a', op), asArray(b, 'b', op)];
}

function weak(x: unknown, hint: Dtype, argName: string, op: string): MxArray {
  if (isScalar(x) || isComplexValue(x)) return scalarToArray(x, hint);
  return asArray(x, argName, op);
}

export { isFloating };
