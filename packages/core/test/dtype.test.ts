// Dtypes: sizes, categories, issubdtype and MLX's promotion table (mlx/dtype.cpp).
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('dtypes', () => {
  it('has the 14 MLX dtypes with their sizes', () => {
    const sizes: Record<string, number> = {
      bool: 1, uint8: 1, uint16: 2, uint32: 4, uint64: 8, int8: 1, int16: 2, int32: 4, int64: 8,
      float16: 2, bfloat16: 2, float32: 4, float64: 8, complex64: 8,
    };
    expect(mx.allDtypes.map((d) => d.name).sort()).toEqual(Object.keys(sizes).sort());
    for (const d of mx.allDtypes) expect(d.size).toBe(sizes[d.name]);
    expect(mx.bool_).toBe(mx.bool);
    expect(String(mx.float32)).toBe('mlx.core.float32');
  });

  it('issubdtype over dtypes and categories (MLX table)', () => {
    expect(mx.issubdtype(mx.float32, mx.floating)).toBe(true);
    expect(mx.issubdtype(mx.bfloat16, mx.floating)).toBe(true);
    expect(mx.issubdtype(mx.float16, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.complex64, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.complex64, mx.floating)).toBe(false);
    expect(mx.issubdtype(mx.int8, mx.signedinteger)).toBe(true);
    expect(mx.issubdtype(mx.uint8, mx.signedinteger)).toBe(false);
    expect(mx.issubdtype(mx.uint64, mx.integer)).toBe(true);
    expect(mx.issubdtype(mx.int32, mx.number)).toBe(true);
    expect(mx.issubdtype(mx.bool, mx.number)).toBe(false);
    expect(mx.issubdtype(mx.bool, mx.generic)).toBe(true);
    expect(mx.issubdtype(mx.floating, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.inexact, mx.floating)).toBe(false);
    expect(mx.issubdtype(mx.integer, mx.number)).toBe(true);
    expect(mx.issubdtype(mx.floating, mx.float32)).toBe(false);
    expect(mx.issubdtype(mx.float32, mx.float32)).toBe(true);
    expect(mx.issubdtype(mx.float32, mx.float16)).toBe(false);
    expect(() => mx.issubdtype('float32' as never, mx.floating)).toThrow(/argument 'a' must be a Dtype/);
  });

  it('promotes as MLX (examples from the issue and the table)', () => {
    const p = (a: mx.Dtype, b: mx.Dtype) => mx.promoteTypes(a, b).name;
    expect(p(mx.uint64, mx.int32)).toBe('float32');
    expect(p(mx.int32, mx.float16)).toBe('float16');
    expect(p(mx.float16, mx.bfloat16)).toBe('float32');
    expect(p(mx.uint8, mx.int8)).toBe('int16');
    expect(p(mx.uint32, mx.int32)).toBe('int64');
    expect(p(mx.uint64, mx.float16)).toBe('float16');
    expect(p(mx.bool, mx.bool)).toBe('bool');
    expect(p(mx.bfloat16, mx.int64)).toBe('bfloat16');
    expect(p(mx.float64, mx.bfloat16)).toBe('float64');
    expect(p(mx.float64, mx.complex64)).toBe('complex64');
    // the table is symmetric
    for (const a of mx.allDtypes) for (const b of mx.allDtypes) expect(mx.promoteTypes(a, b)).toBe(mx.promoteTypes(b, a));
    expect(mx.resultType(mx.int8, mx.uint8, mx.float16).name).toBe('float16');
  });

  it('iinfo and finfo', () => {
    expect(mx.iinfo(mx.int8)).toEqual({ min: -128n, max: 127n, bits: 8 });
    expect(mx.iinfo(mx.uint64).max).toBe(2n ** 64n - 1n);
    expect(mx.finfo(mx.float16).max).toBe(65504);
    expect(mx.finfo(mx.bfloat16).eps).toBe(2 ** -7);
    expect(() => mx.finfo(mx.int32)).toThrow(/not an inexact dtype/);
  });
});
