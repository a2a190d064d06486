// The distributed layers (mlx/nn/layers/distributed.py): tensor-parallel linear layers, their
// quantized forms, the sharding helpers and fully sharded (FSDP) modules. They are written for
// any group size, as MLX's; mlx-ts's groups are singletons (one process, see mx.distributed), on
// which they compute exactly what the unsharded layers compute, as MLX's do.
import * as mx from '@mlx-ts/core';
import { Module, typeName } from './base.js';
import { Linear } from './linear.js';
import type { QuantizationMode } from './quantized.js';
import { type NestedDict, treeFlatten, treeMapWithPath, treeUnflatten } from '../../utils.js';

type Group = mx.distributed.Group;
/** How many equal parts (a number), or the split indices (integers) or fractions of a fused weight. */
export type Segments = number | number[];
/** A sharding predicate: the axis to shard `weight` along, or `[axis, segments]`, or null to keep it whole. */
export type ShardingPredicate = (path: string, weight: mx.array) => number | [number, Segments] | null | undefined;
export type Sharding = 'all-to-sharded' | 'sharded-to-all';

const groupOrGlobal = (group: Group | null | undefined): Group => group ?? mx.distributed.init();

const sumGradientsCache = new WeakMap<Group, (x: mx.array) => mx.array>();
/** Identity whose vjp sums the cotangents over the group (plain identity on a singleton group). */
function sumGradients(group: Group): (x: mx.array) => mx.array {
  let f = sumGradientsCache.get(group);
  if (!f) {
    if (group.size() === 1) f = (x) => x;
    else f = mx.customFunction((x: mx.array) => x).vjp((_primals, dx: mx.array) => [mx.distributed.allSum(dx, group)]);
    sumGradientsCache.set(group, f);
  }
  return f;
}

/** mx.split that also takes fractions of the axis (`[0.25, 0.5]`) for fused weights. */
function splitWeight(weight: mx.array, segments: Segments, axis: number): mx.array[] {
  if (typeof segments === 'number' || Number.isInteger(segments[0])) return mx.split(weight, segments, axis);
  const n = weight.shape[axis < 0 ? axis + weight.ndim : axis]!;
  return mx.split(weight, segments.map((s) => Math.trunc(s * n)), axis);
}

/** The parameter tree with each weight the predicate picks replaced by this rank's shard. */
function shard(parameters: NestedDict<mx.array>, predicate: ShardingPredicate, group?: Group | null): NestedDict<mx.array> {
  const g = groupOrGlobal(group);
  const n = g.size();
  const r = g.rank();
  return treeMapWithPath((path: string, weight: unknown) => {
    if (!(weight instanceof mx.MxArray)) return weight;
    const s = predicate(path, weight);
    if (s === null || s === undefined) return weight;
    let axis: number;
    let segments: Segments = 1;
    if (typeof s === 'number') axis = s;
    else if (Array.isArray(s) && s.length === 2) [axis, segments] = s;
    else throw new Error('The sharding function should return int or tuple[int, list]');
    const parts = splitWeight(weight, segments, axis).map((part) => splitWeight(part, n, axis)[r]!);
    return mx.contiguous(mx.concatenate(parts, axis));
  }, parameters);
}

/** Shards so that a common input becomes an output sharded over the group (weights by rows). */
function allToSharded(segments: Segments): ShardingPredicate {
  return (path, weight) => (path.endsWith('bias') ? [-1, segments] : [Math.max(weight.ndim - 2, 0), segments]);
}

/** Shards so that a sharded input becomes a common output (weights by columns, biases whole). */
function shardedToAll(segments: Segments): ShardingPredicate {
  return (path) => (path.endsWith('bias') ? null : [-1, segments]);
}

function checkSharding(sharding: unknown): asserts sharding is Sharding {
  if (sharding !== 'all-to-sharded' && sharding !== 'sharded-to-all') {
    const shown = typeof sharding === 'string' ? `'${sharding}'` : typeName(sharding);
    throw new Error(`Sharding type sharding=${shown} not supported, choose one of 'all-to-sharded' or 'sharded-to-all'`);
  }
}

/**
 * Shards `module`'s parameters in place: `sharding` is 'all-to-sharded', 'sharded-to-all' or a
 * predicate `(path, weight) => axis | [axis, segments] | null`; `segments` (for the strings)
 * says how many parts a fused weight has (3 for a fused QKV). The module itself doesn't change,
 * so it must do its own communication.
 */
export function shardInplace(module: Module, sharding: Sharding | ShardingPredicate, segments: Segments = 1, group?: Group | null): void {
  let predicate: ShardingPredicate;
  if (typeof sharding === 'function') predicate = sharding;
  else {
    checkSharding(sharding);
    predicate = sharding === 'all-to-sharded' ? allToSharded(segments) : shardedToAll(segments);
  }
  module.update(shard(module.parameters(), predicate, group));
}

/**
 * A new layer that holds this rank's shard of a Linear or QuantizedLinear and communicates in
 * its forward ('sharded-to-all') or backward ('all-to-sharded') pass. `module` is unchanged.
 */
export function shardLinear(module: Module, sharding: Sharding, segments: Segments = 1, group?: Group | null): Module {
  checkSharding(sharding);
  const isLinear = module instanceof Linear;
  if (sharding === 'all-to-sharded') {
    return isLinear ? AllToShardedLinear.fromLinear(module, segments, group) : QuantizedAllToShardedLinear.fromQuantizedLinear(module, segments, group);
  }
  return isLinear ? ShardedToAllLinear.fromLinear(module, segments, group) : QuantizedShardedToAllLinear.fromQuantizedLinear(module, segments, group);
}

/**
 * Each member of the group computes its part of the affine map, so that the output is sharded
 * over the group; the input's gradients are summed over the group.
 */
export class AllToShardedLinear extends Module {
  group: Group;
  weight: mx.array;
  bias?: mx.array;
  constructor(inputDims: number, outputDims: number, bias = true, group?: Group | null) {
    super();
    const scale = Math.sqrt(1 / inputDims);
    this.group = groupOrGlobal(group);
    const n = this.group.size();
    if (outputDims % n !== 0) throw new Error(`Cannot shard the output of size ${outputDims} across ${n} devices.`);
    this.weight = mx.random.uniform(-scale, scale, [outputDims / n, inputDims]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims / n]);
  }
  protected override toStringExtra(): string {
    const [out, inDims] = this.weight.shape as [number, number];
    return `inputDims=${inDims}, outputDims=${out * this.group.size()}, bias=${this.bias !== undefined}`;
  }
  forward(x: mx.array): mx.array {
    const h = sumGradients(this.group)(x);
    return this.bias !== undefined ? mx.addmm(this.bias, h, this.weight.T) : mx.matmul(h, this.weight.T);
  }
  /** This rank's shard of `linearLayer` (rows of its weight and bias). */
  static fromLinear(linearLayer: Module, segments: Segments = 1, group?: Group | null): AllToShardedLinear {
    const g = groupOrGlobal(group);
    const [outputDims, inputDims] = (linearLayer.weight as mx.array).shape as [number, number];
    const sl = new AllToShardedLinear(inputDims, outputDims, linearLayer.bias !== undefined, g);
    sl.update(shard(linearLayer.parameters(), allToSharded(segments), g));
    return sl;
  }
}

/**
 * Each member of the group computes its part of the affine map from its shard of the input, and
 * the parts are summed over the group: every member gets the whole output.
 */
export class ShardedToAllLinear extends Module {
  group: Group;
  weight: mx.array;
  bias?: mx.array;
  constructor(inputDims: number, outputDims: number, bias = true, group?: Group | null) {
    super();
    const scale = Math.sqrt(1 / inputDims);
    this.group = groupOrGlobal(group);
    const n = this.group.size();
    if (inputDims % n !== 0) throw new Error(`The input of size ${inputDims} cannot be sharded across ${n} devices.`);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims / n]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }
  protected override toStringExtra(): string {
    const [out, inDims] = this.weight.shape as [number, number];
    return `inputDims=${inDims * this.group.size()}, outputDims=${out}, bias=${this.bias !== undefined}`;
  }
  forward(x: mx.array): mx.array {
    const y = mx.distributed.allSum(mx.matmul(x, this.weight.T), this.group);
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
  /** This rank's shard of `linearLayer` (columns of its weight; the bias whole). */
  static fromLinear(linearLayer: Module, segments: Segments = 1, group?: Group | null): ShardedToAllLinear {
    const g = groupOrGlobal(group);
    const [outputDims, inputDims] = (linearLayer.weight as mx.array).shape as [number, number];
    const sl = new ShardedToAllLinear(inputDims, outputDims, linearLayer.bias !== undefined, g);
    sl.update(shard(linearLayer.parameters(), shardedToAll(segments), g));
    return sl;
  }
}

/** What the two quantized sharded layers share: MLX's quantized parameters, frozen. */
abstract class QuantizedShardedBase extends Module {
  groupSize: number;
  bits: number;
  mode: QuantizationMode;
  group: Group;
  weight!: mx.array;
  scales!: mx.array;
  biases?: mx.array;
  bias?: mx.array;
  constructor(groupSize: number, bits: number, mode: QuantizationMode, group: Group | null | undefined) {
    super();
    this.groupSize = groupSize;
    this.bits = bits;
    this.mode = mode;
    this.group = groupOrGlobal(group);
  }
  protected setWeight(weight: mx.array, biasDims: number | null): void {
    const [wq, scales, biases] = mx.quantize(weight, this.groupSize, this.bits, this.mode);
    this.weight = wq!;
    this.scales = scales!;
    if (biases) this.biases = biases;
    if (biasDims !== null) this.bias = mx.zeros([biasDims]);
    this.freeze();
  }
  /** Unfreezes the submodules (if any); this layer's own parameters stay frozen. */
  override unfreeze(recurse = true, keys?: string | string[] | null, strict = false): this {
    super.unfreeze(recurse, keys, strict);
    this.freeze(false);
    return this;
  }
  protected matmul(x: mx.array): mx.array {
    return mx.quantizedMatmul(x, this.weight, this.scales, this.biases ?? null, true, this.groupSize, this.bits, this.mode);
  }
  protected dims(): [number, number] {
    const [out, packed] = this.weight.shape as [number, number];
    return [out, (packed * 32) / this.bits];
  }
  protected extra(inDims: number, outDims: number): string {
    return `inputDims=${inDims}, outputDims=${outDims}, bias=${this.bias !== undefined}, groupSize=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }
}

type QuantizedLayerLike = Module & { weight: mx.array; bits: number; groupSize: number; mode?: QuantizationMode };

function quantizedArgs(layer: Module): [number, number, boolean, number, number, QuantizationMode] {
  const q = layer as QuantizedLayerLike;
  const [outputDims, packed] = q.weight.shape as [number, number];
  return [(packed * 32) / q.bits, outputDims, q.bias !== undefined, q.groupSize, q.bits, q.mode ?? 'affine'];
}

/** AllToShardedLinear with a quantized weight (frozen, as QuantizedLinear's). */
export class QuantizedAllToShardedLinear extends QuantizedShardedBase {
  constructor(inputDims: number, outputDims: number, bias = true, groupSize = 64, bits = 4, mode: QuantizationMode = 'affine', group?: Group | null) {
    super(groupSize, bits, mode, group);
    const scale = Math.sqrt(1 / inputDims);
    const n = this.group.size();
    if (outputDims % n !== 0) throw new Error(`Cannot shard the output of size ${outputDims} across ${n} devices.`);
    this.setWeight(mx.random.uniform(-scale, scale, [outputDims / n, inputDims]), bias ? outputDims / n : null);
  }
  protected override toStringExtra(): string {
    const [out, inDims] = this.dims();
    return this.extra(inDims, out * this.group.size());
  }
  forward(x: mx.array): mx.array {
    const y = this.matmul(sumGradients(this.group)(x));
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
  /** This rank's shard of a QuantizedLinear (rows of its packed weight, scales, biases and bias). */
  static fromQuantizedLinear(quantizedLinearLayer: Module, segments: Segments = 1, group?: Group | null): QuantizedAllToShardedLinear {
    const g = groupOrGlobal(group);
    const sl = new QuantizedAllToShardedLinear(...quantizedArgs(quantizedLinearLayer), g);
    sl.update(shard(quantizedLinearLayer.parameters(), allToSharded(segments), g));
    return sl;
  }
}

/** ShardedToAllLinear with a quantized weight (frozen, as QuantizedLinear's). */
export class QuantizedShardedToAllLinear extends QuantizedShardedBase {
  constructor(inputDims: number, outputDims: number, bias = true, groupSize = 64, bits = 4, mode: QuantizationMode = 'affine', group?: Group | null) {
    super(groupSize, bits, mode, group);
    const scale = Math.sqrt(1 / inputDims);
    const n = this.group.size();
    if (inputDims % n !== 0) throw new Error(`The input of size ${inputDims} cannot be sharded across ${n} devices.`);
    this.setWeight(mx.random.uniform(-scale, scale, [outputDims, inputDims / n]), bias ? outputDims : null);
  }
  protected override toStringExtra(): string {
    const [out, inDims] = this.dims();
    return this.extra(inDims * this.group.size(), out);
  }
  forward(x: mx.array): mx.array {
    const y = mx.distributed.allSum(this.matmul(x), this.group);
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
  /** This rank's shard of a QuantizedLinear (columns of its packed weight, scales and biases; the bias whole). */
  static fromQuantizedLinear(quantizedLinearLayer: Module, segments: Segments = 1, group?: Group | null): QuantizedShardedToAllLinear {
    const g = groupOrGlobal(group);
    const sl = new QuantizedShardedToAllLinear(...quantizedArgs(quantizedLinearLayer), g);
    sl.update(shard(quantizedLinearLayer.parameters(), shardedToAll(segments), g));
    return sl;
  }
}

/**
 * Gathers the shards into the full parameters (all-gather, cast to `computeDtype`); its vjp
 * reduce-scatters the cotangents and averages them over the group.
 */
function makeGatherFn(group: Group, fullShapes: number[][], shardSizes: number[], computeDtype: mx.Dtype | null) {
  const n = group.size();
  const splitIndices: number[] = [];
  for (let i = 0, acc = 0; i < shardSizes.length - 1; i++) splitIndices.push((acc += shardSizes[i]!));
  const shardShapes = fullShapes.map(([d0, ...rest]) => [d0! / n, ...rest]);
  const cast = (x: mx.array, dtype: mx.Dtype | null) => (dtype === null || x.dtype === dtype ? x : x.astype(dtype));
  return mx
    .customFunction((shards: mx.array[]) => {
      const flat = mx.concatenate(shards.map((s) => cast(s.reshape(1, -1), computeDtype)), 1);
      const full = mx.distributed.allGather(flat, group);
      return mx.split(full, splitIndices, 1).map((p, i) => p.reshape(...fullShapes[i]!));
    })
    .vjp(([shards]: any[], cotangents: mx.array[]) => {
      const localFull = mx.concatenate(cotangents.map((c) => c.reshape(n, -1)), 1);
      const localShard = mx.divide(mx.distributed.sumScatter(localFull, group), n);
      return [mx.split(localShard, splitIndices, 1).map((p, i) => cast(p.reshape(...shardShapes[i]!), (shards as mx.array[])[i]!.dtype))];
    });
}

function maybeShard(m: Module, k: string, v: unknown): boolean {
  return !(v instanceof FullyShardedModule) && Module.validParameterFilter(m, k, v);
}

/**
 * Wraps a module so that each member of the group keeps only a shard (along axis 0) of its
 * parameters: the forward pass gathers them, the backward pass reduce-scatters the gradients.
 * Nested FullyShardedModules keep their own shards. Use `fullyShard` to wrap.
 */
export class FullyShardedModule extends Module {
  module: Module;
  declare readonly _paths: string[];
  declare readonly _gatherFn: (shards: mx.array[]) => mx.array[];
  constructor(module: Module, group?: Group | null, computeDtype: mx.Dtype | null = null) {
    super();
    const g = groupOrGlobal(group);
    const n = g.size();
    const shardParams = module.filterAndMap(maybeShard) as NestedDict<mx.array>;
    const flat = treeFlatten(shardParams) as [string, mx.array][];
    for (const [path, a] of flat) {
      if (a.ndim === 0) throw new Error(`Cannot shard parameter '${path}' because it is a scalar.`);
      if (a.shape[0]! % n !== 0) {
        throw new Error(`Cannot shard parameter '${path}' with shape (${a.shape.join(', ')}${a.ndim === 1 ? ',' : ''}) across ${n} devices: axis 0 must be divisible by ${n}.`);
      }
    }
    // bookkeeping, not module state: hidden from items(), parameters and trees
    Object.defineProperty(this, '_paths', { value: flat.map(([k]) => k) });
    module.update(shard(shardParams, () => 0, g));
    this.module = module;
    const gather = makeGatherFn(g, flat.map(([, a]) => a.shape), flat.map(([, a]) => a.size / n), computeDtype);
    Object.defineProperty(this, '_gatherFn', { value: gather });
  }
  protected override toStringExtra(): string {
    return `numShardedParams=${this._paths.length}`;
  }
  private gatheredCall<R>(fn: () => R): R {
    const shardTree = this.module.filterAndMap(maybeShard) as NestedDict<mx.array>;
    const shards = treeFlatten(shardTree).map(([, a]) => a as mx.array);
    const fulls = this._gatherFn(shards);
    this.module.update(treeUnflatten(this._paths.map((p, i): [string, mx.array] => [p, fulls[i]!])));
    try {
      return fn();
    } finally {
      this.module.update(shardTree);
    }
  }
  forward(...args: any[]): any {
    return this.gatheredCall(() => this.module.forward(...args));
  }
  /** The wrapped module's `asLinear` (an Embedding's) with the full parameters. */
  asLinear(...args: any[]): any {
    return this.gatheredCall(() => (this.module as Module & { asLinear: (...a: any[]) => any }).asLinear(...args));
  }
}

/**
 * Wraps `module` in a FullyShardedModule, or returns it unchanged: on a singleton group (always,
 * in mlx-ts), when it is one already, or when it has no parameters to shard (MLX's rules).
 */
export function fullyShard(module: Module, group?: Group | null, computeDtype: mx.Dtype | null = null): Module {
  const g = groupOrGlobal(group);
  if (g.size() === 1) return module;
  if (module instanceof FullyShardedModule) return module;
  const wrapped = new FullyShardedModule(module, g, computeDtype);
  return wrapped._paths.length ? wrapped : module;
}
