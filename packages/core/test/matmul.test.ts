import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

const arange = (n: number, shape: number[], dtype: mx.Dtype = mx.float32): mx.MxArray =>
  mx.array(Array.from({ length: n }, (_, i) => i), dtype).reshape(shape);

function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((acc, v, k) => acc + v * b[k]![j]!, 0)));
}

describe('matmul', () => {
  it('2-D, batched with broadcast batch dims, 1-D rules', () => {
    const a = mx.array([[1, 2, 3], [4, 5, 6]], mx.float32);
    const b = mx.array([[1, 0], [0, 1], [2, -1]], mx.float32);
    expect(mx.matmul(a, b).tolist()).toEqual([[7, -1], [16, -1]]);
    expect(mx.matmul(arange(12, [2, 2, 3]), arange(6, [3, 2])).tolist()).toEqual([[[10, 13], [28, 40]], [[46, 67], [64, 94]]]);
    expect(mx.matmul(mx.array([1, 2], mx.float32), mx.array([[1, 2], [3, 4]], mx.float32)).tolist()).toEqual([7, 10]);
    expect(mx.matmul(mx.array([[1, 2], [3, 4]], mx.float32), mx.array([1, 2], mx.float32)).tolist()).toEqual([5, 11]);
    expect(mx.matmul(mx.array([1, 2], mx.float32), mx.array([3, 4], mx.float32)).tolist()).toBe(11);
    const ones = (shape: number[]) => mx.array(new Array(shape.reduce((x, y) => x * y, 1)).fill(1), mx.float32).reshape(shape);
    expect(mx.matmul(ones([2, 1, 3, 4]), ones([5, 4, 2])).shape).toEqual([2, 5, 3, 2]);
    expect(mx.matmul(ones([4]), ones([3, 4, 2])).shape).toEqual([3, 2]);
    expect(mx.matmul(ones([3, 2, 4]), ones([4])).shape).toEqual([3, 2]);
    expect(mx.matmul(ones([2, 0]), ones([0, 3])).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });
  it('dtypes: promotion, half types, complex, strided inputs', () => {
    expect(mx.matmul(mx.array([[1, 2]], mx.float16), mx.array([[3], [4]], mx.bfloat16)).dtype).toBe(mx.float32);
    expect(mx.matmul(mx.array([[1]], mx.float32), mx.array([[2]], mx.int32)).dtype).toBe(mx.float32);
    const h = mx.matmul(mx.array([[1, 2]], mx.float16), mx.array([[3], [4]], mx.float16));
    expect(h.dtype).toBe(mx.float16);
    expect(h.tolist()).toEqual([[11]]);
    expect(mx.matmul(mx.array([[{ re: 1, im: 2 }]]), mx.array([[{ re: 3, im: -1 }]])).tolist()).toEqual([[{ re: 5, im: 5 }]]);
    const a = arange(6, [2, 3]);
    expect(mx.matmul(a.T, a).tolist()).toEqual(naive([[0, 3], [1, 4], [2, 5]], [[0, 1, 2], [3, 4, 5]]));
    expect(mx.matmul(a.index(mx.Slice(null, null, -1)), a.T).tolist()).toEqual(naive([[3, 4, 5], [0, 1, 2]], [[0, 3], [1, 4], [2, 5]]));
  });
  it('errors', () => {
    expect(() => mx.matmul(mx.array([[1, 2]], mx.int32), mx.array([[1], [2]], mx.int32))).toThrow(
      '[matmul] Only inexact types are supported but int32 and int32 were provided which results in int32, which is not a floating point type.',
    );
    const ones = (shape: number[]) => mx.array(new Array(shape.reduce((x, y) => x * y, 1)).fill(1), mx.float32).reshape(shape);
    expect(() => mx.matmul(ones([2, 3]), ones([4, 5]))).toThrow(
      '[matmul] Last dimension of first input with shape (2,3) must match second to last dimension of second input with shape (4,5).',
    );
    expect(() => mx.matmul(ones([2, 2, 3]), ones([3, 3, 2]))).toThrow('cannot be broadcast');
    expect(() => mx.matmul(mx.array(1.5), ones([2]))).toThrow('0 dimension');
  });
  it('property: matches a naive float64 triple loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (m, k, n, seed) => {
        const gen = (r: number, c: number, off: number) =>
          Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => (((seed + off + 31 * i + 17 * j) % 19) - 9) / 4));
        const A = gen(m, k, 1), B = gen(k, n, 5);
        const got = mx.matmul(mx.array(A, mx.float64), mx.array(B, mx.float64)).tolist();
        expect(got).toEqual(naive(A, B));
        // (AB)^T == B^T A^T
        const a = mx.array(A, mx.float32), b = mx.array(B, mx.float32);
        expect(mx.matmul(a, b).T.tolist()).toEqual(mx.matmul(b.T, a.T).tolist());
      }),
      { numRuns: 40 },
    );
  });
});

describe('addmm, tensordot, inner, outer', () => {
  it('addmm(c, a, b, alpha, beta) = alpha * a@b + beta * c', () => {
    const eye = mx.array([[1, 0], [0, 1]], mx.float32);
    expect(mx.addmm(mx.array([1, 2], mx.float32), mx.array([[1, 2], [3, 4]], mx.float32), eye, 0.5, -1).tolist()).toEqual([[-0.5, -1], [0.5, 0]]);
    const o = (r: number, c: number) => mx.array(new Array(r * c).fill(1), mx.float32).reshape([r, c]);
    expect(mx.addmm(o(2, 2), o(2, 3), o(3, 2), 2, 3).tolist()).toEqual([[9, 9], [9, 9]]);
    expect(mx.addmm(o(2, 2), o(2, 3), o(3, 2)).tolist()).toEqual([[4, 4], [4, 4]]);
    expect(() => mx.addmm(o(3, 3), o(2, 3), o(3, 2))).toThrow('[addmm]');
  });
  it('tensordot', () => {
    expect(mx.tensordot(arange(24, [2, 3, 4]), arange(12, [3, 4]), 2).tolist()).toEqual([506, 1298]);
    expect(mx.tensordot(arange(6, [2, 3]), arange(6, [3, 2]), [[1, 0], [0, 1]]).tolist()).toBe(50);
    expect(mx.tensordot(arange(6, [2, 3]), arange(6, [3, 2]), 0).shape).toEqual([2, 3, 3, 2]);
    expect(mx.tensordot(arange(6, [2, 3]), arange(6, [3, 2]), 1).tolist()).toEqual(mx.matmul(arange(6, [2, 3]), arange(6, [3, 2])).tolist());
    expect(() => mx.tensordot(arange(6, [2, 3]), arange(6, [2, 3]), 1)).toThrow('[tensordot]');
  });
  it('inner and outer', () => {
    expect(mx.inner(arange(6, [2, 3]), arange(3, [3])).tolist()).toEqual([5, 14]);
    expect(mx.inner(mx.array(2, mx.float32), mx.array([1, 2], mx.float32)).tolist()).toEqual([2, 4]);
    const o = (r: number, c: number) => mx.array(new Array(r * c).fill(1), mx.float32).reshape([r, c]);
    expect(mx.inner(o(2, 3), o(4, 3)).shape).toEqual([2, 4]);
    expect(() => mx.inner(o(2, 3), o(3, 2))).toThrow('[inner]');
    expect(mx.outer([1, 2], [3, 4]).tolist()).toEqual([[3, 4], [6, 8]]);
    expect(mx.outer(mx.array([[1, 2], [3, 4]]), mx.array([1, -1])).tolist()).toEqual([[1, -1], [2, -2], [3, -3], [4, -4]]);
  });
  it('property: inner(u, v) == sum of products; outer(u, v)[i][j] == u[i] v[j]', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 1, maxLength: 6 }), (u) => {
        const v = u.map((x, i) => x - i);
        const U = mx.array(u, mx.float32), V = mx.array(v, mx.float32);
        expect(mx.inner(U, V).item()).toBe(u.reduce((acc, x, i) => acc + x * v[i]!, 0));
        expect(mx.outer(U, V).tolist()).toEqual(u.map((x) => v.map((y) => x * y)));
      }),
      { numRuns: 40 },
    );
  });
});
