// Convolutions (mlx/ops.cpp conv_general and its wrappers, python/src/ops.cpp convolve), with
// MLX's channels-last layouts: input (N, ...spatial, C_in), weight (C_out, ...kernel,
// C_in / groups), output (N, ...out, C_out). Every op here builds one Convolution node
// (primitives/conv.ts); a transposed convolution is a convolution of the input dilated by the
// stride with the flipped kernel, as in MLX. Argument order is node-mlx's; convTranspose*
// take MLX's output_padding after groups (node-mlx has none), so node-mlx calls keep working.
import { type MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { promoteTypes, isFloating } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { Convolution, type ConvParams } from '../primitives/conv.js';
import { asArray } from '../convert.js';
import { astype, reshape, sliceView } from './views.js';
import { pad } from './shape.js';
import { zeros } from './creation.js';

/** MLX's printing of a shape or int vector in messages: (2,3,4), (0). */
const vec = (v: readonly number[]): string => `(${v.join(',')})`;
const dilated = (n: number, d: number): number => 1 + d * (n - 1);

/** One int parameter (int32, as MLX's bindings take). */
function int(v: unknown, what: string, op: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) {
    throw new TypeError(`[${op}] ${what} must be an integer (int32), got ${typeof v === 'object' ? JSON.stringify(v) : String(v)}.`);
  }
  return n;
}

/** An int or exactly `n` ints (conv2d / conv3d pairs and triples), as `n` ints. */
function intTuple(v: unknown, n: number, what: string, op: string): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new TypeError(`[${op}] ${what} must be an integer or ${n} integers, got ${JSON.stringify(v)}.`);
    return v.map((x) => int(x, what, op));
  }
  return new Array<number>(n).fill(int(v, what, op));
}

/** conv_general's `int | list[int]`: a list as given, an int as a one-element list. */
function intList(v: unknown, what: string, op: string): number[] {
  return Array.isArray(v) ? v.map((x) => int(x, what, op)) : [int(v, what, op)];
}

/** conv_general's broadcast of a list of length <= 1 to every spatial dim. */
function perDim(v: number[], nd: number, fallback: number): number[] {
  return v.length <= 1 ? new Array<number>(nd).fill(v.length ? v[0]! : fallback) : v;
}

/** MLX's run_conv_checks (after its own check of the spatial dimension count). */
function checkInputs(x: MxArray, w: MxArray, nd: number, groups: number): void {
  if (!isFloating(x._dtype)) {
    throw new TypeError(`[conv] Invalid input array with type ${x._dtype.name}. Convolution currently only supports floating point types`);
  }
  if (x.ndim !== nd + 2) {
    throw new Error(`[conv] Invalid input array with ${x.ndim} dimensions for ${nd}D convolution. Expected an array with ${nd + 2} dimensions following the format [N, ..., C_in].`);
  }
  if (w.ndim !== nd + 2) {
    throw new Error(`[conv] Invalid weight array with ${w.ndim} dimensions for ${nd}D convolution. Expected an array with ${nd + 2} dimensions following the format [C_out, ..., C_in].`);
  }
  const C = x._shape[nd + 1]!;
  const O = w._shape[0]!;
  if (C % groups !== 0) {
    throw new Error(`[conv] The input channels must be divisible by the number of groups. Got input with shape ${vec(x._shape)} and ${groups} groups.`);
  }
  if (groups > 1 && O % groups !== 0) {
    throw new Error(`[conv] If groups > 1, the output channels must be divisible by the number of groups. Got ${O} output channels and ${groups} groups.`);
  }
  if (C !== groups * w._shape[nd + 1]!) {
    throw new Error(
      groups === 1
        ? `[conv] Expect the input channels in the input and weight array to match but got shapes - input: ${vec(x._shape)} and weight: ${vec(w._shape)}`
        : `Given groups=${groups} and weights of shape ${vec(w._shape)}, expected to have ${groups * w._shape[nd + 1]!} input channels but got ${C} input channels instead.`,
    );
  }
}

/** MLX's Convolution::conv_out_shape, its checks and messages (sizes truncate as C++ does). */
function convOutShape(inShape: readonly number[], wtShape: readonly number[], p: ConvParams): number[] {
  const nd = inShape.length - 2;
  if (p.strides.length !== nd) throw new Error(`[conv] Invalid strides ${vec(p.strides)} for ${nd}D convolution.`);
  if (p.paddingLo.length !== nd || p.paddingHi.length !== nd) {
    throw new Error(`[conv] Invalid padding ${vec(p.paddingLo)} | ${vec(p.paddingHi)} for ${nd}D convolution.`);
  }
  if (p.kernelDilation.length !== nd) throw new Error(`[conv] Invalid kernel dilation ${vec(p.kernelDilation)} for ${nd}D convolution.`);
  if (p.inputDilation.length !== nd) throw new Error(`[conv] Invalid input dilation ${vec(p.inputDilation)} for ${nd}D convolution.`);
  const out = [inShape[0]!];
  for (let i = 0; i < nd; i++) {
    if (p.kernelDilation[i]! <= 0) throw new Error(`[conv] Kernel dilation sizes must be positive. Got kernel dilation ${vec(p.kernelDilation)}.`);
    if (p.inputDilation[i]! <= 0) throw new Error(`[conv] Input dilation sizes must be positive. Got input dilation ${vec(p.inputDilation)}.`);
    if (p.paddingLo[i]! < 0 || p.paddingHi[i]! < 0) throw new Error(`[conv] Padding sizes must be non-negative. Got padding ${vec(p.paddingLo)} | ${vec(p.paddingHi)}.`);
    if (p.strides[i]! <= 0) throw new Error(`[conv] Stride sizes must be positive. Got strides ${vec(p.strides)}.`);
    const kd = dilated(wtShape[1 + i]!, p.kernelDilation[i]!);
    const id = dilated(inShape[1 + i]!, p.inputDilation[i]!);
    const size = Math.trunc((id + p.paddingLo[i]! + p.paddingHi[i]! - kd) / p.strides[i]!) + 1;
    if (size <= 0) {
      throw new Error(
        `[conv] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis ${i + 1} for input with shape ${vec(inShape)}, padding low ${vec(p.paddingLo)}, padding high ${vec(p.paddingHi)}, and weight of shape ${vec(wtShape)}.`,
      );
    }
    out.push(size);
  }
  out.push(wtShape[0]!);
  return out;
}

/** @internal One Convolution node (inputs of one float dtype, non-negative padding). */
export function convolution(x: MxArray, w: MxArray, p: ConvParams, s?: StreamOrDevice): MxArray {
  const params: ConvParams = { ...p, strides: [...p.strides], paddingLo: [...p.paddingLo], paddingHi: [...p.paddingHi], kernelDilation: [...p.kernelDilation], inputDilation: [...p.inputDilation] };
  return makeArray(convOutShape(x._shape, w._shape, params), x._dtype, new Primitive(Convolution, params), [x, w], s);
}

/**
 * @internal A Convolution whose padding may be negative (the vjp's): a negative padding crops
 * the dilated input (whole elements dropped, what remains of the crop becomes padding), so
 * the result is the convolution of the window positions the padding describes.
 */
export function convolutionCropped(x: MxArray, w: MxArray, p: ConvParams): MxArray {
  const nd = p.strides.length;
  const start = x._shape.map(() => 0);
  const stop = [...x._shape];
  const lo = [...p.paddingLo];
  const hi = [...p.paddingHi];
  let empty = false;
  for (let i = 0; i < nd; i++) {
    if (lo[i]! >= 0 && hi[i]! >= 0) continue;
    const n = x._shape[1 + i]!;
    const d = p.inputDilation[i]!;
    // the frame [0, P) of the padded input; element j sits at lo + j * d
    const P = lo[i]! + dilated(n, d) + hi[i]!;
    const j0 = Math.max(0, Math.ceil(-lo[i]! / d));
    const j1 = Math.min(n, Math.floor((P - 1 - lo[i]!) / d) + 1);
    if (j1 <= j0) {
      empty = true;
      continue;
    }
    start[1 + i] = j0;
    stop[1 + i] = j1;
    const first = lo[i]! + j0 * d;
    lo[i] = first;
    hi[i] = P - (first + (j1 - j0 - 1) * d + 1);
  }
  if (empty) {
    // every window sees only padding: zeros, in the shape the frame gives
    const shape = p.strides.map((st, i) => {
      const frame = p.paddingLo[i]! + dilated(x._shape[1 + i]!, p.inputDilation[i]!) + p.paddingHi[i]!;
      return Math.trunc((frame - dilated(w._shape[1 + i]!, p.kernelDilation[i]!)) / st) + 1;
    });
    return zeros([x._shape[0]!, ...shape, w._shape[0]!], x._dtype);
  }
  const q = { ...p, paddingLo: lo, paddingHi: hi };
  return convolution(sliceView(x, start, stop, start.map(() => 1)), w, q);
}

/** conv_general: the checks, promotion and negative-padding slice of mlx/ops.cpp. */
function convGeneralImpl(
  input: ScalarOrArray,
  weight: ScalarOrArray,
  stride: number[],
  paddingLo: number[],
  paddingHi: number[],
  kernelDilation: number[],
  inputDilation: number[],
  groups: number,
  flip: boolean,
  op: string,
  s?: StreamOrDevice,
): MxArray {
  let x = asArray(input, 'input', op);
  let w = asArray(weight, 'weight', op);
  if (groups < 1) throw new Error(`[conv] groups must be a positive integer, got ${groups}.`);
  if (groups !== 1 && x.ndim !== 3 && x.ndim !== 4) throw new Error('[conv] Can only handle groups != 1 in 1D or 2D convolutions.');
  const nd = x.ndim - 2;
  if (nd < 1 || nd > 3) {
    throw new Error('[conv] Only works for inputs with 1-3 spatial dimensions. The inputs must be in the format [N, ..., C_in]');
  }
  checkInputs(x, w, nd, groups);
  const d = promoteTypes(x._dtype, w._dtype);
  x = astype(x, d, s);
  w = astype(w, d, s);
  const p: ConvParams = {
    strides: perDim(stride, nd, 1),
    paddingLo: perDim(paddingLo, nd, 0),
    paddingHi: perDim(paddingHi, nd, 0),
    kernelDilation: perDim(kernelDilation, nd, 1),
    inputDilation: perDim(inputDilation, nd, 1),
    groups,
    flip,
  };
  // Negative padding slices whole input elements off (MLX does so before the input dilation,
  // and normalizes the stop as its slice does: a negative stop counts from the end).
  if (p.paddingLo.some((v) => v < 0) || p.paddingHi.some((v) => v < 0)) {
    const start = x._shape.map(() => 0);
    const stop = [...x._shape];
    for (let i = 0; i < nd; i++) {
      const n = x._shape[1 + i]!;
      if (p.paddingLo[i]! < 0) {
        start[1 + i] = Math.min(-p.paddingLo[i]!, n);
        p.paddingLo[i] = 0;
      }
      if (p.paddingHi[i]! < 0) {
        let e = n + p.paddingHi[i]!;
        if (e < 0) e += n;
        stop[1 + i] = Math.max(start[1 + i]!, Math.min(Math.max(e, 0), n));
        p.paddingHi[i] = 0;
      }
    }
    x = sliceView(x, start, stop, start.map(() => 1), s);
  }
  return convolution(x, w, p, s);
}

type Tuple = number | number[];

/**
 * General convolution (MLX's conv_general): `padding` is an int, one int per spatial dim
 * (symmetric), or a pair [low, high] of such lists; lists of length 1 apply to every dim.
 */
export function convGeneral(
  input: ScalarOrArray,
  weight: ScalarOrArray,
  stride: Tuple = 1,
  padding: number | number[] | [number[], number[]] = 0,
  kernelDilation: Tuple = 1,
  inputDilation: Tuple = 1,
  groups = 1,
  flip = false,
  s?: StreamOrDevice,
): MxArray {
  const op = 'convGeneral';
  let lo: number[];
  let hi: number[];
  if (Array.isArray(padding) && padding.length === 2 && Array.isArray(padding[0]) && Array.isArray(padding[1])) {
    lo = intList(padding[0], 'padding', op);
    hi = intList(padding[1], 'padding', op);
  } else {
    lo = hi = intList(padding, 'padding', op);
  }
  if (typeof flip !== 'boolean') throw new TypeError(`[${op}] flip must be a boolean, got ${String(flip)}.`);
  return convGeneralImpl(input, weight, intList(stride, 'stride', op), lo, [...hi], intList(kernelDilation, 'kernelDilation', op), intList(inputDilation, 'inputDilation', op), int(groups, 'groups', op), flip, op, s);
}

/** conv1d/2d/3d's node-mlx signature: an int, or one int per spatial dim for 2-D and 3-D. */
type ConvNd<T> = (input: ScalarOrArray, weight: ScalarOrArray, stride?: T, padding?: T, dilation?: T, groups?: number, s?: StreamOrDevice) => MxArray;

function convNd<T>(nd: number, op: string): ConvNd<T> {
  return (input, weight, stride = 1 as T, padding = 0 as T, dilation = 1 as T, groups = 1, s) => {
    const pd = intTuple(padding, nd, 'padding', op);
    return convGeneralImpl(input, weight, intTuple(stride, nd, 'stride', op), pd, [...pd], intTuple(dilation, nd, 'dilation', op), new Array<number>(nd).fill(1), int(groups, 'groups', op), false, op, s);
  };
}

/** 1-D convolution: input (N, L, C_in), weight (C_out, K, C_in / groups). */
export const conv1d: ConvNd<number> = convNd(1, 'conv1d');
/** 2-D convolution: input (N, H, W, C_in), weight (C_out, KH, KW, C_in / groups); pairs or ints. */
export const conv2d: ConvNd<Tuple> = convNd(2, 'conv2d');
/** 3-D convolution: input (N, D, H, W, C_in), weight (C_out, KD, KH, KW, C_in); triples or ints. */
export const conv3d: ConvNd<Tuple> = convNd(3, 'conv3d');

/** convTranspose1d/2d/3d: node-mlx's signature, then MLX's output_padding. */
type ConvTransposeNd<T> = (input: ScalarOrArray, weight: ScalarOrArray, stride?: T, padding?: T, dilation?: T, groups?: number, outputPadding?: T, s?: StreamOrDevice) => MxArray;

/** MLX's conv_transpose_general: a stride-1 convolution of the input dilated by the stride, kernel flipped. */
function convTransposeNd<T>(nd: number, op: string): ConvTransposeNd<T> {
  return (input, weight, stride = 1 as T, padding = 0 as T, dilation = 1 as T, groups = 1, outputPadding = 0 as T, s) => {
    const x = asArray(input, 'input', op);
    const w = asArray(weight, 'weight', op);
    const st = intTuple(stride, nd, 'stride', op);
    const pd = intTuple(padding, nd, 'padding', op);
    const dl = intTuple(dilation, nd, 'dilation', op);
    const outPad = intTuple(outputPadding, nd, 'outputPadding', op);
    const lo: number[] = [];
    const hi: number[] = [];
    for (let i = 0; i < nd; i++) {
      // MLX reads the shapes before its own checks: missing dims read as 0 here, and
      // conv_general then reports the rank mismatch
      const K = w._shape[1 + i] ?? 0;
      const L = x._shape[1 + i] ?? 0;
      lo.push(dl[i]! * (K - 1) - pd[i]!);
      const convOut = (L - 1) * st[i]! - 2 * pd[i]! + dl[i]! * (K - 1) + 1;
      hi.push(convOut - (1 + st[i]! * (L - 1)) + pd[i]! + outPad[i]!);
    }
    return convGeneralImpl(x, w, new Array<number>(nd).fill(1), lo, hi, dl, st, int(groups, 'groups', op), true, op, s);
  };
}

/** 1-D transposed convolution; `outputPadding` (MLX's output_padding) comes after node-mlx's `groups`. */
export const convTranspose1d: ConvTransposeNd<number> = convTransposeNd(1, 'convTranspose1d');
/** 2-D transposed convolution (pairs or ints); `outputPadding` after `groups`. */
export const convTranspose2d: ConvTransposeNd<Tuple> = convTransposeNd(2, 'convTranspose2d');
/** 3-D transposed convolution (triples or ints); `outputPadding` after `groups`. */
export const convTranspose3d: ConvTransposeNd<Tuple> = convTransposeNd(3, 'convTranspose3d');

/**
 * NumPy's convolve of two 1-D arrays (MLX's binding): the longer one is the signal, the other
 * the kernel, flipped; mode 'full', 'same' or 'valid'.
 */
export function convolve(a: ScalarOrArray, v: ScalarOrArray, mode = 'full', s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'a', 'convolve');
  const y = asArray(v, 'v', 'convolve');
  if (x.ndim !== 1 || y.ndim !== 1) throw new Error('[convolve] Inputs must be 1D.');
  if (x.size === 0 || y.size === 0) throw new Error('[convolve] Inputs cannot be empty.');
  let signal = x.size < y.size ? y : x;
  let kernel = x.size < y.size ? x : y;
  const k = kernel.size;
  kernel = reshape(sliceView(kernel, [k - 1], [-1], [-1], s), [1, -1, 1], s);
  signal = reshape(signal, [1, -1, 1], s);
  let padding = 0;
  if (mode === 'full') padding = k - 1;
  else if (mode === 'same') {
    if (k % 2) padding = Math.floor(k / 2);
    else {
      // even kernels: asymmetric padding, more before
      const l = k / 2;
      signal = pad(signal, [[0, 0], [l, Math.max(0, l - 1)], [0, 0]], 0n, 'constant', s);
    }
  } else if (mode !== 'valid') throw new Error('[convolve] Invalid mode.');
  return reshape(conv1d(signal, kernel, 1, padding, 1, 1, s), [-1], s);
}
