// Sort, argsort, partition and argpartition on the GPU against the reference: stable order with
// NaN last, -0 and 0 kept in their order, every axis, strided inputs, every GPU dtype.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';
import { BLOCK, sortStats } from '../src/sort.js';

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

  it('lines longer than a block: ranks within blocks, then merge passes; every order rule kept', () => {
    const r = rng(21);
    const sp = [NaN, -0, 0, Infinity, -Infinity];
    const floats = (n: number) => Array.from({ length: n }, (_, i) => (i % 11 === 3 ? sp[i % 5]! : Math.floor(r() * 40) - 20));
    const before = sortStats.mergePasses;
    for (const n of [BLOCK + 1, 2 * BLOCK, 1000]) {
      const x = spec(mx.float32, [2, n], floats(2 * n));
      check((a) => mx.sort(a, 1), [x], `sort float32, lines of ${n}`);
      check((a) => mx.argsort(a, 1), [x], `argsort float32, lines of ${n} (stable: ties by position)`);
    }
    // along the first axis (elements `inner` apart), strided
    const t = spec(mx.float32, [700, 3], floats(2100), [{ kind: 'transpose', axes: [1, 0] }]);
    check((a) => mx.argsort(a, 1), [t], 'argsort of a transposed [3, 700] along its lines');
    check((a) => mx.sort(a, 0), [spec(mx.float32, [600, 2], floats(1200))], 'sort along axis 0 of [600, 2]');
    // other dtypes: 8-byte keys (int64, complex64), halves, sub-word integers, bool
    const ints = (n: number, lo: number, span: number) => Array.from({ length: n }, () => Math.floor(r() * span) + lo);
    check((a) => mx.sort(a), [spec(mx.int64, [700], ints(700, -50, 100).map((v) => BigInt(v) * 3000000000n))], 'sort int64');
    check((a) => mx.argsort(a), [spec(mx.int64, [700], ints(700, -5, 10).map(BigInt))], 'argsort int64 with ties');
    const c = spec(mx.complex64, [520], Array.from({ length: 1040 }, (_, i) => (i % 13 === 0 ? NaN : Math.floor(r() * 6) - 3)));
    check((a) => mx.sort(a), [c], 'sort complex64 (real, then imaginary, NaN last)');
    check((a) => mx.sort(a), [spec(mx.float16, [530], ints(530, -8, 16).map((v) => [0x3c00, 0xbc00, 0x0000, 0x8000, 0x7e00, 0x4000, 0xc000, 0x3800][(v + 8) % 8]!))], 'sort float16');
    check((a) => mx.argsort(a), [spec(mx.uint8, [3000], ints(3000, 0, 256))], 'argsort uint8, 3000');
    check((a) => mx.sort(a), [spec(mx.bool, [2049], ints(2049, 0, 2))], 'sort bool, 2049');
    check((a) => mx.argpartition(a, 100), [spec(mx.int32, [1500], ints(1500, -1000, 2000))], 'argpartition of 1500 (the full sort)');
    expect(sortStats.mergePasses - before).toBeGreaterThan(20);
  });
});
