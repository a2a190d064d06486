// The part of a lazy graph a transform walks: the nodes between its traced inputs and the
// outputs of the traced function, in topological order. Shared by vjp, jvp and vmap.
import { MxArray, makeArray, type Node } from '../array.js';
import { Primitive, type PrimitiveDef } from '../primitive.js';

export interface Tape {
  /** Nodes that depend on a traced input, inputs before users (traced-input nodes excluded). */
  nodes: Node[];
  /** For each traced input, the array that holds its node now (an in-place update moves it). */
  inputs: (MxArray | null)[];
  /** Whether an array depends on a traced input (traced inputs included). */
  depends(a: MxArray): boolean;
}

/**
 * Walks back from `outputs` through tracer arrays (only they can depend on a traced input)
 * and stops at the nodes in `leaves` (the traced inputs' own nodes). Iterative: graphs can
 * be deeper than the JS stack. A node for which `cut` holds depends on nothing (autodiff
 * cuts at stop_gradient, as MLX's tape does).
 */
export function buildTape(outputs: readonly MxArray[], leaves: readonly Node[], cut?: (n: Node) => boolean): Tape {
  const leafIndex = new Map<Node, number>();
  leaves.forEach((n, i) => leafIndex.set(n, i));
  const inputs: (MxArray | null)[] = leaves.map(() => null);
  const state = new Map<Node, boolean>(); // node -> depends (set once finished)
  const order: Node[] = [];
  const stack: [Node, boolean][] = [];
  const push = (a: MxArray): void => {
    const n = a._node;
    if (!n || !a._tracer || state.has(n)) return;
    const li = leafIndex.get(n);
    if (li !== undefined) {
      state.set(n, true);
      inputs[li] = a;
      return;
    }
    stack.push([n, false]);
  };
  // Depth first from each output in turn, inputs in order: MLX's order, which is the order in
  // which the vjp adds up cotangents (bool + bool is `or`, so mixed dtypes depend on it).
  for (let i = outputs.length - 1; i >= 0; i--) push(outputs[i]!);
  const pending = new Set<Node>();
  while (stack.length) {
    const [n, expanded] = stack.pop()!;
    if (expanded) {
      pending.delete(n);
      const dep = !cut?.(n) && n.inputs.some((x) => x._node !== null && state.get(x._node) === true);
      state.set(n, dep);
      if (dep) order.push(n);
      continue;
    }
    if (state.has(n) || pending.has(n)) continue;
    pending.add(n);
    stack.push([n, true]);
    for (let i = n.inputs.length - 1; i >= 0; i--) push(n.inputs[i]!);
  }
  return {
    nodes: order,
    inputs,
    depends: (a) => a._node !== null && state.get(a._node) === true,
  };
}

/**
 * A handle on `x` that a transform traces: an identity view node (no kernel, shares storage)
 * marked as a tracer, so the walk can stop at it. `def` is the identity primitive to use.
 */
export function traceHandle(x: MxArray, def: PrimitiveDef<any>, params: unknown, shape = x._shape): MxArray {
  const t = makeArray([...shape], x._dtype, new Primitive(def, params), [x]);
  t._tracer = true;
  return t;
}
