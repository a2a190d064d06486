// The 'webgpu' backend: storage is a GPU buffer (a number the executor knows), kernels are
// generated WGSL, and every primitive without a GPU kernel is an error, never a silent trip
// to the CPU.
import type { ArrayData, Backend, Dtype, Primitive, Storage } from '@mlx-ts/core';
import { GpuHost, SYNC_READ_HELP, type AdapterDescription, type HostOptions } from './host.js';
import { gpuDtype, nativeHalves, usesHalves } from './wgsl.js';
import { probeNativeHalves, probeNativeHalvesAsync } from './f16.js';
import { runAsType, runBinary, runCompiled, runDivMod, runSelect, runUnary } from './elementwise.js';
import { binaryOps, unaryOps } from './ops.js';
import { runArgReduce, runReduce } from './reduce.js';
import { runMatmul } from './matmul.js';
import { runScan } from './scan.js';
import { INDEX_OPS, runGather, runGatherAxis } from './gather.js';
import { runSort } from './sort.js';
import { runMaskedScatter, runScatter, runScatterAxis } from './scatter.js';
import { runArange, runConcatenate, runNumberOfElements, runRandomBits } from './misc.js';
import { runConv } from './conv.js';
import { runBlockMaskedMM, runGatherMM, runSegmentedMM, statusMessage } from './matmul-variants.js';
import { runAffineQuantize, runDequantize, runFpQuantize, runFromFp8, runQQMatmul, runQuantizedMatmul, runToFp8 } from './quantized.js';
import { gpuFuses, runCrossEntropy, runGatedDelta, runNorm, runRope, runSdpa } from './fast.js';
import { cpuOnlyError } from './cpu-only.js';
import { runHadamard } from './hadamard.js';
import { runCustomKernel } from './custom-kernel.js';
import { runFFT } from './fft.js';

export interface GpuStorage extends Storage {
  readonly id: number;
  /** Bytes of the GPU buffer: byteLength rounded up to whole 32-bit words, then to whole pages past one page, or a cached buffer somewhat larger. */
  readonly size: number;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * Kernels with subgroup operations run workgroups of 64 and need every subgroup full: the
 * feature, and a largest subgroup size the adapter states and that fits (some GPUs have 128).
 */
const subgroupsFit = (a: AdapterDescription): boolean => a.features.includes('subgroups') && a.subgroupMaxSize > 0 && a.subgroupMaxSize <= 64 && 64 % a.subgroupMaxSize === 0;

/**
 * MLX's Metal allocator page (vm_page_size on Apple silicon): requests above it get whole pages,
 * so that sizes that differ by a little (a KV cache that grows a token a step) share buffers.
 */
export const PAGE_BYTES = 16384;

export class NoKernelError extends Error {
  override readonly name = 'NoKernelError';
}

function noKernel(prim: Primitive<any>, dtype: Dtype): never {
  throw new NoKernelError(`[webgpu] no GPU kernel for ${prim.name} (${dtype.name})`);
}

type Kernel = (be: WebGPUBackend, prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]) => boolean;
const kernels = new Map<string, Kernel>();
for (const name of Object.keys(unaryOps)) kernels.set(name, (be, p, [x], [o]) => runUnary(be, p.name, x!, o!));
for (const name of Object.keys(binaryOps)) kernels.set(name, (be, p, [a, b], [o]) => runBinary(be, p.name, a!, b!, o!));
kernels.set('AsType', (be, _p, [x], [o]) => (runAsType(be, x!, o!), true));
kernels.set('Select', (be, _p, [c, x, y], [o]) => (runSelect(be, c!, x!, y!, o!), true));
kernels.set('Reduce', (be, p, [x], [o]) => runReduce(be, p.params.type, p.params.axes, x!, o!));
kernels.set('ArgReduce', (be, p, [x], [o]) => runArgReduce(be, p.params.type, p.params.axis, x!, o!));
kernels.set('Matmul', (be, _p, [a, b], [o]) => runMatmul(be, a!, b!, o!));
kernels.set('AddMM', (be, p, [a, b, c], [o]) => runMatmul(be, a!, b!, o!, { c: c!, alpha: p.params.alpha, beta: p.params.beta }));
kernels.set('Scan', (be, p, [x], [o]) => runScan(be, p.params, x!, o!));
kernels.set('Gather', (be, p, inputs, [o]) => runGather(be, p.params.axes, inputs, o!));
kernels.set('GatherAxis', (be, p, [x, i], [o]) => runGatherAxis(be, p.params.axis, x!, i!, o!));
kernels.set('Sort', (be, p, [x], [o]) => runSort(be, p.params.axis, false, x!, o!));
kernels.set('ArgSort', (be, p, [x], [o]) => runSort(be, p.params.axis, true, x!, o!));
kernels.set('Partition', (be, p, [x], [o]) => runSort(be, p.params.axis, false, x!, o!));
kernels.set('ArgPartition', (be, p, [x], [o]) => runSort(be, p.params.axis, true, x!, o!));
kernels.set('RandomBits', (be, _p, [k], [o]) => runRandomBits(be, k!, o!));
kernels.set('Arange', (be, p, _i, [o]) => runArange(be, p.params.start, p.params.step, o!));
kernels.set('Concatenate', (be, p, inputs, [o]) => runConcatenate(be, p.params.axis, inputs, o!));
kernels.set('Compiled', (be, p, inputs, outputs) =>
  runCompiled(be, p.params, inputs, outputs, (name, d) => {
    throw new NoKernelError(`[webgpu] no GPU kernel for ${name} (${d.name}) in a compiled (fused) function`);
  }),
);
kernels.set('Scatter', (be, p, inputs, [o]) => runScatter(be, p.params.reduce, inputs, o!));
kernels.set('MaskedScatter', (be, _p, inputs, [o]) => runMaskedScatter(be, inputs, o!));
kernels.set('ScatterAxis', (be, p, inputs, [o]) => runScatterAxis(be, p.params.reduce, p.params.axis, inputs, o!));
kernels.set('NumberOfElements', (be, p, [x], [o]) => runNumberOfElements(be, p.params, x!, o!));
kernels.set('DivMod', (be, _p, [a, b], [q, r]) => runDivMod(be, a!, b!, q!, r!));
kernels.set('Convolution', (be, p, [x, w], [o]) => runConv(be, p.params, x!, w!, o!));
kernels.set('GatherMM', (be, _p, inputs, [o]) => runGatherMM(be, inputs, o!));
kernels.set('BlockMaskedMM', (be, p, inputs, [o]) => runBlockMaskedMM(be, p.params.blockSize, inputs, o!));
kernels.set('SegmentedMM', (be, _p, inputs, [o]) => runSegmentedMM(be, inputs, o!));
kernels.set('Dequantize', (be, p, inputs, [o]) => runDequantize(be, p.params, inputs, o!));
kernels.set('QuantizedMatmul', (be, p, inputs, [o]) => runQuantizedMatmul(be, p.params, inputs, o!, false));
kernels.set('GatherQMM', (be, p, inputs, [o]) => runQuantizedMatmul(be, p.params, inputs, o!, true));
kernels.set('AffineQuantize', (be, p, [w], outputs) => runAffineQuantize(be, p.params, w!, outputs));
kernels.set('FpQuantize', (be, p, inputs, outputs) => runFpQuantize(be, p.params, inputs, outputs));
kernels.set('QQMatmul', (be, p, inputs, [o]) => runQQMatmul(be, p.params, inputs, o!, false));
kernels.set('GatherQQMM', (be, p, inputs, [o]) => runQQMatmul(be, p.params, inputs, o!, true));
kernels.set('ToFP8', (be, _p, [x], [o]) => runToFp8(be, x!, o!));
kernels.set('FromFP8', (be, _p, [x], [o]) => runFromFp8(be, x!, o!));
kernels.set('RMSNorm', (be, p, [x, w], [o]) => runNorm(be, 'rms', p.params.eps, x!, w ?? null, null, o!));
kernels.set('LayerNorm', (be, p, [x, ...wb], [o]) =>
  runNorm(be, 'layer', p.params.eps, x!, p.params.hasWeight ? wb[0]! : null, p.params.hasBias ? wb[p.params.hasWeight ? 1 : 0]! : null, o!),
);
kernels.set('RoPE', (be, p, [x, off, f], [o]) => runRope(be, p.params, x!, off!, f ?? null, o!));
kernels.set('ScaledDotProductAttention', (be, p, inputs, [o]) => runSdpa(be, p.params, inputs, o!));
kernels.set('CrossEntropy', (be, _p, [x, y], [o]) => runCrossEntropy(be, x!, y!, o!));
kernels.set('GatedDeltaUpdate', (be, p, inputs, outputs) => runGatedDelta(be, p.params.hasMask, inputs, outputs));
kernels.set('Hadamard', (be, p, [x], [o]) => runHadamard(be, p.params.scale, x!, o!));
kernels.set('CustomKernel', (be, p, inputs, outputs) => runCustomKernel(be, p.params, inputs, outputs));
kernels.set('FFT', (be, p, [x], [o]) => runFFT(be, p.params, x!, o!));

/** The primitives that run in windows of buffers larger than one storage binding (runInWindows). */
const WINDOWED = new Set([...Object.keys(unaryOps), ...Object.keys(binaryOps), 'AsType', 'Select']);

/** The running primitive's outputs, and the windows its kernel's bind() opened over larger inputs. */
interface KernelScope {
  outputs: Set<Storage>;
  windows: Map<Storage, number[]>;
}

/**
 * The kernel's reads of arrays bound in windows (`bw<first>x<count>x<words>[i]`, from bind) as
 * calls of a function that picks window i / words (bindings first .. first + count - 1). A write
 * to such an array is an internal error: bind() gives windows to read-only inputs only.
 */
export function readThroughWindows(code: string): string {
  const name = /\bbw(\d+)x(\d+)x(\d+)\[/g;
  const found = [...code.matchAll(name)];
  if (found.length === 0) return code;
  // right to left, so that a read inside another's index is rewritten first
  for (const m of found.reverse()) {
    const open = m.index! + m[0].length - 1;
    let depth = 0;
    let close = open;
    for (; close < code.length; close++) {
      if (code[close] === '[') depth++;
      else if (code[close] === ']' && --depth === 0) break;
    }
    const after = code.slice(close + 1).trimStart();
    if (/^([-+*/%&|^]|<<|>>)?=(?!=)/.test(after)) throw new Error(`internal: a kernel writes ${m[0].slice(0, -1)}, an input bound in windows`);
    const fn = m[0].slice(0, -1) + '_';
    code = `${code.slice(0, m.index!)}${fn}(u32(${code.slice(open + 1, close)}))${code.slice(close + 1)}`;
  }
  const fns = [...new Set(found.map((m) => m[0].slice(0, -1)))].map((n) => {
    const [first, count, words] = n.slice(2).split('x').map(Number) as [number, number, number];
    const picks = Array.from({ length: count - 1 }, (_, w) => `  if (w == ${w}u) { return b${first + w}[l]; }`);
    return `fn ${n}_(u: u32) -> u32 {\n  let w = u / ${words}u;\n  let l = u - w * ${words}u;\n${picks.join('\n')}\n  return b${first + count - 1}[l];\n}`;
  });
  return `${fns.join('\n')}\n${code}`;
}

export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  readonly kind = 'gpu' as const;
  /** False on a thread that can't block (a browser's main thread): reads go through asyncEval. */
  readonly syncReadable: boolean;
  readonly host: GpuHost;
  /** Bytes fetched by prefetch (asyncEval) for threads that can't block, until the storage changes. */
  private readonly fetched = new WeakMap<Storage, Uint8Array>();
  /** Changes per storage (kernels and writes), so a prefetch that raced one is dropped. */
  private readonly changes = new WeakMap<Storage, number>();
  private changed(s: Storage): void {
    this.fetched.delete(s);
    this.changes.set(s, (this.changes.get(s) ?? 0) + 1);
  }
  private active = 0;
  private peak = 0;
  /** Set while a primitive's kernel runs (run). */
  private scope: KernelScope | null = null;

  /**
   * @internal 16 bytes where kernels record an error they can't throw (an index out of range):
   * [kind, value, axis, size]; checked before the next read when `statusDirty`.
   */
  readonly status: Storage;
  /** @internal */
  statusDirty = false;

  /** Starts WebGPU, blocking until there is a device (see `WebGPUBackend.create` for the async start). */
  constructor(opts: HostOptions = {}, host?: GpuHost) {
    this.host = host ?? new GpuHost(opts);
    this.syncReadable = this.host.canBlock;
    const id = this.host.createBuffer(16); // WebGPU buffers start zeroed
    this.status = { backend: this, byteLength: 16, refs: 1, released: false, id, size: 16 } as GpuStorage;
    this.f16Mode = opts.features?.f16 === false || !this.host.adapter.features.includes('shader-f16') ? 'emulated' : 'native';
    this.subgroups = opts.features?.subgroups !== false && subgroupsFit(this.host.adapter);
  }

  /**
   * Whether kernels use WGSL subgroup operations (the adapter's `subgroups` feature, with
   * subgroups of at most 64 invocations, unless `features: { subgroups: false }`): the skinny
   * matmul reduces its dot products across a subgroup by shuffles before one workgroup step.
   * Settable (to true only where the adapter allows it), for tests of both paths.
   */
  get subgroups(): boolean {
    return this.useSubgroups;
  }

  set subgroups(on: boolean) {
    if (on && !subgroupsFit(this.host.adapter)) throw new Error(`[webgpu] subgroups: this adapter has no subgroups of at most 64 invocations (feature: ${this.host.adapter.features.includes('subgroups')}, sizes ${this.host.adapter.subgroupMinSize}-${this.host.adapter.subgroupMaxSize})`);
    this.useSubgroups = on;
  }

  private useSubgroups = false;

  /**
   * Matmul, AddMM, GatherMM, QuantizedMatmul and GatherQMM past 8 rows, attention past 8
   * queries, and Convolution (an implicit GEMM in the same tiles): false (the default)
   * accumulates in float32
   * as MLX's Metal GEMM does, within (K + 2) 2^-24 sum|a b| of the exact dot product; true takes
   * float-float dot products that round as the reference backend's double ones (1 ulp at
   * near-ties), several times slower. Matrix-vector products (up to 8 rows), complex64,
   * BlockMaskedMM and SegmentedMM are float-float either way.
   */
  exactMatmul = false;

  // ---- float16: WGSL's f16 where the adapter has shader-f16 (and passes the probe), else emulated ----
  private f16Mode: 'native' | 'emulated';
  private f16Probe: string | null | undefined;

  /**
   * How float16 kernels convert: 'native' (WGSL's f16, on adapters with shader-f16 whose
   * conversions pass a probe run at the first float16 shader) or 'emulated' (integer code). Set
   * it to choose ('native' throws where the adapter lacks shader-f16; a failed probe still gives
   * 'emulated', and `f16ProbeFailure` says why).
   */
  get f16(): 'native' | 'emulated' {
    return this.f16Mode === 'native' && this.f16Probed() ? 'native' : 'emulated';
  }

  set f16(mode: 'native' | 'emulated') {
    if (mode !== 'native' && mode !== 'emulated') throw new TypeError(`[webgpu] f16: expected 'native' or 'emulated', got ${String(mode)}`);
    if (mode === 'native' && !this.host.adapter.features.includes('shader-f16')) {
      throw new Error("[webgpu] f16: 'native' needs the adapter feature shader-f16, which this adapter lacks");
    }
    this.f16Mode = mode;
  }

  /** Why the native float16 path was refused on this adapter (null: it wasn't; undefined: not probed yet). */
  get f16ProbeFailure(): string | null | undefined {
    return this.f16Probe;
  }

  private f16Probed(): boolean {
    if (this.f16Probe === undefined) this.f16Probe = this.host.canBlock ? probeNativeHalves(this) : 'not probed: this thread cannot block';
    return this.f16Probe === null;
  }

  /** Starts WebGPU without blocking (the only way on a browser's main thread). */
  static async create(opts: HostOptions = {}): Promise<WebGPUBackend> {
    const host = new GpuHost(opts, true);
    await host.ready;
    const be = new WebGPUBackend(opts, host);
    // where reads can't block, the float16 probe runs now (it would otherwise run at the first float16 shader)
    if (be.f16Mode === 'native' && !host.canBlock) be.f16Probe = await probeNativeHalvesAsync(be);
    return be;
  }

  /** Throws the error a kernel recorded since the last check (and clears it). */
  private checkStatus(words: Uint8Array | null): void {
    if (!words) return;
    const [kind, value, axis, size] = new Uint32Array(words.slice().buffer);
    if (!kind) return;
    this.host.write((this.status as GpuStorage).id, 0, new Uint8Array(16));
    const variant = statusMessage(kind, value!, axis!, size!);
    if (variant) throw new RangeError(variant);
    if (INDEX_OPS[kind! >> 2] === 'masked_scatter') throw new RangeError(`[masked_scatter] The mask selects more than the ${size} rows of values given.`);
    const v = (kind! & 3) === 1 ? value! | 0 : value!;
    throw new RangeError(`[${INDEX_OPS[kind! >> 2]}] index ${v} is out of bounds for axis ${axis} with size ${size}.`);
  }

  private statusSync(): void {
    if (!this.statusDirty) return;
    this.statusDirty = false;
    this.checkStatus(this.host.readSync((this.status as GpuStorage).id, 0, 16));
  }

  private async statusAsync(): Promise<void> {
    if (!this.statusDirty) return;
    this.statusDirty = false;
    this.checkStatus(await this.host.read((this.status as GpuStorage).id, 0, 16));
  }

  /** The adapter found (vendor, architecture, description, features, limits). */
  get adapter() {
    return this.host.adapter;
  }

  /**
   * MLX's device_info for the GPU. WebGPU tells the adapter's architecture, description and
   * largest buffer, not its memory: memory_size is the host's memory where the runtime gives
   * it (node:os, as on Apple's unified memory; 0 in browsers), and the recommended working set
   * is 3/4 of that, about what Metal's recommendedMaxWorkingSetSize gives on Apple silicon: the
   * bound setWiredLimit checks.
   */
  deviceInfo(): Record<string, string | number> {
    const a = this.host.adapter;
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const os = proc?.getBuiltinModule?.('node:os') as { totalmem?: () => number } | undefined;
    const memory = os?.totalmem?.() ?? 0;
    return {
      architecture: a.architecture || a.vendor || 'webgpu',
      device_name: a.description || a.device || 'webgpu',
      memory_size: memory,
      max_buffer_length: a.maxBufferSize,
      max_recommended_working_set_size: Math.floor(memory * 0.75),
    };
  }

  allocate(byteLength: number): Storage {
    if (!Number.isInteger(byteLength) || byteLength < 0) throw new RangeError(`[webgpu] allocate: invalid byte length ${byteLength}`);
    const words = Math.max(4, align4(byteLength));
    const { maxBufferSize, maxStorageBufferBindingSize } = this.host.adapter;
    if (words > maxBufferSize) {
      throw new RangeError(`[webgpu] can't allocate ${byteLength} bytes: the adapter's largest buffer is ${maxBufferSize} bytes`);
    }
    // MLX: whole pages above one page (not past a limit the exact size keeps)
    let size = words > PAGE_BYTES ? Math.ceil(words / PAGE_BYTES) * PAGE_BYTES : words;
    if (size > maxBufferSize || (size > maxStorageBufferBindingSize && words <= maxStorageBufferBindingSize)) size = words;
    const hit = this.fromCache(size, words <= maxStorageBufferBindingSize ? maxStorageBufferBindingSize : Infinity);
    if (hit) size = hit.size;
    const id = hit ? hit.id : this.host.createBuffer(size);
    // MLX counts a buffer's length
    this.active += size;
    if (this.active > this.peak) this.peak = this.active;
    const s: GpuStorage = { backend: this, byteLength, refs: 0, released: false, id, size };
    return s;
  }

  release(storage: Storage): void {
    const s = storage as GpuStorage;
    this.changed(storage);
    this.active -= s.size;
    // kept for reuse while the cache has room: the GPU queue runs every later write after
    // the work already queued on the buffer
    if (this.cached + s.size <= this.cacheLimit) {
      let ids = this.free.get(s.size);
      if (!ids) {
        this.free.set(s.size, (ids = []));
        this.sizes.splice(this.lowerBound(s.size), 0, s.size);
      }
      ids.push(s.id);
      this.cached += s.size;
    } else this.host.destroyBuffer(s.id);
  }

  // ---- MLX's allocator cache: released buffers by size ----
  private readonly free = new Map<number, number[]>();
  /** the sizes in `free`, ascending */
  private readonly sizes: number[] = [];
  private cached = 0;
  /** Bytes the cache may hold (mx.setCacheLimit); 1 GiB until set. */
  private cacheLimit = 2 ** 30;

  private lowerBound(size: number): number {
    let lo = 0;
    let hi = this.sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sizes[mid]! < size) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * MLX's BufferCache::reuse_from_cache: the smallest cached buffer of at least `size` bytes,
   * if it is under min(2 size, size + 2 pages) (and within `most`).
   */
  private fromCache(size: number, most: number): { id: number; size: number } | undefined {
    const at = this.lowerBound(size);
    const found = this.sizes[at];
    if (found === undefined || found >= Math.min(2 * size, size + 2 * PAGE_BYTES) || found > most) return undefined;
    const ids = this.free.get(found)!;
    const id = ids.pop()!;
    if (!ids.length) {
      this.free.delete(found);
      this.sizes.splice(at, 1);
    }
    this.cached -= found;
    return { id, size: found };
  }

  readonly cache = {
    memory: (): number => this.cached,
    clear: (): void => {
      for (const ids of this.free.values()) for (const id of ids) this.host.destroyBuffer(id);
      this.free.clear();
      this.sizes.length = 0;
      this.cached = 0;
    },
    setLimit: (bytes: number): void => {
      this.cacheLimit = bytes;
      // MLX trims the cache down to a new, lower limit
      for (const [size, ids] of this.free) {
        while (this.cached > bytes && ids.length) {
          this.host.destroyBuffer(ids.pop()!);
          this.cached -= size;
        }
        if (!ids.length) {
          this.free.delete(size);
          this.sizes.splice(this.lowerBound(size), 1);
        }
      }
    },
  };

  /** Whole words around [offset, offset + length), then the bytes asked for. */
  private span(storage: Storage, byteOffset: number, byteLength: number): [number, number, number] {
    const s = this.own(storage);
    if (byteOffset < 0 || byteOffset + byteLength > s.byteLength) throw new RangeError(`[webgpu] read of ${byteLength} bytes at ${byteOffset} is outside a ${s.byteLength}-byte buffer`);
    const start = byteOffset & ~3;
    return [start, align4(byteOffset + byteLength) - start, byteOffset - start];
  }

  readSync(storage: Storage, byteOffset: number, byteLength: number): Uint8Array {
    if (!this.host.canBlock) {
      // the bytes asyncEval fetched, while no kernel or write has changed them since
      const bytes = this.fetched.get(storage);
      if (!bytes) throw new Error(SYNC_READ_HELP);
      this.own(storage);
      if (byteOffset < 0 || byteOffset + byteLength > bytes.byteLength) throw new RangeError(`[webgpu] read of ${byteLength} bytes at ${byteOffset} is outside a ${bytes.byteLength}-byte buffer`);
      return bytes.slice(byteOffset, byteOffset + byteLength);
    }
    this.statusSync();
    if (byteLength === 0) return new Uint8Array(0);
    const [start, len, skip] = this.span(storage, byteOffset, byteLength);
    return this.host.readSync((storage as GpuStorage).id, start, len).subarray(skip, skip + byteLength);
  }

  async read(storage: Storage, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    await this.statusAsync();
    if (byteLength === 0) return new Uint8Array(0);
    const [start, len, skip] = this.span(storage, byteOffset, byteLength);
    return (await this.host.read((storage as GpuStorage).id, start, len)).subarray(skip, skip + byteLength);
  }

  /**
   * Brings a storage's bytes to the host without blocking (asyncEval calls it where
   * syncReadable is false), so that the synchronous readers that follow find them.
   */
  async prefetch(storage: Storage): Promise<void> {
    if (this.host.canBlock || this.fetched.has(storage)) return;
    const before = this.changes.get(storage);
    const bytes = await this.read(storage, 0, storage.byteLength);
    if (!storage.released && this.changes.get(storage) === before) this.fetched.set(storage, bytes);
  }

  write(storage: Storage, byteOffset: number, bytes: Uint8Array): void {
    const s = this.own(storage);
    this.changed(storage);
    if (bytes.byteLength === 0) return;
    const end = byteOffset + bytes.byteLength;
    if (byteOffset < 0 || end > s.byteLength) throw new RangeError(`[webgpu] write of ${bytes.byteLength} bytes at ${byteOffset} is outside a ${s.byteLength}-byte buffer`);
    if (byteOffset % 4 === 0 && (end % 4 === 0 || end === s.byteLength)) {
      // the tail word past byteLength is padding: zeros may go there
      const padded = new Uint8Array(align4(bytes.byteLength));
      padded.set(bytes);
      this.host.write(s.id, byteOffset, padded);
      return;
    }
    // unaligned: merge with the words' current bytes
    const start = byteOffset & ~3;
    const len = Math.min(align4(end), s.size) - start;
    if (!this.host.canBlock) throw new Error(`[webgpu] a write of ${bytes.byteLength} bytes at byte ${byteOffset} (not whole 32-bit words) needs a synchronous read, which this thread can't do; use mx.cpu for it`);
    const words = this.host.readSync(s.id, start, len);
    words.set(bytes, byteOffset - start);
    this.host.write(s.id, start, words);
  }

  /**
   * Every mx.fast primitive (and Hadamard) has a fused kernel here, in the float dtypes
   * (fast.ts, hadamard.ts); otherwise the ops build MLX's fallback compositions (use_fallback),
   * whose primitives run here too.
   */
  fuses(primitive: string, dtype: Dtype): boolean {
    return gpuFuses(primitive, dtype);
  }

  run(prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): void {
    const cpuOnly = cpuOnlyError(prim.name);
    if (cpuOnly) throw cpuOnly;
    for (const d of [...inputs, ...outputs]) {
      if (d.dtype.name === 'float64') throw new TypeError('float64 is not supported on the GPU');
    }
    if (this.host.lostReason) throw new Error(`[webgpu] ${this.host.lostReason}`);
    for (const o of outputs) this.changed(o.storage);
    const k = kernels.get(prim.name);
    const bad = [...inputs, ...outputs].find((d) => !gpuDtype(d.dtype));
    if (!k || bad) noKernel(prim, (bad ?? inputs[0] ?? outputs[0]!).dtype);
    if (WINDOWED.has(prim.name) && this.runInWindows(prim, k, inputs, outputs)) return;
    const scope: KernelScope = { outputs: new Set(outputs.map((o) => o.storage)), windows: new Map() };
    this.scope = scope;
    try {
      if (!k(this, prim, inputs, outputs)) noKernel(prim, (inputs[0] ?? outputs[0]!).dtype);
    } finally {
      this.scope = null;
      for (const ids of scope.windows.values()) for (const w of ids) this.host.closeWindow(w);
    }
  }

  /**
   * An elementwise op over arrays larger than one storage binding (lavapipe's is 128 MiB): the
   * kernel runs on chunks of the output's rows, each array bound through a window of its buffer
   * that holds the chunk's elements (starting at a 256-byte boundary, as WebGPU requires).
   * False when nothing exceeds the limit, or the layout can't be cut so (then bind() raises).
   */
  private runInWindows(prim: Primitive<any>, k: Kernel, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): boolean {
    const limit = this.host.adapter.maxStorageBufferBindingSize;
    const all = [...inputs, ...outputs];
    const big = (d: ArrayData) => (d.storage as GpuStorage).size > limit;
    if (!all.some(big)) return false;
    const out = outputs[0]!;
    const nd = out.shape.length;
    const R = out.shape[0] ?? 0;
    if (outputs.length !== 1 || nd === 0 || R < 2 || out.offset !== 0) return false;
    if (!all.every((d) => d.shape.length === nd && d.strides.every((st) => st >= 0))) return false;
    // elements past a row's first that the rest of the dims reach
    const rest = (d: ArrayData) => d.shape.reduce((e, n, i) => (i === 0 ? e : e + (n - 1) * d.strides[i]!), 0);
    const rowBytes = out.dtype.size * out.strides[0]!;
    // every chunk of the output starts at a 256-byte boundary: a multiple of `step` rows
    let step = 1;
    while ((step * rowBytes) % 256 !== 0 && step < 256) step *= 2;
    if ((step * rowBytes) % 256 !== 0) return false;
    // windowed: the output's buffer and those over the limit, for every array on them (an input
    // donated to the output shares its buffer: one window of the same range, never two bindings
    // of overlapping writable ranges, which WebGPU refuses)
    const onWindows = new Set<Storage>([out.storage, ...all.filter(big).map((d) => d.storage)]);
    const windowed = (d: ArrayData) => onWindows.has(d.storage);
    const layoutOf = new Map<Storage, string>();
    for (const d of all.filter(windowed)) {
      const layout = `${d.offset}:${d.strides.join(',')}:${d.dtype.size}`;
      if ((layoutOf.get(d.storage) ?? layout) !== layout) return false;
      layoutOf.set(d.storage, layout);
    }
    // rows that one window of each windowed array holds
    let rows = R;
    for (const d of all) {
      if (!windowed(d)) continue;
      const s0 = d.strides[0]! * d.dtype.size;
      if (s0 === 0) return false;
      rows = Math.min(rows, Math.floor((limit - 260 - (rest(d) + 1) * d.dtype.size) / s0) + 1);
    }
    if (rows < R) rows = Math.floor(rows / step) * step;
    if (rows < 1) return false;
    const opened: number[] = [];
    try {
      for (let r0 = 0; r0 < R; r0 += rows) {
        const n = Math.min(rows, R - r0);
        const chunkWindows = new Map<Storage, GpuStorage>();
        const cut = (d: ArrayData): ArrayData => {
          const shape = [n, ...d.shape.slice(1)];
          const first = d.offset + r0 * d.strides[0]!;
          if (!windowed(d)) return { ...d, shape, offset: first };
          const st = d.storage as GpuStorage;
          const start = first * d.dtype.size - ((first * d.dtype.size) % 256);
          const end = Math.min(st.size, align4((first + (n - 1) * d.strides[0]! + rest(d) + 1) * d.dtype.size));
          let win = chunkWindows.get(st);
          if (!win) {
            const id = this.host.openWindow(st.id, start, end - start);
            opened.push(id);
            win = { backend: this, byteLength: end - start, refs: 1, released: false, id, size: end - start } as GpuStorage;
            chunkWindows.set(st, win);
          }
          return { storage: win, dtype: d.dtype, shape, strides: d.strides, offset: first - start / d.dtype.size };
        };
        if (!k(this, prim, inputs.map(cut), [cut(out)])) noKernel(prim, (inputs[0] ?? out).dtype);
      }
    } finally {
      for (const w of opened) this.host.closeWindow(w);
    }
    return true;
  }

  synchronize(): void | Promise<void> {
    if (!this.host.canBlock) return this.synchronizeAsync();
    this.statusSync();
    // an empty read waits for everything queued before it
    const s = this.allocate(4);
    try {
      this.host.readSync((s as GpuStorage).id, 0, 4);
    } finally {
      this.release(s);
    }
  }

  private async synchronizeAsync(): Promise<void> {
    await this.statusAsync();
    const s = this.allocate(4);
    try {
      await this.host.read((s as GpuStorage).id, 0, 4);
    } finally {
      this.release(s);
    }
  }

  memory(): { active: number; peak: number } {
    return { active: this.active, peak: this.peak };
  }

  resetPeakMemory(): void {
    this.peak = 0;
  }

  // ---- for the kernels ----

  private own(storage: Storage): GpuStorage {
    if (storage.backend !== this) throw new Error(`[webgpu] storage of the '${storage.backend.name}' backend was given to the GPU backend`);
    if (storage.released) throw new Error('[webgpu] use of released GPU storage');
    return storage as GpuStorage;
  }

  /**
   * The distinct buffers of a kernel's arrays (an output may share its input's buffer: MLX's
   * donation) as bindings 1..n, and the WGSL name each array reads or writes.
   */
  bind(arrays: readonly (ArrayData | Storage)[], opts: { windows?: boolean } = {}): { bindings: number[]; names: string[] } {
    const { maxStorageBufferBindingSize: limit, maxStorageBuffersPerShaderStage: most } = this.host.adapter;
    const bindings: number[] = [];
    const names = arrays.map((a) => {
      const st = this.own('storage' in a ? a.storage : a);
      if (st.size > limit) {
        // an input of the running primitive, read-only: bound as windows (windowBinding);
        // an output or a kernel's scratch past one binding can't be written so
        const readOnly = 'storage' in a && opts.windows !== false && this.scope !== null && !this.scope.outputs.has(st);
        if (!readOnly) {
          throw new RangeError(`[webgpu] an array of ${st.byteLength} bytes is larger than this adapter's largest storage binding (${limit} bytes); run this op on mx.cpu`);
        }
        return this.windowBinding(st, bindings);
      }
      const id = st.id;
      let k = bindings.indexOf(id);
      if (k < 0) k = bindings.push(id) - 1;
      return `b${k}`;
    });
    if (bindings.length + 1 > most) {
      throw new RangeError(`[webgpu] this op's arrays need ${bindings.length + 1} storage bindings (those past ${limit} bytes one per window of that size); this adapter has ${most}; run this op on mx.cpu`);
    }
    return { bindings, names };
  }

  /**
   * A read-only input past one storage binding, bound as consecutive windows of it (each a whole
   * number of 256-byte blocks, the largest that fits one binding), opened once per primitive and
   * closed after its kernel has queued its work. Its name, bw<first>x<count>x<words a window>,
   * is indexed by the kernels as any other; dispatchGroups turns those reads into a function
   * that picks the window (readThroughWindows).
   */
  private windowBinding(st: GpuStorage, bindings: number[]): string {
    const scope = this.scope!;
    const bytes = Math.floor(this.host.adapter.maxStorageBufferBindingSize / 256) * 256;
    let ids = scope.windows.get(st);
    if (!ids) {
      ids = [];
      for (let off = 0; off < st.size; off += bytes) ids.push(this.host.openWindow(st.id, off, Math.min(bytes, st.size - off)));
      scope.windows.set(st, ids);
    }
    let first = bindings.indexOf(ids[0]!);
    if (first < 0) first = bindings.push(...ids) - ids.length;
    return `bw${first}x${ids.length}x${bytes / 4}`;
  }

  /** Queues one dispatch of `code` (bindings declared here) over `threads` invocations. */
  dispatch(code: string, bindings: number[], meta: Uint32Array, threads: number): void {
    this.dispatchGroups(code, bindings, meta, Math.ceil(threads / 64));
  }

  /** Queues `groups` workgroups of `code`, on a 2-d grid where they exceed one dimension's limit. */
  dispatchGroups(code: string, bindings: number[], meta: Uint32Array, groups: number): void {
    if (!(groups > 0)) return; // nothing to run (WebGPU refuses a grid of 0 x NaN)
    const decl = [
      '@group(0) @binding(0) var<storage, read> md: array<u32>;',
      ...bindings.map((_b, k) => `@group(0) @binding(${k + 1}) var<storage, read_write> b${k}: array<u32>;`),
    ].join('\n');
    const module = `${decl}\n${readThroughWindows(code)}`;
    const src = this.f16Mode === 'native' && usesHalves(module) && this.f16Probed() ? nativeHalves(module) : module;
    // global directives come first: `enable subgroups;` before everything (f16's included)
    const shader = this.host.shader(/\bsubgroup[A-Z]|@builtin\(subgroup_/.test(code) ? `enable subgroups;\n${src}` : src, bindings.length);
    const gx = Math.min(groups, 65535);
    const gy = Math.ceil(groups / gx);
    this.host.dispatch(shader, bindings, meta, gx, gy);
  }
}
