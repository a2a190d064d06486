// File formats: .npy/.npz, safetensors, gguf; mx.load / mx.save and their bytes twins.
//
// File functions (save, savez, savezCompressed, saveSafetensors, saveGguf, load) use node:fs,
// reached only when called. saveToBytes / loadFromBytes do the same in memory and work in
// any JS runtime. Loading copies each array's bytes once, from the input into its storage.
import { MxArray } from '../../array.js';
import type { StreamOrDevice } from '../../device.js';
import { type ByteSource, checkArrayMap, concatChunks, describe, memorySource, withFileSource, writeFileChunks } from './bytes.js';
import { npyChunks, readNpy } from './npy.js';
import { npzChunks, npzEntries, readNpz } from './npz.js';
import { checkStringMetadata, readSafetensors, safetensorsChunks } from './safetensors.js';
import { type GgufMetadataInput, type GgufMetadataValue, ggufChunks, readGguf } from './gguf.js';

export type { GgufMetadataValue, GgufMetadataInput } from './gguf.js';
export { FormatError } from './bytes.js';

/** Formats mx.load and mx.loadFromBytes read. */
export type LoadFormat = 'npy' | 'npz' | 'safetensors' | 'gguf';
/** Formats mx.saveToBytes writes ('npzCompressed': .npz with deflated entries, as mx.savezCompressed). */
export type SaveFormat = 'npy' | 'npz' | 'npzCompressed' | 'safetensors' | 'gguf';
export type SafetensorsMetadata = Record<string, string>;
export type GgufMetadata = Record<string, GgufMetadataValue>;
type Arrays = Record<string, MxArray>;

function checkFile(file: unknown, op: string): string {
  if (typeof file !== 'string' || file.length === 0) throw new TypeError(`[${op}] file must be a non-empty path string, got ${describe(file)}.`);
  return file;
}

/** MLX adds the format's extension when the name lacks it. */
const withExt = (file: string, ext: string): string => (file.endsWith(ext) ? file : file + ext);

/** Saves one array as a .npy file (MLX writes the same bytes). */
export function save(file: string, array: MxArray): void {
  writeFileChunks(withExt(checkFile(file, 'save'), '.npy'), 'save', npyChunks(array, 'save'));
}

/** Saves arrays in an uncompressed .npz: positional ones as arr_0, arr_1, ..., objects by name. */
export function savez(file: string, ...arrays: (MxArray | Arrays)[]): void {
  writeFileChunks(withExt(checkFile(file, 'savez'), '.npz'), 'savez', npzChunks(npzEntries(arrays, 'savez'), false, 'savez'));
}

/** As savez, with deflate-compressed entries. */
export function savezCompressed(file: string, ...arrays: (MxArray | Arrays)[]): void {
  const op = 'savezCompressed';
  writeFileChunks(withExt(checkFile(file, op), '.npz'), op, npzChunks(npzEntries(arrays, op), true, op));
}

/** Saves named arrays and optional string metadata as .safetensors. */
export function saveSafetensors(file: string, arrays: Arrays, metadata?: SafetensorsMetadata): void {
  const op = 'saveSafetensors';
  const chunks = safetensorsChunks(checkArrayMap(arrays, op), checkStringMetadata(metadata, op), op);
  writeFileChunks(withExt(checkFile(file, op), '.safetensors'), op, chunks);
}

/**
 * Saves named arrays as .gguf. Metadata values: strings, lists of strings, 0-d or 1-d
 * arrays (float32, bool and 8-64 bit integers), or JS numbers / booleans / lists of them,
 * which become arrays as mx.array makes them (3 and 1.5 -> float32, 3n -> int32, true -> bool).
 */
export function saveGguf(file: string, arrays: Arrays, metadata?: Record<string, GgufMetadataInput>): void {
  const op = 'saveGguf';
  const chunks = ggufChunks(checkArrayMap(arrays, op), metadata, op);
  writeFileChunks(withExt(checkFile(file, op), '.gguf'), op, chunks);
}

/** The bytes of a file in `format`; for 'npy' pass one array, for 'npz' an array list or named arrays. */
export function saveToBytes(format: 'npy', array: MxArray): Uint8Array;
export function saveToBytes(format: 'npz' | 'npzCompressed', arrays: MxArray[] | Arrays): Uint8Array;
export function saveToBytes(format: 'safetensors', arrays: Arrays, metadata?: SafetensorsMetadata): Uint8Array;
export function saveToBytes(format: 'gguf', arrays: Arrays, metadata?: Record<string, GgufMetadataInput>): Uint8Array;
export function saveToBytes(format: SaveFormat, arrays: MxArray | MxArray[] | Arrays, metadata?: Record<string, unknown>): Uint8Array;
export function saveToBytes(format: SaveFormat, arrays: MxArray | MxArray[] | Arrays, metadata?: Record<string, unknown>): Uint8Array {
  const op = 'saveToBytes';
  switch (format) {
    case 'npy':
      return concatChunks(npyChunks(arrays as MxArray, op));
    case 'npz':
    case 'npzCompressed': {
      const list = Array.isArray(arrays) ? arrays : [arrays];
      return concatChunks(npzChunks(npzEntries(list, op), format === 'npzCompressed', op));
    }
    case 'safetensors':
      return concatChunks(safetensorsChunks(checkArrayMap(arrays, op), checkStringMetadata(metadata, op), op));
    case 'gguf':
      return concatChunks(ggufChunks(checkArrayMap(arrays, op), metadata, op));
    default:
      throw new TypeError(`[${op}] unknown format ${describe(format)}; expected 'npy', 'npz', 'npzCompressed', 'safetensors' or 'gguf'.`);
  }
}

type LoadResult = MxArray | Arrays | [Arrays, SafetensorsMetadata] | [Arrays, GgufMetadata];

function checkFormat(format: unknown, op: string): LoadFormat {
  if (format === 'npy' || format === 'npz' || format === 'safetensors' || format === 'gguf') return format;
  throw new Error(`[${op}] Unknown file format ${describe(format)}; expected 'npy', 'npz', 'safetensors' or 'gguf'.`);
}

function loadFrom(src: ByteSource, format: LoadFormat, returnMetadata: boolean, s: StreamOrDevice, op: string): LoadResult {
  if (returnMetadata && (format === 'npy' || format === 'npz')) throw new Error(`[${op}] metadata not supported for format ${format}`);
  switch (format) {
    case 'npy':
      return readNpy(src, 0, src.size, src.label, s);
    case 'npz':
      return readNpz(src, s);
    case 'safetensors': {
      const r = readSafetensors(src, s);
      return returnMetadata ? r : r[0];
    }
    case 'gguf': {
      const r = readGguf(src, s);
      return returnMetadata ? r : r[0];
    }
  }
}

/**
 * Loads a file, the format chosen by its extension unless given: an array for .npy, an
 * object of named arrays otherwise; with `returnMetadata` (safetensors and gguf only)
 * `[arrays, metadata]`.
 */
export function load(file: string, format: 'npy', returnMetadata?: false, s?: StreamOrDevice): MxArray;
export function load(file: string, format: 'npz' | 'safetensors' | 'gguf', returnMetadata?: false, s?: StreamOrDevice): Arrays;
export function load(file: string, format: 'safetensors', returnMetadata: true, s?: StreamOrDevice): [Arrays, SafetensorsMetadata];
export function load(file: string, format: 'gguf', returnMetadata: true, s?: StreamOrDevice): [Arrays, GgufMetadata];
export function load(file: string, format?: LoadFormat | null, returnMetadata?: boolean, s?: StreamOrDevice): LoadResult;
export function load(file: string, format?: LoadFormat | null, returnMetadata = false, s?: StreamOrDevice): LoadResult {
  const op = 'load';
  checkFile(file, op);
  let fmt: LoadFormat;
  if (format === undefined || format === null) {
    const dot = file.lastIndexOf('.');
    const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    if (dot <= slash + 1) throw new Error(`[${op}] Could not infer file format from extension of '${file}'; pass format.`);
    fmt = checkFormat(file.slice(dot + 1), op);
  } else fmt = checkFormat(format, op);
  return withFileSource(file, op, (src) => loadFrom(src, fmt, returnMetadata, s, op));
}

/** mx.load on bytes in memory (any JS runtime): `format` is required. */
export function loadFromBytes(bytes: Uint8Array, format: 'npy', returnMetadata?: false, s?: StreamOrDevice): MxArray;
export function loadFromBytes(bytes: Uint8Array, format: 'npz' | 'safetensors' | 'gguf', returnMetadata?: false, s?: StreamOrDevice): Arrays;
export function loadFromBytes(bytes: Uint8Array, format: 'safetensors', returnMetadata: true, s?: StreamOrDevice): [Arrays, SafetensorsMetadata];
export function loadFromBytes(bytes: Uint8Array, format: 'gguf', returnMetadata: true, s?: StreamOrDevice): [Arrays, GgufMetadata];
export function loadFromBytes(bytes: Uint8Array, format: LoadFormat, returnMetadata?: boolean, s?: StreamOrDevice): LoadResult;
export function loadFromBytes(bytes: Uint8Array, format: LoadFormat, returnMetadata = false, s?: StreamOrDevice): LoadResult {
  const op = 'loadFromBytes';
  const input: unknown = bytes;
  let data: Uint8Array;
  if (input instanceof Uint8Array) data = input;
  else if (input instanceof ArrayBuffer) data = new Uint8Array(input);
  else throw new TypeError(`[${op}] bytes must be a Uint8Array (or ArrayBuffer), got ${describe(bytes)}.`);
  return loadFrom(memorySource(data, `[${op}] ${format} input`), checkFormat(format, op), returnMetadata, s, op);
}
