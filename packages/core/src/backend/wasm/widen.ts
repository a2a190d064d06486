// float16 / bfloat16 operands through the float32 kernels, for the primitives whose
// reference semantics are "compute exactly (in double), round once to the output dtype":
// the matmul family, convolutions and the quantized matmuls. Each half input is widened to a
// float32 temporary (exact), the float32 kernel runs on the temporaries, and its results are
// rounded once to the half dtype (MLX's CPU does the same: float32 GEMMs for half operands).
// Without this, half operands of these primitives ran the reference loops, 100-500x slower.
// Bound against the reference: the float32 kernel's own stated bound, plus one unit of the
// half dtype from the final rounding; for quantized matmuls also the rounding of the
// dequantized weights to the half dtype, which the reference does and this path doesn't
// (tested in wasm-widen.test.ts).
import { bfloat16, float16, float32, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { addressOf, fitsI32, stridedOperand, type WasmContext, type WasmKernel, type WasmStorage } from './registry.js';
import { castContiguous } from './convert.js';
import { SKINNY_MAX_ROWS, skinnyMatmulF32 } from './matvec.js';
import type { ArrayData, Backend } from '../interface.js';
import type { Primitive } from '../../primitive.js';

/** Primitives whose float32 kernel takes widened half operands. */
const WIDENED = new Set(['Matmul', 'AddMM', 'GatherMM', 'SegmentedMM', 'QuantizedMatmul', 'GatherQMM', 'Convolution']);

const isHalf = (d: Dtype): boolean => d === float16 || d === bfloat16;

/** Whether `run` should try the widened path for this primitive and these operands. */
export function widens(name: string, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): boolean {
  return WIDENED.has(name) && (inputs.some((d) => isHalf(d.dtype)) || outputs.some((d) => isHalf(d.dtype)));
}

/** The element offsets an array's layout reaches: [lowest, highest + 1). */
function span(d: ArrayData): [number, number] {
  let lo = d.offset, hi = d.offset;
  for (let i = 0; i < d.shape.length; i++) {
    const reach = (d.shape[i]! - 1) * d.strides[i]!;
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  return [lo, hi + 1];
}

/**
 * Runs `kernel` with every half input widened to float32 and every half output computed in
 * float32 and rounded back. Returns false (nothing written to the outputs) when the kernel
 * declines the widened operands or a layout can't be converted; the caller then falls back.
 */
export function runWidened(ctx: WasmContext, backend: Backend, kernel: WasmKernel, prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): boolean {
  // a half weight of a matrix-vector product streamed as it is (half the bytes), x widened
  if (prim.name === 'Matmul' && isHalf(inputs[1]!.dtype) && outputs[0]!.dtype === inputs[1]!.dtype) {
    const M = outputs[0]!.shape.at(-2)!;
    if (M <= SKINNY_MAX_ROWS && widenAndRun(ctx, backend, (c, _p, [a, b], [o]) => skinnyMatmulF32(c, a!, b!, o!), prim, inputs, outputs, 1)) return true;
  }
  return widenAndRun(ctx, backend, kernel, prim, inputs, outputs, -1);
}

/** runWidened's work, input `keep` left in its half dtype. */
function widenAndRun(ctx: WasmContext, backend: Backend, kernel: WasmKernel, prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[], keep: number): boolean {
  const blocks: { ptr: number; size: number }[] = [];
  const temp = (elements: number): WasmStorage => {
    const b = ctx.heap.alloc(Math.max(4, elements * 4));
    blocks.push(b);
    return { backend, byteLength: elements * 4, refs: 0, released: false, ptr: b.ptr, blockSize: 0, freed: false };
  };
  try {
    const wide: ArrayData[] = [];
    for (const [i, d] of inputs.entries()) {
      if (!isHalf(d.dtype) || i === keep) {
        wide.push(d);
        continue;
      }
      const n = shapeSize(d.shape);
      const [lo, hi] = span(d);
      if (n === 0) {
        wide.push({ storage: temp(0), dtype: float32, shape: d.shape, strides: d.strides, offset: 0 });
      } else if (hi - lo <= 2 * n) {
        // a dense layout (a transpose, a broadcast of few rows...): the block it covers
        // converted as it lies, so the kernel sees the same strides (W.T stays a transposed view)
        const storage = temp(hi - lo);
        const base = (d.storage as WasmStorage).ptr;
        if (!castContiguous(ctx, d.dtype, float32, base + lo * d.dtype.size, storage.ptr, hi - lo)) return false;
        wide.push({ storage, dtype: float32, shape: d.shape, strides: d.strides, offset: d.offset - lo });
      } else {
        // a sparse view: its elements gathered into a row-major float32 copy
        const layout = stridedOperand(ctx, d);
        if (!layout || !fitsI32([n])) return false;
        const storage = temp(n);
        if (!ctx.k.cast(d.dtype.index, float32.index, layout.strided ? 1 : 0, addressOf(d), storage.ptr, n)) return false;
        const strides = d.shape.map((_, i) => shapeSize(d.shape.slice(i + 1)));
        wide.push({ storage, dtype: float32, shape: d.shape, strides, offset: 0 });
      }
    }
    const wideOut = outputs.map((d): ArrayData => {
      if (!isHalf(d.dtype)) return d;
      const n = shapeSize(d.shape);
      const strides = d.shape.map((_, i) => shapeSize(d.shape.slice(i + 1)));
      return { storage: temp(n), dtype: float32, shape: d.shape, strides, offset: 0 };
    });
    // every half output must be written row-major (the rounding below walks it contiguously)
    for (let i = 0; i < outputs.length; i++) {
      const d = outputs[i]!;
      if (isHalf(d.dtype) && !d.strides.every((s, j) => d.shape[j] === 1 || s === wideOut[i]!.strides[j])) return false;
    }
    if (!kernel(ctx, prim, wide, wideOut)) return false;
    for (let i = 0; i < outputs.length; i++) {
      const d = outputs[i]!;
      if (!isHalf(d.dtype)) continue;
      if (!castContiguous(ctx, float32, d.dtype, (wideOut[i]!.storage as WasmStorage).ptr, addressOf(d), shapeSize(d.shape))) {
        throw new Error(`internal: rounding a widened ${prim.name} result to ${d.dtype.name} failed`);
      }
    }
    return true;
  } finally {
    for (const b of blocks) ctx.heap.free(b.ptr, b.size);
  }
}
