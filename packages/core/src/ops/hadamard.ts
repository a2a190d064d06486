// MLX's hadamard_transform, composed from elementwise ops in the order MLX's CPU kernel
// computes (mlx/backend/cpu/hadamard.cpp), so that results match it bit for bit: butterflies
// in the array's dtype over chunks of 2^k, then, for sizes m * 2^k (m = 12, 20, 28), the
// m x m Hadamard matrix applied with a float32 running sum. Gradients come from the ops.
import { MxArray, type ScalarOrArray } from '../array.js';
import { type Dtype, float32, float64, isFloating } from '../dtype.js';
import type { StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { astype, sliceView } from './views.js';
import { add, multiply, subtract } from './elementwise.js';
import { concatenate } from './shape.js';
import { isStreamObject, reshapeTo } from './internal.js';

// From http://neilsloane.com/hadamard/ (the matrices MLX uses, mlx/backend/common/hadamard.h).
const signRows: Record<number, string> = {
  12: `+-++++++++++ --+-+-+-+-+- +++-++----++ +---+--+-++- +++++-++---- +-+---+--+-+
       ++--+++-++-- +--++---+--+ ++----+++-++ +--+-++---+- ++++----+++- +-+--+-++---`,
  20: `+----+----++--++-++- -+----+---+++---+-++ --+----+---+++-+-+-+ ---+----+---+++++-+-
       ----+----++--++-++-+ -+++++-----+--+++--+ +-+++-+---+-+--+++-- ++-++--+---+-+--+++-
       +++-+---+---+-+--+++ ++++-----++--+-+--++ --++-+-++-+-----++++ ---++-+-++-+---+-+++
       +---++-+-+--+--++-++ ++---++-+----+-+++-+ -++---++-+----+++++- -+--+--++-+----+----
       +-+-----++-+----+--- -+-+-+---+--+----+-- --+-+++------+----+- +--+--++------+----+`,
  28: `+------++----++-+--+-+--++-- -+-----+++-----+-+--+-+--++- --+-----+++---+-+-+----+--++
       ---+-----+++---+-+-+-+--+--+ ----+-----+++---+-+-+++--+-- -----+-----++++--+-+--++--+-
       ------++----++-+--+-+--++--+ --++++-+-------++--+++-+--+- ---++++-+-----+-++--+-+-+--+
       +---+++--+----++-++--+-+-+-- ++---++---+----++-++--+-+-+- +++---+----+----++-++--+-+-+
       ++++--------+-+--++-++--+-+- -++++--------+++--++--+--+-+ -+-++-++--++--+--------++++-
       +-+-++--+--++--+--------++++ -+-+-++--+--++--+----+---+++ +-+-+-++--+--+---+---++---++
       ++-+-+-++--+------+--+++---+ -++-+-+-++--+------+-++++--- +-++-+---++--+------+-++++--
       -++--++-+-++-+++----++------ +-++--++-+-++-+++-----+----- ++-++---+-+-++-+++-----+----
       -++-++-+-+-+-+--+++-----+--- --++-++++-+-+----+++-----+-- +--++-+-++-+-+----+++-----+-
       ++--++-+-++-+-+----++------+`,
};

/** MLX's decompose_hadamard: size = m * n with n a power of two and m in (1, 12, 20, 28). */
function decompose(size: number): [n: number, m: number] {
  const pow2 = (v: number): boolean => v > 0 && (v & (v - 1)) === 0;
  let m = 1;
  let n = size;
  if (!pow2(n)) {
    m = [12, 20, 28].find((f) => n % f === 0) ?? 1;
    n /= m;
    // MLX checks only the divisibility and then reads past the row for an n that is not a
    // power of two; here such sizes are refused like the others.
    if (m === 1 || !pow2(n)) throw new Error('[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).');
  }
  if (n > 2 ** 26) throw new Error('[hadamard] Only supports n = m*2^k where k <= 26');
  return [n, m];
}

/** `v * scale` as MLX's kernel stores it: a float32 product rounded to the array's dtype. */
function scaled(v: MxArray, scale: number, dtype: Dtype, s?: StreamOrDevice): MxArray {
  return astype(multiply(astype(v, float32, s), new MxArray(scale, float32), s), dtype, s);
}

/**
 * The Walsh-Hadamard transform along the last axis, times `scale` (default 1/sqrt(n), which
 * makes it orthonormal): `hadamard(n) @ x * scale` for sizes n = m * 2^k, m in (1, 12, 20, 28).
 * Floating inputs keep their dtype (float64 is refused, as MLX's kernels do); others compute
 * in float32.
 */
export function hadamardTransform(a: ScalarOrArray, scale?: number | null | StreamOrDevice, s?: StreamOrDevice): MxArray {
  if (isStreamObject(scale)) [scale, s] = [undefined, scale];
  const x = asArray(a, 'array', 'hadamard_transform');
  if (scale !== undefined && scale !== null && typeof scale !== 'number') throw new TypeError(`[hadamard_transform] scale must be a number, got ${String(scale)}.`);
  if (x.size === 0) throw new Error('[hadamard_transform] Does not support empty arrays.');
  const len = x.ndim > 0 ? x._shape[x.ndim - 1]! : 1;
  // MLX's scale is a C++ float
  const sc = Math.fround(typeof scale === 'number' ? scale : 1 / Math.sqrt(len));
  const dtype = isFloating(x._dtype) ? x._dtype : float32;
  if (len === 1) return sc === 1 ? x : multiply(x, new MxArray(sc, dtype), s);
  if (dtype === float64) throw new TypeError('[hadamard] Unsupported type.');
  const [n, m] = decompose(len);
  const lead = x._shape.slice(0, -1);
  let y = astype(x, dtype, s);
  // Butterflies on pairs (j, j + h) within each chunk of n, rounding to the dtype at each stage.
  for (let h = 1; h < n; h *= 2) {
    const pairs = reshapeTo(y, [...lead, len / (2 * h), 2, h], s);
    const half = (i: number): MxArray =>
      sliceView(pairs, [...lead.map(() => 0), 0, i, 0], [...lead, len / (2 * h), i + 1, h], pairs._shape.map(() => 1), s);
    let sum = add(half(0), half(1), s);
    let dif = subtract(half(0), half(1), s);
    if (m === 1 && 2 * h === n) [sum, dif] = [scaled(sum, sc, dtype, s), scaled(dif, sc, dtype, s)];
    y = reshapeTo(concatenate([sum, dif], -2, s), [...lead, len], s);
  }
  if (m === 1) return y;
  // out[j] = sum over k of H[j][k] * x[k], over the m chunks, accumulated in float32 in k order.
  const rows = signRows[m]!.split(/\s+/).filter(Boolean);
  const chunks = astype(reshapeTo(y, [...lead, m, n], s), float32, s);
  let acc = new MxArray(0, float32);
  for (let k = 0; k < m; k++) {
    const column = new MxArray(rows.map((r) => [r[k] === '+' ? 1 : -1]), float32);
    const xk = sliceView(chunks, [...lead.map(() => 0), k, 0], [...lead, k + 1, n], chunks._shape.map(() => 1), s);
    acc = add(acc, multiply(column, xk, s), s);
  }
  return reshapeTo(scaled(acc, sc, dtype, s), [...lead, len], s);
}
