// mx.compile: trace the function once per kind of call (tree structure, shapes, dtypes and
// non-array constants of the arguments) and replay the recorded primitives on later calls,
// as MLX does: the function's JS code (and its side effects) runs only when tracing.
// Shapeless compile keys on ranks instead of shapes and, for new input shapes, infers every
// node's shapes again (PrimitiveDef.outputShapes) before fusing and replaying.
import { MxArray, makeArrays } from '../array.js';
import type { Primitive } from '../primitive.js';
import type { Dtype } from '../dtype.js';
import { CompileInput } from '../primitives/transforms.js';
import { Compiled, type FusedStep } from '../primitives/compiled.js';
import { unary, binary, Select } from '../primitives/elementwise.js';
import { AsType } from '../primitives/copy.js';
import { Broadcast } from '../primitives/views.js';
import { Primitive as PrimitiveClass, type PrimitiveDef } from '../primitive.js';
import { shapesEqual } from '../shape.js';
import { buildTape, traceHandle } from './graph.js';
import { inTracing, withTracing } from './trace.js';
import { treeFlatten, treeUnflatten, typeName } from './tree.js';
import { libraryOwned } from '../ownership.js';

/** Where a recorded node reads an input: a call argument, an earlier node, or a constant. */
type Ref = { input: number } | { node: number; output: number } | { constant: MxArray };

interface RecordedNode {
  prim: Primitive<any>;
  inputs: Ref[];
  shapes: number[][];
  dtypes: Dtype[];
}

interface Trace {
  nodes: RecordedNode[];
  outputs: Ref[];
  /** The traced function's result: its arrays are replaced on each replay. */
  structure: unknown;
  /** The shapes of the inputs the nodes' shapes belong to. */
  inputShapes: number[][];
}

/** A recorded trace and its versions for the input shapes met so far, simplified and fused. */
interface CacheEntry {
  recorded: Trace;
  /** By input shapes, most recently used last (a shapeless entry keeps a few). */
  fused: Map<string, Trace>;
}
const FUSED_PER_ENTRY = 8;

// MLX_DISABLE_COMPILE in the environment (where there is one) disables compile at startup.
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let enabled = !env?.MLX_DISABLE_COMPILE;

/** Turns mx.compile into a pass-through (the function runs as is on every call). */
export function disableCompile(): void {
  enabled = false;
}
/** Undoes disableCompile (MLX_DISABLE_COMPILE in the environment disables it at startup). */
export function enableCompile(): void {
  enabled = true;
}

/** A key for the call: tree structure, array dtypes and shapes (ranks if shapeless), and the constants' values. */
function callKey(args: unknown[], shapeless: boolean): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof MxArray) parts.push(`A${v._dtype.name}(${shapeless ? `ndim ${v._shape.length}` : v._shape.join(',')})`);
    else if (Array.isArray(v)) {
      parts.push('[');
      v.forEach(visit);
      parts.push(']');
    } else if (v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      parts.push('{');
      for (const k of Object.keys(v)) {
        parts.push(JSON.stringify(k), ':');
        visit((v as Record<string, unknown>)[k]);
      }
      parts.push('}');
    } else if (v === null || v === undefined || ['number', 'string', 'boolean', 'bigint'].includes(typeof v)) {
      parts.push(`${typeof v}:${String(v)}`);
    } else {
      throw new TypeError(
        `[compile] Function arguments must be trees of arrays or constants (numbers, strings, booleans), got ${typeName(v)}.`,
      );
    }
    parts.push(',');
  };
  args.forEach(visit);
  return parts.join('');
}

/**
 * Traces fn. The trace is the library's: what the tracing makes belongs to no mx.tidy scope
 * (the cached constants must outlive the call that traced them), and constants made inside
 * an op or transform stop being internal (replays read them again after evaluation).
 */
function record(fn: (...args: any[]) => unknown, args: unknown[], inputs: MxArray[], shapeless: boolean): Trace {
  return libraryOwned(() => withTracing(() => {
    const stand = inputs.map((x, index) => traceHandle(x, CompileInput, { index }));
    const leaves = stand.map((t) => t._node!); // before fn: in-place updates re-point handles
    const structure = fn(...(treeUnflatten(args, stand) as unknown[]));
    const outs = treeFlatten(structure);
    const tape = buildTape(outs, leaves);
    const refs = new Map<MxArray, Ref>();
    tape.inputs.forEach((a, i) => {
      if (a) refs.set(a, { input: i });
    });
    const nodes: RecordedNode[] = tape.nodes.map((n, k) => {
      n.outputs.forEach((o, output) => refs.set(o, { node: k, output }));
      return {
        prim: n.prim,
        inputs: n.inputs.map((x) => refs.get(x) ?? { constant: x }),
        shapes: n.outputs.map((o) => [...o._shape]),
        dtypes: n.outputs.map((o) => o._dtype),
      };
    });
    const inputShapes = inputs.map((x) => [...x._shape]);
    const trace = prune({ nodes, outputs: outs.map((o) => refs.get(o) ?? { constant: o }), structure, inputShapes });
    for (const r of [...trace.outputs, ...trace.nodes.flatMap((n) => n.inputs)]) if ('constant' in r) r.constant._internal = false;
    return trace;
  }, shapeless));
}

/** The trace without the nodes its outputs don't need (the function's unused intermediates). */
function prune(trace: Trace): Trace {
  const needed = trace.nodes.map(() => false);
  const mark = (r: Ref) => {
    if ('node' in r) needed[r.node] = true;
  };
  trace.outputs.forEach(mark);
  for (let k = trace.nodes.length - 1; k >= 0; k--) if (needed[k]) trace.nodes[k]!.inputs.forEach(mark);
  if (needed.every(Boolean)) return trace;
  const index = new Map<number, number>();
  const nodes: RecordedNode[] = [];
  const renumber = (r: Ref): Ref => ('node' in r ? { node: index.get(r.node)!, output: r.output } : r);
  trace.nodes.forEach((n, k) => {
    if (!needed[k]) return;
    index.set(k, nodes.length);
    nodes.push({ ...n, inputs: n.inputs.map(renumber) });
  });
  return { ...trace, nodes, outputs: trace.outputs.map(renumber) };
}

/**
 * The trace for inputs of `inputShapes`: each node's output shapes are the recorded ones
 * where its inputs kept their shapes, else its primitive's outputShapes (MLX's replay of a
 * shapeless compile); a primitive without them throws MLX's error. Broadcasts that change
 * nothing at these shapes are dropped, the others lose the arrays they only took shapes
 * from (and nodes only those needed go too).
 */
function instantiate(trace: Trace, inputShapes: readonly (readonly number[])[]): Trace {
  const { nodes, outputs } = trace;
  const recordedShape = (r: Ref): readonly number[] =>
    'input' in r ? trace.inputShapes[r.input]! : 'node' in r ? nodes[r.node]!.shapes[r.output]! : r.constant._shape;
  const placed = new Map<number, number>(); // kept node -> its index in `out`
  const aliasOf = new Map<number, Ref>(); // dropped broadcast -> what it reads
  const remap = (r: Ref): Ref => ('node' in r ? (aliasOf.get(r.node) ?? { node: placed.get(r.node)!, output: r.output }) : r);
  const out: RecordedNode[] = [];
  const shapeOf = (r: Ref): readonly number[] => ('input' in r ? inputShapes[r.input]! : 'node' in r ? out[r.node]!.shapes[r.output]! : r.constant._shape);
  nodes.forEach((n, k) => {
    const inputs = n.inputs.map(remap);
    const ins = inputs.map(shapeOf);
    const was = n.inputs.map(recordedShape);
    let { prim } = n;
    let shapes = n.shapes;
    if (ins.some((s, i) => !shapesEqual(s, was[i]!))) {
      const infer = prim.def.outputShapes;
      if (!infer) throw new Error(`[Primitive::output_shapes] ${prim.name} cannot infer output shapes.`);
      shapes = infer(prim.params, ins, was);
      const params = prim.params as { shape?: number[] } | null;
      if (params && typeof params === 'object' && 'shape' in params) prim = new PrimitiveClass(prim.def, { ...params, shape: shapes[0] });
    }
    if (prim.def === Broadcast) {
      if (shapesEqual(shapes[0]!, ins[0]!)) {
        aliasOf.set(k, inputs[0]!);
        return;
      }
      if (inputs.length > 1) {
        prim = new PrimitiveClass(Broadcast, { shape: shapes[0]! });
        inputs.length = 1;
      }
    }
    placed.set(k, out.length);
    out.push({ prim, inputs, shapes, dtypes: n.dtypes });
  });
  return prune({ nodes: out, outputs: outputs.map(remap), structure: trace.structure, inputShapes: inputShapes.map((s) => [...s]) });
}

let fusible: Set<PrimitiveDef<any>> | null = null;
function isFusible(n: RecordedNode): boolean {
  fusible ??= new Set<PrimitiveDef<any>>([...Object.values(unary), ...Object.values(binary), Select, AsType]);
  return n.shapes.length === 1 && fusible.has(n.prim.def);
}

/**
 * Fuses chains of elementwise nodes of one shape into Compiled nodes, each placed where its
 * last member was. A group closes (takes no more members) as soon as a node outside it reads
 * one of its members: every outside reader then comes after the fused node, and every
 * member's other inputs come before it, so the topological order holds.
 */
export function fuseTrace(trace: Trace): Trace {
  const { nodes } = trace;
  const groupOf = new Array<number>(nodes.length).fill(-1);
  const groups: { members: number[]; shape: string; closed: boolean }[] = [];
  nodes.forEach((n, k) => {
    let g = -1;
    if (isFusible(n)) {
      const shape = n.shapes[0]!.join(',');
      for (const r of n.inputs) {
        const c = 'node' in r ? groupOf[r.node]! : -1;
        if (c >= 0 && !groups[c]!.closed && groups[c]!.shape === shape) g = Math.max(g, c);
      }
      if (g < 0) g = groups.push({ members: [], shape, closed: false }) - 1;
      groupOf[k] = g;
      groups[g]!.members.push(k);
    }
    for (const r of n.inputs) {
      const c = 'node' in r ? groupOf[r.node]! : -1;
      if (c >= 0 && c !== g) groups[c]!.closed = true;
    }
  });
  for (const g of groups) if (g.members.length < 2) for (const m of g.members) groupOf[m] = -1;
  if (!groups.some((g) => g.members.length >= 2)) return trace;

  // Member results read outside their group (or returned) become the fused node's outputs.
  const readOutside = new Set<number>();
  const noteRead = (r: Ref, readerGroup: number) => {
    if ('node' in r && groupOf[r.node]! >= 0 && groupOf[r.node] !== readerGroup) readOutside.add(r.node);
  };
  nodes.forEach((n, k) => n.inputs.forEach((r) => noteRead(r, groupOf[k]!)));
  trace.outputs.forEach((r) => noteRead(r, -1));

  const out: RecordedNode[] = [];
  const movedNode = new Map<number, number>(); // unfused old index -> new index
  const movedValue = new Map<number, Ref>(); // fused member -> output of its Compiled node
  const remap = (r: Ref): Ref =>
    'node' in r ? (movedValue.get(r.node) ?? { node: movedNode.get(r.node)!, output: r.output }) : r;
  nodes.forEach((n, k) => {
    const g = groupOf[k]!;
    if (g < 0) {
      movedNode.set(k, out.length);
      out.push({ ...n, inputs: n.inputs.map(remap) });
      return;
    }
    const grp = groups[g]!;
    if (grp.members[grp.members.length - 1] !== k) return; // emitted with the group's last member
    // Value indices: external inputs first (deduplicated), then one per member.
    const externals: Ref[] = [];
    const extIndex = (r: Ref): number => {
      const i = externals.findIndex((e) => sameRef(e, r));
      return i >= 0 ? i : externals.push(r) - 1;
    };
    const memberValue = new Map<number, number>();
    const raw = grp.members.map((m, j) => {
      memberValue.set(m, j);
      const mn = nodes[m]!;
      return { prim: mn.prim, dtype: mn.dtypes[0]!, inputs: mn.inputs.map((r) => ('node' in r && groupOf[r.node] === g ? { member: memberValue.get(r.node)! } : extIndex(r))) };
    });
    const E = externals.length;
    const steps: FusedStep[] = raw.map((st) => ({
      prim: st.prim,
      dtype: st.dtype,
      inputs: st.inputs.map((x) => (typeof x === 'number' ? x : E + x.member)),
    }));
    const outs = grp.members.filter((m) => readOutside.has(m));
    const index = out.length;
    out.push({
      prim: new PrimitiveClass(Compiled, {
        nInputs: E,
        shape: n.shapes[0]!,
        steps,
        outputs: outs.map((m) => E + memberValue.get(m)!),
      }),
      inputs: externals.map(remap),
      shapes: outs.map((m) => nodes[m]!.shapes[0]!),
      dtypes: outs.map((m) => nodes[m]!.dtypes[0]!),
    });
    outs.forEach((m, output) => movedValue.set(m, { node: index, output }));
  });
  return { nodes: out, outputs: trace.outputs.map(remap), structure: trace.structure, inputShapes: trace.inputShapes };
}

function sameRef(a: Ref, b: Ref): boolean {
  if ('node' in a) return 'node' in b && a.node === b.node && a.output === b.output;
  if ('input' in a) return 'input' in b && a.input === b.input;
  return 'constant' in b && a.constant === b.constant;
}

function replay(trace: Trace, inputs: MxArray[]): unknown {
  const values: MxArray[][] = [];
  const get = (r: Ref): MxArray => ('input' in r ? inputs[r.input]! : 'node' in r ? values[r.node]![r.output]! : r.constant);
  for (const n of trace.nodes) values.push(makeArrays(n.shapes, n.dtypes, n.prim, n.inputs.map(get)));
  return treeUnflatten(trace.structure, trace.outputs.map(get));
}

/**
 * `mx.compile(fn, shapeless = false)`: fn traced once per call signature and replayed after.
 * Arrays the function captures from its scope are constants of the trace (as in MLX). Called
 * on the tracers of another transform (grad, vmap, ...), fn runs as is, traced by that
 * transform (as MLX does).
 *
 * The signature is the tree structure of the arguments, their non-array values, and each
 * array's dtype and shape. With `shapeless`, as MLX's shapeless compile, an array counts by
 * its dtype and rank only. A call with new shapes replays the trace without running fn
 * (captured values and side effects stay those of the trace), and each node whose inputs
 * changed shape infers its output shapes from them (PrimitiveDef.outputShapes, MLX's
 * output_shapes), the trace then being fused for those shapes:
 * - elementwise ops broadcast again (while recording, broadcasts carry the arrays they
 *   broadcast against, as MLX's do); zerosLike/onesLike/fullLike follow their argument;
 * - reductions (size-1 axes included), arg-reductions, sorts, partitions, scans, transpose,
 *   squeeze, expandDims, flatten, concatenate, diagonal, matmul (batch dims broadcast again),
 *   addmm, gathers (take, array indices) and custom functions follow their inputs; mean and
 *   var count the new elements;
 * - reshape keeps the shape asked for with its -1 inferred again (unflatten's -1 too, where
 *   MLX keeps the size it traced); a reshape to fixed sizes and broadcastTo keep their shape,
 *   so the call throws where the new input doesn't fit it (as MLX);
 * - slices (basic indexing with ranges, split, topk), asStrided, view and random bits
 *   can't: the call throws MLX's `[Primitive::output_shapes] Slice cannot infer output
 *   shapes.` (MLX throws even when their input keeps its shape; here they replay then);
 * - scatters (indexPut_, .at[] updates, sliceUpdate) replay where only the
 *   updated array's first axis changed, so that their trace-time flat positions still name
 *   the same elements (MLX's slice updates keep their bounds), and throw otherwise;
 *   takeAlongAxis and putAlongAxis build index arrays for the traced shape: new ones throw.
 * Arrays fn makes from shapes it read (mx.zeros(x.shape)) and non-array results are those of
 * the trace. A new dtype, rank, tree structure or non-array argument traces fn again.
 */
export function compile<T extends any[], U>(fn: (...args: T) => U, shapeless = false): (...args: T) => U {
  if (typeof fn !== 'function') throw new TypeError(`[compile] fn must be a function, got ${typeName(fn)}.`);
  const cache = new Map<string, CacheEntry>();
  return (...args: T): U => {
    if (!enabled) return fn(...args);
    const inputs = treeFlatten(args).map((a) => a._check());
    if (inTracing() && inputs.some((x) => x._tracer)) return fn(...args);
    const key = callKey(args, shapeless);
    let entry = cache.get(key);
    if (!entry) {
      entry = { recorded: record(fn as (...a: unknown[]) => unknown, args, inputs, shapeless), fused: new Map() };
      cache.set(key, entry);
    }
    const shapesKey = inputs.map((x) => x._shape.join(',')).join(';');
    let trace = entry.fused.get(shapesKey);
    if (trace) entry.fused.delete(shapesKey);
    else trace = fuseTrace(instantiate(entry.recorded, inputs.map((x) => x._shape)));
    entry.fused.set(shapesKey, trace);
    if (entry.fused.size > FUSED_PER_ENTRY) entry.fused.delete(entry.fused.keys().next().value!);
    return replay(trace, inputs) as U;
  };
}
