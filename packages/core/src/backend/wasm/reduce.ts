// Reduce adapter over any axes: sum / max / min of float32 and float64, sum / prod / max / min
// of int32, and / or of float32, float64, int32 and 1-byte dtypes. The input is seen as kept
// dimensions x reduced dimensions (each group in its original order, merged where
// contiguous), which is the reference's accumulation order. ArgReduce (argmax / argmin along
// one axis) of float32, float64 and int32.
import { bool, float32, float64, int32, uint32, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, fitsI32, MAX_COUNT, type WasmContext } from './registry.js';
import type { ReduceType, ArgReduceType } from '../../primitives/reduce.js';

registerWasmKernel('Reduce', (ctx, prim, [x], [out]) => {
  const { type, axes } = prim.params as { type: ReduceType; axes: number[] };
  const fn = kernelFor(ctx, type, x!.dtype, out!.dtype);
  const code = ctx.code(`REDUCE_${type}`);
  if (!fn || shapeSize(x!.shape) > MAX_COUNT) return false;
  if (code === undefined) return false;
  if (shapeSize(out!.shape) === 0) return true;
  const reduced = new Set(axes);
  const pick = (keep: boolean) => {
    const dims = x!.shape.map((_, i) => i).filter((i) => reduced.has(i) !== keep);
    return mergeDims(dims.map((i) => x!.shape[i]!), [dims.map((i) => x!.strides[i]!)]);
  };
  const kept = pick(true);
  const red = pick(false);
  const kn = kept.shape.length;
  const rn = red.shape.length;
  const ks = kept.strides[0]!;
  const rs = red.strides[0]!;
  if (kn > ctx.maxDims || rn > ctx.maxDims || !fitsI32(ks) || !fitsI32(rs)) return false;
  const desc = ctx.desc();
  desc[0] = kn;
  desc[1] = rn;
  desc.set(kept.shape, 2);
  desc.set(ks, 2 + kn);
  desc.set(red.shape, 2 + 2 * kn);
  desc.set(rs, 2 + 2 * kn + rn);
  return fn(code, addressOf(x!), addressOf(out!)) !== 0;
});

function kernelFor(ctx: WasmContext, type: ReduceType, from: Dtype, to: Dtype): ((type: number, px: number, po: number) => number) | null {
  const { k } = ctx;
  if (type === 'and' || type === 'or') {
    if (to !== bool) return null;
    if (from === float32) return k.reduce_f32;
    if (from === float64) return k.reduce_f64;
    if (from === int32) return k.reduce_i32;
    return from.size === 1 ? k.reduce_u8 : null;
  }
  if (to !== from) return null;
  if (from === float32 && type !== 'prod') return k.reduce_f32;
  if (from === float64 && type !== 'prod') return k.reduce_f64;
  return from === int32 ? k.reduce_i32 : null;
}

registerWasmKernel('ArgReduce', (ctx, prim, [x], [out]) => {
  const { type, axis } = prim.params as { type: ArgReduceType; axis: number };
  const d = x!.dtype;
  const { k } = ctx;
  const fn = d === float32 ? k.argreduce_f32 : d === float64 ? k.argreduce_f64 : d === int32 ? k.argreduce_i32 : null;
  const code = ctx.code(`ARGREDUCE_${type}`);
  if (!fn || code === undefined || out!.dtype !== uint32 || shapeSize(x!.shape) > MAX_COUNT) return false;
  if (shapeSize(out!.shape) === 0) return true;
  const dims = x!.shape.map((_, i) => i).filter((i) => i !== axis);
  const kept = mergeDims(dims.map((i) => x!.shape[i]!), [dims.map((i) => x!.strides[i]!)]);
  const kn = kept.shape.length;
  const ks = kept.strides[0]!;
  const stride = x!.strides[axis]!;
  if (kn > ctx.maxDims || !fitsI32(ks) || !fitsI32([stride])) return false;
  const desc = ctx.desc();
  desc[0] = kn;
  desc.set(kept.shape, 1);
  desc.set(ks, 1 + kn);
  desc[1 + 2 * kn] = x!.shape[axis]!;
  desc[2 + 2 * kn] = stride;
  return fn(code, addressOf(x!), addressOf(out!)) !== 0;
});
