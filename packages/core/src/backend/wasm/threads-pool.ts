// The WASM backend's thread pool: workers that instantiate the same kernel module over the
// same shared WebAssembly.Memory, and a synchronous fork-join (`ThreadPool.run`).
//
// Dispatch: a control block in linear memory (allocated from the heap once per pool) holds,
// per worker, a sequence word, the index of the export to call and its f64 arguments. The
// calling thread writes a chunk per worker, bumps its sequence word and `Atomics.notify`s it,
// runs chunk 0 itself, then waits on the pending counter: `Atomics.wait` where the thread may
// block (Node, workers), else a spin on `Atomics.load` (a browser's main thread, which may not
// Atomics.wait; the compute call blocks it anyway). Workers run their chunk, decrement the
// counter and notify. A worker that throws (a trap, a kernel import that isn't available in
// workers) writes its message into the control block; `run` then throws `WasmThreadError`
// with it. A chunk that doesn't finish in time (see `setThreadTimeout`) throws too, and the
// pool is shut down (a new one is started): never a hang, whether the spin or the wait is
// bounded.
//
// Kernels run in workers must not use the module's static scratch (layout.ts DESC/COUNTERS,
// reduce.ts ACC...): each chunk gets its own descriptor / scratch in the heap.
import type { WasmHeap } from './heap.js';
import { canBlock, hasWebWorkers, nodeWorkerCtor } from './threads-runtime.js';
import { nodeWorkerSource, webWorkerSource, workerModuleAsync, workerModuleSync } from './threads-worker.js';

let timeoutMs = 30_000;
let spinUs = 1000;

/**
 * How long (microseconds) a worker polls for the next chunk after finishing one before it
 * blocks; 0 blocks at once. Default 1000. Ops run back to back (a model's forward pass) then
 * find the workers running on their own cores; blocking hands the choice of core back to the
 * OS at every op, which on a machine that was busy a moment earlier often wakes the worker on
 * the calling thread's core (measured: conv2d 1x56x56x64 on 2 threads 5.0 ms alone, 6.7 ms
 * when two other processes ran between calls, 1.7x the CPU migrations). Returns the previous value.
 */
export function setThreadSpin(us: number): number {
  if (!(us >= 0 && us <= 1e6)) throw new RangeError(`setThreadSpin: expected microseconds in [0, 1e6], got ${us}`);
  const old = spinUs;
  spinUs = Math.round(us);
  for (const p of pools) p.setSpin(spinUs);
  return old;
}
let stealing = true;

/** @internal (tests) Whether the calling thread runs worker chunks that no worker has started; default true. */
export function setStealing(on: boolean): void {
  stealing = on;
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
// queue mode (runQueue): the next chunk to claim, the chunk count, the export and its argument count
const Q_NEXT = 4;
const Q_LEN = 5;
const Q_FN = 6;
const Q_ARGC = 7;
// microseconds a worker keeps polling its sequence word after a chunk before it blocks (see setThreadSpin)
const W_SPIN_US = 8;
const HEADER_WORDS = 16;
// seq, fn, nargs, state (0 = assigned, 1 = taken by the worker, 2 = taken by the caller, 3 = idle),
// chunks this worker ran (counted by the worker: proof for tests that workers do run them)
const WORKER_WORDS = 5;
const MAX_ARGS = 16;
/** Most chunks runQueue takes in one call. */
export const QUEUE_MAX = 64;
const ERR_BYTES = 1024;
/** How long pool creation waits for its workers to instantiate the kernels. */
const READY_TIMEOUT_MS = 10_000;

const layoutOf = (workers: number) => {
  const argsOff = (HEADER_WORDS + WORKER_WORDS * workers) * 4;
  const argsAligned = Math.ceil(argsOff / 16) * 16;
  const queueOff = argsAligned + workers * MAX_ARGS * 8;
  const errOff = queueOff + QUEUE_MAX * MAX_ARGS * 8;
  return { argsOff: argsAligned, queueOff, errOff, bytes: errOff + ERR_BYTES };
};

let webWorkerUrl: string | null = null;

/** A started thread: terminate() stops it whatever it is doing. */
interface ThreadHandle {
  terminate(): void;
}

/** Pools alive. */
export const pools = new Set<ThreadPool>();
/** The pool of each heap (set by the dispatcher, threads.ts). */
export const poolOf = new WeakMap<WasmHeap, ThreadPool>();

/**
 * One pool per heap (memory) for `size` threads of compute: `size` workers where the calling
 * thread may block (see runQueue's hand-off), else `size - 1` workers plus the calling thread.
 * Start it with startSync (Node) or start (Web Workers).
 */
export class ThreadPool {
  readonly size: number;
  /** Workers started: `size` where the calling thread can block, else `size - 1`. */
  readonly workers: number;
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
    this.workers = canBlock ? size : size - 1;
    this.names = exportNames;
    exportNames.forEach((n, i) => this.fnIndex.set(n, i));
    const nw = this.workers;
    this.lay = layoutOf(nw);
    this.ctrl = heap.alloc(this.lay.bytes);
    new Uint8Array(heap.memory.buffer, this.ctrl.ptr, this.lay.bytes).fill(0);
    const init = this.i32();
    for (let w = 0; w < nw; w++) init[HEADER_WORDS + WORKER_WORDS * w + 3] = 3;
    init[W_SPIN_US] = spinUs;
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
      queueOff: this.lay.queueOff,
      errOff: this.lay.errOff,
      HEADER_WORDS,
      WORKER_WORDS,
      MAX_ARGS,
      ERR_BYTES,
      Q_NEXT,
      Q_LEN,
      Q_FN,
      Q_ARGC,
      W_SPIN_US,
    };
  }

  /** Node (worker_threads): starts the workers and waits, blocking, until they all run. */
  static startSync(heap: WasmHeap, size: number, exportNames: string[]): ThreadPool {
    const NodeWorkerImpl = nodeWorkerCtor();
    if (!NodeWorkerImpl) throw new WasmThreadError('WASM threads: ThreadPool.startSync needs worker_threads (Node); with Web Workers use initThreads');
    // the kernel set the backend runs (their packing layouts differ)
    const module = workerModuleSync(heap.kernelSet === 'fma');
    const pool = new ThreadPool(heap, size, exportNames);
    const nw = pool.workers;
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
    const module = await workerModuleAsync(heap.kernelSet === 'fma');
    const pool = new ThreadPool(heap, size, exportNames);
    webWorkerUrl ??= URL.createObjectURL(new Blob([webWorkerSource], { type: 'text/javascript' }));
    const url = webWorkerUrl;
    const started: Promise<void>[] = [];
    try {
      for (let w = 0; w < pool.workers; w++) {
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
    return new Int32Array(this.heap.memory.buffer, this.ctrl.ptr, HEADER_WORDS + WORKER_WORDS * this.workers);
  }

  private takeError(): string {
    const buf = this.heap.memory.buffer;
    const dv = new DataView(buf, this.ctrl.ptr + this.lay.errOff, ERR_BYTES);
    const n = dv.getInt32(0, true);
    const text = new TextDecoder().decode(new Uint8Array(buf, this.ctrl.ptr + this.lay.errOff + 4, n).slice());
    Atomics.store(this.i32(), W_ERROR, 0);
    return text;
  }

  /** @internal the workers' polling time (setThreadSpin) */
  setSpin(us: number): void {
    if (this.alive) Atomics.store(this.i32(), W_SPIN_US, us);
  }

  /** Chunks the workers have run, as they count them. */
  workerRuns(): number {
    const i32 = this.i32();
    let n = 0;
    for (let w = 0; w < this.workers; w++) n += Atomics.load(i32, HEADER_WORDS + WORKER_WORDS * w + 4);
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
    this.join(i32, nw, name, t0, mainError);
    return result;
  }

  /**
   * Runs export `name` once per argument list (at most QUEUE_MAX of them, more than the pool
   * has threads), each chunk claimed by whichever thread is free through an atomic counter:
   * a worker that starts late or loses its core does less of the work instead of holding up
   * the others. Chunks must write disjoint outputs (the result may not depend on which
   * thread ran a chunk); their return values are dropped.
   *
   * `handOff` (a long op; only where this thread can block): the `size` workers take every
   * chunk while this thread sleeps until they are done. A worker woken from sleep is often
   * placed by the OS on the core of the thread that woke it, even with the other core idle
   * (Linux on a 2-vCPU VM, checked with a perf sched trace: both threads of conv2d on one CPU
   * for the whole call, the other idle); then the two shared one core until the load balancer
   * moved one, milliseconds later. A sleeping caller leaves its core to whichever worker landed
   * there. The cost, a wake-up of this thread at the end, is small next to a long op.
   */
  runQueue(name: string, chunks: readonly (readonly number[])[], main: (...a: number[]) => number, handOff = false): void {
    if (!this.alive) throw new WasmThreadError('WASM threads: the pool was shut down');
    const fi = this.fnIndex.get(name);
    if (fi === undefined) throw new Error(`internal: kernel export ${name} is unknown to the thread pool`);
    const n = chunks.length;
    if (n > QUEUE_MAX) throw new Error(`internal: ${n} queued chunks (at most ${QUEUE_MAX})`);
    const argc = chunks[0]?.length ?? 0;
    for (const c of chunks) if (c.length !== argc || argc > MAX_ARGS) throw new Error(`internal: queued chunks need the same number of arguments, at most ${MAX_ARGS}`);
    const i32 = this.i32();
    const buf = this.heap.memory.buffer;
    chunks.forEach((c, i) => new Float64Array(buf, this.ctrl.ptr + this.lay.queueOff + i * MAX_ARGS * 8, argc).set(c));
    i32[Q_FN] = fi;
    i32[Q_ARGC] = argc;
    i32[Q_LEN] = n;
    Atomics.store(i32, Q_NEXT, 0);
    const away = handOff && canBlock;
    const nw = away ? Math.min(this.workers, n) : Math.min(this.size - 1, n - 1);
    Atomics.store(i32, W_PENDING, nw);
    this.seq = (this.seq + 1) & 0x3fffffff;
    if (this.seq === 0) this.seq = 1;
    for (let w = 0; w < nw; w++) {
      const base = HEADER_WORDS + WORKER_WORDS * w;
      i32[base + 1] = -1;
      Atomics.store(i32, base + 3, 0);
      Atomics.store(i32, base, this.seq);
      Atomics.notify(i32, base);
    }
    const t0 = Date.now();
    let mainError: unknown = null;
    // handed off: wait for the workers first; whatever they left (none unless one failed) runs here
    if (away) this.join(i32, nw, name, t0, null);
    for (;;) {
      const c = Atomics.add(i32, Q_NEXT, 1);
      if (c >= n) break;
      try {
        main(...chunks[c]!);
      } catch (e) {
        mainError = e;
        Atomics.store(i32, Q_NEXT, n);
        break;
      }
    }
    // the queue is empty: a worker that hasn't woken yet has nothing left to do
    for (let w = 0; w < nw; w++) {
      const base = HEADER_WORDS + WORKER_WORDS * w;
      if (Atomics.compareExchange(i32, base + 3, 0, 2) === 0) Atomics.sub(i32, W_PENDING, 1);
    }
    this.join(i32, nw, name, t0, mainError);
  }

  /** Waits for the workers' chunks (bounded: a hung worker shuts the pool down), then throws the first error. */
  private join(i32: Int32Array, nw: number, name: string, t0: number, mainError: unknown): void {
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
  }

  /** Stops the workers (they exit at their next wake-up; terminate() makes sure). */
  shutdown(): void {
    if (!this.alive) return;
    this.alive = false;
    pools.delete(this);
    if (poolOf.get(this.heap) === this) poolOf.delete(this.heap);
    const i32 = this.i32();
    for (let w = 0; w < this.workers; w++) {
      const base = HEADER_WORDS + WORKER_WORDS * w;
      Atomics.store(i32, base, -1);
      Atomics.notify(i32, base);
    }
    for (const t of this.threads) t.terminate();
    // The control block stays allocated: a hung worker might still write into it.
  }
}
