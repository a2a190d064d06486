// complex64 on the GPU (vec2<f32>) against the reference backend. Data movement, casts, add,
// subtract, negation, conjugation, comparisons and sums are exact; the reference computes the
// rest in double and rounds once, the GPU in f32 (products' errors recovered by fma), within the
// ulps stated per op (per real/imaginary part).
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng, spec } from './gpu-helpers.js';

const onGpu = ['reference', 'webgpu'] as const;
type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], ulp = 0, label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: onGpu, ulp, label });

/** Complex values (two float32 lanes each) in four layouts of shape [3, 4], as gpu-helpers' layouts. */
function clayouts(gen: (i: number) => number): ArraySpec[] {
  const units = (n: number) => Array.from({ length: 2 * n }, (_, i) => Math.fround(gen(i)));
  return [
    spec(mx.complex64, [3, 4], units(12)),
    spec(mx.complex64, [4, 3], units(12), [{ kind: 'transpose', axes: [1, 0] }]),
    spec(mx.complex64, [3, 9], units(27), [{ kind: 'slice', start: [0, 1], stop: [3, 9], step: [1, 2] }]),
    spec(mx.complex64, [1, 4], units(4), [{ kind: 'broadcast', shape: [3, 4] }]),
  ];
}
function vals(seed: number, scale = 10): (i: number) => number {
  const r = rng(seed);
  return () => (r() - 0.5) * 2 * scale;
}
const SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN, 0.5, 3, -2, 1e-3, 1e30];
/** pairs of special values (every combination over the first units), then random values */
function specials(seed: number): (i: number) => number {
  const r = vals(seed);
  return (i) => (i < 24 ? SPECIAL[(seed + i * 5) % SPECIAL.length]! : r(i));
}

describe.skipIf(noGpu)('webgpu complex64', () => {
  it('AsType to and from complex64 (complex -> real takes the real part; -> bool either part), copies', () => {
    for (const x of clayouts(specials(1))) {
      for (const to of [mx.float32, mx.float16, mx.bfloat16, mx.int32, mx.uint8, mx.bool, mx.int64, mx.complex64]) check((a) => mx.astype(a, to), [x], 0, `complex64 -> ${to.name}`);
      check((a) => mx.copy(a), [x], 0, 'copy');
    }
    const r = rng(2);
    for (const from of [mx.float32, mx.int32, mx.uint32, mx.int8, mx.bool, mx.float16]) {
      const gen = (i: number) => (from === mx.bool ? i % 2 : from === mx.float16 ? [0x3c00, 0x7c00, 0xbc01, 0x0001][i % 4]! : from === mx.uint32 ? Math.floor(r() * 2 ** 32) : Math.floor((r() - 0.5) * 200));
      for (const x of layouts(from, gen).slice(0, 2)) check((a) => mx.astype(a, mx.complex64), [x], 0, `${from.name} -> complex64`);
    }
  });

  const exact: [string, (a: mx.MxArray) => mx.MxArray][] = [
    ['negative', mx.negative],
    ['conjugate', mx.conjugate],
    ['real', mx.real],
    ['imag', mx.imag],
    ['round', (a) => mx.round(a)],
    ['isnan', mx.isnan],
    ['isinf', mx.isinf],
    ['isposinf', mx.isposinf],
    ['isneginf', mx.isneginf],
    ['isfinite', mx.isfinite],
    ['logicalNot', mx.logicalNot],
    ['stopGradient', mx.stopGradient],
  ];
  it('exact unary ops, specials included', () => {
    for (const [name, f] of exact) for (const x of clayouts(specials(3)).slice(0, 3)) check(f, [x], 0, name);
  });

  // [name, op, ulp bound per part, value scale]
  const unary: [string, (a: mx.MxArray) => mx.MxArray, number, number][] = [
    ['abs', mx.abs, 1, 100],
    ['square', mx.square, 2, 100],
    ['sign', mx.sign, 4, 100],
    ['reciprocal', mx.reciprocal, 4, 100],
    ['sqrt', mx.sqrt, 4, 100],
    ['rsqrt', mx.rsqrt, 8, 100],
    ['exp', mx.exp, 8, 5],
    ['log', mx.log, 8, 100],
    ['log2', mx.log2, 8, 100],
    ['log10', mx.log10, 8, 100],
    ['sin', mx.sin, 16, 3],
    ['cos', mx.cos, 16, 3],
    ['tan', mx.tan, 32, 1.5],
    ['sinh', mx.sinh, 16, 3],
    ['cosh', mx.cosh, 16, 3],
    ['tanh', mx.tanh, 32, 1.5],
    ['log1p', mx.log1p, 8, 2],
    ['arcsin', mx.arcsin, 16, 2],
    ['arccos', mx.arccos, 16, 2],
    ['arctan', mx.arctan, 16, 2],
    ['arcsinh', mx.arcsinh, 16, 2],
    ['arccosh', mx.arccosh, 16, 2],
    ['arctanh', mx.arctanh, 16, 2],
  ];
  it('complex functions within their ulp bounds', () => {
    for (const [name, f, ulp, scale] of unary) {
      for (const x of clayouts(vals(5, scale)).slice(0, 2)) check(f, [x], ulp, name);
    }
  });

  it('special values (infinities, NaN, zeros) through multiply, divide, abs, sqrt, exp', () => {
    const a = clayouts(specials(6));
    const b = clayouts(specials(7));
    check(mx.multiply, [a[0]!, b[1]!], 2, 'multiply');
    check(mx.divide, [a[0]!, b[1]!], 4, 'divide');
    check(mx.abs, [a[2]!], 1, 'abs');
    check(mx.sqrt, [a[0]!], 4, 'sqrt');
    check(mx.exp, [spec(mx.complex64, [6], [Infinity, 0, -Infinity, 1, Infinity, NaN, NaN, 0, 0, Infinity, -Infinity, Infinity])], 8, 'exp');
    // 1 / (0 + 0i) is inf + nan i (Annex G), inf * (1 + 0i) keeps the infinity
    check(mx.divide, [spec(mx.complex64, [2], [1, 0, Infinity, 1]), spec(mx.complex64, [2], [0, 0, 2, 0])], 0, 'annex G');
  });

  const binary: [string, (a: mx.MxArray, b: mx.MxArray) => mx.MxArray, number][] = [
    ['add', mx.add, 0],
    ['subtract', mx.subtract, 0],
    ['multiply', mx.multiply, 2],
    ['divide', mx.divide, 4],
    ['floorDivide', mx.floorDivide, 4],
    ['power', mx.power, 64],
    ['logaddexp', mx.logaddexp, 8],
    ['maximum', mx.maximum, 0],
    ['minimum', mx.minimum, 0],
    ['equal', mx.equal, 0],
    ['notEqual', mx.notEqual, 0],
    ['less', mx.less, 0],
    ['lessEqual', mx.lessEqual, 0],
    ['greater', mx.greater, 0],
    ['greaterEqual', mx.greaterEqual, 0],
  ];
  it('binary ops, mixed layouts and broadcasts', () => {
    for (const [name, f, ulp] of binary) {
      const scale = name === 'power' ? 2 : name === 'logaddexp' ? 5 : 50;
      const a = clayouts(vals(8, scale));
      const b = clayouts(vals(9, scale));
      check(f, [a[0]!, b[1]!], ulp, name);
      check(f, [a[2]!, b[3]!], ulp, `${name} (broadcast)`);
    }
    // ties on the real part order by the imaginary part
    const t = spec(mx.complex64, [4], [1, 2, 1, 3, NaN, 0, 2, 0]);
    const u = spec(mx.complex64, [4], [1, 3, 1, 3, 1, 0, 2, -0]);
    for (const [name, f] of binary.slice(6)) check(f, [t, u], 0, `${name} ties`);
    // arrayEqual with NaNs equal, per part
    check((a, b) => mx.arrayEqual(a, b, true), [t, t], 0, 'arrayEqual');
  });

  it('where, reductions (sum exact, prod within 2 ulp), data movement', () => {
    const [x, xt, xs, xb] = clayouts(vals(10));
    check((c, a, b) => mx.where(c, a, b), [layouts(mx.bool, (i) => i % 3 === 0 ? 1 : 0)[1]!, x!, xb!], 0, 'where');
    for (const axes of [[0], [1], [0, 1]]) {
      check((a) => mx.sum(a, axes), [xt!], 0, `sum ${axes}`);
      check((a) => mx.prod(a, axes), [xs!], 2, `prod ${axes}`);
      check((a) => mx.all(a, axes), [x!], 0, `all ${axes}`);
      check((a) => mx.any(a, axes), [xs!], 0, `any ${axes}`);
    }
    check((a) => mx.cumsum(a, 1), [xt!], 0, 'cumsum');
    // max/min, argmax/argmin, cummax/cummin: the reference's lexicographic, order-dependent rules
    // (NaN parts and ties on the real part included)
    const ties = spec(mx.complex64, [3, 4], [1, 2, 1, NaN, 1, 3, NaN, 0, 2, 0, 2, -1, -Infinity, 0, 2, 0, 1, 1, 1, 1, 0, 0, 5, NaN]);
    for (const t of [x!, ties]) {
      for (const axes of [[0], [1], [0, 1]]) {
        check((a) => mx.max(a, axes), [t], 0, `max ${axes}`);
        check((a) => mx.min(a, axes), [t], 0, `min ${axes}`);
      }
      check((a) => mx.argmax(a, 1), [t], 0, 'argmax');
      check((a) => mx.argmin(a, 0), [t], 0, 'argmin');
      for (const reverse of [false, true]) {
        check((a) => mx.cummax(a, 1, reverse), [t], 0, 'cummax');
        check((a) => mx.cummin(a, 0, reverse, false), [t], 0, 'cummin');
      }
    }
    check((a) => mx.logcumsumexp(a, 1), [clayouts(vals(19, 3))[0]!], 8, 'logcumsumexp');
    check((a) => mx.cumprod(a, 0), [x!], 8, 'cumprod (the running value rounds at every step: differences grow)');
    check((a) => mx.sort(a, 1), [clayouts(specials(11))[1]!], 0, 'sort (NaN last, real then imaginary)');
    check((a) => mx.argsort(a, 0), [clayouts(specials(12))[0]!], 0, 'argsort');
    const idx = spec(mx.int32, [4], [2, 0, -1, 1]);
    check((a, i) => mx.take(a, i, 1), [xt!, idx], 0, 'take');
    check((a, b) => mx.concatenate([a, b], 0), [xs!, xb!], 0, 'concatenate');
    check((a, k, v) => a.indexPut_(k, v), [xs!, spec(mx.bool, [3, 4], [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1]), spec(mx.complex64, [5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])], 0, 'masked indexPut_');
    check((a, i, u) => a.at(i).add(u), [x!, spec(mx.int32, [3], [0, 2, 0]), clayouts(vals(13))[0]!], 0, 'at.add');
    check((a, i, u) => a.at(i).multiply(u), [x!, spec(mx.int32, [3], [1, 2, 0]), clayouts(vals(18))[0]!], 1, 'at.multiply');
    check((a, i, u) => a.at(i).multiply(u), [x!, spec(mx.int32, [3], [1, 2, 1]), clayouts(vals(18))[0]!], 2, 'at.multiply, a repeated index (rounded every step)');
    check((a, i, u) => mx.putAlongAxis(a, i, u, 1), [x!, spec(mx.int32, [3, 1], [1, 3, 0]), spec(mx.complex64, [3, 1], [1, 2, 3, 4, 5, 6])], 0, 'putAlongAxis');
  });

  it('fused (compiled) chains, and a shapeless mean (its count as complex64)', () => {
    const [x, xt] = clayouts(vals(17));
    const f = mx.compile((a: mx.MxArray, b: mx.MxArray) => mx.add(mx.multiply(a, b), mx.conjugate(a)));
    check((a, b) => f(a, b) as mx.MxArray, [x!, xt!], 2, 'compiled');
    check((a) => mx.compile((y: mx.MxArray) => mx.mean(y, 1), true)(a) as mx.MxArray, [xt!], 1, 'shapeless mean');
  });

  it('matmul and addmm (float-float accumulation of exact products)', () => {
    const a = spec(mx.complex64, [3, 5], Array.from({ length: 30 }, vals(14)));
    const b = spec(mx.complex64, [5, 4], Array.from({ length: 40 }, vals(15)));
    check(mx.matmul, [a, b], 2, 'matmul');
    const bt = spec(mx.complex64, [2, 4, 5], Array.from({ length: 80 }, vals(16)), [{ kind: 'transpose', axes: [0, 2, 1] }]);
    check(mx.matmul, [a, bt], 2, 'batched, transposed');
    const c = spec(mx.complex64, [1, 4], Array.from({ length: 8 }, vals(17)));
    check((x, y, z) => mx.addmm(z, x, y, 0.75, -1.5), [a, b, c], 2, 'addmm');
  });
});
