// mx.fast's primitives (MLX's fast_primitives.h): each is one fused kernel whose meaning is its
// fallback, the composition of ops MLX's fast.cpp runs where it has no kernel (its CPU). The
// kernels (backend/reference/fast.ts) round at the same steps as these compositions, so they
// agree with them. Rules, as MLX: RMSNorm and LayerNorm have MLX's closed-form vjps, RoPE's
// vjp is the inverse rotation; everything else differentiates or batches the fallback
// (MLX's Custom::vjp/jvp/vmap), so every rule is written in ops and composes again.
import { makeArray, type MxArray } from '../array.js';
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { bfloat16, bool, finfo, float16, float32, float64, int32, isInexact } from '../dtype.js';
import { shapeSize } from '../shape.js';
import { add, subtract, multiply, power, rsqrt, square, exp, cos, sin, reciprocal, greaterEqual, where, equal } from '../ops/elementwise.js';
import { mean, sum, softmax, logsumexp } from '../ops/reduce.js';
import { astype, broadcastTo, sliceView } from '../ops/views.js';
import { expandDims, squeeze, flatten, unflatten, swapaxes, concatenate, moveaxis, stack, repeat } from '../ops/shape.js';
import { arange, zerosLike } from '../ops/creation.js';
import { matmul } from '../ops/linalg.js';
import { takeAlongAxis } from '../ops/indexing.js';
import { reshapeTo } from '../ops/internal.js';
import { vjpOf, jvpOf } from '../transforms/autodiff.js';
import { vmap as vmapTransform } from '../transforms/vmap.js';

type Fallback<P> = (p: P, xs: MxArray[]) => MxArray[];

// ---- MLX's Custom rules: transforms of the fallback ----

/** Cotangents through the fallback (MLX's Custom::vjp); integer inputs get none. */
function fallbackVjp<P>(fb: Fallback<P>, p: P, primals: MxArray[], cots: MxArray[], argnums: number[]): (MxArray | null)[] {
  const g = vjpOf((xs) => fb(p, xs), primals, cots);
  return argnums.map((i) => (isInexact(primals[i]!._dtype) ? (g[i] ?? zerosLike(primals[i]!)) : null));
}

function fallbackJvp<P>(fb: Fallback<P>, p: P, primals: MxArray[], tangents: MxArray[], argnums: number[]): MxArray[] {
  const full: (MxArray | null)[] = primals.map(() => null);
  argnums.forEach((a, j) => (full[a] = tangents[j]!));
  return jvpOf((xs) => fb(p, xs), primals, full);
}

function fallbackVmap<P>(fb: Fallback<P>, p: P, inputs: MxArray[], axes: number[]): [MxArray[], number[]] {
  const f = vmapTransform((...xs: MxArray[]) => fb(p, xs), axes.map((a) => (a < 0 ? null : a)), 0);
  const outs = f(...inputs) as MxArray[];
  return [outs, outs.map(() => 0)];
}

/** The primitive applied again (rules that keep the fused kernel). */
function apply<P>(def: PrimitiveDef<P>, p: P, inputs: MxArray[], like: MxArray): MxArray {
  return makeArray([...like._shape], like._dtype, new Primitive(def, p), inputs);
}

/** Half types as float32 (the norms' vjps accumulate there, as MLX's kernels do). */
const wide = (x: MxArray): MxArray => (x._dtype === float16 || x._dtype === bfloat16 ? astype(x, float32) : x);

/** x with its batch axis `ax` moved to `to` (norms need it off the last axis). */
const moveTo = (x: MxArray, ax: number, to: number): MxArray => (ax === to ? x : moveaxis(x, ax, to));

// ---- RMSNorm: inputs [x, weight?] in the output dtype ----

export type RMSNormParams = { eps: number };

export function rmsNormFallback({ eps }: RMSNormParams, [x, w]: MxArray[]): MxArray[] {
  const x32 = astype(x!, float32);
  let y = multiply(x32, rsqrt(add(mean(square(x32), -1, true), eps)));
  y = astype(y, x!._dtype);
  return [w ? multiply(y, w) : y];
}

export const RMSNorm: PrimitiveDef<RMSNormParams> = definePrimitive<RMSNormParams>({
  name: 'RMSNorm',
  describe: (p) => `eps=${p.eps}`,
  // MLX's RMSNormVJP fallback (its kernels accumulate half types in float32, so do these ops).
  vjp: ({ eps }, primals, [cot], argnums) => {
    const [x, g] = [wide(primals[0]!), wide(cot!)];
    const w = primals[1] ? wide(primals[1]) : null;
    const n = rsqrt(add(mean(square(x), -1, true), eps));
    const n3 = power(n, 3);
    const gw = w ? multiply(g, w) : g;
    const t = multiply(multiply(x, mean(multiply(gw, x), -1, true)), n3);
    const dx = subtract(multiply(gw, n), t);
    const axes = [...Array(x.ndim - 1).keys()];
    return argnums.map((i) => astype(i === 0 ? dx : sum(multiply(g, multiply(x, n)), axes), primals[i]!._dtype));
  },
  jvp: (p, primals, tangents, argnums) => fallbackJvp(rmsNormFallback, p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => {
    if (inputs.length > 1 && axes[1]! >= 0) return fallbackVmap(rmsNormFallback, p, inputs, axes);
    const last = inputs[0]!.ndim - 1;
    const ax = axes[0] === last ? 0 : axes[0]!;
    const x = moveTo(inputs[0]!, axes[0]!, ax);
    return [[apply(RMSNorm, p, [x, ...inputs.slice(1)], x)], [ax]];
  },
});

// ---- LayerNorm: inputs [x, weight?, bias?] in the output dtype ----

export type LayerNormParams = { eps: number; hasWeight: boolean; hasBias: boolean };

const lnParts = (p: LayerNormParams, xs: MxArray[]) => ({ x: xs[0]!, w: p.hasWeight ? xs[1]! : null, b: p.hasBias ? xs[p.hasWeight ? 2 : 1]! : null });

export function layerNormFallback(p: LayerNormParams, xs: MxArray[]): MxArray[] {
  const { x, w, b } = lnParts(p, xs);
  const x32 = astype(x, float32);
  const xc = subtract(x32, mean(x32, -1, true));
  const v = mean(square(xc), -1, true);
  let y = astype(multiply(xc, rsqrt(add(v, p.eps))), x._dtype);
  if (w) y = multiply(y, w);
  if (b) y = add(y, b);
  return [y];
}

export const LayerNorm: PrimitiveDef<LayerNormParams> = definePrimitive<LayerNormParams>({
  name: 'LayerNorm',
  describe: (p) => `eps=${p.eps}${p.hasWeight ? ' weight' : ''}${p.hasBias ? ' bias' : ''}`,
  // MLX's LayerNormVJP as its kernels compute it: half types in float32, and the variance of
  // the centred values (fast.cpp's op fallback takes E[x^2] - E[x]^2, which cancels badly).
  vjp: (p, primals, [cot], argnums) => {
    const { x, w } = lnParts(p, primals.map((t) => wide(t)));
    const g = wide(cot!);
    const norm = 1 / x._shape[x.ndim - 1]!;
    const xc = subtract(x, multiply(sum(x, -1, true), norm));
    const n = rsqrt(add(multiply(sum(square(xc), -1, true), norm), p.eps));
    const n3 = power(n, 3);
    const wg = w ? multiply(w, g) : g;
    const sumwg = multiply(sum(wg, -1, true), norm);
    const sumwgxc = multiply(sum(multiply(wg, xc), -1, true), norm);
    const dx = subtract(multiply(subtract(wg, sumwg), n), multiply(multiply(xc, sumwgxc), n3));
    const axes = [...Array(x.ndim - 1).keys()];
    const bIndex = p.hasWeight ? 2 : 1;
    return argnums.map((i) => {
      const r = i === 0 ? dx : p.hasBias && i === bIndex ? sum(g, axes) : sum(multiply(g, multiply(xc, n)), axes);
      return astype(r, primals[i]!._dtype);
    });
  },
  jvp: (p, primals, tangents, argnums) => fallbackJvp(layerNormFallback, p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => {
    if (axes.slice(1).some((a) => a >= 0)) return fallbackVmap(layerNormFallback, p, inputs, axes);
    const last = inputs[0]!.ndim - 1;
    const ax = axes[0] === last ? 0 : axes[0]!;
    const x = moveTo(inputs[0]!, axes[0]!, ax);
    return [[apply(LayerNorm, p, [x, ...inputs.slice(1)], x)], [ax]];
  },
});

// ---- RoPE: inputs [x, offset (int32, 0-d or [B]), freqs? (float32 [dims/2])] ----

export type RoPEParams = { dims: number; traditional: boolean; base: number; scale: number; forward: boolean };

/** The angles' cosines and sines in x's dtype: [T, dims/2], or [B, 1, T, dims/2] for per-batch offsets. */
export function ropeAngles(p: RoPEParams, T: number, offset: MxArray, freqs: MxArray | undefined, dtype: MxArray['_dtype']): [MxArray, MxArray] {
  const half = p.dims / 2;
  const off = shapeSize(offset._shape) > 1 ? expandDims(offset, [-1, -2]) : offset;
  const positions = multiply(add(arange(T, float32), off), p.scale);
  // MLX: exp(arange(0, -half, -1) * (logf(base) / half)), the factor a float.
  const inv = freqs ? reciprocal(freqs) : exp(multiply(arange(0, -half, -1, float32), Math.fround(Math.log(p.base)) / half));
  const theta = multiply(expandDims(positions, -1), inv);
  return [astype(cos(theta), dtype), astype(sin(theta), dtype)];
}

export function ropeFallback(p: RoPEParams, inputs: MxArray[]): MxArray[] {
  let x = inputs[0]!;
  const shape = [...x._shape];
  if (x.ndim === 3) x = expandDims(x, 1);
  else if (x.ndim > 4) x = flatten(x, 1, x.ndim - 3);
  const [B, N, T, D] = x._shape as [number, number, number, number];
  const { dims, traditional, forward } = p;
  const half = dims / 2;
  const [c, s] = ropeAngles(p, T, inputs[1]!, inputs[2], x._dtype);
  const rotate = (x1: MxArray, x2: MxArray): MxArray[] =>
    forward
      ? [subtract(multiply(x1, c), multiply(x2, s)), add(multiply(x1, s), multiply(x2, c))]
      : [add(multiply(x2, s), multiply(x1, c)), subtract(multiply(x2, c), multiply(x1, s))];
  const rest = dims < D ? [sliceView(x, [0, 0, 0, dims], [B, N, T, D], [1, 1, 1, 1])] : [];
  if (traditional) {
    const x1 = sliceView(x, [0, 0, 0, 0], [B, N, T, dims], [1, 1, 1, 2]);
    const x2 = sliceView(x, [0, 0, 0, 1], [B, N, T, dims], [1, 1, 1, 2]);
    const pairs = rotate(x1, x2).map((o) => expandDims(o, -1));
    const out = reshapeTo(concatenate(pairs, -1), [B, N, T, dims]);
    return [reshapeTo(rest.length ? concatenate([out, ...rest], -1) : out, shape)];
  }
  const x1 = sliceView(x, [0, 0, 0, 0], [B, N, T, half], [1, 1, 1, 1]);
  const x2 = sliceView(x, [0, 0, 0, half], [B, N, T, dims], [1, 1, 1, 1]);
  return [reshapeTo(concatenate([...rotate(x1, x2), ...rest], -1), shape)];
}

export const RoPE: PrimitiveDef<RoPEParams> = definePrimitive<RoPEParams>({
  name: 'RoPE',
  describe: (p) => `dims=${p.dims} traditional=${p.traditional} base=${p.base} scale=${p.scale}${p.forward ? '' : ' inverse'}`,
  // A rotation: its vjp rotates the cotangent back (MLX); freqs differentiate through the fallback.
  vjp: (p, primals, [g], argnums) => {
    const viaFallback = argnums.includes(2) ? fallbackVjp(ropeFallback, p, primals, [g!], argnums) : null;
    return argnums.map((i, j) => {
      if (i === 0) return apply(RoPE, { ...p, forward: !p.forward }, [g!, ...primals.slice(1)], g!);
      if (i === 2) return viaFallback![j]!;
      return null;
    });
  },
  jvp: (p, primals, tangents, argnums) => {
    const k = argnums.indexOf(0);
    const rotated = k >= 0 ? apply(RoPE, p, [tangents[k]!, ...primals.slice(1)], primals[0]!) : null;
    const j = argnums.indexOf(2);
    if (j < 0) return [rotated!];
    const [viaFreqs] = fallbackJvp(ropeFallback, p, primals, [tangents[j]!], [2]);
    return [rotated ? add(rotated, viaFreqs!) : viaFreqs!];
  },
  vmap: (p, inputs, axes) => {
    if (axes.slice(1).some((a) => a >= 0)) return fallbackVmap(ropeFallback, p, inputs, axes);
    // The vmapped axis goes right after the batch axis B: offsets still index B, and the
    // kernel's flattening of the middle axes keeps the last two (T, D) as they are.
    const x = moveTo(inputs[0]!, axes[0]!, 1);
    return [[apply(RoPE, p, [x, ...inputs.slice(1)], x)], [1]];
  },
});

// ---- ScaledDotProductAttention: inputs [q, k, v, mask? ([B, Nq, Tq, Tk], bool or q's dtype), sinks? ([Nq])] ----

export type SdpaParams = { scale: number; causal: boolean; hasMask: boolean; hasSinks: boolean };

export function sdpaFallback(p: SdpaParams, inputs: MxArray[]): MxArray[] {
  const [q0, k0, v0] = inputs as [MxArray, MxArray, MxArray];
  const nq = q0._shape[1]!;
  const nkv = k0._shape[1]!;
  const nRep = nq / nkv;
  let q = multiply(p.scale, q0);
  let k = k0;
  let v = v0;
  if (nRep > 1) {
    q = unflatten(q, 1, [nkv, nRep]);
    k = expandDims(k, 2);
    v = expandDims(v, 2);
  }
  let scores = matmul(q, swapaxes(k, -1, -2));
  if (p.causal || p.hasMask) {
    let mask: MxArray;
    if (p.causal) {
      const kL = k._shape[k.ndim - 2]!;
      const qL = q._shape[q.ndim - 2]!;
      const off = kL - qL;
      mask = greaterEqual(expandDims(arange(off, qL + off, int32), 1), expandDims(arange(0, kL, int32), 0));
    } else mask = inputs[3]!;
    if (nRep > 1 && mask.ndim >= 3) mask = mask._shape[mask.ndim - 3] === 1 ? expandDims(mask, -3) : unflatten(mask, -3, [nkv, nRep]);
    scores = mask._dtype === bool ? where(mask, scores, finfo(scores._dtype).min) : add(scores, mask);
  }
  if (p.hasSinks) {
    let s = expandDims(inputs[inputs.length - 1]!, [0, 2, 3]);
    if (scores.ndim === 5) s = unflatten(s, 1, [nkv, nRep]);
    scores = concatenate([broadcastTo(s, [...scores._shape.slice(0, -1), 1]), scores], -1);
  }
  scores = softmax(scores, -1, true);
  if (p.hasSinks) {
    const sh = scores._shape;
    scores = sliceView(scores, sh.map((_, i) => (i === sh.length - 1 ? 1 : 0)), [...sh], sh.map(() => 1));
  }
  let out = matmul(scores, v);
  if (nRep > 1) out = flatten(out, 1, 2);
  return [out];
}

export const ScaledDotProductAttention = definePrimitive<SdpaParams>({
  name: 'ScaledDotProductAttention',
  describe: (p) => `scale=${p.scale}${p.causal ? ' causal' : ''}${p.hasMask ? ' mask' : ''}${p.hasSinks ? ' sinks' : ''}`,
  // MLX's CPU differentiates the fallback (mask and sinks included); so do these rules.
  vjp: (p, primals, cots, argnums) => fallbackVjp(sdpaFallback, p, primals, cots, argnums),
  jvp: (p, primals, tangents, argnums) => fallbackJvp(sdpaFallback, p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => fallbackVmap(sdpaFallback, p, inputs, axes),
});

// ---- CrossEntropy: inputs [logits, targets (int32)], float32 output of targets' shape ----

export function crossEntropyFallback(_p: Record<string, never>, [x, y]: MxArray[]): MxArray[] {
  const score = squeeze(takeAlongAxis(x!, expandDims(y!, -1), -1), -1);
  // MLX's CPU LogSumExp kernel accumulates half types in float32 and rounds once.
  const acc = x!._dtype === float64 ? float64 : float32;
  const lse = astype(logsumexp(astype(x!, acc), -1), x!._dtype);
  return [astype(subtract(lse, score), float32)];
}

export const CrossEntropy = definePrimitive({
  name: 'CrossEntropy',
  // MLX's CrossEntropyVJP fallback: g * (softmax(x) - onehot(y)), the softmax from the loss.
  vjp: (_p, [x, y], [g], argnums, [loss]) => {
    const score = astype(squeeze(takeAlongAxis(x!, expandDims(y!, -1), -1), -1), float32);
    const lse = add(loss!, score);
    const prob = exp(subtract(astype(x!, float32), expandDims(lse, -1)));
    const C = x!._shape[x!.ndim - 1]!;
    const classes = reshapeTo(arange(C, int32), [...x!._shape.slice(0, -1).map(() => 1), C]);
    const onehot = astype(equal(expandDims(y!, -1), classes), float32);
    const gx = astype(multiply(expandDims(g!, -1), subtract(prob, onehot)), x!._dtype);
    return argnums.map((i) => (i === 0 ? gx : null));
  },
  jvp: (p, primals, tangents, argnums) => fallbackJvp(crossEntropyFallback, p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => fallbackVmap(crossEntropyFallback, p, inputs, axes),
});

// ---- GatedDeltaUpdate: inputs [q, k, v, gates, beta, state, mask?]; outputs [out, final state] ----

export type GatedDeltaParams = { hasMask: boolean };

/** The recurrence one step at a time (MLX's fallback), in float32 (float64 for float64 inputs). */
export function gatedDeltaFallback(p: GatedDeltaParams, inputs: MxArray[]): MxArray[] {
  const [q0, k0, v, g, beta, h0] = inputs as [MxArray, MxArray, MxArray, MxArray, MxArray, MxArray];
  const outDtype = q0._dtype;
  const rep = v._shape[2]! / q0._shape[2]!;
  const q = rep > 1 ? repeat(q0, rep, 2) : q0;
  const k = rep > 1 ? repeat(k0, rep, 2) : k0;
  const mask = p.hasMask ? inputs[6]! : null;
  const T = q._shape[1]!;
  const at = (a: MxArray, t: number): MxArray => {
    const sh = a._shape;
    return squeeze(sliceView(a, sh.map((_, i) => (i === 1 ? t : 0)), sh.map((d, i) => (i === 1 ? t + 1 : d)), sh.map(() => 1)), 1);
  };
  let state = h0;
  const outs: MxArray[] = [];
  for (let t = 0; t < T; t++) {
    const qt = at(q, t);
    const kt = expandDims(at(k, t), -2);
    const gt = at(g, t);
    const decay = gt.ndim === 2 ? expandDims(gt, [-1, -2]) : expandDims(gt, -2);
    let next = multiply(state, decay);
    const kv = sum(multiply(next, kt), -1);
    const delta = multiply(subtract(at(v, t), kv), expandDims(at(beta, t), -1));
    next = add(next, multiply(expandDims(delta, -1), kt));
    let o: MxArray;
    if (mask) {
      const mt = at(mask, t);
      state = where(expandDims(mt, [-1, -2, -3]), next, state);
      o = where(expandDims(mt, [-1, -2]), sum(multiply(state, expandDims(qt, -2)), -1), 0);
    } else {
      state = next;
      o = sum(multiply(state, expandDims(qt, -2)), -1);
    }
    outs.push(o);
  }
  return [astype(stack(outs, 1), outDtype), state];
}

export const GatedDeltaUpdate = definePrimitive<GatedDeltaParams>({
  name: 'GatedDeltaUpdate',
  vjp: (p, primals, cots, argnums) => fallbackVjp(gatedDeltaFallback, p, primals, cots, argnums),
  jvp: (p, primals, tangents, argnums) => fallbackJvp(gatedDeltaFallback, p, primals, tangents, argnums),
  vmap: (p, inputs, axes) => fallbackVmap(gatedDeltaFallback, p, inputs, axes),
});
