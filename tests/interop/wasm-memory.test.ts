// Interop over the WASM backend's linear memory, on a backend of its own (so that its memory
// starts small and grows when the tests say so): views over the SharedArrayBuffer survive
// growth, pins keep blocks from reuse (dispose and GC), adopt shares by address, another
// backend never keeps a view of this memory without a lifetime, and a plain (non-shared)
// memory never hands out a view that growth would kill. Runs the same in both suite runs.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-common';
import ndarray from 'ndarray';
import * as mx from '@mlx-ts/core';
import { collectGarbage } from '../util/memory.js';
import { getBackendByName, registerBackend } from '../../packages/core/src/device.js';
import { WasmBackend } from '../../packages/core/src/backend/wasm/index.js';

registerBackend(new WasmBackend({ name: 'wasm-views', initialBytes: 65536 }));
registerBackend(new WasmBackend({ name: 'wasm-views-plain', initialBytes: 65536, shared: false }));
const shared = getBackendByName('wasm-views') as WasmBackend;
const plain = getBackendByName('wasm-views-plain') as WasmBackend;


let start = '';
beforeEach(() => {
  start = mx.cpuBackendName();
  mx.setCpuBackend('wasm-views');
});
afterEach(() => mx.setCpuBackend(start));

/** Grows the backend's memory past its current size; returns the sizes before and after. */
function forceGrowth(b: WasmBackend): [number, number] {
  const before = b.heapStats().memoryBytes;
  const big = mx.zeros([before / 4 + 1024], mx.float32); // more than the whole memory
  mx.eval(big);
  const after = b.heapStats().memoryBytes;
  mx.dispose(big);
  return [before, after];
}

describe('views over the shared memory', () => {
  it('toTypedArray({ copy: false }) is a view of the SharedArrayBuffer at the array\'s address', () => {
    const a = mx.arange(8, mx.float32);
    const v = a.toTypedArray({ copy: false }) as Float32Array;
    expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(v.buffer).toBe(shared.heap.memory.buffer);
    expect(v.byteOffset).toBe((a._data!.storage as unknown as { ptr: number }).ptr);
    expect(v.byteOffset % 16).toBe(0);
    expect(Array.from(v)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const c = a.index(mx.Slice(2)).__dlpack__();
    expect(c.dlTensor.data).toBe(v.buffer); // DLPack: the memory's SharedArrayBuffer
    expect(c.dlTensor.byteOffset).toBe(v.byteOffset + 8);
    c.deleter();
  });

  it('stays valid, aliasing both ways, when the memory grows after it was taken', () => {
    const a = mx.arange(1000, mx.float32);
    const v = a.toTypedArray({ copy: false }) as Float32Array;
    const capsule = a.__dlpack__();
    const oldBuffer = v.buffer;
    const [before, after] = forceGrowth(shared);
    expect(after).toBeGreaterThan(before);
    expect(shared.heap.memory.buffer).not.toBe(oldBuffer); // a new SharedArrayBuffer object...
    expect(oldBuffer.byteLength).toBe(before); // ...while the old one keeps its length, not detached
    expect(v.length).toBe(1000);
    expect(v[999]).toBe(999);
    v[3] = -1; // view -> array, after growth
    expect(a.index(3).item()).toBe(-1);
    mx.eval(mx.multiply(a, 0)); // unrelated work
    a.toTypedArray({ copy: false })[4] = -2; // a fresh view (over the new buffer) -> the old one
    expect(v[4]).toBe(-2);
    expect(mx.sum(a).item()).toBe(499500 - 3 - 1 - 4 - 2);
    // buffers from before the growth are still known as this memory: shared, not copied
    const b = mx.asarray(v, { copy: false });
    v[0] = 42;
    expect(b.index(0).item()).toBe(42);
    const fromCapsule = mx.fromDlpack(capsule, { copy: false });
    expect(fromCapsule.index(0).item()).toBe(42);
  });

  it('a view pins its block: after dispose the heap hands it out to no one until the view goes', async () => {
    await collectGarbage();
    let a: mx.MxArray | null = mx.array(new Float32Array(256).fill(7)); // (no temporaries to collect)
    let v: Float32Array | null = a.toTypedArray({ copy: false }) as Float32Array;
    const ptr = v.byteOffset;
    const free0 = shared.heapStats().freeBytes;
    mx.dispose(a);
    a = null;
    await collectGarbage();
    expect(shared.heapStats().freeBytes).toBe(free0); // not on a free list
    // the same size class, many times: none gets the pinned block, none writes into it
    const others = Array.from({ length: 20 }, (_, i) => mx.full([256], i, mx.float32));
    mx.eval(others);
    for (const o of others) expect(o.toTypedArray({ copy: false }).byteOffset).not.toBe(ptr);
    expect(v.every((x) => x === 7)).toBe(true);
    mx.dispose(others);
    v[0] = 1; // still writable
    v = null;
    await collectGarbage();
    // unpinned: the block is free again, and the next allocation of its class reuses it
    const reused = Array.from({ length: 21 }, () => mx.zeros([256], mx.float32));
    mx.eval(reused);
    expect(reused.map((r) => r.toTypedArray({ copy: false }).byteOffset)).toContain(ptr);
    mx.dispose(reused);
  });

  it('a view pins its block when the array is garbage-collected (no dispose), and so does a capsule', async () => {
    await collectGarbage();
    const make = () => {
      const a = mx.array(new Int32Array(64).fill(3));
      return a.toTypedArray({ copy: false }) as Int32Array;
    };
    let v: Int32Array | null = make();
    const ptr = v.byteOffset;
    const active0 = shared.memory().active;
    await collectGarbage(); // the array is gone; the view is not
    expect(shared.memory().active).toBe(active0);
    const others = Array.from({ length: 20 }, () => mx.full([64], -1n, mx.int32));
    mx.eval(others);
    for (const o of others) expect(o.toTypedArray({ copy: false }).byteOffset).not.toBe(ptr);
    expect(Array.from(v)).toEqual(new Array(64).fill(3));
    mx.dispose(others);
    v = null;
    await collectGarbage();
    expect(shared.memory().active).toBe(active0 - 256);

    let c: mx.DLPackCapsule | null = mx.full([64], 5n, mx.int32).__dlpack__();
    const cptr = c.dlTensor.byteOffset;
    await collectGarbage();
    const more = Array.from({ length: 20 }, () => mx.full([64], -1n, mx.int32));
    mx.eval(more);
    for (const o of more) expect(o.toTypedArray({ copy: false }).byteOffset).not.toBe(cptr);
    expect(Array.from(new Int32Array(c.dlTensor.data, cptr, 64))).toEqual(new Array(64).fill(5));
    mx.dispose(more);
    c.deleter();
    c = null;
  });
});

describe('adopt: sharing the backend\'s own memory by address', () => {
  it('shares views, slices and subarrays of its arrays, keeping the block alive', async () => {
    await collectGarbage();
    let a: mx.MxArray | null = mx.arange(16, mx.int32);
    const v = a.toTypedArray({ copy: false }) as Int32Array;
    const b = mx.asarray(v.subarray(4, 12), { copy: false });
    const activeWithA = shared.memory().active;
    expect(b.tolist()).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(b.toTypedArray({ copy: false }).byteOffset).toBe(v.byteOffset + 16);
    mx.dispose(a);
    a = null;
    await collectGarbage();
    expect(shared.memory().active).toBe(activeWithA); // b holds a's block; no bytes counted twice
    const others = Array.from({ length: 10 }, () => mx.zeros([16], mx.int32));
    mx.eval(others);
    for (const o of others) expect(o.toTypedArray({ copy: false }).byteOffset).not.toBe(v.byteOffset);
    mx.dispose(others);
    expect(mx.add(b, 100).tolist()).toEqual([104, 105, 106, 107, 108, 109, 110, 111]); // WASM kernels on adopted storage
    v[5] = -5;
    expect(b.index(1).item()).toBe(-5);
  });

  it('refuses memory outside its blocks: other buffers, freed blocks, regions across two arrays', async () => {
    const foreign = new Float32Array(4);
    expect(() => mx.asarray(foreign, { copy: false })).toThrow(
      /\[asarray\] cannot share this memory: the 'wasm-views' backend keeps arrays in its own WebAssembly memory and can't adopt external memory \(a ArrayBuffer outside it\); use mx\.setCpuBackend\('reference'\) to share it, or let it be copied\. Pass copy: true/,
    );
    expect(mx.asarray(foreign).tolist()).toEqual([0, 0, 0, 0]); // copy undefined: copied
    // other WASM backends' memories
    const otherMemory = plain.allocate(16);
    const otherBytes = plain.hostBytes(otherMemory);
    expect(() => mx.asarray(new Float32Array(otherBytes.buffer, otherBytes.byteOffset, 4), { copy: false })).toThrow(
      /it is the 'wasm-views-plain' backend's non-shared WebAssembly memory, whose ArrayBuffer detaches when the memory grows/,
    );
    plain.release(otherMemory);
    const w = getBackendByName('wasm') as WasmBackend;
    const wStorage = w.allocate(16);
    const wBytes = w.hostBytes(wStorage);
    expect(() => mx.asarray(new Float32Array(wBytes.buffer, wBytes.byteOffset, 4), { copy: false })).toThrow(
      /it is the 'wasm' backend's WebAssembly memory, whose blocks that backend reuses/,
    );
    const wCapsule: mx.DLPackCapsule = {
      dlTensor: {
        data: wBytes.buffer, byteOffset: wBytes.byteOffset, device: { deviceType: 1, deviceId: 0 }, ndim: 1,
        dtype: { code: 2, bits: 32, lanes: 1 }, shape: [4], strides: [1],
      },
      deleter: () => undefined,
    };
    expect(() => mx.fromDlpack(wCapsule, { copy: false })).toThrow(
      /the 'wasm-views' backend keeps arrays in its own WebAssembly memory and can't adopt external memory \(this is the 'wasm' backend's WebAssembly memory\)/,
    );
    w.release(wStorage);
    // two neighbouring arrays: a region across both is no one block
    const x = mx.zeros([4], mx.float32);
    const y = mx.zeros([4], mx.float32);
    mx.eval(x, y);
    const vx = x.toTypedArray({ copy: false });
    const vy = y.toTypedArray({ copy: false });
    const lo = Math.min(vx.byteOffset, vy.byteOffset);
    const across = new Float32Array(vx.buffer, lo, (Math.abs(vy.byteOffset - vx.byteOffset) + 16) / 4);
    expect(() => mx.asarray(across, { copy: false })).toThrow(/straddle the end of an array's block/);
    expect(mx.asarray(across).shape).toEqual([across.length]); // copied
    // a freed block
    await collectGarbage();
    const gone = (() => {
      const g = mx.ones([8], mx.float32);
      mx.eval(g);
      const p = g.toTypedArray({ copy: false }).byteOffset;
      mx.dispose(g);
      return p;
    })();
    await collectGarbage();
    expect(() => mx.asarray(new Float32Array(shared.heap.memory.buffer, gone, 8), { copy: false })).toThrow(
      /are not in a block in use \(freed, or never handed out by its heap\)/,
    );
  });

  it('a block handed out again belongs to its new storage, among many live ones; not while it is free', () => {
    // the backend's table of live blocks keeps an entry per address and reuses it (index.ts, `live`)
    const keep = Array.from({ length: 3000 }, () => shared.allocate(48));
    const first = shared.allocate(40);
    const at = shared.hostBytes(first);
    const ptr = at.byteOffset;
    shared.release(first);
    const freed = new Uint8Array(shared.heap.memory.buffer, ptr, 40);
    expect(shared.adopt(freed)).toBeNull();
    expect(shared.whyNotAdopted(freed)).toMatch(/are not in a block in use/);
    for (let round = 0; round < 50; round++) {
      const again = shared.allocate(40); // the free list is LIFO: the same block each round
      expect(shared.hostBytes(again).byteOffset).toBe(ptr);
      const inside = new Uint8Array(shared.heap.memory.buffer, ptr + 8, 16);
      const adopted = shared.adopt(inside) as unknown as { parent: unknown } | null;
      expect(adopted?.parent).toBe(again);
      shared.release(adopted as never); // drops the one reference to `again`, which goes with it
      expect(again.released).toBe(true);
      expect(shared.adopt(freed)).toBeNull();
    }
    // a region that starts in a live block and runs past it still straddles
    const k0 = shared.hostBytes(keep[0]!);
    expect(shared.whyNotAdopted(new Uint8Array(k0.buffer, k0.byteOffset + 32, 32))).toMatch(/straddle the end of an array's block/);
    for (const s of keep) shared.release(s);
    expect(shared.adopt(new Uint8Array(k0.buffer, k0.byteOffset, 16))).toBeNull();
  });

  it('memory the heap handed out to someone else (C data) is shared under the DLPack deleter', () => {
    const block = shared.heap.alloc(64);
    new Float32Array(shared.heap.memory.buffer, block.ptr, 4).set([1, 2, 3, 4]);
    let deleted = 0;
    const capsule: mx.DLPackCapsule = {
      version: { major: 1, minor: 0 },
      flags: 0,
      dlTensor: {
        data: shared.heap.memory.buffer,
        byteOffset: block.ptr,
        device: { deviceType: 1, deviceId: 0 },
        ndim: 1,
        dtype: { code: 2, bits: 32, lanes: 1 },
        shape: [4],
        strides: [1],
      },
      deleter: () => {
        deleted++;
      },
    };
    const active0 = shared.memory().active;
    const a = mx.fromDlpack(capsule, { copy: false });
    expect(shared.memory().active - active0).toBe(16); // adopted bytes are accounted
    new Float32Array(shared.heap.memory.buffer, block.ptr, 4)[2] = 30;
    expect(a.tolist()).toEqual([1, 2, 30, 4]);
    expect(deleted).toBe(0);
    mx.dispose(a);
    expect(deleted).toBe(1);
    expect(shared.memory().active).toBe(active0);
    shared.heap.free(block.ptr, block.size);
  });

  it('another backend copies this memory, unless a DLPack deleter vouches for it', () => {
    const a = mx.arange(4, mx.float32);
    const v = a.toTypedArray({ copy: false }) as Float32Array;
    mx.setCpuBackend('reference');
    const copied = mx.asarray(v);
    v[0] = 10;
    expect(copied.tolist()).toEqual([0, 1, 2, 3]);
    expect(() => mx.asarray(v, { copy: false })).toThrow(
      /it is the 'wasm-views' backend's WebAssembly memory, whose blocks that backend reuses once its arrays and views are gone; an array of the 'reference' backend could outlive the block/,
    );
    // a capsule pins the block until its deleter, which runs when the reference array goes
    const viaCapsule = mx.fromDlpack(a.__dlpack__(), { copy: false });
    expect(viaCapsule._data!.storage.backend.name).toBe('reference');
    v[1] = 11;
    expect(viaCapsule.tolist()).toEqual([10, 11, 2, 3]);
  });
});

describe('a plain (non-shared) memory never hands out a view that growth would kill', () => {
  beforeEach(() => mx.setCpuBackend('wasm-views-plain'));

  it('copy: false throws BufferError saying why; copies and host-copy capsules work', () => {
    expect(plain.heap.shared).toBe(false);
    const a = mx.arange(6, mx.float32);
    mx.eval(a);
    const why = /cannot share this array's memory: the 'wasm-views-plain' backend's WebAssembly memory is not shared .*detached whenever the memory grows, so a view would silently go empty\. Pass copy: true/;
    expect(() => a.toTypedArray({ copy: false })).toThrow(mx.BufferError);
    expect(() => a.toTypedArray({ copy: false })).toThrow(why);
    expect(() => a.__dlpack__({ copy: false })).toThrow(why);
    expect(() => mx.toNdarray(a, ndarray, { copy: false })).toThrow(why);
    expect(() => mx.toOrtTensor(a, ort, { copy: false })).toThrow(why);
    expect(() => mx.toTfjs(a, tf, { copy: false })).toThrow(why);
    // copy undefined: copies, never views of the plain memory
    const t = a.toTypedArray() as Float32Array;
    expect(t.buffer).not.toBe(plain.heap.memory.buffer);
    expect(Array.from(t)).toEqual([0, 1, 2, 3, 4, 5]);
    const c = a.index(mx.Slice(null, null, 2)).__dlpack__();
    expect(c.flags).toBe(mx.DLPackFlags.IS_COPIED);
    expect(c.dlTensor.data).not.toBe(plain.heap.memory.buffer);
    expect(c.dlTensor.strides).toEqual([1]);
    expect(Array.from(new Float32Array(c.dlTensor.data, c.dlTensor.byteOffset, 3))).toEqual([0, 2, 4]);
    const nd = mx.toNdarray(a.reshape(2, 3).T, ndarray);
    expect((nd.data as Float32Array).buffer).not.toBe(plain.heap.memory.buffer);
    expect(nd.get(2, 1)).toBe(5);
    // what such a copy does survive: the memory growing
    forceGrowth(plain);
    expect(Array.from(t)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mx.fromDlpack(c).tolist()).toEqual([0, 2, 4]);
  });

  it('its own backend still adopts bytes of its memory by address (no view is kept)', () => {
    const a = mx.arange(4, mx.int32);
    mx.eval(a);
    const bytes = plain.hostBytes(a._data!.storage);
    const b = mx.asarray(new Int32Array(bytes.buffer, bytes.byteOffset, 4), { copy: false });
    forceGrowth(plain); // the ArrayBuffer above detaches; the adopted storage is by address
    expect(bytes.byteLength).toBe(0);
    plain.hostBytes(a._data!.storage).set([9, 0, 0, 0], 0);
    expect(b.tolist()).toEqual([9, 1, 2, 3]);
    // but no other backend keeps such memory, even with a deleter
    const fresh = plain.hostBytes(a._data!.storage);
    let deleted = 0;
    mx.setCpuBackend('reference');
    const capsule: mx.DLPackCapsule = {
      dlTensor: {
        data: fresh.buffer, byteOffset: fresh.byteOffset, device: { deviceType: 1, deviceId: 0 }, ndim: 1,
        dtype: { code: 0, bits: 32, lanes: 1 }, shape: [4], strides: [1],
      },
      deleter: () => {
        deleted++;
      },
    };
    expect(() => mx.fromDlpack(capsule, { copy: false })).toThrow(/non-shared WebAssembly memory, whose ArrayBuffer detaches when the memory grows/);
    expect(deleted).toBe(1);
  });
});
