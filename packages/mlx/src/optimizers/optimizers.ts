// Optimizers (mlx/optimizers/optimizers.py) with node-mlx's names: the state is a tree of
// arrays (`step`, `learningRate`, and per parameter the optimizer's moments), which can be
// flattened, saved and set back (`optimizer.state = ...`).
import * as mx from '@mlx-ts/core';
import type { Module } from '../nn/layers/base.js';
import { type Nested, type NestedDict, isDict, treeFlatten, treeMap, treeMerge, treeReduce, treeUnflatten } from '../utils.js';

type A = mx.array;
/** A learning rate: a number, an array or a schedule (a function of the step). */
export type LearningRate = number | A | ((step: A) => A);
type State = Record<string, any>;

/** The base class: `applyGradients(grads, params)` returns updated parameters. */
export abstract class Optimizer {
  protected _initialized = false;
  protected _state: State = { step: mx.array(0n, mx.uint64) };
  protected _schedulers: Record<string, (step: A) => A> = {};

  constructor(schedulers: Record<string, (step: A) => A> = {}) {
    this._schedulers = { ...schedulers };
  }

  /** Applies the gradients to the model's parameters: `model.update(applyGradients(...))`. */
  update(model: Module, gradients: NestedDict<A> | Record<string, unknown>): void {
    model.update(this.applyGradients(gradients, model.parameters()) as NestedDict<A>);
  }

  /**
   * Creates the state of every parameter of `parameters` that has none yet (optional:
   * `applyGradients` initializes from the gradients on first use).
   */
  init(parameters: unknown): void {
    const fill = (params: unknown, state: any): any => {
      if (Array.isArray(params)) {
        const s: any[] = Array.isArray(state) ? state : [];
        for (let i = 0; i < params.length; i++) s[i] = i < s.length ? fill(params[i], s[i]) : treeMap(() => ({}), params[i]);
        return s;
      }
      if (isDict(params)) {
        for (const [k, v] of Object.entries(params)) state[k] = k in state ? fill(v, state[k]) : treeMap(() => ({}), v);
        return state;
      }
      return state;
    };
    fill(parameters, this._state);
    treeMap(
      (p: unknown, s: State) => {
        if (p instanceof mx.MxArray && isDict(s) && Object.keys(s).length === 0) this.initSingle(p, s);
        return s;
      },
      parameters,
      [this._state],
    );
    this._initialized = true;
  }

  /** Creates the state of one parameter in `state`. */
  abstract initSingle(parameter: A, state: State): void;

  /**
   * The parameters after one step with these gradients (a tree of the same structure as the
   * gradients; `parameters` may be a superset).
   */
  applyGradients(gradients: NestedDict<A> | Record<string, unknown>, parameters: NestedDict<A> | Record<string, unknown>): any {
    if (!this._initialized) this.init(gradients);
    for (const [name, sched] of Object.entries(this._schedulers)) this.state[name] = sched(this.step);
    this.state['step'] = mx.add(this.step, 1n);
    return treeMap((g: A, p: A, s: State) => this.applySingle(g, p, s), gradients, [parameters, this.state]);
  }

  /** One parameter's update, reading and writing its `state`. */
  abstract applySingle(gradient: A, parameter: A, state: State): A;

  /** The state tree (by reference). */
  get state(): State {
    return this._state;
  }
  set state(state: State) {
    this._initialized = false;
    this._state = state;
  }

  get step(): A {
    return this.state['step'];
  }

  get learningRate(): A {
    return this.state['learningRate'];
  }
  set learningRate(lr: number | A) {
    this.state['learningRate'] = lr instanceof mx.MxArray ? lr : mx.array(lr);
  }

  /** Stores a hyperparameter in the state: a schedule is evaluated at the current step. */
  protected maybeSchedule(name: string, param: LearningRate): void {
    if (typeof param === 'function') {
      this._schedulers[name] = param;
      this.state[name] = param(this.step);
    } else this.state[name] = param instanceof mx.MxArray ? param : mx.array(param);
  }

  /** The learning rate as the gradient's dtype. */
  protected lr(g: A): A {
    return this.learningRate.astype(g.dtype);
  }
}

/**
 * Several optimizers over parts of one tree of parameters: `filters[i](path, array)` selects
 * the parameters of `optimizers[i]`; the last optimizer takes the rest.
 */
export class MultiOptimizer extends Optimizer {
  optimizers: Optimizer[];
  filters: ((path: string, weight: A) => boolean)[];
  constructor(optimizers: Optimizer[], filters: ((path: string, weight: A) => boolean)[] = []) {
    super();
    this._state = {};
    if (filters.length !== optimizers.length - 1) throw new Error(`Given ${filters.length} filters but ${optimizers.length - 1} needed.`);
    this.optimizers = optimizers;
    this.filters = [...filters, () => true];
  }
  private split(gradients: unknown): any[] {
    if (this.optimizers.length === 1) return [gradients];
    const parts: [string, A][][] = this.optimizers.map(() => []);
    for (const [k, g] of treeFlatten(gradients)) {
      const i = this.filters.findIndex((f) => f(k, g));
      parts[i]!.push([k, g]);
    }
    return parts.map((p) => (p.length ? treeUnflatten(p) : {}));
  }
  override init(parameters: unknown): void {
    this.split(parameters).forEach((p, i) => this.optimizers[i]!.init(p));
  }
  override initSingle(): void {}
  override applySingle(_g: A, p: A): A {
    return p;
  }
  override applyGradients(gradients: NestedDict<A> | Record<string, unknown>, parameters: NestedDict<A> | Record<string, unknown>): any {
    let tree: unknown = {};
    this.split(gradients).forEach((g, i) => {
      tree = treeMerge(tree, this.optimizers[i]!.applyGradients(g, parameters));
    });
    return tree;
  }
  override get state(): State {
    return { states: this.optimizers.map((o) => o.state) };
  }
  override set state(state: State) {
    if (!state || !Array.isArray(state['states']) || state['states'].length !== this.optimizers.length) throw new Error('Invalid state provided');
    state['states'].forEach((s: State, i: number) => {
      this.optimizers[i]!.state = s;
    });
  }
  override get learningRate(): A {
    return this.optimizers[0]!.learningRate;
  }
  override set learningRate(lr: number | A) {
    for (const o of this.optimizers) o.learningRate = lr;
  }
}

/** Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay. */
export class SGD extends Optimizer {
  constructor(learningRate: LearningRate, public momentum = 0.0, public weightDecay = 0.0, public dampening = 0.0, public nesterov = false) {
    super();
    if (nesterov && (momentum <= 0 || dampening !== 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening.');
    this.maybeSchedule('learningRate', learningRate);
  }
  initSingle(parameter: A, state: State): void {
    state['v'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    if (this.weightDecay !== 0) gradient = mx.add(gradient, mx.multiply(this.weightDecay, parameter));
    if (this.momentum <= 0) return mx.subtract(parameter, mx.multiply(this.lr(gradient), gradient));
    let v = mx.multiply(this.momentum, state['v']);
    v = mx.add(v, this.dampening > 0 ? mx.multiply(1 - this.dampening, gradient) : gradient);
    const update = this.nesterov ? mx.add(gradient, mx.multiply(this.momentum, v)) : v;
    state['v'] = v;
    return mx.subtract(parameter, mx.multiply(this.lr(gradient), update));
  }
}

/** RMSprop: v = alpha v + (1 - alpha) g²; p -= lr g / (sqrt(v) + eps). */
export class RMSprop extends Optimizer {
  constructor(learningRate: LearningRate, public alpha = 0.99, public eps = 1e-8) {
    super();
    this.maybeSchedule('learningRate', learningRate);
    if (alpha < 0) throw new RangeError(`RMSprop alpha should be >=0, ${alpha} was provided instead`);
    if (eps <= 0) throw new RangeError(`RMSprop epsilon should be >0, ${eps} was provided instead`);
  }
  initSingle(parameter: A, state: State): void {
    state['v'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const v = mx.add(mx.multiply(this.alpha, state['v']), mx.multiply(1 - this.alpha, mx.square(gradient)));
    state['v'] = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(this.lr(gradient), gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** Adagrad: v += g²; p -= lr g / (sqrt(v) + eps). */
export class Adagrad extends Optimizer {
  constructor(learningRate: LearningRate, public eps = 1e-8) {
    super();
    this.maybeSchedule('learningRate', learningRate);
    if (eps <= 0) throw new RangeError(`Adagrad epsilon should be >0, ${eps} was provided instead`);
  }
  initSingle(parameter: A, state: State): void {
    state['v'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const v = mx.add(state['v'], mx.square(gradient));
    state['v'] = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(this.lr(gradient), gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** AdaDelta (Zeiler 2012). */
export class AdaDelta extends Optimizer {
  constructor(learningRate: LearningRate, public rho = 0.9, public eps = 1e-6) {
    super();
    this.maybeSchedule('learningRate', learningRate);
    if (rho < 0) throw new RangeError(`AdaDelta rho should be >=0, ${rho} was provided instead`);
    if (eps <= 0) throw new RangeError(`AdaDelta epsilon should be >0, ${eps} was provided instead`);
  }
  initSingle(parameter: A, state: State): void {
    state['v'] = mx.zerosLike(parameter);
    state['u'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const { rho, eps } = this;
    const v = mx.add(mx.multiply(rho, state['v']), mx.multiply(1 - rho, mx.square(gradient)));
    const d = mx.multiply(mx.divide(mx.sqrt(mx.add(state['u'], eps)), mx.sqrt(mx.add(v, eps))), gradient);
    const u = mx.add(mx.multiply(rho, state['u']), mx.multiply(1 - rho, mx.square(d)));
    state['v'] = v;
    state['u'] = u;
    return mx.subtract(parameter, mx.multiply(this.lr(gradient), d));
  }
}

/** Adam (Kingma & Ba); MLX's default has no bias correction (`biasCorrection` adds it). */
export class Adam extends Optimizer {
  constructor(learningRate: LearningRate, public betas: [number, number] = [0.9, 0.999], public eps = 1e-8, public biasCorrection = false) {
    super();
    betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new RangeError(`${this.constructor.name} beta${i + 1} should be in [0, 1), ${b} was provided instead`);
    });
    if (!(eps >= 0)) throw new RangeError(`Adam epsilon should be >=0, ${eps} was provided instead`);
    this.maybeSchedule('learningRate', learningRate);
  }
  initSingle(parameter: A, state: State): void {
    state['m'] = mx.zerosLike(parameter);
    state['v'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const lr = this.lr(gradient);
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state['m']), mx.multiply(1 - b1, gradient));
    const v = mx.add(mx.multiply(b2, state['v']), mx.multiply(1 - b2, mx.square(gradient)));
    state['m'] = m;
    state['v'] = v;
    if (this.biasCorrection) {
      const step = this.step;
      const c1 = mx.divide(lr, mx.subtract(1, mx.power(b1, step))).astype(gradient.dtype);
      const c2 = mx.rsqrt(mx.subtract(1, mx.power(b2, step))).astype(gradient.dtype);
      return mx.subtract(parameter, mx.divide(mx.multiply(c1, m), mx.add(mx.multiply(mx.sqrt(v), c2), this.eps)));
    }
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, m), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** Adam with decoupled weight decay: p *= 1 - lr * weightDecay before the Adam step. */
export class AdamW extends Adam {
  constructor(learningRate: LearningRate, betas: [number, number] = [0.9, 0.999], eps = 1e-8, public weightDecay = 0.01, biasCorrection = false) {
    super(learningRate, betas, eps, biasCorrection);
  }
  override applySingle(gradient: A, parameter: A, state: State): A {
    const lr = this.lr(gradient);
    return super.applySingle(gradient, mx.multiply(parameter, mx.subtract(1, mx.multiply(lr, this.weightDecay))), state);
  }
}

/** Adamax: Adam with the infinity norm. */
export class Adamax extends Adam {
  constructor(learningRate: LearningRate, betas: [number, number] = [0.9, 0.999], eps = 1e-8) {
    super(learningRate, betas, eps);
  }
  override applySingle(gradient: A, parameter: A, state: State): A {
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state['m']), mx.multiply(1 - b1, gradient));
    const v = mx.maximum(mx.multiply(b2, state['v']), mx.abs(gradient));
    state['m'] = m;
    state['v'] = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(this.lr(gradient), m), mx.add(v, this.eps)));
  }
}

/** Lion (Chen et al. 2023): the sign of an interpolated momentum. */
export class Lion extends Optimizer {
  constructor(learningRate: LearningRate, public betas: [number, number] = [0.9, 0.99], public weightDecay = 0.0) {
    super();
    betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new RangeError(`Lion beta${i + 1} should be in [0, 1), ${b} was provided instead`);
    });
    this.maybeSchedule('learningRate', learningRate);
  }
  initSingle(parameter: A, state: State): void {
    state['m'] = mx.zerosLike(parameter);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const lr = this.lr(gradient);
    const [b1, b2] = this.betas;
    const m = state['m'];
    const c = mx.add(mx.multiply(b1, m), mx.multiply(1 - b1, gradient));
    state['m'] = mx.add(mx.multiply(b2, m), mx.multiply(1 - b2, gradient));
    if (this.weightDecay > 0) parameter = mx.multiply(mx.subtract(1, mx.multiply(lr, this.weightDecay)), parameter);
    return mx.subtract(parameter, mx.multiply(lr, mx.sign(c)));
  }
}

/** Adafactor (Shazeer & Stern 2018): factored second moments for arrays of 2+ dims. */
export class Adafactor extends Optimizer {
  constructor(
    learningRate: LearningRate | null = null,
    public eps: [number, number] = [1e-30, 1e-3],
    public clipThreshold = 1.0,
    public decayRate = -0.8,
    public beta1: number | null = null,
    public weightDecay = 0.0,
    public scaleParameter = true,
    public relativeStep = true,
    public warmupInit = false,
  ) {
    super();
    if (learningRate != null) this.maybeSchedule('learningRate', learningRate);
  }
  initSingle(parameter: A, state: State): void {
    if (parameter.ndim >= 2) {
      const s = parameter.shape;
      state['expAvgSqRow'] = mx.zeros(s.slice(0, -1), parameter.dtype);
      state['expAvgSqCol'] = mx.zeros([...s.slice(0, -2), s[s.length - 1]!], parameter.dtype);
    } else state['expAvgSq'] = mx.zerosLike(parameter);
    if (this.beta1 != null) state['expAvg'] = mx.zerosLike(parameter);
  }
  private rms(x: A): A {
    return mx.sqrt(mx.mean(mx.square(x)));
  }
  private learningRateFor(step: A, paramRms: A): A {
    let rel: A;
    if (this.relativeStep) {
      const minStep = this.warmupInit ? mx.multiply(1e-6, step) : mx.array(1e-2);
      rel = mx.minimum(minStep, mx.rsqrt(step));
    } else rel = this.learningRate;
    rel = rel.astype(paramRms.dtype);
    const scale = this.scaleParameter ? mx.maximum(this.eps[1], paramRms) : 1.0;
    return mx.multiply(scale, rel);
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    const factored = gradient.ndim >= 2;
    const step = this.step;
    const paramRms = this.rms(parameter);
    const lr = this.learningRateFor(step, paramRms);
    const beta2 = mx.subtract(1.0, mx.power(step, this.decayRate).astype(paramRms.dtype));
    let update = mx.add(mx.square(gradient), this.eps[0]);
    const mix = (old: A, now: A) => mx.add(mx.multiply(beta2, old), mx.multiply(mx.subtract(1, beta2), now));
    if (factored) {
      const row = mix(state['expAvgSqRow'], mx.mean(update, -1));
      const col = mix(state['expAvgSqCol'], mx.mean(update, -2));
      state['expAvgSqRow'] = row;
      state['expAvgSqCol'] = col;
      const rFactor = mx.rsqrt(mx.divide(row, mx.mean(row, -1, true)));
      const cFactor = mx.rsqrt(col);
      update = mx.multiply(mx.multiply(mx.expandDims(rFactor, -1), mx.expandDims(cFactor, -2)), gradient);
    } else {
      const sq = mix(state['expAvgSq'], update);
      state['expAvgSq'] = sq;
      update = mx.multiply(mx.rsqrt(sq), gradient);
    }
    update = mx.divide(update, mx.maximum(1.0, mx.divide(this.rms(update), this.clipThreshold)));
    update = mx.multiply(lr, update);
    if (this.beta1 != null) {
      const avg = mx.add(mx.multiply(this.beta1, state['expAvg']), mx.multiply(1 - this.beta1, update));
      state['expAvg'] = avg;
      update = avg;
    }
    if (this.weightDecay !== 0) parameter = mx.add(parameter, mx.multiply(parameter, mx.multiply(-this.weightDecay, lr)));
    return mx.subtract(parameter, update);
  }
}

/**
 * Muon: SGD momentum whose update of 2+-dim parameters is orthogonalized by 5 Newton-Schulz
 * iterations.
 */
export class Muon extends Optimizer {
  constructor(learningRate: LearningRate, public momentum = 0.95, public weightDecay = 0.01, public nesterov = true, public nsSteps = 5) {
    super();
    this.maybeSchedule('learningRate', learningRate);
  }
  initSingle(parameter: A, state: State): void {
    state['v'] = mx.zerosLike(parameter);
  }
  private newtonSchulz(X: A, steps: number): A {
    const [a, b, c] = [3.4445, -4.775, 2.0315];
    const transposed = X.shape[0]! > X.shape[1]!;
    if (transposed) X = X.T;
    X = mx.divide(X, mx.add(mx.sqrt(mx.sum(mx.square(X), true)), 1e-7));
    for (let i = 0; i < steps; i++) {
      const Am = mx.matmul(X, X.T);
      const B = mx.addmm(mx.multiply(b, Am), Am, Am, c, 1.0);
      X = mx.addmm(mx.multiply(a, X), B, X, 1.0, 1.0);
    }
    return transposed ? X.T : X;
  }
  applySingle(gradient: A, parameter: A, state: State): A {
    if (this.weightDecay !== 0) gradient = mx.add(gradient, mx.multiply(this.weightDecay, parameter));
    const v = mx.add(mx.multiply(this.momentum, state['v']), mx.multiply(1 - this.momentum, gradient));
    state['v'] = v;
    let update = this.nesterov ? mx.add(mx.multiply(gradient, 1 - this.momentum), mx.multiply(v, this.momentum)) : v;
    let lr = this.lr(gradient);
    if (update.ndim >= 2) {
      const shape = update.shape;
      if (update.ndim > 2) update = update.reshape(shape[0]!, -1);
      update = this.newtonSchulz(update, this.nsSteps);
      if (shape.length > 2) update = update.reshape(...shape);
      lr = mx.multiply(lr, Math.sqrt(Math.max(1, update.shape[update.ndim - 2]! / update.shape[update.ndim - 1]!)));
    }
    return mx.subtract(parameter, mx.multiply(lr, update));
  }
}

/**
 * Scales the gradients so that their global L2 norm is at most `maxNorm`; returns
 * `[clipped gradients, the norm before clipping]`.
 */
export function clipGradNorm<T extends Nested<A> | Record<string, unknown>>(grads: T, maxNorm: number): [T, A] {
  if (maxNorm < 0) throw new RangeError(`max_norm should be >=0, ${maxNorm} was provided instead`);
  const sq = (g: A) => mx.sum(mx.square(g.dtype === mx.float16 ? g.astype(mx.float32) : g));
  const normSquared = treeReduce((acc: A, g: A) => mx.add(acc, sq(g)), grads, mx.array(0.0));
  const total = mx.sqrt(normSquared);
  const normalizer = mx.minimum(mx.divide(maxNorm, mx.add(total, 1e-6)), 1.0);
  const clipped = treeMap((g: A) => (mx.issubdtype(g.dtype, mx.floating) ? mx.multiply(g, normalizer).astype(g.dtype) : mx.multiply(g, normalizer)), grads);
  return [clipped as T, total];
}
