// Input generation for the differential suites: fast-check picks dtypes, shapes, layouts and
// a value seed; arrays are filled from that seed. Layouts other than 'contiguous' hand mlx-ts
// a strided view with the same logical values (MLX gets them contiguous: semantics don't
// depend on layout, and this is what exercises our strided kernels).
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

export const allDtypeNames = [
  'bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64',
  'float16', 'bfloat16', 'float32', 'float64', 'complex64',
] as const;
export type DtypeName = (typeof allDtypeNames)[number];
export const realDtypes = allDtypeNames.filter((d) => d !== 'complex64');
export const floatDtypes: DtypeName[] = ['float16', 'bfloat16', 'float32'];
export const intDtypes: DtypeName[] = ['uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64'];

export type Layout = 'contiguous' | 'transposed' | 'reversed' | 'broadcast';
export type Domain = 'any' | 'small' | 'nonzero' | 'unit' | 'positive';

/** Fixed seed for reproducible CI runs; FC_SEED overrides it to explore. */
export const seed = Number(process.env.FC_SEED ?? 20261124);

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const specials = [0, -0, Infinity, -Infinity, NaN, 1e-3, 1e4, -2.5, 0.5];

function intRange(d: DtypeName, dom: Domain): [number, number] {
  if (dom === 'small') return d.startsWith('u') || d === 'bool' ? [0, 6] : [-6, 6];
  switch (d) {
    case 'bool': return [0, 1];
    case 'uint8': return [0, 255];
    case 'int8': return [-128, 127];
    case 'uint16': return [0, 65535];
    case 'int16': return [-32768, 32767];
    case 'uint32': return [0, 4294967295];
    case 'int32': return [-2147483648, 2147483647];
    case 'uint64': return [0, 2 ** 53];
    default: return [-(2 ** 53), 2 ** 53];
  }
}

/** One element value for a dtype and domain. */
function value(d: DtypeName, dom: Domain, r: () => number): number | bigint | boolean | { re: number; im: number } {
  if (d === 'bool') return dom === 'nonzero' ? true : r() < 0.5;
  if (d === 'complex64') return { re: Math.round((r() * 20 - 10) * 8) / 8, im: Math.round((r() * 20 - 10) * 8) / 8 };
  if (d.includes('int')) {
    let [lo, hi] = intRange(d, dom);
    // mostly moderate values, sometimes the extremes
    if (dom === 'any' && r() < 0.7) [lo, hi] = [Math.max(lo, -1000), Math.min(hi, 1000)];
    let v = Math.floor(lo + r() * (hi - lo + 1));
    if (dom === 'nonzero' && v === 0) v = 1;
    if (d === 'int64' || d === 'uint64') return BigInt(v);
    return v;
  }
  if (dom === 'unit') return r() * 2 - 1;
  if (dom === 'positive') return 0.01 + r() * 10;
  if (dom === 'any' && r() < 0.1) return specials[Math.floor(r() * specials.length)]!;
  let v = Math.round((r() * 20 - 10) * 64) / 64;
  if (dom === 'nonzero' && v === 0) v = 1;
  if (dom === 'small') v = Math.round(v);
  return v;
}

function nested(shape: number[], leaf: () => unknown): unknown {
  if (shape.length === 0) return leaf();
  return Array.from({ length: shape[0]! }, () => nested(shape.slice(1), leaf));
}

/** A contiguous array of the given dtype/shape from a seed. */
export function makeArray(d: DtypeName, shape: number[], valueSeed: number, dom: Domain = 'any'): mx.MxArray {
  const r = mulberry32(valueSeed);
  const dtype = mx.dtypeFromName(d);
  if (shape.length === 0) return mx.array(value(d, dom, r) as never, dtype);
  return mx.reshape(mx.array(nested(shape, () => value(d, dom, r)) as never, dtype), shape);
}

/** The same logical array laid out as `layout` (a view on the mlx-ts side). */
export function withLayout(d: DtypeName, shape: number[], valueSeed: number, layout: Layout, dom: Domain = 'any'): mx.MxArray {
  const base = makeArray(d, shape, valueSeed, dom);
  if (layout === 'transposed' && shape.length >= 2) {
    // materialize the transpose, then transpose back: a non-contiguous view of the same values
    return mx.copy(base.T).T;
  }
  if (layout === 'reversed' && shape.length >= 1) {
    const rev = mx.copy(base.index(mx.Slice(null, null, -1)));
    return rev.index(mx.Slice(null, null, -1));
  }
  if (layout === 'broadcast' && shape.length >= 1 && shape[0]! > 0) {
    // a stride-0 axis: every row is the first row
    const row = base.index(mx.Slice(0, 1));
    return mx.broadcastTo(row, shape);
  }
  return base;
}

export const shapeArb = (maxDims = 3, maxSize = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: maxSize }), { maxLength: maxDims }).map((s) =>
    // keep most cases non-empty: a 0 only in a third of the shapes
    s.map((d, i) => (d === 0 && i % 3 !== 0 ? 1 : d)),
  );

export const layoutArb: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'transposed', 'reversed', 'broadcast');

/** Broadcast-compatible shape pairs (each dim equal, or 1 on one side, or missing). */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = shapeArb(3, 3).chain((s) =>
  fc.tuple(
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    fc.integer({ min: 0, max: s.length }),
  ).map(([ones1, ones2, drop]) => {
    const a = s.map((d, i) => (ones1[i] ? 1 : d));
    const b = s.map((d, i) => (ones2[i] && !ones1[i] ? 1 : d)).slice(drop);
    return [a, b] as [number[], number[]];
  }),
);

/** Case-count multiplier (DIFF_SCALE=10 for a deeper local run). */
export const scale = Number(process.env.DIFF_SCALE ?? 8);

export function sample<T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] {
  return fc.sample(arb, { numRuns: Math.max(1, Math.round(n * scale)), seed: seed + salt });
}

export const py = {
  bool: (b: boolean): string => (b ? 'True' : 'False'),
  /**
   * A JS scalar as the Python value it stands for: a number is a Python float (as in node-mlx),
   * a bigint a Python int, a boolean a Python bool.
   */
  scalar: (v: number | bigint | boolean): string => {
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'bigint') return String(v);
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    return Number.isInteger(v) && Math.abs(v) < 1e21 ? `${v}.0` : String(v);
  },
  list: (xs: number[]): string => `[${xs.join(', ')}]`,
  axis: (a: number | null | undefined): string => (a === null || a === undefined ? 'None' : String(a)),
};

/** Reports at most `n` failures readably. */
export function report(failures: string[], total: number, n = Number(process.env.DIFF_REPORT ?? 15)): string {
  return `${failures.length} of ${total} cases disagree with MLX:\n` + failures.slice(0, n).join('\n');
}

/** An axis of `shape` from a draw: null (all axes) or a valid axis, negative when `neg`. */
export const axisFor = (shape: number[], pick: number, neg: boolean): number | null =>
  shape.length === 0 || pick % (shape.length + 1) === shape.length ? null : (pick % (shape.length + 1)) - (neg ? shape.length : 0);
