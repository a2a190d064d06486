// mx.linalg and random.multivariateNormal against the real MLX. Unique results (norms, inverses,
// solves, determinants, Cholesky and LU factors, singular values, eigenvalues of symmetric
// matrices, cross products) are compared directly; factors that are unique only up to signs or
// phases (Q of QR, singular vectors, eigenvectors) are first brought to one form on both sides
// by the same formula (each column times conj(p)/|p|, p its entry of largest magnitude; R's
// diagonal made non-negative), and eig's eigenpairs are sorted. MLX computes in float32 LAPACK,
// mlx-ts in double rounded once, hence the bounds (in float32 ulps of max(1, |value|)); inputs
// are shifted to be well conditioned where the compared values depend on the conditioning.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { makeArray, py, report, sample, type DtypeName } from './gen.js';

const L = mx.linalg as unknown as Record<string, (a: mx.MxArray, s?: unknown) => unknown>;

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

type Layout = 'contiguous' | 'transposed' | 'reversed';
const layoutArb = fc.constantFrom<Layout>('contiguous', 'contiguous', 'transposed', 'reversed');

/** The same values as a strided view (mlx-ts side; MLX gets them contiguous). */
function laid(x: mx.MxArray, layout: Layout): mx.MxArray {
  mx.eval(x);
  if (layout === 'transposed' && x.ndim >= 2) return mx.copy(mx.swapaxes(x, -1, -2)).swapaxes(-1, -2);
  if (layout === 'reversed' && x.ndim >= 1) return mx.copy(x.index('...', mx.Slice(null, null, -1))).index('...', mx.Slice(null, null, -1));
  return x;
}

const matrix = (d: DtypeName, shape: number[], seed: number): mx.MxArray => makeArray(d, shape, seed, d === 'complex64' ? 'any' : 'unit');
const eyeOf = (shape: number[], d: mx.Dtype): mx.MxArray => mx.eye(shape[shape.length - 2]!, shape[shape.length - 1]!, 0, d);
/** a + c I: well conditioned */
const shifted = (a: mx.MxArray, c: number): mx.MxArray => mx.add(a, mx.multiply(eyeOf(a.shape, a.dtype), c));
/** a a^H + n I: Hermitian positive definite */
const spd = (a: mx.MxArray): mx.MxArray => mx.add(mx.matmul(a, mx.conjugate(mx.swapaxes(a, -1, -2))), mx.multiply(eyeOf(a.shape, a.dtype), a.shape[a.ndim - 1]!));
/** a + diag(c, 2c, ...): eigen- and singular values apart */
function spread(a: mx.MxArray, c: number): mx.MxArray {
  const m = a.shape[a.ndim - 2]!, n = a.shape[a.ndim - 1]!, k = Math.min(m, n);
  const d = mx.pad(mx.array(Array.from({ length: k }, (_, i) => c * (i + 1)), mx.float32), [[0, n - k]]);
  return mx.add(a, mx.multiply(mx.eye(m, n, 0, mx.float32), d).astype(a.dtype));
}

const batchArb = fc.constantFrom<number[]>([], [], [2], [1, 2]);
const dimArb = fc.integer({ min: 1, max: 5 });
const cpu = ', stream=mx.cpu';

// ---- the canonical forms, in Python and in mlx-ts (the same formulas) ----
/** columns times conj(p)/|p|, p the entry of largest magnitude of the column */
const pyPhase = '(lambda u: mx.conj(u) / mx.abs(u))(mx.take_along_axis(u, mx.expand_dims(mx.argmax(mx.abs(u), axis=-2), -2), -2))';
const pyColFix = `(lambda u: u * ${pyPhase})`;
function phase(u: mx.MxArray): mx.MxArray {
  const p = mx.takeAlongAxis(u, mx.expandDims(mx.argmax(mx.abs(u), -2), -2), -2);
  return mx.divide(mx.conjugate(p), mx.abs(p));
}
const colFix = (u: mx.MxArray): mx.MxArray => mx.multiply(u, phase(u));
/** U[:, :k], Vt[:k] with the phase of each singular pair fixed by U's column */
const pySvdFix = `(lambda u, s, vt, k: (lambda u1, vt1: (lambda f: [u1 * f, s, vt1 * mx.swapaxes(mx.conj(f), -1, -2)])(${pyPhase.replace(/\bu\b/g, 'u1')}))(u[..., :, :k], vt[..., :k, :]))`;
function svdFix([u, s, vt]: mx.MxArray[], k: number): mx.MxArray[] {
  const u1 = u!.index('...', mx.Slice(), mx.Slice(null, k));
  const vt1 = vt!.index('...', mx.Slice(null, k), mx.Slice());
  const f = phase(u1);
  return [mx.multiply(u1, f), s!, mx.multiply(vt1, mx.swapaxes(mx.conjugate(f), -1, -2))];
}
/** max |X^H X - I| of the columns of x */
const pyOrth = '(lambda x: mx.abs(mx.matmul(mx.conj(mx.swapaxes(x, -1, -2)), x) - mx.eye(x.shape[-1])).max())';
const orth = (x: mx.MxArray): mx.MxArray => mx.max(mx.abs(mx.subtract(mx.matmul(mx.conjugate(mx.swapaxes(x, -1, -2)), x), mx.eye(x.shape[x.ndim - 1]!))));
/** R's diagonal made non-negative (Q's columns follow) */
const pyQrFix = '(lambda q, r: (lambda d: [q * mx.expand_dims(d, -2), r * mx.expand_dims(d, -1)])(mx.where(mx.diagonal(r, 0, -2, -1) < 0, -1.0, 1.0)))';
function qrFix([q, r]: mx.MxArray[]): mx.MxArray[] {
  const d = mx.where(mx.less(mx.diagonal(r!, 0, -2, -1), 0), -1, 1);
  return [mx.multiply(q!, mx.expandDims(d, -2)), mx.multiply(r!, mx.expandDims(d, -1))];
}
/** eigenpairs sorted by (real part rounded, imaginary part), vectors with fixed phases */
const pySortKey = '(lambda w: mx.argsort(mx.round(mx.real(w), 3) * 1000000.0 + mx.imag(w), axis=-1))';
const pyEigFix = `(lambda w, v: (lambda o: [mx.take_along_axis(w, o, -1), ${pyColFix}(mx.take_along_axis(v, mx.expand_dims(o, -2), -1))])(${pySortKey}(w)))`;
const sortKey = (w: mx.MxArray): mx.MxArray => mx.argsort(mx.add(mx.multiply(mx.round(mx.real(w), 3), 1000000), mx.imag(w)), -1);
function eigFix([w, v]: mx.MxArray[]): mx.MxArray[] {
  const o = sortKey(w!);
  return [mx.takeAlongAxis(w!, o, -1), colFix(mx.takeAlongAxis(v!, mx.expandDims(o, -2), -1))];
}

describe.skipIf(!hasMlx)('mx.linalg vs MLX', () => {
  it('norm: every ord, axis and keepdims, over dtypes (errors included)', async () => {
    const ords: (number | string | null)[] = [null, 0, 1, 2, 3, 0.5, -1, -2, Infinity, -Infinity, 'fro', 'nuc', 'f'];
    const dts: DtypeName[] = ['float32', 'float64', 'float16', 'bfloat16', 'int32', 'bool', 'complex64', 'uint8'];
    const arb = fc.tuple(fc.constantFrom(...dts), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), fc.integer(), fc.constantFrom(...ords), fc.nat(), fc.boolean(), fc.boolean());
    const cases: Case[] = sample(arb, 40, 1).map(([d, shape, vs, ord, pick, two, keep]) => {
      const nd = shape.length;
      let axis: number | number[] | null = null;
      if (nd > 0 && pick % 3 !== 0) axis = two && nd >= 2 ? [pick % nd, (pick + 1 + (pick >> 3) % (nd - 1)) % nd].map((a, i) => (i === 1 && pick % 2 ? a - nd : a)) : (pick % nd) - (pick % 2 ? nd : 0);
      // the SVD-based orders need finite values: specials only for the elementwise ones
      const svdOrd = ord === 2 || ord === -2 || ord === 'nuc';
      const x = makeArray(d, shape, vs, svdOrd ? 'unit' : 'any');
      const pyOrd = ord === null ? 'None' : typeof ord === 'string' ? `'${ord}'` : py.scalar(ord);
      const pyAxis = axis === null ? 'None' : Array.isArray(axis) ? py.list(axis) : String(axis);
      return {
        name: `norm(${d}[${shape}], ord=${String(ord)}, axis=${JSON.stringify(axis)}, keepdims=${keep})`,
        py: `mx.linalg.norm(a0, ${pyOrd}, ${pyAxis}, ${py.bool(keep)}${cpu})`,
        ts: (a) => mx.linalg.norm(a!, ord, axis, keep),
        inputs: [x],
        tol: { ulps: svdOrd ? 512 : 64 },
      };
    });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('qr, svd (values, and vectors in canonical form), pinv', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float32', 'float64', 'complex64'), batchArb, dimArb, dimArb, fc.integer(), layoutArb);
    const cases: Case[] = [];
    for (const [d, b, m, n, vs, layout] of sample(arb, 12, 2)) {
      const shape = [...b, m, n], k = Math.min(m, n);
      const raw = laid(matrix(d, shape, vs), layout);
      const sep = laid(spread(matrix(d, shape, vs), 3), layout);
      if (d !== 'complex64') {
        cases.push({ name: `qr ${d}[${shape}]`, py: `${pyQrFix}(*mx.linalg.qr(a0${cpu}))`, ts: (a) => qrFix(mx.linalg.qr(a!)), inputs: [sep], tol: { ulps: 256 } });
        cases.push({ name: `pinv ${d}[${shape}]`, py: `mx.linalg.pinv(a0${cpu})`, ts: (a) => mx.linalg.pinv(a!), inputs: [sep], tol: { ulps: 512 } });
      }
      cases.push({ name: `svd(compute_uv=False) ${d}[${shape}]`, py: `mx.linalg.svd(a0, False${cpu})`, ts: (a) => mx.linalg.svd(a!, false)[0]!, inputs: [raw], tol: { ulps: 256 } });
      cases.push({ name: `svd canonical ${d}[${shape}]`, py: `${pySvdFix}(*mx.linalg.svd(a0${cpu}), ${k})`, ts: (a) => svdFix(mx.linalg.svd(a!), k), inputs: [sep], tol: { ulps: 512 } });
      // the full U and Vt: shapes, dtypes and orthogonality (their extra columns are not unique)
      cases.push({ name: `svd orthogonality ${d}[${shape}]`, py: `(lambda u, s, vt: [${pyOrth}(u), ${pyOrth}(vt)])(*mx.linalg.svd(a0${cpu}))`, ts: (a) => { const [u, , vt] = mx.linalg.svd(a!); return [orth(u!), orth(vt!)]; }, inputs: [raw], tol: { ulps: 64 } });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('inv, triInv, cholesky, choleskyInv, solve, solveTriangular (well conditioned inputs)', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float32', 'float64'), batchArb, fc.integer({ min: 0, max: 5 }), fc.integer(), layoutArb, fc.boolean(), fc.integer({ min: 1, max: 3 }));
    const cases: Case[] = [];
    for (const [d, b, n, vs, layout, upper, nrhs] of sample(arb, 12, 3)) {
      const shape = [...b, n, n];
      const a = laid(shifted(matrix(d, shape, vs), 3), layout);
      const pd = laid(spd(matrix(d, shape, vs)), layout);
      const up = py.bool(upper);
      // MLX crashes (SIGFPE) inverting 0 x 0 matrices; mlx-ts returns them empty (packages/core/test/linalg.test.ts)
      if (n > 0) cases.push({ name: `inv ${d}[${shape}]`, py: `mx.linalg.inv(a0${cpu})`, ts: (x) => mx.linalg.inv(x!), inputs: [a], tol: { ulps: 64 } });
      if (n > 0) cases.push({ name: `triInv(upper=${upper}) ${d}[${shape}]`, py: `mx.linalg.tri_inv(a0, ${up}${cpu})`, ts: (x) => mx.linalg.triInv(x!, upper), inputs: [a], tol: { ulps: 64 } });
      cases.push({ name: `cholesky(upper=${upper}) ${d}[${shape}]`, py: `mx.linalg.cholesky(a0, ${up}${cpu})`, ts: (x) => mx.linalg.cholesky(x!, upper), inputs: [pd], tol: { ulps: 64 } });
      if (n > 0) cases.push({ name: `choleskyInv(upper=${upper}) ${d}[${shape}]`, py: `mx.linalg.cholesky_inv(mx.linalg.cholesky(a0, ${up}${cpu}), ${up}${cpu})`, ts: (x) => mx.linalg.choleskyInv(mx.linalg.cholesky(x!, upper), upper), inputs: [pd], tol: { ulps: 64 } });
      if (n === 0) continue;
      // b a vector (unbatched a) or a matrix; batched b as a batch of matrices (MLX's reading)
      const bShape = b.length === 0 && nrhs === 1 ? [n] : [...b, n, nrhs];
      const rhs = matrix(d, bShape, vs + 1);
      cases.push({ name: `solve ${d}[${shape}] b[${bShape}]`, py: `mx.linalg.solve(a0, a1${cpu})`, ts: (x, y) => mx.linalg.solve(x!, y!), inputs: [a, rhs], tol: { ulps: 128 } });
      cases.push({ name: `solveTriangular(upper=${upper}) ${d}[${shape}] b[${bShape}]`, py: `mx.linalg.solve_triangular(a0, a1, upper=${up}${cpu})`, ts: (x, y) => mx.linalg.solveTriangular(x!, y!, upper), inputs: [a, rhs], tol: { ulps: 128 } });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('eigvalsh, eigh (canonical vectors), eigvals, eig (sorted, canonical vectors)', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float32', 'float64', 'complex64'), batchArb, fc.integer({ min: 0, max: 5 }), fc.integer(), layoutArb, fc.constantFrom('L', 'U'));
    const cases: Case[] = [];
    for (const [d, b, n, vs, layout, uplo] of sample(arb, 12, 4)) {
      const shape = [...b, n, n];
      const raw = laid(matrix(d, shape, vs), layout);
      const sep = laid(spread(matrix(d, shape, vs), 4), layout);
      cases.push({ name: `eigvalsh(${uplo}) ${d}[${shape}]`, py: `mx.linalg.eigvalsh(a0, '${uplo}'${cpu})`, ts: (x) => mx.linalg.eigvalsh(x!, uplo), inputs: [raw], tol: { ulps: 512 } });
      cases.push({ name: `eigh(${uplo}) ${d}[${shape}]`, py: `(lambda w, v: [w, ${pyColFix}(v)])(*mx.linalg.eigh(a0, '${uplo}'${cpu}))`, ts: (x) => { const [w, v] = mx.linalg.eigh(x!, uplo); return [w!, colFix(v!)]; }, inputs: [sep], tol: { ulps: 512 } });
      // MLX's complex eig returns the conjugates of the eigenvectors (A conj(v) = w conj(v));
      // mlx-ts returns eigenvectors: the MLX side conjugates them back to compare
      const conj = d === 'complex64' ? 'mx.conj(v)' : 'v';
      cases.push({ name: `eigvals ${d}[${shape}]`, py: `mx.take_along_axis(mx.linalg.eigvals(a0${cpu}), ${pySortKey}(mx.linalg.eigvals(a0${cpu})), -1)`, ts: (x) => { const w = mx.linalg.eigvals(x!); return mx.takeAlongAxis(w, sortKey(w), -1); }, inputs: [raw], tol: { ulps: 1024 } });
      cases.push({ name: `eig ${d}[${shape}]`, py: `(lambda w, v: ${pyEigFix}(w, ${conj}))(*mx.linalg.eig(a0${cpu}))`, ts: (x) => eigFix(mx.linalg.eig(x!)), inputs: [sep], tol: { ulps: 1024 } });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('lu, luFactor, det, slogdet (over dtypes; cofactors up to 3 x 3, LU beyond)', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float32', 'float64', 'int32', 'float16', 'bool'), batchArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer(), layoutArb);
    const cases: Case[] = [];
    for (const [d, b, m, n, vs, layout] of sample(arb, 12, 5)) {
      const isFloat = d === 'float32' || d === 'float64';
      const rect = laid(isFloat ? matrix(d, [...b, m, n], vs) : makeArray(d, [...b, m, n], vs, 'small'), layout);
      const sq = laid(isFloat ? matrix(d, [...b, n, n], vs) : makeArray(d, [...b, n, n], vs, 'small'), layout);
      // MLX crashes on a 0 x 0 LU; compared from 1 x 1 on
      if (m > 0 && n > 0) {
        cases.push({ name: `lu ${d}[${rect.shape}]`, py: `mx.linalg.lu(a0${cpu})`, ts: (x) => mx.linalg.lu(x!), inputs: [rect], tol: { ulps: 64 } });
        cases.push({ name: `luFactor ${d}[${rect.shape}]`, py: `mx.linalg.lu_factor(a0${cpu})`, ts: (x) => mx.linalg.luFactor(x!), inputs: [rect], tol: { ulps: 64 } });
      }
      // bool and float16 determinants: MLX's cofactor path takes them up to 3 x 3 (float16 raises beyond, in lu_factor)
      cases.push({ name: `det ${d}[${sq.shape}]`, py: `mx.linalg.det(a0${cpu})`, ts: (x) => mx.linalg.det(x!), inputs: [sq], tol: { ulps: d === 'float16' ? 2 : 256 } });
      cases.push({ name: `slogdet ${d}[${sq.shape}]`, py: `mx.linalg.slogdet(a0${cpu})`, ts: (x) => mx.linalg.slogdet(x!), inputs: [sq], tol: { ulps: d === 'float16' ? 2 : 256 } });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('cross: sizes 2 and 3, broadcasting, axes, dtypes', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'int32', 'uint8', 'bool', 'float16', 'complex64', 'int64'), fc.constantFrom(2, 3), fc.constantFrom(2, 3, 1), fc.constantFrom<number[]>([], [2], [3, 1]), fc.integer(), fc.constantFrom(-1, 0, 1, -2));
    const cases: Case[] = sample(arb, 20, 6).map(([d, la, lb, lead, vs, axis]) => {
      const x = makeArray(d, [...lead, la], vs, 'small');
      const y = makeArray(d, [...lead.slice(1), lb], vs + 7, 'small');
      return { name: `cross(${d}, ${la} x ${lb}, lead [${lead}], axis ${axis})`, py: `mx.linalg.cross(a0, a1, ${axis})`, ts: (p, q) => mx.linalg.cross(p!, q!, axis), inputs: [x, y] };
    });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('errors: dtypes, dimensions, squareness (MLX raises where mlx-ts does)', async () => {
    const inputs: [string, mx.MxArray][] = [
      ['int32 2x2', mx.array([[1n, 2n], [3n, 4n]], mx.int32)],
      ['float16 2x2', mx.array([[1, 2], [3, 4]], mx.float16)],
      ['1-D', mx.array([1, 2], mx.float32)],
      ['2x3', mx.array([[1, 2, 3], [4, 5, 6]], mx.float32)],
      ['complex 2x2', mx.array([[{ re: 1, im: 1 }, 2], [3, 4]], mx.complex64)],
    ];
    const ops: [string, (a: mx.MxArray) => unknown][] = [
      ['inv', (a) => mx.linalg.inv(a)], ['tri_inv', (a) => mx.linalg.triInv(a)], ['cholesky', (a) => mx.linalg.cholesky(a)],
      ['cholesky_inv', (a) => mx.linalg.choleskyInv(a)], ['pinv', (a) => mx.linalg.pinv(a)], ['qr', (a) => mx.linalg.qr(a)],
      ['svd', (a) => mx.linalg.svd(a, false)], ['eigvalsh', (a) => mx.linalg.eigvalsh(a)], ['eigvals', (a) => mx.linalg.eigvals(a)],
      ['lu_factor', (a) => mx.linalg.luFactor(a)], ['det', (a) => mx.linalg.det(a)], ['slogdet', (a) => mx.linalg.slogdet(a)],
    ];
    const cases: Case[] = [];
    // a GPU stream: MLX without a GPU backend can't even make one; mlx-ts raises MLX's CPU-only error
    for (const name of ['inv', 'qr', 'cholesky'] as const) {
      cases.push({ name: `${name}(stream=gpu)`, py: `mx.linalg.${name}(a0, stream=mx.gpu)`, ts: (a) => L[name](a!, mx.gpu as never) as mx.MxArray, inputs: [mx.eye(2)] });
    }
    for (const [label, x] of inputs) {
      for (const [name, f] of ops) {
        const pyName = name === 'svd' ? 'svd(a0, False, stream=mx.cpu)' : `${name}(a0${cpu})`;
        cases.push({ name: `${name}(${label})`, py: `mx.linalg.${pyName}`, ts: (a) => f(a!) as mx.MxArray, inputs: [x], tol: { ulps: 64 } });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('random.multivariateNormal: the same samples for the same key', async () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<number[]>([], [3], [2, 2]), fc.integer(), fc.boolean());
    const cases: Case[] = sample(arb, 6, 7).map(([seed, n, shape, vs, batchMean]) => {
      const mean = makeArray('float32', batchMean ? [2, n] : [n], vs, 'unit');
      const cov = spd(makeArray('float32', [n, n], vs + 1, 'unit'));
      return {
        name: `multivariate_normal(n=${n}, shape=[${shape}], key ${seed})`,
        py: `mx.random.multivariate_normal(a0, a1, ${py.list(shape)}, key=mx.random.key(${seed})${cpu})`,
        ts: (mu, c) => mx.random.multivariateNormal(mu!, c!, shape, mx.float32, mx.random.key(seed)),
        inputs: [mean, cov],
        tol: { ulps: 256 },
      };
    });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('under vmap and compile (MLX batches Inverse, SVD, Cholesky, Eigh and Eig), and grad of small determinants', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float64'), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer());
    const cases: Case[] = [];
    for (const [d, n, bsz, vs] of sample(arb, 4, 8)) {
      const a = mx.copy(mx.moveaxis(shifted(matrix(d, [bsz, n, n], vs), 3), 0, 1)); // batch axis 1
      const pd = spd(matrix(d, [bsz, n, n], vs));
      cases.push({ name: `vmap(inv, in_axes=1) ${d}`, py: `mx.vmap(lambda x: mx.linalg.inv(x${cpu}), in_axes=1)(a0)`, ts: (x) => mx.vmap((y: mx.MxArray) => mx.linalg.inv(y), 1)(x!) as mx.MxArray, inputs: [a], tol: { ulps: 64 } });
      cases.push({ name: `vmap(svd values, in_axes=1) ${d}`, py: `mx.vmap(lambda x: mx.linalg.svd(x, False${cpu}), in_axes=1)(a0)`, ts: (x) => mx.vmap((y: mx.MxArray) => mx.linalg.svd(y, false)[0]!, 1)(x!) as mx.MxArray, inputs: [a], tol: { ulps: 256 } });
      cases.push({ name: `vmap(cholesky) ${d}`, py: `mx.vmap(lambda x: mx.linalg.cholesky(x${cpu}))(a0)`, ts: (x) => mx.vmap((y: mx.MxArray) => mx.linalg.cholesky(y))(x!) as mx.MxArray, inputs: [pd], tol: { ulps: 64 } });
      cases.push({ name: `vmap(eigvalsh, out_axes=1) ${d}`, py: `mx.vmap(lambda x: mx.linalg.eigvalsh(x${cpu}), out_axes=1)(a0)`, ts: (x) => mx.vmap((y: mx.MxArray) => mx.linalg.eigvalsh(y), 0, 1)(x!) as mx.MxArray, inputs: [pd], tol: { ulps: 256 } });
      cases.push({ name: `compile(det + trace(inv)) ${d}`, py: `mx.compile(lambda x: mx.linalg.det(x${cpu}) + mx.trace(mx.linalg.inv(x${cpu}), axis1=-2, axis2=-1))(a0)`, ts: (x) => mx.compile((y: mx.MxArray) => mx.add(mx.linalg.det(y), mx.trace(mx.linalg.inv(y), 0, -2, -1)))(x!) as mx.MxArray, inputs: [pd], tol: { ulps: 256 } });
      if (n <= 3) {
        // MLX differentiates det through its cofactor expansion for n <= 3 only (its LU has no vjp)
        cases.push({ name: `grad(sum(det)) ${d}[${bsz},${n},${n}]`, py: `mx.grad(lambda x: mx.linalg.det(x${cpu}).sum())(a0)`, ts: (x) => mx.grad((y: mx.MxArray) => mx.sum(mx.linalg.det(y)))(x!) as mx.MxArray, inputs: [pd], tol: { ulps: 64 } });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
