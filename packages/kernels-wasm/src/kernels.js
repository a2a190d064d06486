// The loader of the kernels (copied to dist/kernels.js by build.mjs). One binary is embedded
// (dist/kernels-data.js): the module compiled for a shared memory, deflated then base64'd
// (about 67 kB gzip in a bundle, against 118 kB for the base64 of the raw module, whose 3-byte
// groups hide its repeats from gzip); fflate, which core bundles anyway, inflates it. The
// plain-memory module is derived from it when first asked for, by rewriting the memory
// import's limits (shared, with a maximum -> plain, no maximum): the code is the same (the
// kernels use no atomics), so a bundle carries one variant.
// Two kernel sets: the plain one, and the FMA one (hot float32 loops with f32x4.relaxed_madd,
// assembly/fma.ts) for runtimes that validate relaxed SIMD (Node 22+, current browsers; not
// Node 20). The FMA module is embedded as a patch of the plain one: the function bodies that
// differ (build.mjs checks that nothing else does), put back into the code section here; the
// patch is deflated against those functions' plain bodies (a deflate dictionary), which it
// mostly repeats.
import { inflateSync } from 'fflate';
import { SHARED_DEFLATED_BASE64, SHARED_BYTES, MAX_PAGES, FMA_PATCH_DEFLATED_BASE64, FMA_PATCH_FUNCTIONS, FMA_BYTES } from './kernels-data.js';

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

/** A LEB128 reader over `buf` from `p` (its `at` is the position reached). */
function reader(buf, p) {
  const r = {
    at: p,
    u32() {
      let v = 0;
      let shift = 0;
      for (;;) {
        const x = buf[r.at++];
        if (x === undefined) throw new Error('kernels-wasm: truncated module');
        v += (x & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(x & 0x80)) return v;
      }
    },
  };
  return r;
}

/** The code section of `bytes`: where it starts and ends, and its function bodies. */
function codeSection(bytes) {
  const r = reader(bytes, 8);
  while (r.at < bytes.length) {
    const start = r.at;
    const id = bytes[r.at++];
    const end = r.u32() + r.at;
    if (id !== 10) {
      r.at = end;
      continue;
    }
    const bodies = [];
    for (let n = r.u32(); n > 0; n--) {
      const len = r.u32();
      bodies.push(bytes.subarray(r.at, r.at + len));
      r.at += len;
    }
    return { start, end, bodies };
  }
  throw new Error('kernels-wasm: the module has no code section');
}

/** `bytes` with the function bodies of `patch` ([count, then index, size, body], LEB128) in its code section. */
function applyPatch(bytes, patch, size) {
  const { start, end, bodies } = codeSection(bytes);
  const r = reader(patch, 0);
  for (let n = r.u32(); n > 0; n--) {
    const index = r.u32();
    const len = r.u32();
    bodies[index] = patch.subarray(r.at, r.at + len);
    r.at += len;
  }
  const parts = [leb128(bodies.length)];
  for (const body of bodies) parts.push(leb128(body.length), body);
  const total = parts.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const x of [bytes.subarray(0, start), [10, ...leb128(total)], ...parts, bytes.subarray(end)]) {
    if (o + x.length > size) throw new Error('kernels-wasm: the FMA patch does not rebuild a module of the expected size');
    out.set(x, o);
    o += x.length;
  }
  if (o !== size) throw new Error('kernels-wasm: the FMA patch does not rebuild a module of the expected size');
  return out;
}

let relaxed = null;

/**
 * Whether this runtime validates relaxed SIMD: a tiny module with one f32x4.relaxed_madd
 * (Node 22+, current Chromium and Firefox; Node 20 does not). The FMA kernel set needs it.
 */
export function relaxedSimd() {
  if (relaxed === null) {
    const zero = [0xfd, 0x0c, ...new Array(16).fill(0)]; // v128.const 0
    const body = [0, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b]; // f32x4.relaxed_madd; end
    const mod = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, body.length + 2, 1, body.length, ...body];
    try {
      relaxed = WebAssembly.validate(new Uint8Array(mod));
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

const byteCache = new Map();

/** The wasm bytes for a shared or a plain memory, plain or FMA kernel set, for runtimes that must compile asynchronously (browsers' main thread). */
export function kernelBytes(shared, fma = false) {
  const key = `${shared ? 'shared' : 'plain'}/${fma ? 'fma' : 'plain'}`;
  let b = byteCache.get(key);
  if (!b) {
    if (shared && !fma) b = inflateSync(decode(SHARED_DEFLATED_BASE64), { out: new Uint8Array(SHARED_BYTES) });
    else if (shared) {
      const plain = kernelBytes(true);
      const { bodies } = codeSection(plain);
      const dictionary = Uint8Array.from(FMA_PATCH_FUNCTIONS.flatMap((i) => Array.from(bodies[i])));
      b = applyPatch(plain, inflateSync(decode(FMA_PATCH_DEFLATED_BASE64), { dictionary }), FMA_BYTES);
    }
    else b = plainMemoryVariant(kernelBytes(true, fma));
    byteCache.set(key, b);
  }
  return b.slice();
}

const modules = new Map();

/** The compiled module for shared or plain memory, plain or FMA kernel set (compiled once, synchronously). */
export function kernelModule(shared, fma = false) {
  const key = `${shared}/${fma}`;
  let m = modules.get(key);
  if (!m) {
    m = new WebAssembly.Module(kernelBytes(shared, fma));
    modules.set(key, m);
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
