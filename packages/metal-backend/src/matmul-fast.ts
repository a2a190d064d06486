// Matmul and AddMM for real floats past the skinny sizes, as MLX's Metal GEMM computes them:
// float32 accumulators (not float-float), 64 x 64 output tiles per workgroup of 16 x 16, each
// invocation holding a 4 x 4 block in registers, A and B staged 16 k at a time in workgroup
// memory as vec4 columns. One workgroup-memory read of A and one of B feed 16 multiply-adds
// (the float-float tiles: 2 reads per multiply-add and ~20 flops for each).
// Error: each output is a float32 sum of K products added in k order, so
// |ours - exact| <= (K + 2) 2^-24 sum_k |a_k b_k| (plus underflow), the bound the WASM
// backend's float32 matmul states (then rounded once more to a half output).
import type { ArrayData } from '@mlx-ts/core';
import { fromRaw, toRaw } from './wgsl.js';

/** Output tile edge (rows and columns) of one workgroup. */
export const FAST_TILE = 64;
/** k per stage in workgroup memory. */
const KS = 16;

export interface FastPlan {
  a: ArrayData;
  b: ArrayData;
  out: ArrayData;
  /** WGSL names of the output buffer and the raw loaders' declarations (rawA, rawB, rawC + cOff). */
  O: string;
  loaders: string;
  /** meta words: where the batch dims start (H) and where AddMM's words start (C), or null for Matmul */
  H: number;
  C: number | null;
  /** AddMM's c dtype */
  cDtype?: ArrayData['dtype'];
}

/**
 * A float32-accumulating tiled product, with the operands' loads and the output's store given
 * as WGSL: `dims` defines M, N, K (u32) and `batches` (how many batch entries); `prologue`
 * runs once per workgroup with `batch` (u32) known, e.g. to compute offsets; `loadA` is the
 * f32 value of A[i, k] and `loadB` of B[k, j] (u32 i, j, k in range); `store` writes the f32
 * `v` at output (i, j) of `batch`. Loads run along k where `aAlongK` / `bAlongK`, so that
 * neighbouring invocations read neighbouring words of an operand contiguous in k.
 */
export interface TiledGemm {
  decls: string;
  dims: string;
  prologue: string;
  loadA: string;
  loadB: string;
  aAlongK: boolean;
  bAlongK: boolean;
  store: string;
}

/** The kernel of a TiledGemm: one workgroup per 64 x 64 tile of one batch entry (dispatch tiledGroups of them). */
export function tiledGemmCode(t: TiledGemm): string {
  // [kk, q] of invocation lix_: the stage's row kk (0..15) and which 4 rows/columns (0..15)
  const slot = (alongK: boolean) => (alongK ? 'let kk = lix_ % 16u; let q = lix_ / 16u;' : 'let kk = lix_ / 16u; let q = lix_ % 16u;');
  // one operand's 16 k x 64 stage into workgroup memory: `idx` (i or j) from `first`, below `end`
  const stage = (dst: string, alongK: boolean, idx: string, first: string, end: string, load: string) => `{
      ${slot(alongK)}
      var v = vec4f(0.0);
      let k = k0 + kk;
      if (valid && k < K) {
        for (var c = 0u; c < 4u; c++) {
          let ${idx} = ${first} + q * 4u + c;
          if (${idx} < ${end}) { v[c] = ${load}; }
        }
      }
      ${dst}[kk * 16u + q] = v;
    }`;
  return `
${t.decls}
var<workgroup> As: array<vec4f, ${KS * 16}>;
var<workgroup> Bs: array<vec4f, ${KS * 16}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) lix_: u32) {
  ${t.dims}
  let g = wid.x + wid.y * nw.x;
  let tn = (N + ${FAST_TILE - 1}u) / ${FAST_TILE}u;
  let tm = (M + ${FAST_TILE - 1}u) / ${FAST_TILE}u;
  let valid = g / (tn * tm) < batches;
  let batch = min(g / (tn * tm), batches - 1u);
  let t = g % (tn * tm);
  let m0 = (t / tn) * ${FAST_TILE}u;
  let n0 = (t % tn) * ${FAST_TILE}u;
  ${t.prologue}
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < K; k0 += ${KS}u) {
    ${stage('As', t.aAlongK, 'i', 'm0', 'M', t.loadA)}
    ${stage('Bs', t.bAlongK, 'j', 'n0', 'N', t.loadB)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${KS}u; kk++) {
      let a = As[kk * 16u + lid.y];
      let b = Bs[kk * 16u + lid.x];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }
  if (!valid) { return; }
  var accs = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0u; r < 4u; r++) {
    let i = m0 + lid.y * 4u + r;
    if (i >= M) { break; }
    for (var c = 0u; c < 4u; c++) {
      let j = n0 + lid.x * 4u + c;
      if (j >= N) { break; }
      let v = accs[r][c];
      ${t.store}
    }
  }
}`;
}

/** Workgroups of a TiledGemm over `batches` entries of M x N outputs. */
export const tiledGroups = (M: number, N: number, batches: number): number => Math.ceil(M / FAST_TILE) * Math.ceil(N / FAST_TILE) * batches;

/**
 * WGSL statements of runMatmul's meta: offA and offB of `batch` (u32; broadcast batch dims from
 * word H on) and the operands' strides sam, sak, sbk, sbn.
 */
export function matmulOperands(H: number): string {
  return `var offA = bitcast<i32>(md[4]);
  var offB = bitcast<i32>(md[5]);
  var rem = batch;
  for (var d = i32(nb) - 1; d >= 0; d--) {
    let dim = md[${H}u + u32(d)];
    let c = i32(rem % dim);
    rem = rem / dim;
    offA += c * bitcast<i32>(md[${H}u + nb + u32(d)]);
    offB += c * bitcast<i32>(md[${H}u + 2u * nb + u32(d)]);
  }
  let sam = bitcast<i32>(md[6]);
  let sak = bitcast<i32>(md[7]);
  let sbk = bitcast<i32>(md[8]);
  let sbn = bitcast<i32>(md[9]);`;
}

/** Matmul / AddMM's kernel, meta as runMatmul writes it. */
export function fastTiledCode(p: FastPlan): string {
  const nd = p.out.shape.length;
  const { H, C } = p;
  const epilogue =
    C === null
      ? 'v'
      : `bitcast<f32>(md[${C + 1}u]) * v + bitcast<f32>(md[${C + 3}u]) * ${fromRaw(p.cDtype!, 'rawC(cOff(o))')}`;
  return tiledGemmCode({
    decls: p.loaders,
    dims: 'let M = md[0];\n  let N = md[1];\n  let K = md[2];\n  let nb = md[3];\n  let batches = md[11];',
    prologue: matmulOperands(H),
    loadA: fromRaw(p.a.dtype, 'rawA(offA + i32(i) * sam + i32(k) * sak)'),
    loadB: fromRaw(p.b.dtype, 'rawB(offB + i32(k) * sbk + i32(j) * sbn)'),
    aAlongK: p.a.strides[nd - 1] === 1 || p.a.strides[nd - 2] !== 1,
    bAlongK: p.b.strides[nd - 2] === 1 && p.b.strides[nd - 1] !== 1,
    store: `let o = batch * M * N + i * N + j;
      ${p.O}[o] = ${toRaw('f32', { ...p.out.dtype, size: 4 } as typeof p.out.dtype, epilogue)};`,
  });
}
