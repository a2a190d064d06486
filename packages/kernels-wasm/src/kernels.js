// The loader of the kernels (copied to dist/kernels.js by build.mjs). One binary is embedded
// (dist/kernels-data.js): the module compiled for a shared memory, deflated then base64'd
// (about 67 kB gzip in a bundle, against 118 kB for the base64 of the raw module, whose 3-byte
// groups hide its repeats from gzip); fflate, which core bundles anyway, inflates it. The
// plain-memory module is derived from it when first asked for, by rewriting the memory
// import's limits (shared, with a maximum -> plain, no maximum): the code is the same (the
// kernels use no atomics), so a bundle carries one variant and the build compiles once.
import { inflateSync } from 'fflate';
import { SHARED_DEFLATED_BASE64, SHARED_BYTES, MAX_PAGES } from './kernels-data.js';

export { MAX_PAGES };

function decode(text) {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function leb128(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/**
 * `bytes` with its imported memory declared plain (limits flag 0, no maximum) instead of
 * shared (flag 3, with a maximum); everything else is copied as is. Throws if the module
 * imports no shared memory.
 */
export function plainMemoryVariant(bytes) {
  let p = 8;
  const u32 = () => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw new Error('kernels-wasm: truncated module');
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return r;
    }
  };
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++];
    const size = u32();
    const body = p;
    const end = p + size;
    if (id !== 2) {
      p = end;
      continue;
    }
    const count = u32();
    for (let i = 0; i < count; i++) {
      const moduleLen = u32();
      p += moduleLen;
      const nameLen = u32();
      p += nameLen;
      const kind = bytes[p++];
      if (kind === 0) u32(); // function: type index
      else if (kind === 1) {
        p++; // table: element type, then limits
        if (u32() & 1) u32();
        u32();
      } else if (kind === 3) p += 2; // global: value type, mutability
      else if (kind === 4) {
        p++; // tag: attribute, type index
        u32();
      } else if (kind === 2) {
        const flagAt = p;
        if (u32() !== 3) throw new Error('kernels-wasm: the memory import is not shared with a maximum');
        u32(); // initial pages
        const maxStart = p;
        u32();
        const maxEnd = p;
        const newBody = new Uint8Array(end - body - (maxEnd - maxStart));
        newBody.set(bytes.subarray(body, flagAt));
        newBody[flagAt - body] = 0;
        newBody.set(bytes.subarray(flagAt + 1, maxStart), flagAt + 1 - body);
        newBody.set(bytes.subarray(maxEnd, end), maxStart - body);
        const head = [2, ...leb128(newBody.length)];
        const out = new Uint8Array(start + head.length + newBody.length + (bytes.length - end));
        out.set(bytes.subarray(0, start));
        out.set(head, start);
        out.set(newBody, start + head.length);
        out.set(bytes.subarray(end), start + head.length + newBody.length);
        return out;
      } else throw new Error(`kernels-wasm: unknown import kind ${kind}`);
    }
    break;
  }
  throw new Error('kernels-wasm: the module imports no memory');
}

let sharedBytes = null;
let plainBytes = null;

/** The wasm bytes for a shared or a plain memory, for runtimes that must compile asynchronously (browsers' main thread). */
export function kernelBytes(shared) {
  sharedBytes ??= inflateSync(decode(SHARED_DEFLATED_BASE64), { out: new Uint8Array(SHARED_BYTES) });
  if (shared) return sharedBytes.slice();
  plainBytes ??= plainMemoryVariant(sharedBytes);
  return plainBytes.slice();
}

const modules = new Map();

/** The compiled module for shared or plain memory (compiled once, synchronously). */
export function kernelModule(shared) {
  let m = modules.get(shared);
  if (!m) {
    m = new WebAssembly.Module(kernelBytes(shared));
    modules.set(shared, m);
  }
  return m;
}

/**
 * Instantiates the kernels over `memory` (created by the caller; shared or not).
 * `imports` supplies the module's other imports: the double-precision functions of namespace
 * "reference" (see WebAssembly.Module.imports), which the caller takes from its oracle.
 */
export function instantiateKernels(memory, module, imports = {}) {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const instance = new WebAssembly.Instance(module ?? kernelModule(shared), { ...imports, env: { memory } });
  return instance.exports;
}
