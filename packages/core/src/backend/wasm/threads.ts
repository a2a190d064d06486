// Threads for the WASM backend: a pool of workers that instantiate the same kernel module
// over the same shared WebAssembly.Memory, and a synchronous fork-join (`parallel`) that the
// adapters call from inside `backend.run` (which is synchronous).
//
// Dispatch: a control block in linear memory (allocated from the heap once per pool) holds,
// per worker, a sequence word, the index of the export to call and its f64 arguments. The
// calling thread writes a chunk per worker, bumps its sequence word and `Atomics.notify`s it,
// runs chunk 0 itself, then waits on the pending counter: `Atomics.wait` where the thread may
// block (Node, workers), else a spin on `Atomics.load` (a browser's main thread, which may not
// Atomics.wait; the compute call blocks it anyway). Workers run their chunk, decrement the
// counter and notify. A worker that throws (a trap, a kernel import that isn't available in
// workers) writes its message into the control block; `parallel` then throws
// `WasmThreadError` with it. A chunk that doesn't finish in time (see `setThreadTimeout`)
// throws too, and the pool is shut down (a new one is started): never a hang, whether the
// spin or the wait is bounded.
//
// Where it runs threaded, with a shared memory:
// - Node (worker_threads, workers `unref`'d so they never keep the process alive): the pool
//   starts synchronously at the first large kernel (or at `initThreads`).
// - Browsers and other runtimes with Web Workers, where the page is cross-origin isolated
//   (SharedArrayBuffer): a worker can't finish starting while the thread that made it is
//   blocked, so the pool starts asynchronously, in `await initThreads()`, and `parallel` uses it
//   synchronously afterwards. Until it runs, and where there is no SharedArrayBuffer,
//   `parallel` runs every chunk on the calling thread, in order, so results are the same
//   either way (every threaded kernel splits work so that the result doesn't depend on the
//   number of chunks, or states so).
//
// Workers instantiate a copy of the kernel module whose data segments are passive (see
// `withoutActiveData`): instantiating the module as compiled would re-run its active data
// segments over the shared memory, zeroing the static areas (layout.ts DESC/COUNTERS, reduce
// scratch...) while the calling thread may be using them. The start function only sets globals.
//
// Kernels run in workers must not use the module's static scratch (layout.ts DESC/COUNTERS,
// reduce.ts ACC...): each chunk gets its own descriptor / scratch in the heap.
import { kernelBytes, type KernelExports } from '@mlx-ts/kernels-wasm';
import { getBackendByName } from '../../device.js';
import type { WasmHeap } from './heap.js';
import type { WasmContext } from './registry.js';
import type { WasmBackend } from './index.js';

type NodeWorker = {
  unref(): void;
  terminate(): Promise<number>;
  on(ev: string, f: (...a: any[]) => void): void;
};
type NodeWorkerCtor = new (code: string, opts: { eval: true; workerData: unknown; execArgv: string[] }) => NodeWorker;

const g = globalThis as {
  process?: { versions?: { node?: string } };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
};
const isNode = typeof g.process?.versions?.node === 'string';
// Loaded at import time (top-level await) so that pool creation later is synchronous. The
// specifier is not a literal so that browser bundlers leave it alone.
let NodeWorkerImpl: NodeWorkerCtor | null = null;
let cores = 1;
if (isNode) {
  try {
    const wtName = 'node:worker_threads';
    const osName = 'node:os';
    const wt = (await import(/* @vite-ignore */ wtName)) as { Worker: NodeWorkerCtor };
    const os = (await import(/* @vite-ignore */ osName)) as { availableParallelism?: () => number; cpus(): unknown[] };
    NodeWorkerImpl = wt.Worker;
    cores = os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    NodeWorkerImpl = null;
  }
} else {
  cores = g.navigator?.hardwareConcurrency ?? 1;
}
const hasWebWorkers = !isNode && typeof Worker === 'function' && typeof Blob === 'function' && typeof URL?.createObjectURL === 'function';
/** What starts the workers here: Node's worker_threads, Web Workers, or nothing. */
const host: 'worker_threads' | 'web-workers' | null = NodeWorkerImpl ? 'worker_threads' : hasWebWorkers ? 'web-workers' : null;

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
const canBlock = (() => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    // a value that doesn't match returns at once where waiting is allowed, and throws where it isn't
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Why this runtime can't run threads at all, or null. */
function runtimeReason(): string | null {
  if (!host) return 'this runtime has neither worker_threads nor Web Workers';
  if (g.crossOriginIsolated === false || typeof SharedArrayBuffer === 'undefined') {
    return g.crossOriginIsolated === false
      ? 'the page is not cross-origin isolated, so SharedArrayBuffer is unavailable (serve it with the headers ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'this runtime has no SharedArrayBuffer';
  }
  return null;
}

/** Most threads a pool may have (main thread included). */
export const MAX_THREADS = 64;
// 1 where threads can't run at all (so that getNumThreads() doesn't promise what can't be).
let numThreads = runtimeReason() === null ? Math.max(1, Math.min(MAX_THREADS, cores || 1)) : 1;
let timeoutMs = 30_000;
let stealing = true;

/** @internal (tests) Whether the calling thread runs worker chunks that no worker has started; default true. */
export function setStealing(on: boolean): void {
  stealing = on;
}

/**
 * Threads the WASM backend's threaded kernels use (main thread included); 1 = single-threaded.
 * Running pools stop. Node starts a new pool at the next large kernel; with Web Workers (browsers)
 * a new pool starts in the background for every backend that `initThreads` started, the kernels
 * run on the calling thread until it is ready, and `await initThreads()` waits for it.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new RangeError(`setNumThreads: expected an integer in [1, ${MAX_THREADS}], got ${n}`);
  if (n === numThreads) return;
  numThreads = n;
  for (const p of [...pools]) p.shutdown();
  for (const s of webStarts.values()) if (!s.error) startWebPool(s).catch(() => {}); // recorded in s.error
}

/**
 * The thread count set by setNumThreads; default: the machine's cores (os.availableParallelism /
 * navigator.hardwareConcurrency) where threads can run, else 1. `threadStatus()` says how many
 * the kernels use now.
 */
export function getNumThreads(): number {
  return numThreads;
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
// seq, fn, nargs, state (0 = assigned, 1 = taken by the worker, 2 = taken by the caller, 3 = idle),
// chunks this worker ran (counted by the worker: proof for tests that workers do run them)
const WORKER_WORDS = 5;
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

// The worker, as plain JS (no file to resolve: works from sources and dist, with no bundler).
// `serve(data, started)` instantiates the kernels, reports through `started(error | null)`,
// then runs chunks until its sequence word goes negative.
const serveSource = `
function serve(data, started) {
  const { module, memory, ctrl, index, names, argsOff, errOff, HEADER_WORDS, WORKER_WORDS, MAX_ARGS, ERR_BYTES } = data;
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
    return msg;
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
    const msg = fail(e);
    Atomics.add(i32, 3, 1);
    Atomics.add(i32, 0, 1);
    Atomics.notify(i32, 0);
    started(msg);
    return;
  }
  Atomics.add(i32, 0, 1);
  Atomics.notify(i32, 0);
  started(null);
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
    Atomics.add(i32, base + 4, 1);
    Atomics.sub(i32, 1, 1);
    Atomics.notify(i32, 1);
  }
}
`;
const nodeWorkerSource = `${serveSource}\nserve(require('node:worker_threads').workerData, () => {});\n`;
// A Web Worker gets its data in its first message and answers whether it started.
const webWorkerSource = `${serveSource}
self.onmessage = (e) => {
  self.onmessage = null;
  serve(e.data, (error) => self.postMessage({ error }));
};
`;

/**
 * The wasm binary with every active data segment made passive (same bytes, same segment count,
 * so a data count section stays valid): instantiating it writes nothing to memory. Workers use it
 * because the shared memory is initialised already, by the backend's own instance, and may be in use.
 * @internal exported for tests
 */
export function withoutActiveData(bytes: Uint8Array): Uint8Array {
  let p = 8;
  const u32 = (): number => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return r;
    }
  };
  const skipSigned = () => {
    while (bytes[p++]! & 0x80);
  };
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const concat = (xs: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  };
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++]!;
    const size = u32();
    const end = p + size;
    if (id !== 11) {
      parts.push(bytes.subarray(start, end));
      p = end;
      continue;
    }
    const count = u32();
    const segments: Uint8Array[] = [Uint8Array.from(leb(count))];
    for (let i = 0; i < count; i++) {
      const flag = u32();
      if (flag === 2) u32(); // memory index
      if (flag === 0 || flag === 2) {
        // the offset: one constant instruction, then `end`
        const op = bytes[p++]!;
        if (op === 0x41 || op === 0x42) skipSigned();
        else if (op === 0x23) u32();
        else throw new Error(`internal: withoutActiveData: unexpected offset instruction 0x${op.toString(16)}`);
        if (bytes[p++] !== 0x0b) throw new Error('internal: withoutActiveData: offset expression is not one constant');
      } else if (flag !== 1) throw new Error(`internal: withoutActiveData: unknown data segment kind ${flag}`);
      const len = u32();
      segments.push(Uint8Array.from([1, ...leb(len)]), bytes.subarray(p, p + len));
      p += len;
    }
    if (p !== end) throw new Error('internal: withoutActiveData: data section size mismatch');
    const body = concat(segments);
    parts.push(Uint8Array.from([11, ...leb(body.length)]), body);
  }
  return concat(parts);
}

let workerModuleCache: WebAssembly.Module | null = null;
/** The workers' module (passive data), compiled once: synchronously (Node)... */
function workerModuleSync(): WebAssembly.Module {
  return (workerModuleCache ??= new WebAssembly.Module(withoutActiveData(kernelBytes(true)) as BufferSource));
}
/** ...or asynchronously (browsers' main thread may refuse synchronous compiles). */
async function workerModuleAsync(): Promise<WebAssembly.Module> {
  if (!workerModuleCache) {
    const m = await WebAssembly.compile(withoutActiveData(kernelBytes(true)) as BufferSource);
    workerModuleCache ??= m;
  }
  return workerModuleCache;
}

let webWorkerUrl: string | null = null;

/** A started thread: terminate() stops it whatever it is doing. */
interface ThreadHandle {
  terminate(): void;
}

const pools = new Set<ThreadPool>();
const poolOf = new WeakMap<WasmHeap, ThreadPool>();

/** One pool per heap (memory): `size - 1` workers plus the calling thread. Start it with startSync (Node) or start (Web Workers). */
export class ThreadPool {
  readonly size: number;
  private readonly heap: WasmHeap;
  private readonly ctrl: { ptr: number; size: number };
  private readonly threads: ThreadHandle[] = [];
  private readonly fnIndex = new Map<string, number>();
  private readonly lay: ReturnType<typeof layoutOf>;
  private readonly names: string[];
  private seq = 0;
  private alive = true;
  /** Worker chunks the calling thread ran because no worker had started them. */
  stolen = 0;

  private constructor(heap: WasmHeap, size: number, exportNames: string[]) {
    if (!heap.shared) throw new WasmThreadError('WASM threads need a shared memory');
    this.heap = heap;
    this.size = size;
    this.names = exportNames;
    exportNames.forEach((n, i) => this.fnIndex.set(n, i));
    const nw = size - 1;
    this.lay = layoutOf(nw);
    this.ctrl = heap.alloc(this.lay.bytes);
    new Uint8Array(heap.memory.buffer, this.ctrl.ptr, this.lay.bytes).fill(0);
    const init = this.i32();
    for (let w = 0; w < nw; w++) init[HEADER_WORDS + WORKER_WORDS * w + 3] = 3;
  }

  /** What each worker needs: the module, the memory and where its words are. */
  private workerData(module: WebAssembly.Module, index: number) {
    return {
      module,
      memory: this.heap.memory,
      ctrl: this.ctrl.ptr,
      index,
      names: this.names,
      argsOff: this.lay.argsOff,
      errOff: this.lay.errOff,
      HEADER_WORDS,
      WORKER_WORDS,
      MAX_ARGS,
      ERR_BYTES,
    };
  }

  /** Node (worker_threads): starts the workers and waits, blocking, until they all run. */
  static startSync(heap: WasmHeap, size: number, exportNames: string[]): ThreadPool {
    if (!NodeWorkerImpl) throw new WasmThreadError('WASM threads: ThreadPool.startSync needs worker_threads (Node); with Web Workers use initThreads');
    const module = workerModuleSync();
    const pool = new ThreadPool(heap, size, exportNames);
    const nw = size - 1;
    for (let w = 0; w < nw; w++) {
      const worker = new NodeWorkerImpl(nodeWorkerSource, {
        eval: true,
        // not the parent's flags: e.g. --input-type=module would make this CommonJS code fail
        execArgv: [],
        workerData: pool.workerData(module, w),
      });
      worker.on('error', () => {}); // surfaced through the control block / timeouts
      worker.unref();
      pool.threads.push({ terminate: () => void worker.terminate().catch(() => {}) });
    }
    const i32 = pool.i32();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(i32, W_READY);
      if (ready >= nw) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        pool.shutdown();
        throw new WasmThreadError(`WASM threads: only ${ready} of ${nw} workers started within ${READY_TIMEOUT_MS} ms`);
      }
      Atomics.wait(i32, W_READY, ready, Math.min(left, 50));
    }
    if (Atomics.load(i32, W_DEAD) > 0) {
      const msg = pool.takeError();
      pool.shutdown();
      throw new WasmThreadError(`WASM threads: a worker failed to start: ${msg}`);
    }
    pools.add(pool);
    return pool;
  }

  /** Web Workers: starts them and resolves once they all run (they can't start while this thread blocks). */
  static async start(heap: WasmHeap, size: number, exportNames: string[]): Promise<ThreadPool> {
    if (!hasWebWorkers) throw new WasmThreadError('WASM threads: ThreadPool.start needs Web Workers');
    const module = await workerModuleAsync();
    const pool = new ThreadPool(heap, size, exportNames);
    webWorkerUrl ??= URL.createObjectURL(new Blob([webWorkerSource], { type: 'text/javascript' }));
    const url = webWorkerUrl;
    const started: Promise<void>[] = [];
    try {
      for (let w = 0; w < size - 1; w++) {
        const worker = new Worker(url, { type: 'module', name: `mlx-ts wasm thread ${w + 1}` });
        pool.threads.push(worker);
        started.push(
          new Promise<void>((resolve, reject) => {
            worker.onmessage = (e: MessageEvent<{ error: string | null }>) => {
              worker.onmessage = null;
              if (e.data.error === null) resolve();
              else reject(new WasmThreadError(`WASM threads: a worker failed to start: ${e.data.error}`));
            };
            worker.onerror = (e) => {
              // before it started: the start fails; later: the worker is gone, so is the pool
              reject(new WasmThreadError(`WASM threads: a worker failed: ${e.message || 'error event (blocked by a Content-Security-Policy?)'}`));
              pool.shutdown();
            };
          }),
        );
        // throws (DataCloneError) where the memory can't be shared with workers
        worker.postMessage(pool.workerData(module, w));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WasmThreadError(`WASM threads: the workers did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([Promise.all(started), timeout]);
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      pool.shutdown();
      throw e instanceof WasmThreadError ? e : new WasmThreadError(`WASM threads: could not start the Web Workers: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (pool.alive) pools.add(pool);
    return pool;
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

  /** Chunks the workers have run, as they count them. */
  workerRuns(): number {
    const i32 = this.i32();
    let n = 0;
    for (let w = 0; w < this.size - 1; w++) n += Atomics.load(i32, HEADER_WORDS + WORKER_WORDS * w + 4);
    return n;
  }

  /**
   * @internal (tests) Stops worker `w` as a crash would, leaving the pool believing it runs: it
   * leaves its loop at its next wake-up (terminate() alone may wait for a blocked worker).
   */
  killWorker(w: number): void {
    const i32 = this.i32();
    const base = HEADER_WORDS + WORKER_WORDS * w;
    Atomics.store(i32, base, -1);
    Atomics.notify(i32, base);
    this.threads[w]?.terminate();
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
    // Chunks that no worker has started yet (asleep, descheduled on a busy machine, or dead) run here.
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
    for (let spins = 0; ; spins++) {
      const left = Atomics.load(i32, W_PENDING);
      if (left <= 0) break;
      // a spinning thread reads the clock every 1024 loads only
      if (canBlock || (spins & 1023) === 0) {
        const wait = deadline - Date.now();
        if (wait <= 0) {
          this.shutdown();
          throw new WasmThreadError(`WASM threads: ${left} of ${nw} worker chunk(s) of ${name} did not finish within ${limit} ms; the pool was shut down (a new one is started)`);
        }
        if (canBlock) Atomics.wait(i32, W_PENDING, left, Math.min(wait, 1000));
      }
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
    for (const t of this.threads) t.terminate();
    // The control block stays allocated: a hung worker might still write into it.
  }
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
      const want = numThreads;
      const current = poolOf.get(s.heap);
      if (current?.running && current.size === want) return;
      current?.shutdown();
      if (want <= 1) return;
      const p = await ThreadPool.start(s.heap, want, s.names);
      // setNumThreads may have changed the count meanwhile
      if (p.running && want === numThreads) {
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
  if (numThreads <= 1 || !heap.shared || runtimeReason() !== null) return 1;
  if (host === 'worker_threads') return numThreads;
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
  if (host !== 'worker_threads') return p?.running ? p : null;
  if (p && (!p.running || p.size !== numThreads)) {
    p.shutdown();
    p = undefined;
  }
  if (!p) {
    p = ThreadPool.startSync(ctx.heap, numThreads, exportNames(ctx.k));
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

// ---- the public start / status ----

/** What `threadStatus()` reports. */
export interface ThreadStatus {
  /** Threads the WASM backend's threaded kernels use now, the calling thread included (1 = single-threaded). */
  threads: number;
  /** What was asked for: getNumThreads(). */
  requested: number;
  /** What starts the workers in this runtime. */
  workers: 'worker_threads' | 'web-workers' | null;
  /** Why `threads` is below `requested`; null when it isn't. */
  reason: string | null;
}

type ThreadedBackend = Pick<WasmBackend, 'init' | 'startError' | 'heap' | 'kernels' | 'name'>;

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
  await b.init();
  const heap = b.heap;
  if (numThreads > 1 && heap.shared && runtimeReason() === null) {
    if (host === 'worker_threads') poolFor({ heap, k: b.kernels } as WasmContext);
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
  const requested = numThreads;
  const status = (threads: number, reason: string | null): ThreadStatus => ({ threads, requested, workers: host, reason: threads < requested ? reason : null });
  const why = runtimeReason();
  if (requested <= 1 || why) return status(1, why);
  if (host === 'worker_threads') {
    const err = b.startError();
    if (err) return status(1, `the '${b.name}' backend could not start: ${err}`);
    return b.heap.shared ? status(numThreads, null) : status(1, `the '${b.name}' backend's memory is not shared (it was made with shared: false)`);
  }
  // Web Workers: pools are keyed by heap, and this backend has one only if initThreads ran for it
  const s = [...webStarts.values()].find((x) => x.heap.owner === b);
  const p = s && poolOf.get(s.heap);
  if (p?.running) return status(p.size, null);
  if (!s) return status(1, 'the Web Workers are not started: await mx.initThreads()');
  if (s.error) return status(1, `the Web Workers failed to start (${s.error}); await mx.initThreads() to try again`);
  return status(1, 'the Web Workers are starting (after setNumThreads or a shutdown): await mx.initThreads() to wait for them');
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
