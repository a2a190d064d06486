// The default CPU backend: 'wasm', unless MLX_TS_CPU_BACKEND says otherwise or the WASM backend
// can't start where it is first used (a browser's main thread refusing to compile its kernels
// synchronously): then the reference backend serves, after one console.warn saying why.
import { test, expect, vi, afterEach } from 'vitest';
import * as mx from '@mlx-ts/core';
import { getBackendByName, registerBackend, setProvisionalCpuBackend } from '../src/device.js';
import { WasmBackend } from '../src/backend/wasm/index.js';

const wasm = getBackendByName('wasm') as WasmBackend;
const start = mx.cpuBackendName.bind(mx);
let restore: string | null = null;

afterEach(() => {
  vi.restoreAllMocks();
  if (restore) mx.setCpuBackend(restore);
  restore = null;
});

// First in this file, before anything has compiled the kernels: a synchronous compile that
// throws, as Chrome's main thread does for large modules.
test('where the kernels cannot compile synchronously, the reference backend serves, with one note', () => {
  const Module = WebAssembly.Module;
  const refused = new RangeError(
    'WebAssembly.Module(): Buffer size is larger than the main thread allows; use WebAssembly.compile (simulated)',
  );
  (WebAssembly as { Module: unknown }).Module = function refuse() {
    throw refused;
  };
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    setProvisionalCpuBackend('wasm', () => wasm.startError(), 'reference');
    expect(mx.cpuBackendName()).toBe('reference');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /mlx-ts: the 'wasm' CPU backend could not start \(RangeError: WebAssembly\.Module\(\): Buffer size .*\(simulated\)\); using the 'reference' backend instead\. .*await mx\.initWasm\(\)/,
    );
    const a = mx.add(mx.array([1, 2]), 1);
    expect(a.tolist()).toEqual([2, 3]);
    expect(a._data!.storage.backend.name).toBe('reference');
    expect(mx.cpuBackendName()).toBe('reference');
    expect(warn).toHaveBeenCalledTimes(1); // once
  } finally {
    (WebAssembly as { Module: unknown }).Module = Module;
  }
});

test('mx.initWasm() compiles the kernels asynchronously; then the WASM backend runs', async () => {
  restore = start();
  await mx.initWasm();
  mx.setCpuBackend('wasm');
  const a = mx.multiply(mx.array([1.5, 2], mx.float32), 2);
  expect(a.tolist()).toEqual([3, 4]);
  expect(a._data!.storage.backend).toBe(wasm);
  expect(wasm.startError()).toBeNull();
});

test('a provisional default that starts stays, silently; an explicit choice replaces it', () => {
  restore = start();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  setProvisionalCpuBackend('wasm', () => wasm.startError(), 'reference');
  expect(mx.cpuBackendName()).toBe('wasm');
  expect(warn).not.toHaveBeenCalled();

  const broken = new WasmBackend({ name: 'wasm-broken', initialBytes: 0 });
  registerBackend(broken);
  expect(broken.startError()).toMatch(/RangeError: WasmHeap: initialBytes must be a positive integer, got 0/);
  setProvisionalCpuBackend('wasm-broken', () => broken.startError(), 'reference');
  mx.setCpuBackend('wasm'); // explicit: the provisional one is dropped, nothing is probed
  expect(mx.cpuBackendName()).toBe('wasm');
  expect(warn).not.toHaveBeenCalled();

  setProvisionalCpuBackend('wasm-broken', () => broken.startError(), 'reference');
  expect(mx.cpuBackendName()).toBe('reference');
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).toMatch(/'wasm-broken' CPU backend could not start \(RangeError: WasmHeap: initialBytes/);
  // an explicit choice of a backend that can't start fails loudly instead
  mx.setCpuBackend('wasm-broken');
  expect(() => mx.array([1])).toThrow(/initialBytes must be a positive integer/);
});

test('the default is wasm unless MLX_TS_CPU_BACKEND picks another', async () => {
  // a fresh import of the package, as a program sees it
  vi.resetModules();
  const fresh = (await import('../src/index.js')) as typeof mx;
  expect(fresh.cpuBackendName()).toBe(process.env.MLX_TS_CPU_BACKEND ?? 'wasm');
  expect(fresh.listBackends()).toEqual(expect.arrayContaining(['reference', 'wasm']));
});
