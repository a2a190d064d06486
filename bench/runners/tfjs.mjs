// TensorFlow.js (@tensorflow/tfjs 4.22, which registers the gradients) on its 'cpu' backend or the 'wasm' backend of
// @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD build). Both backends run kernels synchronously
// inside the op call, so the timed call is the op itself (inside tf.tidy) plus dataSync() of
// scalar results; large outputs are not read back (that copy is the copy-out workload).
import { hashData, checksum, pkgVersion } from '../lib/workloads.mjs';

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
    const call = () => tf.tidy(() => fn(a, b));
    return { op: call, dispose: free, check: () => { const c = call(); const r = readback(c); free(c); return r; }, teardown: () => free([a, b]) };
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
  const missing = {
    'fused-compiled': 'tfjs has no jit/compile',
    'grad-compiled': 'tfjs has no jit/compile',
    view: 'tfjs has no zero-copy export API',
  };
  return { info, workloads, missing };
}
