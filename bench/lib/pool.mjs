// Benchmark processes: one per configuration, kept alive across workloads (so that the
// libraries in one workload are measured close together in time), killed and replaced when a
// request runs past its hard time limit.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export class Worker {
  /** @param {{ name: string, kind: 'node' | 'python', runner?: string, options?: object, python?: string }} cfg */
  constructor(cfg) {
    this.cfg = cfg;
    this.proc = null;
    this.info = null;
    this.error = null;
  }

  async start() {
    const { kind, runner, options, python } = this.cfg;
    const [cmd, args] = kind === 'python'
      ? [python, ['-u', here('../runners/numpy_bench.py')]]
      : [this.cfg.node ?? process.execPath, ['--expose-gc', '--max-old-space-size=8192', here('../runners/child.mjs'), runner, JSON.stringify(options ?? {})]];
    const env = { ...process.env, ...(this.cfg.env ?? {}) };
    const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.proc = proc;
    const waiters = (this.waiters = []); // this process's pending answers, in order
    this.stderr = '';
    proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    proc.stdin.on('error', () => {});
    proc.on('error', (e) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`could not run ${cmd}: ${e.message}`));
      if (this.proc === proc) this.proc = null;
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (!line.startsWith('@@ ')) return;
      const msg = JSON.parse(line.slice(3));
      const w = waiters.shift();
      if (w) w.resolve(msg);
    });
    proc.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`process exited (${signal ?? code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`));
      if (this.proc === proc) this.proc = null;
    });
    const ready = await this.next(120_000).catch((e) => ({ error: String(e.message) }));
    if (ready.error) { this.error = ready.error; this.kill(); return false; }
    this.info = ready.info;
    return true;
  }

  next(timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(Object.assign(new Error('timeout'), { timeout: true })); }, timeoutMs);
      this.waiters.push({
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  /**
   * Sends one request and waits for its answer; past timeoutMs the process is killed (and
   * started again by the next request).
   */
  async request(msg, timeoutMs) {
    if (!this.proc) {
      const ok = await this.start();
      if (!ok) return { status: 'error', note: `could not start: ${String(this.error).split('\n')[0]}` };
    }
    const p = this.next(timeoutMs);
    this.proc.stdin.write(JSON.stringify(msg) + '\n');
    try {
      return await p;
    } catch (e) {
      this.kill();
      if (e.timeout) return { status: 'over-budget', note: `killed after ${(timeoutMs / 1000).toFixed(0)} s (hard limit)`, killed: true };
      return { status: 'error', note: String(e.message).slice(0, 300), killed: true };
    }
  }

  kill() {
    const p = this.proc;
    this.proc = null;
    this.waiters = [];
    if (p && p.exitCode === null) p.kill('SIGKILL');
  }

  stop() {
    const p = this.proc;
    this.proc = null;
    if (p) { p.stdin.end(); setTimeout(() => { if (p.exitCode === null) p.kill('SIGKILL'); }, 2000).unref(); }
  }
}
