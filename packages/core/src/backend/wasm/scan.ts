// Scan adapter: cumsum / cumprod / cummax / cummin of float32, float64 and int32 along one
// axis, any input strides. (logaddexp scans stay on the reference: they call exp and log1p.)
import { float32, float64, int32 } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, fitsI32, MAX_COUNT, linesAround } from './registry.js';
import type { ScanType } from '../../primitives/scan.js';

registerWasmKernel('Scan', (ctx, prim, [x], [out]) => {
  const { type, axis, reverse, inclusive } = prim.params as { type: ScanType; axis: number; reverse: boolean; inclusive: boolean };
  const d = x!.dtype;
  const { k } = ctx;
  const fn = d === float32 ? k.scan_f32 : d === float64 ? k.scan_f64 : d === int32 ? k.scan_i32 : null;
  const code = ctx.code(`SCAN_${type}`);
  if (!fn || code === undefined || out!.dtype !== d) return false;
  const n = shapeSize(out!.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const kept = linesAround(x!, out!, axis);
  const kn = kept.shape.length;
  const { kin, kout, sOut } = kept;
  const { sIn } = kept;
  if (kn > ctx.maxDims || !fitsI32(kin) || !fitsI32([sIn])) return false;
  const desc = ctx.desc();
  desc[0] = kn;
  desc.set(kept.shape, 1);
  desc.set(kin, 1 + kn);
  desc.set(kout, 1 + 2 * kn);
  desc[1 + 3 * kn] = x!.shape[axis]!;
  desc[2 + 3 * kn] = sIn;
  desc[3 + 3 * kn] = sOut;
  return fn(code, reverse ? 1 : 0, inclusive ? 1 : 0, addressOf(x!), addressOf(out!)) !== 0;
});
