// Upsample (mlx/nn/layers/upsample.py): nearest, linear and cubic interpolation of the spatial
// axes of [N, ..., C] inputs, optionally antialiased (linear, cubic).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';

type A = mx.array;
type Tap = [A, A]; // indices (uint32), weights
type IndicesFn = (n: number, scale: number, alignCorners: boolean, dim: number, ndims: number) => Tap[];

function axisShape(dim: number, ndims: number): number[] {
  const s = Array(ndims).fill(1);
  s[dim] = -1;
  return s;
}

function scaledIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): A {
  const M = Math.trunc(scale * N);
  let idx: A;
  if (alignCorners) idx = mx.multiply(mx.arange(0, M, 1, mx.float32), (N - 1) / Math.max(M - 1, 1));
  else {
    const step = 1 / scale;
    const start = ((M - 1) * step - N + 1) / 2;
    idx = mx.subtract(mx.multiply(mx.arange(0, M, 1, mx.float32), step), start);
  }
  return idx.reshape(axisShape(dim, ndims));
}

function nearestIndices(N: number, scale: number, dim: number, ndims: number): A {
  const M = Math.trunc(scale * N);
  let idx = mx.arange(0, M, 1, mx.float32);
  idx = M > N ? mx.round(mx.subtract(mx.multiply(mx.add(idx, 0.5), N / M), 0.5)) : mx.multiply(idx, N / M);
  return idx.astype(mx.uint32).reshape(axisShape(dim, ndims));
}

const linearIndices: IndicesFn = (N, scale, alignCorners, dim, ndims) => {
  const idx = mx.clip(scaledIndices(N, scale, alignCorners, dim, ndims), 0, N - 1);
  const l = mx.floor(idx);
  const r = mx.ceil(idx);
  const w = mx.expandDims(mx.subtract(idx, l), -1);
  return [
    [l.astype(mx.uint32), mx.subtract(1, w)],
    [r.astype(mx.uint32), w],
  ];
};

function cubicWeight(ind: A, grid: A, dist: 1 | 2): A {
  const a = -0.75;
  const x = mx.abs(mx.subtract(ind, grid));
  if (dist === 1) return mx.add(mx.multiply(mx.multiply(mx.subtract(mx.multiply(a + 2, x), a + 3), x), x), 1);
  return mx.multiply(mx.subtract(mx.multiply(mx.add(mx.multiply(mx.subtract(x, 5), x), 8), x), 4), a);
}

const cubicIndices: IndicesFn = (N, scale, alignCorners, dim, ndims) => {
  const idx = scaledIndices(N, scale, alignCorners, dim, ndims);
  const l1 = mx.floor(idx);
  const r1 = mx.floor(mx.add(idx, 1));
  const l2 = mx.subtract(l1, 1);
  const r2 = mx.add(r1, 1);
  const tap = (g: A, d: 1 | 2): Tap => [mx.clip(g, 0, N - 1).astype(mx.uint32), mx.expandDims(cubicWeight(idx, g, d), -1)];
  return [tap(l1, 1), tap(r1, 1), tap(l2, 2), tap(r2, 2)];
};

function aaIndices(kernel: (x: A) => A, radius: number): IndicesFn {
  return (N, scale, alignCorners, dim, ndims) => {
    const idx = scaledIndices(N, scale, alignCorners, dim, ndims);
    const inv = scale < 1 ? 1 / scale : 1;
    const taps = Math.ceil(radius * inv) + 1;
    const all: [A, A][] = [];
    for (let k = -taps + 1; k < taps; k++) {
      const i = mx.add(mx.floor(idx), k);
      const w = mx.where(mx.logicalAnd(mx.greaterEqual(i, 0), mx.less(i, N)), kernel(mx.divide(mx.abs(mx.subtract(idx, i)), inv)), 0.0);
      all.push([i, w]);
    }
    let sum = all[0]![1];
    for (const [, w] of all.slice(1)) sum = mx.add(sum, w);
    sum = mx.where(mx.greater(sum, 0), sum, 1.0);
    return all.map(([i, w]) => [mx.clip(i, 0, N - 1).astype(mx.uint32), mx.expandDims(mx.divide(w, sum), -1)] as Tap);
  };
}
const triangle = (x: A) => mx.maximum(mx.subtract(1.0, x), 0.0);
const cubicKernel = (x: A) => {
  const a = -0.5;
  const inner = mx.add(mx.multiply(mx.multiply(mx.subtract(mx.multiply(a + 2, x), a + 3), x), x), 1);
  const outer = mx.multiply(mx.subtract(mx.multiply(mx.add(mx.multiply(mx.subtract(x, 5), x), 8), x), 4), a);
  return mx.where(mx.lessEqual(x, 1.0), inner, mx.where(mx.lessEqual(x, 2.0), outer, 0.0));
};

function upsampleNearest(x: A, scale: number[]): A {
  const dims = x.ndim - 2;
  if (scale.every((s) => Number.isInteger(s))) {
    const shape = [...x.shape];
    for (let d = 0; d < dims; d++) shape.splice(2 + 2 * d, 0, 1);
    let y = x.reshape(shape);
    for (let d = 0; d < dims; d++) shape[2 + 2 * d] = scale[d]!;
    y = mx.broadcastTo(y, shape);
    for (let d = 0; d < dims; d++) {
      shape[d + 1]! *= shape[d + 2]!;
      shape.splice(d + 2, 1);
    }
    return y.reshape(shape);
  }
  const idx = x.shape.slice(1, -1).map((n, i) => nearestIndices(n, scale[i]!, i, dims));
  return x.index(mx.Slice(), ...idx);
}

function interpolate(x: A, scale: number[], fn: IndicesFn, alignCorners: boolean): A {
  const dims = x.ndim - 2;
  const per = x.shape.slice(1, -1).map((n, i) => fn(n, scale[i]!, alignCorners, i, dims));
  let out: A | null = null;
  const visit = (d: number, idx: A[], w: A | null) => {
    if (d === dims) {
      const term = mx.multiply(w!, x.index(mx.Slice(), ...idx));
      out = out === null ? term : mx.add(out, term);
      return;
    }
    for (const [i, wi] of per[d]!) visit(d + 1, [...idx, i], w === null ? wi : mx.multiply(w, wi));
  };
  visit(0, [], null);
  return out!;
}

function interpolateSeparable(x: A, scale: number[], fn: IndicesFn, alignCorners: boolean): A {
  const dims = x.ndim - 2;
  let out = x;
  x.shape.slice(1, -1).forEach((n, i) => {
    let acc: A | null = null;
    for (const [idx, w] of fn(n, scale[i]!, alignCorners, i, dims)) {
      const term = mx.multiply(mx.take(out, idx.reshape(-1), i + 1), w);
      acc = acc === null ? term : mx.add(acc, term);
    }
    out = acc!;
  });
  return out;
}

export type UpsampleMode = 'nearest' | 'linear' | 'cubic';

/** Upsamples the spatial axes of [N, ..., C] inputs by `scaleFactor` (one, or one per axis). */
export class Upsample extends Module {
  constructor(public scaleFactor: number | number[], public mode: UpsampleMode = 'nearest', public alignCorners = false, public antialias = false) {
    super();
    if (!['nearest', 'linear', 'cubic'].includes(mode)) throw new Error(`[Upsample] Got unsupported upsampling algorithm: ${mode}`);
    if (antialias && mode === 'nearest') throw new Error('[Upsample] Antialiasing is not supported for nearest neighbor upsampling');
    if (antialias && alignCorners) throw new Error('[Upsample] antialias=True with align_corners=True is not supported. Use align_corners=False for antialiased interpolation.');
  }
  protected override toStringExtra(): string {
    const sf = Array.isArray(this.scaleFactor) ? this.scaleFactor.join(',') : String(this.scaleFactor);
    return `scaleFactor=${sf}, mode='${this.mode}', alignCorners=${this.alignCorners}${this.antialias ? ', antialias=true' : ''}`;
  }
  forward(x: A): A {
    const dims = x.ndim - 2;
    if (dims <= 0) throw new Error(`[Upsample] The input should have at least 1 spatial dimension which means it should be at least 3D but ${x.ndim}D was provided`);
    let scale: number[];
    if (Array.isArray(this.scaleFactor)) {
      if (this.scaleFactor.length !== dims) {
        throw new Error(`[Upsample] One scale per spatial dimension is required but scale_factor=(${this.scaleFactor.join(', ')}) and the number of spatial dimensions were ${dims}`);
      }
      scale = this.scaleFactor;
    } else scale = Array(dims).fill(this.scaleFactor);
    if (this.mode === 'nearest') return upsampleNearest(x, scale);
    if (this.mode === 'linear') {
      if (this.antialias) return interpolateSeparable(x, scale, aaIndices(triangle, 1), false);
      if (!this.alignCorners) return interpolateSeparable(x, scale, linearIndices, false);
      return interpolate(x, scale, linearIndices, true);
    }
    if (this.antialias) return interpolateSeparable(x, scale, aaIndices(cubicKernel, 2), false);
    return interpolate(x, scale, cubicIndices, this.alignCorners);
  }
}
