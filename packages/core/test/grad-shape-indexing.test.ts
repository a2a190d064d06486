// vjp/jvp/vmap rules of the view, shape, indexing and random primitives. Expected values are
// the real MLX 0.32.4's (mx.vjp / mx.jvp / mx.vmap on the same inputs); rules MLX lacks are
// checked against central finite differences; every vmap rule against a loop over the batch.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

type A = mx.MxArray;
type Fn = (...xs: A[]) => A | A[];
const list = (r: A | A[]): A[] => (Array.isArray(r) ? r : [r]);
type GraphNode = { prim: mx.Primitive<any>; inputs: A[]; outputs: A[] };
const nodeOf = (a: A): GraphNode | null => (a as unknown as { _node: GraphNode | null })._node;

const ar = (n: number, shape: number[], dtype: mx.Dtype = mx.float32): A => mx.arange(n).astype(dtype).reshape(shape);
const arr = (v: unknown, dtype?: mx.Dtype): A => mx.array(v as mx.ScalarOrArray, dtype);
/** an int32 array (index arrays, integer sources): JS numbers alone would make float32 */
const iarr = (v: unknown): A => arr(v, mx.int32);

function expectArray(a: A, values: unknown, dtype: mx.Dtype = mx.float32): void {
  expect(a.dtype).toBe(dtype);
  expect(a.tolist()).toEqual(values);
}
function expectClose(a: A, b: A, tol = 2e-3): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.astype(mx.float64).reshape([-1]).tolist() as number[];
  const y = b.astype(mx.float64).reshape([-1]).tolist() as number[];
  x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y[i]!))));
}
const grads = (fn: Fn, primals: A[], cotangents: A[]): A[] => mx.vjp(fn, primals, cotangents)[1];
const tangents = (fn: Fn, primals: A[], tans: A[]): A[] => mx.jvp(fn, primals, tans)[1];

/** Central differences of <cot, fn(x)> with respect to primals[k] (float64 inputs). */
function finiteDiffGrad(fn: Fn, primals: A[], cot: A, k: number, eps = 1e-6): A {
  const base = primals[k]!.astype(mx.float64);
  const flat = base.reshape([-1]).tolist() as number[];
  const g = flat.map((_, j) => {
    const at = (d: number) => {
      const v = [...flat];
      v[j] = v[j]! + d;
      const ps = primals.map((p, i) => (i === k ? arr(v, mx.float64).reshape(base.shape) : p.astype(mx.float64)));
      return mx.sum(mx.multiply(list(fn(...ps))[0]!, cot.astype(mx.float64))).item() as number;
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
  return arr(g, mx.float64).reshape(base.shape);
}

/** vmap(fn) against stacking fn over the batch (axes: the batch axis of each input, null: unbatched). */
function expectVmapLoop(fn: (...xs: A[]) => A, inputs: A[], inAxes: (number | null)[]): void {
  const got = mx.vmap(fn, inAxes)(...inputs) as A;
  const k = inAxes.findIndex((a) => a !== null);
  const n = inputs[k]!.shape[inAxes[k]!]!;
  const per = Array.from({ length: n }, (_, b) => fn(...inputs.map((x, i) => (inAxes[i] === null ? x : mx.take(x, b, inAxes[i]!)))));
  const want = mx.stack(per);
  expect(got.dtype).toBe(want.dtype);
  expect(got.shape).toEqual(want.shape);
  expect(got.tolist()).toEqual(want.tolist());
}

describe('view primitives', () => {
  it('Broadcast vjp sums new leading dims and stretched size-1 dims (MLX)', () => {
    const [g] = grads((x) => mx.broadcastTo(x, [2, 3, 4]), [ar(3, [3, 1])], [ar(24, [2, 3, 4])]);
    expectArray(g!, [[60], [92], [124]]);
    // in the sum's dtype, as MLX's broadcast_vjp: int32 for int8
    const [gi] = grads((x) => mx.broadcastTo(x, [2, 3, 4]), [ar(3, [3, 1], mx.int8)], [ar(24, [2, 3, 4], mx.int8)]);
    expectArray(gi!, [[60], [92], [124]], mx.int32);
    // a broadcasting binary op reduces through Broadcast
    const [ga, gb] = grads((a, b) => mx.add(a, b), [ar(2, [2, 1]), ar(3, [3])], [ar(6, [2, 3])]);
    expectArray(ga!, [[3], [12]]);
    expectArray(gb!, [3, 5, 7]);
    const [t] = tangents((x) => mx.broadcastTo(x, [2, 2]), [arr([1, 2], mx.float32)], [arr([5, 7], mx.float32)]);
    expectArray(t!, [[5, 7], [5, 7]]);
  });

  it('Reshape and Transpose vjp/jvp', () => {
    const [g] = grads((x) => mx.reshape(x, [3, 4]), [ar(12, [2, 6])], [ar(12, [3, 4])]);
    expectArray(g!, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]);
    const [gt] = grads((x) => mx.transpose(x, [2, 0, 1]), [ar(24, [2, 3, 4])], [ar(24, [4, 2, 3])]);
    expectArray(gt!, [
      [[0, 6, 12, 18], [1, 7, 13, 19], [2, 8, 14, 20]],
      [[3, 9, 15, 21], [4, 10, 16, 22], [5, 11, 17, 23]],
    ]);
    const [tt] = tangents((x) => mx.transpose(x), [ar(6, [2, 3])], [ar(6, [2, 3])]);
    expectArray(tt!, [[0, 3], [1, 4], [2, 5]]);
  });

  it('Slice vjp with steps and negative steps; jvp', () => {
    const S = mx.Slice;
    const f = (x: A) => x.index(S(4, 0, -2), S(1, null, 3));
    const [g] = grads(f, [ar(30, [5, 6])], [arr([[1, 2], [3, 4]])]);
    expectArray(g!, [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 3, 0, 0, 4, 0], [0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 2, 0]]);
    const [t] = tangents(f, [ar(30, [5, 6])], [mx.multiply(ar(30, [5, 6]), 10)]);
    expectArray(t!, [[250, 280], [130, 160]]);
    // an empty slice sends nothing back
    expectArray(grads((x) => x.index(S(5, 10)), [ar(6, [3, 2])], [mx.zeros([0, 2])])[0]!, [[0, 0], [0, 0], [0, 0]]);
  });

  it('AsStrided vjp accumulates over overlapping windows (MLX)', () => {
    const [g] = grads((x) => mx.asStrided(x, [4, 3], [1, 1]), [ar(6, [6])], [ar(12, [4, 3])]);
    expectArray(g!, [0, 4, 12, 21, 18, 11]);
    const [g2] = grads((x) => mx.asStrided(x, [2, 2, 2], [4, 1, 2], 1), [ar(9, [3, 3])], [mx.add(ar(8, [2, 2, 2]), 1)]);
    expectArray(g2!, [[0, 1, 3], [2, 4, 5], [7, 6, 8]]);
    const [t] = tangents((x) => mx.asStrided(x, [2, 2], [1, 1]), [ar(3, [3])], [arr([1, 10, 100], mx.float32)]);
    expectArray(t!, [[1, 10], [10, 100]]);
  });

  it('View: no derivative (MLX raises); same dtype is no node, so gradients pass', () => {
    expect(() => grads((x) => mx.view(x, mx.int32), [ar(4, [4])], [ar(4, [4], mx.int32)])).toThrow(/Not implemented for View int32/);
    expect(() => tangents((x) => mx.view(x, mx.float16), [ar(4, [4])], [ar(4, [4])])).toThrow(/Not implemented for View float16/);
    const [g] = grads((x) => mx.view(x, mx.float32), [ar(4, [4])], [arr([1, 1, 1, 1], mx.float32)]);
    expectArray(g!, [1, 1, 1, 1]);
  });
});

describe('shape primitives', () => {
  it('Concatenate vjp: blocks of the cotangent; promoted inputs get their own dtype back (MLX)', () => {
    const gs = grads((a, b, c) => mx.concatenate([a!, b!, c!], 1), [ar(4, [2, 2]), ar(6, [2, 3]), ar(2, [2, 1])], [ar(12, [2, 6])]);
    expectArray(gs[0]!, [[0, 1], [6, 7]]);
    expectArray(gs[1]!, [[2, 3, 4], [8, 9, 10]]);
    expectArray(gs[2]!, [[5], [11]]);
    const [gi, gf] = grads((a, b) => mx.concatenate([a!, b!]), [iarr([1, 2]), arr([1, 2, 3], mx.float32)], [arr([1.5, 2.5, 3.5, 4.5, 5.5])]);
    expectArray(gi!, [1, 2], mx.int32);
    expectArray(gf!, [3.5, 4.5, 5.5]);
    const [t] = tangents((a, b) => mx.concatenate([a!, b!], 0), [ar(4, [2, 2]), ar(2, [1, 2])], [mx.add(ar(4, [2, 2]), 1), mx.add(ar(2, [1, 2]), 7)]);
    expectArray(t!, [[1, 2], [3, 4], [7, 8]]);
    // a tangent for only one input: zeros for the other
    const [t1] = tangents((a) => mx.concatenate([a!, ar(2, [1, 2])], 0), [ar(4, [2, 2])], [mx.add(ar(4, [2, 2]), 1)]);
    expectArray(t1!, [[1, 2], [3, 4], [0, 0]]);
  });

  it('Diagonal vjp puts the cotangent on the diagonal of zeros (MLX)', () => {
    const want = [
      [[0, 1, 0, 0], [0, 4, 0, 0]],
      [[0, 0, 2, 0], [0, 0, 5, 0]],
      [[0, 0, 0, 3], [0, 0, 0, 6]],
    ];
    expectArray(grads((x) => mx.diagonal(x, 1, 0, 2), [ar(24, [3, 2, 4])], [mx.add(ar(6, [2, 3]), 1)])[0]!, want);
    expectArray(grads((x) => mx.diagonal(x, -1, 2, 0), [ar(24, [3, 2, 4])], [mx.add(ar(6, [2, 3]), 1)])[0]!, want);
    const [t] = tangents((x) => mx.diagonal(x), [ar(4, [2, 2])], [arr([[1, 2], [3, 4]], mx.float32)]);
    expectArray(t!, [1, 4]);
  });
});

describe('Gather', () => {
  const idx = iarr([0, 2, 2]);
  it('vjp is a scatter-add: duplicate indices accumulate (MLX)', () => {
    expectArray(grads((x) => x.index(idx), [ar(4, [4])], [arr([1, 2, 3], mx.float32)])[0]!, [1, 0, 5, 0]);
    // integer sources get integer gradients
    expectArray(grads((x) => x.index(idx), [iarr([1, 2, 3, 4])], [iarr([1, 1, 1])])[0]!, [1, 0, 2, 0], mx.int32);
  });
  it('take, takeAlongAxis and separated advanced indices (MLX)', () => {
    const [gt] = grads((x) => mx.take(x, iarr([[0, 2], [2, 2]]), 1), [ar(12, [3, 4])], [ar(12, [3, 2, 2])]);
    expectArray(gt!, [[0, 0, 6, 0], [4, 0, 18, 0], [8, 0, 30, 0]]);
    const [ga] = grads((x) => mx.takeAlongAxis(x, iarr([[0, 3], [1, 1], [2, 0]]), 1), [ar(12, [3, 4])], [mx.add(ar(6, [3, 2]), 1)]);
    expectArray(ga!, [[1, 0, 0, 2], [0, 7, 0, 0], [6, 0, 5, 0]]);
    const i1 = iarr([[0, 2], [1, 1]]), i2 = iarr([4, 0]);
    const [gs] = grads((x) => x.index(i1, mx.Slice(), i2), [ar(60, [3, 4, 5])], [ar(16, [2, 2, 4])]);
    expectArray(gs!, [
      [[0, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 2], [0, 0, 0, 0, 3]],
      [[12, 0, 0, 0, 8], [13, 0, 0, 0, 9], [14, 0, 0, 0, 10], [15, 0, 0, 0, 11]],
      [[4, 0, 0, 0, 0], [5, 0, 0, 0, 0], [6, 0, 0, 0, 0], [7, 0, 0, 0, 0]],
    ]);
    const [t] = tangents((x) => x.index(i1, mx.Slice(1, 3), i2), [ar(60, [3, 4, 5])], [mx.multiply(ar(60, [3, 4, 5]), 2)]);
    expectArray(t!, [[[18, 28], [90, 100]], [[58, 68], [50, 60]]]);
  });
  it('index arrays (Gather indices, Scatter positions) get zero cotangents from the rules', () => {
    const x = ar(4, [4]);
    const top = nodeOf(x.index(idx))!; // Reshape of the Gather
    const gather = nodeOf(top.inputs[0]!)!;
    expect(gather.prim.name).toBe('Gather');
    const [gi] = gather.prim.def.vjp!(gather.prim.params, gather.inputs, [mx.ones(gather.outputs[0]!.shape)], [1], gather.outputs);
    expectArray(gi!, [0, 0, 0], mx.int32);
    const scatter = nodeOf(x.at(idx).add(arr([1, 2, 3], mx.float32)))!;
    expect(scatter.prim.name).toBe('Scatter');
    const [gp] = scatter.prim.def.vjp!(scatter.prim.params, scatter.inputs, [mx.ones([4])], [1], scatter.outputs);
    expectArray(gp!, [0, 0, 0], mx.int32);
  });
});

describe('Scatter', () => {
  const idx = iarr([0, 2, 2]);
  const w = arr([1, 2, 3, 4], mx.float32);
  const setAt = (x: A, u: A) => mx.array(x).indexPut_(idx, u);
  it("'none' (a[idx] = v): overwritten elements get zero, every update its position's cotangent (MLX)", () => {
    const [ga, gu] = grads(setAt, [ar(4, [4]), arr([5, 6, 7], mx.float32)], [w]);
    expectArray(ga!, [0, 2, 0, 4]);
    expectArray(gu!, [1, 3, 3]);
    const set2 = (x: A, u: A) => mx.array(x).indexPut_([mx.Slice(1), iarr([0, 2])], u);
    const [g2a, g2u] = grads(set2, [ar(12, [3, 4]), mx.add(ar(4, [2, 2]), 100)], [mx.add(ar(12, [3, 4]), 1)]);
    expectArray(g2a!, [[1, 2, 3, 4], [0, 6, 0, 8], [0, 10, 0, 12]]);
    expectArray(g2u!, [[5, 7], [9, 11]]);
    const [pa, pu] = grads((x, u) => mx.putAlongAxis(x!, iarr([[1], [0]]), u!, 1), [ar(6, [2, 3]), arr([[7], [8]], mx.float32)], [mx.add(ar(6, [2, 3]), 1)]);
    expectArray(pa!, [[1, 0, 3], [0, 5, 6]]);
    expectArray(pu!, [[2], [4]]);
    const [sa, su] = grads((x, u) => mx.sliceUpdate(x!, u!, iarr([1]), [1]), [ar(6, [2, 3]), arr([[7, 8], [9, 10]], mx.float32)], [mx.add(ar(6, [2, 3]), 1)]);
    expectArray(sa!, [[1, 0, 0], [4, 0, 0]]);
    expectArray(su!, [[2, 3], [5, 6]]);
  });
  it("'sum' (at().add) passes the cotangent to both (MLX)", () => {
    const [ga, gu] = grads((x, u) => x!.at(idx).add(u!), [ar(4, [4]), arr([5, 6, 7], mx.float32)], [w]);
    expectArray(ga!, [1, 2, 3, 4]);
    expectArray(gu!, [1, 3, 3]);
  });
  it("'max'/'min': the winners get the cotangent, ties count for each (MLX)", () => {
    const mxg = grads((x, u) => x!.at(idx).maximum(u!), [ar(4, [4]), arr([2, 3, 1], mx.float32)], [w]);
    expectArray(mxg[0]!, [0, 2, 0, 4]);
    expectArray(mxg[1]!, [1, 3, 0]);
    const mng = grads((x, u) => x!.at(idx).minimum(u!), [ar(4, [4]), arr([2, 3, 1], mx.float32)], [w]);
    expectArray(mng[0]!, [1, 2, 0, 4]);
    expectArray(mng[1]!, [0, 0, 3]);
    const tie = grads((x, u) => x!.at(idx).maximum(u!), [arr([1, 5, 3, 4], mx.float32), arr([1, 3, 3], mx.float32)], [w]);
    expectArray(tie[0]!, [1, 2, 3, 4]);
    expectArray(tie[1]!, [1, 3, 3]);
  });
  it("'prod' (at().multiply; MLX has no rule): the product rule, zero factors included, against finite differences", () => {
    const f = (x: A, u: A) => x.at(idx).multiply(u);
    const x = arr([1.5, -2, 3, 0.5], mx.float64);
    const cot = arr([1, 2, 3, 4], mx.float64);
    for (const u of [arr([2, 3, 4], mx.float64), arr([2, 0, 4], mx.float64), arr([2, 0, 0], mx.float64)]) {
      const [ga, gu] = grads(f, [x, u], [cot]);
      expectClose(ga!, finiteDiffGrad(f, [x, u], cot, 0), 1e-6);
      expectClose(gu!, finiteDiffGrad(f, [x, u], cot, 1), 1e-6);
    }
    // by hand: out[2] = 3 * u1 * u2, so d/du1 = 3 * 3 * u2 and d/du2 = 3 * 3 * u1
    const [ga, gu] = grads(f, [x, arr([2, 0, 4], mx.float64)], [cot]);
    expectArray(ga!, [2, 2, 0, 4], mx.float64);
    expectArray(gu!, [1.5, 36, 0], mx.float64);
  });
  it('jvp (MLX has none): the derivative of each reduce, against finite differences', () => {
    const x = arr([1.5, -2, 3, 0.5], mx.float64);
    const u = arr([2, 5, -1], mx.float64);
    const tx = arr([0.1, 0.2, 0.3, 0.4], mx.float64), tu = arr([1, 2, 3], mx.float64);
    const fs: ((a: A, b: A) => A)[] = [
      setAt,
      (a, b) => a.at(idx).add(b),
      (a, b) => a.at(idx).multiply(b),
      (a, b) => a.at(idx).maximum(b),
      (a, b) => a.at(idx).minimum(b),
    ];
    for (const f of fs) {
      const [t] = tangents(f, [x, u], [tx, tu]);
      const eps = 1e-6;
      const fd = mx.divide(mx.subtract(f(mx.add(x, mx.multiply(tx, eps)), mx.add(u, mx.multiply(tu, eps))), f(mx.subtract(x, mx.multiply(tx, eps)), mx.subtract(u, mx.multiply(tu, eps)))), 2 * eps);
      expectClose(t!, fd, 1e-6);
    }
    // 'none': the last write wins, so the tangent is the winner's
    expectArray(tangents(setAt, [x, u], [tx, tu])[0]!, [1, 0.2, 3, 0.4], mx.float64);
  });
});

describe('MaskedScatter', () => {
  const setMask = (mask: A) => (x: A, v: A) => mx.array(x).indexPut_(mask, v);
  it('vjp: masked elements of a get zero, values the cotangent of the rows they filled (MLX)', () => {
    const [ga, gv] = grads(setMask(arr([true, false, true])), [ar(6, [3, 2]), mx.add(ar(6, [3, 2]), 10)], [mx.add(ar(6, [3, 2]), 1)]);
    expectArray(ga!, [[0, 0], [3, 4], [0, 0]]);
    expectArray(gv!, [[1, 2], [5, 6], [0, 0]]);
    const m2 = setMask(arr([[true, false], [false, true]]));
    const [ga2, gv2] = grads(m2, [ar(12, [2, 2, 3]), ar(9, [3, 3])], [mx.add(ar(12, [2, 2, 3]), 1)]);
    expectArray(ga2!, [[[0, 0, 0], [4, 5, 6]], [[7, 8, 9], [0, 0, 0]]]);
    expectArray(gv2!, [[1, 2, 3], [10, 11, 12], [0, 0, 0]]);
    const [t] = tangents(m2, [ar(12, [2, 2, 3]), ar(9, [3, 3])], [mx.add(ar(12, [2, 2, 3]), 1), mx.add(ar(9, [3, 3]), 50)]);
    expectArray(t!, [[[50, 51, 52], [4, 5, 6]], [[7, 8, 9], [53, 54, 55]]]);
  });
});

describe('vmap rules against a loop over the batch', () => {
  const x3 = ar(24, [2, 3, 4]);
  it('Reshape, Broadcast, Transpose, Slice, AsStrided, View with the batch axis anywhere', () => {
    for (const ax of [0, 1, 2]) {
      expectVmapLoop((x) => mx.reshape(x, [-1]), [x3], [ax]);
      expectVmapLoop((x) => mx.broadcastTo(mx.reshape(x, [x.shape[0]!, 1, x.shape[1]!]), [2, x.shape[0]!, 3, x.shape[1]!]), [x3], [ax]);
      expectVmapLoop((x) => mx.transpose(x), [x3], [ax]);
      expectVmapLoop((x) => x.index(mx.Slice(null, null, -1), mx.Slice(1)), [x3], [ax]);
      expectVmapLoop((x) => mx.asStrided(x, [3, 2], [1, 2], 1), [x3], [ax]);
      expectVmapLoop((x) => mx.view(x, mx.uint16), [x3], [ax]);
      expectVmapLoop((x) => mx.view(mx.astype(x, mx.uint8), mx.int8), [x3], [ax]);
    }
    // the batch axis in the input's own dims
    expectVmapLoop((x) => mx.broadcastTo(x, [5, 4]), [ar(8, [2, 4])], [0]);
    expectVmapLoop((x) => mx.broadcastTo(x, [3, 1, 4]), [ar(8, [4, 2])], [1]);
  });
  it('Concatenate and Diagonal, with unbatched inputs mixed in', () => {
    const a = ar(12, [3, 4]);
    expectVmapLoop((p, q) => mx.concatenate([p!, q!], 0), [a, ar(2, [2])], [1, null]);
    expectVmapLoop((p, q) => mx.concatenate([p!, q!], 1), [a, ar(12, [2, 3, 2])], [null, 0]);
    expectVmapLoop((p, q) => mx.concatenate([q!, p!, q!], 0), [ar(16, [2, 2, 4]), ar(4, [1, 4])], [0, null]);
    expectVmapLoop((p, q) => mx.concatenate([p!, q!], 1), [ar(24, [3, 4, 2]), ar(24, [3, 2, 4])], [1, 2]);
    for (const ax of [0, 1, 2]) {
      expectVmapLoop((x) => mx.diagonal(x), [x3], [ax]);
      expectVmapLoop((x) => mx.diagonal(x, -1, 1, 0), [x3], [ax]);
    }
  });
  it('Gather: batched source, batched indices, both (index, take, takeAlongAxis)', () => {
    const src = ar(24, [2, 3, 4]);
    const ib = iarr([[0, 2, 1], [3, 3, 0]]);
    // both batched: MLX's vmap gives the same values
    const both = mx.vmap((x, i) => x!.index(mx.Slice(), i!), [0, 0])(src, ib) as A;
    expectArray(both, [[[0, 2, 1], [4, 6, 5], [8, 10, 9]], [[15, 15, 12], [19, 19, 16], [23, 23, 20]]]);
    expectVmapLoop((x, i) => x!.index(mx.Slice(), i!), [src, ib], [0, 0]);
    expectVmapLoop((x, i) => x!.index(i!), [src, iarr([[0, 1, 1, 0], [1, 0, 1, 1]])], [2, 1]);
    expectVmapLoop((x) => x.index(iarr([1, 0, 0])), [src], [1]);
    // one scalar index per example
    expectVmapLoop((x, i) => x!.index(i!), [src, iarr([1, 0])], [0, 0]);
    expectVmapLoop((x, i) => mx.take(x!, i!, 1), [src, iarr([3, 0, 2])], [1, 0]);
    expectVmapLoop((i) => src.index(1, mx.Slice(), i), [ib], [0]);
    expectVmapLoop((i) => src.index(i, mx.Slice(), i), [iarr([[0, 1], [1, 0], [1, 1]])], [1]);
    expectVmapLoop((x, i) => mx.take(x!, i!, 0), [src, iarr([[1, 0], [0, 0], [1, 1]])], [1, 0]);
    expectVmapLoop((x, i) => mx.take(x!, i!), [src, iarr([5, 0, 3])], [2, null]);
    expectVmapLoop((x, i) => mx.takeAlongAxis(x!, i!, 1), [src, iarr([[[0, 3], [1, 1], [2, 0]], [[3, 3], [0, 1], [2, 2]]])], [0, 0]);
    expectVmapLoop((x, i) => mx.takeAlongAxis(x!, i!, 0), [src, iarr([[1, 0, 2, 2]])], [0, null]);
    expectVmapLoop((x, i) => x!.index(i!, mx.Slice(0, 2), i!), [ar(48, [2, 3, 2, 4]), iarr([[0, -1], [1, 0], [-2, 1]])], [1, 0]);
  });
  it('Scatter: indexPut_, at().add/multiply/maximum with every mix of batched inputs', () => {
    const a = ar(8, [4, 2]);
    const i = iarr([[0, 0], [3, 1]]);
    const u = arr([10, 20], mx.float32);
    // MLX's vmap of at().add: source batched on axis 1, indices on axis 0, updates unbatched
    const got = mx.vmap((x, k, v) => x!.at(k!).add(v!), [1, 0, null])(a, i, u) as A;
    expectArray(got, [[30, 2, 4, 6], [1, 23, 5, 17]]);
    const put = (x: A, k: A, v: A) => mx.array(x).indexPut_(k, v);
    for (const axes of [[1, 0, null], [null, 0, 0], [1, null, 0], [0, null, null], [null, 1, null]] as (number | null)[][]) {
      const xs = [axes[0] === 1 ? a : ar(8, [2, 4]), axes[1] === 1 ? i.T : i, u];
      if (axes[0] === null) xs[0] = ar(4, [4]);
      if (axes[2] === 0) xs[2] = arr([[10, 20], [30, 40]], mx.float32);
      expectVmapLoop((x, k, v) => x!.at(k!).add(v!), xs, axes);
      expectVmapLoop(put, xs, axes);
      expectVmapLoop((x, k, v) => x!.at(k!).maximum(v!), xs, axes);
      expectVmapLoop((x, k, v) => x!.at(k!).multiply(v!), xs, axes);
    }
    // 2-D targets, negative indices, slices
    expectVmapLoop((x, v) => mx.array(x!).indexPut_([mx.Slice(1), iarr([-1, 0])], v!), [ar(24, [2, 3, 4]), ar(4, [2, 2])], [0, null]);
    expectVmapLoop((x, k) => mx.putAlongAxis(x!, k!, arr(-1), 1), [ar(24, [3, 2, 4]), iarr([[[1], [0], [3]], [[2], [2], [0]]])], [1, 0]);
  });
  it('MaskedScatter: each example counts its own trues', () => {
    const put = (x: A, m: A, v: A) => mx.array(x).indexPut_(m, v);
    const masks = arr([[true, false, true], [false, false, true]]);
    expectVmapLoop(put, [ar(12, [2, 3, 2]), masks, mx.add(ar(12, [2, 3, 2]), 100)], [0, 0, 0]);
    expectVmapLoop(put, [ar(6, [3, 2]), masks, mx.add(ar(12, [3, 2, 2]), 100)], [null, 0, 2]);
    expectVmapLoop(put, [ar(12, [3, 2, 2]), arr([true, false, true]), mx.add(ar(4, [2, 2]), 100)], [2, null, null]);
    expectVmapLoop(put, [ar(12, [3, 2, 2]), masks.T, arr(-5, mx.float32)], [null, 1, null]);
  });
  it('RandomBits: batched keys, on either axis (MLX values)', () => {
    const keys = arr([[276534068, 861967409], [1905761346, 1641862660], [2900896126, 1402713516]], mx.uint32);
    const u = mx.vmap((k) => mx.random.uniform(0, 1, [2, 2], mx.float32, k), [0])(keys) as A;
    expectClose(u, arr([
      [[0.6307569146156311, 0.7633686065673828], [0.05762862041592598, 0.6070735454559326]],
      [[0.16866955161094666, 0.4762132465839386], [0.21511845290660858, 0.7562753558158875]],
      [[0.9578723907470703, 0.9676288962364197], [0.04715140536427498, 0.34635889530181885]],
    ]), 1e-6);
    const u1 = mx.vmap((k) => mx.random.uniform(0, 1, [3], mx.float32, k), [1])(keys.T) as A;
    expectClose(u1, arr([[0.630757, 0.812034, 0.0576286], [0.16867, 0.800466, 0.215118], [0.957872, 0.134298, 0.0471514]]), 1e-5);
    for (const width of [1, 2, 4]) {
      expectVmapLoop((k) => mx.random.bits([3], width, k), [keys], [0]);
      expectVmapLoop((k) => mx.random.bits([2, 3], width, k), [keys.T], [1]);
    }
    expect(() => grads((k) => mx.random.bits([2], 4, k), [keys.index(0)], [arr([1, 1], mx.uint32)])).toThrow(/Not implemented for RandomBits/);
  });
});

describe('higher order: grad of grad, jvp of grad, vmap of grad (MLX values)', () => {
  const x = arr([0.5, -1, 2, 1.5], mx.float32);
  const idx = iarr([0, 2, 2]);
  const w = arr([1, 2, 3, 4], mx.float32);
  const u = arr([0.5, 2, -1], mx.float32);
  const cube = (a: A) => mx.power(a, 3);
  it('Gather', () => {
    const f = (a: A) => mx.sum(cube(a.index(idx)));
    expectArray(mx.grad((a: A) => mx.sum(mx.multiply(mx.grad(f)(a), w)))(x), [3, 0, 72, 0]);
    // MLX has no Scatter jvp; H w is the same Hessian-vector product as above
    expectArray(mx.jvp(mx.grad(f), [x], [w])[1][0]!, [3, 0, 72, 0]);
    const xb = arr([[0.5, -1, 2, 1.5], [1, 2, -0.5, 0.25]], mx.float32);
    const ib = iarr([[0, 2, 2], [3, 1, 3]]);
    expectArray(mx.vmap(mx.grad((a: A, i: A) => mx.sum(cube(a.index(i)))))(xb, ib) as A, [[0.75, 0, 24, 0], [0, 12, 0, 0.375]]);
    const perExample = (a: A, i: A, c: A) => mx.vjp((y: A) => mx.takeAlongAxis(y, i, 0), [a], [c])[1][0]!;
    expectArray(mx.vmap(perExample)(xb, ib, mx.ones([2, 3])) as A, [[1, 0, 2, 0], [0, 1, 0, 2]]);
  });
  it('Slice, Broadcast, Transpose, Reshape, Diagonal, Concatenate, AsStrided', () => {
    const x2 = arr([[0.5, -1, 2], [1.5, 0.25, -0.5]], mx.float32);
    const f = (a: A) =>
      mx.sum(cube(mx.concatenate([a.index(mx.Slice(), mx.Slice(null, null, -2)), mx.broadcastTo(a.index(mx.Slice(null, 1)), [2, 3]).T.reshape([2, 3]), mx.diagonal(a).index(null).T], 1)));
    expectArray(mx.grad((a: A) => mx.sum(mx.multiply(mx.grad(f)(a), a)))(x2), [[9, 18, 108], [20.25, 0.5625, 2.25]]);
    expectArray(mx.grad((a: A) => mx.sum(mx.square(mx.asStrided(a, [3, 2], [1, 1]))))(arr([1, 2, 3, 4], mx.float32)), [2, 8, 12, 8]);
  });
  it("Scatter 'sum', 'none', 'max' and MaskedScatter", () => {
    const fAdd = (a: A, b: A) => mx.sum(cube(a.at(idx).add(b)));
    const gAdd = (b: A) => mx.sum(mx.multiply((mx.grad(fAdd, 1) as (a: A, b: A) => A)(x, b), arr([1, 2, 3], mx.float32)));
    expectArray(mx.grad(gAdd)(u), [6, 90, 90]);
    const fSet = (a: A, b: A) => mx.sum(mx.multiply(cube(mx.array(a).indexPut_(idx, b)), w));
    const gSet = (a: A, b: A) => mx.add(mx.sum(mx.multiply((mx.grad(fSet, 1) as (a: A, b: A) => A)(a, b), b)), mx.sum(mx.grad(fSet)(a, b)));
    const [sx, su] = mx.grad(gSet, [0, 1])(x, u) as A[];
    expectArray(sx!, [0, -12, 0, 36]);
    expectArray(su!, [2.25, -9, -9]);
    const fMax = (a: A, b: A) => mx.sum(mx.multiply(cube(a.at(idx).maximum(b)), w));
    const gMax = (a: A, b: A) => mx.add(mx.sum((mx.grad(fMax, [0, 1])(a, b) as A[])[1]!), mx.sum(mx.grad(fMax)(a, b)));
    const [mx_, mu] = mx.grad(gMax, [0, 1])(x, u) as A[];
    expectArray(mx_!, [6, -12, 72, 36]);
    expectArray(mu!, [6, 72, 0]);
    const v = arr([0.25, 3, -2, 1], mx.float32);
    const fMask = (a: A, b: A) => mx.sum(cube(mx.array(a).indexPut_(arr([true, false, true, true]), b)));
    const gMask = (a: A, b: A) => mx.add(mx.sum(mx.multiply((mx.grad(fMask, 1) as (a: A, b: A) => A)(a, b), w)), mx.sum(mx.multiply(mx.grad(fMask)(a, b), w)));
    const [kx, kv] = mx.grad(gMask, [0, 1])(x, v) as A[];
    expectArray(kx!, [0, -12, 0, 0]);
    expectArray(kv!, [1.5, 36, -36, 0]);
  });
  it("Scatter 'prod' second derivatives against finite differences of the first", () => {
    const f = (a: A, b: A) => mx.sum(mx.multiply(a.at(idx).multiply(b), mx.sin(mx.multiply(a, 3))));
    const x64 = arr([1.5, -2, 3, 0.5], mx.float64);
    for (const b of [arr([2, 3, 4], mx.float64), arr([2, 0, 4], mx.float64)]) {
      for (const k of [0, 1]) {
        const first = (a: A, c: A) => (mx.grad(f, k) as (a: A, b: A) => A)(a, c);
        const second = mx.grad((a: A, c: A) => mx.sum(first(a, c)), [0, 1])(x64, b) as A[];
        const one = mx.ones(k === 0 ? [4] : [3], mx.float64);
        expectClose(second[0]!, finiteDiffGrad(first, [x64, b], one, 0), 1e-5);
        expectClose(second[1]!, finiteDiffGrad(first, [x64, b], one, 1), 1e-5);
      }
    }
  });
});
