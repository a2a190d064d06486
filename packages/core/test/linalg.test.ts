// mx.linalg: node-mlx's calling conventions, MLX's values and errors (captured from MLX 0.32.4),
// the accuracy bounds the README states (residuals of every factorization, measured in double on
// random and ill-conditioned matrices, float32 and float64), batching, transforms, and the
// deliberate differences from MLX. Values and errors against the running MLX are in
// tests/differential/linalg.test.ts; vjp/jvp against finite differences in tests/autograd.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

type M = number[][];
const L = mx.linalg;

// ---- double-precision helpers on plain matrices ----
const mat = (a: mx.MxArray): M => a.astype(mx.float64).tolist() as M;
const mul = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const sub = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v - b[i]![j]!));
const fro = (a: M): number => Math.sqrt(a.reduce((s, r) => s + r.reduce((t, v) => t + v * v, 0), 0));
const eye = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const diag = (v: number[], m = v.length, n = v.length): M => Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v[i] ?? 0 : 0)));
const cols = (a: M, k: number): M => a.map((r) => r.slice(0, k));
const rowsOf = (a: M, k: number): M => a.slice(0, k);

/** A seeded generator of matrices (xorshift), values in [-1, 1]. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 4294967296) * 2 - 1;
  };
}
const randomM = (m: number, n: number, r: () => number): M => Array.from({ length: m }, () => Array.from({ length: n }, r));
/** A random orthogonal n x n matrix (Gram-Schmidt in double). */
function orthogonal(n: number, r: () => number): M {
  const q: number[][] = [];
  while (q.length < n) {
    let v = Array.from({ length: n }, r);
    for (const u of q) {
      const d = u.reduce((s, x, i) => s + x * v[i]!, 0);
      v = v.map((x, i) => x - d * u[i]!);
    }
    const nv = Math.hypot(...v);
    if (nv > 1e-6) q.push(v.map((x) => x / nv));
  }
  return tr(q);
}
/** U diag(s) V^T with random orthogonal U, V: known singular values s (decreasing). */
function withSingularValues(m: number, n: number, s: number[], r: () => number): M {
  return mul(mul(cols(orthogonal(m, r), s.length), diag(s)), rowsOf(tr(orthogonal(n, r)), s.length));
}
/** Q diag(w) Q^T: a symmetric matrix with eigenvalues w. */
const withEigenvalues = (w: number[], r: () => number): M => {
  const q = orthogonal(w.length, r);
  return mul(mul(q, diag(w)), tr(q));
};
/** Singular values (or eigenvalues) spread geometrically from 1 down to `smallest`. */
const geometric = (n: number, smallest: number): number[] => Array.from({ length: n }, (_, i) => (n === 1 ? 1 : smallest ** (i / (n - 1))));

const dtypes = [
  { name: 'float32', d: mx.float32, eps: 2 ** -23, tiny: 1e-5 },
  { name: 'float64', d: mx.float64, eps: 2 ** -52, tiny: 1e-12 },
] as const;
/** the matrices the bounds are checked on: random ones, and ill-conditioned ones (condition 1/tiny) */
function testMatrices(m: number, n: number, seed: number, tiny: number): [string, M][] {
  const r = rng(seed);
  return [
    ['random', randomM(m, n, r)],
    ['ill-conditioned', withSingularValues(m, n, geometric(Math.min(m, n), tiny), r)],
  ];
}
const shapes: [number, number][] = [[1, 1], [2, 2], [3, 3], [5, 5], [8, 8], [16, 16], [30, 30], [4, 2], [7, 3], [2, 5], [3, 9], [20, 6]];

describe('linalg: node-mlx conventions and MLX values', () => {
  it('has MLX 0.32.4 mx.linalg under node-mlx names', () => {
    const names = 'norm qr svd inv triInv cholesky choleskyInv pinv cross eigvalsh eigh eigvals eig lu luFactor solve solveTriangular det slogdet';
    for (const n of names.split(' ')) expect(typeof (L as Record<string, unknown>)[n], n).toBe('function');
    expect(typeof mx.random.multivariateNormal).toBe('function');
  });

  it("node-mlx's spec examples", () => {
    expect(L.norm(mx.array([0, 1, 2, 3])).item()).toBeCloseTo(3.7416573, 6);
    const [q, r] = L.qr(mx.array([[12, -51, 4], [6, 167, -68], [-4, 24, -41]]), mx.cpu);
    expect(mx.allclose(q!, mx.array([[-6 / 7, 69 / 175, 58 / 175], [-3 / 7, -158 / 175, -6 / 175], [2 / 7, -6 / 35, 33 / 35]])).item()).toBe(true);
    expect(mx.allclose(r!, mx.array([[-14, -21, 14], [0, -175, 70], [0, 0, -35]]), 1e-5, 1e-4).item()).toBe(true);
    expect(mx.allclose(L.inv(mx.array([[4, 7], [2, 6]]), mx.cpu), mx.array([[0.6, -0.7], [-0.2, 0.4]])).item()).toBe(true);
    expect(L.cross(mx.array([1, 2, 3]), mx.array([4, 5, 6])).tolist()).toEqual([-3, 6, -3]);
    expect(L.cross(mx.array([-1, -2, -3]), mx.array([4, -5, 6])).tolist()).toEqual([-27, -6, 13]);
    expect(L.cross(mx.array([[1, 2, 3], [4, 5, 6]]), mx.array([[4, 5, 6], [1, 2, 3]]), 1).tolist()).toEqual([[-3, 6, -3], [3, -6, 3]]);
    expect(() => L.cross(mx.array([1]), mx.array([4]))).toThrow('[linalg::cross] The specified axis must have size 2 or 3.');
  });

  it('optional flags before the stream, or the stream in their place', () => {
    const a = mx.array([[4, 1], [1, 3]]);
    expect(L.svd(a).length).toBe(3);
    expect(L.svd(a, mx.cpu).length).toBe(3);
    expect(L.svd(a, true, mx.cpu).length).toBe(3);
    const s = L.svd(a, false); // node-mlx returns the list [S]
    expect(s.length).toBe(1);
    expect(s[0]!.shape).toEqual([2]);
    expect(L.cholesky(a, mx.cpu).tolist()).toEqual(L.cholesky(a, false).tolist());
    expect(L.cholesky(a, true, mx.cpu).tolist()).toEqual(mx.swapaxes(L.cholesky(a), -1, -2).tolist());
    expect(L.triInv(a, mx.cpu).tolist()).toEqual(L.triInv(a, false).tolist());
    expect(L.eigh(a, mx.cpu)[0]!.tolist()).toEqual(L.eigh(a, 'L')[0]!.tolist());
    expect(L.eigvalsh(a, 'U', mx.cpu).tolist()).toEqual(L.eigh(a, 'U')[0]!.tolist());
    expect(L.solveTriangular(a, mx.array([1, 2]), mx.cpu).tolist()).toEqual(L.solveTriangular(a, mx.array([1, 2]), false).tolist());
    expect(L.norm(a, null, null, false, mx.cpu).item()).toBeCloseTo(Math.sqrt(27), 5);
  });

  it("norm: MLX's documented examples and orders", () => {
    const a = mx.subtract(mx.arange(9n, mx.int32), 4n);
    const b = a.reshape([3, 3]);
    const v = (x: mx.MxArray) => x.item() as number;
    expect(L.norm(a).dtype).toBe(mx.float32);
    expect(v(L.norm(a))).toBeCloseTo(7.745967, 5);
    expect(v(L.norm(b))).toBeCloseTo(7.745967, 5);
    expect(v(L.norm(b, 'fro'))).toBeCloseTo(7.745967, 5);
    expect([Infinity, -Infinity, 1, -1].map((o) => v(L.norm(a, o)))).toEqual([4, 0, 20, 0]);
    expect([Infinity, -Infinity, 1, -1].map((o) => v(L.norm(b, o)))).toEqual([9, 2, 7, 6]);
    expect(v(L.norm(a, 2))).toBeCloseTo(7.745967, 5);
    expect(v(L.norm(a, 3))).toBeCloseTo(5.848035, 5);
    expect(v(L.norm(a, -3))).toBe(0);
    expect(v(L.norm(a, 0))).toBe(8);
    const c = mx.array([[1n, 2n, 3n], [-1n, 1n, 4n]], mx.int32);
    expect(mx.allclose(L.norm(c, null, 0), mx.array([Math.SQRT2, Math.sqrt(5), 5])).item()).toBe(true);
    expect(mx.allclose(L.norm(c, null, 1), mx.array([Math.sqrt(14), Math.sqrt(18)])).item()).toBe(true);
    expect(L.norm(c, 1, 1).tolist()).toEqual([6, 6]);
    const m = mx.arange(8, mx.float32).reshape([2, 2, 2]);
    expect(mx.allclose(L.norm(m, null, [1, 2]), mx.array([Math.sqrt(14), Math.sqrt(126)])).item()).toBe(true);
    const f = b.astype(mx.float32);
    expect(v(L.norm(f, 2))).toBeCloseTo(7.348469, 5); // largest singular value
    expect(v(L.norm(f, 'nuc'))).toBeCloseTo(9.797959, 5);
    expect(v(L.norm(f, -2))).toBeLessThan(1e-5); // b is singular
    expect(L.norm(mx.zeros([2, 3, 4]), null, null, true).shape).toEqual([1, 1, 1]);
    expect(L.norm(mx.zeros([2, 3, 4]), 1, [2, 0], true).shape).toEqual([1, 3, 1]);
    expect(L.norm(mx.zeros([2, 3]), 'nuc', null, true).shape).toEqual([1, 1]);
    expect(L.norm(mx.array([[1, 2]], mx.float16)).dtype).toBe(mx.float16);
    expect(L.norm(mx.array([{ re: 3, im: 4 }]), 1, 0).dtype).toBe(mx.complex64); // MLX keeps complex for ord 1
    expect(L.norm(mx.array([{ re: 3, im: 4 }])).item()).toBe(5);
  });

  it('norm errors (MLX messages)', () => {
    const x = mx.zeros([2, 3, 4]);
    expect(() => L.norm(x, 2)).toThrow('[linalg::norm] Received too many axes for norm.');
    expect(() => L.norm(x, null, [0, 1, 2])).toThrow('[linalg::norm] Received too many axes for norm.');
    expect(() => L.norm(x, 'fro')).toThrow("[linalg::norm] Norm 'fro' only supported for matrices, but received 3 axis/axes.");
    expect(() => L.norm(mx.zeros([2, 2]), 'foo')).toThrow("[linalg::norm] Invalid ord value 'foo' for matrix norm.");
    expect(() => L.norm(mx.zeros([2, 2]), 3)).toThrow('[linalg::norm] Invalid ord 3 for matrix norm.');
    expect(() => L.norm(mx.array([[1n, 2n], [3n, 4n]], mx.int32), 2)).toThrow('[linalg::svd] Arrays must have type float32, float64 or complex64. Received array with type int32.');
  });

  it("factorizations: MLX's values", () => {
    const close = (a: mx.MxArray | undefined, b: number[][] | number[], tol = 1e-6) => expect(mx.allclose(a!, mx.array(b), tol, tol).item(), JSON.stringify(a!.tolist())).toBe(true);
    const [q, r] = L.qr(mx.array([[1, 2, 3], [4, 5, 6]]));
    close(q, [[-0.24253559112548828, -0.9701425433158875], [-0.9701425433158875, 0.2425355315208435]]);
    close(r, [[-4.123105525970459, -5.3357834815979, -6.5484619140625], [0, -0.7276067733764648, -1.455214023590088]]);
    const [u, s, vt] = L.svd(mx.array([[1, 2, 3], [4, 5, 6]]));
    close(u, [[-0.38631778955459595, -0.9223657846450806], [-0.9223657846450806, 0.38631778955459595]]);
    close(s, [9.508030891418457, 0.7728695869445801]);
    close(vt, [[-0.42866697907447815, -0.5663068890571594, -0.703946590423584], [0.8059637546539307, 0.11238251626491547, -0.581199049949646], [0.4082483947277069, -0.8164965510368347, 0.40824824571609497]]);
    const [w, v] = L.eigh(mx.array([[2, 1], [1, 2]]));
    close(w, [1, 3]);
    close(v, [[-0.7071067690849304, 0.7071067690849304], [0.7071067690849304, 0.7071067690849304]]);
    // UPLO: 'L' reads the lower triangle, anything else the upper one (MLX)
    expect(L.eigvalsh(mx.array([[2, 1], [5, 2]]), 'L').tolist()).toEqual([-3, 7]);
    expect(L.eigvalsh(mx.array([[2, 1], [5, 2]]), 'U').tolist()).toEqual([1, 3]);
    expect(L.eigvalsh(mx.array([[2, 1], [5, 2]]), 'X').tolist()).toEqual([1, 3]);
    const [ew, ev] = L.eig(mx.array([[1, 2], [3, 4]]));
    expect(ew!.dtype).toBe(mx.complex64);
    close(mx.real(ew!), [-0.3722810745239258, 5.372281551361084]);
    close(mx.real(ev!), [[-0.8245647549629211, -0.41597357392311096], [0.5657674670219421, -0.9093766808509827]]);
    const rot = L.eig(mx.array([[0, -1], [1, 0]]));
    expect(rot[0]!.tolist()).toEqual([{ re: 0, im: 1 }, { re: 0, im: -1 }]);
    close(mx.view(rot[1]!, mx.float32), [[0.7071067690849304, 0, 0.7071067690849304, 0], [0, -0.7071067690849304, 0, 0.7071067690849304]]);
    const [p, l, uu] = L.lu(mx.array([[1, 2], [3, 4], [5, 6]]));
    expect(p!.dtype).toBe(mx.uint32);
    expect(p!.tolist()).toEqual([1, 2, 0]);
    close(l, [[1, 0], [0.2, 1], [0.6, 0.5]]);
    close(uu, [[5, 6], [0, 0.8]]);
    const [lu, piv] = L.luFactor(mx.array([[1, 2, 3], [4, 5, 6]]));
    close(lu, [[4, 5, 6], [0.25, 0.75, 1.5]]);
    expect(piv!.tolist()).toEqual([1, 1]);
    expect(L.det(mx.array([[1, 2], [3, 4]])).item()).toBe(-2);
    expect(L.det(mx.array([[1n, 2n], [3n, 4n]], mx.int32)).dtype).toBe(mx.float32);
    expect(L.det(mx.array([[1, 2], [3, 4]], mx.float16)).dtype).toBe(mx.float16);
    expect(L.det(mx.array([[true, false], [false, true]])).item()).toBe(1);
    expect(L.det(mx.zeros([0, 0])).item()).toBe(1);
    expect(L.det(mx.array([[1, 2, 3, 4], [5, 6, 7, 8], [2, 6, 4, 8], [3, 1, 1, 2]])).item()).toBeCloseTo(72, 4);
    expect(L.det(mx.array([[1, 2, 3, 4], [5, 6, 7, 8], [2, 4, 6, 8], [3, 1, 1, 2]])).item()).toBe(0);
    expect(L.slogdet(mx.array([[1, 2], [3, 4]])).map((x) => x.item())).toEqual([-1, Math.fround(Math.log(2))]);
    const sl = L.slogdet(mx.array([[1, 2, 3, 4], [5, 6, 7, 8], [2, 6, 4, 8], [3, 1, 1, 2]]));
    expect(sl[0]!.item()).toBe(1);
    expect(sl[1]!.item()).toBeCloseTo(Math.log(72), 5);
    expect(L.slogdet(mx.zeros([4, 4])).map((x) => x.item())).toEqual([0, -Infinity]);
    close(L.pinv(mx.array([[1, 2, 3], [4, 5, 6]])), [[-0.9444443583488464, 0.444444477558136], [-0.11111123859882355, 0.11111117899417877], [0.7222222685813904, -0.22222229838371277]]);
    close(L.choleskyInv(mx.array([[2, 0], [1, 3]])), [[0.2777777910232544, -0.055555559694767], [-0.055555559694767, 0.111111119389534]]);
    close(L.triInv(mx.array([[1, 2], [3, 4]])), [[1, 0], [-0.75, 0.25]]);
    close(L.triInv(mx.array([[1, 2], [3, 4]]), true), [[1, -0.5], [0, 0.25]]);
    close(L.solve(mx.array([[1, 2], [3, 4]]), mx.array([[1, 2, 3], [4, 5, 6]])), [[2, 1, 0], [-0.5, 0.5, 1.5]], 1e-5);
    close(L.solveTriangular(mx.array([[1, 2], [3, 4]]), mx.array([1, 2]), true), [0, 0.5]);
  });

  it('cholesky reads one triangle and, like MLX, does not report a matrix that is not positive definite', () => {
    expect(L.cholesky(mx.array([[4, 100], [2, 3]])).tolist()).toEqual([[2, 0], [1, Math.fround(Math.SQRT2)]]);
    expect(L.cholesky(mx.array([[4, 100], [2, 3]]), true).tolist()).toEqual([[2, 50], [0, -2497]]);
    // LAPACK's recursive DPOTRF2 stops at the failing pivot; MLX returns what it leaves
    expect(L.cholesky(mx.array([[1, 2], [2, 1]])).tolist()).toEqual([[1, 0], [2, -3]]);
    expect(L.cholesky(mx.array([[4, 2, 1], [2, 1, 3], [1, 3, 5]])).tolist()).toEqual([[2, 0, 0], [1, 0, 0], [0.5, 2.5, 4.75]]);
    expect(L.cholesky(mx.array([[-1, 2], [2, 1]])).tolist()).toEqual([[-1, 0], [2, 1]]);
  });

  it("errors: MLX's messages for dtypes, dimensions, squareness, and failures at evaluation", () => {
    const i32 = mx.array([[1n, 2n], [3n, 4n]], mx.int32);
    expect(() => L.inv(i32)).toThrow('[linalg::inv] Arrays must have type float32 or float64. Received array with type int32.');
    expect(() => L.inv(mx.array([[1, 2], [3, 4]], mx.float16))).toThrow('Received array with type float16.');
    expect(() => L.inv(mx.array([1, 2]))).toThrow('[linalg::inv] Arrays must have >= 2 dimensions. Received array with 1 dimensions.');
    expect(() => L.inv(mx.zeros([2, 3]))).toThrow('[linalg::inv] Inverses are only defined for square matrices.');
    expect(() => L.cholesky(mx.zeros([2, 3]))).toThrow('[linalg::cholesky] Cholesky decomposition is only defined for square matrices.');
    expect(() => L.qr(i32)).toThrow('[linalg::qr] Arrays must have type float32 or float64. Received array with type int32.');
    expect(() => L.qr(mx.array([1, 2]))).toThrow('[linalg::qr] Arrays must have >= 2 dimensions. Received array with 1 dimensions.');
    expect(() => L.svd(i32)).toThrow('[linalg::svd] Arrays must have type float32, float64 or complex64. Received array with type int32.');
    expect(() => L.svd(mx.array([1, 2]))).toThrow('[linalg::svd] Input array must have >= 2 dimensions. Received array with 1 dimensions.');
    expect(() => L.eigh(i32)).toThrow('[linalg::eigh] Arrays must have type float32, float64 or complex64. Received array with type int32.');
    expect(() => L.eigvals(mx.zeros([2, 3]))).toThrow('[linalg::eigvals] Only defined for square matrices.');
    expect(() => L.lu(i32)).toThrow('[linalg::lu] Arrays must have type float32 or float64. Received array with type int32.');
    expect(() => L.det(mx.array([[{ re: 1, im: 0 }]]))).toThrow('[linalg::det] Complex inputs are not supported.');
    expect(() => L.slogdet(mx.zeros([2, 3]))).toThrow('[linalg::slogdet] Only defined for square matrices.');
    expect(() => L.slogdet(mx.eye(4, null, 0, mx.float16))).toThrow('[linalg::lu_factor] Arrays must have type float32 or float64. Received array with type float16.');
    expect(() => L.solve(i32, mx.array([1n, 2n], mx.int32))).toThrow('[linalg::solve] Input arrays must promote to float32 or float64.  Received arrays with type int32 and int32.');
    expect(() => L.solve(mx.eye(2), mx.array([1, 2, 3]))).toThrow('[linalg::solve] Last dimension of first input with shape (2,2) must match second to last dimension of second input with shape (3).');
    expect(() => L.solve(mx.zeros([2, 3]), mx.array([1, 2, 3]))).toThrow('[linalg::solve] First input must be a square matrix. Received array with shape (2,3).');
    expect(() => mx.eval(L.inv(mx.array([[1, 2], [2, 4]])))).toThrow('[Inverse::eval_cpu] LU factorization failed with error code 2');
    expect(() => mx.eval(L.inv(mx.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])))).toThrow('[Inverse::eval_cpu] LU factorization failed with error code 3');
    expect(() => mx.eval(L.inv(mx.zeros([3, 3])))).toThrow('[Inverse::eval_cpu] LU factorization failed with error code 1');
    expect(() => mx.eval(L.triInv(mx.array([[0, 2], [3, 4]])))).toThrow('[Inverse::eval_cpu] triangular inversion failed with error code 1');
    expect(() => mx.eval(L.solve(mx.array([[1, 2], [2, 4]]), mx.array([1, 2])))).toThrow('[Inverse::eval_cpu] triangular inversion failed with error code 2');
    expect(() => mx.eval(L.svd(mx.array([[NaN, 1], [1, 1]])))).toThrow('[SVD::eval_cpu] SVD failed with error code -4');
    // MLX's LAPACK aborts its balancing on NaN (printing XERBLA's message): mlx-ts answers NaN
    expect(L.eigvals(mx.array([[NaN, 1], [1, 1]])).tolist()).toEqual([{ re: NaN, im: NaN }, { re: NaN, im: NaN }]);
    expect(() => L.cross(mx.zeros([3, 2]), mx.zeros([3, 2]), 2)).toThrow('[linalg::cross] Axis 2 is out of bounds for array with 2 dimensions.');
  });

  it('a GPU stream gets MLX\'s error (these factorizations run on the CPU only)', () => {
    const a = mx.eye(2);
    const msg = 'This op is not yet supported on the GPU. Explicitly pass a CPU stream to run it.';
    expect(() => L.qr(a, mx.gpu)).toThrow(`[linalg::qr] ${msg}`);
    expect(() => L.svd(a, true, mx.gpu)).toThrow(`[linalg::svd] ${msg}`);
    expect(() => L.svd(a, mx.gpu)).toThrow(`[linalg::svd] ${msg}`);
    expect(() => L.inv(a, mx.newStream(mx.gpu))).toThrow(`[linalg::inv] ${msg}`);
    expect(() => L.cholesky(a, false, mx.gpu)).toThrow(`[linalg::cholesky] ${msg}`);
    expect(() => L.eigh(a, 'L', mx.gpu)).toThrow(`[linalg::eigh] ${msg}`);
    expect(() => L.eig(a, mx.gpu)).toThrow(`[linalg::eig] ${msg}`);
    expect(() => L.lu(a, mx.gpu)).toThrow(`[linalg::lu] ${msg}`);
    expect(() => L.solve(a, mx.array([1, 2]), mx.gpu)).toThrow(`[linalg::solve] ${msg}`);
    expect(() => L.det(a, mx.gpu)).toThrow(`[linalg::det] ${msg}`);
    expect(() => L.norm(a, 2, null, false, mx.gpu)).toThrow(`[linalg::svd] ${msg}`);
    expect(() => mx.random.multivariateNormal(mx.zeros([2]), a, [], mx.float32, null, mx.gpu)).toThrow(`[linalg::svd] ${msg}`);
    {
      using _s = mx.stream(mx.gpu);
      expect(() => L.inv(a)).toThrow(`[linalg::inv] ${msg}`);
      expect(() => L.inv(a, mx.cpu)).not.toThrow();
    }
    // the elementwise norms are not factorizations: they build on the stream given
    expect(L.norm(a, 1, null, false, mx.cpu).item()).toBe(1);
  });

  it('empty matrices (MLX crashes with SIGFPE inverting or factoring 0 x 0; mlx-ts returns empties)', () => {
    expect(L.inv(mx.zeros([0, 0])).shape).toEqual([0, 0]);
    expect(L.inv(mx.zeros([3, 0, 0])).shape).toEqual([3, 0, 0]);
    expect(L.triInv(mx.zeros([0, 0])).shape).toEqual([0, 0]);
    expect(L.lu(mx.zeros([0, 0])).map((x) => x.shape)).toEqual([[0], [0, 0], [0, 0]]);
    expect(L.qr(mx.zeros([0, 3])).map((x) => x.shape)).toEqual([[0, 0], [0, 3]]);
    expect(L.qr(mx.zeros([3, 0])).map((x) => x.shape)).toEqual([[3, 0], [0, 0]]);
    const [u, s, vt] = L.svd(mx.zeros([0, 3]));
    expect([u!.shape, s!.shape, vt!.tolist()]).toEqual([[0, 0], [0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
    expect(L.svd(mx.zeros([2, 0]))[0]!.tolist()).toEqual([[1, 0], [0, 1]]);
    expect(L.eigh(mx.zeros([0, 0])).map((x) => x.shape)).toEqual([[0], [0, 0]]);
    expect(L.eig(mx.zeros([0, 0])).map((x) => x.shape)).toEqual([[0], [0, 0]]);
    expect(L.cholesky(mx.zeros([0, 0])).shape).toEqual([0, 0]);
    expect(L.pinv(mx.zeros([0, 3])).shape).toEqual([3, 0]);
    expect(L.det(mx.zeros([2, 0, 0])).tolist()).toEqual([1, 1]);
  });
});

describe('linalg: accuracy (the bounds stated in the README)', () => {
  // c * n * eps, n the larger dimension, eps the dtype's machine epsilon (2^-23, 2^-52)
  const bound = (c: number, m: number, n: number, eps: number) => c * Math.max(m, n) * eps;

  it.each(dtypes)('QR: |A - QR| <= 4 n eps |A|, |Q^T Q - I| <= 4 n eps ($name)', ({ d, eps, tiny }) => {
    for (const [m, n] of shapes) {
      for (const [kind, a] of testMatrices(m, n, m * 31 + n, tiny)) {
        const [q, r] = L.qr(mx.array(a, d)).map(mat) as [M, M];
        const where = `${m}x${n} ${kind}`;
        expect(fro(sub(a, mul(q, r))) / fro(a), where).toBeLessThanOrEqual(bound(4, m, n, eps));
        expect(fro(sub(mul(tr(q), q), eye(Math.min(m, n)))), where).toBeLessThanOrEqual(bound(4, m, n, eps));
        r.forEach((row, i) => row.forEach((v, j) => j < i && expect(v).toBe(0)));
      }
    }
  });

  it.each(dtypes)('SVD: |A - U S V^T| <= 8 n eps |A|, |U^T U - I|, |V^T V - I| <= 8 n eps, |s - s_exact| <= 8 n eps s_max ($name)', ({ d, eps, tiny }) => {
    for (const [m, n] of shapes) {
      const k = Math.min(m, n);
      const r = rng(m * 7 + n);
      const known = geometric(k, tiny);
      const cases: [string, M, number[] | null][] = [
        ['random', randomM(m, n, r), null],
        ['ill-conditioned', withSingularValues(m, n, known, r), known],
        ['rank-deficient', withSingularValues(m, n, known.map((v, i) => (i % 2 ? 0 : v)), r), known.map((v, i) => (i % 2 ? 0 : v)).sort((x, y) => y - x)],
      ];
      for (const [kind, a, exact] of cases) {
        const [u, s, vt] = L.svd(mx.array(a, d)).map(mat) as [M, M, M];
        const sv = s as unknown as number[];
        const where = `${m}x${n} ${kind}`;
        const rec = mul(mul(cols(u, k), diag(sv)), rowsOf(vt, k));
        expect(fro(sub(a, rec)) / fro(a), where).toBeLessThanOrEqual(bound(8, m, n, eps));
        expect(fro(sub(mul(tr(u), u), eye(m))), where).toBeLessThanOrEqual(bound(8, m, n, eps));
        expect(fro(sub(mul(vt, tr(vt)), eye(n))), where).toBeLessThanOrEqual(bound(8, m, n, eps));
        sv.forEach((v, i) => expect(v >= 0 && (i === 0 || v <= sv[i - 1]!), where).toBe(true));
        if (exact) sv.forEach((v, i) => expect(Math.abs(v - exact[i]!), where).toBeLessThanOrEqual(bound(8, m, n, eps) * exact[0]!));
        const values = (L.svd(mx.array(a, d), false)[0]!.astype(mx.float64).tolist() as number[]);
        values.forEach((v, i) => expect(Math.abs(v - sv[i]!), where).toBeLessThanOrEqual(bound(8, m, n, eps) * sv[0]!));
      }
    }
  });

  it.each(dtypes)('eigh: |A V - V diag(w)| <= 8 n eps |A|, |V^T V - I| <= 8 n eps, |w - w_exact| <= 8 n eps |A|_2 ($name)', ({ d, eps, tiny }) => {
    for (const n of [1, 2, 3, 5, 8, 16, 30]) {
      const r = rng(n * 13);
      const exact = geometric(n, tiny).map((v, i) => (i % 2 ? -v : v)).sort((x, y) => x - y);
      const sym = (x: M) => x.map((row, i) => row.map((v, j) => (i >= j ? v : x[j]![i]!)));
      const cases: [string, M, number[] | null][] = [
        ['random', sym(randomM(n, n, r)), null],
        ['clustered', withEigenvalues(exact, r), exact],
        ['repeated', withEigenvalues(exact.map((v) => Math.round(v)), r), exact.map((v) => Math.round(v)).sort((x, y) => x - y)],
      ];
      for (const [kind, a, ex] of cases) {
        for (const uplo of ['L', 'U']) {
          const [w, v] = L.eigh(mx.array(a, d), uplo).map(mat) as [M, M];
          const wv = w as unknown as number[];
          const where = `${n} ${kind} ${uplo}`;
          expect(fro(sub(mul(a, v), mul(v, diag(wv)))) / fro(a), where).toBeLessThanOrEqual(bound(8, n, n, eps));
          expect(fro(sub(mul(tr(v), v), eye(n))), where).toBeLessThanOrEqual(bound(8, n, n, eps));
          wv.forEach((x, i) => expect(i === 0 || x >= wv[i - 1]!, where).toBe(true));
          if (ex) wv.forEach((x, i) => expect(Math.abs(x - ex[i]!), where).toBeLessThanOrEqual(bound(8, n, n, eps) * Math.max(...ex.map(Math.abs))));
        }
      }
    }
  });

  // eig's outputs are complex64 whatever the input (MLX): float32's epsilon bounds them
  it.each(dtypes)('eig: |A V - V diag(w)| <= 8 n eps32 |A| with unit eigenvectors, the largest component real ($name)', ({ d, tiny }) => {
    const eps = 2 ** -23;
    for (const n of [1, 2, 3, 5, 8, 16, 30]) {
      for (const [kind, a] of testMatrices(n, n, n * 17, tiny)) {
        const [w, v] = L.eig(mx.array(a, d));
        const wr = (mx.real(w!).astype(mx.float64).tolist() as number[]), wi = (mx.imag(w!).astype(mx.float64).tolist() as number[]);
        const vr = mat(mx.real(v!)), vi = mat(mx.imag(v!));
        const where = `${n} ${kind}`;
        // A V - V W in complex arithmetic
        let res = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let re = -(vr[i]![j]! * wr[j]! - vi[i]![j]! * wi[j]!), im = -(vr[i]![j]! * wi[j]! + vi[i]![j]! * wr[j]!);
            for (let k = 0; k < n; k++) {
              re += a[i]![k]! * vr[k]![j]!;
              im += a[i]![k]! * vi[k]![j]!;
            }
            res += re * re + im * im;
          }
        }
        expect(Math.sqrt(res) / fro(a), where).toBeLessThanOrEqual(bound(8, n, n, eps));
        for (let j = 0; j < n; j++) {
          const norms = vr.map((row, i) => row[j]! ** 2 + vi[i]![j]! ** 2);
          expect(Math.abs(Math.sqrt(norms.reduce((s, x) => s + x, 0)) - 1), where).toBeLessThanOrEqual(bound(4, n, n, eps));
          expect(Math.abs(vi[norms.indexOf(Math.max(...norms))]![j]!), where).toBe(0);
        }
        const vals = L.eigvals(mx.array(a, d));
        expect(mx.allclose(vals, w!).item(), where).toBe(true);
      }
    }
  });

  it.each(dtypes)('Cholesky: |A - L L^T| <= 4 n eps |A| (SPD, condition up to 1/tiny) ($name)', ({ d, eps, tiny }) => {
    for (const n of [1, 2, 3, 5, 8, 16, 30]) {
      const r = rng(n * 19);
      const g = randomM(n, n, r);
      for (const [kind, a] of [['random', mul(g, tr(g)).map((row, i) => row.map((v, j) => v + (i === j ? n : 0)))], ['ill-conditioned', withEigenvalues(geometric(n, tiny), r)]] as [string, M][]) {
        const l = mat(L.cholesky(mx.array(a, d)));
        const u = mat(L.cholesky(mx.array(a, d), true));
        expect(fro(sub(a, mul(l, tr(l)))) / fro(a), `${n} ${kind}`).toBeLessThanOrEqual(bound(4, n, n, eps));
        expect(fro(sub(a, mul(tr(u), u))) / fro(a), `${n} ${kind} upper`).toBeLessThanOrEqual(bound(4, n, n, eps));
      }
    }
  });

  it.each(dtypes)('LU: |A[p] - L U| <= 4 n eps |L| |U| ($name)', ({ d, eps, tiny }) => {
    for (const [m, n] of shapes) {
      for (const [kind, a] of testMatrices(m, n, m * 5 + n, tiny)) {
        const [p, l, u] = L.lu(mx.array(a, d));
        const perm = p!.tolist() as number[];
        const lm = mat(l!), um = mat(u!);
        // MLX's p: a = (L U)[p] (row i of a is row p[i] of L U)
        const lu = mul(lm, um);
        const back = perm.map((pi) => lu[pi]!);
        expect(fro(sub(a, back)) / (fro(lm) * fro(um)), `${m}x${n} ${kind}`).toBeLessThanOrEqual(bound(4, m, n, eps));
        lm.forEach((row) => row.forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(1))); // partial pivoting
      }
    }
  });

  it.each(dtypes)('inv: |A X - I| <= 4 n eps |A| |X|; triInv and choleskyInv too ($name)', ({ d, eps, tiny }) => {
    for (const n of [1, 2, 3, 5, 8, 16, 30]) {
      for (const [kind, a] of testMatrices(n, n, n * 3, tiny)) {
        const x = mat(L.inv(mx.array(a, d)));
        const where = `${n} ${kind}`;
        expect(fro(sub(mul(a, x), eye(n))) / (fro(a) * fro(x)), where).toBeLessThanOrEqual(bound(4, n, n, eps));
        const lower = a.map((row, i) => row.map((v, j) => (j < i ? v : j === i ? v + (v >= 0 ? 2 : -2) : 0)));
        const t = mat(L.triInv(mx.array(lower, d)));
        expect(fro(sub(mul(lower, t), eye(n))) / (fro(lower) * fro(t)), where).toBeLessThanOrEqual(bound(4, n, n, eps));
        const spdA = withEigenvalues(geometric(n, Math.sqrt(tiny)), rng(n));
        const ci = mat(L.choleskyInv(L.cholesky(mx.array(spdA, d))));
        expect(fro(sub(mul(spdA, ci), eye(n))) / (fro(spdA) * fro(ci)), where).toBeLessThanOrEqual(bound(8, n, n, eps));
      }
    }
  });

  it.each(dtypes)('solve: |x - x_exact| <= 8 n eps cond(A) |x_exact| (MLX solves through triangular inverses) ($name)', ({ d, eps, tiny }) => {
    for (const n of [1, 2, 3, 5, 8, 16, 30]) {
      const r = rng(n * 23);
      const sv = geometric(n, Math.sqrt(tiny));
      const a = withSingularValues(n, n, sv, r);
      const cond = sv[0]! / sv[n - 1]!;
      const xs = randomM(n, 2, r);
      // the exact solution of the system as rounded to the dtype (b rounded first)
      const aR = mat(mx.array(a, d)), bR = mat(mx.array(mul(a, xs), d));
      const xExact = mat(L.solve(mx.array(aR, mx.float64), mx.array(bR, mx.float64)));
      const x = mat(L.solve(mx.array(aR, d), mx.array(bR, d)));
      expect(fro(sub(x, xExact)) / fro(xExact), `${n}`).toBeLessThanOrEqual(bound(8, n, n, eps) * cond);
    }
  });

  it.each(dtypes)('det and slogdet: relative error <= 8 n eps cond(A); pinv: |A A+ A - A| <= 8 n eps |A| ($name)', ({ d, eps }) => {
    for (const n of [1, 2, 3, 4, 6, 10]) {
      const r = rng(n * 29);
      const sv = geometric(n, 0.01);
      const a = withSingularValues(n, n, sv, r);
      const exact = sv.reduce((s, v) => s * v, 1);
      const got = Math.abs(L.det(mx.array(a, d)).item() as number);
      expect(Math.abs(got - exact) / exact, `${n}`).toBeLessThanOrEqual(bound(8, n, n, eps) * 100);
      const [, logabs] = L.slogdet(mx.array(a, d));
      expect(Math.abs((logabs!.item() as number) - Math.log(exact)), `${n}`).toBeLessThanOrEqual(bound(8, n, n, eps) * 100);
      for (const [m, k] of [[n, n], [n + 2, n], [n, n + 3]]) {
        const b = randomM(m!, k!, r);
        const bp = mat(L.pinv(mx.array(b, d)));
        expect(fro(sub(mul(mul(b, bp), b), b)) / fro(b), `${m}x${k}`).toBeLessThanOrEqual(bound(8, m!, k!, eps));
      }
    }
  });

  it('complex64: SVD, eigh and eig residuals', () => {
    const eps = 2 ** -23;
    const r = rng(99);
    for (const n of [1, 2, 3, 5, 8]) {
      const re = randomM(n, n, r), im = randomM(n, n, r);
      const a = mx.add(mx.array(re), mx.multiply(mx.array(im), mx.array(mx.Complex(0, 1))));
      const nrm = mx.linalg.norm(a).item() as number;
      const [u, s, vt] = L.svd(a);
      expect(s!.dtype).toBe(mx.float32);
      const rec = mx.matmul(mx.multiply(u!, s!.astype(mx.complex64)), vt!);
      expect((mx.linalg.norm(mx.subtract(rec, a)).item() as number) / nrm).toBeLessThanOrEqual(8 * n * eps);
      const h = mx.add(a, mx.conjugate(mx.swapaxes(a, -1, -2)));
      const [w, v] = L.eigh(h);
      expect(w!.dtype).toBe(mx.float32);
      const rh = mx.subtract(mx.matmul(h, v!), mx.multiply(v!, w!.astype(mx.complex64)));
      expect((mx.linalg.norm(rh).item() as number) / (mx.linalg.norm(h).item() as number)).toBeLessThanOrEqual(8 * n * eps);
      // eig returns eigenvectors: A v = w v (MLX's complex eig returns their conjugates)
      const [ew, ev] = L.eig(a);
      const re2 = mx.subtract(mx.matmul(a, ev!), mx.multiply(ev!, ew!));
      expect((mx.linalg.norm(re2).item() as number) / nrm).toBeLessThanOrEqual(8 * n * eps);
    }
  });
});

describe('linalg: batches, layouts, transforms', () => {
  it('leading batch dims and strided inputs equal the per-matrix results', () => {
    const a = mx.random.uniform(-1, 1, [2, 3, 4, 4], mx.float32, mx.random.key(3));
    const spdA = mx.add(mx.matmul(a, mx.swapaxes(a, -1, -2)), mx.multiply(mx.eye(4), 4));
    const ops: [string, (x: mx.MxArray) => mx.MxArray[]][] = [
      ['qr', (x) => L.qr(x)], ['svd', (x) => L.svd(x)], ['inv', (x) => [L.inv(x)]], ['cholesky', (x) => [L.cholesky(x)]],
      ['eigh', (x) => L.eigh(x)], ['eig', (x) => L.eig(x)], ['luFactor', (x) => L.luFactor(x)], ['det', (x) => [L.det(x)]],
    ];
    for (const [name, f] of ops) {
      const x = name === 'cholesky' ? spdA : a;
      const all = f(x);
      const viewed = f(mx.swapaxes(mx.copy(mx.swapaxes(x, -1, -2)), -1, -2)); // transposed storage
      for (let b0 = 0; b0 < 2; b0++) {
        for (let b1 = 0; b1 < 3; b1++) {
          const one = f(x.index(b0, b1));
          one.forEach((o, k) => {
            expect(all[k]!.index(b0, b1).tolist(), name).toEqual(o.tolist());
            expect(viewed[k]!.index(b0, b1).tolist(), name).toEqual(o.tolist());
          });
        }
      }
    }
  });

  it('vmap over any axis, including QR and LU (MLX has no vmap for those)', () => {
    const a = mx.random.uniform(0, 1, [3, 4, 2], mx.float32, mx.random.key(0));
    const [us, ss, vts] = mx.vmap((x: mx.MxArray) => L.svd(x, true, mx.cpu), 1)(a) as mx.MxArray[];
    expect([us!.shape, ss!.shape, vts!.shape]).toEqual([[4, 3, 3], [4, 2], [4, 2, 2]]);
    for (let i = 0; i < 4; i++) {
      const m = a.index(mx.Slice(), i, mx.Slice());
      const rec = mx.matmul(mx.multiply(us!.index(i).index(mx.Slice(), mx.Slice(null, 2)), ss!.index(i)), vts!.index(i));
      expect(mx.allclose(rec, m, 1e-5, 1e-6).item()).toBe(true);
    }
    const sq = mx.random.uniform(0, 1, [4, 3, 4], mx.float32, mx.random.key(1));
    const qs = mx.vmap((x: mx.MxArray) => L.qr(x)[0]!, 1)(sq) as mx.MxArray;
    const lus = mx.vmap((x: mx.MxArray) => L.luFactor(x)[0]!, 1, 2)(sq) as mx.MxArray;
    for (let i = 0; i < 3; i++) {
      const m = sq.index(mx.Slice(), i, mx.Slice());
      expect(qs.index(i).tolist()).toEqual(L.qr(m)[0]!.tolist());
      expect(lus.index(mx.Slice(), mx.Slice(), i).tolist()).toEqual(L.luFactor(m)[0]!.tolist());
    }
    // MLX's Inverse vmap rule inverts the whole matrix even for triInv; mlx-ts keeps the triangle
    const t = mx.vmap((x: mx.MxArray) => L.triInv(x), 0)(mx.stack([mx.array([[1, 2], [3, 4]])])) as mx.MxArray;
    expect(t.tolist()).toEqual([[[1, 0], [-0.75, 0.25]]]);
  });

  it('grad, jvp and vmap(grad) through the factorizations (MLX raises "Not implemented" for all of them)', () => {
    const a = mx.array([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]], mx.float64);
    const ai = L.inv(a);
    // d det(A) / dA = det(A) A^-T; d log|det(A)| / dA = A^-T
    const g = mx.grad((x: mx.MxArray) => L.det(x))(a) as mx.MxArray;
    expect(mx.allclose(g, mx.multiply(L.det(a), mx.swapaxes(ai, -1, -2)), 1e-10, 1e-12).item()).toBe(true);
    const big = mx.add(mx.multiply(mx.eye(5, null, 0, mx.float64), 3), mx.random.uniform(-1, 1, [5, 5], mx.float32, mx.random.key(4)).astype(mx.float64));
    const gl = mx.grad((x: mx.MxArray) => L.slogdet(x)[1]!)(big) as mx.MxArray;
    expect(mx.allclose(gl, mx.swapaxes(L.inv(big), -1, -2), 1e-10, 1e-12).item()).toBe(true);
    // d tr(A^-1) = -tr(A^-1 dA A^-1)
    const [, tj] = mx.jvp((x: mx.MxArray) => mx.trace(L.inv(x)), [a], [mx.eye(3, null, 0, mx.float64)]) as [mx.MxArray[], mx.MxArray[]];
    expect(tj[0]!.item()).toBeCloseTo(-(mx.sum(mx.multiply(ai, mx.swapaxes(ai, -1, -2))).item() as number), 10);
    // sum of singular values of A A^T... d |A|_* = U V^T
    const [u, , vt] = L.svd(a);
    const gn = mx.grad((x: mx.MxArray) => L.norm(x, 'nuc'))(a) as mx.MxArray;
    expect(mx.allclose(gn, mx.matmul(u!, vt!), 1e-10, 1e-12).item()).toBe(true);
    const batch = mx.stack([a, mx.add(a, mx.eye(3, null, 0, mx.float64))]);
    const per = mx.vmap(mx.grad((x: mx.MxArray) => mx.sum(L.eigvalsh(x))))(batch) as mx.MxArray;
    // the eigenvalues sum to the trace: the gradient is the identity (lower triangle read)
    expect(mx.allclose(per, mx.stack([mx.eye(3), mx.eye(3)]), 1e-12, 1e-12).item()).toBe(true);
    expect(() => mx.grad((x: mx.MxArray) => mx.sum(mx.real(L.eigvals(x))))(a)).toThrow('[Primitive::vjp] Not implemented for Eig.');
    expect(() => mx.jvp((x: mx.MxArray) => L.eigvals(x), [a], [a])).toThrow('[Primitive::jvp] Not implemented for Eig.');
    const c = mx.array([[{ re: 2, im: 0 }, { re: 0, im: 1 }], [{ re: 0, im: -1 }, { re: 2, im: 0 }]]);
    expect(() => mx.grad((x: mx.MxArray) => mx.sum(L.eigvalsh(x)))(c)).toThrow('[Primitive::vjp] Not implemented for Eigh with complex inputs.');
  });

  it('compile replays the factorizations', () => {
    const f = mx.compile((x: mx.MxArray) => mx.add(L.det(x), mx.sum(L.svd(x, false)[0]!)));
    const a = mx.array([[2, 1], [1, 3]]);
    expect(f(a).item()).toBeCloseTo(5 + 5, 5);
    expect(f(mx.multiply(a, 2)).item()).toBeCloseTo(20 + 10, 4);
  });

  it('a shapeless compile replays the factorizations on new shapes', () => {
    const f = mx.compile((x: mx.MxArray) => [L.inv(x), ...L.svd(x), ...L.eigh(x), L.luFactor(x)[0]!, L.qr(x)[1]!], true);
    for (const n of [2, 3, 5]) {
      const a = mx.add(mx.random.uniform(-1, 1, [n, n], mx.float32, mx.random.key(n)), mx.multiply(mx.eye(n), 3));
      const got = f(a);
      const want = [L.inv(a), ...L.svd(a), ...L.eigh(a), L.luFactor(a)[0]!, L.qr(a)[1]!];
      got.forEach((g, i) => expect(g.tolist()).toEqual(want[i]!.tolist()));
    }
    const g = mx.compile((x: mx.MxArray) => L.inv(x), true);
    g(mx.eye(2));
    expect(() => g(mx.zeros([2, 3]))).toThrow('[linalg::inv] Only defined for square matrices, got shape (2,3).');
  });
});

describe('random.multivariateNormal', () => {
  it('shapes, dtypes and MLX errors', () => {
    const key = mx.random.key(0);
    const cov = mx.array([[1, 0], [0, 1]]);
    expect(mx.random.multivariateNormal(mx.array([0, 0]), cov, [], mx.float32, key, mx.cpu).shape).toEqual([2]);
    expect(mx.random.multivariateNormal(mx.array([[0, 7], [1, 2], [3, 4]]), mx.array([[1, 0.5], [0.5, 1]]), [4, 3]).shape).toEqual([4, 3, 2]);
    for (const t of [mx.int32, mx.float16, mx.bfloat16, mx.float64]) {
      expect(() => mx.random.multivariateNormal(mx.array([0, 0]), cov, [], t, key)).toThrow('[multivariate_normal] dtype must be float32.');
    }
    expect(() => mx.random.multivariateNormal(mx.array(0), cov)).toThrow('[multivariate_normal] mean must have at least one dimension.');
    expect(() => mx.random.multivariateNormal(mx.array([0, 0]), mx.array([1, 0]))).toThrow('[multivariate_normal] cov must have at least two dimensions.');
    expect(() => mx.random.multivariateNormal(mx.array([0, 0]), mx.zeros([2, 3]))).toThrow('[multivariate_normal] last two dimensions of cov must be equal.');
    expect(() => mx.random.multivariateNormal(mx.array([0, 0, 0]), cov)).toThrow('[multivariate_normal] mean and cov must have compatible shapes.');
    // MLX's value for this key (U sqrt(S) Vt of the identity is the identity)
    expect(mx.random.multivariateNormal(mx.array([0, 0]), cov, [], mx.float32, key).tolist()).toEqual(mx.random.normal([2], mx.float32, null, null, key).tolist());
  });

  it('samples with the given mean and covariance', () => {
    const mean = mx.array([4, 7]);
    const cov = mx.array([[2, 0.5], [0.5, 1]]);
    const n = 100000;
    const data = mx.random.multivariateNormal(mean, cov, [n], mx.float32, mx.random.key(0));
    const m = mx.mean(data, 0, true);
    const c = mx.divide(mx.matmul(mx.subtract(data, m).T, mx.subtract(data, m)), n);
    expect(mx.allclose(m.squeeze(), mean, 0, 0.02).item()).toBe(true);
    expect(mx.allclose(c, cov, 0, 0.04).item()).toBe(true);
  });
});

describe("MLX's test_vmap.py: test_vmap_svd, test_vmap_inverse", () => {
  it('test_vmap_svd', () => {
    const a = mx.random.uniform(0, 1, [3, 4, 2], mx.float32, mx.random.key(11));
    const full = (x: mx.MxArray) => L.svd(x, true, mx.cpu);
    const single = (x: mx.MxArray) => L.svd(x, false, mx.cpu)[0]!;
    for (const axis of [0, 1]) {
      const [us, ss, vts] = mx.vmap(full, axis)(a) as mx.MxArray[];
      const sv = mx.vmap(single, axis)(a) as mx.MxArray;
      const other = a.shape[1 - axis]!;
      expect([us!.shape, ss!.shape, vts!.shape, sv.shape]).toEqual([[a.shape[axis], other, other], [a.shape[axis], 2], [a.shape[axis], 2, 2], [a.shape[axis], 2]]);
      for (let i = 0; i < a.shape[axis]!; i++) {
        const m = axis === 0 ? a.index(i) : a.index(mx.Slice(), i, mx.Slice());
        const rec = mx.matmul(mx.matmul(us!.index(i).index(mx.Slice(), mx.Slice(null, 2)), mx.diag(ss!.index(i))), vts!.index(i));
        expect(mx.allclose(rec, m, 1e-5, 1e-7).item()).toBe(true);
        expect(mx.allclose(L.norm(sv.index(i)), L.norm(m, 'fro'), 1e-5, 1e-7).item()).toBe(true);
      }
    }
  });

  it('test_vmap_inverse', () => {
    const inv = (x: mx.MxArray) => L.inv(x, mx.cpu);
    mx.random.seed(42); // MLX's test: the same matrices (mlx-ts's random numbers are MLX's)
    let a = mx.random.uniform(0, 1, [3, 4, 4]);
    let invs = mx.vmap(inv, 0)(a) as mx.MxArray;
    for (let i = 0; i < 3; i++) expect(mx.allclose(mx.matmul(a.index(i), invs.index(i)), mx.eye(4), 1e-4, 1e-5).item()).toBe(true);
    a = mx.random.uniform(0, 1, [4, 3, 4]);
    expect(() => mx.eval(inv(a))).toThrow('[linalg::inv] Inverses are only defined for square matrices.');
    invs = mx.vmap(inv, 1)(a) as mx.MxArray;
    for (let i = 0; i < 3; i++) expect(mx.allclose(mx.matmul(a.index(mx.Slice(), i, mx.Slice()), invs.index(i)), mx.eye(4), 1e-4, 1e-5).item()).toBe(true);
  });
});
