// The fused mx.fast kernels on the GPU (Backend.fuses is true for RMSNorm, LayerNorm, RoPE,
// ScaledDotProductAttention, CrossEntropy, GatedDeltaUpdate and Hadamard) against the
// reference's fused kernels: the norms, RoPE, the gated delta rule and Hadamard exact (1 / sqrt
// rounded once by a Newton step, cos and sin in float-float), attention and cross entropy
// within 4 ulp (our exp and log); halves, strided inputs, vmap and jvp, grads (their vjps are
// compositions, RoPE's and Hadamard's are themselves; 16 ulp there: the compositions' rsqrt
// and power have the elementwise kernels' bounds) and compile.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { gpuBackend, noGpu, rng, spec, checkGpu, halfUnits, randSpec } from './gpu-helpers.js';
import { fastStats } from '../src/matmul.js';
import { attentionScratch, attentionStats } from '../src/fast.js';

const rand = randSpec;

describe.skipIf(noGpu)('webgpu fused mx.fast kernels', () => {
  it('the backend fuses RMSNorm, LayerNorm and RoPE in float dtypes only', () => {
    for (const p of ['RMSNorm', 'LayerNorm', 'RoPE', 'ScaledDotProductAttention', 'CrossEntropy', 'GatedDeltaUpdate', 'Hadamard']) {
      for (const d of [mx.float32, mx.float16, mx.bfloat16]) expect(gpuBackend!.fuses(p, d)).toBe(true);
    }
    expect(gpuBackend!.fuses('RMSNorm', mx.int32)).toBe(false);
  });

  it('rmsNorm: with and without weight, rows longer than a workgroup, strided, halves', () => {
    checkGpu((x, w) => mx.fast.rmsNorm(x, w, 1e-5), [rand([3, 5, 8], 1), rand([8], 2)], 'weight');
    checkGpu((x) => mx.fast.rmsNorm(x, null, 1e-4), [rand([2, 150], 3)], 'no weight, 150 columns');
    checkGpu((x, w) => mx.fast.rmsNorm(x, w, 1e-5), [rand([6, 4], 4, mx.float32, [{ kind: 'transpose', axes: [1, 0] }]), rand([6], 5)], 'transposed x');
    checkGpu((x, w) => mx.fast.rmsNorm(x, w, 1e-5), [rand([4, 16], 6, mx.float16), rand([16], 7, mx.float16)], 'float16', 1);
    checkGpu((x, w) => mx.fast.rmsNorm(x, w, 1e-5), [rand([4, 16], 8, mx.bfloat16), rand([16], 9, mx.bfloat16)], 'bfloat16', 1);
  });

  it('layerNorm: weight and bias optional, halves', () => {
    checkGpu((x, w, b) => mx.fast.layerNorm(x, w, b, 1e-5), [rand([3, 70], 10), rand([70], 11), rand([70], 12)], 'weight and bias');
    checkGpu((x) => mx.fast.layerNorm(x, null, null, 1e-5), [rand([2, 3, 8], 13)], 'neither');
    checkGpu((x, b) => mx.fast.layerNorm(x, null, b, 1e-5), [rand([2, 8], 14), rand([8], 15)], 'bias only');
    checkGpu((x, w) => mx.fast.layerNorm(x, w, null, 1e-5), [rand([5, 12], 16, mx.bfloat16), rand([12], 17, mx.bfloat16)], 'bfloat16', 1);
  });

  it('rope: traditional or not, partial dims, base or freqs, scalar and per-batch offsets', () => {
    const x = rand([2, 2, 5, 8], 20);
    checkGpu((a) => mx.fast.rope(a, 8, false, 10000, 1, 3), [x], 'plain');
    checkGpu((a) => mx.fast.rope(a, 6, true, 500, 0.5, 0), [x], 'traditional, 6 of 8 dims');
    checkGpu((a, o) => mx.fast.rope(a, 8, false, 10000, 1, o), [x, spec(mx.int32, [2], [1, 7])], 'per-batch offsets');
    checkGpu((a, o) => mx.fast.rope(a, 8, true, 10000, 1, o), [x, spec(mx.uint32, [2], [4, 0])], 'uint32 offsets');
    checkGpu((a, f) => mx.fast.rope(a, 4, false, null, 1, 2, f), [rand([1, 3, 6], 21), spec(mx.float32, [2], [1.5, 40])], 'freqs');
    checkGpu((a) => mx.fast.rope(a, 8, false, 10000, 1, 1), [rand([1, 4, 8], 22, mx.float16)], 'float16');
  });

  it('scaled dot-product attention: plain, causal, bool and additive masks, GQA, sinks, halves', () => {
    // positive values: the outputs are convex combinations, with no cancellation to make ulps
    // meaningless; the exps are ours (exp_), not the reference's, hence the bound
    const pos = (shape: number[], seed: number, dtype: mx.Dtype = mx.float32) => {
      const r = rng(seed);
      return spec(dtype, shape, halfUnits(dtype, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(r() * 2 + 0.1))));
    };
    const sdpa = (scale: number, mask?: string) => (q: mx.MxArray, k: mx.MxArray, v: mx.MxArray, m?: mx.MxArray, s?: mx.MxArray) =>
      mx.fast.scaledDotProductAttention(q, k, v, scale, mask ?? m ?? null, s ?? null);
    const [q, k, v] = [rand([1, 2, 3, 8], 40), rand([1, 2, 5, 8], 41), pos([1, 2, 5, 6], 42)];
    checkGpu(sdpa(0.35), [q, k, v], 'plain', 4);
    checkGpu(sdpa(0.35, 'causal'), [q, k, v], 'causal', 4);
    checkGpu(sdpa(0.5), [q, k, v, spec(mx.bool, [3, 5], [1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1])], 'bool mask', 4);
    checkGpu(sdpa(0.5), [q, k, v, rand([1, 2, 3, 5], 43)], 'additive mask', 4);
    checkGpu((a, b, c, s) => mx.fast.scaledDotProductAttention(a, b, c, 0.3, null, s), [rand([2, 4, 2, 4], 44), rand([2, 2, 3, 4], 45), pos([2, 2, 3, 4], 46), rand([4], 47)], 'GQA and sinks', 4);
    checkGpu(sdpa(0.25, 'causal'), [rand([1, 2, 4, 8], 48, mx.float16), rand([1, 1, 4, 8], 49, mx.float16), pos([1, 1, 4, 8], 50, mx.float16)], 'float16 GQA causal', 2);
    const kT = rand([1, 8, 5, 2], 51, mx.float32, [{ kind: 'transpose', axes: [0, 3, 2, 1] }]); // (1, 2, 5, 8) strided
    checkGpu(sdpa(0.35), [q, kT, v], 'strided keys', 4);
    checkGpu(sdpa(0.35), [q, rand([1, 2, 0, 8], 52), rand([1, 2, 0, 6], 53)], 'no keys');
  });

  it('attention past 8 queries: both products in the float32 tiles, within the bound against float64 attention', () => {
    // float64 attention on the CPU (the same masks), and sum_j p_j |v_j| for the bound
    const real = (shape: number[], seed: number, lo = -2, span = 4): mx.MxArray => {
      const r = rng(seed);
      return mx.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(lo + r() * span)), mx.float32).reshape(shape);
    };
    const u = 2 ** -24;
    type Case = [string, mx.MxArray, mx.MxArray, mx.MxArray, number, 'causal' | mx.MxArray | null, mx.MxArray | null];
    const [B, Nq, Nkv, Tq, Tk, D, Dv] = [2, 4, 2, 20, 37, 16, 12];
    const q = real([B, Nq, Tq, D], 70), k = real([B, Nkv, Tk, D], 71), v = real([B, Nkv, Tk, Dv], 72);
    const boolMask = mx.greater(real([Tq, Tk], 73), -1.2);
    const addMask = real([B, Nq, Tq, Tk], 74, -1, 2);
    const cases: Case[] = [
      ['plain, GQA', q, k, v, 0.3, null, null],
      ['causal', q, k, v, 0.25, 'causal', null],
      ['bool mask', q, k, v, 0.3, boolMask, null],
      ['additive mask and sinks', q, k, v, 0.3, addMask, real([Nq], 75)],
      ['keys read through strides', q, mx.swapaxes(real([B, Nkv, D, Tk], 76), 2, 3), v, 0.3, null, null],
    ];
    for (const [label, qq, kk, vv, scale, mask, sinks] of cases) {
      const before = fastStats.tiles;
      const got = mx.fast.scaledDotProductAttention(qq, kk, vv, scale, mask, sinks, mx.gpu);
      mx.eval(got);
      expect(fastStats.tiles - before, `${label}: both products on the tiles`).toBe(2);
      const g = got.toTypedArray() as Float32Array;
      // float64 reference: scores, masks, sinks as an extra logit, softmax, @ v
      const c = mx.cpu;
      const f = (x: mx.MxArray) => x.astype(mx.float64, c);
      const rep = (x: mx.MxArray) => mx.repeat(f(x), Nq / Nkv, 1, c);
      let sc = mx.matmul(mx.multiply(f(qq), scale, c), mx.swapaxes(rep(kk), 2, 3, c), c);
      const absS = mx.matmul(mx.abs(mx.multiply(f(qq), scale, c), c), mx.abs(mx.swapaxes(rep(kk), 2, 3, c), c), c);
      const causal = mx.array(Array.from({ length: Tq * Tk }, (_, x) => Math.floor(x / Tk) + Tk - Tq >= x % Tk), mx.bool).reshape([Tq, Tk]);
      if (mask === 'causal') sc = mx.where(causal, sc, -Infinity, c);
      else if (mask && mask.dtype === mx.bool) sc = mx.where(mask, sc, -Infinity, c);
      else if (mask) sc = mx.add(sc, f(mask), c);
      let p: mx.MxArray;
      if (sinks) {
        const sk = mx.broadcastTo(f(sinks).reshape([1, Nq, 1, 1]), [B, Nq, Tq, 1], c);
        p = mx.softmax(mx.concatenate([sk, sc], 3, c), 3, false, c).index(mx.Slice(), mx.Slice(), mx.Slice(), mx.Slice(1));
      } else p = mx.softmax(sc, 3, false, c);
      const want = mx.matmul(p, rep(vv), c).toTypedArray() as Float64Array;
      const pAbsV = mx.matmul(p, mx.abs(rep(vv), c), c).toTypedArray() as Float64Array;
      const maxAbsS = mx.max(absS, 3, true, c).toTypedArray() as Float64Array; // per query row
      for (let e = 0; e < g.length; e++) {
        const row = Math.floor(e / Dv);
        // each score within (D + 3) u sum|q k| (float32 dot, the scaled q and the score rounded):
        // the probabilities within 2 of that relatively (the softmax's shift cancels), then their
        // own rounding and exp's ulps, and the float32 sum over Tk of p v
        const delta = (D + 3) * u * maxAbsS[row]!;
        const bound = (2.2 * delta + (Tk + 16) * u) * pAbsV[e]! + 2 ** -140;
        if (!(Math.abs(g[e]! - want[e]!) <= bound)) throw new Error(`${label}: element ${e}: got ${g[e]}, float64 ${want[e]}, bound ${bound}`);
      }
    }
    // a long prompt in chunks of queries: the scores of 3 queries (all heads) at a time, on both
    // paths; the same values as in one piece
    const whole = mx.fast.scaledDotProductAttention(q, k, v, 0.3, 'causal', null, mx.gpu).toTypedArray() as Float32Array;
    const had = attentionScratch.bytes;
    attentionScratch.bytes = 3 * 4 * B * Nq * Tk;
    try {
      const tiles = fastStats.tiles;
      const chunked = mx.fast.scaledDotProductAttention(q, k, v, 0.3, 'causal', null, mx.gpu).toTypedArray() as Float32Array;
      expect(fastStats.tiles - tiles, 'seven chunks, two products each').toBe(14);
      expect(Array.from(chunked)).toEqual(Array.from(whole));
      // the exact path: 2 queries (2 heads of 12 scores) a chunk, 5 chunks
      gpuBackend!.exactMatmul = true;
      attentionScratch.bytes = 2 * 4 * 2 * 12;
      const chunks = attentionStats.chunks;
      const sinkAtt = (a: mx.MxArray, b: mx.MxArray, c2: mx.MxArray, m2: mx.MxArray, s2: mx.MxArray) => mx.fast.scaledDotProductAttention(a, b, c2, 0.3, m2, s2);
      checkGpu(sinkAtt, [rand([1, 2, 10, 8], 80), rand([1, 1, 12, 8], 81), randSpec([1, 1, 12, 6], 82, mx.float32, [], (r) => Math.fround(r() * 2 + 0.1)), rand([1, 2, 10, 12], 83), rand([2], 84)], 'exact path in chunks, additive mask and sinks', 4);
      // five chunks per run of the op (compareBackends may run it more than once)
      const ran = attentionStats.chunks - chunks;
      expect(ran > 0 && ran % 5 === 0, `${ran} chunks`).toBe(true);
    } finally {
      attentionScratch.bytes = had;
      gpuBackend!.exactMatmul = false;
    }
    // no keys past 8 queries: zeros, or with sinks the sinks' weight alone (zeros too)
    checkGpu((a, b, c2, s2) => mx.fast.scaledDotProductAttention(a, b, c2, 0.5, null, s2), [rand([1, 2, 12, 4], 85), rand([1, 2, 0, 4], 86), rand([1, 2, 0, 4], 87), rand([2], 88)], 'no keys, 12 queries, sinks');
    checkGpu((a, b, c2) => mx.fast.scaledDotProductAttention(a, b, c2, 0.5), [rand([1, 2, 12, 4], 89), rand([1, 2, 0, 4], 90), rand([1, 2, 0, 4], 91)], 'no keys, 12 queries');
    // decoding (8 queries or fewer) stays on the float-float kernels, within 4 ulp of the reference
    const before = fastStats.tiles;
    checkGpu((a, b, c2) => mx.fast.scaledDotProductAttention(a, b, c2, 0.3), [rand([1, 2, 8, 16], 77), rand([1, 2, 30, 16], 78), randSpec([1, 2, 30, 8], 79, mx.float32, [], (r) => Math.fround(r() * 2 + 0.1))], '8 queries (positive v: no cancellation)', 4);
    expect(fastStats.tiles).toBe(before);
  });

  it('crossEntropy: rows longer than a workgroup, infinite and NaN rows, negative targets, halves', () => {
    const ce = (x: mx.MxArray, y: mx.MxArray) => mx.fast.crossEntropy(x, y);
    checkGpu(ce, [rand([3, 5], 60), spec(mx.int32, [3], [0, 4, -1])], 'small', 4);
    checkGpu(ce, [rand([2, 100], 61), spec(mx.int32, [2], [17, 99])], '100 classes', 4);
    checkGpu(ce, [spec(mx.float32, [3, 3], [1, Infinity, 2, -Infinity, -Infinity, -Infinity, NaN, 1, 2]), spec(mx.int32, [3], [0, 1, 2])], 'non-finite rows', 4);
    checkGpu(ce, [rand([2, 2, 6], 62, mx.bfloat16), spec(mx.int32, [2, 2], [5, 0, 3, 2])], 'bfloat16', 1);
  });

  it('crossEntropy: a target out of range raises on the next read', () => {
    const loss = mx.fast.crossEntropy(mx.ones([2, 3], mx.float32, mx.gpu), mx.array([1, 3], mx.int32), mx.gpu);
    expect(() => loss.tolist()).toThrow('[cross_entropy] target 3 is out of bounds for 3 classes.');
  });

  it('gatedDeltaUpdate: per-head and per-key gates, grouped heads, initial state, mask, halves', () => {
    const gdu = (...xs: mx.MxArray[]) => mx.fast.gatedDeltaUpdate(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5] ?? null, xs[6] ?? null);
    const gates = (shape: number[], seed: number, dtype: mx.Dtype = mx.float32) => {
      const r = rng(seed);
      return spec(dtype, shape, halfUnits(dtype, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(0.5 + r() * 0.5))));
    };
    const [B, T, Hk, Hv, Dk, Dv] = [2, 3, 1, 2, 4, 3];
    checkGpu(gdu, [rand([B, T, Hk, Dk], 70), rand([B, T, Hk, Dk], 71), rand([B, T, Hv, Dv], 72), gates([B, T, Hv], 73), gates([B, T, Hv], 74)], 'zero state, per-head gates');
    checkGpu(gdu, [rand([B, T, Hk, Dk], 75), rand([B, T, Hk, Dk], 76), rand([B, T, Hv, Dv], 77), gates([B, T, Hv, Dk], 78), gates([B, T, Hv], 79), rand([B, Hv, Dv, Dk], 80), spec(mx.bool, [B, T], [1, 0, 1, 1, 1, 0])], 'per-key gates, state, mask');
    checkGpu(gdu, [rand([1, 2, 2, 4], 81, mx.bfloat16), rand([1, 2, 2, 4], 82, mx.bfloat16), rand([1, 2, 2, 2], 83, mx.bfloat16), gates([1, 2, 2], 84, mx.bfloat16), gates([1, 2, 2], 85, mx.bfloat16)], 'bfloat16');
  });

  it('hadamardTransform: powers of two, m = 12, 20, 28, custom scale, strided rows, halves, bit-exact', () => {
    checkGpu((x) => mx.hadamardTransform(x), [rand([3, 8], 110)], '8');
    checkGpu((x) => mx.hadamardTransform(x), [rand([2, 256], 111)], '256 (rows longer than a workgroup)');
    checkGpu((x) => mx.hadamardTransform(x, 0.5), [rand([2, 12], 112)], '12, scale 0.5');
    checkGpu((x) => mx.hadamardTransform(x), [rand([1, 40], 113)], '20 * 2');
    checkGpu((x) => mx.hadamardTransform(x), [rand([2, 112], 114)], '28 * 4');
    checkGpu((x) => mx.hadamardTransform(x), [rand([16, 3], 115, mx.float32, [{ kind: 'transpose', axes: [1, 0] }])], 'transposed rows');
    checkGpu((x) => mx.hadamardTransform(x), [rand([2, 24], 116, mx.float16)], 'float16, 12 * 2');
    checkGpu((x) => mx.hadamardTransform(x), [rand([2, 64], 117, mx.bfloat16)], 'bfloat16');
    const g = mx.compile((x: mx.MxArray) => mx.grad((a: mx.MxArray) => mx.sum(mx.square(mx.hadamardTransform(a))))(x) as mx.MxArray);
    checkGpu(g, [rand([2, 20], 118)], 'compiled grad (Hadamard of the cotangent)', 1);
  });

  it('grads (compositions and the inverse RoPE) and compile', () => {
    const loss = (x: mx.MxArray, w: mx.MxArray, b: mx.MxArray) =>
      mx.sum(mx.multiply(mx.fast.rope(mx.fast.layerNorm(mx.fast.rmsNorm(x, w, 1e-5), w, b, 1e-5), 8, false, 10000, 1, 2), x));
    const g = (x: mx.MxArray, w: mx.MxArray, b: mx.MxArray) => mx.grad(loss, [0, 1, 2])(x, w, b) as mx.MxArray[];
    const inputs = [rand([1, 2, 3, 8], 30), rand([8], 31), rand([8], 32)];
    checkGpu(g, inputs, 'grad', 16);
    checkGpu(mx.compile(g), inputs, 'compiled grad', 16);
    const att = (q: mx.MxArray, k: mx.MxArray, v: mx.MxArray) => mx.sum(mx.fast.scaledDotProductAttention(q, k, v, 0.5, 'causal'));
    const ga = mx.compile((q: mx.MxArray, k: mx.MxArray, v: mx.MxArray) => mx.grad(att, [0, 1, 2])(q, k, v) as mx.MxArray[]);
    checkGpu(ga, [rand([1, 2, 3, 4], 33), rand([1, 2, 3, 4], 34), rand([1, 2, 3, 4], 35)], 'sdpa grad (through the fallback)', 16);
    const ce = (x: mx.MxArray) => mx.sum(mx.fast.crossEntropy(x, mx.array([2, 0, 4], mx.int32)));
    checkGpu(mx.compile((x: mx.MxArray) => mx.grad(ce)(x) as mx.MxArray), [rand([3, 5], 36)], 'crossEntropy grad', 16);
    const gd = (q: mx.MxArray, k: mx.MxArray, v: mx.MxArray) => {
      const [o, st] = mx.fast.gatedDeltaUpdate(q, k, v, mx.full([1, 2, 1], 0.9), mx.full([1, 2, 1], 0.5));
      return mx.add(mx.sum(o!), mx.sum(st!));
    };
    checkGpu((q, k, v) => mx.grad(gd, [0, 1, 2])(q, k, v) as mx.MxArray[], [rand([1, 2, 1, 3], 37), rand([1, 2, 1, 3], 38), rand([1, 2, 1, 2], 39)], 'gatedDeltaUpdate grad (through the fallback)', 16);
  });

  it('vmap (the norms and RoPE batch into their own kernels) and jvp', () => {
    const vr = mx.vmap((x: mx.MxArray, w: mx.MxArray) => mx.fast.rmsNorm(x, w, 1e-5), [1, null]);
    checkGpu((x, w) => vr(x, w) as mx.MxArray, [rand([4, 3, 8], 90), rand([8], 91)], 'vmap rmsNorm over axis 1');
    const vl = mx.vmap((x: mx.MxArray) => mx.fast.layerNorm(x, null, null, 1e-5), [2]);
    checkGpu((x) => vl(x) as mx.MxArray, [rand([2, 8, 3], 92)], 'vmap layerNorm over the last axis');
    const vp = mx.vmap((x: mx.MxArray) => mx.fast.rope(x, 4, true, 10000, 1, 1), [0]);
    checkGpu((x) => vp(x) as mx.MxArray, [rand([2, 1, 3, 4], 93)], 'vmap rope');
    const jv = (x: mx.MxArray, t: mx.MxArray) => mx.jvp((a: mx.MxArray) => [mx.fast.rope(a, 8, false, 10000, 1, 0)], [x], [t])[1] as mx.MxArray[];
    checkGpu(jv, [rand([1, 2, 8], 94), rand([1, 2, 8], 95)], 'jvp rope (RoPE of the tangent)');
  });
});
