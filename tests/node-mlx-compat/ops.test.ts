// node-mlx compatibility: the op calling conventions of node-mlx's `core` namespace
// (overloads such as mx.sum(a, true) / mx.sum(a, 0, true), methods on arrays, JS lists and scalars
// as operands). Expected values come from MLX 0.32.4.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const L = (a: mx.MxArray) => a.tolist();
const close = (a: mx.MxArray, want: number[] | number[][], digits = 5) => {
  const got = (a.tolist() as unknown[]).flat(Infinity) as number[];
  const exp = (want as unknown[]).flat(Infinity) as number[];
  expect(got.length).toBe(exp.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(exp[i], digits));
};

describe('comparisons with lists and scalars', () => {
  const a = mx.array([1, 2, 3]);
  it('equal / notEqual', () => {
    expect(mx.all(mx.equal(a, mx.array([1, 2, 3]))).item()).toBe(true);
    expect(mx.all(mx.equal(a, mx.array([1, 2, 4]))).item()).toBe(false);
    expect(mx.any(mx.equal(a, 1)).item()).toBe(true);
    expect(mx.all(mx.equal(a, 2.5)).item()).toBe(false);
    expect(mx.any(mx.equal(a, mx.array([1, 2.5, 3.25]))).item()).toBe(true);
    expect(L(mx.equal(a, [1, 2, 4]))).toEqual([true, true, false]);
    expect(L(mx.notEqual(a, [1, 2, 4]))).toEqual([false, false, true]);
    expect(mx.any(mx.notEqual(a, 1.5)).item()).toBe(true);
    expect(mx.all(mx.notEqual(a, mx.array([1, 2.5, 3.25]))).item()).toBe(false);
  });
  it('less / greater / arrayEqual', () => {
    expect(L(mx.less(a, 2))).toEqual([true, false, false]);
    expect(L(mx.greaterEqual(2, a))).toEqual([true, true, false]);
    expect(L(mx.lessEqual(a, [0, 2, 5]))).toEqual([false, true, true]);
    expect(L(mx.greater(a, 2))).toEqual([false, false, true]);
    // arrayEqual returns a 0-d bool array (MLX, node-mlx's runtime); dtypes need not match.
    const eq = mx.arrayEqual(mx.array([1n, 2n]), mx.array([1.0, 2.0], mx.float32));
    expect(eq).toBeInstanceOf(mx.MxArray);
    expect(eq.dtype).toBe(mx.bool_);
    expect(eq.ndim).toBe(0);
    expect(eq.item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2])).item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), [1, 2]).item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([1, 3])).item()).toBe(false);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2, 3])).item()).toBe(false);
    expect(mx.arrayEqual(mx.array([NaN]), mx.array([NaN]), true).item()).toBe(true);
  });
  it('isclose returns an array, allclose a 0-d bool array (MLX and node-mlx at run time; read it with item())', () => {
    expect(L(mx.isclose(mx.array([1, 2]), mx.array([1, 2.1])))).toEqual([true, false]);
    const r = mx.allclose(mx.array([1.0]), mx.array([1.0 + 1e-9]));
    expect(r).toBeInstanceOf(mx.MxArray);
    expect(r.dtype).toBe(mx.bool_);
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(true);
    expect(mx.allclose(mx.array([1]), mx.array([2])).item()).toBe(false);
    expect(mx.allclose(mx.array([NaN]), mx.array([NaN]), 1e-5, 1e-8, true).item()).toBe(true);
    expect(mx.allclose(mx.array([NaN]), mx.array([NaN])).item()).toBe(false);
    expect(mx.allclose(mx.array([1n, 2n]), mx.array([1, 2])).item()).toBe(true);
    // An array object is always truthy: an `if` must read item() (README).
    const no = mx.allclose(mx.array([1]), mx.array([2]));
    expect(Boolean(no)).toBe(true);
    expect(no.item() ? 'close' : 'apart').toBe('apart');
  });
});

describe('elementwise', () => {
  it('arithmetic accepts scalars on either side and nested lists', () => {
    expect(L(mx.add(mx.array([1, 2]), 1))).toEqual([2, 3]);
    expect(L(mx.subtract(10, mx.array([1, 2])))).toEqual([9, 8]);
    expect(L(mx.multiply(3, mx.array([1.5, 2])))).toEqual([4.5, 6]);
    expect(L(mx.add([[1], [2]], mx.array([10, 20])))).toEqual([[11, 21], [12, 22]]);
    // MLX: int / int is float32 true division (bigints are ints); floorDivide and remainder
    // follow Python's sign rules, for ints and floats.
    const d = mx.divide(mx.array([1n, 2n]), 2n);
    expect(d.dtype).toBe(mx.float32);
    expect(L(d)).toEqual([0.5, 1]);
    expect(L(mx.divide(mx.array([1, 2]), 2))).toEqual([0.5, 1]);
    expect(L(mx.floorDivide(mx.array([-3]), 2))).toEqual([-2]);
    expect(L(mx.remainder(mx.array([-3]), 2))).toEqual([1]);
    const fi = mx.floorDivide(mx.array([-3n]), 2n);
    expect([fi.dtype, L(fi)]).toEqual([mx.int32, [-2]]);
    const ri = mx.remainder(mx.array([-3n]), 2n);
    expect([ri.dtype, L(ri)]).toEqual([mx.int32, [1]]);
    expect(L(mx.remainder(mx.array([-3.5]), 2))).toEqual([0.5]);
    expect(L(mx.power(mx.array([2, 3]), 2))).toEqual([4, 9]);
    expect(L(mx.maximum(mx.array([1, 5]), 3))).toEqual([3, 5]);
    expect(L(mx.minimum(mx.array([1, 5]), 3))).toEqual([1, 3]);
  });
  it('array methods mirror the ops', () => {
    const a = mx.array([1, 4, 9], mx.float32);
    expect(L(a.sqrt())).toEqual([1, 2, 3]);
    expect(L(a.square())).toEqual([1, 16, 81]);
    expect(L(a.reciprocal())).toEqual([1, 0.25, 1 / 9].map(Math.fround));
    expect(L(mx.array([-1, 2]).abs())).toEqual([1, 2]);
    expect(L(a.power(0.5))).toEqual([1, 2, 3]);
    close(a.log(), [0, Math.log(4), Math.log(9)]);
    close(mx.array([0]).exp(), [1]);
    close(a.rsqrt(), [1, 0.5, 1 / 3]);
    expect(L(mx.array([1.5, 2.5, -0.5]).round())).toEqual([2, 2, -0]);
  });
  it('unary math with MLX dtypes', () => {
    expect(mx.abs(mx.array([-1, 2], mx.int8)).dtype).toBe(mx.int8);
    expect(L(mx.sign(mx.array([-2, 0, 3])))).toEqual([-1, 0, 1]);
    // sqrt of an int array is float32; square keeps int32 (bigints are ints, numbers floats).
    expect(mx.sqrt(mx.array([4n])).dtype).toBe(mx.float32);
    expect(L(mx.sqrt(mx.array([4n])))).toEqual([2]);
    expect(L(mx.sqrt(mx.array([4])))).toEqual([2]);
    expect(mx.square(mx.array([3n])).dtype).toBe(mx.int32);
    expect(L(mx.square(mx.array([3n])))).toEqual([9]);
    expect(mx.square(mx.array([3])).dtype).toBe(mx.float32);
    expect(L(mx.floor(mx.array([1.5, -1.5])))).toEqual([1, -2]);
    expect(L(mx.ceil(mx.array([1.5, -1.5])))).toEqual([2, -1]);
    close(mx.round(mx.array([1.234]), 2), [1.23]);
    expect(mx.sigmoid(mx.array(0.0)).item()).toBe(0.5);
    expect(mx.erf(mx.array(0.0)).item()).toBe(0);
    close(mx.sin(mx.array([0, Math.PI / 2])), [0, 1]);
    close(mx.cos(mx.array([0])), [1]);
    close(mx.arctan(mx.array([1])), [Math.PI / 4]);
    expect(L(mx.logicalNot(mx.array([true, false])))).toEqual([false, true]);
    expect(L(mx.logicalAnd(mx.array([true, true]), mx.array([true, false])))).toEqual([true, false]);
    // Bitwise ops need integer operands: a bigint shift (a weak int) keeps int32; a JS number is
    // a Python float, which MLX refuses (the result would be float32).
    expect(L(mx.leftShift(mx.array([1], mx.int32), 3n))).toEqual([8]);
    expect(mx.leftShift(mx.array([1], mx.int32), 3n).dtype).toBe(mx.int32);
    expect(L(mx.bitwiseAnd(mx.array([6], mx.int32), 3n))).toEqual([2]);
    expect(() => mx.leftShift(mx.array([1], mx.int32), 3)).toThrow(/left_shift.*integer/);
    expect(() => mx.bitwiseAnd(mx.array([6], mx.int32), 3)).toThrow(/bitwise_and.*integer/);
  });
  it('where / clip', () => {
    const w = mx.where(mx.array([true, false]), 1, 2.5);
    expect(w.dtype).toBe(mx.float32);
    expect(L(w)).toEqual([1, 2.5]);
    expect(L(mx.clip(mx.array([1, 5, 9]), 2, 6))).toEqual([2, 5, 6]);
  });
  it('broadcasting errors name the op', () => {
    expect(() => mx.add(mx.array([1, 2]), mx.array([1, 2, 3]))).toThrow();
  });
});

describe('creation', () => {
  it('zeros / ones / full / *Like', () => {
    expect(L(mx.zeros([2, 2]))).toEqual([[0, 0], [0, 0]]);
    expect(mx.zeros([2]).dtype).toBe(mx.float32);
    expect(mx.ones([2], mx.int32).dtype).toBe(mx.int32);
    expect(L(mx.full([2], 7))).toEqual([7, 7]);
    // node-mlx: a number fill is a Python float, float32; a bigint fill a Python int, int32.
    expect(mx.full([2], 7).dtype).toBe(mx.float32);
    expect(mx.full([2], 7n).dtype).toBe(mx.int32);
    expect(L(mx.full([2], 7n))).toEqual([7, 7]);
    expect(mx.full([2], true).dtype).toBe(mx.bool_);
    expect(L(mx.full([2], mx.array([1.5, 2])))).toEqual([1.5, 2]);
    expect(L(mx.full([2], 3, mx.float16))).toEqual([3, 3]);
    expect(mx.zerosLike(mx.array([[1n, 2n]])).dtype).toBe(mx.int32);
    expect(mx.zerosLike(mx.array([[1, 2]])).dtype).toBe(mx.float32);
    expect(L(mx.onesLike(mx.array([1.5, 2])))).toEqual([1, 1]);
  });
  it('arange overloads: (stop), (stop, dtype), (start, stop, step)', () => {
    expect(L(mx.arange(5))).toEqual([0, 1, 2, 3, 4]);
    // node-mlx: number bounds are Python floats, so arange(5) is float32 (MLX: arange(5.0)).
    expect(mx.arange(5).dtype).toBe(mx.float32);
    expect(mx.arange(5n).dtype).toBe(mx.int32);
    expect(L(mx.arange(5n))).toEqual([0, 1, 2, 3, 4]);
    expect(mx.arange(5, mx.int32).dtype).toBe(mx.int32);
    expect(mx.arange(64, mx.int32).shape).toEqual([64]);
    expect(mx.arange(3, mx.float32).dtype).toBe(mx.float32);
    expect(L(mx.arange(1, 3, 0.5))).toEqual([1, 1.5, 2, 2.5]);
    expect(mx.arange(1, 3, 0.5).dtype).toBe(mx.float32);
    expect(L(mx.arange(0, 10, 3))).toEqual([0, 3, 6, 9]);
    expect(mx.arange(0, 10, 3).dtype).toBe(mx.float32);
    expect(L(mx.arange(0n, 10n, 3n))).toEqual([0, 3, 6, 9]);
    expect(mx.arange(0n, 10n, 3n).dtype).toBe(mx.int32);
    expect(L(mx.arange(0, 4, 1, mx.float32))).toEqual([0, 1, 2, 3]);
    expect(mx.arange(0, 4, 1, mx.int32).dtype).toBe(mx.int32);
  });

  // README, "Numbers, booleans and bigints": the JS-value typing holds for creation ops too.
  it('arange / full / linspace typing: numbers are floats, bigints ints, a dtype wins', () => {
    const cases: [string, () => mx.MxArray, mx.Dtype, unknown][] = [
      ['arange(3)', () => mx.arange(3), mx.float32, [0, 1, 2]],
      ['arange(3n)', () => mx.arange(3n), mx.int32, [0, 1, 2]],
      ['arange(1n, 4n)', () => mx.arange(1n, 4n), mx.int32, [1, 2, 3]],
      ['arange(1n, 4)', () => mx.arange(1n, 4), mx.float32, [1, 2, 3]], // not every bound a bigint
      ['arange(4n, 0n, -2n)', () => mx.arange(4n, 0n, -2n), mx.int32, [4, 2]],
      ['arange(3, int32)', () => mx.arange(3, mx.int32), mx.int32, [0, 1, 2]],
      ['arange(3n, float16)', () => mx.arange(3n, mx.float16), mx.float16, [0, 1, 2]],
      ['arange(0, 2, 0.5)', () => mx.arange(0, 2, 0.5), mx.float32, [0, 0.5, 1, 1.5]],
      // full: the dtype types the scalar as a weak scalar meets that dtype (MLX's Python full).
      ['full([2], 1)', () => mx.full([2], 1), mx.float32, [1, 1]],
      ['full([2], 1n)', () => mx.full([2], 1n), mx.int32, [1, 1]],
      ['full([2], 1, int32)', () => mx.full([2], 1, mx.int32), mx.float32, [1, 1]], // MLX: full([2], 1.0, int32)
      ['full([2], 2.5, int32)', () => mx.full([2], 2.5, mx.int32), mx.float32, [2.5, 2.5]],
      ['full([2], 1n, int32)', () => mx.full([2], 1n, mx.int32), mx.int32, [1, 1]],
      ['full([2], 1n, int8)', () => mx.full([2], 1n, mx.int8), mx.int8, [1, 1]],
      ['full([2], 1n, uint64)', () => mx.full([2], 1n, mx.uint64), mx.uint64, [1, 1]],
      ['full([2], 1, float16)', () => mx.full([2], 1, mx.float16), mx.float16, [1, 1]],
      ['full([2], 1n, float16)', () => mx.full([2], 1n, mx.float16), mx.float16, [1, 1]],
      ['full([2], true)', () => mx.full([2], true), mx.bool_, [true, true]],
      ['full([2], true, int8)', () => mx.full([2], true, mx.int8), mx.int8, [1, 1]],
      ['full([2], mx.array([1, 2], int32))', () => mx.full([2], mx.array([1, 2], mx.int32)), mx.int32, [1, 2]],
      ['full([2], [1, 2])', () => mx.full([2], [1, 2]), mx.float32, [1, 2]],
      ['full([2], [1n, 2n])', () => mx.full([2], [1n, 2n]), mx.int32, [1, 2]],
      // linspace is float32 unless a dtype is given (MLX).
      ['linspace(0, 4, 3)', () => mx.linspace(0, 4, 3), mx.float32, [0, 2, 4]],
      ['linspace(0, 1, 3)', () => mx.linspace(0, 1, 3), mx.float32, [0, 0.5, 1]],
      ['linspace(0, 4, 3, int32)', () => mx.linspace(0, 4, 3, mx.int32), mx.int32, [0, 2, 4]],
      ['linspace(0, 1, 3, float16)', () => mx.linspace(0, 1, 3, mx.float16), mx.float16, [0, 0.5, 1]],
      ['zeros([2])', () => mx.zeros([2]), mx.float32, [0, 0]],
      ['ones([2], int32)', () => mx.ones([2], mx.int32), mx.int32, [1, 1]],
    ];
    for (const [name, f, d, want] of cases) {
      const a = f();
      expect([name, a.dtype, a.tolist()]).toEqual([name, d, want]);
    }
    // A bigint fill that the dtype can't hold is refused, as MLX refuses the Python int.
    expect(() => mx.full([2], 300n, mx.uint8)).toThrow(/overflow/);
  });
  it('linspace / eye / identity / tri', () => {
    expect(L(mx.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(L(mx.eye(2, 3, 1))).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(mx.eye(2).dtype).toBe(mx.float32);
    expect(L(mx.identity(2))).toEqual([[1, 0], [0, 1]]);
    expect(L(mx.tri(3, 3, 0))).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(L(mx.tril(mx.ones([2, 2])))).toEqual([[1, 0], [1, 1]]);
    expect(L(mx.triu(mx.ones([2, 2])))).toEqual([[1, 1], [0, 1]]);
  });
});

describe('reductions: (a, keepdims) and (a, axis, keepdims) overloads', () => {
  // An int32 array (bigints are Python ints): sum keeps int32, mean is float32.
  const a = mx.array([[1n, 2n], [3n, 4n]]);
  it('sum', () => {
    expect(mx.sum(a).item()).toBe(10);
    expect(mx.sum(a, true).shape).toEqual([1, 1]);
    expect(L(mx.sum(a, true))).toEqual([[10]]);
    expect(L(mx.sum(a, 0))).toEqual([4, 6]);
    expect(L(mx.sum(a, 0, true))).toEqual([[4, 6]]);
    expect(L(mx.sum(a, [0, 1]))).toEqual(10);
    expect(mx.sum(a, -1).tolist()).toEqual([3, 7]);
    expect(a.sum(1).tolist()).toEqual([3, 7]);
    expect(a.sum(true).shape).toEqual([1, 1]);
    expect(mx.sum(a).dtype).toBe(mx.int32);
    expect(mx.sum(mx.array([[1, 2], [3, 4]])).dtype).toBe(mx.float32);
    expect(mx.sum(mx.array([[1, 2], [3, 4]])).item()).toBe(10);
    expect(() => mx.sum(a, 3)).toThrow();
  });
  it('prod / max / min / mean', () => {
    expect(mx.prod(a).item()).toBe(24);
    expect(L(mx.max(a, 1))).toEqual([2, 4]);
    expect(L(mx.min(a, 0, true))).toEqual([[1, 2]]);
    expect(a.max().item()).toBe(4);
    expect(a.min(true).shape).toEqual([1, 1]);
    const m = mx.mean(a);
    expect(m.dtype).toBe(mx.float32);
    expect(m.item()).toBe(2.5);
    expect(L(mx.mean(a, 1))).toEqual([1.5, 3.5]);
    expect(L(a.mean(0, true))).toEqual([[2, 3]]);
  });
  it('all / any', () => {
    expect(mx.all(mx.array([true, false])).item()).toBe(false);
    expect(L(mx.all(mx.array([true, false]), true))).toEqual([false]);
    expect(L(mx.any(mx.array([[false, false], [false, true]]), 1))).toEqual([false, true]);
    expect(mx.array([1, 0]).any().item()).toBe(true);
    expect(mx.array([1, 0]).all().item()).toBe(false);
  });
  it('argmax / argmin return uint32', () => {
    const b = mx.array([[1, 5], [7, 2]]);
    const am = mx.argmax(b);
    expect(am.dtype).toBe(mx.uint32);
    expect(am.item()).toBe(2);
    expect(L(mx.argmax(b, 1, true))).toEqual([[1], [0]]);
    expect(L(mx.argmin(b, 0))).toEqual([0, 1]);
    expect(b.argmin(true).shape).toEqual([1, 1]);
  });
  it('variance / std', () => {
    expect(mx.variance(a).item()).toBe(1.25);
    expect(L(mx.variance(a, 0, false, 1))).toEqual([2, 2]);
    expect(L(mx.std(a, 0))).toEqual([1, 1]);
    expect(mx.std(a).item()).toBeCloseTo(1.118034, 5);
  });
  it('logsumexp / softmax', () => {
    expect(mx.logsumexp(mx.array([[1, 2], [3, 4]], mx.float32)).item()).toBeCloseTo(4.440189838, 5);
    expect(L(mx.softmax(mx.array([0, 0], mx.float32)))).toEqual([0.5, 0.5]);
    close(mx.softmax(mx.array([[1, 2], [3, 4]], mx.float32), 1), [[0.268941, 0.731059], [0.268941, 0.731059]]);
  });
});

describe('scans: (a, axis, reverse, inclusive)', () => {
  it('cumsum / cumprod / cummax / cummin', () => {
    const v = mx.array([1, 2, 3, 4]);
    expect(L(mx.cumsum(v))).toEqual([1, 3, 6, 10]);
    expect(L(mx.cumsum(v, 0, true, false))).toEqual([9, 7, 4, 0]);
    expect(L(mx.cumprod(v))).toEqual([1, 2, 6, 24]);
    expect(L(mx.cummax(mx.array([1, 3, 2, 5])))).toEqual([1, 3, 3, 5]);
    expect(L(mx.cummin(mx.array([3, 1, 2])))).toEqual([3, 1, 1]);
    const m = mx.array([[1, 2], [3, 4]]);
    expect(L(mx.cumsum(m, 1))).toEqual([[1, 3], [3, 7]]);
    // No axis: MLX scans the flattened array.
    expect(L(mx.cumsum(m))).toEqual([1, 3, 6, 10]);
    expect(L(m.cumprod(0, true))).toEqual([[3, 8], [3, 4]]);
  });
});

describe('sorting', () => {
  it('sort / argsort', () => {
    expect(L(mx.sort(mx.array([[3, 1, 2], [9, 8, 7]])))).toEqual([[1, 2, 3], [7, 8, 9]]);
    const idx = mx.argsort(mx.array([3, 1, 2]));
    expect(idx.dtype).toBe(mx.uint32);
    expect(L(idx)).toEqual([1, 2, 0]);
    expect(L(mx.sort(mx.array([[3, 1], [1, 3]]), 0))).toEqual([[1, 1], [3, 3]]);
  });
  it('partition / argpartition put the kth element in place', () => {
    const p = mx.partition(mx.array([5, 1, 4, 2, 3]), 2).tolist() as number[];
    expect(p[2]).toBe(3);
    expect(p.slice(0, 2).every((x) => x <= 3)).toBe(true);
    expect(p.slice(3).every((x) => x >= 3)).toBe(true);
    const ap = mx.argpartition(mx.array([5, 1, 4, 2, 3]), 2);
    expect(ap.dtype).toBe(mx.uint32);
    expect((ap.tolist() as number[])[2]).toBe(4);
  });
  it('topk returns one array (MLX; node-mlx declared a pair)', () => {
    const t = mx.topk(mx.array([3, 1, 4, 1, 5, 9, 2, 6]), 3);
    expect(t).toBeInstanceOf(mx.MxArray);
    expect((t.tolist() as number[]).slice().sort((x, y) => x - y)).toEqual([5, 6, 9]);
    const t2 = mx.topk(mx.array([[3, 1, 4], [1, 5, 9]]), 2, 1);
    expect(t2.shape).toEqual([2, 2]);
    expect((t2.tolist() as number[][]).map((r) => r.slice().sort((x, y) => x - y))).toEqual([[3, 4], [5, 9]]);
  });
});

describe('matmul family', () => {
  const a = mx.array([[1, 2], [3, 4]], mx.float32);
  it('matmul / addmm / inner / outer / tensordot', () => {
    expect(L(mx.matmul(a, a))).toEqual([[7, 10], [15, 22]]);
    expect(L(mx.matmul(mx.array([1, 2], mx.float32), a))).toEqual([7, 10]);
    expect(L(mx.addmm(a, a, a, 2, 0.5))).toEqual([[14.5, 21], [31.5, 46]]);
    expect(mx.inner(mx.array([1, 2], mx.float32), mx.array([3, 4], mx.float32)).item()).toBe(11);
    expect(L(mx.outer(mx.array([1, 2], mx.float32), mx.array([3, 4], mx.float32)))).toEqual([[3, 4], [6, 8]]);
    expect(L(mx.tensordot(a, a, 1))).toEqual([[7, 10], [15, 22]]);
  });
  it('integer matmul is rejected, as in MLX', () => {
    expect(() => mx.matmul(mx.array([[1]], mx.int32), mx.array([[1]], mx.int32))).toThrow();
  });
  it('trace returns one array (MLX; node-mlx declared a pair) and diag/diagonal', () => {
    const m = mx.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const t = mx.trace(m, 0, 0, 1);
    expect(t).toBeInstanceOf(mx.MxArray);
    expect(t.item()).toBe(12);
    expect(mx.trace(m, 1, 0, 1).item()).toBe(6);
    expect(mx.trace(m, 0, 0, 1, mx.float32).dtype).toBe(mx.float32);
    expect(L(mx.diag(mx.array([1, 2])))).toEqual([[1, 0], [0, 2]]);
    expect(L(mx.diagonal(m, 1))).toEqual([1, 5]);
    expect(L(m.diagonal())).toEqual([0, 4, 8]);
  });
});

describe('shape ops', () => {
  const a = mx.array([[1, 2], [3, 4]]);
  it('reshape / flatten / squeeze / expandDims', () => {
    expect(mx.arange(6).reshape([2, 3]).shape).toEqual([2, 3]);
    expect(mx.reshape(mx.arange(6), [3, -1]).shape).toEqual([3, 2]);
    expect(mx.flatten(mx.zeros([2, 3, 4]), 1, 2).shape).toEqual([2, 12]);
    expect(mx.zeros([2, 3]).flatten().shape).toEqual([6]);
    expect(mx.squeeze(mx.zeros([1, 2, 1])).shape).toEqual([2]);
    expect(mx.zeros([1, 2, 1]).squeeze(0).shape).toEqual([2, 1]);
    expect(mx.expandDims(a, [0, 2]).shape).toEqual([1, 2, 1, 2]);
    expect(mx.expandDims(a, 0).shape).toEqual([1, 2, 2]);
  });
  it('transpose variants: (a), (a, [axes]), (a, ...axes), .T', () => {
    const z = mx.array(new Array(24).fill(0)).reshape([2, 3, 4]);
    expect(mx.transpose(z).shape).toEqual([4, 3, 2]);
    expect(mx.transpose(z, [1, 0, 2]).shape).toEqual([3, 2, 4]);
    expect(mx.transpose(z, 1, 0, 2).shape).toEqual([3, 2, 4]);
    expect(L(a.T)).toEqual([[1, 3], [2, 4]]);
    expect(mx.moveaxis(z, 0, 2).shape).toEqual([3, 4, 2]);
    expect(mx.swapaxes(z, 0, 2).shape).toEqual([4, 3, 2]);
    expect(z.swapaxes(0, 1).shape).toEqual([3, 2, 4]);
  });
  it('concatenate / stack / split', () => {
    expect(L(mx.concatenate([a, a], 1))).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(mx.concatenate([a, a]).shape).toEqual([4, 2]);
    expect(L(mx.stack([mx.array([1, 2]), mx.array([3, 4])], 1))).toEqual([[1, 3], [2, 4]]);
    expect(mx.stack([a, a]).shape).toEqual([2, 2, 2]);
    const parts = mx.split(mx.arange(6), 3);
    expect(parts.map(L)).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(mx.split(mx.arange(6), [1, 4]).map(L)).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(mx.arange(6).reshape([2, 3]).split(3, 1).map((p) => p.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    expect(() => mx.split(mx.arange(5), 2)).toThrow();
  });
  it('repeat / tile / pad / broadcastTo / meshgrid', () => {
    expect(L(mx.repeat(mx.array([1, 2]), 2))).toEqual([1, 1, 2, 2]);
    expect(L(mx.tile(mx.array([1, 2]), [2, 2]))).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(L(mx.pad(mx.array([1, 2]), 1))).toEqual([0, 1, 2, 0]);
    // node-mlx order: (array, padWidth, constantValue, mode).
    expect(L(mx.pad(mx.array([1, 2]), [[1, 2]], 9))).toEqual([9, 1, 2, 9, 9]);
    expect(L(mx.broadcastTo(mx.array([1, 2]), [2, 2]))).toEqual([[1, 2], [1, 2]]);
    const [x, y] = mx.meshgrid(mx.array([1, 2]), mx.array([3, 4, 5]));
    expect(x.shape).toEqual([3, 2]);
    expect(y.shape).toEqual([3, 2]);
  });
  it('kron', () => {
    expect(mx.kron(mx.array([1, 2]), mx.array([1, 10])).tolist()).toEqual([1, 10, 2, 20]);
  });
  it('astype / view', () => {
    expect(mx.array([1.7]).astype(mx.int32).tolist()).toEqual([1]);
    expect(mx.array([1], mx.float32).view(mx.int32).item()).toBe(1065353216);
  });
});

describe('streams as the last argument', () => {
  const a = mx.array([[1, 2], [3, 4]]);
  const f = mx.array([[1, 2], [3, 4]], mx.float32);
  it.each([
    ['mx.add(a, 1, mx.cpu)', () => mx.add(a, 1, mx.cpu), [[2, 3], [4, 5]]],
    ['mx.sum(a, 0, false, mx.cpu)', () => mx.sum(a, 0, false, mx.cpu), [4, 6]],
    ['mx.sum(a, true, stream)', () => mx.sum(a, true, mx.defaultStream(mx.cpu)), [[10]]],
    ['mx.max(a, true, mx.cpu)', () => mx.max(a, true, mx.cpu), [[4]]],
    ['a.sum(1, false, mx.cpu)', () => a.sum(1, false, mx.cpu), [3, 7]],
    ['a.sum(true, mx.cpu)', () => a.sum(true, mx.cpu), [[10]]],
    ['mx.argmax(a, true, mx.cpu)', () => mx.argmax(a, true, mx.cpu), [[3]]],
    ['mx.zeros([2], mx.float32, mx.cpu)', () => mx.zeros([2], mx.float32, mx.cpu), [0, 0]],
    ['mx.arange(0, 3, 1, mx.int32, mx.cpu)', () => mx.arange(0, 3, 1, mx.int32, mx.cpu), [0, 1, 2]],
    ['mx.cumsum(a, 1, false, true, mx.cpu)', () => mx.cumsum(a, 1, false, true, mx.cpu), [[1, 3], [3, 7]]],
    ['mx.matmul(f, f, newStream)', () => mx.matmul(f, f, mx.newStream(mx.cpu)), [[7, 10], [15, 22]]],
    ['mx.reshape(a, [4], mx.cpu)', () => mx.reshape(a, [4], mx.cpu), [1, 2, 3, 4]],
    ['a.astype(mx.float32, mx.cpu)', () => a.astype(mx.float32, mx.cpu), [[1, 2], [3, 4]]],
  ] as [string, () => mx.MxArray, unknown][])('%s', (_name, fn, want) => {
    expect(fn().tolist()).toEqual(want);
  });
});

describe('node-mlx shorthand forms', () => {
  it('shapes given as a bare number', () => {
    expect(mx.full(2, 3.5).tolist()).toEqual([3.5, 3.5]);
    expect(mx.zeros(2).tolist()).toEqual([0, 0]);
    expect(mx.ones(3).shape).toEqual([3]);
    expect(mx.broadcastTo(mx.array(1), 2).tolist()).toEqual([1, 1]);
  });
  it('full broadcasts an array fill value and keeps its dtype', () => {
    const x = mx.full([3, 2], mx.array([false, true]));
    expect(x.dtype).toBe(mx.bool_);
    expect(x.tolist()).toEqual([[false, true], [false, true], [false, true]]);
    for (const t of [mx.bool_, mx.int32, mx.float32]) {
      expect(mx.zeros([2, 2], t).dtype).toBe(t);
      expect(mx.zerosLike(mx.zeros([2, 2], t)).dtype).toBe(t);
      expect(mx.onesLike(mx.ones([2, 2], t)).dtype).toBe(t);
    }
  });
  // node-mlx: every JS number is a Python float, so number-only cases are float32 as in MLX
  // with 1.0 + 2.0; bigints are Python ints (int32), booleans bools.
  it('ops on two JS scalars follow MLX typing', () => {
    const cases: [unknown, unknown, mx.Dtype, number | boolean][] = [
      [false, true, mx.bool_, true],
      [1, 2, mx.float32, 3],
      [true, 2, mx.float32, 3],
      [1, 2.5, mx.float32, 3.5],
      [1n, 2n, mx.int32, 3],
      [true, 2n, mx.int32, 3],
      [1n, 2.5, mx.float32, 3.5],
      [1n, 2, mx.float32, 3],
    ];
    for (const [a, b, d, v] of cases) {
      const r = mx.add(a as number, b as number);
      expect(r.dtype).toBe(d);
      expect(r.item()).toBe(v);
    }
    expect(mx.add(mx.array(true), 1).dtype).toBe(mx.float32);
    expect(mx.add(mx.array(1), false).dtype).toBe(mx.float32);
    expect(mx.add(mx.array(1.5), 1).dtype).toBe(mx.float32);
    expect(mx.add(mx.array(true), 1n).dtype).toBe(mx.int32);
    expect(mx.add(mx.array(1n), false).dtype).toBe(mx.int32);
    expect(mx.add(mx.array(1n), 1n).dtype).toBe(mx.int32);
    expect(mx.add(mx.array(1n), 1).dtype).toBe(mx.float32);
  });
  it('arange: dtype casting corner cases and invalid ranges (MLX)', () => {
    expect(mx.arange(0, 3, 0.2, mx.int32).tolist()).toEqual(Array(15).fill(0));
    expect(mx.arange(-1, -20, -1.2, mx.int32).tolist()).toEqual(Array.from({ length: 16 }, (_, i) => -1 - i));
    expect(mx.arange(0, 10, 100).tolist()).toEqual([0]);
    expect(mx.arange(10, 0, 1).tolist()).toEqual([]);
    expect(mx.arange(0, 10, Infinity).tolist()).toEqual([0]);
    expect(mx.arange(1, 3.5).dtype).toBe(mx.float32);
    expect(() => mx.arange(NaN, 1, 5)).toThrow();
    expect(() => mx.arange(0, 2, NaN)).toThrow();
    expect(() => mx.arange(Infinity, 1, 5)).toThrow();
    expect(() => mx.arange(0, 2 ** 31, 1)).toThrow();
  });
  it('more elementwise names used by node-mlx programs', () => {
    expect(mx.logaddexp(mx.array([0.0]), mx.array([0.0])).item()).toBeCloseTo(Math.LN2, 6);
    expect(mx.isnan(mx.array([NaN, 1])).tolist()).toEqual([true, false]);
    expect(mx.expm1(mx.array([0.0])).tolist()).toEqual([0]);
    expect(mx.negative(mx.array([2, 3])).tolist()).toEqual([-2, -3]);
  });
});

describe('view round-trips (node-mlx ops.spec "view")', () => {
  it('reinterpreting and back gives the original, also from broadcast and transposed inputs', () => {
    const base = mx.array([[-100, 5, 7, 99], [0, -1, 42, 3]], mx.int32);
    for (const a of [mx.broadcastTo(base, [4, 2, 4]), mx.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], mx.int32).T]) {
      for (const d of [mx.bool_, mx.int16, mx.float32, mx.int64]) {
        expect(a.view(d).view(mx.int32).tolist()).toEqual(a.tolist());
      }
    }
    expect(mx.array([1, 2], mx.int32).view(mx.int16).shape).toEqual([4]);
    expect(mx.array([1, 2], mx.int32).view(mx.int64).shape).toEqual([1]);
  });
});

describe('more shape ops with node-mlx argument order', () => {
  const a = mx.array([1, 2, 3]);
  it('pad(array, padWidth, constantValue, mode) with every MLX mode', () => {
    expect(mx.pad(a, 2, 0, 'edge').tolist()).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(mx.pad(a, 2, 0, 'reflect').tolist()).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(mx.pad(a, 2, 0, 'symmetric').tolist()).toEqual([2, 1, 1, 2, 3, 3, 2]);
    expect(mx.pad(mx.array([[1, 2], [3, 4]]), [[1, 0], [0, 1]]).tolist()).toEqual([[0, 0, 0], [1, 2, 0], [3, 4, 0]]);
  });
  it('roll / atleast2d / unflatten / divmod', () => {
    expect(mx.roll(a, 1).tolist()).toEqual([3, 1, 2]);
    expect(mx.atleast2d(a).shape).toEqual([1, 3]);
    expect(mx.unflatten(mx.zeros([6]), 0, [2, 3]).shape).toEqual([2, 3]);
    const [q, r] = mx.divmod(mx.array([7]), mx.array([2]));
    expect([q.tolist(), r.tolist()]).toEqual([[3], [1]]);
  });
});
