// Skinny float32 matmul on the WASM backend (backend/wasm/matvec.ts: M <= 16 rows, the weight
// read in place by matvec_f32_dot (unit k stride, W.T) or matvec_f32_axpy (unit n stride, W))
// against the reference, within matmul_f32's stated bound (checkMatmulF32): rows 1..16, K and N
// odd and around the SIMD widths, transposed / sliced / broadcast operands, batched and
// broadcast weights (folded into the rows), threads splitting the columns.
import { test, expect, afterAll, beforeEach } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { arraySpecArb, readHost, specShape } from '@mlx-ts/core/testing';
import { skinnyStats } from '../src/backend/wasm/matvec.js';
import { resetThreadStats, setStealing, threadStats } from '../src/backend/wasm/threads.js';
import { runs, tally } from './wasm-helpers.js';
import { checkMatmulF32, runOn } from './wasm-bounds.js';

const defaultThreads = mx.getNumThreads();
beforeEach(() => {
  for (const k of Object.keys(skinnyStats) as (keyof typeof skinnyStats)[]) skinnyStats[k] = 0;
});
afterAll(() => {
  mx.setNumThreads(defaultThreads);
  setStealing(true);
  console.log(`wasm-matvec: ${tally.cases} generated cases`);
});

const mm = (x: mx.MxArray, y: mx.MxArray) => mx.matmul(x, y);


/** Deterministic float32 data in [-1, 1). */
function data(shape: number[], seed: number): mx.MxArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return mx.reshape(mx.array(v), shape);
}

const rows = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 32 }));
const inner = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 70 }));

test('M = 1..32 (passes of 16 rows above 16), any layout of either operand, special values: within the bound', () => {
  fc.assert(
    fc.property(
      fc
        .tuple(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), rows, inner, inner, fc.boolean())
        .chain(([batch, m, k, n, shared]) =>
          fc.tuple(arraySpecArb(mx.float32, [...batch, m, k]), arraySpecArb(mx.float32, shared ? [k, n] : [...batch, k, n])),
        ),
      (specs) => {
        tally.cases++;
        checkMatmulF32(mm, specs, specShape(specs[0]).at(-1)!, 'skinny matmul');
      },
    ),
    { numRuns: runs(300) },
  );
  expect(skinnyStats.dot).toBeGreaterThan(0);
  expect(skinnyStats.axpy).toBeGreaterThan(0);
  expect(skinnyStats.packedA).toBeGreaterThan(0);
});

type Case = [label: string, inputs: mx.MxArray[], op: (...xs: mx.MxArray[]) => mx.MxArray, kernel: keyof typeof skinnyStats | null];

// Views are built inside the op: inputs used on another backend are copied there, contiguous.
test('the weight in place: W, W.T, sliced rows / columns, batched and broadcast weights, each on its kernel', () => {
  for (const M of [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 32]) {
    for (const [K, N] of [[1, 9], [7, 1], [33, 45], [64, 67], [131, 29]] as const) {
      const x = data([M, K], M * 100 + K);
      const W = data([K, N], K * 7 + N);
      const Wt = data([N, K], N * 3 + K);
      const big = data([2 * K + 1, 2 * N + 3], K + N);
      const wide = data([2 * N + 1, K + 3], K * N);
      const cases: Case[] = [
        ['x @ W', [x, W], mm, N === 1 ? 'dot' : 'axpy'],
        ['x @ W.T', [x, Wt], (a, b) => mm(a, mx.transpose(b)), K === 1 ? 'axpy' : 'dot'],
        // every other row of a wider weight: unit n stride, k stride 2 (2N + 3)
        ['x @ big[::2, 1:N+1]', [x, big], (a, b) => mm(a, b.index(mx.Slice(0, 2 * K, 2), mx.Slice(1, N + 1))), 'axpy'],
        // every other row of a wider W (N x K) transposed: unit k stride, n stride 2 (K + 3)
        ['x @ wide[::2, 1:K+1].T', [x, wide], (a, b) => mm(a, mx.transpose(b.index(mx.Slice(0, 2 * N, 2), mx.Slice(1, K + 1)))), 'dot'],
        // x transposed: A with k stride M (packed for the dot kernel)
        ['xT.T @ W.T', [data([K, M], M + K), Wt], (a, b) => mm(mx.transpose(a), mx.transpose(b)), K === 1 ? 'axpy' : 'dot'],
        // batch of 3 sharing W: folded into 3M rows when that stays <= 32
        ['x3 @ W', [data([3, M, K], M + 2 * K), W], mm, null],
        ['x3 @ W3.T', [data([3, M, K], M + 3 * K), data([3, N, K], N + K)], (a, b) => mm(a, mx.transpose(b, [0, 2, 1])), null],
      ];
      for (const [label, inputs, op, kernel] of cases) {
        for (const k of Object.keys(skinnyStats) as (keyof typeof skinnyStats)[]) skinnyStats[k] = 0;
        tally.cases++;
        const what = `${label}, M ${M} K ${K} N ${N}`;
        checkMatmulF32(op, inputs, K, what);
        if (kernel) expect(skinnyStats[kernel], `${what}: ${kernel} kernel`).toBeGreaterThan(0);
        else expect(skinnyStats.dot + skinnyStats.axpy, what).toBeGreaterThan(0);
        if (label.startsWith('xT') && K > 1 && M > 1) expect(skinnyStats.packedA, what).toBeGreaterThan(0);
      }
    }
  }
});

test('a broadcast weight folds the batch into the rows: one call for all of them', () => {
  const x = data([2, 3, 1, 40], 1);
  const W = data([40, 50], 2);
  checkMatmulF32(mm, [x, W], 40, 'folded batch');
  // one axpy call on wasm for the six rows
  expect(skinnyStats.axpy).toBe(1);
  // 17 to 32 rows: one fold, in two passes of at most 16 rows
  skinnyStats.axpy = 0;
  checkMatmulF32(mm, [data([17, 1, 40], 3), W], 40, '17 batch entries');
  expect(skinnyStats.axpy).toBe(1);
  // 33 rows would be too many: one call per batch entry
  skinnyStats.axpy = 0;
  checkMatmulF32(mm, [data([33, 1, 40], 3), W], 40, '33 batch entries');
  expect(skinnyStats.axpy).toBe(33);
});

test('more than 32 rows take the packing GEMM', () => {
  for (const k of Object.keys(skinnyStats) as (keyof typeof skinnyStats)[]) skinnyStats[k] = 0;
  checkMatmulF32(mm, [data([33, 40], 4), data([40, 50], 5)], 40, '33 rows');
  expect(skinnyStats.dot + skinnyStats.axpy).toBe(0);
});

test('no unit stride in the weight: the packing GEMM, same bound', () => {
  const op = (a: mx.MxArray, b: mx.MxArray) => mm(a, b.index(mx.Slice(0, 90, 3), mx.Slice(0, 70, 2))); // 30 x 35, strides 210, 2
  checkMatmulF32(op, [data([5, 30], 6), data([90, 70], 5)], 30, 'doubly strided weight');
  expect(skinnyStats.dot + skinnyStats.axpy).toBe(0);
});

test('threads split the columns: the same bits on 1, 2 and 3 threads, within the bound', () => {
  setStealing(false);
  for (const M of [1, 5, 16, 27]) {
    // K = 516 (a multiple of 4): one row takes the eight-column / eight-row kernels, 515 the fours
    for (const [K, N, t] of [[515, 1003, false], [515, 1003, true], [516, 1003, false], [516, 1003, true], [1, 140_001, false]] as const) {
      const x = data([M, K], M + K);
      const w = t ? data([N, K], N) : data([K, N], N + 1);
      const op = t ? (a: mx.MxArray, b: mx.MxArray) => mm(a, mx.transpose(b)) : mm;
      mx.setNumThreads(1);
      const one = Buffer.from(runOn('wasm', op, [x, w]).units.buffer);
      for (const threads of [2, 3]) {
        mx.setNumThreads(threads);
        resetThreadStats();
        const many = Buffer.from(runOn('wasm', op, [x, w]).units.buffer);
        expect(threadStats().workerChunks, `M ${M} K ${K} N ${N}${t ? ' W.T' : ''}, ${threads} threads`).toBeGreaterThan(0);
        expect(many.equals(one), `M ${M} K ${K} N ${N}${t ? ' W.T' : ''}, ${threads} threads`).toBe(true);
      }
      checkMatmulF32(op, [x, w], K, `threaded M ${M} K ${K} N ${N}${t ? ' W.T' : ''}`);
    }
  }
});

// matvec_f32_axpy adds each output's products in k order from +0 on every path (strips of 16
// columns for two or more rows, axpy8 for one, axpy4 / axpy1 for the columns and k's left): in
// the plain kernel set that is, bit for bit, a float32 loop of multiply-then-add. (The FMA set
// fuses each step: its bits differ, within the same bound, which wasm-fma.test.ts proves.)
test('x @ W (the axpy kernel): the float32 k-order sum, bit for bit, on every path (plain set)', () => {
  if (mx.wasmKernelSet() !== 'plain') return;
  const f = Math.fround;
  for (const M of [1, 2, 3, 5, 8, 16]) {
    for (const [K, N] of [[1, 16], [7, 37], [8, 64], [9, 21], [23, 3005]] as const) {
      for (const aT of [false, true]) {
        const x = aT ? data([K, M], M * 31 + K) : data([M, K], M * 17 + K);
        const W = data([K, N + 3], K * 5 + N);
        // A as a transposed view (packed to unit k stride for the strips); W with row stride N + 3
        const op = (a: mx.MxArray, b: mx.MxArray) => mm(aT ? mx.transpose(a) : a, b.index(mx.Slice(), mx.Slice(2, N + 2)));
        skinnyStats.axpy = 0;
        const got = runOn('wasm', op, [x, W]).units as Float32Array;
        expect(skinnyStats.axpy, `M ${M} K ${K} N ${N}`).toBeGreaterThan(0);
        const xs = readHost(x).units as Float32Array;
        const ws = readHost(W).units as Float32Array;
        let bad = 0;
        for (let m = 0; m < M; m++) {
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s = f(s + f(xs[aT ? k * M + m : m * K + k]! * ws[k * (N + 3) + j + 2]!));
            if (!Object.is(s, got[m * N + j])) bad++;
          }
        }
        expect(bad, `M ${M} K ${K} N ${N}${aT ? ', A transposed' : ''}: outputs not the k-order float32 sum`).toBe(0);
      }
    }
  }
});

// x @ W.T with more than four rows: blocks of 5 rows (the last one the rest) take turns over a
// column pair in chunks of 128 k-steps (matvec.ts DOT_CHUNK; a step is 4 k), their sums kept
// between turns. K = 1037: 258 steps (chunks of 128, 128 and 2) and a k tail of 5; K = 1540: 384
// steps (three whole chunks) and a tail of 4; last blocks of 1 to 5 rows (M = 6, 7, 8, 9, 10).
test('x @ W.T, 5 to 16 rows: blocks in turns over k-chunks, within the bound, the same bits on 1 and 2 threads', () => {
  setStealing(false);
  for (const M of [5, 6, 7, 8, 9, 10, 13, 14, 16]) {
    for (const [K, N] of [[1037, 7], [1540, 34], [1037, 130]] as const) {
      const x = data([M, K], M * 3 + K);
      const w = data([N, K], N * 11 + K);
      const op = (a: mx.MxArray, b: mx.MxArray) => mm(a, mx.transpose(b));
      skinnyStats.dot = 0;
      checkMatmulF32(op, [x, w], K, `M ${M} K ${K} N ${N} W.T`);
      expect(skinnyStats.dot, `M ${M} K ${K} N ${N}: the dot kernel`).toBeGreaterThan(0);
      mx.setNumThreads(1);
      const one = Buffer.from(runOn('wasm', op, [x, w]).units.buffer);
      mx.setNumThreads(2);
      const two = Buffer.from(runOn('wasm', op, [x, w]).units.buffer);
      expect(two.equals(one), `M ${M} K ${K} N ${N}: 1 and 2 threads`).toBe(true);
    }
  }
});

// Every block shape of the dot kernel for two or more rows (dot4x2, dot2x4, and the blocks of 1
// to 5 rows in turns) sums a row's products in the same order: each lane over k's two halves in
// turns, the lanes added, then the k tail. So a row's bits can't depend on the rows beside it:
// row r of an M-row product is, bit for bit, row 0 of the 2-row product [x_r; x_r] (one row
// alone takes dot8x1, whose order differs). In either kernel set.
test('x @ W.T: the bits of a row are the same whatever rows share the call (2 to 16 rows, any block shape)', () => {
  for (const [K, N] of [[1037, 37], [1536, 38], [64, 5]] as const) {
    const w = data([N, K], N * 7 + K);
    const op = (a: mx.MxArray, b: mx.MxArray) => mm(a, mx.transpose(b));
    for (const M of [3, 4, 5, 8, 9, 11, 16]) {
      const x = data([M, K], M * 13 + K);
      skinnyStats.dot = 0;
      const all = runOn('wasm', op, [x, w]).units as Float32Array;
      expect(skinnyStats.dot, `M ${M} K ${K}: the dot kernel`).toBeGreaterThan(0);
      let bad = 0;
      for (let r = 0; r < M; r++) {
        const xr = mx.concatenate([x.index(mx.Slice(r, r + 1)), x.index(mx.Slice(r, r + 1))], 0);
        const two = runOn('wasm', op, [xr, w]).units as Float32Array;
        for (let j = 0; j < N; j++) if (!Object.is(two[j], all[r * N + j])) bad++;
      }
      expect(bad, `M ${M} K ${K} N ${N}: outputs whose bits differ from the 2-row product's`).toBe(0);
    }
  }
});
