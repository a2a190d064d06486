// mx.fast on the WASM backend. Where `wasmFuses` says no (half types, float64), the op
// builds its composition of ops instead (Backend.fuses, MLX's use_fallback).
//
// ScaledDotProductAttention, float32 (q, k, v, out; a bool or float32 mask; float32 sinks):
// the flash kernel (kernels-wasm attention.ts `flash_kt`, `flash_attn_f32`): the keys transposed
// once into blocks of 128 (a buffer of K's size for the call), then blocks of 32 query rows by 128
// keys, the scores of a block in a small tile, an online softmax (running max and sum a row),
// P V accumulated per tile, so the Tq x Tk scores never exist; threads take interleaved work
// items (batch entry, head, query block); under "causal" the key blocks past a tile's last
// valid key are skipped (exactly: see attention.ts). Any strides (queries scaled into the
// tile's scratch, keys through the transposed buffer; values read in place when their rows are
// unit-stride and a multiple of 8 long, else copied a block at a time). Against the reference
// composition the differences are the f32 sums of the scores (over D) and of P V (over Tk),
// the rescaling of the running sums by alpha = exp(m_old - m_new) (at most ceil(Tk / 128)
// times), the division by the sum at the end instead of per probability, and the WASM exp
// (within 1 ulp). Stated bound, per element, for inputs of unit scale:
//     |flash - reference| <= (D + Tk + 4) * 8 * 2^-24 * max(1, |reference|)
// (the matmul path's bound), checked in wasm-fast.test.ts on odd sizes across the tiles, every
// mask kind, causal with Tq != Tk, grouped-query heads, sinks, NaN and -inf scores; at 8 heads
// x 512 x 64 the largest error is ~0.2% of it (4e-7 absolute). NaN and infinities as the
// reference: a NaN score makes its row NaN, a row whose scores are all -inf is NaN.
//
// The older path stays for what the flash kernel doesn't take (other mask or sink dtypes, element
// offsets past 2^31): one group at a time — a batch entry and KV head with its
// nRep query heads — the scaled queries (rounded as the composition rounds scale * q) go
// through the f32 matmul kernel against K^T (a strided view, nothing copied), the masked
// softmax runs in place over those scores (one pass a row, rows across threads: kernels-wasm
// attention.ts; with sinks, the WASM reduce, exp and scalar-operand binary kernels; JS only
// for non-causal masks), and the f32 matmul writes probabilities @ V straight into the
// output. Its differences: the f32 matmul's sums (bound in matmul.ts) on the scores and on
// the output, carried through the softmax, and the WASM exp, within the same bound.
import { bfloat16, bool, float16, float32, float64, finfo, type Dtype } from '../../dtype.js';
import { isRowContiguous, shapeSize } from '../../shape.js';
import type { ArrayData } from '../interface.js';
import type { SdpaParams } from '../../primitives/fast.js';
import { registerWasmKernel, addressOf, fitsI32, stridedOperand, wasmKernels, type WasmContext, type WasmStorage } from './registry.js';
import { castContiguous } from './convert.js';
import { Primitive } from '../../primitive.js';
import { Reduce } from '../../primitives/reduce.js';
import { AsType } from '../../primitives/copy.js';
import { unary } from '../../primitives/elementwise.js';
import { chunkCount, parallel, parallelQueue, queueParts, splitRange } from './threads.js';

/** Score elements per thread chunk below which the softmax stays on one thread. */
const SOFTMAX_GRAIN = 1 << 14;

/** A 2-D view [rows, cols] of an array's storage at element `offset` with `strides`. */
function view(d: ArrayData, offset: number, shape: [number, number], strides: [number, number]): ArrayData {
  return { storage: d.storage, dtype: d.dtype, shape, strides, offset };
}

/** A contiguous float32 [rows, cols] array over a heap block the adapter owns for the call. */
function scratch(d: ArrayData, ptr: number, shape: [number, number]): ArrayData {
  const storage = { ...(d.storage as WasmStorage), ptr, blockSize: 0, freed: false } as WasmStorage;
  return { storage, dtype: float32, shape, strides: [shape[1], 1], offset: 0 };
}

/**
 * The mx.fast primitives this backend runs fused (see Backend.fuses): the float32 kernels
 * below and in fast-rows.ts, and for the other dtypes the gated delta rule's and cross
 * entropy's reference kernels (one pass each, where the compositions make many nodes; cross
 * entropy's in float64 too); the norms and RoPE in float16 / bfloat16 (the composition's
 * roundings: halfRows, fast-rows.ts rope_half). Attention and the Hadamard transform in half
 * types build their compositions instead, whose WASM kernels beat the reference loops.
 */
export function wasmFuses(primitive: string, dtype: Dtype): boolean {
  if (primitive === 'GatedDeltaUpdate') return true;
  if (primitive === 'CrossEntropy') return dtype === float32 || dtype === float64;
  if ((primitive === 'RMSNorm' || primitive === 'LayerNorm' || primitive === 'RoPE') && isHalf(dtype)) return true;
  return dtype === float32 && ['RMSNorm', 'LayerNorm', 'ScaledDotProductAttention', 'RoPE', 'Hadamard'].includes(primitive);
}

/**
 * How many attentions each path ran, and whether the flash kernel may run (internal: the tests
 * turn it off to keep the matmul path checked, the A/B timings compare the two).
 */
export const sdpaPaths = { flash: 0, matmul: 0, useFlash: true };

registerWasmKernel('ScaledDotProductAttention', (ctx, prim, inputs, [out]) => {
  const p = prim as Primitive<SdpaParams>;
  if (sdpaPaths.useFlash && flash(ctx, p.params, inputs, out!)) {
    sdpaPaths.flash++;
    return true;
  }
  sdpaPaths.matmul++;
  return sdpa(ctx, p, inputs, out!);
});

/** Multiply-adds (Tq x Tk x (D + Dv) a head) below which the flash kernel stays on one thread. */
const FLASH_GRAIN = 1 << 17;

/** The largest element offset an array's strides reach (its storage offset included). */
function lastOffset(d: ArrayData): number {
  return d.shape.reduce((acc, n, i) => acc + (n > 0 ? (n - 1) * d.strides[i]! : 0), d.offset);
}

/** Index of a parameter-block word (kernels-wasm attention.ts FA_*). */
function faWord(ctx: WasmContext, name: string): number {
  const i = ctx.code(`FA_${name}`);
  if (i === undefined) throw new Error(`internal: no kernel constant FA_${name}`);
  return i;
}

/** The flash kernel, or false where it doesn't take the operands (the matmul path then runs). */
function flash(ctx: WasmContext, p: SdpaParams, inputs: readonly ArrayData[], out: ArrayData): boolean {
  const { scale, causal, hasMask, hasSinks } = p;
  const [q, k, v] = inputs as [ArrayData, ArrayData, ArrayData];
  const mask = hasMask ? inputs[3]! : null;
  const sinks = hasSinks ? inputs[inputs.length - 1]! : null;
  if (q.dtype !== float32 || k.dtype !== float32 || v.dtype !== float32 || out.dtype !== float32) return false;
  if ((mask && mask.dtype !== bool && mask.dtype !== float32) || (sinks && sinks.dtype !== float32)) return false;
  if (![q, k, v, mask, sinks, out].every((a) => !a || (a.strides.every((st) => st >= 0) && fitsI32([lastOffset(a), shapeSize(a.shape)])))) return false;
  const [B, Nq, Tq, D] = q.shape as [number, number, number, number];
  const [, Nkv, Tk] = k.shape as [number, number, number];
  const Dv = v.shape[3]!;
  if (B * Nq * Tq * Dv === 0) return true;
  const { heap } = ctx;
  const kk = ctx.k;
  const ktBytes = kk.flashKtBytes(B, Nkv, Tk, D);
  if (!(ktBytes < 2 ** 31)) return false;
  const words = faWord(ctx, 'WORDS');
  const block = heap.alloc(words * 4);
  const kt = heap.alloc(Math.max(4, ktBytes));
  const items = kk.flashItems(B, Nq, Tq);
  // a few interleaved chunks per thread, claimed as threads come free (parallelQueue)
  const parts = Math.min(items, queueParts(ctx, B * Nq * Tq * Tk * (D + Dv), FLASH_GRAIN));
  const scratch = Array.from({ length: parts }, () => heap.alloc(kk.flashScratchBytes(D, Dv)));
  try {
    const w = new Int32Array(heap.buffer, block.ptr, words);
    const put = (name: string, vals: readonly number[]) => w.set(vals, faWord(ctx, name));
    put('B', [B]);
    put('NQ', [Nq]);
    put('TQ', [Tq]);
    put('D', [D]);
    put('NKV', [Nkv]);
    put('TK', [Tk]);
    put('DV', [Dv]);
    put('QS', q.strides);
    put('KS', k.strides);
    put('VS', v.strides);
    put('MS', mask ? mask.strides : [0, 0, 0, 0]);
    put('MASK', [causal || !mask ? 0 : mask.dtype === bool ? 1 : 2]);
    put('CAUSAL', [causal ? 1 : 0]);
    put('SINKS', [sinks ? sinks.strides[0]! : -1]);
    new Float32Array(heap.buffer, block.ptr + 4 * faWord(ctx, 'SCALE'), 1)[0] = scale;
    put('PTR', [addressOf(q), addressOf(k), addressOf(v), addressOf(out), mask ? addressOf(mask) : 0, sinks ? addressOf(sinks) : 0, kt.ptr]);
    // the keys transposed once (blocks of 128), then the tiles
    const units = B * Nkv * kk.flashKeyBlocks(Tk);
    if (units > 0) parallelQueue(ctx, 'flash_kt', splitRange(units, Math.min(parts, units)).map(([u0, u1]) => [block.ptr, u0, u1]));
    // interleaved items: under causal, later query blocks have more keys
    parallelQueue(ctx, 'flash_attn_f32', scratch.map((sc, i) => [block.ptr, i, items, parts, sc.ptr]));
  } finally {
    heap.free(block.ptr, block.size);
    heap.free(kt.ptr, kt.size);
    for (const sc of scratch) heap.free(sc.ptr, sc.size);
  }
  return true;
}

function sdpa(ctx: WasmContext, prim: Primitive<SdpaParams>, inputs: readonly ArrayData[], out: ArrayData): boolean {
  const { scale, causal, hasMask, hasSinks } = prim.params;
  const [q, k, v] = inputs as [ArrayData, ArrayData, ArrayData];
  if (q.dtype !== float32 || out.dtype !== float32) return false;
  const matmul = wasmKernels.get('Matmul')!;
  const [B, Nq, Tq, D] = q.shape as [number, number, number, number];
  const [, Nkv, Tk] = k.shape as [number, number, number];
  const Dv = v.shape[3]!;
  if (B * Nq * Tq * Dv === 0) return true;
  const nRep = Nq / Nkv;
  const rows = nRep * Tq; // one group's query rows: heads hk * nRep + r, r < nRep
  const mask = hasMask ? inputs[3]! : null;
  const sinks = hasSinks ? inputs[inputs.length - 1]! : null;
  const lowest = finfo(float32).min;
  const sc = Math.fround(scale);
  const { heap } = ctx;
  const qBlock = heap.alloc(Math.max(1, rows * D) * 4);
  const sBlock = heap.alloc(Math.max(1, rows * Tk) * 4);
  const statBlock = heap.alloc((rows + 1) * 4); // row statistics, then the scale
  const mul = ctx.code('BINARY_Multiply');
  const qsArr = scratch(q, qBlock.ptr, [rows, D]);
  const sArr = scratch(q, sBlock.ptr, [rows, Tk]);
  const stats = scratch(q, statBlock.ptr, [rows, 1]);
  const [qs0, qs1, qs2, qs3] = q.strides as [number, number, number, number];
  const [ks0, ks1, ks2, ks3] = k.strides as [number, number, number, number];
  const [vs0, vs1, vs2, vs3] = v.strides as [number, number, number, number];
  try {
    for (let b = 0; b < B; b++) {
      for (let hk = 0; hk < Nkv; hk++) {
        // scaled queries of the group, rounded to float32 as multiply(scale, q) is
        const f = new Float32Array(heap.buffer);
        const q0 = addressOf(q) / 4 + b * qs0;
        const qd = qBlock.ptr / 4;
        if (qs3 === 1 && qs2 === D && mul !== undefined) {
          // each head's rows are one contiguous span: the scalar-operand multiply kernel
          f[statBlock.ptr / 4 + rows] = sc;
          for (let r = 0; r < nRep; r++) ctx.k.binary_f32(mul, 1, 4 * (q0 + (hk * nRep + r) * qs1), statBlock.ptr + 4 * rows, 4 * (qd + r * Tq * D), Tq * D);
        } else {
          for (let r = 0; r < rows; r++) {
            const h = hk * nRep + Math.floor(r / Tq);
            const src = q0 + h * qs1 + (r % Tq) * qs2;
            for (let d = 0; d < D; d++) f[qd + r * D + d] = sc * f[src + d * qs3]!;
          }
        }
        // scores = qs @ K^T (K^T: a strided view of this KV head's keys)
        const kT = view(k, k.offset + b * ks0 + hk * ks1, [D, Tk], [ks3, ks2]);
        if (!matmul(ctx, prim, [qsArr, kT], [sArr])) return false;
        if (!softmaxRows(ctx, sArr, { b, hk, nRep, Tq, Tk, causal, mask, sinks, lowest, stats })) return false;
        // out rows of the group are contiguous: heads hk * nRep ... in [B, Nq, Tq, Dv]
        const vv = view(v, v.offset + b * vs0 + hk * vs1, [Tk, Dv], [vs2, vs3]);
        const o = view(out, out.offset + (b * Nq + hk * nRep) * Tq * Dv, [rows, Dv], [Dv, 1]);
        if (!matmul(ctx, prim, [sArr, vv], [o])) return false;
      }
    }
  } finally {
    heap.free(qBlock.ptr, qBlock.size);
    heap.free(sBlock.ptr, sBlock.size);
    heap.free(statBlock.ptr, statBlock.size);
  }
  return true;
}

interface Rows {
  b: number;
  hk: number;
  nRep: number;
  Tq: number;
  Tk: number;
  causal: boolean;
  mask: ArrayData | null;
  sinks: ArrayData | null;
  lowest: number;
  /** [rows, 1] float32 scratch for the row maxima and sums */
  stats: ArrayData;
}

const reduceMax = new Primitive(Reduce, { type: 'max', axes: [1] });
const reduceSumPrim = new Primitive(Reduce, { type: 'sum', axes: [1] });
const expPrim = new Primitive(unary.Exp, {});

/**
 * softmax over each score row in place, as the reference: masked scores are finfo.min (bool,
 * causal) or score + mask rounded to float32; the sink logit joins the maximum and the sum;
 * e = exp(s - max), p = e / sum(e), each step rounded to float32 (sums in double). The row
 * maxima and sums come from the Reduce kernel, exp from the unary kernel, and the per-row
 * subtraction and division from the binary kernels with a scalar operand.
 */
function softmaxRows(ctx: WasmContext, s: ArrayData, r: Rows): boolean {
  const { b, hk, nRep, Tq, Tk, causal, mask, sinks, lowest, stats } = r;
  const rows = nRep * Tq;
  if (rows * Tk === 0) return true;
  const reduce = wasmKernels.get('Reduce')!;
  const exp = wasmKernels.get('Exp')!;
  const sub = ctx.code('BINARY_Subtract');
  const div = ctx.code('BINARY_Divide');
  const add = ctx.code('BINARY_Add');
  if (sub === undefined || div === undefined || add === undefined) return false;
  const base = addressOf(s) / 4;
  const st = addressOf(stats) / 4;
  const off = Tk - Tq;
  let f = new Float32Array(ctx.heap.buffer);
  if (causal && sinks) {
    for (let row = 0; row < rows; row++) {
      const i = row % Tq;
      f.fill(lowest, base + row * Tk + Math.max(0, Math.min(Tk, i + off + 1)), base + (row + 1) * Tk);
    }
  } else if (mask) {
    const [ms0, ms1, ms2, ms3] = mask.strides as [number, number, number, number];
    const m8 = mask.dtype === bool ? new Uint8Array(ctx.heap.buffer) : null;
    const mBase = addressOf(mask) / mask.dtype.size + b * ms0;
    for (let row = 0; row < rows; row++) {
      const h = hk * nRep + Math.floor(row / Tq);
      const mr = mBase + h * ms1 + (row % Tq) * ms2;
      const p = base + row * Tk;
      if (m8) {
        for (let j = 0; j < Tk; j++) if (m8[mr + j * ms3] === 0) f[p + j] = lowest;
      } else if (ms3 === 0 || ms3 === 1) {
        // a contiguous mask row (mode 0) or one value for the row (mode 1)
        ctx.k.binary_f32(add, ms3 === 1 ? 0 : 1, 4 * p, 4 * mr, 4 * p, Tk);
      } else for (let j = 0; j < Tk; j++) f[p + j] = f[p + j]! + f[mr + j * ms3]!;
    }
  }
  if (!sinks) {
    // one pass a row (kernels-wasm attention.ts), the causal fill included, rows across threads
    const parts = chunkCount(ctx, rows * Tk, SOFTMAX_GRAIN);
    parallel(ctx, 'softmax_rows_f32', splitRange(rows, parts).map(([r0, r1]) => [4 * base, Tk, Tq, causal ? 1 : 0, off, r0, r1]));
    return true;
  }
  if (!reduce(ctx, reduceMax, [s], [stats])) return false;
  f = new Float32Array(ctx.heap.buffer);
  const sinkE = new Float64Array(sinks ? rows : 0);
  if (sinks) {
    // the sink logit joins the maximum (NaN wins, as in the reduction), then its exp the sum
    const at = addressOf(sinks) / 4;
    for (let row = 0; row < rows; row++) {
      const x = f[at + (hk * nRep + Math.floor(row / Tq)) * sinks.strides[0]!]!;
      const m = f[st + row]!;
      if (!Number.isNaN(m) && (Number.isNaN(x) || x > m)) f[st + row] = x;
      sinkE[row] = Math.fround(Math.exp(Math.fround(x - f[st + row]!)));
    }
  }
  for (let row = 0; row < rows; row++) ctx.k.binary_f32(sub, 1, 4 * (base + row * Tk), 4 * (st + row), 4 * (base + row * Tk), Tk);
  if (!exp(ctx, expPrim, [s], [s])) return false;
  if (!reduce(ctx, reduceSumPrim, [s], [stats])) return false;
  if (sinks) {
    f = new Float32Array(ctx.heap.buffer);
    for (let row = 0; row < rows; row++) f[st + row] = sinkE[row]! + f[st + row]!;
  }
  for (let row = 0; row < rows; row++) ctx.k.binary_f32(div, 1, 4 * (base + row * Tk), 4 * (st + row), 4 * (base + row * Tk), Tk);
  return true;
}

// ---- RMSNorm and LayerNorm, float32: the composition's steps as kernel calls ----
// Squares and centring by the unary/binary kernels, row sums by the Reduce kernel (float32 sums
// over a contiguous range: within the bound of backend/wasm/reduce.ts, else equal to the
// reference), the per-row statistics in JS (one value a row, rounded as the reference rounds
// them), the scaling by per-row scalar-operand binary kernels. A strided x is first copied into
// the output, which the steps then update in place.

const squarePrim = new Primitive(unary.Square, {});

/** op(a, v) row by row with one value v per row (scalar-operand kernel calls), a and out [rows, D] contiguous. */
function byRow(ctx: WasmContext, code: number, a: ArrayData, rowValues: ArrayData, out: ArrayData, rows: number, D: number): void {
  const pa = addressOf(a);
  const pv = addressOf(rowValues);
  const po = addressOf(out);
  for (let r = 0; r < rows; r++) ctx.k.binary_f32(code, 1, pa + 4 * r * D, pv + 4 * r, po + 4 * r * D, D);
}

/** op(a, p) with the contiguous 1-D parameter p (weight, bias) applied to every row. */
function byParam(ctx: WasmContext, code: number, a: ArrayData, p: ArrayData, out: ArrayData, rows: number, D: number): void {
  const pa = addressOf(a);
  const pp = addressOf(p);
  const po = addressOf(out);
  for (let r = 0; r < rows; r++) ctx.k.binary_f32(code, 0, pa + 4 * r * D, pp, po + 4 * r * D, D);
}

/** A contiguous float32 parameter (or none), which byParam takes. */
const paramOk = (p: ArrayData | null): boolean => !p || (p.dtype === float32 && (p.strides[0] === 1 || p.shape[0]! <= 1));

const copyPrim = new Primitive(AsType, { dtype: float32 });

/**
 * x as a row-major [rows, D] float32 operand: itself, or its contiguous copy in the output
 * (which the kernels then update in place). Null where the adapter declines.
 */
function normRows(ctx: WasmContext, x: ArrayData, out: ArrayData): { rows: number; D: number; x2: ArrayData; o2: ArrayData } | null {
  if (x.dtype !== float32 || out.dtype !== float32) return null;
  const D = x.shape[x.shape.length - 1]!;
  const rows = D === 0 ? 0 : shapeSize(x.shape) / D;
  const o2 = view(out, out.offset, [rows, D], [D, 1]);
  if (isRowContiguous(x.shape, x.strides)) return { rows, D, x2: view(x, x.offset, [rows, D], [D, 1]), o2 };
  if (rows > 0 && !wasmKernels.get('AsType')!(ctx, copyPrim, [x], [out])) return null;
  return { rows, D, x2: o2, o2 };
}

/** x / sqrt(mean(x^2) + eps) row by row, float32 rows [rows, D] (x2 and o2 may be the same). */
function rmsRows32(ctx: WasmContext, eps: number, x2: ArrayData, o2: ArrayData, rows: number, D: number, mul: number): boolean {
  const stat = ctx.heap.alloc(rows * 4);
  const sq = ctx.heap.alloc(rows * D * 4);
  const st = scratch(x2, stat.ptr, [rows, 1]);
  const sqArr = scratch(x2, sq.ptr, [rows, D]);
  try {
    if (!wasmKernels.get('Square')!(ctx, squarePrim, [x2], [sqArr])) return false;
    if (!wasmKernels.get('Reduce')!(ctx, reduceSumPrim, [sqArr], [st])) return false;
    const f = new Float32Array(ctx.heap.buffer);
    const inv = Math.fround(1 / D);
    const at = stat.ptr / 4;
    for (let r = 0; r < rows; r++) f[at + r] = 1 / Math.sqrt(Math.fround(Math.fround(f[at + r]! * inv) + Math.fround(eps)));
    byRow(ctx, mul, x2, st, o2, rows, D);
  } finally {
    ctx.heap.free(stat.ptr, stat.size);
    ctx.heap.free(sq.ptr, sq.size);
  }
  return true;
}

/** (x - mean) / sqrt(var + eps) row by row, float32 rows [rows, D] (x2 and o2 may be the same). */
function layerRows32(ctx: WasmContext, eps: number, x2: ArrayData, o2: ArrayData, rows: number, D: number, mul: number, sub: number): boolean {
  const stat = ctx.heap.alloc(rows * 4);
  const sq = ctx.heap.alloc(rows * D * 4);
  const st = scratch(x2, stat.ptr, [rows, 1]);
  const sqArr = scratch(x2, sq.ptr, [rows, D]);
  const reduce = wasmKernels.get('Reduce')!;
  try {
    const inv = Math.fround(1 / D);
    const at = stat.ptr / 4;
    if (!reduce(ctx, reduceSumPrim, [x2], [st])) return false;
    let f = new Float32Array(ctx.heap.buffer);
    for (let r = 0; r < rows; r++) f[at + r] = f[at + r]! * inv; // the mean, rounded to float32
    byRow(ctx, sub, x2, st, o2, rows, D); // centred values, kept in the output
    if (!wasmKernels.get('Square')!(ctx, squarePrim, [o2], [sqArr])) return false;
    if (!reduce(ctx, reduceSumPrim, [sqArr], [st])) return false;
    f = new Float32Array(ctx.heap.buffer);
    for (let r = 0; r < rows; r++) f[at + r] = 1 / Math.sqrt(Math.fround(Math.fround(f[at + r]! * inv) + Math.fround(eps)));
    byRow(ctx, mul, o2, st, o2, rows, D);
  } finally {
    ctx.heap.free(stat.ptr, stat.size);
    ctx.heap.free(sq.ptr, sq.size);
  }
  return true;
}

const isHalf = (d: Dtype): boolean => d === float16 || d === bfloat16;

/**
 * The norms in float16 / bfloat16, as the composition (and the reference kernel) computes them:
 * x widened to float32 (exact), the float32 steps without weight and bias, their results
 * rounded to the half dtype (the composition's astype), then the weight and bias applied by the
 * half binary kernels (each product and sum rounded once to the half dtype, as the
 * composition's half ops). `params`: [parameter, binary op code] in order.
 */
function halfRows(ctx: WasmContext, x: ArrayData, out: ArrayData, params: [ArrayData, number][], steps32: (x2: ArrayData, o2: ArrayData, rows: number, D: number) => boolean): boolean {
  const d = out.dtype;
  if (x.dtype !== d || !isRowContiguous(out.shape, out.strides)) return false;
  if (params.some(([p]) => p.dtype !== d || !(p.strides[0] === 1 || p.shape[0]! <= 1))) return false;
  const D = x.shape[x.shape.length - 1]!;
  const n = shapeSize(x.shape);
  const rows = D === 0 ? 0 : n / D;
  if (rows === 0) return true;
  const x32 = ctx.heap.alloc(n * 4);
  const o32 = ctx.heap.alloc(n * 4);
  try {
    if (isRowContiguous(x.shape, x.strides)) {
      if (!castContiguous(ctx, d, float32, addressOf(x), x32.ptr, n)) return false;
    } else {
      const layout = stridedOperand(ctx, x);
      if (!layout || !ctx.k.cast(d.index, float32.index, layout.strided ? 1 : 0, addressOf(x), x32.ptr, n)) return false;
    }
    const rowsOf = (ptr: number): ArrayData => ({ ...scratch(x, ptr, [rows, D]), dtype: float32 });
    if (!steps32(rowsOf(x32.ptr), rowsOf(o32.ptr), rows, D)) return false;
    const po = addressOf(out);
    if (!castContiguous(ctx, float32, d, o32.ptr, po, n)) return false;
    const binary = d === float16 ? ctx.k.binary_f16 : ctx.k.binary_bf16;
    for (const [p, code] of params) {
      const pp = addressOf(p);
      for (let r = 0; r < rows; r++) binary(code, 0, po + 2 * r * D, pp, po + 2 * r * D, D);
    }
  } finally {
    ctx.heap.free(x32.ptr, x32.size);
    ctx.heap.free(o32.ptr, o32.size);
  }
  return true;
}

registerWasmKernel('RMSNorm', (ctx, prim, [x, w], [out]) => {
  const mul = ctx.code('BINARY_Multiply');
  if (mul === undefined) return false;
  const { eps } = prim.params as { eps: number };
  if (isHalf(out!.dtype)) return halfRows(ctx, x!, out!, w ? [[w, mul]] : [], (x2, o2, rows, D) => rmsRows32(ctx, eps, x2, o2, rows, D, mul));
  if (!paramOk(w ?? null)) return false;
  const dims = normRows(ctx, x!, out!);
  if (!dims) return false;
  const { rows, D, x2, o2 } = dims;
  if (rows === 0) return true;
  if (!rmsRows32(ctx, eps, x2, o2, rows, D, mul)) return false;
  if (w) byParam(ctx, mul, o2, w, o2, rows, D);
  return true;
});

registerWasmKernel('LayerNorm', (ctx, prim, inputs, [out]) => {
  const { eps, hasWeight, hasBias } = prim.params as { eps: number; hasWeight: boolean; hasBias: boolean };
  const x = inputs[0]!;
  const w = hasWeight ? inputs[1]! : null;
  const b = hasBias ? inputs[hasWeight ? 2 : 1]! : null;
  const [mul, sub, add] = ['Multiply', 'Subtract', 'Add'].map((n) => ctx.code(`BINARY_${n}`));
  if (mul === undefined || sub === undefined || add === undefined) return false;
  if (isHalf(out!.dtype)) {
    const params: [ArrayData, number][] = [...(w ? [[w, mul] as [ArrayData, number]] : []), ...(b ? [[b, add] as [ArrayData, number]] : [])];
    return halfRows(ctx, x, out!, params, (x2, o2, rows, D) => layerRows32(ctx, eps, x2, o2, rows, D, mul, sub));
  }
  if (!paramOk(w) || !paramOk(b)) return false;
  const dims = normRows(ctx, x, out!);
  if (!dims) return false;
  const { rows, D, x2, o2 } = dims;
  if (rows === 0) return true;
  if (!layerRows32(ctx, eps, x2, o2, rows, D, mul, sub)) return false;
  if (w) byParam(ctx, mul, o2, w, o2, rows, D);
  if (b) byParam(ctx, add, o2, b, o2, rows, D);
  return true;
});

