// Runs one node of the graph: picks the stream's backend, moves inputs that live on another
// backend, lets view primitives share storage, and gives other primitives contiguous outputs
// to fill: fresh storage, or an input's that no one can read again (donation, as MLX).
import type { MxArray, Node } from '../array.js';
import { MxArray as ArrayClass, disposeArray } from '../array.js';
import type { ArrayData, Backend } from '../backend/interface.js';
import { backendFor } from '../device.js';
import { Primitive } from '../primitive.js';
import { AsType } from '../primitives/copy.js';
import { inTracing } from './trace.js';
import { rowMajorStrides, shapeSize, isRowContiguous, shapesEqual } from '../shape.js';

function dataOf(a: MxArray): ArrayData {
  const d = a._data!;
  return { storage: d.storage, dtype: a._dtype, shape: a._shape, strides: d.strides, offset: d.offset };
}

/** A contiguous copy of an evaluated array on `backend` (same dtype). */
function contiguousCopy(a: MxArray, backend: Backend): MxArray {
  const storage = backend.allocate(shapeSize(a._shape) * a._dtype.size);
  const out = ArrayClass._fromStorage(a._shape, a._dtype, storage);
  backend.run(new Primitive(AsType, { dtype: a._dtype }), [dataOf(a)], [dataOf(out)]);
  return out;
}

/**
 * Makes sure an evaluated input lives on `backend`. A move copies the bytes once and
 * re-points the array at its new storage, so it is never moved twice.
 */
function onBackend(a: MxArray, backend: Backend): MxArray {
  const from = a._data!.storage.backend;
  if (from === backend) return a;
  let src = a;
  if (!isRowContiguous(a._shape, a._data!.strides)) src = contiguousCopy(a, from);
  const { storage, offset } = src._data!;
  const nbytes = shapeSize(a._shape) * a._dtype.size;
  if (!from.readSync) throw new Error(`Can't move an array off the '${from.name}' backend synchronously; evaluate it with await mx.asyncEval first.`);
  const bytes = from.readSync(storage, offset * a._dtype.size, nbytes);
  const dst = backend.allocate(nbytes);
  backend.write(dst, 0, bytes);
  if (src !== a) disposeArray(src); // our copy: its memory goes now, not at garbage collection
  const old = a._data!.storage;
  a._data = null;
  a._attach(dst, rowMajorStrides(a._shape), 0);
  // drop the reference the old placement held
  if (--old.refs <= 0 && !old.released) {
    old.released = true;
    old.backend.release(old);
  }
  return a;
}

export function runNode(node: Node): void {
  const backend = backendFor(node.stream.device);
  const inputs = node.inputs.map((x) => onBackend(x, backend));
  const aliases = node.prim.def.aliases;
  if (aliases) {
    aliases(node.prim.params).forEach((k, i) => {
      const d = inputs[k]!._data!;
      node.outputs[i]!._attach(d.storage, d.strides, d.offset);
    });
    return;
  }
  const view = node.prim.def.view;
  if (view) {
    const out = node.outputs[0]!;
    let src = inputs[0]!;
    let d = src._data!;
    let r = view(node.prim.params, { shape: src._shape, strides: d.strides, offset: d.offset }, out._shape);
    if (!r) {
      src = contiguousCopy(src, backend);
      d = src._data!;
      r = view(node.prim.params, { shape: src._shape, strides: d.strides, offset: d.offset }, out._shape);
      if (!r) throw new Error(`internal: view primitive ${node.prim.name} refused a contiguous input`);
    }
    out._attach(d.storage, r.strides, r.offset);
    if (src !== inputs[0]) disposeArray(src); // our copy: the view holds its storage now
    return;
  }
  const donor = node.outputs.length === 1 ? donatedInput(node, inputs) : null;
  for (const o of node.outputs) {
    if (donor) o._attach(donor._data!.storage, rowMajorStrides(o._shape), 0);
    else o._attach(backend.allocate(shapeSize(o._shape) * o._dtype.size), rowMajorStrides(o._shape), 0);
  }
  backend.run(node.prim, inputs.map(dataOf), node.outputs.map(dataOf));
}

/**
 * MLX's buffer donation: an elementwise node may write its output over an input that nothing
 * else can read again (no live handle: disposed or internal; this node its only pending user;
 * its storage held by no other array, view or pin; not kept by a running transform) when that
 * input is row-major from offset 0 with the output's shape and item size. Each output element
 * then overwrites the one input element it was computed from, so the kernels need no change.
 */
function donatedInput(node: Node, inputs: MxArray[]): MxArray | null {
  if (!node.prim.def.elementwise) return null;
  const out = node.outputs[0]!;
  for (const x of inputs) {
    const d = x._data!;
    // While a transform traces, its walk may still read an op's internal arrays (node inputs).
    const dead = x._disposed || (x._internal && !inTracing());
    if (!dead || x._consumers !== 1 || x._tracer || d.storage.refs !== 1) continue;
    if (d.offset !== 0 || x._dtype.size !== out._dtype.size || !shapesEqual(x._shape, out._shape)) continue;
    if (!isRowContiguous(x._shape, d.strides)) continue;
    return x;
  }
  return null;
}
