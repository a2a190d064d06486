// Concatenate: each input is copied, as raw storage units, into its slab of the output.
import { registerKernel, elements, offsetsOf } from './registry.js';
import { shapeSize } from '../../shape.js';

registerKernel('Concatenate', (prim, inputs, [out]) => {
  const axis = (prim.params as { axis: number }).axis;
  const shape = out!.shape;
  const lanes = out!.dtype.lanes;
  const dst = elements(out!) as Float32Array;
  const outer = shapeSize(shape.slice(0, axis));
  const inner = shapeSize(shape.slice(axis + 1));
  const outRow = shape[axis]! * inner; // elements per outer index in the output
  let base = 0; // where this input's slab starts along the axis, in elements of a row
  for (const x of inputs) {
    const offs = offsetsOf(x);
    const src = elements(x) as Float32Array;
    const row = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < row; j++) {
        const from = offs[o * row + j]! * lanes;
        const to = (o * outRow + base + j) * lanes;
        for (let l = 0; l < lanes; l++) dst[to + l] = src[from + l]!;
      }
    }
    base += row;
  }
});
