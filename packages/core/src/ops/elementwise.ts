// Elementwise ops: validate, promote (MLX's table and weak scalars), broadcast, and return a
// lazy array holding the primitive. No loops over data here.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';
import { Dtype, promoteTypes, float32, isFloating, isComplex } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { unary, binary } from '../primitives/elementwise.js';
import { asArray, asArrays2 } from './convert.js';
import { astype, broadcastArrays } from './views.js';

/** MLX's at_least_float: integers and bool compute in float32, floats keep their dtype. */
export function atLeastFloat(d: Dtype): Dtype {
  return isFloating(d) || isComplex(d) ? d : float32;
}

/** @internal a unary primitive applied to `x` already in its compute dtype. */
export function unaryApply(def: PrimitiveDef<any>, x: MxArray, outDtype: Dtype, s?: StreamOrDevice): MxArray {
  return makeArray([...x._shape], outDtype, new Primitive(def, {}), [x], s);
}

/**
 * @internal a binary primitive: promote both to one dtype (or `compute`), broadcast, apply.
 * `out` maps the compute dtype to the output dtype (bool for comparisons).
 */
export function binaryApply(
  def: PrimitiveDef<any>,
  a: unknown,
  b: unknown,
  s: StreamOrDevice,
  op: string,
  rules: { compute?: (d: Dtype) => Dtype; out?: (d: Dtype) => Dtype } = {},
): MxArray {
  const [x, y] = asArrays2(a, b, op);
  let d = promoteTypes(x._dtype, y._dtype);
  if (rules.compute) d = rules.compute(d);
  const [bx, by] = broadcastArrays([astype(x, d, s), astype(y, d, s)], s);
  return makeArray([...bx!._shape], rules.out ? rules.out(d) : d, new Primitive(def, {}), [bx!, by!], s);
}

export function add(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Add, a, b, s, 'add');
}
export function subtract(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Subtract, a, b, s, 'subtract');
}
export function multiply(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  return binaryApply(binary.Multiply, a, b, s, 'multiply');
}

export function negative(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'negative');
  if (x._dtype.kind === 'b') throw new TypeError('[negative] The negative operation is not supported for bool arrays; use mx.logicalNot.');
  return unaryApply(unary.Negative, x, x._dtype, s);
}

export function exp(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'exp');
  const d = atLeastFloat(x._dtype);
  return unaryApply(unary.Exp, astype(x, d, s), d, s);
}

declare module '../array.js' {
  interface MxArray {
    add(other: ScalarOrArray, s?: StreamOrDevice): MxArray;
    subtract(other: ScalarOrArray, s?: StreamOrDevice): MxArray;
    multiply(other: ScalarOrArray, s?: StreamOrDevice): MxArray;
    negative(s?: StreamOrDevice): MxArray;
    exp(s?: StreamOrDevice): MxArray;
  }
}

Object.assign(MxArray.prototype, {
  add(this: MxArray, o: ScalarOrArray, s?: StreamOrDevice) {
    return add(this, o, s);
  },
  subtract(this: MxArray, o: ScalarOrArray, s?: StreamOrDevice) {
    return subtract(this, o, s);
  },
  multiply(this: MxArray, o: ScalarOrArray, s?: StreamOrDevice) {
    return multiply(this, o, s);
  },
  negative(this: MxArray, s?: StreamOrDevice) {
    return negative(this, s);
  },
  exp(this: MxArray, s?: StreamOrDevice) {
    return exp(this, s);
  },
});
