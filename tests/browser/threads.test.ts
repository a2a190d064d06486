// WASM threads in a browser (Web Workers over a shared memory): the built packages served by a
// small node:http server, loaded in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) through an import map, with the checks of threads-checks.js run
// - in a cross-origin isolated page's main thread (it spin-waits for the workers),
// - in a dedicated Worker of that page (it Atomics.waits),
// - in a page served without the isolation headers (no SharedArrayBuffer: single-threaded),
// each compared bit for bit with the same ops run in Node on one thread. Under CI a missing
// Chromium or playwright-core (or an unbuilt dist) fails the test; otherwise it skips, loudly.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import * as mx from '@mlx-ts/core';
import * as threads from '../../packages/core/src/backend/wasm/threads.js';
import * as device from '../../packages/core/src/device.js';
import { runChecks, type ChecksReport, type OpRun } from './threads-checks.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const dirs: Record<string, string> = {
  core: join(root, 'packages/core/dist'),
  kernels: join(root, 'packages/kernels-wasm/dist'),
  fflate: join(root, 'packages/core/node_modules/fflate/esm'),
  test: join(root, 'tests/browser'),
};

type Chromium = typeof import('playwright-core').chromium;
type Browser = Awaited<ReturnType<Chromium['launch']>>;

/** playwright-core's chromium, or why the test can't run. */
async function prerequisites(): Promise<Chromium | string> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (install it: apt-get install -y chromium)`;
  let chromium: Chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    return `playwright-core can't be imported (npx pnpm@12.4.2 install): ${e instanceof Error ? e.message : String(e)}`;
  }
  const threadsJs = join(dirs.core, 'backend/wasm/threads.js');
  if (!existsSync(threadsJs) || !existsSync(join(dirs.kernels, 'kernels.js'))) return 'packages/core/dist or packages/kernels-wasm/dist is missing (npm run build)';
  if (!readFileSync(threadsJs, 'utf8').includes('export async function initThreads')) return 'packages/core/dist is older than the sources (npm run build)';
  if (!existsSync(join(dirs.fflate, 'browser.js'))) return `fflate's browser build is missing at ${dirs.fflate}`;
  return chromium;
}

const found = await prerequisites();
const missing = typeof found === 'string' ? found : null;
if (missing) {
  if (process.env.CI) {
    test('browser threads: prerequisites', () => {
      throw new Error(`tests/browser/threads.test.ts can't run under CI: ${missing}`);
    });
  } else {
    console.warn(`\n*** tests/browser/threads.test.ts SKIPPED: ${missing} ***\n`);
    test.skip(`browser threads (skipped: ${missing})`, () => {});
  }
}

// ---- the server: the packages' dist as is; under /w/ with bare specifiers resolved (workers read no import map) ----
const importMap = { imports: { '@mlx-ts/core': '/core/index.js', '@mlx-ts/kernels-wasm': '/kernels/kernels.js', fflate: '/fflate/browser.js' } };
const page = `<!doctype html>
<meta charset="utf-8">
<title>mlx-ts WASM threads</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
import * as mx from '@mlx-ts/core';
// the same module instances as the package's own (same URLs): the internal test hooks
import * as threads from '/core/backend/wasm/threads.js';
import * as device from '/core/device.js';
import { runChecks } from '/test/threads-checks.js';
window.runMain = (o) => runChecks(mx, { ...threads, ...device }, o);
window.runWorker = (o) => new Promise((resolve, reject) => {
  const w = new Worker('/test/threads-worker.js', { type: 'module' });
  w.onmessage = (e) => { w.terminate(); e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.report); };
  w.onerror = (e) => { w.terminate(); reject(new Error('worker error: ' + e.message)); };
  w.postMessage(o);
});
window.ready = true;
</script>`;

const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

function resolveBare(js: string): string {
  return js.replace(/(from\s*|import\s*\(?\s*)(['"])(@mlx-ts\/kernels-wasm|fflate)\2/g, (_, kw: string, q: string, spec: string) => {
    return `${kw}${q}/w${importMap.imports[spec as keyof typeof importMap.imports]}${q}`;
  });
}

function serve(isolated: boolean): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { ...headers, 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname === '/page.html') return send(200, 'text/html', page);
    const worker = url.pathname.startsWith('/w/');
    const [, area, ...rest] = (worker ? url.pathname.slice(2) : url.pathname).split('/');
    const dir = dirs[area ?? ''];
    const file = dir && normalize(join(dir, ...rest));
    if (!dir || !file!.startsWith(dir + sep) || !existsSync(file!)) return send(404, 'text/plain', `not found: ${url.pathname}`);
    const body = readFileSync(file!);
    send(200, types[extname(file!)] ?? 'application/octet-stream', worker && file!.endsWith('.js') ? resolveBare(body.toString('utf8')) : body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe.runIf(!missing)('WASM threads in headless Chromium', () => {
  let browser: Browser;
  const servers: Server[] = [];
  const origins: Record<'isolated' | 'plain', string> = { isolated: '', plain: '' };
  let expected: Record<string, OpRun>;

  beforeAll(async () => {
    dirs.fflate = realpathSync(dirs.fflate);
    for (const kind of ['isolated', 'plain'] as const) {
      const { server, origin } = await serve(kind === 'isolated');
      servers.push(server);
      origins[kind] = origin;
    }
    const root = process.getuid?.() === 0;
    browser = await (found as Chromium).launch({ executablePath: CHROMIUM, headless: true, args: root ? ['--no-sandbox'] : [] });
    // the expected bits: the same ops in Node, on one thread
    const threadsBefore = mx.getNumThreads();
    try {
      expected = (await runChecks(mx, { ...threads, ...device }, { threadCounts: [1] })).runs[0]!.ops;
    } finally {
      mx.setNumThreads(threadsBefore);
    }
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) s.close();
  });

  /** Opens the test page of `kind` and runs the checks in its main thread or in a Worker. */
  async function inBrowser(kind: 'isolated' | 'plain', where: 'main' | 'worker', options: { threadCounts: number[]; faults?: boolean }): Promise<ChecksReport> {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const log: string[] = [];
    tab.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
    tab.on('pageerror', (e) => log.push(`page error: ${e.stack ?? e.message}`));
    try {
      await tab.goto(`${origins[kind]}/page.html`);
      await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 15_000 });
      return await tab.evaluate(([w, o]) => (window as unknown as Record<string, (o: unknown) => Promise<ChecksReport>>)[w === 'main' ? 'runMain' : 'runWorker']!(o), [where, options] as const);
    } catch (e) {
      throw new Error(`${kind} page, ${where}: ${e instanceof Error ? e.message : String(e)}\n${log.join('\n')}`);
    } finally {
      await context.close();
    }
  }

  /**
   * The expected bits for a report: Node's, except matmul's where the browser loaded the other
   * kernel set (Chromium has relaxed SIMD, so the FMA set, whose float32 matmul rounds
   * differently: wasm-fma.test.ts checks it against the reference); there the browser's own
   * one-thread run, so that thread counts must still agree bit for bit.
   */
  function expectedFor(r: ChecksReport): Record<string, OpRun> {
    if (r.kernelSet === mx.wasmKernelSet()) return expected;
    expect(r.runs[0]!.threads).toBe(1);
    return { ...expected, matmul: r.runs[0]!.ops.matmul! };
  }

  function expectOps(label: string, ops: Record<string, OpRun>, threaded: boolean, exp = expected) {
    for (const [name, r] of Object.entries(ops)) {
      expect(r.hash, `${label}: ${name} bits`).toBe(exp[name]!.hash);
      if (threaded) expect(r.workerChunks, `${label}: ${name} chunks run by workers`).toBeGreaterThan(0);
      else expect(r.workerChunks, `${label}: ${name} chunks run by workers`).toBe(0);
    }
  }

  function expectThreaded(r: ChecksReport, label: string) {
    expect(r.isolated, label).toBe(true);
    expect(r.sharedArrayBuffer, label).toBe(true);
    expect(r.backend, label).toBe('wasm');
    expect(r.init.workers).toBe('web-workers');
    // current Chromium validates relaxed SIMD: the FMA kernel set, in the workers too
    expect(r.kernelSet, label).toBe('fma');
    const exp = expectedFor(r);
    for (const run of r.runs) {
      expect(run.status, `${label}, ${run.threads} threads`).toEqual({ threads: run.threads, requested: run.threads, workers: 'web-workers', reason: null });
      expectOps(`${label}, ${run.threads} threads`, run.ops, run.threads > 1, exp);
    }
    const f = r.faults!;
    // a dead worker: the caller took its chunk
    expect(f.stolen.hash).toBe(expected.add!.hash);
    expect(f.stolen.byCaller).toBeGreaterThan(0);
    // ...or, when it doesn't take chunks, a timeout error within the limit, not a hang
    // the limit is the set 300 ms or 20x the caller's own chunk time, whichever is longer (a slow host
    // must not turn a slow chunk into a false timeout)
    const limit = /^WasmThreadError: .*did not finish within (\d+) ms/.exec(f.timeout);
    expect(limit, f.timeout).not.toBeNull();
    expect(Number(limit![1])).toBeGreaterThanOrEqual(300);
    expect(f.timeoutMs).toBeLessThan(5000);
    expectOps(`${label}, after the timeout`, { add: f.afterTimeout }, false);
    expect(f.afterTimeoutStatus.threads).toBe(1);
    expect(f.afterTimeoutStatus.reason).toMatch(/starting/);
    expect(f.restarted.threads).toBe(2);
    expectOps(`${label}, restarted`, { add: f.restartedRun }, true);
    // setNumThreads after init: one thread until the new pool runs, then 3
    expect(f.resizing).toMatchObject({ threads: 1, requested: 3 });
    expect(f.resizing.reason).toMatch(/starting/);
    expectOps(`${label}, while resizing`, { add: f.resizingRun }, false);
    expect(f.resized.threads).toBe(3);
    expectOps(`${label}, resized`, { add: f.resizedRun }, true);
  }

  test('cross-origin isolated page, main thread: 1, 2 and 3 threads give the same bits; workers run chunks; faults are bounded', async () => {
    const r = await inBrowser('isolated', 'main', { threadCounts: [1, 2, 3], faults: true });
    expect(r.before.threads).toBe(1);
    expect(r.before.reason).toMatch(/not started: await mx.initThreads/);
    expect(r.init.threads).toBe(Math.min(r.defaultThreads, threads.MAX_THREADS));
    expectThreaded(r, 'isolated page');
  });

  test('cross-origin isolated page, dedicated Worker: the same', async () => {
    const r = await inBrowser('isolated', 'worker', { threadCounts: [1, 2, 3], faults: true });
    expectThreaded(r, 'dedicated worker');
  });

  test('page without the isolation headers: single-threaded, the same bits, and the status says why', async () => {
    const r = await inBrowser('plain', 'main', { threadCounts: [1, 2] });
    expect(r.isolated).toBe(false);
    expect(r.sharedArrayBuffer).toBe(false);
    expect(r.backend).toBe('wasm');
    expect(r.defaultThreads).toBe(1);
    expect(r.init).toMatchObject({ threads: 1, requested: 1 });
    expect(r.init.reason).toMatch(/not cross-origin isolated/);
    const [one, two] = r.runs;
    expect(one!.status).toMatchObject({ threads: 1, requested: 1 });
    expect(one!.status.reason).toMatch(/not cross-origin isolated/);
    expect(two!.status).toMatchObject({ threads: 1, requested: 2 });
    expect(two!.status.reason).toMatch(/not cross-origin isolated/);
    expect(r.kernelSet).toBe('fma');
    for (const run of r.runs) expectOps(`plain page, ${run.threads} threads`, run.ops, false, expectedFor(r));
  });
});
