// Sequential (mlx/nn/layers/containers.py).
import type * as mx from '@mlx-ts/core';
import { Module } from './base.js';

/** A layer of a Sequential: a module or a plain function of one array. */
export type SequentialLayer = Module | ((x: any) => any);

/** Calls its layers in order, each on the previous one's output. */
export class Sequential extends Module {
  layers: SequentialLayer[];
  constructor(...modules: SequentialLayer[]) {
    super();
    this.layers = modules;
  }
  forward(x: mx.array): mx.array {
    for (const m of this.layers) x = Module.isModule(m) ? m.forward(x) : m(x);
    return x;
  }
}
