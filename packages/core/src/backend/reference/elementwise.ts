// Elementwise kernels. Inputs arrive broadcast (stride-0 views) and, for binary ops, in one
// common dtype chosen by the op; the output may differ (comparisons give bool). Values are
// computed in double (or bigint for 64-bit integers, pairs for complex64) and stored with
// the output dtype's rounding/wrapping (elements.ts).
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import { complex64, isBigInt, type Dtype } from '../../dtype.js';
import { numberReader, numberWriter, bigintReader, bigintWriter } from '../../elements.js';

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
  f?: (a: number, b: number) => number;
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
    const f = isInt && fns.int ? (x: number, y: number) => fns.int!(x, y, inD) : fns.f;
    if (!f) throw new TypeError(`[${name}] dtype ${inD.name} is not supported.`);
    for (let i = 0; i < n; i++) w(i, f(ra(oa[i]!), rb(ob[i]!)));
  });
}

// ---- the op tables ----

/** Wraps an integer result to the dtype's width, for ops whose double result may exceed 2^53. */
const imulWrap = (a: number, b: number, d: Dtype): number => (d.kind === 'u' && d.size === 4 ? Math.imul(a, b) >>> 0 : Math.imul(a, b));

unaryFns.set('Negative', { f: (x) => -x, big: (x) => -x, c: (re, im) => [-re, -im] });
unaryFns.set('Exp', {
  f: Math.exp,
  c: (re, im) => {
    const e = Math.exp(re);
    return [e * Math.cos(im), e * Math.sin(im)];
  },
});

binaryFns.set('Add', { f: (a, b) => a + b, big: (a, b) => a + b, c: (ar, ai, br, bi) => [ar + br, ai + bi] });
binaryFns.set('Subtract', { f: (a, b) => a - b, big: (a, b) => a - b, c: (ar, ai, br, bi) => [ar - br, ai - bi] });
binaryFns.set('Multiply', {
  f: (a, b) => a * b,
  int: imulWrap,
  big: (a, b) => a * b,
  c: (ar, ai, br, bi) => [ar * br - ai * bi, ar * bi + ai * br],
});

/** Registers every op in the tables; called once when the backend module loads. */
export function registerElementwiseKernels(): void {
  for (const [name, fns] of unaryFns) unaryKernel(name, fns);
  for (const [name, fns] of binaryFns) binaryKernel(name, fns);
}
registerElementwiseKernels();
