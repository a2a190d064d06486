// fast-check arbitraries for backend testing: dtypes, shapes (size-0 and size-1 dimensions
// included), broadcastable shape pairs, storage values with the special cases kernels get
// wrong (NaN, infinities, -0, subnormals, integer extremes), and array specs whose layout is
// contiguous, transposed, sliced (negative steps too), broadcast, or a mix.
import fc from 'fast-check';
import { allDtypes, bfloat16, bool, complex64, float16, float32, float64, int64, uint64, type Dtype } from '../dtype.js';
import { shapeSize } from '../shape.js';
import type { ArraySpec, ViewStep } from './specs.js';

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  /** Largest dimension; default 6. */
  maxDim?: number;
  /** Largest element count; default 256. */
  maxSize?: number;
}

export function dtypeArb(dtypes: readonly Dtype[] = allDtypes): fc.Arbitrary<Dtype> {
  return fc.constantFrom(...dtypes);
}

/** One dimension: often 1, sometimes 0, else 2..maxDim. */
function dimArb(maxDim: number): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: fc.constant(1), weight: 2 }, { arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 2, max: Math.max(2, maxDim) }), weight: 6 });
}

export function shapeArb(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 4, maxDim = 6, maxSize = 256 } = opts;
  return fc.array(dimArb(maxDim), { minLength: minRank, maxLength: maxRank }).filter((s) => shapeSize(s) <= maxSize);
}

/** Two shapes that broadcast together (dims set to 1 and leading dims dropped at random). */
export function broadcastableShapesArb(opts: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(opts).chain((out) => {
    const side = fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length })).map(([drop, ones]) =>
      out.slice(drop).map((d, i) => (ones[i + drop] && d !== 0 ? 1 : d)),
    );
    return fc.tuple(side, side);
  });
}

/** Storage units (see ArraySpec.units) of `n` elements of a dtype. */
export function unitsArb(dtype: Dtype, n: number): fc.Arbitrary<(number | bigint)[]> {
  const len = n * dtype.lanes;
  return fc.array(unitArb(dtype), { minLength: len, maxLength: len });
}

/** Values every float kernel must get right: NaN, infinities, signed zeros, ±1. */
const floatSpecials = [NaN, Infinity, -Infinity, 0, -0, 1, -1];

function unitArb(dtype: Dtype): fc.Arbitrary<number | bigint> {
  const small = fc.integer({ min: -8, max: 8 });
  // halves of small integers give exact ties for rounding ops
  const halves = small.map((v) => v / 2);
  switch (dtype) {
    case float32:
    case complex64:
      return fc.oneof(
        { arbitrary: fc.float(), weight: 3 },
        { arbitrary: small, weight: 1 },
        { arbitrary: halves, weight: 1 },
        { arbitrary: fc.constantFrom(...floatSpecials, 3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45), weight: 1 },
      );
    case float64:
      return fc.oneof(
        { arbitrary: fc.double(), weight: 3 },
        { arbitrary: small, weight: 1 },
        { arbitrary: halves, weight: 1 },
        { arbitrary: fc.constantFrom(...floatSpecials, Number.MAX_VALUE, 2.2250738585072014e-308, Number.MIN_VALUE), weight: 1 },
      );
    case float16:
    case bfloat16:
      // any 16-bit pattern: every NaN, infinity, subnormal and zero
      return fc.integer({ min: 0, max: 0xffff });
    case bool:
      return fc.integer({ min: 0, max: 1 });
    case int64:
      return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), small.map(BigInt));
    case uint64:
      return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 8 }).map(BigInt));
    default: {
      const bits = dtype.size * 8;
      const min = dtype.kind === 'u' ? 0 : -(2 ** (bits - 1));
      const max = dtype.kind === 'u' ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, 1), small.filter((v) => v >= min));
    }
  }
}

export type LayoutKind = 'contiguous' | 'transposed' | 'sliced' | 'broadcast' | 'mixed';

export interface ArraySpecOptions {
  /** Layouts to draw from; default all. */
  layouts?: readonly LayoutKind[];
  /** Override of the element values (e.g. positive only); storage units of the base. */
  units?: (dtype: Dtype, n: number) => fc.Arbitrary<(number | bigint)[]>;
}

/** A spec whose final shape is `shape`, with a layout drawn from `opts.layouts`. */
export function arraySpecArb(dtype: Dtype, shape: readonly number[], opts: ArraySpecOptions = {}): fc.Arbitrary<ArraySpec> {
  const layouts = opts.layouts ?? ['contiguous', 'transposed', 'sliced', 'broadcast', 'mixed'];
  const units = opts.units ?? unitsArb;
  return fc
    .constantFrom(...layouts)
    .chain((kind) => layoutArb(kind, shape))
    .chain(({ baseShape, view }) => units(dtype, shapeSize(baseShape)).map((u) => ({ dtype, baseShape, units: u, view })));
}

/** Specs for a list of shapes, e.g. the two sides of a binary op. */
export function arraySpecsArb(dtype: Dtype, shapes: readonly (readonly number[])[], opts: ArraySpecOptions = {}): fc.Arbitrary<ArraySpec[]> {
  return fc.tuple(...shapes.map((s) => arraySpecArb(dtype, s, opts)));
}

interface Layout {
  baseShape: number[];
  view: ViewStep[];
}

function layoutArb(kind: LayoutKind, shape: readonly number[]): fc.Arbitrary<Layout> {
  const target = [...shape];
  switch (kind) {
    case 'contiguous':
      return fc.constant({ baseShape: target, view: [] });
    case 'transposed':
      return permutationArb(target.length).map((perm) => transposedTo(target, perm, []));
    case 'sliced':
      return slicedTo(target, []);
    case 'broadcast':
      return broadcastTo(target, []);
    case 'mixed':
      // base -> slice -> transpose -> broadcast, each step built backwards from the target
      return broadcastPlan(target).chain(({ small, step }) =>
          permutationArb(small.length).chain((perm) => {
            const t = transposedTo(small, perm, step ? [step] : []);
            return slicedTo(t.baseShape, t.view);
          }),
        );
  }
}

function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
}

/** The base shape and a transpose whose result is `shape`. */
function transposedTo(shape: number[], perm: number[], after: ViewStep[]): Layout {
  // result[i] = base[perm[i]], so base[perm[i]] = shape[i]
  const base = new Array<number>(shape.length);
  perm.forEach((p, i) => (base[p] = shape[i]!));
  return { baseShape: base, view: [{ kind: 'transpose', axes: perm }, ...after] };
}

function slicedTo(shape: number[], after: ViewStep[]): fc.Arbitrary<Layout> {
  const dims = shape.map((t) =>
    fc.tuple(fc.constantFrom(1, 1, 2, 3, -1, -2), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).map(([step, extra, shift]) => {
      if (t === 0) return { base: extra, start: 0, stop: 0, step: 1 };
      const span = (t - 1) * Math.abs(step) + 1;
      const base = span + extra;
      const lead = Math.min(shift, extra);
      if (step > 0) return { base, start: lead, stop: lead + span, step };
      const start = lead + span - 1;
      return { base, start, stop: start - span, step };
    }),
  );
  return fc.tuple(...dims).map((ds) => ({
    baseShape: ds.map((d) => d.base),
    view: [{ kind: 'slice', start: ds.map((d) => d.start), stop: ds.map((d) => d.stop), step: ds.map((d) => d.step) } as ViewStep, ...after],
  }));
}

/** A smaller shape (dims set to 1, leading dims dropped) and the broadcast back to `shape`. */
function broadcastPlan(shape: number[]): fc.Arbitrary<{ small: number[]; step: ViewStep | null }> {
  return fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length })).map(([drop, ones]) => {
    const small = shape.slice(drop).map((d, i) => (ones[i + drop] && d !== 0 ? 1 : d));
    const same = drop === 0 && small.every((d, i) => d === shape[i]);
    return { small, step: same ? null : { kind: 'broadcast', shape: [...shape] } };
  });
}

function broadcastTo(shape: number[], after: ViewStep[]): fc.Arbitrary<Layout> {
  return broadcastPlan(shape).map(({ small, step }) => ({ baseShape: small, view: step ? [step, ...after] : after }));
}
