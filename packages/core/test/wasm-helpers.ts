// Shared by the wasm-*.test.ts files: run counts scaled by MLX_TS_FC_SCALE, and direct
// construction of one primitive node (so a test hits exactly one kernel, in one dtype).
import { makeArray, type MxArray } from '../src/array.js';
import { Primitive, type PrimitiveDef } from '../src/primitive.js';
import type { Dtype } from '../src/dtype.js';
import { broadcastArrays } from '../src/ops/views.js';

const scale = Number(process.env.MLX_TS_FC_SCALE ?? '1');
if (!(scale > 0)) throw new Error(`MLX_TS_FC_SCALE must be a positive number, got ${process.env.MLX_TS_FC_SCALE}`);

/** fast-check runs for a property: `base` at scale 1. */
export const runs = (base: number): number => Math.max(1, Math.round(base * scale));

/** Tallies generated cases per file, printed at the end so the report can count them. */
export const tally = { cases: 0 };

export function applyPrim(def: PrimitiveDef<any>, params: unknown, inputs: MxArray[], outDtype: Dtype, shape?: number[]): MxArray {
  const xs = inputs.length > 1 ? broadcastArrays(inputs) : inputs;
  return makeArray(shape ?? [...xs[0]!._shape], outDtype, new Primitive(def, params as any), xs);
}
