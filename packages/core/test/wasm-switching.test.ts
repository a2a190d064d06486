// Switching the CPU backend at run time: arrays made on one backend are used by the other
// (the eval layer moves them), results agree, and the env var picks the backend at startup.
import { test, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { getBackendByName, cpuBackend } from '../src/device.js';
import { WasmBackend, wasmPrimitives } from '../src/backend/wasm/index.js';
import { definePrimitive, Primitive } from '../src/primitive.js';
import { makeArray } from '../src/array.js';
import { registerKernel, elements } from '../src/backend/reference/registry.js';
import { Scan } from '../src/primitives/scan.js';
import { registerBackend } from '../src/device.js';
import { compareBackends, materialize, type ArraySpec } from '@mlx-ts/core/testing';

const storageBackend = (a: mx.MxArray): string => a._data!.storage.backend.name;

test('the wasm backend is registered and is the default; MLX_TS_CPU_BACKEND overrides it', () => {
  expect(mx.listBackends()).toEqual(expect.arrayContaining(['reference', 'wasm']));
  expect(cpuBackend().name).toBe(process.env.MLX_TS_CPU_BACKEND ?? 'wasm');
  expect(mx.cpuBackendName()).toBe(cpuBackend().name);
});

test('arrays move both ways between reference and wasm', () => {
  const start = cpuBackend().name;
  try {
    mx.setCpuBackend('reference');
    const a = mx.reshape(mx.arange(0, 12, 1, mx.float32), [3, 4]);
    const at = mx.transpose(a); // a strided view on the reference backend
    mx.eval(a, at);
    expect(storageBackend(a)).toBe('reference');

    mx.setCpuBackend('wasm');
    const b = mx.add(at, 1);
    mx.eval(b);
    expect(storageBackend(b)).toBe('wasm');
    expect(b.tolist()).toEqual([[1, 5, 9], [2, 6, 10], [3, 7, 11], [4, 8, 12]]);

    mx.setCpuBackend('reference');
    const c = mx.matmul(b, a); // b lives on wasm, a moved to wasm earlier or still reference
    mx.eval(c);
    expect(storageBackend(c)).toBe('reference');
    expect(c.shape).toEqual([4, 4]);
    mx.setCpuBackend('wasm');
    const d = mx.matmul(b, a);
    expect(d.tolist()).toEqual(c.tolist());
  } finally {
    mx.setCpuBackend(start);
  }
});

test('primitives without a WASM kernel run the reference kernel on wasm memory', () => {
  const start = cpuBackend().name;
  const wasm = getBackendByName('wasm') as WasmBackend;
  // A test-only primitive with a reference kernel and no WASM adapter (built-in primitives may
  // all have one by now): the backend must run the reference kernel on its own memory.
  const Iota = definePrimitive<{ scale: number }>({ name: 'TestOnlyIota' });
  registerKernel('TestOnlyIota', (prim, _inputs, [out]) => {
    const v = elements(out!) as Float32Array;
    for (let i = 0; i < out!.shape[0]!; i++) v[out!.offset + i] = i * (prim.params as { scale: number }).scale;
  });
  try {
    mx.setCpuBackend('wasm');
    wasm.resetKernelStats();
    const s = makeArray([3], mx.float32, new Primitive(Iota, { scale: 2 }), []);
    expect(s.tolist()).toEqual([0, 2, 4]);
    expect(storageBackend(s)).toBe('wasm');
    expect(wasmPrimitives()).not.toContain('TestOnlyIota');
    expect(wasm.kernelStats().TestOnlyIota).toEqual({ wasm: 0, fallback: 1 });
    // an adapter that declines (a logaddexp scan of int32, which the ops never build: they cast
    // to float32 first) falls back the same way
    const x = mx.array([1, 2, 3], mx.int32);
    const y = makeArray([3], mx.int32, new Primitive(Scan, { type: 'logaddexp', axis: 0, reverse: false, inclusive: true }), [x]);
    mx.eval(y);
    expect(storageBackend(y)).toBe('wasm');
    expect(wasm.kernelStats().Scan?.fallback).toBe(1);
  } finally {
    mx.setCpuBackend(start);
  }
});

test('setCpuBackend errors name the registered backends', () => {
  expect(() => mx.setCpuBackend('nope')).toThrow(/registered: .*reference.*wasm/);
});

test('a backend over plain (non-shared) memory computes the same, through growth', () => {
  registerBackend(new WasmBackend({ name: 'wasm-plain', shared: false, initialBytes: 65536 }));
  const plain = getBackendByName('wasm-plain') as WasmBackend;
  expect(plain.heap.shared).toBe(false);
  const a: ArraySpec = { dtype: mx.float32, baseShape: [40, 50], units: Array.from({ length: 2000 }, (_, i) => Math.sin(i)), view: [] };
  const b: ArraySpec = { ...a, view: [{ kind: 'transpose', axes: [1, 0] }] };
  const backends = ['reference', 'wasm-plain'] as const;
  // float32 matmul and contiguous sums are within a stated bound of the reference (README),
  // and the same bits on plain and shared memory
  compareBackends((x, y) => mx.matmul(x, y), [a, b], { backends: ['wasm', 'wasm-plain'] });
  compareBackends((x) => mx.sum(mx.multiply(x, x), 1), [a], { backends: ['wasm', 'wasm-plain'] });
  compareBackends((x, y) => mx.matmul(x, y), [mx.astype(materialize(a), mx.float64), mx.astype(materialize(b), mx.float64)], { backends });
  compareBackends((x) => mx.astype(mx.maximum(x, 0.5), mx.float16), [b], { backends });
  compareBackends((x) => mx.exp(x), [a], { backends, ulp: 1 }); // float32 exp: within 1 ulp (README)
  compareBackends((x) => mx.exp(x), [a], { backends: ['wasm', 'wasm-plain'] });
  expect(plain.heapStats().memoryBytes).toBeGreaterThan(65536); // it grew on the way
});

test('init() compiles the kernels asynchronously (for browsers main threads)', async () => {
  const b = new WasmBackend({ name: 'wasm-async' });
  await b.init();
  await b.init(); // idempotent
  const s = b.allocate(8);
  expect(b.hostBytes(s).byteLength).toBe(8);
  b.release(s);
});
