// RandomBits: threefry2x32 (20 rounds) on uint32 pairs, laid out exactly like MLX's CPU kernel
// so that the same key gives the same bytes. All arithmetic is uint32 via `>>> 0`.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { Primitive } from '../../primitive.js';

const ROT = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

/** threefry2x32 hash of counter (c0, c1) under key (k0, k1). */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let x0 = (c0 + ks[0]!) >>> 0;
  let x1 = (c1 + ks[1]!) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (const r of ROT[i % 2]!) {
      x0 = (x0 + x1) >>> 0;
      x1 = ((x1 << r) | (x1 >>> (32 - r))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(i + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(i + 2) % 3]! + i + 1) >>> 0;
  }
  return [x0, x1];
}

function randomBitsKernel(_prim: Primitive<any>, [keys]: readonly ArrayData[], [out]: readonly ArrayData[]): void {
  const kv = elements(keys!) as Uint32Array;
  const koffs = offsetsOf(keys!);
  const numKeys = koffs.length / 2;
  const outSize = out!.shape.reduce((a, b) => a * b, 1);
  if (numKeys === 0 || outSize === 0) return;
  const itemsize = out!.dtype.size;
  const bytesPerKey = (itemsize * outSize) / numKeys;
  const bytes = out!.storage.backend.hostBytes!(out!.storage);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const outSkip = Math.ceil(bytesPerKey / 4);
  const halfSize = Math.floor(outSkip / 2);
  const even = outSkip % 2 === 0;
  for (let i = 0; i < numKeys; i++) {
    const base = out!.offset * itemsize + i * bytesPerKey;
    // Writes word `loc` of this key's block, truncated (little-endian) at the block's end.
    const put = (loc: number, v: number): void => {
      for (let b = 0; b < 4 && 4 * loc + b < bytesPerKey; b++) view.setUint8(base + 4 * loc + b, (v >>> (8 * b)) & 0xff);
    };
    const k0 = kv[koffs[2 * i]!]!, k1 = kv[koffs[2 * i + 1]!]!;
    // Counter pairs (j, j + half + odd) fill words j and j + half + odd, as MLX does.
    let c0 = 0, c1 = halfSize + (even ? 0 : 1);
    for (; c0 < halfSize; c0++, c1++) {
      const [a, b] = threefry2x32(k0, k1, c0, c1);
      put(c0, a);
      put(c1, b);
    }
    if (!even) put(halfSize, threefry2x32(k0, k1, halfSize, 0)[0]);
  }
}

registerKernel('RandomBits', randomBitsKernel);
