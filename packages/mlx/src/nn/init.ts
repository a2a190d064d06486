// nn.init (mlx/nn/init.py): each function returns an initializer, a function from an array
// (only its shape is used) to a new array.
import * as mx from '@mlx-ts/core';

export type Initializer = (a: mx.array, ...rest: any[]) => mx.array;

/** Fills with `value`. */
export function constant(value: number, dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => mx.full(a.shape, value, dtype).astype(dtype);
}

/** Samples N(mean, std²). */
export function normal(mean = 0.0, std = 1.0, dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => mx.random.normal(a.shape, dtype, mean, std);
}

/** Samples U(low, high). */
export function uniform(low = 0.0, high = 1.0, dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => mx.random.uniform(low, high, a.shape, dtype);
}

/** The identity matrix (square 2-D arrays only). */
export function identity(dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => {
    if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new Error(`The input array must be a square matrix but got shape [${a.shape}].`);
    return mx.eye(a.shape[0]!, null, 0, dtype);
  };
}

function fans(x: mx.array): [number, number] {
  if (x.ndim < 2) throw new Error(`Glorot / He initialization requires at least 2 dimensional input but input with ${x.ndim} dimensions.`);
  let fanIn = x.shape[x.ndim - 1]!;
  let fanOut = x.shape[0]!;
  if (x.ndim > 2) {
    const rf = x.shape.slice(1, -1).reduce((a, b) => a * b, 1);
    fanIn *= rf;
    fanOut *= rf;
  }
  return [fanIn, fanOut];
}

function fanOf(a: mx.array, mode: string): number {
  const [fanIn, fanOut] = fans(a);
  if (mode === 'fan_in' || mode === 'fanIn') return fanIn;
  if (mode === 'fan_out' || mode === 'fanOut') return fanOut;
  throw new Error(`Invalid mode: ${mode}. Valid modes are: fan_in, fan_out`);
}

/** Glorot (Xavier) normal: std = gain * sqrt(2 / (fanIn + fanOut)). */
export function glorotNormal(dtype: mx.Dtype = mx.float32): (a: mx.array, gain?: number) => mx.array {
  return (a, gain = 1.0) => {
    const [i, o] = fans(a);
    return mx.random.normal(a.shape, dtype, null, gain * Math.sqrt(2 / (i + o)));
  };
}

/** Glorot (Xavier) uniform: U(-l, l), l = gain * sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(dtype: mx.Dtype = mx.float32): (a: mx.array, gain?: number) => mx.array {
  return (a, gain = 1.0) => {
    const [i, o] = fans(a);
    const limit = gain * Math.sqrt(6 / (i + o));
    return mx.random.uniform(-limit, limit, a.shape, dtype);
  };
}

/** He (Kaiming) normal: std = gain / sqrt(fan), fan 'fan_in' (default) or 'fan_out'. */
export function heNormal(dtype: mx.Dtype = mx.float32): (a: mx.array, mode?: 'fan_in' | 'fan_out', gain?: number) => mx.array {
  return (a, mode = 'fan_in', gain = 1.0) => mx.random.normal(a.shape, dtype, null, gain / Math.sqrt(fanOf(a, mode)));
}

/** He (Kaiming) uniform: U(-l, l), l = gain * sqrt(3 / fan). */
export function heUniform(dtype: mx.Dtype = mx.float32): (a: mx.array, mode?: 'fan_in' | 'fan_out', gain?: number) => mx.array {
  return (a, mode = 'fan_in', gain = 1.0) => {
    const limit = gain * Math.sqrt(3 / fanOf(a, mode));
    return mx.random.uniform(-limit, limit, a.shape, dtype);
  };
}

/** N(mean, std²) with ceil(sparsity * cols) zeros at random places in each row (2-D only). */
export function sparse(sparsity: number, mean = 0.0, std = 1.0, dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => {
    if (a.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
    const [rows, cols] = a.shape as [number, number];
    const numZeros = Math.ceil(sparsity * cols);
    const order = mx.argsort(mx.random.uniform(0, 1, a.shape), 1);
    const out = mx.random.normal(a.shape, dtype, mean, std);
    if (numZeros === 0) return out;
    const idx = order.index(mx.Slice(), mx.Slice(0, numZeros));
    return mx.putAlongAxis(out, idx, mx.zeros([rows, numZeros], dtype), 1);
  };
}

/** Householder QR of a square matrix (row-major doubles): returns Q and the diagonal of R. */
function qrSquare(a: Float64Array, n: number): { q: Float64Array; d: Float64Array } {
  const r = Float64Array.from(a);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += r[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = r[k * n + k]! > 0 ? -norm : norm;
    v.fill(0);
    for (let i = k; i < n; i++) v[i] = r[i * n + k]!;
    v[k]! -= alpha;
    let vn = 0;
    for (let i = k; i < n; i++) vn += v[i]! ** 2;
    if (vn === 0) continue;
    // R = (I - 2vv^T/vn) R ; Q = Q (I - 2vv^T/vn)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i]! * r[i * n + j]!;
      s = (2 * s) / vn;
      for (let i = k; i < n; i++) r[i * n + j]! -= s * v[i]!;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k; j < n; j++) s += q[i * n + j]! * v[j]!;
      s = (2 * s) / vn;
      for (let j = k; j < n; j++) q[i * n + j]! -= s * v[j]!;
    }
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = r[i * n + i]!;
  return { q, d };
}

/**
 * An orthogonal matrix (2-D only; semi-orthogonal rows or columns when not square), scaled by
 * `gain`: Q of the QR decomposition of a normal sample, its columns signed by diag(R).
 */
export function orthogonal(gain = 1.0, dtype: mx.Dtype = mx.float32): Initializer {
  return (a) => {
    if (a.ndim !== 2) throw new Error(`Orthogonal initialization requires a 2D array but got a ${a.ndim}D array.`);
    const [rows, cols] = a.shape as [number, number];
    const n = Math.max(rows, cols);
    const sample = Float64Array.from(mx.random.normal([n, n]).astype(mx.float32).toTypedArray() as Float32Array);
    const { q, d } = qrSquare(sample, n);
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = q[i * n + j]! * Math.sign(d[j]!) * gain;
    return mx.array(out).reshape(rows, cols).astype(dtype);
  };
}
