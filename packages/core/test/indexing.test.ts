import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

// integer data unless a dtype is given
const arange = (n: number, shape: number[], dtype: mx.Dtype = mx.int32): mx.MxArray =>
  mx.array(Array.from({ length: n }, (_, i) => i), dtype).reshape(shape);
const S = mx.Slice;

describe('basic indexing (views)', () => {
  const x = arange(24, [2, 3, 4]);
  it('integers, negative integers, slices with steps', () => {
    expect(x.index(1, 2, 3).item()).toBe(23);
    expect(x.index(-1, -2).tolist()).toEqual([16, 17, 18, 19]);
    expect(x.index(S(1, null, -1), S(null, null, -2), 3).tolist()).toEqual([[23, 15], [11, 3]]);
    const a = arange(12, [3, 4]);
    expect(a.index('...', S(null, null, -1)).index(1).tolist()).toEqual([7, 6, 5, 4]);
    expect(a.index(-1, -2).item()).toBe(10);
    expect(a.index(S(5, 10)).shape).toEqual([0, 4]);
    expect(a.index(S(-100, 100, 2), S(-3, -1)).tolist()).toEqual([[1, 2], [9, 10]]);
    expect(a.index(S(null, null, -3)).tolist()).toEqual([[8, 9, 10, 11]]);
    expect(arange(4, [4]).index(S(null, null, -3)).tolist()).toEqual([3, 0]);
    expect(a.index().shape).toEqual([3, 4]);
  });
  it('null (newaxis) and ellipsis', () => {
    const a = arange(12, [3, 4]);
    expect(a.index(null, 1, null, S(2)).shape).toEqual([1, 1, 2]);
    expect(a.index(null, 1, null, S(2)).tolist()).toEqual([[[6, 7]]]);
    expect(mx.newaxis).toBe(null);
    expect(x.index('...', 0).shape).toEqual([2, 3]);
    expect(x.index(0, '...').shape).toEqual([3, 4]);
    expect(x.index('...', null).shape).toEqual([2, 3, 4, 1]);
    expect(arange(1, []).index(null).shape).toEqual([1]);
  });
  it('shares storage with the source', () => {
    const a = arange(12, [3, 4]);
    mx.eval(a);
    for (const b of [a.index(1), a.index(S(null, null, -1), 2), a.index(S(1, 3), S(null, null, 2)), a.index(null, '...', 0)]) {
      mx.eval(b);
      expect(b._data!.storage).toBe(a._data!.storage);
    }
    const it0 = [...a][2]!;
    mx.eval(it0);
    expect(it0._data!.storage).toBe(a._data!.storage);
    expect(it0.tolist()).toEqual([8, 9, 10, 11]);
  });
  it('errors name the index, axis and size', () => {
    const a = arange(12, [3, 4]);
    expect(() => a.index(3)).toThrow('[index] index 3 is out of bounds for axis 0 with size 3.');
    expect(() => a.index(0, -5)).toThrow('index -5 is out of bounds for axis 1 with size 4');
    expect(() => a.index(1.5)).toThrow('index 1.5 for axis 0 must be an integer');
    expect(() => a.index(0, 0, 0)).toThrow('Too many indices for array with 2 dimensions');
    expect(() => a.index('...', 0, '...')).toThrow('single ellipsis');
    expect(() => a.index(S(0, 2, 0))).toThrow('slice step cannot be zero');
    expect(() => a.index('x' as never)).toThrow('Cannot index mlx array');
    expect(() => a.index(mx.array([true, false, true]))).toThrow('boolean indices are not yet supported');
    expect(() => a.index(mx.array([0.5]))).toThrow('integer dtype');
    expect(() => a.index([0, 1], [0, 1, 2])).toThrow('[index] Index arrays with shapes (2,), (3,) cannot be broadcast together.');
  });
});

describe('advanced indexing (gather)', () => {
  const x = arange(24, [2, 3, 4]);
  const i = mx.array([0, 1], mx.int32);
  it("NumPy's placement of the advanced dimensions", () => {
    expect(x.index(null, i, S(), i).shape).toEqual([2, 1, 3]);
    expect(x.index(i, null, i).shape).toEqual([2, 1, 4]);
    expect(x.index(S(), null, i).shape).toEqual([2, 1, 2, 4]);
    expect(x.index('...', i, null).shape).toEqual([2, 3, 2, 1]);
    expect(x.index(i, i).shape).toEqual([2, 4]);
    expect(x.index(0, S(), i).shape).toEqual([2, 3]);
    expect(x.index(S(), 0, i).tolist()).toEqual([[0, 1], [12, 13]]);
    expect(x.index(i, S(), [1, 2]).tolist()).toEqual([[1, 5, 9], [14, 18, 22]]);
  });
  it('broadcast index arrays, lists, negative values, any int dtype', () => {
    const a = arange(12, [3, 4]);
    expect(a.index(mx.array([[0, 2], [1, 1]], mx.int32), S(1, 3)).tolist()).toEqual([[[1, 2], [9, 10]], [[5, 6], [5, 6]]]);
    expect(a.index([[0], [2]], [1, 3]).tolist()).toEqual([[1, 3], [9, 11]]);
    expect(arange(10, [10]).index(mx.array([-1, -2], mx.int32)).tolist()).toEqual([9, 8]);
    // a float index array is refused; a JS list of integral numbers is integer indices
    expect(() => arange(10, [10]).index(mx.array([-1, -2]))).toThrow('integer dtype');
    expect(arange(10, [10]).index([-1, -2]).tolist()).toEqual([9, 8]);
    for (const d of [mx.int8, mx.uint8, mx.int16, mx.uint32, mx.int64, mx.uint64]) {
      expect(a.index(mx.array([2, 0], d), 1).tolist()).toEqual([9, 1]);
    }
    expect(a.index(mx.array([], mx.int32)).shape).toEqual([0, 4]);
    expect(mx.array([1.5, 2.5], mx.float16).index([1, 1, 0]).tolist()).toEqual([2.5, 2.5, 1.5]);
    const c = mx.array([{ re: 1, im: 2 }, { re: 3, im: 4 }]);
    expect(c.index([1]).tolist()).toEqual([{ re: 3, im: 4 }]);
  });
  it('gathers from strided views', () => {
    const a = arange(12, [3, 4]).T;
    expect(a.index([3, 0], S(null, null, -1)).tolist()).toEqual([[11, 7, 3], [8, 4, 0]]);
  });
  it('out-of-bounds gather indices throw on evaluation', () => {
    expect(() => arange(3, [3]).index(mx.array([3], mx.int32)).tolist()).toThrow('out of bounds');
    expect(() => arange(3, [3]).index(mx.array([-4], mx.int32)).tolist()).toThrow('out of bounds');
  });
  it('property: index with an array equals take and elementwise lookups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (n, m, raw) => {
        const a = arange(n * m, [n, m]);
        const idx = raw.map((r) => (r % (2 * n)) - n);
        const got = a.index(mx.array(idx, mx.int32)).tolist();
        expect(got).toEqual(mx.take(a, mx.array(idx, mx.int32), 0).tolist());
        expect(got).toEqual(idx.map((k) => a.index(k).tolist()));
      }),
      { numRuns: 40 },
    );
  });
});

describe('indexPut_', () => {
  it('basic and advanced assignment with broadcasting and casting', () => {
    const b = arange(12, [3, 4]);
    b.indexPut_([S(1), S(null, null, 2)], mx.array([[100], [200]], mx.int32));
    expect(b.tolist()).toEqual([[0, 1, 2, 3], [100, 5, 100, 7], [200, 9, 200, 11]]);
    const c = mx.array([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], mx.float32);
    c.indexPut_([mx.array([0, 2], mx.int32), mx.array([1, 3], mx.int32)], mx.array([7, 8], mx.float32));
    expect(c.tolist()).toEqual([[0, 7, 0, 0], [0, 0, 0, 0], [0, 0, 0, 8]]);
    const e = arange(5, [5], mx.float32);
    e.indexPut_(mx.array([-1], mx.int32), 10);
    expect(e.tolist()).toEqual([0, 1, 2, 3, 10]);
    const f = arange(3, [3]);
    f.indexPut_(1, 2.7);
    expect(f.tolist()).toEqual([0, 2, 2]);
    expect(f.dtype).toBe(mx.int32);
    const g = arange(6, [2, 3]);
    g.indexPut_(0, mx.array([[9, 9, 9]], mx.int32)); // leading singleton dims are dropped
    expect(g.tolist()).toEqual([[9, 9, 9], [3, 4, 5]]);
    const h = arange(6, [2, 3]);
    h.indexPut_('...', 1);
    expect(h.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
  it('duplicates: the last write wins', () => {
    const b = mx.array([0, 0, 0], mx.float32);
    b.indexPut_(mx.array([0, 0], mx.int32), mx.array([1, 2], mx.float32));
    expect(b.tolist()).toEqual([2, 0, 0]);
  });
  it('arrays that viewed or used the old value are unchanged', () => {
    const a = arange(6, [2, 3]);
    const lazyView = a.index(0);
    const lazyUse = a.add(1);
    mx.eval(a);
    const evalView = a.index(1);
    mx.eval(evalView);
    const oldStorage = a._data!.storage;
    a.indexPut_([0, 0], 50);
    expect(a.tolist()).toEqual([[50, 1, 2], [3, 4, 5]]);
    expect(lazyView.tolist()).toEqual([0, 1, 2]);
    expect(lazyUse.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(evalView.tolist()).toEqual([3, 4, 5]);
    expect(a._data!.storage).not.toBe(oldStorage);
    // a lazy array updated twice, then used
    const l = arange(4, [4]).add(0);
    const before = l.index(S(0, 2));
    l.indexPut_(0, 7);
    l.indexPut_(3, 8);
    expect(l.tolist()).toEqual([7, 1, 2, 8]);
    expect(before.tolist()).toEqual([0, 1]);
  });
  it('errors leave the array unchanged', () => {
    const a = arange(6, [2, 3]);
    expect(() => a.indexPut_(0, mx.array([[1, 2, 3], [4, 5, 6]], mx.int32))).toThrow('[indexPut_] Cannot broadcast value of shape (2,3)');
    expect(() => a.indexPut_(5, 1)).toThrow('out of bounds');
    expect(a.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
  });
});

describe('at (scatter with accumulation)', () => {
  it('duplicates accumulate', () => {
    expect(mx.array([0, 0, 0], mx.float32).at(mx.array([0, 0], mx.int32)).add(1).tolist()).toEqual([2, 0, 0]);
    expect(mx.array([1, 2, 3], mx.int32).at(mx.array([0, 0, 1], mx.int32)).multiply(mx.array([2, 3, 4], mx.int32)).tolist()).toEqual([6, 8, 3]);
    const d = mx.array([1, 5, 2], mx.int32);
    expect(d.at(mx.array([0, 0, 2], mx.int32)).maximum(mx.array([3, 0, -1], mx.int32)).tolist()).toEqual([3, 5, 2]);
    expect(d.at(mx.array([1, 1], mx.int32)).minimum(0n).tolist()).toEqual([1, 0, 2]);
    expect(d.at(mx.array([1, 1], mx.int32)).subtract(2n).tolist()).toEqual([1, 1, 2]);
    expect(d.tolist()).toEqual([1, 5, 2]); // at returns new arrays
    // the update keeps the array's dtype (MLX: int32 a.at[0].add(1.7) is int32 [5, 5])
    const r = mx.array([4, 5], mx.int32).at(0).add(1.7);
    expect([r.dtype, r.tolist()]).toEqual([mx.int32, [5, 5]]);
    expect(d.at([1, 1]).minimum(0).dtype).toBe(mx.int32);
    const m = mx.array([[0, 0], [0, 0]], mx.int64);
    expect(m.at(S(), [1, 1]).add(mx.array([1, 2], mx.int64)).tolist()).toEqual([[0, 3], [0, 3]]);
  });
  it('property: gather then scatter-add of ones counts occurrences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (n, raw) => {
        const idx = raw.map((r) => r % n);
        const counts = Array.from({ length: n }, (_, k) => idx.filter((v) => v === k).length);
        const z = mx.array(new Array(n).fill(0), mx.float32);
        expect(z.at(mx.array(idx, mx.int32)).add(1).tolist()).toEqual(counts);
        // gather then scatter (assignment) round trip
        const a = arange(n, [n], mx.float32);
        const g = a.index(mx.array(idx, mx.int32));
        const back = mx.array(new Array(n).fill(-1), mx.float32);
        back.indexPut_(mx.array(idx, mx.int32), g);
        expect(back.tolist()).toEqual(Array.from({ length: n }, (_, k) => (idx.includes(k) ? k : -1)));
      }),
      { numRuns: 40 },
    );
  });
});

describe('take / takeAlongAxis / putAlongAxis', () => {
  const a = arange(12, [3, 4]);
  it('take', () => {
    expect(mx.take(arange(10, [10]), [[1, -1]]).tolist()).toEqual([[1, 9]]);
    expect(mx.take(a, mx.array([[0, 1], [2, 2]], mx.int32), 1).tolist()).toEqual([[[0, 1], [2, 2]], [[4, 5], [6, 6]], [[8, 9], [10, 10]]]);
    expect(mx.take(a, 2).item()).toBe(2);
    expect(mx.take(a, 1, 0).tolist()).toEqual([4, 5, 6, 7]);
    expect(mx.take(a, mx.array([11, 0], mx.int32)).tolist()).toEqual([11, 0]);
    expect(mx.take(a, [11, 0]).tolist()).toEqual([11, 0]);
    expect(() => mx.take(a, mx.array([11, 0]))).toThrow('integer dtype');
    expect(() => mx.take(a, [0], 2)).toThrow('[take] axis 2 is out of bounds');
  });
  it('takeAlongAxis', () => {
    const b = arange(6, [2, 3]);
    expect(mx.takeAlongAxis(b, mx.array([[0, 2], [1, -1]], mx.int32), 1).tolist()).toEqual([[0, 2], [4, 5]]);
    expect(mx.takeAlongAxis(b, mx.array([5, 0], mx.int32), null).tolist()).toEqual([5, 0]);
    expect(mx.takeAlongAxis(b, mx.array([[1, 0, 1]], mx.int32), 0).tolist()).toEqual([[3, 1, 5]]);
    expect(mx.takeAlongAxis(b, mx.array([[2], [0]], mx.int32), 1).tolist()).toEqual([[2], [3]]);
    expect(() => mx.takeAlongAxis(b, mx.array([0], mx.int32), 1)).toThrow('does not match array of dimension 2');
  });
  it('putAlongAxis', () => {
    const z = mx.array([[0, 0, 0], [0, 0, 0]], mx.float32);
    expect(mx.putAlongAxis(z, mx.array([[0], [2]], mx.int32), 5, 1).tolist()).toEqual([[5, 0, 0], [0, 0, 5]]);
    expect(mx.putAlongAxis(z, mx.array([[1, 0, 1]], mx.int32), mx.array([[1, 2, 3]], mx.float32), 0).tolist()).toEqual([[0, 2, 0], [1, 0, 3]]);
    expect(z.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });
  it('property: takeAlongAxis matches a direct lookup', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (n, m, k, seed) => {
        const src = arange(n * m, [n, m]);
        const idx = Array.from({ length: n }, (_, r) => Array.from({ length: k }, (_, c) => (seed + 7 * r + 3 * c) % m));
        const want = idx.map((row, r) => row.map((c) => r * m + c));
        expect(mx.takeAlongAxis(src, mx.array(idx, mx.int32), 1).tolist()).toEqual(want);
      }),
      { numRuns: 30 },
    );
  });
});

describe('slice / sliceUpdate (dynamic start)', () => {
  const a = arange(12, [3, 4]);
  it('slice', () => {
    expect(mx.slice(a, mx.array([1, 2], mx.int32), [0, 1], [2, 2]).tolist()).toEqual([[6, 7], [10, 11]]);
    expect(mx.slice(a, mx.array([1], mx.int32), [1], [3, 2]).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(mx.slice(a, mx.array(1n), [0], [1, 2]).tolist()).toEqual([[4, 5]]);
    expect(() => mx.slice(a, mx.array([2], mx.int32), [0], [2, 4]).tolist()).toThrow('out of bounds');
    expect(() => mx.slice(a, mx.array([0], mx.int32), [0], [4, 4])).toThrow('does not fit');
    expect(() => mx.slice(a, mx.array([0.5]), [0], [1, 4])).toThrow('integer dtype');
  });
  it('sliceUpdate', () => {
    expect(mx.sliceUpdate(a, mx.array([[100, 101]], mx.int32), mx.array([1], mx.int32), [1]).tolist()).toEqual([[0, 100, 101, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(mx.sliceUpdate(a, mx.array([[100, 101]], mx.int32), mx.array([2, 2], mx.int32), [0, 1]).tolist()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 100, 101]]);
    expect(a.tolist()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(() => mx.sliceUpdate(a, mx.array([1], mx.int32), mx.array([0], mx.int32), [0])).toThrow('dimensions');
  });
});

describe('ported in spirit from MLX test_array.py', () => {
  it('test_setitem', () => {
    const s = mx.array(0n);
    s.indexPut_(null, 1);
    expect(s.item()).toBe(1);
    const a = mx.array([1, 2, 3], mx.int32);
    a.indexPut_(0, 2);
    a.indexPut_(-1, 2);
    expect(a.tolist()).toEqual([2, 2, 2]);
    a.indexPut_(0, mx.array([[[1]]], mx.int32));
    expect(a.tolist()).toEqual([1, 2, 2]);
    a.indexPut_(S(), 0);
    a.indexPut_(null, 1);
    expect(a.tolist()).toEqual([1, 1, 1]);
    a.indexPut_(S(0, 2), 3);
    expect(a.tolist()).toEqual([3, 3, 1]);
    expect(() => a.indexPut_(S(0, 1), mx.array([2, 3], mx.int32))).toThrow('Cannot broadcast');
    a.indexPut_(S(), mx.array([[[[4, 5, 6]]]], mx.int32));
    expect([a.dtype, a.tolist()]).toEqual([mx.int32, [4, 5, 6]]);
    const e = mx.array([[0, 0, 0], [0, 0, 0]], mx.int32);
    e.indexPut_('...', mx.array([1, 2, 3], mx.int32));
    expect(e.tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(() => e.indexPut_('...', mx.array([1, 2], mx.int32))).toThrow('Cannot broadcast');
    expect(() => mx.array(0n).indexPut_(0, 1)).toThrow('Too many indices');
    const z = mx.array(0n);
    z.indexPut_([null, null], mx.array([[[3]]], mx.int32));
    z.indexPut_([], 4);
    expect(z.item()).toBe(4);
    const b = mx.array(new Array(120).fill(0), mx.float32).reshape([2, 3, 4, 5]);
    b.indexPut_([mx.array([0, 0], mx.int32), mx.array([0, 1], mx.int32), mx.array([2, 3], mx.int32)], arange(10, [2, 5], mx.float32));
    expect(b.index(0, S(0, 2), S(2, 4)).tolist()).toEqual([[[0, 1, 2, 3, 4], [0, 0, 0, 0, 0]], [[0, 0, 0, 0, 0], [5, 6, 7, 8, 9]]]);
    const c = mx.array(new Array(48).fill(0), mx.int32).reshape([4, 3, 4]);
    c.indexPut_([mx.array([2, 3], mx.int32), S(0, 3), mx.array([2, 3], mx.int32)], mx.array([0, 1, 2], mx.int32));
    expect(c.index(2, S(), 2).tolist()).toEqual([0, 1, 2]);
    expect(c.index(3, S(), 3).tolist()).toEqual([0, 1, 2]);
    expect(c.at().add(0).tolist()).toEqual(c.tolist());
    const d = mx.array([0, 0, 0, 0, 0], mx.int32);
    d.indexPut_([null, null, mx.array([2, 3], mx.int32)], mx.array([7, 8], mx.int32));
    expect(d.tolist()).toEqual([0, 0, 7, 8, 0]);
  });
  it('test_array_at', () => {
    expect(mx.array(1n).at(null).add(1n).item()).toBe(2);
    let a = mx.array([0, 1, 2], mx.int32).at(1).add(2n);
    expect(a.tolist()).toEqual([0, 3, 2]);
    a = a.at(mx.array([0, 0, 0, 0], mx.int32)).add(1n);
    expect([a.dtype, a.tolist()]).toEqual([mx.int32, [4, 3, 2]]);
    const m = mx.array(new Array(100).fill(0), mx.float32).reshape([10, 10]).at(0).add(arange(10, [10]));
    expect(m.index(0).tolist()).toEqual([...Array(10).keys()]);
    expect(m.index(1).tolist()).toEqual(new Array(10).fill(0));
    const src = mx.array([[1, 2]], mx.float32).at(S(0, 1)).add(mx.array([[[[1, 2]]]], mx.float32));
    expect(src.tolist()).toEqual([[2, 4]]);
    const t = arange(20, [10, 2], mx.float32);
    const u = mx.array([[1, 1], [1, 1]], mx.float32);
    expect(t.at(S(1, 3), S()).multiply(u.multiply(2)).index(S(1, 3)).tolist()).toEqual([[4, 6], [8, 10]]);
    expect(t.at(S(1, 3), 0).maximum(3).index(S(1, 3), 0).tolist()).toEqual([3, 4]);
  });
});

describe('boolean masks (assignment only, as MLX)', () => {
  it('a[mask] = values takes rows in order', () => {
    const a = mx.array([1, 2, 3], mx.float32);
    a.indexPut_([true, false, true], mx.array([5, 6], mx.float32));
    expect(a.tolist()).toEqual([5, 2, 6]);
    const b = mx.array([1, 2, 3], mx.float32);
    b.indexPut_(mx.array(true), 5);
    expect(b.tolist()).toEqual([5, 5, 5]);
    const c = mx.array([1, 2, 3], mx.float32);
    c.indexPut_(true, 7);
    expect(c.tolist()).toEqual([7, 7, 7]);
    const d = arange(6, [2, 3], mx.float32);
    d.indexPut_(mx.array([true, false]), mx.array([7, 8, 9], mx.float32));
    expect(d.tolist()).toEqual([[7, 8, 9], [3, 4, 5]]);
    const e = arange(6, [2, 3], mx.float32);
    e.indexPut_(mx.array([[true, false, true], [false, true, false]]), mx.array([7, 8, 9, 10], mx.float32));
    expect(e.tolist()).toEqual([[7, 1, 8], [3, 9, 5]]);
    const f = arange(6, [2, 3], mx.float32);
    f.indexPut_(mx.array([false, true]), mx.array([[7, 8, 9], [1, 2, 3]], mx.float32));
    expect(f.tolist()).toEqual([[0, 1, 2], [7, 8, 9]]);
  });
  it('errors', () => {
    const a = arange(1000, [10, 10, 10]);
    expect(() => a.indexPut_(mx.array(new Array(100).fill(false)).reshape([1, 10, 10]), 0)).toThrow('same shape as the beginning');
    const e = arange(6, [2, 3], mx.float32);
    expect(() => e.indexPut_(mx.array([[true, false, true], [false, true, false]]), mx.array([[7, 8]], mx.float32))).toThrow(
      'broadcastable with the last 0 dimensions',
    );
    const g = arange(6, [2, 3], mx.float32);
    g.indexPut_(mx.array([[true, false, true], [false, true, false]]), mx.array([7, 8], mx.float32));
    expect(() => g.tolist()).toThrow('more than the 2 rows');
    expect(() => arange(3, [3]).index(mx.array([true, false, true]))).toThrow('boolean indices are not yet supported');
  });
});
