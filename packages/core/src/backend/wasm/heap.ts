// The WASM backend's memory manager: one linear memory, blocks handed out in size classes
// (16-byte aligned, at most 25% rounding waste), freed blocks kept on one free list per
// class and reused first, the memory grown (at least doubled) when nothing fits.
//
// The memory is created here and imported by the kernels. It is shared where
// SharedArrayBuffer exists: a shared memory's buffers never detach when it grows, so views
// handed out earlier stay valid. A plain memory detaches its old buffer on growth, which is
// why the backend never caches a view and makes one per access.

const PAGE = 65536;

/** Every buffer object any heap's memory has had, to its heap (see WasmHeap.owns). */
const owners = new WeakMap<object, WasmHeap>();

/** The heap whose linear memory `buffer` is (any of the buffers it has had), if any. */
export function heapOwning(buffer: unknown): WasmHeap | undefined {
  return typeof buffer === 'object' && buffer !== null ? owners.get(buffer) : undefined;
}
/** 65536 pages: all that 32-bit wasm addresses. */
export const MAX_PAGES = 65536;
export const ALIGN = 16;

export interface HeapOptions {
  /** Initial size in bytes (rounded up to pages). Default 1 MiB. */
  initialBytes?: number;
  /** Most bytes the memory may grow to. Default 4 GiB (shared memories reserve it up front). */
  maximumBytes?: number;
  /** Force a shared (true) or plain (false) memory; default: shared where SharedArrayBuffer exists. */
  shared?: boolean;
}

export interface HeapStats {
  /** Bytes of linear memory. */
  memoryBytes: number;
  /** Bytes in blocks handed out (class sizes, so >= the bytes asked for). */
  usedBytes: number;
  /** Bytes in freed blocks waiting for reuse. */
  freeBytes: number;
  /** End of the bump region: the highest address ever handed out. */
  top: number;
  blocks: number;
}

/** The block size an allocation of `n` bytes gets: multiples of 16 up to 128, then 4 steps per power of two. */
export function sizeClass(n: number): number {
  if (n <= 0) return 0;
  if (n <= 128) return Math.ceil(n / ALIGN) * ALIGN;
  // integer shifts where n fits 31 bits: Math.log2 and ** cost ~0.2 us in V8, twice per small op
  if (n < 0x80000000) {
    const shift = 29 - Math.clz32(n); // step = a quarter of the largest power of two <= n
    return ((n + (1 << shift) - 1) >>> shift) * (1 << shift);
  }
  const step = 2 ** Math.floor(Math.log2(n)) / 4;
  return Math.ceil(n / step) * step;
}

/** Which kernel module runs over a heap: the plain set or the FMA one (relaxed SIMD). */
export type KernelSet = 'plain' | 'fma';

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly maximumBytes: number;
  /** First usable address (above the kernels' static data). */
  readonly base: number;
  /** The backend that owns this heap, and its name for messages. */
  owner: object | null = null;
  ownerName = 'wasm';
  /** The kernel set instantiated over this memory (worker threads instantiate the same one). */
  kernelSet: KernelSet = 'plain';
  private top: number;
  private lastBuffer: ArrayBufferLike | null = null;
  private readonly freeLists = new Map<number, number[]>();
  private used = 0;
  private freeTotal = 0;
  private blocks = 0;

  constructor(base: number, memory: WebAssembly.Memory, shared: boolean, maximumBytes: number) {
    this.memory = memory;
    this.shared = shared;
    this.maximumBytes = maximumBytes;
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
    void this.buffer; // recorded as ours
  }

  /**
   * The memory's current buffer. A shared memory hands out a new SharedArrayBuffer object
   * (over the same bytes) after each growth and a plain one a new ArrayBuffer (the old one
   * detached); every one seen is recorded, so that views taken earlier are still known as ours.
   */
  get buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    if (b !== this.lastBuffer) {
      this.lastBuffer = b;
      owners.set(b, this);
    }
    return b;
  }

  /** Whether `buffer` is (one of the buffer objects of) this heap's memory. */
  owns(buffer: unknown): boolean {
    return buffer === this.buffer || heapOwning(buffer) === this;
  }

  /**
   * Whether bytes [start, end) lie in blocks handed out by this heap and not freed since:
   * above the kernels' static data, below the bump top, and overlapping no block on a free
   * list. (Memory that code outside mlx-ts got from the heap, e.g. C modules' data, passes.)
   */
  isHeld(start: number, end: number): boolean {
    if (start < this.base || end > this.top || end < start) return false;
    for (const [size, list] of this.freeLists) {
      for (const p of list) if (p < end && start < p + size) return false;
    }
    return true;
  }

  /** A memory as the options ask (the kernels must be instantiated over it before use). */
  static createMemory(opts: HeapOptions = {}): { memory: WebAssembly.Memory; shared: boolean; maximumBytes: number } {
    const canShare = typeof SharedArrayBuffer !== 'undefined';
    const shared = opts.shared ?? canShare;
    if (shared && !canShare) throw new Error('WasmHeap: a shared memory needs SharedArrayBuffer, which this runtime lacks');
    const maxBytes = opts.maximumBytes ?? MAX_PAGES * PAGE;
    const initBytes = opts.initialBytes ?? 1 << 20;
    for (const [k, v] of [['initialBytes', initBytes], ['maximumBytes', maxBytes]] as const) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`WasmHeap: ${k} must be a positive integer, got ${v}`);
    }
    const maximum = Math.min(MAX_PAGES, Math.ceil(maxBytes / PAGE));
    const initial = Math.min(maximum, Math.max(1, Math.ceil(initBytes / PAGE)));
    const memory = new WebAssembly.Memory(shared ? { initial, maximum, shared: true } : { initial, maximum });
    return { memory, shared, maximumBytes: maximum * PAGE };
  }

  /** Address of a new block of at least `n` bytes (`n` = 0 gives the base address, no block). */
  alloc(n: number): { ptr: number; size: number } {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`WasmHeap.alloc: invalid byte length ${n}`);
    const size = sizeClass(n);
    if (size === 0) return { ptr: this.base, size: 0 };
    const list = this.freeLists.get(size);
    let ptr: number;
    if (list && list.length > 0) {
      this.freeTotal -= size;
      ptr = list.pop()!;
    } else {
      ptr = this.top;
      const end = ptr + size;
      if (end > this.buffer.byteLength) this.grow(end);
      this.top = end;
    }
    // counted once the block is had: a failed growth leaves the accounting as it was
    this.used += size;
    this.blocks++;
    return { ptr, size };
  }

  /** Gives a block back for reuse by later allocations of its class. */
  free(ptr: number, size: number): void {
    if (size === 0) return;
    if (ptr < this.base || ptr + size > this.top || ptr % ALIGN !== 0 || sizeClass(size) !== size) {
      throw new Error(`WasmHeap.free: ${ptr}+${size} is not a block of this heap`);
    }
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
    this.used -= size;
    this.freeTotal += size;
    this.blocks--;
  }

  /** A fresh view of `len` bytes at `ptr` (never cached: a plain memory's buffer detaches on growth). */
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.buffer, ptr, len);
  }

  stats(): HeapStats {
    return { memoryBytes: this.buffer.byteLength, usedBytes: this.used, freeBytes: this.freeTotal, top: this.top, blocks: this.blocks };
  }

  private grow(end: number): void {
    const have = this.buffer.byteLength;
    if (end > this.maximumBytes) {
      throw new RangeError(
        `WASM backend out of memory: a block ending at byte ${end} doesn't fit the ${this.maximumBytes}-byte maximum ` +
          `(${this.used} bytes in use, ${this.freeTotal} free in other size classes)`,
      );
    }
    // At least double, so that a run of growing allocations costs O(log n) grows.
    const want = Math.min(this.maximumBytes, Math.max(end, 2 * have));
    this.memory.grow(Math.ceil((want - have) / PAGE));
    void this.buffer; // the new buffer object is ours too
  }
}
