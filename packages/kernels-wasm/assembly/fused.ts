// Support for the fused Compiled kernel (packages/core/src/backend/wasm/compiled.ts): JS runs
// a chain of elementwise steps tile by tile with the ordinary elementwise kernels, keeping
// intermediates in a small scratch area; an input that is neither contiguous nor one scalar
// is first gathered, one tile at a time, into scratch by `gather_tile`.
import { word, at, wordAt, JUMPS, jumpTable, startWalk, advance, jump } from './layout';
import { expD, expV } from './math';
import {
  unary_f32, unary_f64, unary_i32, unary_i8, unary_u8, unary_i16, unary_u16, unary_u32,
  predicate_f32, predicate_f64, predicate_i32, predicate_i8, predicate_u8, predicate_i16, predicate_u16, predicate_u32,
  binary_f32, binary_f64, binary_i32, binary_i8, binary_u8, binary_i16, binary_u16, binary_u32,
  compare_f32, compare_f64, compare_i32, compare_i8, compare_u8, compare_i16, compare_u16, compare_u32,
} from './elementwise';

/** Per-dimension counters of gather_tile (its own, so it never disturbs other walkers'; its jump table lives only during a call). */
const GATHER_POS: usize = memory.data(4 * 32, 16);

@inline function gatherLoop<T>(src: usize, start: i32, count: i32, dst: usize): void {
  const nd = word(0);
  const last = nd - 1;
  const shape = wordAt(1);
  const js = jumpTable(0);
  // the jumps of the outer dimensions; the counters are set just below
  startWalk(shape, last, wordAt(1 + nd), nd, 1, JUMPS, GATHER_POS);
  // position of element `start` (row-major over the descriptor's shape), and its offset
  let rem = start;
  let off = 0;
  for (let d = last; d >= 0; d--) {
    const size = word(1 + d);
    const idx = rem % size;
    rem = rem / size;
    off += idx * word(1 + nd + d);
    store<i32>(GATHER_POS + (<usize>d << 2), idx);
  }
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  let j = load<i32>(GATHER_POS + (<usize>last << 2));
  let o = dst;
  let done = 0;
  while (done < count) {
    // the rest of the current innermost row
    let m = n0 - j;
    if (m > count - done) m = count - done;
    let ix = off;
    for (let i = 0; i < m; i++) {
      store<T>(o, load<T>(at<T>(src, ix)));
      o += sizeof<T>();
      ix += s0;
    }
    done += m;
    if (done >= count) break;
    // next row: back to the row's start, then the outer dimensions' step
    off -= j * s0;
    j = 0;
    off += jump(js, advance(shape, GATHER_POS, last));
  }
}


/**
 * Copies elements start..start+count-1 (row-major positions) of the strided array at `src`
 * (descriptor [ndim, shape, strides], element strides) to the contiguous `dst`.
 * `elemBytes` is 1, 2, 4 or 8; returns false for any other size.
 */
export function gather_tile(elemBytes: i32, src: usize, start: i32, count: i32, dst: usize): bool {
  switch (elemBytes) {
    case 1: gatherLoop<u8>(src, start, count, dst); return true;
    case 2: gatherLoop<u16>(src, start, count, dst); return true;
    case 4: gatherLoop<u32>(src, start, count, dst); return true;
    case 8: gatherLoop<u64>(src, start, count, dst); return true;
  }
  return false;
}

// ---- a whole fused chain in WASM, over a range of elements (one call per thread) ----
//
// Program (i32 words at `prog`, written by compiled.ts):
//   [nValues, nSteps, tile,
//    per value: base address, element size, kind (0: contiguous, 1: one scalar, 2: scratch tile
//               number `base`, 3: contiguous output),
//    per step:  family (0 unary, 1 predicate, 2 binary, 3 compare), dtype code (SFX_*), op,
//               input 0, input 1 (-1 for unary), output value]
// `scratch`: this call's own scratch tiles (tile * 8 bytes each), so calls may run in parallel.
// Steps are the same kernel calls the unfused adapters make (modes 0-2), tile by tile.

export const SFX_f32: i32 = 0;
export const SFX_f64: i32 = 1;
export const SFX_i32: i32 = 2;
export const SFX_i8: i32 = 3;
export const SFX_u8: i32 = 4;
export const SFX_i16: i32 = 5;
export const SFX_u16: i32 = 6;
export const SFX_u32: i32 = 7;

@inline function pw(prog: usize, i: i32): i32 {
  return load<i32>(prog + (<usize>i << 2));
}

function callUnary(pred: bool, sfx: i32, op: i32, px: usize, po: usize, n: i32): bool {
  if (pred) {
    switch (sfx) {
      case SFX_f32: return predicate_f32(op, false, px, po, n);
      case SFX_f64: return predicate_f64(op, false, px, po, n);
      case SFX_i32: return predicate_i32(op, false, px, po, n);
      case SFX_i8: return predicate_i8(op, false, px, po, n);
      case SFX_u8: return predicate_u8(op, false, px, po, n);
      case SFX_i16: return predicate_i16(op, false, px, po, n);
      case SFX_u16: return predicate_u16(op, false, px, po, n);
      case SFX_u32: return predicate_u32(op, false, px, po, n);
    }
    return false;
  }
  switch (sfx) {
    case SFX_f32: return unary_f32(op, false, px, po, n);
    case SFX_f64: return unary_f64(op, false, px, po, n);
    case SFX_i32: return unary_i32(op, false, px, po, n);
    case SFX_i8: return unary_i8(op, false, px, po, n);
    case SFX_u8: return unary_u8(op, false, px, po, n);
    case SFX_i16: return unary_i16(op, false, px, po, n);
    case SFX_u16: return unary_u16(op, false, px, po, n);
    case SFX_u32: return unary_u32(op, false, px, po, n);
  }
  return false;
}

function callBinary(cmp: bool, sfx: i32, op: i32, mode: i32, pa: usize, pb: usize, po: usize, n: i32): bool {
  if (cmp) {
    switch (sfx) {
      case SFX_f32: return compare_f32(op, mode, pa, pb, po, n);
      case SFX_f64: return compare_f64(op, mode, pa, pb, po, n);
      case SFX_i32: return compare_i32(op, mode, pa, pb, po, n);
      case SFX_i8: return compare_i8(op, mode, pa, pb, po, n);
      case SFX_u8: return compare_u8(op, mode, pa, pb, po, n);
      case SFX_i16: return compare_i16(op, mode, pa, pb, po, n);
      case SFX_u16: return compare_u16(op, mode, pa, pb, po, n);
      case SFX_u32: return compare_u32(op, mode, pa, pb, po, n);
    }
    return false;
  }
  switch (sfx) {
    case SFX_f32: return binary_f32(op, mode, pa, pb, po, n);
    case SFX_f64: return binary_f64(op, mode, pa, pb, po, n);
    case SFX_i32: return binary_i32(op, mode, pa, pb, po, n);
    case SFX_i8: return binary_i8(op, mode, pa, pb, po, n);
    case SFX_u8: return binary_u8(op, mode, pa, pb, po, n);
    case SFX_i16: return binary_i16(op, mode, pa, pb, po, n);
    case SFX_u16: return binary_u16(op, mode, pa, pb, po, n);
    case SFX_u32: return binary_u32(op, mode, pa, pb, po, n);
  }
  return false;
}

/** Address of value v's tile starting at element `start`. */
@inline function tileAddress(prog: usize, v: i32, start: i32, scratch: usize, tile: i32): usize {
  const w = 3 + 3 * v;
  const base = pw(prog, w);
  const size = pw(prog, w + 1);
  const kind = pw(prog, w + 2);
  if (kind == 1) return <usize>base;
  if (kind == 2) return scratch + <usize>base * <usize>tile * 8;
  return <usize>base + <usize>start * <usize>size;
}

/** Runs the program over elements [start, end); false if a step's kernel declined. */
export function fused_run(prog: usize, start: i32, end: i32, scratch: usize): bool {
  const nValues = pw(prog, 0);
  const nSteps = pw(prog, 1);
  const tile = pw(prog, 2);
  const steps = 3 + 3 * nValues;
  for (let s = start; s < end; s += tile) {
    const count = min(tile, end - s);
    for (let i = 0; i < nSteps; i++) {
      const w = steps + 6 * i;
      const family = pw(prog, w);
      const sfx = pw(prog, w + 1);
      const op = pw(prog, w + 2);
      const a = pw(prog, w + 3);
      const b = pw(prog, w + 4);
      const po = tileAddress(prog, pw(prog, w + 5), s, scratch, tile);
      const pa = tileAddress(prog, a, s, scratch, tile);
      let ok: bool;
      if (family < 2) ok = callUnary(family == 1, sfx, op, pa, po, count);
      else {
        const aScalar = pw(prog, 3 + 3 * a + 2) == 1;
        const bScalar = pw(prog, 3 + 3 * b + 2) == 1;
        ok = callBinary(family == 3, sfx, op, aScalar ? 2 : bScalar ? 1 : 0, pa, tileAddress(prog, b, s, scratch, tile), po, count);
      }
      if (!ok) return false;
    }
  }
  return true;
}

// ---- probes of the native double functions, for tests (math.ts) ----

/** expD over n doubles: f64x2 lanes when `simd`, else the scalar form. */
export function math_exp_f64(simd: bool, px: usize, po: usize, n: i32): void {
  let i = 0;
  if (simd) {
    for (; i + 2 <= n; i += 2) v128.store(po + (<usize>i << 3), expV(v128.load(px + (<usize>i << 3))));
  }
  for (; i < n; i++) store<f64>(po + (<usize>i << 3), expD(load<f64>(px + (<usize>i << 3))));
}
