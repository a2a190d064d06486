// float16 and bfloat16 on the GPU against the reference: computed in f32 and rounded once to
// nearest even by integer code (no shader-f16 needed). Basic arithmetic is exact (f32 holds
// 2p + 2 bits of either half, so its rounding can't make the second one differ); functions are
// within 1 ulp of the half dtype; casts from every GPU dtype are exact, integers to bfloat16
// included (rounded once from the integer).
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng, spec } from './gpu-helpers.js';

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
const halves = [mx.float16, mx.bfloat16];

describe.skipIf(noGpu)('webgpu float16 and bfloat16', () => {
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
      for (const f of [mx.exp, mx.log, mx.sin, mx.tanh, mx.sigmoid]) check(f, [layouts(h, (i) => halfUnits(h, values(9, 4))[i % 12]!)[0]!], 1, `${h.name}`);
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
      check((a) => mx.argmin(a, 2), [x], 0, `argmin ${h.name}`);
      check((a) => mx.cumsum(a, 2), [x], 0, `cumsum ${h.name}`);
      check((a) => mx.cumprod(a, 0, true), [x], 0, `cumprod ${h.name}`);
      check((a) => mx.sort(a, 1), [x], 0, `sort ${h.name}`);
      check((a, i) => mx.take(a, i, 2), [x, spec(mx.int32, [3], [4, -1, 0])], 0, `take ${h.name}`);
      check(mx.matmul, [spec(h, [5, 7], u(35, 4)), spec(h, [7, 3], u(21, 4))], 0, `matmul ${h.name}`);
    }
  });
});
