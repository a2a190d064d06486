// Threads of the WASM backend (backend/wasm/threads.ts): the thread-count API, threaded
// kernels (elementwise, reductions, matmul) against the same kernels on one thread (bitwise)
// and against the reference (exact, or the stated bound for float32 matmul and sums), worker
// errors and timeouts surfacing as errors, workers not keeping Node alive, initThreads /
// threadStatus, and workers starting without touching the static data. The browser side (Web
// Workers) is tests/browser/threads.test.ts.
import { test, expect, afterAll, beforeEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as mx from '@mlx-ts/core';
import { compareBackends, readHost } from '@mlx-ts/core/testing';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import type { WasmContext } from '../src/backend/wasm/registry.js';
import { kernelBytes } from '@mlx-ts/kernels-wasm';
import { parallel, parallelQueue, QUEUE_MAX, HAND_OFF_WORK, poolFor, runningPool, threadStats, resetThreadStats, setThreadTimeout, setThreadSpin, setStealing, WasmThreadError, splitRange, withoutActiveData, MAX_THREADS } from '../src/backend/wasm/threads.js';
import { checkMatmulF32, checkSumF32, runOn, ulp32 } from './wasm-bounds.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;
const ctx = (): WasmContext => (wasm() as unknown as { rt: { ctx: WasmContext } }).rt.ctx;
const defaultThreads = mx.getNumThreads();

beforeEach(() => {
  mx.setNumThreads(2);
  setThreadTimeout(30_000);
  // Workers must run their chunks here (the caller otherwise takes chunks no worker has
  // started, which on a busy machine may be all of them); one test turns it back on.
  setStealing(false);
  resetThreadStats();
});

afterAll(() => {
  mx.setNumThreads(defaultThreads);
  setStealing(true);
});

/** The same op on the WASM backend with `threads` threads, as host units. */
function onWasm(threads: number, op: (...xs: mx.MxArray[]) => mx.MxArray, inputs: mx.MxArray[]) {
  mx.setNumThreads(threads);
  return runOn('wasm', op, inputs).units;
}

/**
 * Deterministic float32 data in [-1, 1) with +2^60 at every i % 997 == 0 and -2^60 at every
 * i % 997 == 500: while a partial sum holds 2^60, the small values added to it round to
 * multiples of 256, so the sum's bits depend on the order (double sums of data() are exact).
 */
function cancellingData(n: number, seed: number): mx.MxArray {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = i % 997 === 0 ? 2 ** 60 : i % 997 === 500 ? -(2 ** 60) : s / 2 ** 31 - 1;
  }
  return mx.array(v);
}

/** Deterministic float32 data in [lo, hi). */
function data(n: number, seed: number, lo = -1, hi = 1): mx.MxArray {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return mx.array(v);
}

test('thread count: default = cores, setNumThreads validates, exported from the package', () => {
  expect(defaultThreads).toBe(Math.min(MAX_THREADS, availableParallelism()));
  mx.setNumThreads(3);
  expect(mx.getNumThreads()).toBe(3);
  for (const bad of [0, -1, 1.5, NaN, MAX_THREADS + 1]) expect(() => mx.setNumThreads(bad)).toThrow(RangeError);
  expect(mx.getNumThreads()).toBe(3);
});

test('splitRange: covers [0, n) with aligned starts', () => {
  expect(splitRange(10, 3)).toEqual([[0, 3], [3, 7], [7, 10]]);
  expect(splitRange(1000, 2, 64)).toEqual([[0, 512], [512, 1000]]);
  expect(splitRange(3, 8)).toEqual([[0, 1], [1, 2], [2, 3]]);
});

test('elementwise: threaded = one thread = reference, bitwise (binary, scalar, unary, compare, int32)', () => {
  const n = 300_001; // not a multiple of the chunk alignment
  const a = data(n, 1, -50, 50);
  const b = data(n, 2, -50, 50);
  const ai = mx.astype(mx.multiply(a, 1000), mx.int32);
  const bi = mx.astype(mx.multiply(b, 1000), mx.int32);
  mx.eval(a, b, ai, bi);
  const ops: Array<[string, (...xs: mx.MxArray[]) => mx.MxArray, mx.MxArray[]]> = [
    ['add', (x, y) => mx.add(x, y), [a, b]],
    ['divide', (x, y) => mx.divide(x, y), [a, b]],
    ['scalar * x', (x) => mx.multiply(x, 3.5), [a]],
    ['x - scalar (a scalar operand first)', (x) => mx.subtract(2, x), [a]],
    ['sqrt', (x) => mx.sqrt(x), [a]],
    ['less', (x, y) => mx.less(x, y), [a, b]],
    ['int32 remainder', (x, y) => mx.remainder(x, y), [ai, bi]],
    ['exp f64 (imported function: calling thread only)', (x) => mx.exp(x), [mx.astype(a, mx.float64)]],
  ];
  for (const [name, op, xs] of ops) {
    const one = onWasm(1, op, xs);
    resetThreadStats();
    const two = onWasm(2, op, xs);
    if (!name.startsWith('exp')) expect(threadStats().workerChunks, name).toBeGreaterThan(0);
    else expect(threadStats().workerChunks, name).toBe(0);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer)), name).toBe(true);
    compareBackends(op, xs, { label: name });
  }
});

test('matmul float32 threaded: the same bits as one thread, within the bound vs the reference', () => {
  for (const [M, N, K] of [
    [301, 203, 259],
    [64, 1100, 300], // more columns than one B block (1024), K over one K block (256)
    [1030, 9, 70],
  ] as const) {
    const a = mx.reshape(data(M * K, 3), [M, K]);
    const b = mx.reshape(data(K * N, 4), [K, N]);
    mx.eval(a, b);
    const mm = (x: mx.MxArray, y: mx.MxArray) => mx.matmul(x, y);
    const one = onWasm(1, mm, [a, b]);
    resetThreadStats();
    const two = onWasm(2, mm, [a, b]);
    expect(threadStats().workerChunks).toBeGreaterThan(0);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    const worst = checkMatmulF32(mm, [a, b], K, `matmul ${M}x${K}x${N}`);
    // f32 accumulation does differ from the reference (so this test can tell), by far less than the bound
    const ref = runOn('reference', mm, [a, b]).units as Float32Array;
    expect((two as Float32Array).some((v, i) => v !== ref[i])).toBe(true);
    expect(worst).toBeLessThan(0.05);
    // a transposed operand, batched, on 2 threads
    const at = mx.transpose(mx.reshape(data(2 * K * M, 5), [2, K, M]), [0, 2, 1]);
    checkMatmulF32(mm, [at, mx.broadcastTo(b, [2, K, N])], K, `batched transposed ${M}x${K}x${N}`);
  }
});

test('float32 sums in groups of four rows / blocks and the ones left over: the same bits on 1, 2 and 3 threads, within the bound', () => {
  const B = 1 << 16; // backend/wasm/reduce.ts SUM_BLOCK
  const same = (op: (x: mx.MxArray) => mx.MxArray, x: mx.MxArray, n: number, label: string, threaded: boolean) => {
    const one = Buffer.from(onWasm(1, op, [x]).buffer);
    for (const t of [2, 3]) {
      resetThreadStats();
      expect(Buffer.from(onWasm(t, op, [x]).buffer).equals(one), `${label}, ${t} threads`).toBe(true);
      if (threaded) expect(threadStats().workerChunks, `${label}, ${t} threads: chunks run by workers`).toBeGreaterThan(0);
    }
    checkSumF32(op, [x], n, label);
  };
  // full sums: whole groups of 4 blocks, blocks left over, a partial last block
  for (const k of [4, 5, 8, 9, 13]) {
    for (const r of [0, 3]) {
      const n = k * B + r;
      same((x) => mx.sum(x), cancellingData(n, 20 + k + r), n, `full sum of ${k} blocks + ${r}`, n >= 2 * (1 << 18));
    }
  }
  // row sums: groups of 4 rows, rows left over, rows that aren't a multiple of the 4 lanes, strided and reversed rows
  for (const rows of [4, 5, 7, 9, 13]) {
    for (const len of [3, 4, 17, 70_001]) {
      const x = mx.reshape(cancellingData(rows * len, rows * 7 + len), [rows, len]);
      same((y) => mx.sum(y, 1), x, len, `row sums ${rows}x${len}`, rows * len >= 2 * (1 << 18));
      // rows in reverse: a negative row stride
      same((y) => mx.sum(y.index(mx.Slice(null, null, -1), mx.Slice()), 1), x, len, `row sums ${rows}x${len}, rows reversed`, rows * len >= 2 * (1 << 18));
      const wide = mx.reshape(cancellingData(rows * (len + 5), rows + len), [rows, len + 5]);
      same((y) => mx.sum(y.index(mx.Slice(), mx.Slice(0, len)), 1), wide, len, `row sums ${rows}x${len} of rows ${len + 5} apart`, rows * len >= 2 * (1 << 18));
    }
  }
});

test('matmul float64 and addmm threaded: bit-identical to the reference', () => {
  const a = mx.astype(mx.reshape(data(150 * 170, 6), [150, 170]), mx.float64);
  const b = mx.astype(mx.reshape(data(170 * 160, 7), [170, 160]), mx.float64);
  const c = mx.reshape(data(150 * 160, 8), [150, 160]);
  mx.eval(a, b, c);
  compareBackends((x, y) => mx.matmul(x, y), [a, b], { label: 'matmul f64' });
  compareBackends((x, y, z) => mx.addmm(z, x, y, 0.5, 2), [mx.astype(a, mx.float32), mx.astype(b, mx.float32), c], { label: 'addmm f32' });
  expect(threadStats().workerChunks).toBeGreaterThan(0);
});

test('float32 sums: threaded = one thread; within 1 ulp of the reference for positive data, the bound otherwise', () => {
  const n = 3001 * 999;
  const pos = data(n, 9, 0, 1);
  const mixed = data(n, 10, -1, 1);
  mx.eval(pos, mixed);
  const full = (x: mx.MxArray) => mx.sum(x);
  const rows = (x: mx.MxArray) => mx.sum(mx.reshape(x, [3001, 999]), 1);
  for (const [x, label] of [[pos, 'positive'], [mixed, 'mixed signs']] as const) {
    const one = onWasm(1, full, [x]);
    resetThreadStats();
    const two = onWasm(2, full, [x]);
    expect(threadStats().workerChunks).toBeGreaterThan(0);
    expect(Array.from(two as Float32Array)).toEqual(Array.from(one as Float32Array));
    const worst = checkSumF32(full, [x], n, `full sum ${label}`);
    if (label === 'positive') expect(worst).toBeLessThanOrEqual(1);
    const r1 = onWasm(1, rows, [x]);
    const r2 = onWasm(2, rows, [x]);
    expect(Buffer.from(r2.buffer).equals(Buffer.from(r1.buffer))).toBe(true);
    const w2 = checkSumF32(rows, [x], 999, `row sums ${label}`);
    if (label === 'positive') expect(w2).toBeLessThanOrEqual(1);
  }
  // non-finite inputs: the same outcome as the reference
  const v = new Float32Array(400_000).fill(0.5);
  v[123_456] = Infinity;
  checkSumF32(full, [mx.array(v)], v.length, 'sum with +inf');
  v[300_000] = -Infinity;
  checkSumF32(full, [mx.array(v)], v.length, 'sum with +inf and -inf');
  v[7] = NaN;
  const ours = runOn('wasm', full, [mx.array(v)]).units[0]!;
  expect(Number.isNaN(ours)).toBe(true);
  // the bound's ulp helper
  expect(ulp32(1)).toBe(2 ** -23);
  expect(ulp32(1.5)).toBe(2 ** -23);
  expect(ulp32(0)).toBe(2 ** -149);
});

test('other reductions threaded over output rows: bit-identical to the reference', () => {
  const x = mx.reshape(data(600 * 1000, 11), [600, 1000]);
  const xi = mx.astype(mx.multiply(x, 1e4), mx.int32);
  mx.eval(x, xi);
  const cases: Array<[string, (x: mx.MxArray) => mx.MxArray, mx.MxArray]> = [
    ['max axis 1', (y) => mx.max(y, 1), x],
    ['min axis 0', (y) => mx.min(y, 0), x],
    ['sum axis 0 (strided: reference order)', (y) => mx.sum(y, 0), x],
    ['sum f64 axis 1', (y) => mx.sum(mx.astype(y, mx.float64), 1), x],
    ['int32 sum axis 1', (y) => mx.sum(y, 1), xi],
    ['any axis 1', (y) => mx.any(mx.greater(y, 0.999), 1), x],
  ];
  for (const [label, op, input] of cases) {
    resetThreadStats();
    compareBackends(op, [input], { label });
    expect(threadStats().workerChunks, label).toBeGreaterThan(0);
  }
});

test('the caller takes worker chunks that no worker has started: same results, every chunk run once', () => {
  setStealing(true);
  const a = data(2_000_000, 14);
  const b = data(2_000_000, 15);
  mx.eval(a, b);
  const ref = onWasm(1, (x, y) => mx.multiply(x, y), [a, b]);
  for (let i = 0; i < 20; i++) {
    resetThreadStats();
    const two = onWasm(2, (x, y) => mx.multiply(x, y), [a, b]);
    const st = threadStats();
    expect(st.threaded).toBe(1);
    expect(st.workerChunks + st.byCaller).toBe(1);
    expect(Buffer.from(two.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
  }
});

/** n floats 0, 1, 2, ... at x and room for as many at o, in the heap; Negative's op code for unary_f32 chunks. */
function negFixture(c: WasmContext) {
  const neg = c.code('UNARY_Negative')!;
  const n = 40 * 25_000;
  const buf = c.heap.alloc(4 * n * 2);
  const x = buf.ptr;
  const src = new Float32Array(c.heap.memory.buffer, x, n);
  for (let i = 0; i < n; i++) src[i] = i;
  return { neg, n, x, o: buf.ptr + 4 * n, free: () => c.heap.free(buf.ptr, buf.size) };
}

test('parallelQueue: every chunk runs once, whichever thread claims it; workers take some; more chunks than threads', () => {
  const c = ctx();
  const { neg, n, x, o, free } = negFixture(c);
  try {
    let workers = 0;
    for (const threads of [2, 3]) {
      mx.setNumThreads(threads);
      for (const parts of [threads + 1, 40, QUEUE_MAX]) {
        for (let rep = 0; rep < 10; rep++) {
          new Float32Array(c.heap.memory.buffer, o, n).fill(7);
          resetThreadStats();
          const chunks = splitRange(n, parts, 4).map(([a, b]) => [neg, 0, x + 4 * a, o + 4 * a, b - a]);
          // neg twice would give back +i: a chunk run twice shows as well as one never run
          parallelQueue(c, 'unary_f32', chunks);
          const out = new Float32Array(c.heap.memory.buffer, o, n);
          for (let i = 0; i < n; i += 997) expect(out[i]).toBe(-i);
          expect(out.every((v, i) => v === -i)).toBe(true);
          workers += threadStats().workerChunks;
        }
      }
    }
    // on a busy machine the caller may run them all in one call, not in 60
    expect(workers).toBeGreaterThan(0);
    expect(() => parallelQueue(c, 'no_such_kernel', [[0]])).toThrow(/no kernel export/);
  } finally {
    free();
  }
});

test('parallelQueue hand-off (work >= HAND_OFF_WORK): the workers run every chunk once while the caller sleeps; a failing chunk throws; a hung worker times out', () => {
  const c = ctx();
  const { neg, n, x, o, free } = negFixture(c);
  try {
    for (const threads of [2, 3]) {
      mx.setNumThreads(threads);
      const pool = poolFor(c)!;
      // where the caller can block (Node), as many workers as threads
      expect([pool.size, pool.workers]).toEqual([threads, threads]);
      for (const parts of [2, threads + 1, 40, QUEUE_MAX]) {
        for (let rep = 0; rep < 5; rep++) {
          new Float32Array(c.heap.memory.buffer, o, n).fill(7);
          resetThreadStats();
          const chunks = splitRange(n, parts, 4).map(([a, b]) => [neg, 0, x + 4 * a, o + 4 * a, b - a]);
          parallelQueue(c, 'unary_f32', chunks, HAND_OFF_WORK);
          const out = new Float32Array(c.heap.memory.buffer, o, n);
          // neg twice would give back +i: a chunk run twice shows as well as one never run
          expect(out.every((v, i) => v === -i), `${threads} threads, ${parts} chunks`).toBe(true);
          // every chunk by a worker, none by the caller
          expect(threadStats().workerChunks, `${threads} threads, ${parts} chunks`).toBe(chunks.length);
        }
      }
    }
    // a failing chunk surfaces from a worker; the pool works afterwards
    const beyond = c.heap.memory.buffer.byteLength + 4096;
    for (const bad of [0, 7]) {
      const chunks = Array.from({ length: 12 }, (_, i) => [neg, 0, i === bad ? beyond : x, o, 8]);
      expect(() => parallelQueue(c, 'unary_f32', chunks, HAND_OFF_WORK)).toThrow(WasmThreadError);
      expect(() => parallelQueue(c, 'unary_f32', chunks, HAND_OFF_WORK)).toThrow(/out of bounds/);
    }
    const y = mx.sqrt(data(400_000, 12, 0, 4));
    mx.eval(y);
    expect(readHost(y).units.length).toBe(400_000);
    // a worker that dies: the sleeping caller is not left waiting forever
    mx.setNumThreads(2);
    const pool = poolFor(c)!;
    pool.killWorker(1);
    setThreadTimeout(50);
    const t0 = Date.now();
    expect(() => parallelQueue(c, 'unary_f32', splitRange(n, 8, 4).map(([a, b]) => [neg, 0, x + 4 * a, o + 4 * a, b - a]), HAND_OFF_WORK)).toThrow(/did not finish within/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(pool.running).toBe(false);
  } finally {
    setThreadTimeout(30_000);
    free();
  }
});

test('parallelQueue: a failing chunk throws (from the caller or as a WasmThreadError), the others stop claiming, the pool works afterwards', () => {
  const c = ctx();
  const neg = c.code('UNARY_Negative')!;
  const buf = c.heap.alloc(4 * 64);
  try {
    const beyond = c.heap.memory.buffer.byteLength + 4096;
    for (const bad of [0, 5, 11]) {
      const chunks = Array.from({ length: 12 }, (_, i) => [neg, 0, i === bad ? beyond : buf.ptr, buf.ptr + 128, 8]);
      expect(() => parallelQueue(c, 'unary_f32', chunks)).toThrow(/out of bounds/);
    }
    const y = mx.sqrt(data(400_000, 12, 0, 4));
    mx.eval(y);
    expect(readHost(y).units.length).toBe(400_000);
  } finally {
    c.heap.free(buf.ptr, buf.size);
  }
});

test('a worker that fails surfaces as a WasmThreadError (import missing in workers, memory trap)', () => {
  const c = ctx();
  const exp = c.code('UNARY_Exp')!;
  const n = 1024;
  const buf = c.heap.alloc(4 * n * 2);
  try {
    const x = buf.ptr;
    const o = buf.ptr + 4 * n;
    // float64 Exp calls the reference's Math.exp, a JS import that workers don't have
    expect(() => parallel(c, 'unary_f64', [[exp, 0, x, o, n / 4], [exp, 0, x + 2 * n, o + 2 * n, n / 4]])).toThrow(/WASM thread 1 failed in unary_f64:.*reference\.Exp is not available/s);
    const neg = c.code('UNARY_Negative')!;
    const beyond = c.heap.memory.buffer.byteLength + 4096;
    expect(() => parallel(c, 'unary_f32', [[neg, 0, x, o, 8], [neg, 0, beyond, o, 8]])).toThrow(WasmThreadError);
    expect(() => parallel(c, 'unary_f32', [[neg, 0, x, o, 8], [neg, 0, beyond, o, 8]])).toThrow(/out of bounds/);
    // the pool still works afterwards
    const y = mx.sqrt(data(400_000, 12, 0, 4));
    mx.eval(y);
    expect(readHost(y).units.length).toBe(400_000);
  } finally {
    c.heap.free(buf.ptr, buf.size);
  }
});

test('setThreadSpin: validates; workers that poll, block at once, or poll then block all run every chunk', async () => {
  expect(mx.setThreadSpin).toBe(setThreadSpin);
  for (const bad of [-1, NaN, 1e7, Infinity]) expect(() => setThreadSpin(bad), String(bad)).toThrow(/setThreadSpin: expected microseconds/);
  const old = setThreadSpin(0);
  try {
    const a = data(300_000, 21);
    const b = data(300_000, 22);
    mx.eval(a, b);
    const want = onWasm(1, (x, y) => mx.add(mx.multiply(x, y), x), [a, b]);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // 0: block at once; 2e5 us: still polling when the next op comes; 500 us: blocked again after the sleep
    for (const spin of [0, 200_000, 500]) {
      setThreadSpin(spin);
      resetThreadStats();
      for (let i = 0; i < 6; i++) {
        // stealing is off: each op returns only once a worker has run its chunks, polling or woken
        const got = onWasm(2, (x, y) => mx.add(mx.multiply(x, y), x), [a, b]);
        expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `spin ${spin}, op ${i}`).toBe(true);
        if (i % 2) await sleep(5);
      }
      expect(threadStats().workerChunks, `spin ${spin}`).toBeGreaterThanOrEqual(6);
    }
    // a pool replaced while its workers poll: the old workers leave, the new pool serves
    setThreadSpin(200_000);
    onWasm(2, (x, y) => mx.add(x, y), [a, b]);
    const got = onWasm(3, (x, y) => mx.add(mx.multiply(x, y), x), [a, b]);
    expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  } finally {
    setThreadSpin(old);
  }
  expect(setThreadSpin(old)).toBe(old);
});

test('a chunk that takes too long: a timeout error, not a hang; the next call starts a new pool', () => {
  const c = ctx();
  const K = 1024;
  const M = 1024;
  const bytes = 4 * (2 * M * K + M * M);
  // deliberately never freed: the timed-out worker may still be writing into it
  const mem = c.heap.alloc(bytes + 2 * (c.k.matmulF32BufA() + c.k.matmulF32BufB()));
  const pa = mem.ptr;
  const pb = pa + 4 * M * K;
  const po = pb + 4 * M * K;
  const bufs = po + 4 * M * M;
  const bA = c.k.matmulF32BufA();
  const bB = c.k.matmulF32BufB();
  setThreadTimeout(1);
  const t0 = Date.now();
  expect(() =>
    parallel(c, 'matmul_f32', [
      [pa, pb, po, 0, M, 0, K, 1, M, 1, bufs, bufs + bA], // nothing to do here (M = K = 0)
      [pa, pb, po, M, M, K, K, 1, M, 1, bufs + bA + bB, bufs + 2 * bA + bB],
    ]),
  ).toThrow(/did not finish within/);
  expect(Date.now() - t0).toBeLessThan(5000);
  setThreadTimeout(30_000);
  const a = data(500_000, 13);
  const sum2 = onWasm(2, (x) => mx.add(x, x), [a]);
  expect(sum2[7]).toBe(2 * (readHost(a).units[7] as number));
  expect(threadStats().pools).toBeGreaterThanOrEqual(1);
  expect(threadStats().workerChunks).toBeGreaterThan(0);
});

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
test.runIf(existsSync(dist))('workers never keep the Node process alive (built package)', () => {
  const script = `
    const mx = await import(${JSON.stringify(dist)});
    mx.setCpuBackend('wasm');
    mx.setNumThreads(2);
    const a = mx.ones([1 << 20]);
    const s = mx.sum(mx.add(a, a));
    console.log(s.item());
  `;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe(String(2 * (1 << 20)));
  expect(Date.now() - t0).toBeLessThan(20_000);
});

test('initThreads: starts the pool, idempotent; threadStatus tells the truth', async () => {
  mx.setNumThreads(3);
  const st = await mx.initThreads();
  expect(st).toEqual({ threads: 3, requested: 3, workers: 'worker_threads', reason: null });
  const pool = runningPool(wasm().heap)!;
  expect(pool.size).toBe(3);
  expect(await mx.initThreads()).toEqual(st);
  expect(runningPool(wasm().heap)).toBe(pool); // the same pool, not a new one
  expect(mx.threadStatus()).toEqual(st);
  mx.setNumThreads(1);
  expect(runningPool(wasm().heap)).toBe(null);
  expect(mx.threadStatus()).toEqual({ threads: 1, requested: 1, workers: 'worker_threads', reason: null });
  // a backend whose memory isn't shared runs single-threaded, and says so
  mx.setNumThreads(2);
  const plain = new mx.WasmBackend({ name: 'wasm-plain-threads', shared: false });
  const ps = await mx.initThreads(plain);
  expect(ps.threads).toBe(1);
  expect(ps.reason).toMatch(/not shared/);
  expect(() => mx.threadStatus(getBackendByName('reference') as WasmBackend)).toThrow(/not a WASM backend/);
});

test('starting workers leaves the static data alone (their module has passive data segments)', () => {
  const c = ctx();
  const desc = c.desc();
  const pattern = Int32Array.from({ length: desc.length }, (_, i) => 0x5a5a0000 + i);
  mx.setNumThreads(4);
  desc.set(pattern);
  const pool = poolFor(c)!; // starts 4 workers now (the caller can block: see ThreadPool.runQueue's hand-off)
  expect([pool.size, pool.workers]).toEqual([4, 4]);
  expect(Array.from(c.desc())).toEqual(Array.from(pattern));
  desc.fill(0);
  // the transform: same exports and imports, and instantiating it writes nothing
  const bytes = kernelBytes(true);
  const active = new WebAssembly.Module(bytes as BufferSource);
  const passive = new WebAssembly.Module(withoutActiveData(bytes) as BufferSource);
  expect(WebAssembly.Module.exports(passive)).toEqual(WebAssembly.Module.exports(active));
  expect(WebAssembly.Module.imports(passive)).toEqual(WebAssembly.Module.imports(active));
  const imports = (m: WebAssembly.Module, memory: WebAssembly.Memory) => {
    const o: Record<string, Record<string, unknown>> = { env: { memory } };
    for (const i of WebAssembly.Module.imports(m)) if (i.module !== 'env') (o[i.module] ??= {})[i.name] = () => 0;
    return o as WebAssembly.Imports;
  };
  for (const [m, untouched] of [[passive, true], [active, false]] as const) {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    new Uint8Array(memory.buffer).fill(0xa5);
    new WebAssembly.Instance(m, imports(m, memory));
    expect(new Uint8Array(memory.buffer).every((v) => v === 0xa5)).toBe(untouched);
  }
});
