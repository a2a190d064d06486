// Matmul of the WASM backend (float32 / float64, batched, transposed and broadcast operands,
// sizes around the register tiles and the cache blocks) against the reference. float64 and
// AddMM: the same dot products in double, in k order, rounded once (bit-identical). float32
// Matmul accumulates in f32 (SIMD): within the bound stated in backend/wasm/matmul.ts,
// checked per element by checkMatmulF32 (wasm-bounds.ts).
import { test, afterAll, expect } from 'vitest';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, specShape } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { Matmul, AddMM } from '../src/primitives/matmul.js';
import { makeArray } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { runs, tally } from './wasm-helpers.js';
import { checkMatmulF32 } from './wasm-bounds.js';

/** One Matmul node (operands already have equal batch shapes). */
const mm = (a: mx.MxArray, b: mx.MxArray) => {
  const nd = a.ndim;
  return makeArray([...a.shape.slice(0, nd - 2), a.shape[nd - 2]!, b.shape[nd - 1]!], a.dtype, new Primitive(Matmul, {}), [a, b]);
};

const dim = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 40 }));
const caseArb = (d: mx.Dtype) =>
  fc
    .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), dim, dim, dim)
    .chain(([batch, m, n, k]) => fc.tuple(arraySpecArb(d, [...batch, m, k]), arraySpecArb(d, [...batch, k, n])));

for (const d of [mx.float32, mx.float64]) {
  test(`matmul ${d.name}: batched, any layout${d === mx.float32 ? ' (f32 accumulation, stated bound)' : ''}`, () => {
    fc.assert(
      fc.property(caseArb(d), (specs) => {
        tally.cases++;
        if (d === mx.float32) checkMatmulF32(mm, specs, specShape(specs[0]).at(-1)!, 'matmul float32');
        else compareBackends(mm, specs, { label: `matmul ${d.name}` });
      }),
      { numRuns: runs(250) },
    );
  });
}

for (const d of [mx.float32, mx.float64]) {
  test(`addmm ${d.name}: alpha * (a @ b) + beta * c, c broadcast`, () => {
    const arb = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 1 }), dim, dim, dim, fc.constantFrom(1, 0.5, -2, 1.25), fc.constantFrom(1, 0, 0.75, -1.5))
      .chain(([batch, m, n, k, alpha, beta]) =>
        fc.tuple(
          fc.tuple(arraySpecArb(d, [...batch, m, k]), arraySpecArb(d, [...batch, k, n]), arraySpecArb(d, [...batch, m, n])),
          fc.constant({ alpha, beta }),
        ),
      );
    fc.assert(
      fc.property(arb, ([specs, params]) => {
        tally.cases++;
        compareBackends((a, b, c) => makeArray([...c.shape], d, new Primitive(AddMM, params), [a, b, c]), specs, { label: `addmm ${JSON.stringify(params)}` });
      }),
      { numRuns: runs(150) },
    );
  });
}

test('matmul larger than one cache block (K = 300, N = 600), transposed operands', () => {
  const a = mx.sin(mx.reshape(mx.arange(0, 70 * 300, 1, mx.float32), [70, 300]));
  const b = mx.cos(mx.reshape(mx.arange(0, 600 * 300, 1, mx.float32), [600, 300]));
  tally.cases++;
  checkMatmulF32((x, y) => mm(x, mx.transpose(y)), [a, b], 300);
  tally.cases++;
  compareBackends((x, y) => mm(mx.astype(x, mx.float64), mx.astype(mx.transpose(y), mx.float64)), [a, b]);
});

test('Matmul and AddMM ran in WASM', () => {
  const stats = (getBackendByName('wasm') as WasmBackend).kernelStats();
  expect(stats.Matmul!.wasm).toBeGreaterThan(0);
  expect(stats.AddMM!.wasm).toBeGreaterThan(0);
});

afterAll(() => console.log(`wasm-matmul: ${tally.cases} generated cases`));
