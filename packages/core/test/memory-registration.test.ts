// The collector's registration of arrays (array.ts: one registration per array, deferred to the
// end of the task and skipped for arrays disposed or released by then): whatever path an array
// takes, its storage and its live-handle count are settled exactly once.
import { it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active, collectGarbage } from '../../../tests/util/memory.js';

it('more arrays than wait for registration in one synchronous run: all collected', async () => {
  await collectGarbage();
  const before = active();
  const handles = mx.getWrappersCount();
  (() => {
    // 3000 > PENDING_MAX (1024): registered partly synchronously, partly at the end of the task
    for (let i = 0; i < 1000; i++) {
      const x = mx.array(new Float32Array(100));
      const y = mx.add(x, x);
      mx.eval(mx.add(y, y));
    }
  })();
  expect(active()).toBeGreaterThan(before);
  expect(mx.getWrappersCount() - handles).toBe(3000);
  await collectGarbage();
  expect(active()).toBe(before);
  expect(mx.getWrappersCount()).toBe(handles);
});

it('disposed before registration: released at once, never counted twice', async () => {
  await collectGarbage();
  const before = active();
  const handles = mx.getWrappersCount();
  const a = mx.array(new Float32Array(1000));
  const b = mx.multiply(a, a);
  mx.eval(b);
  mx.dispose([a, b]);
  expect(active()).toBe(before);
  expect(mx.getWrappersCount()).toBe(handles);
  await collectGarbage();
  expect(active()).toBe(before);
  expect(mx.getWrappersCount()).toBe(handles);
});

it('disposed while a lazy array still reads it, then both dropped unevaluated: the collector releases it', async () => {
  await collectGarbage();
  const before = active();
  const handles = mx.getWrappersCount();
  (() => {
    const a = mx.array(new Float32Array(1000));
    mx.eval(a);
    const lazy = mx.add(a, a);
    mx.dispose(a); // kept: `lazy` may still be evaluated
    expect(active() - before).toBe(4000);
    void lazy;
  })();
  await collectGarbage();
  expect(active()).toBe(before);
  expect(mx.getWrappersCount()).toBe(handles);
});

it('disposed while a lazy array reads it, evaluated later: released once the reader is computed', () => {
  const before = active();
  const a = mx.array(new Float32Array(1000));
  mx.eval(a);
  const lazy = mx.add(a, a);
  mx.dispose(a);
  mx.eval(lazy);
  expect(active() - before).toBe(4000); // a's storage gone (or donated to lazy), lazy's held
  mx.dispose(lazy);
  expect(active()).toBe(before);
});
