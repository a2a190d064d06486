// Scan (cumsum / cumprod / cummax / cummin / logcumsumexp) along one axis, forward or reverse,
// inclusive or exclusive, every dtype, as packages/core/src/backend/reference/scan.ts computes
// it: the running value has the output dtype and is rounded or wrapped to it at every step.
//  - float32 / float64: native arithmetic in T is the reference's (a double sum or product of
//    two float32 values rounds to float32 as one f32 operation does).
//  - integers up to 32 bits: wrapping arithmetic in T (the reference's double sums are exact and
//    wrap on store; its products are Math.imul or exact); 64-bit integers: wrapping i64, compared
//    signed or unsigned as its bigints are.
//  - float16 / bfloat16: the decoded doubles, each step's double result rounded once to 16 bits
//    and decoded again (half-double.ts), as the reference's store-and-read does.
//  - bool: the reference's doubles of the stored bytes (prod multiplies them, max/min compare
//    them), stored as value != 0; cumsum of bool counts in int32.
//  - complex64: per-lane float32 sums, double products rounded per lane, lexicographic max/min.
//  - logaddexp: the reference's formula (hi + log1p(exp(lo - hi)), -inf the identity, NaN
//    propagating), calling the reference's own Math.exp / Math.log1p (and for complex64 cos,
//    sin, log, hypot, atan2), imported: bit-identical by construction, no ulp bound.
// Descriptor: [keptNd, keptShape, keptStridesIn, keptStridesOut, n, axisStrideIn, axisStrideOut].
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { decodeHalf, encodeHalf, roundHalf } from './half-double';

export const SCAN_sum: i32 = 1;
export const SCAN_prod: i32 = 2;
export const SCAN_max: i32 = 3;
export const SCAN_min: i32 = 4;
export const SCAN_logaddexp: i32 = 5;

// Element kinds: one export per input -> output dtype pair (scan_f32 ... scan_c64 below), each
// with its five scans inlined (a single export for all of them makes one function too large
// for the optimizer). Internal tags of the kinds:
const K_real: i32 = 0; // float32 / float64 / integers: arithmetic in T
const K_f16: i32 = 1;
const K_bf16: i32 = 2;
const K_bool: i32 = 3;

@external("reference", "Exp") declare function refExp(x: f64): f64;
@external("reference", "Log1p") declare function refLog1p(x: f64): f64;
@external("reference", "Log") declare function refLog(x: f64): f64;
@external("reference", "Cos") declare function refCos(x: f64): f64;
@external("reference", "Sin") declare function refSin(x: f64): f64;
@external("reference", "ArcTan2") declare function refAtan2(y: f64, x: f64): f64;
@external("reference", "Hypot") declare function refHypot(x: f64, y: f64): f64;

/** log(exp(a) + exp(b)) without overflow; -inf is the identity, NaN propagates (reference/scan.ts). */
@inline function logAddExp(a: f64, b: f64): f64 {
  if (a != a || b != b) return NaN;
  const hi = max(a, b);
  const lo = min(a, b);
  if (lo == -Infinity || hi == Infinity) return hi;
  return hi + refLog1p(refExp(lo - hi));
}

@inline function isHalf(kind: i32): bool {
  return kind == K_f16 || kind == K_bf16;
}

@inline function initAcc<A>(kind: i32, type: i32): A {
  if (type == SCAN_sum) return <A>0;
  if (type == SCAN_prod) return <A>1;
  if (kind == K_bool) return type == SCAN_min ? <A>1 : <A>0; // bool's lowest / highest
  if (isFloat<A>()) return type == SCAN_min ? <A>Infinity : <A>-Infinity;
  // the dtype's lowest / highest value
  if (type == SCAN_max) return isSigned<A>() ? <A>(<i64>-1 << (sizeof<A>() * 8 - 1)) : <A>0;
  return isSigned<A>() ? <A>(~(<i64>-1 << (sizeof<A>() * 8 - 1))) : <A>-1;
}

@inline function loadAcc<TIn, A>(kind: i32, p: usize): A {
  if (isHalf(kind)) return <A>decodeHalf(kind == K_bf16, <u32>load<u16>(p));
  return <A>load<TIn>(p);
}

@inline function storeAcc<TOut, A>(kind: i32, p: usize, acc: A): void {
  if (isHalf(kind)) store<u16>(p, <u16>encodeHalf(kind == K_bf16, <f64>acc));
  else if (kind == K_bool) store<u8>(p, <f64>acc != 0 ? 1 : 0);
  else store<TOut>(p, <TOut>acc);
}

@inline function stepAcc<A>(kind: i32, type: i32, acc: A, b: A): A {
  const half = isHalf(kind);
  const bf = kind == K_bf16;
  if (type == SCAN_sum) return half ? <A>roundHalf(bf, <f64>acc + <f64>b) : <A>(acc + b);
  if (type == SCAN_prod) return half ? <A>roundHalf(bf, <f64>acc * <f64>b) : <A>(acc * b);
  if (type == SCAN_logaddexp) {
    const r = logAddExp(<f64>acc, <f64>b);
    return half ? <A>roundHalf(bf, r) : <A>r;
  }
  // NaN propagates: once the running value is NaN it stays NaN
  if (isFloat<A>()) {
    if (acc != acc) return acc;
    if (b != b) return b;
  }
  return (type == SCAN_max ? b > acc : b < acc) ? b : acc;
}

@inline function realLine<TIn, TOut, A>(kind: i32, type: i32, inclusive: bool, px: usize, po: usize, pin: i32, pout: i32, stepIn: i32, stepOut: i32, n: i32): void {
  let acc = initAcc<A>(kind, type);
  for (let j = 0; j < n; j++) {
    const next = stepAcc<A>(kind, type, acc, loadAcc<TIn, A>(kind, at<TIn>(px, pin)));
    // inclusive: the value with this element; exclusive: the one before it
    storeAcc<TOut, A>(kind, at<TOut>(po, pout), inclusive ? next : acc);
    acc = next;
    pin += stepIn;
    pout += stepOut;
  }
}

// complex64 running value (real, imaginary), kept as the doubles of float32 values.
let CR: f64 = 0;
let CI: f64 = 0;

@inline function complexStep(type: i32, br: f64, bi: f64): void {
  const ar = CR;
  const ai = CI;
  if (type == SCAN_sum) {
    CR = <f64><f32>(ar + br);
    CI = <f64><f32>(ai + bi);
  } else if (type == SCAN_prod) {
    CR = <f64><f32>(ar * br - ai * bi);
    CI = <f64><f32>(ar * bi + ai * br);
  } else if (type == SCAN_logaddexp) {
    // a + log(1 + exp(b - a)), factored around the operand with the larger real part
    if (ar == -Infinity) {
      CR = br;
      CI = bi;
      return;
    }
    if (br == -Infinity) return;
    let xr = ar, xi = ai, yr = br, yi = bi;
    if (yr > xr) {
      xr = br;
      xi = bi;
      yr = ar;
      yi = ai;
    }
    const e = refExp(yr - xr);
    const zr = 1 + e * refCos(yi - xi);
    const zi = e * refSin(yi - xi);
    CR = <f64><f32>(xr + refLog(refHypot(zr, zi)));
    CI = <f64><f32>(xi + refAtan2(zi, zr));
  } else if (type == SCAN_max ? ar < br || (ar == br && ai < bi) : br < ar || (br == ar && bi < ai)) {
    CR = br;
    CI = bi;
  }
}

@inline function complexLine(type: i32, inclusive: bool, px: usize, po: usize, pin: i32, pout: i32, stepIn: i32, stepOut: i32, n: i32): void {
  CR = type == SCAN_prod ? 1 : type == SCAN_sum ? 0 : type == SCAN_min ? Infinity : -Infinity;
  CI = 0;
  for (let j = 0; j < n; j++) {
    const p = at<u64>(px, pin);
    const br = <f64>load<f32>(p);
    const bi = <f64>load<f32>(p + 4);
    const q = at<u64>(po, pout);
    if (!inclusive) {
      store<f32>(q, <f32>CR);
      store<f32>(q + 4, <f32>CI);
    }
    complexStep(type, br, bi);
    if (inclusive) {
      store<f32>(q, <f32>CR);
      store<f32>(q + 4, <f32>CI);
    }
    pin += stepIn;
    pout += stepOut;
  }
}

// The lines: every position of the kept dims, row-major; offIn / offOut are the element
// offsets of the current line's first element (in storage order, before `reverse`).
let offIn: i32 = 0;
let offOut: i32 = 0;

/** Starts the walk; returns the number of lines. */
@inline function startLines(): i32 {
  offIn = 0;
  offOut = 0;
  return startDescWalk(word(0), 2);
}

/** Advances the kept counters to the next line, moving both offsets. */
function nextLine(): void {
  const k = advance(wordAt(1), COUNTERS, word(0));
  offIn += jump(jumpTable(0), k);
  offOut += jump(jumpTable(1), k);
}

@inline function scanLoops<TIn, TOut, A>(kind: i32, type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): void {
  const kn = word(0);
  const n = word(1 + 3 * kn);
  const sIn = word(2 + 3 * kn);
  const sOut = word(3 + 3 * kn);
  const stepIn = reverse ? -sIn : sIn;
  const stepOut = reverse ? -sOut : sOut;
  const lines = startLines();
  for (let l = 0; l < lines; l++) {
    realLine<TIn, TOut, A>(kind, type, inclusive, px, po, offIn + (reverse ? (n - 1) * sIn : 0), offOut + (reverse ? (n - 1) * sOut : 0), stepIn, stepOut, n);
    nextLine();
  }
}

@inline function complexLoops(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): void {
  const kn = word(0);
  const n = word(1 + 3 * kn);
  const sIn = word(2 + 3 * kn);
  const sOut = word(3 + 3 * kn);
  const stepIn = reverse ? -sIn : sIn;
  const stepOut = reverse ? -sOut : sOut;
  const lines = startLines();
  for (let l = 0; l < lines; l++) {
    complexLine(type, inclusive, px, po, offIn + (reverse ? (n - 1) * sIn : 0), offOut + (reverse ? (n - 1) * sOut : 0), stepIn, stepOut, n);
    nextLine();
  }
}

@inline function scanTypes<TIn, TOut, A>(kind: i32, type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  switch (type) {
    case SCAN_sum: scanLoops<TIn, TOut, A>(kind, SCAN_sum, reverse, inclusive, px, po); return true;
    case SCAN_prod: scanLoops<TIn, TOut, A>(kind, SCAN_prod, reverse, inclusive, px, po); return true;
    case SCAN_max: scanLoops<TIn, TOut, A>(kind, SCAN_max, reverse, inclusive, px, po); return true;
    case SCAN_min: scanLoops<TIn, TOut, A>(kind, SCAN_min, reverse, inclusive, px, po); return true;
  }
  return false;
}

/** The four scans plus logcumsumexp (floating kinds). */
@inline function scanFloatTypes<TIn, TOut, A>(kind: i32, type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  if (type != SCAN_logaddexp) return scanTypes<TIn, TOut, A>(kind, type, reverse, inclusive, px, po);
  scanLoops<TIn, TOut, A>(kind, SCAN_logaddexp, reverse, inclusive, px, po);
  return true;
}

// Each returns false when it has no kernel for `type` (logcumsumexp of integers and bool: the
// reference raises for 64-bit integers; the ops cast smaller integers to float first).
export function scan_f32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanFloatTypes<f32, f32, f32>(K_real, type, reverse, inclusive, px, po);
}
export function scan_f64(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanFloatTypes<f64, f64, f64>(K_real, type, reverse, inclusive, px, po);
}
export function scan_f16(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanFloatTypes<u16, u16, f64>(K_f16, type, reverse, inclusive, px, po);
}
export function scan_bf16(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanFloatTypes<u16, u16, f64>(K_bf16, type, reverse, inclusive, px, po);
}
export function scan_i8(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<i8, i8, i8>(K_real, type, reverse, inclusive, px, po);
}
export function scan_u8(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<u8, u8, u8>(K_real, type, reverse, inclusive, px, po);
}
export function scan_i16(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<i16, i16, i16>(K_real, type, reverse, inclusive, px, po);
}
export function scan_u16(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<u16, u16, u16>(K_real, type, reverse, inclusive, px, po);
}
export function scan_i32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<i32, i32, i32>(K_real, type, reverse, inclusive, px, po);
}
export function scan_u32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<u32, u32, u32>(K_real, type, reverse, inclusive, px, po);
}
export function scan_i64(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<i64, i64, i64>(K_real, type, reverse, inclusive, px, po);
}
export function scan_u64(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<u64, u64, u64>(K_real, type, reverse, inclusive, px, po);
}
export function scan_bool(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanTypes<u8, u8, f64>(K_bool, type, reverse, inclusive, px, po);
}
/** cumsum of bool: the stored bytes counted in int32. */
export function scan_bool_i32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  if (type != SCAN_sum) return false;
  scanLoops<u8, i32, i32>(K_real, SCAN_sum, reverse, inclusive, px, po);
  return true;
}
export function scan_c64(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  switch (type) {
    case SCAN_sum: complexLoops(SCAN_sum, reverse, inclusive, px, po); return true;
    case SCAN_prod: complexLoops(SCAN_prod, reverse, inclusive, px, po); return true;
    case SCAN_max: complexLoops(SCAN_max, reverse, inclusive, px, po); return true;
    case SCAN_min: complexLoops(SCAN_min, reverse, inclusive, px, po); return true;
    case SCAN_logaddexp: complexLoops(SCAN_logaddexp, reverse, inclusive, px, po); return true;
  }
  return false;
}
