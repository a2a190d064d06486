// Dequantize on the WASM backend: affine mode with float32 scales, biases and output, any bit
// width, row-contiguous operands (kernels-wasm dequantize.ts). Each value is
// float32(float32(q * scale) + bias), the reference's steps: bit-identical. Rows split across
// threads. The fp modes, half types and other layouts decline to the reference kernel.
import { float32, uint32 } from '../../dtype.js';
import { isRowContiguous, shapeSize } from '../../shape.js';
import type { QuantParams } from '../../primitives/quantized.js';
import { registerWasmKernel, addressOf } from './registry.js';
import { chunkCount, parallel, splitRange } from './threads.js';

/** Values per thread chunk below which dequantization stays on one thread. */
const GRAIN = 1 << 16;

registerWasmKernel('Dequantize', (ctx, prim, [w, scales, biases], [out]) => {
  const p = prim.params as QuantParams;
  if (p.mode !== 'affine' || !biases || out!.dtype !== float32 || w!.dtype !== uint32 || scales!.dtype !== float32 || biases.dtype !== float32) return false;
  if (![w!, scales!, biases, out!].every((d) => isRowContiguous(d.shape, d.strides))) return false;
  const cols = out!.shape[out!.shape.length - 1]!;
  const rows = shapeSize(w!.shape.slice(0, -1));
  const wpr = w!.shape[w!.shape.length - 1]!;
  if (rows * cols === 0) return true;
  const parts = chunkCount(ctx, rows * cols, GRAIN);
  parallel(ctx, 'dequantize_affine_f32', splitRange(rows, parts).map(([r0, r1]) => [addressOf(w!), addressOf(scales!), addressOf(biases), addressOf(out!), cols, wpr, p.bits, p.groupSize, r0, r1]));
  return true;
});
