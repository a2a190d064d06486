// Primitives that the transforms themselves put in graphs.
import { definePrimitive } from '../primitive.js';
import type { MxArray } from '../array.js';

// Placeholders stand for inputs whose values don't exist while a transform traces: their
// input is the real array, evaluating them (item(), tolist(), mx.eval inside the traced
// function) fails with MLX's message.
const refuseEval = (): never => {
  throw new Error('[eval] Attempting to eval an array during function transformations like compile or vmap is not allowed.');
};

/** vmap's stand-in for one example of a batched input (its shape lacks the batch axis). */
export const VmapInput = definePrimitive<{ axis: number }>({
  name: 'VmapInput',
  view: refuseEval,
  outputShapes: (p, [x]) => [x!.filter((_, d) => d !== p.axis)],
  describe: (p) => `axis=${p.axis}`,
});

/** compile's stand-in for an input while the function is traced. */
export const CompileInput = definePrimitive<{ index: number }>({
  name: 'CompileInput',
  view: refuseEval,
  describe: (p) => `input ${p.index}`,
});

/** A function with its own transform rules (mx.customFunction, mx.checkpoint). */
export interface CustomRules {
  /** The wrapped function on flat array arguments, returning flat array outputs. */
  fn: (inputs: MxArray[]) => MxArray[];
  vjp?: (primals: MxArray[], cotangents: MxArray[], outputs: MxArray[]) => MxArray[];
  jvp?: (primals: MxArray[], tangents: MxArray[], argnums: number[]) => MxArray[];
  vmap?: (inputs: MxArray[], axes: number[]) => [MxArray[], number[]];
}

/**
 * MLX's CustomTransforms: inputs are [...args, ...outputs of fn(args)], outputs alias the
 * latter (no kernel). The rules are filled in by transforms/custom.ts, which owns the
 * fallbacks (recomputing through the wrapped function) and the user's rules.
 */
export const CustomTransforms = definePrimitive<{ nArgs: number; nOut: number; rules: CustomRules; name: string }>({
  name: 'CustomTransforms',
  aliases: (p) => Array.from({ length: p.nOut }, (_, i) => p.nArgs + i),
  outputShapes: (p, inputs) => inputs.slice(p.nArgs).map((s) => [...s]),
  vjp: (p, primals, cotangents, argnums, outputs) => customHooks.vjp(p, primals, cotangents, argnums, outputs),
  jvp: (p, primals, tangents, argnums) => customHooks.jvp(p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => customHooks.vmap(p, inputs, axes),
  describe: (p) => p.name,
});

type P = { nArgs: number; nOut: number; rules: CustomRules; name: string };
/** @internal installed by transforms/custom.ts (which imports the transforms). */
export const customHooks = {
  vjp: (_p: P, _x: MxArray[], _c: MxArray[], _a: number[], _o: MxArray[]): (MxArray | null)[] => {
    throw new Error('internal: custom transforms not loaded');
  },
  jvp: (_p: P, _x: MxArray[], _t: MxArray[], _a: number[]): MxArray[] => {
    throw new Error('internal: custom transforms not loaded');
  },
  vmap: (_p: P, _x: MxArray[], _a: number[]): [MxArray[], number[]] => {
    throw new Error('internal: custom transforms not loaded');
  },
};
