// Elementwise kernels of the WASM backend for int64, uint64, float16 and bfloat16
// (packages/kernels-wasm/assembly/elementwise-wide.ts) against the reference backend, through
// the oracle: every binary and unary primitive the reference defines for these dtypes, on
// contiguous, scalar-broadcast, transposed, sliced and mixed layouts, with edge values (64-bit
// extremes, 2^53 and its neighbours, shift counts around 64; every NaN / infinity / zero /
// subnormal pattern, the largest finite values, rounding ties). Exact (NaN payloads aside),
// except the 16-bit floats' native transcendental functions: stated bound 1 ulp of the 16-bit
// type, and their exact mismatches are counted (expected 0) over every 16-bit input.
import { describe, test, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecsArb, broadcastableShapesArb, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { binary, unary, DivMod } from '../src/primitives/elementwise.js';
import { makeArrays } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { broadcastArrays } from '../src/ops/views.js';
import { numberToHalf, numberToBfloat16 } from '../src/half.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { getBackendByName } from '../src/device.js';
import { threadStats, resetThreadStats, setStealing } from '../src/backend/wasm/threads.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';
import { runOn } from './wasm-bounds.js';

const backend = getBackendByName('wasm') as WasmBackend;
backend.resetKernelStats();
const dtypes = [mx.int64, mx.uint64, mx.float16, mx.bfloat16];
const isInt = (d: mx.Dtype) => d === mx.int64 || d === mx.uint64;
const boolOut = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'NaNEqual', 'LogicalAnd', 'LogicalOr', 'IsNaN', 'IsInf', 'IsPosInf', 'IsNegInf', 'IsFinite', 'LogicalNot']);
// the reference has these for integers only (float inputs throw there)
const intOnly = new Set(['BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'LeftShift', 'RightShift', 'BitwiseInvert']);
// 16-bit floats: native double functions rounded once (elementwise-wide.ts): stated bound 1 ulp
const nativeHalf = new Set(['Exp', 'Expm1', 'Log', 'Log2', 'Log10', 'Log1p', 'Sin', 'Cos', 'Tan', 'ArcSin', 'ArcCos', 'ArcTan', 'Sinh', 'Cosh', 'Tanh',
  'ArcSinh', 'ArcCosh', 'ArcTanh', 'Sigmoid', 'Erf']);
const binaryOps = backend.kernelOps('BINARY_');
const unaryOps = backend.kernelOps('UNARY_');
const applies = (name: string, d: mx.Dtype) => isInt(d) || !intOnly.has(name);
const ulpFor = (name: string, d: mx.Dtype) => (!isInt(d) && nativeHalf.has(name) ? 1 : 0);
const outDtype = (name: string, d: mx.Dtype) => (boolOut.has(name) ? mx.bool : d);

// ---- edge values, as storage units ----
const P = (e: number) => 2n ** BigInt(e);
const I64_EDGES = [
  -P(63), -P(63) + 1n, P(63) - 1n, P(63) - 2n, -P(62), P(62), -P(53) - 3n, -P(53) - 1n, -P(53), -P(53) + 1n, P(53) - 1n, P(53), P(53) + 1n, P(53) + 2n,
  P(53) + 3n, P(54) + 2n, P(32), -P(32), P(31), -P(31) - 1n, 3037000499n, 3037000500n, 0n, 1n, -1n, 2n, -2n, 3n, 7n, 63n, 64n, 65n, 127n, -63n, -64n, -65n,
];
const U64_EDGES = [
  0n, 1n, 2n, 3n, 7n, 63n, 64n, 65n, 127n, P(32), P(53) - 1n, P(53), P(53) + 1n, P(53) + 3n, P(63) - 1n, P(63), P(63) + 1n, P(64) - 1n, P(64) - 2n,
  P(64) - 1024n, P(64) - 1025n, P(64) - 2048n, 4294967296n * 4294967295n,
];
const F16_EDGES = [
  0x0000, 0x8000, 0x0001, 0x8001, 0x0002, 0x01ff, 0x0200, 0x03ff, 0x83ff, 0x0400, 0x8400, 0x7bff, 0xfbff, 0x7bfe, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7c01,
  0x7fff, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x3800, 0x3e00, 0x4100, 0xc100, 0x5bff, 0x5c00, 0x6400, 0x67ff, 0x6800, 0x7800, 0x1400, 0x2000, 0x5a48, 0x4248,
];
const BF16_EDGES = [
  0x0000, 0x8000, 0x0001, 0x8001, 0x0002, 0x003f, 0x0040, 0x007f, 0x807f, 0x0080, 0x8080, 0x7f7f, 0xff7f, 0x7f7e, 0x7f80, 0xff80, 0x7fc0, 0xffc0, 0x7f81,
  0x7fff, 0x3f80, 0xbf80, 0x3f81, 0x3f7f, 0x3f00, 0x3fc0, 0x4020, 0xc020, 0x42ff, 0x4300, 0x4380, 0x5f00, 0x0100, 0x4049, 0x42b1, 0x7f00,
];
const edgesOf = (d: mx.Dtype): readonly (bigint | number)[] =>
  d === mx.int64 ? I64_EDGES : d === mx.uint64 ? U64_EDGES : d === mx.float16 ? F16_EDGES : BF16_EDGES;

const small = fc.integer({ min: -8, max: 8 });
function unitArb(d: mx.Dtype): fc.Arbitrary<number | bigint> {
  if (isInt(d)) {
    const wrap = (v: bigint) => (d === mx.int64 ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v));
    const full = d === mx.int64 ? fc.bigInt({ min: -P(63), max: P(63) - 1n }) : fc.bigInt({ min: 0n, max: P(64) - 1n });
    return fc.oneof(
      { arbitrary: full, weight: 3 },
      { arbitrary: small.map((v) => wrap(BigInt(v))), weight: 2 },
      { arbitrary: fc.constantFrom(...(edgesOf(d) as bigint[])), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom(...(edgesOf(d) as bigint[])), small).map(([e, k]) => wrap(e + BigInt(k))), weight: 1 },
      // shift counts and exponents
      { arbitrary: fc.integer({ min: -70, max: 130 }).map((v) => wrap(BigInt(v))), weight: 1 },
    );
  }
  const encode = d === mx.float16 ? numberToHalf : numberToBfloat16;
  return fc.oneof(
    // any pattern: every NaN, infinity, subnormal and zero
    { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 3 },
    { arbitrary: fc.constantFrom(...(edgesOf(d) as number[])), weight: 2 },
    // halves of small integers: exact ties for round, floor_divide, remainder
    { arbitrary: small.map((v) => encode(v / 2)), weight: 1 },
    // neighbours of 1 and of the largest finite value
    { arbitrary: fc.tuple(fc.constantFrom(encode(1), encode(-1), edgesOf(d)[11] as number), fc.integer({ min: -3, max: 3 })).map(([b, k]) => (b + k) & 0xffff), weight: 1 },
  );
}
const unitsArb = (d: mx.Dtype, n: number) => fc.array(unitArb(d), { minLength: n, maxLength: n });
const layoutsForScalar = fc.constantFrom<[number[], number[]]>([[5, 7], []], [[], [9]], [[33], [1]]);

describe('wasm elementwise int64 / uint64 / float16 / bfloat16: binary', () => {
  for (const name of binaryOps) {
    for (const d of dtypes.filter((d) => applies(name, d))) {
      test(`${name} ${d.name}`, () => {
        const def = binary[name as keyof typeof binary];
        const shapes = fc.oneof({ arbitrary: broadcastableShapesArb({ maxRank: 4, maxSize: 300 }), weight: 4 }, { arbitrary: layoutsForScalar, weight: 1 });
        fc.assert(
          fc.property(
            shapes.chain((s) => arraySpecsArb(d, s, { units: unitsArb })),
            (specs) => {
              tally.cases++;
              compareBackends((a, b) => applyPrim(def, {}, [a, b], outDtype(name, d)), specs, { label: `${name} ${d.name}` });
            },
          ),
          { numRuns: runs(64) },
        );
      });
    }
  }
});

describe('wasm elementwise int64 / uint64 / float16 / bfloat16: unary', () => {
  for (const name of unaryOps) {
    for (const d of dtypes.filter((d) => applies(name, d))) {
      test(`${name} ${d.name}`, () => {
        const def = unary[name as keyof typeof unary];
        fc.assert(
          fc.property(
            shapeArb({ maxRank: 4, maxSize: 300 }).chain((s) => arraySpecArb(d, s, { units: unitsArb })),
            (spec) => {
              tally.cases++;
              compareBackends((x) => applyPrim(def, {}, [x], outDtype(name, d)), [spec], { label: `${name} ${d.name}`, ulp: ulpFor(name, d) });
            },
          ),
          { numRuns: runs(64) },
        );
      });
    }
  }
});

// ---- dense deterministic inputs ----
const vec = (d: mx.Dtype, units: readonly (number | bigint)[]): ArraySpec => ({ dtype: d, baseShape: [units.length], units, view: [] });
/** The same elements through a reversed view (the strided, scalar loop). */
const reversed = (d: mx.Dtype, units: readonly (number | bigint)[]): ArraySpec => ({
  dtype: d,
  baseShape: [units.length],
  units: [...units].reverse(),
  view: [{ kind: 'slice', start: [units.length - 1], stop: [-1], step: [-1] }],
});
const everyPattern = Array.from({ length: 65536 }, (_, i) => i);

/** Elements whose 16-bit patterns differ (two NaNs of any payload match). */
function countMismatches(d: mx.Dtype, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const nan = (u: number) => (d === mx.float16 ? (u & 0x7c00) === 0x7c00 && (u & 0x3ff) !== 0 : (u & 0x7f80) === 0x7f80 && (u & 0x7f) !== 0);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(nan(a[i]!) && nan(b[i]!))) n++;
  return n;
}
const mismatches: Record<string, number> = {};

describe('wasm elementwise float16 / bfloat16: every 16-bit input', () => {
  for (const d of [mx.float16, mx.bfloat16]) {
    for (const name of unaryOps.filter((n) => applies(n, d))) {
      test(`${name} ${d.name}: all 65536 patterns, contiguous (SIMD) and reversed (scalar)`, () => {
        const def = unary[name as keyof typeof unary];
        const op = (x: mx.MxArray) => applyPrim(def, {}, [x], outDtype(name, d));
        tally.cases += 2;
        const [[ref], [ours]] = compareBackends(op, [vec(d, everyPattern)], { label: `${name} ${d.name}`, ulp: ulpFor(name, d) });
        const [, [back]] = compareBackends(op, [reversed(d, everyPattern)], { label: `${name} ${d.name} reversed`, ulp: ulpFor(name, d) });
        if (ulpFor(name, d)) {
          const n = countMismatches(d, ref!.units as Uint16Array, ours!.units as Uint16Array);
          mismatches[`${name} ${d.name}`] = n;
          expect(n).toBeLessThanOrEqual(2);
        }
        // the SIMD and scalar forms agree bit for bit (NaN payloads aside)
        if (!boolOut.has(name)) expect(countMismatches(d, ours!.units as Uint16Array, back!.units as Uint16Array)).toBe(0);
      });
    }
  }

  test('binary: 2^15 random pairs, contiguous, a-scalar, b-scalar and reversed, SIMD and scalar forms equal', () => {
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s >>> 16);
    const n = 1 << 15;
    for (const d of [mx.float16, mx.bfloat16]) {
      const edges = edgesOf(d) as number[];
      // a third edge values, the rest random patterns; n + 3 elements leave a scalar tail
      const a = Array.from({ length: n + 3 }, (_, i) => (i % 3 === 0 ? edges[rnd() % edges.length]! : rnd()));
      const b = Array.from({ length: n + 3 }, (_, i) => (i % 5 === 0 ? edges[rnd() % edges.length]! : rnd()));
      for (const name of binaryOps.filter((o) => applies(o, d))) {
        const def = binary[name as keyof typeof binary];
        const op = (x: mx.MxArray, y: mx.MxArray) => applyPrim(def, {}, [x, y], outDtype(name, d));
        tally.cases += 4;
        const [, [ours]] = compareBackends(op, [vec(d, a), vec(d, b)], { label: `${name} ${d.name}` });
        compareBackends(op, [vec(d, [a[7]!]), vec(d, b)], { label: `${name} ${d.name} scalar a` });
        compareBackends(op, [vec(d, a), vec(d, [b[9]!])], { label: `${name} ${d.name} scalar b` });
        const [, [back]] = compareBackends(op, [reversed(d, a), reversed(d, b)], { label: `${name} ${d.name} reversed` });
        if (!boolOut.has(name)) expect(countMismatches(d, ours!.units as Uint16Array, back!.units as Uint16Array)).toBe(0);
      }
    }
  });
});

describe('wasm elementwise int64 / uint64: every pair of edge values', () => {
  for (const d of [mx.int64, mx.uint64]) {
    test(`${d.name}: all binary ops on edges x edges, contiguous and reversed; unary ops on the edges`, () => {
      const edges = edgesOf(d) as bigint[];
      const a = edges.flatMap((x) => edges.map(() => x));
      const b = edges.flatMap(() => edges);
      for (const name of binaryOps) {
        const def = binary[name as keyof typeof binary];
        const op = (x: mx.MxArray, y: mx.MxArray) => applyPrim(def, {}, [x, y], outDtype(name, d));
        tally.cases += 2;
        compareBackends(op, [vec(d, a), vec(d, b)], { label: `${name} ${d.name}` });
        compareBackends(op, [reversed(d, a), reversed(d, b)], { label: `${name} ${d.name} reversed` });
      }
      for (const name of unaryOps) {
        const op = (x: mx.MxArray) => applyPrim(unary[name as keyof typeof unary], {}, [x], outDtype(name, d));
        tally.cases += 2;
        compareBackends(op, [vec(d, edges)], { label: `${name} ${d.name}` });
        compareBackends(op, [reversed(d, edges)], { label: `${name} ${d.name} reversed` });
      }
    });
  }

  test('the reference semantics these kernels reproduce (spot values)', () => {
    const run = (name: string, d: mx.Dtype, a: bigint[], b: bigint[]) => {
      tally.cases++;
      const [[ref]] = compareBackends((x, y) => applyPrim(binary[name as keyof typeof binary], {}, [x, y], d), [vec(d, a), vec(d, b)], { label: name });
      return Array.from(ref!.units as BigInt64Array);
    };
    const MIN = -P(63);
    // shift counts masked to 6 bits (the reference's `b & 63n`): 64 -> 0, 65 -> 1, -1 -> 63
    expect(run('LeftShift', mx.int64, [1n, 1n, 1n, 3n], [64n, 65n, -1n, 63n])).toEqual([1n, 2n, MIN, MIN]);
    expect(run('RightShift', mx.int64, [MIN, MIN, -1n], [63n, 64n, 200n])).toEqual([-1n, MIN, -1n]);
    expect(run('RightShift', mx.uint64, [P(64) - 1n, P(63)], [63n, 64n])).toEqual([1n, P(63)]);
    // division by zero gives 0; INT64_MIN // -1 wraps
    expect(run('FloorDivide', mx.int64, [7n, MIN, -7n], [0n, -1n, 2n])).toEqual([0n, MIN, -4n]);
    expect(run('Remainder', mx.int64, [7n, MIN, -7n], [0n, -1n, 2n])).toEqual([0n, 0n, 1n]);
    // divide reads the integers as doubles (2^53 + 1 -> 2^53, 2^63 - 1 -> 2^63) and wraps the truncated quotient
    expect(run('Divide', mx.int64, [P(53) + 1n, P(63) - 1n, 7n, 1n], [1n, 1n, 2n, 0n])).toEqual([P(53), MIN, 3n, 0n]);
    expect(run('Divide', mx.uint64, [P(64) - 1n, P(64) - 1025n], [1n, 1n])).toEqual([0n, P(64) - 2048n]);
    expect(run('Power', mx.int64, [3n, 2n, 5n], [40n, 64n, -1n])).toEqual([BigInt.asIntN(64, 3n ** 40n), 0n, 0n]);
  });
});

describe('wasm elementwise wide dtypes: DivMod, threads', () => {
  test('DivMod: both outputs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...dtypes).chain((d) => broadcastableShapesArb({ maxRank: 3 }).chain((s) => arraySpecsArb(d, s, { units: unitsArb }))),
        (specs) => {
          tally.cases++;
          compareBackends((a, b) => {
            const [x, y] = broadcastArrays([a, b]);
            return makeArrays([[...x!.shape], [...x!.shape]], [a.dtype, a.dtype], new Primitive(DivMod, {}), [x!, y!]);
          }, specs, { label: 'DivMod' });
        },
      ),
      { numRuns: runs(300) },
    );
  });

  test('large contiguous calls split across threads: the same bits as one thread and as the reference', () => {
    const threads = mx.getNumThreads();
    mx.setNumThreads(2);
    setStealing(false);
    try {
      const n = 140_001; // two chunks of at least ELEMENTWISE_GRAIN
      let s = 99;
      const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s);
      const bits = Array.from({ length: n }, () => rnd() & 0xffff);
      const i64 = Array.from({ length: n }, () => BigInt.asIntN(64, (BigInt(rnd()) << 32n) | BigInt(rnd())));
      const small64 = Array.from({ length: n }, () => BigInt(rnd() % 70));
      const cases: Array<[string, mx.Dtype, mx.Dtype, ArraySpec[], boolean]> = [
        ['Add', mx.int64, mx.int64, [vec(mx.int64, i64), vec(mx.int64, small64)], true],
        ['Power', mx.int64, mx.int64, [vec(mx.int64, i64), vec(mx.int64, small64)], true],
        ['Less', mx.uint64, mx.bool, [vec(mx.uint64, i64.map((v) => BigInt.asUintN(64, v))), vec(mx.uint64, small64)], true],
        ['LogAddExp', mx.int64, mx.int64, [vec(mx.int64, small64), vec(mx.int64, i64)], false],
        ['Multiply', mx.bfloat16, mx.bfloat16, [vec(mx.bfloat16, bits), vec(mx.bfloat16, [...bits].reverse())], true],
        ['Exp', mx.float16, mx.float16, [vec(mx.float16, bits)], true],
        ['Erf', mx.bfloat16, mx.bfloat16, [vec(mx.bfloat16, bits)], true],
        ['ErfInv', mx.float16, mx.float16, [vec(mx.float16, bits)], true],
      ];
      for (const [name, d, outD, specs, threaded] of cases) {
        const def = (binary as Record<string, unknown>)[name] ?? (unary as Record<string, unknown>)[name];
        const op = (...xs: mx.MxArray[]) => applyPrim(def as never, {}, xs, outD);
        mx.setNumThreads(1);
        const one = runOn('wasm', op, specs).units;
        mx.setNumThreads(2);
        resetThreadStats();
        tally.cases++;
        const [, [two]] = compareBackends(op, specs, { label: `${name} ${d.name} threaded`, ulp: ulpFor(name, d) });
        if (threaded) expect(threadStats().workerChunks, name).toBeGreaterThan(0);
        else expect(threadStats().workerChunks, name).toBe(0);
        expect(Buffer.from(two!.units.buffer).equals(Buffer.from(one.buffer)), name).toBe(true);
      }
    } finally {
      mx.setNumThreads(threads);
      setStealing(true);
    }
  });
});

test('every op above ran in WASM for these dtypes, never on the reference fallback', () => {
  const stats = backend.kernelStats();
  for (const name of [...binaryOps, ...unaryOps, 'DivMod']) {
    const s = stats[name];
    if (!s || s.wasm === 0 || s.fallback !== 0) throw new Error(`${name}: ${JSON.stringify(s)}`);
  }
});

afterAll(() =>
  console.log(`wasm-elementwise-wide: ${tally.cases} generated cases; 16-bit transcendental exact mismatches over all 65536 inputs: ${JSON.stringify(mismatches)}`),
);
