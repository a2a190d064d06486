// AsType kernels: raw copies of any element width (same representation: bit exact), the
// float16 / bfloat16 <-> float32 conversions with round-to-nearest-even as in
// packages/core/src/half.ts, and f32 <-> f64, i32 -> f32 / f64. Inputs contiguous or strided
// (descriptor [ndim, shape, strides]); outputs contiguous.
import { word, zeroCounters, counter, setCounter, at } from './layout';

export const CONVERT_f16_f32: i32 = 1;
export const CONVERT_bf16_f32: i32 = 2;
export const CONVERT_f32_f16: i32 = 3;
export const CONVERT_f32_bf16: i32 = 4;
export const CONVERT_f32_f64: i32 = 5;
export const CONVERT_f64_f32: i32 = 6;
export const CONVERT_i32_f32: i32 = 7;
export const CONVERT_i32_f64: i32 = 8;
/** Raw copies of 1, 2, 4 and 8-byte units. */
export const CONVERT_copy8: i32 = 10;
export const CONVERT_copy16: i32 = 11;
export const CONVERT_copy32: i32 = 12;
export const CONVERT_copy64: i32 = 13;

/** The NaN the reference stores when a decoded half NaN goes through a JS double. */

@inline function halfToF32(h: u32): u32 {
  const sign = (h & 0x8000) << 16;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  // NaNs keep sign and payload (quieted), as the reference, MLX and jax do
  if (e == 0x1f) return m == 0 ? sign | 0x7f800000 : sign | 0x7fc00000 | (m << 13);
  if (e == 0) {
    // subnormal or zero: m * 2^-24 is exact in f32
    return sign | reinterpret<u32>(<f32>m * 5.9604644775390625e-8);
  }
  return sign | ((e + 112) << 23) | (m << 13);
}

@inline function bf16ToF32(h: u32): u32 {
  return h << 16; // exact for every pattern, NaN payloads included
}

@inline function f32ToHalf(bits: u32): u16 {
  const sign = (bits >> 16) & 0x8000;
  const a = bits & 0x7fffffff;
  if (a > 0x7f800000) return <u16>(sign | 0x7e00); // NaN keeps its sign
  // 65520 = halfway between 65504 and 2^16 rounds to even, i.e. to infinity
  if (a >= 0x477ff000) return <u16>(sign | 0x7c00);
  if (a < 0x38800000) {
    // below the smallest normal (2^-14): a multiple of 2^-24, exact in double, rounded half-even
    const m = <u32>nearest<f64>(<f64>reinterpret<f32>(a) * 16777216.0);
    return <u16>(sign | m);
  }
  const e = (a >> 23) - 112;
  let h = (e << 10) | ((a >> 13) & 0x3ff);
  const rest = a & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) h += 1; // a carry moves into the exponent
  return <u16>(sign | h);
}

@inline function f32ToBf16(bits: u32): u16 {
  if ((bits & 0x7fffffff) > 0x7f800000) return <u16>(((bits >> 16) & 0x8000) | 0x7fc0);
  return <u16>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

@inline function convertOne<S, D>(op: i32, x: S): D {
  switch (op) {
    case CONVERT_f16_f32: return <D>halfToF32(<u32>x);
    case CONVERT_bf16_f32: return <D>bf16ToF32(<u32>x);
    case CONVERT_f32_f16: return <D>f32ToHalf(<u32>x);
    case CONVERT_f32_bf16: return <D>f32ToBf16(<u32>x);
    case CONVERT_f32_f64: return <D>reinterpret<u64>(<f64>reinterpret<f32>(<u32>x));
    case CONVERT_f64_f32: return <D>reinterpret<u32>(<f32>reinterpret<f64>(<u64>x));
    case CONVERT_i32_f32: return <D>reinterpret<u32>(<f32><i32>x);
    case CONVERT_i32_f64: return <D>reinterpret<u64>(<f64><i32>x);
  }
  return <D>x; // raw copies
}

/** S and D are the unsigned storage units of the source and destination. */
@inline function convertLoops<S, D>(op: i32, strided: bool, px: usize, po: usize, n: i32): void {
  if (!strided) {
    if (op >= CONVERT_copy8) {
      memory.copy(po, px, <usize>n << alignof<S>());
      return;
    }
    for (let i = 0; i < n; i++) store<D>(at<D>(po, i), convertOne<S, D>(op, load<S>(at<S>(px, i))));
    return;
  }
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  let outer = 1;
  for (let d = 0; d < last; d++) outer *= word(1 + d);
  zeroCounters(nd);
  let ox = 0;
  let o = po;
  for (let r = 0; r < outer; r++) {
    let ix = ox;
    for (let j = 0; j < n0; j++) {
      store<D>(o, convertOne<S, D>(op, load<S>(at<S>(px, ix))));
      o += sizeof<D>();
      ix += s0;
    }
    for (let d = last - 1; d >= 0; d--) {
      const size = word(1 + d);
      const c = counter(d) + 1;
      ox += word(1 + nd + d);
      if (c < size) {
        setCounter(d, c);
        break;
      }
      setCounter(d, 0);
      ox -= word(1 + nd + d) * size;
    }
  }
}

export function convert(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case CONVERT_f16_f32: convertLoops<u16, u32>(CONVERT_f16_f32, strided, px, po, n); return true;
    case CONVERT_bf16_f32: convertLoops<u16, u32>(CONVERT_bf16_f32, strided, px, po, n); return true;
    case CONVERT_f32_f16: convertLoops<u32, u16>(CONVERT_f32_f16, strided, px, po, n); return true;
    case CONVERT_f32_bf16: convertLoops<u32, u16>(CONVERT_f32_bf16, strided, px, po, n); return true;
    case CONVERT_f32_f64: convertLoops<u32, u64>(CONVERT_f32_f64, strided, px, po, n); return true;
    case CONVERT_f64_f32: convertLoops<u64, u32>(CONVERT_f64_f32, strided, px, po, n); return true;
    case CONVERT_i32_f32: convertLoops<u32, u32>(CONVERT_i32_f32, strided, px, po, n); return true;
    case CONVERT_i32_f64: convertLoops<u32, u64>(CONVERT_i32_f64, strided, px, po, n); return true;
    case CONVERT_copy8: convertLoops<u8, u8>(CONVERT_copy8, strided, px, po, n); return true;
    case CONVERT_copy16: convertLoops<u16, u16>(CONVERT_copy16, strided, px, po, n); return true;
    case CONVERT_copy32: convertLoops<u32, u32>(CONVERT_copy32, strided, px, po, n); return true;
    case CONVERT_copy64: convertLoops<u64, u64>(CONVERT_copy64, strided, px, po, n); return true;
  }
  return false;
}
