// Concatenate and Arange adapters, plus the strided raw copy that Scatter shares. Copies move
// storage units (1, 2, 4 or 8 bytes), so every dtype is exact, complex64 and NaN payloads
// included. Arange: every dtype.
import { isBigInt, bool, float16, bfloat16, float32, float64, complex64, type Dtype } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, fitsI32, MAX_COUNT, type WasmContext } from './registry.js';

export const isWidth = (w: number): boolean => w === 1 || w === 2 || w === 4 || w === 8;

/**
 * Copies every element of `shape` from byte address ps (element strides src) to pd (strides
 * dst), `width` bytes each. False when the layout doesn't fit a descriptor (nothing copied).
 */
export function copyStrided(
  ctx: WasmContext,
  width: number,
  shape: readonly number[],
  src: readonly number[],
  dst: readonly number[],
  ps: number,
  pd: number,
): boolean {
  const m = mergeDims(shape, [src, dst]);
  const nd = m.shape.length;
  if (nd > ctx.maxDims || !m.strides.every(fitsI32)) return false;
  const desc = ctx.desc();
  desc[0] = nd;
  desc.set(m.shape, 1);
  desc.set(m.strides[0]!, 1 + nd);
  desc.set(m.strides[1]!, 1 + 2 * nd);
  return ctx.k.copy_strided(width, ps, pd) !== 0;
}

registerWasmKernel('Concatenate', (ctx, prim, inputs, [out]) => {
  const axis = (prim.params as { axis: number }).axis;
  const width = out!.dtype.size;
  if (!isWidth(width) || inputs.some((x) => x.dtype !== out!.dtype)) return false;
  const n = shapeSize(out!.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const os = rowMajorStrides(out!.shape);
  const po = addressOf(out!);
  let base = 0; // where this input starts along the axis
  for (const x of inputs) {
    if (shapeSize(x.shape) > 0 && !copyStrided(ctx, width, x.shape, x.strides, os, addressOf(x), po + base * os[axis]! * width)) return false;
    base += x.shape[axis]!;
  }
  return true;
});

/** Rounds a double to dtype d as the reference does: a store with its writer and a read back. */
function caster(d: Dtype): (x: number) => number {
  const cell = new d.storage(d.lanes);
  const put = numberWriter(d, cell);
  const get = numberReader(d, cell);
  return (x) => {
    put(0, x);
    return get(0);
  };
}

// Arange: value = start; value += step, rounded to the dtype at every step (reference/creation.ts).
// start and step are cast here with the reference's own conversions; the kernels repeat the
// step: float32/complex64 and float64 natively, float16/bfloat16 as a double sum rounded once
// to 16 bits, integers wrapping, bool (a constant after the first element).
registerWasmKernel('Arange', (ctx, prim, _inputs, [out]) => {
  const { start, step } = prim.params as { start: number; step: number };
  const d = out!.dtype;
  const n = out!.shape[0]!;
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const { k } = ctx;
  const po = addressOf(out!);
  if (isBigInt(d)) {
    // BigInt() of a non-finite value throws: let the reference raise it
    if (!Number.isFinite(start) || !Number.isFinite(start + step)) return false;
    const s0 = BigInt(Math.trunc(start));
    const st = BigInt(Math.trunc(start + step)) - s0;
    const desc = ctx.desc();
    const w = new BigInt64Array(desc.buffer, desc.byteOffset, 2);
    w[0] = s0; // stores wrap mod 2^64, as the reference's
    w[1] = st;
    k.arange_i64(n, po);
    return true;
  }
  const cast = caster(d);
  const v0 = cast(start);
  const st = cast(cast(start + step) - v0);
  if (d === float32) k.arange_f32(v0, st, n, po);
  else if (d === float64) k.arange_f64(v0, st, n, po);
  else if (d === float16 || d === bfloat16) k.arange_f16(d === bfloat16 ? 1 : 0, v0, st, n, po);
  else if (d === complex64) k.arange_c64(v0, st, n, po);
  else if (d === bool) k.arange_bool(v0, st, n, po);
  else if (d.kind === 'i' || d.kind === 'u') return k.arange_int(d.size, v0 | 0, st | 0, n, po) !== 0;
  else return false;
  return true;
});
