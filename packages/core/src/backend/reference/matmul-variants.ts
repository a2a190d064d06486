// GatherMM, BlockMaskedMM and SegmentedMM: plain dot products accumulated in double and
// rounded once, as the Matmul kernel. BlockMaskedMM applies MLX's masks in MLX's order: the
// operands' blocks are zeroed (bool false) or scaled (rounded to the dtype) before the
// product, the output's blocks after it.
import { registerKernel } from './registry.js';
import type { ArrayData } from '../interface.js';
import { bool } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { values, writeAll, rounder } from './quantized.js';

/** out (M, N) = a (M, K) @ b (K, N) from row-major values at the given offsets. */
function product(a: Float64Array, aOff: number, b: Float64Array, bOff: number, M: number, N: number, K: number, out: Float64Array, oOff: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[aOff + i * K + k]! * b[bOff + k * N + j]!;
      out[oOff + i * N + j] = acc;
    }
  }
}

const last2 = (d: ArrayData): [number, number] => [d.shape[d.shape.length - 2]!, d.shape[d.shape.length - 1]!];

function indices(d: ArrayData, count: number, what: string): Float64Array {
  const v = values(d);
  for (const i of v) if (!(i < count)) throw new RangeError(`[gather_mm] ${what} index ${i} is out of bounds for ${count} matrices.`);
  return v;
}

registerKernel('GatherMM', (_p, [a, b, l, r], [out]) => {
  const [M, K] = last2(a!);
  const N = b!.shape[b!.shape.length - 1]!;
  const lhs = indices(l!, shapeSize(a!.shape.slice(0, -2)), 'lhs');
  const rhs = indices(r!, shapeSize(b!.shape.slice(0, -2)), 'rhs');
  const av = values(a!), bv = values(b!);
  const res = new Float64Array(lhs.length * M * N);
  for (let i = 0; i < lhs.length; i++) product(av, lhs[i]! * M * K, bv, rhs[i]! * K * N, M, N, K, res, i * M * N);
  writeAll(out!, res);
});

/** Applies a block mask to the (Y, X) matrices of v (one per batch entry): false zeroes, a number scales. */
function mask(v: Float64Array, m: ArrayData, bs: number, Y: number, X: number, round: (x: number) => number): void {
  const mv = values(m);
  const [tY, tX] = last2(m);
  const isBool = m.dtype === bool;
  const nb = v.length / Math.max(1, Y * X);
  for (let b = 0; b < nb; b++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        const f = mv[b * tY * tX + Math.floor(y / bs) * tX + Math.floor(x / bs)]!;
        const i = b * Y * X + y * X + x;
        if (isBool) {
          if (f === 0) v[i] = 0;
        } else if (f !== 1) v[i] = round(v[i]! * f);
      }
    }
  }
}

registerKernel('BlockMaskedMM', (prim, inputs, [out]) => {
  const bs = (prim.params as { blockSize: number }).blockSize;
  const [a, b] = inputs as [ArrayData, ArrayData];
  const [M, K] = last2(a);
  const N = b.shape[b.shape.length - 1]!;
  const round = rounder(out!.dtype);
  const av = values(a), bv = values(b);
  const hasOpMask = inputs.length > 3, hasOutMask = inputs.length === 3 || inputs.length === 5;
  if (hasOpMask) {
    mask(av, inputs[inputs.length - 2]!, bs, M, K, round);
    mask(bv, inputs[inputs.length - 1]!, bs, K, N, round);
  }
  const nb = shapeSize(out!.shape.slice(0, -2));
  const res = new Float64Array(nb * M * N);
  for (let i = 0; i < nb; i++) product(av, i * M * K, bv, i * K * N, M, N, K, res, i * M * N);
  if (hasOutMask) {
    for (let i = 0; i < res.length; i++) res[i] = round(res[i]!);
    mask(res, inputs[2]!, bs, M, N, round);
  }
  writeAll(out!, res);
});

registerKernel('SegmentedMM', (_p, [a, b, seg], [out]) => {
  const [M, K] = last2(a!);
  const N = b!.shape[1]!;
  const av = values(a!), bv = values(b!), sv = values(seg!);
  const res = new Float64Array((sv.length / 2) * M * N);
  for (let s = 0; s < sv.length / 2; s++) {
    const k0 = sv[2 * s]!, k1 = sv[2 * s + 1]!;
    if (k1 <= k0) continue;
    if (k1 > K) throw new RangeError(`[segmented_mm] segment [${k0}, ${k1}) is out of bounds for an inner dimension of ${K}.`);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = k0; k < k1; k++) acc += av[i * K + k]! * bv[k * N + j]!;
        res[s * M * N + i * N + j] = acc;
      }
    }
  }
  writeAll(out!, res);
});
