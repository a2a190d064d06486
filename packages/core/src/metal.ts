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

export function deviceInfo(): DeviceInfo {
  if (!isAvailable()) throw new Error('[metal.deviceInfo] No GPU backend is registered: import @mlx-ts/metal-backend (WebGPU) first.');
  const gpuBackend = listBackends().map(getBackendByName).find((b) => b.kind === 'gpu')!;
  return { architecture: gpuBackend.name, max_buffer_length: 0, max_recommended_working_set_size: 0, memory_size: 0 };
}
