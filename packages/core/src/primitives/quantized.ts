// Quantization primitives (MLX 0.32.4: fast::Quantize, ConvertFP8, QuantizedMatmul, GatherQMM,
// QQMatmul, GatherQQMM; Dequantize is MLX's CPU op graph in one node). Packed weights: each row
// of w (uint32) is a little-endian bit stream, element j at bits [j * bits, (j + 1) * bits).
// The rules follow mlx/primitives.cpp: gradients reach x, and the scales and biases of affine
// quantization, never the packed weights; where MLX has no rule (vmap of the matmuls, jvp
// w.r.t. the scales, GatherQMM's jvp) the rule here is the one its definition implies.
import { makeArray, MxArray } from '../array.js';
import { definePrimitive, Primitive } from '../primitive.js';
import { type Dtype, uint8, uint32, float32, promoteTypes } from '../dtype.js';
import { astype, reshape, broadcastTo } from '../ops/views.js';
import { add, multiply, divide, abs, greater, maximum, negative, notEqual, equal, subtract, round, where } from '../ops/elementwise.js';
import { sum, max, min } from '../ops/reduce.js';
import { zeros, zerosLike, onesLike } from '../ops/creation.js';
import { flatten, unflatten, swapaxes, expandDims } from '../ops/shape.js';
import { matmul } from '../ops/linalg.js';
import { quantize, dequantize, quantizedMatmul, gatherQMM, qqmm, gatherQQMM, toFp8, fromFp8 } from '../ops/quantized.js';
import { vjpOf, jvpOf } from '../transforms/autodiff.js';
import { moveBatchAxis } from './rules.js';
import { batchFirst, batchSize } from './views.js';
import { gatherMmGrad, gatheredBatch, scatterRows, vmapByLoop } from './matmul-variants.js';

export type QuantizationMode = 'affine' | 'mxfp4' | 'mxfp8' | 'nvfp4';

export interface QuantParams {
  groupSize: number;
  bits: number;
  mode: QuantizationMode;
  /** fp-mode Dequantize: the dtype the values and scales are computed in (MLX's out_type) */
  dtype?: Dtype;
}

export interface QMatmulParams extends QuantParams {
  transpose: boolean;
}

export interface GatherQMMParams extends QMatmulParams {
  leftSorted: boolean;
  rightSorted: boolean;
}

export interface QQParams extends QuantParams {
  /** w is given quantized (its scales are input 2) */
  wScales: boolean;
  /** global scales of x and w are the last two inputs (nvfp4) */
  globalScales: boolean;
}

const describeQ = (p: QuantParams) => `${p.mode} group_size=${p.groupSize} bits=${p.bits}`;
const modeName = (p: QuantParams) => p.mode;

/**
 * MLX's fallback of affine quantization (fast::Quantize's), used for its gradients: the
 * scales and biases as functions of w (the packed integers have none).
 */
function affineQuantizeFallback(w: MxArray, gs: number, bits: number): [MxArray, MxArray] {
  const wshape = [...w._shape.slice(0, -1), -1];
  const zero = new MxArray(0, float32);
  const nBins = new MxArray((1 << bits) - 1, float32);
  const eps = new MxArray(1e-7, float32);
  const pw = reshape(w, [-1, w._shape[w.ndim - 1]! / gs, gs]);
  const wMax = astype(max(pw, -1, true), float32);
  const wMin = astype(min(pw, -1, true), float32);
  const mask = greater(abs(wMin), abs(wMax));
  let scales: MxArray, biases: MxArray;
  if (bits === 1) {
    // bit 0 is the group's min, bit 1 its max
    scales = maximum(subtract(wMax, wMin), eps);
    biases = wMin;
  } else {
    scales = maximum(divide(subtract(wMax, wMin), nBins), eps);
    scales = where(mask, scales, negative(scales));
    const edge = where(mask, wMin, wMax);
    const q0 = round(divide(edge, scales));
    scales = where(notEqual(q0, zero), divide(edge, q0), scales);
    biases = where(equal(q0, zero), zero, edge);
  }
  return [reshape(astype(scales, w._dtype), wshape), reshape(astype(biases, w._dtype), wshape)];
}

/**
 * Affine quantization of w: outputs [wq (uint32), scales, biases] (MLX's fast::Quantize on the
 * CPU). Its transforms are those of MLX's fallback graph (affineQuantizeFallback).
 */
export const AffineQuantize = definePrimitive<{ groupSize: number; bits: number }>({
  name: 'AffineQuantize',
  describe: (p) => `group_size=${p.groupSize} bits=${p.bits}`,
  outputShapes: (p, [w]) => {
    const k = w![w!.length - 1]!;
    const lead = w!.slice(0, -1);
    return [[...lead, (k * p.bits) / 32], [...lead, k / p.groupSize], [...lead, k / p.groupSize]];
  },
  vjp: (p, [w], [, cs, cb]) => [vjpOf(([x]) => affineQuantizeFallback(x!, p.groupSize, p.bits), [w!], [cs!, cb!])[0] ?? zerosLike(w!)],
  jvp: (p, [w], [t]) => {
    const k = w!._shape[w!.ndim - 1]!;
    const [ts, tb] = jvpOf(([x]) => affineQuantizeFallback(x!, p.groupSize, p.bits), [w!], [t!]);
    return [zeros([...w!._shape.slice(0, -1), (k * p.bits) / 32], uint32), ts!, tb!];
  },
  vmap: (p, [w], [ax]) => [quantize(moveBatchAxis(w!, ax!), p.groupSize, p.bits), [0, 0, 0]],
});

/**
 * mxfp4 / mxfp8 / nvfp4 quantization: inputs [w, globalScale?], outputs [wq (uint32), scales
 * (uint8)]. On the CPU MLX builds it from ops (fp_quantize's fallback); the kernel computes
 * that graph's values step by step (each op's dtype and rounding), without its (n, 16)
 * intermediates. Both outputs are integers: no gradient flows (as through MLX's graph).
 */
export const FpQuantize = definePrimitive<QuantParams>({
  name: 'FpQuantize',
  describe: describeQ,
  outputShapes: (p, [w]) => {
    const k = w![w!.length - 1]!;
    const lead = w!.slice(0, -1);
    return [[...lead, (k * p.bits) / 32], [...lead, k / p.groupSize]];
  },
  vjp: (_p, primals, _c, argnums) => argnums.map((i) => zerosLike(primals[i]!)),
  jvp: (p, [w]) => {
    const k = w!._shape[w!.ndim - 1]!;
    const lead = w!._shape.slice(0, -1);
    return [zeros([...lead, (k * p.bits) / 32], uint32), zeros([...lead, k / p.groupSize], uint8)];
  },
  vmap: (p, inputs, axes) => {
    const f = (w: MxArray, g: MxArray | null) => quantize(w, p.groupSize, p.bits, p.mode, g);
    if (axes[1] !== undefined && axes[1] >= 0) {
      const outs = [0, 1].map((k) => vmapByLoop(inputs, axes, (w, g) => f(w!, g!)[k]!));
      return [outs, [0, 0]];
    }
    return [f(moveBatchAxis(inputs[0]!, axes[0]!), inputs[1] ?? null), [0, 0]];
  },
});

/** The unpacked integers of w (dequantized with scale 1 and bias 0), grouped: (..., G, gs). */
function groupedCodes(w: MxArray, scales: MxArray, biases: MxArray, p: QuantParams): MxArray {
  const q = dequantize(w, onesLike(scales), zerosLike(biases), p.groupSize, p.bits, p.mode);
  return unflatten(q, -1, [-1, p.groupSize]);
}

/**
 * Dequantize: inputs [w, scales, biases] (affine: w * scales in the scales' dtype, + biases
 * in the promoted one, as MLX's ops) or [w, scales, globalScale?] (fp modes, in `dtype`).
 */
export const Dequantize = definePrimitive<QuantParams>({
  name: 'Dequantize',
  describe: (p) => describeQ(p) + (p.dtype ? ` dtype=${p.dtype.name}` : ''),
  outputShapes: (p, [w]) => [[...w!.slice(0, -1), (w![w!.length - 1]! * 32) / p.bits]],
  vjp: (p, [w, scales, third], [cot], argnums) =>
    argnums.map((i) => {
      if (i === 0) return zerosLike(w!);
      if (p.mode !== 'affine') {
        if (i === 1) return zerosLike(scales!);
        // the global scale multiplies every element by g / (448 * 6)
        const unscaled = dequantize(w!, scales!, null, p.groupSize, p.bits, p.mode, null, cot!._dtype);
        return astype(divide(sum(multiply(cot!, unscaled)), 448 * 6), third!._dtype);
      }
      const c = unflatten(cot!, -1, [-1, p.groupSize]);
      if (i === 2) return astype(sum(c, -1), third!._dtype);
      return astype(sum(multiply(c, groupedCodes(w!, scales!, third!, p)), -1), scales!._dtype);
    }),
  jvp: (p, [w, scales, third], tangents, argnums) => {
    const shape = [...w!._shape.slice(0, -1), (w!._shape[w!.ndim - 1]! * 32) / p.bits];
    const outType = p.mode === 'affine' ? promoteTypes(scales!._dtype, third!._dtype) : third ? promoteTypes(p.dtype!, float32) : p.dtype!;
    const parts: MxArray[] = [];
    argnums.forEach((i, k) => {
      const t = tangents[k]!;
      if (p.mode === 'affine') {
        if (i === 1) parts.push(flatten(multiply(groupedCodes(w!, scales!, third!, p), expandDims(t, -1)), -2, -1));
        if (i === 2) parts.push(flatten(broadcastTo(expandDims(t, -1), [...t._shape, p.groupSize]), -2, -1));
      } else if (i === 2) {
        parts.push(multiply(dequantize(w!, scales!, null, p.groupSize, p.bits, p.mode, null, p.dtype!), divide(t, 448 * 6)));
      }
    });
    return [astype(parts.length ? parts.reduce((a, b) => add(a, b)) : zeros(shape, outType), outType)];
  },
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const xs = inputs.map((x, i) => (p.mode !== 'affine' && i === 2 ? x : batchFirst(x, axes[i]!, n)));
    if (p.mode !== 'affine' && axes[2] !== undefined && axes[2] >= 0) throw new Error('[Dequantize::vmap] The global scale cannot be batched.');
    const [w, s, b] = xs as [MxArray, MxArray, MxArray | undefined];
    const out = p.mode === 'affine' ? dequantize(w, s, b, p.groupSize, p.bits, 'affine') : dequantize(w, s, null, p.groupSize, p.bits, p.mode, b ?? null, p.dtype!);
    return [[out], [0]];
  },
});

/** ToFP8 / FromFP8: E4M3 codes (MLX's fast::ConvertFP8), elementwise. MLX has no gradient for them. */
export const ToFP8 = definePrimitive({
  name: 'ToFP8',
  outputShapes: (_p, [x]) => [[...x!]],
  vmap: (_p, [x], [ax]) => [[toFp8(x!)], [ax!]],
});

export const FromFP8 = definePrimitive<{ dtype: Dtype }>({
  name: 'FromFP8',
  outputShapes: (_p, [x]) => [[...x!]],
  describe: (p) => p.dtype.name,
  vmap: (p, [x], [ax]) => [[fromFp8(x!, p.dtype)], [ax!]],
});

/** Inserts size-1 axes after axis 0 until x has `ndim` dimensions (aligns batch dims after a leading vmap axis). */
function padBatch(x: MxArray, ndim: number): MxArray {
  let y = x;
  while (y.ndim < ndim) y = expandDims(y, 1);
  return y;
}

/** vjp of x (and of the affine scales and biases) of x @ W(w).T (transpose) or x @ W(w). */
export const QuantizedMatmul = definePrimitive<QMatmulParams>({
  name: 'QuantizedMatmul',
  describe: (p) => `${describeQ(p)} transpose=${p.transpose}`,
  outputShapes: (p, [x, w]) => [[...x!.slice(0, -1), p.transpose ? w![w!.length - 2]! : (w![w!.length - 1]! * 32) / p.bits]],
  vjp: (p, [x, w, scales, biases], [cot], argnums) => {
    let dsb: MxArray | null = null;
    const dScalesBiases = (): MxArray => {
      if (dsb) return dsb;
      const nd = w!.ndim;
      if (x!.ndim < nd) throw new Error('[QuantizedMatmul::vjp] The gradient of batched scales needs x batched as w.');
      const fc = flatten(cot!, 0, -nd), fx = flatten(x!, 0, -nd);
      const dw = p.transpose ? matmul(swapaxes(fc, -1, -2), fx) : matmul(swapaxes(fx, -1, -2), fc);
      return (dsb = unflatten(dw, -1, [-1, p.groupSize]));
    };
    return argnums.map((i) => {
      if (i === 0) return quantizedMatmul(cot!, w!, scales!, biases ?? null, !p.transpose, p.groupSize, p.bits, p.mode);
      if (i === 1) throw new Error('[QuantizedMatmul::vjp] no gradient wrt the quantized weights.');
      if (p.mode !== 'affine') throw new Error(`[QuantizedMatmul::vjp] no gradient wrt scales in ${modeName(p)} quantization.`);
      if (i === 3) return sum(dScalesBiases(), -1);
      return sum(multiply(dScalesBiases(), groupedCodes(w!, scales!, biases!, p)), -1);
    });
  },
  // (MLX: x only) the weights are linear in the scales and biases: their tangents multiply x
  jvp: (p, [x, w, scales, biases], tangents, argnums) => {
    const tangent = (i: number) => (argnums.includes(i) ? tangents[argnums.indexOf(i)]! : null);
    if (argnums.includes(1) || (p.mode !== 'affine' && argnums.some((i) => i > 0))) throw new Error('[QuantizedMatmul::jvp] No JVP wrt the quantized matrix yet.');
    const parts: MxArray[] = [];
    if (tangent(0)) parts.push(quantizedMatmul(tangent(0)!, w!, scales!, biases ?? null, p.transpose, p.groupSize, p.bits, p.mode));
    if (tangent(2) || tangent(3)) parts.push(quantizedMatmul(x!, w!, tangent(2) ?? zerosLike(scales!), tangent(3) ?? zerosLike(biases!), p.transpose, p.groupSize, p.bits, p.mode));
    return [parts.reduce((a, b) => add(a, b))];
  },
  // (MLX: NYI) x's batch axis is one more leading dim; a batched w gets its batch first, and
  // x is then broadcast against it.
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const [x, ...q] = inputs as [MxArray, ...MxArray[]];
    const qBatched = axes.slice(1).some((a) => a >= 0);
    if (!qBatched) return [[quantizedMatmul(moveBatchAxis(x, axes[0]!), q[0]!, q[1]!, q[2] ?? null, p.transpose, p.groupSize, p.bits, p.mode)], [0]];
    let xb = batchFirst(x, axes[0]!, n);
    const vec = x.ndim - (axes[0]! >= 0 ? 1 : 0) === 1;
    if (vec) xb = expandDims(xb, 1);
    let qs = q.map((y, i) => batchFirst(y, axes[i + 1]!, n));
    const nd = Math.max(xb.ndim, qs[0]!.ndim);
    xb = padBatch(xb, nd);
    qs = qs.map((y) => padBatch(y, nd));
    let out = quantizedMatmul(xb, qs[0]!, qs[1]!, qs[2] ?? null, p.transpose, p.groupSize, p.bits, p.mode);
    if (vec) out = reshape(out, [n, ...out._shape.slice(2)]);
    return [[out], [0]];
  },
});

/** GatherQMM: inputs [x, w, scales, biases?, lhsIndices, rhsIndices]. */
export const GatherQMM = definePrimitive<GatherQMMParams>({
  name: 'GatherQMM',
  describe: (p) => `${describeQ(p)} transpose=${p.transpose}${p.leftSorted ? ' left_sorted' : ''}${p.rightSorted ? ' right_sorted' : ''}`,
  outputShapes: (p, inputs) => {
    const [x, w] = inputs;
    const lhs = inputs[inputs.length - 2]!;
    return [[...lhs, x![x!.length - 2]!, p.transpose ? w![w!.length - 2]! : (w![w!.length - 1]! * 32) / p.bits]];
  },
  vjp: (p, primals, [cot], argnums) => {
    const [x, w, scales] = primals as [MxArray, MxArray, MxArray];
    const biases = p.mode === 'affine' ? primals[3]! : null;
    const lhs = primals[primals.length - 2]!, rhs = primals[primals.length - 1]!;
    const M = cot!._shape[cot!.ndim - 2]!, K = x._shape[x.ndim - 1]!;
    const sorted = p.leftSorted || p.rightSorted;
    const noBroadcast = rhs.size * M * K === x.size;
    let dsb: MxArray | null = null;
    return argnums.map((i) => {
      if (i === 0) {
        const g = gatherQMM(cot!, w, scales, biases, null, rhs, !p.transpose, p.groupSize, p.bits, p.mode, null, sorted);
        if (sorted && noBroadcast) return reshape(g, x._shape);
        return scatterRows(x._shape, x._dtype, lhs, g);
      }
      if (i > 3 || (i === 3 && p.mode !== 'affine')) throw new Error('[GatherQMM::vjp] cannot compute the gradient wrt the indices.');
      if (i === 1) throw new Error('[GatherQMM::vjp] no gradient wrt the quantized weights.');
      if (p.mode !== 'affine') throw new Error(`[GatherQMM::vjp] no gradient wrt scales in ${modeName(p)} quantization.`);
      dsb ??= unflatten(gatherMmGrad(x, cot!, lhs, rhs, sorted, w._shape.slice(0, -2)), -1, [-1, p.groupSize]);
      if (i === 3) return sum(dsb, -1);
      return sum(multiply(dsb, groupedCodes(w, scales, biases!, p)), -1);
    });
  },
  // (MLX: NYI) linear in x, and in the affine scales and biases
  jvp: (p, primals, tangents, argnums) => {
    const [x, w, scales] = primals as [MxArray, MxArray, MxArray];
    const biases = p.mode === 'affine' ? primals[3]! : null;
    const lhs = primals[primals.length - 2]!, rhs = primals[primals.length - 1]!;
    const tangent = (i: number) => (argnums.includes(i) ? tangents[argnums.indexOf(i)]! : null);
    if (argnums.some((i) => i === 1 || i >= primals.length - 2) || (!biases && argnums.some((i) => i > 0))) {
      throw new Error('[GatherQMM::jvp] No JVP wrt the quantized matrix or the indices.');
    }
    const q = (a: MxArray, s: MxArray, b: MxArray | null) => gatherQMM(a, w, s, b, lhs, rhs, p.transpose, p.groupSize, p.bits, p.mode);
    const parts: MxArray[] = [];
    if (tangent(0)) parts.push(q(tangent(0)!, scales, biases));
    if (tangent(2) || tangent(3)) parts.push(q(x, tangent(2) ?? zerosLike(scales), tangent(3) ?? zerosLike(biases!)));
    return [parts.reduce((a, b) => add(a, b))];
  },
  // (MLX: NYI) each example's matrices become more batch entries, its indices offset to them
  vmap: (p, inputs, axes) => {
    const nq = p.mode === 'affine' ? 3 : 2;
    // (the examples' indices, offset and stacked, are no longer sorted as a whole: no hint)
    const q = { ...p, leftSorted: false, rightSorted: false };
    const out = gatheredBatch(inputs, axes, 1, nq, (xs) => makeArray(gatherShape(q, xs), xs[0]!._dtype, new Primitive(GatherQMM, q), xs));
    return [[out], [0]];
  },
});

function gatherShape(p: GatherQMMParams, xs: MxArray[]): number[] {
  const [x, w] = xs as [MxArray, MxArray];
  const lhs = xs[xs.length - 2]!;
  return [...lhs._shape, x._shape[x.ndim - 2]!, p.transpose ? w._shape[w.ndim - 2]! : (w._shape[w.ndim - 1]! * 32) / p.bits];
}

/**
 * QQMatmul: inputs [x (M, K), w (N, K) float or uint32, scales?, globalScaleX?, globalScaleW?];
 * x and (unless given quantized) w are quantized and dequantized along K, then x @ w.T.
 */
export const QQMatmul = definePrimitive<QQParams>({
  name: 'QQMatmul',
  describe: describeQ,
  outputShapes: (_p, [x, w]) => [[...x!.slice(0, -1), w![w!.length - 2]!]],
  vjp: (p, primals, [cot], argnums) => {
    const [x, w] = primals as [MxArray, MxArray];
    const gs = p.globalScales ? primals.slice(-2) : null;
    const amax = gs ? astype(max(abs(cot!)), float32) : null;
    return argnums.map((i) => {
      if (i === 0) return qqmm(cot!, swapaxes(w, -1, -2), null, p.groupSize, p.bits, p.mode, amax, gs ? gs[1]! : null);
      if (i === 1) return qqmm(swapaxes(cot!, -1, -2), swapaxes(x, -1, -2), null, p.groupSize, p.bits, p.mode, amax, gs ? gs[0]! : null);
      return zerosLike(primals[i]!);
    });
  },
  jvp: () => {
    throw new Error('QQMM::jvp NYI');
  },
  // (MLX has none) x batched alone: more rows (qqmm flattens them); otherwise per example
  vmap: (p, inputs, axes) => {
    const call = (xs: MxArray[]) => {
      const [x, w, ...rest] = xs as [MxArray, MxArray, ...MxArray[]];
      const sc = p.wScales ? rest.shift()! : null;
      return qqmm(x, w, sc, p.groupSize, p.bits, p.mode, rest[0] ?? null, rest[1] ?? null);
    };
    if (axes.slice(1).every((a) => a < 0)) return [[call([moveBatchAxis(inputs[0]!, axes[0]!), ...inputs.slice(1)])], [0]];
    return [[vmapByLoop(inputs, axes, (...xs) => call(xs))], [0]];
  },
});

/** GatherQQMM: inputs [x, w, lhsIndices, rhsIndices, scales?, globalScaleX?, globalScaleW?]. */
export const GatherQQMM = definePrimitive<QQParams>({
  name: 'GatherQQMM',
  describe: describeQ,
  outputShapes: (_p, [x, w, lhs]) => [[...lhs!, x![x!.length - 2]!, w![w!.length - 2]!]],
  // (MLX has none) one gathered product per example
  vmap: (p, inputs, axes) => [
    [
      vmapByLoop(inputs, axes, (x, w, l, r, ...rest) => {
        const sc = p.wScales ? rest.shift()! : null;
        return gatherQQMM(x!, w!, sc, l!, r!, p.groupSize, p.bits, p.mode, rest[0] ?? null, rest[1] ?? null);
      }),
    ],
    [0],
  ],
});

