// The code each WASM worker thread runs, as plain JS source (no file to resolve: works from
// the sources, from dist and from any bundle), and the module the workers instantiate.
//
// Workers instantiate a copy of the kernel module whose data segments are passive (see
// `withoutActiveData`): instantiating the module as compiled would re-run its active data
// segments over the shared memory, zeroing the static areas (layout.ts DESC/COUNTERS, reduce
// scratch...) while the calling thread may be using them. The start function only sets globals.
import { kernelBytes } from '@mlx-ts/kernels-wasm';

// `serve(data, started)` instantiates the kernels, reports through `started(error | null)`,
// then runs chunks until its sequence word goes negative.
export const serveSource = `
function serve(data, started) {
  const { module, memory, ctrl, index, names, argsOff, queueOff, errOff, HEADER_WORDS, WORKER_WORDS, MAX_ARGS, ERR_BYTES, Q_NEXT, Q_LEN, Q_FN, Q_ARGC, W_SPIN_US } = data;
  const i32 = new Int32Array(memory.buffer, ctrl, HEADER_WORDS + WORKER_WORDS * (index + 1));
  const base = HEADER_WORDS + WORKER_WORDS * index;
  function fail(e) {
    const msg = String(e && e.stack ? e.stack : e);
    if (Atomics.compareExchange(i32, 2, 0, index + 1) === 0) {
      const bytes = new TextEncoder().encode(msg).subarray(0, ERR_BYTES - 4);
      const dv = new DataView(memory.buffer, ctrl + errOff, ERR_BYTES);
      dv.setInt32(0, bytes.length, true);
      new Uint8Array(memory.buffer, ctrl + errOff + 4, bytes.length).set(bytes);
    }
    return msg;
  }
  let fns;
  try {
    const imports = { env: { memory } };
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module === 'env' && imp.name === 'memory') continue;
      (imports[imp.module] ??= {})[imp.name] = () => {
        throw new Error('kernel import ' + imp.module + '.' + imp.name + ' is not available in WASM worker threads');
      };
    }
    const ex = new WebAssembly.Instance(module, imports).exports;
    fns = names.map((n) => ex[n]);
  } catch (e) {
    const msg = fail(e);
    Atomics.add(i32, 3, 1);
    Atomics.add(i32, 0, 1);
    Atomics.notify(i32, 0);
    started(msg);
    return;
  }
  Atomics.add(i32, 0, 1);
  Atomics.notify(i32, 0);
  started(null);
  const args = new Float64Array(memory.buffer, ctrl + argsOff + index * MAX_ARGS * 8, MAX_ARGS);
  const now = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();
  let seen = 0;
  for (;;) {
    // Poll a short while before blocking: a worker that blocks is placed again by the OS at its
    // next wake-up, often on the calling thread's core when the machine was busy a moment ago
    // (the two then share one core); one that polls keeps its core for the next op. A gap in
    // the polling (descheduled for 100 us: the core is wanted, perhaps by the calling thread
    // itself) ends it at once, so that a worker that shares a core never holds it.
    const spin = seen > 0 ? Atomics.load(i32, W_SPIN_US) : 0;
    if (spin > 0 && Atomics.load(i32, base) === seen) {
      let last = now();
      const until = last + spin / 1000;
      for (let k = 1; Atomics.load(i32, base) === seen; k++) {
        if ((k & 255) !== 0) continue;
        const t = now();
        if (t >= until || t - last > 0.1) break;
        last = t;
      }
    }
    Atomics.wait(i32, base, seen);
    const seq = Atomics.load(i32, base);
    if (seq === seen) continue;
    seen = seq;
    if (seq < 0) break;
    // claim the chunk: the calling thread may have taken it already (it takes the chunks that
    // no worker has started once its own is done)
    if (Atomics.compareExchange(i32, base + 3, 0, 1) !== 0) continue;
    const fi = i32[base + 1];
    if (fi >= 0) {
      try {
        const f = fns[fi];
        const n = i32[base + 2];
        const a = [];
        for (let i = 0; i < n; i++) a.push(args[i]);
        f(...a);
      } catch (e) {
        fail(e);
      }
      Atomics.add(i32, base + 4, 1);
    } else {
      // queue mode: claim chunks one at a time until none is left (or one failed)
      const f = fns[i32[Q_FN]];
      const n = i32[Q_ARGC];
      const len = i32[Q_LEN];
      for (;;) {
        const c = Atomics.add(i32, Q_NEXT, 1);
        if (c >= len) break;
        const q = new Float64Array(memory.buffer, ctrl + queueOff + c * MAX_ARGS * 8, n);
        try {
          f(...q);
        } catch (e) {
          fail(e);
          Atomics.store(i32, Q_NEXT, len);
          break;
        }
        Atomics.add(i32, base + 4, 1);
      }
    }
    Atomics.sub(i32, 1, 1);
    Atomics.notify(i32, 1);
  }
}
`;
/** A worker_threads worker (Node, Bun, Deno): its data comes as workerData. */
export const nodeWorkerSource = `${serveSource}\nserve(require('node:worker_threads').workerData, () => {});\n`;
// A Web Worker gets its data in its first message and answers whether it started.
export const webWorkerSource = `${serveSource}
self.onmessage = (e) => {
  self.onmessage = null;
  serve(e.data, (error) => self.postMessage({ error }));
};
`;

/**
 * The wasm binary with every active data segment made passive (same bytes, same segment count,
 * so a data count section stays valid): instantiating it writes nothing to memory. Workers use it
 * because the shared memory is initialised already, by the backend's own instance, and may be in use.
 * @internal exported for tests
 */
export function withoutActiveData(bytes: Uint8Array): Uint8Array {
  let p = 8;
  const u32 = (): number => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return r;
    }
  };
  const skipSigned = () => {
    while (bytes[p++]! & 0x80);
  };
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const concat = (xs: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  };
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++]!;
    const size = u32();
    const end = p + size;
    if (id !== 11) {
      parts.push(bytes.subarray(start, end));
      p = end;
      continue;
    }
    const count = u32();
    const segments: Uint8Array[] = [Uint8Array.from(leb(count))];
    for (let i = 0; i < count; i++) {
      const flag = u32();
      if (flag === 2) u32(); // memory index
      if (flag === 0 || flag === 2) {
        // the offset: one constant instruction, then `end`
        const op = bytes[p++]!;
        if (op === 0x41 || op === 0x42) skipSigned();
        else if (op === 0x23) u32();
        else throw new Error(`internal: withoutActiveData: unexpected offset instruction 0x${op.toString(16)}`);
        if (bytes[p++] !== 0x0b) throw new Error('internal: withoutActiveData: offset expression is not one constant');
      } else if (flag !== 1) throw new Error(`internal: withoutActiveData: unknown data segment kind ${flag}`);
      const len = u32();
      segments.push(Uint8Array.from([1, ...leb(len)]), bytes.subarray(p, p + len));
      p += len;
    }
    if (p !== end) throw new Error('internal: withoutActiveData: data section size mismatch');
    const body = concat(segments);
    parts.push(Uint8Array.from([11, ...leb(body.length)]), body);
  }
  return concat(parts);
}

const workerModules = new Map<boolean, WebAssembly.Module>();
/** The workers' module (passive data) of the plain or the FMA kernel set, compiled once: synchronously (Node)... */
export function workerModuleSync(fma: boolean): WebAssembly.Module {
  let m = workerModules.get(fma);
  if (!m) workerModules.set(fma, (m = new WebAssembly.Module(withoutActiveData(kernelBytes(true, fma)) as BufferSource)));
  return m;
}
/** ...or asynchronously (browsers' main thread may refuse synchronous compiles). */
export async function workerModuleAsync(fma: boolean): Promise<WebAssembly.Module> {
  if (!workerModules.has(fma)) {
    const m = await WebAssembly.compile(withoutActiveData(kernelBytes(true, fma)) as BufferSource);
    if (!workerModules.has(fma)) workerModules.set(fma, m);
  }
  return workerModules.get(fma)!;
}

