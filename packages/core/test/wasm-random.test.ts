// RandomBits in WASM (threefry2x32, kernels-wasm/assembly/random.ts) against the reference, bit
// for bit: random keys (extremes included) in any layout, one key or batches of keys, output
// widths 1, 2 and 4 bytes, block sizes that hit both SIMD paths, odd word counts and blocks cut
// in the middle of a word, size-0 and size-1 outputs; then the samplers built on it.
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { makeArray, type MxArray } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { RandomBits } from '../src/primitives/random.js';
import { threefry2x32 } from '../src/backend/reference/random.js';
import { getBackendByName } from '../src/device.js';
import type { Dtype } from '../src/dtype.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally } from './wasm-helpers.js';
import { expectSameBits } from './wasm-movement-helpers.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;

/** uint32 key words: anything, with the extremes and small values often. */
const keyUnits = (_d: Dtype, n: number) =>
  fc.array(fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1, 0x1bd11bda)), { minLength: n, maxLength: n });

const widthDtypes: Record<number, Dtype[]> = { 1: [mx.uint8, mx.int8, mx.bool], 2: [mx.uint16, mx.int16, mx.float16], 4: [mx.uint32, mx.int32, mx.float32] };

/** A RandomBits node: keys (..., 2) fill one block of the output each (keys' batch dims first). */
const bitsNode = (shape: number[], dtype: Dtype) => (keys: MxArray) => {
  const full = [...keys.shape.slice(0, -1), ...shape];
  return makeArray(full, dtype, new Primitive(RandomBits, { shape: full, width: dtype.size }), [keys]);
};

test('mx.random.bits: one key of any layout, every width, any shape', () => {
  const keySpec = arraySpecArb(mx.uint32, [2], { units: keyUnits });
  const arb = fc.tuple(keySpec, shapeArb({ minRank: 0, maxRank: 3, maxDim: 40, maxSize: 3000 }), fc.constantFrom(1, 2, 4));
  fc.assert(
    fc.property(arb, ([key, shape, width]) => {
      tally.cases++;
      const r = compareBackends((k) => mx.random.bits(shape, width, k), [key], { label: `bits [${shape}] width=${width}` });
      expectSameBits(r, `bits [${shape}] width=${width}`);
    }),
    { numRuns: runs(600) },
  );
});

test('RandomBits with batches of keys (any layout) and outputs of every 1/2/4-byte dtype', () => {
  const arb = fc
    .tuple(
      shapeArb({ minRank: 0, maxRank: 2, maxDim: 9, maxSize: 40 }),
      shapeArb({ minRank: 0, maxRank: 2, maxDim: 13, maxSize: 60 }),
      fc.constantFrom(1, 2, 4),
      fc.integer({ min: 0, max: 2 }),
    )
    .chain(([batch, shape, width, which]) => fc.tuple(arraySpecArb(mx.uint32, [...batch, 2], { units: keyUnits }), fc.constant(shape), fc.constant(widthDtypes[width]![which]!)));
  fc.assert(
    fc.property(arb, ([keys, shape, dtype]) => {
      tally.cases++;
      const label = `RandomBits keys [${keys.baseShape}] shape [${shape}] ${dtype.name}`;
      expectSameBits(compareBackends(bitsNode(shape, dtype), [keys], { label }), label);
    }),
    { numRuns: runs(600) },
  );
});

test('block sizes around the SIMD thresholds: every byte count from 0 to 80, 1..6 keys', () => {
  const keys = (n: number): ArraySpec => ({ dtype: mx.uint32, baseShape: [n, 2], units: Array.from({ length: 2 * n }, (_, i) => (i * 0x9e3779b9) >>> 0), view: [] });
  for (let nk = 1; nk <= 6; nk++) {
    for (let bytes = 0; bytes <= 80; bytes++) {
      tally.cases++;
      const label = `${nk} keys x ${bytes} bytes`;
      expectSameBits(compareBackends(bitsNode([bytes], mx.uint8), [keys(nk)], { label }), label);
    }
  }
});

test('the reference threefry2x32 words land where the kernel puts them (spot check)', () => {
  mx.setCpuBackend('wasm');
  try {
    const k = mx.array([0x12345678, 0x9abcdef0], mx.uint32);
    const out = mx.random.bits([5], 4, k); // 5 words: pairs (0, 3), (1, 4), then word 2 from (2, 0)
    const w = [...(out.tolist() as number[])];
    const [a0, b0] = threefry2x32(0x12345678, 0x9abcdef0, 0, 3);
    const [a1, b1] = threefry2x32(0x12345678, 0x9abcdef0, 1, 4);
    const [c] = threefry2x32(0x12345678, 0x9abcdef0, 2, 0);
    expect(w).toEqual([a0, a1, c, b0, b1]);
  } finally {
    mx.setCpuBackend(process.env.MLX_TS_CPU_BACKEND ?? 'wasm');
  }
});

test('large outputs: 1e6 bytes under one key, 4096 keys of 3 bytes', () => {
  const one: ArraySpec = { dtype: mx.uint32, baseShape: [2], units: [0xdeadbeef, 42], view: [] };
  expectSameBits(compareBackends((k) => mx.random.bits([1000, 1000], 1, k), [one]), 'bits 1e6 bytes');
  const many: ArraySpec = { dtype: mx.uint32, baseShape: [2, 4096], units: Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 0), view: [{ kind: 'transpose', axes: [1, 0] }] };
  expectSameBits(compareBackends(bitsNode([3], mx.uint8), [many]), '4096 keys x 3 bytes');
  tally.cases += 2;
});

test('samplers on top of the bits: key, split, uniform, normal, randint, bernoulli, permutation', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 }), shapeArb({ minRank: 0, maxRank: 2, maxDim: 9, maxSize: 40 }), (seed, shape) => {
      tally.cases++;
      const key = () => mx.random.key(seed);
      const label = `seed ${seed} shape [${shape}]`;
      expectSameBits(compareBackends(() => mx.random.split(key(), 3), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.uniform(0, 1, shape, mx.float32, key()), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.uniform(-2, 3, shape, mx.float16, key()), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.normal(shape, mx.float32, 0, 1, key()), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.randint(-7, 20, shape, mx.int32, key()), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.bernoulli(0.3, shape, key()), [], { label }), label);
      expectSameBits(compareBackends(() => mx.random.permutation(7, key()), [], { label }), label);
    }),
    { numRuns: runs(60) },
  );
});

test('every case above ran in WASM', () => {
  const s = wasm().kernelStats().RandomBits!;
  expect(s.fallback).toBe(0);
  expect(s.wasm).toBeGreaterThan(1000);
});

afterAll(() => console.log(`wasm-random: ${tally.cases} generated cases`));
