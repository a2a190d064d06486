// View primitives: the output shares the input's storage with new strides and offset.
// They need no kernel on any backend (eval-node.ts applies `view`).
import { definePrimitive } from '../primitive.js';
import { rowMajorStrides, isRowContiguous } from '../shape.js';

type Layout = { shape: readonly number[]; strides: readonly number[]; offset: number };

/** NumPy's no-copy reshape: strides for `outShape` over the same memory, or null. */
function reshapeStrides(inp: Layout, outShape: readonly number[]): number[] | null {
  if (isRowContiguous(inp.shape, inp.strides)) return rowMajorStrides(outShape);
  // Drop size-1 input dims, then match groups of dims whose products agree.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  inp.shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(inp.strides[i]!);
    }
  });
  const newStrides = new Array<number>(outShape.length).fill(0);
  let oi = 0, oj = 1, ni = 0, nj = 1;
  const on = oldDims.length;
  const nn = outShape.length;
  if (outShape.some((d) => d === 0)) return rowMajorStrides(outShape);
  while (ni < nn && oi < on) {
    let np = outShape[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= outShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    for (let k = oi; k < oj - 1; k++) if (oldStrides[k] !== oldDims[k + 1]! * oldStrides[k + 1]!) return null;
    newStrides[nj - 1] = oldStrides[oj - 1]!;
    for (let k = nj - 1; k > ni; k--) newStrides[k - 1] = newStrides[k]! * outShape[k]!;
    ni = nj++;
    oi = oj++;
  }
  // trailing size-1 dims
  for (let k = ni; k < nn; k++) newStrides[k] = 1;
  return newStrides;
}

export const Reshape = definePrimitive<{ shape: number[] }>({
  name: 'Reshape',
  view: (_p, inp, outShape) => {
    const s = reshapeStrides(inp, outShape);
    return s ? { strides: s, offset: inp.offset } : null;
  },
  describe: (p) => `(${p.shape.join(',')})`,
});

export const Broadcast = definePrimitive<{ shape: number[] }>({
  name: 'Broadcast',
  view: (_p, inp, outShape) => {
    const lead = outShape.length - inp.shape.length;
    const strides = outShape.map((d, i) => {
      if (i < lead) return 0;
      const id = inp.shape[i - lead]!;
      return id === 1 && d !== 1 ? 0 : inp.strides[i - lead]!;
    });
    return { strides, offset: inp.offset };
  },
  describe: (p) => `(${p.shape.join(',')})`,
});

export const Transpose = definePrimitive<{ axes: number[] }>({
  name: 'Transpose',
  view: (p, inp) => ({ strides: p.axes.map((a) => inp.strides[a]!), offset: inp.offset }),
  describe: (p) => `[${p.axes.join(',')}]`,
});

/** Strided slice: start/stop/step per axis, already normalized by the op. */
export const Slice = definePrimitive<{ start: number[]; stop: number[]; step: number[] }>({
  name: 'Slice',
  view: (p, inp) => {
    let offset = inp.offset;
    const strides = inp.strides.map((s, i) => {
      offset += p.start[i]! * s;
      return s * p.step[i]!;
    });
    return { strides, offset };
  },
  describe: (p) => `start=[${p.start}] stop=[${p.stop}] step=[${p.step}]`,
});

/** MLX's as_strided: strides and offset in elements of the row-contiguous input. */
export const AsStrided = definePrimitive<{ shape: number[]; strides: number[]; offset: number }>({
  name: 'AsStrided',
  view: (p, inp) => (isRowContiguous(inp.shape, inp.strides) ? { strides: [...p.strides], offset: inp.offset + p.offset } : null),
  describe: (p) => `shape=(${p.shape}) strides=(${p.strides}) offset=${p.offset}`,
});

/**
 * MLX's view: the same bytes read as another dtype. When element sizes differ the last axis
 * scales, which needs it contiguous; every byte offset must also land on an element of the
 * new dtype, else the array layer copies the input first.
 */
export const View = definePrimitive<{ from: number; to: number }>({
  name: 'View',
  view: (p, inp) => {
    const nd = inp.shape.length;
    if (p.from === p.to) return { strides: [...inp.strides], offset: inp.offset };
    if (nd > 0 && inp.shape[nd - 1]! > 1 && inp.strides[nd - 1] !== 1) return null;
    const toUnits = (elems: number): number | null => {
      const bytes = elems * p.from;
      return bytes % p.to === 0 ? bytes / p.to : null;
    };
    const offset = toUnits(inp.offset);
    if (offset === null) return null;
    const strides: number[] = [];
    for (let i = 0; i < nd - 1; i++) {
      const st = toUnits(inp.strides[i]!);
      if (st === null) return null;
      strides.push(st);
    }
    if (nd > 0) strides.push(1);
    return { strides, offset };
  },
  describe: (p) => `${p.from} -> ${p.to} bytes`,
});
