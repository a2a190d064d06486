// Elementwise ops: validate, promote (MLX's table and weak scalars), broadcast, and return a
// lazy array holding the primitive. No loops over data here.
import { MxArray, makeArray, makeArrays, type ScalarOrArray } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';
import { Dtype, promoteTypes, bool, uint8, float32, float64, isComplex, isInteger, isInexact, finfo } from '../dtype.js';
import { shapesEqual } from '../shape.js';
import { all } from './reduce.js';
import type { StreamOrDevice } from '../device.js';
import { unary, binary, Select, DivMod } from '../primitives/elementwise.js';
import { asArray, asArrays2 } from '../convert.js';
import { astype, broadcastArrays } from './views.js';
import { atLeastFloat, unaryApply, binaryApply } from './apply.js';

type Arg = ScalarOrArray;
const isC = (d: Dtype): boolean => isComplex(d);

function rejectComplex(op: string, d: Dtype): void {
  if (isC(d)) throw new TypeError(`[${op}] complex64 inputs are not supported.`);
}

/** Unary op in MLX's at_least_float family: ints and bool compute in float32. */
function floatUnary(def: PrimitiveDef<any>, op: string, complexOk = true) {
  return (a: Arg, s?: StreamOrDevice): MxArray => {
    const x = asArray(a, 'array', op);
    if (!complexOk) rejectComplex(op, x._dtype);
    const d = atLeastFloat(x._dtype);
    return unaryApply(def, astype(x, d, s), d, s);
  };
}

/** Unary op that keeps the input dtype. */
function sameUnary(def: PrimitiveDef<any>, op: string, complexOk = true) {
  return (a: Arg, s?: StreamOrDevice): MxArray => {
    const x = asArray(a, 'array', op);
    if (!complexOk) rejectComplex(op, x._dtype);
    return unaryApply(def, x, x._dtype, s);
  };
}

/** Unary predicate: bool output. */
function boolUnary(def: PrimitiveDef<any>, op: string) {
  return (a: Arg, s?: StreamOrDevice): MxArray => {
    const x = asArray(a, 'array', op);
    return unaryApply(def, x, bool, s);
  };
}

function checkIntegral(op: string, d: Dtype): void {
  if (!(isInteger(d) || d === bool)) {
    throw new TypeError(`[${op}] Bitwise operations only allowed on integer types, got ${d.name}.`);
  }
}

// ---- arithmetic ----

export function add(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Add, a, b, s, 'add');
}
export function subtract(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Subtract, a, b, s, 'subtract');
}
export function multiply(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Multiply, a, b, s, 'multiply');
}
/** True division: integers divide in float32 (MLX's at_least_float). */
export function divide(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Divide, a, b, s, 'divide', { compute: atLeastFloat });
}
/** Elementwise power; integer powers stay integers (negative integer exponents give 0). */
export function power(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Power, a, b, s, 'power');
}
/** Python-style floor division (the quotient rounds toward -inf). */
export function floorDivide(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.FloorDivide, a, b, s, 'floor_divide');
}
/** Python-style remainder: the result has the sign of the divisor. */
export function remainder(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Remainder, a, b, s, 'remainder', {
    compute: (d) => {
      rejectComplex('remainder', d);
      return d;
    },
  });
}
/** [floorDivide(a, b), remainder(a, b)] computed together (one DivMod primitive). */
export function divmod(a: Arg, b: Arg, s?: StreamOrDevice): [MxArray, MxArray] {
  const [x, y] = asArrays2(a, b, 'divmod');
  const d = promoteTypes(x._dtype, y._dtype);
  if (isC(d)) throw new TypeError('[divmod] Complex type not supported.');
  const [bx, by] = broadcastArrays([astype(x, d, s), astype(y, d, s)], s);
  const shape = [...bx!._shape];
  const [q, r] = makeArrays([shape, [...shape]], [d, d], new Primitive(DivMod, {}), [bx!, by!], s);
  return [q!, r!];
}
/** Elementwise maximum; NaN propagates. */
export function maximum(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Maximum, a, b, s, 'maximum');
}
/** Elementwise minimum; NaN propagates. */
export function minimum(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Minimum, a, b, s, 'minimum');
}
/** log(exp(a) + exp(b)), computed stably. */
export function logaddexp(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.LogAddExp, a, b, s, 'logaddexp', { compute: atLeastFloat });
}
export function arctan2(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.ArcTan2, a, b, s, 'arctan2', {
    compute: (d) => {
      rejectComplex('arctan2', d);
      return atLeastFloat(d);
    },
  });
}

export function negative(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'negative');
  if (x._dtype === bool) throw new TypeError('[negative] The negative operation is not supported for bool arrays; use mx.logicalNot.');
  return unaryApply(unary.Negative, x, x._dtype, s);
}
/**
 * Absolute value; |complex| is float32. Unsigned and bool arrays get an Abs node too, as in
 * MLX: the values pass unchanged, but the gradient is zero at 0 (ct * sign(x)).
 */
export function abs(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'abs');
  return unaryApply(unary.Abs, x, isC(x._dtype) ? float32 : x._dtype, s);
}
export const sign = sameUnary(unary.Sign, 'sign');
export const square = sameUnary(unary.Square, 'square');
export const sqrt = floatUnary(unary.Sqrt, 'sqrt');
export const rsqrt = floatUnary(unary.Rsqrt, 'rsqrt');
export const reciprocal = floatUnary(unary.Reciprocal, 'reciprocal');
export const exp = floatUnary(unary.Exp, 'exp');
export const expm1 = floatUnary(unary.Expm1, 'expm1', false);
export const log = floatUnary(unary.Log, 'log');
export const log2 = floatUnary(unary.Log2, 'log2');
export const log10 = floatUnary(unary.Log10, 'log10');
export const log1p = floatUnary(unary.Log1p, 'log1p');
export const sin = floatUnary(unary.Sin, 'sin');
export const cos = floatUnary(unary.Cos, 'cos');
export const tan = floatUnary(unary.Tan, 'tan');
export const arcsin = floatUnary(unary.ArcSin, 'arcsin');
export const arccos = floatUnary(unary.ArcCos, 'arccos');
export const arctan = floatUnary(unary.ArcTan, 'arctan');
export const sinh = floatUnary(unary.Sinh, 'sinh');
export const cosh = floatUnary(unary.Cosh, 'cosh');
export const tanh = floatUnary(unary.Tanh, 'tanh');
export const arcsinh = floatUnary(unary.ArcSinh, 'arcsinh');
export const arccosh = floatUnary(unary.ArcCosh, 'arccosh');
export const arctanh = floatUnary(unary.ArcTanh, 'arctanh');
export const sigmoid = floatUnary(unary.Sigmoid, 'sigmoid', false);
export const erf = floatUnary(unary.Erf, 'erf', false);
export const erfinv = floatUnary(unary.ErfInv, 'erfinv', false);

/**
 * Rounds down. Integers and bool keep their values but still get a Floor node, as in MLX:
 * its gradient is zero there too, not the identity's.
 */
export function floor(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'floor');
  rejectComplex('floor', x._dtype);
  return unaryApply(unary.Floor, x, x._dtype, s);
}
/** Rounds up; a Ceil node for every real dtype (zero gradient), as floor. */
export function ceil(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'ceil');
  rejectComplex('ceil', x._dtype);
  return unaryApply(unary.Ceil, x, x._dtype, s);
}
/**
 * Rounds half to even (std::rint) to `decimals` places: rint(a * 10^d) / 10^d, cast back
 * to the input dtype, as MLX does.
 */
export function round(a: Arg, decimals = 0, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'round');
  if (typeof decimals !== 'number' || !Number.isInteger(decimals)) {
    if (decimals !== null && typeof decimals === 'object') return round(x, 0, decimals as StreamOrDevice);
    throw new TypeError(`[round] decimals must be an integer, got ${String(decimals)}.`);
  }
  // a Round node for every dtype, as floor (zero gradient for integers too)
  if (decimals === 0) return unaryApply(unary.Round, x, x._dtype, s);
  const d = atLeastFloat(x._dtype);
  // As MLX: multiply by 10^d and by the float32 reciprocal, both held in the compute dtype.
  const scale = Math.fround(10 ** decimals);
  const r = multiply(
    unaryApply(unary.Round, multiply(x, new MxArray(scale, d), s), d, s),
    new MxArray(Math.fround(1 / scale), d),
    s,
  );
  return astype(r, x._dtype, s);
}

/** Degrees from radians: a * (180 / pi). */
export function degrees(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'degrees');
  return multiply(astype(x, atLeastFloat(x._dtype), s), 180 / Math.PI, s);
}
export function radians(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'radians');
  return multiply(astype(x, atLeastFloat(x._dtype), s), Math.PI / 180, s);
}

// ---- comparisons and predicates (bool results) ----

const cmp = (def: PrimitiveDef<any>, op: string) => (a: Arg, b: Arg, s?: StreamOrDevice): MxArray =>
  binaryApply(def, a, b, s, op, { out: () => bool });
export const equal = cmp(binary.Equal, 'equal');
export const notEqual = cmp(binary.NotEqual, 'not_equal');
export const less = cmp(binary.Less, 'less');
export const lessEqual = cmp(binary.LessEqual, 'less_equal');
export const greater = cmp(binary.Greater, 'greater');
export const greaterEqual = cmp(binary.GreaterEqual, 'greater_equal');

export const isnan = boolUnary(unary.IsNaN, 'isnan');
export const isinf = boolUnary(unary.IsInf, 'isinf');
export const isposinf = boolUnary(unary.IsPosInf, 'isposinf');
export const isneginf = boolUnary(unary.IsNegInf, 'isneginf');
export const isfinite = boolUnary(unary.IsFinite, 'isfinite');

// ---- logical (inputs are cast to bool first, as MLX) ----

export function logicalNot(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'logical_not');
  return unaryApply(unary.LogicalNot, astype(x, bool, s), bool, s);
}
const logical = (def: PrimitiveDef<any>, op: string) => (a: Arg, b: Arg, s?: StreamOrDevice): MxArray => {
  const [x, y] = asArrays2(a, b, op);
  const [bx, by] = broadcastArrays([astype(x, bool, s), astype(y, bool, s)], s);
  return makeArray([...bx!._shape], bool, new Primitive(def, {}), [bx!, by!], s);
};
export const logicalAnd = logical(binary.LogicalAnd, 'logical_and');
export const logicalOr = logical(binary.LogicalOr, 'logical_or');

// ---- bitwise (integers and bool only) ----

const bitwise = (def: PrimitiveDef<any>, op: string, boolTo?: Dtype) => (a: Arg, b: Arg, s?: StreamOrDevice): MxArray =>
  binaryApply(def, a, b, s, op, {
    compute: (d) => {
      checkIntegral(op, d);
      return boolTo && d === bool ? boolTo : d;
    },
  });
export const bitwiseAnd = bitwise(binary.BitwiseAnd, 'bitwise_and');
export const bitwiseOr = bitwise(binary.BitwiseOr, 'bitwise_or');
export const bitwiseXor = bitwise(binary.BitwiseXor, 'bitwise_xor');
/** Shifts; bool operands shift as uint8 (MLX). */
export const leftShift = bitwise(binary.LeftShift, 'left_shift', uint8);
export const rightShift = bitwise(binary.RightShift, 'right_shift', uint8);
export function bitwiseInvert(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'bitwise_invert');
  checkIntegral('bitwise_invert', x._dtype);
  return unaryApply(unary.BitwiseInvert, x, x._dtype, s);
}

// ---- complex parts ----

/** Real part (float32 for complex64; other dtypes are returned as they are). */
export function real(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'real');
  return isC(x._dtype) ? unaryApply(unary.Real, x, float32, s) : x;
}
/** Imaginary part (zeros for real dtypes). */
export function imag(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'imag');
  return unaryApply(unary.Imag, x, isC(x._dtype) ? float32 : x._dtype, s);
}
export const conjugate = sameUnary(unary.Conjugate, 'conjugate');
export const conj = conjugate;

/** Identity whose gradient is zero (the rule comes with the transforms). */
export const stopGradient = sameUnary(unary.StopGradient, 'stop_gradient');

// ---- selection ----

/** MLX's where: condition (cast to bool), x and y broadcast together; x and y promoted. */
export function where(condition: Arg, x: Arg, y: Arg, s?: StreamOrDevice): MxArray {
  const c = asArray(condition, 'condition', 'where');
  const [a, b] = asArrays2(x, y, 'where');
  const d = promoteTypes(a._dtype, b._dtype);
  const [bc, bx, by] = broadcastArrays([astype(c, bool, s), astype(a, d, s), astype(b, d, s)], s);
  return makeArray([...bc!._shape], d, new Primitive(Select, {}), [bc!, bx!, by!], s);
}

/** Clips to [min, max]; either bound may be null, not both (MLX). */
export function clip(a: Arg, min: Arg | null, max: Arg | null, s?: StreamOrDevice): MxArray {
  let x = asArray(a, 'array', 'clip');
  const noMin = min === null || min === undefined;
  const noMax = max === null || max === undefined;
  if (noMin && noMax) throw new TypeError('[clip] At most one of min and max may be null.');
  if (!noMin) x = maximum(x, min, s);
  if (!noMax) x = minimum(x, max, s);
  return x;
}

/** Replaces NaN with `nan`, +inf and -inf with the given values or the dtype's extremes. */
export function nanToNum(a: Arg, nan = 0, posinf?: number | null, neginf?: number | null, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'nan_to_num');
  const d = x._dtype;
  if (!isInexact(d)) return x;
  if (d === float64 || isC(d)) throw new TypeError(`[nan_to_num] Does not yet support given type: ${d.name}.`);
  const big = finfo(d).max;
  const full = (v: number) => new MxArray(v, d);
  let out = where(isnan(x, s), full(nan), x, s);
  out = where(isposinf(x, s), full(posinf ?? big), out, s);
  out = where(isneginf(x, s), full(neginf ?? -big), out, s);
  return out;
}

/** |a - b| <= atol + rtol * |b| elementwise, with MLX's handling of infinities and NaN. */
export function isclose(a: Arg, b: Arg, rtol = 1e-5, atol = 1e-8, equalNan = false, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'isclose');
  const rhs = add(new MxArray(atol, float32), multiply(new MxArray(rtol, float32), abs(y, s), s), s);
  let out = lessEqual(abs(subtract(x, y, s), s), rhs, s);
  const xp = isposinf(x, s), yp = isposinf(y, s), xn = isneginf(x, s), yn = isneginf(y, s);
  const anyInf = logicalOr(logicalOr(xp, xn, s), logicalOr(yp, yn, s), s);
  const bothInf = logicalOr(logicalAnd(xp, yp, s), logicalAnd(xn, yn, s), s);
  out = logicalOr(logicalAnd(out, logicalNot(anyInf, s), s), bothInf, s);
  if (equalNan) out = logicalOr(out, logicalAnd(isnan(x, s), isnan(y, s), s), s);
  return out;
}

/**
 * A 0-d bool array, true when every element is close (MLX, and node-mlx's runtime). In an
 * `if`, read it with `.item()`: an array object is always truthy.
 */
export function allclose(a: Arg, b: Arg, rtol = 1e-5, atol = 1e-8, equalNan = false, s?: StreamOrDevice): MxArray {
  return all(isclose(a, b, rtol, atol, equalNan, s), false, s);
}

/** A 0-d bool array: same shape and equal values (dtypes may differ); different shapes give false. */
export function arrayEqual(a: Arg, b: Arg, equalNan = false, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'array_equal');
  if (!shapesEqual(x._shape, y._shape)) return new MxArray(false);
  const d = promoteTypes(x._dtype, y._dtype);
  const eq = binaryApply(equalNan ? binary.NaNEqual : binary.Equal, astype(x, d, s), astype(y, d, s), s, 'array_equal', { out: () => bool });
  return all(eq, false, s);
}

const methods: Record<string, (this: MxArray, ...args: any[]) => unknown> = {};
for (const [name, fn] of Object.entries({
  add, subtract, multiply, divide, power, floorDivide, remainder, maximum, minimum, logaddexp, arctan2,
  equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, bitwiseAnd, bitwiseOr,
  bitwiseXor, leftShift, rightShift,
} as Record<string, (a: MxArray, b: Arg, s?: StreamOrDevice) => MxArray>)) {
  methods[name] = function (this: MxArray, other: Arg, s?: StreamOrDevice) {
    return fn(this, other, s);
  };
}
for (const [name, fn] of Object.entries({
  abs, negative, sign, square, sqrt, rsqrt, reciprocal, exp, expm1, log, log2, log10, log1p, sin, cos, tan,
  arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh, sigmoid, erf, erfinv, floor, ceil,
  degrees, radians, isnan, isinf, isposinf, isneginf, isfinite, logicalNot, bitwiseInvert, real, imag,
  conjugate, conj, stopGradient,
} as Record<string, (a: MxArray, s?: StreamOrDevice) => MxArray>)) {
  methods[name] = function (this: MxArray, s?: StreamOrDevice) {
    return fn(this, s);
  };
}
methods.round = function (this: MxArray, decimals?: number, s?: StreamOrDevice) {
  return round(this, decimals, s);
};
methods.divmod = function (this: MxArray, other: Arg, s?: StreamOrDevice) {
  return divmod(this, other, s);
};
methods.clip = function (this: MxArray, min: Arg | null, max: Arg | null, s?: StreamOrDevice) {
  return clip(this, min, max, s);
};
Object.assign(MxArray.prototype, methods);

type Bin = (other: ScalarOrArray, s?: StreamOrDevice) => MxArray;
type Un = (s?: StreamOrDevice) => MxArray;
declare module '../array.js' {
  interface MxArray {
    add: Bin; subtract: Bin; multiply: Bin; divide: Bin; power: Bin; floorDivide: Bin; remainder: Bin;
    maximum: Bin; minimum: Bin; logaddexp: Bin; arctan2: Bin; equal: Bin; notEqual: Bin; less: Bin;
    lessEqual: Bin; greater: Bin; greaterEqual: Bin; logicalAnd: Bin; logicalOr: Bin; bitwiseAnd: Bin;
    bitwiseOr: Bin; bitwiseXor: Bin; leftShift: Bin; rightShift: Bin;
    abs: Un; negative: Un; sign: Un; square: Un; sqrt: Un; rsqrt: Un; reciprocal: Un; exp: Un; expm1: Un;
    log: Un; log2: Un; log10: Un; log1p: Un; sin: Un; cos: Un; tan: Un; arcsin: Un; arccos: Un; arctan: Un;
    sinh: Un; cosh: Un; tanh: Un; arcsinh: Un; arccosh: Un; arctanh: Un; sigmoid: Un; erf: Un; erfinv: Un;
    floor: Un; ceil: Un; degrees: Un; radians: Un; isnan: Un; isinf: Un; isposinf: Un; isneginf: Un;
    isfinite: Un; logicalNot: Un; bitwiseInvert: Un; real: Un; imag: Un; conjugate: Un; conj: Un;
    stopGradient: Un;
    round(decimals?: number, s?: StreamOrDevice): MxArray;
    divmod(other: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray];
    clip(min: ScalarOrArray | null, max: ScalarOrArray | null, s?: StreamOrDevice): MxArray;
  }
}

// ---- the Array API's names and the small elementwise ops MLX composes (mlx/ops.cpp) ----

/** Array API aliases: the same functions under the names MLX also exports. */
export const acos = arccos;
export const acosh = arccosh;
export const asin = arcsin;
export const asinh = arcsinh;
export const atan = arctan;
export const atan2 = arctan2;
export const atanh = arctanh;
export const pow = power;
export const bitwiseLeftShift = leftShift;
export const bitwiseRightShift = rightShift;

/** Unary plus: the input itself (MLX returns another handle to the same array). */
export function positive(a: Arg, _s?: StreamOrDevice): MxArray {
  return asArray(a, 'array', 'positive');
}

/** Rounds toward zero: ceil below zero, floor elsewhere; integers are returned as they are. */
export function trunc(a: Arg, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'trunc');
  if (isC(x._dtype)) throw new TypeError('[trunc] Not supported for complex64.');
  if (isInteger(x._dtype)) return x;
  return where(less(x, new MxArray(0, x._dtype), s), ceil(x, s), floor(x, s), s);
}

/** Exclusive or of the inputs cast to bool. */
export function logicalXor(a: Arg, b: Arg, s?: StreamOrDevice): MxArray {
  const [x, y] = asArrays2(a, b, 'logical_xor');
  return notEqual(astype(x, bool, s), astype(y, bool, s), s);
}

