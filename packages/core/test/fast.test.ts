// mx.fast: each fused op against its composition of ops. On the reference backend the fused
// kernels round where the compositions round, so the two are equal bit for bit; on the WASM
// backend the compositions run WASM kernels (f32 SIMD matmul, its own exp/sin/cos), so they
// agree within a few float32 ulps there (`close` below states the bound). Also: hand-written
// compositions (node-mlx's spec formulas) per dtype, masks, grouped-query heads, RoPE variants
// and offsets, errors, vjp/jvp against finite differences, and grad/vmap/compile.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import * as fb from '../src/primitives/fast.js';
import { fdDirectional, flat, dot } from '../../../tests/autograd/fd.js';

const onReference = mx.cpuBackendName() === 'reference';
const f64 = (a: mx.MxArray): number[] => flat(a.astype(mx.float64));
const epsOf = (d: mx.Dtype): number => (d === mx.float16 ? 2 ** -10 : d === mx.bfloat16 ? 2 ** -7 : d === mx.float64 ? 2 ** -52 : 2 ** -23);

/** Largest |a - b| / (1 + |b|) over the elements (NaNs must match). */
function relErr(a: mx.MxArray, b: mx.MxArray): number {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const x = f64(a);
  const y = f64(b);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(y[i]!)) {
      expect(x[i]).toBeNaN();
      continue;
    }
    m = Math.max(m, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  }
  return m;
}

/** The fused op equals its fallback: bit for bit on the reference backend, within `ulps` of the output dtype (at least float32's) on WASM. */
function close(fused: mx.MxArray, composed: mx.MxArray, ulps = 64): void {
  if (onReference) expect(mx.arrayEqual(fused, composed, true).item()).toBe(true);
  // float64 results carry float32 steps (angles, statistics): float32 ulps there
  else expect(relErr(fused, composed)).toBeLessThanOrEqual(ulps * Math.max(epsOf(composed.dtype), 2 ** -23));
}

/**
 * The op's fused primitive, built as on the reference backend (which fuses every mx.fast op;
 * another backend may build the composition instead, Backend.fuses) and evaluated on this one.
 */
function fused(build: () => mx.MxArray): mx.MxArray {
  return fusedPair(() => [build()])[0]!;
}
function fusedPair<T extends mx.MxArray[]>(build: () => T): T {
  const backend = mx.cpuBackendName();
  mx.setCpuBackend('reference');
  try {
    return build();
  } finally {
    mx.setCpuBackend(backend);
  }
}

/** The fallback of the primitive at the root of `y`, on the same inputs. */
function fallbackOf(y: mx.MxArray, composition: (p: any, xs: mx.MxArray[]) => mx.MxArray[], i = 0): mx.MxArray {
  const node = (y as unknown as { _node: { prim: { params: unknown }; inputs: mx.MxArray[] } })._node;
  return composition(node.prim.params, node.inputs)[i]!;
}

function rand(shape: number[], dtype: mx.Dtype = mx.float32, seed = 0): mx.MxArray {
  return mx.random.normal(shape, mx.float32, null, null, mx.random.key(seed)).astype(dtype);
}

const floatDtypes = [mx.float32, mx.float16, mx.bfloat16, mx.float64];

// ---- compositions as node-mlx's spec writes them ----
function rmsNormRef(x: mx.MxArray, w: mx.MxArray | null, eps: number): mx.MxArray {
  const x32 = x.astype(mx.float32);
  const y = mx.multiply(x32, mx.rsqrt(mx.add(mx.mean(mx.square(x32), -1, true), eps))).astype(x.dtype);
  return w ? mx.multiply(y, w) : y;
}
function layerNormRef(x: mx.MxArray, w: mx.MxArray | null, b: mx.MxArray | null, eps: number): mx.MxArray {
  const x32 = x.astype(mx.float32);
  let y = mx.multiply(mx.subtract(x32, mx.mean(x32, -1, true)), mx.rsqrt(mx.add(mx.variance(x32, -1, true), eps))).astype(x.dtype);
  if (w) y = mx.multiply(y, w);
  if (b) y = mx.add(y, b);
  return y;
}
function ropeRef(x: mx.MxArray, dims: number, traditional: boolean, base: number | null, scale: number, offset: number, freqs?: mx.MxArray): mx.MxArray {
  const T = x.shape[x.ndim - 2]!;
  const half = dims / 2;
  const positions = mx.multiply(mx.arange(offset, T + offset, mx.float32), scale);
  const inv = freqs ? mx.reciprocal(freqs) : mx.exp(mx.multiply(mx.negative(mx.arange(0, half, mx.float32)), Math.log(base!) / half));
  const theta = mx.multiply(mx.reshape(positions, [-1, 1]), mx.reshape(inv, [1, -1]));
  const c = mx.cos(theta).astype(x.dtype);
  const s = mx.sin(theta).astype(x.dtype);
  const x1 = traditional ? x.index('...', mx.Slice(0, dims, 2)) : x.index('...', mx.Slice(0, half));
  const x2 = traditional ? x.index('...', mx.Slice(1, dims, 2)) : x.index('...', mx.Slice(half, dims));
  const r1 = mx.subtract(mx.multiply(x1, c), mx.multiply(x2, s));
  const r2 = mx.add(mx.multiply(x1, s), mx.multiply(x2, c));
  const rest = dims < x.shape[x.ndim - 1]! ? [x.index('...', mx.Slice(dims))] : [];
  if (traditional) {
    const pairs = mx.reshape(mx.stack([r1, r2], -1), [...x.shape.slice(0, -1), dims]);
    return mx.concatenate([pairs, ...rest], -1);
  }
  return mx.concatenate([r1, r2, ...rest], -1);
}
/** Attention with the heads tiled and a boolean/additive/causal mask, as a user would write it. */
function sdpaRef(q: mx.MxArray, k: mx.MxArray, v: mx.MxArray, scale: number, mask?: mx.MxArray | 'causal', sinks?: mx.MxArray): mx.MxArray {
  const rep = q.shape[1]! / k.shape[1]!;
  const kk = mx.repeat(k, rep, 1);
  const vv = mx.repeat(v, rep, 1);
  let s = mx.matmul(mx.multiply(q, scale), mx.swapaxes(kk, -1, -2));
  const [Tq, Tk] = [q.shape[2]!, k.shape[2]!];
  if (mask === 'causal') mask = mx.greaterEqual(mx.reshape(mx.arange(Tk - Tq, Tk, mx.int32), [-1, 1]), mx.reshape(mx.arange(Tk, mx.int32), [1, -1]));
  if (mask) s = mask.dtype === mx.bool ? mx.where(mask, s, mx.finfo(s.dtype).min) : mx.add(s, mask);
  if (sinks) s = mx.concatenate([mx.broadcastTo(mx.reshape(sinks, [1, -1, 1, 1]), [...s.shape.slice(0, -1), 1]), s], -1);
  let p = mx.softmax(s, -1, true);
  if (sinks) p = p.index('...', mx.Slice(1));
  return mx.matmul(p, vv);
}

describe('fast.rmsNorm', () => {
  it('equals its composition for every float dtype, with and without weight, strided inputs', () => {
    for (const d of floatDtypes) {
      for (const shape of [[2, 3, 8], [5], [4, 33], [3, 0], [0, 4]]) {
        const x = rand(shape, d, 1);
        const w = rand([shape[shape.length - 1]!], d, 2);
        for (const weight of [w, null]) {
          const y = fused(() => mx.fast.rmsNorm(x, weight, 1e-5));
          expect(y.dtype).toBe(d);
          close(y, fallbackOf(y, fb.rmsNormFallback));
          expect(relErr(y, rmsNormRef(x, weight, 1e-5))).toBeLessThanOrEqual(64 * epsOf(d));
        }
      }
    }
    const xt = rand([6, 4], mx.float32, 3).T; // transposed view
    close(mx.fast.rmsNorm(xt, null, 1e-3), rmsNormRef(mx.copy(xt), null, 1e-3));
  });
  it('promotes x with the weight (MLX: result_type), integer x with a float weight', () => {
    const x = rand([2, 4], mx.float16);
    expect(mx.fast.rmsNorm(x, mx.ones([4]), 1e-5).dtype).toBe(mx.float32);
    expect(mx.fast.rmsNorm(mx.array([[1n, 2n, 3n]]), mx.ones([3], mx.float16), 1e-5).dtype).toBe(mx.float16);
    const y = mx.fast.rmsNorm(mx.array([3, 4]), null, 0);
    expect(y.tolist()).toEqual([Math.fround(3 / Math.sqrt(12.5)), Math.fround(4 / Math.sqrt(12.5))]);
  });
  it('raises as MLX', () => {
    expect(() => mx.fast.rmsNorm(mx.array(1), null, 1e-5)).toThrow(/at least 1 dimension/);
    expect(() => mx.fast.rmsNorm(rand([2, 4]), mx.ones([1, 4]), 1e-5)).toThrow(/must have 1 dimension/);
    expect(() => mx.fast.rmsNorm(rand([2, 4]), mx.ones([5]), 1e-5)).toThrow(/same size as the last dimension/);
    expect(() => mx.fast.rmsNorm(mx.array([1n, 2n]), null, 1e-5)).toThrow(/unsupported type int32/);
    expect(() => mx.fast.rmsNorm(mx.array([{ re: 1, im: 1 }]), null, 1e-5)).toThrow(/unsupported type complex64/);
  });
});

describe('fast.layerNorm', () => {
  it('equals its composition for every float dtype and weight/bias combination', () => {
    for (const d of floatDtypes) {
      for (const shape of [[2, 3, 8], [7], [3, 0]]) {
        const x = rand(shape, d, 4);
        const D = shape[shape.length - 1]!;
        const w = rand([D], d, 5);
        const b = rand([D], d, 6);
        for (const [ww, bb] of [[w, b], [w, null], [null, b], [null, null]] as const) {
          const y = fused(() => mx.fast.layerNorm(x, ww, bb, 1e-5));
          expect(y.dtype).toBe(d);
          close(y, fallbackOf(y, fb.layerNormFallback));
          // variance: mean of squared deviations (the same formula); a few ulps of the dtype
          expect(relErr(y, layerNormRef(x, ww, bb, 1e-5))).toBeLessThanOrEqual(64 * epsOf(d));
        }
      }
    }
  });
  it('dtypes: a bias alone takes x\'s dtype, a weight promotes', () => {
    const x = rand([2, 4]);
    expect(mx.fast.layerNorm(x, null, mx.ones([4], mx.float16), 1e-5).dtype).toBe(mx.float32);
    expect(mx.fast.layerNorm(x.astype(mx.float16), mx.ones([4], mx.float16), mx.ones([4]), 1e-5).dtype).toBe(mx.float32);
    expect(() => mx.fast.layerNorm(mx.array([[1n, 2n]]), null, mx.ones([2], mx.float16), 1e-5)).toThrow(/unsupported type int32/);
    expect(() => mx.fast.layerNorm(x, null, mx.ones([3]), 1e-5)).toThrow(/bias must have the same size/);
    expect(() => mx.fast.layerNorm(x, mx.ones([2, 2]), null, 1e-5)).toThrow(/weight must have 1 dimension/);
  });
});

describe('fast.rope', () => {
  it('equals its composition: traditional or not, base or freqs, scale, offsets, partial dims, dtypes', () => {
    const freqs = mx.random.uniform(0.5, 2, [4], mx.float32, mx.random.key(7));
    for (const d of floatDtypes) {
      for (const traditional of [false, true]) {
        for (const [dims, D] of [[8, 8], [4, 8], [6, 10]] as const) {
          const x = rand([2, 3, 5, D], d, 8);
          for (const [base, f] of [[10000, undefined], [null, dims === 8 ? freqs : mx.random.uniform(0.5, 2, [dims / 2])]] as const) {
            for (const offset of [0, 3, -2]) {
              for (const scale of [1, 0.5]) {
                const y = fused(() => mx.fast.rope(x, dims, traditional, base, scale, offset, f));
                expect(y.dtype).toBe(d);
                close(y, fallbackOf(y, fb.ropeFallback));
                // MLX rounds the angles' factor log(base)/half to float32; the spec's formula
                // doesn't: a few ulps of the dtype (float64 results carry float32 angles)
                const tol = d === mx.float64 ? 1e-5 : 64 * epsOf(d);
                expect(relErr(y, ropeRef(x, dims, traditional, base, scale, offset, f))).toBeLessThanOrEqual(tol);
              }
            }
          }
        }
      }
    }
  });
  it('3-D, 5-D inputs and per-batch offsets (an array of B integers) equal per-batch calls', () => {
    const x3 = rand([2, 4, 8], mx.float32, 9);
    const y3 = fused(() => mx.fast.rope(x3, 8, false, 10000, 1, mx.array([1n, 5n])));
    close(y3, fallbackOf(y3, fb.ropeFallback));
    for (const b of [0, 1]) {
      const one = mx.fast.rope(x3.index(mx.Slice(b, b + 1)), 8, false, 10000, 1, [1, 5][b]!);
      close(y3.index(mx.Slice(b, b + 1)), one);
    }
    const x5 = rand([2, 2, 3, 4, 8], mx.float16, 10);
    for (const off of [mx.array([2n, 0n], mx.uint8), mx.array(4n, mx.int64), mx.array([3n])]) {
      const y5 = fused(() => mx.fast.rope(x5, 6, true, 500, 2, off));
      close(y5, fallbackOf(y5, fb.ropeFallback));
    }
    // offsets of another integer dtype are read as int32; a bigint offset is an integer too
    close(mx.fast.rope(x3, 8, true, 10000, 1, 2n), mx.fast.rope(x3, 8, true, 10000, 1, mx.array(2n, mx.int16)));
  });
  it('a transposed input (node-mlx spec: swapaxes) and the inverse rotation undoes the rotation', () => {
    const x = rand([1, 1, 4, 8]).swapaxes(1, 2);
    close(mx.fast.rope(x, 8, false, 10000, 1, 0), ropeRef(mx.copy(x), 8, false, 10000, 1, 0));
    const y = mx.fast.rope(rand([2, 5, 8], mx.float64, 11), 8, false, 10000, 1, 2);
    const [back] = mx.vjp((t: mx.MxArray) => mx.fast.rope(t, 8, false, 10000, 1, 2), [y], [y])[1];
    // rotations are orthogonal: the vjp (inverse rotation) of R x at R x gives x back within float32 angles
    const [, [g]] = mx.vjp((t: mx.MxArray) => mx.fast.rope(t, 8, false, 10000, 1, 2), [mx.zerosLike(y)], [mx.fast.rope(y, 8, false, 10000, 1, 2)]);
    expect(relErr(g!, y)).toBeLessThan(1e-6);
    expect(back!.shape).toEqual(y.shape);
  });
  it('raises as MLX', () => {
    const x = rand([2, 2, 8]);
    expect(() => mx.fast.rope(rand([2, 8]), 8, false, 10000, 1, 0)).toThrow(/at least 3 dimensions/);
    expect(() => mx.fast.rope(mx.zeros([2, 2, 8], mx.int32), 8, false, 10000, 1, 0)).toThrow(/floating type/);
    expect(() => mx.fast.rope(x, 7, false, 10000, 1, 0)).toThrow(/dims must be even/);
    expect(() => mx.fast.rope(x, 0, false, 10000, 1, 0)).toThrow(/dims must be positive/);
    expect(() => mx.fast.rope(x, 10, false, 10000, 1, 0)).toThrow(/must not exceed/);
    expect(() => mx.fast.rope(x, 8, false, 10000, 1, 0, mx.ones([4]))).toThrow(/Only one of base or freqs/);
    expect(() => mx.fast.rope(x, 8, false, null, 1, 0)).toThrow(/Neither base nor freqs/);
    expect(() => mx.fast.rope(x, 8, false, undefined, 1, 0, mx.ones([3]))).toThrow(/freqs must be one dimensional with size 4/);
    expect(() => mx.fast.rope(x, 8, false, undefined, 1, 0, mx.ones([1, 4]))).toThrow(/freqs must be one dimensional/);
    expect(() => mx.fast.rope(x, 8, false, 10000, 1, mx.array(1))).toThrow(/offset must be an integer but got type float32/);
    expect(() => mx.fast.rope(x, 8, false, 10000, 1, 1.5)).toThrow(/offset must be an integer/);
    expect(() => mx.fast.rope(x, 8, false, 10000, 1, mx.array([[1n]]))).toThrow(/at most one dimension/);
    expect(() => mx.fast.rope(x, 8, false, 10000, 1, mx.array([1n, 2n, 3n]))).toThrow(/scalar or vector with 2 elements/);
  });
});

describe('fast.scaledDotProductAttention', () => {
  const shapes = (B: number, nq: number, nkv: number, tq: number, tk: number, D: number, Dv: number) => [
    [B, nq, tq, D],
    [B, nkv, tk, D],
    [B, nkv, tk, Dv],
  ];
  it('equals its composition: masks (none, causal, bool, additive, broadcast), grouped-query heads, sinks, dtypes', () => {
    let seed = 20;
    for (const d of floatDtypes) {
      for (const [B, nq, nkv, tq, tk, D, Dv] of [
        [2, 4, 2, 3, 5, 8, 6],
        [1, 4, 1, 4, 4, 4, 4],
        [1, 2, 2, 5, 3, 3, 2],
        [2, 3, 3, 1, 6, 5, 5],
      ] as const) {
        const [q, k, v] = shapes(B, nq, nkv, tq, tk, D, Dv).map((s) => rand(s, d, seed++)) as [mx.MxArray, mx.MxArray, mx.MxArray];
        const masks: (mx.MxArray | 'causal' | undefined)[] = [
          undefined,
          'causal',
          mx.greater(rand([tq, tk], mx.float32, seed++), -0.5),
          rand([nq, 1, tk], d, seed++),
          mx.greater(rand([B, 1, tq, tk], mx.float32, seed++), 0),
          rand([tk], d, seed++),
        ];
        for (const mask of masks) {
          for (const sinks of [undefined, rand([nq], d, seed++)]) {
            const scale = Math.fround(1 / Math.sqrt(D)); // MLX's scale is a C++ float
            const y = fused(() => mx.fast.scaledDotProductAttention(q, k, v, scale, mask, sinks));
            expect(y.shape).toEqual([B, nq, tq, Dv]);
            expect(y.dtype).toBe(d);
            close(y, fallbackOf(y, fb.sdpaFallback));
            const tol = d === mx.float64 ? 1e-12 : d === mx.float32 ? 1e-5 : 8 * epsOf(d);
            expect(relErr(y, sdpaRef(q, k, v, scale, mask, sinks))).toBeLessThanOrEqual(tol);
          }
        }
      }
    }
  });
  it('causal masks align lower-right; fully masked rows are uniform (finfo.min, as MLX)', () => {
    const ones = mx.ones([1, 1, 3, 2]);
    const v = mx.reshape(mx.arange(4), [1, 1, 2, 2]);
    // Tq = 3 > Tk = 2: row 0 sees no key (uniform), row 1 sees key 0, row 2 both
    expect(mx.fast.scaledDotProductAttention(ones, mx.ones([1, 1, 2, 2]), v, 0.3, 'causal').tolist()).toEqual([[[[1, 2], [0, 1], [1, 2]]]]);
    // no keys: zeros
    expect(mx.fast.scaledDotProductAttention(ones, mx.zeros([1, 1, 0, 2]), mx.zeros([1, 1, 0, 2]), 0.3).tolist()).toEqual([[[[0, 0], [0, 0], [0, 0]]]]);
    // an additive -inf row gives NaN (softmax of all -inf), as the composition
    const m = mx.array([[-Infinity, -Infinity]]);
    expect(f64(mx.fast.scaledDotProductAttention(mx.ones([1, 1, 1, 2]), mx.ones([1, 1, 2, 2]), v, 1, m)).every(Number.isNaN)).toBe(true);
  });
  it('promotes q, k, v; masks must promote to it; raises as MLX', () => {
    const q = rand([1, 2, 3, 4]);
    const k = rand([1, 2, 5, 4]);
    const v = rand([1, 2, 5, 4]);
    const sd = mx.fast.scaledDotProductAttention;
    expect(sd(q.astype(mx.float16), k, v, 1).dtype).toBe(mx.float32);
    expect(sd(q, k, v, 1, mx.zeros([3, 5], mx.int32)).dtype).toBe(mx.float32);
    expect(() => sd(q.astype(mx.float16), k.astype(mx.float16), v.astype(mx.float16), 1, mx.zeros([3, 5]))).toThrow(/Mask type must promote to output type float16/);
    expect(() => sd(q, k, v, 1, 'foo')).toThrow(/invalid mask option 'foo'/);
    expect(() => sd(q, k, v, 1, mx.zeros([1, 1, 1, 3, 5]))).toThrow(/at most rank 4/);
    expect(() => sd(q, k, v, 1, mx.zeros([4, 5]))).toThrow();
    expect(() => sd(q.index(0), k, v, 1)).toThrow(/expected to be rank 4/);
    expect(() => sd(q, mx.concatenate([k, k]), v, 1)).toThrow(/mismatching batch dimension/);
    expect(() => sd(q, k.index('...', mx.Slice(0, 3)), v, 1)).toThrow(/matching last dimension/);
    expect(() => sd(q, k, v.index(mx.Slice(), mx.Slice(0, 1)), 1)).toThrow(/matching n_kv_heads/);
    expect(() => sd(mx.concatenate([q, q.index(mx.Slice(), mx.Slice(0, 1))], 1), k, v, 1)).toThrow(/multiple of n_kv_heads/);
    expect(() => sd(q, k, v.index(mx.Slice(), mx.Slice(), mx.Slice(0, 4)), 1)).toThrow(/matching sequence length/);
    expect(() => sd(q.astype(mx.int32), k.astype(mx.int32), v.astype(mx.int32), 1)).toThrow(/unsupported type int32/);
    expect(() => sd(q, k, v, 1, null, mx.zeros([3]))).toThrow(/invalid shape for sinks/);
    expect(() => sd(q.astype(mx.float16), k.astype(mx.float16), v.astype(mx.float16), 1, null, mx.zeros([2]))).toThrow(/Type of sinks must promote/);
    // a stream in the mask's or the sinks' place
    const cpu = mx.defaultStream(mx.cpu);
    expect(sd(q, k, v, 1, cpu).shape).toEqual([1, 2, 3, 4]);
    expect(sd(q, k, v, 1, 'causal', cpu).shape).toEqual([1, 2, 3, 4]);
  });
});

describe('fast.crossEntropy and fast.gatedDeltaUpdate', () => {
  it('crossEntropy equals logsumexp - logits[target] in float32; negative targets wrap', () => {
    for (const d of floatDtypes) {
      const x = rand([3, 4, 7], d, 30);
      const t = mx.random.randint(-7, 7, [3, 4], mx.int32, mx.random.key(31));
      const y = fused(() => mx.fast.crossEntropy(x, t));
      expect(y.dtype).toBe(mx.float32);
      expect(y.shape).toEqual([3, 4]);
      close(y, fallbackOf(y, fb.crossEntropyFallback));
    }
    expect(mx.fast.crossEntropy(mx.array([1, 2, 3]), mx.array(-1n)).item()).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 6);
    expect(() => mx.fast.crossEntropy(mx.zeros([2, 3]), mx.array([0n, 3n])).tolist()).toThrow(RangeError);
    expect(() => mx.fast.crossEntropy(mx.zeros([2, 3]), mx.array([0, 1]))).toThrow(/integer class indices but got float32/);
    expect(() => mx.fast.crossEntropy(mx.zeros([2, 3]), mx.array([0n]))).toThrow(/does not match logits shape/);
    expect(() => mx.fast.crossEntropy(mx.zeros([2, 3], mx.int32), mx.array([0n, 1n]))).toThrow(/unsupported logits type int32/);
    expect(() => mx.fast.crossEntropy(mx.array(1), mx.array(0n))).toThrow(/at least 1 dimension/);
  });
  it('gatedDeltaUpdate equals the step-by-step recurrence: grouped heads, per-key gates, state, mask', () => {
    const [B, T, Hk, Dk, Hv, Dv] = [2, 4, 1, 3, 2, 5];
    for (const d of floatDtypes) {
      const q = rand([B, T, Hk, Dk], d, 40);
      const k = rand([B, T, Hk, Dk], d, 41);
      const v = rand([B, T, Hv, Dv], d, 42);
      const beta = mx.random.uniform(0, 1, [B, T, Hv], mx.float32, mx.random.key(43)).astype(d);
      for (const g of [mx.random.uniform(0.5, 1, [B, T, Hv], mx.float32, mx.random.key(44)), mx.random.uniform(0.5, 1, [B, T, Hv, Dk], mx.float32, mx.random.key(45))]) {
        for (const h0 of [null, rand([B, Hv, Dv, Dk], mx.float32, 46)]) {
          for (const mask of [null, mx.array([[true, false, true, true], [false, true, true, false]])]) {
            const [o, s] = fusedPair(() => mx.fast.gatedDeltaUpdate(q, k, v, g, beta, h0, mask));
            const [o2, s2] = [0, 1].map((i) => fallbackOf(o, fb.gatedDeltaFallback, i));
            expect(o.dtype).toBe(d);
            expect(s.dtype).toBe(d === mx.float64 ? mx.float64 : mx.float32);
            expect(o.shape).toEqual([B, T, Hv, Dv]);
            expect(s.shape).toEqual([B, Hv, Dv, Dk]);
            close(o, o2!);
            close(s, s2!);
          }
        }
      }
    }
    const q = rand([1, 2, 1, 3]);
    const v = rand([1, 2, 2, 4]);
    const g = mx.ones([1, 2, 2]);
    expect(() => mx.fast.gatedDeltaUpdate(q, q, rand([1, 2, 3, 4]), mx.ones([1, 2, 3]), mx.ones([1, 2, 3]))).not.toThrow();
    expect(() => mx.fast.gatedDeltaUpdate(mx.concatenate([q, q], 2), mx.concatenate([q, q], 2), rand([1, 2, 3, 4]), mx.ones([1, 2, 3]), mx.ones([1, 2, 3]))).toThrow(/multiple of q's heads/);
    expect(() => mx.fast.gatedDeltaUpdate(q, q, v, mx.ones([1, 2, 2, 2]), g)).toThrow(/gates must have shape/);
    expect(() => mx.fast.gatedDeltaUpdate(q, q, v, g, mx.ones([1, 2, 2, 4]))).toThrow(/beta must have shape/);
    expect(() => mx.fast.gatedDeltaUpdate(q, q, v, g, g, mx.zeros([1, 2, 3, 4]))).toThrow(/initialState must have shape \[1, 2, 4, 3\]/);
    expect(() => mx.fast.gatedDeltaUpdate(q, q, v, g, g, null, mx.ones([1]))).toThrow(/mask must have shape/);
    expect(() => mx.fast.gatedDeltaUpdate(q.index(0), q, v, g, g)).toThrow(/must have shape \[B, T, H, D\]/);
    const e = (a: mx.MxArray) => a.index(mx.Slice(), mx.Slice(0, 0));
    expect(() => mx.fast.gatedDeltaUpdate(e(q), e(q), e(v), e(g), e(g))).toThrow(/at least one time step/);
  });
});

// ---- derivatives ----

/** <vjp(u), v> and J v of fn at xs against central finite differences (float64 inputs). */
function checkDerivatives(fn: (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[], xs: mx.MxArray[], tol: number, h = 1e-4): void {
  const outs = [fn(...xs)].flat();
  const us = outs.map((o, i) => rand([...o.shape], o.dtype, 90 + i));
  const vs = xs.map((x, i) => (x.dtype === mx.float64 ? rand([...x.shape], mx.float64, 80 + i) : mx.zerosLike(x)));
  const fd = fdDirectional(fn, xs, vs, h);
  const want = fd.reduce((acc, dd, k) => acc + dot(flat(us[k]!), dd), 0);
  const [, g] = mx.vjp((...a: mx.MxArray[]) => fn(...a), xs, us);
  const got = g.reduce((acc, gi, i) => acc + (xs[i]!.dtype === mx.float64 ? dot(flat(gi), flat(vs[i]!)) : 0), 0);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));
  const [, t] = mx.jvp((...a: mx.MxArray[]) => fn(...a), xs, vs);
  t.forEach((ti, k) => {
    const tv = flat(ti);
    fd[k]!.forEach((f, i) => expect(Math.abs(tv[i]! - f)).toBeLessThanOrEqual(tol * (1 + Math.abs(f))));
  });
}

describe('vjp and jvp against finite differences', () => {
  const F = mx.float64;
  it('rmsNorm and layerNorm (MLX\'s closed-form vjps; the statistics are float32, so h and the bound are float32-sized)', () => {
    const x = rand([3, 6], F, 50);
    const w = rand([6], F, 51);
    const b = rand([6], F, 52);
    checkDerivatives((a, c) => mx.fast.rmsNorm(a, c, 1e-5), [x, w], 2e-3, 1e-2);
    checkDerivatives((a) => mx.fast.rmsNorm(a, null, 1e-5), [x], 2e-3, 1e-2);
    checkDerivatives((a, c, e) => mx.fast.layerNorm(a, c, e, 1e-5), [x, w, b], 2e-3, 1e-2);
    checkDerivatives((a, e) => mx.fast.layerNorm(a, null, e, 1e-5), [x, b], 2e-3, 1e-2);
  });
  it('rope: x, and freqs (float32 inside, as MLX: a float32-sized step and bound)', () => {
    const x = rand([2, 3, 8], F, 53);
    checkDerivatives((a) => mx.fast.rope(a, 6, true, 10000, 1.5, 2), [x], 1e-7);
    checkDerivatives((a, f) => mx.fast.rope(a, 8, false, null, 1, mx.array([1n, 4n]), f), [x, mx.random.uniform(0.5, 2, [4]).astype(F)], 5e-3, 1e-3);
  });
  it('attention: q, k, v, an additive mask, sinks', () => {
    const [q, k, v] = [rand([1, 4, 3, 4], F, 54), rand([1, 2, 5, 4], F, 55), rand([1, 2, 5, 3], F, 56)];
    checkDerivatives((a, c, e) => mx.fast.scaledDotProductAttention(a, c, e, 0.5, 'causal'), [q, k, v], 1e-7);
    checkDerivatives((a, c, e, m, s) => mx.fast.scaledDotProductAttention(a, c, e, 0.5, m, s), [q, k, v, rand([3, 5], F, 57), rand([4], F, 58)], 1e-7);
  });
  it('cross entropy (a float32 loss) and the gated delta rule (its initial state is float32, as MLX: not perturbed)', () => {
    checkDerivatives((a) => mx.fast.crossEntropy(a, mx.array([1n, 0n, 4n])), [rand([3, 5], F, 59)], 2e-3, 1e-2);
    const gq = [rand([1, 3, 1, 2], F, 60), rand([1, 3, 1, 2], F, 61), rand([1, 3, 2, 3], F, 62), mx.random.uniform(0.5, 1, [1, 3, 2]).astype(F), mx.random.uniform(0, 1, [1, 3, 2]).astype(F), rand([1, 2, 3, 2], mx.float32, 63)];
    checkDerivatives((a, c, e, g, bb, h0) => mx.fast.gatedDeltaUpdate(a, c, e, g, bb, h0), gq, 1e-7, 1e-5);
  });
  it('the fused ops\' gradients equal the compositions\' (node-mlx spec bounds), second order too', () => {
    const x = rand([4, 16], mx.float32, 64);
    const w = rand([16], mx.float32, 65);
    const b = rand([16], mx.float32, 66);
    const y = rand([4, 16], mx.float32, 67);
    const pairs: [(...a: mx.MxArray[]) => mx.MxArray, (...a: mx.MxArray[]) => mx.MxArray, mx.MxArray[]][] = [
      [(a, c) => mx.sum(mx.multiply(mx.fast.rmsNorm(a, c, 1e-5), y)), (a, c) => mx.sum(mx.multiply(rmsNormRef(a, c, 1e-5), y)), [x, w]],
      [(a, c, e) => mx.sum(mx.multiply(mx.fast.layerNorm(a, c, e, 1e-5), y)), (a, c, e) => mx.sum(mx.multiply(layerNormRef(a, c, e, 1e-5), y)), [x, w, b]],
    ];
    for (const [fast, ref, args] of pairs) {
      const argnums = args.map((_, i) => i);
      const g1 = mx.grad(fast, argnums)(...args) as mx.MxArray[];
      const g2 = mx.grad(ref, argnums)(...args) as mx.MxArray[];
      g1.forEach((g, i) => expect(relErr(g, g2[i]!)).toBeLessThan(1e-5));
      // grad of grad (the closed-form vjps are ops, so they differentiate again)
      const gg = (f: typeof fast) => (...a: mx.MxArray[]) => mx.sum((mx.grad(f, argnums)(...a) as mx.MxArray[]).reduce((s, t) => mx.add(s, mx.sum(mx.square(t))), mx.array(0)));
      const h1 = mx.grad(gg(fast), 0)(...args) as mx.MxArray;
      const h2 = mx.grad(gg(ref), 0)(...args) as mx.MxArray;
      expect(relErr(h1, h2)).toBeLessThan(1e-3);
    }
    const q = rand([1, 2, 3, 4], mx.float32, 68);
    const kv = rand([1, 1, 5, 4], mx.float32, 69);
    const att = (fn: typeof sdpaRef | typeof mx.fast.scaledDotProductAttention) => (a: mx.MxArray, c: mx.MxArray) => mx.sum(mx.square(fn(a, c, c, 0.5, 'causal') as mx.MxArray));
    const ga = mx.grad(att(mx.fast.scaledDotProductAttention), [0, 1])(q, kv) as mx.MxArray[];
    const gb = mx.grad(att(sdpaRef), [0, 1])(q, kv) as mx.MxArray[];
    ga.forEach((g, i) => expect(relErr(g, gb[i]!)).toBeLessThan(1e-5));
  });
});

describe('transforms: vmap and compile of the fused ops equal per-example calls', () => {
  it('vmap: x alone keeps the fused kernel; batched weights, offsets and attention go through the fallback', () => {
    const xs = rand([3, 4, 8], mx.float32, 70); // 3 examples of [4, 8]
    const ws = rand([3, 8], mx.float32, 71);
    const loop = (f: (i: number) => mx.MxArray) => mx.stack([0, 1, 2].map(f));
    close(mx.vmap((x: mx.MxArray) => mx.fast.rmsNorm(x, ws.index(0), 1e-5))(xs), loop((i) => mx.fast.rmsNorm(xs.index(i), ws.index(0), 1e-5)));
    close(mx.vmap((x: mx.MxArray, w: mx.MxArray) => mx.fast.rmsNorm(x, w, 1e-5))(xs, ws), loop((i) => mx.fast.rmsNorm(xs.index(i), ws.index(i), 1e-5)));
    close(mx.vmap((x: mx.MxArray) => mx.fast.layerNorm(x, null, null, 1e-5), 2)(xs.transpose(1, 2, 0)), loop((i) => mx.fast.layerNorm(xs.index(i), null, null, 1e-5)));
    const r = rand([3, 2, 4, 8], mx.float32, 72); // 3 examples of [B=2, T=4, D=8]
    const off = mx.array([1n, 3n]);
    for (const ax of [0, 3]) {
      const got = mx.vmap((x: mx.MxArray) => mx.fast.rope(x, 8, false, 10000, 1, off), ax, 0)(ax === 0 ? r : r.transpose(1, 2, 3, 0));
      close(got, loop((i) => mx.fast.rope(r.index(i), 8, false, 10000, 1, off)));
    }
    const q = rand([3, 1, 2, 3, 4], mx.float32, 73);
    const k = rand([1, 1, 5, 4], mx.float32, 74);
    const got = mx.vmap((a: mx.MxArray) => mx.fast.scaledDotProductAttention(a, k, k, 0.5, 'causal'))(q);
    close(got, loop((i) => mx.fast.scaledDotProductAttention(q.index(i), k, k, 0.5, 'causal')));
  });
  it('compile replays the fused primitives; grad through vmap', () => {
    const x = rand([2, 3, 8], mx.float32, 75);
    const w = rand([8], mx.float32, 76);
    const f = (a: mx.MxArray) => mx.fast.rope(mx.fast.rmsNorm(a, w, 1e-5), 8, true, 10000, 1, 1);
    const c = mx.compile(f);
    close(c(x), f(x));
    close(c(mx.add(x, 1)), f(mx.add(x, 1)));
    const sdpa = (q: mx.MxArray) => mx.fast.scaledDotProductAttention(q, q, q, 0.3, 'causal');
    const q = rand([1, 2, 4, 8], mx.float32, 77);
    close(mx.compile(sdpa)(q), sdpa(q));
    const g1 = mx.grad((a: mx.MxArray) => mx.sum(mx.vmap((r: mx.MxArray) => mx.fast.rmsNorm(r, w, 1e-5))(a)))(x);
    const g2 = mx.grad((a: mx.MxArray) => mx.sum(mx.fast.rmsNorm(a, w, 1e-5)))(x);
    expect(relErr(g1, g2)).toBeLessThan(1e-6);
  });
});
