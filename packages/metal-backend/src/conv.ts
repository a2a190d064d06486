// Convolution (MLX's primitive: 1/2/3-D, strides, padding lo/hi, kernel and input dilation,
// groups, flip; x (N, ...S, C), w (O, ...K, C / groups), out (N, ...out, O)), any input
// strides. By default an implicit GEMM per group in Matmul's float32 tiles (matmul-fast.ts):
// rows the output positions, columns the group's filters, k the taps (row-major over the
// kernel) times the group's channels, each window element read by the tile loads; within the
// float32 matmul bound with K = taps x channels. With `backend.exactMatmul`: a direct kernel,
// one invocation per output element summing over the taps then the group's channels, exact f32
// products accumulated in float-float, so it rounds as the reference's double accumulation
// (1 ulp at near-ties).
// Padding, dilation holes and positions past the input read as zeros that still multiply the
// weight (0 * inf is NaN, as the reference and an explicit GEMM).
import type { ArrayData, ConvParams } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { fromRaw, helpersFor, rawLoader, toRaw } from './wgsl.js';
import { FF, FLOATS, GRID_MAIN, storeFF } from './matmul-variants.js';
import { fastStats } from './matmul.js';
import { tiledGemmCode, tiledGroups } from './matmul-fast.js';

const H = 12;
const PER_DIM = 9;

export function runConv(be: WebGPUBackend, p: ConvParams, x: ArrayData, w: ArrayData, out: ArrayData): boolean {
  if (![x, w, out].every((d) => FLOATS.includes(d.dtype.name))) return false;
  const nd = p.strides.length;
  const total = out.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return true;
  const O = w.shape[0]!;
  const Cg = w.shape[nd + 1]!;
  const kS = w.shape.slice(1, nd + 1);
  const nTaps = kS.reduce((a, b) => a * b, 1);
  // [total, O, Cg, O / groups, x offset, w offset, x stride N, x stride C, w stride O, w stride C,
  //  1.0f, taps, per dim: out size, kernel size, input size, stride, kernel dilation,
  //  input dilation, padding lo, x stride, w stride]
  const meta = new Uint32Array(H + PER_DIM * nd);
  const i32 = new Int32Array(meta.buffer);
  meta.set([total, O, Cg, O / p.groups]);
  i32[4] = x.offset;
  i32[5] = w.offset;
  i32[6] = x.strides[0]!;
  i32[7] = x.strides[nd + 1]!;
  i32[8] = w.strides[0]!;
  i32[9] = w.strides[nd + 1]!;
  new Float32Array(meta.buffer)[10] = 1;
  meta[11] = nTaps;
  for (let i = 0; i < nd; i++) {
    const b = H + PER_DIM * i;
    meta[b] = out.shape[1 + i]!;
    meta[b + 1] = kS[i]!;
    meta[b + 2] = x.shape[1 + i]!;
    meta[b + 3] = p.strides[i]!;
    meta[b + 4] = p.kernelDilation[i]!;
    meta[b + 5] = p.inputDilation[i]!;
    i32[b + 6] = p.paddingLo[i]!;
    i32[b + 7] = x.strides[1 + i]!;
    i32[b + 8] = w.strides[1 + i]!;
  }
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([x, w, target]);
    if (!be.exactMatmul) {
      // an implicit GEMM per group: rows the output positions (batch and spatial), columns the
      // group's filters, k the taps times the group's channels; x's windows read in the tiles' loads
      const groups = p.groups;
      const code = tiledGemmCode({
        decls: `
${rawLoader('rawX', names[0]!, x.dtype)}
${rawLoader('rawW', names[1]!, w.dtype)}
fn convA_(i: u32, k: u32, g: u32) -> f32 {
  let Cg = md[2];
  var r = k / Cg;
  var rem = i;
  var xo = bitcast<i32>(md[4]) + i32(g * Cg + k % Cg) * bitcast<i32>(md[7]);
  var inside = true;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let b = ${H}u + ${PER_DIM}u * u32(d);
    let os = md[b];
    let op = i32(rem % os);
    rem = rem / os;
    let ks = md[b + 1u];
    let kq = r % ks;
    r = r / ks;
    let q = op * i32(md[b + 3u]) + i32(kq * md[b + 4u]) - bitcast<i32>(md[b + 6u]);
    let dil = i32(md[b + 5u]);
    if (q < 0 || q % dil != 0 || q / dil >= i32(md[b + 2u])) { inside = false; }
    else { xo += (q / dil) * bitcast<i32>(md[b + 7u]); }
  }
  if (!inside) { return 0.0; }
  return ${fromRaw(x.dtype, 'rawX(xo + i32(rem) * bitcast<i32>(md[6]))')};
}
fn convB_(k: u32, j: u32, g: u32) -> f32 {
  let Cg = md[2];
  var r = k / Cg;
  var wo = bitcast<i32>(md[5]) + i32(g * md[3] + j) * bitcast<i32>(md[8]) + i32(k % Cg) * bitcast<i32>(md[9]);
  for (var d = ${nd - 1}; d >= 0; d--) {
    let b = ${H}u + ${PER_DIM}u * u32(d);
    let ks = md[b + 1u];
    let kq = r % ks;
    r = r / ks;
    wo += i32(${p.flip ? 'ks - 1u - kq' : 'kq'}) * bitcast<i32>(md[b + 8u]);
  }
  return ${fromRaw(w.dtype, 'rawW(wo)')};
}`,
        dims: `let M = md[0] / md[1];\n  let N = md[3];\n  let K = md[11] * md[2];\n  let batches = ${groups}u;`,
        prologue: '',
        loadA: 'convA_(i, k, batch)',
        loadB: 'convB_(k, j, batch)',
        // k runs over a tap's channels first: contiguous where the channel stride is 1
        aAlongK: x.strides[nd + 1] === 1,
        bAlongK: w.strides[nd + 1] === 1,
        store: `${names[2]}[i * md[1] + batch * N + j] = ${toRaw('f32', { ...out.dtype, size: 4 } as typeof out.dtype, 'v')};`,
      });
      fastStats.tiles++;
      be.dispatchGroups(helpersFor(code) + code, bindings, meta, tiledGroups(total / O, O / groups, groups));
      return;
    }
    const code = `
${rawLoader('rawX', names[0]!, x.dtype)}
${rawLoader('rawW', names[1]!, w.dtype)}
${FF}
${GRID_MAIN}
  ONE_ = bitcast<f32>(md[10]);
  let t = tid;
  if (t >= md[0]) { return; }
  let O = md[1];
  let Cg = md[2];
  let oc = t % O;
  var rem = t / O;
  var opos: array<i32, ${nd}>;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let s = md[${H}u + ${PER_DIM}u * u32(d)];
    opos[d] = i32(rem % s);
    rem = rem / s;
  }
  let sxC = bitcast<i32>(md[7]);
  let swC = bitcast<i32>(md[9]);
  let xBase = bitcast<i32>(md[4]) + i32(rem) * bitcast<i32>(md[6]) + i32((oc / md[3]) * Cg) * sxC;
  let wBase = bitcast<i32>(md[5]) + i32(oc) * bitcast<i32>(md[8]);
  var acc = vec2f(0.0, 0.0);
  for (var tap = 0u; tap < md[11]; tap++) {
    var r = tap;
    var xo = xBase;
    var wo = wBase;
    var inside = true;
    for (var d = ${nd - 1}; d >= 0; d--) {
      let b = ${H}u + ${PER_DIM}u * u32(d);
      let ks = md[b + 1u];
      let k = r % ks;
      r = r / ks;
      let q = opos[d] * i32(md[b + 3u]) + i32(k * md[b + 4u]) - bitcast<i32>(md[b + 6u]);
      let dil = i32(md[b + 5u]);
      if (q < 0 || q % dil != 0 || q / dil >= i32(md[b + 2u])) { inside = false; }
      else { xo += (q / dil) * bitcast<i32>(md[b + 7u]); }
      let kk = ${p.flip ? 'ks - 1u - k' : 'k'};
      wo += i32(kk) * bitcast<i32>(md[b + 8u]);
    }
    for (var c = 0u; c < Cg; c++) {
      var xv = 0.0;
      if (inside) { xv = ${fromRaw(x.dtype, 'rawX(xo + i32(c) * sxC)')}; }
      acc = ffAdd_(acc, twoProd_(xv, ${fromRaw(w.dtype, 'rawW(wo + i32(c) * swC)')}));
    }
  }
  ${names[2]}[t] = ${storeFF(out.dtype, 'acc')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, meta, total);
  });
  return true;
}
