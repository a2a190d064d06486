// jax-js on its 'wasm' device. jax-js is lazy and reference-counted: ops take ownership of their
// arguments, so inputs are passed as x.ref; the timed call is the op(s) plus
// jax.blockUntilReady(outputs) (dispatches the pending kernels and waits for them).
import { hashData, checksum, pkgVersion } from '../lib/workloads.mjs';

export async function init({ device = 'wasm' } = {}) {
  const jax = await import('@jax-js/jax');
  const got = await jax.init(device);
  if (!got.includes(device)) throw new Error(`jax-js: device '${device}' is not available (got ${got.join(', ')})`);
  jax.defaultDevice(device);
  const np = jax.numpy;
  const pooled = typeof SharedArrayBuffer !== 'undefined' && typeof Worker !== 'undefined';
  const info = {
    library: 'jax-js', backend: device, version: pkgVersion('../node_modules/@jax-js/jax/package.json'),
    threads: pooled ? Math.max(1, globalThis.navigator?.hardwareConcurrency || 4) : 1,
    threadNote: pooled ? undefined : 'its wasm worker pool needs the Web Worker global, which Node 20 lacks: one thread',
  };
  const f32 = (n, seed, scale, shape) => {
    const a = np.array(hashData(n, seed, scale));
    return shape ? a.reshape(shape) : a;
  };
  const ready = async (x) => { await jax.blockUntilReady(x); return x; };
  const free = (x) => { for (const a of [x].flat()) a.dispose(); };
  const readback = (x) => checksum(x.dataSync()); // consumes x
  const elementwise = (fn) => async (w) => {
    const a = await ready(f32(w.n, 1)), b = await ready(f32(w.n, 2));
    const held = []; // w.live: as runners/mlx.mjs
    for (let i = 0; i < (w.live ?? 0); i++) held.push(await ready(np.array(new Float32Array([i]))));
    return {
      op: () => ready(fn(a.ref, b.ref)), dispose: free,
      check: async () => readback(await ready(fn(a.ref, b.ref))),
      teardown: () => free([a, b, ...held]),
    };
  };
  const fused = (x, y) => np.exp(x).mul(y).add(1);
  const loss = (W, X) => np.sum(np.tanh(np.matmul(X, W)));
  const gradStep = (vg) => async (w) => {
    const X = await ready(f32(w.m * w.k, 5, 1, [w.m, w.k])), W = await ready(f32(w.k * w.n, 6, 0.05, [w.k, w.n]));
    const call = () => ready(vg(W.ref, X.ref));
    return {
      op: call, dispose: free,
      check: async () => { const [v, g] = await call(); return [v.dataSync()[0], ...readback(g)]; },
      teardown: () => free([X, W]),
    };
  };
  const workloads = {
    add: elementwise((a, b) => np.add(a, b)),
    fused: elementwise(fused),
    'fused-compiled': elementwise(jax.jit(fused)),
    sum: async (w) => {
      const a = await ready(f32(w.n, 1));
      const call = () => ready(np.sum(a.ref));
      return { op: call, dispose: free, check: async () => [(await call()).dataSync()[0]], teardown: () => free(a) };
    },
    matmul: async (w) => {
      const A = await ready(f32(w.n * w.n, 3, 1, [w.n, w.n])), B = await ready(f32(w.n * w.n, 4, 1, [w.n, w.n]));
      const call = () => ready(np.matmul(A.ref, B.ref));
      return { op: call, dispose: free, check: async () => readback(await call()), teardown: () => free([A, B]) };
    },
    grad: gradStep(jax.valueAndGrad(loss)),
    'grad-compiled': gradStep(jax.jit(jax.valueAndGrad(loss))),
    conv2d: async () => {
      // jax-js convolves NCHW inputs with OIHW kernels: the same data, transposed before timing
      const x = await ready(np.transpose(f32(56 * 56 * 64, 7, 1, [1, 56, 56, 64]), [0, 3, 1, 2]));
      const W = await ready(np.transpose(f32(64 * 3 * 3 * 64, 8, 0.05, [64, 3, 3, 64]), [0, 3, 1, 2]));
      const call = () => ready(jax.lax.conv(x.ref, W.ref, [1, 1], 'SAME'));
      return { op: call, dispose: free, check: async () => readback(await call()), teardown: () => free([x, W]) };
    },
    'copy-in': (w) => {
      const src = hashData(w.n, 1);
      const call = () => ready(np.array(src));
      return { op: call, dispose: free, check: async () => readback(await call()) };
    },
    'copy-out': async (w) => {
      const x = await ready(f32(w.n, 1));
      return { op: () => x.ref.dataSync(), check: () => readback(x.ref), teardown: () => free(x), note: 'x.ref.dataSync()' };
    },
  };
  // lib/measure.mjs WAKE_MS: a small matmul that wakes the threads without touching the workload's data
  const wa = await ready(f32(256 * 256, 5, 1, [256, 256])), wb = await ready(f32(256 * 256, 6, 1, [256, 256]));
  const warmThreads = async () => free(await ready(np.matmul(wa.ref, wb.ref)));
  return { info, workloads, missing: { view: 'jax-js has no zero-copy export API' }, warmThreads };
}
