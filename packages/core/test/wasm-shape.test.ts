// Concatenate and Arange kernels of the WASM backend against the reference: every dtype (raw
// storage units), inputs of any layout with size-0/size-1 dims, NaN payloads kept bit for
// bit; Arange of every dtype with the reference's step-by-step rounding (float32/float64/
// complex64; float16/bfloat16 from a double sum, once) and wrapping (integers of every width).
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { allDtypes, type Dtype } from '../src/dtype.js';
import { makeArray, MxArray } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { Arange } from '../src/primitives/creation.js';
import { Concatenate } from '../src/primitives/shape.js';
import { cpuBackend, getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { sliceView } from '../src/ops/views.js';
import { runs, tally } from './wasm-helpers.js';
import { sameOutcome, expectSameBits, f32Payloads, f64Payloads } from './wasm-movement-helpers.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;

/** A Concatenate node over the inputs as they are (no astype, so layouts reach the kernel). */
const concat = (axis: number) => (...xs: MxArray[]) => {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  return makeArray(shape, xs[0]!.dtype, new Primitive(Concatenate, { axis }), xs);
};

for (const d of allDtypes) {
  test(`concatenate ${d.name}: 1-4 inputs of any layout along any axis`, () => {
    const arb = shapeArb({ minRank: 1, maxRank: 4, maxSize: 120 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 })))
      .chain(([shape, axis, sizes]) =>
        fc.tuple(
          fc.constant(axis),
          fc.tuple(...sizes.map((n) => arraySpecArb(d, shape.map((s, i) => (i === axis ? n : s))))),
        ),
      );
    fc.assert(
      fc.property(arb, ([axis, specs]) => {
        tally.cases++;
        sameOutcome(concat(axis), specs, `concatenate ${d.name} axis=${axis}`);
      }),
      { numRuns: runs(120) },
    );
  });
}

test('mx.concatenate runs in WASM and keeps NaN payloads and -0', () => {
  const before = wasm().kernelStats().Concatenate?.wasm ?? 0;
  const a = raw(mx.float32, [2, 3], new Uint32Array(f32Payloads.slice(0, 6)));
  const b = raw(mx.float64, [11], new BigUint64Array(f64Payloads));
  const r = compareBackends((x) => mx.concatenate([mx.transpose(x), mx.transpose(x)], 1), [a]);
  expectSameBits(r, 'payload f32');
  const bits = new Uint32Array(r[1]![0]!.units.buffer);
  expect([...bits.slice(0, 4)]).toEqual([f32Payloads[0], f32Payloads[3], f32Payloads[0], f32Payloads[3]]);
  const r2 = compareBackends((x) => mx.concatenate([x, sliceView(x, [10], [-1], [-2])]), [b]);
  expectSameBits(r2, 'payload f64');
  expect(new BigUint64Array(r2[1]![0]!.units.buffer)[2]).toBe(f64Payloads[2]); // signalling NaN kept
  expect(wasm().kernelStats().Concatenate!.wasm).toBeGreaterThan(before);
});

/** An evaluated array of raw bits on the current CPU backend (payloads survive: no JS numbers). */
function raw(d: Dtype, shape: number[], bits: ArrayBufferView): MxArray {
  const backend = cpuBackend();
  const storage = backend.allocate(bits.byteLength);
  backend.write(storage, 0, new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength));
  return MxArray._fromStorage(shape, d, storage);
}

const arangeDtypes = [mx.float32, mx.float64, mx.float16, mx.bfloat16, mx.complex64, mx.bool, mx.int8, mx.uint8, mx.int16, mx.uint16, mx.int32, mx.uint32, mx.int64, mx.uint64];

for (const d of arangeDtypes) {
  test(`arange ${d.name}: the reference's rounding (16-bit floats: once from double) / wrapping at every step`, () => {
    const value = fc.oneof(
      fc.integer({ min: -300, max: 300 }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constantFrom(0.1, -0.1, 1 / 3, 0.5, -0.5, 2 ** 24 - 3, 2 ** 31 - 5, -(2 ** 31) + 2, 2 ** 32 - 7, 2 ** 53 - 3, 1e20, -0),
      // 16-bit floats: around 2048 / 65504 (steps stop adding), overflow, subnormals, ties
      fc.constantFrom(2048, 2047.5, 65504, 65519, 65520, -65520, 3.4e38, 2 ** -24, 3 * 2 ** -25, 2 ** -133, 1 + 2 ** -11, 1 + 2 ** -8, 256.5),
      fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    );
    const arb = fc.tuple(value, value, fc.integer({ min: 0, max: 400 }));
    fc.assert(
      fc.property(arb, ([start, step, n]) => {
        tally.cases++;
        const op = () => makeArray([n], d, new Primitive(Arange, { start, stop: start + step * n, step }), []);
        const r = compareBackends(op, [], { label: `arange ${d.name} start=${start} step=${step} n=${n}` });
        expectSameBits(r, `arange ${d.name}`);
      }),
      { numRuns: runs(200) },
    );
  });
}

test('mx.arange in WASM: float32 accumulation drifts from start + i * step as the reference does', () => {
  const r = compareBackends(() => mx.arange(0, 1000, 0.1, mx.float32), []);
  expectSameBits(r, 'arange 0.1');
  const v = r[1]![0]!.units as Float32Array;
  expect(v.length).toBe(10000);
  expect(v[9999]).not.toBe(Math.fround(999.9)); // accumulated in float32, not computed
  const w = compareBackends(() => mx.arange(2 ** 31 - 2, 2 ** 31 + 2, 1, mx.int32), []);
  expect([...(w[1]![0]!.units as Int32Array)]).toEqual([2 ** 31 - 2, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) + 1]);
});

test('every case above ran in WASM', () => {
  const s = wasm().kernelStats();
  expect(s.Concatenate!.fallback).toBe(0);
  expect(s.Arange!.fallback).toBe(0);
  expect(s.Arange!.wasm).toBeGreaterThan(1000);
});

afterAll(() => console.log(`wasm-shape: ${tally.cases} generated cases`));
