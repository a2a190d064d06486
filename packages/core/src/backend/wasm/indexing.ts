// Gather and Scatter adapters. Index arrays of every integer dtype and any layout. Gather and
// 'none' Scatter: data of any dtype (raw storage units; a float16/bfloat16 update that is NaN
// lands as the positive quiet NaN, as the reference's decode and re-encode makes it). The
// reducing Scatters (sum, prod, max, min): float32, float64, complex64, bool and every integer
// dtype, and float16/bfloat16 (sum/prod: a double result rounded once to 16 bits), computed as
// the reference does (assembly/indexing.ts). An index out of range makes the kernel stop with
// an error code; the adapter then returns false and the reference kernel, run from scratch on
// the same inputs, throws its RangeError (the output is fresh, so nothing written to it
// matters). MaskedScatter: every dtype (raw units), masks of 1-byte dtypes, any layouts; too
// few rows of values is the same kind of error case.
import { bool, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, float16, bfloat16, type Dtype } from '../../dtype.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, fitsI32, isContiguous1d, MAX_COUNT, type WasmContext } from './registry.js';
import { copyStrided, isWidth } from './shape.js';
import type { ArrayData } from '../interface.js';
import type { ScatterReduce } from '../../primitives/indexing.js';

const indexNames = new Map<Dtype, string>([
  [int8, 'IDX_i8'],
  [uint8, 'IDX_u8'],
  [int16, 'IDX_i16'],
  [uint16, 'IDX_u16'],
  [int32, 'IDX_i32'],
  [uint32, 'IDX_u32'],
  [int64, 'IDX_i64'],
  [uint64, 'IDX_u64'],
]);

const indexCode = (ctx: WasmContext, d: Dtype): number | undefined => {
  const name = indexNames.get(d);
  return name === undefined ? undefined : ctx.code(name);
};

/** Largest element offset (from the first element) any position of the array reaches, in absolute value. */
const span = (d: ArrayData): number => d.shape.reduce((s, n, i) => s + Math.abs(d.strides[i]!) * Math.max(0, n - 1), 0);

function writeWalk(ctx: WasmContext, shape: readonly number[], strides: readonly (readonly number[])[]): boolean {
  const m = mergeDims(shape, strides);
  const nd = m.shape.length;
  if (nd > ctx.maxDims || !m.strides.every(fitsI32)) return false;
  const desc = ctx.desc();
  desc[0] = nd;
  desc.set(m.shape, 1);
  m.strides.forEach((s, i) => desc.set(s, 1 + (i + 1) * nd));
  return true;
}

registerWasmKernel('Gather', (ctx, prim, inputs, [out]) => {
  const axes = (prim.params as { axes: number[] }).axes;
  const a = inputs[0]!;
  const idx = inputs.slice(1);
  const width = a.dtype.size;
  if (out!.dtype !== a.dtype || !isWidth(width) || idx.length !== axes.length) return false;
  const codes = idx.map((x) => indexCode(ctx, x.dtype));
  if (codes.some((c) => c === undefined)) return false;
  const B = idx.length ? idx[0]!.shape : [];
  if (idx.some((x) => x.shape.length !== B.length || x.shape.some((n, i) => n !== B[i]))) return false;
  const nb = shapeSize(B);
  if (nb === 0) return true;
  const sliceShape = a.shape.map((n, i) => (axes.includes(i) ? 1 : n));
  const sliceSize = shapeSize(sliceShape);
  if (nb > MAX_COUNT || nb * sliceSize > MAX_COUNT || span(a) >= 2 ** 31 || !fitsI32(a.strides)) return false;
  const { k, heap } = ctx;
  const bases = heap.alloc(nb * 4);
  try {
    if (idx.length === 0) new Int32Array(heap.memory.buffer, bases.ptr, 1)[0] = 0;
    for (let j = 0; j < idx.length; j++) {
      const x = idx[j]!;
      const ax = axes[j]!;
      if (!writeWalk(ctx, B, [x.strides])) return false;
      // 1: an index out of range; the reference raises it
      if (k.gather_bases(codes[j]!, addressOf(x), a.shape[ax]!, a.strides[ax]!, bases.ptr, j === 0 ? 1 : 0) !== 0) return false;
    }
    if (sliceSize === 0) return true;
    if (!writeWalk(ctx, sliceShape, [a.strides])) return false;
    return k.gather_copy(width, addressOf(a), bases.ptr, nb, addressOf(out!)) !== 0;
  } finally {
    heap.free(bases.ptr, bases.size);
  }
});

const kindNames = new Map<Dtype, string>([
  [float32, 'SK_f32'],
  [float64, 'SK_f64'],
  [int8, 'SK_i8'],
  [uint8, 'SK_u8'],
  [int16, 'SK_i16'],
  [uint16, 'SK_u16'],
  [int32, 'SK_i32'],
  [uint32, 'SK_u32'],
  [int64, 'SK_i64'],
  [uint64, 'SK_u64'],
  [bool, 'SK_bool'],
  [complex64, 'SK_c64'],
  [float16, 'SK_f16'],
  [bfloat16, 'SK_bf16'],
]);

registerWasmKernel('Scatter', (ctx, prim, [a, pos, upd], [out]) => {
  const reduce = (prim.params as { reduce: ScatterReduce }).reduce;
  const d = out!.dtype;
  const width = d.size;
  if (a!.dtype !== d || upd!.dtype !== d || !isWidth(width)) return false;
  const kindName = kindNames.get(d);
  const pcode = indexCode(ctx, pos!.dtype);
  const rcode = ctx.code(`SCATTER_${reduce}`);
  const kind = kindName === undefined ? undefined : ctx.code(kindName);
  if (kind === undefined || pcode === undefined || rcode === undefined) return false;
  if (pos!.shape.length !== upd!.shape.length || pos!.shape.some((n, i) => n !== upd!.shape[i])) return false;
  const n = shapeSize(a!.shape);
  const m = shapeSize(pos!.shape);
  if (n > MAX_COUNT || m > MAX_COUNT) return false;
  if (n === 0) return m === 0; // any position is out of range: the reference raises it
  const po = addressOf(out!);
  if (!copyStrided(ctx, width, a!.shape, a!.strides, rowMajorStrides(a!.shape), addressOf(a!), po)) return false;
  if (m === 0) return true;
  if (!writeWalk(ctx, pos!.shape, [pos!.strides, upd!.strides])) return false;
  return ctx.k.scatter(rcode, kind, width, pcode, addressOf(pos!), addressOf(upd!), po, n) === 0;
});

registerWasmKernel('MaskedScatter', (ctx, _prim, [a, mask, values], [out]) => {
  const d = out!.dtype;
  const width = d.size;
  // the reference tests mask elements as bytes (elements(mask) read as a Uint8Array)
  if (a!.dtype !== d || values!.dtype !== d || !isWidth(width) || mask!.dtype.size !== 1 || values!.shape.length === 0) return false;
  const n = shapeSize(a!.shape);
  const nm = shapeSize(mask!.shape);
  if (n > MAX_COUNT || nm > MAX_COUNT || shapeSize(values!.shape) > MAX_COUNT) return false;
  const inner = nm === 0 ? 0 : n / nm;
  const rowShape = values!.shape.slice(1);
  const rows = values!.shape[0]!;
  // row k of values must be elements k * inner ... of its row-major order, as the reference reads them
  if (!Number.isInteger(inner) || (rows > 0 && inner > 0 && shapeSize(rowShape) !== inner)) return false;
  if (span(values!) >= 2 ** 31 || !fitsI32(values!.strides)) return false;
  const po = addressOf(out!);
  if (n > 0 && !copyStrided(ctx, width, a!.shape, a!.strides, rowMajorStrides(a!.shape), addressOf(a!), po)) return false;
  if (nm === 0) return true;
  const { k, heap } = ctx;
  const flat = mergeDims(mask!.shape, [mask!.strides]);
  const contiguous = nm === 1 || isContiguous1d(flat.strides[0]!);
  const scratch = contiguous ? null : heap.alloc(nm);
  try {
    if (scratch && !copyStrided(ctx, 1, mask!.shape, mask!.strides, rowMajorStrides(mask!.shape), addressOf(mask!), scratch.ptr)) return false;
    if (!writeWalk(ctx, rowShape.length ? rowShape : [1], [rowShape.length ? values!.strides.slice(1) : [0]])) return false;
    const pm = scratch ? scratch.ptr : addressOf(mask!);
    // 1: more selected positions than rows; the reference raises it
    return k.masked_scatter(width, pm, nm, addressOf(values!), rows, values!.strides[0]!, inner, po) === 0;
  } finally {
    if (scratch) heap.free(scratch.ptr, scratch.size);
  }
});

/**
 * Element offsets into `target` (its strides) of every position of `shape` with the `axis`
 * coordinate left out (0), row-major into an Int32Array on the heap; GatherAxis / ScatterAxis
 * then add wrap(index) * stride along the axis with gather_bases. Null when an offset can't
 * be an i32.
 */
function offsetsAcross(ctx: WasmContext, shape: readonly number[], strides: readonly number[], axis: number, ptr: number): boolean {
  const n = shapeSize(shape);
  const reach = shape.reduce((s, d, i) => s + (i === axis ? 0 : Math.abs(strides[i]!) * Math.max(0, d - 1)), 0);
  if (reach >= 2 ** 31) return false;
  const out = new Int32Array(ctx.heap.memory.buffer, ptr, n);
  const nd = shape.length;
  const c = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let d = nd - 1; d >= 0; d--) {
      if (d !== axis) off += strides[d]!;
      if (++c[d]! < shape[d]!) break;
      if (d !== axis) off -= strides[d]! * shape[d]!;
      c[d] = 0;
    }
  }
  return true;
}

// GatherAxis: bases across the other axes, plus the wrapped index times the axis stride
// (gather_bases; an index out of range declines, and the reference raises it), then one
// element a base (gather_copy). Any dtype (raw units), any layouts.
registerWasmKernel('GatherAxis', (ctx, prim, [x, idx], [out]) => {
  const { axis } = prim.params as { axis: number };
  const width = x!.dtype.size;
  const code = indexCode(ctx, idx!.dtype);
  if (out!.dtype !== x!.dtype || !isWidth(width) || code === undefined) return false;
  const nb = shapeSize(idx!.shape);
  if (nb === 0) return true;
  if (nb > MAX_COUNT || span(x!) >= 2 ** 31 || !fitsI32(x!.strides)) return false;
  const { k, heap } = ctx;
  const bases = heap.alloc(nb * 4);
  try {
    if (!offsetsAcross(ctx, idx!.shape, x!.strides, axis, bases.ptr)) return false;
    if (!writeWalk(ctx, idx!.shape, [idx!.strides])) return false;
    if (k.gather_bases(code, addressOf(idx!), x!.shape[axis]!, x!.strides[axis]!, bases.ptr, 0) !== 0) return false;
    if (!writeWalk(ctx, [1], [[0]])) return false;
    return k.gather_copy(width, addressOf(x!), bases.ptr, nb, addressOf(out!)) !== 0;
  } finally {
    heap.free(bases.ptr, bases.size);
  }
});

// ScatterAxis: a row-major copy of x, then flat positions (as GatherAxis's bases, in the
// output's row-major strides) through the Scatter kernel ('none' or 'sum', every dtype it has).
registerWasmKernel('ScatterAxis', (ctx, prim, [x, idx, upd], [out]) => {
  const { axis, reduce } = prim.params as { axis: number; reduce: ScatterReduce };
  const d = out!.dtype;
  const width = d.size;
  const kindName = kindNames.get(d);
  const kind = kindName === undefined ? undefined : ctx.code(kindName);
  const code = indexCode(ctx, idx!.dtype);
  const rcode = ctx.code(`SCATTER_${reduce}`);
  const i32 = ctx.code('IDX_i32');
  if (x!.dtype !== d || upd!.dtype !== d || !isWidth(width) || kind === undefined || code === undefined || rcode === undefined || i32 === undefined) return false;
  const n = shapeSize(x!.shape);
  const m = shapeSize(idx!.shape);
  if (n > MAX_COUNT || m > MAX_COUNT) return false;
  const po = addressOf(out!);
  const rm = rowMajorStrides(x!.shape);
  if (n > 0 && !copyStrided(ctx, width, x!.shape, x!.strides, rm, addressOf(x!), po)) return false;
  if (m === 0) return true;
  const { k, heap } = ctx;
  const pos = heap.alloc(m * 4);
  try {
    if (!offsetsAcross(ctx, idx!.shape, rm, axis, pos.ptr)) return false;
    if (!writeWalk(ctx, idx!.shape, [idx!.strides])) return false;
    if (k.gather_bases(code, addressOf(idx!), x!.shape[axis]!, rm[axis]!, pos.ptr, 0) !== 0) return false;
    if (!writeWalk(ctx, idx!.shape, [rowMajorStrides(idx!.shape), upd!.strides])) return false;
    return k.scatter(rcode, kind, width, i32, pos.ptr, addressOf(upd!), po, n) === 0;
  } finally {
    heap.free(pos.ptr, pos.size);
  }
});
