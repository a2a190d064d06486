// Quantization (mlx/ops.cpp, MLX 0.32.4): quantize, dequantize, quantizedMatmul, gatherQMM,
// qqmm, gatherQQMM, toFp8, fromFp8. Modes affine (a scale and a bias per group, 1-8 bits
// packed LSB first into uint32 words), mxfp4 / mxfp8 (E2M1 / E4M3 values, an E8M0 scale per
// 32) and nvfp4 (E2M1 values, an E4M3 scale per 16, optionally a global float32 scale).
// Argument order: node-mlx's (MLX's C++), MLX's later arguments appended in Python's order; a
// stream where node-mlx put it (right after the arguments it knew) is still taken as the stream.
import { MxArray, makeArray, makeArrays, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { type Dtype, bfloat16, float32, float64, uint8, uint32, promoteTypes, isFloating } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { shapeToString, shapesEqual, broadcastShapes } from '../shape.js';
import { asArray } from '../convert.js';
import { astype, broadcastTo, broadcastArrays } from './views.js';
import { isStreamObject, expandTo, squeezeTo } from './internal.js';
import { flatten, unflatten } from './shape.js';
import { indicesOrDefault } from './matmul-variants.js';
import {
  AffineQuantize, FpQuantize, Dequantize, ToFP8, FromFP8, QuantizedMatmul, GatherQMM, QQMatmul, GatherQQMM,
  type QuantizationMode, type QuantParams,
} from '../primitives/quantized.js';

const MODES: readonly QuantizationMode[] = ['affine', 'mxfp4', 'mxfp8', 'nvfp4'];

/** A stream, device or device type (node-mlx's `mx.cpu`) where node-mlx ended the arguments. */
const isStream = (v: unknown): v is StreamOrDevice => isStreamObject(v) || typeof v === 'number';

/** MLX's string_to_quantization_mode. */
function parseMode(mode: unknown, op: string): QuantizationMode {
  if (typeof mode === 'string' && (MODES as readonly string[]).includes(mode)) return mode as QuantizationMode;
  throw new Error(`[${op}] Invalid quantization mode '${String(mode)}'.`);
}

/** MLX's quantization_params_from_mode: the mode's defaults for unset group size and bits. */
function modeParams(mode: QuantizationMode, groupSize: number | null | undefined, bits: number | null | undefined, op: string): [number, number] {
  const [g, b] = mode === 'affine' ? [64, 4] : mode === 'nvfp4' ? [16, 4] : mode === 'mxfp4' ? [32, 4] : [32, 8];
  const gs = groupSize ?? g, bs = bits ?? b;
  for (const [v, what] of [[gs, 'group_size'], [bs, 'bits']] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`[${op}] ${what} must be an integer, got ${String(v)}.`);
  }
  return [gs, bs];
}

/** The fp modes' fixed group size and bits (MLX checks them in fp_quantize / fp_dequantize). */
function checkFpParams(mode: QuantizationMode, gs: number, bits: number, op: string): void {
  const wantGs = mode === 'nvfp4' ? 16 : 32, wantBits = mode === 'mxfp8' ? 8 : 4;
  if (gs !== wantGs) throw new Error(`[${op}] ${mode} quantization requires group size ${wantGs} but got ${gs}.`);
  if (bits !== wantBits) throw new Error(`[${op}] ${mode} quantization requires bits to be ${wantBits} but got ${bits}.`);
}

/** MLX's validate_global_scale. */
function checkGlobalScale(op: string, mode: QuantizationMode, g: MxArray | null): void {
  if (!g) return;
  if (mode !== 'nvfp4') throw new Error(`[${op}] Global scale is only supported for 'nvfp4' quantization mode.`);
  if (g.size !== 1) throw new Error(`[${op}] Global scale must be a scalar but got shape ${shapeToString(g._shape)}.`);
  if (g._dtype !== float32) throw new TypeError(`[${op}] Global scale must have dtype float32 but got ${g._dtype.name}.`);
}

const optArray = (x: unknown, name: string, op: string): MxArray | null => (x === null || x === undefined ? null : asArray(x, name, op));

/**
 * MLX's validate_mode_with_type: affine needs biases and real floating scales/biases (the
 * result type is theirs, or `outType`); the fp modes need uint8 scales and no biases
 * (the result type is `outType`, default bfloat16).
 */
function modeAndType(op: string, scales: MxArray, biases: MxArray | null, outType: Dtype | null, mode: unknown): [Dtype, QuantizationMode] {
  const m = parseMode(mode, op);
  if (outType && !isFloating(outType)) throw new TypeError(`[${op}] Only real floating types are supported but output dtype == ${outType.name}.`);
  if (m === 'affine') {
    if (!biases) throw new Error(`[${op}] Biases must be provided for affine quantization.`);
    const d = promoteTypes(scales._dtype, biases._dtype);
    if (!isFloating(d)) {
      throw new TypeError(`[${op}] Only real floating types are supported but scales.dtype() == ${scales._dtype.name} and biases.dtype() == ${biases._dtype.name}.`);
    }
    return [outType ?? d, m];
  }
  if (scales._dtype !== uint8) throw new TypeError(`[${op}] Scale type must be uint8 but received type ${scales._dtype.name}.`);
  if (biases) throw new Error(`[${op}] Biases must be null for quantization mode '${m}'.`);
  return [outType ?? bfloat16, m];
}

// ---- quantize ----

/**
 * quantize(w, groupSize?, bits?, mode = 'affine', globalScale?): `[wq, scales, biases]`
 * (affine) or `[wq, scales]`. Each group of `groupSize` consecutive elements of a row of w
 * shares its scale (and bias); w needs two or more dimensions.
 */
export function quantize(
  w: ScalarOrArray,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | StreamOrDevice = 'affine',
  globalScale?: ScalarOrArray | null,
  s?: StreamOrDevice,
): MxArray[] {
  if (isStream(mode)) [mode, s] = ['affine', mode];
  const op = 'quantize';
  const x = asArray(w, 'w', op);
  const m = parseMode(mode, op);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  if (!isFloating(x._dtype)) throw new TypeError(`[quantize] Only real floating types can be quantized but w has type ${x._dtype.name}.`);
  if (x.ndim < 2) throw new Error(`[quantize] The matrix to be quantized must have at least 2 dimension but it has only ${x.ndim}.`);
  if (x._shape[x.ndim - 1]! % gs !== 0) {
    throw new Error(
      `[quantize] The last dimension of the matrix needs to be divisible by the quantization group size ${gs}. However the provided  matrix has shape ${shapeToString(x._shape)}`,
    );
  }
  const g = optArray(globalScale, 'global_scale', op);
  checkGlobalScale(op, m, g);
  const last = x._shape[x.ndim - 1]!;
  const wqShape = [...x._shape.slice(0, -1), (last * bs) / 32];
  const sShape = [...x._shape.slice(0, -1), last / gs];
  if (m !== 'affine') {
    checkFpParams(m, gs, bs, op);
    return makeArrays([wqShape, sShape], [uint32, uint8], new Primitive(FpQuantize, { groupSize: gs, bits: bs, mode: m }), g ? [x, g] : [x], s);
  }
  if (gs !== 32 && gs !== 64 && gs !== 128) {
    throw new Error(`[quantize] The requested group size ${gs} is not supported. The supported group sizes are 32, 64, and 128.`);
  }
  if (bs < 1 || bs > 8 || bs === 7) {
    throw new Error(`[quantize] The requested number of bits ${bs} is not supported. The supported bits are 1, 2, 3, 4, 5, 6 and 8.`);
  }
  return makeArrays([wqShape, sShape, sShape], [uint32, x._dtype, x._dtype], new Primitive(AffineQuantize, { groupSize: gs, bits: bs }), [x], s);
}

// ---- dequantize ----

/**
 * dequantize(w, scales, biases?, groupSize?, bits?, mode = 'affine', globalScale?, dtype?):
 * affine w * scale + bias per group; the fp modes value * 2^(e - 127) (mx) or value * the
 * E4M3 scale (nv, times globalScale / (448 * 6) when given). The dtype defaults to the
 * scales' and biases' (affine) or bfloat16.
 */
export function dequantize(
  w: ScalarOrArray,
  scales: ScalarOrArray,
  biases?: ScalarOrArray | null,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | StreamOrDevice = 'affine',
  globalScale?: ScalarOrArray | null,
  dtype?: Dtype | null,
  s?: StreamOrDevice,
): MxArray {
  if (isStream(mode)) [mode, s] = ['affine', mode];
  const op = 'dequantize';
  const wq = asArray(w, 'w', op);
  const sc = asArray(scales, 'scales', op);
  const bi = optArray(biases, 'biases', op);
  const [outType, m] = modeAndType(op, sc, bi, dtype ?? null, mode);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  if (bs <= 0) throw new Error(`[dequantize] Invalid value for bits: ${bs}`);
  if (gs <= 0) throw new Error(`[dequantize] Invalid value for group_size: ${gs}`);
  if (wq._dtype !== uint32) throw new TypeError('[dequantize] The matrix should be given as a uint32');
  if (wq.ndim < 2) throw new Error(`[dequantize] The matrix to be dequantized must have at least 2 dimension but it has only ${wq.ndim}.`);
  const g = optArray(globalScale, 'global_scale', op);
  checkGlobalScale(op, m, g);
  if (m !== 'affine') checkFpParams(m, gs, bs, op);
  const what = m === 'affine' ? 'scales and biases' : 'scales';
  const lead = (x: MxArray) => x._shape.slice(0, -1);
  if (sc.ndim !== wq.ndim || (bi && bi.ndim !== wq.ndim) || !shapesEqual(lead(sc), lead(wq)) || (bi && !shapesEqual(lead(bi), lead(wq)))) {
    throw new Error(`[dequantize] Shape of ${what} does not match the matrix`);
  }
  const outSize = (wq._shape[wq.ndim - 1]! * 32) / bs;
  if (!Number.isInteger(outSize) || outSize !== sc._shape[sc.ndim - 1]! * gs || (bi && bi._shape[bi.ndim - 1] !== sc._shape[sc.ndim - 1])) {
    throw new Error(
      m === 'affine'
        ? `[dequantize] Shape of scales and biases does not match the matrix given the quantization parameters. Provided matrix of shape ${shapeToString(wq._shape)} and scales/biases of shape ${shapeToString(sc._shape)} with group_size=${gs} and bits=${bs}.`
        : `[dequantize] Shape of scales does not match the matrix given the quantization parameters. Provided matrix of shape ${shapeToString(wq._shape)} and scales of shape ${shapeToString(sc._shape)}.`,
    );
  }
  const shape = [...lead(wq), outSize];
  const params: QuantParams = { groupSize: gs, bits: bs, mode: m };
  if (m === 'affine') {
    // w * scales in the scales' dtype, + biases in the promoted one, then the requested dtype (MLX's ops)
    const d = promoteTypes(sc._dtype, bi!._dtype);
    return astype(makeArray(shape, d, new Primitive(Dequantize, params), [wq, sc, bi!], s), outType, s);
  }
  // with a global scale MLX multiplies by a float32 factor: the result is at least float32
  const d = g ? promoteTypes(outType, float32) : outType;
  return makeArray(shape, d, new Primitive(Dequantize, { ...params, dtype: outType }), g ? [wq, sc, g] : [wq, sc], s);
}

// ---- fp8 ----

/** toFp8(x): E4M3 codes (uint8) of a real floating array, saturating at ±448 (MLX's ToFP8). */
export function toFp8(x: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const a = asArray(x, 'x', 'to_fp8');
  if (!isFloating(a._dtype)) throw new TypeError(`[to_fp8] Only real floating types are supported but x.dtype() == ${a._dtype.name}.`);
  return makeArray([...a._shape], uint8, new Primitive(ToFP8, {}), [a], s);
}

/** fromFp8(x, dtype = bfloat16): the values of E4M3 codes (uint8). */
export function fromFp8(x: ScalarOrArray, dtype: Dtype | StreamOrDevice = bfloat16, s?: StreamOrDevice): MxArray {
  if (isStream(dtype)) [dtype, s] = [bfloat16, dtype];
  const d = dtype as Dtype;
  const a = asArray(x, 'x', 'from_fp8');
  if (a._dtype !== uint8) throw new TypeError(`[from_fp8] Input must have type uint8 but x.dtype() == ${a._dtype.name}.`);
  if (!isFloating(d)) throw new TypeError(`[from_fp8] Only real floating types are supported but dtype == ${d.name}.`);
  return makeArray([...a._shape], d, new Primitive(FromFP8, { dtype: d }), [a], s);
}

// ---- quantized matmuls ----

/** MLX's validate_quantized_input. */
function checkQuantizedInput(op: string, w: MxArray, scales: MxArray, gs: number, bits: number, biases: MxArray | null): void {
  if (w._dtype !== uint32) throw new TypeError(`[${op}] The weight matrix should be uint32 but received ${w._dtype.name}`);
  if (biases && !shapesEqual(scales._shape, biases._shape)) {
    throw new Error(`[${op}] Scales and biases should have the same shape. Received scales with shape ${shapeToString(scales._shape)} and biases with ${shapeToString(biases._shape)}`);
  }
  if (w.ndim < 2 || scales.ndim < w.ndim - 2 || !w._shape.slice(0, -2).every((d, i) => d === scales._shape[i])) {
    throw new Error(`[${op}] Weight and scales should have the same batch shape. Received weight with shape ${shapeToString(w._shape)}, scales with ${shapeToString(scales._shape)}.`);
  }
  if (scales.ndim !== w.ndim || scales._shape[scales.ndim - 2] !== w._shape[w.ndim - 2] || (w._shape[w.ndim - 1]! * 32) / bits !== scales._shape[scales.ndim - 1]! * gs) {
    throw new Error(
      `[${op}] The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == ${shapeToString(w._shape)} and scales.shape() == ${shapeToString(scales._shape)} with group_size=${gs} and bits=${bits}`,
    );
  }
}

/** MLX's extract_quantized_matmul_dims: [inner, outer] of the unpacked matrix. */
function quantizedDims(op: string, x: MxArray, w: MxArray, scales: MxArray, biases: MxArray | null, transpose: boolean, gs: number, bits: number): [number, number] {
  checkQuantizedInput(op, w, scales, gs, bits, biases);
  const unpacked = (w._shape[w.ndim - 1]! * 32) / bits;
  const inner = transpose ? unpacked : w._shape[w.ndim - 2]!;
  const outer = transpose ? w._shape[w.ndim - 2]! : unpacked;
  const xk = x._shape[x.ndim - 1];
  if (x.ndim === 0 || xk !== inner) {
    throw new Error(
      `[${op}] Last dimension of first input with shape (..., ${xk ?? ''}) does not match the expanded quantized matrix (${inner}, ${outer}) computed from shape ${shapeToString(w._shape)} with group_size=${gs}, bits=${bits} and transpose=${transpose}`,
    );
  }
  return [inner, outer];
}

/** The group sizes and bits the matmul kernels take (MLX's CPU dispatch), checked up front. */
function checkMatmulParams(op: string, mode: QuantizationMode, gs: number, bits: number): void {
  if (mode !== 'affine') return checkFpParams(mode, gs, bits, op);
  if (gs !== 32 && gs !== 64 && gs !== 128) throw new Error(`[${op}] Quantization group size must be 32, 64 or 128.`);
  if (bits < 1 || bits > 8 || bits === 7) throw new Error(`[${op}] Quantization bits must be 1, 2, 3, 4, 5, 6 or 8.`);
}

/** The result dtype: affine promotes x with the scales' and biases' type; the fp modes keep x's. */
function matmulDtype(op: string, x: MxArray, mode: QuantizationMode, scaleType: Dtype): Dtype {
  const d = mode === 'affine' ? promoteTypes(x._dtype, scaleType) : x._dtype;
  if (!isFloating(d)) throw new TypeError(`[${op}] Only real floating types are supported but x.dtype() == ${x._dtype.name}.`);
  return d;
}

/**
 * quantizedMatmul(x, w, scales, biases?, transpose = true, groupSize?, bits?, mode = 'affine'):
 * x @ dequantize(w).T (or x @ dequantize(w) with transpose false), without the dequantized copy.
 */
export function quantizedMatmul(
  x: ScalarOrArray,
  w: ScalarOrArray,
  scales: ScalarOrArray,
  biases?: ScalarOrArray | null,
  transpose = true,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | StreamOrDevice = 'affine',
  s?: StreamOrDevice,
): MxArray {
  if (isStream(mode)) [mode, s] = ['affine', mode];
  const op = 'quantized_matmul';
  const a = asArray(x, 'x', op), wq = asArray(w, 'w', op), sc = asArray(scales, 'scales', op);
  const bi = optArray(biases, 'biases', op);
  const [scaleType, m] = modeAndType(op, sc, bi, null, mode);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  const [, outer] = quantizedDims(op, a, wq, sc, bi, transpose !== false, gs, bs);
  const d = matmulDtype(op, a, m, scaleType);
  checkMatmulParams(op, m, gs, bs);
  let inputs = m === 'affine' ? [astype(a, d, s), wq, astype(sc, d, s), astype(bi!, d, s)] : [a, wq, sc];
  // batch dims broadcast when both x and w have them (MLX); a 2-D w is shared by every batch
  if (a.ndim > 2 && wq.ndim > 2) inputs = broadcastBatch(inputs, s);
  const shape = [...inputs[0]!._shape.slice(0, -1), outer];
  return makeArray(shape, d, new Primitive(QuantizedMatmul, { groupSize: gs, bits: bs, mode: m, transpose: transpose !== false }), inputs, s);
}

/** broadcast_arrays ignoring the last two axes of each input. */
function broadcastBatch(xs: MxArray[], s?: StreamOrDevice): MxArray[] {
  let batch: number[];
  try {
    batch = broadcastShapes(...xs.map((x) => x._shape.slice(0, -2)));
  } catch {
    throw new Error(`[broadcast_shapes] Shapes ${xs.map((x) => shapeToString(x._shape)).join(' and ')} cannot be broadcast.`);
  }
  return xs.map((x) => broadcastTo(x, [...batch, ...x._shape.slice(-2)], s));
}

/**
 * gatherQMM(x, w, scales, biases?, lhsIndices?, rhsIndices?, transpose = true, groupSize?,
 * bits?, mode = 'affine', globalScale?, sortedIndices = false): quantizedMatmul of the matrices
 * of x and w picked by flat indices into their batch dims (node-mlx's order, where
 * sortedIndices followed bits, is accepted too).
 */
export function gatherQMM(
  x: ScalarOrArray,
  w: ScalarOrArray,
  scales: ScalarOrArray,
  biases?: ScalarOrArray | null,
  lhsIndices?: ScalarOrArray | null,
  rhsIndices?: ScalarOrArray | null,
  transpose = true,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | boolean | StreamOrDevice = 'affine',
  globalScale?: ScalarOrArray | null | StreamOrDevice,
  sortedIndices = false,
  s?: StreamOrDevice,
): MxArray {
  // node-mlx: (..., bits, sortedIndices, s)
  if (typeof mode === 'boolean') [mode, sortedIndices, s, globalScale] = ['affine', mode, globalScale as StreamOrDevice | undefined, null];
  else if (isStream(mode)) [mode, s] = ['affine', mode];
  if (isStream(globalScale)) [globalScale, s] = [null, globalScale];
  const op = 'gather_qmm';
  if ((lhsIndices === null || lhsIndices === undefined) && (rhsIndices === null || rhsIndices === undefined)) {
    if (globalScale !== null && globalScale !== undefined) throw new Error('[gather_qmm] Global scale is only supported on the GPU.');
    return quantizedMatmul(x, w, scales, biases, transpose, groupSize, bits, mode, s);
  }
  const a = asArray(x, 'x', op), wq = asArray(w, 'w', op), sc = asArray(scales, 'scales', op);
  const bi = optArray(biases, 'biases', op);
  const [scaleType, m] = modeAndType(op, sc, bi, null, mode);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  // MLX 0.32.4 takes a global scale here only on its GPU
  if (globalScale !== null && globalScale !== undefined) throw new Error('[gather_qmm] Global scale is only supported on the GPU.');
  const [, outer] = quantizedDims(op, a, wq, sc, bi, transpose !== false, gs, bs);
  const d = matmulDtype(op, a, m, scaleType);
  checkMatmulParams(op, m, gs, bs);
  let lhs = indicesOrDefault(op, lhsIndices, a, s);
  let rhs = indicesOrDefault(op, rhsIndices, wq, s);
  [lhs, rhs] = broadcastArrays([lhs, rhs], s) as [MxArray, MxArray];
  const shape = [...lhs._shape, a._shape[a.ndim - 2]!, outer];
  const inputs = m === 'affine' ? [astype(a, d, s), wq, astype(sc, d, s), astype(bi!, d, s), lhs, rhs] : [astype(a, d, s), wq, sc, lhs, rhs];
  const sorted = sortedIndices === true;
  const noLhs = lhsIndices === null || lhsIndices === undefined, noRhs = rhsIndices === null || rhsIndices === undefined;
  return makeArray(
    shape,
    d,
    new Primitive(GatherQMM, { groupSize: gs, bits: bs, mode: m, transpose: transpose !== false, leftSorted: sorted && noRhs, rightSorted: sorted && noLhs }),
    inputs,
    s,
  );
}

// ---- qqmm: both operands quantized ----

function qqMode(mode: unknown, op: string): QuantizationMode {
  const m = parseMode(mode, op);
  // MLX's CPU reads any non-nvfp4 mode as an fp format (affine gives garbage there)
  if (m === 'affine') throw new Error(`[${op}] Only the 'nvfp4', 'mxfp8' and 'mxfp4' modes quantize both operands.`);
  return m;
}

function checkQQOperands(op: string, x: MxArray, w: MxArray, scales: MxArray | null, gs: number, bits: number, m: QuantizationMode, gx: MxArray | null, gw: MxArray | null): [number, number] {
  if (w._dtype === uint32) {
    if (!scales) throw new Error(`[${op}] Scales must be provided if second argument is quantized.`);
    checkQuantizedInput(op, w, scales, gs, bits, null);
  } else if (!isFloating(w._dtype) || w._dtype === float64) {
    throw new TypeError(`[${op}] Only real floating types except float64 are supported but second argument dtype == ${w._dtype.name}.`);
  }
  if (!isFloating(x._dtype) || x._dtype === float64) {
    throw new TypeError(`[${op}] Only real floating types except float64 are supported but first argument dtype == ${x._dtype.name}.`);
  }
  checkGlobalScale(op, m, gx);
  checkGlobalScale(op, m, gw);
  if (m === 'nvfp4' && (gx === null) !== (gw === null)) {
    throw new Error(`[${op}] For nvfp4 mode, either both global_scale_x and global_scale_w must be provided, or neither.`);
  }
  checkFpParams(m, gs, bits, op);
  const k = x._shape[x.ndim - 1]!;
  if (w._dtype !== uint32) {
    if (k !== w._shape[w.ndim - 1]) {
      throw new Error(`[${op}] Last dimension of first input with shape ${shapeToString(x._shape)} must match last dimension of second input with shape ${shapeToString(w._shape)}.`);
    }
    if (k % gs !== 0) throw new Error(`[${op}] The last dimension ${k} must be divisible by the group size ${gs}.`);
    return [k, w._shape[w.ndim - 2]!];
  }
  return quantizedDims(op, x, w, scales!, null, true, gs, bits);
}

/**
 * qqmm(x, w, scales?, groupSize?, bits?, mode = 'nvfp4', globalScaleX?, globalScaleW?):
 * x @ w.T with x quantized on the fly (rows, along K) and w used as given when quantized
 * (uint32 with its scales) or quantized on the fly. Its vjp treats the quantization as the
 * identity (straight through) and quantizes the cotangents as MLX does.
 */
export function qqmm(
  x: ScalarOrArray,
  w: ScalarOrArray,
  scales?: ScalarOrArray | null,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | StreamOrDevice = 'nvfp4',
  globalScaleX?: ScalarOrArray | null,
  globalScaleW?: ScalarOrArray | null,
  s?: StreamOrDevice,
): MxArray {
  if (isStream(mode)) [mode, s] = ['nvfp4', mode];
  const op = 'qqmm';
  const m = qqMode(mode, op);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  const xin = asArray(x, 'x', op), wq = asArray(w, 'w', op);
  let a = xin;
  if (a.ndim === 0) throw new Error('[qqmm] Got 0 dimension input. Inputs must have at least one dimension.');
  if (a.ndim === 1) a = expandTo(a, [0], s);
  else if (wq.ndim === 2 && a.ndim > 2) a = flatten(a, 0, -2, s);
  if (a.ndim > 2 || wq.ndim > 2) {
    throw new Error(`[qqmm] Only 2D inputs are supported but x.ndim() == ${a.ndim} and w.ndim() == ${wq.ndim}.`);
  }
  const sc = optArray(scales, 'scales', op), gx = optArray(globalScaleX, 'global_scale_x', op), gw = optArray(globalScaleW, 'global_scale_w', op);
  const [, outer] = checkQQOperands(op, a, wq, sc, gs, bs, m, gx, gw);
  const inputs = [a, wq];
  if (sc) inputs.push(sc);
  if (gx && gw) inputs.push(gx, gw);
  let out = makeArray([a._shape[0]!, outer], a._dtype, new Primitive(QQMatmul, { groupSize: gs, bits: bs, mode: m, wScales: sc !== null, globalScales: gx !== null }), inputs, s);
  if (xin.ndim > 2) out = unflatten(out, 0, xin._shape.slice(0, -1), s);
  else if (xin.ndim === 1) out = squeezeTo(out, [0], s);
  return out;
}

/**
 * gatherQQMM(x, w, scales?, lhsIndices?, rhsIndices?, groupSize?, bits?, mode = 'nvfp4',
 * globalScaleX?, globalScaleW?, sortedIndices = false): qqmm of the matrices picked by flat
 * indices into the batch dims of x and w.
 */
export function gatherQQMM(
  x: ScalarOrArray,
  w: ScalarOrArray,
  scales?: ScalarOrArray | null,
  lhsIndices?: ScalarOrArray | null,
  rhsIndices?: ScalarOrArray | null,
  groupSize?: number | null,
  bits?: number | null,
  mode: QuantizationMode | StreamOrDevice = 'nvfp4',
  globalScaleX?: ScalarOrArray | null,
  globalScaleW?: ScalarOrArray | null,
  sortedIndices = false,
  s?: StreamOrDevice,
): MxArray {
  if (isStream(mode)) [mode, s] = ['nvfp4', mode];
  const op = 'gather_qqmm';
  const m = qqMode(mode, op);
  const [gs, bs] = modeParams(m, groupSize, bits, op);
  const a = asArray(x, 'x', op), wq = asArray(w, 'w', op);
  let lhs = indicesOrDefault(op, lhsIndices, a, s);
  let rhs = indicesOrDefault(op, rhsIndices, wq, s);
  [lhs, rhs] = broadcastArrays([lhs, rhs], s) as [MxArray, MxArray];
  const sc = optArray(scales, 'scales', op), gx = optArray(globalScaleX, 'global_scale_x', op), gw = optArray(globalScaleW, 'global_scale_w', op);
  const [, outer] = checkQQOperands(op, a, wq, sc, gs, bs, m, gx, gw);
  void sortedIndices; // a hint for faster kernels in MLX; the result is the same
  const inputs = [a, wq, lhs, rhs];
  if (sc) inputs.push(sc);
  if (gx && gw) inputs.push(gx, gw);
  return makeArray(
    [...lhs._shape, a._shape[a.ndim - 2]!, outer],
    a._dtype,
    new Primitive(GatherQQMM, { groupSize: gs, bits: bs, mode: m, wScales: sc !== null, globalScales: gx !== null }),
    inputs,
    s,
  );
}

