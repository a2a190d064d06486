// float16 / bfloat16 operands of the matmul family, convolutions and quantized matmuls on the
// WASM backend (backend/wasm/widen.ts: widened to float32, the float32 kernel, one rounding
// back) against the reference backend (exact sums, one rounding): per element,
//   |ours - ref| <= ulp_h(|ref|) + (K + 8) 2^-24 S + K 2^-149   (+ 3 u_h S for quantized matmuls,
//                                                               whose reference rounds the
//                                                               dequantized weights to half)
// with S = sum_k |a_ik b_kj| (the reference on |inputs| in float32) and u_h the half dtype's
// unit roundoff; NaN where the reference is NaN. Each case also checks that the primitive ran
// on the WASM side, not on the reference fallback.
import { test, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runOn } from './wasm-bounds.js';
import { runs, tally } from './wasm-helpers.js';
import { skinnyStats } from '../src/backend/wasm/matvec.js';
import { resetThreadStats, threadStats } from '../src/backend/wasm/threads.js';

type Op = (...xs: mx.MxArray[]) => mx.MxArray;
const mm: Op = (a, b) => mx.matmul(a!, b!);
const wasm = () => getBackendByName('wasm') as WasmBackend;
const halves = [mx.float16, mx.bfloat16] as const;

/** Unit roundoff and smallest spacing of a half dtype. */
const unit = (d: mx.Dtype) => (d === mx.float16 ? 2 ** -11 : 2 ** -8);
function ulpHalf(v: number, d: mx.Dtype): number {
  const mant = d === mx.float16 ? 10 : 7;
  const min = d === mx.float16 ? 2 ** -24 : 2 ** -133;
  const a = Math.abs(v);
  if (!(a > 0)) return min;
  return Math.max(min, 2 ** (Math.floor(Math.log2(a)) - mant));
}

/**
 * Checks `op` (linear in its float operands, K terms per output) on half `inputs` within the
 * bound above; `quantized` adds the reference's rounding of dequantized weights. `prim`: the
 * primitive that must have run on the WASM side. `sOp` computes S when `op` holds operands
 * that |inputs| can't reach (weights captured in the closure).
 */
function checkWidened(op: Op, inputs: mx.MxArray[], K: number, prim: string, label: string, quantized = false, sOp: Op = op): void {
  const d = op(...inputs).dtype;
  expect(d === mx.float16 || d === mx.bfloat16, `${label}: result dtype ${d}`).toBe(true);
  const asF32 = (...xs: mx.MxArray[]) => op(...xs).astype(mx.float32);
  const ref = runOn('reference', asF32, inputs).units as Float32Array;
  wasm().resetKernelStats();
  const ours = runOn('wasm', asF32, inputs).units as Float32Array;
  const stats = wasm().kernelStats()[prim];
  expect(stats?.wasm ?? 0, `${label}: ${prim} ran on the WASM side`).toBeGreaterThan(0);
  expect(stats?.fallback ?? 0, `${label}: ${prim} fell back to the reference`).toBe(0);
  const wide = inputs.map((x) => (x.dtype === mx.float16 || x.dtype === mx.bfloat16 ? mx.abs(x).astype(mx.float32) : x));
  const sAbs = runOn('reference', sOp, wide).units as Float32Array;
  expect(ours.length, label).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!, o = ours[i]!;
    if (Number.isNaN(r)) {
      expect(Number.isNaN(o), `${label}: element ${i}: wasm ${o}, reference NaN`).toBe(true);
      continue;
    }
    if (!Number.isFinite(r)) {
      expect(o, `${label}: element ${i}: wasm ${o}, reference ${r}`).toBe(r);
      continue;
    }
    const S = sAbs[i]! * (1 + 2 ** -20);
    const bound = ulpHalf(r, d) + (K + 8) * 2 ** -24 * S + K * 2 ** -149 + (quantized ? 3 * unit(d) * S : 0);
    const err = Math.abs(o - r);
    expect(err <= bound, `${label}: element ${i}: wasm ${o} vs reference ${r}, |diff| ${err} > bound ${bound}`).toBe(true);
    worst = Math.max(worst, err / bound);
  }
  tally.cases++;
}

/** Values in [-1, 1) drawn from a seed, as dtype d. */
const data = (shape: number[], d: mx.Dtype, seed: number) => mx.random.uniform(-1, 1, shape, mx.float32, mx.random.key(seed)).astype(d);

afterAll(() => console.log(`wasm-widen: ${tally.cases} cases`));

for (const d of halves) {
  test(`matmul ${d.name}: shapes, layouts (W.T views, slices, broadcasts), batches, NaN`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 4 }), fc.nat(), (M, N, K, layout, seed) => {
        const a = data([M, K], d, seed);
        let b: mx.MxArray;
        if (layout === 0) b = data([K, N], d, seed + 1);
        else if (layout === 1) b = data([N, K], d, seed + 1).T; // a Linear layer's layout
        else if (layout === 2) b = data([K, 2 * N], d, seed + 1).index(mx.Slice(), mx.Slice(null, null, 2)); // every other column
        else if (layout === 3) b = mx.broadcastTo(data([1, N], d, seed + 1), [K, N]);
        else b = data([K, N], d, seed + 1);
        const x = layout === 4 ? mx.where(mx.equal(mx.arange(M * K).reshape([M, K]), 3), mx.array(NaN, d), a) : a;
        checkWidened(mm, [x, b], K, 'Matmul', `matmul ${d.name} ${M}x${K} @ ${K}x${N} layout ${layout}`);
      }),
      { numRuns: runs(40) },
    );
    // batched with a broadcast operand, and a 1-D vector
    checkWidened(mm, [data([3, 5, 17], d, 1), data([17, 9], d, 2)], 17, 'Matmul', `batched ${d.name}`);
    checkWidened(mm, [data([2, 1, 4, 8], d, 3), data([3, 8, 6], d, 4)], 8, 'Matmul', `broadcast batch ${d.name}`);
    checkWidened(mm, [data([33], d, 5), data([33, 7], d, 6)], 33, 'Matmul', `vector ${d.name}`);
    // the inference shape: a vector by a large matrix stored as W (Linear: x @ W.T), split
    // across threads; a half W is read in place (matvec_bf16_dot / matvec_f16_dot), K with a tail of 8
    const before = skinnyStats.half;
    checkWidened((x, w) => mx.matmul(x, w.T), [data([1, 515], d, 7), data([300, 515], d, 8)], 515, 'Matmul', `matvec W.T ${d.name}`);
    checkWidened((x, w) => mx.matmul(x, w.T), [data([2, 5, 64], d, 9), data([37, 64], d, 10)], 64, 'Matmul', `batched rows W.T ${d.name}`);
    expect(skinnyStats.half - before, 'half weights read in place').toBe(2);
  });

  test(`matvec ${d.name} weights read in place: zeros, subnormals, extremes, infinities and NaN among them`, () => {
    // every special of the dtype at scattered places (one vector of 8 with several), the rest normal values
    const specials = d === mx.float16 ? [0, -0, 2 ** -24, -(2 ** -24), 2 ** -14, 6e-5, 65504, -65504, Infinity, -Infinity, NaN] : [0, -0, 2 ** -133, 1e-38, 3e38, -3e38, Infinity, -Infinity, NaN];
    for (const [N, K, seed] of [[9, 67, 1], [40, 24, 2], [5, 8, 3]] as const) {
      const w = new Float32Array(N * K);
      let a = seed * 7919;
      for (let i = 0; i < w.length; i++) {
        a = (Math.imul(a, 1103515245) + 12345) >>> 0;
        w[i] = a % 13 === 0 ? specials[(a >>> 8) % specials.length]! : ((a >>> 8) % 2001) / 1000 - 1;
      }
      // a row of only finite specials, so some outputs stay finite and their bound is checked
      const W = mx.array(w).reshape([N, K]).astype(d);
      const finite = mx.where(mx.isfinite(W), W, mx.zeros([N, K], d));
      // one row (eight columns a pass, then fours) and two (two columns by four rows)
      for (const M of [1, 2]) {
        const x = data([M, K], d, seed + 90);
        checkWidened((xx, ww) => mx.matmul(xx!, ww!.T), [x, W], K, 'Matmul', `matvec specials ${d.name} ${M}x${K} @ (${N}x${K}).T`);
        checkWidened((xx, ww) => mx.matmul(xx!, ww!.T), [x, finite], K, 'Matmul', `matvec extremes ${d.name} ${M}x${K} @ (${N}x${K}).T`);
      }
    }
  });

  test(`matvec ${d.name}, one row: the same bits on 1, 2 and 3 threads (columns split at any multiple of 4)`, () => {
    const previous = mx.getNumThreads();
    try {
      for (const [K, N] of [[515, 3003], [64, 20004]] as const) {
        const x = data([1, K], d, K);
        const W = data([N, K], d, N);
        const op: Op = (xx, ww) => mx.matmul(xx!, ww!.T);
        mx.setNumThreads(1);
        const one = Buffer.from(runOn('wasm', op, [x, W]).units.buffer);
        for (const t of [2, 3]) {
          mx.setNumThreads(t);
          resetThreadStats();
          expect(Buffer.from(runOn('wasm', op, [x, W]).units.buffer).equals(one), `${K} x ${N}, ${t} threads`).toBe(true);
          expect(threadStats().threaded, `${K} x ${N}, ${t} threads: split`).toBeGreaterThan(0);
        }
        checkWidened(op, [x, W], K, 'Matmul', `matvec ${d.name} 1x${K} @ (${N}x${K}).T`);
      }
    } finally {
      mx.setNumThreads(previous);
    }
  });

  test(`addmm, gatherMM, segmentedMM ${d.name}`, () => {
    const a = data([4, 12], d, 11), b = data([12, 6], d, 12), c = data([4, 6], d, 13);
    checkWidened((x, y, z) => mx.addmm(z!, x!, y!, 0.5, 2), [a, b, c], 13, 'AddMM', `addmm ${d.name}`);
    const A = data([3, 4, 12], d, 14), B = data([5, 12, 6], d, 15);
    const li = mx.array([2, 0, 1, 1], mx.uint32), ri = mx.array([4, 0, 3, 3], mx.uint32);
    checkWidened((x, y) => mx.gatherMM(x!, y!, li, ri), [A, B], 12, 'GatherMM', `gatherMM ${d.name}`);
    const segs = mx.array([[0, 5], [5, 12], [3, 3]], mx.uint32);
    checkWidened((x, y) => mx.segmentedMM(x!, y!, segs), [data([4, 12], d, 16), data([12, 6], d, 17)], 12, 'SegmentedMM', `segmentedMM ${d.name}`);
  });

  test(`convolutions ${d.name}: conv1d with groups and stride, conv2d padded, convTranspose2d`, () => {
    checkWidened((x, w) => mx.conv1d(x!, w!, 2, 1, 1, 2), [data([2, 15, 6], d, 21), data([4, 3, 3], d, 22)], 9, 'Convolution', `conv1d ${d.name}`);
    checkWidened((x, w) => mx.conv2d(x!, w!, 1, 1), [data([1, 9, 10, 8], d, 23), data([5, 3, 3, 8], d, 24)], 72, 'Convolution', `conv2d ${d.name}`);
    checkWidened((x, w) => mx.convTranspose2d(x!, w!, 2, 1), [data([1, 5, 6, 4], d, 25), data([3, 3, 3, 4], d, 26)], 36, 'Convolution', `convTranspose2d ${d.name}`);
  });

  test(`quantizedMatmul and gatherQMM ${d.name}: affine 2/4/8 bits, both transposes, fp modes`, () => {
    for (const [bits, gs, transpose] of [[4, 64, true], [8, 32, true], [4, 32, false], [2, 64, true], [3, 32, true]] as const) {
      const K = transpose ? 2 * gs : 24, N = transpose ? 10 : 2 * gs;
      const W = data(transpose ? [N, K] : [K, N], mx.float32, 31 + bits);
      const [wq, s, b] = mx.quantize(W.astype(d), gs, bits);
      const x = data([3, K], d, 41 + bits);
      const label = `quantizedMatmul ${d.name} bits ${bits} gs ${gs} transpose ${transpose}`;
      checkWidened((xx, ss, bb) => mx.quantizedMatmul(xx!, wq!, ss!, bb!, transpose, gs, bits), [x, s!, b!], K, 'QuantizedMatmul', label, true);
    }
    const W = data([3, 8, 64], mx.float32, 51);
    const [wq, s, b] = mx.quantize(W.astype(d), 64, 4);
    const rhs = mx.array([2, 0], mx.uint32);
    checkWidened((xx, ss, bb) => mx.gatherQMM(xx!, wq!, ss!, bb!, null, rhs, true, 64, 4), [data([2, 1, 64], d, 52), s!, b!], 64, 'GatherQMM', `gatherQMM ${d.name}`, true);
    const [fq, fs] = mx.quantize(data([8, 64], mx.float32, 53), 32, 4, 'mxfp4');
    const absW = mx.abs(mx.dequantize(fq!, fs!, null, 32, 4, 'mxfp4', null, mx.float32));
    checkWidened((xx) => mx.quantizedMatmul(xx!, fq!, fs!, null, true, 32, 4, 'mxfp4'), [data([2, 64], d, 54)], 64, 'QuantizedMatmul', `mxfp4 ${d.name}`, true, (xx) => mx.matmul(xx!, absW.T));
  });

  test(`compositions ${d.name}: grad and vmap of a half matmul chain run widened on both sides`, () => {
    const x = data([4, 16], d, 61), w1 = data([16, 12], d, 62), w2 = data([12, 5], d, 63);
    const loss = (a: mx.MxArray, b: mx.MxArray, c: mx.MxArray) => mx.sum(mx.square(mx.matmul(mx.tanh(mx.matmul(a, b)), c)));
    // each gradient is a chain of half matmuls; its reference value within a few half units
    const g = (...xs: mx.MxArray[]) => mx.stack(mx.grad(loss, [1, 2])(xs[0]!, xs[1]!, xs[2]!).map((t: mx.MxArray) => mx.sum(mx.abs(t))));
    const ref = runOn('reference', (...xs) => g(...xs).astype(mx.float32), [x, w1, w2]).units as Float32Array;
    const ours = runOn('wasm', (...xs) => g(...xs).astype(mx.float32), [x, w1, w2]).units as Float32Array;
    for (let i = 0; i < ref.length; i++) expect(Math.abs(ours[i]! - ref[i]!), `grad ${i}: ${ours[i]} vs ${ref[i]}`).toBeLessThanOrEqual(64 * unit(d) * Math.abs(ref[i]!));
    const batched = (a: mx.MxArray, b: mx.MxArray) => mx.vmap((r: mx.MxArray) => mx.matmul(r, b), 0)(a) as mx.MxArray;
    checkWidened(batched, [data([6, 3, 16], d, 64), data([16, 7], d, 65)], 16, 'Matmul', `vmap ${d.name}`);
  });
}

test('mixed half operands: float16 @ bfloat16 promotes to float32 (no widening needed), results unchanged', () => {
  const a = data([3, 8], mx.float16, 71), b = data([8, 4], mx.bfloat16, 72);
  const r = runOn('reference', mm, [a, b]).units as Float32Array;
  const o = runOn('wasm', mm, [a, b]).units as Float32Array;
  for (let i = 0; i < r.length; i++) expect(Math.abs(o[i]! - r[i]!)).toBeLessThanOrEqual(16 * 2 ** -24 * 8);
});
