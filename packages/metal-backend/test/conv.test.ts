// Convolution on the GPU against the reference: 1/2/3-D, strides, asymmetric padding, kernel and
// input dilation, groups, flip, strided inputs, halves, and gradients (the vjp is built from
// Convolution itself, so the grads run on the GPU too), on both paths: the implicit GEMM in
// float32 tiles (the default) and the direct float-float kernel (`exactMatmul`). The values are
// multiples of 1/16 in [-2, 2), so every product and every partial sum here is exact in float32
// and both paths must equal the reference bit for bit: a wrong index can't hide in a bound.
// Then real-valued data against float64 convolutions on the CPU, within the float32 bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import type { ArraySpec } from '@mlx-ts/core/testing';
import { gpuBackend, noGpu, checkGpu, randSpec, rng } from './gpu-helpers.js';
import { fastStats } from '../src/matmul.js';

const rand = (shape: number[], seed: number, dtype: mx.Dtype = mx.float32, view: ArraySpec['view'] = []): ArraySpec =>
  randSpec(shape, seed, dtype, view, (r) => Math.fround(Math.round((r() - 0.5) * 64) / 16));

describe.skipIf(noGpu).each([
  ['float32 tiles', false],
  ['exact', true],
] as const)('webgpu convolution, %s', (_name, exact) => {
  beforeAll(() => {
    gpuBackend!.exactMatmul = exact;
  });
  afterAll(() => {
    gpuBackend!.exactMatmul = false;
  });

  it('runs on the path asked for', () => {
    const before = fastStats.tiles;
    mx.eval(mx.conv2d(mx.ones([1, 4, 4, 2]), mx.ones([3, 3, 3, 2]), 1, 1, 1, 1, mx.gpu));
    expect(fastStats.tiles - before).toBe(exact ? 0 : 1);
  });

  it('conv1d: stride, padding, dilation, groups', () => {
    checkGpu((x, w) => mx.conv1d(x, w), [rand([2, 9, 3], 1), rand([4, 3, 3], 2)], 'plain');
    checkGpu((x, w) => mx.conv1d(x, w, 2, 1, 2), [rand([1, 11, 4], 3), rand([2, 3, 4], 4)], 'stride 2, pad 1, dilation 2');
    checkGpu((x, w) => mx.conv1d(x, w, 1, 2, 1, 2), [rand([2, 7, 4], 5), rand([6, 3, 2], 6)], 'groups 2');
    checkGpu((x, w) => mx.conv1d(x, w, 1, 1, 1, 4), [rand([1, 6, 4], 27), rand([4, 3, 1], 28)], 'depthwise');
    checkGpu((x, w) => mx.conv1d(x, w), [rand([1, 3, 40], 29), rand([2, 1, 40], 30)], '1x1 kernel, 40 channels');
    checkGpu((x, w) => mx.conv1d(x, w, 3), [rand([1, 4, 1], 31), rand([1, 5, 1], 32)], 'kernel past the input: empty output');
  });

  it('conv2d and conv3d; asymmetric padding, input dilation and flip through convGeneral', () => {
    checkGpu((x, w) => mx.conv2d(x, w, [1, 2], [1, 0]), [rand([1, 6, 7, 3], 7), rand([5, 3, 2, 3], 8)], 'conv2d');
    checkGpu((x, w) => mx.conv3d(x, w, 1, 1), [rand([1, 4, 3, 5, 2], 9), rand([3, 2, 2, 3, 2], 10)], 'conv3d');
    checkGpu((x, w) => mx.convGeneral(x, w, [2, 1], [[1, 0], [0, 2]], [1, 2], [2, 1], 1, true), [rand([2, 5, 4, 2], 11), rand([3, 3, 2, 2], 12)], 'general');
  });

  it('transposed convolution, strided inputs, halves', () => {
    checkGpu((x, w) => mx.convTranspose2d(x, w, 2, 1), [rand([1, 4, 3, 2], 13), rand([3, 3, 3, 2], 14)], 'convTranspose2d');
    const xT = rand([2, 8, 3], 15, mx.float32, [{ kind: 'transpose', axes: [0, 1, 2] }, { kind: 'slice', start: [0, 1, 0], stop: [2, 8, 3], step: [1, 1, 1] }]);
    checkGpu((x, w) => mx.conv1d(x, w), [xT, rand([2, 3, 3], 16, mx.float32, [])], 'sliced input');
    const wT = rand([3, 2, 4], 17, mx.float32, [{ kind: 'transpose', axes: [2, 1, 0] }]); // (4, 2, 3)
    checkGpu((x, w) => mx.conv1d(x, w), [rand([1, 6, 3], 18), wT], 'transposed weight');
    checkGpu((x, w) => mx.conv2d(x, w, 1, 1), [rand([1, 4, 4, 2], 19, mx.float16), rand([2, 3, 3, 2], 20, mx.float16)], 'float16');
    checkGpu((x, w) => mx.conv1d(x, w), [rand([1, 5, 2], 21, mx.bfloat16), rand([2, 2, 2], 22, mx.bfloat16)], 'bfloat16');
  });

  it('gradients run on the GPU (and under compile)', () => {
    const loss = (x: mx.MxArray, w: mx.MxArray) => mx.sum(mx.square(mx.conv2d(x, w, [2, 1], [1, 1], 1, 1)));
    const grads = (x: mx.MxArray, w: mx.MxArray) => mx.grad(loss, [0, 1])(x, w) as mx.MxArray[];
    checkGpu(grads, [rand([2, 5, 4, 2], 23), rand([3, 3, 2, 2], 24)], 'grad x and w', 1);
    checkGpu(mx.compile(grads), [rand([2, 5, 4, 2], 25), rand([3, 3, 2, 2], 26)], 'compiled grad', 1);
    const grouped = (x: mx.MxArray, w: mx.MxArray) => mx.grad((a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.square(mx.conv1d(a, b, 2, 1, 1, 2))), [0, 1])(x, w) as mx.MxArray[];
    checkGpu(grouped, [rand([2, 7, 4], 33), rand([4, 3, 2], 34)], 'grad with groups and stride', 1);
  });

  it('float64 raises', () => {
    const x = mx.zeros([1, 3, 1], mx.float64, mx.cpu);
    const w = mx.zeros([1, 1, 1], mx.float64, mx.cpu);
    expect(gpuBackend).toBeTruthy();
    expect(() => mx.conv1d(x, w, 1, 0, 1, 1, mx.gpu).tolist()).toThrow(/float64 is not supported on the GPU/);
  });
});

describe.skipIf(noGpu)('webgpu convolution, float32 tiles on real-valued data', () => {
  const real = (shape: number[], seed: number): mx.MxArray => {
    const r = rng(seed);
    return mx.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround((r() - 0.5) * 4)), mx.float32).reshape(shape);
  };
  it('within (K + 2) 2^-24 sum|x w| of float64 convolutions (K = taps x channels of a group)', () => {
    const cases: [string, number[], number[], (x: mx.MxArray, w: mx.MxArray, s?: mx.DeviceOrType) => mx.MxArray][] = [
      ['conv2d stride 2, pad 1', [2, 9, 11, 6], [8, 3, 3, 6], (x, w, s) => mx.conv2d(x, w, 2, 1, 1, 1, s)],
      ['conv2d groups 2, dilation 2', [1, 10, 9, 8], [6, 3, 2, 4], (x, w, s) => mx.conv2d(x, w, 1, [2, 1], [2, 1], 2, s)],
      ['conv1d 70 channels, 5 taps', [3, 20, 70], [9, 5, 70], (x, w, s) => mx.conv1d(x, w, 1, 2, 1, 1, s)],
      ['convTranspose2d, output padding 1', [1, 5, 6, 4], [3, 3, 3, 4], (x, w, s) => mx.convTranspose2d(x, w, 2, 1, 1, 1, 1, s)],
    ];
    for (const [label, xs, ws, conv] of cases) {
      const x = real(xs, xs.length * 7 + ws[0]!);
      const w = real(ws, ws[0]! * 3 + 1);
      const K = (ws.slice(1).reduce((a, b) => a * b, 1));
      const before = fastStats.tiles;
      const got = conv(x, w, mx.gpu);
      mx.eval(got);
      expect(fastStats.tiles, label).toBeGreaterThan(before);
      const g = got.toTypedArray() as Float32Array;
      const x64 = x.astype(mx.float64, mx.cpu);
      const w64 = w.astype(mx.float64, mx.cpu);
      const exact = conv(x64, w64, mx.cpu).toTypedArray() as Float64Array;
      const sAbs = conv(mx.abs(x64, mx.cpu), mx.abs(w64, mx.cpu), mx.cpu).toTypedArray() as Float64Array;
      expect(g.length, label).toBe(exact.length);
      for (let i = 0; i < g.length; i++) {
        const bound = (K + 2) * 2 ** -24 * sAbs[i]! * (1 + 2 ** -20) + 2 ** -140;
        if (!(Math.abs(g[i]! - exact[i]!) <= bound)) throw new Error(`${label}: element ${i}: got ${g[i]}, float64 ${exact[i]}, bound ${bound}`);
      }
    }
  });
});
