// Printing arrays exactly as MLX's Python repr does (mlx/utils.cpp print_array, with the
// Python binding's capitalised booleans):
//   - `array(<elements>, dtype=<name>)`; no column alignment or padding;
//   - every axis longer than 6 is summarised as its first 3 entries, `...`, its last 3,
//     whatever the total size;
//   - nested rows are separated by ",\n" and indented by 7 + depth spaces;
//   - floats use C++ iostream defaults (printf "%g", 6 significant digits, exact value of the
//     stored float rounded half-to-even), or "%.<p>f" after setPrintoptions({ precision: p });
//     half floats and float32 print the double value of the stored element;
//   - NaN prints its sign bit ("-nan"), -0 prints "-0", complex is `re+imj` / `re-imj`.
import { MxArray, hostElements } from './array.js';
import { bool, float16, bfloat16, float32, float64, complex64, int64, uint64, type StorageArray } from './dtype.js';
import { halfToNumber, bfloat16ToNumber } from './half.js';
import { shapeToString } from './shape.js';

// ---- print options (mx.set_printoptions / get_printoptions / printoptions) ----

/** MLX's PrintOptions: `precision` is the number of decimal places; -1 is the default format. */
export interface PrintOptions {
  precision: number;
}

let printPrecision = -1;

/**
 * Sets the global print precision (MLX's `set_printoptions`). A precision `p >= 0` prints
 * floats in fixed notation with `p` decimals; -1 (the default, also what `setPrintoptions()`
 * restores) prints 6 significant digits in the shortest of fixed or scientific notation.
 */
export function setPrintoptions(options: number | Partial<PrintOptions> = {}): void {
  const p = typeof options === 'number' ? options : (options.precision ?? -1);
  if (!Number.isInteger(p)) throw new TypeError(`[setPrintoptions] precision must be an integer, got ${String(p)}.`);
  printPrecision = p;
}

/** The global print options (MLX's `get_printoptions`). */
export function getPrintoptions(): PrintOptions {
  return { precision: printPrecision };
}

/**
 * Runs `fn` with a temporary print precision and restores the previous one afterwards
 * (MLX's `with mx.printoptions(precision=...)` context manager).
 */
export function printoptions<T>(options: number | Partial<PrintOptions>, fn: () => T): T {
  const old = printPrecision;
  setPrintoptions(options);
  try {
    return fn();
  } finally {
    printPrecision = old;
  }
}

// ---- exact decimal formatting of doubles (glibc printf semantics) ----

const dv = new DataView(new ArrayBuffer(8));
const pow5Cache: bigint[] = [1n];
function pow5(k: number): bigint {
  while (pow5Cache.length <= k) pow5Cache.push(pow5Cache[pow5Cache.length - 1]! * 5n);
  return pow5Cache[k]!;
}

/** The exact decimal value of a finite positive double: `digits` x 10^exp10, no trailing zeros. */
function exactDecimal(a: number): { digits: string; exp10: number } {
  dv.setFloat64(0, a);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (e === 0) exp2 = -1074;
  else {
    m |= 1n << 52n;
    exp2 = e - 1075;
  }
  let s: string;
  let exp10 = 0;
  if (exp2 >= 0) s = (m << BigInt(exp2)).toString();
  else {
    // m * 2^exp2 == m * 5^-exp2 * 10^exp2: exact.
    s = (m * pow5(-exp2)).toString();
    exp10 = exp2;
  }
  let end = s.length;
  while (end > 1 && s.charCodeAt(end - 1) === 48) end--;
  return { digits: s.slice(0, end), exp10: exp10 + (s.length - end) };
}

/**
 * Keeps the first `keep` (>= 1) digits of a decimal digit string, rounding the dropped tail
 * half-to-even on the exact value (as glibc printf does). The result may be one digit longer
 * when rounding carries (999 -> 1000).
 */
function roundKeep(s: string, keep: number): string {
  if (s.length <= keep) return s + '0'.repeat(keep - s.length);
  const kept = s.slice(0, keep);
  const first = s.charCodeAt(keep) - 48;
  let up = first > 5;
  if (first === 5) {
    const restNonzero = /[1-9]/.test(s.slice(keep + 1));
    up = restNonzero || (kept.charCodeAt(keep - 1) - 48) % 2 === 1;
  }
  if (!up) return kept;
  const inc = (BigInt(kept) + 1n).toString();
  return inc.padStart(kept.length, '0');
}

function special(x: number, nanNeg: boolean): string | null {
  if (Number.isNaN(x)) return nanNeg ? '-nan' : 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** printf("%.<P>g") without the '#' flag: C++ `os << value` with the default precision 6. */
export function formatGeneral(x: number, nanNeg = false, P = 6): string {
  const sp = special(x, nanNeg);
  if (sp !== null) return sp;
  if (P === 0) P = 1;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (a === 0) return sign + '0';
  const { digits, exp10 } = exactDecimal(a);
  let X = digits.length - 1 + exp10;
  let R = roundKeep(digits, P);
  if (R.length > P) {
    R = R.slice(0, P);
    X += 1;
  }
  if (X < P && X >= -4) {
    let int: string;
    let frac: string;
    if (X >= 0) {
      int = R.slice(0, X + 1);
      frac = R.slice(X + 1);
    } else {
      int = '0';
      frac = '0'.repeat(-X - 1) + R;
    }
    frac = frac.replace(/0+$/, '');
    return sign + (frac ? `${int}.${frac}` : int);
  }
  const frac = R.slice(1).replace(/0+$/, '');
  const e = Math.abs(X);
  return `${sign}${R[0]}${frac ? '.' + frac : ''}e${X < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

/** printf("%.<p>f"): C++ `os << std::fixed << std::setprecision(p) << value`. */
export function formatFixed(x: number, p: number, nanNeg = false): string {
  const sp = special(x, nanNeg);
  if (sp !== null) return sp;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  const zeros = (n: number) => '0'.repeat(n);
  const join = (int: string, frac: string) => sign + (p > 0 ? `${int}.${frac}` : int);
  if (a === 0) return join('0', zeros(p));
  const { digits, exp10 } = exactDecimal(a);
  if (exp10 >= 0) return join(digits + zeros(exp10), zeros(p));
  const F = -exp10;
  const s = digits.padStart(F + 1, '0');
  const intLen = s.length - F;
  if (F <= p) return join(s.slice(0, intLen), s.slice(intLen) + zeros(p - F));
  const r = roundKeep(s, intLen + p);
  const newInt = r.length - p;
  return join(r.slice(0, newInt).replace(/^0+(?=\d)/, ''), r.slice(newInt));
}

function formatFloat(x: number, nanNeg: boolean): string {
  if (printPrecision === -1) return formatGeneral(x, nanNeg);
  // libstdc++ treats any other negative precision as the default 6 (in fixed notation).
  return formatFixed(x, printPrecision < 0 ? 6 : printPrecision, nanNeg);
}

// ---- element readers ----

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A function that formats element `i` (an element index into storage) as MLX prints it. */
function elementFormatter(a: MxArray, data: StorageArray): (i: number) => string {
  const dt = a._dtype;
  const u32 = () => new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
  switch (dt) {
    case bool:
      return (i) => (data[i] ? 'True' : 'False');
    case int64:
    case uint64:
      return (i) => String(data[i]);
    case float16:
    case bfloat16: {
      const conv = dt === float16 ? halfToNumber : bfloat16ToNumber;
      const bits = data as Uint16Array;
      return (i) => formatFloat(conv(bits[i]!), (bits[i]! & 0x8000) !== 0);
    }
    case float32: {
      const f = data as Float32Array;
      const b = u32();
      return (i) => formatFloat(f[i]!, b[i]! >>> 31 === 1);
    }
    case float64: {
      const f = data as Float64Array;
      const b = u32();
      const hi = littleEndian ? 1 : 0;
      return (i) => formatFloat(f[i]!, b[2 * i + hi]! >>> 31 === 1);
    }
    case complex64: {
      const f = data as Float32Array;
      const b = u32();
      return (i) => {
        const re = f[2 * i]!;
        const im = f[2 * i + 1]!;
        const imNanNeg = b[2 * i + 1]! >>> 31 === 1;
        const head = formatFloat(re, b[2 * i]! >>> 31 === 1);
        // MLX: '+' for im >= 0 (so -0 prints "+-0") and for any NaN (so "+-nan").
        if (im >= 0 || Number.isNaN(im)) return `${head}+${formatFloat(im, imNanNeg)}j`;
        return `${head}-${formatFloat(-im, false)}j`;
      };
    }
    default:
      return (i) => String(data[i]);
  }
}

// ---- the array printer ----

const NUM_PRINT = 3;

function formatArray(a: MxArray): string {
  a._check();
  const { data, offset, strides } = hostElements(a);
  const fmt = elementFormatter(a, data);
  const shape = a._shape;
  const nd = shape.length;
  const parts: string[] = ['array('];
  const sub = (dim: number, base: number): void => {
    const n = shape[dim]!;
    const st = strides[dim]!;
    const last = dim === nd - 1;
    const prefix = last ? '' : ' '.repeat(7 + dim);
    const postfix = last ? ', ' : ',\n';
    parts.push('[');
    for (let i = 0; i < n; i++) {
      if (i > 0) parts.push(prefix);
      if (i === NUM_PRINT && n > 2 * NUM_PRINT) {
        parts.push('...');
        i = n - NUM_PRINT - 1;
      } else if (last) {
        parts.push(fmt(base + i * st));
      } else {
        sub(dim + 1, base + i * st);
      }
      if (i !== n - 1) parts.push(postfix);
    }
    parts.push(']');
  };
  if (nd === 0) parts.push(fmt(offset));
  else sub(0, offset);
  parts.push(`, dtype=${a._dtype.name})`);
  return parts.join('');
}

declare module './array.js' {
  interface MxArray {
    /**
     * MLX's `repr(a)`, e.g. `array([[1.5, 2],\n       [3, 4]], dtype=float32)`. Evaluates
     * the array. MLX defines no separate `__str__`, so `str(a)` is this same string.
     */
    toString(): string;
  }
}

Object.assign(MxArray.prototype, {
  toString(this: MxArray): string {
    return formatArray(this);
  },
  // console.log / util.inspect in Node print the MLX repr.
  [Symbol.for('nodejs.util.inspect.custom')](this: MxArray): string {
    if (this._disposed) return `array(<disposed>, shape=${shapeToString(this._shape)}, dtype=${this._dtype.name})`;
    return formatArray(this);
  },
});
