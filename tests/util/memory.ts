// Helpers shared by the suites that look at memory: live bytes of the CPU backend that runs the
// suite, garbage collection that lets FinalizationRegistry callbacks run, and memory that an
// array can be made over without a copy on either CPU backend.
import { expect } from 'vitest';
import * as mx from '@mlx-ts/core';

/** The suites run on the default CPU backend ('wasm') and with MLX_TS_CPU_BACKEND=reference. */
export const cpuName = mx.cpuBackendName();
export const onWasm = cpuName === 'wasm';
/** Live bytes of the CPU backend. */
export const active = (): number => mx.memory()[cpuName]!.active;

/** A full collection, then a few tasks: FinalizationRegistry callbacks run after it. */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it)');
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Memory an array can be made over without a copy: any TypedArray on the reference backend;
 * on the WASM backend, which keeps every array in its linear memory and copies anything else,
 * a view of that memory (here: of a fresh mx array holding the same elements).
 */
export function shareable<T extends ArrayBufferView>(t: T, dtype: mx.Dtype): T {
  if (!onWasm) return t;
  const v = mx.array(t as unknown as Float32Array, dtype).toTypedArray({ copy: false });
  expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
  return v as unknown as T;
}
