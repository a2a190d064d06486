// Sort / ArgSort (and Partition / ArgPartition, which the reference does as the same full
// sort) along one axis, every dtype. The reference sorts each line stably with NaN last (every
// NaN equal to every NaN, whatever its sign or payload), -0 equal to 0, 64-bit integers as
// bigints (signed or unsigned), complex64 by real part then imaginary part. Here each element
// gets an unsigned 64-bit key whose unsigned order is exactly that order (equal keys for equal
// elements), and a stable sort (merge sort; LSD radix sort for long lines) orders (key,
// position) pairs, so ties keep their order.
// Values are moved as raw storage units. Descriptor: as Scan's, [keptNd, keptShape,
// keptStridesIn, keptStridesOut, n, axisStrideIn, axisStrideOut].
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';

export const SORTKEY_f32: i32 = 1;
export const SORTKEY_f64: i32 = 2;
export const SORTKEY_f16: i32 = 3;
export const SORTKEY_bf16: i32 = 4;
export const SORTKEY_i8: i32 = 5;
export const SORTKEY_u8: i32 = 6;
export const SORTKEY_i16: i32 = 7;
export const SORTKEY_u16: i32 = 8;
export const SORTKEY_i32: i32 = 9;
export const SORTKEY_u32: i32 = 10;
export const SORTKEY_i64: i32 = 11;
export const SORTKEY_u64: i32 = 12;
export const SORTKEY_c64: i32 = 13;

/** Order key of float32 bits: NaN last (all equal), -0 = +0, otherwise the numeric order. */
@inline function keyF32(b: u32): u64 {
  if ((b & 0x7fffffff) > 0x7f800000) return 0xffffffff;
  if (b == 0x80000000) b = 0;
  return <u64>((b & 0x80000000) != 0 ? ~b : b | 0x80000000);
}

@inline function keyF64(b: u64): u64 {
  if ((b & 0x7fffffffffffffff) > 0x7ff0000000000000) return 0xffffffffffffffff;
  if (b == 0x8000000000000000) b = 0;
  return (b & 0x8000000000000000) != 0 ? ~b : b | 0x8000000000000000;
}

/** 16-bit floats: `inf` is the bits of +infinity (0x7c00 for float16, 0x7f80 for bfloat16). */
@inline function key16(b: u32, inf: u32): u64 {
  if ((b & 0x7fff) > inf) return 0xffff;
  if (b == 0x8000) b = 0;
  return <u64>(((b & 0x8000) != 0 ? ~b : b | 0x8000) & 0xffff);
}

@inline function keyOf(key: i32, p: usize): u64 {
  switch (key) {
    case SORTKEY_f32: return keyF32(load<u32>(p));
    case SORTKEY_f64: return keyF64(load<u64>(p));
    case SORTKEY_f16: return key16(load<u16>(p), 0x7c00);
    case SORTKEY_bf16: return key16(load<u16>(p), 0x7f80);
    case SORTKEY_i8: return <u64>(load<u8>(p) ^ 0x80);
    case SORTKEY_u8: return <u64>load<u8>(p);
    case SORTKEY_i16: return <u64>(load<u16>(p) ^ 0x8000);
    case SORTKEY_u16: return <u64>load<u16>(p);
    case SORTKEY_i32: return <u64>(load<u32>(p) ^ 0x80000000);
    case SORTKEY_u32: return <u64>load<u32>(p);
    case SORTKEY_i64: return load<u64>(p) ^ 0x8000000000000000;
    case SORTKEY_u64: return load<u64>(p);
    default: return (keyF32(load<u32>(p)) << 32) | keyF32(load<u32>(p + 4));
  }
}

const RUN: i32 = 24;

/**
 * Stable sort of n (key, index) pairs: keys at pk, indices at pi, scratch pk2 / pi2 of the
 * same sizes. Returns 0 when the result is in (pk, pi), 1 when it is in (pk2, pi2).
 */
function mergeSort(pk: usize, pi: usize, pk2: usize, pi2: usize, n: i32): i32 {
  // insertion sort of runs of RUN elements (stable: shift only past strictly greater keys)
  for (let s = 0; s < n; s += RUN) {
    const e = min(s + RUN, n);
    for (let i = s + 1; i < e; i++) {
      const k = load<u64>(pk + (<usize>i << 3));
      const x = load<u32>(pi + (<usize>i << 2));
      let j = i - 1;
      while (j >= s && load<u64>(pk + (<usize>j << 3)) > k) {
        store<u64>(pk + (<usize>(j + 1) << 3), load<u64>(pk + (<usize>j << 3)));
        store<u32>(pi + (<usize>(j + 1) << 2), load<u32>(pi + (<usize>j << 2)));
        j--;
      }
      store<u64>(pk + (<usize>(j + 1) << 3), k);
      store<u32>(pi + (<usize>(j + 1) << 2), x);
    }
  }
  let srcK = pk, srcI = pi, dstK = pk2, dstI = pi2;
  let flipped = 0;
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo = 0; lo < n; lo += w << 1) {
      const mid = min(lo + w, n);
      const hi = min(lo + (w << 1), n);
      let a = lo, b = mid, o = lo;
      if (mid >= hi || load<u64>(srcK + (<usize>(mid - 1) << 3)) <= load<u64>(srcK + (<usize>mid << 3))) {
        // already in order (or a lone run): copy through
        memory.copy(dstK + (<usize>lo << 3), srcK + (<usize>lo << 3), <usize>(hi - lo) << 3);
        memory.copy(dstI + (<usize>lo << 2), srcI + (<usize>lo << 2), <usize>(hi - lo) << 2);
        continue;
      }
      while (a < mid && b < hi) {
        const ka = load<u64>(srcK + (<usize>a << 3));
        const kb = load<u64>(srcK + (<usize>b << 3));
        if (ka <= kb) {
          store<u64>(dstK + (<usize>o << 3), ka);
          store<u32>(dstI + (<usize>o << 2), load<u32>(srcI + (<usize>a << 2)));
          a++;
        } else {
          store<u64>(dstK + (<usize>o << 3), kb);
          store<u32>(dstI + (<usize>o << 2), load<u32>(srcI + (<usize>b << 2)));
          b++;
        }
        o++;
      }
      if (a < mid) {
        memory.copy(dstK + (<usize>o << 3), srcK + (<usize>a << 3), <usize>(mid - a) << 3);
        memory.copy(dstI + (<usize>o << 2), srcI + (<usize>a << 2), <usize>(mid - a) << 2);
      } else if (b < hi) {
        memory.copy(dstK + (<usize>o << 3), srcK + (<usize>b << 3), <usize>(hi - b) << 3);
        memory.copy(dstI + (<usize>o << 2), srcI + (<usize>b << 2), <usize>(hi - b) << 2);
      }
    }
    const tk = srcK; srcK = dstK; dstK = tk;
    const ti = srcI; srcI = dstI; dstI = ti;
    flipped ^= 1;
  }
  return flipped;
}

/** Byte histograms of the keys: 8 x 256 counts. */
const HIST: usize = memory.data(8 * 256 * 4, 16);

/** Lines at least this long are radix sorted. */
const RADIX_MIN: i32 = 256;

/**
 * Stable LSD radix sort of the (key, index) pairs, one pass per key byte that isn't the same
 * in every key. Same contract as mergeSort (and, being stable, the same result).
 */
function radixSort(pk: usize, pi: usize, pk2: usize, pi2: usize, n: i32): i32 {
  memory.fill(HIST, 0, 8 * 256 * 4);
  for (let i = 0; i < n; i++) {
    let k = load<u64>(pk + (<usize>i << 3));
    for (let b = 0; b < 8; b++) {
      const h = HIST + (<usize>((b << 8) | <i32>(k & 0xff)) << 2);
      store<i32>(h, load<i32>(h) + 1);
      k >>= 8;
    }
  }
  let srcK = pk, srcI = pi, dstK = pk2, dstI = pi2;
  let flipped = 0;
  for (let b = 0; b < 8; b++) {
    const hb = HIST + (<usize>(b << 8) << 2);
    // a byte equal in every key orders nothing: skip the pass
    let trivial = false;
    for (let v = 0; v < 256; v++) {
      const c = load<i32>(hb + (<usize>v << 2));
      if (c == n) trivial = true;
      if (c != 0) break;
    }
    if (trivial) continue;
    // counts -> start offsets
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      const h = hb + (<usize>v << 2);
      const c = load<i32>(h);
      store<i32>(h, sum);
      sum += c;
    }
    const shift = <u64>(b << 3);
    for (let i = 0; i < n; i++) {
      const k = load<u64>(srcK + (<usize>i << 3));
      const h = hb + (<usize>(<i32>((k >> shift) & 0xff)) << 2);
      const o = load<i32>(h);
      store<i32>(h, o + 1);
      store<u64>(dstK + (<usize>o << 3), k);
      store<u32>(dstI + (<usize>o << 2), load<u32>(srcI + (<usize>i << 2)));
    }
    const tk = srcK; srcK = dstK; dstK = tk;
    const ti = srcI; srcI = dstI; dstI = ti;
    flipped ^= 1;
  }
  return flipped;
}

@inline function moveLine<T>(pin: usize, sIn: i32, pout: usize, sOut: i32, perm: usize, n: i32): void {
  for (let j = 0; j < n; j++) {
    const p = <i32>load<u32>(perm + (<usize>j << 2));
    store<T>(at<T>(pout, j * sOut), load<T>(at<T>(pin, p * sIn)));
  }
}

/**
 * Sorts every line. `indices`: write the permutation as uint32 (ArgSort) instead of the values
 * (elements of `width` bytes). Scratch: 24 * n bytes, 8-byte aligned.
 */
export function sort_lines(key: i32, width: i32, indices: bool, px: usize, po: usize, scratch: usize): bool {
  const kn = word(0);
  const kShape = 1;
  const kIn = 1 + kn;
  const kOut = 1 + 2 * kn;
  const n = word(1 + 3 * kn);
  const sIn = word(2 + 3 * kn);
  const sOut = word(3 + 3 * kn);
  const pk = scratch;
  const pk2 = scratch + (<usize>n << 3);
  const pi = scratch + (<usize>n << 4);
  const pi2 = pi + (<usize>n << 2);
  const shape = wordAt(kShape);
  const jIn = jumpTable(0);
  const jOut = jumpTable(1);
  const lines = startDescWalk(kn, 2);
  let offIn = 0;
  let offOut = 0;
  for (let l = 0; l < lines; l++) {
    const lineIn = px + <usize>(offIn * width);
    for (let j = 0; j < n; j++) {
      store<u64>(pk + (<usize>j << 3), keyOf(key, lineIn + <usize>(j * sIn * width)));
      store<u32>(pi + (<usize>j << 2), <u32>j);
    }
    const perm = (n >= RADIX_MIN ? radixSort(pk, pi, pk2, pi2, n) : mergeSort(pk, pi, pk2, pi2, n)) ? pi2 : pi;
    if (indices) {
      const lo = at<u32>(po, offOut);
      for (let j = 0; j < n; j++) store<u32>(at<u32>(lo, j * sOut), load<u32>(perm + (<usize>j << 2)));
    } else {
      switch (width) {
        case 1: moveLine<u8>(lineIn, sIn, at<u8>(po, offOut), sOut, perm, n); break;
        case 2: moveLine<u16>(lineIn, sIn, at<u16>(po, offOut), sOut, perm, n); break;
        case 4: moveLine<u32>(lineIn, sIn, at<u32>(po, offOut), sOut, perm, n); break;
        default: moveLine<u64>(lineIn, sIn, at<u64>(po, offOut), sOut, perm, n); break;
      }
    }
    const k = advance(shape, COUNTERS, kn);
    offIn += jump(jIn, k);
    offOut += jump(jOut, k);
  }
  return true;
}
