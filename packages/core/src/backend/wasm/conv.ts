// Convolution adapter (float32, float64): a GEMM over the windows of the input, in the WASM
// memory, with the weights as a (taps * C/G, O/G) matrix per group (in place, or copied when
// flipped or not mergeable to one stride).
//   float32: conv_igemm_f32 (kernels-wasm matmul.ts), an indirect GEMM. An indirection table
//     gives, for each output row and tap, the offset of the input position it reads, or
//     CONV_ZERO (a vector of zeros) for padding, dilation holes and positions past the input;
//     the kernel reads the channels there straight from x (no im2col, no padded copy), the
//     weights packed once into 8-column panels. Tables depend only on the layout, so they are
//     kept for reuse (up to TABLE_BYTES of them). Rows are split across threads as Matmul's;
//     each group writes its channels of the output in place.
//   float64: the input padded and dilated into a zeroed frame, the patch matrix copied out of
//     it (im2col, in chunks of at most 32 MiB) and multiplied by the registered Matmul adapter,
//     groups as its batch.
// Zeros of padding and dilation take part in the products, and every output sums the same
// terms in the same order (taps row-major, then channels) as the reference kernel: float64 is
// bit-identical (matmul_f64 sums in k order); float32 sums in f32, within matmul_f32's stated
// bound with K = taps * C/G (test/wasm-conv.test.ts):
//     |ours - reference| <= (K + 2) * 2^-24 * S + K * 2^-149,   S = sum |x * w| of the window.
import { float32, float64, type Dtype } from '../../dtype.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';
import { registerWasmKernel, callBlocks, wasmKernels, addressOf, mergeDims, fitsI32, type WasmContext } from './registry.js';
import { copyStrided } from './shape.js';
import { THREAD_FLOPS } from './matmul.js';
import { chunkCount, parallel, parallelQueue, queueParts, QUEUE_MAX, splitRange } from './threads.js';
import type { ArrayData, Storage } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import type { ConvParams } from '../../primitives/conv.js';

let patchBytes = 32 * 2 ** 20;

/** @internal for tests: the float64 patch matrix budget (bytes); returns the previous one. */
export function setPatchBytes(n: number): number {
  const old = patchBytes;
  patchBytes = n;
  return old;
}

const CONV_ZERO = -(2 ** 31);
/** Indirection tables kept, by layout (most recently used last), at most TABLE_BYTES of them. */
const TABLE_BYTES = 64 * 2 ** 20;
const tables = new Map<string, Int32Array>();
let tableBytes = 0;

const dilated = (n: number, d: number): number => 1 + d * (n - 1);

/** An ArrayData over bytes of the heap (`ptr`), for the Matmul adapter. */
function heapArray(ptr: number, dtype: Dtype, shape: number[], strides: number[]): ArrayData {
  return { storage: { ptr } as unknown as Storage, dtype, shape, strides, offset: 0 };
}

const fillZero = (ctx: WasmContext, ptr: number, bytes: number) => new Uint8Array(ctx.heap.memory.buffer, ptr, bytes).fill(0);

interface Plan {
  ctx: WasmContext;
  prim: Primitive<any>;
  p: ConvParams;
  x: ArrayData;
  out: ArrayData;
  alloc: (bytes: number) => number;
  nd: number;
  G: number;
  Og: number;
  Cg: number;
  Kg: number;
  oS: number[];
  kS: number[];
  /** the weights: address, stride along (taps, Cg) and along output channels */
  wp: number;
  sk: number;
  sO: number;
}

registerWasmKernel('Convolution', (ctx, prim, [x, w], [out]) => {
  const d = out!.dtype;
  if ((d !== float32 && d !== float64) || x!.dtype !== d || w!.dtype !== d) return false;
  const { alloc, release } = callBlocks(ctx);
  try {
    const plan = prepare(ctx, prim, x!, w!, out!, alloc);
    if (typeof plan === 'boolean') return plan;
    return d === float32 ? indirectGemm(plan) : im2colGemm(plan);
  } finally {
    release();
  }
});

/** Empty outputs and sums of nothing, and the weights; true when nothing is left to do, false to decline. */
function prepare(ctx: WasmContext, prim: Primitive<any>, x: ArrayData, w: ArrayData, out: ArrayData, alloc: (bytes: number) => number): Plan | boolean {
  const p = prim.params as ConvParams;
  const u = out.dtype.size;
  const nd = p.strides.length;
  const Cg = w.shape[nd + 1]!;
  const kS = w.shape.slice(1, nd + 1);
  const Kg = shapeSize(kS) * Cg;
  const nOut = shapeSize(out.shape);
  if (nOut === 0) return true;
  if (Kg === 0) {
    fillZero(ctx, addressOf(out), nOut * u);
    return true;
  }
  let wp = addressOf(w);
  const wk = mergeDims([...kS, Cg], [w.strides.slice(1)]);
  let sk = wk.strides[0]![0]!;
  let sO = w.strides[0]!;
  if (p.flip || wk.shape.length !== 1) {
    const buf = alloc(shapeSize(w.shape) * u);
    // flipped: each spatial dim read from its end with a negated stride
    const from = w.strides.map((s, i) => (p.flip && i >= 1 && i <= nd ? -s : s));
    const start = p.flip ? kS.reduce((acc, k, i) => acc + (k - 1) * w.strides[1 + i]!, 0) : 0;
    if (!copyStrided(ctx, u, w.shape, from, rowMajorStrides(w.shape), wp + start * u, buf)) return false;
    wp = buf;
    sk = 1;
    sO = Kg;
  }
  const G = p.groups;
  return { ctx, prim, p, x, out, alloc, nd, G, Og: w.shape[0]! / G, Cg, Kg, oS: out.shape.slice(1, nd + 1), kS, wp, sk, sO };
}

/**
 * The indirection table of a layout: for output row (n, ...o) and tap (...k), the element
 * offset of the input position read (relative to x's first element), CONV_ZERO for a zero;
 * null when an offset doesn't fit i32.
 */
function indirection(shape: readonly number[], strides: readonly number[], oS: number[], kS: number[], p: ConvParams): Int32Array | null {
  const key = JSON.stringify([shape, strides, oS, kS, p.strides, p.paddingLo, p.kernelDilation, p.inputDilation]);
  const hit = tables.get(key);
  if (hit) {
    tables.delete(key);
    tables.set(key, hit);
    return hit;
  }
  const nd = oS.length;
  // per dim, for output position o and tap k: the offset along that dim, NaN for a zero
  const dims = oS.map((no, i) => {
    const K = kS[i]!;
    const t = new Float64Array(no * K);
    for (let o = 0; o < no; o++) {
      for (let k = 0; k < K; k++) {
        const q = o * p.strides[i]! + k * p.kernelDilation[i]! - p.paddingLo[i]!;
        const j = q / p.inputDilation[i]!;
        t[o * K + k] = q >= 0 && Number.isInteger(j) && j < shape[1 + i]! ? j * strides[1 + i]! : NaN;
      }
    }
    return t;
  });
  const T = shapeSize(kS);
  const perItem = shapeSize(oS);
  const M = shape[0]! * perItem;
  if (M * T >= 2 ** 31) return null;
  const table = new Int32Array(M * T);
  const o = new Array<number>(nd).fill(0);
  const k = new Array<number>(nd).fill(0);
  let at = 0;
  for (let row = 0; row < M; row++) {
    const n = Math.floor(row / perItem);
    for (let t = 0; t < T; t++) {
      let v = n * strides[0]!;
      for (let i = 0; i < nd; i++) v += dims[i]![o[i]! * kS[i]! + k[i]!]!;
      if (Number.isNaN(v)) table[at++] = CONV_ZERO;
      else if (v > -(2 ** 31) && v < 2 ** 31) table[at++] = v;
      else return null;
      for (let i = nd - 1; i >= 0 && ++k[i]! === kS[i]!; i--) k[i] = 0;
    }
    for (let i = nd - 1; i >= 0 && ++o[i]! === oS[i]!; i--) o[i] = 0;
  }
  if (table.byteLength <= TABLE_BYTES / 4) {
    tables.set(key, table);
    tableBytes += table.byteLength;
    for (const [k, t] of tables) {
      if (tableBytes <= TABLE_BYTES) break;
      tables.delete(k);
      tableBytes -= t.byteLength;
    }
  }
  return table;
}

/** float32: conv_igemm_f32 per group over rows split across threads; B packed once per group. */
function indirectGemm(q: Plan): boolean {
  const { ctx, p, nd, G, Og, Cg, Kg, oS, kS, x } = q;
  const { k, heap } = ctx;
  const O = G * Og;
  const C = G * Cg;
  // x in place when its channels are contiguous, else a row-major copy
  let src = addressOf(x);
  let strides = x.strides;
  if (C > 1 && x.strides[nd + 1] !== 1) {
    src = q.alloc(shapeSize(x.shape) * 4);
    strides = rowMajorStrides(x.shape);
    if (!copyStrided(ctx, 4, x.shape, x.strides, strides, addressOf(x), src)) return false;
  }
  const table = indirection(x.shape, strides, oS, kS, p);
  if (!table || !fitsI32([q.sk * Kg, q.sO * O])) return false;
  const T = shapeSize(kS);
  const M = table.length / T;
  const ind = q.alloc(table.length * 4);
  new Int32Array(heap.memory.buffer, ind, table.length).set(table);
  const zero = q.alloc(C * 4);
  fillZero(ctx, zero, C * 4);
  // each group's weights as (taps * Cg, O / G), packed into 8-column panels
  const panel = Math.ceil(Og / 8) * 8 * Kg * 4;
  const pb = q.alloc(G * panel);
  for (let g = 0; g < G; g++) k.conv_pack_b_f32(q.wp + g * Og * q.sO * 4, q.sk, q.sO, Kg, Og, pb + g * panel);
  // rows of every group in one queue, a few chunks per thread (see parallelQueue)
  const work = G * M * Og * Kg;
  const parts = M >= 8 ? queueParts(ctx, work, THREAD_FLOPS) : 1;
  const perGroup = Math.max(1, Math.round(parts / G));
  const rows = splitRange(M, Math.min(perGroup, Math.max(1, Math.floor(QUEUE_MAX / G))), 4);
  const po = addressOf(q.out);
  const chunks: number[][] = [];
  for (let g = 0; g < G; g++) {
    for (const [r0, r1] of rows) chunks.push([src + g * Cg * 4, zero, ind + r0 * T * 4, T, Cg, pb + g * panel, po + (r0 * O + g * Og) * 4, r1 - r0, Og, O]);
  }
  for (let c = 0; c < chunks.length; c += QUEUE_MAX) parallelQueue(ctx, 'conv_igemm_f32', chunks.slice(c, c + QUEUE_MAX), work);
  return true;
}

/** float64: the padded, dilated frame, im2col in chunks of output rows, then the Matmul adapter (groups as its batch). */
function im2colGemm(q: Plan): boolean {
  const { ctx, prim, p, nd, G, Og, Kg, oS, kS, Cg, x } = q;
  const d = q.out.dtype;
  const u = d.size;
  const N = x.shape[0]!;
  const O = G * Og;
  const inS = x.shape.slice(1, nd + 1);
  // the frame, as far as the last window reaches; x itself when it needs no padding
  const ext = oS.map((n, i) => (n - 1) * p.strides[i]! + dilated(kS[i]!, p.kernelDilation[i]!));
  let src = addressOf(x);
  let ss = [...x.strides];
  if (!ext.every((e, i) => p.paddingLo[i] === 0 && p.inputDilation[i] === 1 && e <= inS[i]!)) {
    const shape = [N, ...ext, x.shape[nd + 1]!];
    const n = shapeSize(shape);
    if (n >= 2 ** 31) return false;
    src = q.alloc(n * u);
    ss = rowMajorStrides(shape);
    fillZero(ctx, src, n * u);
    // the input elements inside the frame, at lo + j * inputDilation
    const count = inS.map((s, i) => Math.max(0, Math.min(s, Math.ceil((ext[i]! - p.paddingLo[i]!) / p.inputDilation[i]!))));
    const dst = ss.map((s, i) => (i >= 1 && i <= nd ? s * p.inputDilation[i - 1]! : s));
    const at = src + p.paddingLo.reduce((acc, lo, i) => acc + lo * ss[1 + i]!, 0) * u;
    const cshape = [N, ...count, x.shape[nd + 1]!];
    if (shapeSize(cshape) > 0 && !copyStrided(ctx, u, cshape, x.strides, dst, addressOf(x), at)) return false;
  }
  const mm = wasmKernels.get('Matmul')!;
  const B = heapArray(q.wp, d, [G, Kg, Og], [Og * q.sO, q.sk, q.sO]);
  // chunks: several batch items, or a range of the first output dim of one
  const perItem = shapeSize(oS);
  const inner = perItem / oS[0]!;
  const rowBytes = G * Kg * u;
  const budget = Math.max(inner, Math.floor(patchBytes / rowBytes));
  const chunks: [number, number, number, number][] = []; // n0, n1, a, b
  if (perItem <= budget) {
    const items = Math.floor(budget / perItem);
    for (let n = 0; n < N; n += items) chunks.push([n, Math.min(N, n + items), 0, oS[0]!]);
  } else {
    const span = Math.max(1, Math.floor(budget / inner));
    for (let n = 0; n < N; n++) for (let a = 0; a < oS[0]!; a += span) chunks.push([n, n + 1, a, Math.min(oS[0]!, a + span)]);
  }
  const maxRows = Math.max(...chunks.map(([n0, n1, a, b]) => (n1 - n0) * (b - a) * inner));
  // the patch view (G, items, out..., taps..., Cg) over the frame
  const sC = ss[nd + 1]!;
  const viewStrides = [Cg * sC, ss[0]!, ...oS.map((_, i) => p.strides[i]! * ss[1 + i]!), ...kS.map((_, i) => p.kernelDilation[i]! * ss[1 + i]!), sC];
  const patches = q.alloc(maxRows * rowBytes);
  const temp = G > 1 ? q.alloc(maxRows * O * u) : 0;
  for (const [n0, n1, a, b] of chunks) {
    const rows = (n1 - n0) * (b - a) * inner;
    const shape = [G, n1 - n0, b - a, ...oS.slice(1), ...kS, Cg];
    const at = src + (n0 * ss[0]! + a * viewStrides[2]!) * u;
    if (!copyStrided(ctx, u, shape, viewStrides, rowMajorStrides(shape), at, patches)) return false;
    const A = heapArray(patches, d, [G, rows, Kg], [rows * Kg, Kg, 1]);
    const po = addressOf(q.out) + (n0 * oS[0]! + a) * inner * O * u;
    if (G === 1) {
      if (!mm(ctx, prim, [A, B], [heapArray(po, d, [1, rows, O], [rows * O, O, 1])])) return false;
    } else {
      if (!mm(ctx, prim, [A, B], [heapArray(temp, d, [G, rows, Og], [rows * Og, Og, 1])])) return false;
      if (!copyStrided(ctx, u, [G, rows, Og], [rows * Og, Og, 1], [Og, O, 1], temp, po)) return false;
    }
  }
  return true;
}
