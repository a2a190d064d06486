// FFT: the discrete Fourier transform over `axes` (MLX's FFT primitive). Forward or inverse
// (the inverse divides by the transformed size), complex or real: a real forward transform
// reads float32 and keeps the n/2 + 1 non-negative frequencies of the last axis in `axes`; a
// real inverse writes float32 of length 2(m - 1) + oddOut along it (oddOut as MLX keeps it:
// the output length isn't recoverable from the input's). The rules are MLX's
// (mlx/primitives.cpp, FFT::vjp/jvp/vmap), except that the jvp of an odd-length irfft keeps
// that length (MLX's jvp infers an even one).
import { MxArray, makeArray } from '../array.js';
import { definePrimitive, Primitive } from '../primitive.js';
import { complex64, float32 } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { fftn, ifftn, rfftn, irfftn } from '../ops/fft.js';
import { astype, reshape } from '../ops/views.js';
import { multiply } from '../ops/elementwise.js';

export type FFTParams = { axes: number[]; inverse: boolean; real: boolean; oddOut: boolean };

/** The FFT node over an input already of the primitive's dtype (float32 for rfft, else complex64). */
export function fftNode(x: MxArray, axes: number[], inverse: boolean, real: boolean, oddOut: boolean, s?: StreamOrDevice): MxArray {
  const shape = [...x._shape];
  if (real) {
    const last = axes[axes.length - 1]!;
    const m = shape[last]!;
    shape[last] = inverse ? 2 * (m - 1) + (oddOut ? 1 : 0) : Math.floor(m / 2) + 1;
  }
  const dtype = real && inverse ? float32 : complex64;
  return makeArray(shape, dtype, new Primitive(FFT, { axes, inverse, real, oddOut }), [x], s);
}

/** Weights along `axis` (broadcastable to ndim dims, complex64): `inner` for 0 < k < last, else `edge`. */
function edgeMask(ndim: number, axis: number, n: number, last: number, edge: number, inner: number): MxArray {
  const v = new Float32Array(n);
  for (let k = 0; k < n; k++) v[k] = k > 0 && k < last ? inner : edge;
  const shape = Array.from({ length: ndim }, (_, i) => (i === axis ? n : 1));
  return astype(reshape(new MxArray(v), shape), complex64);
}

export const FFT = definePrimitive<FFTParams>({
  name: 'FFT',
  describe: (p) => `axes=[${p.axes.join(', ')}] inverse=${p.inverse} real=${p.real}${p.oddOut ? ' oddOut' : ''}`,
  vjp: ({ axes, inverse, real }, [x], [cot]) => {
    const input = x!;
    const c = cot!;
    const last = axes[axes.length - 1]!;
    let nElements = 1;
    for (const ax of axes) nElements *= (inverse ? c : input)._shape[ax]!;
    if (real && inverse) {
      // irfft used every bin but DC and Nyquist twice (once mirrored)
      const N = input._shape[last]!;
      const odd = c._shape[last]! % 2;
      const mask = edgeMask(input.ndim, last, N, N - 1 + odd, 1 / nElements, 2 / nElements);
      return [multiply(rfftn(c, undefined, axes), mask)];
    }
    if (real) {
      // rfft's bins but DC and Nyquist stand for two conjugate bins each: halve them
      const n = axes.map((ax) => input._shape[ax]!);
      const N = c._shape[last]!;
      const odd = input._shape[last]! % 2;
      const mask = edgeMask(input.ndim, last, N, N - 1 + odd, 1, 0.5);
      return [multiply(irfftn(multiply(c, mask), n, axes), new MxArray(nElements, input._dtype))];
    }
    if (inverse) return [multiply(fftn(c, undefined, axes), new MxArray(1 / nElements, complex64))];
    return [multiply(ifftn(c, undefined, axes), new MxArray(nElements, complex64))];
  },
  jvp: ({ axes, inverse, real, oddOut }, [x], [t]) => {
    const tan = t!;
    if (real && inverse) {
      const n = axes.map((ax) => x!._shape[ax]!);
      n[n.length - 1] = 2 * (n[n.length - 1]! - 1) + (oddOut ? 1 : 0);
      return [irfftn(tan, n, axes)];
    }
    const op = real ? rfftn : inverse ? ifftn : fftn;
    return [op(tan, undefined, axes)];
  },
  vmap: ({ axes, inverse, real, oddOut }, [x], [ax]) => {
    const a = ax!;
    const shifted = a >= 0 ? axes.map((d) => (d >= a ? d + 1 : d)) : axes;
    return [[fftNode(x!, shifted, inverse, real, oddOut)], [a]];
  },
});
