// Quantized matmul for f32 x, reading the packed weights directly: out (M x N) = x (M x K) @ W,
// W the dequantized matrix, (N x K) rows when `transpose` (MLX's x @ w.T), else (K x N).
// Columns are done 8 at a time: their weights are dequantized (f32, rounded at each step as
// the reference: affine fround(fround(q * s) + b), fp modes value * scale) into a K x 8
// scratch panel, then every row of x takes its 8 dot products from the panel, accumulated in
// double in k order (two lanes per f64x2) and rounded once: bit-identical to the reference.
// Affine weights of 1, 2, 4 or 8 bits unpack on four lanes; 3, 5, 6 bits and the fp modes
// one code at a time. No static scratch: threads run disjoint column ranges with their own.
/** The E2M1 values of the 16 fp4 codes (bit 3 is the sign; f32 bits, -0 included): a load, no branch. */
const FP4_VALUES: usize = memory.data<u32>([
  0x00000000, 0x3f000000, 0x3f800000, 0x3fc00000, 0x40000000, 0x40400000, 0x40800000, 0x40c00000,
  0x80000000, 0xbf000000, 0xbf800000, 0xbfc00000, 0xc0000000, 0xc0400000, 0xc0800000, 0xc0c00000,
], 16);

export const QMM_AFFINE: i32 = 0;
export const QMM_MXFP4: i32 = 1;
export const QMM_MXFP8: i32 = 2;
export const QMM_NVFP4: i32 = 3;

/** Bytes of the scratch panel qmm_f32 needs for an inner dimension of K. */
export function qmmScratchBytes(K: i32): i32 {
  return K * 8 * 4;
}

/** Code j of a packed row at byte address `row` (LSB-first bit stream, bits <= 8). */
@inline function codeAt(row: usize, j: i32, bits: i32): i32 {
  const off = j * bits;
  const p = row + (<usize>(off >>> 3));
  const sh = off & 7;
  let v = <i32>load<u8>(p) >>> sh;
  if (sh + bits > 8) v |= <i32>load<u8>(p, 1) << (8 - sh);
  return v & ((1 << bits) - 1);
}

/** MLX's FromFP8: the values of the 256 E4M3 codes (f32 bits; 0x7f and 0xff are NaN). */
const FP8_VALUES: usize = memory.data<u32>([
  0x00000000, 0x3b000000, 0x3b800000, 0x3bc00000, 0x3c000000, 0x3c200000, 0x3c400000, 0x3c600000,
  0x3c800000, 0x3c900000, 0x3ca00000, 0x3cb00000, 0x3cc00000, 0x3cd00000, 0x3ce00000, 0x3cf00000,
  0x3d000000, 0x3d100000, 0x3d200000, 0x3d300000, 0x3d400000, 0x3d500000, 0x3d600000, 0x3d700000,
  0x3d800000, 0x3d900000, 0x3da00000, 0x3db00000, 0x3dc00000, 0x3dd00000, 0x3de00000, 0x3df00000,
  0x3e000000, 0x3e100000, 0x3e200000, 0x3e300000, 0x3e400000, 0x3e500000, 0x3e600000, 0x3e700000,
  0x3e800000, 0x3e900000, 0x3ea00000, 0x3eb00000, 0x3ec00000, 0x3ed00000, 0x3ee00000, 0x3ef00000,
  0x3f000000, 0x3f100000, 0x3f200000, 0x3f300000, 0x3f400000, 0x3f500000, 0x3f600000, 0x3f700000,
  0x3f800000, 0x3f900000, 0x3fa00000, 0x3fb00000, 0x3fc00000, 0x3fd00000, 0x3fe00000, 0x3ff00000,
  0x40000000, 0x40100000, 0x40200000, 0x40300000, 0x40400000, 0x40500000, 0x40600000, 0x40700000,
  0x40800000, 0x40900000, 0x40a00000, 0x40b00000, 0x40c00000, 0x40d00000, 0x40e00000, 0x40f00000,
  0x41000000, 0x41100000, 0x41200000, 0x41300000, 0x41400000, 0x41500000, 0x41600000, 0x41700000,
  0x41800000, 0x41900000, 0x41a00000, 0x41b00000, 0x41c00000, 0x41d00000, 0x41e00000, 0x41f00000,
  0x42000000, 0x42100000, 0x42200000, 0x42300000, 0x42400000, 0x42500000, 0x42600000, 0x42700000,
  0x42800000, 0x42900000, 0x42a00000, 0x42b00000, 0x42c00000, 0x42d00000, 0x42e00000, 0x42f00000,
  0x43000000, 0x43100000, 0x43200000, 0x43300000, 0x43400000, 0x43500000, 0x43600000, 0x43700000,
  0x43800000, 0x43900000, 0x43a00000, 0x43b00000, 0x43c00000, 0x43d00000, 0x43e00000, 0x7fc00000,
  0x80000000, 0xbb000000, 0xbb800000, 0xbbc00000, 0xbc000000, 0xbc200000, 0xbc400000, 0xbc600000,
  0xbc800000, 0xbc900000, 0xbca00000, 0xbcb00000, 0xbcc00000, 0xbcd00000, 0xbce00000, 0xbcf00000,
  0xbd000000, 0xbd100000, 0xbd200000, 0xbd300000, 0xbd400000, 0xbd500000, 0xbd600000, 0xbd700000,
  0xbd800000, 0xbd900000, 0xbda00000, 0xbdb00000, 0xbdc00000, 0xbdd00000, 0xbde00000, 0xbdf00000,
  0xbe000000, 0xbe100000, 0xbe200000, 0xbe300000, 0xbe400000, 0xbe500000, 0xbe600000, 0xbe700000,
  0xbe800000, 0xbe900000, 0xbea00000, 0xbeb00000, 0xbec00000, 0xbed00000, 0xbee00000, 0xbef00000,
  0xbf000000, 0xbf100000, 0xbf200000, 0xbf300000, 0xbf400000, 0xbf500000, 0xbf600000, 0xbf700000,
  0xbf800000, 0xbf900000, 0xbfa00000, 0xbfb00000, 0xbfc00000, 0xbfd00000, 0xbfe00000, 0xbff00000,
  0xc0000000, 0xc0100000, 0xc0200000, 0xc0300000, 0xc0400000, 0xc0500000, 0xc0600000, 0xc0700000,
  0xc0800000, 0xc0900000, 0xc0a00000, 0xc0b00000, 0xc0c00000, 0xc0d00000, 0xc0e00000, 0xc0f00000,
  0xc1000000, 0xc1100000, 0xc1200000, 0xc1300000, 0xc1400000, 0xc1500000, 0xc1600000, 0xc1700000,
  0xc1800000, 0xc1900000, 0xc1a00000, 0xc1b00000, 0xc1c00000, 0xc1d00000, 0xc1e00000, 0xc1f00000,
  0xc2000000, 0xc2100000, 0xc2200000, 0xc2300000, 0xc2400000, 0xc2500000, 0xc2600000, 0xc2700000,
  0xc2800000, 0xc2900000, 0xc2a00000, 0xc2b00000, 0xc2c00000, 0xc2d00000, 0xc2e00000, 0xc2f00000,
  0xc3000000, 0xc3100000, 0xc3200000, 0xc3300000, 0xc3400000, 0xc3500000, 0xc3600000, 0xc3700000,
  0xc3800000, 0xc3900000, 0xc3a00000, 0xc3b00000, 0xc3c00000, 0xc3d00000, 0xc3e00000, 0x7fc00000,
], 16);

/** An E8M0 code's scale 2^(c - 127) (0: 2^-127, a subnormal; 255: inf). */
@inline function e8m0(c: i32): f32 {
  if (c == 0) return reinterpret<f32>(0x00400000);
  if (c == 255) return Infinity;
  return reinterpret<f32>(c << 23);
}

@inline function fp4(q: i32): f32 {
  return load<f32>(FP4_VALUES + (<usize>q << 2));
}

/** A group's scale: the affine one, or the decoded E4M3 (nvfp4) / E8M0 (mx) code. */
@inline function groupScale(mode: i32, ps: usize, gi: i32): f32 {
  if (mode == QMM_AFFINE) return load<f32>(ps + (<usize>gi << 2));
  const c = <i32>load<u8>(ps + <usize>gi);
  return mode == QMM_NVFP4 ? load<f32>(FP8_VALUES + (<usize>c << 2)) : e8m0(c);
}

/** One weight from its code and its group's scale (and bias), as the reference rounds it. */
@inline function value(mode: i32, q: i32, scale: f32, bias: f32): f32 {
  if (mode == QMM_AFFINE) return <f32>q * scale + bias;
  return (mode == QMM_MXFP8 ? load<f32>(FP8_VALUES + (<usize>q << 2)) : fp4(q)) * scale;
}

/**
 * Panel of columns [n, n + c) (c <= 8) for transpose: rows n.. of w (N x K packed, wpr words a
 * row), scales / biases (N x K/gs). Panel layout: k, column -> scratch[k * 8 + column].
 */
function panelT(pw: usize, ps: usize, pb: usize, K: i32, wpr: i32, n: i32, c: i32, bits: i32, gs: i32, mode: i32, scratch: usize): void {
  const G = K / gs;
  if (mode == QMM_AFFINE && c == 8 && (bits == 1 || bits == 2 || bits == 4 || bits == 8)) {
    const per = 32 / bits;
    const mask = i32x4.splat((1 << bits) - 1);
    for (let h = 0; h < 8; h += 4) {
      const r0 = n + h;
      const row0 = pw + (<usize>(r0 * wpr) << 2);
      const rowStride = <usize>wpr << 2;
      for (let g = 0; g < G; g++) {
        // row i's scale and bias in lane i
        const g0 = <usize>(r0 * G + g) << 2, gStride = <usize>G << 2;
        let s = f32x4.splat(load<f32>(ps + g0));
        s = f32x4.replace_lane(s, 1, load<f32>(ps + g0 + gStride));
        s = f32x4.replace_lane(s, 2, load<f32>(ps + g0 + 2 * gStride));
        s = f32x4.replace_lane(s, 3, load<f32>(ps + g0 + 3 * gStride));
        let b = f32x4.splat(load<f32>(pb + g0));
        b = f32x4.replace_lane(b, 1, load<f32>(pb + g0 + gStride));
        b = f32x4.replace_lane(b, 2, load<f32>(pb + g0 + 2 * gStride));
        b = f32x4.replace_lane(b, 3, load<f32>(pb + g0 + 3 * gStride));
        const w0 = (g * gs * bits) >> 5; // first word of the group
        const words = (gs * bits) >> 5;
        for (let wi = 0; wi < words; wi++) {
          const off = <usize>(w0 + wi) << 2;
          let v = i32x4.splat(load<i32>(row0 + off));
          v = i32x4.replace_lane(v, 1, load<i32>(row0 + rowStride + off));
          v = i32x4.replace_lane(v, 2, load<i32>(row0 + 2 * rowStride + off));
          v = i32x4.replace_lane(v, 3, load<i32>(row0 + 3 * rowStride + off));
          let dst = scratch + (<usize>((g * gs + wi * per) * 8 + h) << 2);
          for (let p = 0; p < per; p++) {
            const q = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(v, p * bits), mask));
            v128.store(dst, f32x4.add(f32x4.mul(q, s), b));
            dst += 32;
          }
        }
      }
    }
    return;
  }
  for (let i = 0; i < 8; i++) {
    if (i >= c) {
      for (let k = 0; k < K; k++) store<f32>(scratch + (<usize>(k * 8 + i) << 2), 0);
      continue;
    }
    const r = n + i;
    const row = pw + (<usize>(r * wpr) << 2);
    for (let g = 0; g < G; g++) {
      const scale = groupScale(mode, ps, r * G + g);
      const bias: f32 = mode == QMM_AFFINE ? load<f32>(pb + (<usize>(r * G + g) << 2)) : 0;
      for (let k = g * gs; k < (g + 1) * gs; k++) store<f32>(scratch + (<usize>(k * 8 + i) << 2), value(mode, codeAt(row, k, bits), scale, bias));
    }
  }
}

/**
 * Per bit width (1, 2, 4: 96 bytes each): for the codes 0-3 and 4-7 of 8, the byte each code
 * lives in (swizzle indices, one byte per i32 lane), the mask of its bits in that byte, and
 * 2^-shift, so that a code is (byte & mask) * 2^-shift in f32 (exact).
 */
const CODES8: usize = memory.data<u8>([
  0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128,
  1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 16, 0, 0, 0, 32, 0, 0, 0, 64, 0, 0, 0, 128, 0, 0, 0,
  0, 0, 128, 63, 0, 0, 0, 63, 0, 0, 128, 62, 0, 0, 0, 62, 0, 0, 128, 61, 0, 0, 0, 61, 0, 0, 128, 60, 0, 0, 0, 60,
  0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 1, 128, 128, 128, 1, 128, 128, 128, 1, 128, 128, 128, 1, 128, 128, 128,
  3, 0, 0, 0, 12, 0, 0, 0, 48, 0, 0, 0, 192, 0, 0, 0, 3, 0, 0, 0, 12, 0, 0, 0, 48, 0, 0, 0, 192, 0, 0, 0,
  0, 0, 128, 63, 0, 0, 128, 62, 0, 0, 128, 61, 0, 0, 128, 60, 0, 0, 128, 63, 0, 0, 128, 62, 0, 0, 128, 61, 0, 0, 128, 60,
  0, 128, 128, 128, 0, 128, 128, 128, 1, 128, 128, 128, 1, 128, 128, 128, 2, 128, 128, 128, 2, 128, 128, 128, 3, 128, 128, 128, 3, 128, 128, 128,
  15, 0, 0, 0, 240, 0, 0, 0, 15, 0, 0, 0, 240, 0, 0, 0, 15, 0, 0, 0, 240, 0, 0, 0, 15, 0, 0, 0, 240, 0, 0, 0,
  0, 0, 128, 63, 0, 0, 128, 61, 0, 0, 128, 63, 0, 0, 128, 61, 0, 0, 128, 63, 0, 0, 128, 61, 0, 0, 128, 63, 0, 0, 128, 61,
], 16);

/** The 8 codes of a packed row from byte `p` (8 * bits bits, byte aligned; 1, 2, 4 or 8 bits) as f32 at `lo`. */
@inline function codes8(p: usize, bits: i32, lo: usize): void {
  if (bits == 8) {
    const b = i16x8.extend_low_i8x16_u(v128.load64_zero(p));
    v128.store(lo, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(b)));
    v128.store(lo, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(b)), 16);
    return;
  }
  const t = CODES8 + <usize>((bits == 1 ? 0 : bits == 2 ? 1 : 2) * 96);
  const word = i32x4.splat(bits == 4 ? load<i32>(p) : bits == 2 ? <i32>load<u16>(p) : <i32>load<u8>(p));
  const a = i8x16.swizzle(word, v128.load(t)), b = i8x16.swizzle(word, v128.load(t, 16));
  v128.store(lo, f32x4.mul(f32x4.convert_i32x4_u(v128.and(a, v128.load(t, 32))), v128.load(t, 64)));
  v128.store(lo, f32x4.mul(f32x4.convert_i32x4_u(v128.and(b, v128.load(t, 48))), v128.load(t, 80)), 16);
}

/**
 * Panel of columns [n, n + c) without transpose: w (K x N packed, wpr words a row), scales /
 * biases (K x N/gs); a block of 8 columns lies in one group (gs >= 32, n a multiple of 8).
 */
function panelN(pw: usize, ps: usize, pb: usize, K: i32, N: i32, wpr: i32, n: i32, c: i32, bits: i32, gs: i32, mode: i32, scratch: usize): void {
  const G = N / gs;
  if (mode == QMM_AFFINE && c == 8 && (bits == 1 || bits == 2 || bits == 4 || bits == 8)) {
    const g = n / gs;
    for (let k = 0; k < K; k++) {
      const dst = scratch + (<usize>(k * 8) << 2);
      codes8(pw + (<usize>(k * wpr) << 2) + <usize>((n * bits) >> 3), bits, dst);
      const gi = <usize>(k * G + g) << 2;
      const s = v128.load32_splat(ps + gi), b = v128.load32_splat(pb + gi);
      v128.store(dst, f32x4.add(f32x4.mul(v128.load(dst), s), b));
      v128.store(dst, f32x4.add(f32x4.mul(v128.load(dst, 16), s), b), 16);
    }
    return;
  }
  for (let k = 0; k < K; k++) {
    const row = pw + (<usize>(k * wpr) << 2);
    for (let i = 0; i < 8; i++) {
      const j = n + i;
      const gi = k * G + j / gs;
      const bias: f32 = mode == QMM_AFFINE && i < c ? load<f32>(pb + (<usize>gi << 2)) : 0;
      store<f32>(scratch + (<usize>(k * 8 + i) << 2), i < c ? value(mode, codeAt(row, j, bits), groupScale(mode, ps, gi), bias) : 0);
    }
  }
}

/**
 * out[m, n0..n1) for every row m of x (M x K f32, row stride sxm elements) and the packed
 * weights; out is (M x N) f32, row-major. `scratch` holds qmmScratchBytes(K).
 */
export function qmm_f32(
  px: usize, sxm: i32, pw: usize, ps: usize, pb: usize, po: usize,
  M: i32, N: i32, K: i32, n0: i32, n1: i32, bits: i32, gs: i32, mode: i32, transpose: i32, scratch: usize,
): void {
  const wpr = transpose ? (K * bits) >> 5 : (N * bits) >> 5;
  for (let n = n0; n < n1; n += 8) {
    const c = min(8, n1 - n);
    if (transpose) panelT(pw, ps, pb, K, wpr, n, c, bits, gs, mode, scratch);
    else panelN(pw, ps, pb, K, N, wpr, n, c, bits, gs, mode, scratch);
    for (let m = 0; m < M; m++) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let xp = px + (<usize>(m * sxm) << 2);
      let wp = scratch;
      for (let k = 0; k < K; k++) {
        const x = f64x2.splat(<f64>load<f32>(xp));
        const lo = v128.load(wp), hi = v128.load(wp, 16);
        a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(lo), x));
        a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(lo, lo, 2, 3, 2, 3)), x));
        a2 = f64x2.add(a2, f64x2.mul(f64x2.promote_low_f32x4(hi), x));
        a3 = f64x2.add(a3, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(hi, hi, 2, 3, 2, 3)), x));
        xp += 4;
        wp += 32;
      }
      const o = po + (<usize>(m * N + n) << 2);
      if (c == 8) {
        v128.store(o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5));
        v128.store(o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 1, 4, 5), 16);
      } else {
        for (let i = 0; i < c; i++) {
          const acc = i < 2 ? a0 : i < 4 ? a1 : i < 6 ? a2 : a3;
          const v = (i & 1) == 0 ? f64x2.extract_lane(acc, 0) : f64x2.extract_lane(acc, 1);
          store<f32>(o + (<usize>i << 2), <f32>v);
        }
      }
    }
  }
}

// ---- f32 fast path: affine, 4 or 8 bits, x @ w.T ----
// Not bit-identical to the reference: per group of a row, the products x_k q_k are summed in
// f32 lanes, then the row adds scale * (that sum) and bias * (the group's sum of x), in f32.
// With u = 2^-24 the result stays within
//   (K + 8) * u * sum_k |x_k| * (|scale * q_k| + |bias|)
// of the reference (stated in backend/wasm/quantized.ts, tested in wasm-quantized.test.ts).
// The codes are never shifted into place: a 16-byte block is 4 words side by side, code j of
// each word is masked where it lies (v & (mask << bits * j)), converted as a whole word (exact:
// at most 16 significant bits, positive) and multiplied by x pre-scaled by 2^(12 - bits * j)
// (qmvPrepare), so every product is x_k q_k 2^12 exactly before its rounding; the row's sum is
// scaled back by 2^-12 at the end. Powers of two change no rounding unless something overflows:
// the bound holds while |x_k q_k| * gs stays below 2^115 (the old layout's limit was 2^127).
// Every element is computed by the same code in the same order whatever M and the thread split.

/** The masks of the codes in a word: 4 bits (0xF << 4j, j < 4; the upper half is shifted down by 16 first), 8 bits (0xFF, 0xFF00). */
const QMV_MASKS: usize = memory.data<u32>([
  0xf, 0xf, 0xf, 0xf, 0xf0, 0xf0, 0xf0, 0xf0, 0xf00, 0xf00, 0xf00, 0xf00, 0xf000, 0xf000, 0xf000, 0xf000,
  0xff, 0xff, 0xff, 0xff, 0xff00, 0xff00, 0xff00, 0xff00,
], 16);

/** 2^-12: the prepared x carry 2^12 (see above). */
const QMV_UNSCALE: f32 = 1.0 / 4096.0;

/** Bytes of the prepared x (M rows of K f32) plus its group sums (M x K/gs f32). */
export function qmvPrepareBytes(M: i32, K: i32, gs: i32): i32 {
  return M * K * 4 + M * (K / gs) * 4;
}

/** Bytes of qmv_f32's per-thread scratch: 48 a row of x (its sums). */
export function qmvScratchBytes(M: i32): i32 {
  return M * 48;
}

/**
 * Writes the rows of x laid out as the codes unpack, pre-scaled, and their group sums (f32, in k
 * order, unscaled) at `dst`. Block b of 16 bytes holds 4 words i of `per` codes; x's entry for
 * code j of word i sits at b * 4 * per + j * 4 + i, times 2^(12 - bits * (j mod (per / 2))).
 */
export function qmvPrepare(px: usize, sxm: i32, M: i32, K: i32, gs: i32, bits: i32, dst: usize): void {
  const sums = dst + (<usize>(M * K) << 2);
  const G = K / gs;
  const per = 32 / bits, half = per >> 1, blk = 4 * per;
  for (let m = 0; m < M; m++) {
    const row = px + (<usize>(m * sxm) << 2);
    const out = dst + (<usize>(m * K) << 2);
    for (let k0 = 0; k0 < K; k0 += blk) {
      for (let j = 0; j < per; j++) {
        const f = reinterpret<f32>((127 + 12 - bits * (j % half)) << 23);
        for (let i = 0; i < 4; i++) store<f32>(out + (<usize>(k0 + j * 4 + i) << 2), load<f32>(row + (<usize>(k0 + i * per + j) << 2)) * f);
      }
    }
    for (let g = 0; g < G; g++) {
      let s: f32 = 0;
      for (let k = g * gs; k < (g + 1) * gs; k++) s += load<f32>(row + (<usize>k << 2));
      store<f32>(sums + (<usize>(m * G + g) << 2), s);
    }
  }
}

@inline function hsum(v: v128): f32 {
  const a = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(a, v128.shuffle<f32>(a, a, 1, 0, 3, 2)), 0);
}

/**
 * d + the products of a 4-bit block's codes (w0..w7, as unpacked) with the prepared x at xp:
 * code j and j + 4 pair up, then a tree. The order every path uses.
 */
@inline function sum4(d: v128, w0: v128, w1: v128, w2: v128, w3: v128, w4: v128, w5: v128, w6: v128, w7: v128, xp: usize): v128 {
  const p0 = f32x4.add(f32x4.mul(w0, v128.load(xp)), f32x4.mul(w4, v128.load(xp, 64)));
  const p1 = f32x4.add(f32x4.mul(w1, v128.load(xp, 16)), f32x4.mul(w5, v128.load(xp, 80)));
  const p2 = f32x4.add(f32x4.mul(w2, v128.load(xp, 32)), f32x4.mul(w6, v128.load(xp, 96)));
  const p3 = f32x4.add(f32x4.mul(w3, v128.load(xp, 48)), f32x4.mul(w7, v128.load(xp, 112)));
  return f32x4.add(d, f32x4.add(f32x4.add(p0, p1), f32x4.add(p2, p3)));
}

/** The same for an 8-bit block (4 codes a word). */
@inline function sum8(d: v128, w0: v128, w1: v128, w2: v128, w3: v128, xp: usize): v128 {
  const p0 = f32x4.add(f32x4.mul(w0, v128.load(xp)), f32x4.mul(w2, v128.load(xp, 32)));
  const p1 = f32x4.add(f32x4.mul(w1, v128.load(xp, 16)), f32x4.mul(w3, v128.load(xp, 48)));
  return f32x4.add(d, f32x4.add(p0, p1));
}

@inline function cvt(v: v128): v128 {
  return f32x4.convert_i32x4_s(v);
}

/**
 * Rows a and b of w (packed at ra, rb; their scales and biases at sa, sb, ba, bb) against one
 * prepared row of x: out[0] and out[1] (4 bytes apart). The single-row path of qmv_f32.
 */
@inline function qmvPair(prep: usize, sums: usize, ra: usize, rb: usize, sa: usize, sb: usize, ba: usize, bb: usize, out: usize, G: i32, gs: i32, bits: i32): void {
  const m0 = v128.load(QMV_MASKS), m1 = v128.load(QMV_MASKS, 16), m2 = v128.load(QMV_MASKS, 32), m3 = v128.load(QMV_MASKS, 48);
  const b0 = v128.load(QMV_MASKS, 64), b1 = v128.load(QMV_MASKS, 80);
  const blocks = gs >> 4 >> (bits == 4 ? 1 : 0);
  const blkK = bits == 4 ? 32 : 16;
  let acc = f32x4.splat(0), bcc = f32x4.splat(0);
  let ea: f32 = 0, eb: f32 = 0;
  for (let g = 0; g < G; g++) {
    let da = f32x4.splat(0), db = f32x4.splat(0);
    for (let t = 0; t < blocks; t++) {
      const k = g * gs + t * blkK;
      const xp = prep + (<usize>k << 2);
      const off = <usize>(k * bits) >> 3;
      const va = v128.load(ra + off), vb = v128.load(rb + off);
      const ha = i32x4.shr_u(va, 16), hb = i32x4.shr_u(vb, 16);
      if (bits == 4) {
        da = sum4(da, cvt(v128.and(va, m0)), cvt(v128.and(va, m1)), cvt(v128.and(va, m2)), cvt(v128.and(va, m3)),
          cvt(v128.and(ha, m0)), cvt(v128.and(ha, m1)), cvt(v128.and(ha, m2)), cvt(v128.and(ha, m3)), xp);
        db = sum4(db, cvt(v128.and(vb, m0)), cvt(v128.and(vb, m1)), cvt(v128.and(vb, m2)), cvt(v128.and(vb, m3)),
          cvt(v128.and(hb, m0)), cvt(v128.and(hb, m1)), cvt(v128.and(hb, m2)), cvt(v128.and(hb, m3)), xp);
      } else {
        da = sum8(da, cvt(v128.and(va, b0)), cvt(v128.and(va, b1)), cvt(v128.and(ha, b0)), cvt(v128.and(ha, b1)), xp);
        db = sum8(db, cvt(v128.and(vb, b0)), cvt(v128.and(vb, b1)), cvt(v128.and(hb, b0)), cvt(v128.and(hb, b1)), xp);
      }
    }
    const go = <usize>g << 2;
    acc = f32x4.add(acc, f32x4.mul(da, v128.load32_splat(sa + go)));
    bcc = f32x4.add(bcc, f32x4.mul(db, v128.load32_splat(sb + go)));
    const xs = load<f32>(sums + go);
    ea += load<f32>(ba + go) * xs;
    eb += load<f32>(bb + go) * xs;
  }
  store<f32>(out, hsum(acc) * QMV_UNSCALE + ea);
  store<f32>(out, hsum(bcc) * QMV_UNSCALE + eb, 4);
}

/**
 * out[m, n0..n1) for the prepared x (qmvPrepare at `prep`), w (N x K packed, 4 or 8 bits),
 * scales and biases (N x K/gs f32). `scratch` holds qmvScratchBytes(M). With one row of x the
 * sums stay in registers, two rows of w a pass (sharing the x loads); with more, each block of
 * codes is unpacked once and every row's sums take it in the same order (so a row's result
 * doesn't depend on M).
 */
export function qmv_f32(prep: usize, pw: usize, ps: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, n0: i32, n1: i32, bits: i32, gs: i32, scratch: usize): void {
  const G = K / gs;
  const wpr = (K * bits) >> 5;
  const sums = prep + (<usize>(M * K) << 2);
  const m0 = v128.load(QMV_MASKS), m1 = v128.load(QMV_MASKS, 16), m2 = v128.load(QMV_MASKS, 32), m3 = v128.load(QMV_MASKS, 48);
  const b0 = v128.load(QMV_MASKS, 64), b1 = v128.load(QMV_MASKS, 80);
  const blocks = gs >> 4 >> (bits == 4 ? 1 : 0); // 16-byte blocks a group
  const blkK = bits == 4 ? 32 : 16;
  let n = n0;
  if (M == 1) {
    // two rows of w a pass
    for (; n + 1 < n1; n += 2) {
      const gi = <usize>(n * G) << 2, gj = gi + (<usize>G << 2);
      qmvPair(prep, sums, pw + (<usize>(n * wpr) << 2), pw + (<usize>((n + 1) * wpr) << 2), ps + gi, ps + gj, pb + gi, pb + gj, po + (<usize>n << 2), G, gs, bits);
    }
  }
  for (; n < n1; n++) {
    // per row m of x at scratch + 48 m: the row's sum (v128), the group's sum (v128), bias * sum(x)
    const row = pw + (<usize>(n * wpr) << 2);
    for (let m = 0; m < M; m++) {
      const a = scratch + <usize>(m * 48);
      v128.store(a, f32x4.splat(0));
      store<f32>(a, 0, 32);
    }
    for (let g = 0; g < G; g++) {
      for (let m = 0; m < M; m++) v128.store(scratch + <usize>(m * 48), f32x4.splat(0), 16);
      for (let t = 0; t < blocks; t++) {
        const k = g * gs + t * blkK;
        const v = v128.load(row + (<usize>(k * bits) >> 3));
        const h = i32x4.shr_u(v, 16);
        if (bits == 4) {
          const w0 = cvt(v128.and(v, m0)), w1 = cvt(v128.and(v, m1)), w2 = cvt(v128.and(v, m2)), w3 = cvt(v128.and(v, m3));
          const w4 = cvt(v128.and(h, m0)), w5 = cvt(v128.and(h, m1)), w6 = cvt(v128.and(h, m2)), w7 = cvt(v128.and(h, m3));
          for (let m = 0; m < M; m++) {
            const a = scratch + <usize>(m * 48);
            v128.store(a, sum4(v128.load(a, 16), w0, w1, w2, w3, w4, w5, w6, w7, prep + (<usize>(m * K + k) << 2)), 16);
          }
        } else {
          const w0 = cvt(v128.and(v, b0)), w1 = cvt(v128.and(v, b1)), w2 = cvt(v128.and(h, b0)), w3 = cvt(v128.and(h, b1));
          for (let m = 0; m < M; m++) {
            const a = scratch + <usize>(m * 48);
            v128.store(a, sum8(v128.load(a, 16), w0, w1, w2, w3, prep + (<usize>(m * K + k) << 2)), 16);
          }
        }
      }
      const s = v128.load32_splat(ps + (<usize>(n * G + g) << 2));
      const b = load<f32>(pb + (<usize>(n * G + g) << 2));
      for (let m = 0; m < M; m++) {
        const a = scratch + <usize>(m * 48);
        v128.store(a, f32x4.add(v128.load(a), f32x4.mul(v128.load(a, 16), s)));
        store<f32>(a, load<f32>(a, 32) + b * load<f32>(sums + (<usize>(m * G + g) << 2)), 32);
      }
    }
    for (let m = 0; m < M; m++) {
      const a = scratch + <usize>(m * 48);
      store<f32>(po + (<usize>(m * N + n) << 2), hsum(v128.load(a)) * QMV_UNSCALE + load<f32>(a, 32));
    }
  }
}
