// Creation ops (ops/creation.ts), shape ops (ops/shape.ts) and views (ops/views.ts). Expected
// values were produced by real MLX 0.32.4; the MLX test_ops.py cases are rewritten in spirit.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

const L = (a: mx.MxArray) => a.tolist();
const same = (a: mx.MxArray, b: mx.MxArray) => {
  mx.eval(a, b);
  expect(b._data!.storage).toBe(a._data!.storage);
};

describe('creation', () => {
  it('zeros / ones / full and their *Like forms', () => {
    expect(L(mx.zeros([2, 2]))).toEqual([[0, 0], [0, 0]]);
    expect(mx.zeros([2]).dtype).toBe(mx.float32);
    expect(mx.ones(3, mx.int32).dtype).toBe(mx.int32);
    expect(L(mx.ones(3, mx.int32))).toEqual([1, 1, 1]);
    const f = mx.full([2, 2], mx.array([1, 2], mx.int32));
    expect(f.dtype).toBe(mx.int32);
    expect(L(f)).toEqual([[1, 2], [1, 2]]);
    expect(mx.full([2], 2.5).dtype).toBe(mx.float32);
    // a number is a Python float, a bigint a Python int (MLX: full([2], 3.0) float32, full([2], 3) int32)
    expect(mx.full([2], 3).dtype).toBe(mx.float32);
    expect(mx.full([2], 3n).dtype).toBe(mx.int32);
    expect(L(mx.full([2], 3n))).toEqual([3, 3]);
    // the dtype types the fill value as a weak scalar meeting that dtype (MLX: full([2], 1.0, int32) is float32)
    expect(mx.full([2], 1, mx.int32).dtype).toBe(mx.float32);
    expect(mx.full([2], 1n, mx.int32).dtype).toBe(mx.int32);
    expect(L(mx.zerosLike(mx.array([1, 2], mx.int32)))).toEqual([0, 0]);
    expect(mx.zerosLike(mx.array([1, 2], mx.int32)).dtype).toBe(mx.int32);
    expect(L(mx.onesLike(mx.array([1.5, 2])))).toEqual([1, 1]);
    // MLX: full_like keeps the array's dtype, so 2.5 becomes 2 in int32
    const fl = mx.fullLike(mx.array([1, 2], mx.int32), 2.5);
    expect(fl.dtype).toBe(mx.int32);
    expect(L(fl)).toEqual([2, 2]);
  });

  it('negative dims are rejected', () => {
    expect(() => mx.zeros([-1, 2])).toThrow(/negative/i);
    expect(() => mx.full([-1], 1)).toThrow(/negative/i);
  });

  it('arange infers int32 vs float32 and takes node-mlx forms', () => {
    // a number bound is a Python float: float32 unless a dtype is given or every bound is a bigint
    expect(mx.arange(5).dtype).toBe(mx.float32);
    expect(mx.arange(5n).dtype).toBe(mx.int32);
    expect(L(mx.arange(5n))).toEqual([0, 1, 2, 3, 4]);
    expect(mx.arange(5, mx.int32).dtype).toBe(mx.int32);
    expect(L(mx.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(mx.arange(5.5).dtype).toBe(mx.float32);
    expect(mx.arange(1n, 5).dtype).toBe(mx.float32);
    expect(L(mx.arange(5, mx.float32))).toEqual([0, 1, 2, 3, 4]);
    expect(mx.arange(5, mx.float32).dtype).toBe(mx.float32);
    const a = mx.arange(1, 10, 2, mx.int32, mx.cpu);
    expect(a.dtype).toBe(mx.int32);
    expect(L(a)).toEqual([1, 3, 5, 7, 9]);
    expect(L(mx.arange(5, 0, -1.5))).toEqual([5, 3.5, 2, 0.5]);
    expect(mx.arange(5, 1).shape).toEqual([0]);
    expect(mx.arange(5n, 1n).dtype).toBe(mx.int32);
    expect(mx.arange(5, 1).dtype).toBe(mx.float32);
  });

  it('arange float values are bit-exact with MLX', () => {
    const f32 = mx.arange(0, 1, 0.1);
    expect(f32.dtype).toBe(mx.float32);
    expect(L(f32)).toEqual([0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5,
      0.6000000238418579, 0.7000000476837158, 0.8000000715255737, 0.9000000953674316]);
    const f16 = mx.arange(0, 1, 0.1, mx.float16);
    expect(f16.dtype).toBe(mx.float16);
    expect(L(f16)).toEqual([0.0, 0.0999755859375, 0.199951171875, 0.2998046875, 0.39990234375, 0.5, 0.60009765625,
      0.7001953125, 0.80029296875, 0.900390625]);
    expect(L(mx.view(f16, mx.uint16))).toEqual([0, 11878, 12902, 13516, 13926, 14336, 14541, 14746, 14951, 15156]);
  });

  it('arange edge cases (test_arange_overload_dispatch, test_arange_corner_cases_cast)', () => {
    expect(L(mx.arange(0, 5, Infinity))).toEqual([0]);
    expect(mx.arange(0, -5, Infinity).shape).toEqual([0]);
    expect(L(mx.arange(0, 10, 3.0))).toEqual([0, 3, 6, 9]);
    // number bounds are Python floats (float32, as arange(0, 10, 3.0) in MLX); bigints give int32
    expect(mx.arange(0, 10, 3.0).dtype).toBe(mx.float32);
    expect(mx.arange(0n, 10n, 3n).dtype).toBe(mx.int32);
    expect(L(mx.arange(0n, 10n, 3n))).toEqual([0, 3, 6, 9]);
    expect(mx.arange(0, 10, 2.5).dtype).toBe(mx.float32);
    expect(L(mx.arange(-2, 2))).toEqual([-2, -1, 0, 1]);
    // MLX: an int dtype truncates the step before stepping
    expect(L(mx.arange(0, 10, 4.5, mx.int32))).toEqual([0, 4, 8]);
    expect(L(mx.arange(1, 2, 0.3, mx.float16))).toEqual([1.0, 1.2998046875, 1.599609375, 1.8994140625]);
  });

  it('arange errors', () => {
    expect(() => mx.arange(0, 5, 0)).toThrow(/arange/);
    expect(() => mx.arange(5, mx.bool)).toThrow(/arange/);
    expect(() => mx.arange(NaN)).toThrow(/arange/);
  });

  it('linspace', () => {
    expect(L(mx.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(L(mx.linspace(0, 1, 4))).toEqual([0.0, 0.3333333432674408, 0.6666666865348816, 1.0]);
    expect(L((mx.linspace as (...a: unknown[]) => mx.MxArray)(0, 1, 4, false))).toEqual([0, 0.25, 0.5, 0.75]);
    const i = mx.linspace(0, 10, 3, mx.int32);
    expect(i.dtype).toBe(mx.int32);
    expect(L(i)).toEqual([0, 5, 10]);
    expect(mx.linspace(0, 1).shape).toEqual([50]);
    expect(L(mx.linspace(3, 7, 1))).toEqual([3]);
    expect(mx.linspace(0, 1, 0).shape).toEqual([0]);
    expect(() => mx.linspace(0, 1, -1)).toThrow(/linspace/);
    const h = mx.linspace(-1, 1, 3, mx.float16);
    expect(h.dtype).toBe(mx.float16);
    expect(L(h)).toEqual([-1, 0, 1]);
  });

  it('eye / identity / tri with k and non-square', () => {
    expect(L(mx.eye(2, 3, 1))).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(L(mx.eye(3, 2, -1))).toEqual([[0, 0], [1, 0], [0, 1]]);
    expect(L(mx.eye(2))).toEqual([[1, 0], [0, 1]]);
    const id = mx.identity(2, mx.int32);
    expect(id.dtype).toBe(mx.int32);
    expect(L(id)).toEqual([[1, 0], [0, 1]]);
    expect(L(mx.tri(3, 4, 1))).toEqual([[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]);
    const t = mx.tri(3, 4, -1, mx.int32);
    expect(t.dtype).toBe(mx.int32);
    expect(L(t)).toEqual([[0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 0, 0]]);
    expect(mx.tri(3).shape).toEqual([3, 3]);
    expect(L(mx.eye(3, 3, 3))).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(L(mx.tri(2, 3, 5))).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it('tril / triu on 3-D input', () => {
    const a = mx.reshape(mx.arange(24, mx.int32), [2, 3, 4]);
    expect(L(mx.tril(a, -1))).toEqual([[[0, 0, 0, 0], [4, 0, 0, 0], [8, 9, 0, 0]], [[0, 0, 0, 0], [16, 0, 0, 0], [20, 21, 0, 0]]]);
    expect(L(mx.triu(a, 1))).toEqual([[[0, 1, 2, 3], [0, 0, 6, 7], [0, 0, 0, 11]], [[0, 13, 14, 15], [0, 0, 18, 19], [0, 0, 0, 23]]]);
    expect(mx.tril(a).dtype).toBe(mx.int32);
  });

  it('meshgrid xy / ij / sparse', () => {
    const x = mx.array([1, 2, 3]);
    const y = mx.array([4, 5]);
    let [a, b] = mx.meshgrid(x, y);
    expect(L(a!)).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(L(b!)).toEqual([[4, 4, 4], [5, 5, 5]]);
    [a, b] = mx.meshgrid(x, y, { sparse: true });
    expect(L(a!)).toEqual([[1, 2, 3]]);
    expect(L(b!)).toEqual([[4], [5]]);
    [a, b] = mx.meshgrid(x, y, { indexing: 'ij' });
    expect(L(a!)).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(L(b!)).toEqual([[4, 5], [4, 5], [4, 5]]);
    [a, b] = mx.meshgrid(x, y, { indexing: 'ij', sparse: true });
    expect(L(a!)).toEqual([[1], [2], [3]]);
    expect(L(b!)).toEqual([[4, 5]]);
    expect(() => mx.meshgrid(x, y, { indexing: 'zz' as 'xy' })).toThrow(/meshgrid/);
  });
});

describe('views', () => {
  it('reshape forms and errors', () => {
    const a = mx.arange(6);
    expect(mx.reshape(a, 2, 3).shape).toEqual([2, 3]);
    expect(mx.reshape(a, [3, -1]).shape).toEqual([3, 2]);
    expect(L(mx.reshape(a, [2, 3]))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(() => mx.reshape(mx.zeros([6]), [4])).toThrow(/reshape/);
  });

  it('transpose / broadcastTo / broadcastArrays / astype / view / asStrided', () => {
    const a = mx.reshape(mx.arange(6), [2, 3]);
    expect(L(mx.transpose(a))).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(mx.transpose(mx.zeros([2, 3, 4]), [1, 0, 2]).shape).toEqual([3, 2, 4]);
    expect(L(mx.broadcastTo(mx.array([1, 2]), [2, 2]))).toEqual([[1, 2], [1, 2]]);
    const [p, q] = mx.broadcastArrays([mx.zeros([2, 1]), mx.zeros([3])]);
    expect(p!.shape).toEqual([2, 3]);
    expect(q!.shape).toEqual([2, 3]);
    expect(L(mx.astype(mx.array([1.7, -1.7]), mx.int32))).toEqual([1, -1]);
    expect(L(mx.view(mx.array([1], mx.float32), mx.uint32))).toEqual([1065353216]);
    expect(L(mx.asStrided(mx.arange(6), [2, 2], [1, 2], 1))).toEqual([[1, 3], [2, 4]]);
    expect(() => mx.broadcastTo(mx.zeros([3]), [2])).toThrow();
  });

  it('views share storage', () => {
    const a = mx.arange(24);
    const b = mx.reshape(a, [2, 3, 4]);
    same(a, b);
    same(b, mx.transpose(b));
    same(b, b.index(0));
    same(a, mx.broadcastTo(a, [2, 24]));
    same(b, mx.expandDims(b, 0));
    same(b, mx.squeeze(mx.expandDims(b, 1)));
    same(b, mx.swapaxes(b, 0, 2));
    same(b, mx.moveaxis(b, 0, -1));
    same(a, mx.asStrided(a, [2, 2], [1, 2], 3));
    same(b, mx.diagonal(b, 0, 1, 2));
    for (const piece of mx.split(b, 2, 2)) same(b, piece);
  });
});

describe('shape ops', () => {
  it('expandDims / squeeze (test_expand_dims, test_squeeze)', () => {
    expect(mx.expandDims(mx.zeros([2, 3]), [0, -1]).shape).toEqual([1, 2, 3, 1]);
    expect(mx.expandDims(mx.array(1), 0).shape).toEqual([1]);
    expect(() => mx.expandDims(mx.zeros([2]), 3)).toThrow(/(expandDims|expand_dims).*3.*2 dimensions/);
    expect(() => mx.expandDims(mx.zeros([2]), [0, 0])).toThrow();
    expect(mx.squeeze(mx.zeros([1, 2, 1])).shape).toEqual([2]);
    expect(mx.squeeze(mx.zeros([1, 2, 1]), -1).shape).toEqual([1, 2]);
    expect(mx.squeeze(mx.zeros([1, 1])).shape).toEqual([]);
    expect(() => mx.squeeze(mx.zeros([2, 1]), 0)).toThrow(/squeeze.*2|size 2/);
    expect(() => mx.squeeze(mx.zeros([2, 1]), 2)).toThrow(/squeeze.*2.*2 dimensions/);
  });

  it('flatten / unflatten', () => {
    expect(mx.flatten(mx.zeros([2, 3, 4]), 1, 2).shape).toEqual([2, 12]);
    expect(mx.flatten(mx.zeros([2, 3, 4])).shape).toEqual([24]);
    expect(mx.flatten(mx.array(3)).shape).toEqual([1]);
    expect(() => mx.flatten(mx.zeros([2, 3]), 2)).toThrow(/flatten/);
    const u = mx.unflatten(mx.reshape(mx.arange(12), [2, 6]), 1, [-1, 2]);
    expect(L(u)).toEqual([[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]);
    expect(() => mx.unflatten(mx.zeros([2, 6]), 1, [4, -1])).toThrow(/unflatten/);
  });

  it('swapaxes / moveaxis / permuteDims', () => {
    expect(mx.swapaxes(mx.zeros([2, 3, 4]), 0, 2).shape).toEqual([4, 3, 2]);
    expect(() => mx.swapaxes(mx.zeros([2, 2]), 0, 2)).toThrow(/swapaxes.*2.*2|axis 2/);
    expect(mx.moveaxis(mx.zeros([2, 3, 4]), 0, -1).shape).toEqual([3, 4, 2]);
    expect(mx.moveaxis(mx.zeros([2, 3, 4]), -1, 0).shape).toEqual([4, 2, 3]);
    expect(() => mx.moveaxis(mx.zeros([2, 2]), 0, 5)).toThrow(/moveaxis/);
    expect(L(mx.permuteDims(mx.reshape(mx.arange(6), [2, 3]), [1, 0]))).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  it('concatenate / stack (test_concatenate, test_stack)', () => {
    const c = mx.concatenate([mx.array([1]), mx.array([2.5])]);
    expect(c.dtype).toBe(mx.float32);
    expect(L(c)).toEqual([1, 2.5]);
    expect(L(mx.concat([mx.array([[1, 2]]), mx.array([[3, 4]])], 1))).toEqual([[1, 2, 3, 4]]);
    expect(mx.concatenate([mx.zeros([2, 3]), mx.zeros([2, 4])], -1).shape).toEqual([2, 7]);
    expect(() => mx.concatenate([mx.zeros([2, 3]), mx.zeros([2, 4])])).toThrow(/\(2,\s?3\).*\(2,\s?4\)|\[2,\s?3\].*\[2,\s?4\]/);
    expect(() => mx.concatenate([mx.zeros([2]), mx.zeros([2])], 1)).toThrow(/concatenate/);
    expect(L(mx.stack([mx.array([1, 2]), mx.array([3, 4])], 1))).toEqual([[1, 3], [2, 4]]);
    expect(mx.stack([mx.zeros([2, 3]), mx.zeros([2, 3])], -1).shape).toEqual([2, 3, 2]);
    expect(() => mx.stack([mx.zeros([2]), mx.zeros([3])])).toThrow(/stack/);
  });

  it('split (test_split)', () => {
    const parts = mx.split(mx.arange(10), [3, 7]);
    expect(parts.map(L)).toEqual([[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]]);
    expect(mx.split(mx.zeros([6, 2]), [2, -1, 9]).map((p) => p.shape)).toEqual([[2, 2], [3, 2], [1, 2], [0, 2]]);
    expect(mx.split(mx.zeros([4, 6]), 3, 1).map((p) => p.shape)).toEqual([[4, 2], [4, 2], [4, 2]]);
    expect(() => mx.split(mx.arange(5), 2)).toThrow(/split/i);
  });

  it('tile / repeat (test_tile, test_repeat)', () => {
    expect(L(mx.tile(mx.array([[1, 2], [3, 4]]), [2, 1, 2]))).toEqual([[[1, 2, 1, 2], [3, 4, 3, 4]], [[1, 2, 1, 2], [3, 4, 3, 4]]]);
    expect(L(mx.tile(mx.array([1, 2]), 2))).toEqual([1, 2, 1, 2]);
    expect(mx.tile(mx.zeros([2, 3]), [2]).shape).toEqual([2, 6]);
    expect(L(mx.repeat(mx.array([[1, 2], [3, 4]]), 2, 1))).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(L(mx.repeat(mx.array([[1, 2], [3, 4]]), 2))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(L(mx.repeat(mx.array([1, 2]), 3, -1))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(mx.repeat(mx.zeros([2, 3]), 0, 0).shape).toEqual([0, 3]);
  });

  it('pad constant / edge / reflect / symmetric (test_pad)', () => {
    expect(L(mx.pad(mx.array([[1, 2], [3, 4]]), [[1, 0], [0, 2]], 9))).toEqual([[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]]);
    const b = mx.array([1, 2, 3, 4]);
    expect(L(mx.pad(b, [2, 3], 0, 'edge'))).toEqual([1, 1, 1, 2, 3, 4, 4, 4, 4]);
    expect(L(mx.pad(b, [2, 3], 0, 'reflect'))).toEqual([3, 2, 1, 2, 3, 4, 3, 2, 1]);
    expect(L(mx.pad(b, [2, 3], 0, 'symmetric'))).toEqual([2, 1, 1, 2, 3, 4, 4, 3, 2]);
    expect(L(mx.pad(mx.array([[1, 2], [3, 4]]), 1, 0, 'edge'))).toEqual([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    expect(mx.pad(mx.zeros([2, 3]), 1).shape).toEqual([4, 5]);
    expect(mx.pad(mx.zeros([2, 3], mx.float16), 1).dtype).toBe(mx.float16);
    expect(() => mx.pad(mx.zeros([2, 2]), [[1, 1], [1, 1], [1, 1]])).toThrow(/pad/);
    expect(() => mx.pad(mx.zeros([2]), [-1, 0])).toThrow(/pad/);
  });

  it('pad reflect / symmetric wider than the axis reflect repeatedly (as MLX 0.32.4)', () => {
    const a = mx.array([1, 2, 3]);
    expect(L(mx.pad(a, [3, 0], 0, 'reflect'))).toEqual([2, 3, 2, 1, 2, 3]);
    expect(L(mx.pad(a, [0, 5], 0, 'reflect'))).toEqual([1, 2, 3, 2, 1, 2, 3, 2]);
    expect(L(mx.pad(a, [4, 4], 0, 'reflect'))).toEqual([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]);
    expect(L(mx.pad(a, [3, 0], 0, 'symmetric'))).toEqual([3, 2, 1, 1, 2, 3]);
    expect(L(mx.pad(a, [0, 5], 0, 'symmetric'))).toEqual([1, 2, 3, 3, 2, 1, 1, 2]);
    expect(L(mx.pad(a, [4, 4], 0, 'symmetric'))).toEqual([3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1]);
    expect(L(mx.pad(mx.array([7]), [2, 1], 0, 'reflect'))).toEqual([7, 7, 7, 7]);
  });

  it('diagonal / diag / trace (test_diagonal, test_diag, test_trace)', () => {
    expect(L(mx.diagonal(mx.reshape(mx.arange(24), [2, 3, 4]), 1, 1, 2))).toEqual([[1, 6, 11], [13, 18, 23]]);
    expect(L(mx.diagonal(mx.reshape(mx.arange(9), [3, 3]), -1))).toEqual([3, 7]);
    expect(mx.diagonal(mx.zeros([2, 3]), 5).shape).toEqual([0]);
    expect(() => mx.diagonal(mx.zeros([2, 2]), 0, 1, 1)).toThrow(/diagonal/);
    expect(L(mx.diag(mx.array([1, 2]), 1))).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
    expect(L(mx.diag(mx.reshape(mx.arange(9), [3, 3]), -1))).toEqual([3, 7]);
    expect(() => mx.diag(mx.zeros([2, 2, 2]))).toThrow(/diag/);
    const t = mx.trace(mx.reshape(mx.arange(9, mx.int32), [3, 3]), 1);
    expect(t.dtype).toBe(mx.int32);
    expect(t.item()).toBe(6);
    const tf = mx.trace(mx.reshape(mx.arange(9), [3, 3]), 0, 0, 1, mx.float32);
    expect(tf.dtype).toBe(mx.float32);
    expect(tf.item()).toBe(12);
    const tb = mx.trace(mx.ones([3, 3], mx.bool));
    expect(tb.dtype).toBe(mx.int32);
    expect(tb.item()).toBe(3);
  });

  it('atleast1d/2d/3d', () => {
    expect((mx.atleast1d(mx.array(1)) as mx.MxArray).shape).toEqual([1]);
    expect((mx.atleast2d(mx.array([1, 2])) as mx.MxArray).shape).toEqual([1, 2]);
    const r = mx.atleast3d(mx.array(1), mx.array([1, 2]), mx.zeros([2, 3])) as mx.MxArray[];
    expect(r.map((x) => x.shape)).toEqual([[1, 1, 1], [1, 2, 1], [2, 3, 1]]);
    expect((mx.atleast2d(mx.zeros([2, 3, 4])) as mx.MxArray).shape).toEqual([2, 3, 4]);
  });

  it('roll (test_roll)', () => {
    const a = mx.reshape(mx.arange(6), [2, 3]);
    expect(L(mx.roll(a, 1))).toEqual([[5, 0, 1], [2, 3, 4]]);
    expect(L(mx.roll(a, [1, -1], [0, 1]))).toEqual([[4, 5, 3], [1, 2, 0]]);
    expect(L(mx.roll(a, 7, 1))).toEqual([[2, 0, 1], [5, 3, 4]]);
  });

  it('kron (test_kron)', () => {
    expect(L(mx.kron(mx.array([[1, 2], [3, 4]]), mx.array([[0, 1], [1, 0]])))).toEqual([[0, 1, 0, 2], [1, 0, 2, 0], [0, 3, 0, 4], [3, 0, 4, 0]]);
    expect(mx.kron(mx.zeros([2, 3]), mx.zeros([4])).shape).toEqual([2, 12]);
  });
});

describe('properties', () => {
  const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const run = (p: fc.IProperty<never> | fc.IPropertyWithHooks<never>) => fc.assert(p as never, { numRuns: 25 });

  it('reshape and transpose round trip', () => {
    run(fc.property(shapeArb, (shape) => {
      const a = mx.reshape(mx.arange(size(shape)), shape);
      expect(L(mx.reshape(mx.flatten(a), shape))).toEqual(L(a));
      const perm = shape.map((_, i) => i).reverse();
      expect(L(mx.transpose(mx.transpose(a), perm))).toEqual(L(a));
    }) as never);
  });

  it('concatenate then split is identity; stack == concatenate of expandDims', () => {
    run(fc.property(shapeArb, fc.integer({ min: 1, max: 3 }), (shape, n) => {
      const parts = Array.from({ length: n }, (_, i) => mx.add(mx.reshape(mx.arange(size(shape)), shape), i * 100));
      const axis = shape.length - 1;
      const back = mx.split(mx.concatenate(parts, axis), n, axis);
      back.forEach((b, i) => expect(L(b)).toEqual(L(parts[i]!)));
      expect(L(mx.stack(parts, 0))).toEqual(L(mx.concatenate(parts.map((p) => mx.expandDims(p, 0)), 0)));
    }) as never);
  });

  it('tile and kron shape laws; squeeze(expandDims) identity; roll by n identity', () => {
    run(fc.property(shapeArb, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }), (shape, reps) => {
      const a = mx.reshape(mx.arange(size(shape)), shape);
      const nd = Math.max(shape.length, reps.length);
      const ps = [...Array(nd - shape.length).fill(1), ...shape];
      const pr = [...Array(nd - reps.length).fill(1), ...reps];
      expect(mx.tile(a, reps).shape).toEqual(ps.map((d, i) => d * pr[i]!));
      const b = mx.zeros(reps);
      expect(mx.kron(a, b).shape).toEqual(ps.map((d, i) => d * pr[i]!));
      expect(L(mx.squeeze(mx.expandDims(a, 0), 0))).toEqual(L(a));
      expect(L(mx.roll(a, shape[0]!, 0))).toEqual(L(a));
      expect(L(mx.roll(a, size(shape)))).toEqual(L(a));
    }) as never);
  });

  it('pad then slice back gives the input', () => {
    run(fc.property(shapeArb, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (shape, lo, hi) => {
      const a = mx.reshape(mx.arange(size(shape)), shape);
      const p = mx.pad(a, [lo, hi]);
      expect(p.shape).toEqual(shape.map((d) => d + lo + hi));
      const back = mx.slice(p, mx.array(shape.map(() => lo), mx.int32), shape.map((_, i) => i), shape);
      expect(L(back)).toEqual(L(a));
    }) as never);
  });
});
