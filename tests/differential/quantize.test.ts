// Quantization against the real MLX 0.32.4: quantize (every mode, group size and bit width,
// float32/float16/bfloat16) and dequantize bit for bit, the fp8 conversions bit for bit, the
// quantized and gathered matmuls within a float tolerance (MLX sums in float32 SIMD order,
// mlx-ts in double), and the errors MLX raises.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { report, scale, seed } from './gen.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

type F = 'float32' | 'float16' | 'bfloat16';
const floats: F[] = ['float32', 'float16', 'bfloat16'];
const n = (k: number) => Math.max(1, Math.round((k * scale) / 8));

function rng(s: number): () => number {
  let a = s | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Weights: mostly normal values of a random magnitude, with groups that stress the rounding:
 * constant groups (zeros too), one outlier, negative-dominant, tiny (the 1e-7 floor of the
 * scale), and values on the quantization grid (ties).
 */
function weights(shape: number[], d: F, s: number, groupSize = 32, magnitudes: [number, number] = [-3, 3]): mx.MxArray {
  const r = rng(s);
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  for (let g = 0; g < size; g += groupSize) {
    const kind = Math.floor(r() * 10);
    const mag = 10 ** (magnitudes[0] + r() * (magnitudes[1] - magnitudes[0]));
    for (let j = g; j < Math.min(size, g + groupSize); j++) {
      v[j] =
        kind === 0 ? 0
        : kind === 1 ? mag
        : kind === 2 ? (j === g + 3 ? 50 * mag : normal() * mag * 0.01)
        : kind === 3 ? -Math.abs(normal()) * mag
        : kind === 4 ? normal() * 1e-9
        : kind === 5 ? Math.round(r() * 30 - 15) * 0.5
        : normal() * mag;
    }
  }
  return mx.reshape(mx.array(v).astype(mx.dtypeFromName(d)), shape);
}

const words = (shape: number[], s: number): mx.MxArray => {
  const r = rng(s);
  const size = shape.reduce((a, b) => a * b, 1);
  return mx.reshape(mx.array(Uint32Array.from({ length: size }, () => Math.floor(r() * 2 ** 32))), shape);
};
const codes = (shape: number[], s: number, lo = 0, hi = 256): mx.MxArray => {
  const r = rng(s);
  const size = shape.reduce((a, b) => a * b, 1);
  return mx.reshape(mx.array(Uint8Array.from({ length: size }, () => lo + Math.floor(r() * (hi - lo)))), shape);
};
const dt = (d: string) => mx.dtypeFromName(d);

const affineBits = [1, 2, 3, 4, 5, 6, 8];
const groupSizes = [32, 64, 128];
const fpModes = [
  ['mxfp4', 32, 4],
  ['mxfp8', 32, 8],
  ['nvfp4', 16, 4],
] as const;

describe.skipIf(!hasMlx)('quantization vs MLX', () => {
  it('quantize: affine, every bit width and group size, bit for bit', async () => {
    const cases: Case[] = [];
    let k = 0;
    for (const bits of affineBits) {
      for (const gs of groupSizes) {
        for (const d of floats) {
          for (let rep = 0; rep < n(2); rep++) {
            const shape = [[3, 2 * gs], [2, 2, gs], [1, gs], [5, 3 * gs]][(k + rep) % 4]!;
            const w = weights(shape, d, seed + k++ * 7 + rep, gs / 2);
            cases.push({ name: `quantize(${d}[${shape}], ${gs}, ${bits})`, py: `mx.quantize(a0, ${gs}, ${bits})`, ts: (x) => mx.quantize(x!, gs, bits), inputs: [w] });
          }
        }
      }
    }
    // the defaults (64, 4) and a strided input
    const w = weights([64, 128], 'float32', seed + 99);
    cases.push({ name: 'quantize defaults', py: 'mx.quantize(a0)', ts: (x) => mx.quantize(x!), inputs: [w] });
    cases.push({ name: 'quantize of a transposed view', py: 'mx.quantize(a0.T, 32, 4)', ts: (x) => mx.quantize(x!.T, 32, 4), inputs: [weights([64, 6], 'float32', seed + 98)] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('quantize: mxfp4, mxfp8, nvfp4 (with and without a global scale), bit for bit', async () => {
    const cases: Case[] = [];
    let k = 0;
    for (const [mode, gs] of fpModes) {
      for (const d of floats) {
        for (let rep = 0; rep < n(3); rep++) {
          const shape = [[4, 64], [2, 3, 32], [1, 128]][rep % 3]!;
          const w = weights(shape, d, seed + 1000 + k++, 8);
          cases.push({ name: `quantize ${mode} ${d}[${shape}]`, py: `mx.quantize(a0, mode='${mode}')`, ts: (x) => mx.quantize(x!, null, null, mode), inputs: [w] });
          if (mode === 'nvfp4') {
            const g = mx.array([0.5, 3.0, 1e-3, 2688][rep % 4]!);
            cases.push({
              name: `quantize nvfp4 global ${d}[${shape}]`,
              py: `mx.quantize(a0, mode='nvfp4', global_scale=a1)`,
              ts: (x, gl) => mx.quantize(x!, null, null, 'nvfp4', gl!),
              inputs: [w, g],
            });
          }
        }
      }
      void gs;
    }
    // extreme groups: the largest finite and subnormal values of the dtype (groups holding an
    // infinity or NaN are left out: MLX's graph casts their exponent to int32, undefined
    // behaviour in C++; mlx-ts's cast gives 0, see the README)
    for (const [mode] of fpModes) {
      for (const d of floats) {
        const extreme = d === 'float16' ? [65504, -65504, 6e-8, -1e-7, 1.5e-5, 0] : [3e38, -3e38, 1e-39, -1e-40, 1e-45, 0];
        const row = Array.from({ length: 64 }, (_, j) => (j % 7 === 0 ? extreme[(j / 7) % extreme.length]! : (j % 5) - 2) * (j < 32 || d === 'float16' ? 1 : 1e-30));
        const w = mx.array([row]).astype(dt(d));
        cases.push({ name: `quantize ${mode} ${d} extremes`, py: `mx.quantize(a0, mode='${mode}')`, ts: (x) => mx.quantize(x!, null, null, mode), inputs: [w] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('dequantize: affine, random packed words, scales and biases of any float dtypes, bit for bit', async () => {
    const cases: Case[] = [];
    let k = 0;
    for (const bits of [...affineBits, 7]) {
      for (const gs of groupSizes) {
        const sd = floats[k % 3]!, bd = floats[(k + (k % 2)) % 3]!;
        const rows = 1 + (k % 4);
        const w = words([rows, (2 * gs * bits) / 32], seed + 2000 + k);
        const s = weights([rows, 2], sd, seed + 3000 + k, 2);
        const b = weights([rows, 2], bd, seed + 4000 + k, 2);
        const out = ['None', 'mx.float32', 'mx.float16', 'mx.bfloat16'][k % 4]!;
        cases.push({
          name: `dequantize bits=${bits} gs=${gs} ${sd}/${bd} -> ${out}`,
          py: `mx.dequantize(a0, a1, a2, ${gs}, ${bits}, dtype=${out})`,
          ts: (x, y, z) => mx.dequantize(x!, y!, z!, gs, bits, 'affine', null, out === 'None' ? null : dt(out.slice(3))),
          inputs: [w, s, b],
        });
        k++;
      }
    }
    // round trips of MLX's own quantization, batched
    for (const bits of affineBits) {
      const w = weights([2, 3, 64], 'float32', seed + 5000 + bits);
      cases.push({ name: `dequantize(quantize) bits=${bits}`, py: `mx.dequantize(*mx.quantize(a0, 32, ${bits}), 32, ${bits})`, ts: (x) => mx.dequantize(...(mx.quantize(x!, 32, bits) as [mx.MxArray, mx.MxArray, mx.MxArray]), 32, bits), inputs: [w] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('dequantize: fp modes, every scale code, output dtypes, global scale, bit for bit', async () => {
    const cases: Case[] = [];
    let k = 0;
    for (const [mode, gs, bits] of fpModes) {
      for (const out of ['None', 'mx.float32', 'mx.float16', 'mx.bfloat16']) {
        const rows = 8;
        const w = words([rows, (2 * gs * bits) / 32], seed + 6000 + k);
        // e8m0 / e4m3 scale codes: all 256 over the cases
        const s = codes([rows, 2], seed + 7000 + k);
        const od = out === 'None' ? null : dt(out.slice(3));
        cases.push({
          name: `dequantize ${mode} -> ${out}`,
          py: `mx.dequantize(a0, a1, None, mode='${mode}', dtype=${out})`,
          ts: (x, y) => mx.dequantize(x!, y!, null, null, null, mode, null, od),
          inputs: [w, s],
        });
        if (mode === 'nvfp4') {
          cases.push({
            name: `dequantize nvfp4 global -> ${out}`,
            py: `mx.dequantize(a0, a1, None, mode='nvfp4', global_scale=a2, dtype=${out})`,
            ts: (x, y, g) => mx.dequantize(x!, y!, null, null, null, 'nvfp4', g!, od),
            inputs: [w, s, mx.array(0.37)],
          });
        }
        k++;
      }
      const all = mx.reshape(mx.arange(0, 256, 1, mx.uint8), [8, 32]);
      cases.push({ name: `dequantize ${mode}: every scale code`, py: `mx.dequantize(a0, a1, None, mode='${mode}', dtype=mx.float32)`, ts: (x, y) => mx.dequantize(x!, y!, null, null, null, mode, null, mx.float32), inputs: [words([8, (32 * gs * bits) / 32], seed + 8000 + k), all] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('toFp8 / fromFp8: every code, special and tie values, bit for bit', async () => {
    const cases: Case[] = [];
    const all = mx.arange(0, 256, 1, mx.uint8);
    for (const d of [...floats]) cases.push({ name: `from_fp8 -> ${d}`, py: `mx.from_fp8(a0, mx.${d})`, ts: (x) => mx.fromFp8(x!, dt(d)), inputs: [all] });
    cases.push({ name: 'from_fp8 default dtype', py: 'mx.from_fp8(a0)', ts: (x) => mx.fromFp8(x!), inputs: [all] });
    // every fp8 value, the midpoints between neighbours (ties), and specials
    const vals = (mx.fromFp8(all, mx.float32).tolist() as number[]).filter((v) => Number.isFinite(v));
    const sorted = [...new Set(vals)].sort((a, b) => a - b);
    const mids = sorted.slice(1).map((v, i) => (v + sorted[i]!) / 2);
    const extra = [NaN, Infinity, -Infinity, 0, -0, 448, 449, 464, 465, 480, 500, 1e6, -1e6, 2 ** -9, 2 ** -10, 2 ** -11, 1e-40, -1e-40, 3 * 2 ** -11];
    const x = mx.array([...sorted, ...mids, ...mids.map((m) => m * (1 + 2 ** -20)), ...extra]);
    for (const d of floats) cases.push({ name: `to_fp8 ${d}`, py: 'mx.to_fp8(a0)', ts: (a) => mx.toFp8(a!), inputs: [x.astype(dt(d))] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('quantizedMatmul: modes, bits, group sizes, both transposes, batches, dtypes', async () => {
    const cases: Case[] = [];
    let k = 0;
    const configs: [string, number, number][] = [
      ...affineBits.flatMap((b) => groupSizes.map((g): [string, number, number] => ['affine', g, b])),
      ...fpModes.map(([m, g, b]): [string, number, number] => [m, g, b]),
    ];
    for (const [mode, gs, bits] of configs) {
      for (const transpose of [true, false]) {
        for (let rep = 0; rep < n(1); rep++) {
          const d = floats[(k + rep) % 3]!;
          const K = transpose ? 2 * gs : 3 + (k % 5);
          const N = transpose ? 3 + (k % 5) : 2 * gs;
          // the packed matrix: (N, K) for transpose, (K, N) otherwise
          const [r, c] = transpose ? [N, K] : [K, N];
          const xShape = [[2, K], [K], [2, 3, K], [1, K]][(k + rep) % 4]!;
          const x = weights(xShape, d, seed + 9000 + k, K, [-2, 0]).astype(dt(d));
          const w = words([r, (c * bits) / 32], seed + 9100 + k);
          const affine = mode === 'affine';
          const s = affine ? weights([r, c / gs], d, seed + 9200 + k, 1000, [-3, -1]).astype(dt(d)) : codes([r, c / gs], seed + 9300 + k, mode === 'nvfp4' ? 0x20 : 120, mode === 'nvfp4' ? 0x50 : 130);
          const b = affine ? weights([r, c / gs], d, seed + 9400 + k, 1000, [-3, -1]).astype(dt(d)) : null;
          cases.push({
            name: `quantized_matmul ${mode} gs=${gs} bits=${bits} transpose=${transpose} ${d} x[${xShape}]`,
            py: `mx.quantized_matmul(a0, a1, a2, ${affine ? 'a3' : 'None'}, ${transpose ? 'True' : 'False'}, ${gs}, ${bits}, '${mode}')`,
            ts: (xa, wa, sa, ba) => mx.quantizedMatmul(xa!, wa!, sa!, ba ?? null, transpose, gs, bits, mode as never),
            inputs: affine ? [x, w, s, b!] : [x, w, s],
            // MLX sums in float32 (or in the half dtype), in SIMD order; mlx-ts in double
            tol: { ulps: 8 * K },
          });
          k++;
        }
      }
    }
    // batched w broadcast against batched x
    const x3 = weights([2, 3, 64], 'float32', seed + 9500);
    const w3 = words([1, 5, 8], seed + 9501), s3 = weights([1, 5, 2], 'float32', seed + 9502, 1), b3 = weights([1, 5, 2], 'float32', seed + 9503, 1);
    cases.push({ name: 'quantized_matmul batched broadcast', py: 'mx.quantized_matmul(a0, a1, a2, a3, True, 32, 4)', ts: (a, b, c, e) => mx.quantizedMatmul(a!, b!, c!, e!, true, 32, 4), inputs: [x3, w3, s3, b3], tol: { ulps: 4096 } });
    // x of an integer dtype is promoted (affine)
    cases.push({ name: 'quantized_matmul int32 x', py: 'mx.quantized_matmul(a0, a1, a2, a3, True, 32, 4)', ts: (a, b, c, e) => mx.quantizedMatmul(a!, b!, c!, e!, true, 32, 4), inputs: [mx.array([[1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n, 16n, 17n, 18n, 19n, 20n, 21n, 22n, 23n, 24n, 25n, 26n, 27n, 28n, 29n, 30n, 31n, 32n]]), words([3, 4], seed + 9600), weights([3, 1], 'float32', seed + 9601, 1), weights([3, 1], 'float32', seed + 9602, 1)], tol: { ulps: 4096 } });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('gatherQMM, gatherMM, blockMaskedMM, segmentedMM', async () => {
    const cases: Case[] = [];
    // (moderate magnitudes: both sides sum in float32 on the 4-bit path, in different orders)
    const x = weights([3, 2, 64], 'float32', seed + 10000, 64, [-1, 0]);
    const [wq, s, b] = mx.quantize(weights([4, 5, 64], 'float32', seed + 10001, 32, [-1, 0]), 32, 4) as [mx.MxArray, mx.MxArray, mx.MxArray];
    const lhs = mx.array([0n, 2n, 1n, 2n]), rhs = mx.array([3n, 0n, 0n, 1n]);
    const tol = { ulps: 4096 };
    cases.push({ name: 'gather_qmm lhs+rhs', py: 'mx.gather_qmm(a0, a1, a2, a3, a4, a5, True, 32, 4)', ts: (a, w, c, e, l, r) => mx.gatherQMM(a!, w!, c!, e!, l!, r!, true, 32, 4), inputs: [x, wq, s, b, lhs, rhs], tol });
    cases.push({ name: 'gather_qmm rhs only', py: 'mx.gather_qmm(a0, a1, a2, a3, None, a4, True, 32, 4)', ts: (a, w, c, e, r) => mx.gatherQMM(a!, w!, c!, e!, null, r!, true, 32, 4), inputs: [x, wq, s, b, mx.array([3n, 0n, 2n])], tol });
    cases.push({ name: 'gather_qmm rhs 2-D sorted', py: 'mx.gather_qmm(a0, a1, a2, a3, None, a4, True, 32, 4, sorted_indices=True)', ts: (a, w, c, e, r) => mx.gatherQMM(a!, w!, c!, e!, null, r!, true, 32, 4, 'affine', null, true), inputs: [x, wq, s, b, mx.array([[0n], [1n], [3n]])], tol });
    const [fq, fs] = mx.quantize(weights([4, 5, 64], 'float32', seed + 10002), null, null, 'mxfp4') as [mx.MxArray, mx.MxArray];
    cases.push({ name: 'gather_qmm mxfp4', py: "mx.gather_qmm(a0, a1, a2, None, a3, a4, mode='mxfp4')", ts: (a, w, c, l, r) => mx.gatherQMM(a!, w!, c!, null, l!, r!, true, null, null, 'mxfp4'), inputs: [x, fq, fs, lhs, rhs], tol });
    const xt = weights([3, 2, 5], 'float32', seed + 10003, 5);
    const [tq, ts, tb] = mx.quantize(weights([4, 5, 64], 'float32', seed + 10004), 64, 8) as [mx.MxArray, mx.MxArray, mx.MxArray];
    cases.push({ name: 'gather_qmm transpose=False', py: 'mx.gather_qmm(a0, a1, a2, a3, a4, a5, False, 64, 8)', ts: (a, w, c, e, l, r) => mx.gatherQMM(a!, w!, c!, e!, l!, r!, false, 64, 8), inputs: [xt, tq, ts, tb, lhs, rhs], tol });

    const A = weights([3, 4, 6], 'float32', seed + 10010, 6), B = weights([2, 6, 5], 'float32', seed + 10011, 6);
    cases.push({ name: 'gather_mm', py: 'mx.gather_mm(a0, a1, a2, a3)', ts: (a, c, l, r) => mx.gatherMM(a!, c!, l!, r!), inputs: [A, B, mx.array([[2n, 0n], [1n, 1n]]), mx.array([[1n, 0n], [0n, 1n]])], tol });
    cases.push({ name: 'gather_mm rhs only', py: 'mx.gather_mm(a0, a1, None, a2)', ts: (a, c, r) => mx.gatherMM(a!, c!, null, r!), inputs: [A, B, mx.array([1n, 0n, 1n])], tol });
    cases.push({ name: 'gather_mm 1-D a', py: 'mx.gather_mm(a0, a1, None, a2)', ts: (a, c, r) => mx.gatherMM(a!, c!, null, r!), inputs: [weights([6], 'float32', seed + 10012, 6), B, mx.array([1n, 0n])], tol });

    for (const bs of [32, 64]) {
      const a = weights([2, 70, 40], 'float32', seed + 10020 + bs, 40), c = weights([40, 33], 'float32', seed + 10021 + bs, 33);
      const tm = Math.ceil(70 / bs), tk = Math.ceil(40 / bs), tn = Math.ceil(33 / bs);
      const bm = (shape: number[], s0: number) => mx.greater(weights(shape, 'float32', s0, 1), 0);
      cases.push({ name: `block_masked_mm out mask bs=${bs}`, py: `mx.block_masked_mm(a0, a1, ${bs}, a2)`, ts: (p, q, m) => mx.blockMaskedMM(p!, q!, bs, m!), inputs: [a, c, bm([2, tm, tn], seed + 10030)], tol });
      cases.push({ name: `block_masked_mm operand masks bs=${bs}`, py: `mx.block_masked_mm(a0, a1, ${bs}, None, a2, a3)`, ts: (p, q, l, r) => mx.blockMaskedMM(p!, q!, bs, null, l!, r!), inputs: [a, c, bm([tm, tk], seed + 10031), bm([tk, tn], seed + 10032)], tol });
      cases.push({
        name: `block_masked_mm float masks bs=${bs}`,
        py: `mx.block_masked_mm(a0, a1, ${bs}, a2, a3, a4)`,
        ts: (p, q, o, l, r) => mx.blockMaskedMM(p!, q!, bs, o!, l!, r!),
        inputs: [a, c, weights([tm, tn], 'float32', seed + 10033, 1), weights([tm, tk], 'float32', seed + 10034, 1), weights([tk, tn], 'float32', seed + 10035, 1)],
        tol,
      });
    }
    const sa = weights([3, 10], 'float32', seed + 10040, 10), sb = weights([10, 4], 'float32', seed + 10041, 4);
    cases.push({ name: 'segmented_mm', py: 'mx.segmented_mm(a0, a1, a2)', ts: (p, q, g) => mx.segmentedMM(p!, q!, g!), inputs: [sa, sb, mx.array([[0n, 3n], [3n, 10n], [5n, 5n], [7n, 2n]])], tol });
    cases.push({ name: 'segmented_mm 2-D segments', py: 'mx.segmented_mm(a0, a1, a2)', ts: (p, q, g) => mx.segmentedMM(p!, q!, g!), inputs: [sa, sb, mx.array([[[0n, 10n]], [[2n, 4n]]], mx.uint32)], tol });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('qqmm (M = 1, as MLX computes it on the CPU)', async () => {
    const cases: Case[] = [];
    for (const [mode] of fpModes) {
      for (const d of floats) {
        const x = weights([1, 64], d, seed + 11000, 64);
        const w = weights([6, 64], 'float32', seed + 11001);
        cases.push({
          name: `qqmm ${mode} ${d}`,
          py: `mx.qqmm(a0, *mx.quantize(a1, mode='${mode}'), mode='${mode}')`,
          ts: (a, b) => mx.qqmm(a!, ...(mx.quantize(b!, null, null, mode) as [mx.MxArray, mx.MxArray]), null, null, mode),
          inputs: [x, w],
          tol: { ulps: d === 'float32' ? 4096 : 64 },
        });
      }
    }
    cases.push({ name: 'qqmm 1-D x', py: 'mx.qqmm(a0, *mx.quantize(a1, mode="nvfp4"))', ts: (a, b) => mx.qqmm(a!, ...(mx.quantize(b!, null, null, 'nvfp4') as [mx.MxArray, mx.MxArray])), inputs: [weights([64], 'float32', seed + 11002, 64), weights([3, 64], 'float32', seed + 11003)], tol: { ulps: 4096 } });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('gradients (vjp) against MLX: x, scales and biases of the quantized matmuls, gathers, masks, quantize', async () => {
    const cases: Case[] = [];
    const tol = { ulps: 4096 };
    const x = weights([3, 64], 'float32', seed + 13000, 64, [-1, 0]);
    const [q, s, b] = mx.quantize(weights([5, 64], 'float32', seed + 13001, 32, [-1, 0]), 32, 4) as [mx.MxArray, mx.MxArray, mx.MxArray];
    for (const t of [true, false]) {
      const xa = t ? x : weights([3, 5], 'float32', seed + 13002, 5, [-1, 0]);
      cases.push({
        name: `grad quantized_matmul transpose=${t}`,
        py: `mx.grad(lambda x, s, b: mx.sin(mx.quantized_matmul(x, a1, s, b, ${t ? 'True' : 'False'}, 32, 4)).sum(), argnums=(0, 1, 2))(a0, a2, a3)`,
        ts: (xx, w, sc, bi) => mx.grad((p: mx.MxArray, c: mx.MxArray, e: mx.MxArray) => mx.sum(mx.sin(mx.quantizedMatmul(p, w!, c, e, t, 32, 4))), [0, 1, 2])(xx!, sc!, bi!) as mx.MxArray[],
        inputs: [xa, q, s, b],
        tol,
      });
    }
    cases.push({
      name: 'grad dequantize w.r.t. scales and biases',
      py: 'mx.grad(lambda s, b: (mx.dequantize(a0, s, b, 32, 4) ** 2).sum(), argnums=(0, 1))(a1, a2)',
      ts: (w, sc, bi) => mx.grad((c: mx.MxArray, e: mx.MxArray) => mx.sum(mx.square(mx.dequantize(w!, c, e, 32, 4))), [0, 1])(sc!, bi!) as mx.MxArray[],
      inputs: [q, s, b],
      tol,
    });
    cases.push({
      name: 'grad through quantize (MLX fallback graph)',
      py: 'mx.grad(lambda w: (mx.quantize(w, 32, 4)[1] * 3 + mx.quantize(w, 32, 4)[2]).sum())(a0)',
      ts: (w) => mx.grad((v: mx.MxArray) => {
        const [, sc, bi] = mx.quantize(v, 32, 4);
        return mx.sum(mx.add(mx.multiply(sc!, 3), bi!));
      })(w!) as mx.MxArray,
      inputs: [weights([4, 64], 'float32', seed + 13003)],
      tol,
    });
    const xs = weights([3, 2, 64], 'float32', seed + 13004, 64, [-1, 0]);
    const [gq, gs, gb] = mx.quantize(weights([2, 5, 64], 'float32', seed + 13005, 32, [-1, 0]), 32, 4) as [mx.MxArray, mx.MxArray, mx.MxArray];
    cases.push({
      name: 'grad gather_qmm',
      py: 'mx.grad(lambda x, s, b: mx.sin(mx.gather_qmm(x, a1, s, b, a4, a5, True, 32, 4)).sum(), argnums=(0, 1, 2))(a0, a2, a3)',
      ts: (xx, w, sc, bi, l, r) => mx.grad((p: mx.MxArray, c: mx.MxArray, e: mx.MxArray) => mx.sum(mx.sin(mx.gatherQMM(p, w!, c, e, l!, r!, true, 32, 4))), [0, 1, 2])(xx!, sc!, bi!) as mx.MxArray[],
      inputs: [xs, gq, gs, gb, mx.array([2n, 0n, 2n, 1n]), mx.array([1n, 1n, 0n, 1n])],
      tol,
    });
    const A = weights([3, 4, 6], 'float32', seed + 13006, 6, [-1, 0]), B = weights([2, 6, 5], 'float32', seed + 13007, 6, [-1, 0]);
    cases.push({
      name: 'grad gather_mm',
      py: 'mx.grad(lambda a, b: mx.sin(mx.gather_mm(a, b, a2, a3)).sum(), argnums=(0, 1))(a0, a1)',
      ts: (a, c, l, r) => mx.grad((p: mx.MxArray, e: mx.MxArray) => mx.sum(mx.sin(mx.gatherMM(p, e, l!, r!))), [0, 1])(a!, c!) as mx.MxArray[],
      inputs: [A, B, mx.array([2n, 0n, 2n]), mx.array([1n, 1n, 0n])],
      tol,
    });
    cases.push({
      name: 'grad gather_mm sorted (segmented_mm)',
      py: 'mx.grad(lambda a, b: mx.sin(mx.gather_mm(a, b, None, a2, sorted_indices=True)).sum(), argnums=(0, 1))(a0, a1)',
      ts: (a, c, r) => mx.grad((p: mx.MxArray, e: mx.MxArray) => mx.sum(mx.sin(mx.gatherMM(p, e, null, r!, true))), [0, 1])(a!, c!) as mx.MxArray[],
      inputs: [A, B, mx.array([0n, 0n, 1n])],
      tol,
    });
    const P = weights([40, 70], 'float32', seed + 13008, 70, [-1, 0]), Q = weights([70, 33], 'float32', seed + 13009, 33, [-1, 0]);
    const lm = weights([2, 3], 'float32', seed + 13010, 3, [-1, 0]), rm = weights([3, 2], 'float32', seed + 13011, 2, [-1, 0]);
    for (const argnums of [[0, 1], [3], [4]]) {
      cases.push({
        name: `grad block_masked_mm argnums ${argnums}`,
        py: `mx.grad(lambda a, b, o, l, r: mx.sin(mx.block_masked_mm(a, b, 32, o, l, r)).sum(), argnums=(${argnums.join(', ')},))(a0, a1, a2, a3, a4)`,
        ts: (a, c, o, l, r) => {
          const g = mx.grad((p: mx.MxArray, e: mx.MxArray, f: mx.MxArray, h: mx.MxArray, k: mx.MxArray) => mx.sum(mx.sin(mx.blockMaskedMM(p, e, 32, f, h, k))), argnums)(a!, c!, o!, l!, r!);
          return Array.isArray(g) ? g : [g];
        },
        inputs: [P, Q, mx.greater(weights([2, 2], 'float32', seed + 13012, 2), 0).astype(mx.float32), lm, rm],
        tol,
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('errors: both raise', async () => {
    const w = weights([4, 64], 'float32', seed + 12000);
    const [q, s, b] = mx.quantize(w, 32, 4) as [mx.MxArray, mx.MxArray, mx.MxArray];
    const x = weights([2, 64], 'float32', seed + 12001);
    const raises: [string, (...a: mx.MxArray[]) => unknown, mx.MxArray[]][] = [
      ["mx.quantize(a0, mode='foo')", (a) => mx.quantize(a!, null, null, 'foo' as never), [w]],
      ['mx.quantize(a0, 16, 4)', (a) => mx.quantize(a!, 16, 4), [w]],
      ['mx.quantize(a0, 64, 7)', (a) => mx.quantize(a!, 64, 7), [w]],
      ['mx.quantize(a0, 64, 0)', (a) => mx.quantize(a!, 64, 0), [w]],
      ['mx.quantize(a0.astype(mx.int32), 64, 4)', (a) => mx.quantize(a!.astype(mx.int32), 64, 4), [w]],
      ['mx.quantize(a0[0], 64, 4)', (a) => mx.quantize(a!.index(0), 64, 4), [w]],
      ['mx.quantize(a0[:, :48], 32, 4)', (a) => mx.quantize(a!.index(mx.Slice(), mx.Slice(0, 48)), 32, 4), [w]],
      ["mx.quantize(a0, 32, 4, mode='mxfp4', global_scale=mx.array(1.0))", (a) => mx.quantize(a!, 32, 4, 'mxfp4', mx.array(1)), [w]],
      ["mx.quantize(a0, 32, 8, mode='mxfp4')", (a) => mx.quantize(a!, 32, 8, 'mxfp4'), [w]],
      ["mx.quantize(a0, 16, 4, mode='mxfp4')", (a) => mx.quantize(a!, 16, 4, 'mxfp4'), [w]],
      ["mx.quantize(a0, mode='nvfp4', global_scale=mx.array([1.0, 2.0]))", (a) => mx.quantize(a!, null, null, 'nvfp4', mx.array([1, 2])), [w]],
      ["mx.quantize(a0, mode='nvfp4', global_scale=mx.array(1.0, mx.float16))", (a) => mx.quantize(a!, null, null, 'nvfp4', mx.array(1, mx.float16)), [w]],
      ['mx.dequantize(a0, a1, None, 32, 4)', (a, c) => mx.dequantize(a!, c!, null, 32, 4), [q, s]],
      ['mx.dequantize(a0, a1, a2, 64, 4)', (a, c, d) => mx.dequantize(a!, c!, d!, 64, 4), [q, s, b]],
      ['mx.dequantize(a0.astype(mx.int32), a1, a2, 32, 4)', (a, c, d) => mx.dequantize(a!.astype(mx.int32), c!, d!, 32, 4), [q, s, b]],
      ['mx.dequantize(a0, a1, a2, 32, 4, dtype=mx.int32)', (a, c, d) => mx.dequantize(a!, c!, d!, 32, 4, 'affine', null, mx.int32), [q, s, b]],
      ['mx.dequantize(a0, a1.astype(mx.int32), a2.astype(mx.int32), 32, 4)', (a, c, d) => mx.dequantize(a!, c!.astype(mx.int32), d!.astype(mx.int32), 32, 4), [q, s, b]],
      ['mx.dequantize(a0[0], a1[0], a2[0], 32, 4)', (a, c, d) => mx.dequantize(a!.index(0), c!.index(0), d!.index(0), 32, 4), [q, s, b]],
      ['mx.dequantize(a0, a1, a2, 32, 0)', (a, c, d) => mx.dequantize(a!, c!, d!, 32, 0), [q, s, b]],
      ['mx.dequantize(a0, a1, a2, 0, 4)', (a, c, d) => mx.dequantize(a!, c!, d!, 0, 4), [q, s, b]],
      ["mx.dequantize(a0, a1, a2, mode='mxfp4')", (a, c, d) => mx.dequantize(a!, c!, d!, null, null, 'mxfp4'), [q, s, b]],
      ["mx.dequantize(a0, a1, mode='mxfp4')", (a, c) => mx.dequantize(a!, c!, null, null, null, 'mxfp4'), [q, s]],
      ['mx.quantized_matmul(a0[:, :63], a1, a2, a3, True, 32, 4)', (a, c, d, e) => mx.quantizedMatmul(a!.index(mx.Slice(), mx.Slice(0, 63)), c!, d!, e!, true, 32, 4), [x, q, s, b]],
      ['mx.quantized_matmul(a0, a1, a2, None, True, 32, 4)', (a, c, d) => mx.quantizedMatmul(a!, c!, d!, null, true, 32, 4), [x, q, s]],
      ['mx.quantized_matmul(a0, a1, a2, a3[:, :1], True, 32, 4)', (a, c, d, e) => mx.quantizedMatmul(a!, c!, d!, e!.index(mx.Slice(), mx.Slice(0, 1)), true, 32, 4), [x, q, s, b]],
      ['mx.quantized_matmul(a0, a1.astype(mx.int32), a2, a3, True, 32, 4)', (a, c, d, e) => mx.quantizedMatmul(a!, c!.astype(mx.int32), d!, e!, true, 32, 4), [x, q, s, b]],
      ['mx.quantized_matmul(a0, a1, a2, a3, True, 64, 2)', (a, c, d, e) => mx.quantizedMatmul(a!, c!, d!, e!, true, 64, 2), [x, q, s, b]],
      ['mx.to_fp8(a0.astype(mx.int32))', (a) => mx.toFp8(a!.astype(mx.int32)), [w]],
      ['mx.from_fp8(a0)', (a) => mx.fromFp8(a!), [w]],
      ['mx.from_fp8(a0.astype(mx.uint8), mx.int32)', (a) => mx.fromFp8(a!.astype(mx.uint8), mx.int32), [w]],
      ['mx.gather_mm(a0, a0.T, a1.astype(mx.float32))', (a, l) => mx.gatherMM(a!, a!.T, l!.astype(mx.float32)), [w, mx.array([0n])]],
      ['mx.block_masked_mm(a0, a0.T, 16, a1)', (a, m) => mx.blockMaskedMM(a!, a!.T, 16, m!), [w, mx.array([[true]])]],
      ['mx.segmented_mm(a0, a0.T, a1)', (a, g) => mx.segmentedMM(a!, a!.T, g!), [w, mx.array([0n, 1n, 2n])]],
      ['mx.segmented_mm(a0[None], a0.T, a1)', (a, g) => mx.segmentedMM(a!.reshape([1, 4, 64]), a!.T, g!), [w, mx.array([[0n, 1n]])]],
      ['mx.segmented_mm(a0, a0.T, a1.astype(mx.float32))', (a, g) => mx.segmentedMM(a!, a!.T, g!.astype(mx.float32)), [w, mx.array([[0n, 1n]])]],
      ["mx.qqmm(a0, a1, mode='nvfp4')", (a, c) => mx.qqmm(a!, c!), [x, q]],
      ["mx.gather_qmm(a0, a1, a2, None, None, a3, mode='nvfp4', global_scale=mx.array(2.0))", (a, c, d, r) => mx.gatherQMM(a!, c!, d!, null, null, r!, true, null, null, 'nvfp4', mx.array(2)), [x, ...(mx.quantize(w, null, null, 'nvfp4') as mx.MxArray[]).map((t) => t.reshape([1, ...t.shape])), mx.array([0n])]],
    ];
    const cases: Case[] = raises.map(([p, t, inputs]) => ({ name: `${p} raises`, py: p, ts: t as Case['ts'], inputs }));
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
