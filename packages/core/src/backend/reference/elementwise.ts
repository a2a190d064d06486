// Elementwise kernels. Inputs arrive broadcast (stride-0 views) and, for binary ops, in one
// common dtype chosen by the op; the output may differ (comparisons give bool). Values are
// computed in double (or bigint for 64-bit integers, pairs for complex64) and stored with
// the output dtype's rounding/wrapping (elements.ts).
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import { complex64, float16, bfloat16, float32, isBigInt, type Dtype } from '../../dtype.js';
import { numberReader, numberWriter, bigintReader, bigintWriter } from '../../elements.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from '../../half.js';

type C = [number, number];
export interface UnaryFns {
  /** double domain (floats, and integers when `int` is absent) */
  f?: (x: number) => number;
  /** integers up to 32 bits and bool (value read as a number, result wrapped on store) */
  int?: (x: number, dtype: Dtype) => number;
  big?: (x: bigint, dtype: Dtype) => bigint;
  c?: (re: number, im: number) => C;
  /** complex input, real output (abs, isnan...) */
  cr?: (re: number, im: number) => number;
}
export interface BinaryFns {
  /** double domain; `dtype` is the input dtype, for ops that round an intermediate to it */
  f?: (a: number, b: number, dtype: Dtype) => number;
  int?: (a: number, b: number, dtype: Dtype) => number;
  big?: (a: bigint, b: bigint, dtype: Dtype) => bigint | boolean;
  c?: (ar: number, ai: number, br: number, bi: number) => C;
  cr?: (ar: number, ai: number, br: number, bi: number) => number;
}

export const unaryFns = new Map<string, UnaryFns>();
export const binaryFns = new Map<string, BinaryFns>();

function complexPairs(d: ArrayData): (i: number) => C {
  const data = elements(d) as Float32Array;
  return (off) => [data[2 * off]!, data[2 * off + 1]!];
}

function unaryKernel(name: string, fns: UnaryFns): void {
  registerKernel(name, (_p, [x], [out]) => {
    const offs = offsetsOf(x!);
    const n = offs.length;
    const inD = x!.dtype;
    const outD = out!.dtype;
    const dst = elements(out!);
    if (inD === complex64) {
      const get = complexPairs(x!);
      if (outD === complex64 && fns.c) {
        const o = dst as Float32Array;
        for (let i = 0; i < n; i++) {
          const [re, im] = fns.c(...get(offs[i]!));
          o[2 * i] = re;
          o[2 * i + 1] = im;
        }
        return;
      }
      if (fns.cr) {
        const w = numberWriter(outD, dst);
        for (let i = 0; i < n; i++) w(i, fns.cr(...get(offs[i]!)));
        return;
      }
      throw new TypeError(`[${name}] complex64 input is not supported.`);
    }
    if (isBigInt(inD) && fns.big) {
      const r = bigintReader(inD, elements(x!));
      const w = bigintWriter(outD, dst);
      for (let i = 0; i < n; i++) w(i, fns.big(r(offs[i]!), inD));
      return;
    }
    const r = numberReader(inD, elements(x!));
    const w = numberWriter(outD, dst);
    const isInt = inD.kind === 'i' || inD.kind === 'u' || inD.kind === 'b';
    const f = isInt && fns.int ? (v: number) => fns.int!(v, inD) : fns.f;
    if (!f) throw new TypeError(`[${name}] dtype ${inD.name} is not supported.`);
    for (let i = 0; i < n; i++) w(i, f(r(offs[i]!)));
  });
}

function binaryKernel(name: string, fns: BinaryFns): void {
  registerKernel(name, (_p, [a, b], [out]) => {
    const oa = offsetsOf(a!);
    const ob = offsetsOf(b!);
    const n = oa.length;
    const inD = a!.dtype;
    const outD = out!.dtype;
    const dst = elements(out!);
    if (inD === complex64) {
      const ga = complexPairs(a!);
      const gb = complexPairs(b!);
      if (outD === complex64 && fns.c) {
        const o = dst as Float32Array;
        for (let i = 0; i < n; i++) {
          const [re, im] = fns.c(...ga(oa[i]!), ...gb(ob[i]!));
          o[2 * i] = re;
          o[2 * i + 1] = im;
        }
        return;
      }
      if (fns.cr) {
        const w = numberWriter(outD, dst);
        for (let i = 0; i < n; i++) w(i, fns.cr(...ga(oa[i]!), ...gb(ob[i]!)));
        return;
      }
      throw new TypeError(`[${name}] complex64 inputs are not supported.`);
    }
    if (isBigInt(inD) && fns.big) {
      const ra = bigintReader(inD, elements(a!));
      const rb = bigintReader(inD, elements(b!));
      const wb = bigintWriter(outD, dst);
      const wn = numberWriter(outD, dst);
      for (let i = 0; i < n; i++) {
        const v = fns.big(ra(oa[i]!), rb(ob[i]!), inD);
        if (typeof v === 'boolean') wn(i, v ? 1 : 0);
        else wb(i, v);
      }
      return;
    }
    const ra = numberReader(inD, elements(a!));
    const rb = numberReader(inD, elements(b!));
    const w = numberWriter(outD, dst);
    const isInt = inD.kind === 'i' || inD.kind === 'u' || inD.kind === 'b';
    const f = isInt && fns.int ? fns.int : fns.f;
    if (!f) throw new TypeError(`[${name}] dtype ${inD.name} is not supported.`);
    for (let i = 0; i < n; i++) w(i, f(ra(oa[i]!), rb(ob[i]!), inD));
  });
}

// ---- the op tables ----

/** Wraps an integer result to the dtype's width, for ops whose double result may exceed 2^53. */
const imulWrap = (a: number, b: number, d: Dtype): number => (d.kind === 'u' && d.size === 4 ? Math.imul(a, b) >>> 0 : Math.imul(a, b));
const wrapBig = (v: bigint, d: Dtype): bigint => (d.kind === 'u' ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));

/** std::rint: round half to even, keeping the sign of zero. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** erf in double precision: Taylor series near 0, continued fraction for erfc in the tails. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x);
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) by modified Lentz.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let k = 1; k < 300; k++) {
    const a = k / 2;
    d = ax + a * d;
    d = 1 / d;
    c = ax + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** erf^-1: a rational first guess refined by Newton steps on erf. */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y;
  // Winitzki's approximation as the starting point.
  const a = 0.147;
  const ln = Math.log(1 - y * y);
  const t = 2 / (Math.PI * a) + ln / 2;
  let x = Math.sign(y) * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
  for (let i = 0; i < 4; i++) {
    const err = erf(x) - y;
    const deriv = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
    if (deriv === 0) break;
    x -= err / (deriv + x * err); // Halley-style damping for the tails
  }
  return x;
}

// complex helpers (complex64 values as [re, im] pairs of doubles). MLX computes complex64 with
// std::complex<float>, i.e. C99 Annex G: the special cases below (infinities, zeros, NaN)
// follow libgcc's __mulsc3/__divsc3 and glibc's cexp/csqrt so that e.g. 1/(0+0i) is inf+nan*i.
const isInf = (v: number): boolean => v === Infinity || v === -Infinity;
const copysign = (m: number, s: number): number => {
  // x86's default NaN (from invalid operations) has its sign bit set; JS hides NaN signs.
  const neg = s < 0 || Object.is(s, -0) || Number.isNaN(s);
  return neg ? -Math.abs(m) : Math.abs(m);
};
function cmul(a: number, b: number, c: number, d: number): C {
  const ac = a * c;
  const bd = b * d;
  const ad = a * d;
  const bc = b * c;
  let x = ac - bd;
  let y = ad + bc;
  if (Number.isNaN(x) && Number.isNaN(y)) {
    let recalc = false;
    if (isInf(a) || isInf(b)) {
      a = copysign(isInf(a) ? 1 : 0, a);
      b = copysign(isInf(b) ? 1 : 0, b);
      if (Number.isNaN(c)) c = copysign(0, c);
      if (Number.isNaN(d)) d = copysign(0, d);
      recalc = true;
    }
    if (isInf(c) || isInf(d)) {
      c = copysign(isInf(c) ? 1 : 0, c);
      d = copysign(isInf(d) ? 1 : 0, d);
      if (Number.isNaN(a)) a = copysign(0, a);
      if (Number.isNaN(b)) b = copysign(0, b);
      recalc = true;
    }
    if (!recalc && (isInf(ac) || isInf(bd) || isInf(ad) || isInf(bc))) {
      if (Number.isNaN(a)) a = copysign(0, a);
      if (Number.isNaN(b)) b = copysign(0, b);
      if (Number.isNaN(c)) c = copysign(0, c);
      if (Number.isNaN(d)) d = copysign(0, d);
      recalc = true;
    }
    if (recalc) {
      x = Infinity * (a * c - b * d);
      y = Infinity * (a * d + b * c);
    }
  }
  return [x, y];
}
/** Smith's division with Annex G's recovery of infinities and zeros. */
function cdiv(a: number, b: number, c: number, d: number): C {
  let x: number, y: number;
  if (Math.abs(c) < Math.abs(d)) {
    const ratio = c / d;
    const den = c * ratio + d;
    x = (a * ratio + b) / den;
    y = (b * ratio - a) / den;
  } else {
    const ratio = d / c;
    const den = d * ratio + c;
    x = (b * ratio + a) / den;
    y = (b - a * ratio) / den;
  }
  if (Number.isNaN(x) && Number.isNaN(y)) {
    if (c === 0 && d === 0 && (!Number.isNaN(a) || !Number.isNaN(b))) {
      x = copysign(Infinity, c) * a;
      y = copysign(Infinity, c) * b;
    } else if ((isInf(a) || isInf(b)) && Number.isFinite(c) && Number.isFinite(d)) {
      const p = copysign(isInf(a) ? 1 : 0, a);
      const q = copysign(isInf(b) ? 1 : 0, b);
      x = Infinity * (p * c + q * d);
      y = Infinity * (q * c - p * d);
    } else if ((isInf(c) || isInf(d)) && Number.isFinite(a) && Number.isFinite(b)) {
      const p = copysign(isInf(c) ? 1 : 0, c);
      const q = copysign(isInf(d) ? 1 : 0, d);
      x = 0 * (a * p + b * q);
      y = 0 * (b * p - a * q);
    }
  }
  return [x, y];
}
const cabs = (re: number, im: number): number => Math.hypot(re, im);
function cexp(re: number, im: number): C {
  if (Number.isFinite(re)) {
    if (!Number.isFinite(im)) return [NaN, NaN];
    const e = Math.exp(re);
    return im === 0 ? [e, im] : [e * Math.cos(im), e * Math.sin(im)];
  }
  if (re === Infinity) {
    if (!Number.isFinite(im)) return [Infinity, NaN];
    return im === 0 ? [Infinity, im] : [Infinity * Math.cos(im), Infinity * Math.sin(im)];
  }
  if (re === -Infinity) {
    if (!Number.isFinite(im)) return [0, copysign(0, im)];
    return [copysign(0, Math.cos(im)), copysign(0, Math.sin(im))];
  }
  return im === 0 ? [NaN, im] : [NaN, NaN];
}
const clog = (re: number, im: number): C => [Math.log(cabs(re, im)), Math.atan2(im, re)];
/** log(1 + z) as MLX writes it (accurate near 0). */
function clog1p(x: number, y: number): C {
  const theta = Math.atan2(y, x + 1);
  if (cabs(x, y) < 0.5) {
    const r = x * (2 + x) + y * y;
    return r === 0 ? [x, theta] : [0.5 * Math.log1p(r), theta];
  }
  return [Math.log(Math.hypot(x + 1, y)), theta];
}
function csqrt(re: number, im: number): C {
  if (!Number.isFinite(re) || !Number.isFinite(im)) {
    if (isInf(im)) return [Infinity, im];
    if (re === -Infinity) return [Number.isNaN(im) ? NaN : 0, copysign(Infinity, im)];
    if (re === Infinity) return [Infinity, Number.isNaN(im) ? NaN : copysign(0, im)];
    return [NaN, NaN];
  }
  if (im === 0) return re < 0 ? [0, copysign(Math.sqrt(-re), im)] : [Math.sqrt(re), im];
  if (re === 0) {
    const r = Math.sqrt(0.5 * Math.abs(im));
    return [r, copysign(r, im)];
  }
  const d = Math.hypot(re, im);
  if (re > 0) {
    const r = Math.sqrt(0.5 * (d + re));
    return [r, 0.5 * (im / r)];
  }
  const s = Math.sqrt(0.5 * (d - re));
  return [Math.abs(0.5 * (im / s)), copysign(s, im)];
}
const csin = (a: number, b: number): C => [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)];
const ccos = (a: number, b: number): C => [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)];
const csinh = (a: number, b: number): C => [Math.sinh(a) * Math.cos(b), Math.cosh(a) * Math.sin(b)];
const ccosh = (a: number, b: number): C => [Math.cosh(a) * Math.cos(b), Math.sinh(a) * Math.sin(b)];
const cquot = (f: (a: number, b: number) => C, g: (a: number, b: number) => C) => (a: number, b: number): C => {
  const [p, q] = f(a, b);
  const [r, s] = g(a, b);
  return cdiv(p, q, r, s);
};
function casinh(a: number, b: number): C {
  const [r, i] = csqrt(...cmul(a, b, a, b).map((v, k) => (k === 0 ? v + 1 : v)) as C);
  return clog(a + r, b + i);
}
function casin(a: number, b: number): C {
  // asin(z) = -i asinh(i z)
  const [r, i] = casinh(-b, a);
  return [i, -r];
}
function cacosh(a: number, b: number): C {
  const [p, q] = csqrt(a + 1, b);
  const [r, s] = csqrt(a - 1, b);
  const [m, n] = cmul(p, q, r, s);
  return clog(a + m, b + n);
}
function catanh(a: number, b: number): C {
  const [p, q] = clog(...cdiv(1 + a, b, 1 - a, -b));
  return [p / 2, q / 2];
}
/** atan(z) by its real/imaginary closed form, which puts the branch cuts where C's catan does. */
function catan(a: number, b: number): C {
  const re = 0.5 * Math.atan2(2 * a, 1 - a * a - b * b);
  const im = 0.25 * Math.log((a * a + (b + 1) * (b + 1)) / (a * a + (b - 1) * (b - 1)));
  return [re, im];
}
// MLX orders complex values lexicographically (mlx/types/complex.h), with C's NaN comparisons.
const cgt = (ar: number, ai: number, br: number, bi: number): boolean => ar > br || (ar === br && ai > bi);
const cge = (ar: number, ai: number, br: number, bi: number): boolean => ar > br || (ar === br && ai >= bi);
const cnan = (re: number, im: number): boolean => Number.isNaN(re) || Number.isNaN(im);

/** A double rounded to a float dtype's precision (float64 and integers unchanged). */
function roundTo(d: Dtype, v: number): number {
  if (d === float32) return Math.fround(v);
  if (d === float16) return halfToNumber(numberToHalf(v));
  if (d === bfloat16) return bfloat16ToNumber(numberToBfloat16(v));
  return v;
}
/** MLX's float floor_divide is floor(divide(a, b)): the quotient is rounded to the dtype first. */
const floatFloorDiv = (a: number, b: number, d: Dtype): number => Math.floor(roundTo(d, a / b));
/** std::pow: pow(1, y) and pow(x, ±0) are 1 even for NaN, pow(-1, ±inf) is 1 (JS gives NaN). */
function cPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && isInf(b)) return 1;
  return Math.pow(a, b);
}
// MLX's maximum/minimum: a NaN first operand wins, otherwise `a > b ? a : b` (so a NaN second
// operand also propagates, and of two equal zeros the second is returned).
const fmax = (a: number, b: number): number => (Number.isNaN(a) ? a : a > b ? a : b);
const fmin = (a: number, b: number): number => (Number.isNaN(a) ? a : a < b ? a : b);
function floatRemainder(a: number, b: number): number {
  let r = a % b;
  if (r !== 0 && r < 0 !== b < 0) r += b;
  return r;
}
// Integer division by zero is undefined behaviour in MLX; mlx-ts gives 0, never a hang or crash.
function intFloorDiv(a: number, b: number): number {
  if (b === 0) return 0;
  const q = Math.trunc(a / b);
  return a % b !== 0 && a < 0 !== b < 0 ? q - 1 : q;
}
function intRemainder(a: number, b: number): number {
  if (b === 0) return 0;
  let r = a % b;
  if (r !== 0 && r < 0 !== b < 0) r += b;
  return r;
}
function bigFloorDiv(a: bigint, b: bigint, d: Dtype): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return wrapBig(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q, d);
}
function bigRemainder(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  let r = a % b;
  if (r !== 0n && r < 0n !== b < 0n) r += b;
  return r;
}
function intPower(base: number, exp: number, d: Dtype): number {
  // Negative integer exponents give 0, as MLX's integer power does (1/base truncated).
  if (exp < 0) return 0;
  let r = 1;
  let b = base;
  let e = exp;
  while (e > 0) {
    if (e & 1) r = imulWrap(r, b, d);
    b = imulWrap(b, b, d);
    e = Math.floor(e / 2);
  }
  return r;
}
function bigPower(base: bigint, exp: bigint, d: Dtype): bigint {
  if (exp < 0n) return 0n;
  let r = 1n;
  let b = base;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = wrapBig(r * b, d);
    b = wrapBig(b * b, d);
    e >>= 1n;
  }
  return r;
}
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
function logaddexp(a: number, b: number): number {
  if (a === b && !Number.isFinite(a)) return a; // both +inf or both -inf
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}
const bool = (x: number): number => (x !== 0 ? 1 : 0);
const id = (x: number): number => x;

unaryFns.set('Abs', { f: Math.abs, big: (x) => (x < 0n ? -x : x), cr: cabs });
unaryFns.set('Negative', { f: (x) => -x, big: (x) => -x, c: (re, im) => [-re, -im] });
unaryFns.set('Sign', {
  f: sign,
  big: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
  // z / |z| as a complex division (so inf components give nan), zero kept as it is
  c: (re, im) => (re === 0 && im === 0 ? [re, im] : cdiv(re, im, cabs(re, im), 0)),
});
unaryFns.set('Square', { f: (x) => x * x, int: (x, d) => imulWrap(x, x, d), big: (x) => x * x, c: (a, b) => cmul(a, b, a, b) });
unaryFns.set('Sqrt', { f: Math.sqrt, c: csqrt });
unaryFns.set('Rsqrt', { f: (x) => 1 / Math.sqrt(x), c: (a, b) => cdiv(1, 0, ...csqrt(a, b)) });
unaryFns.set('Reciprocal', { f: (x) => 1 / x, c: (a, b) => cdiv(1, 0, a, b) });
unaryFns.set('Exp', { f: Math.exp, c: cexp });
unaryFns.set('Expm1', { f: Math.expm1 });
unaryFns.set('Log', { f: Math.log, c: clog });
unaryFns.set('Log2', { f: Math.log2, c: (a, b) => clog(a, b).map((v) => v / Math.LN2) as C });
unaryFns.set('Log10', { f: Math.log10, c: (a, b) => clog(a, b).map((v) => v / Math.LN10) as C });
unaryFns.set('Log1p', { f: Math.log1p, c: clog1p });
unaryFns.set('Sin', { f: Math.sin, c: csin });
unaryFns.set('Cos', { f: Math.cos, c: ccos });
unaryFns.set('Tan', { f: Math.tan, c: cquot(csin, ccos) });
unaryFns.set('ArcSin', { f: Math.asin, c: casin });
unaryFns.set('ArcCos', {
  f: Math.acos,
  c: (a, b) => {
    const [r, i] = casin(a, b);
    return [Math.PI / 2 - r, -i];
  },
});
unaryFns.set('ArcTan', { f: Math.atan, c: catan });
unaryFns.set('Sinh', { f: Math.sinh, c: csinh });
unaryFns.set('Cosh', { f: Math.cosh, c: ccosh });
unaryFns.set('Tanh', { f: Math.tanh, c: cquot(csinh, ccosh) });
unaryFns.set('ArcSinh', { f: Math.asinh, c: casinh });
unaryFns.set('ArcCosh', { f: Math.acosh, c: cacosh });
unaryFns.set('ArcTanh', { f: Math.atanh, c: catanh });
unaryFns.set('Floor', { f: Math.floor, int: id, big: (x) => x });
unaryFns.set('Ceil', { f: Math.ceil, int: id, big: (x) => x });
unaryFns.set('Round', { f: rint, int: id, big: (x) => x, c: (a, b) => [rint(a), rint(b)] });
unaryFns.set('Sigmoid', { f: sigmoid });
unaryFns.set('Erf', { f: erf });
unaryFns.set('ErfInv', { f: erfinv });
unaryFns.set('LogicalNot', { f: (x) => (x === 0 ? 1 : 0), big: (x) => (x === 0n ? 1n : 0n), cr: (a, b) => (a === 0 && b === 0 ? 1 : 0) });
unaryFns.set('BitwiseInvert', { int: (x, d) => (d.kind === 'b' ? (x ? 0 : 1) : ~x), big: (x, d) => wrapBig(~x, d) });
unaryFns.set('IsNaN', { f: (x) => (Number.isNaN(x) ? 1 : 0), int: () => 0, big: () => 0n, cr: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? 1 : 0) });
unaryFns.set('IsInf', {
  f: (x) => (x === Infinity || x === -Infinity ? 1 : 0),
  int: () => 0,
  big: () => 0n,
  cr: (a, b) => (Math.abs(a) === Infinity || Math.abs(b) === Infinity ? 1 : 0),
});
// A complex value is +-inf only when it equals +-inf + 0j (MLX compares it with the real inf).
unaryFns.set('IsPosInf', { f: (x) => (x === Infinity ? 1 : 0), int: () => 0, big: () => 0n, cr: (a, b) => (a === Infinity && b === 0 ? 1 : 0) });
unaryFns.set('IsNegInf', { f: (x) => (x === -Infinity ? 1 : 0), int: () => 0, big: () => 0n, cr: (a, b) => (a === -Infinity && b === 0 ? 1 : 0) });
unaryFns.set('IsFinite', {
  f: (x) => (Number.isFinite(x) ? 1 : 0),
  int: () => 1,
  big: () => 1n,
  cr: (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? 1 : 0),
});
unaryFns.set('Real', { f: id, big: (x) => x, cr: (a) => a });
unaryFns.set('Imag', { f: () => 0, big: () => 0n, cr: (_a, b) => b });
unaryFns.set('Conjugate', { f: id, big: (x) => x, c: (a, b) => [a, -b] });
unaryFns.set('StopGradient', { f: id, big: (x) => x, c: (a, b) => [a, b] });

/** Comparison over reals, bigints and (lexicographically, as MLX's complex64_t) complex. */
const cmpFns = (f: (a: number, b: number) => boolean, c: typeof cgt): BinaryFns => ({
  f: (a, b) => (f(a, b) ? 1 : 0),
  big: (a, b) => f(a < b ? -1 : a > b ? 1 : 0, 0),
  cr: (ar, ai, br, bi) => (c(ar, ai, br, bi) ? 1 : 0),
});

binaryFns.set('Add', { f: (a, b) => a + b, big: (a, b) => a + b, c: (ar, ai, br, bi) => [ar + br, ai + bi] });
binaryFns.set('Subtract', { f: (a, b) => a - b, big: (a, b) => a - b, c: (ar, ai, br, bi) => [ar - br, ai - bi] });
binaryFns.set('Multiply', { f: (a, b) => a * b, int: imulWrap, big: (a, b) => a * b, c: cmul });
binaryFns.set('Divide', { f: (a, b) => a / b, c: cdiv });
binaryFns.set('Power', {
  f: cPow,
  int: intPower,
  big: bigPower,
  // std::pow(z, w) = exp(w * log(z)) (so 0^0 is nan, as in MLX)
  c: (ar, ai, br, bi) => cexp(...cmul(br, bi, ...clog(ar, ai))),
});
// Complex floor_divide is a plain division in MLX (floor of a complex is the identity there).
binaryFns.set('FloorDivide', { f: floatFloorDiv, int: intFloorDiv, big: bigFloorDiv, c: cdiv });
binaryFns.set('Remainder', { f: floatRemainder, int: intRemainder, big: bigRemainder });
binaryFns.set('Maximum', {
  f: fmax,
  big: (a, b) => (a > b ? a : b),
  c: (ar, ai, br, bi) => (cnan(ar, ai) ? [ar, ai] : cgt(ar, ai, br, bi) ? [ar, ai] : [br, bi]),
});
binaryFns.set('Minimum', {
  f: fmin,
  big: (a, b) => (a < b ? a : b),
  c: (ar, ai, br, bi) => (cnan(ar, ai) ? [ar, ai] : cgt(br, bi, ar, ai) ? [ar, ai] : [br, bi]),
});
binaryFns.set('LogAddExp', {
  f: logaddexp,
  // MLX's formula: max + log1p(exp(min - max)), max/min in its lexicographic order
  c: (ar, ai, br, bi) => {
    const [mr, mi] = cnan(ar, ai) ? [ar, ai] : cgt(ar, ai, br, bi) ? [ar, ai] : [br, bi];
    const [nr, ni] = cnan(ar, ai) ? [ar, ai] : cgt(br, bi, ar, ai) ? [ar, ai] : [br, bi];
    if ((nr === -Infinity && ni === 0) || (mr === Infinity && mi === 0)) return [mr, mi];
    const [p, q] = clog1p(...cexp(nr - mr, ni - mi));
    return [mr + p, mi + q];
  },
});
binaryFns.set('ArcTan2', { f: Math.atan2 });
binaryFns.set('Equal', {
  f: (a, b) => (a === b ? 1 : 0),
  big: (a, b) => a === b,
  cr: (ar, ai, br, bi) => (ar === br && ai === bi ? 1 : 0),
});
binaryFns.set('NotEqual', {
  f: (a, b) => (a !== b ? 1 : 0),
  big: (a, b) => a !== b,
  cr: (ar, ai, br, bi) => (ar !== br || ai !== bi ? 1 : 0),
});
binaryFns.set('NaNEqual', {
  f: (a, b) => (a === b || (Number.isNaN(a) && Number.isNaN(b)) ? 1 : 0),
  big: (a, b) => a === b,
  cr: (ar, ai, br, bi) => ((ar === br || (Number.isNaN(ar) && Number.isNaN(br))) && (ai === bi || (Number.isNaN(ai) && Number.isNaN(bi))) ? 1 : 0),
});
binaryFns.set('Less', cmpFns((a, b) => a < b, (ar, ai, br, bi) => cgt(br, bi, ar, ai)));
binaryFns.set('LessEqual', cmpFns((a, b) => a <= b, (ar, ai, br, bi) => cge(br, bi, ar, ai)));
binaryFns.set('Greater', cmpFns((a, b) => a > b, cgt));
binaryFns.set('GreaterEqual', cmpFns((a, b) => a >= b, cge));
binaryFns.set('LogicalAnd', { f: (a, b) => bool(a) & bool(b), big: (a, b) => a !== 0n && b !== 0n });
binaryFns.set('LogicalOr', { f: (a, b) => bool(a) | bool(b), big: (a, b) => a !== 0n || b !== 0n });
binaryFns.set('BitwiseAnd', { int: (a, b) => a & b, big: (a, b) => a & b });
binaryFns.set('BitwiseOr', { int: (a, b) => a | b, big: (a, b) => a | b });
binaryFns.set('BitwiseXor', { int: (a, b) => a ^ b, big: (a, b) => a ^ b });
// Shift counts are masked to the register width as x86 does (C leaves larger counts undefined).
binaryFns.set('LeftShift', { int: (a, b) => a << b, big: (a, b, d) => wrapBig(a << (b & 63n), d) });
binaryFns.set('RightShift', {
  int: (a, b, d) => (d.kind === 'u' && d.size === 4 ? a >>> b : a >> b),
  big: (a, b, d) => wrapBig(a >> (b & 63n), d),
});

/** Registers every op in the tables; called once when the backend module loads. */
export function registerElementwiseKernels(): void {
  for (const [name, fns] of unaryFns) unaryKernel(name, fns);
  for (const [name, fns] of binaryFns) binaryKernel(name, fns);
}
registerElementwiseKernels();

// Select (mx.where): cond is bool; x and y arrive in the output dtype, all broadcast.
registerKernel('Select', (_p, [cond, x, y], [out]) => {
  const oc = offsetsOf(cond!);
  const ox = offsetsOf(x!);
  const oy = offsetsOf(y!);
  const c = elements(cond!) as Uint8Array;
  const lanes = out!.dtype.lanes;
  const dx = elements(x!) as Float32Array;
  const dy = elements(y!) as Float32Array;
  const dst = elements(out!) as Float32Array;
  // Raw storage units are copied, so every dtype (bigint, half bits, complex lanes) is exact.
  for (let i = 0; i < oc.length; i++) {
    const src = c[oc[i]!] ? dx : dy;
    const off = c[oc[i]!] ? ox[i]! : oy[i]!;
    for (let l = 0; l < lanes; l++) dst[i * lanes + l] = src[off * lanes + l]!;
  }
});

// DivMod: both outputs of floor division in one pass.
registerKernel('DivMod', (_p, [a, b], [q, r]) => {
  const div = binaryFns.get('FloorDivide')!;
  const rem = binaryFns.get('Remainder')!;
  const oa = offsetsOf(a!);
  const ob = offsetsOf(b!);
  const d = a!.dtype;
  if (isBigInt(d)) {
    const ra = bigintReader(d, elements(a!));
    const rb = bigintReader(d, elements(b!));
    const wq = bigintWriter(d, elements(q!));
    const wr = bigintWriter(d, elements(r!));
    for (let i = 0; i < oa.length; i++) {
      const x = ra(oa[i]!);
      const y = rb(ob[i]!);
      wq(i, div.big!(x, y, d) as bigint);
      wr(i, rem.big!(x, y, d) as bigint);
    }
    return;
  }
  const ra = numberReader(d, elements(a!));
  const rb = numberReader(d, elements(b!));
  const wq = numberWriter(d, elements(q!));
  const wr = numberWriter(d, elements(r!));
  const isInt = d.kind !== 'f' && d.kind !== 'V';
  for (let i = 0; i < oa.length; i++) {
    const x = ra(oa[i]!);
    const y = rb(ob[i]!);
    wq(i, isInt ? div.int!(x, y, d) : div.f!(x, y, d));
    wr(i, isInt ? rem.int!(x, y, d) : rem.f!(x, y, d));
  }
});
