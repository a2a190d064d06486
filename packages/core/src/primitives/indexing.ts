// Gather and scatter, MLX's indexing primitives (in a reduced form: see the kernels).
import { definePrimitive } from '../primitive.js';

/**
 * Gather: inputs [a, idx_0, ..., idx_{k-1}], the index arrays all of one shape B (broadcast
 * views are fine), any integer dtype, negative values wrap once. `axes[i]` is the axis of `a`
 * that idx_i indexes. Output shape: B ++ (a's shape with every indexed axis set to 1), as
 * MLX's gather with full slice sizes on the other axes.
 */
export const Gather = definePrimitive<{ axes: number[] }>({
  name: 'Gather',
  describe: (p) => `axes=[${p.axes}]`,
});

export type ScatterReduce = 'none' | 'sum' | 'prod' | 'max' | 'min';

/**
 * Scatter: inputs [a, positions, updates]; positions (any int dtype) are row-major flat
 * indices into a (negative values wrap once), updates have the positions' shape and a's
 * dtype. Output: a row-major copy of a where each update is applied in order ('none': the
 * last write wins; the others accumulate duplicates, as MLX's scatter_add/prod/max/min).
 */
export const Scatter = definePrimitive<{ reduce: ScatterReduce }>({
  name: 'Scatter',
  describe: (p) => p.reduce,
});

/**
 * MaskedScatter (`a[mask] = values`): inputs [a, mask, values]; mask has the shape of a's
 * leading dims, values are (R, ...a's remaining dims) in a's dtype. The k-th true position of
 * the mask (row-major) takes row k of values; fewer than needed rows is an error.
 */
export const MaskedScatter = definePrimitive({ name: 'MaskedScatter' });
