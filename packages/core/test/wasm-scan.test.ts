// Scan kernels of the WASM backend (cumsum / cumprod / cummax / cummin, forward and reverse,
// inclusive and exclusive, any axis and layout) against the reference: the running value
// rounded (float32) or wrapped (int32) at every step, NaN propagation included.
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { Scan } from '../src/primitives/scan.js';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

for (const d of [mx.float32, mx.float64, mx.int32]) {
  for (const type of ['sum', 'prod', 'max', 'min']) {
    test(`cum${type} ${d.name}: any axis, direction, inclusiveness and layout`, () => {
      const arb = shapeArb({ minRank: 1, maxRank: 4, maxSize: 300 }).chain((shape) =>
        fc.tuple(arraySpecArb(d, shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.boolean(), fc.boolean()),
      );
      fc.assert(
        fc.property(arb, ([spec, axis, reverse, inclusive]) => {
          tally.cases++;
          compareBackends((x) => applyPrim(Scan, { type, axis, reverse, inclusive }, [x], d), [spec], {
            label: `cum${type} axis=${axis} reverse=${reverse} inclusive=${inclusive}`,
          });
        }),
        { numRuns: runs(150) },
      );
    });
  }
}

test('every case above ran in WASM', () => {
  expect((getBackendByName('wasm') as WasmBackend).kernelStats().Scan!.fallback).toBe(0);
});

afterAll(() => console.log(`wasm-scan: ${tally.cases} generated cases`));
