// GatherMM and SegmentedMM on the WASM backend (backend/wasm/matmul-variants.ts): one Matmul
// call per output matrix on strided views, so float32 is within the matmul bound of the
// reference (checkMatmulF32) and float64 bit-identical; any layout of the operands (drawn by
// @mlx-ts/core/testing's arbitraries), one row (the matrix-vector path) or many; indices and
// segments out of range raise the reference's errors on both backends.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { arraySpecArb, materialize } from '@mlx-ts/core/testing';
import { runs, tally } from './wasm-helpers.js';
import { checkMatmulF32, runOn } from './wasm-bounds.js';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';

const wasm = getBackendByName('wasm') as WasmBackend;
const count = (name: string) => (wasm.kernelStats()[name] ?? { wasm: 0 }).wasm;

const same = (f: () => mx.MxArray, label: string) => {
  const ref = runOn('reference', f, []).units as Float64Array;
  const ours = runOn('wasm', f, []).units as Float64Array;
  expect(ours.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) if (!Object.is(ours[i], ref[i])) throw new Error(`${label}: element ${i}: wasm ${ours[i]} vs reference ${ref[i]}`);
};

const dims = fc.record({ E: fc.integer({ min: 1, max: 4 }), M: fc.constantFrom(1, 2, 3, 5, 17), K: fc.integer({ min: 1, max: 21 }), N: fc.integer({ min: 1, max: 19 }), n: fc.integer({ min: 1, max: 6 }), seed: fc.nat() });

test('gatherMM float32 / float64: the WASM path against the reference (matmul bound / bit-identical), any operand layout', () => {
  const before = count('GatherMM');
  fc.assert(
    fc.property(
      dims.chain((d) => fc.tuple(fc.constant(d), fc.constantFrom(mx.float32, mx.float64)).chain(([d, dt]) => fc.tuple(fc.constant(d), fc.constant(dt), arraySpecArb(dt, [d.E, d.M, d.K]), arraySpecArb(dt, [d.E + 1, d.K, d.N])))),
      ([{ E, K, n, seed }, dt, aSpec, bSpec]) => {
        tally.cases++;
        let s = seed;
        const pick = (m: number) => Array.from({ length: n }, () => BigInt((s = (s * 1103515245 + 12345) % 2 ** 31) % m));
        const lhs = mx.array(pick(E), mx.uint32), rhs = mx.array(pick(E + 1), mx.int32);
        const op = (a: mx.MxArray, b: mx.MxArray) => mx.gatherMM(a, b, lhs, rhs);
        if (dt === mx.float64) same(() => op(materialize(aSpec), materialize(bSpec)), `gather_mm f64 K=${K}`);
        else checkMatmulF32(op, [aSpec, bSpec], K, `gather_mm f32 K=${K}`);
      },
    ),
    { numRuns: runs(60) },
  );
  expect(count('GatherMM')).toBeGreaterThan(before);
});

test('gatherMM: a mixture-of-experts shape (one token, experts transposed in place), batched indices, errors', () => {
  const experts = mx.random.normal([8, 64, 96], mx.float32, null, null, mx.random.key(1));
  const x = mx.random.normal([4, 1, 64], mx.float32, null, null, mx.random.key(2));
  const rhs = mx.array([[3n, 5n], [0n, 7n], [7n, 7n], [1n, 2n]], mx.uint32); // [4, 2]
  const lhs = mx.array([[0n], [1n], [2n], [3n]], mx.uint32);
  checkMatmulF32((a, b) => mx.gatherMM(a, mx.swapaxes(b, -1, -2), lhs, rhs), [x, mx.swapaxes(experts, -1, -2)], 64, 'moe W.T');
  const out = runOn('wasm', () => mx.gatherMM(x, experts, lhs, rhs), []);
  expect(out.shape).toEqual([4, 2, 1, 96]);
  for (const b of ['wasm', 'reference']) {
    expect(() => runOn(b, () => mx.gatherMM(x, experts, null, mx.array([8n], mx.uint32)), [])).toThrow(/rhs index 8 is out of bounds for 8 matrices/);
  }
});

test('segmentedMM float32 / float64: the WASM path against the reference, empty and overlapping segments, errors', () => {
  const before = count('SegmentedMM');
  fc.assert(
    fc.property(
      dims.chain((d) => fc.tuple(fc.constant(d), fc.constantFrom(mx.float32, mx.float64)).chain(([d, dt]) => fc.tuple(fc.constant(d), fc.constant(dt), arraySpecArb(dt, [d.M, d.K], { layouts: ['contiguous', 'transposed', 'sliced'] }), arraySpecArb(dt, [d.K, d.N], { layouts: ['contiguous', 'transposed', 'sliced'] }), fc.array(fc.tuple(fc.integer({ min: 0, max: d.K }), fc.integer({ min: 0, max: d.K })), { minLength: 1, maxLength: 4 })))),
      ([{ K }, dt, aSpec, bSpec, segs]) => {
        tally.cases++;
        const seg = mx.array(segs.map(([a, b]) => [BigInt(a), BigInt(b)]), mx.int32);
        const op = (a: mx.MxArray, b: mx.MxArray) => mx.segmentedMM(a, b, seg);
        if (dt === mx.float64) same(() => op(materialize(aSpec), materialize(bSpec)), `segmented_mm f64 K=${K}`);
        else checkMatmulF32(op, [aSpec, bSpec], K, `segmented_mm f32 K=${K}`);
      },
    ),
    { numRuns: runs(60) },
  );
  expect(count('SegmentedMM')).toBeGreaterThan(before);
  for (const b of ['wasm', 'reference']) {
    expect(() => runOn(b, () => mx.segmentedMM(mx.ones([2, 3]), mx.ones([3, 2]), mx.array([[0n, 4n]], mx.int32)), [])).toThrow(/segment \[0, 4\) is out of bounds for an inner dimension of 3/);
  }
});
