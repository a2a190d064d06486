// Data movement: strided copies of raw storage units (Concatenate's slabs, Scatter's copy of
// its input) and Arange. Copies move bits (any dtype by element width: 1, 2, 4, 8 bytes).
// Descriptor of copy_strided: [nd, shape, srcStrides, dstStrides] (elements, i32).
import { word, at, DESC, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { decodeHalf, encodeHalf } from './half-double';

@inline function copyLoops<T>(ps: usize, pd: usize): void {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const ss0 = word(1 + nd + last);
  const sd0 = word(1 + 2 * nd + last);
  const shape = wordAt(1);
  const js = jumpTable(0);
  const jd = jumpTable(1);
  const rows = startDescWalk(last, 2);
  if (rows == 0 || n0 == 0) return;
  let os = 0;
  let od = 0;
  const contiguous = ss0 == 1 && sd0 == 1;
  for (let r = 0; r < rows; r++) {
    if (contiguous) {
      memory.copy(at<T>(pd, od), at<T>(ps, os), <usize>n0 * sizeof<T>());
    } else {
      let is = os;
      let id = od;
      for (let j = 0; j < n0; j++) {
        store<T>(at<T>(pd, id), load<T>(at<T>(ps, is)));
        is += ss0;
        id += sd0;
      }
    }
    const k = advance(shape, COUNTERS, last);
    os += jump(js, k);
    od += jump(jd, k);
  }
}

/** Copies every element of the descriptor's shape from ps (src strides) to pd (dst strides). */
export function copy_strided(width: i32, ps: usize, pd: usize): bool {
  switch (width) {
    case 1: copyLoops<u8>(ps, pd); return true;
    case 2: copyLoops<u16>(ps, pd); return true;
    case 4: copyLoops<u32>(ps, pd); return true;
    case 8: copyLoops<u64>(ps, pd); return true;
  }
  return false;
}

// Arange: value = start; value = value + step, rounded (floats) or wrapped (integers) to the
// dtype at every step; JS passes start and step already cast to the dtype, as the reference
// computes them. Integers of up to 32 bits wrap like i32 and store their low bytes (stores
// of a double into an Int8Array etc. take the value mod 2^bits, which this matches).

export function arange_f32(v0: f32, st: f32, n: i32, po: usize): void {
  let v = v0;
  for (let i = 0; i < n; i++) {
    store<f32>(po + (<usize>i << 2), v);
    v = v + st;
  }
}

export function arange_f64(v0: f64, st: f64, n: i32, po: usize): void {
  let v = v0;
  for (let i = 0; i < n; i++) {
    store<f64>(po + (<usize>i << 3), v);
    v = v + st;
  }
}

export function arange_int(width: i32, v0: i32, st: i32, n: i32, po: usize): bool {
  let v = v0;
  switch (width) {
    case 1:
      for (let i = 0; i < n; i++, v += st) store<u8>(po + <usize>i, <u8>v);
      return true;
    case 2:
      for (let i = 0; i < n; i++, v += st) store<u16>(po + (<usize>i << 1), <u16>v);
      return true;
    case 4:
      for (let i = 0; i < n; i++, v += st) store<i32>(po + (<usize>i << 2), v);
      return true;
  }
  return false;
}

/**
 * float16 / bfloat16 (`bf`): the reference's double sum rounded once to 16 bits at every step
 * (v0 and st arrive as decoded 16-bit values; the running value is decoded again after each
 * rounding, so a NaN becomes the canonical NaN as it does there).
 */
export function arange_f16(bf: bool, v0: f64, st: f64, n: i32, po: usize): void {
  let v = v0;
  for (let i = 0; i < n; i++) {
    store<u16>(po + (<usize>i << 1), <u16>encodeHalf(bf, v));
    v = decodeHalf(bf, encodeHalf(bf, v + st));
  }
}

/** complex64: the float32 sequence in the real lanes, imaginary lanes 0. */
export function arange_c64(v0: f32, st: f32, n: i32, po: usize): void {
  let v = v0;
  for (let i = 0; i < n; i++) {
    store<f32>(po + (<usize>i << 3), v);
    store<f32>(po + (<usize>i << 3) + 4, 0);
    v = v + st;
  }
}

/**
 * bool: the reference's running value is (value + step) != 0, so after the first element it is
 * constant: v0 again when the step is 0, else 1 (both are 0 or 1 here).
 */
export function arange_bool(v0: i32, st: i32, n: i32, po: usize): void {
  if (n <= 0) return;
  store<u8>(po, <u8>v0);
  memory.fill(po + 1, <u8>(st != 0 ? 1 : v0), <usize>(n - 1));
}

/** 64-bit integers: start and step (mod 2^64) in DESC[0..1] and DESC[2..3]. */
export function arange_i64(n: i32, po: usize): void {
  let v = load<i64>(DESC);
  const st = load<i64>(DESC + 8);
  for (let i = 0; i < n; i++, v += st) store<i64>(po + (<usize>i << 3), v);
}
