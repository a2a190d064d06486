import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

/** NaN-last ascending order, as MLX sorts. */
const nanLast = (a: number, b: number): number =>
  Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b;

/** Checks the partition property of `vals` (one line) around index k. */
function expectPartitioned(vals: number[], k: number, original: number[]): void {
  expect([...vals].sort(nanLast)).toEqual([...original].sort(nanLast));
  const pivot = [...original].sort(nanLast)[k]!;
  expect(vals[k]).toBe(pivot);
  for (let i = 0; i < k; i++) expect(nanLast(vals[i]!, pivot)).toBeLessThanOrEqual(0);
  for (let i = k + 1; i < vals.length; i++) expect(nanLast(vals[i]!, pivot)).toBeGreaterThanOrEqual(0);
}

describe('sort / argsort', () => {
  it('sorts along the last axis by default, along any axis, or flattened', () => {
    const a = mx.array([[3, 1, 2], [9, 7, 8]], mx.int32);
    expect(mx.sort(a).tolist()).toEqual([[1, 2, 3], [7, 8, 9]]);
    expect(mx.sort(a, 0).tolist()).toEqual([[3, 1, 2], [9, 7, 8]]);
    expect(mx.sort(a, -2).tolist()).toEqual([[3, 1, 2], [9, 7, 8]]);
    expect(mx.sort(a, null).tolist()).toEqual([1, 2, 3, 7, 8, 9]);
    expect(mx.argsort(a, null).tolist()).toEqual([1, 2, 0, 4, 5, 3]);
    expect(mx.argsort(mx.array([[3, 1, 2], [0, 5, 0]]), 0).tolist()).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(mx.argsort(a).dtype).toBe(mx.uint32);
    expect(mx.sort(a).dtype).toBe(mx.int32);
    expect(mx.sort([3, 1, 2]).tolist()).toEqual([1, 2, 3]);
    expect(mx.sort(mx.array(2.5), null).tolist()).toEqual([2.5]);
  });

  it('is stable and puts NaN last', () => {
    expect(mx.argsort(mx.array([2, 1, 2, 1, 2])).tolist()).toEqual([1, 3, 0, 2, 4]);
    expect(mx.sort(mx.array([3, NaN, 1, -Infinity, NaN, 0])).tolist()).toEqual([-Infinity, 0, 1, 3, NaN, NaN]);
    expect(mx.argsort(mx.array([3, NaN, 1, -Infinity, NaN, 0])).tolist()).toEqual([3, 5, 2, 0, 1, 4]);
    expect(mx.argsort(mx.array([0, -0, 0])).tolist()).toEqual([0, 1, 2]);
    const z = mx.sort(mx.array([-0, 0, -0], mx.float32)).tolist() as number[];
    expect(z.map((v) => Object.is(v, -0))).toEqual([true, false, true]);
  });

  it('sorts every dtype', () => {
    expect(mx.sort(mx.array([3, 1, 2], mx.float16)).tolist()).toEqual([1, 2, 3]);
    expect(mx.sort(mx.array([3, 1, 2], mx.bfloat16)).dtype).toBe(mx.bfloat16);
    expect(mx.sort(mx.array([true, false, true])).tolist()).toEqual([false, true, true]);
    expect(mx.sort(mx.array([3, 2 ** 40, -5], mx.int64)).tolist()).toEqual([-5, 3, 2 ** 40]);
    expect(mx.sort(mx.array([5, 200, 1], mx.uint8)).tolist()).toEqual([1, 5, 200]);
    expect(mx.sort(mx.array([2n ** 63n + 1n, 1n], mx.uint64)).tolist()).toEqual([1, 2n ** 63n + 1n]);
    expect(mx.sort(mx.array([mx.Complex(1, 2), mx.Complex(1, -1), mx.Complex(0, 5)])).tolist()).toEqual([
      { re: 0, im: 5 },
      { re: 1, im: -1 },
      { re: 1, im: 2 },
    ]);
  });

  it('works on strided inputs and empty arrays', () => {
    const t = mx.array([[3, 1], [2, 4], [0, 5]]).T; // [[3, 2, 0], [1, 4, 5]]
    expect(mx.sort(t).tolist()).toEqual([[0, 2, 3], [1, 4, 5]]);
    expect(mx.argsort(t, 0).tolist()).toEqual([[1, 0, 0], [0, 1, 1]]);
    expect(mx.sort(mx.array([])).shape).toEqual([0]);
    expect(mx.sort(mx.array([]).reshape([2, 0])).shape).toEqual([2, 0]);
  });

  it('rejects bad axes', () => {
    expect(() => mx.sort(mx.array(2.5))).toThrow(/\[sort\] axis -1 is out of bounds for array with 0 dimensions/);
    expect(() => mx.argsort(mx.array([1, 2]), 1)).toThrow(/\[argsort\] axis 1 is out of bounds/);
    expect(() => mx.sort(mx.array([1, 2]), 'x' as unknown as number)).toThrow(/\[sort\] axis must be/);
  });
});

describe('partition / argpartition', () => {
  it('places the kth element and splits around it', () => {
    const x = [5, 1, 4, 2, 3];
    const p = mx.partition(mx.array(x), 2).tolist() as number[];
    expectPartitioned(p, 2, x);
    expect(p[2]).toBe(3);
    const ip = mx.argpartition(mx.array(x), 2).tolist() as number[];
    expect(mx.argpartition(mx.array(x), 2).dtype).toBe(mx.uint32);
    expectPartitioned(ip.map((i) => x[i]!), 2, x);
    expect([...ip].sort()).toEqual([0, 1, 2, 3, 4]);
    expectPartitioned(mx.partition(mx.array(x), -1).tolist() as number[], 4, x);
    expectPartitioned(mx.partition(mx.array(x), 0).tolist() as number[], 0, x);
  });

  it('partitions along an axis and flattened', () => {
    const m = [[9, 1, 5], [2, 8, 3]];
    const cols = mx.partition(mx.array(m), 0, 0).tolist() as number[][];
    for (let j = 0; j < 3; j++) expectPartitioned([cols[0]![j]!, cols[1]![j]!], 0, [m[0]![j]!, m[1]![j]!]);
    const rows = mx.partition(mx.array(m), 1).tolist() as number[][];
    rows.forEach((r, i) => expectPartitioned(r, 1, m[i]!));
    expectPartitioned(mx.partition(mx.array(m), 3, null).tolist() as number[], 3, m.flat());
  });

  it('rejects an invalid kth', () => {
    expect(() => mx.partition(mx.array([5, 1, 4, 2, 3]), 5)).toThrow(/\[partition\] Received invalid kth 5 along axis -1/);
    expect(() => mx.argpartition(mx.array([5, 1]), -3)).toThrow(/\[argpartition\] Received invalid kth -3/);
    expect(() => mx.partition(mx.array([5, 1]), 0.5)).toThrow(/kth must be an integer/);
  });
});

describe('topk', () => {
  it('returns the k largest as one array', () => {
    const t = mx.topk(mx.array([5, 1, 4, 2, 3], mx.int32), 2);
    expect([...(t.tolist() as number[])].sort()).toEqual([4, 5]);
    expect(t.dtype).toBe(mx.int32);
    expect(mx.topk(mx.array([5, 1, 4, 2, 3]), 0).shape).toEqual([0]);
    expect(mx.topk(mx.array([[5, 1, 4], [2, 3, 0]]), 1, null).tolist()).toEqual([5]);
    expect(mx.topk(mx.array([[5, 1, 4], [2, 3, 0]]), 2).shape).toEqual([2, 2]);
    const rows = mx.topk(mx.array([[5, 1, 4], [2, 3, 0]]), 2).tolist() as number[][];
    expect(rows.map((r) => [...r].sort())).toEqual([[4, 5], [2, 3]]);
    expect(mx.topk(mx.array([[5, 1, 4], [2, 3, 0]]), 2, 0).tolist()).toEqual([[5, 1, 4], [2, 3, 0]]);
    expect(mx.topk(mx.array([[5, 1, 4], [2, 3, 0]]), 1, 0).tolist()).toEqual([[5, 3, 4]]);
    expect(() => mx.topk(mx.array([5, 1, 4, 2, 3]), 6)).toThrow(/\[topk\] Received invalid k=6 along axis -1/);
    expect(() => mx.topk(mx.array([5, 1]), -1)).toThrow(/invalid k=-1/);
  });
});

const floats = fc.array(
  fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(NaN), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
  { minLength: 1, maxLength: 24 },
);

describe('properties', () => {
  it('sort is a sorted permutation and argsort gathers to sort', () => {
    fc.assert(
      fc.property(floats, (xs) => {
        const f32 = xs.map((v) => Math.fround(v));
        const s = mx.sort(mx.array(xs, mx.float32)).tolist() as number[];
        expect(s).toEqual([...f32].sort(nanLast));
        const idx = mx.argsort(mx.array(xs, mx.float32)).tolist() as number[];
        expect([...idx].sort((a, b) => a - b)).toEqual(f32.map((_, i) => i));
        expect(idx.map((i) => f32[i])).toEqual(s);
        // stability: equal values keep index order
        for (let i = 1; i < idx.length; i++) {
          if (nanLast(f32[idx[i - 1]!]!, f32[idx[i]!]!) === 0) expect(idx[i - 1]!).toBeLessThan(idx[i]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('partition and argpartition satisfy the partition property', () => {
    fc.assert(
      fc.property(floats, fc.nat(), (xs, kk) => {
        const f32 = xs.map((v) => Math.fround(v));
        const k = kk % xs.length;
        expectPartitioned(mx.partition(mx.array(xs, mx.float32), k).tolist() as number[], k, f32);
        const idx = mx.argpartition(mx.array(xs, mx.float32), k).tolist() as number[];
        expectPartitioned(idx.map((i) => f32[i]!), k, f32);
      }),
      { numRuns: 60 },
    );
  });

  it('topk holds the k largest values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 20 }), fc.nat(), (xs, kk) => {
        const k = kk % (xs.length + 1);
        const got = (mx.topk(mx.array(xs, mx.int32), k).tolist() as number[]).sort((a, b) => a - b);
        expect(got).toEqual([...xs].sort((a, b) => a - b).slice(xs.length - k));
      }),
      { numRuns: 40 },
    );
  });
});

describe('MLX test_sort / test_partition style cases', () => {
  const shape = [6, 4, 10];
  const data = Array.from({ length: 240 }, (_, i) => Math.fround(((i * 2654435761) % 10007) / 100.07));

  it('sorts a 3-D array on every axis (and flattened) like a JS sort of each line', () => {
    const x = mx.array(data).reshape(shape);
    for (const axis of [0, 1, 2]) {
      const s = mx.sort(x, axis).transpose(...[0, 1, 2].filter((a) => a !== axis), axis).reshape(-1, shape[axis]!).tolist() as number[][];
      const lines = x.transpose(...[0, 1, 2].filter((a) => a !== axis), axis).reshape(-1, shape[axis]!).tolist() as number[][];
      expect(s).toEqual(lines.map((l) => [...l].sort((a, b) => a - b)));
      const idx = mx.argsort(x, axis).transpose(...[0, 1, 2].filter((a) => a !== axis), axis).reshape(-1, shape[axis]!).tolist() as number[][];
      expect(idx.map((r, i) => r.map((k) => lines[i]![k]))).toEqual(s);
    }
    expect(mx.sort(x, null).tolist()).toEqual([...data].sort((a, b) => a - b));
  });

  it('sorts 0-stride (broadcast) and strided inputs', () => {
    const b = mx.broadcastTo(mx.array([1, 0, 2, 1, 3, 0, 4, 0]), [16, 8]);
    const rows = mx.sort(b, 1).tolist() as number[][];
    expect(rows.every((r) => JSON.stringify(r) === JSON.stringify([0, 0, 0, 1, 1, 2, 3, 4]))).toBe(true);
    expect(mx.sort(b, 0).tolist()).toEqual(b.tolist());
    const col = mx.asStrided(mx.array([[4, 3], [2, 1], [5, 4], [3, 2]]), [4], [2], 1); // a[:, 1]
    expect(mx.argsort(col).tolist()).toEqual([1, 3, 0, 2]);
    expect(mx.sort(mx.array([1, 2, 3]), 0).tolist()).toEqual([1, 2, 3]);
  });

  it('argpartition of a broadcast input', () => {
    const x = mx.broadcastTo(mx.array([1, 2, 3]), [2, 3]);
    expect(mx.argpartition(x, 1, 0).tolist()).toEqual([[0, 0, 0], [1, 1, 1]]);
  });

  it('partition puts the kth element in place on every axis, for kth in (-2, 0, 2)', () => {
    const small = data.slice(0, 60).map((v) => Math.floor(v));
    const x = mx.array(small, mx.int32).reshape([3, 4, 5]);
    for (const axis of [null, 0, 1, 2]) {
      for (const kth of [-2, 0, 2]) {
        const p = mx.partition(x, kth, axis);
        expect(p.dtype).toBe(mx.int32);
        if (axis === null) {
          expectPartitioned(p.tolist() as number[], (kth + 60) % 60, small);
          continue;
        }
        const perm = [...[0, 1, 2].filter((a) => a !== axis), axis];
        const n = [3, 4, 5][axis]!;
        const got = p.transpose(...perm).reshape(-1, n).tolist() as number[][];
        const lines = x.transpose(...perm).reshape(-1, n).tolist() as number[][];
        got.forEach((line, i) => expectPartitioned(line, (kth + n) % n, lines[i]!));
        if (kth >= 0) {
          const t = mx.topk(x, kth, axis);
          expect(t.shape[axis]).toBe(kth);
        }
      }
    }
  });
});
