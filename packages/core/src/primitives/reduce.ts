// Reductions: one Reduce primitive for sum/prod/max/min/all/any (MLX's Reduce), and ArgReduce
// for argmax/argmin. The output keeps the reduced axes as size-1 dimensions (as in MLX); the
// ops squeeze them afterwards with a reshape view.
// The rules are written with the public ops (called only inside the rules, so the import
// cycle ops -> primitives -> ops is harmless), which keeps them differentiable again.
import { makeArray, type MxArray } from '../array.js';
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { bool, isComplex, uint32, type Dtype } from '../dtype.js';
import { shapeSize } from '../shape.js';
import { sum, prod, max, min, all, any, argmax, argmin } from '../ops/reduce.js';
import { cumprod } from '../ops/scan.js';
import { astype, broadcastArrays, reshape, transpose } from '../ops/views.js';
import { conjugate, divide, equal, multiply } from '../ops/elementwise.js';
import { zeros, zerosLike } from '../ops/creation.js';
import { takeAlongAxis } from '../ops/indexing.js';

export type ReduceType = 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or';

/**
 * Moves the reduced axes to the back and merges them into one last axis, so a rule can work
 * on a single axis; `restore` takes a result of the merged shape back to the input's layout.
 */
function mergeReducedAxes(x: MxArray, axes: number[]): { merged: MxArray; restore: (r: MxArray) => MxArray } {
  if (axes.length === 1 && axes[0] === x.ndim - 1) return { merged: x, restore: (r) => r };
  const kept = [...Array(x.ndim).keys()].filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const moved = transpose(x, perm);
  const merged = reshape(moved, [...kept.map((i) => x._shape[i]!), shapeSize(axes.map((i) => x._shape[i]!))]);
  const back = perm.map((_, i) => perm.indexOf(i));
  return { merged, restore: (r) => transpose(reshape(r, moved._shape), back) };
}

/** Product of every other element along `axis` (two exclusive cumprods: no division, so zeros are fine). */
function exclusiveProduct(x: MxArray, axis: number): MxArray {
  return multiply(cumprod(x, axis, false, false), cumprod(x, axis, true, false));
}

/** The tangent at the (first) extreme of x along `axis`, a size-1 axis there. */
function pickExtreme(type: 'max' | 'min', x: MxArray, t: MxArray, axis: number): MxArray {
  const idx = type === 'max' ? argmax(x, axis, true) : argmin(x, axis, true);
  return takeAlongAxis(t, idx, axis);
}

/** The input's shape with `axes` set to 1 (MLX's Reduce::output_shapes, ArgReduce's). */
const keptShape = (shape: readonly number[], axes: readonly number[]): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d));

export const Reduce = definePrimitive<{ type: ReduceType; axes: number[] }>({
  name: 'Reduce',
  describe: (p) => `${p.type} axes=[${p.axes.join(',')}]`,
  outputShapes: (p, [x]) => [keptShape(x!, p.axes)],
  vjp: ({ type, axes }, [x], [cot], _argnums, [out]) => {
    const input = x!;
    const c = cot!;
    let g: MxArray;
    if (type === 'sum') {
      g = broadcastArrays([c, input])[0]!; // (MLX: a shapeless replay broadcasts to the new shape)
    } else if (type === 'prod') {
      // d prod / d x_i = product of the others (MLX: exclusive cumprods along merged axes).
      const { merged, restore } = mergeReducedAxes(input, axes);
      const last = merged.ndim - 1;
      const others = exclusiveProduct(merged, last);
      const cm = reshape(c, [...merged._shape.slice(0, last), 1]);
      g = restore(multiply(isComplex(others._dtype) ? conjugate(others) : others, cm));
    } else if (type === 'max' || type === 'min') {
      // Ties share the cotangent equally (as MLX: mask / count of the extreme).
      const mask = equal(input, out!);
      g = multiply(divide(c, sum(mask, axes, true)), mask);
    } else {
      g = zerosLike(input);
    }
    // The dtype is what the formula gives, as in MLX: float for max/min of integers (the
    // division by the tie count), the sum's dtype for sum (int32 for bool or int8 inputs).
    return [g];
  },
  jvp: ({ type, axes }, [x], [t], _argnums) => {
    const input = x!;
    const tan = t!;
    const keepShape = input._shape.map((d, i) => (axes.includes(i) ? 1 : d));
    if (type === 'sum') return [sum(tan, axes, true)];
    if (type === 'and' || type === 'or') return [zeros(keepShape, bool)];
    const { merged } = mergeReducedAxes(input, axes);
    const tm = mergeReducedAxes(tan, axes).merged;
    const last = merged.ndim - 1;
    // max/min follow the first extreme (argmax/argmin), as MLX's jvp does.
    const r = type === 'prod' ? sum(multiply(exclusiveProduct(merged, last), tm), last, true) : pickExtreme(type, merged, tm, last);
    return [reshape(r, keepShape)];
  },
  vmap: ({ type, axes }, [x], [ax]) => {
    const shifted = axes.map((a) => (ax! >= 0 && a >= ax! ? a + 1 : a));
    // Looked up at call time: the ops are not yet defined while this module is evaluated.
    const op = { sum, prod, max, min, and: all, or: any }[type];
    return [[op(x!, shifted, true)], [ax!]];
  },
});

export type ArgReduceType = 'argmax' | 'argmin';

export const ArgReduce = definePrimitive<{ type: ArgReduceType; axis: number }>({
  name: 'ArgReduce',
  describe: (p) => `${p.type} axis=${p.axis}`,
  outputShapes: (p, [x]) => [keptShape(x!, [p.axis])],
  // Indices are piecewise constant: zero cotangents in the input's dtype, zero uint32 tangents.
  vjp: (_p, [x]) => [zerosLike(x!)],
  jvp: ({ axis }, [x]) => [zeros(x!._shape.map((d, i) => (i === axis ? 1 : d)), uint32)],
  vmap: ({ type, axis }, [x], [ax]) => {
    const a = ax! >= 0 && axis >= ax! ? axis + 1 : axis;
    return [[type === 'argmax' ? argmax(x!, a, true) : argmin(x!, a, true)], [ax!]];
  },
});

/**
 * MLX's NumberOfElements: the element count over `axes` of the input (1/count when
 * `inverted`) as a 0-d `dtype` array. mean and var build it while a shapeless compile
 * records, so that a replay with new shapes counts again. No derivatives flow through it.
 */
type CountParams = { axes: number[]; inverted: boolean; dtype: Dtype };
export const NumberOfElements: PrimitiveDef<CountParams> = definePrimitive<CountParams>({
  name: 'NumberOfElements',
  describe: (p) => `axes=[${p.axes.join(',')}]${p.inverted ? ' inverted' : ''}`,
  outputShapes: () => [[]],
  vjp: (_p, _x, _c, argnums) => argnums.map(() => null),
  jvp: (p) => [zeros([], p.dtype)],
  // every example has the same count: an unbatched result
  vmap: (p, [x], [ax]) => {
    const axes = p.axes.map((a) => (ax! >= 0 && a >= ax! ? a + 1 : a));
    return [[makeArray([], p.dtype, new Primitive(NumberOfElements, { ...p, axes }), [x!])], [-1]];
  },
});
