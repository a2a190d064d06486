// int64 and uint64 on the GPU (pairs of 32-bit words) against the reference backend: exact,
// with values near ±2^63 and the 2^32 word boundary, negative divisions and wrapping.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng, spec } from './gpu-helpers.js';

const onGpu = ['reference', 'webgpu'] as const;
type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: onGpu, label });

const EDGES_I = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, 2n ** 32n - 1n, -(2n ** 32n), 2n ** 31n, -(2n ** 31n) - 1n, 12345678901234n, -98765432109n];
const EDGES_U = [0n, 1n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 32n, 2n ** 32n - 1n, 4294967297n, 12345678901234567n, 7n, 3n, 2n ** 53n + 1n];

/** int64/uint64 values: the edges, then a mix of full-width and small ones (small ones make divisions interesting). */
function big(dtype: mx.Dtype, seed: number): (i: number) => bigint {
  const r = rng(seed);
  const edges = dtype === mx.int64 ? EDGES_I : EDGES_U;
  const word = () => BigInt(Math.floor(r() * 2 ** 32));
  return (i) => {
    if (i < edges.length && seed % 2 === 0) return edges[i]!;
    if (i % 3 === 0) {
      const v = (word() << 32n) | word();
      return dtype === mx.int64 ? BigInt.asIntN(64, v) : v;
    }
    if (i % 3 === 1) return BigInt(Math.floor(r() * 2 ** 40)) * (dtype === mx.int64 && r() < 0.5 ? -1n : 1n);
    return BigInt(Math.floor(r() * 17)) - (dtype === mx.int64 ? 8n : 0n);
  };
}
const wide = [mx.int64, mx.uint64];

describe.skipIf(noGpu)('webgpu int64/uint64', () => {
  it('AsType to and from every GPU dtype, any layout', () => {
    const others = [mx.bool, mx.int8, mx.uint8, mx.int16, mx.uint16, mx.int32, mx.uint32, mx.float32, mx.float16, mx.bfloat16, mx.complex64];
    for (const from of wide) {
      for (const x of layouts(from, big(from, 2))) {
        for (const to of [...wide, ...others]) check((a) => mx.astype(a, to), [x], `${from.name} -> ${to.name}`);
        check((a) => mx.copy(a), [x], `copy ${from.name}`);
      }
    }
    // float -> int64: truncation, wrapping beyond 2^63/2^64, NaN/inf -> 0
    const fl = [0.5, -0.5, -1.5, 3.99, -3.99, 2 ** 40 + 1, -(2 ** 62), 2 ** 63, 2 ** 64, 3 * 2 ** 64, -(2 ** 70), 1e30, NaN, Infinity, -Infinity, 1e-30];
    const r = rng(3);
    const ints32 = (i: number) => (i % 2 ? -1 : 1) * Math.floor(r() * 2 ** 31);
    for (const to of wide) {
      check((a) => mx.astype(a, to), [spec(mx.float32, [16], fl.map(Math.fround))], `float32 -> ${to.name}`);
      check((a) => mx.astype(a, to), [spec(mx.float16, [4], [0.5, -2, 65504, -65504].map((v) => v))], `float16 -> ${to.name}`);
      for (const d of [mx.int32, mx.int8, mx.uint32, mx.bool]) check((a) => mx.astype(a, to), layouts(d, d === mx.bool ? (i) => i % 2 : ints32).slice(1, 2), `${d.name} -> ${to.name}`);
    }
    // int64 -> float rounds twice, as the reference (to the double, then to the float)
    const ties = [2n ** 53n + 1n, 2n ** 60n + 2n ** 36n + 1n, 2n ** 24n + 1n, 2n ** 24n + 3n, -(2n ** 40n) - 2n ** 16n, 2n ** 63n - 1n, 65519n, 65520n];
    for (const to of [mx.float32, mx.float16, mx.bfloat16]) check((a) => mx.astype(a, to), [spec(mx.int64, [8], ties)], `int64 ties -> ${to.name}`);
  });

  const unary: [string, (a: mx.MxArray) => mx.MxArray][] = [
    ['abs', mx.abs],
    ['negative', mx.negative],
    ['sign', mx.sign],
    ['square', mx.square],
    ['floor', mx.floor],
    ['logicalNot', mx.logicalNot],
    ['bitwiseInvert', mx.bitwiseInvert],
    ['isnan', mx.isnan],
    ['isfinite', mx.isfinite],
    ['real', mx.real],
    ['imag', mx.imag],
  ];
  it('unary ops', () => {
    for (const [name, f] of unary) for (const d of wide) for (const x of layouts(d, big(d, 4)).slice(0, 2)) check(f, [x], `${name} ${d.name}`);
  });

  const binary: [string, (a: mx.MxArray, b: mx.MxArray) => mx.MxArray | mx.MxArray[]][] = [
    ['add', mx.add],
    ['subtract', mx.subtract],
    ['multiply', mx.multiply],
    ['floorDivide', mx.floorDivide],
    ['remainder', mx.remainder],
    ['divmod', (a, b) => mx.divmod(a, b)],
    ['maximum', mx.maximum],
    ['minimum', mx.minimum],
    ['equal', mx.equal],
    ['notEqual', mx.notEqual],
    ['less', mx.less],
    ['lessEqual', mx.lessEqual],
    ['greater', mx.greater],
    ['greaterEqual', mx.greaterEqual],
    ['logicalAnd', mx.logicalAnd],
    ['logicalOr', mx.logicalOr],
    ['bitwiseAnd', mx.bitwiseAnd],
    ['bitwiseOr', mx.bitwiseOr],
    ['bitwiseXor', mx.bitwiseXor],
  ];
  it('binary ops (carries, 64-bit products, floor division with the divisor sign, x/0 = 0)', () => {
    for (const [name, f] of binary) {
      for (const d of wide) {
        const a = layouts(d, big(d, 6));
        const b = layouts(d, big(d, 7));
        check(f, [a[0]!, b[1]!], `${name} ${d.name}`);
        check(f, [a[2]!, b[3]!], `${name} ${d.name} (broadcast)`);
      }
    }
    // the signs of floor division and remainder, and INT64_MIN / -1 (wraps)
    const a = [-7n, 7n, -7n, 7n, -(2n ** 63n), -(2n ** 63n), 2n ** 63n - 1n, -(2n ** 40n) - 3n, 5n, -5n, 0n, -1n];
    const b = [2n, -2n, -2n, 2n, -1n, 3n, -(2n ** 33n), 2n ** 20n, 0n, 0n, -3n, 2n ** 63n - 1n];
    for (const f of [mx.floorDivide, mx.remainder]) check(f, [spec(mx.int64, [12], a), spec(mx.int64, [12], b)], 'signs');
  });

  it('shifts (counts masked to 64 bits) and power', () => {
    for (const d of wide) {
      const a = layouts(d, big(d, 8))[1]!;
      const r = rng(9);
      const counts = layouts(d, (i) => BigInt(i % 4 === 0 ? Math.floor(r() * 80) : Math.floor(r() * 64)))[0]!;
      check(mx.leftShift, [a, counts], `leftShift ${d.name}`);
      check(mx.rightShift, [a, counts], `rightShift ${d.name}`);
      const exps = layouts(d, (i) => BigInt(Math.floor(r() * 70)) - (d === mx.int64 && i % 5 === 0 ? 3n : 0n))[0]!;
      check(mx.power, [layouts(d, big(d, 10))[0]!, exps], `power ${d.name}`);
    }
  });

  it('where, and fused (compiled) chains', () => {
    for (const d of wide) {
      const c = layouts(mx.bool, (i) => (i * 7) % 3 === 0 ? 1 : 0);
      const x = layouts(d, big(d, 12));
      const y = layouts(d, big(d, 13));
      check((k, a, b) => mx.where(k, a, b), [c[3]!, x[1]!, y[2]!], `where ${d.name}`);
      const f = mx.compile((a: mx.MxArray, b: mx.MxArray) => mx.add(mx.multiply(a, b), mx.astype(mx.greater(a, b), d)));
      check((a, b) => f(a, b), [x[0]!, y[1]!], `compiled ${d.name}`);
    }
  });

  it('reductions: sum/prod wrap, max/min, and/or, argmax/argmin (ties to the first index)', () => {
    for (const d of wide) {
      for (const x of layouts(d, big(d, 14)).slice(0, 3)) {
        for (const axes of [[0], [1], [0, 1]]) {
          check((a) => mx.sum(a, axes), [x], `sum ${d.name} ${axes}`);
          check((a) => mx.prod(a, axes), [x], `prod ${d.name} ${axes}`);
          check((a) => mx.max(a, axes), [x], `max ${d.name} ${axes}`);
          check((a) => mx.min(a, axes), [x], `min ${d.name} ${axes}`);
          check((a) => mx.all(a, axes), [x], `all ${d.name} ${axes}`);
          check((a) => mx.any(a, axes), [x], `any ${d.name} ${axes}`);
        }
        check((a) => mx.argmax(a, 1), [x], `argmax ${d.name}`);
        check((a) => mx.argmin(a, 0), [x], `argmin ${d.name}`);
      }
      // ties and the 2^32 boundary: equal high words, different low words
      const t = [5n, 2n ** 32n + 1n, 2n ** 32n, 2n ** 32n + 1n, 4294967295n, 5n];
      check((a) => mx.argmax(a, 0), [spec(d, [6], t)], `argmax ties ${d.name}`);
      check((a) => mx.argmin(a, 0), [spec(d, [6], t)], `argmin ties ${d.name}`);
      check((a) => mx.prod(a, 0), [spec(d, [0, 3], [])], `empty prod ${d.name}`);
    }
    check((a) => mx.sum(a), [spec(mx.int32, [5], [2147483647, 1, -5, 7, 2147483647])], 'int32 sum stays int32');
  });

  it('scans: cumsum/cumprod/cummax/cummin, forward/reverse, inclusive/exclusive', () => {
    for (const d of wide) {
      const x = layouts(d, big(d, 16))[1]!;
      for (const reverse of [false, true]) {
        for (const inclusive of [true, false]) {
          check((a) => mx.cumsum(a, 1, reverse, inclusive), [x], `cumsum ${d.name}`);
          check((a) => mx.cumprod(a, 0, reverse, inclusive), [x], `cumprod ${d.name}`);
          check((a) => mx.cummax(a, 1, reverse, inclusive), [x], `cummax ${d.name}`);
          check((a) => mx.cummin(a, 0, reverse, inclusive), [x], `cummin ${d.name}`);
        }
      }
    }
  });

  it('sort family', () => {
    for (const d of wide) {
      for (const x of layouts(d, big(d, 18)).slice(0, 3)) {
        check((a) => mx.sort(a, 1), [x], `sort ${d.name}`);
        check((a) => mx.argsort(a, 0), [x], `argsort ${d.name}`);
        check((a) => mx.partition(a, 1, 1), [x], `partition ${d.name}`);
        check((a) => mx.argpartition(a, 2, 1), [x], `argpartition ${d.name}`);
      }
    }
  });

  it('gathers, scatters, concatenation, arange (and int64 indices)', () => {
    for (const d of wide) {
      const [x, xt, xs] = layouts(d, big(d, 20));
      for (const id of [mx.int32, mx.int64, mx.uint64]) {
        const idx = spec(id, [5], [2, 0, 1, 2, 0].map(BigInt).map((v) => (id === mx.int32 ? Number(v) : v)));
        check((a, i) => mx.take(a, i, 0), [xt!, idx], `take ${d.name} ${id.name}`);
        check((a, i) => mx.take(a, i, 1), [xs!, idx], `take axis 1 ${d.name} ${id.name}`);
      }
      const ia = spec(mx.int32, [3, 2], [3, 0, -1, 2, 1, 1]);
      check((a, i) => mx.takeAlongAxis(a, i, 1), [x!, ia], `takeAlongAxis ${d.name}`);
      const upd = spec(d, [3, 2], [5n, 2n ** 40n, 7n, 2n ** 63n - 1n, 1n, 3n].map((v) => (d === mx.int64 ? BigInt.asIntN(64, v) : v)));
      check((a, i, u) => mx.putAlongAxis(a, i, u, 1), [xt!, ia, upd], `putAlongAxis ${d.name}`);
      check((a, b) => mx.concatenate([a, b], 1), [x!, xs!], `concatenate ${d.name}`);
      check((a, b) => mx.concatenate([a, b], 0), [xt!, x!], `concatenate axis 0 ${d.name}`);
      // scatter and its reductions (at[].add and friends): flat positions, repeated ones
      const pos = spec(mx.int64, [4], [1n, 2n, 1n, -1n]);
      const u = spec(d, [4, 4], Array.from({ length: 16 }, (_, i) => big(d, 22)(i)));
      check((a, p, v) => a.at(p).add(v), [x!, pos, u], `at.add ${d.name}`);
      check((a, p, v) => a.at(p).multiply(v), [x!, pos, u], `at.multiply ${d.name}`);
      check((a, p, v) => a.at(p).maximum(v), [x!, pos, u], `at.maximum ${d.name}`);
      check((a, p, v) => a.at(p).minimum(v), [x!, pos, u], `at.minimum ${d.name}`);
      check(() => mx.arange(-3, 40, 7, d), [], `arange ${d.name}`);
      // boolean-mask indexPut_ (MaskedScatter): elements, then whole rows
      const mask = spec(mx.bool, [3, 4], [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1]);
      check((a, k, v) => a.indexPut_(k, v), [xt!, mask, spec(d, [5], [0, 1, 2, 3, 4].map((i) => big(d, 24)(i)))], `mask ${d.name}`);
      check((a, k, v) => a.indexPut_(k, v), [x!, spec(mx.bool, [3], [0, 1, 1]), spec(d, [2, 4], Array.from({ length: 8 }, (_, i) => big(d, 26)(i)))], `row mask ${d.name}`);
    }
    check(() => mx.arange(2 ** 40, 2 ** 40 + 3e12, 1e12, mx.int64), [], 'arange beyond 32 bits');
  });

  it('an int64 index out of range raises on the next read (values beyond 32 bits reported saturated)', () => {
    const x = mx.array([1n, 2n, 3n], mx.int64);
    expect(() => mx.take(x, mx.array([0n, 5n], mx.int64), 0, mx.gpu).tolist()).toThrow('[gather] index 5 is out of bounds for axis 0 with size 3.');
    expect(() => mx.take(x, mx.array([-4n], mx.int64), 0, mx.gpu).tolist()).toThrow('[gather] index -4 is out of bounds for axis 0 with size 3.');
    expect(() => mx.take(x, mx.array([2n ** 40n], mx.uint64), 0, mx.gpu).tolist()).toThrow('[gather] index 4294967295 is out of bounds for axis 0 with size 3.');
  });
});
