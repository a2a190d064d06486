// Sizes that cannot exist are refused where they are made, by the op that makes them and
// naming the argument: dimensions past MLX's int32 (MLX raises "Shape dimension ... is outside
// the supported range"), and element counts past what a JS number counts exactly (MLX counts
// in int64 and wraps silently past it; mlx-ts refuses instead). Shapes that MLX accepts as lazy
// views are accepted here too. Storage that a backend can't hold raises OutOfMemoryError naming
// the size, on each backend, instead of an engine RangeError from deep inside.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { ReferenceBackend } from '../src/backend/reference/index.js';
import { MAX_DIMENSION, MAX_SIZE, stridedOffsets } from '../src/shape.js';

const BIG = 2 ** 31; // one past the largest dimension
const f32 = (v: number[]) => mx.array(v, mx.float32);
const one = () => f32([1]);
const view = (shape: number[]) => mx.broadcastTo(one(), shape);
const TOO_MANY = /has about [\d.]+e\+\d+ elements; an array holds at most 9007199254740991/;

/** Runs `f` with `name` as the CPU backend. */
function onBackend<T>(name: string, f: () => T): T {
  const before = mx.cpuBackendName();
  mx.setCpuBackend(name);
  try {
    return f();
  } finally {
    mx.setCpuBackend(before);
  }
}

describe('limits', () => {
  it('are MLX int32 dimensions and exactly countable sizes', () => {
    expect(MAX_DIMENSION).toBe(2147483647);
    expect(MAX_SIZE).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('a dimension past int32 is refused by the op that makes it', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['broadcastTo', () => mx.broadcastTo(one(), [2 ** 33]), /^\[broadcastTo\] shape \[8589934592\] has dimension 8589934592, outside the supported range \[0, 2147483647\]/],
    ['broadcastTo, two dims', () => mx.broadcastTo(one(), [BIG, BIG]), /^\[broadcastTo\] shape \[2147483648, 2147483648\] has dimension 2147483648/],
    ['reshape, given', () => mx.reshape(mx.zeros([4], mx.float32), [BIG, 1]), /^\[reshape\] Shape dimension 2147483648 is outside/],
    ['reshape, inferred', () => mx.reshape(view([2 ** 30, 4]), [-1]), /^\[reshape\] Shape dimension 4294967296 is outside/],
    ['zeros', () => mx.zeros([BIG], mx.float32), /^\[full\] shape \[2147483648\] has dimension 2147483648/],
    ['ones', () => mx.ones([3, BIG], mx.float32), /^\[full\] shape \[3, 2147483648\] has dimension 2147483648/],
    ['full', () => mx.full([BIG], f32([1.5])), /^\[full\] shape \[2147483648\]/],
    ['tile, reps', () => mx.tile(f32([1, 2]), [BIG]), /^\[tile\] reps entry 2147483648 is outside/],
    ['tile, result', () => mx.tile(f32([1, 2]), [2 ** 30]), /^\[tile\] Shape dimension 2147483648 is outside/],
    ['repeat, repeats', () => mx.repeat(f32([1, 2]), BIG, 0), /^\[repeat\] repeats 2147483648 is outside/],
    ['repeat, result', () => mx.repeat(f32([1, 2]), 2 ** 30, 0), /^\[repeat\] Shape dimension 2147483648 is outside/],
    ['repeat, flattened', () => mx.repeat(view([2 ** 30, 2]), 1), /^\[repeat\] Shape dimension 2147483648 is outside/],
    ['pad', () => mx.pad(f32([1, 2]), [[0, BIG - 2]]), /^\[pad\] Shape dimension 2147483648 is outside/],
    ['concatenate', () => mx.concatenate([view([3 * 2 ** 29]), view([3 * 2 ** 29])]), /^\[concatenate\] Shape dimension 3221225472 is outside/],
    ['flatten', () => mx.flatten(view([2 ** 30, 2])), /^\[flatten\] Shape dimension 2147483648 is outside/],
    ['unflatten', () => mx.unflatten(mx.zeros([4], mx.float32), 0, [BIG, -1]), /^\[unflatten\] Shape dimension 2147483648 is outside/],
    ['kron', () => mx.kron(view([2 ** 30]), f32([1, 2])), /^\[kron\] Shape dimension 2147483648 is outside/],
    ['diag', () => mx.diag(view([BIG - 1]), 1), /^\[diag\] Shape dimension 2147483648 is outside/],
    ['linspace', () => mx.linspace(0, 1, BIG, mx.float32), /^\[linspace\] num 2147483648 is outside/],
    ['eye, N', () => mx.eye(BIG, null, 0, mx.float32), /^\[eye\] N 2147483648 is outside/],
    ['eye, M', () => mx.eye(2, BIG, 0, mx.float32), /^\[eye\] M 2147483648 is outside/],
    ['tri', () => mx.tri(BIG, null, 0, mx.float32), /^\[tri\] N 2147483648 is outside/],
    ['random.bits', () => mx.random.bits([BIG]), /^\[bits\] Shape dimension 2147483648 is outside/],
    ['random.uniform', () => mx.random.uniform(f32([0]).reshape([]), f32([1]).reshape([]), [BIG], mx.float32), /^\[uniform\] Shape dimension 2147483648/],
    ['random.normal', () => mx.random.normal([BIG], mx.float32), /^\[normal\] Shape dimension 2147483648/],
    ['random.randint', () => mx.random.randint(mx.array(0, mx.int32), mx.array(9, mx.int32), [BIG]), /^\[randint\] Shape dimension 2147483648/],
    ['random.gumbel', () => mx.random.gumbel([BIG], mx.float32), /^\[gumbel\] Shape dimension 2147483648/],
    ['random.bernoulli', () => mx.random.bernoulli(f32([0.5]).reshape([]), [BIG]), /^\[bernoulli\] Shape dimension 2147483648/],
    ['random.split', () => mx.random.split(mx.random.key(0), BIG), /^\[split\] num 2147483648 is outside/],
    ['random.categorical', () => mx.random.categorical(f32([0, 0]), -1, null, BIG), /^\[categorical\] numSamples 2147483648 is outside/],
    ['asStrided', () => mx.asStrided(one(), [BIG], [0]), /^\[as_strided\] shape \[2147483648\] has dimension 2147483648/],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
  });

  // (guards: these refusals predate the limits)
  it("arange's MLX message, and negative and fractional dimensions as TypeErrors naming the argument", () => {
    expect(() => mx.arange(0, BIG, 1, mx.float32)).toThrow(/^\[arange\] Maximum size exceeded\.$/);
    expect(() => mx.broadcastTo(one(), [-1])).toThrow(/^\[broadcastTo\] shape must contain non-negative integers, got \[-1\]/);
    expect(() => mx.zeros([2, -3], mx.float32)).toThrow(/^\[full\] shape must contain non-negative integers/);
    expect(() => mx.zeros([2.5], mx.float32)).toThrow(TypeError);
    expect(() => mx.reshape(one(), [-2])).toThrow(/^\[reshape\] shape must contain integers >= -1/);
    expect(() => mx.random.normal([-1], mx.float32)).toThrow(/^\[normal\] Negative dimensions not allowed/);
    expect(() => mx.tile(f32([1]), [NaN])).toThrow(TypeError);
  });
});

describe('an element count past 2^53 - 1 is refused where it is made', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['broadcastTo', () => mx.broadcastTo(one(), [BIG - 1, BIG - 1]), /^\[broadcastTo\] shape \[2147483647, 2147483647\] has about 4.61e\+18 elements/],
    ['zeros', () => mx.zeros([2 ** 20, 2 ** 20, 2 ** 20], mx.float32), /^\[full\] shape \[1048576, 1048576, 1048576\] has about 1.15e\+18 elements/],
    ['asStrided', () => mx.asStrided(one(), [2 ** 27, 2 ** 27], [0, 0]), /^\[as_strided\] shape/],
    ['tile', () => mx.tile(one(), [2 ** 27, 2 ** 27]), /^\[tile\] shape \[134217728, 134217728\]/],
    ['random.normal', () => mx.random.normal([2 ** 27, 2 ** 27], mx.float32), /^\[normal\] shape/],
    // binary ops, where and every other broadcasting op: the broadcast shape
    ['add', () => mx.add(view([BIG - 1, 1]), view([1, BIG - 1])), /^Shapes \(2147483647,1\) and \(1,2147483647\) broadcast to \(2147483647,2147483647\), which has about 4.61e\+18 elements/],
    ['where', () => mx.where(mx.broadcastTo(mx.array(true, mx.bool), [BIG - 1, 1]), view([1, BIG - 1]), one()), /^Shapes .* broadcast to \(2147483647,2147483647\)/],
    // no op-level check: the net every new array passes names the primitive
    ['matmul', () => mx.matmul(view([BIG - 1, 1]), view([1, BIG - 1])), /^\[Matmul\] shape \[2147483647, 2147483647\]/],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
    expect(make).toThrow(TOO_MANY);
  });
});

// (the first two guard against refusing too much: they passed before the limits too)
describe('shapes MLX accepts lazily are accepted', () => {
  it('views as large as the limits allow, with exact sizes', () => {
    const v = view([BIG - 1]);
    expect(v.shape).toEqual([2147483647]);
    expect(v.size).toBe(2147483647);
    expect(v.nbytes).toBe(4 * 2147483647);
    // the largest count a JS number holds exactly, less 2^22: exact
    const w = view([BIG - 1, 2 ** 22]);
    expect(w.size).toBe(9007199250546688);
    expect(mx.reshape(view([2 ** 30, 4]), [2 ** 29, 8]).shape).toEqual([536870912, 8]);
    expect(mx.expandDims(v, 0).shape).toEqual([1, 2147483647]);
    expect(mx.add(v, one()).shape).toEqual([2147483647]);
    expect(mx.zeros([BIG - 1], mx.float32).size).toBe(2147483647);
    expect(mx.eye(2 ** 16, null, 0, mx.float32).size).toBe(2 ** 32);
  });

  it('a slice of a huge broadcast evaluates (as in MLX)', () => {
    const tail = mx.broadcastTo(f32([7]), [BIG - 1]).index(mx.Slice(-3));
    expect(tail.tolist()).toEqual([7, 7, 7]);
    expect(mx.broadcastTo(f32([1, 2]), [BIG - 1, 2]).index(-1).tolist()).toEqual([1, 2]);
  });

  it('an empty array with huge other dimensions has size 0 and evaluates', () => {
    const e = mx.zeros([0, BIG - 1, BIG - 1, BIG - 1], mx.float32);
    expect(e.size).toBe(0);
    expect(e.tolist()).toEqual([]);
    // the product passes Infinity before it meets the 0
    const dims = [...new Array<number>(40).fill(BIG - 1), 0];
    expect(mx.broadcastTo(one(), dims).size).toBe(0);
  });
});

describe('storage a backend cannot hold raises OutOfMemoryError naming the size', () => {
  it('on the current backend: 32 PiB', () => {
    const z = mx.zeros([BIG - 1, 2 ** 22], mx.float32);
    const run = () => mx.eval(z);
    expect(run).toThrow(mx.OutOfMemoryError);
    expect(run).toThrow(new RegExp(`^\\[${mx.cpuBackendName()}\\] Unable to allocate 36028797002186752 bytes \\(32 PiB\\)`));
  });

  it('WASM: more than its 4 GiB memory (8 GiB), at once', () => {
    onBackend('wasm', () => {
      const z = mx.zeros([2 ** 29, 4], mx.float32);
      let err: unknown;
      try {
        mx.eval(z);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(mx.OutOfMemoryError);
      expect((err as mx.OutOfMemoryError).bytes).toBe(2 ** 33);
      expect((err as Error).message).toBe('[wasm] Unable to allocate 8589934592 bytes (8 GiB): more than the WASM memory can ever hold (4294967296 bytes, 4 GiB).');
      // nothing was counted for the failed allocation
      const after = mx.zeros([4], mx.float32);
      expect(after.tolist()).toEqual([0, 0, 0, 0]);
    });
  });

  it('WASM: a full heap names the size and keeps its accounting', () => {
    const b = new WasmBackend({ name: 'wasm-sizes-full', initialBytes: 65536, maximumBytes: 1 << 20 });
    const s = b.allocate(600_000);
    const before = b.heap.stats();
    const again = () => b.allocate(600_000);
    expect(again).toThrow(mx.OutOfMemoryError);
    expect(again).toThrow(/^\[wasm-sizes-full\] Unable to allocate 600000 bytes \(586 KiB\): WASM backend out of memory/);
    expect(b.heap.stats()).toEqual(before);
    expect(b.memory().active).toBe(600_000);
    b.release(s);
    b.release(b.allocate(600_000));
  });

  it('reference: a buffer the JavaScript engine refuses', () => {
    const b = new ReferenceBackend();
    expect(() => b.allocate(2 ** 60)).toThrow(mx.OutOfMemoryError);
    expect(() => b.allocate(2 ** 60)).toThrow(/^\[reference\] Unable to allocate 1152921504606846976 bytes \(1 EiB\): the JavaScript engine refused a buffer of that size/);
    expect(b.memory().active).toBe(0);
    expect(() => b.allocate(-1)).toThrow(/invalid byte length/);
    onBackend('reference', () => {
      expect(() => mx.eval(mx.zeros([BIG - 1, 2 ** 22], mx.float32))).toThrow(/^\[reference\] Unable to allocate 36028797002186752 bytes/);
    });
  });

  it("kernels' host scratch: an offset table the engine refuses", () => {
    expect(() => stridedOffsets([2 ** 25, 2 ** 25], [0, 0], 0)).toThrow(mx.OutOfMemoryError);
    expect(() => stridedOffsets([2 ** 25, 2 ** 25], [0, 0], 0)).toThrow(/^\[host\] Unable to allocate 9007199254740992 bytes \(8 PiB\): .*offset table/);
    // a reduction over a view of 2^50 elements reaches that table (the WASM kernels decline it)
    const s = mx.sum(view([2 ** 25, 2 ** 25]));
    expect(() => mx.eval(s)).toThrow(mx.OutOfMemoryError);
  });
});
