// nn.quantize, QuantizedEmbedding, QuantizedLinear, QQLinear (mlx/nn/layers/quantized.py).
import * as mx from '@mlx-ts/core';
import { Module } from './base.js';
import { treeMapWithPath } from '../../utils.js';

export type QuantizationMode = mx.QuantizationMode;

/** What `toQuantized` takes, also what a `classPredicate` may return instead of `true`. */
export interface QuantizeParams {
  groupSize?: number | null;
  bits?: number | null;
  mode?: QuantizationMode;
  quantizeInput?: boolean;
}

/** `(path, module) => true | false | params for its toQuantized`. */
export type ClassPredicate = (path: string, m: Module) => boolean | QuantizeParams;

export interface QuantizeOptions {
  mode?: QuantizationMode;
  quantizeInput?: boolean;
  classPredicate?: ClassPredicate | null;
}

const MODE_DEFAULTS: Record<string, [number, number]> = { affine: [64, 4], mxfp4: [32, 4], nvfp4: [16, 4], mxfp8: [32, 8] };

/** The group size and bits a mode uses where none is given. */
function defaultsForMode(mode: string, groupSize?: number | null, bits?: number | null): [number, number] {
  const d = MODE_DEFAULTS[mode];
  if (!d) throw new Error(`Invalid quantization mode '${mode}'. Valid modes are: ${Object.keys(MODE_DEFAULTS).join(', ')}.`);
  return [groupSize || d[0], bits || d[1]];
}

function hasToQuantized(m: Module): m is Module & { toQuantized: (...a: unknown[]) => Module } {
  return typeof (m as { toQuantized?: unknown }).toQuantized === 'function';
}

/**
 * Replaces, in place, the leaf modules that `classPredicate(path, module)` selects (default:
 * every one with a `toQuantized` method: Linear, Embedding) by their quantized versions. The
 * predicate may return the `toQuantized` parameters instead of `true`. node-mlx's form, with
 * the predicate as the fourth argument, is accepted too.
 */
export function quantize(
  model: Module,
  groupSize?: number | null,
  bits?: number | null,
  options: QuantizeOptions | ClassPredicate = {},
): void {
  const opts: QuantizeOptions = typeof options === 'function' ? { classPredicate: options } : options ?? {};
  const mode = opts.mode ?? 'affine';
  const quantizeInput = opts.quantizeInput ?? false;
  const predicate: ClassPredicate = opts.classPredicate ?? ((_, m) => hasToQuantized(m));
  const maybeQuantize = (path: string, m: Module): Module => {
    const boolOrParams = predicate(path, m);
    if (!boolOrParams) return m;
    if (!hasToQuantized(m)) throw new Error(`Unable to quantize model of type ${m.constructor.name}`);
    if (boolOrParams === true) return m.toQuantized(groupSize, bits, mode, quantizeInput);
    if (typeof boolOrParams === 'object' && !Array.isArray(boolOrParams)) {
      const p = boolOrParams;
      return m.toQuantized(p.groupSize, p.bits, p.mode ?? 'affine', p.quantizeInput ?? false);
    }
    throw new Error('`classPredicate` must return a boolean or an object of parameters to pass to `toQuantized`');
  };
  const leaves = treeMapWithPath(maybeQuantize as (path: string, ...a: any[]) => unknown, model.leafModules(), undefined, Module.isModule);
  model.updateModules(leaves as Record<string, unknown>);
}

/** `[wq, scales, biases?]` of `mx.quantize`, as the layers keep them. */
function quantizeWeight(w: mx.array, groupSize: number | null | undefined, bits: number | null | undefined, mode: QuantizationMode) {
  const [wq, scales, biases] = mx.quantize(w, groupSize, bits, mode);
  return { wq: wq!, scales: scales!, biases };
}

/** Embedding with a quantized weight (frozen); `fromEmbedding` converts an Embedding. */
export class QuantizedEmbedding extends Module {
  groupSize: number;
  bits: number;
  mode: QuantizationMode;
  numEmbeddings: number;
  dims: number;
  weight: mx.array;
  scales: mx.array;
  biases?: mx.array;
  constructor(numEmbeddings: number, dims: number, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine') {
    super();
    [this.groupSize, this.bits] = defaultsForMode(mode, groupSize, bits);
    this.mode = mode;
    const weight = mx.random.normal([numEmbeddings, dims], undefined, undefined, Math.sqrt(1 / dims));
    const q = quantizeWeight(weight, groupSize, bits, mode);
    this.weight = q.wq;
    this.scales = q.scales;
    if (q.biases) this.biases = q.biases;
    this.numEmbeddings = numEmbeddings;
    this.dims = dims;
    this.freeze();
  }
  forward(x: mx.array): mx.array {
    const b = this.biases;
    return mx.dequantize(
      mx.take(this.weight, x, 0),
      mx.take(this.scales, x, 0),
      b !== undefined ? mx.take(b, x, 0) : null,
      this.groupSize,
      this.bits,
      this.mode,
    );
  }
  /** The quantized embedding used as a quantized linear layer (tied input/output embeddings). */
  asLinear(x: mx.array): mx.array {
    return mx.quantizedMatmul(x, this.weight, this.scales, this.biases ?? null, true, this.groupSize, this.bits, this.mode);
  }
  protected override toStringExtra(): string {
    return `${this.numEmbeddings}, ${this.dims}, groupSize=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }
  /** A QuantizedEmbedding from an Embedding (its weight quantized). */
  static fromEmbedding(embeddingLayer: Module, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine'): QuantizedEmbedding {
    const w = embeddingLayer.weight as mx.array;
    const [n, dims] = w.shape as [number, number];
    const ql = new QuantizedEmbedding(n, dims, groupSize, bits, mode);
    const q = quantizeWeight(w, groupSize, bits, mode);
    ql.weight = q.wq;
    ql.scales = q.scales;
    if (q.biases) ql.biases = q.biases;
    else delete ql.biases;
    return ql;
  }
}

/** Linear with a quantized weight (frozen; a bias carried over from `fromLinear` is not). */
export class QuantizedLinear extends Module {
  groupSize: number;
  bits: number;
  mode: QuantizationMode;
  weight: mx.array;
  scales: mx.array;
  biases?: mx.array;
  bias?: mx.array;
  constructor(inputDims: number, outputDims: number, bias = true, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine') {
    super();
    [this.groupSize, this.bits] = defaultsForMode(mode, groupSize, bits);
    this.mode = mode;
    const scale = Math.sqrt(1 / inputDims);
    const q = quantizeWeight(mx.random.uniform(-scale, scale, [outputDims, inputDims]), groupSize, bits, mode);
    this.weight = q.wq;
    this.scales = q.scales;
    if (q.biases) this.biases = q.biases;
    if (bias) this.bias = mx.zeros([outputDims]);
    this.freeze();
  }
  protected override toStringExtra(): string {
    const [outDims, packed] = this.weight.shape as [number, number];
    const inDims = (packed * 32) / this.bits;
    return `inputDims=${inDims}, outputDims=${outDims}, bias=${this.bias !== undefined}, groupSize=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }
  forward(x: mx.array): mx.array {
    const y = mx.quantizedMatmul(x, this.weight, this.scales, this.biases ?? null, true, this.groupSize, this.bits, this.mode);
    return this.bias !== undefined ? mx.add(y, this.bias) : y;
  }
  /** A QuantizedLinear from a Linear: its weight quantized, its bias (if any) kept as is. */
  static fromLinear(linearLayer: Module, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'affine'): QuantizedLinear {
    const w = linearLayer.weight as mx.array;
    const [outputDims, inputDims] = w.shape as [number, number];
    const ql = new QuantizedLinear(inputDims, outputDims, false, groupSize, bits, mode);
    const q = quantizeWeight(w, groupSize, bits, mode);
    ql.weight = q.wq;
    ql.scales = q.scales;
    if (q.biases) ql.biases = q.biases;
    else delete ql.biases;
    if (linearLayer.bias !== undefined) ql.bias = linearLayer.bias as mx.array;
    return ql;
  }
}

/**
 * Linear (no bias) that quantizes its input too (`mx.qqmm`, modes nvfp4 and mxfp8). In training
 * mode the weight stays in full precision (and trainable); `eval()` quantizes it, `train()`
 * dequantizes it back.
 */
export class QQLinear extends Module {
  groupSize: number;
  bits: number;
  mode: QuantizationMode;
  weight: mx.array;
  scales?: mx.array;
  protected _quantized = false;
  constructor(inputDims: number, outputDims: number, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'nvfp4') {
    super();
    [this.groupSize, this.bits] = defaultsForMode(mode, groupSize, bits);
    this.mode = mode;
    const scale = Math.sqrt(1 / inputDims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
  }
  protected override toStringExtra(): string {
    const [outDims, k] = this.weight.shape as [number, number];
    const inDims = this.weight.dtype === mx.uint32 ? (k * 32) / this.bits : k;
    return `inputDims=${inDims}, outputDims=${outDims}, groupSize=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }
  /** Quantizes the weight (once). */
  quantize(): void {
    if (this._quantized) return;
    const [wq, scales] = mx.quantize(this.weight, this.groupSize, this.bits, this.mode);
    this.weight = wq!;
    this.scales = scales!;
    this._quantized = true;
  }
  /** Dequantizes the weight back to full precision (once). */
  dequantize(): void {
    if (!this._quantized) return;
    this.weight = mx.dequantize(this.weight, this.scales!, null, this.groupSize, this.bits, this.mode);
    delete this.scales;
    this._quantized = false;
  }
  protected override setTrainingMode(mode: boolean): void {
    super.setTrainingMode(mode);
    if (this.training) this.dequantize();
    else this.quantize();
  }
  forward(x: mx.array): mx.array {
    return mx.qqmm(x, this.weight, this.scales ?? null, this.groupSize, this.bits, this.mode);
  }
  /** A QQLinear from a Linear without bias (its weight, its training mode). */
  static fromLinear(linearLayer: Module, groupSize?: number | null, bits?: number | null, mode: QuantizationMode = 'nvfp4'): QQLinear {
    const w = linearLayer.weight as mx.array;
    const [outputDims, inputDims] = w.shape as [number, number];
    if (linearLayer.bias !== undefined && linearLayer.bias !== null) throw new Error('QQLinear does not support bias yet.');
    const ql = new QQLinear(inputDims, outputDims, groupSize, bits, mode);
    ql.weight = w;
    ql.train(linearLayer.training);
    return ql;
  }
}
