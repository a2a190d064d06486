// node:fs, reached only when a file function runs: the package itself never imports it, so
// it loads in browsers (where the *Bytes functions work without a file system).

/** The few synchronous node:fs calls the file functions use. */
export interface FsLike {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
}

let cached: FsLike | null = null;

export function nodeFs(op: string): FsLike {
  if (cached) return cached;
  // process.getBuiltinModule is synchronous (Node >= 20.16, Deno, Bun); a dynamic import() is not.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as FsLike | undefined;
  if (!fs) {
    throw new Error(
      `[${op}] needs a file system (Node.js >= 20.16); here there is none: use mx.saveToBytes / mx.loadFromBytes instead.`,
    );
  }
  cached = fs;
  return fs;
}
