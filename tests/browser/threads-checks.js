// The checks of tests/browser/threads.test.ts, as plain JS so that the same code runs in a
// page's main thread, in a dedicated Worker (both served as is) and in Node (the expected
// bits). `mx` is @mlx-ts/core; `hooks` the internals of its threads module and device.js.

/** Deterministic float32 data in [-1, 1). */
function data(n, seed) {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = -1 + (2 * s) / 2 ** 32;
  }
  return v;
}

/** FNV-1a of the bytes, with their count: equal hashes = the same bits. */
function hash(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return `${bytes.length}:${h.toString(16)}`;
}

/** The large ops: each is split into chunks from 2 threads on. */
function makeOps(mx) {
  const n = 1 << 20;
  const a = mx.array(data(n, 1));
  const b = mx.array(data(n, 2));
  const m = mx.reshape(mx.array(data(192 * 160, 3)), [192, 160]);
  const k = mx.reshape(mx.array(data(160 * 176, 4)), [160, 176]);
  mx.eval(a, b, m, k);
  const fused = mx.compile((x, y) => mx.add(mx.multiply(x, y), x));
  return {
    add: () => mx.add(a, b),
    sum: () => mx.sum(a),
    matmul: () => mx.matmul(m, k),
    compiled: () => fused(a, b),
  };
}

function runOps(mx, hooks, ops) {
  const out = {};
  for (const [name, op] of Object.entries(ops)) {
    hooks.resetThreadStats();
    const y = op();
    mx.eval(y);
    const st = hooks.threadStats();
    out[name] = { hash: hash(mx.toTypedArray(y)), workerChunks: st.workerChunks, byCaller: st.byCaller };
  }
  return out;
}

/**
 * Runs the ops with each thread count in `threadCounts` (after `await mx.initThreads()`), with
 * the caller not taking worker chunks, so that `workerChunks` counts what workers ran. With
 * `faults`, also: a dead worker (the caller takes its chunks; without that, a timeout error,
 * not a hang, then a new pool), and setNumThreads after init (single-threaded until the new
 * pool runs). Returns plain data for the test to assert on.
 */
export async function runChecks(mx, hooks, { threadCounts, faults = false }) {
  const report = {
    isolated: globalThis.crossOriginIsolated ?? null,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    defaultThreads: mx.getNumThreads(),
    before: mx.threadStatus(),
    runs: [],
  };
  report.init = await mx.initThreads();
  report.backend = mx.cpuBackendName();
  // 'fma' where the runtime has relaxed SIMD (Chromium), 'plain' in Node 20: their matmul bits differ
  report.kernelSet = mx.wasmKernelSet();
  const ops = makeOps(mx);
  hooks.setStealing(false);
  try {
    for (const t of threadCounts) {
      mx.setNumThreads(t);
      const status = await mx.initThreads();
      report.runs.push({ threads: t, status, ops: runOps(mx, hooks, ops) });
    }
    if (faults) report.faults = await faultChecks(mx, hooks, ops);
  } finally {
    hooks.setStealing(true);
    hooks.setThreadTimeout(30_000);
  }
  return report;
}

async function faultChecks(mx, hooks, ops) {
  const heap = hooks.getBackendByName('wasm').heap;
  const add = { add: ops.add };
  const f = {};
  mx.setNumThreads(2);
  await mx.initThreads();
  hooks.runningPool(heap).killWorker(0);
  await new Promise((r) => setTimeout(r, 100)); // let it leave
  // the caller takes the chunk that the dead worker never claims
  hooks.setStealing(true);
  f.stolen = runOps(mx, hooks, add).add;
  // without that, the wait is bounded: an error, then a new pool
  hooks.setStealing(false);
  hooks.setThreadTimeout(300);
  const t0 = Date.now();
  try {
    runOps(mx, hooks, add);
    f.timeout = 'no error';
  } catch (e) {
    f.timeout = `${e.name}: ${e.message}`;
  }
  f.timeoutMs = Date.now() - t0;
  hooks.setThreadTimeout(30_000);
  f.afterTimeout = runOps(mx, hooks, add).add; // single-threaded while the new pool starts
  f.afterTimeoutStatus = mx.threadStatus();
  f.restarted = await mx.initThreads();
  f.restartedRun = runOps(mx, hooks, add).add;
  // setNumThreads after init: the kernels run here until the new pool runs
  mx.setNumThreads(3);
  f.resizing = mx.threadStatus();
  f.resizingRun = runOps(mx, hooks, add).add;
  f.resized = await mx.initThreads();
  f.resizedRun = runOps(mx, hooks, add).add;
  return f;
}
