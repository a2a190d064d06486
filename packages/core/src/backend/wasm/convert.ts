// AsType adapter: raw copies for same-representation casts (the reference's rule, so NaN
// payloads and every bit survive), and the kernels' `cast` for every other pair of dtypes
// (codes: MLX's dtype order, Dtype.index), bit for bit the reference's conversions.
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, MAX_COUNT, stridedOperand, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';

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
  return ctx.k.cast(from.index, to.index, layout.strided ? 1 : 0, addressOf(x!), addressOf(out!), n) !== 0;
});

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
