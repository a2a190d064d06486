// Gradients through bool and integer values, where one op's rule feeds another's: the rules the
// random-program differential suite (tests/differential/programs.test.ts) found wrong. Expected
// values are the real MLX 0.32.4's (mx.vjp / mx.grad / mx.jvp on the same inputs).
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

type A = mx.MxArray;
const f32 = (v: unknown): A => mx.array(v as mx.ScalarOrArray, mx.float32);
const i32 = (v: unknown): A => mx.array(v as mx.ScalarOrArray, mx.int32);
const bools = (v: unknown): A => mx.array(v as mx.ScalarOrArray, mx.bool);

function expectArray(a: A, values: unknown, dtype: mx.Dtype): void {
  expect(a.dtype).toBe(dtype);
  expect(a.tolist()).toEqual(values);
}

describe('stop_gradient cuts the tape (MLX leaves it off)', () => {
  it('vjp of logsumexp over a 0-d bool: a bool cotangent, no negative of a bool', () => {
    const [outs, [g]] = mx.vjp((b) => mx.logsumexp(b), [bools(true)], [f32(1)]);
    expectArray(outs[0]!, 1, mx.float32);
    expectArray(g!, true, mx.bool);
  });

  it('vjp of logsumexp over a bool axis that is not the last', () => {
    const [outs, [g]] = mx.vjp((b) => mx.logsumexp(b, 0), [bools([[true, false], [false, false]])], [f32([1, 0])]);
    const o = outs[0]!.tolist() as number[];
    expect(o[0]).toBeCloseTo(2.31326, 5);
    expect(o[1]).toBeCloseTo(0.693147, 5);
    expectArray(g!, [[true, false], [true, false]], mx.bool);
  });

  it('softmax over a bool array (general path) inside grad runs', () => {
    // (the values are zero up to rounding here, so only that it runs and its form are checked)
    const g = mx.grad((x: A) => mx.sum(mx.multiply(mx.softmax(x.astype(mx.bool), 0).astype(mx.float32), f32([[1, 2], [0.5, -1]]))))(
      f32([[1, 0], [0, 3]]),
    );
    expect(g.dtype).toBe(mx.float32);
    expect(g.shape).toEqual([2, 2]);
    const [, [gb]] = mx.vjp((b) => mx.softmax(b, 0).astype(mx.float32), [bools([[true, false], [false, false]])], [f32([[1, 0], [2, 0.5]])]);
    expect(gb!.dtype).toBe(mx.bool);
  });

  it('no rule before a stop_gradient runs (a zero cotangent through NaN values gave NaN)', () => {
    // an exclusive cummax starts at -inf: cos(|-inf|) is NaN, and 0 * NaN is NaN in softmax's rule
    const x = f32([[2.75], [0.0625], [-1.1875]]);
    const stopped = mx.grad((x: A) => mx.sum(mx.stopGradient(mx.softmax(mx.cos(mx.abs(mx.cummax(x, 0, true, false))), 0))))(x);
    expectArray(stopped, [[0], [0], [0]], mx.float32);
    const w = f32([[0.5], [-1], [2]]);
    expectArray(mx.grad((x: A) => mx.sum(mx.multiply(w, mx.cummax(x, 0, true, false))))(x), [[0], [0.5], [-1]], mx.float32);
  });

  it('jvp: a stop_gradient factor is a constant', () => {
    const [outs, [t]] = mx.jvp((x) => mx.multiply(mx.stopGradient(x), x), [f32([2])], [f32([1])]);
    expectArray(outs[0]!, [4], mx.float32);
    expectArray(t!, [2], mx.float32);
  });
});

describe('floor, ceil, round and abs are nodes on every dtype (zero gradient where piecewise constant)', () => {
  it('floor of an int32 value has a zero gradient, not the identity', () => {
    const g = mx.grad((x: A) => mx.sum(mx.floor(x.astype(mx.int32)).astype(mx.float32)))(f32([0.5, -1.5, 2]));
    expectArray(g, [0, 0, 0], mx.float32);
  });

  it('ceil of a bool and round of an int32', () => {
    const g = mx.grad((x: A) => mx.sum(mx.multiply(mx.ceil(x.astype(mx.bool)).astype(mx.float32), f32([1, 2, 3]))))(f32([0.5, 0, 2]));
    expectArray(g, [0, 0, 0], mx.float32);
    const [outs, [gr]] = mx.vjp((b) => mx.round(b), [i32([1, -2])], [i32([3, 4])]);
    expectArray(outs[0]!, [1, -2], mx.int32);
    expectArray(gr!, [0, 0], mx.int32);
  });

  it('abs of an unsigned array: ct * sign(x), zero at 0', () => {
    const [outs, [g]] = mx.vjp((b) => mx.abs(b), [mx.array([0, 3], mx.uint8)], [mx.array([5, 5], mx.uint8)]);
    expectArray(outs[0]!, [0, 3], mx.uint8);
    expectArray(g!, [0, 5], mx.uint8);
  });

  it('the values are unchanged, in the input dtype', () => {
    expectArray(mx.floor(i32([-3, 4])), [-3, 4], mx.int32);
    expectArray(mx.ceil(bools([true, false])), [true, false], mx.bool);
    expectArray(mx.round(mx.array([7], mx.uint8)), [7], mx.uint8);
    expectArray(mx.abs(bools([true, false])), [true, false], mx.bool);
    expectArray(mx.compile((x: A) => mx.floor(mx.add(x, i32(1))))(i32([-3, 4])), [-2, 5], mx.int32);
  });
});

describe('broadcast cotangents keep the sum\'s dtype; at[] broadcasts before its cast', () => {
  it('scatter-add of a float scalar into a bool array: each broadcast copy counts', () => {
    const b = mx.zeros([3, 4], mx.bool);
    expectArray(mx.grad((v: A) => mx.sum(b.at(i32([2])).add(v).astype(mx.float32)))(f32(1.5)), 4, mx.float32);
    const w = mx.reshape(mx.arange(12, mx.float32), [3, 4]);
    const g = mx.grad((v: A) => mx.sum(mx.multiply(b.at(i32([0, 2])).add(v).astype(mx.float32), w)))(f32([1.5, 0, -2, 3]));
    expectArray(g, [1, 2, 2, 2], mx.float32);
  });

  it('with slices and integers only MLX casts first (slice_update), and so does mlx-ts', () => {
    // the bool cast's rule then meets the int32 sum of a broadcast: MLX raises, mlx-ts too
    const b = mx.zeros([3, 4], mx.bool);
    for (const at of [() => b.at(mx.Slice(0, 2)), () => b.at(1)]) {
      expect(() => mx.grad((v: A) => mx.sum(at().add(v).astype(mx.float32)))(f32(1.5))).toThrow('[astype] Type of cotangents');
    }
    expectArray(mx.grad((v: A) => mx.sum(b.at(mx.Slice(0, 2), i32([1])).add(v).astype(mx.float32)))(f32(1.5)), 2, mx.float32);
  });

  it('the same for int32 and float32 targets (unchanged)', () => {
    for (const d of [mx.int32, mx.float32]) {
      expectArray(mx.grad((v: A) => mx.sum(mx.zeros([3, 4], d).at(i32([2])).add(v).astype(mx.float32)))(f32(1.5)), 4, mx.float32);
    }
  });

  it('an int32 update into a float array: each copy\'s cotangent is cast, then summed (MLX)', () => {
    const [, [g]] = mx.vjp((v) => mx.zeros([3], mx.float32).at(i32([1, 1])).add(v), [i32(2)], [f32([0.5, 0.75, 0.5])]);
    expectArray(g!, 0, mx.int32);
  });

  it('a bool update and a broadcast bool: int32 counts, as MLX\'s broadcast_vjp', () => {
    const [outs, [g]] = mx.vjp((v) => mx.zeros([1, 1, 1], mx.bool).at(i32([0])).add(v), [bools([[[true]]])], [bools([[[true]]])]);
    expectArray(outs[0]!, [[[true]]], mx.bool);
    expectArray(g!, [[[1]]], mx.int32);
    expectArray(mx.vjp((b) => mx.broadcastTo(b, [4]), [bools(true)], [bools([true, true, true, true])])[1][0]!, 4, mx.int32);
    const [, [g8]] = mx.vjp((b) => mx.broadcastTo(b, [2, 3]), [mx.array([1, 2, 3], mx.int8)], [mx.array([[1, 1, 1], [100, 100, 100]], mx.int8)]);
    expectArray(g8!, [101, 101, 101], mx.int32);
  });

  it('logical not/and/or: zero cotangents like the cotangent (MLX), so an int32 count stays int32', () => {
    const x = bools([true]);
    const ones3 = f32([1, 1, 1]);
    expectArray(mx.vjp((b) => mx.broadcastTo(mx.logicalNot(b), [3]), [x], [ones3])[1][0]!, [0], mx.int32);
    expectArray(mx.vjp((b) => mx.broadcastTo(mx.logicalAnd(b, b), [3]), [x], [ones3])[1][0]!, [0], mx.int32);
    const [, [g]] = mx.vjp((b) => mx.greater(mx.logicalOr(b, b), mx.expandDims(mx.logicalOr(b, b), 0)), [x], [f32([[1]])]);
    expectArray(g!, [0], mx.int32);
    expectArray(mx.jvp((b) => mx.logicalAnd(b, b), [x], [bools([true])])[1][0]!, [false], mx.bool);
    expectArray(mx.jvp((b) => mx.logicalNot(b), [x], [bools([true])])[1][0]!, [false], mx.bool);
  });

  it('at[].subtract negates the value in its own dtype (a float into a bool target)', () => {
    expectArray(mx.zeros([3], mx.bool).at(i32([1])).subtract(f32(1.5)), [false, true, false], mx.bool);
    expectArray(mx.zeros([3], mx.int32).at(i32([1])).subtract(f32(1.5)), [0, -1, 0], mx.int32);
    const g = mx.grad((v: A) => mx.sum(mx.zeros([3, 4], mx.int32).at(i32([1])).subtract(v).astype(mx.float32)))(f32(1.5));
    expectArray(g, -4, mx.float32);
  });
});

describe('scatter cotangents keep their dtype; argmax over a size-1 axis; the order cotangents add up', () => {
  it("scatter max/add: the updates' cotangent stays an int32 count (MLX), not a bool", () => {
    const idx = i32([0, 0, 1]);
    const b = bools([true, false, true]);
    const ct = mx.ones([3, 2], mx.bool);
    expectArray(mx.vjp((v) => mx.broadcastTo(mx.zeros([2], mx.bool).at(idx).maximum(v), [3, 2]), [b], [ct])[1][0]!, [3, 0, 3], mx.int32);
    expectArray(mx.vjp((v) => mx.broadcastTo(mx.zeros([2], mx.bool).at(idx).add(v), [3, 2]), [b], [ct])[1][0]!, [3, 3, 3], mx.int32);
  });

  it('argmax over a size-1 axis is a constant 0 (MLX), so no cast rule behind it runs', () => {
    const x = f32([[[0.5, -1, 2]], [[1, 2, 3]], [[0, 0, 1]]]);
    expectArray(mx.argmax(x, 1), [[0, 0, 0], [0, 0, 0], [0, 0, 0]], mx.uint32);
    const f = (x: A) => mx.sum(mx.erf(mx.sum(mx.argmax(x, 1).astype(mx.bool), -1, true)));
    expectArray(mx.grad(f)(x), [[[0, 0, 0]], [[0, 0, 0]], [[0, 0, 0]]], mx.float32);
    // over a longer axis the int32 sum meets the bool cast's rule: MLX raises, mlx-ts too
    expect(() => mx.grad(f)(mx.reshape(x, [1, 3, 3]))).toThrow('[astype] Type of cotangents');
  });

  it("cotangents add up in MLX's order (outputs depth first): bool + bool is `or`", () => {
    const plus0 = (v: A): A => mx.add(v, mx.zerosLike(v));
    const f = (x: A): A[] => {
      const v1 = mx.max(x, -1, true);
      const v2 = v1.at(i32([0, 0, 0, 0])).minimum(v1);
      return [plus0(v1), plus0(v2), plus0(mx.maximum(v2, v2))];
    };
    const [, [g]] = mx.vjp(f, [bools([false, true, false])], [bools([true]), bools([true]), bools([false])]);
    expectArray(g!, [0, 6, 0], mx.float32);
  });
});

describe("where MLX 0.32.4's vjp is the odd one (README: deliberate differences)", () => {
  it('an array returned twice gets the sum of its cotangents (MLX keeps the first: 3)', () => {
    const [, [g]] = mx.vjp((x) => ((y: A) => [y, y])(mx.multiply(x, x)), [f32(1.5)], [f32(1), f32(2)]);
    expectArray(g!, 9, mx.float32);
  });

  it('cotangents pair with outputs by position, stop_gradient ones too (MLX skips those: 6)', () => {
    const [, [g]] = mx.vjp((x) => [mx.stopGradient(x), mx.multiply(x, f32(2))], [f32(1)], [f32(3), f32(5)]);
    expectArray(g!, 10, mx.float32);
  });
});
