// FFT of power-of-two lengths in float64 (complex numbers interleaved, one f64x2 each), the
// reference kernel's precision: the adapter (core backend/wasm/fft.ts) widens the float32 /
// complex64 input into a work buffer, runs these passes along each axis and rounds once on
// the way out. Inverse transforms run forward on conjugated data (the adapter conjugates on
// the way in and out), so every table here is of W_n^j = e^{-2πij/n}.
//   fft_rows: in-place radix-2 transforms of contiguous rows (bit-reversal, then butterflies);
//     rows fit the caches up to the adapter's four-step threshold.
//   fft_transpose / fft_twiddle: the four-step decomposition of a long line (n = n1·n2: n2
//     rows of length n1, a twiddle W_n^{j2·k1}, n1 rows of length n2, with transposes in
//     between), and the transposes that bring a non-last axis to the rows.
// Every kernel takes a [from, to) range of its independent units, so threads split any pass.

/** Widens rows of f32 (real, or complex pairs) into complex f64 rows of another length (zero-padded or cut). */
export function fft_widen(
  src: usize, dst: usize, lenSrc: i32, lenDst: i32, inner: i32, complexIn: i32, conj: i32, o0: i32, o1: i32,
): void {
  const keep = min(lenSrc, lenDst) * inner;
  const sign = f64x2(1, conj ? -1 : 1);
  for (let o = o0; o < o1; o++) {
    const pd = dst + (<usize>o * <usize>lenDst * <usize>inner << 4);
    if (complexIn) {
      const ps = src + (<usize>o * <usize>lenSrc * <usize>inner << 3);
      for (let i = 0; i < keep; i++) {
        v128.store(pd + (<usize>i << 4), f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(ps + (<usize>i << 3))), sign));
      }
    } else {
      const ps = src + (<usize>o * <usize>lenSrc * <usize>inner << 2);
      for (let i = 0; i < keep; i++) v128.store(pd + (<usize>i << 4), f64x2(<f64>load<f32>(ps + (<usize>i << 2)), 0));
    }
    memory.fill(pd + (<usize>keep << 4), 0, <usize>(lenDst * inner - keep) << 4);
  }
}

/**
 * Rounds complex f64 rows to f32 (complex pairs, or the real parts), the first lenDst of each
 * lenSrc, times `scale`; an exact zero comes out +0 whatever sign the butterflies left on it
 * (Bluestein's chirp products make -0 where the reference's direct sums make +0).
 */
export function fft_narrow(
  src: usize, dst: usize, lenSrc: i32, lenDst: i32, inner: i32, complexOut: i32, conj: i32, scale: f64, o0: i32, o1: i32,
): void {
  const count = lenDst * inner;
  const mul = f64x2(scale, conj ? -scale : scale);
  const zero = f64x2.splat(0);
  for (let o = o0; o < o1; o++) {
    const ps = src + (<usize>o * <usize>lenSrc * <usize>inner << 4);
    if (complexOut) {
      const pd = dst + (<usize>o * <usize>count << 3);
      for (let i = 0; i < count; i++) {
        v128.store_lane<i64>(pd + (<usize>i << 3), f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(v128.load(ps + (<usize>i << 4)), mul), zero)), 0);
      }
    } else {
      const pd = dst + (<usize>o * <usize>count << 2);
      for (let i = 0; i < count; i++) store<f32>(pd + (<usize>i << 2), <f32>(load<f64>(ps + (<usize>i << 4)) * scale + 0.0));
    }
  }
}

/**
 * c2r's Hermitian spectrum along the middle axis of (outer, n, inner), in place: x[0] and (n
 * even) x[n/2] lose their imaginary parts, x[k] = conj(x[n - k]) above n/2.
 */
export function fft_hermitian(buf: usize, n: i32, inner: i32, o0: i32, o1: i32): void {
  const conj = f64x2(1, -1);
  for (let o = o0; o < o1; o++) {
    const p = buf + (<usize>o * <usize>n * <usize>inner << 4);
    for (let i = 0; i < inner; i++) {
      store<f64>(p + (<usize>i << 4), 0, 8);
      if ((n & 1) == 0) store<f64>(p + (<usize>((n >> 1) * inner + i) << 4), 0, 8);
      for (let k = (n >> 1) + 1; k < n; k++) {
        const from = v128.load(p + (<usize>((n - k) * inner + i) << 4));
        v128.store(p + (<usize>(k * inner + i) << 4), f64x2.mul(from, conj));
      }
    }
  }
}

/** Bytes of fft_rows' tables for rows of length L: twiddles (32 bytes an entry) and then the bit reversal (u32). */
export function fftTableBytes(L: i32): i32 {
  return (L - 1) * 32 + L * 4;
}

/**
 * In-place forward transforms of rows r0 ≤ r < r1, each L contiguous complex numbers at
 * buf + r·L·16. `tables`: for each stage of half-length h = 1, 2, .., L/2, h entries
 * (W_{2h}^k, then (-Im, Re) of it) from entry h - 1; then rev[i], the bit reversal of i.
 */
export function fft_rows(buf: usize, L: i32, tables: usize, r0: i32, r1: i32): void {
  const rev = tables + (<usize>(L - 1) << 5);
  for (let r = r0; r < r1; r++) {
    const p = buf + (<usize>r * <usize>L << 4);
    for (let i = 1; i < L; i++) {
      const j = load<u32>(rev + (<usize>i << 2));
      if (<u32>i < j) {
        const a = v128.load(p + (<usize>i << 4));
        v128.store(p + (<usize>i << 4), v128.load(p + (<usize>j << 4)));
        v128.store(p + (<usize>j << 4), a);
      }
    }
    // h = 1 and h = 2 (twiddles 1 and -i) in one radix-4 pass without multiplications
    if (L >= 4) {
      const negIm = f64x2(1, -1);
      for (let s = 0; s < L; s += 4) {
        const q = p + (<usize>s << 4);
        const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
        const a0 = f64x2.add(x0, x1), a1 = f64x2.sub(x0, x1);
        const b0 = f64x2.add(x2, x3), b1 = f64x2.sub(x2, x3);
        // b1 · (-i) = (im, -re)
        const b1i = f64x2.mul(v128.shuffle<i64>(b1, b1, 1, 0), negIm);
        v128.store(q, f64x2.add(a0, b0));
        v128.store(q, f64x2.add(a1, b1i), 16);
        v128.store(q, f64x2.sub(a0, b0), 32);
        v128.store(q, f64x2.sub(a1, b1i), 48);
      }
    } else if (L == 2) {
      const x0 = v128.load(p), x1 = v128.load(p, 16);
      v128.store(p, f64x2.add(x0, x1));
      v128.store(p, f64x2.sub(x0, x1), 16);
    }
    for (let h = 4; h < L; h <<= 1) {
      const tw = tables + (<usize>(h - 1) << 5);
      for (let s = 0; s < L; s += h << 1) {
        const pa = p + (<usize>s << 4);
        const pb = pa + (<usize>h << 4);
        for (let k = 0; k < h; k++) {
          const off = <usize>k << 4;
          const b = v128.load(pb + off);
          const w = tw + (<usize>k << 5);
          const t = f64x2.add(
            f64x2.mul(v128.shuffle<i64>(b, b, 0, 0), v128.load(w)),
            f64x2.mul(v128.shuffle<i64>(b, b, 1, 1), v128.load(w, 16)),
          );
          const a = v128.load(pa + off);
          v128.store(pa + off, f64x2.add(a, t));
          v128.store(pb + off, f64x2.sub(a, t));
        }
      }
    }
  }
}

const TILE: i32 = 16;

/**
 * dst = the transpose of each (rows × cols) matrix of complex numbers in src (matrices one
 * after another), for the global rows g0 ≤ g < g1 (g = matrix · rows + row), in 16 × 16 tiles.
 */
export function fft_transpose(src: usize, dst: usize, rows: i32, cols: i32, g0: i32, g1: i32): void {
  const mat = <usize>rows * <usize>cols << 4;
  let g = g0;
  while (g < g1) {
    const m = g / rows;
    const r0 = g - m * rows;
    const r1 = min(rows, r0 + min(TILE, g1 - g));
    const ps = src + <usize>m * mat;
    const pd = dst + <usize>m * mat;
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const row = ps + (<usize>r * <usize>cols << 4);
        for (let c = c0; c < c1; c++) v128.store(pd + (<usize>(c * rows + r) << 4), v128.load(row + (<usize>c << 4)));
      }
    }
    g += r1 - r0;
  }
}

/**
 * The four-step twiddle, rows j0 ≤ j2 < j1 of the (n2 × n1) matrix at buf: element (j2, k1)
 * times W_n^{j2·k1}, n = n1·n2, W_n^a = hi[a >> shift] · lo[a & (2^shift - 1)] (tables of
 * complex f64 pairs).
 */
export function fft_twiddle(buf: usize, n1: i32, hi: usize, lo: usize, shift: i32, j0: i32, j1: i32): void {
  const mask = (1 << shift) - 1;
  for (let j2 = j0; j2 < j1; j2++) {
    const p = buf + (<usize>j2 * <usize>n1 << 4);
    for (let k1 = 0; k1 < n1; k1++) {
      const a = j2 * k1;
      const h = hi + (<usize>(a >>> shift) << 4);
      const l = lo + (<usize>(a & mask) << 4);
      const hr = load<f64>(h), hi2 = load<f64>(h, 8), lr = load<f64>(l), li = load<f64>(l, 8);
      const wr = hr * lr - hi2 * li, wi = hr * li + hi2 * lr;
      const x = v128.load(p + (<usize>k1 << 4));
      const xr = f64x2.extract_lane(x, 0), xi = f64x2.extract_lane(x, 1);
      v128.store(p + (<usize>k1 << 4), f64x2(xr * wr - xi * wi, xr * wi + xi * wr));
    }
  }
}

/**
 * Rows r0 ≤ r < r1: dst row (dstLen complex) = scale · conjOut(conjIn(src row) · vec) over
 * the first min(srcLen, vecLen, dstLen) entries, zeros after: Bluestein's chirp products and
 * its pointwise product of spectra (in place when src = dst and the lengths agree).
 */
export function fft_mul_rows(
  src: usize, srcLen: i32, dst: usize, dstLen: i32, vec: usize, vecLen: i32, conjIn: i32, conjOut: i32, scale: f64, r0: i32, r1: i32,
): void {
  const n = min(min(srcLen, vecLen), dstLen);
  const cin = f64x2(1, conjIn ? -1 : 1);
  const cout = f64x2(scale, conjOut ? -scale : scale);
  for (let r = r0; r < r1; r++) {
    const ps = src + (<usize>r * <usize>srcLen << 4);
    const pd = dst + (<usize>r * <usize>dstLen << 4);
    for (let k = 0; k < n; k++) {
      const a = f64x2.mul(v128.load(ps + (<usize>k << 4)), cin);
      const w = v128.load(vec + (<usize>k << 4));
      const ar = f64x2.extract_lane(a, 0), ai = f64x2.extract_lane(a, 1);
      const wr = f64x2.extract_lane(w, 0), wi = f64x2.extract_lane(w, 1);
      v128.store(pd + (<usize>k << 4), f64x2.mul(f64x2(ar * wr - ai * wi, ar * wi + ai * wr), cout));
    }
    if (dstLen > n) memory.fill(pd + (<usize>n << 4), 0, <usize>(dstLen - n) << 4);
  }
}
