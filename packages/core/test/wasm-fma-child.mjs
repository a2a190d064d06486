// Run by wasm-fma.test.ts under a Node with relaxed SIMD (Node 24): the built core's WASM
// backend (the FMA kernel set by default there; MLX_TS_WASM_FMA=0 forces the plain one) and the
// reference backend on the same float32 matmuls, matrix-vector products and convolutions.
// Prints one JSON line: the kernel set, and per case the reference's values, ours and the
// reference's on |inputs| (float32 bits, base64), which the test checks against the stated bound.
const mx = await import(process.env.MLX_TS_CORE_URL);
const threads = Number(process.env.FMA_CHILD_THREADS ?? 1);
mx.setNumThreads(threads);
mx.setCpuBackend('wasm');

let seed = 0x2545f491;
const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e-39, 3e38];
/** n float32 values in [-1, 1) scaled, with a few specials (NaN, infinities, subnormals, huge) where asked. */
function values(n, special) {
  const a = new Float32Array(n);
  const scale = [1, 1e-3, 1e4][Math.floor(rnd() * 3)];
  for (let i = 0; i < n; i++) a[i] = special && rnd() < 0.004 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)] : (rnd() * 2 - 1) * scale;
  return a;
}
const b64 = (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');

/** Runs `op` on `backend` with the inputs (host arrays with shapes), |inputs| when `abs`. */
function runOn(backend, op, inputs, abs = false) {
  mx.setCpuBackend(backend);
  try {
    let xs = inputs.map(([data, shape]) => mx.array(data).reshape(shape));
    if (abs) xs = xs.map((x) => mx.abs(x));
    const out = op(...xs);
    mx.eval(out);
    const r = out.astype(mx.float32).toTypedArray();
    mx.dispose([out, ...xs]);
    return r;
  } finally {
    mx.setCpuBackend('wasm');
  }
}

const cases = [];
function add(label, K, op, inputs) {
  cases.push({ label, K, ref: b64(runOn('reference', op, inputs)), ours: b64(runOn('wasm', op, inputs)), sAbs: b64(runOn('reference', op, inputs, true)) });
}

// GEMM: sizes around the FMA set's 6 x 8 block, its 120-row and 256-k cache blocks, stored and
// transposed operands, a batch with a broadcast operand
const mm = (a, b) => mx.matmul(a, b);
const mmTA = (a, b) => mx.matmul(mx.transpose(a), b);
const mmTB = (a, b) => mx.matmul(a, mx.transpose(b));
for (const [M, N, K] of [[17, 1, 3], [18, 7, 1], [19, 8, 5], [24, 9, 64], [25, 17, 255], [36, 16, 256], [37, 23, 257], [121, 33, 300], [130, 70, 520], [160, 160, 160]]) {
  const special = M % 2 === 1;
  add(`matmul ${M}x${K} @ ${K}x${N}${special ? ' (with NaN, inf, subnormals)' : ''}`, K, mm, [[values(M * K, special), [M, K]], [values(K * N, special), [K, N]]]);
}
add('matmul a.T (a stored 70x45) @ b 70x29', 70, mmTA, [[values(70 * 45, false), [70, 45]], [values(70 * 29, false), [70, 29]]]);
add('matmul a 45x300 @ b.T (b stored 29x300)', 300, mmTB, [[values(45 * 300, false), [45, 300]], [values(29 * 300, false), [29, 300]]]);
add('matmul batch 3x20x40 @ broadcast 40x13', 40, mm, [[values(3 * 20 * 40, false), [3, 20, 40]], [values(40 * 13, false), [40, 13]]]);
// matrix-vector and skinny (M <= 16): the weight as stored (axpy) and as a Linear layer's W.T (dot)
for (const [M, K, N] of [[1, 1000, 1030], [3, 64, 33], [8, 513, 70], [16, 512, 1024]]) {
  add(`matvec ${M}x${K} @ W ${K}x${N}`, K, mm, [[values(M * K, M === 3), [M, K]], [values(K * N, M === 3), [K, N]]]);
  add(`matvec ${M}x${K} @ W.T (W ${N}x${K})`, K, mmTB, [[values(M * K, M === 8), [M, K]], [values(N * K, M === 8), [N, K]]]);
}
// convolution (the indirect GEMM): K = taps * channels per group
const conv = (p) => (x, w) => mx.conv2d(x, w, p.stride, p.padding, 1, p.groups);
for (const [shape, wshape, p] of [
  [[1, 9, 9, 5], [7, 3, 3, 5], { stride: 1, padding: 1, groups: 1 }],
  [[2, 12, 10, 8], [14, 3, 2, 4], { stride: 2, padding: 0, groups: 2 }],
  [[1, 20, 20, 16], [32, 3, 3, 16], { stride: 1, padding: 1, groups: 1 }],
]) {
  const n = (s) => s.reduce((x, y) => x * y, 1);
  add(`conv2d ${JSON.stringify([shape, wshape, p])}`, wshape[1] * wshape[2] * wshape[3], conv(p), [[values(n(shape), false), shape], [values(n(wshape), false), wshape]]);
}

console.log(JSON.stringify({ version: process.version, kernelSet: mx.wasmKernelSet(), threads: mx.threadStatus().threads, cases }));
