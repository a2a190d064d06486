// Reduce over any axes, in the reference's order: every output accumulates its elements one
// after another in row-major order of the reduced coordinates. Floats (f32, f64): sum / max /
// min in double, rounded to the output dtype once (a tree or multi-lane sum would be faster
// but not bit-identical). int32: sum / prod / max / min wrapping at every step as C does.
// and / or of f32, f64, i32 and 1-byte (bool, u8, i8) inputs into bool.
//
// Descriptor: [keptNd, redNd, keptShape, keptStrides, redShape, redStrides], nd >= 1 each.
// Outputs are contiguous in row-major order of the kept dimensions.
import { word, at, DESC } from './layout';

export const REDUCE_sum: i32 = 1;
export const REDUCE_max: i32 = 2;
export const REDUCE_min: i32 = 3;
export const REDUCE_prod: i32 = 4;
export const REDUCE_and: i32 = 5;
export const REDUCE_or: i32 = 6;

/** Outputs accumulated together when the kept innermost dimension is contiguous. */
const CHUNK: i32 = 256;
// Scratch of one reduction: KEPT counters (64 bytes), RED counters (64), ACC (CHUNK * 8;
// accumulators are f64 or i32, read with the accumulator's own width). The static one serves
// the single-threaded exports; the *_at exports take a descriptor and scratch of their own
// (threads run them on disjoint outputs at once).
export const REDUCE_SCRATCH_BYTES: i32 = 128 + CHUNK * 8;
const SCRATCH: usize = memory.data(128 + CHUNK * 8, 16);
const KEPT: usize = SCRATCH;

/** Bytes of scratch a *_at reduction needs. */
export function reduceScratchBytes(): i32 {
  return REDUCE_SCRATCH_BYTES;
}

@inline function dw(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}

/** The identity of a reduction in the accumulator type A (f64 for floats, i32 otherwise). */
@inline function init<A>(type: i32): A {
  if (isFloat<A>()) return <A>(type == REDUCE_sum ? 0.0 : type == REDUCE_max ? -Infinity : Infinity);
  switch (type) {
    case REDUCE_prod: return <A>1;
    case REDUCE_and: return <A>1;
    case REDUCE_max: return <A>i32.MIN_VALUE;
    case REDUCE_min: return <A>i32.MAX_VALUE;
  }
  return <A>0;
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

/** Advances a counter set; returns the change of the element offset. */
@inline function advance(desc: usize, cnt: usize, nd: i32, shapeAt: i32, stridesAt: i32): i32 {
  let delta = 0;
  for (let d = nd - 1; d >= 0; d--) {
    const size = dw(desc, shapeAt + d);
    const stride = dw(desc, stridesAt + d);
    const c = load<i32>(cnt + (<usize>d << 2)) + 1;
    delta += stride;
    if (c < size) {
      store<i32>(cnt + (<usize>d << 2), c);
      return delta;
    }
    store<i32>(cnt + (<usize>d << 2), 0);
    delta -= stride * size;
  }
  return delta;
}

/** T: input element, A: accumulator, O: output element. */
@inline function reduceLoops<T, A, O>(type: i32, px: usize, po: usize, desc: usize, scratch: usize): void {
  const KEPT = scratch;
  const RED = scratch + 64;
  const ACC = scratch + 128;
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
  // The reference's integer max / min start from -inf / +inf in a double, which an empty
  // reduction stores into int32 as 0.
  const emptyIntMinMax = !isFloat<A>() && nRed == 0 && (type == REDUCE_max || type == REDUCE_min);
  // The tight loop runs over the innermost reduced dimension; the rest use counters.
  const r0 = dw(desc, rShape + rn - 1);
  const rs0 = dw(desc, rStrides + rn - 1);
  const rOuter = r0 == 0 ? 0 : nRed / r0;
  const k0 = dw(desc, kShape + kn - 1);
  const acrossOutputs = dw(desc, kStrides + kn - 1) == 1 && k0 >= 4 && rs0 != 1;
  memory.fill(KEPT, 0, 64);
  let kOff = 0;
  let o = po;
  if (!acrossOutputs) {
    for (let i = 0; i < nOut; i++) {
      let acc = emptyIntMinMax ? <A>0 : init<A>(type);
      memory.fill(RED, 0, 64);
      let rOff = kOff;
      for (let r = 0; r < rOuter; r++) {
        let p = rOff;
        for (let j = 0; j < r0; j++) {
          acc = step<A, T>(type, acc, load<T>(at<T>(px, p)));
          p += rs0;
        }
        rOff += advance(desc, RED, rn - 1, rShape, rStrides);
      }
      store<O>(o, <O>acc);
      o += sizeof<O>();
      kOff += advance(desc, KEPT, kn, kShape, kStrides);
    }
    return;
  }
  // Kept innermost dimension contiguous: accumulate a chunk of neighbouring outputs at once,
  // each still in its own sequential order.
  const rowsOut = nOut / k0;
  for (let row = 0; row < rowsOut; row++) {
    for (let c0 = 0; c0 < k0; c0 += CHUNK) {
      const len = min(CHUNK, k0 - c0);
      const a0 = emptyIntMinMax ? <A>0 : init<A>(type);
      for (let j = 0; j < len; j++) store<A>(ACC + (<usize>j << alignof<A>()), a0);
      memory.fill(RED, 0, 64);
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
          store<A>(pa, step<A, T>(type, load<A>(pa), load<T>(src + (<usize>j << alignof<T>()))));
        }
        rOff += advance(desc, RED, rn, rShape, rStrides);
      }
      for (let j = 0; j < len; j++) store<O>(at<O>(o, j), <O>load<A>(ACC + (<usize>j << alignof<A>())));
      o += <usize>len << alignof<O>();
    }
    // next row of outputs: step the kept counters over everything but the innermost dim
    kOff += advance(desc, KEPT, kn - 1, kShape, kStrides);
  }
}

@inline function reduce_f32_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<f32, f64, f32>(REDUCE_sum, px, po, desc, scratch); return true;
    case REDUCE_max: reduceLoops<f32, f64, f32>(REDUCE_max, px, po, desc, scratch); return true;
    case REDUCE_min: reduceLoops<f32, f64, f32>(REDUCE_min, px, po, desc, scratch); return true;
    case REDUCE_and: reduceLoops<f32, i32, u8>(REDUCE_and, px, po, desc, scratch); return true;
    case REDUCE_or: reduceLoops<f32, i32, u8>(REDUCE_or, px, po, desc, scratch); return true;
  }
  return false;
}

@inline function reduce_f64_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<f64, f64, f64>(REDUCE_sum, px, po, desc, scratch); return true;
    case REDUCE_max: reduceLoops<f64, f64, f64>(REDUCE_max, px, po, desc, scratch); return true;
    case REDUCE_min: reduceLoops<f64, f64, f64>(REDUCE_min, px, po, desc, scratch); return true;
    case REDUCE_and: reduceLoops<f64, i32, u8>(REDUCE_and, px, po, desc, scratch); return true;
    case REDUCE_or: reduceLoops<f64, i32, u8>(REDUCE_or, px, po, desc, scratch); return true;
  }
  return false;
}

@inline function reduce_i32_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<i32, i32, i32>(REDUCE_sum, px, po, desc, scratch); return true;
    case REDUCE_prod: reduceLoops<i32, i32, i32>(REDUCE_prod, px, po, desc, scratch); return true;
    case REDUCE_max: reduceLoops<i32, i32, i32>(REDUCE_max, px, po, desc, scratch); return true;
    case REDUCE_min: reduceLoops<i32, i32, i32>(REDUCE_min, px, po, desc, scratch); return true;
    case REDUCE_and: reduceLoops<i32, i32, u8>(REDUCE_and, px, po, desc, scratch); return true;
    case REDUCE_or: reduceLoops<i32, i32, u8>(REDUCE_or, px, po, desc, scratch); return true;
  }
  return false;
}

/** and / or of 1-byte elements (bool, uint8, int8: non-zero is true). */
@inline function reduce_u8_impl(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  switch (type) {
    case REDUCE_and: reduceLoops<u8, i32, u8>(REDUCE_and, px, po, desc, scratch); return true;
    case REDUCE_or: reduceLoops<u8, i32, u8>(REDUCE_or, px, po, desc, scratch); return true;
  }
  return false;
}

export function reduce_f32(type: i32, px: usize, po: usize): bool {
  return reduce_f32_impl(type, px, po, DESC, SCRATCH);
}

/** As reduce_f32 with its own descriptor and scratch (reduceScratchBytes()), for threads. */
export function reduce_f32_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  return reduce_f32_impl(type, px, po, desc, scratch);
}

export function reduce_f64(type: i32, px: usize, po: usize): bool {
  return reduce_f64_impl(type, px, po, DESC, SCRATCH);
}

/** As reduce_f64 with its own descriptor and scratch (reduceScratchBytes()), for threads. */
export function reduce_f64_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  return reduce_f64_impl(type, px, po, desc, scratch);
}

export function reduce_i32(type: i32, px: usize, po: usize): bool {
  return reduce_i32_impl(type, px, po, DESC, SCRATCH);
}

/** As reduce_i32 with its own descriptor and scratch (reduceScratchBytes()), for threads. */
export function reduce_i32_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  return reduce_i32_impl(type, px, po, desc, scratch);
}

export function reduce_u8(type: i32, px: usize, po: usize): bool {
  return reduce_u8_impl(type, px, po, DESC, SCRATCH);
}

/** As reduce_u8 with its own descriptor and scratch (reduceScratchBytes()), for threads. */
export function reduce_u8_at(type: i32, px: usize, po: usize, desc: usize, scratch: usize): bool {
  return reduce_u8_impl(type, px, po, desc, scratch);
}

// ---- float32 sums over a contiguous range, multi-lane (not bit-identical to the reference) ----
// Each range is summed in double in 8 lanes (lane l takes elements i with i % 8 == l of the
// whole groups of 8), the lanes combined in a fixed order, the tail added last, then rounded
// to f32 once. The reference sums sequentially in double; both are double sums of the same
// n values, each within (n - 1) * 2^-53 * sum|x| of the exact sum, so (stated in
// backend/wasm/reduce.ts and tested):
//   |ours - reference| <= ulp32(max(|ours|, |reference|)) + 2 (n - 1) 2^-53 sum|x_i|
// i.e. within 1 ulp unless the sum cancels heavily. NaN / inf outcomes are the same.

@inline function lanesSum(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v128.load64_zero(q)));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.load64_zero(q + 8)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v128.load64_zero(q + 16)));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.load64_zero(q + 24)));
  }
  let t = 0.0;
  for (; i < n; i++) t += <f64>load<f32>(p + (<usize>i << 2));
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + t;
}

/** po[r] = f32(sum of the `len` contiguous f32 at px + r * rowStride elements), r < rows. */
export function sum_f32_rows(px: usize, rowStride: i32, rows: i32, len: i32, po: usize): void {
  for (let r = 0; r < rows; r++) store<f32>(po + (<usize>r << 2), <f32>lanesSum(at<f32>(px, r * rowStride), len));
}

/** pout[b] (f64) = double sum of elements [b * block, min(n, (b + 1) * block)) of the contiguous f32 at px. */
export function sum_f32_blocks(px: usize, n: i32, block: i32, pout: usize): void {
  let b = 0;
  for (let s = 0; s < n; s += block) {
    store<f64>(pout + (<usize>b << 3), lanesSum(at<f32>(px, s), min(block, n - s)));
    b++;
  }
}

// ---- ArgReduce: argmax / argmin along one axis ----
// Descriptor: [keptNd, keptShape, keptStrides, n, axisStride]; uint32 indices out, contiguous
// over the kept dimensions. Ties keep the first index; the first NaN wins and stays.

export const ARGREDUCE_argmax: i32 = 1;
export const ARGREDUCE_argmin: i32 = 2;

@inline function argLoops<T>(type: i32, px: usize, po: usize): void {
  const kn = word(0);
  const kShape = 1;
  const kStrides = 1 + kn;
  const n = word(1 + 2 * kn);
  const stride = word(2 + 2 * kn);
  let nOut = 1;
  for (let d = 0; d < kn; d++) nOut *= word(kShape + d);
  memory.fill(KEPT, 0, 64);
  let kOff = 0;
  for (let i = 0; i < nOut; i++) {
    let best = n > 0 ? load<T>(at<T>(px, kOff)) : <T>0;
    let bestK = 0;
    let p = kOff + stride;
    for (let k = 1; k < n; k++) {
      const v = load<T>(at<T>(px, p));
      let better: bool;
      if (isFloat<T>()) better = best == best && (v != v || (type == ARGREDUCE_argmax ? v > best : v < best));
      else better = type == ARGREDUCE_argmax ? v > best : v < best;
      if (better) {
        best = v;
        bestK = k;
      }
      p += stride;
    }
    store<u32>(po + (<usize>i << 2), bestK);
    kOff += advance(DESC, KEPT, kn, kShape, kStrides);
  }
}

export function argreduce_f32(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case ARGREDUCE_argmax: argLoops<f32>(ARGREDUCE_argmax, px, po); return true;
    case ARGREDUCE_argmin: argLoops<f32>(ARGREDUCE_argmin, px, po); return true;
  }
  return false;
}

export function argreduce_f64(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case ARGREDUCE_argmax: argLoops<f64>(ARGREDUCE_argmax, px, po); return true;
    case ARGREDUCE_argmin: argLoops<f64>(ARGREDUCE_argmin, px, po); return true;
  }
  return false;
}

export function argreduce_i32(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case ARGREDUCE_argmax: argLoops<i32>(ARGREDUCE_argmax, px, po); return true;
    case ARGREDUCE_argmin: argLoops<i32>(ARGREDUCE_argmin, px, po); return true;
  }
  return false;
}
