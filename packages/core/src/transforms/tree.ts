// Trees of arrays, as MLX's tree_flatten/tree_unflatten: JS arrays and plain objects are
// nodes, mx arrays are the leaves that transforms see, anything else is passed through as is.
import { MxArray } from '../array.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** The array leaves of a tree in a fixed order (arrays by index, objects by key order). */
export function treeFlatten(tree: unknown, out: MxArray[] = []): MxArray[] {
  if (tree instanceof MxArray) out.push(tree);
  else if (Array.isArray(tree)) for (const x of tree) treeFlatten(x, out);
  else if (isPlainObject(tree)) for (const k of Object.keys(tree)) treeFlatten(tree[k], out);
  return out;
}

/**
 * The tree with its array leaves replaced, in treeFlatten's order, by `leaves` starting at
 * `start.i` (advanced past the ones used). Non-array leaves are kept.
 */
export function treeUnflatten(tree: unknown, leaves: readonly MxArray[], start = { i: 0 }): unknown {
  if (tree instanceof MxArray) return leaves[start.i++];
  if (Array.isArray(tree)) return tree.map((x) => treeUnflatten(x, leaves, start));
  if (isPlainObject(tree)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(tree)) o[k] = treeUnflatten(tree[k], leaves, start);
    return o;
  }
  return tree;
}

/** A short description of a JS value's type for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof MxArray) return 'array';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
