import { readFileSync } from 'node:fs';
// The workloads every library runs: ids, sizes, what one timed call does, and the work it does
// (FLOPs for matmul, bytes touched for the streaming ones) for the throughput column.

export const E6 = 1_000_000;
export const E16 = 16_000_000;

/** @typedef {{ id: string, title: string, family: string, n?: number, m?: number, k?: number,
 *   flops?: number, bytes?: number, micro?: boolean, predictFrom?: string, predictFactor?: number }} Workload */

/** The MLP of examples/digits-mlp.mjs at a bench batch size. */
export const MLP_SPEC = { batch: 128, dims: [64, 128, 128, 10], lr: 1e-3 };
/** The decoder of examples/llama.mjs (its default size). */
export const LLAMA_SPEC = { vocab: 64, dims: 64, heads: 4, kvHeads: 2, layers: 2, hidden: 128, batch: 8, seq: 64, lr: 1e-3, eps: 1e-5, ropeBase: 10000 };

/**
 * The trained models' parameters, in an order every runner follows: [name (mlx-lm's), shape,
 * seed, scale]; scale 0 is a norm weight (ones). Each runner fills them with hashData.
 */
export function mlpParams({ dims } = MLP_SPEC) {
  const names = ['layers.0', 'layers.1', 'out'];
  return names.flatMap((n, i) => [[`${n}.weight`, [dims[i + 1], dims[i]], 100 + 2 * i, 1 / Math.sqrt(dims[i])], [`${n}.bias`, [dims[i + 1]], 101 + 2 * i, 1 / Math.sqrt(dims[i])]]);
}
export function llamaParams(c = LLAMA_SPEC) {
  const hd = c.dims / c.heads, lin = (name, out, inp, seed) => [`${name}.weight`, [out, inp], seed, 1 / Math.sqrt(inp)];
  const ps = [['model.embed_tokens.weight', [c.vocab, c.dims], 200, 1]];
  for (let l = 0; l < c.layers; l++) {
    const p = `model.layers.${l}`, s = 300 + 20 * l;
    ps.push(lin(`${p}.self_attn.q_proj`, c.heads * hd, c.dims, s), lin(`${p}.self_attn.k_proj`, c.kvHeads * hd, c.dims, s + 1),
      lin(`${p}.self_attn.v_proj`, c.kvHeads * hd, c.dims, s + 2), lin(`${p}.self_attn.o_proj`, c.dims, c.heads * hd, s + 3),
      lin(`${p}.mlp.gate_proj`, c.hidden, c.dims, s + 4), lin(`${p}.mlp.up_proj`, c.hidden, c.dims, s + 5), lin(`${p}.mlp.down_proj`, c.dims, c.hidden, s + 6),
      [`${p}.input_layernorm.weight`, [c.dims], 0, 0], [`${p}.post_attention_layernorm.weight`, [c.dims], 0, 0]);
  }
  ps.push(['model.norm.weight', [c.dims], 0, 0], lin('lm_head', c.vocab, c.dims, 400));
  return ps;
}
/** Deterministic int32 inputs in [0, n): tokens and labels. */
export function intData(count, n, seed) {
  return Int32Array.from({ length: count }, (_, i) => (i * 7 + seed * 13 + ((i * i) % 11)) % n);
}

/** X (m x 4096) @ W.T and @ W (as stored), W 4096 x 4096 float32: issue 17's skinny products; bytes: the weight streamed once. */
function skinny(m) {
  return [
    { id: `matvec-4096-m${m}`, family: 'matvec', title: `matmul X @ W.T, X ${m}x4096, W 4096x4096 float32`, m, k: 4096, n: 4096, flops: 2 * m * 4096 * 4096, bytes: 4 * 4096 * 4096 },
    { id: `matvec-4096-m${m}-w`, family: 'matvec', layout: 'W', title: `matmul X @ W, X ${m}x4096, W 4096x4096 float32 (W as stored)`, m, k: 4096, n: 4096, flops: 2 * m * 4096 * 4096, bytes: 4 * 4096 * 4096 },
  ];
}

/** @type {Workload[]} */
export const WORKLOADS = [
  { id: 'add-1e6', family: 'add', title: 'add a+b, 1e6 float32', n: E6, bytes: 12 * E6 },
  { id: 'add-1.6e7', family: 'add', title: 'add a+b, 1.6e7 float32', n: E16, bytes: 12 * E16 },
  { id: 'fused-1e6', family: 'fused', title: 'exp(a)*b+1, 1e6 float32 (op by op)', n: E6, bytes: 12 * E6 },
  { id: 'fused-compiled-1e6', family: 'fused-compiled', title: 'exp(a)*b+1, 1e6 float32 (mx.compile / jit)', n: E6, bytes: 12 * E6 },
  { id: 'sum-1.6e7', family: 'sum', title: 'sum(a) to a scalar, 1.6e7 float32', n: E16, bytes: 4 * E16 },
  { id: 'matmul-256', family: 'matmul', title: 'matmul 256x256 @ 256x256 float32', n: 256, flops: 2 * 256 ** 3 },
  { id: 'matmul-512', family: 'matmul', title: 'matmul 512x512 @ 512x512 float32', n: 512, flops: 2 * 512 ** 3, predictFrom: 'matmul-256', predictFactor: 8 },
  { id: 'matmul-1024', family: 'matmul', title: 'matmul 1024x1024 @ 1024x1024 float32', n: 1024, flops: 2 * 1024 ** 3, predictFrom: 'matmul-512', predictFactor: 8 },
  // X 256x512, W 512x256: forward 2*256*512*256 flops, backward (dW = X^T @ dY) as much again.
  // a 4-bit quantized layer against the float32 one it replaces (issue 12: >= 4x)
  { id: 'matvec-4096', family: 'matvec', title: 'matmul x @ W.T, x 1x4096, W 4096x4096 float32', m: 1, k: 4096, n: 4096, flops: 2 * 4096 * 4096, bytes: 4 * 4096 * 4096 },
  { id: 'qmv-4096', family: 'qmv', title: 'quantizedMatmul x @ W.T, W 4096x4096 4-bit (group 64), x 1x4096 float32', m: 1, k: 4096, n: 4096, flops: 2 * 4096 * 4096 },
  { id: 'grad', family: 'grad', title: 'valueAndGrad of sum(tanh(X@W)) w.r.t. W, X 256x512, W 512x256', m: 256, k: 512, n: 256, flops: 2 * (2 * 256 * 512 * 256) },
  { id: 'grad-compiled', family: 'grad-compiled', title: 'the same gradient step through mx.compile / jit', m: 256, k: 512, n: 256, flops: 2 * (2 * 256 * 512 * 256) },
  // NHWC input, OHWI weights (MLX's layouts; the peers get theirs, converted before timing): 2 * 56*56 * 64 * 3*3*64 flops.
  { id: 'conv2d', family: 'conv2d', title: 'conv2d 1x56x56x64, 3x3 kernel, 64 filters, padding 1 (same), float32', flops: 2 * 56 * 56 * 64 * 3 * 3 * 64 },
  // issue 12 (fft, fast): a complex fft of 2^20 points (5 n log2 n flops by convention) against NumPy's pocketfft;
  // fused attention against the same attention written with ops (4 * H * L^2 * D flops of its two matmuls)
  { id: 'fft-2^20', family: 'fft', title: 'complex fft of 2^20 points, complex64', n: 2 ** 20, flops: 5 * 2 ** 20 * 20 },
  { id: 'sdpa-8x512x64', family: 'sdpa', title: 'scaledDotProductAttention, 8 heads x 512 tokens x 64, float32 (mx.fast)', m: 8, n: 512, k: 64, flops: 4 * 8 * 512 * 512 * 64 },
  { id: 'sdpa-ops-8x512x64', family: 'sdpa-ops', title: 'the same attention written with ops: softmax(q·scale @ kᵀ) @ v', m: 8, n: 512, k: 64, flops: 4 * 8 * 512 * 512 * 64 },
  { id: 'copy-in-1.6e7', family: 'copy-in', title: 'TypedArray -> array (copy in), 1.6e7 float32', n: E16, bytes: 8 * E16 },
  { id: 'copy-out-1.6e7', family: 'copy-out', title: 'array -> TypedArray (copy out), 1.6e7 float32', n: E16, bytes: 8 * E16 },
  { id: 'view-1e3', family: 'view', title: 'zero-copy view export, 1e3 float32', n: 1000, micro: true },
  { id: 'view-1.6e7', family: 'view', title: 'zero-copy view export, 1.6e7 float32', n: E16, micro: true },
  // issue 13: one training step (forward, loss, gradients, Adam update, eval) of the digits MLP
  // and of the Llama-style decoder of examples/, the same model and weights in each library
  { id: 'train-mlp', family: 'train-mlp', title: 'training step: MLP 64-128-128-10 (ReLU), batch 128, cross-entropy, Adam', ...MLP_SPEC },
  { id: 'train-llama', family: 'train-llama', title: 'training step: Llama-style decoder (examples/llama.mjs: 2 layers, dims 64, 4 heads / 2 KV heads, SwiGLU 128, RMSNorm, RoPE), batch 8 x 64 tokens, Adam', ...LLAMA_SPEC },
  { id: 'generate-llama', family: 'generate-llama', title: 'generation: 32 greedy tokens after an 8-token prompt with the KV cache, the same decoder (one call = 32 tokens)', ...LLAMA_SPEC, tokens: 32, prompt: 8 },
  // issue 17: the shapes inference runs. matvec-4096 above is x @ W.T (a Linear layer's layout);
  // `layout: 'W'` multiplies by the weight as stored (K x N). bytes: the weight streamed once.
  { id: 'matvec-4096-w', family: 'matvec', layout: 'W', title: 'matmul x @ W, x 1x4096, W 4096x4096 float32 (W as stored)', m: 1, k: 4096, n: 4096, flops: 2 * 4096 * 4096, bytes: 4 * 4096 * 4096 },
  // The skinny products (M from 1 to 16 rows, issue 17) at 8 rows here, 4 and 16 at the end.
  ...skinny(8),
  { id: 'small-add-100', family: 'add', title: 'add a+b, 100 float32 (per-op overhead: op + eval)', n: 100, micro: true },
  { id: 'chain-10-add-100', family: 'chain', title: 'a chain of 10 adds on 100 float32, then one eval', n: 100, ops: 10, micro: true },
  { id: 'matmul-64', family: 'matmul', title: 'matmul 64x64 @ 64x64 float32 (op + eval)', n: 64, flops: 2 * 64 ** 3, micro: true },
  { id: 'decode-step', family: 'decode', title: 'one decoding step (tokens/s = 1000 / ms): Llama-style, 4 layers, width 512, 8 heads, MLP 1536, vocab 4096, KV cache 256, batch 1, float32', micro: false },
  // the same model as MLX users load it (weights and activations bfloat16; Linear layers 4-bit): mlx-ts only
  { id: 'decode-step-bf16', family: 'decode-half', title: 'the decoding step of decode-step with weights, cache and activations in bfloat16', micro: false, dtype: 'bfloat16' },
  { id: 'decode-step-q4', family: 'decode-half', title: 'the decoding step of decode-step with 4-bit Linear weights (group 64) and bfloat16 activations', micro: false, dtype: 'bfloat16', bits: 4 },
  // after the rest, so that the workloads before them run as in earlier runs (each runner is one
  // process through the list: the small ops' samples move with what ran before them)
  ...skinny(4),
  ...skinny(16),
  // the small add again while the program holds 20,000 other arrays (a model's parameters and
  // caches, a list of results): the per-op cost must not grow with the arrays alive
  { id: 'small-add-100-live', family: 'add', title: 'add a+b, 100 float32, op + eval, with 20,000 other arrays alive', n: 100, live: 20000, micro: true },
];

/** The decoder of the decode-step workload (same weights, seeds and math in every runner). */
export const DECODER = { layers: 4, dim: 512, heads: 8, hidden: 1536, vocab: 4096, cache: 255, token: 17, eps: 1e-5, ropeBase: 10000 };

export const byId = new Map(WORKLOADS.map((w) => [w.id, w]));

/**
 * Deterministic float32 inputs that every runner (JS and Python) reproduces bit for bit:
 * a 32-bit integer hash of (index, seed) mapped to [-scale, scale).
 */
export function hashData(n, seed, scale = 1) {
  const out = new Float32Array(n);
  const s = Math.imul(seed + 1, 0x9e3779b1) >>> 0;
  for (let i = 0; i < n; i++) {
    let h = (Math.imul(i, 0x85ebca6b) ^ s) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    out[i] = ((h >>> 8) / 16777216 * 2 - 1) * scale;
  }
  return out;
}

/** float64 sum and sum of |x| of a readback, for the cross-library result check. */
export function checksum(values) {
  let s = 0, sa = 0;
  for (let i = 0; i < values.length; i++) { const v = values[i]; s += v; sa += Math.abs(v); }
  return [s, sa];
}

/** The version field of a package.json given relative to bench/runners/. */
export function pkgVersion(rel) {
  try { return JSON.parse(readFileSync(new URL(rel, new URL('../runners/', import.meta.url)), 'utf8')).version; } catch { return undefined; }
}
