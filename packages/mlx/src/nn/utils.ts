// nn.valueAndGrad and nn.checkpoint (mlx/nn/utils.py): transforms over a model's trainable
// parameters; nn.averageGradients and nn.clipGradNormSharded for data-parallel training.
import * as mx from '@mlx-ts/core';
import type { Module } from './layers/base.js';
import { type NestedDict, treeFlatten, treeMap, treeReduce, treeUnflatten } from '../utils.js';

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

/**
 * Averages the gradients (a tree of arrays, the same structure on every process) over the
 * processes of `group` (default: the global group). Arrays are concatenated into all-reduces of
 * at least `allReduceSize` bytes (<= 0: one per array; mixed dtypes: one per array). On a
 * singleton group (always, in mlx-ts) the gradients come back unchanged, as in MLX.
 */
export function averageGradients<T>(gradients: T, group?: mx.distributed.Group | null, allReduceSize = 32 * 1024 ** 2, communicationStream?: mx.StreamOrDevice): T {
  const g = group ?? mx.distributed.init();
  const n = g.size();
  if (n === 1) return gradients;
  const average = (x: mx.array) => mx.divide(mx.distributed.allSum(x, g, communicationStream), n);
  if (allReduceSize <= 0) return treeMap(average, gradients) as T;
  const flat = treeFlatten(gradients) as [string, mx.array][];
  if (flat.length === 0) return gradients;
  const dtype = flat[0]![1].dtype;
  if (!flat.every(([, a]) => a.dtype === dtype)) return averageGradients(gradients, g, 0, communicationStream);
  // consecutive arrays in groups of just at least allReduceSize bytes
  const groups: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  flat.forEach(([, a], i) => {
    cur.push(i);
    bytes += a.size * dtype.size;
    if (bytes >= allReduceSize) {
      groups.push(cur);
      cur = [];
      bytes = 0;
    }
  });
  if (cur.length) groups.push(cur);
  const out: [string, mx.array][] = [];
  for (const grp of groups) {
    const bounds: number[] = [];
    for (let i = 0, acc = 0; i < grp.length - 1; i++) bounds.push((acc += flat[grp[i]!]![1].size));
    const parts = mx.split(average(mx.concatenate(grp.map((i) => flat[i]![1].reshape(-1)))), bounds);
    grp.forEach((j, i) => out.push([flat[j]![0], parts[i]!.reshape(...flat[j]![1].shape)]));
  }
  return treeUnflatten(out) as T;
}

/**
 * Clips gradients sharded over `group` (each process holds a shard, as with nn.fullyShard) to a
 * global norm of at most `maxNorm`: returns `[clipped gradients, global norm]`.
 */
export function clipGradNormSharded<T>(gradients: T, maxNorm: number, group?: mx.distributed.Group | null): [T, mx.array] {
  const localNormSquared = treeReduce((acc: mx.array | number, x: mx.array) => mx.add(acc, mx.square(x).sum()), gradients, 0) as mx.array;
  const gradNorm = mx.sqrt(mx.distributed.allSum(localNormSquared, group));
  const normalizer = mx.minimum(mx.divide(maxNorm, mx.add(gradNorm, 1e-6)), 1.0);
  return [treeMap((x: mx.array) => mx.multiply(x, normalizer), gradients) as T, gradNorm];
}
