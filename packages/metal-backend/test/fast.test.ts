// mx.fast on the GPU: rmsNorm, layerNorm, rope and attention run the GPU's fused kernels
// (fast-fused.test.ts tests them closely), softmax its composition. Compared with the
// reference's fused kernels, whose meaning is that composition: within 4 ulp on these inputs.
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray;
const check = (op: AnyOp, inputs: ArraySpec[], ulp: number, label: string) =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], ulp, label });
const rand = (shape: number[], seed: number, scale = 2, shift = 0.5): ArraySpec => {
  const r = rng(seed);
  return spec(mx.float32, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround((r() - shift) * scale)));
};

describe.skipIf(noGpu)('webgpu mx.fast', () => {
  it('rmsNorm, layerNorm, rope, softmax, scaled dot-product attention', () => {
    const x = rand([2, 3, 8], 1);
    check((a, w) => mx.fast.rmsNorm(a, w, 1e-5), [x, rand([8], 2)], 4, 'rmsNorm');
    check((a, w, b) => mx.fast.layerNorm(a, w, b, 1e-5), [x, rand([8], 3), rand([8], 4)], 4, 'layerNorm');
    check((a) => mx.fast.rope(a, 8, false, 10000, 1, 3), [x], 4, 'rope');
    check((a) => mx.softmax(a, -1), [x], 4, 'softmax');
    const q = rand([1, 2, 4, 8], 5);
    const k = rand([1, 2, 6, 8], 6);
    // positive values: the outputs are convex combinations, with no cancellation to make
    // ulps meaningless
    const v = rand([1, 2, 6, 8], 7, 2, 0);
    check((a, b, c) => mx.fast.scaledDotProductAttention(a, b, c, 0.35), [q, k, v], 4, 'sdpa');
  });
});
