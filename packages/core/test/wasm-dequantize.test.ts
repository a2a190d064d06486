// Affine Dequantize on the WASM backend (backend/wasm/dequantize.ts) against the reference
// kernel: bit-identical for every bit width MLX has (1-6, 8) (codes straddling words for 3, 5, 6 bits), group
// size, threads; layouts it doesn't take (a transposed scale) still give the reference's values.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { runs, tally } from './wasm-helpers.js';
import { runOn } from './wasm-bounds.js';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';

const wasm = getBackendByName('wasm') as WasmBackend;
const count = () => (wasm.kernelStats().Dequantize ?? { wasm: 0 }).wasm;

function identical(label: string, f: () => mx.MxArray): void {
  const ref = runOn('reference', f, []).units as Float32Array;
  const ours = runOn('wasm', f, []).units as Float32Array;
  expect(ours.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) if (!Object.is(ours[i], ref[i])) throw new Error(`${label}: element ${i}: wasm ${ours[i]} vs reference ${ref[i]}`);
}

/** quantize() on the reference backend, so both backends dequantize the same words. */
function quantized(rows: number, cols: number, gs: number, bits: number, seed: number): mx.MxArray[] {
  mx.setCpuBackend('reference');
  try {
    const w = mx.random.normal([rows, cols], mx.float32, null, null, mx.random.key(seed));
    const q = mx.quantize(w, gs, bits) as unknown as mx.MxArray[];
    mx.eval(...q);
    return q;
  } finally {
    mx.setCpuBackend('wasm');
  }
}

test('dequantize affine float32: bit-identical to the reference for bits 1-6, 8 and group sizes 32/64/128', () => {
  const before = count();
  fc.assert(
    fc.property(fc.constantFrom(1, 2, 3, 4, 5, 6, 8), fc.constantFrom(32, 64, 128), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (bits, gs, rows, groups, seed) => {
      tally.cases++;
      const [wq, s, b] = quantized(rows, gs * groups, gs, bits, seed);
      identical(`bits ${bits} gs ${gs} ${rows}x${gs * groups}`, () => mx.dequantize(wq!, s!, b!, gs, bits));
    }),
    { numRuns: runs(60) },
  );
  // threads, and a 3-D batch of matrices
  const [wq, s, b] = quantized(512, 512, 64, 4, 1);
  identical('512x512 4-bit', () => mx.dequantize(wq!, s!, b!, 64, 4));
  const [w3, s3, b3] = quantized(96, 128, 32, 3, 2);
  identical('3-bit, batched', () => mx.dequantize(w3!.reshape([4, 24, -1]), s3!.reshape([4, 24, -1]), b3!.reshape([4, 24, -1]), 32, 3));
  expect(count()).toBeGreaterThan(before);
  // a strided scale declines to the reference kernel: same values
  const [w2, s2, b2] = quantized(8, 64, 32, 8, 3);
  const sT = mx.swapaxes(mx.copy(mx.swapaxes(s2!, 0, 1)), 0, 1);
  identical('strided scales', () => mx.dequantize(w2!, sT, b2!, 32, 8));
});
