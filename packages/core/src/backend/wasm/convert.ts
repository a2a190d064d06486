// AsType adapter: raw copies for same-representation casts (the reference's rule, so NaN
// payloads and every bit survive), and the kernels' `cast` for every other pair of dtypes
// (codes: MLX's dtype order, Dtype.index), bit for bit the reference's conversions.
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, MAX_COUNT, stridedOperand, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { Dtype } from '../../dtype.js';
import { chunkCount, parallel, splitRange } from './threads.js';

registerWasmKernel('AsType', (ctx, _p, [x], [out]) => {
  const from = x!.dtype;
  const to = out!.dtype;
  if (from === to || (from.storage === to.storage && from.lanes === to.lanes && from.kind === to.kind)) {
    return runConversion(ctx, `CONVERT_copy${from.size * 8}`, x!, out!);
  }
  const n = shapeSize(out!.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const layout = stridedOperand(ctx, x!);
  if (!layout) return false;
  if (!layout.strided) return castContiguous(ctx, from, to, addressOf(x!), addressOf(out!), n);
  return ctx.k.cast(from.index, to.index, 1, addressOf(x!), addressOf(out!), n) !== 0;
});

/** Elements per thread below which a contiguous cast isn't split. */
const CAST_GRAIN = 1 << 16;

/**
 * Casts n contiguous elements at px (dtype `from`) into po (dtype `to`), split into element
 * ranges across threads when large (the kernels' casts call no JS import).
 */
export function castContiguous(ctx: WasmContext, from: Dtype, to: Dtype, px: number, po: number, n: number): boolean {
  const chunks = splitRange(n, chunkCount(ctx, n, CAST_GRAIN), 64).map(([s, e]) => [from.index, to.index, 0, px + s * from.size, po + s * to.size, e - s]);
  return parallel(ctx, 'cast', chunks) !== 0;
}

/** Runs one of the kernels' CONVERT_copy* ops from `x` (any layout) into contiguous `out`. */
export function runConversion(ctx: WasmContext, name: string, x: ArrayData, out: ArrayData): boolean {
  const op = ctx.code(name);
  if (op === undefined) return false;
  const n = shapeSize(out.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const layout = stridedOperand(ctx, x);
  if (!layout) return false;
  const { strided } = layout;
  return ctx.k.convert(op, strided ? 1 : 0, addressOf(x), addressOf(out), n) !== 0;
}
