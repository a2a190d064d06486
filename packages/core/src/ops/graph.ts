// Graph utilities of MLX: depends (an ordering edge in the lazy graph) and exportToDot (the
// graph of some arrays in Graphviz's DOT language, as mlx/graph_utils.cpp writes it).
import { MxArray } from '../array.js';
import { dependsOn } from '../primitives/graph.js';
import { treeFlatten } from '../transforms/tree.js';
import type { Node } from '../array.js';
import { writeFileChunks } from '../interop/io/bytes.js';

function arrayList(x: MxArray | MxArray[], argName: string): MxArray[] {
  const list = x instanceof MxArray ? [x] : x;
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => a instanceof MxArray)) {
    throw new TypeError(`[depends] ${argName} must be an array or a non-empty list of arrays.`);
  }
  return list.map((a) => a._check());
}

/**
 * Arrays equal to `inputs` whose evaluation waits for `dependencies` (MLX's depends): one
 * array in, one out; a list in, a list out. The outputs share the inputs' memory.
 */
export function depends(inputs: MxArray, dependencies: MxArray | MxArray[]): MxArray;
export function depends(inputs: MxArray[], dependencies: MxArray | MxArray[]): MxArray[];
export function depends(inputs: MxArray | MxArray[], dependencies: MxArray | MxArray[]): MxArray | MxArray[] {
  const outs = dependsOn(arrayList(inputs, 'inputs'), arrayList(dependencies, 'dependencies'));
  return inputs instanceof MxArray ? outs[0]! : outs;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || x instanceof MxArray || Array.isArray(x)) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** MLX's NodeNamer: given names first, then A, B, ..., Z, AA, AB, ... by order of first use. */
class NodeNamer {
  private readonly names = new Map<MxArray, string>();
  set(a: MxArray, name: string): void {
    this.names.set(a, name);
  }
  get(a: MxArray): string {
    let name = this.names.get(a);
    if (name === undefined) {
      let k = this.names.size + 1;
      name = '';
      while (k > 0) {
        name = String.fromCharCode(65 + ((k - 1) % 26)) + name;
        k = Math.floor((k - 1) / 26);
      }
      this.names.set(a, name);
    }
    return name;
  }
}

/** Inputs before users, each node once (siblings visited together), as MLX's traversal. */
function depthFirst(outputs: MxArray[], visit: (a: MxArray) => void): void {
  const seen = new Set<MxArray>();
  const recurse = (a: MxArray): void => {
    if (seen.has(a)) return;
    seen.add(a);
    for (const sib of a._node?.outputs ?? []) seen.add(sib);
    for (const inp of a._node?.inputs ?? []) recurse(inp);
    visit(a);
  };
  for (const o of outputs) recurse(o);
}

/**
 * Writes the unevaluated graph behind the arrays in `args` in DOT form, as MLX's
 * export_to_dot: evaluated arrays are sources, arrays nothing else uses are sinks, each
 * primitive a rectangle. `file` is a path (Node's file system) or anything with a
 * `write(text)` method. A plain object as the last argument names arrays ({ x, y } labels
 * those arrays x and y; MLX's keyword arguments); other arguments are arrays or trees of them.
 */
export function exportToDot(file: string | { write(text: string): unknown }, ...args: unknown[]): void {
  const namer = new NodeNamer();
  const named = args.length > 0 && isPlainObject(args[args.length - 1]) ? (args[args.length - 1] as Record<string, unknown>) : {};
  for (const [name, a] of Object.entries(named)) {
    if (!(a instanceof MxArray)) throw new TypeError(`[export_to_dot] the name '${name}' must label an array.`);
    namer.set(a, name);
  }
  const arrays = treeFlatten(args).map((a) => a._check());
  const intermediate = new Set<MxArray>();
  depthFirst(arrays, (a) => {
    for (const inp of a._node?.inputs ?? []) intermediate.add(inp);
  });
  const ids = new Map<Node, number>();
  const lines = ['digraph {'];
  depthFirst(arrays, (a) => {
    const node = a._node;
    if (!node) {
      lines.push(`{ rank=source; "${namer.get(a)}"; }`);
      return;
    }
    let id = ids.get(node);
    if (id === undefined) ids.set(node, (id = ids.size + 1));
    lines.push(`{ ${id} [label ="${node.prim.name}", shape=rectangle]; }`);
    for (const inp of node.inputs) lines.push(`"${namer.get(inp)}" -> ${id}`);
    for (const out of node.outputs) {
      lines.push(`{ ${intermediate.has(out) ? '' : 'rank=sink; '}"${namer.get(out)}"; }`);
      lines.push(`${id} -> "${namer.get(out)}"`);
    }
  });
  const text = `${lines.join('\n')}\n}`;
  if (typeof file === 'string') writeFileChunks(file, 'export_to_dot', [new TextEncoder().encode(text)]);
  else if (file && typeof (file as { write?: unknown }).write === 'function') file.write(text);
  else throw new TypeError('[export_to_dot] Accepts file-like objects or strings to be used as filenames.');
}
