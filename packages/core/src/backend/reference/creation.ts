// Arange: MLX computes `value = start; value += (next - start)` in the output dtype, where
// next = start + step, each cast to the dtype first. Doing the same arithmetic (rounded to the
// dtype at every step) gives MLX's values bit for bit, float16 and bfloat16 included.
import { registerKernel, elements } from './registry.js';
import { isBigInt } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';

registerKernel('Arange', (prim, _inputs, [out]) => {
  const { start, step } = prim.params as { start: number; step: number };
  const d = out!.dtype;
  const n = out!.shape[0]!;
  const data = elements(out!);
  if (isBigInt(d)) {
    const s0 = BigInt(Math.trunc(start));
    const st = BigInt(Math.trunc(start + step)) - s0;
    let v = s0;
    for (let i = 0; i < n; i++, v += st) (data as BigInt64Array)[i] = d.kind === 'u' ? BigInt.asUintN(64, v) : v;
    return;
  }
  // Round a double to the dtype by storing it and reading it back (one scratch slot).
  const scratch = new d.storage(d.lanes);
  const w = numberWriter(d, scratch);
  const r = numberReader(d, scratch);
  const cast = (x: number): number => {
    w(0, x);
    return r(0);
  };
  const write = numberWriter(d, data);
  let value = cast(start);
  const stepT = cast(cast(start + step) - value);
  for (let i = 0; i < n; i++) {
    write(i, value);
    value = cast(value + stepT);
  }
});
