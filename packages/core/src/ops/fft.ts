// mx.fft (mlx/fft.cpp and python/src/fft.cpp): fft, ifft, fft2, ifft2, fftn, ifftn, rfft,
// irfft, rfft2, irfft2, rfftn, irfftn over one FFT primitive; fftshift/ifftshift (rolls),
// fftfreq/rfftfreq, stft/istft (compositions). node-mlx's names and argument order
// (`fft(a, n, axis)`, `fftn(a, s, axes)`), then MLX's `norm` ('backward' | 'ortho' | 'forward'),
// then the stream; a Stream or Device object among the optional arguments ends them (node-mlx
// puts the stream right after `axes`). As MLX: real inputs become complex64 (rfft: float32, a
// complex input losing its imaginary part), the transformed axes are cropped or zero-padded to
// the requested sizes first, and an inverse transform divides by n ('backward').
import { MxArray, type ScalarOrArray } from '../array.js';
import { complex64, float32, int32, isComplex } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { fftNode } from '../primitives/fft.js';
import { astype, reshape, sliceView } from './views.js';
import { add, multiply, divide, maximum, real as realPart } from './elementwise.js';
import { arange, ones, zeros } from './creation.js';
import { concatenate, pad, roll, swapaxes } from './shape.js';
import { take } from './indexing.js';
import { isStreamObject } from './internal.js';

export type FFTNorm = 'backward' | 'ortho' | 'forward';

/**
 * The optional arguments up to the first Stream/Device object, then that object as the
 * stream (node-mlx's `fft(a, n, axis, stream)`), else the explicit trailing stream.
 */
function splitStream(opt: unknown[], s: StreamOrDevice): [unknown[], StreamOrDevice] {
  const at = opt.findIndex(isStreamObject);
  if (at < 0) return [opt, s];
  return [opt.map((v, i) => (i < at ? v : undefined)), opt[at] as StreamOrDevice];
}

/** The norm slot of the transforms also takes node-mlx's stream there (a DeviceType number too). */
function normOrStream(norm: unknown, s: StreamOrDevice, op: string): [FFTNorm, StreamOrDevice] {
  if (typeof norm === 'number' && (s === undefined || s === null)) return ['backward', norm];
  return [parseNorm(norm, op), s];
}

function parseNorm(norm: unknown, op: string): FFTNorm {
  if (norm === undefined || norm === null) return 'backward';
  if (norm === 'backward' || norm === 'ortho' || norm === 'forward') return norm;
  throw new Error(`[${op}] Invalid norm. Expected one of {'backward', 'ortho', 'forward'}.`);
}

function intOf(v: unknown, op: string, name: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`[${op}] ${name} must be an integer, got ${String(v)}.`);
  return n;
}

function intList(v: unknown, op: string, name: string): number[] {
  if (!Array.isArray(v)) throw new TypeError(`[${op}] ${name} must be an array of integers, got ${String(v)}.`);
  return v.map((d) => intOf(d, op, name));
}

/** MLX's `(a,b,c)` rendering of an axis or size list in messages. */
const tuple = (xs: readonly number[]): string => `(${xs.join(',')})`;

/** fft_scale_factor: the norm's factor on top of the primitive (which divides an inverse by n). */
function scaleFactor(n: readonly number[], norm: FFTNorm, inverse: boolean): number {
  if (n.length === 0) return 1;
  const count = n.reduce((p, q) => p * q, 1);
  if (norm === 'backward') return 1;
  if (norm === 'ortho') return inverse ? Math.sqrt(count) : 1 / Math.sqrt(count);
  return inverse ? count : 1 / count;
}

/** MLX's fft_impl with explicit sizes: n[i] is the transform length along axes[i]. */
function fftImpl(x: MxArray, n: number[], axes: number[], real: boolean, inverse: boolean, norm: FFTNorm, s?: StreamOrDevice): MxArray {
  const nd = x.ndim;
  if (nd < 1) throw new Error('[fftn] Requires array with at least one dimension.');
  if (n.length !== axes.length) throw new Error('[fftn] Shape and axes have different sizes.');
  if (axes.length === 0) return x;
  const valid = axes.map((ax) => (ax < 0 ? ax + nd : ax));
  if (new Set(valid).size !== valid.length) throw new Error(`[fftn] Duplicated axis received ${tuple(axes)}`);
  if (valid.some((ax) => ax < 0 || ax >= nd)) throw new RangeError(`[fftn] Invalid axis received for array with ${nd} dimensions.`);
  if (n.some((d) => d <= 0)) throw new Error(`[fftn] Invalid FFT output size requested ${tuple(n)}`);

  // The input sizes: n itself, except that an irfft reads n/2 + 1 bins along its last axis.
  const inShape = [...x._shape];
  valid.forEach((ax, i) => (inShape[ax] = n[i]!));
  const last = valid[valid.length - 1]!;
  if (real && inverse) inShape[last] = Math.floor(n[n.length - 1]! / 2) + 1;
  let inp = x;
  if (inShape.some((d, i) => d < x._shape[i]!)) {
    inp = sliceView(inp, inShape.map(() => 0), inShape.map((d, i) => Math.min(d, x._shape[i]!)), inShape.map(() => 1), s);
  }
  if (inShape.some((d, i) => d > x._shape[i]!)) {
    inp = pad(inp, inShape.map((d, i) => [0, d - inp._shape[i]!] as [number, number]), zeros([], inp._dtype), 'constant', s);
  }
  const inType = real && !inverse ? float32 : complex64;
  const oddOut = real && inverse && n[n.length - 1]! % 2 === 1;
  const out = fftNode(astype(inp, inType, s), valid, inverse, real, oddOut, s);
  const scale = scaleFactor(n, norm, inverse);
  return scale === 1 ? out : multiply(out, new MxArray(scale, out._dtype), s);
}

/** The sizes of `x` along `axes` (the default transform lengths); an irfft's last is 2(m - 1). */
function defaultSizes(x: MxArray, axes: number[], real: boolean, inverse: boolean): number[] {
  const nd = x.ndim;
  if (nd < 1) throw new Error('[fftn] Requires array with at least one dimension.');
  const n = axes.map((ax) => {
    const a = ax < 0 ? ax + nd : ax;
    if (a < 0 || a >= nd) throw new RangeError(`[fftn] Invalid axis received for array with ${nd} dimensions.`);
    return x._shape[a]!;
  });
  if (real && inverse && n.length > 0) n[n.length - 1] = (n[n.length - 1]! - 1) * 2;
  return n;
}

type Fft1 = (a: ScalarOrArray, n?: number | null, axis?: number, norm?: FFTNorm | StreamOrDevice, s?: StreamOrDevice) => MxArray;
type FftN = (a: ScalarOrArray, s?: number[] | null, axes?: number[] | null, norm?: FFTNorm | StreamOrDevice, stream?: StreamOrDevice) => MxArray;

function make1d(op: string, real: boolean, inverse: boolean): Fft1 {
  return (a, n?, axis?, norm?, s?) => {
    const [[n0, axis0, norm0], st0] = splitStream([n, axis, norm], s);
    const [nrm, st] = normOrStream(norm0, st0, op);
    const x = asArray(a, 'a', op);
    const ax = axis0 === undefined || axis0 === null ? -1 : intOf(axis0, op, 'axis');
    const sizes = n0 === undefined || n0 === null ? defaultSizes(x, [ax], real, inverse) : [intOf(n0, op, 'n')];
    return fftImpl(x, sizes, [ax], real, inverse, nrm, st);
  };
}

/** fft2/fftn and their kin: `axes` undefined is the op's default; null means every axis. */
function makeNd(op: string, real: boolean, inverse: boolean, defaultAxes: number[] | null): FftN {
  return (a, sizes?, axes?, norm?, stream?) => {
    const [[s0, axes0, norm0], st0] = splitStream([sizes, axes, norm], stream);
    const [nrm, st] = normOrStream(norm0, st0, op);
    const x = asArray(a, 'a', op);
    const ax = axes0 === undefined ? defaultAxes : axes0 === null ? null : intList(axes0, op, 'axes');
    const n = s0 === undefined || s0 === null ? null : intList(s0, op, 's');
    if (ax === null) {
      if (n !== null) throw new Error(`[${op}] \`axes\` should not be \`None\` if \`s\` is not \`None\`.`);
      const all = Array.from({ length: x.ndim }, (_, i) => i);
      return fftImpl(x, defaultSizes(x, all, real, inverse), all, real, inverse, nrm, st);
    }
    return fftImpl(x, n ?? defaultSizes(x, ax, real, inverse), ax, real, inverse, nrm, st);
  };
}

/** One-dimensional discrete Fourier transform along `axis` (default -1), cropped/padded to `n`. */
export const fft: Fft1 = make1d('fft', false, false);
/** One-dimensional inverse discrete Fourier transform. */
export const ifft: Fft1 = make1d('ifft', false, true);
/** Two-dimensional transform over `axes` (default [-2, -1]; null: every axis). */
export const fft2: FftN = makeNd('fft2', false, false, [-2, -1]);
/** Two-dimensional inverse transform over `axes` (default [-2, -1]). */
export const ifft2: FftN = makeNd('ifft2', false, true, [-2, -1]);
/** n-dimensional transform over `axes` (default: every axis; `s` needs `axes`). */
export const fftn: FftN = makeNd('fftn', false, false, null);
/** n-dimensional inverse transform. */
export const ifftn: FftN = makeNd('ifftn', false, true, null);
/** Transform of a real input: the n/2 + 1 non-negative frequencies (complex input: its real part). */
export const rfft: Fft1 = make1d('rfft', true, false);
/** Inverse of rfft: a float32 output of length `n` (default 2(m - 1)) from m = n/2 + 1 bins. */
export const irfft: Fft1 = make1d('irfft', true, true);
/** Two-dimensional rfft; the last of `axes` is the real one. */
export const rfft2: FftN = makeNd('rfft2', true, false, [-2, -1]);
/** Inverse of rfft2. */
export const irfft2: FftN = makeNd('irfft2', true, true, [-2, -1]);
/** n-dimensional rfft. */
export const rfftn: FftN = makeNd('rfftn', true, false, null);
/** Inverse of rfftn. */
export const irfftn: FftN = makeNd('irfftn', true, true, null);

function shiftImpl(op: string, a: ScalarOrArray, axes: unknown, s: StreamOrDevice, inverse: boolean): MxArray {
  if (isStreamObject(axes)) [axes, s] = [undefined, axes];
  const x = asArray(a, 'a', op);
  let list: number[];
  if (axes === undefined || axes === null) {
    if (x.ndim < 1) return x;
    list = Array.from({ length: x.ndim }, (_, i) => i);
  } else list = typeof axes === 'number' || typeof axes === 'bigint' ? [intOf(axes, op, 'axes')] : intList(axes, op, 'axes');
  if (list.length === 0) return x;
  const shifts = list.map((ax) => {
    const a0 = ax < 0 ? ax + x.ndim : ax;
    if (a0 < 0 || a0 >= x.ndim) throw new RangeError(`[${op}] Invalid axis ${ax} for array with ${x.ndim} dimensions.`);
    const sh = Math.floor(x._shape[a0]! / 2);
    return inverse ? -sh : sh;
  });
  return roll(x, shifts, list, s);
}

/** Moves the zero frequency to the center: a roll by n/2 along `axes` (default: all). */
export function fftshift(a: ScalarOrArray, axes?: number | number[] | null, s?: StreamOrDevice): MxArray {
  return shiftImpl('fftshift', a, axes, s, false);
}
/** The inverse of fftshift (they differ on odd lengths). */
export function ifftshift(a: ScalarOrArray, axes?: number | number[] | null, s?: StreamOrDevice): MxArray {
  return shiftImpl('ifftshift', a, axes, s, true);
}

function freqArgs(op: string, n: unknown, d: unknown, s: StreamOrDevice): [number, number, StreamOrDevice] {
  if (isStreamObject(d)) [d, s] = [undefined, d];
  const len = intOf(n, op, 'n');
  const dd = d === undefined || d === null ? 1 : typeof d === 'bigint' ? Number(d) : d;
  if (typeof dd !== 'number') throw new TypeError(`[${op}] d must be a number, got ${String(d)}.`);
  if (len <= 0) throw new Error(`[${op}] \`n\` must be greater than 0.`);
  if (dd === 0) throw new Error(`[${op}] \`d\` must be non-zero.`);
  return [len, dd, s];
}

/** Sample frequencies of an n-point transform with spacing d: [0, 1, ..., -1] / (n d), float32. */
export function fftfreq(n: number, d = 1.0, s?: StreamOrDevice): MxArray {
  const [len, dd, st] = freqArgs('fftfreq', n, d, s);
  const pos = arange(0, Math.floor((len + 1) / 2), float32, st);
  const neg = arange(-Math.floor(len / 2), 0, float32, st);
  return multiply(concatenate([pos, neg], 0, st), new MxArray(Math.fround(1 / (len * dd)), float32), st);
}

/** The non-negative sample frequencies [0, n/2] / (n d) of rfft, float32. */
export function rfftfreq(n: number, d = 1.0, s?: StreamOrDevice): MxArray {
  const [len, dd, st] = freqArgs('rfftfreq', n, d, s);
  return multiply(arange(0, Math.floor(len / 2) + 1, float32, st), new MxArray(Math.fround(1 / (len * dd)), float32), st);
}

/** The window as a 1-D array of length nFft, centered and zero-padded (a rectangular one by default). */
function fullWindow(op: string, window: ScalarOrArray | null | undefined, winLength: unknown, nFft: number, s: StreamOrDevice): MxArray {
  const w = window === undefined || window === null
    ? ones([winLength === undefined || winLength === null ? nFft : intOf(winLength, op, 'winLength')], float32, s)
    : asArray(window, 'window', op);
  if (w.ndim !== 1) throw new Error(`[${op}] window must be a one-dimensional array.`);
  const wl = w._shape[0]!;
  if (wl > nFft) throw new Error(`[${op}] window length must not exceed n_fft.`);
  const left = Math.floor((nFft - wl) / 2);
  return wl === nFft ? w : pad(w, [[left, nFft - wl - left]], zeros([], w._dtype), 'constant', s);
}

/** [frame, k] → frame·hop + k: the positions of every frame's samples. */
function framePositions(frames: number, nFft: number, hop: number, s: StreamOrDevice): MxArray {
  const starts = reshape(multiply(arange(0, frames, int32, s), new MxArray(hop, int32), s), [frames, 1], s);
  return add(starts, reshape(arange(0, nFft, int32, s), [1, nFft], s), s);
}

/**
 * Short-time Fourier transform of the last axis: frames of nFft samples every hopLength
 * (default nFft/4), times the window (winLength ones by default, centered in nFft), through rfft
 * (onesided: default for real input) or fft. center pads nFft/2 samples on both ends with
 * padMode ('reflect', 'constant', 'edge'). The result is complex64 of shape (..., freqs, frames).
 */
export function stft(
  x: ScalarOrArray, nFft = 2048, hopLength?: number | null, winLength?: number | null, window?: ScalarOrArray | null,
  center = true, padMode: 'reflect' | 'constant' | 'edge' = 'reflect', norm: FFTNorm = 'backward', onesided?: boolean | null, s?: StreamOrDevice,
): MxArray {
  const [[n0, hop0, wl0, win0, center0, mode0, norm0, one0], st] = splitStream([nFft, hopLength, winLength, window, center, padMode, norm, onesided], s);
  const nrm = parseNorm(norm0, 'stft');
  let a = asArray(x, 'x', 'stft');
  if (a.ndim < 1) throw new Error('[stft] Input must have at least one dimension.');
  const n = n0 === undefined || n0 === null ? 2048 : intOf(n0, 'stft', 'nFft');
  if (n <= 0) throw new Error('[stft] n_fft must be positive.');
  const hop = hop0 === undefined || hop0 === null ? Math.floor(n / 4) : intOf(hop0, 'stft', 'hopLength');
  if (hop <= 0) throw new Error('[stft] hop_length must be positive.');
  const w = fullWindow('stft', win0 as ScalarOrArray | null | undefined, wl0, n, st);
  const nd = a.ndim;
  if (center0 === undefined || center0 === null || center0) {
    const p = Math.floor(n / 2);
    const mode = (mode0 ?? 'reflect') as 'reflect' | 'constant' | 'edge';
    a = pad(a, a._shape.map((_, i) => (i === nd - 1 ? [p, p] : [0, 0]) as [number, number]), zeros([], a._dtype), mode, st);
  }
  const len = a._shape[nd - 1]!;
  if (len < n) throw new Error('[stft] Input is too short for the given n_fft.');
  const count = 1 + Math.floor((len - n) / hop);
  const frames = multiply(take(a, framePositions(count, n, hop, st), -1, st), w, st);
  const side = one0 === undefined || one0 === null ? !isComplex(a._dtype) : Boolean(one0);
  const spec = side ? rfft(frames, undefined, -1, nrm, st) : fft(frames, undefined, -1, nrm, st);
  return swapaxes(spec, -1, -2, st);
}

/**
 * Inverse of stft: the inverse transform of every frame (irfft of nFft samples when onesided,
 * the default; else the real part of ifft), windowed and overlap-added, divided by the
 * overlap-added squared window (at least 1e-8). nFft defaults to 2(freqs - 1) (onesided) or
 * freqs; `length` trims or zero-pads the output.
 */
export function istft(
  stftMatrix: ScalarOrArray, nFft?: number | null, hopLength?: number | null, winLength?: number | null, window?: ScalarOrArray | null,
  center = true, norm: FFTNorm = 'backward', onesided?: boolean | null, length?: number | null, s?: StreamOrDevice,
): MxArray {
  const [[n0, hop0, wl0, win0, center0, norm0, one0, len0], st] = splitStream([nFft, hopLength, winLength, window, center, norm, onesided, length], s);
  const S = asArray(stftMatrix, 'stftMatrix', 'istft');
  if (S.ndim < 2) throw new Error('[istft] Input must have at least two dimensions (freq, frames).');
  const nrm = parseNorm(norm0, 'istft');
  const side = one0 === undefined || one0 === null ? true : Boolean(one0);
  const nFreq = S._shape[S.ndim - 2]!;
  const n = n0 === undefined || n0 === null ? (side ? 2 * (nFreq - 1) : nFreq) : intOf(n0, 'istft', 'nFft');
  if (n <= 0) throw new Error('[istft] n_fft must be positive.');
  const hop = hop0 === undefined || hop0 === null ? Math.floor(n / 4) : intOf(hop0, 'istft', 'hopLength');
  if (hop <= 0) throw new Error('[istft] hop_length must be positive.');
  const w = fullWindow('istft', win0 as ScalarOrArray | null | undefined, wl0, n, st);
  const count = S._shape[S.ndim - 1]!;
  const cols = swapaxes(S, -1, -2, st);
  let frames = side ? irfft(cols, n, -1, nrm, st) : realPart(ifft(cols, n, -1, nrm, st), st);
  frames = multiply(frames, w, st);
  // overlap-add: every frame's samples scattered (added) at their positions
  const total = n + hop * (count - 1);
  const at = framePositions(count, n, hop, st);
  const y = zeros([...frames._shape.slice(0, -2), total], frames._dtype, st).at('...', at).add(frames);
  const w2 = multiply(w, w, st);
  const env = zeros([total], w2._dtype, st).at(at).add(reshape(w2, [1, n], st));
  const start = center0 === undefined || center0 === null || center0 ? Math.floor(n / 2) : 0;
  const want = len0 === undefined || len0 === null ? null : intOf(len0, 'istft', 'length');
  const end = want === null ? total - start : start + want;
  const stop = Math.max(start, Math.min(end, total));
  const nd = y.ndim;
  const cut = (v: MxArray): MxArray =>
    sliceView(v, v._shape.map((_, i) => (i === v.ndim - 1 ? Math.min(start, total) : 0)), v._shape.map((d, i) => (i === v.ndim - 1 ? stop : d)), v._shape.map(() => 1), st);
  let out = divide(cut(y), maximum(cut(env), new MxArray(1e-8, env._dtype), st), st);
  if (want !== null && out._shape[nd - 1]! < want) {
    out = pad(out, out._shape.map((d, i) => (i === nd - 1 ? [0, want - d] : [0, 0]) as [number, number]), zeros([], out._dtype), 'constant', st);
  }
  return out;
}
