// Sort, ArgSort, Partition, ArgPartition along one axis. Each line is sorted stably with NaN
// last (MLX's order; complex64 compares real then imaginary parts). Partition is done as a
// full stable sort, which satisfies the partition property; MLX's order within each side is
// unspecified. Values are moved as raw storage units so bits (NaN payloads, -0) are kept.
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import { readValues, lineLayout, type Values } from './reduce.js';

/** NaN-last total order on doubles (-0 and 0 compare equal, so stability keeps their order). */
function cmpNum(a: number, b: number): number {
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparator(vals: Values): (i: number, j: number) => number {
  if (vals.kind === 'num') {
    const v = vals.v;
    return (i, j) => cmpNum(v[i]!, v[j]!);
  }
  if (vals.kind === 'big') {
    const v = vals.v;
    return (i, j) => (v[i]! < v[j]! ? -1 : v[i]! > v[j]! ? 1 : 0);
  }
  const v = vals.v;
  return (i, j) => cmpNum(v[2 * i]!, v[2 * j]!) || cmpNum(v[2 * i + 1]!, v[2 * j + 1]!);
}

/** For every line along `axis`, the stable sorting permutation as positions 0..n-1 along the line. */
function sortLines(x: ArrayData, axis: number, visit: (base: number, inner: number, perm: number[]) => void): void {
  const { outer, n, inner } = lineLayout(x.shape, axis);
  const cmp = comparator(readValues(x));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const perm = Array.from({ length: n }, (_, k) => k);
      perm.sort((p, q) => cmp(base + p * inner, base + q * inner)); // Array#sort is stable
      visit(base, inner, perm);
    }
  }
}

function valuesKernel(prim: Primitive<any>, [x]: readonly ArrayData[], [out]: readonly ArrayData[]): void {
  const { axis } = prim.params as { axis: number };
  const offs = offsetsOf(x!);
  const lanes = x!.dtype.lanes;
  const src = elements(x!) as unknown as (number | bigint)[];
  const dst = elements(out!) as unknown as (number | bigint)[];
  sortLines(x!, axis, (base, inner, perm) => {
    perm.forEach((p, k) => {
      const from = offs[base + p * inner]! * lanes;
      const to = (base + k * inner) * lanes;
      for (let l = 0; l < lanes; l++) dst[to + l] = src[from + l]!;
    });
  });
}

function indicesKernel(prim: Primitive<any>, [x]: readonly ArrayData[], [out]: readonly ArrayData[]): void {
  const { axis } = prim.params as { axis: number };
  const dst = elements(out!) as Uint32Array;
  sortLines(x!, axis, (base, inner, perm) => {
    perm.forEach((p, k) => (dst[base + k * inner] = p));
  });
}

registerKernel('Sort', valuesKernel);
registerKernel('ArgSort', indicesKernel);
registerKernel('Partition', valuesKernel);
registerKernel('ArgPartition', indicesKernel);
