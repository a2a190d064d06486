// The FFT primitive on the GPU against the reference backend (float64 transforms rounded once).
// The GPU rounds once per transformed axis (float-float sums of float-float twiddle products in
// between), so the bound is on the whole result: max |gpu - ref| <= (passes + 1) 2^-24 ‖ref‖₂
// (no log n factor). Checked on every length 1..70, powers of two up to 16384 (Stockham passes
// from 32 on), other lengths up to 3001 (Bluestein from 97 on), inverse scaling,
// real transforms with even and odd outputs, several axes, strided inputs.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, materialize, readHost, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';

type Op = (x: mx.MxArray) => mx.MxArray;

/** The op on the reference backend and on the GPU, and the stated bound between them. */
function checkFft(op: Op, input: ArraySpec, passes: number, label: string): void {
  const prev = mx.cpuBackendName();
  mx.setCpuBackend('reference');
  let ref: number[];
  let refShape: number[];
  try {
    const r = op(materialize(input));
    mx.eval(r);
    const h = readHost(r);
    ref = Array.from(h.units as ArrayLike<number>, Number);
    refShape = [...h.shape];
    const x = materialize(input);
    mx.eval(x);
    mx.setDefaultDevice(mx.gpu);
    let gpu: number[];
    let gpuShape: number[];
    try {
      const g = op(x);
      mx.eval(g);
      const hg = readHost(g);
      expect(hg.dtype).toBe(h.dtype);
      gpu = Array.from(hg.units as ArrayLike<number>, Number);
      gpuShape = [...hg.shape];
    } finally {
      mx.setDefaultDevice(mx.cpu);
    }
    expect(gpuShape, label).toEqual(refShape);
    const norm = Math.sqrt(ref.reduce((s, v) => s + v * v, 0));
    const bound = (passes + 1) * 2 ** -24 * norm + 1e-30;
    let worst = 0;
    ref.forEach((v, i) => {
      expect(Number.isFinite(gpu[i]!), `${label}: element ${i} is ${gpu[i]}`).toBe(true);
      worst = Math.max(worst, Math.abs(gpu[i]! - v));
    });
    expect(worst, `${label}: max error ${worst} against the bound ${bound}`).toBeLessThanOrEqual(bound);
  } finally {
    mx.setCpuBackend(prev);
  }
}

/** Random values in [-1, 1) (complex: two lanes per element). */
function values(dtype: mx.Dtype, shape: number[], seed: number): ArraySpec {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1) * dtype.lanes;
  return spec(dtype, shape, Array.from({ length: n }, () => Math.fround(2 * r() - 1)));
}

describe.skipIf(noGpu)('webgpu FFT', () => {
  it('fft and ifft along the last axis: every length 1..70 and powers of two to 512', () => {
    const lengths = [...Array.from({ length: 70 }, (_, i) => i + 1), 128, 256, 512];
    for (const n of lengths) {
      const x = values(mx.complex64, [2, n], n);
      checkFft((a) => mx.fft.fft(a), x, 1, `fft n=${n}`);
      if (n % 7 === 1 || n > 64) checkFft((a) => mx.fft.ifft(a), x, 1, `ifft n=${n}`);
    }
  });

  it('long powers of two (Stockham radix-2 passes)', () => {
    for (const n of [2048, 16384]) {
      checkFft((a) => mx.fft.fft(a), values(mx.complex64, [1, n], 300 + n), 1, `fft n=${n}`);
      checkFft((a) => mx.fft.irfft(a, n), values(mx.complex64, [1, n / 2 + 1], 400 + n), 1, `irfft n=${n}`);
    }
    checkFft((a) => mx.fft.rfft2(a), values(mx.float32, [64, 128], 5), 2, 'rfft2 64x128');
  });

  it("other lengths past 96 (Bluestein's chirp-z through the radix-2 passes)", () => {
    for (const n of [97, 100, 127, 1000, 3001]) {
      checkFft((a) => mx.fft.fft(a), values(mx.complex64, [2, n], 500 + n), 1, `fft n=${n}`);
      checkFft((a) => mx.fft.ifft(a), values(mx.complex64, [1, n], 600 + n), 1, `ifft n=${n}`);
      checkFft((a) => mx.fft.rfft(a), values(mx.float32, [2, n], 700 + n), 1, `rfft n=${n}`);
      checkFft((a) => mx.fft.irfft(a, n), values(mx.complex64, [1, Math.floor(n / 2) + 1], 800 + n), 1, `irfft n=${n}`);
    }
    checkFft((a) => mx.fft.fft2(a), values(mx.complex64, [3, 99, 4], 9), 2, 'fft2 with a Bluestein axis');
    checkFft((a) => mx.fft.fft(a, null, 0), values(mx.complex64, [101, 3], 10), 1, 'Bluestein along axis 0');
  });

  it('rfft (n/2 + 1 bins) and irfft with even and odd outputs', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 64, 100]) {
      checkFft((a) => mx.fft.rfft(a), values(mx.float32, [3, n], 100 + n), 1, `rfft n=${n}`);
      const bins = Math.floor(n / 2) + 1;
      checkFft((a) => mx.fft.irfft(a, n), values(mx.complex64, [2, bins], 200 + n), 1, `irfft n=${n}`);
    }
    // irfft's default length is even: 2(m - 1)
    checkFft((a) => mx.fft.irfft(a), values(mx.complex64, [2, 9], 7), 1, 'irfft default n');
    // cropping and zero padding along the axis (the op slices or pads before the primitive)
    checkFft((a) => mx.fft.fft(a, 12), values(mx.complex64, [2, 9], 8), 1, 'fft padded');
    checkFft((a) => mx.fft.rfft(a, 6), values(mx.float32, [2, 9], 9), 1, 'rfft cropped');
  });

  it('any axis, strided inputs, and several axes in one primitive (fft2, fftn, rfftn, irfftn)', () => {
    const x3 = values(mx.complex64, [5, 6, 7], 11);
    checkFft((a) => mx.fft.fft(a, null, 0), x3, 1, 'fft axis 0');
    checkFft((a) => mx.fft.ifft(a, null, 1), x3, 1, 'ifft axis 1');
    checkFft((a) => mx.fft.fft(mx.transpose(a, [2, 0, 1]), null, 1), x3, 1, 'fft of a transposed view');
    checkFft((a) => mx.fft.fft2(a), x3, 2, 'fft2');
    checkFft((a) => mx.fft.ifft2(a), x3, 2, 'ifft2');
    checkFft((a) => mx.fft.fftn(a), x3, 3, 'fftn');
    checkFft((a) => mx.fft.ifftn(a, null, [0, 2]), x3, 2, 'ifftn axes 0, 2');
    const r3 = values(mx.float32, [4, 6, 5], 12);
    checkFft((a) => mx.fft.rfftn(a), r3, 3, 'rfftn');
    checkFft((a) => mx.fft.rfft2(a), r3, 2, 'rfft2');
    checkFft((a) => mx.fft.irfftn(a, [4, 6, 9], [0, 1, 2]), values(mx.complex64, [4, 6, 5], 13), 3, 'irfftn odd last');
    checkFft((a) => mx.fft.irfft2(a), values(mx.complex64, [3, 4, 5], 14), 2, 'irfft2');
    checkFft((a) => mx.fft.fft(a, null, 1), { ...values(mx.complex64, [4, 9], 15), view: [{ kind: 'slice', start: [0, 1], stop: [4, 9], step: [1, 2] }] }, 1, 'fft of a sliced view');
  });

  it('exact where every product is exact (an impulse at 0), and the norm options', () => {
    const imp = spec(mx.complex64, [2, 7], [1, 0, ...Array(12).fill(0), -2.5, 0.75, ...Array(12).fill(0)]);
    compareBackends((a) => mx.fft.fft(a), [imp], { backends: ['reference', 'webgpu'], label: 'impulse' });
    // (the inverse's zeros may differ in sign: the reference's depends on its butterflies)
    checkFft((a) => mx.fft.ifft(a), imp, 1, 'impulse, inverse');
    checkFft((a) => mx.fft.fft(a, null, -1, 'ortho'), values(mx.complex64, [2, 10], 16), 1, 'ortho');
    checkFft((a) => mx.fft.ifft(a, null, -1, 'forward'), values(mx.complex64, [2, 10], 17), 1, 'forward norm');
  });
});
