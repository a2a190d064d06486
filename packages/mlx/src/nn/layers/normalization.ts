// InstanceNorm, LayerNorm, RMSNorm, GroupNorm, BatchNorm (mlx/nn/layers/normalization.py).
import * as mx from '@mlx-ts/core';
import { Module, fmt } from './base.js';
import { layerNorm, rmsNorm } from '../fast.js';

function checkEps(name: string, eps: number): void {
  if (!(eps > 0)) throw new RangeError(`[${name}] 'eps' must be positive but got ${eps}.`);
}

/** Normalizes each channel of each example over the spatial axes of [N, ..., C] inputs. */
export class InstanceNorm extends Module {
  weight?: mx.array;
  bias?: mx.array;
  constructor(public dims: number, public eps = 1e-5, affine = false) {
    super();
    checkEps('InstanceNorm', eps);
    if (affine) {
      this.weight = mx.ones([dims]);
      this.bias = mx.zeros([dims]);
    }
  }
  protected override toStringExtra(): string {
    return `${this.dims}, eps=${fmt(this.eps)}, affine=${this.weight !== undefined}`;
  }
  forward(x: mx.array): mx.array {
    if (x.ndim < 3) throw new Error(`InstanceNorm expects inputs with at least 3 dimensions (N, ..., C) but the input has ${x.ndim} dimensions.`);
    const nd = x.ndim;
    const [N, C] = [x.shape[0]!, x.shape[nd - 1]!];
    const spatial = x.shape.slice(1, -1);
    const rest = Array.from({ length: nd - 2 }, (_, i) => i + 1);
    const cf = mx.transpose(x, [0, nd - 1, ...rest]).reshape(N, C, -1);
    const y = mx.transpose(layerNorm(cf, null, null, this.eps).reshape(N, C, ...spatial), [0, ...rest.map((i) => i + 1), 1]);
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
  }
}

/** Normalizes over the last axis, then scales and shifts (when `affine`). */
export class LayerNorm extends Module {
  weight?: mx.array;
  bias?: mx.array;
  constructor(public dims: number, public eps = 1e-5, affine = true, bias = true) {
    super();
    checkEps('LayerNorm', eps);
    if (affine) {
      this.weight = mx.ones([dims]);
      if (bias) this.bias = mx.zeros([dims]);
    }
  }
  protected override toStringExtra(): string {
    return `${this.dims}, eps=${fmt(this.eps)}, affine=${this.weight !== undefined}`;
  }
  forward(x: mx.array): mx.array {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** Divides by the root mean square of the last axis and scales by `weight`. */
export class RMSNorm extends Module {
  weight: mx.array;
  constructor(dims: number, public eps = 1e-5) {
    super();
    checkEps('RMSNorm', eps);
    this.weight = mx.ones([dims]);
  }
  protected override toStringExtra(): string {
    return `${this.weight.shape[0]}, eps=${fmt(this.eps)}`;
  }
  forward(x: mx.array): mx.array {
    return rmsNorm(x, this.weight, this.eps);
  }
}

/**
 * Normalizes groups of features of [N, ..., C] inputs. MLX's default groups features
 * strided (feature f in group f % numGroups); `pytorchCompatible` groups them contiguously.
 */
export class GroupNorm extends Module {
  weight?: mx.array;
  bias?: mx.array;
  constructor(public numGroups: number, public dims: number, public eps = 1e-5, affine = true, public pytorchCompatible = false) {
    super();
    checkEps('GroupNorm', eps);
    if (!(numGroups > 0)) throw new RangeError(`The number of groups (${numGroups}) must be a positive integer.`);
    if (!(dims > 0)) throw new RangeError(`The number of features (${dims}) must be a positive integer.`);
    if (dims % numGroups !== 0) throw new RangeError(`The number of features (${dims}) must be evenly divisible by the number of groups (${numGroups}).`);
    if (affine) {
      this.bias = mx.zeros([dims]);
      this.weight = mx.ones([dims]);
    }
  }
  protected override toStringExtra(): string {
    return `${this.numGroups}, ${this.dims}, eps=${fmt(this.eps)}, affine=${this.weight !== undefined}, pytorchCompatible=${this.pytorchCompatible}`;
  }
  forward(x: mx.array): mx.array {
    const shape = x.shape;
    const batch = shape[0]!;
    const g = this.numGroups;
    let y: mx.array;
    if (this.pytorchCompatible) {
      const gs = this.dims / g;
      y = x.reshape(batch, -1, g, gs).transpose(0, 2, 1, 3).reshape(batch, g, -1);
      y = layerNorm(y, null, null, this.eps);
      y = y.reshape(batch, g, -1, gs).transpose(0, 2, 1, 3).reshape(...shape);
    } else {
      y = x.reshape(batch, -1, g);
      const means = mx.mean(y, 1, true);
      const v = mx.variance(y, 1, true);
      y = mx.multiply(mx.subtract(y, means), mx.rsqrt(mx.add(v, this.eps))).reshape(...shape);
    }
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
  }
}

/**
 * Batch normalization over all axes but the last of [N, C], [N, L, C] or [N, H, W, C] inputs.
 * In training it normalizes with the batch statistics and updates the running ones
 * (`runningMean`, `runningVar`: frozen parameters); in evaluation it uses the running ones.
 */
export class BatchNorm extends Module {
  weight?: mx.array;
  bias?: mx.array;
  runningMean?: mx.array;
  runningVar?: mx.array;
  constructor(public numFeatures: number, public eps = 1e-5, public momentum = 0.1, affine = true, public trackRunningStats = true) {
    super();
    checkEps('BatchNorm', eps);
    if (affine) {
      this.weight = mx.ones([numFeatures]);
      this.bias = mx.zeros([numFeatures]);
    }
    if (trackRunningStats) {
      this.runningMean = mx.zeros([numFeatures]);
      this.runningVar = mx.ones([numFeatures]);
      this.freeze(false, ['runningMean', 'runningVar']);
    }
  }
  override unfreeze(recurse = true, keys?: string | string[] | null, strict = false): this {
    super.unfreeze(recurse, keys, strict);
    if (this.trackRunningStats) this.freeze(false, ['runningMean', 'runningVar']);
    return this;
  }
  protected override toStringExtra(): string {
    return `${this.numFeatures}, eps=${fmt(this.eps)}, momentum=${fmt(this.momentum)}, affine=${this.weight !== undefined}, trackRunningStats=${this.trackRunningStats}`;
  }
  forward(x: mx.array): mx.array {
    if (x.ndim < 2 || x.ndim > 4) throw new Error(`Expected input tensor to have 2, 3 or 4 dimensions, but got ${x.ndim}`);
    const axes = Array.from({ length: x.ndim - 1 }, (_, i) => i);
    if (this.training && x.shape.slice(0, -1).reduce((a, b) => a * b, 1) === 1) {
      throw new Error('BatchNorm training requires more than one value per channel.');
    }
    let mean = mx.mean(x, axes);
    let v = mx.variance(x, axes);
    if (this.training && this.trackRunningStats) {
      const mu = this.momentum;
      const unbiased = mx.variance(x, axes, false, 1);
      this.runningMean = mx.add(mx.multiply(1 - mu, this.runningMean!), mx.multiply(mu, mean));
      this.runningVar = mx.add(mx.multiply(1 - mu, this.runningVar!), mx.multiply(mu, unbiased));
    } else if (this.trackRunningStats) {
      mean = this.runningMean!;
      v = this.runningVar!;
    }
    const y = mx.multiply(mx.subtract(x, mean), mx.rsqrt(mx.add(v, this.eps)));
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
  }
}
