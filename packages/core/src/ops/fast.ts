// mx.fast (MLX's mlx/fast.cpp, node-mlx's names and argument order): validate, promote, and
// return one fused primitive per call (primitives/fast.ts holds the compositions they equal
// and their transform rules). fast.metalKernel (ops/custom-kernel.ts) runs WGSL on the GPU backend.
import { MxArray, makeArray, makeArrays, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { bool, float32, int32, isFloating, isInteger, promoteTypes, resultType, type Dtype } from '../dtype.js';
import { backendFor, stream, toStream, type StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { shapeToString, shapesEqual } from '../shape.js';
import { astype, broadcastTo } from './views.js';
import { zeros } from './creation.js';
import { isStreamObject } from './internal.js';
import {
  RMSNorm,
  LayerNorm,
  RoPE,
  ScaledDotProductAttention,
  CrossEntropy,
  GatedDeltaUpdate,
  rmsNormFallback,
  layerNormFallback,
  ropeFallback,
  sdpaFallback,
  crossEntropyFallback,
  gatedDeltaFallback,
  type RoPEParams,
  type SdpaParams,
} from '../primitives/fast.js';

const shp = (x: MxArray): string => shapeToString(x._shape);

/**
 * MLX's use_fallback: where the stream's backend has no fused kernel for this primitive and
 * dtype (Backend.fuses), the op returns the primitive's composition of ops instead.
 */
export function useFallback(primitive: string, dtype: Dtype, s?: StreamOrDevice): boolean {
  let fuses: ((p: string, d: Dtype) => boolean) | undefined;
  try {
    const b = backendFor(toStream(s).device);
    fuses = b.fuses?.bind(b);
  } catch {
    return false; // no backend for that device: the primitive says so when evaluated
  }
  return fuses ? !fuses(primitive, dtype) : false;
}

/** The fallback's ops on the op's stream (the compositions themselves take no stream). */
function onStream<T>(s: StreamOrDevice | undefined, build: () => T): T {
  if (s === undefined || s === null) return build();
  const scope = stream(s);
  try {
    return build();
  } finally {
    scope[Symbol.dispose]();
  }
}

function checkFloat(v: unknown, op: string, name: string): number {
  if (typeof v !== 'number') throw new TypeError(`[${op}] ${name} must be a number, got ${String(v)}.`);
  return Math.fround(v); // MLX takes these as C++ floats
}

function checkInt(v: unknown, op: string, name: string): number {
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`[${op}] ${name} must be an integer, got ${String(v)}.`);
  return v;
}

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** A 1-D parameter (weight, bias) of the size of x's last axis. */
function checkParam(p: MxArray, x: MxArray, op: string, name: string): void {
  if (p.ndim !== 1) throw new Error(`[${op}] ${name} must have 1 dimension but has ${p.ndim} dimensions.`);
  if (p.size !== x._shape[x.ndim - 1]) {
    throw new Error(`[${op}] ${name} must have the same size as the last dimension of x but has ${p.size} elements.`);
  }
}

function checkNormInput(x: MxArray, op: string): void {
  if (x.ndim === 0) throw new Error(`[${op}] Input must have at least 1 dimension but got input with 0 dimensions.`);
}

function checkOutType(d: Dtype, op: string): void {
  if (!isFloating(d)) throw new TypeError(`[${op}] Received unsupported type ${d.name}.`);
}

/** RMS normalization over the last axis: x / sqrt(mean(x^2) + eps) * weight, computed in float32. */
export function rmsNorm(x: ScalarOrArray, weight: ScalarOrArray | null | undefined, eps: number, s?: StreamOrDevice): MxArray {
  const a = asArray(x, 'x', 'rms_norm');
  const e = checkFloat(eps, 'rms_norm', 'eps');
  checkNormInput(a, 'rms_norm');
  const w = given(weight) ? asArray(weight, 'weight', 'rms_norm') : null;
  if (w) checkParam(w, a, 'rms_norm', 'weight');
  const out = w ? promoteTypes(a._dtype, w._dtype) : a._dtype;
  checkOutType(out, 'rms_norm');
  const inputs = [astype(a, out, s), ...(w ? [astype(w, out, s)] : [])];
  if (useFallback('RMSNorm', out, s)) return onStream(s, () => rmsNormFallback({ eps: e }, inputs)[0]!);
  return makeArray([...a._shape], out, new Primitive(RMSNorm, { eps: e }), inputs, s);
}

/** Layer normalization over the last axis: (x - mean) / sqrt(var + eps) * weight + bias, in float32. */
export function layerNorm(
  x: ScalarOrArray,
  weight: ScalarOrArray | null | undefined,
  bias: ScalarOrArray | null | undefined,
  eps: number,
  s?: StreamOrDevice,
): MxArray {
  const a = asArray(x, 'x', 'layer_norm');
  const e = checkFloat(eps, 'layer_norm', 'eps');
  checkNormInput(a, 'layer_norm');
  const w = given(weight) ? asArray(weight, 'weight', 'layer_norm') : null;
  const b = given(bias) ? asArray(bias, 'bias', 'layer_norm') : null;
  if (w) checkParam(w, a, 'layer_norm', 'weight');
  if (b) checkParam(b, a, 'layer_norm', 'bias');
  // As MLX: a bias alone takes x's dtype.
  const out = w ? resultType(a._dtype, w._dtype, ...(b ? [b._dtype] : [])) : a._dtype;
  checkOutType(out, 'layer_norm');
  const inputs = [a, ...(w ? [w] : []), ...(b ? [b] : [])].map((t) => astype(t, out, s));
  const p = { eps: e, hasWeight: !!w, hasBias: !!b };
  if (useFallback('LayerNorm', out, s)) return onStream(s, () => layerNormFallback(p, inputs)[0]!);
  return makeArray([...a._shape], out, new Primitive(LayerNorm, p), inputs, s);
}

/**
 * Rotary positional encoding of x ([B, *, T, D]): the first `dims` features rotate by angles
 * (offset + t) * scale * freq, freq = base^(-2i/dims) or 1 / freqs[i]. `traditional` rotates
 * consecutive pairs, otherwise the two halves. offset: an integer, or an integer array (0-d or
 * one per batch entry). Exactly one of base and freqs is given.
 */
export function rope(
  x: ScalarOrArray,
  dims: number,
  traditional: boolean,
  base: number | null | undefined,
  scale: number,
  offset: number | bigint | ScalarOrArray,
  freqs?: ScalarOrArray | null | StreamOrDevice,
  s?: StreamOrDevice,
): MxArray {
  if (isStreamObject(freqs)) [freqs, s] = [undefined, freqs];
  const a = asArray(x, 'x', 'rope');
  const d = checkInt(dims, 'rope', 'dims');
  if (typeof traditional !== 'boolean') throw new TypeError(`[rope] traditional must be a boolean, got ${String(traditional)}.`);
  const sc = checkFloat(scale, 'rope', 'scale');
  let off: MxArray;
  if (typeof offset === 'number' || typeof offset === 'bigint') off = new MxArray(checkInt(offset, 'rope', 'offset'), int32);
  else off = asArray(offset, 'offset', 'rope');
  let f: MxArray | null = null;
  if (given(freqs)) {
    if (given(base)) throw new Error('[rope] Only one of base or freqs can have a value.');
    f = astype(asArray(freqs as ScalarOrArray, 'freqs', 'rope'), float32, s);
  } else if (!given(base)) throw new Error('[rope] Neither base nor freqs has a value.');
  const b = f ? 1 : checkFloat(base, 'rope', 'base');
  if (a.ndim < 3) throw new Error(`[rope] Input must have at least 3 dimensions but got input with ${a.ndim} dimensions.`);
  if (!isFloating(a._dtype)) throw new TypeError(`[rope] Input must be a floating type but got ${a._dtype.name}.`);
  if (off.ndim > 1) throw new Error(`[rope] offset must have at most one dimension but has shape ${shp(off)}.`);
  if (off.size !== 1 && off.size !== a._shape[0]) {
    throw new Error(`[rope] offset must be a scalar or vector with ${a._shape[0]} elements but has shape ${shp(off)}.`);
  }
  if (!isInteger(off._dtype)) throw new TypeError(`[rope] offset must be an integer but got type ${off._dtype.name}.`);
  if (off._dtype.size !== 4) off = astype(off, int32, s);
  if (d <= 0) throw new Error(`[rope] dims must be positive but got ${d}.`);
  if (d % 2 !== 0) throw new Error(`[rope] dims must be even but got ${d}.`);
  if (d > a._shape[a.ndim - 1]!) throw new Error(`[rope] dims must not exceed the input's last dimension (${a._shape[a.ndim - 1]}) but got ${d}.`);
  if (f && (f.ndim !== 1 || f._shape[0] !== d / 2)) throw new Error(`[rope] freqs must be one dimensional with size ${d / 2} but got shape ${shp(f)}.`);
  const p: RoPEParams = { dims: d, traditional, base: b, scale: sc, forward: true };
  const inputs = [a, off, ...(f ? [f] : [])];
  if (useFallback('RoPE', a._dtype, s)) return onStream(s, () => ropeFallback(p, inputs)[0]!);
  return makeArray([...a._shape], a._dtype, new Primitive(RoPE, p), inputs, s);
}

/**
 * softmax(scale * q @ k^T + mask) @ v over q [B, Nq, Tq, D], k [B, Nkv, Tk, D], v [B, Nkv, Tk, Dv]
 * (Nq a multiple of Nkv: grouped-query heads share a K/V head). mask: "causal" (lower-right
 * aligned), a bool array (false masks out) or an additive array, broadcastable to
 * [B, Nq, Tq, Tk]. sinks ([Nq]): one extra logit per head that takes part in the softmax only.
 * The softmax computes in float32 (float64 for float64 inputs).
 */
export function scaledDotProductAttention(
  queries: ScalarOrArray,
  keys: ScalarOrArray,
  values: ScalarOrArray,
  scale: number,
  mask?: ScalarOrArray | string | null | StreamOrDevice,
  sinks?: ScalarOrArray | null | StreamOrDevice,
  s?: StreamOrDevice,
): MxArray {
  const op = 'scaled_dot_product_attention';
  if (isStreamObject(mask)) [mask, sinks, s] = [undefined, undefined, mask];
  else if (isStreamObject(sinks)) [sinks, s] = [undefined, sinks];
  const q = asArray(queries, 'queries', op);
  const k = asArray(keys, 'keys', op);
  const v = asArray(values, 'values', op);
  const sc = checkFloat(scale, op, 'scale');
  for (const t of [q, k, v]) {
    if (t.ndim !== 4) throw new Error(`[${op}] input with shape ${shp(t)} expected to be rank 4`);
  }
  let causal = false;
  let m: MxArray | null = null;
  if (typeof mask === 'string') {
    if (mask !== 'causal') throw new Error(`[${op}] invalid mask option '${mask}'. Must be 'causal', or an array.`);
    causal = true;
  } else if (given(mask)) m = asArray(mask, 'mask', op);
  if (m && m.ndim > 4) throw new Error(`[${op}] the mask with shape ${shp(m)} expected to have at most rank 4.`);
  const [B, nq, tq] = q._shape as [number, number, number];
  for (const t of [k, v]) {
    if (t._shape[0] !== B) throw new Error(`[${op}] mismatching batch dimension for input with shape ${shp(t)}.`);
  }
  if (q._shape[3] !== k._shape[3]) {
    throw new Error(`[${op}] query, keys expected to have matching last dimension; found query shape ${shp(q)} for keys shape ${shp(k)}.`);
  }
  const nkv = k._shape[1]!;
  if (nkv !== v._shape[1]) {
    throw new Error(`[${op}] keys, values expected to have matching n_kv_heads; found keys with n_heads ${nkv} for values with n_heads ${v._shape[1]}.`);
  }
  if (nkv === 0 ? nq !== 0 : nq % nkv !== 0) {
    throw new Error(`[${op}] n_heads must be a multiple of n_kv_heads, found n_heads ${nq} for n_kv_heads ${nkv}.`);
  }
  // MLX's message here comes from its matmul; the check is the same.
  if (k._shape[2] !== v._shape[2]) throw new Error(`[${op}] keys, values expected to have matching sequence length; found keys shape ${shp(k)} for values shape ${shp(v)}.`);
  const d = resultType(q._dtype, k._dtype, v._dtype);
  if (!isFloating(d)) throw new TypeError(`[${op}] Received unsupported type ${d.name}.`);
  const inputs = [q, k, v].map((t) => astype(t, d, s));
  if (m) {
    if (promoteTypes(m._dtype, d) !== d) throw new TypeError(`[${op}] Mask type must promote to output type ${d.name}.`);
    if (m._dtype !== bool) m = astype(m, d, s);
    inputs.push(broadcastTo(m, [B, nq, tq, k._shape[2]!], s));
  }
  if (given(sinks)) {
    const sk = asArray(sinks as ScalarOrArray, 'sinks', op);
    if (promoteTypes(sk._dtype, d) !== d) throw new TypeError(`[${op}] Type of sinks must promote to output type ${d.name}.`);
    if (sk.ndim !== 1 || sk._shape[0] !== nq) throw new Error(`[${op}] Received invalid shape for sinks ${shp(sk)}.`);
    inputs.push(astype(sk, d, s));
  }
  const p: SdpaParams = { scale: sc, causal, hasMask: !!m, hasSinks: given(sinks) };
  if (useFallback('ScaledDotProductAttention', d, s)) return onStream(s, () => sdpaFallback(p, inputs)[0]!);
  return makeArray([B, nq, tq, v._shape[3]!], d, new Primitive(ScaledDotProductAttention, p), inputs, s);
}

/**
 * logsumexp(logits, -1) - logits[..., targets] as float32, with targets integer class indices
 * of logits' shape less its last axis. Computed in the logits' dtype (MLX's CPU).
 */
export function crossEntropy(logits: ScalarOrArray, targets: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const op = 'cross_entropy';
  const x = asArray(logits, 'logits', op);
  const y = asArray(targets, 'targets', op);
  if (x.ndim < 1) throw new Error(`[${op}] logits must have at least 1 dimension but got input with 0 dimensions.`);
  const expected = x._shape.slice(0, -1);
  if (!shapesEqual(y._shape, expected)) {
    throw new Error(`[${op}] targets shape ${shp(y)} does not match logits shape ${shp(x)} with the last axis removed.`);
  }
  if (!isFloating(x._dtype)) throw new TypeError(`[${op}] Received unsupported logits type ${x._dtype.name}.`);
  if (!isInteger(y._dtype)) throw new TypeError(`[${op}] targets must be integer class indices but got ${y._dtype.name}.`);
  const inputs = [x, astype(y, int32, s)];
  if (useFallback('CrossEntropy', x._dtype, s)) return onStream(s, () => crossEntropyFallback({}, inputs)[0]!);
  return makeArray(expected, float32, new Primitive(CrossEntropy, {}), inputs, s);
}

/**
 * The gated delta rule over T steps: state = gate * state; state += k ⊗ beta * (v - state k);
 * out = state q. q, k [B, T, Hk, Dk]; v [B, T, Hv, Dv] (Hv a multiple of Hk); gates [B, T, Hv]
 * or [B, T, Hv, Dk]; beta [B, T, Hv]; initialState [B, Hv, Dv, Dk] (zeros by default); mask
 * [B, T] (false steps keep the state and output 0). Returns [out [B, T, Hv, Dv], final state].
 */
export function gatedDeltaUpdate(
  q: ScalarOrArray,
  k: ScalarOrArray,
  v: ScalarOrArray,
  gates: ScalarOrArray,
  beta: ScalarOrArray,
  initialState?: ScalarOrArray | null | StreamOrDevice,
  mask?: ScalarOrArray | null | StreamOrDevice,
  s?: StreamOrDevice,
): [MxArray, MxArray] {
  const op = 'gated_delta_update';
  if (isStreamObject(initialState)) [initialState, mask, s] = [undefined, undefined, initialState];
  else if (isStreamObject(mask)) [mask, s] = [undefined, mask];
  const [qa, ka, va, ga, ba] = [q, k, v, gates, beta].map((t, i) => asArray(t, ['q', 'k', 'v', 'gates', 'beta'][i], op)) as MxArray[];
  for (const [t, name] of [[qa, 'q'], [ka, 'k'], [va, 'v']] as const) {
    if (t!.ndim !== 4) throw new Error(`[${op}] ${name} must have shape [B, T, H, D] but has shape ${shp(t!)}.`);
  }
  const [B, T, Hk, Dk] = qa!._shape as [number, number, number, number];
  if (!shapesEqual(ka!._shape, qa!._shape)) throw new Error(`[${op}] q and k must have the same shape but have shapes ${shp(qa!)} and ${shp(ka!)}.`);
  const [, , Hv, Dv] = va!._shape as [number, number, number, number];
  if (va!._shape[0] !== B || va!._shape[1] !== T) throw new Error(`[${op}] v with shape ${shp(va!)} must share q's [B, T] = [${B}, ${T}].`);
  if (Hk === 0 || Hv < Hk || Hv % Hk !== 0) throw new Error(`[${op}] v's heads (${Hv}) must be a multiple of q's heads (${Hk}).`);
  if (T === 0) throw new Error(`[${op}] Needs at least one time step (MLX's fallback stacks none).`);
  const gOk = shapesEqual(ga!._shape, [B, T, Hv]) || shapesEqual(ga!._shape, [B, T, Hv, Dk]);
  if (!gOk) throw new Error(`[${op}] gates must have shape [${B}, ${T}, ${Hv}] or [${B}, ${T}, ${Hv}, ${Dk}] but has shape ${shp(ga!)}.`);
  if (!shapesEqual(ba!._shape, [B, T, Hv])) throw new Error(`[${op}] beta must have shape [${B}, ${T}, ${Hv}] but has shape ${shp(ba!)}.`);
  const pq = promoteTypes(qa!._dtype, ka!._dtype);
  const out = isFloating(pq) ? pq : promoteTypes(pq, float32);
  if (!isFloating(out)) throw new TypeError(`[${op}] Received unsupported type ${out.name}.`);
  const inputs = [qa, ka, va, ga, ba].map((t) => astype(t!, out, s));
  let h0: MxArray;
  if (given(initialState)) {
    h0 = asArray(initialState as ScalarOrArray, 'initialState', op);
    if (!shapesEqual(h0._shape, [B, Hv, Dv, Dk])) throw new Error(`[${op}] initialState must have shape [${B}, ${Hv}, ${Dv}, ${Dk}] but has shape ${shp(h0)}.`);
    h0 = astype(h0, float32, s);
  } else h0 = zeros([B, Hv, Dv, Dk], float32, s);
  inputs.push(h0);
  if (given(mask)) {
    const m = asArray(mask as ScalarOrArray, 'mask', op);
    if (!shapesEqual(m._shape, [B, T])) throw new Error(`[${op}] mask must have shape [${B}, ${T}] but has shape ${shp(m)}.`);
    inputs.push(astype(m, bool, s));
  }
  if (useFallback('GatedDeltaUpdate', out, s)) return onStream(s, () => gatedDeltaFallback({ hasMask: given(mask) }, inputs) as [MxArray, MxArray]);
  const [o, state] = makeArrays(
    [
      [B, T, Hv, Dv],
      [B, Hv, Dv, Dk],
    ],
    [out, promoteTypes(float32, out)],
    new Primitive(GatedDeltaUpdate, { hasMask: given(mask) }),
    inputs,
    s,
  );
  return [o!, state!];
}

export { metalKernel, type MetalKernel, type MetalKernelOptions, type MetalKernelCall } from './custom-kernel.js';
