// Gather and Scatter kernels of the WASM backend against the reference: data of every dtype
// and layout, index arrays of every integer dtype and layout (broadcast too), negative indices
// wrapping once, duplicates, and indices out of range, which must raise the reference's
// RangeError. Scatter: 'none' (last write wins) and the reducing 'sum'/'prod'/'max'/'min' with
// the reference's double arithmetic (NaN updates, wrapping integers, inexact 32-bit products,
// float16/bfloat16 double results rounded once). MaskedScatter: every dtype, bool and 1-byte
// integer masks of any layout, values of any layout, too few rows raising the reference's error.
import { test, afterAll, expect } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { allDtypes, isBigInt, type Dtype } from '../src/dtype.js';
import { makeArray, MxArray } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { Gather, GatherAxis, Scatter, ScatterAxis, MaskedScatter, type ScatterReduce } from '../src/primitives/indexing.js';
import { cpuBackend, getBackendByName } from '../src/device.js';
import { shapeSize } from '../src/shape.js';
import { transpose } from '../src/ops/views.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { runs, tally } from './wasm-helpers.js';
import { sameOutcome, expectSameBits, f32Payloads, f64Payloads } from './wasm-movement-helpers.js';

const wasm = () => getBackendByName('wasm') as WasmBackend;
const indexDtypes = [mx.int8, mx.uint8, mx.int16, mx.uint16, mx.int32, mx.uint32, mx.int64, mx.uint64];
let errorCases = 0;

/** Index values for an axis of `size`: mostly in [-size, size), now and then out of range. */
const indexUnits = (size: number) => (d: Dtype, n: number) => {
  const inRange = size > 0 ? fc.integer({ min: d.kind === 'u' ? 0 : -size, max: size - 1 }) : fc.constant(0);
  const out = fc.oneof(fc.integer({ min: -size - 3, max: -size - 1 }), fc.integer({ min: size, max: size + 3 }), fc.constant(2 ** 31 - 1), fc.constant(-(2 ** 31)));
  const v = fc.oneof({ arbitrary: inRange, weight: 2000 }, { arbitrary: out, weight: 1 });
  return fc.array(v, { minLength: n, maxLength: n }).map((xs) => (isBigInt(d) ? xs.map(BigInt) : xs));
};

const gatherNode = (axes: number[]) => (a: MxArray, ...idx: MxArray[]) => {
  const B = idx[0]?.shape ?? [];
  return makeArray([...B, ...a.shape.map((n, i) => (axes.includes(i) ? 1 : n))], a.dtype, new Primitive(Gather, { axes }), [a, ...idx]);
};

for (const d of allDtypes) {
  test(`gather ${d.name}: any axes, index dtypes and layouts`, () => {
    const arb = shapeArb({ minRank: 0, maxRank: 3, maxSize: 60 })
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          fc.shuffledSubarray([...shape.keys()], { minLength: 0, maxLength: Math.min(3, shape.length) }),
          shapeArb({ minRank: 0, maxRank: 2, maxDim: 5, maxSize: 20 }),
          fc.array(fc.constantFrom(...indexDtypes), { minLength: 3, maxLength: 3 }),
        ),
      )
      .chain(([shape, axes, B, idts]) =>
        fc.tuple(fc.constant(axes), arraySpecArb(d, shape), fc.tuple(...axes.map((ax, j) => arraySpecArb(idts[j]!, B, { units: indexUnits(shape[ax]!) })))),
      );
    fc.assert(
      fc.property(arb, ([axes, a, idx]) => {
        tally.cases++;
        if (sameOutcome(gatherNode(axes), [a, ...idx], `gather ${d.name} axes=[${axes}]`)) errorCases++;
      }),
      { numRuns: runs(150) },
    );
  });
}

const scatterNode = (reduce: ScatterReduce) => (a: MxArray, pos: MxArray, u: MxArray) =>
  makeArray([...a.shape], a.dtype, new Primitive(Scatter, { reduce }), [a, pos, u]);

/** Small values so that products and sums of duplicates stay interesting (and exact ties occur). */
const fewValues = (d: Dtype, n: number): fc.Arbitrary<(number | bigint)[]> => {
  if (d === mx.float16 || d === mx.bfloat16) {
    // bits: NaNs of both signs and payloads, -0, 0, ±1, ±inf, 2, the largest finite value, the
    // smallest subnormal, 1 + ulp (sums and products that round, overflow and underflow)
    const pool =
      d === mx.float16
        ? [0x7e00, 0xfe00, 0x7c01, 0xfd00, 0x8000, 0, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x4000, 0x7bff, 0x0001, 0x3c01, 0x8401]
        : [0x7fc0, 0xffc0, 0x7f81, 0xff90, 0x8000, 0, 0x3f80, 0xbf80, 0x7f80, 0xff80, 0x4000, 0x7f7f, 0x0001, 0x3f81, 0x0081];
    return fc.array(fc.constantFrom(...pool), { minLength: n, maxLength: n });
  }
  const vals = d === mx.bool ? [0, 1] : d.kind === 'u' ? [0, 1, 2, 3, 255] : [-2, -1, -0, 0, 1, 2, 3, 0.5, NaN, Infinity];
  const v = fc.constantFrom(...vals.filter((x) => d.kind === 'f' || d.kind === 'c' || Number.isInteger(x)));
  return fc.array(v, { minLength: n, maxLength: n }).map((xs) => (isBigInt(d) ? xs.map((x) => BigInt(x)) : xs));
};

const scatterCases: [Dtype, ScatterReduce[]][] = [
  ...[mx.float32, mx.float64, mx.int8, mx.uint8, mx.int16, mx.uint16, mx.int32, mx.uint32, mx.int64, mx.uint64, mx.bool].map(
    (d): [Dtype, ScatterReduce[]] => [d, ['none', 'sum', 'prod', 'max', 'min']],
  ),
  [mx.complex64, ['none', 'sum', 'prod', 'max', 'min']],
  [mx.float16, ['none', 'sum', 'prod', 'max', 'min']],
  [mx.bfloat16, ['none', 'sum', 'prod', 'max', 'min']],
];

for (const [d, reduces] of scatterCases) {
  for (const reduce of reduces) {
    test(`scatter ${reduce} ${d.name}: duplicates in order, any layouts and position dtypes`, () => {
      const arb = fc
        .tuple(shapeArb({ minRank: 0, maxRank: 3, maxSize: 40 }), shapeArb({ minRank: 0, maxRank: 2, maxDim: 6, maxSize: 30 }), fc.constantFrom(...indexDtypes), fc.boolean())
        .chain(([shape, P, pdt, few]) => {
          const units = few ? { units: fewValues } : {};
          return fc.tuple(arraySpecArb(d, shape, units), arraySpecArb(pdt, P, { units: indexUnits(shapeSize(shape)) }), arraySpecArb(d, P, units));
        });
      fc.assert(
        fc.property(arb, ([a, pos, u]) => {
          tally.cases++;
          // sum/prod of float32/float64/complex64: NaN payloads of arithmetic are not compared
          // (as everywhere); 16-bit floats bit for bit (their NaNs are the reference's encodings)
          const bits = reduce === 'none' || reduce === 'max' || reduce === 'min' || !(d === mx.float32 || d === mx.float64 || d === mx.complex64);
          if (sameOutcome(scatterNode(reduce), [a, pos, u], `scatter ${reduce} ${d.name}`, bits)) errorCases++;
        }),
        { numRuns: runs(120) },
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

test('take / put of NaN payloads move bits unchanged, in WASM', () => {
  const before = wasm().kernelStats();
  const a = raw(mx.float64, [11], new BigUint64Array(f64Payloads));
  const idx = mx.array([10, -11, 2, 2, -1, 3], mx.int32);
  const r = compareBackends((x, i) => mx.take(x, i), [a, idx]);
  expectSameBits(r, 'take f64 payloads');
  expect([...new BigUint64Array(r[1]![0]!.units.buffer)]).toEqual([10, 0, 2, 2, 10, 3].map((i) => f64Payloads[i]!));
  const b = raw(mx.float32, [11], new Uint32Array(f32Payloads));
  const pos = mx.array([3, 0, -1], mx.int64);
  const r2 = compareBackends((x, p, u) => makeArray([11], mx.float32, new Primitive(Scatter, { reduce: 'none' }), [mx.zeros([11]), p, mx.take(x, mx.array([0, 1, 2], mx.int32))]) as MxArray, [b, pos, b]);
  expectSameBits(r2, 'scatter f32 payloads');
  expect(new Uint32Array(r2[1]![0]!.units.buffer)[3]).toBe(f32Payloads[0]);
  const after = wasm().kernelStats();
  expect(after.Gather!.wasm).toBeGreaterThan(before.Gather?.wasm ?? 0);
  expect(after.Scatter!.wasm).toBeGreaterThan(before.Scatter?.wasm ?? 0);
});

test('an index out of range raises the reference RangeError on WASM, and memory is left usable', () => {
  const x = mx.arange(12, mx.int32).reshape([3, 4]);
  for (const [i, msg] of [
    [3, /\[gather\] index 3 is out of bounds for axis 0 with size 3/],
    [-4, /\[gather\] index -4 is out of bounds for axis 0 with size 3/],
  ] as const) {
    expect(() => sameOutcome((a, j) => mx.take(a, j, 0), [x, mx.array([0, i], mx.int32)], 'take oob')).not.toThrow();
    mx.setCpuBackend('wasm');
    try {
      expect(() => mx.eval(mx.take(x, mx.array([0, i], mx.int64), 0))).toThrow(msg);
    } finally {
      mx.setCpuBackend(process.env.MLX_TS_CPU_BACKEND ?? 'wasm');
    }
  }
  expect(() => sameOutcome((a, p) => scatterNode('sum')(a, p, mx.ones([2], mx.int32)), [mx.zeros([4], mx.int32), mx.array([1, 4], mx.uint8)], 'scatter oob')).not.toThrow();
  // uint64 indices >= 2^63 are out of range (not -1)
  const big = raw(mx.uint64, [1], new BigUint64Array([2n ** 64n - 1n]));
  expect(sameOutcome((a, j) => gatherNode([0])(a, j), [mx.arange(5, mx.int32), big], 'uint64 huge')).toBe(true);
  expect([...(compareBackends((a) => mx.take(a, mx.array([4, 0], mx.int32)), [mx.arange(5, mx.int32)])[1]![0]!.units as Int32Array)]).toEqual([4, 0]);
});

test('a transposed index array gathers in its row-major order', () => {
  const r = compareBackends((a, i) => mx.take(a, transpose(i)), [mx.arange(10, 20, mx.int32), mx.array([[0, 1, 2], [-1, -2, -3]], mx.int16)]);
  expect([...(r[1]![0]!.units as Int32Array)]).toEqual([10, 19, 11, 18, 12, 17]);
});

const maskedNode = (a: MxArray, mask: MxArray, values: MxArray) => makeArray([...a.shape], a.dtype, new Primitive(MaskedScatter, {}), [a, mask, values]);

for (const d of allDtypes) {
  test(`masked scatter ${d.name}: masks over leading dims, rows of values in order, any layouts`, () => {
    const arb = shapeArb({ minRank: 0, maxRank: 4, maxDim: 5, maxSize: 120 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length })))
      .chain(([shape, m]) =>
        fc.tuple(
          fc.constant(shape),
          fc.constant(m),
          arraySpecArb(d, shape),
          // mostly bool masks (dense, sparse or all false), now and then 1-byte integers
          fc.constantFrom(mx.bool, mx.bool, mx.bool, mx.uint8, mx.int8).chain((md) =>
            fc.integer({ min: 0, max: 100 }).chain((p) =>
              arraySpecArb(md, shape.slice(0, m), { units: (_d, n) => fc.array(fc.integer({ min: 0, max: 99 }).map((r) => (r < p ? (md === mx.bool ? 1 : (r % 3) + 1) : 0)), { minLength: n, maxLength: n }) }),
            ),
          ),
          // rows: mostly enough for any mask, now and then maybe too few (the reference's RangeError)
          fc.oneof(
            { arbitrary: fc.integer({ min: shapeSize(shape.slice(0, m)), max: shapeSize(shape.slice(0, m)) + 2 }), weight: 4 },
            { arbitrary: fc.integer({ min: 0, max: shapeSize(shape.slice(0, m)) }), weight: 1 },
          ),
        ),
      )
      .chain(([shape, m, a, mask, rows]) => fc.tuple(fc.constant(a), fc.constant(mask), arraySpecArb(d, [rows, ...shape.slice(m)])));
    fc.assert(
      fc.property(arb, ([a, mask, values]) => {
        tally.cases++;
        if (sameOutcome(maskedNode, [a, mask, values], `masked scatter ${d.name}`)) errorCases++;
      }),
      { numRuns: runs(120) },
    );
  });
}

test('a[mask] = value (indexPut_ with a boolean mask): scalars and rows broadcast, in WASM', () => {
  const before = wasm().kernelStats().MaskedScatter?.wasm ?? 0;
  const x = mx.reshape(mx.arange(0, 24, 1, mx.float32), [2, 3, 4]);
  const mask = mx.array([[true, false, true], [false, false, true]]);
  const r = compareBackends((a) => {
    const y = mx.add(a, 0);
    y.indexPut_(mask, -1);
    return y;
  }, [x]);
  expect((r[1]![0]!.units as Float32Array).slice(0, 12)).toEqual(new Float32Array([-1, -1, -1, -1, 4, 5, 6, 7, -1, -1, -1, -1]));
  compareBackends((a) => {
    const y = mx.add(a, 0);
    y.indexPut_(mx.greater(a, 10), mx.multiply(mx.arange(0, 24, 1, mx.float32), 2));
    return y;
  }, [x]);
  compareBackends((a) => {
    const y = mx.add(a, 0);
    y.indexPut_(mask, mx.array([100, 200, 300, 400], mx.float32));
    return y;
  }, [x]);
  tally.cases += 3;
  expect(wasm().kernelStats().MaskedScatter!.wasm).toBeGreaterThan(before);
});

// GatherAxis / ScatterAxis (take/put_along_axis): x and indices equal but along the axis
const alongArb = (d: Dtype) =>
  shapeArb({ minRank: 1, maxRank: 3, maxSize: 40 })
    .chain((shape) => fc.tuple(fc.constant(shape), fc.nat({ max: shape.length - 1 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(...indexDtypes)))
    .chain(([shape, axis, k, idt]) => {
      const ishape = shape.map((n, i) => (i === axis ? k : n));
      return fc.tuple(fc.constant(axis), arraySpecArb(d, shape), arraySpecArb(idt, ishape, { units: indexUnits(shape[axis]!) }), arraySpecArb(d, ishape, { units: fewValues }));
    });
let alongErrors = 0;
for (const d of allDtypes) {
  test(`gatherAxis and scatterAxis ${d.name}: any axis, index dtypes and layouts`, () => {
    fc.assert(
      fc.property(alongArb(d), fc.constantFrom<'none' | 'sum'>('none', 'sum'), ([axis, x, idx, u], reduce) => {
        tally.cases += 2;
        const g = (a: MxArray, i: MxArray) => makeArray([...i.shape], a.dtype, new Primitive(GatherAxis, { axis }), [a, i]);
        const sc = (a: MxArray, i: MxArray, v: MxArray) => makeArray([...a.shape], a.dtype, new Primitive(ScatterAxis, { axis, reduce }), [a, i, v]);
        if (sameOutcome(g, [x, idx], `gatherAxis ${d.name} axis=${axis}`)) alongErrors++;
        if (d !== mx.bool || reduce === 'none') if (sameOutcome(sc, [x, idx, u], `scatterAxis ${reduce} ${d.name} axis=${axis}`)) alongErrors++;
      }),
      { numRuns: runs(60) },
    );
  });
}

test('every generated case ran in WASM, error cases included', () => {
  const s = wasm().kernelStats();
  console.log(`wasm-indexing stats: ${JSON.stringify({ Gather: s.Gather, Scatter: s.Scatter, MaskedScatter: s.MaskedScatter, errorCases })}`);
  // the fallbacks are exactly the error cases (the reference raising the RangeError)
  expect(s.Gather!.wasm).toBeGreaterThan(0.7 * 14 * runs(150));
  expect(s.Scatter!.wasm).toBeGreaterThan(0.7 * 70 * runs(120));
  expect(s.MaskedScatter!.wasm).toBeGreaterThan(0.5 * 14 * runs(120));
  // (an error case runs on wasm twice: next to the reference, then alone)
  expect(s.Gather!.fallback + s.Scatter!.fallback + s.MaskedScatter!.fallback).toBeLessThanOrEqual(2 * errorCases + 4);
  expect(errorCases).toBeGreaterThan(10);
  expect(s.GatherAxis!.wasm + s.ScatterAxis!.wasm).toBeGreaterThan(0.7 * 2 * 14 * runs(60));
  expect(s.GatherAxis!.fallback + s.ScatterAxis!.fallback).toBeLessThanOrEqual(2 * alongErrors + 4);
});

afterAll(() => console.log(`wasm-indexing: ${tally.cases} generated cases (${errorCases} raising an index error on both backends)`));
