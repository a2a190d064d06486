// The float32-accumulating matmul tiles (src/matmul-fast.ts, more than 8 rows, the default)
// against the exact dot products computed here in float64: within the float32 matmul bound
// (K + 2) 2^-24 sum|a b|, plus a half's rounding for half outputs. Tile edges, k stages with a
// remainder, every operand layout (each loads along its contiguous axis), batches with
// broadcasting, AddMM's epilogue, halves, NaN and infinity, and the exact path on request;
// then fast-check properties over random matmul and convolution shapes and layouts.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { fastStats } from '../src/matmul.js';
import { checkGpu, gpuBackend, noGpu, randSpec, rng } from './gpu-helpers.js';

/** Seeded float32 values in [-2, 2) as a [rows, cols] array (on the CPU until a GPU op reads it). */
function rand(shape: number[], seed: number, dtype: mx.Dtype = mx.float32): mx.MxArray {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return mx.array(Array.from({ length: n }, () => Math.fround((r() - 0.5) * 4)), mx.float32).reshape(shape).astype(dtype, mx.cpu);
}

/** Row-major float64 copies of a (... x M x K) and b (... x K x N), broadcast to the output's batch. */
function exactProducts(a: mx.MxArray, b: mx.MxArray): { ab: Float64Array; abs: Float64Array; shape: number[]; K: number } {
  const A = a.astype(mx.float32, mx.cpu);
  const B = b.astype(mx.float32, mx.cpu);
  const batch = mx.broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const [M, K] = A.shape.slice(-2) as [number, number];
  const N = B.shape[B.shape.length - 1]!;
  const av = mx.broadcastTo(A, [...batch, M, K], mx.cpu).toTypedArray() as Float32Array;
  const bv = mx.broadcastTo(B, [...batch, K, N], mx.cpu).toTypedArray() as Float32Array;
  const nb = batch.reduce((x, y) => x * y, 1);
  const ab = new Float64Array(nb * M * N);
  const abs = new Float64Array(nb * M * N);
  for (let q = 0; q < nb; q++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let t = 0;
        for (let k = 0; k < K; k++) {
          const p = av[q * M * K + i * K + k]! * bv[q * K * N + k * N + j]!;
          s += p;
          t += Math.abs(p);
        }
        ab[q * M * N + i * N + j] = s;
        abs[q * M * N + i * N + j] = t;
      }
    }
  }
  return { ab, abs, shape: [...batch, M, N], K };
}

/** half outputs: one more rounding, at most half an ulp of the result (2^-11 relative for float16, 2^-8 for bfloat16) */
const halfEps = (d: mx.Dtype) => (d === mx.float16 ? 2 ** -11 : d === mx.bfloat16 ? 2 ** -8 : 0);

/** Checks got (any float dtype) against alpha * ab + beta * c within the bound; returns the largest error / bound. */
function checkBound(got: mx.MxArray, ex: ReturnType<typeof exactProducts>, label: string, alpha = 1, cTerm?: Float64Array): number {
  expect(got.shape, label).toEqual(ex.shape);
  const g = got.astype(mx.float32, mx.cpu).toTypedArray() as Float32Array;
  let worst = 0;
  for (let i = 0; i < g.length; i++) {
    const want = alpha * ex.ab[i]! + (cTerm ? cTerm[i]! : 0);
    // the dot's bound, scaled by alpha, then the epilogue's multiply-add and the output's rounding
    const bound = Math.abs(alpha) * (ex.K + 2) * 2 ** -24 * ex.abs[i]! * (1 + 2 ** -20) + 3 * 2 ** -24 * (Math.abs(alpha * ex.ab[i]!) + Math.abs(cTerm?.[i] ?? 0)) + halfEps(got.dtype) * Math.abs(want) * 1.01 + 2 ** -140;
    const err = Math.abs(g[i]! - want);
    if (!(err <= bound)) throw new Error(`${label}: element ${i}: got ${g[i]}, exact ${want}, |diff| ${err} > bound ${bound}`);
    worst = Math.max(worst, err / bound);
  }
  return worst;
}

const onGpu = <T>(f: () => T): T => {
  mx.setDefaultDevice(mx.gpu);
  try {
    return f();
  } finally {
    mx.setDefaultDevice(mx.cpu);
  }
};

describe.skipIf(noGpu)('webgpu matmul, float32 accumulation (the default past 8 rows)', () => {
  afterEach(() => {
    gpuBackend!.exactMatmul = false;
  });

  it('tile edges, k stages with a remainder, within the float32 bound, on the fast tiles', () => {
    for (const [m, k, n] of [
      [9, 1, 1],
      [9, 5, 7],
      [16, 16, 16],
      [64, 64, 64],
      [65, 17, 130],
      [100, 300, 70],
      [130, 33, 65],
    ] as const) {
      const a = rand([m, k], m * 31 + k);
      const b = rand([k, n], n * 17 + k);
      const before = fastStats.tiles;
      const got = onGpu(() => mx.matmul(a, b));
      mx.eval(got);
      expect(fastStats.tiles, `${m}x${k}x${n} ran on the fast tiles`).toBe(before + 1);
      checkBound(got, exactProducts(a, b), `${m}x${k} @ ${k}x${n}`);
    }
  });

  it('every operand layout: A and B as stored, transposed (W.T, a Linear layer) and sliced, read in place', () => {
    const A = rand([40, 24], 1);
    const At = rand([24, 40], 2).T; // m contiguous
    const B = rand([24, 36], 3);
    const Wt = rand([36, 24], 4).T; // k contiguous: x @ W.T
    const As = rand([40, 50], 5).index(mx.Slice(), mx.Slice(1, 49, 2)); // a strided k
    for (const [la, a] of [['A', A], ['A.T', At], ['A sliced', As]] as const) {
      for (const [lb, b] of [['B', B], ['W.T', Wt]] as const) {
        checkBound(onGpu(() => mx.matmul(a, b)), exactProducts(a, b), `${la} @ ${lb}`);
      }
    }
  });

  it('batched, with broadcast batch dims', () => {
    const a = rand([2, 3, 20, 17], 6);
    const b = rand([2, 3, 17, 19], 7);
    checkBound(onGpu(() => mx.matmul(a, b)), exactProducts(a, b), 'batch 2x3');
    const a2 = rand([4, 33, 10], 8);
    const w = rand([10, 12], 9);
    checkBound(onGpu(() => mx.matmul(a2, w)), exactProducts(a2, w), 'b broadcast over the batch');
    const one = rand([1, 12, 10], 10);
    const bs = rand([3, 10, 5], 11);
    checkBound(onGpu(() => mx.matmul(mx.broadcastTo(one, [3, 12, 10]), bs)), exactProducts(mx.broadcastTo(one, [3, 12, 10]), bs), 'a broadcast');
  });

  it('AddMM: alpha (a @ b) + beta c, c broadcast, in float32 as the GEMM epilogue', () => {
    const a = rand([2, 12, 30], 12);
    const b = rand([2, 30, 9], 13);
    const c = rand([9], 14);
    const ex = exactProducts(a, b);
    const cv = c.toTypedArray() as Float32Array;
    for (const [alpha, beta] of [[1, 1], [0.5, -2], [-1.25, 0]] as const) {
      const got = onGpu(() => mx.addmm(c, a, b, alpha, beta));
      const cTerm = Float64Array.from({ length: ex.ab.length }, (_, i) => beta * cv[i % 9]!);
      checkBound(got, ex, `addmm ${alpha}, ${beta}`, alpha, cTerm);
    }
  });

  it('float16 and bfloat16 operands and outputs: float32 accumulation, one rounding to the half', () => {
    for (const h of [mx.float16, mx.bfloat16]) {
      const a = rand([20, 45], 15, h);
      const b = rand([45, 11], 16, h);
      const got = onGpu(() => mx.matmul(a, b));
      expect(got.dtype).toBe(h);
      checkBound(got, exactProducts(a, b), `matmul ${h.name}`);
    }
  });

  it('NaN and infinity propagate as in float32 sums', () => {
    const a = mx.array(Array.from({ length: 12 * 3 }, (_, i) => (i === 4 ? NaN : i === 9 ? Infinity : 1)), mx.float32).reshape([12, 3]);
    const b = mx.array([1, 0, 3, 4, 5, 6], mx.float32).reshape([3, 2]);
    const got = onGpu(() => mx.matmul(a, b)).tolist() as number[][];
    // row 1 holds the NaN; row 3 an infinity, times 1 and times 0 (NaN)
    expect(got[1]).toEqual([NaN, NaN]);
    expect(got[3]).toEqual([Infinity, NaN]);
    expect(got[0]).toEqual([9, 10]);
  });

  it('quantizedMatmul past 8 rows: the same tiles over weights dequantized in place, both layouts, fp modes, halves', () => {
    const cases: [string, mx.Dtype, boolean, number, number, 'affine' | 'mxfp4' | 'mxfp8'][] = [
      ['affine 4-bit, W.T', mx.float32, true, 32, 4, 'affine'],
      ['affine 8-bit, W as stored', mx.float32, false, 64, 8, 'affine'],
      ['affine 3-bit, W.T, bfloat16 x', mx.bfloat16, true, 32, 3, 'affine'],
      ['mxfp4, W.T', mx.float32, true, 32, 4, 'mxfp4'],
      ['mxfp8, W as stored, float16 x', mx.float16, false, 32, 8, 'mxfp8'],
    ];
    for (const [label, dt, transpose, gs, bits, mode] of cases) {
      const K = 96, N = transpose ? 70 : 128, M = 19;
      const w = rand(transpose ? [N, K] : [K, N], gs * bits + (transpose ? 1 : 2));
      const [wq, sc, bi] = mx.quantize(w, gs, bits, mode, undefined, mx.cpu);
      const x = rand([2, M, K], bits + gs, dt);
      const before = fastStats.tiles;
      const got = onGpu(() => mx.quantizedMatmul(x, wq!, sc!, bi ?? null, transpose, gs, bits, mode));
      mx.eval(got);
      expect(fastStats.tiles, `${label} ran on the fast tiles`).toBe(before + 1);
      // the reference's dequantized weights, then exact dot products
      const deq = mx.dequantize(wq!, sc!, bi ?? null, gs, bits, mode, undefined, undefined, mx.cpu).astype(mx.float32, mx.cpu);
      checkBound(got, exactProducts(x, transpose ? mx.transpose(deq, [1, 0], mx.cpu) : deq), label);
    }
  });

  it('gatherMM and gatherQMM past 8 rows: each tile picks its matrices by the indices; a bad index is raised', () => {
    // a: 3 matrices of 12 x 20, b: 4 of 20 x 9; five (lhs, rhs) pairs
    const a = rand([3, 12, 20], 81);
    const b = rand([4, 20, 9], 82);
    const lhs = [2, 0, 1, 1, 2], rhs = [3, 3, 0, 2, 1];
    const before = fastStats.tiles;
    const got = onGpu(() => mx.gatherMM(a, b, mx.array(lhs, mx.uint32), mx.array(rhs, mx.uint32)));
    mx.eval(got);
    expect(fastStats.tiles).toBe(before + 1);
    const pickA = mx.stack(lhs.map((i) => a.index(i)), 0, mx.cpu);
    const pickB = mx.stack(rhs.map((i) => b.index(i)), 0, mx.cpu);
    checkBound(got, exactProducts(pickA, pickB), 'gatherMM');
    // W.T with 4-bit experts: x (5, 1, 16, 64) against 3 experts of 24 x 64
    const w = rand([3, 24, 64], 83);
    const [wq, sc, bi] = mx.quantize(w, 32, 4, 'affine', undefined, mx.cpu);
    const x = rand([5, 1, 16, 64], 84);
    const experts = [2, 0, 2, 1, 0];
    const q = onGpu(() => mx.gatherQMM(x, wq!, sc!, bi!, null, mx.array(experts, mx.uint32).reshape([5, 1]), true, 32, 4));
    mx.eval(q);
    expect(fastStats.tiles).toBe(before + 2);
    const deq = mx.dequantize(wq!, sc!, bi!, 32, 4, 'affine', undefined, undefined, mx.cpu);
    const pickW = mx.stack(experts.map((e) => mx.transpose(deq.index(e), [1, 0], mx.cpu)), 0, mx.cpu).reshape([5, 1, 64, 24]);
    checkBound(q, exactProducts(x, pickW), 'gatherQMM');
    // an index past the matrices: the reference's error at the next read
    expect(() => onGpu(() => mx.gatherMM(a, b, mx.array([0, 3], mx.uint32), mx.array([0, 0], mx.uint32))).tolist()).toThrow(/\[gather_mm\] lhs index 3 is out of bounds for 3 matrices/);
  });

  it('exactMatmul: the float-float tiles, equal to the reference backend', () => {
    gpuBackend!.exactMatmul = true;
    const before = fastStats.tiles;
    checkGpu((x, y) => mx.matmul(x, y), [randSpec([17, 33], 17), randSpec([33, 18], 18)], 'exact 17x33x18');
    checkGpu((c, x, y) => mx.addmm(c, x, y, 0.1, -2.5), [randSpec([18], 19), randSpec([17, 33], 20), randSpec([33, 18], 21)], 'exact addmm');
    expect(fastStats.tiles).toBe(before);
  });

  it('a gradient through the fast tiles: the same values as on the CPU, within the bound', () => {
    const x = rand([16, 24], 22);
    const w = rand([10, 24], 23);
    const loss = (ww: mx.MxArray) => mx.sum(mx.square(mx.matmul(x, mx.transpose(ww))));
    const cpu = mx.grad(loss)(w);
    const gpu = onGpu(() => mx.grad(loss)(w));
    const c = cpu.toTypedArray() as Float32Array;
    const g = gpu.astype(mx.float32, mx.cpu).toTypedArray() as Float32Array;
    const scale = c.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < c.length; i++) expect(Math.abs(g[i]! - c[i]!), `dL/dw[${i}]`).toBeLessThanOrEqual(scale * 64 * 2 ** -20);
  });

  // the float32 tiles against float64 on random shapes and layouts (MLX_TS_FC_SCALE scales the runs)
  const scale = Number(process.env.MLX_TS_FC_SCALE ?? '1');
  const runs = (n: number) => Math.max(1, Math.round(n * scale));
  it('property: matmul of random sizes, batches and layouts, within the float32 bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 9, max: 80 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom([], [1], [2], [3, 1]),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (M, N, K, batch, aT, bT, seed) => {
          const a = aT ? mx.swapaxes(rand([...batch, K, M], seed), -1, -2) : rand([...batch, M, K], seed);
          // b's batch broadcast against a's where a has one
          const bb = batch.length ? batch.map((d, i) => (i === 0 ? d : 1)) : [];
          const b = bT ? mx.swapaxes(rand([...bb, N, K], seed + 1), -1, -2) : rand([...bb, K, N], seed + 1);
          checkBound(onGpu(() => mx.matmul(a, b)), exactProducts(a, b), `${batch} ${M}x${K}x${N} aT ${aT} bT ${bT}`);
        },
      ),
      { numRuns: runs(20), seed: 20261207 },
    );
  });

  it('property: convolutions of random sizes, strides, padding, dilation and groups, within the float32 bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 1e6 }),
        (nd, cg, og, groups, stride, pad, dil, seed) => {
          const S = Array.from({ length: nd }, (_, d) => 4 + ((seed >> (3 * d)) % 9));
          const Ks = Array.from({ length: nd }, (_, d) => 1 + ((seed >> (5 + 2 * d)) % 3));
          const x = rand([1 + (seed % 2), ...S, cg * groups], seed);
          const w = rand([og * groups, ...Ks, cg], seed + 7);
          const f = (xx: mx.MxArray, ww: mx.MxArray, s: mx.DeviceOrType) => mx.convGeneral(xx, ww, stride, pad, dil, 1, groups, false, s);
          const got = f(x, w, mx.gpu);
          const x64 = x.astype(mx.float64, mx.cpu);
          const w64 = w.astype(mx.float64, mx.cpu);
          const exact = f(x64, w64, mx.cpu).toTypedArray() as Float64Array;
          const sAbs = f(mx.abs(x64, mx.cpu), mx.abs(w64, mx.cpu), mx.cpu).toTypedArray() as Float64Array;
          const g = got.toTypedArray() as Float32Array;
          const K = Ks.reduce((p, q) => p * q, 1) * cg;
          expect(g.length).toBe(exact.length);
          for (let i = 0; i < g.length; i++) {
            const bound = (K + 2) * 2 ** -24 * sAbs[i]! * (1 + 2 ** -20) + 2 ** -140;
            if (!(Math.abs(g[i]! - exact[i]!) <= bound)) throw new Error(`conv nd ${nd} S ${S} K ${Ks}: element ${i}: ${g[i]} vs ${exact[i]}`);
          }
        },
      ),
      { numRuns: runs(15), seed: 20261208 },
    );
  });
});
