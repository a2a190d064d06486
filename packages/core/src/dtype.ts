// The 14 dtypes of MLX, their categories and MLX's promotion table (mlx/dtype.cpp).

export type DtypeKind = 'b' | 'u' | 'i' | 'f' | 'V' | 'c';

/** The JS storage of one dtype: which TypedArray holds its elements. */
export type StorageArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

export type StorageCtor = {
  new (length: number): StorageArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): StorageArray;
  readonly BYTES_PER_ELEMENT: number;
};

export class Dtype {
  /** @internal index into the promotion table, in MLX's order. */
  readonly index: number;
  /** Bytes per element. */
  readonly size: number;
  readonly name: string;
  /** @internal NumPy-style kind character as MLX has it ('V' for bfloat16). */
  readonly kind: DtypeKind;
  /** @internal TypedArray used to store elements (complex64: 2 float32 per element). */
  readonly storage: StorageCtor;
  /** @internal storage elements per array element (2 for complex64). */
  readonly lanes: number;

  /** @internal */
  constructor(index: number, name: string, size: number, kind: DtypeKind, storage: StorageCtor, lanes = 1) {
    this.index = index;
    this.name = name;
    this.size = size;
    this.kind = kind;
    this.storage = storage;
    this.lanes = lanes;
  }

  toString(): string {
    return `mlx.core.${this.name}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export const bool = new Dtype(0, 'bool', 1, 'b', Uint8Array);
export const bool_ = bool;
export const uint8 = new Dtype(1, 'uint8', 1, 'u', Uint8Array);
export const uint16 = new Dtype(2, 'uint16', 2, 'u', Uint16Array);
export const uint32 = new Dtype(3, 'uint32', 4, 'u', Uint32Array);
export const uint64 = new Dtype(4, 'uint64', 8, 'u', BigUint64Array as unknown as StorageCtor);
export const int8 = new Dtype(5, 'int8', 1, 'i', Int8Array);
export const int16 = new Dtype(6, 'int16', 2, 'i', Int16Array);
export const int32 = new Dtype(7, 'int32', 4, 'i', Int32Array);
export const int64 = new Dtype(8, 'int64', 8, 'i', BigInt64Array as unknown as StorageCtor);
export const float16 = new Dtype(9, 'float16', 2, 'f', Uint16Array);
export const float32 = new Dtype(10, 'float32', 4, 'f', Float32Array);
export const float64 = new Dtype(11, 'float64', 8, 'f', Float64Array);
export const bfloat16 = new Dtype(12, 'bfloat16', 2, 'V', Uint16Array);
export const complex64 = new Dtype(13, 'complex64', 8, 'c', Float32Array, 2);

/** All dtypes in MLX's order (the order of the promotion table). */
export const allDtypes: readonly Dtype[] = [
  bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64,
];

// prettier-ignore
const T = [bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64];
const [b_, u8, u16, u32, u64, i8, i16, i32, i64, f16, f32, f64, bf16, c64] = T;
// prettier-ignore
const promotionTable: Dtype[][] = [
  /* bool     */ [b_,  u8,  u16, u32, u64, i8,  i16, i32, i64, f16, f32, f64, bf16, c64],
  /* uint8    */ [u8,  u8,  u16, u32, u64, i16, i16, i32, i64, f16, f32, f64, bf16, c64],
  /* uint16   */ [u16, u16, u16, u32, u64, i32, i32, i32, i64, f16, f32, f64, bf16, c64],
  /* uint32   */ [u32, u32, u32, u32, u64, i64, i64, i64, i64, f16, f32, f64, bf16, c64],
  /* uint64   */ [u64, u64, u64, u64, u64, f32, f32, f32, f32, f16, f32, f64, bf16, c64],
  /* int8     */ [i8,  i16, i32, i64, f32, i8,  i16, i32, i64, f16, f32, f64, bf16, c64],
  /* int16    */ [i16, i16, i32, i64, f32, i16, i16, i32, i64, f16, f32, f64, bf16, c64],
  /* int32    */ [i32, i32, i32, i64, f32, i32, i32, i32, i64, f16, f32, f64, bf16, c64],
  /* int64    */ [i64, i64, i64, i64, f32, i64, i64, i64, i64, f16, f32, f64, bf16, c64],
  /* float16  */ [f16, f16, f16, f16, f16, f16, f16, f16, f16, f16, f32, f64, f32,  c64],
  /* float32  */ [f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f64, f32,  c64],
  /* float64  */ [f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64,  c64],
  /* bfloat16 */ [bf16,bf16,bf16,bf16,bf16,bf16,bf16,bf16,bf16,f32, f32, f64, bf16, c64],
  /* complex64*/ [c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64,  c64],
];

/** MLX's promote_types: the dtype two arrays are computed in. */
export function promoteTypes(a: Dtype, b: Dtype): Dtype {
  return promotionTable[a.index]![b.index]!;
}

/** The result dtype of several arrays (left fold of promoteTypes). */
export function resultType(...dtypes: Dtype[]): Dtype {
  if (dtypes.length === 0) throw new TypeError('resultType: expected at least one dtype');
  return dtypes.reduce(promoteTypes);
}

/** A node in MLX's dtype category tree (complexfloating, floating, ... generic). */
export class DtypeCategory {
  /** @internal */
  readonly index: number;
  readonly name: string;
  /** @internal */
  constructor(index: number, name: string) {
    this.index = index;
    this.name = name;
  }
  toString(): string {
    return `mlx.core.${this.name}`;
  }
}

export const complexfloating = new DtypeCategory(0, 'complexfloating');
export const floating = new DtypeCategory(1, 'floating');
export const inexact = new DtypeCategory(2, 'inexact');
export const signedinteger = new DtypeCategory(3, 'signedinteger');
export const unsignedinteger = new DtypeCategory(4, 'unsignedinteger');
export const integer = new DtypeCategory(5, 'integer');
export const number = new DtypeCategory(6, 'number');
export const generic = new DtypeCategory(7, 'generic');

const categories = [complexfloating, floating, inexact, signedinteger, unsignedinteger, integer, number, generic];

// prettier-ignore
const subcategory: boolean[][] = [
  // complexfloating floating inexact signedinteger unsignedinteger integer number generic
  [true,  false, true,  false, false, false, true,  true], // complexfloating
  [false, true,  true,  false, false, false, true,  true], // floating
  [false, false, true,  false, false, false, true,  true], // inexact
  [false, false, false, true,  false, true,  true,  true], // signedinteger
  [false, false, false, false, true,  true,  true,  true], // unsignedinteger
  [false, false, false, false, false, true,  true,  true], // integer
  [false, false, false, false, false, false, true,  true], // number
  [false, false, false, false, false, false, false, true], // generic
];

function categoryOf(d: Dtype): DtypeCategory {
  switch (d.kind) {
    case 'b':
      return generic;
    case 'u':
      return unsignedinteger;
    case 'i':
      return signedinteger;
    case 'f':
    case 'V':
      return floating;
    case 'c':
      return complexfloating;
  }
}

/** MLX's issubdtype over dtypes and categories. */
export function issubdtype(a: Dtype | DtypeCategory, b: Dtype | DtypeCategory): boolean {
  if (!(a instanceof Dtype || a instanceof DtypeCategory)) {
    throw new TypeError(`issubdtype: argument 'a' must be a Dtype or DtypeCategory, got ${String(a)}`);
  }
  if (!(b instanceof Dtype || b instanceof DtypeCategory)) {
    throw new TypeError(`issubdtype: argument 'b' must be a Dtype or DtypeCategory, got ${String(b)}`);
  }
  if (a instanceof Dtype && b instanceof Dtype) return a === b;
  if (a instanceof DtypeCategory && b instanceof Dtype) return false;
  const ca = a instanceof Dtype ? categoryOf(a) : a;
  return subcategory[ca.index]![(b as DtypeCategory).index]!;
}

export const isFloating = (d: Dtype): boolean => d.kind === 'f' || d.kind === 'V';
export const isInteger = (d: Dtype): boolean => d.kind === 'u' || d.kind === 'i';
export const isInexact = (d: Dtype): boolean => isFloating(d) || d.kind === 'c';
export const isBigInt = (d: Dtype): boolean => d === int64 || d === uint64;
export const isComplex = (d: Dtype): boolean => d.kind === 'c';

/** Integer range of an integer dtype (MLX's iinfo), as bigint to stay exact for 64 bits. */
export function iinfo(d: Dtype): { min: bigint; max: bigint; bits: number } {
  if (!isInteger(d) && d !== bool) throw new TypeError(`iinfo: ${d.name} is not an integer dtype`);
  const bits = d.size * 8;
  if (d === bool) return { min: 0n, max: 1n, bits: 8 };
  if (d.kind === 'u') return { min: 0n, max: (1n << BigInt(bits)) - 1n, bits };
  return { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n, bits };
}

/** Float limits (MLX's finfo). */
export function finfo(d: Dtype): { min: number; max: number; eps: number; dtype: Dtype } {
  switch (d) {
    case float16:
      return { min: -65504, max: 65504, eps: 2 ** -10, dtype: d };
    case bfloat16:
      return { min: -3.3895313892515355e38, max: 3.3895313892515355e38, eps: 2 ** -7, dtype: d };
    case float32:
    case complex64:
      return { min: -3.4028234663852886e38, max: 3.4028234663852886e38, eps: 2 ** -23, dtype: d === complex64 ? float32 : d };
    case float64:
      return { min: -Number.MAX_VALUE, max: Number.MAX_VALUE, eps: Number.EPSILON, dtype: d };
    default:
      throw new TypeError(`finfo: ${d.name} is not an inexact dtype`);
  }
}

export function dtypeFromName(name: string): Dtype {
  const d = allDtypes.find((x) => x.name === name);
  if (!d) throw new TypeError(`Unknown dtype '${name}'; expected one of ${allDtypes.map((x) => x.name).join(', ')}`);
  return d;
}

export function isDtype(x: unknown): x is Dtype {
  return x instanceof Dtype;
}

export { categories as allCategories };

/**
 * MLX's can_cast: whether `from` (a dtype, or an array's dtype) promotes to `to` unchanged,
 * i.e. promoteTypes(from, to) is `to`.
 */
export function canCast(from: Dtype | { readonly dtype: Dtype }, to: Dtype): boolean {
  const f = from instanceof Dtype ? from : from && typeof from === 'object' && from.dtype instanceof Dtype ? from.dtype : null;
  if (!f) throw new TypeError('[can_cast] `from_` must be an array or a dtype.');
  if (!(to instanceof Dtype)) throw new TypeError(`[can_cast] \`to\` must be a dtype, got ${String(to)}.`);
  return promoteTypes(f, to) === to;
}

/** The Array API's kind names (isdtype) and the categories they stand for. */
const kinds: Record<string, (d: Dtype) => boolean> = {
  bool: (d) => d === bool,
  'signed integer': (d) => issubdtype(d, signedinteger),
  'unsigned integer': (d) => issubdtype(d, unsignedinteger),
  integral: (d) => issubdtype(d, integer),
  'real floating': (d) => issubdtype(d, floating),
  'complex floating': (d) => issubdtype(d, complexfloating),
  numeric: (d) => issubdtype(d, number),
};

/**
 * The Array API's isdtype: whether `dtype` is `kind` — a dtype, one of the kind names 'bool',
 * 'signed integer', 'unsigned integer', 'integral', 'real floating', 'complex floating',
 * 'numeric', or a list of these (any of them).
 */
export function isdtype(dtype: Dtype, kind: Dtype | string | (Dtype | string)[]): boolean {
  if (!(dtype instanceof Dtype)) throw new TypeError(`[isdtype] dtype must be a Dtype, got ${String(dtype)}.`);
  const one = (k: unknown): boolean => {
    if (k instanceof Dtype) return dtype === k;
    if (typeof k === 'string') {
      const test = Object.prototype.hasOwnProperty.call(kinds, k) ? kinds[k] : undefined;
      if (!test) throw new Error(`[isdtype] Unknown data type kind: '${k}'.`);
      return test(dtype);
    }
    throw new TypeError('[isdtype] `kind` must be a dtype, a string, or a list of dtypes and strings.');
  };
  return Array.isArray(kind) ? kind.some(one) : one(kind);
}
