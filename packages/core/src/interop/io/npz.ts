// NumPy's .npz: a ZIP of .npy files, one per array ('name.npy'; unnamed arrays are arr_0,
// arr_1, ... as in np.savez / mx.savez).
import { MxArray } from '../../array.js';
import type { StreamOrDevice } from '../../device.js';
import { type ByteSource, FormatError, describe, hasEntry, setEntry } from './bytes.js';
import { npyChunks, readNpy } from './npy.js';
import { readZipDirectory, readZipEntry, zipChunks } from './zip.js';

/** Positional arrays and objects of named arrays, in order, as named entries. */
export function npzEntries(args: readonly unknown[], op: string): [string, MxArray][] {
  const out: [string, MxArray][] = [];
  const named = new Map<string, MxArray>();
  let positional = 0;
  for (const a of args) {
    if (a instanceof MxArray) {
      out.push([`arr_${positional++}`, a]);
    } else if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
      for (const [k, v] of Object.entries(a)) {
        if (!(v instanceof MxArray)) throw new TypeError(`[${op}] the array named '${k}' must be an mx.array, got ${describe(v)}.`);
        named.set(k, v);
      }
    } else {
      throw new TypeError(`[${op}] expected mx arrays or an object of named mx arrays, got ${describe(a)}.`);
    }
  }
  for (const [k, v] of named) {
    if (out.some(([n]) => n === k)) throw new Error(`[${op}] cannot use un-named arrays and the name '${k}' together.`);
    out.push([k, v]);
  }
  return out;
}

export function npzChunks(entries: readonly [string, MxArray][], compress: boolean, op: string): Uint8Array[] {
  return zipChunks(
    entries.map(([name, a]) => ({ name: `${name}.npy`, chunks: npyChunks(a, op) })),
    compress,
    op,
  );
}

export function readNpz(src: ByteSource, s: StreamOrDevice): Record<string, MxArray> {
  const out: Record<string, MxArray> = {};
  for (const e of readZipDirectory(src)) {
    if (!e.name.endsWith('.npy')) throw new FormatError(`${src.label}: entry '${e.name}' is not a .npy array.`);
    const key = e.name.slice(0, -4);
    if (hasEntry(out, key)) throw new FormatError(`${src.label}: the archive holds '${e.name}' twice.`);
    setEntry(out, key, readZipEntry(src, e, (data, start, length) => readNpy(data, start, length, `${src.label} (entry '${e.name}')`, s)));
  }
  return out;
}
