// mx.compile: trace the function once per kind of call (tree structure, shapes, dtypes and
// non-array constants of the arguments) and replay the recorded primitives on later calls,
// as MLX does: the function's JS code (and its side effects) runs only when tracing.
import { MxArray, makeArrays } from '../array.js';
import type { Primitive } from '../primitive.js';
import type { Dtype } from '../dtype.js';
import { CompileInput } from '../primitives/transforms.js';
import { Compiled, type FusedStep } from '../primitives/compiled.js';
import { unary, binary, Select } from '../primitives/elementwise.js';
import { AsType } from '../primitives/copy.js';
import { Primitive as PrimitiveClass, type PrimitiveDef } from '../primitive.js';
import { buildTape, traceHandle } from './graph.js';
import { withTracing } from './trace.js';
import { treeFlatten, treeUnflatten, typeName } from './tree.js';

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
}

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

/** A key for the call: tree structure, array shapes/dtypes, and the constants' values. */
function callKey(args: unknown[]): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof MxArray) parts.push(`A${v._dtype.name}(${v._shape.join(',')})`);
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

function record(fn: (...args: any[]) => unknown, args: unknown[], inputs: MxArray[]): Trace {
  return withTracing(() => {
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
    return { nodes, outputs: outs.map((o) => refs.get(o) ?? { constant: o }), structure };
  });
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
  return { nodes: out, outputs: trace.outputs.map(remap), structure: trace.structure };
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
 * Arrays the function captures from its scope are constants of the trace (as in MLX).
 * `shapeless` is accepted for node-mlx compatibility; calls with new shapes are traced again,
 * which gives the same results as MLX's shape-polymorphic replay.
 */
export function compile<T extends any[], U>(fn: (...args: T) => U, _shapeless = false): (...args: T) => U {
  if (typeof fn !== 'function') throw new TypeError(`[compile] fn must be a function, got ${typeName(fn)}.`);
  const cache = new Map<string, Trace>();
  return (...args: T): U => {
    if (!enabled) return fn(...args);
    const key = callKey(args);
    const inputs = treeFlatten(args).map((a) => a._check());
    let trace = cache.get(key);
    if (!trace) {
      trace = fuseTrace(record(fn as (...a: unknown[]) => unknown, args, inputs));
      cache.set(key, trace);
    }
    return replay(trace, inputs) as U;
  };
}
