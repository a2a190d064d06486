// Matmul: every output element is a dot product accumulated in double (pairs of doubles for
// complex64), then stored with the output dtype's rounding.
import { registerKernel, elements } from './registry.js';
import { complex64 } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import { shapeSize } from '../../shape.js';

registerKernel('Matmul', (_prim, [a, b], [out]) => {
  const nd = out!.shape.length;
  const M = out!.shape[nd - 2]!;
  const N = out!.shape[nd - 1]!;
  const K = a!.shape[nd - 1]!;
  const batchShape = out!.shape.slice(0, nd - 2);
  const nBatch = shapeSize(batchShape);
  const as = a!.strides, bs = b!.strides;
  const sam = as[nd - 2]!, sak = as[nd - 1]!, sbk = b!.strides[nd - 2]!, sbn = bs[nd - 1]!;
  const isC = out!.dtype === complex64;
  const ea = elements(a!), eb = elements(b!), eo = elements(out!);
  const ra = numberReader(a!.dtype, ea);
  const rb = numberReader(b!.dtype, eb);
  const w = numberWriter(out!.dtype, eo);
  const ca = ea as Float32Array, cb = eb as Float32Array, co = eo as Float32Array;
  let o = 0;
  for (let bi = 0; bi < nBatch; bi++) {
    // batch offsets from the batch coordinates
    let offA = a!.offset, offB = b!.offset, rem = bi;
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
        if (isC) {
          co[2 * o] = re;
          co[2 * o + 1] = im;
        } else w(o, re);
        o++;
      }
    }
  }
});
