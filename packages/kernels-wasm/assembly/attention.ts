// The softmax of scaled dot-product attention over a block of score rows, in place, one pass
// a row while it sits in the cache (the adapter is core backend/wasm/fast.ts): causal
// positions set to float32's lowest, m = max (NaN wins), e = exp(s - m) (expF: within 1 ulp
// of float32 of the reference's rounded double exp), their sum in double in row order (the
// reference's), p = e / float32(sum). Rows are independent: threads take ranges of them.
import { expF, expF32Loop } from './math';

const LOWEST: f32 = -3.4028234663852886e38;

/**
 * Rows r0 ≤ r < r1 of the (rows × Tk) float32 scores at `base`; with `causal`, row r keeps
 * keys j ≤ (r mod Tq) + off (off = Tk - Tq) and the others become LOWEST.
 */
export function softmax_rows_f32(base: usize, Tk: i32, Tq: i32, causal: i32, off: i32, r0: i32, r1: i32): void {
  const end4 = Tk & ~3;
  for (let r = r0; r < r1; r++) {
    const p = base + (<usize>r * <usize>Tk << 2);
    if (causal) {
      const valid = min(Tk, max(0, (r % Tq) + off + 1));
      for (let j = valid; j < Tk; j++) store<f32>(p + (<usize>j << 2), LOWEST);
    }
    let mv = f32x4.splat(-Infinity);
    for (let j = 0; j < end4; j += 4) mv = f32x4.max(mv, v128.load(p + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (let j = end4; j < Tk; j++) m = max(m, load<f32>(p + (<usize>j << 2)));
    const ms = f32x4.splat(m);
    for (let j = 0; j < end4; j += 4) v128.store(p + (<usize>j << 2), f32x4.sub(v128.load(p + (<usize>j << 2)), ms));
    for (let j = end4; j < Tk; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) - m);
    for (let j = expF32Loop(p, p, Tk); j < Tk; j++) store<f32>(p + (<usize>j << 2), expF(load<f32>(p + (<usize>j << 2))));
    let sum: f64 = 0;
    for (let j = 0; j < Tk; j++) sum += <f64>load<f32>(p + (<usize>j << 2));
    const z = <f32>sum;
    const zs = f32x4.splat(z);
    for (let j = 0; j < end4; j += 4) v128.store(p + (<usize>j << 2), f32x4.div(v128.load(p + (<usize>j << 2)), zs));
    for (let j = end4; j < Tk; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) / z);
  }
}
