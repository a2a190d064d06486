// Convolution on the WASM backend against the reference kernel (the oracle), one Convolution
// node at a time, inputs in every layout (transposed, sliced, broadcast) with NaN, infinities
// and extremes among the values: float64 (im2col + matmul_f64: double sums in the reference's
// order) bit-identical; float32 (conv_igemm_f32: f32 sums) within matmul_f32's stated bound
// with K = taps * C/G (backend/wasm/conv.ts), checked per element by checkMatmulF32. Results
// don't depend on the thread count; float64's row chunks give the unchunked result.
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { compareBackends, arraySpecArb } from '@mlx-ts/core/testing';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { convolution } from '../src/ops/conv.js';
import type { ConvParams } from '../src/primitives/conv.js';
import { setPatchBytes } from '../src/backend/wasm/conv.js';
import { runs, tally } from './wasm-helpers.js';
import { convProblemArb, type ConvProblem } from './conv-problems.js';
import { checkMatmulF32, runOn } from './wasm-bounds.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;

const problemArb = convProblemArb({ minN: 0, minCg: 0, maxCg: 5, maxOg: 10, maxSize: 7, groups3d: true });

const K = ({ ws }: ConvProblem) => ws.slice(1).reduce((a, b) => a * b, 1);
const conv = (p: ConvParams) => (x: mx.MxArray, w: mx.MxArray) => convolution(x, w, p);

for (const d of [mx.float32, mx.float64]) {
  test(`convolution ${d.name}: every parameter, any layout${d === mx.float32 ? ' (f32 sums, stated bound)' : ' (bit-identical)'}`, () => {
    const arb = problemArb.chain((q) => fc.tuple(arraySpecArb(d, q.xs), arraySpecArb(d, q.ws), fc.constant(q)));
    fc.assert(
      fc.property(arb, ([xs, ws, q]) => {
        tally.cases++;
        const label = `conv ${d.name} ${JSON.stringify(q)}`;
        if (d === mx.float32) checkMatmulF32(conv(q.p), [xs, ws], K(q), label);
        else compareBackends(conv(q.p), [xs, ws], { label });
      }),
      { numRuns: runs(200) },
    );
  });
}

/** Deterministic values in [-1, 1). */
const data = (shape: number[], seed: number) => mx.sin(mx.multiply(mx.reshape(mx.arange(seed, seed + shape.reduce((a, b) => a * b, 1), 1, mx.float32), shape), 12.9898));

test('larger problems: several row blocks, partial panels, groups, threads (same bits for 1, 2 and 3 threads)', () => {
  const cases: [number[], number[], ConvParams][] = [
    [[2, 20, 21, 8], [12, 3, 3, 4], { strides: [1, 2], paddingLo: [1, 0], paddingHi: [1, 2], kernelDilation: [1, 2], inputDilation: [1, 1], groups: 2, flip: false }],
    [[1, 16, 16, 32], [32, 3, 3, 32], { strides: [1, 1], paddingLo: [1, 1], paddingHi: [1, 1], kernelDilation: [1, 1], inputDilation: [1, 1], groups: 1, flip: false }],
    [[3, 40, 7], [9, 5, 7], { strides: [2], paddingLo: [0], paddingHi: [3], kernelDilation: [1], inputDilation: [2], groups: 1, flip: true }],
    [[1, 6, 7, 5, 3], [4, 2, 3, 2, 3], { strides: [1, 1, 2], paddingLo: [1, 0, 1], paddingHi: [0, 2, 1], kernelDilation: [2, 1, 1], inputDilation: [1, 1, 1], groups: 1, flip: false }],
    // 1024 x 64 x 576 multiply-adds, past HAND_OFF_WORK: the workers take every chunk while the caller sleeps
    [[1, 32, 32, 64], [64, 3, 3, 64], { strides: [1, 1], paddingLo: [1, 1], paddingHi: [1, 1], kernelDilation: [1, 1], inputDilation: [1, 1], groups: 1, flip: false }],
    // depthwise, 80 groups: more chunks than one queue call takes (QUEUE_MAX)
    [[1, 12, 12, 80], [80, 3, 3, 1], { strides: [1, 1], paddingLo: [1, 1], paddingHi: [1, 1], kernelDilation: [1, 1], inputDilation: [1, 1], groups: 80, flip: false }],
  ];
  const previous = mx.getNumThreads();
  try {
    for (const [xs, ws, p] of cases) {
      const x = data(xs, 1);
      const w = data(ws, 7);
      const k = ws.slice(1).reduce((a, b) => a * b, 1);
      tally.cases++;
      mx.setNumThreads(2);
      checkMatmulF32(conv(p), [x, w], k, `conv ${JSON.stringify([xs, ws, p])}`);
      const two = runOn('wasm', conv(p), [x, w]).units;
      mx.setNumThreads(3);
      const three = runOn('wasm', conv(p), [x, w]).units;
      mx.setNumThreads(1);
      const one = runOn('wasm', conv(p), [x, w]).units;
      const bytes = (u: typeof one) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
      expect(bytes(two).equals(bytes(one))).toBe(true);
      expect(bytes(three).equals(bytes(one))).toBe(true);
      tally.cases++;
      const x64 = x.astype(mx.float64);
      const w64 = w.astype(mx.float64);
      compareBackends(conv(p), [x64, w64]);
      // float64 in chunks of rows (one batch item, or part of its first output dim, at a time)
      const old = setPatchBytes(1);
      try {
        compareBackends(conv(p), [x64, w64]);
      } finally {
        setPatchBytes(old);
      }
    }
  } finally {
    mx.setNumThreads(previous);
  }
});

test('Convolution ran in WASM for float32 and float64, with no fallback', () => {
  wasm().resetKernelStats();
  const prev = mx.cpuBackendName();
  mx.setCpuBackend('wasm');
  try {
    for (const d of [mx.float32, mx.float64]) mx.eval(mx.conv2d(data([2, 5, 5, 4], 0).astype(d), data([4, 2, 2, 2], 3).astype(d), 1, 1, 1, 2));
  } finally {
    mx.setCpuBackend(prev);
  }
  const stats = wasm().kernelStats().Convolution!;
  expect(stats.wasm).toBe(2);
  expect(stats.fallback).toBe(0);
});

afterAll(() => console.log(`wasm-conv: ${tally.cases} generated cases`));
