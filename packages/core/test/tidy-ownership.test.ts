// mx.tidy disposes only what it owns: each scope owns the arrays that its own code (its async
// continuations included) creates, never those of an interleaved scope, of unrelated code, or
// the library's own state (the global random key, compile's traced constants). Interleavings
// are ordered with explicit gates, never with timers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as mx from '@mlx-ts/core';
import { active } from '../../../tests/util/memory.js';

/** A promise the test resolves when it chooses. */
function gate(): { done: Promise<void>; open(): void } {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

const isDisposed = (a: mx.MxArray): boolean => {
  try {
    void a.shape;
    return false;
  } catch {
    return true;
  }
};

describe('async tidy owns only what its own code creates', () => {
  it("interleaved async tidies: neither disposes the other's result", async () => {
    const a = gate();
    const b = gate();
    let madeInA!: mx.MxArray;
    let madeInB!: mx.MxArray;
    const pendingA = mx.tidy(async () => {
      await a.done;
      madeInA = mx.array([1]);
      return mx.add(madeInA, 1);
    });
    const pendingB = mx.tidy(async () => {
      await b.done;
      madeInB = mx.array([10]);
      return mx.multiply(madeInB, 2);
    });
    b.open();
    const resultB = await pendingB; // B settles first, while A is still pending
    a.open();
    const resultA = await pendingA;
    expect(resultB.tolist()).toEqual([20]);
    expect(resultA.tolist()).toEqual([2]);
    expect(isDisposed(madeInA) && isDisposed(madeInB)).toBe(true);
    mx.dispose(resultA, resultB);
  });

  it('an array a scope makes while another scope is open stays its own', async () => {
    const resumeA = gate();
    const madeA = gate();
    const finishA = gate();
    const resumeB = gate();
    const pendingA = mx.tidy(async () => {
      await resumeA.done;
      const mine = mx.array([1, 2]);
      madeA.open();
      await finishA.done;
      return mine.sum(); // `mine` must still be alive after B settled
    });
    const pendingB = mx.tidy(async () => {
      await resumeB.done;
      return mx.array([5]);
    });
    resumeA.open();
    await madeA.done;
    resumeB.open();
    const resultB = await pendingB;
    finishA.open();
    const resultA = await pendingA;
    expect(resultA.item()).toBe(3);
    expect(resultB.tolist()).toEqual([5]);
    mx.dispose(resultA, resultB);
  });

  it("a sync tidy's result and plain arrays outlive an unrelated pending async tidy", async () => {
    const g = gate();
    const pending = mx.tidy(async () => {
      await g.done;
      return mx.array([0]);
    });
    const kept = mx.tidy(() => mx.array([4]));
    const plain = mx.array([5]);
    g.open();
    const result = await pending;
    expect(kept.tolist()).toEqual([4]);
    expect(plain.tolist()).toEqual([5]);
    mx.dispose(kept, plain, result);
  });

  it('nested async tidies hand results to the scope that opened them', async () => {
    const before = active();
    let inner!: mx.MxArray;
    let made!: mx.MxArray;
    const outer = await mx.tidy(async () => {
      inner = await mx.tidy(async () => {
        await Promise.resolve();
        made = mx.array([1]);
        return mx.add(made, 1);
      });
      expect(isDisposed(made)).toBe(true);
      expect(inner.tolist()).toEqual([2]);
      await Promise.resolve();
      return mx.multiply(inner, 3);
    });
    expect(isDisposed(inner)).toBe(true); // the outer scope owned it
    expect(outer.tolist()).toEqual([6]);
    mx.dispose(outer);
    expect(active()).toBe(before);
  });

  it('arrays made by a callback that runs after its scope closed are not disposed by it', async () => {
    const later = gate();
    let late!: mx.MxArray;
    mx.tidy(() => {
      void Promise.resolve().then(async () => {
        await later.done;
        late = mx.array([9]);
      });
      return 0;
    });
    later.open();
    await new Promise<void>((r) => setTimeout(r, 0));
    expect(late.tolist()).toEqual([9]);
    mx.dispose(late);
  });
});

describe('tidy leaves the library state alone', () => {
  it('the global random key survives a tidy that advanced or seeded it', () => {
    mx.random.seed(3);
    const expected = [mx.random.uniform(0, 1, [2]).tolist(), mx.random.uniform(0, 1, [2]).tolist()];
    mx.random.seed(3);
    const first = mx.tidy(() => mx.random.uniform(0, 1, [2]).tolist());
    expect([first, mx.random.uniform(0, 1, [2]).tolist()]).toEqual(expected);
    mx.tidy(() => mx.random.seed(3));
    expect(mx.random.uniform(0, 1, [2]).tolist()).toEqual(expected[0]);
  });

  it("compile's traced constants survive the tidy that first called the function", () => {
    const f = mx.compile((x: mx.MxArray) => mx.add(mx.multiply(x, mx.array(3)), 1));
    const first = mx.tidy(() => {
      const y = f(mx.array([1, 2]));
      mx.eval(y);
      return y.tolist();
    });
    expect(first).toEqual([4, 7]);
    expect(f(mx.array([1, 2])).tolist()).toEqual([4, 7]);
  });
});

// Where AsyncLocalStorage is missing (browsers), a scope is current only during fn's synchronous
// part: an async tidy owns what it made before its first await and nothing else.
describe('without AsyncLocalStorage (the fallback)', () => {
  let ownership: typeof import('../src/ownership.js');
  beforeAll(async () => {
    ownership = await import('../src/ownership.js');
    expect(ownership.asyncContextAvailable()).toBe(true); // Node has it
    ownership.useAsyncContext(false);
  });
  afterAll(() => ownership.useAsyncContext(true));

  it('an async tidy disposes what it made before its first await, and nothing made later', async () => {
    const g = gate();
    let early!: mx.MxArray;
    let late!: mx.MxArray;
    const pending = mx.tidy(async () => {
      early = mx.array([1]);
      await g.done;
      late = mx.array([2]);
      return mx.add(early, late);
    });
    const plain = mx.array([3]);
    g.open();
    const result = await pending;
    expect(result.tolist()).toEqual([3]);
    expect(isDisposed(early)).toBe(true);
    expect(late.tolist()).toEqual([2]); // left to mx.dispose / the garbage collector
    expect(plain.tolist()).toEqual([3]);
    mx.dispose(result, late, plain);
  });

  it("interleaved scopes never dispose each other's arrays", async () => {
    const a = gate();
    const b = gate();
    let madeInA!: mx.MxArray;
    const pendingA = mx.tidy(async () => {
      await a.done;
      madeInA = mx.array([1]);
      return madeInA;
    });
    const pendingB = mx.tidy(async () => {
      await b.done;
      return mx.tidy(() => mx.array([7]));
    });
    const kept = mx.tidy(() => mx.array([4]));
    a.open();
    b.open();
    const [resultA, resultB] = await Promise.all([pendingA, pendingB]);
    expect([resultA.tolist(), resultB.tolist(), kept.tolist()]).toEqual([[1], [7], [4]]);
    expect(madeInA.tolist()).toEqual([1]);
    mx.dispose(resultA, resultB, kept);
  });

  it('synchronous tidies nest as before', () => {
    const before = active();
    let inner!: mx.MxArray;
    const out = mx.tidy(() => {
      inner = mx.tidy(() => mx.array([1]));
      return mx.add(inner, 1);
    });
    expect(isDisposed(inner)).toBe(true);
    expect(out.tolist()).toEqual([2]);
    mx.dispose(out);
    expect(active()).toBe(before);
  });
});
