// TypedArrays in and out of arrays: copies, zero-copy views (aliasing, pins), asarray.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active, collectGarbage, cpuName, onWasm, shareable } from '../util/memory.js';

/** The elements of any TypedArray (bigint ones included) as a JS list. */
const elements = (t: unknown): unknown[] => Array.from(t as ArrayLike<unknown>);

// The suite runs on the default CPU backend (wasm) and with MLX_TS_CPU_BACKEND=reference.


/** The BufferError the WASM backend throws for zero-copy imports of memory outside its own. */
const cantAdopt = /can't adopt external memory.*mx\.setCpuBackend\('reference'\).*copy/;


describe('mx.array(TypedArray) copies with MLX dtypes', () => {
  const cases: [() => ArrayBufferView, mx.Dtype, unknown[]][] = [
    [() => new Float32Array([1.5, -2]), mx.float32, [1.5, -2]],
    [() => new Float64Array([0.1, 2]), mx.float32, [Math.fround(0.1), 2]],
    [() => new Int8Array([-3, 4]), mx.int8, [-3, 4]],
    [() => new Int16Array([-300, 4]), mx.int16, [-300, 4]],
    [() => new Int32Array([-70000, 4]), mx.int32, [-70000, 4]],
    [() => new Uint8Array([255, 4]), mx.uint8, [255, 4]],
    [() => new Uint8ClampedArray([255, 4]), mx.uint8, [255, 4]],
    [() => new Uint16Array([65535, 4]), mx.uint16, [65535, 4]],
    [() => new Uint32Array([4294967295, 4]), mx.uint32, [4294967295, 4]],
    [() => new BigInt64Array([-(2n ** 62n), 4n]), mx.int64, [-(2n ** 62n), 4]],
    [() => new BigUint64Array([2n ** 63n, 4n]), mx.uint64, [2n ** 63n, 4]],
  ];
  for (const [make, dtype, values] of cases) {
    it(`${make().constructor.name} -> ${dtype.name}`, () => {
      const t = make();
      const a = mx.array(t as Float32Array);
      expect(a.dtype).toBe(dtype);
      expect(a.tolist()).toEqual(values);
      if (t instanceof BigInt64Array || t instanceof BigUint64Array) t[0] = 7n;
      else (t as Uint8Array)[0] = 7; // a copy: the source no longer matters
      expect(a.tolist()).toEqual(values);
    });
  }
  it('Float64Array keeps float64 when asked', () => {
    const a = mx.array(new Float64Array([0.1]), mx.float64);
    expect(a.dtype).toBe(mx.float64);
    expect(a.item()).toBe(0.1);
  });
});

describe('toTypedArray (copy)', () => {
  it('returns the right TypedArray per dtype, row-major, fresh', () => {
    const checks: [mx.MxArray, new (...args: never[]) => unknown, unknown[]][] = [
      [mx.array([true, false, true]), Uint8Array, [1, 0, 1]],
      [mx.array([1, -2], mx.int8), Int8Array, [1, -2]],
      [mx.array([1, 65535], mx.uint16), Uint16Array, [1, 65535]],
      [mx.array([1n, -2n]), Int32Array, [1, -2]], // bigints are Python ints: int32
      [mx.array([1, -2]), Float32Array, [1, -2]], // numbers are Python floats: float32
      [mx.array([1, 2], mx.uint32), Uint32Array, [1, 2]],
      [mx.array([1.5, 2]), Float32Array, [1.5, 2]],
      [mx.array([0.1], mx.float64), Float64Array, [0.1]],
      [mx.array([-(2n ** 60n), 3n], mx.int64), BigInt64Array, [-(2n ** 60n), 3n]],
      [mx.array([2n ** 63n], mx.uint64), BigUint64Array, [2n ** 63n]],
    ];
    for (const [a, C, values] of checks) {
      const t = a.toTypedArray();
      expect(t).toBeInstanceOf(C);
      expect(elements(t)).toEqual(values);
    }
  });

  it('evaluates lazy arrays and gathers strided ones in row-major order', () => {
    const a = mx.arange(6).reshape(2, 3);
    expect(elements(mx.add(a, 1).toTypedArray())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(elements(a.T.toTypedArray())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(elements(mx.broadcastTo(mx.array([1, 2]), [2, 2]).toTypedArray())).toEqual([1, 2, 1, 2]);
    expect(elements(a.index(mx.Slice(), mx.Slice(null, null, -1)).toTypedArray())).toEqual([2, 1, 0, 5, 4, 3]);
  });

  it('copies keep every bit (a signalling NaN payload through a strided copy)', () => {
    const bits = mx.array([[0x7fa00001, 1], [2, 3]], mx.uint32);
    const t = mx.view(bits, mx.float32).T.toTypedArray() as Float32Array;
    expect(Number.isNaN(t[0])).toBe(true);
    expect(new Uint32Array(t.buffer)[0]).toBe(0x7fa00001);
    expect(Array.from(new Uint32Array(t.buffer))).toEqual([0x7fa00001, 2, 1, 3]);
  });

  it('0-d and empty arrays', () => {
    expect(elements(mx.array(5).toTypedArray())).toEqual([5]);
    expect(elements(mx.array(5).toTypedArray({ copy: false }))).toEqual([5]);
    expect(mx.zeros([0, 3]).toTypedArray().length).toBe(0);
    expect(mx.zeros([2, 0]).toTypedArray({ copy: false }).length).toBe(0);
    expect(mx.asarray(new Float32Array(0)).shape).toEqual([0]);
  });

  it('a copy does not alias', () => {
    const a = mx.arange(3);
    const t = a.toTypedArray();
    t[0] = 42;
    expect(a.tolist()).toEqual([0, 1, 2]);
    expect(mx.toTypedArray(a)).not.toBe(t);
  });

  it('bfloat16 and complex64 explain what to do; float16 needs Float16Array', () => {
    expect(() => mx.array([1], mx.bfloat16).toTypedArray()).toThrow(/bfloat16.*astype\(mx\.float32\).*mx\.view\(a, mx\.uint16\)/);
    expect(() => mx.array([1], mx.bfloat16).toTypedArray({ copy: false })).toThrow(/bfloat16/);
    expect(() => mx.array([1], mx.complex64).toTypedArray()).toThrow(/complex64.*mx\.real.*mx\.imag.*mx\.view\(a, mx\.float32\)/);
    const F16 = (globalThis as { Float16Array?: new (n: number) => unknown }).Float16Array;
    const h = mx.array([1.5, -2], mx.float16);
    if (F16) {
      expect(h.toTypedArray()).toBeInstanceOf(F16);
      expect(elements(h.toTypedArray())).toEqual([1.5, -2]);
    } else {
      expect(() => h.toTypedArray()).toThrow(/float16 needs Float16Array.*astype\(mx\.float32\).*mx\.view\(a, mx\.uint16\)/);
    }
    // the advised routes work
    expect(elements(mx.view(mx.array([1], mx.bfloat16), mx.uint16).toTypedArray())).toEqual([0x3f80]);
    expect(elements(mx.view(mx.array([{ re: 1, im: 2 }]), mx.float32).toTypedArray())).toEqual([1, 2]);
  });

  it('rejects a bad copy option', () => {
    expect(() => mx.arange(2).toTypedArray({ copy: 'no' as unknown as boolean })).toThrow(/copy must be true, false or undefined/);
  });
});

describe('toTypedArray({ copy: false }) views', () => {
  it('aliases both ways', () => {
    const a = mx.arange(3n); // int32
    const v = a.toTypedArray({ copy: false }) as Int32Array;
    expect(v).toBeInstanceOf(Int32Array);
    v[0] = 1;
    expect(a.index(0).item()).toBe(1);
    const b = mx.asarray(v); // shares too
    v[2] = 9;
    expect(b.tolist()).toEqual([1, 1, 9]);
    expect(a.tolist()).toEqual([1, 1, 9]);
  });

  it('views a contiguous slice of a larger array at the right offset', () => {
    const a = mx.arange(12, mx.float32).reshape(3, 4);
    const row = a.index(1);
    const v = row.toTypedArray({ copy: false }) as Float32Array;
    const whole = a.toTypedArray({ copy: false });
    // the reference backend gives each array its own ArrayBuffer; the WASM backend's views are
    // over its linear memory (a SharedArrayBuffer), at the array's address
    expect(whole.buffer).toBeInstanceOf(onWasm ? SharedArrayBuffer : ArrayBuffer);
    expect(whole.buffer).toBe(v.buffer);
    if (onWasm) expect(whole.byteOffset % 16 === 0 && whole.byteOffset > 0).toBe(true);
    else expect(whole.byteOffset).toBe(0);
    expect(elements(v)).toEqual([4, 5, 6, 7]);
    expect(v.byteOffset - whole.byteOffset).toBe(16);
    expect(v.length).toBe(4);
    v[3] = -1;
    expect(a.index(1, 3).item()).toBe(-1);
    const tail = a.index(mx.Slice(1)).toTypedArray({ copy: false });
    expect(tail.length).toBe(8);
    expect(tail.byteOffset - whole.byteOffset).toBe(16);
  });

  it('bool views are Uint8Array, int64 views BigInt64Array', () => {
    const b = mx.array([true, false]);
    const vb = b.toTypedArray({ copy: false }) as Uint8Array;
    expect(vb).toBeInstanceOf(Uint8Array);
    vb[1] = 1;
    expect(b.tolist()).toEqual([true, true]);
    const i = mx.array([1n, 2n], mx.int64);
    const vi = i.toTypedArray({ copy: false }) as BigInt64Array;
    vi[0] = 2n ** 40n;
    expect(i.index(0).item()).toBe(2 ** 40);
  });

  it('throws BufferError for non-contiguous and broadcast arrays, suggesting a copy or DLPack', () => {
    const a = mx.arange(6).reshape(2, 3);
    let err: unknown;
    try {
      a.T.toTypedArray({ copy: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(mx.BufferError);
    expect((err as Error).name).toBe('BufferError');
    expect((err as Error).message).toMatch(/not contiguous.*strides \[1, 3\].*toTypedArray\(\) for a copy.*__dlpack__/);
    expect(() => mx.broadcastTo(mx.array([1, 2]), [3, 2]).toTypedArray({ copy: false })).toThrow(/broadcast \(stride 0 along axis 0/);
    expect(() => a.index(mx.Slice(), mx.Slice(null, null, 2)).toTypedArray({ copy: false })).toThrow(mx.BufferError);
  });

  it('size-1 dims and a broadcast of size 1 are still contiguous', () => {
    const a = mx.arange(3).reshape(3, 1);
    expect(elements(a.toTypedArray({ copy: false }))).toEqual([0, 1, 2]);
    expect(elements(mx.broadcastTo(mx.array(5), [1, 1]).toTypedArray({ copy: false }))).toEqual([5]);
  });

  it('a view pins memory: disposing the array frees nothing until the view is collected', async () => {
    await collectGarbage();
    const before = active();
    let a: mx.MxArray | null = mx.array(new Float32Array(1000));
    let v: Float32Array | null = a.toTypedArray({ copy: false }) as Float32Array;
    expect(active() - before).toBe(4000);
    mx.dispose(a);
    a = null;
    await collectGarbage();
    expect(active() - before).toBe(4000); // still pinned
    v[999] = 3;
    expect(v[999]).toBe(3);
    v = null;
    await collectGarbage();
    expect(active()).toBe(before);
  });
});

describe('mx.asarray', () => {
  it('returns an mx array itself unless a copy or another dtype is asked', () => {
    const a = mx.arange(3n); // int32
    expect(mx.asarray(a)).toBe(a);
    expect(mx.asarray(a, { dtype: mx.int32, copy: false })).toBe(a);
    const c = mx.asarray(a, { copy: true });
    expect(c === a).toBe(false); // (toBe on two arrays would make vitest iterate them)
    expect(c.tolist()).toEqual([0, 1, 2]);
    const f = mx.asarray(a, { dtype: mx.float32 });
    expect(f.dtype).toBe(mx.float32);
    expect(() => mx.asarray(a, { dtype: mx.float32, copy: false })).toThrow(mx.BufferError);
  });

  it('shares a TypedArray when its type is the dtype (on WASM: one over its own memory; others are copied)', () => {
    if (onWasm) {
      const foreign = new Float32Array([1, 2, 3]);
      const copied = mx.asarray(foreign);
      foreign[1] = 20;
      expect(copied.tolist()).toEqual([1, 2, 3]);
      expect(copied.toTypedArray({ copy: false }).buffer).not.toBe(foreign.buffer);
      let err: unknown;
      try {
        mx.asarray(foreign, { copy: false });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(mx.BufferError);
      expect((err as Error).message).toMatch(/\[asarray\] cannot share this memory: the 'wasm' backend keeps arrays in its own WebAssembly memory/);
      expect((err as Error).message).toMatch(cantAdopt);
    }
    const t = shareable(new Float32Array([1, 2, 3]), mx.float32);
    const a = mx.asarray(t);
    expect(a.dtype).toBe(mx.float32);
    t[1] = 20;
    expect(a.tolist()).toEqual([1, 20, 3]);
    const viaView = a.toTypedArray({ copy: false });
    expect(viaView.buffer).toBe(t.buffer);
    // ops never write their inputs: results are new memory
    const b = mx.add(a, 1);
    expect(b.tolist()).toEqual([2, 21, 4]);
    expect(elements(t)).toEqual([1, 20, 3]);
  });

  it('shares a subarray at its byte offset, and typed views of every element size', () => {
    const big = shareable(new Int16Array([0, 1, 2, 3, 4, 5]), mx.int16);
    const a = mx.asarray(big.subarray(2, 5));
    expect(a.tolist()).toEqual([2, 3, 4]);
    big[3] = -3;
    expect(a.tolist()).toEqual([2, -3, 4]);
    a.toTypedArray({ copy: false })[2] = 40; // and back
    expect(big[4]).toBe(40);
    const u64 = shareable(new BigUint64Array([1n, 2n ** 64n - 1n]), mx.uint64);
    const b = mx.asarray(u64, { copy: false });
    u64[0] = 5n;
    expect(b.index(0).item()).toBe(5);
    expect(b.index(1).item()).toBe(2n ** 64n - 1n);
  });

  it('shares unaligned data when the element size allows, viewing it as another dtype still works', () => {
    const bytes = shareable(new Uint8Array(16), mx.uint8);
    const a = mx.asarray(bytes.subarray(1, 9), { copy: false });
    bytes[1] = 1;
    expect(a.index(0).item()).toBe(1);
    expect(mx.view(a, mx.int32).dtype).toBe(mx.int32); // storage is 8-byte aligned internally
    expect(mx.view(a, mx.uint16).tolist()).toEqual([1, 0, 0, 0]);
  });

  it('copies when the dtype differs (Float64Array means float32, as mx.array), throws for copy: false', () => {
    const t = shareable(new Float64Array([0.5, 1]), mx.float64);
    const a = mx.asarray(t);
    expect(a.dtype).toBe(mx.float32);
    t[0] = 9;
    expect(a.tolist()).toEqual([0.5, 1]);
    expect(() => mx.asarray(t, { copy: false })).toThrow(/Float64Array holds float64.*float32.*dtype: mx\.float64/);
    const shared = mx.asarray(t, { dtype: mx.float64, copy: false });
    t[1] = 7;
    expect(shared.tolist()).toEqual([9, 7]);
    expect(() => mx.asarray(new Int32Array(2), { dtype: mx.float16, copy: false })).toThrow(mx.BufferError);
    expect(mx.asarray(new Int32Array([3]), { dtype: mx.float16 }).tolist()).toEqual([3]);
  });

  it('always copies for copy: true', () => {
    const t = new Int32Array([1, 2]);
    const a = mx.asarray(t, { copy: true });
    t[0] = 5;
    expect(a.tolist()).toEqual([1, 2]);
  });

  it('JS lists copy; copy: false has nothing to share', () => {
    expect(mx.asarray([1, 2]).tolist()).toEqual([1, 2]);
    expect(() => mx.asarray([1, 2], { copy: false })).toThrow(/no memory to share/);
    expect(() => mx.asarray(new DataView(new ArrayBuffer(4)))).toThrow();
    expect(() => mx.asarray([1], { dtype: 'float32' as unknown as mx.Dtype })).toThrow(/dtype must be an mx Dtype/);
  });

  it('adopted memory is accounted and released with its arrays', async () => {
    await collectGarbage();
    const before = active();
    let a: mx.MxArray | null = mx.asarray(new Float32Array(256)); // adopted (reference) or copied (wasm)
    expect(active() - before).toBe(1024);
    mx.dispose(a);
    a = null;
    expect(active()).toBe(before);
    // a view of an array's own memory is shared on both backends; the WASM backend knows the
    // bytes are its array's (no new bytes), the reference one counts adopted bytes as adopted
    const x = mx.zeros([64], mx.float32);
    mx.eval(x);
    const v = x.toTypedArray({ copy: false });
    const withX = active();
    const y = mx.asarray(v);
    expect(active() - withX).toBe(onWasm ? 0 : 256);
    v[5] = 2;
    expect(y.index(5).item()).toBe(2);
    mx.dispose([x, y]);
  });
});
