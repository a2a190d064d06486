// Sorting primitives along one axis, as MLX has them: Sort, ArgSort (uint32 indices),
// Partition and ArgPartition (kth already normalized to a non-negative index).
import { definePrimitive } from '../primitive.js';

export const Sort = definePrimitive<{ axis: number }>({ name: 'Sort', describe: (p) => `axis=${p.axis}` });
export const ArgSort = definePrimitive<{ axis: number }>({ name: 'ArgSort', describe: (p) => `axis=${p.axis}` });
export const Partition = definePrimitive<{ kth: number; axis: number }>({
  name: 'Partition',
  describe: (p) => `kth=${p.kth} axis=${p.axis}`,
});
export const ArgPartition = definePrimitive<{ kth: number; axis: number }>({
  name: 'ArgPartition',
  describe: (p) => `kth=${p.kth} axis=${p.axis}`,
});
