// Functions with their own transform rules (MLX's mx.custom_function) and mx.checkpoint, which
// is a custom function whose vjp recomputes the forward pass instead of keeping it.
import { MxArray, makeArrays } from '../array.js';
import { Primitive } from '../primitive.js';
import { CustomTransforms, customHooks, type CustomRules } from '../primitives/transforms.js';
import { vjpOf, jvpOf } from './autodiff.js';
import { zerosLike as zerosFor } from '../ops/creation.js';
import { vmap as vmapTransform } from './vmap.js';
import { treeFlatten, treeUnflatten, typeName } from './tree.js';
import { userCode } from '../ownership.js';

type Params = { nArgs: number; nOut: number; rules: CustomRules; name: string };

// The hooks run the user's rules (or fn again) from inside a transform's walk: what they make
// is the user's, never internal, since the user's code may keep it.
customHooks.vjp = (p, primals, cotangents, argnums, outputs) => userCode(() => {
  const args = primals.slice(0, p.nArgs);
  const wanted = argnums.filter((i) => i < p.nArgs);
  let grads: MxArray[];
  if (p.rules.vjp) {
    grads = p.rules.vjp(args, cotangents, outputs);
    if (!Array.isArray(grads) || grads.length !== p.nArgs) {
      throw new Error(`[${p.name}] The custom vjp must return one cotangent per primal (${p.nArgs}), got ${Array.isArray(grads) ? grads.length : typeName(grads)}.`);
    }
  } else {
    // Recompute the forward pass (checkpointing) and differentiate through it.
    grads = vjpOf(p.rules.fn, args, cotangents).map((x, i) => x ?? zerosFor(args[i]!));
  }
  // The wrapped function's own outputs (the trailing inputs) get no cotangent: the rule above
  // already accounts for everything that flows through them.
  return argnums.map((i) => (i < p.nArgs && wanted.includes(i) ? grads[i]! : null));
});

customHooks.jvp = (p, primals, tangents, argnums) => userCode(() => {
  const args = primals.slice(0, p.nArgs);
  const keep = argnums.map((a, j) => [a, j] as const).filter(([a]) => a < p.nArgs);
  if (p.rules.jvp) {
    const r = p.rules.jvp(args, keep.map(([, j]) => tangents[j]!), keep.map(([a]) => a));
    if (!Array.isArray(r) || r.length !== p.nOut) {
      throw new Error(`[${p.name}] The custom jvp must return one tangent per output (${p.nOut}), got ${Array.isArray(r) ? r.length : typeName(r)}.`);
    }
    return r;
  }
  const full: (MxArray | null)[] = args.map(() => null);
  for (const [a, j] of keep) full[a] = tangents[j]!;
  return jvpOf(p.rules.fn, args, full);
});

customHooks.vmap = (p, inputs, axes) => userCode(() => {
  const args = inputs.slice(0, p.nArgs);
  const argAxes = axes.slice(0, p.nArgs);
  if (p.rules.vmap) return p.rules.vmap(args, argAxes);
  const f = vmapTransform((...xs: MxArray[]) => p.rules.fn(xs), argAxes.map((a) => (a < 0 ? null : a)), 0);
  const outs = f(...args) as MxArray[];
  return [outs, outs.map(() => 0)];
});


/** Applies the custom primitive: outputs alias fn's outputs, rules come from `rules`. */
function applyCustom(name: string, rules: CustomRules, args: MxArray[], wrap: (xs: MxArray[]) => MxArray[]): MxArray[] {
  const outs = wrap(args);
  return makeArrays(
    outs.map((o) => [...o._shape]),
    outs.map((o) => o._dtype),
    new Primitive(CustomTransforms, { nArgs: args.length, nOut: outs.length, rules, name } satisfies Params),
    [...args, ...outs],
  );
}

/**
 * A tree-in, tree-out function seen as flat arrays: `run(xs)` calls fn with the arguments'
 * arrays replaced by xs and returns its result's arrays; `structure()` is the last result.
 */
function treeCall(op: string, fn: (...args: any[]) => unknown, args: unknown[]) {
  const flatArgs = treeFlatten(args).map((a) => a._check());
  let outTree: unknown;
  const run = (xs: MxArray[]): MxArray[] => {
    outTree = fn(...(treeUnflatten(args, xs) as unknown[]));
    const outs = treeFlatten(outTree);
    if (!outs.length) throw new TypeError(`[${op}] The function must return an mx array or a tree of them, but returned ${typeName(outTree)}.`);
    return outs;
  };
  return { flatArgs, run, structure: () => outTree };
}

export interface CustomFunction<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Sets the vjp: `(primals, cotangents, outputs) => cotangents of the primals`. Returns the function. */
  vjp(rule: (primals: any[], cotangents: any, outputs: any) => any): CustomFunction<F>;
  /** Sets the jvp: `(primals, tangents) => tangents of the outputs`. Returns the function. */
  jvp(rule: (primals: any[], tangents: any[]) => any): CustomFunction<F>;
  /** Sets the batching rule: `(inputs, axes) => [outputs, outAxes]`. Returns the function. */
  vmap(rule: (inputs: any[], axes: (number | null)[]) => [any, any]): CustomFunction<F>;
}

/**
 * `mx.customFunction(fn)`: fn with its own vjp / jvp / vmap (MLX's mx.custom_function). Set a
 * rule with `f.vjp((primals, cotangents, outputs) => grads)`, `f.jvp((primals, tangents) =>
 * outTangents)`, `f.vmap((inputs, axes) => [outputs, outAxes])`; transforms without a rule go
 * through fn itself. Arguments and results may be trees of arrays; the rules see
 * `primals` as the list of arguments and cotangents / outputs with the structure of fn's result.
 */
export function customFunction<F extends (...args: any[]) => any>(fn: F): CustomFunction<F> {
  if (typeof fn !== 'function') throw new TypeError(`[custom_function] fn must be a function, got ${typeName(fn)}.`);
  const user: { vjp?: Function; jvp?: Function; vmap?: Function } = {};
  const call = (...args: unknown[]): unknown => {
    const { flatArgs, run, structure } = treeCall('custom_function', fn, args);
    const rules: CustomRules = { fn: run };
    if (user.vjp) {
      rules.vjp = (primals, cotangents, outputs) => {
        const r = user.vjp!(treeUnflatten(args, primals), treeUnflatten(structure(), cotangents), treeUnflatten(structure(), outputs));
        return treeFlatten(r);
      };
    }
    if (user.jvp) {
      rules.jvp = (primals, tangents, argnums) => {
        const all = primals.map((p, i) => tangents[argnums.indexOf(i)] ?? zerosFor(p));
        return treeFlatten(user.jvp!(treeUnflatten(args, primals), treeUnflatten(args, all)));
      };
    }
    if (user.vmap) {
      rules.vmap = (inputs, axes) => {
        const [o, ax] = user.vmap!(treeUnflatten(args, inputs), axes.map((a) => (a < 0 ? null : a)));
        const outs = treeFlatten(o);
        const flatAx: number[] = typeof ax === 'number' ? outs.map(() => ax) : (ax as unknown[]).flat(Infinity).map((a) => (a === null ? -1 : (a as number)));
        return [outs, flatAx];
      };
    }
    const outs = applyCustom('custom_function', rules, flatArgs, run);
    return treeUnflatten(structure(), outs);
  };
  const f = call as unknown as CustomFunction<F>;
  f.vjp = (rule) => ((user.vjp = rule), f);
  f.jvp = (rule) => ((user.jvp = rule), f);
  f.vmap = (rule) => ((user.vmap = rule), f);
  return f;
}

/**
 * `mx.checkpoint(fn)`: fn whose intermediates are not kept for the backward pass; the vjp
 * calls fn again (MLX's checkpoint: memory for compute). Evaluated arguments are detached
 * for the forward call, so its graph is dropped as soon as it is evaluated.
 */
export function checkpoint<T extends any[], U>(fn: (...args: T) => U): (...args: T) => U {
  if (typeof fn !== 'function') throw new TypeError(`[checkpoint] fn must be a function, got ${typeName(fn)}.`);
  return ((...args: unknown[]) => {
    const { flatArgs, run, structure } = treeCall('checkpoint', fn, args);
    const detached = (xs: MxArray[]) => run(xs.map((x) => (x._data ? MxArray._fromStorage(x._shape, x._dtype, x._data.storage, x._data.strides, x._data.offset) : x)));
    const outs = applyCustom('checkpoint', { fn: run }, flatArgs, detached);
    return treeUnflatten(structure(), outs);
  }) as (...args: T) => U;
}
