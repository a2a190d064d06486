// RandomBits: counter-based threefry2x32 bits from keys of shape (..., 2) uint32, as MLX has it.
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { makeArray } from '../array.js';
import { uint8, uint16, uint32 } from '../dtype.js';
import { batchFirst } from './views.js';

export const RandomBits: PrimitiveDef<{ shape: number[]; width: number }> = definePrimitive<{ shape: number[]; width: number }>({
  name: 'RandomBits',
  // Bits are not differentiable: MLX raises for both modes.
  vjp: () => {
    throw new Error('[Primitive::vjp] Not implemented for RandomBits.');
  },
  jvp: () => {
    throw new Error('[Primitive::jvp] Not implemented for RandomBits.');
  },
  // Each key fills a contiguous block of the output, so batch-first keys (B, ..., 2) fill one
  // block per example: the output gets a leading batch axis.
  vmap: (p, [keys], [ax]) => {
    const k = batchFirst(keys!, ax!, 0);
    const shape = [k._shape[0]!, ...p.shape];
    const dtype = p.width === 1 ? uint8 : p.width === 2 ? uint16 : uint32;
    return [[makeArray(shape, dtype, new Primitive(RandomBits, { shape, width: p.width }), [k])], [0]];
  },
  describe: (p) => `shape=[${p.shape.join(',')}] width=${p.width}`,
});
