// Scan (cumsum / cumprod / cummax / cummin) along one axis, forward or reverse, inclusive or
// exclusive, for f32, f64 and i32. As in the reference, the running value has the output
// dtype and is rounded (f32) or wrapped (i32) at every step, so native arithmetic in T is
// exactly the reference's. Descriptor: [keptNd, keptShape, keptStridesIn, keptStridesOut, n,
// axisStrideIn, axisStrideOut].
import { word, at } from './layout';

export const SCAN_sum: i32 = 1;
export const SCAN_prod: i32 = 2;
export const SCAN_max: i32 = 3;
export const SCAN_min: i32 = 4;

const COUNT: usize = memory.data(4 * 16, 16);

@inline function scanInit<T>(type: i32): T {
  if (type == SCAN_sum) return <T>0;
  if (type == SCAN_prod) return <T>1;
  if (isFloat<T>()) return type == SCAN_max ? <T>-Infinity : <T>Infinity;
  return type == SCAN_max ? <T>i32.MIN_VALUE : <T>i32.MAX_VALUE;
}

@inline function scanStep<T>(type: i32, acc: T, b: T): T {
  if (type == SCAN_sum) return acc + b;
  if (type == SCAN_prod) return acc * b;
  // NaN propagates: once the running value is NaN it stays NaN
  if (isFloat<T>() && acc != acc) return acc;
  if (type == SCAN_max) return (isFloat<T>() && b != b) || b > acc ? b : acc;
  return (isFloat<T>() && b != b) || b < acc ? b : acc;
}

@inline function scanLoops<T>(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): void {
  const kn = word(0);
  const kShape = 1;
  const kIn = 1 + kn;
  const kOut = 1 + 2 * kn;
  const n = word(1 + 3 * kn);
  const sIn = word(2 + 3 * kn);
  const sOut = word(3 + 3 * kn);
  let lines = 1;
  for (let d = 0; d < kn; d++) lines *= word(kShape + d);
  memory.fill(COUNT, 0, 64);
  let offIn = 0;
  let offOut = 0;
  for (let l = 0; l < lines; l++) {
    let acc = scanInit<T>(type);
    let pin = offIn + (reverse ? (n - 1) * sIn : 0);
    let pout = offOut + (reverse ? (n - 1) * sOut : 0);
    const stepIn = reverse ? -sIn : sIn;
    const stepOut = reverse ? -sOut : sOut;
    for (let j = 0; j < n; j++) {
      const v = load<T>(at<T>(px, pin));
      if (inclusive) acc = scanStep<T>(type, acc, v);
      store<T>(at<T>(po, pout), acc);
      if (!inclusive) acc = scanStep<T>(type, acc, v);
      pin += stepIn;
      pout += stepOut;
    }
    // next line: advance the kept counters, moving both offsets
    for (let d = kn - 1; d >= 0; d--) {
      const size = word(kShape + d);
      const c = load<i32>(COUNT + (<usize>d << 2)) + 1;
      offIn += word(kIn + d);
      offOut += word(kOut + d);
      if (c < size) {
        store<i32>(COUNT + (<usize>d << 2), c);
        break;
      }
      store<i32>(COUNT + (<usize>d << 2), 0);
      offIn -= word(kIn + d) * size;
      offOut -= word(kOut + d) * size;
    }
  }
}

@inline function scanAny<T>(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  switch (type) {
    case SCAN_sum: scanLoops<T>(SCAN_sum, reverse, inclusive, px, po); return true;
    case SCAN_prod: scanLoops<T>(SCAN_prod, reverse, inclusive, px, po); return true;
    case SCAN_max: scanLoops<T>(SCAN_max, reverse, inclusive, px, po); return true;
    case SCAN_min: scanLoops<T>(SCAN_min, reverse, inclusive, px, po); return true;
  }
  return false;
}

export function scan_f32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanAny<f32>(type, reverse, inclusive, px, po);
}
export function scan_f64(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanAny<f64>(type, reverse, inclusive, px, po);
}
export function scan_i32(type: i32, reverse: bool, inclusive: bool, px: usize, po: usize): bool {
  return scanAny<i32>(type, reverse, inclusive, px, po);
}
