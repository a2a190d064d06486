// Sort / ArgSort / Partition / ArgPartition kernels of the WASM backend against the reference:
// every dtype, any axis and input layout, lines long enough for the merge passes, many ties
// (the order must be the reference's stable one), NaN last whatever its sign or payload, -0
// and 0 tied, 64-bit integers signed and unsigned, complex64 by real then imaginary part.
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, unitsArb } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { allDtypes, isBigInt, type Dtype } from '../src/dtype.js';
import { makeArray, MxArray } from '../src/array.js';
import { Primitive, type PrimitiveDef } from '../src/primitive.js';
import { Sort, ArgSort, Partition, ArgPartition } from '../src/primitives/sort.js';
import { cpuBackend, getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally } from './wasm-helpers.js';
import { sameOutcome, expectSameBits, f32Payloads, f64Payloads } from './wasm-movement-helpers.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;

const prims: [PrimitiveDef<any>, boolean][] = [
  [Sort, false],
  [ArgSort, true],
  [Partition, false],
  [ArgPartition, true],
];

const sortNode = (def: PrimitiveDef<any>, indices: boolean, axis: number, kth: number) => (x: MxArray) =>
  makeArray([...x.shape], indices ? mx.uint32 : x.dtype, new Primitive(def, def === Partition || def === ArgPartition ? { kth, axis } : { axis }), [x]);

/** Few distinct values (ties everywhere), the specials among them. */
const tiedUnits = (d: Dtype, n: number): fc.Arbitrary<(number | bigint)[]> => {
  let pool: (number | bigint)[];
  if (d === mx.float16) pool = [0x7e00, 0xfe00, 0x7c01, 0x8000, 0, 0x3c00, 0xbc00, 0x7c00, 0xfc00];
  else if (d === mx.bfloat16) pool = [0x7fc0, 0xffc0, 0x7f81, 0x8000, 0, 0x3f80, 0xbf80, 0x7f80, 0xff80];
  else if (d.kind === 'f' || d.kind === 'c') pool = [NaN, -0, 0, 1, -1, Infinity, -Infinity, 0.5];
  else if (d === mx.bool) pool = [0, 1];
  else if (d === mx.int64) pool = [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, 2n ** 53n];
  else if (d === mx.uint64) pool = [0n, 1n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 53n];
  else if (d.kind === 'u') pool = [0, 1, 2, 2 ** (8 * d.size) - 1];
  else pool = [0, -1, 1, -(2 ** (8 * d.size - 1)), 2 ** (8 * d.size - 1) - 1];
  return fc.array(fc.constantFrom(...pool), { minLength: n * d.lanes, maxLength: n * d.lanes });
};

/** Shapes with one long-ish axis: up to 150 (merge passes over the insertion-sort runs), 256-700 (radix sort). */
const shapeWithAxisArb = fc
  .tuple(fc.array(fc.oneof({ arbitrary: fc.constant(1), weight: 2 }, { arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 2, max: 4 }), weight: 4 }), { minLength: 0, maxLength: 3 }), fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 9, max: 150 }), fc.integer({ min: 256, max: 700 })), fc.nat())
  .map(([others, n, at]) => {
    const axis = at % (others.length + 1);
    const shape = [...others];
    shape.splice(axis, 0, n);
    return { shape, axis };
  })
  .filter(({ shape }) => shape.reduce((a, b) => a * b, 1) <= 1500);

for (const d of allDtypes) {
  for (const [def, indices] of prims) {
    test(`${def.name} ${d.name}: the reference's stable NaN-last order, any axis and layout`, () => {
      const arb = shapeWithAxisArb.chain(({ shape, axis }) =>
        fc.tuple(fc.constant(axis), fc.integer({ min: 0, max: Math.max(0, shape[axis]! - 1) }), fc.boolean().chain((tied) => arraySpecArb(d, shape, { units: tied ? tiedUnits : unitsArb }))),
      );
      fc.assert(
        fc.property(arb, ([axis, kth, spec]) => {
          tally.cases++;
          sameOutcome(sortNode(def, indices, axis, kth), [spec], `${def.name} ${d.name} axis=${axis}`);
        }),
        { numRuns: runs(def === Sort || def === ArgSort ? 100 : 30) },
      );
    });
  }
}

/** An evaluated array of raw bits on the current CPU backend (payloads survive: no JS numbers). */
function raw(d: Dtype, shape: number[], bits: ArrayBufferView): MxArray {
  const backend = cpuBackend();
  const storage = backend.allocate(bits.byteLength);
  backend.write(storage, 0, new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength));
  return MxArray._fromStorage(shape, d, storage);
}

test('NaNs of any sign and payload go last in their original order, -0 and 0 tie (bits kept)', () => {
  const r = compareBackends((x) => [mx.sort(x), mx.argsort(x)], [raw(mx.float32, [11], new Uint32Array(f32Payloads))]);
  expectSameBits(r, 'sort f32 payloads');
  const idx = [...(r[1]![1]!.units as Uint32Array)];
  // -inf, -1, -0, 0 (stable: -0 came first), 1.4e-45, 1, inf, then the NaNs in input order
  expect(idx).toEqual([7, 9, 4, 5, 10, 8, 6, 0, 1, 2, 3]);
  expect([...new Uint32Array(r[1]![0]!.units.buffer)]).toEqual(idx.map((i) => f32Payloads[i]));
  const r2 = compareBackends((x) => [mx.sort(x), mx.argsort(x)], [raw(mx.float64, [11], new BigUint64Array(f64Payloads))]);
  expectSameBits(r2, 'sort f64 payloads');
  expect([...(r2[1]![1]!.units as Uint32Array)]).toEqual([7, 9, 4, 5, 10, 8, 6, 0, 1, 2, 3]);
});

test('uint32 and int64 order by value, not by bits of another sign', () => {
  const r = compareBackends((x) => mx.argsort(x), [mx.array([2 ** 32 - 1, 0, 2 ** 31, 5], mx.uint32)]);
  expect([...(r[1]![0]!.units as Uint32Array)]).toEqual([1, 3, 2, 0]);
  const r2 = compareBackends((x) => mx.argsort(x), [raw(mx.int64, [4], new BigInt64Array([-1n, 2n ** 62n, -(2n ** 63n), 0n]))]);
  expect([...(r2[1]![0]!.units as Uint32Array)]).toEqual([2, 0, 3, 1]);
});

test('every case above ran in WASM', () => {
  const s = wasm().kernelStats();
  for (const name of ['Sort', 'ArgSort', 'Partition', 'ArgPartition']) expect(s[name]!.fallback, name).toBe(0);
  expect(s.Sort!.wasm).toBeGreaterThan(14 * runs(100));
});

afterAll(() => console.log(`wasm-sort: ${tally.cases} generated cases`));
