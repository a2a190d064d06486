// Shape ops: expandDims, squeeze, flatten, unflatten, swapaxes, moveaxis, permuteDims,
// concatenate, stack, split, tile, repeat, pad, diag, diagonal, trace, atleast1d/2d/3d,
// roll, kron. Views wherever MLX's op is a view (reshape/transpose/slice underneath).
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Concatenate, Diagonal } from '../primitives/shape.js';
import { Dtype, resultType, int32 } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { normalizeAxis, normalizeAxes, shapeSize, shapeToString, shapesEqual, checkDimension, checkShapeLimits, broadcastShapes as broadcastShapeList } from '../shape.js';
import { asArray } from '../convert.js';
import { astype, broadcastTo, reshape, transpose, sliceView } from './views.js';
import { multiply, subtract, where } from './elementwise.js';
import { sum } from './reduce.js';
import { eye } from './creation.js';
import { reshapeTo, squeezeTo, expandTo } from './internal.js';
import type { ReshapeDim } from '../primitives/views.js';
import { take } from './indexing.js';


function intArg(v: unknown, op: string, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`[${op}] ${name} must be an integer, got ${String(v)}.`);
  return v;
}

/** Inserts size-1 axes at `axes` (positions in the output). */
export function expandDims(a: ScalarOrArray, axes: number | number[], s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'expand_dims');
  const list = typeof axes === 'number' ? [axes] : axes;
  if (!Array.isArray(list)) throw new TypeError(`[expand_dims] axes must be a number or a list of numbers, got ${String(axes)}.`);
  const outNdim = x._shape.length + list.length;
  const norm = normalizeAxes(list, outNdim, 'expand_dims').sort((p, q) => p - q);
  return expandTo(x, norm, s);
}

/** Removes size-1 axes (all of them, or those given, which must have size 1). */
export function squeeze(a: ScalarOrArray, axes?: number | number[] | null, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'squeeze');
  const nd = x._shape.length;
  const drop =
    axes === undefined || axes === null
      ? x._shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : normalizeAxes(axes, nd, 'squeeze');
  for (const ax of drop) {
    if (x._shape[ax] !== 1) throw new Error(`[squeeze] Cannot squeeze axis ${ax} with size ${x._shape[ax]} != 1.`);
  }
  return squeezeTo(x, drop, s);
}

/** Flattens axes startAxis..endAxis (inclusive) into one; a 0-d array becomes shape [1]. */
export function flatten(a: ScalarOrArray, startAxis = 0, endAxis = -1, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'flatten');
  const nd = x._shape.length;
  if (nd === 0) return reshapeTo(x, [1], s);
  const st = normalizeAxis(intArg(startAxis, 'flatten', 'startAxis'), nd, 'flatten', 'startAxis');
  const en = normalizeAxis(intArg(endAxis, 'flatten', 'endAxis'), nd, 'flatten', 'endAxis');
  if (st > en) throw new Error(`[flatten] startAxis ${startAxis} must come before endAxis ${endAxis}.`);
  const shape = [...x._shape.slice(0, st), checkDimension(shapeSize(x._shape.slice(st, en + 1)), 'flatten'), ...x._shape.slice(en + 1)];
  const dims = shape.map((_, i): ReshapeDim => (i < st ? [i, i + 1] : i === st ? [st, en + 1] : [i + en - st, i + en - st + 1]));
  return reshapeTo(x, shape, s, dims);
}

/** Splits one axis into `shape` (one entry may be -1). */
export function unflatten(a: ScalarOrArray, axis: number, shape: number[], s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'unflatten');
  const ax = normalizeAxis(axis, x._shape.length, 'unflatten');
  if (!Array.isArray(shape) || shape.length === 0) throw new TypeError('[unflatten] shape must be a non-empty list of integers.');
  const d = x._shape[ax]!;
  const infer = shape.indexOf(-1);
  const known = shapeSize(shape.filter((v) => v !== -1));
  const sub = [...shape];
  for (const v of shape) checkDimension(v, 'unflatten');
  if (infer >= 0) {
    if (known === 0 || d % known !== 0) throw new Error(`[unflatten] Cannot unflatten axis ${axis} of size ${d} into shape ${shapeToString(shape)}.`);
    sub[infer] = d / known;
  }
  if (shapeSize(sub) !== d) throw new Error(`[unflatten] Cannot unflatten axis ${axis} of size ${d} into shape ${shapeToString(shape)}.`);
  // the other axes follow the input; a -1 is inferred again by a shapeless replay
  const dims: ReshapeDim[] = [
    ...x._shape.slice(0, ax).map((_, i): ReshapeDim => [i, i + 1]),
    ...shape,
    ...x._shape.slice(ax + 1).map((_, i): ReshapeDim => [ax + 1 + i, ax + 2 + i]),
  ];
  return reshapeTo(x, [...x._shape.slice(0, ax), ...sub, ...x._shape.slice(ax + 1)], s, dims);
}

export function swapaxes(a: ScalarOrArray, axis1: number, axis2: number, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'swapaxes');
  const nd = x._shape.length;
  const i = normalizeAxis(axis1, nd, 'swapaxes', 'axis1');
  const j = normalizeAxis(axis2, nd, 'swapaxes', 'axis2');
  const perm = [...Array(nd).keys()];
  perm[i] = j;
  perm[j] = i;
  return transpose(x, perm, s ?? undefined);
}

/** Moves axes from `source` to `destination` positions, keeping the others in order. */
export function moveaxis(a: ScalarOrArray, source: number | number[], destination: number | number[], s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'moveaxis');
  const nd = x._shape.length;
  const src = normalizeAxes(source, nd, 'moveaxis');
  const dst = normalizeAxes(destination, nd, 'moveaxis');
  if (src.length !== dst.length) throw new Error(`[moveaxis] source and destination must have the same number of axes (${src.length} vs ${dst.length}).`);
  const rest = [...Array(nd).keys()].filter((i) => !src.includes(i));
  const perm = new Array<number>(nd).fill(-1);
  src.forEach((sa, k) => (perm[dst[k]!] = sa));
  let r = 0;
  for (let i = 0; i < nd; i++) if (perm[i] === -1) perm[i] = rest[r++]!;
  return transpose(x, perm, s ?? undefined);
}

/** The Array API's name for transpose. */
export function permuteDims(a: ScalarOrArray, ...axes: (number | number[] | StreamOrDevice)[]): MxArray {
  return transpose(a, ...axes);
}

/** Joins arrays along an existing axis (axis null: flattened first); dtypes are promoted. */
export function concatenate(arrays: ScalarOrArray[], axis: number | null = 0, s?: StreamOrDevice): MxArray {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new Error('[concatenate] No arrays provided for concatenation.');
  let xs = arrays.map((a, i) => asArray(a, `arrays[${i}]`, 'concatenate'));
  if (axis === null) {
    xs = xs.map((x) => reshapeTo(x, [x.size], s));
    axis = 0;
  }
  const nd = xs[0]!._shape.length;
  if (nd === 0) throw new Error('[concatenate] Cannot concatenate 0-d (scalar) arrays.');
  const ax = normalizeAxis(intArg(axis, 'concatenate', 'axis'), nd, 'concatenate');
  for (const x of xs) {
    if (x._shape.length !== nd || x._shape.some((d, i) => i !== ax && d !== xs[0]!._shape[i])) {
      throw new Error(
        `[concatenate] All the input array dimensions must match exactly except for the concatenation axis; got shapes ${xs.map((y) => shapeToString(y._shape)).join(', ')} on axis ${ax}.`,
      );
    }
  }
  const dtype = resultType(...xs.map((x) => x._dtype));
  if (xs.length === 1) return astype(xs[0]!, dtype, s);
  const shape = [...xs[0]!._shape];
  shape[ax] = checkDimension(xs.reduce((n, x) => n + x._shape[ax]!, 0), 'concatenate');
  return makeArray(shape, dtype, new Primitive(Concatenate, { axis: ax }), xs.map((x) => astype(x, dtype, s)), s);
}

export const concat = concatenate;

/** Joins equally shaped arrays along a new axis. */
export function stack(arrays: ScalarOrArray[], axis = 0, s?: StreamOrDevice): MxArray {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new Error('[stack] No arrays provided for stacking.');
  const xs = arrays.map((a, i) => asArray(a, `arrays[${i}]`, 'stack'));
  for (const x of xs) {
    if (!shapesEqual(x._shape, xs[0]!._shape)) {
      throw new Error(`[stack] All arrays must have the same shape; got ${xs.map((y) => shapeToString(y._shape)).join(', ')}.`);
    }
  }
  const ax = normalizeAxis(intArg(axis, 'stack', 'axis'), xs[0]!._shape.length + 1, 'stack');
  return concatenate(xs.map((x) => expandDims(x, ax, s)), ax, s);
}

/** Splits into equal sections (a number) or at the given indices (a list); views. */
export function split(a: ScalarOrArray, indicesOrSections: number | number[] = 2, axis = 0, s?: StreamOrDevice): MxArray[] {
  const x = asArray(a, 'array', 'split');
  const nd = x._shape.length;
  const ax = normalizeAxis(intArg(axis, 'split', 'axis'), nd, 'split');
  const n = x._shape[ax]!;
  let bounds: number[];
  if (typeof indicesOrSections === 'number') {
    const k = intArg(indicesOrSections, 'split', 'sections');
    if (k <= 0) throw new RangeError(`[split] Invalid number of sections ${k}.`);
    if (n % k !== 0) throw new Error(`[split] Array split does not result in sub arrays with equal size: axis ${ax} of size ${n} into ${k} sections.`);
    bounds = Array.from({ length: k - 1 }, (_, i) => ((i + 1) * n) / k);
  } else if (Array.isArray(indicesOrSections)) {
    bounds = indicesOrSections.map((i) => {
      const v = intArg(i, 'split', 'indices');
      return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    });
  } else {
    throw new TypeError(`[split] indicesOrSections must be a number or a list of numbers, got ${String(indicesOrSections)}.`);
  }
  const edges = [0, ...bounds, n];
  const out: MxArray[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = x._shape.map(() => 0);
    const stop = [...x._shape];
    start[ax] = edges[i]!;
    stop[ax] = Math.max(edges[i]!, edges[i + 1]!);
    out.push(sliceView(x, start, stop, x._shape.map(() => 1), s));
  }
  return out;
}

/** Repeats the whole array `reps` times along each axis (reps aligned to the trailing axes). */
export function tile(a: ScalarOrArray, reps: number | number[], s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'tile');
  const r = typeof reps === 'number' ? [reps] : reps;
  if (!Array.isArray(r) || r.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new TypeError(`[tile] reps must be non-negative integers, got ${String(reps)}.`);
  }
  for (const v of r) checkDimension(v, 'tile', 'reps entry');
  const nd = Math.max(x._shape.length, r.length);
  const shape = [...new Array<number>(nd - x._shape.length).fill(1), ...x._shape];
  const rr = [...new Array<number>(nd - r.length).fill(1), ...r];
  // checked before the broadcast in between, whose errors would name broadcastTo
  checkShapeLimits(shape.map((d, i) => d * rr[i]!), 'tile');
  const expanded = reshapeTo(x, shape.flatMap((d) => [1, d]), s);
  const b = broadcastTo(expanded, shape.flatMap((d, i) => [rr[i]!, d]), s);
  return reshapeTo(b, shape.map((d, i) => d * rr[i]!), s);
}

/** Repeats each element `repeats` times along `axis` (no axis: the flattened array). */
export function repeat(a: ScalarOrArray, repeats: number, axis?: number | null, s?: StreamOrDevice): MxArray {
  let x = asArray(a, 'array', 'repeat');
  if (!Number.isInteger(repeats) || repeats < 0) throw new TypeError(`[repeat] repeats must be a non-negative integer, got ${String(repeats)}.`);
  checkDimension(repeats, 'repeat', 'repeats');
  if (axis === undefined || axis === null) {
    x = reshapeTo(x, [checkDimension(x.size, 'repeat')], s);
    axis = 0;
  }
  const ax = normalizeAxis(axis, x._shape.length, 'repeat');
  const shape = [...x._shape];
  const e = expandDims(x, ax + 1, s);
  const bshape = [...shape.slice(0, ax + 1), repeats, ...shape.slice(ax + 1)];
  const out = [...shape];
  out[ax] = checkDimension(shape[ax]! * repeats, 'repeat');
  return reshapeTo(broadcastTo(e, bshape, s), out, s);
}

type PadWidth = number | [number] | [number, number] | number[][];
type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** Pads with a constant (default 0) or the edge values ('edge'); MLX's pad_width forms. */
export function pad(
  a: ScalarOrArray,
  padWidth: PadWidth,
  constantValue: ScalarOrArray | PadMode = 0,
  mode: PadMode | ScalarOrArray = 'constant',
  s?: StreamOrDevice,
): MxArray {
  const x = asArray(a, 'array', 'pad');
  // node-mlx's order is (padWidth, constantValue, mode); MLX's is (padWidth, mode, constantValues).
  if (typeof constantValue === 'string') [constantValue, mode] = [typeof mode === 'string' || mode === undefined ? 0 : mode, constantValue];
  const nd = x._shape.length;
  let widths: [number, number][];
  const bad = () => new TypeError(`[pad] Invalid padWidth ${JSON.stringify(padWidth)}: expected an int, [int], [before, after] or one [before, after] pair per axis.`);
  if (typeof padWidth === 'number') widths = Array.from({ length: nd }, () => [padWidth, padWidth]);
  else if (Array.isArray(padWidth) && padWidth.every((v) => typeof v === 'number')) {
    const p = padWidth as number[];
    if (p.length === 1) widths = Array.from({ length: nd }, () => [p[0]!, p[0]!]);
    else if (p.length === 2) widths = Array.from({ length: nd }, () => [p[0]!, p[1]!]);
    else throw bad();
  } else if (Array.isArray(padWidth) && padWidth.every((v) => Array.isArray(v))) {
    const p = padWidth as number[][];
    if (p.length === 1) widths = Array.from({ length: nd }, () => [p[0]![0]!, p[0]![1] ?? p[0]![0]!]);
    else if (p.length === nd) widths = p.map((q) => [q[0]!, q[1] ?? q[0]!]);
    else throw new Error(`[pad] Invalid number of padding sizes passed to pad: got ${p.length} pairs for an array with ${nd} dimensions.`);
  } else throw bad();
  for (const [lo, hi] of widths) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) throw new RangeError(`[pad] Invalid padding sizes ${JSON.stringify(padWidth)}: they must be non-negative integers.`);
  }
  // checked before the pieces are built, whose errors would name broadcastTo or concatenate
  checkShapeLimits(x._shape.map((d, i) => d + widths[i]![0] + widths[i]![1]), 'pad');
  if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect' && mode !== 'symmetric') {
    throw new TypeError(`[pad] mode must be 'constant', 'edge', 'reflect' or 'symmetric', got '${String(mode)}'.`);
  }
  const value = astype(asArray(constantValue, 'constantValue', 'pad'), x._dtype, s);
  if (value._shape.length !== 0) throw new Error('[pad] constantValue must be a scalar.');
  let out = x;
  widths.forEach(([lo, hi], ax) => {
    if (lo === 0 && hi === 0) return;
    const parts: MxArray[] = [];
    const blockShape = (n: number) => out._shape.map((d, i) => (i === ax ? n : d));
    // rows [from, from + step * count) along the axis, as a strided view
    const rows = (from: number, count: number, step: number) => {
      const start = out._shape.map(() => 0);
      const stop = [...out._shape];
      const steps = out._shape.map(() => 1);
      start[ax] = from;
      stop[ax] = from + step * count;
      steps[ax] = step;
      return sliceView(out, start, stop, steps, s);
    };
    const n = out._shape[ax]!;
    // An empty axis has no edge to copy: MLX fills with zeros, and so do we.
    const m = n === 0 ? 'constant' : mode;
    if (m === 'reflect' || m === 'symmetric') {
      // Mirror periodically, as MLX does when the padding is wider than the axis: reflect has
      // period 2(n - 1) (the edge is not repeated), symmetric 2n (it is).
      const period = m === 'reflect' ? 2 * (n - 1) : 2 * n;
      const idx: number[] = [];
      for (let p = -lo; p < n + hi; p++) {
        if (period === 0) {
          idx.push(0);
          continue;
        }
        const q = ((p % period) + period) % period;
        idx.push(q < n ? q : m === 'reflect' ? period - q : period - 1 - q);
      }
      out = take(out, new MxArray(idx, int32), ax, s);
      return;
    }
    const zero = new MxArray(0, x._dtype);
    const before = (k: number): MxArray =>
      m === 'edge' ? broadcastTo(rows(0, 1, 1), blockShape(k), s)
      : broadcastTo(mode !== 'constant' && n === 0 ? zero : value, blockShape(k), s);
    const after = (k: number): MxArray =>
      m === 'edge' ? broadcastTo(rows(n - 1, 1, 1), blockShape(k), s)
      : broadcastTo(mode !== 'constant' && n === 0 ? zero : value, blockShape(k), s);
    if (lo > 0) parts.push(before(lo));
    parts.push(out);
    if (hi > 0) parts.push(after(hi));
    out = concatenate(parts, ax, s);
  });
  return out === x ? astype(x, x._dtype, s) : out;
}

/** The diagonal with `offset` between axis1 and axis2, appended as the last axis. */
export function diagonal(a: ScalarOrArray, offset = 0, axis1 = 0, axis2 = 1, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'diagonal');
  const nd = x._shape.length;
  if (nd < 2) throw new Error(`[diagonal] Array must have at least two dimensions, got shape ${shapeToString(x._shape)}.`);
  const i = normalizeAxis(axis1, nd, 'diagonal', 'axis1');
  const j = normalizeAxis(axis2, nd, 'diagonal', 'axis2');
  if (i === j) throw new Error('[diagonal] axis1 and axis2 cannot be the same axis.');
  intArg(offset, 'diagonal', 'offset');
  const n1 = x._shape[i]!;
  const n2 = x._shape[j]!;
  const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  const shape = [...x._shape.filter((_, k) => k !== i && k !== j), len];
  return makeArray(shape, x._dtype, new Primitive(Diagonal, { offset, axis1: i, axis2: j }), [x], s);
}

/** 1-D input: a 2-D array with it on diagonal k. 2-D input: its k-th diagonal. */
export function diag(a: ScalarOrArray, k = 0, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'diag');
  intArg(k, 'diag', 'k');
  if (x._shape.length === 2) return diagonal(x, k, 0, 1, s);
  if (x._shape.length !== 1) throw new Error(`[diag] array must be 1-D or 2-D, got shape ${shapeToString(x._shape)}.`);
  const n = x._shape[0]!;
  const size = checkDimension(n + Math.abs(k), 'diag');
  const vals = pad(x, [[0, Math.abs(k)]], 0, 'constant', s);
  const grid = k >= 0 ? reshapeTo(vals, [size, 1], s) : reshapeTo(vals, [1, size], s);
  return where(eye(size, size, k, undefined, s), broadcastTo(grid, [size, size], s), new MxArray(0, x._dtype), s);
}

/** Sum of the diagonal with `offset` between axis1 and axis2 (one array, as MLX). */
export function trace(a: ScalarOrArray, offset = 0, axis1 = 0, axis2 = 1, dtype?: Dtype, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'trace');
  const d = diagonal(x, offset, axis1, axis2, s);
  const out = sum(d, -1, false, s);
  return dtype ? astype(out, dtype, s) : out;
}

function atleast(nd: number, op: string, arrays: ScalarOrArray[]): MxArray | MxArray[] {
  const out = arrays.map((a, i) => {
    const x = asArray(a, `arrays[${i}]`, op);
    const sh = x._shape;
    if (sh.length >= nd) return x;
    if (nd === 1) return reshapeTo(x, [1]);
    if (nd === 2) return reshapeTo(x, sh.length === 0 ? [1, 1] : [1, sh[0]!]);
    return reshapeTo(x, sh.length === 0 ? [1, 1, 1] : sh.length === 1 ? [1, sh[0]!, 1] : [...sh, 1]);
  });
  return out.length === 1 ? out[0]! : out;
}

/** One array in, one out; several in, a list out (MLX). */
export function atleast1d(array: ScalarOrArray): MxArray;
export function atleast1d(...arrays: ScalarOrArray[]): MxArray | MxArray[];
export function atleast1d(...arrays: ScalarOrArray[]): MxArray | MxArray[] {
  return atleast(1, 'atleast_1d', arrays);
}
export function atleast2d(array: ScalarOrArray): MxArray;
export function atleast2d(...arrays: ScalarOrArray[]): MxArray | MxArray[];
export function atleast2d(...arrays: ScalarOrArray[]): MxArray | MxArray[] {
  return atleast(2, 'atleast_2d', arrays);
}
export function atleast3d(array: ScalarOrArray): MxArray;
export function atleast3d(...arrays: ScalarOrArray[]): MxArray | MxArray[];
export function atleast3d(...arrays: ScalarOrArray[]): MxArray | MxArray[] {
  return atleast(3, 'atleast_3d', arrays);
}

/** Rolls elements along axes (no axis: the flattened array, reshaped back). */
export function roll(a: ScalarOrArray, shift: number | number[], axis?: number | number[] | null, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'roll');
  if (axis === undefined || axis === null) {
    const total = (typeof shift === 'number' ? [shift] : shift).reduce((p, q) => p + intArg(q, 'roll', 'shift'), 0);
    return reshapeTo(roll(reshapeTo(x, [x.size], s), total, 0, s), x._shape, s);
  }
  const axes = typeof axis === 'number' ? [axis] : axis;
  const shifts = typeof shift === 'number' ? axes.map(() => shift) : shift;
  if (shifts.length !== axes.length) throw new Error(`[roll] shift and axis must have the same length (${shifts.length} vs ${axes.length}).`);
  let out = x;
  axes.forEach((ax0, k) => {
    const ax = normalizeAxis(ax0, x._shape.length, 'roll');
    const n = out._shape[ax]!;
    if (n === 0) return;
    const sh = ((intArg(shifts[k], 'roll', 'shift') % n) + n) % n;
    if (sh === 0) return;
    const [head, tail] = split(out, [n - sh], ax, s);
    out = concatenate([tail!, head!], ax, s);
  });
  return out;
}

/** Kronecker product. */
export function kron(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'a', 'kron');
  const y = asArray(b, 'b', 'kron');
  if (x.size === 0 || y.size === 0) throw new RangeError('[kron] Input arrays cannot be empty.');
  const nd = Math.max(x._shape.length, y._shape.length);
  const xs = [...new Array<number>(nd - x._shape.length).fill(1), ...x._shape];
  const ys = [...new Array<number>(nd - y._shape.length).fill(1), ...y._shape];
  checkShapeLimits(xs.map((d, i) => d * ys[i]!), 'kron');
  const xe = reshapeTo(x, xs.flatMap((d) => [d, 1]), s);
  const ye = reshapeTo(y, ys.flatMap((d) => [1, d]), s);
  return reshapeTo(multiply(xe, ye, s), xs.map((d, i) => d * ys[i]!), s);
}

declare module '../array.js' {
  interface MxArray {
    expandDims(axes: number | number[], s?: StreamOrDevice): MxArray;
    squeeze(axes?: number | number[] | null, s?: StreamOrDevice): MxArray;
    flatten(startAxis?: number, endAxis?: number, s?: StreamOrDevice): MxArray;
    swapaxes(axis1: number, axis2: number, s?: StreamOrDevice): MxArray;
    moveaxis(source: number | number[], destination: number | number[], s?: StreamOrDevice): MxArray;
    split(indicesOrSections?: number | number[], axis?: number, s?: StreamOrDevice): MxArray[];
    diag(k?: number, s?: StreamOrDevice): MxArray;
    diagonal(offset?: number, axis1?: number, axis2?: number, s?: StreamOrDevice): MxArray;
  }
}

Object.assign(MxArray.prototype, {
  expandDims(this: MxArray, axes: number | number[], s?: StreamOrDevice) {
    return expandDims(this, axes, s);
  },
  squeeze(this: MxArray, axes?: number | number[] | null, s?: StreamOrDevice) {
    return squeeze(this, axes, s);
  },
  flatten(this: MxArray, startAxis?: number, endAxis?: number, s?: StreamOrDevice) {
    return flatten(this, startAxis, endAxis, s);
  },
  swapaxes(this: MxArray, axis1: number, axis2: number, s?: StreamOrDevice) {
    return swapaxes(this, axis1, axis2, s);
  },
  moveaxis(this: MxArray, source: number | number[], destination: number | number[], s?: StreamOrDevice) {
    return moveaxis(this, source, destination, s);
  },
  split(this: MxArray, indicesOrSections?: number | number[], axis?: number, s?: StreamOrDevice) {
    return split(this, indicesOrSections, axis, s);
  },
  diag(this: MxArray, k?: number, s?: StreamOrDevice) {
    return diag(this, k, s);
  },
  diagonal(this: MxArray, offset?: number, axis1?: number, axis2?: number, s?: StreamOrDevice) {
    return diagonal(this, offset, axis1, axis2, s);
  },
});

// ---- more shape ops MLX composes from slices and splits (mlx/ops.cpp) ----

/** Reverses the order of elements along `axis` (all axes when omitted): a strided view. */
export function flip(a: ScalarOrArray, axis?: number | number[] | null, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'flip');
  const nd = x._shape.length;
  const axes = axis === undefined || axis === null ? [...Array(nd).keys()] : typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(axes)) throw new TypeError(`[flip] axis must be a number, a list of numbers or null, got ${String(axis)}.`);
  const start = x._shape.map(() => 0);
  const stop = [...x._shape];
  const step = x._shape.map(() => 1);
  // A repeated axis flips once, as in MLX (each entry sets the same reversed slice).
  for (const ax0 of axes) {
    const ax = normalizeAxis(ax0, nd, 'flip');
    if (x._shape[ax]! <= 1) continue; // nothing to reverse; an empty axis has no element to start at
    start[ax] = x._shape[ax]! - 1;
    stop[ax] = -1;
    step[ax] = -1;
  }
  return sliceView(x, start, stop, step, s);
}

/** The arrays along `axis`, that axis removed (the inverse of stack); none for an empty axis. */
export function unstack(a: ScalarOrArray, axis = 0, s?: StreamOrDevice): MxArray[] {
  const x = asArray(a, 'array', 'unstack');
  const ax = normalizeAxis(intArg(axis, 'unstack', 'axis'), x._shape.length, 'unstack');
  const n = x._shape[ax]!;
  if (n === 0) return [];
  return split(x, n, ax, s).map((part) => squeezeTo(part, [ax], s));
}

/** The n-th discrete difference along `axis`: `a[1:] - a[:-1]`, n times. */
export function diff(a: ScalarOrArray, n = 1, axis = -1, s?: StreamOrDevice): MxArray {
  let x = asArray(a, 'array', 'diff');
  const nd = x._shape.length;
  intArg(n, 'diff', 'n');
  const ax = intArg(axis, 'diff', 'axis') < 0 ? axis + nd : axis;
  if (ax < 0 || ax >= nd) throw new RangeError('[diff] Axis is out of bounds for the array.');
  if (n < 0) throw new RangeError('[diff] Order `n` must be non-negative.');
  const ones = x._shape.map(() => 1);
  for (let i = 0; i < n; i++) {
    const len = x._shape[ax]!;
    const upperStart = x._shape.map((_, k) => (k === ax ? Math.min(1, len) : 0));
    const lowerStop = x._shape.map((d, k) => (k === ax ? Math.max(len - 1, 0) : d));
    x = subtract(sliceView(x, upperStart, [...x._shape], ones, s), sliceView(x, x._shape.map(() => 0), lowerStop, ones, s), s);
  }
  return x;
}

/** Swaps the last two axes (the Array API's matrix_transpose; `a.mT`). */
export function matrixTranspose(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'matrix_transpose');
  if (x._shape.length < 2) throw new Error('[matrix_transpose] Input array must have at least 2 dimensions.');
  return swapaxes(x, -1, -2, s);
}

/** The shape that the given shapes broadcast to (NumPy's rules), e.g. ([1], [3, 1]) -> [3, 1]. */
export function broadcastShapes(...shapes: number[][]): number[] {
  if (shapes.length === 0) throw new TypeError('[broadcast_shapes] Must provide at least one shape.');
  for (const sh of shapes) {
    if (!Array.isArray(sh) || !sh.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`[broadcast_shapes] Expects a sequence of shapes (lists of non-negative integers), got ${JSON.stringify(sh)}.`);
    }
  }
  return shapes.slice(1).reduce((acc, sh) => {
    try {
      return broadcastShapeList(acc, sh);
    } catch (e) {
      throw new Error(`[broadcast_shapes] ${(e as Error).message}`);
    }
  }, [...shapes[0]!]);
}

declare module '../array.js' {
  interface MxArray {
    /** The last two axes swapped (matrixTranspose). */
    readonly mT: MxArray;
  }
}
Object.defineProperty(MxArray.prototype, 'mT', {
  get(this: MxArray) {
    return matrixTranspose(this);
  },
});
