// Matmul: inputs [a (..., M, K), b (..., K, N)] with equal batch shapes (broadcast views) and
// one inexact dtype; output (..., M, N).
import { definePrimitive } from '../primitive.js';

export const Matmul = definePrimitive({ name: 'Matmul' });
