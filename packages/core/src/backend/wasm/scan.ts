// Scan adapter: cumsum / cumprod / cummax / cummin / logcumsumexp of every dtype along one
// axis, any input strides (kernels-wasm/assembly/scan.ts computes each kind as the reference
// does). Falls back for input/output dtype pairs the primitive's ops never make (only cumsum of
// bool changes the dtype, to int32), logcumsumexp of integers and bool, and layouts beyond the
// descriptor.
import { bool, int32, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, fitsI32, MAX_COUNT, linesAround } from './registry.js';
import type { ScanType } from '../../primitives/scan.js';

const suffixes: Record<string, string> = {
  float32: 'f32',
  float64: 'f64',
  float16: 'f16',
  bfloat16: 'bf16',
  complex64: 'c64',
  bool: 'bool',
  int8: 'i8',
  uint8: 'u8',
  int16: 'i16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'u32',
  int64: 'i64',
  uint64: 'u64',
};

type ScanExport = (type: number, reverse: number, inclusive: number, px: number, po: number) => number;

/** The kernel export for an input -> output dtype pair (only cumsum of bool changes the dtype). */
function kernelName(input: Dtype, output: Dtype, type: ScanType): string | undefined {
  if (input === bool && output === int32) return type === 'sum' ? 'scan_bool_i32' : undefined;
  return input === output ? `scan_${suffixes[input.name]}` : undefined;
}

registerWasmKernel('Scan', (ctx, prim, [x], [out]) => {
  const { type, axis, reverse, inclusive } = prim.params as { type: ScanType; axis: number; reverse: boolean; inclusive: boolean };
  const name = kernelName(x!.dtype, out!.dtype, type);
  const fn = name === undefined ? undefined : (ctx.k as unknown as Record<string, ScanExport | undefined>)[name];
  const code = ctx.code(`SCAN_${type}`);
  if (fn === undefined || code === undefined) return false;
  const n = shapeSize(out!.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const kept = linesAround(x!, out!, axis);
  const kn = kept.shape.length;
  const { kin, kout, sIn, sOut } = kept;
  if (kn > ctx.maxDims || !fitsI32(kin) || !fitsI32([sIn])) return false;
  const desc = ctx.desc();
  desc[0] = kn;
  desc.set(kept.shape, 1);
  desc.set(kin, 1 + kn);
  desc.set(kout, 1 + 2 * kn);
  desc[1 + 3 * kn] = x!.shape[axis]!;
  desc[2 + 3 * kn] = sIn;
  desc[3 + 3 * kn] = sOut;
  // false: no kernel for this kind and type (logcumsumexp of integers and bool), the reference decides
  return fn(code, reverse ? 1 : 0, inclusive ? 1 : 0, addressOf(x!), addressOf(out!)) !== 0;
});
