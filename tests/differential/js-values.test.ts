// JS values where MLX takes Python values, against the real MLX: a JS number is a Python float,
// a bigint a Python int, a boolean a Python bool (node-mlx's typing). Every function that
// takes JS values is compared on lists, scalars and weak scalars of each kind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { allDtypeNames, py, report } from './gen.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

type Js = number | bigint | boolean;
type Nested = Js | Nested[];
const pyOf = (v: Nested): string => (Array.isArray(v) ? `[${v.map(pyOf).join(', ')}]` : py.scalar(v));

// Lists of each kind and their mixtures (the widest kind wins, as in Python).
const lists: Nested[] = [
  1, 2.5, -0, true, 7n, 2n ** 40n, [], [1, 2, 3], [1.5, -2], [true, false], [1n, 2n, 3n], [1n, 2.5], [true, 2n],
  [true, 1.5], [[1, 2], [3, 4]], [[1n, 2n]], [16777217], [1e39, -1e39], [2147483648n], [0.1, 0.2, 0.3],
];
const scalars: Js[] = [0, 1, 2.5, -3, 300, 70000, true, false, 1n, -1n, 300n, 70000n];
const dtypes = allDtypeNames.map((n) => mx.dtypeFromName(n));

describe.skipIf(!hasMlx)('JS values typed as MLX types Python values', () => {
  it('mx.array(list) and mx.array(list, dtype)', async () => {
    const cases: Case[] = [];
    for (const v of lists) {
      cases.push({ name: `array(${pyOf(v)})`, py: `mx.array(${pyOf(v)})`, ts: () => mx.array(v as never), inputs: [] });
      for (const d of dtypes) {
        // A float beyond the range of an integer dtype converts with undefined behaviour in C++.
        if (v.toString().includes('1e+39') && !mx.issubdtype(d, mx.inexact)) continue;
        // MLX raises for ints that overflow the dtype; mlx-ts must raise as well (compared).
        cases.push({ name: `array(${pyOf(v)}, ${d.name})`, py: `mx.array(${pyOf(v)}, mx.${d.name === 'bool' ? 'bool_' : d.name})`, ts: () => mx.array(v as never, d), inputs: [] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('weak scalars in binary ops, where, clip, maximum, at() updates', async () => {
    const cases: Case[] = [];
    for (const d of allDtypeNames) {
      const x = mx.array([1, 0, 2], mx.dtypeFromName(d));
      const c = mx.array([true, false, true]);
      for (const v of scalars) {
        const l = py.scalar(v);
        cases.push({ name: `${d} - ${l}`, py: `a0 - ${l}`, ts: (a) => mx.subtract(a!, v), inputs: [x] });
        cases.push({ name: `${d} max ${l}`, py: `mx.maximum(a0, ${l})`, ts: (a) => mx.maximum(a!, v), inputs: [x] });
        cases.push({ name: `where(c, ${d}, ${l})`, py: `mx.where(a1, a0, ${l})`, ts: (a, b) => mx.where(b!, a!, v), inputs: [x, c] });
        cases.push({ name: `where(c, ${l}, ${l})`, py: `mx.where(a0, ${l}, ${l})`, ts: (b) => mx.where(b!, v, v), inputs: [c] });
        cases.push({ name: `${d}.at[1].add(${l})`, py: `a0.at[1].add(${l})`, ts: (a) => a!.at(1).add(v), inputs: [x] });
        cases.push({ name: `${d}.at[1].multiply(${l})`, py: `a0.at[1].multiply(${l})`, ts: (a) => a!.at(1).multiply(v), inputs: [x] });
      }
      cases.push({ name: `clip(${d}, 0.5, 1.5)`, py: 'mx.clip(a0, 0.5, 1.5)', ts: (a) => mx.clip(a!, 0.5, 1.5), inputs: [x] });
      cases.push({ name: `clip(${d}, 1, 2)`, py: 'mx.clip(a0, 1.0, 2.0)', ts: (a) => mx.clip(a!, 1, 2), inputs: [x] });
      cases.push({ name: `clip(${d}, 1n, 2n)`, py: 'mx.clip(a0, 1, 2)', ts: (a) => mx.clip(a!, 1n, 2n), inputs: [x] });
      cases.push({ name: `pad(${d}, 1, 2)`, py: 'mx.pad(a0, 1, constant_values=2.0)', ts: (a) => mx.pad(a!, 1, 2), inputs: [x] });
      cases.push({ name: `pad(${d}, 1, 2n)`, py: 'mx.pad(a0, 1, constant_values=2)', ts: (a) => mx.pad(a!, 1, 2n), inputs: [x] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('full, arange, linspace and the *Like creators', async () => {
    const cases: Case[] = [];
    for (const v of scalars) {
      const l = py.scalar(v);
      cases.push({ name: `full([2], ${l})`, py: `mx.full([2], ${l})`, ts: () => mx.full([2], v), inputs: [] });
      for (const d of ['int8', 'int32', 'uint8', 'float16', 'float32', 'bool'] as const) {
        cases.push({ name: `full([2], ${l}, ${d})`, py: `mx.full([2], ${l}, mx.${d === 'bool' ? 'bool_' : d})`, ts: () => mx.full([2], v, mx.dtypeFromName(d)), inputs: [] });
      }
    }
    const ranges: [Js[], string][] = [
      [[5], '5.0'], [[5n], '5'], [[1, 7, 2], '1.0, 7.0, 2.0'], [[1n, 7n, 2n], '1, 7, 2'], [[1n, 7, 2n], '1, 7.0, 2'],
      [[0.5, 3], '0.5, 3.0'], [[-3, 3, 0.5], '-3.0, 3.0, 0.5'],
    ];
    for (const [args, p] of ranges) {
      cases.push({ name: `arange(${p})`, py: `mx.arange(${p})`, ts: () => (mx.arange as (...a: unknown[]) => mx.MxArray)(...args), inputs: [] });
      cases.push({ name: `arange(${p}, int32)`, py: `mx.arange(${p}, dtype=mx.int32)`, ts: () => (mx.arange as (...a: unknown[]) => mx.MxArray)(...args, mx.int32), inputs: [] });
    }
    cases.push({ name: 'linspace(0, 1, 5)', py: 'mx.linspace(0.0, 1.0, 5)', ts: () => mx.linspace(0, 1, 5), inputs: [] });
    cases.push({ name: 'linspace(0n, 4n, 3)', py: 'mx.linspace(0, 4, 3)', ts: () => mx.linspace(0n, 4n, 3), inputs: [] });
    cases.push({ name: 'linspace(-1n, 2.5, 4, int32)', py: 'mx.linspace(-1, 2.5, 4, dtype=mx.int32)', ts: () => mx.linspace(-1n, 2.5, 4, mx.int32), inputs: [] });
    const xi = mx.array([1, 2], mx.int32);
    cases.push({ name: 'fullLike(int32, 2.5)', py: 'mx.full_like(a0, 2.5)', ts: (a) => mx.fullLike(a!, 2.5), inputs: [xi] });
    cases.push({ name: 'zerosLike(int32)', py: 'mx.zeros_like(a0)', ts: (a) => mx.zerosLike(a!), inputs: [xi] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('compositions: JS values under grad, vmap and compile', async () => {
    const x = mx.array([0.5, -1.5, 2], mx.float32);
    const xi = mx.array([1, 2, 3], mx.int32);
    const cases: Case[] = [
      // grad through a weak float scalar and an int array promoted by it
      { name: 'grad(x*3 + 1)', py: 'mx.grad(lambda x: (x * 3.0 + 1.0).sum())(a0)', ts: (a) => mx.grad((p: mx.MxArray) => mx.sum(mx.add(mx.multiply(p, 3), 1)))(a!), inputs: [x] },
      { name: 'grad(x * i * 0.5)', py: 'mx.grad(lambda x: (x * (a1 * 0.5)).sum())(a0)', ts: (a, b) => mx.grad((p: mx.MxArray) => mx.sum(mx.multiply(p, mx.multiply(b!, 0.5))))(a!), inputs: [x, xi] },
      { name: 'vmap(x + 2)', py: 'mx.vmap(lambda v: v + 2.0)(a0)', ts: (a) => mx.vmap((v: mx.MxArray) => mx.add(v, 2))(a!) as mx.MxArray, inputs: [xi] },
      { name: 'vmap(x + 2n)', py: 'mx.vmap(lambda v: v + 2)(a0)', ts: (a) => mx.vmap((v: mx.MxArray) => mx.add(v, 2n))(a!) as mx.MxArray, inputs: [xi] },
      { name: 'compile(where(x > 0, x, 0.1 * x))', py: 'mx.compile(lambda v: mx.where(v > 0.0, v, 0.1 * v))(a0)', ts: (a) => mx.compile((v: mx.MxArray) => mx.where(mx.greater(v, 0), v, mx.multiply(0.1, v)))(a!), inputs: [x] },
      { name: 'compile(int + 1)', py: 'mx.compile(lambda v: v + 1.0)(a0)', ts: (a) => mx.compile((v: mx.MxArray) => mx.add(v, 1))(a!), inputs: [xi] },
      { name: 'compile(int + 1n)', py: 'mx.compile(lambda v: v + 1)(a0)', ts: (a) => mx.compile((v: mx.MxArray) => mx.add(v, 1n))(a!), inputs: [xi] },
      { name: 'valueAndGrad over a tree', py: '(lambda vg: [vg[0], vg[1]["y"]])(mx.value_and_grad(lambda p: p["x"] * p["y"])({"x": mx.array(0.5), "y": mx.array(2.0)}))', ts: () => { const [v, g] = mx.valueAndGrad((p: { x: mx.MxArray; y: mx.MxArray }) => mx.multiply(p.x, p.y))({ x: mx.array(0.5), y: mx.array(2.0) }); return [v as mx.MxArray, (g as { y: mx.MxArray }).y]; }, inputs: [] },
    ];
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
