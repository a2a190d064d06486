// The nonsymmetric real eigenproblem as LAPACK 3.10's DGEEV solves it for MLX (which asks for the
// left eigenvectors of the transpose it sees, i.e. the conjugated right eigenvectors of a):
// balancing (DGEBAL), Hessenberg reduction (DGEHD2/DORGHR), the double-shift QR of DLAHQR (the
// routine DHSEQR uses for n <= 75), left eigenvectors of the quasi-triangular Schur form by
// substitution (DTREVC3's conventions: x(k) = 1 for a real eigenvalue, DLALN2-style solves of the
// 1x1 and 2x2 blocks), back-transformation and DGEEV's normalization (unit norm, the largest
// component real). Column-major, 0-based, as lapack.ts.
import { type Prec, cdiv, safeRangeTarget, larfg, larf, reflector, rot, lapy2, lartg, sign, nrm2, swapRows, swapCols } from './lapack.js';

/** The element access DGEBAL and ZGEBAL differ in; the balancing itself is the same. */
export interface Balanced {
  nonzero(i: number, j: number): boolean;
  /** swaps columns j and m over rows 0..l, and rows j and m over columns k..n-1 */
  swap(j: number, m: number, k: number, l: number): void;
  /** 2-norms of column i and of row i within rows/columns k..l */
  colNorm(i: number, k: number, l: number): number;
  rowNorm(i: number, k: number, l: number): number;
  /** magnitude of the largest (I?AMAX) element of column i over rows 0..l, and of row i over columns k..n-1 */
  colMax(i: number, l: number): number;
  rowMax(i: number, k: number): number;
  /** divides row i (columns k..n-1) by f and multiplies column i (rows 0..l) by f */
  rescale(i: number, f: number, k: number, l: number): void;
}

/** Balances a (permutations isolating eigenvalues, then power-of-2 scaling; DGEBAL/ZGEBAL 'B'): [ilo, ihi] 0-based. */
export function balance(n: number, a: Balanced, scale: Float64Array, prec: Prec): [number, number] {
  let k = 0, l = n - 1;
  const swap = (j: number, m: number): void => {
    scale[m] = j;
    if (j !== m) a.swap(j, m, k, l);
  };
  // rows isolating an eigenvalue go to the bottom
  rows: for (;;) {
    for (let j = l; j >= 0; j--) {
      let zero = true;
      for (let i = 0; i <= l; i++) if (i !== j && a.nonzero(j, i)) zero = false;
      if (zero) {
        swap(j, l);
        if (l === 0) return [k, l];
        l--;
        continue rows;
      }
    }
    break;
  }
  // columns isolating an eigenvalue go to the left
  cols: for (;;) {
    for (let j = k; j <= l; j++) {
      let zero = true;
      for (let i = k; i <= l; i++) if (i !== j && a.nonzero(i, j)) zero = false;
      if (zero) {
        swap(j, k);
        k++;
        continue cols;
      }
    }
    break;
  }
  for (let i = k; i <= l; i++) scale[i] = 1;
  // iterative scaling by powers of 2 until row and column norms balance
  const sclfac = 2, factor = 0.95;
  const sfmin1 = prec.safmin / (2 * prec.eps), sfmax1 = 1 / sfmin1;
  const sfmin2 = sfmin1 * sclfac, sfmax2 = 1 / sfmin2;
  let noconv = true;
  while (noconv) {
    noconv = false;
    for (let i = k; i <= l; i++) {
      let c = a.colNorm(i, k, l), r = a.rowNorm(i, k, l), ca = a.colMax(i, l), ra = a.rowMax(i, k);
      if (c === 0 || r === 0) continue;
      let g = r / sclfac, f = 1;
      const s = c + r;
      while (!(c >= g || Math.max(f, c, ca) >= sfmax2 || Math.min(r, g, ra) <= sfmin2)) {
        if (Number.isNaN(c + f + ca + r + g + ra)) return [k, l];
        f *= sclfac;
        c *= sclfac;
        ca *= sclfac;
        r /= sclfac;
        g /= sclfac;
        ra /= sclfac;
      }
      g = c / sclfac;
      while (!(g < r || Math.max(r, ra) >= sfmax2 || Math.min(f, c, g, ca) <= sfmin2)) {
        f /= sclfac;
        c /= sclfac;
        g /= sclfac;
        ca /= sclfac;
        r *= sclfac;
        ra *= sclfac;
      }
      if (c + r >= factor * s) continue;
      if (f < 1 && scale[i]! < 1 && f * scale[i]! <= sfmin1) continue;
      if (f > 1 && scale[i]! > 1 && scale[i]! >= sfmax1 / f) continue;
      scale[i]! *= f;
      noconv = true;
      a.rescale(i, f, k, l);
    }
  }
  return [k, l];
}

/** DGEBAL on the real column-major a. */
export function gebal(n: number, a: Float64Array, scale: Float64Array, prec: Prec): [number, number] {
  const at = (i: number, j: number) => i + j * n;
  const absMax = (from: number, count: number, stride: number) => {
    let best = -1;
    for (let t = 0; t < count; t++) best = Math.max(best, Math.abs(a[from + t * stride]!));
    return best;
  };
  return balance(
    n,
    {
      nonzero: (i, j) => a[at(i, j)] !== 0,
      swap: (j, m, k, l) => {
        swapCols(l + 1, a, j, m, n);
        for (let c = k; c < n; c++) [a[at(j, c)], a[at(m, c)]] = [a[at(m, c)]!, a[at(j, c)]!];
      },
      colNorm: (i, k, l) => nrm2(l - k + 1, a, at(k, i), 1),
      rowNorm: (i, k, l) => nrm2(l - k + 1, a, at(i, k), n),
      colMax: (i, l) => absMax(at(0, i), l + 1, 1),
      rowMax: (i, k) => absMax(at(i, k), n - k, n),
      rescale: (i, f, k, l) => {
        for (let t = k; t < n; t++) a[at(i, t)]! /= f;
        for (let t = 0; t <= l; t++) a[at(t, i)]! *= f;
      },
    },
    scale,
    prec,
  );
}

/** Reduces a to upper Hessenberg form Q^T A Q between ilo and ihi (DGEHD2): reflectors below the subdiagonal. */
export function gehd2(n: number, ilo: number, ihi: number, a: Float64Array, tau: Float64Array): void {
  for (let i = ilo; i < ihi; i++) {
    const [beta, t] = larfg(ihi - i, a[i + 1 + i * n]!, a, Math.min(i + 2, n - 1) + i * n, 1);
    tau[i] = t;
    const v = reflector(ihi - i, a, i + 2 + i * n, 1);
    larf('R', ihi + 1, ihi - i, v, t, a, (i + 1) * n, n);
    larf('L', ihi - i, n - i - 1, v, t, a, i + 1 + (i + 1) * n, n);
    a[i + 1 + i * n] = beta;
  }
}

/** Q = H(ilo) ... H(ihi - 1) from gehd2's reflectors (DORGHR). */
export function orghr(n: number, ilo: number, ihi: number, a: Float64Array, tau: Float64Array): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i + i * n] = 1;
  for (let i = ihi - 1; i >= ilo; i--) larf('L', ihi - i, n, reflector(ihi - i, a, i + 2 + i * n, 1), tau[i]!, q, i + 1, n);
  return q;
}

/**
 * Schur factorization of the real 2x2 [[a, b], [c, d]] in standard form (DLANV2): a rotation
 * making it upper triangular, or with equal diagonal and b*c < 0 (a complex pair).
 */
function lanv2(a0: number, b0: number, c0: number, d0: number, prec: Prec): { a: number; b: number; c: number; d: number; rt1r: number; rt1i: number; rt2r: number; rt2i: number; cs: number; sn: number } {
  let a = a0, b = b0, c = c0, d = d0, cs: number, sn: number;
  const eps = 2 * prec.eps, safmin = prec.safmin;
  const safmn2 = 2 ** Math.trunc(Math.log(safmin / eps) / Math.log(2) / 2);
  const safmx2 = 1 / safmn2;
  if (c === 0) {
    cs = 1;
    sn = 0;
  } else if (b === 0) {
    cs = 0;
    sn = 1;
    [a, d] = [d, a];
    b = -c;
    c = 0;
  } else if (a - d === 0 && sign(1, b) !== sign(1, c)) {
    cs = 1;
    sn = 0;
  } else {
    let temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c);
    let scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= 4 * eps) {
      // real eigenvalues
      z = p + sign(Math.sqrt(scale) * Math.sqrt(z), p);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = lapy2(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // complex or nearly equal real eigenvalues: make the diagonal equal
      let count = 0;
      let sigma = b + c;
      for (;;) {
        count++;
        scale = Math.max(Math.abs(temp), Math.abs(sigma));
        if (scale >= safmx2) {
          sigma *= safmn2;
          temp *= safmn2;
          if (count <= 20) continue;
        }
        if (scale <= safmn2) {
          sigma *= safmx2;
          temp *= safmx2;
          if (count <= 20) continue;
        }
        break;
      }
      p = 0.5 * temp;
      let tau = lapy2(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * sign(1, sigma);
      const aa = a * cs + b * sn, bb = -a * sn + b * cs, cc = c * cs + d * sn, dd = -c * sn + d * cs;
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      temp = 0.5 * (a + d);
      a = temp;
      d = temp;
      if (c !== 0) {
        if (b !== 0) {
          if (sign(1, b) === sign(1, c)) {
            // real eigenvalues: reduce to upper triangular form
            const sab = Math.sqrt(Math.abs(b)), sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            tau = 1 / Math.sqrt(Math.abs(b + c));
            a = temp + p;
            d = temp - p;
            b = b - c;
            c = 0;
            const cs1 = sab * tau, sn1 = sac * tau;
            temp = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = temp;
          }
        } else {
          b = -c;
          c = 0;
          temp = cs;
          cs = -sn;
          sn = temp;
        }
      }
    }
  }
  const rt1r = a, rt2r = d;
  let rt1i = 0, rt2i = 0;
  if (c !== 0) {
    rt1i = Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
    rt2i = -rt1i;
  }
  return { a, b, c, d, rt1r, rt1i, rt2r, rt2i, cs, sn };
}

/**
 * The deflation test of DLAHQR and ZLAHQR (1-based rows, Ahues and Tisseur's criterion): the
 * largest k in (l, i] whose subdiagonal element h(k, k-1) is negligible, or l. `mag` is the
 * element magnitude the routine uses (|.|, or |re| + |im|), `subRe` that of a real subdiagonal
 * element, `diagGap(k)` that of h(k-1, k-1) - h(k, k).
 */
export function negligibleSubdiagonal(
  i: number, l: number, ilo: number, ihi: number,
  mag: (r: number, c: number) => number, subRe: (r: number, c: number) => number, diagGap: (k: number) => number,
  smlnum: number, ulp: number,
): number {
  let k: number;
  for (k = i; k >= l + 1; k--) {
    if (mag(k, k - 1) <= smlnum) break;
    let tst = mag(k - 1, k - 1) + mag(k, k);
    if (tst === 0) {
      if (k - 2 >= ilo) tst += subRe(k - 1, k - 2);
      if (k + 1 <= ihi) tst += subRe(k + 1, k);
    }
    if (subRe(k, k - 1) <= ulp * tst) {
      const ab = Math.max(mag(k, k - 1), mag(k - 1, k));
      const ba = Math.min(mag(k, k - 1), mag(k - 1, k));
      const aa = Math.max(mag(k, k), diagGap(k));
      const bb = Math.min(mag(k, k), diagGap(k));
      const s = aa + ab;
      if (ba * (ab / s) <= Math.max(smlnum, ulp * (bb * (aa / s)))) break;
    }
  }
  return k;
}

/**
 * The iteration of DLAHQR and ZLAHQR over the active rows ilo..ihi (1-based): split the matrix at
 * its last negligible subdiagonal element, take QR steps on the unreduced block l..i until its
 * bottom `block` rows (2 for real Schur forms, 1 for complex ones) split off, record their
 * eigenvalues, go on above. Returns LAPACK's info: 0, or the row where 30 * max(10, nh) steps
 * did not converge.
 */
export function hessenbergQr(
  ilo: number, ihi: number, block: number, prec: Prec,
  mag: (r: number, c: number) => number, subRe: (r: number, c: number) => number, diagGap: (k: number) => number,
  zero: (l: number) => void, step: (i: number, l: number, kdefl: number, ulp: number) => void, deflate: (i: number, l: number) => void,
): number {
  const nh = ihi - ilo + 1;
  const ulp = 2 * prec.eps, smlnum = prec.safmin * (nh / ulp);
  const itmax = 30 * Math.max(10, nh);
  let i = ihi;
  while (i >= ilo) {
    let l = ilo, converged = false;
    for (let its = 0, kdefl = 0; its <= itmax && !converged; its++) {
      l = negligibleSubdiagonal(i, l, ilo, ihi, mag, subRe, diagGap, smlnum, ulp);
      if (l > ilo) zero(l);
      if (l >= i - (block - 1)) converged = true;
      else step(i, l, ++kdefl, ulp);
    }
    if (!converged) return i;
    deflate(i, l);
    i = l - 1;
  }
  return 0;
}

/**
 * Eigenvalues of the upper Hessenberg h (rows/columns ilo..ihi active) by the double-shift QR
 * algorithm (DLAHQR); with `wantt` h becomes the quasi-triangular Schur form T, with z (n x n)
 * the Schur vectors are accumulated. Returns LAPACK's info (0, or the 1-based row where the
 * iteration failed).
 */
export function lahqr(wantt: boolean, n: number, ilo: number, ihi: number, h: Float64Array, wr: Float64Array, wi: Float64Array, z: Float64Array | null, prec: Prec): number {
  const H = (i: number, j: number) => h[i - 1 + (j - 1) * n]!; // 1-based, as the Fortran
  const setH = (i: number, j: number, v: number) => (h[i - 1 + (j - 1) * n] = v);
  const ILO = ilo + 1, IHI = ihi + 1;
  if (ILO === IHI) {
    wr[ILO - 1] = H(ILO, ILO);
    wi[ILO - 1] = 0;
    return 0;
  }
  for (let j = ILO; j <= IHI - 3; j++) {
    setH(j + 2, j, 0);
    setH(j + 3, j, 0);
  }
  if (ILO <= IHI - 2) setH(IHI, IHI - 2, 0);
  const v = new Float64Array(3);
  // one QR step on the unreduced rows l..i
  const step = (i: number, l: number, kdefl: number, ulp: number): void => {
    const i1 = wantt ? 1 : l, i2 = wantt ? n : i;
    let h11: number, h12: number, h21: number, h22: number;
    if (kdefl % 20 === 0) {
      // exceptional shift
      const s = Math.abs(H(i, i - 1)) + Math.abs(H(i - 1, i - 2));
      h11 = 0.75 * s + H(i, i);
      h12 = -0.4375 * s;
      h21 = s;
      h22 = h11;
    } else if (kdefl % 10 === 0) {
      const s = Math.abs(H(l + 1, l)) + Math.abs(H(l + 2, l + 1));
      h11 = 0.75 * s + H(l, l);
      h12 = -0.4375 * s;
      h21 = s;
      h22 = h11;
    } else {
      h11 = H(i - 1, i - 1);
      h21 = H(i, i - 1);
      h12 = H(i - 1, i);
      h22 = H(i, i);
    }
    let s = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
    let rt1r: number, rt1i: number, rt2r: number, rt2i: number;
    if (s === 0) {
      rt1r = rt1i = rt2r = rt2i = 0;
    } else {
      h11 /= s;
      h21 /= s;
      h12 /= s;
      h22 /= s;
      const tr = (h11 + h22) / 2;
      const det = (h11 - tr) * (h22 - tr) - h12 * h21;
      const rtdisc = Math.sqrt(Math.abs(det));
      if (det >= 0) {
        rt1r = tr * s;
        rt2r = rt1r;
        rt1i = rtdisc * s;
        rt2i = -rt1i;
      } else {
        rt1r = tr + rtdisc;
        rt2r = tr - rtdisc;
        if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
          rt1r *= s;
          rt2r = rt1r;
        } else {
          rt2r *= s;
          rt1r = rt2r;
        }
        rt1i = rt2i = 0;
      }
    }
    // look for two consecutive small subdiagonal elements
    let m: number;
    for (m = i - 2; m >= l; m--) {
      let h21s = H(m + 1, m);
      s = Math.abs(H(m, m) - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
      h21s = H(m + 1, m) / s;
      v[0] = h21s * H(m, m + 1) + (H(m, m) - rt1r) * ((H(m, m) - rt2r) / s) - rt1i * (rt2i / s);
      v[1] = h21s * (H(m, m) + H(m + 1, m + 1) - rt1r - rt2r);
      v[2] = h21s * H(m + 2, m + 1);
      s = Math.abs(v[0]!) + Math.abs(v[1]!) + Math.abs(v[2]!);
      v[0]! /= s;
      v[1]! /= s;
      v[2]! /= s;
      if (m === l) break;
      const h00 = Math.abs(H(m, m - 1)) * (Math.abs(v[1]!) + Math.abs(v[2]!));
      const h01 = ulp * Math.abs(v[0]!) * (Math.abs(H(m - 1, m - 1)) + Math.abs(H(m, m)) + Math.abs(H(m + 1, m + 1)));
      if (h00 <= h01) break;
    }
    // double-shift QR step
    for (let kk = m; kk <= i - 1; kk++) {
      const nr = Math.min(3, i - kk + 1);
      if (kk > m) for (let t = 0; t < nr; t++) v[t] = H(kk + t, kk - 1);
      const [beta, t1] = larfg(nr, v[0]!, v, 1, 1);
      v[0] = beta;
      if (kk > m) {
        setH(kk, kk - 1, v[0]!);
        setH(kk + 1, kk - 1, 0);
        if (kk < i - 1) setH(kk + 2, kk - 1, 0);
      } else if (m > l) {
        setH(kk, kk - 1, H(kk, kk - 1) * (1 - t1));
      }
      const v2 = v[1]!, t2 = t1 * v2;
      if (nr === 3) {
        const v3 = v[2]!, t3 = t1 * v3;
        for (let j = kk; j <= i2; j++) {
          const sum = H(kk, j) + v2 * H(kk + 1, j) + v3 * H(kk + 2, j);
          setH(kk, j, H(kk, j) - sum * t1);
          setH(kk + 1, j, H(kk + 1, j) - sum * t2);
          setH(kk + 2, j, H(kk + 2, j) - sum * t3);
        }
        for (let j = i1; j <= Math.min(kk + 3, i); j++) {
          const sum = H(j, kk) + v2 * H(j, kk + 1) + v3 * H(j, kk + 2);
          setH(j, kk, H(j, kk) - sum * t1);
          setH(j, kk + 1, H(j, kk + 1) - sum * t2);
          setH(j, kk + 2, H(j, kk + 2) - sum * t3);
        }
        if (z) {
          for (let j = ILO; j <= IHI; j++) {
            const p = j - 1;
            const sum = z[p + (kk - 1) * n]! + v2 * z[p + kk * n]! + v3 * z[p + (kk + 1) * n]!;
            z[p + (kk - 1) * n]! -= sum * t1;
            z[p + kk * n]! -= sum * t2;
            z[p + (kk + 1) * n]! -= sum * t3;
          }
        }
      } else if (nr === 2) {
        for (let j = kk; j <= i2; j++) {
          const sum = H(kk, j) + v2 * H(kk + 1, j);
          setH(kk, j, H(kk, j) - sum * t1);
          setH(kk + 1, j, H(kk + 1, j) - sum * t2);
        }
        for (let j = i1; j <= i; j++) {
          const sum = H(j, kk) + v2 * H(j, kk + 1);
          setH(j, kk, H(j, kk) - sum * t1);
          setH(j, kk + 1, H(j, kk + 1) - sum * t2);
        }
        if (z) {
          for (let j = ILO; j <= IHI; j++) {
            const p = j - 1;
            const sum = z[p + (kk - 1) * n]! + v2 * z[p + kk * n]!;
            z[p + (kk - 1) * n]! -= sum * t1;
            z[p + kk * n]! -= sum * t2;
          }
        }
      }
    }
  };
  // rows l..i split off: record their eigenvalues
  const deflate = (i: number, l: number): void => {
    const i1 = 1, i2 = n; // the rotations of a 2x2 block touch h only with wantt
    if (l === i) {
      wr[i - 1] = H(i, i);
      wi[i - 1] = 0;
    } else if (l === i - 1) {
      // a 2x2 block: standardize it
      const r = lanv2(H(i - 1, i - 1), H(i - 1, i), H(i, i - 1), H(i, i), prec);
      setH(i - 1, i - 1, r.a);
      setH(i - 1, i, r.b);
      setH(i, i - 1, r.c);
      setH(i, i, r.d);
      wr[i - 2] = r.rt1r;
      wi[i - 2] = r.rt1i;
      wr[i - 1] = r.rt2r;
      wi[i - 1] = r.rt2i;
      if (wantt) {
        if (i2 > i) rot(i2 - i, h, i - 2 + i * n, i - 1 + i * n, n, r.cs, r.sn);
        rot(i - i1 - 1, h, i1 - 1 + (i - 2) * n, i1 - 1 + (i - 1) * n, 1, r.cs, r.sn);
      }
      if (z) rot(IHI - ILO + 1, z, ILO - 1 + (i - 2) * n, ILO - 1 + (i - 1) * n, 1, r.cs, r.sn);
    }
  };
  return hessenbergQr(ILO, IHI, 2, prec, (r, c) => Math.abs(H(r, c)), (r, c) => Math.abs(H(r, c)), (r) => Math.abs(H(r - 1, r - 1) - H(r, r)), (l) => setH(l, l - 1, 0), step, deflate);
}

/**
 * Solves the 1x1 or (transposed) 2x2 block system (B^T - mu I) x = rhs for complex mu and rhs
 * with complete pivoting, perturbing pivots below smin to smin (DLALN2's safeguard).
 */
function solveBlock(t: Float64Array, n: number, j: number, size: number, mur: number, mui: number, rr: number[], ri: number[], smin: number): [number[], number[]] {
  if (size === 1) {
    let cr = t[j + j * n]! - mur, ci = -mui;
    if (Math.abs(cr) + Math.abs(ci) < smin) {
      cr = smin;
      ci = 0;
    }
    const [xr, xi] = cdiv(rr[0]!, ri[0]!, cr, ci);
    return [[xr], [xi]];
  }
  // C = B^T - mu I for the block at (j, j)
  const cre = [t[j + j * n]! - mur, t[j + (j + 1) * n]!, t[j + 1 + j * n]!, t[j + 1 + (j + 1) * n]! - mur]; // c11 c21 c12 c22 (transposed)
  const cim = [-mui, 0, 0, -mui];
  // rows/cols of C as [[c11, c12], [c21, c22]] with c21 = B(j, j+1), c12 = B(j+1, j)
  const C = [
    [cre[0]!, cim[0]!, cre[2]!, cim[2]!],
    [cre[1]!, cim[1]!, cre[3]!, cim[3]!],
  ];
  let pr = 0, pc = 0, best = -1;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      const v = Math.abs(C[r]![2 * c]!) + Math.abs(C[r]![2 * c + 1]!);
      if (v > best) (best = v), (pr = r), (pc = c);
    }
  }
  if (best < smin) return [rr.map((x) => x / smin), ri.map((x) => x / smin)];
  const or = 1 - pr, oc = 1 - pc;
  const u11: [number, number] = [C[pr]![2 * pc]!, C[pr]![2 * pc + 1]!];
  const u12: [number, number] = [C[pr]![2 * oc]!, C[pr]![2 * oc + 1]!];
  const c21: [number, number] = [C[or]![2 * pc]!, C[or]![2 * pc + 1]!];
  const c22: [number, number] = [C[or]![2 * oc]!, C[or]![2 * oc + 1]!];
  const l21 = cdiv(c21[0], c21[1], u11[0], u11[1]);
  let u22: [number, number] = [c22[0] - (l21[0] * u12[0] - l21[1] * u12[1]), c22[1] - (l21[0] * u12[1] + l21[1] * u12[0])];
  if (Math.abs(u22[0]) + Math.abs(u22[1]) < smin) u22 = [smin, 0];
  const b1: [number, number] = [rr[pr]!, ri[pr]!], b2: [number, number] = [rr[or]!, ri[or]!];
  const b2p: [number, number] = [b2[0] - (l21[0] * b1[0] - l21[1] * b1[1]), b2[1] - (l21[0] * b1[1] + l21[1] * b1[0])];
  const x2 = cdiv(b2p[0], b2p[1], u22[0], u22[1]);
  const rem: [number, number] = [b1[0] - (u12[0] * x2[0] - u12[1] * x2[1]), b1[1] - (u12[0] * x2[1] + u12[1] * x2[0])];
  const x1 = cdiv(rem[0], rem[1], u11[0], u11[1]);
  const xr = [0, 0], xi = [0, 0];
  xr[pc] = x1[0];
  xi[pc] = x1[1];
  xr[oc] = x2[0];
  xi[oc] = x2[1];
  return [xr, xi];
}

/**
 * The eigenvalues (w: re, im interleaved) and, with v, the right eigenvectors of a, where x is
 * a's transpose (row-major a read column-major, as MLX hands it to LAPACK): DGEEV's left
 * eigenvectors of x, conjugated. v receives a row-major n x n complex matrix whose columns are
 * the eigenvectors. Returns LAPACK's info.
 */
export function geev(n: number, x: Float64Array, w: Float64Array, v: Float64Array | null, prec: Prec): number {
  // scale into a safe range (DGEEV)
  let anrm = 0;
  for (let i = 0; i < n * n; i++) anrm = Math.max(anrm, Math.abs(x[i]!));
  const cscale = safeRangeTarget(anrm);
  if (cscale) for (let i = 0; i < n * n; i++) x[i] = (x[i]! / anrm) * cscale;
  const scale = new Float64Array(n);
  const [ilo, ihi] = gebal(n, x, scale, prec);
  const tau = new Float64Array(n);
  gehd2(n, ilo, ihi, x, tau);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  const z = v ? orghr(n, ilo, ihi, x, tau) : null;
  // eigenvalues isolated by the balancing
  for (let i = 0; i < ilo; i++) wr[i] = x[i + i * n]!;
  for (let i = ihi + 1; i < n; i++) wr[i] = x[i + i * n]!;
  const info = lahqr(v !== null, n, ilo, ihi, x, wr, wi, z, prec);
  if (info !== 0) return info;
  if (cscale) for (let i = 0; i < n; i++) (wr[i] = (wr[i]! / cscale) * anrm), (wi[i] = (wi[i]! / cscale) * anrm);
  for (let i = 0; i < n; i++) {
    w[2 * i] = wr[i]!;
    w[2 * i + 1] = wi[i]!;
  }
  if (!v) return 0;
  for (let j = 0; j < n - 2; j++) for (let i = j + 2; i < n; i++) x[i + j * n] = 0;
  // left eigenvectors of the quasi-triangular T (x), by substitution, back-transformed by z
  const vl = new Float64Array(n * n);
  const ulp = 2 * prec.eps, smlnumT = prec.safmin * (n / ulp);
  const t = x;
  for (let ki = 0; ki < n; ki++) {
    const pair = ki < n - 1 && t[ki + 1 + ki * n] !== 0;
    const wrk = t[ki + ki * n]!;
    const wik = pair ? Math.sqrt(Math.abs(t[ki + (ki + 1) * n]!)) * Math.sqrt(Math.abs(t[ki + 1 + ki * n]!)) : 0;
    const smin = Math.max(ulp * (Math.abs(wrk) + Math.abs(wik)), smlnumT);
    // y^T (T - mu I) = 0 with mu = wr - i wi (the conjugate eigenvalue): y is the left eigenvector
    const yr = new Array<number>(n).fill(0), yi = new Array<number>(n).fill(0);
    let start: number;
    if (!pair) {
      yr[ki] = 1;
      start = ki + 1;
    } else {
      if (Math.abs(t[ki + (ki + 1) * n]!) >= Math.abs(t[ki + 1 + ki * n]!)) {
        yr[ki] = wik / t[ki + (ki + 1) * n]!;
        yi[ki + 1] = 1;
      } else {
        yr[ki] = 1;
        yi[ki + 1] = -wik / t[ki + 1 + ki * n]!;
      }
      start = ki + 2;
    }
    for (let j = start; j < n; ) {
      const size = j < n - 1 && t[j + 1 + j * n] !== 0 ? 2 : 1;
      const rr: number[] = [], ri: number[] = [];
      for (let q = 0; q < size; q++) {
        let sr = 0, si = 0;
        for (let k = ki; k < j; k++) {
          sr += t[k + (j + q) * n]! * yr[k]!;
          si += t[k + (j + q) * n]! * yi[k]!;
        }
        rr.push(-sr);
        ri.push(-si);
      }
      const [xr, xi] = solveBlock(t, n, j, size, wrk, -wik, rr, ri, smin);
      for (let q = 0; q < size; q++) {
        yr[j + q] = xr[q]!;
        yi[j + q] = xi[q]!;
      }
      j += size;
    }
    for (let r = 0; r < n; r++) {
      let sr = 0, si = 0;
      for (let k = ki; k < n; k++) {
        sr += z![r + k * n]! * yr[k]!;
        si += z![r + k * n]! * yi[k]!;
      }
      vl[r + ki * n] = sr;
      if (pair) vl[r + (ki + 1) * n] = si;
    }
    if (pair) ki++;
  }
  // undo the balancing (DGEBAK 'B', 'L')
  if (ilo !== ihi) for (let i = ilo; i <= ihi; i++) for (let j = 0; j < n; j++) vl[i + j * n]! /= scale[i]!;
  for (let ii = 0; ii < n; ii++) {
    let i = ii;
    if (i >= ilo && i <= ihi) continue;
    if (i < ilo) i = ilo - 1 - ii;
    const k = scale[i]!;
    if (k !== i) swapRows(n, vl, i, k, n);
  }
  // unit norm, the largest component real (DGEEV); MLX conjugates the left vectors of its pairs
  v.fill(0);
  for (let i = 0; i < n; i++) {
    if (wi[i] === 0) {
      const scl = 1 / nrm2(n, vl, i * n, 1);
      for (let r = 0; r < n; r++) v[2 * (r * n + i)] = vl[r + i * n]! * scl;
    } else if (wi[i]! > 0) {
      const scl = 1 / lapy2(nrm2(n, vl, i * n, 1), nrm2(n, vl, (i + 1) * n, 1));
      for (let r = 0; r < n; r++) {
        vl[r + i * n]! *= scl;
        vl[r + (i + 1) * n]! *= scl;
      }
      let kmax = 0, best = -1;
      for (let r = 0; r < n; r++) {
        const m2 = vl[r + i * n]! ** 2 + vl[r + (i + 1) * n]! ** 2;
        if (m2 > best) (best = m2), (kmax = r);
      }
      const [cs, sn] = lartg(vl[kmax + i * n]!, vl[kmax + (i + 1) * n]!);
      rot(n, vl, i * n, (i + 1) * n, 1, cs, sn);
      vl[kmax + (i + 1) * n] = 0;
      for (let r = 0; r < n; r++) {
        const re = vl[r + i * n]!, im = vl[r + (i + 1) * n]!;
        v[2 * (r * n + i)] = re;
        v[2 * (r * n + i) + 1] = -im;
        v[2 * (r * n + i + 1)] = re;
        v[2 * (r * n + i + 1) + 1] = im;
      }
      i++;
    }
  }
  return 0;
}
