import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as mx from '@mlx-ts/core';

type Nested = number | Nested[];

const arange = (shape: number[], start = 0): mx.MxArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return mx.array(Array.from({ length: n }, (_, i) => i + start), mx.float32).reshape(shape);
};
/** An array of the given shape that is never materialized (einsumPath only needs shapes). */
const shaped = (shape: number[]): mx.MxArray => mx.broadcastTo(mx.array(0, mx.float32), shape);

function flatten(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x as number];
}

// ---------------------------------------------------------------------------------------------
// A plain float64 einsum used as the oracle: loops over every assignment of every letter.

interface Operand {
  shape: number[];
  data: number[];
}

function implicitOutput(terms: string[]): string {
  const counts = new Map<string, number>();
  for (const t of terms) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('');
}

function naiveEinsum(subscripts: string, ops: Operand[]): Operand {
  const [lhs, rhsGiven] = subscripts.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const out = rhsGiven ?? implicitOutput(terms);
  const size = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((c, k) => size.set(c, Math.max(size.get(c) ?? 1, ops[i]!.shape[k]!))));
  const letters = [...size.keys()];
  const outShape = [...out].map((c) => size.get(c)!);
  const outData = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  const idx = new Map<string, number>(letters.map((c) => [c, 0]));
  const flatIndex = (term: string, shape: number[]): number => {
    let f = 0;
    [...term].forEach((c, k) => {
      f = f * shape[k]! + (shape[k] === 1 ? 0 : idx.get(c)!); // size 1 broadcasts
    });
    return f;
  };
  const visit = (li: number): void => {
    if (li === letters.length) {
      let p = 1;
      terms.forEach((t, i) => {
        p *= ops[i]!.data[flatIndex(t, ops[i]!.shape)]!;
      });
      outData[flatIndex(out, outShape)]! += p;
      return;
    }
    const c = letters[li]!;
    for (let v = 0; v < size.get(c)!; v++) {
      idx.set(c, v);
      visit(li + 1);
    }
  };
  visit(0);
  return { shape: outShape, data: outData };
}

function toMx(op: Operand): mx.MxArray {
  return mx.array(op.data, mx.float32).reshape(op.shape);
}

// ---------------------------------------------------------------------------------------------

describe('einsum: hand-computed cases', () => {
  const A = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const B = [
    [1, 0],
    [2, 1],
    [0, 3],
  ];
  const AB = [
    [5, 11],
    [14, 23],
  ];

  it('matrix product, explicit and implicit output', () => {
    const a = mx.array(A, mx.float32);
    const b = mx.array(B, mx.float32);
    const r = mx.einsum('ij,jk->ik', a, b);
    expect(r.shape).toEqual([2, 2]);
    expect(r.dtype).toBe(mx.float32);
    expect(r.tolist()).toEqual(AB);
    expect(mx.einsum('ij,jk', a, b).tolist()).toEqual(AB);
    // the output order follows the output subscript
    expect(mx.einsum('ij,jk->ki', a, b).tolist()).toEqual([
      [5, 14],
      [11, 23],
    ]);
    // implicit mode sorts letters: 'jk,ij' is still (i, k)
    expect(mx.einsum('jk,ij', b, a).tolist()).toEqual(AB);
    // spaces are ignored
    expect(mx.einsum(' i j , j k -> i k ', a, b).tolist()).toEqual(AB);
  });

  it('matrix-vector and inner products', () => {
    const a = mx.array(A, mx.float32);
    expect(mx.einsum('ij,j->i', a, mx.array([1, 1, 1], mx.float32)).tolist()).toEqual([6, 15]);
    expect(mx.einsum('i,i', mx.array([1, 2, 3], mx.float32), mx.array([4, 5, 6], mx.float32)).item()).toBe(32);
    expect(mx.einsum('i,i->i', mx.array([1, 2, 3], mx.float32), mx.array([4, 5, 6], mx.float32)).tolist()).toEqual([
      4, 10, 18,
    ]);
  });

  it('batch matmul', () => {
    const a = arange([2, 2, 3]); // [[[0,1,2],[3,4,5]],[[6,7,8],[9,10,11]]]
    const b = arange([2, 3, 1]); // [[[0],[1],[2]],[[3],[4],[5]]]
    const r = mx.einsum('bij,bjk->bik', a, b);
    expect(r.shape).toEqual([2, 2, 1]);
    // batch 0: [0+1+4, 0+4+10] = [5, 14]; batch 1: [18+28+40, 27+40+55] = [86, 122]
    expect(r.tolist()).toEqual([[[5], [14]], [[86], [122]]]);
  });

  it('trace, diagonal, transpose, sum', () => {
    const m = arange([3, 3]); // 0..8
    expect(mx.einsum('ii', m).item()).toBe(12);
    expect(mx.einsum('ii->', m).item()).toBe(12);
    expect(mx.einsum('ii->i', m).tolist()).toEqual([0, 4, 8]);
    expect(mx.einsum('ij->ji', mx.array(A, mx.float32)).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(mx.einsum('ji', mx.array(A, mx.float32)).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(mx.einsum('ij->', mx.array(A, mx.float32)).item()).toBe(21);
    expect(mx.einsum('ij->j', mx.array(A, mx.float32)).tolist()).toEqual([5, 7, 9]);
    expect(mx.einsum('ij->i', mx.array(A, mx.float32)).tolist()).toEqual([6, 15]);
    expect(mx.einsum('ij', mx.array(A, mx.float32)).tolist()).toEqual(A);
  });

  it('repeated indices with three occurrences and in pairs', () => {
    const c = arange([2, 2, 2]); // c[i][i][i] = 0, 7
    expect(mx.einsum('iii->i', c).tolist()).toEqual([0, 7]);
    expect(mx.einsum('iii', c).item()).toBe(7);
    const d = arange([2, 3, 2, 3]); // d[i,j,i,j] = i*18 + j*6 + i*3 + j = 21i + 7j
    expect(mx.einsum('ijij->ij', d).tolist()).toEqual([
      [0, 7, 14],
      [21, 28, 35],
    ]);
    expect(mx.einsum('ijij->ji', d).tolist()).toEqual([
      [0, 21],
      [7, 28],
      [14, 35],
    ]);
    // a diagonal inside a contraction: sum_i m[i,i] * v[i]
    expect(mx.einsum('ii,i->', arange([3, 3]), mx.array([1, 2, 3], mx.float32)).item()).toBe(0 + 8 + 24);
  });

  it('outer products', () => {
    const r = mx.einsum('i,j->ij', mx.array([1, 2], mx.float32), mx.array([3, 4, 5], mx.float32));
    expect(r.tolist()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(mx.einsum('i,j', mx.array([1, 2], mx.float32), mx.array([3, 4, 5], mx.float32)).tolist()).toEqual(r.tolist());
    expect(mx.einsum('i,j->ji', mx.array([1, 2], mx.float32), mx.array([3, 4, 5], mx.float32)).tolist()).toEqual([
      [3, 6],
      [4, 8],
      [5, 10],
    ]);
  });

  it('ellipsis broadcasting', () => {
    const a = arange([2, 2, 3]);
    const b = mx.array(B, mx.float32);
    // (2,2,3) @ (3,2) per batch
    const r = mx.einsum('...ij,...jk->...ik', a, b);
    expect(r.shape).toEqual([2, 2, 2]);
    // [0,1,2]@B = [2,7]; [3,4,5]@B = [11,19]; [6,7,8]@B = [20,31]; [9,10,11]@B = [29,43]
    expect(r.tolist()).toEqual([
      [
        [2, 7],
        [11, 19],
      ],
      [
        [20, 31],
        [29, 43],
      ],
    ]);
    expect(mx.einsum('...ij,...jk', a, b).tolist()).toEqual(r.tolist());
    // ellipsis in the middle and at the end; sum over the ellipsis when the output omits it
    expect(mx.einsum('i...->...', arange([2, 3])).tolist()).toEqual([3, 5, 7]);
    expect(mx.einsum('...i->...', arange([2, 3])).tolist()).toEqual([3, 12]);
    expect(mx.einsum('...', arange([2, 3])).tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(mx.einsum('i...->', arange([2, 3])).item()).toBe(15);
    // ellipses of different lengths line up on the right
    expect(mx.einsum('...,...->...', arange([2, 3]), mx.array([1, 10, 100], mx.float32)).tolist()).toEqual([
      [0, 10, 200],
      [3, 40, 500],
    ]);
    // an empty ellipsis
    expect(mx.einsum('...i,...i', mx.array([1, 2], mx.float32), mx.array([3, 4], mx.float32)).item()).toBe(11);
  });

  it('three and four operands (greedy path)', () => {
    const a = mx.array(A, mx.float32); // 2x3
    const b = mx.array(B, mx.float32); // 3x2
    const c = mx.array(
      [
        [1, 1, 0],
        [0, 1, 1],
      ],
      mx.float32,
    ); // 2x3
    // AB @ C = [[5,16,11],[14,37,23]]
    expect(mx.einsum('ij,jk,kl->il', a, b, c).tolist()).toEqual([
      [5, 16, 11],
      [14, 37, 23],
    ]);
    expect(mx.einsum('ij,jk,kl', a, b, c).tolist()).toEqual([
      [5, 16, 11],
      [14, 37, 23],
    ]);
    // sum of all elements of A*B^T elementwise: trace(A B) = 5 + 23
    expect(mx.einsum('ij,ji->', a, b).item()).toBe(28);
    expect(mx.einsum('ij,jk,ki->', a, b, mx.array([[1, 0], [0, 1]], mx.float32)).item()).toBe(28);
    // i,i,i,i with size-1 broadcasting
    const r = mx.einsum(
      'i,i,i,i->i',
      mx.array([2], mx.float32),
      mx.array([1, 2, 3], mx.float32),
      mx.array([1], mx.float32),
      mx.array([1, 1, 2], mx.float32),
    );
    expect(r.tolist()).toEqual([2, 4, 12]);
  });

  it('scalars and empty subscripts', () => {
    expect(mx.einsum('', mx.array(3, mx.float32)).item()).toBe(3);
    expect(mx.einsum('->', mx.array(3, mx.float32)).item()).toBe(3);
    const r = mx.einsum(',', mx.array(3, mx.float32), mx.array(2));
    expect(r.shape).toEqual([]);
    expect(r.dtype).toBe(mx.float32);
    expect(r.item()).toBe(6);
    expect(mx.einsum(',i', mx.array(2, mx.float32), mx.array([1, 2, 3], mx.float32)).tolist()).toEqual([2, 4, 6]);
    expect(mx.einsum('i,->', mx.array([1, 2, 3], mx.float32), mx.array(2, mx.float32)).item()).toBe(12);
  });

  it('size-1 dimensions broadcast across operands', () => {
    // j has size 1 in a: sum_j a[i,0] * b[j,k]
    const a = mx.array([[1], [2]], mx.float32);
    const b = arange([3, 2]);
    expect(mx.einsum('ij,jk', a, b).tolist()).toEqual([
      [6, 9],
      [12, 18],
    ]);
    expect(mx.einsum('ij,jk', mx.broadcastTo(mx.array(1, mx.float32), [2, 1]), mx.broadcastTo(mx.array(1, mx.float32), [3, 4])).tolist()).toEqual([
      [3, 3, 3, 3],
      [3, 3, 3, 3],
    ]);
  });

  it('empty dimensions give zeros', () => {
    const e = (shape: number[]): mx.MxArray => mx.array([], mx.float32).reshape(shape);
    expect(mx.einsum('ij,jk', e([2, 0]), e([0, 3])).tolist()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(mx.einsum('ij->i', e([2, 0])).tolist()).toEqual([0, 0]);
    const ones = mx.broadcastTo(mx.array(1, mx.float32), [3, 2]);
    expect(mx.einsum('ij,jk,kl', e([2, 0]), e([0, 3]), ones).tolist()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(mx.einsum('ij,jk->ik', arange([2, 3]), e([3, 0])).shape).toEqual([2, 0]);
  });

  it('dtypes follow the composed ops', () => {
    // multiply + sum: small ints accumulate in int32 (as MLX's sum)
    const r = mx.einsum('ij->', mx.array([[1, 2], [3, 4]], mx.int8));
    expect(r.dtype).toBe(mx.int32);
    expect(r.item()).toBe(10);
    expect(mx.einsum('i,i->i', mx.array([1, 2], mx.int32), mx.array([3, 4], mx.int32)).tolist()).toEqual([3, 8]);
    expect(mx.einsum('i,i->i', mx.array([1, 2], mx.int32), mx.array([0.5, 1], mx.float32)).dtype).toBe(mx.float32);
  });

  it('accepts node-mlx list operands, JS values and a stream', () => {
    const a = mx.array(A, mx.float32);
    const b = mx.array(B, mx.float32);
    expect(mx.einsum('ij,jk->ik', [a, b]).tolist()).toEqual(AB);
    expect(mx.einsum('ij,jk->ik', [a, b], mx.cpu).tolist()).toEqual(AB);
    expect(mx.einsum('ij,jk->ik', a, b, mx.cpu).tolist()).toEqual(AB);
    expect(mx.einsum('ij,jk->ik', a, b, mx.defaultStream()).tolist()).toEqual(AB);
    expect(mx.einsum('ij->ji', [[1, 2]]).tolist()).toEqual([[1], [2]]);
    expect(mx.einsum('i,i', [1.5, 2], [3, 4]).item()).toBe(12.5);
  });
});

describe('einsum: against a float64 loop oracle', () => {
  // Random terms over a few letters, each letter with one size (or 1 in some operands),
  // an explicit or implicit output, small integer values (float32 sums are exact).
  const caseArb = fc
    .record({
      nOps: fc.integer({ min: 1, max: 4 }),
      sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      seed: fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
      explicit: fc.boolean(),
    })
    .map(({ nOps, sizes, seed, explicit }) => {
      let k = 0;
      const next = (n: number): number => seed[k++ % seed.length]! % n;
      const letters = 'abcd';
      const terms: string[] = [];
      const shapes: number[][] = [];
      for (let i = 0; i < nOps; i++) {
        const len = next(4);
        let t = '';
        for (let j = 0; j < len; j++) t += letters[next(4)];
        terms.push(t);
        const ones = new Set([...t].filter(() => next(6) === 0)); // some letters broadcast from 1
        shapes.push([...t].map((c) => (ones.has(c) ? 1 : sizes[letters.indexOf(c)]!)));
      }
      let sub = terms.join(',');
      if (explicit) {
        const used = [...new Set(terms.join(''))];
        const out = used.filter(() => next(2) === 0);
        for (let i = out.length - 1; i > 0; i--) {
          const j = next(i + 1);
          [out[i], out[j]] = [out[j]!, out[i]!];
        }
        sub += '->' + out.join('');
      }
      const data = shapes.map((sh) => Array.from({ length: sh.reduce((a, b) => a * b, 1) }, () => next(7) - 3));
      return { sub, ops: shapes.map((shape, i) => ({ shape, data: data[i]! })) };
    });

  it('matches the oracle for random subscripts (diagonals, sums, broadcasting, greedy paths)', () => {
    fc.assert(
      fc.property(caseArb, ({ sub, ops }) => {
        const want = naiveEinsum(sub, ops);
        const got = mx.einsum(sub, ...ops.map(toMx));
        expect(got.shape).toEqual(want.shape);
        expect(flatten(got.tolist()).map((v) => v + 0)).toEqual(want.data.map((v) => v + 0)); // -0 vs 0 aside
      }),
      { numRuns: 150 },
    );
  });

  it('matches the oracle for classic contractions with random values', () => {
    const cases: [string, number[][]][] = [
      ['ij,jk->ik', [[3, 4], [4, 2]]],
      ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
      ['bij,bkj->bik', [[2, 3, 4], [2, 2, 4]]],
      ['ijk,jil->kl', [[2, 3, 4], [3, 2, 2]]],
      ['ea,fb,abcd,gc,hd->efgh', [[2, 2], [2, 2], [2, 2, 2, 2], [2, 2], [2, 2]]],
      ['ab,bc,cd,de->ae', [[2, 3], [3, 4], [4, 2], [2, 3]]],
      ['abc,cd,bd,a->', [[2, 3, 2], [2, 3], [3, 3], [2]]],
      ['iij,jk->ik', [[2, 2, 3], [3, 2]]],
      ['ij,ij->i', [[3, 4], [3, 4]]],
      ['i,j,k->kji', [[2], [3], [2]]],
    ];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 64, maxLength: 64 }), (vals) => {
        for (const [sub, shapes] of cases) {
          let k = 0;
          const ops = shapes.map((shape) => ({
            shape,
            data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => vals[k++ % vals.length]!),
          }));
          const want = naiveEinsum(sub, ops);
          const got = mx.einsum(sub, ...ops.map(toMx));
          expect(got.shape).toEqual(want.shape);
          expect(flatten(got.tolist()).map((v) => v + 0)).toEqual(want.data.map((v) => v + 0));
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('einsumPath: captured from MLX 0.32.4', () => {
  const summary = (sub: string, ns: number, os: number, nc: number, oc: number): string =>
    `  Complete contraction:  ${sub}\n` +
    `         Naive scaling:  ${ns}\n` +
    `     Optimized scaling:  ${os}\n` +
    `      Naive FLOP count:  ${nc}\n` +
    `  Optimized FLOP count:  ${oc}\n`;

  const cases: [string, number[][], number[][], string][] = [
    ['ij,jk->ik', [[2, 3], [3, 4]], [[0, 1]], summary('ij,jk->ik', 3, 3, 48, 48)],
    ['ij,jk,kl->il', [[2, 3], [3, 4], [4, 5]], [[1, 2], [0, 1]], summary('ij,jk,kl->il', 4, 3, 360, 180)],
    [
      'ea,fb,abcd,gc,hd->efgh',
      [[10, 10], [10, 10], [10, 10, 10, 10], [10, 10], [10, 10]],
      [[0, 2], [0, 3], [0, 2], [0, 1]],
      summary('ea,fb,abcd,gc,hd->efgh', 8, 5, 500000000, 800000),
    ],
    ['i,j,k', [[2], [3], [4]], [[0, 1], [0, 1]], summary('i,j,k', 3, 3, 48, 30)],
    [
      'ij,jk,kl,lm->im',
      [[2, 3], [3, 4], [4, 5], [5, 6]],
      [[2, 3], [1, 2], [0, 1]],
      summary('ij,jk,kl,lm->im', 5, 3, 2880, 456),
    ],
    ['...ij,...jk', [[5, 2, 3], [3, 4]], [[0, 1]], summary('...ij,...jk', 4, 4, 240, 240)],
    ['bij,bjk->bik', [[8, 2, 3], [8, 3, 4]], [[0, 1]], summary('bij,bjk->bik', 4, 4, 384, 384)],
    [
      'ab,bc,cd,de,ef->af',
      [[30, 2], [2, 30], [30, 2], [2, 30], [30, 2]],
      [[1, 2], [1, 2], [1, 2], [0, 1]],
      summary('ab,bc,cd,de,ef->af', 6, 3, 1080000, 736),
    ],
    ['i,i,i', [[1], [3], [1]], [[0, 1], [0, 1]], summary('i,i,i', 1, 1, 9, 9)],
    ['ii', [[3, 3]], [[0]], summary('ii', 1, 1, 6, 6)],
    ['iii->i', [[3, 3, 3]], [[0]], summary('iii->i', 1, 1, 3, 3)],
    ['->', [[]], [[0]], summary('->', 0, 0, 1, 1)],
    ['', [[]], [[0]], summary('', 0, 0, 1, 1)],
    ['i j , j k', [[2, 3], [3, 4]], [[0, 1]], summary('i j , j k', 3, 3, 48, 48)],
    ['ij,jk', [[2, 2], [1, 4]], [[0, 1]], summary('ij,jk', 3, 3, 32, 32)],
    ['i,,j', [[2], [], [2]], [[0, 1], [0, 1]], summary('i,,j', 2, 2, 8, 6)],
    ['a...,...b', [[5, 2, 3], [3, 4]], [[0, 1]], summary('a...,...b', 4, 4, 120, 120)],
    ['ij,jk', [[2, 0], [0, 3]], [[0, 1]], summary('ij,jk', 3, 3, 0, 0)],
    ['ij,jk,kl', [[2, 0], [0, 3], [3, 2]], [[1, 2], [0, 1]], summary('ij,jk,kl', 4, 3, 0, 0)],
    ['abc,cd,bd,a->', [[4, 5, 6], [6, 7], [5, 7], [4]], [[0, 3], [0, 1], [0, 1]], summary('abc,cd,bd,a->', 4, 3, 3360, 720)],
    // no pair fits the memory limit at the end: one naive step over the remaining three terms
    [
      'chic,,dhcA,bi,egi,gjb,bf',
      [[1, 7, 20, 1], [], [1, 1, 5, 3], [20, 20], [10, 5, 20], [5, 20, 20], [20, 7]],
      [[0, 2], [1, 5], [1, 4], [0, 3], [0, 1, 2]],
      summary('chic,,dhcA,bi,egi,gjb,bf', 10, 7, 2058000000, 1388400),
    ],
  ];

  it.each(cases)('%s', (sub, shapes, path, text) => {
    const [p, t] = mx.einsumPath(sub, ...shapes.map(shaped));
    expect(p).toEqual(path);
    expect(t).toBe(text);
    // node-mlx's list form gives the same
    expect(mx.einsumPath(sub, shapes.map(shaped))).toEqual([path, text]);
  });
});

describe('einsum / einsumPath: errors (MLX messages)', () => {
  const o = shaped;
  const cases: [string, mx.MxArray[], string][] = [
    ['ij,jk', [o([2, 3])], 'Number of operands, 1, does not match number of input subscripts, 2'],
    ['i,', [o([2])], 'Number of operands, 1, does not match number of input subscripts, 2'],
    ['i1', [o([2, 3])], "Subscripts must be letters, but got '1'."],
    ['ij,jk->->ik', [o([2, 3]), o([3, 4])], "Subscripts must be letters, but got '-'."],
    ['ij,jk->..', [o([2, 3]), o([3, 4])], "Subscripts must be letters, but got '.'."],
    ['i..', [o([2, 3])], "Subscripts must be letters, but got '.'."],
    ['ij,jk', [o([2, 3]), o([4, 4])], 'Cannot broadcast dimension 0 of input 1 with shape (4,4) to size 3.'],
    ['ij,j', [o([2, 3]), o([4])], 'Cannot broadcast dimension 0 of input 1 with shape (4) to size 3.'],
    ['ii', [o([2, 3])], 'Dimensions of repeated subscripts do not have the same size (2 != 3).'],
    ['ii', [o([2, 1])], 'Dimensions of repeated subscripts do not have the same size (2 != 1).'],
    ['i', [o([2, 3])], 'Invalid number of subscripts 1 for input 0 with 2 dimensions.'],
    ['ij->ii', [o([2, 3])], 'Repeat indices not allowed in output.'],
    ['...i...', [o([2, 3])], "Only one ellipsis per subscript is allowed but found more in '...i...'."],
    [
      '...ijk',
      [o([2, 3])],
      "Operand 0 with shape (2,3) has insufficient dimensions for subscript '...ijk'. The ellipsis requires at least 3 dimensions but the operand has 2 dimensions.",
    ],
    [
      '...ij',
      [o([3])],
      "Operand 0 with shape (3) has insufficient dimensions for subscript '...ij'. The ellipsis requires at least 2 dimensions but the operand has 1 dimensions.",
    ],
    ['ij', [], 'At least one operand is required.'],
  ];

  it.each(cases)('%s', (sub, ops, msg) => {
    expect(() => mx.einsum(sub, ...ops)).toThrow(`[einsum] ${msg}`);
    expect(() => mx.einsumPath(sub, ...ops)).toThrow(`[einsum_path] ${msg}`);
  });

  it('rejects output letters that no input has, and non-string subscripts', () => {
    // MLX fails inside transpose here; we name the letter
    expect(() => mx.einsum('ij->ijk', o([2, 3]))).toThrow("[einsum] Output subscript 'k' does not appear in any input subscript.");
    expect(() => mx.einsum(3 as unknown as string, o([2]))).toThrow('[einsum] subscripts must be a string');
    expect(() => mx.einsum('i', 'x' as unknown as mx.MxArray)).toThrow(/einsum/);
  });

  it('matmul of integer operands fails as in MLX', () => {
    const a = mx.array([[1, 2], [3, 4]], mx.int8);
    expect(() => mx.einsum('ij,jk', a, a)).toThrow(/\[matmul\]/);
  });
});
