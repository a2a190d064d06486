// The layers' fused ops: MLX's nn calls mx.fast.{layer_norm, rms_norm, rope,
// scaled_dot_product_attention}, so these are core's mx.fast (one primitive each with a fused
// kernel, its fallback composition where a backend declines it), under the names the layers use.
import * as mx from '@mlx-ts/core';

/** Normalizes over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. */
export function layerNorm(x: mx.array, weight: mx.array | null | undefined, bias: mx.array | null | undefined, eps: number): mx.array {
  return mx.fast.layerNorm(x, weight ?? null, bias ?? null, eps);
}

/** x / sqrt(mean(x^2) + eps) * weight over the last axis. */
export function rmsNorm(x: mx.array, weight: mx.array | null | undefined, eps: number): mx.array {
  return mx.fast.rmsNorm(x, weight ?? null, eps);
}

/**
 * Rotary positional encoding of the first `dims` features of x [..., L, D] at positions
 * offset + [0, L): pairs (x[2i], x[2i+1]) when `traditional`, else (x[i], x[i + dims/2]).
 */
export function rope(x: mx.array, dims: number, traditional: boolean, base: number, scale: number, offset: number | mx.array = 0): mx.array {
  return mx.fast.rope(x, dims, traditional, base, scale, offset);
}

/**
 * softmax(q k^T * scale + mask) v over [B, H, L, D] inputs; keys and values may have fewer
 * heads than the queries (grouped-query attention). A bool mask keeps where true; 'causal'
 * masks the upper triangle.
 */
export function scaledDotProductAttention(q: mx.array, k: mx.array, v: mx.array, scale: number, mask?: mx.array | 'causal' | null): mx.array {
  return mx.fast.scaledDotProductAttention(q, k, v, scale, mask ?? null);
}
