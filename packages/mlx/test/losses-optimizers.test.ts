import { describe, expect, it } from 'vitest';
import { core as mx, nn, optimizers as optim, utils } from 'mlx-ts';
import * as subOptim from 'mlx-ts/optimizers';

const close = (a: mx.array, b: unknown, atol = 1e-5) => expect(mx.allclose(a, mx.array(b as number[]), 1e-5, atol).item(), `${a} vs ${JSON.stringify(b)}`).toBe(true);

describe('losses: hand-checked values, reductions, errors', () => {
  it('cross entropy of indices and of probabilities agree', () => {
    const logits = mx.array([[0, Math.log(3)]]); // softmax [0.25, 0.75]
    close(nn.losses.crossEntropy(logits, mx.array([1], mx.int32)), [-Math.log(0.75)]);
    close(nn.losses.crossEntropy(logits, mx.array([[0, 1]])), [-Math.log(0.75)]);
    expect(() => nn.losses.crossEntropy(logits, mx.array([1, 0], mx.int32))).toThrow(/does not match logits shape/);
    expect(() => nn.losses.crossEntropy(logits, mx.array([1], mx.int32), null, -1, 1)).toThrow(/Label smoothing/);
  });

  it('regression losses and reductions', () => {
    const p = mx.array([1, 2, 3]);
    const t = mx.array([1, 0, 6]);
    close(nn.losses.mseLoss(p, t, 'none'), [0, 4, 9]);
    close(nn.losses.mseLoss(p, t), 13 / 3);
    close(nn.losses.l1Loss(p, t, 'sum'), 5);
    close(nn.losses.huberLoss(p, t, 1, 'none'), [0, 1.5, 2.5]);
    close(nn.losses.smoothL1Loss(p, t, 1, 'none'), [0, 1.5, 2.5]);
    close(nn.losses.hingeLoss(mx.array([0.5, -2]), mx.array([1, -1])), [0.5, 0]);
    expect(() => nn.losses.mseLoss(p, mx.zeros([2]))).toThrow(/does not match targets shape/);
    expect(() => nn.losses.mseLoss(p, t, 'avg' as never)).toThrow(/Invalid reduction/);
  });

  it('gradients flow through losses', () => {
    const g = mx.grad((x: mx.array) => nn.losses.mseLoss(x, mx.zeros([2]), 'sum'))(mx.array([1, -2]));
    close(g, [2, -4]);
  });
});

describe('optimizers', () => {
  it('is reachable as mlx-ts/optimizers too', () => {
    expect(subOptim.Adam).toBe(optim.Adam);
  });

  it('SGD with momentum by hand', () => {
    const opt = new optim.SGD(0.1, 0.5);
    let p: any = { w: mx.array([1.0]) };
    const g = { w: mx.array([2.0]) };
    p = opt.applyGradients(g, p); // v = 2, w = 1 - 0.2
    close(p.w, [0.8]);
    p = opt.applyGradients(g, p); // v = 0.5*2 + 2 = 3, w = 0.8 - 0.3
    close(p.w, [0.5]);
    expect(opt.step.item()).toBe(2);
    expect(opt.step.dtype).toBe(mx.uint64);
    expect(() => new optim.SGD(0.1, 0, 0, 0, true)).toThrow(/Nesterov/);
  });

  it('Adam by hand (no bias correction, as MLX)', () => {
    const opt = new optim.Adam(0.1);
    const p = opt.applyGradients({ w: mx.array([1.0]) }, { w: mx.array([0.0]) });
    // m = 0.1, v = 0.001: w = -0.1 * 0.1 / (sqrt(0.001) + 1e-8)
    close(p.w, [(-0.1 * 0.1) / (Math.sqrt(0.001) + 1e-8)], 1e-6);
    expect(() => new optim.Adam(0.1, [1, 0.9])).toThrow(/beta1 should be in \[0, 1\)/);
  });

  it('state save and restore: a restored optimizer continues identically', () => {
    mx.random.seed(1);
    const model = new nn.Linear(3, 2);
    const x = mx.random.normal([4, 3]);
    const lossGrad = nn.valueAndGrad(model, () => mx.sum(mx.square(model.forward(x))));
    const a = new optim.AdamW(0.01);
    for (let i = 0; i < 2; i++) a.update(model, lossGrad()[1]);
    const saved = utils.treeFlatten(a.state);
    expect(saved.map(([k]) => k).sort()).toEqual(['bias.m', 'bias.v', 'learningRate', 'step', 'weight.m', 'weight.v']);
    const params = model.parameters();
    const b = new optim.AdamW(0.01);
    b.state = utils.treeUnflatten(saved);
    const [, g] = lossGrad();
    const fromA = a.applyGradients(g, params);
    const fromB = b.applyGradients(g, params);
    utils.treeMap((u: mx.array, v: mx.array) => expect(mx.arrayEqual(u, v).item()).toBe(true), fromA, [fromB]);
    expect(b.step.item()).toBe(3);
  });

  it('a training loop lowers the loss', () => {
    mx.random.seed(2);
    const model = new nn.Sequential(new nn.Linear(2, 8), nn.relu, new nn.Linear(8, 1));
    const X = mx.random.normal([32, 2]);
    const Y = mx.sum(X, 1, true);
    const opt = new optim.Adam(0.05);
    const lossAndGrad = nn.valueAndGrad(model, (x: mx.array, y: mx.array) => nn.losses.mseLoss(model.forward(x), y));
    const first = (lossAndGrad(X, Y)[0] as mx.array).item() as number;
    for (let i = 0; i < 50; i++) {
      mx.tidy(() => {
        const [, grads] = lossAndGrad(X, Y);
        opt.update(model, grads);
        mx.eval(model.parameters(), opt.state);
        return [model.parameters(), opt.state];
      });
    }
    const last = (lossAndGrad(X, Y)[0] as mx.array).item() as number;
    expect(last).toBeLessThan(first / 10);
  });

  it('MultiOptimizer splits parameters by filter; state round trip', () => {
    const params = { w: mx.ones([2, 2]), b: mx.ones([2]) };
    const grads = { w: mx.ones([2, 2]), b: mx.ones([2]) };
    const opt = new optim.MultiOptimizer([new optim.SGD(1), new optim.SGD(0.5)], [(_, w) => w.ndim > 1]);
    const out = opt.applyGradients(grads, params);
    close(out.w, [[0, 0], [0, 0]]);
    close(out.b, [0.5, 0.5]);
    expect(() => (opt.state = { states: [] })).toThrow(/Invalid state/);
    expect(() => new optim.MultiOptimizer([new optim.SGD(1)], [() => true])).toThrow(/Given 1 filters but 0 needed/);
  });

  it('clipGradNorm', () => {
    const [c, n] = optim.clipGradNorm({ a: mx.array([3.0]), b: [mx.array([4.0])] }, 1);
    close(n, 5);
    close(c.a as mx.array, [0.6]);
    close((c.b as mx.array[])[0]!, [0.8]);
    expect(() => optim.clipGradNorm({}, -1)).toThrow(/max_norm/);
  });

  it('schedules', () => {
    close(optim.exponentialDecay(0.1, 0.5)(3), 0.0125);
    close(optim.stepDecay(1, 0.5, 2)(5), 0.25);
    close(optim.linearSchedule(0, 1, 4)(2), 0.5);
    close(optim.cosineDecay(1, 2)(1), 0.5);
    const j = optim.joinSchedules([optim.linearSchedule(0, 1, 2), optim.exponentialDecay(1, 0.5)], [2]);
    close(mx.stack([0, 1, 2, 3].map((s) => j(s))), [0, 0.5, 1, 0.5]);
    expect(() => optim.stepDecay(1, 0.5, 0)).toThrow(/step_size/);
    const opt = new optim.SGD(optim.stepDecay(1, 0.5, 1));
    opt.applyGradients({ w: mx.array([1.0]) }, { w: mx.array([0.0]) });
    opt.applyGradients({ w: mx.array([1.0]) }, { w: mx.array([0.0]) });
    close(opt.learningRate, 0.5);
    opt.learningRate = 0.3;
    close(opt.learningRate, 0.3);
  });
});
