// mx.random.multivariateNormal: MLX draws standard normals and maps them through the square
// root of the covariance taken from its SVD (U sqrt(S) Vt, the symmetric root for a covariance),
// so it lives apart from random.ts, next to linalg.
import { MxArray, internalArrays, type ScalarOrArray } from '../array.js';
import type { StreamOrDevice } from '../device.js';
import { float32, isDtype, type Dtype } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import { asArray } from '../convert.js';
import { add, multiply, sqrt } from './elementwise.js';
import { expandDims, squeeze } from './shape.js';
import { astype } from './views.js';
import { matmul } from './linalg.js';
import { svd } from './linalg-decomp.js';
import { normal } from './random.js';

/**
 * Samples of the multivariate normal with mean `mean` (..., n) and covariance `cov` (..., n, n):
 * shape broadcast(cov batch, mean batch, shape) + [n]. float32 only (MLX); the SVD runs on the
 * CPU, so a GPU stream raises as linalg.svd does.
 */
export function multivariateNormal(
  mean: ScalarOrArray,
  cov: ScalarOrArray,
  shape: number[] = [],
  dtype: Dtype = float32,
  key?: MxArray | null,
  s?: StreamOrDevice,
): MxArray {
  // the SVD, the root and the standard normals are the library's: only the sample is the caller's (as random.ts's samplers)
  return internalArrays(() => draw(mean, cov, shape, dtype, key, s), (sample) => [sample]);
}

function draw(mean: ScalarOrArray, cov: ScalarOrArray, shape: number[], dtype: Dtype, key: MxArray | null | undefined, s: StreamOrDevice): MxArray {
  if (!isDtype(dtype) || dtype !== float32) throw new TypeError('[multivariate_normal] dtype must be float32.');
  const mu = asArray(mean, 'mean', 'multivariateNormal');
  const c = asArray(cov, 'cov', 'multivariateNormal');
  if (mu.ndim < 1) throw new Error('[multivariate_normal] mean must have at least one dimension.');
  if (c.ndim < 2) throw new Error('[multivariate_normal] cov must have at least two dimensions.');
  const n = mu.shape[mu.ndim - 1]!;
  if (c.shape[c.ndim - 1] !== c.shape[c.ndim - 2]) throw new Error('[multivariate_normal] last two dimensions of cov must be equal.');
  if (n !== c.shape[c.ndim - 1]) throw new Error('[multivariate_normal] mean and cov must have compatible shapes.');
  if (!Array.isArray(shape)) throw new TypeError('[multivariate_normal] shape must be a list of integers.');
  const outShape = [...broadcastShapes(broadcastShapes(c.shape.slice(0, -2), mu.shape.slice(0, -1)), shape), n];
  const [u, sv, vt] = svd(astype(c, float32, s), true, s) as [MxArray, MxArray, MxArray];
  const root = astype(matmul(multiply(u, expandDims(sqrt(sv, s), -2, s), s), vt, s), dtype, s);
  const z = normal(outShape, dtype, null, null, key, s);
  return add(mu, squeeze(matmul(expandDims(z, -2, s), root, s), -2, s), s);
}
