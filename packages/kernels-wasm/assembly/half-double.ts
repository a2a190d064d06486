// float16 / bfloat16 <-> double exactly as packages/core/src/half.ts (the reference's encode16 /
// decode16): decoding is exact and turns every NaN into JS's canonical NaN (positive, quiet);
// encoding rounds the double once to nearest even (overflow to infinity) and a NaN keeps the
// double's sign. Kernels that compute "in double, rounded to the 16-bit type" as the reference
// does (Arange, Scan, Scatter sum/prod) use these, so there is no double rounding through f32.
// Not re-exported from index.ts: the helpers are inlined into the kernels that import them.

/** The NaN JS's `NaN` is (what decode16 returns for every NaN pattern). */
const CANONICAL_NAN: u64 = 0x7ff8000000000000;

@inline function decode16(h: u32, manBits: i32, bias: i32): f64 {
  const expMax: u32 = (1 << (15 - manBits)) - 1;
  const sign = <u64>(h & 0x8000) << 48;
  const e = (h >> manBits) & expMax;
  const m = <u64>(h & ((1 << manBits) - 1));
  if (e == expMax) return m == 0 ? reinterpret<f64>(sign | 0x7ff0000000000000) : reinterpret<f64>(CANONICAL_NAN);
  if (e == 0) {
    // subnormal or zero: m * 2^(1 - bias - manBits), exact; -0 keeps its sign
    const v = <f64>m * reinterpret<f64>(<u64>(1023 + 1 - bias - manBits) << 52);
    return sign != 0 ? -v : v;
  }
  return reinterpret<f64>(sign | (<u64>(<i32>e - bias + 1023) << 52) | (m << (52 - manBits)));
}

@inline function encode16(x: f64, manBits: i32, bias: i32, nanBits: u32): u32 {
  const b = reinterpret<u64>(x);
  const sign = <u32>(b >> 48) & 0x8000;
  const a = b & 0x7fffffffffffffff;
  const infBits: u32 = ((1 << (15 - manBits)) - 1) << manBits;
  if (a > 0x7ff0000000000000) return sign | nanBits;
  if (a == 0x7ff0000000000000) return sign | infBits;
  const e = <i32>(a >> 52) - 1023;
  if (e < 1 - bias) {
    // below the smallest normal: a multiple of 2^(1 - bias - manBits), scaled exactly and
    // rounded half-even (f64.nearest); m == 2^manBits is the smallest normal
    const scaled = reinterpret<f64>(a) * reinterpret<f64>(<u64>(1023 - (1 - bias - manBits)) << 52);
    return sign | <u32>nearest<f64>(scaled);
  }
  if (e + bias >= <i32>(infBits >> manBits)) return sign | infBits;
  const drop = 52 - manBits;
  const mant = a & 0xfffffffffffff;
  let h = (<u32>(e + bias) << manBits) | <u32>(mant >> drop);
  const rest = mant & ((<u64>1 << drop) - 1);
  const half = <u64>1 << (drop - 1);
  if (rest > half || (rest == half && (h & 1) != 0)) h += 1; // a carry moves into the exponent (up to inf)
  return sign | h;
}

/** float16 bits -> double (exact). */
@inline export function halfToF64(h: u32): f64 {
  return decode16(h, 10, 15);
}

/** bfloat16 bits -> double (exact). */
@inline export function bf16ToF64(h: u32): f64 {
  return decode16(h, 7, 127);
}

/** double -> float16 bits, round to nearest even; NaN -> 0x7e00 with the double's sign. */
@inline export function f64ToHalf(x: f64): u32 {
  return encode16(x, 10, 15, 0x7e00);
}

/** double -> bfloat16 bits, round to nearest even; NaN -> 0x7fc0 with the double's sign. */
@inline export function f64ToBf16(x: f64): u32 {
  return encode16(x, 7, 127, 0x7fc0);
}

/** Decodes the bits of a 16-bit float (`bf`: bfloat16, else float16). */
@inline export function decodeHalf(bf: bool, h: u32): f64 {
  return bf ? bf16ToF64(h) : halfToF64(h);
}

/** Encodes a double as a 16-bit float (`bf`: bfloat16, else float16). */
@inline export function encodeHalf(bf: bool, x: f64): u32 {
  return bf ? f64ToBf16(x) : f64ToHalf(x);
}

/** A double rounded to the 16-bit type and read back (the reference's store-and-read cast). */
@inline export function roundHalf(bf: bool, x: f64): f64 {
  return decodeHalf(bf, encodeHalf(bf, x));
}
