// The transform machinery itself: argument and result forms, errors, tracing across
// evaluation and in-place updates, custom functions and checkpoint. Per-primitive rules are
// checked in grad-*.test.ts and tests/autograd/. Expected values are MLX 0.32.4's.
import { describe, it, expect, vi } from 'vitest';
import * as mx from '@mlx-ts/core';

const f32 = (v: number[] | number) => mx.array(v, mx.float32);
type Nested = number | Nested[];
const close = (a: mx.MxArray, want: Nested, tol = 1e-5) => {
  const got = a.tolist() as Nested;
  expect(a.shape).toEqual(mx.array(want as number[]).shape);
  const g = ([got] as unknown[]).flat(Infinity) as number[];
  const w = ([want] as unknown[]).flat(Infinity) as number[];
  g.forEach((x, i) => expect(Math.abs(x - w[i]!), `element ${i}: ${x} vs ${w[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w[i]!))));
};

describe('vjp / jvp', () => {
  it('multiple inputs and outputs', () => {
    const fn = (x: mx.MxArray, y: mx.MxArray) => [mx.multiply(x, y), mx.add(x, y)];
    const [outs, vjps] = mx.vjp(fn, [f32([1, 2]), f32([3, 4])], [f32([1, 1]), f32([10, 10])]);
    close(outs[0]!, [3, 8]);
    close(outs[1]!, [4, 6]);
    close(vjps[0]!, [13, 14]); // y*1 + 10
    close(vjps[1]!, [11, 12]); // x*1 + 10
    const [o2, jvps] = mx.jvp(fn, [f32([1, 2]), f32([3, 4])], [f32([1, 0]), f32([0, 1])]);
    close(o2[0]!, [3, 8]);
    close(jvps[0]!, [3, 2]); // y*dx + x*dy
    close(jvps[1]!, [1, 1]);
  });
  it('an output that is an input, and inputs no output depends on', () => {
    const [, vjps] = mx.vjp((x: mx.MxArray, _y: mx.MxArray) => x, [f32([1, 2]), f32(5)], [f32([3, 4])]);
    close(vjps[0]!, [3, 4]);
    close(vjps[1]!, 0);
    const [, jvps] = mx.jvp((_x: mx.MxArray) => f32(2), [f32(1)], [f32(1)]);
    close(jvps[0]!, 0);
  });
  it('checks cotangents and tangents against outputs and primals', () => {
    expect(() => mx.vjp((x: mx.MxArray) => x, [f32([1, 2])], [f32(1)])).toThrow(/cotangents\[0\] has shape \(\), but the output has shape \(2,\)/);
    expect(() => mx.vjp((x: mx.MxArray) => x, [f32([1, 2])], [])).toThrow(/Expected 1 cotangents/);
    expect(() => mx.jvp((x: mx.MxArray) => x, [f32([1, 2])], [f32([1, 2, 3])])).toThrow(/tangents\[0\] has shape \(3,\)/);
    expect(() => mx.vjp((x: mx.MxArray) => x, [1 as unknown as mx.MxArray], [f32(1)])).toThrow(/primals\[0\] must be an mx array, got number/);
    expect(() => mx.vjp((() => 3) as never, [f32(1)], [f32(1)])).toThrow(/must return an mx array or an Array of mx arrays, but returned number/);
  });
});

describe('grad / valueAndGrad', () => {
  it('argnums forms and trees', () => {
    const fn = (a: { w: mx.MxArray; b: mx.MxArray[] }, x: mx.MxArray, tag: string) => {
      expect(tag).toBe('passed through');
      return mx.sum(mx.add(mx.multiply(a.w, x), a.b[0]!));
    };
    const params = { w: f32([1, 2]), b: [f32([3, 4])] };
    const g = mx.grad(fn)(params, f32([5, 6]), 'passed through') as { w: mx.MxArray; b: mx.MxArray[] };
    close(g.w, [5, 6]);
    close(g.b[0]!, [1, 1]);
    const [gp, gx] = mx.grad(fn, [0, 1])(params, f32([5, 6]), 'passed through') as [typeof g, mx.MxArray];
    close(gp.w, [5, 6]);
    close(gx, [1, 2]);
    const gx2 = mx.grad(fn, 1)(params, f32([5, 6]), 'passed through') as mx.MxArray;
    close(gx2, [1, 2]);
  });
  it('valueAndGrad with aux outputs differentiates the first', () => {
    const [[loss, aux], g] = mx.valueAndGrad((x: mx.MxArray) => [mx.sum(mx.square(x)), mx.multiply(x, 3)])(f32([1, 2])) as [
      [mx.MxArray, mx.MxArray],
      mx.MxArray,
    ];
    close(loss, 5);
    close(aux, [3, 6]);
    close(g, [2, 4]);
  });
  it('keeps the input dtype, integers included (as MLX)', () => {
    for (const dt of [mx.float16, mx.bfloat16, mx.float32, mx.float64]) {
      const g = mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(x, x)))(mx.array([1, 2], dt)) as mx.MxArray;
      expect(g.dtype).toBe(dt);
      close(g, [2, 4]);
    }
    const gi = mx.grad((x: mx.MxArray) => mx.multiply(x, 2n))(mx.array(3n)) as mx.MxArray;
    expect(gi.dtype).toBe(mx.int32);
    expect(gi.item()).toBe(2);
  });
  it('in-place changes to argument containers are seen by the caller (MLX test_grad_with_inplace_update)', () => {
    const model = [f32(0), f32(1), f32(2)];
    const g = mx.grad((m: mx.MxArray[]) => {
      m[1] = f32(2);
      return m[0]!;
    })(model) as mx.MxArray[];
    expect(model[1]!.item()).toBe(2);
    expect(model[0]!.item()).toBe(0); // untouched positions get their own arrays back
    close(g[0]!, 1);
    close(g[1]!, 0);
  });
  it('non-array leaves of a differentiated tree pass through and get a null gradient', () => {
    const g = mx.grad((p: { x: number; y: mx.MxArray }) => mx.multiply(p.y, p.x))({ x: 0.5, y: f32(2) }) as { x: unknown; y: mx.MxArray };
    expect(g.x).toBe(null);
    close(g.y, 0.5);
  });
  it('errors name the problem', () => {
    const id = (x: mx.MxArray) => x;
    expect(() => mx.valueAndGrad(id, [])).toThrow(/Gradient wrt no argument requested/);
    expect(() => mx.grad(id)(f32([1, 2]))).toThrow(/\[grad\] The function must return a scalar \(0-d\) array to be differentiated, got shape \(2,\)/);
    expect(() => mx.grad(id, 1)(f32(1))).toThrow(/\[grad\] Can't compute the gradient of argument index 1 because the function is called with only 1 positional arguments/);
    expect(() => mx.grad(id, -1)).toThrow(/\[grad\] Can't compute the gradient of negative argument index -1/);
    expect(() => mx.grad(id, [0, 0])).toThrow(/Duplicate argument index 0/);
    expect(() => mx.grad(id)(3 as never)).toThrow(/\[grad\] Argument 0 is differentiated, so it must be an mx array or a tree of them, got number/);
    expect(() => mx.grad((_x: mx.MxArray) => 3.0)(f32(1))).toThrow(/should be a scalar array; but number was returned/);
    expect(() => mx.grad((_x: mx.MxArray) => undefined)(f32(1))).toThrow(/but undefined was returned/);
    expect(() => mx.valueAndGrad((_x: mx.MxArray) => [])(f32(1))).toThrow(/empty Array/);
    expect(() => mx.grad('f' as never)).toThrow(/fn must be a function, got string/);
  });
  it('higher order: d3/dx3 x^2 = 0, d2/dx2 x^3 = 6x', () => {
    const sq = (x: mx.MxArray) => mx.multiply(x, x);
    const d3 = mx.grad(mx.grad(mx.grad(sq)));
    close(d3(f32(3)), 0);
    const cube = (x: mx.MxArray) => mx.multiply(mx.multiply(x, x), x);
    close(mx.grad(mx.grad(cube))(f32(2)), 12);
    close(mx.grad(mx.grad(mx.grad(cube)))(f32(2)), 6);
  });
  it('captured arrays are constants', () => {
    const c = f32(4);
    const lazyC = mx.add(c, 1); // lazy, not derived from the traced input
    close(mx.grad((x: mx.MxArray) => mx.multiply(mx.multiply(x, c), lazyC))(f32(2)), 20);
  });
  it('state updated inside a grad-ed function is evaluated correctly (test_update_state)', () => {
    const y = f32([1]);
    let state = mx.zeros([2]);
    const fn = (y: mx.MxArray, x: mx.MxArray) => {
      const xy = mx.multiply(y, x);
      state = mx.add(state, xy);
      return mx.sum(xy);
    };
    mx.grad(fn)(y, mx.ones([2]));
    mx.eval(state);
    close(state, [1, 1]);
  });
  it('mx.eval, item() and tolist() inside a grad-ed function', () => {
    const fn = (x: mx.MxArray) => {
      const y = mx.exp(x);
      mx.eval(y);
      expect((y.tolist() as number[])[0]).toBeCloseTo(Math.E, 5);
      const z = mx.multiply(y, x);
      expect(mx.sum(z).item()).toBeCloseTo(Math.E + 2 * Math.exp(2), 4);
      return mx.sum(z);
    };
    close(mx.grad(fn)(f32([1, 2])), [2 * Math.E, 3 * Math.exp(2)], 1e-5);
  });
  it('in-place updates of a traced input inside the function', () => {
    const fn = (x: mx.MxArray) => {
      const y = mx.multiply(x, 1);
      y.indexPut_(0, mx.multiply(x.index(1), 5));
      return mx.sum(mx.multiply(y, x));
    };
    // y = [5 x1, x1, x2]; sum(y*x) = 5 x1 x0 + x1^2 + x2^2
    close(mx.grad(fn)(f32([1, 2, 3])), [10, 5 + 4, 6]);
  });
  it('stopGradient blocks the gradient', () => {
    close(mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(mx.stopGradient(x), x)))(f32([2, 3])), [2, 3]);
  });
  it('deep graphs do not overflow the stack', () => {
    const fn = (x: mx.MxArray) => {
      let y = x;
      for (let i = 0; i < 20000; i++) y = mx.add(y, 1e-4);
      return mx.sum(y);
    };
    close(mx.grad(fn)(f32([1, 2])), [1, 1]);
  });
});

describe('vmap', () => {
  const m = mx.reshape(mx.arange(6, mx.float32), [2, 3]);
  it('in and out axes, null for unmapped inputs, trees', () => {
    close(mx.vmap((x: mx.MxArray) => mx.sum(x), 1)(m), [3, 5, 7]);
    close(mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.add(x, y), [0, null])(m, f32([10, 20, 30])), [[10, 21, 32], [13, 24, 35]] );
    close(mx.vmap((x: mx.MxArray) => x, 0, 1)(m), [[0, 3], [1, 4], [2, 5]] );
    // -1 is "not mapped" (node-mlx / MLX's C++ API); outAxes -1 is the last axis (MLX)
    close(mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.add(x, y), [0, -1])(m, f32([10, 20, 30])), [[10, 21, 32], [13, 24, 35]]);
    close(mx.vmap((x: mx.MxArray) => x, 0, -1)(m), [[0, 3], [1, 4], [2, 5]]);
    expect(() => mx.vmap((x: mx.MxArray) => x, -2)(m)).toThrow(/inAxes entry -2: use a non-negative axis, or -1 \/ null/);
    const [a, b] = mx.vmap((x: mx.MxArray) => [x, mx.multiply(x, 2)], 0, [0, 1])(m) as mx.MxArray[];
    close(a!, [[0, 1, 2], [3, 4, 5]] );
    close(b!, [[0, 6], [2, 8], [4, 10]] );
    const r = mx.vmap((t: { a: mx.MxArray }) => ({ out: mx.multiply(t.a, 2) }), [{ a: 1 }])({ a: m }) as { out: mx.MxArray };
    close(r.out, [[0, 6], [2, 8], [4, 10]] );
  });
  it('an output that does not depend on the inputs is broadcast over the batch', () => {
    close(mx.vmap((_x: mx.MxArray) => f32(2))(mx.ones([3, 2])), [2, 2, 2]);
  });
  it('errors', () => {
    expect(() => mx.vmap((x: mx.MxArray) => x, 2)(m)).toThrow(/\[vmap\] Invalid vectorization axis 2 for array with shape \(2,3\)/);
    expect(() => mx.vmap((x: mx.MxArray, y: mx.MxArray) => mx.add(x, y))(mx.ones([3, 2]), mx.ones([4, 2]))).toThrow(/Inconsistent axis sizes: 3 and 4/);
    expect(() => mx.vmap((x: mx.MxArray) => x.tolist() as never)(m)).toThrow(/Attempting to eval an array during function transformations like compile or vmap is not allowed/);
    expect(() => mx.vmap((x: mx.MxArray) => x, null)(m)).toThrow(/At least one input must be mapped/);
  });
  it('per-example gradients: vmap(grad(f)) and grad of vmap', () => {
    const f = (w: mx.MxArray, x: mx.MxArray) => mx.sum(mx.square(mx.multiply(w, x)));
    const w = f32([1, 2]);
    const xs = mx.array([[1, 1], [2, 3], [0, 1]], mx.float32);
    const per = mx.vmap(mx.grad(f), [null, 0])(w, xs) as mx.MxArray;
    // d/dw sum((w x)^2) = 2 w x^2
    close(per, [[2, 4], [8, 36], [0, 4]] );
    const total = mx.grad((w: mx.MxArray) => mx.sum(mx.vmap((x: mx.MxArray) => f(w, x))(xs)))(w);
    close(total, [10, 44]);
  });
});

describe('customFunction and checkpoint', () => {
  it('a custom vjp replaces the derivative; jvp and vmap fall back to the function', () => {
    const f = mx.customFunction((x: mx.MxArray) => mx.sin(x));
    f.vjp((_primals, cotangent: mx.MxArray) => [mx.multiply(cotangent, 100)]);
    close(f(f32(0.5)) as mx.MxArray, Math.sin(0.5));
    close(mx.grad((x: mx.MxArray) => f(x) as mx.MxArray)(f32(0.5)), 100);
    const [, [t]] = mx.jvp((x: mx.MxArray) => f(x) as mx.MxArray, [f32(0.5)], [f32(1)]);
    close(t!, Math.cos(0.5));
    close(mx.vmap((x: mx.MxArray) => f(x) as mx.MxArray)(f32([0, 0.5])) as mx.MxArray, [0, Math.sin(0.5)]);
  });
  it('custom jvp and vmap rules are used, with several arguments and outputs', () => {
    const f = mx.customFunction((x: mx.MxArray, y: mx.MxArray) => [mx.multiply(x, y), mx.add(x, y)]);
    f.jvp((_p, [tx, ty]: mx.MxArray[]) => [mx.multiply(tx!, 7), mx.multiply(ty!, 9)]);
    const calls: (number | null)[][] = [];
    f.vmap((inputs: mx.MxArray[], axes) => {
      calls.push(axes);
      return [[mx.multiply(inputs[0]!, inputs[1]!), mx.subtract(inputs[0]!, 0)], [0, 0]];
    });
    const [, jv] = mx.jvp((x: mx.MxArray, y: mx.MxArray) => f(x, y) as mx.MxArray[], [f32(2), f32(3)], [f32(1), f32(1)]);
    close(jv[0]!, 7);
    close(jv[1]!, 9);
    const [p, q] = mx.vmap((x: mx.MxArray, y: mx.MxArray) => f(x, y) as mx.MxArray[], [0, null])(f32([1, 2]), f32(3)) as mx.MxArray[];
    expect(calls).toEqual([[0, null]]);
    close(p!, [3, 6]);
    close(q!, [1, 2]);
    // no vjp rule: differentiate through the function
    const g = mx.grad((x: mx.MxArray) => mx.sum((f(x, f32(3)) as mx.MxArray[])[0]!))(f32([1, 2]));
    close(g, [3, 3]);
  });
  it('checkpoint recomputes the forward pass for the vjp and gives the same gradient', () => {
    let calls = 0;
    const body = (x: mx.MxArray) => {
      calls++;
      return mx.sum(mx.tanh(mx.multiply(x, x)));
    };
    const x = f32([0.5, -1, 2]);
    const plain = mx.grad(body)(x) as mx.MxArray;
    const before = calls;
    const ck = mx.grad(mx.checkpoint(body))(x) as mx.MxArray;
    mx.eval(ck);
    expect(calls - before).toBe(2); // forward, then again in the backward pass
    close(ck, plain.tolist() as number[]);
    close(mx.grad(mx.grad(mx.checkpoint((y: mx.MxArray) => mx.multiply(mx.multiply(y, y), y))))(f32(2)), 12);
  });
});

describe('tracing bookkeeping', () => {
  it('evaluated intermediates drop their graph once the transform ends', () => {
    let inner: mx.MxArray | null = null;
    mx.grad((x: mx.MxArray) => {
      inner = mx.exp(x);
      mx.eval(inner);
      return mx.sum(inner);
    })(f32([1]));
    expect((inner as unknown as { _node: unknown })._node).toBe(null);
  });
  it('no warning or error from a transform that reads nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mx.grad((x: mx.MxArray) => mx.sum(x))(f32([1]));
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('compile', () => {
  it('traces once per call signature and replays (MLX: side effects run only when tracing)', () => {
    let calls = 0;
    const g = mx.compile((x: mx.MxArray, y = 2) => {
      calls++;
      return mx.multiply(x, y);
    });
    close(g(f32(1)), 2);
    close(g(f32(2)), 4);
    expect(calls).toBe(1);
    close(g(f32([1, 2])), [2, 4]);
    expect(calls).toBe(2); // new shape
    close(g(f32([1, 2]), 3), [3, 6]);
    expect(calls).toBe(3); // new constant
    const gi = g(mx.array([1, 2], mx.int32), 3n);
    expect(gi.dtype).toBe(mx.int32);
    expect(calls).toBe(4); // new dtype
  });
  it('captured arrays are constants of the trace', () => {
    let c = f32(5);
    const h = mx.compile((x: mx.MxArray) => mx.multiply(x, c));
    close(h(f32(1)), 5);
    c = f32(7);
    close(h(f32(1)), 5); // as MLX: the trace holds the array it saw
  });
  it('results equal the uncompiled function, with trees, constants and pass-through outputs', () => {
    const fn = (p: { w: mx.MxArray; b: mx.MxArray }, x: mx.MxArray) => ({
      y: mx.add(mx.matmul(x, p.w), p.b),
      same: x,
      k: mx.ones([2]),
      n: 3,
    });
    const p = { w: mx.array([[1, 2], [3, 4]], mx.float32), b: f32([1, 1]) };
    const x = mx.array([[1, 0], [0, 1]], mx.float32);
    const cf = mx.compile(fn);
    for (let i = 0; i < 2; i++) {
      const r = cf(p, x);
      close(r.y, [[2, 3], [4, 5]]);
      expect(r.same).toBe(x);
      close(r.k, [1, 1]);
      expect(r.n).toBe(3);
    }
  });
  it('composes with grad and vmap both ways', () => {
    const f = (x: mx.MxArray) => mx.sum(mx.multiply(mx.sin(x), x));
    const x = f32([0.5, 1.5]);
    const want = (mx.grad(f)(x) as mx.MxArray).tolist() as number[];
    close(mx.grad(mx.compile(f))(x), want);
    close(mx.compile(mx.grad(f))(x), want);
    close(mx.compile(mx.grad(f))(f32([0.5, 1.5])), want);
    close(mx.vmap(mx.compile((v: mx.MxArray) => mx.multiply(v, 2)))(x), [1, 3]);
  });
  it('disableCompile runs the function each time; errors are clear', () => {
    let calls = 0;
    const g = mx.compile((x: mx.MxArray) => (calls++, mx.add(x, 1)));
    mx.disableCompile();
    try {
      g(f32(1));
      g(f32(1));
      expect(calls).toBe(2);
    } finally {
      mx.enableCompile();
    }
    g(f32(1));
    g(f32(1));
    expect(calls).toBe(3);
    expect(() => mx.compile((x: mx.MxArray) => (mx.eval(x), x))(f32(1))).toThrow(/Attempting to eval an array during function transformations/);
    expect(() => mx.compile((x: unknown) => x as mx.MxArray)(new Map() as never)).toThrow(/\[compile\] Function arguments must be trees of arrays or constants/);
  });
});

describe('compile fuses elementwise chains', () => {
  const a = mx.array([[0.5, -1, 2], [0, 1, 3]], mx.float32);
  const b = mx.array([1, 2, 3], mx.float32);
  /** The primitive names of the graph behind `y` (not evaluated yet). */
  const graphNames = (y: mx.MxArray): string[] => {
    const names: string[] = [];
    const seen = new Set<unknown>();
    const walk = (x: { _node: { prim: { name: string; toString(): string }; inputs: unknown[] } | null }) => {
      if (!x._node || seen.has(x)) return;
      seen.add(x);
      names.push(x._node.prim.toString());
      x._node.inputs.forEach((i) => walk(i as never));
    };
    walk(y as never);
    return names;
  };
  it('exp(a) * b + 1 becomes one Compiled node with the unfused values', () => {
    const f = (x: mx.MxArray, y: mx.MxArray) => mx.add(mx.multiply(mx.exp(x), y), 1);
    const cf = mx.compile(f);
    const r = cf(a, b);
    expect(graphNames(r).filter((n) => n.startsWith('Compiled'))).toEqual(['Compiled(Exp>Multiply>Add)']);
    expect(r.tolist()).toEqual(f(a, b).tolist());
  });
  it('an intermediate used outside the chain becomes a second output; other nodes stay in order', () => {
    const f = (x: mx.MxArray) => {
      const e = mx.exp(x);
      const t = mx.tanh(e);
      return [mx.add(t, mx.sum(e)), mx.sqrt(mx.abs(mx.negative(t)))];
    };
    const cf = mx.compile(f);
    const [p, q] = cf(a) as mx.MxArray[];
    const [p0, q0] = f(a) as mx.MxArray[];
    expect(p!.tolist()).toEqual(p0!.tolist());
    expect(q!.tolist()).toEqual(q0!.tolist());
  });
  it('fused nodes differentiate and batch like the unfused graph', () => {
    const f = (x: mx.MxArray) => mx.sum(mx.multiply(mx.sin(mx.multiply(x, x)), mx.exp(x)));
    const g = mx.grad(f)(a) as mx.MxArray;
    close(mx.grad(mx.compile(f))(a), g.tolist() as number[][]);
    const h = (x: mx.MxArray) => mx.add(mx.multiply(mx.sin(x), 2), x);
    const cj = mx.jvp(mx.compile(h), [a], [mx.onesLike(a)])[1][0]!;
    close(cj, (mx.jvp(h, [a], [mx.onesLike(a)])[1][0]!).tolist() as number[][]);
    close(mx.vmap(mx.compile(h), 1)(a), (mx.vmap(h, 1)(a) as mx.MxArray).tolist() as number[][]);
    // the vjp of a fused node itself (compile of grad fuses the backward pass too)
    close(mx.compile(mx.grad(f))(a), g.tolist() as number[][]);
  });
});
