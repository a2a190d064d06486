// WGSL building blocks shared by the kernels: how each dtype sits in 32-bit words, the
// conversions between dtypes with the reference backend's rules (elements.ts: C casts, integer
// stores wrap, float -> int truncates then wraps, NaN/inf -> 0), and the float helpers that
// WGSL lacks or leaves loose (NaN tests by bits, fmod, pow, expm1, log1p).
import type { Dtype } from '@mlx-ts/core';

/** How values of a dtype are computed: floats in f32, signed ints and bool in i32, unsigned in u32. */
export type CType = 'f32' | 'i32' | 'u32';

const SUPPORTED = new Set(['bool', 'uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float32', 'float16', 'bfloat16']);

export function gpuDtype(d: Dtype): boolean {
  return SUPPORTED.has(d.name);
}

export function ctypeOf(d: Dtype): CType {
  if (d.kind === 'f' || d.kind === 'V') return 'f32';
  if (d.kind === 'u') return 'u32';
  return 'i32';
}

/** Elements of the dtype per 32-bit word (4 for 1-byte dtypes, 2 for 2-byte, 1 otherwise). */
export function perWord(d: Dtype): number {
  return 4 / d.size;
}

/**
 * A WGSL function `name(j: i32) -> u32` giving the raw bits of element j of binding `buf`
 * (zero-extended for 1- and 2-byte dtypes).
 */
export function rawLoader(name: string, buf: string, d: Dtype): string {
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
    default:
      return raw; // unsigned
  }
}

/** The raw bits (masked to the dtype's width) that store a compute value of type `ct` as `d`. */
export function toRaw(ct: CType | 'bool', d: Dtype, v: string): string {
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
