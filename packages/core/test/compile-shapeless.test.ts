// mx.compile(fn, shapeless = true): a call with new input shapes (same dtypes and ranks)
// replays the trace without running fn, every node's shapes inferred again from its inputs
// (MLX's Primitive::output_shapes). The first block ports MLX 0.32.4's shapeless tests
// (python/tests/test_compile.py); expected values are MLX's or the uncompiled function's.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const f32 = (v: unknown) => mx.array(v as number[], mx.float32);
const i32 = (v: unknown) => mx.array(v as number[], mx.int32);
/** Deterministic float32 test data of `shape`. */
const data = (...shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return mx.reshape(f32(Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + shape.length) * 3)), shape);
};
type Fn = (...a: mx.MxArray[]) => unknown;
const leaves = (r: unknown): mx.MxArray[] => (Array.isArray(r) ? (r as unknown[]).flatMap(leaves) : [r as mx.MxArray]);
/** The compiled result equals the uncompiled one: shapes, dtypes and values. */
function expectSame(got: unknown, want: unknown) {
  const g = leaves(got);
  const w = leaves(want);
  expect(g.length).toBe(w.length);
  g.forEach((a, i) => {
    expect(a.shape).toEqual(w[i]!.shape);
    expect(a.dtype).toBe(w[i]!.dtype);
    expect(mx.allclose(a, w[i]!, 1e-5, 1e-6, true).item(), `output ${i}: ${JSON.stringify(a.tolist())} vs ${JSON.stringify(w[i]!.tolist())}`).toBe(true);
  });
}
/** Compiles fn shapeless and checks each call against fn itself; fn runs (is traced) once. */
function replays(fn: Fn, ...calls: mx.MxArray[][]) {
  let traces = 0;
  const cf = mx.compile((...a: mx.MxArray[]) => (traces++, fn(...a)), true);
  for (const args of calls) expectSame(cf(...args), fn(...args));
  expect(traces).toBe(1);
}
describe('shapeless compile (MLX test_compile.py)', () => {
  it('new shapes replay without tracing again (captured values stay); a new dtype or rank traces again', () => {
    let y = 1;
    let traces = 0;
    const fun = mx.compile((x: mx.MxArray) => (traces++, mx.add(x, y)), true);
    expect(fun(f32([1, 2])).tolist()).toEqual([2, 3]);
    y = 2;
    expect(fun(f32([1, 2, 3])).tolist()).toEqual([2, 3, 4]); // not traced again: y is still 1
    expect(traces).toBe(1);
    const r = fun(i32([1, 2, 3]));
    expect(r.dtype).toBe(mx.float32); // (a JS number is a Python float)
    expect(r.tolist()).toEqual([3, 4, 5]);
    expect(fun(f32([[1, 2, 3]])).tolist()).toEqual([[3, 4, 5]]);
    expect(traces).toBe(3);
  });
  it('takeAlongAxis / putAlongAxis (GatherAxis, ScatterAxis) follow new shapes, broadcasts included', () => {
    const idxOf = (shape: number[], n: number) => mx.remainder(mx.arange(shape.reduce((a, b) => a * b, 1), mx.int32), BigInt(n)).reshape(shape);
    replays((x, i) => mx.takeAlongAxis(x, i, 1), [f32([[1, 2, 3], [4, 5, 6]]), idxOf([2, 2], 3)], [mx.reshape(mx.arange(20), [4, 5]), idxOf([4, 3], 5)], [mx.reshape(mx.arange(20), [4, 5]), idxOf([1, 2], 5)]);
    replays((x, i) => mx.putAlongAxis(x, i, mx.array(-1), 0), [f32([[1, 2, 3], [4, 5, 6]]), idxOf([1, 3], 2)], [mx.reshape(mx.arange(20), [4, 5]), idxOf([2, 5], 4)], [mx.reshape(mx.arange(6), [1, 6]), idxOf([1, 1], 1)]);
    replays((x) => mx.takeAlongAxis(x, mx.argsort(x, -1), -1), [f32([[3, 1, 2]])], [mx.reshape(mx.sin(mx.arange(30)), [5, 6])]);
    // and their gradients
    replays((x, i) => mx.grad((v: mx.MxArray) => mx.sum(mx.square(mx.takeAlongAxis(v, i, 1))))(x), [f32([[1, 2, 3], [4, 5, 6]]), idxOf([2, 4], 3)], [mx.reshape(mx.arange(20), [4, 5]), idxOf([4, 2], 5)]);
  });
  it('broadcasts are inferred again, whichever side stretches', () => {
    const x = mx.ones([2, 2]);
    let y = f32([2, 2]);
    const fun = (a: mx.MxArray, b: mx.MxArray) => mx.multiply(a, b);
    const cfun = mx.compile(fun, true);
    expectSame(cfun(x, y), fun(x, y));
    expectSame(cfun(y, x), fun(y, x));
    y = f32([[3]]);
    expectSame(cfun(x, y), fun(x, y)); // traced with (2,2) * (1,1)
    expectSame(cfun(y, x), fun(y, x)); // replayed with (1,1) * (2,2)
  });
  it('reductions', () => {
    let z = 1;
    const fun = mx.compile((x: mx.MxArray, y: mx.MxArray) => mx.add(mx.add(x, y.sum(0, true)), z), true);
    expect(fun(mx.ones([2, 2], mx.int32), mx.ones([2, 2], mx.int32)).tolist()).toEqual([[4, 4], [4, 4]]);
    z = 2;
    expect(fun(mx.ones([3, 3], mx.int32), mx.ones([3, 3], mx.int32)).tolist()).toEqual([[5, 5, 5], [5, 5, 5], [5, 5, 5]]);

    const x1 = i32([[1, 2], [3, 4], [5, 6]]);
    const x2 = i32([[1, 2]]);
    replays((x) => mx.multiply(x, x.sum(-1, true)), [x1], [x2]);
    replays((x) => mx.multiply(x, x.sum(-1, false)), [x2]);
  });
  it('unflatten, and basic indexing on the traced shapes', () => {
    const unflat = mx.compile((x: mx.MxArray) => mx.unflatten(x, -1, [4, -1]), true);
    expect(unflat(mx.zeros([1, 1, 4 * 32])).shape).toEqual([1, 1, 4, 32]);
    // the -1 is inferred again (MLX 0.32.4 keeps the 32 it resolved when tracing)
    expect(unflat(mx.zeros([1, 2, 4 * 16])).shape).toEqual([1, 2, 4, 16]);
    const last = mx.compile((x: mx.MxArray) => x.index(mx.Slice(), -1, mx.Slice()), true);
    expect(last(mx.zeros([1, 1, 32])).shape).toEqual([1, 32]);
  });
  it('zerosLike and onesLike follow the new shape', () => {
    const zerosFun = mx.compile((x: mx.MxArray) => mx.zerosLike(x), true);
    const onesFun = mx.compile((x: mx.MxArray) => mx.onesLike(x), true);
    expect(zerosFun(mx.zeros([1, 1, 32])).shape).toEqual([1, 1, 32]);
    expect(onesFun(mx.zeros([1, 1, 32])).shape).toEqual([1, 1, 32]);
    expect(zerosFun(mx.zeros([2, 2, 16])).shape).toEqual([2, 2, 16]);
    const ones = onesFun(mx.zeros([2, 2, 16]));
    expect(ones.shape).toEqual([2, 2, 16]);
    expect(mx.all(mx.equal(ones, 1)).item()).toBe(true);
  });
  it('mean counts the elements of each call', () => {
    const mean = (x: mx.MxArray) => mx.mean(x, true);
    expect(mx.compile(mean)(mx.ones([5, 5])).tolist()).toEqual([[1]]);
    const cmean = mx.compile(mean, true);
    for (const n of [2, 4, 7]) expectSame(cmean(mx.ones([n])), mean(mx.ones([n])));
    // MLX: sum * float32(1/n), so the mean of 0..6 is 3.0000002
    expect(cmean(mx.arange(7, mx.float32)).item()).toBe(3.000000238418579);
    expect(cmean(mx.arange(2, mx.float32)).item()).toBe(0.5);
  });
  it('matmul and addmm', () => {
    const a = f32([0, 1, 2]);
    expectSame(mx.compile((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), true)(a, a), mx.matmul(a, a));
    const addmm = (c: mx.MxArray, p: mx.MxArray, q: mx.MxArray) => mx.addmm(c, p, q);
    replays(addmm, [mx.ones([2, 4]), mx.ones([2, 3]), mx.ones([3, 4])], [mx.ones([3, 5]), mx.ones([3, 6]), mx.ones([6, 5])]);
    const scaled = mx.compile((c: mx.MxArray, p: mx.MxArray, q: mx.MxArray) => mx.addmm(c, p, q, 2, 3), true);
    expect(scaled(mx.ones([2, 4]), mx.ones([2, 3]), mx.ones([3, 4])).tolist()).toEqual([[9, 9, 9, 9], [9, 9, 9, 9]]);
    expect(scaled(mx.ones([1, 2]), mx.ones([1, 6]), mx.ones([6, 2])).tolist()).toEqual([[15, 15]]);
  });
  it('an update at an index replays for a longer array', () => {
    const fun = (x: mx.MxArray) => {
      x.indexPut_(2, f32([3]));
      return x;
    };
    const cfun = mx.compile(fun, true);
    expect(cfun(f32([0, 1, 2, 3])).tolist()).toEqual([0, 1, 3, 3]);
    expect(cfun(f32([0, 1, 2, 3, 4])).tolist()).toEqual([0, 1, 3, 3, 4]);
  });
  it('reshape keeps the -1 of the request and infers it again', () => {
    const cfun = mx.compile((x: mx.MxArray) => mx.reshape(x, [x.shape[0]! * x.shape[1]!, -1]), true);
    expect(cfun(mx.zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(cfun(mx.zeros([2, 3, 8])).shape).toEqual([6, 8]);
    expect(() => cfun(mx.zeros([5, 5, 5]))).toThrow('[reshape] Cannot reshape array of size 125 into shape (6,20).');
  });
  it('broadcastTo keeps its target; broadcastArrays and batched matmul infer theirs', () => {
    const b = mx.ones([2, 2]);
    const to = mx.compile((a: mx.MxArray) => mx.broadcastTo(a, b.shape), true);
    expect(to(f32(0)).shape).toEqual([2, 2]);
    expect(() => to(mx.reshape(f32(0), [1, 1, 1]))).toThrow(); // a new rank traces again, which throws
    const to23 = mx.compile((a: mx.MxArray) => mx.broadcastTo(a, [2, 3]), true);
    to23(mx.zeros([1, 3]));
    expect(to23(mx.zeros([2, 1])).shape).toEqual([2, 3]);
    expect(() => to23(mx.zeros([1, 4]))).toThrow('[broadcast_shapes] Shapes (1,4) and (2,3) cannot be broadcast.');

    const both = mx.compile((p: mx.MxArray, q: mx.MxArray) => mx.broadcastArrays([p, q]), true);
    expect((both(f32(0), b) as mx.MxArray[]).map((x) => x.shape)).toEqual([[2, 2], [2, 2]]);
    expect((both(f32(0), mx.ones([3, 4])) as mx.MxArray[]).map((x) => x.shape)).toEqual([[3, 4], [3, 4]]);

    const mm = mx.compile((p: mx.MxArray, q: mx.MxArray) => mx.matmul(p, q), true);
    expect(mm(mx.zeros([2, 1, 4, 2]), mx.zeros([3, 2, 5])).shape).toEqual([2, 3, 4, 5]);
    replays((p, q) => mx.matmul(p, q), [data(2, 1, 4, 2), data(3, 2, 5)], [data(1, 3, 2, 3), data(3, 3, 4)]);
  });
  it('shapeless compile of a gradient (vjp rules build shape-following graphs)', () => {
    const sumOfSum = mx.compile(mx.grad((args: mx.MxArray[]) => mx.sum(mx.add(args[0]!, args[1]!))), true);
    let out = sumOfSum([f32(0), mx.ones([2, 2])]) as unknown as mx.MxArray[];
    expect(out.map((x) => x.shape)).toEqual([[], [2, 2]]);
    out = sumOfSum([mx.ones([2, 2]), f32(0)]) as unknown as mx.MxArray[];
    expect(out.map((x) => x.shape)).toEqual([[2, 2], []]);

    const f = (args: mx.MxArray[]) => mx.sum(mx.matmul(args[0]!, args[1]!));
    const gradMatmul = mx.compile(mx.grad(f), true);
    for (const [sa, sb] of [[[2, 1, 4, 2], [3, 2, 5]], [[3, 1, 4, 2], [2, 2, 5]]] as const) {
      const args = [data(...sa), data(...sb)];
      const got = gradMatmul(args) as unknown as mx.MxArray[];
      expect(got.map((x) => x.shape)).toEqual([sa, sb]);
      expectSame(got, mx.grad(f)(args));
    }
  });
  it('reductions over axes of size 1 when tracing are kept (MLX issue #3201)', () => {
    const buf = f32([10, 20, 30, 40, 50]);
    const reductions = [mx.sum, mx.mean, mx.prod, mx.min, mx.max, mx.all, mx.any, mx.argmin, mx.argmax] as ((x: mx.MxArray) => mx.MxArray)[];
    for (const reduction of reductions) {
      const fun = (b: mx.MxArray, idx: mx.MxArray) => reduction(mx.take(b, idx, 0));
      let cfun = mx.compile(fun, true);
      for (const n of [1, 2, 3, 4]) expectSame(cfun(buf, mx.arange(n, mx.int32)), fun(buf, mx.arange(n, mx.int32)));
      cfun = mx.compile(fun, true);
      for (const n of [2, 1]) expectSame(cfun(buf, mx.arange(n, mx.int32)), fun(buf, mx.arange(n, mx.int32)));
    }
  });
});

describe('shapeless compile: shapes inferred per primitive', () => {
  it('elementwise chains, fused again for each new shape', () => {
    const f = (x: mx.MxArray, y: mx.MxArray) => mx.add(mx.multiply(mx.exp(x), y), 1);
    replays(f, [data(2, 3), data(3)], [data(3, 4), data(4)], [data(3, 4), data(1)], [data(5, 1), data(4)]);
    const cf = mx.compile(f, true);
    cf(data(2, 3), data(3));
    const r = cf(data(4, 5), data(5));
    expect((r as unknown as { _node: { prim: object } })._node.prim.toString()).toBe('Compiled(Exp>Multiply>Add)');
    expectSame(r, f(data(4, 5), data(5)));
    // an intermediate read outside the chain, and two outputs
    replays((x) => {
      const e = mx.exp(x);
      const t = mx.tanh(e);
      return [mx.add(t, mx.sum(e)), mx.sqrt(mx.abs(mx.negative(t)))];
    }, [data(2, 3)], [data(3, 4)]);
    replays((c, x) => [mx.where(mx.greater(c, 0), x, 0), mx.clip(x, -0.5, 0.5), ...mx.divmod(x, c)], [data(2, 3), data(2, 3)], [data(3, 4), data(1, 4)]);
    replays((x) => mx.add(mx.astype(x, mx.int32), 1), [data(2, 3)], [data(3, 4)]);
  });
  it('reductions and their compositions', () => {
    const cases: Fn[] = [
      (x) => mx.softmax(x, -1),
      (x) => mx.softmax(x, 0),
      (x) => mx.logsumexp(x, -1),
      (x) => mx.logsumexp(x),
      (x) => mx.variance(x, 1),
      (x) => mx.variance(x, 1, false, 1),
      (x) => mx.std(x),
      (x) => mx.mean(x, 0),
      (x) => mx.argmax(x, 1),
      (x) => mx.argmin(x),
      (x) => mx.multiply(mx.max(x, 1, true), x),
      (x) => mx.sum(x, 0),
    ];
    for (const fn of cases) replays(fn, [data(2, 3)], [data(3, 4)], [data(1, 1)]);
  });
  it('scans, sorts, shape ops, concatenation, products', () => {
    const cases: [Fn, mx.MxArray[], mx.MxArray[]][] = [
      [(x) => mx.cumsum(x, 1), [data(2, 3)], [data(3, 4)]],
      [(x) => mx.cummax(x, 0, true), [data(2, 3)], [data(3, 4)]],
      [(x) => [mx.sort(x, -1), mx.argsort(x, 0), mx.partition(x, 1, -1)], [data(2, 3)], [data(3, 4)]],
      [(x) => mx.transpose(x), [data(2, 3)], [data(3, 4)]],
      [(x) => mx.add(mx.swapaxes(x, 0, 1), 1), [data(2, 3)], [data(3, 4)]],
      [(x) => mx.squeeze(x, 1), [data(2, 1, 3)], [data(3, 1, 4)]],
      [(x) => mx.expandDims(x, [0, 2]), [data(2, 3)], [data(3, 4)]],
      [(x) => [mx.flatten(x), mx.flatten(x, 1, 2)], [data(2, 3, 4, 5)], [data(3, 4, 5, 6)]],
      [(x) => mx.unflatten(x, 1, [2, -1]), [data(2, 4)], [data(3, 6)]],
      [(x) => mx.reshape(x, [-1]), [data(2, 3)], [data(4, 5)]],
      [(x) => x.index(mx.Slice(), null), [data(2, 3)], [data(3, 4)]],
      [(x, y) => mx.concatenate([x, y], 0), [data(2, 3), data(1, 3)], [data(3, 4), data(2, 4)]],
      [(x, y) => mx.stack([x, y]), [data(2, 3), data(2, 3)], [data(3, 4), data(3, 4)]],
      [(x) => [mx.diagonal(x), mx.diagonal(x, 1), mx.diagonal(x, -1)], [data(3, 3)], [data(4, 5)]],
      [(a, b) => mx.matmul(a, b), [data(3), data(3, 4)], [data(5), data(5, 2)]],
      [(a, b) => mx.matmul(a, b), [data(2, 3, 4), data(4, 5)], [data(3, 2, 4), data(4, 6)]],
      [(a, b) => [mx.inner(a, b), mx.einsum('ij,kj->ik', a, b)], [data(2, 3), data(4, 3)], [data(3, 5), data(2, 5)]],
      [(a, b) => mx.outer(a, b), [data(2), data(3)], [data(4), data(5)]],
    ];
    for (const [fn, first, second] of cases) replays(fn, first, second);
  });
  it('gathers: the indices and the sliced axes follow the new shapes', () => {
    replays((x, i) => mx.take(x, i, 0), [data(5, 3), i32([0, 1])], [data(5, 3), i32([0, 1, 2])], [data(6, 4), i32([4, 1, 2])]);
    replays((x, i) => mx.take(x, i), [data(5, 3), i32([0, 1])], [data(6, 4), i32([7, 1, 2])]);
    replays((x, i) => x.index(i, mx.Slice(), i), [data(3, 4, 5), i32([0, 1])], [data(4, 4, 6), i32([0, 3, 2])]);
  });
  it('transforms inside the compiled function', () => {
    replays((x) => mx.vmap((v: mx.MxArray) => mx.multiply(v, mx.sum(v)))(x), [data(2, 3)], [data(4, 5)]);
    replays((x, y) => mx.vmap((v: mx.MxArray, w: mx.MxArray) => mx.add(v, w), [0, -1])(x, y), [data(2, 3), data(3)], [data(4, 5), data(5)]);
    replays((x) => mx.jvp((v: mx.MxArray) => mx.sin(mx.sum(v, 0)), [x], [mx.onesLike(x)])[1][0]!, [data(2, 3)], [data(4, 5)]);
    // the rules of the element counts that mean and var build
    replays((x) => mx.vmap((v: mx.MxArray) => [mx.mean(v), mx.variance(v, 0, false, 1)], 1)(x), [data(2, 3)], [data(4, 5)]);
    replays((x) => mx.jvp((v: mx.MxArray) => mx.mean(mx.square(v), 0), [x], [mx.onesLike(x)])[1][0]!, [data(2, 3)], [data(4, 5)]);
    const grads: Fn[] = [
      (w, x) => mx.grad((v: mx.MxArray) => mx.mean(mx.square(mx.matmul(x, v))))(w),
      (x) => mx.grad((v: mx.MxArray) => mx.sum(mx.max(v, 1)))(x),
      (x) => mx.grad((v: mx.MxArray) => mx.sum(mx.multiply(mx.softmax(v, -1), v)))(x),
      (x) => mx.grad((v: mx.MxArray) => mx.sum(mx.logsumexp(v, -1)))(x),
      (x) => mx.grad((v: mx.MxArray) => mx.add(mx.mean(v), mx.variance(v, 0, false, 1).sum()))(x),
    ];
    replays(grads[0]!, [data(3, 2), data(4, 3)], [data(3, 2), data(7, 3)]);
    for (const g of grads.slice(1)) replays(g, [data(2, 3)], [data(4, 5)]);
  });
  it('custom functions and checkpoints', () => {
    const f = mx.customFunction((x: mx.MxArray) => mx.sin(mx.sum(x, -1))).vjp(([x], cot) => [mx.multiply(mx.onesLike(x), mx.expandDims(cot as mx.MxArray, -1))]);
    const g = mx.checkpoint((x: mx.MxArray) => mx.tanh(mx.multiply(x, x)));
    replays((x) => [f(x) as mx.MxArray, g(x) as mx.MxArray], [data(2, 3)], [data(4, 5)]);
    replays((x) => mx.grad((v: mx.MxArray) => mx.sum(mx.add(f(v) as mx.MxArray, mx.sum(g(v) as mx.MxArray, -1))))(x), [data(2, 3)], [data(4, 5)]);
  });
  it('updates replay where only the first axis of the updated array changed', () => {
    replays((x) => (x.indexPut_(0, 1), x), [data(2, 3)], [data(3, 3)]);
    replays((x, i) => x.at(i).add(1), [data(5), i32([0, 1])], [data(6), i32([0, 4])]);
    const c = mx.compile((x: mx.MxArray) => (x.indexPut_(0, 1), x), true);
    c(data(2, 3));
    expect(() => c(data(3, 4))).toThrow('[Primitive::output_shapes] Scatter cannot infer output shapes.');
    const at = mx.compile((x: mx.MxArray, i: mx.MxArray) => x.at(i).add(1), true);
    at(data(5), i32([0, 1]));
    expect(() => at(data(6), i32([0, 1, 2]))).toThrow('[Primitive::output_shapes] Scatter cannot infer output shapes.');
  });
  it("primitives that can't infer their shapes throw MLX's error, only when their inputs changed shape", () => {
    const cases: [Fn, string][] = [
      [(x) => x.index(mx.Slice(1, 3)), 'Slice'],
      [(x) => mx.topk(x, 2, -1), 'Slice'],
      [(x) => mx.split(x, 2, 1), 'Slice'],
      [(x) => mx.asStrided(x, [2, 2], [1, 1]), 'AsStrided'],
      [(x) => mx.view(x, mx.int32), 'View'],
    ];
    for (const [fn, name] of cases) {
      const cf = mx.compile(fn, true);
      expectSame(cf(data(4, 6)), fn(data(4, 6)));
      expectSame(cf(data(4, 6)), fn(data(4, 6))); // same shapes: replayed
      expect(() => cf(data(5, 8))).toThrow(`[Primitive::output_shapes] ${name} cannot infer output shapes.`);
    }
    // a slice of a captured array doesn't depend on the input's shape
    const k = data(6);
    replays((x) => mx.add(x, k.index(mx.Slice(0, 3))), [data(3)], [data(1)]);
    // fixed shapes that no longer fit
    const fixed = mx.compile((x: mx.MxArray) => mx.reshape(x, [6]), true);
    fixed(data(2, 3));
    expect(fixed(data(3, 2)).shape).toEqual([6]);
    expect(() => fixed(data(3, 4))).toThrow('[reshape] Cannot reshape array of size 12 into shape (6,).');
    const squeezed = mx.compile((x: mx.MxArray) => mx.squeeze(x, 1), true);
    squeezed(data(2, 1, 3));
    expect(() => squeezed(data(2, 2, 3))).toThrow('[reshape]');
    const withConstant = mx.compile((x: mx.MxArray) => mx.add(x, mx.zeros(x.shape)), true);
    withConstant(data(2, 3));
    expect(() => withConstant(data(3, 4))).toThrow('[broadcast_shapes] Shapes (3,4) and (2,3) cannot be broadcast.');
    const mm = mx.compile((a: mx.MxArray, b: mx.MxArray) => mx.matmul(a, b), true);
    mm(data(2, 3), data(3, 4));
    expect(() => mm(data(2, 3), data(4, 4))).toThrow('[matmul] Last dimension of first input with shape (2,3) must match second to last dimension of second input with shape (4,4).');
  });
  it('many shapes in turn, then the first again', () => {
    let traces = 0;
    const f = (x: mx.MxArray) => (traces++, mx.softmax(mx.multiply(x, 2), -1));
    const cf = mx.compile(f, true);
    for (let n = 1; n <= 12; n++) expectSame(cf(data(2, n)), f(data(2, n)));
    expectSame(cf(data(2, 1)), f(data(2, 1)));
    expect(traces).toBe(1 + 13);
  });
  it("on another transform's tracers the function runs as is (as MLX)", () => {
    let runs = 0;
    const f = (x: mx.MxArray) => (runs++, mx.sum(mx.multiply(mx.sin(x), x)));
    const cf = mx.compile(f, true);
    const want3 = mx.grad(f)(data(3));
    const want2 = mx.grad(f)(data(2));
    runs = 0;
    expectSame(mx.grad(cf)(data(3)), want3);
    expectSame(mx.grad(cf)(data(2)), want2);
    expect(runs).toBe(2);
    expectSame(mx.vmap(cf)(data(2, 3)), mx.vmap(f)(data(2, 3)));
  });
});
