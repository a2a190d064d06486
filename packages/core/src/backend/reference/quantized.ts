// Quantization kernels: affine quantize (MLX's CPU kernel, float32 arithmetic step by step),
// dequantize (MLX's op graph: each product and sum rounded to its dtype), fp8 conversions
// (MLX's bit manipulations), and the quantized matmuls: the dequantized weights (rounded to
// the output dtype, exactly as Dequantize gives them) times x, dot products accumulated in
// double and rounded once, as the Matmul kernel. So quantizedMatmul(x, w, ...) equals
// matmul(x, dequantize(w, ...).T) bit for bit here.
// Packed rows are little-endian bit streams: element j of a row at bits [j*bits, (j+1)*bits).
import { registerKernel, elements } from './registry.js';
import { readIndices } from './indexing.js';
import type { ArrayData } from '../interface.js';
import { type Dtype, bfloat16, float16, float32, promoteTypes } from '../../dtype.js';
import { numberWriter } from '../../elements.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from '../../half.js';
import { shapeSize } from '../../shape.js';
import type { QuantParams, QMatmulParams, QQParams } from '../../primitives/quantized.js';

// ---- scalar helpers (shared with the WASM adapter's tests and fallbacks) ----

/** Rounds a double to a floating dtype's value (float64: unchanged). */
export function rounder(d: Dtype): (x: number) => number {
  if (d === float32) return Math.fround;
  if (d === float16) return (x) => halfToNumber(numberToHalf(x));
  if (d === bfloat16) return (x) => bfloat16ToNumber(numberToBfloat16(x));
  return (x) => x;
}

/** C's rint (round half to even). */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The E2M1 values of the 16 fp4 codes (sign in bit 3). */
export const FP4 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number): number => ((f32[0] = x), u32[0]!);
const floatOf = (b: number): number => ((u32[0] = b), f32[0]!);

/** MLX's ToFP8 (detail::ToFP8): the E4M3 code of a float32 value, saturating (NaN and ±inf too) to ±448. */
export function toFp8(x: number): number {
  let b = bitsOf(x);
  const sign = (b & 0x80000000) >>> 0;
  b = (b ^ sign) >>> 0;
  const denorm = 141 << 23;
  const low = (bitsOf(Math.fround(floatOf(b) + floatOf(denorm))) - denorm) & 0xff;
  const odd = (b >>> 20) & 1;
  const high = (((b + ((-120 << 23) + 0x7ffff) + odd) >>> 0) >>> 20) & 0xff;
  let r = b < 121 << 23 ? low : high;
  if (b >= 543 << 21) r = 0x7e;
  return r | (sign >>> 24);
}

/** MLX's FromFP8: the E4M3 value of a code (0x7f and 0xff are NaN). */
export function fromFp8(code: number): number {
  if ((code & 127) === 127) return NaN;
  const v = halfToNumber((code & 127) << 7) * 256;
  return code & 128 ? -v : v;
}

/** An E8M0 scale code's value, 2^(code - 127) (MLX: bfloat16 bits code << 7; 0 is 2^-127, 255 inf). */
export const e8m0 = (code: number): number => (code === 255 ? Infinity : 2 ** (code - 127));

/** Code j of a packed row starting at word `base`. */
export function codeAt(words: Uint32Array, base: number, j: number, bits: number): number {
  const off = j * bits;
  const wi = base + (off >>> 5);
  const sh = off & 31;
  let v = words[wi]! >>> sh;
  if (sh + bits > 32) v |= words[wi + 1]! << (32 - sh);
  return bits === 32 ? v >>> 0 : v & ((1 << bits) - 1);
}

/** Logical row-major values of an array as doubles. */
export function values(d: ArrayData): Float64Array {
  return Float64Array.from(readIndices(d));
}

function words(d: ArrayData): Uint32Array {
  return Uint32Array.from(values(d));
}

export function writeAll(out: ArrayData, v: ArrayLike<number>): void {
  const w = numberWriter(out.dtype, elements(out));
  for (let i = 0; i < v.length; i++) w(out.offset + i, v[i]!);
}

// ---- quantize / dequantize ----

registerKernel('AffineQuantize', (prim, [w], [wq, scales, biases]) => {
  const { groupSize: gs, bits } = prim.params as { groupSize: number; bits: number };
  const v = values(w!).map(Math.fround);
  const nBins = (1 << bits) - 1;
  const eps = Math.fround(1e-7);
  const nGroups = v.length / gs;
  const sc = new Float64Array(nGroups), bi = new Float64Array(nGroups);
  const packed = new Uint32Array((v.length * bits) / 32);
  for (let g = 0; g < nGroups; g++) {
    const o = g * gs;
    let wMax = -Infinity, wMin = Infinity;
    // std::max / std::min: a NaN never replaces the running value
    for (let j = 0; j < gs; j++) {
      const x = v[o + j]!;
      if (wMax < x) wMax = x;
      if (x < wMin) wMin = x;
    }
    let scale: number, bias: number;
    if (bits === 1) {
      // bit 0 is the group's min, bit 1 its max (MLX 0.32.4)
      scale = Math.fround(wMax - wMin);
      if (scale < eps) scale = eps;
      bias = wMin;
    } else {
      const mask = Math.abs(wMin) > Math.abs(wMax);
      scale = Math.fround(Math.fround(wMax - wMin) / nBins);
      if (scale < eps) scale = eps;
      scale = mask ? scale : -scale;
      const edge = mask ? wMin : wMax;
      const q0 = rint(Math.fround(edge / scale));
      bias = 0;
      if (q0 !== 0) {
        scale = Math.fround(edge / q0);
        bias = edge;
      }
    }
    for (let j = 0; j < gs; j++) {
      let q = rint(Math.fround(Math.fround(v[o + j]! - bias) / scale));
      q = q < 0 ? 0 : q;
      q = nBins < q ? nBins : q;
      if (Number.isNaN(q)) q = 0; // MLX's cast of NaN leaves no bits in the word
      const off = (o + j) * bits;
      packed[off >>> 5] = (packed[off >>> 5]! | (q << (off & 31))) >>> 0;
      if ((off & 31) + bits > 32) packed[(off >>> 5) + 1] = (packed[(off >>> 5) + 1]! | (q >>> (32 - (off & 31)))) >>> 0;
    }
    sc[g] = scale;
    bi[g] = bias;
  }
  writeAll(wq!, packed);
  writeAll(scales!, sc);
  writeAll(biases!, bi);
});

/**
 * FpQuantize: the values MLX's fp_quantize graph computes, op by op, in each op's dtype (T, w's;
 * P = promote(T, float32) once the float32 global-scale factor joins): amax = max |w| (NaN
 * propagates), scale = amax / maxval in T; nvfp4: code = toFp8(scale * encode) with encode =
 * 2688 / g (1 without g), w / fromFp8(code) in T then times encode in P; mx: the exponent
 * e = int(round(log2(scale))), plus one where 2^e < scale (MLX 0.32.4 rounds it up), 0 for a
 * zero scale, w / 2^e in T, code e + 127. Elements: the first E2M1 code nearest in that dtype
 * (argmin: ties to the lower code, a NaN distance wins), or toFp8.
 */
registerKernel('FpQuantize', (prim, inputs, [wq, scales]) => {
  const { groupSize: gs, bits } = prim.params as QuantParams;
  const w = inputs[0]!;
  const T = w.dtype, P = promoteTypes(T, float32);
  const rT = rounder(T), rP = rounder(P);
  const g = inputs[1] ? values(inputs[1])[0]! : null;
  const v = values(w);
  const codes = new Uint8Array(v.length), sc = new Uint8Array(v.length / gs);
  const q = new Float64Array(gs);
  const i32 = new Int32Array(1);
  for (let o = 0, gi = 0; o < v.length; o += gs, gi++) {
    let amax = Math.abs(v[o]!);
    for (let j = 1; j < gs && !Number.isNaN(amax); j++) {
      const a = Math.abs(v[o + j]!);
      if (Number.isNaN(a) || a > amax) amax = a;
    }
    const s = rT(amax / (bits === 4 ? 6 : 448));
    let r: (x: number) => number;
    if (gs === 16) {
      const enc = g === null ? 1 : Math.fround(2688 / g);
      sc[gi] = toFp8(Math.fround(rP(s * enc)));
      const d = rT(fromFp8(sc[gi]!));
      for (let j = 0; j < gs; j++) q[j] = rP(rT(v[o + j]! / d) * enc);
      r = rP;
    } else {
      i32[0] = rint(rT(Math.log2(s))); // (astype int32: NaN and infinities store 0)
      let e = i32[0]!;
      if (Math.fround(2 ** e) < Math.fround(s)) e++;
      const se = s === 0 ? 0 : rT(e);
      const p2 = rT(2 ** se);
      for (let j = 0; j < gs; j++) q[j] = rT(v[o + j]! / p2);
      sc[gi] = rT(se + 127) & 0xff;
      r = rT;
    }
    for (let j = 0; j < gs; j++) {
      if (bits === 8) {
        codes[o + j] = toFp8(Math.fround(q[j]!));
        continue;
      }
      let best = 0, bestD = Math.abs(r(q[j]! - FP4[0]!));
      for (let k = 1; k < 16 && !Number.isNaN(bestD); k++) {
        const dk = Math.abs(r(q[j]! - FP4[k]!));
        if (Number.isNaN(dk) || dk < bestD) [best, bestD] = [k, dk];
      }
      codes[o + j] = best;
    }
  }
  // little-endian: byte codes as they are (8 bits), nibbles low first (4 bits)
  const words = new Uint32Array((v.length * bits) / 32);
  const bytes = new Uint8Array(words.buffer);
  if (bits === 8) bytes.set(codes);
  else for (let i = 0; i < codes.length; i += 2) bytes[i >> 1] = codes[i]! | (codes[i + 1]! << 4);
  writeAll(wq!, words);
  writeAll(scales!, sc);
});

/**
 * How one packed element becomes a value: affine r2(r1(q * scale) + bias); fp v(q) * scale,
 * rounded to the dtype (the scale itself decoded and rounded as MLX's ops do).
 */
export interface Dequantizer {
  /** value of code q of group g of row r */
  value(q: number, r: number, g: number): number;
  groups: number;
}

export function dequantizer(p: QuantParams, scales: ArrayData, third: ArrayData | null, outType: Dtype): Dequantizer {
  const s = values(scales);
  const groups = scales.shape[scales.shape.length - 1]!;
  if (p.mode === 'affine') {
    const b = values(third!);
    const r1 = rounder(scales.dtype), r2 = rounder(promoteTypes(scales.dtype, third!.dtype));
    return { groups, value: (q, r, g) => r2(r1(q * s[r * groups + g]!) + b[r * groups + g]!) };
  }
  const rOut = rounder(outType);
  const gDtype = promoteTypes(float32, outType);
  const inv = third ? rounder(gDtype)(values(third)[0]! / 2688) : 1;
  const rS = third ? rounder(gDtype) : rOut;
  const rV = third ? rounder(promoteTypes(outType, gDtype)) : rOut;
  const scale = (c: number) => (p.groupSize === 16 ? rS(rOut(fromFp8(c)) * inv) : rOut(e8m0(c)));
  const table = Array.from({ length: 256 }, (_, c) => scale(c));
  const v = (q: number) => (p.bits === 4 ? FP4[q]! : fromFp8(q));
  return { groups, value: (q, r, g) => rV(v(q) * table[s[r * groups + g]!]!) };
}

/** The dequantized rows [r0, r0 + n) of w (each `cols` values). */
function dequantRows(p: QuantParams, w: Uint32Array, wordsPerRow: number, dq: Dequantizer, r0: number, n: number, cols: number): Float64Array {
  const out = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    const base = (r0 + r) * wordsPerRow;
    for (let j = 0; j < cols; j++) out[r * cols + j] = dq.value(codeAt(w, base, j, p.bits), r0 + r, Math.floor(j / p.groupSize));
  }
  return out;
}

registerKernel('Dequantize', (prim, [w, scales, third], [out]) => {
  const p = prim.params as QuantParams;
  const ws = words(w!);
  const wpr = w!.shape[w!.shape.length - 1]!;
  const cols = out!.shape[out!.shape.length - 1]!;
  const rows = shapeSize(w!.shape.slice(0, -1));
  const dq = dequantizer(p, scales!, third ?? null, p.dtype ?? out!.dtype);
  writeAll(out!, dequantRows(p, ws, wpr, dq, 0, rows, cols));
});

registerKernel('ToFP8', (_p, [x], [out]) => {
  const v = values(x!);
  const o = elements(out!) as Uint8Array;
  for (let i = 0; i < v.length; i++) o[out!.offset + i] = toFp8(Math.fround(v[i]!));
});

registerKernel('FromFP8', (_p, [x], [out]) => {
  writeAll(out!, values(x!).map(fromFp8));
});

// ---- matmuls ----

/** out (M, N) = a (M, K) @ B, B given as (N, K) rows (bRowsAreN) or (K, N); double sums in k order. */
function product(a: Float64Array, aOff: number, b: Float64Array, bRowsAreN: boolean, M: number, N: number, K: number, out: Float64Array, oOff: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[aOff + i * K + k]! * (bRowsAreN ? b[j * K + k]! : b[k * N + j]!);
      out[oOff + i * N + j] = acc;
    }
  }
}

/** Batch count of an array's dims before its last two (1 for 2-D). */
const batchOf = (d: ArrayData) => shapeSize(d.shape.slice(0, -2));

/** The matrix of w's batch entry b, dequantized: (N, K) for transpose, (K, N) otherwise. */
function weightMatrix(p: QuantParams, w: ArrayData, ws: Uint32Array, dq: Dequantizer, b: number): { m: Float64Array; rows: number; cols: number } {
  const wpr = w.shape[w.shape.length - 1]!;
  const rows = w.shape[w.shape.length - 2]!;
  const cols = (wpr * 32) / p.bits;
  return { m: dequantRows(p, ws, wpr, dq, b * rows, rows, cols), rows, cols };
}

registerKernel('QuantizedMatmul', (prim, inputs, [out]) => {
  const p = prim.params as QMatmulParams;
  const [x, w, scales] = inputs as [ArrayData, ArrayData, ArrayData];
  const xv = values(x);
  const ws = words(w);
  const dq = dequantizer(p, scales, p.mode === 'affine' ? inputs[3]! : null, out!.dtype);
  const K = x.shape[x.shape.length - 1]!;
  const M = x.shape.length > 1 ? x.shape[x.shape.length - 2]! : 1;
  const N = out!.shape[out!.shape.length - 1]!;
  const nb = shapeSize(out!.shape) / Math.max(1, M * N) || 0;
  const res = new Float64Array(nb * M * N);
  const cache = new Map<number, Float64Array>();
  for (let b = 0; b < nb; b++) {
    // a 2-D w serves every batch entry; a batched one was broadcast to x's batch (MLX)
    const wb = w.shape.length > 2 ? b : 0;
    if (!cache.has(wb)) {
      cache.clear();
      cache.set(wb, weightMatrix(p, w, ws, dq, wb).m);
    }
    product(xv, b * M * K, cache.get(wb)!, p.transpose, M, N, K, res, b * M * N);
  }
  writeAll(out!, res);
});

/** Index values (uint32) checked against the batch count they select from. */
function indexValues(d: ArrayData, count: number, op: string, what: string): Float64Array {
  const v = values(d);
  for (const i of v) if (!(i < count)) throw new RangeError(`[${op}] ${what} index ${i} is out of bounds for ${count} matrices.`);
  return v;
}

registerKernel('GatherQMM', (prim, inputs, [out]) => {
  const p = prim.params as QMatmulParams;
  const [x, w, scales] = inputs as [ArrayData, ArrayData, ArrayData];
  const lhs = indexValues(inputs[inputs.length - 2]!, batchOf(x), 'gather_qmm', 'lhs');
  const rhs = indexValues(inputs[inputs.length - 1]!, batchOf(w), 'gather_qmm', 'rhs');
  const xv = values(x);
  const ws = words(w);
  const dq = dequantizer(p, scales, p.mode === 'affine' ? inputs[3]! : null, out!.dtype);
  const M = x.shape[x.shape.length - 2]!, K = x.shape[x.shape.length - 1]!;
  const N = out!.shape[out!.shape.length - 1]!;
  const res = new Float64Array(lhs.length * M * N);
  const cache = new Map<number, Float64Array>();
  for (let i = 0; i < lhs.length; i++) {
    const wb = rhs[i]!;
    if (!cache.has(wb)) cache.set(wb, weightMatrix(p, w, ws, dq, wb).m);
    product(xv, lhs[i]! * M * K, cache.get(wb)!, p.transpose, M, N, K, res, i * M * N);
  }
  writeAll(out!, res);
});

/**
 * MLX's fp_quantize_dequantize of one row of `n` values in groups: each value replaced by
 * its fp4 / fp8 rounding times the group's (fp8 or e8m0 rounded) scale, in the dtype `d`.
 * With a global scale (nvfp4) the group scale is encoded against it as in quantize.
 */
function quantDequant(v: Float64Array, p: QuantParams, d: Dtype, global: number | null): Float64Array {
  const out = new Float64Array(v.length);
  const r = rounder(d);
  const gs = p.groupSize;
  const enc = global === null ? 1 : Math.fround(2688 / global);
  for (let o = 0; o < v.length; o += gs) {
    let amax = -Infinity;
    for (let j = 0; j < gs; j++) {
      const a = Math.abs(v[o + j]!);
      if (amax < a) amax = a; // std::max: NaN never replaces the running value
    }
    let scale = Math.fround(amax / (p.bits === 4 ? 6 : 448));
    if (gs === 16) scale = Math.fround(fromFp8(toFp8(Math.fround(scale * enc))) / enc);
    else {
      // the smallest E8M0 scale >= the block's (MLX 0.32.4 rounds up: no element saturates)
      let c = e8m0Code(scale);
      if (c < 0xfe && e8m0(c) < scale) c++;
      scale = e8m0(c);
    }
    for (let j = 0; j < gs; j++) {
      const x = scale === 0 ? 0 : Math.fround(v[o + j]! / scale);
      const q = p.bits === 8 ? fromFp8(toFp8(x)) : FP4[fp4Code(x)]!;
      out[o + j] = r(Math.fround(scale * q));
    }
  }
  return out;
}

/** MLX's to_fp8_e8m0: round(log2(x)) + 127, clamped; non-finite 255, negative 0. */
function e8m0Code(x: number): number {
  if (!Number.isFinite(x)) return 255;
  if (x < 0) return 0;
  const l = Math.fround(Math.log2(x));
  let n = l === -Infinity ? -127 : Math.sign(l) * Math.round(Math.abs(l)); // std::round: half away from zero
  n = Math.min(127, Math.max(-127, n));
  return n + 127;
}

/** MLX's to_fp4_e2m1 (round half to even among the E2M1 values; NaN -> 6). */
function fp4Code(x: number): number {
  if (Number.isNaN(x)) return 7;
  const sign = x < 0 || Object.is(x, -0) ? 8 : 0;
  const a = Math.abs(x);
  const b = a > 5 ? 7 : a >= 3.5 ? 6 : a > 2.5 ? 5 : a >= 1.75 ? 4 : a > 1.25 ? 3 : a >= 0.75 ? 2 : a > 0.25 ? 1 : 0;
  return b | sign;
}

/** The rows of x and of w as the quantized-then-dequantized operands of a QQ product. */
function qqOperands(p: QQParams, x: ArrayData, w: ArrayData, scales: ArrayData | null, gx: number | null, gw: ArrayData | null) {
  const xq = quantDequant(values(x), p, x.dtype, gx);
  let wm: (b: number) => Float64Array;
  if (scales) {
    const ws = words(w);
    const dq = dequantizer(p, scales, gw, x.dtype);
    wm = (b) => weightMatrix(p, w, ws, dq, b).m;
  } else {
    const g = gw ? values(gw)[0]! : null;
    const all = quantDequant(values(w), p, w.dtype, g);
    const per = w.shape[w.shape.length - 1]! * w.shape[w.shape.length - 2]!;
    wm = (b) => all.subarray(b * per, (b + 1) * per);
  }
  return { xq, wm };
}

function globalScales(p: QQParams, inputs: readonly ArrayData[]): [number | null, ArrayData | null] {
  if (!p.globalScales) return [null, null];
  return [values(inputs[inputs.length - 2]!)[0]!, inputs[inputs.length - 1]!];
}

registerKernel('QQMatmul', (prim, inputs, [out]) => {
  const p = prim.params as QQParams;
  const [x, w] = inputs as [ArrayData, ArrayData];
  const [gx, gw] = globalScales(p, inputs);
  const { xq, wm } = qqOperands(p, x, w, p.wScales ? inputs[2]! : null, gx, gw);
  const [M, K] = x.shape as [number, number];
  const N = out!.shape[1]!;
  const res = new Float64Array(M * N);
  product(xq, 0, wm(0), true, M, N, K, res, 0);
  writeAll(out!, res);
});

registerKernel('GatherQQMM', (prim, inputs, [out]) => {
  const p = prim.params as QQParams;
  const [x, w, l, r] = inputs as [ArrayData, ArrayData, ArrayData, ArrayData];
  const lhs = indexValues(l, batchOf(x), 'gather_qqmm', 'lhs');
  const rhs = indexValues(r, batchOf(w), 'gather_qqmm', 'rhs');
  const [gx, gw] = globalScales(p, inputs);
  const { xq, wm } = qqOperands(p, x, w, p.wScales ? inputs[4]! : null, gx, gw);
  const M = x.shape[x.shape.length - 2]!, K = x.shape[x.shape.length - 1]!;
  const N = out!.shape[out!.shape.length - 1]!;
  const res = new Float64Array(lhs.length * M * N);
  for (let i = 0; i < lhs.length; i++) product(xq, lhs[i]! * M * K, wm(rhs[i]!), true, M, N, K, res, i * M * N);
  writeAll(out!, res);
});

