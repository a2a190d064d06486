// RoPE, SinusoidalPositionalEncoding, ALiBi (mlx/nn/layers/positional_encoding.py).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';
import { rope } from '../fast.js';

/** Rotary positional encoding of the first `dims` features of [..., L, D] inputs. */
export class RoPE extends Module {
  constructor(public dims: number, public traditional = false, public base = 10000, public scale = 1.0) {
    super();
  }
  protected override toStringExtra(): string {
    return `${this.dims}, traditional=${this.traditional}`;
  }
  forward(x: mx.array, offset: number | mx.array = 0): mx.array {
    return rope(x, this.dims, this.traditional, this.base, this.scale, offset);
  }
}

/** Sinusoidal encodings of positions x: [..., dims] (sines then cosines unless `cosFirst`). */
export class SinusoidalPositionalEncoding extends Module {
  protected _sigmas: mx.array;
  scale: number;
  constructor(dims: number, minFreq = 0.0001, maxFreq = 1, scale?: number | null, public cosFirst = false, fullTurns = false) {
    super();
    if (!(dims > 0) || dims % 2 !== 0) throw new RangeError(`[SinusoidalPositionalEncoding] dims must be positive and even but got ${dims}.`);
    const half = dims / 2;
    const oneZero = dims === 2 ? mx.array([1.0]) : mx.subtract(1, mx.divide(mx.arange(0, half), half - 1));
    const lo = Math.log(minFreq);
    const hi = Math.log(maxFreq);
    this._sigmas = mx.exp(mx.add(mx.multiply(oneZero, hi - lo), lo));
    if (fullTurns) this._sigmas = mx.multiply(this._sigmas, 2 * Math.PI);
    this.scale = scale ?? Math.sqrt(2 / dims);
  }
  forward(x: mx.array): mx.array {
    const y = mx.multiply(mx.expandDims(x, -1), this._sigmas);
    const c = mx.cos(y);
    const s = mx.sin(y);
    const out = mx.concatenate(this.cosFirst ? [c, s] : [s, c], -1);
    return this.scale !== 1 ? mx.multiply(out, this.scale) : out;
  }
}

/** Attention with linear biases: adds -|i - j| * slope_h to attention scores [B, H, L, S]. */
export class ALiBi extends Module {
  static createAlibiMatrix(qSequenceLength: number, kSequenceLength: number, numHeads: number, offset = 0, dtype: mx.Dtype = mx.float32): mx.array {
    const x1 = mx.arange(offset, qSequenceLength);
    const x2 = mx.arange(0, kSequenceLength);
    const distance = mx.negative(mx.abs(mx.expandDims(mx.subtract(mx.expandDims(x1, 1), mx.expandDims(x2, 0)), [0, 1])));
    return mx.multiply(distance, ALiBi.createAlibiSlope(numHeads, dtype)).astype(dtype);
  }
  static createAlibiSlope(numHeads: number, dtype: mx.Dtype = mx.float32): mx.array {
    const slopes = (n: number): number[] => {
      const l2 = Math.log2(n);
      if (Number.isInteger(l2)) {
        const start = 2 ** -(2 ** -(l2 - 3));
        return Array.from({ length: n }, (_, i) => start * start ** i);
      }
      const p = 2 ** Math.floor(l2);
      return [...slopes(p), ...slopes(2 * p).filter((_, i) => i % 2 === 0).slice(0, n - p)];
    };
    return mx.expandDims(mx.array(slopes(numHeads), dtype), [-1, -2]);
  }
  forward(attentionScores: mx.array, offset = 0, mask?: mx.array | null): mx.array {
    const s = attentionScores.shape;
    let m = ALiBi.createAlibiMatrix(s[s.length - 2]! + offset, s[s.length - 1]!, s[1]!, offset, attentionScores.dtype);
    if (mask != null) m = mx.add(m, mask);
    return mx.add(attentionScores, m);
  }
}
