// The ZIP container under .npz: reading (stored and deflated entries, ZIP64 as NumPy writes
// it; every entry's CRC-32 checked) and writing (stored or deflated, fixed 1980-01-01
// timestamps so output is reproducible).
import { Deflate, Inflate } from 'fflate';
import { type ByteSource, ByteReader, ByteWriter, FormatError, decodeUtf8, encodeUtf8, memorySource } from './bytes.js';

// CRC-32 by slicing-by-8: table k maps a byte to its CRC contribution k bytes further on, so
// eight bytes cost eight lookups and no per-byte shifts. Int32Array keeps every value a small
// integer to V8 (Uint32 values above 2^31 become heap numbers: 8x slower).
const crcTables = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let i = 256; i < 8 * 256; i++) t[i] = t[t[i - 256]! & 0xff]! ^ (t[i - 256]! >>> 8);
  return t;
})();

/** ZIP's CRC-32 of `bytes`, continuing from `crc`, the CRC-32 of the bytes before them. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = crcTables;
  let c = ~crc;
  let i = 0;
  for (const end8 = bytes.byteLength - 8; i <= end8; i += 8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[1792 + (lo & 0xff)]! ^ t[1536 + ((lo >>> 8) & 0xff)]! ^ t[1280 + ((lo >>> 16) & 0xff)]! ^ t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^ t[512 + bytes[i + 5]!]! ^ t[256 + bytes[i + 6]!]! ^ t[bytes[i + 7]!]!;
  }
  for (; i < bytes.byteLength; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
// Deflate expands at most ~1032:1, so a claimed size beyond this is a lie we won't allocate for.
const MAX_DEFLATE_RATIO = 1032;

/** Reads the central directory. */
export function readZipDirectory(src: ByteSource): ZipEntry[] {
  const label = src.label;
  const tailLen = Math.min(src.size, 22 + 0xffff);
  const tail = src.bytes(src.size - tailLen, tailLen);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FormatError(`${label}: not a ZIP/.npz file (no end-of-central-directory record; truncated?).`);
  const r = new ByteReader(tail.subarray(eocd), label, src.size - tailLen + eocd);
  r.pos = 10;
  let count = r.u16('the entry count');
  let cdSize = r.u32('the central directory size');
  let cdOffset = r.u32('the central directory offset');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locPos = src.size - tailLen + eocd - 20;
    if (locPos < 0) throw new FormatError(`${label}: ZIP64 end-of-central-directory locator is missing.`);
    const loc = new ByteReader(src.bytes(locPos, 20), label, locPos);
    if (loc.u32('the ZIP64 locator') !== EOCD64_LOCATOR) throw new FormatError(`${label}: ZIP64 end-of-central-directory locator is missing.`);
    loc.u32('the ZIP64 locator');
    const eocd64Pos = loc.u64('the ZIP64 record offset');
    const e = new ByteReader(src.bytes(eocd64Pos, 56), label, eocd64Pos);
    if (e.u32('the ZIP64 record') !== EOCD64) throw new FormatError(`${label}: bad ZIP64 end-of-central-directory record.`);
    e.pos = 32;
    count = e.u64('the ZIP64 entry count');
    cdSize = e.u64('the ZIP64 central directory size');
    cdOffset = e.u64('the ZIP64 central directory offset');
  }
  const cd = new ByteReader(src.bytes(cdOffset, cdSize), label, cdOffset);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (cd.u32('a central directory entry') !== CENTRAL) throw new FormatError(`${label}: corrupt ZIP central directory (entry ${k}).`);
    cd.pos += 4;
    const flags = cd.u16('entry flags');
    const method = cd.u16('the compression method');
    cd.pos += 4;
    const crc = cd.u32('the CRC');
    let compressedSize = cd.u32('the compressed size');
    let size = cd.u32('the size');
    const nameLen = cd.u16('the name length');
    const extraLen = cd.u16('the extra length');
    const commentLen = cd.u16('the comment length');
    cd.pos += 8;
    let localOffset = cd.u32('the local header offset');
    const name = decodeUtf8(cd.bytes(nameLen, 'the entry name'), label, 'a ZIP entry name');
    const extra = new ByteReader(cd.bytes(extraLen, 'the extra field'), label);
    cd.bytes(commentLen, 'the entry comment');
    while (extra.pos + 4 <= extra.data.byteLength) {
      const id = extra.u16('an extra field');
      const len = extra.u16('an extra field');
      const body = new ByteReader(extra.bytes(len, 'an extra field'), label);
      if (id !== 1) continue; // ZIP64 sizes: only the fields saturated above are present
      if (size === 0xffffffff) size = body.u64('the ZIP64 size');
      if (compressedSize === 0xffffffff) compressedSize = body.u64('the ZIP64 compressed size');
      if (localOffset === 0xffffffff) localOffset = body.u64('the ZIP64 offset');
    }
    if (flags & 1) throw new FormatError(`${label}: entry '${name}' is encrypted, which is not supported.`);
    if (method !== 0 && method !== 8) throw new FormatError(`${label}: entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported.`);
    entries.push({ name, method, crc, compressedSize, size, localOffset });
  }
  return entries;
}

/**
 * Runs `read` on an entry's uncompressed bytes, [start, start + length) of `data`, with the
 * entry's CRC-32 checked: a stored entry is a range of the input itself (so arrays are read
 * straight from the file), checked as `read` reads it; a deflated one is inflated into memory
 * and checked first.
 */
export function readZipEntry<T>(src: ByteSource, e: ZipEntry, read: (data: ByteSource, start: number, length: number) => T): T {
  const label = `${src.label} (entry '${e.name}')`;
  const lh = new ByteReader(src.bytes(e.localOffset, 30), label, e.localOffset);
  if (lh.u32('the local header') !== LOCAL) throw new FormatError(`${label}: bad ZIP local header.`);
  lh.pos = 26;
  const start = e.localOffset + 30 + lh.u16('the name length') + lh.u16('the extra length');
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new FormatError(`${label}: stored entry has different compressed (${e.compressedSize}) and plain (${e.size}) sizes.`);
    if (start + e.size > src.size) throw new FormatError(`${label}: the entry extends past the end of the input (truncated?).`);
    const checked = crcCheckedRange(src, start, e.size, e.crc, label);
    const result = read(checked, start, e.size);
    checked.finish();
    return result;
  }
  if (e.size > e.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    throw new FormatError(`${label}: claims ${e.size} bytes from ${e.compressedSize} compressed ones, more than deflate can produce (corrupt file).`);
  }
  if (start + e.compressedSize > src.size) throw new FormatError(`${label}: the entry extends past the end of the input (truncated?).`);
  return read(memorySource(inflateEntry(src, start, e, label), label), 0, e.size);
}

const crcMismatch = (label: string, got: number, recorded: number): FormatError =>
  new FormatError(`${label}: CRC-32 mismatch: the entry's bytes give ${hex32(got)}, the directory records ${hex32(recorded)} (corrupt file).`);
const hex32 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

/**
 * `src`, with bytes [start, start + length) CRC-checked as they are read. Reads come in order
 * (readNpy's do), so the check costs no second read of the file; `finish` reads and checks
 * what no read covered. The read that completes the range throws on a mismatch: inside an
 * array's fill, so its storage is released.
 */
function crcCheckedRange(src: ByteSource, start: number, length: number, recorded: number, label: string): ByteSource & { finish(): void } {
  const end = start + length;
  let checkedTo = start;
  let running = 0;
  let verified = false;
  const take = (b: Uint8Array): void => {
    running = crc32(b, running);
    checkedTo += b.byteLength;
    if (checkedTo === end) verify();
  };
  const verify = (): void => {
    verified = true;
    if (running !== recorded) throw crcMismatch(label, running, recorded);
  };
  // Bytes below `offset` that no read covered are read and checked first, a block at a time.
  const checkUpTo = (offset: number): void => {
    for (const to = Math.min(offset, end); checkedTo < to; ) take(src.bytes(checkedTo, Math.min(to - checkedTo, 1 << 20)));
  };
  const seen = (offset: number, b: Uint8Array): void => {
    checkUpTo(offset);
    const from = checkedTo - offset;
    const to = Math.min(b.byteLength, end - offset);
    if (from < to) take(b.subarray(from, to));
  };
  return {
    size: src.size,
    label: src.label,
    bytes(offset, n) {
      const b = src.bytes(offset, n);
      seen(offset, b);
      return b;
    },
    readInto(offset, dest) {
      src.readInto(offset, dest);
      seen(offset, dest);
    },
    finish() {
      checkUpTo(end);
      if (!verified) verify();
    },
  };
}

// Compressed input is fed to the inflater this much at a time: one step can inflate at most
// ~1032 times as much, so a zip bomb is stopped within ~16 MiB of output past its declared size.
const INFLATE_STEP = 16 << 10;
// A real stream gives output at least every stored block (64 KiB) or block header; input that
// gives none for longer is corrupt (and fflate would keep copying it, waiting for more).
const MAX_SILENT_INPUT = 65536 + 2 * INFLATE_STEP;

/**
 * Inflates an entry into exactly its declared size and checks its CRC-32; stops, refusing, as
 * soon as the output passes the declared size. Once the declared bytes are out and one more
 * step gives nothing, the rest of the input is not read (as Python's zipfile).
 */
function inflateEntry(src: ByteSource, start: number, e: ZipEntry, label: string): Uint8Array {
  const out = new Uint8Array(e.size);
  let produced = 0;
  let crc = 0;
  const inflater = new Inflate((chunk) => {
    if (produced + chunk.byteLength > e.size) {
      throw new FormatError(`${label}: inflates past the ${e.size} bytes the directory records (stopped after ${produced + chunk.byteLength} bytes; a corrupt file or a zip bomb).`);
    }
    out.set(chunk, produced);
    crc = crc32(chunk, crc);
    produced += chunk.byteLength;
  });
  let silent = 0;
  try {
    let pos = 0;
    do {
      const n = Math.min(INFLATE_STEP, e.compressedSize - pos);
      const before = produced;
      inflater.push(src.bytes(start + pos, n), pos + n === e.compressedSize);
      pos += n;
      if (produced > before) silent = 0;
      else if (produced === e.size) break;
      else if ((silent += n) > MAX_SILENT_INPUT) throw new FormatError(`${label}: corrupt deflate data (${silent} bytes in a row inflate to nothing).`);
    } while (pos < e.compressedSize);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(`${label}: corrupt deflate data (${(err as Error).message}).`);
  }
  if (produced !== e.size) throw new FormatError(`${label}: inflates to ${produced} bytes, not the ${e.size} the directory records (corrupt file).`);
  if (crc !== e.crc) throw crcMismatch(label, crc, e.crc);
  return out;
}

export interface ZipInput {
  name: string;
  chunks: Uint8Array[];
}

/** A ZIP archive of the inputs as chunks (entry data stays as given when stored). */
export function zipChunks(inputs: readonly ZipInput[], compress: boolean, op: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const central = new ByteWriter();
  let offset = 0;
  const tooBig = (): never => {
    throw new Error(`[${op}] archives over 4 GiB or 65535 entries (ZIP64) are not supported when writing.`);
  };
  if (inputs.length > 0xfffe) tooBig();
  for (const { name, chunks } of inputs) {
    const nameBytes = encodeUtf8(name);
    const crc = chunks.reduce((c, chunk) => crc32(chunk, c), 0);
    let size = 0;
    for (const c of chunks) size += c.byteLength;
    let data = chunks;
    if (compress) {
      const parts: Uint8Array[] = [];
      const d = new Deflate({ level: 6 }, (chunk) => parts.push(chunk));
      chunks.forEach((c, i) => d.push(c, i === chunks.length - 1));
      if (chunks.length === 0) d.push(new Uint8Array(0), true);
      data = parts;
    }
    let csize = 0;
    for (const c of data) csize += c.byteLength;
    if (offset + 30 + nameBytes.byteLength + csize > 0xfffffffe) tooBig();
    const method = compress ? 8 : 0;
    const header = (w: ByteWriter, isCentral: boolean): void => {
      w.u32(isCentral ? CENTRAL : LOCAL);
      if (isCentral) w.u16(20); // made by: MS-DOS, spec 2.0
      w.u16(20); // needed to extract: 2.0
      w.u16(0x800); // flags: UTF-8 names
      w.u16(method);
      w.u16(0); // time 00:00
      w.u16(0x21); // date 1980-01-01
      w.u32(crc);
      w.u32(csize);
      w.u32(size);
      w.u16(nameBytes.byteLength);
      w.u16(0); // extra
      if (isCentral) {
        w.u16(0); // comment
        w.u16(0); // disk
        w.u16(0); // internal attributes
        w.u32(0); // external attributes
        w.u32(offset);
      }
      w.bytes(nameBytes);
    };
    const local = new ByteWriter();
    header(local, false);
    header(central, true);
    const lb = local.result();
    out.push(lb, ...data);
    offset += lb.byteLength + csize;
  }
  const cd = central.result();
  const end = new ByteWriter();
  end.u32(EOCD);
  end.u16(0);
  end.u16(0);
  end.u16(inputs.length);
  end.u16(inputs.length);
  end.u32(cd.byteLength);
  end.u32(offset);
  end.u16(0);
  out.push(cd, end.result());
  return out;
}
