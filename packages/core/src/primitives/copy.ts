// AsType: elementwise dtype conversion, and plain copy when the dtype is unchanged. The
// array layer also uses it to make a strided input contiguous before a view can take it.
import { definePrimitive } from '../primitive.js';
import type { Dtype } from '../dtype.js';

export const AsType = definePrimitive<{ dtype: Dtype }>({
  name: 'AsType',
  describe: (p) => p.dtype.name,
});
