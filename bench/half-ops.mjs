// Heavy ops per float dtype on the WASM backend (issue 17, half models): one call's time for
// float32, bfloat16 and float16 operands of the same shapes. Half operands of the matmul
// family, convolutions and quantized matmuls run the float32 kernels on widened copies
// (packages/core/src/backend/wasm/README.md, "Half dtypes"); the norms and RoPE are fused in
// every float dtype; attention in half types is its composition. Medians of up to 20 calls
// within 300 ms. Run after `npm run build`: node bench/half-ops.mjs
import * as mx from '../packages/core/dist/index.js';

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
function time(f) {
  for (let i = 0; i < 2; i++) { const y = f(); mx.eval(y); mx.dispose(y); }
  const t = [];
  const start = performance.now();
  while (t.length < 20 && performance.now() - start < 300) {
    const t0 = performance.now();
    const y = f();
    mx.eval(y);
    t.push(performance.now() - t0);
    mx.dispose(y);
  }
  return median(t);
}
const rows = [];
for (const dt of [mx.float32, mx.bfloat16, mx.float16]) {
  const cast = (a) => a.astype(dt);
  const x = cast(mx.random.normal([1, 4096])), W = cast(mx.random.normal([4096, 4096]));
  const h = cast(mx.random.normal([1, 8, 512, 64]));
  const w = cast(mx.ones([4096])), big = cast(mx.random.normal([64, 4096]));
  const A = cast(mx.random.normal([256, 256]));
  const img = cast(mx.random.normal([1, 56, 56, 64])), cw = cast(mx.random.normal([64, 3, 3, 64]));
  const [wq, s, b] = mx.quantize(W, 64, 4);
  mx.eval(x, W, h, w, big, A, img, cw, wq, s, b);
  const ms = {
    'x @ W.T 4096²': time(() => mx.matmul(x, W.T)),
    '4-bit x @ W.T': time(() => mx.quantizedMatmul(x, wq, s, b, true, 64, 4)),
    'matmul 256': time(() => mx.matmul(A, A)),
    'conv2d 56²x64': time(() => mx.conv2d(img, cw, 1, 1)),
    'sdpa 8x512x64': time(() => mx.fast.scaledDotProductAttention(h, h, h, 0.125)),
    'rmsNorm 64x4096': time(() => mx.fast.rmsNorm(big, w, 1e-5)),
    'rope 8x512x64': time(() => mx.fast.rope(h, 64, false, 10000, 1, 0)),
    'softmax 64x4096': time(() => mx.softmax(big, -1)),
  };
  rows.push({ dtype: dt.toString().replace('mlx.core.', ''), ...Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, `${v.toFixed(2)} ms`])) });
  mx.dispose([x, W, h, w, big, A, img, cw, wq, s, b]);
}
console.log(`${mx.getNumThreads()} thread(s)`);
console.table(rows);
