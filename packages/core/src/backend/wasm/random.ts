// RandomBits adapter: threefry2x32 in WASM (kernels-wasm/assembly/random.ts), the reference's
// key / counter layout and output order, every output width (uint8, uint16, uint32 and any
// other 1/2/4-byte dtype). Keys of any layout are first copied to a contiguous (k0, k1) list.
import { uint32 } from '../../dtype.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, isContiguous1d, MAX_COUNT } from './registry.js';
import { copyStrided } from './shape.js';

registerWasmKernel('RandomBits', (ctx, _prim, [keys], [out]) => {
  const itemsize = out!.dtype.size;
  if (keys!.dtype !== uint32 || keys!.shape[keys!.shape.length - 1] !== 2 || !(itemsize === 1 || itemsize === 2 || itemsize === 4)) return false;
  const numKeys = shapeSize(keys!.shape) / 2;
  const outSize = shapeSize(out!.shape);
  if (numKeys === 0 || outSize === 0) return true; // the reference writes nothing either
  const bytesPerKey = (itemsize * outSize) / numKeys;
  if (!Number.isInteger(bytesPerKey) || itemsize * outSize > MAX_COUNT) return false;
  const { k, heap } = ctx;
  const flat = mergeDims(keys!.shape, [keys!.strides]);
  const contiguous = isContiguous1d(flat.strides[0]!);
  const scratch = contiguous ? null : heap.alloc(numKeys * 8);
  try {
    if (scratch && !copyStrided(ctx, 4, keys!.shape, keys!.strides, rowMajorStrides(keys!.shape), addressOf(keys!), scratch.ptr)) return false;
    k.random_bits(scratch ? scratch.ptr : addressOf(keys!), numKeys, bytesPerKey, addressOf(out!));
    return true;
  } finally {
    if (scratch) heap.free(scratch.ptr, scratch.size);
  }
});
