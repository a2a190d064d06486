// The GPU in other runtimes, on the built packages (npm run build): the README's example as is
// (test/fixtures/readme-example.mjs, which the README must quote) in Node, Deno, Bun and
// headless Chromium's main thread (async start, asyncEval before the read), and the checks of
// fixtures/gpu-checks.js (elementwise, reductions, scans, sort, gather, matmul, compile: GPU
// against CPU in the same runtime) in Deno (blocking reads on its navigator.gpu), in a
// Chromium page's main thread (asyncEval-prefetched reads) and in a Web Worker of a
// cross-origin isolated page (blocking reads). Chromium's WebGPU is SwiftShader here: no
// shader-f16, so halves take the emulated path. Under CI a missing Deno, Chromium or dist fails;
// elsewhere the suite skips, loudly.
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { noGpu } from './gpu-helpers.js';
import { CHROMIUM, ensureTool, tools } from '../../../tests/universal/tools.js';

const execFileP = promisify(execFile);
const pkg = fileURLToPath(new URL('../', import.meta.url));
const root = join(pkg, '../../');
const fixtures = join(pkg, 'test/fixtures');
const example = readFileSync(join(fixtures, 'readme-example.mjs'), 'utf8');

type Checks = { syncReadable: boolean; adapter: { description: string; architecture: string; features: string[] }; results: Record<string, { ok: boolean; err?: number; error?: string }> };

function missing(): string | null {
  for (const f of ['packages/core/dist/index.js', 'packages/kernels-wasm/dist/kernels.js', 'packages/metal-backend/dist/index.js']) {
    if (!existsSync(join(root, f))) return `${f} is missing (npm run build)`;
  }
  if (!readFileSync(join(pkg, 'dist/index.js'), 'utf8').includes('registerWebGPUAsync')) return 'packages/metal-backend/dist is older than the sources (npm run build)';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`;
  return null;
}
const why = noGpu ? 'no WebGPU adapter in Node' : missing();
if (why) {
  if (process.env.CI) {
    test('GPU platforms: prerequisites', () => {
      throw new Error(`packages/metal-backend/test/platforms.test.ts can't run under CI: ${why}`);
    });
  } else {
    console.warn(`\n*** GPU platforms SKIPPED: ${why} ***\n`);
    test.skip(`GPU platforms (skipped: ${why})`, () => {});
  }
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { cwd: fixtures, timeout: 180_000, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    return stdout;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${x.message}\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  }
}
const lastLine = (out: string): string => out.trim().split('\n').pop() ?? '';

/** The example's two printed sums (Node prints `[ a, b ]`, browsers `[a,b]`), within 4 ulp (exp's bound) of Node's. */
function expectSameSums(line: string, node: string, label: string): void {
  const nums = (l: string) => l.replace(/[[\]\s]/g, '').split(',').map(Number);
  const [got, want] = [nums(line), nums(node)];
  expect(got.length, `${label} printed ${line}`).toBe(2);
  got.forEach((v, i) => expect(Math.abs(v - want[i]!), `${label}: ${line} against Node's ${node}`).toBeLessThanOrEqual(4 * 2 ** -23 * Math.abs(want[i]!)));
}

function expectChecks(r: Checks, label: string): void {
  for (const [name, res] of Object.entries(r.results)) expect(res, `${label}: ${name}`).toMatchObject({ ok: true });
  expect(Object.keys(r.results).length, label).toBeGreaterThanOrEqual(13);
}

describe.runIf(!why)('the GPU in Node, Deno and Chromium (built packages)', () => {
  let nodeOut = '';

  it("the README quotes the example that these runs execute", () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    expect(readme).toContain('```js\n' + example + '```');
  });

  it('README example in Node', async () => {
    nodeOut = lastLine(await run(process.execPath, ['readme-example.mjs']));
    const [a, b] = JSON.parse(nodeOut) as number[];
    expect(Math.abs(a! - (Math.E + Math.E ** 2 + Math.E ** 3))).toBeLessThan(1e-4);
    expect(Math.abs(b! - (Math.E ** 4 + Math.E ** 5 + Math.E ** 6))).toBeLessThan(1e-3);
  });

  it('README example and the checks in Deno (navigator.gpu, blocking reads)', async () => {
    const deno = await ensureTool(tools.deno);
    expectSameSums(lastLine(await run(deno, ['run', '-A', 'readme-example.mjs'])), nodeOut, 'Deno');
    const r = JSON.parse(lastLine(await run(deno, ['run', '-A', 'deno-checks.mjs']))) as Checks;
    expect(r.syncReadable).toBe(true);
    expectChecks(r, 'Deno');
  });

  it('README example in Bun (Dawn from the webgpu package, as Node)', async () => {
    const bun = await ensureTool(tools.bun);
    expectSameSums(lastLine(await run(bun, ['readme-example.mjs'])), nodeOut, 'Bun');
  });

  describe('headless Chromium', () => {
    // what these tests use of playwright-core (a dependency of tests/, not of this package)
    type Listener = (x: { text(): string; stack?: string; message: string; url(): string; failure(): { errorText: string } | null; on(ev: 'console', f: Listener): void }) => void;
    type Tab = {
      on(ev: 'console' | 'pageerror' | 'requestfailed' | 'worker', f: Listener): void;
      goto(url: string): Promise<unknown>;
      waitForFunction(f: () => boolean, arg?: undefined, o?: { timeout: number }): Promise<unknown>;
      evaluate<T>(f: () => Promise<T>): Promise<T>;
    };
    type Browser = { newContext(): Promise<{ newPage(): Promise<Tab>; close(): Promise<void> }>; close(): Promise<void> };
    let browser: Browser;
    let server: Server;
    let origin = '';
    const notFound: string[] = [];
    const dirs: Record<string, string> = {
      core: join(root, 'packages/core/dist'),
      kernels: join(root, 'packages/kernels-wasm/dist'),
      fflate: join(root, 'packages/core/node_modules/fflate/esm'),
      gpu: join(pkg, 'dist'),
      test: fixtures,
    };
    const map: Record<string, string> = { '@mlx-ts/core': '/core/index.js', '@mlx-ts/kernels-wasm': '/kernels/kernels.js', fflate: '/fflate/browser.js', '@mlx-ts/metal-backend': '/gpu/index.js' };
    // workers read no import map: their modules come with bare specifiers resolved, under /w/
    const resolveBare = (js: string) =>
      js.replace(/(from\s*|import\s*\(?\s*)(['"])(@mlx-ts\/core|@mlx-ts\/kernels-wasm|@mlx-ts\/metal-backend|fflate)\2/g, (_, kw: string, q: string, spec: string) => `${kw}${q}/w${map[spec]}${q}`);
    const head = `<!doctype html><meta charset="utf-8"><script type="importmap">${JSON.stringify({ imports: map })}</script>`;
    const pages: Record<string, string> = {
      // the README's example, as a page's module script: its console.log is the result
      '/example.html': `${head}<script type="module" src="/test/readme-example.mjs"></script>`,
      '/checks.html': `${head}<script type="module">
import * as mx from '@mlx-ts/core';
import { registerWebGPU, registerWebGPUAsync } from '@mlx-ts/metal-backend';
import { runGpuChecks } from '/test/gpu-checks.js';
window.runMain = async () => {
  let syncStartError = '';
  try { registerWebGPU(); } catch (e) { syncStartError = e.message; }
  const be = await registerWebGPUAsync();
  const y = mx.add(mx.array([1, 2]), 1, mx.gpu);
  let syncError = '';
  try { y.tolist(); } catch (e) { syncError = e.message; }
  return { syncStartError, syncError, ...(await runGpuChecks(mx, be, { asyncReads: true })) };
};
window.runWorker = () => new Promise((resolve, reject) => {
  const w = new Worker('/w/test/gpu-worker.js', { type: 'module' });
  w.onmessage = (e) => { w.terminate(); e.data.error ? reject(new Error(e.data.error)) : resolve(e.data); };
  w.onerror = (e) => { w.terminate(); reject(new Error('worker error: ' + e.message + ' at ' + e.filename + ':' + e.lineno)); };
});
window.ready = true;
</script>`,
    };
    // a page whose policy forbids blob: workers: registerWebGPUAsync rejects, naming why, at once
    pages['/csp.html'] = `${head}<script type="module">
import { registerWebGPUAsync } from '@mlx-ts/metal-backend';
window.cspStart = () => registerWebGPUAsync({ startTimeoutMs: 60000 }).then(() => 'started', (e) => 'rejected: ' + e.message);
window.ready = true;
</script>`;
    const workerJs = `import * as mx from '@mlx-ts/core';
import { registerWebGPUAsync } from '@mlx-ts/metal-backend';
import { runGpuChecks } from '/w/test/gpu-checks.js';
try {
  const be = await registerWebGPUAsync();
  // a worker of an isolated page blocks: reads need no asyncEval
  const direct = mx.sum(mx.multiply(mx.array([1, 2, 3]), 2, mx.gpu)).item();
  self.postMessage({ direct, isolated: self.crossOriginIsolated, ...(await runGpuChecks(mx, be)) });
} catch (e) {
  self.postMessage({ error: String(e && e.stack || e) });
}`;

    beforeAll(async () => {
      dirs.fflate = realpathSync(dirs.fflate);
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
        if (url.pathname === '/csp.html') headers['Content-Security-Policy'] = "worker-src 'self'";
        const send = (status: number, type: string, body: string | Buffer) => {
          res.writeHead(status, { ...headers, 'Content-Type': type });
          res.end(body);
        };
        if (pages[url.pathname]) return send(200, 'text/html', pages[url.pathname]!);
        if (url.pathname === '/w/test/gpu-worker.js') return send(200, 'text/javascript', resolveBare(workerJs));
        const worker = url.pathname.startsWith('/w/');
        const [, area, ...rest] = (worker ? url.pathname.slice(2) : url.pathname).split('/');
        const dir = dirs[area ?? ''];
        const file = dir && normalize(join(dir, ...rest));
        if (!dir || !file!.startsWith(dir + sep) || !existsSync(file!)) {
          notFound.push(url.pathname);
          return send(404, 'text/plain', `not found: ${url.pathname}`);
        }
        const body = readFileSync(file!);
        const js = ['.js', '.mjs'].includes(extname(file!));
        send(200, js ? 'text/javascript' : 'application/octet-stream', worker && js ? resolveBare(body.toString('utf8')) : body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // playwright-core is a dependency of tests/ (as tests/browser uses it)
      const { createRequire } = await import('node:module');
      const { pathToFileURL } = await import('node:url');
      const pw = createRequire(join(root, 'tests/package.json')).resolve('playwright-core');
      const { chromium } = (await import(pathToFileURL(pw).href)) as { chromium: { launch(o: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> } };
      const args = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    });

    afterAll(async () => {
      await browser?.close();
      server?.close();
    });

    async function inPage<T>(path: string, act: (tab: Tab, log: string[]) => Promise<T>): Promise<T> {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const log: string[] = [];
      tab.on('console', (m) => log.push(m.text()));
      tab.on('pageerror', (e) => log.push(`page error: ${e.stack ?? e.message}`));
      tab.on('requestfailed', (r) => log.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      tab.on('worker', (w) => w.on('console', (m) => log.push(`worker: ${m.text()}`)));
      try {
        await tab.goto(`${origin}${path}`);
        return await act(tab, log);
      } catch (e) {
        throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}\n${log.join('\n')}${notFound.length ? `\nnot found: ${notFound.join(', ')}` : ''}`);
      } finally {
        await context.close();
      }
    }

    it("README example on the page's main thread", async () => {
      const line = await inPage('/example.html', async (tab, log) => {
        await tab.waitForFunction(() => true);
        const t0 = Date.now();
        while (!log.some((l) => l.startsWith('[') || l.startsWith('page error')) && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100));
        return log.find((l) => l.startsWith('[')) ?? log.join('\n');
      });
      expectSameSums(line, nodeOut, 'Chromium');
    });

    it('the checks on the main thread (asyncEval before reads) and in a Worker (blocking reads)', async () => {
      const [main, worker] = await inPage('/checks.html', async (tab) => {
        await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 });
        const m = await tab.evaluate(() => (window as unknown as { runMain: () => Promise<unknown> }).runMain());
        const w = await tab.evaluate(() => (window as unknown as { runWorker: () => Promise<unknown> }).runWorker());
        return [m, w] as [Checks & { syncError: string; syncStartError: string }, Checks & { direct: number; isolated: boolean }];
      });
      expect(main.syncStartError).toMatch(/in a browser, start the GPU with await registerWebGPUAsync\(\)/);
      expect(main.syncReadable).toBe(false);
      expect(main.syncError).toMatch(/await mx\.asyncEval\(x\) first/);
      expect(main.adapter.features).not.toContain('shader-f16'); // SwiftShader: the emulated halves
      expectChecks(main, 'Chromium main thread');
      expect(worker.isolated).toBe(true);
      expect(worker.syncReadable).toBe(true);
      expect(worker.direct).toBe(12);
      expectChecks(worker, 'Chromium worker');
    });

    it("a page that forbids blob: workers: the start fails at once, naming the policy", async () => {
      const t0 = Date.now();
      const r = await inPage('/csp.html', async (tab) => {
        await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 });
        return tab.evaluate(() => (window as unknown as { cspStart: () => Promise<string> }).cspStart());
      });
      expect(r).toMatch(/^rejected: \[webgpu\] .*worker-src 'self' blob:/);
      expect(Date.now() - t0).toBeLessThan(30_000);
    });
  });
});
