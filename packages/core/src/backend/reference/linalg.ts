// Kernels of the mx.linalg primitives: each matrix of the batch is read into doubles, factored
// by the LAPACK ports in lapack.ts the way MLX's CPU backend calls LAPACK (MLX hands LAPACK its
// row-major buffer as a column-major one, i.e. the transpose, for SVD, Inverse, Cholesky and
// Eigh, and a column-major copy for QRF and LUF), and written back rounded to the output dtype.
// Failures raise MLX's messages at evaluation.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import { complex64, float32, type Dtype } from '../../dtype.js';
import { numberReader } from '../../elements.js';
import { shapeSize } from '../../shape.js';
import { F32, F64, gesdd, geqr2, org2r, getrf, potrf2, trtri, syevd, type Prec } from './lapack.js';
import { geev } from './lapack-eig.js';
import { zgesdd, zheevd, zgeev } from './lapack-complex.js';

const precOf = (d: Dtype): Prec => (d === float32 || d === complex64 ? F32 : F64);

/** Number of matrices and their rows and columns. */
function dims(x: ArrayData): { count: number; m: number; n: number } {
  const nd = x.shape.length;
  const m = x.shape[nd - 2]!, n = x.shape[nd - 1]!;
  return { count: m * n === 0 ? shapeSize(x.shape.slice(0, -2)) : shapeSize(x.shape) / (m * n), m, n };
}

/** Reader of the matrices of x (any layout): matrix b row-major as doubles (complex: re, im interleaved). */
function matrixReader(x: ArrayData): (b: number) => Float64Array {
  const offs = offsetsOf(x);
  const nd = x.shape.length;
  const size = x.shape[nd - 2]! * x.shape[nd - 1]!;
  if (x.dtype === complex64) {
    const e = elements(x) as Float32Array;
    return (b) => {
      const out = new Float64Array(2 * size);
      for (let i = 0; i < size; i++) {
        const o = offs[b * size + i]! * 2;
        out[2 * i] = e[o]!;
        out[2 * i + 1] = e[o + 1]!;
      }
      return out;
    };
  }
  const read = numberReader(x.dtype, elements(x));
  return (b) => {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = read(offs[b * size + i]!);
    return out;
  };
}

/** Writes `values` (complex: interleaved) at element `at` of the contiguous output (rounded by the store). */
function write(out: ArrayData, at: number, values: ArrayLike<number>): void {
  const e = elements(out) as Float32Array | Float64Array;
  const base = out.offset * out.dtype.lanes + at * out.dtype.lanes;
  for (let i = 0; i < values.length; i++) e[base + i] = values[i]!;
}

/** The transpose of an m x n row-major (or column-major) matrix. */
function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

registerKernel('QRF', (_prim, [x], [qOut, rOut]) => {
  const { count, m, n } = dims(x!);
  const k = Math.min(m, n);
  if (k === 0) return;
  const read = matrixReader(x!);
  for (let b = 0; b < count; b++) {
    const a = transpose(read(b), m, n); // column-major m x n
    const tau = new Float64Array(k);
    geqr2(m, n, a, m, tau);
    const r = new Float64Array(k * n);
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = a[i + j * m]!;
    org2r(m, k, k, a, m, tau);
    write(qOut!, b * m * k, transpose(a.subarray(0, m * k), k, m));
    write(rOut!, b * k * n, r);
  }
});

registerKernel('SVD', (prim, [x], outs) => {
  const { computeUv } = prim.params as { computeUv: boolean };
  const { count, m, n } = dims(x!);
  const k = Math.min(m, n);
  const [uOut, sOut, vtOut] = computeUv ? outs : [null, outs[0], null];
  if (k === 0) {
    // MLX: U and Vt are identities, S is empty
    if (computeUv) {
      for (let b = 0; b < count; b++) {
        write(uOut!, b * m * m, eyeValues(m, x!.dtype === complex64));
        write(vtOut!, b * n * n, eyeValues(n, x!.dtype === complex64));
      }
    }
    return;
  }
  const read = matrixReader(x!);
  const prec = precOf(x!.dtype);
  for (let b = 0; b < count; b++) {
    // LAPACK sees the row-major buffer as the column-major n x m transpose: A^T = Ul S VTl, so
    // U = VTl^T and Vt = Ul^T, which are VTl's and Ul's own buffers read row-major
    const a = read(b);
    const s = new Float64Array(k);
    const complex = x!.dtype === complex64;
    const ul = computeUv ? new Float64Array((complex ? 2 : 1) * n * n) : null;
    const vtl = computeUv ? new Float64Array((complex ? 2 : 1) * m * m) : null;
    const info = complex ? zgesdd(n, m, a, s, ul, vtl, prec) : gesdd(n, m, a, s, ul, vtl, prec);
    if (info !== 0) throw new Error(`[SVD::eval_cpu] SVD failed with error code ${info}`);
    write(sOut!, b * k, s);
    if (computeUv) {
      write(uOut!, b * m * m, vtl!);
      write(vtOut!, b * n * n, ul!);
    }
  }
});

function eyeValues(n: number, complex: boolean): Float64Array {
  const e = new Float64Array((complex ? 2 : 1) * n * n);
  for (let i = 0; i < n; i++) e[(complex ? 2 : 1) * (i * n + i)] = 1;
  return e;
}

registerKernel('Inverse', (prim, [x], [out]) => {
  const { tri, upper } = prim.params as { tri: boolean; upper: boolean };
  const { count, n } = dims(x!);
  if (n === 0) return;
  const read = matrixReader(x!);
  for (let b = 0; b < count; b++) {
    const a = read(b);
    if (tri) {
      const info = trtri(upper, n, a, 0);
      if (info !== 0) throw new Error(`[Inverse::eval_cpu] triangular inversion failed with error code ${info}`);
      write(out!, b * n * n, a);
      continue;
    }
    // LU of the transpose, as LAPACK sees MLX's buffer: the error code is its first zero pivot
    const ipiv = new Int32Array(n);
    const info = getrf(n, n, a, n, ipiv);
    if (info !== 0) throw new Error(`[Inverse::eval_cpu] LU factorization failed with error code ${info}`);
    // columns of (A^T)^-1 by forward and back substitution; that column-major buffer read
    // row-major is A^-1
    const inv = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      const y = new Float64Array(n);
      y[c] = 1;
      for (let i = 0; i < n; i++) {
        const p = ipiv[i]!;
        if (p !== i) [y[i], y[p]] = [y[p]!, y[i]!];
      }
      for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) y[i]! -= a[i + k * n]! * y[k]!;
      for (let i = n - 1; i >= 0; i--) {
        for (let k = i + 1; k < n; k++) y[i]! -= a[i + k * n]! * y[k]!;
        y[i]! /= a[i + i * n]!;
      }
      inv.set(y, c * n);
    }
    write(out!, b * n * n, inv);
  }
});

registerKernel('Cholesky', (prim, [x], [out]) => {
  const { upper } = prim.params as { upper: boolean };
  const { count, n } = dims(x!);
  if (n === 0) return;
  const read = matrixReader(x!);
  for (let b = 0; b < count; b++) {
    // upper: the lower factor of a^T, transposed back; MLX does not report a failure (a matrix
    // that is not positive definite leaves the factor partial)
    const l = upper ? transpose(read(b), n, n) : read(b);
    potrf2(n, l, 0, n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
    write(out!, b * n * n, upper ? transpose(l, n, n) : l);
  }
});

registerKernel('Eigh', (prim, [x], outs) => {
  const { uplo, vectors } = prim.params as { uplo: string; vectors: boolean };
  const { count, n } = dims(x!);
  if (n === 0) return;
  const read = matrixReader(x!);
  const prec = precOf(x!.dtype);
  const complex = x!.dtype === complex64;
  // MLX hands LAPACK the transpose with the opposite triangle: the same triangle of a
  const lapackUpper = uplo[0] === 'L';
  for (let b = 0; b < count; b++) {
    const a = read(b);
    const w = new Float64Array(n);
    const z = vectors ? new Float64Array((complex ? 2 : 1) * n * n) : null;
    const info = complex ? zheevd(lapackUpper, n, a, w, z, prec) : syevd(lapackUpper, n, a, w, z, prec);
    if (info !== 0) throw new Error(`[Eigh::eval_cpu] Eigenvalue decomposition failed with error code ${info}`);
    write(outs[0]!, b * n, w);
    if (vectors) {
      // eigenvectors are z's columns; the output holds them as columns too (row-major)
      const v = new Float64Array(z!.length);
      const lanes = complex ? 2 : 1;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < lanes; l++) v[(i * n + j) * lanes + l] = z![(i + j * n) * lanes + l]!;
      write(outs[1]!, b * n * n, v);
    }
  }
});

registerKernel('Eig', (prim, [x], outs) => {
  const { vectors } = prim.params as { vectors: boolean };
  const { count, n } = dims(x!);
  if (n === 0) return;
  const read = matrixReader(x!);
  const prec = precOf(x!.dtype);
  const complex = x!.dtype === complex64;
  for (let b = 0; b < count; b++) {
    const a = read(b);
    const w = new Float64Array(2 * n);
    const v = vectors ? new Float64Array(2 * n * n) : null;
    // NaN: LAPACK's balancing gives up on it (and MLX's aborts); the results are NaN
    const info = a.some(Number.isNaN) ? (w.fill(NaN), v?.fill(NaN), 0) : complex ? zgeev(n, a, w, v, prec) : geev(n, a, w, v, prec);
    if (info !== 0) throw new Error(`[Eig::eval_cpu] Eigenvalue decomposition failed with error code ${info}`);
    write(outs[0]!, b * n, w);
    if (vectors) write(outs[1]!, b * n * n, v!);
  }
});

registerKernel('LUF', (_prim, [x], [luOut, pivOut, rowOut]) => {
  const { count, m, n } = dims(x!);
  const k = Math.min(m, n);
  if (m === 0 || n === 0) {
    // nothing to factor; the row indices are the identity permutation
    for (let b = 0; b < count; b++) write(rowOut!, b * m, Array.from({ length: m }, (_v, i) => i));
    return;
  }
  const read = matrixReader(x!);
  const pivots = elements(pivOut!) as Uint32Array, rowIdx = elements(rowOut!) as Uint32Array;
  for (let b = 0; b < count; b++) {
    const a = transpose(read(b), m, n); // column-major
    const ipiv = new Int32Array(k);
    getrf(m, n, a, m, ipiv);
    write(luOut!, b * m * n, transpose(a, n, m));
    // the row indices: the identity permuted by the swaps, applied last to first (MLX's loop)
    const perm = Array.from({ length: m }, (_v, i) => i);
    for (let j = k - 1; j >= 0; j--) {
      const p = ipiv[j]!;
      [perm[j], perm[p]] = [perm[p]!, perm[j]!];
    }
    for (let j = 0; j < k; j++) pivots[pivOut!.offset + b * k + j] = ipiv[j]!;
    for (let i = 0; i < m; i++) rowIdx[rowOut!.offset + b * m + i] = perm[i]!;
  }
});
