// Fused mx.fast kernels: RMSNorm and LayerNorm (one workgroup per row, the row's sums in
// float-float across the workgroup, as the reference's double sums), RoPE (one invocation per
// element; the inverse frequencies from base computed on the host exactly as the reference,
// freqs inverted on the GPU, cos and sin in float-float), attention, cross entropy and the
// gated delta rule. Each rounds at the reference's steps (statistics to f32, products and sums
// to the dtype; 1 / sqrt by a float-float Newton step, so it rounds once as the reference's):
// the norms, RoPE and the gated delta rule are exact on the tests (1 ulp at near-ties);
// attention and cross entropy use our exp and log (within a few ulp). The backend's `fuses`
// says yes to these and to Hadamard (hadamard.ts) for float32, float16 and bfloat16.
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { fromRaw, helpersFor, rawLoader, roundToDtype, toRaw } from './wgsl.js';
import { FF, FLOATS, GRID_MAIN, Meta, badFn, errorKind, offsetFn } from './matmul-variants.js';
import { fastStats, SKINNY_M } from './matmul.js';
import { tiledGemmCode, tiledGroups } from './matmul-fast.js';

/** The mx.fast primitives with a GPU kernel, for `Backend.fuses`. */
export const FUSED = new Set(['RMSNorm', 'LayerNorm', 'RoPE', 'ScaledDotProductAttention', 'CrossEntropy', 'GatedDeltaUpdate', 'Hadamard']);

export function gpuFuses(primitive: string, dtype: Dtype): boolean {
  return FUSED.has(primitive) && FLOATS.includes(dtype.name);
}

const WG = 64;
/**
 * Most bytes of attention scores held at once (fewer where a storage binding is smaller):
 * longer prompts run in chunks of queries. Settable for tests.
 */
export const attentionScratch = { bytes: 256 << 20 };
/** @internal (tests) chunks of queries attention ran */
export const attentionStats = { chunks: 0 };
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const f32 = Math.fround;

/** A workgroup-wide float-float sum of each invocation's `v` into `dst` (every invocation sees it). */
const WG_SUM = `
var<workgroup> part_: array<vec2f, ${WG}>;
fn wgSum_(v: vec2f, lid: u32) -> vec2f {
  part_[lid] = v;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w / 2u) {
    if (lid < w) { part_[lid] = ffAdd_(part_[lid], part_[lid + w]); }
    workgroupBarrier();
  }
  let r = part_[0];
  workgroupBarrier();
  return r;
}
// 1 / sqrt(v) rounded once (as the reference's double 1 / Math.sqrt, to f32): WGSL's estimate,
// then one Newton step r + r (1 - v r^2) / 2 in float-float
fn rsqrt_(v: f32) -> f32 {
  let r = 1.0 / sqrt(v);
  if (!(v > 0.0) || (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u) { return r; }
  let p = ffMul_(ffMul_(vec2f(r, 0.0), vec2f(r, 0.0)), vec2f(v, 0.0));
  let e = ffAdd_(vec2f(1.0, 0.0), -p);
  let c = ffMul_(vec2f(r, 0.0), e);
  return ffRound_(ffAdd_(vec2f(r, 0.0), c * 0.5));
}`;

/**
 * RMSNorm (inputs [x, w?]) or LayerNorm (inputs [x, w?, b?]): one workgroup per row of the
 * last axis. n = 1 / sqrt(f32(f32(sum) / D) + eps), y = r(x * n) then r(y * w), r(y + b).
 */
export function runNorm(be: WebGPUBackend, kind: 'rms' | 'layer', eps: number, x: ArrayData, w: ArrayData | null, b: ArrayData | null, out: ArrayData): boolean {
  if (![x, out, ...(w ? [w] : []), ...(b ? [b] : [])].every((d) => FLOATS.includes(d.dtype.name))) return false;
  const D = x.shape[x.shape.length - 1]!;
  const rows = prod(x.shape.slice(0, -1));
  if (rows * D === 0) return true;
  const rowShape = x.shape.slice(0, -1);
  const m = new Meta();
  m.f(1);
  m.f(f32(1 / D));
  m.f(f32(eps));
  m.u(D, rows);
  const LX = m.layout(x, rowShape, rowShape.length);
  const S = m.u(x.strides[x.shape.length - 1]!, w ? w.offset : 0, w ? w.strides[w.shape.length - 1]! : 0, b ? b.offset : 0, b ? b.strides[b.shape.length - 1]! : 0);
  const dt = out.dtype;
  writeWords(be, out, (target) => {
    const arrays = [x, ...(w ? [w] : []), ...(b ? [b] : []), target];
    const { bindings, names } = be.bind(arrays);
    const O = names[arrays.length - 1]!;
    const xv = `${fromRaw(x.dtype, 'rawX(xo + i32(c) * sx)')}`;
    let y = roundToDtype(dt, `r_(${kind === 'rms' ? 'xv' : 'r_(xv - mu)'} * n)`);
    if (w) y = roundToDtype(dt, `r_(${y} * ${fromRaw(w.dtype, `rawW(bitcast<i32>(md[${S + 1}u]) + i32(c) * bitcast<i32>(md[${S + 2}u]))`)})`);
    if (b) y = roundToDtype(dt, `r_(${y} + ${fromRaw(b.dtype, `rawB(bitcast<i32>(md[${S + 3}u]) + i32(c) * bitcast<i32>(md[${S + 4}u]))`)})`);
    const code = `
${rawLoader('rawX', names[0]!, x.dtype)}
${w ? rawLoader('rawW', names[1]!, w.dtype) : ''}
${b ? rawLoader('rawB', names[w ? 2 : 1]!, b.dtype) : ''}
${offsetFn('offX', LX, rowShape.length)}
${FF}
${WG_SUM}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  ONE_ = bitcast<f32>(md[0]);
  let inv = bitcast<f32>(md[1]);
  let eps = bitcast<f32>(md[2]);
  let D = md[3];
  let row = wid.x + wid.y * nw.x;
  let live = row < md[4];
  let xo = offX(min(row, md[4] - 1u));
  let sx = bitcast<i32>(md[${S}u]);
  var mu = 0.0;
  ${
    kind === 'layer'
      ? `var s = vec2f(0.0, 0.0);
  for (var c = lid; c < D; c += ${WG}u) { s = ffAdd_(s, vec2f(${xv}, 0.0)); }
  mu = r_(ffRound_(wgSum_(s, lid)) * inv);`
      : ''
  }
  var ss = vec2f(0.0, 0.0);
  for (var c = lid; c < D; c += ${WG}u) {
    let xv = ${xv};
    let d = ${kind === 'layer' ? 'r_(xv - mu)' : 'xv'};
    ss = ffAdd_(ss, vec2f(r_(d * d), 0.0));
  }
  let v = r_(r_(ffRound_(wgSum_(ss, lid)) * inv) + eps);
  let n = rsqrt_(v);
  if (!live) { return; }
  for (var c = lid; c < D; c += ${WG}u) {
    let xv = ${xv};
    ${O}[row * D + c] = ${toRaw('f32', dt, y)};
  }
}`;
    be.dispatchGroups(helpersFor(code) + code, bindings, m.array(), rows);
  });
  return true;
}

/**
 * WGSL `sincos_(x) -> vec2f(cos x, sin x)`, each correctly rounded to f32 but at near-ties (the
 * reference rounds Math.cos / Math.sin once; RoPE's x1 c - x2 s cancels, so an ulp there
 * becomes many in the result). x - k pi/2 in float-float with pi/2 in three parts (exact for
 * |x| < 2^16 pi/2), then the Taylor series of sin and cos of the rest in float-float. Needs FF.
 */
const SINCOS = `
fn ffDivF_(a: vec2f, b: f32) -> vec2f {
  let q1 = (a.x / b) * ONE_;
  let rem = ffAdd_(a, -twoProd_(q1, b));
  return ffAdd_(vec2f(q1, 0.0), vec2f((rem.x / b) * ONE_, 0.0));
}
fn sincos_(x: f32) -> vec2f {
  if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u) { let n = nan_(); return vec2f(n, n); }
  if (x == 0.0) { return vec2f(1.0, x); }
  let k = round(x * 0.63661977236758134);
  var r = ffAdd_(vec2f((x - k * 1.5703125) * ONE_, 0.0), -twoProd_(k, ${f32(Math.PI / 2 - 1.5703125)}));
  r = ffAdd_(r, -twoProd_(k, ${f32(Math.PI / 2 - 1.5703125 - f32(Math.PI / 2 - 1.5703125))}));
  let r2 = ffMul_(r, r);
  var sp = vec2f(1.0, 0.0);
  var cp = vec2f(1.0, 0.0);
  for (var n = 9; n >= 1; n--) {
    let a = f32(2 * n);
    sp = ffAdd_(vec2f(1.0, 0.0), -ffDivF_(ffMul_(r2, sp), a * (a + 1.0)));
    cp = ffAdd_(vec2f(1.0, 0.0), -ffDivF_(ffMul_(r2, cp), (a - 1.0) * a));
  }
  let sn = ffRound_(ffMul_(r, sp));
  let cs = ffRound_(cp);
  switch (i32(k) & 3) {
    case 0: { return vec2f(cs, sn); }
    case 1: { return vec2f(-sn, cs); }
    case 2: { return vec2f(-cs, -sn); }
    default: { return vec2f(sn, -cs); }
  }
}`;

export interface RopeParams {
  dims: number;
  traditional: boolean;
  base: number;
  scale: number;
  forward: boolean;
}

/** RoPE: inputs [x (B, ..., T, D), offset (int32 or uint32, 0-d or [B]), freqs? (float32 [dims / 2])]. */
export function runRope(be: WebGPUBackend, p: RopeParams, x: ArrayData, offset: ArrayData, freqs: ArrayData | null, out: ArrayData): boolean {
  if (!FLOATS.includes(x.dtype.name) || !FLOATS.includes(out.dtype.name) || !['int32', 'uint32'].includes(offset.dtype.name)) return false;
  if (freqs && freqs.dtype.name !== 'float32') return false;
  const total = prod(x.shape);
  if (total === 0) return true;
  const nd = x.shape.length;
  const D = x.shape[nd - 1]!;
  const T = x.shape[nd - 2]!;
  const perB = total / x.shape[0]!;
  const half = p.dims / 2;
  const m = new Meta();
  m.f(1);
  m.f(f32(p.scale));
  m.u(D, T, perB, offset.offset, offset.shape.length && offset.shape[0]! > 1 ? offset.strides[0]! : 0);
  const LX = m.layout(x, x.shape);
  // the reference's inverse frequencies from base: exp(-i * f32(f32(log(base)) / half)), each step in f32
  const INV = m.at;
  if (!freqs) {
    const c = f32(f32(Math.log(p.base)) / half);
    for (let i = 0; i < half; i++) m.f(f32(Math.exp(f32(-i * c))));
  } else m.u(freqs.offset, freqs.strides[0]!);
  const dt = x.dtype;
  const rt = (v: string): string => roundToDtype(dt, `r_(${v})`);
  writeWords(be, out, (target) => {
    const arrays = [x, offset, ...(freqs ? [freqs] : []), target];
    const { bindings, names } = be.bind(arrays);
    const O = names[arrays.length - 1]!;
    const inv = freqs
      ? `(1.0 / bitcast<f32>(${names[2]}[bitcast<i32>(md[${INV}u]) + i32(i) * bitcast<i32>(md[${INV + 1}u])]))`
      : `bitcast<f32>(md[${INV}u + i])`;
    const [first, second] = p.forward
      ? [`${rt(`${rt('x1 * c')} - ${rt('x2 * s')}`)}`, `${rt(`${rt('x1 * s')} + ${rt('x2 * c')}`)}`]
      : [`${rt(`${rt('x2 * s')} + ${rt('x1 * c')}`)}`, `${rt(`${rt('x2 * c')} - ${rt('x1 * s')}`)}`];
    const code = `
${rawLoader('rawX', names[0]!, x.dtype)}
${offsetFn('offX', LX, nd)}
${FF}
${SINCOS}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${total}u) { return; }
  let D = md[2];
  let col = tid % D;
  let rowStart = tid - col;
  var v: f32;
  if (col >= ${p.dims}u) {
    v = ${fromRaw(x.dtype, 'rawX(offX(tid))')};
  } else {
    let firstOfPair = ${p.traditional ? 'col % 2u == 0u' : `col < ${half}u`};
    let i = ${p.traditional ? 'col / 2u' : `select(col - ${half}u, col, firstOfPair)`};
    let c1 = ${p.traditional ? '2u * i' : 'i'};
    let c2 = ${p.traditional ? '2u * i + 1u' : `i + ${half}u`};
    let x1 = ${fromRaw(x.dtype, 'rawX(offX(rowStart + c1))')};
    let x2 = ${fromRaw(x.dtype, 'rawX(offX(rowStart + c2))')};
    let b = tid / md[4];
    let t = (tid / D) % md[3];
    let off = f32(${offset.dtype.name === 'int32' ? 'bitcast<i32>' : ''}(${names[1]}[bitcast<i32>(md[5]) + i32(b) * bitcast<i32>(md[6])]));
    let pos = r_(r_(f32(t) + off) * bitcast<f32>(md[1]));
    let theta = r_(pos * ${inv});
    let cs = sincos_(theta);
    let c = ${roundToDtype(dt, 'cs.x')};
    let s = ${roundToDtype(dt, 'cs.y')};
    if (firstOfPair) { v = ${first}; } else { v = ${second}; }
  }
  ${O}[tid] = ${toRaw('f32', out.dtype, 'v')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  return true;
}

export interface SdpaParams {
  scale: number;
  causal: boolean;
  hasMask: boolean;
  hasSinks: boolean;
}

/**
 * ScaledDotProductAttention: inputs [q (B, Nq, Tq, D), k (B, Nkv, Tk, D), v (B, Nkv, Tk, Dv),
 * mask? (broadcast to (B, Nq, Tq, Tk), bool or the dtype), sinks? (Nq)]. Per chunk of queries
 * (as many as keep the scores within attentionScratch.bytes and one storage binding), three
 * dispatches over a scratch row of scores per query (Tk, plus one for the sink): the scores (q rounded after
 * scaling, float-float dot with k, rounded, masked), the softmax in place (one workgroup per
 * row: NaN-first max, exps summed in float-float, each probability rounded as the reference),
 * then the probabilities times v (float-float). Grouped-query heads read their K/V head.
 */
export function runSdpa(be: WebGPUBackend, p: SdpaParams, inputs: readonly ArrayData[], out: ArrayData): boolean {
  const [q, k, v] = inputs as [ArrayData, ArrayData, ArrayData];
  const mask = p.hasMask ? inputs[3]! : null;
  const sinks = p.hasSinks ? inputs[inputs.length - 1]! : null;
  const dt = out.dtype;
  if (![q, k, v, out, ...(sinks ? [sinks] : [])].every((d) => FLOATS.includes(d.dtype.name))) return false;
  if (mask && mask.dtype.name !== 'bool' && mask.dtype !== dt) return false;
  const [B, Nq, Tq, D] = q.shape as [number, number, number, number];
  const [, Nkv, Tk] = k.shape as [number, number, number];
  const Dv = v.shape[3]!;
  const rows = B * Nq * Tq;
  if (rows * Dv === 0) return true;
  const lead = sinks ? 1 : 0;
  const n = Tk + lead;
  const m = new Meta();
  m.f(1);
  m.f(dt.name === 'float32' ? f32(p.scale) : p.scale); // rounded to the dtype on the GPU
  m.f(finfoMin(dt));
  m.u(B, Nq, Tq, D, Nkv, Tk, Dv, n, Nq / Nkv, rows);
  // [offset, strides (4)] of q, k, v, mask; sinks [offset, stride]
  const L = m.u(...[q, k, v].flatMap((d) => [d.offset, ...d.strides]));
  const LM = mask ? m.u(mask.offset, ...mask.strides) : -1;
  const LS = sinks ? m.u(sinks.offset, sinks.strides[0]!) : -1;
  // the chunk of queries [i0, i0 + cq) this pass covers (set per chunk)
  const CH = m.u(0, 0);
  const md = (i: number) => `md[${i}u]`;
  const si = (i: number) => `bitcast<i32>(md[${i}u])`;
  // element offset of array a (0 q, 1 k, 2 v) at (b, h, t, d)
  const off = (a: number, b: string, h: string, t: string, d: string) =>
    `(${si(L + 5 * a)} + i32(${b}) * ${si(L + 5 * a + 1)} + i32(${h}) * ${si(L + 5 * a + 2)} + i32(${t}) * ${si(L + 5 * a + 3)} + i32(${d}) * ${si(L + 5 * a + 4)})`;
  const rt = (x: string) => roundToDtype(dt, `r_(${x})`);
  const G = B * Nq; // (batch, head) pairs
  const COMMON = `
  ONE_ = bitcast<f32>(md[0]);
  let Nq = ${md(4)};
  let Tq = ${md(5)};
  let D = ${md(6)};
  let Tk = ${md(8)};
  let Dv = ${md(9)};
  let n = ${md(10)};
  let i0 = ${md(CH)};
  let cq = ${md(CH + 1)};`;
  // more than 8 queries (a prompt, training): both products in Matmul's float32 tiles, as MLX's
  // Metal attention accumulates; fewer (decoding), or with exactMatmul: float-float dots
  const tiled = Tq > SKINNY_M && !be.exactMatmul;
  // The scores of cq queries at a time (every (batch, head)): the scratch stays within one
  // storage binding and attentionScratch.bytes, however long the prompt (8 heads of 8192 x 8192 would be 2 GiB)
  const perQuery = 4 * G * n;
  const budget = Math.min(attentionScratch.bytes, be.host.adapter.maxStorageBufferBindingSize);
  const cqMax = Math.max(1, Math.min(Tq, Math.floor(budget / Math.max(perQuery, 1))));
  const scratch = be.allocate(Math.max(4, perQuery * cqMax));
  const scratchData: ArrayData = { storage: scratch, dtype: out.dtype, shape: [G * cqMax * n], strides: [1], offset: 0 };
  const metaOf = (i0: number, cq: number): Uint32Array => {
    const a = m.array();
    a[CH] = i0;
    a[CH + 1] = cq;
    return a;
  };
  // score (b, h, i, j) masked: `iv` the query's index in its head
  const maskedOf = (iv: string): string => {
    if (p.causal) return `select(bitcast<f32>(md[2]), s, ${iv} + Tk - Tq >= j)`;
    if (!mask) return 's';
    const mv = fromRaw(mask.dtype, `rawM(${si(LM)} + i32(b) * ${si(LM + 1)} + i32(h) * ${si(LM + 2)} + i32(${iv}) * ${si(LM + 3)} + i32(j) * ${si(LM + 4)})`);
    return mask.dtype.name === 'bool' ? `select(bitcast<f32>(md[2]), s, ${mv} != 0)` : rt(`s + ${mv}`);
  };
  try {
    writeWords(be, out, (target) => {
      for (let i0 = 0; i0 < Tq; i0 += cqMax) {
        const cq = Math.min(cqMax, Tq - i0);
        const meta = () => metaOf(i0, cq);
        attentionStats.chunks++;
        // 1. scores (and the sinks' logits) into the scratch rows (none for Tk = 0 without sinks);
        // scratch row (g, i) = g * cq + (i - i0) for g = b * Nq + h
        if (n > 0) {
          const arrays = [q, k, scratchData, ...(mask ? [mask] : []), ...(sinks ? [sinks] : [])];
          const { bindings, names } = be.bind(arrays);
          const S = names[2]!;
          const loaders = `
${rawLoader('rawQ', names[0]!, q.dtype)}
${rawLoader('rawK', names[1]!, k.dtype)}
${mask ? rawLoader('rawM', names[3]!, mask.dtype) : ''}
${sinks ? rawLoader('rawS', names[mask ? 4 : 3]!, sinks.dtype) : ''}
${FF}`;
          if (tiled) {
            // Q K^T per (batch, head) in Matmul's float32 tiles: the scaled q rounded as below, each
            // score rounded to the dtype and masked at the store; the sinks' column by its own pass
            const code = Tk === 0 ? '' : tiledGemmCode({
              decls: loaders,
              dims: `${COMMON}\n  let M = cq;\n  let N = Tk;\n  let K = D;\n  let batches = ${G}u;`,
              prologue: `let b = batch / Nq;\n  let h = batch % Nq;\n  let hk = h / ${md(11)};\n  let sc = ${rt('bitcast<f32>(md[1])')};`,
              loadA: rt(`sc * ${fromRaw(q.dtype, `rawQ(${off(0, 'b', 'h', 'i0 + i', 'k')})`)}`),
              loadB: fromRaw(k.dtype, `rawK(${off(1, 'b', 'hk', 'j', 'k')})`),
              aAlongK: q.strides[3] === 1,
              bAlongK: k.strides[3] === 1,
              store: `let s = ${roundToDtype(dt, 'v')};
      ${S}[(batch * cq + i) * n + ${lead}u + j] = bitcast<u32>(${maskedOf('(i0 + i)')});`,
            });
            if (Tk > 0) {
              fastStats.tiles++;
              be.dispatchGroups(helpersFor(code) + code, bindings, meta(), tiledGroups(cq, Tk, G));
            }
            if (sinks) {
              const sinkCode = `${loaders}
${GRID_MAIN}
  ${COMMON}
  if (tid >= ${G}u * cq) { return; }
  let h = (tid / cq) % Nq;
  ${S}[tid * n] = bitcast<u32>(${fromRaw(sinks.dtype, `rawS(${si(LS)} + i32(h) * ${si(LS + 1)})`)});
}`;
              be.dispatch(helpersFor(sinkCode) + sinkCode, bindings, meta(), G * cq);
            }
          } else {
            const code = `${loaders}
${GRID_MAIN}
  ${COMMON}
  if (tid >= ${G}u * cq * n) { return; }
  let row = tid / n;
  let jj = tid % n;
  let i = i0 + row % cq;
  let h = (row / cq) % Nq;
  let b = row / (cq * Nq);
  let hk = h / ${md(11)};
  ${sinks ? `if (jj == 0u) { ${S}[tid] = bitcast<u32>(${fromRaw(sinks.dtype, `rawS(${si(LS)} + i32(h) * ${si(LS + 1)})`)}); return; }` : ''}
  let j = jj - ${lead}u;
  let sc = ${rt('bitcast<f32>(md[1])')};
  var acc = vec2f(0.0, 0.0);
  for (var d = 0u; d < D; d++) {
    let qs = ${rt(`sc * ${fromRaw(q.dtype, `rawQ(${off(0, 'b', 'h', 'i', 'd')})`)}`)};
    acc = ffAdd_(acc, twoProd_(qs, ${fromRaw(k.dtype, `rawK(${off(1, 'b', 'hk', 'j', 'd')})`)}));
  }
  let s = ${roundToDtype(dt, 'select(acc.x + acc.y, acc.x, acc.y == 0.0)')};
  ${S}[tid] = bitcast<u32>(${maskedOf('i')});
}`;
            be.dispatch(helpersFor(code) + code, bindings, meta(), G * cq * n);
          }
          // 2. softmax of each row in place
          const sm = be.bind([scratchData]);
          const code = `
${FF}
${WG_SUM}
${WG_MAX}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  ${COMMON}
  let row = min(wid.x + wid.y * nw.x, ${G}u * cq - 1u);
  let base = row * n;
  var m = -inf_();
  for (var j = lid; j < n; j += ${WG}u) { m = fmax_(m, bitcast<f32>(${sm.names[0]}[base + j])); }
  let top = wgMax_(m, lid);
  var s = vec2f(0.0, 0.0);
  for (var j = lid; j < n; j += ${WG}u) {
    let e = exp_((bitcast<f32>(${sm.names[0]}[base + j]) - top) * ONE_);
    ${sm.names[0]}[base + j] = bitcast<u32>(e);
    s = ffAdd_(s, vec2f(e, 0.0));
  }
  let z = ffRound_(wgSum_(s, lid));
  for (var j = lid; j < n; j += ${WG}u) {
    ${sm.names[0]}[base + j] = bitcast<u32>(${rt(`(bitcast<f32>(${sm.names[0]}[base + j]) / z) * ONE_`)});
  }
}`;
          // every workgroup of a 2-d grid's last row repeats the last query row: same values, same writes
          be.dispatchGroups(helpersFor(code) + code, sm.bindings, meta(), G * cq);
        }
        // 3. probabilities times v, into the output rows of these queries
        const { bindings, names } = be.bind([v, scratchData, target]);
        if (tiled && Tk > 0) {
          // the probabilities times v per (batch, head), in the same tiles
          const code = tiledGemmCode({
            decls: `${rawLoader('rawV', names[0]!, v.dtype)}\n${FF}`,
            dims: `${COMMON}\n  let M = cq;\n  let N = Dv;\n  let K = Tk;\n  let batches = ${G}u;`,
            prologue: `let b = batch / Nq;\n  let hk = (batch % Nq) / ${md(11)};`,
            loadA: `bitcast<f32>(${names[1]}[(batch * cq + i) * n + ${lead}u + k])`,
            loadB: fromRaw(v.dtype, `rawV(${off(2, 'b', 'hk', 'k', 'j')})`),
            aAlongK: true,
            bAlongK: v.strides[2] === 1 && v.strides[3] !== 1,
            store: `${names[2]}[(batch * Tq + i0 + i) * Dv + j] = ${toRaw('f32', dt, roundToDtype(dt, 'v'))};`,
          });
          fastStats.tiles++;
          be.dispatchGroups(helpersFor(code) + code, bindings, meta(), tiledGroups(cq, Dv, G));
          continue;
        }
        const code = `
${rawLoader('rawV', names[0]!, v.dtype)}
${FF}
${GRID_MAIN}
  ${COMMON}
  if (tid >= ${G}u * cq * Dv) { return; }
  let row = tid / Dv;
  let e = tid % Dv;
  let g = row / cq;
  let h = g % Nq;
  let b = g / Nq;
  let hk = h / ${md(11)};
  var acc = vec2f(0.0, 0.0);
  for (var j = 0u; j < Tk; j++) {
    let pj = bitcast<f32>(${names[1]}[row * n + ${lead}u + j]);
    acc = ffAdd_(acc, twoProd_(pj, ${fromRaw(v.dtype, `rawV(${off(2, 'b', 'hk', 'j', 'e')})`)}));
  }
  ${names[2]}[(g * Tq + i0 + row % cq) * Dv + e] = ${toRaw('f32', dt, roundToDtype(dt, 'select(acc.x + acc.y, acc.x, acc.y == 0.0)'))};
}`;
        be.dispatch(helpersFor(code) + code, bindings, meta(), G * cq * Dv);
      }
    });
  } finally {
    scratch.released = true;
    be.release(scratch);
  }
  return true;
}

/** finfo(d).min: the masked-out score. */
function finfoMin(d: Dtype): number {
  if (d.name === 'float16') return -65504;
  if (d.name === 'bfloat16') return -3.3895313892515355e38;
  return -3.4028234663852886e38;
}

/** WGSL: the NaN-first maximum of each invocation's `v` over the workgroup (every invocation sees it). */
const WG_MAX = `
var<workgroup> mx_: array<f32, ${WG}>;
fn wgMax_(v: f32, lid: u32) -> f32 {
  mx_[lid] = v;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w / 2u) {
    if (lid < w) { mx_[lid] = fmax_(mx_[lid], mx_[lid + w]); }
    workgroupBarrier();
  }
  let r = mx_[0];
  workgroupBarrier();
  return r;
}`;

/**
 * CrossEntropy: inputs [logits (..., C), targets (int32, ...)], float32 output: one workgroup per
 * row; logsumexp around the NaN-first maximum (returned when infinite), the exps summed in
 * float-float, log and exp our own (within a few ulp of the reference's), rounded to the
 * logits' dtype, minus the target's logit. A target out of range is raised by the next read.
 */
export function runCrossEntropy(be: WebGPUBackend, x: ArrayData, y: ArrayData, out: ArrayData): boolean {
  if (!FLOATS.includes(x.dtype.name) || y.dtype.name !== 'int32' || out.dtype.name !== 'float32') return false;
  const C = x.shape[x.shape.length - 1]!;
  const rows = prod(y.shape);
  if (rows === 0) return true;
  const rowShape = x.shape.slice(0, -1);
  const m = new Meta();
  m.f(1);
  m.u(C, rows, x.strides[x.shape.length - 1]!);
  const LX = m.layout(x, rowShape, rowShape.length);
  const LY = m.layout(y, rowShape);
  const { bindings, names } = be.bind([x, y, out, be.status]);
  const dt = x.dtype;
  const code = `
${rawLoader('rawX', names[0]!, x.dtype)}
${offsetFn('offX', LX, rowShape.length)}
${offsetFn('offY', LY, rowShape.length)}
${badFn(names[3]!)}
${FF}
${WG_SUM}
${WG_MAX}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  ONE_ = bitcast<f32>(md[0]);
  let C = md[1];
  let row0 = wid.x + wid.y * nw.x;
  let row = min(row0, md[2] - 1u);
  let xo = offX(row);
  let sx = bitcast<i32>(md[3]);
  var m = -inf_();
  for (var c = lid; c < C; c += ${WG}u) { m = fmax_(m, ${fromRaw(dt, 'rawX(xo + i32(c) * sx)')}); }
  m = wgMax_(m, lid);
  var s = vec2f(0.0, 0.0);
  for (var c = lid; c < C; c += ${WG}u) {
    s = ffAdd_(s, vec2f(exp_((${fromRaw(dt, 'rawX(xo + i32(c) * sx)')} - m) * ONE_), 0.0));
  }
  let total = ffRound_(wgSum_(s, lid));
  if (lid != 0u || row0 >= md[2]) { return; }
  var lse = m;
  if (!isinf_(m)) { lse = ${roundToDtype(dt, 'r_(log_(total) + m)')}; }
  let t = bitcast<i32>(${names[1]}[offY(row)]);
  var j = t;
  if (j < 0) { j += i32(C); }
  if (j < 0 || j >= i32(C)) { bad_(${errorKind('cross_entropy', 0)}u, bitcast<u32>(t), 0u, C); j = 0; }
  ${names[2]}[row] = bitcast<u32>(${roundToDtype(dt, `r_(lse - ${fromRaw(dt, 'rawX(xo + j * sx)')})`)});
}`;
  be.dispatchGroups(helpersFor(code) + code, bindings, m.array(), rows);
  be.statusDirty = true;
  return true;
}

/**
 * GatedDeltaUpdate: inputs [q, k (B, T, Hk, Dk), v (B, T, Hv, Dv), gates (B, T, Hv) or
 * (B, T, Hv, Dk), beta (B, T, Hv), state (B, Hv, Dv, Dk) float32, mask? (B, T) bool], outputs
 * [out (B, T, Hv, Dv), final state]. Each row of the state evolves on its own, so one
 * invocation runs one row through the T steps, in the state output itself, rounding to f32 at
 * the reference's steps (its double sums in float-float): exact on the tests.
 */
export function runGatedDelta(be: WebGPUBackend, hasMask: boolean, inputs: readonly ArrayData[], [out, state]: readonly ArrayData[]): boolean {
  const [q, k, v, g, beta, h0] = inputs as [ArrayData, ArrayData, ArrayData, ArrayData, ArrayData, ArrayData];
  const mask = hasMask ? inputs[6]! : null;
  if (![q, k, v, g, beta, out!].every((d) => FLOATS.includes(d.dtype.name)) || h0.dtype.name !== 'float32' || state!.dtype.name !== 'float32') return false;
  if (mask && mask.dtype.name !== 'bool') return false;
  const [B, T, Hk, Dk] = q.shape as [number, number, number, number];
  const [, , Hv, Dv] = v.shape as [number, number, number, number];
  const total = B * Hv * Dv;
  if (total === 0) return true;
  const perKey = g.shape.length === 4;
  const m = new Meta();
  m.f(1);
  m.u(T, Hv, Dv, Hv / Hk);
  const L = [q, k, v, g, beta, h0, ...(mask ? [mask] : [])].map((d) => m.u(d.offset, ...d.strides));
  const si = (i: number) => `bitcast<i32>(md[${i}u])`;
  // element offset of input a at the given indices (as many as its dims)
  const at = (a: number, ...ix: string[]) => `(${si(L[a]!)}${ix.map((x, d) => ` + i32(${x}) * ${si(L[a]! + 1 + d)}`).join('')})`;
  const names0 = ['Q', 'K', 'V', 'G', 'Be', 'H'];
  const ld = (a: number, ...ix: string[]) => fromRaw([q, k, v, g, beta, h0][a]!.dtype, `raw${names0[a]}(${at(a, ...ix)})`);
  const dt = out!.dtype;
  writeWords(be, out!, (target) => {
    const arrays = [q, k, v, g, beta, h0, ...(mask ? [mask] : []), target, state!];
    const { bindings, names } = be.bind(arrays);
    const O = names[arrays.length - 2]!;
    const S = names[arrays.length - 1]!;
    const code = `
${[q, k, v, g, beta, h0].map((d, i) => rawLoader(`raw${names0[i]}`, names[i]!, d.dtype)).join('\n')}
${mask ? rawLoader('rawM', names[6]!, mask.dtype) : ''}
${FF}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${total}u) { return; }
  let T = md[1];
  let Hv = md[2];
  let Dv = md[3];
  let r = tid % Dv;
  let h = (tid / Dv) % Hv;
  let b = tid / (Dv * Hv);
  let hk = h / md[4];
  let so = tid * ${Dk}u;
  for (var c = 0u; c < ${Dk}u; c++) { ${S}[so + c] = bitcast<u32>(${ld(5, 'b', 'h', 'r', 'c')}); }
  var nx: array<f32, ${Math.max(Dk, 1)}>;
  for (var t = 0u; t < T; t++) {
    let keep = ${mask ? `${fromRaw(mask.dtype, `rawM(${at(6, 'b', 't')})`)} != 0` : 'true'};
    var kv = vec2f(0.0, 0.0);
    for (var c = 0u; c < ${Dk}u; c++) {
      let decay = ${perKey ? ld(3, 'b', 't', 'h', 'c') : ld(3, 'b', 't', 'h')};
      nx[c] = r_(bitcast<f32>(${S}[so + c]) * decay);
      kv = ffAdd_(kv, vec2f(r_(nx[c] * ${ld(1, 'b', 't', 'hk', 'c')}), 0.0));
    }
    let delta = r_(r_(${ld(2, 'b', 't', 'h', 'r')} - select(kv.x + kv.y, kv.x, kv.y == 0.0)) * ${ld(4, 'b', 't', 'h')});
    for (var c = 0u; c < ${Dk}u; c++) {
      nx[c] = r_(nx[c] + r_(delta * ${ld(1, 'b', 't', 'hk', 'c')}));
    }
    if (keep) { for (var c = 0u; c < ${Dk}u; c++) { ${S}[so + c] = bitcast<u32>(nx[c]); } }
    var acc = vec2f(0.0, 0.0);
    for (var c = 0u; c < ${Dk}u; c++) {
      acc = ffAdd_(acc, vec2f(r_(bitcast<f32>(${S}[so + c]) * ${ld(0, 'b', 't', 'hk', 'c')}), 0.0));
    }
    var o = 0.0;
    if (keep) { o = select(acc.x + acc.y, acc.x, acc.y == 0.0); }
    ${O}[((b * T + t) * Hv + h) * Dv + r] = ${toRaw('f32', dt, roundToDtype(dt, 'o'))};
  }
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  return true;
}
