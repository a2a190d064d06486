// Matmul (float32, halves, complex64), batched over broadcast batch dims, any input strides
// (transposed operands need no copy). Real floats with more than SKINNY_M rows take the
// float32-accumulating 64 x 64 tiles of matmul-fast.ts, as MLX's Metal GEMM accumulates; with
// `backend.exactMatmul` (and always for complex64 and the skinny sizes) each dot product
// accumulates its exact f32 products in float-float (about 48 bits) in 16 x 16 tiles, so the
// result rounds as the reference's double accumulation does (1 ulp at near-ties).
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { FF, writeWords } from './reduce.js';
import { fastTiledCode, matmulOperands, tiledGroups } from './matmul-fast.js';
import { fromRaw, helpersFor, rawLoader, toRaw } from './wgsl.js';

const T = 16;

/**
 * At most this many output rows (per batch entry) take the skinny kernels: a matrix-vector
 * product in the 16 x 16 tiles would leave 15 of 16 rows of every tile idle.
 */
export const SKINNY_M = 8;

/** @internal (tests) dispatches of each skinny kernel */
export const skinnyStats = { dotSubgroup: 0, dotWorkgroup: 0, columns: 0 };
/** @internal (tests) dispatches of the float32-accumulating tiles (matmul-fast.ts) */
export const fastStats = { tiles: 0 };

/**
 * Split-k reductions (a workgroup of 64 per output column, invocation lid taking k = lid, lid + 64, ...,
 * M float-float sums `accs` each): the declarations, the extra builtins, and the statements that
 * leave each row r's total in `sum` for invocation lid = r (r < M). With subgroups, each row's 64
 * partial sums are added across every subgroup by shuffles first (after the butterfly every lane
 * holds the subgroup's total), then one per subgroup through workgroup memory (slots claimed by
 * an atomic, as WGSL fixes no mapping of invocations to subgroups); without, all 64.
 */
export function splitKDecls(M: number, subgroups: boolean): string {
  return `var<workgroup> part: array<vec2f, ${64 * M}>;${subgroups ? '\nvar<workgroup> slots: atomic<u32>;' : ''}`;
}

export function splitKBuiltins(subgroups: boolean): string {
  return subgroups ? ', @builtin(subgroup_invocation_id) sgl: u32, @builtin(subgroup_size) sgs: u32' : '';
}

export function splitKReduce(M: number, subgroups: boolean): string {
  const collect = subgroups
    ? `
  if (lid == 0u) { atomicStore(&slots, 0u); }
  workgroupBarrier();
  for (var r = 0u; r < ${M}u; r++) {
    var v = accs[r];
    for (var s = 1u; s < sgs; s = s << 1u) {
      v = ffAdd_(v, subgroupShuffleXor(v, s));
    }
    accs[r] = v;
  }
  if (sgl == 0u) {
    let slot = atomicAdd(&slots, 1u);
    for (var r = 0u; r < ${M}u; r++) { part[slot * ${M}u + r] = accs[r]; }
  }
  workgroupBarrier();
  let used = atomicLoad(&slots);`
    : `
  for (var r = 0u; r < ${M}u; r++) { part[lid * ${M}u + r] = accs[r]; }
  workgroupBarrier();
  let used = 64u;`;
  return `${collect}
  var sum = vec2f(0.0, 0.0);
  if (lid < ${M}u) {
    for (var q = 0u; q < used; q++) { sum = ffAdd_(sum, part[q * ${M}u + lid]); }
  }`;
}

interface SkinnyPlan {
  M: number;
  K: number;
  nb: number;
  H: number;
  /** b's k stride is 1: the workgroup splits each dot product's k */
  dot: boolean;
  subgroups: boolean;
  a: ArrayData;
  b: ArrayData;
  out: ArrayData;
  O: string;
  /** the value written for output (batch, i, j) from its float-float sum acc (AddMM's epilogue) */
  result: string;
  loaders: string;
}

/**
 * Skinny products (M <= SKINNY_M): every B element is loaded once and used for all M rows, float-float
 * sums as the tiled kernel's (the same rounding up to near-ties).
 * - b with unit k stride (a Linear layer's W.T): a workgroup of 64 per output column, its
 *   invocations taking k = lid, lid + 64, ... (adjacent k, adjacent addresses); the 64 partial
 *   sums of each row are added across each subgroup by shuffles (subgroupShuffleXor, where the
 *   adapter has subgroups), then the subgroups' sums (or, without subgroups, all 64) through
 *   workgroup memory.
 * - otherwise (W as stored): an invocation per output column, adjacent columns in adjacent
 *   invocations, k in order.
 */
function skinnyCode(p: SkinnyPlan): { code: string; kind: keyof typeof skinnyStats; groups: (N: number, nBatch: number) => number } {
  const { M, H, a, b, out, O } = p;
  const batchOffsets = `
  var offA = bitcast<i32>(md[4]);
  var offB = bitcast<i32>(md[5]);
  var rem = batch;
  for (var d = i32(md[3]) - 1; d >= 0; d--) {
    let dim = md[${H}u + u32(d)];
    let c = i32(rem % dim);
    rem = rem / dim;
    offA += c * bitcast<i32>(md[${H}u + md[3] + u32(d)]);
    offB += c * bitcast<i32>(md[${H}u + 2u * md[3] + u32(d)]);
  }
  let sam = bitcast<i32>(md[6]);
  let sak = bitcast<i32>(md[7]);
  let sbk = bitcast<i32>(md[8]);
  let sbn = bitcast<i32>(md[9]);`;
  const accumulate = (k: string) => `
      let bv = ${fromRaw(b.dtype, `rawB(offB + i32(${k}) * sbk + i32(j) * sbn)`)};
      for (var r = 0u; r < ${M}u; r++) {
        accs[r] = ffAdd_(accs[r], twoProd_(${fromRaw(a.dtype, `rawA(offA + i32(r) * sam + i32(${k}) * sak)`)}, bv));
      }`;
  const store = (i: string, sum: string) => `{
      let i = ${i};
      var acc = ${sum};
      acc = ${p.result};
      ${O}[batch * M * N + i * N + j] = ${toRaw('f32', { ...out.dtype, size: 4 } as typeof out.dtype, 'select(acc.x + acc.y, acc.x, acc.y == 0.0)')};
    }`;
  const head = `${p.loaders}
${FF}`;
  const common = `
  ONE_ = bitcast<f32>(md[10]);
  let M = md[0];
  let N = md[1];
  let K = md[2];
  let g = wid.x + wid.y * nw.x;`;
  if (!p.dot) {
    const code = `${head}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {${common}
  let tiles = (N + 63u) / 64u;
  let batch = g / tiles;
  let j = (g % tiles) * 64u + lid;
  if (batch >= md[11] || j >= N) { return; }${batchOffsets}
  var accs: array<vec2f, ${M}>;
  for (var k = 0u; k < K; k++) {${accumulate('k')}
  }
  for (var r = 0u; r < ${M}u; r++) ${store('r', 'accs[r]')}
}`;
    return { code, kind: 'columns', groups: (N, nBatch) => Math.ceil(N / 64) * nBatch };
  }
  const sg = p.subgroups;
  const code = `${head}
${splitKDecls(M, sg)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32${splitKBuiltins(sg)}) {${common}
  let batch = g / N;
  let j = g % N;
  let valid = batch < md[11];${batchOffsets}
  var accs: array<vec2f, ${M}>;
  if (valid) {
    for (var k = lid; k < K; k += 64u) {${accumulate('k')}
    }
  }${splitKReduce(M, sg)}
  if (valid && lid < ${M}u) {
    ${store('lid', 'sum')}
  }
}`;
  return { code, kind: sg ? 'dotSubgroup' : 'dotWorkgroup', groups: (N, nBatch) => N * nBatch };
}

/**
 * out = a @ b, or AddMM's alpha * (a @ b) + beta * c (c broadcast to out's shape) with one
 * rounding per element, as the reference: alpha and beta enter as float-float pairs.
 */
export function runMatmul(be: WebGPUBackend, a: ArrayData, b: ArrayData, out: ArrayData, addmm?: { c: ArrayData; alpha: number; beta: number }): boolean {
  const floats = ['float32', 'float16', 'bfloat16'];
  // complex64 (Matmul only): re and im accumulate in float-float as for real floats
  const cplx = [a, b, out, ...(addmm ? [addmm.c] : [])].every((d) => d.dtype.name === 'complex64');
  if (!cplx && ![a, b, out, ...(addmm ? [addmm.c] : [])].every((d) => floats.includes(d.dtype.name))) return false;
  const et = cplx ? 'vec2f' : 'f32';
  const nd = out.shape.length;
  const M = out.shape[nd - 2]!;
  const N = out.shape[nd - 1]!;
  const K = a.shape[nd - 1]!;
  const batchShape = out.shape.slice(0, nd - 2);
  const nBatch = batchShape.reduce((x, y) => x * y, 1);
  if (M * N * nBatch === 0) return true;
  const nb = batchShape.length;
  // [M, N, K, nb, offA, offB, sam, sak, sbk, sbn, 1.0f, nBatch, batch shape, A batch strides, B batch strides]
  const H = 12;
  const meta = new Uint32Array(H + 3 * nb);
  const i32 = new Int32Array(meta.buffer);
  meta.set([M, N, K, nb]);
  i32[4] = a.offset;
  i32[5] = b.offset;
  i32[6] = a.strides[nd - 2]!;
  i32[7] = a.strides[nd - 1]!;
  i32[8] = b.strides[nd - 2]!;
  i32[9] = b.strides[nd - 1]!;
  new Float32Array(meta.buffer)[10] = 1;
  meta[11] = nBatch;
  batchShape.forEach((s, d) => {
    meta[H + d] = s;
    i32[H + nb + d] = a.strides[d]!;
    i32[H + 2 * nb + d] = b.strides[d]!;
  });
  // AddMM: [c offset, alpha hi, alpha lo, beta hi, beta lo, out shape (nd), c strides (nd)]
  const C = H + 3 * nb;
  let metaAll = meta;
  if (addmm) {
    metaAll = new Uint32Array(C + 5 + 2 * nd);
    metaAll.set(meta);
    const ci = new Int32Array(metaAll.buffer);
    const cf = new Float32Array(metaAll.buffer);
    ci[C] = addmm.c.offset;
    const split = (v: number): [number, number] => [Math.fround(v), Math.fround(v - Math.fround(v))];
    [cf[C + 1], cf[C + 2]] = split(addmm.alpha);
    [cf[C + 3], cf[C + 4]] = split(addmm.beta);
    out.shape.forEach((s, d) => {
      metaAll[C + 5 + d] = s;
      ci[C + 5 + nd + d] = addmm.c.strides[d]!;
    });
  }
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind(addmm ? [a, b, target, addmm.c] : [a, b, target]);
    const O = names[2]!;
    const C_OFF = `
fn cOff(o: u32) -> i32 {
  var r = bitcast<i32>(md[${C}u]);
  var rem = o;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${C + 5}u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${C + 5 + nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
    const result = addmm
      ? `ffAdd_(ffMul_(acc, vec2f(bitcast<f32>(md[${C + 1}u]), bitcast<f32>(md[${C + 2}u]))), ffMul_(vec2f(bitcast<f32>(md[${C + 3}u]), bitcast<f32>(md[${C + 4}u])), vec2f(${fromRaw(addmm.c.dtype, 'rawC(cOff(batch * M * N + i * N + j))')}, 0.0)))`
      : 'acc';
    // past the skinny sizes: MLX's float32 accumulation, unless the backend is asked for exact dots
    if (!cplx && M > SKINNY_M && !be.exactMatmul) {
      const code = fastTiledCode({
        a, b, out, O, H, C: addmm ? C : null, cDtype: addmm?.c.dtype,
        loaders: `${rawLoader('rawA', names[0]!, a.dtype)}
${rawLoader('rawB', names[1]!, b.dtype)}
${addmm ? `${rawLoader('rawC', names[3]!, addmm.c.dtype)}
  ${C_OFF}` : ''}`,
      });
      fastStats.tiles++;
      be.dispatchGroups(helpersFor(code) + code, bindings, metaAll, tiledGroups(M, N, nBatch));
      return;
    }
    if (!cplx && M <= SKINNY_M) {
      const skinny = skinnyCode({ M, K, nb, H, dot: b.strides[nd - 2] === 1 && K > 1, subgroups: be.subgroups, a, b, out, O, result, loaders: `${rawLoader('rawA', names[0]!, a.dtype)}
${rawLoader('rawB', names[1]!, b.dtype)}
${addmm ? `${rawLoader('rawC', names[3]!, addmm.c.dtype)}
  ${C_OFF}` : ''}` });
      skinnyStats[skinny.kind]++;
      be.dispatchGroups(helpersFor(skinny.code) + skinny.code, bindings, metaAll, skinny.groups(N, nBatch));
      return;
    }
    const code = `
${rawLoader('rawA', names[0]!, a.dtype)}
${rawLoader('rawB', names[1]!, b.dtype)}
${addmm ? `${rawLoader('rawC', names[3]!, addmm.c.dtype)}
  ${C_OFF}` : ''}
var<workgroup> As: array<${et}, ${T * T}>;
var<workgroup> Bs: array<${et}, ${T * T}>;
${FF}
@compute @workgroup_size(${T}, ${T})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  ONE_ = bitcast<f32>(md[10]);
  let M = md[0];
  let N = md[1];
  let K = md[2];
  let nb = md[3];
  let g = wid.x + wid.y * nw.x;
  let tn = (N + ${T - 1}u) / ${T}u;
  let tm = (M + ${T - 1}u) / ${T}u;
  let batch = g / (tn * tm);
  let t = g % (tn * tm);
  let i = (t / tn) * ${T}u + lid.y;
  let j = (t % tn) * ${T}u + lid.x;
  let valid = batch < md[11];
  ${matmulOperands(H)}
  var acc = ${cplx ? 'vec4f(0.0)' : 'vec2f(0.0, 0.0)'};
  for (var k0 = 0u; k0 < K; k0 += ${T}u) {
    var av = ${et}(0.0);
    var bv = ${et}(0.0);
    if (valid && i < M && k0 + lid.x < K) { av = ${fromRaw(a.dtype, 'rawA(offA + i32(i) * sam + i32(k0 + lid.x) * sak)')}; }
    if (valid && j < N && k0 + lid.y < K) { bv = ${fromRaw(b.dtype, 'rawB(offB + i32(k0 + lid.y) * sbk + i32(j) * sbn)')}; }
    As[lid.y * ${T}u + lid.x] = av;
    Bs[lid.y * ${T}u + lid.x] = bv;
    workgroupBarrier();
    let kn = min(${T}u, K - k0);
    for (var kk = 0u; kk < kn; kk++) {
      ${
        cplx
          ? `let x = As[lid.y * ${T}u + kk];
      let y = Bs[kk * ${T}u + lid.x];
      acc = vec4f(ffAdd_(ffAdd_(acc.xy, twoProd_(x.x, y.x)), -twoProd_(x.y, y.y)), ffAdd_(ffAdd_(acc.zw, twoProd_(x.x, y.y)), twoProd_(x.y, y.x)));`
          : `acc = ffAdd_(acc, twoProd_(As[lid.y * ${T}u + kk], Bs[kk * ${T}u + lid.x]));`
      }
    }
    workgroupBarrier();
  }
  if (valid && i < M && j < N) {
    ${
      cplx
        ? `let o = batch * M * N + i * N + j;
    ${
      addmm
        ? `let al = vec2f(bitcast<f32>(md[${C + 1}u]), bitcast<f32>(md[${C + 2}u]));
    let be = vec2f(bitcast<f32>(md[${C + 3}u]), bitcast<f32>(md[${C + 4}u]));
    let cv = bitcast<vec2f>(rawC(cOff(o)));
    acc = vec4f(ffAdd_(ffMul_(acc.xy, al), ffMul_(be, vec2f(cv.x, 0.0))), ffAdd_(ffMul_(acc.zw, al), ffMul_(be, vec2f(cv.y, 0.0))));`
        : ''
    }
    ${O}[2u * o] = bitcast<u32>(select(acc.x + acc.y, acc.x, acc.y == 0.0));
    ${O}[2u * o + 1u] = bitcast<u32>(select(acc.z + acc.w, acc.z, acc.w == 0.0));`
        : `acc = ${result};
    ${O}[batch * M * N + i * N + j] = ${toRaw('f32', { ...out.dtype, size: 4, name: out.dtype.name, kind: out.dtype.kind } as typeof out.dtype, 'select(acc.x + acc.y, acc.x, acc.y == 0.0)')};`
    }
  }
}`;
    const tiles = Math.ceil(M / T) * Math.ceil(N / T) * nBatch;
    be.dispatchGroups(helpersFor(code) + code, bindings, metaAll, tiles);
  });
  return true;
}
