// Shared by the file-format tests: arrays of every dtype with arbitrary bit patterns, their
// raw row-major bytes, and which dtypes each format holds (as MLX 0.32.4 has it).
import * as mx from '@mlx-ts/core';

export const allDtypes: mx.Dtype[] = [
  mx.bool, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64,
  mx.float16, mx.float32, mx.float64, mx.bfloat16, mx.complex64,
];

/** dtypes each format holds in MLX (checked against MLX in io-python.test.ts). */
export const formatDtypes: Record<'npy' | 'npz' | 'safetensors' | 'gguf', mx.Dtype[]> = {
  npy: allDtypes,
  npz: allDtypes,
  safetensors: allDtypes.filter((d) => d !== mx.float64),
  gguf: [mx.float32, mx.float16, mx.int8, mx.int16, mx.int32],
};

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * An array of `shape` whose elements are arbitrary bit patterns (NaNs, infinities and
 * subnormals included for floats); bools are 0/1.
 */
export function patternArray(dtype: mx.Dtype, shape: number[], seed: number): mx.MxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const bytes = pseudoRandomBytes(n * dtype.size, seed);
  if (dtype === mx.bool) for (let i = 0; i < bytes.length; i++) bytes[i]! &= 1;
  const u8 = mx.array(bytes, mx.uint8);
  const typed = dtype === mx.uint8 ? u8 : mx.view(u8, dtype);
  const out = mx.reshape(typed, shape);
  mx.eval(out);
  return out;
}

/** Raw row-major bytes of an array, read element by element from its storage (no kernel copy). */
export function rawBytes(a: mx.MxArray): Uint8Array {
  mx.eval(a);
  const { storage, strides, offset } = a._data!;
  const host = storage.backend.hostBytes!(storage);
  const w = a.itemsize;
  const shape = a.shape;
  const out = new Uint8Array(a.nbytes);
  let pos = 0;
  const walk = (dim: number, elem: number): void => {
    if (dim === shape.length) {
      out.set(host.subarray(elem * w, elem * w + w), pos);
      pos += w;
      return;
    }
    for (let i = 0; i < shape[dim]!; i++) walk(dim + 1, elem + i * strides[dim]!);
  };
  if (a.size > 0) walk(0, offset);
  return out;
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}
