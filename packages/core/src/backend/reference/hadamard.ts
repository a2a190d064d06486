// The Hadamard primitive in one pass (primitives/hadamard.ts): its composition's steps in
// double, rounded where the composition rounds (butterflies to the dtype, the last scaling and
// the sign-matrix sums to float32), so it equals the composition bit for bit.
import { registerKernel, elements, offsetsOf } from './registry.js';
import { float16, bfloat16, float32, type Dtype } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from '../../half.js';
import { decompose, signMatrix, type HadamardParams } from '../../primitives/hadamard.js';

function rounder(d: Dtype): (v: number) => number {
  if (d === float32) return Math.fround;
  if (d === float16) return (v) => halfToNumber(numberToHalf(v));
  if (d === bfloat16) return (v) => bfloat16ToNumber(numberToBfloat16(v));
  return (v) => v;
}

registerKernel('Hadamard', (prim, [x], [out]) => {
  const { scale } = prim.params as HadamardParams;
  const len = x!.shape[x!.shape.length - 1]!;
  const [n, m] = decompose(len);
  const rt = rounder(x!.dtype);
  const f32 = Math.fround;
  const offs = offsetsOf(x!);
  const get = numberReader(x!.dtype, elements(x!));
  const put = numberWriter(out!.dtype, elements(out!));
  const signs = m > 1 ? signMatrix(m) : null;
  const y = new Float64Array(len);
  const mixed = new Float64Array(len);
  for (let r = 0; r < offs.length; r += len) {
    for (let i = 0; i < len; i++) y[i] = get(offs[r + i]!);
    for (let h = 1; h < n; h *= 2) {
      const last = m === 1 && 2 * h === n;
      for (let b0 = 0; b0 < len; b0 += 2 * h) {
        for (let j = b0; j < b0 + h; j++) {
          const a = y[j]!, c = y[j + h]!;
          y[j] = last ? rt(f32(rt(a + c) * scale)) : rt(a + c);
          y[j + h] = last ? rt(f32(rt(a - c) * scale)) : rt(a - c);
        }
      }
    }
    if (signs) {
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let k = 0; k < m; k++) acc = f32(acc + signs[j * m + k]! * y[k * n + i]!);
          mixed[j * n + i] = rt(f32(acc * scale));
        }
      }
      y.set(mixed);
    }
    for (let i = 0; i < len; i++) put(r + i, y[i]!);
  }
});
