// mx.random: MLX's key-based counter RNG. A key is a uint32 array of shape [2]; RandomBits
// hashes counters with threefry2x32 under it. Un-keyed calls draw from a global key that is
// advanced by splitting, exactly as MLX's KeySequence does, so seed(n) reproduces MLX.
import { MxArray, makeArray, internalArrays, markInternal, type ScalarOrArray } from '../array.js';
import { libraryOwned } from '../ownership.js';
import type { StreamOrDevice } from '../device.js';
import { Primitive } from '../primitive.js';
import { isFloating, Dtype as DtypeClass, uint8, uint16, uint32, int32, float16, bfloat16, float32, float64, type Dtype } from '../dtype.js';
import { broadcastShapes, normalizeAxis, checkDimension, checkShapeLimits } from '../shape.js';
import { abs as abs_, divide as divide_, equal as equal_, erf as erf_, erfinv as erfinv_, exp as exp_, floor as floor_, isinf as isinf_, less as less_, log as log_, log1p as log1p_, maximum as maximum_, minimum as minimum_, sign as sign_, where as where_ } from './elementwise.js';
import { searchsorted as searchsorted_ } from './sort.js';
import { max as maxReduce, sum as sumReduce, argmax as argmaxReduce } from './reduce.js';
import { add, subtract, multiply, negative } from './elementwise.js';
import { argsort } from './sort.js';
import { take } from './indexing.js';
import { cumsum } from './scan.js';
import { RandomBits } from '../primitives/random.js';
import { reshape, sliceView, astype } from './views.js';
import { asArray } from '../convert.js';

const TWO32 = 4294967296;

function checkSeed(seed: unknown, op: string): bigint {
  let v: bigint;
  if (typeof seed === 'bigint') v = seed;
  else if (typeof seed === 'number' && Number.isInteger(seed)) v = BigInt(seed);
  else throw new TypeError(`[${op}] seed must be an integer, got ${String(seed)}.`);
  // MLX takes a uint64 seed; Python rejects values outside [0, 2^64).
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`[${op}] seed must be in [0, 2^64), got ${String(seed)}.`);
  return v;
}

/** A PRNG key from a seed: [seed >> 32, seed & 0xffffffff] as uint32. */
export function key(seed: number | bigint): MxArray {
  const v = checkSeed(seed, 'key');
  const hi = Number(v >> 32n), lo = Number(v & 0xffffffffn);
  return new MxArray([hi, lo], uint32);
}

// The global key (MLX seeds it from the clock at start-up). It is the library's: made outside
// any mx.tidy scope, which would dispose it. A key it replaces is internal, as is the subkey
// a draw reads: their memory goes once the split or the draw that reads them is evaluated.
let globalKey: MxArray | null = null;

function replaceGlobalKey(next: MxArray): void {
  if (globalKey) markInternal(globalKey);
  globalKey = next;
}

/** Splits the global key: the next global key, and a subkey for one draw. */
function nextKey(): MxArray {
  return libraryOwned(() => {
    globalKey ??= key(Date.now() % TWO32);
    const [next, sub] = internalArrays(() => splitPair(globalKey!), (ks) => ks);
    replaceGlobalKey(next);
    return sub;
  });
}

/** Seeds the global key. */
export function seed(seed: number | bigint): void {
  libraryOwned(() => replaceGlobalKey(key(seed)));
}

/**
 * A sampler whose temporaries (bits, scaled and clamped copies) are internal: released while
 * its sample is evaluated, not when the garbage collector gets to them.
 */
function sampler<A extends unknown[]>(draw: (...args: A) => MxArray): (...args: A) => MxArray {
  return (...args) => internalArrays(() => draw(...args), (sample) => [sample]);
}

function checkKey(k: unknown, op: string): MxArray {
  if (!(k instanceof MxArray)) throw new TypeError(`[${op}] key must be an mx array of shape [2] and dtype uint32.`);
  k._check();
  if (k._dtype !== uint32) throw new TypeError(`[${op}] Expected key type uint32 but received ${k._dtype.name}.`);
  if (k._shape.length !== 1 || k._shape[0] !== 2) throw new TypeError(`[${op}] Expected key shape (2) but received (${k._shape.join(',')}).`);
  return k;
}

function shapeArg(shape: unknown, op: string): number[] {
  if (shape === undefined || shape === null) return [];
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list) || list.some((d) => typeof d !== 'number' || !Number.isInteger(d))) {
    throw new TypeError(`[${op}] shape must be an integer or an array of integers, got ${String(shape)}.`);
  }
  if (list.some((d: number) => d < 0)) throw new RangeError(`[${op}] Negative dimensions not allowed.`);
  checkShapeLimits(list as number[], op);
  return [...list] as number[];
}

/** Raw random bits of `width` bytes (1, 2 or 4 → uint8, uint16, uint32). */
export function bits(shape: number | number[] = [], width = 4, key?: MxArray | null, s?: StreamOrDevice): MxArray {
  const sh = shapeArg(shape, 'bits');
  const dtype: Dtype | undefined = width === 4 ? uint32 : width === 2 ? uint16 : width === 1 ? uint8 : undefined;
  if (!dtype) throw new RangeError(`[bits] Bit width must be in {1, 2, 4} but got ${width}.`);
  const prim = new Primitive(RandomBits, { shape: sh, width });
  if (key != null) return makeArray(sh, dtype, prim, [checkKey(key, 'bits')], s);
  const sub = nextKey();
  const out = makeArray(sh, dtype, prim, [sub], s);
  markInternal(sub); // read by this draw only
  return out;
}

function splitPair(k: MxArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const both = bits([2, 2], 4, k, s);
  return [
    reshape(sliceView(both, [0, 0], [1, 2], [1, 1], s), [2], s),
    reshape(sliceView(both, [1, 0], [2, 2], [1, 1], s), [2], s),
  ];
}

/** Splits a key into `num` new keys: an array of shape [num, 2]. */
export function split(key: MxArray, num = 2, s?: StreamOrDevice): MxArray {
  const k = checkKey(key, 'split');
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`[split] num must be a non-negative integer, got ${num}.`);
  checkDimension(num, 'split', 'num');
  return bits([num, 2], 4, k, s);
}

// ---- Samplers, composed from ops exactly as MLX's random.cpp composes them. ----
function floatDtype(dtype: Dtype, op: string): void {
  if (!(dtype instanceof DtypeClass)) throw new TypeError(`[${op}] dtype must be an mx Dtype, got ${String(dtype)}.`);
  if (!isFloating(dtype)) throw new TypeError(`[${op}] Can only generate random values with a real floating point type, got ${dtype.name}.`);
}

/** Largest value below 1 in `dtype`, as float32 (MLX clamps [0, 1] samples to it). */
function belowOne(dtype: Dtype): number {
  if (dtype === float16) return 1 - 2 ** -11;
  if (dtype === bfloat16) return 1 - 2 ** -8;
  return 1 - 2 ** -24;
}

/** Uniform samples in [low, high). */
export const uniform = sampler(function uniform(
  low: ScalarOrArray = 0,
  high: ScalarOrArray = 1,
  shape: number | number[] = [],
  dtype: Dtype = float32,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  floatDtype(dtype, 'uniform');
  if (dtype === float64) throw new TypeError('[uniform] Unsupported type float64.');
  const sh = shapeArg(shape, 'uniform');
  const lo = astype(asArray(low, 'low', 'uniform'), dtype, s);
  const hi = astype(asArray(high, 'high', 'uniform'), dtype, s);
  const range = subtract(hi, lo, s);
  const outShape = broadcastShapes(sh, range.shape);
  if (outShape.length !== sh.length || outShape.some((d, i) => d !== sh[i])) {
    throw new RangeError(`[uniform] Cannot generate random values of shape (${sh.join(',')}) from broadcasted shape (${outShape.join(',')}).`);
  }
  const upper = new MxArray(belowOne(dtype), float32);
  const maxval = new MxArray(4294967295, float32);
  const raw = bits(sh, 4, key, s);
  let out = divide_(raw, maxval, s);
  out = astype(minimum_(out, upper, s), dtype, s);
  return add(multiply(range, out, s), lo, s);
});

/** Normal samples: sqrt(2) * erfinv(u) for u uniform in (-1, 1), then scale and loc. */
export const normal = sampler(function normal(
  shape: number | number[] = [],
  dtype: Dtype = float32,
  loc?: ScalarOrArray | null,
  scale?: ScalarOrArray | null,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  floatDtype(dtype, 'normal');
  const sh = shapeArg(shape, 'normal');
  const samples = uniform(new MxArray(-(1 - 2 ** -24), float32), new MxArray(1, float32), sh, float32, key, s);
  let appliedScale = new MxArray(Math.SQRT2, dtype);
  if (scale != null) appliedScale = multiply(appliedScale, astype(asArray(scale, 'scale', 'normal'), dtype, s), s);
  let out = multiply(appliedScale, astype(erfinv_(samples, s), dtype, s), s);
  if (loc != null) out = add(astype(asArray(loc, 'loc', 'normal'), dtype, s), out, s);
  return out;
});

/** Integers in [low, high): floor of a float32 uniform, clamped to [low, high - 1]. */
export const randint = sampler(function randint(
  low: ScalarOrArray,
  high: ScalarOrArray,
  shape: number | number[] = [],
  dtype: Dtype = int32,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  if (!(dtype instanceof DtypeClass)) throw new TypeError(`[randint] dtype must be an mx Dtype, got ${String(dtype)}.`);
  if (isFloating(dtype) || dtype.kind === 'c') throw new TypeError('[randint] randint only accepts integer dtypes and bool.');
  const lo = asArray(low, 'low', 'randint');
  const hi = asArray(high, 'high', 'randint');
  const u = uniform(lo, hi, shapeArg(shape, 'randint'), float32, key, s);
  const out = astype(floor_(u, s), dtype, s);
  const top = astype(subtract(hi, new MxArray(1, hi.dtype), s), dtype, s);
  return maximum_(minimum_(out, top, s), astype(lo, dtype, s), s);
});

/** Booleans that are true with probability p: bits < p * nextafter(2^32 as float32, +inf). */
export const bernoulli = sampler(function bernoulli(p: ScalarOrArray = 0.5, shape?: number | number[] | null, key?: MxArray | null, s?: StreamOrDevice): MxArray {
  const pa = typeof p === 'number' ? new MxArray(p, float32) : asArray(p, 'p', 'bernoulli');
  if (!isFloating(pa.dtype)) throw new TypeError('[bernoulli] bernoulli probability `p` must be a float type.');
  const sh = shape == null ? [...pa.shape] : shapeArg(shape, 'bernoulli');
  const upper = new MxArray(4294967296 + 512, float32);
  const res = less_(bits(sh, 4, key, s), multiply(pa, upper, s), s);
  if (res.shape.length !== sh.length || res.shape.some((d, i) => d !== sh[i])) {
    throw new RangeError('[bernoulli] shape of `p` is incompatible with argument `shape`.');
  }
  return res;
});

/** Gumbel samples: -log(-log(u)). */
export const gumbel = sampler(function gumbel(shape: number | number[] = [], dtype: Dtype = float32, key?: MxArray | null, s?: StreamOrDevice): MxArray {
  const log = log_;
  return negative(log(negative(log(uniform(0, 1, shapeArg(shape, 'gumbel'), dtype, key, s), s), s), s), s);
});

/** A random permutation of arange(x) (x a number) or of x's entries along `axis`. */
export const permutation = sampler(function permutation(x: number | ScalarOrArray, axis: number | MxArray = 0, key?: MxArray | null | StreamOrDevice, s?: StreamOrDevice): MxArray {
  // node-mlx's `permutation(n, key?, s?)`: with an integer there is no axis.
  if (axis instanceof MxArray) return permutation(x, 0, axis, key as StreamOrDevice);
  if (key !== undefined && key !== null && !(key instanceof MxArray)) throw new TypeError('[permutation] key must be an mx array from mx.random.key.');
  if (typeof x === 'number') {
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`[permutation] x must be a non-negative integer, got ${x}.`);
    return argsort(bits([x], 4, key, s), s);
  }
  const a = asArray(x, 'x', 'permutation');
  if (a.ndim === 0) throw new RangeError('[permutation] x must have at least one dimension.');
  const ax = normalizeAxis(axis, a.ndim, 'permutation');
  return take(a, argsort(bits([a.shape[ax]!], 4, key, s), s), ax, s);
});

/** Normal samples truncated to [lower, upper]: inverse CDF of a uniform in [erf(l/√2), erf(u/√2)). */
export const truncatedNormal = sampler(function truncatedNormal(
  lower: ScalarOrArray,
  upper: ScalarOrArray,
  shape?: number | number[] | null,
  dtype: Dtype = float32,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  floatDtype(dtype, 'truncatedNormal');
  const lo = astype(asArray(lower, 'lower', 'truncatedNormal'), dtype, s);
  const hi = astype(asArray(upper, 'upper', 'truncatedNormal'), dtype, s);
  const sh = shape == null ? broadcastShapes(lo.shape, hi.shape) : shapeArg(shape, 'truncatedNormal');
  const sqrt2 = new MxArray(Math.SQRT2, dtype);
  const erf = erf_, divide = divide_;
  const a = erf(divide(lo, sqrt2, s), s);
  const b = erf(divide(hi, sqrt2, s), s);
  const u = uniform(a, b, sh, dtype, key, s);
  const out = multiply(sqrt2, erfinv_(u, s), s);
  return maximum_(minimum_(hi, out, s), lo, s);
});

/** Laplace samples: sign(u) * log1p(-|u|) for u uniform in (-1, 1), then scale and loc. */
export const laplace = sampler(function laplace(
  shape: number | number[] = [],
  dtype: Dtype = float32,
  loc: number = 0,
  scale: number = 1,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  floatDtype(dtype, 'laplace');
  const u = uniform(new MxArray(-(1 - 2 ** -24), float32), new MxArray(1, float32), shape, float32, key, s);
  const mag = log1p_(multiply(new MxArray(-1, dtype), abs_(u, s), s), s);
  let out = astype(multiply(sign_(u, s), mag, s), dtype, s);
  // MLX takes loc and scale as float32 scalars.
  if (scale !== 1) out = multiply(new MxArray(Math.fround(scale), dtype), out, s);
  if (loc !== 0) out = add(new MxArray(Math.fround(loc), dtype), out, s);
  return out;
});

function categoricalImpl(logits: MxArray, axis: number, shape: number[], key: MxArray | null | undefined, s?: StreamOrDevice): MxArray {
  const n = logits.shape[axis]!;
  if (n > 0 && logits.size === n && shape.length > 0) {
    // Inverse-CDF sampling for a single distribution (MLX does this to save memory).
    const dtype = logits.dtype === float64 ? float64 : float32;
    const x = astype(reshape(logits, [n], s), dtype, s);
    const m = maxReduce(x, false, s);
    const w = where_(
      isinf_(m, s),
      astype(equal_(x, m, s), dtype, s),
      exp_(subtract(x, m, s), s),
      s,
    );
    const cdf = cumsum(w, 0, false, false, s);
    const u = multiply(uniform(0, 1, shape, float32, key, s), sumReduce(w, false, s), s);
    return subtract(searchsorted_(cdf, u, 'right', s), new MxArray(1, uint32), s);
  }
  const gShape = [...shape];
  const offset = axis + shape.length - logits.ndim + 1;
  gShape.splice(offset, 0, n);
  const g = gumbel(gShape, float32, key, s);
  return argmaxReduce(add(g, logits, s), offset, false, s);
}

function validAxis(axis: number, ndim: number): number {
  const ax = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || ax < 0 || ax >= ndim) throw new RangeError(`[categorical] Invalid axis ${axis} for logits with ${ndim} dimensions.`);
  return ax;
}

/** Samples indices along `axis` with probabilities softmax(logits): Gumbel-max, as MLX. */
export const categorical = sampler(function categorical(
  logits: ScalarOrArray,
  axis: number = -1,
  shape?: number | number[] | null,
  numSamples?: number | null,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  const x = asArray(logits, 'logits', 'categorical');
  const ax = validAxis(axis, x.ndim);
  if (shape != null && numSamples != null) throw new TypeError('[categorical] At most one of shape or numSamples can be specified.');
  if (numSamples != null) {
    if (!Number.isInteger(numSamples) || numSamples < 0) throw new RangeError(`[categorical] numSamples must be a non-negative integer, got ${numSamples}.`);
    checkDimension(numSamples, 'categorical', 'numSamples');
    const ex = reshape(x, [...x.shape, 1], s);
    const sh = [...ex.shape];
    sh.splice(ax, 1);
    sh[sh.length - 1] = numSamples;
    return categoricalImpl(ex, ax, sh, key, s);
  }
  const reduced = [...x.shape];
  reduced.splice(ax, 1);
  if (shape == null) return categoricalImpl(x, ax, reduced, key, s);
  const sh = shapeArg(shape, 'categorical');
  const b = broadcastShapes(sh, reduced);
  if (b.length !== sh.length || b.some((d, i) => d !== sh[i])) {
    throw new RangeError(`[categorical] Requested shape (${sh.join(',')}) is not broadcast compatible with reduced logits shape (${reduced.join(',')}).`);
  }
  return categoricalImpl(x, ax, sh, key, s);
});
export { multivariateNormal } from './random-multivariate.js';
