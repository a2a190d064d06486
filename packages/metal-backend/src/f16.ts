// float16 on WGSL's f16: checked once (at the first shader that converts float16, or at the async start
// where reads can't block) against the emulation on every half and on the f32 values around each one (ties included). WGSL lets a
// conversion to f16 round either way between neighbours; MLX's results need nearest even, so an
// adapter whose conversion differs anywhere keeps the emulated path.
import type { WebGPUBackend, GpuStorage } from './backend.js';
import { emulatedHalves, NATIVE_HALVES } from './wgsl.js';

const N = 65536;

const PROBE = `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let h = gid.x + gid.y * nw.x * 64u;
  if (h >= md[0]) { return; }
  var bad = 0u;
  if (bitcast<u32>(h2f_(h)) != bitcast<u32>(h2fe_(h))) { bad |= 1u; }
  // f32 values at, between and around this half and its neighbour up (the tie and 1 ulp off it)
  let b = bitcast<u32>(h2fe_(h));
  let near = array<u32, 7>(b, b + 1u, b - 1u, b + 0x1000u, b + 0xfffu, b + 0x1001u, b + 0x800u);
  for (var k = 0u; k < 7u; k++) {
    let x = bitcast<f32>(near[k]);
    if (f2h_(x) != f2he_(x)) { bad |= 2u << k; }
  }
  b0[h] = bad;
}`;

/** Queues the probe into a new buffer; `verdict` reads its flags. */
function queueProbe(be: WebGPUBackend): GpuStorage {
  const out = be.allocate(N * 4) as GpuStorage;
  // its own module: \`enable f16;\` must come before the bindings that dispatch() declares
  const code = [
    'enable f16;',
    '@group(0) @binding(0) var<storage, read> md: array<u32>;',
    '@group(0) @binding(1) var<storage, read_write> b0: array<u32>;',
    NATIVE_HALVES,
    emulatedHalves(),
    PROBE,
  ].join('\n');
  be.host.dispatch(be.host.shader(code, 1), [out.id], new Uint32Array([N]), N / 64, 1);
  return out;
}

function verdict(bytes: Uint8Array): string | null {
  const flags = new Uint32Array(bytes.slice().buffer);
  const h = flags.findIndex((f) => f !== 0);
  return h < 0 ? null : `the f16 conversions of half 0x${h.toString(16)} differ from round-to-nearest-even (flags ${flags[h]})`;
}

/**
 * Null when the native h2f_/f2h_ give the emulation's bits everywhere on this adapter, else
 * why not. Runs a kernel and waits for it (where the thread can block).
 */
export function probeNativeHalves(be: WebGPUBackend): string | null {
  let out: GpuStorage | null = null;
  try {
    out = queueProbe(be);
    return verdict(be.host.readSync(out.id, 0, N * 4));
  } catch (e) {
    return `the f16 probe failed: ${(e as Error).message}`;
  } finally {
    if (out) be.release(out);
  }
}

/** probeNativeHalves for threads that can't block (a browser's main thread). */
export async function probeNativeHalvesAsync(be: WebGPUBackend): Promise<string | null> {
  let out: GpuStorage | null = null;
  try {
    out = queueProbe(be);
    return verdict(await be.host.read(out.id, 0, N * 4));
  } catch (e) {
    return `the f16 probe failed: ${(e as Error).message}`;
  } finally {
    if (out) be.release(out);
  }
}
