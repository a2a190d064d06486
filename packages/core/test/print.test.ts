// Printing: exact MLX repr strings. The table's expected strings were captured from
// `repr(...)` of the equivalent arrays in MLX 0.32.4 (Python), with mx.set_printoptions
// set to the row's precision.
import { describe, it, expect } from 'vitest';
import { inspect } from 'node:util';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { hostElements } from '../src/array.js';
import { formatGeneral, formatFixed } from '../src/print.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** An array whose storage holds exactly these bit patterns (NaN signs survive). */
function fromBits(dtype: mx.Dtype, shape: number[], words: (number | bigint)[]): mx.MxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = mx.reshape(mx.array(new Array<number>(n).fill(0), dtype), shape);
  const { data } = hostElements(a);
  if (dtype === mx.float64) new BigUint64Array(data.buffer, data.byteOffset, n).set(words as bigint[]);
  else if (dtype === mx.float16 || dtype === mx.bfloat16) new Uint16Array(data.buffer, data.byteOffset, n).set(words as number[]);
  else new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4).set(words as number[]);
  return a;
}

// [what, construction, print precision, repr from MLX 0.32.4]
const table: [string, () => mx.MxArray, number, string][] = [
  ["int32 vector", () => mx.array([1, 2, 3], mx.int32), -1, "array([1, 2, 3], dtype=int32)"],
  ["float32 matrix", () => mx.array([[1.5, 2], [3, 4]]), -1, "array([[1.5, 2],\n       [3, 4]], dtype=float32)"],
  ["bool scalar", () => mx.array(true), -1, "array(True, dtype=bool)"],
  ["bool scalar false", () => mx.array(false), -1, "array(False, dtype=bool)"],
  ["bool vector", () => mx.array([true, false, true]), -1, "array([True, False, True], dtype=bool)"],
  ["float32 0.1 shows 6 significant digits of the float", () => mx.array([0.1, 0.2, 0.7]), -1, "array([0.1, 0.2, 0.7], dtype=float32)"],
  ["float32 specials", () => mx.array([NaN, Infinity, -Infinity, -0, 0]), -1, "array([nan, inf, -inf, -0, 0], dtype=float32)"],
  ["float32 NaN with the sign bit set", () => fromBits(mx.float32, [3], [0xffc00000, 0x7fc00000, 0x80000000]), -1, "array([-nan, nan, -0], dtype=float32)"],
  ["float32 mixed magnitudes", () => mx.array([1e-5, 1e10, 123456789.0, 1e6, 100000.0, 0.0001]), -1, "array([1e-05, 1e+10, 1.23457e+08, 1e+06, 100000, 0.0001], dtype=float32)"],
  ["float32 switch to scientific", () => mx.array([999999.5, 9999995.0, 0.0001234567, 0.00001234567, 123456.7, 1.5e-7]), -1, "array([1e+06, 1e+07, 0.000123457, 1.23457e-05, 123457, 1.5e-07], dtype=float32)"],
  ["float32 exact ties round half to even", () => mx.array([1234565.0, 100000.5, 1234575.0, 0.125, 2.5]), -1, "array([1.23456e+06, 100000, 1.23458e+06, 0.125, 2.5], dtype=float32)"],
  ["float32 extremes", () => mx.array([1e-45, 1.1754944e-38, 3.4028235e38, -3.4028235e38]), -1, "array([1.4013e-45, 1.17549e-38, 3.40282e+38, -3.40282e+38], dtype=float32)"],
  ["float32 negative values", () => mx.array([-1.25, -1e-10, -33.333, -7e22]), -1, "array([-1.25, -1e-10, -33.333, -7e+22], dtype=float32)"],
  ["float64 mixed magnitudes", () => mx.array([1e-5, 1e10], mx.float64), -1, "array([1e-05, 1e+10], dtype=float64)"],
  ["float64 values", () => mx.array([0.1, 1 / 3, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 1e-300], mx.float64), -1, "array([0.1, 0.333333, 0.3, 4.94066e-324, 1.79769e+308, 1e-300], dtype=float64)"],
  ["float64 NaN sign", () => fromBits(mx.float64, [2], [0xfff80000n << 32n, 0x7ff80000n << 32n]), -1, "array([-nan, nan], dtype=float64)"],
  ["float16 prints the stored half", () => mx.array([0.1, 1 / 3, 65504, 1e-7], mx.float16), -1, "array([0.0999756, 0.333252, 65504, 1.19209e-07], dtype=float16)"],
  ["float16 specials", () => mx.array([-0, Infinity, NaN, 1.5, -2.25, 6.1e-5], mx.float16), -1, "array([-0, inf, nan, 1.5, -2.25, 6.09756e-05], dtype=float16)"],
  ["float16 overflow from astype", () => mx.astype(mx.array([65504, 70000, -70000]), mx.float16), -1, "array([65504, inf, -inf], dtype=float16)"],
  ["float16 NaN sign", () => fromBits(mx.float16, [2], [0xfe00, 0x7e00]), -1, "array([-nan, nan], dtype=float16)"],
  ["bfloat16 prints the stored value", () => mx.array([0.1, 1 / 3, 3e38], mx.bfloat16), -1, "array([0.100098, 0.333984, 3.00406e+38], dtype=bfloat16)"],
  ["bfloat16 tiny and infinite", () => mx.array([1e-40, -Infinity, 256, 257], mx.bfloat16), -1, "array([9.18355e-41, -inf, 256, 256], dtype=bfloat16)"],
  ["complex64", () => mx.array([{ re: 1, im: 2 }, { re: 1, im: -2 }, { re: 0, im: -0 }, { re: 0.5, im: 0.25 }, { re: -1.5, im: -0.125 }]), -1, "array([1+2j, 1-2j, 0+-0j, 0.5+0.25j, -1.5-0.125j], dtype=complex64)"],
  ["complex64 magnitudes", () => mx.array([{ re: 1e10, im: 1e-10 }, { re: 0.1, im: 123456789 }]), -1, "array([1e+10+1e-10j, 0.1+1.23457e+08j], dtype=complex64)"],
  ["complex64 NaN parts", () => fromBits(mx.complex64, [3], [0x7fc00000, 0x7fc00000, 0x3f800000, 0xffc00000, 0x7f800000, 0xff800000]), -1, "array([nan+nanj, 1+-nanj, inf-infj], dtype=complex64)"],
  ["complex64 scalar", () => mx.array({ re: 1, im: 1 }), -1, "array(1+1j, dtype=complex64)"],
  ["complex64 from ints", () => mx.astype(mx.array([1, 2, 3], mx.int32), mx.complex64), -1, "array([1+0j, 2+0j, 3+0j], dtype=complex64)"],
  ["int8 extremes", () => mx.array([-128, 0, 127], mx.int8), -1, "array([-128, 0, 127], dtype=int8)"],
  ["uint8 extremes", () => mx.array([0, 255], mx.uint8), -1, "array([0, 255], dtype=uint8)"],
  ["int16 extremes", () => mx.array([-32768, 32767], mx.int16), -1, "array([-32768, 32767], dtype=int16)"],
  ["uint16 extremes", () => mx.array([0, 65535], mx.uint16), -1, "array([0, 65535], dtype=uint16)"],
  ["int32 extremes", () => mx.array([-(2 ** 31), 2 ** 31 - 1], mx.int32), -1, "array([-2147483648, 2147483647], dtype=int32)"],
  ["uint32 extremes", () => mx.array([0, 2 ** 32 - 1], mx.uint32), -1, "array([0, 4294967295], dtype=uint32)"],
  ["int64 extremes", () => mx.array([-(2n ** 63n), 2n ** 63n - 1n]), -1, "array([-9223372036854775808, 9223372036854775807], dtype=int64)"],
  ["uint64 extremes", () => mx.array([0n, 2n ** 64n - 1n, 2n ** 63n - 1n], mx.uint64), -1, "array([0, 18446744073709551615, 9223372036854775807], dtype=uint64)"],
  ["empty vector", () => mx.array([]), -1, "array([], dtype=float32)"],
  ["empty (2, 0)", () => mx.reshape(mx.array([]), [2, 0]), -1, "array([[],\n       []], dtype=float32)"],
  ["empty (0, 3)", () => mx.reshape(mx.array([]), [0, 3]), -1, "array([], dtype=float32)"],
  ["empty (2, 0, 3) int32", () => mx.reshape(mx.array([], mx.int32), [2, 0, 3]), -1, "array([[],\n       []], dtype=int32)"],
  ["0-d float", () => mx.array(3.5), -1, "array(3.5, dtype=float32)"],
  ["0-d negative zero", () => mx.array(-0, mx.float32), -1, "array(-0, dtype=float32)"],
  ["0-d int", () => mx.array(-7n), -1, "array(-7, dtype=int32)"],
  ["6 elements are not summarised", () => mx.array(range(6), mx.int32), -1, "array([0, 1, 2, 3, 4, 5], dtype=int32)"],
  ["7 elements are summarised", () => mx.array(range(7), mx.int32), -1, "array([0, 1, 2, ..., 4, 5, 6], dtype=int32)"],
  ["1000 elements", () => mx.array(range(1000), mx.int32), -1, "array([0, 1, 2, ..., 997, 998, 999], dtype=int32)"],
  ["1000 float32 elements", () => mx.array(range(1000).map((i) => i / 7)), -1, "array([0, 0.142857, 0.285714, ..., 142.429, 142.571, 142.714], dtype=float32)"],
  ["100x100", () => mx.reshape(mx.array(range(10000), mx.int32), [100, 100]), -1, "array([[0, 1, 2, ..., 97, 98, 99],\n       [100, 101, 102, ..., 197, 198, 199],\n       [200, 201, 202, ..., 297, 298, 299],\n       ...,\n       [9700, 9701, 9702, ..., 9797, 9798, 9799],\n       [9800, 9801, 9802, ..., 9897, 9898, 9899],\n       [9900, 9901, 9902, ..., 9997, 9998, 9999]], dtype=int32)"],
  ["7x7 float", () => mx.reshape(mx.array(range(49).map((i) => i * 0.5)), [7, 7]), -1, "array([[0, 0.5, 1, ..., 2, 2.5, 3],\n       [3.5, 4, 4.5, ..., 5.5, 6, 6.5],\n       [7, 7.5, 8, ..., 9, 9.5, 10],\n       ...,\n       [14, 14.5, 15, ..., 16, 16.5, 17],\n       [17.5, 18, 18.5, ..., 19.5, 20, 20.5],\n       [21, 21.5, 22, ..., 23, 23.5, 24]], dtype=float32)"],
  ["3-d", () => mx.reshape(mx.array(range(24), mx.int32), [2, 3, 4]), -1, "array([[[0, 1, 2, 3],\n        [4, 5, 6, 7],\n        [8, 9, 10, 11]],\n       [[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]]], dtype=int32)"],
  ["3-d summarised", () => mx.reshape(mx.array(range(1000), mx.int32), [10, 10, 10]), -1, "array([[[0, 1, 2, ..., 7, 8, 9],\n        [10, 11, 12, ..., 17, 18, 19],\n        [20, 21, 22, ..., 27, 28, 29],\n        ...,\n        [70, 71, 72, ..., 77, 78, 79],\n        [80, 81, 82, ..., 87, 88, 89],\n        [90, 91, 92, ..., 97, 98, 99]],\n       [[100, 101, 102, ..., 107, 108, 109],\n        [110, 111, 112, ..., 117, 118, 119],\n        [120, 121, 122, ..., 127, 128, 129],\n        ...,\n        [170, 171, 172, ..., 177, 178, 179],\n        [180, 181, 182, ..., 187, 188, 189],\n        [190, 191, 192, ..., 197, 198, 199]],\n       [[200, 201, 202, ..., 207, 208, 209],\n        [210, 211, 212, ..., 217, 218, 219],\n        [220, 221, 222, ..., 227, 228, 229],\n        ...,\n        [270, 271, 272, ..., 277, 278, 279],\n        [280, 281, 282, ..., 287, 288, 289],\n        [290, 291, 292, ..., 297, 298, 299]],\n       ...,\n       [[700, 701, 702, ..., 707, 708, 709],\n        [710, 711, 712, ..., 717, 718, 719],\n        [720, 721, 722, ..., 727, 728, 729],\n        ...,\n        [770, 771, 772, ..., 777, 778, 779],\n        [780, 781, 782, ..., 787, 788, 789],\n        [790, 791, 792, ..., 797, 798, 799]],\n       [[800, 801, 802, ..., 807, 808, 809],\n        [810, 811, 812, ..., 817, 818, 819],\n        [820, 821, 822, ..., 827, 828, 829],\n        ...,\n        [870, 871, 872, ..., 877, 878, 879],\n        [880, 881, 882, ..., 887, 888, 889],\n        [890, 891, 892, ..., 897, 898, 899]],\n       [[900, 901, 902, ..., 907, 908, 909],\n        [910, 911, 912, ..., 917, 918, 919],\n        [920, 921, 922, ..., 927, 928, 929],\n        ...,\n        [970, 971, 972, ..., 977, 978, 979],\n        [980, 981, 982, ..., 987, 988, 989],\n        [990, 991, 992, ..., 997, 998, 999]]], dtype=int32)"],
  ["summarised leading axis of unit rows", () => mx.reshape(mx.array(range(10), mx.int32), [10, 1, 1]), -1, "array([[[0]],\n       [[1]],\n       [[2]],\n       ...,\n       [[7]],\n       [[8]],\n       [[9]]], dtype=int32)"],
  ["4-d", () => mx.reshape(mx.array(range(4), mx.int32), [2, 1, 2, 1]), -1, "array([[[[0],\n         [1]]],\n       [[[2],\n         [3]]]], dtype=int32)"],
  ["bool matrix summarised", () => mx.array([[true, false, true, false, true, false, true, false]]), -1, "array([[True, False, True, ..., False, True, False]], dtype=bool)"],
  ["transposed (non-contiguous)", () => mx.transpose(mx.reshape(mx.array(range(12), mx.int32), [3, 4])), -1, "array([[0, 4, 8],\n       [1, 5, 9],\n       [2, 6, 10],\n       [3, 7, 11]], dtype=int32)"],
  ["broadcast (zero strides)", () => mx.broadcastTo(mx.array([1, 2], mx.int32), [3, 2]), -1, "array([[1, 2],\n       [1, 2],\n       [1, 2]], dtype=int32)"],
  ["stepped view", () => mx.asStrided(mx.array(range(20), mx.int32), [7], [3], 0), -1, "array([0, 3, 6, ..., 12, 15, 18], dtype=int32)"],
  ["reversed view", () => mx.asStrided(mx.array(range(5), mx.int32), [5], [-1], 4), -1, "array([4, 3, 2, 1, 0], dtype=int32)"],
  ["precision 3", () => mx.array([0.125, -0.001, 1e10, 1 / 3, NaN, -Infinity]), 3, "array([0.125, -0.001, 10000000000.000, 0.333, nan, -inf], dtype=float32)"],
  ["precision 0 rounds half to even", () => mx.array([0.5, 1.5, 2.5, -0.4, 3.5, 1e10]), 0, "array([0, 2, 2, -0, 4, 10000000000], dtype=float32)"],
  ["precision 2 ties", () => mx.array([0.125, 0.375, 2.675]), 2, "array([0.12, 0.38, 2.67], dtype=float32)"],
  ["precision 2 complex", () => mx.array([{ re: 1, im: 2 }, { re: 1, im: -0.5 }, { re: -0.001, im: -0.001 }]), 2, "array([1.00+2.00j, 1.00-0.50j, -0.00-0.00j], dtype=complex64)"],
  ["precision 2 leaves ints and bools alone", () => mx.array([1, 2], mx.int32), 2, "array([1, 2], dtype=int32)"],
  ["precision 2 float16 and float64", () => mx.array([0.125, 65504], mx.float16), 2, "array([0.12, 65504.00], dtype=float16)"],
  ["precision 2 float64 huge", () => mx.array([1e30, 1e-30], mx.float64), 2, "array([1000000000000000019884624838656.00, 0.00], dtype=float64)"],
  ["precision 25 shows the exact float32", () => mx.array([0.1]), 25, "array([0.1000000014901161193847656], dtype=float32)"],
  ["negative precision other than -1 means 6 fixed", () => mx.array([0.1, 1e10]), -5, "array([0.100000, 10000000000.000000], dtype=float32)"],
];

describe('toString matches MLX repr', () => {
  for (const [name, make, precision, expected] of table) {
    it(name, () => {
      const a = make();
      expect(mx.printoptions(precision, () => a.toString())).toBe(expected);
    });
  }
  it('covers the precision settings used above and restores the default', () => {
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
  });
});

describe('Node printing', () => {
  it('console.log / util.inspect / String / template literals print the repr', () => {
    const a = mx.array([[1.5, 2], [3, 4]]);
    const want = 'array([[1.5, 2],\n       [3, 4]], dtype=float32)';
    expect(inspect(a)).toBe(want);
    expect(inspect([a])).toContain('array([[1.5, 2],\n');
    expect(String(a)).toBe(want);
    expect(`${mx.array(true)}`).toBe('array(True, dtype=bool)');
  });
  it('printing evaluates lazy arrays', () => {
    const b = mx.multiply(mx.array([1, 2, 3], mx.int32), 2n);
    expect(b.isEvaluated).toBe(false);
    expect(b.toString()).toBe('array([2, 4, 6], dtype=int32)');
  });
  it('a disposed array inspects as a marker and refuses toString', () => {
    const a = mx.array([1, 2], mx.int32);
    mx.dispose(a);
    expect(inspect(a)).toBe('array(<disposed>, shape=(2,), dtype=int32)');
    expect(() => a.toString()).toThrow(/disposed/);
  });
});

describe('print options', () => {
  it('setPrintoptions / getPrintoptions / printoptions', () => {
    const a = mx.array([1 / 3, 2]);
    try {
      mx.setPrintoptions({ precision: 4 });
      expect(mx.getPrintoptions()).toEqual({ precision: 4 });
      expect(a.toString()).toBe('array([0.3333, 2.0000], dtype=float32)');
      expect(mx.printoptions(1, () => a.toString())).toBe('array([0.3, 2.0], dtype=float32)');
      expect(mx.getPrintoptions()).toEqual({ precision: 4 });
      mx.setPrintoptions();
      expect(a.toString()).toBe('array([0.333333, 2], dtype=float32)');
    } finally {
      mx.setPrintoptions(-1);
    }
  });
  it('printoptions restores the precision when the callback throws', () => {
    expect(() =>
      mx.printoptions({ precision: 2 }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
  });
  it('rejects a non-integer precision', () => {
    expect(() => mx.setPrintoptions(1.5)).toThrow(/\[setPrintoptions\] precision must be an integer/);
    expect(mx.getPrintoptions()).toEqual({ precision: -1 });
  });
});

describe('float formatting (printf %g / %.pf semantics)', () => {
  it('hand-checked %g cases', () => {
    expect(formatGeneral(0)).toBe('0');
    expect(formatGeneral(-0)).toBe('-0');
    expect(formatGeneral(100000)).toBe('100000');
    expect(formatGeneral(1e6)).toBe('1e+06');
    expect(formatGeneral(0.0001)).toBe('0.0001');
    expect(formatGeneral(0.00001)).toBe('1e-05');
    expect(formatGeneral(1e100)).toBe('1e+100');
    expect(formatGeneral(123456789)).toBe('1.23457e+08');
    expect(formatGeneral(999999.5)).toBe('1e+06');
    expect(formatGeneral(0.5)).toBe('0.5');
    expect(formatGeneral(NaN, true)).toBe('-nan');
    expect(formatGeneral(-Infinity)).toBe('-inf');
  });
  it('hand-checked %.pf cases', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(-0.001, 2)).toBe('-0.00');
    expect(formatFixed(9.995, 2)).toBe('9.99'); // 9.99499999... exactly
    expect(formatFixed(99.5, 0)).toBe('100');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(-227391885556035.78125, 4)).toBe('-227391885556035.7812');
    expect(formatFixed(1241779085566736.5, 0)).toBe('1241779085566736');
    expect(formatFixed(1e21, 1)).toBe('1000000000000000000000.0');
    expect(formatFixed(5e-324, 3)).toBe('0.000');
  });
  it('%g agrees in value and notation with JS toPrecision (no exact ties among random doubles)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatGeneral(x);
        expect(Number(s) + 0).toBe(Number(x.toPrecision(6)) + 0); // + 0: toPrecision drops the sign of -0
        const X = x === 0 ? 0 : Number(x.toExponential(5).split('e')[1]);
        expect(s.includes('e')).toBe(X < -4 || X >= 6);
        const mantissa = s.split('e')[0]!;
        if (mantissa.includes('.')) expect(mantissa.endsWith('0')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
  it('%.pf agrees with JS toFixed where toFixed is exact enough', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), fc.integer({ min: 0, max: 12 }), (x, p) => {
        // JS rounds exact ties up, C to even: leave exact ties to the hand-checked cases.
        const longer = Math.abs(x).toFixed(p + 30);
        const cut = longer.indexOf('.') + 1 + p;
        fc.pre(!/^50*$/.test(longer.slice(cut)));
        const s = formatFixed(x, p);
        const js = x.toFixed(p);
        // toFixed drops the sign of values that round to zero; C keeps it.
        expect(s.replace(/^-(?=0\.?0*$)/, '')).toBe(js.replace(/^-(?=0\.?0*$)/, ''));
      }),
      { numRuns: 2000 },
    );
  });
});

/** An independent formatter for integer arrays, from tolist(), with MLX's layout rules. */
function layout(v: unknown, dim: number): string {
  if (!Array.isArray(v)) return String(v);
  const parts = v.map((x) => layout(x, dim + 1));
  const shown = parts.length > 6 ? [...parts.slice(0, 3), '...', ...parts.slice(-3)] : parts;
  const last = v.length === 0 || !Array.isArray(v[0]);
  return '[' + shown.join(last ? ', ' : ',\n' + ' '.repeat(7 + dim)) + ']';
}

describe('layout property', () => {
  it('any shape, any axis order: nesting, indentation and summarisation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          let a = mx.reshape(mx.array(range(n).map((i) => (i * 7919 + seed) % 2001 - 1000), mx.int32), shape);
          // a random axis permutation makes the layout non-contiguous
          const perm = range(shape.length).sort((i, j) => ((i * 31 + seed) % 7) - ((j * 31 + seed) % 7));
          a = mx.transpose(a, perm);
          expect(a.toString()).toBe(`array(${layout(a.tolist(), 0)}, dtype=int32)`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
