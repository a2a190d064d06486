// node-mlx compatibility: eval / asyncEval over trees, tidy / dispose / getWrappersCount,
// devices and streams (the pieces of node-mlx's eval.spec, js.spec and memory.spec that have
// no Metal or autograd in them).
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('eval', () => {
  it('evaluates the arrays held by class instances (a model, an optimizer state)', () => {
    class Holder {
      w = mx.add(mx.ones([2]), 1);
      inner = { list: [mx.multiply(mx.ones([1]), 3)], map: new Map([['k', mx.negative(mx.ones([1]))]]) };
      bytes = new Float32Array(4);
    }
    const h = new Holder();
    expect([h.w, h.inner.list[0]!, h.inner.map.get('k')!].map((a) => a._node !== null)).toEqual([true, true, true]);
    mx.eval(h);
    expect([h.w, h.inner.list[0]!, h.inner.map.get('k')!].map((a) => a._node ?? null)).toEqual([null, null, null]);
    expect(h.w.tolist()).toEqual([2, 2]);
  });
  it('evaluates several arrays passed as arguments', () => {
    const arrs = [0, 1, 2, 3].map(() => mx.ones([2, 2]));
    mx.eval(...arrs);
    for (const x of arrs) expect(x.tolist()).toEqual([[1, 1], [1, 1]]);
  });
  it('accepts trees mixing arrays with non-array leaves', () => {
    const one = mx.array(1);
    const x = mx.add(mx.add(one, 1), 1);
    mx.eval([x, 0, 'hello' as unknown]);
    expect(x.item()).toBe(3);
    const y = mx.multiply(x, 2);
    mx.eval({ a: [y], b: { c: null } });
    expect(y.item()).toBe(6);
  });
  it('asyncEval resolves with the value computed, and item() works without awaiting', async () => {
    const a = mx.add(mx.array(1), mx.array(1));
    await mx.asyncEval(a);
    expect(a.item()).toBe(2);
    const x = mx.array([1, 2, 3]);
    const y = mx.multiply(2, x);
    void mx.asyncEval(y);
    const z = mx.multiply(2, y);
    void mx.asyncEval(z);
    expect(mx.arrayEqual(y, mx.array([2, 4, 6])).item()).toBe(true);
    expect(z.tolist()).toEqual([4, 8, 12]);
  });
  it('repeated asyncEval of chained results', () => {
    for (let i = 0; i < 50; ++i) {
      const x = mx.add(mx.add(1, 1), 1);
      void mx.asyncEval(x);
      const y = mx.add(x, 1);
      void mx.asyncEval(y);
      expect(x.item()).toBe(3);
      expect(y.item()).toBe(4);
    }
  });
});

describe('tidy / dispose / getWrappersCount', () => {
  it('tidy disposes the arrays it did not return', () => {
    const objects: mx.MxArray[] = [];
    mx.tidy(() => {
      for (let i = 0; i < 100; ++i) objects.push(mx.array([8964]));
    });
    for (const o of objects) expect(() => o.size).toThrow();
  });
  it('tidy keeps (and returns) what the function returns, also nested in a tree', () => {
    let a: mx.MxArray | undefined;
    const b = mx.tidy(() => {
      a = mx.array([8, 9, 6, 4]);
      return a;
    });
    expect(b).toBe(a);
    expect(b.tolist()).toEqual([8, 9, 6, 4]);

    const objects: mx.MxArray[] = [];
    const out = mx.tidy(() => {
      for (let i = 0; i < 9; ++i) objects.push(mx.array([i]));
      const ret = mx.array([8964]);
      objects.push(ret);
      return { ret, list: [objects[0]] };
    });
    for (let i = 1; i < 9; ++i) expect(() => objects[i].size).toThrow();
    expect(objects[9].item()).toBe(8964);
    expect(out.list[0].item()).toBe(0);
  });
  it('nested tidy hands a kept array to the outer scope', () => {
    let inner: mx.MxArray | undefined;
    mx.tidy(() => {
      inner = mx.tidy(() => mx.array([1]));
      expect(inner.item()).toBe(1);
    });
    expect(() => inner!.size).toThrow();
  });
  // node-mlx's tidy accepts async functions (js.spec 'await'): arrays created across awaits are
  // disposed when the promise settles, and `await mx.tidy(async () => a)` keeps `a`.
  it('tidy awaits an async function (node-mlx)', async () => {
    const objects: mx.MxArray[] = [];
    await mx.tidy(async () => {
      for (let i = 0; i < 5; ++i) {
        objects.push(mx.array([8964]));
        await new Promise((r) => process.nextTick(r));
      }
    });
    for (const o of objects) expect(() => o.size).toThrow();
    const kept = await mx.tidy(() => {
      const a = mx.array([8, 9, 6, 4]);
      return new Promise<mx.MxArray>((r) => process.nextTick(() => r(a)));
    });
    expect(kept.tolist()).toEqual([8, 9, 6, 4]);
  });
  it('dispose takes trees and makes handles unusable', () => {
    const a = mx.array([1]);
    const b = mx.array([2]);
    const c = mx.array([3]);
    mx.dispose([a, { k: b }], 'not an array', 5);
    expect(() => a.item()).toThrow();
    expect(() => b.tolist()).toThrow();
    expect(c.item()).toBe(3);
  });
  // node-mlx's js.spec ('unwrapObjects') asserts this text: 'Error converting "this" to mx.array.'
  it('using a disposed array throws node-mlx\'s message, whatever the access', () => {
    const msg = /^Error converting "this" to mx\.array\. /;
    const a = mx.array([1, 2]);
    mx.dispose(a);
    const uses: [string, () => unknown][] = [
      ['size', () => a.size], ['shape', () => a.shape], ['dtype', () => a.dtype], ['ndim', () => a.ndim],
      ['length', () => a.length], ['item()', () => a.item()], ['tolist()', () => a.tolist()],
      ['toString()', () => a.toString()], ['a.sum()', () => a.sum()], ['a.index(0)', () => a.index(0)],
      ['mx.add(a, 1)', () => mx.add(a, 1)], ['mx.add(1, a)', () => mx.add(1, a)], ['mx.eval(a)', () => mx.eval(a)],
      ['mx.array(a)', () => mx.array(a)], ['mx.array([a])', () => mx.array([a])],
    ];
    for (const [name, use] of uses) {
      let err: unknown;
      try {
        use();
      } catch (e) {
        err = e;
      }
      expect([name, err instanceof Error]).toEqual([name, true]);
      expect([name, (err as Error).message]).toEqual([name, expect.stringMatching(msg)]);
      // ... followed by our explanation.
      expect((err as Error).message).toMatch(/disposed/);
    }
    const objects: mx.MxArray[] = [];
    mx.tidy(() => {
      for (let i = 0; i < 3; ++i) objects.push(mx.array([8964]));
    });
    for (const o of objects) expect(() => o.size).toThrow('Error converting "this" to mx.array.');
  });
  it('disposing an array whose asyncEval is pending is safe', async () => {
    const a = mx.add(mx.array(1), mx.array(1));
    const task = mx.asyncEval(a);
    mx.dispose(a);
    await task;
  });
  it('getWrappersCount counts live handles', () => {
    const before = mx.getWrappersCount();
    const arrs = [mx.array(1), mx.array(2), mx.array(3)];
    expect(mx.getWrappersCount()).toBe(before + 3);
    mx.dispose(arrs);
    expect(mx.getWrappersCount()).toBe(before);
    mx.tidy(() => {
      mx.add(mx.array(1), 2);
    });
    expect(mx.getWrappersCount()).toBe(before);
  });
  it('memory counters exist and are numbers', () => {
    mx.eval(mx.zeros([1024], mx.int32));
    mx.synchronize();
    expect(mx.getActiveMemory()).toBeGreaterThanOrEqual(0);
    expect(mx.getPeakMemory()).toBeGreaterThanOrEqual(mx.getActiveMemory());
    mx.clearCache();
    expect(mx.getCacheMemory()).toBe(0);
    // MLX's rule: the peak reads 0 after a reset, until an allocation sets it from the live bytes
    mx.resetPeakMemory();
    expect(mx.getPeakMemory()).toBe(0);
    const kept = mx.zeros([1024], mx.int32);
    mx.eval(kept);
    expect(mx.getPeakMemory()).toBeGreaterThanOrEqual(mx.getActiveMemory());
    expect(mx.getPeakMemory()).toBeGreaterThanOrEqual(4096);
    mx.dispose(kept);
  });
});

// A node-mlx program (autograd.spec 'gradTrees', 'vjpTypes', 'scatterVjp', 'powerGrad') runs
// unchanged: JS numbers are floats, so mx.array(0.5) and mx.array(2.0) are float32 parameters and
// the gradients are float32 (with integral numbers typed as ints, mx.array(2.0) was int32 and its
// gradient an integer).
describe('a node-mlx autograd program', () => {
  it('valueAndGrad over {x: mx.array(0.5), y: mx.array(2.0)} gives float gradients', () => {
    const fun = (p: { x: mx.MxArray; y: mx.MxArray }) => mx.multiply(p.x, p.y);
    const params = { x: mx.array(0.5), y: mx.array(2.0) };
    expect(params.y.dtype).toBe(mx.float32);
    const [value, dfdx] = mx.valueAndGrad(fun)(params) as unknown as [mx.MxArray, { x: mx.MxArray; y: mx.MxArray }];
    expect([value.dtype, value.item()]).toEqual([mx.float32, 1]);
    expect([dfdx.x.dtype, dfdx.x.item()]).toEqual([mx.float32, 2]);
    expect([dfdx.y.dtype, dfdx.y.item()]).toEqual([mx.float32, 0.5]);

    // A few steps of gradient descent on (x*y - 3)^2, as a node-mlx training loop writes it.
    const loss = (p: { x: mx.MxArray; y: mx.MxArray }) => mx.square(mx.subtract(mx.multiply(p.x, p.y), 3));
    const step = mx.valueAndGrad(loss);
    let p = { x: mx.array(0.5), y: mx.array(2.0) };
    let first = NaN;
    let last = NaN;
    for (let i = 0; i < 20; i++) {
      const [l, g] = step(p) as unknown as [mx.MxArray, { x: mx.MxArray; y: mx.MxArray }];
      if (i === 0) first = l.item() as number;
      last = l.item() as number;
      p = { x: mx.subtract(p.x, mx.multiply(0.05, g.x)), y: mx.subtract(p.y, mx.multiply(0.05, g.y)) };
      expect([p.x.dtype, p.y.dtype]).toEqual([mx.float32, mx.float32]);
    }
    expect(first).toBe(4);
    expect(last).toBeLessThan(1e-3);
    expect(mx.multiply(p.x, p.y).item()).toBeCloseTo(3, 1);
  });
  it('grad, valueAndGrad over positions, and gradient dtypes', () => {
    const sq = (x: mx.MxArray) => mx.multiply(x, x);
    const [v, d] = mx.valueAndGrad(sq)(mx.array(0.5)) as unknown as [mx.MxArray, mx.MxArray];
    expect([v.item(), d.item(), d.dtype]).toEqual([0.25, 1, mx.float32]);
    expect(mx.grad(mx.grad(sq))(mx.array(0.5)).item()).toBe(2);
    const mul = (x: mx.MxArray, y: mx.MxArray) => mx.multiply(x, y);
    const [v2, d2] = mx.valueAndGrad(mul, [0, 1])(mx.array(0.5), mx.array(2.0)) as unknown as [mx.MxArray, mx.MxArray[]];
    expect([v2.item(), d2[0]!.item(), d2[1]!.item()]).toEqual([1, 2, 0.5]);
    // powerGrad: x ** 2 with a number exponent (a weak float) at x = 2.0.
    expect(mx.grad((x: mx.MxArray) => mx.power(x, 2))(mx.array(2.0)).item()).toBe(4);
    expect(mx.grad((x: mx.MxArray) => mx.power(x, 1.5))(mx.array(0.0)).item()).toBe(0);
    // vjpTypes: the gradient has the parameter's float dtype, and a number scalar in the function
    // doesn't widen float16 or bfloat16.
    for (const t of [mx.float16, mx.bfloat16, mx.float32]) {
      expect(mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(2, x)))(mx.array(1.0, t)).dtype).toBe(t);
    }
    // scatterVjp: the index array is float32 (mx.array([1])) and cast with astype, as node-mlx does.
    const fun1 = (x: mx.MxArray, idx: mx.MxArray) => {
      x.indexPut_(idx.astype(mx.int32), 2.0);
      return mx.sum(x);
    };
    const g = mx.grad(fun1)(mx.array([1.0, 2.0, 3.0]), mx.array([1]));
    expect([g.dtype, g.tolist()]).toEqual([mx.float32, [1, 0, 1]]);
    // An int32 parameter (a bigint) keeps an integer gradient, as in MLX.
    expect(mx.grad(sq)(mx.array(2n)).dtype).toBe(mx.int32);
    expect(mx.grad(sq)(mx.array(2)).dtype).toBe(mx.float32);
  });
});

describe('devices and streams', () => {
  it('cpu and gpu are device types; the default device is a Device', () => {
    expect(typeof mx.cpu).toBe('number');
    expect(typeof mx.gpu).toBe('number');
    expect(mx.cpu).not.toBe(mx.gpu);
    const d = mx.defaultDevice();
    expect(d).toBeInstanceOf(mx.Device);
    expect(d.type).toBe(mx.cpu); // no GPU backend is registered in this package
    expect(String(d)).toBe('Device(cpu, 0)');
  });
  it('defaultStream / newStream / toStream / setDefaultStream', () => {
    const s = mx.defaultStream(mx.cpu);
    expect(s).toBeInstanceOf(mx.Stream);
    expect(s.device.type).toBe(mx.cpu);
    const n = mx.newStream(mx.cpu);
    expect(n.device.type).toBe(mx.cpu);
    expect(n).not.toBe(s);
    expect(mx.toStream(mx.cpu).device.type).toBe(mx.cpu);
    expect(mx.toStream(n)).toBe(n);
    mx.setDefaultStream(n);
    try {
      expect(mx.add(mx.array([1]), 1).tolist()).toEqual([2]);
    } finally {
      mx.setDefaultStream(s);
    }
    mx.synchronize();
    mx.synchronize(n);
  });
  it('`using mx.stream(...)` scopes the default device', () => {
    {
      using ctx = mx.stream(mx.cpu);
      void ctx;
      expect(mx.defaultDevice().type).toBe(mx.cpu);
      expect(mx.multiply(mx.array([2]), 3).tolist()).toEqual([6]);
    }
    expect(mx.defaultDevice().type).toBe(mx.cpu);
  });
  it('setDefaultDevice(gpu) fails clearly without a GPU backend', () => {
    expect(() => mx.setDefaultDevice(mx.gpu)).toThrow();
    expect(mx.defaultDevice().type).toBe(mx.cpu);
    mx.setDefaultDevice(mx.cpu);
  });
});
