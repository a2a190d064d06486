// Every elementwise kernel on the GPU against the reference backend (compareBackends), in four
// layouts, for every dtype the GPU backend has. Exact for integers, bool, data movement and
// correctly rounded float ops; stated ulp bounds for the float functions that WGSL computes
// with its own approximations (measured on lavapipe).
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng } from './gpu-helpers.js';

const onGpu = ['reference', 'webgpu'] as const;
// any: the ops' trailing stream argument is never passed here
type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], ulp = 0, label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: onGpu, ulp, label });

const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3.5, 1e-30, -7e20];
/** floats: the special values, then values spread over magnitudes */
function floats(seed: number, scale = 100): (i: number) => number {
  const r = rng(seed);
  return (i) => (i < specials.length && seed % 2 === 0 ? specials[i]! : Math.fround((r() - 0.5) * 2 * scale * (r() < 0.2 ? 1e-3 : 1)));
}
const INTS: Record<string, (r: () => number) => number> = {
  int32: (r) => Math.floor(r() * 2 ** 32) - 2 ** 31,
  uint32: (r) => Math.floor(r() * 2 ** 32),
  int16: (r) => Math.floor(r() * 2 ** 16) - 2 ** 15,
  uint16: (r) => Math.floor(r() * 2 ** 16),
  int8: (r) => Math.floor(r() * 256) - 128,
  uint8: (r) => Math.floor(r() * 256),
  bool: (r) => (r() < 0.5 ? 1 : 0),
};
/** integers: extremes and small values (small ones make division and shifts interesting) */
function ints(dtype: mx.Dtype, seed: number): (i: number) => number {
  const r = rng(seed);
  const full = INTS[dtype.name]!;
  return (i) => (dtype === mx.bool ? full(r) : i % 3 === 0 ? full(r) : Math.floor(r() * 17) - (dtype.name.startsWith('u') ? 0 : 8));
}
const intDtypes = [mx.int32, mx.uint32, mx.int16, mx.uint16, mx.int8, mx.uint8];

describe.skipIf(noGpu)('webgpu elementwise', () => {
  it('AsType between every pair of GPU dtypes, any layout', () => {
    const all = [mx.float32, mx.bool, ...intDtypes];
    for (const from of all) {
      const gen = from === mx.float32 ? floats(2, 3e9) : ints(from, 3);
      for (const x of layouts(from, gen)) {
        for (const to of all) check((a) => mx.astype(a, to), [x], 0, `${from.name} -> ${to.name}`);
        check((a) => mx.copy(a), [x], 0, `copy ${from.name}`);
      }
    }
  });

  it('int -> float32 rounds to nearest even beyond 2^24', () => {
    const big = [16777217, 16777219, -16777217, 2147483647, -2147483648, 33554435];
    check((a) => mx.astype(a, mx.float32), [{ dtype: mx.int32, baseShape: [6], units: big, view: [] }]);
    check((a) => mx.astype(a, mx.float32), [{ dtype: mx.uint32, baseShape: [3], units: [4294967295, 16777217, 2147483649], view: [] }]);
  });

  const exactUnary: [string, (a: mx.MxArray) => mx.MxArray][] = [
    ['abs', mx.abs],
    ['negative', mx.negative],
    ['sign', mx.sign],
    ['square', mx.square],
    ['floor', mx.floor],
    ['ceil', mx.ceil],
    ['round', (a) => mx.round(a)],
    ['logicalNot', mx.logicalNot],
    ['isnan', mx.isnan],
    ['isinf', mx.isinf],
    ['isposinf', mx.isposinf],
    ['isneginf', mx.isneginf],
    ['isfinite', mx.isfinite],
    ['stopGradient', mx.stopGradient],
    ['real', mx.real],
    ['imag', mx.imag],
    ['conjugate', mx.conjugate],
  ];

  it('exact unary ops on float32 (specials included) and every integer dtype and bool', () => {
    for (const [name, f] of exactUnary) {
      for (const x of layouts(mx.float32, floats(4))) check(f, [x], 0, `${name} float32`);
      for (const d of [...intDtypes, mx.bool]) {
        if (d === mx.bool && (name === 'negative' || name === 'sign' || name === 'abs' || name === 'square')) continue; // MLX refuses these on bool
        for (const x of layouts(d, ints(d, 5))) check(f, [x], 0, `${name} ${d.name}`);
      }
    }
    for (const d of [...intDtypes, mx.bool]) check(mx.bitwiseInvert, layouts(d, ints(d, 6)).slice(1, 2), 0, `bitwiseInvert ${d.name}`);
    // round: halves go to even
    check((a) => mx.round(a), [{ dtype: mx.float32, baseShape: [6], units: [0.5, 1.5, 2.5, -0.5, -1.5, 4.5000005], view: [] }]);
  });

  // Float functions: the reference computes in double and rounds once; the GPU uses WGSL's f32
  // functions (lavapipe: LLVM's), whose error is stated per op here.
  const floatUnary: [string, (a: mx.MxArray) => mx.MxArray, number, (i: number) => number][] = [
    ['sqrt', mx.sqrt, 1, floats(7, 1000)],
    ['rsqrt', mx.rsqrt, 2, floats(7, 1000)],
    ['reciprocal', mx.reciprocal, 0, floats(8)],
    ['exp', mx.exp, 4, floats(9, 40)],
    ['expm1', mx.expm1, 4, floats(10, 10)],
    ['log', mx.log, 4, floats(11, 1000)],
    ['log2', mx.log2, 4, floats(11, 1000)],
    ['log10', mx.log10, 4, floats(11, 1000)],
    ['log1p', mx.log1p, 4, floats(12, 10)],
    ['sin', mx.sin, 4, floats(13, 6)],
    ['cos', mx.cos, 4, floats(15, 6)],
    ['tan', mx.tan, 8, floats(15, 1.4)],
    ['arcsin', mx.arcsin, 4, floats(16, 1)],
    ['arccos', mx.arccos, 4, floats(16, 1)],
    ['arctan', mx.arctan, 4, floats(17, 50)],
    ['sinh', mx.sinh, 8, floats(18, 10)],
    ['cosh', mx.cosh, 8, floats(18, 10)],
    ['tanh', mx.tanh, 8, floats(18, 5)],
    ['arcsinh', mx.arcsinh, 8, floats(19, 100)],
    ['arccosh', mx.arccosh, 8, (i) => 1 + Math.abs(floats(19, 100)(i))],
    ['arctanh', mx.arctanh, 8, floats(21, 0.99)],
    ['sigmoid', mx.sigmoid, 4, floats(22, 20)],
    ['erf', mx.erf, 8, floats(23, 3)],
    ['erf tails', mx.erf, 8, (i) => (i % 2 ? -1 : 1) * (1.5 + (i % 12) * 0.25)],
    ['erfinv', mx.erfinv, 8, floats(24, 1)],
    ['erfinv tails', mx.erfinv, 8, (i) => (i % 2 ? -1 : 1) * [0.95, 0.99, 0.999, 0.9999, 0.99999, 0.9999999, 0.5, 0.91][i % 8]!],
  ];

  it('float functions within their ulp bounds', () => {
    for (const [name, f, ulp, gen] of floatUnary) {
      for (const x of layouts(mx.float32, gen).slice(0, 2)) check(f, [x], ulp, name);
    }
  });

  const exactBinary: [string, (a: mx.MxArray, b: mx.MxArray) => mx.MxArray][] = [
    ['add', mx.add],
    ['subtract', mx.subtract],
    ['multiply', mx.multiply],
    ['floorDivide', mx.floorDivide],
    ['remainder', mx.remainder],
    ['maximum', mx.maximum],
    ['minimum', mx.minimum],
    ['equal', mx.equal],
    ['notEqual', mx.notEqual],
    ['less', mx.less],
    ['lessEqual', mx.lessEqual],
    ['greater', mx.greater],
    ['greaterEqual', mx.greaterEqual],
    ['logicalAnd', mx.logicalAnd],
    ['logicalOr', mx.logicalOr],
    ['arrayEqual with NaNs equal (NaNEqual, then a reduce)', (a, b) => mx.arrayEqual(a, b, true)],
    ['NaNEqual against itself', (a) => mx.arrayEqual(a, a, true)],
  ];

  it('exact binary ops, every dtype, mixed layouts (broadcasts included)', () => {
    for (const [name, f] of exactBinary) {
      const fl = layouts(mx.float32, floats(30));
      const fl2 = layouts(mx.float32, floats(31));
      for (let k = 0; k < 4; k++) check(f, [fl[k]!, fl2[(k + 1) % 4]!], 0, `${name} float32`);
      for (const d of [...intDtypes, mx.bool]) {
        if (d === mx.bool && ['subtract', 'floorDivide', 'remainder'].includes(name)) continue;
        const a = layouts(d, ints(d, 32));
        const b = layouts(d, ints(d, 33));
        for (let k = 0; k < 4; k += 2) check(f, [a[k]!, b[(k + 1) % 4]!], 0, `${name} ${d.name}`);
      }
    }
  });

  it('bitwise ops and shifts on every integer dtype', () => {
    const ops: [string, (a: mx.MxArray, b: mx.MxArray) => mx.MxArray][] = [
      ['bitwiseAnd', mx.bitwiseAnd],
      ['bitwiseOr', mx.bitwiseOr],
      ['bitwiseXor', mx.bitwiseXor],
      ['leftShift', mx.leftShift],
      ['rightShift', mx.rightShift],
    ];
    for (const [name, f] of ops) {
      for (const d of [...intDtypes, mx.bool]) {
        const a = layouts(d, ints(d, 40))[1]!;
        const r = rng(41);
        const b = layouts(d, (i) => (name.endsWith('Shift') ? (i % 5 === 0 ? Math.floor(r() * 40) : Math.floor(r() * 8)) : ints(d, 42)(i)))[3]!;
        if (d === mx.bool && name.endsWith('Shift')) continue;
        check(f, [a, b], 0, `${name} ${d.name}`);
      }
    }
  });

  it('integer floor division, remainder and divmod keep the divisor sign; x/0 gives 0', () => {
    for (const d of intDtypes) {
      const a = layouts(d, ints(d, 50));
      const b = layouts(d, (i) => (i % 4 === 0 ? 0 : ints(d, 51)(i)));
      check(mx.floorDivide, [a[0]!, b[1]!], 0, `floorDivide ${d.name}`);
      check(mx.remainder, [a[2]!, b[0]!], 0, `remainder ${d.name}`);
      check((x, y) => mx.divmod(x, y), [a[1]!, b[3]!], 0, `divmod ${d.name}`);
    }
    check(mx.floorDivide, [
      { dtype: mx.int32, baseShape: [4], units: [-2147483648, -7, 7, -2147483648], view: [] },
      { dtype: mx.int32, baseShape: [4], units: [-1, 2, -2, 3], view: [] },
    ]);
  });

  it('float remainder is exact (fmod by long division), divmod, floor division', () => {
    const a = layouts(mx.float32, floats(60, 1e6));
    const b = layouts(mx.float32, floats(61, 10));
    check(mx.remainder, [a[0]!, b[1]!], 0, 'remainder');
    check(mx.remainder, [a[1]!, b[0]!], 0, 'remainder specials in the divisor');
    check((x, y) => mx.divmod(x, y), [a[2]!, b[3]!], 0, 'divmod');
    check(mx.remainder, [
      { dtype: mx.float32, baseShape: [6], units: [1e30, -1e30, 3e-39, 5.5, -5.5, 1e-40], view: [] },
      { dtype: mx.float32, baseShape: [6], units: [3.3, 7e-30, 1e-40, -2, 2, 3e-41], view: [] },
    ]);
  });

  it('power, logaddexp, arctan2, divide within their ulp bounds; integer power exact', () => {
    const r = rng(70);
    const base = layouts(mx.float32, (i) => (i % 6 === 0 ? -Math.floor(r() * 5) : Math.fround(r() * 4)));
    const expo = layouts(mx.float32, (i) => (i % 3 === 0 ? Math.floor(r() * 9) - 4 : Math.fround((r() - 0.5) * 8)));
    check(mx.power, [base[0]!, expo[1]!], 16, 'power');
    // exponents 2, 1, -1 and 0.5 are one correctly rounded operation: exact
    check(mx.power, [base[1]!, { dtype: mx.float32, baseShape: [1, 4], units: [2, 1, -1, 0.5], view: [{ kind: 'broadcast', shape: [3, 4] }] }], 0, 'power 2, 1, -1, 0.5');
    check(mx.power, [
      { dtype: mx.float32, baseShape: [10], units: [1, NaN, -1, -0, -0, 0, Infinity, -Infinity, -2, -8], view: [] },
      { dtype: mx.float32, baseShape: [10], units: [NaN, 0, Infinity, 3, -3, -1, -2, 3, 0.5, 1 / 3], view: [] },
    ]);
    check(mx.logaddexp, [layouts(mx.float32, floats(72, 50))[0]!, layouts(mx.float32, floats(73, 50))[3]!], 4, 'logaddexp');
    check(mx.arctan2, [layouts(mx.float32, floats(75, 50))[0]!, layouts(mx.float32, floats(77, 50))[2]!], 4, 'arctan2');
    check(mx.divide, [layouts(mx.float32, floats(74))[0]!, layouts(mx.float32, floats(76))[1]!], 0, 'divide');
    for (const d of [mx.int32, mx.uint32, mx.int8, mx.uint16]) {
      const b = layouts(d, ints(d, 78));
      const e = layouts(d, (i) => (i % 4 === 0 ? ints(d, 79)(i) : i % 7));
      check(mx.power, [b[0]!, e[1]!], 0, `power ${d.name}`);
    }
  });

  it('where over every dtype with broadcast condition and branches', () => {
    const cond = layouts(mx.bool, ints(mx.bool, 80));
    for (const d of [mx.float32, mx.bool, ...intDtypes]) {
      const x = layouts(d, d === mx.float32 ? floats(81) : ints(d, 81));
      const y = layouts(d, d === mx.float32 ? floats(82) : ints(d, 82));
      check(mx.where, [cond[3]!, x[1]!, y[2]!], 0, `where ${d.name}`);
      check(mx.where, [cond[1]!, x[3]!, y[0]!], 0, `where ${d.name}`);
    }
  });

  it('empty and 0-d arrays, and a size that is not a multiple of the word', () => {
    check(mx.add, [
      { dtype: mx.float32, baseShape: [0, 3], units: [], view: [] },
      { dtype: mx.float32, baseShape: [3], units: [1, 2, 3], view: [] },
    ]);
    check(mx.multiply, [
      { dtype: mx.int8, baseShape: [], units: [7], view: [] },
      { dtype: mx.int8, baseShape: [], units: [-9], view: [] },
    ]);
    check(mx.less, [
      { dtype: mx.int16, baseShape: [7], units: [1, 2, 3, 4, 5, 6, 7], view: [] },
      { dtype: mx.int16, baseShape: [7], units: [7, 6, 5, 4, 3, 2, 1], view: [] },
    ]);
  });

  it('a long elementwise chain stays on the GPU and matches', () => {
    const x = layouts(mx.float32, floats(90, 3))[1]!;
    check((a) => mx.tanh(mx.add(mx.multiply(a, a), mx.sin(mx.abs(mx.subtract(a, 1))))), [x], 8);
  });
});
