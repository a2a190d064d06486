// The quantized matmul kernels of the WASM backend (packed weights read directly) against the
// reference backend: every mode, bit width and group size, both transposes, panel tails (N not
// a multiple of 8), batched and gathered matrices, strided x, thread splits. Bit for bit,
// except float32 affine x @ w.T with 4 or 8 bits (qmv_f32): within the bound stated in
// backend/wasm/quantized.ts, checked element by element (checkQmvF32).
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally } from './wasm-helpers.js';
import { runOn } from './wasm-bounds.js';
import { usesF32Path } from '../src/backend/wasm/quantized.js';

type Op = (...xs: mx.MxArray[]) => mx.MxArray;

/**
 * The f32 path's bound: |ours - ref| <= (K + 8) 2^-24 S + K 2^-149 with S = sum_k |x_k|
 * (|scale q_k| + |bias|) (the reference on |x|, |scales|, |biases|); NaN where the reference
 * is NaN, the same infinity (or NaN) where it is infinite.
 */
function checkQmvF32(op: Op, inputs: mx.MxArray[], K: number, label: string): void {
  const ref = runOn('reference', op, inputs).units as Float32Array;
  const ours = runOn('wasm', op, inputs).units as Float32Array;
  const sAbs = runOn('reference', op, inputs, true).units as Float32Array;
  expect(ours.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!, o = ours[i]!;
    if (Number.isNaN(r)) {
      expect(Number.isNaN(o), `${label}: element ${i}: wasm ${o}, reference NaN`).toBe(true);
      continue;
    }
    if (!Number.isFinite(r)) {
      if (Number.isFinite(sAbs[i]!)) expect(o === r || Number.isNaN(o), `${label}: element ${i}: wasm ${o}, reference ${r}`).toBe(true);
      continue;
    }
    const S = sAbs[i]! * (1 + 2 ** -22);
    if (!(S <= 2 ** 126)) continue;
    const bound = (K + 8) * 2 ** -24 * S + K * 2 ** -149;
    expect(Math.abs(o - r) <= bound, `${label}: element ${i}: wasm ${o} vs reference ${r}, bound ${bound}`).toBe(true);
  }
}

/** compareBackends, or the stated bound for the f32 path. */
function check(op: Op, inputs: mx.MxArray[], p: { mode: mx.QuantizationMode; bits: number; groupSize: number; transpose: boolean }, K: number, label: string): void {
  if (usesF32Path(p) && inputs[0]!.dtype === mx.float32) checkQmvF32(op, inputs, K, label);
  else compareBackends(op, inputs, { label });
}

const configs: [mx.QuantizationMode, number, number][] = [
  ...[1, 2, 3, 4, 5, 6, 8].flatMap((b) => [32, 64, 128].map((g): [mx.QuantizationMode, number, number] => ['affine', g, b])),
  ['mxfp4', 32, 4],
  ['mxfp8', 32, 8],
  ['nvfp4', 16, 4],
];

/** Random packed words, scales (codes for the fp modes) and biases for a (rows, cols) matrix. */
function packed(mode: mx.QuantizationMode, gs: number, bits: number, rows: number, cols: number, seed: number): mx.MxArray[] {
  const key = mx.random.key(seed);
  const [k1, k2, k3] = mx.random.split(key, 3) as unknown as mx.MxArray[];
  const w = mx.random.bits([rows, (cols * bits) / 32], 4, k1);
  if (mode !== 'affine') {
    // scale codes near 127 (e8m0) or 0x30 (e4m3): finite products
    const lo = mode === 'nvfp4' ? 0x28 : 122;
    return [w, mx.add(mx.random.randint(mx.array(0, mx.int32), mx.array(10, mx.int32), [rows, cols / gs], mx.int32, k2), lo).astype(mx.uint8)];
  }
  return [w, mx.random.normal([rows, cols / gs], mx.float32, 0, 0.1, k2), mx.random.normal([rows, cols / gs], mx.float32, 0, 0.1, k3)];
}

const arb = fc.record({
  cfg: fc.constantFrom(...configs),
  transpose: fc.boolean(),
  M: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 5 })),
  other: fc.integer({ min: 1, max: 21 }),
  groups: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  xLayout: fc.constantFrom('contiguous', 'strided', 'vector'),
});

test('quantizedMatmul on WASM equals the reference bit for bit', () => {
  fc.assert(
    fc.property(arb, ({ cfg: [mode, gs, bits], transpose, M, other, groups, seed, xLayout }) => {
      tally.cases++;
      const K = transpose ? groups * gs : other;
      const N = transpose ? other : groups * gs;
      const [r, c] = transpose ? [N, K] : [K, N];
      const q = packed(mode, gs, bits, r, c, seed);
      let x = mx.random.normal([Math.max(M, 1) * 2, K], mx.float32, 0, 1, mx.random.key(seed + 1));
      x = xLayout === 'strided' ? x.index(mx.Slice(null, null, 2)) : xLayout === 'vector' ? x.index(0) : x.index(mx.Slice(0, M));
      check((a, w, s, b) => mx.quantizedMatmul(a!, w!, s!, b ?? null, transpose, gs, bits, mode), [x, ...q], { mode, bits, groupSize: gs, transpose }, K, `${mode} gs=${gs} bits=${bits} transpose=${transpose} M=${M} K=${K} N=${N} ${xLayout}`);
    }),
    { numRuns: runs(120) },
  );
});

test('batched and gathered quantized matmuls on WASM equal the reference', () => {
  const x = mx.random.normal([3, 2, 64], mx.float32, 0, 1, mx.random.key(7));
  const w = mx.random.normal([4, 20, 64], mx.float32, 0, 1, mx.random.key(8));
  for (const [mode, gs, bits] of [['affine', 32, 4], ['affine', 64, 3], ['affine', 64, 8], ['mxfp4', 32, 4], ['nvfp4', 16, 4]] as const) {
    const q = mx.quantize(w, gs, bits, mode);
    const p = { mode, bits, groupSize: gs, transpose: true };
    tally.cases += 3;
    check((a, ...r) => mx.quantizedMatmul(a!, r[0]!, r[1]!, r[2] ?? null, true, gs, bits, mode), [x, ...q.map((t) => t.index(mx.Slice(0, 1)))], p, 64, `batched ${mode} ${bits}`);
    check((a, ...r) => mx.quantizedMatmul(mx.broadcastTo(a!.index(mx.Slice(0, 1)), [4, 2, 64]), r[0]!, r[1]!, r[2] ?? null, true, gs, bits, mode), [x, ...q], p, 64, `broadcast ${mode} ${bits}`);
    const l = mx.array([[0n, 2n], [1n, 1n]], mx.uint32), rr = mx.array([[3n, 0n], [1n, 3n]], mx.uint32);
    check((a, ...r) => mx.gatherQMM(a!, r[0]!, r[1]!, r[2] ?? null, l, rr, true, gs, bits, mode), [x, ...q], p, 64, `gather ${mode} ${bits}`);
  }
});

test('a large panel split across threads equals the reference', () => {
  const x = mx.random.normal([3, 512], mx.float32, 0, 1, mx.random.key(9));
  const q = mx.quantize(mx.random.normal([300, 512], mx.float32, 0, 1, mx.random.key(10)), 64, 4);
  const q3 = mx.quantize(mx.random.normal([300, 512], mx.float32, 0, 1, mx.random.key(11)), 64, 3);
  tally.cases += 2;
  checkQmvF32((a, w, s, b) => mx.quantizedMatmul(a!, w!, s!, b!, true, 64, 4), [x, ...q], 512, 'threads, 4 bits');
  compareBackends((a, w, s, b) => mx.quantizedMatmul(a, w, s, b, true, 64, 3), [x, ...q3]);
  // results don't depend on M or the thread count: one row alone equals its row in the batch
  const all = mx.quantizedMatmul(x, q[0]!, q[1]!, q[2]!, true, 64, 4);
  const prev = mx.getNumThreads();
  mx.setNumThreads(1);
  try {
    const one = mx.quantizedMatmul(x.index(mx.Slice(1, 2)), q[0]!, q[1]!, q[2]!, true, 64, 4);
    expect(mx.arrayEqual(one, all.index(mx.Slice(1, 2))).item()).toBe(true);
  } finally {
    mx.setNumThreads(prev);
  }
});

test('the f32 path keeps its bound at extreme magnitudes (x up to 2^100, subnormal x, inf, NaN), 4 and 8 bits, one and several rows', () => {
  // the codes are summed carrying 2^12 (kernels-wasm quantized.ts): the bound is stated while
  // |x_k q_k| * groupSize stays below 2^115, which 2^100 * 255 * 64 does
  const K = 128;
  const big = Array.from({ length: K }, (_, k) => (k % 3 === 0 ? 2 ** 100 : k % 3 === 1 ? -(2 ** 99) : 2 ** -130) * (1 + k / K));
  const tiny = Array.from({ length: K }, (_, k) => (k % 2 ? 1e-38 : -3e-39) * (k + 1));
  const special = Array.from({ length: K }, (_, k) => (k === 5 ? Infinity : k === 9 ? -Infinity : k / 7));
  const withNaN = Array.from({ length: K }, (_, k) => (k === 77 ? NaN : 1 - k / 50));
  for (const bits of [4, 8]) {
    const q = mx.quantize(mx.random.normal([13, K], mx.float32, 0, 1, mx.random.key(bits)), 64, bits);
    for (const rows of [[big], [tiny], [special], [big, tiny, special, withNaN]]) {
      tally.cases++;
      const x = mx.array(rows, mx.float32);
      checkQmvF32((a, w, s, b) => mx.quantizedMatmul(a!, w!, s!, b!, true, 64, bits), [x, ...q], K, `extremes bits=${bits} M=${rows.length}`);
    }
  }
});

test('the quantized matmuls ran in WASM', () => {
  const stats = (getBackendByName('wasm') as WasmBackend).kernelStats();
  expect(stats.QuantizedMatmul!.wasm).toBeGreaterThan(0);
  expect(stats.GatherQMM!.wasm).toBeGreaterThan(0);
});

afterAll(() => console.log(`wasm-quantized: ${tally.cases} generated cases`));
