// mx.view / a.view: bit reinterpretation, values checked against MLX 0.32.4.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('view', () => {
  it('reinterprets bytes like MLX', () => {
    const a = mx.array([1.0, 2.0], mx.float32);
    expect(mx.view(a, mx.uint16).tolist()).toEqual([0, 16256, 0, 16384]);
    expect(mx.view(a, mx.int64).tolist()).toEqual([4611686019492741120n]);
    expect(a.view(mx.int32).tolist()).toEqual([1065353216, 1073741824]);
    expect(mx.view(mx.array([1, 2, 3, 4], mx.uint8).index(mx.Slice(1, 3)), mx.uint16).tolist()).toEqual([770]);
    expect(mx.view(mx.array([[1.0, 2.0]], mx.float32).T, mx.uint16).tolist()).toEqual([[0, 16256], [0, 16384]]);
    expect(mx.view(mx.array([1.5], mx.bfloat16), mx.uint16).tolist()).toEqual([16320]);
  });

  it('shares storage when the layout allows', () => {
    const a = mx.array([1.0, 2.0], mx.float32);
    const v = mx.view(a, mx.uint32);
    mx.eval(a, v);
    expect(v._data!.storage).toBe(a._data!.storage);
  });

  it('errors as MLX does', () => {
    expect(() => mx.view(mx.array(1.0, mx.float32), mx.uint16)).toThrow(/scalar is only allowed for types with the same size/);
    expect(() => mx.view(mx.array([1, 2, 3], mx.uint8), mx.uint16)).toThrow(/multiple of the requested type size/);
  });
});
