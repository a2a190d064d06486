// Buffer donation (MLX's): an elementwise node writes its output over an input no one can read
// again, so chains over disposed or tidied arrays run in the memory of one array.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active } from '../../../tests/util/memory.js';

const n = 1 << 16; // 256 KiB of float32

function peakOf(run: () => void): number {
  mx.resetPeakMemory();
  const before = mx.getActiveMemory();
  run();
  // the peak reads 0 after a reset until something is allocated (MLX's rule)
  return Math.max(mx.getPeakMemory(), before) - before;
}

describe('buffer donation', () => {
  it('a chain of elementwise ops, views and stopGradient over a dead input needs no new buffer', () => {
    const x = mx.full([256, n / 256], -2, mx.float32);
    mx.eval(x);
    let out!: mx.MxArray;
    const grown = peakOf(() => {
      out = mx.tidy(() => {
        let y = x;
        for (let i = 0; i < 10; i++) {
          y = mx.abs(y);
          y = mx.reshape(y, [-1]);
          y = y.T.T;
          y = mx.stopGradient(y);
          y = mx.negative(mx.abs(y));
        }
        return y;
      });
      mx.dispose(x);
      mx.eval(out);
    });
    expect(grown).toBe(0);
    expect(out.shape).toEqual([n]);
    expect(mx.all(mx.equal(out, -2)).item()).toBe(true);
  });

  it('a slice of a dead input donates its whole buffer (offset 0, row-major)', () => {
    const x = mx.full([n], 3, mx.float32);
    mx.eval(x);
    let out!: mx.MxArray;
    const grown = peakOf(() => {
      out = mx.tidy(() => {
        let y = x;
        for (let i = 0; i < 5; i++) y = mx.negative(mx.abs(y).index(mx.Slice(null, -1)));
        return y;
      });
      mx.dispose(x);
      mx.eval(out);
    });
    expect(grown).toBe(0);
    expect(out.shape).toEqual([n - 5]);
    expect(out.index(0).item()).toBe(-3);
  });

  it('never overwrites what can still be read: live handles, other views, broadcasts, pins', () => {
    // a live handle keeps its values
    const a = mx.array([1, -2, 3], mx.float32);
    const b = mx.abs(a);
    mx.eval(b);
    expect(a.tolist()).toEqual([1, -2, 3]);
    // a second view of the same storage keeps it
    const c = mx.tidy(() => mx.array([4, -5, 6], mx.float32));
    const v = c.reshape([3, 1]);
    mx.eval(v);
    const w = mx.negative(c);
    mx.dispose(c);
    mx.eval(w);
    expect(v.tolist()).toEqual([[4], [-5], [6]]);
    expect(w.tolist()).toEqual([-4, 5, -6]);
    // an input used twice by the node, or broadcast to a larger output, is not donated
    const d = mx.array([2, 3], mx.float32);
    const e = mx.add(d, d);
    const f = mx.add(mx.expandDims(d, 0), mx.zeros([2, 2]));
    mx.dispose(d);
    expect(e.tolist()).toEqual([4, 6]);
    expect(f.tolist()).toEqual([[2, 3], [2, 3]]);
    // an exported view pins the storage
    const g = mx.array([7, 8], mx.float32);
    mx.eval(g);
    const view = g.toTypedArray({ copy: false });
    const h = mx.negative(g);
    mx.dispose(g);
    expect(h.tolist()).toEqual([-7, -8]);
    expect(Array.from(view as Float32Array)).toEqual([7, 8]);
  });

  it('a different item size never donates (float32 -> float16, complex -> real)', () => {
    const x = mx.array([1.5, -2.5], mx.float32);
    const y = mx.astype(x, mx.float16);
    mx.dispose(x);
    expect(y.tolist()).toEqual([1.5, -2.5]);
    const z = mx.array([{ re: 3, im: 4 }]);
    const m = mx.abs(z);
    mx.dispose(z);
    expect(m.tolist()).toEqual([5]);
  });

  it('compiled and transformed code over dead inputs gives the same values', () => {
    const f = (p: mx.MxArray) => mx.sum(mx.multiply(mx.abs(mx.negative(p)), mx.exp(mx.abs(p))));
    const x = mx.array([-1, 2, -3], mx.float32);
    const want = mx.grad(f)(x);
    const got = mx.tidy(() => mx.grad(mx.compile(f))(mx.tidy(() => mx.multiply(x, 1))));
    expect(mx.allclose(got, want).item()).toBe(true);
    const y = mx.tidy(() => mx.negative(mx.abs(x)));
    expect(mx.compile((v: mx.MxArray) => mx.exp(mx.abs(v)))(y).tolist()).toEqual(mx.exp(mx.abs(x)).tolist());
  });
});
