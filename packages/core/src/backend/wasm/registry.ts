// Kernel table of the WASM backend and the helpers its adapters share: byte addresses of
// arrays in linear memory, merging of dimensions, and the layout descriptor the kernels read.
// An adapter returns false when it has no kernel for the dtypes or layout at hand; the
// backend then runs the reference kernel on the same memory.
import type { KernelExports } from '@mlx-ts/kernels-wasm';
import type { ArrayData, Storage } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import type { WasmHeap } from './heap.js';
import { rowMajorStrides } from '../../shape.js';

export interface WasmStorage extends Storage {
  /** Byte address in linear memory (16-byte aligned). */
  readonly ptr: number;
  /** Size of the block (its size class); 0 for empty storage. */
  readonly blockSize: number;
  /** @internal set by the backend when the block goes back to the heap. */
  freed: boolean;
}

export interface WasmContext {
  readonly k: KernelExports;
  readonly heap: WasmHeap;
  /** Op code exported by the kernels as a global (`BINARY_Add`...), undefined when absent. */
  code(name: string): number | undefined;
  /** A fresh Int32Array over the descriptor area. */
  desc(): Int32Array;
  readonly maxDims: number;
}

export type WasmKernel = (ctx: WasmContext, prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]) => boolean;

export const wasmKernels = new Map<string, WasmKernel>();

export function registerWasmKernel(name: string, k: WasmKernel): void {
  if (wasmKernels.has(name)) throw new Error(`wasm: kernel ${name} registered twice`);
  wasmKernels.set(name, k);
}

/** Byte address of the array's first element (its offset included). */
export function addressOf(d: ArrayData): number {
  return (d.storage as WasmStorage).ptr + d.offset * d.dtype.size;
}

/**
 * Merges dimensions that every operand walks contiguously (stride[i] = stride[i+1] * shape[i+1])
 * and drops size-1 dimensions; never returns fewer than one dimension. Row-major order of
 * positions is kept, so results land where the reference puts them.
 */
export function mergeDims(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[i]! * n)) {
      outShape[last] = outShape[last]! * n;
      strides.forEach((s, k) => (outStrides[k]![last] = s[i]!));
      continue;
    }
    outShape.push(n);
    strides.forEach((s, k) => outStrides[k]!.push(s[i]!));
  }
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}

/** Most elements one kernel call takes (counts are i32); larger arrays fall back. */
export const MAX_COUNT = 2 ** 31 - 1;

/** Element strides and offsets the kernels take as i32. */
export function fitsI32(values: readonly number[]): boolean {
  return values.every((v) => v >= -(2 ** 31) && v < 2 ** 31);
}

export const isContiguous1d = (strides: readonly number[]): boolean => strides.length === 1 && strides[0] === 1;
export const isScalarLayout = (strides: readonly number[]): boolean => strides.every((s) => s === 0);

/**
 * One operand's layout for a strided kernel: its dims merged, and, when it is not one
 * contiguous run, written into the descriptor as [ndim, shape..., strides...]. Returns null
 * when the kernels can't take it (too many dims, strides beyond i32).
 */
export function stridedOperand(ctx: WasmContext, x: ArrayData): { strided: boolean } | null {
  const { shape, strides } = mergeDims(x.shape, [x.strides]);
  const s = strides[0]!;
  if (isContiguous1d(s)) return { strided: false };
  if (shape.length > ctx.maxDims || !fitsI32(s)) return null;
  const desc = ctx.desc();
  desc[0] = shape.length;
  desc.set(shape, 1);
  desc.set(s, 1 + shape.length);
  return { strided: true };
}

/**
 * The binary kernels' layout mode for inputs `a` and `b` (already broadcast to `out`'s shape):
 * 0 both contiguous, 1 `b` one scalar, 2 `a` one scalar, 3 strided, with the descriptor
 * [ndim, shape..., strides of a..., strides of b...] written. Null when the kernels can't take
 * the layout (too many dims, strides beyond i32).
 */
export function binaryLayoutMode(ctx: WasmContext, a: ArrayData, b: ArrayData, out: ArrayData): number | null {
  const { shape, strides } = mergeDims(out.shape, [a.strides, b.strides]);
  const [sa, sb] = strides as [number[], number[]];
  if (isContiguous1d(sa) && isContiguous1d(sb)) return 0;
  if (isContiguous1d(sa) && isScalarLayout(sb)) return 1;
  if (isScalarLayout(sa) && isContiguous1d(sb)) return 2;
  if (shape.length > ctx.maxDims || !fitsI32(sa) || !fitsI32(sb)) return null;
  const desc = ctx.desc();
  const nd = shape.length;
  desc[0] = nd;
  desc.set(shape, 1);
  desc.set(sa, 1 + nd);
  desc.set(sb, 1 + 2 * nd);
  return 3;
}

/**
 * The dims of `x` other than `axis`, merged together with the same dims of the row-major
 * output (per-line kernels: scans, sorts): merged shape, input and output strides of those
 * dims, and the input's and output's strides along `axis` (the lines).
 */
export function linesAround(
  x: ArrayData,
  out: ArrayData,
  axis: number,
): { shape: number[]; kin: number[]; kout: number[]; sIn: number; sOut: number } {
  const outStrides = rowMajorStrides(out.shape);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== axis);
  const kept = mergeDims(
    dims.map((i) => x.shape[i]!),
    [dims.map((i) => x.strides[i]!), dims.map((i) => outStrides[i]!)],
  );
  const [kin, kout] = kept.strides as [number[], number[]];
  return { shape: kept.shape, kin, kout, sIn: x.strides[axis]!, sOut: outStrides[axis]! };
}

/**
 * Heap blocks for the span of one kernel call: `alloc(bytes)` gives the address of a fresh
 * block (16 bytes at least); `release()` returns them all (call it in a finally).
 */
export function callBlocks(ctx: WasmContext): { alloc: (bytes: number) => number; release: () => void } {
  const blocks: { ptr: number; size: number }[] = [];
  return {
    alloc: (bytes) => {
      const b = ctx.heap.alloc(Math.max(16, bytes));
      blocks.push(b);
      return b.ptr;
    },
    release: () => {
      for (const b of blocks) ctx.heap.free(b.ptr, b.size);
      blocks.length = 0;
    },
  };
}

/** Element offsets of batch entry `bi` (row-major over `batchShape`) in two operands, from their batch strides. */
export function batchOffsets(bi: number, batchShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): [number, number] {
  let offA = 0;
  let offB = 0;
  for (let i = batchShape.length - 1; i >= 0; i--) {
    const c = bi % batchShape[i]!;
    bi = Math.floor(bi / batchShape[i]!);
    offA += c * aStrides[i]!;
    offB += c * bStrides[i]!;
  }
  return [offA, offB];
}
