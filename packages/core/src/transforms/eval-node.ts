// Runs one node of the graph: picks the stream's backend, moves inputs that live on another
// backend, lets view primitives share storage, and gives other primitives fresh contiguous
// outputs to fill.
import type { MxArray, Node } from '../array.js';
import { MxArray as ArrayClass } from '../array.js';
import type { ArrayData, Backend } from '../backend/interface.js';
import { backendFor } from '../device.js';
import { Primitive } from '../primitive.js';
import { AsType } from '../primitives/copy.js';
import { rowMajorStrides, shapeSize, isRowContiguous } from '../shape.js';

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
    return;
  }
  for (const o of node.outputs) {
    o._attach(backend.allocate(shapeSize(o._shape) * o._dtype.size), rowMajorStrides(o._shape), 0);
  }
  backend.run(node.prim, inputs.map(dataOf), node.outputs.map(dataOf));
}
