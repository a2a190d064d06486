import { describe, expect, it } from 'vitest';
import { core as mx, nn, utils } from 'mlx-ts';
import * as subUtils from 'mlx-ts/utils';

describe('utils: trees', () => {
  it('is reachable as mlx-ts/utils too', () => {
    expect(subUtils.treeMap).toBe(utils.treeMap);
  });

  it('treeMap over lists and objects, with extra trees and isLeaf', () => {
    expect(utils.treeMap((x: number) => x + 1, { a: [1, 2], b: { c: 3 } })).toEqual({ a: [2, 3], b: { c: 4 } });
    expect(utils.treeMap((x: number, y: number) => x * y, [1, [2, 3]], [[10, [20, 30]]])).toEqual([10, [40, 90]]);
    expect(utils.treeMap((x: number[]) => x.length, { a: [1, 2], b: [3] }, undefined, Array.isArray)).toEqual({ a: 2, b: 1 });
  });

  it('treeMapWithPath gives dotted paths', () => {
    const paths: string[] = [];
    utils.treeMapWithPath((p: string) => paths.push(p), { a: [1, { b: 2 }], c: 3 });
    expect(paths).toEqual(['a.0', 'a.1.b', 'c']);
  });

  it('treeFlatten / treeUnflatten round trip, prefix, key conversion', () => {
    const tree = { layers: [{ weight: 1, someBias: 2 }, {}, { weight: 3 }], top: 4 };
    const flat = utils.treeFlatten(tree);
    expect(flat).toEqual([['layers.0.weight', 1], ['layers.0.someBias', 2], ['layers.2.weight', 3], ['top', 4]]);
    // The empty {} in the middle comes back from the index gap.
    expect(utils.treeUnflatten(flat)).toEqual(tree);
    expect(utils.treeFlatten({ a: 1 }, 'p')).toEqual([['p.a', 1]]);
    expect(utils.treeFlatten(tree, '', null, utils.toSnakeCase).map(([k]) => k)).toContain('layers.0.some_bias');
    expect(utils.treeUnflatten([['a.some_bias', 1]], utils.toCamelCase)).toEqual({ a: { someBias: 1 } });
    expect(utils.treeUnflatten([['', 5]])).toBe(5);
    // Keys like '01' are not list indices.
    expect(utils.treeUnflatten([['01', 1], ['1', 2]])).toEqual({ '01': 1, '1': 2 });
  });

  it('treeReduce with and without an initializer', () => {
    expect(utils.treeReduce((a: number, b: number) => a + b, { a: [1, 2], b: 3 })).toBe(6);
    expect(utils.treeReduce((a: number, b: number) => a + b, { a: [1, 2], b: 3 }, 10)).toBe(16);
  });

  it('treeMerge merges disjoint trees and refuses collisions', () => {
    expect(utils.treeMerge({ a: [1, {}] }, { a: [null, 2], b: 3 })).toEqual({ a: [1, 2], b: 3 });
    expect(() => utils.treeMerge({ a: 1 }, { a: 2 })).toThrow(/no merge function/);
    expect(utils.treeMerge({ a: 1 }, { a: 2 }, (x: number, y: number) => x + y)).toEqual({ a: 3 });
  });

  it('modules are dicts in trees; arrays are leaves', () => {
    const m = new nn.Linear(2, 3);
    const flat = utils.treeFlatten(m);
    expect(flat.map(([k]) => k)).toEqual(['weight', 'bias']);
    expect(flat[0]![1]).toBe(m.weight);
    const shapes = utils.treeMap((x: mx.array) => x.shape, m.parameters());
    expect(shapes).toEqual({ weight: [3, 2], bias: [3] });
  });

  it('snake and camel case', () => {
    expect(utils.toSnakeCase('runningMean')).toBe('running_mean');
    expect(utils.toSnakeCase('Wxh')).toBe('Wxh');
    expect(utils.toCamelCase('query_proj')).toBe('queryProj');
  });
});
