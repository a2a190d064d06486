// The primitive table of the generic autograd suites: every registered primitive maps to op-level
// functions that exercise it (or to integer-only cases with the reason it is not differentiable).
// A registered primitive missing here fails the coverage test, so none lands without a check.
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { shapeArb, broadcastPairArb } from '../differential/gen.js';
import type { Dom, Rng } from './fd.js';
import { linalgSpecs } from './linalg-table.js';

type Fn = (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];

export interface Spec {
  name: string;
  /** the primitives this case exercises (the coverage table is built from these) */
  prims: string[];
  shapes: fc.Arbitrary<number[][]>;
  /** domain of each input */
  dom: Dom[];
  /** builds the function; constants (indices, axes) are drawn from r */
  fn: (shapes: number[][], r: Rng) => Fn;
  /**
   * 'smooth' (default): vjp and jvp must match finite differences.
   * 'zero': MLX's rule is zero although the function moves (StopGradient, DivMod).
   * 'int': integer inputs: not differentiable; the vjp must be zeros of the input dtype.
   */
  kind?: 'smooth' | 'zero' | 'int';
  /** MLX raises for this rule: mlx-ts may raise too (if it answers, the answer must be right). */
  mlxRaises?: ('vjp' | 'jvp')[];
  /** finite differences in float32 (complex cases): h and tolerance to use */
  lowPrecision?: boolean;
  /**
   * The function whose finite differences give the expected derivative, when it isn't `fn`
   * itself (StopGradient: the stopped part is a constant taken at the inputs).
   */
  fdFn?: (inputs: mx.MxArray[]) => Fn;
  /** reason the vmap-vs-loop check doesn't apply */
  noVmap?: string;
}

// ---- shape arbitraries ----
const wrap = (a: fc.Arbitrary<number[]>): fc.Arbitrary<number[][]> => a.map((s) => [s]);
/** shapes with dims in [min, max] and ndim in [minDims, maxDims] */
const dims = (minDims: number, maxDims: number, min = 1, max = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min, max }), { minLength: minDims, maxLength: maxDims });
const any1 = wrap(shapeArb(3, 4));
const nonEmpty1 = wrap(dims(1, 3));
const pair = broadcastPairArb.map(([a, b]) => [a, b]);
const same2 = shapeArb(3, 3).map((s) => [s, s]);
const triple: fc.Arbitrary<number[][]> = broadcastPairArb.chain(([a, b]) => fc.constantFrom<number[][]>([a, b, b], [b, a, a], [a, a, b]));

/** a valid axis of `shape` (possibly negative); shape must have ndim >= 1 */
export const axisOf = (shape: number[], r: Rng): number => {
  const a = Math.floor(r() * shape.length);
  return r() < 0.3 ? a - shape.length : a;
};
/** a random int32 index array of `shape` with values in [-n, n) (negative wraps) */
const idx = (shape: number[], n: number, r: Rng): mx.MxArray =>
  mx.reshape(mx.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * 2 * n) - n), mx.int32), shape);
const f64 = (a: mx.MxArray): mx.MxArray => a.astype(mx.float64);
/** Random packed uint32 words (quantized weights) of `shape`. */
const qwords = (shape: number[], r: Rng): mx.MxArray =>
  mx.reshape(mx.array(Uint32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * 2 ** 32))), shape);

const unary = (
  prim: string,
  name: string,
  f: (x: mx.MxArray) => mx.MxArray,
  dom: Dom = 'any',
  extra: Partial<Spec> = {},
): Spec => ({ name, prims: [prim], shapes: any1, dom: [dom], fn: () => f, ...extra });
const binary = (prim: string, name: string, f: (a: mx.MxArray, b: mx.MxArray) => mx.MxArray, da: Dom = 'any', db: Dom = 'any', extra: Partial<Spec> = {}): Spec => ({
  name,
  prims: [prim],
  shapes: pair,
  dom: [da, db],
  fn: () => f,
  ...extra,
});
/** an integer-only binary case (bitwise, shifts) */
const intBinary = (prim: string, name: string, f: (a: mx.MxArray, b: mx.MxArray) => mx.MxArray, db: Dom = 'int'): Spec =>
  binary(prim, name, f, 'int', db, { kind: 'int' });

/** c = x + i y as complex64 (inputs are float32 in the low-precision cases) */
const complexOf = (x: mx.MxArray, y: mx.MxArray): mx.MxArray =>
  mx.add(x.astype(mx.complex64), mx.multiply(y.astype(mx.complex64), mx.array(mx.Complex(0, 1), mx.complex64)));

/** Convolution specs: shapes (N, ...spatial, C) and (O, ...K, C / groups); parameters drawn so the output is not empty. */
function convSpecs(): Spec[] {
  const shapes = (nd: number) =>
    fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom(1, 2), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })), { minLength: nd, maxLength: nd }))
      .map(([n, g, cg, og, dims]) => [[n, ...dims.map((d) => d[0]), g * cg], [g * og, ...dims.map((d) => d[1]), cg]]);
  const pick = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  /** per dim: stride, padding lo/hi, kernel and input dilation with a non-empty output */
  const params = (xs: number[], ws: number[], r: Rng, inputDilation: boolean) => {
    const p = xs.slice(1, -1).map((n, i) => {
      const k = ws[1 + i]!;
      const [st, kd, id] = [pick(r, 1, 2), pick(r, 1, 2), inputDilation ? pick(r, 1, 2) : 1];
      let [lo, hi] = [pick(r, 0, 2), pick(r, 0, 2)];
      if (1 + id * (n - 1) + lo + hi < 1 + kd * (k - 1)) [lo, hi] = [kd * (k - 1), kd * (k - 1)];
      return { st, lo, hi, kd, id };
    });
    const at = <K extends keyof (typeof p)[0]>(key: K) => p.map((d) => d[key]);
    return { stride: at('st'), lo: at('lo'), hi: at('hi'), kd: at('kd'), id: at('id') };
  };
  const groups = (xs: number[], ws: number[]) => xs.at(-1)! / ws.at(-1)!;
  return [
    {
      name: 'conv1d / conv2d: stride, padding, dilation, groups',
      prims: ['Convolution'],
      shapes: fc.constantFrom(1, 2).chain(shapes),
      dom: ['any', 'any'],
      fn: ([xs, ws], r) => {
        const q = params(xs!, ws!, r, false);
        const pad = q.lo.map((v, i) => Math.max(v, q.hi[i]!));
        const g = groups(xs!, ws!);
        return xs!.length === 3 ? (x, w) => mx.conv1d(x, w, q.stride[0], pad[0], q.kd[0], g) : (x, w) => mx.conv2d(x, w, q.stride, pad, q.kd, g);
      },
    },
    {
      name: 'convGeneral: asymmetric padding, input dilation, flip; conv3d',
      prims: ['Convolution'],
      shapes: fc.constantFrom(1, 2, 3).chain(shapes).map(([xs, ws]) => (xs!.length === 5 ? [[...xs!.slice(0, -1), ws!.at(-1)!], [ws![0]! / (xs!.at(-1)! / ws!.at(-1)!), ...ws!.slice(1)]] : [xs!, ws!])),
      dom: ['any', 'any'],
      fn: ([xs, ws], r) => {
        const q = params(xs!, ws!, r, true);
        const flip = r() < 0.5;
        return (x, w) => mx.tanh(mx.convGeneral(x, w, q.stride, [q.lo, q.hi], q.kd, q.id, groups(xs!, ws!), flip));
      },
    },
    {
      name: 'convTranspose1d / 2d: stride, padding, dilation, output padding',
      prims: ['Convolution'],
      shapes: fc.constantFrom(1, 2).chain(shapes),
      dom: ['any', 'any'],
      fn: ([xs, ws], r) => {
        const nd = xs!.length - 2;
        const st = Array.from({ length: nd }, () => pick(r, 1, 3));
        const dl = Array.from({ length: nd }, () => pick(r, 1, 2));
        const pad = ws!.slice(1, -1).map((k, i) => Math.min(pick(r, 0, 1), dl[i]! * (k - 1), Math.floor(((xs![1 + i]! - 1) * st[i]! + dl[i]! * (k - 1)) / 2)));
        const op = st.map((s) => pick(r, 0, s - 1));
        const g = groups(xs!, ws!);
        return nd === 1 ? (x, w) => mx.convTranspose1d(x, w, st[0], pad[0], dl[0], g, op[0]) : (x, w) => mx.convTranspose2d(x, w, st, pad, dl, g, op);
      },
    },
    {
      name: 'convolve (full, same, valid)',
      prims: ['Convolution'],
      shapes: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).map(([a, b]) => [[a], [b]]),
      dom: ['any', 'any'],
      fn: (_s, r) => {
        const mode = ['full', 'same', 'valid'][pick(r, 0, 2)]!;
        return (a, v) => mx.convolve(a, v, mode);
      },
      noVmap: 'convolve refuses inputs that are not 1-D, and vmap hands it the batched shapes only through its primitive (covered by the other specs)',
    },
  ];
}

export const specs: Spec[] = [
  // ---- unary elementwise ----
  unary('Abs', 'abs', mx.abs, 'away0'),
  unary('Negative', 'negative', mx.negative),
  unary('Sign', 'sign', mx.sign, 'away0'),
  unary('Square', 'square', mx.square),
  unary('Sqrt', 'sqrt', mx.sqrt, 'pos'),
  unary('Rsqrt', 'rsqrt', mx.rsqrt, 'pos'),
  unary('Reciprocal', 'reciprocal', mx.reciprocal, 'away0'),
  unary('Exp', 'exp', mx.exp),
  unary('Expm1', 'expm1', mx.expm1),
  unary('Log', 'log', mx.log, 'pos'),
  unary('Log2', 'log2', mx.log2, 'pos'),
  unary('Log10', 'log10', mx.log10, 'pos'),
  unary('Log1p', 'log1p', mx.log1p, 'pos'),
  unary('Sin', 'sin', mx.sin),
  unary('Cos', 'cos', mx.cos),
  unary('Tan', 'tan', mx.tan, 'unit'),
  unary('ArcSin', 'arcsin', mx.arcsin, 'unit'),
  unary('ArcCos', 'arccos', mx.arccos, 'unit'),
  unary('ArcTan', 'arctan', mx.arctan),
  unary('Sinh', 'sinh', mx.sinh),
  unary('Cosh', 'cosh', mx.cosh),
  unary('Tanh', 'tanh', mx.tanh),
  unary('ArcSinh', 'arcsinh', mx.arcsinh),
  unary('ArcCosh', 'arccosh', mx.arccosh, 'gt1'),
  unary('ArcTanh', 'arctanh', mx.arctanh, 'unit'),
  unary('Floor', 'floor', mx.floor),
  unary('Ceil', 'ceil', mx.ceil),
  unary('Round', 'round', (x) => mx.round(x)),
  unary('Round', 'round(decimals=1)', (x) => mx.round(x, 1)),
  unary('Sigmoid', 'sigmoid', mx.sigmoid),
  unary('Erf', 'erf', mx.erf),
  unary('ErfInv', 'erfinv', mx.erfinv, 'unit'),
  unary('LogicalNot', 'logicalNot(x > 0) as float', (x) => f64(mx.logicalNot(mx.greater(x, 0)))),
  unary('LogicalNot', 'x * logicalNot(x > 0)', (x) => mx.multiply(x, mx.logicalNot(mx.greater(x, 0)))),
  unary('BitwiseInvert', 'bitwiseInvert(int32)', mx.bitwiseInvert, 'int', { kind: 'int', mlxRaises: ['vjp', 'jvp'] }),
  unary('IsNaN', 'isnan as float', (x) => f64(mx.isnan(x))),
  unary('IsInf', 'isinf as float', (x) => f64(mx.isinf(x))),
  unary('IsPosInf', 'x * isposinf', (x) => mx.add(x, mx.isposinf(x))),
  unary('IsNegInf', 'x * isneginf', (x) => mx.add(x, mx.isneginf(x))),
  unary('IsFinite', 'x * isfinite', (x) => mx.multiply(x, mx.isfinite(x))),
  unary('StopGradient', 'stopGradient', mx.stopGradient, 'any', { kind: 'zero' }),
  unary('StopGradient', 'x * stopGradient(x)', (x) => mx.multiply(x, mx.stopGradient(x)), 'any', {
    fdFn: ([x0]) => (x) => mx.multiply(x, x0!),
  }),
  // complex parts: x, y float32 -> c = x + iy; a real-valued result (FD in float32)
  {
    name: 'real(conj(c) * c2) + imag(c * c)',
    prims: ['Real', 'Imag', 'Conjugate'],
    shapes: same2,
    dom: ['any', 'any'],
    lowPrecision: true,
    fn: () => (x, y) => {
      const c = complexOf(x, y);
      const c2 = complexOf(mx.sin(x), y);
      return mx.add(mx.real(mx.multiply(mx.conjugate(c), c2)), mx.imag(mx.multiply(c, c)));
    },
  },
  // ---- binary elementwise (broadcasting pairs, size-0/1 dims) ----
  binary('Add', 'add', mx.add),
  binary('Subtract', 'subtract', mx.subtract),
  binary('Multiply', 'multiply', mx.multiply),
  binary('Divide', 'divide', mx.divide, 'any', 'away0'),
  binary('Power', 'power', mx.power, 'pos', 'any'),
  binary('FloorDivide', 'floorDivide', mx.floorDivide, 'any', 'away0'),
  binary('Remainder', 'remainder', mx.remainder, 'any', 'away0'),
  binary('Maximum', 'maximum', mx.maximum),
  binary('Minimum', 'minimum', mx.minimum),
  binary('LogAddExp', 'logaddexp', mx.logaddexp),
  binary('ArcTan2', 'arctan2', mx.arctan2, 'any', 'away0'),
  binary('Equal', 'x * (x == round(y))', (a, b) => mx.add(a, mx.multiply(b, mx.equal(mx.round(a), mx.round(b))))),
  binary('NotEqual', 'notEqual as float', (a, b) => mx.multiply(mx.notEqual(a, b), mx.add(a, b))),
  binary('Less', 'a * (a < b)', (a, b) => mx.multiply(a, mx.less(a, b))),
  binary('LessEqual', 'b * (a <= b)', (a, b) => mx.multiply(b, mx.lessEqual(a, b))),
  binary('Greater', 'greater as float', (a, b) => f64(mx.greater(a, b))),
  binary('GreaterEqual', 'a * b * (a >= b)', (a, b) => mx.multiply(mx.multiply(a, b), mx.greaterEqual(a, b))),
  binary('NaNEqual', 'a * arrayEqual(a, b, equalNan)', (a, b) => mx.multiply(a, mx.arrayEqual(a, b, true))),
  binary('LogicalAnd', 'a * (a > 0 && b > 0)', (a, b) => mx.multiply(a, mx.logicalAnd(mx.greater(a, 0), mx.greater(b, 0)))),
  binary('LogicalOr', 'b * (a > 0 || b > 0)', (a, b) => mx.multiply(b, mx.logicalOr(mx.greater(a, 0), mx.greater(b, 0)))),
  intBinary('BitwiseAnd', 'bitwiseAnd', mx.bitwiseAnd),
  intBinary('BitwiseOr', 'bitwiseOr', mx.bitwiseOr),
  intBinary('BitwiseXor', 'bitwiseXor', mx.bitwiseXor),
  intBinary('LeftShift', 'leftShift', mx.leftShift, 'uint'),
  intBinary('RightShift', 'rightShift', mx.rightShift, 'uint'),
  {
    name: 'divmod',
    prims: ['DivMod'],
    shapes: pair,
    dom: ['any', 'away0'],
    kind: 'zero',
    fn: () => (a, b) => mx.divmod(a, b),
  },
  {
    name: 'where(a > b, a, c)',
    prims: ['Select'],
    shapes: triple,
    dom: ['any', 'any', 'any'],
    fn: () => (a, b, c) => mx.where(mx.greater(a, b), mx.multiply(a, b), mx.exp(c)),
  },
  {
    name: 'clip(x, -0.5, 0.7)',
    prims: ['Maximum', 'Minimum'],
    shapes: any1,
    dom: ['any'],
    fn: () => (x) => mx.clip(x, -0.5, 0.7),
  },
  // ---- views, shape ----
  {
    name: 'reshape',
    prims: ['Reshape'],
    shapes: any1,
    dom: ['any'],
    fn: ([s]) => (x) => mx.reshape(mx.sin(x), [...s!].reverse()),
  },
  {
    name: 'broadcastTo',
    prims: ['Broadcast'],
    shapes: any1,
    dom: ['any'],
    fn: ([s], r) => {
      const to = [1 + Math.floor(r() * 2), ...s!.map((d) => (d === 1 ? Math.floor(r() * 3) : d))];
      return (x) => mx.broadcastTo(mx.square(x), to);
    },
  },
  {
    name: 'transpose',
    prims: ['Transpose'],
    shapes: any1,
    dom: ['any'],
    fn: ([s], r) => {
      const perm = s!.map((_, i) => i).sort(() => r() - 0.5);
      return (x) => mx.multiply(mx.transpose(x, perm), 2);
    },
  },
  {
    name: 'x.T @ x-like: x.T * x.T',
    prims: ['Transpose'],
    shapes: any1,
    dom: ['any'],
    fn: () => (x) => mx.multiply(x.T, x.T),
  },
  {
    name: 'index(Slice(start, stop, step))',
    prims: ['Slice'],
    shapes: nonEmpty1,
    dom: ['any'],
    fn: ([s], r) => {
      const n = s![0]!;
      const step = r() < 0.3 ? -1 - Math.floor(r() * 2) : 1 + Math.floor(r() * 2);
      const a = Math.floor(r() * (n + 1)) - (r() < 0.3 ? n : 0);
      return (x) => mx.exp(x.index(mx.Slice(a, null, step)));
    },
  },
  {
    name: 'asStrided with overlapping windows',
    prims: ['AsStrided'],
    shapes: wrap(dims(1, 1, 2, 8)),
    dom: ['any'],
    fn: ([s]) => (x) => mx.multiply(mx.asStrided(mx.copy(x), [s![0]! - 1, 2], [1, 1], 0), mx.array([1, 2], mx.float64)),
  },
  {
    name: 'view(x, x.dtype)',
    prims: ['View'],
    shapes: any1,
    dom: ['any'],
    fn: () => (x) => mx.square(mx.view(mx.exp(x), x.dtype)),
  },
  {
    name: 'copy(x) (AsType to the same dtype)',
    prims: ['AsType'],
    shapes: any1,
    dom: ['any'],
    fn: () => (x) => mx.multiply(mx.copy(x), mx.copy(mx.sin(x))),
  },
  {
    name: 'astype float32 -> float64 -> float32',
    prims: ['AsType'],
    shapes: same2,
    dom: ['any', 'any'],
    lowPrecision: true,
    fn: () => (x, y) => mx.multiply(x.astype(mx.float64), mx.exp(y).astype(mx.float64)).astype(mx.float32),
  },
  {
    name: 'concatenate([a, b], axis)',
    prims: ['Concatenate'],
    shapes: dims(1, 3, 0, 3).chain((s) => fc.integer({ min: 0, max: 3 }).map((k) => [s, s.map((d, i) => (i === 0 ? k : d))])),
    dom: ['any', 'any'],
    fn: () => (a, b) => mx.concatenate([mx.sin(a), b, a], 0),
  },
  {
    name: 'stack + split',
    prims: ['Concatenate', 'Slice'],
    shapes: same2,
    dom: ['any', 'any'],
    fn: () => (a, b) => {
      const st = mx.stack([a, mx.square(b)], 0);
      const [p, q] = mx.split(st, 2, 0);
      return mx.multiply(p!, mx.exp(q!));
    },
  },
  {
    name: 'diagonal(offset, axis1, axis2)',
    prims: ['Diagonal'],
    shapes: wrap(dims(2, 3, 0, 4)),
    dom: ['any'],
    fn: ([s], r) => {
      const a1 = Math.floor(r() * s!.length);
      const a2 = (a1 + 1 + Math.floor(r() * (s!.length - 1))) % s!.length;
      const off = Math.floor(r() * 5) - 2;
      return (x) => mx.sin(mx.diagonal(x, off, a1, a2));
    },
  },
  {
    name: 'trace',
    prims: ['Diagonal', 'Reduce'],
    shapes: wrap(dims(2, 2, 0, 4)),
    dom: ['any'],
    fn: () => (x) => mx.trace(mx.exp(x)),
  },
  // ---- reductions ----
  {
    name: 'sum(axis, keepdims)',
    prims: ['Reduce'],
    shapes: any1,
    dom: ['any'],
    fn: ([s], r) => {
      const ax = s!.length === 0 || r() < 0.25 ? null : axisOf(s!, r);
      const keep = r() < 0.5;
      return (x) => mx.sum(mx.square(x), ax, keep);
    },
  },
  {
    name: 'prod(axis)',
    prims: ['Reduce'],
    shapes: any1,
    dom: ['away0'],
    fn: ([s], r) => {
      const ax = s!.length === 0 || r() < 0.25 ? null : axisOf(s!, r);
      return (x) => mx.prod(x, ax);
    },
  },
  {
    name: 'prod with a zero',
    prims: ['Reduce'],
    shapes: wrap(dims(1, 2, 2, 4)),
    dom: ['away0'],
    fn: () => (x) => mx.prod(mx.multiply(x, mx.concatenate([mx.zeros([1, ...x.shape.slice(1)], mx.float64), mx.ones([x.shape[0]! - 1, ...x.shape.slice(1)], mx.float64)], 0)), 0),
  },
  {
    name: 'max(axis)',
    prims: ['Reduce'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const ax = r() < 0.25 ? null : axisOf(s!, r);
      const keep = r() < 0.5;
      return (x) => mx.max(x, ax, keep);
    },
  },
  {
    name: 'min(axis)',
    prims: ['Reduce'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const ax = r() < 0.25 ? null : axisOf(s!, r);
      return (x) => mx.min(mx.sin(x), ax);
    },
  },
  {
    name: 'x * all/any(x > 0) (and/or reductions)',
    prims: ['Reduce'],
    shapes: nonEmpty1,
    dom: ['any'],
    fn: () => (x) => mx.add(mx.multiply(x, mx.all(mx.greater(x, -1.5), 0, true)), mx.multiply(x, mx.any(mx.greater(x, 1), -1, true))),
  },
  {
    name: 'mean, logsumexp, softmax',
    prims: ['Reduce'],
    shapes: nonEmpty1,
    dom: ['any'],
    fn: ([s], r) => {
      const ax = axisOf(s!, r);
      return (x) => [mx.mean(x, ax), mx.logsumexp(x, ax), mx.softmax(x, ax)];
    },
  },
  {
    name: 'variance, std',
    prims: ['Reduce'],
    shapes: wrap(dims(1, 3, 2, 4)),
    dom: ['any'],
    fn: ([s], r) => {
      const ax = axisOf(s!, r);
      return (x) => [mx.variance(x, ax), mx.std(x, null)];
    },
  },
  {
    name: 'x * argmax(x) / argmin',
    prims: ['ArgReduce'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const ax = axisOf(s!, r);
      return (x) => mx.add(mx.multiply(x, mx.argmax(x, ax, true)), mx.multiply(x, mx.argmin(x, ax, true)));
    },
  },
  // ---- scans ----
  ...(['cumsum', 'logcumsumexp'] as const).map(
    (op): Spec => ({
      name: `${op}(axis, reverse, inclusive)`,
      prims: ['Scan'],
      shapes: any1,
      dom: ['any'],
      fn: ([s], r) => {
        const ax = s!.length === 0 ? undefined : axisOf(s!, r);
        const rev = r() < 0.5, inc = r() < 0.7;
        return (x) => (mx[op] as (...a: unknown[]) => mx.MxArray)(x, ax, rev, inc);
      },
    }),
  ),
  ...(['cumprod', 'cummax', 'cummin'] as const).map(
    (op): Spec => ({
      name: `${op}(axis, reverse, inclusive)`,
      prims: ['Scan'],
      shapes: any1,
      dom: [op === 'cumprod' ? 'away0' : 'distinct'],
      // MLX: "JVP is not implemented for cumulative prod/min/max"
      mlxRaises: ['jvp'],
      fn: ([s], r) => {
        const ax = s!.length === 0 ? undefined : axisOf(s!, r);
        const rev = r() < 0.5, inc = r() < 0.7;
        return (x) => (mx[op] as (...a: unknown[]) => mx.MxArray)(x, ax, rev, inc);
      },
    }),
  ),
  // ---- sorting ----
  {
    name: 'sort(axis)',
    prims: ['Sort'],
    shapes: any1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const ax = s!.length === 0 ? null : axisOf(s!, r);
      return (x) => mx.multiply(mx.sort(x, ax), mx.sort(mx.sin(x), ax));
    },
  },
  {
    name: 'x * argsort(x) (argsort is constant)',
    prims: ['ArgSort'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: () => (x) => mx.multiply(x, mx.argsort(x, -1)),
  },
  {
    name: 'partition(kth), topk',
    prims: ['Partition'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const ax = axisOf(s!, r);
      const n = s![ax < 0 ? ax + s!.length : ax]!;
      const k = Math.floor(r() * n), k2 = 1 + Math.floor(r() * n);
      return (x) => [mx.partition(x, k, ax), mx.topk(mx.exp(x), k2, ax)];
    },
  },
  {
    name: 'takeAlongAxis(x, argpartition(x))',
    prims: ['ArgPartition', 'GatherAxis'],
    shapes: nonEmpty1,
    dom: ['distinct'],
    fn: ([s], r) => {
      const n = s![s!.length - 1]!;
      const k = Math.floor(r() * n);
      return (x) => mx.takeAlongAxis(mx.square(x), mx.argpartition(x, k, -1), -1);
    },
  },
  // ---- matmul ----
  {
    name: 'matmul 2-D',
    prims: ['Matmul'],
    shapes: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([m, k, n]) => [[m, k], [k, n]]),
    dom: ['any', 'any'],
    fn: () => (a, b) => mx.matmul(a, b),
  },
  {
    name: 'matmul with broadcast batch dims',
    prims: ['Matmul'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([m, k, n, b, swap]) =>
      swap ? [[b, 1, m, k], [2, k, n]] : [[m, k], [b, 2, k, n]],
    ),
    dom: ['any', 'any'],
    fn: () => (a, b) => mx.matmul(mx.sin(a), b),
  },
  {
    name: 'matmul with 1-D operands',
    prims: ['Matmul'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 1, 2)).map(([m, k, w]) =>
      w === 0 ? [[k], [k, m]] : w === 1 ? [[2, m, k], [k]] : [[k], [k]],
    ),
    dom: ['any', 'any'],
    fn: () => (a, b) => mx.matmul(a, b),
  },
  {
    name: 'addmm(c, a, b, alpha, beta)',
    prims: ['AddMM'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom('full', 'row', 'scalar')).map(([m, k, n, c]) => [
      c === 'full' ? [m, n] : c === 'row' ? [n] : [],
      [m, k],
      [k, n],
    ]),
    dom: ['any', 'any', 'any'],
    fn: (_s, r) => {
      const alpha = Math.round((r() * 4 - 2) * 4) / 4, beta = Math.round((r() * 4 - 2) * 4) / 4;
      return (c, a, b) => mx.addmm(c, a, b, alpha, beta);
    },
  },
  // ---- convolutions ----
  ...convSpecs(),
  // ---- quantized and gathered matmuls (packed weights are constants drawn from r) ----
  {
    name: 'quantizedMatmul(x, w, scales, biases) w.r.t. x, scales, biases',
    prims: ['QuantizedMatmul'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean()).map(([m, n, t]) => (t ? [[m, 64], [n, 2], [n, 2]] : [[m, n], [n, 2], [n, 2]])),
    dom: ['any', 'any', 'any'],
    fn: ([x, s], r) => {
      const t = x![1] === 64;
      const bits = [2, 3, 4, 8][Math.floor(r() * 4)]!;
      const wq = qwords([s![0]!, (64 * bits) / 32], r);
      return (a, sc, bi) => mx.quantizedMatmul(a, wq, sc, bi, t, 32, bits);
    },
  },
  {
    name: 'dequantize(w, scales, biases) w.r.t. scales and biases',
    prims: ['Dequantize'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([n, g]) => [[n, g], [n, g]]),
    dom: ['any', 'any'],
    fn: ([s], r) => {
      const wq = qwords([s![0]!, s![1]! * 4], r);
      return (sc, bi) => mx.sin(mx.dequantize(wq, sc, bi, 32, 4));
    },
  },
  {
    // the scales and biases of MLX's fallback graph (piecewise smooth in w)
    name: 'quantize(w) scales and biases',
    prims: ['AffineQuantize'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([n, g]) => [[n, 32 * g]]),
    dom: ['distinct'],
    // (the graph computes in float32, as MLX's: finite differences in float32)
    lowPrecision: true,
    fn: () => (w) => mx.quantize(w, 32, 4).slice(1),
    // The zero point q0 = round(edge / scale) is a rounding: the scales and biases jump where it
    // changes. Finite differences see the piece the point lies on: q0 (and which end is the
    // edge) held at their values at the point, the rest of MLX's formula as it is.
    fdFn: ([w0]) => {
      const groups = (w: mx.MxArray) => w.reshape([w.shape[0]!, -1, 32]);
      const ends = (w: mx.MxArray) => [mx.max(groups(w), -1), mx.min(groups(w), -1)] as const;
      const [max0, min0] = ends(w0!);
      const mask = mx.greater(mx.abs(min0), mx.abs(max0));
      const raw = (mx0: mx.MxArray, mn0: mx.MxArray) => mx.multiply(mx.divide(mx.subtract(mx0, mn0), 15), mx.where(mask, 1, -1));
      const q0 = mx.round(mx.divide(mx.where(mask, min0, max0), raw(max0, min0)));
      return (w: mx.MxArray) => {
        const [mx1, mn1] = ends(w);
        const edge = mx.where(mask, mn1, mx1);
        const zero = mx.equal(q0, 0);
        return [mx.where(zero, raw(mx1, mn1), mx.divide(edge, q0)), mx.where(zero, mx.zerosLike(edge), edge)];
      };
    },
  },
  {
    name: 'quantize(w) in an fp mode: integer codes and scales, no gradient',
    prims: ['FpQuantize'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([n, g]) => [[n, 32 * g]]),
    dom: ['any'],
    kind: 'zero',
    fn: (_s, r) => {
      const mode = (['mxfp4', 'mxfp8', 'nvfp4'] as const)[Math.floor(r() * 3)]!;
      return (w) => mx.quantize(w, null, null, mode);
    },
  },
  {
    name: 'fromFp8(toFp8(x))',
    prims: ['ToFP8', 'FromFP8'],
    shapes: any1,
    dom: ['any'],
    kind: 'zero',
    mlxRaises: ['vjp', 'jvp'],
    fn: () => (x) => mx.fromFp8(mx.toFp8(x), mx.float64),
  },
  {
    name: 'gatherQMM(x, w, scales, biases, lhs, rhs) w.r.t. x, scales, biases',
    prims: ['GatherQMM'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 })).map(([bx, m, n]) => [[bx, m, 32], [2, n, 1], [2, n, 1]]),
    dom: ['any', 'any', 'any'],
    mlxRaises: ['jvp'],
    fn: ([x, s], r) => {
      const wq = qwords([2, s![1]!, 4], r);
      const lhs = mx.array(Array.from({ length: 3 }, () => BigInt(Math.floor(r() * x![0]!))), mx.uint32);
      const rhs = mx.array(Array.from({ length: 3 }, () => BigInt(Math.floor(r() * 2))), mx.uint32);
      return (a, sc, bi) => mx.gatherQMM(a, wq, sc, bi, lhs, rhs, true, 32, 4);
    },
  },
  {
    name: 'gatherMM(a, b, lhs, rhs), sorted and not',
    prims: ['GatherMM', 'SegmentedMM'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([b, m, k, n]) => [[b, m, k], [2, k, n]]),
    dom: ['any', 'any'],
    mlxRaises: ['jvp'],
    fn: ([a], r) => {
      const sorted = r() < 0.5;
      const rhs = mx.array(sorted ? [0n, 0n, 1n].slice(0, a![0]!) : Array.from({ length: a![0]! }, () => BigInt(Math.floor(r() * 2))), mx.uint32);
      return sorted ? (x, y) => mx.gatherMM(x, y, null, rhs, true) : (x, y) => mx.gatherMM(x, y, mx.array([a![0]! - 1], mx.uint32), rhs);
    },
  },
  {
    name: 'blockMaskedMM(a, b, 32, float masks) w.r.t. operands and masks',
    prims: ['BlockMaskedMM'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })).map(([m, k, n]) => {
      const t = (v: number) => Math.ceil(v / 32);
      return [[m, k], [k, n], [t(m), t(n)], [t(m), t(k)], [t(k), t(n)]];
    }),
    dom: ['any', 'any', 'any', 'any', 'any'],
    mlxRaises: ['jvp'],
    fn: () => (a, b, o, l, rr) => mx.blockMaskedMM(a, b, 32, o, l, rr),
  },
  {
    // MLX raises for a quantized w (its rule calls qqmm on the packed words): so do we
    name: 'qqmm(x, quantized w) (nvfp4)',
    prims: ['QQMatmul', 'GatherQQMM'],
    shapes: fc.integer({ min: 1, max: 2 }).map((m) => [[m, 32]]),
    dom: ['any'],
    lowPrecision: true,
    mlxRaises: ['vjp', 'jvp'],
    fn: (_s, r) => {
      const w = mx.array(Array.from({ length: 3 * 32 }, () => r() * 2 - 1)).reshape([3, 32]);
      const [wq, sc] = mx.quantize(w, null, null, 'nvfp4');
      return (x) => [mx.qqmm(x, wq!, sc!), mx.gatherQQMM(mx.expandDims(x, 0), mx.expandDims(wq!, 0), mx.expandDims(sc!, 0))];
    },
  },
  // ---- indexing ----
  {
    name: 'takeAlongAxis(x, idx) with duplicates and negative indices, indices broadcast',
    prims: ['GatherAxis'],
    shapes: wrap(dims(2, 3, 1, 4)),
    dom: ['any'],
    fn: ([s], r) => {
      const ax = Math.floor(r() * s!.length);
      const n = s![ax]!;
      const ishape = s!.map((d, k) => (k === ax ? 3 : r() < 0.3 ? 1 : d));
      const vals = Array.from({ length: ishape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * n) - (r() < 0.3 ? n : 0));
      const i = mx.reshape(mx.array(vals, mx.int32), ishape);
      return (x) => mx.takeAlongAxis(mx.sin(x), i, ax);
    },
  },
  {
    name: 'x.index(intArray) with duplicates',
    prims: ['Gather'],
    shapes: nonEmpty1,
    dom: ['any'],
    fn: ([s], r) => {
      const i = idx([1 + Math.floor(r() * 4)], s![0]!, r);
      return (x) => mx.exp(x.index(i));
    },
  },
  {
    name: 'take(x, idx, axis)',
    prims: ['Gather'],
    shapes: nonEmpty1,
    dom: ['any'],
    fn: ([s], r) => {
      const ax = axisOf(s!, r);
      const n = s![ax < 0 ? ax + s!.length : ax]!;
      const i = idx([Math.floor(r() * 3), 2].slice(0, 1 + Math.floor(r() * 2)), n, r);
      return (x) => mx.take(mx.sin(x), i, ax);
    },
  },
  {
    name: 'x.index(i, Slice, j) (advanced indexing with two arrays)',
    prims: ['Gather'],
    shapes: wrap(dims(3, 3, 1, 3)),
    dom: ['any'],
    fn: ([s], r) => {
      const i = idx([2], s![0]!, r), j = idx([2], s![2]!, r);
      return (x) => mx.square(x.index(i, mx.Slice(), j));
    },
  },
  {
    name: 'putAlongAxis(x, idx, v)',
    prims: ['ScatterAxis'],
    shapes: wrap(dims(2, 2, 1, 4)).map(([s]) => [s!, [s![0]!, 1]]),
    dom: ['any', 'any'],
    fn: ([s], r) => {
      const i = mx.reshape(mx.array(Array.from({ length: s![0]! }, () => Math.floor(r() * s![1]!)), mx.int32), [s![0]!, 1]);
      return (x, v) => mx.putAlongAxis(x, i, mx.exp(v), 1);
    },
  },
  {
    // distinct positions: with duplicates MLX's rule sends the cotangent to every duplicate
    // update, not only to the write that wins (mlx-autograd.test.ts pins that value)
    name: 'indexPut_(intArray, v) at distinct positions',
    prims: ['Scatter'],
    shapes: nonEmpty1.map(([s]) => [s!, s!.slice(1)]),
    dom: ['any', 'any'],
    mlxRaises: ['jvp'],
    fn: ([s], r) => {
      const n = s![0]!;
      const first = Math.floor(r() * n);
      const pos = n > 1 && r() < 0.6 ? [first, (first + 1 + Math.floor(r() * (n - 1))) % n] : [first];
      const i = mx.array(pos.map((p) => (r() < 0.3 ? p - n : p)), mx.int32);
      return (x, v) => {
        const y = mx.multiply(x, 2);
        y.indexPut_(i, mx.sin(v));
        return y;
      };
    },
  },
  ...(['add', 'maximum', 'minimum', 'subtract'] as const).map(
    (op): Spec => ({
      name: `x.at(idx).${op}(v) with duplicates`,
      prims: ['Scatter'],
      shapes: wrap(dims(1, 2, 1, 4)).map(([s]) => [s!, [3, ...s!.slice(1)]]),
      dom: ['distinct', 'distinct'],
      mlxRaises: ['jvp'],
      fn: ([s], r) => {
        const i = idx([3], s![0]!, r);
        return (x, v) => x.at(i)[op](mx.multiply(v, 1.5));
      },
    }),
  ),
  {
    name: 'x.at(idx).multiply(v) (scatter_prod)',
    prims: ['Scatter'],
    shapes: wrap(dims(1, 2, 1, 4)).map(([s]) => [s!, [2, ...s!.slice(1)]]),
    dom: ['away0', 'away0'],
    // MLX: "[scatter] VJP not implemented for scatter_prod", and no scatter JVP
    mlxRaises: ['vjp', 'jvp'],
    fn: ([s], r) => {
      const i = idx([2], s![0]!, r);
      return (x, v) => x.at(i).multiply(v);
    },
  },
  {
    name: 'sliceUpdate(x, u, start)',
    prims: ['Scatter'],
    shapes: wrap(dims(2, 2, 2, 4)).map(([s]) => [s!, [1, s![1]! - 1]]),
    dom: ['any', 'any'],
    mlxRaises: ['jvp'],
    fn: ([s], r) => {
      const start = mx.array([Math.floor(r() * s![0]!), Math.floor(r() * 2)], mx.int32);
      return (x, u) => mx.sliceUpdate(mx.square(x), mx.sin(u), start, [0, 1]);
    },
  },
  {
    name: 'indexPut_(mask, values) (MaskedScatter)',
    prims: ['MaskedScatter'],
    shapes: wrap(dims(1, 2, 1, 4)).map(([s]) => [s!, [s!.reduce((a, b) => a * b, 1)]]),
    dom: ['any', 'any'],
    mlxRaises: ['jvp'],
    fn: ([s], r) => {
      const n = s!.reduce((a, b) => a * b, 1);
      const m = mx.reshape(mx.array(Array.from({ length: n }, () => r() < 0.5)), s!);
      const k = (mx.sum(m).item() as number) | 0;
      return (x, v) => {
        const y = mx.exp(x);
        y.indexPut_(m, mx.multiply(v.index(mx.Slice(0, k)), 3));
        return y;
      };
    },
  },
  // ---- creation and randomness: constants inside a differentiated function ----
  {
    name: 'x * arange(n)',
    prims: ['Arange'],
    shapes: wrap(dims(1, 2, 0, 4)),
    dom: ['any'],
    fn: ([s]) => (x) => mx.multiply(x, mx.arange(s![s!.length - 1]!)),
  },
  {
    name: 'x * random.bits(key)',
    prims: ['RandomBits'],
    shapes: any1,
    dom: ['any'],
    fn: ([s], r) => {
      const key = mx.random.key(Math.floor(r() * 1000));
      return (x) => mx.multiply(x, mx.divide(mx.random.bits(s!, 4, key).astype(mx.float64), 2 ** 32));
    },
  },
  {
    name: 'x * random.uniform(key)',
    prims: ['RandomBits'],
    shapes: any1,
    dom: ['any'],
    fn: ([s], r) => {
      const key = mx.random.key(Math.floor(r() * 1000));
      return (x) => mx.multiply(x, mx.random.uniform(0, 1, s!, mx.float32, key));
    },
  },
  // ---- transforms' own primitives ----
  {
    name: 'customFunction(sin) with its own vjp and jvp',
    prims: ['CustomTransforms'],
    shapes: any1,
    dom: ['any'],
    fn: () => {
      const f = mx.customFunction((x: mx.MxArray) => mx.sin(x))
        .vjp(([x], cot) => [mx.multiply(cot as mx.MxArray, mx.cos(x))])
        .jvp(([x], [t]) => mx.multiply(t, mx.cos(x)));
      return (x) => mx.multiply(f(mx.square(x)), 2);
    },
  },
  {
    name: 'customFunction without rules, checkpoint',
    prims: ['CustomTransforms'],
    shapes: same2,
    dom: ['any', 'any'],
    fn: () => {
      const f = mx.customFunction((a: mx.MxArray, b: mx.MxArray) => [mx.multiply(a, mx.exp(b)), mx.sin(a)]);
      const g = mx.checkpoint((a: mx.MxArray) => mx.tanh(mx.multiply(a, a)));
      return (a, b) => {
        const [p, q] = f(a, b) as mx.MxArray[];
        return [mx.add(p!, g(q!)), q!];
      };
    },
  },
  {
    name: 'compile(elementwise chain) with broadcasting, two outputs',
    prims: ['Compiled', 'CompileInput'],
    shapes: pair,
    dom: ['any', 'any'],
    fn: () => {
      const cf = mx.compile((a: mx.MxArray, b: mx.MxArray) => {
        const t = mx.multiply(mx.sin(a), b);
        return [mx.exp(mx.tanh(t)), mx.subtract(mx.square(t), a)];
      });
      return (a, b) => cf(a, b);
    },
  },
  {
    name: 'compile(chain around a reduction and a matmul)',
    prims: ['Compiled', 'CompileInput'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([m, k]) => [[m, k], [k, 2]]),
    dom: ['any', 'any'],
    fn: () => {
      const cf = mx.compile((a: mx.MxArray, w: mx.MxArray) => mx.sigmoid(mx.add(mx.matmul(mx.cos(a), w), mx.sum(mx.exp(a)))));
      return (a, w) => cf(a, w);
    },
  },
  {
    // (only a shapeless compile's recording builds it; its rules: compile-shapeless.test.ts)
    name: 'x * mean(c, 0) replayed by a shapeless compile',
    prims: ['NumberOfElements'],
    shapes: wrap(dims(1, 2, 1, 4)),
    dom: ['any'],
    fn: ([s]) => {
      const c = mx.reshape(mx.arange(s!.reduce((a, b) => a * b, 1), mx.float32), s!);
      const m = mx.compile((v: mx.MxArray) => mx.mean(v, 0), true)(c);
      return (x) => mx.multiply(x, m);
    },
  },
  {
    name: 'vmap inside the differentiated function',
    prims: ['VmapInput'],
    shapes: wrap(dims(1, 3, 0, 3)),
    dom: ['any'],
    fn: ([s]) => (x) => mx.vmap((row: mx.MxArray) => mx.multiply(mx.sin(row), mx.sum(row)), 0, s!.length - 1)(x) as mx.MxArray,
  },
  // ---- FFT (complex64, so float32 finite differences) ----
  {
    name: 'fft, ifft(n), rfft(n), irfft (odd and even n), fftn ortho: real and imaginary parts',
    prims: ['FFT'],
    shapes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }).map((s) => [s, s]),
    dom: ['any', 'any'],
    lowPrecision: true,
    fn: ([s]) => (x, y) => {
      const c = complexOf(x, y);
      const two = s!.length > 1;
      return [
        mx.real(mx.fft.fft(c)), mx.imag(mx.fft.ifft(c, 3, 0)), mx.real(mx.fft.rfft(x, 5)), mx.imag(mx.fft.rfft(c, 2)),
        mx.fft.irfft(c, 5), mx.fft.irfft(c, 4, 0), mx.imag(mx.fft.fftn(c, null, null, 'ortho')),
        mx.fft.irfftn(c, two ? [3, 2] : [3], two ? [-1, 0] : [0]),
      ];
    },
  },
  // ---- compositions ----
  {
    name: 'softmax cross-entropy',
    prims: ['Reduce', 'GatherAxis', 'Subtract'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })).map(([b, c]) => [[b, c]]),
    dom: ['any'],
    fn: ([s], r) => {
      const labels = mx.array(Array.from({ length: s![0]! }, () => Math.floor(r() * s![1]!)), mx.int32);
      return (logits) => mx.mean(mx.subtract(mx.logsumexp(logits, -1), mx.takeAlongAxis(logits, mx.expandDims(labels, -1), -1).squeeze(-1)));
    },
  },
  {
    name: 'matmul chain tanh(x @ w1) @ w2',
    prims: ['Matmul', 'Tanh'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([b, h, o]) => [[b, 3], [3, h], [h, o]]),
    dom: ['any', 'any', 'any'],
    fn: () => (x, w1, w2) => mx.matmul(mx.tanh(mx.matmul(x, w1)), w2),
  },
  {
    name: 'pad, tile, repeat, roll, flatten, swapaxes',
    prims: ['Concatenate', 'Broadcast', 'Reshape', 'Slice', 'Transpose'],
    shapes: wrap(dims(2, 2, 1, 3)),
    dom: ['any'],
    fn: () => (x) => [mx.pad(x, 1), mx.tile(x, [2, 1]), mx.repeat(x, 2, 1), mx.roll(x, 1, 0), mx.flatten(x), mx.swapaxes(x, 0, 1)],
  },
  {
    name: 'depends: values pass through, the dependencies get no cotangent',
    prims: ['Depends'],
    shapes: pair,
    dom: ['any', 'any'],
    fn: () => (a, b) => {
      const [p, q] = mx.depends([mx.sin(a), mx.square(b)], [mx.exp(b), a]);
      return [mx.multiply(p!, 2), mx.add(mx.depends(q!, mx.cos(a)), 1)];
    },
  },
  // ---- mx.fast (the norms' statistics are float32 inside, as MLX: float32 differences) ----
  {
    name: 'fast.rmsNorm with and without weight',
    prims: ['RMSNorm'],
    shapes: fc.tuple(dims(0, 2, 1, 3), fc.integer({ min: 1, max: 5 })).map(([lead, d]) => [[...lead, d], [d]]),
    dom: ['any', 'any'],
    lowPrecision: true,
    fn: () => (x, w) => [mx.fast.rmsNorm(x, w, 1e-5), mx.fast.rmsNorm(x, null, 1e-3)],
  },
  {
    name: 'fast.layerNorm with weight, bias, both, neither',
    prims: ['LayerNorm'],
    shapes: fc.tuple(dims(0, 2, 1, 3), fc.integer({ min: 2, max: 5 })).map(([lead, d]) => [[...lead, d], [d], [d]]),
    dom: ['distinct', 'any', 'any'],
    lowPrecision: true,
    fn: () => (x, w, b) => [mx.fast.layerNorm(x, w, b, 1e-5), mx.fast.layerNorm(x, w, null, 1e-5), mx.fast.layerNorm(x, null, b, 1e-5), mx.fast.layerNorm(x, null, null, 1e-5)],
  },
  {
    name: 'fast.rope (base, traditional or not, offsets)',
    prims: ['RoPE'],
    shapes: fc.tuple(fc.constantFrom([1], [2], [2, 1]), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 })).map(([lead, t, h, e]) => [[...lead, t, 2 * h + e]]),
    dom: ['any'],
    fn: ([s], r) => {
      const D = s![s!.length - 1]!;
      const dims = 2 * Math.max(1, Math.floor((r() * D) / 2));
      const traditional = r() < 0.5;
      const B = s![0]!;
      const offset = r() < 0.5 ? Math.floor(r() * 5) - 1 : mx.array(Array.from({ length: B }, () => Math.floor(r() * 4)), mx.int32);
      const scale = 0.5 + r();
      return (x) => mx.fast.rope(x, Math.min(dims, D - (D % 2)), traditional, 10000, scale, offset);
    },
  },
  {
    name: 'fast.rope with freqs',
    prims: ['RoPE'],
    shapes: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([b, t, h]) => [[b, t, 2 * h], [h]]),
    dom: ['any', 'gt1'],
    lowPrecision: true,
    fn: (_s, r) => {
      const traditional = r() < 0.5;
      return (x, f) => mx.fast.rope(x, f.shape[0]! * 2, traditional, null, 1, 1, f);
    },
  },
  {
    name: 'fast.scaledDotProductAttention (grouped heads, causal / bool / additive masks, sinks)',
    prims: ['ScaledDotProductAttention'],
    shapes: fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom([1, 1], [2, 1], [2, 2], [4, 2]), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
      .map(([b, [nq, nkv], tq, tk, d, dv]) => [[b, nq!, tq, d], [b, nkv!, tk, d], [b, nkv!, tk, dv], [tq, tk], [nq!]]),
    dom: ['unit', 'unit', 'any', 'unit', 'unit'],
    fn: ([q, k], r) => {
      const kind = Math.floor(r() * 4);
      const bool = mx.greater(mx.random.uniform(0, 1, [q![2]!, k![2]!], mx.float32, mx.random.key(Math.floor(r() * 1000))), 0.3);
      return (a, b, c, m, s) => {
        if (kind === 0) return mx.fast.scaledDotProductAttention(a, b, c, 0.7);
        if (kind === 1) return mx.fast.scaledDotProductAttention(a, b, c, 0.7, 'causal');
        if (kind === 2) return mx.fast.scaledDotProductAttention(a, b, c, 0.7, bool, s);
        return mx.fast.scaledDotProductAttention(a, b, c, 0.7, m, s);
      };
    },
  },
  {
    name: 'hadamardTransform (sizes 2^k and 12 * 2^k, default and given scale)',
    prims: ['Hadamard'],
    shapes: fc.tuple(dims(0, 2, 1, 3), fc.constantFrom(2, 4, 8, 12, 24)).map(([lead, n]) => [[...lead, n]]),
    dom: ['any'],
    // float64 is refused by the op, in MLX too: differences in float32
    lowPrecision: true,
    mlxRaises: ['vjp', 'jvp'],
    fn: (_s, r) => {
      const scale = r() < 0.5 ? undefined : 0.25 + r();
      return (x) => mx.hadamardTransform(x, scale);
    },
  },
  {
    name: 'fast.crossEntropy (a float32 loss)',
    prims: ['CrossEntropy'],
    shapes: fc.tuple(dims(0, 2, 1, 3), fc.integer({ min: 1, max: 5 })).map(([lead, c]) => [[...lead, c]]),
    dom: ['any'],
    lowPrecision: true,
    fn: ([s], r) => {
      const lead = s!.slice(0, -1);
      const C = s![s!.length - 1]!;
      const t = mx.reshape(mx.array(Array.from({ length: lead.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * C)), mx.int32), lead);
      return (x) => mx.fast.crossEntropy(x, t);
    },
  },
  {
    name: 'fast.gatedDeltaUpdate (grouped heads, per-key gates, mask)',
    prims: ['GatedDeltaUpdate'],
    shapes: fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom([1, 1], [1, 2]), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.boolean())
      .map(([b, t, [hk, hv], dk, dv, perKey]) => [[b, t, hk!, dk], [b, t, hk!, dk], [b, t, hv!, dv], perKey ? [b, t, hv!, dk] : [b, t, hv!], [b, t, hv!]]),
    dom: ['unit', 'unit', 'any', 'unit', 'unit'],
    fn: ([q], r) => {
      const mask = r() < 0.5 ? null : mx.greater(mx.random.uniform(0, 1, [q![0]!, q![1]!], mx.float32, mx.random.key(Math.floor(r() * 1000))), 0.3);
      return (a, b, c, g, beta) => mx.fast.gatedDeltaUpdate(a, b, c, g, beta, null, mask);
    },
  },
  // ---- mx.linalg (linalg-table.ts) ----
  ...linalgSpecs,
];

/** Every registered primitive must be exercised by some spec (built from `prims`). */
export function coverageTable(): Map<string, string[]> {
  const t = new Map<string, string[]>();
  for (const s of specs) for (const p of s.prims) t.set(p, [...(t.get(p) ?? []), s.name]);
  return t;
}
