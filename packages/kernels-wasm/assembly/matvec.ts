// Skinny float32 matmul (M <= 16 rows): out (M x N, row stride ldo) = A (M x K) @ B (K x N),
// for columns [j0, j1) only, so that threads split N and each writes its own part of every
// output row. The weight B is read from memory once for all M rows, in place (no packing):
//
// - matvec_f32_dot, B with unit k stride (sbk == 1: a Linear layer's W.T, B[k, n] = W[n, k]):
//   every output is a dot product of an A row with a contiguous B column. Two columns at a
//   time: up to 4 A rows, one block with its sums in registers throughout (dot2x4: 8
//   accumulators, 6 loads per 8 multiply-adds); more, blocks of 4 rows (the last one the rows
//   left) take turns over them, DOT_CHUNK steps each (runBlock; the first block reads
//   the columns from memory, the others from L1, so the stream never waits a whole block), k's
//   two halves in turns (four streams from memory); lanes keep partial sums that are added at
//   the end. A must have unit k stride (the adapter packs it if not), and its blocks also come
//   packed in the order they are read (matvec_pack_a_blocks: one pointer, every load of A at an
//   immediate offset).
//   One A row (decoding): eight columns a pass (dot8x1), so that A, which the streamed weights
//   evict to L2, is loaded once per eight weight vectors. Two A rows: four columns a pass (dot4x2).
// - matvec_f32_axpy, B with unit n stride (sbn == 1: W as stored, K x N row-major): B rows are
//   scaled by A's values and added to the output rows, in k order. Two or more A rows: strips of
//   16 columns of two output rows are held in registers while 8 B rows are added (each weight
//   vector loaded once for both rows, A's values from a copy splat to vectors, in pairs:
//   matvec_pack_a_pairs), the rows' chunks in L2.
//   One A row: eight B rows a pass (axpy8), the output row's chunk in L1.
//
// f32 products and sums, in another order than the reference's double sums, within the same
// bound as matmul_f32 (any summation order of K products keeps |ours - exact| <= K * u * S):
//   |ours - reference| <= (K + 2) * 2^-24 * S + K * 2^-149,  S = sum_k |a_ik * b_kj|.
// The FMA set (assembly/fma.ts) fuses each multiply-add of the vector loops (one rounding
// per step instead of two): within the same bound.
// No static scratch: threads run disjoint column ranges at once.
import { at } from './layout';
import { madd } from './fma';
import { halfToF64 } from './half-double';

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** A (M x K, strides sam/sak) copied to dst with unit k stride (row stride K): rows for matvec_f32_dot. */
export function matvec_pack_a_f32(pa: usize, M: i32, K: i32, sam: i32, sak: i32, dst: usize): void {
  let d = dst;
  for (let m = 0; m < M; m++) {
    let off = m * sam;
    for (let k = 0; k < K; k++) {
      store<f32>(d, load<f32>(at<f32>(pa, off)));
      d += 4;
      off += sak;
    }
  }
}

// ---- dot products (B columns contiguous) ----

/**
 * Columns b0..b3 (contiguous K floats each) against one A row: one accumulator a column (4
 * lanes of partial sums, added by hsum), then the k tail. dot8x1 sums each column in exactly
 * this order, so a column's bits don't depend on which of the two ran it (nor on the threads).
 */
@inline function dot4x1(a: usize, b0: usize, b1: usize, b2: usize, b3: usize, K: i32, po: usize, nc: i32): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const K4 = K & ~3;
  const end = <usize>K4 << 2;
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(a + o);
    s0 = madd(x, v128.load(b0 + o), s0);
    s1 = madd(x, v128.load(b1 + o), s1);
    s2 = madd(x, v128.load(b2 + o), s2);
    s3 = madd(x, v128.load(b3 + o), s3);
  }
  let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
  for (let k = K4; k < K; k++) {
    const p = <usize>k << 2;
    const x = load<f32>(a + p);
    r0 += x * load<f32>(b0 + p);
    r1 += x * load<f32>(b1 + p);
    r2 += x * load<f32>(b2 + p);
    r3 += x * load<f32>(b3 + p);
  }
  store<f32>(po, r0);
  if (nc > 1) store<f32>(po, r1, 4);
  if (nc > 2) store<f32>(po, r2, 8);
  if (nc > 3) store<f32>(po, r3, 12);
}

/** Eight columns' sums (hsum of each accumulator) to po[0..8). */
@inline function store8(po: usize, s0: v128, s1: v128, s2: v128, s3: v128, s4: v128, s5: v128, s6: v128, s7: v128): void {
  store<f32>(po, hsum(s0));
  store<f32>(po, hsum(s1), 4);
  store<f32>(po, hsum(s2), 8);
  store<f32>(po, hsum(s3), 12);
  store<f32>(po, hsum(s4), 16);
  store<f32>(po, hsum(s5), 20);
  store<f32>(po, hsum(s6), 24);
  store<f32>(po, hsum(s7), 28);
}

/**
 * Eight columns, `cs` bytes apart from b, against one A row (x @ W.T, one row): one load of A
 * feeds eight multiply-adds. A's loads come from L2 (the streamed weights evict it from L1),
 * and with four columns a load they held one thread at 15 GB/s against 27 for a plain sum of
 * the same bytes; eight: 21 GB/s (AMD EPYC 2-vCPU VM, 4096 x 4096). More columns spill
 * registers. The order of dot4x1 for each column; K a multiple of 4 (no tail: a smaller bundle).
 */
@inline function dot8x1(a: usize, b: usize, cs: usize, K: i32, po: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
  const end = <usize>K << 2;
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(a + o);
    const p = b + o;
    s0 = madd(x, v128.load(p), s0);
    s1 = madd(x, v128.load(p + cs), s1);
    s2 = madd(x, v128.load(p + 2 * cs), s2);
    s3 = madd(x, v128.load(p + 3 * cs), s3);
    s4 = madd(x, v128.load(p + 4 * cs), s4);
    s5 = madd(x, v128.load(p + 5 * cs), s5);
    s6 = madd(x, v128.load(p + 6 * cs), s6);
    s7 = madd(x, v128.load(p + 7 * cs), s7);
  }
  store8(po, s0, s1, s2, s3, s4, s5, s6, s7);
}

/** The valid part (mr rows, nc columns) of a 4-row x 2-column block of results, rows ldo floats apart. */
@inline function store2x4(po: usize, ldo: i32, mr: i32, nc: i32, r00: f32, r01: f32, r10: f32, r11: f32, r20: f32, r21: f32, r30: f32, r31: f32): void {
  const row = <usize>ldo << 2;
  store<f32>(po, r00);
  if (nc > 1) store<f32>(po, r01, 4);
  if (mr > 1) {
    store<f32>(po + row, r10);
    if (nc > 1) store<f32>(po + row, r11, 4);
  }
  if (mr > 2) {
    store<f32>(po + 2 * row, r20);
    if (nc > 1) store<f32>(po + 2 * row, r21, 4);
  }
  if (mr > 3) {
    store<f32>(po + 3 * row, r30);
    if (nc > 1) store<f32>(po + 3 * row, r31, 4);
  }
}

/**
 * A's rows packed in the order the dot kernel's blocks read them (k's halves in turns), blocks of
 * 4 rows: up to four rows, one block (rows past M repeat the first: dot2x4 runs 4); more, the
 * last block holds the rows left, 1 to 4 (16 bytes a row and step: block m from
 * dst + m * K8 * 4, K8 = K & ~7). A rows contiguous along k, row stride sam.
 */
export function matvec_pack_a_blocks(pa: usize, M: i32, K: i32, sam: i32, dst: usize): void {
  const lda = <usize>sam << 2, K8 = K & ~7;
  for (let m = 0; m < M; m += 4) {
    const r = M > 4 ? min(4, M - m) : 4, stride = <usize>r << 4;
    const a0 = pa + <usize>m * lda;
    const a1 = m + 1 < M ? a0 + lda : a0, a2 = m + 2 < M ? a0 + 2 * lda : a0, a3 = m + 3 < M ? a0 + 3 * lda : a0;
    let o: usize = 0, next: usize = <usize>K8 << 1;
    for (let k = 0; k < K8; k += 4) {
      v128.store(dst, v128.load(a0 + o));
      if (r > 1) v128.store(dst, v128.load(a1 + o), 16);
      if (r > 2) v128.store(dst, v128.load(a2 + o), 32);
      if (r > 3) v128.store(dst, v128.load(a3 + o), 48);
      dst += stride;
      const after = o + 16;
      o = next;
      next = after;
    }
  }
}

/**
 * Steps a block of A's rows runs over a column pair before the next block takes its turn: the
 * pair (from memory for the first block, from L1 for the others) keeps being read while the
 * other blocks run, instead of in bursts a block long (x (8 x 4096) @ W.T, 2 threads, from
 * memory: 32 steps 4.90 ms, 128 4.64, whole columns 5.03; the FMA set 4.74 -> 4.18 ms).
 */
const DOT_CHUNK = 128;

/**
 * `steps` steps (even) of a block of r rows (1 to 4, a constant where it is inlined, so that the
 * rows past it fold away) x 2 columns: the 2r sums from acc, A's packed block at ap
 * (matvec_pack_a_blocks, r * 16 bytes a step) against the columns at b0 and b1, k's halves in
 * turns from offset o of the first half and o + h of the second, the sums back to acc. For 4
 * rows 6 loads per 8 multiply-adds, A's at immediate offsets of one pointer.
 * Halves in turns: the two columns are read as four streams, which the hardware prefetchers
 * keep fuller than two (4096 x 4096 weight from memory, 2 threads: M = 2 4.91 -> 3.83 ms, M = 4
 * 4.08 -> 3.70, M = 8 5.73 -> 5.43 on Node 20). The sums' order changes, not the bound.
 * A last block of 2 or 3 rows runs as that many (before, as 4 with rows repeated: x @ W.T,
 * 4096 x 4096, 2 threads, 6 rows 4.45 -> 4.12 ms, 10 rows 6.48 -> 5.95, 14 rows 8.85 -> 8.35).
 */
@inline function runBlock(ap: usize, b0: usize, b1: usize, o: usize, h: usize, steps: i32, acc: usize, r: i32): void {
  let c00 = v128.load(acc), c01 = v128.load(acc, 16);
  let c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (r > 1) { c10 = v128.load(acc, 32); c11 = v128.load(acc, 48); }
  if (r > 2) { c20 = v128.load(acc, 64); c21 = v128.load(acc, 80); }
  if (r > 3) { c30 = v128.load(acc, 96); c31 = v128.load(acc, 112); }
  const stride = <usize>r << 4;
  const end = ap + <usize>steps * stride;
  let p = o, next = o + h;
  while (ap < end) {
    const x0 = v128.load(b0 + p);
    const x1 = v128.load(b1 + p);
    let y = v128.load(ap);
    c00 = madd(y, x0, c00);
    c01 = madd(y, x1, c01);
    if (r > 1) {
      y = v128.load(ap, 16);
      c10 = madd(y, x0, c10);
      c11 = madd(y, x1, c11);
    }
    if (r > 2) {
      y = v128.load(ap, 32);
      c20 = madd(y, x0, c20);
      c21 = madd(y, x1, c21);
    }
    if (r > 3) {
      y = v128.load(ap, 48);
      c30 = madd(y, x0, c30);
      c31 = madd(y, x1, c31);
    }
    ap += stride;
    const after = p + 16;
    p = next;
    next = after;
  }
  v128.store(acc, c00); v128.store(acc, c01, 16);
  if (r > 1) { v128.store(acc, c10, 32); v128.store(acc, c11, 48); }
  if (r > 2) { v128.store(acc, c20, 64); v128.store(acc, c21, 80); }
  if (r > 3) { v128.store(acc, c30, 96); v128.store(acc, c31, 112); }
}

/**
 * A block's results: for each of its mr rows (at a, lda bytes apart) the two sums at acc (32
 * bytes a row) added across lanes, then the k tail from K8 on, stored for the nc valid columns.
 */
@inline function finish2(acc: usize, a: usize, lda: usize, mr: i32, b0: usize, b1: usize, K: i32, po: usize, row: usize, nc: i32): void {
  for (let r = 0; r < mr; r++) {
    let s0 = hsum(v128.load(acc)), s1 = hsum(v128.load(acc, 16));
    for (let k = K & ~7; k < K; k++) {
      const p = <usize>k << 2;
      const x = load<f32>(a + p);
      s0 += x * load<f32>(b0 + p);
      s1 += x * load<f32>(b1 + p);
    }
    store<f32>(po, s0);
    if (nc > 1) store<f32>(po, s1, 4);
    acc += 32;
    a += lda;
    po += row;
  }
}

/**
 * runBlock (4 rows) over the whole columns with its sums in registers, for a single block of 2 to 4 rows
 * (ap: the packed block; a0..a3 for the k tail; rows past the valid `mr` repeat a0 and are not
 * stored). Through runBlock and scratch, 3 and 4 rows took 5-7% longer (from memory, 2 threads).
 * (Three rows as three, with the rows a constant in each of three inlined copies, measured 19%
 * slower for four in cache: binaryen merged the copies into one loop with the rows a variable.)
 */
@inline function dot2x4(ap: usize, a0: usize, a1: usize, a2: usize, a3: usize, mr: i32, b0: usize, b1: usize, K: i32, po: usize, ldo: i32, nc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // A comes packed (matvec_pack_a_blocks): one pointer, loads at immediate offsets, no address
  // arithmetic for A's rows (M = 8: 5.40 -> 5.08 ms from memory, 4.42 -> 3.91 in cache).
  const K8 = K & ~7;
  const end = ap + (<usize>K8 << 4);
  let o: usize = 0, next: usize = <usize>K8 << 1;
  while (ap < end) {
    const x0 = v128.load(b0 + o);
    const x1 = v128.load(b1 + o);
    let y = v128.load(ap);
    c00 = madd(y, x0, c00);
    c01 = madd(y, x1, c01);
    y = v128.load(ap, 16);
    c10 = madd(y, x0, c10);
    c11 = madd(y, x1, c11);
    y = v128.load(ap, 32);
    c20 = madd(y, x0, c20);
    c21 = madd(y, x1, c21);
    y = v128.load(ap, 48);
    c30 = madd(y, x0, c30);
    c31 = madd(y, x1, c31);
    ap += 64;
    const after = o + 16;
    o = next;
    next = after;
  }
  let r00 = hsum(c00), r01 = hsum(c01);
  let r10 = hsum(c10), r11 = hsum(c11);
  let r20 = hsum(c20), r21 = hsum(c21);
  let r30 = hsum(c30), r31 = hsum(c31);
  for (let k = K8; k < K; k++) {
    const p = <usize>k << 2;
    const x0 = load<f32>(b0 + p);
    const x1 = load<f32>(b1 + p);
    let y = load<f32>(a0 + p);
    r00 += y * x0;
    r01 += y * x1;
    y = load<f32>(a1 + p);
    r10 += y * x0;
    r11 += y * x1;
    y = load<f32>(a2 + p);
    r20 += y * x0;
    r21 += y * x1;
    y = load<f32>(a3 + p);
    r30 += y * x0;
    r31 += y * x1;
  }
  store2x4(po, ldo, mr, nc, r00, r01, r10, r11, r20, r21, r30, r31);
}

/**
 * Four columns (`cs` bytes apart from b0) against two A rows, k's halves in turns as in runBlock.
 * Two rows through a 4-row block multiply-add four (two repeated, not stored); here each is one
 * of the result's: 4096 x 4096 weight, 2 threads, from memory 3.19 -> 2.85 ms, in cache 2.27 ->
 * 1.56. With more rows the weight's columns come from L2 once per row pair, and runBlock is faster.
 * K a multiple of 8 (no tail: a smaller bundle).
 */
@inline function dot4x2(a0: usize, a1: usize, b0: usize, cs: usize, K: i32, po: usize, row: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00;
  let c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  const b1 = b0 + cs, b2 = b1 + cs, b3 = b2 + cs;
  let o: usize = 0, next: usize = <usize>K << 1;
  for (let k = 0; k < K; k += 4) {
    const x = v128.load(a0 + o), y = v128.load(a1 + o);
    let w = v128.load(b0 + o);
    c00 = madd(x, w, c00);
    c10 = madd(y, w, c10);
    w = v128.load(b1 + o);
    c01 = madd(x, w, c01);
    c11 = madd(y, w, c11);
    w = v128.load(b2 + o);
    c02 = madd(x, w, c02);
    c12 = madd(y, w, c12);
    w = v128.load(b3 + o);
    c03 = madd(x, w, c03);
    c13 = madd(y, w, c13);
    const after = o + 16;
    o = next;
    next = after;
  }
  store<f32>(po, hsum(c00));
  store<f32>(po, hsum(c01), 4);
  store<f32>(po, hsum(c02), 8);
  store<f32>(po, hsum(c03), 12);
  store<f32>(po + row, hsum(c10));
  store<f32>(po + row, hsum(c11), 4);
  store<f32>(po + row, hsum(c12), 8);
  store<f32>(po + row, hsum(c13), 12);
}

/**
 * Columns [j0, j1) of out (row stride ldo) = A @ B with B[k, n] at pb + (n * sbn + k) floats
 * (unit k stride) and A rows contiguous along k, row stride sam. Two or more rows: pk holds A
 * packed by matvec_pack_a_blocks; more than four: scr, M * 32 bytes of this call's own (the
 * blocks' sums between their turns).
 */
export function matvec_f32_dot(pa: usize, pb: usize, po: usize, M: i32, K: i32, sam: i32, sbn: i32, ldo: i32, j0: i32, j1: i32, pk: usize, scr: usize): void {
  const lda = <usize>sam << 2;
  const row = <usize>ldo << 2;
  let j = j0;
  if (M == 1) {
    // eight columns a pass, then the ones left in fours
    if ((K & 3) == 0) for (; j + 8 <= j1; j += 8) dot8x1(pa, at<f32>(pb, j * sbn), <usize>sbn << 2, K, po + (<usize>j << 2));
    for (; j < j1; j += 4) {
      const nc = min(4, j1 - j);
      // columns past the range repeat the last one (read, never stored)
      const b0 = at<f32>(pb, j * sbn);
      const b1 = nc > 1 ? at<f32>(pb, (j + 1) * sbn) : b0;
      const b2 = nc > 2 ? at<f32>(pb, (j + 2) * sbn) : b1;
      const b3 = nc > 3 ? at<f32>(pb, (j + 3) * sbn) : b2;
      dot4x1(pa, b0, b1, b2, b3, K, po + (<usize>j << 2), nc);
    }
    return;
  }
  // two rows: four columns a pass
  if (M == 2 && (K & 7) == 0) for (; j + 4 <= j1; j += 4) dot4x2(pa, pa + lda, at<f32>(pb, j * sbn), <usize>sbn << 2, K, po + (<usize>j << 2), row);
  // two columns a pass: up to four rows one block (dot2x4), more in blocks of 4 rows (the last
  // one the rows left) taking turns, DOT_CHUNK steps each
  const K8 = K & ~7, h = <usize>K8 << 1, steps = K8 >> 2, rowBytes = <usize>K8 << 2;
  for (; j < j1; j += 2) {
    const nc = min(2, j1 - j);
    const b0 = at<f32>(pb, j * sbn);
    const b1 = nc > 1 ? at<f32>(pb, (j + 1) * sbn) : b0;
    if (M <= 4) {
      const a1 = pa + lda, a2 = M > 2 ? a1 + lda : pa, a3 = M > 3 ? a1 + 2 * lda : pa;
      dot2x4(pk, pa, a1, a2, a3, M, b0, b1, K, po + (<usize>j << 2), ldo, nc);
      continue;
    }
    for (let q: usize = 0; q < <usize>M << 5; q += 16) v128.store(scr + q, f32x4.splat(0));
    for (let s = 0; s < steps; s += DOT_CHUNK) {
      const n = min(DOT_CHUNK, steps - s), o = <usize>(s >> 1) << 4;
      // block m: its rows' sums at scr + m * 32, its packed rows from pk + m * rowBytes
      let m = 0;
      for (; m + 4 <= M; m += 4) runBlock(pk + <usize>m * rowBytes + (<usize>s << 6), b0, b1, o, h, n, scr + (<usize>m << 5), 4);
      const r = M - m;
      if (r > 0) {
        // the rows left, as many as there are (each a loop of its own: r a constant in it)
        const ap = pk + <usize>m * rowBytes + (<usize>(s * r) << 4), acc = scr + (<usize>m << 5);
        if (r == 3) runBlock(ap, b0, b1, o, h, n, acc, 3);
        else if (r == 2) runBlock(ap, b0, b1, o, h, n, acc, 2);
        else runBlock(ap, b0, b1, o, h, n, acc, 1);
      }
    }
    finish2(scr, pa, lda, M, b0, b1, K, po + (<usize>j << 2), row, nc);
  }
}

// ---- scaled row sums (B rows contiguous) ----

/**
 * Output columns a chunk holds for all M rows: one row's chunk in L1 for axpy8; M rows' chunks
 * in L2 for the strips (x (8 x 4096) @ W (4096 x 4096), 2 threads: 512 columns 5.5 ms, 1024
 * 4.8, 2048 4.6).
 */
@inline function axpyChunk(M: i32): i32 {
  return M == 1 ? 8192 : max(64, (16384 / M) & ~15);
}

/** Weight rows (k steps) a strip adds before its sums go back to the output (4: 5.3 ms, 8: 4.6, 16: 4.9). */
const STRIP_K = 8;

/**
 * A's rows in pairs for the strips, each value splat to a vector: pair p's k-th entry (32 bytes:
 * row 2p's value in 4 lanes, then row 2p + 1's, or 2p's again for an odd M's last row) at
 * dst + (p * K + k) * 32. A any strides. The strips' loads of A are then plain vector loads
 * (a broadcast from memory competed with the multiply-adds) from one pointer.
 */
export function matvec_pack_a_pairs(pa: usize, M: i32, K: i32, sam: i32, sak: i32, dst: usize): void {
  for (let m = 0; m < M; m += 2) {
    const o1 = m + 1 < M ? sam : 0;
    let off = m * sam;
    for (let k = 0; k < K; k++) {
      v128.store(dst, f32x4.splat(load<f32>(at<f32>(pa, off))));
      v128.store(dst, f32x4.splat(load<f32>(at<f32>(pa, off + o1))), 16);
      dst += 32;
      off += sak;
    }
  }
}

/**
 * 16 output columns of two rows (at o and q) += kc weight rows (16 columns each, rs bytes apart
 * from r) scaled by A's kc value pairs at x (matvec_pack_a_pairs), added in k order: the 8 sums
 * stay in registers, each weight vector is loaded once for both rows, and every load's offset
 * is an immediate. A loop, not an unrolled body: TurboFan issues an unrolled body's loads first
 * and spills the sums.
 */
@inline function strip2(o: usize, q: usize, x: usize, r: usize, rs: usize, kc: i32): void {
  let s0 = v128.load(o), s1 = v128.load(o, 16), s2 = v128.load(o, 32), s3 = v128.load(o, 48);
  let t0 = v128.load(q), t1 = v128.load(q, 16), t2 = v128.load(q, 32), t3 = v128.load(q, 48);
  const xe = x + (<usize>kc << 5);
  do {
    const u = v128.load(x), v = v128.load(x, 16);
    let w = v128.load(r);
    s0 = madd(u, w, s0);
    t0 = madd(v, w, t0);
    w = v128.load(r, 16);
    s1 = madd(u, w, s1);
    t1 = madd(v, w, t1);
    w = v128.load(r, 32);
    s2 = madd(u, w, s2);
    t2 = madd(v, w, t2);
    w = v128.load(r, 48);
    s3 = madd(u, w, s3);
    t3 = madd(v, w, t3);
    r += rs;
    x += 32;
  } while (x < xe);
  v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  v128.store(q, t0); v128.store(q, t1, 16); v128.store(q, t2, 32); v128.store(q, t3, 48);
}

/** strip2 for one row (the pair's first value). */
@inline function strip1(o: usize, x: usize, r: usize, rs: usize, kc: i32): void {
  let s0 = v128.load(o), s1 = v128.load(o, 16), s2 = v128.load(o, 32), s3 = v128.load(o, 48);
  const xe = x + (<usize>kc << 5);
  do {
    const u = v128.load(x);
    s0 = madd(u, v128.load(r), s0);
    s1 = madd(u, v128.load(r, 16), s1);
    s2 = madd(u, v128.load(r, 32), s2);
    s3 = madd(u, v128.load(r, 48), s3);
    r += rs;
    x += 32;
  } while (x < xe);
  v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
}

/** o[0, w) += x0 r0 + x1 r1 + x2 r2 + x3 r3, added left to right (k order). */
@inline function axpy4(o: usize, w: i32, x0: f32, x1: f32, x2: f32, x3: f32, r0: usize, r1: usize, r2: usize, r3: usize): void {
  const v0 = f32x4.splat(x0), v1 = f32x4.splat(x1), v2 = f32x4.splat(x2), v3 = f32x4.splat(x3);
  const end = <usize>(w & ~3) << 2;
  let p: usize = 0;
  for (; p < end; p += 16) {
    let s = madd(v0, v128.load(r0 + p), v128.load(o + p));
    s = madd(v1, v128.load(r1 + p), s);
    s = madd(v2, v128.load(r2 + p), s);
    s = madd(v3, v128.load(r3 + p), s);
    v128.store(o + p, s);
  }
  const all = <usize>w << 2;
  for (; p < all; p += 4) {
    let s = load<f32>(o + p) + x0 * load<f32>(r0 + p);
    s += x1 * load<f32>(r1 + p);
    s += x2 * load<f32>(r2 + p);
    s += x3 * load<f32>(r3 + p);
    store<f32>(o + p, s);
  }
}

/**
 * o[0, w) += x0 r0 + ... + x7 r7 (rows `rs` bytes apart from r), added left to right: the same
 * operations as two axpy4 steps, with one load and store of o per eight weight vectors instead
 * of two. With four rows a pass one thread streamed W (4096 x 4096, as stored) at 16 GB/s, with
 * eight at 21 (AMD EPYC 2-vCPU VM): o's traffic competes with W's.
 */
@inline function axpy8(o: usize, w: i32, xa: usize, sak: i32, r: usize, rs: usize): void {
  // w a multiple of 4 (no tail: a smaller bundle)
  const s1 = <usize>sak << 2;
  const v0 = v128.load32_splat(xa), v1 = v128.load32_splat(xa + s1), v2 = v128.load32_splat(xa + 2 * s1), v3 = v128.load32_splat(xa + 3 * s1);
  const v4 = v128.load32_splat(xa + 4 * s1), v5 = v128.load32_splat(xa + 5 * s1), v6 = v128.load32_splat(xa + 6 * s1), v7 = v128.load32_splat(xa + 7 * s1);
  const end = <usize>w << 2;
  for (let p: usize = 0; p < end; p += 16) {
    const q = r + p;
    let s = madd(v0, v128.load(q), v128.load(o + p));
    s = madd(v1, v128.load(q + rs), s);
    s = madd(v2, v128.load(q + 2 * rs), s);
    s = madd(v3, v128.load(q + 3 * rs), s);
    s = madd(v4, v128.load(q + 4 * rs), s);
    s = madd(v5, v128.load(q + 5 * rs), s);
    s = madd(v6, v128.load(q + 6 * rs), s);
    v128.store(o + p, madd(v7, v128.load(q + 7 * rs), s));
  }
}

/** o[0, w) += x r. */
@inline function axpy1(o: usize, w: i32, x: f32, r: usize): void {
  const v = f32x4.splat(x);
  const end = <usize>(w & ~3) << 2;
  let p: usize = 0;
  for (; p < end; p += 16) v128.store(o + p, madd(v, v128.load(r + p), v128.load(o + p)));
  const all = <usize>w << 2;
  for (; p < all; p += 4) store<f32>(o + p, load<f32>(o + p) + x * load<f32>(r + p));
}

/**
 * Columns [j0, j1) of out (row stride ldo) = A @ B with B[k, n] at pb + (k * sbk + n) floats
 * (unit n stride), A any strides. Sums from +0 in k order, as the reference's are.
 * Two or more rows: strips of 16 columns (strip2/strip1), STRIP_K weight rows at a time, A's
 * values from pk (matvec_pack_a_pairs); the columns left (fewer than 16): axpy4 a row.
 */
export function matvec_f32_axpy(pa: usize, pb: usize, po: usize, M: i32, K: i32, sam: i32, sak: i32, sbk: i32, ldo: i32, j0: i32, j1: i32, pk: usize): void {
  const row = <usize>ldo << 2;
  const C = axpyChunk(M);
  const K4 = K & ~3;
  const rs = <usize>sbk << 2;
  for (let c0 = j0; c0 < j1; c0 += C) {
    const w = min(j1, c0 + C) - c0;
    const o0 = po + (<usize>c0 << 2);
    for (let m = 0; m < M; m++) memory.fill(o0 + <usize>m * row, 0, <usize>w << 2);
    // k from which the loops below take the columns from cs on
    let k = 0, cs = c0;
    if (M == 1 && (w & 3) == 0) {
      // one row: eight B rows a pass (the same sums as two of four)
      for (; k + 8 <= K; k += 8) axpy8(o0, w, at<f32>(pa, k * sak), sak, at<f32>(pb, k * sbk + c0), rs);
    } else if (M > 1 && w >= 16) {
      const end = <usize>(w & ~15) << 2, pair = <usize>K << 5;
      for (let k0 = 0; k0 < K; k0 += STRIP_K) {
        const kc = min(STRIP_K, K - k0);
        const r = at<f32>(pb, k0 * sbk + c0), xk = pk + (<usize>k0 << 5);
        for (let p: usize = 0; p < end; p += 64) {
          let om = o0 + p, x = xk, m = 0;
          for (; m + 1 < M; m += 2) {
            strip2(om, om + row, x, r + p, rs, kc);
            om += row << 1;
            x += pair;
          }
          if (m < M) strip1(om, x, r + p, rs, kc);
        }
      }
      cs = c0 + (w & ~15);
    }
    const wr = c0 + w - cs, oc = o0 + (<usize>(cs - c0) << 2);
    if (wr == 0) continue;
    for (; k < K4; k += 4) {
      const r0 = at<f32>(pb, k * sbk + cs), r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      for (let m = 0; m < M; m++) {
        const off = m * sam + k * sak;
        const x0 = load<f32>(at<f32>(pa, off));
        const x1 = load<f32>(at<f32>(pa, off + sak));
        const x2 = load<f32>(at<f32>(pa, off + 2 * sak));
        const x3 = load<f32>(at<f32>(pa, off + 3 * sak));
        axpy4(oc + <usize>m * row, wr, x0, x1, x2, x3, r0, r1, r2, r3);
      }
    }
    for (; k < K; k++) {
      const r = at<f32>(pb, k * sbk + cs);
      for (let m = 0; m < M; m++) axpy1(oc + <usize>m * row, wr, load<f32>(at<f32>(pa, m * sam + k * sak)), r);
    }
  }
}

// ---- bfloat16 weights (B columns contiguous, 2 bytes an element) ----
// A bfloat16 value is the high half of a float32, so a v128 of 8 of them (4 i32 lanes, each
// [odd : even]) gives the even elements as float32 by a shift left of 16 and the odd ones by
// clearing the low halves: 2 instructions for 8 weights. A's rows are prepared to match (each
// 8-block as its even then its odd elements; matvec_pack_a_eo), so every product is the one
// of the float32 kernels (the weight exact in float32): within the same bound as matmul_f32,
// the weight's values widened exactly. Half the bytes of float32 weights per multiply-add.
// float16 weights take the same path with a float16 -> float32 step on each half-lane (its
// magnitude shifted into place and scaled by 2^112, exact for normal and subnormal values;
// vectors holding an infinity or a NaN take a step that also rebuilds those).

const BF16_ODD: usize = memory.data<i32>([0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000]);
// float16 steps: magnitude mask (after >> 3), 2^112, sign and magnitude mask, the infinity/NaN threshold and exponent fill, exponent field (16-bit lanes)
const F16_K: usize = memory.data<i32>([0x0fffe000, 0x77800000, 0x8fffe000, 0x0f800000, 0x70000000, 0x7c007c00]);

@inline function kv(i: i32): v128 {
  return v128.load32_splat(F16_K + (<usize>i << 2));
}

/** float16 values in the high halves of the i32 lanes of u (low halves zero) as float32, exactly. */
@inline function f16Hi(u: v128, mag: v128, two112: v128, signMag: v128, special: bool, infAt: v128, fill: v128): v128 {
  // the arithmetic shift copies the sign into bits 31..28; the mask keeps bit 31 and the
  // magnitude's 15 bits at 27..13
  const m = v128.and(i32x4.shr_s(u, 3), signMag);
  const f = f32x4.mul(m, two112);
  if (!special) return f; // a runtime flag: vectors with an infinity or a NaN are rare
  // infinity / NaN: the f32 exponent filled in, the mantissa (payload) and sign kept
  return v128.bitselect(v128.or(m, fill), f, i32x4.ge_u(v128.and(m, mag), infAt));
}

/** Whether any of the 8 float16 values in v is an infinity or a NaN. */
@inline function f16Special(v: v128, expField: v128): bool {
  return v128.any_true(i16x8.eq(v128.and(v, expField), expField));
}

/** The even (e) and odd (d) float32 values of 8 weights, bfloat16 or float16 (`f16`). */
@inline function halfEven(v: v128, f16: bool, mag: v128, two112: v128, sign: v128, special: bool, infAt: v128, fill: v128): v128 {
  return f16 ? f16Hi(i32x4.shl(v, 16), mag, two112, sign, special, infAt, fill) : bfEven(v);
}
@inline function halfOdd(v: v128, mask: v128, f16: bool, mag: v128, two112: v128, sign: v128, special: bool, infAt: v128, fill: v128): v128 {
  return f16 ? f16Hi(v128.and(v, mask), mag, two112, sign, special, infAt, fill) : bfOdd(v, mask);
}

@inline function bfEven(v: v128): v128 {
  return i32x4.shl(v, 16);
}

@inline function bfOdd(v: v128, mask: v128): v128 {
  return v128.and(v, mask);
}

@inline function bf16At(p: usize): f32 {
  return reinterpret<f32>(<u32>load<u16>(p) << 16);
}

/**
 * A (M x K f32, strides sam/sak) copied to dst (row stride K) with each whole 8-block of k as
 * its even elements then its odd ones, the K mod 8 tail in order: the rows matvec_bf16_dot takes.
 */
export function matvec_pack_a_eo(pa: usize, M: i32, K: i32, sam: i32, sak: i32, dst: usize): void {
  const K8 = K & ~7;
  for (let m = 0; m < M; m++) {
    const row = dst + (<usize>(m * K) << 2);
    const off = m * sam;
    for (let k = 0; k < K8; k += 8) {
      for (let i = 0; i < 4; i++) {
        store<f32>(row + (<usize>(k + i) << 2), load<f32>(at<f32>(pa, off + (k + 2 * i) * sak)));
        store<f32>(row + (<usize>(k + 4 + i) << 2), load<f32>(at<f32>(pa, off + (k + 2 * i + 1) * sak)));
      }
    }
    for (let k = K8; k < K; k++) store<f32>(row + (<usize>k << 2), load<f32>(at<f32>(pa, off + k * sak)));
  }
}

/** The scalar tail's weight at p: bfloat16 or float16 (`f16`), exactly as float32. */
@inline function halfAt(p: usize, f16: bool): f32 {
  return f16 ? <f32>halfToF64(load<u16>(p)) : bf16At(p);
}

/** The weight's contribution for one vector of 8 halves v at A's even (xe) and odd (xo) values: c + xe e + xo d. */
@inline function halfStep(c: v128, xe: v128, xo: v128, v: v128, mask: v128, f16: bool, mag: v128, two112: v128, sign: v128, infAt: v128, fill: v128, expField: v128): v128 {
  const sp = f16 && f16Special(v, expField);
  return madd(xo, halfOdd(v, mask, f16, mag, two112, sign, sp, infAt, fill), madd(xe, halfEven(v, f16, mag, two112, sign, sp, infAt, fill), c));
}

/** The k tail of a half column against a prepared A row, added to r. */
@inline function halfTail(r: f32, a: usize, b: usize, K8: i32, K: i32, f16: bool): f32 {
  for (let k = K8; k < K; k++) r += load<f32>(a + (<usize>k << 2)) * halfAt(b + (<usize>k << 1), f16);
  return r;
}

/**
 * Four half columns (b0..b3, K contiguous each) against one prepared A row: one accumulator a
 * column (even then odd products each step, as dotBf2x4's), then the k tail. dotBf8x1 sums each
 * column in exactly this order, so a column's bits don't depend on which ran it.
 */
@inline function dotBf4x1(a: usize, b0: usize, b1: usize, b2: usize, b3: usize, K: i32, po: usize, nc: i32, f16: bool): void {
  const mask = v128.load(BF16_ODD);
  const mag = kv(0), two112 = kv(1), sign = kv(2), infAt = kv(3), fill = kv(4), expField = kv(5);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const K8 = K & ~7;
  const end = <usize>K8 << 1;
  let a8 = a;
  for (let o: usize = 0; o < end; o += 16) {
    const xe = v128.load(a8);
    const xo = v128.load(a8, 16);
    s0 = halfStep(s0, xe, xo, v128.load(b0 + o), mask, f16, mag, two112, sign, infAt, fill, expField);
    s1 = halfStep(s1, xe, xo, v128.load(b1 + o), mask, f16, mag, two112, sign, infAt, fill, expField);
    s2 = halfStep(s2, xe, xo, v128.load(b2 + o), mask, f16, mag, two112, sign, infAt, fill, expField);
    s3 = halfStep(s3, xe, xo, v128.load(b3 + o), mask, f16, mag, two112, sign, infAt, fill, expField);
    a8 += 32;
  }
  store<f32>(po, halfTail(hsum(s0), a, b0, K8, K, f16));
  if (nc > 1) store<f32>(po, halfTail(hsum(s1), a, b1, K8, K, f16), 4);
  if (nc > 2) store<f32>(po, halfTail(hsum(s2), a, b2, K8, K, f16), 8);
  if (nc > 3) store<f32>(po, halfTail(hsum(s3), a, b3, K8, K, f16), 12);
}

/**
 * Eight half columns, `cs` bytes apart from b, against one prepared A row (decoding with a
 * bfloat16 Linear weight): A's two loads (from L2, as in dot8x1) feed eight columns
 * instead of four. bfloat16 x @ W.T, 4096 x 4096, through the library back to back (AMD EPYC
 * 2-vCPU VM): one thread 2.70 -> 2.26 ms, two 1.49 -> 1.13 ms. The order of dotBf4x1; K a
 * multiple of 8 (no tail: a smaller bundle).
 */
@inline function dotBf8x1(a: usize, b: usize, cs: usize, K: i32, po: usize, f16: bool): void {
  const mask = v128.load(BF16_ODD);
  const mag = kv(0), two112 = kv(1), sign = kv(2), infAt = kv(3), fill = kv(4), expField = kv(5);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
  const end = <usize>K << 1;
  let a8 = a;
  for (let o: usize = 0; o < end; o += 16) {
    const xe = v128.load(a8);
    const xo = v128.load(a8, 16);
    const p = b + o;
    s0 = halfStep(s0, xe, xo, v128.load(p), mask, f16, mag, two112, sign, infAt, fill, expField);
    s1 = halfStep(s1, xe, xo, v128.load(p + cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s2 = halfStep(s2, xe, xo, v128.load(p + 2 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s3 = halfStep(s3, xe, xo, v128.load(p + 3 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s4 = halfStep(s4, xe, xo, v128.load(p + 4 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s5 = halfStep(s5, xe, xo, v128.load(p + 5 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s6 = halfStep(s6, xe, xo, v128.load(p + 6 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    s7 = halfStep(s7, xe, xo, v128.load(p + 7 * cs), mask, f16, mag, two112, sign, infAt, fill, expField);
    a8 += 32;
  }
  store8(po, s0, s1, s2, s3, s4, s5, s6, s7);
}

/** Two half columns against four prepared A rows (rows past `mr` repeat a0, not stored). */
@inline function dotBf2x4(a0: usize, a1: usize, a2: usize, a3: usize, mr: i32, b0: usize, b1: usize, K: i32, po: usize, ldo: i32, nc: i32, f16: bool): void {
  const mask = v128.load(BF16_ODD);
  const mag = kv(0), two112 = kv(1), sign = kv(2), infAt = kv(3), fill = kv(4), expField = kv(5);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const K8 = K & ~7;
  // k's two halves in turns, as runBlock (16 bytes of weights, 32 of A a step; the first half
  // takes ceil(K8 / 16) steps): bfloat16 4096 x 4096, 2 threads, from memory, 4 rows 3.18 ->
  // 2.92 ms, 8 rows 5.20 -> 4.89
  let o: usize = 0, next: usize = <usize>((K8 + 8) >> 4) << 4;
  for (let k = 0; k < K8; k += 8) {
    const o4 = o << 1;
    const v0 = v128.load(b0 + o), v1 = v128.load(b1 + o);
    const p0 = f16 && f16Special(v0, expField), p1 = f16 && f16Special(v1, expField);
    const e0 = halfEven(v0, f16, mag, two112, sign, p0, infAt, fill), d0 = halfOdd(v0, mask, f16, mag, two112, sign, p0, infAt, fill);
    const e1 = halfEven(v1, f16, mag, two112, sign, p1, infAt, fill), d1 = halfOdd(v1, mask, f16, mag, two112, sign, p1, infAt, fill);
    let y = v128.load(a0 + o4), z = v128.load(a0 + o4, 16);
    c00 = madd(z, d0, madd(y, e0, c00));
    c01 = madd(z, d1, madd(y, e1, c01));
    y = v128.load(a1 + o4); z = v128.load(a1 + o4, 16);
    c10 = madd(z, d0, madd(y, e0, c10));
    c11 = madd(z, d1, madd(y, e1, c11));
    y = v128.load(a2 + o4); z = v128.load(a2 + o4, 16);
    c20 = madd(z, d0, madd(y, e0, c20));
    c21 = madd(z, d1, madd(y, e1, c21));
    y = v128.load(a3 + o4); z = v128.load(a3 + o4, 16);
    c30 = madd(z, d0, madd(y, e0, c30));
    c31 = madd(z, d1, madd(y, e1, c31));
    const after = o + 16;
    o = next;
    next = after;
  }
  let r00 = hsum(c00), r01 = hsum(c01);
  let r10 = hsum(c10), r11 = hsum(c11);
  let r20 = hsum(c20), r21 = hsum(c21);
  let r30 = hsum(c30), r31 = hsum(c31);
  for (let k = K8; k < K; k++) {
    const p = <usize>k << 1, q = <usize>k << 2;
    const x0 = halfAt(b0 + p, f16), x1 = halfAt(b1 + p, f16);
    let y = load<f32>(a0 + q);
    r00 += y * x0;
    r01 += y * x1;
    y = load<f32>(a1 + q);
    r10 += y * x0;
    r11 += y * x1;
    y = load<f32>(a2 + q);
    r20 += y * x0;
    r21 += y * x1;
    y = load<f32>(a3 + q);
    r30 += y * x0;
    r31 += y * x1;
  }
  store2x4(po, ldo, mr, nc, r00, r01, r10, r11, r20, r21, r30, r31);
}

/**
 * Columns [j0, j1) of out (f32, row stride ldo) = A @ B, B bfloat16 with B[k, n] at
 * pb + 2 (n * sbn + k) (unit k stride: W.T of a bfloat16 Linear weight), A prepared by
 * matvec_pack_a_eo (M rows of K f32).
 */
export function matvec_bf16_dot(pa: usize, pb: usize, po: usize, M: i32, K: i32, sbn: i32, ldo: i32, j0: i32, j1: i32): void {
  halfDot(pa, pb, po, M, K, sbn, ldo, j0, j1, false);
}

/** matvec_bf16_dot for a float16 B. */
export function matvec_f16_dot(pa: usize, pb: usize, po: usize, M: i32, K: i32, sbn: i32, ldo: i32, j0: i32, j1: i32): void {
  halfDot(pa, pb, po, M, K, sbn, ldo, j0, j1, true);
}

@inline function halfDot(pa: usize, pb: usize, po: usize, M: i32, K: i32, sbn: i32, ldo: i32, j0: i32, j1: i32, f16: bool): void {
  const lda = <usize>K << 2;
  const row = <usize>ldo << 2;
  const col = <usize>sbn << 1;
  let j = j0;
  // one row of bfloat16: eight columns a pass, then the ones left in fours (float16's conversion,
  // not x's loads, bounds it: eight columns gained 6% for 4 kB more of the browser bundle)
  if (!f16 && M == 1 && (K & 7) == 0) for (; j + 8 <= j1; j += 8) dotBf8x1(pa, pb + <usize>j * col, col, K, po + (<usize>j << 2), f16);
  for (; j < j1; j += 4) {
    const nc = min(4, j1 - j);
    const b0 = pb + <usize>j * col;
    const b1 = nc > 1 ? b0 + col : b0;
    const b2 = nc > 2 ? b1 + col : b1;
    const b3 = nc > 3 ? b2 + col : b2;
    const o = po + (<usize>j << 2);
    let m = 0;
    while (m < M) {
      const left = M - m;
      const a = pa + <usize>m * lda;
      const om = o + <usize>m * row;
      if (left >= 2) {
        const mr = min(4, left);
        const a1 = a + lda;
        const a2 = mr > 2 ? a + 2 * lda : a;
        const a3 = mr > 3 ? a + 3 * lda : a;
        dotBf2x4(a, a1, a2, a3, mr, b0, b1, K, om, ldo, min(nc, 2), f16);
        if (nc > 2) dotBf2x4(a, a1, a2, a3, mr, b2, b3, K, om + 8, ldo, nc - 2, f16);
        m += mr;
      } else {
        dotBf4x1(a, b0, b1, b2, b3, K, om, nc, f16);
        m += 1;
      }
    }
  }
}
