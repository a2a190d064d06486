// ScaledDotProductAttention's WASM adapter (float32: the flash kernel, and the matmul path kept
// for operands it declines) against the reference kernel: masks, grouped-query heads, sinks,
// strided and broadcast inputs, empty dims, sizes across the flash kernel's tiles. Bound (stated in backend/wasm/fast.ts): for unit-scale inputs,
// |wasm - reference| <= (D + Tk + 4) * 8 * 2^-24 * max(1, |reference|). The float32 norms'
// adapters, and which ops the WASM backend fuses at all (Backend.fuses).
import { test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { runs, tally } from './wasm-helpers.js';
import { runOn } from './wasm-bounds.js';
import { getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { sdpaPaths } from '../src/backend/wasm/fast.js';

const wasm = getBackendByName('wasm') as WasmBackend;
const sdpaStats = () => wasm.kernelStats().ScaledDotProductAttention ?? { wasm: 0, fallback: 0 };

/** Row-major values of f() computed on `backend` (inputs rebuilt there), as doubles. */
function valuesOn(backend: string, f: () => mx.MxArray): number[] {
  return Array.from(runOn(backend, () => f().astype(mx.float64), []).units as Float64Array);
}

const caseArb = fc.record({
  B: fc.integer({ min: 1, max: 2 }),
  heads: fc.constantFrom<[number, number]>([1, 1], [2, 2], [4, 2], [4, 1], [3, 1]),
  Tq: fc.integer({ min: 0, max: 7 }),
  Tk: fc.integer({ min: 0, max: 9 }),
  D: fc.integer({ min: 1, max: 9 }),
  Dv: fc.integer({ min: 1, max: 5 }),
  mask: fc.constantFrom('none', 'causal', 'bool', 'add', 'add-row', 'add-col', 'bool-bcast'),
  sinks: fc.boolean(),
  layout: fc.constantFrom('contiguous', 'transposed', 'broadcast'),
  seed: fc.nat(),
});

// the flash kernel's tiles are 32 query rows by 128 keys (kernels-wasm attention.ts): sizes
// around and across them, values read in place (Dv a multiple of 8) or copied
const tileArb = fc.record({
  B: fc.integer({ min: 1, max: 2 }),
  heads: fc.constantFrom<[number, number]>([1, 1], [2, 1], [4, 2], [3, 3]),
  Tq: fc.constantFrom(1, 3, 31, 32, 33, 45, 70),
  Tk: fc.constantFrom(1, 7, 63, 65, 100, 127, 128, 129, 140, 270),
  D: fc.constantFrom(1, 5, 8, 19, 64),
  Dv: fc.constantFrom(3, 8, 13, 16),
  mask: fc.constantFrom('none', 'causal', 'bool', 'add', 'add-row', 'add-col', 'bool-bcast'),
  sinks: fc.boolean(),
  layout: fc.constantFrom('contiguous', 'transposed', 'broadcast'),
  seed: fc.nat(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** One case's attention (inputs from the seed), for `valuesOn`. */
function buildCase({ B, heads: [nq, nkv], Tq, Tk, D, Dv, mask, sinks, layout, seed }: Case): () => mx.MxArray {
  return () => {
    const key = mx.random.key(seed);
    const [k1, k2, k3, k4, k5] = mx.random.split(key, 5) as unknown as mx.MxArray[];
    const norm = (shape: number[], k: mx.MxArray) => mx.random.normal(shape, mx.float32, null, null, k);
    let q = norm([B, nq!, Tq, D], k1!);
    let kk = norm([B, nkv!, Tk, D], k2!);
    let v = norm([B, nkv!, Tk, Dv], k3!);
    if (layout === 'transposed') {
      q = mx.swapaxes(mx.copy(mx.swapaxes(q, 1, 2)), 1, 2);
      kk = mx.swapaxes(mx.copy(mx.swapaxes(kk, 2, 3)), 2, 3);
      v = mx.swapaxes(mx.copy(mx.swapaxes(v, 2, 3)), 2, 3);
    } else if (layout === 'broadcast') kk = mx.broadcastTo(kk.index(mx.Slice(0, 1)), kk.shape);
    const m = (() => {
      switch (mask) {
        case 'causal':
          return 'causal' as const;
        case 'bool':
          return mx.greater(norm([B, nq!, Tq, Tk], k4!), -0.3);
        case 'bool-bcast':
          return mx.greater(norm([Tk], k4!), 0);
        case 'add':
          return norm([B, nq!, Tq, Tk], k4!);
        case 'add-row':
          return norm([Tk], k4!); // contiguous along keys, broadcast elsewhere
        case 'add-col':
          return norm([Tq, 1], k4!); // one value per row
        default:
          return null;
      }
    })();
    return mx.fast.scaledDotProductAttention(q, kk, v, Math.fround(1 / Math.sqrt(D)), m, sinks ? norm([nq!], k5!) : null);
  };
}

/** The WASM adapter against the reference kernel, element by element within the stated bound. */
function checkCase(c: Case): void {
  tally.cases++;
  const ref = valuesOn('reference', buildCase(c));
  const got = valuesOn('wasm', buildCase(c));
  expect(got.length).toBe(ref.length);
  const bound = (c.D + c.Tk + 4) * 8 * 2 ** -24;
  ref.forEach((r, i) => {
    if (Number.isNaN(r)) expect(got[i]).toBeNaN();
    else expect(Math.abs(got[i]! - r), `element ${i}: ${got[i]} vs ${r}`).toBeLessThanOrEqual(bound * Math.max(1, Math.abs(r)));
  });
}

/** Runs f with the flash kernel on or off; returns how many attentions each path ran. */
function withPath(flash: boolean, f: () => void): { flash: number; matmul: number } {
  const before = { ...sdpaPaths };
  sdpaPaths.useFlash = flash;
  try {
    f();
  } finally {
    sdpaPaths.useFlash = true;
  }
  return { flash: sdpaPaths.flash - before.flash, matmul: sdpaPaths.matmul - before.matmul };
}

test('sdpa float32: the flash kernel against the reference kernel (stated bound), small shapes', () => {
  const before = sdpaStats();
  const ran = withPath(true, () => fc.assert(fc.property(caseArb, checkCase), { numRuns: runs(150) }));
  // every float32 case ran the flash kernel (none fell back)
  expect(sdpaStats().fallback).toBe(before.fallback);
  expect(ran.matmul).toBe(0);
  expect(ran.flash).toBeGreaterThan(0);
});

test('sdpa float32: the flash kernel across its 32-row and 128-key tiles (odd sizes, every mask, causal with Tq != Tk, grouped-query heads, sinks)', () => {
  const ran = withPath(true, () => fc.assert(fc.property(tileArb, checkCase), { numRuns: runs(40) }));
  expect(ran.matmul).toBe(0);
  expect(ran.flash).toBeGreaterThan(0);
});

test('sdpa float32: the matmul path (kept for operands the flash kernel declines) against the reference kernel', () => {
  const before = sdpaStats();
  const ran = withPath(false, () => fc.assert(fc.property(caseArb, checkCase), { numRuns: runs(60) }));
  expect(sdpaStats().fallback).toBe(before.fallback);
  expect(ran.flash).toBe(0);
  expect(ran.matmul).toBeGreaterThan(0);
});

test('sdpa flash: causal rows whose valid scores are all -inf (or that have no valid key) average the masked keys, as the reference', () => {
  // D = 1: q 1e30 against keys -1e30 overflows to -inf; the masked keys' float32 lowest is then
  // the maximum, so the row is the mean of the masked keys' values (every key block taken)
  const build = (Tq: number, Tk: number) => () => {
    const q = mx.full([1, 2, Tq, 1], 1e30);
    const k = mx.concatenate([mx.full([1, 2, Tk - 1, 1], -1e30), mx.full([1, 2, 1, 1], 0.5)], 2);
    const v = mx.reshape(mx.arange(2 * Tk * 3, mx.float32), [1, 2, Tk, 3]);
    return mx.fast.scaledDotProductAttention(q, k, v, 1, 'causal');
  };
  for (const [Tq, Tk] of [[100, 100], [70, 40], [33, 130]] as const) {
    tally.cases++;
    const ref = valuesOn('reference', build(Tq, Tk));
    let got: number[] = [];
    expect(withPath(true, () => (got = valuesOn('wasm', build(Tq, Tk)))).flash).toBe(1);
    const bound = (1 + Tk + 4) * 8 * 2 ** -24;
    ref.forEach((r, i) => expect(Math.abs(got[i]! - r), `${Tq}x${Tk} element ${i}`).toBeLessThanOrEqual(bound * Math.max(1, Math.abs(r))));
  }
});

test('sdpa flash: a NaN score makes its row NaN in any key block, a block of only -inf (and NaN) included', () => {
  const Tq = 40, Tk = 130;
  const m = Array.from({ length: Tq }, () => new Array<number>(Tk).fill(0));
  m[5]![129] = NaN; // second key block (keys 128 and 129)
  for (const r of [7, 9]) for (let j = 0; j < 128; j++) m[r]![j] = -Infinity; // the first block all -inf...
  m[7]![10] = NaN; // ...and a NaN in it
  m[11]![3] = NaN; // first block, among finite scores
  const build = () => {
    const [a, b, c] = mx.random.split(mx.random.key(5), 3) as unknown as mx.MxArray[];
    const norm = (shape: number[], k: mx.MxArray) => mx.random.normal(shape, mx.float32, null, null, k);
    return mx.fast.scaledDotProductAttention(norm([1, 2, Tq, 16], a!), norm([1, 2, Tk, 16], b!), norm([1, 2, Tk, 8], c!), 0.25, mx.array(m, mx.float32));
  };
  tally.cases++;
  const ref = valuesOn('reference', build);
  let got: number[] = [];
  expect(withPath(true, () => (got = valuesOn('wasm', build))).flash).toBe(1);
  const bound = (16 + Tk + 4) * 8 * 2 ** -24;
  let nans = 0;
  ref.forEach((r, i) => {
    if (Number.isNaN(r)) {
      nans++;
      expect(got[i], `element ${i}`).toBeNaN();
    } else expect(Math.abs(got[i]! - r), `element ${i}`).toBeLessThanOrEqual(bound * Math.max(1, Math.abs(r)));
  });
  // rows 5, 7 and 11 of both heads, 8 values each
  expect(nans).toBe(3 * 2 * 8);
});

test('sdpa flash: the same bits on 1, 2 and 3 threads (tiles shared out through the queue), causal and not', () => {
  const previous = mx.getNumThreads();
  const build = (causal: boolean) => () => {
    const [a, b, c] = mx.random.split(mx.random.key(9), 3) as unknown as mx.MxArray[];
    const norm = (shape: number[], k: mx.MxArray) => mx.random.normal(shape, mx.float32, null, null, k);
    return mx.fast.scaledDotProductAttention(norm([2, 4, 200, 32], a!), norm([2, 2, 230, 32], b!), norm([2, 2, 230, 16], c!), 0.2, causal ? 'causal' : undefined);
  };
  try {
    for (const causal of [false, true]) {
      const bits: Float64Array[] = [];
      for (const t of [1, 2, 3]) {
        mx.setNumThreads(t);
        let got: number[] = [];
        expect(withPath(true, () => (got = valuesOn('wasm', build(causal)))).flash).toBe(1);
        bits.push(Float64Array.from(got));
      }
      tally.cases++;
      expect(Buffer.from(bits[1]!.buffer).equals(Buffer.from(bits[0]!.buffer))).toBe(true);
      expect(Buffer.from(bits[2]!.buffer).equals(Buffer.from(bits[0]!.buffer))).toBe(true);
    }
  } finally {
    mx.setNumThreads(previous);
  }
});

test('sdpa on WASM: fully masked rows, -inf masks, a grouped-query size that threads the matmuls', () => {
  const ones = () => mx.ones([1, 1, 3, 2]);
  const v = () => mx.reshape(mx.arange(4), [1, 1, 2, 2]);
  expect(valuesOn('wasm', () => mx.fast.scaledDotProductAttention(ones(), mx.ones([1, 1, 2, 2]), v(), 0.3, 'causal'))).toEqual([1, 2, 0, 1, 1, 2]);
  const nan = valuesOn('wasm', () => mx.fast.scaledDotProductAttention(mx.ones([1, 1, 1, 2]), mx.ones([1, 1, 2, 2]), v(), 1, mx.array([[-Infinity, -Infinity]])));
  expect(nan.every(Number.isNaN)).toBe(true);
  // within the same bound
  const build = () => {
    const [q, k] = [mx.random.normal([1, 8, 64, 64], mx.float32, null, null, mx.random.key(1)), mx.random.normal([1, 2, 80, 64], mx.float32, null, null, mx.random.key(2))];
    return mx.fast.scaledDotProductAttention(q, k, k, 0.125, 'causal');
  };
  const ref = valuesOn('reference', build);
  const got = valuesOn('wasm', build);
  const bound = (64 + 80 + 4) * 8 * 2 ** -24;
  ref.forEach((r, i) => expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(bound * Math.max(1, Math.abs(r))));
});

test('rmsNorm / layerNorm float32: the WASM adapters against the reference kernels (any layout)', () => {
  const stats = (n: string) => wasm.kernelStats()[n] ?? { wasm: 0, fallback: 0 };
  const before = [stats('RMSNorm'), stats('LayerNorm')];
  fc.assert(
    fc.property(
      fc.record({ lead: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), D: fc.integer({ min: 0, max: 40 }), transposed: fc.boolean(), which: fc.nat(3), seed: fc.nat() }),
      ({ lead, D, transposed, which, seed }) => {
        tally.cases++;
        const build = (ln: boolean) => () => {
          const [k1, k2, k3] = mx.random.split(mx.random.key(seed), 3) as unknown as mx.MxArray[];
          let x = mx.random.normal([...lead, D], mx.float32, null, null, k1!);
          if (transposed && x.ndim >= 2) x = mx.swapaxes(mx.copy(mx.swapaxes(x, -1, -2)), -1, -2);
          const w = which & 1 ? mx.random.normal([D], mx.float32, null, null, k2!) : null;
          const b = which & 2 ? mx.random.normal([D], mx.float32, null, null, k3!) : null;
          return ln ? mx.fast.layerNorm(x, w, b, 1e-5) : mx.fast.rmsNorm(x, w, 1e-5);
        };
        for (const ln of [false, true]) {
          const ref = valuesOn('reference', build(ln));
          const got = valuesOn('wasm', build(ln));
          // row sums by the multi-lane Reduce kernel: a float32 ulp or two after the steps
          ref.forEach((r, i) => (Number.isNaN(r) ? expect(got[i]).toBeNaN() : expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(4 * 2 ** -23 * Math.max(1, Math.abs(r)))));
        }
      },
    ),
    { numRuns: runs(100) },
  );
  expect(stats('RMSNorm').fallback).toBe(before[0]!.fallback);
  expect(stats('LayerNorm').fallback).toBe(before[1]!.fallback);
});

test('rmsNorm / layerNorm float16 / bfloat16: the half path (float32 steps, rounded, then weight and bias in the half dtype) against the reference kernel', () => {
  const stats = (n: string) => wasm.kernelStats()[n] ?? { wasm: 0, fallback: 0 };
  const before = [stats('RMSNorm'), stats('LayerNorm')];
  fc.assert(
    fc.property(
      fc.record({ lead: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), D: fc.integer({ min: 0, max: 40 }), transposed: fc.boolean(), which: fc.nat(3), half: fc.boolean(), seed: fc.nat() }),
      ({ lead, D, transposed, which, half, seed }) => {
        tally.cases++;
        const d = half ? mx.float16 : mx.bfloat16;
        const build = (ln: boolean) => () => {
          const [k1, k2, k3] = mx.random.split(mx.random.key(seed), 3) as unknown as mx.MxArray[];
          let x = mx.random.normal([...lead, D], mx.float32, null, null, k1!).astype(d);
          if (transposed && x.ndim >= 2) x = mx.swapaxes(mx.copy(mx.swapaxes(x, -1, -2)), -1, -2);
          const w = which & 1 ? mx.random.normal([D], mx.float32, null, null, k2!).astype(d) : null;
          const b = which & 2 ? mx.random.normal([D], mx.float32, null, null, k3!).astype(d) : null;
          return ln ? mx.fast.layerNorm(x, w, b, 1e-5) : mx.fast.rmsNorm(x, w, 1e-5);
        };
        const unit = half ? 2 ** -10 : 2 ** -7;
        for (const ln of [false, true]) {
          const ref = valuesOn('reference', build(ln));
          const got = valuesOn('wasm', build(ln));
          // the statistics' float32 sums in another order: at most a flip of the rounding to the half
          // dtype before the weight and bias (one unit each step)
          ref.forEach((r, i) => (Number.isNaN(r) ? expect(got[i]).toBeNaN() : expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(3 * unit * Math.max(1, Math.abs(r)))));
        }
      },
    ),
    { numRuns: runs(100) },
  );
  expect(stats('RMSNorm').wasm).toBeGreaterThan(before[0]!.wasm);
  expect(stats('RMSNorm').fallback).toBe(before[0]!.fallback);
  expect(stats('LayerNorm').fallback).toBe(before[1]!.fallback);
});

test('Backend.fuses: the WASM backend fuses norms and RoPE (float32 and the half dtypes), float32 attention and Hadamard, the gated delta rule, float cross entropy; elsewhere the op is its composition', () => {
  const rootOn = (backend: string, f: () => mx.MxArray): string => {
    let name = '';
    runOn(backend, () => {
      const y = f();
      name = (y as unknown as { _node: { prim: { name: string } } })._node.prim.name;
      return y;
    }, []);
    return name;
  };
  const h = (i: number, d: mx.Dtype = mx.float32) => mx.random.normal([1, 2, 3, 8], mx.float32, null, null, mx.random.key(i)).astype(d);
  const cases: [() => mx.MxArray, string, boolean][] = [
    [() => mx.fast.rmsNorm(h(1), mx.ones([8]), 1e-5), 'RMSNorm', true],
    [() => mx.fast.layerNorm(h(2), null, mx.ones([8]), 1e-5), 'LayerNorm', true],
    [() => mx.fast.scaledDotProductAttention(h(3), h(4), h(5), 0.5, 'causal'), 'ScaledDotProductAttention', true],
    [() => mx.fast.crossEntropy(h(6), mx.zeros([1, 2, 3], mx.int32)), 'CrossEntropy', true],
    [() => mx.fast.rmsNorm(h(1, mx.float16), null, 1e-5), 'RMSNorm', true],
    [() => mx.fast.layerNorm(h(2, mx.bfloat16), mx.ones([8], mx.bfloat16), mx.ones([8], mx.bfloat16), 1e-5), 'LayerNorm', true],
    [() => mx.fast.scaledDotProductAttention(h(3, mx.bfloat16), h(4, mx.bfloat16), h(5, mx.bfloat16), 0.5), 'ScaledDotProductAttention', false],
    [() => mx.fast.rope(h(7), 8, true, 10000, 1, 3), 'RoPE', true],
    [() => mx.fast.rope(h(7, mx.float16), 8, true, 10000, 1, 3), 'RoPE', true],
    [() => mx.hadamardTransform(h(8)), 'Hadamard', true],
    [() => mx.hadamardTransform(h(8, mx.bfloat16)), 'Hadamard', false],
    [() => mx.fast.crossEntropy(h(6, mx.float16), mx.zeros([1, 2, 3], mx.int32)), 'CrossEntropy', false],
  ];
  for (const [f, name, fusedOnWasm] of cases) {
    expect(rootOn('reference', f)).toBe(name);
    expect(rootOn('wasm', f) === name).toBe(fusedOnWasm);
    // the composition on WASM against the fused reference kernel: a few ulps of the dtype
    const ref = valuesOn('reference', f);
    const got = valuesOn('wasm', f);
    const d = runOn('wasm', f, []).dtype;
    const eps = d === mx.float16 ? 2 ** -10 : d === mx.bfloat16 ? 2 ** -7 : 2 ** -23;
    ref.forEach((r, i) => expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(64 * eps * Math.max(1, Math.abs(r))));
  }
});
