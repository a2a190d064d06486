// vmap against a loop over the batch, for every spec of the primitive table: inAxes at varied
// positions with unbatched (null) inputs mixed in, outAxes varied; then vmap composed with grad
// (per-example gradients) and grad of vmap.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { specs, type Spec } from './table.js';
import { T, asList, flat, isFloat, makeInput, nearArrays, rng, scale, seed, strided } from './fd.js';

const perSpec = Math.max(1, Math.round(4 * scale));

interface Batched {
  fn: (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];
  /** per-example inputs: examples[b][i] */
  examples: mx.MxArray[][];
  batched: mx.MxArray[];
  inAxes: (number | null)[];
  B: number;
  r: () => number;
  label: string;
}

function batchedInstances(spec: Spec, n: number, salt: number): Batched[] {
  const float = spec.lowPrecision ? mx.float32 : mx.float64;
  const arb = fc.tuple(
    spec.shapes,
    fc.integer({ min: 1, max: 3 }),
    fc.array(fc.nat(), { minLength: spec.dom.length, maxLength: spec.dom.length }),
    fc.integer(),
    fc.constantFrom<'contiguous' | 'transposed' | 'reversed'>('contiguous', 'contiguous', 'transposed', 'reversed'),
  );
  return fc.sample(arb, { numRuns: n, seed: seed + salt }).map(([shapes, B, picks, vs, layout]) => {
    const r = rng(vs);
    const fn = spec.fn(shapes, r);
    // null (unbatched) for about a third of the inputs; at least one input is batched
    let inAxes = shapes.map((s, i) => (picks[i]! % 3 === 2 ? null : picks[i]! % (s.length + 1)));
    if (inAxes.every((a) => a === null)) inAxes = inAxes.map((_a, i) => (i === 0 ? 0 : null));
    const shared = shapes.map((s, i) => makeInput(s, spec.dom[i]!, r, float));
    const examples = Array.from({ length: B }, () => shapes.map((s, i) => (inAxes[i] === null ? shared[i]! : makeInput(s, spec.dom[i]!, r, float))));
    // the batched arrays (and unbatched inputs) as strided views in a third of the cases
    const batched = shapes.map((_s, i) => strided(inAxes[i] === null ? shared[i]! : mx.stack(examples.map((e) => e[i]!), inAxes[i]!), layout));
    return { fn, examples, batched, inAxes, B, r, label: `${spec.name} | shapes ${JSON.stringify(shapes)} | B=${B} inAxes ${JSON.stringify(inAxes)} | ${layout} | seed ${vs}` };
  });
}

function compareLists(what: string, got: mx.MxArray[], want: mx.MxArray[], tol: number): string | null {
  if (got.length !== want.length) return `${what}: ${got.length} outputs, want ${want.length}`;
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!, w = want[k]!;
    if (JSON.stringify(g.shape) !== JSON.stringify(w.shape)) return `${what} ${k}: shape [${g.shape}], want [${w.shape}]`;
    if (g.dtype !== w.dtype) return `${what} ${k}: dtype ${g.dtype.name}, want ${w.dtype.name}`;
    const m = nearArrays(`${what} ${k}`, flat(g), flat(w), isFloat(w.dtype) ? tol : 0);
    if (m) return m;
  }
  return null;
}

function attempt<X>(f: () => X): X | Error {
  try {
    const v = f();
    mx.eval(v as never);
    return v;
  } catch (e) {
    return e as Error;
  }
}

/** grad's result as a list (a single argnum gives the gradient itself, as MLX) */
const gradList = (r: unknown, n: number): mx.MxArray[] => (n === 1 ? [r as mx.MxArray] : (r as mx.MxArray[]));

/** a differentiable scalar of the function's float outputs */
const scalarize = (fn: Batched['fn']) => (...xs: mx.MxArray[]): mx.MxArray =>
  asList(fn(...xs))
    .filter((o) => isFloat(o.dtype))
    .map((o) => mx.sum(mx.sin(o)))
    .reduce((a, b) => mx.add(a, b), mx.array(0, xs[0]!.dtype));

describe('vmap equals a loop over the batch', () => {
  it.each(specs.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails: string[] = [];
    const tol = spec.lowPrecision ? 1e-5 : 1e-9;
    for (const inst of batchedInstances(spec, perSpec, 7 + i * 31)) {
      const perEx = inst.examples.map((e) => asList(inst.fn(...e)));
      const outAxes = perEx[0]!.map((o) => Math.floor(inst.r() * (o.ndim + 1)));
      const want = outAxes.map((ax, k) => mx.stack(perEx.map((o) => o[k]!), ax));
      const single = !Array.isArray(inst.fn(...inst.examples[0]!));
      const got = attempt(() => T.vmap(inst.fn, inst.inAxes, single ? outAxes[0] : outAxes)(...inst.batched) as mx.MxArray | mx.MxArray[]);
      if (got instanceof Error) {
        fails.push(`${inst.label} outAxes ${JSON.stringify(outAxes)}: vmap raised ${got.message}`);
        continue;
      }
      const m = compareLists(`vmap output (outAxes ${JSON.stringify(outAxes)})`, asList(got), want, tol);
      if (m) fails.push(`${inst.label}: ${m}`);
    }
    expect(fails.slice(0, 4), `${fails.length} failures`).toEqual([]);
  });
});

const differentiable = specs.filter((s) => (s.kind ?? 'smooth') !== 'int' && !s.mlxRaises?.includes('vjp'));

describe('vmap(grad(f)) equals a loop of per-example gradients', () => {
  it.each(differentiable.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails: string[] = [];
    const tol = spec.lowPrecision ? 1e-5 : 1e-9;
    for (const inst of batchedInstances(spec, perSpec, 11 + i * 37)) {
      const argnums = inst.batched.map((_x, k) => k);
      const g = T.grad(scalarize(inst.fn), argnums);
      const want = argnums.map((k) => mx.stack(inst.examples.map((e) => gradList(g(...e), argnums.length)[k]!), 0));
      const got = attempt(() => gradList(T.vmap(g, inst.inAxes, 0)(...inst.batched), argnums.length));
      if (got instanceof Error) {
        fails.push(`${inst.label}: vmap(grad) raised ${got.message}`);
        continue;
      }
      const m = compareLists('vmap(grad)', got, want, tol);
      if (m) fails.push(`${inst.label}: ${m}`);
    }
    expect(fails.slice(0, 4), `${fails.length} failures`).toEqual([]);
  });
});

describe('grad(vmap(f)) equals the sum of per-example gradients', () => {
  it.each(differentiable.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails: string[] = [];
    const tol = spec.lowPrecision ? 1e-5 : 1e-9;
    for (const inst of batchedInstances(spec, perSpec, 13 + i * 41)) {
      const argnums = inst.batched.map((_x, k) => k);
      const g = T.grad(scalarize(inst.fn), argnums);
      const perEx = inst.examples.map((e) => gradList(g(...e), argnums.length));
      // batched inputs: the per-example gradients stacked on their axis; unbatched: their sum
      const want = argnums.map((k) =>
        inst.inAxes[k] === null ? perEx.map((p) => p[k]!).reduce((a, b) => mx.add(a, b)) : mx.stack(perEx.map((p) => p[k]!), inst.inAxes[k]!),
      );
      const vf = T.vmap(inst.fn, inst.inAxes);
      const total = (...xs: mx.MxArray[]) => scalarize(vf)(...xs);
      const got = attempt(() => gradList(T.grad(total, argnums)(...inst.batched), argnums.length));
      if (got instanceof Error) {
        fails.push(`${inst.label}: grad(vmap) raised ${got.message}`);
        continue;
      }
      const m = compareLists('grad(vmap)', got, want, tol);
      if (m) fails.push(`${inst.label}: ${m}`);
    }
    expect(fails.slice(0, 4), `${fails.length} failures`).toEqual([]);
  });
});

describe('vmap(vjp) and vmap(jvp) with per-example cotangents and tangents equal a loop', () => {
  const smooth = specs.filter((s) => (s.kind ?? 'smooth') !== 'int');
  it.each(smooth.map((s, i) => [s.name, s, i] as const))('%s', (_n, spec, i) => {
    const fails: string[] = [];
    const tol = spec.lowPrecision ? 1e-5 : 1e-9;
    const float = spec.lowPrecision ? mx.float32 : mx.float64;
    for (const inst of batchedInstances(spec, perSpec, 17 + i * 43)) {
      const n = inst.batched.length;
      const outs0 = asList(inst.fn(...inst.examples[0]!));
      // one cotangent per output and one tangent per input, for every example (always batched)
      const cots = inst.examples.map(() => outs0.map((o) => makeInput([...o.shape], 'any', inst.r, o.dtype)));
      const tans = inst.examples.map((e) => e.map((x) => makeInput([...x.shape], 'any', inst.r, float)));
      const bc = outs0.map((_o, k) => mx.stack(cots.map((c) => c[k]!), 0));
      const bt = inst.batched.map((_x, k) => mx.stack(tans.map((t) => t[k]!), 0));
      const axes = [...inst.inAxes, ...outs0.map(() => 0)];
      if (!spec.mlxRaises?.includes('vjp')) {
        const want = inst.batched.map((_x, k) => mx.stack(inst.examples.map((e, b) => T.vjp(inst.fn, e, cots[b]!)[1][k]!), 0));
        const got = attempt(() => T.vmap((...a: mx.MxArray[]) => T.vjp(inst.fn, a.slice(0, n), a.slice(n))[1], axes, 0)(...inst.batched, ...bc) as mx.MxArray[]);
        if (got instanceof Error) fails.push(`${inst.label}: vmap(vjp) raised ${got.message}`);
        else {
          const m = compareLists('vmap(vjp)', got, want, tol);
          if (m) fails.push(`${inst.label}: ${m}`);
        }
      }
      if (!spec.mlxRaises?.includes('jvp')) {
        const want = outs0.map((_o, k) => mx.stack(inst.examples.map((e, b) => T.jvp(inst.fn, e, tans[b]!)[1][k]!), 0));
        const tAxes = [...inst.inAxes, ...inst.batched.map(() => 0)];
        const got = attempt(() => T.vmap((...a: mx.MxArray[]) => T.jvp(inst.fn, a.slice(0, n), a.slice(n))[1], tAxes, 0)(...inst.batched, ...bt) as mx.MxArray[]);
        if (got instanceof Error) fails.push(`${inst.label}: vmap(jvp) raised ${got.message}`);
        else {
          const m = compareLists('vmap(jvp)', got, want, tol);
          if (m) fails.push(`${inst.label}: ${m}`);
        }
      }
    }
    expect(fails.slice(0, 4), `${fails.length} failures`).toEqual([]);
  });
});

