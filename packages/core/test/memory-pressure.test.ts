// Memory in synchronous loops, where the garbage collector's releases (FinalizationRegistry)
// can't run: intermediates that no handle can reach (those made inside ops, transforms and
// eval) are released during eval, nothing a handle can still reach is, and running out of
// memory says what to do. No test here yields to the event loop between its measurements.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { ReferenceBackend } from '../src/backend/reference/index.js';
import { active } from '../../../tests/util/memory.js';

const n = 10000;
const bytes = n * 4; // one float32 array of n elements

describe('running out of memory says what to do', () => {
  const advice = [/mx\.tidy/, /mx\.dispose/, /event loop/];
  const messageOf = (run: () => unknown): string => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(mx.OutOfMemoryError);
      return (e as Error).message;
    }
    return '';
  };

  it('WASM backend: a full heap', () => {
    const b = new WasmBackend({ name: 'wasm-test-oom', initialBytes: 65536, maximumBytes: 1 << 20 });
    b.allocate(600000);
    const message = messageOf(() => b.allocate(600000));
    expect(message).toMatch(/^\[wasm-test-oom\] Unable to allocate 600000 bytes/);
    for (const re of advice) expect(message).toMatch(re);
  });

  it('reference backend: the engine refusing memory while arrays hold as much', () => {
    const b = new ReferenceBackend();
    b.allocate(1 << 20);
    const RealArrayBuffer = globalThis.ArrayBuffer;
    // the engine out of memory, as when the process has no more
    globalThis.ArrayBuffer = class extends RealArrayBuffer {
      constructor(n: number) {
        if (n >= 4096) throw new RangeError('Array buffer allocation failed');
        super(n);
      }
    } as ArrayBufferConstructor;
    let message: string;
    try {
      message = messageOf(() => b.allocate(1 << 16));
    } finally {
      globalThis.ArrayBuffer = RealArrayBuffer;
    }
    expect(message).toMatch(/^\[reference\] Unable to allocate 65536 bytes/);
    for (const re of advice) expect(message).toMatch(re);
    // a size no freeing could make room for gets no advice
    expect(messageOf(() => b.allocate(2 ** 45))).not.toMatch(/mx\.tidy/);
  });
});

describe('intermediates no handle can reach are released during eval', () => {
  it("a random sampler's temporaries, and the global key's old states", () => {
    const before = active();
    const u = mx.random.uniform(0, 1, [n]);
    const z = mx.random.normal([n]);
    mx.eval(u, z);
    // the two samples, plus a few bytes of keys
    expect(active() - before).toBeLessThan(2 * bytes + 1024);
    mx.dispose(u, z);
    const start = active();
    for (let i = 0; i < 100; i++) mx.tidy(() => mx.eval(mx.random.uniform(0, 1, [4])));
    expect(active()).toBe(start);
  });

  it("a gradient's backward graph", () => {
    const x = mx.random.uniform(0, 1, [n]);
    const w = mx.random.uniform(0, 1, [n]);
    mx.eval(x, w);
    const before = active();
    let forward: mx.MxArray[] = [];
    const f = (v: mx.MxArray) => {
      const m = mx.multiply(v, x);
      const t = mx.tanh(m);
      forward = [m, t];
      return mx.sum(t);
    };
    const g = mx.grad(f)(w);
    mx.eval(g);
    // g, and at most the function's own arrays (the handles in `forward` can reach them)
    expect(active() - before).toBeLessThanOrEqual(3 * bytes + 1024);
    for (const a of forward) expect(a.size).toBe(n);
    mx.dispose(x, w, g, forward);
  });

  it("eval's own copies (a view of a strided array)", () => {
    const before = active();
    const base = mx.array(Float32Array.from({ length: n }, (_, i) => i));
    const x = mx.reshape(base, [100, 100]);
    const t = mx.transpose(x);
    const flat = mx.reshape(t, [n]); // the reshape needs a contiguous copy of t
    mx.eval(flat);
    expect((flat.tolist() as number[])[1]).toBe(100);
    mx.dispose(base, x, t, flat);
    expect(active()).toBe(before);
  });

  it('a synchronous training loop in mx.tidy (as examples/demo.mjs) runs in flat memory', () => {
    const X = mx.random.normal([256, 16]);
    const Y = mx.random.normal([256, 1]);
    let params = { w1: mx.random.normal([16, 64]), w2: mx.random.normal([64, 1]) };
    mx.eval(X, Y, params);
    const loss = (p: typeof params) => mx.mean(mx.square(mx.subtract(mx.matmul(mx.tanh(mx.matmul(X, p.w1)), p.w2), Y)));
    const step = mx.valueAndGrad(loss);
    const trainStep = () => {
      const next = mx.tidy(() => {
        const [l, g] = step(params);
        const updated = { w1: mx.subtract(params.w1, mx.multiply(g.w1, 0.01)), w2: mx.subtract(params.w2, mx.multiply(g.w2, 0.01)) };
        mx.eval(updated, l);
        return updated;
      });
      mx.dispose(params);
      params = next;
    };
    trainStep();
    const steady = active();
    for (let i = 0; i < 20; i++) trainStep();
    expect(active()).toBe(steady);
    mx.dispose(X, Y, params);
  });
});

describe('nothing a handle can reach is released', () => {
  it('arrays a grad-ed function keeps, and gradients evaluated one at a time', () => {
    let kept: mx.MxArray | null = null;
    const f = (a: mx.MxArray, b: mx.MxArray) => {
      const h = mx.tanh(mx.multiply(a, b));
      kept = h;
      return mx.sum(mx.multiply(h, h));
    };
    const a = mx.array([0.5, -1, 2]);
    const b = mx.array([1.5, 0.25, -0.5]);
    const [ga, gb] = mx.grad(f, [0, 1])(a, b) as mx.MxArray[];
    mx.eval(ga); // shares backward intermediates with gb
    const h = [0.5 * 1.5, -0.25, -1].map(Math.tanh);
    const dh = h.map((v) => 2 * v * (1 - v * v));
    const close = (xs: number[]) => xs.map((v) => expect.closeTo(v, 5));
    expect(ga!.tolist()).toEqual(close(dh.map((d, i) => d * [1.5, 0.25, -0.5][i]!)));
    expect(gb!.tolist()).toEqual(close(dh.map((d, i) => d * [0.5, -1, 2][i]!)));
    expect((kept as mx.MxArray | null)!.tolist()).toEqual(close(h));
  });

  it('grad of grad, vmap of grad, checkpoint and compile of grad, repeated', () => {
    const f = (x: mx.MxArray) => mx.sum(mx.multiply(mx.sin(x), mx.exp(x)));
    const x = mx.array([0.1, 0.2, 0.3]);
    const d2 = mx.grad((v: mx.MxArray) => mx.sum(mx.grad(f)(v)));
    const perExample = mx.vmap(mx.grad((w: mx.MxArray, xi: mx.MxArray) => mx.sum(mx.square(mx.multiply(w, xi)))), [null, 0]);
    const ck = mx.grad((v: mx.MxArray) => mx.sum(mx.checkpoint((u: mx.MxArray) => mx.exp(mx.sin(u)))(v)));
    const cg = mx.compile(mx.grad(f));
    const run = () => [d2(x), perExample(mx.array([1, 2]), mx.array([[1, 1], [2, 3]])), ck(x), cg(x)].map((r) => {
      mx.eval(r);
      return r.tolist();
    });
    const first = run();
    for (let i = 0; i < 3; i++) expect(run()).toEqual(first);
    expect(first[3]).toEqual(mx.grad(f)(x).tolist());
  });

  it('a compiled function with samplers (one evaluated while tracing) keeps its constants', () => {
    const f = mx.compile((x: mx.MxArray) => {
      const noise = mx.random.uniform(0, 1, [3], mx.float32, mx.random.key(1));
      mx.eval(noise); // allowed: it doesn't depend on the inputs
      const scale = mx.random.normal([3], mx.float32, 0, 1, mx.random.key(2));
      return mx.add(mx.multiply(x, scale), noise);
    });
    const first = f(mx.array([1, 2, 3])).tolist();
    for (let i = 0; i < 3; i++) expect(f(mx.array([1, 2, 3])).tolist()).toEqual(first);
  });

  it("an op's internal arrays evaluated inside a transform are not donated: its walk reads them", () => {
    const k = mx.random.key(5);
    const sumZ = mx.sum(mx.random.normal([64], mx.float32, null, null, k)).item() as number;
    const g = mx.grad((sd: mx.MxArray) => {
      const sample = mx.random.normal([64], mx.float32, null, sd, k);
      mx.eval(sample);
      return mx.sum(sample);
    })(mx.array(2));
    expect(g.item()).toBeCloseTo(sumZ, 4);
  });

  it('a custom vjp rule may keep what it makes', () => {
    let fromRule: mx.MxArray | null = null;
    const f = mx.customFunction((x: mx.MxArray) => mx.multiply(x, 2));
    f.vjp((_primals, cotangent) => {
      fromRule = mx.multiply(cotangent, 3);
      return [fromRule];
    });
    const g = mx.grad((x: mx.MxArray) => mx.sum(f(x)))(mx.array([1, 2]));
    expect(g.tolist()).toEqual([3, 3]);
    expect((fromRule as mx.MxArray | null)!.tolist()).toEqual([3, 3]);
  });

  it('outputs of one node: disposing one, or an input, keeps the other computable', () => {
    const x = mx.array([7, 8, 9]);
    const [q, r] = mx.divmod(x, mx.array([2, 3, 4]));
    mx.dispose(x, q);
    expect(r!.tolist()).toEqual([1, 2, 1]);
    const y = mx.array([7, 8, 9]);
    const [q2] = mx.divmod(y, 2);
    const z = mx.multiply(y, 10);
    mx.dispose(y);
    mx.eval(q2!);
    expect(z.tolist()).toEqual([70, 80, 90]);
  });
});
