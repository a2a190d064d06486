// Reverse and forward mode: vjp, jvp, grad and valueAndGrad, by walking the lazy graph that
// the traced function built and calling each primitive's own rule (primitives/*.ts). Rules
// are written in ops, so the cotangents are lazy graphs too and grad of grad just works.
import { MxArray, internalArrays, type Node } from '../array.js';
import { onStream } from '../device.js';
import { Reshape } from '../primitives/views.js';
import { unary } from '../primitives/elementwise.js';
import { add } from '../ops/elementwise.js';
import { zerosLike, onesLike } from '../ops/creation.js';
import { astype } from '../ops/views.js';
import { shapesEqual, shapeToString } from '../shape.js';
import { buildTape, traceHandle } from './graph.js';
import { withTracing } from './trace.js';
import { treeFlatten, treeUnflatten, treeSwapIn, typeName } from './tree.js';

type Fn = (...args: any[]) => unknown;

/**
 * Identity view handles for the primals, and their nodes, where the tape stops. The nodes are
 * taken now: an in-place update inside fn (indexPut_) re-points a handle at its new value.
 */
function traceAll(primals: readonly MxArray[]): { traced: MxArray[]; leaves: Node[] } {
  // (an identity that a shapeless compile's replay keeps following the input's shape)
  const traced = primals.map((p) => traceHandle(p, Reshape, { shape: [...p._shape], dims: p._shape.map((_, i) => [i, i + 1] as const) }));
  return { traced, leaves: traced.map((t) => t._node!) };
}

function checkArrays(xs: unknown, what: string, op: string): MxArray[] {
  if (!Array.isArray(xs)) throw new TypeError(`[${op}] ${what} must be an Array of mx arrays, got ${typeName(xs)}.`);
  return xs.map((x, i) => {
    if (!(x instanceof MxArray)) throw new TypeError(`[${op}] ${what}[${i}] must be an mx array, got ${typeName(x)}.`);
    return x._check();
  });
}

/** The function's result as a flat list of arrays (an array or an Array of arrays). */
function resultArrays(r: unknown, op: string): MxArray[] {
  if (r instanceof MxArray) return [r];
  if (Array.isArray(r) && r.length > 0 && r.every((x) => x instanceof MxArray)) return r as MxArray[];
  throw new TypeError(`[${op}] The function must return an mx array or an Array of mx arrays, but returned ${typeName(r)}.`);
}

function accumulate(map: Map<MxArray, MxArray>, a: MxArray, ct: MxArray): void {
  const prev = map.get(a);
  map.set(a, prev ? add(prev, ct) : ct);
}

/**
 * A rule's result must have the shape of what it differentiates. Its dtype is the rule's to
 * choose, as in MLX (float gradients keep their dtype; some integer cases give float32).
 */
function checkRuleOutput(r: MxArray | null | undefined, like: MxArray, prim: string, rule: string, i: number): MxArray | null {
  if (r === null || r === undefined) return null;
  if (!shapesEqual(r._shape, like._shape)) {
    throw new Error(`internal: the ${rule} rule of ${prim} returned shape ${shapeToString(r._shape)} for ${rule === 'vjp' ? 'input' : 'output'} ${i} of shape ${shapeToString(like._shape)}`);
  }
  return r;
}

/**
 * MLX leaves stop_gradient's output off the tape in vjp and jvp: nothing after it depends on
 * the inputs, so no rule after it sees a cotangent it can't take (negative of a bool, from a
 * logsumexp's stopped maximum) and no zero cotangent flows through the graph before it.
 */
const stopsGradient = (n: Node): boolean => n.prim.def === unary.StopGradient;

/**
 * Cotangents of the traced inputs (`leaves`, their handles' nodes) given those of `outputs`,
 * by one reverse walk over the tape. Returns null for an input no output depends on. The
 * walk's other arrays are internal: memory that eval releases as soon as it has used them.
 */
export function backprop(outputs: readonly MxArray[], cotangents: readonly MxArray[], leaves: readonly Node[]): (MxArray | null)[] {
  return internalArrays(() => reverseWalk(outputs, cotangents, leaves), (cts) => cts);
}

function reverseWalk(outputs: readonly MxArray[], cotangents: readonly MxArray[], leaves: readonly Node[]): (MxArray | null)[] {
  const tape = buildTape(outputs, leaves, stopsGradient);
  const cot = new Map<MxArray, MxArray>();
  outputs.forEach((o, i) => {
    if (o._tracer && tape.depends(o)) accumulate(cot, o, cotangents[i]!);
  });
  for (let k = tape.nodes.length - 1; k >= 0; k--) {
    const node = tape.nodes[k]!;
    const outs = node.outputs;
    if (!outs.some((o) => cot.has(o))) continue;
    const def = node.prim.def;
    const argnums: number[] = [];
    node.inputs.forEach((x, i) => {
      if (tape.depends(x)) argnums.push(i);
    });
    if (!def.vjp) throw new Error(`[vjp] The primitive ${node.prim.name} has no vjp rule.`);
    const cts = outs.map((o) => cot.get(o) ?? zerosLike(o));
    for (const o of outs) cot.delete(o); // done with them: let their memory go
    const vjp = def.vjp;
    const res = onStream(node.stream, () => vjp(node.prim.params, node.inputs, cts, argnums, outs));
    argnums.forEach((ai, j) => {
      const x = node.inputs[ai]!;
      const r = checkRuleOutput(res[j], x, node.prim.name, 'vjp', ai);
      if (r) accumulate(cot, x, r);
    });
  }
  return tape.inputs.map((a) => (a ? (cot.get(a) ?? null) : null));
}

/** Tangents of `outputs` given those of the traced inputs, by one forward walk (internal arrays as backprop's). */
export function pushforward(outputs: readonly MxArray[], tangents: readonly MxArray[], leaves: readonly Node[]): (MxArray | null)[] {
  return internalArrays(() => forwardWalk(outputs, tangents, leaves), (ts) => ts);
}

function forwardWalk(outputs: readonly MxArray[], tangents: readonly MxArray[], leaves: readonly Node[]): (MxArray | null)[] {
  const tape = buildTape(outputs, leaves, stopsGradient);
  const tan = new Map<MxArray, MxArray>();
  tape.inputs.forEach((a, i) => {
    if (a) tan.set(a, tangents[i]!);
  });
  for (const node of tape.nodes) {
    const def = node.prim.def;
    const argnums: number[] = [];
    const ts: MxArray[] = [];
    node.inputs.forEach((x, i) => {
      const t = tan.get(x);
      if (t) {
        argnums.push(i);
        ts.push(t);
      }
    });
    if (!argnums.length) continue;
    if (!def.jvp) throw new Error(`[jvp] The primitive ${node.prim.name} has no jvp rule.`);
    const jvp = def.jvp;
    const res = onStream(node.stream, () => jvp(node.prim.params, node.inputs, ts, argnums));
    node.outputs.forEach((o, i) => {
      const r = checkRuleOutput(res[i], o, node.prim.name, 'jvp', i);
      if (r) tan.set(o, r);
    });
  }
  return outputs.map((o) => tan.get(o) ?? null);
}

/**
 * Cotangents of `primals` for `f`'s outputs, by tracing f again on them (custom functions
 * and checkpoint without a vjp rule, fused compiled nodes). Null where nothing depends.
 */
export function vjpOf(f: (xs: MxArray[]) => MxArray[], primals: readonly MxArray[], cotangents: readonly MxArray[]): (MxArray | null)[] {
  return withTracing(() => {
    const { traced, leaves } = traceAll(primals);
    return backprop(f(traced), cotangents, leaves);
  });
}

/** Tangents of `f`'s outputs for tangents of `primals` (null entries: zero tangent). */
export function jvpOf(f: (xs: MxArray[]) => MxArray[], primals: readonly MxArray[], tangents: readonly (MxArray | null)[]): MxArray[] {
  return withTracing(() => {
    const { traced, leaves } = traceAll(primals);
    const outs = f(traced);
    const ts = tangents.map((t, i) => t ?? zerosLike(primals[i]!));
    return pushforward(outs, ts, leaves).map((t, i) => t ?? zerosLike(outs[i]!));
  });
}

function checkLike(xs: MxArray[], like: MxArray[], what: string, of: string, op: string): MxArray[] {
  if (xs.length !== like.length) {
    throw new Error(`[${op}] Expected ${like.length} ${what} (one per ${of}), got ${xs.length}.`);
  }
  return xs.map((x, i) => {
    const l = like[i]!;
    if (!shapesEqual(x._shape, l._shape)) {
      throw new Error(`[${op}] ${what}[${i}] has shape ${shapeToString(x._shape)}, but the ${of} has shape ${shapeToString(l._shape)}.`);
    }
    return x._dtype === l._dtype ? x : astype(x, l._dtype);
  });
}

/**
 * `mx.vjp(fn, primals, cotangents)`: calls fn(...primals) and returns `[outputs, vjps]`, the
 * vector-Jacobian products of the cotangents (one per output) with respect to each primal.
 */
export function vjp(fn: (...args: MxArray[]) => MxArray | MxArray[], primals: MxArray[], cotangents: MxArray[]): [MxArray[], MxArray[]] {
  if (typeof fn !== 'function') throw new TypeError(`[vjp] fn must be a function, got ${typeName(fn)}.`);
  const ps = checkArrays(primals, 'primals', 'vjp');
  const cs = checkArrays(cotangents, 'cotangents', 'vjp');
  return withTracing(() => {
    const { traced, leaves } = traceAll(ps);
    const outs = resultArrays(fn(...traced), 'vjp');
    const cts = checkLike(cs, outs, 'cotangents', 'output', 'vjp');
    const grads = backprop(outs, cts, leaves);
    return [outs, grads.map((g, i) => g ?? zerosLike(ps[i]!))];
  });
}

/**
 * `mx.jvp(fn, primals, tangents)`: calls fn(...primals) and returns `[outputs, jvps]`, the
 * Jacobian-vector products of the tangents (one per primal), one per output.
 */
export function jvp(fn: (...args: MxArray[]) => MxArray | MxArray[], primals: MxArray[], tangents: MxArray[]): [MxArray[], MxArray[]] {
  if (typeof fn !== 'function') throw new TypeError(`[jvp] fn must be a function, got ${typeName(fn)}.`);
  const ps = checkArrays(primals, 'primals', 'jvp');
  const ts = checkLike(checkArrays(tangents, 'tangents', 'jvp'), ps, 'tangents', 'primal', 'jvp');
  return withTracing(() => {
    const { traced, leaves } = traceAll(ps);
    const outs = resultArrays(fn(...traced), 'jvp');
    const res = pushforward(outs, ts, leaves);
    return [outs, res.map((t, i) => t ?? zerosLike(outs[i]!))];
  });
}

function normalizeArgnums(argnums: number | number[] | undefined, op: string): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : argnums;
  if (!Array.isArray(list) || list.some((a) => typeof a !== 'number' || !Number.isInteger(a))) {
    throw new TypeError(`[${op}] argnums must be an integer or an Array of integers, got ${String(argnums)}.`);
  }
  if (!list.length) throw new Error(`[${op}] Gradient wrt no argument requested (argnums is empty).`);
  const sorted = [...list].sort((a, b) => a - b);
  if (sorted[0]! < 0) throw new Error(`[${op}] Can't compute the gradient of negative argument index ${sorted[0]}.`);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`[${op}] Duplicate argument index ${sorted[i]} is not allowed.`);
  }
  return sorted;
}

/** The shared body of grad and valueAndGrad: returns [the function's result, gradients]. */
function valueAndGradImpl(fn: Fn, argnumsIn: number | number[] | undefined, op: string, scalarOnly: boolean) {
  if (typeof fn !== 'function') throw new TypeError(`[${op}] fn must be a function, got ${typeName(fn)}.`);
  const argnums = normalizeArgnums(argnumsIn, op);
  return (...args: unknown[]): [unknown, unknown] => {
    const last = argnums[argnums.length - 1];
    if (last !== undefined && last >= args.length) {
      throw new Error(
        `[${op}] Can't compute the gradient of argument index ${last} because the function is called with only ${args.length} positional arguments.`,
      );
    }
    const groups = argnums.map((i) => {
      const leaves = treeFlatten(args[i]);
      if (!leaves.length) {
        throw new TypeError(`[${op}] Argument ${i} is differentiated, so it must be an mx array or a tree of them, got ${typeName(args[i])}.`);
      }
      return leaves.map((a) => a._check());
    });
    return withTracing(() => {
      const primals = groups.flat();
      const { traced, leaves } = traceAll(primals);
      // The gradients take the arguments' structure as it is now (fn may change its arguments).
      const templates = argnums.map((ai, g) => treeUnflatten(args[ai], groups[g]!));
      const callArgs = [...args];
      const swapped: { restore(): void }[] = [];
      let k = 0;
      argnums.forEach((ai, g) => {
        const sw = treeSwapIn(args[ai], traced.slice(k, k + groups[g]!.length));
        callArgs[ai] = sw.value;
        swapped.push(sw);
        k += groups[g]!.length;
      });
      let result: unknown;
      try {
        result = fn(...callArgs);
      } finally {
        for (const sw of swapped) sw.restore();
      }
      let loss: unknown = result;
      if (!scalarOnly && Array.isArray(result)) {
        if (!result.length) {
          throw new TypeError(`[${op}] The function returned an empty Array; it must return a scalar array or an Array whose first element is one.`);
        }
        loss = result[0];
      }
      if (!(loss instanceof MxArray)) {
        throw new TypeError(
          `[${op}] The return value of the function whose gradient we want to compute should be a scalar array${scalarOnly ? '' : ' (or an Array whose first element is one)'}; but ${typeName(loss)} was returned.`,
        );
      }
      if (loss._shape.length !== 0) {
        throw new Error(`[${op}] The function must return a scalar (0-d) array to be differentiated, got shape ${shapeToString(loss._shape)}.`);
      }
      const grads = backprop([loss], [onesLike(loss)], leaves);
      const flat = grads.map((g, i) => g ?? zerosLike(primals[i]!));
      let j = 0;
      // Non-array leaves of a differentiated argument have no gradient: null in its place.
      const trees = templates.map((t, g) => {
        const r = treeUnflatten(t, flat.slice(j, j + groups[g]!.length), { i: 0 }, () => null);
        j += groups[g]!.length;
        return r;
      });
      return [result, argnums.length === 1 ? trees[0] : trees];
    });
  };
}

/**
 * `mx.valueAndGrad(fn, argnums = 0)`: a function returning `[fn(...args), grads]`. fn returns a
 * scalar array, or an Array `[loss, ...aux]` whose first element is differentiated. grads has
 * the tree structure of the differentiated argument (a list of them for several argnums).
 */
export function valueAndGrad<T extends any[], U>(fn: (...args: T) => U, argnums?: number | number[]): (...args: T) => [U, any] {
  return valueAndGradImpl(fn, argnums, 'value_and_grad', false) as (...args: T) => [U, any];
}

/** `mx.grad(fn, argnums = 0)`: a function returning the gradient of fn's scalar result. */
export function grad<T extends any[], U>(fn: (...args: T) => U, argnums?: number | number[]): (...args: T) => any {
  const vg = valueAndGradImpl(fn, argnums, 'grad', true);
  return (...args: T) => vg(...args)[1];
}
