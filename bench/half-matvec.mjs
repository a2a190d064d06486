// The matrix-vector kernels per weight dtype (issue 17, half models): matvec_f32_dot,
// matvec_bf16_dot and matvec_f16_dot on one thread over a weight that stays in the caches
// (256 x 512, its arithmetic and unpacking alone), then through the library (2 threads) over
// 60 distinct 512 x 512 weights in turn (from memory, as a decoding step reads them).
// Run after `npm run build`: node bench/half-matvec.mjs
import { kernelModule, instantiateKernels } from '../packages/kernels-wasm/dist/kernels.js';
import * as mx from '../packages/core/dist/index.js';

const module = kernelModule(false);
const imports = {};
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.kind !== 'function') continue;
  (imports[imp.module] ??= {})[imp.name] = () => { throw new Error(`${imp.module}.${imp.name} is not available in this bench`); };
}
const memory = new WebAssembly.Memory({ initial: 2000 });
const k = instantiateKernels(memory, module, imports);
const [N, K] = [256, 512];
const base = 1 << 24, px = base, po = base + 65536, pw = base + 131072;
const f32 = new Float32Array(memory.buffer), u16 = new Uint16Array(memory.buffer);
for (let i = 0; i < K; i++) f32[px / 4 + i] = Math.sin(i);
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
function kernel(name, fill, run) {
  fill();
  for (let i = 0; i < 200; i++) run();
  const t = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) run();
    t.push((performance.now() - t0) / 200);
  }
  const ms = median(t);
  console.log(`${name.padEnd(16)} ${(ms * 1000).toFixed(2)} µs, ${((N * K) / ms / 1e6).toFixed(2)} GMAC/s (one thread, weight in cache)`);
}
kernel('matvec_f32_dot', () => { for (let i = 0; i < N * K; i++) f32[pw / 4 + i] = Math.cos(i); }, () => k.matvec_f32_dot(px, pw, po, 1, K, K, K, N, 0, N));
// finite halves of both kinds (0x3c00 + small mantissas: values near 1)
kernel('matvec_bf16_dot', () => { for (let i = 0; i < N * K; i++) u16[pw / 2 + i] = 0x3f80 + (i % 127); }, () => k.matvec_bf16_dot(px, pw, po, 1, K, K, N, 0, N));
kernel('matvec_f16_dot', () => { for (let i = 0; i < N * K; i++) u16[pw / 2 + i] = 0x3c00 + (i % 1000); }, () => k.matvec_f16_dot(px, pw, po, 1, K, K, N, 0, N));

for (const dt of [mx.float32, mx.bfloat16, mx.float16]) {
  const Ws = Array.from({ length: 60 }, (_, i) => mx.random.normal([512, 512], mx.float32, null, null, mx.random.key(i)).astype(dt));
  const x = mx.random.normal([1, 512]).astype(dt);
  mx.eval(x, ...Ws);
  const pass = () => { for (const W of Ws) { const y = mx.matmul(x, W.T); mx.eval(y); mx.dispose(y); } };
  for (let i = 0; i < 3; i++) pass();
  const t = [];
  for (let r = 0; r < 9; r++) { const t0 = performance.now(); pass(); t.push((performance.now() - t0) / Ws.length); }
  console.log(`library x @ W.T 512x512 ${dt.toString().replace('mlx.core.', '').padEnd(9)} ${(median(t) * 1000).toFixed(1)} µs a product (${mx.getNumThreads()} threads, 60 weights in turn)`);
  mx.dispose([x, ...Ws]);
}
