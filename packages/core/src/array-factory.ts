// `mx.array` is callable with or without `new`, and `x instanceof mx.array` holds.
import { MxArray, type ArrayInput } from './array.js';
import type { Dtype } from './dtype.js';

export interface ArrayConstructor {
  (value: ArrayInput, dtype?: Dtype): MxArray;
  new (value: ArrayInput, dtype?: Dtype): MxArray;
  readonly prototype: MxArray;
}

function arrayFactory(value: ArrayInput, dtype?: Dtype): MxArray {
  return new MxArray(value, dtype);
}
arrayFactory.prototype = MxArray.prototype;

export const array = arrayFactory as unknown as ArrayConstructor;
export type array = MxArray;
