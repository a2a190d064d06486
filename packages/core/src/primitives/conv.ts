// Convolution (MLX's Convolution primitive): input x (N, ...spatial, C), weight w
// (O, ...kernel, C / groups), output (N, ...out, O), channels last. Per spatial dim, with
// x dilated by inputDilation and padded by paddingLo/High (zeros), output position o reads
// tap k at o * stride + k * kernelDilation (the kernel reversed when `flip`). Both inputs
// already have the output dtype.
//
// The vjp follows MLX's Convolution::vjp: the input gradient is a convolution of the cotangent
// (dilated by the stride) with the transposed, flipped kernel; the weight gradient one of the
// transposed input with the transposed cotangent as kernel. Their paddings are derived from
// the window positions (not from paddingHigh), and negative ones crop the dilated operand
// (`convolutionCropped`), so gradients are right for asymmetric padding and input dilation,
// where MLX 0.32.4's have the wrong shape.
import type { MxArray } from '../array.js';
import { definePrimitive } from '../primitive.js';
import { isComplex } from '../dtype.js';
import { convolution, convolutionCropped } from '../ops/conv.js';
import { reshape, transpose, sliceView } from '../ops/views.js';
import { swapaxes } from '../ops/shape.js';
import { add, conjugate } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { moveBatchAxis } from './rules.js';

export interface ConvParams {
  strides: number[];
  paddingLo: number[];
  paddingHi: number[];
  kernelDilation: number[];
  inputDilation: number[];
  groups: number;
  flip: boolean;
}

const dilated = (n: number, d: number): number => 1 + d * (n - 1);
const conj = (x: MxArray): MxArray => (isComplex(x._dtype) ? conjugate(x) : x);
const size = (x: MxArray): number => x._shape.reduce((a, b) => a * b, 1);

/** w (O, ...K, Cg) as the kernel of the transposed conv: (G * Cg, ...K, O / G). */
function weightForInputGrad(w: MxArray, G: number): MxArray {
  const [O, ...rest] = w._shape;
  const Cg = rest.pop()!;
  const nd = rest.length;
  const g = reshape(w, [G, O! / G, ...rest, Cg]);
  const perm = [0, nd + 2, ...rest.map((_, i) => 2 + i), 1];
  return reshape(transpose(g, perm), [G * Cg, ...rest, O! / G]);
}

/** x (N, ...S, C) with the batch as channels, grouped: (C / G, ...S, G * N). */
function inputForWeightGrad(x: MxArray, G: number): MxArray {
  const [N, ...rest] = x._shape;
  const C = rest.pop()!;
  const nd = rest.length;
  const g = reshape(x, [N!, ...rest, G, C / G]);
  const perm = [nd + 2, ...rest.map((_, i) => 1 + i), nd + 1, 0];
  return reshape(transpose(g, perm), [C / G, ...rest, G * N!]);
}

function inputGrad(p: ConvParams, x: MxArray, w: MxArray, cot: MxArray): MxArray {
  if (size(x) === 0 || size(w) === 0 || size(cot) === 0) return zeros([...x._shape], x._dtype);
  const nd = p.strides.length;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < nd; i++) {
    const kd = dilated(w._shape[1 + i]!, p.kernelDilation[i]!);
    const ld = dilated(x._shape[1 + i]!, p.inputDilation[i]!);
    const yd = dilated(cot._shape[1 + i]!, p.strides[i]!);
    // dx[s] gathers the outputs whose windows cover position lo + s * inputDilation
    lo.push(kd - 1 - p.paddingLo[i]!);
    hi.push(ld + p.paddingLo[i]! - yd);
  }
  return convolutionCropped(cot, conj(weightForInputGrad(w, p.groups)), {
    strides: p.inputDilation,
    paddingLo: lo,
    paddingHi: hi,
    kernelDilation: p.kernelDilation,
    inputDilation: p.strides,
    groups: p.groups,
    flip: !p.flip,
  });
}

function weightGrad(p: ConvParams, x: MxArray, w: MxArray, cot: MxArray): MxArray {
  if (size(x) === 0 || size(w) === 0 || size(cot) === 0) return zeros([...w._shape], w._dtype);
  const nd = p.strides.length;
  const hi: number[] = [];
  for (let i = 0; i < nd; i++) {
    const kd = dilated(w._shape[1 + i]!, p.kernelDilation[i]!);
    const ld = dilated(x._shape[1 + i]!, p.inputDilation[i]!);
    const yd = dilated(cot._shape[1 + i]!, p.strides[i]!);
    // the padded input as far as the last window reaches
    hi.push(kd + yd - 1 - p.paddingLo[i]! - ld);
  }
  let g = convolutionCropped(conj(inputForWeightGrad(x, p.groups)), swapaxes(cot, 0, -1), {
    strides: p.kernelDilation,
    paddingLo: p.paddingLo,
    paddingHi: hi,
    kernelDilation: p.strides,
    inputDilation: p.inputDilation,
    groups: p.groups,
    flip: false,
  });
  if (p.flip) {
    const sh = g._shape;
    const spatial = (i: number) => i >= 1 && i <= nd;
    g = sliceView(
      g,
      sh.map((n, i) => (spatial(i) ? n - 1 : 0)),
      sh.map((n, i) => (spatial(i) ? -1 : n)),
      sh.map((_, i) => (spatial(i) ? -1 : 1)),
    );
  }
  return swapaxes(g, 0, -1);
}

export const Convolution = definePrimitive<ConvParams>({
  name: 'Convolution',
  describe: (p) =>
    `strides=[${p.strides}] padding=[${p.paddingLo}]|[${p.paddingHi}] kernel_dilation=[${p.kernelDilation}] input_dilation=[${p.inputDilation}] groups=${p.groups} flip=${p.flip}`,
  vjp: (p, [x, w], [cot], argnums) => argnums.map((i) => (i === 0 ? inputGrad(p, x!, w!, cot!) : weightGrad(p, x!, w!, cot!))),
  // linear in each input
  jvp: (p, [x, w], tangents, argnums) => {
    const terms = argnums.map((i, k) => (i === 0 ? convolution(tangents[k]!, w!, p) : convolution(x!, tangents[k]!, p)));
    return [terms.length === 1 ? terms[0]! : add(terms[0]!, terms[1]!)];
  },
  vmap: (p, [x0, w0], [ax, aw]) => {
    let x = x0!;
    let w = w0!;
    const nd = p.strides.length;
    const G = p.groups;
    if (ax! >= 0 && aw! < 0) {
      // the batch joins N
      x = moveBatchAxis(x, ax!, 0);
      const [B, N, ...rest] = x._shape;
      const out = convolution(reshape(x, [B! * N!, ...rest]), w, p);
      return [[reshape(out, [B!, N!, ...out._shape.slice(1)])], [0]];
    }
    if (ax! < 0 && aw! >= 0) {
      // the batch joins the output channels, inside each group: (G, B, O / G) channels
      w = moveBatchAxis(w, aw!, 0);
      const [B, O, ...rest] = w._shape;
      const Og = O! / G;
      const wg = reshape(swapaxes(reshape(w, [B!, G, Og, ...rest]), 0, 1), [G * B! * Og, ...rest]);
      const out = convolution(x, wg, p);
      const lead = out._shape.slice(0, nd + 1);
      const split = swapaxes(reshape(out, [...lead, G, B!, Og]), -3, -2);
      return [[reshape(split, [...lead, B!, O!])], [nd + 1]];
    }
    if (ax! >= 0 && aw! >= 0) {
      // a grouped convolution with B * G groups: batch b, group g is group b * G + g
      x = moveBatchAxis(x, ax!, nd + 1);
      const xs = x._shape;
      const B = xs[nd + 1]!;
      x = reshape(x, [...xs.slice(0, nd + 1), B * xs[nd + 2]!]);
      w = moveBatchAxis(w, aw!, 0);
      const [, O, ...rest] = w._shape;
      const out = convolution(x, reshape(w, [B * O!, ...rest]), { ...p, groups: G * B });
      return [[reshape(out, [...out._shape.slice(0, nd + 1), B, O!])], [nd + 1]];
    }
    return [[convolution(x, w, p)], [-1]];
  },
});
