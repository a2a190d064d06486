import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core as mx, nn, utils } from 'mlx-ts';
import * as subNn from 'mlx-ts/nn';

class MLP extends nn.Module {
  inProj = new nn.Linear(2, 4);
  blocks = [new nn.Linear(4, 4), new nn.ReLU()];
  extra = { scale: mx.array([2.0]) };
  outProj = new nn.Linear(4, 1);
  forward(x: mx.array): mx.array {
    let y = nn.relu(this.inProj.forward(x));
    for (const b of this.blocks) y = b.forward(y);
    return mx.multiply(this.outProj.forward(y), this.extra.scale);
  }
}

const keys = (t: unknown) => utils.treeFlatten(t).map(([k]) => k);

describe('nn.Module', () => {
  it('is reachable as mlx-ts/nn too', () => {
    expect(subNn.Module).toBe(nn.Module);
  });

  it('mx.eval(model), mx.tidy returning the model, mx.dispose(model)', () => {
    const m = new MLP();
    m.update(utils.treeMap((p: mx.array) => mx.add(p, 1), m.parameters()) as never);
    const leaves = () => utils.treeFlatten(m.parameters()).map(([, v]) => v as mx.array);
    expect(leaves().every((p) => !p.isEvaluated)).toBe(true);
    mx.eval(m);
    expect(leaves().every((p) => p.isEvaluated)).toBe(true);
    // a training step's tidy keeps the new parameters when it returns the model
    mx.tidy(() => {
      m.update(utils.treeMap((p: mx.array) => mx.multiply(p, 2), m.parameters()) as never);
      mx.eval(m);
      return m;
    });
    const x = mx.ones([3, 2]);
    expect(m.forward(x).shape).toEqual([3, 1]);
    const kept = leaves();
    mx.dispose(m);
    expect(() => kept[0]!.item()).toThrow();
  });

  it('parameters, children, leaf modules, named modules', () => {
    const m = new MLP();
    expect(keys(m.parameters())).toEqual([
      'inProj.weight', 'inProj.bias', 'blocks.0.weight', 'blocks.0.bias', 'extra.scale', 'outProj.weight', 'outProj.bias',
    ]);
    expect(m.parameters()['blocks']).toHaveLength(2);
    expect((m.parameters()['blocks'] as unknown[])[1]).toEqual({});
    expect(utils.treeFlatten(m.children(), '', nn.Module.isModule).map(([k]) => k)).toEqual(['inProj', 'blocks.0', 'blocks.1', 'outProj']);
    expect(utils.treeFlatten(m.leafModules(), '', nn.Module.isModule).map(([k]) => k)).toEqual(['inProj', 'blocks.0', 'blocks.1', 'outProj']);
    expect(m.namedModules().map(([k]) => k).sort()).toEqual(['', 'blocks.0', 'blocks.1', 'inProj', 'outProj']);
    expect(m.modules()).toHaveLength(5);
    expect(String(m)).toContain('inProj: Linear(inputDims=2, outputDims=4, bias=true)');
  });

  it('freeze / unfreeze: all, by key, recursive or not, strict', () => {
    const m = new MLP();
    m.freeze();
    expect(keys(m.trainableParameters())).toEqual([]);
    m.unfreeze(true, 'bias');
    expect(keys(m.trainableParameters())).toEqual(['inProj.bias', 'blocks.0.bias', 'outProj.bias']);
    m.unfreeze();
    m.freeze(false); // only this module's own arrays (extra.scale)
    expect(keys(m.trainableParameters())).not.toContain('extra.scale');
    expect(keys(m.trainableParameters())).toContain('inProj.weight');
    expect(() => m.inProj.freeze(true, 'nope', true)).toThrow(/doesn't contain member nope/);
    m.inProj.freeze(true, 'nope'); // not strict: ignored
    expect(keys(new nn.Linear(2, 2).freeze().unfreeze().trainableParameters())).toEqual(['weight', 'bias']);
  });

  it('update is strict by default; apply, setDtype', () => {
    const m = new nn.Linear(2, 3);
    const w = mx.ones([3, 2]);
    m.update({ weight: w });
    expect(m.weight).toBe(w);
    expect(() => m.update({ wieght: w })).toThrow(/does not have parameter named "wieght"/);
    expect(() => m.update({ weight: 3 as never })).toThrow(/invalid type: number/);
    m.update({ wieght: w }, false);
    m.apply((p) => mx.multiply(p, 0));
    expect(mx.arrayEqual(m.weight, mx.zeros([3, 2])).item()).toBe(true);
    m.setDtype(mx.float16);
    expect(m.weight.dtype).toBe(mx.float16);
    expect(m.bias!.dtype).toBe(mx.float16);
  });

  it('updateModules swaps submodules', () => {
    const m = new MLP();
    const r = new nn.Identity();
    m.updateModules({ blocks: [r] });
    expect(m.blocks[0]).toBe(r);
    expect(() => m.updateModules({ nope: r })).toThrow(/sub-module named "nope"/);
  });

  it('train / eval reach every submodule and change Dropout', () => {
    const m = new nn.Sequential(new nn.Dropout(0.5), new nn.Sequential(new nn.Linear(2, 2)));
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    const x = mx.ones([4, 4]);
    expect(mx.arrayEqual((m.layers[0] as nn.Dropout).forward(x), x).item()).toBe(true);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
  });

  it('saveWeights / loadWeights round trip through safetensors and npz (snake_case names)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlx-ts-nn-'));
    try {
      for (const ext of ['safetensors', 'npz']) {
        const a = new nn.BatchNorm(3);
        a.runningMean = mx.array([1, 2, 3]);
        const file = join(dir, `w.${ext}`);
        a.saveWeights(file);
        const loaded = mx.load(file) as Record<string, mx.array>;
        expect(Object.keys(loaded).sort()).toEqual(['bias', 'running_mean', 'running_var', 'weight']);
        const b = new nn.BatchNorm(3).loadWeights(file);
        expect(b.runningMean!.tolist()).toEqual([1, 2, 3]);
      }
      expect(() => new nn.Linear(2, 2).saveWeights(join(dir, 'w.bin'))).toThrow(/Unsupported file extension/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('loadWeights names missing, extra, mis-shaped and mistyped weights', () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.loadWeights([['weight', mx.ones([2, 2])]])).toThrow(/Missing 1 parameters: \nbias/);
    expect(() => m.loadWeights([['weight', mx.ones([2, 2])], ['bias', mx.ones([2])], ['b2', mx.ones([2])]])).toThrow(/Received 1 parameters not in model: \nb2/);
    expect(() => m.loadWeights([['weight', mx.ones([2, 2])], ['bias', mx.ones([3])]])).toThrow(/Expected shape \[2\] but received shape \[3\] for parameter bias/);
    expect(() => m.loadWeights([['weight', mx.ones([2, 2])], ['bias', 3 as never]])).toThrow(/Expected mx.array but received number/);
    m.loadWeights([['weight', mx.ones([2, 2])]], false);
    expect(m.weight.tolist()).toEqual([[1, 1], [1, 1]]);
  });

  it('nn.valueAndGrad: gradients of the trainable parameters only, model unchanged after', () => {
    const m = new nn.Linear(2, 1);
    m.update({ weight: mx.array([[1, 2]]), bias: mx.array([0.5]) });
    const before = m.weight;
    const x = mx.array([[1, 1], [2, 0]]);
    const [loss, g] = nn.valueAndGrad(m, (xx: mx.array) => mx.sum(m.forward(xx)))(x);
    expect((loss as mx.array).item()).toBe(3.5 + 2.5);
    expect((g['weight'] as mx.array).tolist()).toEqual([[3, 1]]);
    expect((g['bias'] as mx.array).tolist()).toEqual([2]);
    expect(m.weight).toBe(before);
    m.freeze(true, 'bias');
    const [, g2] = nn.valueAndGrad(m, (xx: mx.array) => mx.sum(m.forward(xx)))(x);
    expect(Object.keys(g2)).toEqual(['weight']);
  });

  it('nn.checkpoint gives the same gradients', () => {
    const m = new nn.Sequential(new nn.Linear(3, 4), nn.gelu, new nn.Linear(4, 1));
    const x = mx.random.normal([5, 3]);
    const f = nn.checkpoint(m);
    const [l1, g1] = nn.valueAndGrad(m, () => mx.sum(m.forward(x)))();
    const [l2, g2] = nn.valueAndGrad(m, () => mx.sum(f(x)))();
    expect(mx.allclose(l1 as mx.array, l2 as mx.array).item()).toBe(true);
    utils.treeMap((a: mx.array, b: mx.array) => expect(mx.allclose(a, b, 1e-5, 1e-6).item()).toBe(true), g1, [g2]);
  });
});
