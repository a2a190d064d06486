#!/usr/bin/env node
// Do two threads get two CPUs when one wakes the other after a pause? The experiment behind the
// harness's thread warm-up (lib/measure.mjs WAKE_MS), in plain JS: no library, no WASM.
//   node bench/ab/packing.mjs [warm calls before each timed call, default 0,1,2,3]
// A worker and the main thread each run the same ~3 ms integer loop per call; the worker sleeps
// in Atomics.wait between calls (after a 1 ms spin, as the WASM pool's default), and each
// sample first sleeps 20 ms (the harness's settle). A call takes ~3 ms when the two threads
// run on two CPUs (the back-to-back median) and ~6 ms when the scheduler put both on one. On the
// 2-vCPU development VM (kernel `sched_vcpu_pack=15`), runs of 40: with 0, 1 or 2 warm calls
// 31-39 calls were over 1.5x the back-to-back time, with 3 (about 9 ms of busy work) 6-9, with
// 5 (15 ms) 3.
import { Worker } from 'node:worker_threads';

const sab = new SharedArrayBuffer(16);
const i32 = new Int32Array(sab); // [sequence, loop length, sink, calls done]
const loop = `function work(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 1664525 + 1013904223) | 0; return x; }`;
const worker = new Worker(`
const { workerData } = require('node:worker_threads');
const i32 = new Int32Array(workerData);
${loop}
let seen = 0;
for (;;) {
  const t0 = Date.now();
  while (Atomics.load(i32, 0) === seen) if (Date.now() - t0 >= 1) Atomics.wait(i32, 0, seen);
  seen = Atomics.load(i32, 0);
  if (seen < 0) break;
  i32[2] = work(i32[1]);
  Atomics.add(i32, 3, 1);
  Atomics.notify(i32, 3);
}`, { eval: true, workerData: sab });
const work = new Function(`${loop}; return work;`)();

for (let i = 0; i < 50; i++) work(1e5);
let n = 1e7;
{ const t = performance.now(); work(n); n = Math.round((n * 3) / (performance.now() - t)); }
i32[1] = n;

/** One call: the worker's loop and the main thread's, ms until both are done. */
function call() {
  const t = performance.now(), done = Atomics.load(i32, 3);
  Atomics.add(i32, 0, 1);
  Atomics.notify(i32, 0);
  work(n);
  while (Atomics.load(i32, 3) === done) Atomics.wait(i32, 3, done, 5);
  return performance.now() - t;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// the two-CPU time: calls back to back (both threads stay busy), the median of 40 after 20 more
for (let i = 0; i < 20; i++) call();
const b2b = Array.from({ length: 40 }, call).sort((a, b) => a - b)[20];
console.log(`back to back: median ${b2b.toFixed(2)} ms`);

for (const warm of (process.argv[2] ?? '0,1,2,3').split(',').map(Number)) {
  const times = [];
  for (let s = 0; s < 40; s++) {
    await sleep(20);
    for (let w = 0; w < warm; w++) call();
    times.push(call());
  }
  times.sort((a, b) => a - b);
  const slow = times.filter((t) => t > 1.5 * b2b).length;
  console.log(`${warm} warm call(s): median ${times[20].toFixed(2)} ms, fastest ${times[0].toFixed(2)} ms, ${slow} of 40 over 1.5x back to back`);
}

Atomics.store(i32, 0, -1);
Atomics.notify(i32, 0);
await worker.terminate();
