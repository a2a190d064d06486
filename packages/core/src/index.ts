// @mlx-ts/core: the public `mx` namespace (node-mlx's `core` names, MLX semantics).
import { registerBackend, setCpuBackend, setProvisionalCpuBackend } from './device.js';
import { ReferenceBackend } from './backend/reference/index.js';
import { WasmBackend } from './backend/wasm/index.js';
import './print.js';
export { setPrintoptions, getPrintoptions, printoptions, type PrintOptions } from './print.js';

const wasmBackend = new WasmBackend();
registerBackend(new ReferenceBackend());
registerBackend(wasmBackend);
// The CPU default is the WASM backend. It starts at first use (memory, and a synchronous
// compile of its kernels); where it can't (a browser's main thread refusing the synchronous
// compile), the reference backend serves instead and console.warn says so, once.
// MLX_TS_CPU_BACKEND=reference (or wasm) picks the CPU backend at startup, e.g. to run a test
// suite on another backend; runtimes without `process` (browsers) skip it.
const envBackend = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.MLX_TS_CPU_BACKEND;
if (envBackend) setCpuBackend(envBackend);
else setProvisionalCpuBackend('wasm', () => wasmBackend.startError(), 'reference');

/**
 * Compiles the WASM backend's kernels asynchronously and starts it. Optional in Node, Deno,
 * Bun and workers; in a browser's main thread, await it before the first op so that the WASM
 * backend (the default) needn't compile synchronously, which the browser may refuse.
 */
export async function initWasm(): Promise<void> {
  await wasmBackend.init();
}

export * from './dtype.js';
export { MxArray, isArray, getWrappersCount, type Scalar, type ScalarOrArray, type TypedArray, type MultiDimensionalArray } from './array.js';
export { Complex } from './elements.js';
export {
  cpu,
  gpu,
  Device,
  Stream,
  DeviceType,
  type DeviceOrType,
  type StreamOrDevice,
  defaultDevice,
  setDefaultDevice,
  defaultStream,
  setDefaultStream,
  newStream,
  toStream,
  stream,
  synchronize,
  synchronizeAsync,
  registerBackend,
  setCpuBackend,
  cpuBackendName,
  listBackends,
  isAvailable,
  deviceCount,
  deviceInfo,
  StreamContext,
  ThreadLocalStream,
  newThreadLocalStream,
  newThreadUnsafeStream,
  clearStreams,
} from './device.js';
export * from './memory.js';
export { OutOfMemoryError } from './out-of-memory.js';
export * from './constants.js';
export * as metal from './metal.js';
export type { Backend, Storage, ArrayData, DeviceKind } from './backend/interface.js';
export { ReferenceBackend } from './backend/reference/index.js';
export { WasmBackend, type WasmBackendOptions, type KernelStats } from './backend/wasm/index.js';
export { setNumThreads, getNumThreads, setThreadSpin, initThreads, threadStatus, wasmKernelSet, type ThreadStatus } from './backend/wasm/threads.js';
export type { KernelSet } from './backend/wasm/heap.js';
export { Primitive, type PrimitiveDef } from './primitive.js';
export { eval, asyncEval, dispose, tidy } from './transforms/eval.js';
export { array } from './array-factory.js';
export { reshape, broadcastTo, broadcastArrays, transpose, asStrided, astype, copy, view, contiguous } from './ops/views.js';
export * from './ops/elementwise.js';
export * from './ops/creation.js';
export * from './ops/shape.js';
export * from './ops/reduce.js';
export * from './ops/scan.js';
export * from './ops/sort.js';
export * from './ops/indexing.js';
export * from './ops/linalg.js';
export * as linalg from './ops/linalg-decomp.js';
/** MLX binds linalg.norm at the top level too (mx.matrix_norm). */
export { norm as matrixNorm } from './ops/linalg-decomp.js';
export * from './ops/einsum.js';
export * from './ops/hadamard.js';
export * from './ops/graph.js';
export { conv1d, conv2d, conv3d, convGeneral, convTranspose1d, convTranspose2d, convTranspose3d, convolve } from './ops/conv.js';
export { quantize, dequantize, quantizedMatmul, gatherQMM, qqmm, gatherQQMM, toFp8, fromFp8 } from './ops/quantized.js';
export type { QuantizationMode } from './primitives/quantized.js';
export type { CustomKernelParams, TemplateValue } from './primitives/custom-kernel.js';
// for backends: the Convolution primitive's parameters, and the sign matrices (m = 12, 20, 28)
// of the Hadamard primitive, so that a backend's kernel uses the same table as the reference
export type { ConvParams } from './primitives/conv.js';
export { signRows as hadamardSignRows } from './primitives/hadamard.js';
export { gatherMM, blockMaskedMM, segmentedMM } from './ops/matmul-variants.js';
export * as random from './ops/random.js';
export * as fft from './ops/fft.js';
export * as fast from './ops/fast.js';
export * as distributed from './ops/distributed.js';
export * from './transforms/index.js';
export * from './interop/index.js';
