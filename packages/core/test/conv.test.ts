// Convolutions (ops/conv.ts, primitives/conv.ts, the kernels of both backends): values against
// an independent float64 loop over an explicitly padded and dilated input (every parameter:
// strides, asymmetric padding, kernel and input dilation, groups, flip), transposed
// convolutions against their scatter definition, convolve against NumPy's definition, dtypes,
// MLX's error messages, gradients against finite differences, and compositions under grad,
// vmap and compile.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { rng, values } from '../../../tests/autograd/fd.js';
import type { ConvParams } from '../src/primitives/conv.js';
import { convProblemArb } from './conv-problems.js';

type P = ConvParams;

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => s.map((_, i) => prod(s.slice(i + 1)));
const f64 = (v: number[], shape: number[]) => mx.array(v, mx.float64).reshape(shape);
const flat = (a: mx.MxArray) => mx.reshape(a, [-1]).tolist() as number[];

/**
 * The definition, independently: the input dilated and padded into a zero array (extended with
 * zeros as far as MLX's truncated output size lets windows reach), then windows times the
 * (flipped) kernel, summed in double.
 */
function naive(xv: number[], xs: number[], wv: number[], ws: number[], p: P): { shape: number[]; data: number[] } {
  const nd = xs.length - 2;
  const [N, C] = [xs[0]!, xs[nd + 1]!];
  const [O, Cg] = [ws[0]!, ws[nd + 1]!];
  const inS = xs.slice(1, nd + 1);
  const kS = ws.slice(1, nd + 1);
  const kd = kS.map((k, i) => 1 + p.kernelDilation[i]! * (k - 1));
  const id = inS.map((n, i) => 1 + p.inputDilation[i]! * (n - 1));
  const oS = inS.map((_, i) => Math.trunc((id[i]! + p.paddingLo[i]! + p.paddingHi[i]! - kd[i]!) / p.strides[i]!) + 1);
  const ext = inS.map((_, i) => Math.max(p.paddingLo[i]! + id[i]! + p.paddingHi[i]!, (oS[i]! - 1) * p.strides[i]! + kd[i]!));
  const padded = new Float64Array(N * prod(ext) * C);
  const ps = strides([N, ...ext, C]);
  const xst = strides(xs);
  for (let e = 0; e < xv.length; e++) {
    const idx = xs.map((n, i) => Math.floor(e / xst[i]!) % n);
    let o = idx[0]! * ps[0]! + idx[nd + 1]!;
    for (let i = 0; i < nd; i++) o += (p.paddingLo[i]! + idx[1 + i]! * p.inputDilation[i]!) * ps[1 + i]!;
    padded[o] = xv[e]!;
  }
  const wst = strides(ws);
  const out: number[] = [];
  const Og = O / p.groups;
  const oShape = [N, ...oS, O];
  const ost = strides(oShape);
  for (let e = 0; e < prod(oShape); e++) {
    const idx = oShape.map((n, i) => Math.floor(e / ost[i]!) % n);
    const oc = idx[nd + 1]!;
    const g = Math.floor(oc / Og);
    let acc = 0;
    for (let t = 0; t < prod(kS); t++) {
      const k = kS.map((n, i) => Math.floor(t / strides(kS)[i]!) % n);
      for (let c = 0; c < Cg; c++) {
        let xo = idx[0]! * ps[0]! + g * Cg + c;
        let wo = oc * wst[0]! + c;
        for (let i = 0; i < nd; i++) {
          xo += (idx[1 + i]! * p.strides[i]! + k[i]! * p.kernelDilation[i]!) * ps[1 + i]!;
          wo += (p.flip ? kS[i]! - 1 - k[i]! : k[i]!) * wst[1 + i]!;
        }
        acc += padded[xo]! * wv[wo]!;
      }
    }
    out.push(acc);
  }
  return { shape: oShape, data: out };
}

function expectClose(got: number[], want: number[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  got.forEach((g, i) => {
    if (Math.abs(g - want[i]!) > tol * scale) expect(`element ${i}: ${g}`).toBe(`element ${i}: ${want[i]}`);
  });
}

const general = (x: mx.MxArray, w: mx.MxArray, p: P) => mx.convGeneral(x, w, p.strides, [p.paddingLo, p.paddingHi], p.kernelDilation, p.inputDilation, p.groups, p.flip);

/** Random problems (non-empty outputs), with a seed for their values. */
const problemArb = fc.tuple(convProblemArb(), fc.integer()).map(([q, seed]) => ({ ...q, seed }));

describe('convolution values', () => {
  it('conv1d by hand: stride, padding, dilation', () => {
    const x = mx.array([[[1], [2], [3], [4], [5]]]);
    const w = mx.array([[[1], [0], [-1]]]);
    expect(mx.conv1d(x, w).tolist()).toEqual([[[-2], [-2], [-2]]]);
    expect(mx.conv1d(x, w, 2, 1).tolist()).toEqual([[[-2], [-2], [4]]]);
    expect(mx.conv1d(x, w, 1, 0, 2).tolist()).toEqual([[[-4]]]);
    expect(mx.conv1d(x, w).dtype).toBe(mx.float32);
  });
  it('conv2d NHWC with OHWI weights, several channels', () => {
    // two input channels: the first all ones, the second 10 * position
    const x = mx.array([[[[1, 0], [1, 10]], [[1, 20], [1, 30]]]]);
    const w = mx.array([[[[1, 0]]], [[[0, 1]]], [[[1, 1]]]]);
    expect(mx.conv2d(x, w).tolist()).toEqual([[[[1, 0, 1], [1, 10, 11]], [[1, 20, 21], [1, 30, 31]]]]);
    const box = mx.ones([1, 2, 2, 2]);
    expect(mx.conv2d(x, box, 1, [1, 0]).shape).toEqual([1, 3, 1, 1]);
    expect(mx.conv2d(x, box, 1, [1, 0]).tolist()).toEqual([[[[12]], [[64]], [[52]]]]);
  });
  it('conv3d and convGeneral agree with the float64 definition on random problems', () => {
    fc.assert(
      fc.property(problemArb, ({ p, xs, ws, seed }) => {
        const r = rng(seed);
        const xv = values(prod(xs), 'any', r);
        const wv = values(prod(ws), 'any', r);
        const want = naive(xv, xs, wv, ws, p);
        const y = general(f64(xv, xs), f64(wv, ws), p);
        expect(y.shape).toEqual(want.shape);
        expectClose(flat(y), want.data);
      }),
      { numRuns: 60, seed: 20261206 },
    );
  });
  it('conv1d/2d/3d are convGeneral with symmetric padding', () => {
    const r = rng(7);
    const x2 = f64(values(2 * 5 * 6 * 4, 'any', r), [2, 5, 6, 4]);
    const w2 = f64(values(6 * 3 * 2 * 2, 'any', r), [6, 3, 2, 2]);
    expect(flat(mx.conv2d(x2, w2, [2, 1], [1, 2], [1, 2], 2))).toEqual(flat(mx.convGeneral(x2, w2, [2, 1], [1, 2], [1, 2], 1, 2)));
    const x3 = f64(values(1 * 4 * 3 * 5 * 2, 'any', r), [1, 4, 3, 5, 2]);
    const w3 = f64(values(3 * 2 * 2 * 3 * 2, 'any', r), [3, 2, 2, 3, 2]);
    const p: P = { strides: [1, 2, 1], paddingLo: [1, 0, 2], paddingHi: [1, 0, 2], kernelDilation: [2, 1, 1], inputDilation: [1, 1, 1], groups: 1, flip: false };
    const want = naive(flat(x3), x3.shape, flat(w3), w3.shape, p);
    const y = mx.conv3d(x3, w3, [1, 2, 1], [1, 0, 2], [2, 1, 1]);
    expect(y.shape).toEqual(want.shape);
    expectClose(flat(y), want.data);
    const x1 = f64(values(3 * 7 * 2, 'any', r), [3, 7, 2]);
    const w1 = f64(values(4 * 3 * 1, 'any', r), [4, 3, 1]);
    expect(flat(mx.conv1d(x1, w1, 2, 1, 2, 2))).toEqual(flat(mx.convGeneral(x1, w1, 2, 1, 2, 1, 2)));
  });
  it('strided and broadcast inputs give the contiguous result', () => {
    const r = rng(3);
    const x = f64(values(2 * 4 * 5 * 3, 'any', r), [2, 4, 5, 3]);
    const w = f64(values(2 * 2 * 3 * 3, 'any', r), [2, 2, 3, 3]);
    const want = flat(mx.conv2d(x, w, 1, 1));
    const xt = mx.copy(x.transpose([3, 1, 2, 0])).transpose([3, 1, 2, 0]);
    const wt = mx.copy(w.transpose([3, 2, 1, 0])).transpose([3, 2, 1, 0]);
    expect(flat(mx.conv2d(xt, wt, 1, 1))).toEqual(want);
    const rev = mx.copy(x.index(mx.Slice(null, null, -1))).index(mx.Slice(null, null, -1));
    expect(flat(mx.conv2d(rev, w, 1, 1))).toEqual(want);
    const b = mx.broadcastTo(x.index(mx.Slice(0, 1)), [2, 4, 5, 3]);
    const first = flat(mx.conv2d(x.index(mx.Slice(0, 1)), w, 1, 1));
    expect(flat(mx.conv2d(b, w, 1, 1))).toEqual([...first, ...first]);
  });
  it("MLX's truncated output size: windows may run past the input (zeros there)", () => {
    const x = mx.array([[[1], [2], [3]]]);
    // (3 - 5) / 3 truncates to 0: one output, as MLX
    expect(mx.conv1d(x, mx.ones([1, 5, 1]), 3).tolist()).toEqual([[[6]]]);
    expect(mx.conv1d(mx.array([[[1]]]), mx.ones([1, 2, 1]), 2).tolist()).toEqual([[[1]]]);
  });
  it('negative padding slices whole input elements, as MLX', () => {
    const x = mx.array([[[1], [2], [3], [4]]]);
    const w = mx.ones([1, 1, 1]);
    expect(mx.convGeneral(x, w, 1, [[-1], [0]]).tolist()).toEqual([[[2], [3], [4]]]);
    expect(mx.convGeneral(x, w, 1, [[0], [-2]]).tolist()).toEqual([[[1], [2]]]);
    expect(mx.convGeneral(x, w, 1, -1).tolist()).toEqual([[[2], [3]]]);
    // before the input dilation (MLX slices the input, not the dilated frame)
    expect(mx.convGeneral(x, w, 1, [[-1], [0]], 1, 2).tolist()).toEqual([[[2], [0], [3], [0], [4]]]);
  });
  it('padding and dilation zeros multiply the weights: 0 * inf is NaN', () => {
    const x = mx.array([[[1], [2], [3]]]);
    const w = mx.array([[[Infinity]]]);
    const y = mx.conv1d(x, w, 1, 1).tolist() as number[][][];
    expect(y[0]!.map((v) => v[0])).toEqual([NaN, Infinity, Infinity, Infinity, NaN]);
    const d = mx.convGeneral(x, w, 1, 0, 1, 2).tolist() as number[][][];
    expect(d[0]!.map((v) => v[0])).toEqual([Infinity, NaN, Infinity, NaN, Infinity]);
  });
  it('empty batches, channels and filters', () => {
    expect(mx.conv1d(mx.zeros([0, 4, 2]), mx.ones([3, 2, 2])).shape).toEqual([0, 3, 3]);
    expect(mx.conv1d(mx.ones([2, 4, 2]), mx.ones([0, 2, 2])).shape).toEqual([2, 3, 0]);
    expect(mx.conv1d(mx.ones([1, 3, 0]), mx.ones([2, 2, 0])).tolist()).toEqual([[[0, 0], [0, 0]]]);
    expect(mx.conv1d(mx.ones([1, 0, 1]), mx.ones([1, 1, 1]), 1, 1).tolist()).toEqual([[[0], [0]]]);
  });
});

/** Transposed convolution by its scatter definition: y[i * s - p + k * d] += x[i] * w[k]. */
function naiveTranspose(xv: number[], xs: number[], wv: number[], ws: number[], s: number[], pad: number[], dil: number[], outPad: number[], groups: number): { shape: number[]; data: number[] } {
  const nd = xs.length - 2;
  const [N, C] = [xs[0]!, xs[nd + 1]!];
  const [O, Cg] = [ws[0]!, ws[nd + 1]!];
  const Og = O / groups;
  const kS = ws.slice(1, nd + 1);
  const oS = xs.slice(1, nd + 1).map((n, i) => (n - 1) * s[i]! - 2 * pad[i]! + dil[i]! * (kS[i]! - 1) + 1 + outPad[i]!);
  const oShape = [N, ...oS, O];
  const out = new Float64Array(prod(oShape));
  const ost = strides(oShape);
  const xst = strides(xs);
  const wst = strides(ws);
  for (let e = 0; e < xv.length; e++) {
    const idx = xs.map((n, i) => Math.floor(e / xst[i]!) % n);
    const c = idx[nd + 1]!;
    const g = Math.floor(c / Cg);
    for (let t = 0; t < prod(kS); t++) {
      const k = kS.map((n, i) => Math.floor(t / strides(kS)[i]!) % n);
      const pos = k.map((kk, i) => idx[1 + i]! * s[i]! - pad[i]! + kk * dil[i]!);
      if (pos.some((q, i) => q < 0 || q >= oS[i]!)) continue;
      for (let og = 0; og < Og; og++) {
        const oc = g * Og + og;
        const o = idx[0]! * ost[0]! + pos.reduce((a, q, i) => a + q * ost[1 + i]!, 0) + oc;
        const wo = oc * wst[0]! + k.reduce((a, kk, i) => a + kk * wst[1 + i]!, 0) + (c - g * Cg);
        out[o] += xv[e]! * wv[wo]!;
      }
    }
  }
  return { shape: oShape, data: [...out] };
}

describe('transposed convolutions', () => {
  it('match the scatter definition (stride, padding, dilation, output padding, groups)', () => {
    const arb = fc.record({
      nd: fc.integer({ min: 1, max: 3 }),
      n: fc.integer({ min: 1, max: 2 }),
      groups: fc.constantFrom(1, 2),
      cg: fc.integer({ min: 1, max: 2 }),
      og: fc.integer({ min: 1, max: 2 }),
      dims: fc.array(fc.record({ l: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }), op: fc.integer({ min: 0, max: 2 }) }), { minLength: 3, maxLength: 3 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ nd, n, groups: g0, cg, og, dims: all, seed }) => {
        // padding within the kernel's reach and a non-empty output (else MLX slices or raises)
        const dims = all.slice(0, nd).map((d) => ({ ...d, p: Math.min(d.p, d.d * (d.k - 1), Math.floor(((d.l - 1) * d.s + d.d * (d.k - 1)) / 2)), op: Math.min(d.op, d.s - 1) }));
        const groups = nd === 3 ? 1 : g0;
        const xs = [n, ...dims.map((d) => d.l), groups * cg];
        const ws = [groups * og, ...dims.map((d) => d.k), cg];
        const r = rng(seed);
        const xv = values(prod(xs), 'any', r);
        const wv = values(prod(ws), 'any', r);
        const [s, pad, dil, op] = (['s', 'p', 'd', 'op'] as const).map((key) => dims.map((d) => d[key]));
        const want = naiveTranspose(xv, xs, wv, ws, s!, pad!, dil!, op!, groups);
        const fns = [
          () => mx.convTranspose1d(f64(xv, xs), f64(wv, ws), s![0], pad![0], dil![0], groups, op![0]),
          () => mx.convTranspose2d(f64(xv, xs), f64(wv, ws), s, pad, dil, groups, op),
          () => mx.convTranspose3d(f64(xv, xs), f64(wv, ws), s, pad, dil, groups, op),
        ];
        const y = fns[nd - 1]!();
        expect(y.shape).toEqual(want.shape);
        expectClose(flat(y), want.data);
      }),
      { numRuns: 50, seed: 20261207 },
    );
  });
  it("node-mlx's argument order: groups sixth, outputPadding after it", () => {
    const x = mx.ones([1, 2, 4]);
    const w = mx.ones([4, 2, 2]);
    expect(mx.convTranspose1d(x, w, 2, 0, 1, 2).shape).toEqual([1, 4, 4]);
    expect(mx.convTranspose1d(x, w, 2, 0, 1, 2, 1).shape).toEqual([1, 5, 4]);
    expect(mx.convTranspose2d(mx.ones([1, 2, 2, 1]), mx.ones([1, 3, 3, 1]), [2, 1], [1, 0]).shape).toEqual([1, 3, 4, 1]);
    expect(mx.convTranspose2d(mx.ones([1, 2, 2, 1]), mx.ones([1, 3, 3, 1]), [2, 1], [1, 0], 1, 1, [1, 0]).shape).toEqual([1, 4, 4, 1]);
  });
  it('padding beyond the kernel slices the input (MLX)', () => {
    expect(() => mx.convTranspose1d(mx.ones([2, 3, 4]), mx.ones([4, 2, 4]), 1, 3)).toThrow(
      '[conv] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis 1 for input with shape (2,0,4), padding low (0), padding high (0), and weight of shape (4,2,4).',
    );
  });
});

describe('convolve', () => {
  const npConvolve = (a: number[], v: number[], mode: string): number[] => {
    const full = Array.from({ length: a.length + v.length - 1 }, (_, n) => a.reduce((acc, ai, i) => acc + (n - i >= 0 && n - i < v.length ? ai * v[n - i]! : 0), 0));
    if (mode === 'full') return full;
    const [long, short] = a.length >= v.length ? [a.length, v.length] : [v.length, a.length];
    if (mode === 'valid') return full.slice(short - 1, long);
    const start = Math.floor((short - 1) / 2);
    return full.slice(start, start + long);
  };
  it("NumPy's convolve: full, same, valid; odd and even kernels; either argument longer", () => {
    const r = rng(11);
    for (const [la, lv] of [[5, 3], [5, 4], [3, 6], [1, 1], [4, 1], [2, 7]] as const) {
      const a = values(la, 'any', r);
      const v = values(lv, 'any', r);
      for (const mode of ['full', 'same', 'valid']) {
        const got = mx.convolve(mx.array(a, mx.float64), mx.array(v, mx.float64), mode);
        expectClose(got.tolist() as number[], npConvolve(a, v, mode));
      }
    }
    expect(mx.convolve([1, 2, 3], [0, 1, 0.5]).tolist()).toEqual([0, 1, 2.5, 4, 1.5]);
  });
  it('errors and dtypes', () => {
    expect(() => mx.convolve(mx.ones([2, 2]), mx.ones([2]))).toThrow('[convolve] Inputs must be 1D.');
    expect(() => mx.convolve(mx.ones([0]), mx.ones([2]))).toThrow('[convolve] Inputs cannot be empty.');
    expect(() => mx.convolve(mx.ones([3]), mx.ones([2]), 'bad')).toThrow('[convolve] Invalid mode.');
    // the longer one is the conv input, which must be floating; the kernel may be an integer
    expect(mx.convolve(mx.array([1n, 1n, 1n]), mx.ones([5])).dtype).toBe(mx.float32);
    expect(() => mx.convolve(mx.ones([3]), mx.array([1n, 1n, 1n, 1n, 1n]))).toThrow('[conv] Invalid input array with type int32');
  });
});

describe('dtypes and errors', () => {
  it("MLX's promotion: the input must be floating, the weight may be anything", () => {
    const x = mx.ones([1, 3, 2]);
    expect(mx.conv1d(x.astype(mx.float16), mx.ones([1, 1, 2], mx.float16)).dtype).toBe(mx.float16);
    expect(mx.conv1d(x.astype(mx.bfloat16), mx.ones([1, 1, 2], mx.bfloat16)).dtype).toBe(mx.bfloat16);
    expect(mx.conv1d(x.astype(mx.float16), mx.ones([1, 1, 2])).dtype).toBe(mx.float32);
    expect(mx.conv1d(x, mx.ones([1, 1, 2], mx.int32)).dtype).toBe(mx.float32);
    expect(mx.conv1d(x.astype(mx.float64), mx.ones([1, 1, 2], mx.bool)).dtype).toBe(mx.float64);
    const c = mx.conv1d(x, mx.array([[[{ re: 1, im: 2 }, { re: 0, im: 1 }]]]));
    expect(c.dtype).toBe(mx.complex64);
    expect(c.tolist()).toEqual([[[{ re: 1, im: 3 }], [{ re: 1, im: 3 }], [{ re: 1, im: 3 }]]]);
    const h = mx.conv1d(mx.array([[[1], [2]]], mx.float16), mx.array([[[1000]]], mx.float16));
    expect(h.tolist()).toEqual([[[1000], [2000]]]);
  });
  it("MLX's messages", () => {
    const o = (...s: number[]) => mx.ones(s);
    const cases: [() => unknown, string][] = [
      [() => mx.conv1d(o(2, 3, 2).astype(mx.int32), o(1, 1, 2)), '[conv] Invalid input array with type int32. Convolution currently only supports floating point types'],
      [() => mx.conv1d(o(2, 3, 2).astype(mx.complex64), o(1, 1, 2)), '[conv] Invalid input array with type complex64.'],
      [() => mx.conv1d(o(2, 3, 2), o(1, 1, 2), 0), '[conv] Stride sizes must be positive. Got strides (0).'],
      [() => mx.conv1d(o(2, 3, 2), o(1, 1, 2), 1, 0, 0), '[conv] Kernel dilation sizes must be positive. Got kernel dilation (0).'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), 1, 0, 1, 0), '[conv] Input dilation sizes must be positive. Got input dilation (0).'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), [1, 1]), '[conv] Invalid strides (1,1) for 1D convolution.'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), 1, [[1, 1], [0]]), '[conv] Invalid padding (1,1) | (0) for 1D convolution.'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), 1, [1, 2]), '[conv] Invalid padding (1,2) | (1,2) for 1D convolution.'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), 1, 0, [1, 1]), '[conv] Invalid kernel dilation (1,1) for 1D convolution.'],
      [() => mx.convGeneral(o(2, 3, 2), o(1, 1, 2), 1, 0, 1, [2, 2]), '[conv] Invalid input dilation (2,2) for 1D convolution.'],
      [() => mx.conv1d(o(2, 3, 3, 2), o(1, 1, 2)), '[conv] Invalid weight array with 3 dimensions for 2D convolution. Expected an array with 4 dimensions following the format [C_out, ..., C_in].'],
      [() => mx.conv2d(o(2, 3, 2), o(1, 1, 2)), '[conv] Invalid strides (1,1) for 1D convolution.'],
      [() => mx.convGeneral(o(2, 2), o(1, 2)), '[conv] Only works for inputs with 1-3 spatial dimensions. The inputs must be in the format [N, ..., C_in]'],
      [() => mx.convGeneral(o(2, 2, 2, 2, 2, 2), o(1, 1, 1, 1, 1, 2)), '[conv] Only works for inputs with 1-3 spatial dimensions.'],
      [() => mx.conv1d(o(2, 3, 4), o(4, 1, 2), 1, 0, 1, 3), '[conv] The input channels must be divisible by the number of groups. Got input with shape (2,3,4) and 3 groups.'],
      [() => mx.conv1d(o(2, 3, 4), o(3, 1, 2), 1, 0, 1, 2), '[conv] If groups > 1, the output channels must be divisible by the number of groups. Got 3 output channels and 2 groups.'],
      [() => mx.conv1d(o(2, 3, 4), o(4, 1, 1), 1, 0, 1, 2), 'Given groups=2 and weights of shape (4,1,1), expected to have 2 input channels but got 4 input channels instead.'],
      [() => mx.conv1d(o(2, 3, 4), o(4, 1, 3)), '[conv] Expect the input channels in the input and weight array to match but got shapes - input: (2,3,4) and weight: (4,1,3)'],
      [() => mx.conv3d(o(2, 3, 3, 3, 4), o(4, 1, 1, 1, 2), 1, 0, 1, 2), '[conv] Can only handle groups != 1 in 1D or 2D convolutions.'],
      [() => mx.conv1d(o(2, 3, 4), o(4, 5, 4)), '[conv] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis 1 for input with shape (2,3,4), padding low (0), padding high (0), and weight of shape (4,5,4).'],
      [() => mx.convTranspose1d(o(2, 3, 4), o(4, 2, 4), 0), '[conv] Input dilation sizes must be positive. Got input dilation (0).'],
      [() => mx.conv1d(o(2, 3, 2), o(1, 1, 2), 1, 0, 1, 0), '[conv] groups must be a positive integer, got 0.'],
      [() => mx.conv1d(o(2, 3, 2), o(1, 1, 2), 1.5), '[conv1d] stride must be an integer (int32), got 1.5.'],
      [() => mx.conv2d(o(1, 3, 3, 2), o(1, 1, 1, 2), [1, 1, 1]), '[conv2d] stride must be an integer or 2 integers, got [1,1,1].'],
    ];
    for (const [f, msg] of cases) expect(f).toThrow(msg);
  });
});

/** Gradients of sum(u * f(x, w)) by central differences, one element at a time (f is bilinear: exact up to rounding). */
function fdGrads(f: (x: mx.MxArray, w: mx.MxArray) => mx.MxArray, x: mx.MxArray, w: mx.MxArray, u: mx.MxArray): [number[], number[]] {
  const loss = (a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.multiply(f(a, b), u)).item() as number;
  const one = (a: mx.MxArray, i: number) => {
    const e = new Array<number>(a.size).fill(0);
    e[i] = 1;
    return f64(e, a.shape);
  };
  const gx = Array.from({ length: x.size }, (_, i) => (loss(mx.add(x, one(x, i)), w) - loss(mx.subtract(x, one(x, i)), w)) / 2);
  const gw = Array.from({ length: w.size }, (_, i) => (loss(x, mx.add(w, one(w, i))) - loss(x, mx.subtract(w, one(w, i)))) / 2);
  return [gx, gw];
}

describe('gradients', () => {
  it('vjp of every parameter combination against finite differences; jvp is the sum of both linear terms', () => {
    fc.assert(
      fc.property(problemArb, ({ p, xs, ws, seed }) => {
        const r = rng(seed);
        const x = f64(values(prod(xs), 'any', r), xs);
        const w = f64(values(prod(ws), 'any', r), ws);
        // MLX's 3-D convolutions refuse groups; the primitive itself takes them (vmap uses that)
        const f = (a: mx.MxArray, b: mx.MxArray) => general(a, b, p);
        const y = f(x, w);
        const u = f64(values(y.size, 'any', r), y.shape);
        const [, [gx, gw]] = mx.vjp(f, [x, w], [u]);
        expect(gx!.shape).toEqual(xs);
        expect(gw!.shape).toEqual(ws);
        const [fx, fw] = fdGrads(f, x, w, u);
        expectClose(flat(gx!), fx, 1e-9);
        expectClose(flat(gw!), fw, 1e-9);
        const tx = f64(values(prod(xs), 'any', r), xs);
        const tw = f64(values(prod(ws), 'any', r), ws);
        const [, [t]] = mx.jvp(f, [x, w], [tx, tw]);
        expectClose(flat(t!), flat(mx.add(f(tx, w), f(x, tw))), 1e-9);
      }),
      { numRuns: 40, seed: 20261208 },
    );
  });
  it('transposed convolutions and convolve differentiate too', () => {
    const r = rng(5);
    const x = f64(values(2 * 3 * 3 * 2, 'any', r), [2, 3, 3, 2]);
    const w = f64(values(4 * 3 * 2 * 1, 'any', r), [4, 3, 2, 1]);
    const f = (a: mx.MxArray, b: mx.MxArray) => mx.convTranspose2d(a, b, [2, 1], [1, 0], [1, 2], 2, [1, 0]);
    const y = f(x, w);
    const u = f64(values(y.size, 'any', r), y.shape);
    const [, [gx, gw]] = mx.vjp(f, [x, w], [u]);
    const [fx, fw] = fdGrads(f, x, w, u);
    expectClose(flat(gx!), fx, 1e-9);
    expectClose(flat(gw!), fw, 1e-9);
    const a = f64(values(6, 'any', r), [6]);
    const v = f64(values(3, 'any', r), [3]);
    const g = (p: mx.MxArray, q: mx.MxArray) => mx.convolve(p, q, 'same');
    const cu = f64(values(6, 'any', r), [6]);
    const [, [ga, gv]] = mx.vjp(g, [a, v], [cu]);
    const [fa, fv] = fdGrads(g, a, v, cu);
    expectClose(flat(ga!), fa, 1e-9);
    expectClose(flat(gv!), fv, 1e-9);
  });
  it('complex weights: the vjp conjugates as matmul does (a 1-wide kernel is a matmul)', () => {
    const x = mx.array([[[1, 2], [3, -1], [0.5, 2]]]);
    const w = mx.array([[[{ re: 1, im: 2 }, { re: -1, im: 0.5 }]], [[{ re: 0, im: 1 }, { re: 2, im: -1 }]]]);
    const u = mx.array([[[{ re: 1, im: -1 }, { re: 0.5, im: 2 }], [{ re: 2, im: 0 }, { re: -1, im: 1 }], [{ re: 0, im: 3 }, { re: 1, im: 1 }]]]);
    const viaConv = (a: mx.MxArray, b: mx.MxArray) => mx.conv1d(a, b);
    const viaMatmul = (a: mx.MxArray, b: mx.MxArray) => mx.expandDims(mx.matmul(a.index(0), mx.transpose(b.index(mx.Slice(), 0))), 0);
    expect(viaConv(x, w).tolist()).toEqual(viaMatmul(x, w).tolist());
    const [, gc] = mx.vjp(viaConv, [x, w], [u]);
    const [, gm] = mx.vjp(viaMatmul, [x, w], [u]);
    expect(gc[0]!.tolist()).toEqual(gm[0]!.tolist());
    expect(gc[1]!.tolist()).toEqual(gm[1]!.tolist());
  });
  it('gradients keep the dtype; second order (grad of grad) matches finite differences of the gradient', () => {
    const r = rng(9);
    const x = f64(values(1 * 5 * 2, 'any', r), [1, 5, 2]);
    const w = f64(values(2 * 3 * 2, 'any', r), [2, 3, 2]);
    const inner = (a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.square(mx.conv1d(a, b, 1, 1)));
    // d/dw of sum(grad_x(inner) * v) is a conv of conv: exact by differences of the gradient
    const v = f64(values(10, 'any', r), [1, 5, 2]);
    const outer = (a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.multiply(mx.grad(inner, 0)(a, b), v));
    const gw = mx.grad(outer, 1)(x, w) as mx.MxArray;
    const fd = Array.from({ length: w.size }, (_, i) => {
      const e = new Array<number>(w.size).fill(0);
      e[i] = 1e-3;
      const d = f64(e, w.shape);
      return (((outer(x, mx.add(w, d)).item() as number) - (outer(x, mx.subtract(w, d)).item() as number)) / 2e-3);
    });
    expectClose(flat(gw), fd, 1e-6);
    const g32 = mx.grad((b: mx.MxArray) => mx.sum(mx.conv1d(x.astype(mx.float16), b)))(w.astype(mx.float16)) as mx.MxArray;
    expect(g32.dtype).toBe(mx.float16);
  });
});

describe('compositions', () => {
  const r = rng(21);
  const X = f64(values(3 * 6 * 6 * 2, 'any', r), [3, 6, 6, 2]);
  const W1 = f64(values(4 * 3 * 3 * 2, 'unit', r), [4, 3, 3, 2]);
  const W2 = f64(values(4 * 2 * 2 * 2, 'unit', r), [4, 2, 2, 2]);
  const net = (x: mx.MxArray, w1: mx.MxArray, w2: mx.MxArray) => mx.conv2d(mx.tanh(mx.conv2d(x, w1, 1, 1)), w2, 2, 0, 1, 2);
  const loss = (w1: mx.MxArray, w2: mx.MxArray, x: mx.MxArray) => mx.mean(mx.square(net(x, w1, w2)));

  it('grad of a conv net loss matches finite differences; compile(grad) gives the same', () => {
    const [g1, g2] = mx.grad(loss, [0, 1])(W1, W2, X) as mx.MxArray[];
    const h = 1e-5;
    const dir1 = f64(values(W1.size, 'any', r), W1.shape);
    const dir2 = f64(values(W2.size, 'any', r), W2.shape);
    const fd = ((loss(mx.add(W1, mx.multiply(dir1, h)), mx.add(W2, mx.multiply(dir2, h)), X).item() as number) - (loss(mx.subtract(W1, mx.multiply(dir1, h)), mx.subtract(W2, mx.multiply(dir2, h)), X).item() as number)) / (2 * h);
    const got = (mx.sum(mx.multiply(g1!, dir1)).item() as number) + (mx.sum(mx.multiply(g2!, dir2)).item() as number);
    expect(Math.abs(got - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    const [c1, c2] = mx.compile(mx.grad(loss, [0, 1]))(W1, W2, X) as mx.MxArray[];
    expectClose(flat(c1!), flat(g1!));
    expectClose(flat(c2!), flat(g2!));
  });
  it('vmap over inputs, over a batch of weights, and over both equals a loop (groups too)', () => {
    const Wb = f64(values(2 * 4 * 3 * 3 * 2, 'any', r), [2, 4, 3, 3, 2]);
    const Xb = f64(values(2 * 3 * 6 * 6 * 2, 'any', r), [2, 3, 6, 6, 2]);
    for (const groups of [1, 2]) {
      const f = (x: mx.MxArray, w: mx.MxArray) => mx.conv2d(x, groups === 2 ? w.index('...', mx.Slice(0, 1)) : w, [1, 2], [1, 0], 1, groups);
      const loop = (xs: mx.MxArray[], ws: mx.MxArray[]) => mx.stack(xs.map((x, i) => f(x, ws[i]!)));
      const xs = [Xb.index(0), Xb.index(1)];
      const ws = [Wb.index(0), Wb.index(1)];
      expectClose(flat(mx.vmap(f, [0, null])(Xb, ws[0]) as mx.MxArray), flat(loop(xs, [ws[0]!, ws[0]!])));
      expectClose(flat(mx.vmap(f, [null, 0])(xs[0], Wb) as mx.MxArray), flat(loop([xs[0]!, xs[0]!], ws)));
      expectClose(flat(mx.vmap(f, [0, 0])(Xb, Wb) as mx.MxArray), flat(loop(xs, ws)));
      // batch axes elsewhere
      expectClose(flat(mx.vmap(f, [1, 4])(mx.moveaxis(Xb, 0, 1), mx.moveaxis(Wb, 0, 4)) as mx.MxArray), flat(loop(xs, ws)));
    }
  });
  it('per-example gradients: vmap(grad) equals a loop of grads', () => {
    const f = (w1: mx.MxArray, x: mx.MxArray) => mx.sum(mx.sin(mx.conv2d(mx.expandDims(x, 0), w1, 2, 1)));
    const per = mx.vmap(mx.grad(f), [null, 0])(W1, X) as mx.MxArray;
    const loop = mx.stack([0, 1, 2].map((i) => mx.grad(f)(W1, X.index(i)) as mx.MxArray));
    expectClose(flat(per), flat(loop));
  });
});
