// Reduce over any axes, in the reference's order: every output accumulates its elements one
// after another in row-major order of the reduced coordinates. Floats (f32, f64, f16, bf16):
// sum / prod / max / min in double, rounded to the output dtype once (a tree or multi-lane sum
// would be faster but not bit-identical). Integers: sum / prod / max / min wrapping as C does.
// and / or of every dtype into bool. complex64: its own loop (below).
//
// Descriptor: [keptNd, redNd, keptShape, keptStrides, redShape, redStrides], nd >= 1 each.
// Outputs are contiguous in row-major order of the kept dimensions.
import { word, at, DESC, JUMP_BYTES, startWalk, advance, jump } from './layout';
import { decodeHalf, encodeHalf } from './half-double';

export const REDUCE_sum: i32 = 1;
export const REDUCE_max: i32 = 2;
export const REDUCE_min: i32 = 3;
export const REDUCE_prod: i32 = 4;
export const REDUCE_and: i32 = 5;
export const REDUCE_or: i32 = 6;

/** Outputs accumulated together when the kept innermost dimension is contiguous. */
const CHUNK: i32 = 256;
// Scratch of one reduction: KEPT counters (64 bytes), RED counters (64), their jump tables
// (JUMP_BYTES each, layout.ts), ACC (CHUNK * 8; accumulators are f64 or i32, read with the
// accumulator's own width). The static one serves the single-threaded exports; the *_at
// exports take a descriptor and scratch of their own (threads run them on disjoint outputs at once).
const ACC_AT: i32 = 128 + 2 * JUMP_BYTES;
export const REDUCE_SCRATCH_BYTES: i32 = ACC_AT + CHUNK * 8;
const SCRATCH: usize = memory.data(REDUCE_SCRATCH_BYTES, 16);
const KEPT: usize = SCRATCH;
const KEPT_JUMPS: usize = SCRATCH + 128;

/** Bytes of scratch a *_at reduction needs. */
export function reduceScratchBytes(): i32 {
  return REDUCE_SCRATCH_BYTES;
}

@inline function dw(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}

/** Address of descriptor word i. */
@inline function dwAt(desc: usize, i: i32): usize {
  return desc + (<usize>i << 2);
}

/** The identity of a reduction in the accumulator type A (f64 for floats, an integer otherwise). */
@inline function init<A>(type: i32): A {
  if (isFloat<A>()) {
    return <A>(type == REDUCE_sum ? 0.0 : type == REDUCE_prod ? 1.0 : type == REDUCE_max ? -Infinity : Infinity);
  } else {
    const top = <A>1 << <A>(sizeof<A>() * 8 - 1); // the sign bit
    switch (type) {
      case REDUCE_prod: return <A>1;
      case REDUCE_and: return <A>1;
      case REDUCE_max: return isSigned<A>() ? top : <A>0;
      case REDUCE_min: return isSigned<A>() ? ~top : <A>-1;
    }
    return <A>0;
  }
}

@inline function step<A, T>(type: i32, acc: A, x: T): A {
  if (type == REDUCE_and) return <A>(<i32>acc & <i32>(x != 0));
  if (type == REDUCE_or) return <A>(<i32>acc | <i32>(x != 0));
  const b = <A>x;
  if (type == REDUCE_sum) return acc + b;
  if (type == REDUCE_prod) return acc * b;
  if (isFloat<A>()) {
    // NaN propagates: once the accumulator holds NaN nothing replaces it
    if (acc != acc) return acc;
    if (type == REDUCE_max) return b != b || b > acc ? b : acc;
    return b != b || b < acc ? b : acc;
  }
  if (type == REDUCE_max) return b > acc ? b : acc;
  return b < acc ? b : acc;
}

/** Element at p as the value type V: float16 / bfloat16 bits (half 1 / 2) decoded to double. */
@inline function loadValue<T, V>(half: i32, p: usize): V {
  if (half != 0) return <V>decodeHalf(half == 2, <u32>load<u16>(p));
  return <V>load<T>(p);
}

/** Stores an accumulator as O; a 16-bit O of a half reduction is encoded with one rounding. */
@inline function storeOut<A, O>(half: i32, p: usize, acc: A): void {
  if (half != 0 && sizeof<O>() == 2) store<u16>(p, encodeHalf(half == 2, <f64>acc));
  else if (isBoolean<O>()) store<u8>(p, <u8>(acc != 0)); // nonzero is true (an i32 cast would truncate)
  else store<O>(p, <O>acc);
}

/** T: input element, V: its value (T, or f64 for half inputs), A: accumulator, O: output element. */
@inline function reduceLoops<T, V, A, O>(type: i32, half: i32, px: usize, po: usize, desc: usize, scratch: usize): void {
  const KEPT = scratch;
  const RED = scratch + 64;
  const KJ = scratch + 128;
  const RJ = KJ + JUMP_BYTES;
  const ACC = scratch + ACC_AT;
  const kn = dw(desc, 0);
  const rn = dw(desc, 1);
  const kShape = 2;
  const kStrides = 2 + kn;
  const rShape = 2 + 2 * kn;
  const rStrides = 2 + 2 * kn + rn;
  let nOut = 1;
  for (let d = 0; d < kn; d++) nOut *= dw(desc, kShape + d);
  let nRed = 1;
  for (let d = 0; d < rn; d++) nRed *= dw(desc, rShape + d);
  if (nOut == 0) return;
  // The reference's max / min of integers of at most 32 bits start from -inf / +inf in a
  // double, which an empty reduction stores as 0 (bool: as true; 64-bit: the dtype's bounds).
  const emptyIntMinMax = !isFloat<A>() && sizeof<A>() == 4 && !isBoolean<O>() && nRed == 0 && (type == REDUCE_max || type == REDUCE_min);
  // The tight loop runs over the innermost reduced dimension; the rest use counters.
  const r0 = dw(desc, rShape + rn - 1);
  const rs0 = dw(desc, rStrides + rn - 1);
  const rOuter = r0 == 0 ? 0 : nRed / r0;
  const k0 = dw(desc, kShape + kn - 1);
  const acrossOutputs = dw(desc, kStrides + kn - 1) == 1 && k0 >= 4 && rs0 != 1;
  // every walk runs to its end, which leaves its counters at 0 for the next one
  const kShapeAt = dwAt(desc, kShape);
  const rShapeAt = dwAt(desc, rShape);
  let kOff = 0;
  let o = po;
  if (!acrossOutputs) {
    startWalk(kShapeAt, kn, dwAt(desc, kStrides), 0, 1, KJ, KEPT);
    startWalk(rShapeAt, rn - 1, dwAt(desc, rStrides), 0, 1, RJ, RED);
    for (let i = 0; i < nOut; i++) {
      let acc = emptyIntMinMax ? <A>0 : init<A>(type);
      let rOff = kOff;
      for (let r = 0; r < rOuter; r++) {
        let p = rOff;
        for (let j = 0; j < r0; j++) {
          acc = step<A, V>(type, acc, loadValue<T, V>(half, at<T>(px, p)));
          p += rs0;
        }
        rOff += jump(RJ, advance(rShapeAt, RED, rn - 1));
      }
      storeOut<A, O>(half, o, acc);
      o += sizeof<O>();
      kOff += jump(KJ, advance(kShapeAt, KEPT, kn));
    }
    return;
  }
  // Kept innermost dimension contiguous: accumulate a chunk of neighbouring outputs at once,
  // each still in its own sequential order.
  const rowsOut = nOut / k0;
  startWalk(kShapeAt, kn - 1, dwAt(desc, kStrides), 0, 1, KJ, KEPT);
  startWalk(rShapeAt, rn, dwAt(desc, rStrides), 0, 1, RJ, RED);
  for (let row = 0; row < rowsOut; row++) {
    for (let c0 = 0; c0 < k0; c0 += CHUNK) {
      const len = min(CHUNK, k0 - c0);
      const a0 = emptyIntMinMax ? <A>0 : init<A>(type);
      for (let j = 0; j < len; j++) store<A>(ACC + (<usize>j << alignof<A>()), a0);
      let rOff = kOff + c0;
      for (let r = 0; r < nRed; r++) {
        const src = at<T>(px, rOff);
        let j = 0;
        if (type == REDUCE_sum && isFloat<A>() && isFloat<T>()) {
          for (; j + 2 <= len; j += 2) {
            const pa = ACC + (<usize>j << 3);
            let v: v128;
            if (sizeof<T>() == 4) v = f64x2.promote_low_f32x4(v128.load64_zero(src + (<usize>j << 2)));
            else v = v128.load(src + (<usize>j << 3));
            v128.store(pa, f64x2.add(v128.load(pa), v));
          }
        }
        for (; j < len; j++) {
          const pa = ACC + (<usize>j << alignof<A>());
          store<A>(pa, step<A, V>(type, load<A>(pa), loadValue<T, V>(half, src + (<usize>j << alignof<T>()))));
        }
        rOff += jump(RJ, advance(rShapeAt, RED, rn));
      }
      for (let j = 0; j < len; j++) storeOut<A, O>(half, o + (<usize>j << alignof<O>()), load<A>(ACC + (<usize>j << alignof<A>())));
      o += <usize>len << alignof<O>();
    }
    // next row of outputs: step the kept counters over everything but the innermost dim
    kOff += jump(KJ, advance(kShapeAt, KEPT, kn - 1));
  }
}

/**
 * Every reduction of one input type T (value V, accumulator A, output O); and / or into bool.
 * One instance per dtype, each behind its own export, so that no function grows too big for
 * the optimizer.
 */
@inline function reduceAll<T, V, A, O>(type: i32, half: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<T, V, A, O>(REDUCE_sum, half, px, po, desc, scratch); return true;
    case REDUCE_prod: reduceLoops<T, V, A, O>(REDUCE_prod, half, px, po, desc, scratch); return true;
    case REDUCE_max: reduceLoops<T, V, A, O>(REDUCE_max, half, px, po, desc, scratch); return true;
    case REDUCE_min: reduceLoops<T, V, A, O>(REDUCE_min, half, px, po, desc, scratch); return true;
    case REDUCE_and: reduceLoops<T, V, i32, u8>(REDUCE_and, half, px, po, desc, scratch); return true;
    case REDUCE_or: reduceLoops<T, V, i32, u8>(REDUCE_or, half, px, po, desc, scratch); return true;
  }
  return false;
}

// Integers of at most 32 bits accumulate in i32 (u32 for uint32) wrapping at every step, and
// are truncated to the dtype at the end: the same as the reference's wrap at every step, since
// wrapping commutes with + and *. 64-bit integers wrap in i64 / u64. bool: the sum / product /
// max / min in i32, stored as nonzero. float16 / bfloat16: decoded to double, accumulated in
// double in order, rounded once (half-double.ts).
function reduce_f32_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<f32, f32, f64, f32>(type, 0, px, po, desc, scratch); }
function reduce_f64_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<f64, f64, f64, f64>(type, 0, px, po, desc, scratch); }
function reduce_f16_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u16, f64, f64, u16>(type, 1, px, po, desc, scratch); }
function reduce_bf16_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u16, f64, f64, u16>(type, 2, px, po, desc, scratch); }
function reduce_bool_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u8, u8, i32, bool>(type, 0, px, po, desc, scratch); }
function reduce_i8_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<i8, i8, i32, i8>(type, 0, px, po, desc, scratch); }
function reduce_u8_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u8, u8, i32, u8>(type, 0, px, po, desc, scratch); }
function reduce_i16_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<i16, i16, i32, i16>(type, 0, px, po, desc, scratch); }
function reduce_u16_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u16, u16, i32, u16>(type, 0, px, po, desc, scratch); }
function reduce_i32_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<i32, i32, i32, i32>(type, 0, px, po, desc, scratch); }
function reduce_u32_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u32, u32, u32, u32>(type, 0, px, po, desc, scratch); }
function reduce_i64_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<i64, i64, i64, i64>(type, 0, px, po, desc, scratch); }
function reduce_u64_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduceAll<u64, u64, u64, u64>(type, 0, px, po, desc, scratch); }

// reduce_<dtype>(type, px, po) reads the static DESC; reduce_<dtype>_at takes a descriptor and
// scratch of its own (reduceScratchBytes()), for threads.
export function reduce_f32(type: i32, px: usize, po: usize): bool { return reduce_f32_impl(type, px, po, DESC, SCRATCH); }
export function reduce_f32_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_f32_impl(type, px, po, desc, scratch); }
export function reduce_f64(type: i32, px: usize, po: usize): bool { return reduce_f64_impl(type, px, po, DESC, SCRATCH); }
export function reduce_f64_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_f64_impl(type, px, po, desc, scratch); }
export function reduce_f16(type: i32, px: usize, po: usize): bool { return reduce_f16_impl(type, px, po, DESC, SCRATCH); }
export function reduce_f16_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_f16_impl(type, px, po, desc, scratch); }
export function reduce_bf16(type: i32, px: usize, po: usize): bool { return reduce_bf16_impl(type, px, po, DESC, SCRATCH); }
export function reduce_bf16_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_bf16_impl(type, px, po, desc, scratch); }
export function reduce_bool(type: i32, px: usize, po: usize): bool { return reduce_bool_impl(type, px, po, DESC, SCRATCH); }
export function reduce_bool_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_bool_impl(type, px, po, desc, scratch); }
export function reduce_i8(type: i32, px: usize, po: usize): bool { return reduce_i8_impl(type, px, po, DESC, SCRATCH); }
export function reduce_i8_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_i8_impl(type, px, po, desc, scratch); }
export function reduce_u8(type: i32, px: usize, po: usize): bool { return reduce_u8_impl(type, px, po, DESC, SCRATCH); }
export function reduce_u8_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_u8_impl(type, px, po, desc, scratch); }
export function reduce_i16(type: i32, px: usize, po: usize): bool { return reduce_i16_impl(type, px, po, DESC, SCRATCH); }
export function reduce_i16_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_i16_impl(type, px, po, desc, scratch); }
export function reduce_u16(type: i32, px: usize, po: usize): bool { return reduce_u16_impl(type, px, po, DESC, SCRATCH); }
export function reduce_u16_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_u16_impl(type, px, po, desc, scratch); }
export function reduce_i32(type: i32, px: usize, po: usize): bool { return reduce_i32_impl(type, px, po, DESC, SCRATCH); }
export function reduce_i32_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_i32_impl(type, px, po, desc, scratch); }
export function reduce_u32(type: i32, px: usize, po: usize): bool { return reduce_u32_impl(type, px, po, DESC, SCRATCH); }
export function reduce_u32_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_u32_impl(type, px, po, desc, scratch); }
export function reduce_i64(type: i32, px: usize, po: usize): bool { return reduce_i64_impl(type, px, po, DESC, SCRATCH); }
export function reduce_i64_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_i64_impl(type, px, po, desc, scratch); }
export function reduce_u64(type: i32, px: usize, po: usize): bool { return reduce_u64_impl(type, px, po, DESC, SCRATCH); }
export function reduce_u64_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_u64_impl(type, px, po, desc, scratch); }

// ---- complex64: re / im pairs in double, as the reference's loop ----
// sum / prod (no FMA: the reference's a*b - c*d) rounded to float32 once; max / min in
// lexicographic order (real part, then imaginary), a later element replacing only when
// strictly greater / less; and / or: nonzero if either part is.

@inline function complexLoops(type: i32, px: usize, po: usize, desc: usize, scratch: usize): void {
  const KEPT = scratch;
  const RED = scratch + 64;
  const KJ = scratch + 128;
  const RJ = KJ + JUMP_BYTES;
  const kn = dw(desc, 0);
  const rn = dw(desc, 1);
  const kShape = 2;
  const kStrides = 2 + kn;
  const rShape = 2 + 2 * kn;
  const rStrides = 2 + 2 * kn + rn;
  let nOut = 1;
  for (let d = 0; d < kn; d++) nOut *= dw(desc, kShape + d);
  let nRed = 1;
  for (let d = 0; d < rn; d++) nRed *= dw(desc, rShape + d);
  const r0 = dw(desc, rShape + rn - 1);
  const rs0 = dw(desc, rStrides + rn - 1);
  const rOuter = r0 == 0 ? 0 : nRed / r0;
  const logical = type == REDUCE_and || type == REDUCE_or;
  // every walk runs to its end, which leaves its counters at 0 for the next one
  const kShapeAt = dwAt(desc, kShape);
  const rShapeAt = dwAt(desc, rShape);
  startWalk(kShapeAt, kn, dwAt(desc, kStrides), 0, 1, KJ, KEPT);
  startWalk(rShapeAt, rn - 1, dwAt(desc, rStrides), 0, 1, RJ, RED);
  let kOff = 0;
  for (let i = 0; i < nOut; i++) {
    let ar = type == REDUCE_prod || type == REDUCE_and ? 1.0 : type == REDUCE_max ? -Infinity : type == REDUCE_min ? Infinity : 0.0;
    let ai = 0.0;
    let rOff = kOff;
    for (let r = 0; r < rOuter; r++) {
      let p = rOff;
      for (let j = 0; j < r0; j++) {
        const q = at<u64>(px, p);
        const br = <f64>load<f32>(q);
        const bi = <f64>load<f32>(q, 4);
        if (type == REDUCE_sum) {
          ar += br;
          ai += bi;
        } else if (type == REDUCE_prod) {
          const nr = ar * br - ai * bi;
          ai = ar * bi + ai * br;
          ar = nr;
        } else if (type == REDUCE_max) {
          if (ar < br || (ar == br && ai < bi)) { ar = br; ai = bi; }
        } else if (type == REDUCE_min) {
          if (br < ar || (br == ar && bi < ai)) { ar = br; ai = bi; }
        } else {
          const t: f64 = br != 0 || bi != 0 ? 1.0 : 0.0;
          ar = type == REDUCE_and ? min(ar, t) : max(ar, t);
        }
        p += rs0;
      }
      rOff += jump(RJ, advance(rShapeAt, RED, rn - 1));
    }
    if (logical) store<u8>(po + <usize>i, <u8>(ar != 0));
    else {
      store<f32>(po + (<usize>i << 3), <f32>ar);
      store<f32>(po + (<usize>i << 3), <f32>ai, 4);
    }
    kOff += jump(KJ, advance(kShapeAt, KEPT, kn));
  }
}

function reduce_c64_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_sum: complexLoops(REDUCE_sum, px, po, desc, scratch); return true;
    case REDUCE_prod: complexLoops(REDUCE_prod, px, po, desc, scratch); return true;
    case REDUCE_max: complexLoops(REDUCE_max, px, po, desc, scratch); return true;
    case REDUCE_min: complexLoops(REDUCE_min, px, po, desc, scratch); return true;
    case REDUCE_and: complexLoops(REDUCE_and, px, po, desc, scratch); return true;
    case REDUCE_or: complexLoops(REDUCE_or, px, po, desc, scratch); return true;
  }
  return false;
}
export function reduce_c64(type: i32, px: usize, po: usize): bool { return reduce_c64_impl(type, px, po, DESC, SCRATCH); }
export function reduce_c64_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool { return reduce_c64_impl(type, px, po, desc, scratch); }

// ---- float32 sums over a contiguous range, multi-lane (not bit-identical to the reference) ----
// Each range is summed in double in 16 lanes (eight f64x2 accumulators, so that the adds'
// latency doesn't bound the loop: lane l takes elements i with i % 16 == l of the whole
// groups of 16), or, four ranges at a time, in 4 lanes each (fourRunSums); the lanes combined
// in a fixed order, the tail added last, then rounded to f32 once. The reference sums
// sequentially in double; both are double sums of the same n values, each within
// (n - 1) * 2^-53 * sum|x| of the exact sum, so (stated in
// backend/wasm/reduce.ts and tested):
//   |ours - reference| <= ulp32(max(|ours|, |reference|)) + 2 (n - 1) 2^-53 sum|x_i|
// i.e. within 1 ulp unless the sum cancels heavily. NaN / inf outcomes are the same.

/** Two f32 at `q` widened to an f64x2 (a 64-bit load: faster in V8 than a shuffle of a 128-bit one). */
@inline function pair(q: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(q));
}

@inline function lanesSum(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let a4 = f64x2.splat(0), a5 = f64x2.splat(0), a6 = f64x2.splat(0), a7 = f64x2.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 2);
    a0 = f64x2.add(a0, pair(q));
    a1 = f64x2.add(a1, pair(q + 8));
    a2 = f64x2.add(a2, pair(q + 16));
    a3 = f64x2.add(a3, pair(q + 24));
    a4 = f64x2.add(a4, pair(q + 32));
    a5 = f64x2.add(a5, pair(q + 40));
    a6 = f64x2.add(a6, pair(q + 48));
    a7 = f64x2.add(a7, pair(q + 56));
  }
  let t = 0.0;
  for (; i < n; i++) t += <f64>load<f32>(p + (<usize>i << 2));
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + t;
}

// Four runs read side by side. One sequential stream per core leaves most of the DRAM latency
// exposed (one thread summed 1.6e7 float32 at ~6 GB/s, while add's three streams per core moved
// four times that); four streams keep more lines in flight: ~9.5 -> ~5.4 ms on one thread,
// ~5.5 -> ~3.6 ms on two. (Eight streams were slower on one thread.)

/**
 * po[k] (as T: f32 or f64) = the double sum of the `len` contiguous f32 at p + k * stride bytes,
 * k < 4. Each run is summed in four lanes (two f64x2 accumulators: lane l takes elements i with
 * i % 4 == l of the whole groups of 4), the lanes added in order, then the len % 4 left over.
 */
@inline function fourRunSums<T>(p: usize, stride: usize, len: i32, po: usize): void {
  const p1 = p + stride, p2 = p1 + stride, p3 = p2 + stride;
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0), d0 = f64x2.splat(0), d1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    a0 = f64x2.add(a0, pair(p + o));
    a1 = f64x2.add(a1, pair(p + o + 8));
    b0 = f64x2.add(b0, pair(p1 + o));
    b1 = f64x2.add(b1, pair(p1 + o + 8));
    c0 = f64x2.add(c0, pair(p2 + o));
    c1 = f64x2.add(c1, pair(p2 + o + 8));
    d0 = f64x2.add(d0, pair(p3 + o));
    d1 = f64x2.add(d1, pair(p3 + o + 8));
  }
  store<T>(po, <T>runTotal(a0, a1, p, i, len));
  store<T>(po + sizeof<T>(), <T>runTotal(b0, b1, p1, i, len));
  store<T>(po + 2 * sizeof<T>(), <T>runTotal(c0, c1, p2, i, len));
  store<T>(po + 3 * sizeof<T>(), <T>runTotal(d0, d1, p3, i, len));
}

/** The four lanes of one run (x: lanes 0, 1; y: lanes 2, 3) in order, then its elements [from, len). */
@inline function runTotal(x: v128, y: v128, p: usize, from: i32, len: i32): f64 {
  let t = f64x2.extract_lane(x, 0) + f64x2.extract_lane(x, 1) + f64x2.extract_lane(y, 0) + f64x2.extract_lane(y, 1);
  for (let i = from; i < len; i++) t += <f64>load<f32>(p + (<usize>i << 2));
  return t;
}

/**
 * po[r] = f32(sum of the `len` contiguous f32 at px + r * rowStride elements), r < rows: whole
 * groups of four rows as four runs, the rows left over one by one (lanesSum). A row's order thus
 * depends on its index only when chunks start at multiples of 4 rows, as the caller splits them.
 */
export function sum_f32_rows(px: usize, rowStride: i32, rows: i32, len: i32, po: usize): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) fourRunSums<f32>(at<f32>(px, r * rowStride), <usize>rowStride << 2, len, po + (<usize>r << 2));
  for (; r < rows; r++) store<f32>(po + (<usize>r << 2), <f32>lanesSum(at<f32>(px, r * rowStride), len));
}

/**
 * pout[b] (f64) = double sum of elements [b * block, min(n, (b + 1) * block)) of the contiguous
 * f32 at px: whole groups of four full blocks as four runs, the rest one by one (chunks start
 * at multiples of 4 blocks, so that a block's order doesn't depend on the thread count).
 */
export function sum_f32_blocks(px: usize, n: i32, block: i32, pout: usize): void {
  let b = 0;
  let s = 0;
  for (; s + 4 * block <= n; s += 4 * block) {
    fourRunSums<f64>(at<f32>(px, s), <usize>block << 2, block, pout + (<usize>b << 3));
    b += 4;
  }
  for (; s < n; s += block) {
    store<f64>(pout + (<usize>b << 3), lanesSum(at<f32>(px, s), min(block, n - s)));
    b++;
  }
}

// ---- ArgReduce: argmax / argmin along one axis ----
// Descriptor: [keptNd, keptShape, keptStrides, n, axisStride]; uint32 indices out, contiguous
// over the kept dimensions. Ties keep the first index; the first NaN wins and stays.

export const ARGREDUCE_argmax: i32 = 1;
export const ARGREDUCE_argmin: i32 = 2;

/** T: element, V: its value (T, or f64 for half inputs: half 1 float16, 2 bfloat16). */
@inline function argLoops<T, V>(type: i32, half: i32, px: usize, po: usize): void {
  const kn = word(0);
  const kShape = 1;
  const kStrides = 1 + kn;
  const n = word(1 + 2 * kn);
  const stride = word(2 + 2 * kn);
  const kShapeAt = dwAt(DESC, kShape);
  const nOut = startWalk(kShapeAt, kn, dwAt(DESC, kStrides), 0, 1, KEPT_JUMPS, KEPT);
  let kOff = 0;
  for (let i = 0; i < nOut; i++) {
    let best = n > 0 ? loadValue<T, V>(half, at<T>(px, kOff)) : <V>0;
    let bestK = 0;
    let p = kOff + stride;
    for (let k = 1; k < n; k++) {
      const v = loadValue<T, V>(half, at<T>(px, p));
      let better: bool;
      if (isFloat<V>()) better = best == best && (v != v || (type == ARGREDUCE_argmax ? v > best : v < best));
      else better = type == ARGREDUCE_argmax ? v > best : v < best;
      if (better) {
        best = v;
        bestK = k;
      }
      p += stride;
    }
    store<u32>(po + (<usize>i << 2), bestK);
    kOff += jump(KEPT_JUMPS, advance(kShapeAt, KEPT, kn));
  }
}

@inline function argAll<T, V>(type: i32, half: i32, px: usize, po: usize): bool {
  switch (type) {
    case ARGREDUCE_argmax: argLoops<T, V>(ARGREDUCE_argmax, half, px, po); return true;
    case ARGREDUCE_argmin: argLoops<T, V>(ARGREDUCE_argmin, half, px, po); return true;
  }
  return false;
}

// argreduce_<dtype>(type, px, po): one export per dtype (bool compares as 0 / 1).
export function argreduce_f32(type: i32, px: usize, po: usize): bool { return argAll<f32, f32>(type, 0, px, po); }
export function argreduce_f64(type: i32, px: usize, po: usize): bool { return argAll<f64, f64>(type, 0, px, po); }
export function argreduce_f16(type: i32, px: usize, po: usize): bool { return argAll<u16, f64>(type, 1, px, po); }
export function argreduce_bf16(type: i32, px: usize, po: usize): bool { return argAll<u16, f64>(type, 2, px, po); }
export function argreduce_bool(type: i32, px: usize, po: usize): bool { return argAll<u8, u8>(type, 0, px, po); }
export function argreduce_i8(type: i32, px: usize, po: usize): bool { return argAll<i8, i8>(type, 0, px, po); }
export function argreduce_u8(type: i32, px: usize, po: usize): bool { return argAll<u8, u8>(type, 0, px, po); }
export function argreduce_i16(type: i32, px: usize, po: usize): bool { return argAll<i16, i16>(type, 0, px, po); }
export function argreduce_u16(type: i32, px: usize, po: usize): bool { return argAll<u16, u16>(type, 0, px, po); }
export function argreduce_i32(type: i32, px: usize, po: usize): bool { return argAll<i32, i32>(type, 0, px, po); }
export function argreduce_u32(type: i32, px: usize, po: usize): bool { return argAll<u32, u32>(type, 0, px, po); }
export function argreduce_i64(type: i32, px: usize, po: usize): bool { return argAll<i64, i64>(type, 0, px, po); }
export function argreduce_u64(type: i32, px: usize, po: usize): bool { return argAll<u64, u64>(type, 0, px, po); }

/** argmax / argmin of complex64 in lexicographic order (real, then imaginary); ties keep the first. */
@inline function argComplex(type: i32, px: usize, po: usize): void {
  const kn = word(0);
  const kShape = 1;
  const kStrides = 1 + kn;
  const n = word(1 + 2 * kn);
  const stride = word(2 + 2 * kn);
  const kShapeAt = dwAt(DESC, kShape);
  const nOut = startWalk(kShapeAt, kn, dwAt(DESC, kStrides), 0, 1, KEPT_JUMPS, KEPT);
  let kOff = 0;
  for (let i = 0; i < nOut; i++) {
    let br: f32 = n > 0 ? load<f32>(at<u64>(px, kOff)) : 0;
    let bi: f32 = n > 0 ? load<f32>(at<u64>(px, kOff), 4) : 0;
    let bestK = 0;
    let p = kOff + stride;
    for (let k = 1; k < n; k++) {
      const vr = load<f32>(at<u64>(px, p));
      const vi = load<f32>(at<u64>(px, p), 4);
      const better = type == ARGREDUCE_argmax ? br < vr || (br == vr && bi < vi) : vr < br || (vr == br && vi < bi);
      if (better) {
        br = vr;
        bi = vi;
        bestK = k;
      }
      p += stride;
    }
    store<u32>(po + (<usize>i << 2), bestK);
    kOff += jump(KEPT_JUMPS, advance(kShapeAt, KEPT, kn));
  }
}

export function argreduce_c64(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case ARGREDUCE_argmax: argComplex(ARGREDUCE_argmax, px, po); return true;
    case ARGREDUCE_argmin: argComplex(ARGREDUCE_argmin, px, po); return true;
  }
  return false;
}
