// The compute floor of the 4-bit quantized matvec (issue 12, qmv-4096): how long qmv_f32's
// unpack + convert + multiply-add takes with no weight streaming (qmv_f32 itself, called from
// here N / 2 times over one resident pair of rows: the same arithmetic, 2 rows a pass, with the
// weights, scales and biases in L1; a call's overhead is ~1% of its 8192 codes), against the shipped kernel on
// the same thread and the float32 matvec of that shape through the library (both threads).
// Times: medians of N back-to-back calls after warm-up, CPU time of this thread for the
// single-thread kernels (robust on a shared machine), wall time for the library calls.
// Run after `npm run build`: node bench/qmv-floor.mjs
import { kernelModule, instantiateKernels } from '../packages/kernels-wasm/dist/kernels.js';
import * as mx from '../packages/core/dist/index.js';

const K = 4096, N = 4096, gs = 64, bits = 4, runs = 30;
const module = kernelModule(false);
// the kernels here import nothing they call; the double-precision helpers get stubs
const imports = {};
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.kind !== 'function') continue;
  (imports[imp.module] ??= {})[imp.name] = () => { throw new Error(`${imp.module}.${imp.name} is not available in this bench`); };
}
const memory = new WebAssembly.Memory({ initial: 1024 + ((K * N) >> 14) });
const k = instantiateKernels(memory, module, imports);
let top = 1 << 24;
const alloc = (bytes) => { const p = top; top += (bytes + 63) & ~63; return p; };
const px = alloc(K * 4), pw = alloc((K * N * bits) / 8), ps = alloc((N * K / gs) * 4), pb = alloc((N * K / gs) * 4);
const po = alloc(N * 4), prep = alloc(k.qmvPrepareBytes(1, K, gs)), scratch = alloc(k.qmvScratchBytes(1));
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const f32 = new Float32Array(memory.buffer), u32 = new Uint32Array(memory.buffer);
for (let i = 0; i < K; i++) f32[px / 4 + i] = rnd() * 2 - 1;
for (let i = 0; i < (K * N * bits) / 32; i++) u32[pw / 4 + i] = (rnd() * 2 ** 32) >>> 0;
for (let i = 0; i < (N * K) / gs; i++) { f32[ps / 4 + i] = rnd() * 0.1; f32[pb / 4 + i] = rnd() * 0.1 - 0.05; }
k.qmvPrepare(px, K, 1, K, gs, bits, prep);

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
function cpuMs(f) {
  for (let i = 0; i < 5; i++) f();
  const t = [];
  for (let i = 0; i < runs; i++) { const t0 = process.cpuUsage(); f(); const d = process.cpuUsage(t0); t.push((d.user + d.system) / 1000); }
  return median(t);
}
function wallMs(f) {
  for (let i = 0; i < 5; i++) f();
  const t = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); }
  return median(t);
}
const full = cpuMs(() => k.qmv_f32(prep, pw, ps, pb, po, 1, N, K, 0, N, bits, gs, scratch));
const floor = cpuMs(() => { for (let i = 0; i < N / 2; i++) k.qmv_f32(prep, pw, ps, pb, po, 1, 2, K, 0, 2, bits, gs, scratch); });

const x = mx.random.normal([1, K]), W = mx.random.normal([N, K]);
const [wq, s, b] = mx.quantize(W, gs, bits);
mx.eval(x, W, wq, s, b);
const threads = mx.getNumThreads();
const matvec = wallMs(() => mx.eval(mx.matmul(x, W.T)));
const qmv = wallMs(() => mx.eval(mx.quantizedMatmul(x, wq, s, b, true, gs, bits)));

const codes = K * N;
console.log(`qmv_f32, one thread, weights streamed: ${full.toFixed(2)} ms CPU (${((full * 1e6) / codes).toFixed(3)} ns a code)`);
console.log(`qmv_f32 over one resident pair of rows, N / 2 times, one thread: ${floor.toFixed(2)} ms CPU (${((floor * 1e6) / codes).toFixed(3)} ns a code)`);
console.log(`library, ${threads} thread(s): float32 x @ W.T ${matvec.toFixed(2)} ms, 4-bit quantizedMatmul ${qmv.toFixed(2)} ms (${(matvec / qmv).toFixed(2)}x)`);
console.log(`4x the float32 matvec needs <= ${(matvec / 4).toFixed(2)} ms; the unpack + convert + multiply-add alone, split over ${threads} thread(s) with no loss, is ${(floor / threads).toFixed(2)} ms`);
