// Creation primitives. Full needs none: it is AsType over a broadcast view, which
// materializes a fresh, unaliased array.
import { definePrimitive } from '../primitive.js';

/**
 * MLX's Arange: start and step cast to the output dtype, accumulated in it (as MLX's CPU
 * kernel). It has no inputs, so no rules: a transform never reaches a node without inputs.
 */
export const Arange = definePrimitive<{ start: number; stop: number; step: number }>({
  name: 'Arange',
  describe: (p) => `${p.start}, ${p.stop}, ${p.step}`,
});
