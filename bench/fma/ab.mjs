#!/usr/bin/env node
// A/B of the WASM backend's FMA and plain kernel sets in one process (a Node with relaxed SIMD,
// 22+): the registered 'wasm' backend (FMA) and a second one made with fma: false, samples
// interleaved, medians. Needs the built core (npm run build).
//   node24 bench/fma/ab.mjs [threads=1] [reps=11] [workload prefixes, comma-separated]
const mx = await import(process.env.MLX_CORE ?? new URL('../../packages/core/dist/index.js', import.meta.url).href);
const plainB = new mx.WasmBackend({ name: 'wasm-plain', fma: false });
mx.registerBackend(plainB);
const threads = Number(process.argv[2] ?? 1);
const reps = Number(process.argv[3] ?? 11);
mx.setNumThreads(threads);
const sets = ['wasm', 'wasm-plain'];
const rnd = (n) => { const a = new Float32Array(n); let s = 1; for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; } return a; };
const work = {
  'matmul-1024': () => { const A = mx.array(rnd(1 << 20)).reshape(1024, 1024), B = mx.array(rnd(1 << 20)).reshape(1024, 1024); mx.eval(A, B); return () => mx.matmul(A, B); },
  'matmul-256': () => { const A = mx.array(rnd(1 << 16)).reshape(256, 256), B = mx.array(rnd(1 << 16)).reshape(256, 256); mx.eval(A, B); return () => mx.matmul(A, B); },
  'matvec-4096 (x @ W.T)': () => { const x = mx.array(rnd(4096)).reshape(1, 4096), W = mx.array(rnd(1 << 24)).reshape(4096, 4096); mx.eval(x, W); return () => mx.matmul(x, W.T); },
  'matvec-4096 (x @ W)': () => { const x = mx.array(rnd(4096)).reshape(1, 4096), W = mx.array(rnd(1 << 24)).reshape(4096, 4096); mx.eval(x, W); return () => mx.matmul(x, W); },
  'conv2d 56x56x64 3x3x64': () => { const x = mx.array(rnd(56 * 56 * 64)).reshape(1, 56, 56, 64), w = mx.array(rnd(64 * 9 * 64)).reshape(64, 3, 3, 64); mx.eval(x, w); return () => mx.conv2d(x, w, 1, 1); },
};
const med = (x) => x.slice().sort((a, b) => a - b)[x.length >> 1];
const only = process.argv[4] ? process.argv[4].split(',') : null;
for (const [name, make] of Object.entries(work)) {
  if (only && !only.some((o) => name.startsWith(o))) continue;
  const fns = sets.map((b) => { mx.setCpuBackend(b); const f = make(); mx.eval(f()); return f; });
  const T = sets.map(() => []);
  for (let r = 0; r < reps; r++) sets.forEach((b, i) => { mx.setCpuBackend(b); const t = performance.now(); const c = fns[i](); mx.eval(c); T[i].push(performance.now() - t); mx.dispose(c); });
  const [f, p] = T.map(med);
  console.log(`${process.version} ${threads}t ${name.padEnd(24)} FMA ${f.toFixed(2)} ms  plain ${p.toFixed(2)} ms  plain/FMA ${(p / f).toFixed(2)}x  (sets: ${mx.wasmKernelSet()} / ${mx.wasmKernelSet(plainB)})`);
}
