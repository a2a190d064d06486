// Matmul: every output element is a dot product accumulated in double (pairs of doubles for
// complex64), then stored with the output dtype's rounding.
import { registerKernel, elements } from './registry.js';
import { complex64 } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import { shapeSize, stridedOffsets } from '../../shape.js';
import type { ArrayData } from '../interface.js';

registerKernel('Matmul', (_prim, [a, b], [out]) => matmulInto(a!, b!, out!, null, 1, 0));
registerKernel('AddMM', (prim, [a, b, c], [out]) => {
  const { alpha, beta } = prim.params as { alpha: number; beta: number };
  matmulInto(a!, b!, out!, c!, alpha, beta);
});

/** out = alpha * (a @ b) + beta * c (c broadcast to out's shape, or absent), one rounding per element. */
function matmulInto(a: ArrayData, b: ArrayData, out: ArrayData, c: ArrayData | null, alpha: number, beta: number): void {
  const nd = out.shape.length;
  const M = out.shape[nd - 2]!;
  const N = out.shape[nd - 1]!;
  const K = a.shape[nd - 1]!;
  const batchShape = out.shape.slice(0, nd - 2);
  const nBatch = shapeSize(batchShape);
  const as = a.strides, bs = b.strides;
  const sam = as[nd - 2]!, sak = as[nd - 1]!, sbk = b.strides[nd - 2]!, sbn = bs[nd - 1]!;
  const isC = out.dtype === complex64;
  const ea = elements(a!), eb = elements(b!), eo = elements(out!);
  const ra = numberReader(a.dtype, ea);
  const rb = numberReader(b.dtype, eb);
  const w = numberWriter(out.dtype, eo);
  const cOffs = c ? stridedOffsets(c.shape, c.strides, c.offset) : null;
  const ec = c ? elements(c) : null;
  const rc = c ? numberReader(c.dtype, ec!) : null;
  const cc = ec as Float32Array | null;
  const ca = ea as Float32Array, cb = eb as Float32Array, co = eo as Float32Array;
  let o = 0;
  for (let bi = 0; bi < nBatch; bi++) {
    // batch offsets from the batch coordinates
    let offA = a.offset, offB = b.offset, rem = bi;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      const c = rem % batchShape[d]!;
      rem = Math.floor(rem / batchShape[d]!);
      offA += c * as[d]!;
      offB += c * bs[d]!;
    }
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let re = 0, im = 0;
        for (let k = 0; k < K; k++) {
          const pa = offA + i * sam + k * sak;
          const pb = offB + k * sbk + j * sbn;
          if (isC) {
            const ar = ca[2 * pa]!, ai = ca[2 * pa + 1]!, br = cb[2 * pb]!, bim = cb[2 * pb + 1]!;
            re += ar * br - ai * bim;
            im += ar * bim + ai * br;
          } else re += ra(pa) * rb(pb);
        }
        if (cOffs) {
          const pc = cOffs[o]!;
          if (isC) {
            re = alpha * re + beta * cc![2 * pc]!;
            im = alpha * im + beta * cc![2 * pc + 1]!;
          } else re = alpha * re + beta * rc!(pc);
        }
        if (isC) {
          co[2 * o] = re;
          co[2 * o + 1] = im;
        } else w(o, re);
        o++;
      }
    }
  }
}
