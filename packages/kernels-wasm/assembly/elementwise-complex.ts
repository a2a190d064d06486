// Elementwise kernels for complex64 (pairs of f32: re, im), with the semantics of the
// reference backend (packages/core/src/backend/reference/elementwise.ts, its `c` / `cr`
// functions) bit for bit, NaN payloads aside. The reference computes in JS doubles from the
// float32 pairs and rounds to float32 on store; so do these kernels: each value is a v128
// f64x2 (re, im), every formula is the reference's, in its operation order, and the JS Math
// functions it calls (exp, cos, sin, cosh, sinh, log, log1p, atan2, hypot) are imported
// (module "math": JS passes its Math object), so transcendental results are the reference's
// by construction. Only + - * / sqrt abs and rounding are computed natively (IEEE, the same
// in JS and WASM). Math.hypot is imported too: V8's is not sqrt(x*x + y*y).
//
// Op codes: the real kernels' (./elementwise), plus COMPLEX_* for the ops only complex has.
// Layout modes as in ./elementwise: binary 0 = both contiguous, 1 = `b` a scalar, 2 = `a` a
// scalar, 3 = descriptor [ndim, shape, stridesA, stridesB]; unary `strided` = descriptor
// [ndim, shape, strides]. Outputs are contiguous. Every export returns false for an op it
// doesn't implement, so JS falls back to the reference.
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import {
  BINARY_Add, BINARY_Subtract, BINARY_Multiply, BINARY_Divide, BINARY_Maximum, BINARY_Minimum, BINARY_FloorDivide,
  BINARY_Power, BINARY_LogAddExp, BINARY_Equal, BINARY_NotEqual, BINARY_Less, BINARY_LessEqual, BINARY_Greater,
  BINARY_GreaterEqual, BINARY_NaNEqual,
  UNARY_Negative, UNARY_Abs, UNARY_Square, UNARY_Sqrt, UNARY_Rsqrt, UNARY_Reciprocal, UNARY_Round, UNARY_Sign,
  UNARY_IsNaN, UNARY_IsInf, UNARY_IsPosInf, UNARY_IsNegInf, UNARY_IsFinite, UNARY_LogicalNot,
  UNARY_Exp, UNARY_Log, UNARY_Log2, UNARY_Log10, UNARY_Log1p, UNARY_Sin, UNARY_Cos, UNARY_Tan, UNARY_ArcSin,
  UNARY_ArcCos, UNARY_ArcTan, UNARY_Sinh, UNARY_Cosh, UNARY_Tanh, UNARY_ArcSinh, UNARY_ArcCosh, UNARY_ArcTanh,
} from './elementwise';

// Unary ops that only complex inputs compute (real dtypes: copies or zeros, in JS). Not
// named UNARY_*: the real kernels don't take them.
export const COMPLEX_Real: i32 = 100;
export const COMPLEX_Imag: i32 = 101;
export const COMPLEX_Conjugate: i32 = 102;

// ---- the JS Math functions the reference's complex formulas call ----
@external("math", "exp") declare function jsExp(x: f64): f64;
@external("math", "cos") declare function jsCos(x: f64): f64;
@external("math", "sin") declare function jsSin(x: f64): f64;
@external("math", "cosh") declare function jsCosh(x: f64): f64;
@external("math", "sinh") declare function jsSinh(x: f64): f64;
@external("math", "log") declare function jsLog(x: f64): f64;
@external("math", "log1p") declare function jsLog1p(x: f64): f64;
@external("math", "atan2") declare function jsAtan2(y: f64, x: f64): f64;
@external("math", "hypot") declare function jsHypot(x: f64, y: f64): f64;

// ---- complex values as f64x2 (re, im) ----

@inline function pair(re: f64, im: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(re), 1, im);
}
@inline function re(z: v128): f64 {
  return f64x2.extract_lane(z, 0);
}
@inline function im(z: v128): f64 {
  return f64x2.extract_lane(z, 1);
}
/** complex64 at `p` as doubles (exact). */
@inline function loadC(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}
/** Rounds both parts to float32 (as the reference's Float32Array store does). */
@inline function storeC(p: usize, z: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(z), 0);
}

@inline function isNaN(v: f64): bool {
  return v != v;
}
@inline function isInf(v: f64): bool {
  return Math.abs(v) == Infinity;
}
@inline function isFinite(v: f64): bool {
  return v - v == 0;
}
/** The reference's copysign: a NaN counts as negative whatever its sign bit (x86's default NaN). */
@inline function copysignRef(m: f64, s: f64): f64 {
  return s != s || reinterpret<i64>(s) < 0 ? -Math.abs(m) : Math.abs(m);
}

// ---- the reference's formulas (C99 Annex G special cases included) ----

/** (a + bi)(c + di): ac - bd, ad + bc, each product exact in double; both-NaN results recovered. */
@inline function cmulV(x: v128, y: v128): v128 {
  const t1 = f64x2.mul(v128.shuffle<f64>(x, x, 0, 0), y); // (ac, ad)
  const t2 = f64x2.mul(v128.shuffle<f64>(x, x, 1, 1), v128.shuffle<f64>(y, y, 1, 0)); // (bd, bc)
  // ac + (-bd) is ac - bd exactly (IEEE defines subtraction so)
  const r = f64x2.add(t1, v128.shuffle<f64>(f64x2.neg(t2), t2, 0, 3));
  if (i64x2.all_true(f64x2.ne(r, r))) return cmulRecover(re(x), im(x), re(y), im(y));
  return r;
}
@inline function cmul(a: f64, b: f64, c: f64, d: f64): v128 {
  return cmulV(pair(a, b), pair(c, d));
}
function cmulRecover(a: f64, b: f64, c: f64, d: f64): v128 {
  const ac = a * c;
  const bd = b * d;
  const ad = a * d;
  const bc = b * c;
  let x = ac - bd;
  let y = ad + bc;
  let recalc = false;
  if (isInf(a) || isInf(b)) {
    a = copysignRef(isInf(a) ? 1 : 0, a);
    b = copysignRef(isInf(b) ? 1 : 0, b);
    if (isNaN(c)) c = copysignRef(0, c);
    if (isNaN(d)) d = copysignRef(0, d);
    recalc = true;
  }
  if (isInf(c) || isInf(d)) {
    c = copysignRef(isInf(c) ? 1 : 0, c);
    d = copysignRef(isInf(d) ? 1 : 0, d);
    if (isNaN(a)) a = copysignRef(0, a);
    if (isNaN(b)) b = copysignRef(0, b);
    recalc = true;
  }
  if (!recalc && (isInf(ac) || isInf(bd) || isInf(ad) || isInf(bc))) {
    if (isNaN(a)) a = copysignRef(0, a);
    if (isNaN(b)) b = copysignRef(0, b);
    if (isNaN(c)) c = copysignRef(0, c);
    if (isNaN(d)) d = copysignRef(0, d);
    recalc = true;
  }
  if (recalc) {
    x = Infinity * (a * c - b * d);
    y = Infinity * (a * d + b * c);
  }
  return pair(x, y);
}

/** Smith's division with Annex G's recovery of infinities and zeros. */
function cdiv(a: f64, b: f64, c: f64, d: f64): v128 {
  let x: f64, y: f64;
  if (Math.abs(c) < Math.abs(d)) {
    const ratio = c / d;
    const den = c * ratio + d;
    x = (a * ratio + b) / den;
    y = (b * ratio - a) / den;
  } else {
    const ratio = d / c;
    const den = d * ratio + c;
    x = (b * ratio + a) / den;
    y = (b - a * ratio) / den;
  }
  if (isNaN(x) && isNaN(y)) {
    if (c == 0 && d == 0 && (!isNaN(a) || !isNaN(b))) {
      x = copysignRef(Infinity, c) * a;
      y = copysignRef(Infinity, c) * b;
    } else if ((isInf(a) || isInf(b)) && isFinite(c) && isFinite(d)) {
      const p = copysignRef(isInf(a) ? 1 : 0, a);
      const q = copysignRef(isInf(b) ? 1 : 0, b);
      x = Infinity * (p * c + q * d);
      y = Infinity * (q * c - p * d);
    } else if ((isInf(c) || isInf(d)) && isFinite(a) && isFinite(b)) {
      const p = copysignRef(isInf(c) ? 1 : 0, c);
      const q = copysignRef(isInf(d) ? 1 : 0, d);
      x = 0 * (a * p + b * q);
      y = 0 * (b * p - a * q);
    }
  }
  return pair(x, y);
}
@inline function cdivV(x: v128, y: v128): v128 {
  return cdiv(re(x), im(x), re(y), im(y));
}

function cexp(a: f64, b: f64): v128 {
  if (isFinite(a)) {
    if (!isFinite(b)) return pair(NaN, NaN);
    const e = jsExp(a);
    return b == 0 ? pair(e, b) : pair(e * jsCos(b), e * jsSin(b));
  }
  if (a == Infinity) {
    if (!isFinite(b)) return pair(Infinity, NaN);
    return b == 0 ? pair(Infinity, b) : pair(Infinity * jsCos(b), Infinity * jsSin(b));
  }
  if (a == -Infinity) {
    if (!isFinite(b)) return pair(0, copysignRef(0, b));
    return pair(copysignRef(0, jsCos(b)), copysignRef(0, jsSin(b)));
  }
  return b == 0 ? pair(NaN, b) : pair(NaN, NaN);
}

function clog(a: f64, b: f64): v128 {
  return pair(jsLog(jsHypot(a, b)), jsAtan2(b, a));
}

/** log(1 + z) as MLX writes it (accurate near 0). */
function clog1p(x: f64, y: f64): v128 {
  const theta = jsAtan2(y, x + 1);
  if (jsHypot(x, y) < 0.5) {
    const r = x * (2 + x) + y * y;
    return r == 0 ? pair(x, theta) : pair(0.5 * jsLog1p(r), theta);
  }
  return pair(jsLog(jsHypot(x + 1, y)), theta);
}

function csqrt(a: f64, b: f64): v128 {
  if (!isFinite(a) || !isFinite(b)) {
    if (isInf(b)) return pair(Infinity, b);
    if (a == -Infinity) return pair(isNaN(b) ? NaN : 0, copysignRef(Infinity, b));
    if (a == Infinity) return pair(Infinity, isNaN(b) ? NaN : copysignRef(0, b));
    return pair(NaN, NaN);
  }
  if (b == 0) return a < 0 ? pair(0, copysignRef(Math.sqrt(-a), b)) : pair(Math.sqrt(a), b);
  if (a == 0) {
    const r = Math.sqrt(0.5 * Math.abs(b));
    return pair(r, copysignRef(r, b));
  }
  const d = jsHypot(a, b);
  if (a > 0) {
    const r = Math.sqrt(0.5 * (d + a));
    return pair(r, 0.5 * (b / r));
  }
  const s = Math.sqrt(0.5 * (d - a));
  return pair(Math.abs(0.5 * (b / s)), copysignRef(s, b));
}

@inline function csin(a: f64, b: f64): v128 {
  return pair(jsSin(a) * jsCosh(b), jsCos(a) * jsSinh(b));
}
@inline function ccos(a: f64, b: f64): v128 {
  return pair(jsCos(a) * jsCosh(b), -jsSin(a) * jsSinh(b));
}
@inline function csinh(a: f64, b: f64): v128 {
  return pair(jsSinh(a) * jsCos(b), jsCosh(a) * jsSin(b));
}
@inline function ccosh(a: f64, b: f64): v128 {
  return pair(jsCosh(a) * jsCos(b), jsSinh(a) * jsSin(b));
}

function casinh(a: f64, b: f64): v128 {
  const sq = cmul(a, b, a, b);
  const s = csqrt(re(sq) + 1, im(sq));
  return clog(a + re(s), b + im(s));
}
/** asin(z) = -i asinh(i z) */
function casin(a: f64, b: f64): v128 {
  const s = casinh(-b, a);
  return pair(im(s), -re(s));
}
function cacosh(a: f64, b: f64): v128 {
  const p = csqrt(a + 1, b);
  const q = csqrt(a - 1, b);
  const m = cmulV(p, q);
  return clog(a + re(m), b + im(m));
}
function catanh(a: f64, b: f64): v128 {
  const q = cdiv(1 + a, b, 1 - a, -b);
  const l = clog(re(q), im(q));
  return pair(re(l) / 2, im(l) / 2);
}
/** atan(z) by its real/imaginary closed form (branch cuts where C's catan puts them). */
function catan(a: f64, b: f64): v128 {
  const r = 0.5 * jsAtan2(2 * a, 1 - a * a - b * b);
  const i = 0.25 * jsLog((a * a + (b + 1) * (b + 1)) / (a * a + (b - 1) * (b - 1)));
  return pair(r, i);
}

// MLX orders complex values lexicographically, with C's NaN comparisons.
@inline function cgt(ar: f64, ai: f64, br: f64, bi: f64): bool {
  return ar > br || (ar == br && ai > bi);
}
@inline function cge(ar: f64, ai: f64, br: f64, bi: f64): bool {
  return ar > br || (ar == br && ai >= bi);
}
@inline function cnan(z: v128): bool {
  return isNaN(re(z)) || isNaN(im(z));
}

// ---- per-element semantics (op is a constant after inlining, so each switch folds away) ----

@inline function binaryComplex(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case BINARY_Add: return f64x2.add(x, y);
    case BINARY_Subtract: return f64x2.sub(x, y);
    case BINARY_Multiply: return cmulV(x, y);
    // complex floor_divide is a plain division in MLX
    case BINARY_Divide: return cdivV(x, y);
    case BINARY_FloorDivide: return cdivV(x, y);
    case BINARY_Maximum: return cnan(x) ? x : cgt(re(x), im(x), re(y), im(y)) ? x : y;
    case BINARY_Minimum: return cnan(x) ? x : cgt(re(y), im(y), re(x), im(x)) ? x : y;
    case BINARY_Power: return cpow(x, y);
    case BINARY_LogAddExp: return clogaddexp(x, y);
  }
  return x;
}

/** std::pow(z, w) = exp(w * log(z)) */
function cpow(z: v128, w: v128): v128 {
  const l = clog(re(z), im(z));
  const m = cmulV(w, l);
  return cexp(re(m), im(m));
}

/** MLX's formula: max + log1p(exp(min - max)), max / min in its lexicographic order. */
function clogaddexp(x: v128, y: v128): v128 {
  const xr = re(x);
  const xi = im(x);
  const yr = re(y);
  const yi = im(y);
  const nan = cnan(x);
  const mx = nan ? x : cgt(xr, xi, yr, yi) ? x : y;
  const mn = nan ? x : cgt(yr, yi, xr, xi) ? x : y;
  const mr = re(mx);
  const mi = im(mx);
  const nr = re(mn);
  const ni = im(mn);
  if ((nr == -Infinity && ni == 0) || (mr == Infinity && mi == 0)) return mx;
  const e = cexp(nr - mr, ni - mi);
  const p = clog1p(re(e), im(e));
  return pair(mr + re(p), mi + im(p));
}

@inline function compareComplex(op: i32, x: v128, y: v128): u8 {
  const ar = re(x);
  const ai = im(x);
  const br = re(y);
  const bi = im(y);
  switch (op) {
    case BINARY_Equal: return <u8>(ar == br && ai == bi);
    case BINARY_NotEqual: return <u8>(ar != br || ai != bi);
    case BINARY_NaNEqual: return <u8>((ar == br || (ar != ar && br != br)) && (ai == bi || (ai != ai && bi != bi)));
    case BINARY_Less: return <u8>cgt(br, bi, ar, ai);
    case BINARY_LessEqual: return <u8>cge(br, bi, ar, ai);
    case BINARY_Greater: return <u8>cgt(ar, ai, br, bi);
    case BINARY_GreaterEqual: return <u8>cge(ar, ai, br, bi);
  }
  return 0;
}

@inline function unaryComplex(op: i32, z: v128): v128 {
  const a = re(z);
  const b = im(z);
  switch (op) {
    case UNARY_Negative: return f64x2.neg(z);
    case COMPLEX_Conjugate: return pair(a, -b);
    case UNARY_Square: return cmulV(z, z);
    case UNARY_Reciprocal: return cdiv(1, 0, a, b);
    // std::rint on each part: f64.nearest is round-half-even and keeps the sign of zero
    case UNARY_Round: return f64x2.nearest(z);
    // z / |z| as a complex division (so inf parts give nan), zero kept as it is
    case UNARY_Sign: return a == 0 && b == 0 ? z : cdiv(a, b, jsHypot(a, b), 0);
    case UNARY_Sqrt: return csqrt(a, b);
    case UNARY_Rsqrt: return cdivV(pair(1, 0), csqrt(a, b));
    case UNARY_Exp: return cexp(a, b);
    case UNARY_Log: return clog(a, b);
    case UNARY_Log2: return f64x2.div(clog(a, b), f64x2.splat(Math.LN2));
    case UNARY_Log10: return f64x2.div(clog(a, b), f64x2.splat(Math.LN10));
    case UNARY_Log1p: return clog1p(a, b);
    case UNARY_Sin: return csin(a, b);
    case UNARY_Cos: return ccos(a, b);
    case UNARY_Tan: return cdivV(csin(a, b), ccos(a, b));
    case UNARY_ArcSin: return casin(a, b);
    case UNARY_ArcCos: {
      const s = casin(a, b);
      return pair(Math.PI / 2 - re(s), -im(s));
    }
    case UNARY_ArcTan: return catan(a, b);
    case UNARY_Sinh: return csinh(a, b);
    case UNARY_Cosh: return ccosh(a, b);
    case UNARY_Tanh: return cdivV(csinh(a, b), ccosh(a, b));
    case UNARY_ArcSinh: return casinh(a, b);
    case UNARY_ArcCosh: return cacosh(a, b);
    case UNARY_ArcTanh: return catanh(a, b);
  }
  return z;
}

/** Complex in, float32 out. */
@inline function partOf(op: i32, z: v128): f32 {
  switch (op) {
    case UNARY_Abs: return <f32>jsHypot(re(z), im(z));
    case COMPLEX_Real: return <f32>re(z);
    case COMPLEX_Imag: return <f32>im(z);
  }
  return 0;
}

/** Complex in, bool out. A complex value is +-inf only when it is +-inf + 0j (MLX). */
@inline function predicateComplex(op: i32, z: v128): u8 {
  const a = re(z);
  const b = im(z);
  switch (op) {
    case UNARY_IsNaN: return <u8>(isNaN(a) || isNaN(b));
    case UNARY_IsInf: return <u8>(isInf(a) || isInf(b));
    case UNARY_IsPosInf: return <u8>(a == Infinity && b == 0);
    case UNARY_IsNegInf: return <u8>(a == -Infinity && b == 0);
    case UNARY_IsFinite: return <u8>(isFinite(a) && isFinite(b));
    case UNARY_LogicalNot: return <u8>(a == 0 && b == 0);
  }
  return 0;
}

/** Whether a binary op computes without JS imports (such calls may run on worker threads). */
export function complex_binary_native(op: i32): bool {
  return op != BINARY_Power && op != BINARY_LogAddExp;
}
/** Whether a unary op computes without JS imports. */
export function complex_unary_native(op: i32): bool {
  switch (op) {
    case UNARY_Negative: case COMPLEX_Conjugate: case UNARY_Square: case UNARY_Reciprocal: case UNARY_Round:
    case COMPLEX_Real: case COMPLEX_Imag:
    case UNARY_IsNaN: case UNARY_IsInf: case UNARY_IsPosInf: case UNARY_IsNegInf: case UNARY_IsFinite: case UNARY_LogicalNot:
      return true;
  }
  return false;
}

// ---- loops: R is the output element (v128 = a complex pair stored as complex64, f32, u8) ----

@inline function put<R>(po: usize, i: i32, v: R): void {
  if (isVector<R>()) storeC(po + (<usize>i << 3), v);
  else store<R>(po + (<usize>i << alignof<R>()), v);
}

@inline function applyBinary<R>(op: i32, x: v128, y: v128): R {
  if (isVector<R>()) return binaryComplex(op, x, y);
  else return <R>compareComplex(op, x, y);
}

@inline function applyUnary<R>(op: i32, z: v128): R {
  if (isVector<R>()) return unaryComplex(op, z);
  else if (isFloat<R>()) return <R>partOf(op, z);
  else return <R>predicateComplex(op, z);
}

/** Add / subtract of raw float32 lanes, two complex values per vector: float32 + and - of two floats equal the double ones rounded once. */
@inline function addSubV(op: i32, x: v128, y: v128): v128 {
  return op == BINARY_Add ? f32x4.add(x, y) : f32x4.sub(x, y);
}

@inline function binaryLoops<R>(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  let i = 0;
  if (isVector<R>() && (op == BINARY_Add || op == BINARY_Subtract) && mode != 3) {
    const end = n & ~1;
    if (mode == 0) {
      for (; i < end; i += 2) {
        const off = <usize>i << 3;
        v128.store(po + off, addSubV(op, v128.load(pa + off), v128.load(pb + off)));
      }
    } else if (mode == 1) {
      const vb = v128.load64_splat(pb);
      for (; i < end; i += 2) {
        const off = <usize>i << 3;
        v128.store(po + off, addSubV(op, v128.load(pa + off), vb));
      }
    } else {
      const va = v128.load64_splat(pa);
      for (; i < end; i += 2) {
        const off = <usize>i << 3;
        v128.store(po + off, addSubV(op, va, v128.load(pb + off)));
      }
    }
  }
  if (mode == 0) {
    for (; i < n; i++) put<R>(po, i, applyBinary<R>(op, loadC(at<u64>(pa, i)), loadC(at<u64>(pb, i))));
  } else if (mode == 1) {
    const y = loadC(pb);
    for (; i < n; i++) put<R>(po, i, applyBinary<R>(op, loadC(at<u64>(pa, i)), y));
  } else if (mode == 2) {
    const x = loadC(pa);
    for (; i < n; i++) put<R>(po, i, applyBinary<R>(op, x, loadC(at<u64>(pb, i))));
  } else {
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
    for (let r = 0; r < rows; r++) {
      let ia = oa;
      let ib = ob;
      for (let j = 0; j < n0; j++) {
        put<R>(po, i++, applyBinary<R>(op, loadC(at<u64>(pa, ia)), loadC(at<u64>(pb, ib))));
        ia += sa0;
        ib += sb0;
      }
      const k = advance(shape, COUNTERS, last);
      oa += jump(ja, k);
      ob += jump(jb, k);
    }
  }
}

// sign bits of the imaginary float32 lanes
const CONJUGATE_MASK = i32x4(0, -0x80000000, 0, -0x80000000);

/** Contiguous unary ops on raw float32 lanes that equal the double formula rounded once. */
@inline function simdUnary<R>(op: i32): bool {
  if (isVector<R>()) return op == UNARY_Negative || op == COMPLEX_Conjugate || op == UNARY_Round;
  if (isFloat<R>()) return op == COMPLEX_Real || op == COMPLEX_Imag;
  return false;
}

@inline function unaryLoops<R>(op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  let i = 0;
  if (!strided) {
    if (simdUnary<R>(op)) {
      if (isVector<R>()) {
        const end = n & ~1;
        for (; i < end; i += 2) {
          const off = <usize>i << 3;
          const v = v128.load(px + off);
          const r = op == UNARY_Negative ? f32x4.neg(v) : op == UNARY_Round ? f32x4.nearest(v) : v128.xor(v, CONJUGATE_MASK);
          v128.store(po + off, r);
        }
      } else {
        // four complex values -> four real or imaginary parts
        const end = n & ~3;
        for (; i < end; i += 4) {
          const v0 = v128.load(px + (<usize>i << 3));
          const v1 = v128.load(px + (<usize>i << 3) + 16);
          const r = op == COMPLEX_Real ? v128.shuffle<f32>(v0, v1, 0, 2, 4, 6) : v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          v128.store(po + (<usize>i << 2), r);
        }
      }
    }
    for (; i < n; i++) put<R>(po, i, applyUnary<R>(op, loadC(at<u64>(px, i))));
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
  for (let r = 0; r < rows; r++) {
    let ix = ox;
    for (let j = 0; j < n0; j++) {
      put<R>(po, i++, applyUnary<R>(op, loadC(at<u64>(px, ix))));
      ix += s0;
    }
    ox += jump(jx, advance(shape, COUNTERS, last));
  }
}

// ---- exports: one switch per family so that every case inlines a loop for a constant op ----

/** complex64 (op) complex64 -> complex64. */
export function complex_binary(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Add: binaryLoops<v128>(BINARY_Add, mode, pa, pb, po, n); return true;
    case BINARY_Subtract: binaryLoops<v128>(BINARY_Subtract, mode, pa, pb, po, n); return true;
    case BINARY_Multiply: binaryLoops<v128>(BINARY_Multiply, mode, pa, pb, po, n); return true;
    case BINARY_Divide: binaryLoops<v128>(BINARY_Divide, mode, pa, pb, po, n); return true;
    case BINARY_FloorDivide: binaryLoops<v128>(BINARY_FloorDivide, mode, pa, pb, po, n); return true;
    case BINARY_Maximum: binaryLoops<v128>(BINARY_Maximum, mode, pa, pb, po, n); return true;
    case BINARY_Minimum: binaryLoops<v128>(BINARY_Minimum, mode, pa, pb, po, n); return true;
    case BINARY_Power: binaryLoops<v128>(BINARY_Power, mode, pa, pb, po, n); return true;
    case BINARY_LogAddExp: binaryLoops<v128>(BINARY_LogAddExp, mode, pa, pb, po, n); return true;
  }
  return false;
}

/** complex64 comparisons -> bool. */
export function complex_compare(op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  switch (op) {
    case BINARY_Equal: binaryLoops<u8>(BINARY_Equal, mode, pa, pb, po, n); return true;
    case BINARY_NotEqual: binaryLoops<u8>(BINARY_NotEqual, mode, pa, pb, po, n); return true;
    case BINARY_NaNEqual: binaryLoops<u8>(BINARY_NaNEqual, mode, pa, pb, po, n); return true;
    case BINARY_Less: binaryLoops<u8>(BINARY_Less, mode, pa, pb, po, n); return true;
    case BINARY_LessEqual: binaryLoops<u8>(BINARY_LessEqual, mode, pa, pb, po, n); return true;
    case BINARY_Greater: binaryLoops<u8>(BINARY_Greater, mode, pa, pb, po, n); return true;
    case BINARY_GreaterEqual: binaryLoops<u8>(BINARY_GreaterEqual, mode, pa, pb, po, n); return true;
  }
  return false;
}

/** complex64 -> complex64. */
export function complex_unary(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Negative: unaryLoops<v128>(UNARY_Negative, strided, px, po, n); return true;
    case COMPLEX_Conjugate: unaryLoops<v128>(COMPLEX_Conjugate, strided, px, po, n); return true;
    case UNARY_Square: unaryLoops<v128>(UNARY_Square, strided, px, po, n); return true;
    case UNARY_Reciprocal: unaryLoops<v128>(UNARY_Reciprocal, strided, px, po, n); return true;
    case UNARY_Round: unaryLoops<v128>(UNARY_Round, strided, px, po, n); return true;
    case UNARY_Sign: unaryLoops<v128>(UNARY_Sign, strided, px, po, n); return true;
    case UNARY_Sqrt: unaryLoops<v128>(UNARY_Sqrt, strided, px, po, n); return true;
    case UNARY_Rsqrt: unaryLoops<v128>(UNARY_Rsqrt, strided, px, po, n); return true;
    case UNARY_Exp: unaryLoops<v128>(UNARY_Exp, strided, px, po, n); return true;
    case UNARY_Log: unaryLoops<v128>(UNARY_Log, strided, px, po, n); return true;
    case UNARY_Log2: unaryLoops<v128>(UNARY_Log2, strided, px, po, n); return true;
    case UNARY_Log10: unaryLoops<v128>(UNARY_Log10, strided, px, po, n); return true;
    case UNARY_Log1p: unaryLoops<v128>(UNARY_Log1p, strided, px, po, n); return true;
    case UNARY_Sin: unaryLoops<v128>(UNARY_Sin, strided, px, po, n); return true;
    case UNARY_Cos: unaryLoops<v128>(UNARY_Cos, strided, px, po, n); return true;
    case UNARY_Tan: unaryLoops<v128>(UNARY_Tan, strided, px, po, n); return true;
    case UNARY_ArcSin: unaryLoops<v128>(UNARY_ArcSin, strided, px, po, n); return true;
    case UNARY_ArcCos: unaryLoops<v128>(UNARY_ArcCos, strided, px, po, n); return true;
    case UNARY_ArcTan: unaryLoops<v128>(UNARY_ArcTan, strided, px, po, n); return true;
    case UNARY_Sinh: unaryLoops<v128>(UNARY_Sinh, strided, px, po, n); return true;
    case UNARY_Cosh: unaryLoops<v128>(UNARY_Cosh, strided, px, po, n); return true;
    case UNARY_Tanh: unaryLoops<v128>(UNARY_Tanh, strided, px, po, n); return true;
    case UNARY_ArcSinh: unaryLoops<v128>(UNARY_ArcSinh, strided, px, po, n); return true;
    case UNARY_ArcCosh: unaryLoops<v128>(UNARY_ArcCosh, strided, px, po, n); return true;
    case UNARY_ArcTanh: unaryLoops<v128>(UNARY_ArcTanh, strided, px, po, n); return true;
  }
  return false;
}

/** complex64 -> float32: abs, real and imaginary parts. */
export function complex_part(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_Abs: unaryLoops<f32>(UNARY_Abs, strided, px, po, n); return true;
    case COMPLEX_Real: unaryLoops<f32>(COMPLEX_Real, strided, px, po, n); return true;
    case COMPLEX_Imag: unaryLoops<f32>(COMPLEX_Imag, strided, px, po, n); return true;
  }
  return false;
}

/** complex64 predicates -> bool. */
export function complex_predicate(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case UNARY_IsNaN: unaryLoops<u8>(UNARY_IsNaN, strided, px, po, n); return true;
    case UNARY_IsInf: unaryLoops<u8>(UNARY_IsInf, strided, px, po, n); return true;
    case UNARY_IsPosInf: unaryLoops<u8>(UNARY_IsPosInf, strided, px, po, n); return true;
    case UNARY_IsNegInf: unaryLoops<u8>(UNARY_IsNegInf, strided, px, po, n); return true;
    case UNARY_IsFinite: unaryLoops<u8>(UNARY_IsFinite, strided, px, po, n); return true;
    case UNARY_LogicalNot: unaryLoops<u8>(UNARY_LogicalNot, strided, px, po, n); return true;
  }
  return false;
}

/** Imag of a real array: zeros, every dtype's zero being all bits clear. */
export function zero_fill(po: usize, bytes: usize): void {
  memory.fill(po, 0, bytes);
}
