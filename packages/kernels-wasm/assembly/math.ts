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
//   erf:               the reference's own algorithm (series / continued fraction), on exp above,
//                      the series' divisions as multiplications by tabled reciprocals.
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
      v128.store(po + off, expF4(x0));
      v128.store(po + off + 16, expF4(x1));
    }
  }
  return end;
}

/**
 * px[i] = e^(px[i] - m) for the contiguous px[0..n), in place, each difference rounded to float32
 * first (expF4 bit for bit, as softmax's exp(x - max)); returns the sum of the results (float32,
 * four lane sums combined at the end, then the tail in order). One pass: flash attention's rows.
 */
export function expShiftSumF32(px: usize, n: i32, m: f32): f32 {
  const log2e = kf(0), magic = kf(1), c1 = kf(2), c2 = kf(3);
  const p0 = kf(4), p1 = kf(5), p2 = kf(6), p3 = kf(7), p4 = kf(8), p5 = kf(9);
  const one = kf(10), lo = kf(11), hi = kf(12);
  const bias = v128.load32_splat(EXPF_BIAS_WORD);
  const ms = f32x4.splat(m);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  const end = n & ~7;
  for (let i = 0; i < end; i += 8) {
    const at = px + (<usize>i << 2);
    const x0 = f32x4.sub(v128.load(at), ms);
    const x1 = f32x4.sub(v128.load(at, 16), ms);
    const ok = v128.and(v128.and(f32x4.ge(x0, lo), f32x4.le(x0, hi)), v128.and(f32x4.ge(x1, lo), f32x4.le(x1, hi)));
    let e0: v128, e1: v128;
    if (i32x4.all_true(ok)) {
      e0 = expF4Core(x0, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias);
      e1 = expF4Core(x1, log2e, magic, c1, c2, p0, p1, p2, p3, p4, p5, one, bias);
    } else {
      e0 = expF4(x0);
      e1 = expF4(x1);
    }
    v128.store(at, e0);
    v128.store(at, e1, 16);
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
  }
  const s = f32x4.add(s0, s1);
  let sum = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (let i = end; i < n; i++) {
    const at = px + (<usize>i << 2);
    const e = expF(load<f32>(at) - m);
    store<f32>(at, e);
    sum += e;
  }
  return sum;
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

// 1/n and 1/(2n + 1) for n = 1..200, the series' divisors as multiplications (each within
// half an ulp of double: the sum moves by ~1 ulp of double, the float32 result by <= 1 ulp)
const ERF_INV_N: usize = memory.data<f64>([1.0, 0.5, 0.3333333333333333, 0.25, 0.2, 0.16666666666666666, 0.14285714285714285, 0.125, 0.1111111111111111, 0.1, 0.09090909090909091, 0.08333333333333333, 0.07692307692307693, 0.07142857142857142, 0.06666666666666667, 0.0625, 0.058823529411764705, 0.05555555555555555, 0.05263157894736842, 0.05, 0.047619047619047616, 0.045454545454545456, 0.043478260869565216, 0.041666666666666664, 0.04, 0.038461538461538464, 0.037037037037037035, 0.03571428571428571, 0.034482758620689655, 0.03333333333333333, 0.03225806451612903, 0.03125, 0.030303030303030304, 0.029411764705882353, 0.02857142857142857, 0.027777777777777776, 0.02702702702702703, 0.02631578947368421, 0.02564102564102564, 0.025, 0.024390243902439025, 0.023809523809523808, 0.023255813953488372, 0.022727272727272728, 0.022222222222222223, 0.021739130434782608, 0.02127659574468085, 0.020833333333333332, 0.02040816326530612, 0.02, 0.0196078431372549, 0.019230769230769232, 0.018867924528301886, 0.018518518518518517, 0.01818181818181818, 0.017857142857142856, 0.017543859649122806, 0.017241379310344827, 0.01694915254237288, 0.016666666666666666, 0.01639344262295082, 0.016129032258064516, 0.015873015873015872, 0.015625, 0.015384615384615385, 0.015151515151515152, 0.014925373134328358, 0.014705882352941176, 0.014492753623188406, 0.014285714285714285, 0.014084507042253521, 0.013888888888888888, 0.0136986301369863, 0.013513513513513514, 0.013333333333333334, 0.013157894736842105, 0.012987012987012988, 0.01282051282051282, 0.012658227848101266, 0.0125, 0.012345679012345678, 0.012195121951219513, 0.012048192771084338, 0.011904761904761904, 0.011764705882352941, 0.011627906976744186, 0.011494252873563218, 0.011363636363636364, 0.011235955056179775, 0.011111111111111112, 0.01098901098901099, 0.010869565217391304, 0.010752688172043012, 0.010638297872340425, 0.010526315789473684, 0.010416666666666666, 0.010309278350515464, 0.01020408163265306, 0.010101010101010102, 0.01, 0.009900990099009901, 0.00980392156862745, 0.009708737864077669, 0.009615384615384616, 0.009523809523809525, 0.009433962264150943, 0.009345794392523364, 0.009259259259259259, 0.009174311926605505, 0.00909090909090909, 0.009009009009009009, 0.008928571428571428, 0.008849557522123894, 0.008771929824561403, 0.008695652173913044, 0.008620689655172414, 0.008547008547008548, 0.00847457627118644, 0.008403361344537815, 0.008333333333333333, 0.008264462809917356, 0.00819672131147541, 0.008130081300813009, 0.008064516129032258, 0.008, 0.007936507936507936, 0.007874015748031496, 0.0078125, 0.007751937984496124, 0.007692307692307693, 0.007633587786259542, 0.007575757575757576, 0.007518796992481203, 0.007462686567164179, 0.007407407407407408, 0.007352941176470588, 0.0072992700729927005, 0.007246376811594203, 0.007194244604316547, 0.007142857142857143, 0.0070921985815602835, 0.007042253521126761, 0.006993006993006993, 0.006944444444444444, 0.006896551724137931, 0.00684931506849315, 0.006802721088435374, 0.006756756756756757, 0.006711409395973154, 0.006666666666666667, 0.006622516556291391, 0.006578947368421052, 0.006535947712418301, 0.006493506493506494, 0.0064516129032258064, 0.00641025641025641, 0.006369426751592357, 0.006329113924050633, 0.006289308176100629, 0.00625, 0.006211180124223602, 0.006172839506172839, 0.006134969325153374, 0.006097560975609756, 0.006060606060606061, 0.006024096385542169, 0.005988023952095809, 0.005952380952380952, 0.005917159763313609, 0.0058823529411764705, 0.005847953216374269, 0.005813953488372093, 0.005780346820809248, 0.005747126436781609, 0.005714285714285714, 0.005681818181818182, 0.005649717514124294, 0.0056179775280898875, 0.00558659217877095, 0.005555555555555556, 0.0055248618784530384, 0.005494505494505495, 0.00546448087431694, 0.005434782608695652, 0.005405405405405406, 0.005376344086021506, 0.0053475935828877, 0.005319148936170213, 0.005291005291005291, 0.005263157894736842, 0.005235602094240838, 0.005208333333333333, 0.0051813471502590676, 0.005154639175257732, 0.005128205128205128, 0.00510204081632653, 0.005076142131979695, 0.005050505050505051, 0.005025125628140704, 0.005]);
const ERF_INV_ODD: usize = memory.data<f64>([0.3333333333333333, 0.2, 0.14285714285714285, 0.1111111111111111, 0.09090909090909091, 0.07692307692307693, 0.06666666666666667, 0.058823529411764705, 0.05263157894736842, 0.047619047619047616, 0.043478260869565216, 0.04, 0.037037037037037035, 0.034482758620689655, 0.03225806451612903, 0.030303030303030304, 0.02857142857142857, 0.02702702702702703, 0.02564102564102564, 0.024390243902439025, 0.023255813953488372, 0.022222222222222223, 0.02127659574468085, 0.02040816326530612, 0.0196078431372549, 0.018867924528301886, 0.01818181818181818, 0.017543859649122806, 0.01694915254237288, 0.01639344262295082, 0.015873015873015872, 0.015384615384615385, 0.014925373134328358, 0.014492753623188406, 0.014084507042253521, 0.0136986301369863, 0.013333333333333334, 0.012987012987012988, 0.012658227848101266, 0.012345679012345678, 0.012048192771084338, 0.011764705882352941, 0.011494252873563218, 0.011235955056179775, 0.01098901098901099, 0.010752688172043012, 0.010526315789473684, 0.010309278350515464, 0.010101010101010102, 0.009900990099009901, 0.009708737864077669, 0.009523809523809525, 0.009345794392523364, 0.009174311926605505, 0.009009009009009009, 0.008849557522123894, 0.008695652173913044, 0.008547008547008548, 0.008403361344537815, 0.008264462809917356, 0.008130081300813009, 0.008, 0.007874015748031496, 0.007751937984496124, 0.007633587786259542, 0.007518796992481203, 0.007407407407407408, 0.0072992700729927005, 0.007194244604316547, 0.0070921985815602835, 0.006993006993006993, 0.006896551724137931, 0.006802721088435374, 0.006711409395973154, 0.006622516556291391, 0.006535947712418301, 0.0064516129032258064, 0.006369426751592357, 0.006289308176100629, 0.006211180124223602, 0.006134969325153374, 0.006060606060606061, 0.005988023952095809, 0.005917159763313609, 0.005847953216374269, 0.005780346820809248, 0.005714285714285714, 0.005649717514124294, 0.00558659217877095, 0.0055248618784530384, 0.00546448087431694, 0.005405405405405406, 0.0053475935828877, 0.005291005291005291, 0.005235602094240838, 0.0051813471502590676, 0.005128205128205128, 0.005076142131979695, 0.005025125628140704, 0.004975124378109453, 0.0049261083743842365, 0.004878048780487805, 0.004830917874396135, 0.004784688995215311, 0.004739336492890996, 0.004694835680751174, 0.004651162790697674, 0.004608294930875576, 0.0045662100456621, 0.004524886877828055, 0.004484304932735426, 0.0044444444444444444, 0.004405286343612335, 0.004366812227074236, 0.004329004329004329, 0.004291845493562232, 0.00425531914893617, 0.004219409282700422, 0.0041841004184100415, 0.004149377593360996, 0.00411522633744856, 0.004081632653061225, 0.004048582995951417, 0.004016064257028112, 0.00398406374501992, 0.003952569169960474, 0.00392156862745098, 0.0038910505836575876, 0.003861003861003861, 0.0038314176245210726, 0.0038022813688212928, 0.0037735849056603774, 0.003745318352059925, 0.0037174721189591076, 0.0036900369003690036, 0.003663003663003663, 0.0036363636363636364, 0.0036101083032490976, 0.0035842293906810036, 0.0035587188612099642, 0.0035335689045936395, 0.0035087719298245615, 0.003484320557491289, 0.0034602076124567475, 0.003436426116838488, 0.0034129692832764505, 0.003389830508474576, 0.003367003367003367, 0.0033444816053511705, 0.0033222591362126247, 0.0033003300330033004, 0.003278688524590164, 0.003257328990228013, 0.003236245954692557, 0.003215434083601286, 0.003194888178913738, 0.0031746031746031746, 0.0031545741324921135, 0.003134796238244514, 0.003115264797507788, 0.0030959752321981426, 0.003076923076923077, 0.0030581039755351682, 0.00303951367781155, 0.0030211480362537764, 0.003003003003003003, 0.0029850746268656717, 0.002967359050445104, 0.0029498525073746312, 0.002932551319648094, 0.0029154518950437317, 0.002898550724637681, 0.002881844380403458, 0.0028653295128939827, 0.002849002849002849, 0.0028328611898017, 0.0028169014084507044, 0.0028011204481792717, 0.002785515320334262, 0.002770083102493075, 0.0027548209366391185, 0.0027397260273972603, 0.0027247956403269754, 0.0027100271002710027, 0.0026954177897574125, 0.002680965147453083, 0.0026666666666666666, 0.002652519893899204, 0.002638522427440633, 0.0026246719160104987, 0.0026109660574412533, 0.0025974025974025974, 0.002583979328165375, 0.002570694087403599, 0.0025575447570332483, 0.002544529262086514, 0.002531645569620253, 0.0025188916876574307, 0.002506265664160401, 0.0024937655860349127]);

export function erfD(x: f64): f64 {
  if (x != x) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    const mx2 = -x2;
    for (let n = 1; n < 200; n++) {
      term *= mx2 * load<f64>(ERF_INV_N + (<usize>(n - 1) << 3));
      const t = term * load<f64>(ERF_INV_ODD + (<usize>(n - 1) << 3));
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
