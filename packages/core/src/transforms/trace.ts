// Tracing state shared by the transforms (grad/vjp/jvp/vmap/custom functions).
//
// While a transform runs, arrays derived from its traced inputs are "tracers": they keep
// their graph even after evaluation (mx.eval or .tolist() inside a grad'ed function), so the
// transform can walk it afterwards. Outside any transform the flag means nothing (MLX's
// is_tracer() && in_tracing()).

let depth = 0;
let dynamicDepth = 0;

/** Whether a transform is tracing now. */
export function inTracing(): boolean {
  return depth > 0;
}

/**
 * Whether a shapeless compile is recording (MLX's in_dynamic_tracing): the ops then build
 * graphs whose shapes a replay can infer again for inputs of other shapes (broadcasts carry
 * the arrays they broadcast against, size-1 reductions stay, element counts are nodes).
 */
export function inDynamicTracing(): boolean {
  return dynamicDepth > 0;
}

/**
 * Hooks around the outermost transform: interop uses them to notice memory written behind
 * mlx-ts's back (through an exported view) while a transform is tracing.
 */
export interface TraceHooks {
  /** Called when the outermost transform starts tracing. */
  enter?(): void;
  /** Called when the outermost transform finishes (normally or by an exception). */
  exit?(): void;
}
const hooks: TraceHooks[] = [];
export function addTraceHooks(h: TraceHooks): void {
  hooks.push(h);
}

// Tracers evaluated while tracing keep their graph; the outermost transform drops it when
// it ends, so that the memory of intermediates goes as it does outside transforms.
let detached: Array<{ _data: unknown }> = [];
let detach: (a: any) => void = () => {};
/** @internal the array layer's graph-dropping function (avoids an import cycle). */
export function setDetach(f: (a: any) => void): void {
  detach = f;
}
/** @internal an evaluated tracer whose graph must be dropped when tracing ends. */
export function deferDetach(a: { _data: unknown }): void {
  detached.push(a);
}

/** Runs fn with tracing on (nesting allowed); `dynamic`: a shapeless compile's recording. */
export function withTracing<T>(fn: () => T, dynamic = false): T {
  if (depth++ === 0) for (const h of hooks) h.enter?.();
  if (dynamic) dynamicDepth++;
  try {
    return fn();
  } finally {
    if (dynamic) dynamicDepth--;
    if (--depth === 0) {
      const list = detached;
      detached = [];
      for (const a of list) detach(a);
      for (const h of hooks) h.exit?.();
    }
  }
}
