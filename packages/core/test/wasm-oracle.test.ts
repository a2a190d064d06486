// The oracle itself (@mlx-ts/core/testing): the arbitraries make what they promise, and
// compareBackends catches a backend that is off by one ulp, honours a stated ulp bound, and
// treats every NaN alike but not -0 and +0.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import {
  compareBackends,
  BackendMismatchError,
  arraySpecArb,
  broadcastableShapesArb,
  shapeArb,
  specShape,
  materialize,
  readHost,
  ulpDistance,
  compareHost,
  type ArraySpec,
} from '@mlx-ts/core/testing';
import { ReferenceBackend } from '../src/backend/reference/index.js';
import { registerBackend, cpuBackend } from '../src/device.js';
import type { Primitive } from '../src/primitive.js';
import type { ArrayData } from '../src/backend/interface.js';
import { broadcastShapes } from '../src/shape.js';
import { runs } from './wasm-helpers.js';

/** A backend whose float32 Exp is one ulp high: what a third-party backend's bug looks like. */
class OffByOneUlp extends ReferenceBackend {
  override readonly name = 'off-by-one-ulp';
  override run(prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): void {
    super.run(prim, inputs, outputs);
    if (prim.name === 'Exp' && outputs[0]!.dtype === mx.float32) {
      const o = new Int32Array(this.hostBytes(outputs[0]!.storage).buffer, this.hostBytes(outputs[0]!.storage).byteOffset, 1);
      o[0] = o[0]! + 1;
    }
  }
}
registerBackend(new OffByOneUlp());

const spec = (units: number[]): ArraySpec => ({ dtype: mx.float32, baseShape: [units.length], units, view: [] });

test('an off-by-one-ulp kernel fails exact comparison and passes with ulp: 1', () => {
  const backends = ['reference', 'off-by-one-ulp'] as const;
  expect(() => compareBackends((x) => mx.exp(x), [spec([0.5, 1])], { backends })).toThrow(BackendMismatchError);
  expect(() => compareBackends((x) => mx.exp(x), [spec([0.5, 1])], { backends, ulp: 1 })).not.toThrow();
  expect(cpuBackend().name).toBe(process.env.MLX_TS_CPU_BACKEND ?? 'wasm'); // restored
});

test('NaN payloads match, signed zeros do not', () => {
  const nan1 = new Float32Array(new Uint32Array([0x7fc00001]).buffer)[0]!;
  expect(() => compareBackends((x) => mx.negative(mx.negative(x)), [spec([NaN, nan1])])).not.toThrow();
  const a = { dtype: mx.float32, shape: [1], units: new Float32Array([0]) };
  const b = { dtype: mx.float32, shape: [1], units: new Float32Array([-0]) };
  expect(compareHost(a, b)).toMatch(/0 vs -0/);
  expect(compareHost(a, b, 1)).toBeNull();
});

test('ulpDistance counts representable values between floats', () => {
  expect(ulpDistance(1, 1 + 2 ** -23, mx.float32)).toBe(1);
  expect(ulpDistance(1, 1 + 2 ** -52, mx.float64)).toBe(1);
  expect(ulpDistance(-0, 0, mx.float32)).toBe(0);
  expect(ulpDistance(0x3c00, 0x3c01, mx.float16)).toBe(1);
});

test('specs have the shape they were made for, and every layout kind occurs', () => {
  const kinds = new Set<string>();
  fc.assert(
    fc.property(shapeArb({ maxRank: 4 }).chain((s) => fc.tuple(fc.constant(s), arraySpecArb(mx.float32, s))), ([shape, sp]) => {
      expect(specShape(sp)).toEqual(shape);
      const x = materialize(sp);
      expect(x.shape).toEqual(shape);
      mx.eval(x);
      expect(readHost(x).units.length).toBe(shape.reduce((a, b) => a * b, 1));
      kinds.add(sp.view.map((v) => v.kind).join('+') || 'contiguous');
    }),
    { numRuns: runs(300) },
  );
  for (const k of ['contiguous', 'transpose', 'slice', 'broadcast']) expect([...kinds].some((x) => x.includes(k))).toBe(true);
});

test('broadcastable shape pairs broadcast, size-0 and size-1 dims included', () => {
  let zero = false;
  let one = false;
  fc.assert(
    fc.property(broadcastableShapesArb(), ([a, b]) => {
      expect(() => broadcastShapes(a, b)).not.toThrow();
      zero ||= [...a, ...b].includes(0);
      one ||= [...a, ...b].includes(1);
    }),
    { numRuns: runs(300) },
  );
  expect(zero && one).toBe(true);
});
