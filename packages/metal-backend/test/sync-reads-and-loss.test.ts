// The GPU where the calling thread can't block (a browser's main thread, simulated here with
// the host's internal `blocking: false`): sync reads throw naming asyncEval, and asyncEval makes
// them work, never with stale bytes. And a lost device: a clear error on the next use, never a
// hang.
import { afterEach, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { gpuBackend, noGpu } from './gpu-helpers.js';
import { registerWebGPU, registerWebGPUAsync, WebGPUBackend } from '../src/index.js';

afterEach(() => {
  mx.setDefaultDevice(mx.cpu);
  if (gpuBackend) mx.registerBackend(gpuBackend, { makeDefault: true });
});

/** Rejects instead of waiting forever. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

describe.skipIf(noGpu)('webgpu on a thread that cannot block', () => {
  it('registerWebGPUAsync gives the registered backend', async () => {
    expect(await registerWebGPUAsync()).toBe(gpuBackend);
  });

  it('sync reads name asyncEval; after it they read the fetched bytes; changed storage is fetched again', async () => {
    const be = await WebGPUBackend.create({ blocking: false });
    expect(be.syncReadable).toBe(false);
    mx.registerBackend(be, { makeDefault: true });
    mx.setDefaultDevice(mx.gpu);
    const y = mx.multiply(mx.array([1, 2, 3]), 2);
    expect(() => y.tolist()).toThrow(/await mx\.asyncEval\(x\) first/);
    expect(() => mx.synchronize()).toThrow(/synchronizeAsync/);
    await mx.asyncEval(y);
    expect(y.tolist()).toEqual([2, 4, 6]);
    expect(String(y)).toBe('array([2, 4, 6], dtype=float32)');
    const z = mx.add(y, 1);
    mx.eval(z);
    expect(() => z.tolist()).toThrow(/asyncEval/);
    expect(y.tolist()).toEqual([2, 4, 6]); // y was only read by that kernel
    await mx.asyncEval(z);
    expect(z.tolist()).toEqual([3, 5, 7]);
    const total = mx.sum(z);
    expect(() => total.item()).toThrow(/asyncEval/);
    await mx.asyncEval(total);
    expect(total.item()).toBe(15);
    // moving to the CPU reads asynchronously too
    await mx.synchronizeAsync();
  });
});

describe.skipIf(noGpu)('webgpu device loss', () => {
  it('a destroyed device fails the next read and every later use with a clear error, without hanging', async () => {
    const be = new WebGPUBackend(); // its own device: the shared one stays
    mx.registerBackend(be, { makeDefault: true });
    const x = mx.add(mx.array([1, 2]), 1, mx.gpu);
    expect(x.tolist()).toEqual([2, 3]);
    be.host.loseDevice();
    const y = mx.multiply(x, 2, mx.gpu);
    // blocked in Atomics.wait, the reader is answered by the executor
    expect(() => y.tolist()).toThrow(/\[webgpu\] the GPU device was lost \(destroyed/);
    // once the loss is known here, ops refuse at once and async reads reject
    await within(new Promise((r) => setTimeout(r, 50)), 5000);
    expect(be.host.lostReason).toMatch(/device was lost/);
    expect(() => mx.eval(mx.add(x, 1, mx.gpu))).toThrow(/device was lost/);
    await expect(within(be.read((x as unknown as { _data: { storage: mx.Storage } })._data.storage, 0, 8), 30_000)).rejects.toThrow(/device was lost/);
    expect(() => x.tolist()).toThrow(/device was lost/);
    // the other device is untouched
    mx.registerBackend(gpuBackend!, { makeDefault: true });
    expect(mx.add(mx.array([1]), 1, mx.gpu).tolist()).toEqual([2]);
  });
});

describe.skipIf(noGpu)('webgpu after a device loss (last: it loses the shared device)', () => {
  it('registerWebGPU() starts a new device and makes it mx.gpu; arrays of the lost one stay errors', () => {
    const first = registerWebGPU();
    expect(first).toBe(gpuBackend);
    const x = mx.add(mx.array([1, 2]), 1, mx.gpu);
    expect(x.tolist()).toEqual([2, 3]);
    first.host.loseDevice();
    expect(() => mx.add(x, 1, mx.gpu).tolist()).toThrow(/device was lost/);
    // the blocked read told this thread at once: no await needed before starting again
    expect(first.host.lostReason).toMatch(/device was lost/);
    const second = registerWebGPU();
    expect(second).not.toBe(first);
    expect(registerWebGPU()).toBe(second);
    expect(mx.add(mx.array([1]), 1, mx.gpu).tolist()).toEqual([2]);
    expect(() => x.tolist()).toThrow(/device was lost/);
  });
});
