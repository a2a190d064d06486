// Random multi-op programs (programs.ts) against the real MLX: each program is compared as it
// is, under mx.compile, mx.grad (with respect to every input), mx.vjp, mx.vmap over a leading
// axis (some inputs unbatched) and mx.vmap of mx.grad. The programs go through bool and
// integer intermediates on purpose: that is where the single-op suites missed wrong rules.
//
// Deterministic: program k is generate(PROGRAMS_SEED + k). CI compares 120 programs (720
// cases: ~40 s on a busy two-core machine with MLX's kernel cache empty, ~8 s with it warm);
// PROGRAMS_SCALE=<n> runs n times as many programs, PROGRAMS_SEED=<s> other ones. MLX's
// mx.compile builds each fused CPU kernel with the C++ compiler (about a second each, cached
// under $TMPDIR/mlx): every fourth program's compiled run is compared with MLX's compiled run,
// the others' with MLX's plain run (the same values).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from './harness.js';
import { report } from './gen.js';
import { describe as listing, generate, makeInput, pyFunction, rng, tsFunction, type Program } from './programs.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

const scale = Number(process.env.PROGRAMS_SCALE ?? 1);
const firstSeed = Number(process.env.PROGRAMS_SEED ?? 20261216);
const perChunk = 20;
const chunks = Math.max(1, Math.round(6 * scale));
/** cases in flight to the worker at once (its watchdog counts the time queued too) */
const inFlight = 36;

// float32 programs of up to 7 ops (transcendentals, sums in another order, gradients of them):
// relative to max(1, |MLX|), 1024 ulp is ~1.2e-4. A wrong rule is off by O(1).
const tol = { ulps: 1024 };
const batch = 3;

type Fn = (...xs: mx.MxArray[]) => mx.MxArray[];

/**
 * sum_k sum(o_k * cos(arange + k)) in float32: a scalar loss over every output that weighs each
 * element differently (and never by zero).
 */
const loss = (os: mx.MxArray[]): mx.MxArray =>
  os
    .map((o, k) => {
      const w = mx.cos(mx.add(mx.arange(o.size, mx.float32), mx.array(k, mx.float32)));
      return mx.sum(mx.multiply(mx.astype(o, mx.float32), mx.reshape(w, o.shape)));
    })
    .reduce((a, b) => mx.add(a, b));
const pyLoss =
  '(lambda os: sum(mx.sum(o.astype(mx.float32) * mx.cos(mx.arange(o.size, dtype=mx.float32) + mx.array(k, dtype=mx.float32)).reshape(o.shape)) for k, o in enumerate(os)))';

const args = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `a${from + i}`).join(', ');

function casesOf(p: Program, mlxCompile: boolean): Case[] {
  const f: Fn = tsFunction(p);
  const F = pyFunction(p);
  const r = rng(p.seed ^ 0x5eed);
  const n = p.inputs.length;
  const inputs = p.inputs.map((v) => makeInput(v, r));
  const name = listing(p);
  const argnums = Array.from({ length: n }, (_, i) => i);
  const pyArgnums = n === 1 ? '0' : `[${argnums.join(', ')}]`;
  const asList = (g: unknown): mx.MxArray[] => (n === 1 ? [g as mx.MxArray] : (g as mx.MxArray[]));
  const pyAsList = (e: string): string => (n === 1 ? `[${e}]` : `list(${e})`);
  const lossOf = (...xs: mx.MxArray[]) => loss(f(...xs));
  const pyLossOf = `lambda *xs: ${pyLoss}(${F}(*xs))`;
  // one float32 cotangent per output (each side casts it to the output's dtype)
  let outShapes: number[][] = [];
  try {
    outShapes = f(...inputs).map((o) => [...o.shape]);
  } catch {
    // the forward case reports it
  }
  const cots = outShapes.map((shape) => makeInput({ shape, dtype: 'float32', bound: 3 }, r));
  const nc = cots.length;

  // vmap: each input batched on axis 0 or not (at least one batched)
  const batched = p.inputs.map(() => r() < 0.7);
  if (!batched.some(Boolean)) batched[0] = true;
  const vInputs = p.inputs.map((v, i) => (batched[i] ? makeInput(v, r, batch) : inputs[i]!));
  const inAxes = batched.map((b) => (b ? 0 : null));
  const pyInAxes = `(${batched.map((b) => (b ? '0' : 'None')).join(', ')},)`;

  return [
    { name: `forward | ${name}`, py: `${F}(${args(0, n)})`, ts: f, inputs, tol },
    {
      name: `compile${mlxCompile ? '' : ' (vs MLX uncompiled)'} | ${name}`,
      py: `${mlxCompile ? `mx.compile(${F})` : F}(${args(0, n)})`,
      ts: mx.compile(f),
      inputs,
      tol,
    },
    {
      name: `grad | ${name}`,
      py: pyAsList(`mx.grad(${pyLossOf}, argnums=${pyArgnums})(${args(0, n)})`),
      ts: (...xs) => asList(mx.grad(lossOf, n === 1 ? 0 : argnums)(...xs)),
      inputs,
      tol,
    },
    {
      name: `vjp | ${name}`,
      py: `(lambda r: list(r[0]) + list(r[1]))(mx.vjp(${F}, [${args(0, n)}], [${args(n, nc)}]))`,
      ts: (...xs) => {
        const [o, g] = mx.vjp(f, xs.slice(0, n), xs.slice(n));
        return [...o, ...g];
      },
      inputs: [...inputs, ...cots],
      tol,
    },
    { name: `vmap ${pyInAxes} | ${name}`, py: `mx.vmap(${F}, in_axes=${pyInAxes})(${args(0, n)})`, ts: mx.vmap(f, inAxes), inputs: vInputs, tol },
    {
      name: `vmap(grad) ${pyInAxes} | ${name}`,
      py: pyAsList(`mx.vmap(mx.grad(${pyLossOf}, argnums=${pyArgnums}), in_axes=${pyInAxes})(${args(0, n)})`),
      ts: (...xs) => asList(mx.vmap(mx.grad(lossOf, n === 1 ? 0 : argnums), inAxes)(...xs)),
      inputs: vInputs,
      tol,
    },
  ];
}

describe.skipIf(!hasMlx)('random programs vs MLX: forward, compile, grad, vjp, vmap, vmap(grad)', () => {
  let raised = 0;
  let total = 0;
  afterAll(() => {
    // a case where MLX raises is compared only in that mlx-ts must raise too: say how many
    if (total) console.log(`[programs] ${total} cases from ${chunks * perChunk} programs; MLX raised on ${raised} (mlx-ts too)`);
  });

  it.each(Array.from({ length: chunks }, (_, c) => [c]))('programs chunk %i', async (c) => {
    const seeds = Array.from({ length: perChunk }, (_, k) => firstSeed + c * perChunk + k);
    const cases = seeds.flatMap((sd) => casesOf(generate(sd), sd % 4 === 0));
    const run = worker.run.bind(worker);
    worker.run = async (expr, inputs) => {
      const r = await run(expr, inputs);
      if (!r.ok && !r.crashed) raised++;
      return r;
    };
    const failures: string[] = [];
    try {
      for (let k = 0; k < cases.length; k += inFlight) failures.push(...(await runCases(worker, cases.slice(k, k + inFlight))));
    } finally {
      worker.run = run;
    }
    total += cases.length;
    expect(failures, report(failures, cases.length)).toEqual([]);
  });
});
