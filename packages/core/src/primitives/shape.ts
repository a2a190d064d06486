// Shape primitives that need a kernel (the view ones live in primitives/views.ts).
import { definePrimitive } from '../primitive.js';
import { sliceView } from '../ops/views.js';
import { concatenate, diagonal } from '../ops/shape.js';
import { zerosLike } from '../ops/creation.js';
import { batchFirst, batchSize, pickVjp } from './views.js';
import { shapeToString } from '../shape.js';

/** Inputs laid one after another along `axis` (inputs arrive in the output dtype). */
export const Concatenate = definePrimitive<{ axis: number }>({
  name: 'Concatenate',
  outputShapes: (p, inputs) => {
    const out = [...inputs[0]!];
    out[p.axis] = 0;
    for (const s of inputs) {
      if (s.length !== out.length || s.some((d, i) => i !== p.axis && d !== out[i])) {
        throw new Error(`[concatenate] All the input array dimensions must match exactly except for the concatenation axis; got shapes ${inputs.map(shapeToString).join(', ')} on axis ${p.axis}.`);
      }
      out[p.axis]! += s[p.axis]!;
    }
    return [out];
  },
  // each input gets its block of the cotangent along the axis
  vjp: (p, primals, [c], argnums) => {
    const starts = [0];
    for (const x of primals) starts.push(starts[starts.length - 1]! + x._shape[p.axis]!);
    return argnums.map((i) => {
      const start = c!._shape.map(() => 0);
      const stop = [...c!._shape];
      start[p.axis] = starts[i]!;
      stop[p.axis] = starts[i + 1]!;
      return sliceView(c!, start, stop, c!._shape.map(() => 1));
    });
  },
  jvp: (p, primals, tangents, argnums) => [
    concatenate(primals.map((x, i) => (argnums.includes(i) ? tangents[argnums.indexOf(i)]! : zerosLike(x))), p.axis),
  ],
  // every input batch-first (unbatched ones broadcast), then the axis shifts by one
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    return [[concatenate(inputs.map((x, i) => batchFirst(x, axes[i]!, n)), p.axis + 1)], [0]];
  },
  describe: (p) => `axis=${p.axis}`,
});

/**
 * The diagonal between two axes as a view: the other axes keep their strides, and the new
 * last axis steps down both axes at once (stride s1 + s2). `offset` is kept even when the
 * diagonal is empty, so that the rules can rebuild the same (empty) diagonal.
 */
export const Diagonal = definePrimitive<{ offset: number; axis1: number; axis2: number }>({
  name: 'Diagonal',
  outputShapes: ({ offset, axis1, axis2 }, [x]) => {
    const n = Math.max(0, offset >= 0 ? Math.min(x![axis1]!, x![axis2]! - offset) : Math.min(x![axis1]! + offset, x![axis2]!));
    return [[...x!.filter((_, k) => k !== axis1 && k !== axis2), n]];
  },
  view: (p, inp, outShape) => {
    const { axis1, axis2 } = p;
    const offset = outShape[outShape.length - 1] === 0 ? 0 : p.offset; // an empty diagonal starts nowhere
    const s1 = inp.strides[axis1]!;
    const s2 = inp.strides[axis2]!;
    const strides = inp.strides.filter((_, k) => k !== axis1 && k !== axis2);
    strides.push(s1 + s2);
    return { strides, offset: inp.offset + Math.max(0, -offset) * s1 + Math.max(0, offset) * s2 };
  },
  // the cotangent goes back onto the diagonal of zeros
  vjp: (p, [x], [c]) => [pickVjp(x!, c!, (pos) => diagonal(pos, p.offset, p.axis1, p.axis2))],
  jvp: (p, _x, [t]) => [diagonal(t!, p.offset, p.axis1, p.axis2)],
  vmap: (p, [x], [ax]) => [[diagonal(batchFirst(x!, ax!, 0), p.offset, p.axis1 + 1, p.axis2 + 1)], [0]],
  describe: (p) => `offset=${p.offset} axes=(${p.axis1},${p.axis2})`,
});
