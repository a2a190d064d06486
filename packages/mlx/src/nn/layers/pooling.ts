// Max and average pooling over 1, 2 or 3 spatial axes (mlx/nn/layers/pooling.py): sliding
// windows as an asStrided view (a reshape when windows don't overlap), then a reduction.
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';

function valueOrList(x: number | number[], n: number, msg: string): number[] {
  if (Array.isArray(x)) {
    if (x.length !== n || x.some((v) => !Number.isInteger(v))) throw new Error(msg);
    return [...x];
  }
  if (!Number.isInteger(x)) throw new Error(msg);
  return Array(n).fill(x);
}

function slidingWindows(x: mx.array, window: number[], strides: number[]): mx.array {
  if (x.ndim < 3) throw new Error(`To extract sliding windows at least 1 spatial dimension (3 total) is needed but the input only has ${x.ndim} dimensions.`);
  const shape = x.shape;
  const spatial = shape.slice(1, -1);
  if (spatial.length !== window.length || window.length !== strides.length) {
    throw new Error(
      `To extract sliding windows the window shapes and strides must have the same number of spatial dimensions as the signal but the signal has ${spatial.length} dims and the window shape has ${window.length} and strides have ${strides.length}.`,
    );
  }
  if (spatial.every((s, i) => window[i] === strides[i] && s % window[i]! === 0)) {
    const newShape = [shape[0]!];
    spatial.forEach((s, i) => newShape.push(s / window[i]!, window[i]!));
    newShape.push(shape[shape.length - 1]!);
    const last = newShape.length - 1;
    const order = [0];
    for (let i = 1; i < last; i += 2) order.push(i);
    for (let i = 2; i < last; i += 2) order.push(i);
    order.push(last);
    return x.reshape(newShape).transpose(order);
  }
  // Row-major strides of x (in elements), after making it contiguous.
  const rowStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const finalShape = [shape[0]!, ...spatial.map((s, i) => Math.floor((s - window[i]!) / strides[i]!) + 1), ...window, shape[shape.length - 1]!];
  const inner = rowStrides.slice(1, -1);
  const finalStrides = [rowStrides[0]!, ...inner.map((st, i) => st * strides[i]!), ...inner, rowStrides[rowStrides.length - 1]!];
  return mx.asStrided(x, finalShape, finalStrides);
}

abstract class Pool extends Module {
  protected _kernelSize: number[];
  protected _stride: number[];
  protected _padding: number[];
  constructor(
    private readonly _reduce: (x: mx.array, axes: number[]) => mx.array,
    private readonly _paddingValue: number,
    n: number,
    kernelSize: number | number[],
    stride: number | number[] | null | undefined,
    padding: number | number[],
  ) {
    super();
    const name = this.constructor.name;
    const msg = (what: string) => `[${name}] '${what}' must be an integer or a tuple containing ${n} integer${n > 1 ? 's' : ''}`;
    this._kernelSize = valueOrList(kernelSize, n, msg('kernel_size'));
    this._stride = stride != null ? valueOrList(stride, n, msg('stride')) : this._kernelSize;
    this._padding = valueOrList(padding, n, msg('padding'));
    for (const [what, v] of [['kernel_size', this._kernelSize], ['stride', this._stride]] as const) {
      if (v.some((e) => e <= 0)) throw new RangeError(`[${name}] '${what}' must be positive but got (${v.join(', ')}).`);
    }
    if (this._padding.some((p) => p < 0)) throw new RangeError(`[${name}] 'padding' must be non-negative but got (${this._padding.join(', ')}).`);
  }
  protected override toStringExtra(): string {
    return `kernelSize=${this._kernelSize.join(',')}, stride=${this._stride.join(',')}, padding=${this._padding.join(',')}`;
  }
  forward(x: mx.array): mx.array {
    if (this._padding.some((p) => p > 0)) {
      x = mx.pad(x, [[0, 0], ...this._padding.map((p) => [p, p] as [number, number]), [0, 0]], this._paddingValue);
    }
    const n = this._kernelSize.length;
    const axes = Array.from({ length: n }, (_, i) => -n - 1 + i);
    return this._reduce(slidingWindows(x, this._kernelSize, this._stride), axes);
  }
}

const maxOf = (x: mx.array, axes: number[]) => mx.max(x, axes);
const meanOf = (x: mx.array, axes: number[]) => mx.mean(x, axes);

type PoolArgs = [kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]];

/** A pooling layer class over `n` spatial axes. */
function pool(reduce: (x: mx.array, axes: number[]) => mx.array, paddingValue: number, n: number): new (...args: PoolArgs) => Module & { forward(x: mx.array): mx.array } {
  return class extends Pool {
    constructor(...[kernelSize, stride, padding = 0]: PoolArgs) {
      super(reduce, paddingValue, n, kernelSize, stride, padding);
    }
  };
}

/** Max over windows of the one spatial axis of [N, L, C] inputs. */
export class MaxPool1d extends pool(maxOf, -Infinity, 1) {}
/** Mean over windows of the one spatial axis of [N, L, C] inputs (padding counts as zeros). */
export class AvgPool1d extends pool(meanOf, 0, 1) {}
/** Max over windows of the two spatial axes of [N, H, W, C] inputs. */
export class MaxPool2d extends pool(maxOf, -Infinity, 2) {}
/** Mean over windows of the two spatial axes of [N, H, W, C] inputs. */
export class AvgPool2d extends pool(meanOf, 0, 2) {}
/** Max over windows of the three spatial axes of [N, D, H, W, C] inputs. */
export class MaxPool3d extends pool(maxOf, -Infinity, 3) {}
/** Mean over windows of the three spatial axes of [N, D, H, W, C] inputs. */
export class AvgPool3d extends pool(meanOf, 0, 3) {}
