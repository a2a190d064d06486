// Scans on the GPU against the reference: every scan type, axis, direction and inclusiveness,
// strided inputs, every GPU dtype. The running value is rounded at every step on both sides, so
// sums, products, max and min are exact; logcumsumexp is within 4 ulp.
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray;
const check = (op: AnyOp, inputs: ArraySpec[], ulp = 0, label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], ulp, label });

function input(dtype: mx.Dtype, seed: number, k: number): ArraySpec {
  const r = rng(seed);
  const gen = (): number =>
    dtype === mx.float32
      ? Math.fround((r() - 0.5) * 4)
      : dtype === mx.bool
        ? (r() < 0.8 ? 1 : 0)
        : Math.floor(r() * (dtype.name.startsWith('u') ? 9 : 17)) - (dtype.name.startsWith('u') ? 0 : 8);
  const u = (n: number) => Array.from({ length: n }, gen);
  // [3, 4, 5]: contiguous, transposed, or sliced at an offset
  if (k === 0) return spec(dtype, [3, 4, 5], u(60));
  if (k === 1) return spec(dtype, [5, 4, 3], u(60), [{ kind: 'transpose', axes: [2, 1, 0] }]);
  return spec(dtype, [3, 4, 11], u(132), [{ kind: 'slice', start: [0, 0, 1], stop: [3, 4, 11], step: [1, 1, 2] }]);
}
const dtypes = [mx.float32, mx.int32, mx.uint32, mx.int16, mx.uint8, mx.int8, mx.bool];

describe.skipIf(noGpu)('webgpu scans', () => {
  it('cumsum, cumprod, cummax, cummin: every axis, reverse, exclusive, dtype and layout', () => {
    const ops: [string, AnyOp][] = [
      ['cumsum', mx.cumsum],
      ['cumprod', mx.cumprod],
      ['cummax', mx.cummax],
      ['cummin', mx.cummin],
    ];
    for (const d of dtypes) {
      for (const [name, f] of ops) {
        for (let k = 0; k < 3; k++) {
          const axis = (k + name.length) % 3;
          const reverse = k === 1;
          const inclusive = k !== 2;
          check((a) => f(a, axis, reverse, inclusive), [input(d, 3 * k + name.length, k)], 0, `${name} ${d.name} axis ${axis} rev ${reverse} incl ${inclusive}`);
        }
      }
    }
  });

  it('NaN stays in cummax/cummin; a long line', () => {
    const x = spec(mx.float32, [2, 6], [1, NaN, 3, 0, 5, -1, -Infinity, 2, NaN, 4, Infinity, 0]);
    check((a) => mx.cummax(a, 1), [x]);
    check((a) => mx.cummin(a, 1, true), [x]);
    check((a) => mx.cumsum(a, 1), [x]);
    const r = rng(5);
    const long = spec(mx.float32, [500], Array.from({ length: 500 }, () => Math.fround(r() * 2 - 1)));
    check((a) => mx.cumsum(a), [long], 0, 'cumsum 500');
  });

  it('logcumsumexp within 4 ulp', () => {
    const r = rng(8);
    const x = spec(mx.float32, [4, 9], Array.from({ length: 36 }, (_, i) => (i === 5 ? -Infinity : Math.fround((r() - 0.5) * 20))));
    check((a) => mx.logcumsumexp(a, 1), [x], 4, 'logcumsumexp');
    check((a) => mx.logcumsumexp(a, 0, true), [x], 4, 'logcumsumexp reverse');
  });
});
