import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

type Nested = number | boolean | bigint | Nested[] | { re: number; im?: number };
const empty = (shape: number[]): mx.MxArray => mx.array([]).reshape(shape);
const arange = (n: number, shape: number[]): mx.MxArray =>
  mx.array(Array.from({ length: n }, (_, i) => i), mx.int32).reshape(shape);

function expectClose(got: unknown, want: unknown, tol = 1e-5): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got)).toBe(true);
    expect((got as unknown[]).length).toBe(want.length);
    want.forEach((w, i) => expectClose((got as unknown[])[i], w, tol));
    return;
  }
  if (typeof want === 'number' && Number.isNaN(want)) {
    expect(Number.isNaN(got as number)).toBe(true);
    return;
  }
  if (typeof want === 'number' && !Number.isFinite(want)) {
    expect(got).toBe(want);
    return;
  }
  expect(Math.abs((got as number) - (want as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want as number)));
}

describe('sum / prod', () => {
  it('reduces all axes, one axis, several axes, with keepdims and negative axes', () => {
    const a = arange(24, [2, 3, 4]);
    expect(mx.sum(a).item()).toBe(276);
    expect(mx.sum(a).shape).toEqual([]);
    expect(mx.sum(a, [0, 2]).tolist()).toEqual([60, 92, 124]);
    expect(mx.sum(a, -1, true).shape).toEqual([2, 3, 1]);
    expect(mx.sum(a, -1, true).tolist()).toEqual([[[6], [22], [38]], [[54], [70], [86]]]);
    expect(mx.sum(a, true).shape).toEqual([1, 1, 1]);
    expect(mx.sum(a, null, true).tolist()).toEqual([[[276]]]);
    expect(a.sum(0).tolist()).toEqual([[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    expect(mx.prod(mx.array([[1, 2], [3, 4]]), 1).tolist()).toEqual([2, 12]);
    expect(mx.prod(mx.array([[1, 2], [3, 4]])).item()).toBe(24);
    expect(mx.array([[1, 2], [3, 4]]).prod(0, true).tolist()).toEqual([[3, 8]]);
  });

  it('accepts nested lists and scalars', () => {
    expect(mx.sum([[1, 2], [3, 4]], 0).tolist()).toEqual([4, 6]);
    expect(mx.sum(5).item()).toBe(5);
    expect(mx.sum(2.5).dtype).toBe(mx.float32);
  });

  it('follows MLX dtype rules', () => {
    const cases: [mx.Dtype, mx.Dtype][] = [
      [mx.bool, mx.int32], [mx.uint8, mx.uint32], [mx.uint16, mx.uint32], [mx.uint32, mx.uint32], [mx.uint64, mx.uint64],
      [mx.int8, mx.int32], [mx.int16, mx.int32], [mx.int32, mx.int32], [mx.int64, mx.int64],
      [mx.float16, mx.float16], [mx.float32, mx.float32], [mx.bfloat16, mx.bfloat16], [mx.complex64, mx.complex64],
    ];
    for (const [inD, outD] of cases) {
      const x = mx.array([1, 0, 1], inD);
      expect(mx.sum(x).dtype).toBe(outD);
      expect(mx.prod(x).dtype).toBe(outD);
      expect(mx.max(x).dtype).toBe(inD);
      expect(mx.min(x).dtype).toBe(inD);
      expect(mx.all(x).dtype).toBe(mx.bool);
      expect(mx.any(x).dtype).toBe(mx.bool);
    }
    expect(mx.sum(mx.array([true, true, false])).item()).toBe(2);
  });

  it('wraps integers as C does and keeps 64-bit sums exact', () => {
    expect(mx.sum(mx.array([2147483647, 1], mx.int32)).item()).toBe(-2147483648);
    expect(mx.prod(mx.array([65536, 65536], mx.int32)).item()).toBe(0);
    expect(mx.sum(mx.array([255, 1], mx.uint8)).item()).toBe(256);
    expect(mx.sum(mx.array([100, 100, 100], mx.int8)).item()).toBe(300);
    expect(mx.sum(mx.array([-1], mx.int8)).item()).toBe(-1);
    expect(mx.sum(mx.array([4000000000, 1000000000], mx.uint32)).item()).toBe(705032704);
    expect(mx.sum(mx.array([3000000000, 6000000000, 9000000000], mx.int64)).item()).toBe(18000000000);
    expect(mx.prod(mx.array([3000000000, 3], mx.uint64)).item()).toBe(9000000000);
    expect(mx.sum(mx.array([2n ** 62n, 2n ** 62n], mx.int64)).item()).toBe(-(2n ** 63n));
  });

  it('rounds half-precision sums once', () => {
    expect(mx.sum(mx.array([0.1, 0.2, 0.3], mx.float16)).item()).toBe(0.60009765625);
    expect(mx.sum(mx.array([1.5, 2.25], mx.bfloat16)).item()).toBe(3.75);
    expect(mx.sum(mx.array([0.1, 0.2])).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it('reduces complex values', () => {
    const c = mx.array([mx.Complex(1, 2), mx.Complex(3, 0), mx.Complex(1, 5)]);
    expect(mx.sum(c).item()).toEqual({ re: 5, im: 7 });
    expect(mx.prod(c).item()).toEqual({ re: -27, im: 21 });
    expect(mx.max(c).item()).toEqual({ re: 3, im: 0 });
    expect(mx.min(c).item()).toEqual({ re: 1, im: 2 });
    expect(mx.all(c).item()).toBe(true);
    expect(mx.any(mx.array([mx.Complex(0, 0), mx.Complex(0, 1)])).item()).toBe(true);
  });

  it('handles empty and size-1 reductions', () => {
    expect(mx.sum(mx.array([])).item()).toBe(0);
    expect(mx.sum(empty([0, 3]), 0).tolist()).toEqual([0, 0, 0]);
    expect(mx.prod(empty([0, 3]), 0).tolist()).toEqual([1, 1, 1]);
    expect(mx.sum(empty([0, 3]), 1).shape).toEqual([0]);
    expect(mx.all(mx.array([])).item()).toBe(true);
    expect(mx.any(mx.array([])).item()).toBe(false);
    const one = mx.array([[1, 2, 3]], mx.int8);
    expect(mx.sum(one, 0).tolist()).toEqual([1, 2, 3]);
    expect(mx.sum(one, 0).dtype).toBe(mx.int32);
    expect(mx.max(one, 0, true).tolist()).toEqual([[1, 2, 3]]);
    // An empty axis list returns the input unchanged (MLX).
    const b = mx.array([[1, 2], [3, 4]]);
    expect(mx.sum(b, []).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(mx.all(b, []).dtype).toBe(mx.bool);
    // 0-d arrays reduce over no axes.
    expect(mx.sum(mx.array(2)).item()).toBe(2);
    expect(mx.max(mx.array(2.5)).item()).toBe(2.5);
    // ...and return the input unchanged, dtype included (MLX: sum of a 0-d bool is bool).
    expect(mx.sum(mx.array(true)).dtype).toBe(mx.bool);
    expect(mx.sum(mx.array(5, mx.int8)).dtype).toBe(mx.int8);
    expect(mx.mean(mx.array(true)).item()).toBe(1);
    expect(mx.all(mx.array(3)).item()).toBe(true);
  });

  it('rejects bad axes with clear errors', () => {
    const b = mx.array([[1, 2], [3, 4]]);
    expect(() => mx.sum(b, 2)).toThrow(/\[sum\] axis 2 is out of bounds for array with 2 dimensions/);
    expect(() => mx.sum(b, -3)).toThrow(/out of bounds/);
    expect(() => mx.sum(b, [0, 0])).toThrow(/\[sum\].*duplicate axes/);
    expect(() => mx.sum(b, [1, -1])).toThrow(/duplicate/);
    expect(() => mx.sum(b, 0.5)).toThrow(/integer/);
    expect(() => mx.sum(mx.array(2), 0)).toThrow(/out of bounds/);
    expect(() => mx.sum(b, 'x' as unknown as number)).toThrow(/\[sum\] axis must be/);
    expect(() => mx.sum(b, 0, 1 as unknown as boolean)).toThrow(/keepdims must be a boolean/);
  });
});

describe('max / min / all / any', () => {
  it('computes values per axis', () => {
    const a = arange(24, [2, 3, 4]);
    expect(mx.max(a, [0, 1]).tolist()).toEqual([20, 21, 22, 23]);
    expect(mx.min(a, [1, 2], true).tolist()).toEqual([[[0]], [[12]]]);
    expect(a.max().item()).toBe(23);
    expect(a.min(-1).tolist()).toEqual([[0, 4, 8], [12, 16, 20]]);
    expect(mx.max(mx.array([-1, -5], mx.int64)).item()).toBe(-1);
    expect(mx.min(mx.array([2n ** 63n + 5n, 7n], mx.uint64)).item()).toBe(7);
    expect(mx.max(mx.array([2n ** 63n + 5n, 7n], mx.uint64)).item()).toBe(2n ** 63n + 5n);
    expect(mx.max(mx.array([true, false])).item()).toBe(true);
    expect(mx.min(mx.array([1.5, -0.5], mx.float16)).item()).toBe(-0.5);
  });

  it('propagates NaN as MLX', () => {
    expect(mx.max(mx.array([1, NaN, 3])).item()).toBeNaN();
    expect(mx.min(mx.array([1, NaN, 3])).item()).toBeNaN();
    expect(mx.max(mx.array([NaN, 1, 3])).item()).toBeNaN();
    expect(mx.max(mx.array([[1, NaN], [2, 3]]), 0).tolist()).toEqual([2, NaN]);
    expect(mx.max(mx.array([-Infinity, Infinity])).item()).toBe(Infinity);
  });

  it('raises on an empty reduced axis as MLX', () => {
    expect(() => mx.max(empty([0, 3]), 0)).toThrow('[max] Cannot max reduce over axis 0 with size 0.');
    expect(() => mx.min(mx.array([]))).toThrow('[min] Cannot min reduce over axis 0 with size 0.');
    expect(mx.max(empty([0, 3]), 1).shape).toEqual([0]);
  });

  it('all / any', () => {
    expect(mx.all(mx.array([[true, false], [true, true]]), 1).tolist()).toEqual([false, true]);
    expect(mx.any(mx.array([[0, 0], [0, 2]]), 0).tolist()).toEqual([false, true]);
    expect(mx.all(mx.array([1, NaN])).item()).toBe(true);
    expect(mx.any(mx.array([0, 0])).item()).toBe(false);
    expect(mx.array([[1, 0], [1, 1]]).all(0, true).tolist()).toEqual([[true, false]]);
    expect(mx.array([[1, 0], [0, 0]]).any(1).tolist()).toEqual([true, false]);
    expect(mx.all(mx.array([[1, 2]]), 0).tolist()).toEqual([true, true]);
  });
});

describe('argmax / argmin', () => {
  it('returns uint32 indices of the first extremum', () => {
    const a = arange(24, [2, 3, 4]);
    expect(mx.argmax(a, 1).tolist()).toEqual([[2, 2, 2, 2], [2, 2, 2, 2]]);
    expect(mx.argmax(a, 1).dtype).toBe(mx.uint32);
    const b = mx.array([[3, 1, 2], [0, 5, 0]]);
    expect(mx.argmin(b, 1).tolist()).toEqual([1, 0]);
    expect(mx.argmax(b).item()).toBe(4);
    expect(mx.argmax(b).shape).toEqual([]);
    expect(mx.argmax(b, true).tolist()).toEqual([[4]]);
    expect(mx.argmin(b, 1, true).tolist()).toEqual([[1], [0]]);
    expect(mx.argmin(b, -2).tolist()).toEqual([1, 0, 1]);
    expect(b.argmax(0).tolist()).toEqual([0, 1, 0]);
    expect(b.argmin().item()).toBe(3);
    expect(mx.argmax(mx.array([3, 1, 3])).item()).toBe(0);
    expect(mx.argmin(mx.array([1, 1, 3])).item()).toBe(0);
    expect(mx.argmax(mx.array(2.0)).item()).toBe(0);
    expect(mx.argmax(mx.array([[7, 8]]), 0).tolist()).toEqual([0, 0]);
    expect(mx.argmax(mx.array([-(2n ** 40n), 2n ** 40n], mx.int64)).item()).toBe(1);
    expect(mx.argmax(mx.array([mx.Complex(1, 2), mx.Complex(3, 0), mx.Complex(1, 5)])).item()).toBe(1);
  });

  it('points at the first NaN', () => {
    expect(mx.argmax(mx.array([1, NaN, 3])).item()).toBe(1);
    expect(mx.argmin(mx.array([1, NaN, 3])).item()).toBe(1);
    expect(mx.argmax(mx.array([NaN, 5, NaN])).item()).toBe(0);
  });

  it('rejects empty arrays and bad axes', () => {
    expect(() => mx.argmax(mx.array([]))).toThrow('[argmax] Cannot argmax reduce zero size array.');
    expect(() => mx.argmin(empty([2, 0]), 0)).toThrow('[argmin] Cannot argmin reduce zero size array.');
    expect(() => mx.argmax(mx.array([1, 2]), 1)).toThrow(/\[argmax\] axis 1 is out of bounds/);
    expect(() => mx.argmax(mx.array([1, 2]), [0] as unknown as number)).toThrow(/single number/);
  });
});

describe('mean / variance / std', () => {
  it('mean', () => {
    expect(mx.mean(mx.array([[1, 2], [3, 4]]), 0).tolist()).toEqual([2, 3]);
    expect(mx.mean(mx.array([[1, 2], [3, 4]])).item()).toBe(2.5);
    expect(mx.mean(mx.array([[1, 2], [3, 4]])).dtype).toBe(mx.float32);
    expect(mx.mean(mx.array([1, 2], mx.float16)).dtype).toBe(mx.float16);
    expect(mx.mean(mx.array([1, 2], mx.int64)).dtype).toBe(mx.float32);
    expect(mx.array([[1, 2], [3, 4]]).mean(1, true).tolist()).toEqual([[1.5], [3.5]]);
    expect(mx.mean(mx.array([[1, 2], [3, 4]]), true).shape).toEqual([1, 1]);
    expect(mx.mean(mx.array([])).item()).toBeNaN();
    expect(mx.mean(empty([0, 3]), 0).tolist()).toEqual([NaN, NaN, NaN]);
    expect(() => mx.mean(mx.array([1]), 1)).toThrow(/\[mean\] axis 1 is out of bounds/);
  });

  it('variance and std with ddof', () => {
    expect(mx.variance(mx.array([[1, 2], [3, 5]]), 1).tolist()).toEqual([0.25, 1]);
    expect(mx.variance(mx.array([[1, 2], [3, 5]]), 0).tolist()).toEqual([1, 2.25]);
    expectClose(mx.variance(mx.array([1, 2, 4]), null, false, 1).item(), 2.3333332538604736, 1e-7);
    expectClose(mx.std(mx.array([[1, 2], [3, 5]]), 0, false, 1).tolist(), [1.4142135381698608, 2.1213202476501465], 1e-7);
    expectClose(mx.std(mx.array([1, 2, 3, 4])).item(), 1.118033988749895, 1e-6);
    expect(mx.variance(mx.array([1, 2]), null, false, 2).item()).toBe(Infinity);
    expect(mx.variance(mx.array([1, 2]), null, false, 3).item()).toBe(Infinity);
    expect(mx.variance(mx.array([])).item()).toBeNaN();
    expect(mx.variance(mx.array([[1, 2], [3, 5]]), 1, true).shape).toEqual([2, 1]);
    expect(mx.variance(mx.array([[1, 2], [3, 5]]), true).shape).toEqual([1, 1]);
    expect(mx.array([1, 2, 3, 4]).variance().item()).toBe(1.25);
    expect(mx.array([1, 2, 3, 4]).std().dtype).toBe(mx.float32);
    const c = mx.variance(mx.array([mx.Complex(1, 1), mx.Complex(1, -1)]));
    expect(c.dtype).toBe(mx.float32);
    expect(c.item()).toBe(1);
    expect(() => mx.variance(mx.array([1, 2]), 0, false, 0.5)).toThrow(/ddof must be an integer/);
  });
});

describe('logsumexp / softmax', () => {
  it('logsumexp', () => {
    const a = mx.array([[1, 2], [3, 4]]);
    expectClose(mx.logsumexp(a, 1).tolist(), [2.3132617473602295, 4.31326150894165]);
    expectClose(mx.logsumexp(a, 0, true).tolist(), [[3.1269280910491943, 4.126927852630615]]);
    expectClose(mx.logsumexp(mx.array([1000, 1000])).item(), 1000.6931762695312);
    expect(mx.logsumexp(mx.array([-Infinity, 1])).item()).toBe(1);
    expect(mx.logsumexp(mx.array([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(mx.logsumexp(mx.array([Infinity, 1])).item()).toBe(Infinity);
    expect(mx.logsumexp(mx.array([NaN, 1])).item()).toBeNaN();
    expect(mx.logsumexp(mx.array([1, 2]), []).tolist()).toEqual([1, 2]);
    expect(mx.logsumexp(mx.array([1, 2], mx.int32)).dtype).toBe(mx.float32);
    expect(mx.logsumexp(mx.array(2)).item()).toBe(2);
    expect(a.logsumexp(1).shape).toEqual([2]);
    expect(() => mx.logsumexp(mx.array([]))).toThrow('[logsumexp] Received empty array.');
  });

  it('softmax', () => {
    expectClose(mx.softmax(mx.array([1, 2, 3], mx.int32)).tolist(), [0.09003057330846786, 0.2447284758090973, 0.6652409434318542]);
    expect(mx.softmax(mx.array([1, 2, 3], mx.int32)).dtype).toBe(mx.float32);
    expectClose(mx.softmax(mx.array([[1, 2], [3, 5]], mx.float32), 0).tolist(), [[0.11920291930437088, 0.047425881028175354], [0.8807970285415649, 0.9525741338729858]]);
    expectClose(mx.softmax(mx.array([[1, 2], [3, 4]], mx.float32)).tolist(), [[0.032058604061603546, 0.08714431524276733], [0.23688280582427979, 0.6439142227172852]]);
    expectClose(mx.softmax(mx.array([1, 2, 3], mx.int32), -1, true).tolist(), [0.09003057330846786, 0.2447284758090973, 0.6652409434318542]);
    const h = mx.softmax(mx.array([1, 2, 3], mx.float16), -1, true);
    expect(h.dtype).toBe(mx.float16);
    expectClose(h.tolist(), [0.09002685546875, 0.24462890625, 0.6650390625], 1e-3);
    expect(mx.softmax(mx.array([-Infinity, -Infinity])).tolist()).toEqual([NaN, NaN]);
    expect(mx.softmax(mx.array([])).shape).toEqual([0]);
    expect(mx.softmax(mx.array(2)).item()).toBe(1);
    // MLX's general (non-last-axis) path casts back to the input dtype.
    expect(mx.softmax(mx.array([[1, 2], [3, 4]], mx.int32), 0).tolist()).toEqual([[0, 0], [0, 0]]);
    expect(mx.softmax(mx.array([[1, 2], [3, 4]], mx.int32)).dtype).toBe(mx.int32);
    expectClose(mx.softmax(mx.array([[1, 2]], mx.int32), [0, 1]).tolist(), [[0.2689414322376251, 0.7310585975646973]]);
    expect(mx.softmax(mx.array([[1, 2]], mx.int32), [0, 1]).dtype).toBe(mx.float32);
    expect(() => mx.softmax(mx.array(2), 0)).toThrow('[softmax] Received non-empty axes for array with 0 dimensions.');
  });
});

// Arbitrary small int32 tensors (values small enough that sums are exact in float32 too).
const smallTensor = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.array(fc.integer({ min: -100, max: 100 }), {
      minLength: shape.reduce((a, b) => a * b, 1),
      maxLength: shape.reduce((a, b) => a * b, 1),
    }).map((data) => ({ shape, data })),
  );

describe('properties', () => {
  it('sum over all axes equals sum over axis 0 then the rest', () => {
    fc.assert(
      fc.property(smallTensor, ({ shape, data }) => {
        const a = mx.array(data, mx.int32).reshape(shape);
        const total = data.reduce((x, y) => x + y, 0);
        expect(mx.sum(a).item()).toBe(total);
        expect(mx.sum(mx.sum(a, 0)).item()).toBe(total);
        expect(mx.sum(a.astype(mx.float32), shape.map((_, i) => shape.length - 1 - i)).item()).toBe(total);
      }),
      { numRuns: 40 },
    );
  });

  it('max is >= every element and argmax points at it', () => {
    fc.assert(
      fc.property(smallTensor, ({ shape, data }) => {
        const a = mx.array(data, mx.int32).reshape(shape);
        const m = mx.max(a).item() as number;
        expect(m).toBe(Math.max(...data));
        expect(data.every((v) => v <= m)).toBe(true);
        expect(data[mx.argmax(a).item() as number]).toBe(m);
        expect(data.indexOf(m)).toBe(mx.argmax(a).item());
        expect(data[mx.argmin(a).item() as number]).toBe(Math.min(...data));
        // per row of the last axis: the max is the element argmax points at
        const last = shape.length - 1;
        const n = shape[last]!;
        const maxes = mx.max(a, last).reshape(-1).tolist() as number[];
        const idx = mx.argmax(a, last).reshape(-1).tolist() as number[];
        expect(mx.argmax(a, last, true).shape).toEqual([...shape.slice(0, last), 1]);
        maxes.forEach((m, r) => {
          const row = data.slice(r * n, (r + 1) * n);
          expect(m).toBe(Math.max(...row));
          expect(row[idx[r]!]).toBe(m);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('all/any agree with JS every/some', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 8 }), (bs) => {
        expect(mx.all(mx.array(bs as Nested[] as boolean[])).item()).toBe(bs.every((b) => b));
        expect(mx.any(mx.array(bs)).item()).toBe(bs.some((b) => b));
      }),
      { numRuns: 30 },
    );
  });
});

/** Plain JS reduction of row-major `data` over `axes`, for checking the kernel. */
function reduceRef(data: number[], shape: number[], axes: number[], f: (a: number, b: number) => number, init: number): number[] {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(outSize).fill(init);
  const idx = new Array<number>(shape.length).fill(0);
  for (const v of data) {
    let o = 0;
    shape.forEach((d, i) => {
      if (!axes.includes(i)) o = o * d + idx[i]!;
    });
    out[o] = f(out[o]!, v);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

describe('MLX test_ops style cases', () => {
  it('test_sum: every axis combination of a 4-D array', () => {
    const shape = [3, 5, 4, 7];
    const data = Array.from({ length: 3 * 5 * 4 * 7 }, (_, i) => i);
    const x = mx.array(data, mx.float32).reshape(shape);
    for (const axes of [null, [0], [1], [2], [3], [0, 1], [2, 3], [1, 2, 3]] as (number[] | null)[]) {
      const ax = axes ?? [0, 1, 2, 3];
      const got = mx.sum(x, axes);
      expect(got.shape).toEqual(shape.filter((_, i) => !ax.includes(i)));
      const flatGot = got.reshape(-1).tolist() as number[];
      expect(flatGot).toEqual(reduceRef(data, shape, ax, (a, b) => a + b, 0));
      expect(mx.max(x, axes).reshape(-1).tolist()).toEqual(reduceRef(data, shape, ax, Math.max, -Infinity));
      expect(mx.min(x, axes).reshape(-1).tolist()).toEqual(reduceRef(data, shape, ax, Math.min, Infinity));
    }
    const six = Array.from({ length: 3 * 2 * 3 * 3 * 3 * 3 }, (_, i) => i);
    const y = mx.array(six, mx.float32).reshape([3, 2, 3, 3, 3, 3]);
    expect(y.sum([0, 1, 3, 4, 5]).tolist()).toEqual(reduceRef(six, [3, 2, 3, 3, 3, 3], [0, 1, 3, 4, 5], (a, b) => a + b, 0));
  });

  it('test_sum: broadcast and strided inputs', () => {
    const b = mx.asStrided(mx.array([1, 2, 3, 4], mx.float32), [2, 2], [0, 2]); // [[1, 3], [1, 3]]
    expect(mx.sum(b).item()).toBe(8);
    expect(mx.sum(b, 0).tolist()).toEqual([2, 6]);
    expect(mx.sum(b, 1).tolist()).toEqual([4, 4]);
    expect(mx.prod(b, [0, 1]).item()).toBe(9);
    expect(mx.argmax(b, 1).tolist()).toEqual([1, 1]);
    const t = mx.array([[1, 2, 3], [4, 5, 6]]).T;
    expect(mx.sum(t, 1).tolist()).toEqual([5, 7, 9]);
    expect(mx.argmin(t, 0).tolist()).toEqual([0, 0]);
  });

  it('test_prod / test_min_and_max / test_mean: the 2x2 cases', () => {
    const x = mx.array([[1, 2], [3, 3]]);
    expect(mx.prod(x).item()).toBe(18);
    expect(mx.prod(x, true).shape).toEqual([1, 1]);
    expect(mx.prod(x, 0).tolist()).toEqual([3, 6]);
    expect(mx.prod(x, 1).tolist()).toEqual([2, 9]);
    for (const [d, want] of [[mx.bool, mx.int32], [mx.int8, mx.int32], [mx.uint8, mx.uint32]] as const) {
      expect(mx.prod(mx.array([2], d), 0).dtype).toBe(want);
      expect(mx.prod(mx.array([2, 2], d), 0).dtype).toBe(want);
    }
    const y = mx.array([[1, 2], [3, 4]]);
    expect(mx.min(y, true).tolist()).toEqual([[1]]);
    expect(mx.max(y, true).tolist()).toEqual([[4]]);
    expect(mx.min(y, 0).tolist()).toEqual([1, 2]);
    expect(mx.min(y, 1).tolist()).toEqual([1, 3]);
    expect(mx.max(y, 0).tolist()).toEqual([3, 4]);
    expect(mx.max(y, 1).tolist()).toEqual([2, 4]);
  });

  it('test_argmin_argmax: every axis and keepdims against a JS reference', () => {
    const shape = [4, 5, 3];
    const data = Array.from({ length: 60 }, (_, i) => Math.fround(Math.sin(i * 7.3) * 10));
    const x = mx.array(data).reshape(shape);
    for (let axis = 0; axis < 3; axis++) {
      for (const kd of [true, false]) {
        const got = mx.argmax(x, axis, kd);
        const want = shape.map((d, i) => (i === axis ? 1 : d));
        expect(got.shape).toEqual(kd ? want : shape.filter((_, i) => i !== axis));
        // the index selects the maximum of its line
        const maxes = mx.max(x, axis).reshape(-1).tolist() as number[];
        const idx = got.reshape(-1).tolist() as number[];
        const strides = [15, 3, 1];
        const outShape = shape.filter((_, i) => i !== axis);
        idx.forEach((k, o) => {
          const coords = outShape.length === 2 ? [Math.floor(o / outShape[1]!), o % outShape[1]!] : [];
          coords.splice(axis, 0, k);
          expect(data[coords.reduce((acc, c, i) => acc + c * strides[i]!, 0)]).toBe(maxes[o]);
        });
      }
    }
    expect(mx.argmax(x).item()).toBe(data.indexOf(Math.max(...data)));
    expect(mx.argmin(x, true).shape).toEqual([1, 1, 1]);
  });

  it('test_var: the 2x2 and ddof cases', () => {
    const x = mx.array([[1, 2], [3, 4]]);
    expect(mx.variance(x).item()).toBe(1.25);
    expect(mx.variance(x, true).shape).toEqual([1, 1]);
    expect(mx.variance(x, 0).tolist()).toEqual([1, 1]);
    expect(mx.variance(x, 1).tolist()).toEqual([0.25, 0.25]);
    const c = mx.array([mx.Complex(1, 2), mx.Complex(-3, -4), mx.Complex(0.5, -0.25)]);
    expectClose(mx.variance(c).item(), 9.291666666666666, 1e-6);
    expectClose(mx.std(c).item(), Math.sqrt(9.291666666666666), 1e-6);
  });

  it('test_softmax: one finite entry among -inf gives exactly 1', () => {
    const n = 100;
    const a = mx.softmax(mx.array(Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : -Infinity)))).tolist() as number[];
    expect(a.slice(0, -1).every((v) => v === 0)).toBe(true);
    expect(a[n - 1]).toBe(1);
  });

  it('test_logsumexp: matches the decomposition on transposed and broadcast inputs', () => {
    const data = Array.from({ length: 16 }, (_, i) => Math.fround(Math.cos(i) * 3));
    const ref = (xs: number[]): number => {
      const m = Math.max(...xs);
      return Math.log(xs.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    };
    const x = mx.array(data).reshape([2, 2, 4]);
    expectClose(mx.logsumexp(x.transpose(1, 0, 2)).item(), ref(data), 1e-6);
    expectClose(mx.logsumexp(mx.broadcastTo(mx.array(data.slice(0, 4)), [3, 4])).item(), ref([...data.slice(0, 4), ...data.slice(0, 4), ...data.slice(0, 4)]), 1e-6);
    for (const shape of [[1, 2], [1, 1], [1, 1, 8]]) {
      const y = mx.array(data.slice(0, shape.reduce((a, b) => a * b, 1))).reshape(shape);
      expect(mx.logsumexp(y).shape).toEqual([]);
      expect(mx.logsumexp(y, true).shape).toEqual(shape.map(() => 1));
    }
    const z = mx.array(data.slice(0, 8)).reshape([2, 1, 4]);
    expect(mx.logsumexp(z, [1, 2]).shape).toEqual([2]);
    expect(mx.logsumexp(z, [1, 2], true).shape).toEqual([2, 1, 1]);
    expectClose(mx.logsumexp(z, [1, 2]).tolist(), [ref(data.slice(0, 4)), ref(data.slice(4, 8))], 1e-6);
  });
});
