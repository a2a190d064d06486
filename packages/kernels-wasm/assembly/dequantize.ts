// Affine dequantization to float32 (the adapter is core backend/wasm/dequantize.ts): code q of
// a row's LSB-first bit stream (bits 1 to 8, codes may straddle two words), value
// float32(float32(q * scale) + bias) with the group's float32 scale and bias: the reference's
// steps in float32, so bit-identical to it. Rows r0 ≤ r < r1 (threads split rows).

/** Code j of the packed row at byte address `row` (LSB first, `bits` wide). */
@inline function codeOf(row: usize, j: i32, bits: i32): u32 {
  const off = j * bits;
  const w = off >>> 5, sh = off & 31;
  let v = load<u32>(row + (<usize>w << 2)) >>> sh;
  if (sh + bits > 32) v |= load<u32>(row + (<usize>(w + 1) << 2)) << (32 - sh);
  return v & ((1 << bits) - 1);
}

export function dequantize_affine_f32(pw: usize, ps: usize, pb: usize, po: usize, cols: i32, wordsPerRow: i32, bits: i32, gs: i32, r0: i32, r1: i32): void {
  const groups = cols / gs;
  for (let r = r0; r < r1; r++) {
    const row = pw + (<usize>(r * wordsPerRow) << 2);
    const out = po + (<usize>(r * cols) << 2);
    for (let g = 0; g < groups; g++) {
      const s = load<f32>(ps + (<usize>(r * groups + g) << 2));
      const b = load<f32>(pb + (<usize>(r * groups + g) << 2));
      const j0 = g * gs;
      if ((bits == 4 || bits == 8 || bits == 2) && gs % (32 / bits) == 0) {
        // whole words: 32 / bits codes each
        const per = 32 / bits, mask: u32 = (1 << bits) - 1;
        for (let j = j0; j < j0 + gs; j += per) {
          let word = load<u32>(row + (<usize>(j / per) << 2));
          for (let i = 0; i < per; i++) {
            store<f32>(out + (<usize>(j + i) << 2), <f32>(word & mask) * s + b);
            word >>>= bits;
          }
        }
      } else {
        for (let j = j0; j < j0 + gs; j++) store<f32>(out + (<usize>j << 2), <f32>codeOf(row, j, bits) * s + b);
      }
    }
  }
}
