// Memory that code outside mlx-ts can reach: exported views, DLPack capsules and adopted
// (zero-copy imported) buffers. Pins keep storage alive while an exported view or capsule is
// reachable; while a transform traces, the bytes of such memory are snapshotted so that a write
// behind mlx-ts's back (which gradients cannot see) is reported once.
import { releaseStorageRef } from '../array.js';
import type { Storage } from '../backend/interface.js';
import { addTraceHooks, inTracing } from '../transforms/trace.js';

// ---- pins ----

const pinnedBy = new WeakMap<object, Storage>();
const unpinOnCollect = new FinalizationRegistry<Storage>((storage) => {
  unwatch(storage);
  releaseStorageRef(storage);
});

/** Keeps `storage` alive while `holder` (a view or capsule) is reachable or until `unpin`. */
export function pin(holder: object, storage: Storage): void {
  if (storage.released) throw new Error('internal: pinning released storage');
  storage.refs++;
  pinnedBy.set(holder, storage);
  unpinOnCollect.register(holder, storage, holder);
  watch(storage);
}

/** Drops the pin now (a capsule's deleter); false when it was dropped already. */
export function unpin(holder: object): boolean {
  const storage = pinnedBy.get(holder);
  if (!storage) return false;
  pinnedBy.delete(holder);
  unpinOnCollect.unregister(holder);
  unwatch(storage);
  releaseStorageRef(storage);
  return true;
}

// ---- writes while tracing ----

/** How many exports or adoptions reach each storage. Empty map: tracing costs nothing. */
const watched = new Map<Storage, number>();
/** Bytes of watched storage as they were when tracing began (or when exported during it). */
let snapshots: Map<Storage, Uint8Array> | null = null;

function snapshot(storage: Storage): void {
  const bytes = storage.backend.hostBytes?.(storage);
  if (bytes && snapshots && !snapshots.has(storage)) snapshots.set(storage, bytes.slice());
}

export function watch(storage: Storage): void {
  watched.set(storage, (watched.get(storage) ?? 0) + 1);
  if (inTracing()) {
    snapshots ??= new Map();
    snapshot(storage);
  }
}

export function unwatch(storage: Storage): void {
  const n = (watched.get(storage) ?? 0) - 1;
  if (n > 0) watched.set(storage, n);
  else watched.delete(storage);
}

function changed(storage: Storage, before: Uint8Array): boolean {
  if (storage.released) return false;
  const now = storage.backend.hostBytes!(storage);
  for (let i = 0; i < before.length; i++) if (now[i] !== before[i]) return true;
  return false;
}

export type InteropWarningHandler = (message: string) => void;
const warnOnConsole: InteropWarningHandler = (message) => console.warn(message);
let warningHandler: InteropWarningHandler = warnOnConsole;

/**
 * Sets the function that receives interop warnings (default: console.warn) and returns the
 * previous one; `null` restores the default. Today there is one warning: memory of an array
 * was written through an exported view, a DLPack capsule or an adopted buffer while a
 * transform (grad, vjp, ...) was tracing; gradients do not see such writes.
 */
export function setInteropWarningHandler(handler: InteropWarningHandler | null): InteropWarningHandler {
  if (handler !== null && typeof handler !== 'function') {
    throw new TypeError(`[setInteropWarningHandler] handler must be a function or null, got ${typeof handler}.`);
  }
  const previous = warningHandler;
  warningHandler = handler ?? warnOnConsole;
  return previous;
}

export const writeBehindTransformWarning =
  'mlx-ts: memory of an array was written through an exported view (toTypedArray({ copy: false }), ' +
  'a DLPack capsule, an adapter or an adopted TypedArray) while a transform was tracing. ' +
  'Gradients do not see writes made outside mlx-ts; compute with mx ops instead.';

addTraceHooks({
  enter() {
    if (watched.size === 0) return;
    snapshots = new Map();
    for (const storage of watched.keys()) snapshot(storage);
  },
  exit() {
    const taken = snapshots;
    snapshots = null;
    if (!taken) return;
    for (const [storage, before] of taken) {
      if (changed(storage, before)) {
        warningHandler(writeBehindTransformWarning);
        return; // once per transform
      }
    }
  },
});
