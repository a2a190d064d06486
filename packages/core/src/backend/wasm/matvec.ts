// Skinny float32 matmul (matrix-vector products, decoding): M <= SKINNY_MAX_ROWS rows of output per
// batch entry (in passes of SKINNY_ROWS) (after folding a broadcast weight's batch into the rows). The weight is read in
// place, once for all rows, by matvec_f32_dot (unit k stride: W.T, a Linear layer's layout) or
// matvec_f32_axpy (unit n stride: W as stored), and the columns are split across threads: every
// thread writes its own columns of every output row, so the result doesn't depend on the thread
// count. Same error bound as matmul_f32 (kernels-wasm/assembly/matvec.ts). Other layouts (no
// unit stride in the weight) go to the packing GEMM. A bfloat16 or float16 weight with unit k
// stride is read in place too (matvec_bf16_dot / matvec_f16_dot, for widen.ts's half products).
import { shapeSize } from '../../shape.js';
import { bfloat16, float16 } from '../../dtype.js';
import { addressOf, batchOffsets, mergeDims, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';
import { chunkCount, parallel, splitRange } from './threads.js';

/** Most output rows the skinny kernels take in one pass over the weight. */
export const SKINNY_ROWS = 16;
/**
 * Most output rows per batch entry that take the skinny kernels, in passes of SKINNY_ROWS rows
 * (each pass reads the weight again). Up to 32 that beats the packing GEMM, which packs the
 * whole weight for every row chunk: x (M x 4096) @ W.T (4096 x 4096), 2 threads, loaded host:
 * M = 17: 25-31 ms against 31-45 ms; M = 24: 28-34 against 34-40; M = 48: no gain.
 */
export const SKINNY_MAX_ROWS = 32;
/** Bytes of scratch matvec_f32_dot takes per call: 32 a row (its two columns' sums), SKINNY_ROWS rows. */
const DOT_SCRATCH = SKINNY_ROWS * 32;
/** Weight elements per batch entry above which the columns are split across threads. */
export const SKINNY_THREAD_ELEMS = 1 << 16;

/** Calls of each skinny kernel (tests check which path a layout takes). @internal */
export const skinnyStats = { dot: 0, axpy: 0, packedA: 0, half: 0 };

/**
 * out = a @ b (float32, out contiguous), or false where the layout doesn't suit (the caller runs
 * the GEMM). Shapes: a (..., M, K), b (..., K, N), out (..., M, N), batch dims broadcast already.
 * b may be bfloat16 or float16 with unit k stride (a half Linear weight's W.T; matvec_bf16_dot /
 * matvec_f16_dot read it in place, half the bytes of float32), a float32.
 */
export function skinnyMatmulF32(ctx: WasmContext, a: ArrayData, b: ArrayData, out: ArrayData): boolean {
  const nd = out.shape.length;
  let M = out.shape[nd - 2]!;
  const N = out.shape[nd - 1]!;
  const K = a.shape[nd - 1]!;
  const as = a.strides;
  const bs = b.strides;
  let sam = as[nd - 2]!;
  const sak = as[nd - 1]!;
  const sbk = bs[nd - 2]!;
  const sbn = bs[nd - 1]!;
  let batchShape = out.shape.slice(0, nd - 2);
  let aBatch = as.slice(0, nd - 2);
  let bBatch = bs.slice(0, nd - 2);
  // A weight shared by every batch entry: the batch's rows are more rows of one product when
  // a's rows are evenly spaced across it (x (B, T, K) @ W (K, N)) and stay few
  if (batchShape.length > 0 && bBatch.every((s, i) => s === 0 || batchShape[i] === 1)) {
    const rows = mergeDims([...batchShape, M], [[...aBatch, sam]]);
    if (rows.shape.length === 1 && rows.shape[0]! <= SKINNY_MAX_ROWS) {
      M = rows.shape[0]!;
      sam = rows.strides[0]![0]!;
      batchShape = [];
      aBatch = [];
      bBatch = [];
    }
  }
  if (M > SKINNY_MAX_ROWS) return false;
  const half = b.dtype === bfloat16 || b.dtype === float16;
  // a single column or a single k reads one line of the weight either way
  const axpy = !half && ((sbn === 1 && N > 1) || (N === 1 && sbk !== 1 && K > 1));
  const dot = !axpy && (sbk === 1 || K === 1);
  if (!axpy && !dot) return false;
  const { heap } = ctx;
  const nBatch = shapeSize(batchShape);
  const parts = chunkCount(ctx, N * K, SKINNY_THREAD_ELEMS);
  const cols = splitRange(N, parts, 16);
  // A with unit k stride: the dot kernel needs it
  const packA = half || (dot && sak !== 1 && K > 1) ? heap.alloc(M * K * 4) : null;
  let packBlocks: typeof packA = null;
  let scratch: typeof packA = null;
  let pairs: typeof packA = null;
  try {
    // the float32 dot kernel's row blocks (a half weight, dot too, takes its own kernel), packed
    // in the order it reads them (matvec_pack_a_blocks), each pass of SKINNY_ROWS rows on its own,
    // for every product of two or more rows: the kernel decides per column range which of them it
    // runs (two rows: dot4x2 leaves a column tail to them), so the copy is always there rather
    // than guessed here (a pass of up to 4 rows takes 4 rows' room: the kernel runs them as 4)
    const f32dot = dot && !half;
    const passRows = Math.max(4, Math.min(M, SKINNY_ROWS));
    if (f32dot && K >= 8 && M > 1) packBlocks = heap.alloc(Math.ceil(M / SKINNY_ROWS) * passRows * (K & ~7) * 4);
    // each chunk's own room for the row blocks' sums between their turns (more than one block: 32 bytes a row)
    if (f32dot && M > 4) scratch = heap.alloc(cols.length * DOT_SCRATCH);
    // the axpy kernel's strips (two or more rows, 16 columns or more): A's values splat to
    // vectors, in row pairs (matvec_pack_a_pairs: 32 bytes a pair and k, four times A's bytes)
    if (axpy && M > 1 && N >= 16) pairs = heap.alloc(Math.ceil(M / 2) * K * 32);
    const pa = addressOf(a);
    const pb = addressOf(b);
    const po = addressOf(out);
    for (let bi = 0; bi < nBatch; bi++) {
      const [offA, offB] = batchOffsets(bi, batchShape, aBatch, bBatch);
      let a0 = pa + offA * 4;
      const b0 = pb + offB * b.dtype.size;
      const o0 = po + bi * M * N * 4;
      let lda = sam;
      if (packA && !half) {
        skinnyStats.packedA++;
        ctx.k.matvec_pack_a_f32(a0, M, K, sam, sak, packA.ptr);
        a0 = packA.ptr;
        lda = K;
      }
      if (half) {
        skinnyStats.half++;
        ctx.k.matvec_pack_a_eo(a0, M, K, sam, sak, packA!.ptr);
        for (let r0 = 0; r0 < M; r0 += SKINNY_ROWS) {
          const m = Math.min(SKINNY_ROWS, M - r0);
          parallel(ctx, b.dtype === bfloat16 ? 'matvec_bf16_dot' : 'matvec_f16_dot', cols.map(([j0, j1]) => [packA!.ptr + r0 * K * 4, b0, o0 + r0 * N * 4, m, K, sbn, N, j0, j1]));
        }
      } else if (dot) {
        skinnyStats.dot++;
        for (let r0 = 0; r0 < M; r0 += SKINNY_ROWS) {
          const m = Math.min(SKINNY_ROWS, M - r0);
          const pk = packBlocks ? packBlocks.ptr + (r0 / SKINNY_ROWS) * passRows * (K & ~7) * 4 : 0;
          if (packBlocks) ctx.k.matvec_pack_a_blocks(a0 + r0 * lda * 4, m, K, lda, pk);
          parallel(ctx, 'matvec_f32_dot', cols.map(([j0, j1], i) => [a0 + r0 * lda * 4, b0, o0 + r0 * N * 4, m, K, lda, sbn, N, j0, j1, pk, scratch ? scratch.ptr + i * DOT_SCRATCH : 0]));
        }
      } else {
        skinnyStats.axpy++;
        if (pairs) ctx.k.matvec_pack_a_pairs(a0, M, K, sam, sak, pairs.ptr);
        for (let r0 = 0; r0 < M; r0 += SKINNY_ROWS) {
          const m = Math.min(SKINNY_ROWS, M - r0);
          // each pass's rows are whole pairs (SKINNY_ROWS even)
          const pk = pairs ? pairs.ptr + (r0 / 2) * K * 32 : 0;
          parallel(ctx, 'matvec_f32_axpy', cols.map(([j0, j1]) => [a0 + r0 * sam * 4, b0, o0 + r0 * N * 4, m, K, sam, sak, sbk, N, j0, j1, pk]));
        }
      }
    }
  } finally {
    if (packA) heap.free(packA.ptr, packA.size);
    if (packBlocks) heap.free(packBlocks.ptr, packBlocks.size);
    if (scratch) heap.free(scratch.ptr, scratch.size);
    if (pairs) heap.free(pairs.ptr, pairs.size);
  }
  return true;
}
