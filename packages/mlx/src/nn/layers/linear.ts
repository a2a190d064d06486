// Identity, Linear, Bilinear (mlx/nn/layers/linear.py).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';
import { QQLinear, QuantizedLinear, type QuantizationMode } from './quantized.js';

/** Returns its input unchanged (the arguments are ignored). */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward(x: mx.array): mx.array {
    return x;
  }
}

/** `y = x W^T + b`, W of shape [outputDims, inputDims], initialized U(-1/sqrt(in), 1/sqrt(in)). */
export class Linear extends Module {
  weight: mx.array;
  bias?: mx.array;
  constructor(inputDims: number, outputDims: number, bias = true) {
    super();
    const scale = Math.sqrt(1 / inputDims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }
  protected override toStringExtra(): string {
    return `inputDims=${this.weight.shape[1]}, outputDims=${this.weight.shape[0]}, bias=${this.bias !== undefined}`;
  }
  forward(x: mx.array): mx.array {
    return this.bias !== undefined ? mx.addmm(this.bias, x, this.weight.T) : mx.matmul(x, this.weight.T);
  }
  /**
   * The layer with its weight quantized: a QuantizedLinear, or with `quantizeInput` (modes
   * nvfp4 and mxfp8) a QQLinear, which quantizes its input too.
   */
  toQuantized(groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine', quantizeInput = false): QuantizedLinear | QQLinear {
    if (quantizeInput) {
      if (mode !== 'nvfp4' && mode !== 'mxfp8') throw new Error(`Quantized activations are only supported for 'nvfp4' and 'mxfp8' modes, got ${mode}.`);
      return QQLinear.fromLinear(this, groupSize, bits, mode);
    }
    return QuantizedLinear.fromLinear(this, groupSize, bits, mode);
  }
}

/** `y_i = x1^T W_i x2 + b_i`, W of shape [outputDims, input2Dims, input1Dims]. */
export class Bilinear extends Module {
  weight: mx.array;
  bias?: mx.array;
  constructor(input1Dims: number, input2Dims: number, outputDims: number, bias = true) {
    super();
    const scale = Math.sqrt(1 / input1Dims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, input2Dims, input1Dims]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }
  protected override toStringExtra(): string {
    const [out, in2, in1] = this.weight.shape;
    return `input1Dims=${in1}, input2Dims=${in2}, outputDims=${out}, bias=${this.bias !== undefined}`;
  }
  forward(x1: mx.array, x2: mx.array): mx.array {
    const [out, in2, in1] = this.weight.shape as [number, number, number];
    const xshape = x1.shape.slice(0, -1);
    const a = x1.reshape(-1, in1);
    const b = x2.reshape(-1, 1, in2);
    const w = this.weight.reshape(out * in2, in1);
    let y = mx.matmul(a, w.T).reshape(-1, out, in2).swapaxes(-2, -1);
    y = mx.matmul(b, y).squeeze(1).reshape(...xshape, out);
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
}
