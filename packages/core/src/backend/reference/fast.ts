// mx.fast's fused kernels. Each one computes its primitive's fallback (primitives/fast.ts) in
// one pass, in double, rounding at the steps where the composition rounds (to float32 for the
// norms' statistics and RoPE's angles, to the array's dtype for products and sums), and summing
// in the same order as the reference reductions and matmul: so on this backend the fused op
// equals its composition (tests/fast.test.ts checks it).
import { registerKernel, elements, offsetsOf } from './registry.js';
import type { ArrayData } from '../interface.js';
import { bfloat16, bool, float16, float32, float64, finfo, type Dtype } from '../../dtype.js';
import { numberReader, numberWriter } from '../../elements.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from '../../half.js';
import type { LayerNormParams, RMSNormParams, RoPEParams, SdpaParams } from '../../primitives/fast.js';

type Round = (v: number) => number;
const f32: Round = Math.fround;

/** A double rounded to `d`'s precision. */
function rounder(d: Dtype): Round {
  if (d === float32) return f32;
  if (d === float16) return (v) => halfToNumber(numberToHalf(v));
  if (d === bfloat16) return (v) => bfloat16ToNumber(numberToBfloat16(v));
  return (v) => v;
}

/** The array's elements in row-major order, as doubles. */
function values(d: ArrayData): Float64Array {
  const offs = offsetsOf(d);
  const r = numberReader(d.dtype, elements(d));
  const out = new Float64Array(offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = r(offs[i]!);
  return out;
}

/** The reference reductions' maximum: NaN wins. */
function maxOf(v: Float64Array, from: number, to: number): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(m)) break;
    if (Number.isNaN(v[i]!) || v[i]! > m) m = v[i]!;
  }
  return m;
}

registerKernel('RMSNorm', (prim, [x, w], [out]) => {
  const { eps } = prim.params as RMSNormParams;
  const xs = values(x!);
  const ws = w ? values(w) : null;
  const D = x!.shape[x!.shape.length - 1]!;
  const rows = D === 0 ? 0 : xs.length / D;
  const ro = rounder(out!.dtype);
  const put = numberWriter(out!.dtype, elements(out!));
  const inv = f32(1 / D);
  for (let r = 0; r < rows; r++) {
    const o = r * D;
    let ss = 0;
    for (let i = 0; i < D; i++) {
      const v = f32(xs[o + i]!);
      ss += f32(v * v);
    }
    const n = f32(1 / Math.sqrt(f32(f32(f32(ss) * inv) + f32(eps))));
    for (let i = 0; i < D; i++) {
      const y = ro(f32(f32(xs[o + i]!) * n));
      put(o + i, ws ? ro(y * ws[i]!) : y);
    }
  }
});

registerKernel('LayerNorm', (prim, inputs, [out]) => {
  const { eps, hasWeight, hasBias } = prim.params as LayerNormParams;
  const x = inputs[0]!;
  const xs = values(x);
  const ws = hasWeight ? values(inputs[1]!) : null;
  const bs = hasBias ? values(inputs[hasWeight ? 2 : 1]!) : null;
  const D = x.shape[x.shape.length - 1]!;
  const rows = D === 0 ? 0 : xs.length / D;
  const ro = rounder(out!.dtype);
  const put = numberWriter(out!.dtype, elements(out!));
  const inv = f32(1 / D);
  const xc = new Float64Array(D);
  for (let r = 0; r < rows; r++) {
    const o = r * D;
    let s = 0;
    for (let i = 0; i < D; i++) s += f32(xs[o + i]!);
    const mu = f32(f32(s) * inv);
    let ss = 0;
    for (let i = 0; i < D; i++) {
      xc[i] = f32(f32(xs[o + i]!) - mu);
      ss += f32(xc[i]! * xc[i]!);
    }
    const n = f32(1 / Math.sqrt(f32(f32(f32(ss) * inv) + f32(eps))));
    for (let i = 0; i < D; i++) {
      let y = ro(f32(xc[i]! * n));
      if (ws) y = ro(y * ws[i]!);
      if (bs) y = ro(y + bs[i]!);
      put(o + i, y);
    }
  }
});

registerKernel('RoPE', (prim, [x, offset, freqs], [out]) => {
  const { dims, traditional, base, scale, forward } = prim.params as RoPEParams;
  const xs = values(x!);
  const offs = values(offset!);
  const shape = x!.shape;
  const nd = shape.length;
  const B = shape[0]!;
  const T = shape[nd - 2]!;
  const D = shape[nd - 1]!;
  const perB = B === 0 ? 0 : xs.length / B; // elements per batch entry
  const rt = rounder(x!.dtype);
  const put = numberWriter(out!.dtype, elements(out!));
  const half = dims / 2;
  // inverse frequencies: 1 / freqs, or exp(-i * logf(base) / half), each step in float32
  const inv = new Float64Array(half);
  if (freqs) {
    const f = values(freqs);
    for (let i = 0; i < half; i++) inv[i] = f32(1 / f[i]!);
  } else {
    const c = f32(f32(Math.log(base)) / half);
    for (let i = 0; i < half; i++) inv[i] = f32(Math.exp(f32(-i * c)));
  }
  // the angles' cosines and sines for every position, once per batch entry (per offset)
  const cos = new Float64Array(T * half);
  const sin = new Float64Array(T * half);
  for (let b = 0; b < B; b++) {
    if (b === 0 || offs.length > 1) {
      const off = f32(offs.length > 1 ? offs[b]! : offs[0]!);
      for (let t = 0; t < T; t++) {
        const pos = f32(f32(t + off) * f32(scale));
        for (let i = 0; i < half; i++) {
          const theta = f32(pos * inv[i]!);
          cos[t * half + i] = rt(f32(Math.cos(theta)));
          sin[t * half + i] = rt(f32(Math.sin(theta)));
        }
      }
    }
    for (let row = b * perB; row < (b + 1) * perB; row += D) {
      const cs = cos.subarray(((row / D) % T) * half);
      const sn = sin.subarray(((row / D) % T) * half);
      for (let i = 0; i < half; i++) {
        const i1 = row + (traditional ? 2 * i : i);
        const i2 = row + (traditional ? 2 * i + 1 : i + half);
        const x1 = xs[i1]!;
        const x2 = xs[i2]!;
        const c = cs[i]!;
        const s = sn[i]!;
        if (forward) {
          put(i1, rt(rt(x1 * c) - rt(x2 * s)));
          put(i2, rt(rt(x1 * s) + rt(x2 * c)));
        } else {
          put(i1, rt(rt(x2 * s) + rt(x1 * c)));
          put(i2, rt(rt(x2 * c) - rt(x1 * s)));
        }
      }
      for (let i = dims; i < D; i++) put(row + i, xs[row + i]!);
    }
  }
});

registerKernel('ScaledDotProductAttention', (prim, inputs, [out]) => {
  const { scale, causal, hasMask, hasSinks } = prim.params as SdpaParams;
  const [q, k, v] = inputs as [ArrayData, ArrayData, ArrayData];
  const [B, Nq, Tq, D] = q.shape as [number, number, number, number];
  const [, Nkv, Tk] = k.shape as [number, number, number];
  const Dv = v.shape[3]!;
  const nRep = Nq / Nkv;
  const t = out!.dtype;
  const rt = rounder(t);
  // softmax(precise): float32 for half types, the dtype itself for float32/float64
  const rc = t === float64 ? rt : f32;
  const lowest = finfo(t).min;
  // row-major copies: q [B, Nq, Tq, D], k [B, Nkv, Tk, D], v [B, Nkv, Tk, Dv], mask [B, Nq, Tq, Tk]
  const [Q, K, V] = [q, k, v].map(values) as [Float64Array, Float64Array, Float64Array];
  const M = hasMask ? values(inputs[3]!) : null;
  const boolMask = hasMask && inputs[3]!.dtype === bool;
  const sinks = hasSinks ? values(inputs[inputs.length - 1]!) : null;
  const put = numberWriter(t, elements(out!));
  const sc = rt(scale);
  const causalOffset = Tk - Tq;
  const lead = sinks ? 1 : 0;
  const row = new Float64Array(Tk + lead);
  const qs = new Float64Array(D);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < Nq; h++) {
      const kv = (b * Nkv + Math.floor(h / nRep)) * Tk; // first key / value row of this head
      for (let i = 0; i < Tq; i++) {
        const qr = ((b * Nq + h) * Tq + i) * D;
        for (let d = 0; d < D; d++) qs[d] = rt(sc * Q[qr + d]!);
        if (sinks) row[0] = sinks[h]!;
        const mr = ((b * Nq + h) * Tq + i) * Tk;
        for (let j = 0; j < Tk; j++) {
          let acc = 0;
          for (let d = 0; d < D; d++) acc += qs[d]! * K[(kv + j) * D + d]!;
          let s = rt(acc);
          if (causal) {
            if (!(i + causalOffset >= j)) s = lowest;
          } else if (M) {
            const m = M[mr + j]!;
            s = boolMask ? (m !== 0 ? s : lowest) : rt(s + m);
          }
          row[lead + j] = s;
        }
        const n = Tk + lead;
        const mx = maxOf(row, 0, n);
        let sum = 0;
        for (let j = 0; j < n; j++) {
          row[j] = rc(Math.exp(rc(row[j]! - mx)));
          sum += row[j]!;
        }
        const z = rc(sum);
        for (let j = 0; j < n; j++) row[j] = rt(rc(row[j]! / z));
        for (let e = 0; e < Dv; e++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += row[lead + j]! * V[(kv + j) * Dv + e]!;
          put(o++, rt(acc));
        }
      }
    }
  }
});

registerKernel('CrossEntropy', (_prim, [x, y], [out]) => {
  const xs = values(x!);
  const ys = values(y!);
  const C = x!.shape[x!.shape.length - 1]!;
  const rt = rounder(x!.dtype);
  const ra = x!.dtype === float64 ? rt : f32; // logsumexp accumulates half types in float32
  const dst = elements(out!) as Float32Array;
  for (let r = 0; r < ys.length; r++) {
    const o = r * C;
    // logsumexp around the maximum, which it returns when infinite; rounded once to the dtype
    const m = maxOf(xs, o, o + C);
    let lse = m;
    if (!(m === Infinity || m === -Infinity)) {
      let s = 0;
      for (let i = 0; i < C; i++) s += ra(Math.exp(ra(xs[o + i]! - m)));
      lse = rt(ra(ra(Math.log(ra(s))) + m));
    }
    const target = ys[r]!;
    const j = target < 0 ? target + C : target;
    if (!(j >= 0 && j < C)) throw new RangeError(`[cross_entropy] target ${target} is out of bounds for ${C} classes.`);
    dst[r] = rt(lse - xs[o + j]!);
  }
});

registerKernel('GatedDeltaUpdate', (prim, inputs, [out, stateOut]) => {
  const { hasMask } = prim.params as { hasMask: boolean };
  const [q, k, v, g, beta, h0] = inputs as [ArrayData, ArrayData, ArrayData, ArrayData, ArrayData, ArrayData];
  const [B, T, Hk, Dk] = q.shape as [number, number, number, number];
  const [, , Hv, Dv] = v.shape as [number, number, number, number];
  const rep = Hv / Hk;
  const [qs, ks, vs, gs, bs, hs] = [q, k, v, g, beta, h0].map(values) as Float64Array[];
  const ms = hasMask ? values(inputs[6]!) : null;
  const gatePerKey = g.shape.length === 4;
  // the state computes in float32 (float64 when the inputs are)
  const rs = rounder(stateOut!.dtype);
  const ro = rounder(out!.dtype);
  const putO = numberWriter(out!.dtype, elements(out!));
  const putS = numberWriter(stateOut!.dtype, elements(stateOut!));
  const S = new Float64Array(Dv * Dk);
  const next = new Float64Array(Dv * Dk);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < Hv; h++) {
      const hk = Math.floor(h / rep);
      const s0 = (b * Hv + h) * Dv * Dk;
      for (let i = 0; i < Dv * Dk; i++) S[i] = hs![s0 + i]!;
      for (let t = 0; t < T; t++) {
        const bt = b * T + t;
        const kq = (bt * Hk + hk) * Dk; // q/k row
        const vo = (bt * Hv + h) * Dv;
        const go = bt * Hv + h;
        const keep = ms ? ms[bt] !== 0 : true;
        for (let r = 0; r < Dv; r++) {
          let kv = 0;
          for (let c = 0; c < Dk; c++) {
            const decay = gatePerKey ? gs![go * Dk + c]! : gs![go]!;
            next[r * Dk + c] = rs(S[r * Dk + c]! * decay);
            kv += rs(next[r * Dk + c]! * ks![kq + c]!);
          }
          const delta = rs(rs(vs![vo + r]! - rs(kv)) * bs![go]!);
          for (let c = 0; c < Dk; c++) next[r * Dk + c] = rs(next[r * Dk + c]! + rs(delta * ks![kq + c]!));
        }
        if (keep) S.set(next);
        for (let r = 0; r < Dv; r++) {
          let acc = 0;
          for (let c = 0; c < Dk; c++) acc += rs(S[r * Dk + c]! * qs![kq + c]!);
          putO(vo + r, keep ? ro(rs(acc)) : 0);
        }
      }
      for (let i = 0; i < Dv * Dk; i++) putS(s0 + i, S[i]!);
    }
  }
});
