// The elementwise ops as WGSL expressions over compute values, with the reference backend's
// semantics (backend/reference/elementwise.ts): NaN first in maximum/minimum, floor division
// and remainder with the divisor's sign, integer division by zero giving 0, shift counts
// masked to 32 bits, std::pow's special cases. An entry returns [expression, result type], or
// null where the op has no meaning for that compute type (the op layer never sends it).
import type { Dtype } from '@mlx-ts/core';
import { roundToDtype, type CType } from './wgsl.js';

export type RType = CType | 'bool';
type Unary = (a: string, ct: CType, d: Dtype) => [string, RType] | null;
type Binary = (a: string, b: string, ct: CType, d: Dtype) => [string, RType] | null;

const fl = (f: (a: string) => string): Unary => (a, ct) => (ct === 'f32' ? [f(a), 'f32'] : null);
const same = (f: (a: string, ct: CType) => string): Unary => (a, ct) => [f(a, ct), ct];
const test = (f: (a: string) => string, intValue: string): Unary => (a, ct) => [ct === 'f32' ? `select(0u, 1u, ${f(a)})` : intValue, 'bool'];
const zero = (ct: CType): string => (ct === 'f32' ? '0.0' : ct === 'u32' ? '0u' : '0i');

export const unaryOps: Record<string, Unary> = {
  Abs: same((a, ct) => (ct === 'u32' ? a : `abs(${a})`)),
  Negative: same((a, ct) => (ct === 'u32' ? `(0u - ${a})` : `(-${a})`)),
  Sign: same((a, ct) =>
        // through integers: a select of float constants may come back as -0
    ct === 'u32' ? `select(0u, 1u, ${a} > 0u)` : ct === 'i32' ? `sign(${a})` : `f32(i32(${a} > 0.0) - i32(${a} < 0.0))`,
  ),
  Square: same((a) => `(${a} * ${a})`),
  Sqrt: fl((a) => `sqrt(${a})`),
  Rsqrt: fl((a) => `(1.0 / sqrt(${a}))`),
  Reciprocal: fl((a) => `(1.0 / ${a})`),
  Exp: fl((a) => `exp_(${a})`),
  Expm1: fl((a) => `expm1_(${a})`),
  Log: fl((a) => `log_(${a})`),
  Log2: fl((a) => `(log_(${a}) * 1.4426950408889634)`),
  Log10: fl((a) => `(log_(${a}) * 0.43429448190325182)`),
  Log1p: fl((a) => `log1p_(${a})`),
  Sin: fl((a) => `sin(${a})`),
  Cos: fl((a) => `cos(${a})`),
  Tan: fl((a) => `tan(${a})`),
  ArcSin: fl((a) => `asin_(${a})`),
  ArcCos: fl((a) => `acos_(${a})`),
  ArcTan: fl((a) => `atan_(${a})`),
  Sinh: fl((a) => `sinh_(${a})`),
  Cosh: fl((a) => `cosh_(${a})`),
  Tanh: fl((a) => `tanh_(${a})`),
  ArcSinh: fl((a) => `asinh_(${a})`),
  ArcCosh: fl((a) => `acosh_(${a})`),
  ArcTanh: fl((a) => `atanh_(${a})`),
  Floor: same((a, ct) => (ct === 'f32' ? `floor(${a})` : a)),
  Ceil: same((a, ct) => (ct === 'f32' ? `ceil(${a})` : a)),
  // WGSL's round is round-half-to-even, as std::rint
  Round: same((a, ct) => (ct === 'f32' ? `round(${a})` : a)),
  Erf: fl((a) => `erf_(${a})`),
  ErfInv: fl((a) => `erfinv_(${a})`),
  Sigmoid: fl((a) => `(1.0 / (1.0 + exp_(-${a})))`),
  LogicalNot: (a, ct) => [`select(0u, 1u, ${a} == ${zero(ct)})`, 'bool'],
  BitwiseInvert: (a, ct, d) => (ct === 'f32' ? null : d.name === 'bool' ? [`select(1u, 0u, ${a} != 0i)`, 'bool'] : [`(~${a})`, ct]),
  IsNaN: test((a) => `isnan_(${a})`, '0u'),
  IsInf: test((a) => `isinf_(${a})`, '0u'),
  IsPosInf: test((a) => `(bitcast<u32>(${a}) == 0x7f800000u)`, '0u'),
  IsNegInf: test((a) => `(bitcast<u32>(${a}) == 0xff800000u)`, '0u'),
  IsFinite: test((a) => `((bitcast<u32>(${a}) & 0x7f800000u) != 0x7f800000u)`, '1u'),
  Real: same((a) => a),
  Imag: same((_a, ct) => zero(ct)),
  Conjugate: same((a) => a),
  StopGradient: same((a) => a),
};

const cmp = (op: string): Binary => (a, b) => [`select(0u, 1u, ${a} ${op} ${b})`, 'bool'];

export const binaryOps: Record<string, Binary> = {
  Add: (a, b, ct) => [`(${a} + ${b})`, ct],
  Subtract: (a, b, ct) => [`(${a} - ${b})`, ct],
  Multiply: (a, b, ct) => [`(${a} * ${b})`, ct],
  Divide: (a, b, ct) => (ct === 'f32' ? [`(${a} / ${b})`, ct] : null),
  Power: (a, b, ct) => [ct === 'f32' ? `powf_(${a}, ${b})` : ct === 'i32' ? `ipow_(${a}, ${b})` : `upow_(${a}, ${b})`, ct],
  // MLX's float floor_divide is floor(divide(a, b))
  // (the quotient rounded to the dtype first, as the reference: it matters for halves)
  FloorDivide: (a, b, ct, d) => [
    ct === 'f32' ? `floor(${roundToDtype(d, `(${a} / ${b})`)})` : ct === 'i32' ? `ifloordiv_(${a}, ${b})` : `select(${a} / ${b}, 0u, ${b} == 0u)`,
    ct,
  ],
  Remainder: (a, b, ct) => [ct === 'f32' ? `frem_(${a}, ${b})` : ct === 'i32' ? `irem_(${a}, ${b})` : `select(${a} % ${b}, 0u, ${b} == 0u)`, ct],
  Maximum: (a, b, ct) => [ct === 'f32' ? `fmax_(${a}, ${b})` : `max(${a}, ${b})`, ct],
  Minimum: (a, b, ct) => [ct === 'f32' ? `fmin_(${a}, ${b})` : `min(${a}, ${b})`, ct],
  LogAddExp: (a, b, ct) => (ct === 'f32' ? [`logaddexp_(${a}, ${b})`, ct] : null),
  ArcTan2: (a, b, ct) => (ct === 'f32' ? [`atan2_(${a}, ${b})`, ct] : null),
  Equal: cmp('=='),
  // !(a == b): a != b compiles to an ordered compare on some drivers (lavapipe), false for NaN
  NotEqual: (a, b) => [`select(1u, 0u, ${a} == ${b})`, 'bool'],
  NaNEqual: (a, b, ct) => [ct === 'f32' ? `select(0u, 1u, ${a} == ${b} || (isnan_(${a}) && isnan_(${b})))` : `select(0u, 1u, ${a} == ${b})`, 'bool'],
  Less: cmp('<'),
  LessEqual: cmp('<='),
  Greater: cmp('>'),
  GreaterEqual: cmp('>='),
  // NaN is true: !(x == 0) rather than x != 0, as for NotEqual
  LogicalAnd: (a, b, ct) => [`select(0u, 1u, !(${a} == ${zero(ct)}) && !(${b} == ${zero(ct)}))`, 'bool'],
  LogicalOr: (a, b, ct) => [`select(0u, 1u, !(${a} == ${zero(ct)}) || !(${b} == ${zero(ct)}))`, 'bool'],
  BitwiseAnd: (a, b, ct) => (ct === 'f32' ? null : [`(${a} & ${b})`, ct]),
  BitwiseOr: (a, b, ct) => (ct === 'f32' ? null : [`(${a} | ${b})`, ct]),
  BitwiseXor: (a, b, ct) => (ct === 'f32' ? null : [`(${a} ^ ${b})`, ct]),
  // counts masked to the register width, as the reference (x86) does
  LeftShift: (a, b, ct) => (ct === 'f32' ? null : [`(${a} << (u32(${b}) & 31u))`, ct]),
  RightShift: (a, b, ct) => (ct === 'f32' ? null : [`(${a} >> (u32(${b}) & 31u))`, ct]),
};
