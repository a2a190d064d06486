// Native double-precision transcendental functions for the float32 kernels.
//
// The reference computes e.g. Math.exp(x) in double and rounds to float32. These functions
// compute in double too, each accurate to about 1 ulp of double, so after rounding to float32
// they give the reference's float32 except when the exact value lies within ~1 ulp of double
// of a float32 rounding boundary (a chance of about 2^-28 per element). The stated bound for
// float32 outputs is therefore <= 1 ulp of float32 against the reference (tested through the
// oracle with ulp: 1, and the count of differing elements is checked to be ~0). Float64
// outputs keep calling the reference's functions (exact).
//
//   exp (expD), sigmoid: fdlibm's e_exp.c as V8 ships it (ieee754::exp), scalar and f64x2,
//                      the same operations in the same order, so both forms are bit-identical
//                      (and equal to V8's Math.exp). float32 Exp itself is expF4 below (float32
//                      arithmetic, its own bound); expD serves its out-of-range lanes.
//   erf:               the reference's own algorithm (series / continued fraction), on exp above.
//   the others:        AssemblyScript's NativeMath (musl ports, < 1 ulp of double).

// ---- exp: fdlibm ----
const ln2HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000); //  6.93147180369123816490e-01
const ln2LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76); //  1.90821492927058770002e-10
const invln2: f64 = reinterpret<f64>(0x3FF71547652B82FE); //  1.44269504088896338700e+00
const P1: f64 = reinterpret<f64>(0x3FC555555555553E); //  1.66666666666666019037e-01
const P2: f64 = reinterpret<f64>(0xBF66C16C16BEBD93); // -2.77777777770155933842e-03
const P3: f64 = reinterpret<f64>(0x3F11566AAF25DE2C); //  6.61375632143793436117e-05
const P4: f64 = reinterpret<f64>(0xBEBBBD41C5D26BF1); // -1.65339022054652515390e-06
const P5: f64 = reinterpret<f64>(0x3E66376972BEA4D0); //  4.13813679705723846039e-08
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;

/** 2^k for k in [-1022, 1023] (exact bits). */
@inline function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** e^x, fdlibm (< 1 ulp). Scaling by 2^k is done in two exact steps, so the one rounding of a
 * subnormal result is fdlibm's. */
export function expD(x: f64): f64 {
  const hxs = <u32>(reinterpret<u64>(x) >> 32);
  const xsb = hxs >> 31;
  const hx = hxs & 0x7FFFFFFF;
  if (hx >= 0x40862E42) {
    if (hx >= 0x7FF00000) {
      if (x != x) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3FD62E42) {
    let t: f64;
    if (hx < 0x3FF0A2B2) t = xsb == 0 ? 1.0 : -1.0;
    else t = trunc<f64>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
    k = <i32>t;
    hi = x - t * ln2HI;
    lo = t * ln2LO;
    x = hi - lo;
  } else if (hx < 0x3E300000) {
    return 1.0 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  const k1 = k >> 1;
  return y * pow2(k1) * pow2(k - k1);
}

// fdlibm's |x| thresholds on the high word, as doubles (|x| >= BIG <=> hx > 0x3FD62E42, ...)
const BIG: f64 = reinterpret<f64>(0x3FD62E4300000000); // |x| > 0.5 ln2: k != 0
const MID: f64 = reinterpret<f64>(0x3FF0A2B200000000); // |x| < 1.5 ln2: k = +-1
const TINY: f64 = reinterpret<f64>(0x3E30000000000000); // |x| < 2^-28: 1 + x
/** Past this |x| (or NaN) a vector goes to the scalar form: k may leave [-1021, 1023]. */
const SIMD_LIMIT: f64 = 707.0;
/** 2^52 + 2^51: adding it to an integer-valued double puts the integer in the low mantissa bits. */
const SHIFTER: f64 = 6755399441055744.0;

/**
 * expV's constants as f64x2 pairs, loaded where used: V8 rebuilds a v128 constant at each use
 * (several instructions), a load is one. Entry i is named KD_* below.
 */
const EXPD_TABLE: usize = memory.data<f64>([
  SIMD_LIMIT, SIMD_LIMIT, // 0
  1.0, 1.0, // 1
  -0.0, -0.0, // 2
  invln2, invln2, // 3
  0.5, 0.5, // 4
  MID, MID, // 5
  BIG, BIG, // 6
  ln2HI, ln2HI, // 7
  ln2LO, ln2LO, // 8
  P1, P1, // 9
  P2, P2, // 10
  P3, P3, // 11
  P4, P4, // 12
  P5, P5, // 13
  2.0, 2.0, // 14
  SHIFTER, SHIFTER, // 15
  TINY, TINY, // 16
], 16);
const EXPD_EXPONENT_BIAS: usize = memory.data<i64>([1023, 1023], 16);

const KD_LIMIT: i32 = 0;
const KD_ONE: i32 = 1;
const KD_NEG_ZERO: i32 = 2;
const KD_INVLN2: i32 = 3;
const KD_HALF: i32 = 4;
const KD_MID: i32 = 5;
const KD_BIG: i32 = 6;
const KD_LN2HI: i32 = 7;
const KD_LN2LO: i32 = 8;
const KD_P1: i32 = 9;
const KD_P2: i32 = 10;
const KD_P3: i32 = 11;
const KD_P4: i32 = 12;
const KD_P5: i32 = 13;
const KD_TWO: i32 = 14;
const KD_SHIFTER: i32 = 15;
const KD_TINY: i32 = 16;

@inline function kd(i: i32): v128 {
  return v128.load(EXPD_TABLE + (<usize>i << 4));
}

/**
 * expD on both lanes of an f64x2, bit-identical to the scalar form: the same operations in
 * the same order. For k = 0 the general formula with hi = x, lo = +0 gives fdlibm's k = 0
 * formula exactly (x*c/(c-2) = -(x*c/(2-c)), and 0 - v = -v), so one division serves both;
 * for |k| <= 1020 the scaling is one exact multiply by 2^k as in fdlibm. Vectors with
 * |x| > 707, infinities or NaN take the scalar form.
 */
@inline export function expV(x: v128): v128 {
  const ax = f64x2.abs(x);
  if (v128.any_true(v128.not(f64x2.le(ax, kd(KD_LIMIT))))) {
    return f64x2.replace_lane(f64x2.splat(expD(f64x2.extract_lane(x, 0))), 1, expD(f64x2.extract_lane(x, 1)));
  }
  const one = kd(KD_ONE);
  const sign = v128.and(x, kd(KD_NEG_ZERO));
  let t = f64x2.trunc(f64x2.add(f64x2.mul(kd(KD_INVLN2), x), v128.or(kd(KD_HALF), sign)));
  t = v128.bitselect(v128.or(one, sign), t, f64x2.lt(ax, kd(KD_MID)));
  t = v128.and(t, f64x2.ge(ax, kd(KD_BIG))); // +0 where k = 0
  const hi = f64x2.sub(x, f64x2.mul(t, kd(KD_LN2HI)));
  const lo = f64x2.mul(t, kd(KD_LN2LO));
  const r = f64x2.sub(hi, lo);
  const tt = f64x2.mul(r, r);
  const c = f64x2.sub(r, f64x2.mul(tt, f64x2.add(kd(KD_P1), f64x2.mul(tt, f64x2.add(kd(KD_P2),
    f64x2.mul(tt, f64x2.add(kd(KD_P3), f64x2.mul(tt, f64x2.add(kd(KD_P4), f64x2.mul(tt, kd(KD_P5)))))))))));
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(kd(KD_TWO), c))), hi));
  const scale = i64x2.shl(i64x2.add(f64x2.add(t, kd(KD_SHIFTER)), v128.load(EXPD_EXPONENT_BIAS)), 52);
  return v128.bitselect(f64x2.add(one, x), f64x2.mul(y, scale), f64x2.lt(ax, kd(KD_TINY)));
}

// ---- float32 exp in f32x4 (the float32 Exp kernel; sigmoid and erf keep expD) ----
// Cody-Waite reduction x = k ln2 + r (ln2 split in two, the first part with 9 significant
// bits so k * EXPF_C1 is exact), e^r = 1 + (r + r^2 P(r)) with Cephes' expf polynomial, then
// an exact scaling by 2^k. All in float32: about 5x the speed of the double form, and within
// 1 ulp of float32 of the correctly rounded e^x (hence of the reference, which rounds the
// double Math.exp once) over every float32 input of [-87, 88]: checked exhaustively by
// packages/core/test/wasm-math.test.ts (every 2^-k-th input in the suite, all 2^31 of them
// with MLX_TS_EXHAUSTIVE=1). Inputs outside [-87, 88] (results that overflow, are subnormal or
// 0, and NaN) take expD rounded once, as before.
const EXPF_LO: f32 = -87.0;
const EXPF_HI: f32 = 88.0;
const EXPF_LOG2E: f32 = 1.44269504088896341;
const EXPF_C1: f32 = 0.693359375;
const EXPF_C2: f32 = -2.12194440e-4;
const EXPF_P0: f32 = 1.9875691500e-4;
const EXPF_P1: f32 = 1.3981999507e-3;
const EXPF_P2: f32 = 8.3334519073e-3;
const EXPF_P3: f32 = 4.1665795894e-2;
const EXPF_P4: f32 = 1.6666665459e-1;
const EXPF_P5: f32 = 5.0000001201e-1;

// k is rounded to nearest-even by the magic-number trick (x*log2e + 1.5*2^23 holds round(k)
// in its low mantissa bits, exact since |x*log2e| < 2^22), which also gives 2^k's exponent
// bits without a float->int conversion: the same k as f32x4.nearest, fewer instructions.
const EXPF_MAGIC: f32 = 12582912.0;
const EXPF_BIAS: i32 = 0x4B400000 - 127;

/**
 * The f32x4 form for lanes known to lie in [EXPF_LO, EXPF_HI], its constants passed in
 * (see expF32Loop for why).
 */
@inline function expF4Core(x: v128, log2e: v128, magic: v128, c1: v128, c2: v128, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, one: v128, bias: v128): v128 {
  const kb = f32x4.add(f32x4.mul(x, log2e), magic);
  const k = f32x4.sub(kb, magic);
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, c1)), f32x4.mul(k, c2));
  let p = f32x4.add(f32x4.mul(p0, r), p1);
  p = f32x4.add(f32x4.mul(p, r), p2);
  p = f32x4.add(f32x4.mul(p, r), p3);
  p = f32x4.add(f32x4.mul(p, r), p4);
  p = f32x4.add(f32x4.mul(p, r), p5);
  const y = f32x4.add(one, f32x4.add(r, f32x4.mul(f32x4.mul(r, r), p)));
  // k in [-126, 127] here, so 2^k is a normal float32 and the product is exact
  const scale = i32x4.shl(i32x4.sub(kb, bias), 23);
  return f32x4.mul(y, scale);
}

@inline function expF4InRange(x: v128): v128 {
  return expF4Core(x, f32x4.splat(EXPF_LOG2E), f32x4.splat(EXPF_MAGIC), f32x4.splat(EXPF_C1), f32x4.splat(EXPF_C2),
    f32x4.splat(EXPF_P0), f32x4.splat(EXPF_P1), f32x4.splat(EXPF_P2), f32x4.splat(EXPF_P3), f32x4.splat(EXPF_P4),
    f32x4.splat(EXPF_P5), f32x4.splat(1.0), i32x4.splat(EXPF_BIAS));
}

/** float32 e^x: the f32x4 form on one lane (bit-identical to expF4), expD outside its range. */
export function expF(x: f32): f32 {
  if (!(x >= EXPF_LO && x <= EXPF_HI)) return <f32>expD(<f64>x);
  return f32x4.extract_lane(expF4InRange(f32x4.splat(x)), 0);
}

/** float32 e^x on four lanes; a vector with a lane outside [-87, 88] (or NaN) goes lane by lane. */
@inline export function expF4(x: v128): v128 {
  const inRange = v128.and(f32x4.ge(x, f32x4.splat(EXPF_LO)), f32x4.le(x, f32x4.splat(EXPF_HI)));
  if (i32x4.all_true(inRange)) return expF4InRange(x);
  let out = f32x4.splat(expF(f32x4.extract_lane(x, 0)));
  out = f32x4.replace_lane(out, 1, expF(f32x4.extract_lane(x, 1)));
  out = f32x4.replace_lane(out, 2, expF(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(out, 3, expF(f32x4.extract_lane(x, 3)));
}

/** expF4's constants, in memory (see expF32Loop). */
const EXPF_TABLE: usize = memory.data<f32>([
  EXPF_LOG2E, EXPF_MAGIC, EXPF_C1, EXPF_C2, EXPF_P0, EXPF_P1, EXPF_P2, EXPF_P3, EXPF_P4, EXPF_P5, 1.0, EXPF_LO, EXPF_HI,
], 16);
const EXPF_BIAS_WORD: usize = memory.data<i32>([EXPF_BIAS]);

@inline function kf(i: i32): v128 {
  return v128.load32_splat(EXPF_TABLE + (<usize>i << 2));
}

/**
 * float32 e^x over the contiguous px[0..n) into po, 8 elements a step (expF4, bit for bit);
 * returns how many it did (n rounded down to 8). V8 materializes every v128 constant at each
 * use, several instructions each, which made the loop twice as slow as its arithmetic: the
 * constants are loaded from memory once, where the optimizer can't fold them back, and stay
 * in registers. Two vectors a step give the out-of-order core independent chains.
 */
export function expF32Loop(px: usize, po: usize, n: i32): i32 {
  const log2e = kf(0), magic = kf(1), c1 = kf(2), c2 = kf(3);
  const p0 = kf(4), p1 = kf(5), p2 = kf(6), p3 = kf(7), p4 = kf(8), p5 = kf(9);
  const one = kf(10), lo = kf(11), hi = kf(12);
  const bias = v128.load32_splat(EXPF_BIAS_WORD);
  const end = n & ~7;
  for (let i = 0; i < end; i += 8) {
    const off = <usize>i << 2;
    const x0 = v128.load(px + off);
    const x1 = v128.load(px + off + 16);
    const ok = v128.and(v128.and(f32x4.ge(x0, lo), f32x4.le(x0, hi)), v128.and(f32x4.ge(x1, lo), f32x4.le(x1, hi)));
    if (i32x4.all_true(ok)) {
      v128.store(po + off, expF4Core(x0, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias));
      v128.store(po + off + 16, expF4Core(x1, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias));
    } else {
      // a lane out of range: expF lane by lane (expF4's own fallback; one copy of the code)
      for (let k: usize = 0; k < 32; k += 4) store<f32>(po + off + k, expF(load<f32>(px + off + k)));
    }
  }
  return end;
}

/**
 * Flash attention's rows (adapter: attention.ts flashBlock): for each row j < rows, at
 * px + j * rowBytes, x[i] = e^(x[i] - m_j) in place for i < n, with m_j = pm[j] (each
 * difference rounded to float32 first: expF4 bit for bit, as softmax's exp(x - max)), and
 * ps[j] = the row's sum (float32: lanes of two vectors, combined at the end, then the tail in
 * order). m_j is at least every score of its row, so x - m_j <= 0 and only the lower end of
 * expF4's range needs checking. m_j = -inf (every score -inf or NaN) shifts by 0 instead: the
 * row's p are 0 (NaN where the score is NaN), so is its sum (NaN with a NaN score).
 * The constants are loaded once a call (see expF32Loop).
 */
export function expShiftSumRowsF32(px: usize, rowBytes: usize, rows: i32, n: i32, pm: usize, ps: usize): void {
  const log2e = kf(0), magic = kf(1), c1 = kf(2), c2 = kf(3);
  const p0 = kf(4), p1 = kf(5), p2 = kf(6), p3 = kf(7), p4 = kf(8), p5 = kf(9);
  const one = kf(10), lo = kf(11);
  const bias = v128.load32_splat(EXPF_BIAS_WORD);
  const end = n & ~7;
  for (let j = 0; j < rows; j++) {
    const row = px + <usize>j * rowBytes;
    let m = load<f32>(pm + (<usize>j << 2));
    if (m == -Infinity) m = 0;
    const ms = f32x4.splat(m);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    for (let i = 0; i < end; i += 8) {
      const at = row + (<usize>i << 2);
      const x0 = f32x4.sub(v128.load(at), ms);
      const x1 = f32x4.sub(v128.load(at, 16), ms);
      if (i32x4.all_true(v128.and(f32x4.ge(x0, lo), f32x4.ge(x1, lo)))) {
        v128.store(at, expF4Core(x0, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias));
        v128.store(at, expF4Core(x1, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias), 16);
      } else {
        // a lane out of range (a masked score): expF lane by lane (expF4's own fallback)
        for (let k: usize = 0; k < 32; k += 4) store<f32>(at + k, expF(load<f32>(at + k) - m));
      }
      s0 = f32x4.add(s0, v128.load(at));
      s1 = f32x4.add(s1, v128.load(at, 16));
    }
    const s = f32x4.add(s0, s1);
    let sum = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    for (let i = end; i < n; i++) {
      const at = row + (<usize>i << 2);
      const e = expF(load<f32>(at) - m);
      store<f32>(at, e);
      sum += e;
    }
    store<f32>(ps + (<usize>j << 2), sum);
  }
}

/** The reference's sigmoid, 1 / (1 + exp(-x)), on expD. */
@inline export function sigmoidD(x: f64): f64 {
  return 1.0 / (1.0 + expD(-x));
}

@inline export function sigmoidV(x: v128): v128 {
  const one = f64x2.splat(1.0);
  return f64x2.div(one, f64x2.add(one, expV(f64x2.neg(x))));
}

// ---- erf: the reference's algorithm (packages/core/src/backend/reference/elementwise.ts) ----
const TWO_OVER_SQRT_PI: f64 = 2.0 / Math.sqrt(Math.PI);
const SQRT_PI: f64 = Math.sqrt(Math.PI);

@inline function signD(x: f64): f64 {
  return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
}

export function erfD(x: f64): f64 {
  if (x != x) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return signD(x);
  let f = ax;
  let c = ax;
  let d: f64 = 0;
  for (let k = 1; k < 300; k++) {
    const a = <f64>k / 2;
    d = ax + a * d;
    d = 1 / d;
    c = ax + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = expD(-ax * ax) / SQRT_PI / f;
  return signD(x) * (1 - erfc);
}

// ---- erfinv: the reference's algorithm (Winitzki's first guess, Halley steps on erfD) ----
const WINITZKI_A: f64 = 0.147;
const TWO_OVER_PI_A: f64 = 2.0 / (Math.PI * 0.147);

/**
 * erf^-1(y) as the reference computes it (packages/core/src/backend/reference/elementwise.ts),
 * natively: the same first guess and the same steps (up to four; here none after the one
 * that has converged), so float32 results equal the reference's except within a few ulps of
 * double of a rounding boundary (Math.log and Math.sqrt here are NativeMath's; erfD is the
 * reference's erf).
 */
export function erfinvD(y: f64): f64 {
  if (y != y || y < -1 || y > 1) return NaN;
  if (y == 1) return Infinity;
  if (y == -1) return -Infinity;
  if (y == 0) return y;
  const ln = Math.log(1 - y * y);
  const t = TWO_OVER_PI_A + ln / 2;
  let x = signD(y) * Math.sqrt(Math.sqrt(t * t - ln / WINITZKI_A) - t);
  for (let i = 0; i < 4; i++) {
    const err = erfD(x) - y;
    const deriv = TWO_OVER_SQRT_PI * expD(-x * x);
    if (deriv == 0) break;
    const step = err / (deriv + x * err);
    x -= step;
    // Halley's steps converge cubically: after one below 1e-13 |x| the next ones move x by
    // rounding noise only (the reference takes them; the float32 result is the same)
    if (Math.abs(step) < 1e-13 * Math.abs(x)) break;
  }
  return x;
}
