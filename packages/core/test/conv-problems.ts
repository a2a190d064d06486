// Random convolution problems shared by the convolution suites (conv.test.ts, wasm-conv.test.ts,
// tests/differential/conv.test.ts): shapes (N, ...spatial, groups * cg) and (groups * og,
// ...kernel, cg) and per-dim stride, low/high padding, kernel and input dilation, plus flip,
// drawn so that the output is not empty.
import fc from 'fast-check';
import type { ConvParams } from '../src/primitives/conv.js';

export interface ConvProblem {
  nd: number;
  xs: number[];
  ws: number[];
  p: ConvParams;
}

export interface ConvProblemOptions {
  /** smallest batch N, input channels per group, output channels per group; default 1 */
  minN?: number;
  minCg?: number;
  /** largest ones; default 2, 2, 2 */
  maxN?: number;
  maxCg?: number;
  maxOg?: number;
  /** largest spatial input size; default 5 */
  maxSize?: number;
  /** groups in 3-D too (the primitive takes them; MLX's ops refuse them); default false */
  groups3d?: boolean;
  /**
   * 'truncated' (default) also keeps windows that MLX's truncated size division lets run past
   * the padded input; 'fit' only windows inside it (MLX's GEMM path reads outside its input
   * otherwise, so the differential suite compares only those).
   */
  windows?: 'truncated' | 'fit';
}

const dilated = (n: number, d: number): number => 1 + d * (n - 1);

/** The output size along one dim: MLX's (C++ truncating) formula; 0 for a window past the frame in 'fit' mode. */
export function convOutSize(n: number, k: number, p: ConvParams, i: number, windows: 'truncated' | 'fit' = 'truncated'): number {
  const span = dilated(n, p.inputDilation[i]!) + p.paddingLo[i]! + p.paddingHi[i]! - dilated(k, p.kernelDilation[i]!);
  if (windows === 'fit' && span < 0) return 0;
  return Math.trunc(span / p.strides[i]!) + 1;
}

export function convProblemArb(opts: ConvProblemOptions = {}): fc.Arbitrary<ConvProblem> {
  const dim = fc.record({
    s: fc.integer({ min: 1, max: opts.maxSize ?? 5 }),
    k: fc.integer({ min: 1, max: 3 }),
    st: fc.integer({ min: 1, max: 3 }),
    lo: fc.integer({ min: 0, max: 2 }),
    hi: fc.integer({ min: 0, max: 2 }),
    kd: fc.integer({ min: 1, max: 2 }),
    id: fc.integer({ min: 1, max: 2 }),
  });
  return fc
    .record({
      nd: fc.integer({ min: 1, max: 3 }),
      n: fc.integer({ min: opts.minN ?? 1, max: opts.maxN ?? 2 }),
      groups: fc.constantFrom(1, 1, 2, 3),
      cg: fc.integer({ min: opts.minCg ?? 1, max: opts.maxCg ?? 2 }),
      og: fc.integer({ min: 1, max: opts.maxOg ?? 2 }),
      dims: fc.array(dim, { minLength: 3, maxLength: 3 }),
      flip: fc.boolean(),
    })
    .map((r) => {
      const dims = r.dims.slice(0, r.nd);
      const groups = r.nd === 3 && !opts.groups3d ? 1 : r.groups;
      const p: ConvParams = {
        strides: dims.map((d) => d.st),
        paddingLo: dims.map((d) => d.lo),
        paddingHi: dims.map((d) => d.hi),
        kernelDilation: dims.map((d) => d.kd),
        inputDilation: dims.map((d) => d.id),
        groups,
        flip: r.flip,
      };
      return { nd: r.nd, xs: [r.n, ...dims.map((d) => d.s), groups * r.cg], ws: [groups * r.og, ...dims.map((d) => d.k), r.cg], p };
    })
    .filter(({ xs, ws, p }) => xs.slice(1, -1).every((n, i) => convOutSize(n, ws[1 + i]!, p, i, opts.windows) > 0));
}
