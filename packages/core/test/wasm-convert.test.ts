// AsType kernels of the WASM backend: float16 / bfloat16 <-> float32 (every 16-bit pattern,
// and float32 values around every rounding boundary), f32 <-> f64, int32 -> floats, and raw
// copies of every dtype in strided layouts (the eval layer's contiguous copies).
import { test, afterAll, expect } from 'vitest';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { AsType } from '../src/primitives/copy.js';
import { allDtypes } from '../src/dtype.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

const cast = (to: mx.Dtype) => (x: mx.MxArray) => applyPrim(AsType, { dtype: to }, [x], to);

test('every float16 and bfloat16 bit pattern -> float32', () => {
  const units = Array.from({ length: 65536 }, (_, i) => i);
  for (const from of [mx.float16, mx.bfloat16]) {
    const spec: ArraySpec = { dtype: from, baseShape: [65536], units, view: [] };
    tally.cases += 65536;
    compareBackends(cast(mx.float32), [spec], { label: `${from.name} -> float32` });
  }
});

test('float32 -> float16 / bfloat16 near every rounding boundary', () => {
  // f32 bit patterns at and around the halfway points of both 16-bit formats, all exponents
  const bits: number[] = [];
  for (let e = 0; e < 256; e++) {
    for (const m of [0, 1, 0xfff, 0x1000, 0x1001, 0x3000, 0x7fff, 0x8000, 0x8001, 0x18000, 0x7fffff, 0x7fe000, 0x7ff000]) {
      bits.push((e << 23) | m, 0x80000000 | (e << 23) | m);
    }
  }
  const f = new Float32Array(new Uint32Array(bits.map((b) => b >>> 0)).buffer);
  const spec: ArraySpec = { dtype: mx.float32, baseShape: [f.length], units: [...f], view: [] };
  for (const to of [mx.float16, mx.bfloat16]) {
    tally.cases += f.length;
    compareBackends(cast(to), [spec], { label: `float32 -> ${to.name}` });
  }
});

const pairs: [mx.Dtype, mx.Dtype][] = [
  [mx.float16, mx.float32],
  [mx.bfloat16, mx.float32],
  [mx.float32, mx.float16],
  [mx.float32, mx.bfloat16],
  [mx.float32, mx.float64],
  [mx.float64, mx.float32],
  [mx.int32, mx.float32],
  [mx.int32, mx.float64],
];

for (const [from, to] of pairs) {
  test(`${from.name} -> ${to.name} on any layout`, () => {
    fc.assert(
      fc.property(shapeArb({ maxRank: 4, maxSize: 300 }).chain((s) => arraySpecArb(from, s)), (spec) => {
        tally.cases++;
        compareBackends(cast(to), [spec]);
      }),
      { numRuns: runs(150) },
    );
  });
}

test('same-dtype copies of every dtype on any layout (bit exact)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...allDtypes).chain((d) => shapeArb({ maxRank: 4, maxSize: 300 }).chain((s) => arraySpecArb(d, s))),
      (spec) => {
        tally.cases++;
        compareBackends(cast(spec.dtype), [spec]);
      },
    ),
    { numRuns: runs(600) },
  );
});

test('every case above ran in WASM', () => {
  expect((getBackendByName('wasm') as WasmBackend).kernelStats().AsType!.fallback).toBe(0);
});

afterAll(() => console.log(`wasm-convert: ${tally.cases} generated cases`));
