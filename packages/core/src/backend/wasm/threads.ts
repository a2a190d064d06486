// Threads for the WASM backend, the public side: the thread count, the dispatch that the
// adapters call from inside `backend.run` (`parallel`, `chunkCount`: synchronous), and
// `initThreads` / `threadStatus`. The parts live next to this file:
// - threads-runtime.ts: what the runtime offers (worker_threads, Web Workers, blocking waits)
//   and why threads can't run; Node's modules are loaded on first use, never at import time;
// - threads-worker.ts: the workers' source and the module they instantiate;
// - threads-pool.ts: the pool and its fork-join over a control block in shared memory.
//
// Where it runs threaded, with a shared memory:
// - Node, Bun, Deno (worker_threads, workers `unref`'d so they never keep the process alive):
//   the pool starts synchronously at the first large kernel (or at `initThreads`).
// - Browsers and other runtimes with Web Workers, where the page is cross-origin isolated
//   (SharedArrayBuffer): a worker can't finish starting while the thread that made it is
//   blocked, so the pool starts asynchronously, in `await initThreads()`, and `parallel` uses it
//   synchronously afterwards. Until it runs, and where there is no SharedArrayBuffer,
//   `parallel` runs every chunk on the calling thread, in order, so results are the same
//   either way (every threaded kernel splits work so that the result doesn't depend on the
//   number of chunks, or states so).
import type { KernelExports } from '@mlx-ts/kernels-wasm';
import { getBackendByName } from '../../device.js';
import type { KernelSet, WasmHeap } from './heap.js';
import type { WasmContext } from './registry.js';
import type { WasmBackend } from './index.js';
import { coreCount, nodeModulesLoading, nodeModulesReady, runtimeReason, workerHost } from './threads-runtime.js';
import { QUEUE_MAX, ThreadPool, poolOf, pools } from './threads-pool.js';

export { ThreadPool, WasmThreadError, setStealing, setThreadTimeout, setThreadSpin, QUEUE_MAX } from './threads-pool.js';
export { withoutActiveData } from './threads-worker.js';

/** Most threads a pool may have (main thread included). */
export const MAX_THREADS = 64;
/** Set by setNumThreads; null: the default, worked out when first needed. */
let requestedThreads: number | null = null;

/** The machine's cores where threads can run here, else 1 (so that getNumThreads() doesn't promise what can't be). */
function defaultThreads(): number {
  if (defaultCache !== null) return defaultCache;
  const n = runtimeReason() === null ? Math.max(1, Math.min(MAX_THREADS, coreCount() || 1)) : 1;
  if (!nodeModulesLoading()) defaultCache = n;
  return n;
}
let defaultCache: number | null = null;

/**
 * Threads the WASM backend's threaded kernels use (main thread included); 1 = single-threaded.
 * Running pools stop. Node starts a new pool at the next large kernel; with Web Workers (browsers)
 * a new pool starts in the background for every backend that `initThreads` started, the kernels
 * run on the calling thread until it is ready, and `await initThreads()` waits for it.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new RangeError(`setNumThreads: expected an integer in [1, ${MAX_THREADS}], got ${n}`);
  if (n === getNumThreads()) {
    requestedThreads = n;
    return;
  }
  requestedThreads = n;
  for (const p of [...pools]) p.shutdown();
  for (const s of webStarts.values()) if (!s.error) startWebPool(s).catch(() => {}); // recorded in s.error
}

/**
 * The thread count set by setNumThreads; default: the machine's cores (os.availableParallelism /
 * navigator.hardwareConcurrency) where threads can run, else 1. `threadStatus()` says how many
 * the kernels use now.
 */
export function getNumThreads(): number {
  return requestedThreads ?? defaultThreads();
}

/** The names of the kernel exports a pool can call (functions only). */
function exportNames(k: KernelExports): string[] {
  return Object.keys(k).filter((n) => typeof (k as unknown as Record<string, unknown>)[n] === 'function');
}

// ---- Web Workers: pools started asynchronously, per backend that initThreads was called for ----
interface WebStart {
  readonly heap: WasmHeap;
  readonly names: string[];
  /** The start in progress (a new pool after setNumThreads, or after a shutdown). */
  pending: Promise<void> | null;
  /** Why the last start failed; no automatic restart until initThreads is called again. */
  error: string | null;
}
const webStarts = new Map<WasmHeap, WebStart>();

/** Starts a pool of getNumThreads() threads for `s.heap` unless one runs or is starting. */
function startWebPool(s: WebStart): Promise<void> {
  s.pending ??= (async () => {
    for (;;) {
      const want = getNumThreads();
      const current = poolOf.get(s.heap);
      if (current?.running && current.size === want) return;
      current?.shutdown();
      if (want <= 1) return;
      const p = await ThreadPool.start(s.heap, want, s.names);
      // setNumThreads may have changed the count meanwhile
      if (p.running && want === getNumThreads()) {
        poolOf.set(s.heap, p);
        return;
      }
      p.shutdown();
    }
  })().then(
    () => {
      s.pending = null;
    },
    (e: unknown) => {
      s.pending = null;
      s.error = e instanceof Error ? e.message : String(e);
      throw e;
    },
  );
  return s.pending;
}

/** Threads a kernel on this heap gets now (1 = run on the calling thread). */
function threadsFor(heap: WasmHeap): number {
  if (getNumThreads() <= 1 || !heap.shared || runtimeReason() !== null) return 1;
  if (workerHost() === 'worker_threads') return getNumThreads();
  const p = poolOf.get(heap);
  if (p?.running) return p.size;
  // shut down (a timeout, a dead worker): start a new one in the background
  const s = webStarts.get(heap);
  if (s && !s.pending && !s.error) startWebPool(s).catch(() => {});
  return 1;
}

/** The pool for this context's memory with getNumThreads() threads, or null when single-threaded. */
export function poolFor(ctx: WasmContext): ThreadPool | null {
  if (threadsFor(ctx.heap) <= 1) return null;
  let p = poolOf.get(ctx.heap);
  if (workerHost() !== 'worker_threads') return p?.running ? p : null;
  if (p && (!p.running || p.size !== getNumThreads())) {
    p.shutdown();
    p = undefined;
  }
  if (!p) {
    p = ThreadPool.startSync(ctx.heap, getNumThreads(), exportNames(ctx.k));
    poolOf.set(ctx.heap, p);
  }
  return p;
}

/** How many chunks to cut `work` units into: one per `grain` units, at most the thread count. */
export function chunkCount(ctx: WasmContext, work: number, grain: number): number {
  const t = threadsFor(ctx.heap);
  if (t <= 1) return 1;
  return Math.max(1, Math.min(t, Math.floor(work / grain)));
}

/**
 * Calls kernel export `name` once per argument list, in parallel when a pool exists (chunk 0
 * on this thread), else one after another here. Returns the first chunk's result (kernels
 * that return a "handled" flag decide it from their op code, the same for every chunk).
 */
export function parallel(ctx: WasmContext, name: string, chunks: readonly (readonly number[])[]): number {
  const fn = (ctx.k as unknown as Record<string, (...a: number[]) => number>)[name];
  if (!fn) throw new Error(`internal: no kernel export ${name}`);
  if (chunks.length === 0) return 1;
  const pool = chunks.length > 1 ? poolFor(ctx) : null;
  if (pool && chunks.length <= pool.size) {
    stats.threaded++;
    const stolen = pool.stolen;
    const ran = pool.workerRuns();
    try {
      return pool.run(name, chunks, fn);
    } finally {
      stats.byCaller += pool.stolen - stolen;
      stats.workerChunks += pool.workerRuns() - ran;
    }
  }
  let r = 0;
  chunks.forEach((c, i) => {
    const v = fn(...c);
    if (i === 0) r = v;
  });
  return r;
}

/**
 * Calls kernel export `name` once per argument list, the chunks shared out while they run:
 * every thread (this one included) claims the next chunk when it is free, so a worker that
 * wakes late or loses its core on a busy machine does less, instead of the others waiting for
 * it. Cut the work into a few chunks per thread (`queueParts`). The chunks must write
 * disjoint outputs; the kernel's return value is not used. `work` (multiply-adds or a like
 * count): from HAND_OFF_WORK up, the workers take every chunk while this thread sleeps (see
 * ThreadPool.runQueue).
 */
export function parallelQueue(ctx: WasmContext, name: string, chunks: readonly (readonly number[])[], work = 0): void {
  const fn = (ctx.k as unknown as Record<string, (...a: number[]) => number>)[name];
  if (!fn) throw new Error(`internal: no kernel export ${name}`);
  const pool = chunks.length > 1 && chunks.length <= QUEUE_MAX ? poolFor(ctx) : null;
  if (!pool) {
    for (const c of chunks) fn(...c);
    return;
  }
  stats.threaded++;
  const ran = pool.workerRuns();
  try {
    pool.runQueue(name, chunks, fn, work >= HAND_OFF_WORK);
  } finally {
    stats.workerChunks += pool.workerRuns() - ran;
  }
}

/** Chunks to cut `work` units into for parallelQueue: QUEUE_PER_THREAD per thread, at most one per `grain` units. */
export function queueParts(ctx: WasmContext, work: number, grain: number): number {
  const t = threadsFor(ctx.heap);
  if (t <= 1) return 1;
  return Math.max(1, Math.min(t * QUEUE_PER_THREAD, QUEUE_MAX, Math.floor(work / grain)));
}

/**
 * parallelQueue work (multiply-adds) from which the calling thread hands every chunk to the
 * workers and sleeps: about 0.5 ms on one core, where its wake-up at the end (tens of us) is
 * small. conv2d 1x56x56x64 3x3 (116 M) in the benchmark harness: 4.9-6.3 ms medians before,
 * 3.3-3.7 ms after; back to back unchanged (3.1 ms).
 */
export const HAND_OFF_WORK = 1 << 24;

/** Chunks per thread that parallelQueue callers cut their work into: enough to even out a late thread, few enough that each chunk's setup stays small. */
export const QUEUE_PER_THREAD = 4;

// ---- the public start / status ----

/** What `threadStatus()` reports. */
export interface ThreadStatus {
  /** Threads the WASM backend's threaded kernels use now, the calling thread included (1 = single-threaded). */
  threads: number;
  /** What was asked for: getNumThreads(). */
  requested: number;
  /** What starts the workers in this runtime. */
  workers: 'worker_threads' | 'web-workers' | null;
  /** Why `threads` is below `requested`, or why this runtime can't run threads at all (a page that isn't cross-origin isolated...); else null. */
  reason: string | null;
}

type ThreadedBackend = Pick<WasmBackend, 'init' | 'startError' | 'heap' | 'kernels' | 'name' | 'kernelSet'>;

function wasmBackend(backend: WasmBackend | undefined, what: string): ThreadedBackend {
  const b = (backend ?? getBackendByName('wasm')) as Partial<ThreadedBackend>;
  if (typeof b.init !== 'function' || typeof b.startError !== 'function') throw new TypeError(`${what}: '${b.name}' is not a WASM backend`);
  return b as ThreadedBackend;
}

/**
 * Starts the WASM backend's worker threads (getNumThreads() of them, the calling thread
 * included) and resolves with the status. It compiles the kernels asynchronously first, as
 * `initWasm` does. In browsers and other runtimes with Web Workers it is needed for threads:
 * workers start asynchronously, so await it before the first op (the page must be cross-origin
 * isolated: without SharedArrayBuffer everything runs single-threaded and the status says why);
 * after `setNumThreads`, a new pool starts in the background, and awaiting this again waits for
 * it. In Node it is optional (the pool starts at the first large kernel). Rejects with
 * WasmThreadError when workers fail to start; the backend then stays single-threaded.
 * `backend`: a WasmBackend of your own; default the registered 'wasm' one.
 */
export async function initThreads(backend?: WasmBackend): Promise<ThreadStatus> {
  const b = wasmBackend(backend, 'initThreads');
  await nodeModulesReady();
  await b.init();
  const heap = b.heap;
  if (getNumThreads() > 1 && heap.shared && runtimeReason() === null) {
    if (workerHost() === 'worker_threads') poolFor({ heap, k: b.kernels } as WasmContext);
    else {
      let s = webStarts.get(heap);
      if (!s) webStarts.set(heap, (s = { heap, names: exportNames(b.kernels), pending: null, error: null }));
      s.error = null;
      await startWebPool(s);
    }
  }
  return threadStatus(backend);
}

/**
 * How many threads the WASM backend's kernels use now, and why not more: single-threaded
 * where this runtime has no SharedArrayBuffer (a page that isn't cross-origin isolated) or no
 * workers, where the backend's memory isn't shared, and with Web Workers until `initThreads`
 * has started them. Node: starts the backend (synchronously) if it hasn't started.
 */
export function threadStatus(backend?: WasmBackend): ThreadStatus {
  const b = wasmBackend(backend, 'threadStatus');
  const requested = getNumThreads();
  const status = (threads: number, reason: string | null): ThreadStatus => ({ threads, requested, workers: workerHost(), reason: threads < requested ? reason : null });
  const why = runtimeReason();
  // said even when 1 thread was asked for (the default where threads can't run)
  if (why) return { threads: 1, requested, workers: workerHost(), reason: why };
  if (requested <= 1) return status(1, null);
  if (workerHost() === 'worker_threads') {
    const err = b.startError();
    if (err) return status(1, `the '${b.name}' backend could not start: ${err}`);
    return b.heap.shared ? status(getNumThreads(), null) : status(1, `the '${b.name}' backend's memory is not shared (it was made with shared: false)`);
  }
  // Web Workers: pools are keyed by heap, and this backend has one only if initThreads ran for it
  const s = [...webStarts.values()].find((x) => x.heap.owner === b);
  const p = s && poolOf.get(s.heap);
  if (p?.running) return status(p.size, null);
  if (!s) return status(1, 'the Web Workers are not started: await mx.initThreads()');
  if (s.error) return status(1, `the Web Workers failed to start (${s.error}); await mx.initThreads() to try again`);
  return status(1, 'the Web Workers are starting (after setNumThreads or a shutdown): await mx.initThreads() to wait for them');
}

/**
 * The kernel set the WASM backend runs, on the calling thread and in its workers: 'fma'
 * (relaxed SIMD's fused multiply-add in the float32 matmul, matrix-vector and convolution
 * loops: the default where the runtime validates relaxed SIMD) or 'plain'. Starts the backend
 * if it hasn't started. Choose with `new WasmBackend({ fma })` or MLX_TS_WASM_FMA=0/1.
 * `backend`: a WasmBackend of your own; default the registered 'wasm' one.
 */
export function wasmKernelSet(backend?: WasmBackend): KernelSet {
  return wasmBackend(backend, 'wasmKernelSet').kernelSet;
}

/** Splits [0, n) into `parts` ranges whose starts are multiples of `align` (the last takes the rest). */
export function splitRange(n: number, parts: number, align = 1): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < parts && start < n; i++) {
    let end = i === parts - 1 ? n : Math.round(((i + 1) * n) / parts / align) * align;
    end = Math.min(n, Math.max(end, start));
    if (end > start) out.push([start, end]);
    start = end;
  }
  if (start < n) out.push([start, n]);
  return out;
}

const stats = { threaded: 0, workerChunks: 0, byCaller: 0 };

/**
 * Since the last reset: fork-joins dispatched to a pool, chunks that workers ran (as the
 * workers count them), and worker chunks that the calling thread ran because no worker had
 * started them yet. @internal (tests)
 */
export function threadStats(): { threaded: number; workerChunks: number; byCaller: number; pools: number } {
  return { ...stats, pools: pools.size };
}

/** @internal (tests) */
export function resetThreadStats(): void {
  stats.threaded = 0;
  stats.workerChunks = 0;
  stats.byCaller = 0;
}

/** Pools alive (for tests). */
export function threadPoolCount(): number {
  return pools.size;
}

/** @internal (tests) The running pool of a heap, if any. */
export function runningPool(heap: WasmHeap): ThreadPool | null {
  const p = poolOf.get(heap);
  return p?.running ? p : null;
}
