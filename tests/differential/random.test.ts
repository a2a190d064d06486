// mx.random against the real MLX: the same key gives the same numbers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { py, report, sample } from './gen.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

describe.skipIf(!hasMlx)('random vs MLX', () => {
  it('keys, split and samplers for random seeds and shapes', async () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), fc.constantFrom('float32', 'float16', 'bfloat16'));
    const cases: Case[] = [];
    for (const [seed, shape, d] of sample(arb, 30, 21)) {
      const k = `mx.random.key(${seed})`;
      const key = () => mx.random.key(seed);
      const dt = mx.dtypeFromName(d);
      const sh = `[${shape.join(', ')}]`;
      cases.push({ name: `key(${seed})`, py: k, ts: key, inputs: [] });
      cases.push({ name: `split(key(${seed}), 3)`, py: `mx.random.split(${k}, 3)`, ts: () => mx.random.split(key(), 3), inputs: [] });
      cases.push({ name: `uniform ${d} ${sh}`, py: `mx.random.uniform(shape=${sh}, dtype=mx.${d}, key=${k})`, ts: () => mx.random.uniform(0, 1, shape, dt, key()), inputs: [] });
      // Bounds: a JS number is a Python float, a bigint a Python int.
      for (const [lo, hi] of [[-2, 3], [-2n, 3n]] as const) {
        const [plo, phi] = [py.scalar(lo), py.scalar(hi)];
        cases.push({ name: `uniform(${plo}, ${phi}) ${d} ${sh}`, py: `mx.random.uniform(${plo}, ${phi}, ${sh}, dtype=mx.${d}, key=${k})`, ts: () => mx.random.uniform(lo, hi, shape, dt, key()), inputs: [], tol: { ulps: 1 } });
      }
      // normal goes through erfinv: MLX's float32 polynomial vs our double, a few ulp apart
      cases.push({ name: `normal ${d} ${sh}`, py: `mx.random.normal(${sh}, dtype=mx.${d}, key=${k})`, ts: () => mx.random.normal(shape, dt, 0, 1, key()), inputs: [], tol: { ulps: 8 } });
      for (const [lo, hi] of [[-7, 20], [-7n, 20n], [-7.5, 20]] as const) {
        const [plo, phi] = [py.scalar(lo), py.scalar(hi)];
        cases.push({ name: `randint(${plo}, ${phi}) ${sh}`, py: `mx.random.randint(${plo}, ${phi}, ${sh}, key=${k})`, ts: () => mx.random.randint(lo, hi, shape, mx.int32, key()), inputs: [] });
      }
      cases.push({ name: `bernoulli ${sh}`, py: `mx.random.bernoulli(0.3, ${sh}, key=${k})`, ts: () => mx.random.bernoulli(0.3, shape, key()), inputs: [] });
      cases.push({ name: `gumbel ${sh}`, py: `mx.random.gumbel(${sh}, key=${k})`, ts: () => mx.random.gumbel(shape, mx.float32, key()), inputs: [], tol: { ulps: 8 } });
      cases.push({ name: `categorical`, py: `mx.random.categorical(mx.array([[0.0, 1.0, 2.0], [2.0, 1.5, 0.0]]), key=${k})`, ts: () => mx.random.categorical(mx.array([[0, 1, 2], [2, 1.5, 0]], mx.float32), -1, null, null, key()), inputs: [] });
      cases.push({ name: `truncated_normal ${sh}`, py: `mx.random.truncated_normal(-1.0, 2.0, ${sh}, key=${k})`, ts: () => mx.random.truncatedNormal(-1, 2, shape, mx.float32, key()), inputs: [], tol: { ulps: 16 } });
      cases.push({ name: `permutation 7`, py: `mx.random.permutation(7, key=${k})`, ts: () => mx.random.permutation(7, key()), inputs: [] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('seed() then un-keyed calls follow MLX\'s global key sequence', async () => {
    const cases: Case[] = [0, 7, 123456].map((s) => ({
      name: `seed(${s})`,
      py: `(mx.random.seed(${s}), [mx.random.uniform(shape=[3]), mx.random.randint(${py.scalar(0)}, ${py.scalar(100)}, [4])])[1]`,
      ts: () => {
        mx.random.seed(s);
        return [mx.random.uniform(0, 1, [3]), mx.random.randint(0, 100, [4])];
      },
      inputs: [],
    }));
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
