// The two kernel sets differ only here: build.mjs compiles assembly/ twice, the second time
// with --enable relaxed-simd, where ASC_FEATURE_RELAXED_SIMD is true and the hot float32
// loops multiply-add with f32x4.relaxed_madd (one fused instruction where the CPU has FMA;
// the engine may also run it as a multiply then an add, which the bounds below allow).
// The constant folds at compile time, so the plain set's code is what it was.

/** True in the FMA kernel set. */
export const FMA: bool = ASC_FEATURE_RELAXED_SIMD;

/** c + a * b, lane-wise: fused in the FMA set (one rounding), multiply then add in the plain set. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
