// Matmul and AddMM adapters: float32 / float64, batched, any strides (the kernel packs both
// operands). Packing buffers (and AddMM's unrounded sums) come from the heap for the call.
//
// float32 Matmul runs the f32 SIMD kernel (matmul_f32: f32 products and sums), which is NOT
// bit-identical to the reference (double sums rounded once). Stated bound, per element, with
// S = sum_k |a_ik * b_kj| (finite operands, S <= 2^126):
//     |ours - reference| <= (K + 2) * 2^-24 * S + K * 2^-149
// and where the reference is NaN, ours is NaN (tested in wasm-matmul.test.ts and
// wasm-threads.test.ts). Both kernel sets keep it: the FMA set (relaxed SIMD, loaded where the
// runtime has it: WasmBackend's `fma` option) rounds each multiply-add once, the plain set
// twice (wasm-fma.test.ts proves the FMA set under Node 24). Results don't depend on the
// thread count (rows are split, every element is computed by the same code in the same order). float64 Matmul and all of AddMM
// stay exact (double sums in k order).
//
// Few rows (M <= 16, a matrix-vector product): matvec.ts, in the same bound.
//
// Threads (threads.ts): the rows of each batch entry are split into chunks of whole
// 4-row blocks, each chunk with its own packing buffers, when M*N*K >= THREAD_FLOPS.
import { float32, float64 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, batchOffsets, fitsI32, mergeDims, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { SKINNY_MAX_ROWS, skinnyMatmulF32 } from './matvec.js';

/** Multiply-adds per batch entry above which the rows are split across threads. */
export const THREAD_FLOPS = 1 << 18;

registerWasmKernel('Matmul', (ctx, _p, [a, b], [out]) => matmul(ctx, a!, b!, out!, null));

registerWasmKernel('AddMM', (ctx, prim, [a, b, c], [out]) => {
  const { alpha, beta } = prim.params as { alpha: number; beta: number };
  if (c!.dtype !== out!.dtype) return false;
  return matmul(ctx, a!, b!, out!, { c: c!, alpha, beta });
});

/** out = a @ b, or alpha * (a @ b) + beta * c rounded once when `addmm` is given. */
function matmul(ctx: WasmContext, a: ArrayData, b: ArrayData, out: ArrayData, addmm: { c: ArrayData; alpha: number; beta: number } | null): boolean {
  const d = out.dtype;
  if ((d !== float32 && d !== float64) || a.dtype !== d || b.dtype !== d) return false;
  const nd = out.shape.length;
  const M = out.shape[nd - 2]!;
  const N = out.shape[nd - 1]!;
  const K = a.shape[nd - 1]!;
  const nOut = shapeSize(out.shape);
  if (nOut === 0) return true;
  const as = a.strides;
  const bs = b.strides;
  if (!fitsI32(as) || !fitsI32(bs) || nOut >= 2 ** 31) return false;
  let cLayout: { shape: number[]; strides: number[][] } | null = null;
  if (addmm) {
    cLayout = mergeDims(out.shape, [addmm.c.strides]);
    if (cLayout.shape.length > ctx.maxDims || !fitsI32(cLayout.strides[0]!)) return false;
  }
  const fast32 = d === float32 && !addmm;
  // few rows: the weight streamed once, in place (matvec.ts)
  if (fast32 && M <= SKINNY_MAX_ROWS && skinnyMatmulF32(ctx, a, b, out)) return true;
  const { k, heap } = ctx;
  const bytesA = fast32 ? k.matmulF32BufA() : k.matmulRowBlock(K) * K * 8;
  const bytesB = fast32 ? k.matmulF32BufB() : k.matmulColBlock(K) * K * 8;
  const parts = M >= 8 ? chunkCount(ctx, M * N * K, THREAD_FLOPS) : 1;
  const rows = splitRange(M, parts, 4);
  const bufs = rows.map(() => ({ a: heap.alloc(bytesA), b: heap.alloc(bytesB) }));
  // AddMM: the unrounded double sums, scaled and rounded by the epilogue
  const acc = addmm ? heap.alloc(nOut * 8) : null;
  try {
    const batchShape = out.shape.slice(0, nd - 2);
    const nBatch = shapeSize(batchShape);
    const fn = acc ? (d === float32 ? 'matmul_f32_acc' : 'matmul_f64') : d === float32 ? 'matmul_f32' : 'matmul_f64';
    const outSize = acc ? 8 : d.size;
    const pa = addressOf(a);
    const pb = addressOf(b);
    const po = acc ? acc.ptr : addressOf(out);
    const sam = as[nd - 2]!;
    const sak = as[nd - 1]!;
    const sbk = bs[nd - 2]!;
    const sbn = bs[nd - 1]!;
    for (let bi = 0; bi < nBatch; bi++) {
      const [offA, offB] = batchOffsets(bi, batchShape, as, bs);
      const a0 = pa + offA * d.size;
      const b0 = pb + offB * d.size;
      const o0 = po + bi * M * N * outSize;
      parallel(
        ctx,
        fn,
        rows.map(([r0, r1], i) => [a0 + r0 * sam * d.size, b0, o0 + r0 * N * outSize, r1 - r0, N, K, sam, sak, sbk, sbn, bufs[i]!.a.ptr, bufs[i]!.b.ptr]),
      );
    }
    if (acc && addmm && cLayout) {
      const desc = ctx.desc();
      const cn = cLayout.shape.length;
      desc[0] = cn;
      desc.set(cLayout.shape, 1);
      desc.set(cLayout.strides[0]!, 1 + cn);
      const epilogue = d === float32 ? k.addmm_epilogue_f32 : k.addmm_epilogue_f64;
      epilogue(acc.ptr, addressOf(addmm.c), addressOf(out), addmm.alpha, addmm.beta);
    }
  } finally {
    for (const { a: x, b: y } of bufs) {
      heap.free(x.ptr, x.size);
      heap.free(y.ptr, y.size);
    }
    if (acc) heap.free(acc.ptr, acc.size);
  }
  return true;
}
