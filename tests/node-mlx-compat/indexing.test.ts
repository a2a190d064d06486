// node-mlx compatibility: a.index(...), mx.Slice, '...', null, array indices, in-place
// a.indexPut_(...) and functional a.at(...).add(...) updates. Values checked against MLX 0.32.4
// (Python's a[...] / a[...] = v / a.at[...].add(v)).
import { describe, it, expect, beforeAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import fc from 'fast-check';

const range = (n: number) => [...Array(n).keys()];
// Local stand-ins for mx.arange / mx.zeros / mx.ones (which ops.test.ts covers), so this suite
// checks indexing on its own.
const size = (shape: number | number[]) => (typeof shape === 'number' ? shape : shape.reduce((x, y) => x * y, 1));
const arange = (n: number, dtype: mx.Dtype = mx.int32) => mx.array(range(n), dtype);
const zeros = (shape: number | number[]) => mx.array(new Array(size(shape)).fill(0), mx.float32).reshape(typeof shape === 'number' ? [shape] : shape);
const ones = (shape: number | number[]) => mx.array(new Array(size(shape)).fill(1), mx.float32).reshape(typeof shape === 'number' ? [shape] : shape);

describe('a.index(...)', () => {
  let a: mx.MxArray;
  beforeAll(() => {
    a = arange(64, mx.int32).reshape([8, 8]);
  });

  it('ellipsis keeps the array', () => {
    const e = mx.array([1]).index('...');
    expect(e.shape).toEqual([1]);
    expect(e.item()).toBe(1);
  });
  it('mx.Slice(start, stop, step)', () => {
    expect(arange(64, mx.int32).index(mx.Slice(2, 50, 8)).tolist()).toEqual([2, 10, 18, 26, 34, 42]);
    const s = mx.Slice(1, 2, 3);
    expect([s.start, s.stop, s.step]).toEqual([1, 2, 3]);
  });
  it('integers, negatives and null (new axis)', () => {
    expect(a.index(5).tolist()).toEqual(range(8).map((i) => 40 + i));
    expect(a.index(5).shape).toEqual([8]);
    expect(a.index(-1).tolist()).toEqual(range(8).map((i) => 56 + i));
    expect(a.index(null).shape).toEqual([1, 8, 8]);
    expect(a.index(0, 0).item()).toBe(0);
    expect(a.index(0, 0).ndim).toBe(0);
    expect(a.index(mx.Slice(), null).shape).toEqual([8, 1, 8]);
  });
  it('empty and clipped slices', () => {
    expect(a.index(mx.Slice(8, 3)).size).toBe(0);
    expect(a.index(mx.Slice(7, 10)).tolist()).toEqual([range(8).map((i) => 56 + i)]);
  });
  it('multi-dimensional slices', () => {
    const s = a.index(mx.Slice(2, 4), mx.Slice(5));
    expect(s.shape).toEqual([2, 3]);
    expect(s.tolist()).toEqual([[21, 22, 23], [29, 30, 31]]);
    expect(a.index(mx.Slice(), mx.Slice(0, 5)).shape).toEqual([8, 5]);
    expect(a.index(mx.Slice(), mx.Slice(null, null, 2)).shape).toEqual([8, 4]);
    expect(a.index(mx.Slice(-2), mx.Slice(null, -1)).shape).toEqual([2, 7]);
    expect(a.index(0, mx.Slice(null, 5)).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(a.index(0, mx.Slice(null, -1)).tolist()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('negative steps', () => {
    const v = arange(20);
    expect(v.index(mx.Slice(null, null, -1)).tolist()).toEqual(range(20).reverse());
    expect(v.index(mx.Slice(-3, 3, -1)).tolist()).toEqual(range(14).map((i) => 17 - i));
    expect(v.index(mx.Slice(25, -50, -1)).tolist()).toEqual(range(20).reverse());
    expect(v.index(mx.Slice(null, null, -3)).tolist()).toEqual(range(7).map((i) => 19 - 3 * i));
    expect(v.index(mx.Slice(-3, 3, -3)).tolist()).toEqual([17, 14, 11, 8, 5]);
    expect(v.index(mx.Slice(0, 20, -3)).tolist()).toEqual([]);
    const c = arange(3 * 6 * 4).reshape([3, 6, 4]);
    const r = c.index('...', mx.Slice(null, null, -1));
    expect(r.tolist()).toEqual(range(3).map((i) => range(6).map((j) => range(4).map((k) => 4 * (6 * i + j) + 3 - k))));
  });
  it('array indices (gather)', () => {
    expect(a.index(mx.array([0, 1], mx.uint32)).tolist()).toEqual([range(8), range(8).map((i) => 8 + i)]);
    const idx = mx.array([0, 1, 2, 7, 5], mx.uint32);
    expect(a.index(idx, 0).tolist()).toEqual([0, 8, 16, 56, 40]);
    const s1 = a.index(idx, mx.Slice(null, 5));
    const s2 = a.index(mx.Slice(null, 5), idx);
    expect(s1.shape).toEqual([5, 5]);
    expect(s2.shape).toEqual([5, 5]);
    expect(s1.tolist()).not.toEqual(s2.tolist());
    const b = arange(16).reshape([4, 4]);
    expect(b.index(mx.array([0, 1, 2, 3], mx.int32), mx.array([0, 1, 2, 3], mx.int32)).tolist()).toEqual([0, 5, 10, 15]);
    expect(b.index(mx.array([[0, 1]], mx.int32), mx.array([[0], [1], [3]], mx.int32)).tolist()).toEqual([
      [0, 4], [1, 5], [3, 7],
    ]);
  });
  it('too many indices throw (MLX)', () => {
    expect(() => a.index(0, 0, 0)).toThrow();
  });
});

describe('a.indexPut_(index, value)', () => {
  it('scalar, slices and broadcasting values', () => {
    let a = mx.array(0);
    a.indexPut_(null, 1);
    expect(a.item()).toBe(1);
    a = mx.array([1, 2, 3]);
    a.indexPut_(0, 2);
    expect(a.tolist()).toEqual([2, 2, 3]);
    a.indexPut_(-1, 2);
    expect(a.tolist()).toEqual([2, 2, 2]);
    a.indexPut_(0, mx.array([[[1]]]));
    expect(a.tolist()).toEqual([1, 2, 2]);
    a.indexPut_(mx.Slice(), 0);
    expect(a.tolist()).toEqual([0, 0, 0]);
    a.indexPut_(null, 1);
    expect(a.tolist()).toEqual([1, 1, 1]);
    a.indexPut_(mx.Slice(0, 2), 3);
    expect(a.tolist()).toEqual([3, 3, 1]);
    a.indexPut_(mx.Slice(0, 1), mx.array([1]));
    expect(a.tolist()).toEqual([1, 3, 1]);
    expect(() => a.indexPut_(mx.Slice(0, 1), mx.array([2, 3]))).toThrow();
    a.indexPut_(mx.Slice(0, 2), mx.array([2, 2]));
    expect(a.tolist()).toEqual([2, 2, 1]);
    a.indexPut_(mx.Slice(), mx.array([[[[1, 1, 1]]]]));
    expect(a.tolist()).toEqual([1, 1, 1]);
  });
  it('rows of a matrix, with list values', () => {
    let a = zeros([3, 3]);
    a.indexPut_(-1, 1);
    expect(a.tolist()).toEqual([[0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    a = zeros([3, 3]);
    a.indexPut_(mx.Slice(0, 2), [[0, 1, 2], [3, 4, 5]]);
    expect(a.tolist()).toEqual([[0, 1, 2], [3, 4, 5], [0, 0, 0]]);
    expect(() => mx.array(0).indexPut_(0, mx.array(1))).toThrow();
  });
  it('array indices (scatter)', () => {
    let a = zeros([3, 3]);
    a.indexPut_(mx.array([0, 1], mx.uint32), mx.array([3]));
    expect(a.tolist()).toEqual([[3, 3, 3], [3, 3, 3], [0, 0, 0]]);
    a = zeros([3, 2]);
    a.indexPut_(mx.array([0, 1], mx.uint32), mx.array([[3, 3], [4, 4]]));
    expect(a.tolist()).toEqual([[3, 3], [4, 4], [0, 0]]);
  });
  it('index lists: null, [], mixed arrays and slices, ellipsis', () => {
    let a = mx.array(0);
    a.indexPut_([null, null], 1);
    expect(a.item()).toBe(1);
    a.indexPut_([null, null], mx.array([[[3]]]));
    expect(a.item()).toBe(3);
    a.indexPut_([], 4);
    expect(a.item()).toBe(4);

    a = zeros([3, 3]);
    a.indexPut_([mx.array([0, 2], mx.uint32), mx.Slice(1, 2)], 1);
    expect(a.tolist()).toEqual([[0, 1, 0], [0, 0, 0], [0, 1, 0]]);
    a = zeros(5);
    a.indexPut_([null, null, mx.array([2, 3], mx.uint32)], arange(2));
    expect(a.tolist()).toEqual([0, 0, 0, 1, 0]);
    a = zeros([3, 3]);
    a.indexPut_([mx.Slice(0, 2), mx.Slice(0, 2)], arange(2).reshape([2, 1]));
    expect(a.tolist()).toEqual([[0, 0, 0], [1, 1, 0], [0, 0, 0]]);
    a = zeros([3, 3]);
    a.indexPut_([mx.Slice(0, 2), mx.Slice(0, 2)], arange(4).reshape([2, 2]));
    expect(a.tolist()).toEqual([[0, 1, 0], [2, 3, 0], [0, 0, 0]]);
    a = zeros([2, 3, 4, 5, 3]);
    a.indexPut_(['...', 0], 1);
    expect(a.index('...', 0).tolist()).toEqual(ones([2, 3, 4, 5]).tolist());
    expect(mx.sum(a).item()).toBe(2 * 3 * 4 * 5);
  });
  it('bad index lists throw', () => {
    expect(() => zeros([2, 2, 2]).indexPut_(['...', '...'], 1)).toThrow();
    expect(() => zeros([2, 2]).indexPut_([0, 0, 0], 1)).toThrow();
    expect(() => zeros([2, 2, 2]).indexPut_([mx.Slice(), null, mx.Slice()], ones([2, 2, 2]))).toThrow();
  });
  it('the updated array is returned and shares identity', () => {
    const a = zeros([2]);
    const r = a.indexPut_(0, 5);
    expect(r.tolist()).toEqual([5, 0]);
    expect(a.tolist()).toEqual([5, 0]);
  });
});

describe('a.at(...).op(value)', () => {
  it('add accumulates over repeated indices (scatter-add)', () => {
    let a = mx.array(1);
    a = a.at(null).add(1);
    expect(a.item()).toBe(2);
    a = mx.array([0, 1, 2]);
    a = a.at(1).add(2);
    expect(a.tolist()).toEqual([0, 3, 2]);
    a = a.at(mx.array([0, 0, 0, 0], mx.int32)).add(1);
    expect(a.tolist()).toEqual([4, 3, 2]);
    let z = zeros([10, 10]);
    z = z.at(0).add(arange(10));
    expect(z.index(0).tolist()).toEqual(range(10));
  });
  it('all six update kinds on a mixed index', () => {
    const index = [mx.array([0, 4], mx.int32), mx.Slice(), 0];
    let a = zeros([10, 5, 2]);
    const update = ones([2, 5]);
    a = a.at(...index).add(update);
    expect(a.index(...index).tolist()).toEqual(update.tolist());
    a = a.at(...index).subtract(update);
    expect(a.index(...index).tolist()).toEqual(zeros([2, 5]).tolist());
    a = a.at(...index).add(mx.multiply(update, 2));
    a = a.at(...index).multiply(mx.multiply(update, 2));
    expect(a.index(...index).tolist()).toEqual(mx.multiply(update, 4).tolist());
    a = a.at(...index).divide(mx.multiply(update, 4));
    expect(a.index(...index).tolist()).toEqual(update.tolist());
    const u2 = arange(10).reshape([2, 5]);
    a.indexPut_(index, 5);
    const mxd = a.at(...index).maximum(u2);
    expect(mxd.index(...index).tolist()).toEqual([[5, 5, 5, 5, 5], [5, 6, 7, 8, 9]]);
    const mnd = a.at(...index).minimum(u2);
    expect(mnd.index(...index).tolist()).toEqual([[0, 1, 2, 3, 4], [5, 5, 5, 5, 5]]);
    // at() is functional: `a` itself was not changed by maximum/minimum.
    expect(a.index(...index).tolist()).toEqual([[5, 5, 5, 5, 5], [5, 5, 5, 5, 5]]);
  });
  it('scatter-add with two index arrays', () => {
    let a = zeros([10, 10]);
    const ix = mx.array([0, 2, 3, 7], mx.int32);
    const iy = mx.array([3, 3, 1, 2], mx.int32);
    const u = mx.array([0.25, 0.5, 0.75, 1], mx.float32);
    a = a.at(ix, iy).add(u);
    expect(a.sum().item()).toBe(2.5);
    expect(a.index(ix, iy).tolist()).toEqual([0.25, 0.5, 0.75, 1]);
  });
  it('broadcast update over a sliced source', () => {
    const update = mx.array([1, 2]).index(null, null, null);
    let src = mx.array([1, 2]).index(null, mx.Slice());
    src = src.at(mx.Slice(0, 1)).add(update);
    expect(src.tolist()).toEqual([[2, 4]]);
  });
});

describe('take / takeAlongAxis / putAlongAxis', () => {
  it('gathers and scatters along an axis', () => {
    const a = mx.array([[1, 2], [3, 4]]);
    // Index arrays must be integer arrays: bigints (Python ints) or an integer dtype; an
    // mx.array of JS numbers is float32 (node-mlx), which MLX refuses as indices.
    expect(mx.take(arange(5), mx.array([0n, 4n])).tolist()).toEqual([0, 4]);
    expect(mx.take(a, mx.array([1n]), 1).tolist()).toEqual([[2], [4]]);
    expect(mx.take(a, mx.array([1], mx.uint32), 1).tolist()).toEqual([[2], [4]]);
    expect(mx.takeAlongAxis(a, mx.array([[1n], [0n]]), 1).tolist()).toEqual([[2], [3]]);
    expect(mx.putAlongAxis(a, mx.array([[1n], [0n]]), mx.array(9), 1).tolist()).toEqual([[1, 9], [9, 4]]);
    expect(() => mx.take(arange(5), mx.array([0, 4]))).toThrow(/integer dtype/);
    expect(() => mx.takeAlongAxis(a, mx.array([[1], [0]]), 1)).toThrow(/integer/);
    // JS numbers and JS lists of integral numbers given as indices directly are integers.
    expect(mx.take(arange(5), [0, 4]).tolist()).toEqual([0, 4]);
    expect(mx.take(arange(5), 4).tolist()).toEqual(4);
    expect(mx.take(a, [1], 1).tolist()).toEqual([[2], [4]]);
    expect(arange(5).index([0, 4]).tolist()).toEqual([0, 4]);
  });
});

describe('views and dynamic slices (node-mlx ops.spec forms)', () => {
  it('asStrided(x, shape, strides, offset), including a negative stride', () => {
    const x = arange(128, mx.float32);
    const shapes = [[10, 10], [5, 5], [2, 20], [10]];
    const strides = [[3, 3], [7, 1], [1, 5], [4]];
    shapes.forEach((shape, i) => {
      for (const offset of [0, 1, 3]) expect(mx.asStrided(x, shape, strides[i], offset).shape).toEqual(shape);
    });
    expect(mx.asStrided(x, [2, 2], [3, 1], 1).tolist()).toEqual([[1, 2], [4, 5]]);
    const v = arange(32, mx.float32);
    expect(mx.asStrided(v, [32], [-1], 31).tolist()).toEqual(v.index(mx.Slice(null, null, -1)).tolist());
  });
  it('slice(x, startArray, axes, sizes) and sliceUpdate(x, update, startArray, axes)', () => {
    const x = arange(64).reshape([4, 4, 4]);
    const out = mx.slice(x, mx.array([1, 2, 3], mx.int32), [0, 1, 2], [3, 2, 1]);
    expect(out.tolist()).toEqual(x.index(mx.Slice(1), mx.Slice(2), mx.Slice(3)).tolist());
    const update = mx.array([[[1], [2]], [[3], [4]], [[5], [6]]], mx.float32);
    const z = zeros([4, 4, 4]);
    const upd = mx.sliceUpdate(z, update, mx.array([1, 2, 3], mx.int32), [0, 1, 2]);
    const expected = zeros([4, 4, 4]);
    expected.indexPut_([mx.Slice(1), mx.Slice(2), mx.Slice(3)], update);
    expect(upd.tolist()).toEqual(expected.tolist());
    expect(mx.sum(upd).item()).toBe(21);
  });
  it('broadcastArrays takes a list (node-mlx) and keeps dtypes', () => {
    let [a, b] = mx.broadcastArrays([mx.array(1, mx.int32), mx.array(1.0, mx.float32)]);
    expect(a.shape).toEqual([]);
    expect(a.dtype).toBe(mx.int32);
    expect(b.dtype).toBe(mx.float32);
    [a, b] = mx.broadcastArrays([zeros([3, 1, 2]), zeros([4, 1])]);
    expect(a.shape).toEqual([3, 4, 2]);
    expect(b.shape).toEqual([3, 4, 2]);
  });
  it('indexPut_ through a reversed view writes the view, not the source (MLX)', () => {
    const a = mx.array([1, 2, 3, 4]);
    const b = a.index(mx.Slice(null, null, -1));
    b.indexPut_(mx.Slice(0, b.length, 2), 0);
    expect(b.tolist()).toEqual([0, 3, 0, 1]);
    expect(a.tolist()).toEqual([1, 2, 3, 4]);
  });
  it('negative-stride slice of a matrix', () => {
    const a = arange(12, mx.float32).reshape([6, 2]);
    const out = a.index(mx.Slice(null, null, -1));
    expect(out.index(-1, mx.Slice()).tolist()).toEqual(a.index(0, mx.Slice()).tolist());
  });
});

describe('mx.Slice follows Python slicing (property)', () => {
  // Python's slice.indices(): clamp start/stop to the length, honouring the step's sign.
  const pySlice = (xs: number[], start: number | null, stop: number | null, step: number | null) => {
    const n = xs.length;
    const st = step ?? 1;
    const norm = (v: number | null, dflt: number, lo: number, hi: number) => {
      if (v === null) return dflt;
      const w = v < 0 ? v + n : v;
      return Math.min(Math.max(w, lo), hi);
    };
    const out: number[] = [];
    if (st > 0) {
      const b = norm(start, 0, 0, n);
      const e = norm(stop, n, 0, n);
      for (let i = b; i < e; i += st) out.push(xs[i]);
    } else {
      const b = norm(start, n - 1, -1, n - 1);
      const e = norm(stop, -1, -1, n - 1);
      for (let i = b; i > e; i += st) out.push(xs[i]);
    }
    return out;
  };
  it('matches for random starts, stops and steps', () => {
    const opt = fc.option(fc.integer({ min: -12, max: 12 }), { nil: null });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), opt, opt, fc.option(fc.integer({ min: -4, max: 4 }).filter((x) => x !== 0), { nil: null }),
        (n, start, stop, step) => {
          const xs = range(n);
          const got = arange(n).index(mx.Slice(start, stop, step)).tolist();
          expect(got).toEqual(pySlice(xs, start, stop, step));
        }),
      { numRuns: 300 },
    );
  });
});
