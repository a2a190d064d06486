// The WASM kernel of the Compiled primitive (src/backend/wasm/compiled.ts): random chains of
// elementwise steps, fused by mx.compile, must equal the same chains run op by op on the WASM
// backend bit for bit (the fused kernel runs the same per-element kernels tile by tile), and
// the reference within the elementwise kernels' own bound (1 ulp of float32 for the native
// transcendental functions, exact otherwise; float32 chains with Exp: see check()). Inputs come in every layout (contiguous,
// transposed, sliced, broadcast, scalars) and sizes spanning several tiles.
import { describe, test, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { compareBackends, compareHost, arraySpecsArb, broadcastableShapesArb, materialize, readHost, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { binary, unary, Select } from '../src/primitives/elementwise.js';
import type { MxArray } from '../src/array.js';
import { broadcastArrays } from '../src/ops/views.js';
import { WasmBackend, wasmKernels } from '../src/backend/wasm/index.js';
import { TILE, compiledPaths } from '../src/backend/wasm/compiled.js';
import { getNumThreads } from '../src/backend/wasm/threads.js';
import { getBackendByName, cpuBackend } from '../src/device.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

const backend = getBackendByName('wasm') as WasmBackend;

type Step = { op: string; b: number; c: number };
const UNARY_F = ['Exp', 'Log', 'Sin', 'Cos', 'Tanh', 'Sigmoid', 'Erf', 'Log1p', 'Expm1', 'Negative', 'Abs', 'Square', 'Sqrt', 'Floor', 'Reciprocal'];
const BINARY_F = ['Add', 'Subtract', 'Multiply', 'Divide', 'Maximum', 'Minimum', 'Power', 'Remainder'];
const UNARY_I = ['Negative', 'Abs', 'Square', 'BitwiseInvert'];
const BINARY_I = ['Add', 'Subtract', 'Multiply', 'Maximum', 'Minimum', 'FloorDivide', 'BitwiseXor', 'RightShift'];
// 'Where': Select(Greater(x, y), x, z), a bool step feeding Select

/** The chain as a function of its inputs: every step reads the previous value and any earlier ones; returns the last
 * value and (when `two`) the one before it, so that intermediates are outputs too. */
function chainFn(steps: Step[], dtype: mx.Dtype, two: boolean): (...xs: MxArray[]) => MxArray[] {
  const un = dtype === mx.int32 ? UNARY_I : UNARY_F;
  const bin = dtype === mx.int32 ? BINARY_I : BINARY_F;
  return (...xs: MxArray[]) => {
    // inputs broadcast to the common shape first (views, outside the fused group), so that
    // every step has the output shape and the whole chain fuses into one Compiled node
    const vals: MxArray[] = broadcastArrays(xs);
    const pick = (i: number) => vals[i % vals.length]!;
    for (const st of steps) {
      // the first operand is the previous value, so that the steps form one fused chain
      const prev = vals.length - 1;
      const [kind, idx] = st.op.split(':') as [string, string];
      if (kind === 'u') vals.push(applyPrim(unary[un[Number(idx) % un.length] as keyof typeof unary], {}, [pick(prev)], dtype));
      else if (kind === 'b') vals.push(applyPrim(binary[bin[Number(idx) % bin.length] as keyof typeof binary], {}, [pick(prev), pick(st.b)], dtype));
      else {
        const cond = applyPrim(binary.Greater, {}, [pick(prev), pick(st.b)], mx.bool);
        vals.push(applyPrim(Select, {}, [cond, pick(st.b), pick(st.c)], dtype));
      }
    }
    const n = vals.length;
    return two && n - 2 >= xs.length ? [vals[n - 1]!, vals[n - 2]!] : [vals[n - 1]!];
  };
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.oneof(fc.nat(30).map((i) => `u:${i}`), fc.nat(30).map((i) => `b:${i}`), fc.constant('w:0')),
  b: fc.nat(20),
  c: fc.nat(20),
});

function runOnWasm(fn: (...xs: MxArray[]) => MxArray[], specs: readonly ArraySpec[]) {
  const prev = cpuBackend().name;
  mx.setCpuBackend('wasm');
  try {
    const outs = fn(...specs.map(materialize));
    mx.eval(...outs);
    return outs.map(readHost);
  } finally {
    mx.setCpuBackend(prev);
  }
}

const stats = () => backend.kernelStats().Compiled ?? { wasm: 0, fallback: 0 };

/** Compiled vs op by op on wasm (exact), compiled wasm vs reference (stated bound), and the fused kernel really ran. */
function check(steps: Step[], dtype: mx.Dtype, specs: readonly ArraySpec[], two: boolean): void {
  tally.cases++;
  const fn = chainFn(steps, dtype, two);
  const compiled = mx.compile(fn);
  const before = stats();
  const fused = runOnWasm(compiled, specs);
  const after = stats();
  expect(after.wasm).toBeGreaterThan(before.wasm);
  expect(after.fallback).toBe(before.fallback);
  const plain = runOnWasm(fn, specs);
  expect(fused.length).toBe(plain.length);
  fused.forEach((f, i) => {
    const problem = compareHost(plain[i]!, f, 0);
    if (problem) throw new Error(`compiled vs op by op on wasm, output ${i}: ${problem}\nsteps ${JSON.stringify(steps)}`);
  });
  // Against the reference: float32 Exp is float32 arithmetic in WASM (1 ulp off in ~1% of
  // results), and a later step can magnify that (exp(exp(x)), x - 1 near 0), so chains with it
  // are held to the fused = op-by-op identity above; Exp itself is checked in wasm-math.test.ts.
  if (dtype === mx.float32 && steps.some((st) => st.op.startsWith('u:') && UNARY_F[Number(st.op.slice(2)) % UNARY_F.length] === 'Exp')) return;
  compareBackends(compiled, specs, { ulp: dtype === mx.float32 ? 1 : 0, label: `compiled ${JSON.stringify(steps)}` });
}

describe('wasm Compiled: random fused chains', () => {
  for (const dtype of [mx.float32, mx.float64, mx.int32]) {
    test(`${dtype.name}: random chains on broadcast operands in any layout`, () => {
      fc.assert(
        fc.property(
          fc.array(stepArb, { minLength: 2, maxLength: 8 }),
          fc.boolean(),
          broadcastableShapesArb({ maxRank: 3, maxSize: 300 }).chain((s) => arraySpecsArb(dtype, s)),
          (steps, two, specs) => check(steps, dtype, specs, two),
        ),
        { numRuns: runs(60) },
      );
    });
  }

  test('random chains of elementwise steps on contiguous / scalar operands: the whole chain in one WASM call', () => {
    // the second operand is the first step's main one: never a scalar there (a step on scalars only runs through its adapter)
    const shapes = fc.constantFrom<number[][]>([[2 * TILE + 5], [2 * TILE + 5]], [[], [3, 700]], [[1], [9000]], [[40], [40]]);
    fc.assert(
      fc.property(
        fc.constantFrom(mx.float32, mx.float64, mx.int32),
        fc.array(stepArb.filter((st) => st.op !== 'w:0'), { minLength: 2, maxLength: 8 }),
        fc.boolean(),
        shapes,
        (dtype, steps, two, [sa, sb]) => {
          const before = compiledPaths.program;
          const specs = fc.sample(arraySpecsArb(dtype, [sa!, sb!], { layouts: ['contiguous'] }), { numRuns: 1, seed: steps.length })[0]!;
          check(steps, dtype, specs, two);
          expect(compiledPaths.program).toBeGreaterThan(before);
        },
      ),
      { numRuns: runs(40), endOnFailure: true },
    );
  });

  test('float32: several tiles, with a partial last one, and every input kind (contiguous, row-broadcast, transposed, scalar)', () => {
    const rows = 3;
    const cols = TILE + 37; // 3 rows of (tile + 37): tiles cross row boundaries
    const shapesArb = fc.constantFrom<number[][]>(
      [[rows, cols], [cols], []],
      [[rows, cols], [rows, cols], [1, cols]],
      [[rows, cols], [rows, 1], [rows, cols]],
      [[rows * cols], [rows * cols], [1]],
    );
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 2, maxLength: 6 }),
        fc.boolean(),
        shapesArb.chain(([a, b, c]) =>
          fc.tuple(
            arraySpecsArb(mx.float32, [a!], { layouts: ['contiguous', 'transposed'] }),
            arraySpecsArb(mx.float32, [b!], { layouts: ['contiguous', 'sliced', 'broadcast'] }),
            arraySpecsArb(mx.float32, [c!]),
          ),
        ),
        (steps, two, [[a], [b], [c]]) => check(steps, mx.float32, [a!, b!, c!], two),
      ),
      { numRuns: runs(12), endOnFailure: true },
    );
  });

  test('exp(a) * b + 1 at 1e4: the bench chain, fused, equals op by op and the reference', () => {
    const n = 10_000;
    const a = Array.from({ length: n }, (_, i) => Math.sin(i) * 20);
    const b = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) * 3);
    const fn = (x: MxArray, y: MxArray) => mx.add(mx.multiply(mx.exp(x), y), 1);
    const compiled = mx.compile(fn);
    const prev = cpuBackend().name;
    mx.setCpuBackend('wasm');
    try {
      const x = mx.array(a, mx.float32);
      const y = mx.array(b, mx.float32);
      const before = stats().wasm;
      const r1 = compiled(x, y);
      mx.eval(r1);
      expect(stats().wasm).toBe(before + 1);
      const r2 = fn(x, y);
      mx.eval(r2);
      expect(compareHost(readHost(r2), readHost(r1), 0)).toBeNull();
      // real values: exp(a) * b + 1 in double, rounded per op
      const h = readHost(r1).units as Float32Array;
      const want = Math.fround(Math.fround(Math.fround(Math.exp(Math.fround(a[5]!))) * Math.fround(b[5]!)) + 1);
      expect(h[5]).toBe(want);
      // against the reference: exp (float32 arithmetic in WASM) within its 1-ulp bound, and the
      // rest of the chain exact on WASM's exp (a 1-ulp exp error may grow through "* b + 1")
      tally.cases += 2;
      compareBackends((v) => mx.exp(v), [x], { ulp: 1, label: 'bench chain: exp' });
      const e = mx.exp(x);
      mx.eval(e);
      const rest = mx.add(mx.multiply(e, y), 1);
      mx.eval(rest);
      expect(compareHost(readHost(rest), readHost(r1), 0)).toBeNull();
      compareBackends((v, w) => mx.add(mx.multiply(v, w), 1), [e, y], { label: 'bench chain: * b + 1' });
    } finally {
      mx.setCpuBackend(prev);
    }
  });

  test('large chains: the whole chain in WASM, split across threads, equals op by op', () => {
    const n = 300_001;
    const prev = cpuBackend().name;
    mx.setCpuBackend('wasm');
    try {
      const a = mx.multiply(mx.subtract(mx.random.uniform(0, 1, [n]), 0.5), 40);
      const b = mx.random.uniform(-3, 3, [n]);
      mx.eval(a, b);
      const chains: ((x: MxArray, y: MxArray) => MxArray[])[] = [
        (x, y) => [mx.add(mx.multiply(mx.exp(x), y), 1)],
        (x, y) => { const s = mx.sigmoid(mx.multiply(x, y)); return [mx.maximum(mx.sin(s), mx.tanh(y)), s]; },
        (x, y) => [mx.divide(mx.log1p(mx.abs(x)), mx.add(mx.square(y), 1))],
        // an imported step (Power): runs on one thread, still in one WASM call
        (x, y) => [mx.power(mx.abs(mx.multiply(x, 0.1)), y)],
      ];
      for (const fn of chains) {
        tally.cases++;
        const before = { ...compiledPaths };
        const fused = mx.compile(fn)(a, b);
        mx.eval(...fused);
        expect(compiledPaths.program).toBeGreaterThan(before.program);
        const plain = fn(a, b);
        mx.eval(...plain);
        fused.forEach((f, i) => expect(compareHost(readHost(plain[i]!), readHost(f), 0)).toBeNull());
      }
      if (getNumThreads() > 1) expect(compiledPaths.threaded).toBeGreaterThan(0);
    } finally {
      mx.setCpuBackend(prev);
    }
  });

  test('float16 chains run in WASM too (the steps\' own kernels), equal to the reference', () => {
    const fn = (x: MxArray, y: MxArray) => mx.add(mx.multiply(x, y), x);
    const compiled = mx.compile(fn);
    const x = mx.array([1, 2, 3.5, -4], mx.float16);
    const y = mx.array([0.5, 2, 2, 0.25], mx.float16);
    const before = stats();
    compareBackends(compiled, [x, y], { label: 'float16 chain' });
    expect(stats().fallback).toBe(before.fallback);
    expect(stats().wasm).toBeGreaterThan(before.wasm);
    const prev = cpuBackend().name;
    mx.setCpuBackend('wasm');
    try {
      const out = mx.astype(compiled(x, y), mx.float32);
      mx.eval(out);
      expect(Array.from(readHost(out).units as Float32Array)).toEqual([1.5, 6, 10.5, -5]);
    } finally {
      mx.setCpuBackend(prev);
    }
  });

  test('a step without a WASM kernel makes the node fall back to the reference Compiled kernel', () => {
    // every elementwise primitive has a WASM adapter now: take Multiply's away for this test
    const multiply = wasmKernels.get('Multiply')!;
    wasmKernels.delete('Multiply');
    try {
      const compiled = mx.compile((x: MxArray, y: MxArray) => mx.add(mx.multiply(x, y), x));
      const x = mx.array([1, 2, 3.5, -4], mx.float32);
      const y = mx.array([0.5, 2, 2, 0.25], mx.float32);
      const before = stats();
      const [[r]] = compareBackends(compiled, [x, y], { label: 'chain without a Multiply kernel' });
      expect(stats().fallback).toBe(before.fallback + 1);
      expect(Array.from(r!.units as Float32Array)).toEqual([1.5, 6, 10.5, -5]);
    } finally {
      wasmKernels.set('Multiply', multiply);
    }
  });
});

afterAll(() => console.log(`wasm-compiled: ${tally.cases} generated cases; Compiled runs ${JSON.stringify(stats())}; paths ${JSON.stringify(compiledPaths)}`));
