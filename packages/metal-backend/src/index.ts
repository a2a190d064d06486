// @mlx-ts/metal-backend: MLX's GPU device over WebGPU. `registerWebGPU()` finds an adapter and
// makes the 'webgpu' backend serve mx.gpu; without one it throws and mx.cpu keeps working.
import { registerBackend } from '@mlx-ts/core';
import { WebGPUBackend } from './backend.js';
import type { HostOptions } from './host.js';

export { WebGPUBackend, NoKernelError, type GpuStorage } from './backend.js';
export type { AdapterDescription, HostOptions } from './host.js';

export type WebGPUOptions = HostOptions;

let registered: WebGPUBackend | null = null;
let starting: Promise<WebGPUBackend> | null = null;

/**
 * Starts WebGPU and registers it as mx.gpu (once; later calls return the same backend, or a
 * new one once the device is lost),
 * blocking until the adapter answers. In Node and Bun the device lives in a worker thread
 * (Dawn, from the optional `webgpu` package), in Deno likewise (its navigator.gpu), so that
 * item()/tolist() can wait for GPU results synchronously. Browsers start it with
 * `await registerWebGPUAsync()`.
 */
export function registerWebGPU(options: WebGPUOptions = {}): WebGPUBackend {
  // a lost device is replaced by a new one
  if (registered && !registered.host.lostReason) return registered;
  const g = globalThis as { Deno?: unknown; process?: { versions?: { node?: string } } };
  if (!g.Deno && !g.process?.versions?.node) {
    // a browser starts a worker only once this thread returns to its event loop
    throw new Error('[webgpu] in a browser, start the GPU with await registerWebGPUAsync() (registerWebGPU() would block before the executor worker can start)');
  }
  const backend = new WebGPUBackend(options);
  registerBackend(backend, { makeDefault: registered !== null });
  registered = backend;
  return backend;
}

/**
 * Starts WebGPU without blocking and registers it as mx.gpu: everywhere, and the only way in a
 * browser. On a browser's main thread (which can't block) reads of GPU arrays need
 * `await mx.asyncEval(x)` first; in a Web Worker of a cross-origin isolated page, Deno, Node
 * and Bun they are synchronous.
 */
export function registerWebGPUAsync(options: WebGPUOptions = {}): Promise<WebGPUBackend> {
  if (registered && !registered.host.lostReason) return Promise.resolve(registered);
  starting ??= WebGPUBackend.create(options).then(
    (backend) => {
      starting = null;
      registerBackend(backend, { makeDefault: registered !== null });
      registered = backend;
      return backend;
    },
    (e) => {
      starting = null;
      throw e;
    },
  );
  return starting;
}
