// Every example of MLX's "Conversion to NumPy and Other Frameworks" page, replayed in TS with
// the same outcomes. JS stand-ins: NumPy arrays -> TypedArrays (np.array(a) -> a.toTypedArray(),
// np.array(a, copy=False) -> a.toTypedArray({ copy: false })); PyTorch via memoryview ->
// onnxruntime Tensors (which wrap a TypedArray); JAX (buffer protocol/DLPack) -> DLPack and
// ndarray; TensorFlow -> TF.js. Expected values were checked against MLX 0.32.4. The page's
// `mx.arange(3n)` takes a Python int, so it is int32: in JS that is `mx.arange(3n)` (a bigint is a
// Python int; `mx.arange(3n)` would be float32, as `mx.arange(3.0)`).
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-common';
import ndarray from 'ndarray';
import * as mx from '@mlx-ts/core';

/** The elements of any TypedArray (bigint ones included) as a JS list. */
const elements = (t: unknown): unknown[] => Array.from(t as ArrayLike<unknown>);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Conversion to NumPy and other frameworks (seed page)', () => {
  it('converts to a TypedArray and back: both are copies', () => {
    const a = mx.arange(3n);
    const b = a.toTypedArray(); // b = np.array(a): copy of a
    const c = mx.array(b); // c = mx.array(b): copy of b
    expect(b).toBeInstanceOf(Int32Array);
    expect(elements(b)).toEqual([0, 1, 2]);
    expect(c.dtype).toBe(mx.int32);
    expect(c.tolist()).toEqual([0, 1, 2]);
    b[0] = 5;
    expect(a.tolist()).toEqual([0, 1, 2]);
    expect(c.tolist()).toEqual([0, 1, 2]);
  });

  it('bfloat16 must be converted first: np.array(a.astype(mx.float32))', () => {
    const a = mx.arange(3n).astype(mx.bfloat16);
    expect(() => a.toTypedArray()).toThrow(/bfloat16/);
    const f = a.astype(mx.float32).toTypedArray();
    expect(f).toBeInstanceOf(Float32Array);
    expect(elements(f)).toEqual([0, 1, 2]);
  });

  it('a view does not own its memory, and writes to it show in the array', () => {
    const a = mx.arange(3n);
    const aView = a.toTypedArray({ copy: false }); // np.array(a, copy=False)
    // print(a_view.flags.owndata) -> False: the view's memory is the array's
    const capsule = a.__dlpack__();
    expect(aView.buffer).toBe(capsule.dlTensor.data);
    expect(aView.byteOffset).toBe(capsule.dlTensor.byteOffset);
    capsule.deleter();
    expect(aView).toBeInstanceOf(Int32Array); // a normal TypedArray
    aView[0] = 1;
    expect(a.index(0).item()).toBe(1); // print(a[0].item()) -> 1
  });

  it('external changes to memory are not reflected in gradients', () => {
    mx.setInteropWarningHandler(() => undefined); // mlx-ts warns here; the outcome is MLX's
    try {
      const f = (x: mx.MxArray) => {
        const xView = x.toTypedArray({ copy: false }) as Float32Array;
        for (let i = 0; i < xView.length; i++) xView[i]! *= xView[i]!; // x_view[:] *= x_view
        return x.sum();
      };
      const x = mx.array([3.0]);
      const [y, df] = mx.valueAndGrad(f)(x);
      expect((y as mx.MxArray).item()).toBe(9); // f(x) = x² = 9.0
      expect((df as mx.MxArray).item()).toBe(1); // f'(x) = 2x != 1.0
    } finally {
      mx.setInteropWarningHandler(null);
    }
  });

  it('a conversion round trip also loses the gradient: mx.array(np.array(x)**2).sum()', () => {
    const g = (x: mx.MxArray) => mx.array((x.toTypedArray() as Float32Array).map((v) => v ** 2)).sum();
    const [y, dg] = mx.valueAndGrad(g)(mx.array([3.0]));
    expect((y as mx.MxArray).item()).toBe(9);
    expect((dg as mx.MxArray).tolist()).toEqual([0]);
  });

  it('PyTorch (memoryview) -> an onnxruntime Tensor over the memory; back through a TypedArray', () => {
    const a = mx.arange(3n);
    const b = mx.toOrtTensor(a, ort); // torch.tensor(memoryview(a))
    expect([b.type, b.dims, elements(b.data)]).toEqual(['int32', [3], [0, 1, 2]]);
    const c = mx.array(b.data as Int32Array); // mx.array(b.numpy())
    expect(c.dtype).toBe(mx.int32);
    expect(c.tolist()).toEqual([0, 1, 2]);
    expect(mx.fromOrtTensor(b).tolist()).toEqual([0, 1, 2]);
  });

  it('JAX (buffer protocol) -> DLPack and ndarray: jnp.array(a), mx.array(b)', () => {
    const a = mx.arange(3n);
    const b = mx.toNdarray(a, ndarray, { copy: true }); // jnp.array(a) copies
    const c = mx.fromNdarray(b, { copy: true }); // mx.array(b) copies
    expect(c.dtype).toBe(mx.int32);
    expect(c.tolist()).toEqual([0, 1, 2]);
    // JAX arrays are DLPack producers; mx.array(producer) copies, mx.fromDlpack shares
    const jaxLike = { __dlpack__: (o?: mx.DLPackExportOptions) => a.__dlpack__(o) };
    const copied = mx.array(jaxLike);
    const shared = mx.fromDlpack(jaxLike);
    (a.toTypedArray({ copy: false }) as Int32Array)[2] = 20;
    expect(copied.tolist()).toEqual([0, 1, 2]);
    expect(shared.tolist()).toEqual([0, 1, 20]);
  });

  it('TensorFlow -> TF.js: tf.constant(memoryview(a)), mx.array(b)', () => {
    const a = mx.arange(3n);
    const b = mx.toTfjs(a, tf);
    expect([b.dtype, b.shape, b.arraySync()]).toEqual(['int32', [3], [0, 1, 2]]);
    const c = mx.fromTfjs(b, { copy: true });
    expect(c.dtype).toBe(mx.int32);
    expect(c.tolist()).toEqual([0, 1, 2]);
  });
});
