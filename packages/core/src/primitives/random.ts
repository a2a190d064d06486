// RandomBits: counter-based threefry2x32 bits from keys of shape (..., 2) uint32, as MLX has it.
import { definePrimitive } from '../primitive.js';

export const RandomBits = definePrimitive<{ shape: number[]; width: number }>({
  name: 'RandomBits',
  describe: (p) => `shape=[${p.shape.join(',')}] width=${p.width}`,
});
