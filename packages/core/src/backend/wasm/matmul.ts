// Matmul and AddMM adapters: float32 / float64, batched, any strides (the kernel packs both
// operands). Packing buffers (and AddMM's unrounded sums) come from the heap for the call.
import { float32, float64 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, fitsI32, mergeDims, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';

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
  const { k, heap } = ctx;
  const bufA = heap.alloc(k.matmulRowBlock(K) * K * 8);
  const bufB = heap.alloc(k.matmulColBlock(K) * K * 8);
  // AddMM: the unrounded double sums, scaled and rounded by the epilogue
  const acc = addmm ? heap.alloc(nOut * 8) : null;
  try {
    const batchShape = out.shape.slice(0, nd - 2);
    const nBatch = shapeSize(batchShape);
    const fn = acc ? (d === float32 ? k.matmul_f32_acc : k.matmul_f64) : d === float32 ? k.matmul_f32 : k.matmul_f64;
    const outSize = acc ? 8 : d.size;
    const pa = addressOf(a);
    const pb = addressOf(b);
    const po = acc ? acc.ptr : addressOf(out);
    for (let bi = 0; bi < nBatch; bi++) {
      let offA = 0;
      let offB = 0;
      let rem = bi;
      for (let i = batchShape.length - 1; i >= 0; i--) {
        const c = rem % batchShape[i]!;
        rem = Math.floor(rem / batchShape[i]!);
        offA += c * as[i]!;
        offB += c * bs[i]!;
      }
      fn(pa + offA * d.size, pb + offB * d.size, po + bi * M * N * outSize, M, N, K, as[nd - 2]!, as[nd - 1]!, bs[nd - 2]!, bs[nd - 1]!, bufA.ptr, bufB.ptr);
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
    heap.free(bufA.ptr, bufA.size);
    heap.free(bufB.ptr, bufB.size);
    if (acc) heap.free(acc.ptr, acc.size);
  }
  return true;
}
