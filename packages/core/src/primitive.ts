// A primitive is one kind of operation plus its parameters. Its definition (PrimitiveDef)
// is shared by every instance and is where the autodiff and batching rules live, next to
// the primitive, written in terms of ops (see primitives/*.ts).
import type { MxArray } from './array.js';

export interface PrimitiveDef<P = unknown> {
  /** Unique name; backends key their kernels on it. */
  readonly name: string;
  /**
   * View primitives need no kernel: the output shares the input's storage with new strides
   * and offset. Returns null when the input layout can't be viewed that way (the array layer
   * then makes the input contiguous first and asks again).
   */
  readonly view?: (
    params: P,
    input: { shape: readonly number[]; strides: readonly number[]; offset: number },
    outShape: readonly number[],
  ) => { strides: number[]; offset: number } | null;
  /**
   * Primitives whose outputs are some of their inputs, unchanged (custom functions: the
   * outputs of the wrapped function ride along as extra inputs). Output i shares the storage
   * and layout of input `aliases(params)[i]`; no kernel runs.
   */
  readonly aliases?: (params: P) => number[];
  /**
   * Reverse-mode rule: cotangents of the inputs in `argnums` (same shapes and dtypes), given
   * those of every output (zeros for outputs that got none). A null entry means "no
   * cotangent flows to that input" (cheaper than zeros).
   */
  readonly vjp?: (
    params: P,
    primals: MxArray[],
    cotangents: MxArray[],
    argnums: number[],
    outputs: MxArray[],
  ) => (MxArray | null)[];
  /** Forward-mode rule: tangents of the outputs, given tangents of the inputs in `argnums`. */
  readonly jvp?: (params: P, primals: MxArray[], tangents: MxArray[], argnums: number[]) => MxArray[];
  /** Batching rule: outputs and their batch axes, given inputs and theirs (-1: not batched). */
  readonly vmap?: (params: P, inputs: MxArray[], axes: number[]) => [MxArray[], number[]];
  /**
   * Elementwise over same-shaped inputs: output element i reads only element i of each input
   * (broadcast inputs aside), so eval may write the output over a dead input (donation).
   */
  readonly elementwise?: boolean;
  /**
   * Output shapes for inputs of new shapes, as MLX's Primitive::output_shapes: a shapeless
   * compile replays its trace with them. `traced` are the input shapes the trace saw. Throws
   * where they can't be inferred; without it, a replay whose inputs of this primitive changed
   * shape throws. Params that hold the output shape as `shape` are copied with the new one.
   */
  readonly outputShapes?: (
    params: P,
    inputs: readonly (readonly number[])[],
    traced: readonly (readonly number[])[],
  ) => number[][];
  /** Parameters for printing a graph (and, later, for compile's equivalence check). */
  readonly describe?: (params: P) => string;
}

export class Primitive<P = unknown> {
  constructor(
    readonly def: PrimitiveDef<P>,
    readonly params: P,
  ) {}
  get name(): string {
    return this.def.name;
  }
  toString(): string {
    return this.def.describe ? `${this.def.name}(${this.def.describe(this.params)})` : this.def.name;
  }
}

const registry = new Map<string, PrimitiveDef<any>>();

/** Declares a primitive; names are unique so that backends can key kernels on them. */
export function definePrimitive<P = Record<string, never>>(def: PrimitiveDef<P>): PrimitiveDef<P> {
  if (registry.has(def.name)) throw new Error(`Primitive '${def.name}' is defined twice`);
  registry.set(def.name, def);
  return def;
}

export function primitiveDefs(): ReadonlyMap<string, PrimitiveDef<any>> {
  return registry;
}
