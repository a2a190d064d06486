import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

const arange = (n: number, shape: number[]): mx.MxArray =>
  mx.array(Array.from({ length: n }, (_, i) => i), mx.int32).reshape(shape);

function expectClose(got: number[] | number[][], want: number[] | number[][], tol = 1e-6): void {
  const g = (got as number[]).flat(), w = (want as number[]).flat();
  expect(g.length).toBe(w.length);
  w.forEach((x, i) => expect(Math.abs((g[i] as number) - x)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(x))));
}

describe('cumsum / cumprod / cummax / cummin', () => {
  it('flattens when axis is omitted', () => {
    const a = mx.array([[1, 2], [3, 4]]);
    expect(mx.cumsum(a).tolist()).toEqual([1, 3, 6, 10]);
    expect(mx.cumsum(a, null).shape).toEqual([4]);
    expect(mx.cumsum(mx.array(2.5)).tolist()).toEqual([2.5]);
    expect(a.cumprod().tolist()).toEqual([1, 2, 6, 24]);
  });

  it('scans along an axis, forward and reverse, inclusive and exclusive', () => {
    const a = arange(12, [3, 4]);
    expect(mx.cumsum(a, 0).tolist()).toEqual([[0, 1, 2, 3], [4, 6, 8, 10], [12, 15, 18, 21]]);
    expect(mx.cumsum(a, 1, true).tolist()).toEqual([[6, 6, 5, 3], [22, 18, 13, 7], [38, 30, 21, 11]]);
    const b = mx.array([[1, 2], [3, 4]]);
    expect(mx.cumsum(b, -1).tolist()).toEqual([[1, 3], [3, 7]]);
    expect(mx.cumsum(b, 1, false, false).tolist()).toEqual([[0, 1], [0, 3]]);
    expect(mx.cumsum(b, 1, true, false).tolist()).toEqual([[2, 0], [4, 0]]);
    expect(mx.cumprod(mx.array([1, 2, 3]), 0, false, false).tolist()).toEqual([1, 1, 2]);
    expect(mx.cumprod(mx.array([[1, 2, 3], [4, 5, 6]]), 1, true, false).tolist()).toEqual([[6, 3, 1], [30, 6, 1]]);
    expect(mx.cummax(mx.array([[1, 3, 2], [0, 5, 4]]), 1).tolist()).toEqual([[1, 3, 3], [0, 5, 5]]);
    expect(mx.cummin(mx.array([[1, 3, 2], [0, 5, 4]]), 0, true).tolist()).toEqual([[0, 3, 2], [0, 5, 4]]);
    expect(b.cumsum(0).tolist()).toEqual([[1, 2], [4, 6]]);
    expect(b.cummax(0, true).tolist()).toEqual([[3, 4], [3, 4]]);
    expect(b.cummin(1).tolist()).toEqual([[1, 1], [3, 3]]);
  });

  it('starts exclusive max/min scans at the dtype limits', () => {
    expect(mx.cummax(mx.array([1, 3, 2], mx.int32), 0, false, false).tolist()).toEqual([-2147483648, 1, 3]);
    expect(mx.cummin(mx.array([1, 3, 2], mx.int32), 0, false, false).tolist()).toEqual([2147483647, 1, 1]);
    expect(mx.cummax(mx.array([1, 3, 2], mx.float32), 0, false, false).tolist()).toEqual([-Infinity, 1, 3]);
    expect(mx.cummin(mx.array([1, 3, 2], mx.float16), 0, false, false).tolist()).toEqual([Infinity, 1, 1]);
    expect(mx.cummax(mx.array([1, 3, 2], mx.uint8), 0, false, false).tolist()).toEqual([0, 1, 3]);
    expect(mx.cummin(mx.array([1, 3, 2], mx.uint8), 0, false, false).tolist()).toEqual([255, 1, 1]);
    expect(mx.cummax(mx.array([1, 3, 2], mx.int64), 0, false, false).tolist()).toEqual([-(2n ** 63n), 1, 3]);
  });

  it('follows MLX dtype rules and wraps integers', () => {
    expect(mx.cumsum(mx.array([true, true])).dtype).toBe(mx.int32);
    expect(mx.cumsum(mx.array([true, true])).tolist()).toEqual([1, 2]);
    expect(mx.cumsum(mx.array([true, true]), 0, true, false).tolist()).toEqual([1, 0]);
    expect(mx.cumprod(mx.array([true, false, true])).dtype).toBe(mx.bool);
    expect(mx.cumprod(mx.array([true, false, true])).tolist()).toEqual([true, false, false]);
    expect(mx.cummax(mx.array([false, true, false])).tolist()).toEqual([false, true, true]);
    for (const d of [mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64, mx.float16, mx.float32, mx.bfloat16]) {
      const x = mx.array([1, 2], d);
      expect(mx.cumsum(x).dtype).toBe(d);
      expect(mx.cumprod(x).dtype).toBe(d);
      expect(mx.cummax(x).dtype).toBe(d);
      expect(mx.cummin(x).dtype).toBe(d);
    }
    expect(mx.cumsum(mx.array([100, 100], mx.int8)).tolist()).toEqual([100, -56]);
    expect(mx.cumprod(mx.array([65536, 65536, 3], mx.int32)).tolist()).toEqual([65536, 0, 0]);
    expect(mx.cumsum(mx.array([2n ** 62n, 2n ** 62n], mx.int64)).tolist()).toEqual([2n ** 62n, -(2n ** 63n)]);
  });

  it('scans complex values', () => {
    expect(mx.cumsum(mx.array([mx.Complex(1, 2), mx.Complex(3, -1)])).tolist()).toEqual([{ re: 1, im: 2 }, { re: 4, im: 1 }]);
    expect(mx.cummax(mx.array([mx.Complex(1, 2), mx.Complex(3, -1), mx.Complex(1, 5)])).tolist()).toEqual([
      { re: 1, im: 2 },
      { re: 3, im: -1 },
      { re: 3, im: -1 },
    ]);
  });

  it('propagates NaN in cummax / cummin', () => {
    expect(mx.cummax(mx.array([1, NaN, 2])).tolist()).toEqual([1, NaN, NaN]);
    expect(mx.cummin(mx.array([1, NaN, 0])).tolist()).toEqual([1, NaN, NaN]);
  });

  it('handles empty arrays and rejects bad arguments', () => {
    const e = mx.array([]).reshape([0, 3]);
    expect(mx.cumsum(e, 0).shape).toEqual([0, 3]);
    expect(mx.cumsum(mx.array([])).shape).toEqual([0]);
    expect(() => mx.cumsum(mx.array([1, 2]), 1)).toThrow(/\[cumsum\] axis 1 is out of bounds for array with 1 dimensions/);
    expect(() => mx.cumsum(mx.array(2), 0)).toThrow(/\[cumsum\] axis 0 is out of bounds/);
    expect(() => mx.cumprod(mx.array([1]), 0, 1 as unknown as boolean)).toThrow(/\[cumprod\] reverse must be a boolean/);
    expect(() => mx.cummax(mx.array([1]), [0] as unknown as number)).toThrow(/\[cummax\] axis must be a number/);
  });
});

describe('logcumsumexp', () => {
  it('computes log(cumsum(exp)) stably', () => {
    expectClose(mx.logcumsumexp(mx.array([0, 0, 0])).tolist() as number[], [0, 0.6931471824645996, 1.0986123085021973]);
    const ex = mx.logcumsumexp(mx.array([0, 0, 0]), 0, false, false).tolist() as number[];
    expect(ex[0]).toBe(-Infinity);
    expectClose(ex.slice(1), [0, 0.6931471824645996]);
    expect(mx.logcumsumexp(mx.array([1, 2], mx.int32)).dtype).toBe(mx.float32);
    expectClose(mx.logcumsumexp(mx.array([1, 2])).tolist() as number[], [1, 2.3132617473602295]);
    expect(mx.logcumsumexp(mx.array([-Infinity, -Infinity])).tolist()).toEqual([-Infinity, -Infinity]);
    expectClose(mx.logcumsumexp(mx.array([[0, 1], [2, 3]]), 1).tolist() as number[][], [[0, 1.3132617473602295], [2, 3.3132617473602295]]);
    expectClose(mx.logcumsumexp(mx.array([0, 1, 2]), 0, true).tolist() as number[], [2.4076061248779297, 2.3132617473602295, 2]);
    expectClose(mx.logcumsumexp(mx.array([1000, 1000])).tolist() as number[], [1000, 1000.6931471805599]);
    expect(mx.array([0, 0], mx.int32).logcumsumexp().dtype).toBe(mx.float32);
  });
});

const intVec = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 20 });

describe('properties', () => {
  it('the last cumsum equals the sum; reverse cumsum first equals the sum', () => {
    fc.assert(
      fc.property(intVec, (xs) => {
        const total = xs.reduce((a, b) => a + b, 0);
        const c = mx.cumsum(mx.array(xs, mx.int32)).tolist() as number[];
        expect(c[c.length - 1]).toBe(total);
        expect((mx.cumsum(mx.array(xs, mx.int32), 0, true).tolist() as number[])[0]).toBe(total);
        // exclusive = inclusive shifted by one
        const ex = mx.cumsum(mx.array(xs, mx.int32), 0, false, false).tolist() as number[];
        expect(ex).toEqual([0, ...c.slice(0, -1)]);
      }),
      { numRuns: 40 },
    );
  });

  it('cummax is the running maximum and is monotone', () => {
    fc.assert(
      fc.property(intVec, (xs) => {
        const cm = mx.cummax(mx.array(xs, mx.int32)).tolist() as number[];
        let m = -Infinity;
        xs.forEach((x, i) => {
          m = Math.max(m, x);
          expect(cm[i]).toBe(m);
        });
        const cn = mx.cummin(mx.array(xs, mx.int32), 0, true).tolist() as number[];
        for (let i = 1; i < cn.length; i++) expect(cn[i - 1]).toBeLessThanOrEqual(cn[i]!);
      }),
      { numRuns: 40 },
    );
  });

  it('scans along axis 1 of a matrix equal scans of each row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), intVec, (rows, row) => {
        const data = Array.from({ length: rows }, (_, r) => row.map((v) => v + r));
        const got = mx.cumsum(mx.array(data, mx.int32), 1).tolist();
        expect(got).toEqual(data.map((r) => mx.cumsum(mx.array(r, mx.int32)).tolist()));
      }),
      { numRuns: 25 },
    );
  });
});

describe('MLX test_scans style cases', () => {
  // Deterministic pseudo-random ints in [-100, 100) on a 4x5x6 cube.
  const shape = [4, 5, 6];
  const data = Array.from({ length: 120 }, (_, i) => ((i * 7919) % 200) - 100);
  const x = mx.array(data, mx.int32).reshape(shape);
  const strides = [30, 6, 1];
  const at = (c: number[]): number => c[0]! * strides[0]! + c[1]! * strides[1]! + c[2]! * strides[2]!;

  /** JS scan along `axis` with wrap-free int arithmetic (values stay small for sum/max/min). */
  function scanRef(f: (a: number, b: number) => number, axis: number, reverse: boolean, inclusive: boolean, init: number): number[] {
    const out = new Array<number>(120).fill(0);
    for (let i = 0; i < shape[0]!; i++)
      for (let j = 0; j < shape[1]!; j++)
        for (let k = 0; k < shape[2]!; k++) {
          const c = [i, j, k];
          if (c[axis] !== 0) continue;
          let acc = init;
          const n = shape[axis]!;
          for (let t = 0; t < n; t++) {
            const cc = [...c];
            cc[axis] = reverse ? n - 1 - t : t;
            if (inclusive) acc = f(acc, data[at(cc)]!);
            out[at(cc)] = acc;
            if (!inclusive) acc = f(acc, data[at(cc)]!);
          }
        }
    return out;
  }

  it('cumsum / cummax / cummin on every axis, direction and inclusiveness', () => {
    const ops: [(a: mx.MxArray, ...r: [number, boolean, boolean]) => mx.MxArray, (a: number, b: number) => number, number][] = [
      [mx.cumsum, (a, b) => a + b, 0],
      [mx.cummax, Math.max, -2147483648],
      [mx.cummin, Math.min, 2147483647],
    ];
    for (const [op, f, init] of ops) {
      for (let axis = 0; axis < 3; axis++) {
        for (const reverse of [false, true]) {
          for (const inclusive of [true, false]) {
            expect(op(x, axis, reverse, inclusive).reshape(-1).tolist()).toEqual(scanRef(f, axis, reverse, inclusive, init));
          }
        }
      }
    }
  });

  it('int64 cumprod wraps like int64 arithmetic and matches int32 for small values', () => {
    const small = mx.array([[3, -2, 5], [7, 1, -4]], mx.int32);
    expect(mx.cumprod(small, 1).tolist()).toEqual([[3, -6, -30], [7, 7, -28]]);
    expect(mx.cumprod(small.astype(mx.int64), 1).tolist()).toEqual([[3, -6, -30], [7, 7, -28]]);
    expect(mx.cumprod(small.astype(mx.float32), 0, true, false).tolist()).toEqual([[7, 1, -4], [1, 1, 1]]);
  });

  it('scans transposed and broadcast inputs', () => {
    const t = mx.array([[1, 2, 3], [4, 5, 6]]).T; // [[1, 4], [2, 5], [3, 6]]
    expect(mx.cumsum(t, 0).tolist()).toEqual([[1, 4], [3, 9], [6, 15]]);
    expect(mx.cumsum(t).tolist()).toEqual([1, 5, 7, 12, 15, 21]);
    const b = mx.broadcastTo(mx.array([1, 2, 3]), [2, 3]);
    expect(mx.cumsum(b, 0).tolist()).toEqual([[1, 2, 3], [2, 4, 6]]);
  });
});

describe('stream arguments', () => {
  it('accepts a Stream or Device where node-mlx puts `s`', () => {
    const dev = new mx.Device(mx.cpu);
    const st = mx.defaultStream(mx.cpu);
    const a = mx.array([[1, 2], [3, 4]]);
    expect(mx.cumsum(a, st as never).tolist()).toEqual([1, 3, 6, 10]);
    expect(mx.cumsum(a, 1, true, true, dev).tolist()).toEqual([[3, 2], [7, 4]]);
    expect(mx.cumprod(a, 0, dev as never).tolist()).toEqual([[1, 2], [3, 8]]);
    expect(mx.argsort(mx.array([3, 1, 2]), st as never).tolist()).toEqual([1, 2, 0]);
    expect(mx.sort(mx.array([3, 1, 2]), -1, dev as never).tolist()).toEqual([1, 2, 3]);
    expect(mx.sum(a, st as never).item()).toBe(10);
    expect(mx.sum(a, 0, dev as never).tolist()).toEqual([4, 6]);
    expect(mx.sum(a, 0, true, dev).tolist()).toEqual([[4, 6]]);
    expect(mx.argmax(a, st as never).item()).toBe(3);
    expect(mx.topk(mx.array([3, 1, 2]), 1, st as never).tolist()).toEqual([3]);
  });
});

describe('complex logcumsumexp', () => {
  it('matches MLX on complex inputs', () => {
    const close = (got: unknown, want: [number, number][]): void => {
      const g = got as { re: number; im: number }[];
      want.forEach(([re, im], i) => {
        if (re === -Infinity) expect(g[i]!.re).toBe(-Infinity);
        else expect(Math.abs(g[i]!.re - re)).toBeLessThan(1e-5);
        expect(Math.abs(g[i]!.im - im)).toBeLessThan(1e-5);
      });
    };
    const a = mx.array([mx.Complex(1, 1), mx.Complex(2, 1), mx.Complex(3, 1)]);
    expect(mx.logcumsumexp(a).dtype).toBe(mx.complex64);
    close(mx.logcumsumexp(a).tolist(), [[1, 1], [2.3132617473602295, 1], [3.4076061248779297, 1]]);
    const b = mx.array([mx.Complex(1, 0.5), mx.Complex(2, -1), mx.Complex(3, 2)]);
    close(mx.logcumsumexp(b, 0, false, false).tolist(), [[-Infinity, 0], [1, 0.5], [2.0858750343322754, -0.6565256118774414]]);
    close(mx.logcumsumexp(b, 0, true).tolist(), [[2.602349281311035, 1.7180962562561035], [2.550454616546631, 1.9185277223587036], [3, 2]]);
  });
});
