// The WASM backend's memory manager: size classes, reuse of freed blocks, 16-byte alignment,
// growth that keeps earlier views valid (shared memory) or detaches them (plain memory: the
// backend never caches a view), live/peak accounting, and clear errors.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { WasmBackend, sizeClass } from '../src/backend/wasm/index.js';
import { runs } from './wasm-helpers.js';

describe('size classes', () => {
  test('16-byte multiples up to 128, then at most 25% waste', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (n) => {
        const c = sizeClass(n);
        expect(c).toBeGreaterThanOrEqual(n);
        expect(c % 16).toBe(0);
        if (n > 128) expect(c).toBeLessThanOrEqual(n * 1.25 + 16);
        expect(sizeClass(c)).toBe(c); // a class size is its own class
      }),
      { numRuns: runs(2000) },
    );
    expect(sizeClass(0)).toBe(0);
    expect([1, 16, 17, 129, 160, 161].map(sizeClass)).toEqual([16, 16, 32, 160, 160, 192]);
  });
});

describe('allocator', () => {
  test('blocks are 16-byte aligned, disjoint, and freed blocks are reused', () => {
    const b = new WasmBackend({ name: 'wasm-test-reuse' });
    const sizes = [1, 7, 16, 100, 1000, 4096, 33, 100000];
    const s = sizes.map((n) => b.allocate(n));
    const ptrs = s.map((x) => (x as unknown as { ptr: number }).ptr);
    ptrs.forEach((p) => expect(p % 16).toBe(0));
    const ranges = ptrs.map((p, i) => [p, p + sizeClass(sizes[i]!)] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    const top = b.heapStats().top;
    for (const x of s) b.release(x);
    expect(b.heapStats().usedBytes).toBe(0);
    // the same sizes again: every block comes from a free list, the heap doesn't move
    const again = sizes.map((n) => b.allocate(n));
    expect(b.heapStats().top).toBe(top);
    expect(new Set(again.map((x) => (x as unknown as { ptr: number }).ptr))).toEqual(new Set(ptrs));
  });

  test('random alloc/free sequences keep live blocks disjoint and their bytes intact', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 })), { maxLength: 80 }), (steps) => {
        const b = new WasmBackend({ name: 'wasm-test-random', initialBytes: 65536 });
        const live: { s: mx.Storage; tag: number }[] = [];
        let tag = 1;
        for (const [free, n] of steps) {
          if (free && live.length) {
            const { s } = live.splice(n % live.length, 1)[0]!;
            b.release(s);
          } else {
            const s = b.allocate(n);
            b.hostBytes(s).fill(tag & 255);
            live.push({ s, tag: tag++ & 255 });
          }
        }
        for (const { s, tag: t } of live) expect(b.hostBytes(s).every((v) => v === t)).toBe(true);
        expect(b.memory().active).toBe(live.reduce((n, { s }) => n + s.byteLength, 0));
      }),
      { numRuns: runs(150) },
    );
  });

  test('live and peak bytes; resetPeakMemory', () => {
    const b = new WasmBackend({ name: 'wasm-test-peak' });
    const x = b.allocate(1000);
    const y = b.allocate(3000);
    expect(b.memory()).toEqual({ active: 4000, peak: 4000 });
    b.release(y);
    expect(b.memory()).toEqual({ active: 1000, peak: 4000 });
    // MLX's rule: 0 until the next allocation, which sets it from the live bytes
    b.resetPeakMemory();
    expect(b.memory()).toEqual({ active: 1000, peak: 0 });
    const z = b.allocate(24);
    expect(b.memory()).toEqual({ active: 1024, peak: 1024 });
    b.release(z);
    b.release(x);
    expect(b.memory().active).toBe(0);
  });

  test('zero-byte storage needs no block', () => {
    const b = new WasmBackend({ name: 'wasm-test-zero' });
    const s = b.allocate(0);
    expect(b.hostBytes(s).byteLength).toBe(0);
    expect(b.heapStats().blocks).toBe(0);
    b.release(s);
  });
});

describe('growth', () => {
  test('shared memory: views taken before the memory grows stay valid', () => {
    const b = new WasmBackend({ name: 'wasm-test-grow', initialBytes: 65536 });
    expect(b.heap.shared).toBe(typeof SharedArrayBuffer !== 'undefined');
    const s = b.allocate(1024);
    const view = new Float32Array(b.hostBytes(s).buffer, b.hostBytes(s).byteOffset, 256);
    view.fill(3.5);
    const before = b.heapStats().memoryBytes;
    const big = b.allocate(8 << 20);
    expect(b.heapStats().memoryBytes).toBeGreaterThan(before);
    expect(view.length).toBe(256);
    expect(view.every((v) => v === 3.5)).toBe(true);
    view[0] = 7;
    expect(new Float32Array(b.hostBytes(s).buffer, b.hostBytes(s).byteOffset, 1)[0]).toBe(7);
    b.release(big);
    b.release(s);
  });

  test('plain memory (no SharedArrayBuffer): fresh views after growth see the same bytes', () => {
    const b = new WasmBackend({ name: 'wasm-test-plain', initialBytes: 65536, shared: false });
    expect(b.heap.shared).toBe(false);
    const s = b.allocate(64);
    b.hostBytes(s).fill(9);
    const old = b.hostBytes(s);
    b.allocate(4 << 20);
    expect(old.byteLength).toBe(0); // detached by the growth
    expect(b.hostBytes(s).every((v) => v === 9)).toBe(true);
  });

  test('arrays keep their values while later work grows the memory', () => {
    const start = mx.cpuBackendName();
    mx.setCpuBackend('wasm');
    try {
      const a = mx.arange(0, 1000, 1, mx.float32);
      mx.eval(a);
      const big = mx.zeros([4 << 20], mx.float32); // 16 MiB
      mx.eval(big);
      expect(mx.sum(a).item()).toBe(499500);
    } finally {
      mx.setCpuBackend(start);
    }
  });

  test('past the maximum: a clear error, and the heap stays usable', () => {
    const b = new WasmBackend({ name: 'wasm-test-max', initialBytes: 65536, maximumBytes: 1 << 20 });
    const s = b.allocate(1000);
    expect(() => b.allocate(2 << 20)).toThrow(/Unable to allocate 2097152 bytes/);
    expect(b.memory().active).toBe(1000);
    b.release(b.allocate(1000));
    b.release(s);
  });
});

describe('errors', () => {
  test('bad sizes, double release, release of foreign storage, reads after release', () => {
    const b = new WasmBackend({ name: 'wasm-test-errors' });
    expect(() => b.allocate(-1)).toThrow(/invalid byte length/);
    expect(() => b.allocate(1.5)).toThrow(/invalid byte length/);
    const s = b.allocate(16);
    b.release(s);
    expect(() => b.release(s)).toThrow(/released twice/);
    expect(() => b.hostBytes(s)).toThrow(/released storage/);
    const other = new WasmBackend({ name: 'wasm-test-other' });
    expect(() => other.release(b.allocate(8))).toThrow(/belongs to backend 'wasm-test-errors'/);
    expect(() => new WasmBackend({ name: 'x', initialBytes: 0 }).allocate(1)).toThrow(/initialBytes/);
  });

  test('disposed arrays give their blocks back to the heap', () => {
    const start = mx.cpuBackendName();
    mx.setCpuBackend('wasm');
    try {
      const before = mx.memory().wasm!.active;
      mx.tidy(() => {
        const x = mx.ones([1000], mx.float32);
        mx.eval(mx.multiply(x, 2));
      });
      expect(mx.memory().wasm!.active).toBe(before);
    } finally {
      mx.setCpuBackend(start);
    }
  });
});
