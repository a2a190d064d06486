// GatherMM, BlockMaskedMM, SegmentedMM (MLX 0.32.4): matmuls of matrices picked by flat batch
// indices, with blocks masked out, or summed over segments of K. vjps follow
// mlx/primitives.cpp; the jvps (MLX has none) and vmaps are the ones their definitions imply.
import { makeArray, type MxArray } from '../array.js';
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { bool, int32, uint32 } from '../dtype.js';
import { shapeSize } from '../shape.js';
import { astype, reshape, broadcastTo, broadcastArrays, asStrided, sliceView } from '../ops/views.js';
import { add, multiply, logicalAnd, greaterEqual, less } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { zeros, zerosLike, full, arange } from '../ops/creation.js';
import { cumsum } from '../ops/scan.js';
import { flatten, swapaxes, concatenate, expandDims, pad, stack } from '../ops/shape.js';
import { matmul } from '../ops/linalg.js';
import { moveBatchAxis } from './rules.js';
import { gatherMM, blockMaskedMM, segmentedMM } from '../ops/matmul-variants.js';
import { batchFirst, batchSize, scatterAddInto } from './views.js';

/** zeros shaped like `like` (…, M, K) viewed as (B, M, K), with g[i] (…, M, K) added at batch idx[i]. */
export function scatterRows(like: readonly number[], dtype: MxArray['_dtype'], idx: MxArray, g: MxArray): MxArray {
  const M = like[like.length - 2]!, K = like[like.length - 1]!;
  const B = shapeSize(like.slice(0, -2));
  const per = M * K;
  const pos = add(multiply(reshape(astype(idx, uint32), [...idx._shape, 1]), BigInt(per)), reshape(arange(0, per, 1, uint32), [1, per]));
  return reshape(scatterAddInto([B * per], dtype, flatten(pos), flatten(g)), [...like]);
}

/**
 * MLX's gather_mm_grad: d(out)/d(w) summed per batch entry of w, (…wBatch, N, K) for x (…, M, K)
 * and dy (…, M, N); a segmented matmul when the indices are sorted.
 */
export function gatherMmGrad(x: MxArray, dy: MxArray, lhs: MxArray, rhs: MxArray, sorted: boolean, batchShape: number[]): MxArray {
  const M = x._shape[x.ndim - 2]!, K = x._shape[x.ndim - 1]!, N = dy._shape[dy.ndim - 1]!;
  const nSeg = shapeSize(batchShape);
  if (sorted) {
    let seg = scatterAddInto([nSeg], uint32, astype(flatten(rhs), uint32), full([rhs.size], BigInt(M), uint32));
    seg = concatenate([zeros([1], uint32), cumsum(seg, 0)], 0);
    seg = asStrided(seg, [nSeg, 2], [1, 1], 0);
    return reshape(segmentedMM(swapaxes(flatten(dy, 0, -2), 0, 1), flatten(x, 0, -2), seg), [...batchShape, N, K]);
  }
  const dw = gatherMM(swapaxes(dy, -1, -2), x, null, lhs);
  return scatterRows([...batchShape, N, K], dw._dtype, rhs, dw);
}

/**
 * vmap of a gather primitive with inputs [A, ...group, lhs, rhs] (group: the nB arrays that
 * share the rhs batch dims): a batched operand's example axis joins its batch dims, and the
 * indices are offset to each example's block; the result has the batch axis first.
 */
export function gatheredBatch(inputs: MxArray[], axes: number[], nA: number, nB: number, build: (xs: MxArray[]) => MxArray): MxArray {
  const n = batchSize(inputs, axes);
  const L = nA + nB;
  const fold = (arrs: MxArray[], axs: number[], idx: MxArray, idxAx: number): [MxArray[], MxArray] => {
    let i = batchFirst(idx, idxAx, n);
    if (!axs.some((a) => a >= 0)) return [arrs, i];
    const moved = arrs.map((x, k) => batchFirst(x, axs[k]!, n));
    const count = shapeSize(moved[0]!._shape.slice(1, -2));
    const flat = moved.map((x) => reshape(x, [n * count, ...x._shape.slice(-2)]));
    i = add(astype(i, uint32), reshape(arange(0, n * count, count, uint32), [n, ...i._shape.slice(1).map(() => 1)]));
    return [flat, i];
  };
  const [as, lhs] = fold(inputs.slice(0, nA), axes.slice(0, nA), inputs[L]!, axes[L]!);
  const [bs, rhs] = fold(inputs.slice(nA, L), axes.slice(nA, L), inputs[L + 1]!, axes[L + 1]!);
  const [l, r] = broadcastArrays([lhs, rhs]);
  return build([...as, ...bs, l!, r!]);
}

/** GatherMM: inputs [a (…, M, K), b (…, K, N), lhsIndices, rhsIndices] (uint32, one shape). */
export const GatherMM = definePrimitive<{ leftSorted: boolean; rightSorted: boolean }>({
  name: 'GatherMM',
  describe: (p) => `${p.leftSorted ? 'left_sorted ' : ''}${p.rightSorted ? 'right_sorted' : ''}`.trim(),
  outputShapes: (_p, [a, b, lhs]) => [[...lhs!, a![a!.length - 2]!, b![b!.length - 1]!]],
  vjp: (p, [a, b, lhs, rhs], [cot], argnums) => {
    const M = cot!._shape[cot!.ndim - 2]!, K = a!._shape[a!.ndim - 1]!;
    const sorted = p.leftSorted || p.rightSorted;
    const noBroadcast = rhs!.size * M * K === a!.size;
    return argnums.map((i) => {
      if (i === 0) {
        const g = gatherMM(cot!, swapaxes(b!, -1, -2), null, rhs!, sorted);
        // sorted indices pick a's matrices in order: g is a's cotangent, laid out as the output's batch
        return sorted && noBroadcast ? reshape(g, a!._shape) : scatterRows(a!._shape, a!._dtype, lhs!, g);
      }
      if (i === 1) return swapaxes(gatherMmGrad(a!, cot!, lhs!, rhs!, sorted, b!._shape.slice(0, -2)), -1, -2);
      throw new Error('[GatherMM] Cannot calculate VJP with respect to indices. Use stop_gradient on indices to stop gradients from being computed.');
    });
  },
  jvp: (_p, [a, b, lhs, rhs], tangents, argnums) => {
    if (argnums.some((i) => i > 1)) throw new Error('[GatherMM] Cannot calculate JVP with respect to indices.');
    const parts = argnums.map((i, k) => (i === 0 ? gatherMM(tangents[k]!, b!, lhs!, rhs!) : gatherMM(a!, tangents[k]!, lhs!, rhs!)));
    return [parts.reduce((x, y) => add(x, y))];
  },
  // (the examples' indices, offset and stacked, are no longer sorted as a whole: no hint)
  vmap: (_p, inputs, axes) => [[gatheredBatch(inputs, axes, 1, 1, (xs) => makeGatherMM({ leftSorted: false, rightSorted: false }, xs))], [0]],
});

function makeGatherMM(p: { leftSorted: boolean; rightSorted: boolean }, [a, b, l, r]: MxArray[]): MxArray {
  return makeArray([...l!._shape, a!._shape[a!.ndim - 2]!, b!._shape[b!.ndim - 1]!], a!._dtype, new Primitive(GatherMM, p), [a!, b!, l!, r!]);
}

/** The block mask (…, ceil(Y/bs), ceil(X/bs)) expanded to elements and cut to (…, Y, X). */
function expandMask(mask: MxArray, bs: number, Y: number, X: number): MxArray {
  const sh = mask._shape;
  const nd = sh.length;
  let m = expandDims(expandDims(mask, -1), -3);
  m = broadcastTo(m, [...sh.slice(0, -2), sh[nd - 2]!, bs, sh[nd - 1]!, bs]);
  m = reshape(m, [...sh.slice(0, -2), sh[nd - 2]! * bs, sh[nd - 1]! * bs]);
  return sliceView(m, m._shape.map(() => 0), [...sh.slice(0, -2), Y, X], m._shape.map(() => 1));
}

/**
 * BlockMaskedMM: inputs [a, b, maskOut?, maskLhs?, maskRhs?] (3 inputs: the out mask; 4:
 * the operand masks; 5: all), every batch dim already broadcast. Masks are bool (false
 * zeroes the block) or of the output dtype (the block is multiplied).
 */
export const BlockMaskedMM: PrimitiveDef<{ blockSize: number }> = definePrimitive<{ blockSize: number }>({
  name: 'BlockMaskedMM',
  describe: (p) => `block_size=${p.blockSize}`,
  outputShapes: (_p, [a, b]) => [[...a!.slice(0, -1), b![b!.length - 1]!]],
  vjp: ({ blockSize: bs }, primals, [cot], argnums) => {
    const [a, b] = primals as [MxArray, MxArray];
    const hasOpMask = primals.length > 3;
    const hasOutMask = primals.length === 3 || primals.length === 5;
    const opIdx = hasOutMask ? 3 : 2;
    // (MLX reads only the last argnum for these two flags)
    const last = argnums[argnums.length - 1];
    const needsLhsMask = hasOpMask && last === opIdx;
    const needsRhsMask = hasOpMask && last === opIdx + 1;
    if ((needsLhsMask && primals[opIdx]!._dtype === bool) || (needsRhsMask && primals[opIdx + 1]!._dtype === bool)) {
      throw new Error('[BlockMaskedMM] Cannot calculate VJP with respect to boolean masks. Use stop_gradient on masks to stop gradients from being computed.');
    }
    const c = cot!;
    const M = c._shape[c.ndim - 2]!, N = c._shape[c.ndim - 1]!, K = a._shape[a.ndim - 1]!;
    const up = (v: number) => Math.ceil(v / bs) * bs - v;
    const outMask = hasOutMask ? primals[2]! : null;
    const lhsMask = hasOpMask ? primals[opIdx]! : null;
    const rhsMask = hasOpMask ? primals[opIdx + 1]! : null;
    const tr = (x: MxArray) => swapaxes(x, -1, -2);
    const mulPadReduce = (p: MxArray, q: MxArray, ay: number, ax: number): MxArray => {
      let r = multiply(p, q);
      if (ay || ax) r = pad(r, [...r._shape.slice(0, -2).map((): [number, number] => [0, 0]), [0, ay], [0, ax]], 0);
      const s = r._shape;
      r = reshape(r, [...s.slice(0, -2), s[s.length - 2]! / bs, bs, s[s.length - 1]! / bs, bs]);
      return sum(r, [-3, -1]);
    };
    let lhsGrad: MxArray | null = null, rhsGrad: MxArray | null = null;
    return argnums.map((i) => {
      if (i === 0) {
        let g = blockMaskedMM(c, tr(b), bs, hasOpMask && !needsLhsMask ? lhsMask : null, outMask, rhsMask ? tr(rhsMask) : null);
        if (needsLhsMask) {
          lhsGrad = g;
          g = multiply(g, expandMask(lhsMask!, bs, M, K));
        }
        return g;
      }
      if (i === 1) {
        let g = blockMaskedMM(tr(a), c, bs, hasOpMask && !needsRhsMask ? rhsMask : null, lhsMask ? tr(lhsMask) : null, outMask);
        if (needsRhsMask) {
          rhsGrad = g;
          g = multiply(g, expandMask(rhsMask!, bs, K, N));
        }
        return g;
      }
      // (MLX 0.32.4 multiplies by the product with the out mask already applied: the mask
      // counts twice there. This is the derivative: the product before the out mask.)
      if (i === 2 && hasOutMask) return mulPadReduce(c, blockMaskedMM(a, b, bs, null, lhsMask, rhsMask), up(M), up(N));
      if (i === opIdx && hasOpMask) {
        lhsGrad ??= blockMaskedMM(c, tr(b), bs, null, outMask, tr(rhsMask!));
        return mulPadReduce(a, lhsGrad, up(M), up(K));
      }
      if (i === opIdx + 1 && hasOpMask) {
        rhsGrad ??= blockMaskedMM(tr(a), c, bs, null, tr(lhsMask!), outMask);
        return mulPadReduce(b, rhsGrad, up(K), up(N));
      }
      throw new Error('[BlockMaskedMM] Cannot calculate VJP with respect to masks. Use stop_gradient on masks to stop gradients from being computed.');
    });
  },
  // linear in a and in b (MLX has no jvp)
  jvp: ({ blockSize: bs }, primals, tangents, argnums) => {
    if (argnums.some((i) => i > 1)) throw new Error('[BlockMaskedMM] Cannot calculate JVP with respect to masks.');
    const rest = primals.slice(2);
    const parts = argnums.map((i, k) => {
      const xs = [...primals];
      xs[i] = tangents[k]!;
      return makeArray(outShape(xs), xs[0]!._dtype, new Primitive(BlockMaskedMM, { blockSize: bs }), [xs[0]!, xs[1]!, ...rest]);
    });
    return [parts.reduce((x, y) => add(x, y))];
  },
  vmap: (p, inputs, axes) => {
    const n = batchSize(inputs, axes);
    const xs = inputs.map((x, i) => batchFirst(x, axes[i]!, n));
    return [[makeArray(outShape(xs), xs[0]!._dtype, new Primitive(BlockMaskedMM, p), xs)], [0]];
  },
});

const outShape = ([a, b]: MxArray[]): number[] => [...a!._shape.slice(0, -1), b!._shape[b!.ndim - 1]!];

/** Per segment, which k of [0, K) it sums over: (S, K) in `dtype` (segments flattened to S). */
function segmentMask(seg: MxArray, K: number, dtype: MxArray['_dtype']): MxArray {
  const s = reshape(astype(seg, int32), [-1, 2]);
  const k = reshape(arange(0, K, 1, int32), [1, K]);
  const lo = sliceView(s, [0, 0], [s._shape[0]!, 1], [1, 1]), hi = sliceView(s, [0, 1], [s._shape[0]!, 2], [1, 1]);
  return astype(logicalAnd(greaterEqual(k, lo), less(k, hi)), dtype);
}

/**
 * SegmentedMM: inputs [a (M, K), b (K, N), segments (…, 2) uint32]; out (…, M, N). MLX has
 * no rules for it; these are its derivatives (linear in a and in b, each segment over its k).
 */
export const SegmentedMM: PrimitiveDef = definePrimitive({
  name: 'SegmentedMM',
  outputShapes: (_p, [a, b, seg]) => [[...seg!.slice(0, -1), a![0]!, b![1]!]],
  vjp: (_p, [a, b, seg], [cot], argnums) => {
    const [M, K] = a!._shape as [number, number];
    const N = b!._shape[1]!;
    const mask = segmentMask(seg!, K, a!._dtype);
    const S = mask._shape[0]!;
    const c = reshape(cot!, [S, M, N]);
    return argnums.map((i) => {
      if (i === 0) return sum(multiply(matmul(c, swapaxes(b!, 0, 1)), reshape(mask, [S, 1, K])), 0);
      if (i === 1) return sum(multiply(matmul(swapaxes(a!, 0, 1), c), reshape(mask, [S, K, 1])), 0);
      return zerosLike(seg!);
    });
  },
  jvp: (_p, [a, b, seg], tangents, argnums) => {
    const parts = argnums.filter((i) => i < 2).map((i) => (i === 0 ? segmentedMM(tangents[argnums.indexOf(0)]!, b!, seg!) : segmentedMM(a!, tangents[argnums.indexOf(1)]!, seg!)));
    return [parts.length ? parts.reduce((x, y) => add(x, y)) : zeros([...seg!._shape.slice(0, -1), a!._shape[0]!, b!._shape[1]!], a!._dtype)];
  },
  // segments batched alone: more leading dims; otherwise one product per example
  vmap: (_p, inputs, axes) => {
    if (axes[0]! < 0 && axes[1]! < 0) return [[segmentedMM(inputs[0]!, inputs[1]!, moveBatchAxis(inputs[2]!, axes[2]!))], [0]];
    return [[vmapByLoop(inputs, axes, (a, b, seg) => segmentedMM(a!, b!, seg!))], [0]];
  },
});

/**
 * A batching rule for primitives whose batched form has no single node (2-D-only products):
 * the primitive once per example (unbatched inputs shared), the results stacked on axis 0.
 */
export function vmapByLoop(inputs: MxArray[], axes: number[], f: (...xs: MxArray[]) => MxArray): MxArray {
  const n = batchSize(inputs, axes);
  const pick = (x: MxArray, ax: number, i: number) => {
    if (ax < 0) return x;
    const y = moveBatchAxis(x, ax);
    return reshape(sliceView(y, [i, ...y._shape.slice(1).map(() => 0)], [i + 1, ...y._shape.slice(1)], y._shape.map(() => 1)), y._shape.slice(1));
  };
  return stack(Array.from({ length: n }, (_, i) => f(...inputs.map((x, k) => pick(x, axes[k]!, i)))));
}

