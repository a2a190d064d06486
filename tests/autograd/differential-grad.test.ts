// mx.vjp / mx.jvp / mx.grad in mlx-ts against MLX's own transforms (the Python worker of the
// differential harness), float32, on fast-check shapes: one function per primitive family at
// least, plus compositions (softmax cross-entropy, logsumexp, matmul chains, indexing).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';
import { MlxWorker, mlxAvailable, runCases, type Case } from '../differential/harness.js';
import { broadcastPairArb, report, shapeArb } from '../differential/gen.js';
import { asList, makeInput, rng, scale, seed, type Dom, type Rng } from './fd.js';

const hasMlx = mlxAvailable();
let worker: MlxWorker;
beforeAll(() => {
  if (hasMlx) worker = new MlxWorker();
});
afterAll(() => worker?.close());

type Fn = (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];

interface DiffSpec {
  name: string;
  shapes: fc.Arbitrary<number[][]>;
  dom: Dom[];
  /** integer constants (indices) the function captures */
  consts?: (shapes: number[][], r: Rng) => mx.MxArray[];
  /** mlx-ts function of the primals, given the constants */
  ts: (k: mx.MxArray[], shapes: number[][]) => Fn;
  /** the Python lambda body over x0, x1, ... and k0, k1, ... (the constants) */
  py: (shapes: number[][]) => string;
  /** MLX has no jvp for it */
  noJvp?: boolean;
  /** complex64 primals (real part from the domain, imaginary part in [-2, 2]) */
  complex?: boolean;
  ulps?: number;
}

const one = shapeArb(3, 4).map((s) => [s]);
const oneNE = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).map((s) => [s]);
const pair = broadcastPairArb.map(([a, b]) => [a, b]);
const idxArr = (shape: number[], n: number, r: Rng): mx.MxArray =>
  mx.reshape(mx.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * n)), mx.int32), shape);
const op = (name: string) => (mx as unknown as Record<string, (...a: unknown[]) => mx.MxArray>)[name]!;

const unaries: [string, string, Dom][] = [
  ['abs', 'abs', 'away0'], ['negative', 'negative', 'any'], ['square', 'square', 'any'], ['sqrt', 'sqrt', 'pos'],
  ['rsqrt', 'rsqrt', 'pos'], ['reciprocal', 'reciprocal', 'away0'], ['exp', 'exp', 'any'], ['expm1', 'expm1', 'any'],
  ['log', 'log', 'pos'], ['log2', 'log2', 'pos'], ['log10', 'log10', 'pos'], ['log1p', 'log1p', 'pos'],
  ['sin', 'sin', 'any'], ['cos', 'cos', 'any'], ['tan', 'tan', 'unit'], ['arcsin', 'arcsin', 'unit'],
  ['arccos', 'arccos', 'unit'], ['arctan', 'arctan', 'any'], ['sinh', 'sinh', 'any'], ['cosh', 'cosh', 'any'],
  ['tanh', 'tanh', 'any'], ['arcsinh', 'arcsinh', 'any'], ['arccosh', 'arccosh', 'gt1'], ['arctanh', 'arctanh', 'unit'],
  ['sigmoid', 'sigmoid', 'any'], ['erf', 'erf', 'any'], ['erfinv', 'erfinv', 'unit'], ['floor', 'floor', 'any'],
  ['sign', 'sign', 'away0'], ['round', 'round', 'any'], ['stopGradient', 'stop_gradient', 'any'],
];
const binaries: [string, string, Dom, Dom][] = [
  ['add', 'add', 'any', 'any'], ['subtract', 'subtract', 'any', 'any'], ['multiply', 'multiply', 'any', 'any'],
  ['divide', 'divide', 'any', 'away0'], ['power', 'power', 'pos', 'any'], ['maximum', 'maximum', 'any', 'any'],
  ['minimum', 'minimum', 'any', 'any'], ['logaddexp', 'logaddexp', 'any', 'any'], ['arctan2', 'arctan2', 'any', 'away0'],
  ['remainder', 'remainder', 'any', 'away0'], ['floorDivide', 'floor_divide', 'any', 'away0'],
];

/** an axis from the shape and a draw (the same draw on both sides) */
const axisFrom = (s: number[], u: number): number => Math.floor(u * s.length);
const B = (b: boolean): string => (b ? 'True' : 'False');

const specs: DiffSpec[] = [
  ...unaries.map(([t, p, d]): DiffSpec => ({ name: t, shapes: one, dom: [d], ts: () => (x) => op(t)(x), py: () => `mx.${p}(x0)` })),
  ...binaries.map(([t, p, da, db]): DiffSpec => ({ name: t, shapes: pair, dom: [da, db], ts: () => (a, b) => op(t)(a, b), py: () => `mx.${p}(x0, x1)` })),
  {
    name: 'where(a > b, a * b, exp(b))',
    shapes: pair,
    dom: ['any', 'any'],
    ts: () => (a, b) => mx.where(mx.greater(a, b), mx.multiply(a, b), mx.exp(b)),
    py: () => 'mx.where(x0 > x1, x0 * x1, mx.exp(x1))',
  },
  ...(['sum', 'prod', 'max', 'min', 'mean', 'logsumexp'] as const).map(
    (r): DiffSpec => ({
      name: `${r}(axis)`,
      shapes: oneNE,
      dom: [r === 'prod' ? 'away0' : r === 'max' || r === 'min' ? 'distinct' : 'any'],
      ts: ([], [s]) => (x) => op(r)(x, axisFrom(s!, 0.6), true),
      py: ([s]) => `mx.${r}(x0, axis=${axisFrom(s!, 0.6)}, keepdims=True)`,
    }),
  ),
  {
    name: 'softmax, var, std',
    shapes: oneNE.filter(([s]) => s!.every((d) => d > 1)),
    dom: ['any'],
    ts: ([], [s]) => (x) => [mx.softmax(x, -1), mx.variance(x, 0), mx.std(x, null, false, 1)],
    py: () => '[mx.softmax(x0, axis=-1), mx.var(x0, axis=0), mx.std(x0, ddof=1)]',
  },
  ...(['cumsum', 'cumprod', 'cummax', 'cummin', 'logcumsumexp'] as const).flatMap((c) =>
    [false, true].map(
      (rev): DiffSpec => ({
        name: `${c}(reverse=${rev}, inclusive=${!rev})`,
        shapes: oneNE,
        dom: [c === 'cumprod' ? 'away0' : c === 'cummax' || c === 'cummin' ? 'distinct' : 'any'],
        noJvp: c === 'cumprod' || c === 'cummax' || c === 'cummin',
        ts: ([], [s]) => (x) => op(c)(x, axisFrom(s!, 0.3), rev, !rev),
        py: ([s]) => `mx.${c}(x0, axis=${axisFrom(s!, 0.3)}, reverse=${B(rev)}, inclusive=${B(!rev)})`,
      }),
    ),
  ),
  { name: 'sort', shapes: oneNE, dom: ['distinct'], ts: () => (x) => mx.sort(x, 0), py: () => 'mx.sort(x0, axis=0)' },
  {
    name: 'matmul (broadcast batch)',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([m, k, n, b]) => [[b, 1, m, k], [2, k, n]]),
    dom: ['any', 'any'],
    ts: () => (a, b) => mx.matmul(a, b),
    py: () => 'x0 @ x1',
  },
  {
    name: 'matmul 1-D operands',
    shapes: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).map(([k, m]) => [[k], [k, m], [m, k]]),
    dom: ['any', 'any', 'any'],
    ts: () => (v, a, b) => [mx.matmul(v, a), mx.matmul(b, v), mx.matmul(v, v)],
    py: () => '[x0 @ x1, x2 @ x0, x0 @ x0]',
  },
  {
    name: 'addmm',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([m, k, n]) => [[n], [m, k], [k, n]]),
    dom: ['any', 'any', 'any'],
    ts: () => (c, a, b) => mx.addmm(c, a, b),
    py: () => 'mx.addmm(x0, x1, x2)',
  },
  {
    // MLX 0.32.4's AddMM::jvp ignores alpha and beta (it returns t_a @ b + a @ t_b + t_c), so
    // its jvp is wrong for alpha, beta != 1; mlx-ts's matches finite differences (vjp-jvp suite)
    name: 'addmm(alpha=0.5, beta=2)',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([m, k, n]) => [[n], [m, k], [k, n]]),
    dom: ['any', 'any', 'any'],
    noJvp: true,
    ts: () => (c, a, b) => mx.addmm(c, a, b, 0.5, 2),
    py: () => 'mx.addmm(x0, x1, x2, alpha=0.5, beta=2.0)',
  },
  {
    name: 'take / takeAlongAxis / index with duplicates',
    shapes: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).map(([a, b]) => [[a, b]]),
    dom: ['any'],
    consts: ([s], r) => [idxArr([5], s![0]!, r), idxArr([s![0]!, 2], s![1]!, r)],
    ts: ([i, j]) => (x) => [mx.take(x, i!, 0), mx.takeAlongAxis(mx.sin(x), j!, 1), mx.exp(x.index(i!))],
    py: () => '[mx.take(x0, k0, axis=0), mx.take_along_axis(mx.sin(x0), k1, axis=1), mx.exp(x0[k0])]',
  },
  {
    name: 'putAlongAxis / at.add / sliceUpdate',
    shapes: fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 3 })).map(([a, b]) => [[a, b], [a, 1], [3, b]]),
    dom: ['any', 'any', 'any'],
    noJvp: true,
    consts: ([s], r) => [idxArr([s![0]!, 1], s![1]!, r), idxArr([3], s![0]!, r)],
    ts: ([i, j]) => (x, v, w) => [
      mx.putAlongAxis(x, i!, mx.exp(v), 1),
      x.at(j!).add(mx.square(w)),
      mx.sliceUpdate(x, mx.sin(v), mx.array([0, 1], mx.int32), [0, 1]),
    ],
    py: () => '[mx.put_along_axis(x0, k0, mx.exp(x1), axis=1), x0.at[k1].add(mx.square(x2)), mx.slice_update(x0, mx.sin(x1), mx.array([0, 1]), [0, 1])]',
  },
  {
    name: 'concatenate, stack, split, diagonal, trace',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).map(([a, b]) => [[a, b], [a, b]]),
    dom: ['any', 'any'],
    ts: () => (a, b) => [mx.concatenate([a, mx.sin(b)], 1), mx.split(mx.stack([a, b], 0), 2, 0)[1]!, mx.diagonal(a, 1), mx.trace(b)],
    py: () => '[mx.concatenate([x0, mx.sin(x1)], axis=1), mx.split(mx.stack([x0, x1], axis=0), 2, axis=0)[1], mx.diagonal(x0, 1), mx.trace(x1)]',
  },
  {
    name: 'transpose, reshape, broadcastTo, strided slice, as_strided',
    shapes: fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 4 })).map(([a, b]) => [[a, b]]),
    dom: ['any'],
    ts: ([], [s]) => (x) => [
      mx.multiply(x.T, 2),
      mx.reshape(mx.exp(x), [-1]),
      mx.broadcastTo(mx.sin(x), [2, ...s!]),
      x.index(mx.Slice(null, null, -1), mx.Slice(1, null, 2)),
      mx.asStrided(mx.copy(x), [s![0]! * s![1]! - 1, 2], [1, 1], 0),
    ],
    py: ([s]) => `[x0.T * 2.0, mx.reshape(mx.exp(x0), [-1]), mx.broadcast_to(mx.sin(x0), [2, ${s![0]}, ${s![1]}]), x0[::-1, 1::2], mx.as_strided(x0, [${s![0]! * s![1]! - 1}, 2], [1, 1], 0)]`,
  },
  {
    name: 'astype float16 / bfloat16 round trips',
    shapes: one,
    dom: ['any'],
    ts: () => (x) => mx.add(mx.exp(x.astype(mx.float16)).astype(mx.float32), mx.sin(x.astype(mx.bfloat16)).astype(mx.float32)),
    py: () => 'mx.exp(x0.astype(mx.float16)).astype(mx.float32) + mx.sin(x0.astype(mx.bfloat16)).astype(mx.float32)',
    ulps: 2 ** 13,
  },
  {
    name: 'softmax cross-entropy',
    shapes: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })).map(([b, c]) => [[b, c]]),
    dom: ['any'],
    consts: ([s], r) => [idxArr([s![0]!], s![1]!, r)],
    ts: ([l]) => (x) => mx.mean(mx.subtract(mx.logsumexp(x, -1), mx.takeAlongAxis(x, mx.expandDims(l!, -1), -1).squeeze(-1))),
    py: () => 'mx.mean(mx.logsumexp(x0, axis=-1) - mx.take_along_axis(x0, mx.expand_dims(k0, -1), axis=-1).squeeze(-1))',
  },
  {
    name: 'two-layer MLP loss',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).map(([b, h, o]) => [[b, 3], [3, h], [h], [h, o]]),
    dom: ['any', 'any', 'any', 'any'],
    ts: () => (x, w1, b1, w2) => mx.sum(mx.square(mx.matmul(mx.tanh(mx.add(mx.matmul(x, w1), b1)), w2))),
    py: () => 'mx.sum(mx.square(mx.tanh(x0 @ x1 + x2) @ x3))',
  },
  {
    name: 'layer norm',
    shapes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 5 })).map(([b, d]) => [[b, d]]),
    dom: ['any'],
    ts: () => (x) => {
      const mu = mx.mean(x, -1, true);
      const c = mx.subtract(x, mu);
      return mx.multiply(c, mx.rsqrt(mx.add(mx.mean(mx.square(c), -1, true), 1e-5)));
    },
    py: () => '(lambda c: c * mx.rsqrt(mx.mean(mx.square(c), axis=-1, keepdims=True) + 1e-5))(x0 - mx.mean(x0, axis=-1, keepdims=True))',
    ulps: 256,
  },
];

const complexUnaries: [string, string][] = [
  ['exp', 'exp'], ['log', 'log'], ['sin', 'sin'], ['cos', 'cos'], ['tanh', 'tanh'], ['sinh', 'sinh'], ['cosh', 'cosh'],
  ['tan', 'tan'], ['sqrt', 'sqrt'], ['square', 'square'], ['reciprocal', 'reciprocal'], ['log1p', 'log1p'],
  ['abs', 'abs'], ['real', 'real'], ['imag', 'imag'], ['conjugate', 'conj'], ['negative', 'negative'],
];
specs.push(
  ...complexUnaries.map(([t, p]): DiffSpec => ({ name: `complex ${t}`, complex: true, shapes: one, dom: ['away0'], ts: () => (x) => op(t)(x), py: () => `mx.${p}(x0)` })),
  ...(['add', 'subtract', 'multiply', 'divide'] as const).map(
    (t): DiffSpec => ({ name: `complex ${t}`, complex: true, shapes: pair, dom: ['away0', 'away0'], ts: () => (a, b) => op(t)(a, b), py: () => `mx.${t}(x0, x1)` }),
  ),
  { name: 'complex sum, prod', complex: true, shapes: oneNE, dom: ['away0'], ts: () => (x) => [mx.sum(x, 0), mx.prod(x, -1)], py: () => '[mx.sum(x0, axis=0), mx.prod(x0, axis=-1)]' },
);

/** a complex64 array: re from the domain, im in [-2, 2] */
function complexInput(shape: number[], dom: Dom, r: Rng): mx.MxArray {
  const re = makeInput(shape, dom, r, mx.float32), im = makeInput(shape, 'any', r, mx.float32);
  const z = mx.add(re.astype(mx.complex64), mx.multiply(im.astype(mx.complex64), mx.array(mx.Complex(0, 1), mx.complex64)));
  mx.eval(z);
  return z;
}
/** a random cotangent / tangent like `a` */
const randomLike = (a: mx.MxArray, r: Rng): mx.MxArray => (a.dtype === mx.complex64 ? complexInput([...a.shape], 'any', r) : makeInput([...a.shape], 'any', r, a.dtype));

const perSpec = Math.max(1, Math.round(4 * scale));

interface Built {
  spec: DiffSpec;
  shapes: number[][];
  primals: mx.MxArray[];
  consts: mx.MxArray[];
  fn: Fn;
  nOut: number;
  r: Rng;
}

function build(spec: DiffSpec, salt: number): Built[] {
  return fc.sample(fc.tuple(spec.shapes, fc.integer()), { numRuns: perSpec, seed: seed + salt }).map(([shapes, vs]) => {
    const r = rng(vs);
    const consts = spec.consts?.(shapes, r) ?? [];
    const primals = shapes.map((s, i) => (spec.complex ? complexInput(s, spec.dom[i]!, r) : makeInput(s, spec.dom[i]!, r, mx.float32)));
    const fn = spec.ts(consts, shapes);
    const nOut = asList(fn(...primals)).length;
    return { spec, shapes, primals, consts, fn, nOut, r };
  });
}

/** the lambda over x0.. with the constants k0.. bound to wire inputs starting at `at` */
function pyLambda(b: Built, at: number): string {
  const xs = b.primals.map((_x, i) => `x${i}`).join(', ');
  let body = b.spec.py(b.shapes);
  b.consts.forEach((_k, i) => (body = body.replace(new RegExp(`\\bk${i}\\b`, 'g'), `a${at + i}`)));
  return `lambda ${xs}: ${body}`;
}
const list = (from: number, n: number): string => `[${Array.from({ length: n }, (_, i) => `a${from + i}`).join(', ')}]`;

function vjpCase(b: Built): Case {
  const n = b.primals.length;
  const outs = asList(b.fn(...b.primals));
  const cots = outs.map((o) => randomLike(o, b.r));
  return {
    name: `vjp ${b.spec.name} shapes ${JSON.stringify(b.shapes)}`,
    py: `(lambda r: list(r[0]) + list(r[1]))(mx.vjp(${pyLambda(b, n + cots.length)}, ${list(0, n)}, ${list(n, cots.length)}))`,
    ts: (...a) => {
      const [o, g] = mx.vjp(b.fn, a.slice(0, n), a.slice(n, n + cots.length));
      return [...o, ...g];
    },
    inputs: [...b.primals, ...cots, ...b.consts],
    tol: { ulps: b.spec.ulps ?? 64 },
  };
}

function jvpCase(b: Built): Case {
  const n = b.primals.length;
  const tans = b.primals.map((p) => randomLike(p, b.r));
  return {
    name: `jvp ${b.spec.name} shapes ${JSON.stringify(b.shapes)}`,
    py: `(lambda r: list(r[0]) + list(r[1]))(mx.jvp(${pyLambda(b, 2 * n)}, ${list(0, n)}, ${list(n, n)}))`,
    ts: (...a) => {
      const [o, t] = mx.jvp(b.fn, a.slice(0, n), a.slice(n, 2 * n));
      return [...o, ...t];
    },
    inputs: [...b.primals, ...tans, ...b.consts],
    tol: { ulps: b.spec.ulps ?? 64 },
  };
}

/**
 * grad of sum_k sum(o_k * w_k) with respect to every primal (argnums list), w_k = cos(arange)
 * in o_k's shape: linear in the outputs, so float32 rounding of the outputs isn't amplified.
 */
function gradCase(b: Built): Case {
  const n = b.primals.length;
  const argnums = b.primals.map((_x, i) => i);
  const weight = (o: mx.MxArray) => mx.reshape(mx.cos(mx.arange(o.size, mx.float32)), [...o.shape]);
  const scalar = (...xs: mx.MxArray[]) => asList(b.fn(...xs)).map((o) => mx.sum(mx.multiply(o, weight(o)))).reduce((p, q) => mx.add(p, q));
  return {
    name: `grad ${b.spec.name} shapes ${JSON.stringify(b.shapes)}`,
    py: `(lambda g: list(g) if isinstance(g, (list, tuple)) else [g])(mx.grad(lambda *xs: (lambda o: sum(mx.sum(t * mx.cos(mx.arange(t.size, dtype=mx.float32)).reshape(t.shape)) for t in (o if isinstance(o, list) else [o])))((${pyLambda(b, n)})(*xs)), argnums=${n === 1 ? 0 : `[${argnums.join(', ')}]`})(${list(0, n).slice(1, -1)}))`,
    ts: (...a) => {
      const g = mx.grad(scalar, n === 1 ? 0 : argnums)(...a.slice(0, n));
      return n === 1 ? [g as mx.MxArray] : (g as mx.MxArray[]);
    },
    inputs: [...b.primals, ...b.consts],
    tol: { ulps: (b.spec.ulps ?? 64) * 4 },
  };
}

describe.skipIf(!hasMlx)('vjp, jvp and grad against MLX (float32)', () => {
  it.each(specs.map((s, i) => [s.name, s, i] as const))('%s', async (_n, spec, i) => {
    const built = build(spec, 1000 + i * 17);
    const cases: Case[] = [];
    for (const b of built) {
      cases.push(vjpCase(b), gradCase(b));
      if (!spec.noJvp) cases.push(jvpCase(b));
    }
    // every case here is one MLX computes: an MLX error would make a case vacuous
    const run = worker.run.bind(worker);
    const raised: string[] = [];
    worker.run = async (expr, inputs) => {
      const r = await run(expr, inputs);
      if (!r.ok) raised.push(`${expr}: ${r.error}`);
      return r;
    };
    try {
      const f = await runCases(worker, cases);
      expect(f, report(f, cases.length)).toEqual([]);
    } finally {
      worker.run = run;
    }
    expect(raised.slice(0, 3), `${raised.length} cases raised in MLX`).toEqual([]);
  });
});
