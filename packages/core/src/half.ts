// float16 and bfloat16 <-> double with round-to-nearest-even, done on exact doubles
// (scaling by powers of two is exact) so there is no double rounding through float32.

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const f64 = new Float64Array(1);
const u32OfF64 = new Uint32Array(f64.buffer);

function signBit(x: number): number {
  f64[0] = x;
  return u32OfF64[1]! >>> 31;
}

/**
 * Encodes a double in a 16-bit float with `expBits` exponent and `manBits` mantissa bits,
 * rounding to nearest even. Shared by float16 (5, 10) and bfloat16 (8, 7).
 */
function encode16(x: number, expBits: number, manBits: number, nanBits: number): number {
  const sign = signBit(x) << 15;
  if (Number.isNaN(x)) return sign | nanBits;
  const a = Math.abs(x);
  const bias = (1 << (expBits - 1)) - 1;
  const expMax = (1 << expBits) - 1;
  const infBits = expMax << manBits;
  const minNormalExp = 1 - bias;
  if (a === Infinity) return sign | infBits;
  if (a < 2 ** minNormalExp) {
    // Subnormal (or zero): a multiple of 2^(minNormalExp - manBits); m == 2^manBits is the smallest normal.
    const m = roundHalfEven(a * 2 ** (manBits - minNormalExp));
    return sign | m;
  }
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one near powers of two; fix it exactly.
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  let mant = roundHalfEven((a / 2 ** e - 1) * 2 ** manBits);
  if (mant === 1 << manBits) {
    mant = 0;
    e += 1;
  }
  if (e + bias >= expMax) return sign | infBits;
  return sign | ((e + bias) << manBits) | mant;
}

function decode16(bits: number, expBits: number, manBits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const bias = (1 << (expBits - 1)) - 1;
  const expMax = (1 << expBits) - 1;
  const e = (bits >> manBits) & expMax;
  const m = bits & ((1 << manBits) - 1);
  if (e === expMax) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** (1 - bias - manBits);
  return sign * (1 + m / 2 ** manBits) * 2 ** (e - bias);
}

const halfTable = new Float64Array(65536);
const bf16Table = new Float64Array(65536);
for (let b = 0; b < 65536; b++) {
  halfTable[b] = decode16(b, 5, 10);
  bf16Table[b] = decode16(b, 8, 7);
}

/** float16 bits -> number (exact). */
export function halfToNumber(bits: number): number {
  return halfTable[bits & 0xffff]!;
}

/** number -> float16 bits, round to nearest even; NaN -> 0x7e00 with the input's sign. */
export function numberToHalf(x: number): number {
  return encode16(x, 5, 10, 0x7e00);
}

/** bfloat16 bits -> number (exact). */
export function bfloat16ToNumber(bits: number): number {
  return bf16Table[bits & 0xffff]!;
}

/** number -> bfloat16 bits, round to nearest even; NaN -> 0x7fc0 with the input's sign. */
export function numberToBfloat16(x: number): number {
  return encode16(x, 8, 7, 0x7fc0);
}
