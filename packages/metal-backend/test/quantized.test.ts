// Quantized ops on the GPU against the reference: Dequantize bit-exact (affine at every bit width
// the reference takes and group sizes 32/64/128; mxfp4, mxfp8, nvfp4 with and without a global
// scale), QuantizedMatmul (transpose true/false, batched weights, halves) and GatherQMM within
// the matmul bound (float-float dots: exact here, 1 ulp at near-ties). The packed words are made
// by mx.quantize on the CPU and read in place by the kernels; a grad under compile.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { gpuBackend, noGpu, rng, spec, checkGpu, halfUnits, randSpec } from './gpu-helpers.js';
import { qmvStats } from '../src/quantized.js';
import { fastStats } from '../src/matmul.js';

function randArr(shape: number[], seed: number, dtype: mx.Dtype = mx.float32): mx.MxArray {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return mx.array(Array.from({ length: n }, () => (r() - 0.5) * 4), mx.float32).reshape(shape).astype(dtype, mx.cpu);
}
const rand = randSpec;
/** w quantized on the CPU: [packed, scales, biases?] as evaluated arrays. */
function q(w: mx.MxArray, gs: number, bits: number, mode: 'affine' | 'mxfp4' | 'mxfp8' | 'nvfp4' = 'affine', g: mx.MxArray | null = null): mx.MxArray[] {
  const out = mx.quantize(w, gs, bits, mode, g, mx.cpu);
  mx.eval(...out);
  return out;
}

describe.skipIf(noGpu)('webgpu quantized', () => {
  it('dequantize (affine): every bit width, group sizes 32, 64, 128, halves, bit-exact', () => {
    for (const bits of [2, 3, 4, 5, 6, 8]) {
      for (const gs of [32, 64, 128]) {
        const [wq, s, b] = q(randArr([2, 128], bits * 10 + gs), gs, bits);
        checkGpu((a, c, d) => mx.dequantize(a, c, d, gs, bits), [wq!, s!, b!], `bits ${bits} gs ${gs}`);
      }
    }
    for (const dt of [mx.float16, mx.bfloat16]) {
      const [wq, s, b] = q(randArr([3, 64], 7, dt), 32, 4);
      checkGpu((a, c, d) => mx.dequantize(a, c, d, 32, 4), [wq!, s!, b!], `affine ${dt.name}`);
    }
  });

  it('dequantize: mxfp4, mxfp8, nvfp4 (with a global scale), bit-exact', () => {
    const w = randArr([2, 64], 11);
    for (const [mode, gs, bits] of [['mxfp4', 32, 4], ['mxfp8', 32, 8], ['nvfp4', 16, 4]] as const) {
      const [wq, s] = q(w, gs, bits, mode);
      checkGpu((a, c) => mx.dequantize(a, c, null, gs, bits, mode), [wq!, s!], mode);
      checkGpu((a, c) => mx.dequantize(a, c, null, gs, bits, mode, null, mx.float16), [wq!, s!], `${mode} to float16`);
    }
    const g = mx.array(3.5, mx.float32);
    const [wq, s] = q(w, 16, 4, 'nvfp4', g);
    checkGpu((a, c, gg) => mx.dequantize(a, c, null, 16, 4, 'nvfp4', gg), [wq!, s!, g], 'nvfp4 with a global scale');
  });

  it('quantizedMatmul: transpose true and false, bit widths, vectors, batched weights', () => {
    for (const bits of [2, 3, 4, 6, 8]) {
      const [wq, s, b] = q(randArr([5, 64], bits), 32, bits);
      checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, bits), [rand([3, 64], bits + 1), wq!, s!, b!], `transpose, bits ${bits}`);
    }
    const [wq, s, b] = q(randArr([64, 64], 20), 64, 4);
    checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, false, 64, 4), [rand([2, 3, 64], 21), wq!, s!, b!], 'no transpose');
    checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 64, 4), [rand([64], 22), wq!, s!, b!], 'vector x');
    const [bq, bs, bb] = q(randArr([2, 4, 32], 23), 32, 5);
    checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 5), [rand([2, 3, 32], 24), bq!, bs!, bb!], 'batched weights');
    const [hq, hs, hb] = q(randArr([4, 32], 25, mx.float16), 32, 8);
    checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 8), [rand([2, 32], 26, mx.float16), hq!, hs!, hb!], 'float16');
    const [fq, fs] = q(randArr([4, 32], 27), 32, 4, 'mxfp4');
    checkGpu((x, a, c) => mx.quantizedMatmul(x, a, c, null, true, 32, 4, 'mxfp4'), [rand([2, 32], 28), fq!, fs!], 'mxfp4');
  });

  it('x @ W.T with up to 8 rows takes the split-k kernel (subgroup shuffles where the adapter has them, and without)', () => {
    const be = gpuBackend!;
    const had = be.subgroups;
    try {
      for (const sg of had ? [true, false] : [false]) {
        be.subgroups = sg;
        const before = qmvStats.splitK;
        // K of 96 and 160: lanes past K's end in the last pass; 1, 3 and 8 rows; batches
        const [wq, s, b] = q(randArr([7, 96], 40), 32, 4);
        for (const m of [1, 3, 8]) checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 4), [rand([m, 96], 41 + m), wq!, s!, b!], `affine 4-bit, ${m} rows, subgroups ${sg}`);
        checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 4), [rand([2, 3, 96], 45), wq!, s!, b!], `batched x, subgroups ${sg}`);
        const [w8, s8, b8] = q(randArr([5, 160], 46, mx.bfloat16), 32, 8);
        checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 8), [rand([2, 160], 47, mx.bfloat16), w8!, s8!, b8!], `8-bit bfloat16, subgroups ${sg}`);
        const [fq, fs] = q(randArr([6, 64], 48), 32, 4, 'mxfp4');
        checkGpu((x, a, c) => mx.quantizedMatmul(x, a, c, null, true, 32, 4, 'mxfp4'), [rand([4, 64], 49), fq!, fs!], `mxfp4, subgroups ${sg}`);
        const [gq, gs, gb] = q(randArr([3, 4, 96], 50), 32, 4);
        checkGpu((x, a, c, d, li, ri) => mx.gatherQMM(x, a, c, d, li, ri, true, 32, 4), [rand([2, 1, 96], 51), gq!, gs!, gb!, mx.array([1, 0, 1], mx.uint32), mx.array([2, 0, 1], mx.uint32)], `gatherQMM, subgroups ${sg}`);
        expect(qmvStats.splitK - before, `subgroups ${sg}`).toBeGreaterThanOrEqual(7);
      }
      // nine rows: the kernel of one invocation per output with exactMatmul (float-float dots,
      // equal to the reference); by default the float32 tiles (matmul-fast.test.ts checks their bound)
      const before = qmvStats.splitK;
      const tiles = fastStats.tiles;
      const [wq, s, b] = q(randArr([5, 64], 52), 32, 4);
      be.exactMatmul = true;
      try {
        checkGpu((x, a, c, d) => mx.quantizedMatmul(x, a, c, d, true, 32, 4), [rand([9, 64], 53), wq!, s!, b!], '9 rows');
      } finally {
        be.exactMatmul = false;
      }
      expect(fastStats.tiles).toBe(tiles);
      mx.eval(mx.quantizedMatmul(mx.ones([9, 64]), wq!, s!, b!, true, 32, 4, mx.gpu));
      expect(fastStats.tiles).toBe(tiles + 1);
      expect(qmvStats.splitK).toBe(before);
    } finally {
      be.subgroups = had;
    }
  });

  it('gatherQMM: gathered weights, an index error on the next read', () => {
    const [wq, s, b] = q(randArr([3, 4, 32], 30), 32, 4);
    const l = mx.array([1, 0, 1], mx.uint32);
    const r = mx.array([2, 0, 2], mx.uint32);
    checkGpu((x, a, c, d, li, ri) => mx.gatherQMM(x, a, c, d, li, ri, true, 32, 4), [rand([2, 1, 32], 31), wq!, s!, b!, l, r], 'lhs and rhs');
    const bad = mx.gatherQMM(mx.ones([1, 32], mx.float32, mx.gpu), wq!, s!, b!, null, mx.array([3], mx.uint32), true, 32, 4, 'affine', null, false, mx.gpu);
    expect(() => bad.tolist()).toThrow('[gather_qmm] rhs index 3 is out of bounds for 3 matrices.');
  });

  it('quantize (affine) on the GPU: every bit width, group sizes, halves, strided input, bit-exact', () => {
    for (const bits of [1, 2, 3, 4, 5, 6, 8]) {
      checkGpu((w) => mx.quantize(w, 32, bits), [rand([3, 64], 50 + bits)], `bits ${bits}`);
    }
    checkGpu((w) => mx.quantize(w, 128, 4), [rand([2, 128], 60)], 'group size 128');
    checkGpu((w) => mx.quantize(w, 64, 8), [rand([64, 2], 61, mx.float32, [{ kind: 'transpose', axes: [1, 0] }])], 'transposed w');
    checkGpu((w) => mx.quantize(w, 32, 4), [rand([3, 32], 62, mx.float16)], 'float16');
    checkGpu((w) => mx.quantize(w, 32, 3), [rand([2, 64], 63, mx.bfloat16)], 'bfloat16');
    // constant groups (a zero range) and groups whose edge quantizes to 0
    checkGpu((w) => mx.quantize(w, 32, 4), [spec(mx.float32, [2, 32], [...Array(32).fill(0.75), ...Array.from({ length: 32 }, (_, i) => (i % 2 ? 1e-9 : -1e-9))])], 'degenerate groups');
    // quantize then dequantize, both on the GPU
    checkGpu((w) => { const [a, b, c] = mx.quantize(w, 64, 4); return mx.dequantize(a!, b!, c!, 64, 4); }, [rand([2, 128], 64)], 'round trip');
  });

  it('quantize (mxfp4, mxfp8, nvfp4 with and without a global scale) on the GPU, bit-exact', () => {
    const big = (shape: number[], seed: number, dtype: mx.Dtype = mx.float32) => {
      // groups of very different magnitudes, so the scales cover many exponents
      const r = rng(seed);
      const n = shape.reduce((a, b) => a * b, 1);
      return spec(dtype, shape, halfUnits(dtype, Array.from({ length: n }, (_, i) => Math.fround((r() - 0.5) * 2 ** ((Math.floor(i / 16) % 9) * 3 - 12)))));
    };
    for (const [mode, gs, bits] of [['mxfp4', 32, 4], ['mxfp8', 32, 8], ['nvfp4', 16, 4]] as const) {
      checkGpu((w) => mx.quantize(w, gs, bits, mode), [big([3, 96], 80)], mode);
      checkGpu((w) => mx.quantize(w, gs, bits, mode), [big([2, 64], 81, mx.bfloat16)], `${mode} bfloat16`);
      checkGpu((w) => mx.quantize(w, gs, bits, mode), [big([2, 32], 82, mx.float16)], `${mode} float16`);
    }
    checkGpu((w, g) => mx.quantize(w, 16, 4, 'nvfp4', g), [big([2, 64], 83), spec(mx.float32, [], [3.5])], 'nvfp4 with a global scale');
    checkGpu((w) => mx.quantize(w, 32, 4, 'mxfp4'), [spec(mx.float32, [2, 32], [...Array(32).fill(0), NaN, ...Array(31).fill(1)])], 'zero and NaN groups');
  });

  it('qqmm and gatherQQMM: x quantized on the fly, w as floats or quantized, global scales', () => {
    for (const [mode, gs, bits] of [['nvfp4', 16, 4], ['mxfp8', 32, 8], ['mxfp4', 32, 4]] as const) {
      checkGpu((x, w) => mx.qqmm(x, w, null, gs, bits, mode), [rand([3, 64], 90), rand([5, 64], 91)], `${mode}, float w`);
      const [wq, ws] = q(randArr([5, 64], 92), gs, bits, mode);
      checkGpu((x, a, c) => mx.qqmm(x, a, c, gs, bits, mode), [rand([2, 64], 93), wq!, ws!], `${mode}, quantized w`);
    }
    const gx = spec(mx.float32, [], [2.5]);
    const gw = spec(mx.float32, [], [7]);
    checkGpu((x, w, a, b) => mx.qqmm(x, w, null, 16, 4, 'nvfp4', a, b), [rand([2, 32], 94), rand([3, 32], 95), gx, gw], 'nvfp4 global scales, float w');
    const g = mx.array(7, mx.float32);
    const [wq, ws] = q(randArr([3, 32], 96), 16, 4, 'nvfp4', g);
    checkGpu((x, a, c, ga, gb) => mx.qqmm(x, a, c, 16, 4, 'nvfp4', ga, gb), [rand([2, 32], 97), wq!, ws!, gx, g], 'nvfp4 global scales, quantized w');
    checkGpu((x, w) => mx.qqmm(x, w, null, 32, 8, 'mxfp8'), [rand([2, 64], 98, mx.bfloat16), rand([3, 64], 99, mx.bfloat16)], 'bfloat16');
    const l = spec(mx.uint32, [3], [1, 0, 1]);
    const r = spec(mx.uint32, [3], [2, 2, 0]);
    checkGpu((x, w, li, ri) => mx.gatherQQMM(x, w, null, li, ri, 16, 4, 'nvfp4'), [rand([2, 2, 32], 100), rand([3, 4, 32], 101), l, r], 'gatherQQMM');
  });

  it('toFp8 and fromFp8: every code, saturation, NaN, halves, bit-exact', () => {
    const codes = spec(mx.uint8, [256], Array.from({ length: 256 }, (_, i) => i));
    for (const d of [mx.float32, mx.float16, mx.bfloat16]) checkGpu((c) => mx.fromFp8(c, d), [codes], `fromFp8 ${d.name}`);
    const r = rng(70);
    const vals = [0, -0, 1e-30, -1e-30, 448, 449, 464, 1e6, -1e6, Infinity, -Infinity, NaN, 2 ** -9, 2 ** -10, 0.001953125 * 1.5, ...Array.from({ length: 64 }, () => (r() - 0.5) * 2 ** Math.floor(r() * 24 - 12))];
    checkGpu((x) => mx.toFp8(x), [spec(mx.float32, [vals.length], vals.map(Math.fround))], 'toFp8 float32');
    checkGpu((x) => mx.toFp8(x), [rand([5, 7], 71, mx.float16)], 'toFp8 float16');
    checkGpu((x) => mx.fromFp8(mx.toFp8(x), mx.float32), [rand([4, 9], 72)], 'round trip');
  });

  it('grads of x, scales and biases under compile', () => {
    const [wq, s, b] = q(randArr([4, 32], 40), 32, 4);
    const loss = (x: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.sum(mx.square(mx.quantizedMatmul(x, wq!, sc, bi, true, 32, 4)));
    const g = mx.compile((x: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.grad(loss, [0, 1, 2])(x, sc, bi) as mx.MxArray[]);
    checkGpu(g, [rand([3, 32], 41), s!, b!], 'grad', 1);
  });
});
