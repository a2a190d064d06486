// DLPack as a JS protocol: export (__dlpack__, __dlpack_device__) and import (mx.fromDlpack).
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active, collectGarbage, cpuName, onWasm, shareable } from '../util/memory.js';

// The suite runs on the default CPU backend (wasm) and with MLX_TS_CPU_BACKEND=reference.


/** Byte offset of an array's first element in its buffer (0 on the reference backend, its address on WASM). */
const base = (a: mx.MxArray): number => a.toTypedArray({ copy: false }).byteOffset;

/** The BufferError the WASM backend throws for zero-copy imports of memory outside its own. */
const cantAdopt = /cannot share this memory: the 'wasm' backend keeps arrays in its own WebAssembly memory and can't adopt external memory.*mx\.setCpuBackend\('reference'\).*copy/;


/** A foreign producer over a TypedArray, as another JS library would write one. */
function producer(data: ArrayBufferView, shape: number[], strides: number[] | null, dtype: { code: number; bits: number }, flags = 0) {
  const log: string[] = [];
  return {
    log,
    __dlpack_device__: () => [1, 0] as const,
    __dlpack__: (opts?: mx.DLPackExportOptions) => {
      log.push(`export copy=${String(opts?.copy)} maxVersion=${JSON.stringify(opts?.maxVersion)}`);
      return {
        version: { major: 1, minor: 0 },
        flags,
        dlTensor: {
          data: data.buffer,
          byteOffset: data.byteOffset,
          device: { deviceType: 1, deviceId: 0 },
          ndim: shape.length,
          dtype: { ...dtype, lanes: 1 },
          shape,
          strides,
        },
        deleter: () => log.push('deleted'),
      };
    },
  };
}

describe('__dlpack__ / __dlpack_device__', () => {
  it('describes the array with the spec enum values', () => {
    const a = mx.arange(6, mx.float32).reshape(2, 3);
    expect(a.__dlpack_device__()).toEqual([1, 0]);
    const c = a.__dlpack__();
    expect(c.version).toEqual({ major: 1, minor: 1 });
    expect(c.flags).toBe(0);
    const t = c.dlTensor;
    // WASM: the memory's SharedArrayBuffer at the array's address; reference: its own buffer
    expect(t.data).toBeInstanceOf(onWasm ? SharedArrayBuffer : ArrayBuffer);
    expect(t.data).toBe(a.toTypedArray({ copy: false }).buffer);
    expect(t.byteOffset).toBe(base(a));
    if (!onWasm) expect(t.byteOffset).toBe(0);
    expect(t.device).toEqual({ deviceType: 1, deviceId: 0 });
    expect(t.ndim).toBe(2);
    expect(t.dtype).toEqual({ code: 2, bits: 32, lanes: 1 });
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(Array.from(new Float32Array(t.data, t.byteOffset, 6))).toEqual([0, 1, 2, 3, 4, 5]);
    c.deleter();
  });

  it('maps every dtype to its DLPack code and bits', () => {
    const expected: [mx.Dtype, number, number][] = [
      [mx.bool, 6, 8], [mx.uint8, 1, 8], [mx.uint16, 1, 16], [mx.uint32, 1, 32], [mx.uint64, 1, 64],
      [mx.int8, 0, 8], [mx.int16, 0, 16], [mx.int32, 0, 32], [mx.int64, 0, 64],
      [mx.float16, 2, 16], [mx.float32, 2, 32], [mx.float64, 2, 64], [mx.bfloat16, 4, 16], [mx.complex64, 5, 64],
    ];
    for (const [d, code, bits] of expected) {
      const c = mx.array([1, 0], d).__dlpack__();
      expect(c.dlTensor.dtype).toEqual({ code, bits, lanes: 1 });
      c.deleter();
    }
  });

  it('bfloat16 exports and round-trips', () => {
    const a = mx.array([1.5, -2], mx.bfloat16);
    const c = a.__dlpack__();
    expect(Array.from(new Uint16Array(c.dlTensor.data, c.dlTensor.byteOffset, 2))).toEqual([0x3fc0, 0xc000]);
    const b = mx.fromDlpack(c);
    expect(b.dtype).toBe(mx.bfloat16);
    expect(b.tolist()).toEqual([1.5, -2]);
  });

  it('strided, reversed and broadcast views export without copying', () => {
    const a = mx.arange(12, mx.int32).reshape(3, 4);
    const t = a.T.__dlpack__().dlTensor;
    expect(t.shape).toEqual([4, 3]);
    expect(t.strides).toEqual([1, 4]);
    const s = a.index(mx.Slice(1), mx.Slice(null, null, 2)).__dlpack__().dlTensor;
    expect(s.byteOffset - base(a)).toBe(16);
    expect(s.strides).toEqual([4, 2]);
    const r = a.index(0, mx.Slice(null, null, -1)).__dlpack__().dlTensor;
    expect(r.strides).toEqual([-1]);
    expect(r.byteOffset - base(a)).toBe(12);
    const bc = mx.broadcastTo(mx.array([7, 8]), [3, 2]).__dlpack__().dlTensor;
    expect(bc.strides).toEqual([0, 1]);
    // same memory: a write through the capsule shows in the array
    new Int32Array(t.data, t.byteOffset, 12)[5] = 50;
    expect(a.index(1, 1).item()).toBe(50);
  });

  it('copy: true exports a fresh contiguous copy flagged IS_COPIED', () => {
    const a = mx.arange(6, mx.int32).reshape(2, 3).T;
    const c = a.__dlpack__({ copy: true });
    expect(c.flags).toBe(mx.DLPackFlags.IS_COPIED);
    expect(c.dlTensor.strides).toEqual([2, 1]);
    const v = new Int32Array(c.dlTensor.data, c.dlTensor.byteOffset, 6);
    expect(Array.from(v)).toEqual([0, 3, 1, 4, 2, 5]);
    v[0] = 99;
    expect(a.index(0, 0).item()).toBe(0);
  });

  it('validates its options', () => {
    const a = mx.arange(2);
    expect(() => a.__dlpack__({ stream: 1 })).toThrow(/stream must be undefined or null/);
    expect(() => a.__dlpack__({ maxVersion: { major: 0, minor: 8 } })).toThrow(mx.BufferError);
    expect(a.__dlpack__({ maxVersion: [1, 0], dlDevice: [1, 0], stream: null }).dlTensor.shape).toEqual([2]);
    expect(() => a.__dlpack__({ dlDevice: [2, 0] })).toThrow(/not supported/);
    expect(() => a.__dlpack__({ copy: 1 as unknown as boolean })).toThrow(/copy must be/);
  });

  it('a capsule pins memory until deleter() or collection', async () => {
    await collectGarbage();
    const before = active();
    let a: mx.MxArray | null = mx.array(new Float32Array(500));
    const c = a.__dlpack__();
    mx.dispose(a);
    a = null;
    await collectGarbage();
    expect(active() - before).toBe(2000);
    c.deleter();
    expect(active()).toBe(before);
    c.deleter(); // idempotent
    expect(active()).toBe(before);

    let b: mx.MxArray | null = mx.array(new Float32Array(500));
    let c2: mx.DLPackCapsule | null = b.__dlpack__();
    mx.dispose(b);
    b = null;
    expect(active() - before).toBe(2000);
    expect(c2.dlTensor.shape).toEqual([500]);
    c2 = null;
    await collectGarbage();
    expect(active()).toBe(before);
  });
});

describe('mx.fromDlpack', () => {
  it('imports an mx array (producer) sharing memory, strided layouts included', () => {
    const a = mx.arange(6, mx.int32).reshape(2, 3);
    const b = mx.fromDlpack(a.T);
    expect(b.shape).toEqual([3, 2]);
    expect(b.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    const view = a.toTypedArray({ copy: false }) as Int32Array;
    view[1] = 10;
    expect(b.index(1, 0).item()).toBe(10);
    const copied = mx.fromDlpack(a, { copy: true });
    view[0] = -1;
    expect(copied.index(0, 0).item()).toBe(0);
    expect(b.index(0, 0).item()).toBe(-1);
  });

  it('consumes a capsule once', () => {
    const c = mx.arange(3).__dlpack__();
    expect(mx.fromDlpack(c).tolist()).toEqual([0, 1, 2]);
    expect(() => mx.fromDlpack(c)).toThrow(/already consumed/);
    const deleted = mx.arange(3).__dlpack__();
    deleted.deleter();
    expect(() => mx.fromDlpack(deleted)).toThrow(/already consumed \(or deleted\)/);
  });

  it('imports a foreign producer zero-copy and runs its deleter when the array goes', async () => {
    if (onWasm) {
      // memory outside the WASM backend's: copied, and the producer let go at once
      const foreign = new Float64Array([1, 2]);
      const q = producer(foreign, [2], [1], { code: 2, bits: 64 });
      const copied = mx.fromDlpack(q);
      expect(q.log).toEqual(['export copy=undefined maxVersion={"major":1,"minor":1}', 'deleted']);
      foreign[0] = 9;
      expect(copied.tolist()).toEqual([1, 2]);
      const r = producer(foreign, [2], [1], { code: 2, bits: 64 });
      expect(() => mx.fromDlpack(r, { copy: false })).toThrow(cantAdopt);
      expect(r.log).toContain('deleted');
    }
    const data = shareable(new Float64Array([1, 2, 3, 4, 5, 6]), mx.float64);
    const p = producer(data, [2, 3], [3, 1], { code: 2, bits: 64 });
    let a: mx.MxArray | null = mx.fromDlpack(p);
    expect(p.log).toEqual(['export copy=undefined maxVersion={"major":1,"minor":1}']);
    expect(a.dtype).toBe(mx.float64);
    data[4] = 50;
    expect(a.tolist()).toEqual([[1, 2, 3], [4, 50, 6]]);
    expect(p.log).not.toContain('deleted');
    mx.dispose(a);
    a = null;
    expect(p.log).toContain('deleted');
  });

  it('imports strided, negative-stride and broadcast foreign layouts within their buffer', () => {
    const data = shareable(new Int16Array([0, 1, 2, 3, 4, 5]), mx.int16);
    // reversed: element 0 is the last one
    const r = mx.fromDlpack(producer(data.subarray(5), [6], [-1], { code: 0, bits: 16 }));
    expect(r.tolist()).toEqual([5, 4, 3, 2, 1, 0]);
    const bc = mx.fromDlpack(producer(data.subarray(1, 3), [3, 2], [0, 1], { code: 0, bits: 16 }));
    expect(bc.tolist()).toEqual([[1, 2], [1, 2], [1, 2]]);
    data[1] = -1;
    expect(bc.index(2, 0).item()).toBe(-1);
    expect(r.index(4).item()).toBe(-1);
    // legacy producers give no strides: row-major
    const legacy = mx.fromDlpack(producer(data, [2, 3], null, { code: 0, bits: 16 }));
    expect(legacy.tolist()).toEqual([[0, -1, 2], [3, 4, 5]]);
  });

  it('never reads outside the buffer', () => {
    const data = new Float32Array(4);
    expect(() => mx.fromDlpack(producer(data, [5], [1], { code: 2, bits: 32 }))).toThrow(RangeError);
    expect(() => mx.fromDlpack(producer(data.subarray(1), [2], [-2], { code: 2, bits: 32 }))).toThrow(/outside its buffer/);
  });

  it('copy: true copies (asking the producer for one), copy: false shares or throws', () => {
    const data = new Int32Array([1, 2]);
    const p = producer(data, [2], [1], { code: 0, bits: 32 });
    const a = mx.fromDlpack(p, { copy: true });
    data[0] = 9;
    expect(a.tolist()).toEqual([1, 2]);
    expect(p.log).toEqual(['export copy=true maxVersion={"major":1,"minor":1}', 'deleted']);
    const ro = producer(data, [2], [1], { code: 0, bits: 32 }, mx.DLPackFlags.READ_ONLY);
    expect(() => mx.fromDlpack(ro, { copy: false })).toThrow(/read-only/);
    expect(ro.log).toContain('deleted'); // a failed import still lets go
    const roCopy = mx.fromDlpack(producer(data, [2], [1], { code: 0, bits: 32 }, mx.DLPackFlags.READ_ONLY));
    data[1] = 0;
    expect(roCopy.tolist()).toEqual([9, 2]); // read-only memory is copied, never shared
    if (onWasm) expect(() => mx.fromDlpack(producer(data, [2], [1], { code: 0, bits: 32 }), { copy: false })).toThrow(cantAdopt);
    else expect(mx.fromDlpack(producer(data, [2], [1], { code: 0, bits: 32 }), { copy: false }).tolist()).toEqual([9, 0]);
    const viewed = shareable(new Int32Array([3, 4]), mx.int32); // memory the backend can share
    const sharedA = mx.fromDlpack(producer(viewed, [2], [1], { code: 0, bits: 32 }), { copy: false });
    viewed[0] = 30;
    expect(sharedA.tolist()).toEqual([30, 4]);
    // a producer's copy is the consumer's to keep: shared even for copy: true
    const own = shareable(new Int32Array([5]), mx.int32);
    const copied = mx.fromDlpack(producer(own, [1], [1], { code: 0, bits: 32 }, mx.DLPackFlags.IS_COPIED), { copy: true });
    own[0] = 6;
    expect(copied.item()).toBe(6);
  });

  it('rejects what it cannot read, with clear errors', () => {
    const data = new Uint8Array(4);
    expect(() => mx.fromDlpack(producer(data, [4], [1], { code: 2, bits: 8 }))).toThrow(/code: 2, bits: 8.*no mlx dtype/);
    expect(() => mx.fromDlpack(producer(data, [4], [1], { code: 5, bits: 128 }))).toThrow(/no mlx dtype/);
    expect(() => mx.fromDlpack({} as mx.DLPackCapsule)).toThrow(/DLPack producer/);
    const gpu = {
      dlTensor: { data: data.buffer, byteOffset: 0, device: { deviceType: 2, deviceId: 0 }, ndim: 1, dtype: { code: 1, bits: 8, lanes: 1 }, shape: [4], strides: [1] },
      deleter: () => undefined,
    };
    expect(() => mx.fromDlpack(gpu)).toThrow(/only CPU/);
    const badVersion = { ...producer(data, [4], [1], { code: 1, bits: 8 }).__dlpack__(), version: { major: 2, minor: 0 } };
    expect(() => mx.fromDlpack(badVersion)).toThrow(/DLPack 2\.0/);
    const lanes = producer(data, [2], [1], { code: 1, bits: 8 }).__dlpack__();
    expect(() => mx.fromDlpack({ ...lanes, dlTensor: { ...lanes.dlTensor, dtype: { code: 1, bits: 8, lanes: 2 } } })).toThrow(/lanes: 2/);
    const notBuffer = producer(data, [4], [1], { code: 1, bits: 8 }).__dlpack__();
    expect(() => mx.fromDlpack({ ...notBuffer, dlTensor: { ...notBuffer.dlTensor, data: [1, 2] as unknown as ArrayBuffer } })).toThrow(/ArrayBuffer or SharedArrayBuffer/);
  });

  it('shares SharedArrayBuffer memory too (on WASM: its own memory is one; another is copied)', () => {
    const data = new Float32Array(new SharedArrayBuffer(8));
    const a = mx.fromDlpack(producer(data, [2], [1], { code: 2, bits: 32 }));
    data[1] = 3;
    expect(a.tolist()).toEqual(onWasm ? [0, 0] : [0, 3]);
    if (onWasm) {
      expect(() => mx.fromDlpack(producer(data, [2], [1], { code: 2, bits: 32 }), { copy: false })).toThrow(cantAdopt);
      const own = shareable(new Float32Array(2), mx.float32);
      expect(own.buffer).toBeInstanceOf(SharedArrayBuffer);
      const b = mx.fromDlpack(producer(own, [2], [1], { code: 2, bits: 32 }), { copy: false });
      own[1] = 3;
      expect(b.tolist()).toEqual([0, 3]);
    }
  });

  it('mx.array(producer) always copies, with an optional dtype', () => {
    const data = new Float64Array([0.5, 1.5]);
    const p = producer(data, [2], [1], { code: 2, bits: 64 });
    const a = mx.array(p);
    expect(a.dtype).toBe(mx.float64);
    const b = mx.array(p, mx.int32);
    expect(b.dtype).toBe(mx.int32);
    data[0] = 7;
    expect(a.tolist()).toEqual([0.5, 1.5]);
    expect(b.tolist()).toEqual([0, 1]);
    const c = mx.array({ __dlpack__: (o?: mx.DLPackExportOptions) => mx.arange(3).__dlpack__(o) });
    expect(c.tolist()).toEqual([0, 1, 2]);
    // asarray shares a producer's memory (memory the backend can share; on WASM its own)
    const own = shareable(new Float64Array([7, 1.5]), mx.float64);
    const shared = mx.asarray(producer(own, [2], [1], { code: 2, bits: 64 }));
    own[1] = 8;
    expect(shared.tolist()).toEqual([7, 8]);
    const other = mx.asarray(producer(data, [2], [1], { code: 2, bits: 64 }));
    data[1] = 9;
    expect(other.tolist()).toEqual(onWasm ? [7, 1.5] : [7, 9]); // WASM copies memory outside its own
  });
});
