// mx.compile: trace the function once per kind of call (tree structure, shapes, dtypes and
// non-array constants of the arguments) and replay the recorded primitives on later calls,
// as MLX does: the function's JS code (and its side effects) runs only when tracing.
import { MxArray, makeArrays } from '../array.js';
import type { Primitive } from '../primitive.js';
import type { Dtype } from '../dtype.js';
import { CompileInput } from '../primitives/transforms.js';
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

let enabled = typeof process === 'undefined' || !process.env?.MLX_DISABLE_COMPILE;

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
    const structure = fn(...(treeUnflatten(args, stand) as unknown[]));
    const outs = treeFlatten(structure);
    const tape = buildTape(outs, stand.map((s) => s._node!));
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
      trace = record(fn as (...a: unknown[]) => unknown, args, inputs);
      cache.set(key, trace);
    }
    return replay(trace, inputs) as U;
  };
}
