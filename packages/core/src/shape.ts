// Shape arithmetic shared by ops and kernels: sizes, row-major strides, broadcasting, axes,
// and the limits every shape must keep.
import { hostFloat64 } from './out-of-memory.js';

export type Shape = readonly number[];

/** The largest dimension: MLX's shapes are int32 (its ShapeElem). */
export const MAX_DIMENSION = 2 ** 31 - 1;
/**
 * The most elements an array may have. MLX counts in int64 (and silently wraps past it); sizes,
 * strides and offsets here are JS numbers, exact up to 2^53 - 1, so more is refused, not miscounted.
 */
export const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    // a zero wins even after the product overflowed to Infinity (Infinity * 0 is NaN)
    if (d === 0) return 0;
    n *= d;
  }
  return n;
}

/** Row-major strides, in elements. */
export function rowMajorStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapeToString(shape: Shape): string {
  return `(${shape.join(',')}${shape.length === 1 ? ',' : ''})`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of several shapes; the error names every shape. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw new Error(`Shapes ${shapes.map(shapeToString).join(' and ')} cannot be broadcast.`);
      }
    }
  }
  // a 0 in any operand wins over 1s
  const n = shapeSize(out);
  if (n > MAX_SIZE) throw new RangeError(`Shapes ${shapes.map(shapeToString).join(' and ')} broadcast to ${shapeToString(out)}, which ${tooManyElements(n)}.`);
  return out;
}

/** Normalizes a possibly negative axis; the error names the op, the axis and ndim. */
export function normalizeAxis(axis: number, ndim: number, op = 'op', argName = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(`[${op}] ${argName} must be an integer, got ${String(axis)}.`);
  }
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) {
    throw new RangeError(`[${op}] ${argName} ${axis} is out of bounds for array with ${ndim} dimensions.`);
  }
  return a;
}

/** Normalizes a list of axes (or all axes when undefined); duplicates are an error. */
export function normalizeAxes(axes: number | readonly number[] | undefined | null, ndim: number, op = 'op'): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  if (new Set(out).size !== out.length) throw new Error(`[${op}] Received duplicate axes [${list.join(', ')}].`);
  return out;
}

/**
 * Validates a user-provided shape: non-negative integers up to MAX_DIMENSION, at most MAX_SIZE
 * elements in all. The errors name the op and the argument.
 */
export function checkShape(shape: unknown, op: string, argName = 'shape'): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list)) throw new TypeError(`[${op}] ${argName} must be a number or an array of numbers, got ${String(shape)}.`);
  for (const d of list) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new TypeError(`[${op}] ${argName} must contain non-negative integers, got [${list.join(', ')}].`);
    }
    if (d > MAX_DIMENSION) {
      throw new RangeError(`[${op}] ${argName} [${list.join(', ')}] has dimension ${d}, outside the supported range [0, ${MAX_DIMENSION}]: MLX uses 32-bit integers for shape dimensions.`);
    }
  }
  checkSize(list as number[], op, argName);
  return list as number[];
}

/**
 * A dimension an op computed (concatenate's sum, tile's product, ...): MLX's safe_cast, whose
 * message this keeps.
 */
export function checkDimension(d: number, op: string, what = 'Shape dimension'): number {
  if (d > MAX_DIMENSION) {
    throw new RangeError(`[${op}] ${what} ${d} is outside the supported range [0, ${MAX_DIMENSION}]. MLX currently uses 32-bit integers for shape dimensions.`);
  }
  return d;
}

/** The element count of a valid-dimension shape, refused past MAX_SIZE. */
export function checkSize(shape: Shape, op: string, argName = 'shape'): number {
  const n = shapeSize(shape);
  if (n > MAX_SIZE) throw new RangeError(`[${op}] ${argName} [${shape.join(', ')}] ${tooManyElements(n)}.`);
  return n;
}

function tooManyElements(n: number): string {
  return `has about ${n.toPrecision(3)} elements; an array holds at most ${MAX_SIZE} (2^53 - 1, the largest count a JS number holds exactly)`;
}

/**
 * The limits of a shape an op computed. Every new array's shape passes here (MxArray._lazy):
 * the net under the ops' own argument checks, so no path makes a shape that sizes, strides or
 * allocation can't handle; ops that build the result through intermediates check it first.
 */
export function checkShapeLimits(shape: Shape, op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`[${op}] Invalid shape [${shape.join(', ')}]: dimensions must be non-negative integers.`);
    checkDimension(d, op);
  }
  checkSize(shape, op);
}

/** True when the layout is exactly row-major contiguous (size<=1 dims ignored). */
export function isRowContiguous(shape: Shape, strides: Shape): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= shape[i]!;
  }
  return true;
}

/** Element offsets of every position of a strided layout, in row-major order. */
export function stridedOffsets(shape: Shape, strides: Shape, offset: number): Int32Array | Float64Array {
  const n = shapeSize(shape);
  const out = hostFloat64(n, 'an offset table');
  const ndim = shape.length;
  if (n === 0) return out;
  const idx = new Array<number>(ndim).fill(0);
  let pos = offset;
  for (let i = 0; i < n; i++) {
    out[i] = pos;
    for (let d = ndim - 1; d >= 0; d--) {
      idx[d]!++;
      pos += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      pos -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
