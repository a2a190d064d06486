// The one interface every device implements. Small on purpose: storage, bytes in and out,
// and `run` per primitive. Transforms never reach a backend; they rewrite graphs of ops.
import type { Dtype } from '../dtype.js';
import type { Primitive } from '../primitive.js';

export type DeviceKind = 'cpu' | 'gpu';

/**
 * Bytes owned by one backend. `refs` counts the arrays that point at it plus the pins held
 * by exported views and DLPack capsules; the backend frees it when the count falls to zero.
 */
export interface Storage {
  readonly backend: Backend;
  readonly byteLength: number;
  /** @internal maintained by the array layer (see memory.ts). */
  refs: number;
  /** @internal true once released; any later use is a bug that must throw, not read garbage. */
  released: boolean;
}

/** What a kernel sees of an array: storage plus layout (strides and offset in elements). */
export interface ArrayData {
  readonly storage: Storage;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface Backend {
  /** Registry name, e.g. 'reference', 'wasm', 'webgpu'. */
  readonly name: string;
  readonly kind: DeviceKind;
  /**
   * Whether host code may read storage synchronously. CPU backends can; a GPU backend over
   * WebGPU cannot (mapAsync), and says so here so that item()/tolist() fail clearly instead
   * of blocking.
   */
  readonly syncReadable: boolean;

  allocate(byteLength: number): Storage;
  /**
   * Optional: storage over existing host memory (zero-copy import of TypedArrays and DLPack
   * capsules), or null when this backend can't use that memory. `onRelease` runs when the
   * storage is released. Backends without it get copies.
   */
  adopt?(bytes: Uint8Array, onRelease?: () => void): Storage | null;
  /** Optional: why adopt(bytes) returned null (the BufferError of `copy: false` quotes it). */
  whyNotAdopted?(bytes: Uint8Array): string;
  /**
   * Optional: why views over this backend's host memory must not be handed out (a WASM memory
   * without SharedArrayBuffer detaches its buffer when it grows), or null when they may.
   * Absent means they may. Exports then copy, or throw BufferError for `copy: false`.
   */
  whyNoHostViews?(): string | null;
  release(storage: Storage): void;
  /**
   * Optional: whether this backend runs the fused kernel of an mx.fast primitive (RMSNorm,
   * RoPE, ...) for inputs of `dtype`; where it says no, the op builds the primitive's fallback
   * composition instead (MLX's use_fallback). Absent means yes.
   */
  fuses?(primitive: string, dtype: Dtype): boolean;

  /** Host-visible bytes of a storage, for sync-readable backends (a view, not a copy). */
  hostBytes?(storage: Storage): Uint8Array;
  /** Copies `byteLength` bytes starting at `byteOffset` out of storage. */
  read(storage: Storage, byteOffset: number, byteLength: number): Promise<Uint8Array>;
  /**
   * Synchronous read; present when syncReadable, or with `prefetch`, where it serves the bytes
   * prefetch brought over (and throws, naming asyncEval, for any others).
   */
  readSync?(storage: Storage, byteOffset: number, byteLength: number): Uint8Array;
  /**
   * Optional, for backends that can't block (syncReadable false: WebGPU on a browser's main
   * thread): brings a storage's bytes to the host; asyncEval awaits it for every array it
   * evaluates, so the synchronous readers (item, tolist, printing) work after it.
   */
  prefetch?(storage: Storage): Promise<void>;
  write(storage: Storage, byteOffset: number, bytes: Uint8Array): void;

  /**
   * Computes `prim` on `inputs` into `outputs`. Outputs arrive allocated, contiguous and
   * row-major (strides are given); inputs may be any strided layout, broadcasts included.
   */
  run(prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): void;

  /** Waits for queued work (no-op for synchronous CPU backends). */
  synchronize(): Promise<void> | void;

  /**
   * Optional: a buffer cache like MLX's allocator (released storage kept for reuse), behind
   * getCacheMemory / clearCache / setCacheLimit.
   */
  readonly cache?: { memory(): number; clear(): void; setLimit(bytes: number): void };

  /**
   * Optional: what MLX's device_info reports for this device (a GPU backend: architecture,
   * device_name, memory_size, max_buffer_length, max_recommended_working_set_size).
   */
  deviceInfo?(): Record<string, string | number>;

  /** Live and peak bytes of storage held by this backend. */
  memory(): { active: number; peak: number };
  /** Sets the peak to 0, as MLX does: it reads 0 until the next allocation sets it from the live bytes. */
  resetPeakMemory(): void;
}
