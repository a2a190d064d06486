// MLX's memory API (mx.get_active_memory, ...) over the backends' accounting. The CPU backends
// keep no buffer cache (freed storage goes back to the JS heap or the WASM allocator); a backend
// with one (the WebGPU backend) reports it through `Backend.cache`. The memory and wired limits
// are recorded.
import { getActiveMemory, getPeakMemory, resetPeakMemory, memory, listBackends, getBackendByName } from './device.js';
import type { Storage } from './backend/interface.js';
import { treeFlatten } from './transforms/tree.js';

export { getActiveMemory, getPeakMemory, resetPeakMemory, memory };

let memoryLimit = 0;
let cacheLimit = 0;
let wiredLimit = 0;

const caches = () => listBackends().flatMap((n) => getBackendByName(n).cache ?? []);

/** Bytes held in allocator caches (the backends that keep one; the CPU ones don't). */
export function getCacheMemory(): number {
  return caches().reduce((n, c) => n + c.memory(), 0);
}

export function clearCache(): void {
  for (const c of caches()) c.clear();
}

function checkLimit(limit: number, name: string): void {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
    throw new TypeError(`[${name}] limit must be a non-negative number of bytes, got ${String(limit)}.`);
  }
}

/** Sets the memory limit and returns the previous one (as MLX). */
export function setMemoryLimit(limit: number): number {
  checkLimit(limit, 'setMemoryLimit');
  const prev = memoryLimit;
  memoryLimit = limit;
  return prev;
}

export function setCacheLimit(limit: number): number {
  checkLimit(limit, 'setCacheLimit');
  const prev = cacheLimit;
  cacheLimit = limit;
  for (const c of caches()) c.setLimit(limit);
  return prev;
}

/**
 * Records the wired limit and returns the previous one. As MLX, a limit above the GPU's
 * recommended working set is refused (where the GPU backend knows that size).
 */
export function setWiredLimit(limit: number): number {
  checkLimit(limit, 'setWiredLimit');
  const gpuBackend = listBackends().map(getBackendByName).find((b) => b.kind === 'gpu');
  const most = gpuBackend?.deviceInfo?.().max_recommended_working_set_size;
  if (typeof most === 'number' && most > 0 && limit > most) {
    throw new RangeError('[metal::set_wired_limit] Setting a wired limit larger than the maximum working set size is not allowed.');
  }
  const prev = wiredLimit;
  wiredLimit = limit;
  return prev;
}

/** The memory limit last set with setMemoryLimit (0 until one is set). */
export function getMemoryLimit(): number {
  return memoryLimit;
}

/**
 * MLX's get_array_buffer_size: the bytes of the distinct buffers behind the arrays in the
 * arguments (arrays or trees of them; other leaves are ignored). Views of one buffer count it
 * once. The arrays must be evaluated.
 */
export function getArrayBufferSize(...trees: unknown[]): number {
  const buffers = new Set<Storage>();
  for (const a of treeFlatten(trees)) {
    a._check();
    if (!a._data) throw new Error('[get_array_buffer_size] Arrays must be evaluated before querying buffer size.');
    buffers.add(a._data.storage);
  }
  let n = 0;
  for (const b of buffers) n += b.byteLength;
  return n;
}
