// Compiled: a chain of elementwise primitives that mx.compile fused into one node, so that a
// backend can run it in one pass over memory (a tile stays in cache through the whole chain).
// Every step has the output shape; inputs arrive as views of that shape (broadcasts included).
// Its semantics are those of the steps run one after another (the reference kernel does just
// that); its transform rules unfuse it and use the steps' own rules.
import { definePrimitive, type Primitive } from '../primitive.js';
import { makeArray, type MxArray } from '../array.js';
import type { Dtype } from '../dtype.js';
import { vjpOf, jvpOf } from '../transforms/autodiff.js';
import { vmap } from '../transforms/vmap.js';
import { elementwiseShapes } from './rules.js';

export interface FusedStep {
  readonly prim: Primitive<any>;
  /** Indices into the value list: 0..nInputs-1 are the node's inputs, then each step's result. */
  readonly inputs: readonly number[];
  readonly dtype: Dtype;
}

export interface CompiledParams {
  readonly nInputs: number;
  readonly shape: readonly number[];
  readonly steps: readonly FusedStep[];
  /** Value indices that are the node's outputs. */
  readonly outputs: readonly number[];
}

/** The steps as ordinary lazy nodes on `inputs` (the node's outputs, unfused). */
export function unfuse(p: CompiledParams, inputs: readonly MxArray[]): MxArray[] {
  const values: MxArray[] = [...inputs];
  for (const st of p.steps) values.push(makeArray([...p.shape], st.dtype, st.prim, st.inputs.map((i) => values[i]!)));
  return p.outputs.map((i) => values[i]!);
}

export const Compiled = definePrimitive<CompiledParams>({
  name: 'Compiled',
  // every input arrives in the output shape (broadcasts are views before the node)
  outputShapes: (p, inputs) => elementwiseShapes('Compiled', inputs, p.outputs.length),
  vjp: (p, primals, cotangents, argnums) => {
    const g = vjpOf((xs) => unfuse(p, xs), primals, cotangents);
    return argnums.map((i) => g[i] ?? null);
  },
  jvp: (p, primals, tangents, argnums) =>
    jvpOf(
      (xs) => unfuse(p, xs),
      primals,
      primals.map((_, i) => {
        const j = argnums.indexOf(i);
        return j >= 0 ? tangents[j]! : null;
      }),
    ),
  vmap: (p, inputs, axes) => {
    const outs = vmap((...xs: MxArray[]) => unfuse(p, xs), axes.map((a) => (a < 0 ? null : a)))(...inputs) as MxArray[];
    return [outs, outs.map(() => 0)];
  },
  describe: (p) => p.steps.map((s) => s.prim.name).join('>'),
});
