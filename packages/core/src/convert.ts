// JS values into arrays: the one home of that route (MLX keeps it in python/src/convert.cpp).
// JS types map to MLX's Python types as node-mlx (and TF.js, jax-js) map them:
//   number  -> a Python float: lists of numbers are float32, a number scalar is a weak float;
//   boolean -> a Python bool;
//   bigint  -> a Python int: lists of bigints are int32 (int64 beyond int32), a weak int scalar;
//   {re, im} -> a Python complex (complex64).
// Integer arrays come from an explicit dtype, a TypedArray (Int32Array -> int32, ...), a bigint,
// or an integer-typed op. Storage writes themselves (C++ cast semantics) live in elements.ts.
import { MxArray, hostElements, type Scalar, type ScalarOrArray } from './array.js';
import {
  Dtype,
  bool,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64,
  complex64,
  isBigInt,
  isInteger,
  isInexact,
  iinfo,
  promoteTypes,
} from './dtype.js';
import { cpuBackend } from './device.js';
import { shapeSize, rowMajorStrides, checkShapeLimits } from './shape.js';
import { isComplexValue, typedView, elementToJs, numberWriter, bigintWriter } from './elements.js';
import { numberToHalf } from './half.js';

/** MLX's PyScalarT order: bool < int < float < complex. */
const enum Kind {
  Bool = 0,
  Int = 1,
  Float = 2,
  Complex = 3,
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'a JS array';
  if (typeof v === 'string') return `string '${v}'`;
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

function isScalar(x: unknown): x is number | boolean | bigint {
  return typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint';
}

// ---- scalars and op arguments (MLX's to_array / to_arrays weak-scalar rules) ----

/**
 * A JS scalar as an array, typed weakly by the dtype of the array it meets (`hint`):
 * a number keeps an inexact hint and is float32 otherwise (`int32Array * 0.5` and
 * `int32Array * 1` are float32, `float16Array + 1` stays float16); a bigint keeps any numeric
 * hint (checked for overflow) and is int32/int64 otherwise; a boolean takes the hint.
 */
export function scalarToArray(v: unknown, hint?: Dtype): MxArray {
  if (typeof v === 'boolean') return new MxArray(v, hint ?? bool);
  if (typeof v === 'bigint') {
    // Meeting a bool array, a Python int is int32 (MLX wraps it there, unchecked).
    if (hint === bool) return new MxArray(v, int32);
    const out = hint ?? (v > 2147483647n || v < -2147483648n ? int64 : int32);
    if (isInteger(out) && out.size < 8) {
      const { min, max } = iinfo(out);
      if (v < min || v > max) throw new RangeError(`Converting ${String(v)} to ${out.name} would result in overflow.`);
    }
    return new MxArray(v, out);
  }
  if (typeof v === 'number') {
    const out = hint && isInexact(hint) ? hint : float32;
    return new MxArray(v, out);
  }
  if (isComplexValue(v)) return new MxArray(v, complex64);
  throw new TypeError(`Expected an mx array or a scalar, got ${describeValue(v)}`);
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

/** An integer index as an int32 array (indices are integers whatever JS type they came in). */
export function indexScalar(v: number): MxArray {
  return new MxArray(v, int32);
}

// ---- nested lists and TypedArrays (`mx.array(value, dtype?)`) ----

/** @internal fills a fresh handle from a JS value (the body of `new MxArray(value, dtype)`). */
export function fillFromJs(target: MxArray, value: ScalarOrArray, dtype: Dtype | undefined): void {
  if (dtype !== undefined && !(dtype instanceof Dtype)) {
    throw new TypeError(`mx.array: dtype must be an mx Dtype (e.g. mx.float32), got ${String(dtype)}`);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    fillFromTypedArray(target, value as unknown as ArrayLike<number | bigint>, dtype);
    return;
  }
  // A JS number into float32 (what the weak scalar of a float32 op is): the value rounded once,
  // as writeLeaves does, without the nested-list walk (3 of the 4 us of add(x, 0.5) went to it
  // and its garbage).
  if (typeof value === 'number' && (dtype === undefined || dtype === float32)) {
    const storage = allocateFor(target, [], float32);
    const bytes = storage.backend.hostBytes!(storage);
    new Float32Array(bytes.buffer, bytes.byteOffset, 1)[0] = value;
    target._attach(storage, [], 0);
    return;
  }
  const shape = inferShape(value);
  const leaves: unknown[] = [];
  let kind = Kind.Bool;
  let wideInt = false;
  let arrayDtype: Dtype | null = null;
  const visit = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth >= shape.length || v.length !== shape[depth]) raggedError();
      // Holes of a sparse JS array count as zeros, as in node-mlx.
      for (let i = 0; i < v.length; i++) visit(i in v ? v[i] : 0, depth + 1);
      return;
    }
    if (v instanceof MxArray) {
      v._check();
      const sub = v._shape;
      if (depth + sub.length !== shape.length || sub.some((d, i) => d !== shape[depth + i])) raggedError();
      arrayDtype = arrayDtype ? promoteTypes(arrayDtype, v._dtype) : v._dtype;
      leaves.push(v);
      return;
    }
    if (depth !== shape.length) raggedError();
    if (typeof v === 'number') {
      kind = Math.max(kind, Kind.Float);
    } else if (typeof v === 'bigint') {
      kind = Math.max(kind, Kind.Int);
      if (v > 2147483647n || v < -2147483648n) wideInt = true;
    } else if (isComplexValue(v)) {
      kind = Kind.Complex;
    } else if (typeof v !== 'boolean') {
      throw new TypeError(`mx.array: invalid element ${describeValue(v)}; expected numbers, booleans, bigints, {re, im} or mx arrays.`);
    }
    leaves.push(v);
  };
  visit(value, 0);
  // An empty list is float32, as in MLX.
  if (leaves.length === 0 && shape.length > 0 && shape[shape.length - 1] === 0 && !arrayDtype) kind = Kind.Float;
  let inferred: Dtype = [bool, wideInt ? int64 : int32, float32, complex64][kind]!;
  if (arrayDtype) inferred = leaves.every((l) => l instanceof MxArray) ? arrayDtype : promoteTypes(arrayDtype, inferred);
  const out = dtype ?? inferred;
  // MLX refuses a list holding a Python int beyond int32 that a narrower integer or bool dtype
  // can't hold (where it wraps smaller ints and scalars); say so plainly.
  if (wideInt && shape.length > 0 && (out === bool || (isInteger(out) && out.size < 8))) {
    const { min, max } = iinfo(out);
    const bad = leaves.find((l) => typeof l === 'bigint' && (l > 2147483647n || l < -2147483648n) && (l < min || l > max));
    if (bad !== undefined) throw new RangeError(`mx.array: the bigint ${String(bad)} does not fit in ${out.name}.`);
  }
  const storage = allocateFor(target, shape, out);
  writeLeaves(typedView(out, storage.backend.hostBytes!(storage)), out, leaves, shapeSize(shape));
  target._attach(storage, rowMajorStrides(shape), 0);
}

function inferShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = 0 in v ? v[0] : 0;
  }
  if (v instanceof MxArray) shape.push(...v._check()._shape);
  return shape;
}

function raggedError(): never {
  throw new Error('mx.array: ragged nested array (initialization encountered non-uniform length); every sub-list at a depth must have the same length.');
}

function allocateFor(target: MxArray, shape: number[], dtype: Dtype) {
  target._shape = shape;
  target._dtype = dtype;
  // Host values are written on the CPU; eval moves them to a GPU once, when an op there reads them.
  return cpuBackend().allocate(shapeSize(shape) * dtype.size);
}

type Storage = ReturnType<typeof typedView>;

/**
 * Writes leaves with MLX's rules: a number (a Python float) is rounded to float32 on its way
 * into any inexact dtype but float64, and converted exactly (truncated) into integer dtypes;
 * bigints stay exact (wrapping as C++ casts do); nested mx arrays are copied element by element.
 */
function writeLeaves(data: Storage, out: Dtype, leaves: unknown[], n: number): void {
  const wn = numberWriter(out, data);
  const wb = bigintWriter(out, data);
  const roundToF32 = isInexact(out) && out !== float64;
  const write = (i: number, v: Scalar): void => {
    if (out === complex64) {
      const c = isComplexValue(v) ? v : { re: Number(v), im: 0 };
      (data as Float32Array)[2 * i] = c.re;
      (data as Float32Array)[2 * i + 1] = c.im ?? 0;
    } else if (isComplexValue(v)) wn(i, v.re); // complex -> real keeps the real part, as a C++ cast does
    else if (typeof v === 'bigint') wb(i, v);
    else if (typeof v === 'boolean') wn(i, v ? 1 : 0);
    else if (isBigInt(out) && Number.isInteger(v)) wb(i, BigInt(v));
    else wn(i, roundToF32 ? Math.fround(v) : v);
  };
  let pos = 0;
  for (const leaf of leaves) {
    if (!(leaf instanceof MxArray)) {
      write(pos++, leaf as Scalar);
      continue;
    }
    const { data: src, offset, strides } = hostElements(leaf);
    const sub = leaf._shape;
    const idx = new Array<number>(sub.length).fill(0);
    for (let k = shapeSize(sub); k > 0; k--) {
      let off = offset;
      for (let d = 0; d < sub.length; d++) off += idx[d]! * strides[d]!;
      const v = elementToJs(leaf._dtype, src, off);
      // An element of an array is written as its own value: no float32 rounding for float64.
      if (typeof v === 'number' && !isBigInt(out)) wn(pos++, v);
      else write(pos++, v);
      for (let d = sub.length - 1; d >= 0; d--) {
        if (++idx[d]! < sub[d]!) break;
        idx[d] = 0;
      }
    }
  }
  if (pos !== n) throw new Error('internal: element count mismatch in mx.array');
}

const typedArrayDtypes: [unknown, Dtype][] = [
  [Float32Array, float32],
  [Float64Array, float32], // MLX maps NumPy float64 to float32 unless asked
  [Int32Array, int32],
  [Uint32Array, uint32],
  [typeof BigInt64Array !== 'undefined' ? BigInt64Array : null, int64],
  [typeof BigUint64Array !== 'undefined' ? BigUint64Array : null, uint64],
  [Int8Array, int8],
  [Int16Array, int16],
  [Uint8Array, uint8],
  [Uint8ClampedArray, uint8],
  [Uint16Array, uint16],
];
const F16 = (globalThis as { Float16Array?: unknown }).Float16Array;
if (F16) typedArrayDtypes.push([F16, float16]);

/** @internal the dtype a TypedArray maps to (MLX's NumPy rules). */
export function dtypeOfTypedArray(t: ArrayBufferView): Dtype {
  for (const [C, d] of typedArrayDtypes) if (C && t instanceof (C as typeof Int8Array)) return d;
  throw new TypeError(`mx.array: unsupported TypedArray ${t.constructor.name}`);
}

function fillFromTypedArray(target: MxArray, t: ArrayLike<number | bigint>, dtype: Dtype | undefined): void {
  const src = dtypeOfTypedArray(t as unknown as ArrayBufferView);
  const out = dtype ?? src;
  const n = t.length;
  checkShapeLimits([n], 'array');
  const storage = allocateFor(target, [n], out);
  const data = typedView(out, storage.backend.hostBytes!(storage));
  const wn = numberWriter(out, data);
  const wb = bigintWriter(out, data);
  const isF16 = src === float16;
  for (let i = 0; i < n; i++) {
    const v = t[i]!;
    if (typeof v === 'bigint') wb(i, v);
    else if (out === complex64) {
      (data as Float32Array)[2 * i] = v;
      (data as Float32Array)[2 * i + 1] = 0;
    } else if (isF16 && out === float16) (data as Uint16Array)[i] = numberToHalf(v);
    else if (isBigInt(out)) wb(i, BigInt(Math.trunc(v)));
    else wn(i, v);
  }
  target._attach(storage, [1], 0);
}
