// Activation functions and their layers (mlx/nn/layers/activations.py), over mx ops.
import * as mx from '@mlx-ts/core';
import { Module, fmt } from './base.js';

type A = mx.array;

export function sigmoid(x: A): A {
  return mx.sigmoid(x);
}
export function relu(x: A): A {
  return mx.maximum(x, 0);
}
export function relu2(x: A): A {
  return mx.square(mx.maximum(x, 0));
}
export function relu6(x: A): A {
  return mx.minimum(mx.maximum(x, 0), 6);
}
export function leakyRelu(x: A, negativeSlope = 0.01): A {
  return mx.maximum(mx.multiply(negativeSlope, x), x);
}
export function logSoftmax(x: A, axis: number | number[] = -1): A {
  const y = mx.subtract(x, mx.stopGradient(mx.max(x, axis, true)));
  return mx.subtract(y, mx.logsumexp(y, axis, true));
}
export function elu(x: A, alpha = 1.0): A {
  return mx.where(mx.greater(x, 0), x, mx.multiply(alpha, mx.subtract(mx.exp(x), 1)));
}
export function softmax(x: A, axis: number | number[] = -1): A {
  return mx.softmax(x, axis);
}
export function softplus(x: A): A {
  // log(1 + e^x) as MLX's logaddexp(x, 0) evaluates it in the input's precision.
  return mx.add(mx.maximum(x, 0), mx.log1p(mx.exp(mx.negative(mx.abs(x)))));
}
export function softsign(x: A): A {
  return mx.divide(x, mx.add(1, mx.abs(x)));
}
export function softshrink(x: A, lambd = 0.5): A {
  return mx.where(mx.greater(mx.abs(x), lambd), mx.subtract(x, mx.multiply(mx.sign(x), lambd)), 0);
}
export function celu(x: A, alpha = 1.0): A {
  return mx.add(mx.maximum(x, 0.0), mx.multiply(alpha, mx.subtract(mx.exp(mx.divide(mx.minimum(x, 0.0), alpha)), 1)));
}
export function silu(x: A): A {
  return mx.multiply(x, mx.sigmoid(x));
}
export function logSigmoid(x: A): A {
  return mx.negative(softplus(mx.negative(x)));
}
export function gelu(x: A): A {
  return mx.divide(mx.multiply(x, mx.add(1, mx.erf(mx.divide(x, Math.sqrt(2))))), 2);
}
export function geluApprox(x: A): A {
  const inner = mx.multiply(Math.sqrt(2 / Math.PI), mx.add(x, mx.multiply(0.044715, mx.power(x, 3))));
  return mx.multiply(mx.multiply(0.5, x), mx.add(1, mx.tanh(inner)));
}
export function geluFastApprox(x: A): A {
  return mx.multiply(x, mx.sigmoid(mx.multiply(1.702, x)));
}
export function glu(x: A, axis = -1): A {
  const [a, b] = mx.split(x, 2, axis) as A[];
  return mx.multiply(a!, mx.sigmoid(b!));
}
export function step(x: A, threshold = 0.0): A {
  return mx.where(mx.greaterEqual(x, threshold), 1n, 0n);
}
export function selu(x: A): A {
  return mx.multiply(elu(x, 1.67326), 1.0507);
}
export function prelu(x: A, alpha: A): A {
  return mx.add(mx.maximum(0, x), mx.multiply(alpha, mx.minimum(0, x)));
}
export function mish(x: A): A {
  return mx.multiply(x, mx.tanh(softplus(x)));
}
export function hardswish(x: A): A {
  return mx.divide(mx.multiply(x, mx.minimum(mx.maximum(mx.add(x, 3), 0), 6)), 6);
}
export function hardTanh(x: A, minVal = -1.0, maxVal = 1.0): A {
  return mx.minimum(mx.maximum(x, minVal), maxVal);
}
export function hardShrink(x: A, lambd = 0.5): A {
  return mx.where(mx.greater(mx.abs(x), lambd), x, 0);
}
export function softmin(x: A, axis: number | number[] = -1): A {
  return mx.softmax(mx.negative(x), axis);
}
export function tanh(x: A): A {
  return mx.tanh(x);
}

/** A layer applying an elementwise activation (`forward(x)`). */
abstract class Activation extends Module {
  abstract override forward(x: A): A;
}

/** The layer of an activation function without parameters. */
function elementwise(f: (x: A) => A): new () => Module & { forward(x: A): A } {
  return class extends Activation {
    forward(x: A): A {
      return f(x);
    }
  };
}

export class GLU extends Activation {
  constructor(public axis = -1) {
    super();
  }
  forward(x: A): A {
    return glu(x, this.axis);
  }
}
export class Sigmoid extends elementwise(sigmoid) {}
export class Mish extends elementwise(mish) {}
export class ReLU extends elementwise(relu) {}
export class ReLU2 extends elementwise(relu2) {}
export class ReLU6 extends elementwise(relu6) {}
export class LeakyReLU extends Activation {
  constructor(public negativeSlope = 0.01) {
    super();
  }
  forward(x: A): A {
    return leakyRelu(x, this.negativeSlope);
  }
}
export class ELU extends Activation {
  constructor(public alpha = 1.0) {
    super();
  }
  forward(x: A): A {
    return elu(x, this.alpha);
  }
}
export class Softmax extends elementwise(softmax) {}
export class Softplus extends elementwise(softplus) {}
export class Softsign extends elementwise(softsign) {}
export class Softshrink extends Activation {
  constructor(public lambd = 0.5) {
    super();
  }
  forward(x: A): A {
    return softshrink(x, this.lambd);
  }
}
export class CELU extends Activation {
  constructor(public alpha = 1.0) {
    super();
  }
  forward(x: A): A {
    return celu(x, this.alpha);
  }
}
export class SiLU extends elementwise(silu) {}
export class LogSoftmax extends elementwise(logSoftmax) {}
export class LogSigmoid extends elementwise(logSigmoid) {}
export class PReLU extends Activation {
  weight: A;
  constructor(numParameters = 1, init = 0.25) {
    super();
    this.weight = mx.full([numParameters], init);
  }
  forward(x: A): A {
    return prelu(x, this.weight);
  }
}
const GELU_APPROX = ['none', 'precise', 'tanh', 'fast'] as const;
export class GELU extends Activation {
  constructor(public approx: (typeof GELU_APPROX)[number] = 'none') {
    super();
    if (!GELU_APPROX.includes(approx)) throw new Error(`The approximation should be in ${GELU_APPROX.join(', ')} but '${approx}' was given`);
  }
  forward(x: A): A {
    if (this.approx === 'none') return gelu(x);
    if (this.approx === 'precise' || this.approx === 'tanh') return geluApprox(x);
    return geluFastApprox(x);
  }
  protected override toStringExtra(): string {
    return `approx=${this.approx}`;
  }
}
export class Tanh extends elementwise(tanh) {}
export class Hardswish extends elementwise(hardswish) {}
export class Step extends Activation {
  constructor(public threshold = 0.0) {
    super();
  }
  forward(x: A): A {
    return step(x, this.threshold);
  }
}
export class SELU extends elementwise(selu) {}
export class HardTanh extends elementwise(hardTanh) {}
export class HardShrink extends Activation {
  constructor(public lambd = 0.5) {
    super();
  }
  forward(x: A): A {
    return hardShrink(x, this.lambd);
  }
  protected override toStringExtra(): string {
    return `lambd=${fmt(this.lambd)}`;
  }
}
export class Softmin extends elementwise(softmin) {}
