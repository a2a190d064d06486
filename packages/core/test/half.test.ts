// float16 and bfloat16 conversions over all 65,536 bit patterns, against an exact reference
// written here independently: values as exact rationals (BigInt numerator / power of two), and
// rounding decided by comparing exact distances.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

interface Format {
  name: 'float16' | 'bfloat16';
  exp: number;
  man: number;
}
const formats: Format[] = [
  { name: 'float16', exp: 5, man: 10 },
  { name: 'bfloat16', exp: 8, man: 7 },
];

/** Exact value of a bit pattern as [sign, integer mantissa, power-of-two exponent], or null for NaN/Inf. */
function exact(bits: number, f: Format): { neg: boolean; m: bigint; e: number } | null {
  const bias = (1 << (f.exp - 1)) - 1;
  const e = (bits >> f.man) & ((1 << f.exp) - 1);
  const m = bits & ((1 << f.man) - 1);
  if (e === (1 << f.exp) - 1) return null;
  const neg = (bits & 0x8000) !== 0;
  if (e === 0) return { neg, m: BigInt(m), e: 1 - bias - f.man };
  return { neg, m: BigInt(m + (1 << f.man)), e: e - bias - f.man };
}

/** Exact double from the rational (every half value is exactly representable as a double). */
function toNumber(x: { neg: boolean; m: bigint; e: number }): number {
  return (x.neg ? -1 : 1) * Number(x.m) * 2 ** x.e;
}

const toBits = (name: Format['name'], v: number): number => mx.view(mx.array([v], mx.float64).astype(mx.dtypeFromName(name)), mx.uint16).item() as number;
const fromBits = (name: Format['name'], b: number): number => mx.view(mx.array([b], mx.uint16), mx.dtypeFromName(name)).astype(mx.float64).item() as number;

describe.each(formats)('$name over all 65,536 bit patterns', (f) => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const decoded = mx.view(mx.array(all, mx.uint16), mx.dtypeFromName(f.name)).astype(mx.float64).tolist() as number[];

  it('decodes every pattern exactly', () => {
    for (let b = 0; b < 65536; b++) {
      const x = exact(b, f);
      const got = decoded[b]!;
      if (x === null) {
        const mant = b & ((1 << f.man) - 1);
        if (mant === 0) expect(got).toBe(b & 0x8000 ? -Infinity : Infinity);
        else expect(Number.isNaN(got)).toBe(true);
      } else {
        expect(Object.is(got, toNumber(x)) || (got === 0 && toNumber(x) === 0 && Object.is(got, x.neg ? -0 : 0))).toBe(true);
      }
    }
  });

  it('re-encodes every value to the same pattern (NaNs stay NaN, signed zeros keep their sign)', () => {
    const back = mx.view(mx.array(decoded, mx.float64).astype(mx.dtypeFromName(f.name)), mx.uint16).tolist() as number[];
    for (let b = 0; b < 65536; b++) {
      if (Number.isNaN(decoded[b]!)) {
        const e = (back[b]! >> f.man) & ((1 << f.exp) - 1);
        expect(e === (1 << f.exp) - 1 && (back[b]! & ((1 << f.man) - 1)) !== 0).toBe(true);
      } else expect(back[b]).toBe(b);
    }
  });

  it('rounds every midpoint between neighbours to the even one', () => {
    // positive finite patterns b and b+1: the exact midpoint must go to the one with an even mantissa
    const maxFinite = ((1 << f.exp) - 1) << f.man;
    const mids: number[] = [];
    const want: number[] = [];
    for (let b = 0; b + 1 < maxFinite; b++) {
      const lo = toNumber(exact(b, f)!);
      const hi = toNumber(exact(b + 1, f)!);
      mids.push((lo + hi) / 2); // exact in double: halves have far fewer bits
      want.push(b % 2 === 0 ? b : b + 1);
      // just above and below the midpoint go to the nearer neighbour
    }
    const got = mx.view(mx.array(mids, mx.float64).astype(mx.dtypeFromName(f.name)), mx.uint16).tolist() as number[];
    expect(got).toEqual(want);
    const negGot = mx.view(mx.array(mids.map((v) => -v), mx.float64).astype(mx.dtypeFromName(f.name)), mx.uint16).tolist() as number[];
    expect(negGot).toEqual(want.map((w) => w | 0x8000));
  });

  it('overflows to infinity exactly at the rounding threshold', () => {
    const maxFinite = toNumber(exact((((1 << f.exp) - 1) << f.man) - 1, f)!);
    const ulp = 2 ** (Math.floor(Math.log2(maxFinite)) - f.man);
    const inf = ((1 << f.exp) - 1) << f.man;
    expect(toBits(f.name, maxFinite)).toBe(inf - 1);
    // the midpoint to the next (unrepresentable) value rounds to even, which is infinity
    expect(toBits(f.name, maxFinite + ulp / 2)).toBe(inf);
    expect(toBits(f.name, maxFinite + ulp / 2 - ulp / 1024)).toBe(inf - 1);
    expect(toBits(f.name, -Infinity)).toBe(inf | 0x8000);
  });

  it('handles subnormals and signed zero', () => {
    const tiny = toNumber(exact(1, f)!);
    expect(toBits(f.name, tiny)).toBe(1);
    expect(toBits(f.name, tiny / 2)).toBe(0); // ties to even: 0
    expect(toBits(f.name, (tiny * 3) / 2)).toBe(2); // ties to even: 2
    expect(toBits(f.name, tiny * 0.5000001)).toBe(1);
    expect(toBits(f.name, -0)).toBe(0x8000);
    expect(fromBits(f.name, 0x8000)).toBe(-0);
  });

  it('rounds random doubles to the nearest pattern (exact distance comparison)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e5, max: 1e5 }), (v) => {
        const b = toBits(f.name, v);
        const got = fromBits(f.name, b);
        if (!Number.isFinite(got)) return; // overflow checked above
        // no finite neighbour is strictly nearer
        for (const nb of [b + 1, b - 1]) {
          if ((nb & 0x7fff) >= (((1 << f.exp) - 1) << f.man) || nb < 0) continue;
          const other = fromBits(f.name, nb);
          expect(Math.abs(other - v)).toBeGreaterThanOrEqual(Math.abs(got - v));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
