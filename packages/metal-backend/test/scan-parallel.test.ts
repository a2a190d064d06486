// The parallel scan of long lines (scan.ts, lines of PARALLEL_MIN elements and more): lengths
// around the threshold and the block boundaries, several lines, axes not last, strided and
// offset inputs, reverse and exclusive. Integer, bool and max/min scans are associative and must
// equal the reference bit for bit; float sums and products are held to the header's bounds
// against prefixes computed here in float64 (and against the reference within the bound its own
// sequential rounding implies).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { checkGpu, halfUnits, noGpu, rng, spec } from './gpu-helpers.js';
import { splitStats } from '../src/reduce.js';
import { BLOCK, PARALLEL_MIN } from '../src/scan.js';

const U32 = 2 ** -24;
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
/** Around the threshold and the block boundaries (one, two and many blocks). */
const lengths = [PARALLEL_MIN - 1, PARALLEL_MIN, PARALLEL_MIN + 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3];

/** Runs `f` and returns how many scans took the parallel path meanwhile. */
function parallelRuns(f: () => void): number {
  const before = splitStats.scans;
  f();
  return splitStats.scans - before;
}

/** x's values along `axis` for every line (row-major over the other axes), as float64. */
function linesOf(values: number[], shape: number[], axis: number): number[][] {
  const n = shape[axis]!;
  const inner = prod(shape.slice(axis + 1));
  const outer = prod(shape.slice(0, axis));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(Array.from({ length: n }, (_, j) => values[(o * n + j) * inner + i]!));
  return out;
}

/** Exact prefix sums (or products) in scan order, with the sum of |x| so far; compensated sums (error ~2^-100). */
function exactPrefix(line: number[], reverse: boolean, inclusive: boolean, type: 'sum' | 'prod'): { s: number; a: number; k: number }[] {
  const n = line.length;
  const res = new Array<{ s: number; a: number; k: number }>(n);
  let hi = type === 'sum' ? 0 : 1;
  let lo = 0;
  let abs = 0;
  for (let t = 0; t < n; t++) {
    const j = reverse ? n - 1 - t : t;
    const v = line[j]!;
    const step = () => {
      if (type === 'sum') {
        const sum = hi + v;
        const bb = sum - hi;
        lo += hi - (sum - bb) + (v - bb);
        hi = sum;
        abs += Math.abs(v);
      } else {
        hi *= v; // products of values near 1: double rounding errs by ~n 2^-53, far below the bound
      }
    };
    if (inclusive) step();
    res[j] = { s: hi + lo, a: abs, k: inclusive ? t + 1 : t };
    if (!inclusive) step();
  }
  return res;
}

/** GPU results of a float scan as float64 numbers, row-major. */
const values = (y: mx.MxArray): number[] => (y.astype(mx.float32, mx.gpu).reshape([-1], mx.cpu).tolist() as number[]);

describe.skipIf(noGpu)('webgpu parallel scans of long lines', () => {
  it('takes the parallel path from PARALLEL_MIN on, the sequential one below', () => {
    const x = (n: number) => mx.ones([n], mx.int32);
    expect(parallelRuns(() => mx.eval(mx.cumsum(x(PARALLEL_MIN - 1), 0, false, true, mx.gpu)))).toBe(0);
    expect(parallelRuns(() => mx.eval(mx.cumsum(x(PARALLEL_MIN), 0, false, true, mx.gpu)))).toBe(1);
    // logcumsumexp stays sequential at any length
    expect(parallelRuns(() => mx.eval(mx.logcumsumexp(mx.ones([BLOCK + 1]), 0, false, true, mx.gpu)))).toBe(0);
  });

  it('integer sums wrap as the reference, at every length around the boundaries, reverse and exclusive', () => {
    const r = rng(41);
    const runs = parallelRuns(() => {
      for (const n of lengths) {
        // int32 near 2^30: the running sum wraps many times
        const big = Array.from({ length: n }, () => Math.floor(r() * 2 ** 31) - 2 ** 30);
        for (const [reverse, inclusive] of [[false, true], [true, true], [false, false], [true, false]] as const) {
          checkGpu((a) => mx.cumsum(a, 0, reverse, inclusive), [spec(mx.int32, [n], big)], `int32 cumsum ${n} rev ${reverse} incl ${inclusive}`);
        }
      }
    });
    expect(runs).toBe(4 * (lengths.length - 1));
  });

  it('one line of 131072 and several lines, axes not last, strided and offset inputs: exact integer scans', () => {
    const r = rng(42);
    const n = 131072;
    const ints = Array.from({ length: n }, () => Math.floor(r() * 2 ** 32) - 2 ** 31);
    checkGpu((a) => mx.cumsum(a), [spec(mx.int32, [n], ints)], 'int32 cumsum of 131072');
    checkGpu((a) => mx.cummax(a, 0, true), [spec(mx.int32, [n], ints)], 'int32 reverse cummax of 131072');
    // [3, 5000] scanned along axis 0 of a transposed base; along axis 1 of every other column at an offset
    const small = Array.from({ length: 30009 }, () => Math.floor(r() * 256));
    checkGpu((a) => mx.cumsum(a, 0, false, false), [spec(mx.uint8, [3, 5000], small.slice(0, 15000), [{ kind: 'transpose', axes: [1, 0] }])], 'uint8 cumsum, axis 0 of [5000, 3] (wraps at 8 bits)');
    checkGpu((a) => mx.cumprod(a, 1, true), [spec(mx.uint8, [3, 10003], small.slice(0, 30009), [{ kind: 'slice', start: [0, 1], stop: [3, 10003], step: [1, 2] }])], 'uint8 reverse cumprod along a strided axis at an offset');
    checkGpu((a) => mx.cumprod(a, 0), [spec(mx.int8, [4100, 2], small.slice(0, 8200).map((v) => (v % 7) - 3))], 'int8 cumprod along axis 0 (inner 2)');
    checkGpu((a) => mx.cummin(a, 1, false, false), [spec(mx.int16, [5, 2000], small.slice(0, 10000).map((v) => v * 97 - 12000))], 'int16 exclusive cummin: starts at 32767');
    checkGpu((a) => mx.cumsum(a, 1, true, false), [spec(mx.uint32, [2, 9000], Array.from({ length: 18000 }, () => Math.floor(r() * 2 ** 32)))], 'uint32 reverse exclusive cumsum');
  });

  it('int64 and uint64 pairs, bool', () => {
    const r = rng(43);
    const n = 2 * BLOCK + 77;
    const big = Array.from({ length: n }, () => BigInt(Math.floor(r() * 2 ** 40) - 2 ** 39) * 1000003n);
    checkGpu((a) => mx.cumsum(a, 0, true), [spec(mx.int64, [n], big)], 'int64 reverse cumsum');
    checkGpu((a) => mx.cumprod(a, 1), [spec(mx.int64, [2, 3000], big.slice(0, 6000).map((v) => (v % 5n) + 2n))], 'int64 cumprod (wraps at 64 bits)');
    checkGpu((a) => mx.cummax(a, 0, false, false), [spec(mx.int64, [n], big)], 'int64 exclusive cummax: starts at -2^63');
    checkGpu((a) => mx.cummin(a), [spec(mx.uint64, [n], big.map((v) => BigInt.asUintN(64, v)))], 'uint64 cummin');
    const bits = Array.from({ length: 3 * 3000 }, (_, i) => (r() < 0.7 || i === 7000 ? 1 : 0));
    checkGpu((a) => mx.cumsum(a, 1), [spec(mx.bool, [3, 3000], bits)], 'bool cumsum (int32 counts)');
    // one false late in each line: cumprod (and) and cummin are 1 up to it
    const ones = Array.from({ length: 2 * 5000 }, (_, i) => (i === 4500 || i === 9990 ? 0 : 1));
    checkGpu((a) => mx.cumprod(a, 1), [spec(mx.bool, [2, 5000], ones)], 'bool cumprod');
    checkGpu((a) => mx.cummin(a, 1, true), [spec(mx.bool, [2, 5000], ones)], 'bool reverse cummin');
    checkGpu((a) => mx.cummax(a, 1, false, false), [spec(mx.bool, [2, 5000], ones.map((v) => 1 - v))], 'bool exclusive cummax');
  });

  it('float max/min: the first NaN wins and stays, late in a line; -0/+0 ties keep the first; halves', () => {
    const r = rng(44);
    const n = 3 * BLOCK + 5;
    const xs = Array.from({ length: n }, () => Math.fround((r() - 0.5) * 100));
    xs[2 * BLOCK + 100] = NaN;
    xs[2 * BLOCK + 900] = NaN;
    xs[3] = -Infinity;
    for (const [name, f] of [['cummax', mx.cummax], ['cummin', mx.cummin]] as const) {
      checkGpu((a) => f(a), [spec(mx.float32, [n], xs)], `${name} with a NaN late`);
      checkGpu((a) => f(a, 0, true, false), [spec(mx.float32, [n], xs)], `${name} reverse exclusive with a NaN late`);
    }
    // zeros of both signs: the running max/min keeps the first of equal values
    const zeros = Array.from({ length: 2 * 4200 }, (_, i) => ((i * 7919) % 5 < 2 ? -0 : 0));
    checkGpu((a) => mx.cummax(a, 1), [spec(mx.float32, [2, 4200], zeros)], 'cummax of -0 and +0');
    checkGpu((a) => mx.cummin(a, 1, true), [spec(mx.float32, [2, 4200], zeros)], 'reverse cummin of -0 and +0');
    checkGpu((a) => mx.cummax(a, 0, false, false), [spec(mx.float16, [5000, 2], halfUnits(mx.float16, Array.from({ length: 10000 }, () => (r() - 0.5) * 1000)))], 'float16 exclusive cummax along axis 0: starts at -inf');
    checkGpu((a) => mx.cummin(a), [spec(mx.bfloat16, [4500], halfUnits(mx.bfloat16, Array.from({ length: 4500 }, () => (r() - 0.5) * 1000)))], 'bfloat16 cummin');
  });

  it('float32 cumsum: |y - s| <= 2^-24 |s| + 2^-36 sum|x| against float64 prefixes; the reference within its own (k + 1) 2^-24 sum|x|', () => {
    const r = rng(45);
    const cases: { shape: number[]; axis: number; reverse: boolean; inclusive: boolean; gen: () => number }[] = [
      { shape: [131072], axis: 0, reverse: false, inclusive: true, gen: () => r() / 131072 }, // sorted-probability-like, positive
      { shape: [131072], axis: 0, reverse: true, inclusive: false, gen: () => (r() - 0.5) * 2 ** Math.floor(r() * 20 - 10) }, // cancellation, wide range
      { shape: [8, BLOCK + 1], axis: 1, reverse: false, inclusive: false, gen: () => (r() - 0.5) * 4 },
      { shape: [PARALLEL_MIN + 1, 3], axis: 0, reverse: true, inclusive: true, gen: () => (r() - 0.5) * 4 },
      { shape: [2, 2 * BLOCK + 9, 2], axis: 1, reverse: false, inclusive: true, gen: () => (r() - 0.45) * 4 },
    ];
    for (const c of cases) {
      const xs = Array.from({ length: prod(c.shape) }, () => Math.fround(c.gen()));
      const x = mx.array(xs, mx.float32).reshape(c.shape);
      const y = values(mx.cumsum(x, c.axis, c.reverse, c.inclusive, mx.gpu));
      const ref = values(mx.cumsum(x, c.axis, c.reverse, c.inclusive, mx.cpu));
      const exact = linesOf(xs, c.shape, c.axis).map((l) => exactPrefix(l, c.reverse, c.inclusive, 'sum'));
      // back to row-major: linesOf's order is (outer, inner), element j of a line at (o, j, i)
      const n = c.shape[c.axis]!;
      const inner = prod(c.shape.slice(c.axis + 1));
      let worst = 0;
      exact.forEach((line, li) => {
        const o = Math.floor(li / inner);
        const i = li % inner;
        line.forEach(({ s, a, k }, j) => {
          const e = (o * n + j) * inner + i;
          const err = Math.abs(y[e]! - s);
          worst = Math.max(worst, err / (U32 * a || 1));
          if (err > U32 * Math.abs(s) + 2 ** -36 * a) throw new Error(`${JSON.stringify(c.shape)} axis ${c.axis}: element ${e}: gpu ${y[e]} exact ${s} (sum|x| ${a})`);
          if (Math.abs(y[e]! - ref[e]!) > (k + 1) * U32 * a) throw new Error(`${JSON.stringify(c.shape)}: element ${e}: gpu ${y[e]} reference ${ref[e]} beyond (k + 1) 2^-24 sum|x|`);
        });
      });
      // the bound in the form c 2^-24 sum|x|, c = 1
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('float16/bfloat16 cumsum round once from the float-float value; complex64 componentwise; float32 cumprod', () => {
    const r = rng(46);
    for (const [d, u] of [[mx.float16, 2 ** -11], [mx.bfloat16, 2 ** -8]] as const) {
      const n = 2 * BLOCK + 1;
      const units = halfUnits(d, Array.from({ length: n }, () => (r() - 0.5) * 2));
      const x = mx.array(units, mx.uint16).view(d, mx.cpu);
      const xs = x.astype(mx.float32, mx.cpu).tolist() as number[];
      const y = values(mx.cumsum(x, 0, false, true, mx.gpu));
      exactPrefix(xs, false, true, 'sum').forEach(({ s, a }, j) => {
        // half of float16's smallest subnormal where a result is subnormal
        if (Math.abs(y[j]! - s) > u * Math.abs(s) + 2 ** -36 * a + 2 ** -25) throw new Error(`${d.name} element ${j}: gpu ${y[j]} exact ${s}`);
      });
    }
    // 1 + 2^-11 + 2^-24 lies above the float16 midpoint between 1 and 1 + 2^-10: one rounding
    // gives 1 + 2^-10; rounding to float32 first (a tie there, to even) and then to float16 gives 1
    const tie = new Array<number>(PARALLEL_MIN + 5).fill(0);
    [tie[0], tie[1], tie[2]] = [1, 2 ** -11, 2 ** -24];
    const t = values(mx.cumsum(mx.array(tie, mx.float16), 0, false, true, mx.gpu));
    expect(t[2]).toBe(1 + 2 ** -10);
    expect(t[PARALLEL_MIN + 4]).toBe(1 + 2 ** -10);

    const n = BLOCK + 3;
    const parts = Array.from({ length: 2 * n }, () => Math.fround((r() - 0.5) * 4));
    const z = mx.array(parts, mx.float32).view(mx.complex64, mx.cpu);
    const zy = mx.cumsum(z, 0, true, false, mx.gpu).view(mx.float32, mx.cpu).tolist() as number[];
    for (const part of [0, 1]) {
      exactPrefix(parts.filter((_, i) => i % 2 === part), true, false, 'sum').forEach(({ s, a }, j) => {
        if (Math.abs(zy[2 * j + part]! - s) > U32 * Math.abs(s) + 2 ** -36 * a) throw new Error(`complex64 part ${part} element ${j}: gpu ${zy[2 * j + part]} exact ${s}`);
      });
    }

    const near1 = Array.from({ length: 3 * BLOCK + 1 }, () => Math.fround(1 + (r() - 0.5) / 64));
    const p = values(mx.cumprod(mx.array(near1, mx.float32), 0, false, true, mx.gpu));
    exactPrefix(near1, false, true, 'prod').forEach(({ s }, j) => {
      if (Math.abs(p[j]! - s) > (U32 + 2 ** -36) * Math.abs(s)) throw new Error(`cumprod element ${j}: gpu ${p[j]} exact ${s}`);
    });
  });

  it('cumsum under grad on the GPU: the vjp is a reverse cumsum', () => {
    const r = rng(47);
    const n = 3 * BLOCK + 17;
    // integer-valued weights: every prefix is exact, so the GPU equals the reference
    const w = mx.array(Array.from({ length: n }, () => Math.floor(r() * 9) - 4), mx.float32);
    const grad = (x: mx.MxArray) => mx.grad((a: mx.MxArray) => mx.sum(mx.multiply(w, mx.cumsum(a, 0))))(x) as mx.MxArray;
    const runs = parallelRuns(() => checkGpu(grad, [spec(mx.float32, [n], Array.from({ length: n }, () => r()))], 'grad of sum(w * cumsum(x))'));
    expect(runs).toBeGreaterThanOrEqual(1);
    // float weights: the gradient against float64 reverse prefix sums of w
    const wf = Array.from({ length: n }, () => Math.fround(r() - 0.5));
    mx.setDefaultDevice(mx.gpu);
    try {
      const g = values(mx.grad((a: mx.MxArray) => mx.sum(mx.multiply(mx.array(wf, mx.float32), mx.cumsum(a, 0))))(mx.zeros([n])) as mx.MxArray);
      exactPrefix(wf, true, true, 'sum').forEach(({ s, a }, j) => {
        if (Math.abs(g[j]! - s) > U32 * Math.abs(s) + 2 ** -36 * a) throw new Error(`grad element ${j}: gpu ${g[j]} exact ${s}`);
      });
    } finally {
      mx.setDefaultDevice(mx.cpu);
    }
  });

  // random long-line layouts (MLX_TS_FC_SCALE scales the runs): integer scans equal the
  // reference bit for bit, float32 cumsum keeps the header's bound against float64 prefixes
  const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.MLX_TS_FC_SCALE ?? '1')));
  it('property: random lengths, line counts, axes, reverse and exclusive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: PARALLEL_MIN, max: 3 * BLOCK + 17 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('sum', 'max', 'min', 'prod') as fc.Arbitrary<'sum' | 'max' | 'min' | 'prod'>,
        fc.integer({ min: 1, max: 1e6 }),
        (n, other, axis, reverse, inclusive, type, seed) => {
          const shape = axis === 0 ? [n, other] : [other, n];
          const r = rng(seed);
          const ints = Array.from({ length: n * other }, () => Math.floor(r() * 2 ** 31) - 2 ** 30);
          const scan = (x: mx.MxArray, s: typeof mx.gpu | typeof mx.cpu) =>
            type === 'sum' ? mx.cumsum(x, axis, reverse, inclusive, s) : type === 'prod' ? mx.cumprod(x, axis, reverse, inclusive, s) : type === 'max' ? mx.cummax(x, axis, reverse, inclusive, s) : mx.cummin(x, axis, reverse, inclusive, s);
          const xi = mx.array(ints, mx.int32).reshape(shape);
          const label = `${type} ${JSON.stringify(shape)} axis ${axis} reverse ${reverse} inclusive ${inclusive}`;
          const taken = parallelRuns(() => expect(scan(xi, mx.gpu).tolist(), label).toEqual(scan(xi, mx.cpu).tolist()));
          expect(taken, label).toBeGreaterThan(0);
          if (type !== 'sum') return;
          const xs = ints.map((v) => Math.fround(v / 2 ** 30));
          const y = values(mx.cumsum(mx.array(xs, mx.float32).reshape(shape), axis, reverse, inclusive, mx.gpu));
          const inner = axis === 0 ? other : 1;
          linesOf(xs, shape, axis).forEach((line, li) => {
            const o = Math.floor(li / inner);
            const i = li % inner;
            exactPrefix(line, reverse, inclusive, 'sum').forEach(({ s: want, a }, j) => {
              const e = (o * n + j) * inner + i;
              expect(Math.abs(y[e]! - want), `${label}: element ${e}`).toBeLessThanOrEqual(U32 * Math.abs(want) + 2 ** -36 * a);
            });
          });
        },
      ),
      { numRuns: runs(12), seed: 20261207 },
    );
  });
});
