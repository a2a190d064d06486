// MLX's CustomKernel (mx.fast.metalKernel): a kernel whose body the user wrote for the GPU
// backend, with its launch (grid, threadgroup) and outputs given at the call. Only a GPU
// backend that compiles such sources runs it; the CPU backends have no kernel for it, and the
// op refuses a CPU stream before any graph is built. No transform rules: MLX has none either
// (the kernel is opaque), so grad/vmap through it raise the core's error for a missing rule.
import { definePrimitive, type PrimitiveDef } from '../primitive.js';
import type { Dtype } from '../dtype.js';

/** A template argument: a dtype (a type alias), an integer or a boolean (constants). */
export type TemplateValue = Dtype | number | boolean;

export interface CustomKernelParams {
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The kernel's body (WGSL on the WebGPU backend). */
  readonly source: string;
  /** Module-scope code before the kernel (helper functions, structs). */
  readonly header: string;
  readonly ensureRowContiguous: boolean;
  readonly atomicOutputs: boolean;
  readonly template: readonly (readonly [string, TemplateValue])[];
  /** Threads per dimension (x, y, z), as Metal's dispatchThreads. */
  readonly grid: readonly [number, number, number];
  readonly threadgroup: readonly [number, number, number];
  /** Every output element starts at this value; null leaves outputs uninitialised, as MLX. */
  readonly initValue: number | null;
  readonly verbose: boolean;
}

export const CustomKernel: PrimitiveDef<CustomKernelParams> = definePrimitive<CustomKernelParams>({
  name: 'CustomKernel',
  describe: (p) => `${p.name} grid=(${p.grid.join(',')}) threadgroup=(${p.threadgroup.join(',')})`,
});
