// mx.eval / mx.asyncEval over trees of arrays, and dispose / tidy over trees.
import { MxArray, evalArrays, disposeArray } from '../array.js';
import { inTracing } from './trace.js';
import { openTidyScope, closeTidyScope, runInScope, type TidyScope } from '../ownership.js';

/**
 * Collects the arrays in a tree of arrays, JS arrays, Maps, Sets and objects: any object's own
 * enumerable properties count, so `mx.eval(model)` or `mx.eval(optimizer.state)` reach the
 * arrays of class instances (an nn.Module) without core knowing their classes.
 */
export function treeArrays(tree: unknown, out: MxArray[] = [], seen?: Set<unknown>): MxArray[] {
  if (tree instanceof MxArray) out.push(tree);
  else if (Array.isArray(tree) && tree.every((x) => x instanceof MxArray)) {
    // a flat list of arrays (mx.eval(a, b), mx.dispose(xs)): no cycle to guard against
    for (const x of tree) out.push(x);
  } else if (tree && typeof tree === 'object' && !(seen ??= new Set()).has(tree)) {
    seen.add(tree);
    if (Array.isArray(tree)) for (const x of tree) treeArrays(x, out, seen);
    else if (tree instanceof Map || tree instanceof Set) for (const x of tree.values()) treeArrays(x, out, seen);
    // a TypedArray's elements are numbers: walking them would only cost time
    else if (!ArrayBuffer.isView(tree) && !(tree instanceof ArrayBuffer)) {
      for (const x of Object.values(tree)) treeArrays(x, out, seen);
    }
  }
  return out;
}

/** Evaluates every array in the arguments (trees allowed). */
function evalTree(...args: unknown[]): void {
  evalArrays(treeArrays(args).map((a) => a._check()));
}
export { evalTree as eval };

/**
 * Starts evaluation and resolves when the arrays are ready. On a synchronous CPU backend the
 * work is done before the promise resolves; a GPU backend resolves after its queue drains.
 */
export function asyncEval(...args: unknown[]): Promise<void> {
  const arrays = treeArrays(args).map((a) => a._check());
  // Thrown at the call (not as a rejection), as MLX: a transform can't wait on its own graph.
  if (inTracing() && arrays.some((a) => a._tracer)) throw new Error('[async_eval] Not allowed inside a graph transformation.');
  evalArrays(arrays);
  const backends = new Set(arrays.map((a) => a._data!.storage.backend));
  // a backend that can't block fetches the bytes now, for the synchronous readers after this
  const fetches = arrays.map((a) => a._data!.storage).filter((st) => !st.backend.syncReadable && st.backend.prefetch);
  return Promise.all([...backends].map((b) => b.synchronize()))
    .then(() => Promise.all(fetches.map((st) => st.backend.prefetch!(st))))
    .then(() => undefined);
}

/** Frees the memory of every array in a tree now (as node-mlx's mx.dispose). */
export function dispose(...trees: unknown[]): void {
  for (const a of treeArrays(trees)) disposeArray(a);
}

function closeScope(scope: TidyScope, result: unknown): void {
  closeTidyScope(scope);
  const keep = new Set(treeArrays(result));
  let owner = scope.parent; // the scope that opened this one takes what it keeps
  while (owner && !owner.open) owner = owner.parent;
  for (const a of scope.arrays) {
    if (keep.has(a)) owner?.arrays.add(a);
    else disposeArray(a);
  }
}

/**
 * Runs fn and disposes every array created inside it except those it returns (as node-mlx's
 * and tfjs's tidy). An async fn is awaited as node-mlx does: the scope stays open until the
 * promise settles, and owns the arrays that fn's own code creates meanwhile, across awaits
 * (where AsyncLocalStorage exists; elsewhere those made before its first await, see
 * ownership.ts). Arrays made by other code, other scopes included, are never its to dispose.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  const scope = openTidyScope();
  let result: T;
  try {
    result = runInScope(scope, fn);
  } catch (e) {
    closeScope(scope, undefined);
    throw e;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    return (result as unknown as Promise<unknown>).then(
      (value) => {
        closeScope(scope, value);
        return value;
      },
      (err) => {
        closeScope(scope, undefined);
        throw err;
      },
    ) as unknown as T;
  }
  closeScope(scope, result);
  return result;
}
