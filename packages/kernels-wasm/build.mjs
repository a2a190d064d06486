// Compiles assembly/ for a shared linear memory twice, in two threads: the plain kernel set
// (--enable simd) and the FMA set (also --enable relaxed-simd: assembly/fma.ts), and writes dist/:
// kernels-data.js embeds the plain binary, deflated and base64'd (so that `import` works in
// Node and browsers with no bundler, fs or fetch), and the FMA set as a patch of it: the few
// function bodies that differ (everything else must be byte-identical, checked here), so the
// bundle carries about 5 kB more instead of a second module. kernels.js is the loader
// (src/kernels.js), which inflates them and derives the FMA and the plain-memory modules at
// load time; kernels.d.ts lists the exports.
import asc from 'assemblyscript/asc';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const here = fileURLToPath(new URL('.', import.meta.url));
/** 65536 pages of 64 KiB: the 4 GiB that 32-bit wasm can address. */
const MAX_PAGES = 65536;

async function compile(fma) {
  const flags = [
    'assembly/index.ts',
    '--enable', 'simd',
    ...(fma ? ['--enable', 'relaxed-simd'] : []),
    '--enable', 'threads',
    '--runtime', 'stub',
    '--importMemory',
    '--sharedMemory',
    '--initialMemory', '1',
    '--maximumMemory', String(MAX_PAGES),
    '--noAssert',
    '--use', 'abort=',
    '-O3',
    '--outFile', 'kernels.wasm',
  ];
  let binary = null;
  const errors = [];
  const { error } = await asc.main(flags, {
    stdout: { write: (s) => process.stdout.write(s) },
    stderr: { write: (s) => errors.push(String(s)) },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) binary = contents;
    },
  });
  if (error || !binary) throw new Error(`asc failed:\n${errors.join('')}${error ?? ''}`);
  return binary;
}

/** The sections of a module: [{ id, body }]. */
function sections(bytes) {
  const out = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++];
    const [size, q] = uleb(bytes, p);
    out.push({ id, body: bytes.subarray(q, q + size) });
    p = q + size;
  }
  return out;
}

function uleb(bytes, p) {
  let r = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[p++];
    r += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [r, p];
  }
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** The function bodies of a code section. */
function bodies(code) {
  let [n, p] = uleb(code, 0);
  const out = [];
  for (let i = 0; i < n; i++) {
    const [size, q] = uleb(code, p);
    out.push(code.subarray(q, q + size));
    p = q + size;
  }
  return out;
}

/**
 * The FMA module as a patch of the plain one: [count, then per function: index, size, body]
 * (LEB128). Throws if anything but function bodies differs (the loader rebuilds only those).
 */
function fmaPatch(plain, fma) {
  const a = sections(plain);
  const b = sections(fma);
  const same = (x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)) === 0;
  if (a.length !== b.length || a.some((s, i) => s.id !== b[i].id || (s.id !== 10 && !same(s.body, b[i].body)))) {
    throw new Error('kernels-wasm: the FMA set differs from the plain one outside its function bodies (see assembly/fma.ts)');
  }
  const pa = bodies(a.find((s) => s.id === 10).body);
  const pb = bodies(b.find((s) => s.id === 10).body);
  if (pa.length !== pb.length) throw new Error('kernels-wasm: the FMA set has another function count');
  const parts = [];
  const functions = [];
  pb.forEach((body, i) => {
    if (same(body, pa[i])) return;
    functions.push(i);
    parts.push(...leb(i), ...leb(body.length), ...body);
  });
  // the plain bodies of the patched functions, in order: the dictionary the patch is deflated
  // against (each FMA body is its plain body with some multiply-adds fused: 5.5 -> 2.4 kB)
  const dictionary = Buffer.concat(functions.map((i) => pa[i]));
  return { patch: Uint8Array.from([...leb(functions.length), ...parts]), count: functions.length, functions, dictionary };
}

if (!isMainThread) {
  // (the main thread has made `here` the process's working directory)
  parentPort.postMessage(await compile(workerData.fma));
  process.exit(0);
}

process.chdir(here);
const t0 = Date.now();
const inThread = (fma) =>
  new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { fma } });
    w.once('message', (m) => resolve(new Uint8Array(m)));
    w.once('error', reject);
  });
const [shared, sharedFma] = await Promise.all([inThread(false), inThread(true)]);
const { patch, count: patched, functions, dictionary } = fmaPatch(shared, sharedFma);
// deflate keeps a 32 kB window: the dictionary must fit it
if (dictionary.length > 32768) throw new Error(`kernels-wasm: the FMA patch's dictionary (${dictionary.length} bytes) is past deflate's 32 kB window`);
const dist = new URL('dist/', import.meta.url);
mkdirSync(dist, { recursive: true });
writeFileSync(
  new URL('kernels-data.js', dist),
  `// Generated by packages/kernels-wasm/build.mjs from assembly/: do not edit.\n` +
    `/** The kernels compiled for a shared memory, deflated (raw), base64 (see kernels.js for the plain one). */\n` +
    `export const SHARED_DEFLATED_BASE64 = '${deflateRawSync(shared, { level: 9 }).toString('base64')}';\n` +
    `/** The module's size in bytes. */\n` +
    `export const SHARED_BYTES = ${shared.length};\n` +
    `/** Most pages the shared module's memory may declare (4 GiB). */\n` +
    `export const MAX_PAGES = ${MAX_PAGES};\n` +
    `/** The FMA set: the ${patched} function bodies that differ, deflated (raw) against their plain bodies as the dictionary, base64 (see kernels.js). */\n` +
    `export const FMA_PATCH_DEFLATED_BASE64 = '${deflateRawSync(patch, { level: 9, dictionary }).toString('base64')}';\n` +
    `/** The indices of those functions, in order: their plain bodies, concatenated, are the dictionary. */\n` +
    `export const FMA_PATCH_FUNCTIONS = ${JSON.stringify(functions)};\n` +
    `/** The FMA module's size in bytes. */\n` +
    `export const FMA_BYTES = ${sharedFma.length};\n`,
);
copyFileSync(new URL('src/kernels.js', import.meta.url), new URL('kernels.js', dist));

// The derived plain module must compile and export the same names (no atomics, no shared-only code).
const { kernelBytes } = await import(new URL('kernels.js', dist).href + `?t=${t0}`);
if (Buffer.compare(Buffer.from(kernelBytes(true)), Buffer.from(shared)) !== 0) throw new Error('kernels-wasm: the embedded module does not inflate to the compiled one');
if (Buffer.compare(Buffer.from(kernelBytes(true, true)), Buffer.from(sharedFma)) !== 0) throw new Error('kernels-wasm: the embedded FMA patch does not rebuild the compiled FMA module');
const names = WebAssembly.Module.exports(new WebAssembly.Module(kernelBytes(true)));
const plainNames = WebAssembly.Module.exports(new WebAssembly.Module(kernelBytes(false)));
if (JSON.stringify(names) !== JSON.stringify(plainNames)) throw new Error('kernels-wasm: the plain-memory module exports differ');
// (the FMA module is compiled only where the runtime has relaxed SIMD: Node 20, which may run this build, has not)

const members = names
  .filter((e) => e.kind === 'function' || e.kind === 'global')
  .map((e) => (e.kind === 'function' ? `  ${e.name}(...args: number[]): number;` : `  readonly ${e.name}: WebAssembly.Global;`))
  .join('\n');
const dts = `// Generated by packages/kernels-wasm/build.mjs: do not edit.
/** The exports of the kernel module: functions take and return i32/f64 numbers. */
export interface KernelExports {
${members}
}
/** Most pages the shared module's memory may declare (4 GiB). */
export declare const MAX_PAGES: number;
/** Whether this runtime validates relaxed SIMD (f32x4.relaxed_madd), which the FMA kernel set needs. */
export declare function relaxedSimd(): boolean;
/** The compiled module for a shared or a plain memory, plain or FMA kernel set (compiled once, synchronously). */
export declare function kernelModule(shared: boolean, fma?: boolean): WebAssembly.Module;
/** The module's bytes for a shared or a plain memory, plain or FMA kernel set (a fresh copy). */
export declare function kernelBytes(shared: boolean, fma?: boolean): Uint8Array;
/** A module's bytes with its shared memory import (with a maximum) made plain (no maximum). */
export declare function plainMemoryVariant(bytes: Uint8Array): Uint8Array;
/** Instantiates the kernels over \`memory\`; \`imports\` supplies the other namespaces ("reference", "math"). */
export declare function instantiateKernels(memory: WebAssembly.Memory, module?: WebAssembly.Module, imports?: WebAssembly.Imports): KernelExports;
`;
writeFileSync(new URL('kernels.d.ts', dist), dts);
console.log(`kernels-wasm: ${shared.length} bytes, ${names.length} exports; FMA set: ${patched} functions differ (${patch.length} bytes patch); compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
