// linalg stays on the CPU as in MLX: the ops raise MLX's message for a GPU stream, and the
// backend raises the same message (not the generic missing-kernel error) should one of the
// factorization primitives reach it; a CPU stream still works with the GPU as default device.
import { afterEach, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { gpuBackend, noGpu } from './gpu-helpers.js';

const MSG = 'This op is not yet supported on the GPU. Explicitly pass a CPU stream to run it.';

describe.skipIf(noGpu)('webgpu: linalg is CPU-only', () => {
  afterEach(() => mx.setDefaultDevice(mx.cpu));

  it('the ops raise MLX message on a GPU stream', () => {
    const a = mx.array([[2, 1], [1, 3]]);
    expect(() => mx.linalg.inv(a, mx.gpu)).toThrow(`[linalg::inv] ${MSG}`);
    expect(() => mx.linalg.cholesky(a, false, mx.gpu)).toThrow(`[linalg::cholesky] ${MSG}`);
    expect(() => mx.linalg.svd(a, true, mx.gpu)).toThrow(`[linalg::svd] ${MSG}`);
    expect(() => mx.linalg.qr(a, mx.gpu)).toThrow(`[linalg::qr] ${MSG}`);
  });

  it('the backend raises it for each factorization primitive', () => {
    const be = gpuBackend!;
    const store = be.allocate(16);
    const d = { storage: store, dtype: mx.float32, shape: [2, 2], strides: [2, 1], offset: 0 };
    const cases: [string, string][] = [
      ['Inverse', 'inv'],
      ['Cholesky', 'cholesky'],
      ['QRF', 'qr'],
      ['SVD', 'svd'],
      ['Eigh', 'eigh'],
      ['Eig', 'eig'],
      ['LUF', 'lu_factor'],
    ];
    try {
      for (const [name, op] of cases) {
        expect(() => be.run({ name, params: {} } as never, [d as never], [d as never])).toThrow(`[linalg::${op}] ${MSG}`);
      }
      // any other primitive without a kernel still gets the generic error
      expect(() => be.run({ name: 'NotAPrimitive', params: {} } as never, [d as never], [d as never])).toThrow('[webgpu] no GPU kernel for NotAPrimitive (float32)');
    } finally {
      store.released = true;
      be.release(store);
    }
  });

  it('a CPU stream runs them with the GPU as default device', () => {
    mx.setDefaultDevice(mx.gpu);
    const a = mx.array([[4, 0], [0, 2]]);
    const inv = mx.linalg.inv(a, mx.cpu);
    expect(mx.matmul(a, inv).tolist()).toEqual([[1, 0], [0, 1]]);
  });

  it('under vmap and grad a CPU stream stays the CPU: the rules build their ops on the stream of the op they transform', () => {
    mx.setDefaultDevice(mx.gpu);
    const a = mx.array([[[4, 1], [0, 2]], [[1, 0], [3, 1]], [[2, 1], [1, 2]]]);
    const invs = mx.vmap((x: mx.MxArray) => mx.linalg.inv(x, mx.cpu))(a);
    const want = [0, 1, 2].map((i) => mx.linalg.inv(a.index(i), mx.cpu).tolist());
    expect(invs.tolist()).toEqual(want);
    const [, s, vt] = mx.vmap((x: mx.MxArray) => mx.linalg.svd(x, true, mx.cpu))(a) as unknown as mx.MxArray[];
    expect(s!.shape).toEqual([3, 2]);
    expect(vt!.shape).toEqual([3, 2, 2]);
    // the vjp of inv (CPU stream) with the GPU as default device
    const g = mx.grad((x: mx.MxArray) => mx.sum(mx.linalg.inv(x, mx.cpu)))(mx.array([[4, 1], [0, 2]]));
    mx.setDefaultDevice(mx.cpu);
    const gc = mx.grad((x: mx.MxArray) => mx.sum(mx.linalg.inv(x)))(mx.array([[4, 1], [0, 2]]));
    expect(g.tolist()).toEqual(gc.tolist());
  });
});
