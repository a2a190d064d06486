// QuantizedMatmul and GatherQMM adapters: float32 x (and float32 scales and biases for
// affine), any mode, group size and bit width, both transposes; the kernels read the packed
// weights directly (no dequantized copy).
// - affine x @ w.T with 4 or 8 bits (the quantized layers' case): qmv_f32, f32 lane sums per
//   group, then scale * sum + bias * sum(x); NOT bit-identical to the reference. Stated
//   bound, per element, with u = 2^-24 and S = sum_k |x_k| * (|scale * q_k| + |bias|):
//       |ours - reference| <= (K + 8) * u * S + K * 2^-149
//   while no |x_k q_k| * groupSize reaches 2^115 (the codes are summed carrying a factor
//   2^12, kernels-wasm quantized.ts), tested in wasm-quantized.test.ts. Results don't depend
//   on M or the thread count.
// - everything else: qmm_f32, 8 output columns at a time, bit-identical to the reference
//   (the weights rounded as Dequantize rounds them, double sums in k order).
// Layouts: each matrix of w, scales and biases row-contiguous, x's rows unit-stride; batch
// dims any strides. Other layouts and dtypes fall back to the reference kernels.
// Threads: the output columns are split into chunks of whole 8-column panels.
import { float32 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, fitsI32, type WasmContext } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { QMatmulParams } from '../../primitives/quantized.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { values } from '../reference/quantized.js';

/** Multiply-adds (plus weights decoded) above which the columns are split across threads. */
const THREAD_WORK = 1 << 18;

const MODES = { affine: 'QMM_AFFINE', mxfp4: 'QMM_MXFP4', mxfp8: 'QMM_MXFP8', nvfp4: 'QMM_NVFP4' } as const;

/** Byte offset of batch entry `b` (row-major over the batch dims) of an array's matrices. */
function batchOffset(d: ArrayData, b: number): number {
  const nb = d.shape.length - 2;
  let off = 0;
  for (let i = nb - 1; i >= 0; i--) {
    const n = d.shape[i]!;
    off += (b % n) * d.strides[i]!;
    b = Math.floor(b / n);
  }
  return off * d.dtype.size;
}

/** A matrix (the last two dims) stored row after row with no gaps. */
function rowContiguous(d: ArrayData): boolean {
  const nd = d.shape.length;
  const rows = d.shape[nd - 2]!, cols = d.shape[nd - 1]!;
  return (cols <= 1 || d.strides[nd - 1] === 1) && (rows <= 1 || d.strides[nd - 2] === cols);
}

interface Job {
  /** byte address of x's matrix, of w's, of the scales', of the biases', of the output matrix */
  x: number;
  w: number;
  s: number;
  b: number;
  o: number;
}

/**
 * float32 affine x @ w.T with 4- or 8-bit codes: the f32 kernel (qmv_f32, a stated bound);
 * every other case: the exact panel kernel (qmm_f32).
 */
export const usesF32Path = (p: QMatmulParams): boolean => p.mode === 'affine' && p.transpose && (p.bits === 4 || p.bits === 8);

/** The addresses of x's matrix xb, of w's (and its scales' and biases') matrix wb, and of the output at element `o`. */
function job(x: ArrayData, xb: number, w: ArrayData, scales: ArrayData, biases: ArrayData | null, wb: number, out: ArrayData, o: number): Job {
  return {
    x: addressOf(x) + batchOffset(x, xb),
    w: addressOf(w) + batchOffset(w, wb),
    s: addressOf(scales) + batchOffset(scales, wb),
    b: biases ? addressOf(biases) + batchOffset(biases, wb) : 0,
    o: addressOf(out) + o * 4,
  };
}

function run(ctx: WasmContext, p: QMatmulParams, M: number, N: number, K: number, sxm: number, jobs: Job[]): void {
  const { k, heap } = ctx;
  const parts = chunkCount(ctx, (M + 1) * N * K, THREAD_WORK);
  if (usesF32Path(p)) {
    const rows = splitRange(N, Math.min(parts, N), 2);
    const prep = heap.alloc(k.qmvPrepareBytes(M, K, p.groupSize));
    const accs = rows.map(() => heap.alloc(k.qmvScratchBytes(M)));
    try {
      for (const j of jobs) {
        k.qmvPrepare(j.x, sxm, M, K, p.groupSize, p.bits, prep.ptr);
        parallel(ctx, 'qmv_f32', rows.map(([n0, n1], i) => [prep.ptr, j.w, j.s, j.b, j.o, M, N, K, n0, n1, p.bits, p.groupSize, accs[i]!.ptr]));
      }
    } finally {
      heap.free(prep.ptr, prep.size);
      for (const a of accs) heap.free(a.ptr, a.size);
    }
    return;
  }
  const mode = ctx.code(MODES[p.mode]);
  if (mode === undefined) throw new Error(`internal: no kernel constant for ${p.mode}`);
  const cols = splitRange(N, Math.min(parts, Math.ceil(N / 8)), 8);
  const scratch = cols.map(() => heap.alloc(k.qmmScratchBytes(K)));
  try {
    for (const j of jobs) {
      parallel(
        ctx,
        'qmm_f32',
        cols.map(([n0, n1], i) => [j.x, sxm, j.w, j.s, j.b, j.o, M, N, K, n0, n1, p.bits, p.groupSize, mode, p.transpose ? 1 : 0, scratch[i]!.ptr]),
      );
    }
  } finally {
    for (const s of scratch) heap.free(s.ptr, s.size);
  }
}

/** Whether the kernel takes these operands; returns [M, N, K, x's row stride]. */
function accepts(x: ArrayData, w: ArrayData, scales: ArrayData, biases: ArrayData | null, out: ArrayData): [number, number, number, number] | null {
  if (out.dtype !== float32 || x.dtype !== float32) return null;
  if (biases && (scales.dtype !== float32 || biases.dtype !== float32)) return null;
  if (!rowContiguous(w) || !rowContiguous(scales) || (biases && !rowContiguous(biases))) return null;
  const nd = x.shape.length;
  const K = x.shape[nd - 1]!;
  const M = nd > 1 ? x.shape[nd - 2]! : 1;
  const N = out.shape[out.shape.length - 1]!;
  if (K > 1 && x.strides[nd - 1] !== 1) return null;
  const sxm = nd > 1 ? x.strides[nd - 2]! : K;
  if (!fitsI32([sxm, M * N, K * 8 * 4]) || shapeSize(out.shape) >= 2 ** 31) return null;
  return [M, N, K, sxm];
}

interface Operands {
  x: ArrayData;
  w: ArrayData;
  scales: ArrayData;
  biases: ArrayData | null;
  out: ArrayData;
  inputs: readonly ArrayData[];
  M: number;
  N: number;
}

/** An adapter: the shared checks, then the jobs `jobsOf` lists (null: decline). */
function registerQmm(name: string, jobsOf: (o: Operands) => Job[] | null): void {
  registerWasmKernel(name, (ctx, prim, inputs, [out]) => {
    const p = prim.params as QMatmulParams;
    const [x, w, scales] = inputs as [ArrayData, ArrayData, ArrayData];
    const biases = p.mode === 'affine' ? inputs[3]! : null;
    const dims = accepts(x, w, scales, biases, out!);
    if (!dims) return false;
    const [M, N, K, sxm] = dims;
    const jobs = jobsOf({ x, w, scales, biases, out: out!, inputs, M, N });
    if (!jobs) return false;
    if (shapeSize(out!.shape) > 0) run(ctx, p, M, N, K, sxm, jobs);
    return true;
  });
}

// a 2-D w serves every batch entry; a batched one was broadcast to x's batch (as MLX)
registerQmm('QuantizedMatmul', ({ x, w, scales, biases, out, M, N }) =>
  Array.from({ length: shapeSize(out.shape) / Math.max(1, M * N) }, (_, b) => job(x, x.shape.length > 2 ? b : 0, w, scales, biases, w.shape.length > 2 ? b : 0, out, b * M * N)),
);

registerQmm('GatherQMM', ({ x, w, scales, biases, out, inputs, M, N }) => {
  const lhs = values(inputs[inputs.length - 2]!), rhs = values(inputs[inputs.length - 1]!);
  const nx = shapeSize(x.shape.slice(0, -2)), nw = shapeSize(w.shape.slice(0, -2));
  // an index out of range: the reference kernel raises
  if (lhs.some((i) => !(i < nx)) || rhs.some((i) => !(i < nw))) return null;
  return Array.from(lhs, (l, i) => job(x, l, w, scales, biases, rhs[i]!, out, i * M * N));
});
