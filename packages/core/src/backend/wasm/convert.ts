// AsType adapter: raw copies for same-representation casts (the reference's rule, so NaN
// payloads and every bit survive), and the float16 / bfloat16 / float32 / float64 / int32
// conversions the kernels export. Other casts fall back.
import { bfloat16, float16, float32, float64, int32, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, MAX_COUNT, stridedOperand, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';

const short = (d: Dtype): string | null =>
  d === float16 ? 'f16' : d === bfloat16 ? 'bf16' : d === float32 ? 'f32' : d === float64 ? 'f64' : d === int32 ? 'i32' : null;

function conversionName(from: Dtype, to: Dtype): string | null {
  if (from === to || (from.storage === to.storage && from.lanes === to.lanes && from.kind === to.kind)) {
    return `CONVERT_copy${from.size * 8}`;
  }
  const f = short(from);
  const t = short(to);
  return f && t ? `CONVERT_${f}_${t}` : null;
}

registerWasmKernel('AsType', (ctx, _p, [x], [out]) => {
  const name = conversionName(x!.dtype, out!.dtype);
  return name !== null && runConversion(ctx, name, x!, out!);
});

/** Runs one of the kernels' CONVERT_* ops from `x` (any layout) into contiguous `out`. */
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
