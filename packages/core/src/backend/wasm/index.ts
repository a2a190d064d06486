// The WASM CPU backend: storage lives in one WebAssembly linear memory (heap.ts), and `run`
// uses a WASM kernel where one exists for the primitive, dtypes and layout, else the
// reference kernel, which works unchanged on the same memory through hostBytes. So the
// backend is complete for every primitive, and fast where the kernels are.
import { instantiateKernels, kernelBytes, kernelModule, type KernelExports } from '@mlx-ts/kernels-wasm';
import type { ArrayData, Backend, Storage } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import { kernels as referenceKernels } from '../reference/registry.js';
import '../reference/index.js';
import { binaryFns, unaryFns } from '../reference/elementwise.js';
import { WasmHeap, type HeapOptions, type HeapStats } from './heap.js';
import { wasmKernels, type WasmContext, type WasmStorage } from './registry.js';
import './elementwise.js';
import './convert.js';
import './reduce.js';
import './matmul.js';
import './select.js';
import './scan.js';

export { WasmHeap, sizeClass, type HeapOptions, type HeapStats } from './heap.js';
export { wasmKernels } from './registry.js';

export interface WasmBackendOptions extends HeapOptions {
  /** Registry name; 'wasm' by default. */
  name?: string;
}

/** Per primitive: how many runs went to a WASM kernel and how many fell back to the reference one. */
export type KernelStats = Record<string, { wasm: number; fallback: number }>;

interface Runtime {
  heap: WasmHeap;
  ctx: WasmContext;
}

export class WasmBackend implements Backend {
  readonly name: string;
  readonly kind = 'cpu' as const;
  readonly syncReadable = true;
  private readonly options: HeapOptions;
  private runtime: Runtime | null = null;
  private active = 0;
  private peak = 0;
  private readonly counts = new Map<string, { wasm: number; fallback: number }>();

  constructor(options: WasmBackendOptions = {}) {
    this.name = options.name ?? 'wasm';
    this.options = options;
  }

  /** The memory and kernels, made on first use so that registering the backend costs nothing. */
  private get rt(): Runtime {
    if (!this.runtime) this.runtime = this.start(null);
    return this.runtime;
  }

  /**
   * Compiles the kernels asynchronously. Optional in Node and workers (first use compiles
   * synchronously); browsers' main threads may refuse synchronous compiles, so await this there
   * before the first op.
   */
  async init(): Promise<void> {
    if (this.runtime) return;
    const shared = this.options.shared ?? typeof SharedArrayBuffer !== 'undefined';
    const module = await WebAssembly.compile(kernelBytes(shared) as BufferSource);
    if (!this.runtime) this.runtime = this.start(module);
  }

  private start(module: WebAssembly.Module | null): Runtime {
    const { memory, shared, maximumBytes } = WasmHeap.createMemory(this.options);
    const mod = module ?? kernelModule(shared);
    const k: KernelExports = instantiateKernels(memory, mod, { reference: referenceImports(mod) });
    const heap = new WasmHeap(k.heapBase(), memory, shared, maximumBytes);
    const codes = new Map<string, number | undefined>();
    const descPtr = k.descPtr();
    const ctx: WasmContext = {
      k,
      heap,
      maxDims: k.maxDims(),
      code(name) {
        if (!codes.has(name)) {
          const g = (k as unknown as Record<string, unknown>)[name];
          codes.set(name, g instanceof WebAssembly.Global ? (g.value as number) : undefined);
        }
        return codes.get(name);
      },
      desc: () => new Int32Array(memory.buffer, descPtr, 128),
    };
    return { heap, ctx };
  }

  /** The kernel module's exports (functions and op-code globals). */
  get kernels(): KernelExports {
    return this.rt.ctx.k;
  }

  /** Op names the kernels implement for a family prefix ('BINARY_', 'UNARY_', 'CONVERT_', 'REDUCE_'). */
  kernelOps(prefix: string): string[] {
    return Object.keys(this.kernels)
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length));
  }

  /** The heap (linear memory and its allocator). */
  get heap(): WasmHeap {
    return this.rt.heap;
  }

  allocate(byteLength: number): Storage {
    if (!Number.isSafeInteger(byteLength) || byteLength < 0) throw new RangeError(`allocate: invalid byte length ${byteLength}`);
    const { ptr, size } = this.rt.heap.alloc(byteLength);
    this.active += byteLength;
    this.peak = Math.max(this.peak, this.active);
    const s: WasmStorage = { backend: this, byteLength, refs: 0, released: false, ptr, blockSize: size, freed: false };
    return s;
  }

  release(storage: Storage): void {
    const s = this.own(storage, 'release');
    if (s.freed) throw new Error('internal: wasm storage released twice');
    s.freed = true;
    this.active -= s.byteLength;
    this.rt.heap.free(s.ptr, s.blockSize);
  }

  hostBytes(storage: Storage): Uint8Array {
    const s = this.own(storage, 'hostBytes');
    if (s.released || s.freed) throw new Error('internal: read of released storage');
    return this.rt.heap.bytes(s.ptr, s.byteLength);
  }

  async read(storage: Storage, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    return this.readSync(storage, byteOffset, byteLength);
  }

  readSync(storage: Storage, byteOffset: number, byteLength: number): Uint8Array {
    return this.hostBytes(storage).slice(byteOffset, byteOffset + byteLength);
  }

  write(storage: Storage, byteOffset: number, bytes: Uint8Array): void {
    const dst = this.hostBytes(storage);
    if (byteOffset < 0 || byteOffset + bytes.byteLength > dst.byteLength) {
      throw new RangeError(`write: ${bytes.byteLength} bytes at ${byteOffset} overflow a ${dst.byteLength}-byte storage`);
    }
    dst.set(bytes, byteOffset);
  }

  run(prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): void {
    const name = prim.name;
    let c = this.counts.get(name);
    if (!c) this.counts.set(name, (c = { wasm: 0, fallback: 0 }));
    const fast = wasmKernels.get(name);
    const ours = (d: ArrayData) => d.storage.backend === this;
    if (fast && inputs.every(ours) && outputs.every(ours) && fast(this.rt.ctx, prim, inputs, outputs)) {
      c.wasm++;
      return;
    }
    const k = referenceKernels.get(name);
    if (!k) throw new Error(`The ${this.name} backend has no kernel for primitive ${name}`);
    c.fallback++;
    k(prim, inputs, outputs);
  }

  synchronize(): void {}

  memory(): { active: number; peak: number } {
    return { active: this.active, peak: this.peak };
  }

  resetPeakMemory(): void {
    this.peak = this.active;
  }

  /** Allocator state: memory size, bytes in blocks, bytes waiting on free lists. */
  heapStats(): HeapStats {
    return this.rt.heap.stats();
  }

  /** Runs per primitive in WASM and on the reference fallback since the last reset. */
  kernelStats(): KernelStats {
    return Object.fromEntries([...this.counts].map(([k, v]) => [k, { ...v }]));
  }

  resetKernelStats(): void {
    this.counts.clear();
  }

  private own(storage: Storage, what: string): WasmStorage {
    if (storage.backend !== this) throw new Error(`internal: ${what} of a storage that belongs to backend '${storage.backend.name}'`);
    return storage as WasmStorage;
  }
}

/**
 * The reference's own double-precision functions (exp, log, pow, erf...) for the kernels'
 * "reference" imports: the WASM loops call them, so those ops match the reference by
 * construction instead of by a second implementation.
 */
function referenceImports(mod: WebAssembly.Module): Record<string, (...args: number[]) => number> {
  const out: Record<string, (...args: number[]) => number> = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.module !== 'reference') continue;
    const f = unaryFns.get(imp.name)?.f ?? binaryFns.get(imp.name)?.f;
    if (!f) throw new Error(`internal: the WASM kernels import reference.${imp.name}, which the reference backend lacks`);
    out[imp.name] = f as unknown as (...args: number[]) => number;
  }
  return out;
}

/** Primitives that have a WASM adapter (which may still fall back for some dtypes or layouts). */
export function wasmPrimitives(): string[] {
  return [...wasmKernels.keys()];
}
