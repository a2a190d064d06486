// Layout descriptors shared by JS and the kernels. JS writes shapes and strides (in
// elements, i32) into DESC before a call; kernels walk them with `advance` and `jump` (below).
// Static data lives below __heap_base, so the JS allocator never hands it out.

/** Most dimensions a descriptor holds (after JS has merged contiguous dimensions). */
export const MAX_DIMS: i32 = 16;

/** i32 words: room for a reduce descriptor (2 + 4 * MAX_DIMS) with margin. */
export const DESC: usize = memory.data(4 * 128, 16);
/** Per-dimension position counters for the strided walkers. */
export const COUNTERS: usize = memory.data(4 * 32, 16);

// ---- strided walks ----
// A walker runs the innermost dimension as its tight loop and steps the outer ones as an
// odometer: `advance` moves the counters by one row and says which dimension moved; every
// operand then adds that dimension's jump (its stride less what the wrapped inner dimensions
// had moved), precomputed once per call by `prepareJumps`. Offsets are i32 that wrap, as the
// addresses they make do (`at`). Counters and jump tables live where the caller says: kernels
// that run in worker threads pass their own, the others use COUNTERS and JUMPS.

/** Bytes of one jump table: slot 0 (the walk is over: jump 0), slot 1 + d for dimension d; 16-byte multiple. */
export const JUMP_BYTES: i32 = 4 * (MAX_DIMS + 4);
/** Most operands a walker on the calling thread steps with the static JUMPS. */
export const MAX_WALK_OPERANDS: i32 = 4;
/** Static jump tables, one per operand (`jumpTable(k)`). */
export const JUMPS: usize = memory.data(JUMP_BYTES * MAX_WALK_OPERANDS, 16);

/** The static jump table of operand k (k < MAX_WALK_OPERANDS). */
@inline export function jumpTable(k: i32): usize {
  return JUMPS + <usize>(k * JUMP_BYTES);
}

/** Product of the nd sizes at `shape` (i32 words): the rows of a walk over them. */
@inline export function sizeProduct(shape: usize, nd: i32): i32 {
  let n = 1;
  for (let d = 0; d < nd; d++) n *= load<i32>(shape + (<usize>d << 2));
  return n;
}

/** Fills `jumps` for an operand with the nd strides at `strides` over the dimensions at `shape`. */
@inline function prepareJumps(shape: usize, strides: usize, nd: i32, jumps: usize): void {
  store<i32>(jumps, 0);
  // how far the dimensions inside d have moved when all of them are at their last position
  let wrapped = 0;
  for (let d = nd - 1; d >= 0; d--) {
    const stride = load<i32>(strides + (<usize>d << 2));
    store<i32>(jumps + (<usize>(d + 1) << 2), stride - wrapped);
    wrapped += stride * (load<i32>(shape + (<usize>d << 2)) - 1);
  }
}

/**
 * Starts a walk over the nd dimensions at `shape` for `operands` operands, operand k's strides
 * at `strides` + k * `apart` words: zeroes the nd counters at `counters`, fills operand k's
 * jump table at `jumps` + k * JUMP_BYTES; returns the walk's row count. Runs once per walk, so
 * it is a call (binaryen keeps it one: too big to inline) rather than code in every kernel.
 */
export function startWalk(shape: usize, nd: i32, strides: usize, apart: i32, operands: i32, jumps: usize, counters: usize): i32 {
  memory.fill(counters, 0, <usize>nd << 2);
  for (let k = 0; k < operands; k++) {
    prepareJumps(shape, strides + (<usize>(k * apart) << 2), nd, jumps + <usize>(k * JUMP_BYTES));
  }
  return sizeProduct(shape, nd);
}

/**
 * startWalk over the first `dims` dimensions of the descriptor [ndim, shape, strides of each
 * operand] in DESC, with COUNTERS and the static jump tables (operand k: jumpTable(k)).
 */
@inline export function startDescWalk(dims: i32, operands: i32): i32 {
  const nd = word(0);
  return startWalk(wordAt(1), dims, wordAt(1 + nd), nd, operands, JUMPS, COUNTERS);
}

/**
 * Moves the odometer over the nd dimensions at `shape` by one step; returns the jump slot:
 * 1 + the dimension that moved, or 0 when every dimension wrapped (the walk is over, and
 * every counter is back at 0: a walk run to its end needs no reset before the next one).
 */
@inline export function advance(shape: usize, counters: usize, nd: i32): i32 {
  for (let d = nd - 1; d >= 0; d--) {
    const p = counters + (<usize>d << 2);
    const c = load<i32>(p) + 1;
    if (c < load<i32>(shape + (<usize>d << 2))) {
      store<i32>(p, c);
      return d + 1;
    }
    store<i32>(p, 0);
  }
  return 0;
}

/** The offset change of an operand for the jump slot `advance` returned. */
@inline export function jump(jumps: usize, slot: i32): i32 {
  return load<i32>(jumps + (<usize>slot << 2));
}

/** Address of DESC word i (where a walker's shape or strides start). */
@inline export function wordAt(i: i32): usize {
  return DESC + (<usize>i << 2);
}

export function descPtr(): usize {
  return DESC;
}

export function maxDims(): i32 {
  return MAX_DIMS;
}

/** First byte the JS allocator may use. */
export function heapBase(): usize {
  return __heap_base;
}

@inline export function word(i: i32): i32 {
  return load<i32>(DESC + (<usize>i << 2));
}

/** Byte address of element `off` (may be negative in between, wraps like the hardware). */
@inline export function at<T>(base: usize, off: i32): usize {
  return base + (<usize>off << alignof<T>());
}
