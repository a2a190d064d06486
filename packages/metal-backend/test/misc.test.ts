// RandomBits, Arange and Concatenate on the GPU against the reference: random bytes identical
// for every width (MLX's CPU layout), arange for int and float32 dtypes,
// concatenation of strided inputs along every axis.
import { describe, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { compareBackends, type ArraySpec } from '@mlx-ts/core/testing';
import { layouts, noGpu, rng, spec } from './gpu-helpers.js';

type AnyOp = (...xs: any[]) => mx.MxArray | readonly mx.MxArray[];
const check = (op: AnyOp, inputs: ArraySpec[], label = '') =>
  compareBackends((...xs: mx.MxArray[]) => op(...xs), inputs, { backends: ['reference', 'webgpu'], label });

describe.skipIf(noGpu)('webgpu random bits, arange, concatenate', () => {
  it('random bits: widths 1, 2, 4, odd and even counts, a strided key, split', () => {
    const key = spec(mx.uint32, [2], [0, 42]);
    for (const width of [1, 2, 4]) {
      for (const shape of [[1], [3], [4], [5, 3], [7, 2]]) {
        check((k) => mx.random.bits(shape, width, k), [key], `bits ${width} [${shape}]`);
      }
    }
    // a strided key (a column of a [2, 2] array, at an offset)
    const strided = spec(mx.uint32, [2, 2], [9, 1, 8, 2], [{ kind: 'slice', start: [0, 1], stop: [2, 2], step: [1, 1] }, { kind: 'transpose', axes: [1, 0] }]);
    check((k) => mx.random.bits([3, 5], 4, mx.reshape(k, [2])), [strided], 'strided key');
    check((k) => mx.random.split(k, 3), [key], 'split');
    check((k) => mx.random.uniform(0, 1, [4, 4], mx.float32, k), [key], 'uniform');
    check((k) => mx.random.randint(0, 10, [9], mx.int32, k), [key], 'randint');
    compareBackends((k) => mx.random.normal([200], mx.float32, 0, 1, k), [key], { backends: ['reference', 'webgpu'], ulp: 8, label: 'normal' });
  });

  it('arange for integer dtypes, float32 and the halves (rounded each step)', () => {
    for (const d of [mx.int32, mx.uint32, mx.int16, mx.uint8, mx.int8, mx.float32, mx.float16, mx.bfloat16]) {
      check(() => mx.arange(3, 40, 3, d), [], `arange ${d.name}`);
      check(() => mx.arange(-5.5, 7, 1.25, d), [], `arange fractional ${d.name}`);
    }
    check(() => mx.arange(0, 1000, 0.1, mx.float32), [], 'arange 0.1 steps');
    check(() => mx.arange(0.1, 300, 0.3, mx.float16), [], 'arange float16 0.3 steps (rounded each step)');
    check(() => mx.arange(-3.3, 1e3, 7.7, mx.bfloat16), [], 'arange bfloat16');
    check(() => mx.arange(250, 300, 7, mx.int8), [], 'arange wraps');
  });

  it('concatenate along every axis, strided inputs, every GPU dtype', () => {
    for (const d of [mx.float32, mx.int8, mx.uint16, mx.bool, mx.bfloat16, mx.int32]) {
      const r = rng(d.size + 1);
      const gen = (i: number) => (d === mx.bool ? i % 2 : d === mx.float32 ? Math.fround(r() * 10) : Math.floor(r() * 100));
      const [a, b, c, e] = layouts(d, gen);
      check((x, y) => mx.concatenate([x, y], 0), [a!, b!], `axis 0 ${d.name}`);
      check((x, y, z) => mx.concatenate([x, y, z], 1), [b!, c!, e!], `axis 1 ${d.name}`);
      check((x, y) => mx.concatenate([x, y], null), [e!, a!], `flattened ${d.name}`);
      check((x, y) => mx.stack([x, y], 2), [c!, a!], `stack ${d.name}`);
    }
  });
});
