// Scan: cumulative sum/prod/max/min/logaddexp along one axis (MLX's Scan primitive).
import { definePrimitive } from '../primitive.js';

export type ScanType = 'sum' | 'prod' | 'max' | 'min' | 'logaddexp';

export const Scan = definePrimitive<{ type: ScanType; axis: number; reverse: boolean; inclusive: boolean }>({
  name: 'Scan',
  describe: (p) => `${p.type} axis=${p.axis} reverse=${p.reverse} inclusive=${p.inclusive}`,
});
