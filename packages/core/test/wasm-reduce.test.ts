// Reduce sum / max / min of the WASM backend over any axes, float32 and float64, against the
// reference: same accumulation order in double, one rounding, NaN propagation and the sign of
// zero included. Except float32 sums over one contiguous range (multi-lane double sums):
// those within the bound stated in backend/wasm/reduce.ts, checked by checkSumF32.
import { test, afterAll, expect } from 'vitest';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, specShape } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { Reduce, ArgReduce } from '../src/primitives/reduce.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';
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

const cases: [mx.Dtype, string[]][] = [
  [mx.float32, ['sum', 'max', 'min', 'and', 'or']],
  [mx.float64, ['sum', 'max', 'min', 'and', 'or']],
  [mx.int32, ['sum', 'prod', 'max', 'min', 'and', 'or']],
  [mx.bool, ['and', 'or']],
  [mx.uint8, ['and', 'or']],
  [mx.int8, ['and', 'or']],
];
for (const [d, types] of cases) {
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
        { numRuns: runs(200) },
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

for (const d of [mx.float32, mx.float64, mx.int32]) {
  for (const type of ['argmax', 'argmin']) {
    test(`${type} ${d.name} along any axis, any layout (ties: first index; NaN: first NaN)`, () => {
      const arb = shapeArb({ minRank: 1, maxRank: 4, maxSize: 400 }).chain((shape) =>
        fc.tuple(
          // few distinct values, so that ties are common
          arraySpecArb(d, shape, { units: (dt, n) => fc.array(fc.constantFrom(...(dt === mx.int32 ? [0, 1, -1, 7] : [0, -0, 1, -1, NaN, Infinity, 2.5])), { minLength: n, maxLength: n }) }),
          fc.integer({ min: 0, max: shape.length - 1 }),
        ),
      );
      fc.assert(
        fc.property(arb, ([spec, axis]) => {
          tally.cases++;
          compareBackends((x) => applyPrim(ArgReduce, { type, axis }, [x], mx.uint32, x.shape.map((s, i) => (i === axis ? 1 : s))), [spec], { label: `${type} axis=${axis}` });
        }),
        { numRuns: runs(200) },
      );
    });
  }
}

test('every case above ran in WASM', () => {
  const stats = (getBackendByName('wasm') as WasmBackend).kernelStats();
  expect(stats.Reduce!.fallback).toBe(0);
  expect(stats.ArgReduce!.fallback).toBe(0);
});

afterAll(() => console.log(`wasm-reduce: ${tally.cases} generated cases`));
