// Creation ops: zeros, ones, full, *Like, arange, linspace, eye, identity, tri, tril, triu,
// meshgrid. Composed from other ops the way MLX composes them, so values match MLX.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Arange } from '../primitives/creation.js';
import { Dtype, bool, int32, float32, float64 } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { checkDimension, checkShape, shapeToString } from '../shape.js';
import { asArray, scalarToArray, describeValue } from '../convert.js';
import { astype, broadcastAgainst, broadcastTo, copy, reshape } from './views.js';
import { inDynamicTracing } from '../transforms/trace.js';
import { abs, add, cos, divide, greaterEqual, multiply, sin, square, subtract, where } from './elementwise.js';

function checkDtype(d: unknown, op: string): Dtype | undefined {
  if (d === undefined || d === null) return undefined;
  if (!(d instanceof Dtype)) throw new TypeError(`[${op}] dtype must be an mx Dtype (e.g. mx.float32), got ${String(d)}.`);
  return d;
}

function checkInt(v: unknown, op: string, name: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new TypeError(`[${op}] ${name} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${String(v)}.`);
  }
  return v;
}

/**
 * An array of `shape` filled with `fillValue` (a scalar or an array broadcast to the shape).
 * The dtype defaults to the fill value's (a number is float32, a bigint int32, a boolean bool).
 */
export function full(shape: number | number[], fillValue: ScalarOrArray, dtype?: Dtype, s?: StreamOrDevice): MxArray {
  const sh = checkShape(shape, 'full');
  const d = checkDtype(dtype, 'full');
  // As MLX's Python full: the dtype types a scalar fill value the way a weak scalar meets an
  // array of that dtype (so full(s, 2.5, int32) is float32, as in MLX), and an array fill
  // value keeps its own dtype.
  const v = fillValue instanceof MxArray ? fillValue._check() : d && !Array.isArray(fillValue) ? scalarToArray(fillValue, d) : asArray(fillValue, 'fillValue', 'full');
  // AsType over a broadcast view materializes a fresh array that aliases nothing.
  return copy(broadcastTo(v, sh, s), v._dtype, s);
}

export function zeros(shape: number | number[], dtype: Dtype = float32, s?: StreamOrDevice): MxArray {
  return full(shape, new MxArray(0, checkDtype(dtype, 'zeros') ?? float32), undefined, s);
}

export function ones(shape: number | number[], dtype: Dtype = float32, s?: StreamOrDevice): MxArray {
  return full(shape, new MxArray(1, checkDtype(dtype, 'ones') ?? float32), undefined, s);
}

/** `v` broadcast to x's shape and copied as `dtype`; a shapeless replay follows x's new shape (MLX's full_like). */
function fillLike(x: MxArray, v: MxArray, dtype: Dtype, s?: StreamOrDevice): MxArray {
  const fixed = broadcastTo(v, x._shape, s); // (validates v against x)
  return copy(inDynamicTracing() ? broadcastAgainst(v, [x], 0, s) : fixed, dtype, s);
}

export function zerosLike(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'zerosLike');
  return fillLike(x, new MxArray(0, x._dtype), x._dtype, s);
}

export function onesLike(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'onesLike');
  return fillLike(x, new MxArray(1, x._dtype), x._dtype, s);
}

/** `fullLike(a, value, dtype?)`: MLX's full_like. */
export function fullLike(a: ScalarOrArray, fillValue: ScalarOrArray, dtype?: Dtype, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'fullLike');
  const v = asArray(fillValue, 'fillValue', 'fullLike');
  return fillLike(x, v, checkDtype(dtype, 'fullLike') ?? x._dtype, s);
}

/**
 * node-mlx's two forms: `arange(stop, dtype?, s?)` and `arange(start, stop?, step?, dtype?, s?)`.
 * The dtype is float32 for numbers (JS numbers are Python floats) and int32 when every given
 * bound is a bigint (a Python int), unless a dtype is given (MLX).
 */
export function arange(...args: unknown[]): MxArray {
  // Leading bounds (undefined/null allowed for stop and step), then dtype, then stream.
  const nums: (number | undefined)[] = [];
  let allInt = true;
  let i = 0;
  for (; i < args.length && i < 3; i++) {
    const v = args[i];
    if (typeof v === 'number' || typeof v === 'bigint') {
      nums.push(Number(v));
      allInt &&= typeof v === 'bigint';
    } else if ((v === undefined || v === null) && i > 0) nums.push(undefined);
    else break;
  }
  while (nums.length && nums[nums.length - 1] === undefined) nums.pop();
  const dtype = args[i] instanceof Dtype ? (args[i++] as Dtype) : undefined;
  if (args[i] === undefined || args[i] === null) i++;
  const s = args[i] as StreamOrDevice;
  if (nums.length === 0 || nums[0] === undefined) throw new TypeError(`[arange] expected a number for the first bound, got ${describeValue(args[0])}.`);
  if (nums.length === 3 && nums[1] === undefined) throw new TypeError('[arange] a step needs a stop.');
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  const d = dtype ?? (allInt ? int32 : float32);
  if (d === bool) throw new TypeError('[arange] mlx.core.bool not supported for arange.');
  if (Number.isNaN(start) || Number.isNaN(stop) || Number.isNaN(step)) throw new RangeError('[arange] Cannot compute length.');
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new RangeError('[arange] Cannot compute length.');
  if (step === 0) throw new RangeError('[arange] step must be nonzero.');
  let size: number;
  if (!Number.isFinite(step)) size = (step > 0 && start < stop) || (step < 0 && start > stop) ? 1 : 0;
  else {
    const real = Math.ceil((stop - start) / step);
    if (real > 2147483647) throw new RangeError('[arange] Maximum size exceeded.');
    size = Math.max(real, 0);
  }
  return makeArray([size], d, new Primitive(Arange, { start, stop, step: Number.isFinite(step) ? step : 0 }), [], s);
}

/**
 * `num` evenly spaced samples from start to stop, computed as MLX does: (1 - t) * start + t * stop.
 * Takes node-mlx's `(start, stop, num?, dtype?, s?)` and MLX's `(start, stop, num?, endpoint?, dtype?, s?)`.
 */
export function linspace(start: number | bigint, stop: number | bigint, num?: number, ...rest: unknown[]): MxArray {
  const endpoint = typeof rest[0] === 'boolean' ? (rest.shift() as boolean) : true;
  const dtype = (rest[0] === undefined ? float32 : rest[0]) as Dtype;
  const s = rest[1] as StreamOrDevice;
  num ??= 50;
  // Python ints and floats alike: the samples are float32 unless a dtype is given (MLX).
  if (typeof start === 'bigint') start = Number(start);
  if (typeof stop === 'bigint') stop = Number(stop);
  if (typeof start !== 'number' || typeof stop !== 'number') throw new TypeError(`[linspace] start and stop must be numbers, got ${describeValue(start)} and ${describeValue(stop)}.`);
  checkInt(num, 'linspace', 'num');
  if (num < 0) throw new RangeError(`[linspace] number of samples, ${num}, must be non-negative.`);
  checkDimension(num, 'linspace', 'num');
  const d = checkDtype(dtype, 'linspace') ?? float32;
  if (num === 1) return astype(new MxArray([start], float32), d, s);
  const inner = d === float64 ? float64 : float32;
  const t = divide(arange(0, num, 1, inner, s), new MxArray(endpoint ? num - 1 : num, inner), s);
  const tBar = subtract(new MxArray(1, inner), t, s);
  return astype(add(multiply(tBar, new MxArray(start, inner), s), multiply(t, new MxArray(stop, inner), s), s), d, s);
}

/** Lower-triangular ones: entry (i, j) is 1 where j <= i + k. */
export function tri(n: number, m?: number | null, k = 0, dtype: Dtype = float32, s?: StreamOrDevice): MxArray {
  checkInt(n, 'tri', 'N', 0);
  const cols = m === undefined || m === null ? n : checkInt(m, 'tri', 'M', 0);
  checkDimension(n, 'tri', 'N');
  checkDimension(cols, 'tri', 'M');
  checkInt(k, 'tri', 'k');
  const l = reshape(arange(0, n, 1, int32, s), [n, 1]);
  const r = reshape(arange(-k, cols - k, 1, int32, s), [1, cols]);
  return astype(greaterEqual(l, r, s), checkDtype(dtype, 'tri') ?? float32, s);
}

/** Ones on the k-th diagonal of an n x m matrix. */
export function eye(n: number, m?: number | null, k = 0, dtype: Dtype = float32, s?: StreamOrDevice): MxArray {
  checkInt(n, 'eye', 'N', 0);
  const cols = m === undefined || m === null ? n : checkInt(m, 'eye', 'M', 0);
  checkDimension(n, 'eye', 'N');
  checkDimension(cols, 'eye', 'M');
  checkInt(k, 'eye', 'k');
  const d = checkDtype(dtype, 'eye') ?? float32;
  const l = reshape(arange(0, n, 1, int32, s), [n, 1]);
  const r = reshape(arange(-k, cols - k, 1, int32, s), [1, cols]);
  return astype(greaterEqual(l, r, s).logicalAnd(greaterEqual(r, l, s), s), d, s);
}

export function identity(n: number, dtype: Dtype = float32, s?: StreamOrDevice): MxArray {
  return eye(n, n, 0, dtype, s);
}

function triMask(x: MxArray, k: number, op: string, s: StreamOrDevice): MxArray {
  if (x._shape.length < 2) throw new Error(`[${op}] array must be at least 2-D, got shape ${shapeToString(x._shape)}.`);
  checkInt(k, op, 'k');
  return tri(x._shape[x._shape.length - 2]!, x._shape[x._shape.length - 1]!, k, bool, s);
}

/** Zeros above the k-th diagonal (of the last two axes). */
export function tril(a: ScalarOrArray, k = 0, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'tril');
  return where(triMask(x, k, 'tril', s), x, new MxArray(0, x._dtype), s);
}

/** Zeros below the k-th diagonal (of the last two axes). */
export function triu(a: ScalarOrArray, k = 0, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'triu');
  return where(triMask(x, k - 1, 'triu', s), new MxArray(0, x._dtype), x, s);
}

export interface MeshgridOptions {
  sparse?: boolean;
  indexing?: 'xy' | 'ij';
}

/**
 * Coordinate grids from 1-D arrays: `meshgrid(...arrays)` as node-mlx, with MLX's options as
 * an optional trailing `{ sparse, indexing }` object ('xy' by default).
 */
export function meshgrid(...args: (ScalarOrArray | MeshgridOptions)[]): MxArray[] {
  let opts: MeshgridOptions = {};
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && !(last instanceof MxArray) && !Array.isArray(last) && !ArrayBuffer.isView(last)) {
    opts = args.pop() as MeshgridOptions;
  }
  const indexing = opts.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new TypeError(`[meshgrid] indexing must be 'xy' or 'ij', got '${String(indexing)}'.`);
  const xs = args.map((a, i) => asArray(a, `arrays[${i}]`, 'meshgrid'));
  xs.forEach((x, i) => {
    if (x._shape.length !== 1) throw new Error(`[meshgrid] arrays must be 1-D, arrays[${i}] has shape ${shapeToString(x._shape)}.`);
  });
  const n = xs.length;
  const shapes = xs.map((x, i) => {
    const sh = new Array<number>(n).fill(1);
    sh[i] = x._shape[0]!;
    if (indexing === 'xy' && n >= 2 && i < 2) {
      sh[i] = 1;
      sh[1 - i] = x._shape[0]!;
    }
    return sh;
  });
  const grids = xs.map((x, i) => reshape(x, shapes[i]!));
  if (opts.sparse) return grids;
  // each axis takes its length from the one grid that varies along it (0-length included)
  const outShape = shapes.reduce((acc, sh) => acc.map((d, i) => (sh[i] !== 1 ? sh[i]! : d)), new Array<number>(n).fill(1));
  return grids.map((g) => broadcastTo(g, outShape));
}

/** MLX's `empty`: zeros (MLX binds the same function under both names). */
export const empty = zeros;

/** MLX's `empty_like`: zeros of `a`'s shape, in `dtype` when one is given (else a's dtype). */
export function emptyLike(a: ScalarOrArray, dtype?: Dtype | null | StreamOrDevice, s?: StreamOrDevice): MxArray {
  if (!(dtype instanceof Dtype) && dtype !== null && dtype !== undefined) [dtype, s] = [undefined, dtype];
  const x = asArray(a, 'array', 'empty_like');
  return full(x._shape, new MxArray(0, (dtype as Dtype | null | undefined) ?? x._dtype), undefined, s);
}

// ---- windows (mlx/ops.cpp): float32 tapers of M points, computed as MLX computes them ----

/** n = 0..M-1 as float32, or the whole window when M < 2 (empty for M < 1, [1] for M = 1). */
function windowPoints(m: number, op: string, s: StreamOrDevice): MxArray | null {
  checkInt(m, op, 'M');
  return m < 2 ? null : arange(0, m, 1, float32, s);
}
function trivialWindow(m: number, s: StreamOrDevice): MxArray {
  return m < 1 ? new MxArray([], float32) : ones([1], float32, s);
}
const f32 = (v: number): MxArray => new MxArray(v, float32);

/** The Bartlett (triangular) window: 1 - |2n / (M - 1) - 1|. */
export function bartlett(m: number, s?: StreamOrDevice): MxArray {
  const n = windowPoints(m, 'bartlett', s);
  if (!n) return trivialWindow(m, s);
  return subtract(f32(1), abs(subtract(multiply(f32(2 / (m - 1)), n, s), f32(1), s), s), s);
}

/** The Hann window: sin(pi n / (M - 1))^2. */
export function hanning(m: number, s?: StreamOrDevice): MxArray {
  const n = windowPoints(m, 'hanning', s);
  if (!n) return trivialWindow(m, s);
  return square(sin(multiply(f32(Math.PI / (m - 1)), n, s), s), s);
}

/** The Hamming window: 0.54 - 0.46 cos(2 pi n / (M - 1)). */
export function hamming(m: number, s?: StreamOrDevice): MxArray {
  const n = windowPoints(m, 'hamming', s);
  if (!n) return trivialWindow(m, s);
  return subtract(f32(0.54), multiply(f32(0.46), cos(multiply(f32((2 * Math.PI) / (m - 1)), n, s), s), s), s);
}

/** The Blackman window: 0.42 - 0.5 cos(x) + 0.08 cos(2x), x = 2 pi n / (M - 1), as MLX's 0.34 - 0.5 cos + 0.16 cos^2. */
export function blackman(m: number, s?: StreamOrDevice): MxArray {
  const n = windowPoints(m, 'blackman', s);
  if (!n) return trivialWindow(m, s);
  const c = cos(multiply(f32((2 * Math.PI) / (m - 1)), n, s), s);
  return add(subtract(f32(0.34), multiply(f32(0.5), c, s), s), multiply(f32(0.16), square(c, s), s), s);
}
