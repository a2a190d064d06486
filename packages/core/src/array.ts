// The array handle: dtype, shape and either evaluated storage (with strides and offset, so
// that views never copy) or a node of the lazy graph (primitive + inputs + siblings).
import {
  Dtype,
  bool,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64,
  complex64,
  isBigInt,
  promoteTypes,
} from './dtype.js';
import type { Storage } from './backend/interface.js';
import type { Primitive } from './primitive.js';
import { type Stream, toStream, backendFor, type StreamOrDevice } from './device.js';
import { shapeSize, rowMajorStrides, shapeToString, checkShapeLimits } from './shape.js';
import { type Complex, isComplexValue, typedView, elementToJs, numberWriter, bigintWriter } from './elements.js';
import { numberToHalf } from './half.js';
import { runNode } from './transforms/eval-node.js';
import { inTracing, deferDetach, setDetach } from './transforms/trace.js';

export interface Node {
  readonly prim: Primitive<any>;
  readonly inputs: MxArray[];
  /** All outputs of the primitive, this array included (multi-output primitives). */
  readonly outputs: MxArray[];
  readonly stream: Stream;
}

export interface Evaluated {
  readonly storage: Storage;
  readonly strides: number[];
  readonly offset: number;
}

export type Scalar = boolean | number | bigint | Complex;
export type MultiDimensionalArray<T> = MultiDimensionalArray<T>[] | T;
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
export type ScalarOrArray = MultiDimensionalArray<Scalar | TypedArray | MxArray>;
/** What `mx.array` accepts: JS values, TypedArrays, arrays, and DLPack producers (interop). */
export type ArrayInput = ScalarOrArray | { __dlpack__(options?: never): unknown };

let nextId = 1;

// ---- memory: storage reference counts, GC release, dispose and tidy scopes ----

/** @internal drops one reference (an array's, or a pin held by an exported view or capsule). */
export function releaseStorageRef(s: Storage): void {
  if (s.released) return;
  if (--s.refs <= 0) {
    s.released = true;
    s.backend.release(s);
  }
}

const collected = new FinalizationRegistry<Storage>(releaseStorageRef);

/** @internal tidy scopes: arrays created while a scope is open are tracked in it. */
export const tidyScopes: Set<MxArray>[] = [];

export class MxArray {
  /** @internal */ _shape: number[];
  /** @internal */ _dtype: Dtype;
  /** @internal */ _data: Evaluated | null = null;
  /** @internal */ _node: Node | null = null;
  /** @internal number of unevaluated arrays that use this one as an input */
  _consumers = 0;
  /** @internal */ _disposed = false;
  /** @internal an internal handle (an in-place update's old value): storage released once unused */
  _internal = false;
  /**
   * @internal derived from an input traced by a running transform: while tracing, it keeps
   * its graph after evaluation so the transform can walk it (MLX's is_tracer()).
   */
  _tracer = false;
  /** @internal pending nodes that use this array as an input (for in-place overwrite) */
  _users: Set<Node> | null = null;
  /** @internal */ readonly _id: number;

  /** `new mx.array(value, dtype?)`: copies JS data into a new array. */
  constructor(value: ArrayInput, dtype?: Dtype) {
    this._id = nextId++;
    this._shape = [];
    this._dtype = float32;
    if (value instanceof MxArray) {
      // mx.array(otherArray) is a copy, as in MLX.
      return copyArray(value, dtype);
    }
    const foreign = foreignImport?.(value, dtype);
    if (foreign) return foreign;
    fillFromJs(this, value as ScalarOrArray, dtype);
    track(this);
  }

  /** @internal creates a lazy array without running the JS-value constructor. */
  static _lazy(shape: number[], dtype: Dtype, node: Node | null): MxArray {
    checkShapeLimits(shape, node ? node.prim.name : 'array');
    const a = Object.create(MxArray.prototype) as MxArray;
    a._shape = shape;
    a._dtype = dtype;
    a._data = null;
    a._node = node;
    a._consumers = 0;
    a._disposed = false;
    a._internal = false;
    a._tracer = node !== null && node.inputs.some((x) => x._tracer);
    a._users = null;
    (a as { _id: number })._id = nextId++;
    track(a);
    return a;
  }

  /** @internal an evaluated array over fresh contiguous storage on the stream's backend. */
  static _fromStorage(shape: number[], dtype: Dtype, storage: Storage, strides?: number[], offset = 0): MxArray {
    const a = MxArray._lazy(shape, dtype, null);
    a._attach(storage, strides ?? rowMajorStrides(shape), offset);
    return a;
  }

  /** @internal points this array at (a view of) storage. */
  _attach(storage: Storage, strides: number[], offset: number): void {
    if (storage.released) throw new Error('internal: attaching released storage');
    storage.refs++;
    this._data = { storage, strides, offset };
    collected.register(this, storage, this);
  }

  /** @internal throws when the user's handle was disposed. */
  _check(): this {
    if (this._disposed) throw new Error('This array has been disposed (mx.dispose / mx.tidy) and can no longer be used.');
    return this;
  }

  get shape(): number[] {
    return [...this._check()._shape];
  }
  get dtype(): Dtype {
    return this._check()._dtype;
  }
  get ndim(): number {
    return this._check()._shape.length;
  }
  get size(): number {
    return shapeSize(this._check()._shape);
  }
  get itemsize(): number {
    return this._check()._dtype.size;
  }
  get nbytes(): number {
    return this.size * this._dtype.size;
  }
  /** Length of the first axis (like len() in Python); throws for a scalar. */
  get length(): number {
    this._check();
    if (this._shape.length === 0) throw new TypeError('len() of a 0-d array (scalar) is undefined.');
    return this._shape[0]!;
  }

  /** Strides in elements; evaluates the array (strides exist only once it has storage). */
  get strides(): number[] {
    evalArrays([this]);
    return [...this._data!.strides];
  }

  /** Whether this array has been evaluated (has storage). */
  get isEvaluated(): boolean {
    return this._data !== null;
  }

  /** The single element of a size-1 array as a JS value; evaluates the array. */
  item(): Scalar {
    this._check();
    if (this.size !== 1) {
      throw new Error(`item() can only be called on arrays of size 1, got an array of shape ${shapeToString(this._shape)}.`);
    }
    const { data, offset } = hostElements(this);
    return elementToJs(this._dtype, data, offset);
  }

  /** Nested JS arrays of the elements (numbers, booleans, bigints beyond 2^53, {re, im}). */
  tolist(): MultiDimensionalArray<Scalar> {
    this._check();
    const { data, offset, strides } = hostElements(this);
    const dtype = this._dtype;
    const shape = this._shape;
    const lanes = dtype.lanes;
    const rec = (dim: number, off: number): MultiDimensionalArray<Scalar> => {
      if (dim === shape.length) return elementToJs(dtype, data, off / lanes);
      const out: MultiDimensionalArray<Scalar>[] = [];
      for (let i = 0; i < shape[dim]!; i++) out.push(rec(dim + 1, off + i * strides[dim]! * lanes));
      return out;
    };
    return rec(0, offset * lanes);
  }

  [Symbol.dispose](): void {
    disposeArray(this);
  }

  *[Symbol.iterator](): IterableIterator<MxArray> {
    this._check();
    if (this._shape.length === 0) throw new TypeError('Cannot iterate over a 0-d array (scalar).');
    const n = this._shape[0]!;
    for (let i = 0; i < n; i++) yield this.index(i);
  }
}

// Methods mirroring ops are installed by ops/*.ts through declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface MxArray {
  index(...index: unknown[]): MxArray;
}

export function isArray(x: unknown): x is MxArray {
  return x instanceof MxArray;
}

// Live array handles (node-mlx's getWrappersCount): created and neither disposed nor collected.
let liveHandles = 0;
const handleRegistry = new FinalizationRegistry<undefined>(() => {
  liveHandles--;
});

/** Number of live array handles (created, not yet disposed or garbage-collected). */
export function getWrappersCount(): number {
  return liveHandles;
}

function track(a: MxArray): void {
  liveHandles++;
  handleRegistry.register(a, undefined, a);
  const scope = tidyScopes[tidyScopes.length - 1];
  if (scope) scope.add(a);
}

/**
 * @internal Drops an array's graph links once it no longer needs them; inputs that were
 * disposed while still needed are released then. A worklist, not recursion: chains of
 * disposed arrays can be as long as a graph is deep.
 */
function dropNode(first: MxArray): void {
  const work = [first];
  while (work.length) {
    const a = work.pop()!;
    const node = a._node;
    if (!node) continue;
    a._node = null;
    for (const inp of node.inputs) {
      inp._users?.delete(node);
      inp._consumers--;
      if ((inp._disposed || inp._internal) && inp._consumers <= 0) {
        releaseStorage(inp);
        work.push(inp);
      }
    }
  }
}

setDetach((a) => {
  if (a._data) dropNode(a);
});

function releaseStorage(a: MxArray): void {
  if (a._data) {
    const s = a._data.storage;
    collected.unregister(a);
    a._data = null;
    releaseStorageRef(s);
  }
}

function releaseArray(a: MxArray): void {
  releaseStorage(a);
  dropNode(a);
}

/** @internal dispose one array: the handle is dead now; its memory goes once no lazy array needs it. */
export function disposeArray(a: MxArray): void {
  if (a._disposed) return;
  a._disposed = true;
  if (handleRegistry.unregister(a)) liveHandles--;
  if (a._consumers <= 0) releaseArray(a);
}

/** @internal creates a lazy output of a primitive. */
export function makeArray(shape: number[], dtype: Dtype, prim: Primitive<any>, inputs: MxArray[], s?: StreamOrDevice): MxArray {
  return makeArrays([shape], [dtype], prim, inputs, s)[0]!;
}

/** @internal creates the sibling outputs of a multi-output primitive. */
export function makeArrays(
  shapes: number[][],
  dtypes: Dtype[],
  prim: Primitive<any>,
  inputs: MxArray[],
  s?: StreamOrDevice,
): MxArray[] {
  const stream = toStream(s);
  const outputs: MxArray[] = [];
  const node: Node = { prim, inputs, outputs, stream };
  for (let i = 0; i < shapes.length; i++) outputs.push(MxArray._lazy(shapes[i]!, dtypes[i]!, node));
  for (const inp of inputs) {
    inp._consumers++;
    (inp._users ??= new Set()).add(node);
  }
  return outputs;
}

/**
 * @internal MLX's in-place update (`a[idx] = v`, overwrite_descriptor): `a`'s current state
 * moves to a fresh internal handle that every pending user of `a` is re-pointed at, `build`
 * makes the new value from that handle, and `a` takes the new value's state. Arrays that
 * used or viewed the old `a` are unchanged.
 */
export function overwriteArray(a: MxArray, build: (old: MxArray) => MxArray): void {
  a._check();
  const old = MxArray._lazy(a._shape, a._dtype, null);
  old._tracer = a._tracer;
  if (a._data) {
    const d = a._data;
    old._attach(d.storage, d.strides, d.offset);
    releaseStorage(a);
  } else if (a._node) {
    old._node = a._node;
    const outs = a._node.outputs;
    outs[outs.indexOf(a)] = old;
    a._node = null;
  }
  old._consumers = a._consumers;
  a._consumers = 0;
  old._users = a._users;
  a._users = null;
  for (const n of old._users ?? []) {
    const ins = n.inputs;
    for (let i = 0; i < ins.length; i++) if (ins[i] === a) ins[i] = old;
  }
  const r = build(old);
  if (r._data) {
    a._attach(r._data.storage, r._data.strides, r._data.offset);
  } else if (r._node) {
    a._node = r._node;
    const outs = r._node.outputs;
    outs[outs.indexOf(r)] = a;
    r._node = null;
    a._consumers = r._consumers;
    a._users = r._users;
    r._consumers = 0;
    r._users = null;
  }
  a._shape = r._shape;
  a._dtype = r._dtype;
  a._tracer = r._tracer;
  disposeArray(r);
  // `old` is internal: its storage goes as soon as no pending node needs it. It is not marked
  // disposed, since transform rules read node inputs with ops.
  old._internal = true;
  if (handleRegistry.unregister(old)) liveHandles--;
  if (old._consumers <= 0) releaseArray(old);
}

// ---- evaluation ----

/** Evaluates arrays: iterative topological walk, so deep graphs can't overflow the stack. */
export function evalArrays(roots: MxArray[]): void {
  const order: MxArray[] = [];
  const seen = new Set<MxArray>();
  const stack: [MxArray, boolean][] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push([roots[r]!, false]);
  while (stack.length) {
    const [a, expanded] = stack.pop()!;
    if (expanded) {
      order.push(a);
      continue;
    }
    if (seen.has(a) || a._data) continue;
    if (!a._node) throw new Error('This array was disposed before it was evaluated.');
    for (const o of a._node.outputs) seen.add(o);
    stack.push([a, true]);
    const inputs = a._node.inputs;
    for (let i = inputs.length - 1; i >= 0; i--) {
      const inp = inputs[i]!;
      if (!seen.has(inp) && !inp._data) stack.push([inp, false]);
    }
  }
  for (const a of order) {
    if (a._data) continue; // computed as a sibling
    const node = a._node!;
    runNode(node);
    for (const o of node.outputs) {
      // A transform walks tracers' graphs after fn returns: keep them until it ends.
      if (o._tracer && inTracing()) deferDetach(o);
      else dropNode(o);
    }
  }
}

/** @internal host-visible elements of an evaluated array (CPU backends only). */
export function hostElements(a: MxArray): {
  data: ReturnType<typeof typedView>;
  offset: number;
  strides: number[];
} {
  evalArrays([a]);
  const { storage, offset, strides } = a._data!;
  const b = storage.backend;
  if (!b.syncReadable || !b.hostBytes) {
    throw new Error(
      `Arrays on the '${b.name}' backend can't be read synchronously; use await mx.asyncEval(a) and the async readers, or move the array to mx.cpu.`,
    );
  }
  return { data: typedView(a._dtype, b.hostBytes(storage)), offset, strides };
}

// ---- construction from JS values ----

type Kind = 0 | 1 | 2 | 3; // bool < int < float < complex, as MLX's PyScalarT

function inferShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = 0 in v ? v[0] : 0;
  }
  if (v instanceof MxArray) shape.push(...v._check()._shape);
  return shape;
}

function raggedError(): never {
  throw new Error('mx.array: ragged nested array (initialization encountered non-uniform length); every sub-list at a depth must have the same length.');
}

function fillFromJs(target: MxArray, value: ScalarOrArray, dtype: Dtype | undefined): void {
  if (dtype !== undefined && !(dtype instanceof Dtype)) {
    throw new TypeError(`mx.array: dtype must be an mx Dtype (e.g. mx.float32), got ${String(dtype)}`);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    fillFromTypedArray(target, value as unknown as ArrayLike<number | bigint>, dtype);
    return;
  }
  const shape = inferShape(value);
  const leaves: unknown[] = [];
  let kind: Kind = 0;
  let wideInt = false;
  let arrayDtype: Dtype | null = null;
  const visit = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth >= shape.length || v.length !== shape[depth]) raggedError();
      // Holes of a sparse JS array count as zeros, as in node-mlx.
      for (let i = 0; i < v.length; i++) visit(i in v ? v[i] : 0, depth + 1);
      return;
    }
    if (v instanceof MxArray) {
      v._check();
      const sub = v._shape;
      if (depth + sub.length !== shape.length || sub.some((d, i) => d !== shape[depth + i])) raggedError();
      arrayDtype = arrayDtype ? promote(arrayDtype, v._dtype) : v._dtype;
      leaves.push(v);
      return;
    }
    if (depth !== shape.length) raggedError();
    if (typeof v === 'boolean') {
      // kind stays
    } else if (typeof v === 'number') {
      if (Number.isInteger(v)) {
        kind = Math.max(kind, 1) as Kind;
        if (v > 2147483647 || v < -2147483648) wideInt = true;
      } else kind = Math.max(kind, 2) as Kind;
    } else if (typeof v === 'bigint') {
      kind = Math.max(kind, 1) as Kind;
      if (v > 2147483647n || v < -2147483648n) wideInt = true;
    } else if (isComplexValue(v)) {
      kind = 3;
    } else {
      throw new TypeError(`mx.array: invalid element ${describe(v)}; expected numbers, booleans, bigints, {re, im} or mx arrays.`);
    }
    leaves.push(v);
  };
  visit(value, 0);
  // An empty list is float32, as in MLX.
  if (leaves.length === 0 && shape.length > 0 && shape[shape.length - 1] === 0 && !arrayDtype) kind = 2;
  let inferred: Dtype = [bool, wideInt ? int64 : int32, float32, complex64][kind]!;
  if (arrayDtype) inferred = leaves.every((l) => l instanceof MxArray) ? arrayDtype : promote(arrayDtype, inferred);
  const out = dtype ?? inferred;
  target._shape = shape;
  target._dtype = out;
  const n = shapeSize(shape);
  const storage = backendFor(toStream(undefined).device).allocate(n * out.size);
  const data = typedView(out, storage.backend.hostBytes!(storage));
  writeLeaves(data, out, leaves, kind, n);
  target._attach(storage, rowMajorStrides(shape), 0);
}

const promote = promoteTypes;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v}'`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : `${typeof v} ${String(v)}`;
}

/**
 * Writes leaves with MLX's rules: Python floats go through float32 unless the target is
 * float64; ints go through int64 for 64-bit targets and stay exact.
 */
function writeLeaves(data: ReturnType<typeof typedView>, out: Dtype, leaves: unknown[], kind: Kind, n: number): void {
  const wn = numberWriter(out, data);
  const wb = bigintWriter(out, data);
  let pos = 0;
  for (const leaf of leaves) {
    if (leaf instanceof MxArray) {
      const { data: src, offset, strides } = hostElements(leaf);
      const m = shapeSize(leaf._shape);
      const sub = leaf._shape;
      const idx = new Array<number>(sub.length).fill(0);
      for (let k = 0; k < m; k++) {
        let off = offset;
        for (let d = 0; d < sub.length; d++) off += idx[d]! * strides[d]!;
        const v = elementToJs(leaf._dtype, src, off);
        writeOne(out, data, wn, wb, pos++, v, 2);
        for (let d = sub.length - 1; d >= 0; d--) {
          if (++idx[d]! < sub[d]!) break;
          idx[d] = 0;
        }
      }
      continue;
    }
    writeOne(out, data, wn, wb, pos++, leaf as Scalar, kind);
  }
  if (pos !== n) throw new Error('internal: element count mismatch in mx.array');
}

function writeOne(
  out: Dtype,
  data: ReturnType<typeof typedView>,
  wn: (i: number, v: number) => void,
  wb: (i: number, v: bigint) => void,
  i: number,
  v: Scalar,
  kind: Kind,
): void {
  if (out === complex64) {
    const c = isComplexValue(v) ? v : { re: Number(v), im: 0 };
    (data as Float32Array)[2 * i] = c.re;
    (data as Float32Array)[2 * i + 1] = c.im ?? 0;
    return;
  }
  if (isComplexValue(v)) {
    wn(i, v.re); // complex -> real keeps the real part, as a C++ cast does
    return;
  }
  if (typeof v === 'bigint') {
    wb(i, v);
    return;
  }
  if (typeof v === 'boolean') {
    wn(i, v ? 1 : 0);
    return;
  }
  if (isBigInt(out) && Number.isInteger(v)) {
    wb(i, BigInt(v));
    return;
  }
  // Python floats are stored through float32 unless the target is float64 (MLX's
  // array_from_list); so are ints bound for an inexact dtype.
  if (out !== float64 && (kind >= 2 || out.kind === 'f' || out.kind === 'V') && !(out.kind === 'i' || out.kind === 'u' || out === bool)) {
    wn(i, Math.fround(v));
    return;
  }
  wn(i, v);
}

const typedArrayDtypes: [unknown, Dtype][] = [
  [Float32Array, float32],
  [Float64Array, float32], // MLX maps NumPy float64 to float32 unless asked
  [Int32Array, int32],
  [Uint32Array, uint32],
  [typeof BigInt64Array !== 'undefined' ? BigInt64Array : null, int64],
  [typeof BigUint64Array !== 'undefined' ? BigUint64Array : null, uint64],
];
typedArrayDtypes.push([Int8Array, int8], [Int16Array, int16], [Uint8Array, uint8], [Uint8ClampedArray, uint8], [Uint16Array, uint16]);
const F16 = (globalThis as { Float16Array?: unknown }).Float16Array;
if (F16) typedArrayDtypes.push([F16, float16]);

/** @internal the dtype a TypedArray maps to (MLX's NumPy rules). */
export function dtypeOfTypedArray(t: ArrayBufferView): Dtype {
  for (const [C, d] of typedArrayDtypes) if (C && t instanceof (C as typeof Int8Array)) return d;
  throw new TypeError(`mx.array: unsupported TypedArray ${t.constructor.name}`);
}

function fillFromTypedArray(target: MxArray, t: ArrayLike<number | bigint>, dtype: Dtype | undefined): void {
  const src = dtypeOfTypedArray(t as unknown as ArrayBufferView);
  const out = dtype ?? src;
  const n = t.length;
  checkShapeLimits([n], 'array');
  target._shape = [n];
  target._dtype = out;
  const storage = backendFor(toStream(undefined).device).allocate(n * out.size);
  const data = typedView(out, storage.backend.hostBytes!(storage));
  const wn = numberWriter(out, data);
  const wb = bigintWriter(out, data);
  const isF16 = src === float16;
  for (let i = 0; i < n; i++) {
    const v = t[i]!;
    if (typeof v === 'bigint') wb(i, v);
    else if (out === complex64) {
      (data as Float32Array)[2 * i] = v;
      (data as Float32Array)[2 * i + 1] = 0;
    } else if (isF16 && out === float16) (data as Uint16Array)[i] = numberToHalf(v);
    else if (isBigInt(out)) wb(i, BigInt(Math.trunc(v)));
    else wn(i, v);
  }
  target._attach(storage, [1], 0);
}

// Objects from other libraries (DLPack producers) are imported by interop/, installed here to
// avoid an import cycle; it returns undefined for anything else.
let foreignImport: ((value: unknown, dtype?: Dtype) => MxArray | undefined) | null = null;
/** @internal */
export function setForeignImport(f: (value: unknown, dtype?: Dtype) => MxArray | undefined): void {
  foreignImport = f;
}

// copyArray is installed by ops (astype with a forced copy) to avoid an import cycle.
let copyImpl: ((a: MxArray, dtype?: Dtype) => MxArray) | null = null;
/** @internal */
export function setCopyImpl(f: (a: MxArray, dtype?: Dtype) => MxArray): void {
  copyImpl = f;
}
function copyArray(a: MxArray, dtype?: Dtype): MxArray {
  if (!copyImpl) throw new Error('internal: ops not loaded');
  return copyImpl(a._check(), dtype);
}
