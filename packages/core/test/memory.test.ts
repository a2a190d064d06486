import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active, collectGarbage, cpuName } from '../../../tests/util/memory.js';

// Live bytes of the backend that runs mx.cpu work: 'wasm' by default, 'reference' when the
// suite runs with MLX_TS_CPU_BACKEND=reference.
const others = () => Object.entries(mx.memory()).filter(([name]) => name !== cpuName);


describe('memory', () => {
  it('mx.memory reports live bytes per backend', () => {
    expect(cpuName).toBe(process.env.MLX_TS_CPU_BACKEND ?? 'wasm');
    expect(Object.keys(mx.memory())).toEqual(expect.arrayContaining(['reference', 'wasm']));
    const before = active();
    const othersBefore = others();
    const a = mx.array(new Float32Array(1000));
    expect(active() - before).toBe(4000);
    expect(others()).toEqual(othersBefore); // only the CPU backend in use allocated
    mx.dispose(a);
    expect(active()).toBe(before);
  });

  it('dispose frees at once and kills the handle', () => {
    const before = active();
    const a = mx.array([1, 2, 3]);
    const b = mx.add(a, a);
    mx.eval(b);
    expect(active() - before).toBe(24);
    mx.dispose({ a, list: [b] });
    expect(active()).toBe(before);
    expect(() => a.shape).toThrow(/disposed/);
    expect(() => mx.add(b, 1)).toThrow(/disposed/);
  });

  it('dispose defers while a lazy array still needs the input', () => {
    const a = mx.array([1, 2, 3]);
    const b = mx.multiply(a, 2);
    mx.dispose(a);
    expect(b.tolist()).toEqual([2, 4, 6]);
  });

  it("a binary op's scalar, cast and broadcast operands are its own: gone once it is evaluated, no GC", () => {
    const x = mx.array(new Float32Array(8).fill(1));
    const i = mx.array(new Int32Array(8).fill(2));
    const row = mx.array(new Float32Array(8).fill(3)).reshape([1, 8]);
    const col = mx.array([[1], [2]]);
    const z = mx.zeros([3, 1]);
    mx.eval(x, i, row, col, z);
    const before = active();
    const handles = mx.getWrappersCount();
    // 0.5: a float32 scalar; i: cast to float32; col and 1.5: both broadcast; row and z: broadcast
    const outs = [mx.add(x, 0.5), mx.multiply(i, x), mx.subtract(col, 1.5), mx.add(row, z)];
    expect(mx.getWrappersCount() - handles).toBe(outs.length); // only the outputs are handles
    mx.eval(outs);
    expect(outs.map((o) => o.tolist())).toEqual([Array(8).fill(1.5), Array(8).fill(2), [[-0.5], [0.5]], [Array(8).fill(3), Array(8).fill(3), Array(8).fill(3)]]);
    expect(active() - before).toBe(4 * (8 + 8 + 2 + 24)); // the outputs' bytes, nothing else
    mx.dispose(outs);
    expect(active()).toBe(before);
    // the caller's arrays are untouched, still theirs
    expect(x.tolist()).toEqual(Array(8).fill(1));
    expect(i.dtype).toBe(mx.int32);
    expect(row.tolist()).toEqual([Array(8).fill(3)]);
    expect(col.tolist()).toEqual([[1], [2]]);
    mx.dispose([x, i, row, col, z]);
  });

  it('views keep shared storage alive until the last one goes', () => {
    const before = active();
    const a = mx.array([[1, 2], [3, 4]]);
    const t = a.T;
    mx.eval(t);
    expect(active() - before).toBe(16); // the transpose shares storage
    mx.dispose(a);
    expect(t.tolist()).toEqual([[1, 3], [2, 4]]);
    expect(active() - before).toBe(16);
    mx.dispose(t);
    expect(active()).toBe(before);
  });

  it('Symbol.dispose works with `using`-style disposal', () => {
    const before = active();
    const a = mx.array([1, 2, 3]);
    a[Symbol.dispose]();
    expect(active()).toBe(before);
  });

  it('tidy disposes everything but the result', () => {
    const before = active();
    const kept = mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      const y = mx.add(x, x);
      mx.eval(y);
      return { out: mx.multiply(y, 2) };
    });
    expect(kept.out.tolist()).toEqual([4, 8, 12]);
    mx.dispose(kept);
    expect(active()).toBe(before);
  });

  it('tidy of an async function disposes when the promise settles', async () => {
    const before = active();
    const made: mx.MxArray[] = [];
    const kept = await mx.tidy(async () => {
      made.push(mx.array([1, 2]));
      await new Promise((r) => setTimeout(r, 1));
      made.push(mx.array([3, 4]));
      return mx.array([5]);
    });
    for (const m of made) expect(() => m.shape).toThrow(/disposed/);
    expect(kept.tolist()).toEqual([5]);
    mx.dispose(kept);
    expect(active()).toBe(before);
    await expect(mx.tidy(async () => {
      mx.array([1]);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(active()).toBe(before);
  });

  it('nested tidy hands results to the outer scope', () => {
    const before = active();
    const r = mx.tidy(() => {
      const inner = mx.tidy(() => mx.array([1]));
      mx.eval(inner);
      return 0;
    });
    expect(r).toBe(0);
    expect(active()).toBe(before);
  });

  it('garbage-collected arrays release their storage', async () => {
    await collectGarbage();
    const before = active();
    (() => {
      for (let i = 0; i < 10; i++) mx.eval(mx.add(mx.array(new Float32Array(10000)), 1));
    })();
    expect(active()).toBeGreaterThan(before);
    await collectGarbage();
    expect(active()).toBe(before);
  });
});
