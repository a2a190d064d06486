// Reading and writing single elements of host storage, per dtype, with MLX's conversion
// rules (C++ static_cast semantics: truncation toward zero, two's complement wrap, RNE for
// floats, nonzero -> true for bool). The one place where a JS value becomes stored bits.
import {
  Dtype,
  type StorageArray,
  bool,
  float16,
  bfloat16,
  float32,
  float64,
  complex64,
  uint64,
  int64,
  isBigInt,
} from './dtype.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from './half.js';

/** A complex value as node-mlx spells it. */
export interface Complex {
  re: number;
  im?: number;
}

export function Complex(re: number, im = 0): Complex {
  return { re, im };
}

export function isComplexValue(x: unknown): x is Complex {
  return typeof x === 'object' && x !== null && typeof (x as Complex).re === 'number' && !Array.isArray(x);
}

/** Wraps host bytes as the storage TypedArray of a dtype (no copy). */
export function typedView(dtype: Dtype, bytes: Uint8Array): StorageArray {
  const C = dtype.storage;
  return new C(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / C.BYTES_PER_ELEMENT));
}

/**
 * Reads element `i` (an index into storage units; complex reads lanes i and i+1) as a JS
 * number, bigint for 64-bit integers. Used by tolist/item and by reference kernels.
 */
export function numberReader(dtype: Dtype, data: StorageArray): (i: number) => number {
  if (dtype === float16) return (i) => halfToNumber((data as Uint16Array)[i]!);
  if (dtype === bfloat16) return (i) => bfloat16ToNumber((data as Uint16Array)[i]!);
  if (isBigInt(dtype)) return (i) => Number((data as BigInt64Array)[i]!);
  if (dtype === complex64) return (i) => (data as Float32Array)[2 * i]!;
  return (i) => (data as Float32Array)[i]!;
}

export function bigintReader(dtype: Dtype, data: StorageArray): (i: number) => bigint {
  if (isBigInt(dtype)) return (i) => (data as BigInt64Array)[i]!;
  const r = numberReader(dtype, data);
  return (i) => {
    const v = r(i);
    return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  };
}

/** Converts a double to a bigint the way static_cast<int64_t> does for in-range values. */
export function numberToBigInt(v: number): bigint {
  if (!Number.isFinite(v)) return 0n;
  return BigInt(Math.trunc(v));
}

/** Writes a number into element `i` with MLX's cast semantics for `dtype`. */
export function numberWriter(dtype: Dtype, data: StorageArray): (i: number, v: number) => void {
  if (dtype === float16) return (i, v) => ((data as Uint16Array)[i] = numberToHalf(v));
  if (dtype === bfloat16) return (i, v) => ((data as Uint16Array)[i] = numberToBfloat16(v));
  if (dtype === bool) return (i, v) => ((data as Uint8Array)[i] = v !== 0 ? 1 : 0);
  if (isBigInt(dtype)) return (i, v) => ((data as BigInt64Array)[i] = numberToBigInt(v));
  if (dtype === complex64) {
    return (i, v) => {
      (data as Float32Array)[2 * i] = v;
      (data as Float32Array)[2 * i + 1] = 0;
    };
  }
  if (dtype === float32 || dtype === float64) return (i, v) => ((data as Float32Array)[i] = v);
  // Integer TypedArray stores apply ToInt*: truncation then modular wrap, as C does.
  // NaN and infinities store 0 (undefined behaviour in C; never relied upon).
  return (i, v) => ((data as Int32Array)[i] = v);
}

export function bigintWriter(dtype: Dtype, data: StorageArray): (i: number, v: bigint) => void {
  if (isBigInt(dtype)) return (i, v) => ((data as BigInt64Array)[i] = v);
  if (dtype === bool) return (i, v) => ((data as Uint8Array)[i] = v !== 0n ? 1 : 0);
  if (dtype.kind === 'u' || dtype.kind === 'i') {
    const bits = dtype.size * 8;
    const w = numberWriter(dtype, data);
    return (i, v) => w(i, Number(BigInt.asIntN(bits, v)));
  }
  const w = numberWriter(dtype, data);
  return (i, v) => w(i, Number(v));
}

/** Converts one stored element to the JS value that item()/tolist() return. */
export function elementToJs(dtype: Dtype, data: StorageArray, i: number): number | boolean | bigint | Complex {
  switch (dtype) {
    case bool:
      return (data as Uint8Array)[i] !== 0;
    case float16:
      return halfToNumber((data as Uint16Array)[i]!);
    case bfloat16:
      return bfloat16ToNumber((data as Uint16Array)[i]!);
    case complex64:
      return { re: (data as Float32Array)[2 * i]!, im: (data as Float32Array)[2 * i + 1]! };
    case int64:
    case uint64: {
      // Exact: a number where it is safe, a bigint beyond 2^53.
      const v = (data as BigInt64Array)[i]!;
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    }
    default:
      return (data as Float32Array)[i]!;
  }
}
