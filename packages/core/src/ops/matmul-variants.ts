// Matmul variants of mlx/ops.cpp (MLX 0.32.4): gatherMM (matrices picked by flat indices into
// the batch dims), blockMaskedMM (blocks of the operands and the output masked out) and
// segmentedMM (one product per segment of K). Only real floating dtypes multiply.
import { MxArray, makeArray, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { type Dtype, bool, uint32, promoteTypes, isFloating, isInteger } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { shapeToString, shapeSize, broadcastShapes } from '../shape.js';
import { asArray, asArrays2 } from '../convert.js';
import { astype, reshape, broadcastTo, broadcastArrays } from './views.js';
import { expandTo, squeezeTo, isStreamObject } from './internal.js';
import { arange } from './creation.js';
import { expandDims } from './shape.js';
import { matmul } from './linalg.js';
import { GatherMM, BlockMaskedMM, SegmentedMM } from '../primitives/matmul-variants.js';

/** The operands as 2-D+ matrices of one real floating dtype (MLX's checks, in its order). */
function operands(op: string, a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): { x: MxArray; y: MxArray; lhs1d: boolean; rhs1d: boolean; d: Dtype } {
  let [x, y] = asArrays2(a, b, op);
  if (x.ndim === 0 || y.ndim === 0) throw new Error(`[${op}] Got 0 dimension input. Inputs must have at least one dimension.`);
  const lhs1d = x.ndim === 1, rhs1d = y.ndim === 1;
  if (lhs1d) x = expandTo(x, [0], s);
  if (rhs1d) y = expandTo(y, [1], s);
  if (x._shape[x.ndim - 1] !== y._shape[y.ndim - 2]) {
    throw new Error(
      `[${op}] Last dimension of first input with shape ${shapeToString(x._shape)} must match second to last dimension of second input with shape ${shapeToString(y._shape)}.`,
    );
  }
  const d = promoteTypes(x._dtype, y._dtype);
  if (!isFloating(d)) {
    throw new TypeError(
      `[${op}] Only real floating point types are supported but ${x._dtype.name} and ${y._dtype.name} were provided which results in ${d.name}, which is not a real floating point type.`,
    );
  }
  return { x: astype(x, d, s), y: astype(y, d, s), lhs1d, rhs1d, d };
}

/** Removes the axes a 1-D operand added. */
function squeezeAdded(out: MxArray, lhs1d: boolean, rhs1d: boolean, s?: StreamOrDevice): MxArray {
  const nd = out.ndim;
  return squeezeTo(out, [...(lhs1d ? [nd - 2] : []), ...(rhs1d ? [nd - 1] : [])], s);
}

/** MLX's indices_or_default: given indices as uint32, or every batch position of x. */
export function indicesOrDefault(op: string, idx: ScalarOrArray | null | undefined, x: MxArray, s?: StreamOrDevice): MxArray {
  if (x.ndim < 2) throw new Error(`[${op}] Input must have at least two dimensions but got input with shape ${shapeToString(x._shape)}.`);
  if (idx !== null && idx !== undefined) {
    const i = asArray(idx, 'indices', op);
    if (!isInteger(i._dtype)) throw new TypeError(`[${op}] Got indices with invalid dtype. Indices must be integral.`);
    return astype(i, uint32, s);
  }
  const batch = x._shape.slice(0, -2);
  return reshape(arange(0, shapeSize(batch), 1, uint32, s), batch, s);
}

/**
 * gatherMM(a, b, lhsIndices?, rhsIndices?, sortedIndices = false): out[i] = a[lhs[i]] @ b[rhs[i]]
 * with flat indices into the batch dims of a and b (broadcast together); without indices, matmul.
 */
export function gatherMM(
  a: ScalarOrArray,
  b: ScalarOrArray,
  lhsIndices?: ScalarOrArray | null,
  rhsIndices?: ScalarOrArray | null,
  sortedIndices: boolean | StreamOrDevice = false,
  s?: StreamOrDevice,
): MxArray {
  if (isStreamObject(sortedIndices) || typeof sortedIndices === 'number') [sortedIndices, s] = [false, sortedIndices];
  const noLhs = lhsIndices === null || lhsIndices === undefined, noRhs = rhsIndices === null || rhsIndices === undefined;
  if (noLhs && noRhs) return matmul(a, b, s);
  const op = 'gather_mm';
  const { x, y, lhs1d, rhs1d, d } = operands(op, a, b, s);
  let lhs = indicesOrDefault(op, lhsIndices, x, s);
  let rhs = indicesOrDefault(op, rhsIndices, y, s);
  [lhs, rhs] = broadcastArrays([lhs, rhs], s) as [MxArray, MxArray];
  const sorted = sortedIndices === true;
  const out = makeArray(
    [...lhs._shape, x._shape[x.ndim - 2]!, y._shape[y.ndim - 1]!],
    d,
    new Primitive(GatherMM, { leftSorted: sorted && noRhs, rightSorted: sorted && noLhs }),
    [x, y, lhs, rhs],
    s,
  );
  return squeezeAdded(out, lhs1d, rhs1d, s);
}

/**
 * blockMaskedMM(a, b, blockSize = 64, maskOut?, maskLhs?, maskRhs?): a @ b with blocks of
 * blockSize x blockSize masked: a mask has one entry per block, (…, ceil(M/bs), ceil(N/bs))
 * for the output, (…, ceil(M/bs), ceil(K/bs)) for a, (…, ceil(K/bs), ceil(N/bs)) for b; a
 * bool entry false zeroes the block, a float entry scales it.
 */
export function blockMaskedMM(
  a: ScalarOrArray,
  b: ScalarOrArray,
  blockSize: number | StreamOrDevice = 64,
  maskOut?: ScalarOrArray | null,
  maskLhs?: ScalarOrArray | null,
  maskRhs?: ScalarOrArray | null,
  s?: StreamOrDevice,
): MxArray {
  if (isStreamObject(blockSize)) [blockSize, s] = [64, blockSize];
  const op = 'block_masked_mm';
  const has = (m: unknown) => m !== null && m !== undefined;
  if (!has(maskOut) && !has(maskLhs) && !has(maskRhs)) return matmul(a, b, s);
  if (blockSize !== 32 && blockSize !== 64) throw new Error(`[block_masked_mm] Only block_sizes 32, 64 are supported.Got block size ${String(blockSize)}.`);
  const bs = blockSize;
  const { x, y, lhs1d, rhs1d, d } = operands(op, a, b, s);
  let batch: number[];
  try {
    batch = broadcastShapes(x._shape.slice(0, -2), y._shape.slice(0, -2));
  } catch {
    throw new Error(`[broadcast_shapes] Shapes ${shapeToString(x._shape)} and ${shapeToString(y._shape)} cannot be broadcast.`);
  }
  const M = x._shape[x.ndim - 2]!, K = x._shape[x.ndim - 1]!, N = y._shape[y.ndim - 1]!;
  const tm = Math.ceil(M / bs), tn = Math.ceil(N / bs), tk = Math.ceil(K / bs);
  const inputs = [broadcastTo(x, [...batch, M, K], s), broadcastTo(y, [...batch, K, N], s)];
  const fit = (m: MxArray, r: number, c: number, dt: Dtype) => broadcastTo(astype(m, dt, s), [...batch, r, c], s);
  if (has(maskOut)) {
    let m = asArray(maskOut, 'mask_out', op);
    if (lhs1d || rhs1d) m = expandDims(m, [...(lhs1d ? [-2] : []), ...(rhs1d ? [-1] : [])], s);
    inputs.push(fit(m, tm, tn, m._dtype === bool ? bool : d));
  }
  if (has(maskLhs) || has(maskRhs)) {
    let ml = has(maskLhs) ? asArray(maskLhs, 'mask_lhs', op) : new MxArray([true]);
    let mr = has(maskRhs) ? asArray(maskRhs, 'mask_rhs', op) : new MxArray([true]);
    const dt = ml._dtype === bool && mr._dtype === bool ? bool : d;
    if (lhs1d) ml = expandDims(ml, -2, s);
    if (rhs1d) mr = expandDims(mr, -1, s);
    inputs.push(fit(ml, tm, tk, dt), fit(mr, tk, tn, dt));
  }
  const out = makeArray([...batch, M, N], d, new Primitive(BlockMaskedMM, { blockSize: bs }), inputs, s);
  return squeezeAdded(out, lhs1d, rhs1d, s);
}

/**
 * segmentedMM(a, b, segments): for each [k0, k1) pair of segments (…, 2), a[:, k0:k1] @
 * b[k0:k1, :]; the result is (…, M, N). a and b are 2-D.
 */
export function segmentedMM(a: ScalarOrArray, b: ScalarOrArray, segments: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const op = 'segmented_mm';
  let [x, y] = asArrays2(a, b, op);
  let seg = asArray(segments, 'segments', op);
  if (x.ndim !== 2 || y.ndim !== 2) throw new Error('[segmented_mm] Batched matmul not supported');
  if (seg.ndim < 1 || seg._shape[seg.ndim - 1] !== 2) {
    throw new Error(`[segmented_mm] The segments should have shape (..., 2) but ${shapeToString(seg._shape)} was provided.`);
  }
  const d = promoteTypes(x._dtype, y._dtype);
  if (!isFloating(d)) {
    throw new TypeError(
      `[segmented_mm] Only real floating point types are supported but ${x._dtype.name} and ${y._dtype.name} were provided which results in ${d.name}, which is not a real floating point type.`,
    );
  }
  if (!isInteger(seg._dtype)) throw new TypeError('[segmented_mm] Got segments with invalid dtype. Segments must be integral.');
  if (x._shape[1] !== y._shape[0]) {
    throw new Error(`[segmented_mm] Last dimension of first input with shape ${shapeToString(x._shape)} must match first dimension of second input with shape ${shapeToString(y._shape)}.`);
  }
  x = astype(x, d, s);
  y = astype(y, d, s);
  seg = astype(seg, uint32, s);
  return makeArray([...seg._shape.slice(0, -1), x._shape[0]!, y._shape[1]!], d, new Primitive(SegmentedMM, {}), [x, y, seg], s);
}
