#!/usr/bin/env node
// What limits X (8 x 4096) @ W.T and X @ W (issue 17's 8-row rows): the weight (4096 x 4096
// float32, 64 MB) streamed from memory while the core does the product's arithmetic, 4 flops a byte
// of weight. Times, on two threads (each half the columns / half the bytes), the weight streamed
// alone, the library's kernels (matvec_f32_dot for W.T, matvec_f32_axpy for W as stored, compiled
// from the kernel sources), each also on a weight that fits L2 (its arithmetic alone), and a
// synthetic loop that does the product's multiply-adds and nothing else, reading the weight evenly
// from 1, 2, 4 or 8 runs side by side. Samples are taken as in
// `npm run bench`: weights from memory (three copies in turn, a 256 MB region read in between),
// the threads woken by 15 ms of the same call first, then one timed call; medians of 15.
//   node bench/matvec/overlap.mjs [--threads=1] [--fma]   (--fma: the FMA set, Node 22+)
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const T = args.includes('--threads=1') ? 1 : 2, fma = args.includes('--fma');
const here = fileURLToPath(new URL('.', import.meta.url));
const { main } = await import(new URL('../../packages/kernels-wasm/node_modules/assemblyscript/dist/asc.js', import.meta.url).href);
let wasm = null;
const { error } = await main(
  [`${here}overlap.ts`, '--enable', 'simd', '--enable', 'threads', ...(fma ? ['--enable', 'relaxed-simd'] : []), '--runtime', 'stub', '--importMemory', '--sharedMemory',
    '--initialMemory', '16', '--maximumMemory', '16384', '--noAssert', '--use', 'abort=', '-O3', '--outFile', 'overlap.wasm'],
  { writeFile: (name, contents) => { if (name.endsWith('.wasm')) wasm = contents; }, stderr: { write: () => {} } },
);
if (error || !wasm) throw new Error(`asc: ${error}`);
const mod = new WebAssembly.Module(wasm);

const M = 8, K = 4096, N = 4096, bytes = K * N * 4, NB = 3, flush = 256 << 20;
const small = 64; // columns (W.T) or rows (W) of the weight that fits L2 (1 MB), run N / small times
const MB = 1 << 20, PA = 1 * MB, PK = 2 * MB, SCR = 3 * MB, PO = 4 * MB, PX = 5 * MB, PP = 6 * MB, PP2 = 7 * MB, WB = 8 * MB, FL = WB + NB * bytes;
const memory = new WebAssembly.Memory({ initial: (FL + flush) / 65536 + 16, maximum: 16384, shared: true });
const k = new WebAssembly.Instance(mod, { env: { memory } }).exports;
const f32 = new Float32Array(memory.buffer);
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
for (let i = 0; i < M * K; i++) f32[PA / 4 + i] = rnd();
for (let i = 0; i < NB * K * N; i++) f32[WB / 4 + i] = rnd();
f32.fill(0.25, FL / 4, (FL + flush) / 4);
k.matvec_pack_a_blocks(PA, M, K, K, PK);
k.matvec_pack_a_pairs(PA, M, K, K, 1, PP);
k.matvec_pack_a_pairs(PA, M, small, K, 1, PP2);

// one call of workload f on thread `part` of `parts`, weight at pb
const body = `function work(k, f, pb, part, parts) {
  const half = ${bytes} / parts, j0 = ${N} * part / parts, j1 = ${N} * (part + 1) / parts;
  const scr = ${SCR} + part * 4096, px = ${PX} + part * 64;
  if (f === 0) k.stream4(pb + part * half, half, px);
  else if (f === 1) k.matvec_f32_dot(${PA}, pb, ${PO}, ${M}, ${K}, ${K}, ${K}, ${N}, j0, j1, ${PK}, scr);
  else if (f === 2) {
    const s0 = ${small} * part / parts, s1 = ${small} * (part + 1) / parts;
    for (let r = 0; r < ${N / small}; r++) k.matvec_f32_dot(${PA}, pb, ${PO}, ${M}, ${K}, ${K}, ${K}, ${N}, s0, s1, ${PK}, scr);
  } else if (f === 3) {
    const h = ${small * K * 4} / parts;
    for (let r = 0; r < ${N / small}; r++) k.uniform(pb + part * h, h, px, ${PA}, 8);
  } else if (f < 8) k.uniform(pb + part * half, half, px, ${PA}, [1, 2, 4, 8][f - 4]);
  else if (f === 8) k.matvec_f32_axpy(${PA}, pb, ${PO}, ${M}, ${K}, ${K}, 1, ${N}, ${N}, j0, j1, ${PP});
  else {
    // W as stored, its first ${small} rows (1 MB), as ${N / small} calls of K = ${small}
    for (let r = 0; r < ${N / small}; r++) k.matvec_f32_axpy(${PA}, pb, ${PO}, ${M}, ${small}, ${K}, 1, ${N}, ${N}, j0, j1, ${PP2});
  }
}`;
const names = ['the weight alone (a sum, 4 runs side by side)', 'the kernel (matvec_f32_dot, 4-row blocks in turns)', 'the kernel, 1 MB weight from L2 (its arithmetic alone)',
  'the multiply-adds alone, 1 MB weight from L2', 'the multiply-adds alone, the weight read evenly, 1 run', '  2 runs side by side', '  4 runs side by side', '  8 runs side by side',
  'X @ W: the kernel (matvec_f32_axpy, strips of 2 rows x 16 columns)', 'X @ W: the kernel, 1 MB weight from L2 (its arithmetic alone)'];
const work = new Function(`${body}; return work;`)();
const ctl = new Int32Array(new SharedArrayBuffer(16));
if (T === 2) {
  new Worker(`const { workerData: { memory, mod, ctl } } = require('node:worker_threads');
const k = new WebAssembly.Instance(mod, { env: { memory } }).exports;
${body}
for (;;) {
  Atomics.wait(ctl, 0, 0);
  work(k, Atomics.load(ctl, 1), Atomics.load(ctl, 2), 1, 2);
  Atomics.store(ctl, 0, 0); Atomics.store(ctl, 3, 1); Atomics.notify(ctl, 3);
}`, { eval: true, workerData: { memory, mod, ctl } }).unref();
}
function call(f, pb) {
  if (T === 1) return work(k, f, pb, 0, 1);
  Atomics.store(ctl, 3, 0); Atomics.store(ctl, 1, f); Atomics.store(ctl, 2, pb);
  Atomics.store(ctl, 0, 1); Atomics.notify(ctl, 0);
  work(k, f, pb, 0, 2);
  while (Atomics.load(ctl, 3) === 0) Atomics.wait(ctl, 3, 0, 1);
}
// the kernels compute the products: a few outputs against float64 sums, within matmul_f32's bound
const out = new Float32Array(memory.buffer, PO, M * N);
for (const [f, wt] of [[1, true], [8, false]]) {
  out.fill(0);
  call(f, WB);
  for (const [r, j] of [[0, 0], [3, 2047], [7, 4095], [5, 2048]]) {
    let s = 0, a = 0;
    for (let i = 0; i < K; i++) {
      const p = f32[PA / 4 + r * K + i] * f32[WB / 4 + (wt ? j * K + i : i * N + j)];
      s += p; a += Math.abs(p);
    }
    if (!(Math.abs(out[r * N + j] - s) <= (K + 2) * 2 ** -24 * a)) throw new Error(`${wt ? 'X @ W.T' : 'X @ W'}: out[${r}, ${j}] = ${out[r * N + j]}, expected ${s}`);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fs = names.map((_, f) => f), times = names.map(() => []);
for (let s = 0; s < 15; s++) {
  for (const f of s & 1 ? [...fs].reverse() : fs) {
    const pb = WB + ((s + f) % NB) * bytes, inL2 = f === 2 || f === 3 || f === 9;
    await sleep(20);
    const t0 = performance.now();
    while (performance.now() - t0 < 15) call(f, inL2 ? pb : WB + ((s + f + 1) % NB) * bytes);
    if (!inL2) for (let i = FL / 4; i < (FL + flush) / 4; i += 16) f32[i] += 0;
    const t = performance.now();
    call(f, pb);
    times[f].push(performance.now() - t);
  }
}
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
const ms = times.map(med), flops = 2 * M * K * N;
console.log(`X (${M} x ${K}) @ W.T and @ W, W ${N} x ${K} float32 (${(bytes / 1e6).toFixed(0)} MB), ${T} thread${T > 1 ? 's' : ''}, ${fma ? 'FMA' : 'plain'} set, ${process.version}, medians of 15:`);
names.forEach((n, f) => console.log(`  ${n.padEnd(58)} ${ms[f].toFixed(2).padStart(6)} ms  ${(f === 0 ? `${(bytes / ms[f] / 1e6).toFixed(1)} GB/s` : `${(flops / ms[f] / 1e6).toFixed(1)} GFLOP/s`).padStart(13)}  ${(ms[f] / ms[0]).toFixed(2)}x the weight alone`));
const overlap = (what, kernel, arith) => console.log(`${what}: the kernel ${kernel.toFixed(2)} ms = its arithmetic ${arith.toFixed(2)} + ${(kernel - arith).toFixed(2)} of the stream's ${ms[0].toFixed(2)} ms (${(100 * (ms[0] + arith - kernel) / ms[0]).toFixed(0)}% hidden)`);
overlap('X @ W.T', ms[1], ms[2]);
overlap('X @ W', ms[8], ms[9]);
console.log(`the multiply-adds alone, read evenly: best ${Math.min(...ms.slice(4, 8)).toFixed(2)} ms`);
console.log(`json ${JSON.stringify({ threads: T, weightMs: ms[0], dot: { kernelMs: ms[1], arithMs: ms[2] }, axpy: { kernelMs: ms[8], arithMs: ms[9] }, uniformL2Ms: ms[3], uniformMs: Math.min(...ms.slice(4, 8)) })}`);
