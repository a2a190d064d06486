// Elementwise unary and binary kernels for f32, f64 and the integers up to 32 bits (bool:
// comparisons and predicates), with the semantics of the
// reference backend (packages/core/src/backend/reference/elementwise.ts), bit for bit.
// Transcendental functions: float32 outputs use native double-precision functions (math.ts:
// expm1, log, log1p, log2, log10, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh,
// acosh, atanh, sigmoid, erf, erfinv; sigmoid also as f64x2), stated bound <= 1 ulp of float32
// against the reference (almost always 0), and float32 exp in float32 arithmetic (f32x4,
// math.ts expF4): <= 1 ulp too, checked over every float32 input, ~0.8% of results 1 ulp off. Float64 outputs and the binary
// ones (pow, logaddexp, atan2) call the reference's own double functions, imported (module
// "reference", named after the primitive), so those results are the reference's by
// construction (JS's Math and AssemblyScript's Math may differ in the last ulp of double).
//
// Layout modes of binary kernels (outputs are always contiguous):
//   0: both inputs contiguous, 1: `a` contiguous and `b` one scalar, 2: `a` scalar, `b`
//   contiguous, 3: general strides from the descriptor [ndim, shape, stridesA, stridesB].
// Unary kernels: `strided` false = contiguous, true = descriptor [ndim, shape, strides].
//
// Every exported function returns false for an op it doesn't implement, so JS falls back.
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { expF, expF4, expF32Loop, sigmoidD, sigmoidV, erfD, erfinvD } from './math';

// ---- op codes: exported so that JS looks them up by primitive name (one source of truth) ----
export const BINARY_Add: i32 = 1;
export const BINARY_Subtract: i32 = 2;
export const BINARY_Multiply: i32 = 3;
export const BINARY_Divide: i32 = 4;
export const BINARY_Maximum: i32 = 5;
export const BINARY_Minimum: i32 = 6;
export const BINARY_FloorDivide: i32 = 7;
export const BINARY_Remainder: i32 = 8;
export const BINARY_BitwiseAnd: i32 = 9;
export const BINARY_BitwiseOr: i32 = 10;
export const BINARY_BitwiseXor: i32 = 11;
export const BINARY_LeftShift: i32 = 12;
export const BINARY_RightShift: i32 = 13;
// comparisons: bool (u8) output
export const BINARY_Equal: i32 = 20;
export const BINARY_NotEqual: i32 = 21;
export const BINARY_Less: i32 = 22;
export const BINARY_LessEqual: i32 = 23;
export const BINARY_Greater: i32 = 24;
export const BINARY_GreaterEqual: i32 = 25;
export const BINARY_NaNEqual: i32 = 26;
export const BINARY_LogicalAnd: i32 = 27;
export const BINARY_LogicalOr: i32 = 28;

// imported double-precision functions: codes from 40 on
export const BINARY_Power: i32 = 40;
export const BINARY_LogAddExp: i32 = 41;
export const BINARY_ArcTan2: i32 = 42;

export const UNARY_Negative: i32 = 1;
export const UNARY_Abs: i32 = 2;
export const UNARY_Square: i32 = 3;
export const UNARY_Sqrt: i32 = 4;
export const UNARY_Rsqrt: i32 = 5;
export const UNARY_Reciprocal: i32 = 6;
export const UNARY_Floor: i32 = 7;
export const UNARY_Ceil: i32 = 8;
export const UNARY_Round: i32 = 9;
export const UNARY_Sign: i32 = 10;
export const UNARY_BitwiseInvert: i32 = 11;
// predicates: bool (u8) output
export const UNARY_IsNaN: i32 = 20;
export const UNARY_IsInf: i32 = 21;
export const UNARY_IsPosInf: i32 = 22;
export const UNARY_IsNegInf: i32 = 23;
export const UNARY_IsFinite: i32 = 24;
export const UNARY_LogicalNot: i32 = 25;

// imported double-precision functions: codes from 40 on
export const UNARY_Exp: i32 = 40;
export const UNARY_Expm1: i32 = 41;
export const UNARY_Log: i32 = 42;
export const UNARY_Log2: i32 = 43;
export const UNARY_Log10: i32 = 44;
export const UNARY_Log1p: i32 = 45;
export const UNARY_Sin: i32 = 46;
export const UNARY_Cos: i32 = 47;
export const UNARY_Tan: i32 = 48;
export const UNARY_ArcSin: i32 = 49;
export const UNARY_ArcCos: i32 = 50;
export const UNARY_ArcTan: i32 = 51;
export const UNARY_Sinh: i32 = 52;
export const UNARY_Cosh: i32 = 53;
export const UNARY_Tanh: i32 = 54;
export const UNARY_ArcSinh: i32 = 55;
export const UNARY_ArcCosh: i32 = 56;
export const UNARY_ArcTanh: i32 = 57;
export const UNARY_Sigmoid: i32 = 58;
export const UNARY_Erf: i32 = 59;
export const UNARY_ErfInv: i32 = 60;

// ---- the reference's functions, imported (JS supplies them by primitive name) ----
@external("reference", "Exp") declare function refExp(x: f64): f64;
@external("reference", "Expm1") declare function refExpm1(x: f64): f64;
@external("reference", "Log") declare function refLog(x: f64): f64;
@external("reference", "Log2") declare function refLog2(x: f64): f64;
@external("reference", "Log10") declare function refLog10(x: f64): f64;
@external("reference", "Log1p") declare function refLog1p(x: f64): f64;
@external("reference", "Sin") declare function refSin(x: f64): f64;
@external("reference", "Cos") declare function refCos(x: f64): f64;
@external("reference", "Tan") declare function refTan(x: f64): f64;
@external("reference", "ArcSin") declare function refArcSin(x: f64): f64;
@external("reference", "ArcCos") declare function refArcCos(x: f64): f64;
@external("reference", "ArcTan") declare function refArcTan(x: f64): f64;
@external("reference", "Sinh") declare function refSinh(x: f64): f64;
@external("reference", "Cosh") declare function refCosh(x: f64): f64;
@external("reference", "Tanh") declare function refTanh(x: f64): f64;
@external("reference", "ArcSinh") declare function refArcSinh(x: f64): f64;
@external("reference", "ArcCosh") declare function refArcCosh(x: f64): f64;
@external("reference", "ArcTanh") declare function refArcTanh(x: f64): f64;
@external("reference", "Sigmoid") declare function refSigmoid(x: f64): f64;
@external("reference", "Erf") declare function refErf(x: f64): f64;
@external("reference", "ErfInv") declare function refErfInv(x: f64): f64;
@external("reference", "Power") declare function refPower(a: f64, b: f64): f64;
@external("reference", "LogAddExp") declare function refLogAddExp(a: f64, b: f64): f64;
@external("reference", "ArcTan2") declare function refArcTan2(a: f64, b: f64): f64;

// ---- scalar semantics (op is a constant after inlining, so each switch folds away) ----

@inline export function arith<T>(op: i32, a: T, b: T): T {
  if (isFloat<T>()) {
    switch (op) {
      case BINARY_Add: return a + b;
      case BINARY_Subtract: return a - b;
      case BINARY_Multiply: return a * b;
      case BINARY_Divide: return a / b;
      // MLX: a NaN first operand wins, else `a > b ? a : b` (a NaN second operand propagates too)
      case BINARY_Maximum: return a != a ? a : a > b ? a : b;
      case BINARY_Minimum: return a != a ? a : a < b ? a : b;
      // floor of the quotient rounded to T (f32 division is the double quotient rounded once)
      case BINARY_FloorDivide: return <T>Math.floor(<f64>(a / b));
      case BINARY_Remainder: {
        // computed in double as the reference does; fmod is exact, the correction rounds once
        let r = <f64>a % <f64>b;
        if (r != 0 && r < 0 != <f64>b < 0) r += <f64>b;
        return <T>r;
      }
      case BINARY_Power: return <T>refPower(<f64>a, <f64>b);
      case BINARY_LogAddExp: return <T>refLogAddExp(<f64>a, <f64>b);
      case BINARY_ArcTan2: return <T>refArcTan2(<f64>a, <f64>b);
    }
  } else {
    switch (op) {
      case BINARY_Add: return a + b;
      case BINARY_Subtract: return a - b;
      case BINARY_Multiply: return a * b;
      case BINARY_Maximum: return a > b ? a : b;
      case BINARY_Minimum: return a < b ? a : b;
      case BINARY_FloorDivide: {
        // division by zero gives 0 (mlx-ts's choice); INT_MIN / -1 wraps instead of trapping
        if (b == 0) return 0;
        if (isSigned<T>() && b == <T>-1) return -a;
        const q = a / b;
        return a % b != 0 && a < 0 != b < 0 ? q - 1 : q;
      }
      case BINARY_Remainder: {
        if (b == 0 || (isSigned<T>() && b == <T>-1)) return 0;
        let r = a % b;
        if (r != 0 && r < 0 != b < 0) r += b;
        return r;
      }
      case BINARY_BitwiseAnd: return a & b;
      case BINARY_BitwiseOr: return a | b;
      case BINARY_BitwiseXor: return a ^ b;
      // in 32-bit registers with the count masked to 31, as JS does (AssemblyScript would mask
      // a small type's count to its own width); arithmetic for signed types, logical for unsigned
      case BINARY_LeftShift: return <T>(<i32>a << (<i32>b & 31));
      case BINARY_RightShift: return isSigned<T>() ? <T>(<i32>a >> (<i32>b & 31)) : <T>(<u32>a >>> (<u32>b & 31));
    }
  }
  return a;
}

@inline export function compare<T>(op: i32, a: T, b: T): u8 {
  switch (op) {
    case BINARY_Equal: return <u8>(a == b);
    case BINARY_NotEqual: return <u8>(a != b);
    case BINARY_Less: return <u8>(a < b);
    case BINARY_LessEqual: return <u8>(a <= b);
    case BINARY_Greater: return <u8>(a > b);
    case BINARY_GreaterEqual: return <u8>(a >= b);
    case BINARY_NaNEqual: return <u8>(a == b || (a != a && b != b));
    case BINARY_LogicalAnd: return <u8>(a != 0 && b != 0);
    case BINARY_LogicalOr: return <u8>(a != 0 || b != 0);
  }
  return 0;
}

@inline export function unaryArith<T>(op: i32, x: T): T {
  if (isFloat<T>()) {
    switch (op) {
      case UNARY_Negative: return -x;
      case UNARY_Abs: return <T>Math.abs(<f64>x);
      case UNARY_Square: return x * x;
      case UNARY_Sqrt: return <T>Math.sqrt(<f64>x);
      // 1 / sqrt in double, rounded once (f32 sqrt then f32 divide would round twice)
      case UNARY_Rsqrt: return <T>(1.0 / Math.sqrt(<f64>x));
      case UNARY_Reciprocal: return <T>1 / x;
      case UNARY_Floor: return <T>Math.floor(<f64>x);
      case UNARY_Ceil: return <T>Math.ceil(<f64>x);
      // f64.nearest is round-half-even, keeping the sign of zero (std::rint)
      case UNARY_Round: return <T>nearest<f64>(<f64>x);
      case UNARY_Sign: return x > 0 ? <T>1 : x < 0 ? <T>-1 : <T>0;
      case UNARY_Exp: return sizeof<T>() == 4 ? <T>expF(<f32>x) : <T>refExp(<f64>x);
      case UNARY_Expm1: return sizeof<T>() == 4 ? <T>Math.expm1(<f64>x) : <T>refExpm1(<f64>x);
      case UNARY_Log: return sizeof<T>() == 4 ? <T>Math.log(<f64>x) : <T>refLog(<f64>x);
      case UNARY_Log2: return sizeof<T>() == 4 ? <T>Math.log2(<f64>x) : <T>refLog2(<f64>x);
      case UNARY_Log10: return sizeof<T>() == 4 ? <T>Math.log10(<f64>x) : <T>refLog10(<f64>x);
      case UNARY_Log1p: return sizeof<T>() == 4 ? <T>Math.log1p(<f64>x) : <T>refLog1p(<f64>x);
      case UNARY_Sin: return sizeof<T>() == 4 ? <T>Math.sin(<f64>x) : <T>refSin(<f64>x);
      case UNARY_Cos: return sizeof<T>() == 4 ? <T>Math.cos(<f64>x) : <T>refCos(<f64>x);
      case UNARY_Tan: return sizeof<T>() == 4 ? <T>Math.tan(<f64>x) : <T>refTan(<f64>x);
      case UNARY_ArcSin: return sizeof<T>() == 4 ? <T>Math.asin(<f64>x) : <T>refArcSin(<f64>x);
      case UNARY_ArcCos: return sizeof<T>() == 4 ? <T>Math.acos(<f64>x) : <T>refArcCos(<f64>x);
      case UNARY_ArcTan: return sizeof<T>() == 4 ? <T>Math.atan(<f64>x) : <T>refArcTan(<f64>x);
      case UNARY_Sinh: return sizeof<T>() == 4 ? <T>Math.sinh(<f64>x) : <T>refSinh(<f64>x);
      case UNARY_Cosh: return sizeof<T>() == 4 ? <T>Math.cosh(<f64>x) : <T>refCosh(<f64>x);
      case UNARY_Tanh: return sizeof<T>() == 4 ? <T>Math.tanh(<f64>x) : <T>refTanh(<f64>x);
      case UNARY_ArcSinh: return sizeof<T>() == 4 ? <T>Math.asinh(<f64>x) : <T>refArcSinh(<f64>x);
      case UNARY_ArcCosh: return sizeof<T>() == 4 ? <T>Math.acosh(<f64>x) : <T>refArcCosh(<f64>x);
      case UNARY_ArcTanh: return sizeof<T>() == 4 ? <T>Math.atanh(<f64>x) : <T>refArcTanh(<f64>x);
      case UNARY_Sigmoid: return sizeof<T>() == 4 ? <T>sigmoidD(<f64>x) : <T>refSigmoid(<f64>x);
      case UNARY_Erf: return sizeof<T>() == 4 ? <T>erfD(<f64>x) : <T>refErf(<f64>x);
      case UNARY_ErfInv: return sizeof<T>() == 4 ? <T>erfinvD(<f64>x) : <T>refErfInv(<f64>x);
    }
  } else {
    switch (op) {
      case UNARY_Negative: return -x;
      case UNARY_Abs: return isSigned<T>() && x < 0 ? -x : x;
      case UNARY_Square: return x * x;
      case UNARY_Floor: return x;
      case UNARY_Ceil: return x;
      case UNARY_Round: return x;
      case UNARY_Sign: return x > 0 ? <T>1 : x < 0 ? <T>-1 : <T>0;
      case UNARY_BitwiseInvert: return ~x;
    }
  }
  return x;
}

@inline export function predicate<T>(op: i32, x: T): u8 {
  if (isFloat<T>()) {
    switch (op) {
      case UNARY_IsNaN: return <u8>(x != x);
      case UNARY_IsInf: return <u8>(x == <T>Infinity || x == <T>-Infinity);
      case UNARY_IsPosInf: return <u8>(x == <T>Infinity);
      case UNARY_IsNegInf: return <u8>(x == <T>-Infinity);
      case UNARY_IsFinite: return <u8>(x - x == 0);
      case UNARY_LogicalNot: return <u8>(x == 0);
    }
  } else {
    switch (op) {
      case UNARY_IsNaN: return 0;
      case UNARY_IsInf: return 0;
      case UNARY_IsPosInf: return 0;
      case UNARY_IsNegInf: return 0;
      case UNARY_IsFinite: return 1;
      case UNARY_LogicalNot: return <u8>(x == 0);
    }
  }
  return 0;
}

// ---- SIMD forms (bit-identical to the scalar ones above) ----

@inline export function simdBinary<T>(op: i32): bool {
  if (!isFloat<T>() && sizeof<T>() != 4) return false;
  if (op == BINARY_Add || op == BINARY_Subtract || op == BINARY_Multiply) return true;
  if (isFloat<T>()) return op == BINARY_Divide || op == BINARY_Maximum || op == BINARY_Minimum;
  // i32x4 lanes: only 32-bit integers, and max / min only signed ones
  if (sizeof<T>() != 4) return false;
  if (op == BINARY_Maximum || op == BINARY_Minimum) return isSigned<T>();
  return op == BINARY_BitwiseAnd || op == BINARY_BitwiseOr || op == BINARY_BitwiseXor;
}

@inline export function arithV<T>(op: i32, a: v128, b: v128): v128 {
  if (op == BINARY_BitwiseAnd) return v128.and(a, b);
  if (op == BINARY_BitwiseOr) return v128.or(a, b);
  if (op == BINARY_BitwiseXor) return v128.xor(a, b);
  if (isFloat<T>()) {
    if (sizeof<T>() == 4) {
      switch (op) {
        case BINARY_Add: return f32x4.add(a, b);
        case BINARY_Subtract: return f32x4.sub(a, b);
        case BINARY_Multiply: return f32x4.mul(a, b);
        case BINARY_Divide: return f32x4.div(a, b);
        case BINARY_Maximum: return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
        case BINARY_Minimum: return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
      }
    } else {
      switch (op) {
        case BINARY_Add: return f64x2.add(a, b);
        case BINARY_Subtract: return f64x2.sub(a, b);
        case BINARY_Multiply: return f64x2.mul(a, b);
        case BINARY_Divide: return f64x2.div(a, b);
        case BINARY_Maximum: return v128.bitselect(a, b, v128.or(f64x2.gt(a, b), f64x2.ne(a, a)));
        case BINARY_Minimum: return v128.bitselect(a, b, v128.or(f64x2.lt(a, b), f64x2.ne(a, a)));
      }
    }
  } else {
    switch (op) {
      case BINARY_Add: return i32x4.add(a, b);
      case BINARY_Subtract: return i32x4.sub(a, b);
      case BINARY_Multiply: return i32x4.mul(a, b);
      case BINARY_Maximum: return i32x4.max_s(a, b);
      case BINARY_Minimum: return i32x4.min_s(a, b);
    }
  }
  return a;
}

@inline function splatV<T>(x: T): v128 {
  if (isFloat<T>()) {
    if (sizeof<T>() == 4) return f32x4.splat(<f32>x);
    return f64x2.splat(<f64>x);
  }
  return i32x4.splat(<i32>x);
}

@inline export function simdUnary<T>(op: i32): bool {
  if (!isFloat<T>()) return sizeof<T>() == 4 && (op == UNARY_Negative || op == UNARY_Square || op == UNARY_BitwiseInvert);
  return op == UNARY_Negative || op == UNARY_Abs || op == UNARY_Square || op == UNARY_Sqrt || op == UNARY_Floor ||
    op == UNARY_Ceil || op == UNARY_Round || op == UNARY_Reciprocal || (op == UNARY_Exp && sizeof<T>() == 4);
}

@inline export function unaryV<T>(op: i32, x: v128): v128 {
  if (isFloat<T>()) {
    if (sizeof<T>() == 4) {
      switch (op) {
        case UNARY_Negative: return f32x4.neg(x);
        case UNARY_Abs: return f32x4.abs(x);
        case UNARY_Square: return f32x4.mul(x, x);
        case UNARY_Sqrt: return f32x4.sqrt(x);
        case UNARY_Floor: return f32x4.floor(x);
        case UNARY_Ceil: return f32x4.ceil(x);
        case UNARY_Round: return f32x4.nearest(x);
        case UNARY_Reciprocal: return f32x4.div(f32x4.splat(1), x);
        case UNARY_Exp: return expF4(x);
      }
    } else {
      switch (op) {
        case UNARY_Negative: return f64x2.neg(x);
        case UNARY_Abs: return f64x2.abs(x);
        case UNARY_Square: return f64x2.mul(x, x);
        case UNARY_Sqrt: return f64x2.sqrt(x);
        case UNARY_Floor: return f64x2.floor(x);
        case UNARY_Ceil: return f64x2.ceil(x);
        case UNARY_Round: return f64x2.nearest(x);
        case UNARY_Reciprocal: return f64x2.div(f64x2.splat(1), x);
      }
    }
  } else {
    switch (op) {
      case UNARY_Negative: return i32x4.neg(x);
      case UNARY_Square: return i32x4.mul(x, x);
      case UNARY_BitwiseInvert: return v128.not(x);
    }
  }
  return x;
}

/** float32 ops whose native double function has an f64x2 form (math.ts). */
@inline function simdViaF64<T>(op: i32): bool {
  return isFloat<T>() && sizeof<T>() == 4 && op == UNARY_Sigmoid;
}

@inline function unaryF64V(op: i32, x: v128): v128 {
  return sigmoidV(x);
}

// ---- loops ----

/** Elements of T per v128. */
@inline function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** One vector of a contiguous binary op at byte offset `off` of every operand. */
@inline function contiguousVector<T>(op: i32, pa: usize, pb: usize, po: usize, off: usize): void {
  v128.store(po + off, arithV<T>(op, v128.load(pa + off), v128.load(pb + off)));
}

/** po[i] = a[i] op b for i < end (a multiple of the lanes); returns end. */
@inline function lanesScalarB<T>(op: i32, pa: usize, b: T, po: usize, end: i32): i32 {
  const vb = splatV<T>(b);
  for (let i = 0; i < end; i += lanes<T>()) {
    const off = <usize>i << alignof<T>();
    v128.store(po + off, arithV<T>(op, v128.load(pa + off), vb));
  }
  return end;
}

/** po[i] = a op b[i] for i < end (a multiple of the lanes); returns end. */
@inline function lanesScalarA<T>(op: i32, a: T, pb: usize, po: usize, end: i32): i32 {
  const va = splatV<T>(a);
  for (let i = 0; i < end; i += lanes<T>()) {
    const off = <usize>i << alignof<T>();
    v128.store(po + off, arithV<T>(op, va, v128.load(pb + off)));
  }
  return end;
}

@inline function binaryLoops<T, R>(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  const isCompare = op >= BINARY_Equal && op <= BINARY_LogicalOr;
  let i = 0;
  const L = lanes<T>();
  if (!isCompare && simdBinary<T>(op) && mode != 3) {
    const end = n - (n % L);
    if (mode == 0) {
      // Four quarters side by side: more memory streams in flight than one (add of 1.6e7 float32
      // on two threads from DRAM: ~8.9 -> ~7.7 ms; two quarters gained half of that).
      const q = (end >> 2) - ((end >> 2) % L);
      const qOff = <usize>q << alignof<T>();
      for (; i < q; i += L) {
        const off = <usize>i << alignof<T>();
        contiguousVector<T>(op, pa, pb, po, off);
        contiguousVector<T>(op, pa, pb, po, off + qOff);
        contiguousVector<T>(op, pa, pb, po, off + 2 * qOff);
        contiguousVector<T>(op, pa, pb, po, off + 3 * qOff);
      }
      for (i = 4 * q; i < end; i += L) contiguousVector<T>(op, pa, pb, po, <usize>i << alignof<T>());
    } else if (mode == 1) {
      i = lanesScalarB<T>(op, pa, load<T>(pb), po, end);
    } else {
      i = lanesScalarA<T>(op, load<T>(pa), pb, po, end);
    }
  }
  if (mode == 0) {
    for (; i < n; i++) store<R>(at<R>(po, i), applyBinary<T, R>(op, load<T>(at<T>(pa, i)), load<T>(at<T>(pb, i))));
  } else if (mode == 1) {
    const b = load<T>(pb);
    for (; i < n; i++) store<R>(at<R>(po, i), applyBinary<T, R>(op, load<T>(at<T>(pa, i)), b));
  } else if (mode == 2) {
    const a = load<T>(pa);
    for (; i < n; i++) store<R>(at<R>(po, i), applyBinary<T, R>(op, a, load<T>(at<T>(pb, i))));
  } else {
    binaryStrided<T, R>(op, pa, pb, po);
  }
}

// comparison and predicate codes are 20..29 (and write u8); op is a constant, so this folds
@inline function applyBinary<T, R>(op: i32, a: T, b: T): R {
  if (op >= BINARY_Equal && op <= BINARY_LogicalOr) return <R>compare<T>(op, a, b);
  return <R>arith<T>(op, a, b);
}

@inline function applyUnary<T, R>(op: i32, x: T): R {
  if (op >= UNARY_IsNaN && op <= UNARY_LogicalNot) return <R>predicate<T>(op, x);
  return <R>unaryArith<T>(op, x);
}

/** Descriptor [ndim, shape, stridesA, stridesB]; the last dimension is the tight loop. */
@inline function binaryStrided<T, R>(op: i32, pa: usize, pb: usize, po: usize): void {
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
  // rows whose operands are unit-stride or one value (a row broadcast, softmax's x - max):
  // lanes of the same op, as the contiguous modes
  const isCompare = op >= BINARY_Equal && op <= BINARY_LogicalOr;
  const L = lanes<T>();
  const vec = !isCompare && simdBinary<T>(op) && (sa0 == 1 || sa0 == 0) && (sb0 == 1 || sb0 == 0) && (sa0 | sb0) != 0 ? n0 - (n0 % L) : 0;
  for (let r = 0; r < rows; r++) {
    let ia = oa;
    let ib = ob;
    let j = 0;
    if (vec > 0) {
      const a0 = at<T>(pa, ia), b0 = at<T>(pb, ib);
      if (sa0 == 1 && sb0 == 1) {
        for (; j < vec; j += L) {
          const off = <usize>j << alignof<T>();
          v128.store(o + off, arithV<T>(op, v128.load(a0 + off), v128.load(b0 + off)));
        }
      } else if (sa0 == 1) {
        j = lanesScalarB<T>(op, a0, load<T>(b0), o, vec);
      } else {
        j = lanesScalarA<T>(op, load<T>(a0), b0, o, vec);
      }
      o += <usize>vec * sizeof<R>();
      ia += vec * sa0;
      ib += vec * sb0;
    }
    for (; j < n0; j++) {
      store<R>(o, applyBinary<T, R>(op, load<T>(at<T>(pa, ia)), load<T>(at<T>(pb, ib))));
      o += sizeof<R>();
      ia += sa0;
      ib += sb0;
    }
    const k = advance(shape, COUNTERS, last);
    oa += jump(ja, k);
    ob += jump(jb, k);
  }
}

@inline function unaryLoops<T, R>(op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  if (!strided) {
    let i = 0;
    // float32 exp: its own loop, 8 a step with the constants in registers (math.ts)
    if (isFloat<T>() && sizeof<T>() == 4 && op == UNARY_Exp) i = expF32Loop(px, po, n);
    if (simdUnary<T>(op)) {
      const L = lanes<T>();
      const end = n - (n % L);
      for (; i < end; i += L) {
        const off = <usize>i << alignof<T>();
        v128.store(po + off, unaryV<T>(op, v128.load(px + off)));
      }
    } else if (simdViaF64<T>(op)) {
      // f32x4 -> two f64x2, the double function (bit-identical to its scalar form), rounded back
      const end = n - (n & 3);
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        const v = v128.load(px + off);
        const lo = unaryF64V(op, f64x2.promote_low_f32x4(v));
        const hi = unaryF64V(op, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
        v128.store(po + off, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
      }
    }
    for (; i < n; i++) store<R>(at<R>(po, i), applyUnary<T, R>(op, load<T>(at<T>(px, i))));
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
      store<R>(o, applyUnary<T, R>(op, load<T>(at<T>(px, ix))));
      o += sizeof<R>();
      ix += s0;
    }
    ox += jump(jx, advance(shape, COUNTERS, last));
  }
}

// ---- exports: one switch per dtype so that every case inlines a loop for a constant op ----

@inline function binaryFloat<T>(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Add: binaryLoops<T, T>(BINARY_Add, mode, pa, pb, po, n); return true;
    case BINARY_Subtract: binaryLoops<T, T>(BINARY_Subtract, mode, pa, pb, po, n); return true;
    case BINARY_Multiply: binaryLoops<T, T>(BINARY_Multiply, mode, pa, pb, po, n); return true;
    case BINARY_Divide: binaryLoops<T, T>(BINARY_Divide, mode, pa, pb, po, n); return true;
    case BINARY_Maximum: binaryLoops<T, T>(BINARY_Maximum, mode, pa, pb, po, n); return true;
    case BINARY_Minimum: binaryLoops<T, T>(BINARY_Minimum, mode, pa, pb, po, n); return true;
    case BINARY_FloorDivide: binaryLoops<T, T>(BINARY_FloorDivide, mode, pa, pb, po, n); return true;
    case BINARY_Remainder: binaryLoops<T, T>(BINARY_Remainder, mode, pa, pb, po, n); return true;
    case BINARY_Power: binaryLoops<T, T>(BINARY_Power, mode, pa, pb, po, n); return true;
    case BINARY_LogAddExp: binaryLoops<T, T>(BINARY_LogAddExp, mode, pa, pb, po, n); return true;
    case BINARY_ArcTan2: binaryLoops<T, T>(BINARY_ArcTan2, mode, pa, pb, po, n); return true;
  }
  return false;
}

@inline function binaryInt<T>(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Add: binaryLoops<T, T>(BINARY_Add, mode, pa, pb, po, n); return true;
    case BINARY_Subtract: binaryLoops<T, T>(BINARY_Subtract, mode, pa, pb, po, n); return true;
    case BINARY_Multiply: binaryLoops<T, T>(BINARY_Multiply, mode, pa, pb, po, n); return true;
    case BINARY_Maximum: binaryLoops<T, T>(BINARY_Maximum, mode, pa, pb, po, n); return true;
    case BINARY_Minimum: binaryLoops<T, T>(BINARY_Minimum, mode, pa, pb, po, n); return true;
    case BINARY_FloorDivide: binaryLoops<T, T>(BINARY_FloorDivide, mode, pa, pb, po, n); return true;
    case BINARY_Remainder: binaryLoops<T, T>(BINARY_Remainder, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseAnd: binaryLoops<T, T>(BINARY_BitwiseAnd, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseOr: binaryLoops<T, T>(BINARY_BitwiseOr, mode, pa, pb, po, n); return true;
    case BINARY_BitwiseXor: binaryLoops<T, T>(BINARY_BitwiseXor, mode, pa, pb, po, n); return true;
    case BINARY_LeftShift: binaryLoops<T, T>(BINARY_LeftShift, mode, pa, pb, po, n); return true;
    case BINARY_RightShift: binaryLoops<T, T>(BINARY_RightShift, mode, pa, pb, po, n); return true;
  }
  return false;
}

@inline function compareAny<T>(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Equal: binaryLoops<T, u8>(BINARY_Equal, mode, pa, pb, po, n); return true;
    case BINARY_NotEqual: binaryLoops<T, u8>(BINARY_NotEqual, mode, pa, pb, po, n); return true;
    case BINARY_Less: binaryLoops<T, u8>(BINARY_Less, mode, pa, pb, po, n); return true;
    case BINARY_LessEqual: binaryLoops<T, u8>(BINARY_LessEqual, mode, pa, pb, po, n); return true;
    case BINARY_Greater: binaryLoops<T, u8>(BINARY_Greater, mode, pa, pb, po, n); return true;
    case BINARY_GreaterEqual: binaryLoops<T, u8>(BINARY_GreaterEqual, mode, pa, pb, po, n); return true;
    case BINARY_NaNEqual: binaryLoops<T, u8>(BINARY_NaNEqual, mode, pa, pb, po, n); return true;
    case BINARY_LogicalAnd: binaryLoops<T, u8>(BINARY_LogicalAnd, mode, pa, pb, po, n); return true;
    case BINARY_LogicalOr: binaryLoops<T, u8>(BINARY_LogicalOr, mode, pa, pb, po, n); return true;
  }
  return false;
}

@inline function unaryFloat<T>(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Negative: unaryLoops<T, T>(UNARY_Negative, strided, px, po, n); return true;
    case UNARY_Abs: unaryLoops<T, T>(UNARY_Abs, strided, px, po, n); return true;
    case UNARY_Square: unaryLoops<T, T>(UNARY_Square, strided, px, po, n); return true;
    case UNARY_Sqrt: unaryLoops<T, T>(UNARY_Sqrt, strided, px, po, n); return true;
    case UNARY_Rsqrt: unaryLoops<T, T>(UNARY_Rsqrt, strided, px, po, n); return true;
    case UNARY_Reciprocal: unaryLoops<T, T>(UNARY_Reciprocal, strided, px, po, n); return true;
    case UNARY_Floor: unaryLoops<T, T>(UNARY_Floor, strided, px, po, n); return true;
    case UNARY_Ceil: unaryLoops<T, T>(UNARY_Ceil, strided, px, po, n); return true;
    case UNARY_Round: unaryLoops<T, T>(UNARY_Round, strided, px, po, n); return true;
    case UNARY_Sign: unaryLoops<T, T>(UNARY_Sign, strided, px, po, n); return true;
    case UNARY_Exp: unaryLoops<T, T>(UNARY_Exp, strided, px, po, n); return true;
    case UNARY_Expm1: unaryLoops<T, T>(UNARY_Expm1, strided, px, po, n); return true;
    case UNARY_Log: unaryLoops<T, T>(UNARY_Log, strided, px, po, n); return true;
    case UNARY_Log2: unaryLoops<T, T>(UNARY_Log2, strided, px, po, n); return true;
    case UNARY_Log10: unaryLoops<T, T>(UNARY_Log10, strided, px, po, n); return true;
    case UNARY_Log1p: unaryLoops<T, T>(UNARY_Log1p, strided, px, po, n); return true;
    case UNARY_Sin: unaryLoops<T, T>(UNARY_Sin, strided, px, po, n); return true;
    case UNARY_Cos: unaryLoops<T, T>(UNARY_Cos, strided, px, po, n); return true;
    case UNARY_Tan: unaryLoops<T, T>(UNARY_Tan, strided, px, po, n); return true;
    case UNARY_ArcSin: unaryLoops<T, T>(UNARY_ArcSin, strided, px, po, n); return true;
    case UNARY_ArcCos: unaryLoops<T, T>(UNARY_ArcCos, strided, px, po, n); return true;
    case UNARY_ArcTan: unaryLoops<T, T>(UNARY_ArcTan, strided, px, po, n); return true;
    case UNARY_Sinh: unaryLoops<T, T>(UNARY_Sinh, strided, px, po, n); return true;
    case UNARY_Cosh: unaryLoops<T, T>(UNARY_Cosh, strided, px, po, n); return true;
    case UNARY_Tanh: unaryLoops<T, T>(UNARY_Tanh, strided, px, po, n); return true;
    case UNARY_ArcSinh: unaryLoops<T, T>(UNARY_ArcSinh, strided, px, po, n); return true;
    case UNARY_ArcCosh: unaryLoops<T, T>(UNARY_ArcCosh, strided, px, po, n); return true;
    case UNARY_ArcTanh: unaryLoops<T, T>(UNARY_ArcTanh, strided, px, po, n); return true;
    case UNARY_Sigmoid: unaryLoops<T, T>(UNARY_Sigmoid, strided, px, po, n); return true;
    case UNARY_Erf: unaryLoops<T, T>(UNARY_Erf, strided, px, po, n); return true;
    case UNARY_ErfInv: unaryLoops<T, T>(UNARY_ErfInv, strided, px, po, n); return true;
  }
  return false;
}

@inline function unaryInt<T>(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Negative: unaryLoops<T, T>(UNARY_Negative, strided, px, po, n); return true;
    case UNARY_Abs: unaryLoops<T, T>(UNARY_Abs, strided, px, po, n); return true;
    case UNARY_Square: unaryLoops<T, T>(UNARY_Square, strided, px, po, n); return true;
    case UNARY_Floor: unaryLoops<T, T>(UNARY_Floor, strided, px, po, n); return true;
    case UNARY_Ceil: unaryLoops<T, T>(UNARY_Ceil, strided, px, po, n); return true;
    case UNARY_Round: unaryLoops<T, T>(UNARY_Round, strided, px, po, n); return true;
    case UNARY_Sign: unaryLoops<T, T>(UNARY_Sign, strided, px, po, n); return true;
    case UNARY_BitwiseInvert: unaryLoops<T, T>(UNARY_BitwiseInvert, strided, px, po, n); return true;
  }
  return false;
}

@inline function predicateAny<T>(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_IsNaN: unaryLoops<T, u8>(UNARY_IsNaN, strided, px, po, n); return true;
    case UNARY_IsInf: unaryLoops<T, u8>(UNARY_IsInf, strided, px, po, n); return true;
    case UNARY_IsPosInf: unaryLoops<T, u8>(UNARY_IsPosInf, strided, px, po, n); return true;
    case UNARY_IsNegInf: unaryLoops<T, u8>(UNARY_IsNegInf, strided, px, po, n); return true;
    case UNARY_IsFinite: unaryLoops<T, u8>(UNARY_IsFinite, strided, px, po, n); return true;
    case UNARY_LogicalNot: unaryLoops<T, u8>(UNARY_LogicalNot, strided, px, po, n); return true;
  }
  return false;
}

export function binary_f32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryFloat<f32>(op, mode, pa, pb, po, n);
}
export function binary_f64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryFloat<f64>(op, mode, pa, pb, po, n);
}
export function binary_i32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<i32>(op, mode, pa, pb, po, n);
}
export function compare_f32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<f32>(op, mode, pa, pb, po, n);
}
export function compare_f64(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<f64>(op, mode, pa, pb, po, n);
}
export function compare_i32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<i32>(op, mode, pa, pb, po, n);
}
/** Whether unary_f32 computes `op` without calling a JS import (math.ts): such calls may run on worker threads. */
export function unary_f32_native(op: i32): bool {
  return op <= UNARY_ErfInv;
}
export function unary_f32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryFloat<f32>(op, strided, px, po, n);
}
export function unary_f64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryFloat<f64>(op, strided, px, po, n);
}
export function unary_i32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<i32>(op, strided, px, po, n);
}
export function predicate_f32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<f32>(op, strided, px, po, n);
}
export function predicate_f64(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<f64>(op, strided, px, po, n);
}
export function predicate_i32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<i32>(op, strided, px, po, n);
}

// Smaller and unsigned integers compute in i32 registers and wrap on store, as the reference's
// TypedArray stores do. bool takes only the comparison and predicate kernels (its arithmetic
// would have to store 0/1, which u8 arithmetic doesn't).
export function binary_i8(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<i8>(op, mode, pa, pb, po, n);
}
export function binary_u8(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<u8>(op, mode, pa, pb, po, n);
}
export function binary_i16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<i16>(op, mode, pa, pb, po, n);
}
export function binary_u16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<u16>(op, mode, pa, pb, po, n);
}
export function binary_u32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return binaryInt<u32>(op, mode, pa, pb, po, n);
}
export function compare_i8(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<i8>(op, mode, pa, pb, po, n);
}
export function compare_u8(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<u8>(op, mode, pa, pb, po, n);
}
export function compare_i16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<i16>(op, mode, pa, pb, po, n);
}
export function compare_u16(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<u16>(op, mode, pa, pb, po, n);
}
export function compare_u32(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  return compareAny<u32>(op, mode, pa, pb, po, n);
}
export function unary_i8(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<i8>(op, strided, px, po, n);
}
export function unary_u8(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<u8>(op, strided, px, po, n);
}
export function unary_i16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<i16>(op, strided, px, po, n);
}
export function unary_u16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<u16>(op, strided, px, po, n);
}
export function unary_u32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return unaryInt<u32>(op, strided, px, po, n);
}
export function predicate_i8(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<i8>(op, strided, px, po, n);
}
export function predicate_u8(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<u8>(op, strided, px, po, n);
}
export function predicate_i16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<i16>(op, strided, px, po, n);
}
export function predicate_u16(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<u16>(op, strided, px, po, n);
}
export function predicate_u32(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  return predicateAny<u32>(op, strided, px, po, n);
}
