// @mlx-ts/metal-backend: MLX's GPU device over WebGPU. `registerWebGPU()` finds an adapter and
// makes the 'webgpu' backend serve mx.gpu; without one it throws and mx.cpu keeps working.
import { registerBackend } from '@mlx-ts/core';
import { WebGPUBackend } from './backend.js';
import type { HostOptions } from './host.js';

export { WebGPUBackend, NoKernelError, type GpuStorage } from './backend.js';
export type { AdapterDescription, HostOptions } from './host.js';

export type WebGPUOptions = HostOptions;

let registered: WebGPUBackend | null = null;

/**
 * Starts WebGPU and registers it as mx.gpu (once; later calls return the same backend).
 * In Node and Bun the device lives in a worker thread (Dawn, from the optional `webgpu`
 * package) so that item()/tolist() can wait for GPU results synchronously.
 */
export function registerWebGPU(options: WebGPUOptions = {}): WebGPUBackend {
  if (registered) return registered;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) {
    throw new Error(
      '[webgpu] this version of @mlx-ts/metal-backend drives WebGPU from a Node/Bun worker thread (the webgpu package); browsers and Deno are not supported yet',
    );
  }
  const backend = new WebGPUBackend(options);
  registerBackend(backend);
  registered = backend;
  return backend;
}
