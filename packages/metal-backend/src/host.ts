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
}

export interface HostOptions {
  /** file: URL of the `webgpu` package's entry (Dawn for Node); found by resolution when absent. */
  webgpuUrl?: string;
  /** Dawn flags for `create()`, e.g. ['backend=vulkan']. */
  flags?: string[];
  /** Passed to requestAdapter (powerPreference...). */
  adapterOptions?: Record<string, unknown>;
  /** Longest wait for the adapter at start, in ms (default 60 s: lavapipe starts slowly under load). */
  startTimeoutMs?: number;
}

type NodeWorker = {
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
  on(ev: 'message', f: (m: any) => void): void;
  on(ev: 'error', f: (e: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
};

type Proc = { getBuiltinModule?: (id: string) => any };
const proc = (globalThis as { process?: Proc }).process;

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
const READ_TIMEOUT_MS = 10 * 60_000;

export class GpuHost {
  readonly adapter: AdapterDescription;
  private readonly worker: NodeWorker;
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

  constructor(opts: HostOptions = {}) {
    const { Worker } = nodeModule('node:worker_threads');
    const webgpuUrl = opts.webgpuUrl ?? resolveWebgpu();
    this.worker = new Worker(executorSource, {
      eval: true,
      workerData: { webgpuUrl, flags: opts.flags ?? [], adapterOptions: opts.adapterOptions ?? null },
    }) as NodeWorker;
    this.worker.on('message', (m: { token: number; bytes?: Uint8Array; error?: string; done?: number }) => {
      if (m.done !== undefined) {
        if (m.done === this.seq) {
          this.busy = false;
          if (this.pending.size === 0) this.worker.unref();
        }
        return;
      }
      const p = this.pending.get(m.token);
      if (!p) return;
      this.pending.delete(m.token);
      if (this.pending.size === 0 && !this.busy) this.worker.unref();
      if (m.error !== undefined) p.reject(new Error(`[webgpu] ${m.error}`));
      else p.resolve(m.bytes!);
    });
    this.worker.on('error', (e: Error) => {
      this.dead = `the GPU executor thread failed: ${e.message}`;
      for (const p of this.pending.values()) p.reject(new Error(`[webgpu] ${this.dead}`));
      this.pending.clear();
    });
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    const data = new Uint8Array(new SharedArrayBuffer(1 << 16));
    this.worker.postMessage({ init: true, ctrl: ctrl.buffer, data: data.buffer });
    let text: string;
    try {
      text = this.wait(ctrl, data, opts.startTimeoutMs ?? 60_000, 'starting WebGPU');
    } catch (e) {
      void this.worker.terminate(); // no device: nothing of Dawn's is in flight
      throw e;
    }
    this.adapter = JSON.parse(text) as AdapterDescription;
    // The thread must not keep the process alive; reads in flight ref it again.
    this.worker.unref();
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
    if (Atomics.load(ctrl, 0) === 2) throw new Error(`[webgpu] ${decoder.decode(data.slice(0, n))}`);
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
    this.worker.ref();
    this.worker.postMessage({ cmds, seq: ++this.seq }, transfers);
  }

  createBuffer(size: number): number {
    const id = this.nextBuffer++;
    this.push(['c', id, size]);
    return id;
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

  dispatch(shader: number, buffers: number[], meta: Uint32Array, groupsX: number, groupsY: number): void {
    this.push(['k', shader, buffers, meta, groupsX, groupsY], meta.buffer as ArrayBuffer);
  }

  /** Bytes [offset, offset + length) of a buffer (both multiples of 4), waiting for them. */
  readSync(id: number, byteOffset: number, byteLength: number): Uint8Array {
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
    this.worker.ref();
    this.flush();
    return p;
  }
}
