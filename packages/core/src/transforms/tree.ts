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
export function treeUnflatten(tree: unknown, leaves: readonly MxArray[], start = { i: 0 }, other = (v: unknown) => v): unknown {
  if (tree instanceof MxArray) return leaves[start.i++];
  if (Array.isArray(tree)) return tree.map((x) => treeUnflatten(x, leaves, start, other));
  if (isPlainObject(tree)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(tree)) o[k] = treeUnflatten(tree[k], leaves, start, other);
    return o;
  }
  return other(tree);
}

/**
 * Puts `leaves` in place of the tree's arrays inside the caller's own containers (as MLX's
 * grad does, so that the function's in-place changes to its argument lists and objects are
 * seen by the caller), and returns the tree to pass plus `restore`, which puts the original
 * arrays back wherever the function left a traced handle. Frozen containers get a copy.
 */
export function treeSwapIn(tree: unknown, leaves: readonly MxArray[]): { value: unknown; restore(): void } {
  const swaps: [Record<string | number, unknown>, string | number, MxArray, MxArray][] = [];
  let i = 0;
  const frozen = (t: unknown): boolean =>
    (Array.isArray(t) || isPlainObject(t)) && (Object.isFrozen(t) || Object.isSealed(t) || (Array.isArray(t) ? t.some(frozen) : Object.values(t as object).some(frozen)));
  if (tree instanceof MxArray) return { value: leaves[0], restore() {} };
  if (frozen(tree)) return { value: treeUnflatten(tree, leaves), restore() {} };
  const visit = (t: unknown): void => {
    const c = t as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(t) ? [...t.keys()] : isPlainObject(t) ? Object.keys(t) : [];
    for (const k of keys) {
      const v = c[k];
      if (v instanceof MxArray) {
        const r = leaves[i++]!;
        swaps.push([c, k, v, r]);
        c[k] = r;
      } else visit(v);
    }
  };
  visit(tree);
  return {
    value: tree,
    restore() {
      for (const [c, k, original, traced] of swaps) if (c[k] === traced) c[k] = original;
    },
  };
}

/** A short description of a JS value's type for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof MxArray) return 'array';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
