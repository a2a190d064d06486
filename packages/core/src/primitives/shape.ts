// Shape primitives that need a kernel (the view ones live in primitives/views.ts).
import { definePrimitive } from '../primitive.js';

/** Inputs laid one after another along `axis` (inputs arrive in the output dtype). */
export const Concatenate = definePrimitive<{ axis: number }>({
  name: 'Concatenate',
  describe: (p) => `axis=${p.axis}`,
});

/**
 * The diagonal between two axes as a view: the other axes keep their strides, and the new
 * last axis steps down both axes at once (stride s1 + s2).
 */
export const Diagonal = definePrimitive<{ offset: number; axis1: number; axis2: number }>({
  name: 'Diagonal',
  view: (p, inp) => {
    const { offset, axis1, axis2 } = p;
    const s1 = inp.strides[axis1]!;
    const s2 = inp.strides[axis2]!;
    const strides = inp.strides.filter((_, k) => k !== axis1 && k !== axis2);
    strides.push(s1 + s2);
    return { strides, offset: inp.offset + Math.max(0, -offset) * s1 + Math.max(0, offset) * s2 };
  },
  describe: (p) => `offset=${p.offset} axes=(${p.axis1},${p.axis2})`,
});
