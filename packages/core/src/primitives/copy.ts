// AsType: elementwise dtype conversion, and plain copy when the dtype is unchanged. The
// array layer also uses it to make a strided input contiguous before a view can take it.
//
// This module is loaded by array.ts itself (through eval-node.ts), before any op module can
// be, so its rules build AsType nodes directly instead of importing ops/views.ts.
import { makeArray, type MxArray } from '../array.js';
import { definePrimitive, Primitive } from '../primitive.js';
import type { Dtype } from '../dtype.js';

/** x cast to dtype (x itself when it already has it), as the astype op. */
function cast(x: MxArray, dtype: Dtype): MxArray {
  return x._dtype === dtype ? x : makeArray([...x._shape], dtype, new Primitive(AsType, { dtype }), [x]);
}

/**
 * MLX's rules: the cotangent is cast back to the input's dtype (float16 -> float32, an
 * integer or bool cotangent -> the float input's dtype), the tangent to the output's.
 */
export const AsType = definePrimitive<{ dtype: Dtype }>({
  name: 'AsType',
  elementwise: true,
  describe: (p) => p.dtype.name,
  outputShapes: (_p, [x]) => [[...x!]],
  vjp: (p, [x], [ct]) => {
    if (ct!._dtype !== p.dtype) throw new TypeError('[astype] Type of cotangents does not match primal output type.');
    return [cast(ct!, x!._dtype)];
  },
  jvp: (p, _primals, [t]) => [cast(t!, p.dtype)],
  vmap: (p, [x], axes) => [[cast(x!, p.dtype)], [axes[0]!]],
});
