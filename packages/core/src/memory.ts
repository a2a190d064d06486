// MLX's memory API (mx.get_active_memory, ...) over the backends' accounting. mlx-ts keeps no
// buffer cache of its own (freed storage goes back to the JS heap or the WASM allocator), so
// the cache functions report 0 and the limits are recorded and enforced by allocation checks
// in a later backend.
import { getActiveMemory, getPeakMemory, resetPeakMemory, memory } from './device.js';
import type { Storage } from './backend/interface.js';
import { treeFlatten } from './transforms/tree.js';

export { getActiveMemory, getPeakMemory, resetPeakMemory, memory };

let memoryLimit = 0;
let cacheLimit = 0;
let wiredLimit = 0;

/** Bytes held in allocator caches (none: storage is released as soon as it is free). */
export function getCacheMemory(): number {
  return 0;
}

export function clearCache(): void {}

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
  return prev;
}

export function setWiredLimit(limit: number): number {
  checkLimit(limit, 'setWiredLimit');
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
