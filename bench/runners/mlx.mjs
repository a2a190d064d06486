// mlx-ts on one of its registered CPU backends (mx.setCpuBackend(name)).
// Timed call = the op(s) + mx.eval(outputs). Inputs are evaluated before timing.
import { hashData, checksum, pkgVersion, mlpParams, llamaParams, intData } from '../lib/workloads.mjs';

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

export async function init({ backend = 'reference', threads } = {}) {
  const mx = await import(process.env.MLX_CORE ?? '@mlx-ts/core');
  mx.setCpuBackend(backend);
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
    return {
      op: () => { const c = fn(a, b); mx.eval(c); return c; },
      dispose: (c) => mx.dispose(c),
      check: () => { const c = fn(a, b); mx.eval(c); const r = readback(c); mx.dispose(c); return r; },
      teardown: () => mx.dispose([a, b]),
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
      const [x, W] = evald(f32(w.k, 7).reshape(1, w.k), f32(w.n * w.k, 8).reshape(w.n, w.k));
      const call = () => { const c = mx.matmul(x, mx.transpose(W)); mx.eval(c); return c; };
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
    'copy-in': (w) => {
      const src = hashData(w.n, 1);
      const call = () => { const x = mx.array(src); mx.eval(x); return x; };
      return { op: call, dispose: (x) => mx.dispose(x), check: () => { const x = call(); const r = readback(x); mx.dispose(x); return r; } };
    },
  };
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
  return {
    beforeWorkload,
    afterWorkload,
    info: {
      library: 'mlx-ts', backend, threads: threadCount ?? null, threadControl: !!tc.set, threadNote: threadNote ?? (tc.set ? `default (${tc.how} available)` : undefined),
      version: pkgVersion('../node_modules/@mlx-ts/core/package.json'),
      backends: mx.listBackends(),
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
