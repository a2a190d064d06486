// The skinny matmul kernels (M <= 8 rows, src/matmul.ts) against the reference: the dot kernel
// (b with unit k stride: x @ W.T) with its partial sums added by subgroup shuffles (where the
// adapter has subgroups: lavapipe does, 8 lanes) and, with subgroups turned off, through
// workgroup memory only; the column kernel (any other b layout: x @ W). Every case checks
// which kernel ran. Edges: K around the 64 invocations of a workgroup, one column, batches
// (broadcast), transposed and sliced operands, halves, AddMM, non-finite values and
// cancellation (float-float sums in another order than the tiled kernel's: the same rounding).
import { afterAll, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { gpuBackend, noGpu, randSpec, spec } from './gpu-helpers.js';
import { fastStats, skinnyStats, SKINNY_M } from '../src/matmul.js';

const mm = (a: mx.MxArray, b: mx.MxArray) => mx.matmul(a, b);
const check = (inputs: ArraySpec[], label: string, op: (...xs: mx.MxArray[]) => mx.MxArray = mm) => compareBackends(op, inputs, { backends: ['reference', 'webgpu'], label });
const T = [{ kind: 'transpose', axes: [1, 0] }] as ArraySpec['view'];
/** x @ w.T, the transpose taken inside the op so that the GPU reads w in place (unit k stride) */
const mmT = (a: mx.MxArray, w: mx.MxArray) => mx.matmul(a, mx.swapaxes(w, -1, -2));
const checkT = (inputs: ArraySpec[], label: string) => check(inputs, label, mmT);

/** Runs `body`, expecting `kind` to be dispatched (and only skinny kernels of that kind). */
function expectKind(kind: keyof typeof skinnyStats, body: () => void): void {
  const before = { ...skinnyStats };
  body();
  expect(skinnyStats[kind] - before[kind], kind).toBeGreaterThan(0);
  for (const k of Object.keys(skinnyStats) as (keyof typeof skinnyStats)[]) if (k !== kind) expect(skinnyStats[k] - before[k], `${k} while testing ${kind}`).toBe(0);
}

describe.skipIf(noGpu)('webgpu skinny matmul', () => {
  const be = gpuBackend!;
  const hasSubgroups = be?.subgroups ?? false;
  afterAll(() => {
    if (be) be.subgroups = hasSubgroups;
  });

  it('lavapipe has subgroups (the subgroup path is exercised in CI); only subgroups of at most 64 that fill a workgroup of 64 are used', () => {
    const a = be.adapter;
    if (process.env.CI) {
      expect(hasSubgroups).toBe(true);
      expect([a.subgroupMinSize, a.subgroupMaxSize]).toEqual([8, 8]);
    }
    // an adapter whose subgroups may hold 128 invocations: a workgroup of 64 would leave lanes empty
    const saved = a.subgroupMaxSize;
    try {
      (a as { subgroupMaxSize: number }).subgroupMaxSize = 128;
      expect(() => (be.subgroups = true)).toThrow(/no subgroups of at most 64 invocations/);
      (a as { subgroupMaxSize: number }).subgroupMaxSize = 0; // the adapter doesn't say
      expect(() => (be.subgroups = true)).toThrow(/no subgroups of at most 64 invocations/);
    } finally {
      (a as { subgroupMaxSize: number }).subgroupMaxSize = saved;
      be.subgroups = hasSubgroups;
    }
  });

  for (const mode of ['subgroups', 'workgroup'] as const) {
    it(`x @ W.T (dot kernel, ${mode}): rows 1..${SKINNY_M}, K around 64, one column, batches`, () => {
      be.subgroups = mode === 'subgroups' && hasSubgroups;
      const kind = be.subgroups ? 'dotSubgroup' : 'dotWorkgroup';
      expectKind(kind, () => {
        for (const [m, k, n] of [
          [1, 2, 1],
          [1, 63, 5],
          [2, 64, 3],
          [3, 65, 7],
          [8, 200, 9],
          [5, 129, 1],
        ] as const) {
          checkT([randSpec([m, k], m * 31 + k), randSpec([n, k], n * 17 + k)], `${m}x${k} @ (${n}x${k}).T`);
        }
        // batched: W shared (broadcast) and per entry
        checkT([randSpec([3, 2, 70], 1), randSpec([5, 70], 2)], 'batch, W.T broadcast');
        checkT([randSpec([2, 4, 33], 3), randSpec([2, 6, 33], 4)], 'batch of W.T');
        // a transposed and a sliced x
        check([randSpec([40, 3], 5), randSpec([6, 40], 6)], 'x transposed', (a, w) => mmT(mx.transpose(a), w));
        check([randSpec([4, 90], 7), randSpec([3, 45], 8)], 'x sliced', (a, w) => mmT(a.index(mx.Slice(), mx.Slice(0, 90, 2)), w));
      });
    });

    it(`x @ W.T (${mode}): halves, AddMM, non-finite values and cancellation`, () => {
      be.subgroups = mode === 'subgroups' && hasSubgroups;
      const kind = be.subgroups ? 'dotSubgroup' : 'dotWorkgroup';
      expectKind(kind, () => {
        for (const dt of [mx.float16, mx.bfloat16]) checkT([randSpec([2, 100], 9, dt), randSpec([4, 100], 10, dt)], `${dt.name}`);
        const addmm = (c: mx.MxArray, a: mx.MxArray, w: mx.MxArray) => mx.addmm(c, a, mx.transpose(w), 0.5, -2);
        check([randSpec([3], 11), randSpec([2, 80], 12), randSpec([3, 80], 13)], 'addmm', addmm);
        const k = 130;
        const x = Array.from({ length: 2 * k }, (_, i) => (i === 5 ? Infinity : i === 140 ? NaN : i % 3) as number);
        const w = Array.from({ length: 3 * k }, (_, i) => (i === 77 ? -Infinity : i === 200 ? 0 : (i % 5) - 2) as number);
        checkT([spec(mx.float32, [2, k], x), spec(mx.float32, [3, k], w)], 'inf, NaN, inf * 0');
        // large opposite terms in lanes far apart, small ones exact in 48 bits beside them: the
        // float-float sums cancel them exactly, as the reference's double sum does
        const big = Array.from({ length: 96 }, (_, i) => (i === 3 ? 1e8 : i === 90 ? -1e8 : i / 1024));
        checkT([spec(mx.float32, [1, 96], big), spec(mx.float32, [1, 96], Array(96).fill(1))], 'cancellation across lanes');
      });
    });
  }

  it('x @ W as stored (column kernel): rows 1..8, odd sizes, batches, halves, AddMM', () => {
    expectKind('columns', () => {
      for (const [m, k, n] of [
        [1, 1, 1],
        [1, 70, 65],
        [4, 5, 130],
        [8, 33, 64],
      ] as const) {
        check([randSpec([m, k], m * 7 + k), randSpec([k, n], n * 3 + k)], `${m}x${k} @ ${k}x${n}`);
      }
      check([randSpec([3, 2, 20], 14), randSpec([20, 9], 15)], 'batch, W broadcast');
      check([randSpec([2, 20], 16), randSpec([40, 9], 17, mx.float32, [{ kind: 'slice', start: [0, 0], stop: [40, 9], step: [2, 1] }])], 'W sliced along k');
      check([randSpec([2, 30], 18, mx.bfloat16), randSpec([30, 5], 19, mx.bfloat16)], 'bfloat16');
      check([randSpec([2, 5], 20), randSpec([2, 30], 21), randSpec([30, 5], 22)], 'addmm', (c, a, b) => mx.addmm(c, a, b, 1.5, 0.25));
      check([spec(mx.float32, [1, 3], [Infinity, 1, NaN]), spec(mx.float32, [3, 2], [1, 0, 2, 3, 4, 5])], 'non-finite');
    });
  });

  it('nine rows and more take the tiled kernels: the float32 tiles, or the exact ones on request', () => {
    const before = { ...skinnyStats };
    const tiles = fastStats.tiles;
    const x = mx.ones([9, 20]);
    mx.eval(mx.matmul(x, mx.ones([20, 7]), mx.gpu));
    expect(fastStats.tiles).toBe(tiles + 1);
    gpuBackend!.exactMatmul = true;
    try {
      check([randSpec([9, 20], 23), randSpec([7, 20], 24, mx.float32, T)], '9 rows');
    } finally {
      gpuBackend!.exactMatmul = false;
    }
    expect(fastStats.tiles).toBe(tiles + 1);
    expect(skinnyStats).toEqual(before);
  });

  it('a Linear layer and its gradient on the GPU (grad of x @ W.T runs the skinny kernels)', () => {
    const x = mx.reshape(mx.array(new Float32Array(Array.from({ length: 2 * 48 }, (_, i) => Math.sin(i)))), [2, 48]);
    const W = mx.reshape(mx.array(new Float32Array(Array.from({ length: 5 * 48 }, (_, i) => Math.cos(i * 0.3)))), [5, 48]);
    const loss = (w: mx.MxArray) => mx.sum(mx.square(mx.matmul(x, mx.transpose(w))));
    const g = (d: mx.DeviceOrType) => {
      const prev = mx.defaultDevice();
      mx.setDefaultDevice(d);
      try {
        const r = mx.grad(loss)(W);
        mx.eval(r);
        return Array.from(r.toTypedArray() as Float32Array);
      } finally {
        mx.setDefaultDevice(prev);
      }
    };
    const cpu = g(mx.cpu);
    const gpu = g(mx.gpu);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(gpu[i]! - cpu[i]!), `element ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu[i]!)));
  });
});
