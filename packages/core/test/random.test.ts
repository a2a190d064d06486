// mx.random must be bit-exact with MLX. Expected values were captured from MLX 0.32.4
// (Python mx.random for key/split; the C++ API mlx::core::random::bits for bits, since
// Python does not expose bits).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

const r = mx.random;

describe('random.key / split', () => {
  it('key(seed) is [seed >> 32, seed & 0xffffffff] uint32', () => {
    expect(r.key(0).tolist()).toEqual([0, 0]);
    expect(r.key(42).tolist()).toEqual([0, 42]);
    expect(r.key(2 ** 32 + 5).tolist()).toEqual([1, 5]);
    expect(r.key(0).dtype).toBe(mx.uint32);
    expect(r.key(0).shape).toEqual([2]);
  });
  it('split matches MLX', () => {
    expect(r.split(r.key(0)).tolist()).toEqual([
      [4146024105, 967050713],
      [2718843009, 1272950319],
    ]);
    expect(r.split(r.key(42), 3).tolist()).toEqual([
      [3134548294, 3733159049],
      [3746501087, 894150801],
      [801545058, 2363201431],
    ]);
    expect(r.split(r.key(7), 5).tolist()).toEqual([
      [3583082021, 1059767885],
      [1158596951, 3570483602],
      [902484696, 1947592014],
      [964771841, 2936027381],
      [2956069637, 3584898772],
    ]);
    expect(r.split(r.key(0), 0).shape).toEqual([0, 2]);
  });
  it('rejects bad keys', () => {
    expect(() => r.split(mx.array([1, 2, 3], mx.uint32))).toThrow(/key shape/);
    expect(() => r.split(mx.array([1, 2], mx.int32))).toThrow(/uint32/);
    expect(() => r.bits([2], 4, mx.array([[1, 2]], mx.uint32))).toThrow(/key shape/);
    expect(() => r.key(1.5)).toThrow(/integer/);
    expect(() => r.key(-1)).toThrow(/2\^64/);
    expect(() => r.seed(2n ** 64n)).toThrow(/2\^64/);
    expect(r.key(2n ** 63n + 5n).tolist()).toEqual([2147483648, 5]);
  });
});

describe('random.bits', () => {
  const k0 = r.key(0), k42 = r.key(42);
  it('width 4 matches MLX (odd, even, scalar, empty, 2-D)', () => {
    expect(r.bits([5], 4, k0).tolist()).toEqual([2467461003, 428148500, 1688610540, 3840466878, 2562233961]);
    expect(r.bits([1], 4, k42).tolist()).toEqual([1832780943]);
    expect(r.bits([], 4, k42).item()).toBe(1832780943);
    expect(r.bits([0], 4, k42).tolist()).toEqual([]);
    expect(r.bits([2, 3], 4, k42).tolist()).toEqual([
      [3134548294, 3733159049, 3746501087],
      [894150801, 801545058, 2363201431],
    ]);
  });
  it('widths 1 and 2 carve bytes like MLX', () => {
    expect(r.bits([7], 1, k0).tolist()).toEqual([143, 35, 95, 55, 29, 21, 219]);
    expect(r.bits([3], 2, k0).tolist()).toEqual([9103, 14175, 5405]);
    expect(r.bits([5], 2, k42).tolist()).toEqual([8426, 37627, 63599, 6563, 55571]);
    expect(r.bits([9], 1, k42).tolist()).toEqual([234, 32, 251, 146, 111, 248, 163, 25, 19]);
    expect(r.bits([4], 1, k42).tolist()).toEqual([143, 4, 62, 109]);
    expect(r.bits([6], 1, k42).tolist()).toEqual([45, 179, 215, 3, 244, 131]);
    expect(r.bits([3], 1, k0).dtype).toBe(mx.uint8);
    expect(r.bits([3], 2, k0).dtype).toBe(mx.uint16);
    expect(r.bits([3], 4, k0).dtype).toBe(mx.uint32);
  });
  it('seed(42) then un-keyed calls follow MLX global key sequence', () => {
    r.seed(42);
    expect(r.bits([3]).tolist()).toEqual([1224796891, 2628283514, 754422081]);
    expect(r.bits([2]).tolist()).toEqual([2306843965, 447100322]);
    r.seed(42);
    expect(r.bits([3]).tolist()).toEqual([1224796891, 2628283514, 754422081]);
  });
  it('errors: bad width, negative dims', () => {
    expect(() => r.bits([2], 3, k0)).toThrow(/\{1, 2, 4\}/);
    expect(() => r.bits([-1], 4, k0)).toThrow(/Negative/);
  });
  it('properties: same key same bits, different keys differ, prefix-free of shape only by size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 17 }), fc.constantFrom(1, 2, 4), (seed, n, w) => {
        const a = r.bits([n], w, r.key(seed)).tolist();
        expect(r.bits([n], w, r.key(seed)).tolist()).toEqual(a);
        // the layout depends only on the total size, not on the shape
        expect((r.bits([1, n], w, r.key(seed)).tolist() as number[][])[0]).toEqual(a);
        const b = r.bits([8], 4, r.key(seed + 1)).tolist();
        expect(r.bits([8], 4, r.key(seed)).tolist()).not.toEqual(b);
      }),
      { numRuns: 40 },
    );
  });
});

describe('random.permutation', () => {
  it('matches MLX (argsort of bits)', () => {
    expect(r.permutation(10, 0, r.key(0)).tolist()).toEqual([3, 6, 7, 4, 0, 2, 5, 1, 9, 8]);
    expect(r.permutation(mx.array([[0, 1], [2, 3], [4, 5]]), 0, r.key(1)).tolist()).toEqual([
      [2, 3],
      [0, 1],
      [4, 5],
    ]);
    expect(r.permutation(mx.array([[0, 1, 2], [3, 4, 5]]), 1, r.key(3)).tolist()).toEqual([
      [1, 0, 2],
      [4, 3, 5],
    ]);
  });
  it('is a permutation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const p = r.permutation(n, 0, r.key(seed)).tolist() as number[];
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { numRuns: 30 },
    );
  });
  it('errors', () => {
    expect(() => r.permutation(-1)).toThrow(/non-negative/);
    expect(() => r.permutation(mx.array([0, 1, 2, 3]), 2)).toThrow(/axis/);
  });
});

describe('sampler argument errors (checked before any sampling, as MLX)', () => {
  const k = r.key(0);
  it('dtype checks', () => {
    expect(() => r.uniform(0, 1, [2], mx.int32, k)).toThrow(/floating point/);
    expect(() => r.uniform(0, 1, [2], mx.float64, k)).toThrow(/Unsupported type/);
    expect(() => r.normal([2], mx.int32, null, null, k)).toThrow(/floating point/);
    expect(() => r.randint(0, 5, [2], mx.float32, k)).toThrow(/integer dtypes/);
    expect(() => r.randint(0, 5, [2], mx.bfloat16, k)).toThrow(/integer dtypes/);
    expect(() => r.bernoulli(mx.array([1, 0], mx.int32), [2], k)).toThrow(/float type/);
    expect(() => r.truncatedNormal(-1, 1, [2], mx.int32, k)).toThrow(/floating point/);
    expect(() => r.laplace([2], mx.int8, 0, 1, k)).toThrow(/floating point/);
  });
  it('shape checks', () => {
    expect(() => r.uniform(mx.array([[0, 0], [0, 0]]), 1, [2], mx.float32, k)).toThrow(/Cannot generate random values of shape/);
    expect(() => r.uniform(mx.array([0, 0, 0]), 1, [2], mx.float32, k)).toThrow(/broadcast/);
    expect(() => r.uniform(0, 1, [-2], mx.float32, k)).toThrow(/Negative/);
    expect(() => r.categorical(mx.array([[0, 1]]), 2, null, null, k)).toThrow(/Invalid axis 2/);
    expect(() => r.categorical(mx.array([[0, 1], [1, 0]]), -1, [1], null, k)).toThrow(/not broadcast compatible/);
    expect(() => r.categorical(mx.array([0, 1]), -1, [3], 2, k)).toThrow(/At most one/);
  });
  it('bad keys are rejected by every sampler', () => {
    expect(() => r.uniform(0, 1, [2], mx.float32, mx.array([1, 2], mx.int32))).toThrow(/uint32/);
  });
});

describe('composed samplers match MLX 0.32.4', () => {
  it('uniform bfloat16, normal, randint, bernoulli, gumbel', () => {
    expect(r.uniform(0, 1, [3], mx.bfloat16, r.key(0)).tolist()).toEqual([0.96484375, 0.314453125, 0.6328125]);
    expect(r.normal([5], mx.float32, null, null, r.key(0)).tolist()).toEqual([
      0.1878441572189331, -1.2833421230316162, -0.2710915505886078, 1.2490599155426025, 0.24447001516819,
    ]);
    expect(r.randint(0, 10, [8], mx.int32, r.key(0)).tolist()).toEqual([5, 3, 3, 9, 1, 9, 1, 8]);
    expect(r.bernoulli(0.3, [8], r.key(0)).tolist()).toEqual([false, false, false, false, true, false, true, false]);
    expect(r.gumbel([3], mx.float32, r.key(0)).tolist()).toEqual([3.3440396785736084, -0.14513324201107025, 0.7825523614883423]);
  });
});

// Values produced by MLX 0.32.4 for the same keys (python: mx.random.<fn>(..., key=mx.random.key(n))).
describe('samplers match MLX 0.32.4 for fixed keys', () => {
  const near = (got: unknown, want: number[], ulps = 4) => {
    const g = (got as number[]).flat(3) as number[];
    expect(g.length).toBe(want.length);
    g.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(ulps * 1.2e-7 * Math.max(1, Math.abs(want[i]!))));
  };
  it('uniform with bounds (float32)', () => {
    near(mx.random.uniform(2, 5, [2, 3], mx.float32, mx.random.key(42)).tolist(), [
      4.189456939697266, 4.607581615447998, 4.61690092086792, 2.6245570182800293, 2.559872627258301, 3.65067720413208,
    ], 0);
  });
  it('normal float16 and truncatedNormal, laplace', () => {
    expect(mx.random.normal([3], mx.float16, 0, 1, mx.random.key(0)).tolist()).toEqual([1.8154296875, -0.482666015625, 0.33984375]);
    // erf/erfinv are computed in double here and in float32 polynomials in MLX: a few ULP apart.
    near(mx.random.truncatedNormal(-1, 1, [4], mx.float32, mx.random.key(0)).tolist(), [
      0.9065213799476624, -0.4891465902328491, 0.2296501249074936, -0.35580840706825256,
    ]);
    near(mx.random.laplace([3], mx.float32, 0, 1, mx.random.key(0)).tolist(), [-2.6684885025024414, 0.4630463123321533, -0.3093280792236328]);
  });
  it('categorical (gumbel path and the inverse-CDF path with numSamples)', () => {
    expect(mx.random.categorical(mx.array([[0, 1, 2], [2, 1, 0]]), -1, null, null, mx.random.key(0)).tolist()).toEqual([2, 0]);
    expect(mx.random.categorical(mx.array([0, 1, 2]), -1, null, 6, mx.random.key(0)).tolist()).toEqual([2, 1, 2, 2, 2, 2]);
  });
  it('randint int16', () => {
    expect(mx.random.randint(-5, 5, [2, 3], mx.int16, mx.random.key(1)).tolist()).toEqual([[3, -4, 3], [1, 0, 1]]);
  });
  it('bernoulli mean and uniform/randint ranges over many samples', () => {
    const b = mx.random.bernoulli(0.3, [10000], mx.random.key(7));
    const m = mx.mean(b.astype(mx.float32)).item() as number;
    expect(Math.abs(m - 0.3)).toBeLessThan(0.02);
    const u = mx.random.uniform(-2, 3, [5000], mx.float32, mx.random.key(3));
    expect(mx.min(u).item()).toBeGreaterThanOrEqual(-2);
    expect(mx.max(u).item()).toBeLessThan(3);
    const r = mx.random.randint(-4, 9, [5000], mx.int32, mx.random.key(4));
    expect(mx.min(r).item()).toBe(-4);
    expect(mx.max(r).item()).toBe(8);
  });
});

describe('searchsorted (MLX 0.32.4)', () => {
  it('left and right', () => {
    expect(mx.searchsorted(mx.array([1, 2, 2, 3]), mx.array([2, 0, 5])).tolist()).toEqual([1, 0, 4]);
    expect(mx.searchsorted(mx.array([1, 2, 2, 3]), mx.array([2, 0, 5]), 'right').tolist()).toEqual([3, 0, 4]);
    expect(mx.searchsorted(mx.array([1, 2, 2, 3]), mx.array([[2.5]])).shape).toEqual([1, 1]);
    expect(() => mx.searchsorted(mx.array([[1, 2]]), mx.array([1]))).toThrow(/must be 1-D/);
  });
});
