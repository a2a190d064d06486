// Dequantize, QuantizedMatmul and GatherQMM: the kernels read the packed words directly (a row
// is a little-endian bit stream, element j at bits [j * bits, (j + 1) * bits)), no dequantized
// copy. Each weight is dequantized as the reference does, rounding at its steps: affine
// r2(r1(q * scale) + bias) (r1 the scales' dtype, r2 the promoted one), fp modes (mxfp4,
// mxfp8, nvfp4) v(q) * scale with the E8M0 / E4M3 scale decoded and rounded to the dtype (and
// scaled by the global scale / 2688 for nvfp4 with one). Each rounding is one f32 operation
// (exact products of halves, correctly rounded ones of f32; r_ keeps the compiler from fusing a
// product with the next sum), so Dequantize is bit-exact. The matmuls
// accumulate the exact f32 products with x in float-float, as Matmul: they round as the
// reference's double dot products (1 ulp at near-ties); past 8 rows they
// accumulate in float32 in Matmul's tiles (matmul-fast.ts) unless `backend.exactMatmul`. ToFP8, FromFP8, AffineQuantize and
// FpQuantize follow the reference step by step in f32 (bit-exact on the tests).
import { promoteTypes, type ArrayData, type Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { runElementwise } from './elementwise.js';
import { fromRaw, helpersFor, rawLoader, roundToDtype, toRaw } from './wgsl.js';
import { FF, FLOATS, GRID_MAIN, Meta, badFn, errorKind, offsetFn, storeFF } from './matmul-variants.js';
import { fastStats, SKINNY_M, splitKBuiltins, splitKDecls, splitKReduce } from './matmul.js';
import { tiledGemmCode, tiledGroups } from './matmul-fast.js';

/** @internal (tests) dispatches of the split-k quantized matmul (W.T, few rows) */
export const qmvStats = { splitK: 0 };

export interface QParams {
  groupSize: number;
  bits: number;
  mode: 'affine' | 'mxfp4' | 'mxfp8' | 'nvfp4';
  dtype?: Dtype;
  transpose?: boolean;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const FP4 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

/**
 * WGSL for one packed weight: `code_(rowOff, col)` (the code at column `col` of the row whose
 * first word is at element rowOff; `swc` the words' stride) and `deq_(q, sOff, bOff)`, its value.
 */
function dequantFns(p: QParams, w: string, swc: string, scales: ArrayData, sName: string, third: ArrayData | null, tName: string, outType: Dtype): string {
  const bits = p.bits;
  const mask = bits === 32 ? '0xffffffffu' : `${(2 ** bits - 1) >>> 0}u`;
  const code = `fn code_(rowOff: i32, col: u32) -> u32 {
  let off = col * ${bits}u;
  let sh = off & 31u;
  let wi = rowOff + i32(off >> 5u) * ${swc};
  var v = ${w}[wi] >> sh;
  if (sh + ${bits}u > 32u) { v |= ${w}[wi + ${swc}] << (32u - sh); }
  return v & ${mask};
}
${rawLoader('rawS', sName, scales.dtype)}`;
  if (p.mode === 'affine') {
    const b = third!;
    const r2 = promoteTypes(scales.dtype, b.dtype);
    return `${code}
${rawLoader('rawBi', tName, b.dtype)}
fn deq_(q: u32, sOff: i32, bOff: i32) -> f32 {
  let qs = ${roundToDtype(scales.dtype, `r_(f32(q) * ${fromRaw(scales.dtype, 'rawS(sOff)')})`)};
  return ${roundToDtype(r2, `r_(qs + ${fromRaw(b.dtype, 'rawBi(bOff)')})`)};
}`;
  }
  // fp modes: the scale from its uint8 code, the value from the fp4 table or E4M3
  const value = bits === 4 ? `fp4_[q]` : 'fp8_(q)';
  let scale: string;
  if (p.groupSize === 16) {
    const dec = roundToDtype(outType, 'fp8_(c)');
    scale = third ? `r_(${dec} * gInv_)` : dec;
  } else scale = roundToDtype(outType, 'select(ldexp(1.0, i32(c) - 127), inf_(), c == 255u)');
  const rV = third ? (v: string) => v : (v: string) => roundToDtype(outType, v);
  return `${code}
${third ? `${rawLoader('rawG', tName, third.dtype)}\nvar<private> gInv_: f32;` : ''}
var<private> fp4_: array<f32, 16> = array<f32, 16>(${FP4.map((v) => (Object.is(v, -0) ? '-0.0' : v.toFixed(1))).join(', ')});
fn fp8_(c: u32) -> f32 {
  if ((c & 127u) == 127u) { return nan_(); }
  let v = h2f_((c & 127u) << 7u) * 256.0;
  return select(v, -v, (c & 128u) != 0u);
}
fn deq_(q: u32, sOff: i32, bOff: i32) -> f32 {
  let c = ${fromRaw(scales.dtype, 'rawS(sOff)')};
  let s = ${scale};
  return ${rV(`r_(${value} * s)`)};
}`;
}

/** nvfp4's global scale g as g / 2688 rounded to f32 (the reference's rounder of promote(f32, out)). */
function globalInit(third: ArrayData | null, p: QParams): string {
  if (!third || p.mode === 'affine') return '';
  return `gInv_ = (${fromRaw(third.dtype, `rawG(${third.offset})`)} / 2688.0) * ONE_;`;
}

export function runDequantize(be: WebGPUBackend, p: QParams, [w, scales, third]: readonly ArrayData[], out: ArrayData): boolean {
  if (!FLOATS.includes(out.dtype.name) || w!.dtype.name !== 'uint32') return false;
  if (p.mode === 'affine' && !(FLOATS.includes(scales!.dtype.name) && FLOATS.includes(third!.dtype.name))) return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const rowsShape = w!.shape.slice(0, -1);
  const cols = out.shape[out.shape.length - 1]!;
  const m = new Meta();
  m.f(1);
  const LW = m.layout(w!, rowsShape, rowsShape.length);
  const LS = m.layout(scales!, rowsShape, rowsShape.length);
  const LB = third && p.mode === 'affine' ? m.layout(third, rowsShape, rowsShape.length) : -1;
  const sc = m.u(w!.strides[w!.shape.length - 1]!, scales!.strides[scales!.shape.length - 1]!, third && p.mode === 'affine' ? third.strides[third.shape.length - 1]! : 0);
  const outType = p.dtype ?? out.dtype;
  writeWords(be, out, (target) => {
    const arrays = third ? [w!, scales!, third, target] : [w!, scales!, target];
    const { bindings, names } = be.bind(arrays);
    const O = names[arrays.length - 1]!;
    const code = `
${offsetFn('offW', LW, rowsShape.length)}
${offsetFn('offS', LS, rowsShape.length)}
${LB >= 0 ? offsetFn('offBi', LB, rowsShape.length) : ''}
${FF}
${dequantFns(p, names[0]!, `bitcast<i32>(md[${sc}u])`, scales!, names[1]!, third ?? null, third ? names[2]! : '', outType)}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  ${globalInit(third ?? null, p)}
  if (tid >= ${total}u) { return; }
  let row = tid / ${cols}u;
  let col = tid % ${cols}u;
  let g = i32(col / ${p.groupSize}u);
  let v = deq_(code_(offW(row), col), offS(row) + g * bitcast<i32>(md[${sc + 1}u]), ${LB >= 0 ? `offBi(row) + g * bitcast<i32>(md[${sc + 2}u])` : '0'});
  ${O}[tid] = ${toRaw('f32', out.dtype, 'v')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  return true;
}

/**
 * QuantizedMatmul (gather: false) and GatherQMM (gather: true): out (…, M, N) = x @ W.T
 * (transpose, W (N, K) rows) or x @ W (W (K, N) rows), W dequantized on the fly.
 */
export function runQuantizedMatmul(be: WebGPUBackend, p: QParams, inputs: readonly ArrayData[], out: ArrayData, gather: boolean): boolean {
  const affine = p.mode === 'affine';
  const [x, w, scales] = inputs as [ArrayData, ArrayData, ArrayData];
  const biases = affine ? inputs[3]! : null;
  const l = gather ? inputs[inputs.length - 2]! : null;
  const r = gather ? inputs[inputs.length - 1]! : null;
  if (![x, out].every((d) => FLOATS.includes(d.dtype.name)) || w.dtype.name !== 'uint32') return false;
  if (affine && !(FLOATS.includes(scales.dtype.name) && FLOATS.includes(biases!.dtype.name))) return false;
  if (gather && (l!.dtype.name !== 'uint32' || r!.dtype.name !== 'uint32')) return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const K = x.shape[x.shape.length - 1]!;
  const M = x.shape.length > 1 ? x.shape[x.shape.length - 2]! : 1;
  const N = out.shape[out.shape.length - 1]!;
  const xNd = x.shape.length;
  const batch = out.shape.slice(0, Math.max(0, out.shape.length - 2));
  const wB = w.shape.slice(0, -2), xB = x.shape.slice(0, -2);
  const m = new Meta();
  m.f(1);
  m.u(M, N, K);
  // the matrices' batch offsets: by the output's batch entry (broadcast), or by gathered indices
  const over = (d: ArrayData, own: number[]): number => (gather ? m.layout(d, own, own.length) : m.layout(d, batch, d.shape.length - 2));
  const LX = gather ? m.layout(x, xB, xB.length) : m.layout(x, batch, Math.max(0, xNd - 2));
  const LW = over(w, wB);
  const LS = over(scales, wB);
  const LB = biases ? over(biases, wB) : -1;
  const LL = l ? m.layout(l, l.shape) : -1;
  const LR = r ? m.layout(r, r.shape) : -1;
  const cnt = m.u(prod(xB), prod(wB));
  const st = (d: ArrayData, k: number): number => d.strides[d.shape.length - k]!;
  const S = m.u(xNd > 1 ? st(x, 2) : 0, st(x, 1), st(w, 2), st(w, 1), st(scales, 2), st(scales, 1), biases ? st(biases, 2) : 0, biases ? st(biases, 1) : 0);
  const s = (k: number) => `bitcast<i32>(md[${S + k}u])`;
  const [row, col] = p.transpose ? ['j', 'k'] : ['k', 'j'];
  const outType = out.dtype;
  writeWords(be, out, (target) => {
    const arrays = [x, w, scales, ...(biases ? [biases] : []), ...(gather ? [l!, r!] : []), target, ...(gather ? [be.status] : [])];
    const { bindings, names } = be.bind(arrays);
    const nb = biases ? 4 : 3;
    const O = names[nb + (gather ? 2 : 0)]!;
    const pick = gather
      ? `var li = ${names[nb]}[offL(batch)];
  var ri = ${names[nb + 1]}[offR(batch)];
  if (li >= md[${cnt}u]) { bad_(${errorKind('gather_qmm', 0)}u, li, 0u, md[${cnt}u]); li = 0u; }
  if (ri >= md[${cnt + 1}u]) { bad_(${errorKind('gather_qmm', 1)}u, ri, 0u, md[${cnt + 1}u]); ri = 0u; }`
      : 'let li = batch;\n  let ri = batch;';
    const header = `
${rawLoader('rawX', names[0]!, x.dtype)}
${offsetFn('offX', LX, gather ? xB.length : batch.length)}
${offsetFn('offW', LW, gather ? wB.length : batch.length)}
${offsetFn('offS', LS, gather ? wB.length : batch.length)}
${LB >= 0 ? offsetFn('offBi', LB, gather ? wB.length : batch.length) : ''}
${gather ? `${offsetFn('offL', LL, l!.shape.length)}\n${offsetFn('offR', LR, r!.shape.length)}\n${badFn(names[names.length - 1]!)}` : ''}
${FF}
${dequantFns(p, names[1]!, s(3), scales, names[2]!, biases, biases ? names[3]! : '', outType)}`;
    if (p.transpose && M <= SKINNY_M) {
      // x @ W.T with few rows (decoding): a workgroup of 64 per output column, splitting k, so
      // that adjacent invocations read adjacent codes of one row of W; each code dequantized
      // once for the M rows; the partial sums added as the skinny matmul adds them
      const sg = be.subgroups;
      const entries = total / (M * N);
      const code = `${header}
${splitKDecls(M, sg)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32${splitKBuiltins(sg)}) {
  ONE_ = bitcast<f32>(md[0]);
  let N = md[2];
  let K = md[3];
  let g0 = wid.x + wid.y * nw.x;
  let j = g0 % N;
  let valid = g0 / N < ${entries}u;
  let batch = min(g0 / N, ${entries - 1}u);
  ${pick}
  let wo = offW(ri) + i32(j) * ${s(2)};
  let so = offS(ri) + i32(j) * ${s(4)};
  let bo = ${LB >= 0 ? 'offBi(ri)' : '0'} + i32(j) * ${s(6)};
  let xo = offX(li);
  var accs: array<vec2f, ${M}>;
  if (valid) {
    for (var k = lid; k < K; k += 64u) {
      let g = i32(k / ${p.groupSize}u);
      let v = deq_(code_(wo, k), so + g * ${s(5)}, bo + g * ${s(7)});
      for (var r = 0u; r < ${M}u; r++) {
        accs[r] = ffAdd_(accs[r], twoProd_(${fromRaw(x.dtype, `rawX(xo + i32(r) * ${s(0)} + i32(k) * ${s(1)})`)}, v));
      }
    }
  }${splitKReduce(M, sg)}
  if (valid && lid < ${M}u) {
    ${O}[(batch * ${M}u + lid) * N + j] = ${storeFF(out.dtype, 'sum')};
  }
}`;
      qmvStats.splitK++;
      be.dispatchGroups(helpersFor(code) + code, bindings, m.array(), entries * N);
      return;
    }
    // more rows (a prompt, a batch): float32 accumulation in 64 x 64 tiles, as Matmul's default;
    // each weight of a tile's stage dequantized once for its 64 rows (gathered: the tile's pair
    // of matrices picked by its batch entry's indices)
    if (M > SKINNY_M && !be.exactMatmul) {
      const entries = total / (M * N);
      const code = tiledGemmCode({
        decls: header,
        dims: `ONE_ = bitcast<f32>(md[0]);\n  let M = md[1];\n  let N = md[2];\n  let K = md[3];\n  let batches = ${entries}u;`,
        prologue: `${pick}\n  let xo = offX(li);\n  let wo = offW(ri);\n  let so = offS(ri);\n  let bo = ${LB >= 0 ? 'offBi(ri)' : '0'};`,
        loadA: fromRaw(x.dtype, `rawX(xo + i32(i) * ${s(0)} + i32(k) * ${s(1)})`),
        loadB: `deq_(code_(wo + i32(${row}) * ${s(2)}, ${col}), so + i32(${row}) * ${s(4)} + i32(${col} / ${p.groupSize}u) * ${s(5)}, bo + i32(${row}) * ${s(6)} + i32(${col} / ${p.groupSize}u) * ${s(7)})`,
        aAlongK: st(x, 1) === 1 || xNd < 2 || st(x, 2) !== 1,
        // a row of W.T's codes runs along k; W as stored runs along j
        bAlongK: !!p.transpose,
        store: `${O}[(batch * M + i) * N + j] = ${toRaw('f32', { ...out.dtype, size: 4 } as Dtype, 'v')};`,
      });
      fastStats.tiles++;
      be.dispatchGroups(helpersFor(code) + code, bindings, m.array(), tiledGroups(M, N, entries));
      return;
    }
    const code = `${header}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${total}u) { return; }
  let M = md[1];
  let N = md[2];
  let K = md[3];
  let j = tid % N;
  let i = (tid / N) % M;
  let batch = tid / (M * N);
  ${pick}
  let xo = offX(li) + i32(i) * ${s(0)};
  let wo = offW(ri);
  let so = offS(ri);
  let bo = ${LB >= 0 ? 'offBi(ri)' : '0'};
  var acc = vec2f(0.0, 0.0);
  for (var k = 0u; k < K; k++) {
    let g = i32(${col} / ${p.groupSize}u);
    let v = deq_(code_(wo + i32(${row}) * ${s(2)}, ${col}), so + i32(${row}) * ${s(4)} + g * ${s(5)}, bo + i32(${row}) * ${s(6)} + g * ${s(7)});
    acc = ffAdd_(acc, twoProd_(${fromRaw(x.dtype, `rawX(xo + i32(k) * ${s(1)})`)}, v));
  }
  ${O}[tid] = ${storeFF(out.dtype, 'acc')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  if (gather) be.statusDirty = true;
  return true;
}

// ---- E4M3 conversions (MLX's bit manipulations), elementwise ----

/** WGSL statements: `code` (u32) the saturating E4M3 code of the f32 `x` (MLX's ToFP8). */
const TO_FP8 = (x: string): string => `
      let fb = bitcast<u32>(${x});
      let sign = fb & 0x80000000u;
      let b = fb ^ sign;
      let low = (bitcast<u32>(bitcast<f32>(b) + bitcast<f32>(${141 << 23}u)) - ${141 << 23}u) & 0xffu;
      let high = ((b + ${((-120 << 23) + 0x7ffff) >>> 0}u + ((b >> 20u) & 1u)) >> 20u) & 0xffu;
      var code = select(high, low, b < ${121 << 23}u);
      if (b >= ${543 << 21}u) { code = 0x7eu; }
      code = code | (sign >> 24u);`;

export function runToFp8(be: WebGPUBackend, x: ArrayData, out: ArrayData): boolean {
  if (!FLOATS.includes(x.dtype.name) || out.dtype.name !== 'uint8') return false;
  runElementwise(be, {
    inputs: [x],
    outputs: [out],
    body: `${TO_FP8(fromRaw(x.dtype, 'x0'))}
      let o0 = code;`,
  });
  return true;
}

export function runFromFp8(be: WebGPUBackend, x: ArrayData, out: ArrayData): boolean {
  if (x.dtype.name !== 'uint8' || !FLOATS.includes(out.dtype.name)) return false;
  runElementwise(be, {
    inputs: [x],
    outputs: [out],
    body: `let c = x0 & 0xffu;
      var v = h2f_((c & 127u) << 7u) * 256.0;
      if ((c & 128u) != 0u) { v = -v; }
      if ((c & 127u) == 127u) { v = nan_(); }
      let o0 = ${toRaw('f32', out.dtype, 'v')};`,
  });
  return true;
}

// ---- AffineQuantize: one invocation per group (a group owns whole packed words) ----

export function runAffineQuantize(be: WebGPUBackend, p: { groupSize: number; bits: number }, w: ArrayData, [wq, scales, biases]: readonly ArrayData[]): boolean {
  if (!FLOATS.includes(w.dtype.name) || wq!.dtype.name !== 'uint32' || scales!.dtype !== w.dtype || biases!.dtype !== w.dtype) return false;
  const gs = p.groupSize, bits = p.bits;
  const n = prod(w.shape);
  const groups = n / gs;
  if (groups === 0) return true;
  const m = new Meta();
  m.f(1);
  m.f(1e-7);
  const LW = m.layout(w, w.shape);
  const nBins = 2 ** bits - 1;
  writeWords(be, scales!, (sT) =>
    writeWords(be, biases!, (bT) => {
      const { bindings, names } = be.bind([w, wq!, sT, bT]);
      const store = (v: string) => toRaw('f32', w.dtype, v);
      const params =
        bits === 1
          ? `scale = max_(wMax - wMin, eps);
  bias = wMin;`
          : `let mask = abs(wMin) > abs(wMax);
  scale = max_(((wMax - wMin) * ONE_) / ${nBins}.0, eps);
  if (!mask) { scale = -scale; }
  let edge = select(wMax, wMin, mask);
  let q0 = round((edge / scale) * ONE_);
  if (q0 != 0.0) { scale = (edge / q0) * ONE_; bias = edge; }`;
      const code = `
${rawLoader('rawW', names[0]!, w.dtype)}
${offsetFn('offW', LW, w.shape.length)}
${FF}
fn max_(a: f32, b: f32) -> f32 { return select(a, b, a < b); }
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${groups}u) { return; }
  let eps = bitcast<f32>(md[1]);
  let o = tid * ${gs}u;
  // std::max / std::min: a NaN never replaces the running value
  var wMax = -inf_();
  var wMin = inf_();
  for (var j = 0u; j < ${gs}u; j++) {
    let x = ${fromRaw(w.dtype, 'rawW(offW(o + j))')};
    if (wMax < x) { wMax = x; }
    if (x < wMin) { wMin = x; }
  }
  var scale: f32;
  var bias = 0.0;
  ${params}
  let wBase = tid * ${(gs * bits) / 32}u;
  for (var k = 0u; k < ${(gs * bits) / 32}u; k++) { ${names[1]}[wBase + k] = 0u; }
  for (var j = 0u; j < ${gs}u; j++) {
    let x = ${fromRaw(w.dtype, 'rawW(offW(o + j))')};
    var q = round((((x - bias) * ONE_) / scale) * ONE_);
    q = select(q, 0.0, q < 0.0);
    q = select(q, ${nBins}.0, ${nBins}.0 < q);
    var qi = u32(q);
    if (isnan_(q)) { qi = 0u; }
    let off = j * ${bits}u;
    let wi = wBase + (off >> 5u);
    let sh = off & 31u;
    ${names[1]}[wi] |= qi << sh;
    if (sh + ${bits}u > 32u) { ${names[1]}[wi + 1u] |= qi >> (32u - sh); }
  }
  ${names[2]}[tid] = ${store('scale')};
  ${names[3]}[tid] = ${store('bias')};
}`;
      be.dispatch(helpersFor(code) + code, bindings, m.array(), groups);
    }),
  );
  return true;
}

// ---- FpQuantize (mxfp4, mxfp8, nvfp4): one invocation per group ----

const f32 = Math.fround;
/** A stand-in dtype for scratch words of f32 values (only size and kind are read). */
const F32 = { name: 'float32', size: 4, kind: 'f' } as unknown as Dtype;

/**
 * WGSL `log2ff_(s)`: log2 of a positive finite f32 in float-float (the exponent, plus
 * 2 atanh((m - 1) / (m + 1)) / ln 2 of the significand by its series), for the mx modes'
 * rint(rT(log2(scale))), which the reference takes from a double log2. Needs FF and ffDivF_.
 */
const LOG2FF = `
fn ffDivF_(a: vec2f, b: f32) -> vec2f {
  let q1 = r_(a.x / b);
  let rem = ffAdd_(a, -twoProd_(q1, b));
  return ffAdd_(vec2f(q1, 0.0), vec2f(r_(rem.x / b), 0.0));
}
fn log2ff_(s: f32) -> vec2f {
  var b = bitcast<u32>(s);
  var k = 0;
  if (b < 0x800000u) { b = bitcast<u32>(r_(s * 16777216.0)); k = -24; }
  k += i32(b >> 23u) - 127;
  let m = bitcast<f32>((b & 0x7fffffu) | 0x3f800000u);
  let u = ffDivF_(vec2f(r_(m - 1.0), 0.0), r_(m + 1.0));
  let u2 = ffMul_(u, u);
  var t = vec2f(0.0, 0.0);
  for (var n = 18; n >= 0; n--) { t = ffAdd_(ffDivF_(vec2f(1.0, 0.0), f32(2 * n + 1)), ffMul_(u2, t)); }
  let ln = ffMul_(ffMul_(u, t), vec2f(2.0, 0.0));
  return ffAdd_(vec2f(f32(k), 0.0), ffMul_(ln, vec2f(${f32(1 / Math.LN2)}, ${f32(1 / Math.LN2 - f32(1 / Math.LN2))})));
}`;

export function runFpQuantize(be: WebGPUBackend, p: QParams, inputs: readonly ArrayData[], [wq, scales]: readonly ArrayData[]): boolean {
  const w = inputs[0]!;
  const g = inputs[1] ?? null;
  if (!FLOATS.includes(w.dtype.name) || (g && !FLOATS.includes(g.dtype.name)) || wq!.dtype.name !== 'uint32' || scales!.dtype.name !== 'uint8') return false;
  const gs = p.groupSize, bits = p.bits;
  const groups = prod(w.shape) / gs;
  if (groups === 0) return true;
  const T = w.dtype;
  const rT = (v: string) => roundToDtype(T, `r_(${v})`);
  const m = new Meta();
  m.f(1);
  const LW = m.layout(w, w.shape);
  const GO = g ? m.u(g.offset) : -1;
  const words = (gs * bits) / 32;
  writeWords(be, scales!, (sT) => {
    const arrays = [w, ...(g ? [g] : []), wq!, sT];
    const { bindings, names } = be.bind(arrays);
    const [WQ, SC] = [names[arrays.length - 2]!, names[arrays.length - 1]!];
    const nv = gs === 16;
    // the group's scale: d (the divisor of its values) and the scale code
    const scale = nv
      ? `let enc = ${g ? `r_(2688.0 / ${fromRaw(g.dtype, `rawG(bitcast<i32>(md[${GO}u]))`)})` : '1.0'};
  let code = toFp8_(r_(s * enc));
  let d = ${roundToDtype(T, 'fromFp8_(code)')};`
      : `var e = 0;
  if (s > 0.0 && !isinf_(s)) {
    let l = ${roundToDtype(T, 'ffRound_(log2ff_(s))')};
    e = i32(round(l));
  }
  if (isinf_(s)) { e = 0; }
  if (r_(ldexp(1.0, e)) < s) { e += 1; }
  var se = f32(e);
  if (s == 0.0) { se = 0.0; }
  let d = ${roundToDtype(T, 'ldexp(1.0, i32(se))')};
  let code = bitcast<u32>(i32(se) + 127) & 0xffu;`;
    // q, the value to encode: the element over d (times enc for nvfp4, in f32)
    const qv = nv ? `r_(${rT('x / d')} * enc)` : rT('x / d');
    const dist = (v: string) => (nv ? `abs(r_(${v}))` : `abs(${rT(v)})`);
    const encode =
      bits === 8
        ? 'let c = toFp8_(q);'
        : `var c = 0u;
    var best = ${dist('q - fp4_[0]')};
    for (var kk = 1u; kk < 16u && !isnan_(best); kk++) {
      let dk = ${dist('q - fp4_[kk]')};
      if (isnan_(dk) || dk < best) { c = kk; best = dk; }
    }`;
    const code = `
${rawLoader('rawW', names[0]!, w.dtype)}
${g ? rawLoader('rawG', names[1]!, g.dtype) : ''}
${offsetFn('offW', LW, w.shape.length)}
${FF}
${LOG2FF}
var<private> fp4_: array<f32, 16> = array<f32, 16>(${FP4.map((v) => (Object.is(v, -0) ? '-0.0' : v.toFixed(1))).join(', ')});
fn toFp8_(x: f32) -> u32 {${TO_FP8('x')}
  return code;
}
fn fromFp8_(c: u32) -> f32 {
  if ((c & 127u) == 127u) { return nan_(); }
  let v = h2f_((c & 127u) << 7u) * 256.0;
  return select(v, -v, (c & 128u) != 0u);
}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${groups}u) { return; }
  let o = tid * ${gs}u;
  // amax: NaN propagates
  var amax = abs(${fromRaw(T, 'rawW(offW(o))')});
  for (var j = 1u; j < ${gs}u && !isnan_(amax); j++) {
    let a = abs(${fromRaw(T, 'rawW(offW(o + j))')});
    if (isnan_(a) || a > amax) { amax = a; }
  }
  let s = ${rT(`amax / ${bits === 4 ? '6.0' : '448.0'}`)};
  ${scale}
  ${SC}[tid] = code;
  for (var k = 0u; k < ${words}u; k++) { ${WQ}[tid * ${words}u + k] = 0u; }
  for (var j = 0u; j < ${gs}u; j++) {
    let x = ${fromRaw(T, 'rawW(offW(o + j))')};
    let q = ${qv};
    ${encode}
    let off = j * ${bits}u;
    ${WQ}[tid * ${words}u + (off >> 5u)] |= c << (off & 31u);
  }
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), groups);
  });
  return true;
}

// ---- QQMatmul and GatherQQMM: x (and a float w) quantized and dequantized, then x @ w.T ----

/** WGSL for the E4M3 codes both ways, the E2M1 table and MLX's to_fp4_e2m1 / to_fp8_e8m0. */
const FP_CODES = `
var<private> fp4_: array<f32, 16> = array<f32, 16>(${FP4.map((v) => (Object.is(v, -0) ? '-0.0' : v.toFixed(1))).join(', ')});
fn toFp8_(x: f32) -> u32 {${TO_FP8('x')}
  return code;
}
fn fromFp8_(c: u32) -> f32 {
  if ((c & 127u) == 127u) { return nan_(); }
  let v = h2f_((c & 127u) << 7u) * 256.0;
  return select(v, -v, (c & 128u) != 0u);
}
fn fp4Code_(x: f32) -> u32 {
  if (isnan_(x)) { return 7u; }
  let sign = select(0u, 8u, (bitcast<u32>(x) & 0x80000000u) != 0u);
  let a = abs(x);
  var b = 0u;
  if (a > 5.0) { b = 7u; } else if (a >= 3.5) { b = 6u; } else if (a > 2.5) { b = 5u; } else if (a >= 1.75) { b = 4u; }
  else if (a > 1.25) { b = 3u; } else if (a >= 0.75) { b = 2u; } else if (a > 0.25) { b = 1u; }
  return b | sign;
}
// round(log2(x)) + 127 (half away from zero), clamped; non-finite 255, negative 0
fn e8m0Code_(x: f32) -> u32 {
  if (isnan_(x) || isinf_(x)) { return 255u; }
  if (x < 0.0) { return 0u; }
  var n = -127.0;
  if (x > 0.0) {
    let l = ffRound_(log2ff_(x));
    n = sign(l) * floor(abs(l) + 0.5);
  }
  return u32(i32(clamp(n, -127.0, 127.0)) + 127);
}
fn e8m0_(c: u32) -> f32 { return select(ldexp(1.0, i32(c) - 127), inf_(), c == 255u); }`;

/**
 * MLX's fp_quantize_dequantize of `src` (groups of gs along its last axis) into the f32 words
 * of `dst` (row-major): each value becomes its fp4 / fp8 rounding times the group's scale (an
 * E4M3 one encoded against the global scale for nvfp4, the smallest E8M0 power >= it for mx),
 * rounded to src's dtype. One invocation per group.
 */
function runQdq(be: WebGPUBackend, p: QParams, src: ArrayData, global: ArrayData | null, dst: ArrayData): void {
  const gs = p.groupSize;
  const groups = prod(src.shape) / gs;
  if (groups === 0) return;
  const m = new Meta();
  m.f(1);
  const L = m.layout(src, src.shape);
  const { bindings, names } = be.bind(global ? [src, global, dst] : [src, dst]);
  const D = names[names.length - 1]!;
  const scale =
    gs === 16
      ? `let enc = ${global ? `r_(2688.0 / ${fromRaw(global.dtype, `rawG(${global.offset})`)})` : '1.0'};
  scale = r_(fromFp8_(toFp8_(r_(scale * enc))) / enc);`
      : `var c = e8m0Code_(scale);
  if (c < 0xfeu && e8m0_(c) < scale) { c += 1u; }
  scale = e8m0_(c);`;
  const code = `
${rawLoader('rawS', names[0]!, src.dtype)}
${global ? rawLoader('rawG', names[1]!, global.dtype) : ''}
${offsetFn('offS', L, src.shape.length)}
${FF}
${LOG2FF}
${FP_CODES}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  if (tid >= ${groups}u) { return; }
  let o = tid * ${gs}u;
  // std::max: a NaN never replaces the running value
  var amax = -inf_();
  for (var j = 0u; j < ${gs}u; j++) {
    let a = abs(${fromRaw(src.dtype, 'rawS(offS(o + j))')});
    if (amax < a) { amax = a; }
  }
  var scale = r_(amax / ${p.bits === 4 ? '6.0' : '448.0'});
  ${scale}
  for (var j = 0u; j < ${gs}u; j++) {
    var x = 0.0;
    if (scale != 0.0) { x = r_(${fromRaw(src.dtype, 'rawS(offS(o + j))')} / scale); }
    let q = ${p.bits === 8 ? 'fromFp8_(toFp8_(x))' : 'fp4_[fp4Code_(x)]'};
    ${D}[o + j] = bitcast<u32>(${roundToDtype(src.dtype, 'r_(scale * q)')});
  }
}`;
  be.dispatch(helpersFor(code) + code, bindings, m.array(), groups);
}

export function runQQMatmul(be: WebGPUBackend, p: QParams & { wScales: boolean; globalScales: boolean }, inputs: readonly ArrayData[], out: ArrayData, gather: boolean): boolean {
  const [x, w] = inputs as [ArrayData, ArrayData];
  const l = gather ? inputs[2]! : null;
  const r = gather ? inputs[3]! : null;
  const scales = p.wScales ? inputs[gather ? 4 : 2]! : null;
  const [gx, gw] = p.globalScales ? [inputs[inputs.length - 2]!, inputs[inputs.length - 1]!] : [null, null];
  if (!FLOATS.includes(x.dtype.name) || !FLOATS.includes(out.dtype.name) || (gather && (l!.dtype.name !== 'uint32' || r!.dtype.name !== 'uint32'))) return false;
  if (scales ? w.dtype.name !== 'uint32' : !FLOATS.includes(w.dtype.name)) return false;
  if ((gx && !FLOATS.includes(gx.dtype.name)) || (gw && !FLOATS.includes(gw.dtype.name))) return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const K = x.shape[x.shape.length - 1]!;
  const M = x.shape[x.shape.length - 2]!;
  const N = out.shape[out.shape.length - 1]!;
  const xB = x.shape.slice(0, -2), wB = w.shape.slice(0, -2);
  const temps: ArrayData[] = [];
  const scratch = (n: number): ArrayData => {
    const d: ArrayData = { storage: be.allocate(4 * n), dtype: F32, shape: [n], strides: [1], offset: 0 };
    temps.push(d);
    return d;
  };
  try {
    const xs = scratch(prod(x.shape));
    runQdq(be, p, x, gx, xs);
    const ws = scales ? null : scratch(prod(w.shape));
    if (ws) runQdq(be, p, w, gw, ws);
    const m = new Meta();
    m.f(1);
    m.u(M, N, K, prod(xB), prod(wB));
    const LL = l ? m.layout(l, l.shape) : -1;
    const LR = r ? m.layout(r, r.shape) : -1;
    const LW = scales ? m.layout(w, wB, wB.length) : -1;
    const LS = scales ? m.layout(scales, wB, wB.length) : -1;
    const S = scales ? m.u(w.strides[w.shape.length - 2]!, w.strides[w.shape.length - 1]!, scales.strides[scales.shape.length - 2]!, scales.strides[scales.shape.length - 1]!) : -1;
    writeWords(be, out, (target) => {
      const arrays = [xs, ...(ws ? [ws] : [w, scales!, ...(gw ? [gw] : [])]), ...(gather ? [l!, r!] : []), target, ...(gather ? [be.status] : [])];
      const { bindings, names } = be.bind(arrays);
      const nW = ws ? 1 : gw ? 3 : 2;
      const O = names[1 + nW + (gather ? 2 : 0)]!;
      const si = (i: number) => `bitcast<i32>(md[${i}u])`;
      const weight = ws
        ? `bitcast<f32>(${names[1]}[(ri * N + j) * K + k])`
        : `deq_(code_(wo + i32(j) * ${si(S)}, k), so + i32(j) * ${si(S + 2)} + i32(k / ${p.groupSize}u) * ${si(S + 3)}, 0)`;
      const pick = gather
        ? `var li = ${names[1 + nW]}[offL(batch)];
  var ri = ${names[2 + nW]}[offR(batch)];
  if (li >= md[4]) { bad_(${errorKind('gather_qqmm', 0)}u, li, 0u, md[4]); li = 0u; }
  if (ri >= md[5]) { bad_(${errorKind('gather_qqmm', 1)}u, ri, 0u, md[5]); ri = 0u; }`
        : 'let li = 0u;\n  let ri = 0u;';
      const code = `
${FF}
${gather ? `${offsetFn('offL', LL, l!.shape.length)}\n${offsetFn('offR', LR, r!.shape.length)}\n${badFn(names[names.length - 1]!)}` : ''}
${scales ? `${offsetFn('offW', LW, wB.length)}\n${offsetFn('offSc', LS, wB.length)}\n${dequantFns(p, names[1]!, si(S + 1), scales, names[2]!, gw, gw ? names[3]! : '', x.dtype)}` : ''}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[0]);
  ${scales ? globalInit(gw, p) : ''}
  if (tid >= ${total}u) { return; }
  let M = md[1];
  let N = md[2];
  let K = md[3];
  let j = tid % N;
  let i = (tid / N) % M;
  let batch = tid / (M * N);
  ${pick}
  ${scales ? 'let wo = offW(ri);\n  let so = offSc(ri);' : ''}
  let xo = (li * M + i) * K;
  var acc = vec2f(0.0, 0.0);
  for (var k = 0u; k < K; k++) {
    acc = ffAdd_(acc, twoProd_(bitcast<f32>(${names[0]}[xo + k]), ${weight}));
  }
  ${O}[tid] = ${storeFF(out.dtype, 'acc')};
}`;
      be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
    });
  } finally {
    for (const t of temps) {
      t.storage.released = true;
      be.release(t.storage);
    }
  }
  if (gather) be.statusDirty = true;
  return true;
}
