// Reduce over any axes, in the reference's order: every output accumulates its elements one
// after another in row-major order of the reduced coordinates. Floats (f32, f64): sum / max /
// min in double, rounded to the output dtype once (a tree or multi-lane sum would be faster
// but not bit-identical). int32: sum / prod / max / min wrapping at every step as C does.
// and / or of f32, f64, i32 and 1-byte (bool, u8, i8) inputs into bool.
//
// Descriptor: [keptNd, redNd, keptShape, keptStrides, redShape, redStrides], nd >= 1 each.
// Outputs are contiguous in row-major order of the kept dimensions.
import { word, at } from './layout';

export const REDUCE_sum: i32 = 1;
export const REDUCE_max: i32 = 2;
export const REDUCE_min: i32 = 3;
export const REDUCE_prod: i32 = 4;
export const REDUCE_and: i32 = 5;
export const REDUCE_or: i32 = 6;

/** Outputs accumulated together when the kept innermost dimension is contiguous. */
const CHUNK: i32 = 256;
const ACC: usize = memory.data(CHUNK * 8, 16);
// accumulators are f64 or i32; ACC is read with the accumulator's own width
const KEPT: usize = memory.data(4 * 16, 16);
const RED: usize = memory.data(4 * 16, 16);

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
@inline function advance(cnt: usize, nd: i32, shapeAt: i32, stridesAt: i32): i32 {
  let delta = 0;
  for (let d = nd - 1; d >= 0; d--) {
    const size = word(shapeAt + d);
    const stride = word(stridesAt + d);
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
@inline function reduceLoops<T, A, O>(type: i32, px: usize, po: usize): void {
  const kn = word(0);
  const rn = word(1);
  const kShape = 2;
  const kStrides = 2 + kn;
  const rShape = 2 + 2 * kn;
  const rStrides = 2 + 2 * kn + rn;
  let nOut = 1;
  for (let d = 0; d < kn; d++) nOut *= word(kShape + d);
  let nRed = 1;
  for (let d = 0; d < rn; d++) nRed *= word(rShape + d);
  if (nOut == 0) return;
  // The reference's integer max / min start from -inf / +inf in a double, which an empty
  // reduction stores into int32 as 0.
  const emptyIntMinMax = !isFloat<A>() && nRed == 0 && (type == REDUCE_max || type == REDUCE_min);
  // The tight loop runs over the innermost reduced dimension; the rest use counters.
  const r0 = word(rShape + rn - 1);
  const rs0 = word(rStrides + rn - 1);
  const rOuter = r0 == 0 ? 0 : nRed / r0;
  const k0 = word(kShape + kn - 1);
  const acrossOutputs = word(kStrides + kn - 1) == 1 && k0 >= 4 && rs0 != 1;
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
        rOff += advance(RED, rn - 1, rShape, rStrides);
      }
      store<O>(o, <O>acc);
      o += sizeof<O>();
      kOff += advance(KEPT, kn, kShape, kStrides);
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
        rOff += advance(RED, rn, rShape, rStrides);
      }
      for (let j = 0; j < len; j++) store<O>(at<O>(o, j), <O>load<A>(ACC + (<usize>j << alignof<A>())));
      o += <usize>len << alignof<O>();
    }
    // next row of outputs: step the kept counters over everything but the innermost dim
    kOff += advance(KEPT, kn - 1, kShape, kStrides);
  }
}

export function reduce_f32(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<f32, f64, f32>(REDUCE_sum, px, po); return true;
    case REDUCE_max: reduceLoops<f32, f64, f32>(REDUCE_max, px, po); return true;
    case REDUCE_min: reduceLoops<f32, f64, f32>(REDUCE_min, px, po); return true;
    case REDUCE_and: reduceLoops<f32, i32, u8>(REDUCE_and, px, po); return true;
    case REDUCE_or: reduceLoops<f32, i32, u8>(REDUCE_or, px, po); return true;
  }
  return false;
}

export function reduce_f64(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<f64, f64, f64>(REDUCE_sum, px, po); return true;
    case REDUCE_max: reduceLoops<f64, f64, f64>(REDUCE_max, px, po); return true;
    case REDUCE_min: reduceLoops<f64, f64, f64>(REDUCE_min, px, po); return true;
    case REDUCE_and: reduceLoops<f64, i32, u8>(REDUCE_and, px, po); return true;
    case REDUCE_or: reduceLoops<f64, i32, u8>(REDUCE_or, px, po); return true;
  }
  return false;
}

export function reduce_i32(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case REDUCE_sum: reduceLoops<i32, i32, i32>(REDUCE_sum, px, po); return true;
    case REDUCE_prod: reduceLoops<i32, i32, i32>(REDUCE_prod, px, po); return true;
    case REDUCE_max: reduceLoops<i32, i32, i32>(REDUCE_max, px, po); return true;
    case REDUCE_min: reduceLoops<i32, i32, i32>(REDUCE_min, px, po); return true;
    case REDUCE_and: reduceLoops<i32, i32, u8>(REDUCE_and, px, po); return true;
    case REDUCE_or: reduceLoops<i32, i32, u8>(REDUCE_or, px, po); return true;
  }
  return false;
}

/** and / or of 1-byte elements (bool, uint8, int8: non-zero is true). */
export function reduce_u8(type: i32, px: usize, po: usize): bool {
  switch (type) {
    case REDUCE_and: reduceLoops<u8, i32, u8>(REDUCE_and, px, po); return true;
    case REDUCE_or: reduceLoops<u8, i32, u8>(REDUCE_or, px, po); return true;
  }
  return false;
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
    kOff += advance(KEPT, kn, kShape, kStrides);
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
