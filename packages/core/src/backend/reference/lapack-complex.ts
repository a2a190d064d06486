// complex64 versions of the SVD, Hermitian and general eigenproblems, ported from LAPACK 3.10's
// ZGESDD (its bidiagonal paths 6/6t: the real bidiagonal goes through the same DBDSDC as the real
// SVD), ZHEEVD (ZHETD2, then the real tridiagonal QL/QR) and ZGEEV (ZGEBAL, ZGEHD2, ZLAHQR, left
// eigenvectors by substitution as ZTREVC3). Complex matrices are interleaved (re, im) doubles,
// column-major, element (i, j) at 2 * (i + j * ld).
import { type Prec, SAFMIN64, ULP64, cdiv, safeRangeTarget, lapy2, sign, tinyScalings, bdsdc as bdsdcReal, steqr as steqrReal } from './lapack.js';
import { balance, hessenbergQr } from './lapack-eig.js';

// ---------------------------------------------------------------- complex scalars

/** Principal square root (branch cut on the negative real axis, signed zeros respected). */
function csqrt(re: number, im: number): [number, number] {
  if (re === 0 && im === 0) return [0, im];
  const m = lapy2(re, im);
  if (re >= 0) {
    const t = Math.sqrt(0.5 * (m + re));
    return [t, im / (2 * t)];
  }
  const t = Math.sqrt(0.5 * (m - re));
  return [Math.abs(im) / (2 * t), sign(t, im)];
}

const cabs1 = (a: Float64Array, p: number): number => Math.abs(a[p]!) + Math.abs(a[p + 1]!);

/** 2-norm of n complex elements from element `off`, stride `inc` (DZNRM2). */
function znrm2(n: number, x: Float64Array, off: number, inc: number): number {
  let scale = 0, ssq = 1;
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < 2; l++) {
      const v = x[2 * (off + i * inc) + l]!;
      if (v !== 0) {
        const a = Math.abs(v);
        if (scale < a) {
          ssq = 1 + ssq * (scale / a) ** 2;
          scale = a;
        } else ssq += (a / scale) ** 2;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Complex Householder reflector H = I - tau [1; v] [1; v]^H with H^H [alpha; x] = [beta; 0],
 * beta real (ZLARFG): x (n - 1 elements from element `off`, stride `inc`) becomes v.
 * Returns [beta, tau_re, tau_im].
 */
function zlarfg(n: number, ar: number, ai: number, x: Float64Array, off: number, inc: number): [number, number, number] {
  if (n <= 0) return [ar, 0, 0];
  let xnorm = znrm2(n - 1, x, off, inc);
  if (xnorm === 0 && ai === 0) return [ar, 0, 0];
  const lapy3 = (p: number, q: number, r: number) => {
    const w = Math.max(Math.abs(p), Math.abs(q), Math.abs(r));
    return w === 0 ? Math.abs(p) + Math.abs(q) + Math.abs(r) : w * Math.sqrt((p / w) ** 2 + (q / w) ** 2 + (r / w) ** 2);
  };
  let beta = -sign(lapy3(ar, ai, xnorm), ar);
  const safmin = SAFMIN64 / (2 ** -53);
  const knt = tinyScalings(beta, safmin);
  if (knt) {
    for (let j = 0; j < knt; j++) {
      for (let i = 0; i < 2 * (n - 1); i++) x[2 * off + 2 * inc * (i >> 1) + (i & 1)]! /= safmin;
      ar /= safmin;
      ai /= safmin;
    }
    xnorm = znrm2(n - 1, x, off, inc);
    beta = -sign(lapy3(ar, ai, xnorm), ar);
  }
  const tr = (beta - ar) / beta, ti = -ai / beta;
  const [sr, si] = cdiv(1, 0, ar - beta, ai);
  for (let i = 0; i < n - 1; i++) {
    const p = 2 * (off + i * inc);
    const xr = x[p]!, xi = x[p + 1]!;
    x[p] = xr * sr - xi * si;
    x[p + 1] = xr * si + xi * sr;
  }
  for (let j = 0; j < knt; j++) beta *= safmin;
  return [beta, tr, ti];
}

/** The reflector vector [1; x] (n elements) read from element `off` with stride `inc`, conjugated when asked. */
function zreflector(n: number, a: Float64Array, off: number, inc: number, conj = false): Float64Array {
  const v = new Float64Array(2 * n);
  v[0] = 1;
  for (let i = 1; i < n; i++) {
    v[2 * i] = a[2 * (off + (i - 1) * inc)]!;
    v[2 * i + 1] = (conj ? -1 : 1) * a[2 * (off + (i - 1) * inc) + 1]!;
  }
  return v;
}

/** C := (I - tau v v^H) C (side 'L', C m x n from element `off`) or C := C (I - tau v v^H) (ZLARF). */
function zlarf(side: 'L' | 'R', m: number, n: number, v: Float64Array, tr: number, ti: number, c: Float64Array, off: number, ld: number): void {
  if (tr === 0 && ti === 0) return;
  if (side === 'L') {
    for (let j = 0; j < n; j++) {
      // w = v^H c_j, then c_j -= tau v w
      let wr = 0, wi = 0;
      for (let i = 0; i < m; i++) {
        const p = 2 * (off + i + j * ld);
        wr += v[2 * i]! * c[p]! + v[2 * i + 1]! * c[p + 1]!;
        wi += v[2 * i]! * c[p + 1]! - v[2 * i + 1]! * c[p]!;
      }
      const sr = tr * wr - ti * wi, si = tr * wi + ti * wr;
      for (let i = 0; i < m; i++) {
        const p = 2 * (off + i + j * ld);
        c[p]! -= v[2 * i]! * sr - v[2 * i + 1]! * si;
        c[p + 1]! -= v[2 * i]! * si + v[2 * i + 1]! * sr;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      // w = row_i v, then row_i -= tau w v^H
      let wr = 0, wi = 0;
      for (let j = 0; j < n; j++) {
        const p = 2 * (off + i + j * ld);
        wr += c[p]! * v[2 * j]! - c[p + 1]! * v[2 * j + 1]!;
        wi += c[p]! * v[2 * j + 1]! + c[p + 1]! * v[2 * j]!;
      }
      const sr = tr * wr - ti * wi, si = tr * wi + ti * wr;
      for (let j = 0; j < n; j++) {
        const p = 2 * (off + i + j * ld);
        // (sr + i si) * conj(v_j)
        c[p]! -= sr * v[2 * j]! + si * v[2 * j + 1]!;
        c[p + 1]! -= si * v[2 * j]! - sr * v[2 * j + 1]!;
      }
    }
  }
}

/** Conjugates n elements from element `off` with stride `inc` (ZLACGV). */
function zlacgv(n: number, a: Float64Array, off: number, inc: number): void {
  for (let i = 0; i < n; i++) a[2 * (off + i * inc) + 1] = -a[2 * (off + i * inc) + 1]!;
}

// ---------------------------------------------------------------- SVD

/** Reduces a to real bidiagonal form B = Q^H A P (ZGEBD2): upper if m >= n, lower otherwise. */
function zgebd2(m: number, n: number, a: Float64Array, lda: number, d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array): void {
  const at = (i: number, j: number) => i + j * lda;
  const set = (i: number, j: number, re: number) => ((a[2 * at(i, j)] = re), (a[2 * at(i, j) + 1] = 0));
  if (m >= n) {
    for (let i = 0; i < n; i++) {
      const [b, tr, ti] = zlarfg(m - i, a[2 * at(i, i)]!, a[2 * at(i, i) + 1]!, a, at(Math.min(i + 1, m - 1), i), 1);
      d[i] = b;
      tauq[2 * i] = tr;
      tauq[2 * i + 1] = ti;
      if (i < n - 1) zlarf('L', m - i, n - i - 1, zreflector(m - i, a, at(i + 1, i), 1), tr, -ti, a, at(i, i + 1), lda);
      set(i, i, b);
      if (i < n - 1) {
        zlacgv(n - i - 1, a, at(i, i + 1), lda);
        const [b2, pr, pi] = zlarfg(n - i - 1, a[2 * at(i, i + 1)]!, a[2 * at(i, i + 1) + 1]!, a, at(i, Math.min(i + 2, n - 1)), lda);
        e[i] = b2;
        taup[2 * i] = pr;
        taup[2 * i + 1] = pi;
        zlarf('R', m - i - 1, n - i - 1, zreflector(n - i - 1, a, at(i, i + 2), lda), pr, pi, a, at(i + 1, i + 1), lda);
        zlacgv(n - i - 1, a, at(i, i + 1), lda);
        set(i, i + 1, b2);
      } else taup[2 * i] = taup[2 * i + 1] = 0;
    }
  } else {
    for (let i = 0; i < m; i++) {
      zlacgv(n - i, a, at(i, i), lda);
      const [b, pr, pi] = zlarfg(n - i, a[2 * at(i, i)]!, a[2 * at(i, i) + 1]!, a, at(i, Math.min(i + 1, n - 1)), lda);
      d[i] = b;
      taup[2 * i] = pr;
      taup[2 * i + 1] = pi;
      if (i < m - 1) zlarf('R', m - i - 1, n - i, zreflector(n - i, a, at(i, i + 1), lda), pr, pi, a, at(i + 1, i), lda);
      zlacgv(n - i, a, at(i, i), lda);
      set(i, i, b);
      if (i < m - 1) {
        const [b2, tr, ti] = zlarfg(m - i - 1, a[2 * at(i + 1, i)]!, a[2 * at(i + 1, i) + 1]!, a, at(Math.min(i + 2, m - 1), i), 1);
        e[i] = b2;
        tauq[2 * i] = tr;
        tauq[2 * i + 1] = ti;
        zlarf('L', m - i - 1, n - i - 1, zreflector(m - i - 1, a, at(i + 2, i), 1), tr, -ti, a, at(i + 1, i + 1), lda);
        set(i + 1, i, b2);
      } else tauq[2 * i] = tauq[2 * i + 1] = 0;
    }
  }
}

/**
 * The SVD A = U diag(s) VT of the complex m x n column-major a (overwritten) as ZGESDD's paths
 * 6/6t compute it (bidiagonalization without a QR/LQ first), JOBZ 'A' (u m x m, vt n x n,
 * complex) or 'N' (null). Returns LAPACK's info.
 */
export function zgesdd(m: number, n: number, a: Float64Array, s: Float64Array, u: Float64Array | null, vt: Float64Array | null, prec: Prec): number {
  const minmn = Math.min(m, n);
  if (minmn === 0) return 0;
  let anrm = 0;
  for (let i = 0; i < m * n; i++) {
    const v = lapy2(a[2 * i]!, a[2 * i + 1]!);
    if (Number.isNaN(v)) return -4;
    anrm = Math.max(anrm, v);
  }
  const scaleTo = safeRangeTarget(anrm);
  if (scaleTo) for (let i = 0; i < 2 * m * n; i++) a[i] = (a[i]! / anrm) * scaleTo;
  const e = new Float64Array(minmn), tauq = new Float64Array(2 * minmn), taup = new Float64Array(2 * minmn);
  zgebd2(m, n, a, m, s, e, tauq, taup);
  const lower = m < n;
  let info: number;
  if (!u || !vt) info = bdsdcReal(lower, false, minmn, s, e, new Float64Array(0), 1, new Float64Array(0), 1, prec);
  else {
    const ru = new Float64Array(minmn * minmn), rvt = new Float64Array(minmn * minmn);
    info = bdsdcReal(lower, true, minmn, s, e, ru, minmn, rvt, minmn, prec);
    // U = Q [RU 0; 0 I], VT = [RVT 0; 0 I] P^H
    u.fill(0);
    vt.fill(0);
    for (let j = 0; j < minmn; j++) for (let i = 0; i < minmn; i++) u[2 * (i + j * m)] = ru[i + j * minmn]!;
    for (let i = minmn; i < m; i++) u[2 * (i + i * m)] = 1;
    for (let j = 0; j < minmn; j++) for (let i = 0; i < minmn; i++) vt[2 * (i + j * n)] = rvt[i + j * minmn]!;
    for (let i = minmn; i < n; i++) vt[2 * (i + i * n)] = 1;
    // Q = H(1) ... H(k): apply the last first
    const qShift = m >= n ? 0 : 1, qCount = m >= n ? minmn : m - 1;
    for (let i = qCount - 1; i >= 0; i--) {
      const r0 = i + qShift, len = m - r0;
      zlarf('L', len, m, zreflector(len, a, r0 + 1 + i * m, 1), tauq[2 * i]!, tauq[2 * i + 1]!, u, r0, m);
    }
    // P = G(1) ... G(k) with the reflectors stored conjugated; VT P^H applies G(k)^H first
    const pShift = m >= n ? 1 : 0, pCount = m >= n ? n - 1 : minmn;
    for (let i = pCount - 1; i >= 0; i--) {
      const c0 = i + pShift, len = n - c0;
      zlarf('R', n, len, zreflector(len, a, i + (c0 + 1) * m, m, true), taup[2 * i]!, -taup[2 * i + 1]!, vt, c0 * n, n);
    }
  }
  if (scaleTo) for (let i = 0; i < minmn; i++) s[i] = (s[i]! / scaleTo) * anrm;
  return info;
}

// ---------------------------------------------------------------- Hermitian eigenproblem

/** Reduces the Hermitian a (its upper or lower triangle) to real tridiagonal form (ZHETD2). */
function zhetd2(upper: boolean, n: number, a: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  const at = (i: number, j: number) => 2 * (i + j * n);
  // element (i, j) of the Hermitian matrix the referenced triangle stands for
  const herm = (i: number, j: number): [number, number] => {
    if (i === j) return [a[at(i, i)]!, 0]; // the diagonal of a Hermitian matrix is real
    const inside = upper ? i <= j : i >= j;
    if (inside) return [a[at(i, j)]!, a[at(i, j) + 1]!];
    return [a[at(j, i)]!, -a[at(j, i) + 1]!];
  };
  /** tau_i * H_sub v into w (ZHEMV), then w += alpha v with alpha = -tau_i/2 (w^H v) (ZDOTC, ZAXPY), then the rank-2 update (ZHER2) */
  const update = (o: number, len: number, tr: number, ti: number, v: Float64Array, w: Float64Array, wo: number): void => {
    for (let i = 0; i < len; i++) {
      let sr = 0, si = 0;
      for (let j = 0; j < len; j++) {
        const [hr, hi] = herm(o + i, o + j);
        sr += hr * v[2 * j]! - hi * v[2 * j + 1]!;
        si += hr * v[2 * j + 1]! + hi * v[2 * j]!;
      }
      w[2 * (wo + i)] = tr * sr - ti * si;
      w[2 * (wo + i) + 1] = tr * si + ti * sr;
    }
    let dr = 0, di = 0; // w^H v
    for (let k = 0; k < len; k++) {
      const wr = w[2 * (wo + k)]!, wi = w[2 * (wo + k) + 1]!;
      dr += wr * v[2 * k]! + wi * v[2 * k + 1]!;
      di += wr * v[2 * k + 1]! - wi * v[2 * k]!;
    }
    const ar = -0.5 * (tr * dr - ti * di), ai = -0.5 * (tr * di + ti * dr);
    for (let k = 0; k < len; k++) {
      w[2 * (wo + k)]! += ar * v[2 * k]! - ai * v[2 * k + 1]!;
      w[2 * (wo + k) + 1]! += ar * v[2 * k + 1]! + ai * v[2 * k]!;
    }
    // A := A - v w^H - w v^H on the referenced triangle
    for (let j = 0; j < len; j++) {
      for (let i = upper ? 0 : j; i <= (upper ? j : len - 1); i++) {
        const vr = v[2 * i]!, vi = v[2 * i + 1]!, wr = w[2 * (wo + i)]!, wi = w[2 * (wo + i) + 1]!;
        const vjr = v[2 * j]!, vji = v[2 * j + 1]!, wjr = w[2 * (wo + j)]!, wji = w[2 * (wo + j) + 1]!;
        const p = at(o + i, o + j);
        a[p]! -= vr * wjr + vi * wji + (wr * vjr + wi * vji);
        a[p + 1]! -= vi * wjr - vr * wji + (wi * vjr - wr * vji);
      }
      const q = at(o + j, o + j);
      a[q + 1] = 0;
    }
  };
  if (upper) {
    a[at(n - 1, n - 1) + 1] = 0;
    for (let i = n - 2; i >= 0; i--) {
      const [beta, tr, ti] = zlarfg(i + 1, a[at(i, i + 1)]!, a[at(i, i + 1) + 1]!, a, (i + 1) * n, 1);
      e[i] = beta;
      if (tr !== 0 || ti !== 0) {
        const v = new Float64Array(2 * (i + 1));
        for (let k = 0; k < i; k++) {
          v[2 * k] = a[at(k, i + 1)]!;
          v[2 * k + 1] = a[at(k, i + 1) + 1]!;
        }
        v[2 * i] = 1;
        update(0, i + 1, tr, ti, v, tau, 0);
      } else a[at(i, i) + 1] = 0;
      a[at(i, i + 1)] = beta;
      a[at(i, i + 1) + 1] = 0;
      d[i + 1] = a[at(i + 1, i + 1)]!;
      tau[2 * i] = tr;
      tau[2 * i + 1] = ti;
    }
    d[0] = a[0]!;
  } else {
    a[1] = 0;
    for (let i = 0; i < n - 1; i++) {
      const [beta, tr, ti] = zlarfg(n - i - 1, a[at(i + 1, i)]!, a[at(i + 1, i) + 1]!, a, Math.min(i + 2, n - 1) + i * n, 1);
      e[i] = beta;
      if (tr !== 0 || ti !== 0) {
        const v = zreflector(n - i - 1, a, i + 2 + i * n, 1);
        update(i + 1, n - i - 1, tr, ti, v, tau, i);
      } else a[at(i + 1, i + 1) + 1] = 0;
      a[at(i + 1, i)] = beta;
      a[at(i + 1, i) + 1] = 0;
      d[i] = a[at(i, i)]!;
      tau[2 * i] = tr;
      tau[2 * i + 1] = ti;
    }
    d[n - 1] = a[at(n - 1, n - 1)]!;
  }
}

/**
 * Eigenvalues (ascending) and, with z, eigenvectors of a Hermitian matrix as MLX gets them: x is
 * a's row-major buffer read column-major (a's transpose, the conjugate of the Hermitian matrix)
 * and `upper` LAPACK's triangle of x. z receives the eigenvectors of a as columns (ZHEEVD's of x,
 * conjugated, as MLX does), complex column-major. Returns LAPACK's info.
 */
export function zheevd(upper: boolean, n: number, x: Float64Array, w: Float64Array, z: Float64Array | null, prec: Prec): number {
  if (n === 0) return 0;
  if (n === 1) {
    w[0] = x[0]!;
    if (z) (z[0] = 1), (z[1] = 0);
    return 0;
  }
  let anrm = 0;
  for (let j = 0; j < n; j++) for (let i = upper ? 0 : j; i <= (upper ? j : n - 1); i++) anrm = Math.max(anrm, lapy2(x[2 * (i + j * n)]!, x[2 * (i + j * n) + 1]!));
  const smlnum = SAFMIN64 / ULP64, rmin = Math.sqrt(smlnum), rmax = Math.sqrt(1 / smlnum);
  let sigma = 1;
  if (anrm > 0 && anrm < rmin) sigma = rmin / anrm;
  else if (anrm > rmax) sigma = rmax / anrm;
  if (sigma !== 1) for (let i = 0; i < 2 * n * n; i++) x[i]! *= sigma;
  const e = new Float64Array(n - 1), tau = new Float64Array(2 * (n - 1));
  zhetd2(upper, n, x, w, e, tau);
  let info: number;
  if (z) {
    const zr = new Float64Array(n * n);
    for (let i = 0; i < n; i++) zr[i + i * n] = 1;
    info = steqrReal(n, w, e, zr, n, prec);
    z.fill(0);
    for (let i = 0; i < n * n; i++) z[2 * i] = zr[i]!;
    if (info === 0) {
      // Z := Q Z (ZUNMTR 'L', uplo, 'N')
      if (upper) {
        for (let i = 0; i < n - 1; i++) {
          const v = new Float64Array(2 * (i + 1));
          for (let k = 0; k < i; k++) (v[2 * k] = x[2 * (k + (i + 1) * n)]!), (v[2 * k + 1] = x[2 * (k + (i + 1) * n) + 1]!);
          v[2 * i] = 1;
          zlarf('L', i + 1, n, v, tau[2 * i]!, tau[2 * i + 1]!, z, 0, n);
        }
      } else {
        for (let i = n - 2; i >= 0; i--) zlarf('L', n - i - 1, n, zreflector(n - i - 1, x, i + 2 + i * n, 1), tau[2 * i]!, tau[2 * i + 1]!, z, i + 1, n);
      }
      for (let i = 0; i < n * n; i++) z[2 * i + 1] = -z[2 * i + 1]!;
    }
  } else info = steqrReal(n, w, e, null, n, prec);
  if (sigma !== 1) for (let i = 0; i < n; i++) w[i]! /= sigma;
  return info;
}

// ---------------------------------------------------------------- general eigenproblem

/** ZGEBAL on the complex column-major a: DGEBAL's balancing with complex elements. */
function zgebal(n: number, a: Float64Array, scale: Float64Array, prec: Prec): [number, number] {
  const at = (i: number, j: number) => 2 * (i + j * n);
  /** |element| of the first element of largest |re| + |im| (IZAMAX), as ZGEBAL measures it */
  const absOfMax = (from: number, count: number, stride: number) => {
    let best = -1, p = from;
    for (let t = 0; t < count; t++) {
      const q = from + 2 * t * stride;
      if (cabs1(a, q) > best) (best = cabs1(a, q)), (p = q);
    }
    return lapy2(a[p]!, a[p + 1]!);
  };
  const swapEl = (p: number, q: number) => {
    for (let r = 0; r < 2; r++) [a[p + r], a[q + r]] = [a[q + r]!, a[p + r]!];
  };
  return balance(
    n,
    {
      nonzero: (i, j) => a[at(i, j)] !== 0 || a[at(i, j) + 1] !== 0,
      swap: (j, m, k, l) => {
        for (let i = 0; i <= l; i++) swapEl(at(i, j), at(i, m));
        for (let c = k; c < n; c++) swapEl(at(j, c), at(m, c));
      },
      colNorm: (i, k, l) => znrm2(l - k + 1, a, k + i * n, 1),
      rowNorm: (i, k, l) => znrm2(l - k + 1, a, i + k * n, n),
      colMax: (i, l) => absOfMax(at(0, i), l + 1, 1),
      rowMax: (i, k) => absOfMax(at(i, k), n - k, n),
      rescale: (i, f, k, l) => {
        for (let t = k; t < n; t++) (a[at(i, t)]! /= f), (a[at(i, t) + 1]! /= f);
        for (let t = 0; t <= l; t++) (a[at(t, i)]! *= f), (a[at(t, i) + 1]! *= f);
      },
    },
    scale,
    prec,
  );
}

/** Scales n elements from element `off` (stride inc) by the complex (sr + i si). */
function zscal(n: number, sr: number, si: number, a: Float64Array, off: number, inc: number): void {
  for (let i = 0; i < n; i++) {
    const p = 2 * (off + i * inc);
    const re = a[p]!, im = a[p + 1]!;
    a[p] = re * sr - im * si;
    a[p + 1] = re * si + im * sr;
  }
}

/**
 * Eigenvalues w (interleaved) of the complex upper Hessenberg h by the single-shift QR algorithm
 * (ZLAHQR, active rows ilo..ihi); with `wantt` h becomes the Schur form, z accumulates.
 */
function zlahqr(wantt: boolean, n: number, ilo: number, ihi: number, h: Float64Array, w: Float64Array, z: Float64Array | null, prec: Prec): number {
  const P = (i: number, j: number) => 2 * (i - 1 + (j - 1) * n); // 1-based
  const re = (i: number, j: number) => h[P(i, j)]!;
  const im = (i: number, j: number) => h[P(i, j) + 1]!;
  const cab = (i: number, j: number) => Math.abs(re(i, j)) + Math.abs(im(i, j));
  const setH = (i: number, j: number, r: number, m: number) => ((h[P(i, j)] = r), (h[P(i, j) + 1] = m));
  const ILO = ilo + 1, IHI = ihi + 1;
  if (ILO === IHI) {
    w[2 * (ILO - 1)] = re(ILO, ILO);
    w[2 * (ILO - 1) + 1] = im(ILO, ILO);
    return 0;
  }
  for (let j = ILO; j <= IHI - 3; j++) {
    setH(j + 2, j, 0, 0);
    setH(j + 3, j, 0, 0);
  }
  if (ILO <= IHI - 2) setH(IHI, IHI - 2, 0, 0);
  const jlo = wantt ? 1 : ILO, jhi = wantt ? n : IHI;
  const nzc = IHI - ILO + 1;
  // make the subdiagonal real
  for (let i = ILO + 1; i <= IHI; i++) {
    if (im(i, i - 1) !== 0) {
      const c1 = cab(i, i - 1);
      let scr = re(i, i - 1) / c1, sci = im(i, i - 1) / c1;
      const m = lapy2(scr, sci);
      [scr, sci] = [scr / m, -sci / m]; // conj(sc) / |sc|
      setH(i, i - 1, lapy2(re(i, i - 1), im(i, i - 1)), 0);
      zscal(jhi - i + 1, scr, sci, h, i - 1 + (i - 1) * n, n);
      zscal(Math.min(jhi, i + 1) - jlo + 1, scr, -sci, h, jlo - 1 + (i - 1) * n, 1);
      if (z) zscal(nzc, scr, -sci, z, ILO - 1 + (i - 1) * n, 1);
    }
  }
  const v = new Float64Array(4);
  // one QR step on the unreduced rows l..i
  const step = (i: number, l: number, kdefl: number, ulp: number): void => {
    const i1 = wantt ? 1 : l, i2 = wantt ? n : i;
    let tr: number, ti: number;
    if (kdefl % 20 === 0) {
      const s = 0.75 * Math.abs(re(i, i - 1));
      tr = s + re(i, i);
      ti = im(i, i);
    } else if (kdefl % 10 === 0) {
      const s = 0.75 * Math.abs(re(l + 1, l));
      tr = s + re(l, l);
      ti = im(l, l);
    } else {
      // Wilkinson's shift
      tr = re(i, i);
      ti = im(i, i);
      const [s1r, s1i] = csqrt(re(i - 1, i), im(i - 1, i));
      const [s2r, s2i] = csqrt(re(i, i - 1), im(i, i - 1));
      const ur = s1r * s2r - s1i * s2i, ui = s1r * s2i + s1i * s2r;
      let s = Math.abs(ur) + Math.abs(ui);
      if (s !== 0) {
        const xr = 0.5 * (re(i - 1, i - 1) - tr), xi = 0.5 * (im(i - 1, i - 1) - ti);
        const sx = Math.abs(xr) + Math.abs(xi);
        s = Math.max(s, sx);
        // y = s * sqrt((x/s)^2 + (u/s)^2)
        const qxr = xr / s, qxi = xi / s, qur = ur / s, qui = ui / s;
        const [yr0, yi0] = csqrt(qxr * qxr - qxi * qxi + qur * qur - qui * qui, 2 * qxr * qxi + 2 * qur * qui);
        let yr = s * yr0, yi = s * yi0;
        if (sx > 0 && (xr / sx) * yr + (xi / sx) * yi < 0) (yr = -yr), (yi = -yi);
        const [qr, qi] = cdiv(ur, ui, xr + yr, xi + yi);
        tr -= ur * qr - ui * qi;
        ti -= ur * qi + ui * qr;
      }
    }
    // look for two consecutive small subdiagonal elements
    let m: number;
    let h11sr = 0, h11si = 0, h21 = 0;
    for (m = i - 1; m >= l + 1; m--) {
      const h11r = re(m, m), h11i = im(m, m), h22r = re(m + 1, m + 1), h22i = im(m + 1, m + 1);
      h11sr = h11r - tr;
      h11si = h11i - ti;
      h21 = re(m + 1, m);
      const s = Math.abs(h11sr) + Math.abs(h11si) + Math.abs(h21);
      h11sr /= s;
      h11si /= s;
      h21 /= s;
      const h10 = re(m, m - 1);
      if (Math.abs(h10) * Math.abs(h21) <= ulp * ((Math.abs(h11sr) + Math.abs(h11si)) * (Math.abs(h11r) + Math.abs(h11i) + Math.abs(h22r) + Math.abs(h22i)))) break;
    }
    if (m === l) {
      h11sr = re(l, l) - tr;
      h11si = im(l, l) - ti;
      h21 = re(l + 1, l);
      const s = Math.abs(h11sr) + Math.abs(h11si) + Math.abs(h21);
      h11sr /= s;
      h11si /= s;
      h21 /= s;
    }
    v[0] = h11sr;
    v[1] = h11si;
    v[2] = h21;
    v[3] = 0;
    // single-shift QR step
    for (let k2 = m; k2 <= i - 1; k2++) {
      if (k2 > m) {
        v[0] = re(k2, k2 - 1);
        v[1] = im(k2, k2 - 1);
        v[2] = re(k2 + 1, k2 - 1);
        v[3] = im(k2 + 1, k2 - 1);
      }
      const [beta, t1r, t1i] = zlarfg(2, v[0]!, v[1]!, v, 1, 1);
      v[0] = beta;
      v[1] = 0;
      if (k2 > m) {
        setH(k2, k2 - 1, beta, 0);
        setH(k2 + 1, k2 - 1, 0, 0);
      }
      const v2r = v[2]!, v2i = v[3]!;
      const t2 = t1r * v2r - t1i * v2i;
      for (let j = k2; j <= i2; j++) {
        // sum = conj(t1) h(k, j) + t2 h(k+1, j)
        const sr = t1r * re(k2, j) + t1i * im(k2, j) + t2 * re(k2 + 1, j);
        const si = t1r * im(k2, j) - t1i * re(k2, j) + t2 * im(k2 + 1, j);
        setH(k2, j, re(k2, j) - sr, im(k2, j) - si);
        setH(k2 + 1, j, re(k2 + 1, j) - (sr * v2r - si * v2i), im(k2 + 1, j) - (sr * v2i + si * v2r));
      }
      for (let j = i1; j <= Math.min(k2 + 2, i); j++) {
        // sum = t1 h(j, k) + t2 h(j, k+1)
        const sr = t1r * re(j, k2) - t1i * im(j, k2) + t2 * re(j, k2 + 1);
        const si = t1r * im(j, k2) + t1i * re(j, k2) + t2 * im(j, k2 + 1);
        setH(j, k2, re(j, k2) - sr, im(j, k2) - si);
        setH(j, k2 + 1, re(j, k2 + 1) - (sr * v2r + si * v2i), im(j, k2 + 1) - (si * v2r - sr * v2i));
      }
      if (z) {
        for (let j = ILO; j <= IHI; j++) {
          const pa = 2 * (j - 1 + (k2 - 1) * n), pb = 2 * (j - 1 + k2 * n);
          const sr = t1r * z[pa]! - t1i * z[pa + 1]! + t2 * z[pb]!;
          const si = t1r * z[pa + 1]! + t1i * z[pa]! + t2 * z[pb + 1]!;
          z[pa]! -= sr;
          z[pa + 1]! -= si;
          z[pb]! -= sr * v2r + si * v2i;
          z[pb + 1]! -= si * v2r - sr * v2i;
        }
      }
      if (k2 === m && m > l) {
        // extra scaling keeping the subdiagonal real
        let tmr = 1 - t1r, tmi = -t1i;
        const tm = lapy2(tmr, tmi);
        tmr /= tm;
        tmi /= tm;
        const a1r = re(m + 1, m), a1i = im(m + 1, m);
        setH(m + 1, m, a1r * tmr + a1i * tmi, a1i * tmr - a1r * tmi);
        if (m + 2 <= i) {
          const b1r = re(m + 2, m + 1), b1i = im(m + 2, m + 1);
          setH(m + 2, m + 1, b1r * tmr - b1i * tmi, b1r * tmi + b1i * tmr);
        }
        for (let j = m; j <= i; j++) {
          if (j !== m + 1) {
            if (i2 > j) zscal(i2 - j, tmr, tmi, h, j - 1 + j * n, n);
            zscal(j - i1, tmr, -tmi, h, i1 - 1 + (j - 1) * n, 1);
            if (z) zscal(nzc, tmr, -tmi, z, ILO - 1 + (j - 1) * n, 1);
          }
        }
      }
    }
    // make h(i, i-1) real
    const tpr = re(i, i - 1), tpi = im(i, i - 1);
    if (tpi !== 0) {
      const rt = lapy2(tpr, tpi);
      setH(i, i - 1, rt, 0);
      const cr = tpr / rt, ci = tpi / rt;
      if (i2 > i) zscal(i2 - i, cr, -ci, h, i - 1 + i * n, n);
      zscal(i - i1, cr, ci, h, i1 - 1 + (i - 1) * n, 1);
      if (z) zscal(nzc, cr, ci, z, ILO - 1 + (i - 1) * n, 1);
    }
  };
  // rows l..i split off: record their eigenvalues
  const deflate = (i: number, l: number): void => {
    w[2 * (i - 1)] = re(i, i);
    w[2 * (i - 1) + 1] = im(i, i);
  };
  return hessenbergQr(ILO, IHI, 1, prec, cab, (r, c) => Math.abs(re(r, c)), (r) => Math.abs(re(r - 1, r - 1) - re(r, r)) + Math.abs(im(r - 1, r - 1) - im(r, r)), (l) => setH(l, l - 1, 0, 0), step, deflate);
}

/**
 * Eigenvalues (w, interleaved) and right eigenvectors of the complex a, from x = a's row-major
 * buffer read column-major (a's transpose): ZGEEV's left eigenvectors of x, conjugated (MLX
 * returns them unconjugated, which are not eigenvectors of a). v receives a row-major n x n
 * complex matrix whose columns are the eigenvectors. Returns LAPACK's info.
 */
export function zgeev(n: number, x: Float64Array, w: Float64Array, v: Float64Array | null, prec: Prec): number {
  let anrm = 0;
  for (let i = 0; i < n * n; i++) anrm = Math.max(anrm, lapy2(x[2 * i]!, x[2 * i + 1]!));
  const cscale = safeRangeTarget(anrm);
  if (cscale) for (let i = 0; i < 2 * n * n; i++) x[i] = (x[i]! / anrm) * cscale;
  const scale = new Float64Array(n);
  const [ilo, ihi] = zgebal(n, x, scale, prec);
  // Hessenberg reduction (ZGEHD2) and its Q (ZUNGHR)
  const tau = new Float64Array(2 * n);
  for (let i = ilo; i < ihi; i++) {
    const p = 2 * (i + 1 + i * n);
    const [beta, tr, ti] = zlarfg(ihi - i, x[p]!, x[p + 1]!, x, Math.min(i + 2, n - 1) + i * n, 1);
    tau[2 * i] = tr;
    tau[2 * i + 1] = ti;
    const vv = zreflector(ihi - i, x, i + 2 + i * n, 1);
    zlarf('R', ihi + 1, ihi - i, vv, tr, ti, x, (i + 1) * n, n);
    zlarf('L', ihi - i, n - i - 1, vv, tr, -ti, x, i + 1 + (i + 1) * n, n);
    x[p] = beta;
    x[p + 1] = 0;
  }
  let z: Float64Array | null = null;
  if (v) {
    z = new Float64Array(2 * n * n);
    for (let i = 0; i < n; i++) z[2 * (i + i * n)] = 1;
    for (let i = ihi - 1; i >= ilo; i--) zlarf('L', ihi - i, n, zreflector(ihi - i, x, i + 2 + i * n, 1), tau[2 * i]!, tau[2 * i + 1]!, z, i + 1, n);
  }
  for (let i = 0; i < n; i++) if (i < ilo || i > ihi) (w[2 * i] = x[2 * (i + i * n)]!), (w[2 * i + 1] = x[2 * (i + i * n) + 1]!);
  const info = zlahqr(v !== null, n, ilo, ihi, x, w, z, prec);
  if (info !== 0) return info;
  if (cscale) for (let i = 0; i < 2 * n; i++) w[i] = (w[i]! / cscale) * anrm;
  if (!v) return 0;
  // left eigenvectors u of the triangular T: u^H T = lambda u^H, u(ki) = 1, by substitution
  const ulp = 2 * prec.eps, smlnumT = prec.safmin * (n / ulp);
  const vl = new Float64Array(2 * n * n);
  const T = (i: number, j: number) => 2 * (i + j * n);
  for (let ki = 0; ki < n; ki++) {
    const lr = x[T(ki, ki)]!, li = x[T(ki, ki) + 1]!;
    const smin = Math.max(ulp * (Math.abs(lr) + Math.abs(li)), smlnumT);
    const ur = new Array<number>(n).fill(0), ui = new Array<number>(n).fill(0);
    ur[ki] = 1;
    for (let j = ki + 1; j < n; j++) {
      // sum_k conj(T(k, j)) u(k) over ki <= k < j, then divide by conj(T(j, j) - lambda)
      let sr = 0, si = 0;
      for (let k = ki; k < j; k++) {
        const tr = x[T(k, j)]!, ti = -x[T(k, j) + 1]!;
        sr += tr * ur[k]! - ti * ui[k]!;
        si += tr * ui[k]! + ti * ur[k]!;
      }
      let dr = x[T(j, j)]! - lr, di = x[T(j, j) + 1]! - li;
      if (Math.abs(dr) + Math.abs(di) < smin) (dr = smin), (di = 0);
      const [qr, qi] = cdiv(-sr, -si, dr, -di);
      ur[j] = qr;
      ui[j] = qi;
    }
    for (let r = 0; r < n; r++) {
      let sr = 0, si = 0;
      for (let k = ki; k < n; k++) {
        const zr = z![2 * (r + k * n)]!, zi = z![2 * (r + k * n) + 1]!;
        sr += zr * ur[k]! - zi * ui[k]!;
        si += zr * ui[k]! + zi * ur[k]!;
      }
      vl[2 * (r + ki * n)] = sr;
      vl[2 * (r + ki * n) + 1] = si;
    }
  }
  // undo the balancing (ZGEBAK 'B', 'L')
  if (ilo !== ihi) for (let i = ilo; i <= ihi; i++) for (let j = 0; j < n; j++) (vl[2 * (i + j * n)]! /= scale[i]!), (vl[2 * (i + j * n) + 1]! /= scale[i]!);
  for (let ii = 0; ii < n; ii++) {
    let i = ii;
    if (i >= ilo && i <= ihi) continue;
    if (i < ilo) i = ilo - 1 - ii;
    const k = scale[i]!;
    if (k !== i) for (let j = 0; j < n; j++) for (let q = 0; q < 2; q++) [vl[2 * (i + j * n) + q], vl[2 * (k + j * n) + q]] = [vl[2 * (k + j * n) + q]!, vl[2 * (i + j * n) + q]!];
  }
  // unit norm, the largest component real and positive (ZGEEV); conjugated into right eigenvectors
  for (let i = 0; i < n; i++) {
    const scl = 1 / znrm2(n, vl, i * n, 1);
    let kmax = 0, best = -1;
    for (let r = 0; r < n; r++) {
      const p = 2 * (r + i * n);
      vl[p]! *= scl;
      vl[p + 1]! *= scl;
      const m2 = vl[p]! ** 2 + vl[p + 1]! ** 2;
      if (m2 > best) (best = m2), (kmax = r);
    }
    const pk = 2 * (kmax + i * n), mk = Math.sqrt(best);
    const cr = vl[pk]! / mk, ci = -vl[pk + 1]! / mk;
    zscal(n, cr, ci, vl, i * n, 1);
    vl[pk + 1] = 0;
    for (let r = 0; r < n; r++) {
      v[2 * (r * n + i)] = vl[2 * (r + i * n)]!;
      v[2 * (r * n + i) + 1] = -vl[2 * (r + i * n) + 1]!;
    }
  }
  return 0;
}
