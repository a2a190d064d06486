// Embedding (mlx/nn/layers/embedding.py).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';
import { QuantizedEmbedding, type QuantizationMode } from './quantized.js';

/** A lookup table of `numEmbeddings` vectors of `dims` features, initialized N(0, 1/dims). */
export class Embedding extends Module {
  weight: mx.array;
  constructor(numEmbeddings: number, dims: number) {
    super();
    this.weight = mx.random.normal([numEmbeddings, dims], undefined, undefined, Math.sqrt(1 / dims));
  }
  protected override toStringExtra(): string {
    return `${this.weight.shape[0]}, ${this.weight.shape[1]}`;
  }
  forward(x: mx.array): mx.array {
    return mx.take(this.weight, x, 0);
  }
  /** The embedding as a linear layer (`x W^T`), e.g. for tied input/output embeddings. */
  asLinear(x: mx.array): mx.array {
    return mx.matmul(x, this.weight.T);
  }
  /** The layer with its weight quantized (a QuantizedEmbedding); inputs are never quantized. */
  toQuantized(groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine', quantizeInput = false): QuantizedEmbedding {
    if (quantizeInput) throw new Error('Quantized input is not supported.');
    return QuantizedEmbedding.fromEmbedding(this, groupSize, bits, mode);
  }
}
