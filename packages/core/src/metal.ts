// node-mlx's `mx.metal` namespace. In mlx-ts the GPU is reached through WebGPU (the
// @mlx-ts/metal-backend package); without it registered, no GPU is available.
import { isAvailable as deviceAvailable, gpu, listBackends, getBackendByName } from './device.js';

export function isAvailable(): boolean {
  return deviceAvailable(gpu);
}

/** GPU frame capture is a Metal debugging tool with no WebGPU equivalent. */
export function startCapture(_path: string): boolean {
  return false;
}

export function stopCapture(): void {}

export interface DeviceInfo {
  architecture: string;
  max_buffer_length: number;
  max_recommended_working_set_size: number;
  memory_size: number;
}

/**
 * The GPU's description, as MLX's metal.device_info: what the backend knows (the WebGPU backend:
 * the adapter's architecture and largest buffer, the host's memory where the runtime tells it);
 * 0 for what WebGPU doesn't expose.
 */
export function deviceInfo(): DeviceInfo {
  if (!isAvailable()) throw new Error('[metal.deviceInfo] No GPU backend is registered: import @mlx-ts/metal-backend (WebGPU) first.');
  const gpuBackend = listBackends().map(getBackendByName).find((b) => b.kind === 'gpu')!;
  const info = gpuBackend.deviceInfo?.() ?? {};
  const num = (k: string) => (typeof info[k] === 'number' ? (info[k] as number) : 0);
  return {
    ...info,
    architecture: typeof info.architecture === 'string' ? info.architecture : gpuBackend.name,
    max_buffer_length: num('max_buffer_length'),
    max_recommended_working_set_size: num('max_recommended_working_set_size'),
    memory_size: num('memory_size'),
  };
}
