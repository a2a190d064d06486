// Universal npm import: the packages packed as they would be published (pnpm pack), installed
// into throwaway projects as a user would, and the same smoke program (smoke.js) run in every
// runtime and bundler:
// - the core tarball alone: `npm install @mlx-ts/core@0.1.0` from a local registry for the
//   @mlx-ts scope (third-party dependencies come from npm), so its sibling dependency resolves
//   by its exact version; mlx-ts from its tarball's path, pulling core the same way;
// - Node 20, 22, 24 (import and require), Node 20.10 (import; require gives the one-line
//   error), Deno and Bun (import and require);
// - esbuild bundles (esm and iife) run in Node and in headless Chromium and Firefox; a Vite
//   build and a plain <script type="module"> page with an import map in both browsers, each
//   served with and without the cross-origin isolation headers;
// - the types checked as a consumer does (skipLibCheck: false, default libs), and the size of
//   a browser bundle of core with its kernels against the budget in the README.
// Every report must equal, value for value, the one from Node on the repository's sources; the
// WASM backend must be the CPU backend everywhere, threads must run wherever the platform
// allows, and every reason given for no threads must be true. Under CI a missing browser or
// build fails the test; elsewhere it skips, loudly.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import * as mx from '@mlx-ts/core';
import { smoke } from './smoke.js';
import { CHROMIUM, FIREFOX, ensureTool, tools } from './tools.js';

const execFileP = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => join(root, 'tests/node_modules/.bin', name);
/** The size budget of core with its kernels in a minified esbuild browser bundle (README, "Use it in ..."); 240 kB until the FMA set, flash attention and the fast row kernels (240.4 kB). */
const BUNDLE_BUDGET_GZIP = 250 * 1024;

type Report = Record<string, unknown> & { threadStatus: mx.ThreadStatus; cpuBackend: string };

async function sh(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    return stdout;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${x.message}\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  }
}

/** The JSON report a program prints on its last line. */
function lastJson(out: string): Report {
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Report;
}

function missingPrerequisite(): string | null {
  for (const f of ['packages/core/dist/index.js', 'packages/kernels-wasm/dist/kernels.js', 'packages/mlx/dist/index.js']) {
    if (!existsSync(join(root, f))) return `${f} is missing (npm run build)`;
  }
  if (!readFileSync(join(root, 'packages/core/dist/backend/wasm/threads.js'), 'utf8').includes('threads-runtime.js')) return 'packages/core/dist is older than the sources (npm run build)';
  if (!existsSync(join(root, 'packages/kernels-wasm/dist/kernels-data.js'))) return 'packages/kernels-wasm/dist is older than build.mjs (npm run build)';
  for (const b of [CHROMIUM, FIREFOX]) if (!existsSync(b)) return `${b} is missing (apt-get install -y chromium firefox-esr)`;
  for (const b of ['esbuild', 'vite']) if (!existsSync(bin(b))) return `tests/node_modules/.bin/${b} is missing (npx pnpm@12.4.2 install)`;
  return null;
}

const missing = missingPrerequisite();
if (missing) {
  if (process.env.CI) {
    test('universal import: prerequisites', () => {
      throw new Error(`tests/universal can't run under CI: ${missing}`);
    });
  } else {
    console.warn(`\n*** tests/universal SKIPPED: ${missing} ***\n`);
    test.skip(`universal import (skipped: ${missing})`, () => {});
  }
}

// ---- the programs written into the throwaway projects ----
const smokeSource = readFileSync(fileURLToPath(new URL('./smoke.js', import.meta.url)), 'utf8');
const runtimeExpr = `(typeof Deno !== 'undefined' ? 'deno ' + Deno.version.deno : typeof Bun !== 'undefined' ? 'bun ' + Bun.version : 'node ' + process.version)`;
const files: Record<string, string> = {
  'smoke.mjs': smokeSource,
  'smoke.cjs': smokeSource.replace('export async function smoke', 'async function smoke') + '\nmodule.exports = { smoke };\n',
  'main.mjs': `import * as mx from '@mlx-ts/core';\nimport { smoke } from './smoke.mjs';\nconst r = await smoke(mx);\nr.runtime = ${runtimeExpr};\nr.module = 'esm';\nconsole.log(JSON.stringify(r));\n`,
  'main.cjs': `const mx = require('@mlx-ts/core');\nconst { smoke } = require('./smoke.cjs');\nsmoke(mx).then((r) => {\n  r.runtime = ${runtimeExpr};\n  r.module = typeof module === 'object' ? 'cjs' : 'esm';\n  console.log(JSON.stringify(r));\n});\n`,
  // the browser entry (bundled by esbuild and Vite, or loaded through an import map)
  'browser-entry.mjs': `import * as mx from '@mlx-ts/core';\nimport { smoke } from './smoke.mjs';\nsmoke(mx, { initThreads: true }).then(\n  (r) => {\n    r.isolated = globalThis.crossOriginIsolated ?? null;\n    r.sharedArrayBuffer = typeof SharedArrayBuffer === 'function';\n    r.cores = globalThis.navigator?.hardwareConcurrency ?? null;\n    globalThis.__report = r;\n    if (typeof window === 'undefined') console.log(JSON.stringify(r));\n  },\n  (e) => {\n    globalThis.__error = String(e && e.stack ? e.stack : e);\n    if (typeof window === 'undefined') { console.error(globalThis.__error); process.exit(1); }\n  },\n);\n`,
  // a TypeScript consumer, checked with skipLibCheck: false and the default libs
  'consumer.mts': `import * as mx from '@mlx-ts/core';\nimport { core, nn } from 'mlx-ts';\nconst a: mx.MxArray = mx.array([1, 2, 3]);\nconst s: number = mx.sum(a).item() as number;\nconst l = new nn.Linear(2, 3);\nconst y: core.MxArray = l.forward(mx.ones([1, 2]));\n{\n  using scope = new mx.StreamContext(mx.cpu);\n  void scope;\n}\nexport { s, y };\n`,
  'consumer.cts': `import mx = require('@mlx-ts/core');\nconst t: mx.ThreadStatus = mx.threadStatus();\nexport = t;\n`,
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['consumer.mts', 'consumer.cts'] }),
  'mlx.mjs': `import { core as mx, nn } from 'mlx-ts';\nmx.random.seed(3);\nconst l = new nn.Linear(3, 2);\nconst x = mx.reshape(mx.arange(6), [2, 3]);\nconst loss = (v) => mx.sum(l.forward(v));\nconst [v, g] = nn.valueAndGrad(l, loss)(x);\nconsole.log(JSON.stringify({ y: l.forward(x).tolist(), loss: v.item(), gw: g.weight.tolist(), backend: mx.cpuBackendName() }));\n`,
  'mlx.cjs': `const { core: mx, nn } = require('mlx-ts');\nmx.random.seed(3);\nconst l = new nn.Linear(3, 2);\nconst x = mx.reshape(mx.arange(6), [2, 3]);\nconst loss = (v) => mx.sum(l.forward(v));\nconst [v, g] = nn.valueAndGrad(l, loss)(x);\nconsole.log(JSON.stringify({ y: l.forward(x).tolist(), loss: v.item(), gw: g.weight.tolist(), backend: mx.cpuBackendName() }));\n`,
};

const page = (title: string, head: string, script: string) =>
  `<!doctype html>\n<meta charset="utf-8">\n<title>${title}</title>\n${head}\n${script}\n`;
const importMap = {
  imports: {
    '@mlx-ts/core': '/node_modules/@mlx-ts/core/dist/index.js',
    '@mlx-ts/kernels-wasm': '/node_modules/@mlx-ts/kernels-wasm/dist/kernels.js',
    fflate: '/node_modules/fflate/esm/browser.js',
  },
};
const pages: Record<string, string> = {
  'esbuild-esm.html': page('esbuild esm', '', '<script type="module" src="/out/bundle.esm.js"></script>'),
  'esbuild-iife.html': page('esbuild iife', '', '<script src="/out/bundle.iife.js"></script>'),
  'importmap.html': page('import map', `<script type="importmap">${JSON.stringify(importMap)}</script>`, '<script type="module" src="/browser-entry.mjs"></script>'),
  'vite/index.html': page('vite', '', '<script type="module" src="./main.js"></script>'),
};

// ---- a registry for the @mlx-ts scope, serving the packed tarballs ----
function startRegistry(tarballs: string[]): Promise<{ server: Server; url: string }> {
  const packuments = new Map<string, unknown>();
  const blobs = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const blob = blobs.get(path);
    if (blob) return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(blob);
    const doc = packuments.get(path);
    if (doc) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(doc));
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      for (const file of tarballs) {
        const manifest = JSON.parse(await sh('tar', ['-xzOf', file, 'package/package.json'], tmpdir())) as { name: string; version: string };
        if (!manifest.name.startsWith('@mlx-ts/')) continue;
        const data = readFileSync(file);
        const name = `tarballs/${manifest.name.replace('/', '-')}-${manifest.version}.tgz`;
        blobs.set(name, data);
        const dist = { tarball: url + name, integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`, shasum: createHash('sha1').update(data).digest('hex') };
        packuments.set(manifest.name, { name: manifest.name, 'dist-tags': { latest: manifest.version }, versions: { [manifest.version]: { ...manifest, dist } } });
      }
      resolve({ server, url });
    }),
  );
}

// ---- a static server for the browser cells ----
const types: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.map': 'application/json', '.json': 'application/json' };
function serveStatic(dir: string, isolated: boolean): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path));
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (!file.startsWith(dir + sep) || !existsSync(file)) return void res.writeHead(404, headers).end(`not found: ${path}`);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** What a browser cell needs from a driver: open a URL and wait for the page's report. */
interface Driver {
  name: string;
  report(url: string): Promise<Report>;
  close(): Promise<void>;
}

async function chromiumDriver(): Promise<Driver> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  return {
    name: 'chromium',
    async report(url) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const log: string[] = [];
      tab.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
      tab.on('pageerror', (e) => log.push(`page error: ${e.stack ?? e.message}`));
      try {
        await tab.goto(url);
        await tab.waitForFunction(() => '__report' in globalThis || '__error' in globalThis, undefined, { timeout: 60_000 });
        const [r, err] = await tab.evaluate(() => [(globalThis as { __report?: Report }).__report, (globalThis as { __error?: string }).__error] as const);
        if (err || !r) throw new Error(err ?? 'no report');
        return r;
      } catch (e) {
        throw new Error(`chromium ${url}: ${e instanceof Error ? e.message : String(e)}\n${log.join('\n')}`);
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}

async function firefoxDriver(): Promise<Driver> {
  // playwright-core drives only its own patched Firefox; puppeteer-core drives Debian's over WebDriver BiDi
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  return {
    name: 'firefox',
    async report(url) {
      const tab = await browser.newPage();
      const log: string[] = [];
      tab.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
      tab.on('pageerror', (e) => log.push(`page error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
      try {
        await tab.goto(url);
        await tab.waitForFunction(() => '__report' in globalThis || '__error' in globalThis, { timeout: 60_000 });
        const [r, err] = await tab.evaluate(() => [(globalThis as { __report?: Report }).__report, (globalThis as { __error?: string }).__error] as const);
        if (err || !r) throw new Error(err ?? 'no report');
        return r;
      } catch (e) {
        throw new Error(`firefox ${url}: ${e instanceof Error ? e.message : String(e)}\n${log.join('\n')}`);
      } finally {
        await tab.close();
      }
    },
    close: () => browser.close(),
  };
}

/** The values of a report, without what depends on the runtime (checked per cell). */
function values(r: Report): Record<string, unknown> {
  // kernelSet: the runtime's (FMA where it has relaxed SIMD); the values are the same either way
  const { threadStatus: _t, initThreads: _i, runtime: _r, module: _m, isolated: _o, sharedArrayBuffer: _s, cores: _c, viewAliasing: _v, kernelSet: _k, ...rest } = r;
  return rest;
}

describe.runIf(!missing)('universal npm import: packed tarballs in every runtime and bundler', () => {
  let work: string;
  let coreApp: string;
  let mlxApp: string;
  let registry: Server;
  let expected: Report;
  const servers: Record<'isolated' | 'plain', string> = { isolated: '', plain: '' };
  const openServers: Server[] = [];
  const bins: Record<keyof typeof tools, string> = { node20old: '', node22: '', node24: '', deno: '', bun: '' };

  beforeAll(async () => {
    expected = (await smoke(mx)) as Report;
    work = mkdtempSync(join(tmpdir(), 'mlx-ts-universal-'));
    const tgz = join(work, 'tarballs');
    mkdirSync(tgz);
    const [, , , ...installed] = await Promise.all([
      ...['kernels-wasm', 'core', 'mlx'].map((p) => sh('npx', ['--yes', 'pnpm@12.4.2', 'pack', '--pack-destination', tgz], join(root, 'packages', p))),
      ...Object.values(tools).map((t) => ensureTool(t)),
    ]);
    Object.keys(tools).forEach((k, i) => (bins[k as keyof typeof tools] = installed[i]!));
    const tarballs = readdirSync(tgz).map((f) => join(tgz, f));
    const reg = await startRegistry(tarballs);
    registry = reg.server;
    const npmrc = `@mlx-ts:registry=${reg.url}\n`;
    const npmInstall = ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'];
    coreApp = join(work, 'core-app');
    mlxApp = join(work, 'mlx-app');
    for (const [dir, name] of [[coreApp, 'core-app'], [mlxApp, 'mlx-app']] as const) {
      mkdirSync(join(dir, 'vite'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, version: '0.0.0' }));
      writeFileSync(join(dir, '.npmrc'), npmrc);
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    }
    await Promise.all([
      sh('npm', [...npmInstall, '@mlx-ts/core@0.1.0'], coreApp, 300_000),
      sh('npm', [...npmInstall, tarballs.find((f) => /[/\\]mlx-ts-0/.test(f))!], mlxApp, 300_000),
    ]);
    // the bundles and pages of the browser cells
    for (const [f, text] of Object.entries(pages)) writeFileSync(join(coreApp, f), text);
    writeFileSync(join(coreApp, 'vite/main.js'), files['browser-entry.mjs']!.replace("'./smoke.mjs'", "'../smoke.mjs'"));
    const esbuild = (format: string, out: string) => sh(bin('esbuild'), ['browser-entry.mjs', '--bundle', `--format=${format}`, '--platform=browser', `--outfile=${out}`, '--log-level=warning'], coreApp);
    await Promise.all([esbuild('esm', 'out/bundle.esm.js'), esbuild('iife', 'out/bundle.iife.js'), sh(bin('vite'), ['build', '--base', './', '--logLevel', 'warn'], join(coreApp, 'vite'), 180_000)]);
    for (const kind of ['isolated', 'plain'] as const) {
      const { server, origin } = await serveStatic(coreApp, kind === 'isolated');
      openServers.push(server);
      servers[kind] = origin;
    }
  }, 600_000);

  /** One line per cell for the log: runtime, CPU backend, threads and why not more. */
  const cells: string[] = [];
  const note = (label: string, r: Report) => cells.push(`${label}: backend ${r.cpuBackend} (${String(r.kernelSet ?? 'no')} kernel set), threads ${r.threadStatus.threads}/${r.threadStatus.requested} (${r.threadStatus.workers}), reason ${r.threadStatus.reason ?? 'none'}`);

  afterAll(() => {
    if (cells.length) console.log(`universal cells:\n  ${cells.join('\n  ')}`);
    registry?.close();
    for (const s of openServers) s.close();
    if (work && !process.env.MLX_TS_KEEP_UNIVERSAL) rmSync(work, { recursive: true, force: true });
  });

  /** Node-like runtimes: the same values, the WASM backend, worker_threads in use. */
  function expectNodeLike(r: Report, label: string) {
    note(r.runtime ? `${label} (${String(r.runtime)})` : label, r);
    expect(values(r), label).toEqual(values(expected));
    expect(r.cpuBackend, label).toBe('wasm');
    expect(r.viewAliasing, label).toBe(7);
    expect(r.threadStatus.workers, label).toBe('worker_threads');
    expect(r.threadStatus.reason, label).toBeNull();
    expect(r.threadStatus.threads, label).toBe(r.threadStatus.requested);
    expect(r.threadStatus.threads, label).toBe(expected.threadStatus.threads);
  }

  test('the tarballs: public 0.1.0, exact sibling versions, README/LICENSE, no sources or maps; core alone pulled its kernels', () => {
    for (const [pkg, deps] of [['@mlx-ts/core', { '@mlx-ts/kernels-wasm': '0.1.0' }], ['@mlx-ts/kernels-wasm', {}], ['mlx-ts', { '@mlx-ts/core': '0.1.0' }]] as const) {
      const dir = join(pkg === 'mlx-ts' ? mlxApp : coreApp, 'node_modules', pkg);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { dependencies?: Record<string, string> };
      expect(manifest.private, pkg).toBeUndefined();
      expect(manifest.version, pkg).toBe('0.1.0');
      expect(manifest.license, pkg).toBe('MIT');
      expect(manifest.engines, pkg).toEqual({ node: '>=20' });
      // a scoped package is published restricted unless it says otherwise
      if (pkg.startsWith('@')) expect(manifest.publishConfig, pkg).toEqual({ access: 'public' });
      for (const [d, v] of Object.entries(deps)) expect(manifest.dependencies?.[d], `${pkg} -> ${d}`).toBe(v);
      for (const f of ['README.md', 'LICENSE']) expect(existsSync(join(dir, f)), `${pkg}/${f}`).toBe(true);
      expect(existsSync(join(dir, 'src')), `${pkg}/src`).toBe(false);
      const all = readdirSync(dir, { recursive: true }) as string[];
      expect(all.filter((f) => f.endsWith('.map')), `${pkg}: source maps`).toEqual([]);
    }
    // the mlx-ts project got core (and core its kernels) from the registry
    expect(existsSync(join(mlxApp, 'node_modules/@mlx-ts/kernels-wasm/dist/kernels.js'))).toBe(true);
  });

  test('Node 20, 22 and 24: import and require; Node 20.10: import, and require says to use import()', async () => {
    const nodes = { 'node 20': process.execPath, 'node 22': bins.node22, 'node 24': bins.node24 };
    const runs = await Promise.all(
      Object.entries(nodes).flatMap(([name, node]) =>
        ['main.mjs', 'main.cjs'].map(async (f) => [`${name} ${f}`, lastJson(await sh(node, [f], coreApp))] as const),
      ),
    );
    for (const [label, r] of runs) {
      expectNodeLike(r, label);
      expect(r.module, label).toBe(label.endsWith('cjs') ? 'cjs' : 'esm');
    }
    expect(runs.map(([, r]) => String(r.runtime).split('.')[0])).toEqual(['node v20', 'node v20', 'node v22', 'node v22', 'node v24', 'node v24']);
    // mlx-ts: the same training step through import and require
    // Node 20.10: no process.getBuiltinModule (worker_threads arrives by a background import(),
    // and the status says so until then) and no require(esm) (the one-line error)
    const old = lastJson(await sh(bins.node20old, ['main.mjs'], coreApp));
    note('node 20.10 main.mjs', old);
    expect(values(old)).toEqual(values(expected));
    expect(old.runtime).toBe('node v20.10.0');
    expect(old.cpuBackend).toBe('wasm');
    expect(old.threadStatus.threads).toBe(1);
    expect(old.threadStatus.reason).toMatch(/node:worker_threads is still loading .*await mx.initThreads\(\)/);
    await expect(sh(bins.node20old, ['main.cjs'], coreApp)).rejects.toThrow(/@mlx-ts\/core is ESM only on this runtime .*use import\('@mlx-ts\/core'\)/);
    const [esm, cjs] = await Promise.all(['mlx.mjs', 'mlx.cjs'].map(async (f) => JSON.parse((await sh(process.execPath, [f], mlxApp)).trim()) as Record<string, unknown>));
    expect(cjs).toEqual(esm);
    expect(esm!.backend).toBe('wasm');
  });

  test('Deno and Bun: import and require', async () => {
    const runs = await Promise.all([
      ...['main.mjs', 'main.cjs'].map(async (f) => [`deno ${f}`, lastJson(await sh(bins.deno, ['run', '-A', '--node-modules-dir=manual', f], coreApp))] as const),
      ...['main.mjs', 'main.cjs'].map(async (f) => [`bun ${f}`, lastJson(await sh(bins.bun, [f], coreApp))] as const),
    ]);
    for (const [label, r] of runs) {
      expectNodeLike(r, label);
      expect(String(r.runtime), label).toMatch(label.startsWith('deno') ? /^deno 2\./ : /^bun 1\./);
    }
  });

  test('esbuild bundles (esm, iife) run in Node', async () => {
    for (const f of ['out/bundle.esm.js', 'out/bundle.iife.js']) {
      // the esm bundle as an ES module: copied to .mjs (the project is CommonJS by default)
      const file = f.endsWith('esm.js') ? f.replace('.js', '.mjs') : f;
      if (file !== f) writeFileSync(join(coreApp, file), readFileSync(join(coreApp, f)));
      expectNodeLike(lastJson(await sh(process.execPath, [file], coreApp)), `esbuild ${f} in node`);
    }
  });

  for (const browserName of ['chromium', 'firefox'] as const) {
    test(`${browserName}: esbuild esm and iife, Vite, import map; with and without cross-origin isolation`, async () => {
      const driver = browserName === 'chromium' ? await chromiumDriver() : await firefoxDriver();
      try {
        for (const p of ['esbuild-esm.html', 'esbuild-iife.html', 'vite/dist/index.html', 'importmap.html']) {
          for (const kind of ['isolated', 'plain'] as const) {
            const label = `${browserName} ${p} ${kind}`;
            const r = await driver.report(`${servers[kind]}/${p}`);
            note(label, r);
            expect(values(r), label).toEqual(values(expected));
            expect(r.cpuBackend, label).toBe('wasm');
            expect(r.isolated, label).toBe(kind === 'isolated');
            expect(r.sharedArrayBuffer, label).toBe(kind === 'isolated');
            // views of a plain memory are refused (its buffer detaches when it grows)
            expect(r.viewAliasing, label).toBe(kind === 'isolated' ? 7 : 'BufferError');
            const st = r.threadStatus;
            if (kind === 'isolated') {
              expect(st, label).toEqual({ threads: Math.min(64, r.cores as number), requested: Math.min(64, r.cores as number), workers: 'web-workers', reason: null });
            } else {
              expect(st.threads, label).toBe(1);
              expect(st.reason, label).toMatch(/not cross-origin isolated/);
            }
          }
        }
      } finally {
        await driver.close();
      }
    });
  }

  test('types: a consumer with skipLibCheck: false and the default libs (ESM and CommonJS)', async () => {
    // mlx-ts's project has core (a dependency) and mlx-ts: both packages' .d.ts are checked
    await sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], mlxApp);
  });

  test(`bundle size: core with its kernels, minified for browsers, is at most ${BUNDLE_BUDGET_GZIP / 1024} kB gzip, with one WASM module`, async () => {
    writeFileSync(join(coreApp, 'size-entry.mjs'), "import * as mx from '@mlx-ts/core';\nglobalThis.mx = mx;\n");
    await sh(bin('esbuild'), ['size-entry.mjs', '--bundle', '--minify', '--format=esm', '--platform=browser', '--outfile=out/size.js', '--log-level=warning'], coreApp);
    const js = readFileSync(join(coreApp, 'out/size.js'));
    const gz = gzipSync(js, { level: 9 }).length;
    console.log(`universal: core + kernels browser bundle ${(js.length / 1024).toFixed(0)} kB, ${(gz / 1024).toFixed(1)} kB gzip (budget ${BUNDLE_BUDGET_GZIP / 1024} kB)`);
    expect(gz).toBeLessThanOrEqual(BUNDLE_BUDGET_GZIP);
    // one embedded module: the deflated shared-memory one (the plain one is derived at load time)
    const text = js.toString('utf8');
    const embedded = text.match(/[A-Za-z0-9+/]{20000,}={0,2}/g) ?? [];
    expect(embedded.length).toBe(1);
  });
});
