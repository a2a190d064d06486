// Gather and Scatter (the reference's reduced forms: see packages/core/src/primitives/indexing.ts).
// Index values of any integer dtype are read exactly, wrap once when negative, and one still
// out of range makes the kernel return an error code before it writes with it (the adapter
// then lets the reference kernel raise its RangeError). Gathers and 'none' scatters move raw
// storage units; the reducing scatters compute as the reference does on doubles (see below).
// MaskedScatter (at the end) copies rows of values into the positions a boolean mask selects.
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { decodeHalf, encodeHalf } from './half-double';

export const IDX_i8: i32 = 1;
export const IDX_u8: i32 = 2;
export const IDX_i16: i32 = 3;
export const IDX_u16: i32 = 4;
export const IDX_i32: i32 = 5;
export const IDX_u32: i32 = 6;
export const IDX_i64: i32 = 7;
export const IDX_u64: i32 = 8;

/** Sentinel of readIndex for a uint64 index too large for an i64 (always out of range). */
const HUGE: i64 = i64.MAX_VALUE;

@inline function readIndex(itype: i32, p: usize, off: i32): i64 {
  switch (itype) {
    case IDX_i8: return <i64>load<i8>(at<i8>(p, off));
    case IDX_u8: return <i64>load<u8>(at<u8>(p, off));
    case IDX_i16: return <i64>load<i16>(at<i16>(p, off));
    case IDX_u16: return <i64>load<u16>(at<u16>(p, off));
    case IDX_i32: return <i64>load<i32>(at<i32>(p, off));
    case IDX_u32: return <i64>load<u32>(at<u32>(p, off));
    case IDX_i64: return load<i64>(at<i64>(p, off));
    default: {
      const v = load<i64>(at<u64>(p, off));
      return v < 0 ? HUGE : v;
    }
  }
}

/** The index wrapped once into [0, size), or -1 when it is out of range. */
@inline function wrapIndex(v: i64, size: i32): i32 {
  const w = v < 0 ? v + <i64>size : v;
  return w >= 0 && w < <i64>size ? <i32>w : -1;
}

// ---- Gather ----------------------------------------------------------------------------------

/**
 * Adds wrap(idx[b]) * stride to bases[b] (i32 element offsets; `first`: bases start at 0) for
 * every b of the index array's shape. Descriptor: [nd, shape, idxStrides]. Returns 0, or 1 at
 * the first index out of range.
 */
export function gather_bases(itype: i32, pidx: usize, size: i32, stride: i32, pbases: usize, first: bool): i32 {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  const shape = wordAt(1);
  const ji = jumpTable(0);
  const rows = startDescWalk(last, 1);
  if (rows == 0 || n0 == 0) return 0;
  let oi = 0;
  let b: usize = pbases;
  for (let r = 0; r < rows; r++) {
    let ii = oi;
    for (let j = 0; j < n0; j++) {
      const w = wrapIndex(readIndex(itype, pidx, ii), size);
      if (w < 0) return 1;
      store<i32>(b, (first ? 0 : load<i32>(b)) + w * stride);
      b += 4;
      ii += s0;
    }
    oi += jump(ji, advance(shape, COUNTERS, last));
  }
  return 0;
}

@inline function gatherLoops<T>(pa: usize, pbases: usize, nb: i32, po: usize): void {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  const shape = wordAt(1);
  const js = jumpTable(0);
  // one walk per base; a finished walk leaves every counter at 0 again
  const rows = startDescWalk(last, 1);
  const slice = rows * n0;
  if (slice == 0) return;
  let o = po;
  if (slice == 1) {
    for (let b = 0; b < nb; b++) {
      store<T>(o, load<T>(at<T>(pa, load<i32>(pbases + (<usize>b << 2)))));
      o += sizeof<T>();
    }
    return;
  }
  for (let b = 0; b < nb; b++) {
    const base = load<i32>(pbases + (<usize>b << 2));
    if (rows == 1 && s0 == 1) {
      memory.copy(o, at<T>(pa, base), <usize>n0 * sizeof<T>());
      o += <usize>n0 * sizeof<T>();
      continue;
    }
    let os = base;
    for (let r = 0; r < rows; r++) {
      let is = os;
      for (let j = 0; j < n0; j++) {
        store<T>(o, load<T>(at<T>(pa, is)));
        o += sizeof<T>();
        is += s0;
      }
      os += jump(js, advance(shape, COUNTERS, last));
    }
  }
}

/**
 * out (contiguous) = for each b, the slice of a at element offset bases[b], walked with the
 * descriptor [nd, sliceShape, sliceStrides].
 */
export function gather_copy(width: i32, pa: usize, pbases: usize, nb: i32, po: usize): bool {
  switch (width) {
    case 1: gatherLoops<u8>(pa, pbases, nb, po); return true;
    case 2: gatherLoops<u16>(pa, pbases, nb, po); return true;
    case 4: gatherLoops<u32>(pa, pbases, nb, po); return true;
    case 8: gatherLoops<u64>(pa, pbases, nb, po); return true;
  }
  return false;
}

// ---- Scatter ---------------------------------------------------------------------------------

export const SCATTER_none: i32 = 0;
export const SCATTER_sum: i32 = 1;
export const SCATTER_prod: i32 = 2;
export const SCATTER_max: i32 = 3;
export const SCATTER_min: i32 = 4;

// Element kinds of the destination, for the reducing scatters.
export const SK_f32: i32 = 1;
export const SK_f64: i32 = 2;
export const SK_i8: i32 = 3;
export const SK_u8: i32 = 4;
export const SK_i16: i32 = 5;
export const SK_u16: i32 = 6;
export const SK_i32: i32 = 7;
export const SK_u32: i32 = 8;
export const SK_i64: i32 = 9;
export const SK_u64: i32 = 10;
export const SK_bool: i32 = 11;
export const SK_c64: i32 = 12;
export const SK_f16: i32 = 13;
export const SK_bf16: i32 = 14;

/**
 * The reference reads both values as doubles, combines them in double and stores the result
 * with a typed-array store. For f32 (sum, prod) one f32 operation rounds the same (the exact
 * double result of two f32 operands is rounded once either way); f64 is f64; integers of up
 * to 16 bits and i32/u32 sums are exact in double and wrap on store, as wrapping integer
 * arithmetic does; i32/u32 products are rounded doubles (inexact beyond 2^53) taken mod 2^32,
 * as the store does. 64-bit integers use bigints there: wrapping arithmetic. max/min:
 * `v > u ? v : u` (`<` for min), v the current value: a NaN update wins, a NaN already there
 * is replaced.
 */
@inline function combine<T>(reduce: i32, v: T, u: T): T {
  if (reduce == SCATTER_sum) return v + u;
  if (reduce == SCATTER_prod) {
    if (isFloat<T>() || sizeof<T>() == 8 || sizeof<T>() < 4) return v * u;
    // 32-bit integers: the product of the doubles, rounded, then mod 2^32
    const p = <f64>v * <f64>u;
    if (isSigned<T>()) return <T><i32><i64>p;
    return <T><u32><u64>p;
  }
  if (reduce == SCATTER_max) return v > u ? v : u;
  return v < u ? v : u;
}

// Element forms of a scatter's updates (constants after inlining, so each walk has one form).
const FORM_plain: i32 = 0; // raw units of T ('none'), or combine<T>
const FORM_bool: i32 = 1;
const FORM_half: i32 = 2;
const FORM_complex: i32 = 3;

/** Applies the update at `src` to the destination element at `dst`, in the given form. */
@inline function updateOne<T>(form: i32, reduce: i32, bf: bool, inf: u32, nan: u16, src: usize, dst: usize): void {
  if (form == FORM_bool) {
    // bool: values are 0/1 as numbers; sum and max are `or`, prod and min `and`; 'none' stores u != 0
    const u: u8 = load<u8>(src) != 0 ? 1 : 0;
    const v: u8 = load<u8>(dst) != 0 ? 1 : 0;
    let res: u8 = u;
    if (reduce == SCATTER_sum || reduce == SCATTER_max) res = v | u;
    else if (reduce == SCATTER_prod || reduce == SCATTER_min) res = v & u;
    store<u8>(dst, res);
  } else if (form == FORM_half) {
    // float16 / bfloat16: the reference decodes both values to doubles and encodes the result
    // again. 'none', 'max', 'min' keep every value but turn every NaN into the positive quiet
    // NaN (`nan`: 0x7e00 or 0x7fc0); `inf` is the bits of +infinity; max/min compare by the
    // sort order key (exact for non-NaN values, -0 equal to 0) with the reference's NaN rules.
    // 'sum' and 'prod' add / multiply the decoded doubles and round the double result once to
    // 16 bits (half-double.ts), as the reference's store does.
    const u = <u32>load<u16>(src);
    if (reduce == SCATTER_sum || reduce == SCATTER_prod) {
      const v = decodeHalf(bf, <u32>load<u16>(dst));
      const x = decodeHalf(bf, u);
      store<u16>(dst, <u16>encodeHalf(bf, reduce == SCATTER_sum ? v + x : v * x));
    } else {
      let res = u;
      if (reduce != SCATTER_none) {
        const v = <u32>load<u16>(dst);
        const uNaN = (u & 0x7fff) > inf;
        const vNaN = (v & 0x7fff) > inf;
        if (!uNaN && !vNaN) {
          const kv = order16(v);
          const ku = order16(u);
          if (reduce == SCATTER_max ? kv > ku : kv < ku) res = v;
        }
      }
      store<u16>(dst, (res & 0x7fff) > inf ? nan : <u16>res);
    }
  } else if (form == FORM_complex) {
    // complex64, as the reference computes it: sum per lane (one f32 rounding either way),
    // product in double then rounded per lane, max/min lexicographic (real, then imaginary
    // part), keeping the current value unless the update is strictly greater (max) / not
    // smaller and not equal (min)
    const ur = load<f32>(src);
    const ui = load<f32>(src + 4);
    const ar = load<f32>(dst);
    const ai = load<f32>(dst + 4);
    if (reduce == SCATTER_sum) {
      store<f32>(dst, ar + ur);
      store<f32>(dst + 4, ai + ui);
    } else if (reduce == SCATTER_prod) {
      const xr = <f64>ar, xi = <f64>ai, yr = <f64>ur, yi = <f64>ui;
      store<f32>(dst, <f32>(xr * yr - xi * yi));
      store<f32>(dst + 4, <f32>(xr * yi + xi * yr));
    } else {
      const greater = ur > ar || (ur == ar && ui > ai);
      const keepA = reduce == SCATTER_max ? !greater : greater || (ur == ar && ui == ai);
      if (!keepA) store<u64>(dst, load<u64>(src));
    }
  } else {
    const u = load<T>(src);
    if (reduce == SCATTER_none) store<T>(dst, u);
    else store<T>(dst, combine<T>(reduce, load<T>(dst), u));
  }
}

/**
 * Applies the updates (descriptor [nd, posShape, posStrides, updStrides]) in row-major order,
 * T being the destination's storage unit; returns 0, or 1 at the first index out of range.
 */
@inline function scatterWalk<T>(form: i32, reduce: i32, bf: bool, inf: u32, nan: u16, ptype: i32, ppos: usize, pu: usize, po: usize, n: i32): i32 {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const sp0 = word(1 + nd + last);
  const su0 = word(1 + 2 * nd + last);
  const shape = wordAt(1);
  const jp = jumpTable(0);
  const ju = jumpTable(1);
  const rows = startDescWalk(last, 2);
  if (rows == 0 || n0 == 0) return 0;
  let op = 0;
  let ou = 0;
  for (let r = 0; r < rows; r++) {
    let ip = op;
    let iu = ou;
    for (let j = 0; j < n0; j++) {
      const w = wrapIndex(readIndex(ptype, ppos, ip), n);
      if (w < 0) return 1;
      updateOne<T>(form, reduce, bf, inf, nan, at<T>(pu, iu), at<T>(po, w));
      ip += sp0;
      iu += su0;
    }
    const k = advance(shape, COUNTERS, last);
    op += jump(jp, k);
    ou += jump(ju, k);
  }
  return 0;
}

@inline function scatterLoops<T>(reduce: i32, ptype: i32, ppos: usize, pu: usize, po: usize, n: i32): i32 {
  return scatterWalk<T>(FORM_plain, reduce, false, 0, 0, ptype, ppos, pu, po, n);
}

/** Numeric order of non-NaN 16-bit float bits as an unsigned integer (-0 and 0 equal). */
@inline function order16(b: u32): u32 {
  if (b == 0x8000) b = 0;
  return ((b & 0x8000) != 0 ? ~b : b | 0x8000) & 0xffff;
}

@inline function scatterReduce<T>(reduce: i32, ptype: i32, ppos: usize, pu: usize, po: usize, n: i32): i32 {
  switch (reduce) {
    case SCATTER_sum: return scatterLoops<T>(SCATTER_sum, ptype, ppos, pu, po, n);
    case SCATTER_prod: return scatterLoops<T>(SCATTER_prod, ptype, ppos, pu, po, n);
    case SCATTER_max: return scatterLoops<T>(SCATTER_max, ptype, ppos, pu, po, n);
    case SCATTER_min: return scatterLoops<T>(SCATTER_min, ptype, ppos, pu, po, n);
  }
  return -1;
}

/**
 * Applies the updates (descriptor [nd, posShape, posStrides, updStrides]) in row-major order
 * to po (a contiguous copy of the input, n elements). 'none' moves raw units of `width` bytes
 * (kind ignored, except bool, which stores u != 0). Returns 0, 1 for an index out of range,
 * -1 when the kind/reduce pair has no kernel.
 */
export function scatter(reduce: i32, kind: i32, width: i32, ptype: i32, ppos: usize, pu: usize, po: usize, n: i32): i32 {
  if (kind == SK_bool) return scatterWalk<u8>(FORM_bool, reduce, false, 0, 0, ptype, ppos, pu, po, n);
  if (kind == SK_c64 && reduce != SCATTER_none) return scatterWalk<u64>(FORM_complex, reduce, false, 0, 0, ptype, ppos, pu, po, n);
  if (kind == SK_f16 || kind == SK_bf16) {
    const bf = kind == SK_bf16;
    const inf: u32 = bf ? 0x7f80 : 0x7c00;
    const nan: u16 = bf ? 0x7fc0 : 0x7e00;
    switch (reduce) {
      case SCATTER_none: return scatterWalk<u16>(FORM_half, SCATTER_none, bf, inf, nan, ptype, ppos, pu, po, n);
      case SCATTER_sum: return scatterWalk<u16>(FORM_half, SCATTER_sum, bf, inf, nan, ptype, ppos, pu, po, n);
      case SCATTER_prod: return scatterWalk<u16>(FORM_half, SCATTER_prod, bf, inf, nan, ptype, ppos, pu, po, n);
      case SCATTER_max: return scatterWalk<u16>(FORM_half, SCATTER_max, bf, inf, nan, ptype, ppos, pu, po, n);
      case SCATTER_min: return scatterWalk<u16>(FORM_half, SCATTER_min, bf, inf, nan, ptype, ppos, pu, po, n);
    }
    return -1;
  }
  if (reduce == SCATTER_none) {
    switch (width) {
      case 1: return scatterLoops<u8>(SCATTER_none, ptype, ppos, pu, po, n);
      case 2: return scatterLoops<u16>(SCATTER_none, ptype, ppos, pu, po, n);
      case 4: return scatterLoops<u32>(SCATTER_none, ptype, ppos, pu, po, n);
      case 8: return scatterLoops<u64>(SCATTER_none, ptype, ppos, pu, po, n);
    }
    return -1;
  }
  switch (kind) {
    case SK_f32: return scatterReduce<f32>(reduce, ptype, ppos, pu, po, n);
    case SK_f64: return scatterReduce<f64>(reduce, ptype, ppos, pu, po, n);
    case SK_i8: return scatterReduce<i8>(reduce, ptype, ppos, pu, po, n);
    case SK_u8: return scatterReduce<u8>(reduce, ptype, ppos, pu, po, n);
    case SK_i16: return scatterReduce<i16>(reduce, ptype, ppos, pu, po, n);
    case SK_u16: return scatterReduce<u16>(reduce, ptype, ppos, pu, po, n);
    case SK_i32: return scatterReduce<i32>(reduce, ptype, ppos, pu, po, n);
    case SK_u32: return scatterReduce<u32>(reduce, ptype, ppos, pu, po, n);
    case SK_i64: return scatterReduce<i64>(reduce, ptype, ppos, pu, po, n);
    case SK_u64: return scatterReduce<u64>(reduce, ptype, ppos, pu, po, n);
  }
  return -1;
}

// ---- MaskedScatter ---------------------------------------------------------------------------

/** Copies one row of values (descriptor [nd, rowShape, rowStrides], from element offset `base`) to contiguous `o`. */
@inline function copyRow<T>(pv: usize, base: i32, inner: i32, o: usize): void {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  if (inner == 1) {
    store<T>(o, load<T>(at<T>(pv, base)));
    return;
  }
  if (nd == 1 && s0 == 1) {
    memory.copy(o, at<T>(pv, base), <usize>n0 * sizeof<T>());
    return;
  }
  const shape = wordAt(1);
  const js = jumpTable(0);
  const rows = startDescWalk(last, 1);
  let os = base;
  for (let r = 0; r < rows; r++) {
    let is = os;
    for (let j = 0; j < n0; j++) {
      store<T>(o, load<T>(at<T>(pv, is)));
      o += sizeof<T>();
      is += s0;
    }
    os += jump(js, advance(shape, COUNTERS, last));
  }
}

@inline function maskedLoops<T>(pmask: usize, nmask: i32, pv: usize, rows: i32, vstride0: i32, inner: i32, po: usize): i32 {
  const rowBytes = <usize>inner * sizeof<T>();
  let k = 0;
  let p = 0;
  while (p < nmask) {
    const end = min(p + 16, nmask);
    // blocks of 16 unselected positions are skipped at once
    if (end - p == 16 && !v128.any_true(v128.load(pmask + <usize>p))) {
      p = end;
      continue;
    }
    if (inner == 1 && rows > 0) {
      // single elements: branch-free (a random mask would mispredict half the time); the row
      // index is clamped so that a position past the last row reads row rows-1 before failing
      for (; p < end; p++) {
        const sel = <i32>(load<u8>(pmask + <usize>p) != 0);
        if (sel & <i32>(k >= rows)) return 1;
        const dst = at<T>(po, p);
        store<T>(dst, select<T>(load<T>(at<T>(pv, min(k, rows - 1) * vstride0)), load<T>(dst), sel != 0));
        k += sel;
      }
      continue;
    }
    for (; p < end; p++) {
      if (load<u8>(pmask + <usize>p) == 0) continue;
      if (k >= rows) return 1;
      if (inner > 0) copyRow<T>(pv, k * vstride0, inner, po + <usize>p * rowBytes);
      k++;
    }
  }
  return 0;
}

/**
 * a[mask] = values on `po` (a contiguous copy of a): the k-th nonzero byte of the mask (nmask
 * bytes, contiguous, row-major) takes row k of values, `inner` elements of `width` bytes; row k
 * starts at element offset k * vstride0 and is walked with the descriptor [nd, rowShape,
 * rowStrides]. Returns 0, 1 when the mask selects more than `rows` rows (the reference's
 * RangeError; the rows before it are written), -1 for an unknown width.
 */
export function masked_scatter(width: i32, pmask: usize, nmask: i32, pv: usize, rows: i32, vstride0: i32, inner: i32, po: usize): i32 {
  switch (width) {
    case 1: return maskedLoops<u8>(pmask, nmask, pv, rows, vstride0, inner, po);
    case 2: return maskedLoops<u16>(pmask, nmask, pv, rows, vstride0, inner, po);
    case 4: return maskedLoops<u32>(pmask, nmask, pv, rows, vstride0, inner, po);
    case 8: return maskedLoops<u64>(pmask, nmask, pv, rows, vstride0, inner, po);
  }
  return -1;
}
