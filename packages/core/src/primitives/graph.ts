// MLX's Depends: outputs that are its first inputs unchanged (no kernel: they alias them),
// evaluated only after the remaining inputs, the dependencies.
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { makeArrays, type MxArray } from '../array.js';
import { zerosLike } from '../ops/creation.js';

type P = { nOut: number };

export const Depends: PrimitiveDef<P> = definePrimitive<P>({
  name: 'Depends',
  aliases: (p) => Array.from({ length: p.nOut }, (_, i) => i),
  outputShapes: (p, inputs) => inputs.slice(0, p.nOut).map((shape) => [...shape]),
  // As MLX: cotangents pass through to the inputs; the dependencies get none.
  vjp: (p, _primals, cotangents, argnums) => argnums.map((i) => (i < p.nOut ? cotangents[i]! : null)),
  jvp: (p, primals, tangents, argnums) =>
    primals.slice(0, p.nOut).map((x, i) => {
      const k = argnums.indexOf(i);
      return k >= 0 ? tangents[k]! : zerosLike(x);
    }),
  // The batched inputs keep depending on the (batched or not) dependencies.
  vmap: (p, inputs, axes) => [dependsOn(inputs.slice(0, p.nOut), inputs.slice(p.nOut)), axes.slice(0, p.nOut)],
  describe: (p) => `${p.nOut} outputs`,
});

/** @internal the Depends node over `inputs` and `dependencies` (both non-empty, evaluated or not). */
export function dependsOn(inputs: MxArray[], dependencies: MxArray[]): MxArray[] {
  return makeArrays(
    inputs.map((x) => [...x._shape]),
    inputs.map((x) => x._dtype),
    new Primitive(Depends, { nOut: inputs.length }),
    [...inputs, ...dependencies],
    inputs[0]!._node?.stream,
  );
}
