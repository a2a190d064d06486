// NumPy's .npy format (versions 1-3). Written byte for byte as MLX's mx.save writes it;
// read the way NumPy writes it: any byte order (converted to native), C or Fortran order
// (returned in C order), the header parsed as the Python literal it is.
import type { MxArray } from '../../array.js';
import { Dtype, bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64 } from '../../dtype.js';
import type { StreamOrDevice } from '../../device.js';
import {
  type ByteSource,
  ByteWriter,
  FormatError,
  arrayBytes,
  arrayFromFill,
  arrayFromSource,
  checkedNbytes,
  decodeUtf8,
  encodeUtf8,
  gatherBytes,
  swapBytes,
} from './bytes.js';

const latin1 = new TextDecoder('latin1');
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The array-protocol type string MLX writes: '|b1', '<i4', '<V2' (bfloat16), '<c8'. */
export function npyDescr(dtype: Dtype): string {
  return (dtype.size > 1 ? '<' : '|') + dtype.kind + dtype.size;
}

const byCode: Record<string, Dtype> = {
  b1: bool,
  u1: uint8,
  u2: uint16,
  u4: uint32,
  u8: uint64,
  i1: int8,
  i2: int16,
  i4: int32,
  i8: int64,
  f2: float16,
  f4: float32,
  f8: float64,
  c8: complex64,
  V2: bfloat16, // how MLX and ml_dtypes write bfloat16
};

/** Parses a descr into a dtype and whether its bytes are big-endian. */
export function dtypeFromDescr(descr: unknown, label: string): { dtype: Dtype; bigEndian: boolean } {
  if (typeof descr !== 'string') {
    throw new FormatError(`${label}: the header's 'descr' is ${JSON.stringify(descr)}; only plain dtypes are supported, not structured ones.`);
  }
  const m = /^([<>|=]?)([a-zA-Z]\d+)$/.exec(descr);
  const dtype = m ? byCode[m[2]!] : undefined;
  if (!m || !dtype) {
    throw new FormatError(
      `${label}: unsupported dtype '${descr}' (MLX supports ${Object.keys(byCode).join(', ')} with byte order <, >, | or =).`,
    );
  }
  return { dtype, bigEndian: m[1] === '>' && dtype.size > 1 };
}

/** The header MLX's save writes, padding quirk included, so that our files equal MLX's. */
function npyHeader(dtype: Dtype, shape: readonly number[], fortran: boolean): Uint8Array {
  let dict = `{'descr': '${npyDescr(dtype)}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (`;
  for (const d of shape) dict += `${d}, `;
  dict += ')}';
  const isV1 = dict.length + 15 < 0xffff;
  const padding = (6 + 2 + (2 + 2 * (isV1 ? 1 : 0)) + dict.length + 1) % 16;
  const text = encodeUtf8(dict + ' '.repeat(padding) + '\n');
  const w = new ByteWriter();
  for (const b of MAGIC) w.u8(b);
  w.u8(isV1 ? 1 : 2);
  w.u8(0);
  if (isV1) w.u16(text.byteLength);
  else w.u32(text.byteLength);
  w.bytes(text);
  return w.result();
}

/** The .npy file of one array as chunks: header, then the element bytes (a view of storage). */
export function npyChunks(a: MxArray, op: string): Uint8Array[] {
  const { bytes, colMajor } = arrayBytes(a, op, true);
  return [npyHeader(a._dtype, a._shape, colMajor), bytes];
}

/**
 * Reads the .npy held in bytes [start, start + length) of `src`. Element bytes go straight
 * from the source into the array's storage; Fortran-order data is read into memory and
 * gathered into C order (one copy).
 */
export function readNpy(src: ByteSource, start: number, length: number, label: string, s: StreamOrDevice): MxArray {
  if (length < 10) throw new FormatError(`${label}: too short to be a .npy file (${length} bytes).`);
  const pre = src.bytes(start, Math.min(length, 12));
  for (let i = 0; i < 6; i++) {
    if (pre[i] !== MAGIC[i]) throw new FormatError(`${label}: invalid .npy header (bad magic: not a NumPy .npy file).`);
  }
  const version = pre[6]!;
  if (version < 1 || version > 3) throw new FormatError(`${label}: unsupported .npy format version ${version}.${pre[7]}.`);
  const lenBytes = version === 1 ? 2 : 4;
  if (length < 8 + lenBytes) throw new FormatError(`${label}: the .npy header is truncated.`);
  const dv = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
  const headerLen = version === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > length) {
    throw new FormatError(`${label}: the .npy header claims ${headerLen} bytes but the input has only ${length - 8 - lenBytes} after the preamble (truncated?).`);
  }
  // Versions 1 and 2 are latin-1 by the spec, 3 is UTF-8; all real headers are ASCII.
  const headerBytes = src.bytes(start + 8 + lenBytes, headerLen);
  const text = version === 3 ? decodeUtf8(headerBytes, label, 'the .npy header') : latin1.decode(headerBytes);
  const header = parsePyLiteral(text, label);
  if (typeof header !== 'object' || header === null || Array.isArray(header) || header instanceof PyTuple) {
    throw new FormatError(`${label}: the .npy header is not a dict: ${text.trim()}`);
  }
  const h = header as Record<string, PyValue>;
  for (const k of ['descr', 'fortran_order', 'shape']) {
    if (!(k in h)) throw new FormatError(`${label}: the .npy header lacks '${k}': ${text.trim()}`);
  }
  const { dtype, bigEndian } = dtypeFromDescr(h.descr, label);
  if (typeof h.fortran_order !== 'boolean') throw new FormatError(`${label}: 'fortran_order' must be True or False, got ${text.trim()}`);
  if (!(h.shape instanceof PyTuple)) throw new FormatError(`${label}: 'shape' must be a tuple of integers, got ${text.trim()}`);
  const shape = h.shape.items as number[];
  const nbytes = checkedNbytes(shape, dtype.size, length - dataStart, label, 'the array');
  const swapWidth = bigEndian ? (dtype === complex64 ? 4 : dtype.size) : 0;
  if (!h.fortran_order || shape.length < 2) return arrayFromSource(src, start + dataStart, shape, dtype, s, swapWidth);
  // Fortran order: gather the bytes into C order (a byte move: NaN payloads stay as they are).
  const fortran = src.bytes(start + dataStart, nbytes);
  return arrayFromFill(shape, dtype, s, (dest) => {
    const fStrides: number[] = [];
    for (let i = 0, acc = 1; i < shape.length; acc *= shape[i]!, i++) fStrides.push(acc);
    gatherBytes(fortran, shape, fStrides, 0, dtype.size, dest);
    if (swapWidth > 1) swapBytes(dest, swapWidth);
  });
}

// ---- the header: a Python literal (dict of str, bool, int and tuples) ----

class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
type PyValue = string | number | boolean | null | PyValue[] | PyTuple | { [k: string]: PyValue };

function parsePyLiteral(text: string, label: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new FormatError(`${label}: can't parse the .npy header (${what} at character ${i}): ${text.trim()}`);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (depth: number): PyValue => {
    if (depth > 8) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: PyValue } = {};
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return obj;
        }
        const k = value(depth + 1);
        if (typeof k !== 'string') fail('a non-string key');
        ws();
        if (text[i++] !== ':') fail("a missing ':'");
        obj[k as string] = value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("a missing ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          return c === '(' ? new PyTuple(items) : items;
        }
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`a missing ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('an unterminated string');
      const str = text.slice(i + 1, end);
      i = end + 1;
      return str;
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return fail('an unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}
