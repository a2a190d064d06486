import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('lazy evaluation', () => {
  it('ops build a graph and compute nothing until asked', () => {
    const before = mx.memory()[mx.cpuBackendName()]!.active;
    const a = mx.array([1, 2, 3], mx.int32);
    const b = mx.multiply(mx.add(a, a), a);
    expect(b.isEvaluated).toBe(false);
    expect(b.shape).toEqual([3]);
    expect(b.dtype).toBe(mx.int32);
    // only `a` has storage so far
    expect(mx.memory()[mx.cpuBackendName()]!.active - before).toBe(12);
    mx.eval(b);
    expect(b.isEvaluated).toBe(true);
    expect(b.tolist()).toEqual([2, 8, 18]);
  });

  it('evaluated arrays drop their graph', () => {
    const a = mx.array([1, 2]);
    const b = mx.add(a, a);
    expect(b._node).not.toBeNull();
    mx.eval(b);
    expect(b._node).toBeNull();
  });

  it('item, tolist and eval of trees evaluate implicitly', () => {
    const a = mx.add(mx.array([[1, 2]]), 1);
    expect(a.item.bind(a)).toThrow(/size 1/);
    const s = mx.add(mx.array(2), 3);
    expect(s.item()).toBe(5);
    const t = { x: mx.add(mx.array([1]), 1), y: [mx.add(mx.array([2]), 2)], z: 'not an array' };
    mx.eval(t);
    expect(t.x.isEvaluated && t.y[0]!.isEvaluated).toBe(true);
  });

  it('deep graphs evaluate without overflowing the stack', () => {
    let x = mx.array(0, mx.int32);
    const one = mx.array(1, mx.int32);
    for (let i = 0; i < 50_000; i++) x = mx.add(x, one);
    expect(x.item()).toBe(50_000);
  });

  it('deep chains of disposed arrays release without recursion', () => {
    const before = mx.memory()[mx.cpuBackendName()]!.active;
    const out = mx.tidy(() => {
      let x = mx.array(0, mx.int32);
      for (let i = 0; i < 20_000; i++) x = mx.add(x, x);
      return x;
    });
    mx.eval(out);
    mx.dispose(out);
    expect(mx.memory()[mx.cpuBackendName()]!.active).toBe(before);
  });

  it('view ops share storage with their input', () => {
    const a = mx.array([[1, 2, 3], [4, 5, 6]]);
    const views = [a.T, mx.reshape(a, [3, 2]), mx.broadcastTo(mx.array([1, 2, 3]), [4, 3]), mx.asStrided(a, [2, 2], [1, 1], 1)];
    mx.eval(a, views);
    expect(views[0]!._data!.storage).toBe(a._data!.storage);
    expect(views[1]!._data!.storage).toBe(a._data!.storage);
    expect(views[3]!._data!.storage).toBe(a._data!.storage);
    expect(views[3]!.tolist()).toEqual([[2, 3], [3, 4]]);
    expect(views[2]!.strides).toEqual([0, 1]);
    // reshape of a non-contiguous view has to copy, and still gives the right values
    const r = mx.reshape(a.T, [6]);
    expect(r.tolist()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(r._data!.storage).not.toBe(a._data!.storage);
  });

  it('reshape/transpose take node-mlx rest arguments and a trailing stream or device', () => {
    const a = mx.array([1, 2, 3, 4, 5, 6]);
    expect(mx.reshape(a, 2, 3).shape).toEqual([2, 3]);
    expect(mx.reshape(a, [3, 2]).shape).toEqual([3, 2]);
    expect(mx.reshape(a, [3, 2], mx.cpu).shape).toEqual([3, 2]); // mx.cpu is the number 0
    expect(mx.reshape(a, [-1, 3], mx.defaultStream(mx.cpu)).shape).toEqual([2, 3]);
    expect(a.reshape(2, -1).shape).toEqual([2, 3]);
    expect(() => mx.reshape(a, [4])).toThrow(/Cannot reshape array of size 6 into shape \(4,\)/);
    expect(() => mx.reshape(a, [-1, -1])).toThrow(/only infer one dimension/);
    const m = mx.reshape(a, 2, 3);
    expect(mx.transpose(m, [1, 0], mx.cpu).shape).toEqual([3, 2]);
    expect(mx.transpose(m, 1, 0).shape).toEqual([3, 2]);
    expect(() => mx.transpose(m, [0, 0])).toThrow(/Repeat axes/);
    expect(() => mx.transpose(m, [0, 2])).toThrow(/axis 2 is out of bounds for array with 2 dimensions/);
  });
});
