// Who owns a new array: the op or transform whose own code is building an internal graph
// (see internalArrays in array.ts), else the innermost open mx.tidy scope of the code that
// creates it, else nobody (mx.dispose or the garbage collector frees it).
//
// Tidy scopes follow the async context, so that a scope owns only what its own code creates.
// Where AsyncLocalStorage exists (node:async_hooks: Node, Bun, Deno) an async mx.tidy owns
// what its continuations create, and neither interleaved scopes nor unrelated code. Elsewhere
// (browsers) a scope is current only while fn runs synchronously: an async mx.tidy owns what
// it made before its first await, and later arrays are left to mx.dispose or the collector.
import type { MxArray } from './array.js';

export interface TidyScope {
  readonly arrays: Set<MxArray>;
  /** The scope current when this one opened: it takes what this one keeps. */
  readonly parent: TidyScope | null;
  open: boolean;
}

interface AsyncLocalStorageLike {
  getStore(): TidyScope | null | undefined;
  run<T>(store: TidyScope | null, fn: () => T): T;
}
type AsyncHooks = { AsyncLocalStorage?: new () => AsyncLocalStorageLike };

// Loaded without a static import of a Node module and without top-level await, so that the
// package loads anywhere (browsers, require(), iife bundles): process.getBuiltinModule is
// synchronous (Node >= 20.16, Bun, Deno). Older Node gets a dynamic import() in the background
// (the specifier is not a literal so that browser bundlers leave it alone); until it resolves
// the synchronous stack serves, and the first tidy scope opened with none open switches over.
const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
const hooksName = 'node:async_hooks';
function fromHooks(hooks: AsyncHooks | undefined | null): AsyncLocalStorageLike | null {
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
}
let asyncLocalStorage: AsyncLocalStorageLike | null = null;
let loaded: AsyncLocalStorageLike | null = null;
let contextOn = true;
try {
  if (typeof proc?.getBuiltinModule === 'function') asyncLocalStorage = fromHooks(proc.getBuiltinModule(hooksName) as AsyncHooks | undefined);
  else if (typeof proc?.versions?.node === 'string') {
    import(/* @vite-ignore */ hooksName).then(
      (h: AsyncHooks) => void (loaded = fromHooks(h)),
      () => {},
    );
  }
} catch {
  asyncLocalStorage = null;
}
let context: AsyncLocalStorageLike | null = asyncLocalStorage;
/** Without AsyncLocalStorage: the scopes current in the synchronous call stack. */
const stack: (TidyScope | null)[] = [];
/** Open tidy scopes anywhere: none open (the usual case) skips the context lookup. */
let openScopes = 0;

/** Whether tidy scopes follow async continuations here (AsyncLocalStorage was found). */
export function asyncContextAvailable(): boolean {
  return asyncLocalStorage !== null;
}

/** @internal tests switch to the fallback (no AsyncLocalStorage) and back, with no scope open. */
export function useAsyncContext(on: boolean): void {
  if (openScopes > 0) throw new Error('useAsyncContext: a tidy scope is open');
  contextOn = on;
  context = on ? asyncLocalStorage : null;
}

/** The innermost open tidy scope of the running code (closed ones pass to their parent). */
export function currentTidyScope(): TidyScope | null {
  if (openScopes === 0) return null;
  let s = context ? (context.getStore() ?? null) : (stack[stack.length - 1] ?? null);
  while (s && !s.open) s = s.parent;
  return s;
}

/** Runs fn with `scope` current (null: none); with AsyncLocalStorage, its continuations too. */
export function runInScope<T>(scope: TidyScope | null, fn: () => T): T {
  if (context) return context.run(scope, fn);
  stack.push(scope);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

export function openTidyScope(): TidyScope {
  // older Node: AsyncLocalStorage arrived by import(); switch while no scope depends on the stack
  if (loaded && openScopes === 0 && stack.length === 0) {
    asyncLocalStorage = loaded;
    loaded = null;
    if (contextOn) context = asyncLocalStorage;
  }
  openScopes++;
  return { arrays: new Set(), parent: currentTidyScope(), open: true };
}

export function closeTidyScope(scope: TidyScope): void {
  if (!scope.open) return;
  scope.open = false;
  openScopes--;
}

// Internal graphs are built synchronously, so a plain stack tracks them. A null entry marks
// user code called back from inside one (a custom rule), or library state: what it creates
// is not internal.
const internalStack: (Set<MxArray> | null)[] = [];

/** The set a new array joins: the internal graph being built, else the current tidy scope. */
export function ownerOfNewArrays(): Set<MxArray> | null {
  const top = internalStack[internalStack.length - 1];
  if (top) return top;
  return currentTidyScope()?.arrays ?? null;
}

/** @internal runs fn collecting the arrays it creates into `into` (null: not internal). */
export function collectingInto<T>(into: Set<MxArray> | null, fn: () => T): T {
  internalStack.push(into);
  try {
    return fn();
  } finally {
    internalStack.pop();
  }
}

/** Runs user code called back from inside an op or transform: what it creates is the user's. */
export function userCode<T>(fn: () => T): T {
  return collectingInto(null, fn);
}

/**
 * Runs fn for the library's own long-lived state (the global random key, compile's traces):
 * what it creates belongs to no tidy scope and is not internal.
 */
export function libraryOwned<T>(fn: () => T): T {
  return collectingInto(null, () => runInScope(null, fn));
}
