// Matmul on the GPU against the reference, on the exact path (`backend.exactMatmul`; the
// default float32 tiles are matmul-fast.test.ts's): tile edges (sizes not multiples of 16), K
// longer than a tile, transposed and sliced operands, broadcast batches, vectors. The
// float-float dot products round as the reference's double ones (exact here; 1 ulp at near-ties).
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { gpuBackend, noGpu, rng, spec } from './gpu-helpers.js';

const mm = (a: mx.MxArray, b: mx.MxArray) => mx.matmul(a, b);
const check = (inputs: ArraySpec[], label: string, op: (...xs: mx.MxArray[]) => mx.MxArray = mm) => compareBackends(op, inputs, { backends: ['reference', 'webgpu'], label });

function rand(shape: number[], seed: number, view: ArraySpec['view'] = []): ArraySpec {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return spec(mx.float32, shape, Array.from({ length: n }, () => Math.fround((r() - 0.5) * 4)), view);
}

describe.skipIf(noGpu)('webgpu matmul', () => {
  beforeAll(() => {
    gpuBackend!.exactMatmul = true;
  });
  afterAll(() => {
    gpuBackend!.exactMatmul = false;
  });

  it('tile edges and a K longer than a tile', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 3],
      [16, 16, 16],
      [17, 33, 18],
      [3, 70, 2],
    ] as const) {
      check([rand([m, k], m * 7 + k), rand([k, n], n * 13 + k)], `${m}x${k} @ ${k}x${n}`);
    }
  });

  it('transposed, sliced and offset operands read in place', () => {
    const aT = rand([9, 6], 1, [{ kind: 'transpose', axes: [1, 0] }]); // 6x9
    const bT = rand([5, 9], 2, [{ kind: 'transpose', axes: [1, 0] }]); // 9x5
    check([aT, bT], 'aT @ bT');
    const aS = rand([6, 20], 3, [{ kind: 'slice', start: [0, 1], stop: [6, 19], step: [1, 2] }]); // 6x9
    check([aS, rand([9, 4], 4)], 'sliced a');
  });

  it('batched, with broadcast batch dims, and vectors', () => {
    check([rand([2, 3, 5, 4], 5), rand([2, 3, 4, 6], 6)], 'batch 2x3');
    check([rand([3, 5, 4], 7), rand([4, 6], 8)], 'b broadcast over the batch');
    check([rand([1, 5, 4], 9, [{ kind: 'broadcast', shape: [3, 5, 4] }]), rand([3, 4, 2], 10)], 'a broadcast');
    check([rand([7], 11), rand([7, 3], 12)], 'vector @ matrix');
    check([rand([4, 7], 13), rand([7], 14)], 'matrix @ vector');
  });

  it('cancellation: dot products of large opposite terms round as the double sum does', () => {
    const a = spec(mx.float32, [2, 4], [1e8, 1, -1e8, 3e-3, 1, 1e-8, 1, -1]);
    const b = spec(mx.float32, [4, 1], [1, 1, 1, 1]);
    check([a, b], 'cancellation');
  });

  it('addmm: alpha (a @ b) + beta c with one rounding, c broadcast, halves', () => {
    const add = (alpha: number, beta: number) => (c: mx.MxArray, a: mx.MxArray, b: mx.MxArray) => mx.addmm(c, a, b, alpha, beta);
    check([rand([5, 3], 20), rand([5, 7], 21), rand([7, 3], 22)], 'addmm 1, 1', add(1, 1));
    check([rand([3], 23), rand([2, 5, 7], 24), rand([2, 7, 3], 25)], 'addmm broadcast c, 0.1 and -2.5', add(0.1, -2.5));
    const h = (shape: number[], seed: number) => {
      const x = rand(shape, seed);
      return { ...x, dtype: mx.float16, units: x.units.map((v) => [0x3c00, 0xbc00, 0x3800, 0x4200, 0x2e66][Math.abs(Math.floor(Number(v) * 10)) % 5]!) };
    };
    check([h([4, 2], 26), h([4, 6], 27), h([6, 2], 28)], 'addmm float16', add(0.5, 2));
  });

  it('non-finite values: inf and NaN propagate', () => {
    const a = spec(mx.float32, [2, 3], [Infinity, 1, 2, NaN, 0, 1]);
    const b = spec(mx.float32, [3, 2], [1, 0, 2, 3, -Infinity, 1]);
    check([a, b], 'non-finite');
  });
});
