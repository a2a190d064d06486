// AsType kernels of the WASM backend: every ordered pair of dtypes on every layout with the
// values casts get wrong (NaN, infinities, signed zeros, subnormals, rounding ties, integers
// beyond the destination's range, 2^31, 2^53 + 1, 2^63), every float16 / bfloat16 pattern to
// every dtype, float32 values around every 16-bit rounding boundary, and raw copies of every
// dtype in strided layouts (the eval layer's contiguous copies).
import { test, afterAll, expect } from 'vitest';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, unitsArb, type ArraySpec } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { AsType } from '../src/primitives/copy.js';
import { allDtypes, isBigInt, type Dtype } from '../src/dtype.js';
import { numberToHalf, numberToBfloat16 } from '../src/half.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';
import { runOn } from './wasm-bounds.js';
import { threadStats, resetThreadStats, setStealing } from '../src/backend/wasm/threads.js';

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

// Storage units at the edges of every cast: float rounding ties and integer / range limits.
const floatEdges = [
  NaN, -NaN, Infinity, -Infinity, 0, -0, 5e-324, -5e-324, 1.401298464324817e-45, 1.1754943508222875e-38, 6e-8, 2 ** -25,
  0.5, -0.5, 1.5, 2.5, -1.5, -1, 1, 127.5, 128, -128.5, -129, 255.5, 256, 32767.5, 32768, -32769, 65504, 65519.99, 65520,
  65535.5, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 53 + 1,
  -(2 ** 53) - 1, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 2 ** 63 + 2 ** 11, 2 ** 64, -(2 ** 64), 2 ** 64 + 2 ** 12, 2 ** 70 + 2 ** 20,
  1e30, -1e30, 2 ** 116, 3.4028234663852886e38, 3.4028235677973366e38, 1e300, -1e300, 1.7976931348623157e308,
];
const intEdges = (d: Dtype): (number | bigint)[] => {
  if (isBigInt(d)) {
    const big = [0n, 1n, 2n, 255n, 256n, 2n ** 31n, 2n ** 32n + 1n, 2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 62n + 2n ** 38n + 1n, 2n ** 63n - 1n];
    return d === mx.uint64 ? [...big, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 2n ** 39n] : [...big, ...big.map((v) => -v), -(2n ** 63n)];
  }
  const bits = d.size * 8;
  const [min, max] = d.kind === 'u' ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return [min, max, min + 1, max - 1, 0, 1, -1, 2 ** 24 + 1, -(2 ** 24) - 1, 255, 256, -129].filter((v) => v >= min && v <= max);
};
const halfEdges = [0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x3c00, 0x3800, 0xb800, 0x3e00, 0x7bff, 0x7c00, 0xfc00, 0x7c01, 0x7e00, 0xfe00, 0x7f80, 0xff80, 0x7fc0, 0x7f7f, 0x4f00, 0x5f00, 0xdf00, 0x5f80];
const edgeUnits = (d: Dtype): (number | bigint)[] => {
  if (d === mx.bool) return [0, 1];
  if (d === mx.float16 || d === mx.bfloat16) return halfEdges;
  if (d === mx.float32 || d === mx.float64 || d === mx.complex64) return floatEdges;
  return intEdges(d);
};
/** Units drawn from the generic arbitrary and the edge values (complex64: both lanes). */
const edgyUnits = (d: Dtype, n: number) =>
  fc
    .tuple(unitsArb(d, n), fc.array(fc.option(fc.constantFrom(...edgeUnits(d)), { freq: 2 }), { minLength: n * d.lanes, maxLength: n * d.lanes }))
    .map(([base, edges]) => base.map((u, i) => edges[i] ?? u));

for (const from of allDtypes) {
  test(`${from.name} -> every dtype: every edge value, then random values on any layout`, () => {
    const units = edgeUnits(from).flatMap((u) => (from === mx.complex64 ? [u, 0, 0, u, u, u] : [u]));
    const spec: ArraySpec = { dtype: from, baseShape: [units.length / from.lanes], units, view: [] };
    for (const to of allDtypes) {
      tally.cases++;
      compareBackends(cast(to), [spec], { label: `${from.name} -> ${to.name} (edges)` });
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...allDtypes),
        shapeArb({ maxRank: 4, maxSize: 60 }).chain((s) => arraySpecArb(from, s, { units: edgyUnits })),
        (to, spec) => {
          tally.cases++;
          compareBackends(cast(to), [spec], { label: `${from.name} -> ${to.name}` });
        },
      ),
      { numRuns: runs(250) },
    );
  });
}

test('float32 / float64 -> bool and integers: whole vectors in range, and one lane out of range at each position', () => {
  // the lane path truncates vectors whose lanes all lie in [-2^31, 2^31); any other lane sends
  // its vector element by element: both sides of that line, next to every lane position
  const inRange = [0, -0, 0.5, -0.5, 0.999, -0.999, 1.5, -1.5, 127.9, 128.5, -128.5, -129.5, 255.9, 256.1, 32767.9, 32768.5,
    -32768.9, 65535.9, 65536.1, 2147483520, -2147483648, 1e9, -1e9, 16777217, -3.75];
  for (const from of [mx.float32, mx.float64]) {
    const outside = [2147483648, from === mx.float32 ? -2147483904 : -2147483649, 4294967296, 4294967297.5, 1e20, -1e20, NaN, Infinity, -Infinity];
    const units: number[] = [...inRange, ...inRange.slice(0, 7)];
    outside.forEach((bad, j) => {
      for (let lane = 0; lane < 4; lane++) {
        const v = [0, 1, 2, 3].map((k) => inRange[(j * 4 + k + lane) % inRange.length]!);
        v[lane] = bad;
        units.push(...v);
      }
    });
    if (from === mx.float64) units.push(2147483647.5, -2147483648.5, 2147483647.9, 1.5); // in / out by a fraction
    units.push(3.5, -7.25, 1e5); // a tail shorter than a vector
    const spec: ArraySpec = { dtype: from, baseShape: [units.length], units, view: [] };
    for (const to of allDtypes.filter((d) => d === mx.bool || d.kind === 'i' || d.kind === 'u')) {
      tally.cases += units.length;
      compareBackends(cast(to), [spec], { label: `${from.name} -> ${to.name} (lanes)` });
    }
  }
});

test('every float16 and bfloat16 bit pattern -> every dtype', () => {
  const units = Array.from({ length: 65536 }, (_, i) => i);
  for (const from of [mx.float16, mx.bfloat16]) {
    const spec: ArraySpec = { dtype: from, baseShape: [65536], units, view: [] };
    for (const to of allDtypes) {
      tally.cases++;
      compareBackends(cast(to), [spec], { label: `${from.name} -> ${to.name} (all patterns)` });
    }
  }
});

// float32 -> float16 / bfloat16 in v128 lanes (the contiguous path) against the reference's own
// encoders (src/half.ts) over a sweep of float32 bit patterns: every 251st of all 2^32 in the
// suite (17 million per format: every exponent, sign and NaN payload class), all of them with
// MLX_TS_EXHAUSTIVE=1 (about 45 minutes).
test(`float32 -> float16 / bfloat16 lanes: every ${process.env.MLX_TS_EXHAUSTIVE === '1' ? '' : '251st '}float32 bit pattern equals the reference's encoders`, () => {
  const step = process.env.MLX_TS_EXHAUSTIVE === '1' ? 1 : 251;
  const backend = getBackendByName('wasm') as WasmBackend;
  const k = backend.kernels as unknown as Record<string, (...a: number[]) => number>;
  const N = 1 << 20;
  const block = backend.heap.alloc(N * 6);
  const bad: string[] = [];
  let total = 0;
  try {
    for (const [to, encode] of [[mx.float16, numberToHalf], [mx.bfloat16, numberToBfloat16]] as const) {
      for (let s = 0; s < 2 ** 32; s += N * step) {
        const n = Math.min(N, Math.floor((2 ** 32 - 1 - s) / step) + 1);
        const buf = backend.heap.memory.buffer;
        const bits = new Uint32Array(buf, block.ptr, n);
        for (let i = 0; i < n; i++) bits[i] = s + i * step;
        k.cast!(mx.float32.index, to.index, 0, block.ptr, block.ptr + N * 4, n);
        const x = new Float32Array(buf, block.ptr, n);
        const ours = new Uint16Array(buf, block.ptr + N * 4, n);
        for (let i = 0; i < n; i++) {
          const want = encode(x[i]!);
          if (ours[i] !== want && bad.length < 5) bad.push(`${to.name}(0x${bits[i]!.toString(16)}): 0x${ours[i]!.toString(16)}, reference 0x${want.toString(16)}`);
        }
        total += n;
      }
    }
  } finally {
    backend.heap.free(block.ptr, block.size);
  }
  tally.cases += total;
  expect(bad).toEqual([]);
  expect(total).toBeGreaterThan(step === 1 ? 8.5e9 : 3.4e7);
});

test('every case above ran in WASM', () => {
  const stats = (getBackendByName('wasm') as WasmBackend).kernelStats().AsType!;
  expect(stats.fallback).toBe(0);
  expect(stats.wasm).toBeGreaterThan(allDtypes.length ** 2);
});

afterAll(() => console.log(`wasm-convert: ${tally.cases} generated cases`));

test('large contiguous casts split across threads: the same bits as one thread and as the reference', () => {
  const threads = mx.getNumThreads();
  mx.setNumThreads(2);
  setStealing(false);
  try {
    const n = 300_001; // several chunks of CAST_GRAIN, and a tail
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s);
    const f32Bits = new Uint32Array(n).map(() => rnd());
    const halfBits = new Uint16Array(n).map(() => rnd() & 0xffff);
    const f32 = mx.view(mx.array(f32Bits, mx.uint32), mx.float32);
    const pairs: [mx.MxArray, mx.Dtype][] = [
      [f32, mx.float16],
      [f32, mx.bfloat16],
      [mx.view(mx.array(halfBits, mx.uint16), mx.float16), mx.float32],
      [mx.view(mx.array(halfBits, mx.uint16), mx.bfloat16), mx.float32],
      [f32, mx.int32],
    ];
    for (const [x, to] of pairs) {
      tally.cases++;
      mx.setNumThreads(1);
      const one = runOn('wasm', (a) => applyPrim(AsType, { dtype: to }, [a], to), [x]).units;
      mx.setNumThreads(2);
      resetThreadStats();
      const [, [two]] = compareBackends((a) => applyPrim(AsType, { dtype: to }, [a], to), [x], { label: `${x.dtype.name} -> ${to.name} threaded` });
      expect(threadStats().workerChunks, `${x.dtype.name} -> ${to.name}`).toBeGreaterThan(0);
      expect(Buffer.from(two!.units.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    }
  } finally {
    setStealing(true);
    mx.setNumThreads(threads);
  }
});
