// Matmul: inputs [a (..., M, K), b (..., K, N)] with equal batch shapes (broadcast views) and
// one inexact dtype; output (..., M, N).
import { definePrimitive } from '../primitive.js';

export const Matmul = definePrimitive({ name: 'Matmul' });

/** MLX's AddMM: alpha * (a @ b) + beta * c, accumulated and scaled before one rounding. */
export const AddMM = definePrimitive<{ alpha: number; beta: number }>({
  name: 'AddMM',
  describe: (p) => `alpha=${p.alpha} beta=${p.beta}`,
});
