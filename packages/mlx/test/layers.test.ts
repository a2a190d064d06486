import { describe, expect, it } from 'vitest';
import { core as mx, nn } from 'mlx-ts';

const close = (a: mx.array, b: unknown, atol = 1e-5) => expect(mx.allclose(a, mx.array(b as number[]), 1e-5, atol).item(), `${a} vs ${JSON.stringify(b)}`).toBe(true);

describe('layers: shapes and hand-checked values', () => {
  it('Linear and Bilinear', () => {
    const l = new nn.Linear(2, 2);
    l.update({ weight: mx.array([[1, 2], [3, 4]]), bias: mx.array([1, -1]) });
    close(l.forward(mx.array([[1, 1]])), [[4, 6]]);
    expect(new nn.Linear(4, 8, false).forward(mx.zeros([3, 5, 4])).shape).toEqual([3, 5, 8]);
    expect(new nn.Linear(4, 8, false).parameters()).not.toHaveProperty('bias');
    const b = new nn.Bilinear(2, 3, 1, false);
    b.weight = mx.reshape(mx.arange(6), [1, 3, 2]); // W[0] = [[0,1],[2,3],[4,5]]: y = x2^T W x1
    close(b.forward(mx.array([[1, 0]]), mx.array([[1, 1, 1]])), [[6]]);
  });

  it('Embedding and asLinear', () => {
    const e = new nn.Embedding(3, 2);
    e.weight = mx.array([[0, 1], [2, 3], [4, 5]]);
    close(e.forward(mx.array([2, 0], mx.int32)), [[4, 5], [0, 1]]);
    close(e.asLinear(mx.array([[1, 1]])), [[1, 5, 9]]);
  });

  it('norms on hand-checked inputs', () => {
    const x = mx.array([[1, 2, 3, 4]]);
    // mean 2.5, var 1.25
    const z = [-1.5, -0.5, 0.5, 1.5].map((v) => v / Math.sqrt(1.25 + 1e-5));
    close(new nn.LayerNorm(4).forward(x), [z], 1e-5);
    const rms = Math.sqrt((1 + 4 + 9 + 16) / 4 + 1e-5);
    close(new nn.RMSNorm(4).forward(x), [[1 / rms, 2 / rms, 3 / rms, 4 / rms]], 1e-5);
    expect(new nn.LayerNorm(4, 1e-5, false).parameters()).toEqual({});
    expect(() => new nn.LayerNorm(4, 0)).toThrow(/'eps' must be positive/);
    expect(() => new nn.GroupNorm(3, 8)).toThrow(/evenly divisible/);
    expect(String(new nn.InstanceNorm(3))).toBe('InstanceNorm(3, eps=1e-5, affine=false)');
    expect(() => new nn.InstanceNorm(3).forward(mx.zeros([2, 3]))).toThrow(/at least 3 dimensions/);
    expect(new nn.LayerNorm(4).forward(x.astype(mx.float16)).dtype).toBe(mx.float32); // weight is float32
  });

  it('BatchNorm: batch statistics in training, running ones in evaluation, frozen stats', () => {
    const bn = new nn.BatchNorm(2, 1e-5, 0.5);
    const x = mx.array([[0, 10], [2, 30]]);
    const y = bn.forward(x);
    close(y, [[-1, -1], [1, 1]], 1e-4);
    // running = 0.5 * old + 0.5 * batch (unbiased variance)
    close(bn.runningMean!, [0.5, 10]);
    close(bn.runningVar!, [0.5 * 1 + 0.5 * 2, 0.5 * 1 + 0.5 * 200]);
    bn.eval();
    close(bn.forward(mx.array([[0.5, 10]])), [[0, 0]]);
    expect(Object.keys(bn.trainableParameters()).sort()).toEqual(['bias', 'weight']);
    bn.unfreeze();
    expect(Object.keys(bn.trainableParameters()).sort()).toEqual(['bias', 'weight']);
    bn.train();
    expect(() => bn.forward(mx.zeros([1, 2]))).toThrow(/more than one value per channel/);
    expect(() => bn.forward(mx.zeros([1, 2, 2, 2, 2]))).toThrow(/2, 3 or 4 dimensions/);
  });

  it('Dropout: scaled mask in training, identity in evaluation, dtypes kept, p checked', () => {
    mx.random.seed(0);
    const d = new nn.Dropout(0.5);
    const y = d.forward(mx.ones([100]));
    const vals = new Set(y.tolist() as number[]);
    expect([...vals].every((v) => v === 0 || v === 2)).toBe(true);
    expect(d.forward(mx.ones([4], mx.float16)).dtype).toBe(mx.float16);
    d.eval();
    close(d.forward(mx.ones([3])), [1, 1, 1]);
    expect(() => new nn.Dropout(1)).toThrow(/not in \[0, 1\)/);
    const d2 = new nn.Dropout2d(0.5).forward(mx.ones([2, 3, 3, 8]));
    // whole channels: constant over the spatial axes
    expect(mx.all(mx.equal(mx.max(d2, [1, 2]), mx.min(d2, [1, 2]))).item()).toBe(true);
    expect(() => new nn.Dropout3d().forward(mx.ones([2, 2]))).toThrow(/Expected 4 or 5 dimensions/);
  });

  it('convolutions: shapes, initialization, groups, errors, toString', () => {
    const c = new nn.Conv2d(4, 6, [3, 2], 1, 1, 1, 2);
    expect(c.weight.shape).toEqual([6, 3, 2, 2]);
    const scale = Math.sqrt(1 / (2 * 3 * 2));
    expect(mx.max(mx.abs(c.weight)).item() as number).toBeLessThanOrEqual(scale);
    expect(mx.arrayEqual(c.bias!, mx.zeros([6])).item()).toBe(true);
    expect(c.forward(mx.zeros([1, 5, 5, 4])).shape).toEqual([1, 5, 6, 6]);
    expect(String(c)).toBe('Conv2d(4, 6, kernelSize=(3, 2), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=2, bias=true)');
    expect(() => new nn.Conv1d(3, 4, 3, 1, 0, 1, 2)).toThrow(/must be divisible by the number of groups/);
    expect(() => new nn.Conv2d(3, 4, [3, 3, 3])).toThrow(/'kernel_size' must be an integer or a tuple containing 2 integers/);
    // A 1x1 kernel of ones sums the channels.
    const c1 = new nn.Conv1d(2, 1, 1, 1, 0, 1, 1, false);
    c1.weight = mx.onesLike(c1.weight);
    close(c1.forward(mx.array([[[1, 2], [3, 4]]])), [[[3], [7]]]);
    expect(new nn.Conv3d(2, 3, 2, 2).forward(mx.zeros([1, 4, 4, 6, 2])).shape).toEqual([1, 2, 2, 3, 3]);
    const t = new nn.ConvTranspose1d(2, 3, 3, 2, 1, 1, 1);
    expect(t.weight.shape).toEqual([3, 3, 2]);
    expect(t.forward(mx.zeros([1, 5, 2])).shape).toEqual([1, 10, 3]); // (5-1)*2 - 2 + 3 + 1
    expect(String(t)).toBe('ConvTranspose1d(2, 3, kernelSize=3, stride=2, padding=1, dilation=1, outputPadding=1, bias=true)');
    expect(new nn.ConvTranspose2d(2, 3, 2, 2).forward(mx.zeros([1, 3, 4, 2])).shape).toEqual([1, 6, 8, 3]);
    expect(new nn.ConvTranspose3d(2, 3, 2, 1, 0, 1, 0, false).forward(mx.zeros([1, 2, 2, 2, 2])).shape).toEqual([1, 3, 3, 3, 3]);
  });

  it('pooling', () => {
    const x = mx.reshape(mx.arange(8), [1, 8, 1]);
    close(new nn.MaxPool1d(2).forward(x), [[[1], [3], [5], [7]]]);
    close(new nn.AvgPool1d(3, 2).forward(x), [[[1], [3], [5]]]);
    close(new nn.MaxPool1d(3, 3, 1).forward(x), [[[1], [4], [7]]]);
    expect(new nn.MaxPool2d(2, 1).forward(mx.zeros([2, 5, 4, 3])).shape).toEqual([2, 4, 3, 3]);
    expect(() => new nn.MaxPool2d(0)).toThrow(/must be positive/);
    expect(() => new nn.MaxPool2d([1, 2, 3])).toThrow(/tuple containing 2 integers/);
  });

  it('activations on hand-checked values', () => {
    const x = mx.array([-2, 0, 3]);
    close(nn.relu(x), [0, 0, 3]);
    close(nn.relu6(mx.array([-1, 7])), [0, 6]);
    close(nn.leakyRelu(x, 0.5), [-1, 0, 3]);
    close(nn.hardTanh(x), [-1, 0, 1]);
    close(nn.step(x), [0, 1, 1]);
    expect(nn.step(x).dtype).toBe(mx.int32);
    close(nn.silu(mx.array([0])), [0]);
    close(nn.softplus(mx.array([0])), [Math.log(2)]);
    close(new nn.PReLU(1, 0.1).forward(x), [-0.2, 0, 3]);
    close(new nn.Step(1).forward(x), [0, 0, 1]);
    expect(() => new nn.GELU('bad' as never)).toThrow(/approximation/);
  });

  it('attention: causal mask, shapes; recurrent layers; transformer', () => {
    const m = nn.MultiHeadAttention.createAdditiveCausalMask(3);
    expect(m.index(0, 1).item()).toBeLessThan(-1e30);
    expect(m.index(1, 0).item() === 0).toBe(true); // -0, as in MLX (0 * finfo.min)
    const attn = new nn.MultiHeadAttention(8, 2);
    expect(attn.forward(mx.zeros([2, 3, 8]), mx.zeros([2, 5, 8]), mx.zeros([2, 5, 8])).shape).toEqual([2, 3, 8]);
    expect(() => new nn.MultiHeadAttention(8, 3)).toThrow(/divisible by the number of heads/);
    expect(new nn.GRU(3, 4).forward(mx.zeros([2, 5, 3])).shape).toEqual([2, 5, 4]);
    const [h, c] = new nn.LSTM(3, 4).forward(mx.zeros([5, 3]));
    expect([h.shape, c.shape]).toEqual([[5, 4], [5, 4]]);
    expect(() => new nn.RNN(2, 2, true, 'tanh' as never)).toThrow(/callable/);
    const t = new nn.Transformer(8, 2, 1, 1, 16);
    expect(t.forward(mx.zeros([1, 4, 8]), mx.zeros([1, 3, 8]), null, null, null).shape).toEqual([1, 3, 8]);
  });

  it('positional encodings and upsampling', () => {
    // RoPE at position 0 is the identity; at offset 1 it rotates pairs by 1 rad (dims 2).
    const x = mx.array([[[1, 0]]]);
    close(new nn.RoPE(2).forward(x), [[[1, 0]]]);
    close(new nn.RoPE(2).forward(x, 1), [[[Math.cos(1), Math.sin(1)]]]);
    expect(new nn.RoPE(4).forward(mx.zeros([1, 3, 4], mx.float16)).dtype).toBe(mx.float16);
    close(nn.ALiBi.createAlibiSlope(2).reshape(-1), [2 ** -4, 2 ** -8]);
    expect(new nn.SinusoidalPositionalEncoding(4).forward(mx.arange(3)).shape).toEqual([3, 4]);
    close(new nn.Upsample(2).forward(mx.reshape(mx.array([1, 2]), [1, 2, 1])).reshape(-1), [1, 1, 2, 2]);
    close(new nn.Upsample(2, 'linear', true).forward(mx.reshape(mx.array([0, 3]), [1, 2, 1])).reshape(-1), [0, 1, 2, 3]);
  });

  it('Sequential chains modules and functions', () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), nn.relu, new nn.Linear(3, 1));
    expect(s.forward(mx.ones([4, 2])).shape).toEqual([4, 1]);
    expect(Object.keys(s.parameters())).toEqual(['layers']);
  });

  it('init', () => {
    const a = mx.zeros([4, 6]);
    expect(nn.init.constant(2, mx.float16)(a).dtype).toBe(mx.float16);
    expect(mx.all(mx.equal(nn.init.constant(2)(a), 2)).item()).toBe(true);
    expect(() => nn.init.identity()(a)).toThrow(/square matrix/);
    const q = nn.init.orthogonal()(mx.zeros([6, 4]));
    expect(mx.allclose(mx.matmul(q.T, q), mx.eye(4), 1e-5, 1e-5).item()).toBe(true);
    const s = nn.init.sparse(0.5)(a);
    expect((mx.sum(mx.equal(s, 0)).item() as number) >= 12).toBe(true);
    expect(() => nn.init.glorotUniform()(mx.zeros([3]))).toThrow(/at least 2 dimensional/);
    expect(() => nn.init.heNormal()(a, 'bad' as never)).toThrow(/Invalid mode/);
  });
});
