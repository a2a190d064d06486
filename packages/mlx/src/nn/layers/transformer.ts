// MultiHeadAttention and the Transformer encoder/decoder (mlx/nn/layers/transformer.py).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';
import { Linear } from './linear.js';
import { LayerNorm } from './normalization.js';
import { Dropout } from './dropout.js';
import { relu } from './activations.js';
import { scaledDotProductAttention } from '../fast.js';
import { checkpoint } from '../utils.js';

type Activation = (x: mx.array) => mx.array;

/** Multi-head scaled dot-product attention with input and output projections. */
export class MultiHeadAttention extends Module {
  numHeads: number;
  queryProj: Linear;
  keyProj: Linear;
  valueProj: Linear;
  outProj: Linear;
  constructor(
    dims: number,
    numHeads: number,
    queryInputDims?: number | null,
    keyInputDims?: number | null,
    valueInputDims?: number | null,
    valueDims?: number | null,
    valueOutputDims?: number | null,
    bias = false,
  ) {
    super();
    if (dims % numHeads !== 0) throw new Error(`The input feature dimensions should be divisible by the number of heads (${dims} % ${numHeads}) != 0`);
    const qIn = queryInputDims || dims;
    const kIn = keyInputDims || dims;
    const vIn = valueInputDims || kIn;
    const vDims = valueDims || dims;
    const vOut = valueOutputDims || dims;
    this.numHeads = numHeads;
    this.queryProj = new Linear(qIn, dims, bias);
    this.keyProj = new Linear(kIn, dims, bias);
    this.valueProj = new Linear(vIn, vDims, bias);
    this.outProj = new Linear(vDims, vOut, bias);
  }
  forward(queries: mx.array, keys: mx.array, values: mx.array, mask?: mx.array | null): mx.array {
    const heads = (x: mx.array) => mx.unflatten(x, -1, [this.numHeads, -1]).transpose(0, 2, 1, 3);
    const q = heads(this.queryProj.forward(queries));
    const k = heads(this.keyProj.forward(keys));
    const v = heads(this.valueProj.forward(values));
    const scale = Math.sqrt(1 / q.shape[q.ndim - 1]!);
    const out = scaledDotProductAttention(q, k, v, scale, mask);
    return this.outProj.forward(mx.flatten(out.transpose(0, 2, 1, 3), -2, -1));
  }
  /** An additive mask [N, N]: 0 on and below the diagonal, the dtype's lowest value above. */
  static createAdditiveCausalMask(N: number, dtype: mx.Dtype = mx.float32): mx.array {
    const idx = mx.arange(0, N, 1, mx.int32);
    const mask = mx.less(mx.expandDims(idx, 1), mx.expandDims(idx, 0));
    return mx.multiply(mask.astype(dtype), mx.finfo(dtype).min);
  }
}

export class TransformerEncoderLayer extends Module {
  attention: MultiHeadAttention;
  ln1: LayerNorm;
  ln2: LayerNorm;
  linear1: Linear;
  linear2: Linear;
  dropout1: Dropout;
  dropout2: Dropout;
  activation: Activation;
  normFirst: boolean;
  constructor(dims: number, numHeads: number, mlpDims?: number | null, dropout = 0.0, activation: Activation = relu, normFirst = true) {
    super();
    const mlp = mlpDims || dims * 4;
    this.attention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlp);
    this.linear2 = new Linear(mlp, dims);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.activation = activation;
    this.normFirst = normFirst;
  }
  forward(x: mx.array, mask?: mx.array | null): mx.array {
    const mlp = (y: mx.array) => this.linear2.forward(this.dropout2.forward(this.activation(this.linear1.forward(y))));
    if (this.normFirst) {
      let y = this.ln1.forward(x);
      y = this.dropout1.forward(this.attention.forward(y, y, y, mask));
      x = mx.add(x, y);
      return mx.add(x, mlp(this.ln2.forward(x)));
    }
    const y = this.dropout1.forward(this.attention.forward(x, x, x, mask));
    x = this.ln1.forward(mx.add(x, y));
    return this.ln2.forward(mx.add(x, mlp(x)));
  }
}

export class TransformerEncoder extends Module {
  layers: TransformerEncoderLayer[];
  ln: LayerNorm;
  checkpoint: boolean;
  constructor(numLayers: number, dims: number, numHeads: number, mlpDims?: number | null, dropout = 0.0, activation: Activation = relu, normFirst = true, checkpoint = false) {
    super();
    this.layers = Array.from({ length: numLayers }, () => new TransformerEncoderLayer(dims, numHeads, mlpDims, dropout, activation, normFirst));
    this.ln = new LayerNorm(dims);
    this.checkpoint = checkpoint;
  }
  forward(x: mx.array, mask?: mx.array | null): mx.array {
    for (const layer of this.layers) {
      x = this.checkpoint ? (checkpoint(layer) as (x: mx.array, m?: mx.array | null) => mx.array)(x, mask) : layer.forward(x, mask);
    }
    return this.ln.forward(x);
  }
}

export class TransformerDecoderLayer extends Module {
  selfAttention: MultiHeadAttention;
  crossAttention: MultiHeadAttention;
  ln1: LayerNorm;
  ln2: LayerNorm;
  ln3: LayerNorm;
  linear1: Linear;
  linear2: Linear;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: Activation;
  normFirst: boolean;
  constructor(dims: number, numHeads: number, mlpDims?: number | null, dropout = 0.0, activation: Activation = relu, normFirst = true) {
    super();
    const mlp = mlpDims || dims * 4;
    this.selfAttention = new MultiHeadAttention(dims, numHeads);
    this.crossAttention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.ln3 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlp);
    this.linear2 = new Linear(mlp, dims);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = activation;
    this.normFirst = normFirst;
  }
  forward(x: mx.array, memory: mx.array, xMask?: mx.array | null, memoryMask?: mx.array | null): mx.array {
    const mlp = (y: mx.array) => this.linear2.forward(this.dropout3.forward(this.activation(this.linear1.forward(y))));
    if (this.normFirst) {
      let y = this.ln1.forward(x);
      x = mx.add(x, this.dropout1.forward(this.selfAttention.forward(y, y, y, xMask)));
      y = this.ln2.forward(x);
      x = mx.add(x, this.dropout2.forward(this.crossAttention.forward(y, memory, memory, memoryMask)));
      return mx.add(x, mlp(this.ln3.forward(x)));
    }
    x = this.ln1.forward(mx.add(x, this.dropout1.forward(this.selfAttention.forward(x, x, x, xMask))));
    x = this.ln2.forward(mx.add(x, this.dropout2.forward(this.crossAttention.forward(x, memory, memory, memoryMask))));
    return this.ln3.forward(mx.add(x, mlp(x)));
  }
}

export class TransformerDecoder extends Module {
  layers: TransformerDecoderLayer[];
  ln: LayerNorm;
  checkpoint: boolean;
  constructor(numLayers: number, dims: number, numHeads: number, mlpDims?: number | null, dropout = 0.0, activation: Activation = relu, normFirst = true, checkpoint = false) {
    super();
    this.layers = Array.from({ length: numLayers }, () => new TransformerDecoderLayer(dims, numHeads, mlpDims, dropout, activation, normFirst));
    this.ln = new LayerNorm(dims);
    this.checkpoint = checkpoint;
  }
  forward(x: mx.array, memory: mx.array, xMask?: mx.array | null, memoryMask?: mx.array | null): mx.array {
    for (const layer of this.layers) {
      x = this.checkpoint
        ? (checkpoint(layer) as (...a: unknown[]) => mx.array)(x, memory, xMask, memoryMask)
        : layer.forward(x, memory, xMask, memoryMask);
    }
    return this.ln.forward(x);
  }
}

/** Encoder-decoder Transformer (Vaswani et al.), pre-norm by default as MLX's. */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  constructor(
    dims = 512,
    numHeads = 8,
    numEncoderLayers = 6,
    numDecoderLayers = 6,
    mlpDims?: number | null,
    dropout = 0.0,
    activation: Activation = relu,
    customEncoder?: Module | null,
    customDecoder?: Module | null,
    normFirst = true,
    checkpoint = false,
  ) {
    super();
    this.encoder = customEncoder ?? new TransformerEncoder(numEncoderLayers, dims, numHeads, mlpDims, dropout, activation, normFirst, checkpoint);
    this.decoder = customDecoder ?? new TransformerDecoder(numDecoderLayers, dims, numHeads, mlpDims, dropout, activation, normFirst, checkpoint);
  }
  forward(src: mx.array, tgt: mx.array, srcMask?: mx.array | null, tgtMask?: mx.array | null, memoryMask?: mx.array | null): mx.array {
    const memory = this.encoder.forward(src, srcMask);
    return this.decoder.forward(tgt, memory, tgtMask, memoryMask);
  }
}
