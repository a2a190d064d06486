// A small Llama-style decoder (RMSNorm, RoPE, grouped-query attention with a KV cache, SwiGLU
// MLP) trained on characters of a short public-domain text (the Gettysburg Address and the
// opening of the Declaration of Independence, examples/data/), then generating with the KV
// cache. The weights are saved in mlx-lm's safetensors layout (model.embed_tokens.weight,
// model.layers.N.self_attn.q_proj.weight, ..., lm_head.weight) with a config.json that
// mlx-lm's Llama loads (tests/examples checks the logits).
//   node examples/llama.mjs [steps] [outDir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx, nn, optimizers as optim } from 'mlx-ts';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultArgs = { vocabSize: 64, hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128, rmsNormEps: 1e-5, ropeTheta: 10000 };

/** Keys and values of the positions seen so far, per layer. */
export class KVCache {
  offset = 0;
  updateAndFetch(keys, values) {
    this.keys = this.keys ? mx.concatenate([this.keys, keys], 2) : keys;
    this.values = this.values ? mx.concatenate([this.values, values], 2) : values;
    this.offset += keys.shape[2];
    return [this.keys, this.values];
  }
}

class Attention extends nn.Module {
  constructor(a) {
    super();
    this.nHeads = a.numAttentionHeads;
    this.nKVHeads = a.numKeyValueHeads;
    this.headDim = a.hiddenSize / a.numAttentionHeads;
    this.qProj = new nn.Linear(a.hiddenSize, this.nHeads * this.headDim, false);
    this.kProj = new nn.Linear(a.hiddenSize, this.nKVHeads * this.headDim, false);
    this.vProj = new nn.Linear(a.hiddenSize, this.nKVHeads * this.headDim, false);
    this.oProj = new nn.Linear(this.nHeads * this.headDim, a.hiddenSize, false);
    this.rope = new nn.RoPE(this.headDim, false, a.ropeTheta);
  }
  forward(x, cache) {
    const [B, L] = x.shape;
    const heads = (t, n) => t.reshape(B, L, n, -1).transpose(0, 2, 1, 3); // [B, n, L, headDim]
    let q = heads(this.qProj.forward(x), this.nHeads);
    let k = heads(this.kProj.forward(x), this.nKVHeads);
    let v = heads(this.vProj.forward(x), this.nKVHeads);
    const offset = cache?.offset ?? 0;
    q = this.rope.forward(q, offset);
    k = this.rope.forward(k, offset);
    if (cache) [k, v] = cache.updateAndFetch(k, v);
    // 'causal' is aligned to the last key, so a prompt after cached positions is masked right
    const out = mx.fast.scaledDotProductAttention(q, k, v, 1 / Math.sqrt(this.headDim), L > 1 ? 'causal' : null);
    return this.oProj.forward(out.transpose(0, 2, 1, 3).reshape(B, L, -1));
  }
}

class MLP extends nn.Module {
  constructor(a) {
    super();
    this.gateProj = new nn.Linear(a.hiddenSize, a.intermediateSize, false);
    this.upProj = new nn.Linear(a.hiddenSize, a.intermediateSize, false);
    this.downProj = new nn.Linear(a.intermediateSize, a.hiddenSize, false);
  }
  forward(x) {
    return this.downProj.forward(mx.multiply(nn.silu(this.gateProj.forward(x)), this.upProj.forward(x)));
  }
}

class TransformerBlock extends nn.Module {
  constructor(a) {
    super();
    this.selfAttn = new Attention(a);
    this.mlp = new MLP(a);
    this.inputLayernorm = new nn.RMSNorm(a.hiddenSize, a.rmsNormEps);
    this.postAttentionLayernorm = new nn.RMSNorm(a.hiddenSize, a.rmsNormEps);
  }
  forward(x, cache) {
    const h = mx.add(x, this.selfAttn.forward(this.inputLayernorm.forward(x), cache));
    return mx.add(h, this.mlp.forward(this.postAttentionLayernorm.forward(h)));
  }
}

class LlamaModel extends nn.Module {
  constructor(a) {
    super();
    this.embedTokens = new nn.Embedding(a.vocabSize, a.hiddenSize);
    this.layers = Array.from({ length: a.numHiddenLayers }, () => new TransformerBlock(a));
    this.norm = new nn.RMSNorm(a.hiddenSize, a.rmsNormEps);
  }
  forward(tokens, caches) {
    let h = this.embedTokens.forward(tokens);
    this.layers.forEach((layer, i) => (h = layer.forward(h, caches?.[i])));
    return this.norm.forward(h);
  }
}

export class Llama extends nn.Module {
  constructor(args = defaultArgs) {
    super();
    this.args = { ...args };
    this.model = new LlamaModel(this.args);
    this.lmHead = new nn.Linear(args.hiddenSize, args.vocabSize, false);
  }
  /** Logits [B, L, vocab] of tokens [B, L]; with caches (one KVCache per layer) only the new tokens are given. */
  forward(tokens, caches) {
    return this.lmHead.forward(this.model.forward(tokens, caches));
  }
  makeCache() {
    return this.model.layers.map(() => new KVCache());
  }
}

/** The characters of a text as token ids, and back. */
export function charTokenizer(text) {
  const chars = [...new Set(text)].sort();
  const ids = new Map(chars.map((c, i) => [c, i]));
  return { vocabSize: chars.length, encode: (s) => [...s].map((c) => ids.get(c)), decode: (t) => t.map((i) => chars[i]).join('') };
}

/**
 * Greedy (temperature 0) or sampled continuation of `prompt` (token ids): with the KV cache,
 * one new token per step; without, the whole sequence again at every step.
 */
export function generate(model, prompt, maxTokens, { useCache = true, temperature = 0 } = {}) {
  const pick = (logits) => (temperature === 0 ? mx.argmax(logits, -1) : mx.random.categorical(mx.multiply(logits, 1 / temperature)));
  const out = [...prompt];
  const caches = useCache ? model.makeCache() : undefined;
  let input = mx.array([prompt], mx.int32);
  for (let i = 0; i < maxTokens; i++) {
    let next;
    mx.tidy(() => {
      next = pick(model.forward(input, caches).index(mx.Slice(), -1)).item();
      return caches; // kept: the keys and values made in this step
    });
    out.push(next);
    input = useCache ? mx.array([[next]], mx.int32) : mx.array([out], mx.int32);
  }
  return out;
}

/** Trains on the text; returns { model, tokenizer, losses } (the loss of every step). */
export function train({ steps = 300, batchSize = 16, context = 64, learningRate = 3e-3, seed = 0, log = console.log, args = {} } = {}) {
  mx.random.seed(seed);
  const text = readFileSync(join(here, 'data', 'gettysburg-and-declaration.txt'), 'utf8');
  const tokenizer = charTokenizer(text);
  const data = mx.array(tokenizer.encode(text), mx.int32);
  const model = new Llama({ ...defaultArgs, ...args, vocabSize: tokenizer.vocabSize });
  mx.eval(model);
  const optimizer = new optim.AdamW(learningRate, undefined, undefined, 0.01);
  const lossFn = (x, y) => nn.losses.crossEntropy(model.forward(x), y, null, -1, 0, 'mean');
  const lossAndGrad = nn.valueAndGrad(model, lossFn);
  const windows = mx.expandDims(mx.arange(context + 1, mx.int32), 0);
  const losses = [];
  for (let step = 0; step < steps; step++) {
    // tidy frees the step's temporaries at once (a synchronous loop never lets the GC run)
    mx.tidy(() => {
      const starts = mx.random.randint(0, data.shape[0] - context - 1, [batchSize, 1], mx.int32);
      const chunk = mx.take(data, mx.add(starts, windows)); // [batchSize, context + 1]
      const [loss, grads] = lossAndGrad(chunk.index(mx.Slice(), mx.Slice(0, -1)), chunk.index(mx.Slice(), mx.Slice(1)));
      optimizer.update(model, grads);
      mx.eval(model, optimizer.state, loss);
      losses.push(loss.item());
      return [model, optimizer.state];
    });
    if ((step + 1) % 50 === 0) log(`step ${step + 1}: loss ${losses.at(-1).toFixed(3)}`);
  }
  return { model, tokenizer, losses };
}

/** Saves weights (mlx-lm's names) and config.json into `dir`; `load(dir)` reads them back. */
export function save(model, dir) {
  mkdirSync(dir, { recursive: true });
  model.saveWeights(join(dir, 'model.safetensors'));
  const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', tie_word_embeddings: false, ...Object.fromEntries(Object.entries(model.args).map(([k, v]) => [snake(k), v])) }, null, 2));
}

export function load(dir) {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const args = Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'model_type' && k !== 'tie_word_embeddings').map(([k, v]) => [camel(k), v]));
  return new Llama(args).loadWeights(join(dir, 'model.safetensors'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { model, tokenizer } = train({ steps: Number(process.argv[2] ?? 300) });
  const outDir = process.argv[3] ?? join(here, 'data', 'llama');
  save(model, outDir);
  const prompt = tokenizer.encode('We hold these ');
  const t0 = performance.now();
  const tokens = generate(load(outDir), prompt, 100);
  const secs = (performance.now() - t0) / 1000;
  console.log(`saved to ${outDir}\n${JSON.stringify(tokenizer.decode(tokens))}\n${(100 / secs).toFixed(1)} tokens/s (KV cache, greedy)`);
}
