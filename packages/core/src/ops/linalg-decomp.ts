// mx.linalg (mlx/linalg.cpp): norms, factorizations, inverses, solvers, determinants, cross.
// The factorizations are primitives (QRF, SVD, Inverse, Cholesky, Eigh, Eig, LUF) that MLX
// runs on the CPU only: a GPU stream gets MLX's error. Everything else is composed from ops
// exactly as MLX composes it, so results, dtypes and errors follow MLX's. Names and argument
// order are node-mlx's: optional flags before the optional stream, which may also take their
// place (`svd(a, mx.cpu)`).
//
// Accuracy (the kernels compute in double and round once; n the larger dimension, eps the output
// dtype's epsilon, 2^-23 or 2^-52, complex64's for eig; Frobenius norms; packages/core/test/
// linalg.test.ts checks each on random, ill-conditioned and rank-deficient matrices):
//   qr        |A - QR| <= 4 n eps |A|,  |Q^T Q - I| <= 4 n eps
//   svd       |A - U S V^T| <= 8 n eps |A|,  |U^T U - I|, |V^T V - I| <= 8 n eps,  |s - s*| <= 8 n eps s_max
//   eigh      |A V - V diag(w)| <= 8 n eps |A|,  |V^T V - I| <= 8 n eps,  |w - w*| <= 8 n eps |A|_2
//   eig       |A V - V diag(w)| <= 8 n eps |A|  (unit eigenvectors)
//   cholesky  |A - L L^T| <= 4 n eps |A|;   lu  |A - (L U)[p]| <= 4 n eps |L| |U|
//   inv       |A X - I| <= 4 n eps |A| |X|;  solve  |x - x*| <= 8 n eps cond(A) |x*|
//   det       relative error <= 8 n eps cond(A);  pinv  |A A+ A - A| <= 8 n eps |A|
import { MxArray, makeArray, makeArrays, type ScalarOrArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { complex64, float32, float64, int32, uint32, finfo, isComplex, isInexact, promoteTypes, type Dtype } from '../dtype.js';
import { gpu, toStream, type StreamOrDevice } from '../device.js';
import { broadcastShapes } from '../shape.js';
import { asArray } from '../convert.js';
import { QRF, SVD, Inverse, Cholesky, Eigh, Eig, LUF } from '../primitives/linalg.js';
import { astype, broadcastTo, sliceView } from './views.js';
import { isStreamObject, flat, reshapeTo } from './internal.js';
import {
  abs, add, equal, exp, greater, less, log, multiply, negative, notEqual, power, reciprocal, remainder, sign, sqrt, square,
  subtract, where,
} from './elementwise.js';
import { any, max, min, sum } from './reduce.js';
import { arange, eye, tril, triu, zeros, zerosLike } from './creation.js';
import { concatenate, diagonal, expandDims, moveaxis, split, swapaxes } from './shape.js';
import { argsort } from './sort.js';
import { takeAlongAxis } from './indexing.js';
import { matmul } from './linalg.js';

// ---------------------------------------------------------------- checks (mlx/linalg.cpp)

/** MLX runs these factorizations on the CPU only. */
function checkCpuStream(s: StreamOrDevice, prefix: string): void {
  if (toStream(s).device.type === gpu) {
    throw new Error(`${prefix} This op is not yet supported on the GPU. Explicitly pass a CPU stream to run it.`);
  }
}

function checkFloat(d: Dtype, prefix: string): void {
  if (d !== float32 && d !== float64) throw new TypeError(`${prefix} Arrays must have type float32 or float64. Received array with type ${d.name}.`);
}

function checkFloatOrComplex(d: Dtype, prefix: string): void {
  if (d !== float32 && d !== float64 && d !== complex64) {
    throw new TypeError(`${prefix} Arrays must have type float32, float64 or complex64. Received array with type ${d.name}.`);
  }
}

function checkMatrix(x: MxArray, prefix: string, what = 'Arrays'): void {
  if (x.ndim < 2) throw new Error(`${prefix} ${what} must have >= 2 dimensions. Received array with ${x.ndim} dimensions.`);
}

/** MLX's checks of a factorization of square float matrices: CPU stream, float32/float64, >= 2 dims, square. */
function checkSquareFloat(x: MxArray, s: StreamOrDevice, prefix: string, notSquare: string): void {
  checkCpuStream(s, prefix);
  checkFloat(x._dtype, prefix);
  checkMatrix(x, prefix);
  if (rows(x) !== cols(x)) throw new Error(`${prefix} ${notSquare}`);
}

const atLeastFloat = (d: Dtype): Dtype => (isInexact(d) ? d : promoteTypes(d, float32));
/** A shape as MLX's C++ prints it in messages: (2,3), (3), (). */
const shapeToString = (shape: readonly number[]): string => `(${shape.join(',')})`;
const rows = (x: MxArray): number => x._shape[x.ndim - 2]!;
const cols = (x: MxArray): number => x._shape[x.ndim - 1]!;

/** node-mlx's optional flag before the stream: `f(a, flag, s)` or `f(a, s)`. */
function flagAndStream<T>(v: T | StreamOrDevice, s: StreamOrDevice, fallback: T, isFlag: (v: unknown) => boolean): [T, StreamOrDevice] {
  if (v === undefined || v === null) return [fallback, s];
  if (isFlag(v)) return [v as T, s];
  if (isStreamObject(v) || typeof v === 'number') return [fallback, v as StreamOrDevice];
  return [v as T, s];
}
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isString = (v: unknown): boolean => typeof v === 'string';

/** x[..., i, j] for the last two axes, as an array of the batch shape. */
function element(x: MxArray, i: number, j: number, s?: StreamOrDevice): MxArray {
  const nd = x.ndim;
  const start = x._shape.map(() => 0), stop = [...x._shape], step = x._shape.map(() => 1);
  start[nd - 2] = i;
  stop[nd - 2] = i + 1;
  start[nd - 1] = j;
  stop[nd - 1] = j + 1;
  return reshapeTo(sliceView(x, start, stop, step, s), x._shape.slice(0, -2), s);
}

/** The leading `r` rows and `c` columns of the last two axes. */
function corner(x: MxArray, r: number, c: number, s?: StreamOrDevice): MxArray {
  const nd = x.ndim;
  const stop = [...x._shape];
  stop[nd - 2] = r;
  stop[nd - 1] = c;
  return sliceView(x, x._shape.map(() => 0), stop, x._shape.map(() => 1), s);
}

// ---------------------------------------------------------------- norms

function l2Norm(x: MxArray, axis: number[], keepdims: boolean, s?: StreamOrDevice): MxArray {
  if (isComplex(x._dtype)) {
    const m = abs(x, s);
    return sqrt(sum(multiply(m, m, s), axis, keepdims, s), s);
  }
  return sqrt(sum(square(x, s), axis, keepdims, s), s);
}

function vectorNorm(x: MxArray, ord: number, axis: number[], keepdims: boolean, s?: StreamOrDevice): MxArray {
  const d = atLeastFloat(x._dtype);
  if (ord === 0) return astype(sum(notEqual(x, new MxArray(0n), s), axis, keepdims, s), d, s);
  if (ord === 1) return astype(sum(abs(x, s), axis, keepdims, s), d, s);
  if (ord === 2) return l2Norm(x, axis, keepdims, s);
  if (ord === Infinity) return astype(max(abs(x, s), axis, keepdims, s), d, s);
  if (ord === -Infinity) return astype(min(abs(x, s), axis, keepdims, s), d, s);
  return power(sum(power(abs(x, s), new MxArray(ord, d), s), axis, keepdims, s), new MxArray(1 / ord, d), s);
}

/** The matrix axes moved last (rows, then columns), as MLX orders them for the SVD. */
function matrixLast(x: MxArray, rowAxis: number, colAxis: number, s?: StreamOrDevice): MxArray {
  return rowAxis > colAxis ? moveaxis(moveaxis(x, rowAxis, -1, s), colAxis, -1, s) : moveaxis(moveaxis(x, colAxis, -1, s), rowAxis, -2, s);
}

function singularValuesOver(x: MxArray, rowAxis: number, colAxis: number, s?: StreamOrDevice): MxArray {
  return svd(matrixLast(x, rowAxis, colAxis, s), false, s)[0]!;
}

function keepMatrixDims(out: MxArray, rowAxis: number, colAxis: number, keepdims: boolean, s?: StreamOrDevice): MxArray {
  return keepdims ? expandDims(out, rowAxis < colAxis ? [rowAxis, colAxis] : [colAxis, rowAxis], s) : out;
}

function matrixNorm(x: MxArray, ord: number | string, axis: number[], keepdims: boolean, s?: StreamOrDevice): MxArray {
  const d = atLeastFloat(x._dtype);
  let rowAxis = axis[0]! < 0 ? axis[0]! + x.ndim : axis[0]!;
  let colAxis = axis[1]! < 0 ? axis[1]! + x.ndim : axis[1]!;
  if (typeof ord === 'string') {
    if (ord === 'f' || ord === 'fro') return l2Norm(x, axis, keepdims, s);
    if (ord === 'nuc') return keepMatrixDims(sum(singularValuesOver(x, rowAxis, colAxis, s), -1, false, s), rowAxis, colAxis, keepdims, s);
    throw new Error(`[linalg::norm] Invalid ord value '${ord}' for matrix norm.`);
  }
  // column sums reduced over columns (1, -1) or row sums over rows (inf, -inf); the second
  // reduction's axis shifts down when the first one removed an axis before it
  if (ord === 1 || ord === -1) {
    colAxis -= !keepdims && colAxis > rowAxis && colAxis > 0 ? 1 : 0;
    const sums = sum(abs(x, s), rowAxis, keepdims, s);
    return astype(ord === 1 ? max(sums, colAxis, keepdims, s) : min(sums, colAxis, keepdims, s), d, s);
  }
  if (ord === Infinity || ord === -Infinity) {
    rowAxis -= !keepdims && rowAxis > colAxis && rowAxis > 0 ? 1 : 0;
    const sums = sum(abs(x, s), colAxis, keepdims, s);
    return astype(ord === Infinity ? max(sums, rowAxis, keepdims, s) : min(sums, rowAxis, keepdims, s), d, s);
  }
  if (ord === 2 || ord === -2) {
    const sv = singularValuesOver(x, rowAxis, colAxis, s);
    const ext = ord === 2 ? max(sv, -1, false, s) : min(sv, -1, false, s);
    return astype(keepMatrixDims(ext, rowAxis, colAxis, keepdims, s), d, s);
  }
  throw new Error(`[linalg::norm] Invalid ord ${ord} for matrix norm.`);
}

/**
 * Vector or matrix norm (MLX's linalg.norm): `ord` null is the 2-norm (Frobenius for two axes;
 * of the flattened array when `axis` is null too); numbers are vector norms over one axis
 * (0, 1, 2, inf, -inf, any p) or matrix norms over two (1, -1, 2, -2, inf, -inf); 'fro' and
 * 'nuc' are matrix norms. Without `axis`, a number or string `ord` takes all axes (1 or 2).
 */
export function norm(
  a: ScalarOrArray,
  ord?: number | string | null,
  axis?: number | number[] | null,
  keepdims = false,
  s?: StreamOrDevice,
): MxArray {
  const x = asArray(a, 'array', 'linalg.norm');
  const axes = axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : [...axis];
  if (ord === undefined || ord === null) {
    if (axes === null) {
      const out = norm(flat(x, s), null, [0], keepdims, s);
      return keepdims ? reshapeTo(out, x._shape.map(() => 1), s) : out;
    }
    if (axes.length > 2) throw new Error('[linalg::norm] Received too many axes for norm.');
    return l2Norm(x, axes, keepdims, s);
  }
  const ax = axes ?? x._shape.map((_d, i) => i);
  if (typeof ord === 'string') {
    if (ax.length !== 2) throw new Error(`[linalg::norm] Norm '${ord}' only supported for matrices, but received ${ax.length} axis/axes.`);
    return matrixNorm(x, ord, ax, keepdims, s);
  }
  if (typeof ord !== 'number') throw new TypeError(`[linalg::norm] ord must be a number, a string or null, got ${typeof ord}.`);
  if (ax.length === 1) return vectorNorm(x, ord, ax, keepdims, s);
  if (ax.length === 2) return matrixNorm(x, ord, ax, keepdims, s);
  throw new Error('[linalg::norm] Received too many axes for norm.');
}

// ---------------------------------------------------------------- factorizations

/** QR factorization: [Q (..., M, K), R (..., K, N)], K = min(M, N), with Q @ R = a. */
export function qr(a: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.qr');
  checkCpuStream(s, '[linalg::qr]');
  checkFloat(x._dtype, '[linalg::qr]');
  checkMatrix(x, '[linalg::qr]');
  const k = Math.min(rows(x), cols(x));
  const qShape = [...x._shape.slice(0, -1), k];
  const rShape = [...x._shape.slice(0, -2), k, cols(x)];
  return makeArrays([qShape, rShape], [x._dtype, x._dtype], new Primitive(QRF, {}), [x], s) as [MxArray, MxArray];
}

/**
 * Singular value decomposition: [U (..., M, M), S (..., K), Vt (..., N, N)] with
 * a = U[:, :K] @ diag(S) @ Vt[:K], or [S] when `computeUv` is false (node-mlx returns a list
 * either way). S is decreasing; complex64 input gives float32 S.
 */
export function svd(a: ScalarOrArray, computeUv?: boolean | StreamOrDevice, s?: StreamOrDevice): MxArray[] {
  const x = asArray(a, 'array', 'linalg.svd');
  const [uv, st] = flagAndStream<boolean>(computeUv, s, true, isBool);
  checkCpuStream(st, '[linalg::svd]');
  checkFloatOrComplex(x._dtype, '[linalg::svd]');
  if (x.ndim < 2) throw new Error(`[linalg::svd] Input array must have >= 2 dimensions. Received array with ${x.ndim} dimensions.`);
  const m = rows(x), n = cols(x), batch = x._shape.slice(0, -2);
  const sShape = [...batch, Math.min(m, n)];
  const sDtype = x._dtype === complex64 ? float32 : x._dtype;
  const prim = new Primitive(SVD, { computeUv: uv });
  if (!uv) return makeArrays([sShape], [sDtype], prim, [x], st);
  return makeArrays([[...batch, m, m], sShape, [...batch, n, n]], [x._dtype, sDtype, x._dtype], prim, [x], st);
}

function invImpl(x: MxArray, tri: boolean, upper: boolean, s?: StreamOrDevice): MxArray {
  checkSquareFloat(x, s, '[linalg::inv]', 'Inverses are only defined for square matrices.');
  return makeArray([...x._shape], x._dtype, new Primitive(Inverse, { tri, upper }), [x], s);
}

/** Inverse of square matrices (LU with partial pivoting); an exactly singular one raises at evaluation. */
export function inv(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  return invImpl(asArray(a, 'array', 'linalg.inv'), false, true, s);
}

/** Inverse of the lower (default) or upper triangle of square matrices; the other triangle is ignored. */
export function triInv(a: ScalarOrArray, upper?: boolean | StreamOrDevice, s?: StreamOrDevice): MxArray {
  const [up, st] = flagAndStream<boolean>(upper, s, false, isBool);
  return invImpl(asArray(a, 'array', 'linalg.triInv'), true, up, st);
}

/**
 * Cholesky factor of symmetric positive-definite matrices: L with a = L L^T (reading a's lower
 * triangle), or U with a = U^T U when `upper` (reading the upper triangle). As in MLX, a matrix
 * that is not positive definite is not reported: the factor is then partial and meaningless.
 */
export function cholesky(a: ScalarOrArray, upper?: boolean | StreamOrDevice, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'linalg.cholesky');
  const [up, st] = flagAndStream<boolean>(upper, s, false, isBool);
  checkSquareFloat(x, st, '[linalg::cholesky]', 'Cholesky decomposition is only defined for square matrices.');
  return makeArray([...x._shape], x._dtype, new Primitive(Cholesky, { upper: up }), [x], st);
}

/** Pseudo-inverse through the SVD, singular values below 10·max(M, N)·eps·max(S) dropped (MLX's cutoff). */
export function pinv(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'linalg.pinv');
  checkCpuStream(s, '[linalg::pinv]');
  checkFloat(x._dtype, '[linalg::pinv]');
  checkMatrix(x, '[linalg::pinv]');
  const m = rows(x), n = cols(x), k = Math.min(m, n);
  if (x.size === 0) return zeros([...x._shape.slice(0, -2), n, m], x._dtype, s);
  const [U, S, Vt] = svd(x, true, s) as [MxArray, MxArray, MxArray];
  const u = swapaxes(corner(U, m, k, s), -1, -2, s);
  const v = swapaxes(corner(Vt, k, n, s), -1, -2, s);
  const sv = expandDims(S, -2, s);
  const rcond = 10 * Math.max(m, n) * finfo(x._dtype).eps;
  const cutoff = multiply(new MxArray(rcond, x._dtype), max(sv, -1, true, s), s);
  const rS = where(greater(sv, cutoff, s), reciprocal(sv, s), new MxArray(0, x._dtype), s);
  return matmul(multiply(v, rS, s), u, s);
}

/** Inverse of a = L L^T (or U^T U when `upper`) from its Cholesky factor. */
export function choleskyInv(l: ScalarOrArray, upper?: boolean | StreamOrDevice, s?: StreamOrDevice): MxArray {
  const x = asArray(l, 'array', 'linalg.choleskyInv');
  const [up, st] = flagAndStream<boolean>(upper, s, false, isBool);
  checkSquareFloat(x, st, '[linalg::cholesky_inv]', 'Cholesky inverse is only defined for square matrices.');
  const li = triInv(x, up, st);
  return up ? matmul(li, swapaxes(li, -1, -2, st), st) : matmul(swapaxes(li, -1, -2, st), li, st);
}

/** Cross product of vectors of size 2 or 3 along `axis` (size-2 vectors have a zero third component). */
export function cross(a: ScalarOrArray, b: ScalarOrArray, axis: number | StreamOrDevice = -1, s?: StreamOrDevice): MxArray {
  if (isStreamObject(axis)) [axis, s] = [-1, axis];
  const x = asArray(a, 'a', 'linalg.cross'), y = asArray(b, 'b', 'linalg.cross');
  const ax0 = axis as number;
  const check = (z: MxArray): void => {
    if (typeof ax0 !== 'number' || !Number.isInteger(ax0)) throw new TypeError(`[linalg::cross] axis must be an integer, got ${String(ax0)}.`);
    if (ax0 < -z.ndim || ax0 >= z.ndim) throw new RangeError(`[linalg::cross] Axis ${ax0} is out of bounds for array with ${z.ndim} dimensions.`);
    const len = z._shape[ax0 < 0 ? ax0 + z.ndim : ax0]!;
    if (len < 2 || len > 3) throw new Error('[linalg::cross] The specified axis must have size 2 or 3.');
  };
  check(x);
  check(y);
  const at = (z: MxArray): number => (ax0 < 0 ? ax0 + z.ndim : ax0);
  const a2 = x._shape[at(x)] === 2, b2 = y._shape[at(y)] === 2;
  const outType = promoteTypes(x._dtype, y._dtype);
  const as = [...x._shape], bs = [...y._shape];
  as[at(x)] = 3;
  bs[at(y)] = 3;
  let outShape: number[];
  try {
    outShape = broadcastShapes(as, bs);
  } catch {
    throw new Error(`[linalg::cross] Shapes ${shapeToString(x._shape)} and ${shapeToString(y._shape)} cannot be broadcast.`);
  }
  const ax = ax0 < 0 ? ax0 + outShape.length : ax0;
  outShape[ax] = a2 ? 2 : 3;
  const xa = broadcastTo(astype(x, outType, s), [...outShape], s);
  outShape[ax] = b2 ? 2 : 3;
  const yb = broadcastTo(astype(y, outType, s), [...outShape], s);
  const p = split(xa, a2 ? 2 : 3, ax, s), q = split(yb, b2 ? 2 : 3, ax, s);
  const mul = (u: MxArray, v: MxArray) => multiply(u, v, s);
  const outs: MxArray[] = [];
  if (a2 && b2) {
    const z = zerosLike(p[0]!, s);
    outs.push(z, z);
  } else if (b2) {
    outs.push(negative(mul(p[2]!, q[1]!), s), mul(p[2]!, q[0]!));
  } else if (a2) {
    outs.push(mul(p[1]!, q[2]!), negative(mul(p[0]!, q[2]!), s));
  } else {
    outs.push(subtract(mul(p[1]!, q[2]!), mul(p[2]!, q[1]!), s), subtract(mul(p[2]!, q[0]!), mul(p[0]!, q[2]!), s));
  }
  outs.push(subtract(mul(p[0]!, q[1]!), mul(p[1]!, q[0]!), s));
  return concatenate(outs, ax, s);
}

function validateEig(x: MxArray, s: StreamOrDevice, fname: string): void {
  checkCpuStream(s, fname);
  checkFloatOrComplex(x._dtype, fname);
  checkMatrix(x, fname);
  if (rows(x) !== cols(x)) throw new Error(`${fname} Only defined for square matrices.`);
}

/** Eigenvalues (ascending) of symmetric / Hermitian matrices, from the 'L' (default) or 'U' triangle. */
export function eigvalsh(a: ScalarOrArray, UPLO?: string | StreamOrDevice, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'linalg.eigvalsh');
  const [uplo, st] = flagAndStream<string>(UPLO, s, 'L', isString);
  validateEig(x, st, '[linalg::eigvalsh]');
  const wDtype = x._dtype === complex64 ? float32 : x._dtype;
  return makeArray(x._shape.slice(0, -1), wDtype, new Primitive(Eigh, { uplo, vectors: false }), [x], st);
}

/** Eigenvalues (ascending) and orthonormal eigenvectors (the columns) of symmetric / Hermitian matrices: [w, V]. */
export function eigh(a: ScalarOrArray, UPLO?: string | StreamOrDevice, s?: StreamOrDevice): [MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.eigh');
  const [uplo, st] = flagAndStream<string>(UPLO, s, 'L', isString);
  validateEig(x, st, '[linalg::eigh]');
  const wDtype = x._dtype === complex64 ? float32 : x._dtype;
  return makeArrays([x._shape.slice(0, -1), [...x._shape]], [wDtype, x._dtype], new Primitive(Eigh, { uplo, vectors: true }), [x], st) as [MxArray, MxArray];
}

/** Eigenvalues of general square matrices, complex64 (LAPACK's order). */
export function eigvals(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'linalg.eigvals');
  validateEig(x, s, '[linalg::eigvals]');
  return makeArray(x._shape.slice(0, -1), complex64, new Primitive(Eig, { vectors: false }), [x], s);
}

/** Eigenvalues and unit right eigenvectors (the columns, largest component real) of general square matrices: [w, V], complex64. */
export function eig(a: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.eig');
  validateEig(x, s, '[linalg::eig]');
  return makeArrays([x._shape.slice(0, -1), [...x._shape]], [complex64, complex64], new Primitive(Eig, { vectors: true }), [x], s) as [MxArray, MxArray];
}

function validateLu(x: MxArray, s: StreamOrDevice, fname: string): void {
  checkCpuStream(s, fname);
  checkFloat(x._dtype, fname);
  checkMatrix(x, fname);
}

/** [LU, pivots (uint32, K), row indices (uint32, M)] of the LUF primitive. */
function luHelper(x: MxArray, s?: StreamOrDevice): MxArray[] {
  const m = rows(x), n = cols(x), batch = x._shape.slice(0, -2);
  return makeArrays([[...x._shape], [...batch, Math.min(m, n)], [...batch, m]], [x._dtype, uint32, uint32], new Primitive(LUF, {}), [x], s);
}

/** LU factorization with partial pivoting: [p (uint32 row indices), L, U] with a[p] = L @ U (L unit lower, M x K; U, K x N). */
export function lu(a: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.lu');
  validateLu(x, s, '[linalg::lu]');
  const [LU, , rowIdx] = luHelper(x, s) as [MxArray, MxArray, MxArray];
  let L = tril(LU, -1, s), U = triu(LU, 0, s);
  const m = rows(x), n = cols(x), k = Math.min(m, n);
  if (n !== k) L = corner(L, m, k, s);
  else if (m !== k) U = corner(U, k, n, s);
  L = add(L, eye(m, k, 0, float32, s), s);
  return [rowIdx, L, U];
}

/** LU factorization in LAPACK's packed form: [LU, pivots] (pivots[i]: the row swapped with row i, uint32). */
export function luFactor(a: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.luFactor');
  validateLu(x, s, '[linalg::lu_factor]');
  const [LU, pivots] = luHelper(x, s);
  return [LU!, pivots!];
}

function validateSolve(x: MxArray, y: MxArray, s: StreamOrDevice, fname: string): void {
  checkCpuStream(s, fname);
  if (x.ndim < 2) throw new Error(`${fname} First input must have >= 2 dimensions. Received array with ${x.ndim} dimensions.`);
  if (y.ndim < 1) throw new Error(`${fname} Second input must have >= 1 dimensions. Received array with ${y.ndim} dimensions.`);
  if (rows(x) !== cols(x)) throw new Error(`${fname} First input must be a square matrix. Received array with shape ${shapeToString(x._shape)}.`);
  const last = y.ndim > 1 ? y._shape[y.ndim - 2]! : y._shape[y.ndim - 1]!;
  if (cols(x) !== last) {
    throw new Error(
      `${fname} Last dimension of first input with shape ${shapeToString(x._shape)} must match second to last dimension of second input with shape ${shapeToString(y._shape)}.`,
    );
  }
  const out = promoteTypes(x._dtype, y._dtype);
  if (out !== float32 && out !== float64) {
    throw new TypeError(`${fname} Input arrays must promote to float32 or float64.  Received arrays with type ${x._dtype.name} and ${y._dtype.name}.`);
  }
}

/** Solves a @ x = b for square a (through its LU factors, as MLX); b is a vector or a batch of matrices. */
export function solve(a: ScalarOrArray, b: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'a', 'linalg.solve'), y = asArray(b, 'b', 'linalg.solve');
  validateSolve(x, y, s, '[linalg::solve]');
  const [p, L, U] = lu(x, s) as [MxArray, MxArray, MxArray];
  let perm = argsort(p, -1, s);
  let takeAxis = -1;
  if (y.ndim >= 2) {
    perm = expandDims(perm, -1, s);
    takeAxis -= 1;
  }
  const pb = takeAlongAxis(y, perm, takeAxis, s);
  return solveTriangular(U, solveTriangular(L, pb, false, s), true, s);
}

/** Solves a @ x = b for the lower (default) or upper triangle of a (through its triangular inverse, as MLX). */
export function solveTriangular(a: ScalarOrArray, b: ScalarOrArray, upper?: boolean | StreamOrDevice, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'a', 'linalg.solveTriangular'), y = asArray(b, 'b', 'linalg.solveTriangular');
  const [up, st] = flagAndStream<boolean>(upper, s, false, isBool);
  validateSolve(x, y, st, '[linalg::solve_triangular]');
  return matmul(triInv(x, up, st), y, st);
}

// ---------------------------------------------------------------- determinants

function validateDet(x: MxArray, s: StreamOrDevice, fname: string): void {
  checkCpuStream(s, fname);
  if (isComplex(x._dtype)) throw new TypeError(`${fname} Complex inputs are not supported.`);
  checkMatrix(x, fname);
  if (rows(x) !== cols(x)) throw new Error(`${fname} Only defined for square matrices.`);
}

/** Determinants of matrices of size <= 3 by cofactor expansion, in the input's dtype (MLX's fast path). */
function detRawSmall(x: MxArray, s?: StreamOrDevice): MxArray {
  const n = cols(x);
  if (n === 0) return broadcastTo(new MxArray(1, x._dtype), x._shape.slice(0, -2), s);
  const e = (i: number, j: number) => element(x, i, j, s);
  const mul = (u: MxArray, v: MxArray) => multiply(u, v, s);
  const sub = (u: MxArray, v: MxArray) => subtract(u, v, s);
  if (n === 1) return e(0, 0);
  if (n === 2) return sub(mul(e(0, 0), e(1, 1)), mul(e(0, 1), e(1, 0)));
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = [e(0, 0), e(0, 1), e(0, 2), e(1, 0), e(1, 1), e(1, 2), e(2, 0), e(2, 1), e(2, 2)];
  return add(
    sub(mul(a00, sub(mul(a11, a22), mul(a12, a21))), mul(a01, sub(mul(a10, a22), mul(a12, a20)))),
    mul(a02, sub(mul(a10, a21), mul(a11, a20))),
    s,
  );
}

function slogdetImpl(x: MxArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const n = cols(x), d = x._dtype;
  if (n <= 3) {
    const raw = detRawSmall(x, s);
    return [sign(raw, s), log(abs(raw, s), s)];
  }
  const [LU, pivots] = luFactor(x, s) as [MxArray, MxArray];
  const diag = diagonal(LU, 0, -2, -1, s);
  const k = Math.min(rows(x), n);
  // the permutation's parity is the number of rows actually swapped
  const parity = astype(sum(notEqual(pivots, arange(0, k, uint32, s), s), -1, false, s), int32, s);
  const numNeg = astype(sum(less(diag, new MxArray(0, d), s), -1, false, s), int32, s);
  const total = add(parity, numNeg, s);
  let sgn = astype(subtract(new MxArray(1n, int32), multiply(new MxArray(2n, int32), remainder(total, new MxArray(2n, int32), s), s), s), d, s);
  let logabs = sum(log(abs(diag, s), s), -1, false, s);
  const isZero = any(equal(diag, new MxArray(0, d), s), -1, false, s);
  sgn = where(isZero, new MxArray(0, d), sgn, s);
  logabs = where(isZero, new MxArray(-Infinity, d), logabs, s);
  return [sgn, logabs];
}

/** [sign, log|det|] of square matrices (cofactors for n <= 3, LU beyond); a singular matrix gives [0, -inf]. */
export function slogdet(a: ScalarOrArray, s?: StreamOrDevice): [MxArray, MxArray] {
  const x = asArray(a, 'array', 'linalg.slogdet');
  validateDet(x, s, '[linalg::slogdet]');
  return slogdetImpl(astype(x, atLeastFloat(x._dtype), s), s);
}

/** Determinants of square matrices (cofactors for n <= 3, sign · exp(log|det|) from the LU factors beyond). */
export function det(a: ScalarOrArray, s?: StreamOrDevice): MxArray {
  const x = asArray(a, 'array', 'linalg.det');
  validateDet(x, s, '[linalg::det]');
  const input = astype(x, atLeastFloat(x._dtype), s);
  if (cols(input) <= 3) return detRawSmall(input, s);
  const [sgn, logabs] = slogdetImpl(input, s);
  return multiply(sgn, exp(logabs, s), s);
}
