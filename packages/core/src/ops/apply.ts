// How the elementwise ops build their nodes: MLX's at_least_float rule, and a unary or binary
// primitive applied after promotion and broadcasting. Internal (not part of the mx namespace:
// index.ts re-exports ops/elementwise.ts whole, so shared helpers live here).
import { MxArray, makeArray, markInternal } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';
import { Dtype, promoteTypes, float32, isFloating, isComplex } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { asArrays2 } from '../convert.js';
import { astype, broadcastArrays } from './views.js';
import { shapesEqual } from '../shape.js';
import { inDynamicTracing } from '../transforms/trace.js';

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
  const cx = astype(x, d, s);
  const cy = astype(y, d, s);
  // equal shapes (the usual case) need no broadcast; a shapeless trace records one anyway
  const [bx, by] = shapesEqual(cx._shape, cy._shape) && !inDynamicTracing() ? [cx, cy] : broadcastArrays([cx, cy], s);
  const out = makeArray([...bx!._shape], rules.out ? rules.out(d) : d, new Primitive(def, {}), [bx!, by!], s);
  // What this op made on the way (a scalar's array, casts, broadcasts) is no one else's: internal,
  // so that it goes when the node is evaluated rather than at garbage collection.
  for (const made of [x, cx, bx, y, cy, by]) if (made !== a && made !== b) markInternal(made!);
  return out;
}

