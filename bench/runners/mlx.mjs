// mlx-ts on one of its registered CPU backends (mx.setCpuBackend(name)).
// Timed call = the op(s) + mx.eval(outputs). Inputs are evaluated before timing.
import { hashData, checksum, pkgVersion } from '../lib/workloads.mjs';

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
