// File formats without Python: round trips of every dtype through every format that holds
// it, MLX's exact .npy bytes, NumPy's Fortran-order and big-endian files, lazy and strided
// arrays, metadata, and broken inputs that must fail clearly without large allocations.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as mx from '@mlx-ts/core';
import { allDtypes, craftedFiles, formatDtypes, patternArray, rawBytes, safetensorsFile, zipArchive, zipOf } from './io-helpers.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlx-ts-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const latin = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function expectSameArray(got: mx.MxArray, want: mx.MxArray): void {
  expect(got.dtype).toBe(want.dtype);
  expect(got.shape).toEqual(want.shape);
  const [g, w] = [rawBytes(got), rawBytes(want)];
  // Buffer.equals: a deep toEqual on megabytes would take seconds
  expect(Buffer.from(g.buffer, g.byteOffset, g.byteLength).equals(w), `bytes of ${want.dtype.name} [${want.shape}]`).toBe(true);
}

/** A .npy file as NumPy writes it (header padded to 64 bytes). */
function numpyFile(descr: string, fortran: boolean, shape: number[], data: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  h += ' '.repeat(64 - ((10 + h.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(ascii(h), 10);
  out.set(data, 10 + h.length);
  return out;
}

describe('round trips of every dtype', () => {
  const shapes = [[2, 3, 4], [], [0, 3], [5]];
  for (const format of ['npy', 'npz', 'safetensors', 'gguf'] as const) {
    for (const dtype of formatDtypes[format]) {
      test(`${format} ${dtype.name}`, () => {
        shapes.forEach((shape, k) => {
          const a = patternArray(dtype, shape, 17 + k + dtype.size * 31);
          if (format === 'npy') {
            expectSameArray(mx.loadFromBytes(mx.saveToBytes('npy', a), 'npy'), a);
          } else if (format === 'npz') {
            for (const f of ['npz', 'npzCompressed'] as const) {
              const r = mx.loadFromBytes(mx.saveToBytes(f, { x: a, y: a }), 'npz');
              expect(Object.keys(r)).toEqual(['x', 'y']);
              expectSameArray(r.x!, a);
              expectSameArray(r.y!, a);
            }
          } else {
            const r = mx.loadFromBytes(mx.saveToBytes(format, { w: a }), format);
            expect(Object.keys(r)).toEqual(['w']);
            expectSameArray(r.w!, a);
          }
        });
      });
    }
  }

  test('dtypes a format cannot hold are refused as MLX refuses them', () => {
    for (const format of ['safetensors', 'gguf'] as const) {
      for (const dtype of allDtypes.filter((d) => !formatDtypes[format].includes(d))) {
        const a = mx.zeros([2], dtype);
        expect(() => mx.saveToBytes(format, { a }), `${format} ${dtype.name}`).toThrow(new RegExp(`dtype ${dtype.name}, which`));
      }
    }
  });

  test("names like '__proto__' and 'constructor' are plain keys in every format", () => {
    const named: Record<string, mx.MxArray> = {};
    for (const k of ['__proto__', 'constructor', 'toString']) {
      Object.defineProperty(named, k, { value: mx.array([k.length], mx.int32), enumerable: true });
    }
    for (const f of ['npz', 'npzCompressed', 'safetensors', 'gguf'] as const) {
      const r = mx.loadFromBytes(mx.saveToBytes(f, named), f === 'npzCompressed' ? 'npz' : f);
      expect(Object.keys(r), f).toEqual(['__proto__', 'constructor', 'toString']);
      expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(r, '__proto__')!.value.tolist()).toEqual([9]);
      expect(Object.getOwnPropertyDescriptor(r, 'constructor')!.value.tolist()).toEqual([11]);
    }
  });

  test('through files, with the extension added when missing, as MLX does', () => {
    const a = patternArray(mx.float32, [3, 2], 5);
    mx.save(join(dir, 'plain'), a);
    expect(existsSync(join(dir, 'plain.npy'))).toBe(true);
    expectSameArray(mx.load(join(dir, 'plain.npy')) as mx.MxArray, a);
    mx.savez(join(dir, 'z'), a, { b: a });
    const z = mx.load(join(dir, 'z.npz')) as Record<string, mx.MxArray>;
    expect(Object.keys(z)).toEqual(['arr_0', 'b']);
    expectSameArray(z.arr_0!, a);
    mx.savezCompressed(join(dir, 'zc.npz'), { c: a });
    expectSameArray((mx.load(join(dir, 'zc.npz')) as Record<string, mx.MxArray>).c!, a);
    mx.saveSafetensors(join(dir, 's'), { a }, { k: 'v' });
    const [st, meta] = mx.load(join(dir, 's.safetensors'), null, true) as [Record<string, mx.MxArray>, Record<string, string>];
    expectSameArray(st.a!, a);
    expect(meta).toEqual({ k: 'v' });
    mx.saveGguf(join(dir, 'g'), { a }, { name: 'x' });
    const [g, gm] = mx.load(join(dir, 'g.gguf'), 'gguf', true);
    expectSameArray(g.a!, a);
    expect(gm).toEqual({ name: 'x' });
    // the format argument wins over the extension
    writeFileSync(join(dir, 'odd.bin'), mx.saveToBytes('npy', a));
    expectSameArray(mx.load(join(dir, 'odd.bin'), 'npy'), a);
  });
});

describe('loading a file reads each array straight into its storage', () => {
  test('npy, npz (stored), safetensors, gguf: big reads land in storage, the file is read once', () => {
    const fs = (process as unknown as { getBuiltinModule(id: string): { readSync: (...a: unknown[]) => number } }).getBuiltinModule('node:fs');
    const big = patternArray(mx.float32, [512, 1024], 3); // 2 MiB
    const files: [string, () => void][] = [
      ['big.npy', () => mx.save(join(dir, 'big.npy'), big)],
      ['big.npz', () => mx.savez(join(dir, 'big.npz'), { big })],
      ['big.safetensors', () => mx.saveSafetensors(join(dir, 'big.safetensors'), { big })],
      ['big.gguf', () => mx.saveGguf(join(dir, 'big.gguf'), { big })],
    ];
    const orig = fs.readSync;
    for (const [name, write] of files) {
      write();
      const reads: Uint8Array[] = [];
      fs.readSync = (...args: unknown[]) => {
        reads.push(args[1] as Uint8Array);
        return orig.apply(fs, args);
      };
      let loaded: mx.MxArray;
      try {
        const r = mx.load(join(dir, name));
        loaded = r instanceof mx.MxArray ? r : (r as Record<string, mx.MxArray>).big!;
      } finally {
        fs.readSync = orig;
      }
      expectSameArray(loaded, big);
      const d = loaded._data!;
      const storageBuffer = d.storage.backend.hostBytes!(d.storage).buffer;
      const large = reads.filter((b) => b.byteLength >= 1 << 20);
      expect(large.length, name).toBeGreaterThan(0);
      for (const b of large) expect(b.buffer, name).toBe(storageBuffer);
      const total = reads.reduce((n, b) => n + b.byteLength, 0);
      expect(total, name).toBeLessThan(big.nbytes + (200 << 10));
    }
  });
});

describe('.npy as MLX writes it', () => {
  test('header bytes equal MLX 0.32.4 mx.save output', () => {
    const a = mx.reshape(mx.arange(6, mx.int32), [2, 3]);
    const b = mx.saveToBytes('npy', a);
    expect(b.length).toBe(102);
    expect(latin(b.subarray(0, 10))).toBe('\x93NUMPY\x01\x00D\x00');
    expect(latin(b.subarray(10, 78))).toBe("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3, )}        \n");
    expect(Array.from(new Int32Array(b.slice(78).buffer))).toEqual([0, 1, 2, 3, 4, 5]);
    // a transposed view is saved as it lies, in Fortran order (MLX's contiguous(a, true))
    const t = mx.saveToBytes('npy', mx.transpose(a));
    expect(latin(t.subarray(10, 76))).toBe("{'descr': '<i4', 'fortran_order': True, 'shape': (3, 2, )}       \n");
    expect(Array.from(new Int32Array(t.slice(76).buffer))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mx.loadFromBytes(t, 'npy').tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  test('descr strings: |b1, |i1, <V2 for bfloat16, <c8 for complex64, () for scalars', () => {
    const header = (a: mx.MxArray): string => {
      const b = mx.saveToBytes('npy', a);
      return latin(b.subarray(10, b.indexOf(10, 10) + 1));
    };
    expect(header(mx.array([true, false]))).toBe("{'descr': '|b1', 'fortran_order': True, 'shape': (2, )}    \n");
    expect(header(mx.array([1], mx.int8))).toContain("'descr': '|i1'");
    expect(header(mx.array([1], mx.bfloat16))).toContain("'descr': '<V2'");
    expect(header(mx.array([1], mx.complex64))).toContain("'descr': '<c8'");
    expect(header(mx.array(3.5))).toBe("{'descr': '<f4', 'fortran_order': True, 'shape': ()} \n");
  });

  test('Fortran-order files load in C order', () => {
    // NumPy's asfortranarray(arange(6).reshape(2, 3)) as int64: memory order 0 3 1 4 2 5
    const data = new Uint8Array(new BigInt64Array([0n, 3n, 1n, 4n, 2n, 5n]).buffer);
    const a = mx.loadFromBytes(numpyFile('<i8', true, [2, 3], data), 'npy');
    expect(a.dtype).toBe(mx.int64);
    expect(a.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(a.strides).toEqual([3, 1]);
    // 3-D
    const f = new Float32Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) f[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const b = mx.loadFromBytes(numpyFile('<f4', true, [2, 3, 4], new Uint8Array(f.buffer)), 'npy');
    expect(b.tolist()).toEqual([0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 100 * i + 10 * j + k))));
  });

  test('big-endian files load as native values, complex64 swapped per float', () => {
    const be = (vals: number[], width: number, set: (dv: DataView, o: number, v: number) => void): Uint8Array => {
      const out = new Uint8Array(vals.length * width);
      const dv = new DataView(out.buffer);
      vals.forEach((v, i) => set(dv, i * width, v));
      return out;
    };
    const f = mx.loadFromBytes(numpyFile('>f4', false, [3], be([1.5, -2, 1e30], 4, (d, o, v) => d.setFloat32(o, v))), 'npy');
    expect(f.tolist()).toEqual([1.5, -2, Math.fround(1e30)]);
    const i = mx.loadFromBytes(numpyFile('>i2', false, [2], be([-2, 300], 2, (d, o, v) => d.setInt16(o, v))), 'npy');
    expect(i.dtype).toBe(mx.int16);
    expect(i.tolist()).toEqual([-2, 300]);
    const c = mx.loadFromBytes(numpyFile('>c8', false, [1], be([1.25, -3], 4, (d, o, v) => d.setFloat32(o, v))), 'npy');
    expect(c.tolist()).toEqual([{ re: 1.25, im: -3 }]);
    const u = mx.loadFromBytes(numpyFile('>u8', true, [2, 2], be([1, 2, 3, 4], 8, (d, o, v) => d.setBigUint64(o, BigInt(v)))), 'npy');
    expect(u.tolist()).toEqual([[1, 3], [2, 4]]);
    // '|' and '=' byte orders, and bool
    expect(mx.loadFromBytes(numpyFile('|b1', false, [2], new Uint8Array([1, 0])), 'npy').tolist()).toEqual([true, false]);
    expect(mx.loadFromBytes(numpyFile('=i4', false, [1], new Uint8Array([7, 0, 0, 0])), 'npy').tolist()).toEqual([7]);
  });

  test('version 2 and 3 headers', () => {
    const v1 = numpyFile('<i4', false, [2], new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]));
    const hl = v1[8]! | (v1[9]! << 8);
    for (const version of [2, 3]) {
      const v = new Uint8Array(v1.length + 2);
      v.set(v1.subarray(0, 6));
      v[6] = version;
      new DataView(v.buffer).setUint32(8, hl, true);
      v.set(v1.subarray(10), 12);
      expect(mx.loadFromBytes(v, 'npy').tolist()).toEqual([1, 2]);
    }
  });
});

describe('saving evaluates and writes logical contents', () => {
  test('lazy, broadcast, sliced and transposed arrays', () => {
    const base = mx.reshape(mx.arange(12, mx.float32), [3, 4]);
    const cases: [string, mx.MxArray][] = [
      ['lazy', mx.add(base, 1)],
      ['broadcast', mx.broadcastTo(mx.array([1, 2, 3], mx.int16), [2, 3])],
      ['slice', base.index(mx.Slice(null, null, 2), mx.Slice(1, null, 2))],
      ['transpose', mx.transpose(mx.reshape(mx.arange(24, mx.int32), [2, 3, 4]), [1, 0, 2])],
    ];
    for (const [name, a] of cases) {
      const want = a.tolist();
      expect(mx.loadFromBytes(mx.saveToBytes('npy', a), 'npy').tolist(), name).toEqual(want);
      for (const f of ['npz', 'npzCompressed'] as const) expect(mx.loadFromBytes(mx.saveToBytes(f, [a]), 'npz').arr_0!.tolist(), name).toEqual(want);
      expect(mx.loadFromBytes(mx.saveToBytes('safetensors', { a }), 'safetensors').a!.tolist(), name).toEqual(want);
      const g = a.dtype === mx.int16 ? mx.astype(a, mx.int32) : a;
      expect(mx.loadFromBytes(mx.saveToBytes('gguf', { g }), 'gguf').g!.tolist(), name).toEqual(want);
    }
  });

  test('strided arrays keep every bit pattern (NaN payloads of complex64 included)', () => {
    for (const dtype of allDtypes) {
      const x = patternArray(dtype, [6, 5], 77);
      const views = [mx.transpose(x), x.index(mx.Slice(null, null, -1), mx.Slice(1, null, 2)), mx.broadcastTo(x.index(0), [3, 5])];
      for (const v of views) {
        const want = rawBytes(v);
        expect(rawBytes(mx.loadFromBytes(mx.saveToBytes('npy', v), 'npy')), dtype.name).toEqual(want);
        if (formatDtypes.safetensors.includes(dtype)) {
          expect(rawBytes(mx.loadFromBytes(mx.saveToBytes('safetensors', { v }), 'safetensors').v!), dtype.name).toEqual(want);
        }
      }
    }
  });

  test('a lazy array is evaluated by the save', () => {
    const a = mx.multiply(mx.arange(4, mx.float32), 2);
    expect(a.isEvaluated).toBe(false);
    mx.save(join(dir, 'lazy.npy'), a);
    expect(a.isEvaluated).toBe(true);
    expect((mx.load(join(dir, 'lazy.npy')) as mx.MxArray).tolist()).toEqual([0, 2, 4, 6]);
  });
});

describe('npz', () => {
  test('names: positional arr_i, then named; duplicates refused', () => {
    const a = mx.array([1]);
    const r = mx.loadFromBytes(mx.saveToBytes('npz', [a, mx.array([2])]), 'npz');
    expect(Object.keys(r)).toEqual(['arr_0', 'arr_1']);
    expect(r.arr_1!.tolist()).toEqual([2]);
    expect(() => mx.savez(join(dir, 'dup.npz'), a, { arr_0: a })).toThrow(/arr_0/);
    expect(() => mx.savez(join(dir, 'bad.npz'), 3 as never)).toThrow(/expected mx arrays/);
  });

  test('compressed archives are smaller and deflated', () => {
    const z = mx.zeros([1000], mx.float32);
    const plain = mx.saveToBytes('npz', { z });
    const small = mx.saveToBytes('npzCompressed', { z });
    expect(plain.length).toBeGreaterThan(4000);
    expect(small.length).toBeLessThan(400);
    // local header compression method field (offset 8)
    expect(plain[8]).toBe(0);
    expect(small[8]).toBe(8);
    expect(mx.loadFromBytes(small, 'npz').z!.tolist()).toEqual(new Array(1000).fill(0));
  });
});

describe('safetensors', () => {
  test('header: dtype names, shapes, offsets, 8-byte aligned data, metadata', () => {
    const b = mx.saveToBytes('safetensors', { a: mx.array([[1, 2]], mx.int32), h: mx.array([1], mx.bfloat16) }, { k: 'v' });
    const n = Number(new DataView(b.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const h = JSON.parse(latin(b.subarray(8, 8 + n)));
    expect(h).toEqual({
      __metadata__: { k: 'v' },
      a: { dtype: 'I32', shape: [1, 2], data_offsets: [0, 8] },
      h: { dtype: 'BF16', shape: [1], data_offsets: [8, 10] },
    });
    expect(b.length).toBe(8 + n + 10);
    const [arrays, meta] = mx.loadFromBytes(b, 'safetensors', true);
    expect(meta).toEqual({ k: 'v' });
    expect(arrays.a!.tolist()).toEqual([[1, 2]]);
    expect(mx.loadFromBytes(mx.saveToBytes('safetensors', { a: mx.array([1]) }), 'safetensors', true)[1]).toEqual({});
  });

  test('a file as MLX writes it without metadata ("__metadata__": null)', () => {
    const json = '{"__metadata__":null,"a":{"data_offsets":[0,4],"dtype":"F32","shape":[1]},"b":{"data_offsets":[4,8],"dtype":"I32","shape":[1]}}';
    const file = new Uint8Array(8 + json.length + 8);
    const dv = new DataView(file.buffer);
    dv.setBigUint64(0, BigInt(json.length), true);
    file.set(ascii(json), 8);
    dv.setFloat32(8 + json.length, 2, true);
    dv.setInt32(12 + json.length, 1, true);
    const [arrays, meta] = mx.loadFromBytes(file, 'safetensors', true);
    expect(meta).toEqual({});
    expect([arrays.a!.dtype, arrays.a!.tolist(), arrays.b!.dtype, arrays.b!.tolist()]).toEqual([mx.float32, [2], mx.int32, [1]]);
  });

  test('metadata must be strings; F8 dtypes load as uint8 as in MLX', () => {
    expect(() => mx.saveSafetensors(join(dir, 'm'), { a: mx.array([1]) }, { n: 3 as never })).toThrow(/metadata\['n'\] must be a string/);
    const json = JSON.stringify({ f: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } });
    const file = new Uint8Array(8 + json.length + 2);
    new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
    file.set(ascii(json), 8);
    file.set([0x38, 0xc0], 8 + json.length);
    const r = mx.loadFromBytes(file, 'safetensors');
    expect(r.f!.dtype).toBe(mx.uint8);
    expect(r.f!.tolist()).toEqual([0x38, 0xc0]);
  });
});

describe('gguf', () => {
  test('metadata: strings, string lists, 0-d and 1-d arrays, JS numbers and bigints', () => {
    const b = mx.saveToBytes('gguf', { w: mx.array([1, 2], mx.float32) }, {
      s: 'str',
      l: ['a', 'bb'],
      e: [],
      i: mx.array(3, mx.uint16),
      f: mx.array([1.5, 2.5]),
      u: mx.array([2n ** 63n + 5n], mx.uint64),
      n: 7,
      x: 0.5,
      b: true,
      nl: [1, 2, 3],
      ni: mx.array(7n),
      nli: mx.array([1n, 2n, 3n]),
      bi: 9n,
      bl: [4n, 5n],
      bw: 2n ** 40n,
    });
    const [arrays, meta] = mx.loadFromBytes(b, 'gguf', true);
    expect(arrays.w!.tolist()).toEqual([1, 2]);
    expect(meta.s).toBe('str');
    expect(meta.l).toEqual(['a', 'bb']);
    expect(meta.e).toEqual([]);
    const arr = (k: string): mx.MxArray => meta[k] as mx.MxArray;
    expect([arr('i').dtype, arr('i').shape, arr('i').item()]).toEqual([mx.uint16, [], 3]);
    expect([arr('f').dtype, arr('f').tolist()]).toEqual([mx.float32, [1.5, 2.5]]);
    expect(arr('u').tolist()).toEqual([2n ** 63n + 5n]);
    // JS numbers become arrays as mx.array makes them: float32 (a JS number is a Python float);
    // integer metadata comes from an integer array (bigints are Python ints: int32).
    expect([arr('n').dtype, arr('n').item()]).toEqual([mx.float32, 7]);
    expect([arr('x').dtype, arr('x').item()]).toEqual([mx.float32, 0.5]);
    expect([arr('b').dtype, arr('b').item()]).toEqual([mx.bool, true]);
    expect([arr('nl').dtype, arr('nl').tolist()]).toEqual([mx.float32, [1, 2, 3]]);
    expect([arr('ni').dtype, arr('ni').shape, arr('ni').item()]).toEqual([mx.int32, [], 7]);
    expect([arr('nli').dtype, arr('nli').tolist()]).toEqual([mx.int32, [1, 2, 3]]);
    // bigints directly: int32, int64 beyond int32
    expect([arr('bi').dtype, arr('bi').item()]).toEqual([mx.int32, 9]);
    expect([arr('bl').dtype, arr('bl').tolist()]).toEqual([mx.int32, [4, 5]]);
    expect([arr('bw').dtype, arr('bw').item()]).toEqual([mx.int64, 2 ** 40]);
  });

  test('metadata MLX refuses', () => {
    const w = { w: mx.array([1], mx.float32) };
    expect(() => mx.saveToBytes('gguf', w, { h: mx.array(1, mx.float16) })).toThrow(/float16 is not supported for metadata/);
    expect(() => mx.saveToBytes('gguf', w, { m: mx.zeros([2, 2]) })).toThrow(/more than one dimension/);
    expect(() => mx.saveToBytes('gguf', w, { e: mx.zeros([0], mx.int32) })).toThrow(/empty arrays/);
    expect(() => mx.saveToBytes('gguf', w, { o: { a: 1 } as never })).toThrow(/metadata\['o'\] must be/);
  });

  test("Q4_0 and Q8_0 tensors load as MLX's packed weights, scales and biases", () => {
    const file = mx.saveToBytes('gguf', { 'q.weight': mx.zeros([64], mx.float32) });
    const dv = new DataView(file.buffer);
    const typeAt = 24 + 8 + 8 + 4 + 8;
    const dataAt = 64;
    expect(dv.getUint32(typeAt, true)).toBe(0);
    // Q4_0: two blocks of |f16 scale|16 bytes|; GGML puts weight j in the low nibble of byte j, weight j+16 in the high one
    dv.setUint32(typeAt, 2, true);
    for (let blk = 0; blk < 2; blk++) {
      const b = dataAt + blk * 18;
      dv.setUint16(b, blk === 0 ? 0x3800 : 0x4000, true); // scales 0.5 and 2
      for (let j = 0; j < 16; j++) file[b + 2 + j] = j | ((15 - j) << 4);
    }
    const q4 = mx.loadFromBytes(file, 'gguf');
    expect(Object.keys(q4).sort()).toEqual(['q.biases', 'q.scales', 'q.weight']);
    const w = q4['q.weight']!;
    expect([w.dtype, w.shape]).toEqual([mx.uint32, [8]]);
    const nibbles = (w.tolist() as number[]).flatMap((u) => Array.from({ length: 8 }, (_, k) => (u >>> (4 * k)) & 15));
    const block = [...Array.from({ length: 16 }, (_, j) => j), ...Array.from({ length: 16 }, (_, j) => 15 - j)];
    expect(nibbles).toEqual([...block, ...block]);
    expect(q4['q.scales']!.tolist()).toEqual([0.5, 2]);
    expect(q4['q.biases']!.tolist()).toEqual([-4, -16]);
    expect(q4['q.scales']!.dtype).toBe(mx.float16);
    // Q8_0: one block of |f16 scale|32 int8| per 32 weights, stored as uint8 = int8 + 128
    dv.setUint32(typeAt, 8, true);
    for (let blk = 0; blk < 2; blk++) {
      const b = dataAt + blk * 34;
      dv.setUint16(b, 0x3c00, true);
      for (let j = 0; j < 32; j++) dv.setInt8(b + 2 + j, j - 16);
    }
    const q8 = mx.loadFromBytes(file, 'gguf');
    expect(q8['q.weight']!.shape).toEqual([16]);
    const bytes = (q8['q.weight']!.tolist() as number[]).flatMap((u) => [u & 255, (u >>> 8) & 255, (u >>> 16) & 255, u >>> 24]);
    const ramp = Array.from({ length: 32 }, (_, j) => j - 16 + 128);
    expect(bytes).toEqual([...ramp, ...ramp]);
    expect(q8['q.biases']!.tolist()).toEqual([-128, -128]);
  });

  test('layout: version 3, reversed dims, 32-byte aligned data', () => {
    const b = mx.saveToBytes('gguf', { x: mx.zeros([2, 3], mx.float32), y: mx.array([1, 2], mx.int8), z: mx.zeros([5], mx.float16) });
    const dv = new DataView(b.buffer);
    expect(latin(b.subarray(0, 4))).toBe('GGUF');
    expect(dv.getUint32(4, true)).toBe(3);
    expect(Number(dv.getBigUint64(8, true))).toBe(3);
    // first tensor info right after the 24-byte preamble: name 'x', 2 dims [3, 2], F32 (0), offset 0
    expect(Number(dv.getBigUint64(24, true))).toBe(1);
    expect(dv.getUint32(33, true)).toBe(2);
    expect([Number(dv.getBigUint64(37, true)), Number(dv.getBigUint64(45, true))]).toEqual([3, 2]);
    expect(dv.getUint32(53, true)).toBe(0);
    const r = mx.loadFromBytes(b, 'gguf');
    expect(r.x!.shape).toEqual([2, 3]);
    expect(r.y!.tolist()).toEqual([1, 2]);
    expect(r.z!.shape).toEqual([5]);
  });
});

describe('load: formats, results and argument errors', () => {
  test('returnMetadata is refused for npy and npz, as MLX', () => {
    const a = mx.array([1]);
    expect(() => mx.loadFromBytes(mx.saveToBytes('npy', a), 'npy', true as never)).toThrow('[loadFromBytes] metadata not supported for format npy');
    expect(() => mx.loadFromBytes(mx.saveToBytes('npz', [a]), 'npz', true as never)).toThrow(/metadata not supported for format npz/);
  });

  test('unknown formats and missing extensions', () => {
    writeFileSync(join(dir, 'noext'), mx.saveToBytes('npy', mx.array([1])));
    expect(() => mx.load(join(dir, 'noext'))).toThrow(/Could not infer file format from extension/);
    expect(() => mx.load(join(dir, 'x.foo'))).toThrow(/Unknown file format/);
    expect(() => mx.loadFromBytes(new Uint8Array(4), 'zip' as never)).toThrow(/Unknown file format/);
    expect(() => mx.load(join(dir, 'missing.npy'))).toThrow(/Failed to open/);
    expect(() => mx.loadFromBytes('abc' as never, 'npy')).toThrow(/bytes must be a Uint8Array/);
    expect(() => mx.save(3 as never, mx.array([1]))).toThrow(/file must be a non-empty path string/);
    expect(() => mx.save(join(dir, 'q.npy'), [1, 2] as never)).toThrow(/expected an mx.array/);
    expect(() => mx.saveSafetensors(join(dir, 'q'), { a: 3 } as never)).toThrow(/arrays\['a'\] must be an mx.array/);
    expect(() => mx.saveToBytes('tar' as never, mx.array([1]))).toThrow(/unknown format/);
  });

  test('a file saved by mx.save reads back byte for byte', () => {
    const a = patternArray(mx.bfloat16, [4, 4], 99);
    mx.save(join(dir, 'bf.npy'), a);
    expect(new Uint8Array(readFileSync(join(dir, 'bf.npy')))).toEqual(mx.saveToBytes('npy', a));
  });
});

describe('broken inputs fail clearly and allocate no more than the input size', () => {
  const good = {
    npy: mx.saveToBytes('npy', mx.reshape(mx.arange(12, mx.float32), [3, 4])),
    npz: mx.saveToBytes('npzCompressed', { a: mx.arange(100, mx.float32) }),
    safetensors: mx.saveToBytes('safetensors', { a: mx.arange(10, mx.float32) }),
    gguf: mx.saveToBytes('gguf', { a: mx.arange(10, mx.float32) }, { s: 'hello' }),
  };

  function expectBroken(bytes: Uint8Array, format: mx.LoadFormat, message: RegExp): void {
    mx.resetPeakMemory();
    const before = mx.getActiveMemory();
    expect(() => mx.loadFromBytes(bytes, format)).toThrow(message);
    expect(mx.getPeakMemory() - before).toBeLessThanOrEqual(bytes.length);
  }

  test('npy', () => {
    const bad = good.npy.slice();
    bad[1] = 0;
    expectBroken(bad, 'npy', /bad magic/);
    expectBroken(good.npy.subarray(0, 5), 'npy', /too short/);
    expectBroken(good.npy.subarray(0, 100), 'npy', /needs 48 bytes but only 22 remain/);
    const v9 = good.npy.slice();
    v9[6] = 9;
    expectBroken(v9, 'npy', /unsupported .npy format version 9/);
    const long = good.npy.slice();
    long[9] = 0x7f; // header length 0x7f44
    expectBroken(long, 'npy', /header claims/);
    const patch = (from: string, to: string): Uint8Array => {
      const t = latin(good.npy).replace(from, to);
      return Uint8Array.from(t, (c) => c.charCodeAt(0));
    };
    expectBroken(patch("'shape': (3, 4, )", "'shape': (99999, 99999)"), 'npy', /shape \[99999, 99999\] needs 39999200004 bytes but only \d+ remain/);
    expectBroken(patch("'shape': (3, 4, )", "'shape': (3, -4, )"), 'npy', /invalid shape/);
    expectBroken(patch("'<f4'", "'<f3'"), 'npy', /unsupported dtype '<f3'/);
    expectBroken(patch("'<f4'", "'<c16'"), 'npy', /unsupported dtype '<c16'/);
    expectBroken(patch("'<f4'", "[('a', '<f4')]"), 'npy', /only plain dtypes are supported/);
    expectBroken(patch("'fortran_order': False", "'fortran_order': Flse"), 'npy', /can't parse the .npy header/);
    expectBroken(patch("'descr'", "'dtype'"), 'npy', /lacks 'descr'/);
  });

  test('npz', () => {
    expectBroken(good.npz.subarray(0, good.npz.length - 10), 'npz', /no end-of-central-directory/);
    expectBroken(ascii('PK\x05\x06 nonsense'), 'npz', /truncated|corrupt/);
    // corrupt the deflate stream
    const bad = good.npz.slice();
    for (let i = 60; i < 90; i++) bad[i] = 0xff;
    expectBroken(bad, 'npz', /corrupt|CRC/);
    // an entry claiming a giant size from few bytes
    const giant = good.npz.slice();
    const cd = latin(giant).lastIndexOf('PK\x01\x02');
    new DataView(giant.buffer).setUint32(cd + 24, 0xfffffff0, true);
    expectBroken(giant, 'npz', /more than deflate can produce/);
    // a deflated entry of no bytes that claims some
    expectBroken(zipArchive({ name: 'a.npy', method: 8, payload: new Uint8Array(0), size: 5, crc: 0 }), 'npz', /inflates to 0 bytes, not the 5/);
    // a stored entry that isn't .npy data
    expectBroken(zipOf('a.npy', ascii('hello world, not npy')), 'npz', /bad magic/);
    expectBroken(zipOf('a.txt', ascii('hi')), 'npz', /not a .npy array/);
    // a valid hand-made archive loads (stored entry read in place)
    const ok = zipOf('q.npy', good.npy);
    expect(mx.loadFromBytes(ok, 'npz').q!.shape).toEqual([3, 4]);
  });

  test('safetensors', () => {
    const withHeader = (json: string, dataBytes = 0, claimed?: number): Uint8Array => {
      const b = new Uint8Array(8 + json.length + dataBytes);
      new DataView(b.buffer).setBigUint64(0, BigInt(claimed ?? json.length), true);
      b.set(ascii(json), 8);
      return b;
    };
    expectBroken(new Uint8Array(3), 'safetensors', /too short/);
    expectBroken(withHeader('{}', 0, 0), 'safetensors', /invalid JSON header length 0/);
    expectBroken(withHeader('{}', 0, 2 ** 40), 'safetensors', /invalid JSON header length/);
    expectBroken(withHeader('{"a": 1}', 0, 5000), 'safetensors', /5000 bytes long but the file is only/);
    expectBroken(withHeader('{"a": {"dtype": "F32",'), 'safetensors', /not valid JSON/);
    expectBroken(withHeader('[1, 2]'), 'safetensors', /must be an object/);
    expectBroken(withHeader('{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}', 8), 'safetensors', /unsupported dtype "F64"/);
    expectBroken(withHeader('{"a": {"dtype": "Q4", "shape": [1], "data_offsets": [0, 1]}}', 1), 'safetensors', /unsupported dtype "Q4"/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}', 8), 'safetensors', /past the end of the file/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}', 8), 'safetensors', /needs 16 bytes but only 8 remain/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 8]}}', 8), 'safetensors', /expecting 4 bytes/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": [100000, 100000], "data_offsets": [0, 8]}}', 8), 'safetensors', /needs 40000000000 bytes/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}', 8), 'safetensors', /expected \[begin, end\]/);
    expectBroken(withHeader('{"a": {"dtype": "F32", "shape": "x", "data_offsets": [0, 4]}}', 8), 'safetensors', /expected a list of integers/);
    expectBroken(withHeader('{"__metadata__": {"k": 3}}'), 'safetensors', /__metadata__\['k'\] must be a string/);
  });

  test('gguf', () => {
    const bad = good.gguf.slice();
    bad[0] = 0x47 + 1;
    expectBroken(bad, 'gguf', /bad magic/);
    expectBroken(good.gguf.subarray(0, 2), 'gguf', /bad magic/);
    const v = good.gguf.slice();
    v[4] = 7;
    expectBroken(v, 'gguf', /unsupported GGUF version 7/);
    const many = good.gguf.slice();
    new DataView(many.buffer).setBigUint64(8, 2n ** 40n, true);
    expectBroken(many, 'gguf', /more than the file can hold/);
    for (const cut of [20, 30, 50, 80]) expectBroken(good.gguf.subarray(0, cut), 'gguf', /truncated|past the end|needs/);
    // a string length far beyond the file
    const s = good.gguf.slice();
    new DataView(s.buffer).setBigUint64(24 + 8 + 1 + 4, 2n ** 50n, true);
    expectBroken(s, 'gguf', /needs|beyond/);
    // unknown tensor type: the type field of the only tensor
    const t = good.gguf.slice();
    const at = 24 + (8 + 1 + 4 + 8 + 5) + (8 + 1 + 4 + 8);
    new DataView(t.buffer).setUint32(at, 12, true);
    expectBroken(t, 'gguf', /GGML type Q4_K, which mlx-ts does not load/);
    // data cut off
    expectBroken(good.gguf.subarray(0, good.gguf.length - 4), 'gguf', /needs 40 bytes but only 36 remain/);
    // a quantized (Q8_0) tensor needs a last dimension in multiples of 32
    new DataView(t.buffer).setUint32(at, 8, true);
    expectBroken(t, 'gguf', /incompatible last dim shape: 10/);
  });
});

/** Runs `load` and returns the FormatError it throws (failing the test if it throws none or another). */
function formatErrorOf(load: () => unknown): Error {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(mx.FormatError);
    return e as Error;
  }
  throw new Error('expected a FormatError, but the input loaded');
}

describe('hand-made files are judged as the reference readers judge them', () => {
  for (const c of craftedFiles()) {
    test(c.id, () => {
      const file = join(dir, `crafted.${c.format}`);
      writeFileSync(file, c.bytes);
      // the in-memory and the file reader (which reads stored .npz entries in place)
      for (const load of [() => mx.loadFromBytes(c.bytes, c.format), () => mx.load(file)]) {
        if (c.refusal) {
          expect(formatErrorOf(load).message).toMatch(c.refusal);
          continue;
        }
        const got = load() as Record<string, mx.MxArray>;
        expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.tolist()]))).toEqual(c.holds);
      }
    });
  }

  test('a repeated __metadata__ key keeps the last value (as JSON.parse and the reference reader); tensor names are compared decoded', () => {
    const c = craftedFiles().find((f) => f.id.includes('a metadata key twice'))!;
    expect(mx.loadFromBytes(c.bytes, 'safetensors', true)[1]).toEqual({ k: 'w' });
    // names are compared decoded: "\u0061" is 'a'
    const escaped = safetensorsFile('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"\\u0061":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [7]);
    expect(formatErrorOf(() => mx.loadFromBytes(escaped, 'safetensors')).message).toMatch(/names tensor 'a' twice/);
  });

  test('npz: a flipped byte after the array data, which no array read covers, still fails the CRC-32', () => {
    const npy = mx.saveToBytes('npy', mx.arange(6, mx.float32));
    const padded = new Uint8Array(npy.length + 4);
    padded.set(npy);
    const archive = zipOf('a.npy', padded);
    expect(mx.loadFromBytes(archive, 'npz').a!.tolist()).toEqual([0, 1, 2, 3, 4, 5]);
    archive[30 + 'a.npy'.length + npy.length + 2] = 1;
    expect(formatErrorOf(() => mx.loadFromBytes(archive, 'npz')).message).toMatch(/entry 'a\.npy'.*CRC-32 mismatch/);
  });
});

/**
 * A raw deflate stream that inflates to `n` zero bytes: one fixed-Huffman block of a literal 0
 * then copies of 258 bytes at distance 1, 13 bits each (158:1; built directly, since deflating
 * hundreds of MiB would take seconds).
 */
function zerosDeflated(n: number): Uint8Array {
  const copies = Math.floor((n - 1) / 258);
  const literals = n - 1 - copies * 258;
  const out = new Uint8Array(Math.ceil((3 + 8 * (1 + literals) + 13 * copies + 7) / 8));
  let bit = 0;
  const field = (v: number, len: number): void => {
    for (let i = 0; i < len; i++, bit++) out[bit >> 3]! |= ((v >> i) & 1) << (bit & 7);
  };
  const code = (c: number, len: number): void => {
    for (let i = len - 1; i >= 0; i--, bit++) out[bit >> 3]! |= ((c >> i) & 1) << (bit & 7); // Huffman codes: most significant bit first
  };
  field(1, 1); // the final block
  field(1, 2); // fixed Huffman codes
  for (let i = 0; i <= literals; i++) code(0x30, 8); // literal 0
  for (let i = 0; i < copies; i++) {
    code(0xc5, 8); // length 258 (symbol 285)
    code(0, 5); // distance 1
  }
  code(0, 7); // end of block
  return out;
}

describe('a zip bomb is refused as soon as inflating passes the declared size', () => {
  test('the bomb builder makes true deflate streams', () => {
    for (const n of [1, 2, 258, 259, 260, 1000]) expect(new Uint8Array(inflateRawSync(zerosDeflated(n)))).toEqual(new Uint8Array(n));
  });

  test('256 MiB of zeros behind a directory that says 168 bytes', () => {
    // 1.7 MB of deflate data; inflating all of it before comparing sizes took 1.6 s here
    // (and 5-11 s for the 1 GiB bomb).
    const stream = zerosDeflated(256 << 20);
    const bomb = zipArchive({ name: 'a.npy', method: 8, payload: stream, size: 168, crc: 0 });
    const t0 = performance.now();
    const message = formatErrorOf(() => mx.loadFromBytes(bomb, 'npz')).message;
    const ms = performance.now() - t0;
    expect(message).toMatch(/entry 'a\.npy'\): inflates past the 168 bytes the directory records \(stopped after \d+ bytes; a corrupt file or a zip bomb\)/);
    // The proof that it stopped early: what it inflated, not the clock (a generous bound only).
    const inflated = Number(/stopped after (\d+) bytes/.exec(message)![1]);
    expect(inflated).toBeLessThan(32 << 20);
    expect(ms).toBeLessThan(1000);
  });

  test('deflate data that stops giving output is refused without reading it all', () => {
    // A complete stream, then 16 MiB more: fed on to fflate, each step would copy all of it
    // again (seconds, quadratic); refused after ~100 KiB that give nothing.
    const npy = mx.saveToBytes('npy', mx.arange(3, mx.float32));
    const stream = deflateRawSync(npy);
    const payload = new Uint8Array(16 << 20);
    payload.set(stream);
    const archive = zipArchive({ name: 'a.npy', method: 8, payload, size: npy.length + 1, crc: 0 });
    const t0 = performance.now();
    expect(formatErrorOf(() => mx.loadFromBytes(archive, 'npz')).message).toMatch(/entry 'a\.npy'\): corrupt deflate data \(\d+ bytes in a row inflate to nothing\)/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
