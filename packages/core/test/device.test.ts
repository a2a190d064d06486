import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

describe('devices and streams', () => {
  it('has cpu and gpu device types and a cpu default', () => {
    expect(mx.cpu).not.toBe(mx.gpu);
    expect(mx.defaultDevice().type).toBe(mx.cpu);
    expect(String(mx.defaultDevice())).toBe('Device(cpu, 0)');
  });

  it('setDefaultDevice(gpu) fails clearly without a GPU backend', () => {
    expect(() => mx.setDefaultDevice(mx.gpu)).toThrow(/No GPU backend is registered/);
    expect(mx.defaultDevice().type).toBe(mx.cpu);
    expect(() => mx.add(mx.array([1]), 1, mx.gpu).tolist()).toThrow(/No GPU backend/);
    expect(() => mx.setDefaultDevice(7 as never)).toThrow(/expected mx.cpu, mx.gpu/);
  });

  it('streams: default, new, stream context, synchronize', () => {
    const s = mx.defaultStream(mx.cpu);
    expect(s.device.type).toBe(mx.cpu);
    expect(mx.defaultStream(mx.cpu)).toBe(s);
    const t = mx.newStream(mx.cpu);
    expect(t).not.toBe(s);
    expect(mx.add(mx.array([1, 2]), 1, t).tolist()).toEqual([2, 3]);
    expect(mx.add(mx.array([1, 2]), 1, mx.cpu).tolist()).toEqual([2, 3]);
    {
      const ctx = mx.stream(t);
      expect(mx.defaultStream(mx.cpu)).toBe(t);
      ctx[Symbol.dispose]();
    }
    expect(mx.defaultStream(mx.cpu)).toBe(s);
    mx.synchronize();
    mx.synchronize(t);
  });

  it('the reference backend is registered by name and can be selected', () => {
    expect(mx.listBackends()).toContain('reference');
    const start = mx.cpuBackendName();
    mx.setCpuBackend('reference');
    expect(mx.cpuBackendName()).toBe('reference');
    mx.setCpuBackend(start);
    expect(() => mx.setCpuBackend('nope')).toThrow(/No backend named 'nope'/);
  });

  it('arrays move between CPU backends on demand, once', () => {
    class Other extends mx.ReferenceBackend {
      override readonly name = 'other-cpu';
    }
    mx.registerBackend(new Other());
    const a = mx.array([1, 2, 3]);
    const start = mx.cpuBackendName();
    mx.setCpuBackend('other-cpu');
    try {
      const b = mx.multiply(a, a);
      expect(b.tolist()).toEqual([1, 4, 9]);
      expect(mx.memory()['other-cpu']!.active).toBeGreaterThan(0);
    } finally {
      mx.setCpuBackend(start);
    }
  });

  it('transform rules build their ops on the stream of the op they transform (vmap, vjp, jvp)', () => {
    const s = mx.newStream(mx.cpu);
    // every node of the transformed graph that a rule made for an op on `s`
    const streamsOf = (y: mx.MxArray, name: string): unknown[] => {
      const seen = new Set<unknown>();
      const out: unknown[] = [];
      const walk = (a: mx.MxArray) => {
        const node = (a as unknown as { _node: { prim: { name: string }; inputs: mx.MxArray[]; stream: unknown } | null })._node;
        if (!node || seen.has(node)) return;
        seen.add(node);
        if (node.prim.name === name) out.push(node.stream);
        node.inputs.forEach(walk);
      };
      walk(y);
      return out;
    };
    const x = mx.array([[1, 2], [3, 4]]);
    const v = mx.vmap((r: mx.MxArray) => mx.exp(r, s))(x);
    expect(streamsOf(v, 'Exp')).toEqual([s]);
    expect(mx.defaultStream(mx.cpu)).not.toBe(s);
    // vjp of exp is a multiply by exp: made on s
    const [, [ct]] = mx.vjp((r: mx.MxArray) => mx.exp(r, s), [x], [mx.onesLike(x)]);
    expect(streamsOf(ct!, 'Multiply')).toContain(s);
    const [, [t]] = mx.jvp((r: mx.MxArray) => mx.sin(r, s), [x], [mx.onesLike(x)]);
    expect(streamsOf(t!, 'Cos')).toEqual([s]);
    expect(v.tolist()).toEqual(mx.exp(x).tolist());
    // the default stream is back after each rule
    expect(mx.defaultStream(mx.cpu)).not.toBe(s);
  });

  it('asyncEval resolves with evaluated arrays', async () => {
    const a = mx.add(mx.array([1, 2]), 2);
    await mx.asyncEval(a);
    expect(a.isEvaluated).toBe(true);
    expect(a.tolist()).toEqual([3, 4]);
  });
});
