// Gather (take, fancy indexing) and GatherAxis (takeAlongAxis) on the GPU against the reference:
// every GPU dtype for the source, signed and unsigned index dtypes, negative indices, strided
// sources and indices; an index out of range raises the reference's RangeError on the next read.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray;
const check = (op: AnyOp, inputs: ArraySpec[], label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], label });

const dtypes = [mx.float32, mx.int32, mx.uint32, mx.int16, mx.uint16, mx.int8, mx.uint8, mx.bool];
function source(d: mx.Dtype, seed: number, transposed: boolean): ArraySpec {
  const r = rng(seed);
  const u = Array.from({ length: 60 }, () => (d === mx.float32 ? Math.fround(r() * 10 - 5) : d === mx.bool ? (r() < 0.5 ? 1 : 0) : Math.floor(r() * 100)));
  // [4, 5, 3]
  return transposed ? spec(d, [3, 5, 4], u, [{ kind: 'transpose', axes: [2, 1, 0] }]) : spec(d, [4, 5, 3], u);
}

describe.skipIf(noGpu)('webgpu gather', () => {
  it('take along an axis and flattened, every dtype, negative and unsigned indices', () => {
    for (const d of dtypes) {
      for (const tr of [false, true]) {
        const x = source(d, 1, tr);
        const i32 = spec(mx.int32, [2, 3], [0, -1, 2, 4, -5, 1]);
        const u8 = spec(mx.uint8, [4], [2, 0, 1, 2]);
        check((a, i) => mx.take(a, i, 1), [x, i32], `take axis 1 ${d.name}`);
        check((a, i) => mx.take(a, i, 2), [x, u8], `take axis 2 uint8 ${d.name}`);
        check((a, i) => mx.take(a, i), [x, spec(mx.int16, [5], [59, 0, -60, 7, 30])], `take flat ${d.name}`);
      }
    }
  });

  it('fancy indexing over several axes with broadcast and strided index arrays', () => {
    const x = source(mx.float32, 2, true);
    const i = spec(mx.int32, [3, 1], [0, 3, -1]);
    const j = spec(mx.int32, [1, 2], [4, 0]);
    check((a, p, q) => a.index(p, q), [x, i, j], 'gather axes 0,1');
    check((a, q) => a.index(mx.Slice(), q, 1), [x, j], 'gather axes 1,2 (an int index)');
    const jt = spec(mx.int32, [2, 3], [1, 2, 3, 4, 0, 2], [{ kind: 'transpose', axes: [1, 0] }]);
    check((a, q) => mx.take(a, q, 1), [x, jt], 'transposed indices');
  });

  it('takeAlongAxis, every dtype, each axis', () => {
    for (const d of dtypes) {
      const x = source(d, 3, d === mx.int8);
      const r = rng(4);
      for (const axis of [0, 1, 2]) {
        const shape = [4, 5, 3].map((s, k) => (k === axis ? 2 : s));
        const n = shape.reduce((a, b) => a * b, 1);
        const size = [4, 5, 3][axis]!;
        const idx = spec(mx.int32, shape, Array.from({ length: n }, () => Math.floor(r() * 2 * size) - size));
        check((a, i) => mx.takeAlongAxis(a, i, axis), [x, idx], `takeAlongAxis ${d.name} axis ${axis}`);
      }
    }
  });

  it('an index out of range raises on the next read', () => {
    const x = mx.array([1, 2, 3]);
    expect(() => mx.take(x, mx.array([0, 5], mx.int32), 0, mx.gpu).tolist()).toThrow('[gather] index 5 is out of bounds for axis 0 with size 3.');
    expect(() => mx.take(x, mx.array([-4], mx.int32), 0, mx.gpu).tolist()).toThrow('[gather] index -4 is out of bounds for axis 0 with size 3.');
    // the error is reported once; later reads work
    expect(mx.take(x, mx.array([2, -3], mx.int32), 0, mx.gpu).tolist()).toEqual([3, 1]);
  });
});
