// TensorFlow.js (@tensorflow/tfjs 4.22, which registers the gradients) on its 'cpu' backend or the 'wasm' backend of
// @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD build). Both backends run kernels synchronously
// inside the op call, so the timed call is the op itself (inside tf.tidy) plus dataSync() of
// scalar results; large outputs are not read back (that copy is the copy-out workload).
import { hashData, checksum, pkgVersion, mlpParams, llamaParams, intData, DECODER } from '../lib/workloads.mjs';

export async function init({ backend = 'cpu' } = {}) {
  const tf = await import('@tensorflow/tfjs');
  let wasm;
  if (backend === 'wasm') wasm = await import('@tensorflow/tfjs-backend-wasm');
  const silence = console.warn; console.warn = () => {};
  const ok = await tf.setBackend(backend);
  console.warn = silence;
  if (!ok) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const env = tf.env();
  const info = {
    library: 'tfjs', backend, version: pkgVersion('../node_modules/@tensorflow/tfjs/package.json'),
    threads: backend === 'cpu' ? 1 : (wasm.getThreadsCount?.() ?? 1),
  };
  if (backend === 'wasm') {
    info.simd = env.getBool('WASM_HAS_SIMD_SUPPORT');
    info.multithread = env.getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    info.threadNote = info.multithread ? undefined : 'tfjs-backend-wasm disables its threaded build under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE)';
  }
  const f32 = (n, seed, scale, shape) => tf.tensor(hashData(n, seed, scale), shape ?? [n], 'float32');
  const readback = (t) => checksum(t.dataSync());
  const free = (x) => tf.dispose(x);
  const elementwise = (fn) => (w) => {
    const a = f32(w.n, 1), b = f32(w.n, 2);
    const held = Array.from({ length: w.live ?? 0 }, (_, i) => tf.tensor1d([i], 'float32')); // w.live: as runners/mlx.mjs
    const call = () => tf.tidy(() => fn(a, b));
    return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([a, b, ...held]) };
  };
  const workloads = {
    add: elementwise((a, b) => tf.add(a, b)),
    fused: elementwise((a, b) => tf.add(tf.mul(tf.exp(a), b), 1)),
    sum: (w) => {
      const a = f32(w.n, 1);
      const call = () => { const s = tf.sum(a); s.dataSync(); return s; };
      return { op: call, dispose: free, check: () => { const s = call(); const r = [s.dataSync()[0]]; free(s); return r; }, teardown: () => free(a) };
    },
    matmul: (w) => {
      const A = f32(w.n * w.n, 3, 1, [w.n, w.n]), B = f32(w.n * w.n, 4, 1, [w.n, w.n]);
      const call = () => tf.matMul(A, B);
      return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([A, B]) };
    },
    matvec: (w) => {
      // the same data as mlx-ts's runner: W.T (W stored N x K) through matMul's transposeB, or W as stored
      const m = w.m ?? 1;
      const asStored = w.layout === 'W';
      const x = f32(m * w.k, 7, 1, [m, w.k]);
      const W = asStored ? f32(w.k * w.n, 8, 1, [w.k, w.n]) : f32(w.n * w.k, 8, 1, [w.n, w.k]);
      const call = () => tf.matMul(x, W, false, !asStored);
      return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([x, W]) };
    },
    chain: (w) => {
      const a = f32(w.n, 1), b = f32(w.n, 2);
      const call = () => tf.tidy(() => { let c = a; for (let i = 0; i < w.ops; i++) c = tf.add(c, b); return c; });
      return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([a, b]) };
    },
    decode: () => {
      // mlx-ts's decode step op for op (runners/mlx.mjs), with tfjs's ops: RMSNorm and RoPE
      // (non-traditional: rotated halves) written out, attention as batched matMuls over heads
      const { layers, dim: D, heads: H, hidden: F, vocab: V, cache: T, token, eps, ropeBase } = DECODER;
      const hd = D / H;
      const lin = (o, i, seed) => f32(o * i, seed, 1 / Math.sqrt(i), [o, i]);
      const norm = (seed) => tf.tidy(() => tf.add(f32(D, seed, 0.1), 1));
      const emb = f32(V * D, 90, 1, [V, D]);
      const L = [];
      for (let l = 0; l < layers; l++) {
        const s = 100 + 20 * l;
        L.push({
          an: norm(s), wq: lin(D, D, s + 1), wk: lin(D, D, s + 2), wv: lin(D, D, s + 3), wo: lin(D, D, s + 4),
          mn: norm(s + 5), w1: lin(F, D, s + 6), w3: lin(F, D, s + 7), w2: lin(D, F, s + 8),
          kc: f32(H * T * hd, s + 9, 1, [H, T, hd]), vc: f32(H * T * hd, s + 10, 1, [H, T, hd]),
        });
      }
      const fn = norm(95), head = lin(V, D, 96);
      const tok = tf.tensor1d([token], 'int32');
      const half = hd / 2;
      const ang = Float32Array.from({ length: half }, (_, i) => T * ropeBase ** (-(2 * i) / hd));
      const cos = tf.tensor(ang.map(Math.cos), [1, 1, half]), sin = tf.tensor(ang.map(Math.sin), [1, 1, half]);
      const all = [emb, fn, head, tok, cos, sin, ...L.flatMap((l) => Object.values(l))];
      const rms = (x, w) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w);
      const heads = (t) => tf.transpose(tf.reshape(t, [1, H, hd]), [1, 0, 2]); // (H, 1, hd)
      const rope = (t) => {
        const [x1, x2] = tf.split(t, 2, -1);
        return tf.concat([tf.sub(tf.mul(x1, cos), tf.mul(x2, sin)), tf.add(tf.mul(x1, sin), tf.mul(x2, cos))], -1);
      };
      const step = () => tf.tidy(() => {
        let x = tf.gather(emb, tok); // (1, D)
        for (const p of L) {
          const h = rms(x, p.an);
          const q = rope(heads(tf.matMul(h, p.wq, false, true)));
          const k = rope(heads(tf.matMul(h, p.wk, false, true)));
          const v = heads(tf.matMul(h, p.wv, false, true));
          const K = tf.concat([p.kc, k], 1), Vc = tf.concat([p.vc, v], 1);
          const att = tf.softmax(tf.mul(tf.matMul(q, K, false, true), 1 / Math.sqrt(hd)), -1);
          const o = tf.reshape(tf.transpose(tf.matMul(att, Vc), [1, 0, 2]), [1, D]);
          x = tf.add(x, tf.matMul(o, p.wo, false, true));
          const h2 = rms(x, p.mn);
          const g = tf.matMul(h2, p.w1, false, true);
          const u = tf.matMul(h2, p.w3, false, true);
          x = tf.add(x, tf.matMul(tf.mul(tf.mul(g, tf.sigmoid(g)), u), p.w2, false, true));
        }
        return tf.matMul(rms(x, fn), head, false, true);
      });
      // tfjs-wasm computes inside the op calls (as for matmul above, no read back)
      return { op: step, dispose: free, check: () => { const c = step(); const r = readback(c); free(c); return r; }, teardown: () => free(all) };
    },
    grad: (w) => {
      const X = f32(w.m * w.k, 5, 1, [w.m, w.k]), W = f32(w.k * w.n, 6, 0.05, [w.k, w.n]);
      // Gradient w.r.t. W only (X is closed over), as for the other libraries.
      const vg = tf.valueAndGrads((Wt) => tf.sum(tf.tanh(tf.matMul(X, Wt))));
      const call = () => tf.tidy(() => { const { value, grads } = vg([W]); value.dataSync(); return [value, grads[0]]; });
      return {
        op: call, dispose: free,
        check: () => { const [v, g] = call(); const r = [v.dataSync()[0], ...readback(g)]; free([v, g]); return r; },
        teardown: () => free([X, W]),
      };
    },
    conv2d: () => {
      const x = f32(56 * 56 * 64, 7, 1, [1, 56, 56, 64]);
      const ohwi = f32(64 * 3 * 3 * 64, 8, 0.05, [64, 3, 3, 64]);
      const W = tf.transpose(ohwi, [1, 2, 3, 0]); // tfjs's filters are HWIO
      free(ohwi);
      const call = () => tf.conv2d(x, W, 1, 'same');
      return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([x, W]) };
    },
    'copy-in': (w) => {
      const src = hashData(w.n, 1);
      const call = () => tf.tensor(src, [w.n], 'float32');
      return { op: call, dispose: free, check: () => { const x = call(); const r = readback(x); free(x); return r; }, noCopy: backend === 'cpu',
        note: backend === 'cpu' ? 'tfjs-cpu keeps the given Float32Array (no copy is made)' : undefined };
    },
    'copy-out': (w) => {
      const x = f32(w.n, 1);
      return { op: () => x.dataSync(), check: () => checksum(x.dataSync()), teardown: () => free(x), noCopy: backend === 'cpu',
        note: backend === 'cpu' ? 'tfjs-cpu dataSync() returns its own buffer (no copy is made)' : 'dataSync() (a copy out of the wasm heap)' };
    },
  };
  addTrainWorkloads(tf, workloads);
  const missing = {
    'generate-llama': 'not written for tfjs (a KV-cache decoder by hand); mlx-ts only',
    'decode-half': 'tfjs has no bfloat16 and no quantized matmul',
    'fused-compiled': 'tfjs has no jit/compile',
    'grad-compiled': 'tfjs has no jit/compile',
    view: 'tfjs has no zero-copy export API',
  };
  // lib/measure.mjs WAKE_MS: a small matmul that wakes the threads without touching the workload's data
  const wa = f32(256 * 256, 5, 1, [256, 256]), wb = f32(256 * 256, 6, 1, [256, 256]);
  const warmThreads = () => { const c = tf.matMul(wa, wb); c.dataSync(); free(c); };
  return { info, workloads, missing, warmThreads };
}

/**
 * Issue 13's training steps: the models of examples/ written with tf ops (tfjs has no RMSNorm,
 * RoPE or grouped-query attention layers), the same weights, tf.train.adam's minimize; the
 * step's loss is read back (dataSync), which also waits for it.
 */
function addTrainWorkloads(tf, workloads) {
  const vars = (params) => Object.fromEntries(params.map(([name, shape, seed, scale]) => [name,
    tf.variable(scale ? tf.tensor(hashData(shape.reduce((a, b) => a * b, 1), seed, scale), shape, 'float32') : tf.ones(shape))]));
  const linear = (x, W, b) => { const y = tf.matMul(x, W, false, true); return b ? tf.add(y, b) : y; };
  const crossEntropy = (logits, labels) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, logits.shape.at(-1)), tf.logSoftmax(logits)), -1)));
  const trainer = (params, lr, lossFn, inputs) => {
    const opt = tf.train.adam(lr);
    const list = Object.values(params);
    const step = () => { const cost = opt.minimize(lossFn, true, list); cost.dataSync(); return cost; };
    return {
      op: step,
      dispose: (c) => tf.dispose(c),
      check: () => { const c = step(); const r = [c.dataSync()[0]]; tf.dispose(c); return r; },
      teardown: () => { tf.dispose(list); opt.dispose(); tf.dispose(inputs); },
    };
  };
  workloads['train-mlp'] = (w) => {
    const p = vars(mlpParams(w));
    const x = tf.tensor(hashData(w.batch * w.dims[0], 9, 0.5), [w.batch, w.dims[0]], 'float32');
    const y = tf.tensor(intData(w.batch, w.dims.at(-1), 1), [w.batch], 'int32');
    const lossFn = () => {
      let h = x;
      for (const n of ['layers.0', 'layers.1']) h = tf.relu(linear(h, p[`${n}.weight`], p[`${n}.bias`]));
      return crossEntropy(linear(h, p['out.weight'], p['out.bias']), y);
    };
    return trainer(p, w.lr, lossFn, [x, y]);
  };
  workloads['train-llama'] = (w) => {
    const p = vars(llamaParams(w));
    const [B, L, D, H, KV] = [w.batch, w.seq, w.dims, w.heads, w.kvHeads];
    const hd = D / H, half = hd / 2, rep = H / KV;
    const tokens = intData(B * (L + 1), w.vocab, 2);
    const pick = (off) => Int32Array.from({ length: B * L }, (_, i) => tokens[Math.floor(i / L) * (L + 1) + (i % L) + off]);
    const x = tf.tensor(pick(0), [B, L], 'int32'), y = tf.tensor(pick(1), [B * L], 'int32');
    // RoPE's angles (MLX's non-traditional layout: the two halves of each head rotate together)
    const theta = tf.tidy(() => tf.outerProduct(tf.range(0, L, 1, 'float32'), tf.exp(tf.mul(tf.range(0, half, 1, 'float32'), -2 * Math.log(w.ropeBase) / hd))));
    const cos = tf.cos(theta), sin = tf.sin(theta);
    const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([L, L]), -1, 0)), -1e9));
    const rms = (h, g) => tf.mul(tf.mul(h, tf.rsqrt(tf.add(tf.mean(tf.square(h), -1, true), w.eps))), g);
    const rope = (t) => {
      const [t1, t2] = tf.split(t, 2, -1);
      return tf.concat([tf.sub(tf.mul(t1, cos), tf.mul(t2, sin)), tf.add(tf.mul(t1, sin), tf.mul(t2, cos))], -1);
    };
    const heads = (t, n) => tf.transpose(tf.reshape(t, [B, L, n, hd]), [0, 2, 1, 3]);
    // tfjs has no gradient for a rank-5 tile: the KV heads repeat as [B * KV, rep, L, hd]
    const repeatKV = (t) => (rep === 1 ? t : tf.reshape(tf.tile(tf.reshape(t, [B * KV, 1, L, hd]), [1, rep, 1, 1]), [B, H, L, hd]));
    const lossFn = () => {
      // tfjs-wasm has no gather gradient (UnsortedSegmentSum): the lookup as a one-hot matmul
      let h = tf.matMul(tf.oneHot(tf.reshape(x, [B * L]), w.vocab), p['model.embed_tokens.weight']);
      for (let l = 0; l < w.layers; l++) {
        const q_ = (n) => p[`model.layers.${l}.${n}.weight`];
        const a = rms(h, q_('input_layernorm'));
        const q = rope(heads(linear(a, q_('self_attn.q_proj')), H));
        const k = repeatKV(rope(heads(linear(a, q_('self_attn.k_proj')), KV)));
        const v = repeatKV(heads(linear(a, q_('self_attn.v_proj')), KV));
        const scores = tf.add(tf.matMul(tf.mul(q, 1 / Math.sqrt(hd)), k, false, true), mask);
        const o = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [B * L, D]);
        h = tf.add(h, linear(o, q_('self_attn.o_proj')));
        const m = rms(h, q_('post_attention_layernorm'));
        const g = linear(m, q_('mlp.gate_proj'));
        h = tf.add(h, linear(tf.mul(tf.mul(g, tf.sigmoid(g)), linear(m, q_('mlp.up_proj'))), q_('mlp.down_proj')));
      }
      return crossEntropy(linear(rms(h, p['model.norm.weight']), p['lm_head.weight']), y);
    };
    return trainer(p, w.lr, lossFn, [x, y, cos, sin, mask]);
  };
}
