// Reduce (sum / prod / max / min / and / or) and ArgReduce of the WASM backend over any axes,
// every dtype, against the reference, exactly: same accumulation order (double
// for floats, one rounding; integers wrapping), NaN propagation and the sign of zero included.
// Except float32 sums over one contiguous range (multi-lane double sums): those within the
// bound stated in backend/wasm/reduce.ts, checked by checkSumF32.
import { test, afterAll, expect } from 'vitest';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, specShape, unitsArb } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { Reduce, ArgReduce } from '../src/primitives/reduce.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';
import { threadStats, resetThreadStats } from '../src/backend/wasm/threads.js';
import { checkSumF32 } from './wasm-bounds.js';

const reduceOp = (type: string, axes: number[]) => (x: mx.MxArray) =>
  applyPrim(Reduce, { type, axes }, [x], type === 'and' || type === 'or' ? mx.bool : x.dtype, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));

const caseArb = (d: mx.Dtype) =>
  shapeArb({ minRank: 1, maxRank: 4, maxSize: 400 }).chain((shape) =>
    fc.tuple(
      arraySpecArb(d, shape),
      fc.subarray([...shape.keys()], { minLength: 1 }).chain((axes) => fc.shuffledSubarray(axes, { minLength: axes.length, maxLength: axes.length })),
    ),
  );

const all = ['sum', 'prod', 'max', 'min', 'and', 'or'];
// [dtype, reductions, base runs]: the dtypes covered first get more runs.
const cases: [mx.Dtype, string[], number][] = [
  [mx.float32, all, 200],
  [mx.float64, all, 200],
  [mx.int32, all, 200],
  [mx.bool, all, 60],
  [mx.uint8, all, 60],
  [mx.int8, all, 60],
  [mx.int16, all, 60],
  [mx.uint16, all, 60],
  [mx.uint32, all, 60],
  [mx.int64, all, 60],
  [mx.uint64, all, 60],
  [mx.float16, all, 60],
  [mx.bfloat16, all, 60],
  [mx.complex64, all, 60],
];
for (const [d, types, base] of cases) {
  for (const type of types) {
    test(`${type} ${d.name} over any axes and layouts`, () => {
      fc.assert(
        fc.property(caseArb(d), ([spec, axes]) => {
          tally.cases++;
          if (d === mx.float32 && type === 'sum') {
            const shape = specShape(spec);
            checkSumF32(reduceOp(type, axes), [spec], axes.reduce((p, a) => p * shape[a]!, 1), `sum axes=[${axes}]`);
          } else compareBackends(reduceOp(type, axes), [spec], { label: `${type} axes=[${axes}]` });
        }),
        { numRuns: runs(base) },
      );
    });
  }
}

test('long rows: inner and outer reductions (the chunked path over 256 outputs)', () => {
  const x = mx.sin(mx.reshape(mx.arange(0, 3 * 700 * 5, 1, mx.float32), [3, 700, 5]));
  for (const type of ['sum', 'max', 'min']) {
    for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
      const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
      const xt = mx.transpose(x, [2, 1, 0]);
      tally.cases += 2;
      if (type === 'sum') {
        checkSumF32(reduceOp(type, axes), [x], n, `sum axes=[${axes}]`);
        checkSumF32(reduceOp(type, axes), [xt], axes.reduce((p, a) => p * xt.shape[a]!, 1), `sum axes=[${axes}] transposed`);
        continue;
      }
      compareBackends(reduceOp(type, axes), [x], { label: `${type} axes=[${axes}]` });
      compareBackends(reduceOp(type, axes), [xt], { label: `${type} axes=[${axes}] transposed` });
    }
  }
});

test('integer sums and products that overflow wrap as the reference does', () => {
  for (const d of [mx.int8, mx.uint8, mx.int16, mx.uint16, mx.uint32, mx.int64, mx.uint64]) {
    const big = d.size === 8 ? 2n ** BigInt(8 * d.size - 1) - 3n : 2 ** (8 * d.size - 1) - 3;
    const units = Array.from({ length: 600 }, (_, i) => (typeof big === 'bigint' ? big - BigInt(i % 5) : big - (i % 5)));
    const spec = { dtype: d, baseShape: [600], units, view: [] } as unknown as Parameters<typeof compareBackends>[1][0];
    for (const type of ['sum', 'prod', 'max', 'min']) {
      tally.cases++;
      compareBackends(reduceOp(type, [0]), [spec], { label: `${type} ${d.name} overflow` });
    }
  }
});

test('float16 / bfloat16: accumulated in double, rounded once (ties to even, overflow to inf, -0)', () => {
  const spec = (dtype: mx.Dtype, units: number[]) => ({ dtype, baseShape: [units.length], units, view: [] }) as unknown as Parameters<typeof compareBackends>[1][0];
  const cases: [mx.Dtype, number[]][] = [
    [mx.float16, Array(2049).fill(0x3c00)], // 2049 ones: 2048 when rounded once
    [mx.bfloat16, Array(257).fill(0x3f80)],
    [mx.float16, [0x7bff, 0x7bff, 0xfbff]], // max + max - max: 65504 in double, inf step by step
    [mx.bfloat16, [0x7f7f, 0x7f7f, 0xff7f]],
    [mx.float16, [0x8000, 0x8000]], // -0 + -0 from the +0 identity
    [mx.float16, [0x3c00, 0x7e00, 0xfc00]], // NaN
  ];
  for (const [d, units] of cases) {
    for (const type of ['sum', 'prod', 'max', 'min']) {
      tally.cases++;
      compareBackends(reduceOp(type, [0]), [spec(d, units)], { label: `${type} ${d.name} [${units.slice(0, 3)}...]` });
    }
  }
});

const argCases: [mx.Dtype, number][] = [
  [mx.float32, 200], [mx.float64, 200], [mx.int32, 200],
  [mx.bool, 40], [mx.int8, 40], [mx.uint8, 40], [mx.int16, 40], [mx.uint16, 40], [mx.uint32, 40],
  [mx.int64, 40], [mx.uint64, 40], [mx.float16, 60], [mx.bfloat16, 60], [mx.complex64, 60],
];
// A few values of the dtype's own generator, repeated, so that ties are common.
const fewDistinct = (dt: mx.Dtype, n: number) =>
  unitsArb(dt, 3).chain((pool) =>
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }).map((picks) => picks.flatMap((p) => pool.slice(p * dt.lanes, (p + 1) * dt.lanes))),
  );
for (const [d, base] of argCases) {
  for (const type of ['argmax', 'argmin']) {
    test(`${type} ${d.name} along any axis, any layout (ties: first index; NaN: first NaN)`, () => {
      const arb = shapeArb({ minRank: 1, maxRank: 4, maxSize: 400 }).chain((shape) =>
        fc.tuple(
          arraySpecArb(d, shape, {
            units: d === mx.int32 ? (_, n) => fc.array(fc.constantFrom(0, 1, -1, 7), { minLength: n, maxLength: n })
              : d === mx.float32 || d === mx.float64 ? (_, n) => fc.array(fc.constantFrom(0, -0, 1, -1, NaN, Infinity, 2.5), { minLength: n, maxLength: n })
                : fewDistinct,
          }),
          fc.integer({ min: 0, max: shape.length - 1 }),
        ),
      );
      fc.assert(
        fc.property(arb, ([spec, axis]) => {
          tally.cases++;
          compareBackends((x) => applyPrim(ArgReduce, { type, axis }, [x], mx.uint32, x.shape.map((s, i) => (i === axis ? 1 : s))), [spec], { label: `${type} axis=${axis}` });
        }),
        { numRuns: runs(base) },
      );
    });
  }
}

test('the new dtypes threaded over output rows (the *_at kernels): bit-identical to the reference', async () => {
  const st = await mx.initThreads();
  const x = mx.reshape(mx.sin(mx.arange(0, 600 * 1000, 1, mx.float32)), [600, 1000]);
  for (const d of [mx.int8, mx.uint16, mx.uint32, mx.int64, mx.float16, mx.bfloat16, mx.bool, mx.complex64]) {
    const xd = mx.astype(d === mx.bool || d === mx.float16 || d === mx.bfloat16 || d === mx.complex64 ? x : mx.multiply(x, 1e4), d);
    mx.eval(xd);
    for (const type of ['sum', 'prod', 'max', 'min', 'or']) {
      resetThreadStats();
      tally.cases++;
      compareBackends(reduceOp(type, [1]), [xd], { label: `${type} ${d.name} threaded` });
      if (st.threads > 1) expect(threadStats().threaded, `${type} ${d.name}`).toBeGreaterThan(0);
    }
  }
});

test('every case above ran in WASM', () => {
  const stats = (getBackendByName('wasm') as WasmBackend).kernelStats();
  expect(stats.Reduce!.fallback).toBe(0);
  expect(stats.ArgReduce!.fallback).toBe(0);
});

afterAll(() => console.log(`wasm-reduce: ${tally.cases} generated cases`));
