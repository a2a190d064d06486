// DLPack's C ABI over the WASM backend's memory (`mx.dlpack`): real DLManagedTensorVersioned
// structs in the wasm32 layout of dmlc/dlpack's dlpack.h, so that C (or Rust, Zig...) compiled
// to wasm32 and running over the same WebAssembly.Memory exchanges tensors with mlx-ts by
// pointer, without copies.
//
// The process model is WebAssembly's dynamic linking (WebAssembly/tool-conventions,
// DynamicLinking.md), with mlx-ts as the main module: per WASM backend there is one memory
// (the backend's), one function table and one C stack. A C module is built as a side module
// (`clang -fPIC ... -Wl,--experimental-pic -Wl,-shared`, see tests/c/build.ts) and loaded with
// `loadModule`, which places its data and bss in a block of the backend's heap
// (`__memory_base`), its function pointers in the shared table (`__table_base`) and gives it
// the shared stack (`__stack_pointer`, a block of the heap too). Nothing collides with the
// heap because everything the C side owns *is* a heap block.
//
// Function pointers (a struct's `deleter`) are indices into that shared table, as in C on
// wasm32. mlx-ts's own deleter is a JS function behind a three-instruction wasm trampoline
// (`(i32) -> ()`, encoded below) placed in the table once per backend, so C calls
// `t->deleter(t)` with an ordinary call_indirect. Deleters of C producers are called by
// mlx-ts through the same table.
//
// Struct layout on wasm32 (pointers 4 bytes, int64/uint64 8-byte aligned), 64 bytes:
//   0 version.major u32   4 version.minor u32   8 manager_ctx   12 deleter (table index)
//  16 flags u64
//  24 dl_tensor.data     28 device.device_type i32   32 device.device_id i32   36 ndim i32
//  40 dtype.code u8  41 dtype.bits u8  42 dtype.lanes u16   44 shape (int64*)
//  48 strides (int64*)  52 (padding)   56 byte_offset u64
// toStruct puts shape and strides right after the struct, in the same heap block.
import type { MxArray } from '../array.js';
import { WasmBackend } from '../backend/wasm/index.js';
import { backendFor, getBackendByName, toStream, type StreamOrDevice } from '../device.js';
import { bfloat16, bool, complex64, type Dtype } from '../dtype.js';
import { BufferError } from './buffer-error.js';
import { DLDataTypeCode, DLDeviceType, DLPACK_VERSION, fromDlpack, type DLPackCapsule } from './dlpack.js';
import { pin, unpin } from './exported-memory.js';
import { describe, hostLayout } from './host-memory.js';

/** Byte offsets of DLManagedTensorVersioned's fields on wasm32 (see the table above). */
export const STRUCT_LAYOUT = Object.freeze({
  size: 64,
  align: 8,
  versionMajor: 0,
  versionMinor: 4,
  managerCtx: 8,
  deleter: 12,
  flags: 16,
  data: 24,
  deviceType: 28,
  deviceId: 32,
  ndim: 36,
  dtypeCode: 40,
  dtypeBits: 41,
  dtypeLanes: 42,
  shape: 44,
  strides: 48,
  byteOffset: 56,
});

/** Bytes of the C stack shared by every module loaded into one backend (wasm-ld's default size). */
export const STACK_BYTES = 64 * 1024;
/** Most dimensions fromStruct accepts (a corrupt ndim must not make it read megabytes). */
const MAX_NDIM = 64;

// (module (type (func (param i32)))
//   (import "m" "f" (func $js (type 0)))
//   (func (export "f") (type 0) local.get 0 call $js))
// The export is a real wasm function, so it can sit in a table and be call_indirect'ed from C.
const TRAMPOLINE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, // type section: 1 type, func (i32) -> ()
  0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00, // import section: "m" "f", func of type 0
  0x03, 0x02, 0x01, 0x00, // function section: 1 function of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, // export section: "f" = function 1
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b, // code: no locals; local.get 0; call 0; end
]);
let trampolineModule: WebAssembly.Module | null = null;

/** A wasm function `(i32) -> ()` that calls `f`, for a function table. */
function trampoline(f: (ptr: number) => void): WebAssembly.ExportValue {
  trampolineModule ??= new WebAssembly.Module(TRAMPOLINE);
  return new WebAssembly.Instance(trampolineModule, { m: { f } }).exports.f!;
}

/** A live struct's record; it is also the holder of the pin on the array's storage. */
interface LiveStruct {
  /** manager_ctx: a serial number, checked by the deleter against stale or forged pointers. */
  readonly id: number;
  readonly blockSize: number;
}

/** What one WASM backend's memory holds for the C ABI: the shared table, stack and live structs. */
interface AbiRuntime {
  readonly backend: WasmBackend;
  readonly table: WebAssembly.Table;
  readonly stackPointer: WebAssembly.Global;
  /** Table index of mlx-ts's deleter. */
  readonly deleterIndex: number;
  /**
   * The structs by address; a deleted struct's entry is set to undefined, not deleted (the heap
   * hands its address out again, and V8 walks deleted entries left in a bucket's chain: see
   * `live` in backend/wasm/index.ts).
   */
  readonly live: Map<number, LiveStruct | undefined>;
  liveCount: number;
  nextId: number;
}

const runtimes = new WeakMap<WasmBackend, AbiRuntime>();

function runtime(backend: WasmBackend): AbiRuntime {
  let rt = runtimes.get(backend);
  if (rt) return rt;
  // Slot 0 stays null: C's NULL function pointer.
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
  const stack = backend.heap.alloc(STACK_BYTES);
  const stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, stack.ptr + stack.size);
  const live = new Map<number, LiveStruct | undefined>();
  const r: AbiRuntime = { backend, table, stackPointer, deleterIndex: 1, live, liveCount: 0, nextId: 1 };
  rt = r;
  const heap = backend.heap;
  table.set(1, trampoline((self) => {
    const ptr = self >>> 0;
    const rec = live.get(ptr);
    const view = new DataView(heap.memory.buffer);
    if (!rec || view.getUint32(ptr + STRUCT_LAYOUT.managerCtx, true) !== rec.id) {
      throw new Error(
        `[dlpack deleter] ${ptr} is not a live DLManagedTensorVersioned made by mx.dlpack.toStruct (was it deleted already?).`,
      );
    }
    live.set(ptr, undefined);
    r.liveCount--;
    // A stale copy of the pointer now finds no deleter and no data instead of freed memory.
    view.setUint32(ptr + STRUCT_LAYOUT.deleter, 0, true);
    view.setUint32(ptr + STRUCT_LAYOUT.data, 0, true);
    unpin(rec); // the array's storage may go now
    heap.free(ptr, rec.blockSize);
  }));
  runtimes.set(backend, rt);
  return rt;
}

/** The registered 'wasm' backend, or the one given. */
function wasmBackend(backend: WasmBackend | undefined, op: string): WasmBackend {
  if (backend !== undefined) {
    if (!(backend instanceof WasmBackend)) throw new TypeError(`[${op}] backend must be a WasmBackend, got ${describe(backend)}.`);
    return backend;
  }
  const b = getBackendByName('wasm');
  if (!(b instanceof WasmBackend)) throw new Error(`[${op}] the backend registered as 'wasm' is not a WasmBackend.`);
  return b;
}

export interface AbiOptions {
  /** The WASM backend whose memory holds the structs (default: the one registered as 'wasm'). */
  backend?: WasmBackend;
}

/** The WASM backend these functions use by default (the one registered as 'wasm'). */
export function backend(): WasmBackend {
  return wasmBackend(undefined, 'dlpack.backend');
}

/** The backend's WebAssembly.Memory, which C modules import as env.memory. */
export function memory(options: AbiOptions = {}): WebAssembly.Memory {
  return wasmBackend(options?.backend, 'dlpack.memory').heap.memory;
}

/** The function table C modules share with mlx-ts (import it as env.__indirect_function_table). */
export function table(options: AbiOptions = {}): WebAssembly.Table {
  return runtime(wasmBackend(options?.backend, 'dlpack.table')).table;
}

/** Structs made by toStruct whose deleter has not run yet. */
export function liveStructs(options: AbiOptions = {}): number {
  return runtime(wasmBackend(options?.backend, 'dlpack.liveStructs')).liveCount;
}

/**
 * Writes a DLManagedTensorVersioned describing `a` into WASM memory and returns its address.
 * The struct points at the array's own bytes (any layout: shape, strides in elements and
 * byte_offset as DLPack defines them), keeps them alive (a pin, like a capsule's) until its
 * deleter runs, and its deleter, a function in the shared table, also frees the struct. The
 * array must live on a WASM backend (made while mx.setCpuBackend('wasm') was in effect).
 */
export function toStruct(a: MxArray): number {
  const op = 'dlpack.toStruct';
  const { storage, bytes, offset, strides } = hostLayout(a, op);
  const backend = storage.backend;
  if (!(backend instanceof WasmBackend) || bytes.buffer !== backend.heap.memory.buffer) {
    throw new BufferError(
      `[${op}] the array's memory belongs to the '${backend.name}' backend, not to WebAssembly memory, so C code cannot ` +
        `see it. Make the array on the WASM backend (mx.setCpuBackend('wasm')), or copy it there with mx.copy(a) while that ` +
        `backend is selected.`,
    );
  }
  const rt = runtime(backend);
  const dtype = a._dtype;
  const shape = a._shape;
  const ndim = shape.length;
  const empty = shape.some((d) => d === 0);
  const base = bytes.byteOffset; // address of the storage's first byte
  const block = backend.heap.alloc(STRUCT_LAYOUT.size + 16 * ndim);
  const holder: LiveStruct = { id: rt.nextId, blockSize: block.size };
  rt.nextId = (rt.nextId % 0xffffffff) + 1; // a non-zero u32
  pin(holder, storage); // released by the deleter
  const p = block.ptr;
  const shapePtr = p + STRUCT_LAYOUT.size;
  const stridesPtr = shapePtr + 8 * ndim;
  const v = new DataView(backend.heap.memory.buffer); // after alloc: a plain memory may have grown
  v.setUint32(p + STRUCT_LAYOUT.versionMajor, DLPACK_VERSION.major, true);
  v.setUint32(p + STRUCT_LAYOUT.versionMinor, DLPACK_VERSION.minor, true);
  v.setUint32(p + STRUCT_LAYOUT.managerCtx, holder.id, true);
  v.setUint32(p + STRUCT_LAYOUT.deleter, rt.deleterIndex, true);
  v.setBigUint64(p + STRUCT_LAYOUT.flags, 0n, true);
  // dlpack.h: the data pointer of a tensor of size zero should be NULL.
  v.setUint32(p + STRUCT_LAYOUT.data, empty ? 0 : base, true);
  v.setInt32(p + STRUCT_LAYOUT.deviceType, DLDeviceType.kDLCPU, true);
  v.setInt32(p + STRUCT_LAYOUT.deviceId, 0, true);
  v.setInt32(p + STRUCT_LAYOUT.ndim, ndim, true);
  v.setUint8(p + STRUCT_LAYOUT.dtypeCode, dtypeCode(dtype));
  v.setUint8(p + STRUCT_LAYOUT.dtypeBits, dtype.size * 8);
  v.setUint16(p + STRUCT_LAYOUT.dtypeLanes, 1, true);
  v.setUint32(p + STRUCT_LAYOUT.shape, shapePtr, true);
  v.setUint32(p + STRUCT_LAYOUT.strides, stridesPtr, true);
  v.setUint32(p + STRUCT_LAYOUT.strides + 4, 0, true);
  v.setBigUint64(p + STRUCT_LAYOUT.byteOffset, BigInt(empty ? 0 : offset * dtype.size), true);
  for (let i = 0; i < ndim; i++) {
    v.setBigInt64(shapePtr + 8 * i, BigInt(shape[i]!), true);
    v.setBigInt64(stridesPtr + 8 * i, BigInt(strides[i]!), true);
  }
  rt.live.set(p, holder);
  rt.liveCount++;
  return p;
}

/** dlpack.h's type code of a dtype (bits are dtype.size * 8, lanes 1), as __dlpack__ writes it. */
function dtypeCode(d: Dtype): number {
  if (d === bool) return DLDataTypeCode.kDLBool;
  if (d === bfloat16) return DLDataTypeCode.kDLBfloat;
  if (d === complex64) return DLDataTypeCode.kDLComplex;
  return d.kind === 'f' ? DLDataTypeCode.kDLFloat : d.kind === 'u' ? DLDataTypeCode.kDLUInt : DLDataTypeCode.kDLInt;
}

export interface FromStructOptions extends AbiOptions {
  /** Where the array should live (default: the default device). */
  device?: StreamOrDevice;
  /** true: always copy; false: share or throw BufferError; undefined: share when possible. */
  copy?: boolean;
  /** The table the struct's deleter indexes (default: the shared one, which loadModule's modules use). */
  table?: WebAssembly.Table;
}

function safeNumber(x: bigint, what: string, op: string): number {
  const n = Number(x);
  if (!Number.isSafeInteger(n)) throw new RangeError(`[${op}] ${what} (${x}) is not a safe integer.`);
  return n;
}

/**
 * Adopts the DLManagedTensorVersioned at `ptr` (in the backend's memory): an array over its
 * bytes (shared when the device's backend can use that memory, else copied), and its deleter
 * called once mlx-ts lets go: when the last array over shared bytes is released, at once after
 * a copy or an error. A struct is consumed once, as DLPack requires.
 */
export function fromStruct(ptr: number, options: FromStructOptions = {}): MxArray {
  const op = 'dlpack.fromStruct';
  const backend = wasmBackend(options?.backend, op);
  const rt = runtime(backend);
  const tbl = options?.table ?? rt.table;
  const memory = backend.heap.memory;
  const limit = memory.buffer.byteLength;
  if (!Number.isSafeInteger(ptr) || ptr <= 0 || ptr % STRUCT_LAYOUT.align !== 0 || ptr + STRUCT_LAYOUT.size > limit) {
    throw new RangeError(
      `[${op}] ${String(ptr)} is not the address of a DLManagedTensorVersioned in this memory (a non-null, 8-byte aligned address below ${limit - STRUCT_LAYOUT.size + 1}).`,
    );
  }
  const v = new DataView(memory.buffer);
  const deleterIndex = v.getUint32(ptr + STRUCT_LAYOUT.deleter, true);
  let deleter: ((p: number) => unknown) | null = null;
  if (deleterIndex !== 0) {
    const f = deleterIndex < tbl.length ? (tbl.get(deleterIndex) as ((p: number) => unknown) | null) : null;
    if (typeof f !== 'function') {
      throw new RangeError(`[${op}] the struct's deleter is table index ${deleterIndex}, which holds no function in the given table.`);
    }
    deleter = f;
  }
  let deleted = false;
  const callDeleter = (): void => {
    if (deleted) return;
    deleted = true;
    deleter?.(ptr);
  };
  const major = v.getUint32(ptr + STRUCT_LAYOUT.versionMajor, true);
  const minor = v.getUint32(ptr + STRUCT_LAYOUT.versionMinor, true);
  if (major !== DLPACK_VERSION.major) {
    // Only the version is at a fixed place across majors; the consumer must still delete.
    callDeleter();
    throw new BufferError(`[${op}] DLPack ${major}.${minor} structs are not supported; mlx-ts reads ${DLPACK_VERSION.major}.x.`);
  }
  let capsule: DLPackCapsule;
  try {
    const flags = v.getBigUint64(ptr + STRUCT_LAYOUT.flags, true);
    const ndim = v.getInt32(ptr + STRUCT_LAYOUT.ndim, true);
    if (ndim < 0 || ndim > MAX_NDIM) throw new RangeError(`[${op}] ndim ${ndim} is out of range (0..${MAX_NDIM}).`);
    const shapePtr = v.getUint32(ptr + STRUCT_LAYOUT.shape, true);
    const stridesPtr = v.getUint32(ptr + STRUCT_LAYOUT.strides, true);
    const readInt64s = (at: number, what: string): number[] => {
      if (ndim > 0 && (at === 0 || at + 8 * ndim > limit)) throw new RangeError(`[${op}] ${what} pointer ${at} is outside the memory.`);
      return Array.from({ length: ndim }, (_, i) => safeNumber(v.getBigInt64(at + 8 * i, true), `${what}[${i}]`, op));
    };
    const shape = readInt64s(shapePtr, 'shape');
    const strides = stridesPtr === 0 ? null : readInt64s(stridesPtr, 'strides');
    const data = v.getUint32(ptr + STRUCT_LAYOUT.data, true);
    const byteOffset = safeNumber(v.getBigUint64(ptr + STRUCT_LAYOUT.byteOffset, true), 'byte_offset', op);
    const empty = shape.some((d) => d === 0);
    if (!empty && data === 0) throw new RangeError(`[${op}] the struct's data pointer is NULL for a non-empty tensor.`);
    capsule = {
      version: { major, minor },
      flags: Number(flags & 0xffffffffn),
      dlTensor: {
        data: memory.buffer,
        byteOffset: empty ? 0 : data + byteOffset,
        device: { deviceType: v.getInt32(ptr + STRUCT_LAYOUT.deviceType, true), deviceId: v.getInt32(ptr + STRUCT_LAYOUT.deviceId, true) },
        ndim,
        dtype: {
          code: v.getUint8(ptr + STRUCT_LAYOUT.dtypeCode),
          bits: v.getUint8(ptr + STRUCT_LAYOUT.dtypeBits),
          lanes: v.getUint16(ptr + STRUCT_LAYOUT.dtypeLanes, true),
        },
        shape,
        strides,
      },
      deleter: callDeleter,
    };
  } catch (e) {
    callDeleter();
    throw e;
  }
  let copy = options?.copy;
  // A plain (non-shared) memory's buffer is replaced when it grows: only the WASM backend,
  // which addresses it by offset, may keep pointing into it; anyone else gets a copy.
  const target = backendFor(toStream(options?.device).device);
  if (!backend.heap.shared && target !== backend && copy !== true) {
    if (copy === false) {
      callDeleter();
      throw new BufferError(
        `[${op}] cannot share this memory: it is a non-shared WebAssembly memory, which the '${target.name}' backend cannot keep a view of. Pass copy: true (or leave copy undefined) to copy it.`,
      );
    }
    copy = true;
  }
  return fromDlpack(capsule, { device: options?.device, copy });
}

export interface LoadModuleOptions extends AbiOptions {
  /** More imports; env's entries are added to (and may not replace) the linking ones. */
  imports?: WebAssembly.Imports;
}

export interface LoadedModule {
  readonly instance: WebAssembly.Instance;
  readonly exports: WebAssembly.Exports;
  /** Where the module's data and bss start in the backend's memory (a heap block). */
  readonly memoryBase: number;
  readonly memorySize: number;
  /** Its first slot in the shared function table. */
  readonly tableBase: number;
  readonly tableSize: number;
}

interface DylinkMemInfo {
  memorySize: number;
  memoryAlign: number;
  tableSize: number;
  tableAlign: number;
}

/** The WASM_DYLINK_MEM_INFO of a side module's dylink.0 section (DynamicLinking.md). */
function readDylink(module: WebAssembly.Module, op: string): DylinkMemInfo {
  const sections = WebAssembly.Module.customSections(module, 'dylink.0');
  if (sections.length !== 1) {
    throw new TypeError(
      `[${op}] the module has no dylink.0 section: build it as a side module (clang -fPIC -Wl,--experimental-pic -Wl,-shared), see tests/c/build.ts.`,
    );
  }
  const b = new Uint8Array(sections[0]!);
  let at = 0;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (at >= b.length) throw new TypeError(`[${op}] truncated dylink.0 section.`);
      const byte = b[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const info: DylinkMemInfo = { memorySize: 0, memoryAlign: 0, tableSize: 0, tableAlign: 0 };
  while (at < b.length) {
    const kind = b[at++]!;
    const len = leb();
    const end = at + len;
    if (kind === 1) {
      info.memorySize = leb();
      info.memoryAlign = leb();
      info.tableSize = leb();
      info.tableAlign = leb();
    } else if (kind === 2 && leb() > 0) {
      throw new TypeError(`[${op}] the module needs other shared libraries (WASM_DYLINK_NEEDED); link it into one module.`);
    }
    at = end;
  }
  return info;
}

/**
 * Instantiates a wasm32 side module (C built with -fPIC -shared) over the backend's memory:
 * its data in a heap block, its function pointers in the shared table, the shared C stack.
 * Modules stay loaded as long as the backend (their blocks are never freed).
 */
export function loadModule(source: BufferSource | WebAssembly.Module, options: LoadModuleOptions = {}): LoadedModule {
  const op = 'dlpack.loadModule';
  const backend = wasmBackend(options?.backend, op);
  const rt = runtime(backend);
  const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
  const got = WebAssembly.Module.imports(module).find((i) => i.module === 'GOT.mem' || i.module === 'GOT.func');
  if (got) {
    throw new TypeError(
      `[${op}] the module imports ${got.module}.${got.name}: symbols resolved at load time are not supported. Build with -fvisibility=hidden and mark exports with __attribute__((visibility("default"))).`,
    );
  }
  const info = readDylink(module, op);
  const heap = backend.heap;
  let memoryBase = 0;
  let block: { ptr: number; size: number } | null = null;
  if (info.memorySize > 0) {
    const align = 2 ** info.memoryAlign;
    block = heap.alloc(info.memorySize + Math.max(0, align - 16));
    memoryBase = Math.ceil(block.ptr / align) * align;
    heap.bytes(memoryBase, info.memorySize).fill(0); // bss (and a reused block's old bytes)
  }
  const tableAlign = 2 ** info.tableAlign;
  const tableBase = Math.ceil(rt.table.length / tableAlign) * tableAlign;
  if (tableBase + info.tableSize > rt.table.length) rt.table.grow(tableBase + info.tableSize - rt.table.length);
  const extra = options?.imports ?? {};
  const env: Record<string, WebAssembly.ImportValue> = {
    ...(extra.env as Record<string, WebAssembly.ImportValue> | undefined),
    memory: heap.memory,
    __indirect_function_table: rt.table,
    __stack_pointer: rt.stackPointer,
    __memory_base: new WebAssembly.Global({ value: 'i32', mutable: false }, memoryBase),
    __table_base: new WebAssembly.Global({ value: 'i32', mutable: false }, tableBase),
  };
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, { ...extra, env });
  } catch (e) {
    if (block) heap.free(block.ptr, block.size);
    if (e instanceof WebAssembly.LinkError) {
      throw new WebAssembly.LinkError(
        `[${op}] ${e.message}. The module must import a ${heap.shared ? 'shared' : 'non-shared'} memory ` +
          `(${heap.shared ? 'link with -Wl,--shared-memory, -matomics -mbulk-memory' : 'link without --shared-memory'}) ` +
          `whose maximum is at least ${heap.maximumBytes} bytes (-Wl,--max-memory=...).`,
      );
    }
    throw e;
  }
  const call = (name: string): void => {
    const f = instance.exports[name];
    if (typeof f === 'function') (f as () => void)();
  };
  call('__wasm_apply_data_relocs'); // non-shared memories (shared ones apply them in the start function)
  call('__wasm_call_ctors');
  return { instance, exports: instance.exports, memoryBase, memorySize: info.memorySize, tableBase, tableSize: info.tableSize };
}
