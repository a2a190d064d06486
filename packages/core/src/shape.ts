// Shape arithmetic shared by ops and kernels: sizes, row-major strides, broadcasting, axes.

export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
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

/** Validates a user-provided shape: non-negative integers. */
export function checkShape(shape: unknown, op: string, argName = 'shape'): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list)) throw new TypeError(`[${op}] ${argName} must be a number or an array of numbers, got ${String(shape)}.`);
  for (const d of list) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new TypeError(`[${op}] ${argName} must contain non-negative integers, got [${list.join(', ')}].`);
    }
  }
  return list as number[];
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
  const out = n < 2 ** 31 ? new Float64Array(n) : new Float64Array(n);
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
