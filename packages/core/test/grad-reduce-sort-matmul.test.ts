// Autodiff and batching rules of the reductions, scans, sorting and matmul primitives.
// Expected values were computed with the real MLX 0.32.4 (mx.grad / mx.vjp / mx.jvp) unless a
// comment says they were derived by hand; vmap is checked against a loop over the batch.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

type Nested = number | Nested[];

/** Elementwise closeness of nested lists, NaN matching NaN. */
function expectClose(actual: mx.MxArray, expected: Nested, digits = 4): void {
  const walk = (a: unknown, e: Nested): void => {
    if (Array.isArray(e)) {
      expect(Array.isArray(a)).toBe(true);
      expect((a as unknown[]).length).toBe(e.length);
      e.forEach((v, i) => walk((a as unknown[])[i], v));
    } else if (Number.isNaN(e)) expect(a).toBeNaN();
    else expect(a as number).toBeCloseTo(e, digits);
  };
  walk(actual.tolist(), expected);
}

const f32 = (v: Nested) => mx.array(v as number[], mx.float32);
const grad1 = (fn: (x: mx.MxArray) => mx.MxArray, x: mx.MxArray) => mx.grad(fn)(x) as mx.MxArray;
/** The gradient of sum(f(x) * w): a vjp with cotangent w. */
const weighted = (fn: (x: mx.MxArray) => mx.MxArray, x: mx.MxArray, w: Nested) => grad1((y) => mx.sum(mx.multiply(fn(y), f32(w))), x);
const tangentOf = (fn: (x: mx.MxArray) => mx.MxArray, x: mx.MxArray, t: mx.MxArray) => mx.jvp(fn, [x], [t])[1][0]!;

/** Index i of axis `ax` (the axis removed), as one example of a batch. */
const example = (x: mx.MxArray, ax: number, i: number) => mx.take(x, i, ax);

/**
 * vmap(fn, inAxes)(...inputs) equals stacking fn over the examples along axis 0; inAxes[i] is
 * null for an unbatched input. Values must match exactly (the same kernels run either way).
 */
function checkVmap(fn: (...xs: mx.MxArray[]) => mx.MxArray, inputs: mx.MxArray[], inAxes: (number | null)[]): void {
  const first = inAxes.findIndex((a) => a !== null);
  const n = inputs[first]!.shape[inAxes[first]!]!;
  const got = mx.vmap(fn, inAxes)(...inputs) as mx.MxArray;
  const loop = Array.from({ length: n }, (_, i) => fn(...inputs.map((x, k) => (inAxes[k] === null ? x : example(x, inAxes[k]!, i)))));
  const want = mx.stack(loop, 0);
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  expect(mx.arrayEqual(got, want, true).item()).toBe(true);
}

/** A float32 array of `shape` with distinct-ish values (some repeats, to exercise ties). */
function sample(shape: number[], seed = 1): mx.MxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 11) - 5 + (i % 3) * 0.25);
  return mx.reshape(mx.array(vals, mx.float32), shape);
}

describe('Reduce rules', () => {
  it('max/min split the cotangent equally between ties; NaN gives NaN', () => {
    expectClose(grad1((x) => mx.max(x), f32([1, 3, 3])), [0, 0.5, 0.5]);
    expectClose(grad1((x) => mx.min(x), f32([2, 1, 1, 1])), [0, 1 / 3, 1 / 3, 1 / 3]);
    expectClose(grad1((x) => mx.max(x), f32([1, NaN, 2])), [NaN, NaN, NaN]);
    expectClose(weighted((x) => mx.max(x, 1), f32([[1, 5, 5], [2, 0, 1]]), [10, 20]), [[0, 5, 5], [20, 0, 0]]); // by hand
  });

  it('prod: products of the others, with one or several zeros, over several axes', () => {
    expectClose(grad1((x) => mx.prod(x), f32([2, 0, 3])), [0, 6, 0]);
    expectClose(grad1((x) => mx.prod(x), f32([2, 0, 3, 0])), [0, 0, 0, 0]);
    const x = mx.reshape(mx.arange(1, 13, mx.float32), [2, 2, 3]);
    expectClose(weighted((y) => mx.prod(y, [0, 2]), x, [1, 2]), [
      [[3024, 1512, 1008], [79200, 63360, 52800]],
      [[432, 378, 336], [31680, 28800, 26400]],
    ], 0);
  });

  it('complex prod: the cotangent times the conjugate product of the others', () => {
    const c = (re: number, im: number) => mx.Complex(re, im);
    const x = mx.array([c(1, 2), c(3, -1), c(0, 2)]);
    const [, [g]] = mx.vjp((y) => mx.prod(y), [x], [mx.array(c(1, 1))]);
    expect(g!.tolist()).toEqual([{ re: 8, im: -4 }, { re: -2, im: -6 }, { re: 10, im: 0 }]);
    const [, [t]] = mx.jvp((y) => mx.prod(y), [x], [mx.array([c(1, 0), c(0, 1), c(2, 0)])]);
    expect(t!.tolist()).toEqual({ re: 10, im: 12 });
  });

  it('sum broadcasts the cotangent; integer inputs get the dtypes MLX gives', () => {
    expectClose(weighted((x) => mx.sum(x, 0, true), f32([[1, 2], [3, 4]]), [[5, 6]]), [[5, 6], [5, 6]]);
    const [, [g]] = mx.vjp((x) => mx.sum(x), [mx.array([1, 2, 3], mx.int32)], [mx.array(1n)]);
    expect(g!.dtype).toBe(mx.int32);
    expect(g!.tolist()).toEqual([1, 1, 1]);
    const [, [gp]] = mx.vjp((x) => mx.prod(x), [mx.array([1, 2, 3], mx.int32)], [mx.array(1n)]);
    expect([gp!.dtype, gp!.tolist()]).toEqual([mx.int32, [6, 3, 2]]);
    // MLX returns float32 [0, 0, 1] here (the division by the tie count promotes)
    const [, [gm]] = mx.vjp((x) => mx.max(x), [mx.array([1, 2, 3], mx.int32)], [mx.array(1n)]);
    expect(gm!.dtype).toBe(mx.float32);
    expect(gm!.tolist()).toEqual([0, 0, 1]);
  });

  it('all/any and argmax/argmin have zero derivatives of the right dtypes', () => {
    const x = f32([1, 2, 3]);
    expectClose(grad1((y) => mx.add(mx.astype(mx.argmax(y), mx.float32), mx.sum(y)), x), [1, 1, 1]);
    const [, [ga]] = mx.vjp((y) => mx.argmax(y), [f32([1, 2])], [mx.array(1, mx.uint32)]);
    expect(ga!.dtype).toBe(mx.float32);
    expect(ga!.tolist()).toEqual([0, 0]);
    const [, [ta]] = mx.jvp((y) => mx.argmin(y, 0), [f32([1, 2])], [f32([1, 1])]);
    expect(ta!.dtype).toBe(mx.uint32);
    expect(ta!.tolist()).toEqual(0);
    for (const fn of [(y: mx.MxArray) => mx.all(y, 0), (y: mx.MxArray) => mx.any(mx.greater(y, 1), 0)]) {
      const [, [g]] = mx.vjp(fn, [f32([1, 2])], [mx.array(true)]);
      expect(g!.dtype).toBe(mx.float32);
      expect(g!.tolist()).toEqual([0, 0]);
    }
    const [, [tb]] = mx.jvp((y) => mx.all(y, 0), [f32([1, 2])], [f32([1, 1])]);
    expect(tb!.dtype).toBe(mx.bool);
  });

  it('jvp: max/min follow the first extreme, prod multiplies the others', () => {
    expectClose(tangentOf((x) => mx.max(x), f32([1, 3, 3]), f32([1, 2, 4])), 2);
    expectClose(tangentOf((x) => mx.min(x, [0, 1]), f32([[1, 3], [1, 0]]), f32([[1, 2], [4, 8]])), 8);
    expectClose(tangentOf((x) => mx.prod(x), f32([2, 0, 3]), f32([1, 2, 4])), 12);
    const x = mx.reshape(mx.arange(1, 9, mx.float32), [2, 2, 2]);
    expectClose(tangentOf((y) => mx.prod(y, [0, 2]), x, mx.onesLike(x)), [112, 572]);
    expectClose(tangentOf((y) => mx.sum(y, 1), f32([[1, 2], [3, 4]]), f32([[1, 2], [4, 8]])), [3, 12]);
    // Several axes: the first extreme in row-major order of the reduced axes.
    const x3 = f32([[[1, 5], [5, 2]], [[0, 5], [3, 4]]]);
    const t3 = mx.reshape(mx.arange(8, mx.float32), [2, 2, 2]);
    expectClose(tangentOf((y) => mx.max(y, [0, 2]), x3, t3), [1, 2]);
    expectClose(tangentOf((y) => mx.min(y, [0, 2]), x3, t3), [4, 3]);
    expectClose(weighted((y) => mx.max(y, [0, 2]), x3, [1, 2]), [[[0, 0.5], [2, 0]], [[0, 0.5], [0, 0]]]);
  });

  it('keeps half dtypes and empty shapes', () => {
    const g = grad1((x) => mx.max(x), mx.array([1, 3, 3], mx.float16));
    expect(g.dtype).toBe(mx.float16);
    expect(g.tolist()).toEqual([0, 0.5, 0.5]);
    expect(grad1((x) => mx.sum(x), mx.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(grad1((x) => mx.sum(mx.prod(x, 0)), mx.zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it('logsumexp and softmax (composed ops) as MLX, an infinite maximum giving NaN', () => {
    expectClose(grad1((x) => mx.logsumexp(x), f32([1, 2, 3])), [0.0900306, 0.244728, 0.665241]);
    expectClose(grad1((x) => mx.logsumexp(x), f32([1, Infinity, 3])), [NaN, NaN, NaN]);
    expectClose(weighted((x) => mx.softmax(x), f32([1, 2, 3]), [1, 2, 3]), [-0.141817, -0.14077, 0.282587]);
  });

  it('second derivatives', () => {
    expectClose(grad1((x) => mx.sum(grad1((y) => mx.prod(y), x)), f32([2, 3, 4])), [7, 6, 5]);
    expectClose(grad1((x) => mx.sum(grad1((y) => mx.sum(mx.multiply(mx.max(y), y)), x)), f32([2, 3, 4])), [1, 1, 4]);
  });

  it('vmap equals a loop over the batch, batch axis anywhere', () => {
    const x = sample([3, 4, 5]);
    for (const ax of [0, 1, 2]) {
      checkVmap((y) => mx.sum(y, 0), [x], [ax]);
      checkVmap((y) => mx.prod(y, [0, 1]), [x], [ax]);
      checkVmap((y) => mx.max(y, 1, true), [x], [ax]);
      checkVmap((y) => mx.min(y), [x], [ax]);
      checkVmap((y) => mx.all(mx.greater(y, -4), 1), [x], [ax]);
      checkVmap((y) => mx.any(mx.greater(y, 4), 0), [x], [ax]);
      checkVmap((y) => mx.argmax(y, 1), [x], [ax]);
      checkVmap((y) => mx.argmin(y, 0, true), [x], [ax]);
      checkVmap((y) => mx.argmax(y), [x], [ax]);
    }
    checkVmap((y, z) => mx.add(mx.sum(y, 0), mx.max(z)), [x, sample([4, 5], 2)], [2, null]);
  });
});

describe('Scan rules', () => {
  it('cumprod through zeros, exclusive and reversed', () => {
    expectClose(grad1((x) => mx.sum(mx.cumprod(x)), f32([1, 0, 3])), [1, 4, 0]);
    expectClose(grad1((x) => mx.sum(mx.cumprod(x)), f32([2, 0, 3, 0, 5])), [1, 8, 0, 0, 0]);
    expectClose(weighted((x) => mx.cumprod(x, 0, true, false), f32([2, 0, 3, 4]), [1, 2, 3, 4]), [0, 12, 8, 9]);
    expectClose(weighted((x) => mx.cumprod(x, 0, false, false), f32([2, 0, 3, 4]), [1, 2, 3, 4]), [2, 30, 0, 0]);
    expectClose(weighted((x) => mx.cumprod(x, 0), f32([[1, 2], [0, 3]]), [[0, 0], [1, 1]]), [[0, 3], [1, 2]]);
  });

  it('cummax/cummin send each cotangent to the latest tied extreme', () => {
    expectClose(grad1((x) => mx.sum(mx.cummax(x)), f32([1, 3, 2, 3])), [1, 2, 0, 1]);
    expectClose(grad1((x) => mx.sum(mx.cummin(x, 0, true)), f32([1, 3, 1, 3])), [1, 0, 2, 1]);
    expectClose(weighted((x) => mx.cummax(x, 0, false, false), f32([1, 3, 2, 3]), [1, 2, 3, 4]), [2, 7, 0, 0]);
    expectClose(weighted((x) => mx.cummax(x, 0, true, false), f32([1, 3, 2, 3]), [1, 2, 3, 4]), [0, 1, 0, 5]);
    expectClose(grad1((x) => mx.sum(mx.cummax(x)), f32([1, NaN, 2])), [3, 0, 0]);
    // A leading NaN holds no extreme (MLX 0.32.4 crashes here): no derivative passes.
    expectClose(weighted((x) => mx.cummax(x), f32([NaN, 1, 2]), [1, 2, 4]), [0, 0, 0]);
    expectClose(weighted((x) => mx.cummin(x, 0, true), f32([1, 2, NaN]), [1, 2, 4]), [0, 0, 0]);
    expectClose(tangentOf((x) => mx.cummax(x), f32([NaN, 1, 2]), f32([1, 2, 4])), [0, 0, 0]);
    const [, [g]] = mx.vjp((x) => mx.cummax(x), [mx.array([1, 2, 3], mx.int32)], [mx.array([1, 1, 1], mx.int32)]);
    expect(g!.dtype).toBe(mx.int32);
    expect(g!.tolist()).toEqual([1, 1, 1]);
  });

  it('cumsum and logcumsumexp, forward, reversed and exclusive', () => {
    expectClose(weighted((x) => mx.cumsum(x, 0, true, false), f32([0.5, 1, -1]), [1, 2, 3]), [0, 1, 3]);
    const [, [gi]] = mx.vjp((x) => mx.cumsum(x), [mx.array([1, 2, 3], mx.int32)], [mx.array([1, 1, 1], mx.int32)]);
    expect([gi!.dtype, gi!.tolist()]).toEqual([mx.int32, [3, 2, 1]]);
    expectClose(weighted((x) => mx.logcumsumexp(x), f32([0.5, 1, -1]), [1, -2, 3]), [1.28954, 0.477372, 0.233087]);
    expectClose(weighted((x) => mx.logcumsumexp(x, 0, true, false), f32([0.5, 1, -1]), [1, -2, 3]), [0, 0.880797, -1.8808]);
    const negInf = f32([-Infinity, -Infinity, 1]);
    expectClose(grad1((x) => mx.take(mx.logcumsumexp(x), 2), negInf), [NaN, NaN, 1]);
    expectClose(grad1((x) => mx.take(mx.logcumsumexp(x), 1), negInf), [NaN, NaN, 0]);
  });

  it('jvp of every scan', () => {
    const x = f32([2, 0, 3]);
    const t = f32([1, 2, 4]);
    expectClose(tangentOf((y) => mx.cumsum(y, 0, true), x, t), [7, 6, 4]);
    expectClose(tangentOf((y) => mx.logcumsumexp(y), x, t), [1, 1.1192, 3.15127]);
    // MLX has no jvp for cumprod/cummax/cummin; these are derived by hand.
    expectClose(tangentOf((y) => mx.cumprod(y), x, t), [1, 4, 12]);
    expectClose(tangentOf((y) => mx.cumprod(y, 0, true, false), f32([2, 5, 0, 3]), f32([1, 2, 4, 8])), [60, 12, 8, 0]);
    expectClose(tangentOf((y) => mx.cumprod(y, 0, false, false), f32([2, 5, 3]), f32([1, 2, 4])), [0, 1, 9]);
    expectClose(tangentOf((y) => mx.cummax(y), x, t), [1, 1, 4]);
    expectClose(tangentOf((y) => mx.cummin(y, 0, true, false), f32([1, 3, 1, 3]), f32([1, 2, 4, 8])), [4, 4, 8, 0]);
    expectClose(tangentOf((y) => mx.cumsum(y, 0, false, false), x, t), [0, 1, 3]);
  });

  it('jvp agrees with vjp (<J t, c> = <t, J^T c>) where MLX has no jvp', () => {
    const x = f32([[2, 0, -1.5, 3, 0], [1, 0.5, 4, -2, 2], [4, 4, 1, 4, 3]]);
    const t = f32([[0.3, -1, 2, 0.5, 1], [1, 2, -0.5, 0.25, 3], [2, -1, 1, 0.5, -2]]);
    const c = f32([[1, -2, 0.5, 3, 1], [0.5, 1, 1, -1, 2], [-1, 2, 3, 1, 0.5]]);
    const fns = [
      (y: mx.MxArray) => mx.cumprod(y, 1),
      (y: mx.MxArray) => mx.cumprod(y, 1, true, false),
      (y: mx.MxArray) => mx.cumprod(y, 0, false, false),
      (y: mx.MxArray) => mx.cummax(y, 1),
      (y: mx.MxArray) => mx.cummin(y, 0, true),
      (y: mx.MxArray) => mx.cummax(y, 1, true, false),
      (y: mx.MxArray) => mx.logcumsumexp(y, 1, false, false),
    ];
    for (const fn of fns) {
      const jt = tangentOf(fn, x, t);
      const [, [vc]] = mx.vjp(fn, [x], [c]);
      expect(mx.sum(mx.multiply(jt, c)).item() as number).toBeCloseTo(mx.sum(mx.multiply(t, vc!)).item() as number, 3);
    }
  });

  it('second derivatives', () => {
    expectClose(grad1((x) => mx.sum(grad1((y) => mx.sum(mx.cumprod(y)), x)), f32([2, 3, 4])), [8, 7, 5]);
    expectClose(grad1((x) => mx.sum(grad1((y) => mx.sum(mx.logcumsumexp(y)), x)), f32([2, 3, 4])), [0, 0, 0]);
  });

  it('vmap equals a loop over the batch', () => {
    const x = sample([3, 4, 5]);
    for (const ax of [0, 1, 2]) {
      checkVmap((y) => mx.cumsum(y, 1), [x], [ax]);
      checkVmap((y) => mx.cumprod(y, 0, true), [x], [ax]);
      checkVmap((y) => mx.cummax(y, 1, false, false), [x], [ax]);
      checkVmap((y) => mx.cummin(y, 0, true, false), [x], [ax]);
      checkVmap((y) => mx.logcumsumexp(y, -1), [x], [ax]);
      checkVmap((y) => mx.cumsum(y), [x], [ax]);
    }
    checkVmap((y) => mx.cumsum(mx.greater(y, 0), 0), [x], [1]);
  });
});

describe('Sort rules', () => {
  it('sort scatters the cotangent back through the stable permutation', () => {
    expectClose(weighted((x) => mx.sort(x), f32([3, 1, 3, 1]), [1, 2, 3, 4]), [3, 1, 4, 2]);
    expectClose(weighted((x) => mx.sort(x, 0), f32([[3, 1], [2, 5]]), [[1, 2], [3, 4]]), [[3, 2], [1, 4]]);
    expectClose(grad1((x) => mx.sum(mx.sort(x)), f32([1, NaN, 2])), [1, 1, 1]);
    expectClose(tangentOf((x) => mx.sort(x), f32([3, 1, 3, 1]), f32([1, 2, 4, 8])), [2, 8, 1, 4]);
    const [, [g]] = mx.vjp((x) => mx.sort(x), [mx.array([3, 1, 2], mx.int32)], [mx.array([1, 2, 3], mx.int32)]);
    expect(g!.dtype).toBe(mx.int32);
    expect(g!.tolist()).toEqual([3, 1, 2]);
  });

  it('partition and topk route cotangents to the chosen elements', () => {
    // The order within each side of kth is unspecified: weights constant per side pin the result.
    expectClose(weighted((x) => mx.partition(x, 1), f32([4, 1, 3, 2]), [1, 5, 9, 9]), [9, 1, 9, 5]);
    expectClose(tangentOf((x) => mx.take(mx.partition(x, 2), 2), f32([4, 1, 3, 2]), f32([1, 2, 4, 8])), 4);
    expectClose(weighted((x) => mx.topk(x, 2), f32([3, 1, 4, 2]), [1, 1]), [1, 0, 1, 0]);
    expectClose(weighted((x) => mx.topk(x, 2), f32([3, 1, 3, 2]), [1, 1]), [1, 0, 1, 0]);
    // With tied values MLX's topk happens to list the earlier index first; so does this backend.
    expectClose(weighted((x) => mx.topk(x, 2), f32([3, 1, 3, 2]), [1, 2]), [1, 0, 2, 0]);
    expectClose(tangentOf((x) => mx.topk(x, 2), f32([3, 1, 3, 2]), f32([1, 2, 4, 8])), [1, 4]);
  });

  it('argsort/argpartition have zero derivatives (float cotangent, uint32 tangent)', () => {
    for (const fn of [(y: mx.MxArray) => mx.argsort(y), (y: mx.MxArray) => mx.argpartition(y, 0)]) {
      const [, [g]] = mx.vjp(fn, [f32([2, 1])], [mx.array([1, 1], mx.uint32)]);
      expect(g!.dtype).toBe(mx.float32);
      expect(g!.tolist()).toEqual([0, 0]);
      const [, [t]] = mx.jvp(fn, [f32([2, 1])], [f32([1, 1])]);
      expect(t!.dtype).toBe(mx.uint32);
      expect(t!.tolist()).toEqual([0, 0]);
    }
  });

  it('second derivatives', () => {
    const w = f32([1, 2, 3]);
    const inner = (y: mx.MxArray) => mx.sum(mx.multiply(mx.square(mx.sort(y)), w));
    expectClose(grad1((x) => mx.sum(grad1(inner, x)), f32([2, 3, 1])), [4, 6, 2]);
  });

  it('vmap equals a loop over the batch', () => {
    const x = sample([3, 4, 5]);
    for (const ax of [0, 1, 2]) {
      checkVmap((y) => mx.sort(y), [x], [ax]);
      checkVmap((y) => mx.sort(y, 0), [x], [ax]);
      checkVmap((y) => mx.argsort(y, 1), [x], [ax]);
      checkVmap((y) => mx.partition(y, 2, 1), [x], [ax]);
      checkVmap((y) => mx.argpartition(y, 1, 0), [x], [ax]);
      checkVmap((y) => mx.topk(y, 2, -1), [x], [ax]);
      checkVmap((y) => mx.sort(y, null), [x], [ax]);
    }
  });
});

describe('vmap of grad (the rules of the backward graph batch too)', () => {
  it('matches MLX', () => {
    expectClose(mx.vmap(mx.grad((y: mx.MxArray) => mx.max(y)))(f32([[1, 3, 3], [2, 0, 2]])) as mx.MxArray, [[0, 0.5, 0.5], [0.5, 0, 0.5]]);
    const sortAndScan = (y: mx.MxArray) => mx.add(mx.multiply(mx.take(mx.sort(y), 0), 2), mx.take(mx.cumprod(y), -1));
    expectClose(mx.vmap(mx.grad(sortAndScan))(f32([[1, 3, 2], [2, 0, 4]])) as mx.MxArray, [[8, 2, 3], [0, 10, 0]]);
    const w = f32([[1, 2], [3, 4]]);
    expectClose(mx.vmap(mx.grad((a: mx.MxArray) => mx.sum(mx.matmul(a, w))))(f32([[[1, 3]], [[2, 0]]])) as mx.MxArray, [[[3, 7]], [[3, 7]]]);
  });
});

describe('Matmul rules', () => {
  it('grad with broadcast batch dims and 1-D operands', () => {
    const a = mx.reshape(mx.arange(6, mx.float32), [1, 2, 3]);
    const b = mx.reshape(mx.arange(24, mx.float32), [4, 3, 2]);
    const [ga, gb] = mx.grad((x: mx.MxArray, y: mx.MxArray) => mx.sum(mx.matmul(x, y)), [0, 1])(a, b) as mx.MxArray[];
    expectClose(ga!, [[[76, 92, 108], [76, 92, 108]]]);
    expectClose(gb!, Array.from({ length: 4 }, () => [[3, 3], [5, 5], [7, 7]]));
    const [g1, g2] = mx.grad((x: mx.MxArray, y: mx.MxArray) => mx.sum(mx.matmul(x, y)), [0, 1])(
      f32([1, 2, 3]),
      mx.reshape(mx.arange(6, mx.float32), [3, 2]),
    ) as mx.MxArray[];
    expectClose(g1!, [1, 5, 9]);
    expectClose(g2!, [[1, 1], [2, 2], [3, 3]]);
    const [h1, h2] = mx.grad((x: mx.MxArray, y: mx.MxArray) => mx.matmul(x, y), [0, 1])(f32([1, 2, 3]), f32([4, 5, 6])) as mx.MxArray[];
    expectClose(h1!, [4, 5, 6]);
    expectClose(h2!, [1, 2, 3]);
  });

  it('mixed dtypes give each input a cotangent of its own dtype; complex uses the adjoint', () => {
    const [ga, gb] = mx.grad((x: mx.MxArray, y: mx.MxArray) => mx.sum(mx.matmul(x, y)), [0, 1])(
      mx.array([[1, 2]], mx.float16),
      f32([[3], [4]]),
    ) as mx.MxArray[];
    expect(ga!.dtype).toBe(mx.float16);
    expect(ga!.tolist()).toEqual([[3, 4]]);
    expect(gb!.dtype).toBe(mx.float32);
    expect(gb!.tolist()).toEqual([[1], [2]]);
    const c = (re: number, im: number) => mx.Complex(re, im);
    const a = mx.array([[c(1, 2), c(0, 3)]]);
    const b = mx.array([[c(1, -1)], [c(2, 0)]]);
    const [, [va, vb]] = mx.vjp((x, y) => mx.matmul(x, y), [a, b], [mx.array([[c(1, 1)]])]);
    expect(va!.tolist()).toEqual([[{ re: 0, im: 2 }, { re: 2, im: 2 }]]);
    expect(vb!.tolist()).toEqual([[{ re: 3, im: -1 }], [{ re: 3, im: -3 }]]);
  });

  it('addmm: alpha scales the product cotangents, beta that of c (summed over its broadcast)', () => {
    const [gc, ga, gb] = mx.grad(
      (c: mx.MxArray, a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.multiply(mx.addmm(c, a, b, 2, 3), f32([[1, 2]]))),
      [0, 1, 2],
    )(f32([1, 2]), f32([[1, 2]]), f32([[3, 1], [4, 2]])) as mx.MxArray[];
    expectClose(gc!, [3, 6]);
    expectClose(ga!, [[10, 16]]);
    expectClose(gb!, [[2, 4], [4, 8]]);
  });

  it('jvp of matmul and addmm', () => {
    const [, [t]] = mx.jvp((a, b) => mx.matmul(a, b), [f32([[1, 2]]), f32([[3], [4]])], [f32([[1, 1]]), f32([[2], [0.5]])]);
    expectClose(t!, [[10]]);
    // MLX 0.32.4's AddMM jvp ignores alpha and beta ([[6, 3]] here); this is the derivative:
    // 2 * (ta @ b + a @ tb) + 3 * tc = 2 * ([3, 1] + [2, 1]) + 3 * [1, 1].
    const [, [u]] = mx.jvp(
      (c, a, b) => mx.addmm(c, a, b, 2, 3),
      [f32([1, 2]), f32([[1, 2]]), f32([[3, 1], [4, 2]])],
      [f32([1, 1]), f32([[1, 0]]), f32([[0, 1], [1, 0]])],
    );
    expectClose(u!, [[13, 7]]);
    const [, [v]] = mx.jvp((a) => mx.addmm(f32([1, 2]), a, f32([[3, 1], [4, 2]]), 2, 3), [f32([[1, 2]])], [f32([[1, 0]])]);
    expectClose(v!, [[6, 2]]);
  });

  it('second derivatives', () => {
    expectClose(grad1((x) => mx.sum(grad1((y) => mx.sum(mx.matmul(y, mx.transpose(y))), x)), f32([[2, 3], [4, 5]])), [[4, 4], [4, 4]]);
  });

  it('vmap equals a loop over the batch, unbatched operands broadcast', () => {
    const a = sample([3, 2, 4]);
    const b = sample([4, 3, 5], 2);
    const mm = (x: mx.MxArray, y: mx.MxArray) => mx.matmul(x, y);
    checkVmap(mm, [a, sample([3, 4, 5], 2)], [0, 0]);
    checkVmap(mm, [a, b], [0, 1]);
    checkVmap(mm, [sample([2, 4, 3]), b], [2, 1]);
    checkVmap(mm, [a, sample([4, 5], 3)], [0, null]);
    checkVmap(mm, [sample([2, 4]), b], [null, 1]);
    checkVmap(mm, [sample([3, 4]), b], [0, 1]); // 1-D left operand per example
    checkVmap(mm, [a, sample([4, 3])], [0, 1]); // 1-D right operand per example
    checkVmap(mm, [sample([2, 3, 2, 4]), sample([2, 4, 5], 2)], [1, null]); // batch dims inside
    const am = (c: mx.MxArray, x: mx.MxArray, y: mx.MxArray) => mx.addmm(c, x, y, 0.5, 2);
    checkVmap(am, [sample([2, 5], 4), a, b], [null, 0, 1]);
    checkVmap(am, [sample([5, 3], 4), a, sample([4, 5], 2)], [1, 0, null]);
    checkVmap(am, [sample([5]), sample([2, 4]), sample([4, 5, 3], 2)], [null, null, 2]);
    checkVmap(am, [sample([2, 3, 5], 4), sample([2, 4]), sample([4, 5], 2)], [1, null, null]);
  });
});

describe('gradient dtypes and values for integer and bool inputs (MLX 0.32.4 table)', () => {
  // vjp of f at [1, 3, 3] cast to the dtype, cotangent ones: [f, input dtype, gradient dtype, values]
  const table: [string, string, string, number[]][] = [["max", "int32", "float32", [0.0, 0.5, 0.5]], ["max", "int8", "float32", [0.0, 0.5, 0.5]], ["max", "uint8", "float32", [0.0, 0.5, 0.5]], ["max", "bool", "float32", [0.3333333432674408, 0.3333333432674408, 0.3333333432674408]], ["max", "float16", "float16", [0.0, 0.5, 0.5]], ["min", "int32", "float32", [1.0, 0.0, 0.0]], ["min", "int8", "float32", [1.0, 0.0, 0.0]], ["min", "uint8", "float32", [1.0, 0.0, 0.0]], ["min", "bool", "float32", [0.3333333432674408, 0.3333333432674408, 0.3333333432674408]], ["min", "float16", "float16", [1.0, 0.0, 0.0]], ["sum", "int32", "int32", [1.0, 1.0, 1.0]], ["sum", "int8", "int32", [1.0, 1.0, 1.0]], ["sum", "uint8", "uint32", [1.0, 1.0, 1.0]], ["sum", "bool", "int32", [1.0, 1.0, 1.0]], ["sum", "float16", "float16", [1.0, 1.0, 1.0]], ["prod", "int32", "int32", [9.0, 3.0, 3.0]], ["prod", "int8", "int32", [9.0, 3.0, 3.0]], ["prod", "uint8", "uint32", [9.0, 3.0, 3.0]], ["prod", "bool", "int32", [1.0, 1.0, 1.0]], ["prod", "float16", "float16", [9.0, 3.0, 3.0]], ["cumprod", "int32", "float32", [13.0, 4.0, 3.0]], ["cumprod", "int8", "float32", [13.0, 4.0, 3.0]], ["cumprod", "uint8", "float32", [13.0, 4.0, 3.0]], ["cumprod", "bool", "float32", [3.0, 2.0, 1.0]], ["cumprod", "float16", "float16", [13.0, 4.0, 3.0]], ["cumsum", "int32", "int32", [3.0, 2.0, 1.0]], ["cumsum", "int8", "int32", [3.0, 2.0, 1.0]], ["cumsum", "uint8", "uint32", [3.0, 2.0, 1.0]], ["cumsum", "bool", "int32", [3.0, 2.0, 1.0]], ["cumsum", "float16", "float16", [3.0, 2.0, 1.0]], ["cummax", "int32", "int32", [1.0, 1.0, 1.0]], ["cummax", "int8", "int8", [1.0, 1.0, 1.0]], ["cummax", "uint8", "uint8", [1.0, 1.0, 1.0]], ["cummax", "bool", "bool", [1.0, 1.0, 1.0]], ["cummax", "float16", "float16", [1.0, 1.0, 1.0]], ["cummin", "int32", "int32", [3.0, 0.0, 0.0]], ["cummin", "int8", "int8", [3.0, 0.0, 0.0]], ["cummin", "uint8", "uint8", [3.0, 0.0, 0.0]], ["cummin", "bool", "bool", [1.0, 1.0, 1.0]], ["cummin", "float16", "float16", [3.0, 0.0, 0.0]], ["sort", "int32", "int32", [1.0, 1.0, 1.0]], ["sort", "int8", "int8", [1.0, 1.0, 1.0]], ["sort", "uint8", "uint8", [1.0, 1.0, 1.0]], ["sort", "bool", "bool", [1.0, 1.0, 1.0]], ["sort", "float16", "float16", [1.0, 1.0, 1.0]], ["mean", "int32", "int32", [0.0, 0.0, 0.0]], ["mean", "int8", "int32", [0.0, 0.0, 0.0]], ["mean", "uint8", "uint32", [0.0, 0.0, 0.0]], ["mean", "bool", "int32", [0.0, 0.0, 0.0]], ["mean", "float16", "float16", [0.333251953125, 0.333251953125, 0.333251953125]]];
  const fns: Record<string, (x: mx.MxArray) => mx.MxArray> = {
    max: (x) => mx.max(x), min: (x) => mx.min(x), sum: (x) => mx.sum(x), prod: (x) => mx.prod(x),
    cumprod: (x) => mx.sum(mx.cumprod(x)), cumsum: (x) => mx.sum(mx.cumsum(x)), cummax: (x) => mx.sum(mx.cummax(x)),
    cummin: (x) => mx.sum(mx.cummin(x)), sort: (x) => mx.sum(mx.sort(x)), mean: (x) => mx.mean(x),
  };
  it.each(table)('%s of %s: gradient %s %j', (name, dt, gdt, want) => {
    const x = mx.array([1, 3, 3]).astype((mx as unknown as Record<string, mx.Dtype>)[dt === 'bool' ? 'bool_' : dt]!);
    const f = fns[name]!;
    const out = f(x);
    const [, [g]] = mx.vjp(f, [x], [mx.onesLike(out)]);
    expect(g!.dtype.toString()).toBe(`mlx.core.${gdt}`);
    const got = (g!.astype(mx.float32).tolist() as number[]);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });
});
