// Native transcendental functions of the WASM kernels (packages/kernels-wasm/assembly/math.ts, erfinv included)
// against the reference backend, through the oracle. Stated bound: float32 outputs within
// 1 ulp of float32 of the reference. Most are double-precision functions rounded once, so
// they differ only when the exact value is within ~1 ulp of double of a float32 rounding
// boundary (the tests also count exact mismatches, expected ~0); float32 Exp is computed in
// float32 (f32x4), so about 0.8% of its results differ by 1 ulp: it gets a sweep over every
// float32 input of its range instead. float64 outputs exact (they call the reference's functions).
import { describe, test, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecArb, shapeArb, readHost } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { unary } from '../src/primitives/elementwise.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { getBackendByName, cpuBackend } from '../src/device.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

const backend = getBackendByName('wasm') as WasmBackend;
const NATIVE = ['Exp', 'Expm1', 'Log', 'Log2', 'Log10', 'Log1p', 'Sin', 'Cos', 'Tan', 'ArcSin', 'ArcCos', 'ArcTan', 'Sinh', 'Cosh', 'Tanh',
  'ArcSinh', 'ArcCosh', 'ArcTanh', 'Sigmoid', 'Erf', 'ErfInv'] as const;
/** Most float32 elements per function allowed to differ (by 1 ulp) from the reference in the dense set. */
const MAX_MISMATCH = 4;
/** Exp is float32 arithmetic (math.ts expF4): 1-ulp differences are ~0.8% over its range, ~5% on the dense set (many inputs near 0). */
const maxMismatch = (name: string, n: number) => (name === 'Exp' ? Math.ceil(0.08 * n) : MAX_MISMATCH);

// ---- a dense, deterministic input set: edge cases, thresholds and their neighbours, random bits ----
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => ((f32[0] = x), u32[0]!);
const fromBits = (b: number) => ((u32[0] = b >>> 0), f32[0]!);

function denseInputs(): Float32Array {
  const out: number[] = [];
  const rnd = mulberry32(12345);
  const specials = [0, -0, Infinity, -Infinity, NaN, fromBits(1), fromBits(0x007fffff), fromBits(0x00800000), fromBits(0x7f7fffff), 1, -1, 0.5, -0.5, 2, Math.PI, -Math.PI, Math.PI / 2, Math.E];
  for (const s of specials) out.push(s, -s);
  // thresholds: float32 exp overflow / subnormal results / underflow to 0, double exp's, sigmoid's,
  // erf's branch points, |x| = 1 for the inverse trig functions, ln2 multiples (exp's reduction)
  const thresholds = [88.72283935546875, -87.33654022216797, -103.27892303466797, -103.97207641601562, 709.782712893384, -745.1332191019411,
    3, 6, 1, 0.34657359, 1.03972077, 2 ** -28, 2 ** -14, 1e-7, 10, 20, 40, 1e4];
  for (const t of thresholds) {
    for (const s of [t, -t]) {
      const b = bitsOf(s);
      for (let k = -48; k <= 48; k++) out.push(fromBits(b + k));
    }
  }
  // near 1 (log) and near -1 (log1p)
  for (let k = -200; k <= 200; k++) out.push(fromBits(bitsOf(1) + k), fromBits(bitsOf(-1) + k));
  // large arguments for sin / cos / tan, and neighbours of multiples of pi/2
  for (let i = 0; i < 4000; i++) {
    out.push((rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 38.5));
    const m = Math.fround(Math.floor(rnd() * 2 ** 20) * (Math.PI / 2));
    out.push(fromBits(bitsOf(m) + Math.floor(rnd() * 5) - 2));
  }
  // random bit patterns (every finite float32 magnitude, NaNs, subnormals), uniform ranges, log-uniform magnitudes
  for (let i = 0; i < 40000; i++) out.push(fromBits(Math.floor(rnd() * 2 ** 32)));
  for (let i = 0; i < 30000; i++) out.push((rnd() * 2 - 1) * 20, rnd() * 2 - 1);
  for (let i = 0; i < 20000; i++) out.push((rnd() < 0.5 ? -1 : 1) * 2 ** (rnd() * 200 - 140));
  return new Float32Array(out);
}

const dense = denseInputs();
const mismatchCounts: Record<string, number> = {};

function countMismatches(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) n++;
  return n;
}

describe('wasm native math: float32 within 1 ulp of the reference', () => {
  for (const name of NATIVE) {
    test(`${name} float32: ${dense.length} dense inputs (edge cases, thresholds, random bits)`, () => {
      const def = unary[name as keyof typeof unary];
      const before = backend.kernelStats()[name]?.wasm ?? 0;
      const x = mx.array(Array.from(dense), mx.float32);
      mx.eval(x);
      tally.cases++;
      const [[ref], [wasm]] = compareBackends((v) => applyPrim(def, {}, [v], mx.float32), [x], { ulp: 1, label: `${name} f32` });
      expect(backend.kernelStats()[name]!.wasm).toBeGreaterThan(before);
      const n = countMismatches(ref!.units as Float32Array, wasm!.units as Float32Array);
      mismatchCounts[name] = n;
      expect(n).toBeLessThanOrEqual(maxMismatch(name, dense.length));
    });

    test(`${name} float32: generated arrays in any layout`, () => {
      const def = unary[name as keyof typeof unary];
      fc.assert(
        fc.property(shapeArb({ maxRank: 3, maxSize: 300 }).chain((s) => arraySpecArb(mx.float32, s)), (spec) => {
          tally.cases++;
          compareBackends((v) => applyPrim(def, {}, [v], mx.float32), [spec], { ulp: 1, label: `${name} f32` });
        }),
        { numRuns: runs(40) },
      );
    });

    test(`${name} float64 stays exact (the reference's own function)`, () => {
      const def = unary[name as keyof typeof unary];
      const x = mx.array(Array.from(dense.subarray(0, 20000)), mx.float64);
      tally.cases++;
      compareBackends((v) => applyPrim(def, {}, [mx.multiply(v, 1.0000001)], mx.float64), [x], { label: `${name} f64` });
    });
  }
});

// float32 exp (math.ts expF4, f32 arithmetic) against the reference over every float32 input
// of [-87, 88] where it doesn't defer to the double form: every 61st bit pattern in the suite
// (36.7 million inputs), all 2,237,530,114 with MLX_TS_EXHAUSTIVE=1 (about a minute).
describe('wasm native math: float32 exp swept over its whole range', () => {
  const exhaustive = process.env.MLX_TS_EXHAUSTIVE === '1';
  const step = exhaustive ? 1 : 61;
  test(`every ${exhaustive ? '' : `${step}th `}float32 in [-87, 88]: within 1 ulp of Math.fround(Math.exp(x)), under 1% differ`, () => {
    const k = backend.kernels as unknown as Record<string, (...a: number[]) => number>;
    const code = (backend.kernels as unknown as Record<string, WebAssembly.Global>).UNARY_Exp!.value as number;
    const N = 1 << 21;
    const block = backend.heap.alloc(N * 8);
    let total = 0;
    let differ = 0;
    let worst = 0;
    const bad: string[] = [];
    try {
      for (const [from, to] of [[0, bitsOf(88)], [bitsOf(-0), bitsOf(-87)]] as const) {
        for (let s = from; s <= to; s += N * step) {
          const n = Math.min(N, Math.floor((to - s) / step) + 1);
          const buf = backend.heap.memory.buffer;
          const bits = new Uint32Array(buf, block.ptr, n);
          for (let i = 0; i < n; i++) bits[i] = s + i * step;
          k.unary_f32!(code, 0, block.ptr, block.ptr + N * 4, n);
          const x = new Float32Array(buf, block.ptr, n);
          const ours = new Int32Array(buf, block.ptr + N * 4, n);
          for (let i = 0; i < n; i++) {
            const d = Math.abs(ours[i]! - (bitsOf(Math.exp(x[i]!)) | 0));
            if (d === 0) continue;
            differ++;
            if (d > worst) worst = d;
            if (d > 1 && bad.length < 5) bad.push(`exp(${x[i]}): ${d} ulp`);
          }
          total += n;
        }
      }
    } finally {
      backend.heap.free(block.ptr, block.size);
    }
    tally.cases++;
    mismatchCounts['Exp (sweep)'] = differ;
    expect(bad).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(total).toBeGreaterThan(exhaustive ? 2.2e9 : 3.6e7);
    expect(differ / total).toBeLessThan(0.01);
  });
});

// V8's Math.exp is fdlibm's e_exp.c, which math.ts's expD reproduces operation for operation:
// on V8 (Node) the double results are identical, so float32 exp has no mismatch at all there.
describe('wasm native math: exp in double', () => {
  test('expD (scalar and f64x2) equals this engine\'s Math.exp bit for bit on edge cases and random doubles', () => {
    const rnd = mulberry32(777);
    const xs: number[] = [0, -0, Infinity, -Infinity, NaN, 709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, -708.39, -708.4, 707, -707, 1e-300, -1e-300, 2 ** -28, -(2 ** -28), 0.34657359027997264, 1.0397207708399179];
    for (let i = 0; i < 200_000; i++) {
      const r = rnd();
      xs.push(i % 4 === 0 ? (r * 2 - 1) * 750 : i % 4 === 1 ? (r * 2 - 1) * 2 : i % 4 === 2 ? (rnd() < 0.5 ? -1 : 1) * 2 ** (r * 40 - 35) : (r * 2 - 1) * 100);
    }
    const n = xs.length;
    const k = backend.kernels as unknown as Record<string, (...a: number[]) => number>;
    const block = backend.heap.alloc(n * 16);
    const ptr = block.ptr;
    try {
      const inp = new Float64Array(backend.heap.memory.buffer, ptr, n);
      inp.set(xs);
      for (const simd of [1, 0]) {
        k.math_exp_f64!(simd, ptr, ptr + n * 8, n);
        const out = new Float64Array(backend.heap.memory.buffer, ptr + n * 8, n);
        const bad: string[] = [];
        for (let i = 0; i < n && bad.length < 5; i++) {
          const want = Math.exp(xs[i]!);
          if (!(Object.is(out[i], want) || (Number.isNaN(want) && Number.isNaN(out[i])))) bad.push(`exp(${xs[i]}) = ${out[i]}, Math.exp ${want}`);
        }
        tally.cases++;
        expect(bad).toEqual([]);
      }
    } finally {
      backend.heap.free(block.ptr, block.size);
    }
  });
});

describe('wasm native math: SIMD forms equal the scalar ones', () => {
  for (const name of ['Exp', 'Sigmoid'] as const) {
    test(`${name}: contiguous (f64x2 lanes) vs strided (scalar loop) on the same values, bit for bit`, () => {
      const def = unary[name];
      const prev = cpuBackend().name;
      mx.setCpuBackend('wasm');
      try {
        const n = dense.length - (dense.length % 2);
        const base = mx.array(Array.from(dense.subarray(0, n)), mx.float32);
        const contiguous = applyPrim(def, {}, [base], mx.float32);
        // the same values through a transposed view: the strided (scalar) loop
        const t = mx.transpose(mx.reshape(base, [2, n / 2]));
        const strided = mx.transpose(applyPrim(def, {}, [t], mx.float32));
        mx.eval(contiguous, strided);
        const a = readHost(contiguous).units as Float32Array;
        const b = readHost(strided).units as Float32Array;
        tally.cases++;
        expect(countMismatches(a, b)).toBe(0);
        // and the values are real: exp(0) = 1, exp(-inf) = 0, sigmoid(0) = 0.5
        const i0 = dense.indexOf(0);
        expect(a[i0]).toBe(name === 'Exp' ? 1 : 0.5);
      } finally {
        mx.setCpuBackend(prev);
      }
    });
  }
});

afterAll(() => console.log(`wasm-math: ${tally.cases} cases; exact float32 mismatches per function over ${dense.length} inputs: ${JSON.stringify(mismatchCounts)}`));
