// Compiles the C DLPack consumer/producer of this folder to wasm32 side modules at test time
// (nothing compiled is committed), with Debian's clang and lld:
//   apt-get install -y clang lld
//
// Flags, and why:
//   --target=wasm32-unknown-emscripten   clang 14 honours -fPIC for wasm32 only with this OS
//                                        name; no Emscripten headers, libraries or runtime are
//                                        involved (-ffreestanding -nostdlib)
//   -fPIC -Wl,--experimental-pic -Wl,-shared
//                                        a dynamic-linking side module: data addressed from the
//                                        imported __memory_base, function pointers from
//                                        __table_base, the stack from __stack_pointer, so that
//                                        mx.dlpack.loadModule places it inside the backend's heap
//   -fvisibility=hidden                  every symbol resolved inside the module (no GOT imports);
//                                        exports are marked EXPORT (visibility default)
//   -matomics -mbulk-memory -Wl,--shared-memory
//                                        the backend's memory is shared (SharedArrayBuffer) where the
//                                        runtime has it; an import must match (omit for plain memories)
//   -Wl,--max-memory=4294967296          the import's maximum must cover the memory's (4 GiB default)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The clang and wasm-ld on PATH, or null (with why) when either is missing. */
export function findToolchain(): { clang: string } | { missing: string } {
  for (const tool of ['clang', 'wasm-ld']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    } catch {
      return { missing: `${tool} is not installed (apt-get install -y clang lld)` };
    }
  }
  return { clang: 'clang' };
}

export interface BuildOptions {
  /** Import a shared memory (default true, as the backend makes where SharedArrayBuffer exists). */
  sharedMemory?: boolean;
}

/** Compiles tests/c/<name>.c and returns the wasm bytes. */
export function buildC(name: string, options: BuildOptions = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'mlx-ts-c-'));
  const out = join(dir, `${name}.wasm`);
  const shared = options.sharedMemory ?? true;
  const args = [
    '--target=wasm32-unknown-emscripten', '-O2', '-std=c11', '-Wall', '-Werror', '-ffreestanding', '-nostdlib',
    '-fPIC', '-fvisibility=hidden',
    ...(shared ? ['-matomics', '-mbulk-memory', '-Wl,--shared-memory'] : []),
    '-Wl,--experimental-pic', '-Wl,-shared', '-Wl,--no-entry', '-Wl,--max-memory=4294967296',
    '-o', out, join(here, `${name}.c`),
  ];
  try {
    execFileSync('clang', args, { stdio: 'pipe' });
    return new Uint8Array(readFileSync(out));
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString();
    throw stderr ? new Error(`clang ${args.join(' ')}\n${stderr}`) : e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
