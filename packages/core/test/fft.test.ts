// mx.fft: values against a float64 O(n²) DFT for every length up to 70 and long/prime ones,
// exact small cases, Parseval, inverse round trips, n/s/axes/norm handling, dtypes, errors,
// strided inputs, fftshift/fftfreq, stft/istft, and the FFT primitive's vjp/jvp/vmap rules
// (finite differences: the transforms are linear, so differences of quadratic losses are
// exact up to rounding), under compile too.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

type C = { re: number; im: number };

function rng(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values in [-1, 1) rounded to float32, so the float64 reference sees what the arrays hold. */
function randn(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround(r() * 2 - 1));
}

function complexArray(re: number[], im: number[], shape?: number[]): mx.MxArray {
  const a = mx.array(re.map((x, i) => mx.Complex(x, im[i]!)), mx.complex64);
  return shape ? a.reshape(shape) : a;
}

/** Naive DFT in float64: sign -1 forward, +1 inverse (unscaled). */
function dft(re: number[], im: number[], sign: number): [number[], number[]] {
  const n = re.length;
  const or = new Array<number>(n).fill(0), oi = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const t = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(t), s = Math.sin(t);
      or[k]! += re[j]! * c - im[j]! * s;
      oi[k]! += re[j]! * s + im[j]! * c;
    }
  }
  return [or, oi];
}

function parts(a: mx.MxArray): [number[], number[]] {
  const l = mx.reshape(a, [-1]).tolist() as (C | number)[];
  return [l.map((v) => (typeof v === 'number' ? v : v.re)), l.map((v) => (typeof v === 'number' ? 0 : v.im))];
}

/** max |got - want| over the largest |want| (at least 1): the norm-wise error of a transform. */
function relErr(got: [number[], number[]], want: [number[], number[]]): number {
  let err = 0, big = 1;
  want[0].forEach((w, i) => {
    err = Math.max(err, Math.hypot(got[0][i]! - w, got[1][i]! - want[1][i]!));
    big = Math.max(big, Math.hypot(w, want[1][i]!));
  });
  return err / big;
}

const close = (a: mx.MxArray, b: mx.MxArray, tol = 2e-6): void => {
  expect(a.shape).toEqual(b.shape);
  expect(relErr(parts(a), parts(b))).toBeLessThanOrEqual(tol);
};

describe('fft values', () => {
  it('exact small cases (node-mlx spec values, irfft of a DC/Nyquist spectrum)', () => {
    expect(mx.fft.fft(mx.array([0, 1, 2, 3])).tolist()).toEqual([mx.Complex(6, 0), mx.Complex(-2, 2), mx.Complex(-2, 0), mx.Complex(-2, -2)].map((c) => ({ re: c.re, im: c.im })));
    expect(mx.fft.fft(mx.array([0, 1, 2, 3])).astype(mx.float32).tolist()).toEqual([6, -2, -2, -2]);
    expect(mx.fft.ifft(mx.array([0, 1, 2, 3])).astype(mx.float32).tolist()).toEqual([1.5, -0.5, -0.5, -0.5]);
    expect(mx.fft.fft2(mx.array([[1, 2], [3, 4]])).astype(mx.float32).tolist()).toEqual([[10, -2], [-4, 0]]);
    expect(mx.fft.ifft2(mx.array([[1, 2], [3, 4]])).astype(mx.float32).tolist()).toEqual([[2.5, -0.5], [-1, 0]]);
    expect(mx.fft.rfft(mx.array([0, 1, 2, 3])).astype(mx.float32).tolist()).toEqual([6, -2, -2]);
    expect(mx.fft.irfft(mx.array([0, 1, 2])).tolist()).toEqual([1, -0.5, 0, -0.5]);
    expect(mx.fft.rfftn(mx.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).astype(mx.float32).tolist()).toEqual([[[36, -4], [-8, 0]], [[-16, 0], [0, 0]]]);
    expect(mx.fft.irfftn(mx.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).tolist()).toEqual([[[4.5, -0.5], [-1, 0]], [[-2, 0], [0, 0]]]);
    // quarter-turn twiddles are exact: no 1e-17 residue where the answer is 0
    expect(mx.fft.fft(mx.array([1, 0, -1, 0, 1, 0, -1, 0])).astype(mx.float32).tolist()).toEqual([0, 0, 4, 0, 0, 0, 4, 0]);
  });

  it('every length 1..70 and long/prime lengths match a float64 DFT to float32 rounding', () => {
    const ns = [...Array.from({ length: 70 }, (_, i) => i + 1), 97, 127, 128, 210, 256, 331, 509, 1000, 1009];
    for (const n of ns) {
      const re = randn(n, n), im = randn(n, n + 1000);
      const x = complexArray(re, im);
      const want = dft(re, im, -1);
      const got = parts(mx.fft.fft(x));
      expect(relErr(got, want), `fft n=${n}`).toBeLessThan(1e-6);
      const inv = dft(re, im, 1).map((v) => v.map((t) => t / n)) as [number[], number[]];
      expect(relErr(parts(mx.fft.ifft(x)), inv), `ifft n=${n}`).toBeLessThan(1e-6);
      const r = parts(mx.fft.rfft(mx.array(re)));
      const full = dft(re, re.map(() => 0), -1);
      const half = Math.floor(n / 2) + 1;
      expect(relErr(r, [full[0].slice(0, half), full[1].slice(0, half)]), `rfft n=${n}`).toBeLessThan(1e-6);
    }
  });

  it('Parseval: sum |x|^2 = sum |X|^2 / n, and the ortho norm is unitary', () => {
    for (const n of [5, 16, 37, 100]) {
      const x = complexArray(randn(n, 1), randn(n, 2));
      const e = (a: mx.MxArray) => mx.sum(mx.square(mx.abs(a))).item() as number;
      expect(e(mx.fft.fft(x)) / n).toBeCloseTo(e(x), 4);
      expect(e(mx.fft.fft(x, null, -1, 'ortho'))).toBeCloseTo(e(x), 4);
      expect(e(mx.fft.ifft(x, null, -1, 'ortho'))).toBeCloseTo(e(x), 4);
      close(mx.fft.fft(x, null, -1, 'forward'), mx.divide(mx.fft.fft(x), n));
      close(mx.fft.ifft(x, null, -1, 'forward'), mx.multiply(mx.fft.ifft(x), n));
    }
  });

  it('inverse round trips: ifft(fft), irfft(rfft) for odd and even n, ifftn(fftn), irfftn(rfftn)', () => {
    for (const n of [1, 2, 7, 8, 33, 64]) {
      const x = mx.array(randn(3 * n, n)).reshape([3, n]);
      close(mx.real(mx.fft.ifft(mx.fft.fft(x))), x);
      close(mx.fft.irfft(mx.fft.rfft(x), n), x);
      close(mx.fft.irfft(mx.fft.rfft(x, null, 0), 3, 0), x);
      close(mx.fft.irfftn(mx.fft.rfftn(x), x.shape, [0, 1]), x);
      close(mx.real(mx.fft.ifft2(mx.fft.fft2(x))), x);
      close(mx.real(mx.fft.ifftn(mx.fft.fftn(x))), x);
    }
  });

  it('n-d transforms are the 1-d ones along each axis; axes order and negatives', () => {
    const x = complexArray(randn(60, 3), randn(60, 4), [3, 4, 5]);
    const seq = mx.fft.fft(mx.fft.fft(x, null, 0), null, 2);
    close(mx.fft.fftn(x, null, [0, 2]), seq);
    close(mx.fft.fftn(x, null, [2, -3]), seq);
    close(mx.fft.fft2(x, null, [0, 2]), seq);
    close(mx.fft.fftn(x), mx.fft.fft(mx.fft.fft(mx.fft.fft(x, null, 0), null, 1), null, 2));
    close(mx.fft.fft2(x), mx.fft.fft(mx.fft.fft(x, null, 1), null, 2));
    // rfftn: the real transform along the last of the axes, then complex ones
    const r = mx.array(randn(60, 5)).reshape([3, 4, 5]);
    close(mx.fft.rfftn(r, null, [2, 0]), mx.fft.fft(mx.fft.rfft(r, null, 0), null, 2));
    // irfftn: complex inverse transforms first, the real one last
    const spec = mx.fft.rfftn(r);
    expect(() => mx.fft.irfftn(spec, [3, 4, 5])).toThrow('`axes` should not be `None`');
    close(mx.fft.irfftn(spec, [3, 4, 5], [0, 1, 2]), mx.fft.irfft(mx.fft.ifft(mx.fft.ifft(spec, null, 0), null, 1), 5, 2));
  });

  it('n and s crop or zero-pad the input first; irfft reads n/2 + 1 bins', () => {
    const v = mx.array(randn(6, 9));
    close(mx.fft.fft(v, 4), mx.fft.fft(v.index(mx.Slice(0, 4))));
    close(mx.fft.fft(v, 9), mx.fft.fft(mx.pad(v, [[0, 3]])));
    close(mx.fft.rfft(v, 11), mx.fft.rfft(mx.pad(v, [[0, 5]])));
    const m = mx.array(randn(12, 10)).reshape([3, 4]);
    close(mx.fft.fft2(m, [5, 2]), mx.fft.fft2(mx.pad(m, [[0, 2], [0, 0]]).index(mx.Slice(), mx.Slice(0, 2))));
    const c = complexArray(randn(4, 1), randn(4, 2));
    expect(mx.fft.irfft(c).shape).toEqual([6]);
    expect(mx.fft.irfft(c, 7).shape).toEqual([7]);
    close(mx.fft.irfft(c, 3), mx.fft.irfft(c.index(mx.Slice(0, 2)), 3));
    close(mx.fft.irfft(c, 11), mx.fft.irfft(mx.pad(c, [[0, 2]]), 11));
    // irfft ignores the imaginary parts of the DC and (even n) Nyquist bins, as pocketfft
    const dc = complexArray([1, 2, 3], [5, 0, 7]);
    close(mx.fft.irfft(dc), mx.fft.irfft(mx.array([1, 2, 3])));
    expect(mx.fft.irfft(mx.array([1, 2, 3]), 5).tolist()).toEqual([2.200000047683716, -0.5236067771911621, -0.07639320194721222, -0.07639320194721222, -0.5236067771911621]);
  });

  it('dtypes: real inputs give complex64, rfft takes the real part, irfft gives float32', () => {
    expect(mx.fft.fft(mx.array([1, 2, 3], mx.int32)).dtype).toBe(mx.complex64);
    expect(mx.fft.fft(mx.array([true, false])).tolist()).toEqual([{ re: 1, im: 0 }, { re: 1, im: 0 }]);
    close(mx.fft.fft(mx.array([1, 2, 3], mx.float16)), mx.fft.fft(mx.array([1, 2, 3])));
    expect(mx.fft.fft(mx.array([1, 2, 3], mx.float64)).dtype).toBe(mx.complex64);
    close(mx.fft.rfft(complexArray([1, 2, 3], [4, 5, 6])), mx.fft.rfft(mx.array([1, 2, 3])));
    expect(mx.fft.irfft(mx.array([1, 2, 3], mx.int32)).dtype).toBe(mx.float32);
    expect(mx.fft.rfft2(mx.ones([2, 3])).dtype).toBe(mx.complex64);
    // empty axes: the input itself, dtype unchanged
    const m = mx.ones([2, 3]);
    expect(mx.fft.fftn(m, null, [])).toBe(m);
    expect(mx.fft.irfftn(m, null, []).dtype).toBe(mx.float32);
    // zero-size arrays along another axis
    expect(mx.fft.fft(mx.zeros([2, 0]), null, 0).shape).toEqual([2, 0]);
    expect(mx.fft.fft(mx.zeros([2, 0]), 3).tolist()).toEqual([[0, 0, 0], [0, 0, 0]].map((r) => r.map(() => ({ re: 0, im: 0 }))));
  });

  it('strided inputs (transposed, reversed, broadcast) transform like contiguous copies', () => {
    const base = complexArray(randn(20, 6), randn(20, 7), [4, 5]);
    const views = [base.T, base.index(mx.Slice(null, null, -1), mx.Slice(null, null, 2)), mx.broadcastTo(base.index(mx.Slice(0, 1)), [3, 5])];
    for (const v of views) {
      close(mx.fft.fftn(v), mx.fft.fftn(mx.copy(v)));
      close(mx.fft.rfft(mx.real(v), null, 0), mx.fft.rfft(mx.copy(mx.real(v)), null, 0));
      close(mx.fft.irfft(v, 7, 0), mx.fft.irfft(mx.copy(v), 7, 0));
    }
  });

  it('norm and stream arguments: a Stream/Device object ends the optional arguments (node-mlx)', () => {
    const x = mx.array(randn(8, 1));
    close(mx.fft.fft(x, 8, -1, mx.cpu as unknown as mx.fft.FFTNorm), mx.fft.fft(x));
    close(mx.fft.fft(x, null, -1, 'ortho', mx.cpu), mx.fft.fft(x, null, -1, 'ortho'));
    const d = new mx.Device(mx.cpu);
    close(mx.fft.fftn(x.reshape([2, 4]), [2, 4], [0, 1], d as unknown as mx.fft.FFTNorm), mx.fft.fftn(x.reshape([2, 4])));
  });

  it("errors: MLX's messages for bad n, axes, s and norm", () => {
    const v = mx.array([1, 2, 3]);
    const m = mx.ones([2, 3]);
    expect(() => mx.fft.fft(v, 0)).toThrow('[fftn] Invalid FFT output size requested (0)');
    expect(() => mx.fft.fft(v, null, 1)).toThrow('[fftn] Invalid axis received for array with 1 dimensions.');
    expect(() => mx.fft.fft(mx.array(1))).toThrow('[fftn] Requires array with at least one dimension.');
    expect(() => mx.fft.fftn(m, null, [0, -2])).toThrow('[fftn] Duplicated axis received (0,-2)');
    expect(() => mx.fft.fft2(m, [2], [0, 1])).toThrow('[fftn] Shape and axes have different sizes.');
    expect(() => mx.fft.fftn(m, [2])).toThrow('[fftn] `axes` should not be `None` if `s` is not `None`.');
    expect(() => mx.fft.rfft2(m, [2, 2], null)).toThrow('[rfft2] `axes` should not be `None` if `s` is not `None`.');
    expect(() => mx.fft.irfft(mx.array([1]))).toThrow('[fftn] Invalid FFT output size requested (0)');
    expect(() => mx.fft.ifft(v, null, -1, 'bad' as mx.fft.FFTNorm)).toThrow("[ifft] Invalid norm. Expected one of {'backward', 'ortho', 'forward'}.");
    expect(() => mx.fft.fft(v, 2.5)).toThrow(TypeError);
    expect(() => mx.fft.fftshift(m, 2)).toThrow('[fftshift] Invalid axis 2 for array with 2 dimensions.');
    expect(() => mx.fft.fftfreq(0)).toThrow('[fftfreq] `n` must be greater than 0.');
    expect(() => mx.fft.rfftfreq(3, 0)).toThrow('[rfftfreq] `d` must be non-zero.');
  });
});

describe('fftshift, ifftshift, fftfreq, rfftfreq', () => {
  it('shift by n/2 (fftshift) and back (ifftshift), all axes or some', () => {
    expect(mx.fft.fftshift(mx.arange(5, mx.int32)).tolist()).toEqual([3, 4, 0, 1, 2]);
    expect(mx.fft.ifftshift(mx.arange(5, mx.int32)).tolist()).toEqual([2, 3, 4, 0, 1]);
    expect(mx.fft.fftshift(mx.arange(6, mx.int32)).tolist()).toEqual([3, 4, 5, 0, 1, 2]);
    const m = mx.arange(6, mx.int32).reshape([2, 3]);
    expect(mx.fft.fftshift(m).tolist()).toEqual([[5, 3, 4], [2, 0, 1]]);
    expect(mx.fft.fftshift(m, 1).tolist()).toEqual([[2, 0, 1], [5, 3, 4]]);
    expect(mx.fft.fftshift(m, [-2]).tolist()).toEqual([[3, 4, 5], [0, 1, 2]]);
    expect(mx.fft.ifftshift(mx.fft.fftshift(m)).tolist()).toEqual(m.tolist());
    expect(mx.fft.fftshift(mx.array(2.5)).tolist()).toBe(2.5);
  });

  it('frequencies as numpy/MLX, float32', () => {
    expect(mx.fft.fftfreq(5).tolist()).toEqual([0, 0.2, 0.4, -0.4, -0.2].map(Math.fround));
    expect(mx.fft.fftfreq(4, 0.5).tolist()).toEqual([0, 0.5, -1, -0.5]);
    expect(mx.fft.rfftfreq(5, 0.1).tolist()).toEqual([0, 2, 4]);
    expect(mx.fft.rfftfreq(6).dtype).toBe(mx.float32);
    expect(mx.fft.fftshift(mx.fft.fftfreq(4)).tolist()).toEqual([-0.5, -0.25, 0, 0.25]);
  });
});

describe('stft and istft', () => {
  it('frames, shapes and values against a direct computation', () => {
    const x = mx.arange(10);
    expect(mx.fft.stft(x, 4).shape).toEqual([3, 11]);
    expect(mx.fft.stft(x, 4, null, null, null, false).shape).toEqual([3, 7]);
    expect(mx.fft.stft(x, 4, 3, null, null, false).tolist()).toEqual([
      [{ re: 6, im: 0 }, { re: 18, im: 0 }, { re: 30, im: 0 }],
      [{ re: -2, im: 2 }, { re: -2, im: 2 }, { re: -2, im: 2 }],
      [{ re: -2, im: 0 }, { re: -2, im: 0 }, { re: -2, im: 0 }],
    ]);
    expect(mx.fft.stft(x, 4, null, null, null, true, 'reflect', 'backward', false).shape).toEqual([4, 11]);
    expect(mx.fft.stft(mx.ones([2, 3, 10]), 4).shape).toEqual([2, 3, 3, 11]);
    // complex input: two-sided by default
    expect(mx.fft.stft(mx.astype(x, mx.complex64), 4).shape).toEqual([4, 11]);
    // a window centered in n_fft: frame i is rfft(x[i*hop : i*hop + n] * [0, w, 0])
    const sig = mx.array(randn(20, 3));
    const w = mx.array([1, 2, 3]);
    const S = mx.fft.stft(sig, 5, 2, null, w, false);
    const frame = mx.multiply(sig.index(mx.Slice(4, 9)), mx.array([0, 1, 2, 3, 0]));
    close(S.index(mx.Slice(), 2), mx.fft.rfft(frame));
  });

  it('istft inverts stft (windowed, centered or not, odd n_fft, batches, length)', () => {
    const sig = mx.array(randn(2 * 40, 5)).reshape([2, 40]);
    const hann = mx.array(Array.from({ length: 16 }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 16) + 0.05));
    close(mx.fft.istft(mx.fft.stft(sig, 16, 4, null, hann), 16, 4, null, hann, true, 'backward', null, 40), sig, 1e-5);
    close(mx.fft.istft(mx.fft.stft(sig, 9, 3), 9, 3, null, null, true, 'backward', null, 40), sig, 1e-5);
    const sc = mx.fft.stft(sig, 8, 2, null, null, false, 'reflect', 'ortho');
    const back = mx.fft.istft(sc, 8, 2, null, null, false, 'ortho');
    close(back, sig.index(mx.Slice(), mx.Slice(0, back.shape[1]!)), 1e-5);
    expect(mx.fft.istft(sc, 8, 2, null, null, false, 'ortho', null, 50).shape).toEqual([2, 50]);
  });

  it('istft of a zero window is zero (the envelope is floored at 1e-8), and errors', () => {
    const S = mx.ones([5, 3], mx.complex64);
    expect(mx.fft.istft(S, null, null, null, mx.zeros([8])).tolist()).toEqual([0, 0, 0, 0]);
    expect(() => mx.fft.istft(mx.ones([5]))).toThrow('[istft] Input must have at least two dimensions (freq, frames).');
    expect(() => mx.fft.istft(S, null, null, 9)).toThrow('[istft] window length must not exceed n_fft.');
    expect(() => mx.fft.stft(mx.arange(10), 20, null, null, null, false)).toThrow('[stft] Input is too short for the given n_fft.');
    expect(() => mx.fft.stft(mx.arange(10), 1)).toThrow('[stft] hop_length must be positive.');
  });

  it('stft under vmap and grad (MLX cannot vmap its as_strided frames; here frames are a gather)', () => {
    const xs = mx.array(randn(3 * 12, 8)).reshape([3, 12]);
    const v = mx.vmap((x: mx.MxArray) => mx.fft.stft(x, 4, 2))(xs) as mx.MxArray;
    close(v, mx.fft.stft(xs, 4, 2));
    const g = mx.grad((x: mx.MxArray) => mx.sum(mx.square(mx.abs(mx.fft.stft(x, 4, 4, null, null, false)))))(xs.index(0));
    // frames tile the signal without overlap: sum |rfft(frame)|² weights sample k of a frame by
    // the count of bins it lands in, so compare with a finite difference
    const f = (x: mx.MxArray) => mx.sum(mx.square(mx.abs(mx.fft.stft(x, 4, 4, null, null, false)))).item() as number;
    checkGrad(f, xs.index(0), g);
  });
});

/** <g, v> against the central difference of f along v (exact for quadratic f up to rounding). */
function checkGrad(f: (x: mx.MxArray) => number, x: mx.MxArray, g: mx.MxArray, seed = 99): void {
  const n = x.size;
  const complex = x.dtype === mx.complex64;
  const vr = randn(n, seed), vi = randn(n, seed + 1);
  const v = complex ? complexArray(vr, vi, x.shape) : mx.array(vr).reshape(x.shape);
  const h = 0.25;
  const fd = (f(mx.add(x, mx.multiply(v, h))) - f(mx.subtract(x, mx.multiply(v, h)))) / (2 * h);
  const [gr, gi] = parts(g);
  const dot = gr.reduce((acc, t, i) => acc + t * vr[i]! + (complex ? gi[i]! * vi[i]! : 0), 0);
  expect(Math.abs(dot - fd)).toBeLessThanOrEqual(2e-4 * (1 + Math.abs(fd)));
}

describe('FFT primitive: vjp, jvp, vmap, compile', () => {
  const loss = (t: (x: mx.MxArray) => mx.MxArray, w: mx.MxArray) => (x: mx.MxArray) => {
    const y = t(x);
    // a quadratic loss with a weight per output element: sum(w * |y|^2)
    return mx.sum(mx.multiply(w, mx.square(mx.abs(y))));
  };
  const transforms: [string, (x: mx.MxArray) => mx.MxArray, boolean][] = [
    ['fft', (x) => mx.fft.fft(x), true],
    ['fft n=9 (pad)', (x) => mx.fft.fft(x, 9), true],
    ['fft n=4 (crop) axis 0', (x) => mx.fft.fft(x, 4, 0), true],
    ['ifft ortho', (x) => mx.fft.ifft(x, null, -1, 'ortho'), true],
    ['fftn', (x) => mx.fft.fftn(x), true],
    ['ifft2 s=[3, 8]', (x) => mx.fft.ifft2(x, [3, 8]), true],
    ['rfft', (x) => mx.fft.rfft(x), false],
    ['rfft n=8 (even)', (x) => mx.fft.rfft(x, 8), false],
    ['rfft n=7 (odd) axis 0', (x) => mx.fft.rfft(x, 7, 0), false],
    ['rfftn forward', (x) => mx.fft.rfftn(x, null, null, 'forward'), false],
    ['irfft (even)', (x) => mx.fft.irfft(x), true],
    ['irfft n=9 (odd)', (x) => mx.fft.irfft(x, 9), true],
    ['irfft2 s=[5, 5]', (x) => mx.fft.irfft2(x, [5, 5]), true],
    ['irfftn s=[4, 6] axes [1, 0]', (x) => mx.fft.irfftn(x, [4, 6], [1, 0]), true],
  ];

  it.each(transforms)('grad of sum(w |%s|^2) matches finite differences', (_name, t, complexIn) => {
    const shape = [3, 6];
    const x = complexIn ? complexArray(randn(18, 1), randn(18, 2), shape) : mx.array(randn(18, 3)).reshape(shape);
    const y = t(x);
    const w = mx.array(randn(y.size, 4).map((v) => v + 1.5)).reshape(y.shape);
    const f = loss(t, w);
    const g = mx.grad(f)(x);
    expect(g.dtype).toBe(x.dtype);
    expect(g.shape).toEqual(x.shape);
    checkGrad((z) => f(z).item() as number, x, g);
  });

  it.each(transforms)('jvp of %s is the transform of the tangent (linear), vjp is its adjoint', (_name, t, complexIn) => {
    const shape = [3, 6];
    const mk = (s: number) => (complexIn ? complexArray(randn(18, s), randn(18, s + 1), shape) : mx.array(randn(18, s)).reshape(shape));
    const x = mk(10), v = mk(20);
    const [[y], [ty]] = mx.jvp(t, [x], [v]);
    close(ty!, t(v));
    expect(ty!.dtype).toBe(y!.dtype);
    // <vjp(u), v> = Re <u, J v> (the real inner product of the parts)
    const outComplex = y!.dtype === mx.complex64;
    const u = outComplex ? complexArray(randn(y!.size, 30), randn(y!.size, 31), y!.shape) : mx.array(randn(y!.size, 30)).reshape(y!.shape);
    const [, [g]] = mx.vjp(t, [x], [u]);
    const re = (a: mx.MxArray, b: mx.MxArray) => {
      const [ar, ai] = parts(a), [br, bi] = parts(b);
      return ar.reduce((acc, p, i) => acc + p * br[i]! + ai[i]! * bi[i]!, 0);
    };
    const lhs = re(g!, v);
    const rhs = re(u, ty!);
    expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(rhs)));
  });

  it('grad of sum |fft(x)|^2 is 2 n x (Parseval)', () => {
    const x = mx.array(randn(13, 5));
    const g = mx.grad((v: mx.MxArray) => mx.sum(mx.square(mx.abs(mx.fft.fft(v)))))(x);
    close(g, mx.multiply(x, 26), 1e-5);
  });

  it('vmap over any batch axis equals the stacked transforms; vmap of vmap; odd irfft keeps its length', () => {
    const x = mx.array(randn(4 * 5 * 6, 7)).reshape([4, 5, 6]);
    const c = complexArray(randn(120, 8), randn(120, 9), [4, 5, 6]);
    const stack = (f: (row: mx.MxArray) => mx.MxArray, a: mx.MxArray, ax: number) =>
      mx.stack(Array.from({ length: a.shape[ax]! }, (_, i) => f(mx.take(a, i, ax))), ax);
    const ops: ((v: mx.MxArray) => mx.MxArray)[] = [
      (v) => mx.fft.rfft(v),
      (v) => mx.fft.rfft(v, 5, 0),
      (v) => mx.fft.fft2(v),
      (v) => mx.fft.irfft(v, 7),
      (v) => mx.fft.irfftn(v, [3, 5], [1, 0]),
      (v) => mx.fft.ifftn(v, [2, 9], [-1, 0]),
    ];
    for (const [k, op] of ops.entries()) {
      const input = k === 0 || k === 1 ? x : c;
      for (const ax of [0, 1, 2]) {
        const v = mx.vmap(op, ax, ax)(input) as mx.MxArray;
        close(v, stack(op, input, ax));
      }
    }
    const vv = mx.vmap(mx.vmap((v: mx.MxArray) => mx.fft.irfft(v, 5)))(c) as mx.MxArray;
    expect(vv.shape).toEqual([4, 5, 5]);
    close(vv, mx.fft.irfft(c, 5));
    // jvp of an odd-length irfft keeps the length (MLX 0.32.4 infers an even one)
    const [, [t]] = mx.jvp((v: mx.MxArray) => mx.fft.irfft(v, 5), [c], [c]);
    expect(t!.shape).toEqual([4, 5, 5]);
  });

  it('compile: transforms replay the same values; grad of a compiled loss', () => {
    const x = mx.array(randn(24, 11)).reshape([4, 6]);
    const f = (v: mx.MxArray) => mx.fft.irfft(mx.multiply(mx.fft.rfft(v), mx.fft.rfft(v)), 6);
    const cf = mx.compile(f);
    close(cf(x), f(x));
    close(cf(mx.add(x, 1)), f(mx.add(x, 1)));
    const l = (v: mx.MxArray) => mx.sum(mx.abs(mx.fft.fft2(v)));
    close(mx.grad(mx.compile(l))(x), mx.grad(l)(x));
  });
});
