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
  /** Zeroes entries with probability p over `maskShape` (broadcast) and rescales by 1/(1-p). */
  protected drop(x: mx.array, maskShape: number[]): mx.array {
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
    return this.drop(x, x.shape);
  }
}

/** Zeroes whole channels of [N, H, W, C] (or [H, W, C]) inputs with probability `p`. */
export class Dropout2d extends DropoutBase {
  constructor(p = 0.5) {
    super(p);
  }
  forward(x: mx.array): mx.array {
    if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`Received input with ${x.ndim} dimensions. Expected 3 or 4 dimensions.`);
    const shape = [...x.shape];
    shape[shape.length - 2] = shape[shape.length - 3] = 1;
    return this.drop(x, shape);
  }
}

/** Zeroes whole channels of [N, D, H, W, C] (or [D, H, W, C]) inputs with probability `p`. */
export class Dropout3d extends DropoutBase {
  constructor(p = 0.5) {
    super(p);
  }
  forward(x: mx.array): mx.array {
    if (x.ndim !== 4 && x.ndim !== 5) throw new Error(`Received input with ${x.ndim} dimensions. Expected 4 or 5 dimensions.`);
    const shape = [...x.shape];
    shape[shape.length - 2] = shape[shape.length - 3] = shape[shape.length - 4] = 1;
    return this.drop(x, shape);
  }
}
