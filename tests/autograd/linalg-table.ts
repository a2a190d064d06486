// The mx.linalg primitives in the generic autograd suites (spread into table.ts's specs): vjp and
// jvp against finite differences, second order, vmap against a loop, vmap(grad), grad(vmap).
// MLX 0.32.4 has vjp/jvp for none of them; mlx-ts has them for real inputs, except Eig. Inputs
// are drawn in [-2, 2] and mapped to matrices where the functions are smooth: diagonal shifts
// keep inverses and factors well conditioned and spread eigen- and singular values apart.
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import type { Spec } from './table.js';

/** float16/bfloat16 inputs (the dtype suite) go through float32: linalg takes float32/float64 only. */
const prep = (x: mx.MxArray): mx.MxArray => (x.dtype === mx.float16 || x.dtype === mx.bfloat16 ? x.astype(mx.float32) : x);
const eyeLike = (x: mx.MxArray, scale: number): mx.MxArray => {
  const m = x.shape[x.ndim - 2]!, n = x.shape[x.ndim - 1]!;
  return mx.multiply(mx.eye(m, n, 0, x.dtype), scale);
};
/** diag(c, 2c, 3c, ...): separates eigenvalues and singular values */
const spread = (x: mx.MxArray, c: number): mx.MxArray => {
  const m = x.shape[x.ndim - 2]!, n = x.shape[x.ndim - 1]!;
  const d = Array.from({ length: Math.min(m, n) }, (_, i) => c * (i + 1));
  return mx.multiply(mx.eye(m, n, 0, x.dtype), mx.pad(mx.array(d, x.dtype), [[0, Math.max(0, n - d.length)]]));
};

const dimArb = (min = 1, max = 4) => fc.integer({ min, max });
/** square matrices, sometimes with a batch dim */
const square = fc.tuple(dimArb(), fc.constantFrom<number[]>([], [], [2])).map(([n, b]) => [[...b, n, n]]);
const tall = fc.tuple(dimArb(1, 3), dimArb(0, 2), fc.constantFrom<number[]>([], [2])).map(([n, extra, b]) => [[...b, n + extra, n]]);
const wide = fc.tuple(dimArb(1, 3), dimArb(1, 2), fc.constantFrom<number[]>([], [2])).map(([m, extra, b]) => [[...b, m, m + extra]]);
const any2 = fc.tuple(dimArb(), dimArb(), fc.constantFrom<number[]>([], [2])).map(([m, n, b]) => [[...b, m, n]]);

const T = (x: mx.MxArray): mx.MxArray => mx.swapaxes(x, -1, -2);
/** x x^T + 2n I: symmetric positive definite */
const spd = (x: mx.MxArray): mx.MxArray => mx.add(mx.matmul(x, T(x)), eyeLike(x, 2 * x.shape[x.ndim - 1]!));

const one = (name: string, prims: string[], shapes: fc.Arbitrary<number[][]>, f: (x: mx.MxArray) => mx.MxArray | mx.MxArray[], extra: Partial<Spec> = {}): Spec => ({
  name,
  prims,
  shapes,
  dom: ['any'],
  fn: () => (x) => f(prep(x)),
  ...extra,
});

export const linalgSpecs: Spec[] = [
  one('linalg.inv(x + 8I)', ['Inverse'], square, (x) => mx.linalg.inv(mx.add(x, eyeLike(x, 8)))),
  one('linalg.triInv lower and upper', ['Inverse'], square, (x) => {
    const a = mx.add(x, eyeLike(x, 8));
    return [mx.linalg.triInv(a), mx.linalg.triInv(a, true)];
  }),
  // the triangle not read gets other values: its cotangent must be zero
  one('linalg.cholesky(spd + junk in the unread triangle), lower', ['Cholesky'], square, (x) => mx.linalg.cholesky(mx.add(spd(x), mx.triu(mx.sin(x), 1)))),
  one('linalg.cholesky(spd + junk in the unread triangle), upper', ['Cholesky'], square, (x) => mx.linalg.cholesky(mx.add(spd(x), mx.tril(mx.sin(x), -1)), true)),
  one('linalg.choleskyInv, solve, solveTriangular', ['Inverse', 'LUF'], square, (x) => {
    const a = spd(x);
    const b = mx.expandDims(mx.sin(mx.sum(x, -1)), -1); // a column: a batched vector b would be read as a matrix (MLX)
    return [mx.linalg.choleskyInv(mx.linalg.cholesky(a)), mx.linalg.solve(a, b), mx.linalg.solveTriangular(mx.add(x, eyeLike(x, 8)), b, true)];
  }),
  one('linalg.qr, M >= N', ['QRF'], tall, (x) => mx.linalg.qr(mx.add(x, eyeLike(x, 4)))),
  one('linalg.qr, M < N', ['QRF'], wide, (x) => mx.linalg.qr(mx.add(x, eyeLike(x, 4)))),
  one('linalg.svd singular values', ['SVD'], any2, (x) => mx.linalg.svd(mx.add(x, spread(x, 6)), false)),
  // the extra columns of U or rows of Vt are not unique: the function keeps the first K
  one('linalg.svd U[:, :K], S, Vt[:K]', ['SVD'], any2, (x) => {
    const m = x.shape[x.ndim - 2]!, n = x.shape[x.ndim - 1]!, k = Math.min(m, n);
    const [u, s, vt] = mx.linalg.svd(mx.add(x, spread(x, 6))) as [mx.MxArray, mx.MxArray, mx.MxArray];
    return [u.index('...', mx.Slice(null, k)), s, vt.index('...', mx.Slice(null, k), mx.Slice())];
  }),
  one('linalg.svd of a square matrix, all outputs; norm(2), norm("nuc"), pinv', ['SVD'], square, (x) => {
    const a = mx.add(x, spread(x, 6));
    return [...mx.linalg.svd(a), mx.linalg.norm(a, 2, [-2, -1]), mx.linalg.norm(a, 'nuc', [-2, -1]), mx.linalg.pinv(a)];
  }),
  one('linalg.eigvalsh, eigh (lower)', ['Eigh'], square, (x) => {
    const a = mx.add(x, spread(x, 6));
    return [mx.linalg.eigvalsh(a), ...mx.linalg.eigh(a)];
  }),
  one('linalg.eigh (upper)', ['Eigh'], square, (x) => mx.linalg.eigh(mx.add(x, spread(x, 6)), 'U')),
  one('linalg.eig, eigvals (no vjp/jvp, as MLX)', ['Eig'], square, (x) => [...mx.linalg.eig(mx.add(x, spread(x, 6))), mx.linalg.eigvals(x)], {
    mlxRaises: ['vjp', 'jvp'],
  }),
  one('linalg.luFactor, lu (square)', ['LUF'], square, (x) => {
    const a = mx.add(x, eyeLike(x, 3));
    return [mx.linalg.luFactor(a)[0]!, ...mx.linalg.lu(a).slice(1)];
  }),
  one('linalg.luFactor, lu (M > N)', ['LUF'], tall, (x) => {
    const a = mx.add(x, eyeLike(x, 3));
    return [mx.linalg.luFactor(a)[0]!, ...mx.linalg.lu(a).slice(1)];
  }),
  one('linalg.luFactor, lu (M < N)', ['LUF'], wide, (x) => {
    const a = mx.add(x, eyeLike(x, 3));
    return [mx.linalg.luFactor(a)[0]!, ...mx.linalg.lu(a).slice(1)];
  }),
  one('linalg.det, slogdet (cofactors up to 3x3, LU beyond)', ['LUF'], fc.tuple(dimArb(1, 5), fc.constantFrom<number[]>([], [2])).map(([n, b]) => [[...b, n, n]]), (x) => {
    const a = mx.add(x, eyeLike(x, 4));
    return [mx.linalg.det(a), mx.linalg.slogdet(a)[1]!];
  }),
];
