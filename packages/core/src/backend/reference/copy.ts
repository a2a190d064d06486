// AsType / copy: every element converted with MLX's cast rules (elements.ts).
import { registerKernel, elements, offsetsOf } from './registry.js';
import { complex64, isBigInt, float16, bfloat16, float32 } from '../../dtype.js';
import { numberReader, numberWriter, bigintReader, bigintWriter } from '../../elements.js';

registerKernel('AsType', (_prim, [x], [out]) => {
  const src = elements(x!);
  const dst = elements(out!);
  const offs = offsetsOf(x!);
  const n = offs.length;
  const from = x!.dtype;
  const to = out!.dtype;
  if (from === to || (from.storage === to.storage && from.lanes === to.lanes && from.kind === to.kind)) {
    // Same representation: copy raw storage units (bit exact, NaN payloads kept).
    const lanes = from.lanes;
    for (let i = 0; i < n; i++) for (let l = 0; l < lanes; l++) (dst as Float32Array)[i * lanes + l] = (src as Float32Array)[offs[i]! * lanes + l]!;
    return;
  }
  if (to === float32 && (from === bfloat16 || from === float16)) {
    // Widening is exact, NaNs included: keep their sign and payload bits as MLX (and jax) do,
    // which a trip through a JS number would not.
    const h = src as Uint16Array;
    const d = new Uint32Array((dst as Float32Array).buffer, (dst as Float32Array).byteOffset, n);
    const r = numberReader(from, src);
    const f = dst as Float32Array;
    for (let i = 0; i < n; i++) {
      const b = h[offs[i]!]!;
      if (from === bfloat16) d[i] = b << 16;
      else if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) d[i] = (((b & 0x8000) << 16) | 0x7fc00000 | ((b & 0x3ff) << 13)) >>> 0;
      else f[i] = r(offs[i]!);
    }
    return;
  }
  if (to === complex64) {
    const r = numberReader(from, src);
    const d = dst as Float32Array;
    for (let i = 0; i < n; i++) {
      if (from === complex64) {
        d[2 * i] = (src as Float32Array)[2 * offs[i]!]!;
        d[2 * i + 1] = (src as Float32Array)[2 * offs[i]! + 1]!;
      } else {
        d[2 * i] = r(offs[i]!);
        d[2 * i + 1] = 0;
      }
    }
    return;
  }
  if (from === complex64 && to.kind === 'b') {
    // A complex value is true when either part is non-zero (C++'s complex -> bool), not only the real one.
    const c = src as Float32Array;
    const d = dst as Uint8Array;
    for (let i = 0; i < n; i++) d[i] = c[2 * offs[i]!] !== 0 || c[2 * offs[i]! + 1] !== 0 ? 1 : 0;
    return;
  }
  if (isBigInt(from) || isBigInt(to)) {
    if (isBigInt(from) && isBigInt(to)) {
      const r = bigintReader(from, src);
      const w = bigintWriter(to, dst);
      for (let i = 0; i < n; i++) w(i, r(offs[i]!));
      return;
    }
    if (isBigInt(from)) {
      // int64 -> smaller ints wraps exactly; -> floats rounds from the exact value.
      const r = bigintReader(from, src);
      if (to.kind === 'i' || to.kind === 'u') {
        const w = bigintWriter(to, dst);
        for (let i = 0; i < n; i++) w(i, r(offs[i]!));
      } else {
        const w = numberWriter(to, dst);
        for (let i = 0; i < n; i++) w(i, Number(r(offs[i]!)));
      }
      return;
    }
    const r = numberReader(from, src);
    const w = numberWriter(to, dst);
    for (let i = 0; i < n; i++) w(i, r(offs[i]!));
    return;
  }
  const r = numberReader(from, src);
  const w = numberWriter(to, dst);
  for (let i = 0; i < n; i++) w(i, r(offs[i]!));
});
