// The main thread's side of the executor (executor-source.ts): it numbers buffers and shaders,
// queues commands, posts them once per flush (not per op), and waits on Atomics for reads.
import { executorSource } from './executor-source.js';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  maxStorageBuffersPerShaderStage: number;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSize: [number, number, number];
  maxComputeWorkgroupsPerDimension: number;
  /** The adapter's subgroup sizes (GPUAdapterInfo), 0 where it doesn't say. */
  subgroupMinSize: number;
  subgroupMaxSize: number;
}

export interface HostOptions {
  /** file: URL of the `webgpu` package's entry (Dawn for Node); found by resolution when absent. */
  webgpuUrl?: string;
  /** Dawn flags for `create()`, e.g. ['backend=vulkan']. */
  flags?: string[];
  /** Passed to requestAdapter (powerPreference...). */
  adapterOptions?: Record<string, unknown>;
  /**
   * @internal false makes this thread behave as a browser's main thread (no blocking reads),
   * so that Node can test that path.
   */
  blocking?: boolean;
  /** Longest wait for the adapter at start, in ms (default 60 s: lavapipe starts slowly under load). */
  startTimeoutMs?: number;
  /** Adapter features to leave unused: `{ f16: false }` keeps float16 emulated where the adapter has shader-f16; `{ subgroups: false }` keeps kernels off subgroup operations. */
  features?: { f16?: boolean; subgroups?: boolean };
}

/** The executor's thread: a worker_threads Worker (Node, Bun) or a module Web Worker (Deno, browsers). */
interface Port {
  post(msg: unknown, transfer?: ArrayBuffer[]): void;
  ref(): void;
  unref(): void;
  terminate(): void;
}

type Proc = { getBuiltinModule?: (id: string) => any; versions?: { node?: string } };
const proc = (globalThis as { process?: Proc }).process;
const G = globalThis as unknown as Record<string, any>;

/**
 * Where the executor runs: Node and Bun drive Dawn (the webgpu package) from a worker_threads
 * thread, Deno its own navigator.gpu from one (its worker_threads can be unref'd, so a script
 * still exits; its Web Workers can't), browsers navigator.gpu from a Web Worker.
 */
export function platform(): 'node' | 'deno' | 'web' {
  if (G.Deno) return 'deno';
  return proc?.versions?.node ? 'node' : 'web';
}

/**
 * Whether this thread may block in Atomics.wait (Node, Deno, Bun, Web Workers) and share
 * memory with the executor: then item()/tolist() read GPU results synchronously. A browser's
 * main thread may not (Atomics.wait throws there), nor may a page without cross-origin
 * isolation (no SharedArrayBuffer).
 */
export function threadCanBlock(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    // a value that doesn't match returns at once where waiting is allowed, throws where not
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function nodeModule(id: string): any {
  const m = proc?.getBuiltinModule?.(id);
  if (!m) throw new Error(`[webgpu] ${id} is not available: the GPU executor needs Node >= 20.16 (process.getBuiltinModule), Deno or Bun`);
  return m;
}

/** Where Node finds the `webgpu` package (an optional peer dependency), or a clear error. */
export function resolveWebgpu(): string {
  const { createRequire } = nodeModule('node:module');
  const { pathToFileURL } = nodeModule('node:url');
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    throw new Error(
      "[webgpu] the 'webgpu' package (Dawn for Node, version 0.6.2) is not installed: npm install webgpu@0.6.2 to use mx.gpu in Node or Bun",
    );
  }
}

const decoder = new TextDecoder();

/** How the executor's messages about a lost device begin. */
const LOST = 'the GPU device was lost';

/** What a synchronous read on a thread that can't block says. */
export const SYNC_READ_HELP =
  "[webgpu] GPU arrays can't be read synchronously on this thread (a browser's main thread can't block on Atomics.wait): await mx.asyncEval(x) first, then item()/tolist()/toTypedArray() read the bytes it fetched (or run mx in a Web Worker of a cross-origin isolated page, where reads block)";
const READ_TIMEOUT_MS = 10 * 60_000;

type HostMessage = {
  token?: number;
  bytes?: Uint8Array;
  error?: string;
  done?: number;
  lost?: string;
  init?: boolean;
  text?: string;
};

export class GpuHost {
  adapter!: AdapterDescription;
  /** Whether reads may block this thread (see threadCanBlock); else only async reads work. */
  readonly canBlock: boolean;
  private readonly port: Port;
  private cmds: unknown[] = [];
  private transfers: ArrayBuffer[] = [];
  private nextBuffer = 1;
  private nextShader = 1;
  private readonly shaders = new Map<string, number>();
  private nextToken = 1;
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private flushScheduled = false;
  private dead: string | null = null;
  private seq = 0;
  private busy = false;
  private started: ((m: HostMessage) => void) | null = null;

  /**
   * Starts the executor and blocks until it has a device (where this thread may block), or,
   * with `startAsync`, returns at once and resolves `ready` when it has one (everywhere).
   */
  constructor(opts: HostOptions = {}, startAsync = false) {
    const kind = platform();
    this.canBlock = opts.blocking !== false && threadCanBlock();
    const cfg = {
      webgpuUrl: kind === 'node' ? (opts.webgpuUrl ?? resolveWebgpu()) : null,
      flags: opts.flags ?? [],
      adapterOptions: opts.adapterOptions ?? null,
    };
    const onMessage = (m: HostMessage) => this.onMessage(m);
    const onError = (e: Error) => this.fail(`the GPU executor thread failed: ${e.message}`);
    this.port = kind === 'web' ? webPort(onMessage, onError) : nodePort(onMessage, onError);
    if (startAsync) {
      this.ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error(`[webgpu] starting WebGPU timed out after ${(opts.startTimeoutMs ?? 60_000) / 1000} s`)), opts.startTimeoutMs ?? 60_000);
        const fail = (e: Error) => {
          clearTimeout(timer);
          this.started = null;
          this.port.terminate();
          reject(e);
        };
        this.started = (m) => {
          clearTimeout(timer);
          this.started = null;
          if (m.error !== undefined) return fail(new Error(`[webgpu] ${m.error}`));
          this.adapter = JSON.parse(m.text!) as AdapterDescription;
          this.port.unref();
          resolve();
        };
      });
      this.port.post({ init: true, cfg });
      return;
    }
    if (!this.canBlock) {
      this.port.terminate();
      throw new Error('[webgpu] this thread cannot block (a browser main thread, or no SharedArrayBuffer): start the GPU with await registerWebGPUAsync()');
    }
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    const data = new Uint8Array(new SharedArrayBuffer(1 << 16));
    this.port.post({ init: true, cfg, ctrl: ctrl.buffer, data: data.buffer });
    let text: string;
    try {
      text = this.wait(ctrl, data, opts.startTimeoutMs ?? 60_000, 'starting WebGPU');
    } catch (e) {
      this.port.terminate(); // no device: nothing of Dawn's is in flight
      throw e;
    }
    this.adapter = JSON.parse(text) as AdapterDescription;
    // The thread must not keep the process alive; reads in flight ref it again.
    this.port.unref();
    this.ready = Promise.resolve();
  }

  /** Resolves once the executor has a device (at once for a host started synchronously). */
  readonly ready: Promise<void>;

  private onMessage(m: HostMessage): void {
    if (m.init) {
      this.started?.(m);
      return;
    }
    if (m.lost !== undefined) {
      this.fail(m.lost);
      return;
    }
    if (m.done !== undefined) {
      if (m.done === this.seq) {
        this.busy = false;
        if (this.pending.size === 0) this.port.unref();
      }
      return;
    }
    const p = this.pending.get(m.token!);
    if (!p) return;
    this.pending.delete(m.token!);
    if (this.pending.size === 0 && !this.busy) this.port.unref();
    if (m.error !== undefined) p.reject(new Error(`[webgpu] ${m.error}`));
    else p.resolve(m.bytes!);
  }

  /** Every later use throws `why`; reads in flight reject with it. */
  private fail(why: string): void {
    this.dead ??= why;
    // an executor that dies while starting (a blocked Blob worker, say) fails the start now
    this.started?.({ init: true, error: why });
    for (const p of this.pending.values()) p.reject(new Error(`[webgpu] ${this.dead}`));
    this.pending.clear();
  }

  /** Why this host can't be used any more (a lost device, a failed executor), or null. */
  get lostReason(): string | null {
    return this.dead;
  }

  /** @internal test hook: destroys the GPU device, as a driver reset or an unplugged GPU would. */
  loseDevice(): void {
    this.flush();
    this.port.post({ loseDevice: true });
  }

  /** Blocks until the executor sets ctrl[0]; returns the UTF-8 message, or throws its error. */
  private wait(ctrl: Int32Array, data: Uint8Array, timeoutMs: number, what: string): string {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(ctrl, 0) === 0) {
      if (this.dead) throw new Error(`[webgpu] ${this.dead}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`[webgpu] ${what} timed out after ${timeoutMs / 1000} s`);
      Atomics.wait(ctrl, 0, 0, Math.min(left, 1000));
    }
    const n = Atomics.load(ctrl, 1);
    if (Atomics.load(ctrl, 0) === 2) {
      const msg = decoder.decode(data.slice(0, n));
      // known here before the executor's message can arrive (this thread was blocked)
      if (msg.startsWith(LOST)) this.dead ??= msg;
      throw new Error(`[webgpu] ${msg}`);
    }
    return decoder.decode(data.slice(0, n));
  }

  private push(cmd: unknown[], transfer?: ArrayBuffer): void {
    if (this.dead) throw new Error(`[webgpu] ${this.dead}`);
    this.cmds.push(cmd);
    if (transfer) this.transfers.push(transfer);
    // Big batches go at once; otherwise the batch goes when this task yields or a read needs it.
    if (this.cmds.length >= 512) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.cmds.length === 0) return;
    const cmds = this.cmds;
    const transfers = this.transfers;
    this.cmds = [];
    this.transfers = [];
    // the process stays up until the executor has finished this batch
    this.busy = true;
    this.port.ref();
    this.port.post({ cmds, seq: ++this.seq }, transfers);
  }

  createBuffer(size: number): number {
    const id = this.nextBuffer++;
    this.push(['c', id, size]);
    return id;
  }

  /**
   * A window [byteOffset, byteOffset + size) of buffer `id` (offset a multiple of 256, size of 4),
   * bound by dispatches under the id returned, for arrays larger than one storage binding;
   * `closeWindow` forgets it (the buffer stays).
   */
  openWindow(id: number, byteOffset: number, size: number): number {
    const w = this.nextBuffer++;
    this.push(['v', w, id, byteOffset, size]);
    return w;
  }

  closeWindow(w: number): void {
    if (this.dead) return;
    this.push(['x', w]);
  }

  destroyBuffer(id: number): void {
    if (this.dead) return;
    this.push(['d', id]);
  }

  /** Writes bytes (offset and length multiples of 4) into a buffer; the bytes are copied. */
  write(id: number, byteOffset: number, bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.push(['w', id, byteOffset, copy], copy.buffer);
  }

  /** Id of the pipeline for this WGSL source over `nBuffers` storage buffers (compiled once). */
  shader(wgsl: string, nBuffers: number): number {
    const key = `${nBuffers}\n${wgsl}`;
    let id = this.shaders.get(key);
    if (id === undefined) {
      id = this.nextShader++;
      this.shaders.set(key, id);
      this.push(['s', id, nBuffers, wgsl]);
    }
    return id;
  }

  dispatch(shader: number, buffers: number[], meta: Uint32Array, groupsX: number, groupsY: number, groupsZ = 1): void {
    this.push(['k', shader, buffers, meta, groupsX, groupsY, groupsZ], meta.buffer as ArrayBuffer);
  }

  /** Bytes [offset, offset + length) of a buffer (both multiples of 4), waiting for them. */
  readSync(id: number, byteOffset: number, byteLength: number): Uint8Array {
    if (!this.canBlock) throw new Error(SYNC_READ_HELP);
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    const data = new Uint8Array(new SharedArrayBuffer(Math.max(byteLength, 4096)));
    this.push(['r', id, byteOffset, byteLength, ctrl.buffer, data.buffer, 0]);
    this.flush();
    this.wait(ctrl, data, READ_TIMEOUT_MS, 'reading a GPU buffer');
    return data.slice(0, byteLength);
  }

  read(id: number, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    const token = this.nextToken++;
    const p = new Promise<Uint8Array>((resolve, reject) => this.pending.set(token, { resolve, reject }));
    this.push(['r', id, byteOffset, byteLength, null, null, token]);
    this.port.ref();
    this.flush();
    return p;
  }
}

function nodePort(onMessage: (m: HostMessage) => void, onError: (e: Error) => void): Port {
  const { Worker } = nodeModule('node:worker_threads');
  const w = new Worker(executorSource('node'), { eval: true });
  w.on('message', onMessage);
  w.on('error', onError);
  return {
    post: (m, t) => w.postMessage(m, t),
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: () => void w.terminate(),
  };
}

function webPort(onMessage: (m: HostMessage) => void, onError: (e: Error) => void): Port {
  const W = G.Worker as (new (url: string, o: { type: 'module' }) => any) | undefined;
  if (typeof W !== 'function') throw new Error('[webgpu] this runtime has no Worker: the GPU executor needs Web Workers (or Node/Bun worker_threads)');
  const url = URL.createObjectURL(new Blob([executorSource('web')], { type: 'text/javascript' }));
  const hint = "the page must allow module workers from blob: URLs (Content-Security-Policy worker-src 'self' blob:)";
  let w: any;
  try {
    w = new W(url, { type: 'module' });
  } catch (e) {
    URL.revokeObjectURL(url);
    throw new Error(`[webgpu] can't start the GPU executor's Web Worker: ${(e as Error).message}; ${hint}`);
  }
  w.onmessage = (e: { data: HostMessage }) => onMessage(e.data);
  w.onerror = (e: { message?: string; preventDefault?: () => void }) => {
    e.preventDefault?.();
    // a worker that never loaded reports an Event without a message
    onError(new Error(e.message ?? `its Web Worker did not load (${hint})`));
  };
  // a browser has no process to keep alive
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    ref: () => {},
    unref: () => {},
    terminate: () => {
      w.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
