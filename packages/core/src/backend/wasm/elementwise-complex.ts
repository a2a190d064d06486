// Elementwise adapters for complex64 inputs (called first by binary() / unary() in
// elementwise.ts): complex results (arithmetic, power, exp, log, trig...), float32 parts
// (abs, real, imag), bool comparisons and predicates, and Imag of real arrays (zeros). The
// kernels (packages/kernels-wasm/assembly/elementwise-complex.ts) follow the reference's
// complex formulas bit for bit; an op they don't export (floor of a complex...) falls back,
// and the reference then raises its error. Large contiguous calls of ops that need no JS
// import are split across threads (workers have no JS imports).
import { bool, complex64, float32 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { addressOf, binaryLayoutMode, MAX_COUNT, stridedOperand, type WasmContext } from './registry.js';
import { runConversion } from './convert.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import type { ArrayData } from '../interface.js';

/** Complex elements per thread below which a contiguous call isn't split (8 bytes each, more work than a float). */
export const COMPLEX_GRAIN = 1 << 15;

/**
 * Runs a contiguous kernel call, split into element ranges across threads when it is large and
 * `threadable`. `ptrs`: [address, element size, contiguous?] per operand, output last.
 */
function runContiguous(ctx: WasmContext, name: string, head: number[], ptrs: Array<[number, number, boolean]>, n: number, threadable: boolean): boolean {
  const parts = threadable && n >= 2 * COMPLEX_GRAIN ? chunkCount(ctx, n, COMPLEX_GRAIN) : 1;
  const chunks = splitRange(n, parts, 64).map(([s, e]) => [...head, ...ptrs.map(([p, size, contig]) => (contig ? p + s * size : p)), e - s]);
  return parallel(ctx, name, chunks) !== 0;
}

/** complex64 (op) complex64: complex64 out, or bool for comparisons. */
export function complexBinary(ctx: WasmContext, name: string, a: ArrayData, b: ArrayData, out: ArrayData): boolean {
  if (a.dtype !== complex64 || b.dtype !== complex64) return false;
  const compare = out.dtype === bool;
  if (!compare && out.dtype !== complex64) return false;
  const op = ctx.code(`BINARY_${name}`);
  if (op === undefined) return false;
  const n = shapeSize(out.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const mode = binaryLayoutMode(ctx, a, b, out);
  if (mode === null) return false;
  const kname = compare ? 'complex_compare' : 'complex_binary';
  if (mode === 3) return ctx.k[kname](op, mode, addressOf(a), addressOf(b), addressOf(out), n) !== 0;
  const ptrs: Array<[number, number, boolean]> = [
    [addressOf(a), 8, mode !== 2],
    [addressOf(b), 8, mode !== 1],
    [addressOf(out), out.dtype.size, true],
  ];
  return runContiguous(ctx, kname, [op, mode], ptrs, n, ctx.k.complex_binary_native(op) !== 0);
}

/** Unary ops of complex64 (complex64, float32 or bool out), and Imag of any real dtype. */
export function complexUnary(ctx: WasmContext, name: string, x: ArrayData, out: ArrayData): boolean {
  const n = shapeSize(out.shape);
  if (n > MAX_COUNT) return false;
  if (x.dtype !== complex64) {
    if (name !== 'Imag' || out.dtype !== x.dtype) return false;
    if (n > 0) ctx.k.zero_fill(addressOf(out), n * out.dtype.size);
    return true;
  }
  if (name === 'StopGradient') return out.dtype === complex64 && runConversion(ctx, 'CONVERT_copy64', x, out);
  const kname = out.dtype === complex64 ? 'complex_unary' : out.dtype === float32 ? 'complex_part' : out.dtype === bool ? 'complex_predicate' : null;
  if (!kname) return false;
  const op = ctx.code(`UNARY_${name}`) ?? ctx.code(`COMPLEX_${name}`);
  if (op === undefined) return false;
  if (n === 0) return true;
  const layout = stridedOperand(ctx, x);
  if (!layout) return false;
  if (layout.strided) return ctx.k[kname](op, 1, addressOf(x), addressOf(out), n) !== 0;
  const ptrs: Array<[number, number, boolean]> = [[addressOf(x), 8, true], [addressOf(out), out.dtype.size, true]];
  return runContiguous(ctx, kname, [op, 0], ptrs, n, ctx.k.complex_unary_native(op) !== 0);
}
