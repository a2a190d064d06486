// FFT adapter: any length along every transformed axis, in float64 as the reference
// kernel (backend/reference/fft.ts), with kernels-wasm fft.ts. The input (any layout: a
// row-major float32 copy when it isn't one) widens into a complex f64 work buffer; each axis
// is transformed in turn (the real axis first forward, last inverse, as the reference):
// contiguous rows directly, another axis by transposing (len × inner) blocks to rows and back;
// a line longer than FOUR_STEP_MIN goes through the four-step decomposition (rows that fit
// the caches, a twiddle pass, transposes); a length that isn't a power of two goes through
// Bluestein's chirp-z on power-of-two transforms of length m >= 2n - 1. Inverse transforms run
// on conjugated data; the result is rounded once to float32 (scaled for the inverse).
// Only the order of the float64 operations differs from the reference, so results agree to
// the float32 rounding (test/wasm-fft.test.ts states the bound):
//     |ours - reference| <= ulp32(reference) + 16 log2(4N) 2^-53 sum|x|   (N the transformed size)
import { complex64, float32 } from '../../dtype.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';
import { registerWasmKernel, callBlocks, addressOf, type WasmContext } from './registry.js';
import { copyStrided } from './shape.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { turn } from '../reference/fft.js';
import type { WasmHeap } from './heap.js';
import type { FFTParams } from '../../primitives/fft.js';

/** Longest line transformed as rows in one piece (16 × 2^13 bytes = 128 KiB, in L2). */
const FOUR_STEP_MIN = 1 << 13;
/** Longest line handled: 2^26 complex f64 is 1 GiB of work buffer. */
const MAX_LINE = 1 << 26;
/** Complex multiply-adds per thread chunk below which a pass runs on one thread. */
const GRAIN = 1 << 15;

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Heap blocks that outlive a call: fft_rows' tables by row length, the four-step twiddles by n. */
const tableCache = new WeakMap<WasmHeap, Map<string, number>>();

function cached(ctx: WasmContext, key: string, bytes: number, fill: (view: DataView) => void): number {
  let m = tableCache.get(ctx.heap);
  if (!m) tableCache.set(ctx.heap, (m = new Map()));
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const { ptr } = ctx.heap.alloc(bytes);
  fill(new DataView(ctx.heap.memory.buffer, ptr, bytes));
  m.set(key, ptr);
  return ptr;
}

/** fft_rows' tables for rows of length L (kernels-wasm fft.ts says the layout). */
function rowTables(ctx: WasmContext, L: number): number {
  return cached(ctx, `rows ${L}`, ctx.k.fftTableBytes(L), (v) => {
    for (let h = 1; h < L; h <<= 1) {
      for (let k = 0; k < h; k++) {
        const [c, s] = turn(-k, 2 * h);
        const at = (h - 1 + k) * 32;
        v.setFloat64(at, c, true);
        v.setFloat64(at + 8, s, true);
        v.setFloat64(at + 16, -s, true);
        v.setFloat64(at + 24, c, true);
      }
    }
    const bits = Math.log2(L);
    const rev = (L - 1) * 32;
    for (let i = 0; i < L; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      v.setUint32(rev + 4 * i, r, true);
    }
  });
}

/** W_n^a = hi[a >> shift] · lo[a & (2^shift - 1)]: the two tables of the four-step twiddle. */
function twiddleTables(ctx: WasmContext, n: number, shift: number): [number, number] {
  const lo = 1 << shift;
  const hi = n / lo;
  const ptr = cached(ctx, `twiddle ${n}`, (lo + hi) * 16, (v) => {
    for (let j = 0; j < hi; j++) {
      const [c, s] = turn(-j * lo, n);
      v.setFloat64(16 * j, c, true);
      v.setFloat64(16 * j + 8, s, true);
    }
    for (let j = 0; j < lo; j++) {
      const [c, s] = turn(-j, n);
      v.setFloat64(16 * (hi + j), c, true);
      v.setFloat64(16 * (hi + j) + 8, s, true);
    }
  });
  return [ptr, ptr + hi * 16];
}

/** Calls kernel `name` over units [0, count), split across threads when there is enough work per unit. */
function split(ctx: WasmContext, name: string, count: number, workPerUnit: number, args: (u0: number, u1: number) => number[]): void {
  const parts = chunkCount(ctx, count * workPerUnit, GRAIN);
  parallel(ctx, name, splitRange(count, Math.min(parts, count)).map(([a, b]) => args(a, b)));
}

/** (matrices of rows × cols at src) transposed into dst. */
function transpose(ctx: WasmContext, src: number, dst: number, matrices: number, rows: number, cols: number): void {
  split(ctx, 'fft_transpose', matrices * rows, cols / 4, (a, b) => [src, dst, rows, cols, a, b]);
}

/** Lines of Bluestein scratch per batch: at most this many bytes of them. */
const BLUESTEIN_BATCH_BYTES = 32 * 2 ** 20;

/** Bluestein's length for n: the power of two m >= 2n - 1. */
const bluesteinLength = (n: number) => 2 ** Math.ceil(Math.log2(2 * n - 1));

/**
 * Bluestein's tables for a length n (not a power of two): the chirp c_k = e^{-πik²/n} (k < n)
 * and the spectrum of its conjugate wrapped around m (conj(c_|k|) at k and m - k), as the
 * reference builds them.
 */
function bluesteinTables(ctx: WasmContext, n: number): [number, number] {
  const m = bluesteinLength(n);
  let fresh = false;
  const chirp = cached(ctx, `bluestein ${n}`, (n + m) * 16, (v) => {
    fresh = true;
    new Uint8Array(v.buffer, v.byteOffset, v.byteLength).fill(0);
    // k² mod 2n, kept exact by stepping (k+1)² = k² + 2k + 1
    for (let k = 0, sq = 0; k < n; k++) {
      const [c, s] = turn(-sq, 2 * n);
      v.setFloat64(16 * k, c, true);
      v.setFloat64(16 * k + 8, s, true);
      for (const at of k === 0 ? [0] : [k, m - k]) {
        v.setFloat64(16 * (n + at), c, true);
        v.setFloat64(16 * (n + at) + 8, -s, true);
      }
      sq = (sq + 2 * k + 1) % (2 * n);
    }
  });
  const spectrum = chirp + n * 16;
  if (fresh) {
    const tmp = m > FOUR_STEP_MIN ? ctx.heap.alloc(m * 16) : null;
    try {
      lines(ctx, spectrum, m, 1, tmp?.ptr ?? 0);
    } finally {
      if (tmp) ctx.heap.free(tmp.ptr, tmp.size);
    }
  }
  return [chirp, spectrum];
}

/**
 * Forward transforms of lengths that aren't powers of two (Bluestein, as the reference does
 * for large prime factors): chirp, a power-of-two transform of length m, the product with the
 * kernel's spectrum, the inverse (conjugate, forward, conjugate), chirp again; in batches of lines.
 */
function bluestein(ctx: WasmContext, buf: number, n: number, count: number): void {
  const m = bluesteinLength(n);
  const [chirp, spectrum] = bluesteinTables(ctx, n);
  const batch = Math.max(1, Math.min(count, Math.floor(BLUESTEIN_BATCH_BYTES / (m * 16))));
  const work = ctx.heap.alloc(batch * m * 16);
  const tmp = m > FOUR_STEP_MIN ? ctx.heap.alloc(m * 16) : null;
  try {
    for (let l0 = 0; l0 < count; l0 += batch) {
      const lc = Math.min(batch, count - l0);
      const rows = buf + l0 * n * 16;
      const mul = (src: number, srcLen: number, dst: number, dstLen: number, vec: number, vecLen: number, conjIn: number, conjOut: number, scale: number) =>
        split(ctx, 'fft_mul_rows', lc, m, (a, b) => [src, srcLen, dst, dstLen, vec, vecLen, conjIn, conjOut, scale, a, b]);
      mul(rows, n, work.ptr, m, chirp, n, 0, 0, 1);
      lines(ctx, work.ptr, m, lc, tmp?.ptr ?? 0);
      mul(work.ptr, m, work.ptr, m, spectrum, m, 0, 1, 1);
      lines(ctx, work.ptr, m, lc, tmp?.ptr ?? 0);
      mul(work.ptr, m, rows, n, chirp, n, 1, 0, 1 / m);
    }
  } finally {
    ctx.heap.free(work.ptr, work.size);
    if (tmp) ctx.heap.free(tmp.ptr, tmp.size);
  }
}

/** Forward transforms of `count` contiguous lines of length n at buf; tmp holds n complex numbers (four-step). */
function lines(ctx: WasmContext, buf: number, n: number, count: number, tmp: number): void {
  if (!isPow2(n)) return bluestein(ctx, buf, n, count);
  if (n <= FOUR_STEP_MIN) {
    const tables = rowTables(ctx, n);
    split(ctx, 'fft_rows', count, n * Math.log2(n), (a, b) => [buf, n, tables, a, b]);
    return;
  }
  const bits = Math.log2(n);
  const n1 = 2 ** Math.floor(bits / 2);
  const n2 = n / n1;
  const [hi, lo] = twiddleTables(ctx, n, Math.ceil(bits / 2));
  const t1 = rowTables(ctx, n1);
  const t2 = rowTables(ctx, n2);
  for (let l = 0; l < count; l++) {
    const p = buf + l * n * 16;
    transpose(ctx, p, tmp, 1, n1, n2);
    split(ctx, 'fft_rows', n2, n1 * Math.log2(n1), (a, b) => [tmp, n1, t1, a, b]);
    split(ctx, 'fft_twiddle', n2, n1, (a, b) => [tmp, n1, hi, lo, Math.ceil(bits / 2), a, b]);
    transpose(ctx, tmp, p, 1, n2, n1);
    split(ctx, 'fft_rows', n1, n2 * Math.log2(n2), (a, b) => [p, n2, t2, a, b]);
    transpose(ctx, p, tmp, 1, n1, n2);
    new Uint8Array(ctx.heap.memory.buffer).copyWithin(p, tmp, tmp + n * 16);
  }
}

registerWasmKernel('FFT', (ctx, prim, [x], [out]) => {
  const { axes, inverse, real } = prim.params as FFTParams;
  const nOut = shapeSize(out!.shape);
  if (nOut === 0) return true;
  const realAxis = axes[axes.length - 1]!;
  // the work buffer's shape: the output's, with the real axis at its full length
  const work = [...out!.shape];
  if (real) work[realAxis] = inverse ? out!.shape[realAxis]! : x!.shape[realAxis]!;
  if (!axes.every((a) => (isPow2(work[a]!) ? work[a]! : bluesteinLength(work[a]!)) <= MAX_LINE)) return false;
  if ((x!.dtype !== float32 && x!.dtype !== complex64) || shapeSize(work) > 2 ** 27) return false;
  const size = shapeSize(work);
  const { alloc, release } = callBlocks(ctx);
  try {
    // the input, row-major
    let src = addressOf(x!);
    const rm = rowMajorStrides(x!.shape);
    if (x!.strides.some((s, i) => s !== rm[i] && x!.shape[i]! > 1)) {
      const u = x!.dtype.size;
      src = alloc(shapeSize(x!.shape) * u);
      if (!copyStrided(ctx, u, x!.shape, x!.strides, rm, addressOf(x!), src)) return false;
    }
    const buf = alloc(size * 16);
    const longest = Math.max(...axes.map((a) => (isPow2(work[a]!) ? work[a]! : 1)));
    const anyInner = axes.some((a) => shapeSize(work.slice(a + 1)) > 1);
    const tmp = alloc((anyInner ? size : longest > FOUR_STEP_MIN ? longest : 1) * 16);
    // widen, padding (irfft's n/2 + 1 bins to n) or keeping the input's length along the real axis
    const widenAxis = real && inverse ? realAxis : 0;
    const [wo, wi] = [shapeSize(x!.shape.slice(0, widenAxis)), shapeSize(x!.shape.slice(widenAxis + 1))];
    const lenSrc = x!.shape[widenAxis] ?? 1;
    const lenDst = work[widenAxis] ?? 1;
    const complexIn = x!.dtype === complex64 ? 1 : 0;
    split(ctx, 'fft_widen', wo, lenDst * wi, (a, b) => [src, buf, lenSrc, lenDst, wi, complexIn, inverse ? 1 : 0, a, b]);
    const along = (axis: number) => {
      const n = work[axis]!;
      if (n === 1) return;
      const outer = shapeSize(work.slice(0, axis));
      const inner = shapeSize(work.slice(axis + 1));
      if (inner === 1) return lines(ctx, buf, n, outer, tmp);
      transpose(ctx, buf, tmp, outer, n, inner);
      lines(ctx, tmp, n, outer * inner, buf);
      transpose(ctx, tmp, buf, outer, inner, n);
    };
    const complexAxes = real ? axes.slice(0, -1) : axes;
    if (real && !inverse) along(realAxis);
    for (const a of complexAxes) along(a);
    if (real && inverse) {
      const n = work[realAxis]!;
      const inner = shapeSize(work.slice(realAxis + 1));
      split(ctx, 'fft_hermitian', shapeSize(work.slice(0, realAxis)), n * inner, (a, b) => [buf, n, inner, a, b]);
      along(realAxis);
    }
    let scale = 1;
    if (inverse) for (const a of axes) scale /= work[a]!;
    // narrow: real forward keeps the n/2 + 1 non-negative frequencies of the real axis
    const nAxis = real && !inverse ? realAxis : 0;
    const [no, ni] = [shapeSize(work.slice(0, nAxis)), shapeSize(work.slice(nAxis + 1))];
    const complexOut = out!.dtype === complex64 ? 1 : 0;
    split(ctx, 'fft_narrow', no, work[nAxis]! * ni, (a, b) => [buf, addressOf(out!), work[nAxis]!, out!.shape[nAxis]!, ni, complexOut, inverse ? 1 : 0, scale, a, b]);
    return true;
  } finally {
    release();
  }
});
