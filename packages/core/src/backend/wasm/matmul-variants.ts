// GatherMM and SegmentedMM on the WASM backend: each output matrix is one call of the Matmul
// adapter (matmul.ts) on strided views of the operands, nothing copied: a gathered pair of
// matrices (MLX's gather_mm, the mixture-of-experts product: with one row it is the
// matrix-vector path reading the expert's weight in place), or a K-range of a and b
// (segmented_mm). So the bounds are Matmul's: float32 within (K + 2) 2^-24 sum|a b| of the
// reference, float64 bit-identical. Indices and segments are checked here first, with the
// reference's messages. Other dtypes decline to the reference kernels.
import { float32, float64 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import type { ArrayData } from '../interface.js';
import { registerWasmKernel, wasmKernels, addressOf } from './registry.js';
import { values as valuesOf } from '../reference/quantized.js';

/** Element offset of matrix `i` (row-major over the batch dims) of `d`. */
function matrixOffset(d: ArrayData, i: number): number {
  let off = d.offset;
  for (let ax = d.shape.length - 3; ax >= 0; ax--) {
    const n = d.shape[ax]!;
    off += (i % n) * d.strides[ax]!;
    i = Math.floor(i / n);
  }
  return off;
}

const view = (d: ArrayData, offset: number, shape: [number, number], strides: [number, number]): ArrayData => ({ storage: d.storage, dtype: d.dtype, shape, strides, offset });
const floatPair = (a: ArrayData, b: ArrayData, out: ArrayData): boolean => (out.dtype === float32 || out.dtype === float64) && a.dtype === out.dtype && b.dtype === out.dtype;

registerWasmKernel('GatherMM', (ctx, prim, [a, b, l, r], [out]) => {
  if (!floatPair(a!, b!, out!)) return false;
  const matmul = wasmKernels.get('Matmul')!;
  const na = a!.shape.length, nb = b!.shape.length;
  const [M, K] = [a!.shape[na - 2]!, a!.shape[na - 1]!];
  const N = b!.shape[nb - 1]!;
  const lhs = valuesOf(l!), rhs = valuesOf(r!);
  const countA = shapeSize(a!.shape.slice(0, -2)), countB = shapeSize(b!.shape.slice(0, -2));
  for (const i of lhs) if (!(i < countA)) throw new RangeError(`[gather_mm] lhs index ${i} is out of bounds for ${countA} matrices.`);
  for (const i of rhs) if (!(i < countB)) throw new RangeError(`[gather_mm] rhs index ${i} is out of bounds for ${countB} matrices.`);
  const [as1, as2] = [a!.strides[na - 2]!, a!.strides[na - 1]!];
  const [bs1, bs2] = [b!.strides[nb - 2]!, b!.strides[nb - 1]!];
  for (let i = 0; i < lhs.length; i++) {
    const av = view(a!, matrixOffset(a!, lhs[i]!), [M, K], [as1, as2]);
    const bv = view(b!, matrixOffset(b!, rhs[i]!), [K, N], [bs1, bs2]);
    const ov = view(out!, out!.offset + i * M * N, [M, N], [N, 1]);
    // a decline (layout, sizes) hands the whole output to the reference kernel, which rewrites it
    if (!matmul(ctx, prim, [av, bv], [ov])) return false;
  }
  return true;
});

registerWasmKernel('SegmentedMM', (ctx, prim, [a, b, seg], [out]) => {
  if (!floatPair(a!, b!, out!) || a!.shape.length !== 2 || b!.shape.length !== 2) return false;
  const matmul = wasmKernels.get('Matmul')!;
  const [M, K] = a!.shape as [number, number];
  const N = b!.shape[1]!;
  const sv = valuesOf(seg!);
  for (let s = 0; s < sv.length / 2; s++) {
    const k0 = sv[2 * s]!, k1 = sv[2 * s + 1]!;
    if (k1 > k0 && k1 > K) throw new RangeError(`[segmented_mm] segment [${k0}, ${k1}) is out of bounds for an inner dimension of ${K}.`);
  }
  for (let s = 0; s < sv.length / 2; s++) {
    const k0 = sv[2 * s]!, k1 = sv[2 * s + 1]!;
    const ov = view(out!, out!.offset + s * M * N, [M, N], [N, 1]);
    if (k1 <= k0) {
      // an empty segment: zeros, as the reference
      new Uint8Array(ctx.heap.buffer, addressOf(ov), M * N * ov.dtype.size).fill(0);
      continue;
    }
    const av = view(a!, a!.offset + k0 * a!.strides[1]!, [M, k1 - k0], [a!.strides[0]!, a!.strides[1]!]);
    const bv = view(b!, b!.offset + k0 * b!.strides[0]!, [k1 - k0, N], [b!.strides[0]!, b!.strides[1]!]);
    if (!matmul(ctx, prim, [av, bv], [ov])) return false;
  }
  return true;
});
