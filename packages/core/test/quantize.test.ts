// Quantization on the current CPU backend (both vitest projects): the packed layouts by hand,
// round trips, the quantized matmuls against matmul of the dequantized weights, the gathered
// and masked matmuls against their definitions, fp8, errors, node-mlx's argument forms, and
// the transforms (grad, jvp, vmap, compile) of every quantized primitive.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const onReference = () => mx.cpuBackendName() === 'reference';
const list = (a: mx.MxArray) => a.tolist() as number[];
const flat = (a: mx.MxArray) => list(mx.reshape(a, [-1]));
const words = (a: mx.MxArray) => flat(a).map((v) => v >>> 0);

function expectClose(a: mx.MxArray, b: mx.MxArray, tol: number, what = ''): void {
  expect(a.shape, what).toEqual(b.shape);
  const x = flat(a), y = flat(b);
  x.forEach((v, i) => {
    if (!(Math.abs(v - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!)))) throw new Error(`${what} element ${i}: ${v} vs ${y[i]}`);
  });
}

const rand = (shape: number[], seed: number, scale = 1) => mx.random.normal(shape, mx.float32, 0, scale, mx.random.key(seed));

describe('packed layouts', () => {
  it('4-bit affine: element j in bits [4j, 4j + 4) of each row, scale and bias per group', () => {
    // one group of 32: 0..15 twice. |min| <= |max|, so MLX anchors the max: scale -1, bias 15
    const row = Array.from({ length: 32 }, (_, j) => j % 16);
    const [wq, s, b] = mx.quantize(mx.array([row]), 32, 4);
    expect(wq.dtype).toBe(mx.uint32);
    expect(wq.shape).toEqual([1, 4]);
    expect(flat(s)).toEqual([-1]);
    expect(flat(b)).toEqual([15]);
    expect(words(wq)).toEqual([0x89abcdef, 0x01234567, 0x89abcdef, 0x01234567]);
    expect(flat(mx.dequantize(wq, s, b, 32, 4))).toEqual(row);
  });

  it('3-, 5- and 6-bit codes are one little-endian bit stream per row', () => {
    for (const bits of [3, 5, 6]) {
      const n = (1 << bits) - 1;
      // negative values: the min is the edge, so codes are w - min with scale 1
      const row = Array.from({ length: 32 }, (_, j) => ((j * 7) % (n + 1)) - n);
      row[0] = -n;
      row[1] = 0;
      const [wq, s, b] = mx.quantize(mx.array([row]), 32, bits);
      expect(wq.shape).toEqual([1, bits]);
      expect([flat(s)[0], flat(b)[0]]).toEqual([1, -n]);
      const w = words(wq);
      const code = (j: number) => {
        let v = 0;
        for (let t = 0; t < bits; t++) {
          const bit = j * bits + t;
          v |= ((w[bit >>> 5]! >>> (bit & 31)) & 1) << t;
        }
        return v;
      };
      expect(row.map((_, j) => code(j)), `bits ${bits}`).toEqual(row.map((v) => v + n));
      expect(flat(mx.dequantize(wq, s, b, 32, bits))).toEqual(row);
    }
  });

  it('1-bit: bit 0 is the group minimum, bit 1 its maximum', () => {
    const row = Array.from({ length: 32 }, (_, j) => (j % 3 === 0 ? 2.5 : -1.5));
    const [wq, s, b] = mx.quantize(mx.array([row]), 32, 1);
    expect(flat(s)).toEqual([4]);
    expect(flat(b)).toEqual([-1.5]);
    expect(words(wq)).toEqual([row.reduce((acc, v, j) => (v > 0 ? acc | (1 << j) : acc), 0) >>> 0]);
    expect(flat(mx.dequantize(wq, s, b, 32, 1))).toEqual(row);
  });

  it('mxfp4: E2M1 codes, an E8M0 scale per 32 rounded up so the largest element fits', () => {
    const row = [6, 3, -1.5, 0.5, 0, -6, 4, 2, ...Array(24).fill(0)].map((v) => v * 4);
    const [wq, s] = mx.quantize(mx.array([row]), null, null, 'mxfp4');
    expect(s.dtype).toBe(mx.uint8);
    expect(flat(s)).toEqual([129]); // 2^2
    expect(words(wq)[0]).toBe(0x46f01b57); // codes 7 5 b 1 0 f 6 4, first in the low nibble
    expect(flat(mx.dequantize(wq, s, null, null, null, 'mxfp4', null, mx.float32))).toEqual(row);
  });

  it('nvfp4 with a global scale and mxfp8 round trip their exact values', () => {
    const row = Array.from({ length: 32 }, (_, j) => [0, 0.5, 1, 1.5, 2, 3, 4, 6][j % 8]! * (j % 16 < 8 ? 1 : -1) || 0);
    const [wq, s] = mx.quantize(mx.array([row]), null, null, 'nvfp4');
    expect(flat(mx.dequantize(wq, s, null, null, null, 'nvfp4', null, mx.float32))).toEqual(row);
    // a global scale g encodes the group scales times 2688 / g (here 2: exact in E4M3)
    const g = mx.array(1344.0);
    const [wg, sg] = mx.quantize(mx.array([row]), null, null, 'nvfp4', g);
    expect(flat(mx.dequantize(wg, sg, null, null, null, 'nvfp4', g, mx.float32))).toEqual(row);
    const e = [0, 1, -2, 448, -448, 0.001953125, 3.5, 240, ...Array(24).fill(1.125)];
    const [w8, s8] = mx.quantize(mx.array([e]), null, null, 'mxfp8');
    expect(flat(mx.dequantize(w8, s8, null, null, null, 'mxfp8', null, mx.float32))).toEqual(e);
  });

  it('dequantize defaults: the scales dtype for affine, bfloat16 for the fp modes', () => {
    const w = rand([4, 64], 1);
    const [q, s, b] = mx.quantize(w.astype(mx.float16), 32, 4);
    expect(s.dtype).toBe(mx.float16);
    expect(mx.dequantize(q, s, b, 32, 4).dtype).toBe(mx.float16);
    expect(mx.dequantize(q, s, b.astype(mx.float32), 32, 4).dtype).toBe(mx.float32);
    const [fq, fs] = mx.quantize(w, null, null, 'mxfp4');
    expect(mx.dequantize(fq, fs, null, null, null, 'mxfp4').dtype).toBe(mx.bfloat16);
    // with a global scale MLX multiplies by a float32 factor
    const [nq, ns] = mx.quantize(w, null, null, 'nvfp4');
    expect(mx.dequantize(nq, ns, null, null, null, 'nvfp4', mx.array(1.0), mx.bfloat16).dtype).toBe(mx.float32);
  });
});

describe('round trips', () => {
  it('affine: every element within one and a half steps of its group', () => {
    const w = rand([6, 256], 2, 3);
    for (const bits of [1, 2, 3, 4, 5, 6, 8]) {
      for (const gs of [32, 64, 128]) {
        const [q, s, b] = mx.quantize(w, gs, bits);
        expect(q.shape).toEqual([6, (256 * bits) / 32]);
        const back = mx.dequantize(q, s, b, gs, bits);
        const step = mx.repeat(mx.abs(s), gs, 1);
        const err = mx.abs(mx.subtract(back, w));
        // (MLX anchors one end exactly: the step shrinks or grows by rint, the far end may clip)
        const tolerance = mx.add(mx.multiply(step, 1.5), 1e-6);
        expect(mx.all(mx.lessEqual(err, tolerance)).item(), `bits ${bits} gs ${gs}`).toBe(true);
      }
    }
  });

  it('fp modes: relative error of the format', () => {
    const w = rand([4, 128], 3);
    for (const [mode, rel] of [['mxfp4', 0.5], ['nvfp4', 0.5], ['mxfp8', 0.07]] as const) {
      const [q, s] = mx.quantize(w, null, null, mode);
      const back = mx.dequantize(q, s, null, null, null, mode, null, mx.float32);
      const amax = mx.max(mx.abs(mx.reshape(w, [4, -1, mode === 'nvfp4' ? 16 : 32])), -1, true);
      const err = mx.abs(mx.subtract(mx.reshape(back, amax.shape.slice(0, 2).concat([-1])), mx.reshape(w, amax.shape.slice(0, 2).concat([-1]))));
      expect(mx.all(mx.lessEqual(err, mx.multiply(amax, rel))).item(), mode).toBe(true);
    }
  });

  it('batched weights quantize row by row, and strided views as their values', () => {
    const w = rand([2, 3, 64], 4);
    const [q, s, b] = mx.quantize(w, 32, 4);
    const [q1, s1, b1] = mx.quantize(w.index(1), 32, 4);
    expect(list(q.index(1))).toEqual(list(q1));
    expect(list(s.index(1))).toEqual(list(s1));
    expect(list(b.index(1))).toEqual(list(b1));
    const t = rand([64, 4], 5);
    const [qt] = mx.quantize(t.T, 32, 4);
    const [qc] = mx.quantize(mx.copy(t.T), 32, 4);
    expect(list(qt)).toEqual(list(qc));
  });

  it('toFp8 / fromFp8: E4M3 values round trip, others round to nearest even, saturating at 448', () => {
    const all = mx.arange(0, 256, 1, mx.uint8);
    const vals = mx.fromFp8(all, mx.float32);
    const finite = mx.isfinite(vals);
    const back = mx.toFp8(vals);
    // codes round trip except the NaNs (0x7f, 0xff) and -0 -> 0x80 kept
    expect(flat(mx.where(finite, mx.equal(back, all), true)).every(Boolean)).toBe(true);
    expect(flat(mx.fromFp8(mx.toFp8(mx.array([1000, -1e9, Infinity, NaN, 0.0625 + 2 ** -10])), mx.float32))).toEqual([448, -448, 448, 448, 0.0625]);
    expect(mx.fromFp8(all).dtype).toBe(mx.bfloat16);
  });
});

describe('quantized matmuls', () => {
  const x = rand([3, 128], 10);
  const w = rand([40, 128], 11);

  it('quantizedMatmul is x @ dequantize(w).T (exactly on the reference backend), both transposes', () => {
    for (const [mode, gs, bits] of [['affine', 64, 4], ['affine', 32, 3], ['affine', 128, 8], ['mxfp4', 32, 4], ['mxfp8', 32, 8], ['nvfp4', 16, 4]] as const) {
      const q = mx.quantize(w, gs, bits, mode);
      const deq = mx.dequantize(q[0]!, q[1]!, q[2] ?? null, gs, bits, mode, null, mx.float32);
      const got = mx.quantizedMatmul(x, q[0]!, q[1]!, q[2] ?? null, true, gs, bits, mode);
      const want = mx.matmul(x, deq.T);
      if (onReference()) expect(list(got), mode).toEqual(list(want));
      else expectClose(got, want, 1e-4, `${mode} ${bits}`);
      // transpose = false: w holds (K, N) with groups along N
      const xt = rand([3, 40], 12);
      const gotN = mx.quantizedMatmul(xt, q[0]!, q[1]!, q[2] ?? null, false, gs, bits, mode);
      const wantN = mx.matmul(xt, deq);
      if (onReference()) expect(list(gotN), mode).toEqual(list(wantN));
      else expectClose(gotN, wantN, 1e-4, `${mode} ${bits} transpose=false`);
    }
  });

  it('batches: x batched over a 2-D w, broadcast batches, 1-D x', () => {
    const [q, s, b] = mx.quantize(w, 64, 4);
    const xb = rand([2, 3, 128], 13);
    expectClose(mx.quantizedMatmul(xb, q, s, b), mx.stack([mx.quantizedMatmul(xb.index(0), q, s, b), mx.quantizedMatmul(xb.index(1), q, s, b)]), 1e-6);
    const v = mx.quantizedMatmul(x.index(0), q, s, b);
    expect(v.shape).toEqual([40]);
    expectClose(v, mx.quantizedMatmul(x, q, s, b).index(0), 1e-6);
    const qb = mx.quantize(mx.stack([w, mx.negative(w)]), 64, 4);
    const out = mx.quantizedMatmul(mx.expandDims(xb, 1), mx.expandDims(qb[0]!, 0), mx.expandDims(qb[1]!, 0), mx.expandDims(qb[2]!, 0));
    expect(out.shape).toEqual([2, 2, 3, 40]);
  });

  it('size-0 dims (MLX 0.32.4 crashes on an empty K): zeros or empty results', () => {
    const out = mx.quantizedMatmul(mx.zeros([2, 0]), mx.zeros([3, 0], mx.uint32), mx.zeros([3, 0]), mx.zeros([3, 0]), true, 64, 4);
    expect(out.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(mx.quantizedMatmul(mx.zeros([0, 64]), mx.zeros([3, 8], mx.uint32), mx.zeros([3, 1]), mx.zeros([3, 1]), true, 64, 4).shape).toEqual([0, 3]);
    expect(mx.quantize(mx.zeros([0, 64]), 64, 4).map((a) => a.shape)).toEqual([[0, 8], [0, 1], [0, 1]]);
    expect(mx.dequantize(mx.zeros([2, 0], mx.uint32), mx.zeros([2, 0]), mx.zeros([2, 0]), 64, 4).shape).toEqual([2, 0]);
  });

  it('gatherQMM is quantizedMatmul of the picked matrices', () => {
    const xs = rand([4, 2, 128], 14);
    const ws = rand([3, 16, 128], 15);
    const [q, s, b] = mx.quantize(ws, 32, 4);
    const lhs = mx.array([0n, 3n, 3n], mx.uint32), rhs = mx.array([2n, 0n, 2n], mx.uint32);
    const got = mx.gatherQMM(xs, q, s, b, lhs, rhs, true, 32, 4);
    const want = mx.stack([0, 1, 2].map((i) => mx.quantizedMatmul(xs.index(Number(list(lhs)[i])), q.index(list(rhs)[i]!), s.index(list(rhs)[i]!), b.index(list(rhs)[i]!), true, 32, 4)));
    expectClose(got, want, 1e-6);
    // without indices: quantizedMatmul; node-mlx's order (sortedIndices after bits) still works
    expectClose(mx.gatherQMM(xs.index(0), q.index(0), s.index(0), b.index(0), null, null, true, 32, 4), mx.quantizedMatmul(xs.index(0), q.index(0), s.index(0), b.index(0), true, 32, 4), 0, 'no indices');
    const nodeMlx = (mx.gatherQMM as (...a: unknown[]) => mx.MxArray)(xs, q, s, b, lhs, rhs, true, 32, 4, false);
    expect(list(nodeMlx)).toEqual(list(got));
    expect(() => mx.eval(mx.gatherQMM(xs, q, s, b, mx.array([9n]), rhs, true, 32, 4))).toThrow(RangeError);
  });

  it('gatherMM, blockMaskedMM and segmentedMM follow their definitions', () => {
    const a = rand([3, 4, 5], 16), c = rand([2, 5, 6], 17);
    const g = mx.gatherMM(a, c, mx.array([2n, 0n], mx.uint32), mx.array([1n, 1n], mx.uint32));
    expectClose(g, mx.stack([mx.matmul(a.index(2), c.index(1)), mx.matmul(a.index(0), c.index(1))]), 1e-6);
    expectClose(mx.gatherMM(a.index(0), c.index(0)), mx.matmul(a.index(0), c.index(0)), 0);

    const A = rand([70, 40], 18), B = rand([40, 33], 19);
    const mOut = mx.array([[true], [false]]);
    const expand = (m: mx.MxArray, r: number, cc: number) => mx.repeat(mx.repeat(m, 64, 0), 64, 1).index(mx.Slice(0, r), mx.Slice(0, cc));
    const masked = mx.blockMaskedMM(A, B, 64, mOut);
    expectClose(masked, mx.multiply(mx.matmul(A, B), expand(mOut, 70, 33)), 1e-5);
    const mL = mx.array([[1.5], [0.5]]), mR = mx.array([[true]]);
    expectClose(mx.blockMaskedMM(A, B, 64, null, mL, mR), mx.matmul(mx.multiply(A, expand(mL, 70, 40)), B), 1e-5);

    const sa = rand([3, 10], 20), sb = rand([10, 4], 21);
    const seg = mx.segmentedMM(sa, sb, mx.array([[0n, 4n], [4n, 10n], [6n, 6n]]));
    expect(seg.shape).toEqual([3, 3, 4]);
    expectClose(seg.index(0), mx.matmul(sa.index(mx.Slice(), mx.Slice(0, 4)), sb.index(mx.Slice(0, 4))), 1e-6);
    expectClose(seg.index(1), mx.matmul(sa.index(mx.Slice(), mx.Slice(4, 10)), sb.index(mx.Slice(4, 10))), 1e-6);
    expect(flat(seg.index(2)).every((v) => v === 0)).toBe(true);
  });

  it('qqmm quantizes x (and an unquantized w) along K', () => {
    const xq = rand([2, 64], 22), wq = rand([5, 64], 23);
    const [qw, qs] = mx.quantize(wq, null, null, 'nvfp4');
    const xhat = mx.dequantize(...(mx.quantize(xq, null, null, 'nvfp4') as [mx.MxArray, mx.MxArray]), null, null, null, 'nvfp4', null, mx.float32);
    const what = mx.dequantize(qw, qs, null, null, null, 'nvfp4', null, mx.float32);
    // the E2M1 rounding of x may differ at ties (MLX's qqmm rounds half to even, quantize to the first code)
    expectClose(mx.qqmm(xq, qw, qs), mx.matmul(xhat, what.T), 0.05);
    expectClose(mx.qqmm(xq, wq), mx.qqmm(xq, qw, qs), 1e-5);
    expect(mx.qqmm(xq.index(0), qw, qs).shape).toEqual([5]);
  });
});

describe('errors', () => {
  const w = rand([4, 64], 30);
  const [q, s, b] = mx.quantize(w, 32, 4);
  it.each([
    ['an unknown mode', () => mx.quantize(w, null, null, 'int4' as never), /Invalid quantization mode 'int4'/],
    ['a group size', () => mx.quantize(w, 16, 4), /group size 16 is not supported/],
    ['7 bits', () => mx.quantize(w, 32, 7), /number of bits 7 is not supported/],
    ['integers', () => mx.quantize(w.astype(mx.int32)), /Only real floating types can be quantized/],
    ['a 1-D w', () => mx.quantize(w.index(0)), /at least 2 dimension/],
    ['a row not divisible', () => mx.quantize(mx.zeros([2, 48]), 32, 4), /divisible by the quantization group size 32/],
    ['a global scale outside nvfp4', () => mx.quantize(w, null, null, 'mxfp4', mx.array(1)), /only supported for 'nvfp4'/],
    ['missing biases', () => mx.dequantize(q, s, null, 32, 4), /Biases must be provided/],
    ['shapes that disagree', () => mx.dequantize(q, s, b, 64, 4), /does not match the matrix given the quantization parameters/],
    ['non-uint32 w', () => mx.quantizedMatmul(rand([1, 64], 1), q.astype(mx.int32), s, b, true, 32, 4), /should be uint32/],
    ['x of the wrong width', () => mx.quantizedMatmul(rand([1, 63], 1), q, s, b, true, 32, 4), /does not match the expanded quantized matrix/],
    ['a 16 block size', () => mx.blockMaskedMM(w, w.T, 16, mx.array([[true]])), /Only block_sizes 32, 64/],
    ['batched segmentedMM', () => mx.segmentedMM(mx.zeros([1, 2, 3]), mx.zeros([3, 2]), mx.array([[0n, 1n]])), /Batched matmul not supported/],
    ['integer from_fp8 dtype', () => mx.fromFp8(mx.zeros([2], mx.uint8), mx.int32), /Only real floating types/],
    ['qqmm in affine mode', () => mx.qqmm(w, w, null, 32, 4, 'affine'), /quantize both operands/],
  ])('%s raises', (_name, f, msg) => {
    expect(f).toThrow(msg);
  });
  it('a stream where node-mlx puts it', () => {
    const [q2, s2, b2] = (mx.quantize as (...a: unknown[]) => mx.MxArray[])(w, 32, 4, mx.cpu);
    expect(list(q2)).toEqual(list(q));
    expect(list((mx.dequantize as (...a: unknown[]) => mx.MxArray)(q2, s2, b2, 32, 4, mx.cpu))).toEqual(list(mx.dequantize(q, s, b, 32, 4)));
  });
});

describe('transforms', () => {
  const x = rand([2, 64], 40);
  const [q, s, b] = mx.quantize(rand([8, 64], 41), 32, 4);
  const deq = (sc: mx.MxArray, bi: mx.MxArray) => mx.dequantize(q, sc, bi, 32, 4);

  it('grad of quantizedMatmul w.r.t. x, scales and biases is that of matmul with the dequantized weights', () => {
    const f = (a: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.sum(mx.sin(mx.quantizedMatmul(a, q, sc, bi, true, 32, 4)));
    const g = (a: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.sum(mx.sin(mx.matmul(a, deq(sc, bi).T)));
    const got = mx.grad(f, [0, 1, 2])(x, s, b) as mx.MxArray[];
    const want = mx.grad(g, [0, 1, 2])(x, s, b) as mx.MxArray[];
    got.forEach((t, i) => expectClose(t, want[i]!, 1e-4, `argument ${i}`));
    // transpose = false
    const xt = rand([2, 8], 42);
    const ft = (a: mx.MxArray) => mx.sum(mx.square(mx.quantizedMatmul(a, q, s, b, false, 32, 4)));
    expectClose(mx.grad(ft)(xt) as mx.MxArray, mx.grad((a: mx.MxArray) => mx.sum(mx.square(mx.matmul(a, deq(s, b)))))(xt) as mx.MxArray, 1e-4, 'transpose=false');
    // no gradient for the packed weights (MLX raises)
    expect(() => mx.grad((wq: mx.MxArray) => mx.sum(mx.quantizedMatmul(x, wq, s, b, true, 32, 4)))(q)).toThrow(/no gradient wrt the quantized weights/);
  });

  it('jvp of quantizedMatmul w.r.t. x; vmap over x, over w, and over both', () => {
    const t = rand([2, 64], 43);
    const [, [jt]] = mx.jvp((a: mx.MxArray) => mx.quantizedMatmul(a, q, s, b, true, 32, 4), [x], [t]);
    expectClose(jt!, mx.quantizedMatmul(t, q, s, b, true, 32, 4), 1e-6);
    const xs = rand([3, 2, 64], 44);
    const vx = mx.vmap((a: mx.MxArray) => mx.quantizedMatmul(a, q, s, b, true, 32, 4))(xs) as mx.MxArray;
    expectClose(vx, mx.stack([0, 1, 2].map((i) => mx.quantizedMatmul(xs.index(i), q, s, b, true, 32, 4))), 1e-6);
    const ws = rand([3, 8, 64], 45);
    const [qs, ss, bs] = mx.quantize(ws, 32, 4);
    const vw = mx.vmap((wq: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.quantizedMatmul(x.index(0), wq, sc, bi, true, 32, 4))(qs, ss, bs) as mx.MxArray;
    expectClose(vw, mx.stack([0, 1, 2].map((i) => mx.quantizedMatmul(x.index(0), qs.index(i), ss.index(i), bs.index(i), true, 32, 4))), 1e-6);
    const vb = mx.vmap((a: mx.MxArray, wq: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.quantizedMatmul(a, wq, sc, bi, true, 32, 4))(xs, qs, ss, bs) as mx.MxArray;
    expectClose(vb, mx.stack([0, 1, 2].map((i) => mx.quantizedMatmul(xs.index(i), qs.index(i), ss.index(i), bs.index(i), true, 32, 4))), 1e-6);
  });

  it('vmap of quantize and dequantize row-wise; compile of a quantized layer', () => {
    const ws = rand([3, 4, 64], 46);
    const [vq, vs, vb] = mx.vmap((a: mx.MxArray) => mx.quantize(a, 32, 4), 1)(ws.transpose([1, 0, 2])) as mx.MxArray[];
    const [dq, ds, db] = mx.quantize(ws, 32, 4);
    expect(list(vq!)).toEqual(list(dq!));
    expect(list(vs!)).toEqual(list(ds!));
    expect(list(vb!)).toEqual(list(db!));
    const vd = mx.vmap((a: mx.MxArray, c: mx.MxArray, e: mx.MxArray) => mx.dequantize(a, c, e, 32, 4))(dq!, ds!, db!) as mx.MxArray;
    expect(list(vd)).toEqual(list(mx.dequantize(dq!, ds!, db!, 32, 4)));
    const layer = (a: mx.MxArray) => mx.maximum(mx.quantizedMatmul(a, q, s, b, true, 32, 4), 0);
    expect(list(mx.compile(layer)(x))).toEqual(list(layer(x)));
    expect(list(mx.compile(mx.grad((a: mx.MxArray) => mx.sum(layer(a))))(x) as mx.MxArray)).toEqual(list(mx.grad((a: mx.MxArray) => mx.sum(layer(a)))(x) as mx.MxArray));
    // a shapeless compile replays the layer for other numbers of rows
    const shapeless = mx.compile((a: mx.MxArray) => mx.add(layer(a), mx.dequantize(q, s, b, 32, 4).index(mx.Slice(), 0)), true);
    for (const rows of [2, 5, 1]) {
      const xr = rand([rows, 64], 60 + rows);
      expect(list(shapeless(xr)), `${rows} rows`).toEqual(list(mx.add(layer(xr), mx.dequantize(q, s, b, 32, 4).index(mx.Slice(), 0))));
    }
  });

  it('gatherQMM and gatherMM: vjp, jvp and vmap', () => {
    const xs = rand([3, 2, 64], 47);
    const [wq, ws, wb] = mx.quantize(rand([2, 8, 64], 48), 32, 4);
    const lhs = mx.array([2n, 0n, 2n], mx.uint32), rhs = mx.array([1n, 1n, 0n], mx.uint32);
    const f = (a: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => mx.sum(mx.square(mx.gatherQMM(a, wq, sc, bi, lhs, rhs, true, 32, 4)));
    const g = (a: mx.MxArray, sc: mx.MxArray, bi: mx.MxArray) => {
      const d = mx.dequantize(wq, sc, bi, 32, 4);
      return mx.sum(mx.square(mx.matmul(mx.take(a, lhs, 0), mx.swapaxes(mx.take(d, rhs, 0), -1, -2))));
    };
    const got = mx.grad(f, [0, 1, 2])(xs, ws, wb) as mx.MxArray[];
    const want = mx.grad(g, [0, 1, 2])(xs, ws, wb) as mx.MxArray[];
    got.forEach((t, i) => expectClose(t, want[i]!, 1e-3, `gatherQMM argument ${i}`));

    const A = rand([3, 4, 5], 49), B = rand([2, 5, 6], 50);
    const fm = (a: mx.MxArray, c: mx.MxArray) => mx.sum(mx.sin(mx.gatherMM(a, c, lhs, rhs)));
    const gm = (a: mx.MxArray, c: mx.MxArray) => mx.sum(mx.sin(mx.matmul(mx.take(a, lhs, 0), mx.take(c, rhs, 0))));
    const gg = mx.grad(fm, [0, 1])(A, B) as mx.MxArray[];
    const wg = mx.grad(gm, [0, 1])(A, B) as mx.MxArray[];
    gg.forEach((t, i) => expectClose(t, wg[i]!, 1e-4, `gatherMM argument ${i}`));
    // sorted right indices: the segmented-matmul route of the gradient
    const sr = mx.array([0n, 0n, 1n], mx.uint32);
    const fs = (c: mx.MxArray) => mx.sum(mx.sin(mx.gatherMM(A, c, null, sr, true)));
    const gs = (c: mx.MxArray) => mx.sum(mx.sin(mx.matmul(A, mx.take(c, sr, 0))));
    expectClose(mx.grad(fs)(B) as mx.MxArray, mx.grad(gs)(B) as mx.MxArray, 1e-4, 'sorted');
    const [, [jt]] = mx.jvp((a: mx.MxArray, c: mx.MxArray) => mx.gatherMM(a, c, lhs, rhs), [A, B], [mx.onesLike(A), mx.onesLike(B)]);
    expectClose(jt!, mx.add(mx.gatherMM(mx.onesLike(A), B, lhs, rhs), mx.gatherMM(A, mx.onesLike(B), lhs, rhs)), 1e-5);
    const As = rand([2, 3, 4, 5], 51);
    const vm = mx.vmap((a: mx.MxArray) => mx.gatherMM(a, B, lhs, rhs))(As) as mx.MxArray;
    expectClose(vm, mx.stack([0, 1].map((i) => mx.gatherMM(As.index(i), B, lhs, rhs))), 1e-6);
    const vq = mx.vmap((a: mx.MxArray) => mx.gatherQMM(a, wq, ws, wb, lhs, rhs, true, 32, 4))(rand([2, 3, 2, 64], 52)) as mx.MxArray;
    expect(vq.shape).toEqual([2, 3, 2, 8]);
  });

  it('blockMaskedMM: vjp w.r.t. the operands and float masks, vmap', () => {
    const A = rand([40, 70], 53), B = rand([70, 33], 54);
    const mL = rand([2, 3], 55), mR = rand([3, 2], 56), mO = rand([2, 2], 57);
    const expand = (m: mx.MxArray, r: number, c: number) => mx.repeat(mx.repeat(m, 32, 0), 32, 1).index(mx.Slice(0, r), mx.Slice(0, c));
    const f = (a: mx.MxArray, c: mx.MxArray, o: mx.MxArray, l: mx.MxArray, r: mx.MxArray) => mx.sum(mx.sin(mx.blockMaskedMM(a, c, 32, o, l, r)));
    const g = (a: mx.MxArray, c: mx.MxArray, o: mx.MxArray, l: mx.MxArray, r: mx.MxArray) =>
      mx.sum(mx.sin(mx.multiply(mx.matmul(mx.multiply(a, expand(l, 40, 70)), mx.multiply(c, expand(r, 70, 33))), expand(o, 40, 33))));
    for (const argnums of [[0, 1], [2], [3], [4]]) {
      const got = mx.grad(f, argnums)(A, B, mO, mL, mR) as mx.MxArray[];
      const want = mx.grad(g, argnums)(A, B, mO, mL, mR) as mx.MxArray[];
      (Array.isArray(got) ? got : [got]).forEach((t, i) => expectClose(t, (Array.isArray(want) ? want : [want])[i]!, 1e-3, `argnums ${argnums}`));
    }
    const As = rand([2, 40, 70], 58);
    const v = mx.vmap((a: mx.MxArray) => mx.blockMaskedMM(a, B, 32, mO))(As) as mx.MxArray;
    expectClose(v, mx.stack([0, 1].map((i) => mx.blockMaskedMM(As.index(i), B, 32, mO))), 1e-5);
  });

  it('grad through quantize follows MLX fallback graph; dequantize w.r.t. scales and biases', () => {
    const w = rand([2, 64], 59);
    const gq = mx.grad((a: mx.MxArray) => mx.sum(mx.quantize(a, 32, 4)[1]!))(w) as mx.MxArray;
    expect(gq.shape).toEqual([2, 64]);
    expect(flat(gq).filter((v) => v !== 0).length).toBeGreaterThan(0);
    const [gs, gb] = mx.grad((sc: mx.MxArray, bi: mx.MxArray) => mx.sum(mx.multiply(deq(sc, bi), 2)), [0, 1])(s, b) as mx.MxArray[];
    const codes = mx.dequantize(q, mx.onesLike(s), mx.zerosLike(b), 32, 4);
    expectClose(gs!, mx.multiply(mx.sum(mx.reshape(codes, [8, 2, 32]), -1), 2), 1e-6);
    expect(flat(gb!).every((v) => v === 64)).toBe(true);
  });
});
