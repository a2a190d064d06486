// Array specs: plain data that describes an input array (dtype, raw storage units of a
// contiguous base, and the view steps that turn the base into the layout under test). A spec
// is rebuilt on each backend, so the strided layout reaches every backend's kernels, and it
// prints readably when a property fails.
import { MxArray } from '../array.js';
import { cpuBackend } from '../device.js';
import type { Dtype, StorageArray } from '../dtype.js';
import { isBigInt } from '../dtype.js';
import { typedView } from '../elements.js';
import { asStrided, broadcastTo, sliceView, transpose } from '../ops/views.js';
import { shapeSize, stridedOffsets } from '../shape.js';

export type ViewStep =
  | { kind: 'transpose'; axes: number[] }
  | { kind: 'slice'; start: number[]; stop: number[]; step: number[] }
  | { kind: 'broadcast'; shape: number[] }
  | { kind: 'asStrided'; shape: number[]; strides: number[]; offset: number };

export interface ArraySpec {
  readonly dtype: Dtype;
  /** Shape of the contiguous base array. */
  readonly baseShape: readonly number[];
  /**
   * Row-major storage units of the base: numbers (bigints for int64/uint64) as the dtype's
   * TypedArray holds them, i.e. raw bits for float16/bfloat16 and two lanes per complex64.
   */
  readonly units: readonly (number | bigint)[];
  /** Views applied to the base in order (empty: the base itself, contiguous). */
  readonly view: readonly ViewStep[];
}

/** The storage units as the dtype's TypedArray. */
export function unitsArray(dtype: Dtype, units: readonly (number | bigint)[]): StorageArray {
  const out = new dtype.storage(units.length);
  if (isBigInt(dtype)) (out as BigInt64Array).set(units.map((u) => BigInt(u)));
  else (out as Float64Array).set(units as number[]);
  return out;
}

/** Builds the spec's array on the current CPU backend (base evaluated, views lazy). */
export function materialize(spec: ArraySpec): MxArray {
  const backend = cpuBackend();
  const n = shapeSize(spec.baseShape);
  if (spec.units.length !== n * spec.dtype.lanes) {
    throw new RangeError(`materialize: ${spec.units.length} storage units for a base of ${n} ${spec.dtype.name} elements`);
  }
  const data = unitsArray(spec.dtype, spec.units);
  const storage = backend.allocate(n * spec.dtype.size);
  backend.write(storage, 0, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  let x = MxArray._fromStorage([...spec.baseShape], spec.dtype, storage);
  for (const v of spec.view) {
    if (v.kind === 'transpose') x = transpose(x, v.axes);
    else if (v.kind === 'slice') x = sliceView(x, v.start, v.stop, v.step);
    else if (v.kind === 'broadcast') x = broadcastTo(x, v.shape);
    else x = asStrided(x, v.shape, v.strides, v.offset);
  }
  return x;
}

/** The final shape of a spec (after its views). */
export function specShape(spec: ArraySpec): number[] {
  let shape = [...spec.baseShape];
  for (const v of spec.view) {
    if (v.kind === 'transpose') shape = v.axes.map((a) => shape[a]!);
    else if (v.kind === 'slice') shape = v.start.map((b, i) => Math.max(0, Math.ceil((v.stop[i]! - b) / v.step[i]!)));
    else shape = [...v.shape];
  }
  return shape;
}

/** An evaluated array's elements, row-major, as contiguous storage units. */
export interface HostArray {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly units: StorageArray;
}

/** Reads an evaluated array (any layout, any sync-readable backend) into host memory. */
export function readHost(a: MxArray): HostArray {
  const d = a._data;
  if (!d) throw new Error('readHost: the array is not evaluated');
  const b = d.storage.backend;
  if (!b.readSync) throw new Error(`readHost: backend '${b.name}' can't be read synchronously`);
  const src = typedView(a._dtype, b.readSync(d.storage, 0, d.storage.byteLength));
  const lanes = a._dtype.lanes;
  const offs = stridedOffsets(a._shape, d.strides, d.offset);
  const units = new a._dtype.storage(offs.length * lanes);
  for (let i = 0; i < offs.length; i++) for (let l = 0; l < lanes; l++) (units as Float64Array)[i * lanes + l] = (src as Float64Array)[offs[i]! * lanes + l]!;
  return { dtype: a._dtype, shape: [...a._shape], units };
}
