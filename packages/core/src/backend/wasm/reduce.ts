// Reduce adapter over any axes: sum / prod / max / min / and / or of every dtype. The input
// is seen as kept dimensions x reduced dimensions (each group in its original order, merged
// where contiguous), which is the reference's accumulation order. ArgReduce (argmax / argmin
// along one axis) of every dtype.
import { bool, float32, uint32, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, fitsI32, MAX_COUNT, type WasmContext } from './registry.js';
import type { ReduceType, ArgReduceType } from '../../primitives/reduce.js';
import type { ArrayData } from '../interface.js';
import { chunkCount, parallel, splitRange } from './threads.js';

/** Elements per block of a full float32 sum (block sums are added in order). */
export const SUM_BLOCK = 1 << 16;
/** Input elements per thread below which a reduction isn't split. */
export const REDUCE_GRAIN = 1 << 18;

registerWasmKernel('Reduce', (ctx, prim, [x], [out]) => {
  const { type, axes } = prim.params as { type: ReduceType; axes: number[] };
  const name = kernelFor(type, x!.dtype, out!.dtype);
  const fn = name ? ctx.k[name] : undefined;
  const code = ctx.code(`REDUCE_${type}`);
  if (!name || !fn || shapeSize(x!.shape) > MAX_COUNT) return false;
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
  if (type === 'sum' && x!.dtype === float32 && out!.dtype === float32 && rn === 1 && rs[0] === 1 && kn === 1) {
    return sumF32(ctx, addressOf(x!), addressOf(out!), kept.shape[0]!, ks[0]!, red.shape[0]!);
  }
  const words = [kn, rn, ...kept.shape, ...ks, ...red.shape, ...rs];
  const nOut = shapeSize(out!.shape);
  const parts = kept.shape[0]! >= 2 ? chunkCount(ctx, shapeSize(x!.shape), REDUCE_GRAIN) : 1;
  if (parts > 1) return reduceThreaded(ctx, `${name}_at`, code, x!, out!, words, kept.shape, ks, nOut, parts);
  const desc = ctx.desc();
  desc.set(words, 0);
  return fn(code, addressOf(x!), addressOf(out!)) !== 0;
});

/** Splits the outermost kept dimension into `parts` chunks, each with its own descriptor and scratch. */
function reduceThreaded(ctx: WasmContext, name: string, code: number, x: ArrayData, out: ArrayData, words: number[], keptShape: number[], ks: number[], nOut: number, parts: number): boolean {
  const { heap } = ctx;
  const k0 = keptShape[0]!;
  const inner = nOut / k0;
  const ranges = splitRange(k0, parts);
  const scratchBytes = ctx.k.reduceScratchBytes();
  const descBytes = Math.ceil((words.length * 4) / 16) * 16;
  const block = heap.alloc(ranges.length * (descBytes + scratchBytes));
  try {
    const px = addressOf(x);
    const po = addressOf(out);
    const chunks = ranges.map(([r0, r1], i) => {
      const at = block.ptr + i * (descBytes + scratchBytes);
      const w = words.slice();
      w[2] = r1 - r0; // kept.shape[0]
      new Int32Array(heap.memory.buffer, at, w.length).set(w);
      return [code, px + r0 * ks[0]! * x.dtype.size, po + r0 * inner * out.dtype.size, at, at + descBytes];
    });
    return parallel(ctx, name, chunks) !== 0;
  } finally {
    heap.free(block.ptr, block.size);
  }
}

/**
 * float32 sums of `rows` contiguous runs of `len` elements, `rowStride` apart (multi-lane, bound
 * above). Chunks start at multiples of 4 rows / blocks: the kernels sum whole groups of four side
 * by side, and a run's order must not depend on the thread count.
 */
function sumF32(ctx: WasmContext, px: number, po: number, rows: number, rowStride: number, len: number): boolean {
  if (rows > 1 || len <= SUM_BLOCK) {
    const parts = chunkCount(ctx, rows * len, REDUCE_GRAIN);
    const chunks = splitRange(rows, parts, 4).map(([r0, r1]) => [px + r0 * rowStride * 4, rowStride, r1 - r0, len, po + r0 * 4]);
    parallel(ctx, 'sum_f32_rows', chunks);
    return true;
  }
  const { heap } = ctx;
  const nb = Math.ceil(len / SUM_BLOCK);
  const partial = heap.alloc(nb * 8);
  try {
    const parts = chunkCount(ctx, len, REDUCE_GRAIN);
    const chunks = splitRange(nb, parts, 4).map(([b0, b1]) => [px + b0 * SUM_BLOCK * 4, Math.min(len, b1 * SUM_BLOCK) - b0 * SUM_BLOCK, SUM_BLOCK, partial.ptr + b0 * 8]);
    parallel(ctx, 'sum_f32_blocks', chunks);
    const sums = new Float64Array(heap.memory.buffer, partial.ptr, nb);
    let s = 0;
    for (let i = 0; i < nb; i++) s += sums[i]!;
    new Float32Array(heap.memory.buffer, po, 1)[0] = s;
  } finally {
    heap.free(partial.ptr, partial.size);
  }
  return true;
}

/** Kernel export suffix of each dtype. */
type Suffix = 'bool' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f16' | 'bf16' | 'f32' | 'f64' | 'c64';
const SUFFIX: Partial<Record<string, Suffix>> = {
  bool: 'bool', int8: 'i8', uint8: 'u8', int16: 'i16', uint16: 'u16', int32: 'i32', uint32: 'u32',
  int64: 'i64', uint64: 'u64', float16: 'f16', bfloat16: 'bf16', float32: 'f32', float64: 'f64', complex64: 'c64',
};

/** The export reducing `from` into `to` (and / or: into bool; the others: into `from`), or null. */
function kernelFor(type: ReduceType, from: Dtype, to: Dtype): `reduce_${Suffix}` | null {
  const sfx = SUFFIX[from.name];
  if (sfx === undefined || to !== (type === 'and' || type === 'or' ? bool : from)) return null;
  return `reduce_${sfx}`;
}

registerWasmKernel('ArgReduce', (ctx, prim, [x], [out]) => {
  const { type, axis } = prim.params as { type: ArgReduceType; axis: number };
  const sfx = SUFFIX[x!.dtype.name];
  const fn = sfx === undefined ? undefined : ctx.k[`argreduce_${sfx}`];
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
