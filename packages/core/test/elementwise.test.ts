// Elementwise ops: hand-checked values (MLX 0.32.4 printed the expected results), dtype rules,
// weak scalars, errors and properties. The differential suite compares them at scale.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

const f32 = (v: number[]) => mx.array(v, mx.float32);

describe('dtype rules (checked against MLX)', () => {
  const fam = { i: mx.array([-3, 2], mx.int32), u: mx.array([3, 2], mx.uint8), b: mx.array([true, false]), f: f32([-1.5, 2.5]), c: mx.array([{ re: 1, im: 2 }]) };
  const out = (fn: (x: mx.MxArray) => mx.MxArray) =>
    Object.fromEntries(Object.entries(fam).map(([k, x]) => {
      try {
        return [k, fn(x).dtype.name];
      } catch {
        return [k, 'ERR'];
      }
    }));
  it.each([
    ['abs', mx.abs, { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'float32' }],
    ['negative', mx.negative, { i: 'int32', u: 'uint8', b: 'ERR', f: 'float32', c: 'complex64' }],
    ['sign', mx.sign, { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'complex64' }],
    ['sqrt', mx.sqrt, { i: 'float32', u: 'float32', b: 'float32', f: 'float32', c: 'complex64' }],
    ['floor', mx.floor, { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'ERR' }],
    ['sigmoid', mx.sigmoid, { i: 'float32', u: 'float32', b: 'float32', f: 'float32', c: 'ERR' }],
    ['logicalNot', mx.logicalNot, { i: 'bool', u: 'bool', b: 'bool', f: 'bool', c: 'bool' }],
    ['bitwiseInvert', mx.bitwiseInvert, { i: 'int32', u: 'uint8', b: 'bool', f: 'ERR', c: 'ERR' }],
    ['isnan', mx.isnan, { i: 'bool', u: 'bool', b: 'bool', f: 'bool', c: 'bool' }],
    ['real', mx.real, { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'float32' }],
    ['divide', (x: mx.MxArray) => mx.divide(x, x), { i: 'float32', u: 'float32', b: 'float32', f: 'float32', c: 'complex64' }],
    ['power', (x: mx.MxArray) => mx.power(x, x), { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'complex64' }],
    ['remainder', (x: mx.MxArray) => mx.remainder(x, x), { i: 'int32', u: 'uint8', b: 'bool', f: 'float32', c: 'ERR' }],
    ['arctan2', (x: mx.MxArray) => mx.arctan2(x, x), { i: 'float32', u: 'float32', b: 'float32', f: 'float32', c: 'ERR' }],
    ['less', (x: mx.MxArray) => mx.less(x, x), { i: 'bool', u: 'bool', b: 'bool', f: 'bool', c: 'bool' }],
    ['bitwiseAnd', (x: mx.MxArray) => mx.bitwiseAnd(x, x), { i: 'int32', u: 'uint8', b: 'bool', f: 'ERR', c: 'ERR' }],
    ['leftShift', (x: mx.MxArray) => mx.leftShift(x, x), { i: 'int32', u: 'uint8', b: 'uint8', f: 'ERR', c: 'ERR' }],
  ] as const)('%s', (_name, fn, want) => {
    expect(out(fn as (x: mx.MxArray) => mx.MxArray)).toEqual(want);
  });

  it('weak JS scalars take the array dtype; overflow raises', () => {
    // a bigint is a weak int (a Python int), a number a weak float (a Python float)
    expect(mx.add(mx.array([1, 2], mx.int8), 1n).dtype).toBe(mx.int8);
    expect(() => mx.add(mx.array([1, 2], mx.int8), 1000n)).toThrow(/Converting 1000 to int8 would result in overflow/);
    expect(() => mx.add(mx.array([1], mx.uint8), -1n)).toThrow(/overflow/);
    expect(mx.add(mx.array([1, 2], mx.int8), 1).dtype).toBe(mx.float32);
    expect(mx.add(mx.array([1, 2], mx.int8), 1000).tolist()).toEqual([1001, 1002]);
    expect(mx.add(mx.array([1, 2], mx.int32), 1.5).dtype).toBe(mx.float32);
    expect(mx.add(mx.array([true]), 1n).dtype).toBe(mx.int32);
    expect(mx.add(mx.array([true]), 1).dtype).toBe(mx.float32);
    expect(mx.add(mx.array([1], mx.float16), 2.5).dtype).toBe(mx.float16);
    expect(mx.add(mx.array([1], mx.float16), 2).dtype).toBe(mx.float16);
    expect(mx.multiply(2, mx.array([1], mx.bfloat16)).dtype).toBe(mx.bfloat16);
    expect(mx.add(1n, 2n).dtype).toBe(mx.int32);
    expect(mx.add(1, 2).dtype).toBe(mx.float32);
    expect(mx.add(mx.array([1], mx.uint64), mx.array([1], mx.int32)).dtype).toBe(mx.float32);
  });
});

describe('values (MLX 0.32.4)', () => {
  it('integer and float floor division / remainder signs', () => {
    const a = mx.array([-7, 7, -7, 7], mx.int32);
    const b = mx.array([2, 2, -2, -2], mx.int32);
    expect(mx.floorDivide(a, b).tolist()).toEqual([-4, 3, 3, -4]);
    expect(mx.remainder(a, b).tolist()).toEqual([1, 1, -1, -1]);
    const fa = f32([-7.5, 7.5, -7.5, 7.5, 5, -0]);
    const fb = f32([2, 2, -2, -2, Infinity, 3]);
    expect(mx.floorDivide(fa, fb).tolist()).toEqual([-4, 3, 3, -4, 0, -0]);
    expect(mx.remainder(fa, fb).tolist()).toEqual([0.5, 1.5, -1.5, -0.5, 5, -0]);
    const [q, r] = mx.divmod(mx.array([7, -7], mx.int32), mx.array([2, 2], mx.int32));
    expect([q!.tolist(), r!.tolist()]).toEqual([[3, -4], [1, 1]]);
    expect(mx.remainder(mx.array([5], mx.uint8), mx.array([3], mx.uint8)).tolist()).toEqual([2]);
    expect(mx.floorDivide(mx.array([-5n], mx.int64), 2n).tolist()).toEqual([-3]);
  });

  it('integer wrap-around and 64-bit exactness', () => {
    expect(mx.add(mx.array([127], mx.int8), 1n).tolist()).toEqual([-128]);
    expect(mx.subtract(mx.array([1, 2], mx.uint8), mx.array([2, 1], mx.uint8)).tolist()).toEqual([255, 1]);
    expect(mx.multiply(mx.array([65536], mx.int32), mx.array([65536], mx.int32)).tolist()).toEqual([0]);
    expect(mx.add(mx.array([2n ** 62n], mx.int64), mx.array([2n ** 62n], mx.int64)).tolist()).toEqual([-(2n ** 63n)]);
    expect(mx.multiply(mx.array([3037000499n], mx.int64), 3037000499n).tolist()).toEqual([9223372030926249001n]);
  });

  it('power, shifts, round', () => {
    expect(mx.power(mx.array([2, 3, -2], mx.int32), mx.array([3, -1, 0], mx.int32)).tolist()).toEqual([8, 0, 1]);
    expect(mx.power(f32([0]), 0).tolist()).toEqual([1]);
    expect(mx.rightShift(mx.array([-8], mx.int32), 1n).tolist()).toEqual([-4]);
    expect(mx.leftShift(mx.array([1], mx.uint8), 9n).tolist()).toEqual([0]);
    expect(mx.round(f32([0.5, 1.5, 2.5, -0.5, 1.2345]), 2).tolist()).toEqual([0.5, 1.5, 2.5, -0.5, Math.fround(1.23)]);
    expect(mx.round(f32([0.5, 1.5, 2.5, -0.5])).tolist()).toEqual([0, 2, 2, -0]);
    expect(mx.round(mx.array([1234, 1250], mx.int32), -2).tolist()).toEqual([1200, 1200]);
    expect(mx.round(mx.array([1.453125], mx.bfloat16), 1).item()).toBe(1.3984375);
  });

  it('NaN and infinity handling', () => {
    const nan = NaN;
    expect((mx.maximum(f32([1, nan]), f32([nan, 2])).tolist() as number[]).map(Number.isNaN)).toEqual([true, true]);
    expect((mx.minimum(f32([1, nan]), f32([nan, 2])).tolist() as number[]).map(Number.isNaN)).toEqual([true, true]);
    expect(mx.sign(f32([-0, nan, 2, -3])).tolist()).toEqual([0, 0, 1, -1]);
    expect(mx.logaddexp(f32([-Infinity]), f32([-Infinity])).tolist()).toEqual([-Infinity]);
    expect(mx.logaddexp(f32([Infinity]), f32([Infinity])).tolist()).toEqual([Infinity]);
    expect(mx.nanToNum(f32([nan, Infinity, -Infinity])).tolist()).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38]);
    expect(mx.nanToNum(mx.array([Infinity], mx.float16)).tolist()).toEqual([65504]);
    expect(mx.isinf(f32([Infinity, -Infinity, 1, nan])).tolist()).toEqual([true, true, false, false]);
    expect(mx.isposinf(f32([Infinity, -Infinity])).tolist()).toEqual([true, false]);
    expect(mx.isneginf(f32([Infinity, -Infinity])).tolist()).toEqual([false, true]);
    expect(mx.isfinite(f32([Infinity, nan, 0])).tolist()).toEqual([false, false, true]);
    expect(mx.isnan(mx.array([1, 2], mx.int32)).tolist()).toEqual([false, false]);
    expect(mx.divide(mx.array([1], mx.int32), 0n).tolist()).toEqual([Infinity]);
  });

  it('transcendental functions (float32)', () => {
    const near = (got: unknown, want: number[]) =>
      (got as number[]).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(want[i]!))));
    near(mx.erfinv(f32([0.5, 0, -0.5])).tolist(), [0.476936, 0, -0.476936]);
    expect(mx.erfinv(f32([1, -1])).tolist()).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(mx.erfinv(f32([2])).item() as number)).toBe(true);
    near(mx.erf(f32([0.5, -1, 3])).tolist(), [0.5204998778130465, -0.8427007929497149, 0.9999779095030014]);
    near(mx.sigmoid(f32([-100, 0, 2])).tolist(), [0, 0.5, 0.8807970779778823]);
    near(mx.arctan2(f32([1]), f32([-1])).tolist(), [2.356194490192345]);
    near(mx.degrees(f32([Math.PI])).tolist(), [180]);
    near(mx.radians(f32([180])).tolist(), [Math.PI]);
    near(mx.expm1(f32([1e-10])).tolist(), [1e-10]);
    near(mx.log1p(f32([1e-10])).tolist(), [1e-10]);
  });

  it('complex64', () => {
    expect(mx.sign(mx.array([{ re: 3, im: 4 }, { re: 0, im: 0 }])).tolist()).toEqual([{ re: 0.6000000238418579, im: 0.800000011920929 }, { re: 0, im: 0 }]);
    expect(mx.abs(mx.array([{ re: 3, im: 4 }])).tolist()).toEqual([5]);
    expect(mx.sqrt(mx.array([{ re: -4, im: 0 }])).tolist()).toEqual([{ re: 0, im: 2 }]);
    expect(mx.multiply(mx.array([{ re: 1, im: 2 }]), mx.array([{ re: 3, im: -1 }])).tolist()).toEqual([{ re: 5, im: 5 }]);
    expect(mx.divide(mx.array([{ re: 1, im: 2 }]), mx.array([{ re: 1, im: 1 }])).tolist()).toEqual([{ re: 1.5, im: 0.5 }]);
    expect(mx.conjugate(mx.array([{ re: 1, im: 2 }])).tolist()).toEqual([{ re: 1, im: -2 }]);
    expect(mx.imag(mx.array([{ re: 1, im: 2 }])).tolist()).toEqual([2]);
    expect(() => mx.remainder(mx.array([{ re: 1, im: 2 }]), 1)).toThrow(/complex64/);
  });

  it('where, clip, isclose, allclose, arrayEqual', () => {
    expect(mx.where(mx.array([true, false]), 1, 2.5).tolist()).toEqual([1, 2.5]);
    expect(mx.where(mx.array([true, false]), 1, 2.5).dtype).toBe(mx.float32);
    expect(mx.where(mx.array([1, 0]), mx.array([1], mx.int8), 2n).dtype).toBe(mx.int8);
    expect(mx.where(mx.array([1, 0]), mx.array([1], mx.int8), 2).dtype).toBe(mx.float32);
    const ci = mx.clip(mx.array([1, 5, 9], mx.int32), 2n, null);
    expect([ci.dtype, ci.tolist()]).toEqual([mx.int32, [2, 5, 9]]);
    expect(mx.clip(mx.array([1, 5, 9], mx.int32), 2.5, 7).tolist()).toEqual([2.5, 5, 7]);
    expect(() => mx.clip(mx.array([1]), null, null)).toThrow(/At most one of min and max/);
    expect(mx.isclose(f32([1, NaN]), f32([1 + 1e-9, NaN])).tolist()).toEqual([true, false]);
    expect(mx.isclose(f32([NaN, Infinity]), f32([NaN, Infinity]), 1e-5, 1e-8, true).tolist()).toEqual([true, true]);
    expect(mx.allclose(f32([1, 2]), f32([1, 2.000001])).item()).toBe(true);
    expect(mx.allclose(f32([1, 2]), f32([1, 2.1])).item()).toBe(false);
    expect(mx.arrayEqual(mx.array([1, 2], mx.int32), f32([1, 2])).item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2, 3])).item()).toBe(false);
    expect(mx.arrayEqual(f32([NaN]), f32([NaN]), true).item()).toBe(true);
  });

  it('errors name the op and what was expected', () => {
    expect(() => mx.add(mx.zeros([2, 3]), mx.zeros([4]))).toThrow(/Shapes \(2,3\) and \(4,\) cannot be broadcast/);
    expect(() => mx.bitwiseAnd(f32([1]), f32([1]))).toThrow(/\[bitwise_and\] Bitwise operations only allowed on integer types/);
    expect(() => mx.negative(mx.array([true]))).toThrow(/\[negative\]/);
    expect(() => mx.add('a' as never, 1)).toThrow(/argument 'a' must be an array/);
    expect(() => mx.round(f32([1]), 1.5)).toThrow(/decimals must be an integer/);
  });

  it('array methods mirror the ops', () => {
    const a = mx.array([1, 4, 9], mx.float32);
    expect(a.sqrt().tolist()).toEqual([1, 2, 3]);
    expect(a.add(1).tolist()).toEqual([2, 5, 10]);
    expect(a.greater(3).tolist()).toEqual([false, true, true]);
    expect(a.round().dtype).toBe(mx.float32);
    expect(a.clip(2, 5).tolist()).toEqual([2, 4, 5]);
  });
});

describe('C / std::complex semantics (MLX 0.32.4)', () => {
  const c = (re: number, im: number) => ({ re, im });
  const cx = (...v: { re: number; im: number }[]) => mx.array(v, mx.complex64);
  const inf = Infinity;
  it('maximum/minimum: NaN in either operand propagates; equal zeros give the second', () => {
    expect(mx.maximum(f32([0, -0, 1]), f32([-0, 0, NaN])).tolist()).toEqual([-0, 0, NaN]);
    expect(mx.minimum(f32([NaN, 2, 0]), f32([1, NaN, -0])).tolist()).toEqual([NaN, NaN, -0]);
    // complex: a NaN first operand is returned as it is, else lexicographic order
    expect(mx.maximum(cx(c(NaN, 1), c(1, 0), c(1, NaN)), cx(c(2, 3), c(NaN, 2), c(1, 1))).tolist()).toEqual([c(NaN, 1), c(NaN, 2), c(1, NaN)]);
    expect(mx.minimum(cx(c(1, 2), c(1, 2)), cx(c(1, 3), c(0, 9))).tolist()).toEqual([c(1, 2), c(0, 9)]);
  });
  it('float floor_divide rounds the quotient to the dtype before flooring', () => {
    expect(mx.floorDivide(f32([2.5]), f32([0.001])).tolist()).toEqual([2500]);
    expect(mx.floorDivide(mx.array([1e-40], mx.bfloat16), mx.array([-2.5], mx.bfloat16)).tolist()).toEqual([-0]);
    expect(mx.floorDivide(f32([1e-40]), f32([-2.5])).tolist()).toEqual([-1]);
    const [q, r] = mx.divmod(f32([2.5]), f32([0.001]));
    expect(q!.tolist()).toEqual([2500]);
    expect(Math.abs((r!.item() as number) - 0.000999881)).toBeLessThan(1e-9);
  });
  it('power follows std::pow on the special values JS gets wrong', () => {
    expect(mx.power(f32([1, 1, -1, -1, NaN]), f32([NaN, inf, inf, -inf, 0])).tolist()).toEqual([1, 1, 1, 1, 1]);
    expect(mx.power(f32([0, -0, -8]), f32([-1, -1, 1 / 3])).tolist()).toEqual([inf, -inf, NaN]);
    // complex: exp(w log z), so 0^0 is nan as in MLX
    const p = mx.power(cx(c(0, 0), c(2, 0)), cx(c(0, 0), c(0.5, 0))).tolist() as { re: number; im: number }[];
    expect(p[0]).toEqual(c(NaN, NaN));
    expect(p[1]!.re).toBeCloseTo(1.4142135381698608, 6);
  });
  it('complex division and multiplication recover infinities (Annex G)', () => {
    expect(mx.divide(cx(c(1, 0), c(inf, 0), c(1, 2)), cx(c(0, 0), c(2, 0), c(inf, inf))).tolist()).toEqual([c(inf, NaN), c(inf, NaN), c(0, 0)]);
    expect(mx.reciprocal(cx(c(0, 0), c(-0, -0), c(inf, 0))).tolist()).toEqual([c(inf, NaN), c(-inf, NaN), c(0, 0)]);
    expect(mx.multiply(cx(c(1, 0), c(inf, 0)), cx(c(0, 0), c(2, 0))).tolist()).toEqual([c(0, 0), c(inf, NaN)]);
    expect(mx.sign(cx(c(inf, 0))).tolist()).toEqual([c(NaN, NaN)]);
  });
  it('complex sqrt and exp special values (glibc)', () => {
    expect(mx.sqrt(cx(c(inf, 0), c(-inf, 1), c(1, inf), c(-4, 0), c(-4, -0), c(0, -2))).tolist()).toEqual([
      c(inf, 0), c(0, inf), c(inf, inf), c(0, 2), c(0, -2), c(1, -1),
    ]);
    expect(mx.exp(cx(c(-inf, 1), c(inf, 0), c(NaN, 0), c(1, inf))).tolist()).toEqual([c(0, 0), c(inf, 0), c(NaN, 0), c(NaN, NaN)]);
  });
  it('complex comparisons are lexicographic with C NaN/inf rules', () => {
    const a = cx(c(0, inf), c(1, 2), c(1, 2));
    const b = cx(c(0, inf), c(1, 3), c(0, 9));
    expect(mx.less(a, b).tolist()).toEqual([false, true, false]);
    expect(mx.lessEqual(a, b).tolist()).toEqual([true, true, false]);
    expect(mx.greaterEqual(a, b).tolist()).toEqual([true, false, true]);
  });
  it('complex log1p and logaddexp use MLX formulas', () => {
    const l = mx.log1p(cx(c(1e-5, 1e-5), c(2, 1))).tolist() as { re: number; im: number }[];
    expect(l[0]!.re).toBeCloseTo(9.999999747378752e-6, 12);
    expect(l[0]!.im).toBeCloseTo(9.999899702961557e-6, 12);
    expect(l[1]!.re).toBeCloseTo(1.1512925624847412, 6);
    expect(l[1]!.im).toBeCloseTo(0.32175055146217346, 6);
    // max + log1p(exp(min - max)) keeps the imaginary part of the larger operand (not wrapped to (-pi, pi])
    const e = mx.logaddexp(cx(c(0, 0)), cx(c(3, -4))).item() as { re: number; im: number };
    expect(e.re).toBeCloseTo(2.9676735401153564, 6);
    expect(e.im).toBeCloseTo(-4.038926601409912, 6);
  });
});

describe('properties', () => {
  const ints = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 8 });
  it('add, multiply, maximum commute on int32; a - a = 0', () => {
    fc.assert(
      fc.property(ints, ints, (x, y) => {
        const n = Math.min(x.length, y.length);
        const a = mx.array(x.slice(0, n), mx.int32);
        const b = mx.array(y.slice(0, n), mx.int32);
        expect(mx.add(a, b).tolist()).toEqual(mx.add(b, a).tolist());
        expect(mx.multiply(a, b).tolist()).toEqual(mx.multiply(b, a).tolist());
        expect(mx.maximum(a, b).tolist()).toEqual(mx.maximum(b, a).tolist());
        expect(mx.subtract(a, a).tolist()).toEqual(new Array(n).fill(0));
      }),
      { numRuns: 50 },
    );
  });
  it('comparisons agree with JS; divmod recombines', () => {
    fc.assert(
      fc.property(ints, fc.integer({ min: 1, max: 1000 }), (x, d) => {
        const a = mx.array(x, mx.int32);
        const k = BigInt(d); // a weak int: the ops stay int32
        expect(mx.less(a, k).tolist()).toEqual(x.map((v) => v < d));
        expect(mx.greaterEqual(a, k).tolist()).toEqual(x.map((v) => v >= d));
        const [q, r] = mx.divmod(a, k);
        expect(q!.dtype).toBe(mx.int32);
        const back = mx.add(mx.multiply(q!, k), r!).tolist();
        expect(back).toEqual(x);
      }),
      { numRuns: 50 },
    );
  });
  it('exp(log(x)) = x within a few float32 ulp', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: Math.fround(1e-3), max: Math.fround(1e3), noNaN: true }), { minLength: 1, maxLength: 8 }), (x) => {
        const got = mx.exp(mx.log(f32(x))).tolist() as number[];
        got.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(8 * 2 ** -23 * Math.abs(x[i]!)));
      }),
      { numRuns: 50 },
    );
  });
  it('strided and broadcast inputs give the same values as contiguous ones', () => {
    const m = mx.reshape(mx.arange(12, mx.int32), [3, 4]);
    expect(mx.add(m.T, 1n).tolist()).toEqual(mx.add(mx.copy(m.T), 1n).tolist());
    const row = mx.broadcastTo(mx.array([1, 2, 3, 4], mx.int32), [3, 4]);
    expect(mx.multiply(m, row).tolist()).toEqual([[0, 2, 6, 12], [4, 10, 18, 28], [8, 18, 30, 44]]);
  });
});

describe('complex -> bool (MLX: true when either part is non-zero)', () => {
  it('astype and logical ops', () => {
    const c = mx.array([{ re: 0, im: 1 }, { re: 0, im: 0 }, { re: 2, im: 0 }]);
    expect(c.astype(mx.bool).tolist()).toEqual([true, false, true]);
    expect(mx.logicalNot(c).tolist()).toEqual([false, true, false]);
    expect(mx.logicalAnd(c, true).tolist()).toEqual([true, false, true]);
  });
});
