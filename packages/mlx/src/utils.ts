// mlx.utils: trees of JS arrays (Python lists) and plain objects (Python dicts), with node-mlx's
// names and argument order. An nn.Module is a dict too (a Python Module subclasses dict): its
// entries are its own enumerable properties. Anything else is a leaf.

/** A tree whose leaves are T: T itself, a JS array of trees or an object of trees. */
export type Nested<T> = T | Nested<T>[] | { [key: string]: Nested<T> };
/** An object whose values are trees of T (what `Module.parameters()` returns). */
export type NestedDict<T> = { [key: string]: Nested<T> };

/** Marks objects that trees treat as dicts (nn.Module sets it on its prototype). */
export const DICT_LIKE: unique symbol = Symbol.for('mlx-ts.dictLike');

/** Whether `x` is a dict node of a tree: a plain object, or a Module. */
export function isDict(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null || (x as { [DICT_LIKE]?: boolean })[DICT_LIKE] === true;
}

/** The entries of a dict node (a Module's own enumerable properties). */
export function dictEntries(x: Record<string, unknown>): [string, unknown][] {
  const items = (x as { items?: () => [string, unknown][] }).items;
  return (x as { [DICT_LIKE]?: boolean })[DICT_LIKE] === true && typeof items === 'function' ? items.call(x) : Object.entries(x);
}

type IsLeaf = ((node: unknown) => boolean) | null | undefined;

function pick(t: unknown, k: string | number): unknown {
  return t === null || t === undefined ? undefined : (t as Record<string | number, unknown>)[k];
}

/**
 * Applies `fn` to the leaves of `tree` and returns a tree of the same structure with the
 * results. Each of `rest` must be a superset of `tree`: its leaves at the same places are
 * passed as extra arguments. `isLeaf` decides what else counts as a leaf.
 */
export function treeMap(fn: (...args: any[]) => unknown, tree: unknown, rest?: unknown[], isLeaf?: IsLeaf): any {
  const others = rest ?? [];
  if (isLeaf && isLeaf(tree)) return fn(tree, ...others);
  if (Array.isArray(tree)) return tree.map((c, i) => treeMap(fn, c, others.map((r) => pick(r, i)), isLeaf));
  if (isDict(tree)) {
    const out: Record<string, unknown> = {};
    for (const [k, c] of dictEntries(tree)) out[k] = treeMap(fn, c, others.map((r) => pick(r, k)), isLeaf);
    return out;
  }
  return fn(tree, ...others);
}

/** `treeMap` whose `fn` receives the leaf's dotted path first (`'layers.0.weight'`). */
export function treeMapWithPath(
  fn: (path: string, ...args: any[]) => unknown,
  tree: unknown,
  rest?: unknown[],
  isLeaf?: IsLeaf,
  path?: string,
): any {
  const others = rest ?? [];
  const at = (k: string | number) => (path ? `${path}.${k}` : `${k}`);
  if (isLeaf && isLeaf(tree)) return fn(path ?? '', tree, ...others);
  if (Array.isArray(tree)) return tree.map((c, i) => treeMapWithPath(fn, c, others.map((r) => pick(r, i)), isLeaf, at(i)));
  if (isDict(tree)) {
    const out: Record<string, unknown> = {};
    for (const [k, c] of dictEntries(tree)) out[k] = treeMapWithPath(fn, c, others.map((r) => pick(r, k)), isLeaf, at(k));
    return out;
  }
  return fn(path ?? '', tree, ...others);
}

/**
 * The leaves of `tree` as `[path, leaf]` pairs, paths dotted (`'layers.0.weight'`) after
 * `prefix`. `convertKey` renames object keys on the way (node-mlx: `toSnakeCase` for files).
 */
export function treeFlatten(
  tree: unknown,
  prefix = '',
  isLeaf?: IsLeaf,
  convertKey?: ((key: string) => string) | null,
): [string, any][] {
  const out: [string, any][] = [];
  const visit = (t: unknown, p: string) => {
    if (!(isLeaf && isLeaf(t))) {
      if (Array.isArray(t)) {
        t.forEach((c, i) => visit(c, `${p}.${i}`));
        return;
      }
      if (isDict(t)) {
        for (const [k, c] of dictEntries(t)) visit(c, `${p}.${convertKey ? convertKey(k) : k}`);
        return;
      }
    }
    out.push([p.slice(1), t]);
  };
  visit(tree, prefix ? `.${prefix}` : '');
  return out;
}

/**
 * The inverse of `treeFlatten`: `[path, leaf]` pairs (or an object of them) back into nested
 * lists and objects. A level whose keys are all integers is a list; gaps are filled with `{}`.
 */
export function treeUnflatten(tree: [string, unknown][] | Record<string, unknown>, convertKey?: ((key: string) => string) | null): any {
  const items: [string, unknown][] = Array.isArray(tree) ? tree : Object.entries(tree);
  if (items.length === 1 && items[0]![0] === '') return items[0]![1];
  const children = new Map<string, [string, unknown][]>();
  for (const [key, value] of items) {
    const dot = key.indexOf('.');
    const head = dot < 0 ? key : key.slice(0, dot);
    const next = dot < 0 ? '' : key.slice(dot + 1);
    let list = children.get(head);
    if (!list) children.set(head, (list = []));
    list.push([next, value]);
  }
  const indices = [...children.keys()].map((k) => (/^(0|[1-9][0-9]*)$/.test(k) ? Number(k) : NaN));
  if (children.size > 0 && indices.every((i) => !Number.isNaN(i))) {
    const out: unknown[] = [];
    const sorted = [...children.keys()].map((k, j) => [indices[j]!, k] as const).sort((a, b) => a[0] - b[0]);
    for (const [i, k] of sorted) {
      while (out.length < i) out.push({});
      out.push(treeUnflatten(children.get(k)!, convertKey));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of children) out[convertKey ? convertKey(k) : k] = treeUnflatten(v, convertKey);
  return out;
}

/**
 * Folds the leaves of `tree` with `fn(accumulator, leaf)`, starting from `initializer` (or the
 * first leaf when it is undefined).
 */
export function treeReduce<U = any>(fn: (acc: U, leaf: any) => U, tree: unknown, initializer?: U, isLeaf?: IsLeaf): U {
  if (isLeaf && isLeaf(tree)) return initializer === undefined ? (tree as U) : fn(initializer, tree);
  let acc = initializer;
  if (Array.isArray(tree)) for (const c of tree) acc = treeReduce(fn, c, acc, isLeaf);
  else if (isDict(tree)) for (const [, c] of dictEntries(tree)) acc = treeReduce(fn, c, acc, isLeaf);
  else return acc === undefined ? (tree as U) : fn(acc, tree);
  return acc as U;
}

/**
 * Merges two trees with disjoint leaves into one (empty lists and objects, null and undefined
 * are holes). Leaves at the same place go to `mergeFn`, or throw without one.
 */
export function treeMerge(treeA: unknown, treeB: unknown, mergeFn?: (a: any, b: any) => unknown): any {
  const empty = (t: unknown) => (Array.isArray(t) ? t.length === 0 : isDict(t) && dictEntries(t).length === 0);
  const emptyA = empty(treeA);
  const emptyB = empty(treeB);
  if (emptyA && emptyB) {
    if (Array.isArray(treeA) !== Array.isArray(treeB)) throw new Error('Cannot merge a list with a dict.');
    return Array.isArray(treeA) ? [] : {};
  }
  const a = emptyA ? null : treeA;
  const b = emptyB ? null : treeB;
  if (a == null && b != null) return b;
  if (a != null && b == null) return a;
  if (a == null && b == null) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => treeMerge(a[i], b[i], mergeFn));
  }
  if (isDict(a) && isDict(b)) {
    const out: Record<string, unknown> = {};
    const ea = new Map(dictEntries(a));
    const eb = new Map(dictEntries(b));
    for (const k of new Set([...ea.keys(), ...eb.keys()])) out[k] = treeMerge(ea.get(k), eb.get(k), mergeFn);
    return out;
  }
  if (!mergeFn) throw new Error('Trees contain elements at the same locations but no merge function was provided');
  return mergeFn(a, b);
}

/** `some_weight` -> `someWeight` (file names of weights -> module properties, node-mlx). */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `someWeight` -> `some_weight` (module properties -> file names of weights, node-mlx). */
export function toSnakeCase(key: string): string {
  if (key.length > 0 && key[0] !== key[0]!.toLowerCase()) return key;
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
