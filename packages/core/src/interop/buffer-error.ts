// Python's BufferError, as MLX and the DLPack spec use it: memory can't be shared (or exported)
// the way the caller asked, e.g. a zero-copy view of a non-contiguous array.

/** Memory could not be shared as asked; the message says why and what to do instead. */
export class BufferError extends Error {
  override readonly name = 'BufferError';
}
