// MLX's constants, with node-mlx's spellings.
export const Inf = Infinity;
const infinity = Infinity;
export { infinity as Infinity };
export const inf = Infinity;
export const infty = Infinity;
export const NAN = NaN;
const notANumber = NaN;
export { notANumber as NaN };
export const nan = NaN;
export const NINF = -Infinity;
export const NZERO = -0;
export const PINF = Infinity;
export const PZERO = 0;
export const e = Math.E;
export const eulerGamma = 0.5772156649015329;
export const pi = Math.PI;
export const newaxis = null;
