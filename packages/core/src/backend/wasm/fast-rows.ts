// mx.fast's row kernels on the WASM backend, float32 (kernels-wasm fast.ts): RoPE, cross
// entropy, the gated delta rule and the Hadamard transform. Each kernel does its reference
// kernel's steps in the same order with float32 arithmetic where the reference rounds each
// step to float32 and double sums where it sums in double, so the results are the reference's
// except through the libm calls: RoPE's cos/sin and cross entropy's log (AssemblyScript's,
// within a double ulp of the engine's: equal after rounding to float32 unless a double ulp
// straddles a float32 rounding boundary, at most 1 float32 ulp on that value), and cross
// entropy's exp (expF: within 1 float32 ulp). The Hadamard transform and the gated delta rule
// use no libm: bit-identical (wasm-fast-rows.test.ts checks all four).
// RoPE in float16 / bfloat16 (rope_half): the reference's half roundings of the angles' cos/sin,
// of each product and of each sum (exact in double before each rounding), so the results are
// the reference's but for those libm ties.
// Layouts: row-contiguous float32 operands (RoPE: or half ones; the mask: bool bytes, targets:
// int32); anything else declines to the reference kernel. Threads split independent rows / (batch, head) items.
import { bfloat16, bool, float16, float32, int32 } from '../../dtype.js';
import { isRowContiguous, shapeSize } from '../../shape.js';
import type { ArrayData } from '../interface.js';
import type { RoPEParams, GatedDeltaParams } from '../../primitives/fast.js';
import { decompose, signMatrix, type HadamardParams } from '../../primitives/hadamard.js';
import { registerWasmKernel, addressOf, callBlocks } from './registry.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { values as valuesOf } from '../reference/quantized.js';

/** Elements of work per thread chunk below which a kernel stays on one thread. */
const GRAIN = 1 << 15;

const contiguous = (d: ArrayData): boolean => isRowContiguous(d.shape, d.strides);
const f32 = (d: ArrayData): boolean => d.dtype === float32 && contiguous(d);

registerWasmKernel('RoPE', (ctx, prim, [x, offset, freqs], [out]) => {
  const { dims, traditional, base, scale, forward } = prim.params as RoPEParams;
  const half16 = x!.dtype === float16 || x!.dtype === bfloat16;
  if (half16 ? !(contiguous(x!) && out!.dtype === x!.dtype && contiguous(out!)) : !f32(x!) || out!.dtype !== float32) return false;
  const shape = x!.shape;
  const nd = shape.length;
  const B = shape[0]!, T = shape[nd - 2]!, D = shape[nd - 1]!;
  const size = shapeSize(shape);
  if (size === 0) return true;
  const H = size / (B * T * D);
  const half = dims / 2;
  // the inverse frequencies and offsets in float32, as the reference rounds them
  const inv = new Float32Array(half);
  if (freqs) {
    const f = valuesOf(freqs);
    for (let i = 0; i < half; i++) inv[i] = 1 / f[i]!;
  } else {
    const c = Math.fround(Math.fround(Math.log(base)) / half);
    for (let i = 0; i < half; i++) inv[i] = Math.exp(Math.fround(-i * c));
  }
  const offs = Float32Array.from(valuesOf(offset!));
  const blocks = callBlocks(ctx);
  try {
    const items = B * T;
    const parts = chunkCount(ctx, size, GRAIN);
    const pInv = blocks.alloc(4 * half);
    const pOff = blocks.alloc(4 * offs.length);
    const trigBytes = (half16 ? 8 : 4) * dims; // the half kernel keeps its rounded cos/sin as f64
    const trig = blocks.alloc(trigBytes * parts);
    new Float32Array(ctx.heap.buffer, pInv, half).set(inv);
    new Float32Array(ctx.heap.buffer, pOff, offs.length).set(offs);
    const modes = half16 ? [(traditional ? 1 : 0) | (forward ? 2 : 0) | (x!.dtype === bfloat16 ? 4 : 0)] : [traditional ? 1 : 0, forward ? 1 : 0];
    const args = splitRange(items, parts).map(([i0, i1], c) => [
      addressOf(x!), addressOf(out!), B, H, T, D, dims, ...modes,
      pInv, pOff, offs.length > 1 ? 1 : 0, Math.fround(scale), trig + trigBytes * c, i0, i1,
    ]);
    parallel(ctx, half16 ? 'rope_half' : 'rope_f32', args);
  } finally {
    blocks.release();
  }
  return true;
});

registerWasmKernel('CrossEntropy', (ctx, _prim, [x, y], [out]) => {
  if (!f32(x!) || y!.dtype !== int32 || !contiguous(y!)) return false;
  const C = x!.shape[x!.shape.length - 1]!;
  const rows = shapeSize(y!.shape);
  if (rows === 0) return true;
  // targets checked here, with the reference's message, before any output is written
  const targets = new Int32Array(ctx.heap.buffer, addressOf(y!), rows);
  for (let r = 0; r < rows; r++) {
    const t = targets[r]!;
    const j = t < 0 ? t + C : t;
    if (!(j >= 0 && j < C)) throw new RangeError(`[cross_entropy] target ${t} is out of bounds for ${C} classes.`);
  }
  const parts = chunkCount(ctx, rows * C, GRAIN);
  parallel(ctx, 'cross_entropy_f32', splitRange(rows, parts).map(([r0, r1]) => [addressOf(x!), addressOf(y!), addressOf(out!), C, r0, r1]));
  return true;
});

registerWasmKernel('GatedDeltaUpdate', (ctx, prim, inputs, [out, stateOut]) => {
  const { hasMask } = prim.params as GatedDeltaParams;
  const [q, k, v, g, beta, h0] = inputs as ArrayData[];
  if (![q, k, v, g, beta, h0].every((d) => f32(d!)) || out!.dtype !== float32 || stateOut!.dtype !== float32) return false;
  const mask = hasMask ? inputs[6]! : null;
  if (mask && (mask.dtype !== bool || !contiguous(mask))) return false;
  const [B, T, Hk, Dk] = q!.shape as [number, number, number, number];
  const [, , Hv, Dv] = v!.shape as [number, number, number, number];
  const items = B * Hv;
  if (items === 0) return true;
  const blocks = callBlocks(ctx);
  try {
    const parts = chunkCount(ctx, items * T * Dv * Dk, GRAIN);
    const scratch = blocks.alloc(8 * Dv * Dk * parts);
    const desc = blocks.alloc(4 * 15);
    new Int32Array(ctx.heap.buffer, desc, 15).set([
      addressOf(q!), addressOf(k!), addressOf(v!), addressOf(g!), addressOf(beta!), addressOf(h0!), mask ? addressOf(mask) : 0,
      addressOf(out!), addressOf(stateOut!), T, Hk, Hv, Dk, Dv, g!.shape.length === 4 ? 1 : 0,
    ]);
    const args = splitRange(items, parts).map(([i0, i1], c) => [desc, scratch + 8 * Dv * Dk * c, i0, i1]);
    parallel(ctx, 'gated_delta_f32', args);
  } finally {
    blocks.release();
  }
  return true;
});

registerWasmKernel('Hadamard', (ctx, prim, [x], [out]) => {
  const { scale } = prim.params as HadamardParams;
  if (!f32(x!) || out!.dtype !== float32) return false;
  const len = x!.shape[x!.shape.length - 1]!;
  const [n, m] = decompose(len);
  const rows = shapeSize(x!.shape) / len;
  if (rows === 0) return true;
  const blocks = callBlocks(ctx);
  try {
    const parts = chunkCount(ctx, rows * len, GRAIN);
    const signs = blocks.alloc(4 * m * m);
    if (m > 1) new Float32Array(ctx.heap.buffer, signs, m * m).set(signMatrix(m));
    const scratch = blocks.alloc(4 * len * parts);
    const args = splitRange(rows, parts).map(([r0, r1], c) => [addressOf(x!), addressOf(out!), len, n, m, signs, Math.fround(scale), scratch + 4 * len * c, r0, r1]);
    parallel(ctx, 'hadamard_f32', args);
  } finally {
    blocks.release();
  }
  return true;
});
