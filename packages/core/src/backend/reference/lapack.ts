// Dense linear algebra in double precision, ported from reference LAPACK 3.10.0 (BSD licence),
// the library MLX's CPU backend calls. Ported routine by routine (Householder QR/LQ, Golub-Kahan
// bidiagonalization and implicit-shift QR on the bidiagonal (dgesdd's paths for n <= 25, its
// divide-and-conquer replaced by the same QR iteration beyond), Householder tridiagonalization
// and implicit QL/QR (dsyevd), recursive Cholesky, LU with partial pivoting) so that the signs
// and order LAPACK picks for singular vectors and eigenvectors come out the same: MLX's choice
// is then reproduced, not merely an equivalent one. Everything is column-major with 0-based
// indices; `ld` is the leading dimension. Convergence tests use the epsilon of the array's
// dtype (`Prec`), as the float32 LAPACK routines MLX runs for float32 data do.

/** Machine constants of the dtype being computed (LAPACK's DLAMCH('E') and DLAMCH('S')). */
export interface Prec {
  /** relative machine epsilon: 2^-24 for float32, 2^-53 for float64 */
  eps: number;
  /** safe minimum: 2^-126 for float32, 2^-1022 for float64 */
  safmin: number;
}
export const F32: Prec = { eps: 2 ** -24, safmin: 2 ** -126 };
export const F64: Prec = { eps: 2 ** -53, safmin: 2 ** -1022 };

/** Fortran's SIGN(a, b): |a| with the sign (bit) of b. */
export function sign(a: number, b: number): number {
  const x = Math.abs(a);
  return b < 0 || Object.is(b, -0) ? -x : x;
}

/** sqrt(x^2 + y^2) without overflow (DLAPY2). */
export function lapy2(x: number, y: number): number {
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return y;
  const xa = Math.abs(x), ya = Math.abs(y);
  const w = Math.max(xa, ya), z = Math.min(xa, ya);
  if (z === 0 || w > Number.MAX_VALUE) return w;
  return w * Math.sqrt(1 + (z / w) * (z / w));
}

/**
 * Where the drivers (DGESDD, DGEEV and their complex twins) scale a matrix whose largest element
 * magnitude `anrm` lies outside [sqrt(safmin)/ulp, its inverse]; 0 when it needn't be scaled.
 */
export function safeRangeTarget(anrm: number): number {
  const smlnum = Math.sqrt(SAFMIN64) / ULP64, bignum = 1 / smlnum;
  return anrm > 0 && anrm < smlnum ? smlnum : anrm > bignum ? bignum : 0;
}

/** Complex division (a + ib) / (c + id) by Smith's method, without undue overflow. */
export function cdiv(a: number, b: number, c: number, d: number): [number, number] {
  if (Math.abs(d) <= Math.abs(c)) {
    const r = d / c, den = c + d * r;
    return [(a + b * r) / den, (b - a * r) / den];
  }
  const r = c / d, den = c * r + d;
  return [(a * r + b) / den, (b * r - a) / den];
}

/** 2-norm of n elements of x from `off` with stride `inc`, scaled against overflow. */
export function nrm2(n: number, x: Float64Array, off: number, inc: number): number {
  let scale = 0, ssq = 1;
  for (let i = 0; i < n; i++) {
    const v = x[off + i * inc]!;
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else ssq += (a / scale) * (a / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

export const SAFMIN64 = 2 ** -1022;
const SAFMAX64 = 1 / SAFMIN64;
export const ULP64 = 2 ** -52;
const RTMIN = Math.sqrt(SAFMIN64 / ULP64);
const RTMAX = Math.sqrt(SAFMAX64 * ULP64);

/** Plane rotation [c s; -s c] [f; g] = [r; 0] with c >= 0 (DLARTG of LAPACK 3.10). */
export function lartg(f: number, g: number): [number, number, number] {
  const f1 = Math.abs(f), g1 = Math.abs(g);
  if (g === 0) return [1, 0, f];
  if (f === 0) return [0, sign(1, g), g1];
  if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
    const d = Math.sqrt(f * f + g * g);
    const p = 1 / d;
    return [f1 * p, g * sign(p, f), sign(d, f)];
  }
  const u = Math.min(SAFMAX64, Math.max(SAFMIN64, f1, g1));
  const uu = 1 / u;
  const fs = f * uu, gs = g * uu;
  const d = Math.sqrt(fs * fs + gs * gs);
  const p = 1 / d;
  return [Math.abs(fs) * p, gs * sign(p, f), sign(d, f) * u];
}

/**
 * How many times DLARFG rescales by 1/safmin so that a tiny |beta| reaches safmin (at most 20):
 * it then works on the scaled vector and scales beta back at the end.
 */
export function tinyScalings(beta: number, safmin: number): number {
  let knt = 0;
  while (Math.abs(beta) < safmin && knt < 20) {
    beta /= safmin;
    knt++;
  }
  return knt;
}

/**
 * Householder reflector H = I - tau [1; v] [1; v]^T with H [alpha; x] = [beta; 0] (DLARFG):
 * x (n - 1 elements at `off`, stride `inc`) is overwritten by v; returns [beta, tau].
 */
export function larfg(n: number, alpha: number, x: Float64Array, off: number, inc: number): [number, number] {
  if (n <= 1) return [alpha, 0];
  let xnorm = nrm2(n - 1, x, off, inc);
  if (xnorm === 0) return [alpha, 0];
  let beta = -sign(lapy2(alpha, xnorm), alpha);
  const safmin = SAFMIN64 / (2 ** -53);
  const knt = tinyScalings(beta, safmin);
  if (knt) {
    for (let j = 0; j < knt; j++) {
      for (let i = 0; i < n - 1; i++) x[off + i * inc]! /= safmin;
      alpha /= safmin;
    }
    xnorm = nrm2(n - 1, x, off, inc);
    beta = -sign(lapy2(alpha, xnorm), alpha);
  }
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let i = 0; i < n - 1; i++) x[off + i * inc]! *= scal;
  for (let j = 0; j < knt; j++) beta *= safmin;
  return [beta, tau];
}

/**
 * C := H C (side 'L', C is m x n at `c` + rows/cols) or C := C H (side 'R'), H = I - tau v v^T,
 * v given explicitly (DLARF).
 */
export function larf(side: 'L' | 'R', m: number, n: number, v: Float64Array, tau: number, a: Float64Array, off: number, ld: number): void {
  if (tau === 0) return;
  if (side === 'L') {
    for (let j = 0; j < n; j++) {
      let w = 0;
      for (let i = 0; i < m; i++) w += a[off + i + j * ld]! * v[i]!;
      w *= tau;
      if (w !== 0) for (let i = 0; i < m; i++) a[off + i + j * ld]! -= v[i]! * w;
    }
  } else {
    for (let i = 0; i < m; i++) {
      let w = 0;
      for (let j = 0; j < n; j++) w += a[off + i + j * ld]! * v[j]!;
      w *= tau;
      if (w !== 0) for (let j = 0; j < n; j++) a[off + i + j * ld]! -= w * v[j]!;
    }
  }
}

/** The reflector vector [1; x] of length n, x read from a (stride inc). */
export function reflector(n: number, a: Float64Array, off: number, inc: number): Float64Array {
  const v = new Float64Array(n);
  v[0] = 1;
  for (let i = 1; i < n; i++) v[i] = a[off + (i - 1) * inc]!;
  return v;
}

// ---------------------------------------------------------------- QR and LQ

/** A = Q R by Householder reflectors (DGEQR2): R above the diagonal, reflectors below. */
export function geqr2(m: number, n: number, a: Float64Array, lda: number, tau: Float64Array): void {
  const k = Math.min(m, n);
  for (let i = 0; i < k; i++) {
    const [beta, t] = larfg(m - i, a[i + i * lda]!, a, Math.min(i + 1, m - 1) + i * lda, 1);
    a[i + i * lda] = beta;
    tau[i] = t;
    if (i < n - 1) larf('L', m - i, n - i - 1, reflector(m - i, a, i + 1 + i * lda, 1), t, a, i + (i + 1) * lda, lda);
  }
}

/** Overwrites the m x n a (reflectors of geqr2 in its first k columns) with Q's first n columns (DORG2R). */
export function org2r(m: number, n: number, k: number, a: Float64Array, lda: number, tau: Float64Array): void {
  for (let j = k; j < n; j++) {
    for (let l = 0; l < m; l++) a[l + j * lda] = 0;
    a[j + j * lda] = 1;
  }
  for (let i = k - 1; i >= 0; i--) {
    if (i < n - 1) larf('L', m - i, n - i - 1, reflector(m - i, a, i + 1 + i * lda, 1), tau[i]!, a, i + (i + 1) * lda, lda);
    for (let l = i + 1; l < m; l++) a[l + i * lda]! *= -tau[i]!;
    a[i + i * lda] = 1 - tau[i]!;
    for (let l = 0; l < i; l++) a[l + i * lda] = 0;
  }
}

/** A = L Q by Householder reflectors (DGELQ2): L below the diagonal, reflectors to the right. */
function gelq2(m: number, n: number, a: Float64Array, lda: number, tau: Float64Array): void {
  const k = Math.min(m, n);
  for (let i = 0; i < k; i++) {
    const [beta, t] = larfg(n - i, a[i + i * lda]!, a, i + Math.min(i + 1, n - 1) * lda, lda);
    a[i + i * lda] = beta;
    tau[i] = t;
    if (i < m - 1) larf('R', m - i - 1, n - i, reflector(n - i, a, i + (i + 1) * lda, lda), t, a, i + 1 + i * lda, lda);
  }
}

/** Overwrites the m x n a (reflectors of gelq2 in its first k rows) with Q's first m rows (DORGL2). */
function orgl2(m: number, n: number, k: number, a: Float64Array, lda: number, tau: Float64Array): void {
  if (k < m) {
    for (let j = 0; j < n; j++) {
      for (let l = k; l < m; l++) a[l + j * lda] = 0;
      if (j >= k && j < m) a[j + j * lda] = 1;
    }
  }
  for (let i = k - 1; i >= 0; i--) {
    if (i < n - 1) {
      if (i < m - 1) larf('R', m - i - 1, n - i, reflector(n - i, a, i + (i + 1) * lda, lda), tau[i]!, a, i + 1 + i * lda, lda);
      for (let l = i + 1; l < n; l++) a[i + l * lda]! *= -tau[i]!;
    }
    a[i + i * lda] = 1 - tau[i]!;
    for (let l = 0; l < i; l++) a[i + l * lda] = 0;
  }
}

// ---------------------------------------------------------------- SVD (dgesdd)

/** Reduces a to bidiagonal form B = Q^T A P (DGEBD2): upper if m >= n, lower otherwise. */
function gebd2(m: number, n: number, a: Float64Array, lda: number, d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array): void {
  if (m >= n) {
    for (let i = 0; i < n; i++) {
      let [beta, t] = larfg(m - i, a[i + i * lda]!, a, Math.min(i + 1, m - 1) + i * lda, 1);
      d[i] = beta;
      tauq[i] = t;
      if (i < n - 1) larf('L', m - i, n - i - 1, reflector(m - i, a, i + 1 + i * lda, 1), t, a, i + (i + 1) * lda, lda);
      a[i + i * lda] = beta;
      if (i < n - 1) {
        [beta, t] = larfg(n - i - 1, a[i + (i + 1) * lda]!, a, i + Math.min(i + 2, n - 1) * lda, lda);
        e[i] = beta;
        taup[i] = t;
        larf('R', m - i - 1, n - i - 1, reflector(n - i - 1, a, i + (i + 2) * lda, lda), t, a, i + 1 + (i + 1) * lda, lda);
        a[i + (i + 1) * lda] = beta;
      } else taup[i] = 0;
    }
  } else {
    for (let i = 0; i < m; i++) {
      let [beta, t] = larfg(n - i, a[i + i * lda]!, a, i + Math.min(i + 1, n - 1) * lda, lda);
      d[i] = beta;
      taup[i] = t;
      if (i < m - 1) larf('R', m - i - 1, n - i, reflector(n - i, a, i + (i + 1) * lda, lda), t, a, i + 1 + i * lda, lda);
      a[i + i * lda] = beta;
      if (i < m - 1) {
        [beta, t] = larfg(m - i - 1, a[i + 1 + i * lda]!, a, Math.min(i + 2, m - 1) + i * lda, 1);
        e[i] = beta;
        tauq[i] = t;
        larf('L', m - i - 1, n - i - 1, reflector(m - i - 1, a, i + 2 + i * lda, 1), t, a, i + 1 + (i + 1) * lda, lda);
        a[i + 1 + i * lda] = beta;
      } else tauq[i] = 0;
    }
  }
}

/**
 * C := Q C (C has `rows` rows, `cols` columns) with Q = H(1)...H(k) the left reflectors of gebd2
 * on the m x n a (DORMBR 'Q', 'L', 'N').
 */
function applyBrdQ(m: number, n: number, a: Float64Array, lda: number, tauq: Float64Array, c: Float64Array, ldc: number, cols: number): void {
  const k = Math.min(m, n);
  // reflector i acts on rows i.. (m >= n) or i+1.. (m < n, where only m-1 of them exist)
  const shift = m >= n ? 0 : 1;
  const count = m >= n ? k : m - 1;
  for (let i = count - 1; i >= 0; i--) {
    const r0 = i + shift;
    const len = m - r0;
    larf('L', len, cols, reflector(len, a, r0 + 1 + i * lda, 1), tauq[i]!, c, r0, ldc);
  }
}

/** C := C P^T with P = G(1)...G(k) the right reflectors of gebd2 on the m x n a (DORMBR 'P', 'R', 'T'). */
function applyBrdPt(m: number, n: number, a: Float64Array, lda: number, taup: Float64Array, c: Float64Array, ldc: number, rows: number): void {
  const k = Math.min(m, n);
  const shift = m >= n ? 1 : 0;
  const count = m >= n ? n - 1 : k;
  for (let i = count - 1; i >= 0; i--) {
    const c0 = i + shift;
    const len = n - c0;
    larf('R', rows, len, reflector(len, a, i + (c0 + 1) * lda, lda), taup[i]!, c, c0 * ldc, ldc);
  }
}

/** Plane rotations of a sequence, on the rows (side 'L') or columns ('R') of a (DLASR, pivot 'V'). */
function lasr(side: 'L' | 'R', direct: 'F' | 'B', m: number, n: number, c: Float64Array, co: number, s: Float64Array, so: number, a: Float64Array, off: number, lda: number): void {
  const z = side === 'L' ? m : n;
  for (let t = 0; t < z - 1; t++) {
    const j = direct === 'F' ? t : z - 2 - t;
    const ct = c[co + j]!, st = s[so + j]!;
    if (ct === 1 && st === 0) continue;
    if (side === 'L') {
      for (let i = 0; i < n; i++) {
        const p = off + j + i * lda;
        const temp = a[p + 1]!;
        a[p + 1] = ct * temp - st * a[p]!;
        a[p] = st * temp + ct * a[p]!;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const p = off + i + j * lda;
        const temp = a[p + lda]!;
        a[p + lda] = ct * temp - st * a[p]!;
        a[p] = st * temp + ct * a[p]!;
      }
    }
  }
}

/** x' = c x + s y, y' = c y - s x over n elements (DROT). */
export function rot(n: number, a: Float64Array, xo: number, yo: number, inc: number, c: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const x = a[xo + i * inc]!, y = a[yo + i * inc]!;
    a[xo + i * inc] = c * x + s * y;
    a[yo + i * inc] = c * y - s * x;
  }
}

export function swapRows(n: number, a: Float64Array, r1: number, r2: number, ld: number): void {
  for (let j = 0; j < n; j++) {
    const t = a[r1 + j * ld]!;
    a[r1 + j * ld] = a[r2 + j * ld]!;
    a[r2 + j * ld] = t;
  }
}

export function swapCols(m: number, a: Float64Array, c1: number, c2: number, ld: number): void {
  for (let i = 0; i < m; i++) {
    const t = a[i + c1 * ld]!;
    a[i + c1 * ld] = a[i + c2 * ld]!;
    a[i + c2 * ld] = t;
  }
}

/** Singular values of [[f, g], [0, h]] (DLAS2): [ssmin, ssmax]. */
function las2(f: number, g: number, h: number): [number, number] {
  const fa = Math.abs(f), ga = Math.abs(g), ha = Math.abs(h);
  const fhmn = Math.min(fa, ha), fhmx = Math.max(fa, ha);
  if (fhmn === 0) {
    if (fhmx === 0) return [0, ga];
    const mx = Math.max(fhmx, ga), mn = Math.min(fhmx, ga);
    return [0, mx * Math.sqrt(1 + (mn / mx) ** 2)];
  }
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return [fhmn * c, fhmx / c];
  }
  const au = fhmx / ga;
  if (au === 0) return [(fhmn * fhmx) / ga, ga];
  const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  const ssmin = fhmn * c * au;
  return [ssmin + ssmin, ga / (c + c)];
}

/** SVD of [[f, g], [0, h]] (DLASV2): [ssmin, ssmax, snr, csr, snl, csl]. */
function lasv2(f: number, g: number, h: number, prec: Prec): [number, number, number, number, number, number] {
  let ft = f, fa = Math.abs(ft), ht = h, ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g, ga = Math.abs(gt);
  let ssmin: number, ssmax: number, clt: number, crt: number, slt: number, srt: number;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    clt = 1;
    crt = 1;
    slt = 0;
    srt = 0;
  } else {
    let gasmal = true;
    ssmin = ssmax = clt = crt = slt = srt = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < prec.eps) {
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd === fa ? 1 : dd / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m, tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + m / t;
      else t = (m / (s + t) + m / (r + l)) * (1 + a);
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  let csl: number, snl: number, csr: number, snr: number;
  if (swap) {
    csl = srt;
    snl = crt;
    csr = slt;
    snr = clt;
  } else {
    csl = clt;
    snl = slt;
    csr = crt;
    snr = srt;
  }
  let tsign = 1;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  if (pmax === 3) tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  ssmax = sign(ssmax, tsign);
  ssmin = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  return [ssmin, ssmax, snr, csr, snl, csl];
}

/**
 * SVD of the n x n upper bidiagonal (d, e) by implicit-shift QR (DBDSQR, uplo 'U'): d becomes
 * the singular values (decreasing), vt (n x ncvt) is premultiplied by the right rotations'
 * transpose and u (nru x n) postmultiplied by the left ones. Returns LAPACK's info (0, or the
 * count of unconverged off-diagonals).
 */
function bdsqr(n: number, ncvt: number, nru: number, d: Float64Array, e: Float64Array, vt: Float64Array, ldvt: number, u: Float64Array, ldu: number, prec: Prec): number {
  if (n === 0) return 0;
  const eps = prec.eps, unfl = prec.safmin;
  if (n > 1) {
    const nm1 = n - 1, nm12 = 2 * nm1, nm13 = 3 * nm1;
    const work = new Float64Array(4 * n);
    let idir = 0;
    const tolmul = Math.max(10, Math.min(100, eps ** -0.125));
    const tol = tolmul * eps;
    let smax = 0;
    for (let i = 0; i < n; i++) smax = Math.max(smax, Math.abs(d[i]!));
    for (let i = 0; i < n - 1; i++) smax = Math.max(smax, Math.abs(e[i]!));
    let sminoa = Math.abs(d[0]!);
    if (sminoa !== 0) {
      let mu = sminoa;
      for (let i = 1; i < n; i++) {
        mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
        sminoa = Math.min(sminoa, mu);
        if (sminoa === 0) break;
      }
    }
    sminoa = sminoa / Math.sqrt(n);
    const thresh = Math.max(tol * sminoa, 6 * (n * (n * unfl)));
    const maxitdivn = 6 * n;
    let iterdivn = 0, iter = -1, oldll = -1, oldm = -1;
    // 1-based positions below, as in the Fortran: d(i) is d[i - 1]
    let m = n;
    const D = (i: number) => d[i - 1]!;
    const E = (i: number) => e[i - 1]!;
    let smin = 0;
    main: for (;;) {
      if (m <= 1) break;
      if (iter >= n) {
        iter -= n;
        iterdivn++;
        if (iterdivn >= maxitdivn) {
          let info = 0;
          for (let i = 0; i < n - 1; i++) if (e[i] !== 0) info++;
          return info;
        }
      }
      smax = Math.abs(D(m));
      let ll = 0;
      let split = false;
      for (let lll = 1; lll <= m - 1; lll++) {
        ll = m - lll;
        const abss = Math.abs(D(ll)), abse = Math.abs(E(ll));
        if (abse <= thresh) {
          split = true;
          break;
        }
        smax = Math.max(smax, abss, abse);
      }
      if (split) {
        e[ll - 1] = 0;
        if (ll === m - 1) {
          m--;
          continue main;
        }
      } else ll = 0;
      ll++;
      if (ll === m - 1) {
        // 2 by 2 block
        const [sigmn, sigmx, sinr, cosr, sinl, cosl] = lasv2(D(m - 1), E(m - 1), D(m), prec);
        d[m - 2] = sigmx;
        e[m - 2] = 0;
        d[m - 1] = sigmn;
        if (ncvt > 0) rot(ncvt, vt, m - 2, m - 1, ldvt, cosr, sinr);
        if (nru > 0) rot(nru, u, (m - 2) * ldu, (m - 1) * ldu, 1, cosl, sinl);
        m -= 2;
        continue main;
      }
      if (ll > oldm || m < oldll) idir = Math.abs(D(ll)) >= Math.abs(D(m)) ? 1 : 2;
      if (idir === 1) {
        if (Math.abs(E(m - 1)) <= Math.abs(tol) * Math.abs(D(m))) {
          e[m - 2] = 0;
          continue main;
        }
        let mu = Math.abs(D(ll));
        smin = mu;
        for (let lll = ll; lll <= m - 1; lll++) {
          if (Math.abs(E(lll)) <= tol * mu) {
            e[lll - 1] = 0;
            continue main;
          }
          mu = Math.abs(D(lll + 1)) * (mu / (mu + Math.abs(E(lll))));
          smin = Math.min(smin, mu);
        }
      } else {
        if (Math.abs(E(ll)) <= Math.abs(tol) * Math.abs(D(ll))) {
          e[ll - 1] = 0;
          continue main;
        }
        let mu = Math.abs(D(m));
        smin = mu;
        for (let lll = m - 1; lll >= ll; lll--) {
          if (Math.abs(E(lll)) <= tol * mu) {
            e[lll - 1] = 0;
            continue main;
          }
          mu = Math.abs(D(lll)) * (mu / (mu + Math.abs(E(lll))));
          smin = Math.min(smin, mu);
        }
      }
      oldll = ll;
      oldm = m;
      let shift: number;
      if (n * tol * (smin / smax) <= Math.max(eps, 0.01 * tol)) shift = 0;
      else {
        let sll: number;
        if (idir === 1) {
          sll = Math.abs(D(ll));
          shift = las2(D(m - 1), E(m - 1), D(m))[0];
        } else {
          sll = Math.abs(D(m));
          shift = las2(D(ll), E(ll), D(ll + 1))[0];
        }
        if (sll > 0 && (shift / sll) ** 2 < eps) shift = 0;
      }
      iter += m - ll;
      const W = (i: number, v: number) => (work[i - 1] = v);
      if (shift === 0) {
        if (idir === 1) {
          let cs = 1, oldcs = 1, sn = 0, oldsn = 0, r = 0;
          for (let i = ll; i <= m - 1; i++) {
            [cs, sn, r] = lartg(D(i) * cs, E(i));
            if (i > ll) e[i - 2] = oldsn * r;
            let di: number;
            [oldcs, oldsn, di] = lartg(oldcs * r, D(i + 1) * sn);
            d[i - 1] = di;
            W(i - ll + 1, cs);
            W(i - ll + 1 + nm1, sn);
            W(i - ll + 1 + nm12, oldcs);
            W(i - ll + 1 + nm13, oldsn);
          }
          const h = D(m) * cs;
          d[m - 1] = h * oldcs;
          e[m - 2] = h * oldsn;
          if (ncvt > 0) lasr('L', 'F', m - ll + 1, ncvt, work, 0, work, n - 1, vt, ll - 1, ldvt);
          if (nru > 0) lasr('R', 'F', nru, m - ll + 1, work, nm12, work, nm13, u, (ll - 1) * ldu, ldu);
          if (Math.abs(E(m - 1)) <= thresh) e[m - 2] = 0;
        } else {
          let cs = 1, oldcs = 1, sn = 0, oldsn = 0, r = 0;
          for (let i = m; i >= ll + 1; i--) {
            [cs, sn, r] = lartg(D(i) * cs, E(i - 1));
            if (i < m) e[i - 1] = oldsn * r;
            let di: number;
            [oldcs, oldsn, di] = lartg(oldcs * r, D(i - 1) * sn);
            d[i - 1] = di;
            W(i - ll, cs);
            W(i - ll + nm1, -sn);
            W(i - ll + nm12, oldcs);
            W(i - ll + nm13, -oldsn);
          }
          const h = D(ll) * cs;
          d[ll - 1] = h * oldcs;
          e[ll - 1] = h * oldsn;
          if (ncvt > 0) lasr('L', 'B', m - ll + 1, ncvt, work, nm12, work, nm13, vt, ll - 1, ldvt);
          if (nru > 0) lasr('R', 'B', nru, m - ll + 1, work, 0, work, n - 1, u, (ll - 1) * ldu, ldu);
          if (Math.abs(E(ll)) <= thresh) e[ll - 1] = 0;
        }
      } else if (idir === 1) {
        let f = (Math.abs(D(ll)) - shift) * (sign(1, D(ll)) + shift / D(ll));
        let g = E(ll);
        for (let i = ll; i <= m - 1; i++) {
          const [cosr, sinr, r1] = lartg(f, g);
          if (i > ll) e[i - 2] = r1;
          f = cosr * D(i) + sinr * E(i);
          e[i - 1] = cosr * E(i) - sinr * D(i);
          g = sinr * D(i + 1);
          d[i] = cosr * D(i + 1);
          const [cosl, sinl, r2] = lartg(f, g);
          d[i - 1] = r2;
          f = cosl * E(i) + sinl * D(i + 1);
          d[i] = cosl * D(i + 1) - sinl * E(i);
          if (i < m - 1) {
            g = sinl * E(i + 1);
            e[i] = cosl * E(i + 1);
          }
          W(i - ll + 1, cosr);
          W(i - ll + 1 + nm1, sinr);
          W(i - ll + 1 + nm12, cosl);
          W(i - ll + 1 + nm13, sinl);
        }
        e[m - 2] = f;
        if (ncvt > 0) lasr('L', 'F', m - ll + 1, ncvt, work, 0, work, n - 1, vt, ll - 1, ldvt);
        if (nru > 0) lasr('R', 'F', nru, m - ll + 1, work, nm12, work, nm13, u, (ll - 1) * ldu, ldu);
        if (Math.abs(E(m - 1)) <= thresh) e[m - 2] = 0;
      } else {
        let f = (Math.abs(D(m)) - shift) * (sign(1, D(m)) + shift / D(m));
        let g = E(m - 1);
        for (let i = m; i >= ll + 1; i--) {
          const [cosr, sinr, r1] = lartg(f, g);
          if (i < m) e[i - 1] = r1;
          f = cosr * D(i) + sinr * E(i - 1);
          e[i - 2] = cosr * E(i - 1) - sinr * D(i);
          g = sinr * D(i - 1);
          d[i - 2] = cosr * D(i - 1);
          const [cosl, sinl, r2] = lartg(f, g);
          d[i - 1] = r2;
          f = cosl * E(i - 1) + sinl * D(i - 1);
          d[i - 2] = cosl * D(i - 1) - sinl * E(i - 1);
          if (i > ll + 1) {
            g = sinl * E(i - 2);
            e[i - 3] = cosl * E(i - 2);
          }
          W(i - ll, cosr);
          W(i - ll + nm1, -sinr);
          W(i - ll + nm12, cosl);
          W(i - ll + nm13, -sinl);
        }
        e[ll - 1] = f;
        if (Math.abs(E(ll)) <= thresh) e[ll - 1] = 0;
        if (ncvt > 0) lasr('L', 'B', m - ll + 1, ncvt, work, nm12, work, nm13, vt, ll - 1, ldvt);
        if (nru > 0) lasr('R', 'B', nru, m - ll + 1, work, 0, work, n - 1, u, (ll - 1) * ldu, ldu);
      }
    }
  }
  // make the singular values positive, then sort them into decreasing order
  for (let i = 0; i < n; i++) {
    if (d[i] === 0) d[i] = 0;
    if (d[i]! < 0) {
      d[i] = -d[i]!;
      if (ncvt > 0) for (let j = 0; j < ncvt; j++) vt[i + j * ldvt] = -vt[i + j * ldvt]!;
    }
  }
  for (let i = 1; i <= n - 1; i++) {
    let isub = 1, smn = d[0]!;
    for (let j = 2; j <= n + 1 - i; j++) {
      if (d[j - 1]! <= smn) {
        isub = j;
        smn = d[j - 1]!;
      }
    }
    if (isub !== n + 1 - i) {
      d[isub - 1] = d[n - i]!;
      d[n - i] = smn;
      if (ncvt > 0) swapRows(ncvt, vt, isub - 1, n - i, ldvt);
      if (nru > 0) swapCols(nru, u, isub - 1, n - i, ldu);
    }
  }
  return 0;
}

/**
 * DBDSDC for n <= 25 (and, here, beyond): the n x n bidiagonal (lower: rotated to upper first)
 * through DLASDQ/DBDSQR with u and vt starting as identities (when `vectors`), then sorted.
 */
export function bdsdc(lower: boolean, vectors: boolean, n: number, d: Float64Array, e: Float64Array, u: Float64Array, ldu: number, vt: Float64Array, ldvt: number, prec: Prec): number {
  if (n === 0) return 0;
  if (n === 1) {
    if (vectors) {
      u[0] = sign(1, d[0]!);
      vt[0] = 1;
    }
    d[0] = Math.abs(d[0]!);
    return 0;
  }
  const rc = new Float64Array(n), rs = new Float64Array(n);
  if (lower) {
    for (let i = 0; i < n - 1; i++) {
      const [cs, sn, r] = lartg(d[i]!, e[i]!);
      d[i] = r;
      e[i] = sn * d[i + 1]!;
      d[i + 1] = cs * d[i + 1]!;
      rc[i] = cs;
      rs[i] = -sn;
    }
  }
  if (vectors) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        u[i + j * ldu] = i === j ? 1 : 0;
        vt[i + j * ldvt] = i === j ? 1 : 0;
      }
    }
  }
  const k = vectors ? n : 0;
  const info = bdsqr(n, k, k, d, e, vt, ldvt, u, ldu, prec);
  if (info !== 0) return info;
  // DLASDQ's ascending selection sort, then DBDSDC's descending one (vectors follow)
  for (let i = 0; i < n; i++) {
    let isub = i, smn = d[i]!;
    for (let j = i + 1; j < n; j++) if (d[j]! < smn) (isub = j), (smn = d[j]!);
    if (isub !== i) {
      d[isub] = d[i]!;
      d[i] = smn;
      if (k) swapRows(n, vt, isub, i, ldvt), swapCols(n, u, isub, i, ldu);
    }
  }
  for (let i = 0; i < n - 1; i++) {
    let kk = i, p = d[i]!;
    for (let j = i + 1; j < n; j++) if (d[j]! > p) (kk = j), (p = d[j]!);
    if (kk !== i) {
      d[kk] = d[i]!;
      d[i] = p;
      if (k) swapCols(n, u, i, kk, ldu), swapRows(n, vt, i, kk, ldvt);
    }
  }
  if (lower && vectors) lasr('L', 'B', n, n, rc, 0, rs, 0, u, 0, ldu);
  return 0;
}

/** b (m x n) := a (m x k) times c (k x n), all column-major. */
function gemm(m: number, n: number, k: number, a: Float64Array, ao: number, lda: number, c: Float64Array, co: number, ldc: number, out: Float64Array, oo: number, ldo: number): void {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a[ao + i + l * lda]! * c[co + l + j * ldc]!;
      out[oo + i + j * ldo] = s;
    }
  }
}

/**
 * DGESDD's paths 5 and 5t (neither dimension much larger): bidiagonalize a directly (upper
 * bidiagonal if m >= n, lower otherwise), then the bidiagonal SVD, with U = Q [U_B 0; 0 I] and
 * VT = [VT_B 0; 0 I] P^T.
 */
function direct(m: number, n: number, a: Float64Array, s: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array, u: Float64Array | null, vt: Float64Array | null, prec: Prec): number {
  const k = Math.min(m, n);
  gebd2(m, n, a, m, s, e, tauq, taup);
  if (!u || !vt) return bdsdc(m < n, false, k, s, e, new Float64Array(0), 1, new Float64Array(0), 1, prec);
  u.fill(0);
  vt.fill(0);
  const info = bdsdc(m < n, true, k, s, e, u, m, vt, n, prec);
  for (let i = k; i < m; i++) u[i + i * m] = 1;
  for (let i = k; i < n; i++) vt[i + i * n] = 1;
  if (info === 0) {
    applyBrdQ(m, n, a, m, tauq, u, m, m);
    applyBrdPt(m, n, a, m, taup, vt, n, n);
  }
  return info;
}

/**
 * The SVD A = U diag(s) VT of the m x n column-major a (overwritten), following DGESDD with
 * JOBZ 'A' (u m x m, vt n x n) or 'N' (u, vt null). Returns LAPACK's info: -4 for a NaN
 * in a, > 0 when the QR iteration did not converge.
 */
export function gesdd(m: number, n: number, a: Float64Array, s: Float64Array, u: Float64Array | null, vt: Float64Array | null, prec: Prec): number {
  const lda = m;
  const minmn = Math.min(m, n);
  if (minmn === 0) return 0;
  const wantv = u !== null && vt !== null;
  const mnthr = Math.floor((minmn * 11) / 6);
  let anrm = 0;
  for (let i = 0; i < m * n; i++) {
    const v = Math.abs(a[i]!);
    if (Number.isNaN(v)) return -4;
    if (v > anrm) anrm = v;
  }
  // scale A into a safe range (DLASCL) and back at the end
  const scaleTo = safeRangeTarget(anrm);
  if (scaleTo) for (let i = 0; i < m * n; i++) a[i] = (a[i]! / anrm) * scaleTo;
  const e = new Float64Array(minmn), tauq = new Float64Array(minmn), taup = new Float64Array(minmn);
  let info: number;
  if (m >= n) {
    if (m >= mnthr) {
      // Paths 1 and 4 (M >> N): QR first, then the bidiagonal SVD of R
      const tau = new Float64Array(n);
      geqr2(m, n, a, lda, tau);
      if (wantv) {
        for (let j = 0; j < n; j++) for (let i = j + 1; i < m; i++) u![i + j * m] = a[i + j * lda]!;
        org2r(m, m, n, u!, m, tau);
      }
      const r = new Float64Array(n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) r[i + j * n] = a[i + j * lda]!;
      gebd2(n, n, r, n, s, e, tauq, taup);
      const wu = wantv ? new Float64Array(n * n) : new Float64Array(0);
      info = bdsdc(false, wantv, n, s, e, wu, n, vt ?? new Float64Array(0), n, prec);
      if (wantv && info === 0) {
        applyBrdQ(n, n, r, n, tauq, wu, n, n);
        applyBrdPt(n, n, r, n, taup, vt!, n, n);
        const prod = new Float64Array(m * n);
        gemm(m, n, n, u!, 0, m, wu, 0, n, prod, 0, m);
        u!.set(prod.subarray(0, m * n), 0);
      }
    } else info = direct(m, n, a, s, e, tauq, taup, u, vt, prec);
  } else if (n >= mnthr) {
    // Paths 1t and 4t (N >> M): LQ first, then the bidiagonal SVD of L
    const tau = new Float64Array(m);
    gelq2(m, n, a, lda, tau);
    if (wantv) {
      for (let j = 0; j < n; j++) for (let i = 0; i < Math.min(j, m); i++) vt![i + j * n] = a[i + j * lda]!;
      orgl2(n, n, m, vt!, n, tau);
    }
    const l = new Float64Array(m * m);
    for (let j = 0; j < m; j++) for (let i = j; i < m; i++) l[i + j * m] = a[i + j * lda]!;
    gebd2(m, m, l, m, s, e, tauq, taup);
    const wvt = wantv ? new Float64Array(m * m) : new Float64Array(0);
    info = bdsdc(false, wantv, m, s, e, u ?? new Float64Array(0), m, wvt, m, prec);
    if (wantv && info === 0) {
      applyBrdQ(m, m, l, m, tauq, u!, m, m);
      applyBrdPt(m, m, l, m, taup, wvt, m, m);
      const prod = new Float64Array(m * n);
      gemm(m, n, m, wvt, 0, m, vt!, 0, n, prod, 0, m);
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) vt![i + j * n] = prod[i + j * m]!;
    }
  } else info = direct(m, n, a, s, e, tauq, taup, u, vt, prec);
  if (scaleTo) for (let i = 0; i < minmn; i++) s[i] = (s[i]! / scaleTo) * anrm;
  return info;
}

// ---------------------------------------------------------------- symmetric eigenproblem (dsyevd)

/**
 * Reduces the symmetric n x n a (its `upper` or lower triangle is read) to tridiagonal form
 * T = Q^T A Q (DSYTD2): d the diagonal, e the off-diagonal, the reflectors left in a and tau.
 */
function sytd2(upper: boolean, n: number, a: Float64Array, lda: number, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  // w := tau_i * A_sub * v, on the referenced triangle of the trailing/leading block (DSYMV)
  const symv = (o: number, len: number, t: number, v: Float64Array, w: Float64Array, wo: number): void => {
    for (let i = 0; i < len; i++) {
      let s = 0;
      for (let j = 0; j < len; j++) {
        const [r, c] = upper ? (i <= j ? [i, j] : [j, i]) : i >= j ? [i, j] : [j, i];
        s += a[o + r + c * lda]! * v[j]!;
      }
      w[wo + i] = t * s;
    }
  };
  if (upper) {
    for (let i = n - 2; i >= 0; i--) {
      // reflector H(i) annihilates A(0:i-1, i+1)
      const [beta, taui] = larfg(i + 1, a[i + (i + 1) * lda]!, a, (i + 1) * lda, 1);
      e[i] = beta;
      if (taui !== 0) {
        const v = new Float64Array(i + 1);
        for (let k = 0; k < i; k++) v[k] = a[k + (i + 1) * lda]!;
        v[i] = 1;
        symv(0, i + 1, taui, v, tau, 0);
        let dot = 0;
        for (let k = 0; k <= i; k++) dot += tau[k]! * v[k]!;
        const alpha = -0.5 * taui * dot;
        for (let k = 0; k <= i; k++) tau[k]! += alpha * v[k]!;
        // rank-2 update of the upper triangle of A(0:i, 0:i) (DSYR2)
        for (let c = 0; c <= i; c++) for (let r = 0; r <= c; r++) a[r + c * lda]! -= v[r]! * tau[c]! + tau[r]! * v[c]!;
      }
      a[i + (i + 1) * lda] = e[i]!;
      d[i + 1] = a[i + 1 + (i + 1) * lda]!;
      tau[i] = taui;
    }
    d[0] = a[0]!;
  } else {
    for (let i = 0; i < n - 1; i++) {
      // reflector H(i) annihilates A(i+2:n-1, i)
      const [beta, taui] = larfg(n - i - 1, a[i + 1 + i * lda]!, a, Math.min(i + 2, n - 1) + i * lda, 1);
      e[i] = beta;
      if (taui !== 0) {
        const len = n - i - 1, o = i + 1 + (i + 1) * lda;
        const v = reflector(len, a, i + 2 + i * lda, 1);
        symv(o, len, taui, v, tau, i);
        let dot = 0;
        for (let k = 0; k < len; k++) dot += tau[i + k]! * v[k]!;
        const alpha = -0.5 * taui * dot;
        for (let k = 0; k < len; k++) tau[i + k]! += alpha * v[k]!;
        for (let c = 0; c < len; c++) for (let r = c; r < len; r++) a[o + r + c * lda]! -= v[r]! * tau[i + c]! + tau[i + r]! * v[c]!;
      }
      a[i + 1 + i * lda] = e[i]!;
      d[i] = a[i + i * lda]!;
      tau[i] = taui;
    }
    d[n - 1] = a[n - 1 + (n - 1) * lda]!;
  }
}

/** Z := Q Z with Q the product of sytd2's reflectors (DORMTR 'L', uplo, 'N'); z is n x n. */
function applyTrdQ(upper: boolean, n: number, a: Float64Array, lda: number, tau: Float64Array, z: Float64Array, ldz: number): void {
  if (upper) {
    // Q = H(n-2) ... H(0), H(i) acting on rows 0..i (v(i) = 1, v(0:i-1) = A(0:i-1, i+1))
    for (let i = 0; i < n - 1; i++) {
      const v = new Float64Array(i + 1);
      for (let k = 0; k < i; k++) v[k] = a[k + (i + 1) * lda]!;
      v[i] = 1;
      larf('L', i + 1, n, v, tau[i]!, z, 0, ldz);
    }
  } else {
    // Q = H(0) ... H(n-2), H(i) acting on rows i+1..n-1
    for (let i = n - 2; i >= 0; i--) larf('L', n - i - 1, n, reflector(n - i - 1, a, i + 2 + i * lda, 1), tau[i]!, z, i + 1, ldz);
  }
}

/** Eigenvalues of [[a, b], [b, c]] and the rotation to its eigenvector (DLAEV2): [rt1, rt2, cs1, sn1]. */
function laev2(a: number, b: number, c: number): [number, number, number, number] {
  const sm = a + c, df = a - c, adf = Math.abs(df), tb = b + b, ab = Math.abs(tb);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) ** 2);
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) ** 2);
  else rt = ab * Math.SQRT2;
  let rt1: number, rt2: number, sgn1: number;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let cs: number, sgn2: number;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: number, sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) [cs1, sn1] = [-sn1, cs1];
  return [rt1, rt2, cs1, sn1];
}

/**
 * Eigenvalues (ascending, in d) and, when z is given, eigenvectors of the symmetric tridiagonal
 * (d, e) by implicit QL/QR (DSTEQR with COMPZ 'V': z, n x n, is postmultiplied by the rotations).
 * Returns LAPACK's info: 0, or the number of off-diagonals that failed to converge.
 */
export function steqr(n: number, d: Float64Array, e: Float64Array, z: Float64Array | null, ldz: number, prec: Prec): number {
  if (n <= 1) return 0;
  const eps = prec.eps, eps2 = eps * eps, safmin = prec.safmin;
  const safmax = 1 / safmin;
  const ssfmax = Math.sqrt(safmax) / 3, ssfmin = Math.sqrt(safmin) / eps2;
  const nmaxit = n * 30;
  let jtot = 0;
  const work = new Float64Array(2 * n);
  // 1-based accessors, as in the Fortran
  const D = (i: number) => d[i - 1]!;
  const E = (i: number) => e[i - 1]!;
  const scale = (from: number, to: number, l: number, lend: number): void => {
    for (let i = l; i <= lend; i++) d[i - 1] = (d[i - 1]! / from) * to;
    for (let i = l; i < lend; i++) e[i - 1] = (e[i - 1]! / from) * to;
  };
  let l1 = 1;
  const nm1 = n - 1;
  for (;;) {
    if (l1 > n) break;
    if (l1 > 1) e[l1 - 2] = 0;
    let m = n;
    for (let mm = l1; mm <= nm1; mm++) {
      const tst = Math.abs(E(mm));
      if (tst === 0) {
        m = mm;
        break;
      }
      if (tst <= Math.sqrt(Math.abs(D(mm))) * Math.sqrt(Math.abs(D(mm + 1))) * eps) {
        e[mm - 1] = 0;
        m = mm;
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;
    // scale the submatrix in rows and columns l to lend
    let anorm = 0;
    for (let i = l; i <= lend; i++) anorm = Math.max(anorm, Math.abs(D(i)));
    for (let i = l; i < lend; i++) anorm = Math.max(anorm, Math.abs(E(i)));
    if (Number.isNaN(anorm)) anorm = NaN;
    let iscale = 0;
    if (anorm === 0) continue;
    if (anorm > ssfmax) {
      iscale = 1;
      scale(anorm, ssfmax, l, lend);
    } else if (anorm < ssfmin) {
      iscale = 2;
      scale(anorm, ssfmin, l, lend);
    }
    // choose between QL and QR iteration
    if (Math.abs(D(lend)) < Math.abs(D(l))) {
      lend = lsv;
      l = lendsv;
    }
    if (lend > l) {
      // QL iteration: look for a small subdiagonal element
      for (;;) {
        let mm = lend;
        if (l !== lend) {
          for (let k = l; k <= lend - 1; k++) {
            const tst = Math.abs(E(k)) ** 2;
            if (tst <= eps2 * Math.abs(D(k)) * Math.abs(D(k + 1)) + safmin) {
              mm = k;
              break;
            }
          }
        }
        m = mm;
        if (m < lend) e[m - 1] = 0;
        let p = D(l);
        if (m === l) {
          d[l - 1] = p;
          l++;
          if (l <= lend) continue;
          break;
        }
        if (m === l + 1) {
          if (z) {
            const [rt1, rt2, c, s] = laev2(D(l), E(l), D(l + 1));
            work[l - 1] = c;
            work[n - 1 + l - 1] = s;
            lasr('R', 'B', n, 2, work, l - 1, work, n - 1 + l - 1, z, (l - 1) * ldz, ldz);
            d[l - 1] = rt1;
            d[l] = rt2;
          } else {
            const [rt1, rt2] = laev2(D(l), E(l), D(l + 1));
            d[l - 1] = rt1;
            d[l] = rt2;
          }
          e[l - 1] = 0;
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        // form shift
        let g = (D(l + 1) - p) / (2 * E(l));
        let r = lapy2(g, 1);
        g = D(m) - p + E(l) / (g + sign(r, g));
        let s = 1, c = 1;
        p = 0;
        for (let i = m - 1; i >= l; i--) {
          const f = s * E(i), b = c * E(i);
          [c, s, r] = lartg(g, f);
          if (i !== m - 1) e[i] = r;
          g = D(i + 1) - p;
          r = (D(i) - g) * s + 2 * c * b;
          p = s * r;
          d[i] = g + p;
          g = c * r - b;
          if (z) {
            work[i - 1] = c;
            work[n - 1 + i - 1] = -s;
          }
        }
        if (z) lasr('R', 'B', n, m - l + 1, work, l - 1, work, n - 1 + l - 1, z, (l - 1) * ldz, ldz);
        d[l - 1] = D(l) - p;
        e[l - 1] = g;
      }
    } else {
      // QR iteration: look for a small superdiagonal element
      for (;;) {
        let mm = lend;
        if (l !== lend) {
          for (let k = l; k >= lend + 1; k--) {
            const tst = Math.abs(E(k - 1)) ** 2;
            if (tst <= eps2 * Math.abs(D(k)) * Math.abs(D(k - 1)) + safmin) {
              mm = k;
              break;
            }
          }
        }
        m = mm;
        if (m > lend) e[m - 2] = 0;
        let p = D(l);
        if (m === l) {
          d[l - 1] = p;
          l--;
          if (l >= lend) continue;
          break;
        }
        if (m === l - 1) {
          if (z) {
            const [rt1, rt2, c, s] = laev2(D(l - 1), E(l - 1), D(l));
            work[m - 1] = c;
            work[n - 1 + m - 1] = s;
            lasr('R', 'F', n, 2, work, m - 1, work, n - 1 + m - 1, z, (l - 2) * ldz, ldz);
            d[l - 2] = rt1;
            d[l - 1] = rt2;
          } else {
            const [rt1, rt2] = laev2(D(l - 1), E(l - 1), D(l));
            d[l - 2] = rt1;
            d[l - 1] = rt2;
          }
          e[l - 2] = 0;
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        let g = (D(l - 1) - p) / (2 * E(l - 1));
        let r = lapy2(g, 1);
        g = D(m) - p + E(l - 1) / (g + sign(r, g));
        let s = 1, c = 1;
        p = 0;
        for (let i = m; i <= l - 1; i++) {
          const f = s * E(i), b = c * E(i);
          [c, s, r] = lartg(g, f);
          if (i !== m) e[i - 2] = r;
          g = D(i) - p;
          r = (D(i + 1) - g) * s + 2 * c * b;
          p = s * r;
          d[i - 1] = g + p;
          g = c * r - b;
          if (z) {
            work[i - 1] = c;
            work[n - 1 + i - 1] = s;
          }
        }
        if (z) lasr('R', 'F', n, l - m + 1, work, m - 1, work, n - 1 + m - 1, z, (m - 1) * ldz, ldz);
        d[l - 1] = D(l) - p;
        e[l - 2] = g;
      }
    }
    // undo scaling
    if (iscale === 1) scale(ssfmax, anorm, lsv, lendsv);
    else if (iscale === 2) scale(ssfmin, anorm, lsv, lendsv);
    if (jtot >= nmaxit) {
      let info = 0;
      for (let i = 0; i < n - 1; i++) if (e[i] !== 0) info++;
      return info;
    }
  }
  // ascending order by selection sort (vectors follow)
  for (let ii = 2; ii <= n; ii++) {
    const i = ii - 1;
    let k = i, p = D(i);
    for (let j = ii; j <= n; j++) if (D(j) < p) (k = j), (p = D(j));
    if (k !== i) {
      d[k - 1] = D(i);
      d[i - 1] = p;
      if (z) swapCols(n, z, i - 1, k - 1, ldz);
    }
  }
  return 0;
}

/**
 * Eigenvalues (ascending) of the symmetric n x n column-major a, reading its `upper` or lower
 * triangle, and with `z` its eigenvectors as z's columns (DSYEVD: tridiagonal reduction, then
 * QL/QR, DSTEQR, which DSTEDC uses for n <= 25). Returns LAPACK's info.
 */
export function syevd(upper: boolean, n: number, a: Float64Array, w: Float64Array, z: Float64Array | null, prec: Prec): number {
  if (n === 0) return 0;
  if (n === 1) {
    w[0] = a[0]!;
    if (z) z[0] = 1;
    return 0;
  }
  // scale into a safe range, as DSYEVD does
  let anrm = 0;
  for (let j = 0; j < n; j++) {
    for (let i = upper ? 0 : j; i <= (upper ? j : n - 1); i++) {
      const v = Math.abs(a[i + j * n]!);
      if (Number.isNaN(v)) anrm = NaN;
      else if (v > anrm) anrm = v;
    }
  }
  const smlnum = SAFMIN64 / ULP64, rmin = Math.sqrt(smlnum), rmax = Math.sqrt(1 / smlnum);
  let sigma = 1;
  if (anrm > 0 && anrm < rmin) sigma = rmin / anrm;
  else if (anrm > rmax) sigma = rmax / anrm;
  if (sigma !== 1) for (let i = 0; i < n * n; i++) a[i]! *= sigma;
  const e = new Float64Array(n - 1), tau = new Float64Array(n - 1);
  sytd2(upper, n, a, n, w, e, tau);
  let info: number;
  if (z) {
    z.fill(0);
    for (let i = 0; i < n; i++) z[i + i * n] = 1;
    info = steqr(n, w, e, z, n, prec);
    if (info === 0) applyTrdQ(upper, n, a, n, tau, z, n);
  } else info = steqr(n, w, e, null, n, prec);
  if (sigma !== 1) for (let i = 0; i < n; i++) w[i]! /= sigma;
  return info;
}

// ---------------------------------------------------------------- LU, Cholesky, triangular inverse

/**
 * A = P L U with partial pivoting (DGETRF): the m x n column-major a is overwritten with L
 * (unit diagonal, below) and U; ipiv[i] is the row swapped with row i (0-based). The pivot is
 * the first element of largest magnitude (IDAMAX). Returns LAPACK's info: 0, or the 1-based
 * index of the first exactly zero pivot (the factorization is still completed).
 */
export function getrf(m: number, n: number, a: Float64Array, lda: number, ipiv: Int32Array): number {
  let info = 0;
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    let p = j, best = -1;
    for (let i = j; i < m; i++) {
      const v = Math.abs(a[i + j * lda]!);
      if (v > best || (Number.isNaN(v) && best < 0)) {
        if (Number.isNaN(v) && best >= 0) continue;
        best = v;
        p = i;
      }
    }
    ipiv[j] = p;
    const piv = a[p + j * lda]!;
    if (piv !== 0) {
      if (p !== j) swapRows(n, a, p, j, lda);
      if (j < m - 1) {
        if (Math.abs(piv) >= SAFMIN64) {
          const r = 1 / piv;
          for (let i = j + 1; i < m; i++) a[i + j * lda]! *= r;
        } else for (let i = j + 1; i < m; i++) a[i + j * lda]! /= piv;
      }
    } else if (info === 0) info = j + 1;
    // rank-1 update of the trailing submatrix
    for (let c = j + 1; c < n; c++) {
      const u = a[j + c * lda]!;
      if (u !== 0) for (let i = j + 1; i < m; i++) a[i + c * lda]! -= a[i + j * lda]! * u;
    }
  }
  return info;
}

/**
 * Cholesky factor L (A = L L^T) of the n x n row-major b from its lower triangle, in place, by
 * LAPACK's recursive DPOTRF2: on failure (a non-positive or NaN pivot) the leading blocks stay
 * factored and the rest is left as that algorithm leaves it. Returns LAPACK's info.
 */
export function potrf2(n: number, b: Float64Array, off: number, ld: number): number {
  if (n === 0) return 0;
  if (n === 1) {
    const v = b[off]!;
    if (v <= 0 || Number.isNaN(v)) return 1;
    b[off] = Math.sqrt(v);
    return 0;
  }
  const n1 = Math.floor(n / 2), n2 = n - n1;
  const info = potrf2(n1, b, off, ld);
  if (info !== 0) return info;
  // A21 := A21 L11^-T (DTRSM 'R', 'L', 'T', 'N'), row by row
  const o21 = off + n1 * ld;
  for (let r = 0; r < n2; r++) {
    for (let c = 0; c < n1; c++) {
      let s = b[o21 + r * ld + c]!;
      for (let k = 0; k < c; k++) s -= b[o21 + r * ld + k]! * b[off + c * ld + k]!;
      b[o21 + r * ld + c] = s / b[off + c * ld + c]!;
    }
  }
  // A22 := A22 - A21 A21^T on the lower triangle (DSYRK)
  const o22 = off + n1 * ld + n1;
  for (let r = 0; r < n2; r++) {
    for (let c = 0; c <= r; c++) {
      let s = 0;
      for (let k = 0; k < n1; k++) s += b[o21 + r * ld + k]! * b[o21 + c * ld + k]!;
      b[o22 + r * ld + c]! -= s;
    }
  }
  const info2 = potrf2(n2, b, o22, ld);
  return info2 !== 0 ? info2 + n1 : 0;
}

/**
 * Inverse of the lower (or upper) triangle of the n x n row-major t, in place; the other
 * triangle is zeroed (DTRTRI, non-unit). Returns LAPACK's info: the 1-based index of the first
 * zero diagonal element (t is then left unchanged but for the zeroed triangle), or 0.
 */
export function trtri(upper: boolean, n: number, t: Float64Array, off: number): number {
  const at = (i: number, j: number) => off + (upper ? j * n + i : i * n + j); // lower-triangular view
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) t[at(i, j)] = 0;
  for (let i = 0; i < n; i++) if (t[at(i, i)] === 0) return i + 1;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) l[i * n + j] = t[at(i, j)]!;
  // X = L^-1 column by column: X(j, j) = 1 / L(j, j), then forward substitution below it
  for (let j = 0; j < n; j++) {
    t[at(j, j)] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * n + k]! * t[at(k, j)]!;
      t[at(i, j)] = -s / l[i * n + i]!;
    }
  }
  return 0;
}
