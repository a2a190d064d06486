// The array handle: construction from JS values (MLX's dtype inference, checked against MLX
// 0.32.4), properties, item/tolist, iteration and construction errors.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

describe('construction', () => {
  // a number is a Python float, a bigint a Python int, a boolean a Python bool
  it.each([
    [[true, 2], 'float32', [2]],
    [[true, 2n], 'int32', [2]],
    [[true, 2.5], 'float32', [2]],
    [[1, 2 ** 40], 'float32', [2]],
    [[1n, 2n ** 40n], 'int64', [2]],
    [[1n, 2.5], 'float32', [2]],
    [[], 'float32', [0]],
    [[[]], 'float32', [1, 0]],
    [[[1, 2], [3, 4]], 'float32', [2, 2]],
    [[[1n, 2n], [3n, 4n]], 'int32', [2, 2]],
    [3, 'float32', []],
    [3n, 'int32', []],
    [2.5, 'float32', []],
    [true, 'bool', []],
    [[{ re: 1, im: 2 }, 3], 'complex64', [2]],
  ] as const)('mx.array(%o) is %s of shape %j', (value, dtype, shape) => {
    const a = mx.array(value as never);
    expect(a.dtype.name).toBe(dtype);
    expect(a.shape).toEqual(shape);
  });

  it('infers int32 / int64 from bigints by range', () => {
    expect(mx.array([1n, 2n]).dtype).toBe(mx.int32);
    expect(mx.array([1n, 2n ** 40n]).dtype).toBe(mx.int64);
  });

  it('infers dtypes of lists holding arrays as MLX stacks them', () => {
    expect(mx.array([mx.array([1, 2], mx.int32), mx.array([3, 4], mx.int32)]).dtype).toBe(mx.int32);
    expect(mx.array([mx.array([1, 2], mx.int8), [3n, 4n]]).dtype).toBe(mx.int32);
    expect(mx.array([mx.array([1, 2], mx.int8), [3, 4]]).dtype).toBe(mx.float32);
    expect(mx.array([mx.array([1, 2], mx.int8), mx.array([3, 4], mx.float16)]).dtype).toBe(mx.float16);
    expect(mx.array([mx.array([1, 2], mx.int32), mx.array([3, 4], mx.int32)]).tolist()).toEqual([[1, 2], [3, 4]]);
  });

  it('converts with C++ cast semantics when a dtype is given', () => {
    expect(mx.array([1.5, 2], mx.int32).tolist()).toEqual([1, 2]);
    expect(mx.array([-1.7, 2.7], mx.uint8).tolist()).toEqual([255, 2]);
    expect(mx.array([1, 2], mx.bool).tolist()).toEqual([true, true]);
    expect(mx.array([0, 2], mx.bool).tolist()).toEqual([false, true]);
    // Python floats go through float32 first, as in MLX: 0.1 -> float16 0.0999755859375
    expect(mx.array([0.1], mx.float16).item()).toBe(0.0999755859375);
    expect(mx.array(0.1, mx.float64).item()).toBe(0.1);
    expect(mx.array(0.1).item()).toBe(Math.fround(0.1));
    expect(mx.array([1, 2], mx.complex64).tolist()).toEqual([{ re: 1, im: 0 }, { re: 2, im: 0 }]);
  });

  it('keeps 64-bit integers exact', () => {
    const big = 2n ** 62n + 1n;
    const a = mx.array([big, -big, 5n], mx.int64);
    expect(a.tolist()).toEqual([big, -big, 5]);
    const u = mx.array([2n ** 64n - 1n], mx.uint64);
    expect(u.item()).toBe(2n ** 64n - 1n);
  });

  it('accepts TypedArrays (1-D, MLX dtype mapping)', () => {
    expect(mx.array(new Float32Array([1, 2])).dtype).toBe(mx.float32);
    expect(mx.array(new Float64Array([1, 2])).dtype).toBe(mx.float32);
    expect(mx.array(new Int16Array([1, 2])).dtype).toBe(mx.int16);
    expect(mx.array(new Uint8ClampedArray([1, 2])).dtype).toBe(mx.uint8);
    expect(mx.array(new BigInt64Array([1n, 2n])).tolist()).toEqual([1, 2]);
    expect(mx.array(new Float64Array([0.5]), mx.float64).item()).toBe(0.5);
  });

  it('mx.array(array) copies', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const b = mx.array(a);
    expect(b.dtype).toBe(mx.int32);
    mx.eval(a, b);
    expect(b._data!.storage).not.toBe(a._data!.storage);
    expect(b.tolist()).toEqual([1, 2, 3]);
    expect(mx.array(a, mx.float32).dtype).toBe(mx.float32);
  });

  it('rejects ragged and invalid input with clear errors', () => {
    expect(() => mx.array([[1, 2], [3]])).toThrow(/non-uniform length/);
    expect(() => mx.array([[1, 2], 3] as never)).toThrow(/non-uniform length/);
    expect(() => mx.array([1, 'a'] as never)).toThrow(/invalid element string 'a'/);
    expect(() => mx.array([1, null] as never)).toThrow(/invalid element null/);
    expect(() => mx.array([1], 'float32' as never)).toThrow(/dtype must be an mx Dtype/);
  });
});

describe('properties', () => {
  it('shape, dtype, ndim, size, itemsize, nbytes, length', () => {
    const a = mx.array([[1, 2, 3], [4, 5, 6]], mx.int16);
    expect(a.shape).toEqual([2, 3]);
    expect(a.ndim).toBe(2);
    expect(a.size).toBe(6);
    expect(a.itemsize).toBe(2);
    expect(a.nbytes).toBe(12);
    expect(a.length).toBe(2);
    expect(() => mx.array(1).length).toThrow(/0-d/);
    // shape is a copy: mutating it doesn't change the array
    a.shape.push(9);
    expect(a.shape).toEqual([2, 3]);
  });

  it('item and tolist per dtype', () => {
    expect(mx.array(true).item()).toBe(true);
    expect(mx.array(3, mx.uint8).item()).toBe(3);
    expect(mx.array(1.5, mx.bfloat16).item()).toBe(1.5);
    expect(mx.array({ re: 1, im: -2 }).item()).toEqual({ re: 1, im: -2 });
    expect(mx.array([[true, false]]).tolist()).toEqual([[true, false]]);
  });

  it('iterates over the first axis', () => {
    const rows = [...mx.array([[1, 2], [3, 4]])].map((r) => r.tolist());
    expect(rows).toEqual([[1, 2], [3, 4]]);
    expect(() => [...mx.array(1)]).toThrow(/0-d/);
  });

  it('T transposes and astype converts', () => {
    const a = mx.array([[1, 2, 3]], mx.int32);
    expect(a.T.shape).toEqual([3, 1]);
    expect(a.astype(mx.float16).dtype).toBe(mx.float16);
    expect(a.astype(mx.int32)).toBe(a);
  });

  it('round-trips random nested int lists through tolist (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 3, maxLength: 3 }), { maxLength: 5 }),
        (rows) => {
          const a = mx.array(rows.map((r) => r.map(BigInt)));
          if (rows.length) expect(a.dtype).toBe(mx.int32);
          expect(a.tolist()).toEqual(rows.length ? rows : []);
        },
      ),
    );
  });
});
