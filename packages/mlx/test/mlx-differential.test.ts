// The same modules, losses and optimizer steps in the real MLX 0.32.4 and in mlx-ts: weights
// are copied from mlx-ts into MLX (`load_weights`), then outputs, gradients with respect to
// every parameter, running statistics and optimizer updates are compared.
import { describe, expect, it } from 'vitest';
import { core as mx, nn, optimizers as optim, utils } from 'mlx-ts';
import { mlxAvailable, runMlx } from './mlx-python.js';

const HAVE_MLX = mlxAvailable();
const d = HAVE_MLX ? describe : describe.skip;

function expectClose(a: mx.array, b: mx.array, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(a.shape, `${what}: shape`).toEqual(b.shape);
  const diff = mx.max(mx.abs(mx.subtract(a.astype(mx.float32), b.astype(mx.float32)))).item() as number;
  const scale = mx.max(mx.abs(b.astype(mx.float32))).item() as number;
  expect(diff, `${what}: max |diff| ${diff}`).toBeLessThanOrEqual(atol + rtol * scale);
}

const weightsOf = (m: nn.Module) => Object.fromEntries(utils.treeFlatten(m.parameters(), '', null, utils.toSnakeCase));

interface LayerCase {
  name: string;
  make: () => nn.Module;
  py: string; // the Python constructor
  inputs: () => mx.array[];
  /** Python call on the inputs x0, x1, ... (default: model(x0, x1, ...)). */
  call?: string;
  ts?: (m: any, xs: mx.array[]) => mx.array;
  /** MLX 0.32.4's input gradient has the wrong shape here (convolutions with input dilation):
   * only its shape, the input's, is checked. */
  mlxInputGradBroken?: boolean;
}

const rnd = (...shape: number[]) => mx.random.normal(shape);

const layerCases: LayerCase[] = [
  { name: 'Linear', make: () => new nn.Linear(4, 3), py: 'nn.Linear(4, 3)', inputs: () => [rnd(2, 5, 4)] },
  { name: 'Linear no bias', make: () => new nn.Linear(4, 3, false), py: 'nn.Linear(4, 3, bias=False)', inputs: () => [rnd(5, 4)] },
  { name: 'Bilinear', make: () => new nn.Bilinear(3, 4, 2), py: 'nn.Bilinear(3, 4, 2)', inputs: () => [rnd(5, 3), rnd(5, 4)] },
  { name: 'Embedding', make: () => new nn.Embedding(10, 4), py: 'nn.Embedding(10, 4)', inputs: () => [mx.array([[1, 3, 9], [0, 3, 2]], mx.int32)] },
  { name: 'LayerNorm', make: () => new nn.LayerNorm(6), py: 'nn.LayerNorm(6)', inputs: () => [rnd(3, 4, 6)] },
  { name: 'RMSNorm', make: () => new nn.RMSNorm(6), py: 'nn.RMSNorm(6)', inputs: () => [rnd(3, 4, 6)] },
  { name: 'GroupNorm', make: () => new nn.GroupNorm(2, 6), py: 'nn.GroupNorm(2, 6)', inputs: () => [rnd(2, 5, 6)] },
  { name: 'GroupNorm pytorch', make: () => new nn.GroupNorm(3, 6, 1e-5, true, true), py: 'nn.GroupNorm(3, 6, pytorch_compatible=True)', inputs: () => [rnd(2, 4, 3, 6)] },
  { name: 'InstanceNorm', make: () => new nn.InstanceNorm(6, 1e-5, true), py: 'nn.InstanceNorm(6, affine=True)', inputs: () => [rnd(2, 5, 6)] },
  { name: 'BatchNorm', make: () => new nn.BatchNorm(6), py: 'nn.BatchNorm(6)', inputs: () => [rnd(4, 3, 6)] },
  { name: 'PReLU', make: () => new nn.PReLU(), py: 'nn.PReLU()', inputs: () => [rnd(4, 6)] },
  {
    name: 'MultiHeadAttention',
    make: () => new nn.MultiHeadAttention(8, 2),
    py: 'nn.MultiHeadAttention(8, 2)',
    inputs: () => [rnd(2, 5, 8), rnd(2, 7, 8), nn.MultiHeadAttention.createAdditiveCausalMask(7).index(mx.Slice(0, 5))],
    call: 'model(x0, x1, x1, x2)',
    ts: (m, [q, kv, mask]) => m.forward(q, kv, kv, mask),
  },
  {
    name: 'MultiHeadAttention bias, dims',
    make: () => new nn.MultiHeadAttention(8, 4, 6, 5, null, 12, 7, true),
    py: 'nn.MultiHeadAttention(8, 4, 6, 5, None, 12, 7, bias=True)',
    inputs: () => [rnd(2, 3, 6), rnd(2, 4, 5)],
    call: 'model(x0, x1, x1)',
    ts: (m, [q, kv]) => m.forward(q, kv, kv),
  },
  { name: 'RNN', make: () => new nn.RNN(3, 5), py: 'nn.RNN(3, 5)', inputs: () => [rnd(2, 4, 3)] },
  { name: 'RNN relu, hidden', make: () => new nn.RNN(3, 5, false, nn.relu), py: 'nn.RNN(3, 5, bias=False, nonlinearity=nn.relu)', inputs: () => [rnd(4, 3), rnd(5)], call: 'model(x0, x1)', ts: (m, [x, h]) => m.forward(x, h) },
  { name: 'GRU', make: () => new nn.GRU(3, 5), py: 'nn.GRU(3, 5)', inputs: () => [rnd(2, 4, 3), rnd(2, 5)], call: 'model(x0, x1)', ts: (m, [x, h]) => m.forward(x, h) },
  { name: 'GRU no hidden', make: () => new nn.GRU(3, 5), py: 'nn.GRU(3, 5)', inputs: () => [rnd(4, 3)] },
  {
    name: 'LSTM',
    make: () => new nn.LSTM(3, 5),
    py: 'nn.LSTM(3, 5)',
    inputs: () => [rnd(2, 4, 3)],
    call: 'mx.concatenate(model(x0), -1)',
    ts: (m, [x]) => mx.concatenate(m.forward(x), -1),
  },
  {
    name: 'TransformerEncoder',
    make: () => new nn.TransformerEncoder(2, 8, 2, 16),
    py: 'nn.TransformerEncoder(2, 8, 2, 16)',
    inputs: () => [rnd(2, 5, 8), nn.MultiHeadAttention.createAdditiveCausalMask(5)],
    call: 'model(x0, x1)',
    ts: (m, [x, mask]) => m.forward(x, mask),
  },
  {
    name: 'Transformer post-norm',
    make: () => new nn.Transformer(8, 2, 1, 1, 16, 0, nn.gelu, null, null, false),
    py: 'nn.Transformer(8, 2, 1, 1, 16, 0.0, nn.gelu, None, None, False)',
    inputs: () => [rnd(2, 5, 8), rnd(2, 3, 8)],
    call: 'model(x0, x1, None, None, None)',
    ts: (m, [s, t]) => m.forward(s, t, null, null, null),
  },
  { name: 'RoPE', make: () => new nn.RoPE(6), py: 'nn.RoPE(6)', inputs: () => [rnd(2, 3, 5, 8)], call: 'model(x0, offset=3)', ts: (m, [x]) => m.forward(x, 3) },
  { name: 'RoPE traditional', make: () => new nn.RoPE(8, true, 500, 0.5), py: 'nn.RoPE(8, True, 500, 0.5)', inputs: () => [rnd(3, 5, 8)] },
  { name: 'ALiBi', make: () => new nn.ALiBi(), py: 'nn.ALiBi()', inputs: () => [rnd(1, 6, 4, 5)], call: 'model(x0, offset=1)', ts: (m, [x]) => m.forward(x, 1) },
  { name: 'SinusoidalPositionalEncoding', make: () => new nn.SinusoidalPositionalEncoding(8, 0.01, 1, null, true), py: 'nn.SinusoidalPositionalEncoding(8, 0.01, 1, None, True)', inputs: () => [mx.arange(6)] },
  { name: 'Conv1d', make: () => new nn.Conv1d(3, 4, 3), py: 'nn.Conv1d(3, 4, 3)', inputs: () => [rnd(2, 9, 3)] },
  { name: 'Conv1d stride, padding, dilation, groups, no bias', make: () => new nn.Conv1d(4, 6, 3, 2, 2, 2, 2, false), py: 'nn.Conv1d(4, 6, 3, 2, 2, 2, 2, bias=False)', inputs: () => [rnd(2, 11, 4)] },
  { name: 'Conv2d', make: () => new nn.Conv2d(3, 5, 3), py: 'nn.Conv2d(3, 5, 3)', inputs: () => [rnd(2, 7, 6, 3)] },
  { name: 'Conv2d tuples, groups', make: () => new nn.Conv2d(4, 6, [3, 2], [2, 1], [1, 2], [1, 2], 2), py: 'nn.Conv2d(4, 6, (3, 2), (2, 1), (1, 2), (1, 2), 2)', inputs: () => [rnd(2, 7, 6, 4)] },
  { name: 'Conv3d', make: () => new nn.Conv3d(2, 3, [2, 3, 2], 1, [1, 0, 1]), py: 'nn.Conv3d(2, 3, (2, 3, 2), 1, (1, 0, 1))', inputs: () => [rnd(1, 4, 5, 4, 2)] },
  { name: 'ConvTranspose1d', make: () => new nn.ConvTranspose1d(3, 4, 3, 2, 1, 1, 1), py: 'nn.ConvTranspose1d(3, 4, 3, 2, 1, 1, 1)', inputs: () => [rnd(2, 6, 3)] },
  { name: 'ConvTranspose2d', make: () => new nn.ConvTranspose2d(3, 5, 3), py: 'nn.ConvTranspose2d(3, 5, 3)', inputs: () => [rnd(2, 4, 5, 3)] },
  { name: 'ConvTranspose2d stride, padding, dilation, output padding, no bias', make: () => new nn.ConvTranspose2d(4, 2, [3, 2], [2, 3], [1, 0], [2, 1], [1, 2], false), py: 'nn.ConvTranspose2d(4, 2, (3, 2), (2, 3), (1, 0), (2, 1), (1, 2), bias=False)', inputs: () => [rnd(2, 4, 3, 4)], mlxInputGradBroken: true },
  { name: 'ConvTranspose3d', make: () => new nn.ConvTranspose3d(2, 3, 2, 2), py: 'nn.ConvTranspose3d(2, 3, 2, 2)', inputs: () => [rnd(1, 3, 2, 3, 2)] },
  { name: 'MaxPool2d', make: () => new nn.MaxPool2d(3, 2, 1), py: 'nn.MaxPool2d(3, 2, 1)', inputs: () => [rnd(2, 7, 6, 3)] },
  { name: 'AvgPool1d', make: () => new nn.AvgPool1d(3, 2, 1), py: 'nn.AvgPool1d(3, 2, 1)', inputs: () => [rnd(2, 9, 3)] },
  { name: 'AvgPool3d', make: () => new nn.AvgPool3d(2), py: 'nn.AvgPool3d(2)', inputs: () => [rnd(1, 4, 4, 4, 2)] },
  { name: 'Upsample linear', make: () => new nn.Upsample([2, 1.5], 'linear'), py: "nn.Upsample((2, 1.5), 'linear')", inputs: () => [rnd(1, 3, 4, 2)] },
  { name: 'Upsample cubic corners', make: () => new nn.Upsample(2, 'cubic', true), py: "nn.Upsample(2, 'cubic', True)", inputs: () => [rnd(1, 3, 4, 2)] },
  { name: 'Upsample linear antialias', make: () => new nn.Upsample(0.5, 'linear', false, true), py: "nn.Upsample(0.5, 'linear', False, True)", inputs: () => [rnd(1, 6, 8, 2)] },
  { name: 'Upsample nearest 1.5', make: () => new nn.Upsample(1.5), py: 'nn.Upsample(1.5)', inputs: () => [rnd(1, 4, 4, 2)] },
];

d('layers against MLX: outputs and parameter gradients', () => {
  for (const c of layerCases) {
    it(c.name, () => {
      mx.random.seed(7);
      const model = c.make();
      const xs = c.inputs();
      const call = (m: any) => (c.ts ? c.ts(m, xs) : m.forward(...xs));
      const y = call(model);
      const hasParams = utils.treeFlatten(model.parameters()).length > 0;
      const [loss, grads] = nn.valueAndGrad(model, () => mx.sum(mx.square(call(model))))();
      // The gradient with respect to the first input too, when it is a float array.
      const withInputGrad = mx.issubdtype(xs[0]!.dtype, mx.floating);
      const gx = withInputGrad ? mx.grad((x0: mx.array) => mx.sum(mx.square(c.ts ? c.ts(model, [x0, ...xs.slice(1)]) : model.forward(x0, ...xs.slice(1)))))(xs[0]!) : null;
      const inputs: Record<string, unknown> = { weights: weightsOf(model) };
      xs.forEach((x, i) => (inputs[`x${i}`] = x));
      const args = xs.map((_, i) => `x${i}`).join(', ');
      const pyCall = c.call ?? `model(${args})`;
      const res = runMlx(
        `model = ${c.py}
w = list(weights.items())
if w: model.load_weights(w)
y = ${pyCall}
def f(params):
    model.update(params)
    return mx.sum(mx.square(${pyCall}))
def h(x0):
    return mx.sum(mx.square(${pyCall}))
out = {'y': y, 'loss': h(x0)}
if ${hasParams ? 'True' : 'False'}:
    out['grads'] = dict(tree_flatten(mx.grad(f)(model.trainable_parameters())))
if ${withInputGrad ? 'True' : 'False'}:
    out['gx'] = mx.grad(h)(x0)`,
        inputs,
      );
      expectClose(y, res.y, 'output');
      expectClose(loss as mx.array, res.loss, 'loss', 1e-4, 1e-4);
      const ours = Object.fromEntries(utils.treeFlatten(grads, '', null, utils.toSnakeCase).filter(([, v]) => v instanceof mx.MxArray));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(res.grads ?? {}).sort());
      for (const k of Object.keys(ours)) expectClose(ours[k], res.grads[k], `grad ${k}`, 2e-4, 1e-4);
      if (gx && c.mlxInputGradBroken) expect(gx.shape).toEqual(xs[0]!.shape);
      else if (gx) expectClose(gx, res.gx, 'input gradient', 2e-4, 1e-4);
    });
  }

  it('BatchNorm running statistics, then evaluation mode', () => {
    mx.random.seed(3);
    const bn = new nn.BatchNorm(4);
    const x1 = rnd(6, 4);
    const x2 = mx.add(mx.multiply(rnd(3, 2, 4), 2), 1);
    bn.forward(x1);
    bn.forward(x2);
    bn.eval();
    const y = bn.forward(x1);
    const res = runMlx(
      `bn = nn.BatchNorm(4)
bn(x1); bn(x2)
bn.eval()
out = {'mean': bn.running_mean, 'var': bn.running_var, 'y': bn(x1)}`,
      { x1, x2 },
    );
    expectClose(bn.runningMean!, res.mean, 'running mean');
    expectClose(bn.runningVar!, res.var, 'running var');
    expectClose(y, res.y, 'eval output');
  });

  it('activation functions', () => {
    const x = mx.multiply(rnd(40), 3);
    const names: [string, (x: mx.array) => mx.array][] = [
      ['sigmoid', nn.sigmoid], ['relu', nn.relu], ['relu2', nn.relu2], ['relu6', nn.relu6], ['leaky_relu', (v) => nn.leakyRelu(v, 0.1)],
      ['log_softmax', nn.logSoftmax], ['elu', nn.elu], ['softmax', nn.softmax], ['softplus', nn.softplus], ['softsign', nn.softsign],
      ['softshrink', nn.softshrink], ['celu', (v) => nn.celu(v, 1.5)], ['silu', nn.silu], ['log_sigmoid', nn.logSigmoid], ['gelu', nn.gelu],
      ['gelu_approx', nn.geluApprox], ['gelu_fast_approx', nn.geluFastApprox], ['glu', nn.glu], ['selu', nn.selu], ['mish', nn.mish],
      ['hardswish', nn.hardswish], ['hard_tanh', nn.hardTanh], ['hard_shrink', nn.hardShrink], ['softmin', nn.softmin], ['step', nn.step],
    ];
    const py: Record<string, string> = { leaky_relu: 'lambda v: nn.leaky_relu(v, 0.1)', celu: 'lambda v: nn.celu(v, 1.5)' };
    const res = runMlx(`out = {${names.map(([n]) => `'${n}': (${py[n] ?? `nn.${n}`})(x)`).join(', ')}}`, { x });
    for (const [n, f] of names) {
      const y = f(x);
      expect(y.dtype, n).toBe(res[n].dtype);
      expectClose(y, res[n], n, 1e-5, 1e-6);
    }
  });
});

d('losses against MLX: values and gradients', () => {
  const p = () => mx.multiply(rnd(4, 5), 2);
  const cases: [string, string, () => mx.array[], (xs: mx.array[]) => mx.array][] = [
    ['cross_entropy indices', "nn.losses.cross_entropy(x0, x1, reduction='mean')", () => [p(), mx.array([0, 4, 2, 1], mx.int32)], ([a, b]) => nn.losses.crossEntropy(a!, b!, null, -1, 0, 'mean')],
    ['cross_entropy probs, weights, smoothing', 'nn.losses.cross_entropy(x0, x1, x2, label_smoothing=0.2)', () => [p(), mx.softmax(rnd(4, 5), -1), mx.array([1, 2, 0.5, 1])], ([a, b, w]) => nn.losses.crossEntropy(a!, b!, w, -1, 0.2)],
    ['cross_entropy axis 0', "nn.losses.cross_entropy(x0, x1, axis=0, reduction='sum')", () => [p(), mx.array([0, 3, 2, 1, 1], mx.int32)], ([a, b]) => nn.losses.crossEntropy(a!, b!, null, 0, 0, 'sum')],
    ['binary_cross_entropy logits', 'nn.losses.binary_cross_entropy(x0, x1)', () => [p(), mx.random.bernoulli(0.5, [4, 5]).astype(mx.float32)], ([a, b]) => nn.losses.binaryCrossEntropy(a!, b!)],
    ['binary_cross_entropy probs', "nn.losses.binary_cross_entropy(x0, x1, with_logits=False, reduction='none')", () => [mx.sigmoid(p()), mx.random.bernoulli(0.5, [4, 5]).astype(mx.float32)], ([a, b]) => nn.losses.binaryCrossEntropy(a!, b!, null, false, 'none')],
    ['l1_loss', 'nn.losses.l1_loss(x0, x1)', () => [p(), p()], ([a, b]) => nn.losses.l1Loss(a!, b!)],
    ['mse_loss', "nn.losses.mse_loss(x0, x1, 'sum')", () => [p(), p()], ([a, b]) => nn.losses.mseLoss(a!, b!, 'sum')],
    ['nll_loss', 'nn.losses.nll_loss(x0, x1)', () => [mx.subtract(p(), mx.logsumexp(p(), -1, true)), mx.array([0, 4, 2, 1], mx.int32)], ([a, b]) => nn.losses.nllLoss(a!, b!)],
    ['gaussian_nll_loss', 'nn.losses.gaussian_nll_loss(x0, x1, x2, full=True)', () => [p(), p(), mx.exp(p())], ([a, b, v]) => nn.losses.gaussianNllLoss(a!, b!, v!, true)],
    ['kl_div_loss', 'nn.losses.kl_div_loss(x0, x1)', () => [p(), p()].map((v) => nn.logSoftmax(v)), ([a, b]) => nn.losses.klDivLoss(a!, b!)],
    ['smooth_l1_loss', 'nn.losses.smooth_l1_loss(x0, x1, 0.7)', () => [p(), p()], ([a, b]) => nn.losses.smoothL1Loss(a!, b!, 0.7)],
    ['triplet_loss', "nn.losses.triplet_loss(x0, x1, x2, p=3, margin=0.5, reduction='mean')", () => [p(), p(), p()], ([a, b, c]) => nn.losses.tripletLoss(a!, b!, c!, -1, 3, 0.5, 1e-6, 'mean')],
    ['hinge_loss', 'nn.losses.hinge_loss(x0, x1)', () => [p(), mx.subtract(mx.multiply(mx.random.bernoulli(0.5, [4, 5]).astype(mx.float32), 2), 1)], ([a, b]) => nn.losses.hingeLoss(a!, b!)],
    ['huber_loss', 'nn.losses.huber_loss(x0, x1, 0.8)', () => [p(), p()], ([a, b]) => nn.losses.huberLoss(a!, b!, 0.8)],
    ['log_cosh_loss', 'nn.losses.log_cosh_loss(x0, x1)', () => [p(), p()], ([a, b]) => nn.losses.logCoshLoss(a!, b!)],
    ['cosine_similarity_loss', 'nn.losses.cosine_similarity_loss(x0, x1)', () => [p(), p()], ([a, b]) => nn.losses.cosineSimilarityLoss(a!, b!)],
    ['margin_ranking_loss', 'nn.losses.margin_ranking_loss(x0, x1, x2, 0.3)', () => [p(), p(), mx.sign(p())], ([a, b, t]) => nn.losses.marginRankingLoss(a!, b!, t!, 0.3)],
  ];
  for (const [name, py, make, f] of cases) {
    it(name, () => {
      mx.random.seed(11);
      const xs = make();
      const y = f(xs);
      const g = mx.grad((a: mx.array) => mx.sum(f([a, ...xs.slice(1)])))(xs[0]!);
      const inputs = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
      const call = py.replace('(x0', '(a');
      const res = runMlx(`y = ${py}\ng = mx.grad(lambda a: mx.sum(${call}))(x0)\nout = {'y': y, 'g': g}`, inputs);
      expectClose(y, res.y, 'value');
      expectClose(g, res.g, 'gradient');
    });
  }
});

d('optimizers against MLX: four steps', () => {
  const cases: [string, () => optim.Optimizer, string][] = [
    ['SGD', () => new optim.SGD(0.1), 'optim.SGD(0.1)'],
    ['SGD momentum, weight decay, dampening', () => new optim.SGD(0.1, 0.9, 0.01, 0.1), 'optim.SGD(0.1, 0.9, 0.01, 0.1)'],
    ['SGD nesterov', () => new optim.SGD(0.05, 0.8, 0, 0, true), 'optim.SGD(0.05, 0.8, nesterov=True)'],
    ['RMSprop', () => new optim.RMSprop(0.01, 0.9), 'optim.RMSprop(0.01, 0.9)'],
    ['Adagrad', () => new optim.Adagrad(0.1), 'optim.Adagrad(0.1)'],
    ['AdaDelta', () => new optim.AdaDelta(0.5, 0.8), 'optim.AdaDelta(0.5, 0.8)'],
    ['Adam', () => new optim.Adam(0.01), 'optim.Adam(0.01)'],
    ['Adam bias correction', () => new optim.Adam(0.01, [0.8, 0.9], 1e-6, true), 'optim.Adam(0.01, [0.8, 0.9], 1e-6, True)'],
    ['AdamW', () => new optim.AdamW(0.01, [0.9, 0.99], 1e-8, 0.1), 'optim.AdamW(0.01, [0.9, 0.99], 1e-8, 0.1)'],
    ['Adamax', () => new optim.Adamax(0.02), 'optim.Adamax(0.02)'],
    ['Lion', () => new optim.Lion(0.01, [0.9, 0.99], 0.1), 'optim.Lion(0.01, [0.9, 0.99], 0.1)'],
    ['Adafactor', () => new optim.Adafactor(), 'optim.Adafactor()'],
    ['Adafactor lr, beta1, weight decay', () => new optim.Adafactor(0.01, [1e-30, 1e-3], 1, -0.8, 0.9, 0.01, false, false), 'optim.Adafactor(0.01, beta_1=0.9, weight_decay=0.01, scale_parameter=False, relative_step=False)'],
    ['Muon', () => new optim.Muon(0.02), 'optim.Muon(0.02)'],
    ['Adam with a cosine schedule', () => new optim.Adam(optim.cosineDecay(0.1, 3, 0.01)), 'optim.Adam(optim.cosine_decay(0.1, 3, 0.01))'],
    ['SGD with joined warmup', () => new optim.SGD(optim.joinSchedules([optim.linearSchedule(0, 0.1, 2), optim.stepDecay(0.1, 0.5, 1)], [2])), 'optim.SGD(optim.join_schedules([optim.linear_schedule(0, 0.1, 2), optim.step_decay(0.1, 0.5, 1)], [2]))'],
  ];
  for (const [name, make, py] of cases) {
    it(name, () => {
      mx.random.seed(5);
      let params: any = { w: rnd(4, 3), layers: [{ b: rnd(3) }, { c: rnd(2, 2, 3) }] };
      const grads = [0, 1, 2, 3].map(() => utils.treeMap(() => null, params));
      const gs = grads.map((g) => utils.treeMap((_: unknown, p: mx.array) => rnd(...p.shape), g, [params]));
      const opt = make();
      const inputs: Record<string, unknown> = { params };
      gs.forEach((g, i) => (inputs[`g${i}`] = g));
      const res = runMlx(
        `opt = ${py}
p = params
steps = []
for g in [g0, g1, g2, g3]:
    p = opt.apply_gradients(g, p)
    steps.append(p)
out = {'steps': steps, 'lr': opt.learning_rate if 'learning_rate' in opt.state else mx.array(0.0)}`,
        inputs,
      );
      gs.forEach((g, i) => {
        params = opt.applyGradients(g, params);
        for (const [k, v] of utils.treeFlatten(params)) {
          const theirs = Object.fromEntries(utils.treeFlatten(res.steps[i]))[k];
          expectClose(v, theirs, `step ${i + 1} ${k}`, 1e-4, 1e-6);
        }
      });
      if ('learningRate' in opt.state) expectClose(opt.learningRate, res.lr, 'learning rate', 1e-6, 1e-9);
    });
  }
});
