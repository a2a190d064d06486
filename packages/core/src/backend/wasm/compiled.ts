// Compiled (a chain of elementwise steps fused by mx.compile) in WASM: the chain runs tile by
// tile (TILE elements), every step on the tile with the kernel call its primitive's adapter
// makes when unfused (elementwise.ts, convert.ts, select.ts: the same per-element kernels, so
// results equal the unfused WASM execution bit for bit), intermediates in scratch tiles that
// stay in cache through the chain, and only the node's outputs written to memory.
//
// Inputs: contiguous ones are read in place, one scalar (all strides 0) goes to the
// scalar-broadcast kernel modes, any other layout is gathered one tile at a time into scratch
// (kernels' gather_tile). Chains of plain unary / binary steps with no gathered input run as
// one WASM call (kernels' fused_run, split across threads when large and every step is
// native); the rest is driven tile by tile from JS through the steps' adapters. Returns false
// (the reference Compiled kernel then runs the steps) when a step has no WASM adapter, or its
// adapter declines (op, dtypes); a decline is the same for every tile and every thread's range.
import { shapeSize } from '../../shape.js';
import { bool, float32, float64, int8, int16, int32, uint8, uint16, uint32, type Dtype } from '../../dtype.js';
import { binaryFns, unaryFns } from '../reference/elementwise.js';
import type { ArrayData, Storage } from '../interface.js';
import type { CompiledParams } from '../../primitives/compiled.js';
import { ELEMENTWISE_GRAIN, IMPORTED_OPS_FROM } from './elementwise.js';
import { chunkCount, parallel, splitRange } from './threads.js';
import { registerWasmKernel, wasmKernels, mergeDims, fitsI32, isContiguous1d, isScalarLayout, MAX_COUNT, type WasmContext, type WasmStorage } from './registry.js';

/** Runs per path since start: the whole chain in WASM (`program`, `threaded` when split), or tiles driven from JS. */
export const compiledPaths = { program: 0, threaded: 0, js: 0 };

/** Elements per tile: a multiple of every SIMD width, 16-32 KiB per f32 / f64 buffer. */
export const TILE = 4096;

/** A storage stand-in for a scratch block: the adapters read only `ptr` (addressOf). */
function scratchStorage(ptr: number, byteLength: number, backend: Storage['backend']): WasmStorage {
  return { backend, byteLength, refs: 0, released: false, ptr, blockSize: 0, freed: false };
}

type Source =
  | { kind: 'contiguous'; d: ArrayData }
  | { kind: 'scalar'; d: ArrayData }
  | { kind: 'gather'; d: ArrayData; shape: number[]; strides: number[]; buffer: WasmStorage };

export function runCompiled(ctx: WasmContext, p: CompiledParams, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): boolean {
  const n = shapeSize([...p.shape]);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const nValues = p.nInputs + p.steps.length;
  // every step needs a WASM adapter; outputs must be distinct step values, written contiguously
  for (const st of p.steps) if (!wasmKernels.has(st.prim.name)) return false;
  const outputOf = new Map<number, ArrayData>();
  for (let k = 0; k < p.outputs.length; k++) {
    const v = p.outputs[k]!;
    const o = outputs[k]!;
    const m = mergeDims([...p.shape], [o.strides]);
    if (v < p.nInputs || outputOf.has(v) || !(isContiguous1d(m.strides[0]!) || n === 1)) return false;
    outputOf.set(v, o);
  }
  const backend = outputs[0]!.storage.backend;
  const heap = ctx.heap;
  const blocks: { ptr: number; size: number }[] = [];
  const scratch = (bytes: number): WasmStorage => {
    const b = heap.alloc(bytes);
    blocks.push(b);
    return scratchStorage(b.ptr, bytes, backend);
  };
  try {
    const sources: Source[] = inputs.map((d) => {
      if (d.shape.length !== p.shape.length || d.shape.some((s, i) => s !== p.shape[i])) throw new Declined();
      const m = mergeDims(d.shape, [d.strides]);
      const s = m.strides[0]!;
      if (isContiguous1d(s)) return { kind: 'contiguous', d };
      if (isScalarLayout(s)) return { kind: 'scalar', d };
      if (m.shape.length > ctx.maxDims || !fitsI32(s) || ![1, 2, 4, 8].includes(d.dtype.size)) throw new Declined();
      return { kind: 'gather', d, shape: m.shape, strides: s, buffer: scratch(TILE * d.dtype.size) };
    });
    // intermediates: one scratch tile (slot) per live value, reused once its last reader has run
    const lastUse = new Array<number>(nValues).fill(-1);
    p.steps.forEach((st, i) => st.inputs.forEach((v) => (lastUse[v] = i)));
    const freeSlots: number[] = [];
    const slotOf: number[] = p.steps.map(() => -1);
    let nSlots = 0;
    p.steps.forEach((st, i) => {
      const v = p.nInputs + i;
      if (!outputOf.has(v)) slotOf[i] = freeSlots.pop() ?? nSlots++;
      // values whose last reader is this step can hold later steps' results (taken after this
      // step's own slot, so no step writes over its inputs)
      for (const u of new Set(st.inputs)) {
        if (lastUse[u] === i && u >= p.nInputs && slotOf[u - p.nInputs]! >= 0) freeSlots.push(slotOf[u - p.nInputs]!);
      }
    });
    const desc = (shape: number[], strides: number[]) => {
      const dsc = ctx.desc();
      dsc[0] = shape.length;
      dsc.set(shape, 1);
      dsc.set(strides, 1 + shape.length);
    };
    const direct = p.steps.map((st) => directStep(ctx, st.prim.name, st.inputs.map((u) => (u < p.nInputs ? inputs[u]!.dtype : p.steps[u - p.nInputs]!.dtype)), st.dtype));
    const viaProgram = runProgram(ctx, p, n, sources, direct, outputOf, slotOf, nSlots, (bytes) => scratch(bytes).ptr);
    if (viaProgram !== null) return viaProgram;
    compiledPaths.js++;
    // otherwise JS drives the tiles (gathered inputs, Select / AsType steps, all-scalar operands)
    const slotBuffers = Array.from({ length: nSlots }, () => scratch(TILE * 8));
    const slots: Slot[] = new Array(nValues);
    for (let start = 0; start < n; start += TILE) {
      const count = Math.min(TILE, n - start);
      for (let j = 0; j < p.nInputs; j++) {
        const src = sources[j]!;
        const d = src.d;
        const base = (d.storage as WasmStorage).ptr + d.offset * d.dtype.size;
        if (src.kind === 'contiguous') slots[j] = { ptr: base + start * d.dtype.size, scalar: false, dtype: d.dtype };
        else if (src.kind === 'scalar') slots[j] = { ptr: base, scalar: true, dtype: d.dtype };
        else {
          desc(src.shape, src.strides);
          if (!ctx.k.gather_tile!(d.dtype.size, base, start, count, src.buffer.ptr)) return false;
          slots[j] = { ptr: src.buffer.ptr, scalar: false, dtype: d.dtype };
        }
      }
      for (let i = 0; i < p.steps.length; i++) {
        const st = p.steps[i]!;
        const v = p.nInputs + i;
        const o = outputOf.get(v);
        const out: Slot = { ptr: o ? (o.storage as WasmStorage).ptr + (o.offset + start) * st.dtype.size : slotBuffers[slotOf[i]!]!.ptr, scalar: false, dtype: st.dtype };
        const args = st.inputs.map((u) => slots[u]!);
        const d = direct[i];
        let ok: boolean;
        if (d && !args.every((a) => a.scalar)) ok = runDirect(d, args, out, count);
        else {
          // any other step (Select, AsType, all-scalar operands...): its adapter on tile views
          const view = (sl: Slot): ArrayData => ({ storage: scratchStorage(sl.ptr, 0, backend), dtype: sl.dtype, shape: [count], strides: [sl.scalar ? 0 : 1], offset: 0 });
          ok = wasmKernels.get(st.prim.name)!(ctx, st.prim, args.map(view), [view(out)]);
        }
        if (!ok) return false;
        slots[v] = out;
      }
    }
    return true;
  } catch (e) {
    if (e instanceof Declined) return false;
    throw e;
  } finally {
    for (const b of blocks) heap.free(b.ptr, b.size);
  }
}

class Declined extends Error {}

/** A value's tile: byte address of its first element; `scalar`: one element for the whole tile. */
interface Slot {
  ptr: number;
  scalar: boolean;
  dtype: Dtype;
}

type Suffix = 'f32' | 'f64' | 'i32' | 'i8' | 'u8' | 'i16' | 'u16' | 'u32';
const suffixes = new Map<Dtype, Suffix>([
  [float32, 'f32'], [float64, 'f64'], [int32, 'i32'], [int8, 'i8'], [uint8, 'u8'], [int16, 'i16'], [uint16, 'u16'], [uint32, 'u32'], [bool, 'u8'],
]);
const identityOnReal = new Set(['StopGradient', 'Conjugate', 'Real']);

interface DirectStep {
  /** 0 unary, 1 predicate, 2 binary, 3 compare (fused.ts's program families). */
  family: number;
  sfx: Suffix;
  op: number;
  /** The kernel export: unary_f32, compare_i8... */
  fn: (...args: number[]) => number;
  /** Computes without JS imports, so it may run on worker threads. */
  native: boolean;
}

/**
 * For a unary or binary elementwise step, the kernel call its adapter (elementwise.ts) makes
 * on contiguous / scalar-broadcast operands, with the same dtype rules; null for anything else
 * (the adapter itself then runs on tile views).
 */
function directStep(ctx: WasmContext, name: string, ins: readonly Dtype[], outD: Dtype): DirectStep | null {
  if (identityOnReal.has(name)) return null;
  const sfx = suffixes.get(ins[0]!);
  if (!sfx) return null;
  if (ins.length === 2 && binaryFns.has(name)) {
    if (ins[1] !== ins[0]) return null;
    const compare = outD === bool;
    if (!compare && (outD !== ins[0] || ins[0] === bool)) return null;
    const op = ctx.code(`BINARY_${name}`);
    const fn = compare ? ctx.k[`compare_${sfx}`] : ctx.k[`binary_${sfx}`];
    if (op === undefined || !fn) return null;
    return { family: compare ? 3 : 2, sfx, op, fn, native: op < IMPORTED_OPS_FROM };
  }
  if (ins.length === 1 && unaryFns.has(name)) {
    const predicate = outD === bool;
    if (!predicate && (outD !== ins[0] || ins[0] === bool)) return null;
    const op = ctx.code(`UNARY_${name}`);
    const fn = predicate ? ctx.k[`predicate_${sfx}`] : ctx.k[`unary_${sfx}`];
    if (op === undefined || !fn) return null;
    const native = op < IMPORTED_OPS_FROM || (!predicate && sfx === 'f32' && ctx.k.unary_f32_native?.(op) === 1);
    return { family: predicate ? 1 : 0, sfx, op, fn, native };
  }
  return null;
}

function runDirect(st: DirectStep, args: Slot[], out: Slot, count: number): boolean {
  if (st.family >= 2) {
    const [a, b] = args as [Slot, Slot];
    return st.fn(st.op, a.scalar ? 2 : b.scalar ? 1 : 0, a.ptr, b.ptr, out.ptr, count) !== 0;
  }
  return st.fn(st.op, 0, args[0]!.ptr, out.ptr, count) !== 0;
}

const SFX_CODES: Record<Suffix, number> = { f32: 0, f64: 1, i32: 2, i8: 3, u8: 4, i16: 5, u16: 6, u32: 7 };

/**
 * The whole chain in WASM (kernels' fused_run), split into element ranges across threads when
 * large and every step is native: possible when every step is a direct elementwise call with
 * at least one tile-varying operand and no input needs gathering. Returns null when it isn't.
 */
function runProgram(ctx: WasmContext, p: CompiledParams, n: number, sources: readonly Source[], direct: readonly (DirectStep | null)[],
  outputOf: ReadonlyMap<number, ArrayData>, slotOf: readonly number[], nSlots: number, alloc: (bytes: number) => number): boolean | null {
  if (!ctx.k.fused_run || sources.some((s) => s.kind === 'gather')) return null;
  const scalarValue = (u: number) => u < p.nInputs && sources[u]!.kind === 'scalar';
  if (direct.some((d, i) => !d || p.steps[i]!.inputs.every(scalarValue))) return null;
  const nValues = p.nInputs + p.steps.length;
  const words = 3 + 3 * nValues + 6 * p.steps.length;
  const prog = alloc(words * 4);
  const w = new Int32Array(ctx.heap.memory.buffer, prog, words);
  w[0] = nValues;
  w[1] = p.steps.length;
  w[2] = TILE;
  sources.forEach((src, j) => {
    const d = src.d;
    w.set([(d.storage as WasmStorage).ptr + d.offset * d.dtype.size, d.dtype.size, src.kind === 'scalar' ? 1 : 0], 3 + 3 * j);
  });
  p.steps.forEach((st, i) => {
    const v = p.nInputs + i;
    const o = outputOf.get(v);
    w.set(o ? [(o.storage as WasmStorage).ptr + o.offset * st.dtype.size, st.dtype.size, 3] : [slotOf[i]!, st.dtype.size, 2], 3 + 3 * v);
    const d = direct[i]!;
    w.set([d.family, SFX_CODES[d.sfx], d.op, st.inputs[0]!, st.inputs[1] ?? -1, v], 3 + 3 * nValues + 6 * i);
  });
  const parts = direct.every((d) => d!.native) ? chunkCount(ctx, n, ELEMENTWISE_GRAIN) : 1;
  const chunks = splitRange(n, parts, TILE).map(([s, e]) => [prog, s, e, alloc(Math.max(1, nSlots) * TILE * 8)]);
  compiledPaths.program++;
  if (chunks.length > 1) compiledPaths.threaded++;
  return parallel(ctx, 'fused_run', chunks) !== 0 && chunks.length > 0;
}

registerWasmKernel('Compiled', (ctx, prim, inputs, outputs) => runCompiled(ctx, prim.params as CompiledParams, inputs, outputs));
