// Scan kernels of the WASM backend (cumsum / cumprod / cummax / cummin / logcumsumexp, forward
// and reverse, inclusive and exclusive, any axis and layout) against the reference, for every
// dtype the reference scans: the running value rounded (floats; float16/bfloat16 once from
// double at every step) or wrapped (integers) at every step, NaN propagation, exclusive
// scans' identities (the dtype's lowest / highest), cumsum of bool counting in int32, complex64
// lanes, and logcumsumexp's -inf identity / inf / NaN rules with the reference's own exp and
// log1p (bit for bit: no ulp bound).
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { Scan, type ScanType } from '../src/primitives/scan.js';
import { getBackendByName } from '../src/device.js';
import { isBigInt, type Dtype } from '../src/dtype.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';
import { expectSameBits } from './wasm-movement-helpers.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;
const floats = [mx.float32, mx.float64, mx.float16, mx.bfloat16, mx.complex64];
const ints = [mx.int8, mx.uint8, mx.int16, mx.uint16, mx.int32, mx.uint32, mx.int64, mx.uint64];

/** Small values (ties, exact products, overflow after a few steps), now and then. */
const smallUnits = (d: Dtype, n: number): fc.Arbitrary<(number | bigint)[]> => {
  const len = n * d.lanes;
  if (d === mx.float16 || d === mx.bfloat16) {
    // bits of 0, -0, +-1, +-2, 0.5, 3, +-inf, NaN (both signs), the largest finite, a subnormal
    const pool = d === mx.float16 ? [0, 0x8000, 0x3c00, 0xbc00, 0x4000, 0xc000, 0x3800, 0x4200, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x7bff, 0x0001] : [0, 0x8000, 0x3f80, 0xbf80, 0x4000, 0xc000, 0x3f00, 0x4040, 0x7f80, 0xff80, 0x7fc0, 0xff81, 0x7f7f, 0x0001];
    return fc.array(fc.constantFrom(...pool), { minLength: len, maxLength: len });
  }
  const vals = d === mx.bool ? [0, 1] : d.kind === 'u' ? [0, 1, 2, 3, 200] : [-3, -2, -1, -0, 0, 1, 2, 3, 0.5, -Infinity, Infinity, NaN];
  const v = fc.constantFrom(...vals.filter((x) => d.kind === 'f' || d.kind === 'c' || Number.isInteger(x)));
  return fc.array(v, { minLength: len, maxLength: len }).map((xs) => (isBigInt(d) ? xs.map((x) => BigInt(x)) : xs));
};

function scanProperty(d: Dtype, type: ScanType, outD: Dtype, numRuns: number): void {
  const arb = shapeArb({ minRank: 1, maxRank: 4, maxSize: 300 }).chain((shape) =>
    fc.tuple(
      fc.boolean().chain((small) => arraySpecArb(d, shape, small ? { units: smallUnits } : {})),
      fc.integer({ min: 0, max: shape.length - 1 }),
      fc.boolean(),
      fc.boolean(),
    ),
  );
  fc.assert(
    fc.property(arb, ([spec, axis, reverse, inclusive]) => {
      tally.cases++;
      const label = `scan ${type} ${d.name}->${outD.name} axis=${axis} reverse=${reverse} inclusive=${inclusive}`;
      const r = compareBackends((x) => applyPrim(Scan, { type, axis, reverse, inclusive }, [x], outD), [spec], { label });
      // float32/float64/complex64 NaN payloads are not compared (as everywhere); the rest bit
      // for bit, 16-bit floats included (every NaN there is the reference's re-encoded NaN)
      if (!(d === mx.float32 || d === mx.float64 || d === mx.complex64)) expectSameBits(r, label);
    }),
    { numRuns },
  );
}

for (const d of [...floats, ...ints]) {
  for (const type of ['sum', 'prod', 'max', 'min'] as const) {
    const base = d === mx.float32 || d === mx.float64 || d === mx.int32 ? 150 : 60;
    test(`cum${type} ${d.name}: any axis, direction, inclusiveness and layout`, () => scanProperty(d, type, d, runs(base)));
  }
}

for (const type of ['prod', 'max', 'min'] as const) {
  test(`cum${type} bool: the reference's doubles of the bytes, stored as != 0`, () => scanProperty(mx.bool, type, mx.bool, runs(60)));
}
test('cumsum bool counts in int32', () => scanProperty(mx.bool, 'sum', mx.int32, runs(100)));

for (const d of floats) {
  test(`logcumsumexp ${d.name}: -inf identity, inf and NaN rules, the reference's exp and log1p`, () => scanProperty(d, 'logaddexp', d, runs(d === mx.float32 || d === mx.float64 ? 200 : 100)));
}

test('the ops: cumsum of bool / int8, logcumsumexp of int32 (cast to float32), complex64 and float16', () => {
  const b: ArraySpec = { dtype: mx.bool, baseShape: [3, 4], units: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0], view: [] };
  const r = compareBackends((x) => mx.cumsum(x, 1), [b]);
  expect(r[1]![0]!.dtype).toBe(mx.int32);
  expect([...(r[1]![0]!.units as Int32Array)]).toEqual([1, 1, 2, 3, 0, 0, 1, 2, 1, 2, 3, 3]);
  compareBackends((x) => mx.cumprod(mx.astype(x, mx.int8), 0, true), [b]);
  const i: ArraySpec = { dtype: mx.int32, baseShape: [7], units: [1, -5, 100, 3, 0, -2147483648, 7], view: [] };
  expectSameBits(compareBackends((x) => mx.logcumsumexp(x), [i]), 'logcumsumexp int32');
  const c: ArraySpec = { dtype: mx.complex64, baseShape: [5], units: [0, 1, -Infinity, 0, 2, -3, 1e30, 0.5, NaN, 0], view: [] };
  compareBackends((x) => mx.logcumsumexp(x, 0, true, false), [c]);
  const h: ArraySpec = { dtype: mx.float16, baseShape: [6], units: [0x3c00, 0x7bff, 0x7bff, 0xfc00, 0x0001, 0x8001], view: [] };
  expectSameBits(compareBackends((x) => mx.logcumsumexp(x), [h]), 'logcumsumexp float16');
  expectSameBits(compareBackends((x) => mx.cumsum(x), [h]), 'cumsum float16'); // 65504 + 65504 rounds to inf
  tally.cases += 6;
});

test('every case above ran in WASM', () => {
  const s = wasm().kernelStats().Scan!;
  expect(s.fallback).toBe(0);
  expect(s.wasm).toBeGreaterThan(3000);
});

afterAll(() => console.log(`wasm-scan: ${tally.cases} generated cases`));
