// Sorting primitives along one axis, as MLX has them: Sort, ArgSort (uint32 indices),
// Partition and ArgPartition (kth already normalized to a non-negative index).
// Sort and Partition permute their input: the jvp gathers tangents through the permutation,
// the vjp scatters cotangents back through it. The permutation is locally constant, so it is
// stop-gradient'd (which keeps higher derivatives right). Index outputs have zero derivatives.
import type { MxArray } from '../array.js';
import { definePrimitive } from '../primitive.js';
import { uint32 } from '../dtype.js';
import { sort, argsort, partition, argpartition } from '../ops/sort.js';
import { takeAlongAxis, putAlongAxis } from '../ops/indexing.js';
import { stopGradient } from '../ops/elementwise.js';
import { zeros, zerosLike } from '../ops/creation.js';

/** The axis a batched input is sorted along: one further when the batch axis comes before it. */
function batchedAxis(axis: number, ax: number): number {
  return ax >= 0 && ax <= axis ? axis + 1 : axis;
}

/** Rules of a primitive that permutes its input along `p.axis` by the indices `perm(x, p)`. */
function permutationRules<P extends { axis: number }>(perm: (x: MxArray, p: P) => MxArray) {
  return {
    vjp: (p: P, [x]: MxArray[], [cot]: MxArray[]) => [putAlongAxis(zerosLike(x!), stopGradient(perm(x!, p)), cot!, p.axis)],
    jvp: (p: P, [x]: MxArray[], [t]: MxArray[]) => [takeAlongAxis(t!, stopGradient(perm(x!, p)), p.axis)],
  };
}

/** Sorts and partitions keep their input's shape. */
const sameShape = (_p: unknown, [x]: readonly (readonly number[])[]): number[][] => [[...x!]];

const indexRules = {
  vjp: (_p: unknown, [x]: MxArray[]) => [zerosLike(x!)],
  jvp: (_p: unknown, [x]: MxArray[]) => [zeros(x!._shape, uint32)],
};

export const Sort = definePrimitive<{ axis: number }>({
  name: 'Sort',
  outputShapes: sameShape,
  describe: (p) => `axis=${p.axis}`,
  ...permutationRules<{ axis: number }>((x, p) => argsort(x, p.axis)),
  vmap: ({ axis }, [x], [ax]) => [[sort(x!, batchedAxis(axis, ax!))], [ax!]],
});
export const ArgSort = definePrimitive<{ axis: number }>({
  name: 'ArgSort',
  outputShapes: sameShape,
  describe: (p) => `axis=${p.axis}`,
  ...indexRules,
  vmap: ({ axis }, [x], [ax]) => [[argsort(x!, batchedAxis(axis, ax!))], [ax!]],
});
export const Partition = definePrimitive<{ kth: number; axis: number }>({
  name: 'Partition',
  outputShapes: sameShape,
  describe: (p) => `kth=${p.kth} axis=${p.axis}`,
  ...permutationRules<{ kth: number; axis: number }>((x, p) => argpartition(x, p.kth, p.axis)),
  vmap: ({ kth, axis }, [x], [ax]) => [[partition(x!, kth, batchedAxis(axis, ax!))], [ax!]],
});
export const ArgPartition = definePrimitive<{ kth: number; axis: number }>({
  name: 'ArgPartition',
  outputShapes: sameShape,
  describe: (p) => `kth=${p.kth} axis=${p.axis}`,
  ...indexRules,
  vmap: ({ kth, axis }, [x], [ax]) => [[argpartition(x!, kth, batchedAxis(axis, ax!))], [ax!]],
});
