// One benchmark process per library configuration: node child.mjs <runner> '<json options>'.
// Reads one JSON request per stdin line and answers each with one stdout line '@@ {json}'
// (everything else the libraries print is ignored):
//   { cmd: 'prepare', workload, budgetMs, capMs } -> { status: 'ready', firstMs, batch, check? }
//                                                    or { status: 'n/a' | 'over-budget' | 'error', note }
//   { cmd: 'sample' }                             -> { ms }   (one timed sample, ms per call)
//   { cmd: 'finish' }                             -> { note? } (frees the workload's inputs)
import { createInterface } from 'node:readline';
import { prepare } from '../lib/measure.mjs';

const [runnerName, optionsJson = '{}'] = process.argv.slice(2);
const send = (msg) => process.stdout.write('@@ ' + JSON.stringify(msg) + '\n');
const firstLine = (e) => String(e?.message ?? e).split('\n')[0].slice(0, 300);

let runner;
try {
  const mod = await import(`./${runnerName}.mjs`);
  runner = await mod.init(JSON.parse(optionsJson));
  send({ type: 'ready', info: runner.info });
} catch (e) {
  send({ type: 'ready', error: String(e?.stack ?? e) });
  process.exit(0);
}

const rl = createInterface({ input: process.stdin });
let chain = Promise.resolve(); // requests are handled one at a time, in order
rl.on('line', (line) => {
  if (!line.trim()) return;
  chain = chain.then(() => handle(JSON.parse(line))).catch((e) => send({ status: 'error', note: firstLine(e) }));
});
rl.on('close', () => chain.then(() => process.exit(0)));

let current = null; // { w, impl, prepared }

async function finish() {
  if (!current) return undefined;
  const { w, impl } = current;
  current = null;
  let note;
  try { note = runner.afterWorkload?.(w); } catch { /* ignore */ }
  try { await impl?.teardown?.(); } catch { /* ignore */ }
  globalThis.gc?.();
  return [impl?.note, note].filter(Boolean).join('; ') || undefined;
}

async function handle(req) {
  if (req.cmd === 'finish') return send({ note: await finish() });
  if (req.cmd === 'sample') {
    if (!current?.prepared) return send({ status: 'error', note: 'sample before prepare' });
    try { return send({ ms: await current.prepared.sample() }); } catch (e) { return send({ status: 'error', note: firstLine(e) }); }
  }
  // prepare
  await finish();
  const w = req.workload;
  const make = runner.workloads[w.family];
  if (!make) return send({ status: 'n/a', note: runner.missing?.[w.family] ?? 'no equivalent API' });
  try {
    runner.beforeWorkload?.(w);
    const impl = await make(w);
    if (impl.skip) return send({ status: 'n/a', note: impl.skip });
    current = { w, impl, prepared: null };
    const check = impl.check ? await impl.check() : undefined;
    const p = await prepare(impl, { budgetMs: req.budgetMs, capMs: req.capMs, micro: !!w.micro, warmThreads: runner.warmThreads });
    const reply = { status: p.status, firstMs: p.firstMs, batch: p.batch, note: p.note, check, noCopy: impl.noCopy || undefined };
    if (p.status === 'ready') current.prepared = p;
    else reply.note = [p.note, await finish()].filter(Boolean).join('; ');
    send(reply);
  } catch (e) {
    await finish();
    send({ status: 'error', note: firstLine(e) });
  }
}
