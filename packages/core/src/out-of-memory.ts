// The one error for memory that can't be had: MLX's "[malloc] Unable to allocate N bytes.",
// raised by the backends' allocate and by kernels' host scratch, naming the size in bytes and
// in words and saying why it could not be had.

/** Raised when storage of a given size can't be allocated; `bytes` is the size asked for. */
export class OutOfMemoryError extends RangeError {
  readonly bytes: number;
  constructor(message: string, bytes: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutOfMemoryError';
    this.bytes = bytes;
  }
}

/** `where`: the backend or the buffer's use; `why`: the limit that was hit, or the engine's refusal. */
export function outOfMemory(where: string, bytes: number, why: string, cause?: unknown): OutOfMemoryError {
  // BigInt prints a count past 2^53 digit for digit, not rounded to its shortest form
  const exact = Number.isSafeInteger(bytes) || !Number.isInteger(bytes) ? String(bytes) : BigInt(bytes).toString();
  return new OutOfMemoryError(`[${where}] Unable to allocate ${exact} bytes (${formatBytes(bytes)}): ${why}`, bytes, cause === undefined ? undefined : { cause });
}

/**
 * What to do when memory in use is what ran out (appended where freeing arrays could make
 * room): the usual cause is arrays dropped without mx.dispose, whose memory waits for the
 * garbage collector, which reports them only when the event loop turns.
 */
export const outOfMemoryAdvice =
  'Arrays dropped without mx.dispose are freed only after garbage collection, when the event loop turns, ' +
  'which a synchronous loop never lets happen: wrap each iteration in mx.tidy(() => ...) (it frees every array ' +
  'made inside but those returned), free arrays with mx.dispose(...) once done with them, or yield to the event ' +
  'loop (await new Promise((r) => setTimeout(r, 0))) every few hundred iterations.';

/** A byte count in binary units, to 3 significant digits: 8 GiB, 1.5 MiB, 100 bytes. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : Number(v.toPrecision(3))} ${units[i]}`;
}

/**
 * A Float64Array of host scratch (kernels' offset tables): the engine's refusal (its own
 * length limit, or no memory) becomes an OutOfMemoryError naming the size.
 */
export function hostFloat64(n: number, use: string): Float64Array {
  try {
    return new Float64Array(n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw outOfMemory('host', n * 8, `the JavaScript engine refused a buffer of that size for ${use} (${e.message}).`, e);
  }
}
