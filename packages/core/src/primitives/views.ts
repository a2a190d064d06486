// View primitives: the output shares the input's storage with new strides and offset.
// They need no kernel on any backend (eval-node.ts applies `view`).
import { definePrimitive } from '../primitive.js';
import { rowMajorStrides, isRowContiguous, shapeSize, shapeToString, broadcastShapes, shapesEqual } from '../shape.js';
import type { MxArray } from '../array.js';
import { type Dtype, int32, int64 } from '../dtype.js';
import { reshape, broadcastTo, broadcastAgainst, transpose, sliceView, view, asStrided } from '../ops/views.js';
import { reshapeTo, squeezeTo, expandTo } from '../ops/internal.js';
import { sum } from '../ops/reduce.js';
import { zeros, zerosLike, arange } from '../ops/creation.js';
import { moveaxis, expandDims } from '../ops/shape.js';
import { scatterWith } from './indexing.js';
import { moveBatchAxis } from './rules.js';

// ---- helpers shared by the rules of the view, shape and indexing primitives ----

/** Row-major flat positions of the elements of an array of `shape` (int64 past 2^31). */
export function flatPositions(shape: readonly number[]): MxArray {
  const n = shapeSize(shape);
  return reshape(arange(0, n, 1, n < 2 ** 31 ? int32 : int64), [...shape]);
}

/** zeros(shape) with `values` added at the flat `positions` (duplicates accumulate). */
export function scatterAddInto(shape: readonly number[], dtype: Dtype, positions: MxArray, values: MxArray): MxArray {
  return scatterWith('sum', zeros([...shape], dtype), positions, values);
}

/**
 * The vjp of a view that picks elements of its input (slices, strided windows, diagonals):
 * the cotangent added back at the picked positions, which `pick` finds by applying the
 * same view to the positions themselves.
 */
export function pickVjp(input: MxArray, cotangent: MxArray, pick: (positions: MxArray) => MxArray): MxArray {
  return scatterAddInto(input._shape, input._dtype, pick(flatPositions(input._shape)), cotangent);
}

/** The batch size of a vmap call (the size of the first batched input's batch axis). */
export function batchSize(inputs: MxArray[], axes: number[]): number {
  const i = axes.findIndex((a) => a >= 0);
  return inputs[i]!._shape[axes[i]!]!;
}

/** The batch axis moved to the front; an unbatched input gets one of size n (a broadcast view). */
export function batchFirst(x: MxArray, ax: number, n: number): MxArray {
  if (ax >= 0) return moveBatchAxis(x, ax);
  return broadcastTo(expandDims(x, 0), [n, ...x._shape]);
}

/**
 * The cotangent of a broadcast input: summed over the new leading dims and the stretched
 * size-1 dims, in the sum's dtype as MLX's broadcast_vjp (int32 for an int8 or bool input).
 * A cast back to the input's dtype would turn the count of a bool's copies into `true`.
 */
export function broadcastVjp(input: MxArray, cotangent: MxArray): MxArray {
  const lead = cotangent._shape.length - input._shape.length;
  const axes: number[] = [];
  cotangent._shape.forEach((d, i) => {
    if (i < lead || (input._shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? sum(cotangent, axes, true) : cotangent;
  return squeezeTo(summed, [...Array(lead).keys()]);
}

type Layout = { shape: readonly number[]; strides: readonly number[]; offset: number };

/** NumPy's no-copy reshape: strides for `outShape` over the same memory, or null. */
function reshapeStrides(inp: Layout, outShape: readonly number[]): number[] | null {
  if (isRowContiguous(inp.shape, inp.strides)) return rowMajorStrides(outShape);
  // Drop size-1 input dims, then match groups of dims whose products agree.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  inp.shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(inp.strides[i]!);
    }
  });
  const newStrides = new Array<number>(outShape.length).fill(0);
  let oi = 0, oj = 1, ni = 0, nj = 1;
  const on = oldDims.length;
  const nn = outShape.length;
  if (outShape.some((d) => d === 0)) return rowMajorStrides(outShape);
  while (ni < nn && oi < on) {
    let np = outShape[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= outShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    for (let k = oi; k < oj - 1; k++) if (oldStrides[k] !== oldDims[k + 1]! * oldStrides[k + 1]!) return null;
    newStrides[nj - 1] = oldStrides[oj - 1]!;
    for (let k = nj - 1; k > ni; k--) newStrides[k - 1] = newStrides[k]! * outShape[k]!;
    ni = nj++;
    oi = oj++;
  }
  // trailing size-1 dims
  for (let k = ni; k < nn; k++) newStrides[k] = 1;
  return newStrides;
}

/**
 * How one output dim of a Reshape follows from the input's shape when a shapeless compile
 * replays it: a fixed size, -1 (inferred from the element count, as MLX's Reshape keeps the
 * requested shape), or [from, to], the product of input dims from..to-1 (what squeeze,
 * expand_dims and flatten build, which MLX has as primitives of their own).
 */
export type ReshapeDim = number | readonly [number, number];

/** MLX's Reshape::output_shape: `dims` evaluated on `input`, one -1 inferred, size checked. */
export function resolveReshapeDims(input: readonly number[], dims: readonly ReshapeDim[]): number[] {
  const out = dims.map((d) => (typeof d === 'number' ? d : shapeSize(input.slice(d[0], d[1]))));
  const size = shapeSize(input);
  const infer = out.indexOf(-1);
  if (infer >= 0) {
    const known = shapeSize(out.filter((_, i) => i !== infer));
    if (known === 0) throw new Error('[reshape] Cannot infer the shape of an empty array');
    out[infer] = Math.trunc(size / known);
  }
  if (shapeSize(out) !== size) throw new Error(`[reshape] Cannot reshape array of size ${size} into shape ${shapeToString(out)}.`);
  return out;
}

/**
 * The rule that takes a Reshape's output back to its input of shape `inShape`: an input axis
 * that is one output dim of its own follows that dim, the others keep their size.
 */
function inverseDims(dims: readonly ReshapeDim[], inShape: readonly number[]): ReshapeDim[] {
  return inShape.map((d, j) => {
    const k = dims.findIndex((e) => typeof e !== 'number' && e[0] === j && e[1] === j + 1);
    return k >= 0 ? [k, k + 1] : d;
  });
}

export const Reshape = definePrimitive<{ shape: number[]; dims?: ReshapeDim[] }>({
  name: 'Reshape',
  view: (_p, inp, outShape) => {
    const s = reshapeStrides(inp, outShape);
    return s ? { strides: s, offset: inp.offset } : null;
  },
  outputShapes: (p, [inp]) => [resolveReshapeDims(inp!, p.dims ?? p.shape)],
  vjp: (p, [x], [c]) => [p.dims ? reshapeTo(c!, [...x!._shape], undefined, inverseDims(p.dims, x!._shape)) : reshape(c!, [...x!._shape])],
  jvp: (p, _x, [t]) => [p.dims ? reshapeTo(t!, [...p.shape], undefined, p.dims) : reshape(t!, [...p.shape])],
  // the batch axis goes first, then the reshape keeps it as a leading dim
  vmap: (p, [x], [ax]) => {
    const shape = [x!._shape[ax!]!, ...p.shape];
    const dims = p.dims && [[0, 1] as const, ...p.dims.map((d): ReshapeDim => (typeof d === 'number' ? d : [d[0] + 1, d[1] + 1]))];
    return [[reshapeTo(batchFirst(x!, ax!, 0), shape, undefined, dims)], [0]];
  },
  describe: (p) => `(${p.shape.join(',')})`,
});

/**
 * The shape of a broadcast of `inputs[0]` against the others (MLX's Broadcast::output_shape,
 * or BroadcastAxes::output_shape when the last `ignoreLast` axes keep their own sizes).
 */
export function broadcastAgainstShape(inputs: readonly (readonly number[])[], ignoreLast = 0): number[] {
  const lead = broadcastShapes(...inputs.map((s) => s.slice(0, s.length - ignoreLast)));
  const own = inputs[0]!;
  return [...lead, ...own.slice(own.length - ignoreLast)];
}

/**
 * Broadcast views: to the fixed `shape` (broadcastTo), or, while a shapeless compile records,
 * against extra inputs that ride along for their shapes only (MLX's broadcast_arrays then
 * gives every array a Broadcast with the others as inputs), so that a replay with new shapes
 * infers the shape again. Those extra inputs get no cotangents.
 */
export const Broadcast = definePrimitive<{ shape: number[]; ignoreLast?: number }>({
  name: 'Broadcast',
  view: (_p, inp, outShape) => {
    const lead = outShape.length - inp.shape.length;
    const strides = outShape.map((d, i) => {
      if (i < lead) return 0;
      const id = inp.shape[i - lead]!;
      return id === 1 && d !== 1 ? 0 : inp.strides[i - lead]!;
    });
    return { strides, offset: inp.offset };
  },
  outputShapes: (p, inputs) => {
    try {
      if (inputs.length > 1) return [broadcastAgainstShape(inputs, p.ignoreLast)];
      // MLX: a broadcast_to keeps its target, which the input must still broadcast to
      if (!shapesEqual(broadcastShapes(inputs[0]!, p.shape), p.shape)) throw new Error('[Broadcast] Unable to infer broadcast shape');
    } catch (e) {
      throw (e as Error).message.startsWith('[') ? e : new Error(`[broadcast_shapes] ${(e as Error).message}`);
    }
    return [[...p.shape]];
  },
  vjp: (_p, [x], [c], argnums) => argnums.map((i) => (i === 0 ? broadcastVjp(x!, c!) : null)),
  jvp: (p, primals, tangents, argnums) => {
    const t = argnums[0] === 0 ? tangents[0]! : zerosLike(primals[0]!);
    return [primals.length > 1 ? broadcastAgainst(t, primals.slice(1), p.ignoreLast) : broadcastTo(t, [...p.shape])];
  },
  vmap: (p, inputs, axes) => {
    const [x] = inputs;
    const [ax] = axes;
    if (inputs.length > 1) {
      // Every input batch-first, its own dims right-aligned to the widest ones.
      const rank = Math.max(...inputs.map((a, i) => a._shape.length - (axes[i]! >= 0 ? 1 : 0)));
      const aligned = inputs.map((a, i) => {
        const b = axes[i]! >= 0 ? moveBatchAxis(a, axes[i]!) : expandTo(a, [0]);
        return expandTo(b, Array.from({ length: rank + 1 - b._shape.length }, (_, k) => k + 1));
      });
      return [[broadcastAgainst(aligned[0]!, aligned.slice(1), p.ignoreLast)], [0]];
    }
    // the batch axis stays in the input's dims, which align with the trailing dims of the target
    const diff = p.shape.length - (x!._shape.length - 1);
    const shape = [...p.shape];
    shape.splice(ax! + diff, 0, x!._shape[ax!]!);
    return [[broadcastTo(x!, shape)], [ax! + diff]];
  },
  describe: (p) => `(${p.shape.join(',')})`,
});

export const Transpose = definePrimitive<{ axes: number[] }>({
  name: 'Transpose',
  view: (p, inp) => ({ strides: p.axes.map((a) => inp.strides[a]!), offset: inp.offset }),
  outputShapes: (p, [inp]) => [p.axes.map((a) => inp![a]!)],
  vjp: (p, _x, [c]) => {
    const inverse: number[] = [];
    p.axes.forEach((a, i) => (inverse[a] = i));
    return [transpose(c!, inverse)];
  },
  jvp: (p, _x, [t]) => [transpose(t!, p.axes)],
  vmap: (p, [x], [ax]) => [[transpose(x!, [ax!, ...p.axes.map((a) => (a < ax! ? a : a + 1))])], [0]],
  describe: (p) => `[${p.axes.join(',')}]`,
});

/** Strided slice: start/stop/step per axis, already normalized by the op. */
export const Slice = definePrimitive<{ start: number[]; stop: number[]; step: number[] }>({
  name: 'Slice',
  view: (p, inp) => {
    let offset = inp.offset;
    const strides = inp.strides.map((s, i) => {
      offset += p.start[i]! * s;
      return s * p.step[i]!;
    });
    return { strides, offset };
  },
  vjp: (p, [x], [c]) => [pickVjp(x!, c!, (pos) => sliceView(pos, p.start, p.stop, p.step))],
  jvp: (p, _x, [t]) => [sliceView(t!, p.start, p.stop, p.step)],
  vmap: (p, [x], [ax]) => {
    const at = <T>(list: T[], v: T): T[] => [...list.slice(0, ax!), v, ...list.slice(ax!)];
    return [[sliceView(x!, at(p.start, 0), at(p.stop, x!._shape[ax!]!), at(p.step, 1))], [ax!]];
  },
  describe: (p) => `start=[${p.start}] stop=[${p.stop}] step=[${p.step}]`,
});

/** MLX's as_strided: strides and offset in elements of the row-contiguous input. */
export const AsStrided = definePrimitive<{ shape: number[]; strides: number[]; offset: number }>({
  name: 'AsStrided',
  view: (p, inp) => (isRowContiguous(inp.shape, inp.strides) ? { strides: [...p.strides], offset: inp.offset + p.offset } : null),
  // overlapping windows read an element several times: its cotangents accumulate (as MLX)
  vjp: (p, [x], [c]) => [pickVjp(x!, c!, (pos) => asStrided(pos, p.shape, p.strides, p.offset))],
  jvp: (p, _x, [t]) => [asStrided(t!, p.shape, p.strides, p.offset)],
  vmap: (p, [x], [ax]) => {
    // each example is a contiguous block of the batch-first input
    const n = x!._shape[ax!]!;
    const perExample = shapeSize(x!._shape) / Math.max(n, 1);
    return [[asStrided(batchFirst(x!, ax!, n), [n, ...p.shape], [perExample, ...p.strides], p.offset)], [0]];
  },
  describe: (p) => `shape=(${p.shape}) strides=(${p.strides}) offset=${p.offset}`,
});

/**
 * MLX's view: the same bytes read as another dtype. When element sizes differ the last axis
 * scales, which needs it contiguous; every byte offset must also land on an element of the
 * new dtype, else the array layer copies the input first.
 */
export const View = definePrimitive<{ from: number; to: number; dtype: Dtype }>({
  name: 'View',
  view: (p, inp) => {
    const nd = inp.shape.length;
    if (p.from === p.to) return { strides: [...inp.strides], offset: inp.offset };
    if (nd > 0 && inp.shape[nd - 1]! > 1 && inp.strides[nd - 1] !== 1) return null;
    const toUnits = (elems: number): number | null => {
      const bytes = elems * p.from;
      return bytes % p.to === 0 ? bytes / p.to : null;
    };
    const offset = toUnits(inp.offset);
    if (offset === null) return null;
    const strides: number[] = [];
    for (let i = 0; i < nd - 1; i++) {
      const st = toUnits(inp.strides[i]!);
      if (st === null) return null;
      strides.push(st);
    }
    if (nd > 0) strides.push(1);
    return { strides, offset };
  },
  // Reading bits as another dtype has no derivative: MLX raises for both modes (the view op
  // makes no node when the dtype is unchanged, so gradients do pass through that case).
  vjp: (p) => {
    throw new Error(`[Primitive::vjp] Not implemented for View ${p.dtype.name}.`);
  },
  jvp: (p) => {
    throw new Error(`[Primitive::jvp] Not implemented for View ${p.dtype.name}.`);
  },
  vmap: (p, [x], [ax]) => {
    // a change of element size rescales the last axis, so the batch axis must not be it
    if (p.from !== p.to && ax === x!._shape.length - 1) return [[view(moveaxis(x!, ax!, 0), p.dtype)], [0]];
    return [[view(x!, p.dtype)], [ax!]];
  },
  describe: (p) => `${p.from} -> ${p.to} bytes`,
});
