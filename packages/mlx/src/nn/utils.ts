// nn.valueAndGrad and nn.checkpoint (mlx/nn/utils.py): transforms over a model's trainable
// parameters.
import * as mx from '@mlx-ts/core';
import type { Module } from './layers/base.js';
import { type NestedDict, treeFlatten } from '../utils.js';

/**
 * Turns `fn` into a function that returns `[fn(...args), gradients]`, the gradients being
 * with respect to `model.trainableParameters()` (a tree like it). The model's parameters are
 * the same arrays after the call as before it. `options.noAutoDispose` is accepted for
 * node-mlx compatibility: nothing is disposed either way.
 */
export function valueAndGrad<T extends any[], U>(model: Module, fn: (...args: T) => U, _options?: { noAutoDispose?: boolean }): (...args: T) => [U, NestedDict<mx.array>] {
  const inner = (params: NestedDict<mx.array>, ...args: T): U => {
    model.update(params, false);
    return fn(...args);
  };
  const vg = mx.valueAndGrad(inner);
  return (...args: T) => {
    const params = model.trainableParameters();
    // Nothing to differentiate (MLX gives the empty tree back; mx.valueAndGrad refuses it).
    if (!treeFlatten(params).some(([, v]) => v instanceof mx.MxArray)) return [fn(...args), params];
    try {
      return vg(params, ...args) as [U, NestedDict<mx.array>];
    } finally {
      // The traced stand-ins went into the model during the call; put the arrays back.
      model.update(params, false);
    }
  };
}

/**
 * Gradient checkpointing of `fn` (default: `module.forward`) with respect to the module's
 * trainable parameters and the call's inputs: the backward pass recomputes the forward pass
 * instead of keeping its intermediates.
 */
export function checkpoint<M extends Module, T extends any[]>(module: M, fn?: (...args: T) => any): (...args: T) => any {
  const f = fn ?? ((...args: T) => module.forward(...args));
  const inner = (params: NestedDict<mx.array>, ...args: T) => {
    module.update(params, false);
    return f(...args);
  };
  const cp = mx.checkpoint(inner);
  return (...args: T) => {
    const params = module.trainableParameters();
    try {
      return cp(params, ...args);
    } finally {
      module.update(params, false);
    }
  };
}
