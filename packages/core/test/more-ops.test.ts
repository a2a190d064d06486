// The rest of mlx.core (issue 12, item 6): hand-computed cases, run on both CPU backends.
// tests/differential/more-ops.test.ts compares the same ops with the real MLX.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mx from '@mlx-ts/core';

const list = (a: mx.MxArray): unknown => a.tolist();
const close = (a: mx.MxArray, want: number[], digits = 5): void => {
  (a.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, digits));
};

describe('Array API aliases', () => {
  it('are the same functions', () => {
    expect(mx.acos).toBe(mx.arccos);
    expect(mx.acosh).toBe(mx.arccosh);
    expect(mx.asin).toBe(mx.arcsin);
    expect(mx.asinh).toBe(mx.arcsinh);
    expect(mx.atan).toBe(mx.arctan);
    expect(mx.atan2).toBe(mx.arctan2);
    expect(mx.atanh).toBe(mx.arctanh);
    expect(mx.pow).toBe(mx.power);
    expect(mx.bitwiseLeftShift).toBe(mx.leftShift);
    expect(mx.bitwiseRightShift).toBe(mx.rightShift);
    expect(mx.var).toBe(mx.variance);
    expect(mx.cumulativeSum).toBe(mx.cumsum);
    expect(mx.cumulativeProd).toBe(mx.cumprod);
    expect(mx.empty).toBe(mx.zeros);
  });
  it('compute', () => {
    expect(mx.pow(mx.array([2n, 3n]), 2n).tolist()).toEqual([4, 9]);
    expect(mx.bitwiseLeftShift(mx.array([1n], mx.uint8), 3n).tolist()).toEqual([8]);
    close(mx.atan2(mx.array([1]), mx.array([1])), [Math.PI / 4]);
    expect(mx.array([1, 2, 3, 4]).var().item()).toBeCloseTo(1.25, 6);
    expect(mx.var(mx.array([1, 2, 3, 4]), 0, false, 1).item()).toBeCloseTo(5 / 3, 6);
  });
});

describe('positive, trunc, logicalXor', () => {
  it('positive returns the array itself', () => {
    const a = mx.array([true, false]);
    expect(mx.positive(a)).toBe(a);
    expect(list(mx.positive([1, -2]))).toEqual([1, -2]);
  });
  it('trunc rounds toward zero and keeps the dtype', () => {
    const t = mx.trunc(mx.array([-1.5, 2.5, -0.2, 3], mx.float16));
    expect(t.dtype).toBe(mx.float16);
    expect(t.tolist()).toEqual([-1, 2, -0, 3]);
    expect(Object.is((t.tolist() as number[])[2], -0)).toBe(true);
    const i = mx.array([-3n, 4n], mx.int8);
    expect(mx.trunc(i)).toBe(i);
    expect(mx.trunc(mx.array([true, false])).tolist()).toEqual([true, false]);
    expect(() => mx.trunc(mx.array([{ re: 1, im: 1 }]))).toThrow(/trunc.*complex64/);
  });
  it('logicalXor of values cast to bool', () => {
    const x = mx.logicalXor(mx.array([1n, 0n, 2n, 0n]), mx.array([0, 0, 3, 1]));
    expect(x.dtype).toBe(mx.bool);
    expect(x.tolist()).toEqual([true, false, false, true]);
  });
});

describe('median, countNonzero, minmax', () => {
  it('median of odd and even counts, at least float32', () => {
    expect(mx.median(mx.array([3n, 1n, 2n])).item()).toBe(2);
    const m = mx.median(mx.array([4n, 1n, 3n, 2n]));
    expect(m.dtype).toBe(mx.float32);
    expect(m.item()).toBe(2.5);
    expect(mx.median(mx.array([1, 2], mx.float16)).dtype).toBe(mx.float16);
  });
  it('median over axes, keepdims, NaN', () => {
    const a = mx.array([[1, 5, 2], [9, 3, 8]]);
    expect(list(mx.median(a, 1))).toEqual([2, 8]);
    expect(list(mx.median(a, 0, true))).toEqual([[5, 4, 5]]);
    expect(list(mx.median(a, [0, 1]))).toEqual(4);
    expect(mx.median(a, true).shape).toEqual([1, 1]);
    expect(Number.isNaN(mx.median(mx.array([1, NaN, 3])).item() as number)).toBe(true);
    expect(mx.median(mx.array(3)).item()).toBe(3);
  });
  it('median errors', () => {
    expect(() => mx.median(mx.zeros([2, 0]), 1)).toThrow('[median] Cannot take median along empty axis.');
    expect(() => mx.median(mx.zeros([2, 3]), [0, -2])).toThrow('[median] Received duplicate axis.');
    expect(() => mx.median(mx.zeros([2, 3]), 2)).toThrow(/out of bounds/);
  });
  it('countNonzero counts NaN and not -0, as int32', () => {
    const c = mx.countNonzero(mx.array([NaN, 0, -0, 2]));
    expect(c.dtype).toBe(mx.int32);
    expect(c.item()).toBe(2);
    expect(list(mx.countNonzero(mx.array([[1n, 0n], [3n, 4n]]), 1, true))).toEqual([[1], [2]]);
    expect(mx.countNonzero(mx.array([{ re: 0, im: 1 }, 0])).item()).toBe(1);
  });
  it('minmax is [min, max]', () => {
    const [lo, hi] = mx.minmax(mx.array([[1n, 5n], [3n, 2n]]), 0);
    expect(lo!.tolist()).toEqual([1, 2]);
    expect(hi!.tolist()).toEqual([3, 5]);
    expect(() => mx.minmax(mx.array([]))).toThrow(/Cannot min reduce/);
  });
});

describe('cumulativeSum and cumulativeProd with a dtype', () => {
  it('casts the input first', () => {
    const c = mx.cumulativeSum(mx.array([100n, 100n], mx.int8), 0, false, true, mx.float16);
    expect(c.dtype).toBe(mx.float16);
    expect(c.tolist()).toEqual([100, 200]);
    expect(mx.cumulativeProd(mx.array([2, 3]), null, true, false, mx.int32).tolist()).toEqual([3, 1]);
    expect(mx.cumsum(mx.array([true, true]), 0, false, true, mx.bool).dtype).toBe(mx.int32);
    expect(mx.cumsum(mx.array([1, 2]), 0, false, true, null, mx.cpu).tolist()).toEqual([1, 3]);
  });
  it('only cumsum and cumprod take one', () => {
    expect(() => mx.cummax(mx.array([1, 2]), 0, false, true, mx.float16)).toThrow('[cummax] takes no dtype.');
  });
});

describe('flip, unstack, diff, matrixTranspose, broadcastShapes', () => {
  const a = mx.array([[1n, 2n, 3n], [4n, 5n, 6n]]);
  it('flip reverses axes (all by default); a repeated axis flips once', () => {
    expect(list(mx.flip(a))).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(list(mx.flip(a, 1))).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(list(mx.flip(a, [0, 0]))).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(list(mx.flip(mx.array(7n)))).toEqual(7);
    expect(mx.flip(mx.zeros([0, 2]), 0).shape).toEqual([0, 2]);
    expect(() => mx.flip(a, 2)).toThrow(/out of bounds/);
  });
  it('unstack is the inverse of stack', () => {
    const parts = mx.unstack(a, 1);
    expect(parts.map(list)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(list(mx.stack(parts, 1))).toEqual(a.tolist());
    expect(mx.unstack(mx.zeros([2, 0]), 1)).toEqual([]);
    expect(() => mx.unstack(mx.array(1))).toThrow(/out of bounds/);
  });
  it('diff', () => {
    expect(list(mx.diff(mx.array([1n, 4n, 9n, 16n])))).toEqual([3, 5, 7]);
    expect(list(mx.diff(mx.array([1n, 4n, 9n, 16n]), 2))).toEqual([2, 2]);
    expect(list(mx.diff(a, 1, 0))).toEqual([[3, 3, 3]]);
    expect(mx.diff(a, 5).shape).toEqual([2, 0]);
    expect(mx.diff(a, 0)).toBe(a);
    expect(list(mx.diff(mx.array([true, false, false])))).toEqual([true, false]);
    expect(() => mx.diff(mx.array(3))).toThrow('[diff] Axis is out of bounds for the array.');
    expect(() => mx.diff(a, -1)).toThrow('[diff] Order `n` must be non-negative.');
  });
  it('matrixTranspose and mT swap the last two axes', () => {
    expect(mx.matrixTranspose(mx.zeros([2, 3, 4])).shape).toEqual([2, 4, 3]);
    expect(list(a.mT)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => mx.matrixTranspose(mx.zeros([3]))).toThrow('[matrix_transpose] Input array must have at least 2 dimensions.');
  });
  it('broadcastShapes', () => {
    expect(mx.broadcastShapes([1], [3, 1])).toEqual([3, 1]);
    expect(mx.broadcastShapes([6, 7], [5, 6, 1], [7])).toEqual([5, 6, 7]);
    expect(mx.broadcastShapes([0, 1], [1, 5])).toEqual([0, 5]);
    expect(mx.broadcastShapes([2, 3])).toEqual([2, 3]);
    expect(() => mx.broadcastShapes()).toThrow('[broadcast_shapes] Must provide at least one shape.');
    expect(() => mx.broadcastShapes([2, 3], [4])).toThrow(/\[broadcast_shapes\] Shapes .* cannot be broadcast/);
  });
});

describe('vecdot, contiguous', () => {
  it('vecdot conjugates the first input', () => {
    const v = mx.vecdot(mx.array([{ re: 1, im: 1 }, 2]), mx.array([{ re: 0, im: 1 }, 1]));
    expect(v.item()).toEqual({ re: 3, im: 1 });
    expect(mx.vecdot(mx.array([1n, 2n]), mx.array([3n, 4n])).item()).toBe(11);
    expect(list(mx.vecdot(mx.array([[1, 2], [3, 4]]), mx.array([[1, 1], [2, 0]]), 0))).toEqual([7, 2]);
    expect(() => mx.vecdot(mx.zeros([2, 3]), mx.zeros([3]))).toThrow('[vecdot] axis is out of bounds.');
    expect(() => mx.vecdot(mx.zeros([2, 3]), mx.zeros([3]), 0)).toThrow('[vecdot] a and b must have the same size along axis.');
    expect(() => mx.vecdot(mx.array(1), mx.array(1))).toThrow('[vecdot] inputs must be at least 1D.');
  });
  it('contiguous lays a transposed array out row-major', () => {
    const t = mx.arange(6).reshape(2, 3).T;
    const c = mx.contiguous(t, true);
    mx.eval(c);
    expect(c.strides).toEqual([2, 1]);
    expect(c.tolist()).toEqual(t.tolist());
  });
});

describe('windows and empty', () => {
  it('match the formulas, float32', () => {
    close(mx.hanning(5), [0, 0.5, 1, 0.5, 0]);
    close(mx.hamming(5), [0.08, 0.54, 1, 0.54, 0.08]);
    close(mx.blackman(5), [0, 0.34, 1, 0.34, 0]);
    close(mx.bartlett(5), [0, 0.5, 1, 0.5, 0]);
    for (const w of [mx.bartlett, mx.hanning, mx.hamming, mx.blackman]) {
      expect(w(1).tolist()).toEqual([1]);
      expect(w(0).shape).toEqual([0]);
      expect(w(-3).dtype).toBe(mx.float32);
      expect(w(4).dtype).toBe(mx.float32);
      expect(() => w(2.5)).toThrow(/integer/);
    }
  });
  it('empty and emptyLike are zeros', () => {
    expect(mx.empty([2, 1], mx.int8).tolist()).toEqual([[0], [0]]);
    const e = mx.emptyLike(mx.array([1n, 2n], mx.int8), mx.float16);
    expect([e.dtype, e.tolist()]).toEqual([mx.float16, [0, 0]]);
    expect(mx.emptyLike(mx.array([1n], mx.uint16)).dtype).toBe(mx.uint16);
  });
});

describe('unique', () => {
  const a = mx.array([2n, 1n, 2n, 3n, 1n]);
  it("MLX's documented example", () => {
    expect(list(mx.unique(a, 3) as mx.MxArray)).toEqual([1, 2, 3]);
    expect(list(mx.unique(a, 5) as mx.MxArray)).toEqual([1, 2, 3, 1, 1]);
    const [values, index, inverse, counts] = mx.unique(a, 4, true, true, true, 0n) as mx.MxArray[];
    expect(values!.tolist()).toEqual([1, 2, 3, 0]);
    expect([index!.dtype, index!.tolist()]).toEqual([mx.uint32, [1, 0, 3, 1]]);
    expect([inverse!.dtype, inverse!.tolist()]).toEqual([mx.uint32, [1, 0, 1, 2, 0]]);
    expect([counts!.dtype, counts!.tolist()]).toEqual([mx.int32, [2, 2, 1, 0]]);
  });
  it('truncates, orders the flags, keeps the input shape for inverse', () => {
    const [v, c] = mx.unique(a, 2, false, false, true) as mx.MxArray[];
    expect([v!.tolist(), c!.tolist()]).toEqual([[1, 2], [2, 2]]);
    const [, inv] = mx.unique(mx.array([[3n, 1n], [1n, 3n]]), 1, false, true) as mx.MxArray[];
    expect(inv!.tolist()).toEqual([[0, 0], [0, 0]]);
  });
  it('NaNs are distinct, -0 and 0 are one value', () => {
    const [v, , , c] = mx.unique(mx.array([1, NaN, 0, -0, NaN]), 5, true, true, true) as mx.MxArray[];
    expect(v!.tolist()).toEqual([0, 1, NaN, NaN, 0]);
    expect(c!.tolist()).toEqual([2, 1, 1, 1, 0]);
  });
  it('empty inputs and errors', () => {
    expect(list(mx.unique(mx.zeros([0]), 2, false, false, false, 7) as mx.MxArray)).toEqual([7, 7]);
    expect(() => mx.unique(mx.zeros([0]), 2)).toThrow('[unique] A fill value is required for an empty input with a non-zero size.');
    expect(() => mx.unique(a, -1)).toThrow('[unique] Received negative size -1.');
    expect(() => mx.unique(a, 3, false, false, false, mx.array([1n, 2n]))).toThrow(/Fill value must have one element/);
  });
});

describe('hadamardTransform', () => {
  /** Sylvester's Hadamard matrix of order n (a power of two). */
  const sylvester = (n: number): number[][] =>
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (((i & j).toString(2).split('1').length - 1) % 2 ? -1 : 1)));
  it('is hadamard(n) @ x * scale', () => {
    const x = [0.5, -1, 2, 3, 0, 1.5, -2, 4];
    const h = sylvester(8);
    const want = h.map((row) => row.reduce((acc, v, j) => acc + v * x[j]!, 0) / Math.sqrt(8));
    close(mx.hadamardTransform(mx.array(x)), want);
    close(mx.hadamardTransform(mx.array([x]), 2).reshape(-1), h.map((row) => row.reduce((acc, v, j) => acc + v * x[j]!, 0) * 2));
  });
  it('is orthonormal by default, also for m * 2^k sizes', () => {
    for (const n of [2, 16, 12, 20, 28, 24, 40]) {
      // the rows transformed are the matrix's columns: an orthonormal matrix has Q Q^T = I
      const q = mx.hadamardTransform(mx.eye(n));
      expect(mx.allclose(mx.matmul(q, q.T), mx.eye(n), 1e-5, 1e-5).item()).toBe(true);
      // entries +-1/sqrt(n)
      expect(mx.allclose(mx.abs(q), 1 / Math.sqrt(n)).item()).toBe(true);
    }
  });
  it('dtypes, scalars and errors as MLX', () => {
    expect(mx.hadamardTransform(mx.array([1n, 2n])).dtype).toBe(mx.float32);
    expect(mx.hadamardTransform(mx.array([1, 2], mx.bfloat16)).dtype).toBe(mx.bfloat16);
    const i = mx.array([3n]);
    expect(mx.hadamardTransform(i)).toBe(i);
    expect(mx.hadamardTransform(i, 2).tolist()).toEqual([6]);
    expect(() => mx.hadamardTransform(mx.zeros([6]))).toThrow('[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).');
    expect(() => mx.hadamardTransform(mx.zeros([36]))).toThrow(/Only supports n = m\*2\^k/);
    expect(() => mx.hadamardTransform(mx.zeros([0]))).toThrow('[hadamard_transform] Does not support empty arrays.');
    expect(() => mx.hadamardTransform(mx.zeros([2], mx.float64))).toThrow('[hadamard] Unsupported type.');
  });
});

describe('dtype predicates', () => {
  it('canCast: promoting gives back the target', () => {
    expect(mx.canCast(mx.int8, mx.int16)).toBe(true);
    expect(mx.canCast(mx.float32, mx.int32)).toBe(false);
    expect(mx.canCast(mx.array([1n], mx.uint8), mx.float16)).toBe(true);
    expect(() => mx.canCast(3 as never, mx.int8)).toThrow('[can_cast] `from_` must be an array or a dtype.');
  });
  it('isdtype: dtypes, kind names and lists', () => {
    expect(mx.isdtype(mx.int8, 'integral')).toBe(true);
    expect(mx.isdtype(mx.bool, 'numeric')).toBe(false);
    expect(mx.isdtype(mx.bfloat16, 'real floating')).toBe(true);
    expect(mx.isdtype(mx.float16, ['bool', mx.float16])).toBe(true);
    expect(mx.isdtype(mx.uint8, 'signed integer')).toBe(false);
    expect(() => mx.isdtype(mx.int8, 'foo')).toThrow("[isdtype] Unknown data type kind: 'foo'.");
  });
});

describe('depends', () => {
  it('passes the inputs through and evaluates the dependencies first', () => {
    const x = mx.array([1, 2]);
    const dep = mx.exp(mx.array([0]));
    const y = mx.depends(mx.multiply(x, 2), dep);
    expect(y.tolist()).toEqual([2, 4]);
    expect(dep.isEvaluated).toBe(true);
    const [p, q] = mx.depends([x, mx.add(x, 1)], [dep]);
    expect([p!.tolist(), q!.tolist()]).toEqual([[1, 2], [2, 3]]);
    expect(() => mx.depends([] as mx.MxArray[], x)).toThrow(/non-empty list/);
  });
  it('gradients flow to the inputs only; jvp and vmap pass through', () => {
    const f = (a: mx.MxArray, b: mx.MxArray) => mx.sum(mx.multiply(mx.depends(mx.square(a), mx.exp(b)), b));
    const [ga, gb] = mx.grad(f, [0, 1])(mx.array([1, 2]), mx.array([3, 4])) as mx.MxArray[];
    expect([ga!.tolist(), gb!.tolist()]).toEqual([[6, 16], [1, 4]]);
    const [, [t]] = mx.jvp((a: mx.MxArray) => mx.depends(mx.sin(a), mx.cos(a)), [mx.array([0])], [mx.array([2])]);
    expect(t!.tolist()).toEqual([2]);
    expect(mx.vmap((r: mx.MxArray) => mx.depends(mx.sum(r), r))(mx.array([[1, 2], [3, 4]])).tolist()).toEqual([3, 7]);
  });
});

describe('exportToDot', () => {
  const x = mx.array(1), y = mx.array(2);
  const graph = (): mx.MxArray => mx.multiply(mx.exp(mx.add(x, y)), y);
  const expected = [
    'digraph {', '{ rank=source; "x"; }', '{ rank=source; "y"; }', '{ 1 [label ="Add", shape=rectangle]; }', '"x" -> 1', '"y" -> 1',
    '{ "C"; }', '1 -> "C"', '{ 2 [label ="Exp", shape=rectangle]; }', '"C" -> 2', '{ "D"; }', '2 -> "D"',
    '{ 3 [label ="Multiply", shape=rectangle]; }', '"D" -> 3', '"y" -> 3', '{ rank=sink; "E"; }', '3 -> "E"', '}',
  ].join('\n');
  it("writes MLX's DOT text to anything with write()", () => {
    let text = '';
    mx.exportToDot({ write: (t: string) => (text = t) }, graph(), { x, y });
    expect(text).toBe(expected);
  });
  it('writes a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlx-dot-'));
    try {
      mx.exportToDot(join(dir, 'g.dot'), graph(), { x, y });
      expect(readFileSync(join(dir, 'g.dot'), 'utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  it('names unnamed arrays A, B, ...; rejects other targets', () => {
    let text = '';
    mx.exportToDot({ write: (t: string) => (text = t) }, mx.negative(x));
    expect(text).toBe(['digraph {', '{ rank=source; "A"; }', '{ 1 [label ="Negative", shape=rectangle]; }', '"A" -> 1', '{ rank=sink; "B"; }', '1 -> "B"', '}'].join('\n'));
    expect(() => mx.exportToDot(3 as never, x)).toThrow('[export_to_dot] Accepts file-like objects or strings to be used as filenames.');
  });
});

describe('devices, streams, memory', () => {
  it('DeviceType, isAvailable, deviceCount, deviceInfo', () => {
    expect(mx.DeviceType.cpu).toBe(mx.cpu);
    expect(mx.DeviceType.gpu).toBe(mx.gpu);
    expect(mx.isAvailable(mx.cpu)).toBe(true);
    expect(mx.isAvailable(new mx.Device(mx.cpu))).toBe(true);
    expect(mx.isAvailable(mx.gpu)).toBe(false);
    expect(mx.deviceCount(mx.cpu)).toBe(1);
    expect(mx.deviceCount(mx.gpu)).toBe(0);
    const info = mx.deviceInfo(mx.cpu);
    expect(typeof info.architecture).toBe('string');
    expect(typeof info.device_name).toBe('string');
    expect(mx.deviceInfo()).toEqual(info);
    expect(mx.deviceInfo(mx.gpu)).toEqual({});
  });
  it('thread-local and thread-unsafe streams are streams', () => {
    const t = mx.newThreadLocalStream(mx.cpu);
    expect(t).toBeInstanceOf(mx.ThreadLocalStream);
    expect(t).toBeInstanceOf(mx.Stream);
    expect(String(t)).toMatch(/^ThreadLocalStream\(Device\(cpu, 0\), \d+\)$/);
    expect(mx.add(mx.array([1]), 1, t).tolist()).toEqual([2]);
    expect(mx.newThreadUnsafeStream(mx.cpu)).toBeInstanceOf(mx.Stream);
  });
  it('StreamContext sets the default stream until disposed; clearStreams forgets set defaults', () => {
    const before = mx.defaultStream(mx.cpu);
    const s = mx.newStream(mx.cpu);
    {
      using _ = new mx.StreamContext(s);
      expect(mx.defaultStream(mx.cpu)).toBe(s);
    }
    expect(mx.defaultStream(mx.cpu)).toBe(before);
    mx.setDefaultStream(s);
    mx.clearStreams();
    expect(mx.defaultStream(mx.cpu)).not.toBe(s);
    expect(mx.add(mx.array([1]), 1, s).tolist()).toEqual([2]);
  });
  it('getArrayBufferSize counts each buffer once; getMemoryLimit', () => {
    const a = mx.array([1, 2, 3]);
    const b = a.index(mx.Slice(1));
    mx.eval(a, b);
    const n = mx.getArrayBufferSize(a);
    expect(n).toBeGreaterThanOrEqual(12);
    expect(mx.getArrayBufferSize(a, b)).toBe(n);
    expect(mx.getArrayBufferSize({ x: [a, b] }, 3, 'text')).toBe(n);
    expect(mx.getArrayBufferSize()).toBe(0);
    expect(() => mx.getArrayBufferSize(mx.add(a, 1))).toThrow('[get_array_buffer_size] Arrays must be evaluated before querying buffer size.');
    const prev = mx.setMemoryLimit(12345);
    expect(mx.getMemoryLimit()).toBe(12345);
    mx.setMemoryLimit(prev);
  });
});

describe('gradients and vmap of the compositions', () => {
  it('median picks the middle element(s)', () => {
    expect(mx.grad((x: mx.MxArray) => mx.median(x))(mx.array([3, 1, 2])).tolist()).toEqual([0, 0, 1]);
    expect(mx.grad((x: mx.MxArray) => mx.median(x))(mx.array([4, 1, 3, 2])).tolist()).toEqual([0, 0, 0.5, 0.5]);
    expect(mx.vmap((r: mx.MxArray) => mx.median(r))(mx.array([[1, 9, 2], [7, 3, 5]])).tolist()).toEqual([2, 5]);
  });
  it('diff, flip, unstack', () => {
    const w = mx.array([1, 10, 100]);
    expect(mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(mx.diff(x), mx.array([1, 10]))))(w).tolist()).toEqual([-1, -9, 10]);
    expect(mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(mx.flip(x), w)))(mx.zeros([3])).tolist()).toEqual([100, 10, 1]);
    expect(mx.grad((x: mx.MxArray) => mx.sum(mx.unstack(x, 1)[1]!))(mx.zeros([2, 3])).tolist()).toEqual([[0, 1, 0], [0, 1, 0]]);
    expect(mx.vmap((r: mx.MxArray) => mx.diff(r))(mx.array([[1, 4, 9], [2, 2, 5]])).tolist()).toEqual([[3, 5], [0, 3]]);
  });
});
