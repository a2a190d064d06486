// WGSL building blocks shared by the kernels: how each dtype sits in 32-bit words, the
// conversions between dtypes with the reference backend's rules (elements.ts: C casts, integer
// stores wrap, float -> int truncates then wraps, NaN/inf -> 0), and the float helpers that
// WGSL lacks or leaves loose (NaN tests by bits, fmod, pow, expm1, log1p).
import type { ArrayData, Dtype } from '@mlx-ts/core';

/**
 * How values of a dtype are computed: floats in f32, signed ints and bool in i32, unsigned in
 * u32; int64/uint64 as vec2u (lo, hi words, two's complement), complex64 as vec2f (re, im).
 */
export type CType = 'f32' | 'i32' | 'u32' | 'i64' | 'u64' | 'c64';

const SUPPORTED = new Set(['bool', 'uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float32', 'float16', 'bfloat16', 'int64', 'uint64', 'complex64']);

/** The WGSL type of a compute type. */
export function wgslType(ct: CType | 'bool'): string {
  return ct === 'i64' || ct === 'u64' ? 'vec2u' : ct === 'c64' ? 'vec2f' : ct === 'bool' ? 'u32' : ct;
}

/** Whether raw elements of the dtype are vec2u (8-byte dtypes: two words) rather than u32. */
export const wide = (d: Dtype): boolean => d.size === 8;

export function gpuDtype(d: Dtype): boolean {
  return SUPPORTED.has(d.name);
}

export function ctypeOf(d: Dtype): CType {
  if (d.size === 8) return d.kind === 'c' ? 'c64' : d.kind === 'u' ? 'u64' : 'i64';
  if (d.kind === 'f' || d.kind === 'V') return 'f32';
  if (d.kind === 'u') return 'u32';
  return 'i32';
}

/** Elements of the dtype per 32-bit word (4 for 1-byte dtypes, 2 for 2-byte, 1 for 4-byte, 1/2 for 8-byte). */
export function perWord(d: Dtype): number {
  return 4 / d.size;
}

/**
 * A WGSL function `name(j: i32) -> u32` giving the raw bits of element j of binding `buf`
 * (zero-extended for 1- and 2-byte dtypes).
 */
export function rawLoader(name: string, buf: string, d: Dtype): string {
  if (d.size === 8) return `fn ${name}(j: i32) -> vec2u { let u = 2u * u32(j); return vec2u(${buf}[u], ${buf}[u + 1u]); }`;
  if (d.size === 4) return `fn ${name}(j: i32) -> u32 { return ${buf}[j]; }`;
  const per = perWord(d);
  const bits = d.size * 8;
  const mask = d.size === 1 ? '0xffu' : '0xffffu';
  return `fn ${name}(j: i32) -> u32 { let u = u32(j); return (${buf}[u / ${per}u] >> ((u % ${per}u) * ${bits}u)) & ${mask}; }`;
}

/** Raw bits (as from rawLoader) of a dtype to its compute type. */
export function fromRaw(d: Dtype, raw: string): string {
  switch (d.name) {
    case 'float32':
      return `bitcast<f32>(${raw})`;
    case 'float16':
      return `h2f_(${raw})`;
    case 'bfloat16':
      return `bitcast<f32>(${raw} << 16u)`;
    case 'int32':
      return `bitcast<i32>(${raw})`;
    case 'int16':
      return `(bitcast<i32>(${raw} << 16u) >> 16u)`;
    case 'int8':
      return `(bitcast<i32>(${raw} << 24u) >> 24u)`;
    case 'bool':
      return `i32(${raw})`;
    case 'complex64':
      return `bitcast<vec2f>(${raw})`;
    default:
      return raw; // unsigned, and int64/uint64 as their two words
  }
}

/**
 * The raw bits (masked to the dtype's width; vec2u for 8-byte dtypes) that store a compute value
 * of type `ct` as `d`, with the reference's casts: int64 -> float through the double (two
 * roundings, as Number(bigint) then the store), float -> int64 truncates and wraps, complex ->
 * real takes the real part (complex -> bool: either part non-zero).
 */
export function toRaw(ct: CType | 'bool', d: Dtype, v: string): string {
  if (ct === 'c64') {
    if (d.name === 'complex64') return `bitcast<vec2u>(${v})`;
    if (d.name === 'bool') return `select(0u, 1u, ((bitcast<u32>(${v}.x) | bitcast<u32>(${v}.y)) & 0x7fffffffu) != 0u)`;
    return toRaw('f32', d, `${v}.x`);
  }
  if (ct === 'i64' || ct === 'u64') {
    if (d.size === 8 && d.kind !== 'c') return v;
    if (d.name === 'bool') return `select(0u, 1u, (${v}.x | ${v}.y) != 0u)`;
    if (d.kind === 'i' || d.kind === 'u') return toRaw('u32', d, `${v}.x`);
    const f = ct === 'i64' ? 'sl2f_' : 'ul2f_';
    if (d.name === 'complex64') return `bitcast<vec2u>(vec2f(${f}(${v}, 24u), 0.0))`;
    if (d.name === 'float16') return `f2h_(${f}(${v}, 11u))`;
    if (d.name === 'bfloat16') return `f2bf_(${f}(${v}, 8u))`;
    return `bitcast<u32>(${f}(${v}, 24u))`;
  }
  if (d.name === 'complex64') {
    const f = ct === 'f32' ? v : ct === 'bool' ? `f32(${v})` : `f32(${v})`;
    return `bitcast<vec2u>(vec2f(${f}, 0.0))`;
  }
  if (d.size === 8) {
    // 32-bit compute values (and bool) to int64/uint64
    if (ct === 'f32') return `f2l_(${v})`;
    if (ct === 'i32') return `vec2u(bitcast<u32>(${v}), select(0u, 0xffffffffu, ${v} < 0i))`;
    return `vec2u(${v}, 0u)`;
  }
  const mask = d.size === 4 ? '' : d.size === 2 ? ' & 0xffffu' : ' & 0xffu';
  if (d.name === 'bool') {
    if (ct === 'bool') return v;
    if (ct === 'f32') return `select(1u, 0u, (bitcast<u32>(${v}) & 0x7fffffffu) == 0u)`; // NaN is true
    return `select(0u, 1u, ${v} != ${ct === 'u32' ? '0u' : '0i'})`;
  }
  if (d.name === 'float16') return ct === 'f32' ? `f2h_(${v})` : `f2h_(f32(${v}))`; // |int| > 2^24 is inf in half anyway
  if (d.name === 'bfloat16') return ct === 'f32' ? `f2bf_(${v})` : ct === 'i32' ? `i2bf_(${v})` : `u2bf_(${v})`;
  if (d.kind === 'f') {
    if (ct === 'f32') return `bitcast<u32>(${v})`;
    return `bitcast<u32>(f32(${v}))`;
  }
  // integer outputs
  if (ct === 'f32') return `(f2u_(${v})${mask})`;
  if (ct === 'bool') return v;
  if (ct === 'i32') return `(bitcast<u32>(${v})${mask})`;
  return mask ? `(${v}${mask})` : v;
}

/** A compute value of type `ct` converted to the compute type of `d` (through d's stored bits). */
export function castValue(ct: CType | 'bool', d: Dtype, v: string): string {
  return fromRaw(d, toRaw(ct, d, v));
}

/** `v` (f32) rounded to the precision of a half dtype, for ops the reference rounds midway. */
export function roundToDtype(d: Dtype, v: string): string {
  if (d.name === 'float16') return `h2f_(f2h_(${v}))`;
  if (d.name === 'bfloat16') return `bitcast<f32>(f2bf_(${v}) << 16u)`;
  return v;
}

/** Helper functions, by name; a kernel includes those its code mentions (and their dependencies). */
const HELPERS: Record<string, { deps?: string[]; src: string }> = {
  // float16 bits <-> f32 by integer arithmetic (exact; round to nearest even), so no adapter
  // feature (shader-f16) is needed and no driver flushes subnormals
  h2f_: {
    src: `fn h2f_(h: u32) -> f32 {
  let sign = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0x1fu) { return bitcast<f32>(sign | 0x7f800000u | (m << 13u)); }
  if (e == 0u) {
    let v = f32(m) * 5.9604644775390625e-8;
    return select(v, -v, sign != 0u);
  }
  return bitcast<f32>(sign | ((e + 112u) << 23u) | (m << 13u));
}`,
  },
  f2h_: {
    src: `fn f2h_(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let sign = (b >> 16u) & 0x8000u;
  let a = b & 0x7fffffffu;
  if (a > 0x7f800000u) { return sign | 0x7e00u; }
  if (a >= 0x477ff000u) { return sign | 0x7c00u; }
  if (a >= 0x38800000u) {
    let m = a & 0x7fffffu;
    var h = (((a >> 23u) - 112u) << 10u) | (m >> 13u);
    let rem = m & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u) == 1u)) { h += 1u; }
    return sign | h;
  }
  // subnormal halves: multiples of 2^-24, rounded half to even
  return sign | u32(round(bitcast<f32>(a) * 16777216.0));
}`,
  },
  f2bf_: {
    src: `fn f2bf_(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return ((b >> 16u) & 0x8000u) | 0x7fc0u; }
  return (b + 0x7fffu + ((b >> 16u) & 1u)) >> 16u;
}`,
  },
  // integers to bfloat16 with one rounding (through f32 would round twice beyond 2^24)
  u2bf_: {
    src: `fn u2bf_(a: u32) -> u32 {
  if (a < 256u) { return bitcast<u32>(f32(a)) >> 16u; }
  let p = 31u - countLeadingZeros(a);
  let shift = p - 7u;
  var mant = a >> shift;
  let rem = a & ((1u << shift) - 1u);
  let half = 1u << (shift - 1u);
  if (rem > half || (rem == half && (mant & 1u) == 1u)) { mant += 1u; }
  return bitcast<u32>(ldexp(f32(mant), i32(shift))) >> 16u;
}`,
  },
  i2bf_: {
    deps: ['u2bf_'],
    src: `fn i2bf_(v: i32) -> u32 {
  let a = select(u32(v), 0u - u32(v), v < 0);
  return u2bf_(a) | select(0u, 0x8000u, v < 0);
}`,
  },
  isnan_: { src: 'fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }' },
  isinf_: { src: 'fn isinf_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }' },
  // NaN and inf from private variables: a constant expression may not produce them in WGSL
  nan_: { src: 'var<private> NAN_BITS_: u32 = 0x7fc00000u;\nfn nan_() -> f32 { return bitcast<f32>(NAN_BITS_); }' },
  inf_: { src: 'var<private> INF_BITS_: u32 = 0x7f800000u;\nfn inf_() -> f32 { return bitcast<f32>(INF_BITS_); }' },
  // exp with Cody-Waite range reduction: WGSL's exp(x) may lose |x| ulps (exp2(x * log2(e)))
  exp_: {
    deps: ['inf_'],
    src: `fn exp_(x: f32) -> f32 {
  if (x > 88.73) { return inf_(); }
  if (x < -103.98) { return 0.0; }
  let k = round(x * 1.4426950408889634);
  let r = (x - k * 0.693145751953125) - k * 1.4286067653301870e-6;
  let e = i32(k);
  // two steps so that 2^e never overflows on its own near the ends of the range
  return ldexp(ldexp(exp(r), e / 2), e - e / 2);
}`,
  },
  // ToInt32/ToUint32 of a float: truncate, wrap modulo 2^32; NaN and infinities give 0
  f2u_: {
    src: `fn f2u_(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu);
  if (e == 255 || e < 127) { return 0u; }
  let m = (b & 0x7fffffu) | 0x800000u;
  let s = e - 150;
  var r: u32;
  if (s >= 32) { r = 0u; } else if (s >= 0) { r = m << u32(s); } else { r = m >> u32(-s); }
  return select(r, 0u - r, (b & 0x80000000u) != 0u);
}`,
  },
  // exact fmod by long division on the significands (every fmod result is representable)
  fmod_: {
    deps: ['nan_'],
    src: `fn fmod_(x: f32, y: f32) -> f32 {
  let bx = bitcast<u32>(x);
  let sx = bx & 0x80000000u;
  let ux = bx & 0x7fffffffu;
  let uy = bitcast<u32>(y) & 0x7fffffffu;
  if (uy == 0u || ux >= 0x7f800000u || uy > 0x7f800000u) { return nan_(); }
  if (uy == 0x7f800000u || ux < uy) { return x; }
  if (ux == uy) { return bitcast<f32>(sx); }
  var ex = i32(ux >> 23u);
  var ey = i32(uy >> 23u);
  var mx = ux & 0x7fffffu;
  var my = uy & 0x7fffffu;
  if (ex == 0) { ex = 1; } else { mx |= 0x800000u; }
  if (ey == 0) { ey = 1; } else { my |= 0x800000u; }
  while (mx < 0x800000u) { mx <<= 1u; ex -= 1; }
  while (my < 0x800000u) { my <<= 1u; ey -= 1; }
  while (ex > ey) {
    if (mx >= my) { mx -= my; }
    mx <<= 1u;
    ex -= 1;
  }
  if (mx >= my) { mx -= my; }
  if (mx == 0u) { return bitcast<f32>(sx); }
  while (mx < 0x800000u) { mx <<= 1u; ex -= 1; }
  if (ex >= 1) { return bitcast<f32>(sx | (u32(ex) << 23u) | (mx & 0x7fffffu)); }
  return bitcast<f32>(sx | (mx >> u32(1 - ex)));
}`,
  },
  // Python/MLX remainder: the sign of the divisor
  frem_: {
    deps: ['fmod_'],
    src: `fn frem_(a: f32, b: f32) -> f32 {
  var r = fmod_(a, b);
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  return r;
}`,
  },
  // std::pow's special cases; otherwise exp2(b * log2|a|) with the sign of odd integer powers
  powf_: {
    deps: ['isnan_', 'isinf_', 'nan_', 'inf_'],
    src: `fn powf_(a: f32, b: f32) -> f32 {
  if (a == 1.0 || b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  let ab = abs(a);
  if (isinf_(b)) {
    if (ab == 1.0) { return 1.0; }
    return select(0.0, inf_(), (ab > 1.0) == (b > 0.0));
  }
  let integral = floor(b) == b;
  let neg = (bitcast<u32>(a) & 0x80000000u) != 0u;
  if (neg && !integral && ab != 0.0 && !isinf_(a)) { return nan_(); }
  let odd = integral && abs(b) < 16777216.0 && (u32(abs(b)) & 1u) == 1u;
  // the common exponents with one correctly rounded operation, as the reference's pow gives
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == -1.0) { return 1.0 / a; }
  if (b == 0.5 && a > 0.0 && !isinf_(a)) { return sqrt(a); }
  var r: f32;
  if (ab == 0.0) { r = select(inf_(), 0.0, b > 0.0); }
  else if (isinf_(ab)) { r = select(0.0, inf_(), b > 0.0); }
  else { r = exp2(b * log2(ab)); }
  return select(r, -r, neg && odd);
}`,
  },
  // Kahan's: exact for the tiny arguments where exp(x) - 1 cancels
  expm1_: {
    deps: ['exp_'],
    src: `fn expm1_(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp_(x);
  if (u == 1.0) { return x; }
  let um = u - 1.0;
  if (um == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um; }
  return um * x / log(u);
}`,
  },
  // log(1 + f) for |f| <= 0.42 as 2 atanh(f / (2 + f)): WGSL's log has an absolute, not
  // relative, error bound near 1
  log1ps_: {
    src: `fn log1ps_(f: f32) -> f32 {
  let s = f / (2.0 + f);
  let z = s * s;
  let p = z * (0.33333333 + z * (0.2 + z * (0.14285714 + z * (0.11111111 + z * (0.09090909 + z * 0.07692308)))));
  return 2.0 * s + 2.0 * s * p;
}`,
  },
  // x = m 2^e with m in [0.707, 1.414): e ln2 + log(m), ln2 split so that e ln2_hi is exact
  log_: {
    deps: ['log1ps_', 'isnan_', 'nan_', 'inf_'],
    src: `fn log_(x: f32) -> f32 {
  if (isnan_(x) || x < 0.0) { return nan_(); }
  if (x == 0.0) { return -inf_(); }
  if (x == inf_()) { return x; }
  var b = bitcast<u32>(x);
  var e = 0i;
  if (b < 0x800000u) { b = bitcast<u32>(x * 33554432.0); e = -25; }
  e += i32(b >> 23u) - 127;
  var m = bitcast<f32>((b & 0x7fffffu) | 0x3f800000u);
  if (m > 1.4142135) { m = m * 0.5; e += 1; }
  let fe = f32(e);
  return fe * 0.693145751953125 + (log1ps_(m - 1.0) + fe * 1.4286067653301870e-6);
}`,
  },
  log1p_: {
    deps: ['log1ps_', 'log_'],
    src: `fn log1p_(x: f32) -> f32 {
  if (abs(x) <= 0.42) { return log1ps_(x); }
  let u = 1.0 + x;
  // the rounding of 1 + x, corrected to first order
  return log_(u) - ((u - 1.0) - x) / u;
}`,
  },
  // atan by reduction to |t| <= tan(pi/8) and its Taylor series (WGSL's atan may be far
  // coarser than an ulp)
  atan_: {
    src: `fn atan_(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return x; }
  var a = abs(x);
  var base = 0.0;
  if (a > 1.0) { a = 1.0 / a; base = 1.5707963267948966; }
  var t = a;
  var mid = 0.0;
  if (a > 0.41421356) { t = (a - 1.0) / (a + 1.0); mid = 0.78539816339744831; }
  let z = t * t;
  var p = -0.04761905;
  p = 0.05263158 + z * p;
  p = -0.05882353 + z * p;
  p = 0.06666667 + z * p;
  p = -0.07692308 + z * p;
  p = 0.09090909 + z * p;
  p = -0.11111111 + z * p;
  p = 0.14285714 + z * p;
  p = -0.2 + z * p;
  p = 0.33333333 + z * p;
  var r = mid + (t - t * z * p);
  if (base != 0.0) { r = base - r; }
  return select(r, -r, x < 0.0);
}`,
  },
  atan2_: {
    deps: ['atan_', 'isnan_', 'isinf_', 'nan_'],
    src: `fn atan2_(y: f32, x: f32) -> f32 {
  if (isnan_(x) || isnan_(y)) { return nan_(); }
  let ny = (bitcast<u32>(y) & 0x80000000u) != 0u;
  let nx = (bitcast<u32>(x) & 0x80000000u) != 0u;
  let pi = 3.1415926535897932;
  var r: f32;
  if (y == 0.0) { r = select(0.0, pi, nx); }
  else if (isinf_(x) && isinf_(y)) { r = select(0.78539816339744831, 2.3561944901923449, nx); }
  else if (isinf_(x)) { r = select(0.0, pi, nx); }
  else if (x == 0.0 || isinf_(y)) { r = 1.5707963267948966; }
  else {
    r = atan_(abs(y) / abs(x));
    if (nx) { r = pi - r; }
  }
  return select(r, -r, ny);
}`,
  },
  // erf = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1 3 5 ... (2n+1)): positive terms, so no
  // cancellation; e^(-x^2) from x^2 split exactly (fma) so the rounding of x^2 doesn't scale by
  // x^2. |x| >= 3.95 is +-1 in f32.
  erf_: {
    deps: ['expmx2_'],
    src: `fn erf_(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return x; }
  let a = abs(x);
  if (a >= 3.95) { return sign(x); }
  let t2 = 2.0 * a * a;
  var t = a;
  var s = a;
  for (var n = 1.0; n < 90.0; n += 1.0) {
    t = t * t2 / (2.0 * n + 1.0);
    s = s + t;
    if (t < s * 3e-8) { break; }
  }
  let r = 1.1283791670955126 * expmx2_(a) * s;
  return select(r, -r, x < 0.0);
}`,
  },
  // e^(-x^2) with x^2 split exactly (fma), for the erf family
  expmx2_: {
    deps: ['exp_'],
    src: `fn expmx2_(a: f32) -> f32 {
  let hi = a * a;
  return exp_(-hi) * (1.0 - fma(a, a, -hi));
}`,
  },
  // erfc(x) for x >= 1 with relative accuracy: e^(-x^2)/sqrt(pi) / K, K the continued fraction
  // x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) evaluated from 60 levels down
  erfcBig_: {
    deps: ['expmx2_'],
    src: `fn erfcBig_(x: f32) -> f32 {
  var k = x;
  for (var n = 60.0; n >= 1.0; n -= 1.0) { k = x + (0.5 * n) / k; }
  return 0.56418958354775628 * expmx2_(x) / k;
}`,
  },
  // erf^-1: Winitzki's first guess, then Newton on erf (|y| <= 0.9) or on erfc = 1 - |y|,
  // exact in f32 (beyond 0.9, where erf itself can't resolve x)
  erfinv_: {
    deps: ['erf_', 'erfcBig_', 'expmx2_', 'log_', 'nan_', 'inf_'],
    src: `fn erfinv_(y: f32) -> f32 {
  let a = abs(y);
  if (!(a <= 1.0)) { return nan_(); }
  if (a == 1.0) { return select(inf_(), -inf_(), y < 0.0); }
  if (a == 0.0) { return y; }
  let q = 1.0 - a;
  let ln = log_(q * (1.0 + a));
  let t = 4.3307467508 + 0.5 * ln;
  var x = sqrt(sqrt(t * t - ln * 6.8027210884) - t);
  for (var i = 0; i < 4; i++) {
    let d = 1.1283791670955126 * expmx2_(x);
    if (a <= 0.9) { x = x - (erf_(x) - a) / d; }
    else { x = x + (erfcBig_(max(x, 1.0)) - q) / d; }
  }
  return select(x, -x, y < 0.0);
}`,
  },
  // the hyperbolic functions through expm1/log1p where exp/log would cancel
  sinh_: {
    deps: ['expm1_', 'exp_'],
    src: `fn sinh_(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a < 1.0) { let e = expm1_(a); r = 0.5 * (e + e / (e + 1.0)); }
  else if (a > 88.0) { r = exp_(a - 0.69314718055994531); }
  else { let e = exp_(a); r = 0.5 * (e - 1.0 / e); }
  return select(r, -r, x < 0.0);
}`,
  },
  cosh_: {
    deps: ['exp_'],
    src: `fn cosh_(x: f32) -> f32 {
  let a = abs(x);
  if (a > 88.0) { return exp_(a - 0.69314718055994531); }
  let e = exp_(a);
  return 0.5 * (e + 1.0 / e);
}`,
  },
  tanh_: {
    deps: ['expm1_', 'exp_'],
    src: `fn tanh_(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a > 9.1) { r = 1.0; }
  else if (a < 0.55) { let e = expm1_(2.0 * a); r = e / (e + 2.0); }
  else { r = 1.0 - 2.0 / (exp_(2.0 * a) + 1.0); }
  return select(r, -r, x < 0.0);
}`,
  },
  asinh_: {
    deps: ['log1p_', 'log_'],
    src: `fn asinh_(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a > 1e18) { r = log_(a) + 0.69314718055994531; }
  else { r = log1p_(a + a * a / (1.0 + sqrt(1.0 + a * a))); }
  return select(r, -r, x < 0.0);
}`,
  },
  acosh_: {
    deps: ['log1p_', 'log_', 'nan_'],
    src: `fn acosh_(x: f32) -> f32 {
  if (!(x >= 1.0)) { return nan_(); }
  if (x > 1e18) { return log_(x) + 0.69314718055994531; }
  let t = x - 1.0;
  return log1p_(t + sqrt(2.0 * t + t * t));
}`,
  },
  atanh_: {
    deps: ['log1p_', 'nan_', 'inf_'],
    src: `fn atanh_(x: f32) -> f32 {
  let a = abs(x);
  if (!(a <= 1.0)) { return nan_(); }
  var r: f32;
  if (a == 1.0) { r = inf_(); } else { r = 0.5 * log1p_(2.0 * a / (1.0 - a)); }
  return select(r, -r, x < 0.0);
}`,
  },
  asin_: {
    deps: ['nan_', 'atan_'],
    src: `fn asin_(x: f32) -> f32 {
  let a = abs(x);
  if (a > 1.0) { return nan_(); }
  if (a == 1.0) { return sign(x) * 1.5707963267948966; }
  return atan_(x / sqrt((1.0 - x) * (1.0 + x)));
}`,
  },
  acos_: {
    deps: ['nan_', 'atan_'],
    src: `fn acos_(x: f32) -> f32 {
  if (abs(x) > 1.0) { return nan_(); }
  if (x == -1.0) { return 3.1415926535897932; }
  return 2.0 * atan_(sqrt((1.0 - x) / (1.0 + x)));
}`,
  },
  fmax_: { deps: ['isnan_'], src: 'fn fmax_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return select(b, a, a > b); }' },
  fmin_: { deps: ['isnan_'], src: 'fn fmin_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return select(b, a, a < b); }' },
  logaddexp_: {
    deps: ['isnan_', 'isinf_', 'nan_', 'log1p_', 'exp_'],
    src: `fn logaddexp_(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  if (a == b && isinf_(a)) { return a; }
  let m = max(a, b);
  return m + log1p_(exp_(-abs(a - b)));
}`,
  },
  ifloordiv_: {
    src: `fn ifloordiv_(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0)));
}`,
  },
  irem_: {
    src: `fn irem_(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  return select(r, r + b, r != 0 && ((r < 0) != (b < 0)));
}`,
  },
  ipow_: {
    src: `fn ipow_(a: i32, e0: i32) -> i32 {
  if (e0 < 0) { return 0; }
  var r = 1;
  var b = a;
  var e = e0;
  while (e > 0) { if ((e & 1) == 1) { r = r * b; } b = b * b; e = e >> 1u; }
  return r;
}`,
  },
  upow_: {
    src: `fn upow_(a: u32, e0: u32) -> u32 {
  var r = 1u;
  var b = a;
  var e = e0;
  while (e > 0u) { if ((e & 1u) == 1u) { r = r * b; } b = b * b; e = e >> 1u; }
  return r;
}`,
  },
};

/** The helper functions that `code` calls, dependencies first. */
export function helpersFor(code: string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const d of HELPERS[name]!.deps ?? []) visit(d);
    out.push(HELPERS[name]!.src);
  };
  for (const name of Object.keys(HELPERS)) if (code.includes(`${name}(`)) visit(name);
  // helpers calling helpers not mentioned in `code` were visited through deps
  return out.join('\n');
}

/** A float literal WGSL accepts for any JS number (no exponent overflow, NaN/inf by bits). */
export function f32Lit(x: number): string {
  if (Number.isNaN(x)) return 'nan_()';
  if (x === Infinity) return 'inf_()';
  if (x === -Infinity) return '(-inf_())';
  const b = new Uint32Array(new Float32Array([x]).buffer)[0]!;
  return `bitcast<f32>(0x${b.toString(16)}u)`;
}

// ---- int64/uint64 as vec2u (lo, hi), complex64 as vec2f (re, im) ----
// Integer arithmetic wraps modulo 2^64 as the reference's BigInt64Array stores; complex
// arithmetic follows the reference's C99 Annex G special cases.
Object.assign(HELPERS, {
  add64_: { src: 'fn add64_(a: vec2u, b: vec2u) -> vec2u { let lo = a.x + b.x; return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x)); }' },
  sub64_: { src: 'fn sub64_(a: vec2u, b: vec2u) -> vec2u { return vec2u(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x)); }' },
  neg64_: { deps: ['sub64_'], src: 'fn neg64_(a: vec2u) -> vec2u { return sub64_(vec2u(0u, 0u), a); }' },
  // the full 64-bit product of two words, by 16-bit halves
  mulw_: {
    src: `fn mulw_(a: u32, b: u32) -> vec2u {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2u((p00 & 0xffffu) | (mid << 16u), a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}`,
  },
  mul64_: { deps: ['mulw_'], src: 'fn mul64_(a: vec2u, b: vec2u) -> vec2u { let p = mulw_(a.x, b.x); return vec2u(p.x, p.y + a.x * b.y + a.y * b.x); }' },
  ult64_: { src: 'fn ult64_(a: vec2u, b: vec2u) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }' },
  slt64_: { src: 'fn slt64_(a: vec2u, b: vec2u) -> bool { let sa = bitcast<i32>(a.y); let sb = bitcast<i32>(b.y); return sa < sb || (sa == sb && a.x < b.x); }' },
  eq64_: { src: 'fn eq64_(a: vec2u, b: vec2u) -> bool { return a.x == b.x && a.y == b.y; }' },
  neg64b_: { src: 'fn neg64b_(a: vec2u) -> bool { return (a.y & 0x80000000u) != 0u; }' },
  shl64_: {
    src: `fn shl64_(a: vec2u, n0: u32) -> vec2u {
  let n = n0 & 63u;
  if (n == 0u) { return a; }
  if (n >= 32u) { return vec2u(0u, a.x << (n - 32u)); }
  return vec2u(a.x << n, (a.y << n) | (a.x >> (32u - n)));
}`,
  },
  shru64_: {
    src: `fn shru64_(a: vec2u, n0: u32) -> vec2u {
  let n = n0 & 63u;
  if (n == 0u) { return a; }
  if (n >= 32u) { return vec2u(a.y >> (n - 32u), 0u); }
  return vec2u((a.x >> n) | (a.y << (32u - n)), a.y >> n);
}`,
  },
  shrs64_: {
    src: `fn shrs64_(a: vec2u, n0: u32) -> vec2u {
  let n = n0 & 63u;
  let s = bitcast<i32>(a.y);
  if (n == 0u) { return a; }
  if (n >= 32u) { return vec2u(bitcast<u32>(s >> (n - 32u)), bitcast<u32>(s >> 31u)); }
  return vec2u((a.x >> n) | (a.y << (32u - n)), bitcast<u32>(s >> n));
}`,
  },
  // unsigned quotient and remainder (q.x, q.y, r.x, r.y) by shift-and-subtract; 0 for b = 0
  udm64_: {
    deps: ['shl64_', 'ult64_', 'sub64_'],
    src: `fn udm64_(a: vec2u, b: vec2u) -> vec4u {
  if (b.x == 0u && b.y == 0u) { return vec4u(0u); }
  var q = vec2u(0u, 0u);
  var r = vec2u(0u, 0u);
  for (var i = 63i; i >= 0; i--) {
    let top = r.y >> 31u;
    r = shl64_(r, 1u);
    r.x |= select(a.x >> u32(i), a.y >> u32(i - 32), i >= 32) & 1u;
    // a remainder past 2^64 (top bit shifted out) is >= b
    if (top == 1u || !ult64_(r, b)) {
      r = sub64_(r, b);
      if (i >= 32) { q.y |= 1u << u32(i - 32); } else { q.x |= 1u << u32(i); }
    }
  }
  return vec4u(q, r);
}`,
  },
  // floor division and remainder with the divisor's sign (MLX's), 0 for division by 0
  sfloordiv64_: {
    deps: ['udm64_', 'neg64_', 'neg64b_', 'sub64_'],
    src: `fn sfloordiv64_(a: vec2u, b: vec2u) -> vec2u {
  let na = neg64b_(a);
  let nb = neg64b_(b);
  let qr = udm64_(select(a, neg64_(a), na), select(b, neg64_(b), nb));
  var q = select(qr.xy, neg64_(qr.xy), na != nb);
  if (na != nb && (qr.z | qr.w) != 0u) { q = sub64_(q, vec2u(1u, 0u)); }
  return q;
}`,
  },
  srem64_: {
    deps: ['udm64_', 'neg64_', 'neg64b_', 'add64_'],
    src: `fn srem64_(a: vec2u, b: vec2u) -> vec2u {
  let na = neg64b_(a);
  let nb = neg64b_(b);
  let qr = udm64_(select(a, neg64_(a), na), select(b, neg64_(b), nb));
  var r = select(qr.zw, neg64_(qr.zw), na);
  if ((r.x | r.y) != 0u && na != nb) { r = add64_(r, b); }
  return r;
}`,
  },
  // base^e wrapping; negative exponents give 0 (the reference's integer power)
  pow64_: {
    deps: ['mul64_', 'shru64_'],
    src: `fn pow64_(a: vec2u, e0: vec2u, signed: bool) -> vec2u {
  if (signed && (e0.y & 0x80000000u) != 0u) { return vec2u(0u, 0u); }
  var r = vec2u(1u, 0u);
  var b = a;
  var e = e0;
  while ((e.x | e.y) != 0u) {
    if ((e.x & 1u) == 1u) { r = mul64_(r, b); }
    b = mul64_(b, b);
    e = shru64_(e, 1u);
  }
  return r;
}`,
  },
  // float -> int64/uint64 bits: truncate, wrap modulo 2^64; NaN and infinities give 0
  f2l_: {
    deps: ['shl64_', 'neg64_'],
    src: `fn f2l_(x: f32) -> vec2u {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu);
  if (e == 255 || e < 127) { return vec2u(0u, 0u); }
  let m = (b & 0x7fffffu) | 0x800000u;
  let s = e - 150;
  var r = vec2u(0u, 0u);
  if (s >= 64) { r = vec2u(0u, 0u); } else if (s >= 0) { r = shl64_(vec2u(m, 0u), u32(s)); } else { r = vec2u(m >> u32(-s), 0u); }
  return select(r, neg64_(r), (b & 0x80000000u) != 0u);
}`,
  },
  // a >> s rounded to nearest even (1 <= s <= 63)
  rne64_: {
    deps: ['shru64_', 'shl64_', 'sub64_', 'ult64_', 'eq64_', 'add64_'],
    src: `fn rne64_(a: vec2u, s: u32) -> vec2u {
  let q = shru64_(a, s);
  let rem = sub64_(a, shl64_(q, s));
  let half = shl64_(vec2u(1u, 0u), s - 1u);
  if (ult64_(half, rem) || (eq64_(rem, half) && (q.x & 1u) == 1u)) { return add64_(q, vec2u(1u, 0u)); }
  return q;
}`,
  },
  top64_: { src: 'fn top64_(a: vec2u) -> i32 { return select(31 - i32(countLeadingZeros(a.x)), 63 - i32(countLeadingZeros(a.y)), a.y != 0u); }' },
  // uint64 -> float as the reference: to the nearest double (53 bits), then to \`bits\`
  // significant bits (24 for float32, 11 float16, 8 bfloat16), each to nearest even
  ul2f_: {
    deps: ['rne64_', 'top64_'],
    src: `fn ul2f_(a: vec2u, bits: u32) -> f32 {
  if ((a.x | a.y) == 0u) { return 0.0; }
  var m = a;
  var e = 0i;
  let p = top64_(m);
  if (p > 52) { m = rne64_(m, u32(p - 52)); e = p - 52; }
  let p2 = top64_(m);
  if (p2 > i32(bits) - 1) { m = rne64_(m, u32(p2 - i32(bits) + 1)); e += p2 - i32(bits) + 1; }
  return ldexp(f32(m.x), e);
}`,
  },
  sl2f_: {
    deps: ['ul2f_', 'neg64_'],
    src: `fn sl2f_(a: vec2u, bits: u32) -> f32 {
  if ((a.y & 0x80000000u) != 0u) { return -ul2f_(neg64_(a), bits); }
  return ul2f_(a, bits);
}`,
  },
  // ---- complex64 ----
  isfin_: { src: 'fn isfin_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }' },
  // the reference's copysign: a NaN sign counts as negative (x86's default NaN)
  csgn_: {
    deps: ['isnan_'],
    src: 'fn csgn_(m: f32, s: f32) -> f32 { return select(abs(m), -abs(m), (bitcast<u32>(s) & 0x80000000u) != 0u || isnan_(s)); }',
  },
  // the exact error a*b - fl(a*b) by Dekker's split (WGSL's fma is not fused on every driver:
  // lavapipe lowers it to a multiply and an add). Lavapipe also reassociates, so every
  // intermediate is multiplied by ONEC_, a 1.0 the kernel reads from its meta buffer at run time.
  perr_: {
    src: `var<private> ONEC_: f32;
fn perr_(a: f32, b: f32) -> f32 {
  let p = (a * b) * ONEC_;
  let c = (4097.0 * a) * ONEC_;
  let ah = (c - ((c - a) * ONEC_)) * ONEC_;
  let al = (a - ah) * ONEC_;
  let d = (4097.0 * b) * ONEC_;
  let bh = (d - ((d - b) * ONEC_)) * ONEC_;
  let bl = (b - bh) * ONEC_;
  return ((((((ah * bh) * ONEC_ - p) * ONEC_ + (ah * bl) * ONEC_) * ONEC_ + (al * bh) * ONEC_) * ONEC_) + (al * bl) * ONEC_) * ONEC_;
}`,
  },
  // ab + cd with the products' errors added back (unless zero, which keeps the sign of a zero
  // sum), so cancellation keeps its digits
  dot2_: {
    deps: ['isfin_', 'perr_'],
    src: `fn dot2_(a: f32, b: f32, c: f32, d: f32) -> f32 {
  let p = a * b;
  let q = c * d;
  let s = p + q;
  if (!isfin_(s) || max(max(abs(a), abs(b)), max(abs(c), abs(d))) > 1e30 || p == 0.0 || q == 0.0) { return s; }
  let e = (perr_(a, b) + perr_(c, d)) * ONEC_;
  return select(s + e, s, e == 0.0);
}`,
  },
  cmul_: {
    deps: ['dot2_', 'isnan_', 'isinf_', 'csgn_', 'inf_'],
    src: `fn cmul_(x: vec2f, y: vec2f) -> vec2f {
  var a = x.x; var b = x.y; var c = y.x; var d = y.y;
  var re = dot2_(a, c, -b, d);
  var im = dot2_(a, d, b, c);
  if (isnan_(re) && isnan_(im)) {
    var recalc = false;
    if (isinf_(a) || isinf_(b)) {
      a = csgn_(select(0.0, 1.0, isinf_(a)), a); b = csgn_(select(0.0, 1.0, isinf_(b)), b);
      if (isnan_(c)) { c = csgn_(0.0, c); }
      if (isnan_(d)) { d = csgn_(0.0, d); }
      recalc = true;
    }
    if (isinf_(c) || isinf_(d)) {
      c = csgn_(select(0.0, 1.0, isinf_(c)), c); d = csgn_(select(0.0, 1.0, isinf_(d)), d);
      if (isnan_(a)) { a = csgn_(0.0, a); }
      if (isnan_(b)) { b = csgn_(0.0, b); }
      recalc = true;
    }
    if (!recalc && (isinf_(x.x * y.x) || isinf_(x.y * y.y) || isinf_(x.x * y.y) || isinf_(x.y * y.x))) {
      if (isnan_(a)) { a = csgn_(0.0, a); }
      if (isnan_(b)) { b = csgn_(0.0, b); }
      if (isnan_(c)) { c = csgn_(0.0, c); }
      if (isnan_(d)) { d = csgn_(0.0, d); }
      recalc = true;
    }
    if (recalc) { re = inf_() * (a * c - b * d); im = inf_() * (a * d + b * c); }
  }
  return vec2f(re, im);
}`,
  },
  // finite operands: (a + bi)(c - di) / (c^2 + d^2) with the divisor scaled by a power of two
  // and each sum of products by dot2_ (a few roundings in all, where Smith's f32 steps would
  // cancel); otherwise Smith's division with Annex G's recovery of infinities and zeros (the
  // reference's cdiv)
  cdiv_: {
    deps: ['dot2_', 'isnan_', 'isinf_', 'isfin_', 'csgn_', 'inf_'],
    src: `fn cdiv_(x: vec2f, y: vec2f) -> vec2f {
  let a = x.x; let b = x.y; let c = y.x; let d = y.y;
  let m = max(abs(c), abs(d));
  if (isfin_(m) && m > 1e-30 && max(abs(a), abs(b)) < 1e30) {
    let k = i32((bitcast<u32>(m) >> 23u) & 0xffu) - 127;
    let cs = ldexp(c, -k); let ds = ldexp(d, -k);
    let den = dot2_(cs, cs, ds, ds);
    return vec2f(ldexp(dot2_(a, cs, b, ds) / den, -k), ldexp(dot2_(b, cs, -a, ds) / den, -k));
  }
  var re: f32; var im: f32;
  if (abs(c) < abs(d)) {
    let ratio = c / d;
    let den = fma(c, ratio, d);
    re = fma(a, ratio, b) / den;
    im = fma(b, ratio, -a) / den;
  } else {
    let ratio = d / c;
    let den = fma(d, ratio, c);
    re = fma(b, ratio, a) / den;
    im = fma(-a, ratio, b) / den;
  }
  if (isnan_(re) && isnan_(im)) {
    if (c == 0.0 && d == 0.0 && (!isnan_(a) || !isnan_(b))) {
      re = csgn_(inf_(), c) * a; im = csgn_(inf_(), c) * b;
    } else if ((isinf_(a) || isinf_(b)) && isfin_(c) && isfin_(d)) {
      let p = csgn_(select(0.0, 1.0, isinf_(a)), a); let q = csgn_(select(0.0, 1.0, isinf_(b)), b);
      re = inf_() * (p * c + q * d); im = inf_() * (q * c - p * d);
    } else if ((isinf_(c) || isinf_(d)) && isfin_(a) && isfin_(b)) {
      let p = csgn_(select(0.0, 1.0, isinf_(c)), c); let q = csgn_(select(0.0, 1.0, isinf_(d)), d);
      re = 0.0 * (a * p + b * q); im = 0.0 * (b * p - a * q);
    }
  }
  return vec2f(re, im);
}`,
  },
  // |z| scaled by a power of two (no overflow or underflow of the squares)
  cabs_: {
    deps: ['isinf_', 'isnan_', 'inf_', 'nan_'],
    src: `fn cabs_(z: vec2f) -> f32 {
  let x = abs(z.x); let y = abs(z.y);
  if (isinf_(x) || isinf_(y)) { return inf_(); }
  if (isnan_(x) || isnan_(y)) { return nan_(); }
  let m = max(x, y);
  if (m == 0.0) { return 0.0; }
  let e = i32((bitcast<u32>(m) >> 23u) & 0xffu) - 127;
  let a = ldexp(x, -e); let b = ldexp(y, -e);
  return ldexp(sqrt(fma(a, a, b * b)), e);
}`,
  },
  cexp_: {
    deps: ['exp_', 'isfin_', 'isnan_', 'nan_', 'inf_', 'csgn_'],
    src: `fn cexp_(z: vec2f) -> vec2f {
  let re = z.x; let im = z.y;
  if (isfin_(re)) {
    if (!isfin_(im)) { return vec2f(nan_(), nan_()); }
    let e = exp_(re);
    if (im == 0.0) { return vec2f(e, im); }
    return vec2f(e * cos(im), e * sin(im));
  }
  if (isnan_(re)) { return select(vec2f(nan_(), nan_()), vec2f(nan_(), im), im == 0.0); }
  if (re > 0.0) {
    if (!isfin_(im)) { return vec2f(inf_(), nan_()); }
    if (im == 0.0) { return vec2f(inf_(), im); }
    return vec2f(inf_() * cos(im), inf_() * sin(im));
  }
  if (!isfin_(im)) { return vec2f(0.0, csgn_(0.0, im)); }
  return vec2f(csgn_(0.0, cos(im)), csgn_(0.0, sin(im)));
}`,
  },
  // log|z| through log1p near the unit circle, where log(|z|) would cancel
  clog_: {
    deps: ['cabs_', 'log_', 'log1p_', 'atan2_'],
    src: `fn clog_(z: vec2f) -> vec2f {
  let x = abs(z.x); let y = abs(z.y);
  let m = max(x, y); let s = min(x, y);
  var r: f32;
  if (m >= 0.5 && m <= 2.0 && s < 1.0) { r = 0.5 * log1p_(fma(m - 1.0, m + 1.0, s * s)); }
  else { r = log_(cabs_(z)); }
  return vec2f(r, atan2_(z.y, z.x));
}`,
  },
  csqrt_: {
    deps: ['cabs_', 'isfin_', 'isinf_', 'isnan_', 'inf_', 'nan_', 'csgn_'],
    src: `fn csqrt_(z: vec2f) -> vec2f {
  let re = z.x; let im = z.y;
  if (!isfin_(re) || !isfin_(im)) {
    if (isinf_(im)) { return vec2f(inf_(), im); }
    if (isinf_(re) && re < 0.0) { return vec2f(select(0.0, nan_(), isnan_(im)), csgn_(inf_(), im)); }
    if (isinf_(re)) { return vec2f(inf_(), select(csgn_(0.0, im), nan_(), isnan_(im))); }
    return vec2f(nan_(), nan_());
  }
  if (im == 0.0) {
    if (re < 0.0) { return vec2f(0.0, csgn_(sqrt(-re), im)); }
    return vec2f(sqrt(re), im);
  }
  if (re == 0.0) { let r = sqrt(0.5 * abs(im)); return vec2f(r, csgn_(r, im)); }
  let d = cabs_(z);
  if (re > 0.0) { let r = sqrt(0.5 * (d + re)); return vec2f(r, 0.5 * (im / r)); }
  let s = sqrt(0.5 * (d - re));
  return vec2f(abs(0.5 * (im / s)), csgn_(s, im));
}`,
  },
  csin_: { deps: ['cosh_', 'sinh_'], src: 'fn csin_(z: vec2f) -> vec2f { return vec2f(sin(z.x) * cosh_(z.y), cos(z.x) * sinh_(z.y)); }' },
  ccos_: { deps: ['cosh_', 'sinh_'], src: 'fn ccos_(z: vec2f) -> vec2f { return vec2f(cos(z.x) * cosh_(z.y), -sin(z.x) * sinh_(z.y)); }' },
  csinh_: { deps: ['cosh_', 'sinh_'], src: 'fn csinh_(z: vec2f) -> vec2f { return vec2f(sinh_(z.x) * cos(z.y), cosh_(z.x) * sin(z.y)); }' },
  ccosh_: { deps: ['cosh_', 'sinh_'], src: 'fn ccosh_(z: vec2f) -> vec2f { return vec2f(cosh_(z.x) * cos(z.y), sinh_(z.x) * sin(z.y)); }' },
  // z / |z| as a complex division (inf parts give nan), zero kept as it is
  csign_: {
    deps: ['cdiv_', 'cabs_'],
    src: 'fn csign_(z: vec2f) -> vec2f { if (z.x == 0.0 && z.y == 0.0) { return z; } return cdiv_(z, vec2f(cabs_(z), 0.0)); }',
  },
  // MLX's lexicographic order (real part, then imaginary), C's NaN comparisons
  cgt_: { src: 'fn cgt_(a: vec2f, b: vec2f) -> bool { return a.x > b.x || (a.x == b.x && a.y > b.y); }' },
  cge_: { src: 'fn cge_(a: vec2f, b: vec2f) -> bool { return a.x > b.x || (a.x == b.x && a.y >= b.y); }' },
  cnan_: { deps: ['isnan_'], src: 'fn cnan_(a: vec2f) -> bool { return isnan_(a.x) || isnan_(a.y); }' },
} satisfies Record<string, { deps?: string[]; src: string }>);

// a stand-in dtype for raw 32-bit words (the loaders read only name, size and kind)
const WORD = { name: 'uint32', size: 4, kind: 'u' } as unknown as Dtype;

/**
 * An 8-byte array (int64, uint64, complex64) seen as its 32-bit words: a trailing axis of 2, so
 * the kernels that only move bits (gather, concatenate, masked scatter) run unchanged.
 */
export function wordsView(x: ArrayData): ArrayData {
  return { storage: x.storage, dtype: WORD, shape: [...x.shape, 2], strides: [...x.strides.map((s) => 2 * s), 1], offset: 2 * x.offset };
}

/** An array broadcast along a new trailing axis of 2 (indices that go with a wordsView). */
export function pairBroadcast(x: ArrayData): ArrayData {
  return { ...x, shape: [...x.shape, 2], strides: [...x.strides, 0] };
}

/**
 * An index element as [i32 or u32 expression, 'I' | 'U'] for the bounds checks; a 64-bit index
 * outside 32 bits saturates (it is out of range anyway, and reported as the saturated value).
 */
export function indexValue(d: Dtype, raw: string): [string, 'I' | 'U'] {
  if (d.size !== 8) return [fromRaw(d, raw), ctypeOf(d) === 'u32' ? 'U' : 'I'];
  if (d.kind === 'u') return [`select(0xffffffffu, ${raw}.x, ${raw}.y == 0u)`, 'U'];
  return [`sidx64_(${raw})`, 'I'];
}
Object.assign(HELPERS, {
  sidx64_: {
    src: `fn sidx64_(v: vec2u) -> i32 {
  let lo = bitcast<i32>(v.x);
  if ((v.y == 0u && lo >= 0) || (v.y == 0xffffffffu && lo < 0)) { return lo; }
  return select(2147483647i, i32(-2147483648), (v.y & 0x80000000u) != 0u);
}`,
  },
});

// the remaining complex functions, by the reference's formulas (MLX's), in f32
Object.assign(HELPERS, {
  // log(1 + z), accurate near 0
  clog1p_: {
    deps: ['cabs_', 'log_', 'log1p_', 'atan2_', 'sq1p_'],
    src: `fn clog1p_(z: vec2f) -> vec2f {
  let x = z.x; let y = z.y;
  let theta = atan2_(y, x + 1.0);
  // |1 + z|^2 - 1 = x (2 + x) + y^2 = 2x + (x^2 + y^2), the squares' errors kept where 2x
  // cancels them (also beyond |z| < 0.5, where the reference's log|1 + z| is near 0)
  let r = sq1p_(x, y);
  if (cabs_(z) < 0.5 && r == 0.0) { return vec2f(x, theta); }
  if (abs(x) < 1e18 && abs(y) < 1e18 && r > -0.75 && r < 3.0) { return vec2f(0.5 * log1p_(r), theta); }
  return vec2f(log_(cabs_(vec2f(x + 1.0, y))), theta);
}`,
  },
  // 2x + x^2 + y^2 with the squares exact (Dekker) and the sums compensated (Knuth's two-sum,
  // guarded by ONEC_ against reassociation): accurate however much 2x cancels
  sq1p_: {
    deps: ['perr_', 'isfin_'],
    src: `fn twos_(a: f32, b: f32) -> vec2f {
  let s = (a + b) * ONEC_;
  let bb = (s - a) * ONEC_;
  return vec2f(s, ((a - (s - bb) * ONEC_) * ONEC_) + ((b - bb) * ONEC_));
}
fn sq1p_(x: f32, y: f32) -> f32 {
  let p = x * x;
  let q = y * y;
  if (!isfin_(p + q) || max(abs(x), abs(y)) > 1e18) { return 2.0 * x + (p + q); }
  let t1 = twos_(2.0 * x, p);
  let t2 = twos_(t1.x, q);
  return t2.x + ((t1.y + t2.y) * ONEC_ + (perr_(x, x) + perr_(y, y)) * ONEC_) * ONEC_;
}`,
  },
  casinh_: {
    deps: ['csqrt_', 'cmul_', 'clog_'],
    src: `fn casinh_(z: vec2f) -> vec2f {
  let r = csqrt_(cmul_(z, z) + vec2f(1.0, 0.0));
  return clog_(z + r);
}`,
  },
  // asin(z) = -i asinh(i z)
  casin_: { deps: ['casinh_'], src: 'fn casin_(z: vec2f) -> vec2f { let r = casinh_(vec2f(-z.y, z.x)); return vec2f(r.y, -r.x); }' },
  // the reference's pi/2 - asin(z), except the real part by Kahan's 2 atan2(Re sqrt(1 - z),
  // Re sqrt(1 + z)): the same value (off the cuts too), without the cancellation near 0
  cacos_: {
    deps: ['casin_', 'csqrt_', 'atan2_'],
    src: `fn cacos_(z: vec2f) -> vec2f {
  let r = casin_(z);
  let re = 2.0 * atan2_(csqrt_(vec2f(1.0 - z.x, -z.y)).x, csqrt_(vec2f(1.0 + z.x, z.y)).x);
  return vec2f(select(1.5707963267948966 - r.x, re, isfin_(re) && isfin_(r.x)), -r.y);
}`,
  },
  cacosh_: {
    deps: ['csqrt_', 'cmul_', 'clog_'],
    src: 'fn cacosh_(z: vec2f) -> vec2f { return clog_(z + cmul_(csqrt_(z + vec2f(1.0, 0.0)), csqrt_(z - vec2f(1.0, 0.0)))); }',
  },
  // the reference's log((1 + z) / (1 - z)) / 2, except the real part as log1p(4a / |1 - z|^2) / 4
  // (|1 + z|^2 = |1 - z|^2 + 4a): no cancellation near 0, and continuous across the cuts as it is
  catanh_: {
    deps: ['cdiv_', 'clog_', 'log1p_', 'isfin_'],
    src: `fn catanh_(z: vec2f) -> vec2f {
  let r = 0.5 * clog_(cdiv_(vec2f(1.0 + z.x, z.y), vec2f(1.0 - z.x, -z.y)));
  let u = 1.0 - z.x;
  let re = 0.25 * log1p_(4.0 * z.x / (u * u + z.y * z.y));
  return vec2f(select(r.x, re, isfin_(re) && isfin_(r.x)), r.y);
}`,
  },
  // the real/imaginary closed form, whose branch cuts are C's catan's
  catan_: {
    deps: ['atan2_', 'log1p_'],
    src: `fn catan_(z: vec2f) -> vec2f {
  let a = z.x; let b = z.y;
  let re = 0.5 * atan2_(2.0 * a, (1.0 - a * a) - b * b);
  // log(A / B) with A - B = 4b: through log1p, without the cancellation of A / B near 1
  let im = 0.25 * log1p_(4.0 * b / (a * a + (b - 1.0) * (b - 1.0)));
  return vec2f(re, im);
}`,
  },
  // MLX's formula: max + log1p(exp(min - max)), max/min in its lexicographic order
  clogaddexp_: {
    deps: ['cnan_', 'cgt_', 'clog1p_', 'cexp_', 'inf_'],
    src: `fn clogaddexp_(a: vec2f, b: vec2f) -> vec2f {
  let mx = select(select(b, a, cgt_(a, b)), a, cnan_(a));
  let mn = select(select(b, a, cgt_(b, a)), a, cnan_(a));
  if ((mn.x == -inf_() && mn.y == 0.0) || (mx.x == inf_() && mx.y == 0.0)) { return mx; }
  return mx + clog1p_(cexp_(mn - mx));
}`,
  },
});

Object.assign(HELPERS, {
  clt_: { src: 'fn clt_(a: vec2f, b: vec2f) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }' },
  // the reference's complex logcumsumexp step: log(e^a + e^b) = a + log(1 + e^(b - a)), a the
  // operand with the larger real part
  clcse_: {
    deps: ['exp_', 'log1p_', 'atan2_', 'inf_'],
    src: `fn clcse_(a0: vec2f, b0: vec2f) -> vec2f {
  if (a0.x == -inf_()) { return b0; }
  if (b0.x == -inf_()) { return a0; }
  var a = a0; var b = b0;
  if (b.x > a.x) { a = b0; b = a0; }
  let e = exp_(b.x - a.x);
  let c = cos(b.y - a.y);
  let zr = 1.0 + e * c;
  let zi = e * sin(b.y - a.y);
  // log|z| = log1p(|z|^2 - 1) / 2 with |z|^2 - 1 = e (2 cos + e): no cancellation near |z| = 1
  return vec2f(a.x + 0.5 * log1p_(e * (2.0 * c + e)), a.y + atan2_(zi, zr));
}`,
  },
});

// ---- float16 through WGSL's f16 (adapters with shader-f16) ----
// The same h2f_/f2h_ signatures over the same u32 words, so every kernel takes this path with no
// change of its own. The hardware conversion does the rounding of normal values; WGSL leaves
// out-of-range conversions indeterminate and drivers may flush f16 subnormals, so NaN, overflow,
// the top of the range and subnormals keep their integer code (the same bits as the emulation).
const NATIVE_H2F = `fn h2f_(h: u32) -> f32 {
  let e = h & 0x7c00u;
  if (e == 0u || e == 0x7c00u) { return h2fe_(h); }
  return f32(bitcast<vec2<f16>>(h & 0xffffu).x);
}`;
const NATIVE_F2H = `fn f2h_(x: f32) -> u32 {
  let a = bitcast<u32>(x) & 0x7fffffffu;
  if (a < 0x38800000u || a >= 0x477fe000u) { return f2he_(x); }
  return bitcast<u32>(vec2<f16>(f16(x), 0.0h)) & 0xffffu;
}`;

/** The emulated h2f_/f2h_ sources renamed h2fe_/f2he_ (the native ones call them at the edges). */
export function emulatedHalves(): string {
  return `${HELPERS.h2f_!.src.replace('fn h2f_(', 'fn h2fe_(')}\n${HELPERS.f2h_!.src.replace('fn f2h_(', 'fn f2he_(')}`;
}

/** Whether a shader module converts float16 (includes h2f_ or f2h_). */
export function usesHalves(module: string): boolean {
  return module.includes(HELPERS.h2f_!.src) || module.includes(HELPERS.f2h_!.src);
}

/**
 * A whole shader module (bindings included) with its float16 conversions on WGSL's f16:
 * `enable f16;` first, the emulated h2f_/f2h_ replaced by the native ones.
 */
export function nativeHalves(module: string): string {
  if (!usesHalves(module)) return module;
  const body = module.replace(HELPERS.h2f_!.src, NATIVE_H2F).replace(HELPERS.f2h_!.src, NATIVE_F2H);
  return `enable f16;\n${body}\n${emulatedHalves()}`;
}

/** The native h2f_/f2h_ (for the start-up probe that compares them with the emulated ones). */
export const NATIVE_HALVES = `${NATIVE_H2F}\n${NATIVE_F2H}`;
