// Helpers for the generic autograd property suites: seeded float64 inputs in several domains,
// central finite differences, flattening and tolerant comparison.
import * as mx from '@mlx-ts/core';

/** The transforms API (node-mlx signatures), read through one typed accessor. */
export interface Transforms {
  vjp(fn: (...a: mx.MxArray[]) => mx.MxArray | mx.MxArray[], primals: mx.MxArray[], cotangents: mx.MxArray[]): [mx.MxArray[], mx.MxArray[]];
  jvp(fn: (...a: mx.MxArray[]) => mx.MxArray | mx.MxArray[], primals: mx.MxArray[], tangents: mx.MxArray[]): [mx.MxArray[], mx.MxArray[]];
  grad(fn: (...a: any[]) => any, argnums?: number | number[]): (...a: any[]) => any;
  valueAndGrad(fn: (...a: any[]) => any, argnums?: number | number[]): (...a: any[]) => [any, any];
  vmap(fn: (...a: any[]) => any, inAxes?: any, outAxes?: any): (...a: any[]) => any;
}
export const T = mx as unknown as Transforms;

/** Case-count multiplier for deeper local runs (AUTOGRAD_SCALE=10). */
export const scale = Number(process.env.AUTOGRAD_SCALE ?? 1);
export const seed = Number(process.env.FC_SEED ?? 20261201);

export type Rng = () => number;
export function rng(a: number): Rng {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Value domains that keep the functions smooth around the sample:
 * any [-2, 2]; pos [0.3, 2.5]; unit [-0.8, 0.8]; away0 ±[0.3, 2]; gt1 [1.2, 3];
 * distinct: all values of the array pairwise >= 0.05 apart (max, sort, cummax, ...);
 * int / uint: small integers (int32 / uint32); bool.
 */
export type Dom = 'any' | 'pos' | 'unit' | 'away0' | 'gt1' | 'distinct' | 'int' | 'uint' | 'bool';

export function values(n: number, dom: Dom, r: Rng): number[] {
  if (dom === 'distinct') {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const step = Math.min(0.4, 4 / Math.max(1, n));
    return perm.map((p) => (p - n / 2) * Math.max(step, 0.06) + r() * 0.01);
  }
  return Array.from({ length: n }, () => {
    let v = draw(dom, r);
    // keep clear of the jumps and kinks the table's functions have (0, integers, half-integers,
    // thresholds like 0.7 and -1.5, round(x, 1)'s steps): never within 1e-4 of a multiple of 0.05
    for (let k = 0; k < 100 && dom !== 'int' && dom !== 'uint' && dom !== 'bool' && Math.abs(v / 0.05 - Math.round(v / 0.05)) < 2e-3; k++) v = draw(dom, r);
    return v;
  });
}

function draw(dom: Dom, r: Rng): number {
  const u = r();
  switch (dom) {
    case 'pos': return 0.3 + u * 2.2;
    case 'unit': return u * 1.6 - 0.8;
    case 'away0': return (r() < 0.5 ? -1 : 1) * (0.3 + u * 1.7);
    case 'gt1': return 1.2 + u * 1.8;
    case 'int': return Math.floor(u * 13) - 6;
    case 'uint': return Math.floor(u * 16);
    case 'bool': return u < 0.5 ? 0 : 1;
    default: return u * 4 - 2;
  }
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function dtypeOf(dom: Dom, float: mx.Dtype = mx.float64): mx.Dtype {
  return dom === 'int' ? mx.int32 : dom === 'uint' ? mx.uint32 : dom === 'bool' ? mx.bool : float;
}

/** A contiguous array of `shape` from the domain (floats in `float`, float64 by default). */
export function makeInput(shape: number[], dom: Dom, r: Rng, float: mx.Dtype = mx.float64): mx.MxArray {
  const v = values(size(shape), dom, r);
  const d = dtypeOf(dom, float);
  const flat = mx.array(d === mx.bool ? v.map((x) => x !== 0) : v, d);
  return mx.reshape(flat, shape);
}

/**
 * The same values as a strided view: 'transposed' (a transposed copy transposed back),
 * 'reversed' (a reversed copy reversed back); arrays without the needed dims stay as they are.
 */
export function strided(a: mx.MxArray, layout: 'contiguous' | 'transposed' | 'reversed'): mx.MxArray {
  if (layout === 'transposed' && a.ndim >= 2) return mx.copy(a.T).T;
  if (layout === 'reversed' && a.ndim >= 1) return mx.copy(a.index(mx.Slice(null, null, -1))).index(mx.Slice(null, null, -1));
  return a;
}

/** Row-major JS numbers of an array (bool as 0/1). */
export function flat(a: mx.MxArray): number[] {
  const l = mx.reshape(a, [-1]).tolist() as (number | boolean | bigint)[];
  return l.map((v) => Number(v));
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function asList(o: mx.MxArray | mx.MxArray[]): mx.MxArray[] {
  return Array.isArray(o) ? o : [o];
}

export function isFloat(d: mx.Dtype): boolean {
  return d === mx.float16 || d === mx.bfloat16 || d === mx.float32 || d === mx.float64;
}

/**
 * Central finite differences of `fn` along direction `vs` (one per input) at `xs`: the
 * directional derivative of every output, flattened.
 */
export function fdDirectional(fn: (...a: mx.MxArray[]) => mx.MxArray | mx.MxArray[], xs: mx.MxArray[], vs: mx.MxArray[], h: number): number[][] {
  const shift = (sgn: number): mx.MxArray[] => xs.map((x, i) => (isFloat(x.dtype) ? mx.add(x, mx.multiply(vs[i]!, sgn * h)).astype(x.dtype) : x));
  const plus = asList(fn(...shift(1)));
  const minus = asList(fn(...shift(-1)));
  return plus.map((p, k) => {
    const a = flat(p.astype(mx.float64));
    const b = flat(minus[k]!.astype(mx.float64));
    return a.map((x, i) => (x === b[i] ? 0 : (x - b[i]!) / (2 * h)));
  });
}

/** |a - b| <= tol * (1 + scale); returns a message or null. */
export function near(what: string, got: number, want: number, tol: number, scaleBy = 0): string | null {
  if (got === want || (Number.isNaN(got) && Number.isNaN(want))) return null;
  const err = Math.abs(got - want);
  if (err <= tol * (1 + Math.max(Math.abs(want), scaleBy))) return null;
  return `${what}: got ${got}, want ${want} (err ${err.toExponential(2)})`;
}

export function nearArrays(what: string, got: number[], want: number[], tol: number): string | null {
  if (got.length !== want.length) return `${what}: ${got.length} elements, want ${want.length}`;
  const sc = want.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  for (let i = 0; i < got.length; i++) {
    const m = near(`${what}[${i}]`, got[i]!, want[i]!, tol, sc);
    if (m) return `${m}; got ${fmt(got)}, want ${fmt(want)}`;
  }
  return null;
}

export function fmt(v: number[]): string {
  return `[${v.slice(0, 10).map((x) => +x.toPrecision(6)).join(', ')}${v.length > 10 ? ', ...' : ''}]`;
}

export function describeInputs(xs: mx.MxArray[]): string {
  return xs.map((x) => `${x.dtype.name}[${x.shape}]=${JSON.stringify(flat(x).map((v) => +v.toPrecision(4)))}`).join(' ; ');
}
