// Random multi-op programs for the differential suite (programs.test.ts): a seeded generator
// picks a sequence of ops over 1-3 inputs (elementwise, reductions, casts to bool/int32/float32,
// softmax/logsumexp, scatter-add via .at(), indexing, shape ops, where, matmul, scans) and
// renders each program twice: as an mlx-ts closure and as a Python MLX lambda over the same
// inputs. Single-op suites can't see a rule that is wrong only where one op feeds another
// (a bool cotangent reaching negative, an integer floor that passes gradients).
//
// Every array is made with an explicit dtype on both sides (never a bare JS number, whose
// dtype is the caller's convention): scalars are 0-d arrays of a stated dtype.
import * as mx from '@mlx-ts/core';

export type DtypeName = 'float32' | 'int32' | 'bool' | 'uint32';

/** What the generator knows about a value: shape, dtype, and a bound on its magnitude. */
export interface Val {
  shape: number[];
  dtype: DtypeName;
  /** |v| <= bound for every element: keeps exp, products and int casts finite and exact */
  bound: number;
}

export interface Step {
  args: number[];
  out: Val;
  ts: (xs: mx.MxArray[]) => mx.MxArray;
  py: (xs: string[]) => string;
}

export interface Program {
  seed: number;
  inputs: Val[];
  steps: Step[];
}

export type Rng = () => number;

/** mulberry32: a small seeded PRNG (the whole suite is deterministic for one seed). */
export function rng(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

const dtypeOf = (d: DtypeName): mx.Dtype => mx.dtypeFromName(d);
const pyDtype = (d: DtypeName): string => (d === 'bool' ? 'mx.bool_' : `mx.${d}`);
const pyList = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

// ---- constants (explicit dtypes on both sides) ----

interface Const {
  ts: () => mx.MxArray;
  py: string;
}
const scalarConst = (v: number, d: DtypeName): Const => ({
  ts: () => mx.array(d === 'bool' ? v !== 0 : v, dtypeOf(d)),
  py: `mx.array(${d === 'bool' ? (v !== 0 ? 'True' : 'False') : v}, dtype=${pyDtype(d)})`,
});
const intsConst = (xs: number[], shape: number[]): Const => ({
  ts: () => mx.reshape(mx.array(xs, mx.int32), shape),
  py: `mx.array(${pyList(xs)}, dtype=mx.int32).reshape(${pyList(shape)})`,
});
const one = scalarConst(1, 'float32');

// ---- input values ----

/** Element values of an input: float32 on a 1/16 grid in [-3, 3], small ints, bools. */
function elements(v: Val, r: Rng): (number | boolean)[] {
  return Array.from({ length: size(v.shape) }, () => {
    if (v.dtype === 'bool') return r() < 0.5;
    if (v.dtype === 'float32') return Math.round((r() * 6 - 3) * 16) / 16;
    return int(r, -4, 4);
  });
}

/** An input array for `v` (a leading batch axis of `batch` when given). */
export function makeInput(v: Val, r: Rng, batch?: number): mx.MxArray {
  const shape = batch === undefined ? v.shape : [batch, ...v.shape];
  const a = mx.reshape(mx.array(elements({ ...v, shape }, r) as never, dtypeOf(v.dtype)), shape);
  mx.eval(a);
  return a;
}

// ---- ops ----

/** An op builder: a step for some values already defined, or null where it doesn't apply. */
type Builder = (r: Rng, vals: Val[], choose: (ok: (v: Val) => boolean) => number | null) => (Omit<Step, 'out'> & { bound: (b: number[]) => number }) | null;

const isFloat = (v: Val): boolean => v.dtype === 'float32';
const isNum = (v: Val): boolean => v.dtype === 'float32' || v.dtype === 'int32';
const notU32 = (v: Val): boolean => v.dtype !== 'uint32';
const nonScalar = (v: Val): boolean => v.shape.length > 0;

/** Unary ops as [mlx-ts, Python] over one argument, with where they apply and the new bound. */
const unaries: [string, (x: mx.MxArray) => mx.MxArray, (x: string) => string, (v: Val) => boolean, (b: number) => number][] = [
  ['sin', mx.sin, (x) => `mx.sin(${x})`, notU32, () => 1],
  ['cos', mx.cos, (x) => `mx.cos(${x})`, notU32, () => 1],
  ['tanh', mx.tanh, (x) => `mx.tanh(${x})`, notU32, () => 1],
  ['sigmoid', mx.sigmoid, (x) => `mx.sigmoid(${x})`, notU32, () => 1],
  ['arctan', mx.arctan, (x) => `mx.arctan(${x})`, notU32, () => 1.6],
  ['erf', mx.erf, (x) => `mx.erf(${x})`, notU32, () => 1],
  ['exp', mx.exp, (x) => `mx.exp(${x})`, (v) => notU32(v) && v.bound <= 4, (b) => Math.exp(b)],
  ['square', mx.square, (x) => `mx.square(${x})`, (v) => isNum(v) && v.bound <= 60, (b) => b * b],
  ['abs', mx.abs, (x) => `mx.abs(${x})`, isNum, (b) => b],
  ['negative', mx.negative, (x) => `mx.negative(${x})`, isNum, (b) => b],
  ['sign', mx.sign, (x) => `mx.sign(${x})`, isNum, () => 1],
  // piecewise constant on every dtype (a Floor node even for integers and bool, as MLX)
  ['floor', mx.floor, (x) => `mx.floor(${x})`, notU32, (b) => b + 1],
  ['ceil', mx.ceil, (x) => `mx.ceil(${x})`, notU32, (b) => b + 1],
  ['round', (x) => mx.round(x), (x) => `mx.round(${x})`, notU32, (b) => b + 1],
  ['stop_gradient', mx.stopGradient, (x) => `mx.stop_gradient(${x})`, () => true, (b) => b],
  // smooth compositions that stay finite everywhere
  ['sqrt(1+x^2)', (x) => mx.sqrt(mx.add(one.ts(), mx.square(x))), (x) => `mx.sqrt(${one.py} + mx.square(${x}))`, isFloat, (b) => Math.sqrt(1 + b * b)],
  ['log1p(|x|)', (x) => mx.log1p(mx.abs(x)), (x) => `mx.log1p(mx.abs(${x}))`, isFloat, (b) => Math.log1p(b)],
  ['1/(1+x^2)', (x) => mx.reciprocal(mx.add(one.ts(), mx.square(x))), (x) => `mx.reciprocal(${one.py} + mx.square(${x}))`, isFloat, () => 1],
  ['logical_not', mx.logicalNot, (x) => `mx.logical_not(${x})`, (v) => v.dtype === 'bool', () => 1],
];

const unary: Builder = (r, vals, choose) => {
  const fits = unaries.filter(([, , , ok]) => vals.some(ok));
  if (!fits.length) return null;
  const [, ts, py, ok, bound] = pick(r, fits);
  const i = choose(ok)!;
  return { args: [i], ts: ([x]) => ts(x!), py: ([x]) => py(x!), bound: ([b]) => bound(b!) };
};

const casts: DtypeName[] = ['bool', 'int32', 'float32'];
const astype: Builder = (r, vals, choose) => {
  const to = pick(r, casts);
  // float -> int casts only where the value fits (out of range is undefined behaviour in C++)
  const i = choose((v) => v.dtype !== to && (to !== 'int32' || v.bound < 1e6));
  if (i === null) return null;
  return {
    args: [i],
    ts: ([x]) => mx.astype(x!, dtypeOf(to)),
    py: ([x]) => `${x}.astype(${pyDtype(to)})`,
    bound: ([b]) => (to === 'bool' ? 1 : b!),
  };
};

/** Whether `b` broadcasts against `a` (numpy rules). */
function broadcasts(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 1; k <= Math.min(a.length, b.length); k++) {
    const x = a[a.length - k]!, y = b[b.length - k]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** The second operand of a binary op: another value that broadcasts, or a scalar constant. */
function partner(r: Rng, vals: Val[], i: number, choose: (ok: (v: Val) => boolean) => number | null, ok: (v: Val) => boolean): number | Const | null {
  if (r() < 0.75) {
    const j = choose((v) => ok(v) && broadcasts(v.shape, vals[i]!.shape));
    if (j !== null) return j;
  }
  const d = vals[i]!.dtype === 'bool' ? 'bool' : vals[i]!.dtype === 'int32' ? 'int32' : 'float32';
  if (!ok({ shape: [], dtype: d, bound: 2 })) return null;
  return scalarConst(d === 'float32' ? Math.round((r() * 4 - 2) * 8) / 8 : d === 'bool' ? int(r, 0, 1) : int(r, -2, 2), d);
}

type BinaryDef = [string, (a: mx.MxArray, b: mx.MxArray) => mx.MxArray, (a: string, b: string) => string, (v: Val) => boolean, (a: number, b: number) => number];
const binaries: BinaryDef[] = [
  ['add', mx.add, (a, b) => `mx.add(${a}, ${b})`, isNum, (a, b) => a + b],
  ['subtract', mx.subtract, (a, b) => `mx.subtract(${a}, ${b})`, isNum, (a, b) => a + b],
  ['multiply', mx.multiply, (a, b) => `mx.multiply(${a}, ${b})`, notU32, (a, b) => a * b],
  ['maximum', mx.maximum, (a, b) => `mx.maximum(${a}, ${b})`, notU32, (a, b) => Math.max(a, b)],
  ['minimum', mx.minimum, (a, b) => `mx.minimum(${a}, ${b})`, notU32, (a, b) => Math.max(a, b)],
  // a divisor of at least 1
  ['a/(1+|b|)', (a, b) => mx.divide(a, mx.add(one.ts(), mx.abs(b))), (a, b) => `mx.divide(${a}, ${one.py} + mx.abs(${b}))`, isNum, (a) => a],
  ['greater', mx.greater, (a, b) => `mx.greater(${a}, ${b})`, notU32, () => 1],
  ['less_equal', mx.lessEqual, (a, b) => `mx.less_equal(${a}, ${b})`, notU32, () => 1],
  ['equal', mx.equal, (a, b) => `mx.equal(${a}, ${b})`, notU32, () => 1],
  ['logical_and', mx.logicalAnd, (a, b) => `mx.logical_and(${a}, ${b})`, (v) => v.dtype === 'bool', () => 1],
  ['logical_or', mx.logicalOr, (a, b) => `mx.logical_or(${a}, ${b})`, (v) => v.dtype === 'bool', () => 1],
];

function operand(c: number | Const): { ts: (xs: mx.MxArray[], k: number) => mx.MxArray; py: (xs: string[], k: number) => string } {
  return typeof c === 'number' ? { ts: (xs, k) => xs[k]!, py: (xs, k) => xs[k]! } : { ts: () => c.ts(), py: () => c.py };
}

const binary: Builder = (r, vals, choose) => {
  const [, ts, py, ok, bound] = pick(r, binaries);
  const i = choose(ok);
  if (i === null) return null;
  const j = partner(r, vals, i, choose, ok);
  if (j === null) return null;
  const b = operand(j);
  const swap = r() < 0.3;
  const args = typeof j === 'number' ? [i, j] : [i];
  const jb = typeof j === 'number' ? () => vals[j]!.bound : () => 2;
  return {
    args,
    ts: (xs) => (swap ? ts(b.ts(xs, 1), xs[0]!) : ts(xs[0]!, b.ts(xs, 1))),
    py: (xs) => (swap ? py(b.py(xs, 1), xs[0]!) : py(xs[0]!, b.py(xs, 1))),
    bound: ([a]) => (swap ? bound(jb(), a!) : bound(a!, jb())),
  };
};

const where: Builder = (r, vals, choose) => {
  const c = choose((v) => v.dtype === 'bool');
  if (c === null) return null;
  const x = choose((v) => notU32(v) && broadcasts(v.shape, vals[c]!.shape));
  if (x === null) return null;
  const y = partner(r, vals, x, choose, (v) => notU32(v) && broadcasts(v.shape, vals[c]!.shape));
  if (y === null) return null;
  const b = operand(y);
  return {
    args: typeof y === 'number' ? [c, x, y] : [c, x],
    ts: (xs) => mx.where(xs[0]!, xs[1]!, b.ts(xs, 2)),
    py: (xs) => `mx.where(${xs[0]}, ${xs[1]}, ${b.py(xs, 2)})`,
    bound: (bs) => Math.max(bs[1]!, bs[2] ?? 2),
  };
};

/** A reduction axis spec: one axis, all axes, or (sometimes) a pair. */
function axisSpec(r: Rng, nd: number): { ts: number | number[] | null; py: string } {
  const u = r();
  if (nd === 0 || u < 0.25) return { ts: null, py: 'None' };
  if (nd >= 2 && u < 0.4) {
    const a = int(r, 0, nd - 2);
    return { ts: [a, a + 1], py: `[${a}, ${a + 1}]` };
  }
  const a = int(r, -nd, nd - 1);
  return { ts: a, py: String(a) };
}

const reductions: [string, string, (v: Val) => boolean, (b: number, n: number) => number][] = [
  ['sum', 'sum', notU32, (b, n) => b * n],
  ['mean', 'mean', notU32, (b) => b],
  ['max', 'max', notU32, (b) => b],
  ['min', 'min', notU32, (b) => b],
  ['prod', 'prod', (v) => notU32(v) && v.bound <= 2, (b, n) => b ** n],
  ['logsumexp', 'logsumexp', (v) => notU32(v) && v.bound <= 30, (b, n) => b + Math.log(n)],
  ['all', 'all', () => true, () => 1],
  ['any', 'any', () => true, () => 1],
];

const reduce: Builder = (r, vals, choose) => {
  const [ts, py, ok, bound] = pick(r, reductions);
  const i = choose(ok);
  if (i === null) return null;
  const ax = axisSpec(r, vals[i]!.shape.length);
  const keep = r() < 0.4;
  const f = (mx as unknown as Record<string, (x: mx.MxArray, a: unknown, k: boolean) => mx.MxArray>)[ts]!;
  const n = size(vals[i]!.shape);
  return {
    args: [i],
    ts: ([x]) => f(x!, ax.ts, keep),
    py: ([x]) => `mx.${py}(${x}, axis=${ax.py}, keepdims=${keep ? 'True' : 'False'})`,
    bound: ([b]) => bound(b!, n),
  };
};

// Softmax over floats only: over a bool or int32 value (cast to float inside), a cotangent that
// is uniform along the axis (as one cast back from bool is) gives a vjp that is zero up to
// rounding, s * (g - sum(s * g)), and the cast of that rounding to bool is 0 or 1 depending on
// the summation order. logsumexp (vjp g * softmax, no cancellation) takes every dtype.
const softmax: Builder = (r, vals, choose) => {
  const i = choose((v) => isFloat(v) && v.bound <= 30);
  if (i === null) return null;
  const ax = axisSpec(r, vals[i]!.shape.length);
  return {
    args: [i],
    ts: ([x]) => mx.softmax(x!, ax.ts),
    py: ([x]) => `mx.softmax(${x}, axis=${ax.py})`,
    bound: () => 1,
  };
};

const argmax: Builder = (r, vals, choose) => {
  const i = choose((v) => notU32(v) && nonScalar(v));
  if (i === null) return null;
  const nd = vals[i]!.shape.length;
  const a = int(r, 0, nd - 1);
  const fn = r() < 0.5 ? 'argmax' : 'argmin';
  const f = fn === 'argmax' ? mx.argmax : mx.argmin;
  return { args: [i], ts: ([x]) => f(x!, a), py: ([x]) => `mx.${fn}(${x}, axis=${a})`, bound: () => vals[i]!.shape[a]! };
};

const scans: [string, string, (v: Val) => boolean, (b: number, n: number) => number][] = [
  ['cumsum', 'cumsum', isNum, (b, n) => b * n],
  ['cumprod', 'cumprod', (v) => isNum(v) && v.bound <= 2, (b, n) => b ** n],
  ['cummax', 'cummax', isNum, (b) => b],
  ['logcumsumexp', 'logcumsumexp', (v) => isFloat(v) && v.bound <= 30, (b, n) => b + Math.log(n)],
];

const scan: Builder = (r, vals, choose) => {
  const [ts, py, ok, bound] = pick(r, scans);
  const i = choose((v) => ok(v) && nonScalar(v));
  if (i === null) return null;
  const nd = vals[i]!.shape.length;
  const a = int(r, 0, nd - 1);
  const rev = r() < 0.3;
  // exclusive cummax/logcumsumexp start at -inf, whose int32 cast is undefined behaviour
  const inclusive = r() < 0.8;
  const inc = inclusive || ts === 'cummax' || ts === 'logcumsumexp';
  const f = (mx as unknown as Record<string, (x: mx.MxArray, a: number, rev: boolean, inc: boolean) => mx.MxArray>)[ts]!;
  const n = vals[i]!.shape[a]!;
  const B = (x: boolean): string => (x ? 'True' : 'False');
  return {
    args: [i],
    ts: ([x]) => f(x!, a, rev, inc),
    py: ([x]) => `mx.${py}(${x}, axis=${a}, reverse=${B(rev)}, inclusive=${B(inc)})`,
    bound: ([b]) => bound(b!, n),
  };
};

const shapeOp: Builder = (r, vals, choose) => {
  const i = choose(() => true)!;
  const s = vals[i]!.shape;
  const nd = s.length;
  const u = r();
  if (u < 0.25) {
    // reshape: flatten, or split the flat size into two factors
    const n = size(s);
    const divisors = Array.from({ length: n }, (_, k) => k + 1).filter((d) => n % d === 0);
    const d = pick(r, divisors);
    const to = r() < 0.4 ? [n] : [d, n / d];
    return { args: [i], ts: ([x]) => mx.reshape(x!, to), py: ([x]) => `mx.reshape(${x}, ${pyList(to)})`, bound: ([b]) => b! };
  }
  if (u < 0.45 && nd >= 2) {
    const perm = Array.from({ length: nd }, (_, k) => k);
    for (let k = nd - 1; k > 0; k--) {
      const j = int(r, 0, k);
      [perm[k], perm[j]] = [perm[j]!, perm[k]!];
    }
    return { args: [i], ts: ([x]) => mx.transpose(x!, perm), py: ([x]) => `mx.transpose(${x}, ${pyList(perm)})`, bound: ([b]) => b! };
  }
  if (u < 0.6 && nd < 3) {
    const a = int(r, 0, nd);
    return { args: [i], ts: ([x]) => mx.expandDims(x!, a), py: ([x]) => `mx.expand_dims(${x}, ${a})`, bound: ([b]) => b! };
  }
  if (u < 0.75 && nd < 3) {
    // broadcast: a new leading axis of 2 (and a size-1 axis widened to 3)
    const to = [2, ...s.map((d) => (d === 1 ? 3 : d))];
    return { args: [i], ts: ([x]) => mx.broadcastTo(x!, to), py: ([x]) => `mx.broadcast_to(${x}, ${pyList(to)})`, bound: ([b]) => b! };
  }
  if (nd >= 1) {
    // a strided slice of axis 0 (sometimes reversed); never empty
    const n = s[0]!;
    const step = pick(r, [1, 2, -1]);
    const start = step > 0 ? int(r, 0, n - 1) : int(r, 0, n - 1);
    const sl = step > 0 ? { ts: mx.Slice(start, null, step), py: `${start}::${step}` } : { ts: mx.Slice(start, null, -1), py: `${start}::-1` };
    return { args: [i], ts: ([x]) => x!.index(sl.ts), py: ([x]) => `${x}[${sl.py}]`, bound: ([b]) => b! };
  }
  return null;
};

const take: Builder = (r, vals, choose) => {
  const i = choose(nonScalar);
  if (i === null) return null;
  const s = vals[i]!.shape;
  const a = int(r, 0, s.length - 1);
  const n = s[a]!;
  // data-dependent indices: an integer value taken modulo n (floor-mod: in [0, n)), under
  // stop_gradient as MLX asks (its gather has no vjp for indices; mlx-ts's gives zeros)
  const j = r() < 0.35 ? choose((v) => (v.dtype === 'int32' || v.dtype === 'uint32') && v.shape.length <= 2) : null;
  if (j !== null) {
    const nc = scalarConst(n, vals[j]!.dtype);
    return {
      args: [i, j],
      ts: ([x, k]) => mx.take(x!, mx.stopGradient(mx.remainder(k!, nc.ts())), a),
      py: ([x, k]) => `mx.take(${x}, mx.stop_gradient(mx.remainder(${k}, ${nc.py})), axis=${a})`,
      bound: ([b]) => b!,
    };
  }
  const len = int(r, 1, 4);
  const idxShape = r() < 0.25 ? [2, len] : [len];
  const idx = intsConst(Array.from({ length: size(idxShape) }, () => int(r, -n, n - 1)), idxShape);
  if (a === 0 && r() < 0.4) return { args: [i], ts: ([x]) => x!.index(idx.ts()), py: ([x]) => `${x}[${idx.py}]`, bound: ([b]) => b! };
  return { args: [i], ts: ([x]) => mx.take(x!, idx.ts(), a), py: ([x]) => `mx.take(${x}, ${idx.py}, axis=${a})`, bound: ([b]) => b! };
};

/** `.at[idx].add/maximum/minimum(update)` into a value or a fresh zeros array of some dtype. */
const scatter: Builder = (r, vals, choose) => {
  const fresh = r() < 0.35;
  let target: { ts: (xs: mx.MxArray[]) => mx.MxArray; py: (xs: string[]) => string; val: Val; args: number[] };
  if (fresh) {
    const shape = [int(r, 1, 4), ...(r() < 0.6 ? [int(r, 1, 4)] : [])];
    const d = pick(r, ['bool', 'int32', 'float32'] as DtypeName[]);
    target = { ts: () => mx.zeros(shape, dtypeOf(d)), py: () => `mx.zeros(${pyList(shape)}, dtype=${pyDtype(d)})`, val: { shape, dtype: d, bound: 0 }, args: [] };
  } else {
    const t = choose((v) => notU32(v) && nonScalar(v));
    if (t === null) return null;
    target = { ts: (xs) => xs[0]!, py: (xs) => xs[0]!, val: vals[t]!, args: [t] };
  }
  const s = target.val.shape;
  const len = int(r, 1, 4);
  const idx = intsConst(Array.from({ length: len }, () => int(r, 0, s[0]! - 1)), [len]);
  const updShape = [len, ...s.slice(1)];
  // the update: a scalar or a value of the update's shape (broadcast by the op)
  const u = choose((v) => notU32(v) && (v.shape.length === 0 || broadcasts(updShape, v.shape)) && v.shape.length <= updShape.length);
  if (u === null) return null;
  const how = pick(r, ['add', 'add', 'maximum', 'minimum'] as const);
  const k = target.args.length;
  return {
    args: [...target.args, u],
    ts: (xs) => {
      const at = target.ts(xs).at(idx.ts());
      return how === 'add' ? at.add(xs[k]!) : how === 'maximum' ? at.maximum(xs[k]!) : at.minimum(xs[k]!);
    },
    py: (xs) => `${target.py(xs)}.at[${idx.py}].${how}(${xs[k]})`,
    bound: (bs) => (how === 'add' ? (k ? bs[0]! : 0) + len * bs[k]! : Math.max(k ? bs[0]! : 0, bs[k]!)),
  };
};

const matmul: Builder = (r, vals, choose) => {
  const i = choose((v) => isFloat(v) && v.shape.length >= 1 && v.shape.length <= 3);
  if (i === null) return null;
  const s = vals[i]!.shape;
  // a @ b^T for b of a's shape (a Gram-like product), or a 1-D dot
  const j = choose((v) => isFloat(v) && v.shape.length === s.length && v.shape.every((d, k) => d === s[k]));
  if (j === null) return null;
  const k = s[s.length - 1]!;
  if (s.length === 1) return { args: [i, j], ts: ([a, b]) => mx.matmul(a!, b!), py: ([a, b]) => `mx.matmul(${a}, ${b})`, bound: ([a, b]) => a! * b! * k };
  return {
    args: [i, j],
    ts: ([a, b]) => mx.matmul(a!, mx.swapaxes(b!, -1, -2)),
    py: ([a, b]) => `mx.matmul(${a}, mx.swapaxes(${b}, -1, -2))`,
    bound: ([a, b]) => a! * b! * k,
  };
};

const join: Builder = (r, vals, choose) => {
  const i = choose(notU32)!;
  const s = vals[i]!.shape;
  const j = choose((v) => v.dtype === vals[i]!.dtype && v.shape.length === s.length && v.shape.every((d, k) => d === s[k]));
  if (j === null) return null;
  if (s.length >= 1 && r() < 0.5) {
    const a = int(r, 0, s.length - 1);
    return { args: [i, j], ts: ([x, y]) => mx.concatenate([x!, y!], a), py: ([x, y]) => `mx.concatenate([${x}, ${y}], axis=${a})`, bound: ([x, y]) => Math.max(x!, y!) };
  }
  return { args: [i, j], ts: ([x, y]) => mx.stack([x!, y!], 0), py: ([x, y]) => `mx.stack([${x}, ${y}], axis=0)`, bound: ([x, y]) => Math.max(x!, y!) };
};

const sort: Builder = (r, vals, choose) => {
  const i = choose((v) => isNum(v) && nonScalar(v));
  if (i === null) return null;
  const a = int(r, 0, vals[i]!.shape.length - 1);
  return { args: [i], ts: ([x]) => mx.sort(x!, a), py: ([x]) => `mx.sort(${x}, axis=${a})`, bound: ([b]) => b! };
};

/** The ops and their weights (casts and bool/int paths are frequent on purpose). */
const builders: [Builder, number][] = [
  [unary, 6], [astype, 4], [binary, 6], [where, 2], [reduce, 3], [softmax, 2], [argmax, 1], [scan, 1.5],
  [shapeOp, 3], [take, 2], [scatter, 2.5], [matmul, 1.5], [join, 1], [sort, 0.5],
];
const totalWeight = builders.reduce((p, [, w]) => p + w, 0);

/** Largest values allowed: keeps float32 results well inside range and int32 casts exact. */
const maxBound = { float32: 1e4, int32: 1e6, bool: 1, uint32: 1e6 };
const maxSize = 48;

/** One random program: 1-3 inputs, 2-7 ops; it returns every op's result. */
export function generate(seed: number): Program {
  const r = rng(seed);
  const nIn = int(r, 1, 3);
  const inputs: Val[] = Array.from({ length: nIn }, () => {
    const nd = int(r, 0, 3);
    const shape = Array.from({ length: nd }, () => int(r, 1, 4));
    const u = r();
    return { shape, dtype: u < 0.7 ? 'float32' : u < 0.85 ? 'int32' : 'bool', bound: u < 0.7 ? 3 : 4 };
  });
  // a second input often shares the first's shape (more binary ops, matmul, joins apply)
  if (nIn > 1 && r() < 0.5) inputs[1]!.shape = [...inputs[0]!.shape];
  const vals: Val[] = [...inputs];
  const steps: Step[] = [];
  const nSteps = int(r, 2, 7);
  // arguments lean towards recent values, so programs are chains more than forests, and
  // towards bool and integer values, whose paths the single-op suites don't cover
  const choose = (ok: (v: Val) => boolean): number | null => {
    let cands = vals.map((v, k) => k).filter((k) => ok(vals[k]!));
    if (!cands.length) return null;
    const exact = cands.filter((k) => vals[k]!.dtype !== 'float32');
    if (exact.length && r() < 0.35) cands = exact;
    const w = cands.map((k) => 1 + 3 * (k / vals.length) ** 2);
    let u = r() * w.reduce((p, q) => p + q, 0);
    for (let c = 0; c < cands.length; c++) if ((u -= w[c]!) <= 0) return cands[c]!;
    return cands[cands.length - 1]!;
  };
  for (let tries = 0; steps.length < nSteps && tries < 200; tries++) {
    let u = r() * totalWeight;
    const build = builders.find(([, w]) => (u -= w) <= 0)?.[0] ?? unary;
    const b = build(r, vals, choose);
    if (!b) continue;
    // shape and dtype from mlx-ts itself, on lazy placeholders (nothing is evaluated)
    let out: mx.MxArray;
    try {
      out = b.ts(b.args.map((k) => mx.zeros(vals[k]!.shape, dtypeOf(vals[k]!.dtype))));
    } catch {
      continue;
    }
    const dtype = out.dtype.name as DtypeName;
    if (!(dtype in maxBound) || size(out.shape) > maxSize || out.shape.length > 4) continue;
    const bound = dtype === 'bool' ? 1 : b.bound(b.args.map((k) => vals[k]!.bound));
    if (!(bound <= maxBound[dtype])) continue;
    const val: Val = { shape: [...out.shape], dtype, bound };
    steps.push({ args: b.args, ts: b.ts, py: b.py, out: val });
    vals.push(val);
  }
  return { seed, inputs, steps };
}

// ---- rendering ----

const names = (p: Program): string[] => [...p.inputs.map((_v, i) => `x${i}`), ...p.steps.map((_s, k) => `v${p.inputs.length + k}`)];

// Each op's result is returned through an add of zeros, so no two outputs are one array and
// none is a stop_gradient node: there MLX's vjp pairs cotangents its own way (README,
// deliberate differences), and an op may return its input in one library and not the other.

/** The program as an mlx-ts function of its inputs, returning every op's result. */
export function tsFunction(p: Program): (...xs: mx.MxArray[]) => mx.MxArray[] {
  return (...xs) => {
    const vals = [...xs];
    for (const s of p.steps) vals.push(s.ts(s.args.map((k) => vals[k]!)));
    return vals.slice(p.inputs.length).map((v) => mx.add(v, mx.zerosLike(v)));
  };
}

/** The same as a Python lambda (assignment expressions in a tuple: one expression). */
export function pyFunction(p: Program): string {
  const n = names(p);
  const body = p.steps.map((s, k) => `${n[p.inputs.length + k]} := ${s.py(s.args.map((a) => n[a]!))}`);
  const outs = n.slice(p.inputs.length).map((v) => `mx.add(${v}, mx.zeros_like(${v}))`);
  return `(lambda ${n.slice(0, p.inputs.length).join(', ')}: (${body.join(', ')}, [${outs.join(', ')}])[-1])`;
}

/** A readable listing, for failure messages. */
export function describe(p: Program): string {
  const n = names(p);
  const ins = p.inputs.map((v, i) => `${n[i]}: ${v.dtype}[${v.shape}]`).join(', ');
  return `program ${p.seed} (${ins}): ${p.steps.map((s, k) => `${n[p.inputs.length + k]} = ${s.py(s.args.map((a) => n[a]!))}`).join('; ')}`;
}
