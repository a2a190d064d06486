// Sort, argsort, partition and argpartition on the GPU against the reference: stable order with
// NaN last, -0 and 0 kept in their order, every axis, strided inputs, every GPU dtype.
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray;
const check = (op: AnyOp, inputs: ArraySpec[], label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], label });

const dtypes = [mx.float32, mx.int32, mx.uint32, mx.int16, mx.uint16, mx.int8, mx.uint8, mx.bool];
function input(d: mx.Dtype, seed: number, k: number): ArraySpec {
  const r = rng(seed);
  const sp = [NaN, -0, 0, Infinity, -Infinity];
  const gen = (i: number): number =>
    d === mx.float32
      ? i % 7 === 2
        ? sp[i % 5]!
        : Math.floor(r() * 9) - 4 // ties
      : d === mx.bool
        ? (r() < 0.5 ? 1 : 0)
        : i % 5 === 0
          ? Math.floor(r() * 2 ** (8 * d.size)) - (d.name.startsWith('u') ? 0 : 2 ** (8 * d.size - 1))
          : Math.floor(r() * 7);
  const u = (n: number) => Array.from({ length: n }, (_, i) => gen(i));
  if (k === 0) return spec(d, [3, 4, 6], u(72));
  if (k === 1) return spec(d, [6, 4, 3], u(72), [{ kind: 'transpose', axes: [2, 1, 0] }]);
  return spec(d, [3, 4, 13], u(156), [{ kind: 'slice', start: [0, 0, 1], stop: [3, 4, 13], step: [1, 1, 2] }]);
}

describe.skipIf(noGpu)('webgpu sort', () => {
  it('sort and argsort along each axis, every dtype and layout', () => {
    for (const d of dtypes) {
      for (let k = 0; k < 3; k++) {
        for (const axis of [0, 1, 2, -1]) {
          if ((axis + 3 + k) % 2 === 1 && axis !== -1) continue; // keep the suite short on lavapipe
          check((a) => mx.sort(a, axis), [input(d, k + 1, k)], `sort ${d.name} layout ${k} axis ${axis}`);
          check((a) => mx.argsort(a, axis), [input(d, k + 1, k)], `argsort ${d.name} layout ${k} axis ${axis}`);
        }
      }
    }
  });

  it('partition and argpartition (a full stable sort, as the reference)', () => {
    for (const d of [mx.float32, mx.int8, mx.uint32]) {
      check((a) => mx.partition(a, 2, 2), [input(d, 7, 0)], `partition ${d.name}`);
      check((a) => mx.argpartition(a, 1, 0), [input(d, 8, 1)], `argpartition ${d.name}`);
    }
  });

  it('a longer line and the flattened sort', () => {
    const r = rng(11);
    const x = spec(mx.float32, [300], Array.from({ length: 300 }, () => Math.floor(r() * 50)));
    check((a) => mx.argsort(a), [x], 'argsort 300');
    check((a) => mx.sort(a, null), [input(mx.int16, 12, 1)], 'sort flattened');
  });
});
