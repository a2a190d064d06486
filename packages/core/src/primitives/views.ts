// View primitives: the output shares the input's storage with new strides and offset.
// They need no kernel on any backend (eval-node.ts applies `view`).
import { definePrimitive } from '../primitive.js';
import { rowMajorStrides, isRowContiguous, shapeSize } from '../shape.js';
import type { MxArray } from '../array.js';
import { type Dtype, int32, int64 } from '../dtype.js';
import { reshape, broadcastTo, transpose, astype, sliceView, view, asStrided } from '../ops/views.js';
import { sum } from '../ops/reduce.js';
import { zeros, arange } from '../ops/creation.js';
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
 * size-1 dims, in the input's dtype (MLX keeps the sum's: int32 for an int8 input).
 */
export function broadcastVjp(input: MxArray, cotangent: MxArray): MxArray {
  const lead = cotangent._shape.length - input._shape.length;
  const axes: number[] = [];
  cotangent._shape.forEach((d, i) => {
    if (i < lead || (input._shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? sum(cotangent, axes, true) : cotangent;
  return astype(reshape(summed, [...input._shape]), input._dtype);
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

export const Reshape = definePrimitive<{ shape: number[] }>({
  name: 'Reshape',
  view: (_p, inp, outShape) => {
    const s = reshapeStrides(inp, outShape);
    return s ? { strides: s, offset: inp.offset } : null;
  },
  vjp: (_p, [x], [c]) => [reshape(c!, [...x!._shape])],
  jvp: (p, _x, [t]) => [reshape(t!, [...p.shape])],
  // the batch axis goes first, then the reshape keeps it as a leading dim
  vmap: (p, [x], [ax]) => [[reshape(batchFirst(x!, ax!, 0), [x!._shape[ax!]!, ...p.shape])], [0]],
  describe: (p) => `(${p.shape.join(',')})`,
});

export const Broadcast = definePrimitive<{ shape: number[] }>({
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
  vjp: (_p, [x], [c]) => [broadcastVjp(x!, c!)],
  jvp: (p, _x, [t]) => [broadcastTo(t!, [...p.shape])],
  vmap: (p, [x], [ax]) => {
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
