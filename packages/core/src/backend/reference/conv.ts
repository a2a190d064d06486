// Convolution: a direct loop. Every output element is sum over taps (row-major over the
// kernel's spatial dims), then channels of the group, of x * w, accumulated in double (pairs
// of doubles for complex64) and rounded once. Padding, input-dilation holes and positions past
// the input (MLX's truncated output size can leave a window running off the end) read as
// zeros that still multiply the weight, so 0 * inf is NaN there, as in an explicit GEMM.
import { registerKernel, elements } from './registry.js';
import { complex64 } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import type { ConvParams } from '../../primitives/conv.js';

registerKernel('Convolution', (prim, [x, w], [out]) => {
  const p = prim.params as ConvParams;
  const nd = p.strides.length;
  const xs = x!.strides;
  const ws = w!.strides;
  const [N, O] = [x!.shape[0]!, w!.shape[0]!];
  const Cg = w!.shape[nd + 1]!;
  const Og = O / p.groups;
  const oS = out!.shape.slice(1, nd + 1);
  const kS = w!.shape.slice(1, nd + 1);
  // per dim, for output position o and tap k: the input offset along that dim, NaN for a zero
  const tables = oS.map((no, i) => {
    const t = new Float64Array(no * kS[i]!);
    const d = p.inputDilation[i]!;
    for (let o = 0; o < no; o++) {
      for (let k = 0; k < kS[i]!; k++) {
        const q = o * p.strides[i]! + k * p.kernelDilation[i]! - p.paddingLo[i]!;
        const j = q / d;
        t[o * kS[i]! + k] = q >= 0 && q % d === 0 && j < x!.shape[1 + i]! ? j * xs[1 + i]! : NaN;
      }
    }
    return t;
  });
  // taps in row-major order: their coordinates and weight offsets (reversed kernel if flip)
  const taps: number[][] = [[]];
  for (let i = 0; i < nd; i++) {
    const next: number[][] = [];
    for (const t of taps) for (let k = 0; k < kS[i]!; k++) next.push([...t, k]);
    taps.splice(0, taps.length, ...next);
  }
  const wTap = taps.map((t) => t.reduce((acc, k, i) => acc + (p.flip ? kS[i]! - 1 - k : k) * ws[1 + i]!, 0));
  const isC = out!.dtype === complex64;
  const ex = elements(x!);
  const ew = elements(w!);
  const rx = numberReader(x!.dtype, ex);
  const rw = numberReader(w!.dtype, ew);
  const cx = ex as Float32Array;
  const cw = ew as Float32Array;
  const put = numberWriter(out!.dtype, elements(out!));
  const co = elements(out!) as Float32Array;
  const sxC = xs[nd + 1]!;
  const swC = ws[nd + 1]!;
  const oPos = new Array<number>(nd).fill(0);
  const nOut = oS.reduce((a, b) => a * b, 1);
  let idx = 0;
  for (let n = 0; n < N; n++) {
    for (let flat = 0; flat < nOut; flat++) {
      for (let r = flat, i = nd - 1; i >= 0; i--) {
        oPos[i] = r % oS[i]!;
        r = Math.floor(r / oS[i]!);
      }
      for (let oc = 0; oc < O; oc++) {
        const xBase = x!.offset + n * xs[0]! + Math.floor(oc / Og) * Cg * sxC;
        const wBase = w!.offset + oc * ws[0]!;
        let re = 0;
        let im = 0;
        taps.forEach((t, ti) => {
          let xo = xBase;
          for (let i = 0; i < nd; i++) xo += tables[i]![oPos[i]! * kS[i]! + t[i]!]!;
          const zero = Number.isNaN(xo);
          const wo = wBase + wTap[ti]!;
          for (let c = 0; c < Cg; c++) {
            const pw = wo + c * swC;
            if (isC) {
              const pxc = xo + c * sxC;
              const [ar, ai] = zero ? [0, 0] : [cx[2 * pxc]!, cx[2 * pxc + 1]!];
              const [br, bi] = [cw[2 * pw]!, cw[2 * pw + 1]!];
              re += ar * br - ai * bi;
              im += ar * bi + ai * br;
            } else re += (zero ? 0 : rx(xo + c * sxC)) * rw(pw);
          }
        });
        if (isC) {
          co[2 * idx] = re;
          co[2 * idx + 1] = im;
        } else put(idx, re);
        idx++;
      }
    }
  }
});
