// Convolutions against the real MLX: conv1d/2d/3d, conv_general (asymmetric and negative
// padding, kernel and input dilation, groups, flip), conv_transpose1d/2d/3d (output padding,
// groups), convolve, their errors, and vjps. Integer-valued inputs are exact in float32 on
// both sides (compared exactly); inputs in [-1, 1] compare within a stated ulp bound (MLX
// accumulates in float32, mlx-ts in double).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, toWire, fromWire, type Case } from './harness.js';
import { report, sample, withLayout, type DtypeName, type Layout } from './gen.js';
import { convProblemArb, convOutSize, type ConvProblem } from '../../packages/core/test/conv-problems.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

const tuple = (v: number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;
const list = (v: number[]): string => `[${v.join(', ')}]`;

/** A problem with its parameters spelled out, a seed for its values and a layout for its input. */
interface Problem extends ConvProblem {
  stride: number[];
  lo: number[];
  hi: number[];
  kdil: number[];
  idil: number[];
  groups: number;
  flip: boolean;
  vs: number;
  layout: Layout;
}

// windows that fit the padded input: past it MLX's GEMM path reads outside its input (garbage,
// NaN) where mlx-ts reads zeros (test/conv.test.ts), so those shapes are not compared
const problemArb: fc.Arbitrary<Problem> = fc
  .tuple(convProblemArb({ maxCg: 3, maxSize: 6, windows: 'fit' }), fc.integer(), fc.constantFrom<Layout>('contiguous', 'contiguous', 'transposed', 'reversed'))
  .map(([q, vs, layout]) => ({ ...q, stride: q.p.strides, lo: q.p.paddingLo, hi: q.p.paddingHi, kdil: q.p.kernelDilation, idil: q.p.inputDilation, groups: q.p.groups, flip: q.p.flip, vs, layout }));

const inputs = (p: Problem, d: DtypeName, dom: 'small' | 'unit') => [withLayout(d, p.xs, p.vs, p.layout, dom), withLayout(d, p.ws, p.vs + 1, 'contiguous', dom)];

/** conv{nd}d with the problem's symmetric padding (lo) and kernel dilation. */
function convNdCase(p: Problem, d: DtypeName, dom: 'small' | 'unit', tol?: { ulps: number }): Case {
  const args = p.nd === 1 ? [p.stride[0], p.lo[0], p.kdil[0]].join(', ') : [p.stride, p.lo, p.kdil].map(tuple).join(', ');
  const fn = [mx.conv1d, mx.conv2d, mx.conv3d][p.nd - 1] as (...a: unknown[]) => mx.MxArray;
  const a = (v: number[]) => (p.nd === 1 ? v[0] : v);
  return {
    name: `conv${p.nd}d ${d} x[${p.xs}] w[${p.ws}] stride ${p.stride} padding ${p.lo} dilation ${p.kdil} groups ${p.groups} (${p.layout})`,
    py: `mx.conv${p.nd}d(a0, a1, ${args}, ${p.groups})`,
    ts: (x, w) => fn(x, w, a(p.stride), a(p.lo), a(p.kdil), p.groups),
    inputs: inputs(p, d, dom),
    tol,
  };
}

function generalCase(p: Problem, d: DtypeName, dom: 'small' | 'unit', tol?: { ulps: number }): Case {
  const py = `mx.conv_general(a0, a1, ${list(p.stride)}, (${list(p.lo)}, ${list(p.hi)}), ${list(p.kdil)}, ${list(p.idil)}, ${p.groups}, ${p.flip ? 'True' : 'False'})`;
  return {
    name: `conv_general ${d} x[${p.xs}] w[${p.ws}] stride ${p.stride} padding ${p.lo}|${p.hi} kdil ${p.kdil} idil ${p.idil} groups ${p.groups} flip ${p.flip} (${p.layout})`,
    py,
    ts: (x, w) => mx.convGeneral(x, w, p.stride, [p.lo, p.hi], p.kdil, p.idil, p.groups, p.flip),
    inputs: inputs(p, d, dom),
    tol,
  };
}

describe.skipIf(!hasMlx)('convolutions vs MLX', () => {
  it('conv1d/2d/3d and conv_general: integer values, exact', async () => {
    const cases: Case[] = [];
    for (const p of sample(problemArb, 12, 31)) {
      cases.push(convNdCase(p, 'float32', 'small'), generalCase(p, 'float32', 'small'));
      cases.push(generalCase(p, (['float16', 'bfloat16'] as const)[p.vs & 1]!, 'small'));
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('values in [-1, 1]: float32 within 64 ulps, float16/bfloat16 within 1 ulp (MLX sums in float32)', async () => {
    const cases: Case[] = [];
    for (const p of sample(problemArb, 6, 32)) {
      cases.push(convNdCase(p, 'float32', 'unit', { ulps: 64 }), generalCase(p, 'float32', 'unit', { ulps: 64 }));
      cases.push(generalCase(p, (['float16', 'bfloat16'] as const)[p.vs & 1]!, 'unit', { ulps: 1 }));
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('float64 and mixed dtypes where MLX computes them (its GEMM path: no dilation, one group)', async () => {
    const cases: Case[] = [];
    for (const p of sample(problemArb, 4, 33)) {
      const q = { ...p, kdil: p.kdil.map(() => 1), idil: p.idil.map(() => 1), groups: 1, flip: false, xs: [...p.xs.slice(0, -1), p.ws.at(-1)!], ws: [p.ws[0]! / p.groups, ...p.ws.slice(1)] };
      if (!q.xs.slice(1, -1).every((n, i) => convOutSize(n, q.ws[1 + i]!, { ...q.p, kernelDilation: q.kdil, inputDilation: q.idil }, i, 'fit') > 0)) continue;
      cases.push(convNdCase(q, 'float64', 'small'));
      const [x, w] = inputs(q, 'float16', 'small');
      cases.push({ name: `conv float16 input, float32 weight`, py: `mx.conv_general(a0, a1.astype(mx.float32), ${list(q.stride)}, ${list(q.lo)})`, ts: (a, b) => mx.convGeneral(a, b!.astype(mx.float32), q.stride, q.lo), inputs: [x!, w!] });
      cases.push({ name: `conv float32 input, int32 weight`, py: `mx.conv_general(a0.astype(mx.float32), a1.astype(mx.int32), ${list(q.stride)}, ${list(q.lo)})`, ts: (a, b) => mx.convGeneral(a!.astype(mx.float32), b!.astype(mx.int32), q.stride, q.lo), inputs: [x!, w!] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('negative padding slices the input', async () => {
    const x = withLayout('float32', [2, 5, 6, 2], 3, 'contiguous', 'small');
    const w = withLayout('float32', [3, 2, 3, 2], 4, 'contiguous', 'small');
    const cases: Case[] = [];
    for (const [lo, hi, idil] of [[[-1, 0], [0, -2], [1, 1]], [[-2, 1], [2, -1], [1, 2]], [[0, -1], [-1, 0], [2, 1]], [[-1, -1], [-3, -1], [1, 1]]] as const) {
      cases.push({ name: `padding ${lo} | ${hi} idil ${idil}`, py: `mx.conv_general(a0, a1, 1, (${list([...lo])}, ${list([...hi])}), 1, ${list([...idil])})`, ts: (a, b) => mx.convGeneral(a, b, 1, [[...lo], [...hi]], 1, [...idil]), inputs: [x, w] });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('conv_transpose1d/2d/3d: stride, padding, dilation, output padding, groups', async () => {
    const cases: Case[] = [];
    const arb = fc.record({
      p: problemArb,
      op: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
    });
    for (const { p, op } of sample(arb, 12, 34)) {
      const nd = p.nd;
      const outPad = op.slice(0, nd).map((v, i) => Math.min(v, p.stride[i]! - 1));
      const pad = p.lo.map((v, i) => Math.min(v, p.kdil[i]! * (p.ws[1 + i]! - 1)));
      if (p.xs.slice(1, -1).some((n, i) => (n - 1) * p.stride[i]! - 2 * pad[i]! + p.kdil[i]! * (p.ws[1 + i]! - 1) + 1 + outPad[i]! <= 0)) continue;
      const fn = [mx.convTranspose1d, mx.convTranspose2d, mx.convTranspose3d][nd - 1] as (...a: unknown[]) => mx.MxArray;
      const a = (v: number[]) => (nd === 1 ? v[0] : v);
      const pyArgs = nd === 1 ? [p.stride[0], pad[0], p.kdil[0], outPad[0]].join(', ') : [p.stride, pad, p.kdil, outPad].map(tuple).join(', ');
      // MLX's weight for a transposed conv is (C_out, ...K, C_in / groups) too
      cases.push({
        name: `conv_transpose${nd}d x[${p.xs}] w[${p.ws}] stride ${p.stride} padding ${pad} dilation ${p.kdil} output_padding ${outPad} groups ${p.groups}`,
        py: `mx.conv_transpose${nd}d(a0, a1, ${pyArgs}, ${p.groups})`,
        ts: (x, w) => fn(x, w, a(p.stride), a(pad), a(p.kdil), p.groups, a(outPad)),
        inputs: inputs(p, 'float32', 'small'),
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('convolve: modes, lengths, either argument longer', async () => {
    const cases: Case[] = [];
    for (const [la, lv] of [[5, 3], [5, 4], [3, 6], [1, 1], [6, 1], [2, 7], [4, 4]] as const) {
      const a = withLayout('float32', [la], la, 'contiguous', 'small');
      const v = withLayout('float32', [lv], lv + 10, 'reversed', 'small');
      for (const mode of ['full', 'same', 'valid']) cases.push({ name: `convolve ${la} ${lv} ${mode}`, py: `mx.convolve(a0, a1, '${mode}')`, ts: (x, y) => mx.convolve(x, y, mode), inputs: [a, v] });
    }
    const ai = withLayout('int32', [3], 1, 'contiguous', 'small');
    const af = withLayout('float32', [5], 2, 'contiguous', 'small');
    cases.push({ name: 'convolve int kernel', py: 'mx.convolve(a0, a1)', ts: (x, y) => mx.convolve(x, y), inputs: [ai, af] });
    cases.push({ name: 'convolve int signal raises', py: 'mx.convolve(a1, a0)', ts: (x, y) => mx.convolve(y, x), inputs: [withLayout('int32', [6], 1, 'contiguous', 'small'), af] });
    cases.push({ name: 'convolve bad mode raises', py: "mx.convolve(a0, a1, 'bad')", ts: (x, y) => mx.convolve(x, y, 'bad'), inputs: [af, af] });
    cases.push({ name: 'convolve 2-D raises', py: 'mx.convolve(a0, a1)', ts: (x, y) => mx.convolve(x, y), inputs: [mx.ones([2, 2]), af] });
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('errors: both raise', async () => {
    const o = (...s: number[]) => mx.ones(s);
    const raises: [string, (...a: mx.MxArray[]) => mx.MxArray, mx.MxArray[]][] = [
      ['mx.conv1d(a0.astype(mx.int32), a1)', (x, w) => mx.conv1d(x!.astype(mx.int32), w!), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv1d(a0.astype(mx.complex64), a1)', (x, w) => mx.conv1d(x!.astype(mx.complex64), w!), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv1d(a0, a1, stride=0)', (x, w) => mx.conv1d(x!, w!, 0), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv1d(a0, a1, dilation=0)', (x, w) => mx.conv1d(x!, w!, 1, 0, 0), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv_general(a0, a1, input_dilation=0)', (x, w) => mx.convGeneral(x!, w!, 1, 0, 1, 0), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv_general(a0, a1, [1, 1])', (x, w) => mx.convGeneral(x!, w!, [1, 1]), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv_general(a0, a1, 1, ([1, 1], [0]))', (x, w) => mx.convGeneral(x!, w!, 1, [[1, 1], [0]]), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv2d(a0, a1)', (x, w) => mx.conv2d(x!, w!), [o(2, 3, 2), o(1, 1, 2)]],
      ['mx.conv1d(a0, a1)', (x, w) => mx.conv1d(x!, w!), [o(2, 3, 3, 2), o(1, 1, 2)]],
      ['mx.conv_general(a0, a1)', (x, w) => mx.convGeneral(x!, w!), [o(2, 2), o(1, 2)]],
      ['mx.conv1d(a0, a1, groups=3)', (x, w) => mx.conv1d(x!, w!, 1, 0, 1, 3), [o(2, 3, 4), o(4, 1, 2)]],
      ['mx.conv1d(a0, a1, groups=2)', (x, w) => mx.conv1d(x!, w!, 1, 0, 1, 2), [o(2, 3, 4), o(3, 1, 2)]],
      ['mx.conv1d(a0, a1, groups=2) (channels)', (x, w) => mx.conv1d(x!, w!, 1, 0, 1, 2), [o(2, 3, 4), o(4, 1, 1)]],
      ['mx.conv1d(a0, a1)', (x, w) => mx.conv1d(x!, w!), [o(2, 3, 4), o(4, 1, 3)]],
      ['mx.conv3d(a0, a1, groups=2)', (x, w) => mx.conv3d(x!, w!, 1, 0, 1, 2), [o(2, 3, 3, 3, 4), o(4, 1, 1, 1, 2)]],
      ['mx.conv1d(a0, a1)', (x, w) => mx.conv1d(x!, w!), [o(2, 3, 4), o(4, 5, 4)]],
      ['mx.conv_transpose1d(a0, a1, padding=3)', (x, w) => mx.convTranspose1d(x!, w!, 1, 3), [o(2, 3, 4), o(4, 2, 4)]],
      ['mx.conv_transpose3d(a0, a1, groups=2)', (x, w) => mx.convTranspose3d(x!, w!, 1, 0, 1, 2), [o(2, 3, 3, 3, 4), o(4, 2, 2, 2, 2)]],
      ['mx.conv_general(a0, a1, 1, ([-3, 0], [0, 0]))', (x, w) => mx.convGeneral(x!, w!, 1, [[-3, 0], [0, 0]]), [o(2, 3, 3, 4), o(4, 2, 1, 4)]],
    ];
    const cases: Case[] = raises.map(([py, ts, xs]) => ({ name: `${py} raises`, py, ts, inputs: xs }));
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('vjp of conv_general (every parameter) and conv_transpose', async () => {
    const cases: Case[] = [];
    // MLX 0.32.4's input gradient has the wrong shape (or raises) for some convolutions with
    // input dilation: those are asked for their shapes first and not compared (mlx-ts's are
    // checked against finite differences in packages/core/test/conv.test.ts)
    let mlxWrong = 0;
    let withDilation = 0;
    for (const q of sample(problemArb, 8, 35)) {
      const [x, w] = inputs(q, 'float32', 'small');
      const y = mx.convGeneral(x!, w!, q.stride, [q.lo, q.hi], q.kdil, q.idil, q.groups, q.flip);
      const u = withLayout('float32', y.shape, q.vs + 2, 'contiguous', 'small');
      const conv = `lambda x, w: mx.conv_general(x, w, ${list(q.stride)}, (${list(q.lo)}, ${list(q.hi)}), ${list(q.kdil)}, ${list(q.idil)}, ${q.groups}, ${q.flip ? 'True' : 'False'})`;
      const py = `mx.vjp(${conv}, [a0, a1], [a2])[1]`;
      let compare = true;
      if (q.idil.some((v) => v > 1)) {
        withDilation++;
        const probe = await worker.run(`[mx.array(list(g.shape)) for g in ${py}]`, [x!, w!, u].map(toWire));
        const shapes = probe.ok ? probe.outs!.map((o) => (fromWire(o).tolist() as number[]).join(',')) : [];
        compare = shapes[0] === q.xs.join(',') && shapes[1] === q.ws.join(',');
        if (!compare) mlxWrong++;
      }
      if (compare)
        cases.push({
        name: `vjp conv_general x[${q.xs}] w[${q.ws}] stride ${q.stride} padding ${q.lo}|${q.hi} kdil ${q.kdil} idil ${q.idil} groups ${q.groups} flip ${q.flip}`,
        py,
        ts: (a, b, c) => mx.vjp((s: mx.MxArray, t: mx.MxArray) => mx.convGeneral(s, t, q.stride, [q.lo, q.hi], q.kdil, q.idil, q.groups, q.flip), [a!, b!], [c!])[1],
        inputs: [x!, w!, u],
        });
      const p = q;
      // transposed: input dilation = stride, MLX's paddings
      const pad = p.lo.map((v, i) => Math.min(v, p.kdil[i]! * (p.ws[1 + i]! - 1)));
      const nd = p.nd;
      if (p.xs.slice(1, -1).some((n, i) => (n - 1) * p.stride[i]! - 2 * pad[i]! + p.kdil[i]! * (p.ws[1 + i]! - 1) + 1 <= 0)) continue;
      const fn = [mx.convTranspose1d, mx.convTranspose2d, mx.convTranspose3d][nd - 1] as (...a: unknown[]) => mx.MxArray;
      const a = (v: number[]) => (nd === 1 ? v[0] : v);
      const args = nd === 1 ? [p.stride[0], pad[0], p.kdil[0]].join(', ') : [p.stride, pad, p.kdil].map(tuple).join(', ');
      const [xt, wt] = inputs(p, 'float32', 'small');
      const yt = fn(xt, wt, a(p.stride), a(pad), a(p.kdil), p.groups);
      const ut = withLayout('float32', yt.shape, p.vs + 3, 'contiguous', 'small');
      cases.push({
        name: `vjp conv_transpose${nd}d x[${p.xs}] w[${p.ws}] stride ${p.stride} padding ${pad} dilation ${p.kdil} groups ${p.groups}`,
        py: `mx.vjp(lambda x, w: mx.conv_transpose${nd}d(x, w, ${args}, 0, ${p.groups}), [a0, a1], [a2])[1]`,
        ts: (s, t, c) => mx.vjp((x2: mx.MxArray, w2: mx.MxArray) => fn(x2, w2, a(p.stride), a(pad), a(p.kdil), p.groups), [s!, t!], [c!])[1],
        inputs: [xt!, wt!, ut],
      });
    }
    const f = await runCases(worker, cases);
    console.log(`[differential] conv vjp: ${cases.length} compared; ${mlxWrong} of ${withDilation} with input dilation skipped (MLX's gradient shape is wrong)`);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
