// node-mlx compatibility: mx.random with node-mlx's positional arguments
// (low, high, shape, dtype, key, stream) and MLX's threefry numbers (values from MLX 0.32.4).
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const flat = (a: mx.MxArray) => (a.tolist() as unknown[]).flat(Infinity) as number[];
const closeTo = (got: number[], want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

describe('keys and the global generator', () => {
  it('key(seed) is a uint32 pair; split makes new keys', () => {
    const k = mx.random.key(0);
    expect(k.dtype).toBe(mx.uint32);
    expect(k.tolist()).toEqual([0, 0]);
    expect(mx.random.key(1).tolist()).toEqual([0, 1]);
    expect(mx.random.key(2 ** 33).tolist()).toEqual([2, 0]);
    expect(mx.random.split(k).tolist()).toEqual([[4146024105, 967050713], [2718843009, 1272950319]]);
    expect(mx.random.split(k, 3).shape).toEqual([3, 2]);
  });
  it('seed() makes the global stream repeatable', () => {
    mx.random.seed(3);
    const a = mx.random.uniform(0, 1).item();
    const b = mx.random.uniform(0, 1).item();
    mx.random.seed(3);
    expect(mx.random.uniform(0, 1).item()).toBe(a);
    expect(mx.random.uniform(0, 1).item()).toBe(b);
    expect(a).not.toBe(b);
  });
});

describe('samplers', () => {
  const key = () => mx.random.key(0);
  it('uniform(low, high, shape, dtype, key)', () => {
    const a = mx.random.uniform(0, 1, [], mx.float32, key());
    expect(a.shape).toEqual([]);
    expect(a.dtype).toBe(mx.float32);
    expect(a.item()).toBeCloseTo(0.41845712065696716, 6);
    expect(mx.random.uniform(0, 1, [], mx.float32, key()).item()).toBe(a.item());
    closeTo(flat(mx.random.uniform(0, 1, [3], mx.float32, key())), [0.9653214812278748, 0.3146817088127136, 0.6330299973487854], 6);
    expect(mx.random.uniform(0, 1, [2, 3]).shape).toEqual([2, 3]);
    const r = flat(mx.random.uniform(mx.array(-1), 5, [1000]));
    expect(r.every((x) => x >= -1 && x < 5)).toBe(true);
    const h = mx.random.uniform(-0.1, 0.1, [1], mx.bfloat16);
    expect(h.dtype).toBe(mx.bfloat16);
    expect(flat(mx.random.uniform(0, 1, [2], mx.bfloat16, key()))).toEqual([0.2158203125, 0.8046875]);
  });
  it('normal(shape, dtype, loc, scale, key)', () => {
    const a = mx.random.normal([3, 2], mx.float32, 0, 1, key());
    closeTo(flat(a), [0.1878441572189331, -1.2833421230316162, 0.649418294429779, 1.2490599155426025, 0.24447001516819, -0.11744941771030426]);
    const b = mx.random.normal([3, 2], mx.float32, 1, 2, key());
    closeTo(flat(b), flat(a).map((x) => 1 + 2 * x));
    expect(mx.random.normal([2, 3]).shape).toEqual([2, 3]);
    expect(mx.random.normal([], mx.float16).dtype).toBe(mx.float16);
    expect(mx.random.normal().dtype).toBe(mx.float32);
  });
  it('randint(low, high, shape, dtype, key)', () => {
    const a = mx.random.randint(0, 1, []);
    expect(a.shape).toEqual([]);
    expect(a.dtype).toBe(mx.int32);
    // Integer bounds as arrays are bigints (Python ints); node-mlx's float32 bounds (mx.array(3))
    // give the same numbers, as in MLX.
    const b = mx.random.randint(mx.array(3n), mx.array(15n), [6], mx.int32, key());
    expect(b.tolist()).toEqual([9, 4, 11, 13, 10, 8]);
    expect(mx.random.randint(mx.array(3), mx.array(15), [6], mx.int32, key()).tolist()).toEqual([9, 4, 11, 13, 10, 8]);
    const c = mx.random.randint(mx.reshape(mx.array([0n, 0n, 0n]), [3, 1]), mx.reshape(mx.array([12n, 13n, 14n, 15n]), [1, 4]), [3, 4]);
    expect(c.shape).toEqual([3, 4]);
    expect(c.dtype).toBe(mx.int32);
    const d = flat(mx.random.randint(-10, 10, [1000]));
    expect(d.every((x) => x >= -10 && x < 10)).toBe(true);
    // An empty range gives `low` everywhere (MLX).
    expect(flat(mx.random.randint(10, -10, [10])).every((x) => x === 10)).toBe(true);
  });
  it('bernoulli(p, shape, key)', () => {
    const a = mx.random.bernoulli();
    expect(a.shape).toEqual([]);
    expect(a.dtype).toBe(mx.bool_);
    expect(mx.random.bernoulli(mx.array(0.5), [5]).shape).toEqual([5]);
    // node-mlx's mx.array([2.0, -2.0]) is float32 (JS numbers are Python floats); MLX rejects an
    // integer p, which bigints (Python ints) make.
    expect(mx.random.bernoulli(mx.array([2.0, -2.0])).tolist()).toEqual([true, false]);
    expect(mx.random.bernoulli(mx.array([2.0, -2.0], mx.float32)).tolist()).toEqual([true, false]);
    expect(() => mx.random.bernoulli(mx.array([2n, -2n]))).toThrow(/float/);
    expect(() => mx.random.bernoulli(mx.array([2, -2], mx.int32))).toThrow(/float/);
    expect(mx.random.bernoulli(0.5, [4], key()).tolist()).toEqual([false, true, false, true]);
    expect(mx.random.bernoulli(mx.array([0.1, 0.2, 0.3]), [4, 3]).shape).toEqual([4, 3]);
  });
  it('categorical(logits, axis, shape, numSamples, key)', () => {
    expect(mx.random.categorical(mx.array([[0, 100], [100, 0]], mx.float32), -1, undefined, undefined, key()).tolist()).toEqual([1, 0]);
  });
  it('gumbel(shape, dtype, key)', () => {
    closeTo(flat(mx.random.gumbel([2], mx.float32, key())), [-0.4259929060935974, 1.5232529640197754]);
  });
  it('permutation(n, key) uses the key (node-mlx overload without axis)', () => {
    expect(mx.random.permutation(5, key()).tolist()).toEqual([1, 2, 0, 4, 3]);
    expect(mx.random.permutation(mx.array([10, 20, 30, 40, 50]), 0, key()).tolist()).toEqual([20, 30, 10, 50, 40]);
    const pi = mx.random.permutation(mx.array([10n, 20n, 30n, 40n, 50n]), 0, key());
    expect([pi.dtype, pi.tolist()]).toEqual([mx.int32, [20, 30, 10, 50, 40]]);
  });
  it('truncatedNormal(lower, upper, shape, dtype, key)', () => {
    closeTo(flat(mx.random.truncatedNormal(-1, 1, [3], mx.float32, key())), [0.9065213799476624, -0.32263678312301636, 0.2296501249074936]);
  });
  it('laplace(shape, dtype, loc, scale, key)', () => {
    closeTo(flat(mx.random.laplace([2], mx.float32, 0, 1, key())), [0.8379626274108887, -0.9371273517608643]);
  });
});
