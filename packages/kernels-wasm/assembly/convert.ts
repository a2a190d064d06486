// AsType kernels, bit for bit the reference's casts (packages/core/src/backend/reference/copy.ts
// with the readers / writers of elements.ts): raw copies of any element width (same
// representation: every bit kept), and `cast` for every other pair of dtypes. A cast reads each
// element exactly (integers as i64, sign- or zero-extended; floats as f64; complex64 as its real
// part) and stores it with the destination's rule:
// - to bool: non-zero (NaN is true); from complex64, either part non-zero;
// - to an integer: truncation toward zero, then wrap modulo 2^bits (a TypedArray / BigInt64Array
//   store); NaN and infinities store 0;
// - to a float: integers go through the nearest double first (int64 beyond 2^53 rounds twice on
//   the way to float32 / 16-bit floats, as the reference does), doubles round once to nearest even;
// - to complex64: (x rounded to float32, 0);
// - float16 / bfloat16 -> float32 keeps NaN sign and payload, as the reference does.
// Inputs contiguous or strided (descriptor [ndim, shape, strides]); outputs contiguous. Small
// integers / f32 / f64 -> f32 / f64, f32 / f64 -> bool / integers, and float16 / bfloat16 <->
// float32 run in v128 lanes when contiguous.
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { halfToF64, bf16ToF64, f64ToHalf, f64ToBf16 } from './half-double';

/** Raw copies of 1, 2, 4 and 8-byte units. */
export const CONVERT_copy8: i32 = 10;
export const CONVERT_copy16: i32 = 11;
export const CONVERT_copy32: i32 = 12;
export const CONVERT_copy64: i32 = 13;

// dtype codes of `cast`: MLX's dtype order (Dtype.index in packages/core/src/dtype.ts)
const BOOL = 0;
const U8 = 1;
const U16 = 2;
const U32 = 3;
const U64 = 4;
const I8 = 5;
const I16 = 6;
const I32 = 7;
const I64 = 8;
const F16 = 9;
const F32 = 10;
const F64 = 11;
const BF16 = 12;
const C64 = 13;

@inline function byteSize(d: i32): usize {
  if (d == BOOL || d == U8 || d == I8) return 1;
  if (d == U16 || d == I16 || d == F16 || d == BF16) return 2;
  if (d == U32 || d == I32 || d == F32) return 4;
  return 8;
}

@inline function isFloatSource(d: i32): bool {
  return d == F16 || d == F32 || d == F64 || d == BF16 || d == C64;
}

@inline function readInt(d: i32, p: usize): i64 {
  switch (d) {
    case BOOL:
    case U8: return <i64>load<u8>(p);
    case U16: return <i64>load<u16>(p);
    case U32: return <i64>load<u32>(p);
    case I8: return <i64>load<i8>(p);
    case I16: return <i64>load<i16>(p);
    case I32: return <i64>load<i32>(p);
  }
  return load<i64>(p); // int64, uint64
}

@inline function readFloat(d: i32, p: usize): f64 {
  switch (d) {
    case F16: return halfToF64(load<u16>(p));
    case BF16: return bf16ToF64(load<u16>(p));
    case F32:
    case C64: return <f64>load<f32>(p);
  }
  return load<f64>(p);
}

/** A double truncated toward zero and wrapped modulo 2^64 (ToBigInt64 of BigInt(trunc(x))); NaN, inf: 0. */
@inline function wrapToI64(x: f64): i64 {
  if (abs<f64>(x) < 9.223372036854775808e18) return <i64>x; // NaN fails the test
  const bits = reinterpret<u64>(x);
  const e = <i32>((bits >> 52) & 0x7ff) - 1075;
  if (e == 0x7ff - 1075) return 0;
  // |x| >= 2^63: x = m * 2^e with e >= 11, an integer whose low 64 bits are m << e
  const m = (bits & 0xfffffffffffff) | 0x10000000000000;
  const low: i64 = e >= 64 ? 0 : <i64>(m << <u64>e);
  return <i64>(bits >> 63) != 0 ? -low : low;
}

@inline function storeInt(d: i32, p: usize, v: i64): void {
  const b = byteSize(d);
  if (b == 1) store<u8>(p, <u8>v);
  else if (b == 2) store<u16>(p, <u16>v);
  else if (b == 4) store<u32>(p, <u32>v);
  else store<i64>(p, v);
}

@inline function storeFloat(d: i32, p: usize, x: f64): void {
  switch (d) {
    case BOOL: store<u8>(p, x != 0 ? 1 : 0); return;
    case F16: store<u16>(p, <u16>f64ToHalf(x)); return;
    case BF16: store<u16>(p, <u16>f64ToBf16(x)); return;
    case F32: store<f32>(p, <f32>x); return;
    case F64: store<f64>(p, x); return;
    case C64:
      store<f32>(p, <f32>x);
      store<f32>(p, 0, 4);
      return;
  }
  storeInt(d, p, wrapToI64(x));
}

/** float16 bits -> float32 bits, NaN sign and payload kept (quieted). */
@inline function halfToF32Bits(h: u32): u32 {
  const sign = (h & 0x8000) << 16;
  if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0) return sign | 0x7fc00000 | ((h & 0x3ff) << 13);
  return reinterpret<u32>(<f32>halfToF64(h));
}

@inline function castOne(from: i32, to: i32, px: usize, po: usize): void {
  if (to == F32 && from == BF16) {
    store<u32>(po, <u32>load<u16>(px) << 16); // exact for every pattern, NaN payloads included
  } else if (to == F32 && from == F16) {
    store<u32>(po, halfToF32Bits(load<u16>(px)));
  } else if (from == C64 && to == BOOL) {
    store<u8>(po, load<f32>(px) != 0 || load<f32>(px, 4) != 0 ? 1 : 0);
  } else if (isFloatSource(from)) {
    storeFloat(to, po, readFloat(from, px));
  } else {
    const v = readInt(from, px);
    if (to == BOOL) store<u8>(po, v != 0 ? 1 : 0);
    else if (isFloatSource(to)) storeFloat(to, po, from == U64 ? <f64><u64>v : <f64>v);
    else storeInt(to, po, v);
  }
}

/**
 * Contiguous casts in v128 lanes where the lane instruction is the reference's rule exactly
 * (integers of at most 32 bits -> float32 round once, like through an exact double; f32 <-> f64).
 * Returns how many elements it did; the scalar loop does the rest.
 */
@inline function castVectors(from: i32, to: i32, px: usize, po: usize, n: i32): i32 {
  let i = 0;
  if (to == F32 && (from == BOOL || from == U8 || from == I8)) {
    for (; i + 8 <= n; i += 8) {
      const w = from == I8 ? v128.load8x8_s(px + <usize>i) : v128.load8x8_u(px + <usize>i);
      const lo = from == I8 ? i32x4.extend_low_i16x8_s(w) : i32x4.extend_low_i16x8_u(w);
      const hi = from == I8 ? i32x4.extend_high_i16x8_s(w) : i32x4.extend_high_i16x8_u(w);
      v128.store(po + (<usize>i << 2), f32x4.convert_i32x4_s(lo));
      v128.store(po + (<usize>i << 2), f32x4.convert_i32x4_s(hi), 16);
    }
  } else if (to == F32 && (from == U16 || from == I16)) {
    for (; i + 4 <= n; i += 4) {
      const w = from == I16 ? v128.load16x4_s(px + (<usize>i << 1)) : v128.load16x4_u(px + (<usize>i << 1));
      v128.store(po + (<usize>i << 2), f32x4.convert_i32x4_s(w));
    }
  } else if (to == F32 && (from == I32 || from == U32)) {
    for (; i + 4 <= n; i += 4) {
      const w = v128.load(px + (<usize>i << 2));
      v128.store(po + (<usize>i << 2), from == I32 ? f32x4.convert_i32x4_s(w) : f32x4.convert_i32x4_u(w));
    }
  } else if (from == F32 && to == F64) {
    for (; i + 2 <= n; i += 2) v128.store(po + (<usize>i << 3), f64x2.promote_low_f32x4(v128.load64_zero(px + (<usize>i << 2))));
  } else if (from == F64 && to == F32) {
    for (; i + 2 <= n; i += 2) v128.store_lane<i64>(po + (<usize>i << 2), f32x4.demote_f64x2_zero(v128.load(px + (<usize>i << 3))), 0);
  } else if ((from == F32 || from == F64) && (to == BOOL || isIntDest(to))) {
    i = floatToIntVectors(from, to, px, po, n);
  } else if (to == F32 && from == BF16) {
    for (; i + 4 <= n; i += 4) v128.store(po + (<usize>i << 2), i32x4.shl(v128.load16x4_u(px + (<usize>i << 1)), 16));
  } else if (to == F32 && from == F16) {
    i = halfToF32Vectors(px, po, n);
  } else if (from == F32 && (to == F16 || to == BF16)) {
    i = f32ToHalfVectors(to == BF16, px, po, n);
  }
  return i;
}

@inline function isIntDest(d: i32): bool {
  return d == U8 || d == U16 || d == U32 || d == U64 || d == I8 || d == I16 || d == I32 || d == I64;
}

/**
 * float32 / float64 -> bool or an integer, 4 (f32) or 2 (f64) lanes a step. Truncation
 * toward zero then wrap modulo 2^bits equals the saturating lane truncation followed by the
 * low bits of the i32 (sign-extended for 64-bit destinations) whenever every lane lies in
 * [-2^31, 2^31); a vector with a lane outside (or NaN, or an infinity) takes castOne per
 * element. To bool: x != 0 lane by lane (NaN is true), no range needed.
 */
@inline function floatToIntVectors(from: i32, to: i32, px: usize, po: usize, n: i32): i32 {
  const wide = from == F64;
  const L = wide ? 2 : 4;
  const so = <usize>byteSize(to);
  let i = 0;
  for (; i + L <= n; i += L) {
    const v = v128.load(px + (<usize>i << (wide ? 3 : 2)));
    const o = po + <usize>i * so;
    if (to == BOOL) {
      // each lane's mask & 1, its first byte gathered
      const m = v128.and(wide ? f64x2.ne(v, f64x2.splat(0)) : f32x4.ne(v, f32x4.splat(0)), i32x4.splat(1));
      if (wide) v128.store_lane<u16>(o, v128.shuffle<u8>(m, m, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
      else v128.store_lane<u32>(o, v128.shuffle<u8>(m, m, 0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
      continue;
    }
    const fits = wide
      ? v128.and(f64x2.ge(v, f64x2.splat(-2147483648.0)), f64x2.lt(v, f64x2.splat(2147483648.0)))
      : v128.and(f32x4.ge(v, f32x4.splat(-2147483648.0)), f32x4.lt(v, f32x4.splat(2147483648.0)));
    if (!(wide ? i64x2.all_true(fits) : i32x4.all_true(fits))) {
      for (let j = 0; j < L; j++) castOne(from, to, px + (<usize>(i + j) << (wide ? 3 : 2)), o + <usize>j * so);
      continue;
    }
    // the truncated lanes as i32: all four (f32), or the first two (f64, the rest 0)
    const t = wide ? i32x4.trunc_sat_f64x2_s_zero(v) : i32x4.trunc_sat_f32x4_s(v);
    if (so == 8) {
      v128.store(o, i64x2.extend_low_i32x4_s(t));
      if (!wide) v128.store(o, i64x2.extend_high_i32x4_s(t), 16);
    } else if (so == 4) {
      if (wide) v128.store_lane<i64>(o, t, 0);
      else v128.store(o, t);
    } else if (so == 2) {
      const h = v128.shuffle<u8>(t, t, 0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0);
      if (wide) v128.store_lane<u32>(o, h, 0);
      else v128.store_lane<i64>(o, h, 0);
    } else {
      const b = v128.shuffle<u8>(t, t, 0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      if (wide) v128.store_lane<u16>(o, b, 0);
      else v128.store_lane<u32>(o, b, 0);
    }
  }
  return i;
}

// ---- float16 / bfloat16 <-> float32 on four lanes, bit for bit castOne's rules ----
// V8 rebuilds a v128 constant at each use (several instructions): the loops load theirs from
// these tables once, before the loop (as math.ts's expF32Loop does).
const HALF_TO_F32_K: usize = memory.data<i32>([0x8000, 0x7fff, 0x38000000, 0x33800000, 0x3ff, 0x7f800000, 0x400000, 0x400, 0x7c00]);
const F32_TO_HALF_K: usize = memory.data<i32>([0x80000000, 0x7fffffff, 1, 0xfff, 112 << 10, 0x4b800000, 0x4b000000, 0x38800000, 0x7c00, 0x477ff000, 0x7e00, 0x7f800000, 0x7fff, 0x7fc0]);

@inline function kw(table: usize, i: i32): v128 {
  return v128.load32_splat(table + (<usize>i << 2));
}

/**
 * float16 -> float32 over px[0..n), four a step; returns how many it did. Exact; a NaN keeps
 * its sign and payload and is quieted (halfToF32Bits).
 */
@inline function halfToF32Vectors(px: usize, po: usize, n: i32): i32 {
  const signBit = kw(HALF_TO_F32_K, 0), magnitude = kw(HALF_TO_F32_K, 1), rebias = kw(HALF_TO_F32_K, 2);
  const twoM24 = kw(HALF_TO_F32_K, 3), mantissa = kw(HALF_TO_F32_K, 4), infBits = kw(HALF_TO_F32_K, 5);
  const quiet = kw(HALF_TO_F32_K, 6), minNormal = kw(HALF_TO_F32_K, 7), expAll = kw(HALF_TO_F32_K, 8);
  const zero = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const h = v128.load16x4_u(px + (<usize>i << 1));
    const sign = i32x4.shl(v128.and(h, signBit), 16);
    const em = v128.and(h, magnitude);
    // normal: the exponent rebiased (127 - 15 = 112, << 23), the mantissa moved up
    const normal = i32x4.add(i32x4.shl(em, 13), rebias);
    // zero and subnormals: m * 2^-24, exact in float32
    const sub = f32x4.mul(f32x4.convert_i32x4_s(em), twoM24);
    // infinity, or a NaN with its payload and the quiet bit
    const m = v128.and(h, mantissa);
    const special = v128.or(v128.or(infBits, i32x4.shl(m, 13)), v128.andnot(quiet, i32x4.eq(m, zero)));
    let r = v128.bitselect(sub, normal, i32x4.lt_s(em, minNormal));
    r = v128.bitselect(special, r, i32x4.ge_s(em, expAll));
    v128.store(po + (<usize>i << 2), v128.or(r, sign));
  }
  return i;
}

/**
 * float32 -> float16 (or bfloat16) over px[0..n), four a step; returns how many it did. Round
 * to nearest even, overflow to infinity, NaN -> 0x7e00 (0x7fc0) with the sign: f64ToHalf
 * (f64ToBf16) of the exact double.
 */
@inline function f32ToHalfVectors(bf: bool, px: usize, po: usize, n: i32): i32 {
  const signBit = kw(F32_TO_HALF_K, 0), magnitude = kw(F32_TO_HALF_K, 1), one = kw(F32_TO_HALF_K, 2);
  const halfUlp = kw(F32_TO_HALF_K, 3), rebias = kw(F32_TO_HALF_K, 4), two24 = kw(F32_TO_HALF_K, 5);
  const two23 = kw(F32_TO_HALF_K, 6), minNormal = kw(F32_TO_HALF_K, 7), halfInf = kw(F32_TO_HALF_K, 8);
  const overflow = kw(F32_TO_HALF_K, 9), halfNaN = kw(F32_TO_HALF_K, 10), infBits = kw(F32_TO_HALF_K, 11);
  const bfHalfUlp = kw(F32_TO_HALF_K, 12), bfNaN = kw(F32_TO_HALF_K, 13);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const f = v128.load(px + (<usize>i << 2));
    const sign = i32x4.shr_u(v128.and(f, signBit), 16);
    const a = v128.and(f, magnitude);
    const isNaN = i32x4.gt_s(a, infBits);
    let r: v128;
    if (bf) {
      // the low 16 bits dropped, rounding half to even (a carry moves into the exponent; infinity stays)
      r = i32x4.shr_u(i32x4.add(f, i32x4.add(bfHalfUlp, v128.and(i32x4.shr_u(f, 16), one))), 16);
      r = v128.bitselect(v128.or(sign, bfNaN), r, isNaN);
    } else {
      // normal results: 13 mantissa bits dropped, rounding half to even, exponent rebiased
      const odd = v128.and(i32x4.shr_u(a, 13), one);
      const normal = i32x4.sub(i32x4.shr_u(i32x4.add(a, i32x4.add(halfUlp, odd)), 13), rebias);
      // below 2^-14: round(|x| * 2^24) units of 2^-24, rounded to even by adding 2^23 (1024 is the smallest normal)
      const sub = i32x4.sub(f32x4.add(f32x4.mul(a, two24), two23), two23);
      r = v128.bitselect(sub, normal, i32x4.lt_s(a, minNormal));
      // from 65520 (halfway past the largest half; the tie goes up, to even) and infinity: infinity
      r = v128.bitselect(halfInf, r, i32x4.ge_s(a, overflow));
      r = v128.or(v128.bitselect(halfNaN, r, isNaN), sign);
    }
    // the low 16 bits of each lane
    v128.store_lane<i64>(po + (<usize>i << 1), v128.shuffle<u8>(r, r, 0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  }
  return i;
}

/** One loop for both layouts: contiguous is one dimension of stride 1 after the vectors. */
@inline function castLoops(from: i32, to: i32, strided: bool, px: usize, po: usize, n: i32): void {
  const sx = byteSize(from);
  const so = byteSize(to);
  let nd = 1;
  let n0 = n;
  let s0 = 1;
  let rows = 1;
  let x = px;
  let o = po;
  const shape = wordAt(1);
  const jx = jumpTable(0);
  if (strided) {
    nd = word(0);
    n0 = word(nd);
    s0 = word(2 * nd);
    rows = startDescWalk(nd - 1, 1);
  } else {
    const done = castVectors(from, to, px, po, n);
    x += <usize>done * sx;
    o += <usize>done * so;
    n0 = n - done;
  }
  let ox = 0;
  for (let r = 0; r < rows; r++) {
    let ix = ox;
    for (let j = 0; j < n0; j++) {
      castOne(from, to, x + <usize>ix * sx, o); // ix may be negative in between: wraps like the hardware
      o += so;
      ix += s0;
    }
    // contiguous: one row over no outer dimensions (slot 0; the offset isn't used again)
    ox += jump(jx, advance(shape, COUNTERS, nd - 1));
  }
}

/** The loops of one source dtype, for every destination (one function per source bounds -O3's work). */
@inline function castFrom(from: i32, to: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  if (to == from) return false; // same representation: a raw copy (convert)
  switch (to) {
    case BOOL: castLoops(from, BOOL, strided, px, po, n); return true;
    case U8: castLoops(from, U8, strided, px, po, n); return true;
    case U16: castLoops(from, U16, strided, px, po, n); return true;
    case U32: castLoops(from, U32, strided, px, po, n); return true;
    case U64: castLoops(from, U64, strided, px, po, n); return true;
    case I8: castLoops(from, I8, strided, px, po, n); return true;
    case I16: castLoops(from, I16, strided, px, po, n); return true;
    case I32: castLoops(from, I32, strided, px, po, n); return true;
    case I64: castLoops(from, I64, strided, px, po, n); return true;
    case F16: castLoops(from, F16, strided, px, po, n); return true;
    case F32: castLoops(from, F32, strided, px, po, n); return true;
    case F64: castLoops(from, F64, strided, px, po, n); return true;
    case BF16: castLoops(from, BF16, strided, px, po, n); return true;
    case C64: castLoops(from, C64, strided, px, po, n); return true;
  }
  return false;
}

function castFromBool(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(BOOL, to, strided, px, po, n); }
function castFromU8(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(U8, to, strided, px, po, n); }
function castFromU16(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(U16, to, strided, px, po, n); }
function castFromU32(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(U32, to, strided, px, po, n); }
function castFromU64(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(U64, to, strided, px, po, n); }
function castFromI8(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(I8, to, strided, px, po, n); }
function castFromI16(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(I16, to, strided, px, po, n); }
function castFromI32(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(I32, to, strided, px, po, n); }
function castFromI64(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(I64, to, strided, px, po, n); }
function castFromF16(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(F16, to, strided, px, po, n); }
function castFromF32(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(F32, to, strided, px, po, n); }
function castFromF64(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(F64, to, strided, px, po, n); }
function castFromBf16(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(BF16, to, strided, px, po, n); }
function castFromC64(to: i32, strided: bool, px: usize, po: usize, n: i32): bool { return castFrom(C64, to, strided, px, po, n); }

/** Casts n elements of dtype `from` at px (any layout) to contiguous dtype `to` at po; false: no kernel. */
export function cast(from: i32, to: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (from) {
    case BOOL: return castFromBool(to, strided, px, po, n);
    case U8: return castFromU8(to, strided, px, po, n);
    case U16: return castFromU16(to, strided, px, po, n);
    case U32: return castFromU32(to, strided, px, po, n);
    case U64: return castFromU64(to, strided, px, po, n);
    case I8: return castFromI8(to, strided, px, po, n);
    case I16: return castFromI16(to, strided, px, po, n);
    case I32: return castFromI32(to, strided, px, po, n);
    case I64: return castFromI64(to, strided, px, po, n);
    case F16: return castFromF16(to, strided, px, po, n);
    case F32: return castFromF32(to, strided, px, po, n);
    case F64: return castFromF64(to, strided, px, po, n);
    case BF16: return castFromBf16(to, strided, px, po, n);
    case C64: return castFromC64(to, strided, px, po, n);
  }
  return false;
}

/** S: the storage unit copied. */
@inline function copyLoops<S>(strided: bool, px: usize, po: usize, n: i32): void {
  if (!strided) {
    memory.copy(po, px, <usize>n << alignof<S>());
    return;
  }
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  const shape = wordAt(1);
  const jx = jumpTable(0);
  const rows = startDescWalk(last, 1);
  let ox = 0;
  let o = po;
  for (let r = 0; r < rows; r++) {
    let ix = ox;
    for (let j = 0; j < n0; j++) {
      store<S>(o, load<S>(at<S>(px, ix)));
      o += sizeof<S>();
      ix += s0;
    }
    ox += jump(jx, advance(shape, COUNTERS, last));
  }
}

/** Raw copies (op: CONVERT_copy*), any layout in, contiguous out. */
export function convert(op: i32, strided: bool, px: usize, po: usize, n: i32): bool {
  switch (op) {
    case CONVERT_copy8: copyLoops<u8>(strided, px, po, n); return true;
    case CONVERT_copy16: copyLoops<u16>(strided, px, po, n); return true;
    case CONVERT_copy32: copyLoops<u32>(strided, px, po, n); return true;
    case CONVERT_copy64: copyLoops<u64>(strided, px, po, n); return true;
  }
  return false;
}
