// float16 and bfloat16 on the GPU against the reference: computed in f32 and rounded once to
// nearest even, by integer code or (float16 on adapters with shader-f16) by WGSL's f16
// conversion; the suite runs once per float16 path the adapter has (bfloat16, always emulated,
// once). Basic arithmetic is exact (f32 holds 2p + 2 bits of either half, so its rounding can't
// make the second one differ); functions are within 1 ulp of the half dtype; casts from every GPU
// dtype are exact, integers to bfloat16 included (rounded once from the integer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { gpuBackend, layouts, noGpu, rng, spec } from './gpu-helpers.js';
import { WebGPUBackend } from '../src/index.js';

type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], ulp = 0, label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], ulp, label });

/** storage units (bits) of a half dtype for a value, rounded as the reference stores it */
function halfUnits(d: mx.Dtype, values: number[]): number[] {
  return (mx.array(values, mx.float32).astype(d, mx.cpu).view(mx.uint16, mx.cpu).tolist() as number[]);
}
const specials = [NaN, Infinity, -Infinity, 0, -0, 65504, 65520, 1e-7, -6e-8, 3e-5, 1e38, -2.5];
function values(seed: number, scale: number): number[] {
  const r = rng(seed);
  return Array.from({ length: 12 }, (_, i) => (seed % 2 === 0 && i < specials.length ? specials[i]! : Math.fround((r() - 0.5) * 2 * scale)));
}
const f32Bits = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0]!;
const halfValue = (h: number): number => (h >> 10 ? (1 + (h & 0x3ff) / 1024) * 2 ** ((h >> 10) - 15) : h * 2 ** -24);
const fromF32Bits = (b: number): number => new Float32Array(new Uint32Array([b]).buffer)[0]!;

const hasF16 = gpuBackend?.adapter.features.includes('shader-f16') ?? false;
const paths = hasF16 ? (['native', 'emulated'] as const) : (['emulated'] as const);

for (const path of paths) describe.skipIf(noGpu)(`webgpu float16 (${path}) and bfloat16`, () => {
  // bfloat16 has no native path: it runs with the emulated float16 only
  const halves = path === 'native' ? [mx.float16] : [mx.float16, mx.bfloat16];
  let before: 'native' | 'emulated' = 'emulated';
  beforeAll(() => {
    before = gpuBackend!.f16;
    gpuBackend!.f16 = path;
  });
  afterAll(() => {
    gpuBackend!.f16 = before;
  });

  it('takes the path asked for: native f16 shaders only on the native path', () => {
    const be = gpuBackend!;
    expect(be.f16).toBe(path);
    if (path === 'native') expect(be.f16ProbeFailure).toBeNull();
    const shaders = (be.host as unknown as { shaders: Map<string, number> }).shaders;
    const seen = new Set(shaders.keys());
    // a float16 kernel not compiled before in this file: the sum of a float16 row as int16
    check((a) => mx.astype(mx.add(a, a), mx.int16), [spec(mx.float16, [5], [0x3c00, 0x3e00, 0x4100, 0x7bff, 0x0001])], 0, 'path');
    const added = [...shaders.keys()].filter((k) => !seen.has(k));
    expect(added.length).toBeGreaterThan(0);
    for (const k of added) expect(/^\d+\nenable f16;/.test(k)).toBe(path === 'native');
    expect(() => {
      be.f16 = 'fast' as 'native';
    }).toThrow(/expected 'native' or 'emulated'/);
  });

  it('every float16 to float32, and float32 at, around and between every two float16 neighbours to float16', () => {
    check((a) => mx.astype(a, mx.float32), [spec(mx.float16, [65536], Array.from({ length: 65536 }, (_, i) => i))], 0, 'float16 -> float32');
    const xs: number[] = [];
    for (let h = 0; h < 0x7c00; h++) {
      const sign = h % 2 ? -1 : 1;
      const b = f32Bits(sign * halfValue(h));
      // half values have 11 significant bits: the midpoint to the next one is an exact f32 (+0x1000 in its bits, above 2^-14)
      xs.push(fromF32Bits(b), fromF32Bits(b + 0x1000), fromF32Bits(b + 0xfff), fromF32Bits(b + 0x1001));
    }
    xs.push(65504, 65519.99, 65520, -65520, 1e9, 2 ** -25, -(2 ** -25), 3 * 2 ** -26, 2 ** -24 * 1.5, NaN, Infinity);
    check((a) => mx.astype(a, mx.float16), [spec(mx.float32, [xs.length], xs)], 0, 'float32 -> float16');
  });
  it('casts to and from every GPU dtype, any layout', () => {
    const all = [mx.float32, mx.bool, mx.int32, mx.uint32, mx.int16, mx.uint16, mx.int8, mx.uint8, ...halves];
    for (const h of halves) {
      const hv = halfUnits(h, values(2, 1e5));
      const x = layouts(h, (i) => hv[i % 12]!)[1]!;
      for (const to of all) check((a) => mx.astype(a, to), [x], 0, `${h.name} -> ${to.name}`);
      for (const from of all) {
        if (from === h) continue;
        const r = rng(3);
        const gen =
          from === mx.float32
            ? (i: number) => values(4, 7e4)[i % 12]!
            : from.kind === 'f'
              ? (i: number) => halfUnits(from, values(4, 100))[i % 12]!
              : from === mx.bool
                ? (i: number) => i % 2
                : (i: number) => (i % 3 === 0 ? [2 ** 24 + 3, 2 ** 31 - 1, 16777217 * 5, 65535][i % 4]! : Math.floor(r() * 300) - (from.name.startsWith('u') ? 0 : 150));
        const mask = from.kind === 'f' || from === mx.bool ? (v: number) => v : (v: number) => (from.storage as unknown as { from(a: number[]): ArrayLike<number> }).from([v])[0]!; // wrapped as stored
        check((a) => mx.astype(a, h), [layouts(from, (i) => mask(gen(i)))[2]!], 0, `${from.name} -> ${h.name}`);
      }
    }
  });

  it('arithmetic exact, functions within 1 ulp, comparisons and where', () => {
    for (const h of halves) {
      const a = layouts(h, (i) => halfUnits(h, values(6, 300))[i % 12]!);
      const b = layouts(h, (i) => halfUnits(h, values(7, 30))[i % 12]!);
      for (const f of [mx.add, mx.subtract, mx.multiply, mx.divide, mx.maximum, mx.minimum, mx.floorDivide, mx.remainder, mx.less, mx.equal]) {
        check(f, [a[0]!, b[1]!], 0, `${f.name} ${h.name}`);
      }
      for (const f of [mx.abs, mx.negative, mx.square, mx.sqrt, mx.floor, mx.round, mx.isnan, mx.isinf]) check(f, [a[1]!], 0, `${h.name}`);
      for (const f of [mx.exp, mx.log, mx.sin, mx.tanh, mx.sigmoid, mx.log1p, mx.expm1, mx.cos, mx.arctan, mx.erf, mx.rsqrt]) {
        check(f, [layouts(h, (i) => halfUnits(h, values(9, 4))[i % 12]!)[0]!], 1, `${f.name} ${h.name}`);
      }
      for (const f of [mx.power, mx.logaddexp, mx.arctan2]) check(f, [a[0]!, layouts(h, (i) => halfUnits(h, values(8, 3))[i % 12]!)[3]!], 1, `${f.name} ${h.name}`);
      check(mx.where, [layouts(mx.bool, (i) => i % 3 && 1)[3]!, a[2]!, b[0]!], 0, `where ${h.name}`);
    }
  });

  it('reductions, scans, sort, gather and matmul', () => {
    for (const h of halves) {
      const r = rng(10);
      const u = (n: number, scale: number) => halfUnits(h, Array.from({ length: n }, () => Math.fround((r() - 0.5) * scale)));
      const x = spec(h, [3, 4, 5], u(60, 8));
      check((a) => mx.sum(a, [1]), [x], 0, `sum ${h.name}`);
      check((a) => mx.max(a), [x], 0, `max ${h.name}`);
      check((a) => mx.prod(a, [0, 2]), [x], 0, `prod ${h.name}`);
      check((a) => mx.mean(a, [2]), [x], 0, `mean ${h.name}`);
      check((a) => mx.argmin(a, 2), [x], 0, `argmin ${h.name}`);
      check((a) => mx.cumsum(a, 2), [x], 0, `cumsum ${h.name}`);
      check((a) => mx.cumprod(a, 0, true), [x], 0, `cumprod ${h.name}`);
      check((a) => mx.sort(a, 1), [x], 0, `sort ${h.name}`);
      check((a, i) => mx.take(a, i, 2), [x, spec(mx.int32, [3], [4, -1, 0])], 0, `take ${h.name}`);
      check(mx.matmul, [spec(h, [5, 7], u(35, 4)), spec(h, [7, 3], u(21, 4))], 0, `matmul ${h.name}`);
      const bt = spec(h, [2, 3, 7], u(42, 4), [{ kind: 'transpose', axes: [0, 2, 1] }]);
      check(mx.matmul, [spec(h, [2, 5, 7], u(70, 4)), bt], 0, `batched matmul, transposed b ${h.name}`);
      check((c, a, b) => mx.addmm(c, a, b, 0.5, 2), [spec(h, [1, 3], u(3, 4)), spec(h, [5, 7], u(35, 4)), spec(h, [7, 3], u(21, 4))], 0, `addmm ${h.name}`);
    }
  });
});

describe.skipIf(noGpu)('webgpu float16 option', () => {
  it('registerWebGPU({ features: { f16: false } }) keeps float16 emulated on an adapter with shader-f16', () => {
    const be = new WebGPUBackend({ features: { f16: false } });
    expect(be.adapter.features.includes('shader-f16')).toBe(hasF16);
    expect(be.f16).toBe('emulated');
    expect(be.f16ProbeFailure).toBeUndefined(); // never probed: nothing asked for the native path
  });
});

describe.skipIf(noGpu)('webgpu float16 where reads cannot block', () => {
  it('probes the native path at the async start', async () => {
    const be = await WebGPUBackend.create({ blocking: false });
    expect(be.syncReadable).toBe(false);
    expect(be.f16ProbeFailure).toBe(hasF16 ? null : undefined);
    expect(be.f16).toBe(hasF16 ? 'native' : 'emulated');
  });
});
