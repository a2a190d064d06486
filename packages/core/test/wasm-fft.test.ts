// The FFT on the WASM backend (kernels-wasm fft.ts: float64 work, one rounding to float32)
// against the reference kernel, the oracle: every fft/ifft/rfft/irfft form over any axes and
// lengths (powers of two; others through Bluestein), inputs in every layout, long lines
// through the four-step path, the same bits on 1 and 2 threads. Both compute in float64 and
// differ only in the order of the operations, so for finite inputs (backend/wasm/fft.ts):
//     |ours - reference| <= ulp32(reference) + 16 log2(4N) 2^-53 sum|x|,  N the transformed size.
// A NaN reaches every output of its line in both.
import { test, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { arraySpecArb, type ArraySpec } from '@mlx-ts/core/testing';
import { runOn, ulp32 } from './wasm-bounds.js';
import { runs, tally } from './wasm-helpers.js';
import { threadStats, resetThreadStats } from '../src/backend/wasm/threads.js';

type Op = (x: mx.MxArray) => mx.MxArray;

/** Finite values of every magnitude the transforms meet (no overflow of float32 sums of ≤ 2^12 terms). */
const finiteUnits = (_d: mx.Dtype, n: number) =>
  fc.array(
    fc.oneof(
      fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -8, max: 8 }),
      fc.constantFrom(0, -0, 1, -1, 1.401298464324817e-45),
    ),
    { minLength: n * (_d === mx.complex64 ? 2 : 1), maxLength: n * (_d === mx.complex64 ? 2 : 1) },
  );

function checkFft(op: Op, x: ArraySpec | mx.MxArray, N: number, label: string): void {
  const ref = runOn('reference', op, [x]).units as Float32Array;
  const ours = runOn('wasm', op, [x]).units as Float32Array;
  const input = runOn('reference', (a) => mx.sum(mx.abs(a)).astype(mx.float64), [x]).units as Float64Array;
  const S = input[0]! * (1 + 2 ** -20);
  expect(ours.length, label).toBe(ref.length);
  const slack = 16 * Math.log2(4 * N) * 2 ** -53 * S;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!, o = ours[i]!;
    if (Number.isNaN(r) || Number.isNaN(o)) throw new Error(`${label}: element ${i}: wasm ${o} vs reference ${r} (finite input)`);
    const bound = ulp32(r) + slack;
    if (!(Math.abs(o - r) <= bound)) throw new Error(`${label}: element ${i}: wasm ${o} vs reference ${r}, |diff| > ${bound}`);
  }
}

/** Powers of two, and other lengths (small primes and composites, a large prime) for Bluestein. */
const pow2 = fc.oneof(fc.integer({ min: 0, max: 6 }).map((b) => 2 ** b), fc.constantFrom(3, 5, 6, 7, 12, 15, 37, 97));

/** A shape of 1–3 dims, `axes` a subset of them in any order. */
const problem = fc
  .integer({ min: 1, max: 3 })
  .chain((nd) =>
    fc.tuple(
      fc.array(fc.oneof(pow2, fc.integer({ min: 1, max: 3 })), { minLength: nd, maxLength: nd }),
      fc.shuffledSubarray([...Array(nd).keys()], { minLength: 1 }),
      fc.constantFrom('fftn', 'ifftn', 'rfftn', 'irfftn'),
    ),
  )
  .map(([shape, axes, kind]) => {
    // irfftn: the input holds n/2 + 1 bins of an output of length n along the last axis
    const n = shape[axes[axes.length - 1]!]!;
    const inShape = [...shape];
    if (kind === 'irfftn') inShape[axes[axes.length - 1]!] = Math.floor(n / 2) + 1;
    return { shape, inShape, axes, kind, N: axes.reduce((p, a) => p * shape[a]!, 1) };
  });

function opOf(kind: string, shape: number[], axes: number[]): Op {
  const s = axes.map((a) => shape[a]!);
  switch (kind) {
    case 'fftn': return (x) => mx.fft.fftn(x, s, axes);
    case 'ifftn': return (x) => mx.fft.ifftn(x, s, axes);
    case 'rfftn': return (x) => mx.fft.rfftn(x, s, axes);
    default: return (x) => mx.fft.irfftn(x, s, axes);
  }
}

test('every form over any axes, inputs in any layout (stated bound)', () => {
  const arb = problem.chain((p) =>
    fc.tuple(fc.constant(p), arraySpecArb(p.kind === 'rfftn' ? mx.float32 : mx.complex64, p.inShape, { units: finiteUnits })),
  );
  fc.assert(
    fc.property(arb, ([p, spec]) => {
      tally.cases++;
      checkFft(opOf(p.kind, p.shape, p.axes), spec, p.N, `${p.kind} ${JSON.stringify(p)}`);
    }),
    { numRuns: runs(150) },
  );
});

/** Deterministic float32 values in [-1, 1). */
const wave = (n: number, seed: number) => mx.sin(mx.multiply(mx.arange(seed, seed + n, 1, mx.float32), 12.9898));
const complexWave = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return mx.add(wave(n, seed), mx.multiply(wave(n, seed + 7), mx.Complex(0, 1))).reshape(shape);
};

test('long lines (four-step), several axes with inner dimensions, the same bits on 1 and 2 threads', () => {
  const previous = mx.getNumThreads();
  const cases: [string, Op, mx.MxArray, number][] = [
    ['fft 2^14', (x) => mx.fft.fft(x), complexWave([1 << 14], 1), 1 << 14],
    ['ifft 2^15 of 2 rows', (x) => mx.fft.ifft(x), complexWave([2, 1 << 15], 2), 1 << 15],
    ['rfft 2^16', (x) => mx.fft.rfft(x), wave(1 << 16, 3), 1 << 16],
    ['irfft 2^14', (x) => mx.fft.irfft(x), complexWave([(1 << 13) + 1], 4), 1 << 14],
    ['fft2 128 x 256', (x) => mx.fft.fft2(x), complexWave([128, 256], 5), 1 << 15],
    ['fft axis 0, 2^14 x 3', (x) => mx.fft.fft(x, undefined, 0), complexWave([1 << 14, 3], 6), 1 << 14],
    ['fft 3000 x 2 rows (Bluestein, 2^13)', (x) => mx.fft.fft(x), complexWave([2, 3000], 8), 3000],
    ['ifft 20000 (Bluestein, four-step 2^16)', (x) => mx.fft.ifft(x), complexWave([20000], 10), 20000],
    ['rfftn 16 x 8 x 32', (x) => mx.fft.rfftn(x), wave(4096, 7).reshape([16, 8, 32]), 4096],
  ];
  try {
    for (const [label, op, x, N] of cases) {
      tally.cases++;
      mx.setNumThreads(2);
      resetThreadStats();
      checkFft(op, x, N, label);
      const two = runOn('wasm', op, [x]).units as Float32Array;
      if (N >= 1 << 14 && mx.threadStatus().threads > 1) expect(threadStats().threaded, `${label}: threaded passes`).toBeGreaterThan(0);
      mx.setNumThreads(1);
      const one = runOn('wasm', op, [x]).units as Float32Array;
      expect(Array.from(two), label).toEqual(Array.from(one));
    }
  } finally {
    mx.setNumThreads(previous);
  }
});

test('a NaN reaches every output of its line; long lines of other lengths (Bluestein)', () => {
  const x = complexWave([2, 64], 9);
  const withNaN = mx.where(mx.equal(mx.arange(128).reshape([2, 64]), 70), NaN, x);
  const y = runOn('wasm', (a) => mx.fft.fft(a), [withNaN]).units as Float32Array;
  for (let i = 0; i < 128; i++) expect(Number.isNaN(y[i]!), `element ${i}`).toBe(false);
  for (let i = 128; i < 256; i++) expect(Number.isNaN(y[i]!), `element ${i}`).toBe(true);
  for (const n of [1000, 4099, 12345, 44100]) {
    tally.cases++;
    checkFft((v) => mx.fft.fft(v), complexWave([n], n), n, `fft ${n}`);
    checkFft((v) => mx.fft.irfft(v, n), complexWave([Math.floor(n / 2) + 1], n + 1), n, `irfft ${n}`);
  }
});

afterAll(() => {
  console.log(`wasm-fft: ${tally.cases} cases`);
});
