// A dedicated Worker that uses @mlx-ts/core (served by tests/browser/threads.test.ts under
// /w/, where bare specifiers are resolved by the server: workers don't read import maps) and
// runs the thread checks there, where Atomics.wait is allowed.
import * as mx from '/w/core/index.js';
import * as threads from '/w/core/backend/wasm/threads.js';
import * as device from '/w/core/device.js';
import { runChecks } from '/test/threads-checks.js';

self.onmessage = async (e) => {
  try {
    self.postMessage({ report: await runChecks(mx, { ...threads, ...device }, e.data) });
  } catch (err) {
    self.postMessage({ error: String(err && err.stack ? err.stack : err) });
  }
};
