// mx.compile's fused elementwise chains (the Compiled primitive) as one GPU kernel against the
// reference's step-by-step oracle: mixed dtypes (each step rounded/wrapped as stored), casts,
// where, broadcast inputs, several outputs of different element sizes.
import { describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng } from './gpu-helpers.js';

type AnyFn = (...xs: mx.MxArray[]) => mx.MxArray | mx.MxArray[];
/** compiles `fn` afresh on each backend's run */
function check(fn: AnyFn, inputs: ArraySpec[], ulp = 0, label = '', shapeless = false) {
  compareBackends(
    (...xs: mx.MxArray[]) => {
      const out = mx.compile(fn, shapeless)(...xs);
      return Array.isArray(out) ? out : [out];
    },
    inputs,
    { backends: ['reference', 'webgpu'], ulp, label },
  );
}
const floats = (seed: number) => {
  const r = rng(seed);
  return () => Math.fround((r() - 0.5) * 8);
};

describe.skipIf(noGpu)('webgpu compiled (fused) kernels', () => {
  it('a float chain with broadcasts fuses into one kernel and matches', () => {
    const [a, b, , c] = layouts(mx.float32, floats(1));
    check((x, y, z) => mx.tanh(mx.add(mx.multiply(x, y), mx.exp(mx.negative(mx.abs(z))))), [a!, b!, c!], 8, 'tanh chain');
    check((x, y) => mx.where(mx.greater(x, y), mx.square(x), mx.subtract(y, 1)), [a!, c!], 0, 'where chain');
  });

  it('mixed dtypes: each step is rounded or wrapped as the unfused steps store it', () => {
    const [h] = layouts(mx.float16, (i) => [0x3c00, 0x4500, 0xbc00, 0x7bff, 0x0001, 0x3555][i % 6]!);
    const [i8] = layouts(mx.int8, (i) => [127, -128, 5, -7][i % 4]!);
    check((x) => mx.multiply(mx.add(x, x), x), [h!], 0, 'float16 steps');
    check((x) => mx.astype(mx.multiply(mx.add(x, x), 3), mx.float32), [i8!], 0, 'int8 wraps per step');
    check((x, y) => mx.add(mx.astype(x, mx.float32), mx.astype(y, mx.float32)), [h!, i8!], 0, 'casts');
  });

  it('several outputs of different element sizes', () => {
    const [a, b] = layouts(mx.float32, floats(2));
    check((x, y) => {
      const s = mx.add(x, y);
      return [mx.sin(s), mx.less(s, 0), mx.astype(s, mx.int16)];
    }, [a!, b!], 4, 'three outputs');
  });

  it('shapeless compile: element counts (NumberOfElements) for mean and var, in several dtypes', () => {
    const [a] = layouts(mx.float32, floats(3));
    check((x) => mx.mean(x, 1), [a!], 2, 'mean', true);
    check((x) => mx.var(x, 0), [a!], 4, 'var', true);
    for (const d of [mx.int32, mx.bool, mx.float16]) {
      compareBackends((x) => mx.compile((y: mx.MxArray) => mx.astype(mx.mean(y), d), true)(x) as mx.MxArray, [a!], { backends: ['reference', 'webgpu'], label: `count as ${d.name}` });
    }
  });

  it('a step in a dtype the GPU lacks names itself (which proves the chain fused)', () => {
    const f = mx.compile((x: mx.MxArray) => mx.astype(mx.astype(mx.add(x, 1), mx.float64), mx.float32));
    expect(() => mx.eval(f(mx.array([1, 2], mx.float32)) as mx.MxArray)).not.toThrow(); // on the CPU
    mx.setDefaultDevice(mx.gpu);
    try {
      expect(() => mx.eval(mx.compile((x: mx.MxArray) => mx.astype(mx.astype(mx.add(x, 1), mx.float64), mx.float32))(mx.array([1, 2], mx.float32)) as mx.MxArray)).toThrow(
        /\[webgpu\] no GPU kernel for AsType \(float64\) in a compiled \(fused\) function/, // so the chain did fuse
      );
    } finally {
      mx.setDefaultDevice(mx.cpu);
    }
  });
});
