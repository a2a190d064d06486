// nn.losses (mlx/nn/losses.py): each takes MLX's arguments in MLX's order, camelCase, the
// reduction ('none' | 'mean' | 'sum') last.
import * as mx from '@mlx-ts/core';
import { softplus } from './layers/activations.js';

export type Reduction = 'none' | 'mean' | 'sum';
type A = mx.array;

function reduce(loss: A, reduction: Reduction = 'none'): A {
  if (reduction === 'mean') return mx.mean(loss);
  if (reduction === 'sum') return mx.sum(loss);
  if (reduction === 'none') return loss;
  throw new Error(`Invalid reduction. Must be one of none, mean, sum.`);
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const shp = (s: number[]) => `[${s.join(', ')}]`;

function weighted(loss: A, weights: A | null | undefined): A {
  if (weights == null) return loss;
  if (!sameShape(weights.shape, loss.shape)) throw new Error(`Weights with shape ${shp(weights.shape)} is not the same as output loss with shape ${shp(loss.shape)}.`);
  return mx.multiply(loss, weights);
}

function checkShapes(what: [string, string], a: A, b: A): void {
  if (!sameShape(a.shape, b.shape)) throw new Error(`${what[0]} shape ${shp(a.shape)} does not match ${what[1]} shape ${shp(b.shape)}.`);
}

/**
 * Cross entropy of `logits` against class indices (one axis fewer) or probabilities (same
 * shape), with optional per-example `weights` and label smoothing.
 */
export function crossEntropy(logits: A, targets: A, weights?: A | null, axis = -1, labelSmoothing = 0.0, reduction: Reduction = 'none'): A {
  if (labelSmoothing < 0 || labelSmoothing >= 1) throw new RangeError(`Label smoothing must be in [0, 1), got ${labelSmoothing}.`);
  const asProbs = targets.ndim === logits.ndim;
  const ax = axis < 0 ? axis + logits.ndim : axis;
  const dropped = logits.shape.filter((_, i) => i !== ax);
  if ((asProbs && !sameShape(targets.shape, logits.shape)) || (!asProbs && !sameShape(targets.shape, dropped))) {
    throw new Error(`Targets shape ${shp(targets.shape)} does not match logits shape ${shp(logits.shape)}.`);
  }
  const l = mx.subtract(logits, mx.stopGradient(mx.max(logits, axis, true)));
  const score = asProbs ? mx.sum(mx.multiply(l, targets), axis) : mx.squeeze(mx.takeAlongAxis(l, mx.expandDims(targets, axis), axis), axis);
  const lse = mx.logsumexp(l, axis);
  let loss: A;
  if (labelSmoothing > 0) {
    const adjusted = mx.multiply(1 - labelSmoothing, score);
    const smoothed = mx.multiply(mx.negative(mx.mean(l, axis)), labelSmoothing);
    loss = mx.add(mx.subtract(lse, adjusted), smoothed);
  } else loss = mx.subtract(lse, score);
  return reduce(weighted(loss, weights), reduction);
}

/** Binary cross entropy of logits (default) or probabilities (`withLogits` false). */
export function binaryCrossEntropy(inputs: A, targets: A, weights?: A | null, withLogits = true, reduction: Reduction = 'mean'): A {
  checkShapes(['Inputs', 'targets'], inputs, targets);
  let loss: A;
  if (withLogits) loss = mx.subtract(softplus(inputs), mx.multiply(inputs, targets));
  else {
    const logP = mx.maximum(mx.log(inputs), -100);
    const log1mP = mx.maximum(mx.log(mx.subtract(1, inputs)), -100);
    loss = mx.negative(mx.add(mx.multiply(targets, logP), mx.multiply(mx.subtract(1, targets), log1mP)));
  }
  return reduce(weighted(loss, weights), reduction);
}

/** Mean absolute error. */
export function l1Loss(predictions: A, targets: A, reduction: Reduction = 'mean'): A {
  checkShapes(['Predictions', 'targets'], predictions, targets);
  return reduce(mx.abs(mx.subtract(predictions, targets)), reduction);
}

/** Mean squared error. */
export function mseLoss(predictions: A, targets: A, reduction: Reduction = 'mean'): A {
  checkShapes(['Predictions', 'targets'], predictions, targets);
  return reduce(mx.square(mx.subtract(predictions, targets)), reduction);
}

/** Negative log likelihood of log-probabilities `inputs` at class indices `targets`. */
export function nllLoss(inputs: A, targets: A, axis = -1, reduction: Reduction = 'none'): A {
  return reduce(mx.negative(mx.squeeze(mx.takeAlongAxis(inputs, mx.expandDims(targets, axis), axis), axis)), reduction);
}

/** Negative Gaussian log likelihood of `targets` under N(inputs, vars). */
export function gaussianNllLoss(inputs: A, targets: A, vars: A, full = false, eps = 1e-6, reduction: Reduction = 'mean'): A {
  checkShapes(['Inputs', 'targets'], inputs, targets);
  checkShapes(['Inputs', 'vars'], inputs, vars);
  const v = mx.maximum(vars, eps);
  let loss = mx.multiply(0.5, mx.add(mx.log(v), mx.divide(mx.square(mx.subtract(targets, inputs)), v)));
  if (full) loss = mx.add(loss, 0.5 * Math.log(2 * Math.PI));
  return reduce(loss, reduction);
}

/** Kullback-Leibler divergence between log-probabilities `targets` and `inputs`. */
export function klDivLoss(inputs: A, targets: A, axis = -1, reduction: Reduction = 'none'): A {
  return reduce(mx.sum(mx.multiply(mx.exp(targets), mx.subtract(targets, inputs)), axis), reduction);
}

/** Smooth L1: 0.5 d²/beta below beta, |d| - 0.5 beta above. */
export function smoothL1Loss(predictions: A, targets: A, beta = 1.0, reduction: Reduction = 'mean'): A {
  checkShapes(['Predictions', 'targets'], predictions, targets);
  const diff = mx.abs(mx.subtract(predictions, targets));
  const loss = mx.where(mx.less(diff, beta), mx.divide(mx.multiply(0.5, mx.square(diff)), beta), mx.subtract(mx.abs(diff), 0.5 * beta));
  return reduce(loss, reduction);
}

/** max(d(a, p) - d(a, n) + margin, 0) with the p-norm distance along `axis`. */
export function tripletLoss(anchors: A, positives: A, negatives: A, axis = -1, p = 2, margin = 1.0, eps = 1e-6, reduction: Reduction = 'none'): A {
  const dist = (o: A) => mx.power(mx.add(mx.sum(mx.power(mx.abs(mx.subtract(anchors, o)), p), axis), eps), 1.0 / p);
  return reduce(mx.maximum(mx.add(mx.subtract(dist(positives), dist(negatives)), margin), 0), reduction);
}

/** max(1 - inputs * targets, 0) for targets in {-1, 1}. */
export function hingeLoss(inputs: A, targets: A, reduction: Reduction = 'none'): A {
  return reduce(mx.maximum(mx.subtract(1, mx.multiply(inputs, targets)), 0), reduction);
}

/** Huber: quadratic within `delta`, linear beyond. */
export function huberLoss(inputs: A, targets: A, delta = 1.0, reduction: Reduction = 'none'): A {
  const abs = mx.abs(mx.subtract(inputs, targets));
  const quadratic = mx.minimum(abs, delta);
  const linear = mx.subtract(abs, quadratic);
  return reduce(mx.add(mx.multiply(0.5, mx.square(quadratic)), mx.multiply(delta, linear)), reduction);
}

/** log(cosh(inputs - targets)), computed stably. */
export function logCoshLoss(inputs: A, targets: A, reduction: Reduction = 'none'): A {
  const e = mx.subtract(inputs, targets);
  return reduce(mx.subtract(mx.logaddexp(e, mx.negative(e)), Math.log(2)), reduction);
}

/** Cosine similarity of x1 and x2 along `axis` (MLX names it a loss; it is the similarity). */
export function cosineSimilarityLoss(x1: A, x2: A, axis = 1, eps = 1e-8, reduction: Reduction = 'none'): A {
  const norm = (x: A) => mx.sqrt(mx.sum(mx.square(x), axis));
  const loss = mx.divide(mx.sum(mx.multiply(x1, x2), axis), mx.maximum(mx.multiply(norm(x1), norm(x2)), eps));
  return reduce(loss, reduction);
}

/** max(0, -targets * (inputs1 - inputs2) + margin). */
export function marginRankingLoss(inputs1: A, inputs2: A, targets: A, margin = 0.0, reduction: Reduction = 'none'): A {
  if (!sameShape(inputs1.shape, inputs2.shape) || !sameShape(inputs1.shape, targets.shape)) {
    throw new Error(
      `The shapes of the arguments do not match. The provided shapes are inputs1.shape=${shp(inputs1.shape)}, inputs2.shape=${shp(inputs2.shape)}, and targets.shape=${shp(targets.shape)}.`,
    );
  }
  return reduce(mx.maximum(0, mx.add(mx.multiply(mx.negative(targets), mx.subtract(inputs1, inputs2)), margin)), reduction);
}
