// Shared by the GPU suites: the backend (registered once per test file), or why there is none.
// Under CI a missing adapter fails the suite (lavapipe is installed there); elsewhere the suites
// skip with a printed reason.
import { vi } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec, type ViewStep } from '@mlx-ts/core/testing';
import { registerWebGPU, type WebGPUBackend } from '../src/index.js';

let backend: WebGPUBackend | null = null;
let why = '';
try {
  backend = registerWebGPU();
} catch (e) {
  why = (e as Error).message;
  if (process.env.CI) throw new Error(`the GPU suites need a WebGPU adapter under CI (Mesa's lavapipe): ${why}`);
  console.warn(`GPU suites skipped: ${why}`);
}
export const gpuBackend = backend;
// Lavapipe compiles each new shader on the CPU: a cold suite on CI's 2 shared cores can take
// minutes per file, so these files get more time than the project's default.
vi.setConfig({ testTimeout: 400_000 });
export const noGpu = backend === null;

/** A spec over `baseShape` with the given storage units and view steps. */
export function spec(dtype: mx.Dtype, baseShape: number[], units: (number | bigint)[], view: readonly ViewStep[] = []): ArraySpec {
  return { dtype, baseShape, units, view };
}

/** Deterministic pseudo-random values (xorshift), so a failure replays. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * The same values in four layouts of shape [3, 4]: contiguous, a transposed [4, 3] base, every
 * other column of a [3, 8] base starting at an offset, and a [1, 4] row broadcast.
 */
export function layouts(dtype: mx.Dtype, gen: (i: number) => number | bigint): ArraySpec[] {
  const units = (n: number) => Array.from({ length: n }, (_, i) => gen(i));
  return [
    spec(dtype, [3, 4], units(12)),
    spec(dtype, [4, 3], units(12), [{ kind: 'transpose', axes: [1, 0] }]),
    spec(dtype, [3, 9], units(27), [{ kind: 'slice', start: [0, 1], stop: [3, 9], step: [1, 2] }]),
    spec(dtype, [1, 4], units(4), [{ kind: 'broadcast', shape: [3, 4] }]),
  ].map((s) => {
    if (prod(s.baseShape) !== s.units.length) throw new Error('bad spec');
    return s;
  });
}

type AnyOp = (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];

/** compareBackends of `op` between the reference and the GPU, within `ulp` (0: exact). */
export const checkGpu = (op: AnyOp, inputs: (ArraySpec | mx.MxArray)[], label: string, ulp = 0) =>
  compareBackends(op, inputs, { backends: ['reference', 'webgpu'], label, ulp });

/** Storage units of `values` in `dtype`: the bits of halves (rounded as the reference stores them). */
export function halfUnits(dtype: mx.Dtype, values: number[]): number[] {
  if (dtype !== mx.float16 && dtype !== mx.bfloat16) return values;
  return mx.array(values, mx.float32).astype(dtype, mx.cpu).view(mx.uint16, mx.cpu).tolist() as number[];
}

/** A spec of seeded values in [-2, 2) (or value(r) for each) in `dtype`, through `view`. */
export function randSpec(shape: number[], seed: number, dtype: mx.Dtype = mx.float32, view: ArraySpec['view'] = [], value = (r: () => number) => Math.fround((r() - 0.5) * 4)): ArraySpec {
  const r = rng(seed);
  return spec(dtype, shape, halfUnits(dtype, Array.from({ length: prod(shape) }, () => value(r))), view);
}
