// mx.fast.metalKernel without a GPU: the definition is validated when made, and a call on the
// CPU (or with no GPU backend registered) is a clear error, never a silent CPU run. The kernels
// themselves run in packages/metal-backend/test/custom-kernel.test.ts.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';

const body = 'out[thread_position_in_grid.x] = inp[thread_position_in_grid.x];';

describe('fast.metalKernel on the CPU', () => {
  it('validates the definition (MLX positional arguments or one object)', () => {
    expect(typeof mx.fast.metalKernel('k', ['inp'], ['out'], body)).toBe('function');
    expect(() => mx.fast.metalKernel('k', 'inp' as unknown as string[], ['out'], body)).toThrow(/inputNames must be an array of names/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['inp'], outputNames: ['out'], source: body, header: 3 as unknown as string })).toThrow(/header must be a string/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['inp'], outputNames: ['out'], source: body, atomicOutputs: 1 as unknown as boolean })).toThrow(/atomicOutputs must be a boolean/);
  });

  it('a call on mx.cpu names the GPU it needs', () => {
    const k = mx.fast.metalKernel({ name: 'copyk', inputNames: ['inp'], outputNames: ['out'], source: body });
    const call = { inputs: [mx.array([1, 2])], grid: [2, 1, 1] as [number, number, number], threadgroup: [2, 1, 1] as [number, number, number], outputShapes: [[2]], outputDtypes: [mx.float32] };
    expect(() => k(call)).toThrow(/\[metal_kernel\] metalKernel needs the GPU: 'copyk' was called on Device\(cpu, 0\)/);
    expect(() => k({ ...call, stream: mx.cpu })).toThrow(/metalKernel needs the GPU/);
    expect(() => k(undefined as unknown as typeof call)).toThrow(/call the kernel with \{ inputs, grid/);
  });
});
