// Scatter (indexPut_, at[].add/multiply/maximum/minimum) and ScatterAxis (putAlongAxis) on the
// GPU against the reference: duplicates applied in order (the last write wins; reductions
// accumulate with per-step rounding), every GPU dtype, strided destinations and updates, NaN
// in max/min, and the reference's RangeError for an index out of range.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray;
const check = (op: AnyOp, inputs: ArraySpec[], label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], label });

const dtypes = [mx.float32, mx.int32, mx.uint8, mx.int16, mx.bool, mx.float16];
function gen(d: mx.Dtype, seed: number): (i: number) => number {
  const r = rng(seed);
  if (d === mx.float16) return () => [0x3c00, 0x4000, 0xc200, 0x3800, 0x7e00][Math.floor(r() * 5)]!;
  if (d === mx.bool) return () => (r() < 0.5 ? 1 : 0);
  if (d === mx.float32) return (i) => (i === 5 ? NaN : Math.fround(r() * 6 - 3));
  return () => Math.floor(r() * 9);
}

describe.skipIf(noGpu)('webgpu scatter', () => {
  it('indexPut_ and at[] reductions with duplicate indices, every dtype, strided operands', () => {
    const idx = spec(mx.int32, [5], [1, -1, 1, 0, 2]);
    for (const d of dtypes) {
      const [, x] = layouts(d, gen(d, 1)); // [3, 4] transposed
      const u = spec(d, [5, 4], Array.from({ length: 20 }, gen(d, 2)));
      check((a, i, v) => a.indexPut_(i, v), [x!, idx, u], `indexPut_ ${d.name}`);
      if (d === mx.bool) continue;
      check((a, i, v) => a.at(i).add(v), [x!, idx, u], `at.add ${d.name}`);
      check((a, i, v) => a.at(i).multiply(v), [x!, idx, u], `at.multiply ${d.name}`);
      check((a, i, v) => a.at(i).maximum(v), [x!, idx, u], `at.maximum ${d.name}`);
      check((a, i, v) => a.at(i).minimum(v), [x!, idx, u], `at.minimum ${d.name}`);
    }
  });

  it('putAlongAxis and the gradient of takeAlongAxis (a scatter-add)', () => {
    for (const d of [mx.float32, mx.int8, mx.bfloat16]) {
      const x = spec(d, [3, 4], Array.from({ length: 12 }, gen(d === mx.bfloat16 ? mx.int16 : d, 3)));
      const i = spec(mx.int32, [3, 2], [0, 3, -1, 1, 2, 2]);
      const v = spec(d, [3, 2], Array.from({ length: 6 }, gen(d === mx.bfloat16 ? mx.int16 : d, 4)));
      check((a, j, w) => mx.putAlongAxis(a, j, w, 1), [x, i, v], `putAlongAxis ${d.name}`);
    }
    const x = spec(mx.float32, [3, 4], Array.from({ length: 12 }, gen(mx.float32, 5)));
    const i = spec(mx.int32, [3, 3], [0, 0, 1, 3, 3, 3, 2, 1, 0]);
    check((a, j) => mx.grad((y: mx.MxArray) => mx.sum(mx.takeAlongAxis(y, j, 1)))(a), [x, i], 'grad of takeAlongAxis');
  });

  it('boolean-mask indexPut_ (MaskedScatter): rows of values in mask order, every dtype', () => {
    for (const d of [mx.float32, mx.int8, mx.bool, mx.float16]) {
      const [, x] = layouts(d, gen(d, 7)); // [3, 4] transposed
      const m = spec(mx.bool, [3, 4], [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
      check((a, k, v) => a.indexPut_(k, v), [x!, m, spec(d, [6], Array.from({ length: 6 }, gen(d, 8)))], `mask ${d.name}`);
      const rowMask = spec(mx.bool, [3], [1, 0, 1]);
      check((a, k, v) => a.indexPut_(k, v), [x!, rowMask, spec(d, [2, 4], Array.from({ length: 8 }, gen(d, 9)))], `row mask ${d.name}`);
    }
  });

  it('an index out of range raises the reference RangeError on the next read', () => {
    const x = mx.zeros([3], mx.float32);
    expect(() => mx.putAlongAxis(x, mx.array([5], mx.int32), mx.array([1], mx.float32), 0, mx.gpu).tolist()).toThrow(
      '[put_along_axis] index 5 is out of bounds for axis 0 with size 3.',
    );
    expect(() => mx.takeAlongAxis(x, mx.array([-4], mx.int32), 0, mx.gpu).tolist()).toThrow('[take_along_axis] index -4 is out of bounds for axis 0 with size 3.');
    mx.setDefaultDevice(mx.gpu);
    try {
      const y = mx.zeros([3]);
      expect(() => y.indexPut_(mx.array([true, true, true]), mx.array([1, 2], mx.float32)).tolist()).toThrow(
        '[masked_scatter] The mask selects more than the 2 rows of values given.',
      );
    } finally {
      mx.setDefaultDevice(mx.cpu);
    }
  });
});
