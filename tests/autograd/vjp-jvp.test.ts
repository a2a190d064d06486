// Every primitive's vjp and jvp against central finite differences in float64, on fast-check
// shapes (broadcasting, size-0 and size-1 dims): <u, J v> from finite differences against
// <vjp(u), v>, and J v against the finite-difference directional derivative. Also: the table
// covers every registered primitive, and gradients keep the input's float dtype.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { primitiveDefs } from '../../packages/core/src/primitive.js';
import { specs, coverageTable, type Spec } from './table.js';
import { T, asList, describeInputs, dot, fdDirectional, flat, isFloat, makeInput, near, nearArrays, rng, scale, seed, fmt, strided } from './fd.js';

const perSpec = Math.max(1, Math.round(6 * scale));

export interface Instance {
  fn: (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];
  inputs: mx.MxArray[];
  r: () => number;
  /** inputs, cotangents and tangents are strided views in this layout */
  layout: Layout;
  label: string;
}
type Layout = 'contiguous' | 'transposed' | 'reversed';

/** The sampled instances of a spec: shapes from fast-check, values and constants from a seed. */
export function instances(spec: Spec, n: number, salt: number, float: mx.Dtype = spec.lowPrecision ? mx.float32 : mx.float64): Instance[] {
  const arb = fc.tuple(spec.shapes, fc.integer(), fc.constantFrom('contiguous', 'contiguous', 'transposed', 'reversed') as fc.Arbitrary<Layout>);
  return fc.sample(arb, { numRuns: n, seed: seed + salt }).map(([shapes, vs, layout]) => {
    const r = rng(vs);
    const fn = spec.fn(shapes, r);
    const inputs = shapes.map((s, i) => strided(makeInput(s, spec.dom[i]!, r, float), layout));
    return { fn, inputs, r, layout, label: `${spec.name} | shapes ${JSON.stringify(shapes)} | ${layout} | seed ${vs}` };
  });
}

function tryRun<X>(f: () => X): X | Error {
  try {
    const v = f();
    mx.eval(v as never);
    return v;
  } catch (e) {
    return e as Error;
  }
}

function allZero(a: mx.MxArray): boolean {
  return flat(a).every((v) => v === 0);
}

/** Checks one instance; returns failure messages. */
function checkInstance(spec: Spec, inst: Instance): string[] {
  const { fn, inputs, r, label } = inst;
  const fails: string[] = [];
  const where = `${label} | ${describeInputs(inputs)}`;
  const outs = asList(fn(...inputs));
  mx.eval(outs);
  const us = outs.map((o) => strided(isFloat(o.dtype) ? makeInput([...o.shape], 'any', r, o.dtype) : mx.onesLike(o), inst.layout));
  const vs = inputs.map((x) => strided(isFloat(x.dtype) ? makeInput([...x.shape], 'any', r, x.dtype) : mx.zerosLike(x), inst.layout));
  const kind = spec.kind ?? 'smooth';
  const low = spec.lowPrecision === true;
  const h = low ? 3e-3 : 1e-5;
  const tol = low ? 2e-2 : 1e-6;
  const fd = kind === 'smooth' ? fdDirectional(spec.fdFn ? spec.fdFn(inputs) : fn, inputs, vs, h) : null;

  // ---- vjp ----
  const vr = tryRun(() => T.vjp(fn, inputs, us));
  if (vr instanceof Error) {
    if (!spec.mlxRaises?.includes('vjp')) fails.push(`${where}: vjp raised ${vr.message}`);
  } else {
    const [vo, g] = vr;
    if (vo.length !== outs.length) fails.push(`${where}: vjp returned ${vo.length} outputs, want ${outs.length}`);
    vo.forEach((o, k) => {
      const m = nearArrays(`vjp output ${k}`, flat(o), flat(outs[k]!), 1e-12);
      if (m) fails.push(`${where}: ${m}`);
    });
    if (g.length !== inputs.length) fails.push(`${where}: vjp returned ${g.length} cotangents for ${inputs.length} inputs`);
    g.forEach((gi, i) => {
      const x = inputs[i]!;
      if (JSON.stringify(gi.shape) !== JSON.stringify(x.shape)) fails.push(`${where}: vjp ${i} shape [${gi.shape}], want [${x.shape}]`);
      if (gi.dtype !== x.dtype) fails.push(`${where}: vjp ${i} dtype ${gi.dtype.name}, want ${x.dtype.name}`);
    });
    if (fails.length === 0) {
      if (kind === 'smooth') {
        const want = fd!.reduce((acc, d, k) => acc + dot(flat(us[k]!), d), 0);
        const mag = fd!.reduce((acc, d, k) => acc + dot(flat(us[k]!).map(Math.abs), d.map(Math.abs)), 0);
        const got = g.reduce((acc, gi, i) => acc + dot(flat(gi), flat(vs[i]!)), 0);
        const m = near('<vjp(u), v> vs <u, FD(J v)>', got, want, tol, mag);
        if (m) fails.push(`${where}: ${m}; vjps ${g.map((x) => fmt(flat(x))).join(' ')}`);
      } else {
        g.forEach((gi, i) => {
          if (!allZero(gi)) fails.push(`${where}: vjp ${i} should be zeros (${kind}), got ${fmt(flat(gi))}`);
        });
      }
    }
  }

  // ---- jvp ----
  const jr = tryRun(() => T.jvp(fn, inputs, vs));
  if (jr instanceof Error) {
    if (!spec.mlxRaises?.includes('jvp')) fails.push(`${where}: jvp raised ${jr.message}`);
  } else {
    const [jo, jv] = jr;
    if (jo.length !== outs.length || jv.length !== outs.length) fails.push(`${where}: jvp returned ${jo.length} outputs and ${jv.length} tangents, want ${outs.length}`);
    else
      jv.forEach((t, k) => {
        const m0 = nearArrays(`jvp output ${k}`, flat(jo[k]!), flat(outs[k]!), 1e-12);
        if (m0) fails.push(`${where}: ${m0}`);
        if (JSON.stringify(t.shape) !== JSON.stringify(outs[k]!.shape)) {
          fails.push(`${where}: jvp tangent ${k} shape [${t.shape}], want [${outs[k]!.shape}]`);
          return;
        }
        if (kind === 'smooth') {
          if (t.dtype !== outs[k]!.dtype) fails.push(`${where}: jvp tangent ${k} dtype ${t.dtype.name}, want ${outs[k]!.dtype.name}`);
          const m = nearArrays(`jvp tangent ${k} vs FD`, flat(t), fd![k]!, tol);
          if (m) fails.push(`${where}: ${m}`);
        } else if (!allZero(t)) fails.push(`${where}: jvp tangent ${k} should be zeros (${kind}), got ${fmt(flat(t))}`);
      });
  }
  return fails;
}

describe('every registered primitive is in the autograd table', () => {
  it('coverage', () => {
    const table = coverageTable();
    // CustomKernel (mx.fast.metalKernel) runs only on the GPU and has no rules, as in MLX: its
    // transforms raise, checked in packages/metal-backend/test/custom-kernel.test.ts
    const gpuOnly = new Set(['CustomKernel']);
    const missing = [...primitiveDefs().keys()].filter((n) => !table.has(n) && !gpuOnly.has(n));
    expect(missing, `primitives with no autograd/vmap case in tests/autograd/table.ts: ${missing.join(', ')}`).toEqual([]);
    const unknown = [...table.keys()].filter((n) => !primitiveDefs().has(n));
    expect(unknown, 'table names that are not registered primitives').toEqual([]);
    expect(primitiveDefs().size).toBeGreaterThan(60);
  });
});

describe('the checks catch wrong rules', () => {
  it('a vjp or jvp rule off by a factor fails the finite-difference check', () => {
    const def = primitiveDefs().get('Sin') as { vjp?: unknown; jvp?: unknown };
    const spec = specs.find((s) => s.name === 'sin')!;
    const [inst] = instances({ ...spec, shapes: fc.constant([[3]]) }, 1, 5);
    const saved = { vjp: def.vjp, jvp: def.jvp };
    try {
      def.vjp = (_p: unknown, [x]: mx.MxArray[], [c]: mx.MxArray[]) => [mx.multiply(mx.multiply(c!, mx.cos(x!)), 1.01)];
      expect(checkInstance(spec, inst!).some((m) => m.includes('<vjp(u), v>'))).toBe(true);
      def.vjp = saved.vjp;
      def.jvp = (_p: unknown, [x]: mx.MxArray[], [t]: mx.MxArray[]) => [mx.multiply(t!, mx.sin(x!))];
      expect(checkInstance(spec, inst!).some((m) => m.includes('jvp tangent 0 vs FD'))).toBe(true);
    } finally {
      def.vjp = saved.vjp;
      def.jvp = saved.jvp;
    }
    expect(checkInstance(spec, inst!)).toEqual([]);
  });
});

describe('vjp and jvp against central finite differences (float64)', () => {
  it.each(specs.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails = instances(spec, perSpec, i * 101).flatMap((inst) => checkInstance(spec, inst));
    expect(fails.slice(0, 5), `${fails.length} failures`).toEqual([]);
  });
});

describe('gradient dtype equals the input dtype', () => {
  const floats = [mx.float16, mx.bfloat16, mx.float32, mx.float64];
  const smooth = specs.filter((s) => (s.kind ?? 'smooth') !== 'int');
  it.each(floats.map((d) => [d.name, d] as const))('%s', (_n, dtype) => {
    const fails: string[] = [];
    smooth.forEach((spec, i) => {
      const [inst] = instances(spec, 1, 7 + i * 13, dtype);
      const { fn, inputs, label } = inst!;
      // built inside tryRun: an op MLX refuses for this dtype (qqmm of float64) raises here
      const vr = tryRun(() => T.vjp(fn, inputs, asList(fn(...inputs)).map((o) => mx.onesLike(o))));
      if (vr instanceof Error) {
        if (!spec.mlxRaises?.includes('vjp')) fails.push(`${label}: vjp raised ${vr.message}`);
        return;
      }
      vr[1].forEach((g, k) => {
        if (g.dtype !== inputs[k]!.dtype) fails.push(`${label}: vjp ${k} is ${g.dtype.name} for a ${inputs[k]!.dtype.name} input`);
      });
    });
    expect(fails).toEqual([]);
  });

  it('grad of a float16 / bfloat16 / float32 / float64 scalar function', () => {
    for (const d of floats) {
      const x = mx.array([0.5, 1.5, -2], d);
      const g = T.grad((a: mx.MxArray) => mx.sum(mx.multiply(mx.exp(a), mx.sin(a))))(x) as mx.MxArray;
      expect(g.dtype).toBe(d);
      const want = [0.5, 1.5, -2].map((v) => Math.exp(v) * (Math.sin(v) + Math.cos(v)));
      const tol = d === mx.float64 ? 1e-12 : d === mx.float32 ? 1e-5 : 5e-2;
      flat(g).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(tol * (1 + Math.abs(want[i]!))));
    }
  });
});

/**
 * Second order, forward over reverse: the vjp rules are themselves differentiable. The jvp of
 * x -> vjp(fn, x, u) along v must match finite differences of that function (float64).
 */
function checkSecondOrder(spec: Spec, inst: Instance): string[] {
  const { fn, inputs, r, label } = inst;
  const outs = asList(fn(...inputs));
  const us = outs.map((o) => (isFloat(o.dtype) ? makeInput([...o.shape], 'any', r, o.dtype) : mx.onesLike(o)));
  const vs = inputs.map((x) => makeInput([...x.shape], 'any', r, x.dtype));
  const back = (...xs: mx.MxArray[]) => T.vjp(fn, xs, us)[1];
  const first = tryRun(() => back(...inputs));
  if (first instanceof Error) return spec.mlxRaises?.includes('vjp') ? [] : [`${label}: vjp raised ${first.message}`];
  const fd = fdDirectional(back, inputs, vs, 1e-5);
  const jr = tryRun(() => T.jvp(back, inputs, vs));
  if (jr instanceof Error) return spec.mlxRaises?.includes('jvp') ? [] : [`${label}: jvp of vjp raised ${jr.message}`];
  const fails: string[] = [];
  jr[1].forEach((t, k) => {
    const m = nearArrays(`d/dv vjp ${k}`, flat(t), fd[k]!, 1e-5);
    if (m) fails.push(`${label} | ${describeInputs(inputs)}: ${m}`);
  });
  return fails;
}

describe('second order: jvp of the vjp against finite differences of the vjp (float64)', () => {
  const second = specs.filter((s) => (s.kind ?? 'smooth') === 'smooth' && !s.lowPrecision && !s.fdFn);
  it.each(second.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails = instances(spec, Math.max(1, Math.round(perSpec / 2)), 5000 + i * 7).flatMap((inst) => checkSecondOrder(spec, inst));
    expect(fails.slice(0, 4), `${fails.length} failures`).toEqual([]);
  });
});

