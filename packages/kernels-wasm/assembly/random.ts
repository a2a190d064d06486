// RandomBits: threefry2x32 (20 rounds) with the key / counter layout and output order of the
// reference (packages/core/src/backend/reference/random.ts, which matches MLX's CPU kernel):
// key i fills its own block of `bytesPerKey` bytes; with W = ceil(bytesPerKey / 4) words and
// H = floor(W / 2), counter pair (j, j + H + (W odd)) hashes to words j and j + H + (W odd),
// and an odd W ends with word H = first output of the pair (H, 0); the block's last word is
// cut (little-endian) at the block's end. u32 arithmetic wraps as the reference's `>>> 0`.
// SIMD: i32x4 lanes hash 4 counter pairs of one key at once, or, for blocks of few words,
// the same pair under 4 keys.

const PARITY: u32 = 0x1bd11bda;

@inline function rotl(x: u32, r: u32): u32 {
  return (x << r) | (x >> (32 - r));
}

@inline function mix(x0: u32, x1: u32, r: u32): u64 {
  x0 += x1;
  x1 = rotl(x1, r) ^ x0;
  return (<u64>x1 << 32) | <u64>x0;
}

/** threefry2x32 of counter (c0, c1) under key (k0, k1): x0 in the low word, x1 in the high word. */
@inline function threefry(k0: u32, k1: u32, c0: u32, c1: u32): u64 {
  const k2 = k0 ^ k1 ^ PARITY;
  let x0 = c0 + k0;
  let x1 = c1 + k1;
  let r: u64;
  // 5 x 4 rounds, rotations (13, 15, 26, 6) and (17, 29, 16, 24) in turn, a key injection after each 4
  r = mix(x0, x1, 13); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 15); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 26); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 6); x0 = <u32>r; x1 = <u32>(r >> 32);
  x0 += k1; x1 += k2 + 1;
  r = mix(x0, x1, 17); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 29); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 16); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 24); x0 = <u32>r; x1 = <u32>(r >> 32);
  x0 += k2; x1 += k0 + 2;
  r = mix(x0, x1, 13); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 15); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 26); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 6); x0 = <u32>r; x1 = <u32>(r >> 32);
  x0 += k0; x1 += k1 + 3;
  r = mix(x0, x1, 17); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 29); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 16); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 24); x0 = <u32>r; x1 = <u32>(r >> 32);
  x0 += k1; x1 += k2 + 4;
  r = mix(x0, x1, 13); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 15); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 26); x0 = <u32>r; x1 = <u32>(r >> 32);
  r = mix(x0, x1, 6); x0 = <u32>r; x1 = <u32>(r >> 32);
  x0 += k2; x1 += k0 + 5;
  return (<u64>x1 << 32) | <u64>x0;
}

// The same rounds on 4 lanes; the two words of the state live in globals (no multi-value returns).
let V0: v128 = i32x4.splat(0);
let V1: v128 = i32x4.splat(0);

@inline function rotlv(x: v128, r: u32): v128 {
  return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r));
}

@inline function roundsV(x0: v128, x1: v128, ra: u32, rb: u32, rc: u32, rd: u32): void {
  x0 = i32x4.add(x0, x1); x1 = v128.xor(rotlv(x1, ra), x0);
  x0 = i32x4.add(x0, x1); x1 = v128.xor(rotlv(x1, rb), x0);
  x0 = i32x4.add(x0, x1); x1 = v128.xor(rotlv(x1, rc), x0);
  x0 = i32x4.add(x0, x1); x1 = v128.xor(rotlv(x1, rd), x0);
  V0 = x0;
  V1 = x1;
}

/** threefry2x32 on 4 lanes (keys and counters per lane); the outputs land in V0 and V1. */
@inline function threefryV(k0: v128, k1: v128, c0: v128, c1: v128): void {
  const k2 = v128.xor(v128.xor(k0, k1), i32x4.splat(PARITY));
  roundsV(i32x4.add(c0, k0), i32x4.add(c1, k1), 13, 15, 26, 6);
  roundsV(i32x4.add(V0, k1), i32x4.add(V1, i32x4.add(k2, i32x4.splat(1))), 17, 29, 16, 24);
  roundsV(i32x4.add(V0, k2), i32x4.add(V1, i32x4.add(k0, i32x4.splat(2))), 13, 15, 26, 6);
  roundsV(i32x4.add(V0, k0), i32x4.add(V1, i32x4.add(k1, i32x4.splat(3))), 17, 29, 16, 24);
  roundsV(i32x4.add(V0, k1), i32x4.add(V1, i32x4.add(k2, i32x4.splat(4))), 13, 15, 26, 6);
  V0 = i32x4.add(V0, k2);
  V1 = i32x4.add(V1, i32x4.add(k0, i32x4.splat(5)));
}

/** Word `loc` of a block of `bytes` bytes at `base`, cut at the block's end (little-endian). */
@inline function putWord(base: usize, bytes: i32, loc: i32, v: u32): void {
  const at = base + (<usize>loc << 2);
  const room = bytes - (loc << 2);
  if (room >= 4) {
    store<u32>(at, v);
    return;
  }
  for (let b = 0; b < room; b++) store<u8>(at + <usize>b, <u8>(v >> (8 * b)));
}

/** One key's block: 4 counter pairs per SIMD step, the rest (and a cut last word) scalar. */
@inline function fillBlock(k0: u32, k1: u32, base: usize, bytes: i32): void {
  const words = (bytes + 3) >> 2;
  const half = words >> 1;
  const odd = words & 1;
  const whole = bytes >> 2; // words not cut by the block's end
  const shift = half + odd; // second word of pair j: j + shift
  let j = 0;
  if (half >= 4) {
    const vk0 = i32x4.splat(k0);
    const vk1 = i32x4.splat(k1);
    let c0 = i32x4(0, 1, 2, 3);
    const four = i32x4.splat(4);
    const vshift = i32x4.splat(shift);
    for (; j + 4 <= half && j + 3 + shift < whole; j += 4) {
      threefryV(vk0, vk1, c0, i32x4.add(c0, vshift));
      v128.store(base + (<usize>j << 2), V0);
      v128.store(base + (<usize>(j + shift) << 2), V1);
      c0 = i32x4.add(c0, four);
    }
  }
  for (; j < half; j++) {
    const r = threefry(k0, k1, j, j + shift);
    putWord(base, bytes, j, <u32>r);
    putWord(base, bytes, j + shift, <u32>(r >> 32));
  }
  if (odd) putWord(base, bytes, half, <u32>threefry(k0, k1, half, 0));
}

/** 4 keys' blocks of few words: each counter pair hashed under the 4 keys at once. */
@inline function fillBlocks4(pkeys: usize, base: usize, bytes: i32): void {
  const words = (bytes + 3) >> 2;
  const half = words >> 1;
  const odd = words & 1;
  const shift = half + odd;
  // keys are (k0, k1) pairs: lanes 0, 2, 4, 6 of the two vectors are the k0s
  const a = v128.load(pkeys);
  const b = v128.load(pkeys + 16);
  const vk0 = v128.shuffle<i32>(a, b, 0, 2, 4, 6);
  const vk1 = v128.shuffle<i32>(a, b, 1, 3, 5, 7);
  const step = <usize>bytes;
  for (let j = 0; j < half; j++) {
    threefryV(vk0, vk1, i32x4.splat(j), i32x4.splat(j + shift));
    const x0 = V0;
    const x1 = V1;
    putWord(base, bytes, j, i32x4.extract_lane(x0, 0));
    putWord(base, bytes, j + shift, i32x4.extract_lane(x1, 0));
    putWord(base + step, bytes, j, i32x4.extract_lane(x0, 1));
    putWord(base + step, bytes, j + shift, i32x4.extract_lane(x1, 1));
    putWord(base + 2 * step, bytes, j, i32x4.extract_lane(x0, 2));
    putWord(base + 2 * step, bytes, j + shift, i32x4.extract_lane(x1, 2));
    putWord(base + 3 * step, bytes, j, i32x4.extract_lane(x0, 3));
    putWord(base + 3 * step, bytes, j + shift, i32x4.extract_lane(x1, 3));
  }
  if (odd) {
    threefryV(vk0, vk1, i32x4.splat(half), i32x4.splat(0));
    const x0 = V0;
    putWord(base, bytes, half, i32x4.extract_lane(x0, 0));
    putWord(base + step, bytes, half, i32x4.extract_lane(x0, 1));
    putWord(base + 2 * step, bytes, half, i32x4.extract_lane(x0, 2));
    putWord(base + 3 * step, bytes, half, i32x4.extract_lane(x0, 3));
  }
}

/**
 * Fills `numKeys` consecutive blocks of `bytesPerKey` bytes at `po` with the bits of the keys
 * at `pkeys` (contiguous (k0, k1) uint32 pairs).
 */
export function random_bits(pkeys: usize, numKeys: i32, bytesPerKey: i32, po: usize): void {
  if (numKeys <= 0 || bytesPerKey <= 0) return;
  const words = (bytesPerKey + 3) >> 2;
  let i = 0;
  // blocks of fewer than 8 pairs leave the one-key SIMD path mostly idle: go across keys
  if (words < 16) {
    for (; i + 4 <= numKeys; i += 4) fillBlocks4(pkeys + (<usize>i << 3), po + <usize>i * <usize>bytesPerKey, bytesPerKey);
  }
  for (; i < numKeys; i++) {
    const pk = pkeys + (<usize>i << 3);
    fillBlock(load<u32>(pk), load<u32>(pk + 4), po + <usize>i * <usize>bytesPerKey, bytesPerKey);
  }
}
