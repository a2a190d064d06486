// Layout descriptors shared by JS and the kernels. JS writes shapes and strides (in
// elements, i32) into DESC before a call; kernels walk them with the counters in COUNTERS.
// Static data lives below __heap_base, so the JS allocator never hands it out.

/** Most dimensions a descriptor holds (after JS has merged contiguous dimensions). */
export const MAX_DIMS: i32 = 16;

/** i32 words: room for a reduce descriptor (2 + 4 * MAX_DIMS) with margin. */
export const DESC: usize = memory.data(4 * 128, 16);
/** Per-dimension position counters for the strided walkers. */
export const COUNTERS: usize = memory.data(4 * 32, 16);

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

@inline export function zeroCounters(n: i32): void {
  memory.fill(COUNTERS, 0, <usize>n << 2);
}

@inline export function counter(d: i32): i32 {
  return load<i32>(COUNTERS + (<usize>d << 2));
}

@inline export function setCounter(d: i32, v: i32): void {
  store<i32>(COUNTERS + (<usize>d << 2), v);
}

/** Byte address of element `off` (may be negative in between, wraps like the hardware). */
@inline export function at<T>(base: usize, off: i32): usize {
  return base + (<usize>off << alignof<T>());
}
