// RNN, GRU, LSTM (mlx/nn/layers/recurrent.py): inputs [N, L, D] or [L, D].
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';

const at = (x: mx.array, t: number) => x.index('...', t, mx.Slice());

/** U(-1/sqrt(hidden), 1/sqrt(hidden)) weights of `gates` stacked gates: [Wx, Wh, bias or null]. */
function gateWeights(gates: number, inputSize: number, hiddenSize: number, bias: boolean): [mx.array, mx.array, mx.array | null] {
  const s = 1 / Math.sqrt(hiddenSize);
  const u = (shape: number[]) => mx.random.uniform(-s, s, shape);
  return [u([gates * hiddenSize, inputSize]), u([gates * hiddenSize, hiddenSize]), bias ? u([gates * hiddenSize]) : null];
}

/** Elman RNN: h_t = nonlinearity(W_xh x_t + W_hh h_{t-1} + b) (tanh by default). */
export class RNN extends Module {
  hiddenSize: number;
  Wxh: mx.array;
  Whh: mx.array;
  bias: mx.array | null;
  nonlinearity: (x: mx.array) => mx.array;
  constructor(inputSize: number, hiddenSize: number, bias = true, nonlinearity?: ((x: mx.array) => mx.array) | null) {
    super();
    this.nonlinearity = nonlinearity ?? mx.tanh;
    if (typeof this.nonlinearity !== 'function') throw new TypeError(`Nonlinearity must be callable. Current value: ${String(nonlinearity)}.`);
    this.hiddenSize = hiddenSize;
    [this.Wxh, this.Whh, this.bias] = gateWeights(1, inputSize, hiddenSize, bias);
  }
  protected override toStringExtra(): string {
    return `inputDims=${this.Wxh.shape[1]}, hiddenSize=${this.hiddenSize}, nonlinearity=${this.nonlinearity.name || 'function'}, bias=${this.bias !== null}`;
  }
  forward(x: mx.array, hidden?: mx.array | null): mx.array {
    x = this.bias !== null ? mx.addmm(this.bias, x, this.Wxh.T) : mx.matmul(x, this.Wxh.T);
    const all: mx.array[] = [];
    let h = hidden ?? null;
    for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
      h = h !== null ? mx.addmm(at(x, t), h, this.Whh.T) : at(x, t);
      h = this.nonlinearity(h);
      all.push(h);
    }
    return mx.stack(all, -2);
  }
}

/** Gated recurrent unit (gates r, z, n; `bhn` is the hidden bias of n). */
export class GRU extends Module {
  hiddenSize: number;
  Wx: mx.array;
  Wh: mx.array;
  b: mx.array | null;
  bhn: mx.array | null;
  constructor(inputSize: number, hiddenSize: number, bias = true) {
    super();
    this.hiddenSize = hiddenSize;
    [this.Wx, this.Wh, this.b] = gateWeights(3, inputSize, hiddenSize, bias);
    this.bhn = bias ? gateWeights(1, 0, hiddenSize, true)[2] : null;
  }
  protected override toStringExtra(): string {
    return `inputDims=${this.Wx.shape[1]}, hiddenSize=${this.hiddenSize}, bias=${this.b !== null}`;
  }
  forward(x: mx.array, hidden?: mx.array | null): mx.array {
    const H = this.hiddenSize;
    x = this.b !== null ? mx.addmm(this.b, x, this.Wx.T) : mx.matmul(x, this.Wx.T);
    const xRz = x.index('...', mx.Slice(null, -H));
    const xN = x.index('...', mx.Slice(-H));
    const all: mx.array[] = [];
    let h = hidden ?? null;
    for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
      let rz = at(xRz, t);
      let hProjN: mx.array | null = null;
      if (h !== null) {
        const hProj = mx.matmul(h, this.Wh.T);
        hProjN = hProj.index('...', mx.Slice(-H));
        if (this.bhn !== null) hProjN = mx.add(hProjN, this.bhn);
        rz = mx.add(rz, hProj.index('...', mx.Slice(null, -H)));
      }
      rz = mx.sigmoid(rz);
      const [r, z] = mx.split(rz, 2, -1) as [mx.array, mx.array];
      let n = at(xN, t);
      if (h !== null) n = mx.add(n, mx.multiply(r, hProjN!));
      else if (this.bhn !== null) n = mx.add(n, mx.multiply(r, this.bhn));
      n = mx.tanh(n);
      h = h !== null ? mx.add(mx.multiply(mx.subtract(1, z), n), mx.multiply(z, h)) : mx.multiply(mx.subtract(1, z), n);
      all.push(h);
    }
    return mx.stack(all, -2);
  }
}

/** Long short-term memory; `forward` returns [hidden states, cell states]. */
export class LSTM extends Module {
  hiddenSize: number;
  Wx: mx.array;
  Wh: mx.array;
  bias: mx.array | null;
  constructor(inputSize: number, hiddenSize: number, bias = true) {
    super();
    this.hiddenSize = hiddenSize;
    [this.Wx, this.Wh, this.bias] = gateWeights(4, inputSize, hiddenSize, bias);
  }
  protected override toStringExtra(): string {
    return `inputDims=${this.Wx.shape[1]}, hiddenSize=${this.hiddenSize}, bias=${this.bias !== null}`;
  }
  forward(x: mx.array, hidden?: mx.array | null, cell?: mx.array | null): [mx.array, mx.array] {
    x = this.bias !== null ? mx.addmm(this.bias, x, this.Wx.T) : mx.matmul(x, this.Wx.T);
    const hs: mx.array[] = [];
    const cs: mx.array[] = [];
    let h = hidden ?? null;
    let c = cell ?? null;
    for (let t = 0; t < x.shape[x.ndim - 2]!; t++) {
      let ifgo = at(x, t);
      if (h !== null) ifgo = mx.addmm(ifgo, h, this.Wh.T);
      const [i0, f0, g0, o0] = mx.split(ifgo, 4, -1) as [mx.array, mx.array, mx.array, mx.array];
      const i = mx.sigmoid(i0);
      const f = mx.sigmoid(f0);
      const g = mx.tanh(g0);
      const o = mx.sigmoid(o0);
      c = c !== null ? mx.add(mx.multiply(f, c), mx.multiply(i, g)) : mx.multiply(i, g);
      h = mx.multiply(o, mx.tanh(c));
      cs.push(c);
      hs.push(h);
    }
    return [mx.stack(hs, -2), mx.stack(cs, -2)];
  }
}
