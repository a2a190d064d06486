// GatherMM, BlockMaskedMM and SegmentedMM on the GPU against the reference: gathered batches
// (broadcast, transposed operands), bool and float block masks on operands and output, empty
// and partial segments, halves, index errors raised by the next read, and a grad under compile.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { noGpu, spec, checkGpu, randSpec } from './gpu-helpers.js';

const rand = randSpec;
const u32 = (shape: number[], v: number[]) => spec(mx.uint32, shape, v);

describe.skipIf(noGpu)('webgpu matmul variants', () => {
  it('gatherMM: lhs and rhs indices, broadcast and transposed operands', () => {
    checkGpu((a, b, l, r) => mx.gatherMM(a, b, l, r), [rand([3, 4, 5], 1), rand([2, 5, 3], 2), u32([2, 2], [2, 0, 1, 1]), u32([2, 2], [1, 1, 0, 1])], 'lhs and rhs');
    checkGpu((a, b, r) => mx.gatherMM(a, b, null, r), [rand([2, 5], 3), rand([4, 5, 6], 4), u32([3], [3, 0, 3])], 'rhs only');
    const bT = rand([3, 7, 5], 5, mx.float32, [{ kind: 'transpose', axes: [0, 2, 1] }]);
    checkGpu((a, b, r) => mx.gatherMM(a, b, null, r, true), [rand([4, 2, 5], 6), bT, u32([4], [0, 0, 1, 2])], 'transposed b, sorted');
    checkGpu((a, b, r) => mx.gatherMM(a, b, null, r), [rand([1, 3], 7, mx.float16), rand([2, 3, 2], 8, mx.float16), u32([2], [1, 0])], 'float16');
  });

  it('gatherMM: an index out of range raises on the next read', () => {
    const a = mx.ones([2, 3], mx.float32, mx.gpu);
    const b = mx.ones([2, 3, 2], mx.float32, mx.gpu);
    const y = mx.gatherMM(a, b, null, mx.array([0, 5], mx.uint32), false, mx.gpu);
    expect(() => y.tolist()).toThrow('[gather_mm] rhs index 5 is out of bounds for 2 matrices.');
    expect(mx.sum(b, undefined, false, mx.gpu).item()).toBe(12); // the error was reported once
  });

  it('blockMaskedMM: bool and float masks on the output and operands', () => {
    const bm = (bs: number, n: number) => (...xs: mx.MxArray[]) => mx.blockMaskedMM(xs[0]!, xs[1]!, bs, n & 1 ? xs[2] : null, n & 2 ? xs[n & 1 ? 3 : 2] : null, n & 2 ? xs[n & 1 ? 4 : 3] : null);
    const boolM = (shape: number[], v: number[]) => spec(mx.bool, shape, v);
    // blocks of 32 (MLX takes 32 or 64): sizes past one block so that every mask entry counts
    checkGpu(bm(32, 1), [rand([2, 40, 36], 10), rand([2, 36, 33], 11), boolM([2, 2, 2], [1, 0, 1, 1, 0, 1, 1, 0])], 'bool output mask');
    checkGpu(bm(32, 2), [rand([34, 40], 12), rand([40, 33], 13), boolM([2, 2], [1, 0, 1, 1]), boolM([2, 2], [0, 1, 1, 1])], 'bool operand masks');
    checkGpu(bm(32, 3), [rand([33, 40], 14), rand([40, 34], 15), rand([2, 2], 16), rand([2, 2], 17), rand([2, 2], 18)], 'float masks everywhere');
    checkGpu(bm(32, 1), [rand([33, 8], 19, mx.bfloat16), rand([8, 2], 20, mx.bfloat16), rand([2, 1], 21, mx.bfloat16)], 'bfloat16 output mask');
  });

  it('segmentedMM: segments of K, empty ones, batched segments', () => {
    checkGpu((a, b, s) => mx.segmentedMM(a, b, s), [rand([3, 8], 30), rand([8, 2], 31), u32([4, 2], [0, 3, 3, 8, 5, 5, 6, 2])], 'segments');
    checkGpu((a, b, s) => mx.segmentedMM(a, b, s), [rand([2, 5], 32, mx.float16), rand([5, 3], 33, mx.float16), u32([2, 1, 2], [0, 5, 1, 4])], 'batched, float16');
  });

  it('segmentedMM: a segment past K raises on the next read', () => {
    const y = mx.segmentedMM(mx.ones([2, 3], mx.float32, mx.gpu), mx.ones([3, 2], mx.float32, mx.gpu), mx.array([[0, 4]], mx.uint32), mx.gpu);
    expect(() => y.tolist()).toThrow('[segmented_mm] segment [0, 4) is out of bounds for an inner dimension of 3.');
  });

  it('grad of gatherMM (through gatherMM, segmentedMM and scatters) under compile', () => {
    const loss = (a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.square(mx.gatherMM(a, b, null, mx.array([1, 1, 0], mx.uint32), true)));
    const g = mx.compile((a: mx.MxArray, b: mx.MxArray) => mx.grad(loss, [0, 1])(a, b) as mx.MxArray[]);
    checkGpu(g, [rand([3, 2, 4], 40), rand([2, 4, 3], 41)], 'grad', 1);
  });
});
