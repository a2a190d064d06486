// Writes behind mlx-ts's back while a transform traces: MLX's gradient outcomes, plus the
// mlx-ts warning hook (mx.setInteropWarningHandler).
import { describe, it, expect, afterEach } from 'vitest';
import * as mx from '@mlx-ts/core';

const warnings: string[] = [];
const collect = (m: string) => warnings.push(m);

afterEach(() => {
  mx.setInteropWarningHandler(null);
  warnings.length = 0;
});

/** The seed's f: squares x in place through a view, then returns x.sum(). */
function squareInPlace(x: mx.MxArray): mx.MxArray {
  const view = x.toTypedArray({ copy: false }) as Float32Array;
  for (let i = 0; i < view.length; i++) view[i]! *= view[i]!;
  return x.sum();
}

describe('gradients do not see writes made outside mlx-ts (as in MLX)', () => {
  it('in-place write through a view: value 9, gradient 1', () => {
    mx.setInteropWarningHandler(collect);
    const x = mx.array([3.0]);
    const [y, df] = mx.valueAndGrad(squareInPlace)(x);
    expect((y as mx.MxArray).item()).toBe(9);
    expect((df as mx.MxArray).item()).toBe(1);
    expect(x.item()).toBe(9); // the traced x shares x's memory, as in MLX
    expect(warnings.length).toBe(1);
  });

  it('a round trip through a copy has gradient 0', () => {
    mx.setInteropWarningHandler(collect);
    const g = (x: mx.MxArray) => mx.array((x.toTypedArray() as Float32Array).map((v) => v * v)).sum();
    const [y, df] = mx.valueAndGrad(g)(mx.array([3.0]));
    expect((y as mx.MxArray).item()).toBe(9);
    expect((df as mx.MxArray).tolist()).toEqual([0]);
    expect(warnings).toEqual([]); // nothing was written behind mlx-ts's back
  });
});

describe('the interop warning', () => {
  it('fires once when memory is written through a view during a transform', () => {
    mx.setInteropWarningHandler(collect);
    mx.grad((x: mx.MxArray) => {
      const v = x.toTypedArray({ copy: false }) as Float32Array;
      v[0] = 5;
      v[1] = 6;
      const w = x.toTypedArray({ copy: false }) as Float32Array;
      w[0] = 7;
      return x.sum();
    })(mx.array([1, 2]));
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/written through an exported view.*Gradients do not see/);
  });

  it('catches writes through views made before the transform, and through DLPack capsules', () => {
    mx.setInteropWarningHandler(collect);
    const x = mx.array([1, 2]);
    const before = x.toTypedArray({ copy: false }) as Float32Array;
    mx.grad((y: mx.MxArray) => {
      before[0] = 10;
      return mx.multiply(y, 2).sum();
    })(x);
    expect(warnings.length).toBe(1);
    mx.grad((y: mx.MxArray) => {
      const c = y.__dlpack__();
      new Float32Array(c.dlTensor.data, c.dlTensor.byteOffset, 2)[1] = 3;
      c.deleter();
      return y.sum();
    })(mx.array([1, 2]));
    expect(warnings.length).toBe(2);
  });

  it('catches writes to a TypedArray that backs an array (mx.asarray) during a transform', () => {
    mx.setInteropWarningHandler(collect);
    // The WASM backend (the default) copies a TypedArray over memory outside its own; one
    // over its memory (a view of another array) backs the array. The reference backend (the
    // suite's second run) shares any TypedArray.
    const onWasm = mx.cpuBackendName() === 'wasm';
    if (onWasm) {
      const foreign = new Float32Array([1, 2]);
      const copied = mx.asarray(foreign);
      mx.grad((y: mx.MxArray) => {
        foreign[1] = 5;
        return mx.square(y).sum();
      })(copied);
      expect(warnings).toEqual([]); // nothing mlx-ts holds was written
      expect(copied.tolist()).toEqual([1, 2]);
    }
    const backing = onWasm ? (mx.array([1, 2]).toTypedArray({ copy: false }) as Float32Array) : new Float32Array([1, 2]);
    const x = mx.asarray(backing);
    mx.grad((y: mx.MxArray) => {
      backing[1] = 5;
      return mx.square(y).sum();
    })(x);
    expect(warnings.length).toBe(1);
    expect(x.tolist()).toEqual([1, 5]); // shared memory: the array sees the write
  });

  it('stays silent when views exist but nothing is written, or the write is outside a transform', () => {
    mx.setInteropWarningHandler(collect);
    const x = mx.array([1, 2]);
    const v = x.toTypedArray({ copy: false }) as Float32Array;
    const [, g] = mx.valueAndGrad((y: mx.MxArray) => {
      const inner = y.toTypedArray({ copy: false });
      expect(inner.length).toBe(2);
      return mx.square(y).sum();
    })(x);
    expect((g as mx.MxArray).tolist()).toEqual([2, 4]);
    v[0] = 3; // not tracing
    expect(warnings).toEqual([]);
  });

  it('defaults to console.warn; the setter returns the previous handler and validates', () => {
    const previous = mx.setInteropWarningHandler(collect);
    expect(typeof previous).toBe('function');
    expect(mx.setInteropWarningHandler(null)).toBe(collect);
    const seen: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => seen.push(...args);
    try {
      mx.grad(squareInPlace)(mx.array([2.0]));
    } finally {
      console.warn = original;
    }
    expect(seen.length).toBe(1);
    expect(String(seen[0])).toMatch(/mlx-ts: memory of an array was written/);
    expect(() => mx.setInteropWarningHandler('x' as unknown as () => void)).toThrow(/must be a function or null/);
  });
});
