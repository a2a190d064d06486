#!/usr/bin/env node
// A/B of two builds of @mlx-ts/core in one process: each build's dist is imported as its own
// module (its own WASM memory and thread pool), samples interleaved A, B, A, B..., medians and
// quartiles. How a kernel change was measured on the shared development VM (BENCHMARKS.md and
// the issue notes): build A, copy packages/core/dist and packages/kernels-wasm/dist (with their
// package.json) under DIR_A/node_modules/@mlx-ts/{core,kernels-wasm} (plus fflate), the same for B.
//   node bench/ab/builds.mjs DIR_A DIR_B [mode=b2b|settle|cold] [workload prefixes, comma-separated]
// b2b: calls back to back; settle: 20 ms asleep, 15 ms of a 256 x 256 matmul (waking the threads)
// and one untimed call before each sample (the harness's pattern, lib/measure.mjs); cold: a 400 MB read before each sample (the L3 emptied).
const [dirA, dirB, mode = 'b2b', onlyArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: node bench/ab/builds.mjs DIR_A DIR_B [b2b|settle|cold] [workloads]');
const libs = [];
for (const d of [dirA, dirB]) libs.push(await import(new URL(`file://${d.replace(/\/$/, '')}/node_modules/@mlx-ts/core/dist/index.js`).href));
const rnd = (n, seed) => { const a = new Float32Array(n); let s = seed; for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; } return a; };
const W = rnd(1 << 24, 1);
const work = {
  'matvec x @ W.T M=1': (mx) => { const x = mx.array(rnd(4096, 2)).reshape([1, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=2': (mx) => { const x = mx.array(rnd(2 * 4096, 3)).reshape([2, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=3': (mx) => { const x = mx.array(rnd(3 * 4096, 3)).reshape([3, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=4': (mx) => { const x = mx.array(rnd(4 * 4096, 3)).reshape([4, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=6': (mx) => { const x = mx.array(rnd(6 * 4096, 3)).reshape([6, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=7': (mx) => { const x = mx.array(rnd(7 * 4096, 3)).reshape([7, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=8': (mx) => { const x = mx.array(rnd(8 * 4096, 3)).reshape([8, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=10': (mx) => { const x = mx.array(rnd(10 * 4096, 3)).reshape([10, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=12': (mx) => { const x = mx.array(rnd(12 * 4096, 3)).reshape([12, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=14': (mx) => { const x = mx.array(rnd(14 * 4096, 3)).reshape([14, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec X @ W.T M=16': (mx) => { const x = mx.array(rnd(16 * 4096, 3)).reshape([16, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec bf16 X @ W.T M=4': (mx) => { const x = mx.array(rnd(4 * 4096, 3)).reshape([4, 4096]).astype(mx.bfloat16), w = mx.array(W).reshape([4096, 4096]).astype(mx.bfloat16); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec bf16 X @ W.T M=8': (mx) => { const x = mx.array(rnd(8 * 4096, 3)).reshape([8, 4096]).astype(mx.bfloat16), w = mx.array(W).reshape([4096, 4096]).astype(mx.bfloat16); mx.eval(x, w); return () => mx.matmul(x, w.T); },
  'matvec x @ W M=1': (mx) => { const x = mx.array(rnd(4096, 2)).reshape([1, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'matvec X @ W M=2': (mx) => { const x = mx.array(rnd(2 * 4096, 3)).reshape([2, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'matvec X @ W M=3': (mx) => { const x = mx.array(rnd(3 * 4096, 3)).reshape([3, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'matvec X @ W M=4': (mx) => { const x = mx.array(rnd(4 * 4096, 3)).reshape([4, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'matvec X @ W M=8': (mx) => { const x = mx.array(rnd(8 * 4096, 3)).reshape([8, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'matvec X @ W M=16': (mx) => { const x = mx.array(rnd(16 * 4096, 4)).reshape([16, 4096]), w = mx.array(W).reshape([4096, 4096]); mx.eval(x, w); return () => mx.matmul(x, w); },
  'conv2d 56x56x64 3x3x64': (mx) => { const x = mx.array(rnd(56 * 56 * 64, 5)).reshape([1, 56, 56, 64]), w = mx.array(rnd(64 * 9 * 64, 6)).reshape([64, 3, 3, 64]); mx.eval(x, w); return () => mx.conv2d(x, w, 1, 1); },
  'sdpa 8x512x64': (mx) => { const [q, k, v] = [7, 8, 9].map((s) => mx.array(rnd(8 * 512 * 64, s)).reshape([1, 8, 512, 64])); mx.eval(q, k, v); return () => mx.fast.scaledDotProductAttention(q, k, v, 0.125); },
};
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const flush = mode === 'cold' ? new Float64Array(50e6) : null;
let sink = 0;
const only = onlyArg ? onlyArg.split(',') : null;
const q = (t, f) => t[Math.min(t.length - 1, Math.floor(f * t.length))].toFixed(2);
for (const [name, make] of Object.entries(work)) {
  if (only && !only.some((o) => name.startsWith(o))) continue;
  const fns = libs.map((mx) => {
    const f = make(mx);
    mx.eval(f());
    const a = mx.array(rnd(256 * 256, 9)).reshape([256, 256]);
    mx.eval(a);
    const warm = () => { for (const t0 = performance.now(); performance.now() - t0 < 15;) mx.eval(mx.matmul(a, a)); };
    return { mx, f, warm };
  });
  const ts = [[], []];
  for (let rep = 0; rep < 15; rep++) {
    for (let j = 0; j < 2; j++) {
      const { mx, f, warm } = fns[j];
      if (mode === 'settle') { sleep(20); warm(); mx.eval(f()); }
      if (flush) for (let i = 0; i < flush.length; i += 8) sink += flush[i];
      const t0 = performance.now();
      mx.eval(f());
      ts[j].push(performance.now() - t0);
    }
  }
  const s = ts.map((t) => t.sort((a, b) => a - b));
  console.log(`${name.padEnd(26)} ${mode}: A ${q(s[0], 0.5)} ms [${q(s[0], 0.25)}-${q(s[0], 0.75)}]  B ${q(s[1], 0.5)} ms [${q(s[1], 0.25)}-${q(s[1], 0.75)}]`);
}
if (sink < 0) console.log(sink);
process.exit(0);
