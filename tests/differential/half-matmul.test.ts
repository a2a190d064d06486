// Half-precision products against the real MLX 0.32.4: matmul (matrix-vector products with a
// Linear layer's W.T, skinny and square products, batches with broadcasting), addmm and
// gather_mm in float16 and bfloat16, and compositions under grad and vmap. On the WASM backend
// these run the float32 kernels on widened operands (a bfloat16 W.T read in place), as MLX's
// CPU runs float32 GEMMs for half operands; on both sides the result is rounded once to the
// half dtype, so they agree within a unit or two of it (float32 sums in different orders).
// Not here: gather_mm in a half dtype, which MLX's CPU refuses ("[GatherMM::eval] Currently
// only supports float32."; its GPU runs it) and mlx-ts computes, checked against the
// reference backend in packages/core/test/wasm-widen.test.ts.
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

const halves = ['float16', 'bfloat16'] as const;
const n = (k: number) => Math.max(1, Math.round((k * scale) / 8));

/** Values in [-1, 1) on a grid of 1/64 (exact in both half dtypes), deterministic. */
function vals(shape: number[], d: string, s: number): mx.MxArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  let a = (s * 2654435761) | 0;
  for (let i = 0; i < size; i++) {
    a = (Math.imul(a ^ (a >>> 15), 2246822519) + 0x6d2b79f5) | 0;
    v[i] = (((a >>> 8) % 128) - 64) / 64;
  }
  return mx.reshape(mx.array(v).astype(mx.dtypeFromName(d)), shape);
}

/** Tolerance for a K-term product rounded to a half dtype: 2 units of it relative to the result's size. */
const tol = { ulps: 2, relativeTo: 'max' as const };

describe.skipIf(!hasMlx)('half-precision products vs MLX', () => {
  it('matmul: vectors by W.T, skinny, square, batched and broadcast', async () => {
    const cases: Case[] = [];
    let k = 0;
    for (const d of halves) {
      for (let rep = 0; rep < n(8); rep++, k++) {
        const M = [1, 1, 3, 8, 17, 40][k % 6]!, K = [64, 515, 33, 128, 7, 96][(k + rep) % 6]!, N = [300, 16, 9, 64, 5, 48][(k + 2 * rep) % 6]!;
        const x = vals([M, K], d, seed + 100 + k), W = vals([N, K], d, seed + 200 + k);
        cases.push({ name: `x @ W.T ${d} ${M}x${K} by ${N}`, py: 'mx.matmul(a0, a1.T)', ts: (a, b) => mx.matmul(a!, b!.T), inputs: [x, W], tol });
        cases.push({ name: `x @ W ${d} ${M}x${K} by ${N}`, py: 'mx.matmul(a0, a1.T.reshape(a1.shape[1], a1.shape[0]))', ts: (a, b) => mx.matmul(a!, mx.reshape(b!.T, [K, N])), inputs: [x, W], tol });
      }
      cases.push({ name: `batched ${d}`, py: 'mx.matmul(a0, a1)', ts: (a, b) => mx.matmul(a!, b!), inputs: [vals([3, 5, 24], d, seed + 301), vals([24, 11], d, seed + 302)], tol });
      cases.push({ name: `broadcast batch ${d}`, py: 'mx.matmul(a0, a1)', ts: (a, b) => mx.matmul(a!, b!), inputs: [vals([2, 1, 4, 16], d, seed + 303), vals([3, 16, 6], d, seed + 304)], tol });
      cases.push({ name: `vector ${d}`, py: 'mx.matmul(a0, a1)', ts: (a, b) => mx.matmul(a!, b!), inputs: [vals([40], d, seed + 305), vals([40, 12], d, seed + 306)], tol });
      cases.push({ name: `addmm ${d}`, py: 'mx.addmm(a2, a0, a1, 0.5, 2.0)', ts: (a, b, c) => mx.addmm(c!, a!, b!, 0.5, 2), inputs: [vals([4, 12], d, seed + 307), vals([12, 6], d, seed + 308), vals([4, 6], d, seed + 309)], tol });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('compositions: grad of a two-layer half network, vmap of a product, a Linear chain', async () => {
    const cases: Case[] = [];
    for (const d of halves) {
      const x = vals([4, 16], d, seed + 400), w1 = vals([12, 16], d, seed + 401), w2 = vals([5, 12], d, seed + 402);
      cases.push({
        name: `grad ${d}`,
        py: 'mx.grad(lambda p, q: mx.sum(mx.square(mx.matmul(mx.tanh(mx.matmul(a0, p.T)), q.T))), argnums=(0, 1))(a1, a2)',
        ts: (a, p, q) => mx.grad((pp: mx.MxArray, qq: mx.MxArray) => mx.sum(mx.square(mx.matmul(mx.tanh(mx.matmul(a!, pp.T)), qq.T))), [0, 1])(p!, q!) as mx.MxArray[],
        inputs: [x, w1, w2],
        tol: { ulps: 8, relativeTo: 'max' },
      });
      cases.push({
        name: `vmap ${d}`,
        py: 'mx.vmap(lambda r: mx.matmul(r, a1.T))(a0)',
        ts: (a, b) => mx.vmap((r: mx.MxArray) => mx.matmul(r, b!.T))(a!) as mx.MxArray,
        inputs: [vals([6, 3, 16], d, seed + 403), vals([7, 16], d, seed + 404)],
        tol,
      });
      cases.push({
        name: `linear chain ${d}`,
        py: 'mx.matmul(mx.maximum(mx.matmul(a0, a1.T), 0), a2.T)',
        ts: (a, p, q) => mx.matmul(mx.maximum(mx.matmul(a!, p!.T), 0), q!.T),
        inputs: [vals([1, 64], d, seed + 405), vals([96, 64], d, seed + 406), vals([10, 96], d, seed + 407)],
        tol: { ulps: 4, relativeTo: 'max' },
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
