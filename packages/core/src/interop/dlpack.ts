// DLPack as a JS protocol: `a.__dlpack__()` hands out a capsule describing the array's memory
// (dmlc/dlpack's DLManagedTensorVersioned, with the buffer in place of the data pointer);
// `mx.fromDlpack` consumes one, sharing the memory when it can.
import { MxArray, disposeArray, evalArrays, setForeignImport } from '../array.js';
import type { Storage } from '../backend/interface.js';
import { backendFor, toStream, type StreamOrDevice } from '../device.js';
import {
  Dtype, bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64,
} from '../dtype.js';
import { rowMajorStrides } from '../shape.js';
import { copy as copyOp } from '../ops/views.js';
import { BufferError } from './buffer-error.js';
import { pin, unpin } from './exported-memory.js';
import { hostLayout, importRegion, checkCopyOption, describe, whyNoViews, noViewsError, copyElements } from './host-memory.js';

/** DLDeviceType values of dlpack.h used here. */
export const DLDeviceType = Object.freeze({ kDLCPU: 1, kDLWebGPU: 15 });
/** DLDataTypeCode values of dlpack.h. */
export const DLDataTypeCode = Object.freeze({ kDLInt: 0, kDLUInt: 1, kDLFloat: 2, kDLBfloat: 4, kDLComplex: 5, kDLBool: 6 });
/** DLManagedTensorVersioned flags. */
export const DLPackFlags = Object.freeze({ READ_ONLY: 1, IS_COPIED: 2 });
/** The DLPack version of the capsules mlx-ts produces. */
export const DLPACK_VERSION = Object.freeze({ major: 1, minor: 1 });

export interface DLTensor {
  /** The memory; element [0, ..., 0] is at `byteOffset`. */
  readonly data: ArrayBufferLike;
  readonly byteOffset: number;
  readonly device: { readonly deviceType: number; readonly deviceId: number };
  readonly ndim: number;
  readonly dtype: { readonly code: number; readonly bits: number; readonly lanes: number };
  readonly shape: readonly number[];
  /** In elements; null or absent means row-major (legacy producers). */
  readonly strides?: readonly number[] | null;
}

export interface DLPackCapsule {
  /** Absent for legacy (pre-1.0) capsules. */
  readonly version?: { readonly major: number; readonly minor: number };
  readonly flags?: number;
  readonly dlTensor: DLTensor;
  /** Tells the producer the consumer is done with the memory. */
  deleter(): void;
}

type VersionArg = { major: number; minor: number } | readonly [number, number];
type DeviceArg = { deviceType: number; deviceId: number } | readonly [number, number];

export interface DLPackExportOptions {
  /** Must be undefined or null for CPU memory (there are no streams to sync with). */
  stream?: unknown;
  /** The newest DLPack version the consumer understands; mlx-ts needs major >= 1. */
  maxVersion?: VersionArg;
  /** The device the consumer wants the data on; mlx-ts exports only where the data lives. */
  dlDevice?: DeviceArg;
  /** true: export a fresh copy (flag IS_COPIED); false: never copy; undefined: share. */
  copy?: boolean;
}

export interface DLPackProducer {
  __dlpack__(options?: DLPackExportOptions): DLPackCapsule;
  __dlpack_device__?(): readonly [number, number];
}

export function isDlpackProducer(x: unknown): x is DLPackProducer {
  return typeof x === 'object' && x !== null && typeof (x as DLPackProducer).__dlpack__ === 'function';
}

function isCapsule(x: unknown): x is DLPackCapsule {
  return typeof x === 'object' && x !== null && typeof (x as DLPackCapsule).dlTensor === 'object' && typeof (x as DLPackCapsule).deleter === 'function';
}

function pair(x: VersionArg | DeviceArg, a: 'major' | 'deviceType', b: 'minor' | 'deviceId'): [number, number] | null {
  if (Array.isArray(x)) return x.length === 2 ? [x[0], x[1]] : null;
  if (typeof x === 'object' && x !== null) return [(x as Record<string, number>)[a]!, (x as Record<string, number>)[b]!];
  return null;
}

function dlpackDtype(d: Dtype): { code: number; bits: number; lanes: number } {
  const code =
    d === bool ? DLDataTypeCode.kDLBool
    : d === bfloat16 ? DLDataTypeCode.kDLBfloat
    : d === complex64 ? DLDataTypeCode.kDLComplex
    : d.kind === 'f' ? DLDataTypeCode.kDLFloat
    : d.kind === 'u' ? DLDataTypeCode.kDLUInt
    : DLDataTypeCode.kDLInt;
  return { code, bits: d.size * 8, lanes: 1 };
}

const dtypeByCodeAndBits = new Map<string, Dtype>(
  [bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64, bfloat16, complex64].map((d) => {
    const { code, bits } = dlpackDtype(d);
    return [`${code}:${bits}`, d];
  }),
);

function deviceOfStorage(storage: Storage): [number, number] {
  return [storage.backend.kind === 'gpu' ? DLDeviceType.kDLWebGPU : DLDeviceType.kDLCPU, 0];
}

/** Capsules mlx-ts made, with the storage they pin (importing them back shares it exactly). */
const ownCapsules = new WeakMap<object, { storage: Storage; dtype: Dtype; offset: number }>();
/** Capsules already imported: a capsule is consumed once. */
const consumed = new WeakSet<object>();

/**
 * `a.__dlpack__(options)`: a DLPack capsule over the array's memory (strided layouts
 * included). On a WASM backend `data` is its memory's SharedArrayBuffer; where that memory is
 * not shared (its ArrayBuffer detaches when it grows) the capsule holds a row-major copy
 * (flag IS_COPIED) unless `copy` is false, which throws BufferError.
 */
export function toDlpack(a: MxArray, options: DLPackExportOptions = {}): DLPackCapsule {
  const op = '__dlpack__';
  const { stream, maxVersion, dlDevice } = options ?? {};
  const copy = checkCopyOption(options?.copy, op);
  if (stream !== undefined && stream !== null) {
    throw new TypeError(`[${op}] stream must be undefined or null for CPU memory, got ${describe(stream)}.`);
  }
  if (maxVersion !== undefined && maxVersion !== null) {
    const v = pair(maxVersion, 'major', 'minor');
    if (!v || !Number.isInteger(v[0])) throw new TypeError(`[${op}] maxVersion must be { major, minor } or [major, minor], got ${describe(maxVersion)}.`);
    if (v[0] < 1) throw new BufferError(`[${op}] mlx-ts produces DLPack ${DLPACK_VERSION.major}.x capsules; the consumer's maxVersion ${v[0]}.${v[1]} is too old.`);
  }
  const checkDevice = (storage: Storage): [number, number] => {
    const [deviceType, deviceId] = deviceOfStorage(storage);
    if (dlDevice !== undefined && dlDevice !== null) {
      const want = pair(dlDevice, 'deviceType', 'deviceId');
      if (!want) throw new TypeError(`[${op}] dlDevice must be [deviceType, deviceId], got ${describe(dlDevice)}.`);
      if (want[0] !== deviceType || want[1] !== deviceId) {
        throw new BufferError(`[${op}] the array lives on DLPack device [${deviceType}, ${deviceId}]; exporting to [${want.join(', ')}] is not supported.`);
      }
    }
    return [deviceType, deviceId];
  };
  const unsafe = whyNoViews(hostLayout(a, op).storage);
  if (unsafe) {
    if (copy === false) throw noViewsError(op, unsafe);
    return hostCopyCapsule(a, checkDevice(a._data!.storage), op);
  }
  let source = a;
  if (copy === true) {
    source = copyOp(a);
  }
  const { storage, bytes, offset, strides } = hostLayout(source, op);
  const [deviceType, deviceId] = checkDevice(storage);
  const dtype = source._dtype;
  const size = dtype.size;
  const capsule: DLPackCapsule = Object.freeze({
    version: DLPACK_VERSION,
    flags: copy === true ? DLPackFlags.IS_COPIED : 0,
    dlTensor: Object.freeze({
      data: bytes.buffer,
      byteOffset: bytes.byteOffset + offset * size,
      device: Object.freeze({ deviceType, deviceId }),
      ndim: source._shape.length,
      dtype: Object.freeze(dlpackDtype(dtype)),
      shape: Object.freeze([...source._shape]),
      strides: Object.freeze([...strides]),
    }),
    deleter: () => {
      consumed.add(capsule); // a deleted capsule can't be imported any more
      unpin(capsule);
    },
  });
  pin(capsule, storage);
  ownCapsules.set(capsule, { storage, dtype, offset });
  if (source !== a) disposeArray(source); // the capsule's pin keeps the copy alive
  return capsule;
}

/** A capsule over a fresh row-major host copy (IS_COPIED), for memory that can't be viewed. */
function hostCopyCapsule(a: MxArray, [deviceType, deviceId]: [number, number], op: string): DLPackCapsule {
  const data = copyElements(a, undefined, op);
  const capsule: DLPackCapsule = Object.freeze({
    version: DLPACK_VERSION,
    flags: DLPackFlags.IS_COPIED,
    dlTensor: Object.freeze({
      data: data.buffer,
      byteOffset: 0,
      device: Object.freeze({ deviceType, deviceId }),
      ndim: a._shape.length,
      dtype: Object.freeze(dlpackDtype(a._dtype)),
      shape: Object.freeze([...a._shape]),
      strides: Object.freeze(rowMajorStrides(a._shape)),
    }),
    deleter: () => {
      consumed.add(capsule);
    },
  });
  return capsule;
}

/** `a.__dlpack_device__()`: [deviceType, deviceId] of where the array's memory lives. */
export function dlpackDevice(a: MxArray): [number, number] {
  evalArrays([a._check()]);
  return deviceOfStorage(a._data!.storage);
}

export interface FromDlpackOptions {
  /** Where the array should live (default: the default device). */
  device?: StreamOrDevice;
  /** true: always copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
}

/**
 * An array from a DLPack producer (anything with `__dlpack__`) or a capsule, sharing its
 * memory unless `copy` is true or sharing is impossible (then a copy, or BufferError for
 * `copy: false`). A capsule is consumed once; its deleter runs when mlx-ts lets go.
 */
export function fromDlpack(x: DLPackProducer | DLPackCapsule, options: FromDlpackOptions = {}): MxArray {
  const op = 'fromDlpack';
  const device = options?.device;
  const copy = checkCopyOption(options?.copy, op);
  let capsule: unknown;
  if (isDlpackProducer(x)) {
    const request: DLPackExportOptions = { maxVersion: DLPACK_VERSION };
    if (typeof copy === 'boolean') request.copy = copy;
    capsule = x.__dlpack__(request);
    if (!isCapsule(capsule)) throw new TypeError(`[${op}] __dlpack__() returned ${describe(capsule)}, not a DLPack capsule.`);
  } else if (isCapsule(x)) {
    capsule = x;
  } else {
    throw new TypeError(`[${op}] argument 'x' must be a DLPack producer (with __dlpack__) or a capsule, got ${describe(x)}.`);
  }
  const c = capsule as DLPackCapsule;
  if (consumed.has(c)) {
    throw new Error(`[${op}] this DLPack capsule was already consumed (or deleted); a capsule can be imported once (call __dlpack__() again for a new one).`);
  }
  consumed.add(c);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    c.deleter();
  };
  try {
    return importCapsule(c, device, copy, op, release);
  } catch (e) {
    release();
    throw e;
  }
}

/** The array for a capsule; `release` (idempotent) runs once the memory is no longer needed. */
function importCapsule(c: DLPackCapsule, device: StreamOrDevice, copy: boolean | undefined, op: string, release: () => void): MxArray {
  const { version, flags = 0, dlTensor: t } = c;
  if (version !== undefined && version !== null && version.major !== DLPACK_VERSION.major) {
    throw new BufferError(`[${op}] DLPack ${version.major}.${version.minor} capsules are not supported; mlx-ts reads ${DLPACK_VERSION.major}.x and legacy ones.`);
  }
  if (typeof t !== 'object' || t === null) throw new TypeError(`[${op}] the capsule has no dlTensor.`);
  const code = t.dtype?.code;
  const bits = t.dtype?.bits;
  const lanes = t.dtype?.lanes ?? 1;
  const dtype = dtypeByCodeAndBits.get(`${code}:${bits}`);
  if (!dtype || lanes !== 1) {
    throw new TypeError(`[${op}] DLPack dtype { code: ${code}, bits: ${bits}, lanes: ${lanes} } has no mlx dtype.`);
  }
  const shape = t.shape as number[];
  if (!Array.isArray(shape) || t.ndim !== shape.length) {
    throw new TypeError(`[${op}] dlTensor.ndim (${String(t.ndim)}) must equal the length of dlTensor.shape (${describe(shape)}).`);
  }
  const strides = (t.strides ?? rowMajorStrides(shape)) as number[];
  // A producer's copy is the consumer's to keep: sharing it fulfils copy: true.
  const isCopy = (flags & DLPackFlags.IS_COPIED) !== 0;
  const mustCopy = copy === true && !isCopy;
  const own = ownCapsules.get(c);
  if (own && !own.storage.released && own.storage.backend === backendFor(toStream(device).device) && !mustCopy) {
    // Our own memory: the new array holds the very same storage (any backend, any layout).
    const a = MxArray._fromStorage([...shape], dtype, own.storage, [...strides], own.offset);
    release();
    return a;
  }
  const deviceType = t.device?.deviceType;
  if (deviceType !== DLDeviceType.kDLCPU) {
    throw new BufferError(`[${op}] only CPU (kDLCPU = 1) DLPack memory can be imported, got device type ${String(deviceType)}.`);
  }
  return importRegion(
    { buffer: t.data, byteOffset: t.byteOffset ?? 0, dtype, shape, strides },
    { copy: mustCopy ? true : copy === true ? undefined : copy, readOnly: (flags & DLPackFlags.READ_ONLY) !== 0, onRelease: release, device, op },
  );
}

declare module '../array.js' {
  interface MxArray {
    /** A DLPack capsule over this array's memory (see mx.fromDlpack). */
    __dlpack__(options?: DLPackExportOptions): DLPackCapsule;
    /** [deviceType, deviceId] of this array's memory (kDLCPU = 1, kDLWebGPU = 15). */
    __dlpack_device__(): [number, number];
  }
}

MxArray.prototype.__dlpack__ = function (options) {
  return toDlpack(this, options);
};
MxArray.prototype.__dlpack_device__ = function () {
  return dlpackDevice(this);
};

// mx.array(producer) copies, as mx.array always does.
setForeignImport((value, dtype) => {
  if (!isDlpackProducer(value)) return undefined;
  const a = fromDlpack(value, { copy: true });
  return dtype === undefined || dtype === a._dtype ? a : copyOp(a, dtype);
});
