// The array handle: dtype, shape and either evaluated storage (with strides and offset, so
// that views never copy) or a node of the lazy graph (primitive + inputs + siblings).
import './disposable.js'; // the shipped types use Symbol.dispose / Disposable
import { Dtype, float32 } from './dtype.js';
import type { Storage } from './backend/interface.js';
import type { Primitive } from './primitive.js';
import { type Stream, toStream, backendFor, type StreamOrDevice } from './device.js';
import { shapeSize, rowMajorStrides, shapeToString, checkShapeLimits } from './shape.js';
import { type Complex, typedView, elementToJs } from './elements.js';
import { fillFromJs } from './convert.js';
import { runNode } from './transforms/eval-node.js';
import { inTracing, deferDetach, setDetach } from './transforms/trace.js';
import { ownerOfNewArrays, collectingInto } from './ownership.js';

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

/**
 * What the collector settles for an array it collects: whether its handle still counts as live,
 * and the storage it still references. dispose / release clear the cell.
 *
 * Registration is the costly part of a small op (measured in Node 20: a register with an
 * unregister token ~0.7 us, two per array; without a token ~0.1 us plus the collector's work on
 * the cells), so an array is registered once, with no token, and only if it may still need the
 * collector: new arrays wait in `pending` (strongly held, at most PENDING_MAX of them, until
 * the next task; the collector's callbacks only run between tasks anyway: an array dropped
 * before is released at the next collection after it) and those disposed or released by then
 * are never registered.
 */
interface Cell {
  storage: Storage | null;
  live: boolean;
}

const collected = new FinalizationRegistry<Cell>((cell) => {
  if (cell.live) liveHandles--;
  const s = cell.storage;
  cell.storage = null;
  if (s) releaseStorageRef(s);
});

const PENDING_MAX = 1024;
// A task, not a microtask: an op awaited between its creation and its dispose (an async loop)
// still skips registration. setImmediate (Node, Bun, Deno) has no timer clamp.
const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
const laterTask = (f: () => void): void => void (immediate ? immediate(f) : setTimeout(f, 0));
let pending: MxArray[] = [];
let flushQueued = false;

/** Registers the pending arrays that may still need the collector. */
function flushPending(): void {
  flushQueued = false;
  const list = pending;
  pending = [];
  for (const a of list) {
    const c = a._cell;
    // dead for good: no handle, no storage, no pending reader that could still compute it
    if (!c.live && !c.storage && a._consumers <= 0) continue;
    collected.register(a, c);
  }
}

/** Gives a new array its cell: it counts as a live handle and is registered with the collector soon. */
function newCell(a: MxArray): void {
  a._cell = { storage: null, live: true };
  liveHandles++;
  pending.push(a);
  if (pending.length >= PENDING_MAX) flushPending();
  else if (!flushQueued) {
    flushQueued = true;
    laterTask(flushPending);
  }
}

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
  _users: Node[] | null = null;
  /** @internal the evalArrays walk that last reached this array (see evalEpoch) */
  _evalMark = 0;
  /** @internal */ readonly _id: number;
  /** @internal what the collector releases (see Cell) */
  _cell!: Cell;

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
    newCell(this);
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
    a._evalMark = 0;
    (a as { _id: number })._id = nextId++;
    newCell(a);
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
    this._cell.storage = storage;
  }

  /** @internal throws when the user's handle was disposed. */
  _check(): this {
    // node-mlx's text first (its users match on it), then what happened.
    if (this._disposed) throw new Error('Error converting "this" to mx.array. This array has been disposed (mx.dispose / mx.tidy) and can no longer be used.');
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

/** Number of live array handles (created, not yet disposed or garbage-collected). */
export function getWrappersCount(): number {
  return liveHandles;
}

function track(a: MxArray): void {
  ownerOfNewArrays()?.add(a);
}

/** The handle no longer counts as live (disposed, or made internal). */
function endHandle(a: MxArray): void {
  if (a._cell.live) {
    a._cell.live = false;
    liveHandles--;
  }
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
    // Sibling outputs share the node: its inputs are let go when the last of them drops it.
    if (node.outputs.some((o) => o._node === node)) continue;
    for (const inp of node.inputs) {
      const users = inp._users;
      if (users) {
        const i = users.indexOf(node);
        if (i >= 0) {
          users[i] = users[users.length - 1]!;
          users.pop();
        }
      }
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
    a._cell.storage = null;
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
  endHandle(a);
  if (a._consumers <= 0) releaseArray(a);
}

/**
 * @internal Runs fn, an op's or transform's own code, and makes the arrays it creates internal,
 * except those `kept(result)` lists (they join the caller's tidy scope, if any): no handle
 * outside fn reaches them, so each lets its storage go as soon as the last pending array that
 * reads it is evaluated, during eval, without waiting for the garbage collector.
 */
export function internalArrays<T>(fn: () => T, kept: (result: T) => Iterable<MxArray | null>): T {
  const made = new Set<MxArray>();
  let result: T | undefined;
  let done = false;
  try {
    result = collectingInto(made, fn);
    done = true;
  } finally {
    const keep = new Set(done ? kept(result as T) : []);
    const owner = ownerOfNewArrays();
    for (const a of made) {
      if (keep.has(a)) owner?.add(a);
      else markInternal(a);
    }
  }
  return result as T;
}

/** @internal makes `a` internal: the library holds the only handle, and lets it go now. */
export function markInternal(a: MxArray): void {
  if (a._disposed || a._internal) return;
  a._internal = true;
  endHandle(a);
  if (a._consumers <= 0) releaseArray(a); // nothing reads it: garbage already
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
    (inp._users ??= []).push(node);
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
  endHandle(old);
  if (old._consumers <= 0) releaseArray(old);
}

// ---- evaluation ----

/** Numbers the evalArrays walks (an array's _evalMark says which walk last reached it). */
let evalEpoch = 0;

/** Evaluates arrays: iterative topological walk, so deep graphs can't overflow the stack. */
export function evalArrays(roots: MxArray[]): void {
  const order: MxArray[] = [];
  // seen: _evalMark === epoch (no Set); the stack holds arrays and whether each is expanded
  const epoch = ++evalEpoch;
  const stack: MxArray[] = [];
  const expanded: boolean[] = [];
  for (let r = roots.length - 1; r >= 0; r--) {
    stack.push(roots[r]!);
    expanded.push(false);
  }
  while (stack.length) {
    const a = stack.pop()!;
    if (expanded.pop()) {
      order.push(a);
      continue;
    }
    if (a._evalMark === epoch || a._data) continue;
    if (!a._node) throw new Error('This array was disposed before it was evaluated.');
    for (const o of a._node.outputs) o._evalMark = epoch;
    stack.push(a);
    expanded.push(true);
    const inputs = a._node.inputs;
    for (let i = inputs.length - 1; i >= 0; i--) {
      const inp = inputs[i]!;
      if (inp._evalMark !== epoch && !inp._data) {
        stack.push(inp);
        expanded.push(false);
      }
    }
  }
  for (const a of order) {
    if (a._data) continue; // computed as a sibling
    const node = a._node!;
    runNode(node);
    for (const o of node.outputs) {
      // A sibling that was disposed (or released as internal) before it was computed.
      if (o._node !== node) releaseStorage(o);
      // A transform walks tracers' graphs after fn returns: keep them until it ends.
      else if (o._tracer && inTracing()) deferDetach(o);
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
  // A GPU backend that can wait for its results (the WebGPU one in Node) hands over a copy; one
  // that can't serves what asyncEval prefetched, or says how to get it.
  if ((b.syncReadable || b.prefetch) && !b.hostBytes && b.readSync) {
    return { data: typedView(a._dtype, b.readSync(storage, 0, storage.byteLength)), offset, strides };
  }
  if (!b.syncReadable || !b.hostBytes) {
    throw new Error(
      `Arrays on the '${b.name}' backend can't be read synchronously; use await mx.asyncEval(a) and the async readers, or move the array to mx.cpu.`,
    );
  }
  return { data: typedView(a._dtype, b.hostBytes(storage)), offset, strides };
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
