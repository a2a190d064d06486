// Reduce (sum/prod/max/min/and/or over several axes) and ArgReduce (argmax/argmin along one
// axis). Inputs are read once into row-major JS values (double, bigint for 64-bit integers,
// re/im pairs for complex64), so the loops below never deal with strides.
//
// Sums and products accumulate in double and are rounded to the output dtype once at the end.
// MLX accumulates float32 sums in float32, so results may differ from MLX by float32
// rounding (and, for intermediate overflow of float32, by an inf that double doesn't reach).
// Integer results of at most 32 bits wrap at every step as C arithmetic does; 64-bit integers
// accumulate as bigint and wrap when stored.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import { type Dtype, bool, complex64, isBigInt, iinfo } from '../../dtype.js';
import { numberReader, numberWriter, bigintReader, bigintWriter } from '../../elements.js';
import { rowMajorStrides, shapeSize, stridedOffsets } from '../../shape.js';
import type { ReduceType, ArgReduceType } from '../../primitives/reduce.js';

/** Row-major values of an input: doubles, bigints (64-bit ints) or re/im pairs (complex64). */
export type Values =
  | { kind: 'num'; v: Float64Array }
  | { kind: 'big'; v: bigint[] }
  | { kind: 'complex'; v: Float64Array };

export function readValues(d: ArrayData): Values {
  const offs = offsetsOf(d);
  const n = offs.length;
  const data = elements(d);
  if (d.dtype === complex64) {
    const f = data as Float32Array;
    const v = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      v[2 * i] = f[2 * offs[i]!]!;
      v[2 * i + 1] = f[2 * offs[i]! + 1]!;
    }
    return { kind: 'complex', v };
  }
  if (isBigInt(d.dtype)) {
    const r = bigintReader(d.dtype, data);
    const v = new Array<bigint>(n);
    for (let i = 0; i < n; i++) v[i] = r(offs[i]!);
    return { kind: 'big', v };
  }
  const r = numberReader(d.dtype, data);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = r(offs[i]!);
  return { kind: 'num', v };
}

/** A row-major shape seen as outer x n x inner around `axis`: element (o, k, i) is at o*n*inner + k*inner + i. */
export function lineLayout(shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  return {
    outer: shapeSize(shape.slice(0, axis)),
    n: shape[axis]!,
    inner: shapeSize(shape.slice(axis + 1)),
  };
}

/** Wraps a double holding an integer to the integer dtype `d` (<= 32 bits), as a C store does. */
export function intWrapper(d: Dtype): ((v: number) => number) | null {
  if (d === bool || !(d.kind === 'i' || d.kind === 'u') || isBigInt(d)) return null;
  const tmp = new d.storage(1) as Int32Array;
  return (v) => {
    tmp[0] = v;
    return tmp[0]!;
  };
}

/** Product of two integers of dtype `d` (<= 32 bits) with C wrapping; imul keeps 32-bit products exact. */
export function intMul(d: Dtype): (a: number, b: number) => number {
  const wrap = intWrapper(d)!;
  if (d.size === 4) return d.kind === 'u' ? (a, b) => Math.imul(a, b) >>> 0 : (a, b) => Math.imul(a, b);
  return (a, b) => wrap(a * b);
}

/** Lowest / highest value of a dtype, as the identity of max / min (exclusive scans). */
export function lowest(d: Dtype): number | bigint {
  if (d.kind === 'f' || d.kind === 'V' || d.kind === 'c') return -Infinity;
  const { min } = iinfo(d);
  return isBigInt(d) ? min : Number(min);
}
export function highest(d: Dtype): number | bigint {
  if (d.kind === 'f' || d.kind === 'V' || d.kind === 'c') return Infinity;
  const { max } = iinfo(d);
  return isBigInt(d) ? max : Number(max);
}

/** Lexicographic order of complex values (real part, then imaginary), as MLX compares them. */
export function complexLess(ar: number, ai: number, br: number, bi: number): boolean {
  return ar < br || (ar === br && ai < bi);
}

registerKernel('Reduce', (prim: Primitive<any>, [x], [out]) => {
  const { type, axes } = prim.params as { type: ReduceType; axes: number[] };
  const inD = x!.dtype;
  const outD = out!.dtype;
  const m = shapeSize(out!.shape);
  // Output position of every row-major input position: reduced axes get stride 0.
  const outStrides = rowMajorStrides(out!.shape);
  for (const a of axes) outStrides[a] = 0;
  const map = stridedOffsets(x!.shape, outStrides, 0);
  const n = map.length;
  const vals = readValues(x!);
  const dst = elements(out!);

  if (type === 'and' || type === 'or') {
    const acc = new Uint8Array(m).fill(type === 'and' ? 1 : 0);
    for (let i = 0; i < n; i++) {
      let t: boolean;
      if (vals.kind === 'complex') t = vals.v[2 * i] !== 0 || vals.v[2 * i + 1] !== 0;
      else if (vals.kind === 'big') t = vals.v[i] !== 0n;
      else t = vals.v[i] !== 0; // NaN counts as true, as in C
      const o = map[i]!;
      if (type === 'and') acc[o] = acc[o]! & (t ? 1 : 0);
      else acc[o] = acc[o]! | (t ? 1 : 0);
    }
    (dst as Uint8Array).set(acc);
    return;
  }

  if (vals.kind === 'complex') {
    const acc = new Float64Array(2 * m);
    const init: [number, number] =
      type === 'sum' ? [0, 0] : type === 'prod' ? [1, 0] : type === 'max' ? [-Infinity, 0] : [Infinity, 0];
    for (let o = 0; o < m; o++) [acc[2 * o], acc[2 * o + 1]] = init;
    const v = vals.v;
    for (let i = 0; i < n; i++) {
      const o = map[i]!;
      const ar = acc[2 * o]!, ai = acc[2 * o + 1]!;
      const br = v[2 * i]!, bi = v[2 * i + 1]!;
      if (type === 'sum') {
        acc[2 * o] = ar + br;
        acc[2 * o + 1] = ai + bi;
      } else if (type === 'prod') {
        acc[2 * o] = ar * br - ai * bi;
        acc[2 * o + 1] = ar * bi + ai * br;
      } else if (type === 'max' ? complexLess(ar, ai, br, bi) : complexLess(br, bi, ar, ai)) {
        acc[2 * o] = br;
        acc[2 * o + 1] = bi;
      }
    }
    const d = dst as Float32Array;
    for (let k = 0; k < 2 * m; k++) d[k] = acc[k]!;
    return;
  }

  if (vals.kind === 'big') {
    const init = type === 'sum' ? 0n : type === 'prod' ? 1n : type === 'max' ? (lowest(inD) as bigint) : (highest(inD) as bigint);
    const acc = new Array<bigint>(m).fill(init);
    const v = vals.v;
    for (let i = 0; i < n; i++) {
      const o = map[i]!;
      const b = v[i]!;
      if (type === 'sum') acc[o] = acc[o]! + b;
      else if (type === 'prod') acc[o] = BigInt.asIntN(64, acc[o]! * b); // wrap early to keep bigints small
      else if (type === 'max' ? b > acc[o]! : b < acc[o]!) acc[o] = b;
    }
    const w = bigintWriter(outD, dst); // 64-bit stores wrap modulo 2^64
    for (let o = 0; o < m; o++) w(o, acc[o]!);
    return;
  }

  const v = vals.v;
  const wrap = intWrapper(outD);
  const init = type === 'sum' ? 0 : type === 'prod' ? 1 : type === 'max' ? -Infinity : Infinity;
  const acc = new Float64Array(m).fill(init);
  if (type === 'sum') {
    if (wrap) for (let i = 0; i < n; i++) acc[map[i]!] = wrap(acc[map[i]!]! + v[i]!);
    else for (let i = 0; i < n; i++) acc[map[i]!] += v[i]!;
  } else if (type === 'prod') {
    if (wrap) {
      const mul = intMul(outD);
      for (let i = 0; i < n; i++) acc[map[i]!] = mul(acc[map[i]!]!, v[i]!);
    } else for (let i = 0; i < n; i++) acc[map[i]!] *= v[i]!;
  } else {
    // NaN propagates: once an output holds NaN no comparison replaces it.
    const isMax = type === 'max';
    for (let i = 0; i < n; i++) {
      const o = map[i]!;
      const a = acc[o]!;
      const b = v[i]!;
      if (Number.isNaN(a)) continue;
      if (Number.isNaN(b) || (isMax ? b > a : b < a)) acc[o] = b;
    }
  }
  const w = numberWriter(outD, dst);
  for (let o = 0; o < m; o++) w(o, acc[o]!);
});

registerKernel('ArgReduce', (prim: Primitive<any>, [x], [out]) => {
  const { type, axis } = prim.params as { type: ArgReduceType; axis: number };
  const { outer, n, inner } = lineLayout(x!.shape, axis);
  const vals = readValues(x!);
  const dst = elements(out!) as Uint32Array;
  const isMax = type === 'argmax';
  // `better(k, best)`: element k strictly beats the current best (ties keep the first index).
  let better: (k: number, best: number) => boolean;
  if (vals.kind === 'num') {
    const v = vals.v;
    // The first NaN wins and stays (MLX's NaN propagation in arg reductions).
    better = (k, b) => !Number.isNaN(v[b]!) && (Number.isNaN(v[k]!) || (isMax ? v[k]! > v[b]! : v[k]! < v[b]!));
  } else if (vals.kind === 'big') {
    const v = vals.v;
    better = (k, b) => (isMax ? v[k]! > v[b]! : v[k]! < v[b]!);
  } else {
    const v = vals.v;
    better = (k, b) =>
      isMax ? complexLess(v[2 * b]!, v[2 * b + 1]!, v[2 * k]!, v[2 * k + 1]!) : complexLess(v[2 * k]!, v[2 * k + 1]!, v[2 * b]!, v[2 * b + 1]!);
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = base;
      let bestK = 0;
      for (let k = 1; k < n; k++) {
        const idx = base + k * inner;
        if (better(idx, best)) {
          best = idx;
          bestK = k;
        }
      }
      dst[o * inner + i] = bestK;
    }
  }
});

// NumberOfElements: MLX counts in double and casts the count (or its reciprocal) once.
registerKernel('NumberOfElements', (prim: Primitive<any>, [x], [out]) => {
  const { axes, inverted } = prim.params as { axes: number[]; inverted: boolean };
  let n = 1;
  for (const a of axes) n *= x!.shape[a]!;
  numberWriter(out!.dtype, elements(out!))(out!.offset, inverted ? 1 / n : n);
});
