// Threads for the WASM backend: a pool of workers that instantiate the same kernel module
// over the same shared WebAssembly.Memory, and a synchronous fork-join (`parallel`) that the
// adapters call from inside `backend.run` (which is synchronous).
//
// Dispatch: a control block in linear memory (allocated from the heap once per pool) holds,
// per worker, a sequence word, the index of the export to call and its f64 arguments. The
// main thread writes a chunk per worker, bumps its sequence word and `Atomics.notify`s it,
// runs chunk 0 itself, then `Atomics.wait`s on the pending counter. Workers run their chunk,
// decrement the counter and notify. A worker that throws (a trap, a kernel import that isn't
// available in workers) writes its message into the control block; `parallel` then throws
// `WasmThreadError` with it. A chunk that doesn't finish in time (see `setThreadTimeout`)
// throws too, and the pool is shut down (the next call starts a fresh one): never a hang.
//
// Where it runs threaded: Node (worker_threads, workers `unref`'d so they never keep the
// process alive) with a shared memory. Elsewhere (browsers: a main thread may not
// Atomics.wait; plain memories) `parallel` runs every chunk on the calling thread, in order,
// so results are the same either way (every threaded kernel splits work so that the
// result doesn't depend on the number of chunks, or states so).
//
// Kernels run in workers must not use the module's static scratch (layout.ts DESC/COUNTERS,
// reduce.ts ACC...): each chunk gets its own descriptor / scratch in the heap.
import { kernelModule } from '@mlx-ts/kernels-wasm';
import type { WasmHeap } from './heap.js';
import type { WasmContext } from './registry.js';

type NodeWorker = {
  unref(): void;
  terminate(): Promise<number>;
  on(ev: string, f: (...a: any[]) => void): void;
};
type WorkerCtor = new (code: string, opts: { eval: true; workerData: unknown; execArgv: string[] }) => NodeWorker;

const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
const isNode = typeof proc?.versions?.node === 'string';
// Loaded at import time (top-level await) so that pool creation later is synchronous. The
// specifier is not a literal so that browser bundlers leave it alone.
let WorkerImpl: WorkerCtor | null = null;
let cores = 1;
if (isNode) {
  try {
    const wtName = 'node:worker_threads';
    const osName = 'node:os';
    const wt = (await import(/* @vite-ignore */ wtName)) as { Worker: WorkerCtor; isMainThread: boolean };
    const os = (await import(/* @vite-ignore */ osName)) as { availableParallelism?: () => number; cpus(): unknown[] };
    WorkerImpl = wt.Worker;
    cores = os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    WorkerImpl = null;
  }
} else {
  cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Most threads a pool may have (main thread included). */
export const MAX_THREADS = 64;
let numThreads = Math.max(1, Math.min(MAX_THREADS, cores || 1));
let timeoutMs = 30_000;
let stealing = true;

/** @internal (tests) Whether the calling thread runs worker chunks that no worker has started; default true. */
export function setStealing(on: boolean): void {
  stealing = on;
}

/** Threads the WASM backend's threaded kernels use (main thread included); 1 = single-threaded. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new RangeError(`setNumThreads: expected an integer in [1, ${MAX_THREADS}], got ${n}`);
  if (n === numThreads) return;
  numThreads = n;
  for (const p of pools) p.shutdown();
}

/** The thread count set by setNumThreads; default: the machine's cores (os.availableParallelism / navigator.hardwareConcurrency). */
export function getNumThreads(): number {
  return numThreads;
}

/**
 * Whether threads can run here: Node with worker_threads and a shared memory. Browsers run
 * single-threaded for now (their main thread may not Atomics.wait).
 */
export function threadsAvailable(heap: WasmHeap): boolean {
  return WorkerImpl !== null && heap.shared;
}

/** How long the main thread waits for workers: past max(ms, 20 x its own chunk's time) a chunk counts as hung. Default 30 s. */
export function setThreadTimeout(ms: number): void {
  if (!(ms > 0)) throw new RangeError(`setThreadTimeout: expected a positive number of ms, got ${ms}`);
  timeoutMs = ms;
}

export class WasmThreadError extends Error {
  override name = 'WasmThreadError';
}

// ---- control block layout (i32 words, then f64 argument slots, then the error text) ----
const W_READY = 0;
const W_PENDING = 1;
const W_ERROR = 2; // worker index + 1 of the first error, 0 = none
const W_DEAD = 3; // workers that failed to start
const HEADER_WORDS = 16;
const WORKER_WORDS = 4; // seq, fn, nargs, state (0 = assigned, 1 = taken by the worker, 2 = taken by the caller, 3 = idle)
const MAX_ARGS = 16;
const ERR_BYTES = 1024;
/** How long pool creation waits for its workers to instantiate the kernels. */
const READY_TIMEOUT_MS = 10_000;

const layoutOf = (workers: number) => {
  const argsOff = (HEADER_WORDS + WORKER_WORDS * workers) * 4;
  const argsAligned = Math.ceil(argsOff / 16) * 16;
  const errOff = argsAligned + workers * MAX_ARGS * 8;
  return { argsOff: argsAligned, errOff, bytes: errOff + ERR_BYTES };
};

// The worker: plain JS run with `eval: true` (no file to resolve, works from sources and dist).
const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, index, names, argsOff, errOff, HEADER_WORDS, WORKER_WORDS, MAX_ARGS, ERR_BYTES } = workerData;
const i32 = new Int32Array(memory.buffer, ctrl, HEADER_WORDS + WORKER_WORDS * (index + 1));
const base = HEADER_WORDS + WORKER_WORDS * index;
function fail(e) {
  const msg = String(e && e.stack ? e.stack : e);
  if (Atomics.compareExchange(i32, 2, 0, index + 1) === 0) {
    const bytes = new TextEncoder().encode(msg).subarray(0, ERR_BYTES - 4);
    const dv = new DataView(memory.buffer, ctrl + errOff, ERR_BYTES);
    dv.setInt32(0, bytes.length, true);
    new Uint8Array(memory.buffer, ctrl + errOff + 4, bytes.length).set(bytes);
  }
}
let fns;
try {
  const imports = { env: { memory } };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === 'env' && imp.name === 'memory') continue;
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new Error('kernel import ' + imp.module + '.' + imp.name + ' is not available in WASM worker threads');
    };
  }
  const ex = new WebAssembly.Instance(module, imports).exports;
  fns = names.map((n) => ex[n]);
} catch (e) {
  fail(e);
  Atomics.add(i32, 3, 1);
  Atomics.add(i32, 0, 1);
  Atomics.notify(i32, 0);
  throw e;
}
Atomics.add(i32, 0, 1);
Atomics.notify(i32, 0);
const args = new Float64Array(memory.buffer, ctrl + argsOff + index * MAX_ARGS * 8, MAX_ARGS);
let seen = 0;
for (;;) {
  Atomics.wait(i32, base, seen);
  const seq = Atomics.load(i32, base);
  if (seq === seen) continue;
  seen = seq;
  if (seq < 0) break;
  // claim the chunk: the calling thread may have taken it already (it takes the chunks that
  // no worker has started once its own is done)
  if (Atomics.compareExchange(i32, base + 3, 0, 1) !== 0) continue;
  try {
    const f = fns[i32[base + 1]];
    const n = i32[base + 2];
    const a = [];
    for (let i = 0; i < n; i++) a.push(args[i]);
    f(...a);
  } catch (e) {
    fail(e);
  }
  Atomics.sub(i32, 1, 1);
  Atomics.notify(i32, 1);
}
`;

const pools = new Set<ThreadPool>();
const poolOf = new WeakMap<WasmHeap, ThreadPool>();

/** One pool per heap (memory): `size - 1` workers plus the calling thread. */
export class ThreadPool {
  readonly size: number;
  private readonly heap: WasmHeap;
  private readonly ctrl: { ptr: number; size: number };
  private readonly workers: NodeWorker[] = [];
  private readonly fnIndex = new Map<string, number>();
  private readonly lay: ReturnType<typeof layoutOf>;
  private seq = 0;
  private alive = true;
  /** Worker chunks the calling thread ran because no worker had started them. */
  stolen = 0;

  constructor(heap: WasmHeap, size: number, exportNames: string[]) {
    if (!WorkerImpl) throw new WasmThreadError('WASM threads need worker_threads (Node)');
    this.heap = heap;
    this.size = size;
    exportNames.forEach((n, i) => this.fnIndex.set(n, i));
    const nw = size - 1;
    this.lay = layoutOf(nw);
    this.ctrl = heap.alloc(this.lay.bytes);
    new Uint8Array(heap.memory.buffer, this.ctrl.ptr, this.lay.bytes).fill(0);
    const init = this.i32();
    for (let w = 0; w < size - 1; w++) init[HEADER_WORDS + WORKER_WORDS * w + 3] = 3;
    const module = kernelModule(true);
    for (let w = 0; w < nw; w++) {
      const worker = new WorkerImpl(workerSource, {
        eval: true,
        // not the parent's flags: e.g. --input-type=module would make this CommonJS code fail
        execArgv: [],
        workerData: {
          module,
          memory: heap.memory,
          ctrl: this.ctrl.ptr,
          index: w,
          names: exportNames,
          argsOff: this.lay.argsOff,
          errOff: this.lay.errOff,
          HEADER_WORDS,
          WORKER_WORDS,
          MAX_ARGS,
          ERR_BYTES,
        },
      });
      worker.on('error', () => {}); // surfaced through the control block / timeouts
      worker.unref();
      this.workers.push(worker);
    }
    pools.add(this);
    // Wait (synchronously: the workers' instantiation re-initializes the module's data
    // segments in the shared memory, which must not race a kernel on this thread).
    const i32 = this.i32();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(i32, W_READY);
      if (ready >= nw) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.shutdown();
        throw new WasmThreadError(`WASM threads: only ${ready} of ${nw} workers started within ${READY_TIMEOUT_MS} ms`);
      }
      Atomics.wait(i32, W_READY, ready, Math.min(left, 50));
    }
    if (Atomics.load(i32, W_DEAD) > 0) {
      const msg = this.takeError();
      this.shutdown();
      throw new WasmThreadError(`WASM threads: a worker failed to start: ${msg}`);
    }
  }

  get running(): boolean {
    return this.alive;
  }

  private i32(): Int32Array {
    return new Int32Array(this.heap.memory.buffer, this.ctrl.ptr, HEADER_WORDS + WORKER_WORDS * (this.size - 1));
  }

  private takeError(): string {
    const buf = this.heap.memory.buffer;
    const dv = new DataView(buf, this.ctrl.ptr + this.lay.errOff, ERR_BYTES);
    const n = dv.getInt32(0, true);
    const text = new TextDecoder().decode(new Uint8Array(buf, this.ctrl.ptr + this.lay.errOff + 4, n).slice());
    Atomics.store(this.i32(), W_ERROR, 0);
    return text;
  }

  /**
   * Runs export `name` once per argument list: chunk 0 on this thread, chunk i on worker i-1
   * (or on this thread, once its own is done, if that worker hasn't started it: a busy machine
   * may have descheduled the worker); returns when all are done, with chunk 0's result.
   */
  run(name: string, chunks: readonly (readonly number[])[], main: (...a: number[]) => number): number {
    if (!this.alive) throw new WasmThreadError('WASM threads: the pool was shut down');
    const fi = this.fnIndex.get(name);
    if (fi === undefined) throw new Error(`internal: kernel export ${name} is unknown to the thread pool`);
    const nw = chunks.length - 1;
    if (nw > this.size - 1) throw new Error(`internal: ${chunks.length} chunks for a pool of ${this.size} threads`);
    for (const c of chunks) if (c.length > MAX_ARGS) throw new Error(`internal: ${c.length} kernel arguments (at most ${MAX_ARGS})`);
    const i32 = this.i32();
    const buf = this.heap.memory.buffer;
    Atomics.store(i32, W_PENDING, nw);
    this.seq = (this.seq + 1) & 0x3fffffff;
    if (this.seq === 0) this.seq = 1;
    for (let w = 0; w < nw; w++) {
      const args = chunks[w + 1]!;
      new Float64Array(buf, this.ctrl.ptr + this.lay.argsOff + w * MAX_ARGS * 8, args.length).set(args);
      const base = HEADER_WORDS + WORKER_WORDS * w;
      i32[base + 1] = fi;
      i32[base + 2] = args.length;
      Atomics.store(i32, base + 3, 0);
      Atomics.store(i32, base, this.seq);
      Atomics.notify(i32, base);
    }
    const t0 = Date.now();
    let result = 0;
    let mainError: unknown = null;
    try {
      result = main(...chunks[0]!);
    } catch (e) {
      mainError = e;
    }
    // Chunks that no worker has started yet (asleep, or descheduled on a busy machine) run here.
    for (let w = 0; w < nw && !mainError && stealing; w++) {
      const base = HEADER_WORDS + WORKER_WORDS * w;
      if (Atomics.compareExchange(i32, base + 3, 0, 2) !== 0) continue;
      this.stolen++;
      try {
        main(...chunks[w + 1]!);
      } catch (e) {
        mainError = e;
      }
      Atomics.sub(i32, W_PENDING, 1);
    }
    const limit = Math.max(timeoutMs, 20 * (Date.now() - t0));
    const deadline = Date.now() + limit;
    for (;;) {
      const left = Atomics.load(i32, W_PENDING);
      if (left <= 0) break;
      const wait = deadline - Date.now();
      if (wait <= 0) {
        this.shutdown();
        throw new WasmThreadError(`WASM threads: ${left} of ${nw} worker chunk(s) of ${name} did not finish within ${limit} ms; the pool was shut down (the next threaded call starts a new one)`);
      }
      Atomics.wait(i32, W_PENDING, left, Math.min(wait, 1000));
    }
    if (mainError) throw mainError;
    const errWorker = Atomics.load(i32, W_ERROR);
    if (errWorker) throw new WasmThreadError(`WASM thread ${errWorker} failed in ${name}: ${this.takeError()}`);
    return result;
  }

  /** Stops the workers (they exit at their next wake-up; terminate() makes sure). */
  shutdown(): void {
    if (!this.alive) return;
    this.alive = false;
    pools.delete(this);
    if (poolOf.get(this.heap) === this) poolOf.delete(this.heap);
    const i32 = this.i32();
    for (let w = 0; w < this.size - 1; w++) {
      const base = HEADER_WORDS + WORKER_WORDS * w;
      Atomics.store(i32, base, -1);
      Atomics.notify(i32, base);
    }
    for (const w of this.workers) void w.terminate().catch(() => {});
    // The control block stays allocated: a hung worker might still write into it.
  }
}

/** The names of the kernel exports a pool can call (functions only). */
function exportNames(ctx: WasmContext): string[] {
  return Object.keys(ctx.k).filter((n) => typeof (ctx.k as unknown as Record<string, unknown>)[n] === 'function');
}

/** The pool for this context's memory with getNumThreads() threads, or null when single-threaded. */
export function poolFor(ctx: WasmContext): ThreadPool | null {
  if (numThreads <= 1 || !threadsAvailable(ctx.heap)) return null;
  let p = poolOf.get(ctx.heap);
  if (p && (!p.running || p.size !== numThreads)) {
    p.shutdown();
    p = undefined;
  }
  if (!p) {
    p = new ThreadPool(ctx.heap, numThreads, exportNames(ctx));
    poolOf.set(ctx.heap, p);
  }
  return p;
}

/** How many chunks to cut `work` units into: one per `grain` units, at most the thread count. */
export function chunkCount(ctx: WasmContext, work: number, grain: number): number {
  if (numThreads <= 1 || !threadsAvailable(ctx.heap)) return 1;
  return Math.max(1, Math.min(numThreads, Math.floor(work / grain)));
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
    const before = pool.stolen;
    try {
      return pool.run(name, chunks, fn);
    } finally {
      stats.byCaller += pool.stolen - before;
      stats.workerChunks += chunks.length - 1 - (pool.stolen - before);
    }
  }
  let r = 0;
  chunks.forEach((c, i) => {
    const v = fn(...c);
    if (i === 0) r = v;
  });
  return r;
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
 * Since the last reset: fork-joins dispatched to a pool, chunks that workers ran, and worker
 * chunks that the calling thread ran because no worker had started them yet.
 */
export function threadStats(): { threaded: number; workerChunks: number; byCaller: number; pools: number } {
  return { ...stats, pools: pools.size };
}

export function resetThreadStats(): void {
  stats.threaded = 0;
  stats.workerChunks = 0;
  stats.byCaller = 0;
}

/** Pools alive (for tests). */
export function threadPoolCount(): number {
  return pools.size;
}
