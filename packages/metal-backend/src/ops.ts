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

// ---- int64/uint64 (vec2u: lo, hi) and complex64 (vec2f) ----
// 64-bit integer ops through the wgsl.ts helpers (wrapping as the reference's bigint stores);
// complex ops as the reference's complex kernels (Annex G special cases). An op the reference
// has no complex kernel for, or whose complex GPU kernel isn't written, returns null.
const is64 = (ct: CType): boolean => ct === 'i64' || ct === 'u64';
const b = (cond: string): [string, RType] => [`select(0u, 1u, ${cond})`, 'bool'];
const Z64 = 'vec2u(0u, 0u)';
const lt64 = (ct: CType, a: string, c: string): string => `${ct === 'i64' ? 'slt64_' : 'ult64_'}(${a}, ${c})`;

const unary64: Record<string, (a: string, ct: CType) => [string, RType] | null> = {
  Abs: (a, ct) => [ct === 'i64' ? `select(${a}, neg64_(${a}), neg64b_(${a}))` : a, ct],
  Negative: (a, ct) => [`neg64_(${a})`, ct],
  Sign: (a, ct) => [
    ct === 'i64'
      ? `select(select(vec2u(1u, 0u), ${Z64}, (${a}.x | ${a}.y) == 0u), vec2u(0xffffffffu, 0xffffffffu), neg64b_(${a}))`
      : `select(vec2u(1u, 0u), ${Z64}, (${a}.x | ${a}.y) == 0u)`,
    ct,
  ],
  Square: (a, ct) => [`mul64_(${a}, ${a})`, ct],
  Floor: (a, ct) => [a, ct],
  Ceil: (a, ct) => [a, ct],
  Round: (a, ct) => [a, ct],
  LogicalNot: (a) => b(`(${a}.x | ${a}.y) == 0u`),
  BitwiseInvert: (a, ct) => [`(~${a})`, ct],
  IsNaN: () => ['0u', 'bool'],
  IsInf: () => ['0u', 'bool'],
  IsPosInf: () => ['0u', 'bool'],
  IsNegInf: () => ['0u', 'bool'],
  IsFinite: () => ['1u', 'bool'],
  Real: (a, ct) => [a, ct],
  Imag: (_a, ct) => [Z64, ct],
  Conjugate: (a, ct) => [a, ct],
  StopGradient: (a, ct) => [a, ct],
};

const binary64: Record<string, (a: string, c: string, ct: CType) => [string, RType] | null> = {
  Add: (a, c, ct) => [`add64_(${a}, ${c})`, ct],
  Subtract: (a, c, ct) => [`sub64_(${a}, ${c})`, ct],
  Multiply: (a, c, ct) => [`mul64_(${a}, ${c})`, ct],
  Power: (a, c, ct) => [`pow64_(${a}, ${c}, ${ct === 'i64'})`, ct],
  FloorDivide: (a, c, ct) => [ct === 'i64' ? `sfloordiv64_(${a}, ${c})` : `udm64_(${a}, ${c}).xy`, ct],
  Remainder: (a, c, ct) => [ct === 'i64' ? `srem64_(${a}, ${c})` : `udm64_(${a}, ${c}).zw`, ct],
  Maximum: (a, c, ct) => [`select(${a}, ${c}, ${lt64(ct, a, c)})`, ct],
  Minimum: (a, c, ct) => [`select(${a}, ${c}, ${lt64(ct, c, a)})`, ct],
  Equal: (a, c) => b(`eq64_(${a}, ${c})`),
  NotEqual: (a, c) => b(`!eq64_(${a}, ${c})`),
  NaNEqual: (a, c) => b(`eq64_(${a}, ${c})`),
  Less: (a, c, ct) => b(lt64(ct, a, c)),
  LessEqual: (a, c, ct) => b(`!${lt64(ct, c, a)}`),
  Greater: (a, c, ct) => b(lt64(ct, c, a)),
  GreaterEqual: (a, c, ct) => b(`!${lt64(ct, a, c)}`),
  LogicalAnd: (a, c) => b(`(${a}.x | ${a}.y) != 0u && (${c}.x | ${c}.y) != 0u`),
  LogicalOr: (a, c) => b(`(${a}.x | ${a}.y) != 0u || (${c}.x | ${c}.y) != 0u`),
  BitwiseAnd: (a, c, ct) => [`(${a} & ${c})`, ct],
  BitwiseOr: (a, c, ct) => [`(${a} | ${c})`, ct],
  BitwiseXor: (a, c, ct) => [`(${a} ^ ${c})`, ct],
  // counts masked to 64 bits, as the reference's bigint shifts
  LeftShift: (a, c, ct) => [`shl64_(${a}, ${c}.x)`, ct],
  RightShift: (a, c, ct) => [`${ct === 'i64' ? 'shrs64_' : 'shru64_'}(${a}, ${c}.x)`, ct],
};

const LN2 = 0.6931471805599453;
const LN10 = 2.302585092994046;
const unaryC: Record<string, (a: string) => [string, RType]> = {
  Abs: (a) => [`cabs_(${a})`, 'f32'],
  Negative: (a) => [`(-${a})`, 'c64'],
  Sign: (a) => [`csign_(${a})`, 'c64'],
  Square: (a) => [`cmul_(${a}, ${a})`, 'c64'],
  Sqrt: (a) => [`csqrt_(${a})`, 'c64'],
  Rsqrt: (a) => [`cdiv_(vec2f(1.0, 0.0), csqrt_(${a}))`, 'c64'],
  Reciprocal: (a) => [`cdiv_(vec2f(1.0, 0.0), ${a})`, 'c64'],
  Exp: (a) => [`cexp_(${a})`, 'c64'],
  Log: (a) => [`clog_(${a})`, 'c64'],
  Log2: (a) => [`(clog_(${a}) / ${LN2})`, 'c64'],
  Log10: (a) => [`(clog_(${a}) / ${LN10})`, 'c64'],
  Sin: (a) => [`csin_(${a})`, 'c64'],
  Cos: (a) => [`ccos_(${a})`, 'c64'],
  Tan: (a) => [`cdiv_(csin_(${a}), ccos_(${a}))`, 'c64'],
  Sinh: (a) => [`csinh_(${a})`, 'c64'],
  Cosh: (a) => [`ccosh_(${a})`, 'c64'],
  Tanh: (a) => [`cdiv_(csinh_(${a}), ccosh_(${a}))`, 'c64'],
  Round: (a) => [`round(${a})`, 'c64'],
  Log1p: (a) => [`clog1p_(${a})`, 'c64'],
  ArcSin: (a) => [`casin_(${a})`, 'c64'],
  ArcCos: (a) => [`cacos_(${a})`, 'c64'],
  ArcTan: (a) => [`catan_(${a})`, 'c64'],
  ArcSinh: (a) => [`casinh_(${a})`, 'c64'],
  ArcCosh: (a) => [`cacosh_(${a})`, 'c64'],
  ArcTanh: (a) => [`catanh_(${a})`, 'c64'],
  LogicalNot: (a) => b(`${a}.x == 0.0 && ${a}.y == 0.0`),
  IsNaN: (a) => b(`cnan_(${a})`),
  IsInf: (a) => b(`isinf_(${a}.x) || isinf_(${a}.y)`),
  IsPosInf: (a) => b(`bitcast<u32>(${a}.x) == 0x7f800000u && ${a}.y == 0.0`),
  IsNegInf: (a) => b(`bitcast<u32>(${a}.x) == 0xff800000u && ${a}.y == 0.0`),
  IsFinite: (a) => b(`isfin_(${a}.x) && isfin_(${a}.y)`),
  Real: (a) => [`${a}.x`, 'f32'],
  Imag: (a) => [`${a}.y`, 'f32'],
  Conjugate: (a) => [`vec2f(${a}.x, -${a}.y)`, 'c64'],
  StopGradient: (a) => [a, 'c64'],
};

const binaryC: Record<string, (a: string, c: string) => [string, RType]> = {
  Add: (a, c) => [`(${a} + ${c})`, 'c64'],
  Subtract: (a, c) => [`(${a} - ${c})`, 'c64'],
  Multiply: (a, c) => [`cmul_(${a}, ${c})`, 'c64'],
  Divide: (a, c) => [`cdiv_(${a}, ${c})`, 'c64'],
  // complex floor_divide is a plain division in MLX
  FloorDivide: (a, c) => [`cdiv_(${a}, ${c})`, 'c64'],
  // std::pow(z, w) = exp(w log z)
  Power: (a, c) => [`cexp_(cmul_(${c}, clog_(${a})))`, 'c64'],
  LogAddExp: (a, c) => [`clogaddexp_(${a}, ${c})`, 'c64'],
  Maximum: (a, c) => [`select(${c}, ${a}, cnan_(${a}) || cgt_(${a}, ${c}))`, 'c64'],
  Minimum: (a, c) => [`select(${c}, ${a}, cnan_(${a}) || cgt_(${c}, ${a}))`, 'c64'],
  Equal: (a, c) => b(`${a}.x == ${c}.x && ${a}.y == ${c}.y`),
  NotEqual: (a, c) => b(`!(${a}.x == ${c}.x && ${a}.y == ${c}.y)`),
  NaNEqual: (a, c) => b(`(${a}.x == ${c}.x || (isnan_(${a}.x) && isnan_(${c}.x))) && (${a}.y == ${c}.y || (isnan_(${a}.y) && isnan_(${c}.y)))`),
  Less: (a, c) => b(`cgt_(${c}, ${a})`),
  LessEqual: (a, c) => b(`cge_(${c}, ${a})`),
  Greater: (a, c) => b(`cgt_(${a}, ${c})`),
  GreaterEqual: (a, c) => b(`cge_(${a}, ${c})`),
};

// route the wide compute types to the tables above; 32-bit ones keep their entries
for (const [name, f] of Object.entries(unaryOps)) {
  unaryOps[name] = (a, ct, d) => (ct === 'c64' ? (unaryC[name]?.(a) ?? null) : is64(ct) ? (unary64[name]?.(a, ct) ?? null) : f(a, ct, d));
}
for (const [name, f] of Object.entries(binaryOps)) {
  binaryOps[name] = (a, c, ct, d) => (ct === 'c64' ? (binaryC[name]?.(a, c) ?? null) : is64(ct) ? (binary64[name]?.(a, c, ct) ?? null) : f(a, c, ct, d));
}
