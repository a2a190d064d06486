// What this runtime offers the WASM threads: who starts workers (Node's worker_threads, Web
// Workers, or nothing), how many cores, whether this thread may block in Atomics.wait, and
// why threads can't run here. Nothing is imported at load time and there is no top-level
// await (so that require(), iife bundles and browsers load the package as is): Node's modules
// come from process.getBuiltinModule (synchronous: Node >= 20.16, Bun, Deno) when first asked
// for. Older Node has no synchronous way from ESM, so a background import() starts at load and
// threads come on once it has resolved (initThreads awaits it).

export type NodeWorker = {
  unref(): void;
  terminate(): Promise<number>;
  on(ev: string, f: (...a: any[]) => void): void;
};
export type NodeWorkerCtor = new (code: string, opts: { eval: true; workerData: unknown; execArgv: string[] }) => NodeWorker;
type WorkerThreads = { Worker?: NodeWorkerCtor };
type NodeOs = { availableParallelism?: () => number; cpus(): unknown[] };

const g = globalThis as {
  process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
};
/** Node and the runtimes that implement its modules (Bun, Deno): workers are worker_threads. */
const isNode = typeof g.process?.versions?.node === 'string';
const hasGetBuiltin = typeof g.process?.getBuiltinModule === 'function';
// Not literals, so that browser bundlers leave them alone.
const WT = 'node:worker_threads';
const OS = 'node:os';

/** Node's modules once known: undefined = not asked for (or still loading), null = unavailable. */
let workerThreads: WorkerThreads | null | undefined;
let nodeOs: NodeOs | null | undefined;
/** Older Node: the background import() of both, until it settles. */
let loading: Promise<void> | null = null;

function builtin<T>(name: string): T | null {
  try {
    return (g.process!.getBuiltinModule!(name) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

if (isNode && !hasGetBuiltin) {
  loading = Promise.all([import(/* @vite-ignore */ WT), import(/* @vite-ignore */ OS)]).then(
    ([wt, os]: [WorkerThreads, NodeOs]) => {
      workerThreads = wt;
      nodeOs = os;
      loading = null;
    },
    () => {
      workerThreads = null;
      nodeOs = null;
      loading = null;
    },
  );
}

/** Resolves once Node's modules are loaded (at once where process.getBuiltinModule exists). */
export function nodeModulesReady(): Promise<void> {
  return loading ?? Promise.resolve();
}

/** Whether Node's modules are still loading (older Node, see nodeModulesReady). */
export function nodeModulesLoading(): boolean {
  return loading !== null;
}

/** Node's Worker class (loaded on first use), or null: not Node, or not loaded yet / unavailable. */
export function nodeWorkerCtor(): NodeWorkerCtor | null {
  if (!isNode) return null;
  if (workerThreads === undefined && hasGetBuiltin) workerThreads = builtin<WorkerThreads>(WT);
  return workerThreads?.Worker ?? null;
}

/** Cores of this machine (os.availableParallelism / navigator.hardwareConcurrency); 1 where unknown. */
export function coreCount(): number {
  if (isNode) {
    if (nodeOs === undefined && hasGetBuiltin) nodeOs = builtin<NodeOs>(OS);
    if (nodeOs) {
      try {
        return nodeOs.availableParallelism?.() ?? nodeOs.cpus().length;
      } catch {
        return 1;
      }
    }
  }
  return g.navigator?.hardwareConcurrency ?? 1;
}

export const hasWebWorkers = !isNode && typeof Worker === 'function' && typeof Blob === 'function' && typeof URL?.createObjectURL === 'function';

/** What starts the workers here: Node's worker_threads, Web Workers, or nothing. */
export function workerHost(): 'worker_threads' | 'web-workers' | null {
  if (isNode) return loading || nodeWorkerCtor() ? 'worker_threads' : null;
  return hasWebWorkers ? 'web-workers' : null;
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
export const canBlock = (() => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    // a value that doesn't match returns at once where waiting is allowed, and throws where it isn't
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Why this runtime can't run threads (now), or null. */
export function runtimeReason(): string | null {
  // checked first: a browser page without cross-origin isolation has Web Workers but no SharedArrayBuffer
  if (g.crossOriginIsolated === false) {
    return (
      'the page is not cross-origin isolated, so SharedArrayBuffer is unavailable (serve it with the headers ' +
      'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
    );
  }
  const host = workerHost();
  if (!host) return 'this runtime has neither worker_threads nor Web Workers';
  if (typeof SharedArrayBuffer === 'undefined') return 'this runtime has no SharedArrayBuffer';
  if (loading) return 'node:worker_threads is still loading (this Node has no process.getBuiltinModule): await mx.initThreads()';
  return null;
}
