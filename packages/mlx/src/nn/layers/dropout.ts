// Dropout, Dropout2d, Dropout3d (mlx/nn/layers/dropout.py): identity in evaluation mode.
import * as mx from '@mlx-ts/core';
import { Module, fmt } from './base.js';

abstract class DropoutBase extends Module {
  protected _p1: number;
  constructor(p: number) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`The dropout probability ${p} is not in [0, 1)`);
    this._p1 = 1 - p;
  }
  protected override toStringExtra(): string {
    return `p=${fmt(1 - this._p1)}`;
  }
  /**
   * Zeroes entries with probability p over the mask shape (x's shape with `channelAxes`
   * spatial axes before the last set to 1, broadcast) and rescales by 1/(1-p).
   */
  protected drop(x: mx.array, channelAxes = 0, ndims: number[] = []): mx.array {
    if (ndims.length && !ndims.includes(x.ndim)) throw new Error(`Received input with ${x.ndim} dimensions. Expected ${ndims.join(' or ')} dimensions.`);
    const maskShape = x.shape.map((d, i) => (i >= x.ndim - 1 - channelAxes && i < x.ndim - 1 ? 1 : d));
    if (this._p1 === 1 || !this.training) return x;
    const mask = mx.random.bernoulli(this._p1, maskShape);
    return mx.multiply(mx.multiply(mask, x), 1 / this._p1);
  }
}

/** Zeroes each element with probability `p` during training, scaling the rest by 1/(1-p). */
export class Dropout extends DropoutBase {
  constructor(p = 0.5) {
    super(p);
  }
  forward(x: mx.array): mx.array {
    return this.drop(x);
  }
}

/** Zeroes whole channels of [N, H, W, C] (or [H, W, C]) inputs with probability `p`. */
export class Dropout2d extends DropoutBase {
  constructor(p = 0.5) {
    super(p);
  }
  forward(x: mx.array): mx.array {
    return this.drop(x, 2, [3, 4]);
  }
}

/** Zeroes whole channels of [N, D, H, W, C] (or [D, H, W, C]) inputs with probability `p`. */
export class Dropout3d extends DropoutBase {
  constructor(p = 0.5) {
    super(p);
  }
  forward(x: mx.array): mx.array {
    return this.drop(x, 3, [4, 5]);
  }
}
