// Reductions: one Reduce primitive for sum/prod/max/min/all/any (MLX's Reduce), and ArgReduce
// for argmax/argmin. The output keeps the reduced axes as size-1 dimensions (as in MLX); the
// ops squeeze them afterwards with a reshape view.
import { definePrimitive } from '../primitive.js';

export type ReduceType = 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or';

export const Reduce = definePrimitive<{ type: ReduceType; axes: number[] }>({
  name: 'Reduce',
  describe: (p) => `${p.type} axes=[${p.axes.join(',')}]`,
});

export type ArgReduceType = 'argmax' | 'argmin';

export const ArgReduce = definePrimitive<{ type: ArgReduceType; axis: number }>({
  name: 'ArgReduce',
  describe: (p) => `${p.type} axis=${p.axis}`,
});
