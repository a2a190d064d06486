// mx.fast against the real MLX (whose CPU runs each fast op's composition of ops): rms_norm,
// layer_norm, rope, scaled_dot_product_attention, cross_entropy, gated_delta_update over dtypes,
// shapes, layouts, masks, grouped-query heads, sinks and offsets, and their errors.
// Bounds: MLX sums in float32 and evaluates exp/sin/cos with its own float32 approximations,
// mlx-ts sums in double and rounds once (README, Precision): float32 results within 64 ulps
// (relative to max(1, |MLX|)), half types within 2 ulps of their own (one rounding flip), float64
// at float32 precision (MLX's float64 exp, sin, cos are float32's). RoPE's angles grow with the
// position, and MLX's float32 sin/cos of a large angle differ from the correctly rounded ones by
// a few ulps of the angle: 256 float32 ulps there.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { layoutArb, makeArray, py, report, sample, withLayout, type DtypeName } from './gen.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

const fdt = fc.constantFrom<DtypeName>('float32', 'float16', 'bfloat16', 'float32', 'float64');
const ulpsFor = (d: DtypeName, f32ulps = 64): number => (d === 'float16' || d === 'bfloat16' ? 2 : f32ulps);
const dim = (min: number, max: number) => fc.integer({ min, max });

describe.skipIf(!hasMlx)('mx.fast vs MLX', () => {
  it('rms_norm and layer_norm: dtypes, weights and biases (promoting), layouts, eps', async () => {
    const arb = fc.tuple(fdt, fc.array(dim(1, 3), { maxLength: 2 }), dim(1, 9), layoutArb, fc.nat(), fc.constantFrom(1e-5, 1e-3, 0.5), fc.nat(7), fdt);
    const cases: Case[] = [];
    for (const [d, lead, D, layout, vs, eps, which, wd] of sample(arb, 12, 101)) {
      const x = withLayout(d, [...lead, D], vs, layout, vs % 4 === 0 ? 'any' : 'unit');
      const w = makeArray(wd, [D], vs + 1, 'unit');
      const b = makeArray(d, [D], vs + 2, 'unit');
      const useW = (which & 1) !== 0;
      const useB = (which & 2) !== 0;
      const tol = { ulps: ulpsFor(useW && wd !== d ? 'float32' : d, 64) };
      cases.push({
        name: `rms_norm(${d}[${lead},${D}] ${layout}, weight ${useW ? wd : 'None'}, eps=${eps})`,
        py: `mx.fast.rms_norm(a0, ${useW ? 'a1' : 'None'}, ${eps})`,
        ts: (a, c) => mx.fast.rmsNorm(a!, useW ? c! : null, eps),
        inputs: [x, w],
        tol,
      });
      cases.push({
        name: `layer_norm(${d}[${lead},${D}] ${layout}, weight ${useW ? wd : 'None'}, bias ${useB}, eps=${eps})`,
        py: `mx.fast.layer_norm(a0, ${useW ? 'a1' : 'None'}, ${useB ? 'a2' : 'None'}, ${eps})`,
        ts: (a, c, e) => mx.fast.layerNorm(a!, useW ? c! : null, useB ? e! : null, eps),
        inputs: [x, w, b],
        tol,
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('rope: traditional or not, base or freqs, scale, integer and array offsets, partial dims, 3- to 5-D', async () => {
    const arb = fc.tuple(
      fdt,
      fc.constantFrom([2, 3], [2, 2, 3], [1, 2, 2, 3], [3, 1, 5]),
      dim(1, 4), // dims / 2
      dim(0, 3), // extra features
      fc.boolean(),
      fc.constantFrom<'base' | 'freqs'>('base', 'base', 'freqs'),
      fc.constantFrom(1, 0.5, 2),
      fc.constantFrom<'int' | 'scalar' | 'vector'>('int', 'scalar', 'vector'),
      dim(-3, 8),
      fc.nat(),
      fc.constantFrom(10000, 500, 1000000),
    );
    const cases: Case[] = [];
    for (const [d, lead, half, extra, traditional, kind, scale, offKind, off, vs, base] of sample(arb, 12, 102)) {
      const dims = 2 * half;
      const D = dims + extra;
      const shape = [...lead.slice(0, -1), lead[lead.length - 1]!, D];
      const x = makeArray(d, shape, vs, 'unit');
      const B = shape[0]!;
      const offArr = offKind === 'vector' ? mx.array(Array.from({ length: B }, (_, i) => off + i), mx.int32) : mx.array(off, mx.int32);
      const freqs = mx.add(mx.abs(makeArray('float32', [half], vs + 3, 'unit')), 0.25);
      const offPy = offKind === 'int' ? String(off) : 'a1';
      const basePy = kind === 'base' ? py.scalar(base) : 'None';
      cases.push({
        name: `rope(${d}[${shape}], dims=${dims}, traditional=${traditional}, ${kind}, scale=${scale}, offset ${offKind} ${off})`,
        py: `mx.fast.rope(a0, ${dims}, traditional=${py.bool(traditional)}, base=${basePy}, scale=${py.scalar(scale)}, offset=${offPy}${kind === 'freqs' ? ', freqs=a2' : ''})`,
        ts: (a, o, f) => mx.fast.rope(a!, dims, traditional, kind === 'base' ? base : null, scale, offKind === 'int' ? off : o!, kind === 'freqs' ? f! : undefined),
        inputs: [x, offArr, freqs],
        tol: { ulps: ulpsFor(d, 256) },
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('scaled_dot_product_attention: masks (causal, bool, additive, broadcast), grouped-query heads, sinks, dtypes', async () => {
    const arb = fc.tuple(
      fdt,
      dim(1, 2), // B
      fc.constantFrom([1, 1], [2, 2], [4, 2], [4, 1], [3, 1]), // [Nq, Nkv]
      dim(1, 4), // Tq
      dim(1, 5), // Tk
      dim(1, 6), // D
      dim(1, 4), // Dv
      fc.constantFrom<'none' | 'causal' | 'bool' | 'add' | 'add-bcast' | 'bool-bcast'>('none', 'causal', 'bool', 'add', 'add-bcast', 'bool-bcast'),
      fc.boolean(),
      fc.nat(),
    );
    const cases: Case[] = [];
    for (const [d, B, [nq, nkv], tq, tk, D, Dv, maskKind, sinks, vs] of sample(arb, 16, 103)) {
      const q = makeArray(d, [B, nq!, tq, D], vs, 'unit');
      const k = makeArray(d, [B, nkv!, tk, D], vs + 1, 'unit');
      const v = makeArray(d, [B, nkv!, tk, Dv], vs + 2, 'unit');
      const maskShape = maskKind.endsWith('bcast') ? [nq!, 1, tk] : [B, nq!, tq, tk];
      const mask = maskKind.startsWith('bool') ? mx.greater(makeArray('float32', maskShape, vs + 3, 'unit'), -0.4) : makeArray(d, maskShape, vs + 3, 'unit');
      const sk = makeArray(d, [nq!], vs + 4, 'unit');
      const scale = Math.fround(1 / Math.sqrt(D));
      const maskPy = maskKind === 'none' ? 'None' : maskKind === 'causal' ? '"causal"' : 'a3';
      const maskTs = maskKind === 'none' ? null : maskKind === 'causal' ? 'causal' : mask;
      cases.push({
        name: `sdpa(${d}, B=${B} Nq=${nq} Nkv=${nkv} Tq=${tq} Tk=${tk} D=${D} Dv=${Dv}, mask ${maskKind}, sinks ${sinks})`,
        py: `mx.fast.scaled_dot_product_attention(a0, a1, a2, scale=${scale}, mask=${maskPy}${sinks ? ', sinks=a4' : ''})`,
        ts: (a, b, c, _m, s) => mx.fast.scaledDotProductAttention(a!, b!, c!, scale, maskTs, sinks ? s! : null),
        inputs: [q, k, v, mask, sk],
        tol: { ulps: ulpsFor(d, 64) },
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('cross_entropy and gated_delta_update', async () => {
    const cases: Case[] = [];
    const arb = fc.tuple(fdt, fc.array(dim(1, 3), { maxLength: 2 }), dim(1, 8), fc.nat(), layoutArb);
    for (const [d, lead, C, vs, layout] of sample(arb, 8, 104)) {
      const x = withLayout(d, [...lead, C], vs, layout, vs % 5 === 0 ? 'any' : 'unit');
      const t = mx.remainder(makeArray('int32', lead, vs + 1, 'small'), BigInt(C)); // in [0, C) (MLX reads out of range ones out of bounds)
      cases.push({
        name: `cross_entropy(${d}[${lead},${C}] ${layout})`,
        py: 'mx.fast.cross_entropy(a0, a1)',
        ts: (a, b) => mx.fast.crossEntropy(a!, b!),
        inputs: [x, t],
        // a float32 loss computed in the logits' dtype: half types within 2 of their ulps
        tol: { ulps: d === 'float16' ? 2 * 2 ** 13 : d === 'bfloat16' ? 2 * 2 ** 16 : 64 },
      });
    }
    const garb = fc.tuple(fdt, dim(1, 2), dim(1, 4), fc.constantFrom([1, 1], [1, 2], [2, 2], [2, 4]), dim(1, 3), dim(1, 3), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat());
    for (const [d, B, T, [Hk, Hv], Dk, Dv, perKey, withState, withMask, vs] of sample(garb, 8, 105)) {
      const q = makeArray(d, [B, T, Hk!, Dk], vs, 'unit');
      const k = makeArray(d, [B, T, Hk!, Dk], vs + 1, 'unit');
      const v = makeArray(d, [B, T, Hv!, Dv], vs + 2, 'unit');
      const g = mx.abs(makeArray(d, perKey ? [B, T, Hv!, Dk] : [B, T, Hv!], vs + 3, 'unit'));
      const beta = mx.abs(makeArray(d, [B, T, Hv!], vs + 4, 'unit'));
      const h0 = makeArray('float32', [B, Hv!, Dv, Dk], vs + 5, 'unit');
      const m = mx.greater(makeArray('float32', [B, T], vs + 6, 'unit'), -0.5);
      cases.push({
        name: `gated_delta_update(${d}, B=${B} T=${T} Hk=${Hk} Hv=${Hv} Dk=${Dk} Dv=${Dv}, gates per key ${perKey}, state ${withState}, mask ${withMask})`,
        py: `mx.fast.gated_delta_update(a0, a1, a2, a3, a4, ${withState ? 'a5' : 'None'}, ${withMask ? 'a6' : 'None'})`,
        ts: (a, b, c, e, f, h, mm) => mx.fast.gatedDeltaUpdate(a!, b!, c!, e!, f!, withState ? h! : null, withMask ? mm! : null),
        inputs: [q, k, v, g, beta, h0, m],
        tol: { ulps: ulpsFor(d, 64) },
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('gradients (MLX\'s CPU differentiates the compositions; mlx-ts uses MLX\'s closed-form norm vjps)', async () => {
    const arb = fc.tuple(fc.constantFrom<DtypeName>('float32', 'float32', 'float16'), dim(1, 3), dim(2, 6), fc.nat());
    const cases: Case[] = [];
    for (const [d, R, D, vs] of sample(arb, 3, 106)) {
      const x = makeArray(d, [R, 2, D], vs, 'unit');
      const w = makeArray(d, [D], vs + 1, 'unit');
      const b = makeArray(d, [D], vs + 2, 'unit');
      const y = makeArray(d, [R, 2, D], vs + 3, 'unit');
      // layer_norm of 2 near-equal features is ill-conditioned (gradients ~ 1/std): 256 float32 ulps
      const tol = { ulps: d === 'float16' ? 2 : 256 };
      const grad = (pyF: string, n: number) => `mx.grad(lambda ${['p', 'q', 'r'].slice(0, n).join(', ')}: (${pyF} * a3).sum(), argnums=(${[...Array(n).keys()].join(', ')},))(${['a0', 'a1', 'a2'].slice(0, n).join(', ')})`;
      const tsGrad = (f: (...a: mx.MxArray[]) => mx.MxArray, n: number) => (a: mx.MxArray, c: mx.MxArray, e: mx.MxArray, yy: mx.MxArray) =>
        mx.grad((...p: mx.MxArray[]) => mx.sum(mx.multiply(f(...p), yy)), [...Array(n).keys()])(...[a, c, e].slice(0, n)) as mx.MxArray[];
      cases.push({ name: `grad rms_norm ${d}`, py: grad('mx.fast.rms_norm(p, q, 1e-5)', 2), ts: tsGrad((p, q) => mx.fast.rmsNorm(p!, q!, 1e-5), 2) as Case['ts'], inputs: [x, w, b, y], tol });
      cases.push({ name: `grad layer_norm ${d}`, py: grad('mx.fast.layer_norm(p, q, r, 1e-5)', 3), ts: tsGrad((p, q, r) => mx.fast.layerNorm(p!, q!, r!, 1e-5), 3) as Case['ts'], inputs: [x, w, b, y], tol });
      const rope = D % 2 === 0 ? D : D - 1;
      cases.push({ name: `grad rope ${d}`, py: grad(`mx.fast.rope(p, ${rope}, traditional=True, base=10000.0, scale=1.0, offset=2)`, 1), ts: tsGrad((p) => mx.fast.rope(p!, rope, true, 10000, 1, 2), 1) as Case['ts'], inputs: [x, w, b, y], tol });
      const q4 = makeArray(d, [1, 2, R, D], vs + 4, 'unit');
      const k4 = makeArray(d, [1, 1, 3, D], vs + 5, 'unit');
      const y4 = makeArray(d, [1, 2, R, D], vs + 6, 'unit');
      cases.push({
        name: `grad sdpa ${d}`,
        py: `mx.grad(lambda p, q, r: (mx.fast.scaled_dot_product_attention(p, q, r, scale=0.5, mask="causal") * a3).sum(), argnums=(0, 1, 2))(a0, a1, a2)`,
        ts: (p, q, r, yy) => mx.grad((a: mx.MxArray, c: mx.MxArray, e: mx.MxArray) => mx.sum(mx.multiply(mx.fast.scaledDotProductAttention(a, c, e, 0.5, 'causal'), yy!)), [0, 1, 2])(p!, q!, r!) as mx.MxArray[],
        inputs: [q4, k4, k4, y4],
        tol,
      });
    }
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });

  it('errors: both raise', async () => {
    const x = makeArray('float32', [2, 3, 8], 1, 'unit');
    const q = makeArray('float32', [1, 4, 3, 8], 2, 'unit');
    const k = makeArray('float32', [1, 2, 5, 8], 3, 'unit');
    const i32 = makeArray('int32', [2, 8], 4, 'small');
    const raise = (name: string, pyExpr: string, ts: Case['ts'], inputs: mx.MxArray[]): Case => ({ name, py: pyExpr, ts, inputs });
    const cases: Case[] = [
      raise('rms_norm int', 'mx.fast.rms_norm(a0, None, 1e-5)', (a) => mx.fast.rmsNorm(a!, null, 1e-5), [i32]),
      raise('rms_norm weight size', 'mx.fast.rms_norm(a0, a0[0, 0, :4], 1e-5)', (a) => mx.fast.rmsNorm(a!, a!.index(0, 0, mx.Slice(0, 4)), 1e-5), [x]),
      raise('layer_norm bias 2-D', 'mx.fast.layer_norm(a0, None, a0[0], 1e-5)', (a) => mx.fast.layerNorm(a!, null, a!.index(0), 1e-5), [x]),
      raise('rope 2-D', 'mx.fast.rope(a0, 8, traditional=False, base=1e4, scale=1.0, offset=0)', (a) => mx.fast.rope(a!, 8, false, 1e4, 1, 0), [x.index(0)]),
      raise('rope odd dims', 'mx.fast.rope(a0, 5, traditional=False, base=1e4, scale=1.0, offset=0)', (a) => mx.fast.rope(a!, 5, false, 1e4, 1, 0), [x]),
      raise('rope big dims', 'mx.fast.rope(a0, 10, traditional=True, base=1e4, scale=1.0, offset=0)', (a) => mx.fast.rope(a!, 10, true, 1e4, 1, 0), [x]),
      raise('rope float offset', 'mx.fast.rope(a0, 8, traditional=False, base=1e4, scale=1.0, offset=a1)', (a, o) => mx.fast.rope(a!, 8, false, 1e4, 1, o!), [x, mx.array(1)]),
      raise('rope offset size', 'mx.fast.rope(a0, 8, traditional=False, base=1e4, scale=1.0, offset=a1)', (a, o) => mx.fast.rope(a!, 8, false, 1e4, 1, o!), [x, mx.array([1n, 2n, 3n])]),
      raise('rope no base', 'mx.fast.rope(a0, 8, traditional=False, base=None, scale=1.0, offset=0)', (a) => mx.fast.rope(a!, 8, false, null, 1, 0), [x]),
      raise('rope freqs size', 'mx.fast.rope(a0, 8, traditional=False, base=None, scale=1.0, offset=0, freqs=a1)', (a, f) => mx.fast.rope(a!, 8, false, null, 1, 0, f!), [x, mx.ones([3])]),
      raise('sdpa rank', 'mx.fast.scaled_dot_product_attention(a0[0], a1[0], a1[0], scale=1.0)', (a, b) => mx.fast.scaledDotProductAttention(a!.index(0), b!.index(0), b!.index(0), 1), [q, k]),
      raise('sdpa heads', 'mx.fast.scaled_dot_product_attention(a0[:, :3], a1, a1, scale=1.0)', (a, b) => mx.fast.scaledDotProductAttention(a!.index(mx.Slice(), mx.Slice(0, 3)), b!, b!, 1), [q, k]),
      raise('sdpa mask rank', 'mx.fast.scaled_dot_product_attention(a0, a1, a1, scale=1.0, mask=a2)', (a, b, m) => mx.fast.scaledDotProductAttention(a!, b!, b!, 1, m!), [q, k, mx.zeros([1, 1, 1, 3, 5])]),
      raise('sdpa mask type', 'mx.fast.scaled_dot_product_attention(a0, a1, a1, scale=1.0, mask=a2)', (a, b, m) => mx.fast.scaledDotProductAttention(a!, b!, b!, 1, m!), [q.astype(mx.float16), k.astype(mx.float16), mx.zeros([3, 5])]),
      raise('sdpa sinks shape', 'mx.fast.scaled_dot_product_attention(a0, a1, a1, scale=1.0, sinks=a2)', (a, b, s) => mx.fast.scaledDotProductAttention(a!, b!, b!, 1, null, s!), [q, k, mx.zeros([2])]),
      raise('sdpa bad mask string', 'mx.fast.scaled_dot_product_attention(a0, a1, a1, scale=1.0, mask="upper")', (a, b) => mx.fast.scaledDotProductAttention(a!, b!, b!, 1, 'upper'), [q, k]),
      raise('cross_entropy float targets', 'mx.fast.cross_entropy(a0, a1)', (a, b) => mx.fast.crossEntropy(a!, b!), [x, mx.zeros([2, 3])]),
      raise('cross_entropy shape', 'mx.fast.cross_entropy(a0, a1)', (a, b) => mx.fast.crossEntropy(a!, b!), [x, mx.zeros([2], mx.int32)]),
    ];
    const f = await runCases(worker, cases);
    expect(f, report(f, cases.length)).toEqual([]);
  });
});
