// Adapters against the real npm packages: TF.js (CPU backend), onnxruntime-common, ndarray.
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-common';
import ndarray from 'ndarray';
import * as mx from '@mlx-ts/core';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The suite runs on the default CPU backend (wasm) and with MLX_TS_CPU_BACKEND=reference.
const onWasm = mx.cpuBackendName() === 'wasm';

/**
 * Memory an array can be made over without a copy: any TypedArray on the reference backend;
 * on the WASM backend, which keeps every array in its linear memory and copies anything else,
 * a view of that memory (here: of a fresh mx array holding the same elements).
 */
function shareable<T extends ArrayBufferView>(t: T, dtype: mx.Dtype): T {
  if (!onWasm) return t;
  const v = mx.array(t as unknown as Float32Array, dtype).toTypedArray({ copy: false });
  expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
  return v as unknown as T;
}

/** The BufferError the WASM backend throws for zero-copy imports of memory outside its own. */
const cantAdopt = /the 'wasm' backend keeps arrays in its own WebAssembly memory and can't adopt external memory.*mx\.setCpuBackend\('reference'\)/;

describe('TF.js', () => {
  it('float32/int32/bool share memory both ways on the CPU backend', () => {
    const a = mx.arange(6, mx.float32).reshape(2, 3);
    const t = mx.toTfjs(a, tf);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.arraySync()).toEqual([[0, 1, 2], [3, 4, 5]]);
    const view = a.toTypedArray({ copy: false }) as Float32Array;
    view[0] = 10;
    expect(t.dataSync()[0]).toBe(10); // zero-copy: the tensor sees the array's memory

    const back = mx.fromTfjs(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'));
    expect(back.dtype).toBe(mx.int32);
    expect(back.tolist()).toEqual([[1, 2], [3, 4]]);
    if (onWasm) {
      // TF.js's own memory is outside the WASM backend's: copied (copy: false throws)
      const own = tf.tensor([1, 2, 3], [3], 'float32');
      const copiedOwn = mx.fromTfjs(own);
      (own.dataSync() as Float32Array)[1] = 20;
      expect(copiedOwn.tolist()).toEqual([1, 2, 3]);
      expect(() => mx.fromTfjs(own, { copy: false })).toThrow(cantAdopt);
    }
    // a tensor over memory the backend can share (on WASM: a view of its memory, which TF.js keeps)
    const src = tf.tensor(shareable(new Float32Array([1, 2, 3]), mx.float32), [3], 'float32');
    const shared = mx.fromTfjs(src, { copy: false });
    (src.dataSync() as Float32Array)[1] = 20;
    expect(shared.tolist()).toEqual([1, 20, 3]);
    const copied = mx.fromTfjs(src, { copy: true });
    (src.dataSync() as Float32Array)[1] = 30;
    expect(copied.tolist()).toEqual([1, 20, 3]);

    const b = mx.toTfjs(mx.array([true, false]), tf);
    expect(b.dtype).toBe('bool');
    expect(b.arraySync()).toEqual([1, 0]); // TF.js reads bools back as 0/1
    expect(mx.fromTfjs(tf.tensor([false, true], [2], 'bool')).tolist()).toEqual([false, true]);
  });

  it('non-contiguous arrays are copied unless copy: false', () => {
    const a = mx.arange(6, mx.int32).reshape(2, 3);
    expect(mx.toTfjs(a.T, tf).arraySync()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(() => mx.toTfjs(a.T, tf, { copy: false })).toThrow(mx.BufferError);
    const c = mx.toTfjs(a, tf, { copy: true });
    (a.toTypedArray({ copy: false }) as Int32Array)[0] = 7;
    expect(c.dataSync()[0]).toBe(0);
  });

  it('widens dtypes TF.js lacks when no value changes, refuses lossy ones', async () => {
    expect(mx.toTfjs(mx.array([1.5, -2], mx.bfloat16), tf).dtype).toBe('float32');
    expect(mx.toTfjs(mx.array([1.5, -2], mx.float16), tf).arraySync()).toEqual([1.5, -2]);
    const i8 = mx.toTfjs(mx.array([-128, 127], mx.int8), tf);
    expect([i8.dtype, i8.arraySync()]).toEqual(['int32', [-128, 127]]);
    expect(mx.toTfjs(mx.array([65535], mx.uint16), tf).arraySync()).toEqual([65535]);
    expect(() => mx.toTfjs(mx.array([1], mx.int8), tf, { copy: false })).toThrow(/no int8 tensors.*copy is false/);
    for (const d of [mx.float64, mx.int64, mx.uint32, mx.uint64]) {
      expect(() => mx.toTfjs(mx.array([1], d), tf)).toThrow(new RegExp(`no ${d.name} tensors.*astype`));
    }
    const z = mx.toTfjs(mx.array([{ re: 1, im: 2 }, { re: 3, im: -4 }]), tf);
    expect(z.dtype).toBe('complex64');
    expect(Array.from(tf.real(z).dataSync())).toEqual([1, 3]);
    expect(Array.from(tf.imag(z).dataSync())).toEqual([2, -4]);
    const back = mx.fromTfjs(tf.complex([[1, 2]], [[3, 4]]));
    expect(back.dtype).toBe(mx.complex64);
    expect(back.shape).toEqual([1, 2]);
    expect(back.tolist()).toEqual([[{ re: 1, im: 3 }, { re: 2, im: 4 }]]);
    expect(() => mx.fromTfjs(tf.complex([1], [2]), { copy: false })).toThrow(mx.BufferError);
    const asyncBack = await mx.fromTfjsAsync(tf.tensor([5, 6], [2], 'int32'));
    expect(asyncBack.tolist()).toEqual([5, 6]);
    expect(() => mx.fromTfjs({} as mx.TfjsTensorLike)).toThrow(/must be a tf\.Tensor/);
    expect(() => mx.fromTfjs(tf.tensor(['a'], [1], 'string'))).toThrow(/'string' has no mlx dtype/);
    expect(() => mx.toTfjs(mx.arange(2), {} as mx.TfjsModuleLike<unknown>)).toThrow(/must be the TF\.js module/);
  });
});

describe('onnxruntime-common Tensor', () => {
  it('wraps contiguous arrays by reference; writes alias both ways', () => {
    const a = mx.arange(6, mx.float32).reshape(2, 3);
    const t = mx.toOrtTensor(a, ort);
    expect(t).toBeInstanceOf(ort.Tensor);
    expect([t.type, t.dims]).toEqual(['float32', [2, 3]]);
    (t.data as Float32Array)[4] = 40;
    expect(a.index(1, 1).item()).toBe(40);
    if (onWasm) {
      const own = new ort.Tensor('int64', new BigInt64Array([1n, 2n]), [2]);
      const copiedOwn = mx.fromOrtTensor(own);
      (own.data as BigInt64Array)[0] = 7n;
      expect(copiedOwn.tolist()).toEqual([1, 2]);
      expect(() => mx.fromOrtTensor(own, { copy: false })).toThrow(cantAdopt);
    }
    const src = new ort.Tensor('int64', shareable(new BigInt64Array([1n, 2n, 3n, 4n]), mx.int64), [2, 2]);
    const b = mx.fromOrtTensor(src, { copy: false });
    expect(b.dtype).toBe(mx.int64);
    (src.data as BigInt64Array)[3] = 2n ** 50n;
    expect(b.tolist()).toEqual([[1, 2], [3, 2 ** 50]]);
    const c = mx.fromOrtTensor(src, { copy: true });
    (src.data as BigInt64Array)[0] = 9n;
    expect(c.index(0, 0).item()).toBe(1);
  });

  it('maps dtypes (float16 as its bits) and copies strided arrays unless copy: false', () => {
    const h = mx.array([1.5, -2], mx.float16);
    const th = mx.toOrtTensor(h, ort);
    expect(th.type).toBe('float16');
    expect(Array.from(th.data as Uint16Array)).toEqual([0x3e00, 0xc000]);
    const back = mx.fromOrtTensor(new ort.Tensor('float16', new Uint16Array([0x3c00, 0x4000]), [2]));
    expect([back.dtype, back.tolist()]).toEqual([mx.float16, [1, 2]]);
    expect(mx.toOrtTensor(mx.array([true, false]), ort).type).toBe('bool');
    expect(mx.fromOrtTensor(new ort.Tensor('bool', new Uint8Array([1, 0]), [2])).tolist()).toEqual([true, false]);
    const a = mx.arange(6, mx.int32).reshape(2, 3);
    const tt = mx.toOrtTensor(a.T, ort);
    expect(Array.from(tt.data as Int32Array)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => mx.toOrtTensor(a.T, ort, { copy: false })).toThrow(mx.BufferError);
    expect(() => mx.toOrtTensor(mx.array([1], mx.bfloat16), ort)).toThrow(/no bfloat16 type.*astype\(mx\.float32\)/);
    expect(() => mx.toOrtTensor(mx.array([{ re: 1, im: 0 }]), ort)).toThrow(/no complex64 type/);
    expect(() => mx.fromOrtTensor(new ort.Tensor('string', ['a'], [1]))).toThrow(/'string' has no mlx dtype/);
    expect(() => mx.fromOrtTensor({ type: 'float32', data: new Float32Array(1), dims: [1], location: 'gpu-buffer' })).toThrow(/getData/);
    expect(() => mx.fromOrtTensor({ type: 'float32', data: new Int32Array(1), dims: [1] })).toThrow(/must hold a Float32Array/);
    expect(() => mx.fromOrtTensor({ type: 'float32', data: new Float32Array(2), dims: [3] })).toThrow(/outside its buffer/);
  });
});

describe('ndarray', () => {
  it('shares memory keeping strides and offset, any layout', () => {
    const a = mx.arange(12, mx.float32).reshape(3, 4);
    const nd = mx.toNdarray(a.T, ndarray);
    expect(nd.shape).toEqual([4, 3]);
    expect(nd.stride).toEqual([1, 4]);
    expect(nd.get(1, 2)).toBe(9);
    nd.set(1, 2, 90);
    expect(a.index(2, 1).item()).toBe(90);
    const s = mx.toNdarray(a.index(mx.Slice(1), mx.Slice(null, null, -2)), ndarray);
    expect([s.offset, s.stride]).toEqual([7, [4, -2]]);
    expect(s.get(0, 0)).toBe(7);
    expect(s.get(1, 1)).toBe(90);
    const bc = mx.toNdarray(mx.broadcastTo(mx.array([1, 2]), [3, 2]), ndarray);
    expect(bc.stride).toEqual([0, 1]);
    expect(bc.get(2, 1)).toBe(2);
    const c = mx.toNdarray(a.T, ndarray, { copy: true });
    expect([c.stride, c.offset, c.get(1, 2)]).toEqual([[3, 1], 0, 90]);
    c.set(0, 0, -5);
    expect(a.index(0, 0).item()).toBe(0);
  });

  it('imports ndarrays zero-copy, strides and offset included', () => {
    if (onWasm) {
      const own = new Float64Array([0, 1]);
      const copiedOwn = mx.fromNdarray(ndarray(own, [2]));
      own[0] = 5;
      expect(copiedOwn.tolist()).toEqual([0, 1]);
      expect(() => mx.fromNdarray(ndarray(own, [2]), { copy: false })).toThrow(cantAdopt);
    }
    const data = shareable(new Float64Array([0, 1, 2, 3, 4, 5, 6, 7]), mx.float64);
    const nd = ndarray(data, [2, 4]).transpose(1, 0).hi(3, 2).lo(1, 0); // shape [2, 2], offset 1
    const a = mx.fromNdarray(nd, { copy: false });
    expect(a.dtype).toBe(mx.float64);
    expect(a.tolist()).toEqual([[1, 5], [2, 6]]);
    data[6] = 60;
    expect(a.index(1, 1).item()).toBe(60);
    const c = mx.fromNdarray(nd, { copy: true });
    data[6] = 61;
    expect(c.index(1, 1).item()).toBe(60);
    const step = mx.fromNdarray(ndarray(new Int32Array([0, 1, 2, 3, 4, 5]), [6]).step(-2));
    expect(step.tolist()).toEqual([5, 3, 1]);
    const plain = mx.fromNdarray(ndarray([1, 2, 3, 4], [2, 2]).transpose(1, 0));
    expect(plain.tolist()).toEqual([[1, 3], [2, 4]]);
    expect(() => mx.fromNdarray(ndarray([1, 2], [2]), { copy: false })).toThrow(/plain JS array has no memory to share/);
    expect(() => mx.fromNdarray({ data: 'x', shape: [1], stride: [1], offset: 0 })).toThrow(/TypedArray or a JS array/);
    expect(() => mx.toNdarray(mx.array([1], mx.complex64), ndarray)).toThrow(/complex64/);
  });
});
