// Reductions and arg-reductions on the GPU against the reference backend, over any axes of
// strided/broadcast inputs, every GPU dtype. Float sums and products use a float-float
// accumulator: they agree with the reference's double accumulation (exactly on these inputs;
// the stated bound is 1 ulp at near-ties).
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';
import { splitStats } from '../src/reduce.js';

type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], ulp = 0, label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], ulp, label });

/** [3, 4, 5] in four layouts: contiguous, transposed, strided slice at an offset, broadcast. */
function layouts3(dtype: mx.Dtype, gen: (i: number) => number): ArraySpec[] {
  const u = (n: number) => Array.from({ length: n }, (_, i) => gen(i));
  return [
    spec(dtype, [3, 4, 5], u(60)),
    spec(dtype, [5, 4, 3], u(60), [{ kind: 'transpose', axes: [2, 1, 0] }]),
    spec(dtype, [3, 4, 11], u(132), [{ kind: 'slice', start: [0, 0, 1], stop: [3, 4, 11], step: [1, 1, 2] }]),
    spec(dtype, [1, 4, 5], u(20), [{ kind: 'broadcast', shape: [3, 4, 5] }]),
  ];
}
const axesCases: (number[] | undefined)[] = [undefined, [0], [1], [2], [0, 2], [1, 2]];

function values(dtype: mx.Dtype, seed: number, specials = false): (i: number) => number {
  const r = rng(seed);
  const sp = [NaN, Infinity, -Infinity, -0];
  if (dtype === mx.float32) return (i) => (specials && i % 17 === 3 ? sp[(i >> 4) % 4]! : Math.fround((r() - 0.5) * (r() < 0.3 ? 1e4 : 3)));
  if (dtype === mx.bool) return () => (r() < 0.7 ? 1 : 0);
  const span = dtype.size === 1 ? 256 : dtype.size === 2 ? 65536 : 2 ** 32;
  const lo = dtype.name.startsWith('u') ? 0 : -span / 2;
  return (i) => (i % 4 === 0 ? lo + Math.floor(r() * span) : Math.floor(r() * 7) - (lo < 0 ? 3 : 0));
}
const dtypes = [mx.float32, mx.int32, mx.uint32, mx.int16, mx.uint16, mx.int8, mx.uint8, mx.bool];

describe.skipIf(noGpu)('webgpu reductions', () => {
  it('sum, prod, max, min over any axes, every dtype and layout', () => {
    const ops: [string, AnyOp][] = [
      ['sum', (x, ax) => mx.sum(x, ax)],
      ['prod', (x, ax) => mx.prod(x, ax)],
      ['max', (x, ax) => mx.max(x, ax)],
      ['min', (x, ax) => mx.min(x, ax)],
    ];
    for (const d of dtypes) {
      const xs = layouts3(d, values(d, 1));
      for (const [name, f] of ops) {
        xs.forEach((x, k) => {
          const axes = axesCases[(k * 2 + name.length) % axesCases.length];
          check((a) => f(a, axes), [x], 0, `${name} ${d.name} layout ${k} axes ${axes}`);
        });
      }
    }
  });

  it('NaN and infinities propagate as in the reference (max/min keep NaN, sums give NaN/inf)', () => {
    for (const x of layouts3(mx.float32, values(mx.float32, 2, true))) {
      for (const axes of [undefined, [1], [0, 2]]) {
        check((a) => mx.max(a, axes), [x], 0, 'max');
        check((a) => mx.min(a, axes), [x], 0, 'min');
        check((a) => mx.sum(a, axes), [x], 0, 'sum');
      }
    }
  });

  it('all and any over any axes, every dtype (NaN counts as true)', () => {
    for (const d of dtypes) {
      const gen = d === mx.float32 ? (i: number) => (i % 7 === 0 ? 0 : i % 11 === 0 ? NaN : i) : (i: number) => (i % 5 === 0 ? 0 : 1);
      layouts3(d, gen).forEach((x, k) => {
        const axes = axesCases[(k + 1) % axesCases.length];
        check((a) => mx.all(a, axes), [x], 0, `all ${d.name}`);
        check((a) => mx.any(a, axes), [x], 0, `any ${d.name}`);
      });
    }
  });

  it('a long reduction (striding over 64 invocations) and many outputs', () => {
    const r = rng(9);
    const big = spec(mx.float32, [3, 700], Array.from({ length: 2100 }, () => Math.fround((r() - 0.5) * 100)));
    check((a) => mx.sum(a, [1]), [big], 0, 'sum 700');
    check((a) => mx.sum(a), [big], 0, 'sum all');
    check((a) => mx.prod(mx.divide(a, 50), [1]), [big], 0, 'prod 700');
    check((a) => mx.max(a, [0]), [big], 0, 'max over 3, 700 outputs');
    const ints = spec(mx.int32, [2100], Array.from({ length: 2100 }, () => Math.floor(r() * 2 ** 32) - 2 ** 31));
    check((a) => mx.sum(a), [ints], 0, 'int32 sum wraps');
  });

  it('long lines into few outputs split among workgroups, then combined: the same results', () => {
    const r = rng(31);
    const before = splitStats.passes;
    const n = 40000; // about 10 workgroups a line
    const floats = Array.from({ length: n }, () => Math.fround((r() - 0.5) * 8));
    const x = spec(mx.float32, [n], floats);
    for (const op of [(a: mx.MxArray) => mx.sum(a), (a: mx.MxArray) => mx.max(a), (a: mx.MxArray) => mx.min(a), (a: mx.MxArray) => mx.mean(a)]) check(op, [x], 0, `${op} of ${n} float32`);
    check((a) => mx.prod(a), [spec(mx.float32, [9000], Array.from({ length: 9000 }, () => Math.fround(1 + (r() - 0.5) / 1000)))], 0, 'prod of 9000 near 1');
    // two outputs over 20000 each, along the first axis (strided)
    check((a) => mx.sum(a, 0), [spec(mx.float32, [20000, 2], floats)], 0, 'sum along axis 0 of [20000, 2]');
    // integers wrap; int64 pairs; bools; NaN in a late chunk
    const ints = Array.from({ length: 30000 }, () => Math.floor(r() * 2 ** 31));
    check((a) => mx.sum(a), [spec(mx.int32, [30000], ints)], 0, 'int32 sum (wraps)');
    check((a) => mx.max(a), [spec(mx.uint32, [30000], ints)], 0, 'uint32 max');
    check((a) => mx.sum(a), [spec(mx.int64, [12000], ints.slice(0, 12000).map((v) => BigInt(v) * 4000000000n))], 0, 'int64 sum');
    check((a) => mx.all(a), [spec(mx.bool, [20000], ints.slice(0, 20000).map((v, i) => (i === 17000 ? 0 : 1)))], 0, 'all of 20000, one false late');
    const withNaN = floats.slice();
    withNaN[33000] = NaN;
    check((a) => mx.max(a), [spec(mx.float32, [n], withNaN)], 0, 'max with a NaN in a late chunk');
    check((a) => mx.sum(a), [spec(mx.complex64, [9000], Array.from({ length: 18000 }, () => Math.fround(r() - 0.5)))], 0, 'complex64 sum');
    expect(splitStats.passes - before).toBeGreaterThanOrEqual(11);
  });

  it('argmax and argmin along each axis: ties to the first index, the first NaN wins', () => {
    for (const d of dtypes) {
      if (d === mx.bool) continue;
      const gen = d === mx.float32 ? (i: number) => (i % 13 === 5 ? NaN : (i * 7) % 5) : (i: number) => (i * 7) % 5;
      layouts3(d, gen).forEach((x) => {
        for (const axis of [0, 1, 2]) {
          check((a) => mx.argmax(a, axis), [x], 0, `argmax ${d.name} axis ${axis}`);
          check((a) => mx.argmin(a, axis, true), [x], 0, `argmin ${d.name} axis ${axis}`);
        }
      });
    }
    const r = rng(3);
    const long = spec(mx.float32, [2, 300], Array.from({ length: 600 }, () => Math.floor(r() * 50)));
    check((a) => mx.argmax(a, 1), [long], 0, 'argmax 300');
    check((a) => mx.argmin(a), [long], 0, 'argmin flat');
  });

  it('empty reductions give the identity', () => {
    const e = spec(mx.float32, [3, 0], []);
    check((a) => mx.sum(a, [1]), [e]);
    check((a) => mx.prod(a, [1]), [e]);
    check((a) => mx.all(a, [1]), [e]);
    check((a) => mx.any(a, [1]), [e]);
  });
});
