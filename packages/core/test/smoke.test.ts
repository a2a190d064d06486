import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('smoke', () => {
  it('adds lazily and evaluates', () => {
    const a = mx.array([1, 2, 3]);
    const b = mx.add(a, 1.5);
    expect(b.isEvaluated).toBe(false);
    expect(b.dtype).toBe(mx.float32);
    expect(b.tolist()).toEqual([2.5, 3.5, 4.5]);
    expect(mx.multiply(mx.array([[1], [2]]), mx.array([10, 20])).tolist()).toEqual([[10, 20], [20, 40]]);
    expect(mx.exp(mx.array([0])).tolist()).toEqual([1]);
    const t = mx.array([[1, 2, 3], [4, 5, 6]]).T;
    expect(t.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(t.reshape(6).tolist()).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
