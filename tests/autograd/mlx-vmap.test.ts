// MLX's python/tests/test_vmap.py (and node-mlx's tests/vmap.spec.ts conventions) ported in spirit
// to mlx-ts. Expected values were captured from the real MLX 0.32.4 or are the per-example loop.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const F = (v: unknown): mx.MxArray => mx.array(v as never, mx.float32);
const I = (v: unknown): mx.MxArray => mx.array(v as never, mx.int32);
const L = (a: unknown): unknown => (a as mx.MxArray).tolist();
const same = (a: mx.MxArray, b: mx.MxArray): void => {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(mx.allclose(a, b, 1e-6, 1e-6).item()).toBe(true);
};
const u = (shape: number[], seed: number): mx.MxArray => mx.random.uniform(0, 1, shape, mx.float32, mx.random.key(seed));
/** the slices of x along axis */
const unstack = (x: mx.MxArray, axis: number): mx.MxArray[] => mx.split(x, x.shape[axis]!, axis).map((p) => mx.squeeze(p, axis));

describe('basics and errors (test_basics, test_mismatch_input_sizes, test_vmap_const_func)', () => {
  it('invalid inputs and axes raise', () => {
    expect(() => mx.vmap(mx.exp)(F(1))).toThrow(/axis 0/); // can't map over a scalar
    expect(() => mx.vmap(mx.exp)('hello' as never)).toThrow();
    expect(() => mx.vmap(mx.exp, 'hello' as never)(F([0, 1]))).toThrow();
    expect(() => mx.vmap(mx.exp, 2)(F([0, 1]))).toThrow(/axis 2/);
    expect(() => mx.vmap(mx.exp, 0, 'hello' as never)(F([0, 1]))).toThrow();
    expect(() => mx.vmap(mx.exp, 0, 2)(F([0, 1]))).toThrow(/axis 2/);
    expect(() => mx.vmap(mx.exp, 0, 1)(F([0, 1]))).toThrow(/axis 1/);
  });

  it('mismatched batch sizes raise', () => {
    expect(() => mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.add(x, y))(mx.ones([10, 1]), mx.ones([1, 1, 1, 5]))).toThrow(/Inconsistent axis sizes/);
    expect(() => mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.add(x, y), [0, 1])(mx.ones([10, 1]), mx.ones([10, 5]))).toThrow(/Inconsistent axis sizes/);
  });

  it('a constant function broadcasts to the batch; all-unbatched inputs raise', () => {
    const a = mx.ones([2, 3, 4]), b = mx.ones([4, 3]);
    const c = (_a: mx.MxArray, _b: mx.MxArray) => mx.array(2);
    expect(L(mx.vmap(c, [0, null])(a, b))).toEqual([2, 2]);
    expect(L(mx.vmap(c, [null, 0])(a, b))).toEqual([2, 2, 2, 2]);
    expect(L(mx.vmap(c, [1, 1])(a, b))).toEqual([2, 2, 2]);
    expect(() => mx.vmap(c, [null, null])(a, b)).toThrow();
    expect(() => mx.vmap(c, [0, 0])(a, b)).toThrow(/Inconsistent axis sizes/);
  });

  it('a batch of size 0 gives empty results of the right shapes (as MLX)', () => {
    expect(mx.vmap(mx.exp)(mx.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(mx.vmap((x: mx.MxArray) => mx.sum(x))(mx.zeros([0, 3])).shape).toEqual([0]);
    expect(mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.matmul(x, y), [0, null])(mx.zeros([0, 2, 3]), mx.ones([3, 4])).shape).toEqual([0, 2, 4]);
    expect(mx.vmap(mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(x, x))))(mx.zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it('the function must return arrays', () => {
    expect(() => mx.vmap((_x: mx.MxArray) => 3 as never)(mx.ones([2]))).toThrow();
    expect(() => mx.vmap((_x: mx.MxArray) => null as never)(mx.ones([2]))).toThrow();
  });

  it('evaluating inside the vmapped function raises (MLX: not allowed during vmap)', () => {
    expect(() => mx.vmap((x: mx.MxArray) => mx.multiply(x, mx.sum(x).item() as number))(mx.ones([2, 3]))).toThrow();
    expect(() =>
      mx.vmap((x: mx.MxArray) => {
        mx.eval(x);
        return mx.multiply(x, 2);
      })(mx.ones([2, 3])),
    ).toThrow();
  });
});

describe('inAxes / outAxes forms', () => {
  it('unary ops over axis 0 and 1 (test_unary)', () => {
    const x = mx.reshape(mx.arange(1, 9, mx.float32), [2, 4]);
    for (const op of [mx.abs, mx.cos, mx.erf, mx.exp, mx.log, mx.log1p, mx.negative, mx.reciprocal, mx.rsqrt, mx.sigmoid, mx.sign, mx.sin, mx.sqrt, mx.square]) {
      const f = (a: mx.MxArray) => (op as (a: mx.MxArray) => mx.MxArray)(a);
      same(mx.vmap(f)(x), f(x));
      same(mx.vmap(f, 1, 1)(x), f(x));
    }
  });

  it('binary ops with in/out axes (test_binary)', () => {
    const x = u([2, 4], 1), y = u([2, 4], 2), yt = u([4, 2], 3);
    for (const op of [mx.add, mx.divide, mx.equal, mx.greater, mx.less, mx.logaddexp, mx.maximum, mx.minimum, mx.multiply, mx.power, mx.subtract]) {
      const f = (a: mx.MxArray, b: mx.MxArray) => (op as (a: mx.MxArray, b: mx.MxArray) => mx.MxArray)(a, b);
      same(mx.vmap(f)(x, y), f(x, y));
      same(mx.vmap(f, [0, 0], 0)(x, y), f(x, y));
      same(mx.vmap(f, [0, 1], 0)(x, yt), f(x, yt.T));
      same(mx.vmap(f, [0, 1], 1)(x, yt), f(x, yt.T).T);
    }
  });

  // node-mlx passes inAxes to C++ mx::vmap, where -1 means "not mapped" (its tests/vmap.spec.ts
  // vmapMatmul relies on it); MLX's Python vmap would read -1 as the last axis instead.
  it('node-mlx: -1 in an inAxes list marks an unbatched input, like null (tests/vmap.spec.ts vmapMatmul)', () => {
    const a = u([2, 3, 4], 5), b = u([4, 3], 6), c = u([3], 7);
    same(mx.vmap((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), [0, -1])(a, b), mx.matmul(a, b));
    same(mx.vmap((r: mx.MxArray, p: mx.MxArray, q: mx.MxArray) => mx.addmm(r, p, q), [-1, 0, -1])(c, a, b), mx.addmm(c, a, b));
  });

  it('an object inAxes for a single tree argument (MLX: in_axes={"a": 0, "b": (1, 1)})', () => {
    const fn = (t: { a: mx.MxArray; b: [mx.MxArray, mx.MxArray] }) => mx.multiply(mx.add(t.a, t.b[0]), t.b[1]);
    const tree = { a: u([2, 4], 8), b: [u([2, 4], 9), u([2, 4], 10)] as [mx.MxArray, mx.MxArray] };
    same(mx.vmap(fn, { a: 0, b: 0 }, 0)(tree), fn(tree));
    same(mx.vmap(fn, { a: 0, b: [0, 0] }, 0)(tree), fn(tree));
    const t2 = { a: u([2, 4], 11), b: [u([4, 2], 12), u([4, 2], 13)] as [mx.MxArray, mx.MxArray] };
    same(mx.vmap(fn, { a: 0, b: [1, 1] }, 0)(t2), mx.multiply(mx.add(t2.a, t2.b[0].T), t2.b[1].T));
    expect(() => mx.vmap(fn, { a: 0, b: [[0, 0], 0] } as never, 0)(tree)).toThrow();
  });

  it('trees of inputs and outputs (test_tree)', () => {
    const fn = (t: { a: mx.MxArray; b: [mx.MxArray, mx.MxArray] }) => mx.multiply(mx.add(t.a, t.b[0]), t.b[1]);
    const tree = { a: u([2, 4], 8), b: [u([2, 4], 9), u([2, 4], 10)] as [mx.MxArray, mx.MxArray] };
    same(mx.vmap(fn)(tree), fn(tree));
    const t2 = { a: u([2, 4], 11), b: [u([4, 2], 12), u([4, 2], 13)] as [mx.MxArray, mx.MxArray] };
    same(mx.vmap(fn, [{ a: 0, b: [1, 1] }], 0)(t2), mx.multiply(mx.add(t2.a, t2.b[0].T), t2.b[1].T));
    expect(() => mx.vmap(fn, [{ a: 0, b: [[0, 0], 0] }] as never, 0)(tree)).toThrow();

    const g = (x: mx.MxArray, y: mx.MxArray) => ({ a: mx.add(x, y), b: mx.multiply(x, y) });
    const x = u([2, 4], 14), y = u([2, 4], 15);
    const o = mx.vmap(g, 0, 0)(x, y);
    same(o.a, g(x, y).a);
    same(o.b, g(x, y).b);
    expect(() => mx.vmap(g, 0, [0, 1])(x, y)).toThrow();
    const o2 = mx.vmap(g, 0, { a: 1, b: 0 })(x, y);
    same(o2.a.T, g(x, y).a);
    same(o2.b, g(x, y).b);
    // list inputs and outputs keep their structure
    const h = (t: mx.MxArray[]) => [mx.add(t[0]!, 10), mx.multiply(t[1]!, 10)];
    const r = mx.vmap(h)([I([1, 2, 3]), I([4, 5, 6])]) as mx.MxArray[];
    expect(Array.isArray(r)).toBe(true);
    expect(r.map(L)).toEqual([[11, 12, 13], [40, 50, 60]]);
  });
});

describe('primitive families under vmap', () => {
  it('reductions and arg-reductions (test_vmap_reduce, test_vmap_argreduce, test_vmap_mean)', () => {
    const a = mx.ones([5, 5], mx.int32);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x))(a))).toEqual([5, 5, 5, 5, 5]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x, true))(a))).toEqual([[5], [5], [5], [5], [5]]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x, 0))(a))).toEqual([5, 5, 5, 5, 5]);
    const b = mx.ones([5, 3, 2], mx.int32);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x, [0, 1]))(b))).toEqual([6, 6, 6, 6, 6]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x, [0, 1]), [1])(b))).toEqual([10, 10, 10]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.sum(x, [0, 1]), [2])(b))).toEqual([15, 15]);
    const c = I([[1, 2, 3], [2, 3, 1]]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.argmin(x))(c))).toEqual([0, 2]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.argmax(x))(c))).toEqual([2, 1]);
    expect(L(mx.vmap((x: mx.MxArray) => mx.mean(x))(mx.reshape(mx.arange(8), [2, 4])))).toEqual([1.5, 5.5]);
    expect(L(mx.vmap(mx.vmap((x: mx.MxArray) => mx.mean(x)))(mx.reshape(mx.arange(16), [2, 2, 4])))).toEqual([[1.5, 5.5], [9.5, 13.5]]);
  });

  it('indexing with batched and unbatched index arrays (node-mlx vmapIndexing)', () => {
    const x = mx.reshape(mx.arange(16), [2, 2, 2, 2]);
    const inds = I([[0, 1, 0], [1, 1, 0]]);
    const g = (a: mx.MxArray, i: mx.MxArray) => a.index(i);
    for (const axes of [[0, 0], [0, null], [null, 0]] as (number | null)[][]) {
      const n = 2;
      const want = mx.stack(Array.from({ length: n }, (_, b) => g(axes[0] === null ? x : x.index(b), axes[1] === null ? inds : inds.index(b))));
      expect(L(mx.vmap(g, axes)(x, inds)), JSON.stringify(axes)).toEqual(L(want));
    }
    const inds2 = I([[0, 1, 0], [0, 1, 0]]);
    const g2 = (a: mx.MxArray, i: mx.MxArray, j: mx.MxArray) => a.index(i, j);
    expect(L(mx.vmap(g2, [null, 0, 0])(x, inds, inds2))).toEqual([
      [[[0, 1], [2, 3]], [[12, 13], [14, 15]], [[0, 1], [2, 3]]],
      [[[8, 9], [10, 11]], [[12, 13], [14, 15]], [[0, 1], [2, 3]]],
    ]);
  });

  it('matmul and addmm with varied axes (test_vmap_matmul)', () => {
    const a = u([2, 3, 4], 20), b = u([4, 3], 21), b2 = u([4, 2], 22), c2 = u([2], 23);
    same(mx.vmap((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), [0, null])(a, b), mx.matmul(a, b));
    same(mx.vmap((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), [1, null], 1)(a, b2), mx.moveaxis(mx.matmul(mx.moveaxis(a, 1, 0), b2), 0, 1));
    same(mx.vmap((r: mx.MxArray, p: mx.MxArray, q: mx.MxArray) => mx.addmm(r, p, q), [null, 1, null])(c2, a, b2), mx.addmm(c2, mx.moveaxis(a, 1, 0), b2));
    const bb = u([4, 2, 3], 24);
    same(mx.vmap((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), [0, 1])(a, bb), mx.matmul(a, mx.moveaxis(bb, 1, 0)));
  });

  it('concatenate with a constant, split (test_vmap_concatenate, test_vmap_split_vmap)', () => {
    const x = u([2, 2, 2], 30);
    const out = mx.vmap((p: mx.MxArray, q: mx.MxArray) => mx.concatenate([p, q], 1), [0, 2])(x, x);
    same(out, mx.stack([0, 1].map((i) => mx.concatenate([x.index(i), x.index(mx.Slice(), mx.Slice(), i)], 1))));
    same(mx.vmap((p: mx.MxArray) => mx.concatenate([p, mx.ones([2, 1])], 1))(x), mx.concatenate([x, mx.ones([2, 2, 1])], 2));
    const fun = (p: mx.MxArray) => {
      const [a, b] = mx.split(p, 2, 1);
      return mx.concatenate([b!, a!], 1);
    };
    expect(mx.vmap(fun, 1)(mx.ones([5, 4, 6, 7])).shape).toEqual([4, 5, 6, 7]);
  });

  it('takeAlongAxis / putAlongAxis shapes (test_vmap_take_along_axis, test_vmap_put_along_axis)', () => {
    const t = (a: mx.MxArray, i: mx.MxArray) => mx.takeAlongAxis(a, i, 0);
    expect(mx.vmap(t, [0, 1])(mx.zeros([4, 5, 1]), mx.zeros([2, 4, 1], mx.int32)).shape).toEqual([4, 2, 1]);
    expect(mx.vmap(t, [0, null])(mx.zeros([4, 5, 1]), mx.zeros([2, 1], mx.int32)).shape).toEqual([4, 2, 1]);
    expect(mx.vmap(t, [null, 0])(mx.zeros([5, 1]), mx.zeros([4, 2, 1], mx.int32)).shape).toEqual([4, 2, 1]);
    expect(mx.vmap(t, [null, 0])(mx.zeros([4, 5, 3]), mx.zeros([2, 2, 1, 3], mx.int32)).shape).toEqual([2, 2, 5, 3]);
    const p = (a: mx.MxArray, i: mx.MxArray, v: mx.MxArray) => mx.putAlongAxis(a, i, v, 0);
    expect(mx.vmap(p, [0, 1, 1])(mx.zeros([4, 5, 1]), mx.ones([2, 4, 1], mx.int32), mx.ones([2, 4, 1])).shape).toEqual([4, 5, 1]);
    expect(mx.vmap(p, [0, 1, null])(mx.zeros([4, 5, 1]), mx.ones([2, 4, 1], mx.int32), mx.ones([2, 1])).shape).toEqual([4, 5, 1]);
    expect(mx.vmap(p, [0, null, null])(mx.zeros([4, 5, 1]), mx.ones([2, 1], mx.int32), mx.ones([2, 1])).shape).toEqual([4, 5, 1]);
    const r = mx.vmap(p, [null, 1, 1])(mx.zeros([5, 1]), mx.ones([2, 4, 1], mx.int32), mx.ones([2, 4, 1]));
    expect(r.shape).toEqual([4, 5, 1]);
    expect(L(mx.sum(r))).toBe(4);
  });

  it('masked scatter (test_vmap_masked_scatter)', () => {
    const sc = (x: mx.MxArray, m: mx.MxArray, src: mx.MxArray) => {
      const y = mx.add(x, 0);
      y.indexPut_(m, src);
      return y;
    };
    const B = (v: boolean[][] | boolean[]) => mx.array(v);
    expect(L(mx.vmap(sc, [0, 0, 0])(I([[10, 20, 30, 40], [50, 60, 70, 80]]), B([[false, true, true, true], [true, false, true, true]]), I([[1, 2, 3], [4, 5, 6]])))).toEqual([[10, 1, 2, 3], [4, 60, 5, 6]]);
    expect(L(mx.vmap(sc, [0, 0, null])(I([[0, 0, 0], [5, 5, 5]]), B([[true, false, true], [false, true, true]]), I([9, 8])))).toEqual([[9, 0, 8], [5, 9, 8]]);
    expect(L(mx.vmap(sc, [null, 0, 0])(I([10, 20, 30, 40]), B([[true, false, false, true], [false, true, true, false]]), I([[1, 2], [3, 4]])))).toEqual([[1, 20, 30, 2], [10, 3, 4, 40]]);
    expect(L(mx.vmap(sc, [0, null, 0])(I([[0, 0, 0, 0], [10, 20, 30, 40]]), B([true, false, true, false]), I([[7, 8], [9, 10]])))).toEqual([[7, 0, 8, 0], [9, 20, 10, 40]]);
    expect(L(mx.vmap(sc, [0, 0, null])(I([[0, 0, 0, 0, 0], [10, 20, 30, 40, 50]]), B([[true, true, true, false, false], [true, true, true, false, false]]), I([1, 2, 3, 4, 5])))).toEqual([[1, 2, 3, 0, 0], [1, 2, 3, 40, 50]]);
  });

  it('in-place updates of the vmapped input itself (x[idx] = v, x[mask] = v on the argument)', () => {
    expect(L(mx.vmap((x: mx.MxArray) => {
      x.indexPut_(I([1]), 2);
      return x;
    })(mx.ones([2, 3])))).toEqual([[1, 2, 1], [1, 2, 1]]);
    expect(L(mx.vmap((x: mx.MxArray, m: mx.MxArray, v: mx.MxArray) => {
      x.indexPut_(m, v);
      return x;
    }, [0, 0, 0])(I([[10, 20, 30, 40], [50, 60, 70, 80]]), mx.array([[false, true, true, true], [true, false, true, true]]), I([[1, 2, 3], [4, 5, 6]])))).toEqual([[10, 1, 2, 3], [4, 60, 5, 6]]);
  });

  it('sort, argsort, topk and partition along varied axes (test_vmap_sort, test_vmap_topk, test_vmap_partition)', () => {
    const a = u([3, 5], 40);
    const want = mx.stack(unstack(a, 1).map((c) => mx.sort(c)), 1);
    for (const axis of [0, -1]) {
      same(mx.vmap((x: mx.MxArray) => mx.sort(x, axis), 1, 1)(a), want);
      expect(L(mx.vmap((x: mx.MxArray) => mx.argsort(x, axis), 1, 1)(a))).toEqual(L(mx.stack(unstack(a, 1).map((c) => mx.argsort(c)), 1)));
    }
    const p = mx.reshape(mx.random.permutation(24, mx.random.key(41)), [2, 3, 4]).astype(mx.float32);
    for (const inAxis of [0, 1, 2]) {
      const slices = unstack(p, inAxis);
      const outAxesMap = [0, 1, 2].filter((d) => d !== inAxis);
      for (const axis of [0, 1, -1]) {
        const oaxis = outAxesMap[axis < 0 ? axis + 2 : axis]!;
        const n = slices[0]!.shape[axis < 0 ? axis + 2 : axis]!;
        for (let k = 1; k <= n; k++) {
          const out = mx.vmap((x: mx.MxArray) => mx.topk(x, k, axis), inAxis, inAxis)(p);
          const exp = mx.stack(slices.map((x) => mx.topk(x, k, axis)), inAxis);
          expect(L(mx.sort(out, oaxis))).toEqual(L(mx.sort(exp, oaxis)));
        }
        for (let kth = 0; kth < n; kth++) {
          const exp = mx.stack(slices.map((x) => mx.partition(x, kth, axis)), inAxis);
          const out = mx.vmap((x: mx.MxArray) => mx.partition(x, kth, axis), inAxis, inAxis)(p);
          expect(L(mx.sort(out, oaxis))).toEqual(L(mx.sort(p, oaxis)));
          expect(L(mx.take(out, I([kth]), oaxis))).toEqual(L(mx.take(exp, I([kth]), oaxis)));
        }
      }
    }
  });

  it('random values drawn with a fixed key inside vmap are the same in every example', () => {
    const out = mx.vmap((x: mx.MxArray) => mx.add(x, mx.random.uniform(0, 1, [2], mx.float32, mx.random.key(1))))(mx.zeros([3, 2]));
    const r = mx.random.uniform(0, 1, [2], mx.float32, mx.random.key(1));
    same(out, mx.broadcastTo(r, [3, 2]));
  });
});

describe('vmap with the other transforms', () => {
  it('vmap(grad), vmap(valueAndGrad), grad inside vmap (per-example gradients)', () => {
    const x = F([[1, 2], [3, 4]]);
    expect(L(mx.vmap(mx.grad((a: mx.MxArray) => mx.sum(mx.power(a, 3))))(x))).toEqual([[3, 12], [27, 48]]);
    const [v, g] = mx.vmap(mx.valueAndGrad((a: mx.MxArray) => mx.sum(mx.multiply(a, a))))(x) as [mx.MxArray, mx.MxArray];
    expect([L(v), L(g)]).toEqual([[5, 25], [[2, 4], [6, 8]]]);
  });

  it('jvp of vmap, vmap of jvp and of vjp agree with MLX', () => {
    const f = (a: mx.MxArray) => mx.multiply(mx.sin(a), a);
    const x = F([[1, 2]]), t = F([[1, 1]]);
    const want = [[1.3817732334136963, 0.07700377702713013]];
    const check = (r: mx.MxArray) => (r.tolist() as number[][])[0]!.forEach((val, i) => expect(val).toBeCloseTo(want[0]![i]!, 5));
    check(mx.jvp(mx.vmap(f), [x], [t])[1][0]!);
    check(mx.vmap((a: mx.MxArray, b: mx.MxArray) => mx.jvp(f, [a], [b])[1][0]!)(x, t));
    check(mx.vmap((a: mx.MxArray, c: mx.MxArray) => mx.vjp(f, [a], [c])[1][0]!)(x, t));
  });

  it('customFunction under vmap uses its vmap rule', () => {
    const f = mx.customFunction((a: mx.MxArray) => mx.exp(a)).vmap(([a], [ax]) => [mx.multiply(mx.onesLike(a), 3), ax]);
    expect(L(mx.vmap(f)(mx.ones([3])))).toEqual([3, 3, 3]);
  });
});
