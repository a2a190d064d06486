// Gather and Scatter kernels. Index values are read exactly (bigint for 64-bit ints), wrap
// once when negative (MLX does the same), and an index still out of range after that is an
// error: MLX leaves it undefined; we never read or write outside storage.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import { complex64, isBigInt } from '../../dtype.js';
import { numberReader, numberWriter, bigintReader, bigintWriter } from '../../elements.js';
import { shapeSize, rowMajorStrides, shapeToString } from '../../shape.js';
import type { ScatterReduce } from '../../primitives/indexing.js';

/** Reads every element of an integer index array (row-major) as a number. */
export function readIndices(d: ArrayData): number[] {
  const offs = offsetsOf(d);
  const src = elements(d);
  const out = new Array<number>(offs.length);
  if (isBigInt(d.dtype)) {
    const r = bigintReader(d.dtype, src);
    for (let i = 0; i < offs.length; i++) out[i] = Number(r(offs[i]!));
  } else {
    const r = numberReader(d.dtype, src);
    for (let i = 0; i < offs.length; i++) out[i] = r(offs[i]!);
  }
  return out;
}

function wrapIndex(v: number, size: number, op: string, axis: number): number {
  const w = v < 0 ? v + size : v;
  if (!(w >= 0 && w < size)) {
    throw new RangeError(`[${op}] index ${v} is out of bounds for axis ${axis} with size ${size}.`);
  }
  return w;
}

/** Copies element `from` of src (element offset) into element `to` of dst, raw storage units. */
function copyElement(lanes: number, src: ArrayLike<unknown>, from: number, dst: { [i: number]: unknown }, to: number): void {
  for (let l = 0; l < lanes; l++) dst[to * lanes + l] = src[from * lanes + l];
}

registerKernel('Gather', (prim: Primitive<any>, inputs, [out]) => {
  const axes = (prim as Primitive<{ axes: number[] }>).params.axes;
  const a = inputs[0]!;
  const idx = inputs.slice(1).map(readIndices);
  const nb = idx.length ? idx[0]!.length : 1;
  const sliceShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const sliceSize = shapeSize(sliceShape);
  const sliceStrides = rowMajorStrides(sliceShape);
  const src = elements(a);
  const dst = elements(out!) as unknown as { [i: number]: unknown };
  const lanes = a.dtype.lanes;
  let o = 0;
  for (let b = 0; b < nb; b++) {
    let base = a.offset;
    for (let k = 0; k < axes.length; k++) {
      const ax = axes[k]!;
      base += wrapIndex(idx[k]![b]!, a.shape[ax]!, 'gather', ax) * a.strides[ax]!;
    }
    for (let j = 0; j < sliceSize; j++) {
      let off = base;
      let rem = j;
      for (let d = 0; d < sliceShape.length; d++) {
        const c = Math.floor(rem / sliceStrides[d]!);
        rem -= c * sliceStrides[d]!;
        off += c * a.strides[d]!;
      }
      copyElement(lanes, src as ArrayLike<unknown>, off, dst, o++);
    }
  }
});

registerKernel('Scatter', (prim: Primitive<any>, [a, pos, upd], [out]) => {
  const reduce = (prim as Primitive<{ reduce: ScatterReduce }>).params.reduce;
  const dtype = out!.dtype;
  const lanes = dtype.lanes;
  const dst = elements(out!);
  const aOffs = offsetsOf(a!);
  const n = aOffs.length;
  const src = elements(a!) as ArrayLike<unknown>;
  for (let i = 0; i < n; i++) copyElement(lanes, src, aOffs[i]!, dst as unknown as { [i: number]: unknown }, i);
  applyUpdates(reduce, out!, readIndices(pos!).map((p) => wrapIndex(p, n, 'scatter', 0)), upd!);
});

/** Applies updates[i] at flat position positions[i] of the row-major `out`, in order. */
function applyUpdates(reduce: ScatterReduce, out: ArrayData, positions: number[], upd: ArrayData): void {
  const dtype = out.dtype;
  const dst = elements(out);
  const uOffs = offsetsOf(upd);
  const usrc = elements(upd);
  if (uOffs.length !== positions.length) throw new Error(`internal: scatter updates ${shapeToString(upd.shape)} do not match ${positions.length} positions`);
  if (dtype === complex64) {
    const d = dst as Float32Array;
    const u = usrc as Float32Array;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const ur = u[2 * uOffs[i]!]!, ui = u[2 * uOffs[i]! + 1]!;
      const ar = d[2 * p]!, ai = d[2 * p + 1]!;
      let r = ur, im = ui;
      if (reduce === 'sum') [r, im] = [ar + ur, ai + ui];
      else if (reduce === 'prod') [r, im] = [ar * ur - ai * ui, ar * ui + ai * ur];
      else if (reduce === 'max' || reduce === 'min') {
        // lexicographic order (real, then imaginary), as MLX orders complex values
        const greater = ur > ar || (ur === ar && ui > ai);
        const keepA = reduce === 'max' ? !greater : greater || (ur === ar && ui === ai);
        if (keepA) [r, im] = [ar, ai];
      }
      d[2 * p] = r;
      d[2 * p + 1] = im;
    }
    return;
  }
  if (isBigInt(dtype)) {
    const rd = bigintReader(dtype, dst);
    const ru = bigintReader(dtype, usrc);
    const w = bigintWriter(dtype, dst);
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const u = ru(uOffs[i]!);
      const v = rd(p);
      w(p, reduce === 'none' ? u : reduce === 'sum' ? v + u : reduce === 'prod' ? v * u : reduce === 'max' ? (u > v ? u : v) : u < v ? u : v);
    }
    return;
  }
  const rd = numberReader(dtype, dst);
  const ru = numberReader(dtype, usrc);
  const w = numberWriter(dtype, dst);
  const isBool = dtype.kind === 'b';
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const u = isBool ? Number((usrc as Uint8Array)[uOffs[i]!] !== 0) : ru(uOffs[i]!);
    const v = isBool ? Number((dst as Uint8Array)[p] !== 0) : rd(p);
    let r: number;
    if (reduce === 'none') r = u;
    else if (reduce === 'sum') r = v + u;
    else if (reduce === 'prod') r = v * u;
    // MLX's scatter max/min keep the current value only when it compares strictly greater
    // (smaller); so a NaN already there is replaced, and a NaN update wins.
    else if (reduce === 'max') r = v > u ? v : u;
    else r = v < u ? v : u;
    w(p, r);
  }
}

/**
 * The positions GatherAxis / ScatterAxis address: for each element of the indices (row-major),
 * the offset in `target` (its strides and offset) of the same coordinates with the one along
 * `axis` replaced by the index (wrapped once when negative).
 */
function alongAxis(target: ArrayData, idx: ArrayData, axis: number, op: string): number[] {
  const size = target.shape[axis]!;
  const stride = target.strides[axis]!;
  const base = offsetsOf({ ...target, shape: idx.shape, strides: target.strides.map((st, d) => (d === axis ? 0 : st)) });
  return readIndices(idx).map((v, i) => base[i]! + wrapIndex(v, size, op, axis) * stride);
}

// GatherAxis (take_along_axis): out has the indices' shape; x matches it but along `axis`.
registerKernel('GatherAxis', (prim: Primitive<any>, [x, idx], [out]) => {
  const { axis } = prim.params as { axis: number };
  const src = elements(x!) as ArrayLike<unknown>;
  const dst = elements(out!) as unknown as { [i: number]: unknown };
  const lanes = x!.dtype.lanes;
  alongAxis(x!, idx!, axis, 'take_along_axis').forEach((off, i) => copyElement(lanes, src, off, dst, out!.offset + i));
});

// ScatterAxis (put_along_axis, and GatherAxis's gradient): a row-major copy of x, then the
// updates (the indices' shape) at their positions along `axis`, in order.
registerKernel('ScatterAxis', (prim: Primitive<any>, [x, idx, upd], [out]) => {
  const { axis, reduce } = prim.params as { axis: number; reduce: ScatterReduce };
  const src = elements(x!) as ArrayLike<unknown>;
  const dst = elements(out!) as unknown as { [i: number]: unknown };
  const lanes = x!.dtype.lanes;
  const offs = offsetsOf(x!);
  for (let i = 0; i < offs.length; i++) copyElement(lanes, src, offs[i]!, dst, out!.offset + i);
  const rowMajor: ArrayData = { ...out!, strides: rowMajorStrides(out!.shape), offset: 0 };
  applyUpdates(reduce, out!, alongAxis(rowMajor, idx!, axis, 'put_along_axis').map((p) => p + out!.offset), upd!);
});

registerKernel('MaskedScatter', (_prim, [a, mask, values], [out]) => {
  const lanes = out!.dtype.lanes;
  const dst = elements(out!) as unknown as { [i: number]: unknown };
  const aOffs = offsetsOf(a!);
  const src = elements(a!) as ArrayLike<unknown>;
  for (let i = 0; i < aOffs.length; i++) copyElement(lanes, src, aOffs[i]!, dst, i);
  const mOffs = offsetsOf(mask!);
  const m = elements(mask!) as Uint8Array;
  const vOffs = offsetsOf(values!);
  const v = elements(values!) as ArrayLike<unknown>;
  const inner = mOffs.length === 0 ? 0 : aOffs.length / mOffs.length;
  const rows = values!.shape[0]!;
  let k = 0;
  for (let p = 0; p < mOffs.length; p++) {
    if (m[mOffs[p]!] === 0) continue;
    if (k >= rows) throw new RangeError(`[masked_scatter] The mask selects more than the ${rows} rows of values given.`);
    for (let j = 0; j < inner; j++) copyElement(lanes, v, vOffs[k * inner + j]!, dst, p * inner + j);
    k++;
  }
});
