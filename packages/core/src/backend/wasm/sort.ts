// Sort, ArgSort, Partition, ArgPartition adapters (the reference does the partitions as the
// same full stable sort, so they share the kernel): every dtype, any axis, any input strides.
import { bool, float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, type Dtype } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, fitsI32, MAX_COUNT, linesAround, type WasmKernel } from './registry.js';

const keyNames = new Map<Dtype, string>([
  [float32, 'SORTKEY_f32'],
  [float64, 'SORTKEY_f64'],
  [float16, 'SORTKEY_f16'],
  [bfloat16, 'SORTKEY_bf16'],
  [int8, 'SORTKEY_i8'],
  [uint8, 'SORTKEY_u8'],
  [bool, 'SORTKEY_u8'],
  [int16, 'SORTKEY_i16'],
  [uint16, 'SORTKEY_u16'],
  [int32, 'SORTKEY_i32'],
  [uint32, 'SORTKEY_u32'],
  [int64, 'SORTKEY_i64'],
  [uint64, 'SORTKEY_u64'],
  [complex64, 'SORTKEY_c64'],
]);

const sortKernel =
  (indices: boolean): WasmKernel =>
  (ctx, prim, [x], [out]) => {
    const { axis } = prim.params as { axis: number };
    const name = keyNames.get(x!.dtype);
    const key = name === undefined ? undefined : ctx.code(name);
    if (key === undefined || x!.shape.length === 0) return false;
    if (indices ? out!.dtype !== uint32 : out!.dtype !== x!.dtype) return false;
    const total = shapeSize(x!.shape);
    if (total === 0) return true;
    if (total > MAX_COUNT) return false;
    const n = x!.shape[axis]!;
    const kept = linesAround(x!, out!, axis);
    const kn = kept.shape.length;
    const { kin, kout, sOut } = kept;
    const { sIn } = kept;
    if (kn > ctx.maxDims || !fitsI32(kin) || !fitsI32([sIn, n * Math.abs(sIn) * x!.dtype.size])) return false;
    const { k, heap } = ctx;
    const scratch = heap.alloc(24 * n);
    try {
      const desc = ctx.desc();
      desc[0] = kn;
      desc.set(kept.shape, 1);
      desc.set(kin, 1 + kn);
      desc.set(kout, 1 + 2 * kn);
      desc[1 + 3 * kn] = n;
      desc[2 + 3 * kn] = sIn;
      desc[3 + 3 * kn] = sOut;
      return k.sort_lines(key, x!.dtype.size, indices ? 1 : 0, addressOf(x!), addressOf(out!), scratch.ptr) !== 0;
    } finally {
      heap.free(scratch.ptr, scratch.size);
    }
  };

registerWasmKernel('Sort', sortKernel(false));
registerWasmKernel('ArgSort', sortKernel(true));
registerWasmKernel('Partition', sortKernel(false));
registerWasmKernel('ArgPartition', sortKernel(true));
