// Matmul for f32 and f64: out = a @ b for one batch entry, any strides. Both operands are
// packed (converted to f64) into panels, then a 4x4 register-blocked micro-kernel runs over
// cache-sized blocks. Every output is a dot product accumulated in double in k order and
// rounded to the output dtype once, exactly as the reference does (no FMA, no reordering:
// f32 products are exact in double, so f32 results are bit-identical too).
import { at, word, zeroCounters, counter, setCounter } from './layout';

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

export function matmul_f32(pa: usize, pb: usize, po: usize, M: i32, N: i32, K: i32, sam: i32, sak: i32, sbk: i32, sbn: i32, bufA: usize, bufB: usize): void {
  gemm<f32, f32>(pa, pb, po, M, N, K, sam, sak, sbk, sbn, bufA, bufB);
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
  let outer = 1;
  for (let d = 0; d < last; d++) outer *= word(1 + d);
  zeroCounters(nd);
  let oc = 0;
  let o = 0;
  for (let r = 0; r < outer; r++) {
    let ic = oc;
    for (let j = 0; j < n0; j++) {
      const v = alpha * load<f64>(pacc + (<usize>o << 3)) + beta * <f64>load<T>(at<T>(pc, ic));
      store<T>(at<T>(po, o), <T>v);
      o++;
      ic += s0;
    }
    for (let d = last - 1; d >= 0; d--) {
      const size = word(1 + d);
      const c = counter(d) + 1;
      oc += word(1 + nd + d);
      if (c < size) {
        setCounter(d, c);
        break;
      }
      setCounter(d, 0);
      oc -= word(1 + nd + d) * size;
    }
  }
}

export function addmm_epilogue_f32(pacc: usize, pc: usize, po: usize, alpha: f64, beta: f64): void {
  addmmEpilogue<f32>(pacc, pc, po, alpha, beta);
}

export function addmm_epilogue_f64(pacc: usize, pc: usize, po: usize, alpha: f64, beta: f64): void {
  addmmEpilogue<f64>(pacc, pc, po, alpha, beta);
}
