// complex64 elementwise kernels of the WASM backend (kernels-wasm/assembly/elementwise-complex.ts)
// against the reference backend, through the public oracle: every unary and binary primitive
// that the reference computes for complex64 (its `c` / `cr` functions), on contiguous,
// scalar-broadcast, transposed, sliced and broadcast layouts, with complex edge values (NaN or
// infinity in either part, signed zeros, subnormals, huge and tiny magnitudes, arguments where
// exp / cosh overflow, exact ties for comparisons and rounding). Results must be
// bit-identical (NaN payloads aside); kernelStats proves that none of them fell back.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecsArb, broadcastableShapesArb, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { binary, unary } from '../src/primitives/elementwise.js';
import { binaryFns, unaryFns } from '../src/backend/reference/elementwise.js';
import { allDtypes, type Dtype } from '../src/dtype.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { getBackendByName } from '../src/device.js';
import { threadStats, resetThreadStats } from '../src/backend/wasm/threads.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

const backend = getBackendByName('wasm') as WasmBackend;
const { complex64, float32, bool } = mx;

// The reference is the spec: the ops it computes for complex64 inputs, with their output dtype
// (complex for `c`; `cr` gives bool for comparisons and predicates, float32 for abs / real / imag).
const boolOut = new Set(['Equal', 'NotEqual', 'NaNEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'IsNaN', 'IsInf', 'IsPosInf', 'IsNegInf', 'IsFinite', 'LogicalNot']);
const outDtype = (name: string, fns: { c?: unknown }): Dtype => (fns.c ? complex64 : boolOut.has(name) ? bool : float32);
const unaryOps = [...unaryFns].filter(([, f]) => f.c || f.cr).map(([name, f]) => ({ name, out: outDtype(name, f) }));
const binaryOps = [...binaryFns].filter(([, f]) => f.c || f.cr).map(([name, f]) => ({ name, out: outDtype(name, f) }));

// ---- complex edge values ----

const F32_MAX = 3.4028234663852886e38;
/** Parts where formulas branch or overflow: specials, extremes, exp / cosh overflow, |z| = 0.5 (log1p), ties. */
const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 88.5, -88.5, 89.5, 710, -710, 1e5, -1e5, F32_MAX, -F32_MAX,
  1.1754943508222875e-38, -1.1754943508222875e-38, 1.401298464324817e-45, -1.401298464324817e-45, 1e-20, 1e20, Math.fround(Math.PI), Math.fround(Math.PI / 2)];
const part = fc.oneof(
  { arbitrary: fc.float(), weight: 3 },
  { arbitrary: fc.float({ min: -4, max: 4, noNaN: true }), weight: 2 },
  // a small pool, so that two operands often tie in one or both parts (comparisons, max/min)
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 2 },
  // exact halves: ties of round-half-even
  { arbitrary: fc.integer({ min: -8, max: 8 }).map((v) => v / 2), weight: 1 },
  { arbitrary: fc.constantFrom(...specials), weight: 2 },
);
/** Storage units of n complex64 elements: (re, im) pairs, sometimes a real or an imaginary number. */
const complexUnits = (_d: Dtype, n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.tuple(part, part, fc.integer({ min: 0, max: 5 })), { minLength: n, maxLength: n }).map((pairs) =>
    pairs.flatMap(([re, im, kind]) => (kind === 0 ? [re, 0] : kind === 1 ? [0, im] : kind === 2 ? [re, -0] : [re, im])),
  );
const specsOf = (shapes: readonly (readonly number[])[]) => arraySpecsArb(complex64, shapes, { units: complexUnits });
const specOf = (shape: readonly number[]) => arraySpecArb(complex64, shape, { units: complexUnits });
// modes 1 and 2 of the binary kernels (one operand a scalar), and a length-1 broadcast
const scalarLayouts = fc.constantFrom<[number[], number[]]>([[5, 7], []], [[], [9]], [[33], [1]], [[1], [17]]);
const binaryShapes = fc.oneof({ arbitrary: broadcastableShapesArb({ maxRank: 4, maxSize: 200 }), weight: 3 }, { arbitrary: scalarLayouts, weight: 1 });

beforeAll(() => backend.resetKernelStats());

describe('wasm complex64: binary', () => {
  for (const { name, out } of binaryOps) {
    test(`${name} -> ${out.name}`, () => {
      const def = binary[name as keyof typeof binary];
      fc.assert(
        fc.property(binaryShapes.chain((s) => specsOf(s)), (specs) => {
          tally.cases++;
          compareBackends((a, b) => applyPrim(def, {}, [a, b], out), specs, { label: `${name} complex64` });
        }),
        { numRuns: runs(170) },
      );
    });
  }
});

describe('wasm complex64: unary', () => {
  for (const { name, out } of unaryOps) {
    test(`${name} -> ${out.name}`, () => {
      const def = unary[name as keyof typeof unary];
      fc.assert(
        fc.property(shapeArb({ maxRank: 4, maxSize: 200 }).chain((s) => specOf(s)), (spec) => {
          tally.cases++;
          compareBackends((x) => applyPrim(def, {}, [x], out), [spec], { label: `${name} complex64` });
        }),
        { numRuns: runs(170) },
      );
    });
  }

  test('Imag of every real dtype is zeros (any layout)', () => {
    const real = allDtypes.filter((d) => d !== complex64);
    fc.assert(
      fc.property(fc.constantFrom(...real).chain((d) => shapeArb({ maxRank: 3 }).chain((s) => arraySpecArb(d, s))), (spec) => {
        tally.cases++;
        compareBackends((x) => applyPrim(unary.Imag, {}, [x], x.dtype), [spec], { label: 'Imag' });
      }),
      { numRuns: runs(150) },
    );
  });
});

/** Deterministic complex data: every SIMD path and its scalar tail (lengths not multiples of 2 or 4). */
function complexSpec(n: number, seed: number): ArraySpec {
  const units: number[] = [];
  let s = seed >>> 0;
  for (let i = 0; i < 2 * n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // every 37th unit a special value, else a value in [-5, 5)
    units.push(i % 37 === 5 ? specials[(s >>> 8) % specials.length]! : -5 + (10 * s) / 2 ** 32);
  }
  return { dtype: complex64, baseShape: [n], units, view: [] };
}

describe('wasm complex64: long contiguous runs', () => {
  test('SIMD bodies and tails, both-contiguous and scalar operands', () => {
    for (const n of [1, 2, 3, 5, 1027]) {
      const a = complexSpec(n, n);
      const b = complexSpec(n, n + 7);
      const scalar: ArraySpec = { dtype: complex64, baseShape: [], units: [1.5, -0.25], view: [] };
      for (const { name, out } of binaryOps) {
        const def = binary[name as keyof typeof binary];
        for (const specs of [[a, b], [a, scalar], [scalar, b]]) {
          tally.cases++;
          compareBackends((x, y) => applyPrim(def, {}, [x, y], out), specs, { label: `${name} n=${n}` });
        }
      }
      for (const { name, out } of unaryOps) {
        tally.cases++;
        compareBackends((x) => applyPrim(unary[name as keyof typeof unary], {}, [x], out), [a], { label: `${name} n=${n}` });
      }
    }
  });

  test('threads: large ops without JS imports split across workers; ones with imports stay on this thread', () => {
    const threads = mx.getNumThreads();
    mx.setNumThreads(2);
    try {
      const n = 70_001;
      const a = complexSpec(n, 1);
      const b = complexSpec(n, 2);
      const cases: Array<[string, Dtype, ArraySpec[], boolean]> = [
        ['Add', complex64, [a, b], true],
        ['Multiply', complex64, [a, b], true],
        ['Divide', complex64, [a, b], true],
        ['Less', bool, [a, b], true],
        ['Power', complex64, [a, b], false],
        ['LogAddExp', complex64, [a, b], false],
        ['Square', complex64, [a], true],
        ['Imag', float32, [a], true],
        ['IsFinite', bool, [a], true],
        ['Exp', complex64, [a], false],
        ['Abs', float32, [a], false],
      ];
      for (const [name, out, specs, threaded] of cases) {
        const def = specs.length === 2 ? binary[name as keyof typeof binary] : unary[name as keyof typeof unary];
        resetThreadStats();
        tally.cases++;
        compareBackends((...xs) => applyPrim(def, {}, xs, out), specs, { label: `${name} threaded` });
        if (backend.heap.shared) expect(threadStats().threaded > 0, name).toBe(threaded);
      }
    } finally {
      mx.setNumThreads(threads);
    }
  });
});

describe('wasm complex64: ops the reference has no complex formula for', () => {
  test('raise the reference error on both backends', () => {
    const unaries = ['Floor', 'Ceil', 'Expm1', 'Sigmoid', 'Erf', 'ErfInv'];
    const binaries = ['Remainder', 'ArcTan2'];
    for (const b of ['reference', 'wasm']) {
      mx.setCpuBackend(b);
      try {
        const x = mx.array([1, 2, 3], complex64);
        for (const name of unaries) {
          expect(() => mx.eval(applyPrim(unary[name as keyof typeof unary], {}, [x], complex64)), `${name} on ${b}`).toThrow(/complex64 input is not supported/);
        }
        for (const name of binaries) {
          expect(() => mx.eval(applyPrim(binary[name as keyof typeof binary], {}, [x, x], complex64)), `${name} on ${b}`).toThrow(/complex64 inputs are not supported/);
        }
      } finally {
        mx.setCpuBackend('wasm');
      }
    }
  });
});

test('every complex64 op ran in WASM, none fell back', () => {
  const stats = backend.kernelStats();
  for (const { name } of [...binaryOps, ...unaryOps]) {
    const s = stats[name];
    if (!s || s.wasm === 0 || s.fallback !== 0) throw new Error(`${name}: ${JSON.stringify(s)}`);
  }
});

afterAll(() => console.log(`wasm-elementwise-complex: ${tally.cases} generated cases, ${binaryOps.length} binary + ${unaryOps.length} unary complex64 ops`));
