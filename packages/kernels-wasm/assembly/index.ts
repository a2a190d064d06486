// Entry point: every kernel family, compiled into one module.
export { descPtr, maxDims, heapBase } from './layout';
export * from './elementwise';
export * from './convert';
export * from './reduce';
export * from './matmul';
export * from './select';
export * from './scan';
export * from './fused';
export * from './shape';
export * from './indexing';
export * from './sort';
export * from './elementwise-wide';
export * from './random';
export * from './elementwise-complex';
export * from './quantized';
export * from './fft';
export * from './attention';
export * from './matvec';
