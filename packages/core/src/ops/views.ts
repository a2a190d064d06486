// Ops whose result is a view of their input: reshape, broadcastTo, transpose, asStrided,
// slicing (used by indexing), and astype (a view-free conversion node).
import { MxArray, makeArray, setCopyImpl, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { Reshape, Broadcast, Transpose, Slice, AsStrided, View, broadcastAgainstShape } from '../primitives/views.js';
import { inDynamicTracing } from '../transforms/trace.js';
import { AsType } from '../primitives/copy.js';
import { Dtype } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { shapeSize, shapeToString, broadcastShapes, normalizeAxis, checkShape, checkDimension, shapesEqual } from '../shape.js';
import { asArray } from '../convert.js';

/** Splits node-mlx's `(...shape, s?)` rest arguments into a flat shape and a stream. */
export function restShape(args: unknown[], op: string): { shape: number[]; s: StreamOrDevice } {
  const list = [...args];
  let s: StreamOrDevice;
  const last = list[list.length - 1];
  // node-mlx's forms: `(2, 3)`, `([2, 3])`, `([2, 3], stream)`. A stream may be a DeviceType,
  // which is a number: after a shape given as a list, a trailing argument is the stream.
  if (last === undefined && list.length) list.pop();
  else if (last !== undefined && !Array.isArray(last) && (typeof last !== 'number' || Array.isArray(list[0]))) {
    if (list.length > 1 || typeof last !== 'number') s = list.pop() as StreamOrDevice;
  }
  const shape: number[] = [];
  for (const x of list) {
    if (Array.isArray(x)) shape.push(...(x as number[]));
    else shape.push(x as number);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < -1) {
      throw new TypeError(`[${op}] shape must contain integers >= -1, got [${shape.join(', ')}].`);
    }
  }
  return { shape, s };
}

/** Infers a -1 dimension and checks the size; errors name both shapes. */
export function resolveReshape(inShape: number[], shape: number[]): number[] {
  const size = shapeSize(inShape);
  const infer = shape.indexOf(-1);
  if (infer !== shape.lastIndexOf(-1)) throw new Error('[reshape] Reshape can only infer one dimension.');
  for (const d of shape) checkDimension(d, 'reshape');
  const out = [...shape];
  if (infer >= 0) {
    const rest = shapeSize(shape.filter((_, i) => i !== infer));
    if (rest === 0 || size % rest !== 0) {
      throw new Error(`[reshape] Cannot infer the shape of an empty array or reshape array of size ${size} into shape ${shapeToString(shape)}.`);
    }
    out[infer] = checkDimension(size / rest, 'reshape');
  }
  if (shapeSize(out) !== size) {
    throw new Error(`[reshape] Cannot reshape array of size ${size} into shape ${shapeToString(out)}.`);
  }
  return out;
}

export function reshape(a: ScalarOrArray, ...shape: (number | number[] | StreamOrDevice)[]): MxArray {
  const x = asArray(a, 'array', 'reshape');
  const { shape: target, s } = restShape(shape, 'reshape');
  const out = resolveReshape(x._shape, target);
  // MLX keeps a -1 in the primitive (a shapeless replay infers it again), and so compares the
  // request, not its resolution, with the input's shape there.
  if (shapesEqual(inDynamicTracing() ? target : out, x._shape)) return x;
  return makeArray(out, x._dtype, new Primitive(Reshape, target.includes(-1) ? { shape: out, dims: target } : { shape: out }), [x], s);
}

export function broadcastTo(a: ScalarOrArray, shape: number | number[], s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'broadcastTo');
  const target = checkShape(shape, 'broadcastTo');
  if (shapesEqual(target, x._shape)) return x;
  const b = broadcastShapes(x._shape, target);
  if (!shapesEqual(b, target)) {
    throw new Error(`[broadcast_to] Shape ${shapeToString(x._shape)} cannot be broadcast to ${shapeToString(target)}.`);
  }
  return makeArray([...target], x._dtype, new Primitive(Broadcast, { shape: [...target] }), [x], s);
}

/** Broadcasts several arrays to their common shape. */
export function broadcastArrays(arrays: ScalarOrArray[], s?: StreamOrDevice): MxArray[] {
  if (!Array.isArray(arrays)) throw new TypeError('[broadcastArrays] arrays must be a list of arrays.');
  const xs = arrays.map((a, i) => asArray(a, `arrays[${i}]`, 'broadcastArrays'));
  const shape = broadcastShapes(...xs.map((x) => x._shape));
  // MLX, while a shapeless compile records: every array gets a broadcast against the others
  if (inDynamicTracing() && xs.length > 1) return xs.map((x, i) => broadcastAgainst(x, xs.filter((_, j) => j !== i), 0, s));
  return xs.map((x) => broadcastTo(x, shape, s));
}

/**
 * @internal `x` broadcast against `others` (which must broadcast together), with them as extra
 * inputs of the node so that a shapeless replay infers its shape again; the last `ignoreLast`
 * axes keep x's own sizes (matmul's matrix axes).
 */
export function broadcastAgainst(x: MxArray, others: MxArray[], ignoreLast = 0, s?: StreamOrDevice): MxArray {
  const shape = broadcastAgainstShape([x, ...others].map((a) => a._shape), ignoreLast);
  const params = ignoreLast ? { shape, ignoreLast } : { shape };
  return makeArray(shape, x._dtype, new Primitive(Broadcast, params), [x, ...others], s);
}

export function transpose(a: ScalarOrArray, ...axes: (number | number[] | StreamOrDevice)[]): MxArray {
  const x = asArray(a, 'array', 'transpose');
  const { shape: given, s } = restShape(axes, 'transpose');
  const nd = x._shape.length;
  const perm = given.length === 0 ? [...Array(nd).keys()].reverse() : given.map((ax) => normalizeAxis(ax, nd, 'transpose'));
  if (perm.length !== nd) {
    throw new Error(`[transpose] Received ${perm.length} axes for array with ${nd} dimensions.`);
  }
  if (new Set(perm).size !== nd) throw new Error(`[transpose] Repeat axes not allowed in transpose: [${given.join(', ')}].`);
  if (perm.every((p, i) => p === i)) return x;
  return makeArray(perm.map((p) => x._shape[p]!), x._dtype, new Primitive(Transpose, { axes: perm }), [x], s);
}

export function asStrided(
  a: ScalarOrArray,
  shape?: number[],
  strides?: number[],
  offset = 0,
  s?: StreamOrDevice,
): MxArray {
  const x = asArray(a, 'array', 'asStrided');
  const outShape = shape ? checkShape(shape, 'as_strided') : x._shape;
  let st = strides;
  if (!st) {
    st = [];
    let acc = 1;
    for (let i = outShape.length - 1; i >= 0; i--) {
      st[i] = acc;
      acc *= outShape[i]!;
    }
  }
  if (st.length !== outShape.length) {
    throw new Error(`[as_strided] strides has ${st.length} entries but shape has ${outShape.length} dimensions.`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new TypeError(`[as_strided] offset must be a non-negative integer, got ${offset}.`);
  // Every reachable element must lie inside the input: never read outside its storage.
  const size = shapeSize(x._shape);
  if (shapeSize(outShape) > 0) {
    let lo = offset, hi = offset;
    outShape.forEach((d, i) => {
      const step = st![i]!;
      if (!Number.isInteger(step)) throw new TypeError(`[as_strided] strides must be integers, got [${st!.join(', ')}].`);
      if (step > 0) hi += step * (d - 1);
      else lo += step * (d - 1);
    });
    if (lo < 0 || hi >= size) {
      throw new RangeError(`[as_strided] shape ${shapeToString(outShape)} with strides [${st.join(', ')}] and offset ${offset} reaches outside the input of size ${size}.`);
    }
  }
  return makeArray([...outShape], x._dtype, new Primitive(AsStrided, { shape: [...outShape], strides: [...st], offset }), [x], s);
}

/** @internal a normalized strided slice (indexing builds these). */
export function sliceView(x: MxArray, start: number[], stop: number[], step: number[], s?: StreamOrDevice): MxArray {
  const shape = start.map((b, i) => {
    const st = step[i]!;
    const n = st > 0 ? Math.ceil((stop[i]! - b) / st) : Math.ceil((stop[i]! - b) / st);
    return Math.max(0, n);
  });
  if (shapesEqual(shape, x._shape) && step.every((t) => t === 1) && start.every((b) => b === 0)) return x;
  return makeArray(shape, x._dtype, new Primitive(Slice, { start, stop, step }), [x], s);
}

/** Converts to `dtype`; returns the input itself when the dtype already matches (as MLX). */
export function astype(a: ScalarOrArray, dtype: Dtype, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'astype');
  if (!(dtype instanceof Dtype)) throw new TypeError(`[astype] dtype must be an mx Dtype, got ${String(dtype)}.`);
  if (x._dtype === dtype) return x;
  return makeArray([...x._shape], dtype, new Primitive(AsType, { dtype }), [x], s);
}

/** A copy that never aliases the input (mx.array(otherArray)). */
export function copy(a: ScalarOrArray, dtype?: Dtype, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'copy');
  const d = dtype ?? x._dtype;
  return makeArray([...x._shape], d, new Primitive(AsType, { dtype: d }), [x], s);
}

/**
 * The same bytes read as another dtype (MLX's bit-reinterpreting view): bfloat16 bits as
 * uint16, float32 as int32, ... Shares memory when the layout allows, copies otherwise.
 */
export function view(a: ScalarOrArray, dtype: Dtype, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'view');
  if (!(dtype instanceof Dtype)) throw new TypeError(`[view] dtype must be an mx Dtype, got ${String(dtype)}.`);
  if (x._dtype === dtype) return x; // as MLX: no node, so gradients pass straight through
  const from = x._dtype.size;
  const to = dtype.size;
  const shape = [...x._shape];
  if (from !== to) {
    if (shape.length === 0) throw new Error('[view] Changing the type of a scalar is only allowed for types with the same size.');
    const lastBytes = shape[shape.length - 1]! * from;
    if (to > from && lastBytes % to !== 0) {
      throw new Error('[view] When viewing as a larger dtype, the size in bytes of the last axis must be a multiple of the requested type size.');
    }
    shape[shape.length - 1] = lastBytes / to;
  }
  return makeArray(shape, dtype, new Primitive(View, { from, to, dtype }), [x], s);
}

/**
 * MLX's contiguous: the values in one row-major buffer. A computed (non-view) result always
 * gets a fresh row-major buffer here, so this is a copy; `allowColMajor` changes nothing.
 */
export function contiguous(a: ScalarOrArray, allowColMajor: boolean | StreamOrDevice = false, s?: StreamOrDevice): MxArray {
  if (typeof allowColMajor !== 'boolean') [allowColMajor, s] = [false, allowColMajor];
  return copy(asArray(a, 'array', 'contiguous'), undefined, s);
}

setCopyImpl((a, dtype) => copy(a, dtype));

declare module '../array.js' {
  interface MxArray {
    reshape(...shape: (number | number[] | StreamOrDevice)[]): MxArray;
    transpose(...axes: (number | number[] | StreamOrDevice)[]): MxArray;
    astype(dtype: Dtype, s?: StreamOrDevice): MxArray;
    view(dtype: Dtype, s?: StreamOrDevice): MxArray;
    /** Transpose (all axes reversed). */
    readonly T: MxArray;
  }
}

MxArray.prototype.reshape = function (...shape) {
  return reshape(this, ...shape);
};
MxArray.prototype.transpose = function (...axes) {
  return transpose(this, ...axes);
};
MxArray.prototype.astype = function (dtype, s) {
  return astype(this, dtype, s);
};
MxArray.prototype.view = function (dtype, s) {
  return view(this, dtype, s);
};
Object.defineProperty(MxArray.prototype, 'T', {
  get(this: MxArray) {
    return transpose(this);
  },
});
