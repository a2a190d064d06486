// nn.quantize and the quantized layers: Module semantics (frozen packed weights, MLX's parameter
// names), and against the real MLX 0.32.4 through weight files (packed uint32 words don't fit
// the float lists the Python worker exchanges): the same float weights quantize to the same
// packed words and give the same outputs, and a model quantized and saved by MLX loads here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { core as mx, nn, utils } from 'mlx-ts';
import { mlxAvailable, runMlx } from './mlx-python.js';

const HAVE_MLX = mlxAvailable();
const dir = mkdtempSync(join(tmpdir(), 'mlx-ts-quant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keysOf = (t: unknown) => utils.treeFlatten(t).map(([k]) => k);
const maxDiff = (a: mx.array, b: mx.array) => mx.max(mx.abs(mx.subtract(a, b))).item() as number;

class Net extends nn.Module {
  embed: nn.Embedding;
  layers: nn.Module[];
  constructor() {
    super();
    this.embed = new nn.Embedding(12, 64);
    this.layers = [new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 32, false)];
  }
  forward(x: mx.array): mx.array {
    let h = this.embed.forward(x);
    for (const l of this.layers) h = l.forward(h);
    return mx.add(h, this.embed.asLinear(mx.pad(h, [[0, 0], [0, 0], [0, 32]])).sum(-1, true));
  }
}
const PY_NET = `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(12, 64)
        self.layers = [nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32, bias=False)]
    def __call__(self, x):
        h = self.embed(x)
        for l in self.layers: h = l(h)
        return h + self.embed.as_linear(mx.pad(h, [(0, 0), (0, 0), (0, 32)])).sum(-1, keepdims=True)
`;

describe('nn.quantize and the quantized layers', () => {
  it('replaces the layers that have toQuantized, or those the predicate picks', () => {
    let m = new nn.Sequential(new nn.Embedding(5, 256), new nn.ReLU(), new nn.Linear(256, 256));
    nn.quantize(m);
    expect(m.layers[0]).toBeInstanceOf(nn.QuantizedEmbedding);
    expect(m.layers[1]).toBeInstanceOf(nn.ReLU);
    expect(m.layers[2]).toBeInstanceOf(nn.QuantizedLinear);
    m = new nn.Sequential(new nn.Embedding(5, 256), new nn.ReLU(), new nn.Linear(256, 256));
    nn.quantize(m, undefined, undefined, { classPredicate: (_p, l) => l instanceof nn.Linear });
    expect(m.layers[0]).toBeInstanceOf(nn.Embedding);
    expect(m.layers[2]).toBeInstanceOf(nn.QuantizedLinear);
    // node-mlx's form: the predicate as fourth argument; a predicate may return parameters
    m = new nn.Sequential(new nn.Embedding(5, 256), new nn.Linear(256, 64));
    const paths: string[] = [];
    nn.quantize(m, 64, 4, (p, l) => (paths.push(p), l instanceof nn.Linear ? { groupSize: 32, bits: 8 } : false));
    expect(paths).toEqual(['layers.0', 'layers.1']);
    expect(m.layers[1]).toMatchObject({ groupSize: 32, bits: 8, mode: 'affine' });
    expect((m.layers[1] as nn.QuantizedLinear).weight.shape).toEqual([64, 64]);
  });

  it('keeps MLX parameter names, freezes the packed weights, not the carried bias', () => {
    const lin = new nn.Linear(64, 32);
    const q = lin.toQuantized() as nn.QuantizedLinear;
    expect(keysOf(q.parameters())).toEqual(['weight', 'scales', 'biases', 'bias']);
    expect(keysOf(q.trainableParameters())).toEqual(['bias']);
    expect(q.weight.dtype).toBe(mx.uint32);
    expect(q.weight.shape).toEqual([32, 8]);
    expect(q.scales.shape).toEqual([32, 1]);
    expect(String(q)).toBe('QuantizedLinear(inputDims=64, outputDims=32, bias=true, groupSize=64, bits=4, mode=affine)');
    const fp = QuantizedFp();
    expect(keysOf(fp.parameters())).toEqual(['weight', 'scales']);
    expect(keysOf(fp.trainableParameters())).toEqual([]);
    const e = new nn.Embedding(10, 64).toQuantized(32, 8);
    expect(keysOf(e.parameters())).toEqual(['weight', 'scales', 'biases']);
    expect(String(e)).toBe('QuantizedEmbedding(10, 64, groupSize=32, bits=8, mode=affine)');
    // a QuantizedLinear made directly has its zero bias frozen too
    expect(keysOf(new nn.QuantizedLinear(64, 8).trainableParameters())).toEqual([]);
  });

  it('approximates the float layers (node-mlx quantizedEmbedding spec)', () => {
    mx.random.seed(3);
    const emb = new nn.Embedding(32, 256);
    const qemb = nn.QuantizedEmbedding.fromEmbedding(emb, undefined, 8);
    const x = mx.array([2, 6, 9, 3, 0, 3], mx.int32);
    expect(maxDiff(emb.forward(x), qemb.forward(x))).toBeLessThan(mx.max(qemb.scales).item() as number);
    const v = mx.random.uniform(0, 1, [2, 256]);
    const a = emb.asLinear(v), b = qemb.asLinear(v);
    const cos = mx.divide(mx.sum(mx.multiply(a, b), -1), mx.multiply(mx.linalg.norm(a, undefined, -1), mx.linalg.norm(b, undefined, -1)));
    expect(mx.min(cos).item()).toBeGreaterThan(0.99);
    const lin = new nn.Linear(256, 16);
    const ql = nn.QuantizedLinear.fromLinear(lin, 32, 8);
    expect(maxDiff(lin.forward(v), ql.forward(v))).toBeLessThan(0.02);
  });

  it('QQLinear keeps a float weight while training and quantizes it in evaluation mode', () => {
    const lin = new nn.Linear(64, 16, false);
    const qq = lin.toQuantized(undefined, undefined, 'nvfp4', true) as nn.QQLinear;
    expect(qq).toBeInstanceOf(nn.QQLinear);
    expect(qq.weight.dtype).toBe(mx.float32);
    expect(keysOf(qq.trainableParameters())).toEqual(['weight']);
    const x = mx.random.normal([3, 64]);
    const yTrain = qq.forward(x);
    qq.eval();
    expect(qq.weight.dtype).toBe(mx.uint32);
    expect(keysOf(qq.parameters())).toEqual(['weight', 'scales']);
    // the fp4 weight is what training quantized on the fly: the same output
    expect(maxDiff(qq.forward(x), yTrain)).toBe(0);
    qq.train();
    expect(qq.weight.dtype).toBe(mx.bfloat16); // MLX's dequantize default for the fp modes
    expect(qq.scales).toBeUndefined();
  });

  it('refuses bad arguments with clear errors', () => {
    expect(() => new nn.QuantizedLinear(64, 8, true, null, null, 'int3' as never)).toThrow(/Invalid quantization mode 'int3'/);
    expect(() => new nn.Linear(64, 8).toQuantized(undefined, undefined, 'affine', true)).toThrow(/only supported for 'nvfp4' and 'mxfp8'/);
    expect(() => new nn.Embedding(8, 64).toQuantized(undefined, undefined, 'affine', true)).toThrow(/Quantized input is not supported/);
    expect(() => nn.QQLinear.fromLinear(new nn.Linear(64, 8))).toThrow(/does not support bias/);
    expect(() => nn.quantize(new nn.Sequential(new nn.ReLU()), undefined, undefined, () => true)).toThrow(/Unable to quantize model of type ReLU/);
    expect(() => nn.quantize(new nn.Sequential(new nn.Linear(64, 8)), undefined, undefined, () => 3 as never)).toThrow(/must return a boolean or an object/);
  });

  describe.skipIf(!HAVE_MLX)('against MLX 0.32.4', () => {
    for (const mode of ['nvfp4', 'mxfp8'] as const) {
      // MLX 0.32.4's CPU computes qqmm only for one row of x with a quantized w (evaluation
      // mode; "[QQMatmul] NYI for the general case" otherwise); training mode quantizes the
      // same weight on the fly, which the unit test above shows gives the same output
      it(`QQLinear (${mode}): the weight that evaluation mode quantizes, and the output`, () => {
        mx.random.seed(5);
        const lin = new nn.Linear(64, 16, false);
        const x = mx.random.normal([1, 64]);
        const floatFile = join(dir, `qq-${mode}.safetensors`);
        const qFile = join(dir, `qq-${mode}-q.safetensors`);
        lin.saveWeights(floatFile);
        const qq = nn.QQLinear.fromLinear(lin, null, null, mode);
        const yTrain = qq.forward(x);
        qq.eval();
        const y = qq.forward(x);
        const py = runMlx(
          `lin = nn.Linear(64, 16, bias=False); lin.load_weights(float_file)
qq = nn.QQLinear.from_linear(lin, mode='${mode}')
qq.eval()
qq.save_weights(q_file)
out = [qq(x)]`,
          { x, float_file: floatFile, q_file: qFile },
        );
        const saved = mx.load(qFile) as Record<string, mx.array>;
        expect(Object.keys(saved).sort()).toEqual(['scales', 'weight']);
        expect(mx.arrayEqual(qq.weight, saved.weight!).item()).toBe(true);
        expect(mx.arrayEqual(qq.scales!, saved.scales!).item()).toBe(true);
        expect(y.dtype).toBe(py[0].dtype);
        expect(maxDiff(y, py[0])).toBeLessThanOrEqual(1e-5 * Math.max(1, mx.max(mx.abs(py[0])).item() as number));
        expect(maxDiff(yTrain, y)).toBe(0);
      });
    }
    for (const [mode, gs, bits] of [['affine', 64, 4], ['affine', 32, 8], ['mxfp4', null, null], ['nvfp4', null, null], ['mxfp8', null, null]] as const) {
      it(`${mode}${gs ? ` group ${gs}, ${bits} bits` : ''}: same packed weights and outputs; MLX's saved model loads here`, () => {
        mx.random.seed(11);
        const net = new Net();
        const floatFile = join(dir, `float-${mode}-${bits}.safetensors`);
        const qFile = join(dir, `q-${mode}-${bits}.safetensors`);
        net.saveWeights(floatFile);
        const x = mx.array([[1, 4, 7], [11, 0, 2]], mx.int32);
        nn.quantize(net, gs, bits, { mode });
        const y = net.forward(x);
        const py = runMlx(
          `${PY_NET}
net = Net(); net.load_weights(float_file)
nn.quantize(net, ${gs ?? 'None'}, ${bits ?? 'None'}, mode='${mode}')
net.save_weights(q_file)
out = [net(x.astype(mx.int32))]`,
          { x, float_file: floatFile, q_file: qFile },
        );
        const saved = mx.load(qFile) as Record<string, mx.array>;
        const ours = Object.fromEntries(utils.treeFlatten(net.parameters(), '', null, utils.toSnakeCase)) as Record<string, mx.array>;
        expect(Object.keys(ours).sort()).toEqual(Object.keys(saved).sort());
        for (const [k, v] of Object.entries(saved)) {
          expect(ours[k]!.dtype, k).toBe(v.dtype);
          expect(mx.arrayEqual(ours[k]!, v).item(), k).toBe(true);
        }
        // the fp modes dequantize the embedding to bfloat16 (MLX's default) and the next layer's
        // bfloat16 products round differently from MLX's CPU kernel: bfloat16-level tolerance
        expect(y.dtype).toBe(py[0].dtype);
        const tol = (mode === 'affine' ? 1e-5 : 2e-2) * Math.max(1, mx.max(mx.abs(py[0])).item() as number);
        expect(maxDiff(y, py[0])).toBeLessThanOrEqual(tol);
        // a fresh quantized model (other random weights) loading MLX's file gives MLX's output
        mx.random.seed(99);
        const fresh = new Net();
        nn.quantize(fresh, gs, bits, { mode });
        fresh.loadWeights(qFile);
        expect(maxDiff(fresh.forward(x), y)).toBe(0);
      });
    }
  });
});

function QuantizedFp(): nn.QuantizedLinear {
  return nn.QuantizedLinear.fromLinear(new nn.Linear(64, 32, false), undefined, undefined, 'mxfp4');
}
