// Elementwise adapters: unary and binary ops for float32, float64, the integers up to 32
// bits (bool outputs for comparisons and predicates; bool inputs for those only), and int64,
// uint64, float16, bfloat16. Large contiguous calls are split into element ranges across
// threads (threads.ts); results are identical (same per-element code). The op sets and their
// exact semantics live in packages/kernels-wasm/assembly/elementwise.ts (elementwise-wide.ts
// for the 64-bit integers and 16-bit floats); anything they don't export falls back.
import { bool, complex64, float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, binaryLayoutMode, MAX_COUNT, stridedOperand, type WasmContext } from './registry.js';
import { binaryFns, unaryFns } from '../reference/elementwise.js';
import { runConversion } from './convert.js';
import type { ArrayData } from '../interface.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { complexBinary, complexUnary } from './elementwise-complex.js';

/** Elements per thread below which a contiguous elementwise op isn't split. */
export const ELEMENTWISE_GRAIN = 1 << 16;
/**
 * The same for transcendental functions (op codes from IMPORTED_OPS_FROM on, where native):
 * 10-50 ns an element instead of ~1, so splitting pays from far fewer elements.
 */
export const TRANSCENDENTAL_GRAIN = 1 << 12;
const grainOf = (op: number): number => (op >= IMPORTED_OPS_FROM ? TRANSCENDENTAL_GRAIN : ELEMENTWISE_GRAIN);
/**
 * Op codes from this one on call the kernels' JS imports (the reference's double functions),
 * which worker threads don't have: those run on the calling thread only. Hook for the
 * kernels' own math (assembly/math.ts): once an op no longer imports, give it a code below
 * this (or replace this test by a per-op set). A kernel that exports `<name>_native(op)`
 * (unary_f32_native...) answers for itself instead.
 */
export const IMPORTED_OPS_FROM = 40;

/** Whether kernel `name` computes `op` without calling a JS import, so that worker threads may run it. */
function callsNoImport(ctx: WasmContext, name: string, op: number): boolean {
  const native = (ctx.k as unknown as Record<string, ((op: number) => number) | undefined>)[`${name}_native`];
  return native ? native(op) !== 0 : op < IMPORTED_OPS_FROM;
}

/**
 * Runs a contiguous kernel call (layout mode 0-2 / unary contiguous) split into element
 * ranges across threads when large; every element is computed by the same code either way.
 * `ptrs`: [address, element size, contiguous?] per operand, output last.
 */
function splitContiguous(ctx: WasmContext, name: string, head: number[], ptrs: Array<[number, number, boolean]>, n: number, op: number): number {
  const parts = callsNoImport(ctx, name, op) ? chunkCount(ctx, n, grainOf(op)) : 1;
  const chunks = splitRange(n, parts, 64).map(([s, e]) => [...head, ...ptrs.map(([p, size, contig]) => (contig ? p + s * size : p)), e - s]);
  return parallel(ctx, name, chunks);
}

type Suffix = 'f32' | 'f64' | 'i32' | 'i8' | 'u8' | 'i16' | 'u16' | 'u32' | 'i64' | 'u64' | 'f16' | 'bf16';
const suffixes = new Map<Dtype, Suffix>([
  [float32, 'f32'],
  [float64, 'f64'],
  [int32, 'i32'],
  [int8, 'i8'],
  [uint8, 'u8'],
  [int16, 'i16'],
  [uint16, 'u16'],
  [uint32, 'u32'],
  [bool, 'u8'],
  [int64, 'i64'],
  [uint64, 'u64'],
  [float16, 'f16'],
  [bfloat16, 'bf16'],
]);
const suffix = (d: Dtype): Suffix | null => suffixes.get(d) ?? null;

function binary(ctx: WasmContext, name: string, a: ArrayData, b: ArrayData, out: ArrayData): boolean {
  if (a.dtype === complex64) return complexBinary(ctx, name, a, b, out);
  const sfx = suffix(a.dtype);
  if (!sfx || b.dtype !== a.dtype) return false;
  const compare = out.dtype === bool;
  if (!compare && (out.dtype !== a.dtype || a.dtype === bool)) return false;
  const op = ctx.code(`BINARY_${name}`);
  if (op === undefined) return false;
  const n = shapeSize(out.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const mode = binaryLayoutMode(ctx, a, b, out);
  if (mode === null) return false;
  const kname = compare ? (`compare_${sfx}` as const) : (`binary_${sfx}` as const);
  if (mode !== 3 && n >= 2 * grainOf(op)) {
    const ptrs: Array<[number, number, boolean]> = [
      [addressOf(a), a.dtype.size, mode !== 2],
      [addressOf(b), b.dtype.size, mode !== 1],
      [addressOf(out), out.dtype.size, true],
    ];
    return splitContiguous(ctx, kname, [op, mode], ptrs, n, op) !== 0;
  }
  return ctx.k[kname]!(op, mode, addressOf(a), addressOf(b), addressOf(out), n) !== 0;
}

/** Primitives that are the identity on real inputs: a raw copy (kernels' CONVERT_copy*). */
const identityOnReal = new Set(['StopGradient', 'Conjugate', 'Real']);

function unary(ctx: WasmContext, name: string, x: ArrayData, out: ArrayData): boolean {
  if (x.dtype === complex64 || name === 'Imag') return complexUnary(ctx, name, x, out);
  if (identityOnReal.has(name) && x.dtype === out.dtype) return runConversion(ctx, `CONVERT_copy${x.dtype.size * 8}`, x, out);
  const sfx = suffix(x.dtype);
  if (!sfx) return false;
  const predicate = out.dtype === bool;
  if (!predicate && (out.dtype !== x.dtype || x.dtype === bool)) return false;
  const op = ctx.code(`UNARY_${name}`);
  if (op === undefined) return false;
  const n = shapeSize(out.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const layout = stridedOperand(ctx, x);
  if (!layout) return false;
  const { strided } = layout;
  const fname = predicate ? (`predicate_${sfx}` as const) : (`unary_${sfx}` as const);
  if (!strided && n >= 2 * grainOf(op)) {
    return splitContiguous(ctx, fname, [op, 0], [[addressOf(x), x.dtype.size, true], [addressOf(out), out.dtype.size, true]], n, op) !== 0;
  }
  return ctx.k[fname]!(op, strided ? 1 : 0, addressOf(x), addressOf(out), n) !== 0;
}

// Every elementwise primitive the reference knows gets an adapter; the kernels' exported op
// codes decide which of them actually run in WASM.
for (const name of binaryFns.keys()) registerWasmKernel(name, (ctx, _p, [a, b], [out]) => binary(ctx, name, a!, b!, out!));
for (const name of unaryFns.keys()) registerWasmKernel(name, (ctx, _p, [x], [out]) => unary(ctx, name, x!, out!));

// DivMod is FloorDivide and Remainder of the same operands (the reference uses those two ops'
// functions); if the second can't run in WASM the fallback recomputes both.
registerWasmKernel('DivMod', (ctx, _p, [a, b], [q, r]) => binary(ctx, 'FloorDivide', a!, b!, q!) && binary(ctx, 'Remainder', a!, b!, r!));
