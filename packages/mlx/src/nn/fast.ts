// MLX's mx.fast.{layer_norm, rms_norm, rope, scaled_dot_product_attention} composed from mx ops
// (what MLX itself runs where it has no fused kernel), for the layers. Half-precision inputs
// are computed in float32 and the result cast back, as MLX's fallbacks do.
import * as mx from '@mlx-ts/core';

function isHalf(d: mx.Dtype): boolean {
  return d === mx.float16 || d === mx.bfloat16;
}

/** Normalizes over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. */
export function layerNorm(x: mx.array, weight: mx.array | null | undefined, bias: mx.array | null | undefined, eps: number): mx.array {
  const outType = weight ? mx.promoteTypes(x.dtype, weight.dtype) : x.dtype;
  const xf = isHalf(x.dtype) ? x.astype(mx.float32) : x;
  const mean = mx.mean(xf, -1, true);
  const v = mx.variance(xf, -1, true);
  let y = mx.multiply(mx.subtract(xf, mean), mx.rsqrt(mx.add(v, eps))).astype(outType);
  if (weight) y = mx.multiply(y, weight);
  if (bias) y = mx.add(y, bias);
  return y;
}

/** x / sqrt(mean(x^2) + eps) * weight over the last axis. */
export function rmsNorm(x: mx.array, weight: mx.array | null | undefined, eps: number): mx.array {
  const outType = weight ? mx.promoteTypes(x.dtype, weight.dtype) : x.dtype;
  const xf = isHalf(x.dtype) ? x.astype(mx.float32) : x;
  const y = mx.multiply(xf, mx.rsqrt(mx.add(mx.mean(mx.square(xf), -1, true), eps))).astype(outType);
  return weight ? mx.multiply(y, weight) : y;
}

/**
 * Rotary positional encoding of the first `dims` features of x [..., L, D] at positions
 * offset + [0, L): pairs (x[2i], x[2i+1]) when `traditional`, else (x[i], x[i + dims/2]),
 * rotated by (offset + l) * scale * base^(-2i/dims).
 */
export function rope(x: mx.array, dims: number, traditional: boolean, base: number, scale: number, offset: number | mx.array = 0): mx.array {
  const nd = x.ndim;
  if (nd < 2) throw new Error(`[rope] Input must have at least 2 dimensions but got ${nd}.`);
  const D = x.shape[nd - 1]!;
  if (dims > D || dims % 2 !== 0) throw new Error(`[rope] dims must be even and at most the last axis (${D}) but got ${dims}.`);
  const L = x.shape[nd - 2]!;
  const half = dims / 2;
  const inv = mx.exp(mx.multiply(mx.arange(0, half, 1, mx.float32), -2 * Math.log(base) / dims));
  const pos = mx.multiply(mx.add(mx.arange(0, L, 1, mx.float32), typeof offset === 'number' ? offset : offset.astype(mx.float32)), scale);
  const theta = mx.multiply(mx.expandDims(pos, -1), inv);
  const cos = mx.cos(theta);
  const sin = mx.sin(theta);
  const xf = x.astype(mx.float32);
  const S = (a: number | null, b: number | null, st: number | null = null) => xf.index('...', mx.Slice(a, b, st));
  const [x1, x2] = traditional ? [S(0, dims, 2), S(1, dims, 2)] : [S(0, half), S(half, dims)];
  const o1 = mx.subtract(mx.multiply(x1, cos), mx.multiply(x2, sin));
  const o2 = mx.add(mx.multiply(x1, sin), mx.multiply(x2, cos));
  let rot = traditional ? mx.flatten(mx.stack([o1, o2], -1), -2, -1) : mx.concatenate([o1, o2], -1);
  if (dims < D) rot = mx.concatenate([rot, S(dims, null)], -1);
  return rot.astype(x.dtype);
}

/**
 * softmax(q k^T * scale + mask) v over [B, H, L, D] inputs; keys and values may have fewer
 * heads than the queries (grouped-query attention). A bool mask keeps where true; 'causal'
 * masks the upper triangle.
 */
export function scaledDotProductAttention(q: mx.array, k: mx.array, v: mx.array, scale: number, mask?: mx.array | 'causal' | null): mx.array {
  const [B, H, L, D] = q.shape as [number, number, number, number];
  const kvH = k.shape[1]!;
  if (H % kvH !== 0) throw new Error(`[scaled_dot_product_attention] The number of query heads (${H}) must be a multiple of the number of key/value heads (${kvH}).`);
  const rep = H / kvH;
  let qq = mx.multiply(q, scale);
  if (rep > 1) qq = qq.reshape(B, kvH, rep, L, D);
  const kk = rep > 1 ? mx.expandDims(k, 2) : k;
  const vv = rep > 1 ? mx.expandDims(v, 2) : v;
  let scores = mx.matmul(qq, mx.swapaxes(kk, -1, -2));
  if (mask != null) {
    let m: mx.array;
    if (mask === 'causal') {
      const S = k.shape[2]!;
      m = mx.greaterEqual(mx.expandDims(mx.arange(S - L, S, 1, mx.int32), -1), mx.arange(0, S, 1, mx.int32));
    } else m = mask;
    // Grouped heads: the mask's head axis [.., H, L, S] becomes [.., kvH, rep, L, S].
    if (rep > 1 && m.ndim >= 3) m = m.shape[m.ndim - 3] === H ? mx.unflatten(m, -3, [kvH, rep]) : mx.expandDims(m, -3);
    scores = m.dtype === mx.bool ? mx.where(m, scores, mx.finfo(scores.dtype).min) : mx.add(scores, m);
  }
  const p = mx.softmax(scores, -1, true);
  const out = mx.matmul(p, vv);
  return rep > 1 ? out.reshape(B, H, L, -1) : out;
}
