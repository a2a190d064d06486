// vmap: trace the function once on one-example stand-ins (VmapInput), then rebuild the graph
// it made with every primitive's batching rule applied to the real batched inputs.
import { MxArray, makeArrays, internalArrays, type Node } from '../array.js';
import { onStream } from '../device.js';
import { VmapInput } from '../primitives/transforms.js';
import { moveaxis, expandDims } from '../ops/shape.js';
import { broadcastTo } from '../ops/views.js';
import { shapeToString } from '../shape.js';
import { buildTape, traceHandle } from './graph.js';
import { withTracing } from './trace.js';
import { treeFlatten, treeUnflatten, typeName } from './tree.js';

/** An axis per leaf: a number (or null for "not batched"), or a tree prefix of the arguments. */
export type AxesSpec = number | null | undefined | AxesSpec[] | { [k: string]: AxesSpec };

/** Per-leaf axes of `tree` under `spec` (a number/null covers a whole subtree). */
function leafAxes(tree: unknown, spec: AxesSpec, out: (number | null)[], where: string, op: string): void {
  if (spec === null || spec === undefined || typeof spec === 'number') {
    if (typeof spec === 'number' && !Number.isInteger(spec)) throw new TypeError(`[${op}] ${where} must be an integer or null, got ${spec}.`);
    for (let i = treeFlatten(tree).length; i > 0; i--) out.push(spec ?? null);
    return;
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(tree) || tree.length !== spec.length) {
      throw new Error(`[${op}] ${where} is an Array of ${spec.length} axes, but the value it describes is ${Array.isArray(tree) ? `an Array of ${tree.length}` : typeName(tree)}.`);
    }
    tree.forEach((t, i) => leafAxes(t, spec[i], out, `${where}[${i}]`, op));
    return;
  }
  if (typeof spec === 'object') {
    if (!tree || typeof tree !== 'object' || Array.isArray(tree) || tree instanceof MxArray) {
      throw new Error(`[${op}] ${where} is an object of axes, but the value it describes is ${typeName(tree)}.`);
    }
    const obj = tree as Record<string, unknown>;
    for (const k of Object.keys(obj)) leafAxes(obj[k], (spec as Record<string, AxesSpec>)[k] ?? 0, out, `${where}.${k}`, op);
    return;
  }
  throw new TypeError(`[${op}] ${where} must be an integer, null, an Array or an object of them, got ${typeName(spec)}.`);
}

function normalizeAxis(axis: number, ndim: number, what: string, shape: number[]): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) throw new RangeError(`[vmap] Invalid ${what} axis ${axis} for array with shape ${shapeToString(shape)}.`);
  return a;
}

/**
 * The batched outputs of the graph between `leaves` (VmapInput nodes standing for
 * `batched[i]` along `axes[i]`) and `outputs`: each as [array, batch axis or -1]. The other
 * arrays the batching rules make are internal (see internalArrays).
 */
export function batchGraph(outputs: readonly MxArray[], leaves: readonly Node[], batched: readonly MxArray[], axes: readonly number[]): [MxArray, number][] {
  return internalArrays(() => batchWalk(outputs, leaves, batched, axes), (res) => res.map(([y]) => y));
}

function batchWalk(outputs: readonly MxArray[], leaves: readonly Node[], batched: readonly MxArray[], axes: readonly number[]): [MxArray, number][] {
  const tape = buildTape(outputs, leaves);
  const map = new Map<MxArray, [MxArray, number]>();
  tape.inputs.forEach((a, i) => {
    if (a) map.set(a, [batched[i]!, axes[i]!]);
  });
  for (const node of tape.nodes) {
    const ins = node.inputs.map((x) => map.get(x) ?? ([x, -1] as [MxArray, number]));
    if (ins.every(([, ax]) => ax < 0)) {
      // Its batched inputs turned out unbatched. A rule may have rebuilt one of them on the
      // real arrays (an element count): the node is then rebuilt on it, still unbatched.
      if (ins.some(([x], i) => x !== node.inputs[i])) {
        const outs = makeArrays(node.outputs.map((o) => [...o._shape]), node.outputs.map((o) => o._dtype), node.prim, ins.map(([x]) => x), node.stream);
        node.outputs.forEach((o, i) => map.set(o, [outs[i]!, -1]));
      }
      continue;
    }
    const def = node.prim.def;
    if (!def.vmap) throw new Error(`[vmap] The primitive ${node.prim.name} has no batching rule.`);
    const vmap = def.vmap;
    const [outs, outAxes] = onStream(node.stream, () =>
      vmap(
        node.prim.params,
        ins.map(([x]) => x),
        ins.map(([, ax]) => ax),
      ),
    );
    node.outputs.forEach((o, i) => map.set(o, [outs[i]!, outAxes[i]!]));
  }
  return outputs.map((o) => map.get(o) ?? [o, -1]);
}

/**
 * `mx.vmap(fn, inAxes = 0, outAxes = 0)`: fn mapped over an axis of its inputs. inAxes: an
 * axis for every input, one per argument, or trees of them matching the arguments (an object
 * for a single tree argument); -1 or null marks an input that is not mapped (node-mlx and
 * MLX's C++ API; MLX's Python uses None). outAxes: an axis (negative counts from the end) for
 * every output, one per output, or a tree matching the result.
 */
export function vmap<T extends any[], U>(fn: (...args: T) => U, inAxes: AxesSpec = 0, outAxes: AxesSpec = 0): (...args: T) => U {
  if (typeof fn !== 'function') throw new TypeError(`[vmap] fn must be a function, got ${typeName(fn)}.`);
  return (...args: T): U => {
    const leaves = treeFlatten(args).map((a) => a._check());
    const specs: (number | null)[] = [];
    // An object of axes describes the one argument (MLX's in_axes={...} for a single tree).
    const single = inAxes !== null && typeof inAxes === 'object' && !Array.isArray(inAxes) && args.length === 1;
    leafAxes(single ? args[0] : args, inAxes, specs, 'inAxes', 'vmap');
    let size = -1;
    const axes = leaves.map((x, i) => {
      const s = specs[i];
      // -1 is "not mapped", as in node-mlx and MLX's C++ vmap (null too, as MLX's Python None).
      if (s === null || s === undefined || s === -1) return -1;
      if (s < -1) {
        throw new RangeError(`[vmap] inAxes entry ${s}: use a non-negative axis, or -1 / null for an input that is not mapped.`);
      }
      const ax = normalizeAxis(s, x._shape.length, 'vectorization', x._shape);
      const n = x._shape[ax]!;
      if (size >= 0 && n !== size) throw new Error(`[vmap] Inconsistent axis sizes: ${size} and ${n}.`);
      size = n;
      return ax;
    });
    if (size < 0) throw new Error('[vmap] At least one input must be mapped (inAxes are all null).');
    return withTracing(() => {
      const stand = leaves.map((x, i) =>
        axes[i]! < 0 ? x : traceHandle(x, VmapInput, { axis: axes[i] }, x._shape.filter((_, d) => d !== axes[i])),
      );
      // Taken before fn runs: an in-place update inside it re-points a handle at its new value.
      const mapped = leaves.map((_, i) => (axes[i]! < 0 ? null : stand[i]!._node!));
      const result = fn(...(treeUnflatten(args, stand) as T));
      const outs = treeFlatten(result);
      if (!outs.length) throw new TypeError(`[vmap] The function must return an mx array or a tree of them, but returned ${typeName(result)}.`);
      const outSpecs: (number | null)[] = [];
      leafAxes(result, outAxes, outSpecs, 'outAxes', 'vmap');
      const live = mapped.map((n, i) => [n, i] as const).filter(([n]) => n !== null);
      const res = batchGraph(
        outs,
        live.map(([n]) => n!),
        live.map(([, i]) => leaves[i]!),
        live.map(([, i]) => axes[i]!),
      );
      const final = res.map(([y, ax], i) => {
        const want = outSpecs[i];
        if (want === null || want === undefined) throw new Error('[vmap] outAxes must give an axis for every output (null is not supported).');
        const nd = outs[i]!._shape.length + 1;
        const to = normalizeAxis(want, nd, 'output', [...outs[i]!._shape, size]);
        if (ax < 0) {
          const e = expandDims(y, to);
          const shape = [...e._shape];
          shape[to] = size;
          return broadcastTo(e, shape);
        }
        return ax === to ? y : moveaxis(y, ax, to);
      });
      return treeUnflatten(result, final) as U;
    });
  };
}
