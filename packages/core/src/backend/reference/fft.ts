// FFT: the discrete Fourier transform over a set of axes (MLX's FFT primitive), computed in
// float64 and rounded once to float32 (complex64 parts). Any length is O(n log n): mixed-radix
// Cooley-Tukey over the prime factors of n while they are small, Bluestein's chirp-z through a
// power-of-two transform when n has a large prime factor.
//   complex -> complex (fft/ifft), real -> complex along the last axis of `axes` (rfft: the
//   n/2 + 1 non-negative frequencies), complex -> real along that axis (irfft: the input is
//   taken as the non-negative half of a Hermitian spectrum of the output's length). As pocketfft
//   (MLX's CPU backend), the real axis is transformed first forward and last inverse, the
//   imaginary parts of the DC and Nyquist bins are ignored by irfft, and an inverse transform
//   divides by the product of the transformed lengths.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { Primitive } from '../../primitive.js';
import { complex64 } from '../../dtype.js';
import type { FFTParams } from '../../primitives/fft.js';

/**
 * e^{2πi·j/n} for an integer j, exact at multiples of a quarter turn and symmetric: the angle
 * is reduced to the first half quadrant before cos/sin (so W^{n-j} is exactly conj(W^j)).
 */
export function turn(j: number, n: number): [number, number] {
  j %= n;
  if (j < 0) j += n;
  // 4j = q·n + r: quadrant q, then a fraction r/n of a quarter turn
  const q = Math.floor((4 * j) / n);
  const r = 4 * j - q * n;
  let c: number, s: number;
  if (r === 0) [c, s] = [1, 0];
  else if (2 * r <= n) [c, s] = [Math.cos((Math.PI / 2) * (r / n)), Math.sin((Math.PI / 2) * (r / n))];
  else [s, c] = [Math.cos((Math.PI / 2) * ((n - r) / n)), Math.sin((Math.PI / 2) * ((n - r) / n))];
  // multiply by i^q
  switch (q) {
    case 0: return [c, s];
    case 1: return [-s, c];
    case 2: return [-c, -s];
    default: return [s, -c];
  }
}

/**
 * Largest prime factor handled by a direct p-point butterfly (O(n·p) per level, so O(n log n)
 * with p bounded); a larger one sends the whole length through Bluestein.
 */
const MAX_RADIX = 31;

interface Plan {
  n: number;
  /** prime factors, smallest first, for the mixed-radix recursion (empty for Bluestein) */
  factors: number[];
  /** W_n^j = e^{-2πij/n}, j < n (mixed radix only) */
  twRe: Float64Array;
  twIm: Float64Array;
  bluestein?: { m: Plan; chirpRe: Float64Array; chirpIm: Float64Array; kernelRe: Float64Array; kernelIm: Float64Array };
  /** scratch for one butterfly (mixed radix) or the padded sequence (Bluestein) */
  tmpRe: Float64Array;
  tmpIm: Float64Array;
}

function primeFactors(n: number): number[] {
  const f: number[] = [];
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      f.push(p);
      n /= p;
    }
  }
  if (n > 1) f.push(n);
  return f;
}

const plans = new Map<number, Plan>();
/** Twiddle entries held by the cached plans; past a bound (or 64 plans) the cache starts over. */
let cachedEntries = 0;
const MAX_CACHED_ENTRIES = 1 << 22;

function planFor(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  const factors = primeFactors(n);
  const direct = factors.length === 0 || factors[factors.length - 1]! <= MAX_RADIX;
  const twRe = new Float64Array(direct ? n : 0);
  const twIm = new Float64Array(direct ? n : 0);
  for (let j = 0; j < twRe.length; j++) {
    const [c, s] = turn(-j, n);
    twRe[j] = c;
    twIm[j] = s;
  }
  if (!direct) {
    // Bluestein: jk = (j² + k² - (k - j)²) / 2 turns the DFT into a convolution with the
    // chirp e^{-πi k²/n}, done by a power-of-two FFT of length m >= 2n - 1.
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    const sub = planFor(m);
    const chirpRe = new Float64Array(n);
    const chirpIm = new Float64Array(n);
    // k² mod 2n, kept exact by stepping (k+1)² = k² + 2k + 1
    for (let k = 0, sq = 0; k < n; k++) {
      const [c, s] = turn(-sq, 2 * n);
      chirpRe[k] = c;
      chirpIm[k] = s;
      sq = (sq + 2 * k + 1) % (2 * n);
    }
    const kernelRe = new Float64Array(m);
    const kernelIm = new Float64Array(m);
    kernelRe[0] = chirpRe[0]!;
    kernelIm[0] = -chirpIm[0]!;
    for (let k = 1; k < n; k++) {
      kernelRe[k] = kernelRe[m - k] = chirpRe[k]!;
      kernelIm[k] = kernelIm[m - k] = -chirpIm[k]!;
    }
    transform(sub, kernelRe, kernelIm);
    p = { n, factors: [], twRe, twIm, bluestein: { m: sub, chirpRe, chirpIm, kernelRe, kernelIm }, tmpRe: new Float64Array(m), tmpIm: new Float64Array(m) };
  } else {
    const maxF = factors.length ? factors[factors.length - 1]! : 1;
    p = { n, factors, twRe, twIm, tmpRe: new Float64Array(maxF), tmpIm: new Float64Array(maxF) };
  }
  // a small cache: plans of the lengths in use (a Bluestein plan also holds its power of two)
  if (plans.size >= 64 || cachedEntries > MAX_CACHED_ENTRIES) {
    plans.clear();
    cachedEntries = 0;
  }
  plans.set(n, p);
  cachedEntries += n + (p.bluestein ? 2 * p.bluestein.m.n : 0);
  return p;
}

/**
 * Decimation in time: x (read at off + j·stride, j < n) → out[outOff .. outOff + n), for
 * n = N / step, factors[depth..] the prime factors of n and W_n^j = tw[j·step].
 */
function mixedRadix(
  plan: Plan, depth: number, n: number, step: number,
  xRe: Float64Array, xIm: Float64Array, off: number, stride: number,
  outRe: Float64Array, outIm: Float64Array, outOff: number,
): void {
  if (n === 1) {
    outRe[outOff] = xRe[off]!;
    outIm[outOff] = xIm[off]!;
    return;
  }
  const p = plan.factors[depth]!;
  const m = n / p;
  // the p interleaved subsequences x[r + p·j] transform into out[r·m .. (r+1)·m)
  for (let r = 0; r < p; r++) mixedRadix(plan, depth + 1, m, step * p, xRe, xIm, off + r * stride, stride * p, outRe, outIm, outOff + r * m);
  const { twRe, twIm, tmpRe, tmpIm } = plan;
  const N = plan.n;
  for (let k = 0; k < m; k++) {
    // X[k + m·q] = Σ_r W_n^{rk} Y_r[k] W_p^{rq}: read Y_r[k] (twiddled) from positions k + m·r,
    // write the p-point DFT back to the same positions.
    for (let r = 0; r < p; r++) {
      const i = outOff + k + m * r;
      const t = ((r * k) % n) * step;
      const a = outRe[i]!, b = outIm[i]!;
      tmpRe[r] = a * twRe[t]! - b * twIm[t]!;
      tmpIm[r] = a * twIm[t]! + b * twRe[t]!;
    }
    if (p === 2) {
      const i0 = outOff + k, i1 = i0 + m;
      outRe[i0] = tmpRe[0]! + tmpRe[1]!;
      outIm[i0] = tmpIm[0]! + tmpIm[1]!;
      outRe[i1] = tmpRe[0]! - tmpRe[1]!;
      outIm[i1] = tmpIm[0]! - tmpIm[1]!;
      continue;
    }
    const pStep = N / p;
    for (let q = 0; q < p; q++) {
      let sr = 0, si = 0;
      for (let r = 0; r < p; r++) {
        const t = ((r * q) % p) * pStep;
        sr += tmpRe[r]! * twRe[t]! - tmpIm[r]! * twIm[t]!;
        si += tmpRe[r]! * twIm[t]! + tmpIm[r]! * twRe[t]!;
      }
      outRe[outOff + k + m * q] = sr;
      outIm[outOff + k + m * q] = si;
    }
  }
}

/** Powers of two, in place: bit-reversal permutation, then iterative butterflies (the common case, and Bluestein's). */
function radix2(plan: Plan, re: Float64Array, im: Float64Array): void {
  const n = plan.n;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!, ti = im[i]!;
      re[i] = re[j]!;
      im[i] = im[j]!;
      re[j] = tr;
      im[j] = ti;
    }
  }
  const { twRe, twIm } = plan;
  for (let len = 2; len <= n; len *= 2) {
    const half = len / 2, step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = twRe[k * step]!, wi = twIm[k * step]!;
        const a = start + k, b = a + half;
        const br = re[b]! * wr - im[b]! * wi;
        const bi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - br;
        im[b] = im[a]! - bi;
        re[a] = re[a]! + br;
        im[a] = im[a]! + bi;
      }
    }
  }
}

/** In place: (re, im) ← its forward DFT, Σ_j x_j e^{-2πijk/n}. */
function transform(plan: Plan, re: Float64Array, im: Float64Array): void {
  const n = plan.n;
  const bl = plan.bluestein;
  if (!bl) {
    if (n === 1) return;
    if ((n & (n - 1)) === 0) return radix2(plan, re, im);
    const inRe = re.slice(0, n), inIm = im.slice(0, n);
    mixedRadix(plan, 0, n, 1, inRe, inIm, 0, 1, re, im, 0);
    return;
  }
  const { m, chirpRe, chirpIm, kernelRe, kernelIm } = bl;
  const aRe = plan.tmpRe, aIm = plan.tmpIm;
  aRe.fill(0);
  aIm.fill(0);
  for (let k = 0; k < n; k++) {
    aRe[k] = re[k]! * chirpRe[k]! - im[k]! * chirpIm[k]!;
    aIm[k] = re[k]! * chirpIm[k]! + im[k]! * chirpRe[k]!;
  }
  transform(m, aRe, aIm);
  // pointwise product with the kernel's spectrum, then the inverse as conj(F(conj(.)))/m
  for (let k = 0; k < m.n; k++) {
    const r = aRe[k]! * kernelRe[k]! - aIm[k]! * kernelIm[k]!;
    const i = aRe[k]! * kernelIm[k]! + aIm[k]! * kernelRe[k]!;
    aRe[k] = r;
    aIm[k] = -i;
  }
  transform(m, aRe, aIm);
  for (let k = 0; k < n; k++) {
    const r = aRe[k]! / m.n, i = -aIm[k]! / m.n;
    re[k] = r * chirpRe[k]! - i * chirpIm[k]!;
    im[k] = r * chirpIm[k]! + i * chirpRe[k]!;
  }
}

/** One line in place, forward or inverse (unscaled: Σ_j x_j e^{+2πijk/n}). */
function transformLine(n: number, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const plan = planFor(n);
  if (!inverse) return transform(plan, re, im);
  for (let k = 0; k < n; k++) im[k] = -im[k]!;
  transform(plan, re, im);
  for (let k = 0; k < n; k++) im[k] = -im[k]!;
}

/** A row-major complex buffer (split re/im) of a shape. */
interface Buf {
  shape: number[];
  re: Float64Array;
  im: Float64Array;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Maps every line of `src` along `axis` (length src.shape[axis]) to a line of `dst` along the
 * same axis (length dstLen): `f(lineRe, lineIm)` gets the source line in buffers of length
 * `work` (zero past the source length) and leaves the result in their first dstLen entries.
 */
function mapLines(src: Buf, axis: number, dstLen: number, work: number, f: (re: Float64Array, im: Float64Array) => void): Buf {
  const shape = [...src.shape];
  const n = shape[axis]!;
  shape[axis] = dstLen;
  const dst: Buf = { shape, re: new Float64Array(sizeOf(shape)), im: new Float64Array(sizeOf(shape)) };
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const lr = new Float64Array(work), li = new Float64Array(work);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const sBase = o * n * inner + i, dBase = o * dstLen * inner + i;
      lr.fill(0);
      li.fill(0);
      for (let j = 0; j < n; j++) {
        lr[j] = src.re[sBase + j * inner]!;
        li[j] = src.im[sBase + j * inner]!;
      }
      f(lr, li);
      for (let j = 0; j < dstLen; j++) {
        dst.re[dBase + j * inner] = lr[j]!;
        dst.im[dBase + j * inner] = li[j]!;
      }
    }
  }
  return dst;
}

registerKernel('FFT', (prim: Primitive<any>, [x], [out]) => {
  const { axes, inverse, real } = prim.params as FFTParams;
  if (sizeOf(out!.shape) === 0) return;
  // read the input (any layout) into float64 re/im
  const offs = offsetsOf(x!);
  const src = elements(x!) as Float32Array;
  const inComplex = x!.dtype === complex64;
  let buf: Buf = { shape: [...x!.shape], re: new Float64Array(offs.length), im: new Float64Array(offs.length) };
  for (let i = 0; i < offs.length; i++) {
    const o = offs[i]!;
    if (inComplex) {
      buf.re[i] = src[2 * o]!;
      buf.im[i] = src[2 * o + 1]!;
    } else buf.re[i] = src[o]!;
  }
  const realAxis = axes[axes.length - 1]!;
  const complexAxes = real ? axes.slice(0, -1) : axes;
  const c2c = (b: Buf, ax: number): Buf => {
    const n = b.shape[ax]!;
    return mapLines(b, ax, n, n, (re, im) => transformLine(n, re, im, inverse));
  };
  if (real && !inverse) {
    // r2c: the full transform of the real line, keeping the non-negative frequencies
    const n = buf.shape[realAxis]!;
    buf = mapLines(buf, realAxis, Math.floor(n / 2) + 1, n, (re, im) => transformLine(n, re, im, false));
  }
  for (const ax of complexAxes) buf = c2c(buf, ax);
  if (real && inverse) {
    // c2r: rebuild the Hermitian spectrum of the output length from its first n/2 + 1 bins
    const n = out!.shape[realAxis]!;
    buf = mapLines(buf, realAxis, n, n, (re, im) => {
      im[0] = 0;
      if (n % 2 === 0) im[n / 2] = 0;
      for (let k = Math.floor(n / 2) + 1; k < n; k++) {
        re[k] = re[n - k]!;
        im[k] = -im[n - k]!;
      }
      transformLine(n, re, im, true);
    });
  }
  let scale = 1;
  if (inverse) for (const ax of axes) scale /= (real ? out!.shape : x!.shape)[ax]!;
  const dst = elements(out!) as Float32Array;
  const base = out!.offset;
  if (out!.dtype === complex64) {
    for (let i = 0; i < buf.re.length; i++) {
      dst[2 * (base + i)] = buf.re[i]! * scale;
      dst[2 * (base + i) + 1] = buf.im[i]! * scale;
    }
  } else {
    for (let i = 0; i < buf.re.length; i++) dst[base + i] = buf.re[i]! * scale;
  }
});
