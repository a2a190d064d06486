// Matmul for f32 and f64: out = a @ b for one batch entry, any strides.
// f64 (and AddMM's f32 path, matmul_f32_acc): both operands packed
// (converted to f64) into panels, a 4x4 register-blocked micro-kernel over cache-sized blocks,
// every output a dot product accumulated in double in k order and rounded once, exactly as the
// reference does (bit-identical). matmul_f32: f32 SIMD accumulation, within a stated bound
// (see below). No kernel here uses static scratch: threads run them on disjoint rows at once.
import { at, word, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';
import { FMA, madd } from './fma';

const MR: i32 = 4;
const NR: i32 = 4;

/** Rows of A packed per block (the A block, mc x K doubles, is meant to stay in L2). */
export function matmulRowBlock(K: i32): i32 {
  return blockFor(K, 128 * 1024, MR, 256);
}

/** Columns of B packed per block. */
export function matmulColBlock(K: i32): i32 {
  return blockFor(K, 512 * 1024, NR, 1024);
}

function blockFor(K: i32, bytes: i32, multiple: i32, most: i32): i32 {
  let b = bytes / (max(K, 1) * 8);
  b = b - (b % multiple);
  return max(multiple, min(most, b));
}

/** Packs rows [i0, i0+mc) of A into panels of MR rows: panel p, k, r -> ((p*K + k)*MR + r). */
@inline function packA<T>(pa: usize, sam: i32, sak: i32, i0: i32, mc: i32, K: i32, dst: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const panel = dst + ((<usize>p * <usize>K) << 3);
    for (let r = 0; r < MR; r++) {
      const row = i0 + p + r;
      const valid = p + r < mc;
      let off = row * sam;
      for (let k = 0; k < K; k++) {
        store<f64>(panel + ((<usize>(k * MR + r)) << 3), valid ? <f64>load<T>(at<T>(pa, off)) : 0.0);
        off += sak;
      }
    }
  }
}

/** Packs columns [j0, j0+nc) of B into panels of NR columns: panel q, k, c -> ((q*K + k)*NR + c). */
@inline function packB<T>(pb: usize, sbk: i32, sbn: i32, j0: i32, nc: i32, K: i32, dst: usize): void {
  for (let q = 0; q < nc; q += NR) {
    const panel = dst + ((<usize>q * <usize>K) << 3);
    for (let k = 0; k < K; k++) {
      const rowOff = k * sbk;
      for (let c = 0; c < NR; c++) {
        const col = j0 + q + c;
        store<f64>(panel + ((<usize>(k * NR + c)) << 3), q + c < nc ? <f64>load<T>(at<T>(pb, rowOff + col * sbn)) : 0.0);
      }
    }
  }
}

/** C[i0.., j0..] (rows < mr, cols < nr valid) = A panel @ B panel. */
@inline function micro<O>(ap: usize, bp: usize, K: i32, po: usize, ldo: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let a = ap;
  let b = bp;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load64_splat(a);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    a += 32;
    b += 32;
  }
  storeRow<O>(po, nr, c00, c01);
  if (mr > 1) storeRow<O>(at<O>(po, ldo), nr, c10, c11);
  if (mr > 2) storeRow<O>(at<O>(po, 2 * ldo), nr, c20, c21);
  if (mr > 3) storeRow<O>(at<O>(po, 3 * ldo), nr, c30, c31);
}

@inline function storeRow<T>(p: usize, nr: i32, lo: v128, hi: v128): void {
  store<T>(p, <T>f64x2.extract_lane(lo, 0));
  if (nr > 1) store<T>(p, <T>f64x2.extract_lane(lo, 1), sizeof<T>());
  if (nr > 2) store<T>(p, <T>f64x2.extract_lane(hi, 0), 2 * sizeof<T>());
  if (nr > 3) store<T>(p, <T>f64x2.extract_lane(hi, 1), 3 * sizeof<T>());
}

/**
 * out (M x N, contiguous, element type O) = A (M x K, strides sam/sak) @ B (K x N, strides
 * sbk/sbn), both of element type T. `bufA` must hold matmulRowBlock(K) * K doubles, `bufB`
 * matmulColBlock(K) * K. O = f64 keeps the unrounded sums (AddMM scales them first).
 */
@inline function gemm<T, O>(pa: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, sam: i32, sak: i32, sbk: i32, sbn: i32, bufA: usize, bufB: usize): void {
  const MC = matmulRowBlock(K);
  const NC = matmulColBlock(K);
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0);
    packB<T>(pb, sbk, sbn, j0, nc, K, bufB);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA<T>(pa, sam, sak, i0, mc, K, bufA);
      for (let q = 0; q < nc; q += NR) {
        const bp = bufB + ((<usize>q * <usize>K) << 3);
        for (let p = 0; p < mc; p += MR) {
          const ap = bufA + ((<usize>p * <usize>K) << 3);
          micro<O>(ap, bp, K, at<O>(po, (i0 + p) * N + j0 + q), N, min(MR, mc - p), min(NR, nc - q));
        }
      }
    }
  }
}

// ---- float32: f32 SIMD accumulation (not bit-identical to the reference) ----
// A 4 x 8 register block (8 f32x4 accumulators), packed panels, and cache blocking over
// K (F32_KC), rows (F32_MC) and columns (F32_NC). Products and sums are rounded to f32, in
// k order within a K block; K blocks are added to the output one after another. Standard
// error analysis gives, per output element, with u = 2^-24 and S = sum_k |a_ik * b_kj|:
//   |ours - exact| <= K * u * S (+ underflow),   |reference - exact| <= u * |exact| + tiny,
// so |ours - reference| <= (K + 2) * 2^-24 * S + K * 2^-149, stated and tested in
// packages/core/test/wasm-matmul.test.ts and wasm-threads.test.ts (finite operands with
// S <= 2^126; where the reference is NaN ours is NaN too).
// The FMA set (assembly/fma.ts: a 6 x 8 block, 120-row blocks) rounds each step c + a*b once
// instead of twice: |ours - exact| <= K * u * S still holds (it is the plain bound with the
// products exact), so the same bound covers both sets (tested under Node 24 in
// packages/core/test/wasm-fma.test.ts). relaxed_madd may also run unfused, which is the plain case.

// The FMA set's block is 6 x 8: 12 accumulators, 2 B vectors and the A splat fill 15 of
// x64's 16 xmm registers (a fused multiply-add needs no temporary for the product).
const F32_MR: i32 = FMA ? 6 : 4;
const F32_NR: i32 = 8;
const F32_KC: i32 = 256;
const F32_MC: i32 = FMA ? 120 : 128;
const F32_NC: i32 = 1024;

/** Bytes of the A packing buffer matmul_f32 needs. */
export function matmulF32BufA(): i32 {
  return F32_MC * F32_KC * 4;
}

/** Bytes of the B packing buffer matmul_f32 needs. */
export function matmulF32BufB(): i32 {
  return F32_NC * F32_KC * 4;
}

/** Rows [i0, i0+mc) x k [k0, k0+kc) of A into panels of F32_MR rows: panel p, k, r at ((p*kc + k)*F32_MR + r). */
@inline function packA32(pa: usize, sam: i32, sak: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < mc; p += F32_MR) {
    const panel = dst + ((<usize>p * <usize>kc) << 2);
    if (sak == 1 && p + F32_MR <= mc) {
      packRows(at<f32>(pa, (i0 + p) * sam + k0), <usize>sam << 2, kc, panel);
      continue;
    }
    for (let r = 0; r < F32_MR; r++) {
      const d = panel + (<usize>r << 2);
      if (p + r < mc) {
        let off = (i0 + p + r) * sam + k0 * sak;
        for (let k = 0; k < kc; k++) {
          store<f32>(d + <usize>(k * F32_MR * 4), load<f32>(at<f32>(pa, off)));
          off += sak;
        }
      } else {
        for (let k = 0; k < kc; k++) store<f32>(d + <usize>(k * F32_MR * 4), 0);
      }
    }
  }
}

/**
 * F32_MR whole rows of A with unit k stride (row r at src + r * rowBytes) into one panel: 4 x 4
 * blocks transposed in registers (rows 4, 5 of the FMA set's panel as pairs), the k tail by element.
 */
@inline function packRows(src: usize, rowBytes: usize, kc: i32, d: usize): void {
  const step = <usize>(F32_MR * 4);
  const s1 = src + rowBytes;
  const s2 = s1 + rowBytes;
  const s3 = s2 + rowBytes;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const o = <usize>k << 2;
    const v0 = v128.load(src + o);
    const v1 = v128.load(s1 + o);
    const v2 = v128.load(s2 + o);
    const v3 = v128.load(s3 + o);
    const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
    const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
    const q = d + <usize>k * step;
    v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
    v128.store(q + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
    v128.store(q + 2 * step, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
    v128.store(q + 3 * step, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    if (F32_MR == 6) {
      const s4 = s3 + rowBytes;
      const v4 = v128.load(s4 + o);
      const v5 = v128.load(s4 + rowBytes + o);
      const u0 = v128.shuffle<f32>(v4, v5, 0, 4, 1, 5);
      const u1 = v128.shuffle<f32>(v4, v5, 2, 6, 3, 7);
      v128.store64_lane(q + 16, u0, 0);
      v128.store64_lane(q + step + 16, u0, 1);
      v128.store64_lane(q + 2 * step + 16, u1, 0);
      v128.store64_lane(q + 3 * step + 16, u1, 1);
    }
  }
  for (; k < kc; k++) {
    const o = <usize>k << 2;
    let s = src;
    for (let r = 0; r < F32_MR; r++) {
      store<f32>(d + <usize>k * step + (<usize>r << 2), load<f32>(s + o));
      s += rowBytes;
    }
  }
}

/** Columns [j0, j0+nc) x k [k0, k0+kc) of B into panels of 8 columns: panel q, k, c at ((q*kc + k)*8 + c). */
@inline function packB32(pb: usize, sbk: i32, sbn: i32, j0: i32, nc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let q = 0; q < nc; q += F32_NR) {
    const panel = dst + ((<usize>q * <usize>kc) << 2);
    const full = q + F32_NR <= nc;
    for (let k = 0; k < kc; k++) {
      const rowOff = (k0 + k) * sbk;
      const d = panel + (<usize>k << 5);
      if (full && sbn == 1) {
        const s = at<f32>(pb, rowOff + j0 + q);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      } else {
        for (let c = 0; c < F32_NR; c++) {
          store<f32>(d + (<usize>c << 2), q + c < nc ? load<f32>(at<f32>(pb, rowOff + (j0 + q + c) * sbn)) : 0);
        }
      }
    }
  }
}

@inline function put4(p: usize, v: v128, acc: bool): void {
  v128.store(p, acc ? f32x4.add(v128.load(p), v) : v);
}

@inline function putLane(p: usize, x: f32, acc: bool): void {
  store<f32>(p, acc ? load<f32>(p) + x : x);
}

/** The first `nr` (< 8 or row partial) lanes of one row of the register block. */
@inline function putRow(p: usize, nr: i32, lo: v128, hi: v128, acc: bool): void {
  if (nr == 8) {
    put4(p, lo, acc);
    put4(p + 16, hi, acc);
    return;
  }
  putLane(p, f32x4.extract_lane(lo, 0), acc);
  if (nr > 1) putLane(p + 4, f32x4.extract_lane(lo, 1), acc);
  if (nr > 2) putLane(p + 8, f32x4.extract_lane(lo, 2), acc);
  if (nr > 3) putLane(p + 12, f32x4.extract_lane(lo, 3), acc);
  if (nr > 4) putLane(p + 16, f32x4.extract_lane(hi, 0), acc);
  if (nr > 5) putLane(p + 20, f32x4.extract_lane(hi, 1), acc);
  if (nr > 6) putLane(p + 24, f32x4.extract_lane(hi, 2), acc);
}

/** C block (mr <= F32_MR rows, nr <= 8 columns, row stride ldo elements) (+)= A panel @ B panel over kc. */
@inline function micro32(ap: usize, bp: usize, kc: i32, po: usize, ldo: i32, mr: i32, nr: i32, acc: bool): void {
  if (FMA) {
    micro32x6(ap, bp, kc, po, ldo, mr, nr, acc);
    return;
  }
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a = ap;
  let b = bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a += 16;
    b += 32;
  }
  const row = <usize>ldo << 2;
  putRow(po, nr, c00, c01, acc);
  if (mr > 1) putRow(po + row, nr, c10, c11, acc);
  if (mr > 2) putRow(po + 2 * row, nr, c20, c21, acc);
  if (mr > 3) putRow(po + 3 * row, nr, c30, c31, acc);
}

/**
 * The FMA set's 6 x 8 block (same k order, each step one fused multiply-add). A's values are
 * loaded then splat (V8 on x64: a load and a register broadcast) rather than load-splat with an
 * offset, which V8 compiles with an extra address add that competes with the FMAs for ports.
 */
@inline function micro32x6(ap: usize, bp: usize, kc: i32, po: usize, ldo: i32, mr: i32, nr: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let a = ap;
  let b = bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = f32x4.splat(load<f32>(a));
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = f32x4.splat(load<f32>(a, 4));
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = f32x4.splat(load<f32>(a, 8));
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = f32x4.splat(load<f32>(a, 12));
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    x = f32x4.splat(load<f32>(a, 16));
    c40 = madd(x, b0, c40);
    c41 = madd(x, b1, c41);
    x = f32x4.splat(load<f32>(a, 20));
    c50 = madd(x, b0, c50);
    c51 = madd(x, b1, c51);
    a += 24;
    b += 32;
  }
  const row = <usize>ldo << 2;
  putRow(po, nr, c00, c01, acc);
  if (mr > 1) putRow(po + row, nr, c10, c11, acc);
  if (mr > 2) putRow(po + 2 * row, nr, c20, c21, acc);
  if (mr > 3) putRow(po + 3 * row, nr, c30, c31, acc);
  if (mr > 4) putRow(po + 4 * row, nr, c40, c41, acc);
  if (mr > 5) putRow(po + 5 * row, nr, c50, c51, acc);
}

/**
 * out (M x N f32, contiguous) = A (M x K, strides sam/sak) @ B (K x N, strides sbk/sbn) with
 * f32 accumulation (bound above). `bufA` holds matmulF32BufA() bytes, `bufB` matmulF32BufB().
 * Uses no static scratch, so threads may run it on disjoint row ranges at once.
 */
export function matmul_f32(pa: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, sam: i32, sak: i32, sbk: i32, sbn: i32, bufA: usize, bufB: usize): void {
  if (K == 0) {
    memory.fill(po, 0, (<usize>M * <usize>N) << 2);
    return;
  }
  for (let jc = 0; jc < N; jc += F32_NC) {
    const nc = min(F32_NC, N - jc);
    for (let pc = 0; pc < K; pc += F32_KC) {
      const kc = min(F32_KC, K - pc);
      packB32(pb, sbk, sbn, jc, nc, pc, kc, bufB);
      for (let ic = 0; ic < M; ic += F32_MC) {
        const mc = min(F32_MC, M - ic);
        packA32(pa, sam, sak, ic, mc, pc, kc, bufA);
        for (let jr = 0; jr < nc; jr += F32_NR) {
          const bp = bufB + ((<usize>jr * <usize>kc) << 2);
          const nr = min(F32_NR, nc - jr);
          for (let ir = 0; ir < mc; ir += F32_MR) {
            const ap = bufA + ((<usize>ir * <usize>kc) << 2);
            micro32(ap, bp, kc, at<f32>(po, (ic + ir) * N + jc + jr), N, min(F32_MR, mc - ir), nr, pc > 0);
          }
        }
      }
    }
  }
}

export function matmul_f64(pa: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, sam: i32, sak: i32, sbk: i32, sbn: i32, bufA: usize, bufB: usize): void {
  gemm<f64, f64>(pa, pb, po, M, N, K, sam, sak, sbk, sbn, bufA, bufB);
}

/** f32 operands, unrounded double sums out (for AddMM's epilogue). */
export function matmul_f32_acc(pa: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, sam: i32, sak: i32, sbk: i32, sbn: i32, bufA: usize, bufB: usize): void {
  gemm<f32, f64>(pa, pb, po, M, N, K, sam, sak, sbk, sbn, bufA, bufB);
}

/**
 * AddMM's epilogue: out[i] = alpha * acc[i] + beta * c[i], in double, rounded to T once; `c`
 * walks the descriptor [ndim, shape, strides] (it is broadcast to the output's shape).
 */
@inline function addmmEpilogue<T>(pacc: usize, pc: usize, po: usize, alpha: f64, beta: f64): void {
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const s0 = word(1 + nd + last);
  const shape = wordAt(1);
  const jc = jumpTable(0);
  const rows = startDescWalk(last, 1);
  let oc = 0;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let ic = oc;
    for (let j = 0; j < n0; j++) {
      const v = alpha * load<f64>(pacc + (<usize>o << 3)) + beta * <f64>load<T>(at<T>(pc, ic));
      store<T>(at<T>(po, o), <T>v);
      o++;
      ic += s0;
    }
    oc += jump(jc, advance(shape, COUNTERS, last));
  }
}

export function addmm_epilogue_f32(pacc: usize, pc: usize, po: usize, alpha: f64, beta: f64): void {
  addmmEpilogue<f32>(pacc, pc, po, alpha, beta);
}

export function addmm_epilogue_f64(pacc: usize, pc: usize, po: usize, alpha: f64, beta: f64): void {
  addmmEpilogue<f64>(pacc, pc, po, alpha, beta);
}

// ---- float32 convolution: an indirect GEMM (no im2col, no padded copy of the input) ----
// out[i, j] = sum over taps t, channels c of A(i, t)[c] * B[t * Cg + c, j], where A(i, t) is
// the input position window i reads at tap t: src + ind[i * T + t] (i32 element offsets), or
// the `zero` vector for padding, dilation holes and positions past the input (ind = CONV_ZERO),
// channels contiguous (XNNPACK's indirection buffer). B is packed once by conv_pack_b_f32 into
// matmul_f32's 8-column panels over the whole K. The 4 x 8 register block accumulates in f32
// in k order (t, then c) over all of K, so the matmul_f32 bound holds with K = T * Cg.
// No static scratch: threads take row ranges.

/** The offset that stands for "zeros" in an indirection table. */
export const CONV_ZERO: i32 = i32.MIN_VALUE;

/** Rows of one register block (4 x 8 in both sets: each row's four tap addresses take registers too). */
const CONV_MR: i32 = 4;

/** Rows of one block: their inputs stay in L1/L2 while every B panel passes over them. */
const CONV_RB: i32 = 64;

/** B (K x N, strides sbk/sbn) packed whole into 8-column panels (conv_igemm_f32's layout): ceil(N / 8) * 8 * K floats at dst. */
export function conv_pack_b_f32(pb: usize, sbk: i32, sbn: i32, K: i32, N: i32, dst: usize): void {
  packB32(pb, sbk, sbn, 0, N, 0, K, dst);
}

@inline function tapAddress(src: usize, zero: usize, ind: usize, i: i32, T: i32, t: i32): usize {
  const off = load<i32>(ind + ((<usize>i * <usize>T + <usize>t) << 2));
  return off == CONV_ZERO ? zero : at<f32>(src, off);
}

/** One 4 x 8 block: rows i0.. (mr valid), the panel at bp, all taps and channels. */
@inline function convTile(src: usize, zero: usize, ind: usize, i0: i32, mr: i32, T: i32, Cg: i32, bp: usize, po: usize, ldo: i32, nr: i32): void {
  // rows past the end repeat row i0 (read, never stored)
  const i1 = mr > 1 ? i0 + 1 : i0;
  const i2 = mr > 2 ? i0 + 2 : i0;
  const i3 = mr > 3 ? i0 + 3 : i0;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let b = bp;
  for (let t = 0; t < T; t++) {
    let a0 = tapAddress(src, zero, ind, i0, T, t);
    let a1 = tapAddress(src, zero, ind, i1, T, t);
    let a2 = tapAddress(src, zero, ind, i2, T, t);
    let a3 = tapAddress(src, zero, ind, i3, T, t);
    for (let c = 0; c < Cg; c++) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let x = v128.load32_splat(a0);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load32_splat(a1);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load32_splat(a2);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load32_splat(a3);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      a0 += 4;
      a1 += 4;
      a2 += 4;
      a3 += 4;
      b += 32;
    }
  }
  const row = <usize>ldo << 2;
  putRow(po, nr, c00, c01, false);
  if (mr > 1) putRow(po + row, nr, c10, c11, false);
  if (mr > 2) putRow(po + 2 * row, nr, c20, c21, false);
  if (mr > 3) putRow(po + 3 * row, nr, c30, c31, false);
}

/**
 * Rows [0, M) of a convolution's output (row stride ldo, N columns): out[i, j] = sum_t sum_c
 * A(i, t)[c] * B[t * Cg + c, j], A(i, t) from the indirection table `ind` (M x T offsets from
 * src, CONV_ZERO for the `zero` vector of Cg floats), B packed by conv_pack_b_f32 (T * Cg > 0).
 */
export function conv_igemm_f32(src: usize, zero: usize, ind: usize, T: i32, Cg: i32, pb: usize, po: usize, M: i32, N: i32, ldo: i32): void {
  const K = T * Cg;
  for (let r0 = 0; r0 < M; r0 += CONV_RB) {
    const rb = min(CONV_RB, M - r0);
    for (let j0 = 0; j0 < N; j0 += F32_NR) {
      const bp = pb + ((<usize>j0 * <usize>K) << 2);
      const nr = min(F32_NR, N - j0);
      for (let i = 0; i < rb; i += CONV_MR) {
        convTile(src, zero, ind, r0 + i, min(CONV_MR, rb - i), T, Cg, bp, at<f32>(po, (r0 + i) * ldo + j0), ldo, nr);
      }
    }
  }
}
