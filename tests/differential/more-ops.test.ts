// The rest of mlx.core (issue 12, item 6) against the real MLX: the Array API's aliases, the
// small elementwise ops, median/countNonzero/minmax/var, cumulative_sum/prod with a dtype,
// flip/unstack/diff/matrix_transpose/contiguous, vecdot, the windows, empty, unique,
// hadamard_transform, broadcast_shapes/can_cast/isdtype, depends and export_to_dot, plus
// grad and vmap through some of them.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { runCases, useMlxWorker, type Case } from './harness.js';
import {
  allDtypeNames, axisFor, broadcastPairArb, layoutArb, py, report, sample, shapeArb, withLayout, type DtypeName, type Domain,
} from './gen.js';

const { hasMlx, worker } = useMlxWorker();

/** an op of the mx namespace by name, for the tables below */
const op = (name: string) => (mx as unknown as Record<string, (...a: unknown[]) => mx.MxArray>)[name]!;
const dtypeArb = fc.constantFrom(...allDtypeNames);
/** Random arrays (any dtype, shape and layout), each with an axis drawn for it (null: all axes). */
const arraysWithAxes = (n: number, salt: number) =>
  sample(fc.tuple(dtypeArb, shapeArb(3, 4), layoutArb, fc.integer(), fc.nat(), fc.boolean(), fc.boolean()), n, salt).map(
    ([d, shape, layout, vs, pick, neg, flag]) => ({ d, shape, x: withLayout(d, shape, vs, layout), ax: axisFor(shape, pick, neg), pick, flag }),
  );
const check = async (cases: Case[]): Promise<void> => {
  const f = await runCases(worker(), cases);
  expect(f, report(f, cases.length)).toEqual([]);
};

// [mlx-ts name, MLX name, ulp bound, domain]: each alias is compared under its own MLX name.
const unaryAliases: [string, string, number, Domain][] = [
  ['acos', 'acos', 4, 'unit'], ['asin', 'asin', 4, 'unit'], ['atan', 'atan', 4, 'any'], ['acosh', 'acosh', 4, 'positive'],
  ['asinh', 'asinh', 4, 'any'], ['atanh', 'atanh', 4, 'unit'], ['positive', 'positive', 0, 'any'], ['trunc', 'trunc', 0, 'any'],
];
const binaryAliases: [string, string, number, Domain][] = [
  ['atan2', 'atan2', 4, 'any'], ['pow', 'pow', 8, 'small'], ['bitwiseLeftShift', 'bitwise_left_shift', 0, 'small'],
  ['bitwiseRightShift', 'bitwise_right_shift', 0, 'small'], ['logicalXor', 'logical_xor', 0, 'any'],
];

describe.skipIf(!hasMlx)('the rest of mlx.core vs MLX', () => {
  it.each(unaryAliases)('%s', async (name, pyName, ulps, dom) => {
    // MLX's complex formulas for the inverse trig functions round differently far from 0
    // (see elementwise.test.ts): complex inputs become float32 for those.
    const cases = sample(fc.tuple(dtypeArb, shapeArb(), layoutArb, fc.integer()), 12, name.length * 3).map(([d, shape, layout, vs]): Case => {
      const dd: DtypeName = d === 'complex64' && name.startsWith('a') ? 'float32' : d;
      return { name: `${name}(${dd})`, py: `mx.${pyName}(a0)`, ts: (a) => op(name)(a), inputs: [withLayout(dd, shape, vs, layout, dom)], tol: { ulps } };
    });
    await check(cases);
  });

  it.each(binaryAliases)('%s', async (name, pyName, ulps, dom) => {
    const arb = fc.tuple(dtypeArb, dtypeArb, broadcastPairArb, fc.integer(), fc.integer(), layoutArb);
    const cases = sample(arb, 12, name.length * 5).map(([d1, d2, [s1, s2], v1, v2, layout]): Case => {
      const real = (d: DtypeName): DtypeName => (d === 'complex64' && name !== 'logicalXor' ? 'float32' : d);
      const x = withLayout(real(d1), s1, v1, layout, dom);
      // shift counts and integer exponents non-negative (undefined behaviour in MLX otherwise)
      const y = name === 'logicalXor' || name === 'atan2' ? withLayout(real(d2), s2, v2, 'contiguous', dom) : mx.abs(withLayout(real(d2), s2, v2, 'contiguous', dom));
      return { name: `${name}(${real(d1)}, ${real(d2)})`, py: `mx.${pyName}(a0, a1)`, ts: (a, b) => op(name)(a, b), inputs: [x, y], tol: { ulps } };
    });
    await check(cases);
  });

  it('median, count_nonzero, minmax, var over axes and keepdims', async () => {
    const cases: Case[] = [];
    for (const { d, x, ax, flag: keep } of arraysWithAxes(30, 21)) {
      const args = `axis=${py.axis(ax)}, keepdims=${py.bool(keep)}`;
      cases.push({ name: `median(${d}, ${ax}, ${keep})`, py: `mx.median(a0, ${args})`, ts: (a) => mx.median(a!, ax, keep), inputs: [x], tol: { ulps: 1 } });
      cases.push({ name: `count_nonzero(${d}, ${ax}, ${keep})`, py: `mx.count_nonzero(a0, ${args})`, ts: (a) => mx.countNonzero(a!, ax, keep), inputs: [x] });
      // MLX's minmax of complex64 raises (its min/max don't order complex numbers); compared too
      cases.push({ name: `minmax(${d}, ${ax}, ${keep})`, py: `mx.minmax(a0, ${args})`, ts: (a) => mx.minmax(a!, ax, keep), inputs: [x] });
      if (d !== 'complex64') {
        cases.push({ name: `var(${d}, ${ax}, ${keep})`, py: `mx.var(a0, ${args}, ddof=1)`, ts: (a) => mx.var(a!, ax, keep, 1), inputs: [x], tol: { ulps: 256 } });
      }
    }
    // a list of axes, and the error cases
    const m = withLayout('float32', [3, 4, 2], 5, 'transposed');
    cases.push({ name: 'median axes [0, 2]', py: 'mx.median(a0, axis=[0, 2])', ts: (a) => mx.median(a!, [0, 2]), inputs: [m], tol: { ulps: 1 } });
    cases.push({ name: 'median axes [-1, 0] keepdims', py: 'mx.median(a0, axis=[-1, 0], keepdims=True)', ts: (a) => mx.median(a!, [-1, 0], true), inputs: [m], tol: { ulps: 1 } });
    cases.push({ name: 'median duplicate axes', py: 'mx.median(a0, axis=[0, -3])', ts: (a) => mx.median(a!, [0, -3]), inputs: [m] });
    cases.push({ name: 'median axis out of range', py: 'mx.median(a0, axis=3)', ts: (a) => mx.median(a!, 3), inputs: [m] });
    cases.push({ name: 'median of an empty axis', py: 'mx.median(a0, axis=1)', ts: (a) => mx.median(a!, 1), inputs: [mx.zeros([2, 0])] });
    cases.push({ name: 'count_nonzero of complex', py: 'mx.count_nonzero(a0)', ts: (a) => mx.countNonzero(a!), inputs: [mx.array([{ re: 0, im: 1 }, 0, { re: -0, im: 0 }, 2])] });
    await check(cases);
  });

  it('cumulative_sum and cumulative_prod, with and without a dtype', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'int32', 'int8', 'uint16', 'bool', 'float16', 'int64'), shapeArb(3, 4), layoutArb, fc.integer(), fc.nat(), fc.boolean(), fc.boolean(), fc.constantFrom<DtypeName | null>(null, 'float32', 'int16', 'float16', 'bool', 'uint8'));
    const cases: Case[] = [];
    for (const [d, shape, layout, vs, pick, rev, inc, dt] of sample(arb, 30, 22)) {
      const x = withLayout(d, shape, vs, layout, 'small');
      const ax = axisFor(shape, pick, true);
      const dtype = dt === null ? null : mx.dtypeFromName(dt);
      for (const [ts, pyn] of [['cumulativeSum', 'cumulative_sum'], ['cumulativeProd', 'cumulative_prod']] as const) {
        cases.push({
          name: `${ts}(${d}, axis=${ax}, reverse=${rev}, inclusive=${inc}, dtype=${dt})`,
          py: `mx.${pyn}(a0, axis=${py.axis(ax)}, reverse=${py.bool(rev)}, inclusive=${py.bool(inc)}, dtype=${dt === null ? 'None' : `mx.${dt === 'bool' ? 'bool_' : dt}`})`,
          ts: (a) => op(ts)(a, ax, rev, inc, dtype),
          inputs: [x],
          tol: { ulps: 8 },
        });
      }
    }
    await check(cases);
  });

  it('flip, unstack, diff, matrix_transpose, mT, contiguous', async () => {
    const cases: Case[] = [];
    for (const { d, shape, x, ax, pick, flag } of arraysWithAxes(30, 23)) {
      const n = Math.floor(pick / 7);
      cases.push({ name: `flip(${d}, ${ax})`, py: `mx.flip(a0, axis=${py.axis(ax)})`, ts: (a) => mx.flip(a!, ax), inputs: [x] });
      if (shape.length >= 2) {
        const axes = [pick % shape.length, -1 - (n % shape.length)];
        cases.push({ name: `flip(${d}, [${axes}])`, py: `mx.flip(a0, axis=${py.list(axes)})`, ts: (a) => mx.flip(a!, axes), inputs: [x] });
      }
      const uax = ax ?? 0;
      cases.push({ name: `unstack(${d}, ${uax})`, py: `mx.unstack(a0, axis=${uax})`, ts: (a) => mx.unstack(a!, uax), inputs: [x] });
      // MLX's diff of a complex array is fine, of bools a logical difference (bool subtract)
      const order = n % 4;
      const dax = ax ?? -1;
      cases.push({ name: `diff(${d}, n=${order}, axis=${dax})`, py: `mx.diff(a0, ${order}, ${dax})`, ts: (a) => mx.diff(a!, order, dax), inputs: [x], tol: { ulps: 4 } });
      cases.push({ name: `matrix_transpose(${d})`, py: 'mx.matrix_transpose(a0)', ts: (a) => mx.matrixTranspose(a!), inputs: [x] });
      if (shape.length >= 2) cases.push({ name: `mT(${d})`, py: 'a0.mT', ts: (a) => a!.mT, inputs: [x] });
      cases.push({ name: `contiguous(${d})`, py: `mx.contiguous(a0, ${py.bool(flag)})`, ts: (a) => mx.contiguous(a!, flag), inputs: [x] });
    }
    cases.push({ name: 'diff with a negative n', py: 'mx.diff(a0, -1)', ts: (a) => mx.diff(a!, -1), inputs: [mx.zeros([3])] });
    await check(cases);
  });

  it('vecdot', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float16', 'int32', 'complex64', 'bool', 'int8'), broadcastPairArb, fc.integer(), fc.integer(), fc.nat(), fc.boolean());
    const cases: Case[] = [];
    for (const [d, [s1, s2], v1, v2, pick, neg] of sample(arb, 30, 24)) {
      const x = withLayout(d, s1, v1, 'contiguous', 'small');
      const y = withLayout(d, s2, v2, 'transposed', 'small');
      const ax = s1.length === 0 ? -1 : (pick % s1.length) - (neg ? s1.length : 0);
      cases.push({ name: `vecdot(${d}, axis=${ax})`, py: `mx.vecdot(a0, a1, axis=${ax})`, ts: (a, b) => mx.vecdot(a!, b!, ax), inputs: [x, y], tol: { ulps: 16 } });
    }
    await check(cases);
  });

  it('windows, empty, empty_like', async () => {
    const cases: Case[] = [];
    for (let m = -1; m <= 17; m++) {
      for (const w of ['bartlett', 'hanning', 'hamming', 'blackman']) {
        cases.push({ name: `${w}(${m})`, py: `mx.${w}(${m})`, ts: () => op(w)(m), inputs: [], tol: { ulps: 4 } });
      }
    }
    for (const d of ['float32', 'int8', 'bool', 'complex64'] as const) {
      cases.push({ name: `empty([2, 3], ${d})`, py: `mx.empty([2, 3], mx.${d === 'bool' ? 'bool_' : d})`, ts: () => mx.empty([2, 3], mx.dtypeFromName(d)), inputs: [] });
      cases.push({ name: `empty_like(${d})`, py: 'mx.empty_like(a0)', ts: (a) => mx.emptyLike(a!), inputs: [withLayout(d, [3, 1], 1, 'contiguous')] });
      cases.push({ name: `empty_like(int16, ${d})`, py: `mx.empty_like(a0, mx.${d === 'bool' ? 'bool_' : d})`, ts: (a) => mx.emptyLike(a!, mx.dtypeFromName(d)), inputs: [withLayout('int16', [2], 1, 'contiguous')] });
    }
    cases.push({ name: 'empty(4)', py: 'mx.empty(4)', ts: () => mx.empty(4), inputs: [] });
    await check(cases);
  });

  it('unique: values, index, inverse, counts, sizes and fill values', async () => {
    const arb = fc.tuple(dtypeArb, shapeArb(3, 4), layoutArb, fc.integer(), fc.integer({ min: 0, max: 9 }), fc.nat(), fc.constantFrom<'none' | 'float' | 'int'>('none', 'float', 'int'));
    const cases: Case[] = [];
    for (const [d, shape, layout, vs, size, flags, fill] of sample(arb, 40, 25)) {
      // small values, so that there are repeats to find
      const x = withLayout(d, shape, vs, layout, 'small');
      const [ri, rv, rc] = [(flags & 1) === 1, (flags & 2) === 2, (flags & 4) === 4];
      const fv = fill === 'none' ? null : fill === 'float' ? 2.5 : 3n;
      cases.push({
        name: `unique(${d}, ${size}, ${ri}, ${rv}, ${rc}, fill=${String(fv)})`,
        py: `mx.unique(a0, ${size}, ${py.bool(ri)}, ${py.bool(rv)}, ${py.bool(rc)}, fill_value=${fv === null ? 'None' : py.scalar(fv)})`,
        ts: (a) => mx.unique(a!, size, ri, rv, rc, fv),
        inputs: [x],
      });
    }
    const special = mx.array([1, NaN, 0, -0, NaN, 1, -1, Infinity, -Infinity, 1]);
    for (const size of [0, 3, 7, 12]) {
      cases.push({ name: `unique NaN/-0/inf (${size})`, py: `mx.unique(a0, ${size}, True, True, True)`, ts: (a) => mx.unique(a!, size, true, true, true), inputs: [special] });
    }
    const empty = mx.zeros([0, 2], mx.int32);
    cases.push({ name: 'unique of an empty array, no fill', py: 'mx.unique(a0, 2)', ts: (a) => mx.unique(a!, 2), inputs: [empty] });
    cases.push({ name: 'unique of an empty array, fill', py: 'mx.unique(a0, 2, True, True, True, fill_value=3)', ts: (a) => mx.unique(a!, 2, true, true, true, 3n), inputs: [empty] });
    cases.push({ name: 'unique size 0 of an empty array', py: 'mx.unique(a0, 0, True, True, True)', ts: (a) => mx.unique(a!, 0, true, true, true), inputs: [empty] });
    cases.push({ name: 'unique negative size', py: 'mx.unique(a0, -1)', ts: (a) => mx.unique(a!, -1), inputs: [special] });
    cases.push({ name: 'unique fill of two elements', py: 'mx.unique(a0, 3, fill_value=mx.array([1, 2]))', ts: (a) => mx.unique(a!, 3, false, false, false, mx.array([1n, 2n])), inputs: [special] });
    cases.push({ name: 'unique of a 0-d array', py: 'mx.unique(a0, 2, True, True, True)', ts: (a) => mx.unique(a!, 2, true, true, true), inputs: [mx.array(5)] });
    await check(cases);
  });

  it('hadamard_transform', async () => {
    const sizes = [1, 2, 4, 8, 16, 64, 12, 20, 28, 24, 40, 56, 48, 112];
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float16', 'bfloat16', 'int32', 'complex64', 'float64'), fc.constantFrom(...sizes), shapeArb(2, 3), layoutArb, fc.integer(), fc.constantFrom<number | null>(null, 1, 0.25, -3));
    const cases: Case[] = [];
    for (const [d, n, lead, layout, vs, scale] of sample(arb, 30, 26)) {
      const x = withLayout(d, [...lead.map((v) => Math.max(v, 1)), n], vs, layout, 'unit');
      cases.push({
        name: `hadamard_transform(${d}, n=${n}, scale=${scale})`,
        py: `mx.hadamard_transform(a0, ${scale === null ? 'None' : py.scalar(scale)})`,
        ts: (a) => mx.hadamardTransform(a!, scale),
        inputs: [x],
        tol: { ulps: 0 },
      });
    }
    for (const n of [3, 6, 10, 0]) {
      cases.push({ name: `hadamard_transform n=${n} raises`, py: 'mx.hadamard_transform(a0)', ts: (a) => mx.hadamardTransform(a!), inputs: [mx.zeros([2, n])] });
    }
    cases.push({ name: 'hadamard_transform of a 0-d int', py: 'mx.hadamard_transform(a0)', ts: (a) => mx.hadamardTransform(a!), inputs: [mx.array(3n)] });
    cases.push({ name: 'hadamard_transform of a 0-d float, scaled', py: `mx.hadamard_transform(a0, ${py.scalar(0.5)})`, ts: (a) => mx.hadamardTransform(a!, 0.5), inputs: [mx.array(3, mx.float16)] });
    await check(cases);
  });

  it('broadcast_shapes, can_cast, isdtype', async () => {
    const cases: Case[] = [];
    const shapes: number[][][] = [[[1], [3, 1]], [[6, 7], [5, 6, 1], [7]], [[5, 1, 4], [1, 3, 1]], [[2, 3], [4]], [[0, 1], [1, 5]], [[2], [1, 1, 2]], [[3]], [[], [2, 1]], [[2, 0], [3, 1]]];
    for (const list of shapes) {
      const text = list.map((s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`).join(', ');
      cases.push({ name: `broadcast_shapes(${text})`, py: `mx.array(mx.broadcast_shapes(${text}), mx.int32)`, ts: () => mx.array(mx.broadcastShapes(...list), mx.int32), inputs: [] });
    }
    const pyD = (d: string): string => `mx.${d === 'bool' ? 'bool_' : d}`;
    for (const f of allDtypeNames) {
      for (const t of allDtypeNames) {
        cases.push({ name: `can_cast(${f}, ${t})`, py: `mx.can_cast(${pyD(f)}, ${pyD(t)})`, ts: () => mx.canCast(mx.dtypeFromName(f), mx.dtypeFromName(t)), inputs: [] });
      }
      for (const kind of ['bool', 'signed integer', 'unsigned integer', 'integral', 'real floating', 'complex floating', 'numeric']) {
        cases.push({ name: `isdtype(${f}, '${kind}')`, py: `mx.isdtype(${pyD(f)}, '${kind}')`, ts: () => mx.isdtype(mx.dtypeFromName(f), kind), inputs: [] });
      }
      cases.push({ name: `isdtype(${f}, (float16, 'bool'))`, py: `mx.isdtype(${pyD(f)}, (mx.float16, 'bool'))`, ts: () => mx.isdtype(mx.dtypeFromName(f), [mx.float16, 'bool']), inputs: [] });
      cases.push({ name: `can_cast(array of ${f}, float32)`, py: 'mx.can_cast(a0, mx.float32)', ts: (a) => mx.canCast(a!, mx.float32), inputs: [withLayout(f, [2], 1, 'contiguous')] });
    }
    cases.push({ name: "isdtype unknown kind", py: "mx.isdtype(mx.int8, 'foo')", ts: () => mx.isdtype(mx.int8, 'foo'), inputs: [] });
    await check(cases);
  });

  it('depends, and export_to_dot (primitive ids renumbered in order)', async () => {
    const cases: Case[] = [];
    const x = withLayout('float32', [2, 3], 1, 'contiguous');
    const y = withLayout('int32', [3], 2, 'contiguous');
    cases.push({ name: 'depends(a, b)', py: 'mx.depends(a0, a1)', ts: (a, b) => mx.depends(a!, b!), inputs: [x, y] });
    cases.push({ name: 'depends([a, b], [b + 1])', py: 'mx.depends([a0 * 2, a1], [a1 + 1])', ts: (a, b) => mx.depends([mx.multiply(a!, 2), b!], [mx.add(b!, 1n)]), inputs: [x, y] });
    // The worker's inputs are lazy (decoded through views): evaluated first, as ours are. MLX
    // numbers primitives by address: its ids become 1, 2, ... in order of appearance.
    const dot = (expr: string, kw = ''): string =>
      "(lambda f: (mx.eval(a0, a1), mx.export_to_dot(f, " + expr + (kw ? `, ${kw}` : '') + "), __import__('re').sub(r'\\b\\d{6,}\\b', " +
      "(lambda ids: lambda m: ids.setdefault(m.group(0), str(len(ids) + 1)))({}), f.getvalue()))[2])(__import__('io').StringIO())";
    const bytes = (text: string): mx.MxArray => mx.array(new TextEncoder().encode(text), mx.uint8);
    const pyBytes = (expr: string): string => `mx.array(list(${expr}.encode()), mx.uint8)`;
    const graphs: [string, string, (a: mx.MxArray, b: mx.MxArray, write: { write(t: string): void }) => void][] = [
      ['exp(x + y) * y, named', dot('mx.exp(a0 + a0) * a1', 'x=a0, y=a1'), (a, b, w) => mx.exportToDot(w, mx.multiply(mx.exp(mx.add(a, a)), b), { x: a, y: b })],
      ['divmod, two outputs', dot('*mx.divmod(a0, a1)'), (a, b, w) => mx.exportToDot(w, ...mx.divmod(a, b))],
      ['a list and an evaluated array', dot('[mx.sin(a0), a1], a0'), (a, b, w) => mx.exportToDot(w, [mx.sin(a), b], a)],
    ];
    for (const [name, pyExpr, ts] of graphs) {
      cases.push({
        name: `export_to_dot: ${name}`,
        py: pyBytes(pyExpr),
        ts: (a, b) => {
          let text = '';
          ts(a!, b!, { write: (t) => (text = t) });
          return bytes(text);
        },
        inputs: [withLayout('float32', [2], 3, 'contiguous'), withLayout('float32', [2], 4, 'contiguous', 'nonzero')],
      });
    }
    await check(cases);
  });

  it('grad and vmap through median, diff, flip, unstack, hadamard_transform, vecdot', async () => {
    const cases: Case[] = [];
    const arb = fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }), fc.integer(), fc.nat());
    for (const [shape, vs, pick] of sample(arb, 12, 27)) {
      const x = withLayout('float32', shape, vs, 'contiguous', 'unit');
      const ax = pick % shape.length;
      const w = (s: number[]): mx.MxArray => withLayout('float32', s, vs + 1, 'contiguous', 'unit');
      const drop = (s: number[], i: number): number[] => s.filter((_, k) => k !== i);
      const grads: [string, string, (x: mx.MxArray) => mx.MxArray, mx.MxArray][] = [
        [`median(axis=${ax})`, `mx.median(x, axis=${ax})`, (v) => mx.median(v, ax), w(drop(shape, ax))],
        [`diff(n=2, axis=${ax})`, `mx.diff(x, 2, ${ax})`, (v) => mx.diff(v, 2, ax), w(shape.map((d, k) => (k === ax ? Math.max(d - 2, 0) : d)))],
        [`flip(axis=${ax})`, `mx.flip(x, axis=${ax})`, (v) => mx.flip(v, ax), w(shape)],
        [`unstack(axis=${ax})[-1]`, `mx.unstack(x, axis=${ax})[-1]`, (v) => mx.unstack(v, ax).at(-1)!, w(drop(shape, ax))],
        ['hadamard_transform', 'mx.hadamard_transform(mx.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, 4 - x.shape[-1])]))', (v) => mx.hadamardTransform(mx.pad(v, [...shape.slice(0, -1).map((): [number, number] => [0, 0]), [0, 4 - shape[shape.length - 1]!]])), w([...shape.slice(0, -1), 4])],
        ['vecdot(x, x)', 'mx.vecdot(x, x)', (v) => mx.vecdot(v, v), w(shape.slice(0, -1))],
      ];
      for (const [name, body, f, weights] of grads) {
        cases.push({
          name: `grad ${name} [${shape}]`,
          py: `mx.grad(lambda x: mx.sum(${body} * a1))(a0)`,
          ts: (a, b) => mx.grad((v: mx.MxArray) => mx.sum(mx.multiply(f(v), b!)))(a!) as mx.MxArray,
          inputs: [x, weights],
          tol: { ulps: 8 },
        });
      }
      // vmap over the first axis: the function sees one axis fewer
      const vax = 0;
      const inner = shape.slice(1);
      const iax = ax === 0 ? 0 : ax - 1;
      const vmaps: [string, string, (x: mx.MxArray) => mx.MxArray | mx.MxArray[]][] = [
        [`median(axis=${iax})`, `mx.median(x, axis=${iax})`, (v) => mx.median(v, iax)],
        [`diff(axis=${iax})`, `mx.diff(x, 1, ${iax})`, (v) => mx.diff(v, 1, iax)],
        [`flip(axis=${iax})`, `mx.flip(x, axis=${iax})`, (v) => mx.flip(v, iax)],
        [`unstack(axis=${iax})`, `mx.unstack(x, axis=${iax})`, (v) => mx.unstack(v, iax)],
      ];
      for (const [name, body, f] of vmaps) {
        if (inner.length === 0) continue;
        cases.push({
          name: `vmap ${name} over [${shape}]`,
          py: `mx.vmap(lambda x: ${body}, in_axes=${vax})(a0)`,
          ts: (a) => mx.vmap(f, vax)(a!) as mx.MxArray | mx.MxArray[],
          inputs: [x],
          tol: { ulps: 1 },
        });
      }
    }
    await check(cases);
  });
});
