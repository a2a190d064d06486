// The timing protocol shared by the JS runners (runners/numpy_bench.py implements the same one).
// prepare(): one untimed warm-up call (the "first call"; over the cap means "over budget"),
// a second one when cheap, then for calls up to JIT_WARM_MAX_MS WARM_MS of untimed calls
// (and for calls under 0.1 ms a batch size so that one sample lasts >= 2 ms). sample(): one
// timed sample (time per call). The parent (run.mjs) asks every
// configuration of a workload for samples in turn, round-robin, and decides when to stop.
import { performance } from 'node:perf_hooks';

const gcNow = globalThis.gc ?? (() => {});
/**
 * ms to wait after the GC before a timed call: V8 goes on sweeping on a helper thread after
 * gc() returns, which took the second core from two-thread configurations during the timed
 * call (mlx-ts:wasm's compiled exp(a)*b+1: 6 of 21 worker chunks started late, 2.9 ms median
 * against 2.0 ms with the wait). runners/numpy_bench.py waits the same.
 */
export const SETTLE_MS = 20;
/**
 * ms of the library's own small matmul (the runner's `warmThreads`, 256 x 256: its operands stay
 * in L2) after the settle, before the untimed call. On the 2-vCPU development VM a worker woken
 * after the settle was placed on the calling thread's vCPU and moved to the idle one only after
 * 6-9 ms of busy work (bench/ab/packing.mjs: after one 3 ms call 31 of 40 two-thread calls
 * took over 1.5x the back-to-back time, after five 3 of 40). A loop of calls finds its threads on their own vCPUs; a
 * warm-up on the workload itself would also bring its operands back into the 480 MiB L3, so the
 * threads are woken on other data. runners/numpy_bench.py does the same.
 */
export const WAKE_MS = 15;
/** Calls up to this long (ms) get WARM_MS of untimed calls before the samples too (see prepare). */
export const JIT_WARM_MAX_MS = 30;
/** ms of calls before the batch is sized, for calls under 0.1 ms (runners/numpy_bench.py does the same). */
export const WARM_MS = 300;
const gc = async () => {
  gcNow();
  await new Promise((r) => setTimeout(r, SETTLE_MS));
};

/**
 * @param {object} impl { op(): any | Promise<any>, dispose?(out): void }
 *   op runs one complete call, including whatever forces the library to finish the work.
 * @param {object} p { budgetMs, capMs, micro }
 */
export async function prepare(impl, { budgetMs = 3000, capMs = 20000, micro = false, warmThreads } = {}) {
  const dispose = impl.dispose ?? (() => {});
  const call = async () => {
    const out = impl.op();
    return out && typeof out.then === 'function' ? await out : out;
  };
  /** One call timed alone (its output freed after the clock stops), or n calls timed together. */
  const run = async (n) => {
    const t0 = performance.now();
    if (n === 1) {
      const out = await call();
      const t = performance.now() - t0;
      dispose(out);
      return t;
    }
    for (let i = 0; i < n; i++) dispose(await call());
    return (performance.now() - t0) / n;
  };
  /** The threads' warm-up (WAKE_MS) and the untimed call before a sample (see sample below); a batch needs neither: it runs back to back. */
  const wake = async () => {
    if (batch !== 1) return;
    if (warmThreads) for (const t0 = performance.now(); performance.now() - t0 < WAKE_MS;) await warmThreads();
    dispose(await call());
  };
  await gc();
  const first = await run(1);
  if (first > capMs) return { status: 'over-budget', firstMs: first, note: `first call took ${(first / 1000).toFixed(1)} s (cap ${(capMs / 1000).toFixed(0)} s)` };
  let warm = first;
  if (first * 3 < budgetMs) { await gc(); warm = await run(1); }
  let batch = 1;
  if (micro || warm < 0.1) {
    // Microsecond calls: WARM_MS of calls first, so that the samples see the JIT's optimized code
    // (JS and wasm tiers) rather than the first few hundred calls (10x slower on a 2-core machine).
    const t0 = performance.now();
    while (performance.now() - t0 < WARM_MS) await run(16);
    while (batch < 1 << 20) {
      const t0 = performance.now();
      await run(batch);
      if (performance.now() - t0 >= 2) break;
      batch *= 2;
    }
  } else if (warm <= JIT_WARM_MAX_MS) {
    // Calls of milliseconds that run much JS (a training step: hundreds of ops): the same
    // WARM_MS of calls, so that their samples too see the optimized code. With two calls
    // only, the digits-MLP training step's median was 3.5 ms for mlx-ts:wasm (1.8 ms after 300
    // calls in a loop) and 7.5 ms for tfjs:wasm; with the warm-up 2.0 and 7.2 ms.
    const t0 = performance.now();
    while (performance.now() - t0 < WARM_MS) await run(1);
  }
  return {
    status: 'ready', firstMs: first, batch,
    // Between the settle and the timed call, for every library alike: WAKE_MS of its small
    // matmul (threads as a loop of calls finds them), then one untimed call of the workload (the
    // VM's shared L3 still loses large operands during the settle: see the report's methodology).
    sample: async () => { await gc(); await wake(); return run(batch); },
  };
}

export function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => {
    const x = (s.length - 1) * p, lo = Math.floor(x), hi = Math.ceil(x);
    return s[lo] + (s[hi] - s[lo]) * (x - lo);
  };
  return { reps: s.length, medianMs: q(0.5), minMs: s[0], maxMs: s[s.length - 1], p25Ms: q(0.25), p75Ms: q(0.75) };
}
