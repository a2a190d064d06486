// The WASM CPU backend: storage lives in one WebAssembly linear memory (heap.ts), and `run`
// uses a WASM kernel where one exists for the primitive, dtypes and layout, else the
// reference kernel, which works unchanged on the same memory through hostBytes. So the
// backend is complete for every primitive, and fast where the kernels are.
import { instantiateKernels, kernelBytes, kernelModule, relaxedSimd, type KernelExports } from '@mlx-ts/kernels-wasm';
import type { ArrayData, Backend, Storage } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import type { Dtype } from '../../dtype.js';
import { kernels as referenceKernels } from '../reference/registry.js';
import { runWidened, widens } from './widen.js';
import '../reference/index.js';
import { binaryFns, unaryFns } from '../reference/elementwise.js';
import { WasmHeap, heapOwning, type HeapOptions, type HeapStats, type KernelSet } from './heap.js';
import { wasmKernels, type WasmContext, type WasmStorage } from './registry.js';
import { OutOfMemoryError, formatBytes, outOfMemory, outOfMemoryAdvice } from '../../out-of-memory.js';
import './elementwise.js';
import './convert.js';
import './reduce.js';
import './matmul.js';
import './conv.js';
import './select.js';
import './scan.js';
import './indexing.js';
import './sort.js';
import './shape.js';
import './random.js';
import './compiled.js';
import { wasmFuses } from './fast.js';
import './fast-rows.js';
import './matmul-variants.js';
import './dequantize.js';
import './quantized.js';
import './fft.js';

export { WasmHeap, sizeClass, heapOwning, type HeapOptions, type HeapStats, type KernelSet } from './heap.js';
export { wasmKernels } from './registry.js';
// threads (threads.ts, owned by the threads task): thread count of the threaded kernels
export { setNumThreads, getNumThreads, setThreadTimeout, WasmThreadError } from './threads.js';

export interface WasmBackendOptions extends HeapOptions {
  /** Registry name; 'wasm' by default. */
  name?: string;
  /**
   * The kernel set: true for the FMA one (hot float32 loops with fused multiply-adds, relaxed
   * SIMD), false for the plain one. Default: FMA where the runtime validates relaxed SIMD
   * (Node 22+, current browsers), unless the environment variable MLX_TS_WASM_FMA is 0 (1
   * asks for FMA, an error where the runtime lacks it). Both sets keep the float32 matmul
   * bound stated in matmul.ts.
   */
  fma?: boolean;
}

/** The environment's MLX_TS_WASM_FMA (runtimes without `process` have none). */
function envFma(): boolean | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.MLX_TS_WASM_FMA;
  if (v === undefined || v === '') return undefined;
  if (v === '0' || v === '1') return v === '1';
  throw new Error(`MLX_TS_WASM_FMA: expected 0 (the plain kernel set) or 1 (the FMA set), got '${v}'`);
}

/** Per primitive: how many runs went to a WASM kernel and how many fell back to the reference one. */
export type KernelStats = Record<string, { wasm: number; fallback: number }>;

interface Runtime {
  heap: WasmHeap;
  ctx: WasmContext;
}

/**
 * Storage over bytes of the linear memory that this backend did not allocate for it (adopt):
 * inside a live storage (`parent`, which it keeps alive with one reference), or in a block
 * someone else got from the heap (C modules' data; its lifetime is the adopter's `onRelease`).
 */
interface AdoptedStorage extends WasmStorage {
  readonly parent: WasmStorage | null;
  readonly onRelease?: () => void;
}

const isAdopted = (s: WasmStorage): s is AdoptedStorage => 'parent' in s;

export class WasmBackend implements Backend {
  readonly name: string;
  readonly kind = 'cpu' as const;
  readonly syncReadable = true;
  private readonly options: WasmBackendOptions;
  private runtime: Runtime | null = null;
  private active = 0;
  private peak = 0;
  private readonly counts = new Map<string, { wasm: number; fallback: number }>();
  /**
   * Live storages with a block, by address (to find the one adopted bytes belong to); a
   * released block's entry is set to undefined, not deleted. The heap hands the same
   * addresses out again and again (its free lists are LIFO), and V8 keeps a deleted Map entry
   * in its bucket's chain until the table is rebuilt: a delete and set of one key per op made
   * each op walk a chain as long as the map (44 us an op with 18,000 arrays alive, Node 20).
   * Kept entries cost what the heap's free lists cost: one per block ever carved.
   */
  private readonly live = new Map<number, WasmStorage | undefined>();

  constructor(options: WasmBackendOptions = {}) {
    this.name = options.name ?? 'wasm';
    this.options = options;
  }

  /**
   * The kernel set this backend runs ('fma': relaxed SIMD's fused multiply-add in the float32
   * matmul, matrix-vector and convolution loops; 'plain': separate multiply and add). Starts
   * the backend if it hasn't started.
   */
  get kernelSet(): KernelSet {
    return this.rt.heap.kernelSet;
  }

  /** Whether to load the FMA set: the option, else MLX_TS_WASM_FMA, else whether the runtime has relaxed SIMD. */
  private wantsFma(): boolean {
    const asked = this.options.fma ?? envFma();
    if (asked && !relaxedSimd()) {
      throw new Error(
        `WasmBackend: the FMA kernel set ${this.options.fma !== undefined ? '(option fma: true)' : '(MLX_TS_WASM_FMA=1)'} needs relaxed SIMD ` +
          `(f32x4.relaxed_madd), which this runtime does not validate (Node 22+ and current browsers have it); use the plain set`,
      );
    }
    return asked ?? relaxedSimd();
  }

  /** The memory and kernels, made on first use so that registering the backend costs nothing. */
  private get rt(): Runtime {
    if (!this.runtime) this.runtime = this.start(null);
    return this.runtime;
  }

  /**
   * Starts the backend now (memory and a synchronous compile of the kernels) unless it runs
   * already; returns null when it runs, else why it can't (browsers' main threads may refuse
   * synchronous compiles; a 32-bit device may refuse to reserve a large shared memory). The
   * CPU default uses this to fall back to the reference backend (see device.ts).
   */
  startError(): string | null {
    try {
      void this.rt;
      return null;
    } catch (e) {
      return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }

  /**
   * Compiles the kernels asynchronously. Optional in Node and workers (first use compiles
   * synchronously); browsers' main threads may refuse synchronous compiles, so await this there
   * before the first op.
   */
  async init(): Promise<void> {
    if (this.runtime) return;
    const shared = this.options.shared ?? typeof SharedArrayBuffer !== 'undefined';
    const fma = this.wantsFma();
    const module = await WebAssembly.compile(kernelBytes(shared, fma) as BufferSource);
    if (!this.runtime) this.runtime = this.start(module, fma);
  }

  private start(module: WebAssembly.Module | null, fma = this.wantsFma()): Runtime {
    const { memory, shared, maximumBytes } = WasmHeap.createMemory(this.options);
    const mod = module ?? kernelModule(shared, fma);
    // "math": the JS Math functions that the reference's complex formulas call (elementwise-complex.ts)
    const k: KernelExports = instantiateKernels(memory, mod, { reference: referenceImports(mod), math: Math as unknown as WebAssembly.ModuleImports });
    const heap = new WasmHeap(k.heapBase(), memory, shared, maximumBytes);
    heap.owner = this;
    heap.ownerName = this.name;
    heap.kernelSet = fma ? 'fma' : 'plain';
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
    if (!Number.isInteger(byteLength) || byteLength < 0) throw new RangeError(`allocate: invalid byte length ${byteLength}`);
    const heap = this.rt.heap;
    if (byteLength > heap.maximumBytes) {
      throw outOfMemory(this.name, byteLength, `more than the WASM memory can ever hold (${heap.maximumBytes} bytes, ${formatBytes(heap.maximumBytes)}).`);
    }
    let block: { ptr: number; size: number };
    try {
      block = heap.alloc(byteLength);
    } catch (e) {
      // the heap is full (its message says how much is in use), or the engine refused to grow it
      if (!(e instanceof RangeError) || e instanceof OutOfMemoryError) throw e;
      throw outOfMemory(this.name, byteLength, `${e.message}. ${outOfMemoryAdvice}`, e);
    }
    const { ptr, size } = block;
    this.active += byteLength;
    this.peak = Math.max(this.peak, this.active);
    const s: WasmStorage = { backend: this, byteLength, refs: 0, released: false, ptr, blockSize: size, freed: false };
    if (size > 0) {
      // A block that an exported view or capsule pins is never freed, so never handed out again.
      if (this.live.get(ptr)) throw new Error(`internal: the heap handed out block ${ptr}, which a live storage holds`);
      this.live.set(ptr, s);
    }
    return s;
  }

  /**
   * Storage over `bytes` when they are this backend's own linear memory (a view it handed out,
   * or any TypedArray over its memory): shared by address, no copy. Bytes inside one live
   * storage keep that storage alive; bytes in another block the heap handed out (C modules'
   * data) rely on `onRelease` for their lifetime, as DLPack's deleter promises. Any other
   * memory (a plain ArrayBuffer, another backend's memory) can't be placed in the linear
   * memory: null, and the caller copies (whyNotAdopted says why).
   */
  adopt(bytes: Uint8Array, onRelease?: () => void): Storage | null {
    const where = this.locate(bytes);
    if (typeof where === 'string') return null;
    const parent = where.parent;
    if (parent) parent.refs++;
    else {
      this.active += bytes.byteLength;
      this.peak = Math.max(this.peak, this.active);
    }
    const s: AdoptedStorage = {
      backend: this, byteLength: bytes.byteLength, refs: 0, released: false, ptr: bytes.byteOffset, blockSize: 0, freed: false, parent, onRelease,
    };
    return s;
  }

  whyNotAdopted(bytes: Uint8Array): string {
    const where = this.locate(bytes);
    return typeof where === 'string' ? where : 'internal: these bytes can be adopted';
  }

  /** Where adopted bytes are: in a live storage, in another held block, or why they can't be adopted. */
  private locate(bytes: Uint8Array): { parent: WasmStorage | null } | string {
    const heap = this.runtime?.heap;
    if (!heap || !heap.owns(bytes.buffer)) {
      const other = heapOwning(bytes.buffer);
      return (
        `the '${this.name}' backend keeps arrays in its own WebAssembly memory and can't adopt external memory ` +
        `(${other ? `this is the '${other.ownerName}' backend's WebAssembly memory` : `a ${bytes.buffer.constructor?.name ?? 'buffer'} outside it`}); ` +
        `use mx.setCpuBackend('reference') to share it, or let it be copied`
      );
    }
    const start = bytes.byteOffset;
    const end = start + bytes.byteLength;
    let parent = this.live.get(start);
    if (!parent || end > parent.ptr + parent.byteLength) {
      parent = undefined;
      for (const s of this.live.values()) {
        if (!s) continue;
        if (start >= s.ptr && end <= s.ptr + s.byteLength) {
          parent = s;
          break;
        }
        if (start < s.ptr + s.byteLength && s.ptr < end) {
          return `bytes ${start}..${end} of the '${this.name}' backend's WebAssembly memory straddle the end of an array's block (${s.ptr}..${s.ptr + s.byteLength})`;
        }
      }
    }
    if (parent) return { parent };
    if (heap.isHeld(start, end)) return { parent: null };
    return `bytes ${start}..${end} of the '${this.name}' backend's WebAssembly memory are not in a block in use (freed, or never handed out by its heap)`;
  }

  /** Views of this memory can't be handed out when it is plain: growth detaches its ArrayBuffer. */
  whyNoHostViews(): string | null {
    if (this.rt.heap.shared) return null;
    return (
      `the '${this.name}' backend's WebAssembly memory is not shared (this runtime has no SharedArrayBuffer, or the backend was made ` +
      `with shared: false), and a plain memory's ArrayBuffer is detached whenever the memory grows, so a view would silently go empty`
    );
  }

  release(storage: Storage): void {
    const s = this.own(storage, 'release');
    if (s.freed) throw new Error('internal: wasm storage released twice');
    s.freed = true;
    if (isAdopted(s)) {
      const parent = s.parent;
      if (!parent) this.active -= s.byteLength;
      s.onRelease?.();
      if (parent && --parent.refs <= 0 && !parent.released) {
        parent.released = true;
        this.release(parent);
      }
      return;
    }
    this.active -= s.byteLength;
    if (s.blockSize > 0) this.live.set(s.ptr, undefined);
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
    if (fast && inputs.every(ours) && outputs.every(ours)) {
      const ctx = this.rt.ctx;
      if (fast(ctx, prim, inputs, outputs) || (widens(name, inputs, outputs) && runWidened(ctx, this, fast, prim, inputs, outputs))) {
        c.wasm++;
        return;
      }
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
    this.peak = 0;
  }

  /** Allocator state: memory size, bytes in blocks, bytes waiting on free lists. */
  heapStats(): HeapStats {
    return this.rt.heap.stats();
  }

  /** Runs per primitive in WASM and on the reference fallback since the last reset. */
  /** mx.fast primitives with a WASM kernel here (or a reference one that beats the ops); others run their compositions. */
  fuses(primitive: string, dtype: Dtype): boolean {
    return wasmFuses(primitive, dtype);
  }

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
    // Hypot: Math.hypot, which the reference's complex logcumsumexp calls (no primitive of its own)
    const f = unaryFns.get(imp.name)?.f ?? binaryFns.get(imp.name)?.f ?? (imp.name === 'Hypot' ? Math.hypot : undefined);
    if (!f) throw new Error(`internal: the WASM kernels import reference.${imp.name}, which the reference backend lacks`);
    out[imp.name] = f as unknown as (...args: number[]) => number;
  }
  return out;
}

/** Primitives that have a WASM adapter (which may still fall back for some dtypes or layouts). */
export function wasmPrimitives(): string[] {
  return [...wasmKernels.keys()];
}
