// mx.fast's float32 row kernels on the WASM backend (backend/wasm/fast-rows.ts) against the
// reference kernels: the Hadamard transform and the gated delta rule bit for bit; RoPE and
// cross entropy within their libm differences (stated in fast-rows.ts): RoPE's cos/sin and
// cross entropy's log within 1 float32 ulp of the reference's, cross entropy's exp too. Also:
// the Hadamard primitive against the composition that gives it its meaning (MLX's CPU kernel
// bit for bit), its rules under grad/vmap/compile, and which path each op takes.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { runs, tally } from './wasm-helpers.js';
import { runOn, ulp32 } from './wasm-bounds.js';
import { cpuBackend, getBackendByName } from '../src/device.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { hadamardFallback } from '../src/ops/hadamard.js';

const wasm = getBackendByName('wasm') as WasmBackend;
const stats = (name: string) => wasm.kernelStats()[name] ?? { wasm: 0, fallback: 0 };

const normal = (shape: number[], key: mx.MxArray, scale = 1) => mx.multiply(mx.random.normal(shape, mx.float32, null, null, key), scale);
const keys = (seed: number, n: number) => mx.random.split(mx.random.key(seed), n) as unknown as mx.MxArray[];

/** Element-by-element: NaN where the reference has NaN, else within bound(i). */
function within(label: string, ours: ArrayLike<number>, ref: ArrayLike<number>, bound: (i: number) => number): void {
  expect(ours.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!, o = ours[i]!;
    if (Number.isNaN(r)) {
      if (!Number.isNaN(o)) throw new Error(`${label}: element ${i}: wasm ${o}, reference NaN`);
    } else if (!(o === r || Math.abs(o - r) <= bound(i))) throw new Error(`${label}: element ${i}: wasm ${o} vs reference ${r} (bound ${bound(i)})`);
  }
}

/** Bit-identical, -0 and NaN included. */
function identical(label: string, ours: ArrayLike<number>, ref: ArrayLike<number>): void {
  expect(ours.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) if (!Object.is(ours[i], ref[i]) && !(Number.isNaN(ours[i]) && Number.isNaN(ref[i]))) throw new Error(`${label}: element ${i}: wasm ${ours[i]} vs reference ${ref[i]}`);
}

/** Arrays made and evaluated on the reference backend: both backends then read the same inputs (the WASM normal sampler differs in the last bits). */
function made<T>(f: () => T): T {
  const previous = cpuBackend().name;
  mx.setCpuBackend('reference');
  try {
    const out = f();
    mx.eval(out as never);
    return out;
  } finally {
    mx.setCpuBackend(previous);
  }
}

const both = (f: () => mx.MxArray) => [runOn('wasm', f, []).units, runOn('reference', f, []).units] as [Float32Array, Float32Array];

test('hadamard float32: the WASM kernel equals the reference bit for bit (m = 1, 12, 20, 28; threads)', () => {
  const before = stats('Hadamard').wasm;
  fc.assert(
    fc.property(fc.constantFrom(1, 12, 20, 28), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.option(fc.double({ min: -2, max: 2, noNaN: true })), fc.nat(), (m, k, rows, scale, seed) => {
      tally.cases++;
      const len = m * 2 ** k;
      if (len === 1) return;
      const x = made(() => normal([rows, len], keys(seed, 1)[0]!));
      const [ours, ref] = both(() => mx.hadamardTransform(x, scale));
      identical(`hadamard ${rows}x${len}`, ours, ref);
    }),
    { numRuns: runs(60) },
  );
  // large enough to split across threads, with a zero row (the sums start at +0)
  const xb = made(() => mx.concatenate([mx.zeros([1, 2048]), normal([63, 2048], mx.random.key(3))], 0));
  const big = () => mx.hadamardTransform(xb);
  identical('hadamard 64x2048', ...both(big));
  const big12 = () => mx.hadamardTransform(mx.negative(mx.zeros([40, 12 * 256])));
  identical('hadamard of -0, 40x3072', ...both(big12));
  expect(stats('Hadamard').wasm).toBeGreaterThan(before);
});

test('hadamard: the primitive equals its composition (MLX bit for bit) in every float dtype', () => {
  for (const dtype of [mx.float32, mx.float16, mx.bfloat16]) {
    for (const len of [2, 8, 64, 12, 24, 20, 80, 28, 56]) {
      const x = made(() => mx.astype(normal([3, len], mx.random.key(len), 3), dtype));
      const sc = Math.fround(1 / Math.sqrt(len));
      for (const backend of ['reference', 'wasm']) {
        const fused = runOn(backend, () => mx.hadamardTransform(x).astype(mx.float32), []).units as Float32Array;
        const composed = runOn(backend, () => hadamardFallback(x, sc).astype(mx.float32), []).units as Float32Array;
        identical(`${dtype.name} n=${len} on ${backend}`, fused, composed);
      }
    }
  }
});

test('hadamard: vjp, jvp and vmap rules (the transform is its own transpose), under compile', () => {
  const x = normal([4, 3, 16], mx.random.key(5));
  const w = normal([4, 3, 16], mx.random.key(6));
  const loss = (v: mx.MxArray) => mx.sum(mx.multiply(mx.hadamardTransform(v), w));
  const g = mx.grad(loss)(x) as mx.MxArray;
  expect(mx.allclose(g, mx.hadamardTransform(w), 1e-5, 1e-5).item()).toBe(true);
  const gc = mx.compile(mx.grad(loss))(x) as mx.MxArray;
  expect(mx.allclose(gc, mx.hadamardTransform(w), 1e-5, 1e-5).item()).toBe(true);
  const [, jv] = mx.jvp((v: mx.MxArray) => mx.hadamardTransform(v, 0.5), [x], [w]) as [mx.MxArray[], mx.MxArray[]];
  expect(mx.allclose(jv[0]!, mx.hadamardTransform(w, 0.5), 1e-5, 1e-5).item()).toBe(true);
  // vmap over the last axis moves it to the front; over another axis it stays
  const x2 = normal([8, 16], mx.random.key(7));
  const vm = mx.vmap((v: mx.MxArray) => mx.hadamardTransform(v), 1, 0)(x2) as mx.MxArray; // each column, 8 long
  expect(vm.shape).toEqual([16, 8]);
  expect(mx.arrayEqual(vm, mx.hadamardTransform(mx.transpose(x2))).item()).toBe(true);
  const vm0 = mx.vmap((v: mx.MxArray) => mx.hadamardTransform(v), 1, 1)(x) as mx.MxArray;
  expect(mx.arrayEqual(vm0, mx.hadamardTransform(x)).item()).toBe(true);
});

test('gated delta rule float32: the WASM kernel equals the reference bit for bit (masks, per-key gates, grouped heads, threads)', () => {
  const before = stats('GatedDeltaUpdate').wasm;
  fc.assert(
    fc.property(
      fc.record({
        B: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 1, max: 5 }), heads: fc.constantFrom<[number, number]>([1, 1], [2, 2], [1, 3], [2, 4]),
        Dk: fc.integer({ min: 1, max: 9 }), Dv: fc.integer({ min: 1, max: 7 }), perKey: fc.boolean(), mask: fc.boolean(), seed: fc.nat(),
      }),
      ({ B, T, heads: [Hk, Hv], Dk, Dv, perKey, mask, seed }) => {
        tally.cases++;
        const [q, k, v, g, beta, h, m] = made(() => {
          const [k1, k2, k3, k4, k5, k6, k7] = keys(seed, 7);
          return [
            normal([B, T, Hk!, Dk], k1!), normal([B, T, Hk!, Dk], k2!, 0.5), normal([B, T, Hv!, Dv], k3!),
            mx.sigmoid(normal(perKey ? [B, T, Hv!, Dk] : [B, T, Hv!], k4!)), mx.sigmoid(normal([B, T, Hv!], k5!)),
            normal([B, Hv!, Dv, Dk], k6!), mask ? mx.greater(normal([B, T], k7!), 0) : undefined,
          ] as const;
        });
        const f = () => {
          const [o, s] = mx.fast.gatedDeltaUpdate(q, k, v, g, beta, h, m) as unknown as [mx.MxArray, mx.MxArray];
          return mx.concatenate([o.flatten(), s.flatten()]);
        };
        identical(`gated delta B${B} T${T} ${Hk}/${Hv} ${Dk}x${Dv}`, ...both(f));
      },
    ),
    { numRuns: runs(40) },
  );
  const ins = made(() => {
    const [k1, k2, k3, k4, k5, k6] = keys(9, 6);
    return [normal([2, 4, 2, 32], k1!), normal([2, 4, 2, 32], k2!, 0.2), normal([2, 4, 8, 64], k3!), mx.sigmoid(normal([2, 4, 8], k4!)), mx.sigmoid(normal([2, 4, 8], k5!)), normal([2, 8, 64, 32], k6!)] as const;
  });
  const big = () => {
    const [o, s] = mx.fast.gatedDeltaUpdate(...ins) as unknown as [mx.MxArray, mx.MxArray];
    return mx.concatenate([o.flatten(), s.flatten()]);
  };
  identical('gated delta, 16 threads items', ...both(big));
  expect(stats('GatedDeltaUpdate').wasm).toBeGreaterThan(before);
});

test('rope float32: the WASM kernel against the reference (cos/sin within a float32 ulp: bound per element)', () => {
  const before = stats('RoPE').wasm;
  fc.assert(
    fc.property(
      fc.record({
        B: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 9 }), half: fc.integer({ min: 1, max: 8 }), extra: fc.integer({ min: 0, max: 3 }),
        traditional: fc.boolean(), freqs: fc.boolean(), perBatch: fc.boolean(), offset: fc.integer({ min: 0, max: 5000 }), scale: fc.constantFrom(1, 0.5, 2.5), inverse: fc.boolean(), seed: fc.nat(),
      }),
      ({ B, H, T, half, extra, traditional, freqs, perBatch, offset, scale, inverse, seed }) => {
        tally.cases++;
        const dims = 2 * half, D = dims + extra;
        const [k1, k2] = keys(seed, 2);
        const [x, f] = made(() => [normal([B, H, T, D], k1!), mx.exp(normal([half], k2!))] as const);
        const off = perBatch ? mx.add(mx.arange(BigInt(B)), BigInt(offset)) : BigInt(offset);
        const offArr = typeof off === 'bigint' ? mx.array(off, mx.int32) : off;
        const r = (v: mx.MxArray) => mx.fast.rope(v, dims, traditional, freqs ? null : 10000, scale, offArr, freqs ? f : null);
        // the inverse rotation is RoPE's vjp: grad of <rope(v), x> is rope^-1(x)
        const op = () => (inverse ? (mx.grad((v: mx.MxArray) => mx.sum(mx.multiply(r(v), x)))(x) as mx.MxArray) : r(x));
        const [ours, ref] = both(op);
        const xs = runOn('reference', () => x, []).units as Float32Array;
        // a cos/sin 1 ulp (2^-24 relative) apart moves x1 c - x2 s by at most (|x1| + |x2|) 2^-24, plus a rounding
        within(`rope B${B} H${H} T${T} D${D}`, ours, ref, (i) => {
          const row = i - (i % D);
          let mx2 = 0;
          for (let j = 0; j < dims; j++) mx2 = Math.max(mx2, Math.abs(xs[row + j]!));
          return 2 * mx2 * 2 ** -24 + 2 * ulp32(ref[i]!);
        });
      },
    ),
    { numRuns: runs(60) },
  );
  // threads: 8 heads x 256 positions x 64 features, per-batch offsets
  const x = made(() => normal([2, 8, 256, 64], mx.random.key(11)));
  const [ours, ref] = both(() => mx.fast.rope(x, 64, false, 10000, 1, mx.array([3n, 700n])));
  within('rope threads', ours, ref, (i) => 8 * 2 ** -24 + 2 * ulp32(ref[i]!));
  expect(stats('RoPE').wasm).toBeGreaterThan(before);
});

test('rope float16 / bfloat16: the half kernel against the reference (its roundings; cos/sin ties aside, identical)', () => {
  const before = stats('RoPE').wasm;
  let differing = 0, total = 0;
  fc.assert(
    fc.property(
      fc.record({
        B: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 9 }), half: fc.integer({ min: 1, max: 8 }), extra: fc.integer({ min: 0, max: 3 }),
        traditional: fc.boolean(), freqs: fc.boolean(), perBatch: fc.boolean(), offset: fc.integer({ min: 0, max: 5000 }), scale: fc.constantFrom(1, 0.5, 2.5), inverse: fc.boolean(), bf: fc.boolean(), seed: fc.nat(),
      }),
      ({ B, H, T, half, extra, traditional, freqs, perBatch, offset, scale, inverse, bf, seed }) => {
        tally.cases++;
        const d = bf ? mx.bfloat16 : mx.float16;
        const dims = 2 * half, D = dims + extra;
        const [k1, k2] = keys(seed, 2);
        const [x, f] = made(() => [normal([B, H, T, D], k1!).astype(d), mx.exp(normal([half], k2!))] as const);
        const off = perBatch ? mx.add(mx.arange(BigInt(B)), BigInt(offset)) : BigInt(offset);
        const offArr = typeof off === 'bigint' ? mx.array(off, mx.int32) : off;
        const r = (v: mx.MxArray) => mx.fast.rope(v, dims, traditional, freqs ? null : 10000, scale, offArr, freqs ? f : null);
        const op = () => (inverse ? (mx.grad((v: mx.MxArray) => mx.sum(mx.multiply(r(v), x)))(x) as mx.MxArray) : r(x)).astype(mx.float32);
        const [ours, ref] = both(op);
        const xs = runOn('reference', () => x.astype(mx.float32), []).units as Float32Array;
        const u = bf ? 2 ** -8 : 2 ** -11;
        // a cos/sin whose float32 value ties across a libm ulp may round to the neighbouring half:
        // the products move by |x| 2 u, then the roundings
        within(`rope ${d.name} B${B} H${H} T${T} D${D}`, ours, ref, (i) => {
          const row = i - (i % D);
          let mx2 = 0;
          for (let j = 0; j < dims; j++) mx2 = Math.max(mx2, Math.abs(xs[row + j]!));
          return 4 * mx2 * u + 4 * u * Math.abs(ref[i]!) + 2 ** -24;
        });
        for (let i = 0; i < ref.length; i++) if (!Object.is(ours[i], ref[i])) differing++;
        total += ref.length;
      },
    ),
    { numRuns: runs(60) },
  );
  expect(differing, `${differing} of ${total} half results differ from the reference's`).toBeLessThanOrEqual(Math.ceil(total * 1e-3));
  const x = made(() => normal([2, 8, 256, 64], mx.random.key(12)).astype(mx.bfloat16));
  const [ours, ref] = both(() => mx.fast.rope(x, 64, false, 10000, 1, mx.array([3n, 700n])).astype(mx.float32));
  within('rope bfloat16 threads', ours, ref, (i) => 8 * 2 ** -8 * Math.max(1, Math.abs(ref[i]!)));
  expect(stats('RoPE').wasm).toBeGreaterThan(before);
});

test('cross entropy float32: the WASM kernel against the reference (exp and log within a float32 ulp), targets checked', () => {
  const before = stats('CrossEntropy').wasm;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom(1, 10, 80), fc.boolean(), fc.nat(), (rows, C, scale, special, seed) => {
      tally.cases++;
      const [k1, k2] = keys(seed, 2);
      const [x, y] = made(() => {
        let x = normal([rows, C], k1!, scale);
        if (special && C > 2) x = mx.where(mx.equal(mx.arange(C), 1), Infinity, mx.where(mx.equal(mx.arange(C), 2), -Infinity, x));
        // negative targets count from the end
        const y = mx.subtract(mx.random.randint(0n, BigInt(C), [rows], mx.int32, k2!), mx.multiply(mx.array(BigInt(C), mx.int32), mx.random.randint(0n, 2n, [rows], mx.int32, k2!)));
        return [x, y] as const;
      });
      const [ours, ref] = both(() => mx.fast.crossEntropy(x, y));
      // lse moves by at most 2^-23 (exps 1 ulp) + 1 ulp (log) + 1 ulp (rounding): 4 ulps of max(1, |lse|, |x_y|)
      within(`cross entropy ${rows}x${C}`, ours, ref, (i) => 4 * ulp32(Math.max(1, Math.abs(ref[i]!), scale * 8)));
    }),
    { numRuns: runs(60) },
  );
  const [x, y] = made(() => [normal([512, 1000], mx.random.key(4), 5), mx.random.randint(0n, 1000n, [512], mx.int32, mx.random.key(5))] as const);
  const [ours, ref] = both(() => mx.fast.crossEntropy(x, y));
  within('cross entropy threads', ours, ref, (i) => 4 * ulp32(Math.max(1, Math.abs(ref[i]!), 40)));
  expect(stats('CrossEntropy').wasm).toBeGreaterThan(before);
  // an out-of-range target: the reference's RangeError on both backends
  for (const b of ['wasm', 'reference']) expect(() => runOn(b, () => mx.fast.crossEntropy(mx.zeros([2, 3]), mx.array([0, 3], mx.int32)), [])).toThrow(/target 3 is out of bounds for 3 classes/);
});

test('the WASM backend fuses RoPE in float32 and the half dtypes, the Hadamard transform in float32 only', () => {
  expect(wasm.fuses('RoPE', mx.float32)).toBe(true);
  expect(wasm.fuses('Hadamard', mx.float32)).toBe(true);
  expect(wasm.fuses('RoPE', mx.float16)).toBe(true);
  expect(wasm.fuses('RoPE', mx.bfloat16)).toBe(true);
  expect(wasm.fuses('RoPE', mx.float64)).toBe(false);
  expect(wasm.fuses('Hadamard', mx.bfloat16)).toBe(false);
});
