// Shared by wasm-indexing/sort/shape.test.ts (the data-movement kernels): the oracle plus a
// check that the results agree bit for bit (compareBackends lets NaN match any NaN), and
// error cases (an index out of range) that must raise the reference's error on both backends.
import { expect } from 'vitest';
import { compareBackends, BackendMismatchError, type ArraySpec, type HostArray } from '@mlx-ts/core/testing';
import type { MxArray } from '@mlx-ts/core';

type Op = (...xs: MxArray[]) => MxArray | readonly MxArray[];

const bytesOf = (h: HostArray): Uint8Array => new Uint8Array(h.units.buffer, h.units.byteOffset, h.units.byteLength);

/** Asserts that every output of the two backends has identical storage bytes. */
export function expectSameBits(results: HostArray[][], label: string): void {
  const [a, b] = results as [HostArray[], HostArray[]];
  a.forEach((x, i) => {
    const u = bytesOf(x);
    const v = bytesOf(b[i]!);
    expect(v.length, `${label}: output ${i} byte length`).toBe(u.length);
    for (let j = 0; j < u.length; j++) {
      if (u[j] !== v[j]) throw new BackendMismatchError(`${label}: output ${i} differs at byte ${j}: ${u[j]} vs ${v[j]}`);
    }
  });
}

/**
 * Runs op on the reference and on wasm. Either both succeed with the same values (bit for bit
 * when `bits`), or the reference throws and wasm throws the same error (class and message).
 * Returns whether it was an error case.
 */
export function sameOutcome(op: Op, inputs: readonly (ArraySpec | MxArray)[], label: string, bits = true): boolean {
  let refError: Error | null = null;
  try {
    const r = compareBackends(op, inputs, { label });
    if (bits) expectSameBits(r, label);
    return false;
  } catch (e) {
    if (e instanceof BackendMismatchError) throw e;
    refError = e as Error;
  }
  let wasmError: Error | null = null;
  try {
    compareBackends(op, inputs, { label, backends: ['wasm', 'wasm'] });
  } catch (e) {
    wasmError = e as Error;
  }
  expect(wasmError, `${label}: the reference threw ${refError.message}; wasm did not`).not.toBeNull();
  expect(wasmError!.constructor).toBe(refError.constructor);
  expect(wasmError!.message).toBe(refError.message);
  return true;
}

/** float32 / float64 bit patterns every data-movement kernel must carry unchanged. */
export const f32Payloads = [0x7fc00001, 0xffc00000, 0x7fd23456, 0xfff00001, 0x80000000, 0, 0x7f800000, 0xff800000, 0x3f800000, 0xbf800000, 0x00000001];
export const f64Payloads = [
  0x7ff8000000000001n,
  0xfff8000000000000n,
  0x7ff0000000000001n, // signalling: Float64Array moves keep it
  0xfff4000000000abcn,
  0x8000000000000000n,
  0n,
  0x7ff0000000000000n,
  0xfff0000000000000n,
  0x3ff0000000000000n,
  0xbff0000000000000n,
  1n,
];
