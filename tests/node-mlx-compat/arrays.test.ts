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
  // node-mlx makes every JS number a Python float, and so does the project (README, "Numbers,
  // booleans and bigints"): mx.array(1) is float32 as mx.array(1.0) in MLX; a bigint is a
  // Python int, so mx.array(1n) is int32 as mx.array(1) in MLX.
  it('scalars: numbers float32, bigints int32, booleans bool, Complex complex64', () => {
    let x = mx.array(1);
    expect([x.size, x.ndim, x.itemsize, x.nbytes]).toEqual([1, 0, 4, 4]);
    expect(x.shape).toEqual([]);
    expect(x.dtype).toBe(mx.float32);
    expect(mx.array(1.5).dtype).toBe(mx.float32);
    expect(x.item()).toBe(1);
    expect(typeof x.item()).toBe('number');
    expect(() => x.length).toThrow(TypeError);
    x = mx.array(1n);
    expect([x.size, x.ndim, x.itemsize, x.nbytes]).toEqual([1, 0, 4, 4]);
    expect(x.dtype).toBe(mx.int32);
    expect(x.item()).toBe(1);
    expect(typeof x.item()).toBe('number');

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
    // node-mlx: a list of JS numbers is float32 (Python floats), integral or not; a list of
    // bigints is int32 (Python ints, as [0, 1, 2] in MLX).
    expect(mx.array([0, 1, 2]).dtype).toBe(mx.float32);
    expect(mx.array([0, 1, 2]).shape).toEqual([3]);
    expect(mx.array([0.0, 1.0, 2.0]).dtype).toBe(mx.float32);
    expect(mx.array([0, 1.5, 2]).dtype).toBe(mx.float32);
    expect(mx.array([0, 1, 2], mx.float32).dtype).toBe(mx.float32);
    expect(mx.array([0n, 1n, 2n]).dtype).toBe(mx.int32);
    expect(mx.array([0n, 1n, 2n]).tolist()).toEqual([0, 1, 2]);
    expect(mx.array([[1n, 2n], [3n, 4n]]).dtype).toBe(mx.int32);
    expect(mx.array([[1n, 2n], [3n, 4n]]).shape).toEqual([2, 2]);
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
      // node-mlx's arrayCopy: -1 is a Python float, so this works for every dtype (an integer
      // array becomes float32: [1..8] - 1 is [0..7], unsigned ones included).
      allTrue(mx.equal(mx.add(y, -1), mx.add(x, -1)));
      expect(mx.add(y, -1).tolist()).toEqual(d === mx.complex64
        ? [[[0, 1], [2, 3]], [[4, 5], [6, 7]]].map((p) => p.map((r) => r.map((v) => ({ re: v, im: 0 }))))
        : [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
      if (mx.issubdtype(d, mx.integer)) expect(mx.add(y, -1).dtype).toBe(mx.float32);
      else expect(mx.add(y, -1).dtype).toBe(d);
      // -1n is a Python int, a weak int that keeps the dtype: MLX refuses one that overflows a
      // narrow unsigned dtype ("Converting -1 to uint8 would result in overflow") and wraps
      // uint64 unchecked ([1..8] + -1 is [0..7]).
      if (d.kind === 'u' && d.size < 8) {
        expect(() => mx.add(y, -1n)).toThrow(/overflow/);
      } else {
        expect(mx.add(y, -1n).dtype).toBe(d);
        allTrue(mx.equal(mx.add(y, -1n), mx.add(x, -1n)));
        allTrue(mx.equal(mx.add(y, -1n), mx.add(x, -1)));
        if (d === mx.uint64) expect(mx.add(y, -1n).tolist()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
      }
      expect(mx.array(x).dtype).toBe(d);
    }
  });

  it('lists of arrays stack, and an array argument can be cast', () => {
    const st = mx.array([mx.array([1, 2]), mx.array([3, 4])]);
    expect(st.shape).toEqual([2, 2]);
    expect(st.dtype).toBe(mx.float32);
    expect(st.tolist()).toEqual([[1, 2], [3, 4]]);
    const sti = mx.array([mx.array([1n, 2n]), mx.array([3n, 4n])]);
    expect(sti.shape).toEqual([2, 2]);
    expect(sti.dtype).toBe(mx.int32);
    expect(sti.tolist()).toEqual([[1, 2], [3, 4]]);
    const c = mx.array(mx.array([1n, 2n]), mx.float32);
    expect(c.dtype).toBe(mx.float32);
    expect(c.tolist()).toEqual([1, 2]);
    const ci = mx.array(mx.array([1, 2]), mx.int32);
    expect(ci.dtype).toBe(mx.int32);
    expect(ci.tolist()).toEqual([1, 2]);
    const mixed = mx.array([mx.array(1.5), 2]);
    expect(mixed.dtype).toBe(mx.float32);
    expect(mixed.tolist()).toEqual([1.5, 2]);
    // An int32 array among bigints stays int32; among numbers (Python floats) it is float32.
    expect(mx.array([mx.array(1n), 2n]).dtype).toBe(mx.int32);
    expect(mx.array([mx.array(1n), 2]).dtype).toBe(mx.float32);
  });

  // MLX's rule for a list of Python scalars: the widest kind wins, bool < int < float < complex.
  // node-mlx's JS kinds map on it: boolean -> bool, bigint -> int, number -> float.
  it('numbers, booleans, bigints and their mixtures (node-mlx typing)', () => {
    const cases: [mx.ScalarOrArray, mx.Dtype, unknown][] = [
      [1, mx.float32, 1],
      [2.5, mx.float32, 2.5],
      [true, mx.bool_, true],
      [7n, mx.int32, 7],
      [-(2n ** 31n), mx.int32, -(2 ** 31)],
      [2n ** 31n, mx.int64, 2 ** 31], // beyond int32: int64, as a Python int
      [2n ** 62n, mx.int64, 2n ** 62n], // item() gives a bigint beyond 2**53
      [[1, 2, 3], mx.float32, [1, 2, 3]],
      [[1.5, 2], mx.float32, [1.5, 2]],
      [[true, false], mx.bool_, [true, false]],
      [[1n, 2n], mx.int32, [1, 2]],
      [[1n, 2n ** 40n], mx.int64, [1, 2 ** 40]],
      [[true, 2], mx.float32, [1, 2]],
      [[true, 2n], mx.int32, [1, 2]],
      [[1n, 2.5], mx.float32, [1, 2.5]],
      [[1n, 2], mx.float32, [1, 2]],
      [[[true, 1n], [2, 3n]], mx.float32, [[1, 1], [2, 3]]],
      [[mx.Complex(1, 2), 1n], mx.complex64, [{ re: 1, im: 2 }, { re: 1, im: 0 }]],
      [[mx.Complex(1, 2), 1.5, true], mx.complex64, [{ re: 1, im: 2 }, { re: 1.5, im: 0 }, { re: 1, im: 0 }]],
      [[1e10, 1], mx.float32, [1e10, 1]],
      [[10000000000n, 1n], mx.int64, [1e10, 1]],
    ];
    for (const [v, d, want] of cases) {
      const a = mx.array(v);
      expect([a.dtype, a.tolist()]).toEqual([d, want]);
    }
    // A dtype overrides the inference: numbers into integers truncate, bigints into floats.
    expect(mx.array([1.9, -2.5], mx.int32).tolist()).toEqual([1, -2]);
    expect(mx.array([1n, 2n], mx.float16).dtype).toBe(mx.float16);
    expect(mx.array([1n, 2n], mx.float16).tolist()).toEqual([1, 2]);
    expect(mx.array([1n, 0n], mx.bool_).tolist()).toEqual([true, false]);
    expect(mx.array(3, mx.int8).dtype).toBe(mx.int8);
    // A bigint a narrower integer dtype can't hold is refused.
    expect(() => mx.array([2n ** 40n], mx.int32)).toThrow(RangeError);
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
  // node-mlx's dtypeJSScalarPromotion, checked with MLX 0.32.4 through the Python values the JS
  // values stand for: a JS number is a weak Python float, never widening a float array
  // (float16 * 0 stays float16, as float16 * 0.0 in MLX) and turning integer and bool arrays into
  // float32, integral or not (int8 * 0 is float32, as int8 * 0.0); a bigint is a weak Python int
  // that keeps any numeric dtype (int8 * 0n stays int8) and turns bool into int32; a JS boolean
  // keeps the array's dtype.
  const cases: [mx.Dtype, boolean | number | bigint, mx.Dtype][] = [];
  for (const d of [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32, mx.uint64]) {
    cases.push([d, false, d], [d, 0, mx.float32], [d, 1.0, mx.float32], [d, 1.5, mx.float32], [d, 0n, d], [d, 3n, d]);
  }
  cases.push([mx.bool_, false, mx.bool_], [mx.bool_, 0, mx.float32], [mx.bool_, 1.5, mx.float32], [mx.bool_, 0n, mx.int32]);
  for (const d of [mx.float16, mx.bfloat16, mx.float32, mx.float64, mx.complex64]) {
    cases.push([d, false, d], [d, 0, d], [d, 2, d], [d, 1.5, d], [d, 0n, d], [d, 3n, d]);
  }
  it.each(cases)('%s * %s', (din, v, dout) => {
    const y = mx.multiply(mx.array(0, din), v);
    expect(y.dtype).toBe(dout);
    expect(mx.multiply(v, mx.array(0, din)).dtype).toBe(dout);
  });

  it('every binary op and both operand orders follow the same rule', () => {
    const i8 = mx.array([1n, 2n], mx.int8);
    const f16 = mx.array([1, 2], mx.float16);
    for (const op of [mx.add, mx.subtract, mx.multiply, mx.maximum, mx.minimum]) {
      expect(op(i8, 1).dtype).toBe(mx.float32);
      expect(op(1, i8).dtype).toBe(mx.float32);
      expect(op(i8, 1n).dtype).toBe(mx.int8);
      expect(op(1n, i8).dtype).toBe(mx.int8);
      expect(op(f16, 1).dtype).toBe(mx.float16);
      expect(op(f16, 1n).dtype).toBe(mx.float16);
    }
    // The values: int8 + 1 computes in float32, int8 + 1n in int8 (wrapping as MLX).
    expect(mx.add(mx.array([127n], mx.int8), 1).tolist()).toEqual([128]);
    expect(mx.add(mx.array([127n], mx.int8), 1n).tolist()).toEqual([-128]);
    // Comparisons give bool whichever scalar: int32 == 1 and int32 == 1n are both true at 1.
    expect(mx.equal(mx.array([1n, 2n]), 1).tolist()).toEqual([true, false]);
    expect(mx.equal(mx.array([1n, 2n]), 1n).tolist()).toEqual([true, false]);
  });

  it('a bigint that the integer dtype cannot hold throws (MLX: "would result in overflow")', () => {
    expect(() => mx.add(mx.array([1n], mx.int8), 1000n)).toThrow(/overflow/);
    expect(() => mx.add(mx.array([1n], mx.uint8), -1n)).toThrow(/overflow/);
    expect(() => mx.add(mx.array([1n], mx.int32), 2n ** 40n)).toThrow(/overflow/);
    // The number form is a float: no overflow, the result is float32.
    expect(mx.add(mx.array([1n], mx.int8), 1000).tolist()).toEqual([1001]);
    expect(mx.add(mx.array([1n], mx.uint8), -1).tolist()).toEqual([0]);
  });

  it('two JS scalars: numbers are float32, bigints int32, booleans bool', () => {
    expect(mx.add(1, 2).dtype).toBe(mx.float32);
    expect(mx.add(1n, 2n).dtype).toBe(mx.int32);
    expect(mx.add(1n, 2n).item()).toBe(3);
    expect(mx.add(1n, 2.5).dtype).toBe(mx.float32);
    expect(mx.add(true, 1n).dtype).toBe(mx.int32);
    expect(mx.logicalAnd(true, false).dtype).toBe(mx.bool_);
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
    // node-mlx: JS numbers are floats, so this is float32 (MLX prints integral floats bare);
    // bigints are ints.
    expect(mx.array([1, 2, 3, 4]).toString()).toBe('array([1, 2, 3, 4], dtype=float32)');
    expect(mx.array([1n, 2n, 3n, 4n]).toString()).toBe('array([1, 2, 3, 4], dtype=int32)');
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
      [mx.array([...Array(2000).keys()]), 'array([0, 1, 2, ..., 1997, 1998, 1999], dtype=float32)'],
      [mx.array([...Array(2000).keys()].map(BigInt)), 'array([0, 1, 2, ..., 1997, 1998, 1999], dtype=int32)'],
      [mx.array([[1.5, -2], [3, 4]]), 'array([[1.5, -2],\n       [3, 4]], dtype=float32)'],
      // 1e10 is a JS number, a Python float: float32 (MLX: mx.array([1e10, 1.0])); as bigints it
      // is a Python int beyond int32: int64 (MLX: mx.array([10000000000, 1])).
      [mx.array([1e10, 1]), 'array([1e+10, 1], dtype=float32)'],
      [mx.array([10000000000n, 1n]), 'array([10000000000, 1], dtype=int64)'],
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
