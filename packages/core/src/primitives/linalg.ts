// The factorization primitives of mx.linalg (MLX's QRF, SVD, Inverse, Cholesky, Eigh, Eig, LUF),
// over the last two axes of one input. Their vmap rules move the batch axis first and call the
// op again (MLX's rules). MLX 0.32.4 has no vjp or jvp for any of them; mlx-ts has the standard
// ones for real inputs (Inverse, Cholesky, QR with full column rank or M < N, SVD with distinct
// nonzero singular values, Eigh with distinct eigenvalues, LU of any shape) so that grad works
// through inv, solve, det, pinv, norm(2/'nuc'), ...; Eig and complex inputs keep MLX's error.
// Each rule is written with ops, so it can be differentiated and batched again.
import { makeArrays, type MxArray } from '../array.js';
import { definePrimitive, Primitive } from '../primitive.js';
import { isComplex, uint32 } from '../dtype.js';
import { add, multiply, negative, reciprocal, square, stopGradient, subtract } from '../ops/elementwise.js';
import { eye, tril, triu, zeros } from '../ops/creation.js';
import { concatenate, diagonal, expandDims, swapaxes } from '../ops/shape.js';
import { sliceView } from '../ops/views.js';
import { matmul } from '../ops/linalg.js';
import { argsort } from '../ops/sort.js';
import { takeAlongAxis } from '../ops/indexing.js';
import { cholesky, eigh, eigvalsh, inv, qr, svd, triInv, eigvals, eig } from '../ops/linalg-decomp.js';
import { moveBatchAxis } from './rules.js';

const T = (x: MxArray): MxArray => swapaxes(x, -1, -2);
const mm = (...xs: MxArray[]): MxArray => xs.reduce((a, b) => matmul(a, b));
const dim = (x: MxArray, i: number): number => x._shape[x._shape.length + i]!;
const identity = (n: number, like: MxArray): MxArray => eye(n, null, 0, like._dtype);

/** Rows [r0, r1) and columns [c0, c1) of the last two axes. */
function block(x: MxArray, r0: number, r1: number, c0: number, c1: number): MxArray {
  const nd = x._shape.length;
  const start = x._shape.map(() => 0), stop = [...x._shape];
  start[nd - 2] = r0;
  stop[nd - 2] = r1;
  start[nd - 1] = c0;
  stop[nd - 1] = c1;
  return sliceView(x, start, stop, x._shape.map(() => 1));
}

/** The diagonal of the last two axes as a matrix (x ∘ I). */
const diagPart = (x: MxArray): MxArray => multiply(x, identity(dim(x, -1), x));
/** A vector (..., n) as the diagonal matrix (..., n, n). */
const diagMatrix = (v: MxArray): MxArray => multiply(expandDims(v, -2), identity(dim(v, -1), v));
/** x diag(v): scales the columns. */
const scaleCols = (x: MxArray, v: MxArray): MxArray => multiply(x, expandDims(v, -2));
/** diag(v) x: scales the rows. */
const scaleRows = (x: MxArray, v: MxArray): MxArray => multiply(x, expandDims(v, -1));
/**
 * F[i][j] = 1 / (v[j] - v[i]) off the diagonal, 0 on it (the divided differences of the
 * eigen- and singular-vector rules); the identity added before the reciprocal keeps the
 * diagonal finite.
 */
function gapInverse(v: MxArray): MxArray {
  const id = identity(dim(v, -1), v);
  return subtract(reciprocal(add(subtract(expandDims(v, -2), expandDims(v, -1)), id)), id);
}

/** The vmap rule of a one-input factorization: batch axis first, the op again, outputs batched at 0. */
function batched(call: (x: MxArray) => MxArray | MxArray[]) {
  return (_p: unknown, [x]: MxArray[], [ax]: number[]): [MxArray[], number[]] => {
    const out = call(ax! >= 0 ? moveBatchAxis(x!, ax!, 0) : x!);
    const list = Array.isArray(out) ? out : [out];
    return [list, list.map(() => (ax! >= 0 ? 0 : -1))];
  };
}

function realOnly(x: MxArray, name: string, mode: 'vjp' | 'jvp'): void {
  if (isComplex(x._dtype)) throw new Error(`[Primitive::${mode}] Not implemented for ${name} with complex inputs.`);
}

/**
 * outputShapes (shapeless compile) of the factorizations of square matrices: the new shape must
 * still be square (MLX infers shapes only for Eigh and Eig, and checks nothing there).
 */
function squareShapes(name: string, out: (x: readonly number[]) => number[][]) {
  return (_p: unknown, [x]: readonly (readonly number[])[]): number[][] => {
    const n = x!.length;
    if (n < 2 || x![n - 1] !== x![n - 2]) throw new Error(`[${name}] Only defined for square matrices, got shape (${x!.join(',')}).`);
    return out(x!);
  };
}
const batchOf = (x: readonly number[]): number[] => x.slice(0, -2);

// ---------------------------------------------------------------- Inverse

export const Inverse = definePrimitive<{ tri: boolean; upper: boolean }>({
  name: 'Inverse',
  describe: (p) => (p.tri ? `tri upper=${p.upper}` : 'general'),
  outputShapes: squareShapes('linalg::inv', (x) => [[...x]]),
  // Y = T^-1 with T = a (or its triangle): dY = -Y dT Y, and the cotangent -Y^T Ybar Y^T
  // restricted to the triangle that was read
  vjp: (p, _prim, [cot], _argnums, [y]) => {
    const g = negative(mm(T(y!), cot!, T(y!)));
    return [p.tri ? (p.upper ? triu(g) : tril(g)) : g];
  },
  jvp: (p, [a], [t]) => {
    const y = p.tri ? triInv(a!, p.upper) : inv(a!);
    const dt = p.tri ? (p.upper ? triu(t!) : tril(t!)) : t!;
    return [negative(mm(y, dt, y))];
  },
  vmap: (p, inputs, axes) => batched((x) => (p.tri ? triInv(x, p.upper) : inv(x)))(p, inputs, axes),
});

// ---------------------------------------------------------------- Cholesky

/** The symmetric matrix a stands for when only its lower triangle is read. */
const symFromLower = (x: MxArray): MxArray => add(tril(x), T(tril(x, -1)));
/** Lower triangle with half the diagonal (Φ of the Cholesky rules). */
const phi = (x: MxArray): MxArray => add(tril(x, -1), multiply(diagPart(x), 0.5));
/** The cotangent of a from that of the symmetric matrix S it stands for (its lower triangle read). */
function lowerCotangent(p: MxArray): MxArray {
  const g = multiply(add(p, T(p)), 0.5);
  return add(multiply(tril(g, -1), 2), diagPart(g));
}

function choleskyLowerJvp(l: MxArray, da: MxArray): MxArray {
  const li = triInv(l, false);
  return mm(l, phi(mm(li, symFromLower(da), T(li))));
}

function choleskyLowerVjp(l: MxArray, lbar: MxArray): MxArray {
  const li = triInv(l, false);
  return lowerCotangent(mm(T(li), phi(mm(T(l), lbar)), li));
}

export const Cholesky = definePrimitive<{ upper: boolean }>({
  name: 'Cholesky',
  describe: (p) => `upper=${p.upper}`,
  outputShapes: squareShapes('linalg::cholesky', (x) => [[...x]]),
  // upper: U = chol_lower(a^T)^T, so the rules run on the transposes
  vjp: (p, _prim, [cot], _argnums, [out]) => [p.upper ? T(choleskyLowerVjp(T(out!), T(cot!))) : choleskyLowerVjp(out!, cot!)],
  jvp: (p, [a], [t]) => {
    const out = cholesky(a!, p.upper);
    return [p.upper ? T(choleskyLowerJvp(T(out), T(t!))) : choleskyLowerJvp(out, t!)];
  },
  vmap: (p, inputs, axes) => batched((x) => cholesky(x, p.upper))(p, inputs, axes),
});

// ---------------------------------------------------------------- QR

/** Tangents of a = Q R for square R (M >= N): [dQ, dR]. */
function qrSquareJvp(q: MxArray, r: MxArray, da: MxArray): [MxArray, MxArray] {
  const ri = triInv(r, true);
  const c = mm(T(q), da, ri);
  const low = tril(c, -1);
  const delta = subtract(c, subtract(low, T(low))); // C - Ω, upper triangular
  return [subtract(mm(da, ri), mm(q, delta)), mm(delta, r)];
}

/** Cotangent of a = Q R for square R (M >= N). */
function qrSquareVjp(q: MxArray, r: MxArray, qbar: MxArray, rbar: MxArray): MxArray {
  const n = subtract(mm(rbar, T(r)), mm(T(q), qbar));
  const sym = add(triu(n), T(triu(n, 1)));
  return mm(add(qbar, mm(q, sym)), T(triInv(r, true)));
}

export const QRF = definePrimitive({
  name: 'QRF',
  outputShapes: (_p, [x]) => {
    const m = x![x!.length - 2]!, n = x![x!.length - 1]!, k = Math.min(m, n);
    return [[...batchOf(x!), m, k], [...batchOf(x!), k, n]];
  },
  // M < N: a = Q [R1 R2] splits into the square QR of its first M columns and R2 = Q^T a2
  vjp: (_p, [a], [qbar, rbar], _argnums, [q, r]) => {
    realOnly(a!, 'QRF', 'vjp');
    const m = dim(a!, -2), n = dim(a!, -1);
    if (m >= n) return [qrSquareVjp(q!, r!, qbar!, rbar!)];
    const r1 = block(r!, 0, m, 0, m), r1bar = block(rbar!, 0, m, 0, m), r2bar = block(rbar!, 0, m, m, n);
    const y = block(a!, 0, m, m, n);
    const xbar = qrSquareVjp(q!, r1, add(qbar!, mm(y, T(r2bar))), r1bar);
    return [concatenate([xbar, mm(q!, r2bar)], -1)];
  },
  jvp: (_p, [a], [t]) => {
    realOnly(a!, 'QRF', 'jvp');
    const [q, r] = qr(a!) as [MxArray, MxArray];
    const m = dim(a!, -2), n = dim(a!, -1);
    if (m >= n) return qrSquareJvp(q, r, t!);
    const [dq, dr1] = qrSquareJvp(q, block(r, 0, m, 0, m), block(t!, 0, m, 0, m));
    const dr2 = mm(T(q), subtract(block(t!, 0, m, m, n), mm(dq, block(r, 0, m, m, n))));
    return [dq, concatenate([dr1, dr2], -1)];
  },
  vmap: batched((x) => qr(x)),
});

// ---------------------------------------------------------------- SVD

interface SvdParts {
  u1: MxArray; // M x K
  s: MxArray; // K
  v1: MxArray; // N x K
  u: MxArray;
  vt: MxArray;
}

function svdParts(a: MxArray, outs?: MxArray[]): SvdParts {
  const [u, s, vt] = (outs ?? svd(a, true)) as [MxArray, MxArray, MxArray];
  const m = dim(a, -2), n = dim(a, -1), k = Math.min(m, n);
  return { u, s, vt, u1: block(u, 0, m, 0, k), v1: T(block(vt, 0, k, 0, n)) };
}

/** Tangents [dU, dS, dVt] (full U and Vt: their extra columns move only to stay orthogonal). */
function svdJvp(a: MxArray, da: MxArray, uv: boolean): MxArray[] {
  const { u, s, vt, u1, v1 } = svdParts(a);
  const m = dim(a, -2), n = dim(a, -1), k = Math.min(m, n);
  const dp = mm(T(u1), da, v1);
  const ds = diagonal(dp, 0, -2, -1);
  if (!uv) return [ds];
  const f = gapInverse(square(s));
  const sInv = reciprocal(s);
  let du1 = mm(u1, multiply(f, add(scaleCols(dp, s), scaleRows(T(dp), s))));
  if (m > k) du1 = add(du1, scaleCols(mm(subtract(identity(m, a), mm(u1, T(u1))), da, v1), sInv));
  let dv1 = mm(v1, multiply(f, add(scaleRows(dp, s), scaleCols(T(dp), s))));
  if (n > k) dv1 = add(dv1, scaleCols(mm(subtract(identity(n, a), mm(v1, T(v1))), T(da), u1), sInv));
  let du = du1;
  if (m > k) du = concatenate([du1, negative(mm(u1, T(du1), block(u, 0, m, k, m)))], -1);
  let dv = dv1;
  if (n > k) dv = concatenate([dv1, negative(mm(v1, T(dv1), T(block(vt, k, n, 0, n))))], -1);
  return [du, ds, T(dv)];
}

/** Cotangent of a given those of [U, S, Vt] (or of [S] alone). */
function svdVjp(a: MxArray, cots: MxArray[], uv: boolean, outs: MxArray[]): MxArray {
  const { u, s, vt, u1, v1 } = svdParts(a, uv ? outs : undefined);
  const m = dim(a, -2), n = dim(a, -1), k = Math.min(m, n);
  const sbar = uv ? cots[1]! : cots[0]!;
  let inner = diagMatrix(sbar);
  if (!uv) return mm(u1, inner, T(v1));
  const ubar = cots[0]!, vbar = T(cots[2]!);
  let u1bar = block(ubar, 0, m, 0, k), v1bar = block(vbar, 0, n, 0, k);
  // the extra columns only follow the first ones (svdJvp): their cotangents fold back onto them
  if (m > k) {
    const u2 = block(u, 0, m, k, m);
    u1bar = subtract(u1bar, mm(u2, T(block(ubar, 0, m, k, m)), u1));
  }
  if (n > k) {
    const v2 = T(block(vt, k, n, 0, n));
    v1bar = subtract(v1bar, mm(v2, T(block(vbar, 0, n, k, n)), v1));
  }
  const f = gapInverse(square(s));
  const j = multiply(f, subtract(mm(T(u1), u1bar), mm(T(u1bar), u1)));
  const kk = multiply(f, subtract(mm(T(v1), v1bar), mm(T(v1bar), v1)));
  inner = add(inner, add(scaleCols(j, s), scaleRows(kk, s)));
  let g = mm(u1, inner, T(v1));
  const sInv = reciprocal(s);
  if (m > k) g = add(g, mm(subtract(identity(m, a), mm(u1, T(u1))), scaleCols(u1bar, sInv), T(v1)));
  if (n > k) g = add(g, mm(scaleCols(u1, sInv), T(v1bar), subtract(identity(n, a), mm(v1, T(v1)))));
  return g;
}

export const SVD = definePrimitive<{ computeUv: boolean }>({
  name: 'SVD',
  describe: (p) => `compute_uv=${p.computeUv}`,
  outputShapes: (p, [x]) => {
    const m = x![x!.length - 2]!, n = x![x!.length - 1]!, b = batchOf(x!);
    const s = [...b, Math.min(m, n)];
    return p.computeUv ? [[...b, m, m], s, [...b, n, n]] : [s];
  },
  vjp: (p, [a], cots, _argnums, outs) => {
    realOnly(a!, 'SVD', 'vjp');
    return [svdVjp(a!, cots, p.computeUv, outs)];
  },
  jvp: (p, [a], [t]) => {
    realOnly(a!, 'SVD', 'jvp');
    return svdJvp(a!, t!, p.computeUv);
  },
  vmap: (p, inputs, axes) => batched((x) => svd(x, p.computeUv))(p, inputs, axes),
});

// ---------------------------------------------------------------- Eigh

/** The symmetric matrix a stands for, from the triangle `uplo` reads ('L', or else the upper one). */
const symFromTriangle = (x: MxArray, uplo: string): MxArray => (uplo === 'L' ? symFromLower(x) : add(triu(x), T(triu(x, 1))));

function triangleCotangent(p: MxArray, uplo: string): MxArray {
  if (uplo === 'L') return lowerCotangent(p);
  return T(lowerCotangent(T(p)));
}

export const Eigh = definePrimitive<{ uplo: string; vectors: boolean }>({
  name: 'Eigh',
  describe: (p) => `UPLO=${p.uplo} vectors=${p.vectors}`,
  outputShapes: (p, inputs) => squareShapes('linalg::eigh', (x) => (p.vectors ? [x.slice(0, -1), [...x]] : [x.slice(0, -1)]))(p, inputs),
  vjp: (p, [a], cots, _argnums, outs) => {
    realOnly(a!, 'Eigh', 'vjp');
    const [w, v] = (p.vectors ? outs : eigh(a!, p.uplo)) as [MxArray, MxArray];
    let inner = diagMatrix(cots[0]!);
    if (p.vectors) inner = add(inner, multiply(gapInverse(w), mm(T(v), cots[1]!)));
    return [triangleCotangent(mm(v, inner, T(v)), p.uplo)];
  },
  jvp: (p, [a], [t]) => {
    realOnly(a!, 'Eigh', 'jvp');
    const [w, v] = eigh(a!, p.uplo) as [MxArray, MxArray];
    const dp = mm(T(v), symFromTriangle(t!, p.uplo), v);
    const dw = diagonal(dp, 0, -2, -1);
    return p.vectors ? [dw, mm(v, multiply(gapInverse(w), dp))] : [dw];
  },
  vmap: (p, inputs, axes) => batched((x) => (p.vectors ? eigh(x, p.uplo) : eigvalsh(x, p.uplo)))(p, inputs, axes),
});

// ---------------------------------------------------------------- Eig

export const Eig = definePrimitive<{ vectors: boolean }>({
  name: 'Eig',
  describe: (p) => `vectors=${p.vectors}`,
  outputShapes: (p, inputs) => squareShapes('linalg::eig', (x) => (p.vectors ? [x.slice(0, -1), [...x]] : [x.slice(0, -1)]))(p, inputs),
  vjp: () => {
    throw new Error('[Primitive::vjp] Not implemented for Eig.');
  },
  jvp: () => {
    throw new Error('[Primitive::jvp] Not implemented for Eig.');
  },
  vmap: (p, inputs, axes) => batched((x) => (p.vectors ? eig(x) : eigvals(x)))(p, inputs, axes),
});

// ---------------------------------------------------------------- LUF

interface LuParts {
  l: MxArray; // M x K, unit lower
  u: MxArray; // K x N, upper
  rowIdx: MxArray; // M: a = (L U)[rowIdx]
  perm: MxArray; // M: a[perm] = L U (perm = argsort(rowIdx))
}

function luParts(a: MxArray): LuParts {
  const [lu, , rowIdx] = lufOutputs(a) as [MxArray, MxArray, MxArray];
  const m = dim(a, -2), n = dim(a, -1), k = Math.min(m, n);
  const idx = stopGradient(rowIdx);
  return { l: add(tril(block(lu, 0, m, 0, k), -1), eye(m, k, 0, a._dtype)), u: triu(block(lu, 0, k, 0, n)), rowIdx: idx, perm: argsort(idx, -1) };
}

/** LUF's three outputs [LU, pivots, row indices] (luFactor returns two, lu rearranges them). */
function lufOutputs(a: MxArray): MxArray[] {
  const m = dim(a, -2), n = dim(a, -1), batch = a._shape.slice(0, -2);
  return makeArrays([[...a._shape], [...batch, Math.min(m, n)], [...batch, m]], [a._dtype, uint32, uint32], new Primitive(LUF, {}), [a]);
}

/** Tangents [dL (strictly lower), dU] of a square a[p] = L U given the permuted tangent. */
function luSquareJvp(l: MxArray, u: MxArray, dap: MxArray): [MxArray, MxArray] {
  const x = mm(triInv(l, false), dap, triInv(u, true));
  return [mm(l, tril(x, -1)), mm(triu(x), u)];
}

/** Cotangent of the permuted square a[p] given those of L (strictly lower part) and U (upper). */
function luSquareVjp(l: MxArray, u: MxArray, lbar: MxArray, ubar: MxArray): MxArray {
  const xbar = add(tril(mm(T(l), lbar), -1), triu(mm(ubar, T(u))));
  return mm(T(triInv(l, false)), xbar, T(triInv(u, true)));
}

const rowsOf = (x: MxArray, idx: MxArray): MxArray => takeAlongAxis(x, expandDims(idx, -1), -2);

export const LUF = definePrimitive({
  name: 'LUF',
  outputShapes: (_p, [x]) => {
    const m = x![x!.length - 2]!, n = x![x!.length - 1]!;
    return [[...x!], [...batchOf(x!), Math.min(m, n)], [...batchOf(x!), m]];
  },
  // a[perm] = L U; a tall a splits into a square top (L1 U) and L2 = a2 U^-1, a wide one into a
  // square left part (L U1) and U2 = L^-1 a2
  vjp: (_p, [a], [lubar]) => {
    realOnly(a!, 'LUF', 'vjp');
    const { l, u, rowIdx } = luParts(a!);
    const m = dim(a!, -2), n = dim(a!, -1), k = Math.min(m, n);
    const lbar = tril(lubar!, -1), ubar = triu(lubar!);
    let gp: MxArray;
    if (m === n) gp = luSquareVjp(l, u, lbar, ubar);
    else if (m > n) {
      const ui = triInv(u, true);
      const l2 = block(l, k, m, 0, k), l2bar = block(lbar, k, m, 0, k);
      const top = luSquareVjp(block(l, 0, k, 0, k), u, block(lbar, 0, k, 0, k), subtract(block(ubar, 0, k, 0, k), mm(T(l2), l2bar, T(ui))));
      gp = concatenate([top, mm(l2bar, T(ui))], -2);
    } else {
      const li = triInv(l, false);
      const u2 = block(u, 0, k, k, n), u2bar = block(ubar, 0, k, k, n);
      const left = luSquareVjp(l, block(u, 0, k, 0, k), subtract(block(lbar, 0, m, 0, k), mm(T(li), u2bar, T(u2))), block(ubar, 0, k, 0, k));
      gp = concatenate([left, mm(T(li), u2bar)], -1);
    }
    return [rowsOf(gp, rowIdx)];
  },
  jvp: (_p, [a], [t]) => {
    realOnly(a!, 'LUF', 'jvp');
    const { l, u, perm } = luParts(a!);
    const m = dim(a!, -2), n = dim(a!, -1), k = Math.min(m, n);
    const dap = rowsOf(t!, perm);
    let dlu: MxArray;
    if (m === n) dlu = add(...luSquareJvp(l, u, dap));
    else if (m > n) {
      const [dl1, du] = luSquareJvp(block(l, 0, k, 0, k), u, block(dap, 0, k, 0, n));
      const dl2 = mm(subtract(block(dap, k, m, 0, n), mm(block(l, k, m, 0, k), du)), triInv(u, true));
      dlu = concatenate([add(dl1, du), dl2], -2);
    } else {
      const [dl, du1] = luSquareJvp(l, block(u, 0, k, 0, k), block(dap, 0, m, 0, k));
      const du2 = mm(triInv(l, false), subtract(block(dap, 0, m, k, n), mm(dl, block(u, 0, k, k, n))));
      dlu = concatenate([add(dl, du1), du2], -1);
    }
    const batch = a!._shape.slice(0, -2);
    return [dlu, zeros([...batch, k], uint32), zeros([...batch, m], uint32)];
  },
  vmap: batched((x) => lufOutputs(x)),
});
