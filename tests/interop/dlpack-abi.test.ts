// DLPack's C ABI (mx.dlpack): C compiled to wasm32 at test time (tests/c/), loaded over the WASM
// backend's own memory, consumes tensors mlx-ts hands it by pointer and produces tensors
// mlx-ts adopts; every struct field is checked from both sides.
import { describe, it, expect, beforeAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import { buildC, findToolchain } from '../c/build.js';

const L = mx.dlpack.STRUCT_LAYOUT;
const toolchain = findToolchain();
if ('missing' in toolchain) {
  if (process.env.CI) throw new Error(`tests/interop/dlpack-abi.test.ts: ${toolchain.missing}; CI must install it.`);
  console.warn(`\n!!! SKIPPING the DLPack C ABI tests: ${toolchain.missing} !!!\n`);
}

interface Consumer {
  layout(i: number): number;
  seen_fields(): number;
  consume_sum(t: number, release: number): number;
  write_first(t: number, v: number): void;
}
interface Producer {
  produce(scale: number, flags: number): number;
  produce_version(major: number): number;
  restore_version(): void;
  set_element(i: number, j: number, v: number): void;
  deleted_flag(): number;
  last_deleted_tensor(): number;
  buffer_address(): number;
}

let backend: mx.WasmBackend;
let consumerModule: mx.dlpack.LoadedModule;
let producerModule: mx.dlpack.LoadedModule;
let consumer: Consumer;
let producer: Producer;
let heapTopBefore = 0;

const mem = () => backend.heap.memory.buffer;
const view = () => new DataView(mem());
const wasmActive = () => mx.memory().wasm!.active;
/** What the consumer recorded of the last tensor it read (see consumer.c `record`). */
function seen(ndim: number) {
  const s = Array.from(new BigInt64Array(mem(), consumer.seen_fields(), 2 + 2 * ndim + 8), Number);
  return {
    ndim: s[0],
    shape: s.slice(1, 1 + ndim),
    strides: s.slice(1 + ndim, 1 + 2 * ndim),
    byteOffset: s[1 + 2 * ndim],
    flags: s[2 + 2 * ndim],
    version: [s[3 + 2 * ndim], s[4 + 2 * ndim]],
    deviceType: s[5 + 2 * ndim],
    dtype: s.slice(6 + 2 * ndim, 9 + 2 * ndim),
  };
}
const deletedCount = () => new Int32Array(mem(), producer.deleted_flag(), 1)[0];

describe.skipIf('missing' in toolchain)('DLPack C ABI over the WASM backend memory', () => {
  beforeAll(() => {
    // This file's arrays live on the WASM backend (vitest runs each file in its own worker).
    mx.setCpuBackend('wasm');
    backend = mx.dlpack.backend();
    heapTopBefore = backend.heapStats().top;
    consumerModule = mx.dlpack.loadModule(buildC('consumer'));
    producerModule = mx.dlpack.loadModule(buildC('producer'));
    consumer = consumerModule.exports as unknown as Consumer;
    producer = producerModule.exports as unknown as Producer;
  });

  it('loads C side modules inside the backend heap, sharing its memory and one function table', () => {
    expect(mx.dlpack.backend()).toBe(backend);
    expect(backend.heap.memory).toBe(mx.dlpack.memory());
    // Data of both modules sits in heap blocks: below the heap's top, not overlapping.
    for (const m of [consumerModule, producerModule]) {
      expect(m.memorySize).toBeGreaterThan(0);
      expect(m.memoryBase).toBeGreaterThanOrEqual(backend.heap.base);
      expect(m.memoryBase + m.memorySize).toBeLessThanOrEqual(backend.heapStats().top);
    }
    expect(backend.heapStats().top).toBeGreaterThan(heapTopBefore);
    const [a, b] = [consumerModule, producerModule].sort((x, y) => x.memoryBase - y.memoryBase);
    expect(a!.memoryBase + a!.memorySize).toBeLessThanOrEqual(b!.memoryBase);
    // The producer's static buffer is inside its block (its data relocations were applied).
    const buf = producer.buffer_address();
    expect(buf).toBeGreaterThanOrEqual(producerModule.memoryBase);
    expect(buf).toBeLessThan(producerModule.memoryBase + producerModule.memorySize);
    // Table: slot 0 null, slot 1 mlx-ts's deleter, then the producer's function pointers.
    const table = mx.dlpack.table();
    expect(table.get(0)).toBeNull();
    expect(typeof table.get(1)).toBe('function');
    expect(producerModule.tableSize).toBe(1);
    expect(producerModule.tableBase).toBeGreaterThanOrEqual(2);
    expect(typeof table.get(producerModule.tableBase)).toBe('function');
    // Arrays made afterwards don't land in the modules' data.
    const x = mx.full([1000], 7, mx.float32);
    mx.eval(x);
    const p = mx.dlpack.toStruct(x);
    const at = view().getUint32(p + L.data, true);
    for (const m of [consumerModule, producerModule]) {
      expect(at + 4000 <= m.memoryBase || at >= m.memoryBase + m.memorySize).toBe(true);
    }
    expect(consumer.consume_sum(p, 1)).toBe(7000);
  });

  it('agrees with clang on the wasm32 layout of DLManagedTensorVersioned', () => {
    const ours = [L.size, L.managerCtx, L.deleter, L.flags, L.data, L.deviceType, L.ndim, L.dtypeCode, L.shape, L.strides, L.byteOffset];
    expect(ours.map((_, i) => consumer.layout(i))).toEqual([64, 8, 12, 16, 24, 28, 36, 40, 44, 48, 56]);
    expect(ours).toEqual([64, 8, 12, 16, 24, 28, 36, 40, 44, 48, 56]);
  });

  it('toStruct writes every field; C sums a contiguous tensor and calls the deleter', () => {
    const a = mx.reshape(mx.arange(12, mx.float32), [3, 4]);
    mx.eval(a);
    const live = mx.dlpack.liveStructs();
    const p = mx.dlpack.toStruct(a);
    expect(p % 8).toBe(0);
    expect(mx.dlpack.liveStructs()).toBe(live + 1);
    const v = view();
    expect([v.getUint32(p, true), v.getUint32(p + 4, true)]).toEqual([1, 1]);
    expect(v.getUint32(p + L.deleter, true)).toBe(1);
    expect(v.getUint32(p + L.managerCtx, true)).not.toBe(0);
    expect(v.getBigUint64(p + L.flags, true)).toBe(0n);
    expect([v.getInt32(p + L.deviceType, true), v.getInt32(p + L.deviceId, true), v.getInt32(p + L.ndim, true)]).toEqual([1, 0, 2]);
    expect([v.getUint8(p + L.dtypeCode), v.getUint8(p + L.dtypeBits), v.getUint16(p + L.dtypeLanes, true)]).toEqual([2, 32, 1]);
    const shape = v.getUint32(p + L.shape, true);
    const strides = v.getUint32(p + L.strides, true);
    expect([v.getBigInt64(shape, true), v.getBigInt64(shape + 8, true)]).toEqual([3n, 4n]);
    expect([v.getBigInt64(strides, true), v.getBigInt64(strides + 8, true)]).toEqual([4n, 1n]);
    const data = v.getUint32(p + L.data, true);
    expect(Array.from(new Float32Array(mem(), data + Number(v.getBigUint64(p + L.byteOffset, true)), 12))).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(consumer.consume_sum(p, 1)).toBe(66);
    expect(seen(2)).toEqual({ ndim: 2, shape: [3, 4], strides: [4, 1], byteOffset: 0, flags: 0, version: [1, 1], deviceType: 1, dtype: [2, 32, 1] });
    expect(mx.dlpack.liveStructs()).toBe(live);
  });

  it('C reads transposed, sliced (byte_offset) and reversed (negative strides) layouts as mx.sum does', () => {
    const base = mx.reshape(mx.arange(24, mx.float32), [4, 6]);
    const cases: [string, mx.MxArray, { shape: number[]; strides: number[]; byteOffset: number }][] = [
      ['transpose', mx.transpose(base), { shape: [6, 4], strides: [1, 6], byteOffset: 0 }],
      ['slice', base.index(mx.Slice(1, 3), mx.Slice(1, null, 2)), { shape: [2, 3], strides: [6, 2], byteOffset: 7 * 4 }],
      ['reversed', base.index(mx.Slice(null, null, -1), 2), { shape: [4], strides: [-6], byteOffset: 20 * 4 }],
      ['broadcast', mx.broadcastTo(mx.array([1, 2, 3], mx.float32), [5, 3]), { shape: [5, 3], strides: [0, 1], byteOffset: 0 }],
    ];
    for (const [name, x, want] of cases) {
      mx.eval(x);
      const p = mx.dlpack.toStruct(x);
      const expected = mx.sum(x).item() as number;
      expect(consumer.consume_sum(p, 1), name).toBe(expected);
      const s = seen(want.shape.length);
      expect({ shape: s.shape, strides: s.strides, byteOffset: s.byteOffset }, name).toEqual(want);
    }
    // The values are the array's, element by element: the sums differ when a stride is wrong.
    expect(mx.sum(cases[1]![1]).item()).toBe(7 + 9 + 11 + 13 + 15 + 17);
  });

  it('writes dtype codes of other dtypes and NULL data for empty arrays; the consumer deletes what it refuses', () => {
    const live = mx.dlpack.liveStructs();
    const cases: [mx.MxArray, number[]][] = [
      [mx.array([1, 2], mx.int32), [0, 32, 1]],
      [mx.array([1, 2], mx.uint8), [1, 8, 1]],
      [mx.array([true], mx.bool), [6, 8, 1]],
      [mx.array([1], mx.bfloat16), [4, 16, 1]],
      [mx.array([1], mx.float64), [2, 64, 1]],
    ];
    for (const [x, dtype] of cases) {
      mx.eval(x);
      const p = mx.dlpack.toStruct(x);
      const v = view();
      expect([v.getUint8(p + L.dtypeCode), v.getUint8(p + L.dtypeBits), v.getUint16(p + L.dtypeLanes, true)], String(x.dtype)).toEqual(dtype);
      expect(consumer.consume_sum(p, 1)).toBe(-3); // not float32: refused, and deleted all the same
    }
    const e = mx.zeros([2, 0, 3], mx.float32);
    mx.eval(e);
    const p = mx.dlpack.toStruct(e);
    expect(view().getUint32(p + L.data, true)).toBe(0);
    expect(consumer.consume_sum(p, 1)).toBe(0);
    expect(seen(3).shape).toEqual([2, 0, 3]);
    expect(mx.dlpack.liveStructs()).toBe(live);
  });

  it('the struct shares the array memory and pins it until C calls the deleter', () => {
    const a = mx.array([1, 2, 3, 4], mx.float32);
    mx.eval(a);
    const active = wasmActive();
    const p = mx.dlpack.toStruct(a);
    consumer.write_first(p, 100);
    expect(Array.from(a.toTypedArray() as Float32Array)).toEqual([100, 2, 3, 4]);
    mx.dispose(a); // the struct's pin keeps the bytes
    expect(wasmActive()).toBe(active);
    expect(consumer.consume_sum(p, 0)).toBe(109);
    expect(consumer.consume_sum(p, 1)).toBe(109); // reads, then deletes
    expect(wasmActive()).toBe(active - 16);
  });

  it('the deleter refuses a struct that was already deleted (or not made by toStruct)', () => {
    const a = mx.array([1, 2], mx.float32);
    mx.eval(a);
    const p = mx.dlpack.toStruct(a);
    const del = mx.dlpack.table().get(1) as (p: number) => void;
    del(p);
    expect(() => del(p)).toThrow(/not a live DLManagedTensorVersioned/);
    expect(view().getUint32(p + L.deleter, true)).toBe(0); // a stale struct has no deleter any more
    expect(() => del(producer.buffer_address())).toThrow(/not a live/);
  });

  it('toStruct explains that arrays must live in WebAssembly memory', () => {
    mx.setCpuBackend('reference');
    const a = mx.array([1, 2, 3], mx.float32);
    mx.eval(a);
    mx.setCpuBackend('wasm');
    expect(() => mx.dlpack.toStruct(a)).toThrow(mx.BufferError);
    expect(() => mx.dlpack.toStruct(a)).toThrow(/'reference' backend.*setCpuBackend\('wasm'\).*mx\.copy/);
    const b = mx.copy(a); // run on the WASM backend: its output is in WASM memory
    const p = mx.dlpack.toStruct(b);
    expect(consumer.consume_sum(p, 1)).toBe(6);
  });

  it('fromStruct adopts a C producer tensor in place (column-major, byte_offset) and deletes it when the last array goes', () => {
    const deleted = deletedCount();
    const p = producer.produce(0.5, 0);
    const a = mx.dlpack.fromStruct(p);
    expect(a.shape).toEqual([3, 4]);
    expect(a.dtype).toBe(mx.float32);
    const want = (extra = 0) => Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => 10 * i + j + 0.5 + extra));
    expect(a.tolist()).toEqual(want());
    expect(deletedCount()).toBe(deleted);
    // Shared, not copied: a write in C shows in the array.
    producer.set_element(2, 3, 99);
    expect((a.tolist() as number[][])[2]![3]).toBe(99);
    // mx ops read it in place; a view keeps it alive after the array itself is disposed.
    expect(mx.sum(a).item()).toBe(want().flat().reduce((s, x) => s + x, 0) - 23.5 + 99);
    const t = mx.transpose(a);
    mx.eval(t);
    mx.dispose(a);
    expect(deletedCount()).toBe(deleted);
    expect((t.tolist() as number[][])[0]).toEqual([0.5, 10.5, 20.5]);
    mx.dispose(t);
    expect(deletedCount()).toBe(deleted + 1); // the flag in C memory
    expect(producer.last_deleted_tensor()).toBe(p);
  });

  it('a C-produced tensor goes back to C: fromStruct, then toStruct, summed by the consumer', () => {
    const deleted = deletedCount();
    const a = mx.dlpack.fromStruct(producer.produce(1, 0));
    const q = mx.dlpack.toStruct(a);
    const v = view();
    // Column-major strides travel on as they are.
    const strides = v.getUint32(q + L.strides, true);
    expect([v.getBigInt64(strides, true), v.getBigInt64(strides + 8, true)]).toEqual([1n, 3n]);
    expect(consumer.consume_sum(q, 1)).toBe(mx.sum(a).item());
    expect(mx.sum(a).item()).toBe(12 * 1 + (0 + 10 + 20) * 4 + (0 + 1 + 2 + 3) * 3);
    expect(deletedCount()).toBe(deleted);
    mx.dispose(a);
    expect(deletedCount()).toBe(deleted + 1);
  });

  it('fromStruct round-trips our own struct, sharing the bytes, and runs its deleter on release', () => {
    const a = mx.reshape(mx.arange(6, mx.float32), [2, 3]);
    mx.eval(a);
    const live = mx.dlpack.liveStructs();
    const b = mx.dlpack.fromStruct(mx.dlpack.toStruct(mx.transpose(a)));
    expect(b.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(mx.dlpack.liveStructs()).toBe(live + 1);
    mx.dispose(b);
    expect(mx.dlpack.liveStructs()).toBe(live);
  });

  it('read-only tensors and copy: true are copied, and their deleter runs at once', () => {
    for (const [flags, copy] of [[1, undefined], [0, true]] as const) {
      const deleted = deletedCount();
      const a = mx.dlpack.fromStruct(producer.produce(0, flags), { copy });
      expect(deletedCount()).toBe(deleted + 1);
      producer.set_element(0, 0, -50);
      expect((a.tolist() as number[][])[0]).toEqual([0, 1, 2, 3]);
    }
    producer.produce(0, 0);
    expect(() => mx.dlpack.fromStruct(producer.produce(0, 1), { copy: false })).toThrow(/read-only/);
  });

  it('an unsupported major version is refused, and the producer deleter still runs', () => {
    const deleted = deletedCount();
    expect(() => mx.dlpack.fromStruct(producer.produce_version(2))).toThrow(/DLPack 2\.1 structs are not supported/);
    expect(deletedCount()).toBe(deleted + 1);
    producer.restore_version();
  });

  it('rejects addresses that cannot hold a struct', () => {
    expect(() => mx.dlpack.fromStruct(0)).toThrow(RangeError);
    expect(() => mx.dlpack.fromStruct(12)).toThrow(/8-byte aligned/);
    expect(() => mx.dlpack.fromStruct(backend.heap.memory.buffer.byteLength)).toThrow(RangeError);
    expect(() => mx.dlpack.loadModule(new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])))).toThrow(/dylink\.0/);
  });
  it('works over a plain (non-shared) memory: C keeps its addresses while the memory grows; others get copies', () => {
    const plain = new mx.WasmBackend({ name: 'wasm-plain-dlpack', shared: false });
    mx.registerBackend(plain);
    // A module built for a shared memory can't link to a plain one, says what to do, and gives its block back.
    expect(mx.dlpack.table({ backend: plain })).not.toBe(mx.dlpack.table()); // its own table (and C stack, 64 KiB)
    const used = plain.heapStats().usedBytes;
    expect(() => mx.dlpack.loadModule(buildC('consumer'), { backend: plain })).toThrow(/non-shared memory.*without --shared-memory/);
    expect(plain.heapStats().usedBytes).toBe(used);
    const c = mx.dlpack.loadModule(buildC('consumer', { sharedMemory: false }), { backend: plain }).exports as unknown as Consumer;
    const pr = mx.dlpack.loadModule(buildC('producer', { sharedMemory: false }), { backend: plain }).exports as unknown as Producer;
    const deletedPlain = () => new Int32Array(plain.heap.memory.buffer, pr.deleted_flag(), 1)[0];
    mx.setCpuBackend('wasm-plain-dlpack');
    try {
      const a = mx.transpose(mx.reshape(mx.arange(12, mx.float32), [3, 4]));
      mx.eval(a);
      const p = mx.dlpack.toStruct(a);
      expect(mx.dlpack.liveStructs({ backend: plain })).toBe(1);
      const bytesBefore = plain.heap.memory.buffer.byteLength;
      const big = mx.zeros([1 << 22], mx.float32); // 16 MiB: the memory grows, its old ArrayBuffer detaches
      mx.eval(big);
      expect(plain.heap.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
      expect(c.consume_sum(p, 1)).toBe(66);
      expect(mx.dlpack.liveStructs({ backend: plain })).toBe(0);
      // The same backend adopts the producer's bytes by address.
      const x = mx.dlpack.fromStruct(pr.produce(0, 0), { backend: plain });
      pr.set_element(0, 0, 7);
      expect((x.tolist() as number[][])[0]).toEqual([7, 1, 2, 3]);
      expect(deletedPlain()).toBe(0);
      mx.dispose(x);
      expect(deletedPlain()).toBe(1);
      // Another backend can't keep a view of a plain memory: a copy, deleted at once.
      mx.setCpuBackend('reference');
      const y = mx.dlpack.fromStruct(pr.produce(2, 0), { backend: plain });
      expect(deletedPlain()).toBe(2);
      expect((y.tolist() as number[][])[1]).toEqual([12, 13, 14, 15]);
      expect(() => mx.dlpack.fromStruct(pr.produce(0, 0), { backend: plain, copy: false })).toThrow(/non-shared WebAssembly memory/);
      expect(deletedPlain()).toBe(3);
    } finally {
      mx.setCpuBackend('wasm');
    }
  });
});

