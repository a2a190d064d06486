// Creation, shape, indexing and matmul ops against the real MLX (data movement is exact).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { allDtypeNames, layoutArb, py, report, sample, shapeArb, withLayout, type DtypeName } from './gen.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

const dtypeArb = fc.constantFrom(...allDtypeNames);

describe.skipIf(!hasMlx)('creation, shape, indexing and matmul vs MLX', () => {
  it('creation ops', async () => {
    const cases: Case[] = [];
    const dts: DtypeName[] = ['float32', 'float16', 'bfloat16', 'int32', 'int64', 'uint8', 'float64'];
    for (const [a, b, st, n, k, di] of sample(fc.tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 12 }), fc.constantFrom(1, 2, -1, 0.5, 0.1, -0.3, 3), fc.integer({ min: 0, max: 7 }), fc.integer({ min: -3, max: 3 }), fc.nat()), 50, 11)) {
      const d = dts[di % dts.length]!;
      cases.push({ name: `arange(${a}, ${b}, ${st}, ${d})`, py: `mx.arange(${a}, ${b}, ${st}, dtype=mx.${d})`, ts: () => mx.arange(a, b, st, mx.dtypeFromName(d)), inputs: [] });
      // numbers are Python floats (float32); bigints Python ints (int32)
      const [pa, pb, ps] = [a, b, st].map(py.scalar);
      cases.push({ name: `arange(${pa}, ${pb}, ${ps})`, py: `mx.arange(${pa}, ${pb}, ${ps})`, ts: () => mx.arange(a, b, st), inputs: [] });
      if (Number.isInteger(st)) {
        cases.push({ name: `arange(${a}n, ${b}n, ${st}n)`, py: `mx.arange(${a}, ${b}, ${st})`, ts: () => (mx.arange as (...x: unknown[]) => mx.MxArray)(BigInt(a), BigInt(b), BigInt(st)), inputs: [] });
      }
      cases.push({ name: `linspace(${a}, ${b + st}, ${n}, ${d})`, py: `mx.linspace(${a}, ${b + st}, ${n}, dtype=mx.${d})`, ts: () => mx.linspace(a, b + st, n, mx.dtypeFromName(d)), inputs: [], tol: { ulps: 1 } });
      cases.push({ name: `eye(${n}, ${n + 1}, ${k})`, py: `mx.eye(${n}, ${n + 1}, ${k}, dtype=mx.${d})`, ts: () => mx.eye(n, n + 1, k, mx.dtypeFromName(d)), inputs: [] });
      cases.push({ name: `tri(${n}, ${n + 2}, ${k})`, py: `mx.tri(${n}, ${n + 2}, ${k})`, ts: () => mx.tri(n, n + 2, k), inputs: [] });
      cases.push({ name: `full(${n}, ${a + 0.5}, ${d})`, py: `mx.full([${n}, 2], ${a + 0.5}, dtype=mx.${d})`, ts: () => mx.full([n, 2], a + 0.5, mx.dtypeFromName(d)), inputs: [] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('sizes: past int32 dimensions both raise; huge lazy views both evaluate', async () => {
    const cases: Case[] = [];
    const one = mx.array([1], mx.float32);
    const two = mx.array([1, 2], mx.float32);
    const four = mx.zeros([4], mx.float32);
    const raises: [string, (...a: mx.MxArray[]) => mx.MxArray, mx.MxArray[]][] = [
      ['mx.broadcast_to(a0, [2**33])', (x) => mx.broadcastTo(x!, [2 ** 33]), [one]],
      ['mx.broadcast_to(a0, [2**31, 2**31])', (x) => mx.broadcastTo(x!, [2 ** 31, 2 ** 31]), [one]],
      ['mx.zeros([2**31])', () => mx.zeros([2 ** 31], mx.float32), []],
      ['mx.ones([3, 2**31])', () => mx.ones([3, 2 ** 31], mx.float32), []],
      ['mx.full([2**31], a0)', (x) => mx.full([2 ** 31], x!), [one]],
      ['a0.reshape([2**31, 1])', (x) => x!.reshape([2 ** 31, 1]), [four]],
      ['mx.broadcast_to(a0, [2**30, 4]).reshape([-1])', (x) => mx.broadcastTo(x!, [2 ** 30, 4]).reshape([-1]), [one]],
      ['mx.unflatten(a0, 0, [2**31, -1])', (x) => mx.unflatten(x!, 0, [2 ** 31, -1]), [four]],
      ['mx.flatten(mx.broadcast_to(a0, [2**30, 2]))', (x) => mx.flatten(mx.broadcastTo(x!, [2 ** 30, 2])), [one]],
      ['mx.tile(a0, [2**30])', (x) => mx.tile(x!, [2 ** 30]), [two]],
      ['mx.repeat(a0, 2**30, 0)', (x) => mx.repeat(x!, 2 ** 30, 0), [two]],
      ['mx.pad(a0, [(0, 2**31 - 2)])', (x) => mx.pad(x!, [[0, 2 ** 31 - 2]]), [two]],
      ['mx.concatenate([mx.broadcast_to(a0, [3 * 2**29]), mx.broadcast_to(a0, [3 * 2**29])])', (x) => mx.concatenate([mx.broadcastTo(x!, [3 * 2 ** 29]), mx.broadcastTo(x!, [3 * 2 ** 29])]), [one]],
      ['mx.kron(mx.broadcast_to(a0, [2**30]), a1)', (x, y) => mx.kron(mx.broadcastTo(x!, [2 ** 30]), y!), [one, two]],
      ['mx.arange(0, 2**31, 1, dtype=mx.int32)', () => mx.arange(0, 2 ** 31, 1, mx.int32), []],
      ['mx.eye(2**31)', () => mx.eye(2 ** 31, null, 0, mx.float32), []],
      ['mx.random.normal([2**31])', () => mx.random.normal([2 ** 31], mx.float32), []],
      ['mx.random.randint(0, 10, [2**31])', () => mx.random.randint(mx.array(0, mx.int32), mx.array(10, mx.int32), [2 ** 31]), []],
    ];
    for (const [py, ts, inputs] of raises) cases.push({ name: `${py} raises`, py, ts, inputs });
    // accepted as views; only small parts are evaluated
    cases.push({ name: 'tail of a 2^31 - 1 broadcast', py: 'mx.broadcast_to(a0, [2**31 - 1])[-3:]', ts: (x) => mx.broadcastTo(x!, [2 ** 31 - 1]).index(mx.Slice(-3)), inputs: [one] });
    cases.push({ name: 'last row of a [2^31 - 1, 2] broadcast', py: 'mx.broadcast_to(a0, [2**31 - 1, 2])[-1]', ts: (x) => mx.broadcastTo(x!, [2 ** 31 - 1, 2]).index(-1), inputs: [two] });
    cases.push({ name: 'shape of a [2^31 - 1, 3] broadcast', py: 'mx.array(mx.broadcast_to(a0, [2**31 - 1, 3]).shape)', ts: (x) => mx.array(mx.broadcastTo(x!, [2 ** 31 - 1, 3]).shape, mx.int32), inputs: [one] });
    cases.push({ name: 'reshape of a 2^32-element view', py: 'mx.array(mx.broadcast_to(a0, [2**30, 4]).reshape([2**29, 8]).shape)', ts: (x) => mx.array(mx.broadcastTo(x!, [2 ** 30, 4]).reshape([2 ** 29, 8]).shape, mx.int32), inputs: [one] });
    cases.push({ name: 'empty with huge dims', py: 'mx.zeros([0, 2**31 - 1, 2**31 - 1, 2**31 - 1])', ts: () => mx.zeros([0, 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1], mx.float32), inputs: [] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('astype between every pair of dtypes (values in range)', async () => {
    const cases: Case[] = [];
    const names = allDtypeNames;
    for (const from of names) {
      for (const to of names) {
        // 0..100 fits every dtype: no undefined-behaviour casts
        const x = mx.astype(withLayout('uint8', [5], from.length * 31 + to.length, 'contiguous', 'any').astype(mx.float32).multiply(100 / 255).floor(), mx.dtypeFromName(from));
        cases.push({ name: `astype ${from} -> ${to}`, py: `a0.astype(mx.${to === 'bool' ? 'bool_' : to})`, ts: (a) => a!.astype(mx.dtypeFromName(to)), inputs: [x] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('float32 -> float16 / bfloat16 rounding for random float32 bit patterns', async () => {
    const cases: Case[] = [];
    for (const [bits, target] of sample(fc.tuple(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 64, maxLength: 64 }), fc.constantFrom('float16', 'bfloat16')), 40, 15)) {
      const x = mx.view(mx.array(bits, mx.uint32), mx.float32);
      cases.push({ name: `float32 -> ${target}`, py: `a0.astype(mx.${target})`, ts: (a) => a!.astype(mx.dtypeFromName(target)), inputs: [x] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('promotion table (14 x 14), weak JS scalars and issubdtype', async () => {
    const cases: Case[] = [];
    for (const a of allDtypeNames) {
      for (const b of allDtypeNames) {
        cases.push({ name: `${a} + ${b}`, py: 'a0 + a1', ts: (x, y) => mx.add(x!, y!), inputs: [mx.zeros([1], mx.dtypeFromName(a)), mx.zeros([1], mx.dtypeFromName(b))] });
      }
      // JS numbers are Python floats, bigints Python ints (MLX's weak int scalars), booleans bools.
      for (const js of [1, 1.5, true, 1000, -1, 70000, 1e39, 1n, 1000n, -1n, 70000n, 2n ** 40n] as const) {
        const lit = py.scalar(js);
        cases.push({ name: `${a} + ${lit}`, py: `a0 + ${lit}`, ts: (x) => mx.add(x!, js), inputs: [mx.zeros([1], mx.dtypeFromName(a))] });
        cases.push({ name: `${lit} * ${a}`, py: `${lit} * a0`, ts: (x) => mx.multiply(js, x!), inputs: [mx.zeros([1], mx.dtypeFromName(a))] });
      }
    }
    // issubdtype over every pair of dtypes and categories (MLX's table)
    const cats = ['complexfloating', 'floating', 'inexact', 'signedinteger', 'unsignedinteger', 'integer', 'number', 'generic'] as const;
    const all = [...allDtypeNames, ...cats];
    const pyName = (n: string): string => (n === 'bool' ? 'mx.bool_' : `mx.${n}`);
    const tsOf = (n: string): mx.Dtype | mx.DtypeCategory => (cats.includes(n as never) ? (mx as never as Record<string, mx.DtypeCategory>)[n]! : mx.dtypeFromName(n));
    for (const a of all) {
      for (const b of all) {
        cases.push({ name: `issubdtype(${a}, ${b})`, py: `mx.issubdtype(${pyName(a)}, ${pyName(b)})`, ts: () => mx.issubdtype(tsOf(a), tsOf(b)), inputs: [] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('shape ops', async () => {
    const arb = fc.tuple(dtypeArb, shapeArb(3, 4), layoutArb, fc.integer(), fc.nat(), fc.integer({ min: 1, max: 3 }));
    const cases: Case[] = [];
    for (const [d, shape, layout, vs, pick, r] of sample(arb, 40, 12)) {
      const x = withLayout(d, shape, vs, layout);
      const nd = shape.length;
      const ax = nd ? pick % nd : 0;
      const ax2 = nd ? (pick >> 3) % nd : 0;
      cases.push({ name: 'reshape -1', py: 'a0.reshape(-1)', ts: (a) => a!.reshape(-1), inputs: [x] });
      cases.push({ name: 'flatten', py: 'mx.flatten(a0)', ts: (a) => mx.flatten(a!), inputs: [x] });
      cases.push({ name: 'transpose', py: 'mx.transpose(a0)', ts: (a) => mx.transpose(a!), inputs: [x] });
      cases.push({ name: 'expand_dims', py: `mx.expand_dims(a0, ${ax})`, ts: (a) => mx.expandDims(a!, ax), inputs: [x] });
      cases.push({ name: 'tile', py: `mx.tile(a0, [${r}, 2])`, ts: (a) => mx.tile(a!, [r, 2]), inputs: [x] });
      cases.push({ name: 'repeat', py: `mx.repeat(a0, ${r})`, ts: (a) => mx.repeat(a!, r), inputs: [x] });
      cases.push({ name: 'stack', py: 'mx.stack([a0, a0], axis=0)', ts: (a) => mx.stack([a!, a!], 0), inputs: [x] });
      cases.push({ name: 'atleast_3d', py: 'mx.atleast_3d(a0)', ts: (a) => mx.atleast3d(a!) as mx.MxArray, inputs: [x] });
      cases.push({ name: 'roll', py: `mx.roll(a0, ${r})`, ts: (a) => mx.roll(a!, r), inputs: [x] });
      cases.push({ name: 'pad', py: `mx.pad(a0, ${r})`, ts: (a) => mx.pad(a!, r), inputs: [x] });
      if (nd >= 1) {
        cases.push({ name: `swapaxes ${ax} ${ax2}`, py: `mx.swapaxes(a0, ${ax}, ${ax2})`, ts: (a) => mx.swapaxes(a!, ax, ax2), inputs: [x] });
        cases.push({ name: `moveaxis ${ax} ${ax2}`, py: `mx.moveaxis(a0, ${ax}, ${ax2})`, ts: (a) => mx.moveaxis(a!, ax, ax2), inputs: [x] });
        cases.push({ name: `concatenate axis ${ax}`, py: `mx.concatenate([a0, a0[::-1]], axis=${ax})`, ts: (a) => mx.concatenate([a!, a!.index(mx.Slice(null, null, -1))], ax), inputs: [x] });
        cases.push({ name: `split ${ax}`, py: `mx.split(a0, [1, 2], axis=${ax})`, ts: (a) => mx.split(a!, [1, 2], ax), inputs: [x] });
        cases.push({ name: `squeeze`, py: 'mx.squeeze(a0)', ts: (a) => mx.squeeze(a!), inputs: [x] });
        cases.push({ name: 'pad edge', py: `mx.pad(a0, [(${r}, 1)] * ${nd}, 'edge')`, ts: (a) => (shape.includes(0) ? mx.pad(a!, [r, 1], 0, 'edge') : mx.pad(a!, [r, 1], 0, 'edge')), inputs: [x] });
        cases.push({ name: `roll axis ${ax}`, py: `mx.roll(a0, ${-r}, axis=${ax})`, ts: (a) => mx.roll(a!, -r, ax), inputs: [x] });
        cases.push({ name: 'broadcast_to', py: `mx.broadcast_to(a0, [2, ${py.list(shape).slice(1, -1)}])`, ts: (a) => mx.broadcastTo(a!, [2, ...shape]), inputs: [x] });
      }
      if (nd >= 2) {
        const off = (pick % 5) - 2;
        cases.push({ name: `diagonal ${off}`, py: `mx.diagonal(a0, ${off}, ${ax}, ${(ax + 1) % nd})`, ts: (a) => mx.diagonal(a!, off, ax, (ax + 1) % nd), inputs: [x] });
        cases.push({ name: `tril ${off}`, py: `mx.tril(a0, ${off})`, ts: (a) => mx.tril(a!, off), inputs: [x] });
        cases.push({ name: `triu ${off}`, py: `mx.triu(a0, ${off})`, ts: (a) => mx.triu(a!, off), inputs: [x] });
        // MLX 0.32.4 intermittently hangs on the trace of an empty diagonal (e.g. trace(int32 [4,1,2], 2),
        // float16 [0,2,3]): those inputs are left out rather than costing the watchdog's 30 s each.
        const diagLen = Math.max(0, off >= 0 ? Math.min(shape[0]!, shape[1]! - off) : Math.min(shape[0]! + off, shape[1]!));
        if (d !== 'bool' && d !== 'complex64' && diagLen > 0) cases.push({ name: `trace ${off}`, py: `mx.trace(a0, ${off})`, ts: (a) => mx.trace(a!, off), inputs: [x], tol: { ulps: 8 } });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('indexing: ints, slices, ellipsis, newaxis, arrays, take, take_along_axis, at[].add', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('int32', 'float32', 'bfloat16', 'int64', 'bool'), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), layoutArb, fc.integer(), fc.nat(), fc.integer({ min: -4, max: 4 }), fc.integer({ min: -5, max: 5 }), fc.constantFrom(1, 2, -1, -2));
    const cases: Case[] = [];
    for (const [d, shape, layout, vs, pick, start, stop, step] of sample(arb, 60, 13)) {
      const x = withLayout(d, shape, vs, layout);
      const n0 = shape[0]!;
      const i = pick % n0;
      cases.push({ name: `a[${i}]`, py: `a0[${i}]`, ts: (a) => a!.index(i), inputs: [x] });
      cases.push({ name: `a[${-1 - i}]`, py: `a0[${-1 - i}]`, ts: (a) => a!.index(-1 - i), inputs: [x] });
      cases.push({ name: `a[${start}:${stop}:${step}]`, py: `a0[${start}:${stop}:${step}]`, ts: (a) => a!.index(mx.Slice(start, stop, step)), inputs: [x] });
      cases.push({ name: `a[..., None, ::${step}]`, py: `a0[..., None, ::${step}]`, ts: (a) => a!.index('...', null, mx.Slice(null, null, step)), inputs: [x] });
      const idx = mx.array([i, 0, n0 - 1, -1], mx.int32);
      cases.push({ name: 'a[idx]', py: 'a0[a1]', ts: (a, b) => a!.index(b!), inputs: [x, idx] });
      cases.push({ name: 'take axis 0', py: 'mx.take(a0, a1, axis=0)', ts: (a, b) => mx.take(a!, b!, 0), inputs: [x, idx] });
      cases.push({ name: 'take flat', py: 'mx.take(a0, a1)', ts: (a, b) => mx.take(a!, b!), inputs: [x, mx.array([0, pick % x.size, x.size - 1], mx.uint32)] });
      if (shape.length >= 2) {
        const idx2 = mx.array([[0, 1 % shape[1]!]], mx.int32);
        const idx0 = mx.array([[0, (pick + 1) % shape[0]!]], mx.int32);
        cases.push({ name: 'a[idx, :1]', py: 'a0[a1, :1]', ts: (a, b) => a!.index(b!, mx.Slice(null, 1)), inputs: [x, idx0] });
        cases.push({ name: 'a[:, idx]', py: 'a0[:, a1]', ts: (a, b) => a!.index(mx.Slice(), b!), inputs: [x, idx2] });
        const along = mx.zeros([1, ...shape.slice(1)], mx.int32);
        cases.push({ name: 'take_along_axis 0', py: 'mx.take_along_axis(a0, a1, axis=0)', ts: (a, b) => mx.takeAlongAxis(a!, b!, 0), inputs: [x, along] });
        // indices broadcast against the array and the array against the indices (GatherAxis / ScatterAxis)
        const last = shape.length - 1;
        const wide = mx.array(Array.from({ length: 3 * shape[last]! }, (_, k) => ((k * 7 + pick) % (2 * shape[last]!)) - shape[last]!), mx.int32).reshape([3, ...shape.slice(1, -1).map(() => 1), shape[last]!]);
        const col = mx.array([[pick % shape[last]!]], mx.int32).reshape([1, ...shape.slice(1, -1).map(() => 1), 1]);
        cases.push({ name: 'take_along_axis -1 (broadcast both ways)', py: 'mx.take_along_axis(a0[:1], a1, axis=-1)', ts: (a, b) => mx.takeAlongAxis(a!.index(mx.Slice(null, 1)), b!, -1), inputs: [x, wide] });
        cases.push({ name: 'take_along_axis None', py: 'mx.take_along_axis(a0, a1, axis=None)', ts: (a, b) => mx.takeAlongAxis(a!, b!, null), inputs: [x, mx.array([0, -1, pick % x.size], mx.int32)] });
        cases.push({ name: 'put_along_axis -1 (scalar value)', py: 'mx.put_along_axis(a0, a1, mx.array(1), axis=-1)', ts: (a, b) => mx.putAlongAxis(a!, b!, mx.array(1n), -1), inputs: [x, col] });
        cases.push({ name: 'put_along_axis 0 (array broadcast to the indices)', py: 'mx.put_along_axis(a0[:1], a1, a0[:1, ...], axis=-1)', ts: (a, b) => mx.putAlongAxis(a!.index(mx.Slice(null, 1)), b!, a!.index(mx.Slice(null, 1), '...'), -1), inputs: [x, wide.index(mx.Slice(null, 1))] });
        cases.push({ name: 'put_along_axis None', py: 'mx.put_along_axis(a0, a1, a0.reshape(-1)[:2], axis=None)', ts: (a, b) => mx.putAlongAxis(a!, b!, a!.reshape([-1]).index(mx.Slice(null, 2)), null), inputs: [x, mx.array([pick % x.size, -1], mx.int32)] });
      }
      if (d !== 'bool') {
        const dup = mx.array([i, i, 0], mx.int32);
        cases.push({ name: 'at[dup].add', py: 'a0.at[a1].add(2)', ts: (a, b) => a!.at(b!).add(2), inputs: [x, dup] });
        cases.push({ name: 'at[dup].maximum', py: 'a0.at[a1].maximum(1)', ts: (a, b) => a!.at(b!).maximum(1), inputs: [x, dup] });
        cases.push({ name: 'at[dup].multiply', py: 'a0.at[a1].multiply(3)', ts: (a, b) => a!.at(b!).multiply(3), inputs: [x, dup] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('ones, identity, meshgrid, atleast_1d/2d, as_strided, indexPut_ (a[i] = v)', async () => {
    const cases: Case[] = [];
    const arb = fc.tuple(dtypeArb, shapeArb(3, 4), layoutArb, fc.integer(), fc.nat(), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }));
    for (const [d, shape, layout, vs, pick, n, m] of sample(arb, 30, 16)) {
      const dn = d === 'bool' ? 'bool_' : d;
      const x = withLayout(d, shape, vs, layout);
      cases.push({ name: `ones(${d})`, py: `mx.ones(${py.list(shape)}, dtype=mx.${dn})`, ts: () => mx.ones(shape, mx.dtypeFromName(d)), inputs: [] });
      cases.push({ name: `identity(${n}, ${d})`, py: `mx.identity(${n}, dtype=mx.${dn})`, ts: () => mx.identity(n, mx.dtypeFromName(d)), inputs: [] });
      const u = withLayout(d, [n], vs + 1, 'contiguous');
      const v = withLayout(d, [m], vs + 2, 'contiguous');
      for (const indexing of ['xy', 'ij'] as const) {
        for (const sparse of [false, true]) {
          cases.push({
            name: `meshgrid ${indexing} sparse=${sparse}`, py: `mx.meshgrid(a0, a1, a2, indexing='${indexing}', sparse=${py.bool(sparse)})`,
            ts: (a, b, c) => mx.meshgrid(a!, b!, c!, { indexing, sparse }), inputs: [u, v, u],
          });
        }
      }
      cases.push({ name: 'atleast_1d', py: 'mx.atleast_1d(a0)', ts: (a) => mx.atleast1d(a!) as mx.MxArray, inputs: [x] });
      cases.push({ name: 'atleast_2d', py: 'mx.atleast_2d(a0)', ts: (a) => mx.atleast2d(a!) as mx.MxArray, inputs: [x] });
      // as_strided addresses the row-major elements of its input, whatever the input's layout
      if (x.size >= 3) {
        const off = pick % (x.size - 2);
        cases.push({ name: `as_strided windows offset ${off}`, py: `mx.as_strided(a0, [2, 2], [1, 1], ${off})`, ts: (a) => mx.asStrided(a!, [2, 2], [1, 1], off), inputs: [x] });
        cases.push({ name: 'as_strided stride 0', py: `mx.as_strided(a0, [3, 2], [0, 2], 0)`, ts: (a) => mx.asStrided(a!, [3, 2], [0, 2], 0), inputs: [x] });
      }
      if (shape.length >= 1 && shape[0]! > 0) {
        const i = pick % shape[0]!;
        cases.push({ name: `a[${i}] = 5`, py: `(a0.__setitem__(${i}, 5), a0)[1]`, ts: (a) => mx.copy(a!).indexPut_(i, 5), inputs: [x] });
        cases.push({ name: 'a[::-2] = 1', py: '(a0.__setitem__(slice(None, None, -2), 1), a0)[1]', ts: (a) => mx.copy(a!).indexPut_(mx.Slice(null, null, -2), 1), inputs: [x] });
        const idx = mx.array([...new Set([i, 0, shape[0]! - 1])], mx.int32);
        cases.push({ name: 'a[idx] = b', py: '(a0.__setitem__(a1, a2), a0)[1]', ts: (a, b, c) => mx.copy(a!).indexPut_(b!, c!), inputs: [x, idx, withLayout(d, [idx.size, ...shape.slice(1)], vs + 3, 'contiguous')] });
        cases.push({ name: 'a[..., None] = 0 (broadcast value)', py: '(a0.__setitem__((Ellipsis, None), 0), a0)[1]', ts: (a) => mx.copy(a!).indexPut_(['...', null], 0), inputs: [x] });
      }
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('matmul, addmm, inner, outer, tensordot', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float16', 'bfloat16', 'float64'), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<number[]>([], [2], [1, 3], [3, 1]), fc.integer(), layoutArb);
    const cases: Case[] = [];
    for (const [d, m, k, n, batch, vs, layout] of sample(arb, 40, 14)) {
      const a = withLayout(d, [...batch, m, k], vs, layout);
      const b = withLayout(d, [k, n], vs + 1, 'contiguous');
      const c = withLayout(d, [m, n], vs + 2, 'contiguous');
      const v = withLayout(d, [k], vs + 3, 'contiguous');
      const tol = { ulps: 64 };
      cases.push({ name: `matmul ${d} [${batch},${m},${k}]@[${k},${n}]`, py: 'a0 @ a1', ts: (x, y) => mx.matmul(x!, y!), inputs: [a, b], tol });
      cases.push({ name: 'matmul 1-D rhs', py: 'mx.matmul(a0, a1)', ts: (x, y) => mx.matmul(x!, y!), inputs: [a, v], tol });
      cases.push({ name: 'matmul 1-D lhs', py: 'mx.matmul(a1, a0)', ts: (x, y) => mx.matmul(y!, x!), inputs: [b, v], tol });
      cases.push({ name: 'addmm', py: 'mx.addmm(a2, a0, a1, 0.5, 2.0)', ts: (x, y, z) => mx.addmm(z!, x!, y!, 0.5, 2.0), inputs: [a.index('...', mx.Slice(), mx.Slice()), b, c], tol });
      cases.push({ name: 'inner', py: 'mx.inner(a0, a1)', ts: (x, y) => mx.inner(x!, y!), inputs: [a, v], tol });
      cases.push({ name: 'outer', py: 'mx.outer(a0, a1)', ts: (x, y) => mx.outer(x!, y!), inputs: [v, c], tol });
      cases.push({ name: 'tensordot 1', py: 'mx.tensordot(a0, a1, 1)', ts: (x, y) => mx.tensordot(x!, y!, 1), inputs: [a, b], tol });
    }
    cases.push({ name: 'matmul int raises', py: 'a0 @ a0', ts: (x) => mx.matmul(x!, x!), inputs: [mx.zeros([2, 2], mx.int32)] });
    cases.push({ name: 'matmul mismatch raises', py: 'a0 @ a1', ts: (x, y) => mx.matmul(x!, y!), inputs: [mx.zeros([2, 3]), mx.zeros([2, 3])] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
