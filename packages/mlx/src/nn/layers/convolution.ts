// Conv1d/2d/3d (mlx/nn/layers/convolution.py) and ConvTranspose1d/2d/3d
// (mlx/nn/layers/convolution_transpose.py). Channels last: inputs NLC, NHWC, NDHWC; weights
// [outChannels, ...kernelSize, inChannels / groups]. Weights U(-s, s) with
// s = sqrt(1 / (inChannels / groups * prod(kernelSize))); the bias starts at zero, as in MLX.
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';

type IntOrTuple = number | number[];

function tuple(x: IntOrTuple, n: number, name: string, what: string): number[] {
  const v = Array.isArray(x) ? [...x] : Array<number>(n).fill(x);
  if (v.length !== n || v.some((e) => !Number.isInteger(e))) {
    throw new Error(`[${name}] '${what}' must be an integer or a tuple containing ${n} integer${n > 1 ? 's' : ''}`);
  }
  return v;
}

const fmt = (v: number[]) => (v.length === 1 ? String(v[0]) : `(${v.join(', ')})`);

/** The shared weight, bias and hyper-parameters of the convolution layers. */
abstract class ConvBase extends Module {
  weight: mx.array;
  bias?: mx.array;
  protected readonly _stride: number[];
  protected readonly _padding: number[];
  protected readonly _dilation: number[];
  protected readonly _groups: number;
  constructor(
    n: number,
    inChannels: number,
    outChannels: number,
    kernelSize: IntOrTuple,
    stride: IntOrTuple,
    padding: IntOrTuple,
    dilation: IntOrTuple,
    groups: number,
    bias: boolean,
  ) {
    super();
    const name = this.constructor.name;
    if (inChannels % groups !== 0) {
      throw new Error(`The number of input channels (${inChannels}) must be divisible by the number of groups (${groups})`);
    }
    const ks = tuple(kernelSize, n, name, 'kernel_size');
    this._stride = tuple(stride, n, name, 'stride');
    this._padding = tuple(padding, n, name, 'padding');
    this._dilation = tuple(dilation, n, name, 'dilation');
    this._groups = groups;
    const scale = Math.sqrt(1 / ((inChannels / groups) * ks.reduce((a, b) => a * b, 1)));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, ...ks, inChannels / groups]);
    if (bias) this.bias = mx.zeros([outChannels]);
  }
  protected override toStringExtra(): string {
    const s = this.weight.shape;
    const groups = this._groups !== 1 ? `, groups=${this._groups}` : '';
    return (
      `${s[s.length - 1]! * this._groups}, ${s[0]}, kernelSize=${fmt(s.slice(1, -1))}, stride=${fmt(this._stride)}, ` +
      `padding=${fmt(this._padding)}, dilation=${fmt(this._dilation)}${groups}${this.extraRepr()}, bias=${this.bias !== undefined}`
    );
  }
  protected extraRepr(): string {
    return '';
  }
  protected abstract conv(x: mx.array): mx.array;
  forward(x: mx.array): mx.array {
    const y = this.conv(x);
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
}

/** 1-D convolution over NLC input; weight [outChannels, kernelSize, inChannels / groups]. */
export class Conv1d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true) {
    super(1, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.conv1d(x, this.weight, this._stride[0], this._padding[0], this._dilation[0], this._groups);
  }
}

/** 2-D convolution over NHWC input; weight [outChannels, KH, KW, inChannels / groups]. */
export class Conv2d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0, dilation: IntOrTuple = 1, groups = 1, bias = true) {
    super(2, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.conv2d(x, this.weight, this._stride, this._padding, this._dilation, this._groups);
  }
}

/** 3-D convolution over NDHWC input; weight [outChannels, KD, KH, KW, inChannels] (MLX's Conv3d has no groups). */
export class Conv3d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0, dilation: IntOrTuple = 1, bias = true) {
    super(3, inChannels, outChannels, kernelSize, stride, padding, dilation, 1, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.conv3d(x, this.weight, this._stride, this._padding, this._dilation);
  }
}

/** The transposed convolutions add MLX's outputPadding (extra size on one side of the output). */
abstract class ConvTransposeBase extends ConvBase {
  protected readonly _outputPadding: number[];
  constructor(n: number, inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple, dilation: IntOrTuple, outputPadding: IntOrTuple, bias: boolean) {
    super(n, inChannels, outChannels, kernelSize, stride, padding, dilation, 1, bias);
    this._outputPadding = tuple(outputPadding, n, this.constructor.name, 'output_padding');
  }
  protected override extraRepr(): string {
    return `, outputPadding=${fmt(this._outputPadding)}`;
  }
}

/** 1-D transposed convolution over NLC input; weight [outChannels, kernelSize, inChannels]. */
export class ConvTranspose1d extends ConvTransposeBase {
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride = 1, padding = 0, dilation = 1, outputPadding = 0, bias = true) {
    super(1, inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.convTranspose1d(x, this.weight, this._stride[0], this._padding[0], this._dilation[0], 1, this._outputPadding[0]);
  }
}

/** 2-D transposed convolution over NHWC input; weight [outChannels, KH, KW, inChannels]. */
export class ConvTranspose2d extends ConvTransposeBase {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0, dilation: IntOrTuple = 1, outputPadding: IntOrTuple = 0, bias = true) {
    super(2, inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.convTranspose2d(x, this.weight, this._stride, this._padding, this._dilation, 1, this._outputPadding);
  }
}

/** 3-D transposed convolution over NDHWC input; weight [outChannels, KD, KH, KW, inChannels]. */
export class ConvTranspose3d extends ConvTransposeBase {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0, dilation: IntOrTuple = 1, outputPadding: IntOrTuple = 0, bias = true) {
    super(3, inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, bias);
  }
  protected conv(x: mx.array): mx.array {
    return mx.convTranspose3d(x, this.weight, this._stride, this._padding, this._dilation, 1, this._outputPadding);
  }
}
