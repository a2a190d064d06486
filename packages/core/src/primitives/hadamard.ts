// MLX's Hadamard primitive: the Walsh-Hadamard transform along the last axis times `scale`,
// for sizes m * 2^k (m in 1, 12, 20, 28). Its meaning is the composition in ops/hadamard.ts
// (MLX's CPU kernel step by step: butterflies rounded to the dtype over chunks of 2^k, then
// the m x m sign matrix with a float32 running sum); the kernels (backend/reference/hadamard.ts,
// the WASM one in kernels-wasm fast.ts) compute it in one pass. As MLX: the transform is its own
// transpose, so vjp and jvp are the transform of the cotangent / tangent.
import { makeArray, type MxArray } from '../array.js';
import { definePrimitive, Primitive } from '../primitive.js';
import { moveaxis } from '../ops/shape.js';

export type HadamardParams = { scale: number };

// From http://neilsloane.com/hadamard/ (the matrices MLX uses, mlx/backend/common/hadamard.h).
export const signRows: Record<number, string> = {
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
export function decompose(size: number): [n: number, m: number] {
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

/** The m x m sign matrix (±1), row-major. */
export function signMatrix(m: number): Float64Array {
  const rows = signRows[m]!.split(/\s+/).filter(Boolean);
  const out = new Float64Array(m * m);
  for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) out[j * m + k] = rows[j]![k] === '+' ? 1 : -1;
  return out;
}

const apply = (p: HadamardParams, x: MxArray): MxArray => makeArray([...x._shape], x._dtype, new Primitive(Hadamard, p), [x]);

export const Hadamard = definePrimitive<HadamardParams>({
  name: 'Hadamard',
  describe: (p) => `scale=${p.scale}`,
  vjp: (p, _primals, [g], argnums) => argnums.map((i) => (i === 0 ? apply(p, g!) : null)),
  jvp: (p, _primals, [t]) => [apply(p, t!)],
  vmap: (p, [x], [ax]) => {
    // the transform runs along the last axis: a batch axis there moves to the front
    const last = x!.ndim - 1;
    if (ax !== last) return [[apply(p, x!)], [ax!]];
    return [[apply(p, moveaxis(x!, last, 0))], [0]];
  },
  outputShapes: (_p, [x]) => {
    decompose(x![x!.length - 1] ?? 1);
    return [[...x!]];
  },
});
