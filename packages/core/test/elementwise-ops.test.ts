// The elementwise ops against real MLX 0.32.4: output dtypes for every input dtype, the
// promotion table, weak JS scalars, broadcasting, wrap-around, signs of floor division and
// remainder, NaN/inf, complex64, float16/bfloat16 rounding, strided inputs and properties.
// Every expected value below was printed by MLX 0.32.4 (python3 -c "import mlx.core as mx; ...");
// the big tables at the end of the file were generated from MLX the same way. Ported in spirit
// from MLX's python/tests/test_ops.py (test_remainder, test_round, test_isclose, ...).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

type A = mx.MxArray;
type Out = unknown[] | string;
type Fn1 = (x: A) => A;
type Fn2 = (a: A, b: A) => A;

const DTYPES = ['bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64', 'complex64'];
const dt = (name: string): mx.Dtype => (mx as unknown as Record<string, mx.Dtype>)[name]!;
const f32 = (v: number[]): A => mx.array(v, mx.float32);
const c = (re: number, im: number) => ({ re, im });
const inf = Infinity;
const nan = NaN;

// ---- comparing results with MLX's ----

/** Mantissa bits and smallest normal exponent, for ULP tolerances. */
const FLOAT_BITS: Record<string, [number, number]> = { float32: [23, -126], complex64: [23, -126], float16: [10, -14], bfloat16: [7, -126], float64: [52, -1022] };
function ulp(x: number, d: string): number {
  const [m, emin] = FLOAT_BITS[d] ?? [23, -126];
  const e = x === 0 ? emin : Math.max(Math.floor(Math.log2(Math.abs(x))), emin);
  return 2 ** (e - m);
}
/** ulps = 0: identical (signed zeros and NaN included); otherwise within `ulps` of the result dtype. */
function sameNumber(got: unknown, want: number, d: string, ulps: number, scale = want): boolean {
  if (typeof got !== 'number') return false;
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (ulps === 0 || !Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= ulps * ulp(Math.abs(scale), d);
}
function fmt(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v && typeof v === 'object' && 're' in v) {
    const z = v as { re: number; im: number };
    return `${fmt(z.re)}${z.im < 0 || Object.is(z.im, -0) ? '' : '+'}${fmt(z.im)}j`;
  }
  return String(v);
}
/** Table literals: '0101' is a bool list, [re, im] a complex64 element; float32 values are printed shortest. */
function decode(out: Out, d: string): unknown[] {
  if (typeof out === 'string') return [...out].map((ch) => ch === '1');
  const single = d === 'float32' || d === 'complex64';
  return out.map((v) => {
    if (Array.isArray(v)) return c(Math.fround(v[0] as number), Math.fround(v[1] as number));
    return single && typeof v === 'number' ? Math.fround(v) : v;
  });
}
function sameElement(got: unknown, want: unknown, d: string, ulps: number): boolean {
  if (typeof want === 'boolean') return got === want;
  // 64-bit integers: a number or a bigint, as long as the value is the same
  if (typeof want === 'bigint' || typeof got === 'bigint') {
    return (typeof got === 'bigint' || Number.isInteger(got)) && (typeof want === 'bigint' || Number.isInteger(want)) && BigInt(got as number) === BigInt(want as number);
  }
  if (typeof want === 'number') return sameNumber(got, want, d, ulps);
  const w = want as { re: number; im: number };
  const g = got as { re: number; im: number } | null;
  if (!g || typeof g !== 'object') return false;
  // complex: both parts within ulps of the larger part's magnitude
  const scale = Math.max(Math.abs(w.re), Math.abs(w.im));
  return sameNumber(g.re, w.re, d, ulps, ulps ? scale : w.re) && sameNumber(g.im, w.im, d, ulps, ulps ? scale : w.im);
}
/**
 * Documented differences (README, "Deliberate differences"), where mlx-ts keeps the accurate
 * value and MLX's float32 approximations do not:
 * - exp/sigmoid: MLX flushes results below float32's normal range to 0 (and float64 overflows
 *   at float32's range); mlx-ts returns the subnormal / true double value;
 * - erf: MLX's float32 polynomial returns 0 for |x| < ~1e-5; mlx-ts returns ~2x/sqrt(pi);
 * - float64 erf/erfinv: MLX evaluates them at float32 precision with a polynomial ~1e-6 off.
 */
function deliberate(label: string, x: unknown, want: unknown, got: unknown): boolean {
  if (typeof want !== 'number' || typeof got !== 'number') return false;
  const op = label.slice(0, label.indexOf('('));
  const f64 = label.includes('(float64)');
  if ((op === 'exp' || op === 'sigmoid') && (want === 0 || want === Infinity)) {
    return Math.abs(got) < 2 ** -126 || Math.abs(got) > 3.4028234663852886e38;
  }
  if (op === 'erf' && typeof x === 'number' && Math.abs(x) < 1e-4) return Math.abs(got - (2 / Math.sqrt(Math.PI)) * x) <= 0.2 * Math.abs(x); // float16 rounds these to subnormals (steps of 6e-8)
  if (f64 && (op === 'erf' || op === 'erfinv')) return Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want));
  return false;
}

/** Runs `f`, compares with MLX's output elementwise, and returns readable mismatches. */
function mismatches(label: string, f: () => A, want: Out, ulps: number, inputs: unknown[][]): string[] {
  let got: unknown[];
  let d: string;
  try {
    const r = f();
    got = r.tolist() as unknown[];
    d = r.dtype.name;
  } catch (e) {
    return [`${label}: threw ${(e as Error).message}`];
  }
  const w = decode(want, d);
  // MLX 0.32.4 computes float64 transcendental functions in float32 precision
  if (d === 'float64' && ulps > 0) d = 'float32';
  if (got.length !== w.length) return [`${label}: ${got.length} elements, MLX has ${w.length}`];
  const bad: string[] = [];
  for (let i = 0; i < w.length; i++) {
    if (deliberate(label, inputs[0]?.[i], w[i], got[i])) continue;
    if (!sameElement(got[i], w[i], d, ulps)) {
      bad.push(`${label} (${inputs.map((x) => fmt(x[i])).join(', ')}): MLX ${fmt(w[i])}, mlx-ts ${fmt(got[i])}`);
    }
  }
  return bad;
}

/** Ops whose results are exactly rounded (or exact) in MLX: compared bit for bit. */
const EXACT = new Set([
  'abs', 'negative', 'sign', 'square', 'sqrt', 'floor', 'ceil', 'round', 'isnan', 'isinf', 'isposinf', 'isneginf',
  'isfinite', 'logicalNot', 'nanToNum', 'stopGradient', 'conjugate', 'real', 'imag', 'add', 'subtract', 'multiply',
  'divide', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'floorDivide',
  'remainder', 'logicalAnd', 'logicalOr', 'isclose', 'reciprocal', 'degrees', 'radians', 'bitwiseAnd', 'bitwiseOr',
  'bitwiseXor', 'bitwiseInvert', 'leftShift', 'rightShift',
]);
/** Allowed error of the transcendental functions, in ULPs of the result dtype. */
const TOLERANCE: Record<string, number> = { float32: 4, complex64: 16, float16: 1, bfloat16: 1, float64: 4 };
/** complex64 results of these ops are exact in MLX; the others (z / |z|, sqrt, ...) get the tolerance. */
const COMPLEX_EXACT = new Set(['add', 'subtract', 'negative', 'conjugate', 'real', 'imag', 'abs', 'square', 'round', 'multiply', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'isnan', 'isinf', 'isfinite', 'logicalNot', 'logicalAnd', 'stopGradient', 'isclose']);
const tol = (op: string, d: string): number => ((d === 'complex64' ? COMPLEX_EXACT : EXACT).has(op) ? 0 : TOLERANCE[d] ?? 4);

const fns = mx as unknown as Record<string, (...args: unknown[]) => A>;
const un = (op: string): Fn1 => (x) => fns[op]!(x);
const bin = (op: string): Fn2 => (a, b) => fns[op]!(a, b);
const pairs = <T>(v: T[]): [T[], T[]] => [v.flatMap((x) => v.map(() => x)), v.flatMap(() => v)];

// ---- output dtypes ----

const UNARY_FNS: Record<string, Fn1> = {
  round1: (x) => mx.round(x, 1),
};
const BINARY_FNS: Record<string, Fn2> = {
  divmod0: (a, b) => mx.divmod(a, b)[0],
  whereXY: (a, b) => mx.where(mx.array([true, false]), a, b),
  clip: (a, b) => mx.clip(a, b, b),
  isclose: (a, b) => mx.isclose(a, b),
  arrayEqual: (a, b) => mx.arrayEqual(a, b),
};
/** The dtype an op gives (the result evaluated, so errors at eval count too), or 'ERR'. */
function outDtype(f: () => A): string {
  try {
    const o = f();
    mx.eval(o);
    return o.dtype.name;
  } catch {
    return 'ERR';
  }
}
const sample = (d: string): A => mx.array([1, 2]).astype(dt(d));

describe('output dtype for each input dtype (MLX 0.32.4)', () => {
  it.each(Object.keys(UNARY_DTYPES))('unary %s', (op) => {
    const f = UNARY_FNS[op] ?? un(op);
    expect(DTYPES.map((d) => outDtype(() => f(sample(d)))).join(' ')).toBe(UNARY_DTYPES[op]);
  });
  it.each(Object.keys(BINARY_DTYPES))('binary %s (both operands of one dtype)', (op) => {
    const f = BINARY_FNS[op] ?? bin(op);
    expect(DTYPES.map((d) => outDtype(() => f(sample(d), sample(d)))).join(' ')).toBe(BINARY_DTYPES[op]);
  });
  it('divmod gives two arrays of the promoted dtype', () => {
    const [q, r] = mx.divmod(mx.array([7], mx.int8), mx.array([2], mx.int16));
    expect([q!.dtype, r!.dtype]).toEqual([mx.int16, mx.int16]);
    expect(() => mx.divmod(mx.array([c(1, 2)]), 2)).toThrow(/divmod/);
  });
  it('errors name the op', () => {
    expect(() => mx.bitwiseAnd(f32([1]), f32([1]))).toThrow(/bitwise_and/);
    expect(() => mx.leftShift(f32([1]), 1)).toThrow(/left_shift/);
    expect(() => mx.bitwiseInvert(f32([1]))).toThrow(/bitwise_invert/);
    expect(() => mx.negative(mx.array([true]))).toThrow(/negative/);
    expect(() => mx.remainder(mx.array([c(7, 3)]), mx.array([c(7, 3)]))).toThrow(/remainder/);
    expect(() => mx.arctan2(mx.array([c(7, 3)]), 1)).toThrow(/arctan2/);
    expect(() => mx.sigmoid(mx.array([c(7, 3)]))).toThrow(/sigmoid/);
    expect(() => mx.erf(mx.array([c(7, 3)]))).toThrow(/erf/);
    expect(() => mx.floor(mx.array([c(7, 3)]))).toThrow(/floor/);
    expect(() => mx.nanToNum(mx.array([1], mx.float64))).toThrow(/nan_to_num/);
    expect(() => mx.add('a' as never, 1)).toThrow(/add/);
    expect(() => mx.sqrt({} as never)).toThrow(/sqrt/);
    expect(() => mx.clip(mx.array([1]), null, null)).toThrow(/clip/);
  });
});

describe('type promotion through add (MLX 0.32.4)', () => {
  it.each(DTYPES.map((d, i) => [d, i] as const))('%s + each dtype', (d, i) => {
    expect(DTYPES.map((e) => outDtype(() => mx.add(sample(d), sample(e)))).join(' ')).toBe(PROMOTION[i]);
  });
  it('promotes values, not just dtypes', () => {
    const s = mx.add(mx.array([-100, 100], mx.int8), mx.array([200, 200], mx.uint8));
    expect([s.dtype, s.tolist()]).toEqual([mx.int16, [100, 300]]);
    const u = mx.add(mx.array([1], mx.uint64), mx.array([-2], mx.int32));
    expect([u.dtype, u.tolist()]).toEqual([mx.float32, [-1]]);
    const h = mx.add(mx.array([1], mx.float16), mx.array([0.1], mx.bfloat16));
    expect([h.dtype, h.tolist()]).toEqual([mx.float32, [1.10009765625]]);
    expect(mx.add(mx.array([true, true]), mx.array([true, false])).tolist()).toEqual([true, true]);
    expect(mx.add(true, false).dtype).toBe(mx.bool);
    expect(mx.add(1, 2.5).dtype).toBe(mx.float32);
    expect(mx.divide(7, 2).tolist()).toBe(3.5);
  });
});

describe('weak JS scalars take the array dtype (MLX 0.32.4)', () => {
  it('integers', () => {
    // a bigint is a Python int: a weak int that keeps the integer dtype (and must fit it)
    const a8 = mx.add(mx.array([1, 2], mx.int8), 1n);
    expect([a8.dtype, a8.tolist()]).toEqual([mx.int8, [2, 3]]);
    expect(() => mx.add(mx.array([1, 2], mx.int8), 1000n)).toThrow('Converting 1000 to int8 would result in overflow');
    expect(() => mx.add(mx.array([1], mx.uint8), -1n)).toThrow('Converting -1 to uint8 would result in overflow');
    expect(() => mx.add(mx.array([1], mx.int32), 2n ** 40n)).toThrow('Converting 1099511627776 to int32 would result in overflow');
    expect(mx.add(mx.array([1], mx.int64), 2n ** 40n).tolist()).toEqual([1099511627777]);
    const u8 = mx.add(mx.array([1], mx.uint8), 255n);
    expect([u8.dtype, u8.tolist()]).toEqual([mx.uint8, [0]]);
    expect(mx.subtract(5n, mx.array([1], mx.int16)).dtype).toBe(mx.int16);
    expect(mx.multiply(mx.array([3], mx.uint16), 2n).dtype).toBe(mx.uint16);
    // a number is a Python float: an integer array meets it as float32 (MLX: int8 array + 1.0)
    const f8 = mx.add(mx.array([1, 2], mx.int8), 1);
    expect([f8.dtype, f8.tolist()]).toEqual([mx.float32, [2, 3]]);
    expect(mx.add(mx.array([1, 2], mx.int8), 1000).tolist()).toEqual([1001, 1002]);
    expect(mx.subtract(5, mx.array([1], mx.int16)).dtype).toBe(mx.float32);
    expect(mx.multiply(mx.array([3], mx.uint16), 2).dtype).toBe(mx.float32);
    expect(mx.add(mx.array([1], mx.int64), 2 ** 40).dtype).toBe(mx.float32);
  });
  it('floats, bools and complex', () => {
    const f = mx.add(mx.array([1, 2]), 1.5);
    expect([f.dtype, f.tolist()]).toEqual([mx.float32, [2.5, 3.5]]);
    const b = mx.add(mx.array([true, false]), 1n);
    expect([b.dtype, b.tolist()]).toEqual([mx.int32, [2, 1]]);
    const bf32 = mx.add(mx.array([true, false]), 1);
    expect([bf32.dtype, bf32.tolist()]).toEqual([mx.float32, [2, 1]]);
    const bb = mx.add(mx.array([true]), true);
    expect([bb.dtype, bb.tolist()]).toEqual([mx.bool, [true]]);
    expect(mx.add(mx.array([true]), 1.5).dtype).toBe(mx.float32);
    const h = mx.add(mx.array([1.0, 0.1], mx.float16), 2.5);
    expect([h.dtype, h.tolist()]).toEqual([mx.float16, [3.5, 2.599609375]]);
    expect(mx.add(mx.array([1], mx.float16), 1e6).tolist()).toEqual([inf]);
    expect(mx.add(mx.array([1], mx.float16), 0.1).tolist()).toEqual([1.099609375]);
    const bf = mx.add(mx.array([1.5], mx.bfloat16), 100);
    expect([bf.dtype, bf.tolist()]).toEqual([mx.bfloat16, [101.5]]);
    expect(mx.add(mx.array([256], mx.bfloat16), 1).tolist()).toEqual([256]);
    const m = mx.maximum(mx.array([1, 5], mx.int8), 2.5);
    expect([m.dtype, m.tolist()]).toEqual([mx.float32, [2.5, 5]]);
    const z = mx.add(mx.array([c(1, 2)]), 1);
    expect([z.dtype, z.tolist()]).toEqual([mx.complex64, [c(2, 2)]]);
    expect(mx.add(mx.array([1], mx.int32), c(0, 1)).dtype).toBe(mx.complex64);
    expect(mx.multiply(mx.array([2], mx.int32), c(0, 1)).tolist()).toEqual([c(0, 2)]);
    expect(mx.add(f32([1.5]), c(0, 2)).tolist()).toEqual([c(1.5, 2)]);
  });
  it('nested JS lists are arrays, not weak scalars', () => {
    const r = mx.add(mx.array([1], mx.int8), [1000n]);
    expect([r.dtype, r.tolist()]).toEqual([mx.int32, [1001]]);
    const rf = mx.add(mx.array([1], mx.int8), [1000]);
    expect([rf.dtype, rf.tolist()]).toEqual([mx.float32, [1001]]);
  });
});

// ---- values from the generated tables ----

describe('float unary ops on a shared input set with inf/NaN/signed zeros (MLX 0.32.4)', () => {
  it.each(Object.keys(FLOAT_UNARY_IN))('%s', (d) => {
    const input = FLOAT_UNARY_IN[d]!;
    const bad = FLOAT_UNARY.filter((r) => r[1] === d).flatMap(([op, , want]) =>
      mismatches(`${op}(${d})`, () => fns[op]!(mx.array(input, dt(d))), want, tol(op, d), [input]),
    );
    expect(bad).toEqual([]);
  });
});

describe('float binary ops on every pair of special values (MLX 0.32.4)', () => {
  it.each(Object.keys(FLOAT_BINARY_SET))('%s', (d) => {
    const [a, b] = pairs(FLOAT_BINARY_SET[d]!);
    const bad = FLOAT_BINARY.filter((r) => r[1] === d).flatMap(([op, , want]) =>
      mismatches(`${op}(${d})`, () => fns[op]!(mx.array(a, dt(d)), mx.array(b, dt(d))), want, tol(op, d), [a, b]),
    );
    expect(bad).toEqual([]);
  });
});

describe('integer ops: wrap-around, extremes, floor division signs, shifts (MLX 0.32.4)', () => {
  it.each(Object.keys(INT_SET))('%s', (d) => {
    const set = INT_SET[d]!;
    const operands = { all: pairs(set.v), div: set.div, pow: set.pow, shift: set.shift };
    const bad = INT_BINARY.filter((r) => r[1] === d).flatMap(([op, , kind, want]) => {
      const [a, b] = operands[kind];
      return mismatches(`${op}(${d})`, () => fns[op]!(mx.array(a as number[], dt(d)), mx.array(b as number[], dt(d))), want, tol(op, 'float32'), [a, b]);
    });
    const badUnary = INT_UNARY.filter((r) => r[1] === d).flatMap(([op, , want]) =>
      mismatches(`${op}(${d})`, () => fns[op]!(mx.array(set.v as number[], dt(d))), want, tol(op, 'float32'), [set.v]),
    );
    expect([...bad, ...badUnary]).toEqual([]);
  });
});

describe('complex64 ops (MLX 0.32.4)', () => {
  const z = (v: unknown[]): A => mx.array(v.map((p) => c(...(p as [number, number]))), mx.complex64);
  it('unary', () => {
    const bad = COMPLEX_UNARY.flatMap(([op, want]) => mismatches(`${op}(complex64)`, () => fns[op]!(z(COMPLEX_IN)), want, tol(op, 'complex64'), [COMPLEX_IN]));
    expect(bad).toEqual([]);
  });
  it('binary (every pair)', () => {
    const [a, b] = pairs(COMPLEX_SET);
    const bad = COMPLEX_BINARY.flatMap(([op, want]) => mismatches(`${op}(complex64)`, () => fns[op]!(z(a), z(b)), want, tol(op, 'complex64'), [a, b]));
    expect(bad).toEqual([]);
  });
  it('hand-checked cases', () => {
    const a = mx.array([c(1, 2), c(-3, 0.5)]);
    const b = mx.array([c(3, -1), c(2, 0)]);
    expect(mx.add(a, b).tolist()).toEqual([c(4, 1), c(-1, 0.5)]);
    expect(mx.subtract(a, b).tolist()).toEqual([c(-2, 3), c(-5, 0.5)]);
    expect(mx.multiply(a, b).tolist()).toEqual([c(5, 5), c(-6, 1)]);
    expect(mx.divide(a, b).tolist()).toEqual([c(0.10000000149011612, 0.699999988079071), c(-1.5, 0.25)]);
    const e = mx.exp(mx.array([c(0, 0), c(0, Math.PI), c(1, 1)])).tolist() as { re: number; im: number }[];
    expect(e[0]).toEqual(c(1, 0));
    expect(e[1]!.re).toBe(-1);
    expect(Math.abs(e[1]!.im + 8.742277657347586e-8)).toBeLessThan(1e-12);
    expect(e[2]!.re).toBeCloseTo(1.4686938524246216, 6);
    expect(e[2]!.im).toBeCloseTo(2.2873551845550537, 6);
    expect(mx.abs(mx.array([c(3, 4), c(-5, 12), c(0, 0)])).tolist()).toEqual([5, 13, 0]);
    // sqrt of a negative real: complex64 gives the principal root, float32 gives NaN
    expect(mx.sqrt(mx.array([c(-4, 0), c(-1, 0), c(3, 4)])).tolist()).toEqual([c(0, 2), c(0, 1), c(2, 1)]);
    expect(mx.sqrt(f32([-4])).tolist()).toEqual([nan]);
    expect(mx.real(mx.array([c(1, 2)])).tolist()).toEqual([1]);
    expect(mx.imag(mx.array([c(1, 2)])).tolist()).toEqual([2]);
    expect(mx.imag(f32([1.5, 2])).tolist()).toEqual([0, 0]);
    expect(mx.conjugate(f32([1.5])).tolist()).toEqual([1.5]);
    expect(mx.conj(mx.array([c(1, 2)])).tolist()).toEqual([c(1, -2)]);
    expect(mx.equal(mx.array([c(1, 2), c(1, 2)]), mx.array([c(1, 2), c(1, -2)])).tolist()).toEqual([true, false]);
    expect(mx.round(mx.array([c(22.2, 3.6), c(18.5, 98.2)])).tolist()).toEqual([c(22, 4), c(18, 98)]);
    // |z| and the predicates look at both parts
    const zi = mx.array([c(0, inf), c(inf, 0), c(inf, inf), c(0, -inf), c(-inf, 0), c(3, 4), c(0, 0), c(nan, 1)]);
    expect(mx.isinf(zi).tolist()).toEqual([true, true, true, true, true, false, false, false]);
    expect(mx.isnan(zi).tolist()).toEqual([false, false, false, false, false, false, false, true]);
    expect(mx.isfinite(zi).tolist()).toEqual([false, false, false, false, false, true, true, false]);
    expect(mx.isposinf(zi).tolist()).toEqual([false, true, false, false, false, false, false, false]);
    expect(mx.isneginf(zi).tolist()).toEqual([false, false, false, false, true, false, false, false]);
  });
});

// ---- hand-checked cases (values printed by MLX 0.32.4) ----

describe('broadcasting', () => {
  it('size-0 and size-1 dimensions', () => {
    expect(mx.add(mx.zeros([0, 3]), mx.zeros([1, 1])).shape).toEqual([0, 3]);
    expect(mx.add(mx.zeros([2, 0]), mx.zeros([0])).shape).toEqual([2, 0]);
    expect(mx.add(mx.zeros([2, 0]), mx.zeros([0])).tolist()).toEqual([[], []]);
    expect(mx.multiply(mx.ones([3, 1, 2]), mx.ones([4, 1])).shape).toEqual([3, 4, 2]);
    expect(mx.add(mx.array(5), mx.zeros([0])).shape).toEqual([0]);
    expect(mx.add(mx.array([[1]]), mx.array(2)).shape).toEqual([1, 1]);
    expect(mx.add(mx.reshape(mx.arange(3), [3, 1]), mx.arange(4)).tolist()).toEqual([[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]]);
    expect(mx.where(mx.array([[true, false], [false, true]]), mx.array([[1, 2], [3, 4]]), mx.array([5, 6])).tolist()).toEqual([[1, 6], [5, 4]]);
    const bo = mx.bitwiseOr(mx.ones([3, 1, 5], mx.bool), mx.zeros([1, 2, 5], mx.bool));
    expect([bo.shape, bo.dtype, mx.all(bo).item()]).toEqual([[3, 2, 5], mx.bool, true]);
    expect(mx.isclose(mx.array([[1.0], [2.0]]), f32([1, 2])).tolist()).toEqual([[true, false], [false, true]]);
  });
  it('the error names both shapes', () => {
    // MLX: "[broadcast_shapes] Shapes (2,3) and (4) cannot be broadcast."
    expect(() => mx.add(mx.zeros([2, 3]), mx.zeros([4]))).toThrow(/Shapes \(2,3\) and \(4,?\) cannot be broadcast/);
    expect(() => mx.add(mx.zeros([0, 3]), mx.zeros([2, 1]))).toThrow(/Shapes \(0,3\) and \(2,1\) cannot be broadcast/);
    expect(() => mx.maximum(mx.zeros([2, 3]), mx.zeros([3, 2]))).toThrow(/Shapes \(2,3\) and \(3,2\) cannot be broadcast/);
    expect(() => mx.where(mx.array([true, false]), mx.zeros([3]), 1)).toThrow(/Shapes \(2,?\) and \(3,?\).* cannot be broadcast/);
    expect(() => mx.arrayEqual(mx.zeros([2]), mx.zeros([3]))).not.toThrow();
  });
});

describe('integer wrap-around and 64-bit exactness', () => {
  it('wraps like C', () => {
    expect(mx.add(mx.array([127], mx.int8), 1n).tolist()).toEqual([-128]);
    expect(mx.subtract(mx.array([0], mx.uint8), 1n).tolist()).toEqual([255]);
    expect(mx.multiply(mx.array([65536, 100000], mx.int32), mx.array([65536, 100000], mx.int32)).tolist()).toEqual([0, 1410065408]);
    expect(mx.negative(mx.array([-128, 5], mx.int8)).tolist()).toEqual([-128, -5]);
    expect(mx.abs(mx.array([-128], mx.int8)).tolist()).toEqual([-128]);
    expect(mx.negative(mx.array([1, 0], mx.uint8)).tolist()).toEqual([255, 0]);
    expect(mx.square(mx.array([16], mx.int8)).tolist()).toEqual([0]);
    expect(mx.square(mx.array([100000], mx.int32)).tolist()).toEqual([1410065408]);
  });
  it('int64 and uint64 stay exact beyond 2^53', () => {
    expect(mx.add(mx.array([2n ** 62n], mx.int64), mx.array([2n ** 62n], mx.int64)).tolist()).toEqual([-(2n ** 63n)]);
    expect(mx.multiply(mx.array([2n ** 53n + 1n], mx.int64), 3n).tolist()).toEqual([27021597764222979n]);
    expect(mx.subtract(mx.array([0], mx.uint64), 1n).tolist()).toEqual([18446744073709551615n]);
    expect(mx.add(mx.array([2 ** 53], mx.int64), 1n).tolist()).toEqual([9007199254740993n]);
    expect(mx.greater(mx.array([2n ** 53n + 1n], mx.int64), mx.array([2 ** 53], mx.int64)).tolist()).toEqual([true]);
    expect(mx.arrayEqual(mx.array([2n ** 53n + 1n], mx.int64), mx.array([2 ** 53], mx.int64)).item()).toBe(false);
    expect(mx.bitwiseAnd(mx.array([2n ** 63n - 1n], mx.int64), mx.array([-2], mx.int64)).tolist()).toEqual([9223372036854775806n]);
    expect(mx.bitwiseInvert(mx.array([0], mx.uint64)).tolist()).toEqual([18446744073709551615n]);
    expect(mx.floorDivide(mx.array([-(2n ** 62n) - 1n], mx.int64), 2n).tolist()).toEqual([-2305843009213693953n]);
  });
  it('mixed-sign comparisons promote first', () => {
    expect(mx.less(mx.array([-1], mx.int32), mx.array([1], mx.uint32)).tolist()).toEqual([true]);
    expect(mx.equal(mx.array([16777217], mx.int32), f32([16777216])).tolist()).toEqual([true]);
  });
});

describe('floor division and remainder signs (test_remainder / test_floor_divide)', () => {
  it('integers: the remainder takes the sign of the divisor', () => {
    const a = mx.array([-7, 7, -7, 7, 0, -1], mx.int32);
    const b = mx.array([2, 2, -2, -2, 3, 3], mx.int32);
    expect(mx.floorDivide(a, b).tolist()).toEqual([-4, 3, 3, -4, 0, -1]);
    expect(mx.remainder(a, b).tolist()).toEqual([1, 1, -1, -1, 0, 2]);
    expect(mx.floorDivide(mx.array([7, 200], mx.uint8), mx.array([2, 3], mx.uint8)).tolist()).toEqual([3, 66]);
    expect(mx.floorDivide(mx.array([true]), mx.array([true])).tolist()).toEqual([true]);
    const [q, r] = mx.divmod(mx.array([-7, 7, 9], mx.int32), mx.array([2, -2, 3], mx.int32));
    expect([q!.tolist(), r!.tolist(), q!.dtype]).toEqual([[-4, -4, 3], [1, -1, 0], mx.int32]);
  });
  it('floats, incl. division by zero', () => {
    expect(mx.floorDivide(f32([-7.5, 7.5, -7.5, 7.5, 1, -1]), f32([2, 2, -2, -2, 0, 0])).tolist()).toEqual([-4, 3, 3, -4, inf, -inf]);
    expect(mx.remainder(f32([-7.5, 7.5, -7.5, 7.5, 1, -1, 6, -6]), f32([2, 2, -2, -2, 0, 0, 3, 3])).tolist()).toEqual([0.5, 1.5, -1.5, -0.5, nan, nan, 0, -0]);
    const [q, r] = mx.divmod(f32([-7.5, 7.5]), 2);
    expect([q!.tolist(), r!.tolist(), q!.dtype]).toEqual([[-4, 3], [0.5, 1.5], mx.float32]);
  });
  it.each(['int32', 'float32', 'float16', 'bfloat16'])('%s keeps its dtype, with weak scalars on either side', (d) => {
    const x = mx.array(2, dt(d));
    const y = mx.array(4, dt(d));
    // the weak scalar of each dtype: a bigint (Python int) for int32, a number (Python float) for floats
    const w = (v: number): number | bigint => (d === 'int32' ? BigInt(v) : v);
    expect([mx.remainder(x, y).dtype, mx.remainder(x, y).item(), mx.remainder(y, x).item()]).toEqual([dt(d), 2, 0]);
    expect([mx.remainder(x, w(4)).dtype, mx.remainder(x, w(4)).item()]).toEqual([dt(d), 2]);
    expect([mx.remainder(w(1), x).dtype, mx.remainder(w(1), x).item()]).toEqual([dt(d), 1]);
    expect(mx.remainder(w(-1), x).item()).toBe(1);
    expect(mx.remainder(w(-1), mx.negative(x)).item()).toBe(-1);
    // a number against int32 is a float: float32 (MLX: int32 array % 4.0)
    if (d === 'int32') expect([mx.remainder(x, 4).dtype, mx.remainder(-1, x).item()]).toEqual([mx.float32, 1]);
    const av = [-1, -1, -1, -3, 1, 1, 1, 3];
    const bv = [3, 5, 7, 8, -3, -5, -7, -8];
    expect(mx.remainder(mx.array(av, dt(d)), mx.array(bv, dt(d))).tolist()).toEqual([2, 4, 6, 5, -2, -4, -6, -5]);
  });
});

describe('NaN and infinities', () => {
  it('maximum/minimum propagate NaN', () => {
    expect(mx.maximum(f32([nan, 1, nan]), f32([1, nan, nan])).tolist()).toEqual([nan, nan, nan]);
    expect(mx.minimum(f32([nan, 1, -inf]), f32([1, nan, inf])).tolist()).toEqual([nan, nan, -inf]);
    expect(mx.maximum(mx.array([1, 5], mx.uint8), mx.array([3, 2], mx.uint8)).tolist()).toEqual([3, 5]);
    expect(mx.maximum(mx.array([true, false]), mx.array([false, false])).tolist()).toEqual([true, false]);
  });
  it('logaddexp (test_logaddexp)', () => {
    const got = mx.logaddexp(f32([0, 1, 2, 9]), f32([1, 0, 4, 2.5])).tolist() as number[];
    [1.3132617473602295, 1.3132617473602295, 4.126927852630615, 9.00150203704834].forEach((w, i) => expect(sameNumber(got[i], w, 'float32', 4)).toBe(true));
    expect(mx.logaddexp(f32([inf, -inf, inf, -inf, nan]), f32([-inf, -inf, inf, 1, 0])).tolist()).toEqual([inf, -inf, inf, 1, nan]);
    expect(sameNumber(mx.logaddexp(f32([1000]), f32([1000])).item(), 1000.6931762695312, 'float32', 2)).toBe(true);
    const z = mx.logaddexp(mx.add(f32([0, 1, 2, 9]), c(0, 1)), mx.add(f32([1, 0, 4, 2.5]), c(0, 1))).tolist() as { re: number; im: number }[];
    [1.3132617473602295, 1.3132617473602295, 4.126927852630615, 9.00150203704834].forEach((w, i) => {
      expect(sameNumber(z[i]!.re, w, 'float32', 4)).toBe(true);
      expect(sameNumber(z[i]!.im, 1, 'float32', 4)).toBe(true);
    });
  });
  it('sign of NaN is 0; signs of ints and bools', () => {
    expect(mx.sign(f32([nan, -0, 0, -inf, inf, -2.5])).tolist()).toEqual([0, 0, 0, -1, 1, -1]);
    expect(mx.sign(mx.array([-3, 0, 5])).tolist()).toEqual([-1, 0, 1]);
    expect(mx.sign(mx.array([0, 5], mx.uint8)).tolist()).toEqual([0, 1]);
    expect(mx.sign(mx.array([true, false])).tolist()).toEqual([true, false]);
  });
  it('predicates (test_isnan / test_isinf)', () => {
    for (const d of [mx.float32, mx.float16, mx.bfloat16, mx.complex64]) {
      expect(mx.isnan(mx.array([0, nan]).astype(d)).tolist()).toEqual([false, true]);
      expect(mx.isinf(mx.array([0, inf]).astype(d)).tolist()).toEqual([false, true]);
    }
    expect(mx.isnan(mx.multiply(0, mx.array(inf))).item()).toBe(true);
    expect(mx.isinf(mx.multiply(0, mx.array(inf))).item()).toBe(false);
    expect(mx.isinf(mx.array([-2147483648, 0, 2147483647], mx.int32)).tolist()).toEqual([false, false, false]);
    expect(mx.isposinf(mx.array([inf, -inf, nan], mx.float16)).tolist()).toEqual([true, false, false]);
    expect(mx.isneginf(mx.array([inf, -inf, nan], mx.bfloat16)).tolist()).toEqual([false, true, false]);
    expect(mx.equal(f32([nan, 1]), f32([nan, 1])).tolist()).toEqual([false, true]);
    expect(mx.notEqual(f32([nan]), f32([nan])).tolist()).toEqual([true]);
    expect([mx.less(f32([-0]), f32([0])).item(), mx.lessEqual(f32([-0]), f32([0])).item()]).toEqual([false, true]);
  });
  it('nanToNum (test_nan_to_num)', () => {
    const src = [inf, 6.9, nan, -inf];
    const cases: [mx.Dtype, number, number][] = [[mx.float32, 3.4028234663852886e38, 6.900000095367432], [mx.float16, 65504, 6.8984375], [mx.bfloat16, 3.3895313892515355e38, 6.90625]];
    for (const [d, big, v] of cases) {
      const a = mx.array(src, d);
      expect([mx.nanToNum(a).dtype, mx.nanToNum(a).tolist()]).toEqual([d, [big, v, 0, -big]]);
      expect(mx.nanToNum(a, 0, 1000, -1000).tolist()).toEqual([1000, v, 0, -1000]);
      expect(mx.nanToNum(a, 5.5).tolist()).toEqual([big, v, 5.5, -big]);
    }
    expect(mx.nanToNum(mx.array([inf, nan], mx.float16), 0, 1e6).tolist()).toEqual([inf, 0]);
    expect(mx.nanToNum(mx.array([6, inf, 2, 0])).tolist()).toEqual([6, 3.4028234663852886e38, 2, 0]);
    expect(mx.nanToNum(mx.array([1, 2], mx.int32)).dtype).toBe(mx.int32);
  });
});

describe('round, floor, ceil (test_round)', () => {
  it('half to even, signed zeros and infinities kept', () => {
    expect(mx.round(f32([0.5, -0.5, 1.5, -1.5, -21.03, 19.98, -27, 9, 0, -inf, inf])).tolist()).toEqual([0, -0, 2, -2, -21, 20, -27, 9, 0, -inf, inf]);
    expect(mx.round(mx.array([2.5, 3.5, -2.5], mx.bfloat16)).tolist()).toEqual([2, 4, -2]);
    expect(mx.floor(f32([-1.5, -0.5, 0.5, 2])).tolist()).toEqual([-2, -1, 0, 2]);
    expect(mx.ceil(f32([-1.5, -0.5, 0.5, 2])).tolist()).toEqual([-1, -0, 1, 2]);
    expect(mx.floor(mx.array([-1.5, 0.7], mx.bfloat16)).tolist()).toEqual([-2, 0]);
  });
  it('decimals', () => {
    for (const [d, want] of [[0, [15, 122, -15, -25]], [-1, [20, 120, -20, -20]], [-2, [0, 100, 0, 0]]] as const) {
      const r = mx.round(mx.array([15, 122, -15, -25], mx.int32), d);
      expect([r.dtype, r.tolist()]).toEqual([mx.int32, want]);
    }
    expect(mx.round(f32([1.537, 1.471, 2.25, -0.05]), 1).tolist()).toEqual([1.5, 1.5, 2.200000047683716, -0]);
    expect(mx.round(f32([1.537, 1.471]), 2).tolist()).toEqual([1.5399999618530273, 1.46999990940094]);
    expect(mx.round(mx.array([1.537, 2.5, 3.5, 1000.25], mx.float16), 1).tolist()).toEqual([1.5, 2.5, 3.5, 1000]);
    const u = mx.round(mx.array([15, 250], mx.uint8), -1);
    expect([u.dtype, u.tolist()]).toEqual([mx.uint8, [20, 250]]);
    // MLX scales by 10^d and by the float32 reciprocal, so float64 keeps a float32-sized error
    expect(mx.round(mx.array([1.005, 2.675], mx.float64), 2).tolist()).toEqual([0.9999999776482582, 2.679999940097332]);
    const b = mx.round(mx.array([true, false]), 1);
    expect([b.dtype, b.tolist()]).toEqual([mx.bool, [true, false]]);
  });
});

describe('transcendental functions (float32, within a few ULP of MLX)', () => {
  const near = (got: A, want: number[], ulps = 4) => {
    const g = got.tolist() as number[];
    want.forEach((w, i) => expect(sameNumber(g[i], Math.fround(w), 'float32', ulps), `[${i}] ${g[i]} vs ${w}`).toBe(true));
  };
  it('erf and erfinv (test_erf / test_erfinv)', () => {
    near(mx.erf(f32([-3, -1, -0.5, 0, 0.5, 1, 3, inf, nan])), [-0.9999778866767883, -0.8427006602287292, -0.520500123500824, 0, 0.520500123500824, 0.8427006602287292, 0.9999778866767883, 1, nan]);
    near(mx.erfinv(f32([-1, -0.9, -0.5, 0, 0.1, 0.5, 0.9, 0.999, 1, 1.5])), [-inf, -1.163087010383606, -0.4769362807273865, 0, 0.08885598927736282, 0.4769362807273865, 1.163087010383606, 2.326756477355957, inf, nan]);
    expect(mx.erf(mx.array([0.5, 1], mx.float16)).tolist()).toEqual([0.5205078125, 0.8427734375]);
    expect(mx.erfinv(mx.array([0.5], mx.bfloat16)).tolist()).toEqual([0.4765625]);
  });
  it('exp overflows to inf; below about -88 it returns subnormals (MLX flushes them to 0: deliberate difference)', () => {
    near(mx.exp(f32([0, 1, 88.8, -87.5])), [1, 2.7182817459106445, inf, 9.98234579240284e-39]);
    expect(mx.exp(f32([-88, -104])).tolist()).toEqual([Math.fround(Math.exp(-88)), Math.fround(Math.exp(-104))]);
  });
  it('exp/log family, expm1/log1p near zero, sigmoid saturation', () => {
    near(mx.log(f32([1, 0, -1, Math.E])), [0, -inf, nan, 0.9999999403953552]);
    near(mx.log2(f32([8, 0.5])), [3, -1]);
    near(mx.log10(f32([1000, 0.01])), [3, -2]);
    near(mx.expm1(f32([1e-10, -1e-10, 700, -inf])), [1.000000013351432e-10, -1.000000013351432e-10, inf, -1]);
    near(mx.log1p(f32([1e-10, -1, -2])), [1.000000013351432e-10, -inf, nan]);
    near(mx.rsqrt(f32([4, 0, -0])), [0.5, inf, -inf]);
    expect(mx.reciprocal(mx.array([0, 4])).tolist()).toEqual([inf, 0.25]);
    // MLX flushes sigmoid(-100) to 0 like exp; mlx-ts returns the subnormal (deliberate difference)
    near(mx.sigmoid(f32([0, 2, 100, -inf, inf])), [0.5, 0.8807970881462097, 1, 0, 1]);
    expect(mx.sigmoid(f32([-100])).item()).toBe(Math.fround(1 / (1 + Math.exp(100))));
  });
  it('trigonometric and hyperbolic', () => {
    near(mx.sin(f32([0, Math.PI / 2])), [0, 1]);
    near(mx.cos(f32([0, Math.PI])), [1, -1]);
    near(mx.tan(f32([0, Math.PI / 4])), [0, 1]);
    near(mx.arcsin(f32([1, -0.5, 2])), [1.5707963705062866, -0.5235987901687622, nan]);
    near(mx.arccos(f32([1, -1, 0.5])), [0, 3.1415927410125732, 1.0471975803375244]);
    near(mx.arctan(f32([1, -inf])), [0.7853981852531433, -1.5707963705062866]);
    near(mx.sinh(f32([1, -0])), [1.175201177597046, -0]);
    near(mx.cosh(f32([0, 1])), [1, 1.5430805683135986]);
    near(mx.tanh(f32([0.5, 100])), [0.46211716532707214, 1]);
    near(mx.arcsinh(f32([1])), [0.8813735842704773]);
    near(mx.arccosh(f32([1, 2, 0.5])), [0, 1.316957950592041, nan]);
    near(mx.arctanh(f32([0.5, 1, -1, 2])), [0.5493061542510986, inf, -inf, nan]);
    near(mx.arctan2(f32([1, -1, 0, -0, 1]), f32([-1, -1, -1, -1, 0])), [2.356194496154785, -2.356194496154785, 3.1415927410125732, -3.1415927410125732, 1.5707963705062866]);
    near(mx.degrees(f32([Math.PI, -Math.PI / 2])), [180, -90]);
    near(mx.radians(mx.array([180, 90], mx.int32)), [3.1415927410125732, 1.5707963705062866]);
    expect(mx.radians(mx.array([180], mx.float16)).tolist()).toEqual([3.142578125]);
  });
  it('power', () => {
    // integer powers stay integers; negative integer exponents give 0 (MLX)
    const ip = mx.power(mx.array([2, 3, -2, 1, -1, 0], mx.int32), mx.array([3, -1, 0, -5, -3, -1], mx.int32));
    expect([ip.dtype, ip.tolist()]).toEqual([mx.int32, [8, 0, 1, 0, 0, 0]]);
    expect(mx.power(f32([-8, 0, 4]), f32([1 / 3, -1, 0.5])).tolist()).toEqual([nan, inf, 2]);
    expect(mx.power(mx.broadcastTo(mx.array([2], mx.int32), [2, 3]), mx.reshape(mx.arange(6, mx.int32), [2, 3])).tolist()).toEqual([[1, 2, 4], [8, 16, 32]]);
  });
});

describe('float16 / bfloat16 results are rounded to the dtype', () => {
  it('float16', () => {
    const h = mx.array([0.1, 1 / 3, 2049, 65504], mx.float16);
    expect(h.tolist()).toEqual([0.0999755859375, 0.333251953125, 2048, 65504]);
    expect(mx.add(h, mx.array([0.2, 1 / 3, 1, 32], mx.float16)).tolist()).toEqual([0.2998046875, 0.66650390625, 2048, inf]);
    expect(mx.multiply(h, mx.array([3, 3, 1, 2], mx.float16)).tolist()).toEqual([0.2998046875, 1, 2048, inf]);
    expect(mx.add(mx.array([1], mx.float16), mx.array([1e-4], mx.float16)).tolist()).toEqual([1]);
    expect(mx.add(mx.array([2048], mx.float16), mx.array([1], mx.float16)).tolist()).toEqual([2048]);
    expect(mx.add(mx.array([2048], mx.float16), mx.array([3], mx.float16)).tolist()).toEqual([2052]);
    expect(mx.sqrt(mx.array([2, 3], mx.float16)).tolist()).toEqual([1.4140625, 1.732421875]);
    expect(mx.exp(mx.array([1, 11.1], mx.float16)).tolist()).toEqual([2.71875, inf]);
  });
  it('bfloat16', () => {
    const b = mx.array([0.1, 1 / 3, 257, 3e38], mx.bfloat16);
    expect(b.tolist()).toEqual([0.10009765625, 0.333984375, 256, 3.00405527047391e38]);
    expect(mx.add(b, mx.array([0.2, 1 / 3, 1, 3e38], mx.bfloat16)).tolist()).toEqual([0.30078125, 0.66796875, 256, inf]);
    expect(mx.divide(b, mx.array([3, 3, 3, 0.5], mx.bfloat16)).tolist()).toEqual([0.033447265625, 0.111328125, 85.5, inf]);
    expect(mx.sqrt(mx.array([2, 3], mx.bfloat16)).tolist()).toEqual([1.4140625, 1.734375]);
  });
});

describe('bitwise and logical ops (test_bitwise_ops)', () => {
  it('values', () => {
    expect(mx.bitwiseAnd(mx.array([12, -1], mx.int32), mx.array([10, 255], mx.int32)).tolist()).toEqual([8, 255]);
    expect(mx.bitwiseOr(mx.array([12], mx.uint8), 3n).tolist()).toEqual([15]);
    expect(mx.bitwiseXor(mx.array([true, true]), mx.array([true, false])).tolist()).toEqual([false, true]);
    expect(mx.bitwiseAnd(mx.array([5], mx.int8), mx.array([3], mx.uint8)).dtype).toBe(mx.int16);
    expect(mx.bitwiseInvert(mx.array([0, 255], mx.uint8)).tolist()).toEqual([255, 0]);
    expect(mx.bitwiseInvert(mx.array([0, -1, 5], mx.int32)).tolist()).toEqual([-1, 0, -6]);
    expect(mx.bitwiseInvert(mx.array([true, false])).tolist()).toEqual([false, true]);
  });
  it('shifts: arithmetic right shift, bool shifts as uint8, weak ints promote bool', () => {
    expect(mx.rightShift(mx.array([-8, -1, 7], mx.int32), 1n).tolist()).toEqual([-4, -1, 3]);
    expect(mx.rightShift(mx.array([255], mx.uint8), 4n).tolist()).toEqual([15]);
    expect(mx.leftShift(mx.array([1], mx.int8), 7n).tolist()).toEqual([-128]);
    const bs = mx.leftShift(mx.array([true, false]), mx.array([true, true]));
    expect([bs.dtype, bs.tolist()]).toEqual([mx.uint8, [2, 0]]);
    const bi = mx.leftShift(mx.array([true]), 3n);
    expect([bi.dtype, bi.tolist()]).toEqual([mx.int32, [8]]);
    // a number shift count is a float (MLX: left_shift(bool array, 3.0) raises)
    expect(() => mx.leftShift(mx.array([true]), 3)).toThrow(/left_shift/);
    expect(() => mx.rightShift(mx.array([255], mx.uint8), 4)).toThrow(/right_shift/);
  });
  it('logical ops treat any non-zero (NaN included) as true', () => {
    expect(mx.logicalAnd(mx.array([1, 0, 2]), f32([0.5, 1, 0])).tolist()).toEqual([true, false, false]);
    expect(mx.logicalOr(mx.array([0, 0]), f32([0, -0])).tolist()).toEqual([false, false]);
    expect(mx.logicalOr(f32([0]), nan).tolist()).toEqual([true]);
    expect(mx.logicalNot(mx.array([0, 3, -1])).tolist()).toEqual([true, false, false]);
    expect(mx.logicalNot(f32([0, -0, nan])).tolist()).toEqual([true, true, false]);
  });
});

describe('where, clip, isclose, allclose, arrayEqual', () => {
  it('where (test_where)', () => {
    expect(mx.where(true, mx.array([[1, 2], [3, 4]]), 1).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(mx.where(f32([0, 2, nan]), 1, 0).tolist()).toEqual([0, 1, 1]);
    const w = mx.where(mx.array([true]), mx.array([1], mx.int8), mx.array([2], mx.uint8));
    expect([w.dtype, w.tolist()]).toEqual([mx.int16, [1]]);
    const h = mx.where(mx.array([true, false]), 1.5, mx.array([2], mx.float16));
    expect([h.dtype, h.tolist()]).toEqual([mx.float16, [1.5, 2]]);
    expect(mx.where(mx.array([true, false]), 1n, 2n).dtype).toBe(mx.int32);
    expect(mx.where(mx.array([true, false]), 1, 2).dtype).toBe(mx.float32);
    expect(mx.where(true, mx.array([[1, 2], [3, 4]], mx.int32), 1n).dtype).toBe(mx.int32);
    expect(mx.where(true, mx.array([[1, 2], [3, 4]], mx.int32), 1).dtype).toBe(mx.float32);
    // a non-contiguous input with several dimensions
    const x = mx.asStrided(mx.arange(16, mx.float32), [1, 2, 2, 3, 3, 1], [16, 4, 1, 4, 1, 1]);
    expect(mx.reshape(mx.where(mx.greater(x, 7), x, mx.negative(x)), [-1]).tolist()).toEqual([
      -0, -1, -2, -4, -5, -6, 8, 9, 10, -1, -2, -3, -5, -6, -7, 9, 10, 11, -4, -5, -6, 8, 9, 10, 12, 13, 14, -5, -6, -7, 9, 10, 11, 13, 14, 15,
    ]);
  });
  it('clip (test_clip)', () => {
    expect(mx.clip(mx.array([1, 4, 3, 8, 5]), 2, 6).tolist()).toEqual([2, 4, 3, 6, 5]);
    expect(mx.clip(mx.array([-1, 1, 0, 5]), 0, null).tolist()).toEqual([0, 1, 0, 5]);
    expect(mx.clip(mx.array([2, 3, 4, 5]), null, 4).tolist()).toEqual([2, 3, 4, 4]);
    expect(mx.clip(mx.array([2, 3, 4, 5]), mx.array([3, 1, 5, 5]), 4).tolist()).toEqual([3, 3, 4, 4]);
    expect(mx.clip(mx.array([2, 3, 4, 5]), mx.array([3, 1, 5, 5]), mx.array([5, -1, 2, 9])).tolist()).toEqual([3, -1, 2, 5]);
    const a = mx.array([1, 2, 3], mx.int16);
    expect([mx.clip(a, 0n, 5n).dtype, mx.clip(a, 0, 5).dtype, mx.clip(a, 0.0 + 0.5, 5).dtype]).toEqual([mx.int16, mx.float32, mx.float32]);
    expect(mx.clip(mx.array([1, 2, 3], mx.float16), 0.5, 5).dtype).toBe(mx.float16);
    expect(mx.clip(f32([nan, 1, 10]), 0, 5).tolist()).toEqual([nan, 1, 5]);
  });
  it('isclose (test_isclose)', () => {
    expect(mx.isclose(f32([inf, inf, -inf]), f32([inf, -inf, -inf])).tolist()).toEqual([true, false, true]);
    expect(mx.isclose(f32([nan]), f32([nan])).tolist()).toEqual([false]);
    expect(mx.isclose(f32([nan]), f32([nan]), 1e-5, 1e-8, true).tolist()).toEqual([true]);
    expect(mx.isclose(f32([1, 100, 1e-9, inf]), f32([1.00001, 100.001, 0, 1e30])).tolist()).toEqual([false, true, true, false]);
    expect(mx.isclose(f32([1, 1.1]), f32([1.05, 1]), 0.1).tolist()).toEqual([true, false]);
    expect(mx.isclose(f32([1, 1.1]), f32([1.05, 1]), 0, 0.06).tolist()).toEqual([true, false]);
    const i = mx.isclose(mx.array([1, 2]), mx.array([1, 3]));
    expect([i.dtype, i.tolist()]).toEqual([mx.bool, [true, false]]);
  });
  it('allclose returns a 0-d bool array (as MLX)', () => {
    const t = mx.allclose(f32([1, inf]), f32([1, inf]));
    expect([t.dtype, t.shape, t.item()]).toEqual([mx.bool, [], true]);
    expect(mx.allclose(f32([1, nan]), f32([1, nan])).item()).toBe(false);
    expect(mx.allclose(f32([1, nan]), f32([1, nan]), 1e-5, 1e-8, true).item()).toBe(true);
    expect(mx.allclose(f32([1, 2]), mx.array([[1, 2], [1, 2]], mx.float32)).item()).toBe(true);
    expect(mx.allclose(mx.round(f32([1.537, 1.471]), 1), f32([1.5, 1.5])).item()).toBe(true);
  });
  it('arrayEqual (test_array_equal)', () => {
    const x = mx.array([1, 2, 3, 4]);
    expect(mx.arrayEqual(x, mx.array([1, 2, 3, 4])).item()).toBe(true);
    expect(mx.arrayEqual(x, mx.array([1, 2, 4, 5])).item()).toBe(false);
    expect(mx.arrayEqual(x, mx.array([1, 2, 3])).item()).toBe(false);
    expect(mx.arrayEqual(x, f32([1, 2, 3, 4])).item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([[1, 2]])).item()).toBe(false);
    expect(mx.arrayEqual(mx.array([1, 2], mx.int64), mx.array([1, 2], mx.uint64)).item()).toBe(true);
    expect(mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2])).dtype).toBe(mx.bool);
    expect(mx.arrayEqual(f32([]), f32([])).item()).toBe(true);
    for (const d of [mx.float32, mx.float16, mx.bfloat16, mx.complex64]) {
      const y = mx.array([0, nan]).astype(d);
      expect([mx.arrayEqual(y, y).item(), mx.arrayEqual(y, y, true).item()]).toEqual([false, true]);
    }
  });
});

describe('strided and broadcast inputs', () => {
  const m = mx.reshape(mx.arange(12), [3, 4]);
  it('transposed, reversed and broadcast views', () => {
    expect(mx.subtract(m.T, mx.array([1, 2, 3])).tolist()).toEqual([[-1, 2, 5], [0, 3, 6], [1, 4, 7], [2, 5, 8]]);
    expect(mx.maximum(m.index(mx.Slice(), mx.Slice(null, null, -2)), mx.array([[5], [6], [7]])).tolist()).toEqual([[5, 5], [7, 6], [11, 9]]);
    const row = mx.broadcastTo(mx.array([1, 2, 3, 4]), [3, 4]);
    expect(mx.multiply(m, row).tolist()).toEqual([[0, 2, 6, 12], [4, 10, 18, 28], [8, 18, 30, 44]]);
  });
  it('every op gives on a view what it gives on a contiguous copy', () => {
    const x = mx.transpose(mx.reshape(mx.array([-2.5, -1, -0.5, 0, 0.5, 1, 2, 3, nan, inf, -inf, 0.25], mx.float32), [3, 4]));
    const y = mx.broadcastTo(f32([0.5, -2, 3]), [4, 3]);
    const xc = mx.copy(x);
    const yc = mx.copy(y);
    const bad: string[] = [];
    for (const op of Object.keys(UNARY_DTYPES)) {
      const f = UNARY_FNS[op] ?? un(op);
      if (op === 'bitwiseInvert') continue;
      if (JSON.stringify(f(x).tolist()) !== JSON.stringify(f(xc).tolist())) bad.push(op);
    }
    for (const op of Object.keys(BINARY_DTYPES)) {
      const f = BINARY_FNS[op] ?? bin(op);
      if (op.startsWith('bitwise') || op.endsWith('Shift') || op === 'whereXY') continue;
      if (JSON.stringify(f(x, y).tolist()) !== JSON.stringify(f(xc, yc).tolist())) bad.push(op);
    }
    const cond = mx.greater(x, 0);
    if (JSON.stringify(mx.where(cond, x, y).tolist()) !== JSON.stringify(mx.where(mx.copy(cond), xc, yc).tolist())) bad.push('where');
    const xi = mx.transpose(mx.reshape(mx.arange(-6, 6, mx.int32), [3, 4]));
    const yi = mx.broadcastTo(mx.array([1, 2, 3], mx.int32), [4, 3]);
    for (const op of ['bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'leftShift', 'rightShift', 'floorDivide', 'remainder']) {
      if (JSON.stringify(bin(op)(xi, yi).tolist()) !== JSON.stringify(bin(op)(mx.copy(xi), mx.copy(yi)).tolist())) bad.push(op);
    }
    expect(bad).toEqual([]);
  });
});

describe('array methods mirror the ops', () => {
  const x = f32([-1.5, 0.25, 2]);
  const y = f32([2, -0.5, 2]);
  const same = (a: A, b: A) => expect(JSON.stringify([a.dtype.name, a.tolist()])).toBe(JSON.stringify([b.dtype.name, b.tolist()]));
  const unaryMethods = ['abs', 'negative', 'sign', 'square', 'sqrt', 'rsqrt', 'reciprocal', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan',
    'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'sigmoid', 'erf', 'erfinv', 'floor', 'ceil', 'round',
    'degrees', 'radians', 'isnan', 'isinf', 'isposinf', 'isneginf', 'isfinite', 'logicalNot', 'real', 'imag', 'conjugate', 'conj', 'stopGradient'];
  const binaryMethods = ['add', 'subtract', 'multiply', 'divide', 'power', 'floorDivide', 'remainder', 'maximum', 'minimum', 'logaddexp', 'arctan2',
    'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'];
  const methods = (a: A) => a as unknown as Record<string, (...args: unknown[]) => A>;
  it.each(unaryMethods)('%s()', (op) => same(methods(x)[op]!(), fns[op]!(x)));
  it.each(binaryMethods)('%s(other)', (op) => {
    same(methods(x)[op]!(y), fns[op]!(x, y));
    same(methods(x)[op]!(3), fns[op]!(x, 3));
  });
  it('integer-only, round, divmod and clip methods', () => {
    const i = mx.array([12, -7, 5], mx.int32);
    for (const op of ['bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'leftShift', 'rightShift']) same(methods(i)[op]!(2n), fns[op]!(i, 2n));
    same(i.bitwiseInvert(), mx.bitwiseInvert(i));
    same(x.round(1), mx.round(x, 1));
    same(i.round(-1), mx.round(i, -1));
    const [q, r] = i.divmod(5n);
    expect([q!.dtype, q!.tolist(), r!.tolist()]).toEqual([mx.int32, [2, -2, 1], [2, 3, 0]]);
    same(x.clip(0, 1), mx.clip(x, 0, 1));
    same(x.clip(null, 1), mx.clip(x, null, 1));
  });
});

describe('properties', () => {
  const i32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  const i32s = fc.array(i32, { minLength: 1, maxLength: 6 });
  const pairOf = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.tuple(arb, arb), { minLength: 1, maxLength: 6 });
  it('add, multiply, maximum commute on ints; a - a = 0', () => {
    fc.assert(
      fc.property(pairOf(i32), fc.constantFrom(mx.int8, mx.int16, mx.int32, mx.uint8, mx.uint32), (ps, d) => {
        const a = mx.array(ps.map((p) => p[0]), mx.int32).astype(d);
        const b = mx.array(ps.map((p) => p[1]), mx.int32).astype(d);
        for (const f of [mx.add, mx.multiply, mx.maximum, mx.minimum, mx.bitwiseXor]) expect(f(a, b).tolist()).toEqual(f(b, a).tolist());
        expect(mx.subtract(a, a).tolist()).toEqual(ps.map(() => 0));
      }),
      { numRuns: 40 },
    );
  });
  it('int32 add/subtract/multiply wrap like JS int32 arithmetic; int64 like BigInt.asIntN(64)', () => {
    fc.assert(
      fc.property(pairOf(i32), pairOf(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), (ps, qs) => {
        const a = mx.array(ps.map((p) => p[0]), mx.int32);
        const b = mx.array(ps.map((p) => p[1]), mx.int32);
        expect(mx.add(a, b).tolist()).toEqual(ps.map(([x, y]) => (x + y) | 0));
        expect(mx.subtract(a, b).tolist()).toEqual(ps.map(([x, y]) => (x - y) | 0));
        expect(mx.multiply(a, b).tolist()).toEqual(ps.map(([x, y]) => Math.imul(x, y)));
        const c64 = mx.array(qs.map((p) => p[0]), mx.int64);
        const d64 = mx.array(qs.map((p) => p[1]), mx.int64);
        const big = (v: unknown) => BigInt(v as number | bigint);
        expect((mx.multiply(c64, d64).tolist() as unknown[]).map(big)).toEqual(qs.map(([x, y]) => BigInt.asIntN(64, x * y)));
        expect((mx.add(c64, d64).tolist() as unknown[]).map(big)).toEqual(qs.map(([x, y]) => BigInt.asIntN(64, x + y)));
      }),
      { numRuns: 40 },
    );
  });
  it('comparisons agree with JS (int32 and float32, NaN included)', () => {
    const fl = fc.float({ noDefaultInfinity: false });
    fc.assert(
      fc.property(i32s, i32, pairOf(fl), (xs, k, fs) => {
        const a = mx.array(xs, mx.int32);
        // a bigint is a weak int: compared in int32 (a number would be a float32 operand)
        expect(mx.less(a, BigInt(k)).tolist()).toEqual(xs.map((v) => v < k));
        expect(mx.greaterEqual(a, BigInt(k)).tolist()).toEqual(xs.map((v) => v >= k));
        expect(mx.equal(a, BigInt(k)).tolist()).toEqual(xs.map((v) => v === k));
        const fa = f32(fs.map((p) => p[0]));
        const fb = f32(fs.map((p) => p[1]));
        expect(mx.less(fa, fb).tolist()).toEqual(fs.map(([x, y]) => x < y));
        expect(mx.lessEqual(fa, fb).tolist()).toEqual(fs.map(([x, y]) => x <= y));
        expect(mx.greater(fa, fb).tolist()).toEqual(fs.map(([x, y]) => x > y));
        expect(mx.notEqual(fa, fb).tolist()).toEqual(fs.map(([x, y]) => x !== y));
      }),
      { numRuns: 40 },
    );
  });
  it('exp(log(x)) = x for positive float32 within a few ULP', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: Math.fround(1e-30), max: Math.fround(1e30), noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
        const got = mx.exp(mx.log(f32(xs))).tolist() as number[];
        // exp amplifies log's half-ULP rounding by |log x|, hence the |log x| factor
        xs.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual((4 + Math.abs(Math.log(v))) * ulp(v, 'float32')));
      }),
      { numRuns: 40 },
    );
  });
  it('divmod recombines: q * b + r = a, with r of the sign of b and |r| < |b|', () => {
    const nz = i32.filter((v) => v !== 0 && v !== -1);
    fc.assert(
      fc.property(fc.array(fc.tuple(i32, nz), { minLength: 1, maxLength: 6 }), (ps) => {
        const a = mx.array(ps.map((p) => p[0]), mx.int32);
        const b = mx.array(ps.map((p) => p[1]), mx.int32);
        const [q, r] = mx.divmod(a, b);
        expect(mx.add(mx.multiply(q!, b), r!).tolist()).toEqual(ps.map((p) => p[0]));
        const rs = r!.tolist() as number[];
        ps.forEach(([, y], i) => {
          expect(rs[i] === 0 || Math.sign(rs[i]!) === Math.sign(y)).toBe(true);
          expect(Math.abs(rs[i]!)).toBeLessThan(Math.abs(y));
        });
        expect(q!.tolist()).toEqual(mx.floorDivide(a, b).tolist());
        expect(r!.tolist()).toEqual(mx.remainder(a, b).tolist());
      }),
      { numRuns: 40 },
    );
  });
});

// ---- tables generated from MLX 0.32.4 ----

const UNARY_DTYPES: Record<string, string> = {
  abs: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 float32',
  negative: 'ERR uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  sign: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  square: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  sqrt: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  rsqrt: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  reciprocal: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  exp: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  expm1: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 ERR',
  log: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  log2: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  log10: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  log1p: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  sin: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  cos: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  tan: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arcsin: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arccos: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arctan: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  sinh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  cosh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  tanh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arcsinh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arccosh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arctanh: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  sigmoid: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 ERR',
  erf: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 ERR',
  erfinv: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 ERR',
  floor: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 ERR',
  ceil: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 ERR',
  round: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  round1: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  degrees: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  radians: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  isnan: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  isinf: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  isposinf: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  isneginf: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  isfinite: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  logicalNot: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  bitwiseInvert: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  real: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 float32',
  imag: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 float32',
  conjugate: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  stopGradient: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  nanToNum: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 ERR ERR',
};
const BINARY_DTYPES: Record<string, string> = {
  add: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  subtract: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  multiply: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  divide: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  power: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  floorDivide: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  remainder: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 ERR',
  divmod0: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 ERR',
  maximum: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  minimum: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  logaddexp: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  arctan2: 'float32 float32 float32 float32 float32 float32 float32 float32 float32 float16 bfloat16 float32 float64 ERR',
  equal: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  notEqual: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  less: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  lessEqual: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  greater: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  greaterEqual: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  logicalAnd: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  logicalOr: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  bitwiseAnd: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  bitwiseOr: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  bitwiseXor: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  leftShift: 'uint8 uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  rightShift: 'uint8 uint8 uint16 uint32 uint64 int8 int16 int32 int64 ERR ERR ERR ERR ERR',
  isclose: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  arrayEqual: 'bool bool bool bool bool bool bool bool bool bool bool bool bool bool',
  whereXY: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  clip: 'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
};
// add(a, b) for every pair: PROMOTION[i] lists the result for DTYPES[i] with each DTYPES[j].
const PROMOTION: string[] = [
  'bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  'uint8 uint8 uint16 uint32 uint64 int16 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  'uint16 uint16 uint16 uint32 uint64 int32 int32 int32 int64 float16 bfloat16 float32 float64 complex64',
  'uint32 uint32 uint32 uint32 uint64 int64 int64 int64 int64 float16 bfloat16 float32 float64 complex64',
  'uint64 uint64 uint64 uint64 uint64 float32 float32 float32 float32 float16 bfloat16 float32 float64 complex64',
  'int8 int16 int32 int64 float32 int8 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  'int16 int16 int32 int64 float32 int16 int16 int32 int64 float16 bfloat16 float32 float64 complex64',
  'int32 int32 int32 int64 float32 int32 int32 int32 int64 float16 bfloat16 float32 float64 complex64',
  'int64 int64 int64 int64 float32 int64 int64 int64 int64 float16 bfloat16 float32 float64 complex64',
  'float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float32 float32 float64 complex64',
  'bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 bfloat16 float32 bfloat16 float32 float64 complex64',
  'float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float64 complex64',
  'float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 complex64',
  'complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64 complex64',
];

// Float unary ops: the shared input per dtype (X rounded to it), then [op, dtype, MLX output].
const FLOAT_UNARY_IN: Record<string, number[]> = {
  float32: [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN],
  float16: [-100, -2.5, -1, -0.9990234375, -0.5, -0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, Infinity, -Infinity, NaN],
  bfloat16: [-100, -2.5, -1, -1, -0.5, -0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, Infinity, -Infinity, NaN],
  float64: [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN],
};
const FLOAT_UNARY: [string, string, Out][] = [
  ['abs', 'float32', [100, 2.5, 1, 0.999, 0.5, 0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, Infinity, NaN]],
  ['negative', 'float32', [100, 2.5, 1, 0.999, 0.5, 0, -0, -1e-07, -0.3, -0.99, -1, -2.5, -10, -100, -Infinity, Infinity, NaN]],
  ['sign', 'float32', [-1, -1, -1, -1, -1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0]],
  ['square', 'float32', [10000, 6.25, 1, 0.99800104, 0.25, 0, 0, 1e-14, 0.09, 0.98010004, 1, 6.25, 100, 10000, Infinity, Infinity, NaN]],
  ['sqrt', 'float32', [NaN, NaN, NaN, NaN, NaN, -0, 0, 0.00031622776, 0.5477226, 0.9949874, 1, 1.5811388, 3.1622777, 10, Infinity, NaN, NaN]],
  ['rsqrt', 'float32', [NaN, NaN, NaN, NaN, NaN, -Infinity, Infinity, 3162.2778, 1.8257418, 1.0050378, 1, 0.6324555, 0.31622776, 0.1, 0, NaN, NaN]],
  ['reciprocal', 'float32', [-0.01, -0.4, -1, -1.001001, -2, -Infinity, Infinity, 1e+07, 3.3333333, 1.010101, 1, 0.4, 0.1, 0.01, 0, -0, NaN]],
  ['exp', 'float32', [0, 0.082085, 0.36787945, 0.3682475, 0.60653067, 1, 1, 1.0000001, 1.3498588, 2.6912344, 2.7182817, 12.182494, 22026.467, Infinity, Infinity, 0, NaN]],
  ['expm1', 'float32', [-1, -0.917915, -0.63212055, -0.6317525, -0.39346933, -0, 0, 1.0000001e-07, 0.34985882, 1.6912345, 1.7182817, 11.182494, 22025.465, Infinity, Infinity, -1, NaN]],
  ['log', 'float32', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -16.118095, -1.2039728, -0.010050327, 0, 0.91629076, 2.3025851, 4.6051702, Infinity, NaN, NaN]],
  ['log2', 'float32', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -23.253496, -1.7369655, -0.014499555, 0, 1.3219281, 3.321928, 6.643856, Infinity, NaN, NaN]],
  ['log10', 'float32', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -7, -0.5228787, -0.0043648016, 0, 0.39794, 1, 2, Infinity, NaN, NaN]],
  ['log1p', 'float32', [NaN, NaN, -Infinity, -6.9077682, -0.6931472, -0, 0, 9.9999994e-08, 0.26236427, 0.6881347, 0.6931472, 1.252763, 2.3978953, 4.6151204, Infinity, NaN, NaN]],
  ['sin', 'float32', [0.50636566, -0.5984722, -0.84147096, -0.8409303, -0.47942555, 0, 0, 1e-07, 0.29552022, 0.83602595, 0.84147096, 0.5984722, -0.54402107, -0.50636566, NaN, NaN, NaN]],
  ['cos', 'float32', [0.8623189, -0.8011436, 0.5403023, 0.5411435, 0.87758255, 1, 1, 1, 0.9553365, 0.54868984, 0.5403023, -0.8011436, -0.8390715, 0.8623189, NaN, NaN, NaN]],
  ['tan', 'float32', [0.58721393, 0.74702233, -1.5574077, -1.5539876, -0.5463025, -0, 0, 1e-07, 0.30933627, 1.5236768, 1.5574077, -0.74702233, 0.64836085, -0.58721393, NaN, NaN, NaN]],
  ['arcsin', 'float32', [NaN, NaN, -1.5707964, -1.5260715, -0.5235988, -0, 0, 1e-07, 0.30469266, 1.4292569, 1.5707964, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arccos', 'float32', [NaN, NaN, 3.1415927, 3.0968678, 2.0943952, 1.5707964, 1.5707964, 1.5707963, 1.2661036, 0.14153941, 0, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan', 'float32', [-1.5607966, -1.19029, -0.7853982, -0.7848979, -0.4636476, -0, 0, 1e-07, 0.29145682, 0.7803731, 0.7853982, 1.19029, 1.4711276, 1.5607966, 1.5707964, -1.5707964, NaN]],
  ['sinh', 'float32', [-Infinity, -6.0502048, -1.1752012, -1.1736587, -0.5210953, -0, 0, 1e-07, 0.3045203, 1.1598289, 1.1752012, 6.0502048, 11013.232, Infinity, Infinity, -Infinity, NaN]],
  ['cosh', 'float32', [Infinity, 6.1322894, 1.5430806, 1.5419062, 1.127626, 1, 1, 1, 1.0453385, 1.5314057, 1.5430806, 6.1322894, 11013.232, Infinity, Infinity, Infinity, NaN]],
  ['tanh', 'float32', [-1, -0.9866143, -0.7615942, -0.7611738, -0.46211717, -0, 0, 1.0000001e-07, 0.2913126, 0.75736225, 0.7615942, 0.9866143, 1, 1, 1, -1, NaN]],
  ['arcsinh', 'float32', [-5.298342, -1.6472312, -0.8813736, -0.8806663, -0.48121184, -0, 0, 1e-07, 0.29567307, 0.8742848, 0.8813736, 1.6472312, 2.9982228, 5.298342, Infinity, -Infinity, NaN]],
  ['arccosh', 'float32', [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0, 1.5667993, 2.993223, 5.298292, Infinity, NaN, NaN]],
  ['arctanh', 'float32', [NaN, NaN, -Infinity, -3.8002076, -0.54930615, -0, 0, 1e-07, 0.30951962, 2.646653, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['sigmoid', 'float32', [0, 0.075858176, 0.26894143, 0.26913807, 0.37754068, 0.5, 0.5, 0.5, 0.5744425, 0.72908795, 0.7310586, 0.9241418, 0.9999546, 1, 1, 0, NaN]],
  ['erf', 'float32', [-1, -0.99959296, -0.84270066, -0.84228516, -0.5205001, -0, -0, 0, 0.3286267, 0.83850795, 0.84270066, 0.99959296, 1, 1, 1, -1, NaN]],
  ['erfinv', 'float32', [NaN, NaN, -Infinity, -2.3267565, -0.47693628, -0, 0, 8.862269e-08, 0.27246276, 1.8213865, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floor', 'float32', [-100, -3, -1, -1, -1, -0, 0, 0, 0, 0, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['ceil', 'float32', [-100, -2, -1, -0, -0, -0, 0, 1, 1, 1, 1, 3, 10, 100, Infinity, -Infinity, NaN]],
  ['round', 'float32', [-100, -2, -1, -1, -0, -0, 0, 0, 0, 1, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['degrees', 'float32', [-5729.578, -143.23946, -57.29578, -57.238483, -28.64789, -0, 0, 5.729578e-06, 17.188734, 56.722824, 57.29578, 143.23946, 572.9578, 5729.578, Infinity, -Infinity, NaN]],
  ['radians', 'float32', [-1.7453293, -0.04363323, -0.017453292, -0.01743584, -0.008726646, -0, 0, 1.7453292e-09, 0.0052359877, 0.017278759, 0.017453292, 0.04363323, 0.17453292, 1.7453293, Infinity, -Infinity, NaN]],
  ['isnan', 'float32', '00000000000000001'],
  ['isinf', 'float32', '00000000000000110'],
  ['isposinf', 'float32', '00000000000000100'],
  ['isneginf', 'float32', '00000000000000010'],
  ['isfinite', 'float32', '11111111111111000'],
  ['logicalNot', 'float32', '00000110000000000'],
  ['nanToNum', 'float32', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, 3.4028235e+38, -3.4028235e+38, 0]],
  ['stopGradient', 'float32', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['conjugate', 'float32', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['real', 'float32', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['imag', 'float32', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ['abs', 'float16', [100, 2.5, 1, 0.9990234375, 0.5, 0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, Infinity, Infinity, NaN]],
  ['negative', 'float16', [100, 2.5, 1, 0.9990234375, 0.5, 0, -0, -1.1920928955078125e-07, -0.300048828125, -0.990234375, -1, -2.5, -10, -100, -Infinity, Infinity, NaN]],
  ['sign', 'float16', [-1, -1, -1, -1, -1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0]],
  ['square', 'float16', [10000, 6.25, 1, 0.998046875, 0.25, 0, 0, 0, 0.09002685546875, 0.98046875, 1, 6.25, 100, 10000, Infinity, Infinity, NaN]],
  ['sqrt', 'float16', [NaN, NaN, NaN, NaN, NaN, -0, 0, 0.0003452301025390625, 0.5478515625, 0.9951171875, 1, 1.5810546875, 3.162109375, 10, Infinity, NaN, NaN]],
  ['rsqrt', 'float16', [NaN, NaN, NaN, NaN, NaN, -Infinity, Infinity, 2896, 1.8251953125, 1.0048828125, 1, 0.63232421875, 0.316162109375, 0.0999755859375, 0, NaN, NaN]],
  ['reciprocal', 'float16', [-0.01000213623046875, -0.39990234375, -1, -1.0009765625, -2, -Infinity, Infinity, Infinity, 3.33203125, 1.009765625, 1, 0.39990234375, 0.0999755859375, 0.01000213623046875, 0, -0, NaN]],
  ['exp', 'float16', [0, 0.08209228515625, 0.367919921875, 0.3681640625, 0.6064453125, 1, 1, 1, 1.349609375, 2.69140625, 2.71875, 12.1796875, 22032, Infinity, Infinity, 0, NaN]],
  ['expm1', 'float16', [-1, -0.91796875, -0.63232421875, -0.6318359375, -0.3935546875, -0, 0, 1.1920928955078125e-07, 0.349853515625, 1.69140625, 1.71875, 11.1796875, 22032, Infinity, Infinity, -1, NaN]],
  ['log', 'float16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -15.9453125, -1.2041015625, -0.0098114013671875, 0, 0.91650390625, 2.302734375, 4.60546875, Infinity, NaN, NaN]],
  ['log2', 'float16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -23, -1.736328125, -0.01416015625, 0, 1.322265625, 3.322265625, 6.64453125, Infinity, NaN, NaN]],
  ['log10', 'float16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -6.921875, -0.52294921875, -0.004261016845703125, 0, 0.39794921875, 1, 2, Infinity, NaN, NaN]],
  ['log1p', 'float16', [NaN, NaN, -Infinity, -6.9296875, -0.693359375, -0, 0, 1.1920928955078125e-07, 0.262451171875, 0.6884765625, 0.693359375, 1.2529296875, 2.3984375, 4.61328125, Infinity, NaN, NaN]],
  ['sin', 'float16', [0.50634765625, -0.5986328125, -0.84130859375, -0.8408203125, -0.4794921875, 0, 0, 1.1920928955078125e-07, 0.295654296875, 0.8359375, 0.84130859375, 0.5986328125, -0.5439453125, -0.50634765625, NaN, NaN, NaN]],
  ['cos', 'float16', [0.8623046875, -0.80126953125, 0.54052734375, 0.541015625, 0.87744140625, 1, 1, 1, 0.955078125, 0.54833984375, 0.54052734375, -0.80126953125, -0.8388671875, 0.8623046875, NaN, NaN, NaN]],
  ['tan', 'float16', [0.58740234375, 0.7470703125, -1.5576171875, -1.5537109375, -0.54638671875, -0, 0, 1.1920928955078125e-07, 0.309326171875, 1.5244140625, 1.5576171875, -0.7470703125, 0.6484375, -0.58740234375, NaN, NaN, NaN]],
  ['arcsin', 'float16', [NaN, NaN, -1.5703125, -1.5263671875, -0.5234375, -0, 0, 1.1920928955078125e-07, 0.3046875, 1.4306640625, 1.5703125, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arccos', 'float16', [NaN, NaN, 3.140625, 3.09765625, 2.09375, 1.5703125, 1.5703125, 1.5703125, 1.265625, 0.139892578125, 0, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan', 'float16', [-1.560546875, -1.1904296875, -0.78515625, -0.78466796875, -0.463623046875, -0, 0, 1.1920928955078125e-07, 0.29150390625, 0.7802734375, 0.78515625, 1.1904296875, 1.470703125, 1.560546875, 1.5703125, -1.5703125, NaN]],
  ['sinh', 'float16', [-Infinity, -6.05078125, -1.1748046875, -1.173828125, -0.52099609375, -0, 0, 1.1920928955078125e-07, 0.3046875, 1.16015625, 1.1748046875, 6.05078125, 11016, Infinity, Infinity, -Infinity, NaN]],
  ['cosh', 'float16', [Infinity, 6.1328125, 1.54296875, 1.5419921875, 1.1279296875, 1, 1, 1, 1.044921875, 1.53125, 1.54296875, 6.1328125, 11016, Infinity, Infinity, Infinity, NaN]],
  ['tanh', 'float16', [-1, -0.98681640625, -0.76171875, -0.76123046875, -0.462158203125, -0, 0, 1.1920928955078125e-07, 0.291259765625, 0.75732421875, 0.76171875, 0.98681640625, 1, 1, 1, -1, NaN]],
  ['arcsinh', 'float16', [-5.296875, -1.6474609375, -0.88134765625, -0.880859375, -0.481201171875, -0, 0, 1.1920928955078125e-07, 0.295654296875, 0.87451171875, 0.88134765625, 1.6474609375, 2.998046875, 5.296875, Infinity, -Infinity, NaN]],
  ['arccosh', 'float16', [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0, 1.56640625, 2.994140625, 5.296875, Infinity, NaN, NaN]],
  ['arctanh', 'float16', [NaN, NaN, -Infinity, -3.8125, -0.54931640625, -0, 0, 1.1920928955078125e-07, 0.3095703125, 2.658203125, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['sigmoid', 'float16', [0, 0.07586669921875, 0.268798828125, 0.269287109375, 0.377685546875, 0.5, 0.5, 0.5, 0.57421875, 0.72900390625, 0.73095703125, 0.92431640625, 1, 1, 1, 0, NaN]],
  ['erf', 'float16', [-1, -0.99951171875, -0.8427734375, -0.84228515625, -0.5205078125, -0, -0, 0, 0.32861328125, 0.83837890625, 0.8427734375, 0.99951171875, 1, 1, 1, -1, NaN]],
  ['erfinv', 'float16', [NaN, NaN, -Infinity, -2.33203125, -0.47705078125, -0, 0, 1.1920928955078125e-07, 0.2724609375, 1.8271484375, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floor', 'float16', [-100, -3, -1, -1, -1, -0, 0, 0, 0, 0, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['ceil', 'float16', [-100, -2, -1, -0, -0, -0, 0, 1, 1, 1, 1, 3, 10, 100, Infinity, -Infinity, NaN]],
  ['round', 'float16', [-100, -2, -1, -1, -0, -0, 0, 0, 0, 1, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['degrees', 'float16', [-5728, -143.25, -57.28125, -57.21875, -28.640625, -0, 0, 6.854534149169922e-06, 17.1875, 56.71875, 57.28125, 143.25, 573, 5728, Infinity, -Infinity, NaN]],
  ['radians', 'float16', [-1.74609375, -0.04364013671875, -0.0174560546875, -0.0174407958984375, -0.00872802734375, -0, 0, 0, 0.005237579345703125, 0.0172882080078125, 0.0174560546875, 0.04364013671875, 0.174560546875, 1.74609375, Infinity, -Infinity, NaN]],
  ['isnan', 'float16', '00000000000000001'],
  ['isinf', 'float16', '00000000000000110'],
  ['isposinf', 'float16', '00000000000000100'],
  ['isneginf', 'float16', '00000000000000010'],
  ['isfinite', 'float16', '11111111111111000'],
  ['logicalNot', 'float16', '00000110000000000'],
  ['nanToNum', 'float16', [-100, -2.5, -1, -0.9990234375, -0.5, -0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, 65504, -65504, 0]],
  ['stopGradient', 'float16', [-100, -2.5, -1, -0.9990234375, -0.5, -0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['conjugate', 'float16', [-100, -2.5, -1, -0.9990234375, -0.5, -0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['real', 'float16', [-100, -2.5, -1, -0.9990234375, -0.5, -0, 0, 1.1920928955078125e-07, 0.300048828125, 0.990234375, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['imag', 'float16', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ['abs', 'bfloat16', [100, 2.5, 1, 1, 0.5, 0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, Infinity, Infinity, NaN]],
  ['negative', 'bfloat16', [100, 2.5, 1, 1, 0.5, 0, -0, -1.0011717677116394e-07, -0.30078125, -0.98828125, -1, -2.5, -10, -100, -Infinity, Infinity, NaN]],
  ['sign', 'bfloat16', [-1, -1, -1, -1, -1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0]],
  ['square', 'bfloat16', [9984, 6.25, 1, 1, 0.25, 0, 0, 1.0047518372857667e-14, 0.09033203125, 0.9765625, 1, 6.25, 100, 9984, Infinity, Infinity, NaN]],
  ['sqrt', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, -0, 0, 0.000316619873046875, 0.546875, 0.9921875, 1, 1.578125, 3.15625, 10, Infinity, NaN, NaN]],
  ['rsqrt', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, -Infinity, Infinity, 3152, 1.828125, 1.0078125, 1, 0.6328125, 0.31640625, 0.10009765625, 0, NaN, NaN]],
  ['reciprocal', 'bfloat16', [-0.010009765625, -0.400390625, -1, -1, -2, -Infinity, Infinity, 9961472, 3.328125, 1.015625, 1, 0.400390625, 0.10009765625, 0.010009765625, 0, -0, NaN]],
  ['exp', 'bfloat16', [0, 0.08203125, 0.3671875, 0.3671875, 0.60546875, 1, 1, 1, 1.3515625, 2.6875, 2.71875, 12.1875, 22016, Infinity, Infinity, 0, NaN]],
  ['expm1', 'bfloat16', [-1, -0.91796875, -0.6328125, -0.6328125, -0.392578125, -0, 0, 1.0011717677116394e-07, 0.3515625, 1.6875, 1.71875, 11.1875, 22016, Infinity, Infinity, -1, NaN]],
  ['log', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -16.125, -1.203125, -0.01177978515625, 0, 0.91796875, 2.296875, 4.59375, Infinity, NaN, NaN]],
  ['log2', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -23.25, -1.734375, -0.0169677734375, 0, 1.3203125, 3.328125, 6.65625, Infinity, NaN, NaN]],
  ['log10', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -7, -0.5234375, -0.005126953125, 0, 0.3984375, 1, 2, Infinity, NaN, NaN]],
  ['log1p', 'bfloat16', [NaN, NaN, -Infinity, -Infinity, -0.69140625, -0, 0, 1.0011717677116394e-07, 0.263671875, 0.6875, 0.69140625, 1.25, 2.390625, 4.625, Infinity, NaN, NaN]],
  ['sin', 'bfloat16', [0.5078125, -0.59765625, -0.83984375, -0.83984375, -0.478515625, 0, 0, 1.0011717677116394e-07, 0.296875, 0.8359375, 0.83984375, 0.59765625, -0.54296875, -0.5078125, NaN, NaN, NaN]],
  ['cos', 'bfloat16', [0.86328125, -0.80078125, 0.5390625, 0.5390625, 0.87890625, 1, 1, 1, 0.95703125, 0.55078125, 0.5390625, -0.80078125, -0.83984375, 0.86328125, NaN, NaN, NaN]],
  ['tan', 'bfloat16', [0.5859375, 0.74609375, -1.5546875, -1.5546875, -0.546875, -0, 0, 1.0011717677116394e-07, 0.310546875, 1.515625, 1.5546875, -0.74609375, 0.6484375, -0.5859375, NaN, NaN, NaN]],
  ['arcsin', 'bfloat16', [NaN, NaN, -1.5703125, -1.5703125, -0.5234375, -0, 0, 1.0011717677116394e-07, 0.3046875, 1.4140625, 1.5703125, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arccos', 'bfloat16', [NaN, NaN, 3.140625, 3.140625, 2.09375, 1.5703125, 1.5703125, 1.5703125, 1.265625, 0.1533203125, 0, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan', 'bfloat16', [-1.5625, -1.1875, -0.78515625, -0.78515625, -0.462890625, -0, 0, 1.0011717677116394e-07, 0.29296875, 0.78125, 0.78515625, 1.1875, 1.46875, 1.5625, 1.5703125, -1.5703125, NaN]],
  ['sinh', 'bfloat16', [-Infinity, -6.0625, -1.171875, -1.171875, -0.51953125, -0, 0, 1.0011717677116394e-07, 0.3046875, 1.15625, 1.171875, 6.0625, 11008, Infinity, Infinity, -Infinity, NaN]],
  ['cosh', 'bfloat16', [Infinity, 6.125, 1.546875, 1.546875, 1.125, 1, 1, 1, 1.046875, 1.53125, 1.546875, 6.125, 11008, Infinity, Infinity, Infinity, NaN]],
  ['tanh', 'bfloat16', [-1, -0.98828125, -0.76171875, -0.76171875, -0.462890625, -0, 0, 1.0011717677116394e-07, 0.29296875, 0.7578125, 0.76171875, 0.98828125, 1, 1, 1, -1, NaN]],
  ['arcsinh', 'bfloat16', [-5.3125, -1.6484375, -0.8828125, -0.8828125, -0.48046875, -0, 0, 1.0011717677116394e-07, 0.296875, 0.875, 0.8828125, 1.6484375, 3, 5.3125, Infinity, -Infinity, NaN]],
  ['arccosh', 'bfloat16', [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0, 1.5703125, 3, 5.3125, Infinity, NaN, NaN]],
  ['arctanh', 'bfloat16', [NaN, NaN, -Infinity, -Infinity, -0.55078125, -0, 0, 1.0011717677116394e-07, 0.310546875, 2.5625, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['sigmoid', 'bfloat16', [0, 0.07568359375, 0.26953125, 0.26953125, 0.376953125, 0.5, 0.5, 0.5, 0.57421875, 0.73046875, 0.73046875, 0.92578125, 1, 1, 1, 0, NaN]],
  ['erf', 'bfloat16', [-1, -1, -0.84375, -0.84375, -0.51953125, -0, -0, 0, 0.330078125, 0.8359375, 0.84375, 1, 1, 1, 1, -1, NaN]],
  ['erfinv', 'bfloat16', [NaN, NaN, -Infinity, -Infinity, -0.4765625, -0, 0, 8.89413058757782e-08, 0.2734375, 1.78125, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floor', 'bfloat16', [-100, -3, -1, -1, -1, -0, 0, 0, 0, 0, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['ceil', 'bfloat16', [-100, -2, -1, -1, -0, -0, 0, 1, 1, 1, 1, 3, 10, 100, Infinity, -Infinity, NaN]],
  ['round', 'bfloat16', [-100, -2, -1, -1, -0, -0, 0, 0, 0, 1, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['degrees', 'bfloat16', [-5728, -143, -57.25, -57.25, -28.625, -0, 0, 5.7220458984375e-06, 17.25, 56.5, 57.25, 143, 572, 5728, Infinity, -Infinity, NaN]],
  ['radians', 'bfloat16', [-1.7421875, -0.043701171875, -0.0174560546875, -0.0174560546875, -0.00872802734375, -0, 0, 1.7462298274040222e-09, 0.0052490234375, 0.0172119140625, 0.0174560546875, 0.043701171875, 0.1748046875, 1.7421875, Infinity, -Infinity, NaN]],
  ['isnan', 'bfloat16', '00000000000000001'],
  ['isinf', 'bfloat16', '00000000000000110'],
  ['isposinf', 'bfloat16', '00000000000000100'],
  ['isneginf', 'bfloat16', '00000000000000010'],
  ['isfinite', 'bfloat16', '11111111111111000'],
  ['logicalNot', 'bfloat16', '00000110000000000'],
  ['nanToNum', 'bfloat16', [-100, -2.5, -1, -1, -0.5, -0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, 3.3895313892515355e+38, -3.3895313892515355e+38, 0]],
  ['stopGradient', 'bfloat16', [-100, -2.5, -1, -1, -0.5, -0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['conjugate', 'bfloat16', [-100, -2.5, -1, -1, -0.5, -0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['real', 'bfloat16', [-100, -2.5, -1, -1, -0.5, -0, 0, 1.0011717677116394e-07, 0.30078125, 0.98828125, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['imag', 'bfloat16', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ['abs', 'float64', [100, 2.5, 1, 0.999, 0.5, 0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, Infinity, NaN]],
  ['negative', 'float64', [100, 2.5, 1, 0.999, 0.5, 0, -0, -1e-07, -0.3, -0.99, -1, -2.5, -10, -100, -Infinity, Infinity, NaN]],
  ['sign', 'float64', [-1, -1, -1, -1, -1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0]],
  ['square', 'float64', [10000, 6.25, 1, 0.998001, 0.25, 0, 0, 9.999999999999998e-15, 0.09, 0.9801, 1, 6.25, 100, 10000, Infinity, Infinity, NaN]],
  ['sqrt', 'float64', [NaN, NaN, NaN, NaN, NaN, -0, 0, 0.00031622776601683794, 0.5477225575051661, 0.99498743710662, 1, 1.5811388300841898, 3.1622776601683795, 10, Infinity, NaN, NaN]],
  ['rsqrt', 'float64', [NaN, NaN, NaN, NaN, NaN, -Infinity, Infinity, 3162.277660168379, 1.8257418583505538, 1.005037815259212, 1, 0.6324555320336759, 0.31622776601683794, 0.1, 0, NaN, NaN]],
  ['reciprocal', 'float64', [-0.01, -0.4, -1, -1.001001001001001, -2, -Infinity, Infinity, 10000000, 3.3333333333333335, 1.0101010101010102, 1, 0.4, 0.1, 0.01, 0, -0, NaN]],
  ['exp', 'float64', [0, 0.08208499848842621, 0.3678794503211975, 0.36824750900268555, 0.6065306663513184, 1, 1, 1.0000001192092896, 1.3498587608337402, 2.6912343502044678, 2.7182817459106445, 12.182494163513184, 22026.466796875, Infinity, Infinity, 0, NaN]],
  ['expm1', 'float64', [-1, -0.9179150013761013, -0.6321205588285577, -0.631752495386337, -0.3934693402873666, -0, 0, 1.0000000500000016e-07, 0.3498588075760031, 1.6912344723492623, 1.718281828459045, 11.182493960703473, 22025.465794806718, 2.6881171418161356e+43, Infinity, -1, NaN]],
  ['log', 'float64', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -16.11809565095832, -1.2039728043259361, -0.01005033585350145, 0, 0.9162907318741551, 2.302585092994046, 4.605170185988092, Infinity, NaN, NaN]],
  ['log2', 'float64', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -23.253496664211536, -1.7369655941662063, -0.014499569695115089, 0, 1.3219280948873624, 3.321928094887362, 6.643856189774724, Infinity, NaN, NaN]],
  ['log10', 'float64', [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -7, -0.5228787452803376, -0.004364805402450088, 0, 0.3979400086720376, 1, 2, Infinity, NaN, NaN]],
  ['log1p', 'float64', [NaN, NaN, -Infinity, -6.907755278982136, -0.6931471805599453, -0, 0, 9.999999500000033e-08, 0.26236426446749106, 0.688134638736401, 0.6931471805599453, 1.252762968495368, 2.3978952727983707, 4.61512051684126, Infinity, NaN, NaN]],
  ['sin', 'float64', [0.5063656568527222, -0.5984721779823303, -0.8414709568023682, -0.8409302830696106, -0.4794255495071411, 0, 0, 1.0000000116860974e-07, 0.29552021622657776, 0.8360259532928467, 0.8414709568023682, 0.5984721779823303, -0.5440210700035095, -0.5063656568527222, NaN, NaN, NaN]],
  ['cos', 'float64', [0.8623188734054565, -0.8011435866355896, 0.5403022766113281, 0.5411434769630432, 0.8775825500488281, 1, 1, 1, 0.9553365111351013, 0.5486898422241211, 0.5403022766113281, -0.8011435866355896, -0.83907151222229, 0.8623188734054565, NaN, NaN, NaN]],
  ['tan', 'float64', [0.5872139151569291, 0.7470222972386603, -1.5574077246549023, -1.5539875313295277, -0.5463024898437905, -0, 0, 1.0000000000000033e-07, 0.30933624960962325, 1.5236767410179022, 1.5574077246549023, -0.7470222972386603, 0.6483608274590866, -0.5872139151569291, NaN, NaN, NaN]],
  ['arcsin', 'float64', [NaN, NaN, -1.5707963267948966, -1.526071239626163, -0.5235987755982989, -0, 0, 1.0000000000000017e-07, 0.3046926540153975, 1.4292568534704693, 1.5707963267948966, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arccos', 'float64', [NaN, NaN, 3.141592653589793, 3.09686756642106, 2.0943951023931957, 1.5707963267948966, 1.5707963267948966, 1.5707962267948967, 1.2661036727794992, 0.1415394733244273, 0, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan', 'float64', [-1.5607966601082315, -1.1902899496825317, -0.7853981633974483, -0.784897913314115, -0.4636476090008061, -0, 0, 9.999999999999966e-08, 0.2914567944778671, 0.7803730800666359, 0.7853981633974483, 1.1902899496825317, 1.4711276743037347, 1.5607966601082315, 1.5707963267948966, -1.5707963267948966, NaN]],
  ['sinh', 'float64', [-1.3440585709080678e+43, -6.0502044810397875, -1.1752011936438014, -1.1736587003524517, -0.5210953054937474, -0, 0, 1.0000000000000015e-07, 0.3045202934471426, 1.1598288906636083, 1.1752011936438014, 6.0502044810397875, 11013.232874703393, 1.3440585709080678e+43, Infinity, -Infinity, NaN]],
  ['cosh', 'float64', [1.3440585709080678e+43, 6.132289479663686, 1.5430806348152437, 1.541906204966115, 1.1276259652063807, 1, 1, 1.000000000000005, 1.0453385141288605, 1.5314055816856538, 1.5430806348152437, 6.132289479663686, 11013.232920103324, 1.3440585709080678e+43, Infinity, Infinity, NaN]],
  ['tanh', 'float64', [-1, -0.9866142981514303, -0.7615941559557649, -0.76117386166057, -0.46211715726000974, -0, 0, 9.999999999999965e-08, 0.2913126124515909, 0.7573623242165262, 0.7615941559557649, 0.9866142981514303, 0.9999999958776927, 1, 1, -1, NaN]],
  ['arcsinh', 'float64', [-5.298342365610589, -1.6472311463710958, -0.881373587019543, -0.8806663034322094, -0.48121182505960347, -0, 0, 9.999999999999984e-08, 0.29567304756342244, 0.8742848121872949, 0.881373587019543, 1.6472311463710958, 2.99822295029797, 5.298342365610589, Infinity, -Infinity, NaN]],
  ['arccosh', 'float64', [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0, 1.566799236972411, 2.993222846126381, 5.298292365610484, Infinity, NaN, NaN]],
  ['arctanh', 'float64', [NaN, NaN, -Infinity, -3.8002011672501994, -0.5493061443340548, -0, 0, 1.0000000000000033e-07, 0.30951960420311175, 2.6466524123622457, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['sigmoid', 'float64', [0, 0.0758581788541825, 0.26894142734067883, 0.26913807431612347, 0.377540659302577, 0.5, 0.5, 0.5000000298023206, 0.5744425083466738, 0.7290879133846901, 0.7310585726593212, 0.9241418211458174, 0.9999546021333628, 1, 1, 0, NaN]],
  ['erf', 'float64', [-1, -0.9995929598808289, -0.8427006602287292, -0.84228515625, -0.520500123500824, -0, -0, 0, 0.32862669229507446, 0.8385079503059387, 0.8427006602287292, 0.9995929598808289, 1, 1, 1, -1, NaN]],
  ['erfinv', 'float64', [NaN, NaN, -Infinity, -2.326756477355957, -0.4769362807273865, -0, 0, 8.862269140763601e-08, 0.27246275544166565, 1.821386456489563, Infinity, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floor', 'float64', [-100, -3, -1, -1, -1, -0, 0, 0, 0, 0, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['ceil', 'float64', [-100, -2, -1, -0, -0, -0, 0, 1, 1, 1, 1, 3, 10, 100, Infinity, -Infinity, NaN]],
  ['round', 'float64', [-100, -2, -1, -1, -0, -0, 0, 0, 0, 1, 1, 2, 10, 100, Infinity, -Infinity, NaN]],
  ['degrees', 'float64', [-5729.5779513082325, -143.2394487827058, -57.29577951308232, -57.23848373356924, -28.64788975654116, -0, 0, 5.729577951308232e-06, 17.188733853924695, 56.7228217179515, 57.29577951308232, 143.2394487827058, 572.9577951308232, 5729.5779513082325, Infinity, -Infinity, NaN]],
  ['radians', 'float64', [-1.7453292519943295, -0.04363323129985824, -0.017453292519943295, -0.017435839227423353, -0.008726646259971648, -0, 0, 1.7453292519943295e-09, 0.005235987755982988, 0.017278759594743863, 0.017453292519943295, 0.04363323129985824, 0.17453292519943295, 1.7453292519943295, Infinity, -Infinity, NaN]],
  ['isnan', 'float64', '00000000000000001'],
  ['isinf', 'float64', '00000000000000110'],
  ['isposinf', 'float64', '00000000000000100'],
  ['isneginf', 'float64', '00000000000000010'],
  ['isfinite', 'float64', '11111111111111000'],
  ['logicalNot', 'float64', '00000110000000000'],
  // nanToNum float64: [nan_to_num] Does not yet support given type: float64.
  ['stopGradient', 'float64', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['conjugate', 'float64', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['real', 'float64', [-100, -2.5, -1, -0.999, -0.5, -0, 0, 1e-07, 0.3, 0.99, 1, 2.5, 10, 100, Infinity, -Infinity, NaN]],
  ['imag', 'float64', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
];
// Float binary ops: every pair (a varies slowest) of a small set with signed zeros, inf and NaN.
const FLOAT_BINARY_SET: Record<string, number[]> = {
  float32: [-7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN],
  float64: [-7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN],
  float16: [-7.5, -0.3330078125, 0.0999755859375, 3, 1000.5, Infinity, NaN],
  bfloat16: [-7.5, -0.33203125, 0.10009765625, 3, 1000, Infinity, NaN],
};
const FLOAT_BINARY: [string, string, Out][] = [
  ['add', 'float32', [-15, -9.5, -7.5, -7.5, -7, -4.5, Infinity, -Infinity, NaN, -9.5, -4, -2, -2, -1.5, 1, Infinity, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, -7.5, -2, 0, 0, 0.5, 3, Infinity, -Infinity, NaN, -7, -1.5, 0.5, 0.5, 1, 3.5, Infinity, -Infinity, NaN, -4.5, 1, 3, 3, 3.5, 6, Infinity, -Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['subtract', 'float32', [0, -5.5, -7.5, -7.5, -8, -10.5, -Infinity, Infinity, NaN, 5.5, 0, -2, -2, -2.5, -5, -Infinity, Infinity, NaN, 7.5, 2, 0, -0, -0.5, -3, -Infinity, Infinity, NaN, 7.5, 2, 0, 0, -0.5, -3, -Infinity, Infinity, NaN, 8, 2.5, 0.5, 0.5, 0, -2.5, -Infinity, Infinity, NaN, 10.5, 5, 3, 3, 2.5, 0, -Infinity, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, Infinity, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['multiply', 'float32', [56.25, 15, 0, -0, -3.75, -22.5, -Infinity, Infinity, NaN, 15, 4, 0, -0, -1, -6, -Infinity, Infinity, NaN, 0, 0, 0, -0, -0, -0, NaN, NaN, NaN, -0, -0, -0, 0, 0, 0, NaN, NaN, NaN, -3.75, -1, -0, 0, 0.25, 1.5, Infinity, -Infinity, NaN, -22.5, -6, -0, 0, 1.5, 9, Infinity, -Infinity, NaN, -Infinity, -Infinity, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, NaN, Infinity, Infinity, NaN, NaN, -Infinity, -Infinity, -Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['divide', 'float32', [1, 3.75, Infinity, -Infinity, -15, -2.5, -0, 0, NaN, 0.26666668, 1, Infinity, -Infinity, -4, -0.6666667, -0, 0, NaN, 0, 0, NaN, NaN, -0, -0, -0, 0, NaN, -0, -0, NaN, NaN, 0, 0, 0, -0, NaN, -0.06666667, -0.25, -Infinity, Infinity, 1, 0.16666667, 0, -0, NaN, -0.4, -1.5, -Infinity, Infinity, 6, 1, 0, -0, NaN, -Infinity, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['power', 'float32', [NaN, 0.017777778, 1, 1, NaN, -421.875, Infinity, 0, NaN, NaN, 0.25, 1, 1, NaN, -8, Infinity, 0, NaN, Infinity, Infinity, 1, 1, 0, -0, 0, Infinity, NaN, Infinity, Infinity, 1, 1, 0, 0, 0, Infinity, NaN, 181.01933, 4, 1, 1, 0.70710677, 0.125, 0, Infinity, NaN, 0.00026399188, 0.11111111, 1, 1, 1.7320508, 27, Infinity, 0, NaN, 0, 0, 1, 1, Infinity, Infinity, Infinity, 0, NaN, 0, 0, 1, 1, Infinity, -Infinity, Infinity, 0, NaN, NaN, NaN, 1, 1, NaN, NaN, NaN, NaN, NaN]],
  ['floorDivide', 'float32', [1, 3, Infinity, -Infinity, -15, -3, -0, 0, NaN, 0, 1, Infinity, -Infinity, -4, -1, -0, 0, NaN, 0, 0, NaN, NaN, -0, -0, -0, 0, NaN, -0, -0, NaN, NaN, 0, 0, 0, -0, NaN, -1, -1, -Infinity, Infinity, 1, 0, 0, -0, NaN, -1, -2, -Infinity, Infinity, 6, 1, 0, -0, NaN, -Infinity, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['remainder', 'float32', [-0, -1.5, NaN, NaN, -0, 1.5, Infinity, -7.5, NaN, -2, -0, NaN, NaN, -0, 1, Infinity, -2, NaN, -0, -0, NaN, NaN, -0, -0, -0, -0, NaN, 0, 0, NaN, NaN, 0, 0, 0, 0, NaN, -7, -1.5, NaN, NaN, 0, 0.5, 0.5, -Infinity, NaN, -4.5, -1, NaN, NaN, 0, 0, 3, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['maximum', 'float32', [-7.5, -2, -0, 0, 0.5, 3, Infinity, -7.5, NaN, -2, -2, -0, 0, 0.5, 3, Infinity, -2, NaN, -0, -0, -0, 0, 0.5, 3, Infinity, -0, NaN, 0, 0, -0, 0, 0.5, 3, Infinity, 0, NaN, 0.5, 0.5, 0.5, 0.5, 0.5, 3, Infinity, 0.5, NaN, 3, 3, 3, 3, 3, 3, Infinity, 3, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['minimum', 'float32', [-7.5, -7.5, -7.5, -7.5, -7.5, -7.5, -7.5, -Infinity, NaN, -7.5, -2, -2, -2, -2, -2, -2, -Infinity, NaN, -7.5, -2, -0, 0, -0, -0, -0, -Infinity, NaN, -7.5, -2, -0, 0, 0, 0, 0, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 0.5, 0.5, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, 3, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['logaddexp', 'float32', [-6.806853, -1.9959216, 0.0005529316, 0.0005529316, 0.5003354, 3.0000274, Infinity, -7.5, NaN, -1.9959216, -1.3068528, 0.126928, 0.126928, 0.5788897, 3.0067153, Infinity, -2, NaN, 0.0005529316, 0.126928, 0.6931472, 0.6931472, 0.974077, 3.0485873, Infinity, -0, NaN, 0.0005529316, 0.126928, 0.6931472, 0.6931472, 0.974077, 3.0485873, Infinity, 0, NaN, 0.5003354, 0.5788897, 0.974077, 0.974077, 1.1931472, 3.0788898, Infinity, 0.5, NaN, 3.0000274, 3.0067153, 3.0485873, 3.0485873, 3.0788898, 3.6931472, Infinity, 3, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan2', 'float32', [-2.3561945, -1.8313987, -1.5707964, -1.5707964, -1.5042281, -1.19029, -0, -3.1415927, NaN, -2.8809903, -2.3561945, -1.5707964, -1.5707964, -1.3258177, -0.5880026, -0, -3.1415927, NaN, -3.1415927, -3.1415927, -3.1415927, -0, -0, -0, -0, -3.1415927, NaN, 3.1415927, 3.1415927, 3.1415927, 0, 0, 0, 0, 3.1415927, NaN, 3.0750246, 2.896614, 1.5707964, 1.5707964, 0.7853982, 0.16514868, 0, 3.1415927, NaN, 2.7610862, 2.158799, 1.5707964, 1.5707964, 1.4056476, 0.7853982, 0, 3.1415927, NaN, 1.5707964, 1.5707964, 1.5707964, 1.5707964, 1.5707964, 1.5707964, 0.7853982, 2.3561945, NaN, -1.5707964, -1.5707964, -1.5707964, -1.5707964, -1.5707964, -1.5707964, -0.7853982, -2.3561945, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['equal', 'float32', '100000000010000000001100000001100000000010000000001000000000100000000010000000000'],
  ['notEqual', 'float32', '011111111101111111110011111110011111111101111111110111111111011111111101111111111'],
  ['less', 'float32', '011111100001111100000011100000011100000001100000000100000000000111111100000000000'],
  ['lessEqual', 'float32', '111111100011111100001111100001111100000011100000001100000000100111111110000000000'],
  ['greater', 'float32', '000000010100000010110000010110000010111100010111110010111111010000000000000000000'],
  ['greaterEqual', 'float32', '100000010110000010111100010111100010111110010111111010111111110000000010000000000'],
  ['isclose', 'float32', '100000000010000000001100000001100000000010000000001000000000100000000010000000000'],
  ['logicalAnd', 'float32', '110011111110011111000000000000000000110011111110011111110011111110011111110011111'],
  ['logicalOr', 'float32', '111111111111111111110011111110011111111111111111111111111111111111111111111111111'],
  ['add', 'float64', [-15, -9.5, -7.5, -7.5, -7, -4.5, Infinity, -Infinity, NaN, -9.5, -4, -2, -2, -1.5, 1, Infinity, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, -7.5, -2, 0, 0, 0.5, 3, Infinity, -Infinity, NaN, -7, -1.5, 0.5, 0.5, 1, 3.5, Infinity, -Infinity, NaN, -4.5, 1, 3, 3, 3.5, 6, Infinity, -Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['subtract', 'float64', [0, -5.5, -7.5, -7.5, -8, -10.5, -Infinity, Infinity, NaN, 5.5, 0, -2, -2, -2.5, -5, -Infinity, Infinity, NaN, 7.5, 2, 0, -0, -0.5, -3, -Infinity, Infinity, NaN, 7.5, 2, 0, 0, -0.5, -3, -Infinity, Infinity, NaN, 8, 2.5, 0.5, 0.5, 0, -2.5, -Infinity, Infinity, NaN, 10.5, 5, 3, 3, 2.5, 0, -Infinity, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, Infinity, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['multiply', 'float64', [56.25, 15, 0, -0, -3.75, -22.5, -Infinity, Infinity, NaN, 15, 4, 0, -0, -1, -6, -Infinity, Infinity, NaN, 0, 0, 0, -0, -0, -0, NaN, NaN, NaN, -0, -0, -0, 0, 0, 0, NaN, NaN, NaN, -3.75, -1, -0, 0, 0.25, 1.5, Infinity, -Infinity, NaN, -22.5, -6, -0, 0, 1.5, 9, Infinity, -Infinity, NaN, -Infinity, -Infinity, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, NaN, Infinity, Infinity, NaN, NaN, -Infinity, -Infinity, -Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['divide', 'float64', [1, 3.75, Infinity, -Infinity, -15, -2.5, -0, 0, NaN, 0.26666666666666666, 1, Infinity, -Infinity, -4, -0.6666666666666666, -0, 0, NaN, 0, 0, NaN, NaN, -0, -0, -0, 0, NaN, -0, -0, NaN, NaN, 0, 0, 0, -0, NaN, -0.06666666666666667, -0.25, -Infinity, Infinity, 1, 0.16666666666666666, 0, -0, NaN, -0.4, -1.5, -Infinity, Infinity, 6, 1, 0, -0, NaN, -Infinity, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['power', 'float64', [NaN, 0.017777777777777778, 1, 1, NaN, -421.875, Infinity, 0, NaN, NaN, 0.25, 1, 1, NaN, -8, Infinity, 0, NaN, Infinity, Infinity, 1, 1, 0, -0, 0, Infinity, NaN, Infinity, Infinity, 1, 1, 0, 0, 0, Infinity, NaN, 181.01933598375618, 4, 1, 1, 0.7071067811865476, 0.125, 0, Infinity, NaN, 0.00026399189263357376, 0.1111111111111111, 1, 1, 1.7320508075688772, 27, Infinity, 0, NaN, 0, 0, 1, 1, Infinity, Infinity, Infinity, 0, NaN, 0, 0, 1, 1, Infinity, -Infinity, Infinity, 0, NaN, NaN, NaN, 1, 1, NaN, NaN, NaN, NaN, NaN]],
  ['floorDivide', 'float64', [1, 3, Infinity, -Infinity, -15, -3, -0, 0, NaN, 0, 1, Infinity, -Infinity, -4, -1, -0, 0, NaN, 0, 0, NaN, NaN, -0, -0, -0, 0, NaN, -0, -0, NaN, NaN, 0, 0, 0, -0, NaN, -1, -1, -Infinity, Infinity, 1, 0, 0, -0, NaN, -1, -2, -Infinity, Infinity, 6, 1, 0, -0, NaN, -Infinity, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['remainder', 'float64', [-0, -1.5, NaN, NaN, -0, 1.5, Infinity, -7.5, NaN, -2, -0, NaN, NaN, -0, 1, Infinity, -2, NaN, -0, -0, NaN, NaN, -0, -0, -0, -0, NaN, 0, 0, NaN, NaN, 0, 0, 0, 0, NaN, -7, -1.5, NaN, NaN, 0, 0.5, 0.5, -Infinity, NaN, -4.5, -1, NaN, NaN, 0, 0, 3, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['maximum', 'float64', [-7.5, -2, -0, 0, 0.5, 3, Infinity, -7.5, NaN, -2, -2, -0, 0, 0.5, 3, Infinity, -2, NaN, -0, -0, -0, 0, 0.5, 3, Infinity, -0, NaN, 0, 0, -0, 0, 0.5, 3, Infinity, 0, NaN, 0.5, 0.5, 0.5, 0.5, 0.5, 3, Infinity, 0.5, NaN, 3, 3, 3, 3, 3, 3, Infinity, 3, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['minimum', 'float64', [-7.5, -7.5, -7.5, -7.5, -7.5, -7.5, -7.5, -Infinity, NaN, -7.5, -2, -2, -2, -2, -2, -2, -Infinity, NaN, -7.5, -2, -0, 0, -0, -0, -0, -Infinity, NaN, -7.5, -2, -0, 0, 0, 0, 0, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 0.5, 0.5, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, 3, -Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['logaddexp', 'float64', [-6.806852819440055, -1.995921556190169, 0.0005529316425074109, 0.0005529316425074109, 0.5003354063982957, 3.0000275360827358, Infinity, -7.5, NaN, -1.995921556190169, -1.3068528194400546, 0.12692800950568822, 0.12692800950568822, 0.5788897341673538, 3.0067153484883655, Infinity, -2, NaN, 0.0005529316425074109, 0.12692800950568822, 0.6931471805599453, 0.6931471805599453, 0.9740769883124181, 3.0485873572507076, Infinity, -0, NaN, 0.0005529316425074109, 0.12692800950568822, 0.6931471805599453, 0.6931471805599453, 0.9740769883124181, 3.0485873572507076, Infinity, 0, NaN, 0.5003354063982957, 0.5788897341673538, 0.9740769883124181, 0.9740769883124181, 1.1931471805599454, 3.078889734167354, Infinity, 0.5, NaN, 3.0000275360827358, 3.0067153484883655, 3.0485873572507076, 3.0485873572507076, 3.078889734167354, 3.6931471805599454, Infinity, 3, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, -7.5, -2, -0, 0, 0.5, 3, Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan2', 'float64', [-2.356194490192345, -1.8313987185422376, -1.5707963267948966, -1.5707963267948966, -1.5042281630190728, -1.1902899496825317, -0, -3.141592653589793, NaN, -2.8809902618424523, -2.356194490192345, -1.5707963267948966, -1.5707963267948966, -1.3258176636680326, -0.5880026035475675, -0, -3.141592653589793, NaN, -3.141592653589793, -3.141592653589793, -3.141592653589793, -0, -0, -0, -0, -3.141592653589793, NaN, 3.141592653589793, 3.141592653589793, 3.141592653589793, 0, 0, 0, 0, 3.141592653589793, NaN, 3.0750244898139694, 2.896613990462929, 1.5707963267948966, 1.5707963267948966, 0.7853981633974483, 0.16514867741462683, 0, 3.141592653589793, NaN, 2.761086276477428, 2.158798930342464, 1.5707963267948966, 1.5707963267948966, 1.4056476493802699, 0.7853981633974483, 0, 3.141592653589793, NaN, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 0.7853981633974483, 2.356194490192345, NaN, -1.5707963267948966, -1.5707963267948966, -1.5707963267948966, -1.5707963267948966, -1.5707963267948966, -1.5707963267948966, -0.7853981633974483, -2.356194490192345, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['equal', 'float64', '100000000010000000001100000001100000000010000000001000000000100000000010000000000'],
  ['notEqual', 'float64', '011111111101111111110011111110011111111101111111110111111111011111111101111111111'],
  ['less', 'float64', '011111100001111100000011100000011100000001100000000100000000000111111100000000000'],
  ['lessEqual', 'float64', '111111100011111100001111100001111100000011100000001100000000100111111110000000000'],
  ['greater', 'float64', '000000010100000010110000010110000010111100010111110010111111010000000000000000000'],
  ['greaterEqual', 'float64', '100000010110000010111100010111100010111110010111111010111111110000000010000000000'],
  ['isclose', 'float64', '100000000010000000001100000001100000000010000000001000000000100000000010000000000'],
  ['logicalAnd', 'float64', '110011111110011111000000000000000000110011111110011111110011111110011111110011111'],
  ['logicalOr', 'float64', '111111111111111111110011111110011111111111111111111111111111111111111111111111111'],
  ['add', 'float16', [-15, -7.83203125, -7.3984375, -4.5, 993, Infinity, NaN, -7.83203125, -0.666015625, -0.2330322265625, 2.66796875, 1000, Infinity, NaN, -7.3984375, -0.2330322265625, 0.199951171875, 3.099609375, 1000.5, Infinity, NaN, -4.5, 2.66796875, 3.099609375, 6, 1003.5, Infinity, NaN, 993, 1000, 1000.5, 1003.5, 2001, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['subtract', 'float16', [0, -7.16796875, -7.6015625, -10.5, -1008, -Infinity, NaN, 7.16796875, 0, -0.43310546875, -3.33203125, -1001, -Infinity, NaN, 7.6015625, 0.43310546875, 0, -2.900390625, -1000.5, -Infinity, NaN, 10.5, 3.33203125, 2.900390625, 0, -997.5, -Infinity, NaN, 1008, 1001, 1000.5, 997.5, 0, -Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['multiply', 'float16', [56.25, 2.498046875, -0.75, -22.5, -7504, -Infinity, NaN, 2.498046875, 0.11090087890625, -0.033294677734375, -0.9990234375, -333.25, -Infinity, NaN, -0.75, -0.033294677734375, 0.0099945068359375, 0.2998046875, 100, Infinity, NaN, -22.5, -0.9990234375, 0.2998046875, 9, 3002, Infinity, NaN, -7504, -333.25, 100, 3002, Infinity, Infinity, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['divide', 'float16', [1, 22.515625, -75, -2.5, -0.007495880126953125, -0, NaN, 0.044403076171875, 1, -3.330078125, -0.11102294921875, -0.00033283233642578125, -0, NaN, -0.01332855224609375, -0.30029296875, 1, 0.0333251953125, 9.989738464355469e-05, 0, NaN, -0.39990234375, -9.0078125, 30, 1, 0.00299835205078125, 0, NaN, -133.375, -3004, 10008, 333.5, 1, 0, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['power', 'float16', [NaN, NaN, NaN, -422, NaN, Infinity, NaN, NaN, NaN, NaN, -0.03692626953125, NaN, 0, NaN, Infinity, 2.15234375, 0.79443359375, 0.00099945068359375, 0, 0, NaN, 0.0002639293670654297, 0.69384765625, 1.1162109375, 27, Infinity, Infinity, NaN, 0, 0.1002197265625, 1.9951171875, Infinity, Infinity, Infinity, NaN, 0, 0, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floorDivide', 'float16', [1, 22, -75, -3, -1, -0, NaN, 0, 1, -4, -1, -1, -0, NaN, -1, -1, 1, 0, 0, 0, NaN, -1, -10, 30, 1, 0, 0, NaN, -134, -3004, 10008, 333, 1, 0, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['remainder', 'float16', [-0, -0.173828125, 0.09814453125, 1.5, 993, Infinity, NaN, -0.3330078125, -0, 0.06689453125, 2.66796875, 1000, Infinity, NaN, -7.3984375, -0.2330322265625, 0, 0.0999755859375, 0.0999755859375, 0.0999755859375, NaN, -4.5, -0.330078125, 0.000732421875, 0, 3, 3, NaN, -4.5, -0.1884765625, 0.0443115234375, 1.5, 0, 1000.5, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['maximum', 'float16', [-7.5, -0.3330078125, 0.0999755859375, 3, 1000.5, Infinity, NaN, -0.3330078125, -0.3330078125, 0.0999755859375, 3, 1000.5, Infinity, NaN, 0.0999755859375, 0.0999755859375, 0.0999755859375, 3, 1000.5, Infinity, NaN, 3, 3, 3, 3, 1000.5, Infinity, NaN, 1000.5, 1000.5, 1000.5, 1000.5, 1000.5, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['minimum', 'float16', [-7.5, -7.5, -7.5, -7.5, -7.5, -7.5, NaN, -7.5, -0.3330078125, -0.3330078125, -0.3330078125, -0.3330078125, -0.3330078125, NaN, -7.5, -0.3330078125, 0.0999755859375, 0.0999755859375, 0.0999755859375, 0.0999755859375, NaN, -7.5, -0.3330078125, 0.0999755859375, 3, 3, 3, NaN, -7.5, -0.3330078125, 0.0999755859375, 3, 1000.5, 1000.5, NaN, -7.5, -0.3330078125, 0.0999755859375, 3, 1000.5, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['logaddexp', 'float16', [-6.8046875, -0.332275390625, 0.1004638671875, 3, 1000.5, Infinity, NaN, -0.332275390625, 0.3603515625, 0.599609375, 3.03515625, 1000.5, Infinity, NaN, 0.1004638671875, 0.599609375, 0.79345703125, 3.052734375, 1000.5, Infinity, NaN, 3, 3.03515625, 3.052734375, 3.693359375, 1000.5, Infinity, NaN, 1000.5, 1000.5, 1000.5, 1000.5, 1001, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan2', 'float16', [-2.35546875, -1.615234375, -1.5576171875, -1.1904296875, -0.007495880126953125, -0, NaN, -3.09765625, -2.35546875, -1.279296875, -0.11053466796875, -0.00033283233642578125, -0, NaN, 3.12890625, 2.849609375, 0.78515625, 0.0333251953125, 9.989738464355469e-05, 0, NaN, 2.76171875, 1.681640625, 1.537109375, 0.78515625, 0.00299835205078125, 0, NaN, 1.578125, 1.5712890625, 1.5703125, 1.5673828125, 0.78515625, 0, NaN, 1.5703125, 1.5703125, 1.5703125, 1.5703125, 1.5703125, 0.78515625, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['equal', 'float16', '1000000010000000100000001000000010000000100000000'],
  ['notEqual', 'float16', '0111111101111111011111110111111101111111011111111'],
  ['less', 'float16', '0111110001111000011100000110000001000000000000000'],
  ['lessEqual', 'float16', '1111110011111000111100001110000011000000100000000'],
  ['greater', 'float16', '0000000100000011000001110000111100011111000000000'],
  ['greaterEqual', 'float16', '1000000110000011100001111000111110011111100000000'],
  ['isclose', 'float16', '1000000010000000100000001000000010000000100000000'],
  ['logicalAnd', 'float16', '1111111111111111111111111111111111111111111111111'],
  ['logicalOr', 'float16', '1111111111111111111111111111111111111111111111111'],
  ['add', 'bfloat16', [-15, -7.84375, -7.40625, -4.5, 992, Infinity, NaN, -7.84375, -0.6640625, -0.232421875, 2.671875, 1000, Infinity, NaN, -7.40625, -0.232421875, 0.2001953125, 3.09375, 1000, Infinity, NaN, -4.5, 2.671875, 3.09375, 6, 1004, Infinity, NaN, 992, 1000, 1000, 1004, 2000, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['subtract', 'bfloat16', [0, -7.15625, -7.59375, -10.5, -1008, -Infinity, NaN, 7.15625, 0, -0.431640625, -3.328125, -1000, -Infinity, NaN, 7.59375, 0.431640625, 0, -2.90625, -1000, -Infinity, NaN, 10.5, 3.328125, 2.90625, 0, -996, -Infinity, NaN, 1008, 1000, 1000, 996, 0, -Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['multiply', 'bfloat16', [56.25, 2.484375, -0.75, -22.5, -7488, -Infinity, NaN, 2.484375, 0.1103515625, -0.033203125, -0.99609375, -332, -Infinity, NaN, -0.75, -0.033203125, 0.010009765625, 0.30078125, 100, Infinity, NaN, -22.5, -0.99609375, 0.30078125, 9, 3008, Infinity, NaN, -7488, -332, 100, 3008, 999424, Infinity, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['divide', 'bfloat16', [1, 22.625, -75, -2.5, -0.00750732421875, -0, NaN, 0.044189453125, 1, -3.3125, -0.11083984375, -0.000331878662109375, -0, NaN, -0.01336669921875, -0.30078125, 1, 0.033447265625, 0.00010013580322265625, 0, NaN, -0.400390625, -9.0625, 30, 1, 0.0030059814453125, 0, NaN, -133, -3008, 9984, 334, 1, 0, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['power', 'bfloat16', [NaN, NaN, NaN, -422, Infinity, Infinity, NaN, NaN, NaN, NaN, -0.03662109375, 0, 0, NaN, 31457280, 2.140625, 0.79296875, 0.00099945068359375, 0, 0, NaN, 0.000263214111328125, 0.6953125, 1.1171875, 27, Infinity, Infinity, NaN, 3.163965843015331e-23, 0.10107421875, 2, 998244352, Infinity, Infinity, NaN, 0, 0, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['floorDivide', 'bfloat16', [1, 22, -75, -3, -1, -0, NaN, 0, 1, -4, -1, -1, -0, NaN, -1, -1, 1, 0, 0, 0, NaN, -1, -10, 30, 1, 0, 0, NaN, -133, -3008, 9984, 334, 1, 0, NaN, -Infinity, -Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['remainder', 'bfloat16', [-0, -0.1953125, 0.00732421875, 1.5, 992, Infinity, NaN, -0.33203125, -0, 0.068359375, 2.671875, 1000, Infinity, NaN, -7.40625, -0.232421875, 0, 0.10009765625, 0.10009765625, 0.10009765625, NaN, -4.5, -0.3203125, 0.09716796875, 0, 3, 3, NaN, -5, -0.078125, 0.0244140625, 1, 0, 1000, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['maximum', 'bfloat16', [-7.5, -0.33203125, 0.10009765625, 3, 1000, Infinity, NaN, -0.33203125, -0.33203125, 0.10009765625, 3, 1000, Infinity, NaN, 0.10009765625, 0.10009765625, 0.10009765625, 3, 1000, Infinity, NaN, 3, 3, 3, 3, 1000, Infinity, NaN, 1000, 1000, 1000, 1000, 1000, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['minimum', 'bfloat16', [-7.5, -7.5, -7.5, -7.5, -7.5, -7.5, NaN, -7.5, -0.33203125, -0.33203125, -0.33203125, -0.33203125, -0.33203125, NaN, -7.5, -0.33203125, 0.10009765625, 0.10009765625, 0.10009765625, 0.10009765625, NaN, -7.5, -0.33203125, 0.10009765625, 3, 3, 3, NaN, -7.5, -0.33203125, 0.10009765625, 3, 1000, 1000, NaN, -7.5, -0.33203125, 0.10009765625, 3, 1000, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['logaddexp', 'bfloat16', [-6.8125, -0.33203125, 0.1005859375, 3, 1000, Infinity, NaN, -0.33203125, 0.359375, 0.6015625, 3.03125, 1000, Infinity, NaN, 0.1005859375, 0.6015625, 0.79296875, 3.046875, 1000, Infinity, NaN, 3, 3.03125, 3.046875, 3.6875, 1000, Infinity, NaN, 1000, 1000, 1000, 1000, 1000, Infinity, NaN, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['arctan2', 'bfloat16', [-2.359375, -1.6171875, -1.5546875, -1.1875, -0.00750732421875, -0, NaN, -3.09375, -2.359375, -1.28125, -0.1103515625, -0.000331878662109375, -0, NaN, 3.125, 2.84375, 0.78515625, 0.033447265625, 0.00010013580322265625, 0, NaN, 2.765625, 1.6796875, 1.5390625, 0.78515625, 0.0030059814453125, 0, NaN, 1.578125, 1.5703125, 1.5703125, 1.5703125, 0.78515625, 0, NaN, 1.5703125, 1.5703125, 1.5703125, 1.5703125, 1.5703125, 0.78515625, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
  ['equal', 'bfloat16', '1000000010000000100000001000000010000000100000000'],
  ['notEqual', 'bfloat16', '0111111101111111011111110111111101111111011111111'],
  ['less', 'bfloat16', '0111110001111000011100000110000001000000000000000'],
  ['lessEqual', 'bfloat16', '1111110011111000111100001110000011000000100000000'],
  ['greater', 'bfloat16', '0000000100000011000001110000111100011111000000000'],
  ['greaterEqual', 'bfloat16', '1000000110000011100001111000111110011111100000000'],
  ['isclose', 'bfloat16', '1000000010000000100000001000000010000000100000000'],
  ['logicalAnd', 'bfloat16', '1111111111111111111111111111111111111111111111111'],
  ['logicalOr', 'bfloat16', '1111111111111111111111111111111111111111111111111'],
];
// Integer binary ops. INT_SET[dtype] = [values, divisor pairs, power pairs, shift pairs]: "all" means
// every pair of values (a slowest); division skips b = 0 and MIN / -1 (undefined in C).
const INT_SET: Record<string, { v: unknown[]; div: [unknown[], unknown[]]; pow: [unknown[], unknown[]]; shift: [unknown[], unknown[]] }> = {
  uint8: { v: [0, 1, 7, 100, 200, 255], div: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 255, 255, 255, 255, 255], [1, 7, 100, 200, 255, 1, 7, 100, 200, 255, 1, 7, 100, 200, 255, 1, 7, 100, 200, 255, 1, 7, 100, 200, 255, 1, 7, 100, 200, 255]], pow: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 255, 255, 255, 255, 255], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[0, 0, 0, 0, 1, 1, 1, 1, 7, 7, 7, 7, 100, 100, 100, 100, 200, 200, 200, 200, 255, 255, 255, 255], [0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7]] },
  uint16: { v: [0, 1, 7, 300, 40000, 65535], div: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 300, 300, 300, 300, 300, 40000, 40000, 40000, 40000, 40000, 65535, 65535, 65535, 65535, 65535], [1, 7, 300, 40000, 65535, 1, 7, 300, 40000, 65535, 1, 7, 300, 40000, 65535, 1, 7, 300, 40000, 65535, 1, 7, 300, 40000, 65535, 1, 7, 300, 40000, 65535]], pow: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 300, 300, 300, 300, 300, 40000, 40000, 40000, 40000, 40000, 65535, 65535, 65535, 65535, 65535], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[0, 0, 0, 0, 1, 1, 1, 1, 7, 7, 7, 7, 300, 300, 300, 300, 40000, 40000, 40000, 40000, 65535, 65535, 65535, 65535], [0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15]] },
  uint32: { v: [0, 1, 7, 70000, 3000000000, 4294967295], div: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 70000, 70000, 70000, 70000, 70000, 3000000000, 3000000000, 3000000000, 3000000000, 3000000000, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295], [1, 7, 70000, 3000000000, 4294967295, 1, 7, 70000, 3000000000, 4294967295, 1, 7, 70000, 3000000000, 4294967295, 1, 7, 70000, 3000000000, 4294967295, 1, 7, 70000, 3000000000, 4294967295, 1, 7, 70000, 3000000000, 4294967295]], pow: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 70000, 70000, 70000, 70000, 70000, 3000000000, 3000000000, 3000000000, 3000000000, 3000000000, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[0, 0, 0, 0, 1, 1, 1, 1, 7, 7, 7, 7, 70000, 70000, 70000, 70000, 3000000000, 3000000000, 3000000000, 3000000000, 4294967295, 4294967295, 4294967295, 4294967295], [0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31]] },
  uint64: { v: [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n], div: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 4294967301, 4294967301, 4294967301, 4294967301, 4294967301, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n], [1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]], pow: [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 4294967301, 4294967301, 4294967301, 4294967301, 4294967301, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[0, 0, 0, 0, 1, 1, 1, 1, 7, 7, 7, 7, 4294967301, 4294967301, 4294967301, 4294967301, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n], [0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63]] },
  int8: { v: [-128, -7, -1, 0, 1, 7, 127], div: [[-128, -128, -128, -128, -128, -7, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 7, 127, 127, 127, 127, 127, 127], [-128, -7, 1, 7, 127, -128, -7, -1, 1, 7, 127, -128, -7, -1, 1, 7, 127, -128, -7, -1, 1, 7, 127, -128, -7, -1, 1, 7, 127, -128, -7, -1, 1, 7, 127, -128, -7, -1, 1, 7, 127]], pow: [[-128, -128, -128, -128, -128, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 127, 127, 127, 127, 127], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[-128, -128, -128, -128, -7, -7, -7, -7, -1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 7, 7, 7, 7, 127, 127, 127, 127], [0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7, 0, 1, 3, 7]] },
  int16: { v: [-32768, -300, -7, -1, 0, 7, 32767], div: [[-32768, -32768, -32768, -32768, -32768, -300, -300, -300, -300, -300, -300, -7, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 32767, 32767, 32767, 32767, 32767, 32767], [-32768, -300, -7, 7, 32767, -32768, -300, -7, -1, 7, 32767, -32768, -300, -7, -1, 7, 32767, -32768, -300, -7, -1, 7, 32767, -32768, -300, -7, -1, 7, 32767, -32768, -300, -7, -1, 7, 32767, -32768, -300, -7, -1, 7, 32767]], pow: [[-32768, -32768, -32768, -32768, -32768, -300, -300, -300, -300, -300, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 32767, 32767, 32767, 32767, 32767], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[-32768, -32768, -32768, -32768, -300, -300, -300, -300, -7, -7, -7, -7, -1, -1, -1, -1, 0, 0, 0, 0, 7, 7, 7, 7, 32767, 32767, 32767, 32767], [0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15, 0, 1, 3, 15]] },
  int32: { v: [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647], div: [[-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -70000, -70000, -70000, -70000, -70000, -70000, -70000, -7, -7, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647], [-2147483648, -70000, -7, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647, -2147483648, -70000, -7, -1, 7, 65536, 2147483647]], pow: [[-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -70000, -70000, -70000, -70000, -70000, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 65536, 65536, 65536, 65536, 65536, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[-2147483648, -2147483648, -2147483648, -2147483648, -70000, -70000, -70000, -70000, -7, -7, -7, -7, -1, -1, -1, -1, 0, 0, 0, 0, 7, 7, 7, 7, 65536, 65536, 65536, 65536, 2147483647, 2147483647, 2147483647, 2147483647], [0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31, 0, 1, 3, 31]] },
  int64: { v: [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n], div: [[-9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -7, -7, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n], [-9223372036854775808n, -9007199254740993n, -7, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n, -9223372036854775808n, -9007199254740993n, -7, -1, 7, 1099511627779, 9223372036854775807n]], pow: [[-9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -7, -7, -7, -7, -7, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n], [0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7, 0, 1, 2, 3, 7]], shift: [[-9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -7, -7, -7, -7, -1, -1, -1, -1, 0, 0, 0, 0, 7, 7, 7, 7, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n], [0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63, 0, 1, 3, 63]] },
};
const INT_BINARY: [string, string, 'all' | 'div' | 'pow' | 'shift', Out][] = [
  ['add', 'uint8', 'all', [0, 1, 7, 100, 200, 255, 1, 2, 8, 101, 201, 0, 7, 8, 14, 107, 207, 6, 100, 101, 107, 200, 44, 99, 200, 201, 207, 44, 144, 199, 255, 0, 6, 99, 199, 254]],
  ['subtract', 'uint8', 'all', [0, 255, 249, 156, 56, 1, 1, 0, 250, 157, 57, 2, 7, 6, 0, 163, 63, 8, 100, 99, 93, 0, 156, 101, 200, 199, 193, 100, 0, 201, 255, 254, 248, 155, 55, 0]],
  ['multiply', 'uint8', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 7, 100, 200, 255, 0, 7, 49, 188, 120, 249, 0, 100, 188, 16, 32, 156, 0, 200, 120, 32, 64, 56, 0, 255, 249, 156, 56, 1]],
  ['maximum', 'uint8', 'all', [0, 1, 7, 100, 200, 255, 1, 1, 7, 100, 200, 255, 7, 7, 7, 100, 200, 255, 100, 100, 100, 100, 200, 255, 200, 200, 200, 200, 200, 255, 255, 255, 255, 255, 255, 255]],
  ['minimum', 'uint8', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 7, 7, 7, 7, 0, 1, 7, 100, 100, 100, 0, 1, 7, 100, 200, 200, 0, 1, 7, 100, 200, 255]],
  ['equal', 'uint8', 'all', '100000010000001000000100000010000001'],
  ['notEqual', 'uint8', 'all', '011111101111110111111011111101111110'],
  ['less', 'uint8', 'all', '011111001111000111000011000001000000'],
  ['lessEqual', 'uint8', 'all', '111111011111001111000111000011000001'],
  ['greater', 'uint8', 'all', '000000100000110000111000111100111110'],
  ['greaterEqual', 'uint8', 'all', '100000110000111000111100111110111111'],
  ['bitwiseAnd', 'uint8', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 7, 4, 0, 7, 0, 0, 4, 100, 64, 100, 0, 0, 0, 64, 200, 200, 0, 1, 7, 100, 200, 255]],
  ['bitwiseOr', 'uint8', 'all', [0, 1, 7, 100, 200, 255, 1, 1, 7, 101, 201, 255, 7, 7, 7, 103, 207, 255, 100, 101, 103, 100, 236, 255, 200, 201, 207, 236, 200, 255, 255, 255, 255, 255, 255, 255]],
  ['bitwiseXor', 'uint8', 'all', [0, 1, 7, 100, 200, 255, 1, 0, 6, 101, 201, 254, 7, 6, 0, 99, 207, 248, 100, 101, 99, 0, 172, 155, 200, 201, 207, 172, 0, 55, 255, 254, 248, 155, 55, 0]],
  ['divide', 'uint8', 'all', [NaN, 0, 0, 0, 0, 0, Infinity, 1, 0.14285715, 0.01, 0.005, 0.003921569, Infinity, 7, 1, 0.07, 0.035, 0.02745098, Infinity, 100, 14.285714, 1, 0.5, 0.39215687, Infinity, 200, 28.571428, 2, 1, 0.78431374, Infinity, 255, 36.42857, 2.55, 1.275, 1]],
  ['logicalAnd', 'uint8', 'all', '000000011111011111011111011111011111'],
  ['logicalOr', 'uint8', 'all', '011111111111111111111111111111111111'],
  ['arctan2', 'uint8', 'all', [0, 0, 0, 0, 0, 0, 1.5707964, 0.7853982, 0.14189707, 0.009999666, 0.0049999584, 0.003921549, 1.5707964, 1.4288993, 0.7853982, 0.069886, 0.034985717, 0.027444089, 1.5707964, 1.5607966, 1.5009103, 0.7853982, 0.4636476, 0.37372681, 1.5707964, 1.5657964, 1.5358106, 1.1071488, 0.7853982, 0.6651027, 1.5707964, 1.5668747, 1.5433522, 1.1970695, 0.90569365, 0.7853982]],
  ['floorDivide', 'uint8', 'div', [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7, 1, 0, 0, 0, 100, 14, 1, 0, 0, 200, 28, 2, 1, 0, 255, 36, 2, 1, 1]],
  ['remainder', 'uint8', 'div', [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 7, 7, 7, 0, 2, 0, 100, 100, 0, 4, 0, 0, 200, 0, 3, 55, 55, 0]],
  ['power', 'uint8', 'pow', [1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 49, 87, 247, 1, 100, 16, 64, 0, 1, 200, 64, 0, 0, 1, 255, 1, 255, 255]],
  ['leftShift', 'uint8', 'shift', [0, 0, 0, 0, 1, 2, 8, 128, 7, 14, 56, 128, 100, 200, 32, 0, 200, 144, 64, 0, 255, 254, 248, 128]],
  ['rightShift', 'uint8', 'shift', [0, 0, 0, 0, 1, 0, 0, 0, 7, 3, 0, 0, 100, 50, 12, 0, 200, 100, 25, 1, 255, 127, 31, 1]],
  ['add', 'uint16', 'all', [0, 1, 7, 300, 40000, 65535, 1, 2, 8, 301, 40001, 0, 7, 8, 14, 307, 40007, 6, 300, 301, 307, 600, 40300, 299, 40000, 40001, 40007, 40300, 14464, 39999, 65535, 0, 6, 299, 39999, 65534]],
  ['subtract', 'uint16', 'all', [0, 65535, 65529, 65236, 25536, 1, 1, 0, 65530, 65237, 25537, 2, 7, 6, 0, 65243, 25543, 8, 300, 299, 293, 0, 25836, 301, 40000, 39999, 39993, 39700, 0, 40001, 65535, 65534, 65528, 65235, 25535, 0]],
  ['multiply', 'uint16', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 7, 300, 40000, 65535, 0, 7, 49, 2100, 17856, 65529, 0, 300, 2100, 24464, 6912, 65236, 0, 40000, 17856, 6912, 4096, 25536, 0, 65535, 65529, 65236, 25536, 1]],
  ['maximum', 'uint16', 'all', [0, 1, 7, 300, 40000, 65535, 1, 1, 7, 300, 40000, 65535, 7, 7, 7, 300, 40000, 65535, 300, 300, 300, 300, 40000, 65535, 40000, 40000, 40000, 40000, 40000, 65535, 65535, 65535, 65535, 65535, 65535, 65535]],
  ['minimum', 'uint16', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 7, 7, 7, 7, 0, 1, 7, 300, 300, 300, 0, 1, 7, 300, 40000, 40000, 0, 1, 7, 300, 40000, 65535]],
  ['equal', 'uint16', 'all', '100000010000001000000100000010000001'],
  ['notEqual', 'uint16', 'all', '011111101111110111111011111101111110'],
  ['less', 'uint16', 'all', '011111001111000111000011000001000000'],
  ['lessEqual', 'uint16', 'all', '111111011111001111000111000011000001'],
  ['greater', 'uint16', 'all', '000000100000110000111000111100111110'],
  ['greaterEqual', 'uint16', 'all', '100000110000111000111100111110111111'],
  ['bitwiseAnd', 'uint16', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 7, 4, 0, 7, 0, 0, 4, 300, 0, 300, 0, 0, 0, 0, 40000, 40000, 0, 1, 7, 300, 40000, 65535]],
  ['bitwiseOr', 'uint16', 'all', [0, 1, 7, 300, 40000, 65535, 1, 1, 7, 301, 40001, 65535, 7, 7, 7, 303, 40007, 65535, 300, 301, 303, 300, 40300, 65535, 40000, 40001, 40007, 40300, 40000, 65535, 65535, 65535, 65535, 65535, 65535, 65535]],
  ['bitwiseXor', 'uint16', 'all', [0, 1, 7, 300, 40000, 65535, 1, 0, 6, 301, 40001, 65534, 7, 6, 0, 299, 40007, 65528, 300, 301, 299, 0, 40300, 65235, 40000, 40001, 40007, 40300, 0, 25535, 65535, 65534, 65528, 65235, 25535, 0]],
  ['divide', 'uint16', 'all', [NaN, 0, 0, 0, 0, 0, Infinity, 1, 0.14285715, 0.0033333334, 2.5e-05, 1.5259022e-05, Infinity, 7, 1, 0.023333333, 0.000175, 0.00010681315, Infinity, 300, 42.857143, 1, 0.0075, 0.0045777066, Infinity, 40000, 5714.2856, 133.33333, 1, 0.61036086, Infinity, 65535, 9362.143, 218.45, 1.638375, 1]],
  ['logicalAnd', 'uint16', 'all', '000000011111011111011111011111011111'],
  ['logicalOr', 'uint16', 'all', '011111111111111111111111111111111111'],
  ['arctan2', 'uint16', 'all', [0, 0, 0, 0, 0, 0, 1.5707964, 0.7853982, 0.14189707, 0.003333321, 2.5e-05, 1.5259022e-05, 1.5707964, 1.4288993, 0.7853982, 0.0233291, 0.000175, 0.00010681315, 1.5707964, 1.567463, 1.5474672, 0.7853982, 0.007499859, 0.0045776744, 1.5707964, 1.5707713, 1.5706214, 1.5632964, 0.7853982, 0.54800296, 1.5707964, 1.5707811, 1.5706896, 1.5662186, 1.0227934, 0.7853982]],
  ['floorDivide', 'uint16', 'div', [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7, 1, 0, 0, 0, 300, 42, 1, 0, 0, 40000, 5714, 133, 1, 0, 65535, 9362, 218, 1, 1]],
  ['remainder', 'uint16', 'div', [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 7, 7, 7, 0, 6, 0, 300, 300, 0, 2, 100, 0, 40000, 0, 1, 135, 25535, 0]],
  ['power', 'uint16', 'pow', [1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 49, 343, 37111, 1, 300, 24464, 64704, 49152, 1, 40000, 4096, 0, 0, 1, 65535, 1, 65535, 65535]],
  ['leftShift', 'uint16', 'shift', [0, 0, 0, 0, 1, 2, 8, 32768, 7, 14, 56, 32768, 300, 600, 2400, 0, 40000, 14464, 57856, 0, 65535, 65534, 65528, 32768]],
  ['rightShift', 'uint16', 'shift', [0, 0, 0, 0, 1, 0, 0, 0, 7, 3, 0, 0, 300, 150, 37, 0, 40000, 20000, 5000, 1, 65535, 32767, 8191, 1]],
  ['add', 'uint32', 'all', [0, 1, 7, 70000, 3000000000, 4294967295, 1, 2, 8, 70001, 3000000001, 0, 7, 8, 14, 70007, 3000000007, 6, 70000, 70001, 70007, 140000, 3000070000, 69999, 3000000000, 3000000001, 3000000007, 3000070000, 1705032704, 2999999999, 4294967295, 0, 6, 69999, 2999999999, 4294967294]],
  ['subtract', 'uint32', 'all', [0, 4294967295, 4294967289, 4294897296, 1294967296, 1, 1, 0, 4294967290, 4294897297, 1294967297, 2, 7, 6, 0, 4294897303, 1294967303, 8, 70000, 69999, 69993, 0, 1295037296, 70001, 3000000000, 2999999999, 2999999993, 2999930000, 0, 3000000001, 4294967295, 4294967294, 4294967288, 4294897295, 1294967295, 0]],
  ['multiply', 'uint32', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 7, 70000, 3000000000, 4294967295, 0, 7, 49, 490000, 3820130816, 4294967289, 0, 70000, 490000, 605032704, 1869029376, 4294897296, 0, 3000000000, 3820130816, 1869029376, 3800301568, 1294967296, 0, 4294967295, 4294967289, 4294897296, 1294967296, 1]],
  ['maximum', 'uint32', 'all', [0, 1, 7, 70000, 3000000000, 4294967295, 1, 1, 7, 70000, 3000000000, 4294967295, 7, 7, 7, 70000, 3000000000, 4294967295, 70000, 70000, 70000, 70000, 3000000000, 4294967295, 3000000000, 3000000000, 3000000000, 3000000000, 3000000000, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295]],
  ['minimum', 'uint32', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 7, 7, 7, 7, 0, 1, 7, 70000, 70000, 70000, 0, 1, 7, 70000, 3000000000, 3000000000, 0, 1, 7, 70000, 3000000000, 4294967295]],
  ['equal', 'uint32', 'all', '100000010000001000000100000010000001'],
  ['notEqual', 'uint32', 'all', '011111101111110111111011111101111110'],
  ['less', 'uint32', 'all', '011111001111000111000011000001000000'],
  ['lessEqual', 'uint32', 'all', '111111011111001111000111000011000001'],
  ['greater', 'uint32', 'all', '000000100000110000111000111100111110'],
  ['greaterEqual', 'uint32', 'all', '100000110000111000111100111110111111'],
  ['bitwiseAnd', 'uint32', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 7, 0, 0, 7, 0, 0, 0, 70000, 4096, 70000, 0, 0, 0, 4096, 3000000000, 3000000000, 0, 1, 7, 70000, 3000000000, 4294967295]],
  ['bitwiseOr', 'uint32', 'all', [0, 1, 7, 70000, 3000000000, 4294967295, 1, 1, 7, 70001, 3000000001, 4294967295, 7, 7, 7, 70007, 3000000007, 4294967295, 70000, 70001, 70007, 70000, 3000065904, 4294967295, 3000000000, 3000000001, 3000000007, 3000065904, 3000000000, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295]],
  ['bitwiseXor', 'uint32', 'all', [0, 1, 7, 70000, 3000000000, 4294967295, 1, 0, 6, 70001, 3000000001, 4294967294, 7, 6, 0, 70007, 3000000007, 4294967288, 70000, 70001, 70007, 0, 3000061808, 4294897295, 3000000000, 3000000001, 3000000007, 3000061808, 0, 1294967295, 4294967295, 4294967294, 4294967288, 4294897295, 1294967295, 0]],
  ['divide', 'uint32', 'all', [NaN, 0, 0, 0, 0, 0, Infinity, 1, 0.14285715, 1.4285714e-05, 3.3333333e-10, 2.3283064e-10, Infinity, 7, 1, 1e-04, 2.3333333e-09, 1.6298145e-09, Infinity, 70000, 10000, 1, 2.3333334e-05, 1.6298145e-05, Infinity, 3e+09, 4.2857142e+08, 42857.145, 1, 0.69849193, Infinity, 4.2949673e+09, 6.135668e+08, 61356.676, 1.4316558, 1]],
  ['logicalAnd', 'uint32', 'all', '000000011111011111011111011111011111'],
  ['logicalOr', 'uint32', 'all', '011111111111111111111111111111111111'],
  ['arctan2', 'uint32', 'all', [0, 0, 0, 0, 0, 0, 1.5707964, 0.7853982, 0.14189707, 1.4285714e-05, 3.3333333e-10, 2.3283064e-10, 1.5707964, 1.4288993, 0.7853982, 1e-04, 2.3333333e-09, 1.6298145e-09, 1.5707964, 1.5707821, 1.5706964, 0.7853982, 2.3333334e-05, 1.6298145e-05, 1.5707964, 1.5707964, 1.5707964, 1.570773, 0.7853982, 0.60971314, 1.5707964, 1.5707964, 1.5707964, 1.57078, 0.96108323, 0.7853982]],
  ['floorDivide', 'uint32', 'div', [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7, 1, 0, 0, 0, 70000, 10000, 1, 0, 0, 3000000000, 428571428, 42857, 1, 0, 4294967295, 613566756, 61356, 1, 1]],
  ['remainder', 'uint32', 'div', [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 7, 7, 7, 0, 0, 0, 70000, 70000, 0, 4, 10000, 0, 3000000000, 0, 3, 47295, 1294967295, 0]],
  ['power', 'uint32', 'pow', [1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 49, 343, 823543, 1, 70000, 605032704, 3911741440, 1879048192, 1, 3000000000, 3800301568, 2013265920, 0, 1, 4294967295, 1, 4294967295, 4294967295]],
  ['leftShift', 'uint32', 'shift', [0, 0, 0, 0, 1, 2, 8, 2147483648, 7, 14, 56, 2147483648, 70000, 140000, 560000, 0, 3000000000, 1705032704, 2525163520, 0, 4294967295, 4294967294, 4294967288, 2147483648]],
  ['rightShift', 'uint32', 'shift', [0, 0, 0, 0, 1, 0, 0, 0, 7, 3, 0, 0, 70000, 35000, 8750, 0, 3000000000, 1500000000, 375000000, 1, 4294967295, 2147483647, 536870911, 1]],
  ['add', 'uint64', 'all', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 2, 8, 4294967302, 9007199254740994n, 0, 7, 8, 14, 4294967308, 9007199254741000n, 6, 4294967301, 4294967302, 4294967308, 8589934602, 9007203549708294n, 4294967300, 9007199254740993n, 9007199254740994n, 9007199254741000n, 9007203549708294n, 18014398509481986n, 9007199254740992, 18446744073709551615n, 0, 6, 4294967300, 9007199254740992, 18446744073709551614n]],
  ['subtract', 'uint64', 'all', [0, 18446744073709551615n, 18446744073709551609n, 18446744069414584315n, 18437736874454810623n, 1, 1, 0, 18446744073709551610n, 18446744069414584316n, 18437736874454810624n, 2, 7, 6, 0, 18446744069414584322n, 18437736874454810630n, 8, 4294967301, 4294967300, 4294967294, 0, 18437736878749777924n, 4294967302, 9007199254740993n, 9007199254740992, 9007199254740986, 9007194959773692, 0, 9007199254740994n, 18446744073709551615n, 18446744073709551614n, 18446744073709551608n, 18446744069414584314n, 18437736874454810622n, 0]],
  ['multiply', 'uint64', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 0, 7, 49, 30064771107, 63050394783186951n, 18446744073709551609n, 0, 4294967301, 30064771107, 42949672985, 45036000568672261n, 18446744069414584315n, 0, 9007199254740993n, 63050394783186951n, 45036000568672261n, 18014398509481985n, 18437736874454810623n, 0, 18446744073709551615n, 18446744073709551609n, 18446744069414584315n, 18437736874454810623n, 1]],
  ['maximum', 'uint64', 'all', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 7, 7, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 4294967301, 4294967301, 4294967301, 4294967301, 9007199254740993n, 18446744073709551615n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 9007199254740993n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n]],
  ['minimum', 'uint64', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 7, 7, 7, 7, 0, 1, 7, 4294967301, 4294967301, 4294967301, 0, 1, 7, 4294967301, 9007199254740993n, 9007199254740993n, 0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['equal', 'uint64', 'all', '100000010000001000000100000010000001'],
  ['notEqual', 'uint64', 'all', '011111101111110111111011111101111110'],
  ['less', 'uint64', 'all', '011111001111000111000011000001000000'],
  ['lessEqual', 'uint64', 'all', '111111011111001111000111000011000001'],
  ['greater', 'uint64', 'all', '000000100000110000111000111100111110'],
  ['greaterEqual', 'uint64', 'all', '100000110000111000111100111110111111'],
  ['bitwiseAnd', 'uint64', 'all', [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 7, 5, 1, 7, 0, 1, 5, 4294967301, 1, 4294967301, 0, 1, 1, 1, 9007199254740993n, 9007199254740993n, 0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['bitwiseOr', 'uint64', 'all', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 7, 7, 7, 4294967303, 9007199254740999n, 18446744073709551615n, 4294967301, 4294967301, 4294967303, 4294967301, 9007203549708293n, 18446744073709551615n, 9007199254740993n, 9007199254740993n, 9007199254740999n, 9007203549708293n, 9007199254740993n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n, 18446744073709551615n]],
  ['bitwiseXor', 'uint64', 'all', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n, 1, 0, 6, 4294967300, 9007199254740992, 18446744073709551614n, 7, 6, 0, 4294967298, 9007199254740998n, 18446744073709551608n, 4294967301, 4294967300, 4294967298, 0, 9007203549708292n, 18446744069414584314n, 9007199254740993n, 9007199254740992, 9007199254740998n, 9007203549708292n, 0, 18437736874454810622n, 18446744073709551615n, 18446744073709551614n, 18446744073709551608n, 18446744069414584314n, 18437736874454810622n, 0]],
  ['divide', 'uint64', 'all', [NaN, 0, 0, 0, 0, 0, Infinity, 1, 0.14285715, 2.3283064e-10, 1.110223e-16, 5.421011e-20, Infinity, 7, 1, 1.6298145e-09, 7.771561e-16, 3.7947076e-19, Infinity, 4.2949673e+09, 6.135668e+08, 1, 4.7683716e-07, 2.3283064e-10, Infinity, 9.007199e+15, 1.2867428e+15, 2.097152e+06, 1, 0.00048828125, Infinity, 1.8446744e+19, 2.6352493e+18, 4.2949673e+09, 2048, 1]],
  ['logicalAnd', 'uint64', 'all', '000000011111011111011111011111011111'],
  ['logicalOr', 'uint64', 'all', '011111111111111111111111111111111111'],
  ['arctan2', 'uint64', 'all', [0, 0, 0, 0, 0, 0, 1.5707964, 0.7853982, 0.14189707, 2.3283064e-10, 1.110223e-16, 5.421011e-20, 1.5707964, 1.4288993, 0.7853982, 1.6298145e-09, 7.771561e-16, 3.7947076e-19, 1.5707964, 1.5707964, 1.5707964, 0.7853982, 4.7683716e-07, 2.3283064e-10, 1.5707964, 1.5707964, 1.5707964, 1.5707959, 0.7853982, 0.00048828122, 1.5707964, 1.5707964, 1.5707964, 1.5707964, 1.5703081, 0.7853982]],
  ['floorDivide', 'uint64', 'div', [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7, 1, 0, 0, 0, 4294967301, 613566757, 1, 0, 0, 9007199254740993n, 1286742750677284, 2097151, 1, 0, 18446744073709551615n, 2635249153387078802n, 4294967291, 2047, 1]],
  ['remainder', 'uint64', 'div', [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 7, 7, 7, 0, 2, 0, 4294967301, 4294967301, 0, 5, 4284481542, 0, 9007199254740993n, 0, 1, 24, 9007199254738944, 0]],
  ['power', 'uint64', 'pow', [1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 49, 343, 823543, 1, 4294967301, 42949672985, 322122547325, 469762048078125, 1, 9007199254740993n, 18014398509481985n, 27021597764222977n, 63050394783186945n, 1, 18446744073709551615n, 1, 18446744073709551615n, 18446744073709551615n]],
  ['leftShift', 'uint64', 'shift', [0, 0, 0, 0, 1, 2, 8, 9223372036854775808n, 7, 14, 56, 9223372036854775808n, 4294967301, 8589934602, 34359738408, 9223372036854775808n, 9007199254740993n, 18014398509481986n, 72057594037927944n, 9223372036854775808n, 18446744073709551615n, 18446744073709551614n, 18446744073709551608n, 9223372036854775808n]],
  ['rightShift', 'uint64', 'shift', [0, 0, 0, 0, 1, 0, 0, 0, 7, 3, 0, 0, 4294967301, 2147483650, 536870912, 0, 9007199254740993n, 4503599627370496, 1125899906842624, 0, 18446744073709551615n, 9223372036854775807n, 2305843009213693951n, 1]],
  ['add', 'int8', 'all', [0, 121, 127, -128, -127, -121, -1, 121, -14, -8, -7, -6, 0, 120, 127, -8, -2, -1, 0, 6, 126, -128, -7, -1, 0, 1, 7, 127, -127, -6, 0, 1, 2, 8, -128, -121, 0, 6, 7, 8, 14, -122, -1, 120, 126, 127, -128, -122, -2]],
  ['subtract', 'int8', 'all', [0, -121, -127, -128, 127, 121, 1, 121, 0, -6, -7, -8, -14, 122, 127, 6, 0, -1, -2, -8, -128, -128, 7, 1, 0, -1, -7, -127, -127, 8, 2, 1, 0, -6, -126, -121, 14, 8, 7, 6, 0, -120, -1, -122, -128, 127, 126, 120, 0]],
  ['multiply', 'int8', 'all', [0, -128, -128, 0, -128, -128, -128, -128, 49, 7, 0, -7, -49, -121, -128, 7, 1, 0, -1, -7, -127, 0, 0, 0, 0, 0, 0, 0, -128, -7, -1, 0, 1, 7, 127, -128, -49, -7, 0, 7, 49, 121, -128, -121, -127, 0, 127, 121, 1]],
  ['maximum', 'int8', 'all', [-128, -7, -1, 0, 1, 7, 127, -7, -7, -1, 0, 1, 7, 127, -1, -1, -1, 0, 1, 7, 127, 0, 0, 0, 0, 1, 7, 127, 1, 1, 1, 1, 1, 7, 127, 7, 7, 7, 7, 7, 7, 127, 127, 127, 127, 127, 127, 127, 127]],
  ['minimum', 'int8', 'all', [-128, -128, -128, -128, -128, -128, -128, -128, -7, -7, -7, -7, -7, -7, -128, -7, -1, -1, -1, -1, -1, -128, -7, -1, 0, 0, 0, 0, -128, -7, -1, 0, 1, 1, 1, -128, -7, -1, 0, 1, 7, 7, -128, -7, -1, 0, 1, 7, 127]],
  ['equal', 'int8', 'all', '1000000010000000100000001000000010000000100000001'],
  ['notEqual', 'int8', 'all', '0111111101111111011111110111111101111111011111110'],
  ['less', 'int8', 'all', '0111111001111100011110000111000001100000010000000'],
  ['lessEqual', 'int8', 'all', '1111111011111100111110001111000011100000110000001'],
  ['greater', 'int8', 'all', '0000000100000011000001110000111100011111001111110'],
  ['greaterEqual', 'int8', 'all', '1000000110000011100001111000111110011111101111111'],
  ['bitwiseAnd', 'int8', 'all', [-128, -128, -128, 0, 0, 0, 0, -128, -7, -7, 0, 1, 1, 121, -128, -7, -1, 0, 1, 7, 127, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 7, 0, 1, 7, 7, 0, 121, 127, 0, 1, 7, 127]],
  ['bitwiseOr', 'int8', 'all', [-128, -7, -1, -128, -127, -121, -1, -7, -7, -1, -7, -7, -1, -1, -1, -1, -1, -1, -1, -1, -1, -128, -7, -1, 0, 1, 7, 127, -127, -7, -1, 1, 1, 7, 127, -121, -1, -1, 7, 7, 7, 127, -1, -1, -1, 127, 127, 127, 127]],
  ['bitwiseXor', 'int8', 'all', [0, 121, 127, -128, -127, -121, -1, 121, 0, 6, -7, -8, -2, -122, 127, 6, 0, -1, -2, -8, -128, -128, -7, -1, 0, 1, 7, 127, -127, -8, -2, 1, 0, 6, 126, -121, -2, -8, 7, 6, 0, 120, -1, -122, -128, 127, 126, 120, 0]],
  ['divide', 'int8', 'all', [1, 18.285715, 128, -Infinity, -128, -18.285715, -1.007874, 0.0546875, 1, 7, -Infinity, -7, -1, -0.05511811, 0.0078125, 0.14285715, 1, -Infinity, -1, -0.14285715, -0.007874016, -0, -0, -0, NaN, 0, 0, 0, -0.0078125, -0.14285715, -1, Infinity, 1, 0.14285715, 0.007874016, -0.0546875, -1, -7, Infinity, 7, 1, 0.05511811, -0.9921875, -18.142857, -127, Infinity, 127, 18.142857, 1]],
  ['logicalAnd', 'int8', 'all', '1110111111011111101110000000111011111101111110111'],
  ['logicalOr', 'int8', 'all', '1111111111111111111111110111111111111111111111111'],
  ['arctan2', 'int8', 'all', [-2.3561945, -1.6254294, -1.5786086, -1.5707964, -1.562984, -1.5161632, -0.7893197, -3.0869596, -2.3561945, -1.7126933, -1.5707964, -1.4288993, -0.7853982, -0.055062395, -3.1337802, -2.9996955, -2.3561945, -1.5707964, -0.7853982, -0.14189707, -0.007873853, 3.1415927, 3.1415927, 3.1415927, 0, 0, 0, 0, 3.1337802, 2.9996955, 2.3561945, 1.5707964, 0.7853982, 0.14189707, 0.007873853, 3.0869596, 2.3561945, 1.7126933, 1.5707964, 1.4288993, 0.7853982, 0.055062395, 2.360116, 1.6258587, 1.5786701, 1.5707964, 1.5629225, 1.515734, 0.7853982]],
  ['floorDivide', 'int8', 'div', [1, 18, -128, -19, -2, 0, 1, 7, -7, -1, -1, 0, 0, 1, -1, -1, -1, 0, 0, 0, 0, 0, 0, -1, -1, -1, 1, 0, 0, -1, -1, -7, 7, 1, 0, -1, -19, -127, 127, 18, 1]],
  ['remainder', 'int8', 'div', [0, -2, 0, 5, 126, -7, 0, 0, 0, 0, 120, -1, -1, 0, 0, 6, 126, 0, 0, 0, 0, 0, 0, -127, -6, 0, 0, 1, 1, -121, 0, 0, 0, 0, 7, -1, -6, 0, 0, 1, 0]],
  ['power', 'int8', 'pow', [1, -128, 0, 0, 0, 1, -7, 49, -87, 9, 1, -1, 1, -1, -1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 7, 49, 87, -9, 1, 127, 1, 127, 127]],
  ['leftShift', 'int8', 'shift', [-128, 0, 0, 0, -7, -14, -56, -128, -1, -2, -8, -128, 0, 0, 0, 0, 1, 2, 8, -128, 7, 14, 56, -128, 127, -2, -8, -128]],
  ['rightShift', 'int8', 'shift', [-128, -64, -16, -1, -7, -4, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 1, 0, 0, 0, 7, 3, 0, 0, 127, 63, 15, 0]],
  ['add', 'int16', 'all', [0, 32468, 32761, 32767, -32768, -32761, -1, 32468, -600, -307, -301, -300, -293, 32467, 32761, -307, -14, -8, -7, 0, 32760, 32767, -301, -8, -2, -1, 6, 32766, -32768, -300, -7, -1, 0, 7, 32767, -32761, -293, 0, 6, 7, 14, -32762, -1, 32467, 32760, 32766, 32767, -32762, -2]],
  ['subtract', 'int16', 'all', [0, -32468, -32761, -32767, -32768, 32761, 1, 32468, 0, -293, -299, -300, -307, 32469, 32761, 293, 0, -6, -7, -14, 32762, 32767, 299, 6, 0, -1, -8, -32768, -32768, 300, 7, 1, 0, -7, -32767, -32761, 307, 14, 8, 7, 0, -32760, -1, -32469, -32762, -32768, 32767, 32760, 0]],
  ['multiply', 'int16', 'all', [0, 0, -32768, -32768, 0, -32768, -32768, 0, 24464, 2100, 300, 0, -2100, 300, -32768, 2100, 49, 7, 0, -49, -32761, -32768, 300, 7, 1, 0, -7, -32767, 0, 0, 0, 0, 0, 0, 0, -32768, -2100, -49, -7, 0, 49, 32761, -32768, 300, -32761, -32767, 0, 32761, 1]],
  ['maximum', 'int16', 'all', [-32768, -300, -7, -1, 0, 7, 32767, -300, -300, -7, -1, 0, 7, 32767, -7, -7, -7, -1, 0, 7, 32767, -1, -1, -1, -1, 0, 7, 32767, 0, 0, 0, 0, 0, 7, 32767, 7, 7, 7, 7, 7, 7, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767]],
  ['minimum', 'int16', 'all', [-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -300, -300, -300, -300, -300, -300, -32768, -300, -7, -7, -7, -7, -7, -32768, -300, -7, -1, -1, -1, -1, -32768, -300, -7, -1, 0, 0, 0, -32768, -300, -7, -1, 0, 7, 7, -32768, -300, -7, -1, 0, 7, 32767]],
  ['equal', 'int16', 'all', '1000000010000000100000001000000010000000100000001'],
  ['notEqual', 'int16', 'all', '0111111101111111011111110111111101111111011111110'],
  ['less', 'int16', 'all', '0111111001111100011110000111000001100000010000000'],
  ['lessEqual', 'int16', 'all', '1111111011111100111110001111000011100000110000001'],
  ['greater', 'int16', 'all', '0000000100000011000001110000111100011111001111110'],
  ['greaterEqual', 'int16', 'all', '1000000110000011100001111000111110011111101111111'],
  ['bitwiseAnd', 'int16', 'all', [-32768, -32768, -32768, -32768, 0, 0, 0, -32768, -300, -304, -300, 0, 4, 32468, -32768, -304, -7, -7, 0, 1, 32761, -32768, -300, -7, -1, 0, 7, 32767, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 7, 0, 7, 7, 0, 32468, 32761, 32767, 0, 7, 32767]],
  ['bitwiseOr', 'int16', 'all', [-32768, -300, -7, -1, -32768, -32761, -1, -300, -300, -3, -1, -300, -297, -1, -7, -3, -7, -1, -7, -1, -1, -1, -1, -1, -1, -1, -1, -1, -32768, -300, -7, -1, 0, 7, 32767, -32761, -297, -1, -1, 7, 7, 32767, -1, -1, -1, -1, 32767, 32767, 32767]],
  ['bitwiseXor', 'int16', 'all', [0, 32468, 32761, 32767, -32768, -32761, -1, 32468, 0, 301, 299, -300, -301, -32469, 32761, 301, 0, 6, -7, -2, -32762, 32767, 299, 6, 0, -1, -8, -32768, -32768, -300, -7, -1, 0, 7, 32767, -32761, -301, -2, -8, 7, 0, 32760, -1, -32469, -32762, -32768, 32767, 32760, 0]],
  ['divide', 'int16', 'all', [1, 109.22667, 4681.143, 32768, -Infinity, -4681.143, -1.0000305, 0.009155273, 1, 42.857143, 300, -Infinity, -42.857143, -0.009155553, 0.00021362305, 0.023333333, 1, 7, -Infinity, -1, -0.00021362957, 3.0517578e-05, 0.0033333334, 0.14285715, 1, -Infinity, -0.14285715, -3.051851e-05, -0, -0, -0, -0, NaN, 0, 0, -0.00021362305, -0.023333333, -1, -7, Infinity, 1, 0.00021362957, -0.9999695, -109.223335, -4681, -32767, Infinity, 4681, 1]],
  ['logicalAnd', 'int16', 'all', '1111011111101111110111111011000000011110111111011'],
  ['logicalOr', 'int16', 'all', '1111111111111111111111111111111101111111111111111'],
  ['arctan2', 'int16', 'all', [-2.3561945, -1.5799513, -1.5710099, -1.5708268, -1.5707964, -1.5705827, -0.78541344, -3.1324377, -2.3561945, -1.5941254, -1.5741296, -1.5707964, -1.5474672, -0.009155297, -3.141379, -3.1182635, -2.3561945, -1.7126933, -1.5707964, -0.7853982, -0.00021362957, -3.1415622, -3.1382594, -2.9996955, -2.3561945, -1.5707964, -0.14189707, -3.051851e-05, 3.1415927, 3.1415927, 3.1415927, 3.1415927, 0, 0, 0, 3.141379, 3.1182635, 2.3561945, 1.7126933, 1.5707964, 0.7853982, 0.00021362957, 2.3562098, 1.5799516, 1.5710099, 1.5708268, 1.5707964, 1.5705827, 0.7853982]],
  ['floorDivide', 'int16', 'div', [1, 109, 4681, -4682, -2, 0, 1, 42, 300, -43, -1, 0, 0, 1, 7, -1, -1, 0, 0, 0, 1, -1, -1, 0, 0, 0, 0, 0, 0, -1, -1, -1, -7, 1, 0, -1, -110, -4681, -32767, 4681, 1]],
  ['remainder', 'int16', 'div', [0, -68, -1, 6, 32766, -300, 0, -6, 0, 1, 32467, -7, -7, 0, 0, 0, 32760, -1, -1, -1, 0, 6, 32766, 0, 0, 0, 0, 0, 0, -32761, -293, 0, 0, 0, 7, -1, -233, 0, 0, 0, 0]],
  ['power', 'int16', 'pow', [1, -32768, 0, 0, 0, 1, -300, 24464, 832, 16384, 1, -7, 49, -343, 28425, 1, -1, 1, -1, -1, 1, 0, 0, 0, 0, 1, 7, 49, 343, -28425, 1, 32767, 1, 32767, 32767]],
  ['leftShift', 'int16', 'shift', [-32768, 0, 0, 0, -300, -600, -2400, 0, -7, -14, -56, -32768, -1, -2, -8, -32768, 0, 0, 0, 0, 7, 14, 56, -32768, 32767, -2, -8, -32768]],
  ['rightShift', 'int16', 'shift', [-32768, -16384, -4096, -1, -300, -150, -38, -1, -7, -4, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 7, 3, 0, 0, 32767, 16383, 4095, 0]],
  ['add', 'int32', 'all', [0, 2147413648, 2147483641, 2147483647, -2147483648, -2147483641, -2147418112, -1, 2147413648, -140000, -70007, -70001, -70000, -69993, -4464, 2147413647, 2147483641, -70007, -14, -8, -7, 0, 65529, 2147483640, 2147483647, -70001, -8, -2, -1, 6, 65535, 2147483646, -2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647, -2147483641, -69993, 0, 6, 7, 14, 65543, -2147483642, -2147418112, -4464, 65529, 65535, 65536, 65543, 131072, -2147418113, -1, 2147413647, 2147483640, 2147483646, 2147483647, -2147483642, -2147418113, -2]],
  ['subtract', 'int32', 'all', [0, -2147413648, -2147483641, -2147483647, -2147483648, 2147483641, 2147418112, 1, 2147413648, 0, -69993, -69999, -70000, -70007, -135536, 2147413649, 2147483641, 69993, 0, -6, -7, -14, -65543, 2147483642, 2147483647, 69999, 6, 0, -1, -8, -65537, -2147483648, -2147483648, 70000, 7, 1, 0, -7, -65536, -2147483647, -2147483641, 70007, 14, 8, 7, 0, -65529, -2147483640, -2147418112, 135536, 65543, 65537, 65536, 65529, 0, -2147418111, -1, -2147413649, -2147483642, -2147483648, 2147483647, 2147483640, 2147418111, 0]],
  ['multiply', 'int32', 'all', [0, 0, -2147483648, -2147483648, 0, -2147483648, 0, -2147483648, 0, 605032704, 490000, 70000, 0, -490000, -292552704, 70000, -2147483648, 490000, 49, 7, 0, -49, -458752, -2147483641, -2147483648, 70000, 7, 1, 0, -7, -65536, -2147483647, 0, 0, 0, 0, 0, 0, 0, 0, -2147483648, -490000, -49, -7, 0, 49, 458752, 2147483641, 0, -292552704, -458752, -65536, 0, 458752, 0, -65536, -2147483648, 70000, -2147483641, -2147483647, 0, 2147483641, -65536, 1]],
  ['maximum', 'int32', 'all', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647, -70000, -70000, -7, -1, 0, 7, 65536, 2147483647, -7, -7, -7, -1, 0, 7, 65536, 2147483647, -1, -1, -1, -1, 0, 7, 65536, 2147483647, 0, 0, 0, 0, 0, 7, 65536, 2147483647, 7, 7, 7, 7, 7, 7, 65536, 2147483647, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647]],
  ['minimum', 'int32', 'all', [-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -70000, -70000, -70000, -70000, -70000, -70000, -70000, -2147483648, -70000, -7, -7, -7, -7, -7, -7, -2147483648, -70000, -7, -1, -1, -1, -1, -1, -2147483648, -70000, -7, -1, 0, 0, 0, 0, -2147483648, -70000, -7, -1, 0, 7, 7, 7, -2147483648, -70000, -7, -1, 0, 7, 65536, 65536, -2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['equal', 'int32', 'all', '1000000001000000001000000001000000001000000001000000001000000001'],
  ['notEqual', 'int32', 'all', '0111111110111111110111111110111111110111111110111111110111111110'],
  ['less', 'int32', 'all', '0111111100111111000111110000111100000111000000110000000100000000'],
  ['lessEqual', 'int32', 'all', '1111111101111111001111110001111100001111000001110000001100000001'],
  ['greater', 'int32', 'all', '0000000010000000110000001110000011110000111110001111110011111110'],
  ['greaterEqual', 'int32', 'all', '1000000011000000111000001111000011111000111111001111111011111111'],
  ['bitwiseAnd', 'int32', 'all', [-2147483648, -2147483648, -2147483648, -2147483648, 0, 0, 0, 0, -2147483648, -70000, -70000, -70000, 0, 0, 0, 2147413648, -2147483648, -70000, -7, -7, 0, 1, 65536, 2147483641, -2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 0, 7, 0, 7, 0, 0, 65536, 65536, 0, 0, 65536, 65536, 0, 2147413648, 2147483641, 2147483647, 0, 7, 65536, 2147483647]],
  ['bitwiseOr', 'int32', 'all', [-2147483648, -70000, -7, -1, -2147483648, -2147483641, -2147418112, -1, -70000, -70000, -7, -1, -70000, -69993, -4464, -1, -7, -7, -7, -1, -7, -1, -7, -1, -1, -1, -1, -1, -1, -1, -1, -1, -2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647, -2147483641, -69993, -1, -1, 7, 7, 65543, 2147483647, -2147418112, -4464, -7, -1, 65536, 65543, 65536, 2147483647, -1, -1, -1, -1, 2147483647, 2147483647, 2147483647, 2147483647]],
  ['bitwiseXor', 'int32', 'all', [0, 2147413648, 2147483641, 2147483647, -2147483648, -2147483641, -2147418112, -1, 2147413648, 0, 69993, 69999, -70000, -69993, -4464, -2147413649, 2147483641, 69993, 0, 6, -7, -2, -65543, -2147483642, 2147483647, 69999, 6, 0, -1, -8, -65537, -2147483648, -2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647, -2147483641, -69993, -2, -8, 7, 0, 65543, 2147483640, -2147418112, -4464, -65543, -65537, 65536, 65543, 0, 2147418111, -1, -2147413649, -2147483642, -2147483648, 2147483647, 2147483640, 2147418111, 0]],
  ['divide', 'int32', 'all', [1, 30678.338, 3.067834e+08, 2.1474836e+09, -Infinity, -3.067834e+08, -32768, -1, 3.259629e-05, 1, 10000, 70000, -Infinity, -10000, -1.0681152, -3.259629e-05, 3.259629e-09, 1e-04, 1, 7, -Infinity, -1, -0.00010681152, -3.259629e-09, 4.656613e-10, 1.4285714e-05, 0.14285715, 1, -Infinity, -0.14285715, -1.5258789e-05, -4.656613e-10, -0, -0, -0, -0, NaN, 0, 0, 0, -3.259629e-09, -1e-04, -1, -7, Infinity, 1, 0.00010681152, 3.259629e-09, -3.0517578e-05, -0.9362286, -9362.286, -65536, Infinity, 9362.286, 1, 3.0517578e-05, -1, -30678.338, -3.067834e+08, -2.1474836e+09, Infinity, 3.067834e+08, 32768, 1]],
  ['logicalAnd', 'int32', 'all', '1111011111110111111101111111011100000000111101111111011111110111'],
  ['logicalOr', 'int32', 'all', '1111111111111111111111111111111111110111111111111111111111111111'],
  ['arctan2', 'int32', 'all', [-2.3561945, -1.5708289, -1.5707963, -1.5707963, -1.5707964, -1.5707964, -1.5707659, -0.7853982, -3.14156, -2.3561945, -1.5708963, -1.5708106, -1.5707964, -1.5706964, -0.8183222, -3.259629e-05, -3.1415927, -3.1414926, -2.3561945, -1.7126933, -1.5707964, -0.7853982, -0.00010681152, -3.259629e-09, -3.1415927, -3.1415784, -2.9996955, -2.3561945, -1.5707964, -0.14189707, -1.5258789e-05, -4.656613e-10, 3.1415927, 3.1415927, 3.1415927, 3.1415927, 0, 0, 0, 0, 3.1415927, 3.1414926, 2.3561945, 1.7126933, 1.5707964, 0.7853982, 0.00010681152, 3.259629e-09, 3.1415622, 2.3891184, 1.5709031, 1.5708115, 1.5707964, 1.5706896, 0.7853982, 3.0517578e-05, 2.3561945, 1.5708289, 1.5707963, 1.5707963, 1.5707964, 1.5707964, 1.5707659, 0.7853982]],
  ['floorDivide', 'int32', 'div', [1, 30678, 306783378, -306783379, -32768, -2, 0, 1, 10000, 70000, -10000, -2, -1, 0, 0, 1, 7, -1, -1, -1, 0, 0, 0, 1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -7, 1, 0, 0, -1, -1, -9363, -65536, 9362, 1, 0, -1, -30679, -306783379, -2147483647, 306783378, 32767, 1]],
  ['remainder', 'int32', 'div', [0, -23648, -2, 5, 0, 2147483646, -70000, 0, 0, 0, 0, 61072, 2147413647, -7, -7, 0, 0, 0, 65529, 2147483640, -1, -1, -1, 0, 6, 65535, 2147483646, 0, 0, 0, 0, 0, 0, 0, -2147483641, -69993, 0, 0, 0, 7, 7, -2147418112, -4464, -5, 0, 2, 0, 65536, -1, -46353, -6, 0, 1, 65535, 0]],
  ['power', 'int32', 'pow', [1, -2147483648, 0, 0, 0, 1, -70000, 605032704, 383225856, -1879048192, 1, -7, 49, -343, -823543, 1, -1, 1, -1, -1, 1, 0, 0, 0, 0, 1, 7, 49, 343, 823543, 1, 65536, 0, 0, 0, 1, 2147483647, 1, 2147483647, 2147483647]],
  ['leftShift', 'int32', 'shift', [-2147483648, 0, 0, 0, -70000, -140000, -560000, 0, -7, -14, -56, -2147483648, -1, -2, -8, -2147483648, 0, 0, 0, 0, 7, 14, 56, -2147483648, 65536, 131072, 524288, 0, 2147483647, -2, -8, -2147483648]],
  ['rightShift', 'int32', 'shift', [-2147483648, -1073741824, -268435456, -1, -70000, -35000, -8750, -1, -7, -4, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 7, 3, 0, 0, 65536, 32768, 8192, 0, 2147483647, 1073741823, 268435455, 0]],
  ['add', 'int64', 'all', [0, 9214364837600034815n, 9223372036854775801n, 9223372036854775807n, -9223372036854775808n, -9223372036854775801n, -9223370937343148029n, -1, 9214364837600034815n, -18014398509481986n, -9007199254741000n, -9007199254740994n, -9007199254740993n, -9007199254740986, -9006099743113214, 9214364837600034814n, 9223372036854775801n, -9007199254741000n, -14, -8, -7, 0, 1099511627772, 9223372036854775800n, 9223372036854775807n, -9007199254740994n, -8, -2, -1, 6, 1099511627778, 9223372036854775806n, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -9223372036854775801n, -9007199254740986, 0, 6, 7, 14, 1099511627786, -9223372036854775802n, -9223370937343148029n, -9006099743113214, 1099511627772, 1099511627778, 1099511627779, 1099511627786, 2199023255558, -9223370937343148030n, -1, 9214364837600034814n, 9223372036854775800n, 9223372036854775806n, 9223372036854775807n, -9223372036854775802n, -9223370937343148030n, -2]],
  ['subtract', 'int64', 'all', [0, -9214364837600034815n, -9223372036854775801n, -9223372036854775807n, -9223372036854775808n, 9223372036854775801n, 9223370937343148029n, 1, 9214364837600034815n, 0, -9007199254740986, -9007199254740992, -9007199254740993n, -9007199254741000n, -9008298766368772n, 9214364837600034816n, 9223372036854775801n, 9007199254740986, 0, -6, -7, -14, -1099511627786, 9223372036854775802n, 9223372036854775807n, 9007199254740992, 6, 0, -1, -8, -1099511627780, -9223372036854775808n, -9223372036854775808n, 9007199254740993n, 7, 1, 0, -7, -1099511627779, -9223372036854775807n, -9223372036854775801n, 9007199254741000n, 14, 8, 7, 0, -1099511627772, -9223372036854775800n, -9223370937343148029n, 9008298766368772n, 1099511627786, 1099511627780, 1099511627779, 1099511627772, 0, -9223370937343148028n, -1, -9214364837600034816n, -9223372036854775802n, -9223372036854775808n, 9223372036854775807n, 9223372036854775800n, 9223370937343148028n, 0]],
  ['multiply', 'int64', 'all', [0, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, 0, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, 18014398509481985n, 63050394783186951n, 9007199254740993n, 0, -63050394783186951n, -27022697275850755n, -9214364837600034815n, -9223372036854775808n, 63050394783186951n, 49, 7, 0, -49, -7696581394453, -9223372036854775801n, -9223372036854775808n, 9007199254740993n, 7, 1, 0, -7, -1099511627779, -9223372036854775807n, 0, 0, 0, 0, 0, 0, 0, 0, -9223372036854775808n, -63050394783186951n, -49, -7, 0, 49, 7696581394453, 9223372036854775801n, -9223372036854775808n, -27022697275850755n, -7696581394453, -1099511627779, 0, 7696581394453, 6597069766665, 9223370937343148029n, -9223372036854775808n, -9214364837600034815n, -9223372036854775801n, -9223372036854775807n, 0, 9223372036854775801n, 9223370937343148029n, 1]],
  ['maximum', 'int64', 'all', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -9007199254740993n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -7, -7, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -1, -1, -1, -1, 0, 7, 1099511627779, 9223372036854775807n, 0, 0, 0, 0, 0, 7, 1099511627779, 9223372036854775807n, 7, 7, 7, 7, 7, 7, 1099511627779, 9223372036854775807n, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 1099511627779, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n]],
  ['minimum', 'int64', 'all', [-9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9007199254740993n, -9223372036854775808n, -9007199254740993n, -7, -7, -7, -7, -7, -7, -9223372036854775808n, -9007199254740993n, -7, -1, -1, -1, -1, -1, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 0, 0, 0, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 7, 7, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 1099511627779, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['equal', 'int64', 'all', '1000000001000000001000000001000000001000000001000000001000000001'],
  ['notEqual', 'int64', 'all', '0111111110111111110111111110111111110111111110111111110111111110'],
  ['less', 'int64', 'all', '0111111100111111000111110000111100000111000000110000000100000000'],
  ['lessEqual', 'int64', 'all', '1111111101111111001111110001111100001111000001110000001100000001'],
  ['greater', 'int64', 'all', '0000000010000000110000001110000011110000111110001111110011111110'],
  ['greaterEqual', 'int64', 'all', '1000000011000000111000001111000011111000111111001111111011111111'],
  ['bitwiseAnd', 'int64', 'all', [-9223372036854775808n, -9223372036854775808n, -9223372036854775808n, -9223372036854775808n, 0, 0, 0, 0, -9223372036854775808n, -9007199254740993n, -9007199254740999n, -9007199254740993n, 0, 7, 1099511627779, 9214364837600034815n, -9223372036854775808n, -9007199254740999n, -7, -7, 0, 1, 1099511627777, 9223372036854775801n, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 7, 0, 7, 3, 7, 0, 1099511627779, 1099511627777, 1099511627779, 0, 3, 1099511627779, 1099511627779, 0, 9214364837600034815n, 9223372036854775801n, 9223372036854775807n, 0, 7, 1099511627779, 9223372036854775807n]],
  ['bitwiseOr', 'int64', 'all', [-9223372036854775808n, -9007199254740993n, -7, -1, -9223372036854775808n, -9223372036854775801n, -9223370937343148029n, -1, -9007199254740993n, -9007199254740993n, -1, -1, -9007199254740993n, -9007199254740993n, -9007199254740993n, -1, -7, -1, -7, -1, -7, -1, -5, -1, -1, -1, -1, -1, -1, -1, -1, -1, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -9223372036854775801n, -9007199254740993n, -1, -1, 7, 7, 1099511627783, 9223372036854775807n, -9223370937343148029n, -9007199254740993n, -5, -1, 1099511627779, 1099511627783, 1099511627779, 9223372036854775807n, -1, -1, -1, -1, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n, 9223372036854775807n]],
  ['bitwiseXor', 'int64', 'all', [0, 9214364837600034815n, 9223372036854775801n, 9223372036854775807n, -9223372036854775808n, -9223372036854775801n, -9223370937343148029n, -1, 9214364837600034815n, 0, 9007199254740998n, 9007199254740992, -9007199254740993n, -9007199254741000n, -9008298766368772n, -9214364837600034816n, 9223372036854775801n, 9007199254740998n, 0, 6, -7, -2, -1099511627782, -9223372036854775802n, 9223372036854775807n, 9007199254740992, 6, 0, -1, -8, -1099511627780, -9223372036854775808n, -9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n, -9223372036854775801n, -9007199254741000n, -2, -8, 7, 0, 1099511627780, 9223372036854775800n, -9223370937343148029n, -9008298766368772n, -1099511627782, -1099511627780, 1099511627779, 1099511627780, 0, 9223370937343148028n, -1, -9214364837600034816n, -9223372036854775802n, -9223372036854775808n, 9223372036854775807n, 9223372036854775800n, 9223370937343148028n, 0]],
  ['divide', 'int64', 'all', [1, 1024, 1.3176246e+18, 9.223372e+18, -Infinity, -1.3176246e+18, -8.388608e+06, -1, 0.0009765625, 1, 1.2867428e+15, 9.007199e+15, -Infinity, -1.2867428e+15, -8192, -0.0009765625, 7.589415e-19, 7.771561e-16, 1, 7, -Infinity, -1, -6.366463e-12, -7.589415e-19, 1.0842022e-19, 1.110223e-16, 0.14285715, 1, -Infinity, -0.14285715, -9.094947e-13, -1.0842022e-19, -0, -0, -0, -0, NaN, 0, 0, 0, -7.589415e-19, -7.771561e-16, -1, -7, Infinity, 1, 6.366463e-12, 7.589415e-19, -1.1920929e-07, -0.00012207031, -1.570731e+11, -1.0995116e+12, Infinity, 1.570731e+11, 1, 1.1920929e-07, -1, -1024, -1.3176246e+18, -9.223372e+18, Infinity, 1.3176246e+18, 8.388608e+06, 1]],
  ['logicalAnd', 'int64', 'all', '1111011111110111111101111111011100000000111101111111011111110111'],
  ['logicalOr', 'int64', 'all', '1111111111111111111111111111111111110111111111111111111111111111'],
  ['arctan2', 'int64', 'all', [-2.3561945, -1.5717728, -1.5707963, -1.5707963, -1.5707964, -1.5707964, -1.5707963, -0.7853982, -3.1406162, -2.3561945, -1.5707963, -1.5707963, -1.5707964, -1.5707964, -1.5706743, -0.0009765622, -3.1415927, -3.1415927, -2.3561945, -1.7126933, -1.5707964, -0.7853982, -6.366463e-12, -7.589415e-19, -3.1415927, -3.1415927, -2.9996955, -2.3561945, -1.5707964, -0.14189707, -9.094947e-13, -1.0842022e-19, 3.1415927, 3.1415927, 3.1415927, 3.1415927, 0, 0, 0, 0, 3.1415927, 3.1415927, 2.3561945, 1.7126933, 1.5707964, 0.7853982, 6.366463e-12, 7.589415e-19, 3.1415925, 3.1414707, 1.5707963, 1.5707963, 1.5707964, 1.5707964, 0.7853982, 1.1920929e-07, 2.3561945, 1.5717728, 1.5707963, 1.5707963, 1.5707964, 1.5707964, 1.5707963, 0.7853982]],
  ['floorDivide', 'int64', 'div', [1, 1023, 1317624576693539401n, -1317624576693539402n, -8388608, -2, 0, 1, 1286742750677284, 9007199254740993n, -1286742750677285, -8192, -1, 0, 0, 1, 7, -1, -1, -1, 0, 0, 0, 1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -7, 1, 0, 0, -1, -1, -157073089683, -1099511627779, 157073089682, 1, 0, -1, -1024, -1317624576693539401n, -9223372036854775807n, 1317624576693539401n, 8388607, 1]],
  ['remainder', 'int64', 'div', [0, -9007199254739969, -1, 6, 25165824, 9223372036854775806n, -9007199254740993n, 0, -5, 0, 2, 24575, 9214364837600034814n, -7, -7, 0, 0, 0, 1099511627772, 9223372036854775800n, -1, -1, -1, 0, 6, 1099511627778, 9223372036854775806n, 0, 0, 0, 0, 0, 0, 0, -9223372036854775801n, -9007199254740986, 0, 0, 0, 7, 7, -9223370937343148029n, -9006099743113214, -2, 0, 5, 0, 1099511627779, -1, -1025, 0, 0, 0, 1099486461954, 0]],
  ['power', 'int64', 'pow', [1, -9223372036854775808n, 0, 0, 0, 1, -9007199254740993n, 18014398509481985n, -27021597764222977n, -63050394783186945n, 1, -7, 49, -343, -823543, 1, -1, 1, -1, -1, 1, 0, 0, 0, 0, 1, 7, 49, 343, 823543, 1, 1099511627779, 6597069766665, 29686813949979, 5610807836543115, 1, 9223372036854775807n, 1, 9223372036854775807n, 9223372036854775807n]],
  ['leftShift', 'int64', 'shift', [-9223372036854775808n, 0, 0, 0, -9007199254740993n, -18014398509481986n, -72057594037927944n, -9223372036854775808n, -7, -14, -56, -9223372036854775808n, -1, -2, -8, -9223372036854775808n, 0, 0, 0, 0, 7, 14, 56, -9223372036854775808n, 1099511627779, 2199023255558, 8796093022232, -9223372036854775808n, 9223372036854775807n, -2, -8, -9223372036854775808n]],
  ['rightShift', 'int64', 'shift', [-9223372036854775808n, -4611686018427387904n, -1152921504606846976n, -1, -9007199254740993n, -4503599627370497, -1125899906842625, -1, -7, -4, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 7, 3, 0, 0, 1099511627779, 549755813889, 137438953472, 0, 9223372036854775807n, 4611686018427387903n, 1152921504606846975n, 0]],
];
// Integer unary ops on INT_SET[dtype].v: [op, dtype, MLX output].
const INT_UNARY: [string, string, Out][] = [
  ['abs', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['negative', 'uint8', [0, 255, 249, 156, 56, 1]],
  ['sign', 'uint8', [0, 1, 1, 1, 1, 1]],
  ['square', 'uint8', [0, 1, 49, 16, 64, 1]],
  ['bitwiseInvert', 'uint8', [255, 254, 248, 155, 55, 0]],
  ['floor', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['ceil', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['round', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['logicalNot', 'uint8', '100000'],
  ['sqrt', 'uint8', [0, 1, 2.6457512, 10, 14.142136, 15.9687195]],
  ['exp', 'uint8', [1, 2.7182817, 1096.6333, Infinity, Infinity, Infinity]],
  ['reciprocal', 'uint8', [Infinity, 1, 0.14285715, 0.01, 0.005, 0.003921569]],
  ['isnan', 'uint8', '000000'],
  ['isinf', 'uint8', '000000'],
  ['isfinite', 'uint8', '111111'],
  ['nanToNum', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['real', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['imag', 'uint8', [0, 0, 0, 0, 0, 0]],
  ['conjugate', 'uint8', [0, 1, 7, 100, 200, 255]],
  ['degrees', 'uint8', [0, 57.29578, 401.07047, 5729.578, 11459.156, 14610.424]],
  ['abs', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['negative', 'uint16', [0, 65535, 65529, 65236, 25536, 1]],
  ['sign', 'uint16', [0, 1, 1, 1, 1, 1]],
  ['square', 'uint16', [0, 1, 49, 24464, 4096, 1]],
  ['bitwiseInvert', 'uint16', [65535, 65534, 65528, 65235, 25535, 0]],
  ['floor', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['ceil', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['round', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['logicalNot', 'uint16', '100000'],
  ['sqrt', 'uint16', [0, 1, 2.6457512, 17.320509, 200, 255.99805]],
  ['exp', 'uint16', [1, 2.7182817, 1096.6333, Infinity, Infinity, Infinity]],
  ['reciprocal', 'uint16', [Infinity, 1, 0.14285715, 0.0033333334, 2.5e-05, 1.5259022e-05]],
  ['isnan', 'uint16', '000000'],
  ['isinf', 'uint16', '000000'],
  ['isfinite', 'uint16', '111111'],
  ['nanToNum', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['real', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['imag', 'uint16', [0, 0, 0, 0, 0, 0]],
  ['conjugate', 'uint16', [0, 1, 7, 300, 40000, 65535]],
  ['degrees', 'uint16', [0, 57.29578, 401.07047, 17188.734, 2.2918312e+06, 3.754879e+06]],
  ['abs', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['negative', 'uint32', [0, 4294967295, 4294967289, 4294897296, 1294967296, 1]],
  ['sign', 'uint32', [0, 1, 1, 1, 1, 1]],
  ['square', 'uint32', [0, 1, 49, 605032704, 3800301568, 1]],
  ['bitwiseInvert', 'uint32', [4294967295, 4294967294, 4294967288, 4294897295, 1294967295, 0]],
  ['floor', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['ceil', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['round', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['logicalNot', 'uint32', '100000'],
  ['sqrt', 'uint32', [0, 1, 2.6457512, 264.57513, 54772.254, 65536]],
  ['exp', 'uint32', [1, 2.7182817, 1096.6333, Infinity, Infinity, Infinity]],
  ['reciprocal', 'uint32', [Infinity, 1, 0.14285715, 1.4285714e-05, 3.3333333e-10, 2.3283064e-10]],
  ['isnan', 'uint32', '000000'],
  ['isinf', 'uint32', '000000'],
  ['isfinite', 'uint32', '111111'],
  ['nanToNum', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['real', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['imag', 'uint32', [0, 0, 0, 0, 0, 0]],
  ['conjugate', 'uint32', [0, 1, 7, 70000, 3000000000, 4294967295]],
  ['degrees', 'uint32', [0, 57.29578, 401.07047, 4.0107045e+06, 1.7188735e+11, 2.460835e+11]],
  ['abs', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['negative', 'uint64', [0, 18446744073709551615n, 18446744073709551609n, 18446744069414584315n, 18437736874454810623n, 1]],
  ['sign', 'uint64', [0, 1, 1, 1, 1, 1]],
  ['square', 'uint64', [0, 1, 49, 42949672985, 18014398509481985n, 1]],
  ['bitwiseInvert', 'uint64', [18446744073709551615n, 18446744073709551614n, 18446744073709551608n, 18446744069414584314n, 18437736874454810622n, 0]],
  ['floor', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['ceil', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['round', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['logicalNot', 'uint64', '100000'],
  ['sqrt', 'uint64', [0, 1, 2.6457512, 65536, 9.4906264e+07, 4.2949673e+09]],
  ['exp', 'uint64', [1, 2.7182817, 1096.6333, Infinity, Infinity, Infinity]],
  ['reciprocal', 'uint64', [Infinity, 1, 0.14285715, 2.3283064e-10, 1.110223e-16, 5.421011e-20]],
  ['isnan', 'uint64', '000000'],
  ['isinf', 'uint64', '000000'],
  ['isfinite', 'uint64', '111111'],
  ['nanToNum', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['real', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['imag', 'uint64', [0, 0, 0, 0, 0, 0]],
  ['conjugate', 'uint64', [0, 1, 7, 4294967301, 9007199254740993n, 18446744073709551615n]],
  ['degrees', 'uint64', [0, 57.29578, 401.07047, 2.460835e+11, 5.160745e+17, 1.0569206e+21]],
  ['abs', 'int8', [-128, 7, 1, 0, 1, 7, 127]],
  ['negative', 'int8', [-128, 7, 1, 0, -1, -7, -127]],
  ['sign', 'int8', [-1, -1, -1, 0, 1, 1, 1]],
  ['square', 'int8', [0, 49, 1, 0, 1, 49, 1]],
  ['bitwiseInvert', 'int8', [127, 6, 0, -1, -2, -8, -128]],
  ['floor', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['ceil', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['round', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['logicalNot', 'int8', '0001000'],
  ['sqrt', 'int8', [NaN, NaN, NaN, 0, 1, 2.6457512, 11.269427]],
  ['exp', 'int8', [0, 0.0009118818, 0.36787945, 1, 2.7182817, 1096.6333, Infinity]],
  ['reciprocal', 'int8', [-0.0078125, -0.14285715, -1, Infinity, 1, 0.14285715, 0.007874016]],
  ['isnan', 'int8', '0000000'],
  ['isinf', 'int8', '0000000'],
  ['isfinite', 'int8', '1111111'],
  ['nanToNum', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['real', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['imag', 'int8', [0, 0, 0, 0, 0, 0, 0]],
  ['conjugate', 'int8', [-128, -7, -1, 0, 1, 7, 127]],
  ['degrees', 'int8', [-7333.86, -401.07047, -57.29578, 0, 57.29578, 401.07047, 7276.564]],
  ['abs', 'int16', [-32768, 300, 7, 1, 0, 7, 32767]],
  ['negative', 'int16', [-32768, 300, 7, 1, 0, -7, -32767]],
  ['sign', 'int16', [-1, -1, -1, -1, 0, 1, 1]],
  ['square', 'int16', [0, 24464, 49, 1, 0, 49, 1]],
  ['bitwiseInvert', 'int16', [32767, 299, 6, 0, -1, -8, -32768]],
  ['floor', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['ceil', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['round', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['logicalNot', 'int16', '0000100'],
  ['sqrt', 'int16', [NaN, NaN, NaN, NaN, 0, 2.6457512, 181.01657]],
  ['exp', 'int16', [0, 0, 0.0009118818, 0.36787945, 1, 1096.6333, Infinity]],
  ['reciprocal', 'int16', [-3.0517578e-05, -0.0033333334, -0.14285715, -1, Infinity, 0.14285715, 3.051851e-05]],
  ['isnan', 'int16', '0000000'],
  ['isinf', 'int16', '0000000'],
  ['isfinite', 'int16', '1111111'],
  ['nanToNum', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['real', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['imag', 'int16', [0, 0, 0, 0, 0, 0, 0]],
  ['conjugate', 'int16', [-32768, -300, -7, -1, 0, 7, 32767]],
  ['degrees', 'int16', [-1.8774681e+06, -17188.734, -401.07047, -57.29578, 0, 401.07047, 1.8774109e+06]],
  ['abs', 'int32', [-2147483648, 70000, 7, 1, 0, 7, 65536, 2147483647]],
  ['negative', 'int32', [-2147483648, 70000, 7, 1, 0, -7, -65536, -2147483647]],
  ['sign', 'int32', [-1, -1, -1, -1, 0, 1, 1, 1]],
  ['square', 'int32', [0, 605032704, 49, 1, 0, 49, 0, 1]],
  ['bitwiseInvert', 'int32', [2147483647, 69999, 6, 0, -1, -8, -65537, -2147483648]],
  ['floor', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['ceil', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['round', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['logicalNot', 'int32', '00001000'],
  ['sqrt', 'int32', [NaN, NaN, NaN, NaN, 0, 2.6457512, 256, 46340.95]],
  ['exp', 'int32', [0, 0, 0.0009118818, 0.36787945, 1, 1096.6333, Infinity, Infinity]],
  ['reciprocal', 'int32', [-4.656613e-10, -1.4285714e-05, -0.14285715, -1, Infinity, 0.14285715, 1.5258789e-05, 4.656613e-10]],
  ['isnan', 'int32', '00000000'],
  ['isinf', 'int32', '00000000'],
  ['isfinite', 'int32', '11111111'],
  ['nanToNum', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['real', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['imag', 'int32', [0, 0, 0, 0, 0, 0, 0, 0]],
  ['conjugate', 'int32', [-2147483648, -70000, -7, -1, 0, 7, 65536, 2147483647]],
  ['degrees', 'int32', [-1.2304175e+11, -4.0107045e+06, -401.07047, -57.29578, 0, 401.07047, 3.7549362e+06, 1.2304175e+11]],
  ['abs', 'int64', [-9223372036854775808n, 9007199254740993n, 7, 1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['negative', 'int64', [-9223372036854775808n, 9007199254740993n, 7, 1, 0, -7, -1099511627779, -9223372036854775807n]],
  ['sign', 'int64', [-1, -1, -1, -1, 0, 1, 1, 1]],
  ['square', 'int64', [0, 18014398509481985n, 49, 1, 0, 49, 6597069766665, 1]],
  ['bitwiseInvert', 'int64', [9223372036854775807n, 9007199254740992, 6, 0, -1, -8, -1099511627780, -9223372036854775808n]],
  ['floor', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['ceil', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['round', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['logicalNot', 'int64', '00001000'],
  ['sqrt', 'int64', [NaN, NaN, NaN, NaN, 0, 2.6457512, 1.048576e+06, 3.0370004e+09]],
  ['exp', 'int64', [0, 0, 0.0009118818, 0.36787945, 1, 1096.6333, Infinity, Infinity]],
  ['reciprocal', 'int64', [-1.0842022e-19, -1.110223e-16, -0.14285715, -1, Infinity, 0.14285715, 9.094947e-13, 1.0842022e-19]],
  ['isnan', 'int64', '00000000'],
  ['isinf', 'int64', '00000000'],
  ['isfinite', 'int64', '11111111'],
  ['nanToNum', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['real', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['imag', 'int64', [0, 0, 0, 0, 0, 0, 0, 0]],
  ['conjugate', 'int64', [-9223372036854775808n, -9007199254740993n, -7, -1, 0, 7, 1099511627779, 9223372036854775807n]],
  ['degrees', 'int64', [-5.284603e+20, -5.160745e+17, -401.07047, -57.29578, 0, 401.07047, 6.2997377e+13, 5.284603e+20]],
];
// complex64 ops ([re, im] pairs). Unary: [op, MLX output] on COMPLEX_IN.
const COMPLEX_IN = [[1, 2], [-3, 0.5], [0, 0], [-4, 0], [0.5, -1], [0, -2]];
const COMPLEX_UNARY: [string, Out][] = [
  ['abs', [2.236068, 3.0413814, 0, 4, 1.118034, 2]],
  ['negative', [[-1, -2], [3, -0.5], [-0, -0], [4, -0], [-0.5, 1], [-0, 2]]],
  ['sign', [[0.4472136, 0.8944272], [-0.98639387, 0.16439898], [0, 0], [-1, 0], [0.4472136, -0.8944272], [0, -1]]],
  ['square', [[-3, 4], [8.75, -3], [0, 0], [16, -0], [-0.75, -1], [-4, -0]]],
  ['sqrt', [[1.2720196, 0.7861514], [0.14384238, 1.7380134], [0, 0], [0, 2], [0.8994537, -0.555893], [1, -1]]],
  ['rsqrt', [[0.56886446, -0.3515776], [0.047295086, -0.5714553], [Infinity, NaN], [0, -0.5], [0.8044959, 0.49720582], [0.5, 0.5]]],
  ['reciprocal', [[0.2, -0.4], [-0.3243243, -0.054054055], [Infinity, NaN], [-0.25, -0], [0.4, 0.8], [0, 0.5]]],
  ['exp', [[-1.1312044, 2.4717267], [0.04369226, 0.023869192], [1, 0], [0.01831564, 0], [0.8908078, -1.387351], [-0.41614684, -0.9092974]]],
  ['log', [[0.804719, 1.1071488], [1.1123118, 2.976444], [-Infinity, 0], [1.3862944, 3.1415927], [0.111571774, -1.1071488], [0.6931472, -1.5707964]]],
  ['log2', [[1.160964, 1.597278], [1.6047268, 4.2941008], [-Infinity, 0], [2, 4.53236], [0.16096404, -1.597278], [1, -2.26618]]],
  ['log10', [[0.349485, 0.48082858], [0.48307088, 1.2926532], [-Infinity, 0], [0.60205996, 1.3643764], [0.048455004, -0.48082858], [0.30102998, -0.6821882]]],
  ['log1p', [[1.0397208, 0.7853982], [0.7234595, 2.896614], [0, 0], [1.0986123, 3.1415927], [0.5893275, -0.5880026], [0.804719, -1.1071488]]],
  ['sin', [[3.1657786, 1.9596009], [-0.15913057, -0.5158804], [0, 0], [0.7568025, -0], [0.7397922, -1.0313361], [0, -3.6268604]]],
  ['cos', [[2.032723, -3.0518978], [-1.1163412, 0.07353697], [1, -0], [-0.6536436, -0], [1.3541806, 0.5634215], [3.7621958, 0]]],
  ['tan', [[0.033812825, 1.0147936], [0.11162105, 0.46946996], [0, 0], [-1.1578213, 0], [0.19557732, -0.84296614], [0, -0.96402764]]],
  ['arcsin', [[0.42707852, 1.528571], [-1.3961499, 1.7789905], [0, 0], [-1.5707964, 2.063437], [0.34943905, -0.9261331], [0, -1.4436355]]],
  ['arccos', [[1.1437178, -1.528571], [2.9669461, -1.7789905], [1.5707964, -0], [3.1415927, -2.063437], [1.2213573, 0.9261331], [1.5707964, 1.4436355]]],
  ['arctan', [[1.3389726, 0.4023595], [-1.2563982, 0.048936144], [0, 0], [-1.3258176, 0], [0.90788746, -0.70830333], [1.5707964, -0.54930615]]],
  ['sinh', [[-0.48905626, 1.4031192], [-8.7915125, 4.8266945], [0, 0], [-27.289919, 0], [0.28154898, -0.94886446], [-0, -0.9092974]]],
  ['cosh', [[-0.64214814, 1.0686073], [8.835205, -4.802825], [1, 0], [27.308231, -0], [0.6092589, -0.43848655], [-0.41614684, -0]]],
  ['tanh', [[1.1667362, -0.24345821], [-0.9973165, 0.004160427], [0, 0], [-0.9993292, 0], [1.0428307, -0.80687743], [0, 2.1850398]]],
  ['arcsinh', [[1.4693516, 1.06344], [-1.8301947, 0.1570046], [0, 0], [-2.0947125, 0], [0.73285764, -0.8959074], [1.316958, -1.5707964]]],
  ['arccosh', [[1.528571, 1.1437178], [1.7789905, 2.9669461], [0, 1.5707964], [2.063437, 3.1415927], [0.9261331, -1.2213573], [1.4436355, -1.5707964]]],
  ['arctanh', [[0.1732868, 1.1780972], [-0.33529347, 1.5104845], [0, 0], [-0.2554128, 1.5707964], [0.23887786, -0.84757566], [0, -1.1071488]]],
  ['round', [[1, 2], [-3, 0], [0, 0], [-4, 0], [0, -1], [0, -2]]],
  ['real', [1, -3, 0, -4, 0.5, 0]],
  ['imag', [2, 0.5, 0, 0, -1, -2]],
  ['conjugate', [[1, -2], [-3, -0.5], [0, -0], [-4, -0], [0.5, 1], [0, 2]]],
  ['isnan', '000000'],
  ['isinf', '000000'],
  ['isfinite', '111111'],
  ['logicalNot', '001000'],
  ['degrees', [[57.29578, 114.59156], [-171.88734, 28.64789], [0, 0], [-229.18312, 0], [28.64789, -57.29578], [0, -114.59156]]],
  ['radians', [[0.017453292, 0.034906585], [-0.05235988, 0.008726646], [0, 0], [-0.06981317, 0], [0.008726646, -0.017453292], [0, -0.034906585]]],
  ['stopGradient', [[1, 2], [-3, 0.5], [0, 0], [-4, 0], [0.5, -1], [0, -2]]],
];
// Binary: every pair of COMPLEX_SET (a slowest): [op, MLX output].
const COMPLEX_SET = [[1, 2], [-3, 0.5], [0.5, -1], [2, 0]];
const COMPLEX_BINARY: [string, Out][] = [
  ['add', [[2, 4], [-2, 2.5], [1.5, 1], [3, 2], [-2, 2.5], [-6, 1], [-2.5, -0.5], [-1, 0.5], [1.5, 1], [-2.5, -0.5], [1, -2], [2.5, -1], [3, 2], [-1, 0.5], [2.5, -1], [4, 0]]],
  ['subtract', [[0, 0], [4, 1.5], [0.5, 3], [-1, 2], [-4, -1.5], [0, 0], [-3.5, 1.5], [-5, 0.5], [-0.5, -3], [3.5, -1.5], [0, 0], [-1.5, -1], [1, -2], [5, -0.5], [1.5, 1], [0, 0]]],
  ['multiply', [[-3, 4], [-4, -5.5], [2.5, 0], [2, 4], [-4, -5.5], [8.75, -3], [-1, 3.25], [-6, 1], [2.5, 0], [-1, 3.25], [-0.75, -1], [1, -2], [2, 4], [-6, 1], [1, -2], [4, 0]]],
  ['divide', [[1, 0], [-0.21621622, -0.7027027], [-1.2, 1.6], [0.5, 1], [-0.4, 1.3], [1, 0], [-1.6, -2.2], [-1.5, 0.25], [-0.3, -0.4], [-0.21621622, 0.2972973], [1, 0], [0.25, -0.5], [0.4, -0.8], [-0.6486486, -0.10810811], [0.8, 1.6], [1, 0]]],
  ['power', [[-0.22251715, 0.10070913], [-0.050152216, -0.011347035], [4.382565, -1.1243975], [-3.0000005, 3.9999998], [0.0037099062, -0.006977542], [-0.0039819917, -0.0069677113], [31.823854, 12.56018], [8.750001, -3], [6.4899583, -7.915012], [-1.21026, -0.2905836], [0.27496532, -0.2156784], [-0.7500001, -0.99999994], [0.36691394, 1.9660555], [0.11756776, 0.04245964], [1.0878681, -0.90362763], [4, 0]]],
  ['maximum', [[1, 2], [1, 2], [1, 2], [2, 0], [1, 2], [-3, 0.5], [0.5, -1], [2, 0], [1, 2], [0.5, -1], [0.5, -1], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0]]],
  ['minimum', [[1, 2], [-3, 0.5], [0.5, -1], [1, 2], [-3, 0.5], [-3, 0.5], [-3, 0.5], [-3, 0.5], [0.5, -1], [-3, 0.5], [0.5, -1], [0.5, -1], [1, 2], [-3, 0.5], [0.5, -1], [2, 0]]],
  ['equal', '1000010000100001'],
  ['notEqual', '0111101111011110'],
  ['less', '0001101110010000'],
  ['lessEqual', '1001111110110001'],
  ['greater', '0110000001001110'],
  ['greaterEqual', '1110010001101111'],
  ['logaddexp', [[1.6931472, 2], [1.0014611, 1.9817559], [0.104992926, 1.7889591], [1.9063238, 0.37617138], [1.0014611, 1.9817559], [-2.3068528, 0.5], [0.50258535, -0.9699515], [2.0059009, 0.003211344], [0.104992926, 1.7889591], [0.50258535, -0.9699515], [1.1931472, -1], [2.1276708, -0.16601504], [1.9063238, 0.37617138], [2.0059009, 0.003211344], [2.1276708, -0.16601504], [2.6931472, 0]]],
  ['floorDivide', [[1, 0], [-0.21621622, -0.7027027], [-1.2, 1.6], [0.5, 1], [-0.4, 1.3], [1, 0], [-1.6, -2.2], [-1.5, 0.25], [-0.3, -0.4], [-0.21621622, 0.2972973], [1, 0], [0.25, -0.5], [0.4, -0.8], [-0.6486486, -0.10810811], [0.8, 1.6], [1, 0]]],
  ['isclose', '1000010000100001'],
  ['logicalAnd', '1111111111111111'],
];
