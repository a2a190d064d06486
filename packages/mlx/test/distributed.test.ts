// The distributed parts of mlx.nn on mlx-ts's singleton group: nn.averageGradients,
// nn.clipGradNormSharded, the sharded linear layers (plain and quantized), shardLinear /
// shardInplace and FullyShardedModule / fullyShard. Each is run against the real MLX 0.32.4 on
// its own singleton group with the same weights: same outputs, same gradients.
import { describe, expect, it } from 'vitest';
import { core as mx, nn, optimizers as optim, utils } from 'mlx-ts';
import { mlxAvailable, runMlx } from './mlx-python.js';

const HAVE_MLX = mlxAvailable();
const key = mx.random.key(7);
const [k1, k2, k3, k4] = mx.random.split(key, 4);
const W = mx.random.normal([12, 64], mx.float32, null, null, k1); // [out, in]
const B = mx.random.normal([12], mx.float32, null, null, k2);
const X = mx.random.normal([3, 64], mx.float32, null, null, k3);
const W2 = mx.random.normal([8, 12], mx.float32, null, null, k4);

const maxDiff = (a: mx.array, b: mx.array) => mx.max(mx.abs(mx.subtract(a, b))).item() as number;
const keysOf = (t: unknown) => utils.treeFlatten(t).map(([k]) => k).sort();
const linear = (bias = true) => {
  const l = new nn.Linear(64, 12, bias);
  l.weight = W;
  if (bias) l.bias = B;
  return l;
};
/** The layer's output, the input's gradient and the trainable parameters' gradients. */
function run(layer: nn.Module, x = X) {
  const y = layer.forward(x) as mx.array;
  const dx = mx.grad((a: mx.array) => mx.square(layer.forward(a) as mx.array).sum())(x);
  const [, grads] = nn.valueAndGrad(layer, (a: mx.array) => mx.square(layer.forward(a) as mx.array).sum())(x);
  return { y, dx, grads };
}
const PY_RUN = `
def run(layer, x):
    y = layer(x)
    dx = mx.grad(lambda a: mx.square(layer(a)).sum())(x)
    # MLX's value_and_grad refuses a model with nothing trainable (mlx-ts gives {} back)
    grads = nn.value_and_grad(layer, lambda a: mx.square(layer(a)).sum())(x)[1] if tree_flatten(layer.trainable_parameters()) else {}
    return {'y': y, 'dx': dx, 'grads': grads, 'trainable': sorted(k for k, _ in tree_flatten(layer.trainable_parameters())), 'params': sorted(k for k, _ in tree_flatten(layer.parameters()))}
def linear(bias=True):
    l = nn.Linear(64, 12, bias=bias)
    l.weight = W
    if bias: l.bias = B
    return l
from mlx.nn.layers.distributed import shard_linear, shard_inplace
from mlx.nn.utils import average_gradients, clip_grad_norm_sharded
`;
function expectSame(got: ReturnType<typeof run>, want: any, layer: nn.Module, tol: number) {
  expect(maxDiff(got.y, want.y)).toBeLessThanOrEqual(tol);
  expect(got.y.dtype).toBe(want.y.dtype);
  expect(maxDiff(got.dx, want.dx)).toBeLessThanOrEqual(tol * 10);
  expect(keysOf(got.grads)).toEqual(keysOf(want.grads));
  for (const [k, g] of utils.treeFlatten(got.grads)) expect(maxDiff(g, utils.treeFlatten(want.grads).find(([kk]) => kk === k)![1])).toBeLessThanOrEqual(tol * 10);
  expect(keysOf(layer.trainableParameters())).toEqual(want.trainable);
  expect(keysOf(layer.parameters())).toEqual(want.params);
}

describe('nn.averageGradients and nn.clipGradNormSharded', () => {
  it('averageGradients gives the gradients back unchanged on the singleton group', () => {
    const grads = { a: mx.ones([3]), b: [mx.zeros([2, 2], mx.float16)] };
    expect(nn.averageGradients(grads)).toBe(grads);
    expect(nn.averageGradients(grads, mx.distributed.init(), 0, mx.cpu)).toBe(grads);
  });
  it.skipIf(!HAVE_MLX)('clipGradNormSharded: the clipped gradients and the norm, as MLX', () => {
    const grads = { w: W, b: [B, mx.multiply(B, 0.01)] };
    for (const maxNorm of [1, 1e6]) {
      const [clipped, norm] = nn.clipGradNormSharded(grads, maxNorm);
      const want = runMlx(`${PY_RUN}\nc, n = clip_grad_norm_sharded(g, ${maxNorm})\nout = {'c': c, 'n': n, 'avg': average_gradients(g)}`, { g: grads });
      expect(maxDiff(norm, want.n)).toBeLessThanOrEqual(1e-4 * (norm.item() as number));
      for (const [k, v] of utils.treeFlatten(clipped)) expect(maxDiff(v, utils.treeFlatten(want.c).find(([kk]) => kk === k)![1])).toBeLessThanOrEqual(1e-5);
      for (const [k, v] of utils.treeFlatten(want.avg)) expect(maxDiff(v, utils.treeFlatten(grads).find(([kk]) => kk === k)![1])).toBe(0);
    }
  });
});

describe('the sharded linear layers on the singleton group', () => {
  it('keep the whole weights, whatever the segments', () => {
    for (const segments of [1, 2, 4, [4, 8], [0.25, 0.5]] as const) {
      const a = nn.shardLinear(linear(), 'all-to-sharded', segments as never) as nn.AllToShardedLinear;
      const s = nn.shardLinear(linear(), 'sharded-to-all', segments as never) as nn.ShardedToAllLinear;
      expect(a).toBeInstanceOf(nn.AllToShardedLinear);
      expect(s).toBeInstanceOf(nn.ShardedToAllLinear);
      for (const l of [a, s]) {
        expect(maxDiff(l.weight, W)).toBe(0);
        expect(maxDiff(l.bias!, B)).toBe(0);
      }
    }
    expect(String(nn.AllToShardedLinear.fromLinear(linear(false)))).toBe('AllToShardedLinear(inputDims=64, outputDims=12, bias=false)');
    expect(String(new nn.ShardedToAllLinear(6, 4))).toBe('ShardedToAllLinear(inputDims=6, outputDims=4, bias=true)');
    expect(new nn.AllToShardedLinear(5, 3).weight.shape).toEqual([3, 5]);
  });

  it('train in a model: mx.eval, toString and an optimizer step see only their arrays', () => {
    const m = new nn.Sequential(nn.shardLinear(linear(), 'all-to-sharded'), new nn.ReLU(), nn.shardLinear(new nn.Linear(12, 8), 'sharded-to-all'));
    const opt = new optim.SGD(0.1);
    const [loss, grads] = nn.valueAndGrad(m, (a: mx.array) => mx.square(m.forward(a)).mean())(X);
    opt.update(m, grads);
    mx.eval(m, opt.state, loss);
    expect(keysOf(grads)).toEqual(['layers.0.bias', 'layers.0.weight', 'layers.2.bias', 'layers.2.weight']);
    expect(maxDiff((m.layers[0] as nn.AllToShardedLinear).weight, mx.subtract(W, mx.multiply(0.1, (grads as any).layers[0].weight)))).toBe(0);
    expect(String(m)).toContain('layers.0: AllToShardedLinear(inputDims=64, outputDims=12, bias=true)');
  });

  it('reject what MLX rejects', () => {
    expect(() => nn.shardLinear(linear(), 'rows' as never)).toThrow("Sharding type sharding='rows' not supported, choose one of 'all-to-sharded' or 'sharded-to-all'");
    expect(() => nn.shardInplace(linear(), (() => 'x') as never)).toThrow('The sharding function should return int or tuple[int, list]');
  });

  it.skipIf(!HAVE_MLX).each([
    ['AllToShardedLinear', 'all-to-sharded', true],
    ['ShardedToAllLinear', 'sharded-to-all', true],
    ['AllToShardedLinear', 'all-to-sharded', false],
    ['ShardedToAllLinear', 'sharded-to-all', false],
  ] as const)('%s (%s, bias %s): outputs and gradients as MLX', (cls, sharding, bias) => {
    const l = nn.shardLinear(linear(bias), sharding);
    expect(l.constructor.name).toBe(cls);
    const want = runMlx(`${PY_RUN}\nl = shard_linear(linear(${bias ? 'True' : 'False'}), '${sharding}')\nassert type(l).__name__ == '${cls}'\nout = run(l, X)`, { W, B, X });
    expectSame(run(l), want, l, 1e-5);
  });

  it.skipIf(!HAVE_MLX).each([
    ['QuantizedAllToShardedLinear', 'all-to-sharded', 'affine', 64, 4],
    ['QuantizedShardedToAllLinear', 'sharded-to-all', 'affine', 32, 8],
    ['QuantizedAllToShardedLinear', 'all-to-sharded', 'mxfp4', 32, 4],
    ['QuantizedShardedToAllLinear', 'sharded-to-all', 'mxfp8', 32, 8],
  ] as const)('%s (%s, %s): frozen, outputs and input gradients as MLX', (cls, sharding, mode, groupSize, bits) => {
    const ql = nn.QuantizedLinear.fromLinear(linear(), groupSize, bits, mode);
    const l = nn.shardLinear(ql, sharding) as nn.QuantizedAllToShardedLinear;
    expect(l.constructor.name).toBe(cls);
    expect([l.groupSize, l.bits, l.mode]).toEqual([groupSize, bits, mode]);
    expect(String(l)).toBe(`${cls}(inputDims=64, outputDims=12, bias=true, groupSize=${groupSize}, bits=${bits}, mode=${mode})`);
    l.unfreeze();
    const want = runMlx(
      `${PY_RUN}\nql = nn.QuantizedLinear.from_linear(linear(), ${groupSize}, ${bits}, '${mode}')\nl = shard_linear(ql, '${sharding}')\nassert type(l).__name__ == '${cls}'\nl.unfreeze()\nout = run(l, X)`,
      { W, B, X },
    );
    expectSame(run(l), want, l, 1e-4);
    // from the constructor: the same shapes as MLX's (the weights are random)
    const fresh = new (cls === 'QuantizedAllToShardedLinear' ? nn.QuantizedAllToShardedLinear : nn.QuantizedShardedToAllLinear)(64, 12, true, groupSize, bits, mode);
    const shapes = runMlx(`from mlx.nn.layers.distributed import ${cls}\nl = ${cls}(64, 12, True, ${groupSize}, ${bits}, '${mode}')\nout = {k: list(v.shape) for k, v in tree_flatten(l.parameters())}`);
    expect(Object.fromEntries(utils.treeFlatten(fresh.parameters()).map(([k, v]) => [k, v.shape]))).toEqual(shapes);
  });
});

class MLP extends nn.Module {
  layers: nn.Module[];
  constructor() {
    super();
    this.layers = [linear(), new nn.ReLU(), new nn.Linear(12, 8, false)];
    (this.layers[2] as nn.Linear).weight = W2;
  }
  forward(x: mx.array): mx.array {
    return this.layers.reduce((h, l) => l.forward(h) as mx.array, x);
  }
}
const PY_MLP = `
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [linear(), nn.ReLU(), nn.Linear(12, 8, bias=False)]
        self.layers[2].weight = W2
    def __call__(self, x):
        for l in self.layers: x = l(x)
        return x
`;

describe('shardInplace, FullyShardedModule and fullyShard on the singleton group', () => {
  it('shardInplace keeps the parameters; a predicate sees every path', () => {
    const m = new MLP();
    nn.shardInplace(m, 'all-to-sharded', 2);
    nn.shardInplace(m, 'sharded-to-all');
    const seen: string[] = [];
    nn.shardInplace(m, (p, w) => (seen.push(`${p}:${w.ndim}`), p.endsWith('weight') ? [0, [0.5]] : null));
    expect(seen).toEqual(['layers.0.weight:2', 'layers.0.bias:1', 'layers.2.weight:2']);
    expect(maxDiff((m.layers[0] as nn.Linear).weight, W)).toBe(0);
    expect(maxDiff((m.layers[2] as nn.Linear).weight, W2)).toBe(0);
  });

  it('fullyShard gives the module back unchanged, as MLX on one process', () => {
    const m = new MLP();
    expect(nn.fullyShard(m)).toBe(m);
    expect(nn.fullyShard(m, mx.distributed.init(), mx.float16)).toBe(m);
  });

  it.skipIf(!HAVE_MLX).each([null, mx.float16])('FullyShardedModule (computeDtype %s): outputs and gradients as MLX', (computeDtype) => {
    const m = new nn.FullyShardedModule(new MLP(), null, computeDtype);
    expect(String(m).startsWith('FullyShardedModule(numShardedParams=3')).toBe(true);
    expect(keysOf(m.parameters())).toEqual(['module.layers.0.bias', 'module.layers.0.weight', 'module.layers.2.weight']);
    const pyDtype = computeDtype ? 'mx.float16' : 'None';
    const want = runMlx(`${PY_RUN}${PY_MLP}\nm = nn.FullyShardedModule(MLP(), compute_dtype=${pyDtype})\nout = run(m, X)`, { W, B, X, W2 });
    expectSame(run(m), want, m, computeDtype ? 2e-2 : 1e-4);
    // the gathered parameters went back to the shards
    expect((m.module.layers[0] as nn.Linear).weight.dtype).toBe(mx.float32);
  });

  it('FullyShardedModule refuses scalar parameters', () => {
    const m = new nn.Linear(2, 2);
    m.scale = mx.array(2);
    expect(() => new nn.FullyShardedModule(m)).toThrow("Cannot shard parameter 'scale' because it is a scalar.");
  });
});
