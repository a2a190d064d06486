// node-mlx compatibility: array construction, dtypes, conversion, iteration and printing,
// called exactly the way programs written against node-mlx's `core` namespace call them.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const allTrue = (a: mx.MxArray) => {
  expect(a.dtype).toBe(mx.bool_);
  expect(a.ndim === 0 ? a.item() : (a.tolist() as unknown[]).flat(Infinity).every((v) => v === true)).toBe(true);
};

describe('dtype objects', () => {
  it('report their item size', () => {
    const sizes: [mx.Dtype, number][] = [
      [mx.bool_, 1], [mx.uint8, 1], [mx.uint16, 2], [mx.uint32, 4], [mx.uint64, 8],
      [mx.int8, 1], [mx.int16, 2], [mx.int32, 4], [mx.int64, 8],
      [mx.float16, 2], [mx.float32, 4], [mx.bfloat16, 2], [mx.complex64, 8],
    ];
    for (const [d, n] of sizes) expect(d.size).toBe(n);
  });

  it('finfo works on floats and rejects integers', () => {
    expect(() => mx.finfo(mx.int32)).toThrow();
    const f32 = mx.finfo(mx.float32);
    expect(f32.dtype).toBe(mx.float32);
    expect(f32.max).toBeCloseTo(3.4028234663852886e38, -30);
    expect(f32.min).toBe(-f32.max);
    expect(mx.finfo(mx.float16).max).toBe(65504);
    expect(mx.finfo(mx.float16).dtype).toBe(mx.float16);
  });
});

describe('mx.array(value, dtype)', () => {
  // node-mlx makes every JS number float32. The project follows MLX instead (documented in the
  // README): an integer-valued JS number is a Python int, so mx.array(1) is int32 as in MLX.
  it('scalars: integer numbers int32, fractional float32, booleans bool, Complex complex64', () => {
    let x = mx.array(1);
    expect([x.size, x.ndim, x.itemsize, x.nbytes]).toEqual([1, 0, 4, 4]);
    expect(x.shape).toEqual([]);
    expect(x.dtype).toBe(mx.int32);
    expect(mx.array(1.5).dtype).toBe(mx.float32);
    expect(x.item()).toBe(1);
    expect(() => x.length).toThrow(TypeError);

    for (const d of [mx.uint32, mx.int64, mx.bfloat16]) {
      x = mx.array(1, d);
      expect(x.dtype).toBe(d);
      expect(x.item()).toBe(1);
      expect(typeof x.item()).toBe('number');
    }
    x = mx.array(false);
    expect(x.dtype).toBe(mx.bool_);
    expect(x.item()).toBe(false);

    x = mx.array(mx.Complex(1, 1));
    expect(x.dtype).toBe(mx.complex64);
    expect(x.shape).toEqual([]);
    expect(x.item()).toEqual({ re: 1, im: 1 });
  });

  it('nested lists infer shape and dtype', () => {
    let x = mx.array([true, false, true]);
    expect(x.dtype).toBe(mx.bool_);
    expect(x.shape).toEqual([3]);
    expect(x.length).toBe(3);
    expect(mx.array([true, false, true], mx.float32).dtype).toBe(mx.float32);
    // MLX: a list of Python ints is int32 (node-mlx said float32), one float makes it float32.
    expect(mx.array([0, 1, 2]).dtype).toBe(mx.int32);
    expect(mx.array([0, 1.5, 2]).dtype).toBe(mx.float32);
    expect(mx.array([0, 1, 2], mx.float32).dtype).toBe(mx.float32);
    x = mx.array([mx.Complex(0, 1), mx.Complex(1)]);
    expect(x.dtype).toBe(mx.complex64);
    expect(x.shape).toEqual([2]);
    expect(mx.array([1, 2, 3], mx.int32).tolist()).toEqual([1, 2, 3]);
    expect(mx.array([1, 2, 3], mx.int32).dtype).toBe(mx.int32);
  });

  it('empty lists and ragged lists', () => {
    expect(mx.array([]).shape).toEqual([0]);
    expect(mx.array([]).dtype).toBe(mx.float32);
    expect(mx.array([[], [], []]).shape).toEqual([3, 0]);
    expect(mx.array([[[], []], [[], []], [[], []]]).shape).toEqual([3, 2, 0]);
    expect(() => mx.array([[[], []], [[]], [[], []]])).toThrow();
    expect(() => mx.array([[[], []], [[1.0, 2.0], []], [[], []]])).toThrow();
    expect(() => mx.array([[0, 1], [[0, 1], 1]] as never)).toThrow();
  });

  it('casts list values to the requested dtype', () => {
    const b = mx.array([[1.0, 2.0], [0.0, 3.9]], mx.bool_);
    expect(b.dtype).toBe(mx.bool_);
    expect(b.tolist()).toEqual([[true, true], [false, true]]);
    // float -> int truncates toward zero, as in MLX.
    expect(mx.array([[1.0, 2.0], [0.0, 3.9]], mx.int32).tolist()).toEqual([[1, 2], [0, 3]]);
    expect(mx.array([mx.Complex(1, 0), mx.Complex(0, 2)], mx.complex64).tolist()).toEqual([
      { re: 1, im: 0 },
      { re: 0, im: 2 },
    ]);
  });

  it('copies another array with `new mx.array(x)` and mx.array(x)', () => {
    for (const d of [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32, mx.uint64,
      mx.float16, mx.float32, mx.bfloat16, mx.complex64]) {
      const x = mx.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], d);
      const y = new mx.array(x);
      allTrue(mx.equal(y, x));
      if (d.kind === 'u' && d.size < 8) {
        // node-mlx expected this to work (its -1 is a float); MLX refuses an int scalar that
        // overflows the unsigned dtype ("Converting -1 to uint8 would result in overflow").
        expect(() => mx.add(y, -1)).toThrow(/overflow/);
      } else if (d === mx.uint64) {
        // MLX does not range-check uint64 and wraps: [1..8] + -1 is [0..7].
        expect(mx.add(y, -1).tolist()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
      } else {
        allTrue(mx.equal(mx.add(y, -1), mx.add(x, -1)));
      }
      expect(mx.array(x).dtype).toBe(d);
    }
  });

  it('lists of arrays stack, and an array argument can be cast', () => {
    const st = mx.array([mx.array([1, 2]), mx.array([3, 4])]);
    expect(st.shape).toEqual([2, 2]);
    expect(st.dtype).toBe(mx.int32);
    expect(st.tolist()).toEqual([[1, 2], [3, 4]]);
    const c = mx.array(mx.array([1, 2]), mx.float32);
    expect(c.dtype).toBe(mx.float32);
    expect(c.tolist()).toEqual([1, 2]);
    const mixed = mx.array([mx.array(1.5), 2]);
    expect(mixed.dtype).toBe(mx.float32);
    expect(mixed.tolist()).toEqual([1.5, 2]);
  });

  it('accepts typed arrays, Buffers and sparse JS arrays', () => {
    const buf = Buffer.from([8, 9, 6, 4]);
    const a = mx.array(buf);
    expect(a.dtype).toBe(mx.uint8);
    expect(a.tolist()).toEqual([8, 9, 6, 4]);
    const i8 = mx.array(new Int8Array([1, -2, 3]));
    expect(i8.dtype).toBe(mx.int8);
    expect(i8.tolist()).toEqual([1, -2, 3]);
    expect(mx.array(new Int32Array([5, 6])).dtype).toBe(mx.int32);
    expect(mx.array(new Float32Array([0.5])).dtype).toBe(mx.float32);
  });

  it('treats holes of a sparse JS array as zeros (node-mlx js.spec)', () => {
    expect(mx.array(new Array(4)).tolist()).toEqual(mx.zeros([4]).tolist());
  });
});

describe('tolist / item', () => {
  it('round-trip values for every basic dtype', () => {
    for (const d of [mx.bool_, mx.uint32, mx.int32, mx.int64, mx.float32]) {
      allTrue(mx.equal(mx.array(1, d).tolist() as number, 1));
    }
    const v2 = [[1.5, 2.5], [3.5, 4.5]];
    expect(mx.array(v2).tolist()).toEqual(v2);
    const v3 = [[[0.5, 1.5], [2.5, 3.5]], [[4.5, 5.5], [6.5, 7.5]]];
    expect(mx.array(v3).tolist()).toEqual(v3);
    expect(mx.array([]).tolist()).toEqual([]);
    expect(mx.array([[], []]).tolist()).toEqual([[], []]);
    expect(mx.array([1, 2, 3, 4, 5], mx.float16).tolist()).toEqual([1, 2, 3, 4, 5]);
    expect(mx.array([1, 2, 3, 4, 5], mx.bfloat16).tolist()).toEqual([1, 2, 3, 4, 5]);
    expect(mx.array([[1, 0], [0, 1]], mx.bool_).tolist()).toEqual([[true, false], [false, true]]);
  });

  it('64-bit integers come back as JS numbers', () => {
    expect(mx.array([1, -2], mx.int64).tolist()).toEqual([1, -2]);
    expect(typeof mx.array(7, mx.uint64).item()).toBe('number');
  });

  it('astype truncates floats like MLX', () => {
    const a = mx.array([0.1, 2.3, -1.3]);
    const b = a.astype(mx.int32);
    expect(b.dtype).toBe(mx.int32);
    expect(b.tolist()).toEqual([0, 2, -1]);
  });
});

describe('JS scalar promotion (weak scalars)', () => {
  // MLX's weak scalars (checked with MLX 0.32.4): a fractional JS number never widens a float array
  // and turns integer/bool arrays into float32; an integer-valued JS number keeps an integer array's
  // dtype (node-mlx, which has no ints, expected float32 here: MLX wins) and turns bool into int32;
  // a JS boolean keeps the array's dtype.
  const cases: [mx.Dtype, boolean | number, mx.Dtype][] = [];
  for (const d of [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32, mx.uint64]) {
    cases.push([d, false, d], [d, 0, d], [d, 1.5, mx.float32]);
  }
  cases.push([mx.bool_, false, mx.bool_], [mx.bool_, 0, mx.int32], [mx.bool_, 1.5, mx.float32]);
  cases.push([mx.float32, false, mx.float32], [mx.float32, 0, mx.float32], [mx.float32, 1.5, mx.float32]);
  cases.push([mx.float16, false, mx.float16], [mx.float16, 0, mx.float16], [mx.float16, 1.5, mx.float16]);
  cases.push([mx.bfloat16, 2, mx.bfloat16]);
  it.each(cases)('%s * %s', (din, v, dout) => {
    const y = mx.multiply(mx.array(0, din), v);
    expect(y.dtype).toBe(dout);
    expect(mx.multiply(v, mx.array(0, din)).dtype).toBe(dout);
  });
});

describe('iteration', () => {
  it('iterates the first axis, including destructuring', () => {
    const got: number[] = [];
    for (const el of mx.array([0, 1, 2])) got.push(el.item() as number);
    expect(got).toEqual([0, 1, 2]);
    const [x, y, z] = mx.array([[1, 2], [3, 4], [5, 6]]);
    expect(x.tolist()).toEqual([1, 2]);
    expect(y.tolist()).toEqual([3, 4]);
    expect(z.tolist()).toEqual([5, 6]);
  });
  it('refuses to iterate a scalar', () => {
    expect(() => [...mx.array(1)]).toThrow();
  });
});

describe('printing', () => {
  it('toString matches MLX repr', () => {
    // node-mlx printed float32 here because its JS numbers are floats; MLX says int32.
    expect(mx.array([1, 2, 3, 4]).toString()).toBe('array([1, 2, 3, 4], dtype=int32)');
    expect(mx.array([1, 2, 3, 4], mx.float32).toString()).toBe('array([1, 2, 3, 4], dtype=float32)');
    expect(mx.array(3.5).toString()).toBe('array(3.5, dtype=float32)');
    expect(mx.array([true, false]).toString()).toBe('array([True, False], dtype=bool)');
    expect(mx.array([[1, 2], [3, 4]], mx.int32).toString()).toBe(
      'array([[1, 2],\n       [3, 4]], dtype=int32)',
    );
    expect(String(mx.array([0.5, 1.25]))).toBe('array([0.5, 1.25], dtype=float32)');
  });
  it('formats like MLX 0.32.4 repr', () => {
    const cases: [mx.MxArray, string][] = [
      [mx.array([0.1, 1 / 3]), 'array([0.1, 0.333333], dtype=float32)'],
      [mx.array(true), 'array(True, dtype=bool)'],
      [mx.array([mx.Complex(1, 2)]), 'array([1+2j], dtype=complex64)'],
      [mx.array([1, 2], mx.int64), 'array([1, 2], dtype=int64)'],
      [mx.array([1.5], mx.float16), 'array([1.5], dtype=float16)'],
      [mx.array([...Array(2000).keys()]), 'array([0, 1, 2, ..., 1997, 1998, 1999], dtype=int32)'],
      [mx.array([[1.5, -2], [3, 4]]), 'array([[1.5, -2],\n       [3, 4]], dtype=float32)'],
      // 1e10 is an integer-valued JS number, so (project rule) it is a Python int: int64 as in MLX.
      [mx.array([1e10, 1]), 'array([10000000000, 1], dtype=int64)'],
      [mx.array([1e10, 1.5]), 'array([1e+10, 1.5], dtype=float32)'],
      [mx.array([]), 'array([], dtype=float32)'],
      [mx.array([[], []]), 'array([[],\n       []], dtype=float32)'],
      [mx.array([NaN, Infinity, -Infinity]), 'array([nan, inf, -inf], dtype=float32)'],
    ];
    for (const [a, want] of cases) expect(a.toString()).toBe(want);
  });
});

describe('dtype names and categories', () => {
  it('mx.bool and mx.bool_ are the same dtype; names print as MLX', () => {
    expect(mx.bool).toBe(mx.bool_);
    expect(mx.array([true]).dtype).toBe(mx.bool);
    expect(String(mx.float32)).toBe('mlx.core.float32');
  });
  it('issubdtype with categories (MLX)', () => {
    expect(mx.issubdtype(mx.int32, mx.integer)).toBe(true);
    expect(mx.issubdtype(mx.uint8, mx.signedinteger)).toBe(false);
    expect(mx.issubdtype(mx.float16, mx.floating)).toBe(true);
    expect(mx.issubdtype(mx.complex64, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.bool_, mx.number)).toBe(false);
    expect(mx.issubdtype(mx.floating, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.int8, mx.generic)).toBe(true);
  });
});
