// The program every cell of the universal matrix runs (tests/universal/universal.test.ts): an
// op of each family, grad, vmap, compile, the seed page's view aliasing, a DLPack round trip,
// save/load through bytes, the thread status and the CPU backend's name. Plain JS with no
// imports, so that Node (ESM and CommonJS: the test writes a .cjs copy), Deno, Bun, bundlers
// and browsers run it as is. It returns a JSON-able report; the test compares every cell's
// report with the one from Node on the repository's sources.
export async function smoke(mx, opts = {}) {
  const r = {};
  if (opts.initThreads) r.initThreads = await mx.initThreads();
  const list = (a) => a.tolist();
  const a = mx.array([1, 2, 3]);
  const m = mx.reshape(mx.arange(6), [2, 3]);
  r.add = list(a.add(1));
  r.sum = mx.sum(a.add(1)).item();
  r.matmul = list(mx.matmul(m, m.T));
  r.exp = list(mx.exp(mx.array([0, 0.5, 1])));
  r.cumsum = list(mx.cumsum(a));
  r.sort = list(mx.sort(mx.array([3, 1, 2])));
  r.argmax = mx.argmax(mx.array([1, 5, 2])).item();
  r.take = list(mx.take(a, mx.array([2, 0], mx.int32)));
  r.where = list(mx.where(mx.greater(a, 1.5), a, mx.negative(a)));
  r.int8 = list(mx.add(mx.array([100, 27], mx.int8), 1n));
  r.float16 = mx.array(1 / 3, mx.float16).item();
  r.random = list(mx.random.uniform(0, 1, [3], mx.float32, mx.random.key(0)));
  r.fft = list(mx.abs(mx.fft.fft(mx.array([1, 2, 3, 4]))));
  r.inv = list(mx.linalg.inv(mx.array([[2, 1], [1, 3]]), mx.cpu));
  r.conv1d = list(mx.conv1d(mx.reshape(mx.arange(8), [1, 8, 1]), mx.ones([1, 3, 1])));
  r.grad = list(mx.grad((x) => mx.sum(mx.multiply(x, mx.sin(x))))(a));
  r.vmap = list(mx.vmap((x) => mx.sum(mx.multiply(x, x)))(m));
  r.compile = list(mx.compile((x, y) => mx.add(mx.multiply(x, y), 1))(a, a));
  // large enough to be split across threads where they run; small integers, so that every
  // product and partial sum is exact and both WASM kernel sets (FMA where the runtime has
  // relaxed SIMD, plain elsewhere) give the same bits
  const big = mx.round(mx.random.normal([192, 160], mx.float32, 0, 4, mx.random.key(1)));
  r.bigMatmul = mx.sum(mx.matmul(big, big.T)).item();
  r.bigSum = mx.sum(mx.exp(mx.multiply(big, 0.1)), 1).index(7).item();
  // the seed page: a view shares the array's memory (where the memory is a SharedArrayBuffer:
  // a plain memory's buffer detaches when it grows, so mlx-ts refuses views of it)
  const s = mx.arange(3n);
  try {
    const view = s.toTypedArray({ copy: false });
    view[0] = 7;
    r.viewAliasing = s.index(0).item();
  } catch (e) {
    if (!(e instanceof mx.BufferError)) throw e;
    r.viewAliasing = 'BufferError';
  }
  // DLPack: the capsule round trip shares memory
  const d = mx.fromDlpack(a.__dlpack__());
  r.dlpack = list(d);
  // save / load through bytes (no file system)
  const bytes = mx.saveToBytes('safetensors', { w: m, i: s });
  const back = mx.loadFromBytes(bytes, 'safetensors');
  r.safetensors = [list(back.w), list(back.i).slice(1), back.i.dtype.toString()];
  const npz = mx.loadFromBytes(mx.saveToBytes('npzCompressed', { x: a }), 'npz');
  r.npz = list(npz.x);
  r.threadStatus = mx.threadStatus();
  r.cpuBackend = mx.cpuBackendName();
  r.kernelSet = r.cpuBackend === 'wasm' && mx.wasmKernelSet ? mx.wasmKernelSet() : null;
  return r;
}
