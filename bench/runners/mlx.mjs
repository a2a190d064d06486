// mlx-ts on one of its registered CPU backends (mx.setCpuBackend(name)), or with `gpu: true` on
// the WebGPU backend (packages/metal-backend, built) as the default device.
// Timed call = the op(s) + mx.eval(outputs) (+ mx.synchronize() on the GPU, where eval only
// queues the work). Inputs are evaluated before timing.
import { hashData, checksum, pkgVersion, mlpParams, llamaParams, intData, DECODER } from '../lib/workloads.mjs';

/** Ways a CPU backend may expose its thread count; the first one found is used. */
function threadControl(mx) {
  const holders = [mx, mx.wasm, mx.cpu, mx.backend].filter((h) => h && (typeof h === 'object' || typeof h === 'function'));
  const setNames = ['setNumThreads', 'setCpuThreads', 'setThreads', 'setThreadCount', 'setWasmThreads'];
  const getNames = ['numThreads', 'getNumThreads', 'getCpuThreads', 'getThreads', 'threadCount', 'getThreadCount', 'getWasmThreads'];
  let set, get, how;
  for (const h of holders) {
    for (const n of setNames) if (!set && typeof h[n] === 'function') { set = h[n].bind(h); how = `mx${h === mx ? '' : '.<ns>'}.${n}`; }
    for (const n of getNames) if (!get && typeof h[n] === 'function') get = h[n].bind(h);
  }
  return { set, get, how };
}

/** Registers the GPU (the built packages/metal-backend) on this very core module and makes it the default device. */
async function startGpu(mx) {
  const gpuPkg = await import(new URL('../../packages/metal-backend/dist/index.js', import.meta.url));
  const be = gpuPkg.registerWebGPU();
  if (!mx.isAvailable(mx.gpu)) throw new Error('packages/metal-backend registered its GPU on another copy of @mlx-ts/core than MLX_CORE');
  mx.setDefaultDevice(mx.gpu);
  const a = be.adapter;
  const name = [a.description, a.architecture].filter(Boolean).join(', ') || `vendor ${a.vendor}`;
  // software rasterizers: Mesa's llvmpipe/lavapipe, SwiftShader, WARP
  const software = /llvmpipe|lavapipe|softpipe|swiftshader|warp|basic render/i.test(`${a.description} ${a.architecture} ${a.device}`);
  return { adapter: name, software, features: a.features };
}

export async function init({ backend = 'reference', threads, gpu = false } = {}) {
  const mx = await import(process.env.MLX_CORE ?? '@mlx-ts/core');
  mx.setCpuBackend(backend);
  const gpuInfo = gpu ? await startGpu(mx) : null;
  const tc = threadControl(mx);
  let threadNote;
  if (threads != null) {
    if (tc.set) { await tc.set(threads); threadNote = `set to ${threads} with ${tc.how}`; }
    else threadNote = 'no thread-count API found (looked for mx.setNumThreads and similar): the backend\'s default';
  }
  let threadCount = tc.get ? await tc.get() : (backend === 'reference' ? 1 : undefined);
  if (typeof threadCount === 'object' && threadCount) threadCount = threadCount.threads ?? threadCount.count;
  const f32 = (n, seed, scale) => mx.array(hashData(n, seed, scale));
  const evald = (...xs) => { mx.eval(...xs); return xs; };
  const hasToTA = typeof mx.MxArray?.prototype?.toTypedArray === 'function';
  const readback = (x) => {
    if (hasToTA) return checksum(x.toTypedArray());
    return [mx.sum(x).item(), mx.sum(mx.abs(x)).item()];
  };
  const elementwise = (fn) => (w) => {
    const [a, b] = evald(f32(w.n, 1), f32(w.n, 2));
    // w.live: that many other small arrays held while the op runs (a program's parameters, results)
    const held = Array.from({ length: w.live ?? 0 }, (_, i) => mx.array([i]));
    mx.eval(held);
    return {
      op: () => { const c = fn(a, b); mx.eval(c); return c; },
      dispose: (c) => mx.dispose(c),
      check: () => { const c = fn(a, b); mx.eval(c); const r = readback(c); mx.dispose(c); return r; },
      teardown: () => mx.dispose([a, b, held]),
    };
  };
  const fusedFn = (x, y) => mx.add(mx.multiply(mx.exp(x), y), 1);
  const lossFn = (W, X) => mx.sum(mx.tanh(mx.matmul(X, W)));
  const gradStep = (vg) => (w) => {
    const [X, W] = evald(f32(w.m * w.k, 5).reshape(w.m, w.k), f32(w.k * w.n, 6, 0.05).reshape(w.k, w.n));
    const call = () => { const out = vg(W, X); mx.eval(out); return out; };
    return {
      op: call,
      dispose: (out) => mx.dispose(out),
      check: () => { const [v, g] = call(); const r = [v.item(), ...readback(g)]; mx.dispose([v, g]); return r; },
      teardown: () => mx.dispose([X, W]),
    };
  };
  /** q, k, v [1, heads, tokens, dim] */
  const attention = (w, fn) => {
    const shape = [1, w.m, w.n, w.k];
    const size = w.m * w.n * w.k;
    const [q, k, v] = evald(f32(size, 11).reshape(shape), f32(size, 12).reshape(shape), f32(size, 13).reshape(shape));
    const scale = 1 / Math.sqrt(w.k);
    const call = () => { const o = fn(q, k, v, scale); mx.eval(o); return o; };
    return { op: call, dispose: (o) => mx.dispose(o), check: () => { const o = call(); const r = readback(o); mx.dispose(o); return r; }, teardown: () => mx.dispose([q, k, v]) };
  };
  const workloads = {
    add: elementwise((a, b) => mx.add(a, b)),
    fused: elementwise(fusedFn),
    'fused-compiled': elementwise(mx.compile(fusedFn)),
    sum: (w) => {
      const [a] = evald(f32(w.n, 1));
      const call = () => { const s = mx.sum(a); mx.eval(s); return s; };
      return { op: call, dispose: (s) => mx.dispose(s), check: () => [call().item()], teardown: () => mx.dispose(a) };
    },
    matmul: (w) => {
      const [A, B] = evald(f32(w.n * w.n, 3).reshape(w.n, w.n), f32(w.n * w.n, 4).reshape(w.n, w.n));
      const call = () => { const c = mx.matmul(A, B); mx.eval(c); return c; };
      return { op: call, dispose: (c) => mx.dispose(c), check: () => { const c = call(); const r = readback(c); mx.dispose(c); return r; }, teardown: () => mx.dispose([A, B]) };
    },
    matvec: (w) => {
      // W.T (W stored N x K, a Linear layer's layout), or W as stored (K x N) with layout 'W'
      const m = w.m ?? 1;
      const asStored = w.layout === 'W';
      const [x, W] = evald(f32(m * w.k, 7).reshape(m, w.k), asStored ? f32(w.k * w.n, 8).reshape(w.k, w.n) : f32(w.n * w.k, 8).reshape(w.n, w.k));
      const call = () => { const c = mx.matmul(x, asStored ? W : mx.transpose(W)); mx.eval(c); return c; };
      return { op: call, dispose: (c) => mx.dispose(c), check: () => { const c = call(); const r = readback(c); mx.dispose(c); return r; }, teardown: () => mx.dispose([x, W]) };
    },
    grad: gradStep(mx.valueAndGrad(lossFn)),
    'grad-compiled': gradStep(mx.compile(mx.valueAndGrad(lossFn))),
    conv2d: () => {
      const [x, W] = evald(f32(56 * 56 * 64, 7).reshape(1, 56, 56, 64), f32(64 * 3 * 3 * 64, 8, 0.05).reshape(64, 3, 3, 64));
      const call = () => { const y = mx.conv2d(x, W, 1, 1); mx.eval(y); return y; };
      return { op: call, dispose: (y) => mx.dispose(y), check: () => { const y = call(); const r = readback(y); mx.dispose(y); return r; }, teardown: () => mx.dispose([x, W]) };
    },
    fft: (w) => {
      const [x] = evald(mx.add(f32(w.n, 1), mx.multiply(f32(w.n, 2), mx.Complex(0, 1))));
      const call = () => { const y = mx.fft.fft(x); mx.eval(y); return y; };
      return { op: call, dispose: (y) => mx.dispose(y), check: () => { const y = call(); const r = readback(mx.view(y, mx.float32)); mx.dispose(y); return r; }, teardown: () => mx.dispose(x) };
    },
    sdpa: (w) => attention(w, (q, k, v, scale) => mx.fast.scaledDotProductAttention(q, k, v, scale)),
    'sdpa-ops': (w) => attention(w, (q, k, v, scale) => mx.matmul(mx.softmax(mx.matmul(mx.multiply(q, scale), mx.swapaxes(k, -1, -2)), -1, true), v)),
    chain: (w) => {
      const [a, b] = evald(f32(w.n, 1), f32(w.n, 2));
      // the intermediates are the caller's: disposed with the result
      const call = () => { const all = []; let c = a; for (let i = 0; i < w.ops; i++) all.push((c = mx.add(c, b))); mx.eval(c); return all; };
      return { op: call, dispose: (all) => mx.dispose(all), check: () => { const all = call(); const r = readback(all.at(-1)); mx.dispose(all); return r; }, teardown: () => mx.dispose([a, b]) };
    },
    decode: (w) => {
      const { layers, dim: D, heads: H, hidden: F, vocab: V, cache: T, token, eps, ropeBase } = DECODER;
      const hd = D / H;
      // float32 (the peers' model), or the same weights in bfloat16 / 4-bit (w.dtype, w.bits)
      const dt = w.dtype === 'bfloat16' ? mx.bfloat16 : w.dtype === 'float16' ? mx.float16 : mx.float32;
      const cast = (a) => (dt === mx.float32 ? a : a.astype(dt));
      const lin = (o, i, seed) => {
        const W = cast(f32(o * i, seed, 1 / Math.sqrt(i)).reshape(o, i)); // (out, in), used as x @ W.T
        return w.bits ? mx.quantize(W, 64, w.bits) : W;
      };
      const mm = (x, W) => (Array.isArray(W) ? mx.quantizedMatmul(x, W[0], W[1], W[2], true, 64, w.bits) : mx.matmul(x, mx.transpose(W)));
      const norm = (seed) => cast(mx.add(f32(D, seed, 0.1), 1));
      const emb = cast(f32(V * D, 90).reshape(V, D));
      const L = [];
      for (let l = 0; l < layers; l++) {
        const s = 100 + 20 * l;
        L.push({
          an: norm(s), wq: lin(D, D, s + 1), wk: lin(D, D, s + 2), wv: lin(D, D, s + 3), wo: lin(D, D, s + 4),
          mn: norm(s + 5), w1: lin(F, D, s + 6), w3: lin(F, D, s + 7), w2: lin(D, F, s + 8),
          kc: cast(f32(H * T * hd, s + 9).reshape(1, H, T, hd)), vc: cast(f32(H * T * hd, s + 10).reshape(1, H, T, hd)),
        });
      }
      const fn = norm(95), head = lin(V, D, 96);
      const tok = mx.array([token], mx.int32);
      const all = [emb, fn, head, tok, ...L.flatMap((l) => Object.values(l))].flat();
      evald(...all);
      const heads = (t) => mx.transpose(mx.reshape(t, [1, 1, H, hd]), [0, 2, 1, 3]); // (1, H, 1, hd)
      const step = () => mx.tidy(() => {
        let x = mx.reshape(mx.take(emb, tok, 0), [1, 1, D]);
        for (const p of L) {
          const h = mx.fast.rmsNorm(x, p.an, eps);
          const q = mx.fast.rope(heads(mm(h, p.wq)), hd, false, ropeBase, 1, T);
          const k = mx.fast.rope(heads(mm(h, p.wk)), hd, false, ropeBase, 1, T);
          const v = heads(mm(h, p.wv));
          const K = mx.concatenate([p.kc, k], 2), Vc = mx.concatenate([p.vc, v], 2);
          const att = mx.softmax(mx.multiply(mx.matmul(q, mx.transpose(K, [0, 1, 3, 2])), 1 / Math.sqrt(hd)), -1);
          const o = mx.reshape(mx.transpose(mx.matmul(att, Vc), [0, 2, 1, 3]), [1, 1, D]);
          x = mx.add(x, mm(o, p.wo));
          const h2 = mx.fast.rmsNorm(x, p.mn, eps);
          const g = mm(h2, p.w1);
          const u = mm(h2, p.w3);
          x = mx.add(x, mm(mx.multiply(mx.multiply(g, mx.sigmoid(g)), u), p.w2));
        }
        const logits = mm(mx.fast.rmsNorm(x, fn, eps), head);
        mx.eval(logits);
        return logits;
      });
      return { op: step, dispose: (c) => mx.dispose(c), check: () => { const c = step(); const r = readback(c.astype(mx.float32)); mx.dispose(c); return r; }, teardown: () => mx.dispose(all) };
    },
    'copy-in': (w) => {
      const src = hashData(w.n, 1);
      const call = () => { const x = mx.array(src); mx.eval(x); return x; };
      return { op: call, dispose: (x) => mx.dispose(x), check: () => { const x = call(); const r = readback(x); mx.dispose(x); return r; } };
    },
  };
  workloads['decode-half'] = workloads.decode;
  const missing = {};
  if (typeof mx.quantizedMatmul === 'function') {
    workloads.qmv = (w) => {
      const [x, W] = evald(f32(w.k, 7).reshape(1, w.k), f32(w.n * w.k, 8).reshape(w.n, w.k));
      const q = evald(...mx.quantize(W, 64, 4));
      mx.dispose(W);
      const call = () => { const c = mx.quantizedMatmul(x, q[0], q[1], q[2], true, 64, 4); mx.eval(c); return c; };
      return { op: call, dispose: (c) => mx.dispose(c), check: () => { const c = call(); const r = readback(c); mx.dispose(c); return r; }, teardown: () => mx.dispose([x, ...q]) };
    };
  } else missing.qmv = 'skipped: mx.quantizedMatmul is not in this build of @mlx-ts/core';
  if (hasToTA) {
    const exporter = (copy) => (w) => {
      const [x] = evald(mx.array(hashData(w.n, 1)));
      const opts = copy ? undefined : { copy: false };
      return {
        op: () => x.toTypedArray(opts),
        check: () => checksum(x.toTypedArray(opts)),
        teardown: () => mx.dispose(x),
      };
    };
    workloads['copy-out'] = exporter(true);
    workloads.view = exporter(false);
  } else {
    missing['copy-out'] = missing.view = 'skipped: a.toTypedArray() is not in this build of @mlx-ts/core';
  }
  await addNnWorkloads(mx, f32, workloads, missing);
  if (gpuInfo) {
    // the GPU queues on eval: the timed call waits for the kernels (a 4-byte read after them)
    for (const [family, make] of Object.entries(workloads)) {
      workloads[family] = async (w) => {
        const impl = await make(w);
        const op = impl.op;
        return { ...impl, op: () => { const r = op(); mx.synchronize(); return r; } };
      };
    }
  }
  // Where the registered backend object can be reached and counts its kernels (the wasm
  // backend's kernelStats()), each workload notes the primitives that fell back to the
  // reference kernels.
  let be;
  try { be = (mx.getBackendByName ?? mx.getBackend)?.(backend); } catch { /* not exposed */ }
  const stats = be && typeof be.kernelStats === 'function' && typeof be.resetKernelStats === 'function' ? be : null;
  const beforeWorkload = () => stats?.resetKernelStats();
  const afterWorkload = () => {
    if (!stats) return undefined;
    const fell = Object.entries(stats.kernelStats()).filter(([, c]) => c.fallback > 0).map(([p]) => p);
    return fell.length ? `reference-kernel fallback: ${fell.join(', ')}` : undefined;
  };
  // lib/measure.mjs WAKE_MS: a small matmul that wakes the threads without touching the workload's data
  // (none for the one-thread reference backend, where it would take 70 ms)
  const [wa, wb] = evald(f32(256 * 256, 5).reshape(256, 256), f32(256 * 256, 6).reshape(256, 256));
  const warmThreads = backend === 'reference' && !gpu ? undefined : () => { const c = mx.matmul(wa, wb); mx.eval(c); mx.dispose(c); };
  return {
    beforeWorkload,
    afterWorkload,
    warmThreads,
    info: {
      library: 'mlx-ts', backend: gpuInfo ? `webgpu (${gpuInfo.adapter}; CPU backend ${backend})` : backend, gpu: gpuInfo ?? undefined, threads: threadCount ?? null, threadControl: !!tc.set, threadNote: threadNote ?? (tc.set ? `default (${tc.how} available)` : undefined),
      version: pkgVersion('../node_modules/@mlx-ts/core/package.json'),
      backends: mx.listBackends(),
      node: process.version,
      // the WASM backend's kernel set: 'fma' (relaxed SIMD) or 'plain' (issue 17 item 3)
      kernelSet: backend === 'wasm' && typeof mx.wasmKernelSet === 'function' ? mx.wasmKernelSet() : undefined,
    },
    workloads,
    missing,
  };
}

/**
 * The training and generation workloads of issue 13, on mlx-ts's nn and optimizers (the
 * `mlx-ts` package, built) with the models of examples/: added only where that package runs on
 * this very core module.
 */
async function addNnWorkloads(mx, f32, workloads, missing) {
  let lib, mlpEx, llamaEx;
  try {
    lib = await import(new URL('../../packages/mlx/dist/index.js', import.meta.url));
    mlpEx = await import(new URL('../../examples/digits-mlp.mjs', import.meta.url));
    llamaEx = await import(new URL('../../examples/llama.mjs', import.meta.url));
  } catch (e) {
    missing['train-mlp'] = missing['train-llama'] = missing['generate-llama'] = `skipped: mlx-ts (packages/mlx) not built: ${String(e.message).split('\n')[0]}`;
    return;
  }
  if (lib.core.array !== mx.array) {
    missing['train-mlp'] = missing['train-llama'] = missing['generate-llama'] = 'skipped: MLX_CORE is not the core mlx-ts was built on';
    return;
  }
  const { nn, optimizers } = lib;
  const weights = (params) => params.map(([name, shape, seed, scale]) => [name, scale ? f32(shape.reduce((a, b) => a * b, 1), seed, scale).reshape(shape) : mx.ones(shape)]);
  const ints = (shape, n, seed) => mx.array(intData(shape.reduce((a, b) => a * b, 1), n, seed), mx.int32).reshape(shape);
  // One step: loss and gradients, the optimizer's update, eval of the new weights and state;
  // tidy frees the step's temporaries at once, as a training loop does. Returns the loss.
  const trainer = (model, lr, inputs) => {
    const opt = new optimizers.Adam(lr);
    const lossAndGrad = nn.valueAndGrad(model, (x, y) => nn.losses.crossEntropy(model.forward(x), y, null, -1, 0, 'mean'));
    const step = () => {
      let loss;
      mx.tidy(() => {
        const [l, grads] = lossAndGrad(...inputs);
        opt.update(model, grads);
        mx.eval(model, opt.state, l);
        loss = l;
        return [l, model, opt.state];
      });
      return loss;
    };
    return {
      op: step,
      dispose: (l) => mx.dispose(l),
      check: () => { const l = step(); const r = [l.item()]; mx.dispose(l); return r; }, // the first step's loss
      teardown: () => mx.dispose([model, opt.state, inputs]),
    };
  };
  workloads['train-mlp'] = (w) => {
    const model = new mlpEx.MLP(w.dims[0], w.dims[1], w.dims.at(-1), w.dims.length - 2);
    model.loadWeights(weights(mlpParams(w)));
    const inputs = [f32(w.batch * w.dims[0], 9, 0.5).reshape(w.batch, w.dims[0]), ints([w.batch], w.dims.at(-1), 1)];
    mx.eval(model, inputs);
    return trainer(model, w.lr, inputs);
  };
  const llama = (w) => {
    const model = new llamaEx.Llama({ ...llamaEx.defaultArgs, vocabSize: w.vocab, hiddenSize: w.dims, numHiddenLayers: w.layers, numAttentionHeads: w.heads,
      numKeyValueHeads: w.kvHeads, intermediateSize: w.hidden, rmsNormEps: w.eps, ropeTheta: w.ropeBase });
    model.loadWeights(weights(llamaParams(w)));
    mx.eval(model);
    return model;
  };
  workloads['train-llama'] = (w) => {
    const tokens = ints([w.batch, w.seq + 1], w.vocab, 2);
    const inputs = [tokens.index(mx.Slice(), mx.Slice(0, -1)), tokens.index(mx.Slice(), mx.Slice(1))];
    mx.eval(inputs);
    return trainer(llama(w), w.lr, inputs);
  };
  workloads['generate-llama'] = (w) => {
    const model = llama(w);
    const prompt = Array.from(intData(w.prompt, w.vocab, 3));
    const call = () => llamaEx.generate(model, prompt, w.tokens);
    return {
      op: call,
      check: () => [call().reduce((a, b) => a + b, 0)], // the sum of the prompt's and the generated tokens
      teardown: () => mx.dispose(model),
    };
  };
}
