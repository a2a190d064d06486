// Elementwise unary and binary kernels for int64, uint64, float16 and bfloat16, with the
// semantics of the reference backend (packages/core/src/backend/reference/elementwise.ts).
// The per-element semantics are elementwise.ts's own (arith, compare, unaryArith, predicate),
// instantiated for 64-bit integers or for the double a 16-bit float widens to; this file adds
// only what differs for these storage types:
//
// int64 / uint64 (the reference's bigint functions, wrapped to 64 bits on store): i64
//   arithmetic wraps modulo 2^64 as those stores do; floor_divide and remainder by 0 give 0,
//   INT64_MIN // -1 wraps to INT64_MIN (arith<T>); power by square-and-multiply, 0 for
//   negative exponents; shifts mask the count to 6 bits, as the reference's `b & 63n`
//   (arithmetic right shift for int64, logical for uint64). Ops the reference defines only in
//   double (divide, logaddexp, arctan2, sqrt, rsqrt, reciprocal, exp ... erfinv) read the
//   integer as the nearest double (Number(bigint): round to nearest even above 2^53), compute
//   as the float64 kernels do (their transcendental functions are the reference's, imported:
//   an integer result leaves no ulp to spare) and store BigInt(trunc(v)) modulo 2^64 (NaN and
//   infinities store 0), as numberWriter does.
// float16 / bfloat16: decoded to double (exact), computed in double as the float64 kernels do,
//   rounded once to the 16-bit type on store (half-double.ts: nearest even directly from
//   double, never through float32, which would round twice). floor_divide floors the quotient
//   rounded to the 16-bit type, as the reference does. Transcendental functions use native
//   double functions (math.ts: exp as fdlibm's, sigmoid and erf on it; AssemblyScript's
//   NativeMath for the others, as the float32 kernels), rounded once to the 16-bit type
//   (float32's exp in float32 arithmetic would add its own rounding). Stated bound: <= 1 ulp of the
//   16-bit type against the reference (the double results are within ~1 ulp of double, so a
//   16-bit result differs only when the exact value lies within ~1 ulp of double of a 16-bit
//   rounding boundary: about 2^-42 per element for float16, 2^-45 for bfloat16; tested with
//   ulp: 1 and a count of exact mismatches). Power, logaddexp, arctan2 and erfinv call the
//   reference's functions: exact.
//
// SIMD (contiguous and scalar-broadcast operands; bit-identical to the scalar forms, which the
// strided layout runs): 16-bit floats widen eight at a time to four f64x2 (exact), compute with
// elementwise.ts's f64x2 forms (add, subtract, multiply, divide, maximum, minimum, square,
// sqrt, reciprocal, floor, ceil, round), floor_divide, the comparisons, or math.ts's (exp,
// sigmoid), and round back with the i64x2 form of the scalar rounding; negative / abs flip /
// clear the sign bit (the reference's -x and |x| are exact, NaN payloads aside). int64: i64x2
// add, subtract, multiply, and, or, xor, negative, square, bitwise_invert, abs (signed).
//
// Layout modes and signatures are elementwise.ts's: binary (op, mode, pa, pb, po, n) with mode
// 0 contiguous, 1 `b` scalar, 2 `a` scalar, 3 descriptor [ndim, shape, stridesA, stridesB];
// unary (op, strided, px, po, n) with descriptor [ndim, shape, strides]. Outputs contiguous.
// Every export returns false for an op the reference doesn't define for its dtype, so JS falls
// back (and the reference reports the error).
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import {
  arith, compare, unaryArith, predicate, arithV, unaryV,
  BINARY_Add, BINARY_Subtract, BINARY_Multiply, BINARY_Divide, BINARY_Maximum, BINARY_Minimum, BINARY_FloorDivide,
  BINARY_Remainder, BINARY_BitwiseAnd, BINARY_BitwiseOr, BINARY_BitwiseXor, BINARY_LeftShift, BINARY_RightShift,
  BINARY_Equal, BINARY_NotEqual, BINARY_Less, BINARY_LessEqual, BINARY_Greater, BINARY_GreaterEqual, BINARY_NaNEqual,
  BINARY_LogicalAnd, BINARY_LogicalOr, BINARY_Power, BINARY_LogAddExp, BINARY_ArcTan2,
  UNARY_Negative, UNARY_Abs, UNARY_Square, UNARY_Sqrt, UNARY_Rsqrt, UNARY_Reciprocal, UNARY_Floor, UNARY_Ceil,
  UNARY_Round, UNARY_Sign, UNARY_BitwiseInvert, UNARY_IsNaN, UNARY_LogicalNot, UNARY_Exp, UNARY_Expm1, UNARY_Log, UNARY_Log2, UNARY_Log10, UNARY_Log1p,
  UNARY_Sin, UNARY_Cos, UNARY_Tan, UNARY_ArcSin, UNARY_ArcCos, UNARY_ArcTan, UNARY_Sinh, UNARY_Cosh, UNARY_Tanh,
  UNARY_ArcSinh, UNARY_ArcCosh, UNARY_ArcTanh, UNARY_Sigmoid, UNARY_Erf, UNARY_ErfInv,
} from './elementwise';
import { halfToF64, bf16ToF64, f64ToHalf, f64ToBf16 } from './half-double';
import { expD, expV, sigmoidD, sigmoidV, erfD, erfinvD } from './math';

// ---- 64-bit integers ----

/** numberWriter's store of a double into a 64-bit integer: BigInt(trunc(v)) modulo 2^64, 0 for NaN and infinities. */
@inline function wrapDouble<T>(v: f64): T {
  const a = Math.abs(v);
  if (a < 9223372036854775808.0) return <T><i64>v; // |v| < 2^63 (i64.trunc_sat: in range here)
  if (!(a < Infinity)) return <T>0; // NaN, infinities
  // an integer m * 2^s with m the 53-bit significand and s >= 11: its low 64 bits, negated for v < 0
  const bits = reinterpret<u64>(v);
  const s = <i32>((bits >> 52) & 0x7ff) - 1075;
  const m = (bits & 0xfffffffffffff) | 0x10000000000000;
  const low: u64 = s >= 64 ? 0 : m << <u64>s;
  return <T>(v < 0 ? 0 - low : low);
}

/** Ops the reference defines for 64-bit integers only in double (no bigint function). */
@inline function binaryViaDouble(op: i32): bool {
  return op == BINARY_Divide || op == BINARY_LogAddExp || op == BINARY_ArcTan2;
}
@inline function unaryViaDouble(op: i32): bool {
  return op == UNARY_Sqrt || op == UNARY_Rsqrt || op == UNARY_Reciprocal || (op >= UNARY_Exp && op <= UNARY_ErfInv);
}

/** The reference's bigPower wrapped to 64 bits: products modulo 2^64 commute with its wrapping. */
@inline function powInt<T>(base: T, exp: T): T {
  if (isSigned<T>() && exp < 0) return 0;
  let r: T = 1;
  let b = base;
  let e = exp;
  while (e > 0) {
    if ((e & 1) != 0) r *= b;
    b *= b;
    e >>= 1;
  }
  return r;
}

@inline function binaryInt64<T, R>(op: i32, a: T, b: T): R {
  if (op >= BINARY_Equal && op <= BINARY_LogicalOr) return <R>compare<T>(op, a, b);
  if (binaryViaDouble(op)) return <R>wrapDouble<T>(arith<f64>(op, <f64>a, <f64>b));
  // arith<T> shifts in 32-bit registers (JS's semantics for the narrower types)
  if (op == BINARY_LeftShift) return <R>(a << (b & 63));
  if (op == BINARY_RightShift) return <R>(a >> (b & 63)); // arithmetic for i64, logical for u64
  if (op == BINARY_Power) return <R>powInt<T>(a, b);
  return <R>arith<T>(op, a, b);
}

@inline function unaryInt64<T, R>(op: i32, x: T): R {
  if (op >= UNARY_IsNaN && op <= UNARY_LogicalNot) return <R>predicate<T>(op, x);
  if (unaryViaDouble(op)) return <R>wrapDouble<T>(unaryArith<f64>(op, <f64>x));
  return <R>unaryArith<T>(op, x);
}

@inline function arithInt64V(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BINARY_Add: return i64x2.add(a, b);
    case BINARY_Subtract: return i64x2.sub(a, b);
    case BINARY_Multiply: return i64x2.mul(a, b);
    case BINARY_BitwiseAnd: return v128.and(a, b);
    case BINARY_BitwiseOr: return v128.or(a, b);
    case BINARY_BitwiseXor: return v128.xor(a, b);
  }
  return a;
}

@inline function unaryInt64V(op: i32, x: v128): v128 {
  switch (op) {
    case UNARY_Negative: return i64x2.neg(x);
    case UNARY_Square: return i64x2.mul(x, x);
    case UNARY_BitwiseInvert: return v128.not(x);
    case UNARY_Abs: return i64x2.abs(x); // INT64_MIN stays INT64_MIN, as the reference's wrapped -x
  }
  return x;
}

// ---- 16-bit floats (bf: bfloat16, else float16) ----

// The scalar conversions as calls: they are most of the scalar work, and inlined into every
// loop they would make the module several times larger.
function f16ToDouble(h: u32): f64 {
  return halfToF64(h);
}
function bf16ToDouble(h: u32): f64 {
  return bf16ToF64(h);
}
function doubleToF16(x: f64): u32 {
  return f64ToHalf(x);
}
function doubleToBf16(x: f64): u32 {
  return f64ToBf16(x);
}
@inline function decode(bf: bool, h: u32): f64 {
  return bf ? bf16ToDouble(h) : f16ToDouble(h);
}
@inline function encode(bf: bool, x: f64): u32 {
  return bf ? doubleToBf16(x) : doubleToF16(x);
}

/** Native double functions for UNARY_Exp..UNARY_ErfInv (unaryArith's float32 cases, with exp in double). */
@inline function nativeD(op: i32, x: f64): f64 {
  switch (op) {
    case UNARY_Exp: return expD(x);
    case UNARY_Expm1: return Math.expm1(x);
    case UNARY_Log: return Math.log(x);
    case UNARY_Log2: return Math.log2(x);
    case UNARY_Log10: return Math.log10(x);
    case UNARY_Log1p: return Math.log1p(x);
    case UNARY_Sin: return Math.sin(x);
    case UNARY_Cos: return Math.cos(x);
    case UNARY_Tan: return Math.tan(x);
    case UNARY_ArcSin: return Math.asin(x);
    case UNARY_ArcCos: return Math.acos(x);
    case UNARY_ArcTan: return Math.atan(x);
    case UNARY_Sinh: return Math.sinh(x);
    case UNARY_Cosh: return Math.cosh(x);
    case UNARY_Tanh: return Math.tanh(x);
    case UNARY_ArcSinh: return Math.asinh(x);
    case UNARY_ArcCosh: return Math.acosh(x);
    case UNARY_ArcTanh: return Math.atanh(x);
    case UNARY_Sigmoid: return sigmoidD(x);
    case UNARY_Erf: return erfD(x);
    case UNARY_ErfInv: return erfinvD(x);
  }
  return x;
}

@inline function binaryHalf<R>(bf: bool, op: i32, a: u32, b: u32): R {
  const x = decode(bf, a);
  const y = decode(bf, b);
  if (op >= BINARY_Equal && op <= BINARY_LogicalOr) return <R>compare<f64>(op, x, y);
  if (op == BINARY_FloorDivide) return <R>encode(bf, Math.floor(decode(bf, encode(bf, x / y))));
  return <R>encode(bf, arith<f64>(op, x, y));
}

@inline function unaryHalf<R>(bf: bool, op: i32, h: u32): R {
  if (op == UNARY_Negative) return <R>(h ^ 0x8000);
  if (op == UNARY_Abs) return <R>(h & 0x7fff);
  const x = decode(bf, h);
  if (op >= UNARY_IsNaN && op <= UNARY_LogicalNot) return <R>predicate<f64>(op, x);
  if (op >= UNARY_Exp && op <= UNARY_ErfInv) return <R>encode(bf, nativeD(op, x));
  return <R>encode(bf, unaryArith<f64>(op, x));
}

// i64x2 forms of half-double.ts's decode16 / encode16 (each lane: a 16-bit pattern in its low
// bits <-> a double). NaNs stay NaN with their sign (payloads aside, as the comparisons allow).
const F16_MAN: i32 = 10;
const F16_BIAS: i32 = 15;
const BF16_MAN: i32 = 7;
const BF16_BIAS: i32 = 127;

@inline function decode16V(h: v128, manBits: i32, bias: i32): v128 {
  const infMag: i64 = ((1 << (15 - manBits)) - 1) << manBits;
  const mag = v128.and(h, i64x2.splat(0x7fff));
  // exponent and significand moved into place; the product rescales the exponent bias exactly
  // (a 16-bit subnormal is a double subnormal here, whose product is exact too)
  const a = i64x2.shl(mag, 52 - manBits);
  let v = f64x2.mul(a, f64x2.splat(reinterpret<f64>(<u64>(2046 - bias) << 52)));
  v = v128.bitselect(v128.or(a, i64x2.splat(0x7ff0000000000000)), v, i64x2.ge_s(mag, i64x2.splat(infMag)));
  return v128.or(v, i64x2.shl(v128.and(h, i64x2.splat(0x8000)), 48));
}

@inline function encode16V(x: v128, manBits: i32, bias: i32, nanBits: i64): v128 {
  const drop = 52 - manBits;
  const infBits: i64 = ((1 << (15 - manBits)) - 1) << manBits;
  const sign = v128.and(i64x2.shr_u(x, 48), i64x2.splat(0x8000));
  const a = v128.and(x, i64x2.splat(0x7fffffffffffffff));
  // normal: nearest even on the bits (a carry moves into the exponent), exponent rebiased
  const lsb = v128.and(i64x2.shr_u(a, drop), i64x2.splat(1));
  const rounded = i64x2.shr_u(i64x2.add(a, i64x2.add(i64x2.splat((<i64>1 << (drop - 1)) - 1), lsb)), drop);
  const normal = i64x2.sub(rounded, i64x2.splat(<i64>(1023 - bias) << manBits));
  // below the smallest normal: |x| scaled exactly to units of the smallest subnormal; adding
  // 2^52 rounds it to an integer, half to even, in the low bits
  const scaled = f64x2.add(f64x2.mul(a, f64x2.splat(reinterpret<f64>(<u64>(1023 + manBits + bias - 1) << 52))), f64x2.splat(4503599627370496.0));
  const sub = i64x2.sub(scaled, i64x2.splat(0x4330000000000000));
  let r = v128.bitselect(sub, normal, i64x2.lt_s(a, i64x2.splat(<i64>(1024 - bias) << 52)));
  // from the midpoint between the largest finite value and 2^(bias+1) on (ties go to even: infinity)
  const overflow: i64 = (<i64>(1023 + bias) << 52) | (((<i64>1 << (manBits + 1)) - 1) << (drop - 1));
  r = v128.bitselect(i64x2.splat(infBits), r, i64x2.ge_s(a, i64x2.splat(overflow)));
  r = v128.bitselect(i64x2.splat(nanBits), r, i64x2.gt_s(a, i64x2.splat(0x7ff0000000000000)));
  return v128.or(r, sign);
}

@inline function decodeV(bf: bool, h: v128): v128 {
  return bf ? decode16V(h, BF16_MAN, BF16_BIAS) : decode16V(h, F16_MAN, F16_BIAS);
}

@inline function encodeV(bf: bool, x: v128): v128 {
  return bf ? encode16V(x, BF16_MAN, BF16_BIAS, 0x7fc0) : encode16V(x, F16_MAN, F16_BIAS, 0x7e00);
}

/** Elements 2k, 2k+1 of eight 16-bit floats, widened to an f64x2 (k constant: the extends fold). */
@inline function widen(bf: bool, v: v128, k: i32): v128 {
  const q = k < 2 ? i32x4.extend_low_i16x8_u(v) : i32x4.extend_high_i16x8_u(v);
  return decodeV(bf, (k & 1) == 0 ? i64x2.extend_low_i32x4_u(q) : i64x2.extend_high_i32x4_u(q));
}

/** Four f64x2 rounded to the 16-bit type and stored as eight elements at p. */
@inline function narrow8(bf: bool, p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const lo = v128.shuffle<u32>(encodeV(bf, r0), encodeV(bf, r1), 0, 2, 4, 6);
  const hi = v128.shuffle<u32>(encodeV(bf, r2), encodeV(bf, r3), 0, 2, 4, 6);
  v128.store(p, i16x8.narrow_i32x4_u(lo, hi)); // every lane is <= 0xffff: no saturation
}
// as calls, for the same reason as the scalar conversions
function narrow8F16(p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  narrow8(false, p, r0, r1, r2, r3);
}
function narrow8BF16(p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  narrow8(true, p, r0, r1, r2, r3);
}
@inline function store8(bf: bool, p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  if (bf) narrow8BF16(p, r0, r1, r2, r3);
  else narrow8F16(p, r0, r1, r2, r3);
}

/** binaryHalf's arithmetic on f64x2 (floor_divide: the quotient rounded to the 16-bit type first). */
@inline function binaryHalfV(bf: bool, op: i32, a: v128, b: v128): v128 {
  if (op == BINARY_FloorDivide) return f64x2.floor(decodeV(bf, encodeV(bf, f64x2.div(a, b))));
  return arithV<f64>(op, a, b);
}

/** compare<f64> on f64x2: all-ones lanes where true. */
@inline function compareV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BINARY_Equal: return f64x2.eq(a, b);
    case BINARY_NotEqual: return f64x2.ne(a, b);
    case BINARY_Less: return f64x2.lt(a, b);
    case BINARY_LessEqual: return f64x2.le(a, b);
    case BINARY_Greater: return f64x2.gt(a, b);
    case BINARY_GreaterEqual: return f64x2.ge(a, b);
    case BINARY_NaNEqual: return v128.or(f64x2.eq(a, b), v128.and(f64x2.ne(a, a), f64x2.ne(b, b)));
    case BINARY_LogicalAnd: return v128.and(f64x2.ne(a, f64x2.splat(0)), f64x2.ne(b, f64x2.splat(0)));
    case BINARY_LogicalOr: return v128.or(f64x2.ne(a, f64x2.splat(0)), f64x2.ne(b, f64x2.splat(0)));
  }
  return a;
}

/** Four f64x2 masks stored as eight bools (0 / 1) at p. */
@inline function storeMask8(p: usize, m0: v128, m1: v128, m2: v128, m3: v128): void {
  const w = i16x8.narrow_i32x4_s(v128.shuffle<u32>(m0, m1, 0, 2, 4, 6), v128.shuffle<u32>(m2, m3, 0, 2, 4, 6));
  v128.store64_lane(p, v128.and(i8x16.narrow_i16x8_s(w, w), i8x16.splat(1)), 0);
}

@inline function unaryHalfV(op: i32, x: v128): v128 {
  if (op == UNARY_Exp) return expV(x);
  if (op == UNARY_Sigmoid) return sigmoidV(x);
  return unaryV<f64>(op, x);
}

// ---- per-element dispatch: S is the storage type (i64 / u64, or u16 for the 16-bit floats) ----

@inline function binaryOne<S, R>(bf: bool, op: i32, a: S, b: S): R {
  if (sizeof<S>() == 8) return binaryInt64<S, R>(op, a, b);
  return binaryHalf<R>(bf, op, <u32>a, <u32>b);
}

@inline function unaryOne<S, R>(bf: bool, op: i32, x: S): R {
  if (sizeof<S>() == 8) return unaryInt64<S, R>(op, x);
  return unaryHalf<R>(bf, op, <u32>x);
}

// ---- loops ----
// `simd`: the op has a vector form for this storage type (the caller's constant).

/** The vector part of a binary loop in modes 0-2 (a scalar operand is splat): returns how many elements it did. */
@inline function binarySimd<S>(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  const ca = mode != 2;
  const cb = mode != 1;
  if (sizeof<S>() == 8) {
    const va = i64x2.splat(<i64>load<S>(pa));
    const vb = i64x2.splat(<i64>load<S>(pb));
    const end = n & ~1;
    for (let i = 0; i < end; i += 2) {
      const off = <usize>i << 3;
      v128.store(po + off, arithInt64V(op, ca ? v128.load(pa + off) : va, cb ? v128.load(pb + off) : vb));
    }
    return end;
  }
  return halfPairsSimd(bf, op, false, ca, cb, pa, pb, po, n);
}

/**
 * The 16-bit floats' vector loop, 8 elements a step widened to four f64x2 per operand (a
 * non-contiguous operand is its splat scalar): arithmetic stored back as 16-bit floats, or
 * comparisons (`cmp`) stored as bools. Returns how many elements it did.
 */
@inline function halfPairsSimd(bf: bool, op: i32, cmp: bool, ca: bool, cb: bool, pa: usize, pb: usize, po: usize, n: i32): i32 {
  const va = f64x2.splat(decode(bf, <u32>load<u16>(pa)));
  const vb = f64x2.splat(decode(bf, <u32>load<u16>(pb)));
  const end = n & ~7;
  for (let i = 0; i < end; i += 8) {
    const off = <usize>i << 1;
    let a0 = va, a1 = va, a2 = va, a3 = va;
    let b0 = vb, b1 = vb, b2 = vb, b3 = vb;
    if (ca) {
      const v = v128.load(pa + off);
      a0 = widen(bf, v, 0); a1 = widen(bf, v, 1); a2 = widen(bf, v, 2); a3 = widen(bf, v, 3);
    }
    if (cb) {
      const v = v128.load(pb + off);
      b0 = widen(bf, v, 0); b1 = widen(bf, v, 1); b2 = widen(bf, v, 2); b3 = widen(bf, v, 3);
    }
    if (cmp) storeMask8(po + <usize>i, compareV(op, a0, b0), compareV(op, a1, b1), compareV(op, a2, b2), compareV(op, a3, b3));
    else store8(bf, po + off, binaryHalfV(bf, op, a0, b0), binaryHalfV(bf, op, a1, b1), binaryHalfV(bf, op, a2, b2), binaryHalfV(bf, op, a3, b3));
  }
  return end;
}

/** binarySimd for the 16-bit comparisons (bool output). */
@inline function compareHalfSimd(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  return halfPairsSimd(bf, op, true, mode != 2, mode != 1, pa, pb, po, n);
}

@inline function binaryLoops<S, R>(bf: bool, simd: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  if (mode == 3) {
    binaryStrided<S, R>(bf, op, pa, pb, po);
    return;
  }
  // a scalar operand (modes 1, 2) is the same address throughout
  const da: usize = mode == 2 ? 0 : sizeof<S>();
  const db: usize = mode == 1 ? 0 : sizeof<S>();
  const i0 = simd ? binarySimd<S>(bf, op, mode, pa, pb, po, n) : 0;
  let a = pa + <usize>i0 * da;
  let b = pb + <usize>i0 * db;
  let o = po + (<usize>i0 << alignof<R>());
  for (let i = i0; i < n; i++) {
    store<R>(o, binaryOne<S, R>(bf, op, load<S>(a), load<S>(b)));
    a += da;
    b += db;
    o += sizeof<R>();
  }
}

/** Descriptor [ndim, shape, stridesA, stridesB]; the last dimension is the tight loop. */
@inline function binaryStrided<S, R>(bf: bool, op: i32, pa: usize, pb: usize, po: usize): void {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const sa0 = word(1 + nd + last);
  const sb0 = word(1 + 2 * nd + last);
  const shape = wordAt(1);
  const ja = jumpTable(0);
  const jb = jumpTable(1);
  const rows = startDescWalk(last, 2);
  let oa = 0;
  let ob = 0;
  let o = po;
  for (let r = 0; r < rows; r++) {
    let ia = oa;
    let ib = ob;
    for (let j = 0; j < n0; j++) {
      store<R>(o, binaryOne<S, R>(bf, op, load<S>(at<S>(pa, ia)), load<S>(at<S>(pb, ib))));
      o += sizeof<R>();
      ia += sa0;
      ib += sb0;
    }
    const k = advance(shape, COUNTERS, last);
    oa += jump(ja, k);
    ob += jump(jb, k);
  }
}

/** The vector part of a contiguous unary loop: returns how many elements it did. */
@inline function unarySimd<S>(bf: bool, op: i32, px: usize, po: usize, n: i32): i32 {
  if (sizeof<S>() == 8) {
    const end = n & ~1;
    for (let i = 0; i < end; i += 2) {
      const off = <usize>i << 3;
      v128.store(po + off, unaryInt64V(op, v128.load(px + off)));
    }
    return end;
  }
  const end = n & ~7;
  if (op == UNARY_Negative || op == UNARY_Abs) {
    // the sign bit flipped / cleared on the patterns, eight at a time
    const mask = i16x8.splat(<i16>(op == UNARY_Negative ? 0x8000 : 0x7fff));
    for (let i = 0; i < end; i += 8) {
      const off = <usize>i << 1;
      const v = v128.load(px + off);
      v128.store(po + off, op == UNARY_Negative ? v128.xor(v, mask) : v128.and(v, mask));
    }
    return end;
  }
  for (let i = 0; i < end; i += 8) {
    const off = <usize>i << 1;
    const v = v128.load(px + off);
    store8(bf, po + off, unaryHalfV(op, widen(bf, v, 0)), unaryHalfV(op, widen(bf, v, 1)), unaryHalfV(op, widen(bf, v, 2)), unaryHalfV(op, widen(bf, v, 3)));
  }
  return end;
}

@inline function unaryLoops<S, R>(bf: bool, simd: bool, op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  if (!strided) {
    let i = simd ? unarySimd<S>(bf, op, px, po, n) : 0;
    for (; i < n; i++) store<R>(at<R>(po, i), unaryOne<S, R>(bf, op, load<S>(at<S>(px, i))));
    return;
  }
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  const shape = wordAt(1);
  const jx = jumpTable(0);
  const rows = startDescWalk(last, 1);
  let ox = 0;
  let o = po;
  for (let r = 0; r < rows; r++) {
    let ix = ox;
    for (let j = 0; j < n0; j++) {
      store<R>(o, unaryOne<S, R>(bf, op, load<S>(at<S>(px, ix))));
      o += sizeof<R>();
      ix += s0;
    }
    ox += jump(jx, advance(shape, COUNTERS, last));
  }
}

// ---- exports ----
// int64: the ops with a vector form and the cheap ones get a loop each for their constant op;
// the others share one loop with the op as a run-time value (the double functions or the JS
// imports dominate there). uint64 has its own loops only where signedness matters: the other
// ops are the same bits as int64's. The 16-bit floats: a few loops per dtype with the op as a
// run-time value (the conversions dominate).

export function binary_i64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Add: binaryLoops<i64, i64>(false, true, BINARY_Add, mode, pa, pb, po, n); return true;
    case BINARY_Subtract: binaryLoops<i64, i64>(false, true, BINARY_Subtract, mode, pa, pb, po, n); return true;
    case BINARY_Multiply: binaryLoops<i64, i64>(false, true, BINARY_Multiply, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseAnd: binaryLoops<i64, i64>(false, true, BINARY_BitwiseAnd, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseOr: binaryLoops<i64, i64>(false, true, BINARY_BitwiseOr, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseXor: binaryLoops<i64, i64>(false, true, BINARY_BitwiseXor, mode, pa, pb, po, n); return true;
    case BINARY_Maximum: binaryLoops<i64, i64>(false, false, BINARY_Maximum, mode, pa, pb, po, n); return true;
    case BINARY_Minimum: binaryLoops<i64, i64>(false, false, BINARY_Minimum, mode, pa, pb, po, n); return true;
    case BINARY_FloorDivide: binaryLoops<i64, i64>(false, false, BINARY_FloorDivide, mode, pa, pb, po, n); return true;
    case BINARY_Remainder: binaryLoops<i64, i64>(false, false, BINARY_Remainder, mode, pa, pb, po, n); return true;
    case BINARY_LeftShift: binaryLoops<i64, i64>(false, false, BINARY_LeftShift, mode, pa, pb, po, n); return true;
    case BINARY_RightShift: binaryLoops<i64, i64>(false, false, BINARY_RightShift, mode, pa, pb, po, n); return true;
    case BINARY_Power:
    case BINARY_Divide:
    case BINARY_LogAddExp:
    case BINARY_ArcTan2: binaryLoops<i64, i64>(false, false, op, mode, pa, pb, po, n); return true;
  }
  return false;
}

export function binary_u64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Maximum: binaryLoops<u64, u64>(false, false, BINARY_Maximum, mode, pa, pb, po, n); return true;
    case BINARY_Minimum: binaryLoops<u64, u64>(false, false, BINARY_Minimum, mode, pa, pb, po, n); return true;
    case BINARY_FloorDivide: binaryLoops<u64, u64>(false, false, BINARY_FloorDivide, mode, pa, pb, po, n); return true;
    case BINARY_Remainder: binaryLoops<u64, u64>(false, false, BINARY_Remainder, mode, pa, pb, po, n); return true;
    case BINARY_RightShift: binaryLoops<u64, u64>(false, false, BINARY_RightShift, mode, pa, pb, po, n); return true;
    case BINARY_Power:
    case BINARY_Divide:
    case BINARY_LogAddExp:
    case BINARY_ArcTan2: binaryLoops<u64, u64>(false, false, op, mode, pa, pb, po, n); return true;
  }
  return binary_i64(op, mode, pa, pb, po, n);
}

export function compare_i64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Equal: binaryLoops<i64, u8>(false, false, BINARY_Equal, mode, pa, pb, po, n); return true;
    case BINARY_NotEqual: binaryLoops<i64, u8>(false, false, BINARY_NotEqual, mode, pa, pb, po, n); return true;
    case BINARY_Less: binaryLoops<i64, u8>(false, false, BINARY_Less, mode, pa, pb, po, n); return true;
    case BINARY_LessEqual: binaryLoops<i64, u8>(false, false, BINARY_LessEqual, mode, pa, pb, po, n); return true;
    case BINARY_Greater: binaryLoops<i64, u8>(false, false, BINARY_Greater, mode, pa, pb, po, n); return true;
    case BINARY_GreaterEqual: binaryLoops<i64, u8>(false, false, BINARY_GreaterEqual, mode, pa, pb, po, n); return true;
    case BINARY_NaNEqual: binaryLoops<i64, u8>(false, false, BINARY_NaNEqual, mode, pa, pb, po, n); return true;
    case BINARY_LogicalAnd: binaryLoops<i64, u8>(false, false, BINARY_LogicalAnd, mode, pa, pb, po, n); return true;
    case BINARY_LogicalOr: binaryLoops<i64, u8>(false, false, BINARY_LogicalOr, mode, pa, pb, po, n); return true;
  }
  return false;
}

export function compare_u64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Less: binaryLoops<u64, u8>(false, false, BINARY_Less, mode, pa, pb, po, n); return true;
    case BINARY_LessEqual: binaryLoops<u64, u8>(false, false, BINARY_LessEqual, mode, pa, pb, po, n); return true;
    case BINARY_Greater: binaryLoops<u64, u8>(false, false, BINARY_Greater, mode, pa, pb, po, n); return true;
    case BINARY_GreaterEqual: binaryLoops<u64, u8>(false, false, BINARY_GreaterEqual, mode, pa, pb, po, n); return true;
  }
  return compare_i64(op, mode, pa, pb, po, n);
}

export function unary_i64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Negative: unaryLoops<i64, i64>(false, true, UNARY_Negative, strided, px, po, n); return true;
    case UNARY_Abs: unaryLoops<i64, i64>(false, true, UNARY_Abs, strided, px, po, n); return true;
    case UNARY_Square: unaryLoops<i64, i64>(false, true, UNARY_Square, strided, px, po, n); return true;
    case UNARY_BitwiseInvert: unaryLoops<i64, i64>(false, true, UNARY_BitwiseInvert, strided, px, po, n); return true;
  }
  if (op == UNARY_Floor || op == UNARY_Ceil || op == UNARY_Round || op == UNARY_Sign || unaryViaDouble(op)) {
    unaryLoops<i64, i64>(false, false, op, strided, px, po, n);
    return true;
  }
  return false;
}

export function unary_u64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  if (op == UNARY_Abs || op == UNARY_Sign || unaryViaDouble(op)) {
    unaryLoops<u64, u64>(false, false, op, strided, px, po, n);
    return true;
  }
  return unary_i64(op, strided, px, po, n);
}

export function predicate_i64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  if (op < UNARY_IsNaN || op > UNARY_LogicalNot) return false;
  unaryLoops<i64, u8>(false, false, op, strided, px, po, n);
  return true;
}

export function predicate_u64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicate_i64(op, strided, px, po, n);
}

// One loop per dtype for every op with the op as a run-time value: the ops without a vector
// form, the strided layout and the vector loops' tails (a switch per element is little next
// to the 16-bit conversions).
function binaryF16Any(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  binaryLoops<u16, u16>(false, false, op, mode, pa, pb, po, n);
}
function binaryBF16Any(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  binaryLoops<u16, u16>(true, false, op, mode, pa, pb, po, n);
}
@inline function binaryHalfAny(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  if (bf) binaryBF16Any(op, mode, pa, pb, po, n);
  else binaryF16Any(op, mode, pa, pb, po, n);
}

// The vector loops take the op as a run-time value too: one switch per eight elements.
function binaryF16Vec(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  return binarySimd<u16>(false, op, mode, pa, pb, po, n);
}
function binaryBF16Vec(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  return binarySimd<u16>(true, op, mode, pa, pb, po, n);
}
function compareF16Vec(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  return compareHalfSimd(false, op, mode, pa, pb, po, n);
}
function compareBF16Vec(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): i32 {
  return compareHalfSimd(true, op, mode, pa, pb, po, n);
}

/** binaryHalfV's ops: the vector loop (modes 0-2), then the generic loop for the tail. */
@inline function binaryHalfVector(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  const i = mode == 3 ? 0 : bf ? binaryBF16Vec(op, mode, pa, pb, po, n) : binaryF16Vec(op, mode, pa, pb, po, n);
  if (i == n) return;
  const off = <usize>i << 1;
  binaryHalfAny(bf, op, mode, mode == 2 ? pa : pa + off, mode == 1 ? pb : pb + off, po + off, n - i);
}

@inline function binaryHalfOps(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Add:
    case BINARY_Subtract:
    case BINARY_Multiply:
    case BINARY_Divide:
    case BINARY_Maximum:
    case BINARY_Minimum:
    case BINARY_FloorDivide: binaryHalfVector(bf, op, mode, pa, pb, po, n); return true;
    case BINARY_Remainder:
    case BINARY_Power:
    case BINARY_LogAddExp:
    case BINARY_ArcTan2: binaryHalfAny(bf, op, mode, pa, pb, po, n); return true;
  }
  return false;
}

function compareF16Any(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  binaryLoops<u16, u8>(false, false, op, mode, pa, pb, po, n);
}
function compareBF16Any(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  binaryLoops<u16, u8>(true, false, op, mode, pa, pb, po, n);
}

@inline function compareHalfVector(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  const i = mode == 3 ? 0 : bf ? compareBF16Vec(op, mode, pa, pb, po, n) : compareF16Vec(op, mode, pa, pb, po, n);
  if (i == n) return;
  const off = <usize>i << 1;
  const qa = mode == 2 ? pa : pa + off;
  const qb = mode == 1 ? pb : pb + off;
  if (bf) compareBF16Any(op, mode, qa, qb, po + <usize>i, n - i);
  else compareF16Any(op, mode, qa, qb, po + <usize>i, n - i);
}

@inline function compareHalfOps(bf: bool, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  if (op < BINARY_Equal || op > BINARY_LogicalOr) return false;
  compareHalfVector(bf, op, mode, pa, pb, po, n);
  return true;
}

function unaryF16Any(op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  unaryLoops<u16, u16>(false, false, op, strided, px, po, n);
}
function unaryBF16Any(op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  unaryLoops<u16, u16>(true, false, op, strided, px, po, n);
}
@inline function unaryHalfAny(bf: bool, op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  if (bf) unaryBF16Any(op, strided, px, po, n);
  else unaryF16Any(op, strided, px, po, n);
}

function unaryF16Vec(op: i32, px: usize, po: usize, n: i32): i32 {
  return unarySimd<u16>(false, op, px, po, n);
}
function unaryBF16Vec(op: i32, px: usize, po: usize, n: i32): i32 {
  return unarySimd<u16>(true, op, px, po, n);
}

@inline function unaryHalfVector(bf: bool, op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  const i = strided ? 0 : bf ? unaryBF16Vec(op, px, po, n) : unaryF16Vec(op, px, po, n);
  if (i == n) return;
  const off = <usize>i << 1;
  unaryHalfAny(bf, op, strided, strided ? px : px + off, po + off, n - i);
}

@inline function unaryHalfOps(bf: bool, op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Negative:
    case UNARY_Abs:
    case UNARY_Square:
    case UNARY_Sqrt:
    case UNARY_Reciprocal:
    case UNARY_Floor:
    case UNARY_Ceil:
    case UNARY_Round:
    case UNARY_Exp:
    case UNARY_Sigmoid: unaryHalfVector(bf, op, strided, px, po, n); return true;
  }
  if (op == UNARY_Rsqrt || op == UNARY_Sign || (op >= UNARY_Exp && op <= UNARY_ErfInv)) {
    unaryHalfAny(bf, op, strided, px, po, n);
    return true;
  }
  return false;
}

@inline function predicateHalfOps(bf: bool, op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  if (op < UNARY_IsNaN || op > UNARY_LogicalNot) return false;
  unaryLoops<u16, u8>(bf, false, op, strided, px, po, n);
  return true;
}

export function binary_f16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryHalfOps(false, op, mode, pa, pb, po, n);
}
export function binary_bf16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryHalfOps(true, op, mode, pa, pb, po, n);
}
export function compare_f16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareHalfOps(false, op, mode, pa, pb, po, n);
}
export function compare_bf16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareHalfOps(true, op, mode, pa, pb, po, n);
}
export function unary_f16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryHalfOps(false, op, strided, px, po, n);
}
export function unary_bf16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryHalfOps(true, op, strided, px, po, n);
}
export function predicate_f16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateHalfOps(false, op, strided, px, po, n);
}
export function predicate_bf16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateHalfOps(true, op, strided, px, po, n);
}

// Whether a kernel computes `op` without calling a JS import (such calls may run on worker
// threads); the adapter asks `<kernel>_native` where one exists, else takes codes below 40.
/** int64 power is integer arithmetic (code 40); logaddexp and arctan2 call the reference's. */
export function binary_i64_native(op: i32): bool {
  return op != BINARY_LogAddExp && op != BINARY_ArcTan2;
}
export function binary_u64_native(op: i32): bool {
  return binary_i64_native(op);
}
/** The transcendental functions are native (math.ts / NativeMath). */
export function unary_f16_native(op: i32): bool {
  return op <= UNARY_ErfInv;
}
export function unary_bf16_native(op: i32): bool {
  return op <= UNARY_ErfInv;
}
