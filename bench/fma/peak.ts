// FP port throughput (bench/fma/peak.mjs): 12 independent accumulators c_i += x * m_i, m_i loaded from L1 each step
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
export function peak(n: i32, p: usize): f32 {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(1), c2 = f32x4.splat(2), c3 = f32x4.splat(3);
  let c4 = f32x4.splat(4), c5 = f32x4.splat(5), c6 = f32x4.splat(6), c7 = f32x4.splat(7);
  let c8 = f32x4.splat(8), c9 = f32x4.splat(9), c10 = f32x4.splat(10), c11 = f32x4.splat(11);
  for (let i = 0; i < n; i++) {
    const x = v128.load32_splat(p + 192);
    c0 = madd(x, v128.load(p), c0); c1 = madd(x, v128.load(p, 16), c1); c2 = madd(x, v128.load(p, 32), c2); c3 = madd(x, v128.load(p, 48), c3);
    c4 = madd(x, v128.load(p, 64), c4); c5 = madd(x, v128.load(p, 80), c5); c6 = madd(x, v128.load(p, 96), c6); c7 = madd(x, v128.load(p, 112), c7);
    c8 = madd(x, v128.load(p, 128), c8); c9 = madd(x, v128.load(p, 144), c9); c10 = madd(x, v128.load(p, 160), c10); c11 = madd(x, v128.load(p, 176), c11);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)), f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))));
  return f32x4.extract_lane(s, 0);
}
