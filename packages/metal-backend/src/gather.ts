// Gather (MLX's gather with full slices on the other axes: take, fancy indexing) and GatherAxis
// (take_along_axis). Indices wrap once when negative; one still out of range can't throw inside
// a kernel, so the kernel records it in the backend's status buffer (and reads index 0 instead
// of outside the buffer), and the next read from the GPU throws the reference's RangeError.
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { helpersFor, indexValue, pairBroadcast, perWord, rawLoader, wide, wordsView } from './wgsl.js';

/** The ops whose index errors the status buffer reports, by code (the reference's names). */
export const INDEX_OPS = ['gather', 'take_along_axis', 'scatter', 'put_along_axis', 'masked_scatter'] as const;

/**
 * The WGSL functions validating one index (compute value v) against size; a bad one is recorded
 * as [1 (signed) or 2 (unsigned) + 4 * op code, value, axis, size].
 */
export function checkFn(st: string, op: (typeof INDEX_OPS)[number]): string {
  const code = 4 * INDEX_OPS.indexOf(op);
  return `
fn checkI(v: i32, size: i32, axis: u32) -> i32 {
  var w = v;
  if (w < 0) { w += size; }
  if (w < 0 || w >= size) { ${st}[1] = bitcast<u32>(v); ${st}[2] = axis; ${st}[3] = u32(size); ${st}[0] = ${code + 1}u; return 0; }
  return w;
}
fn checkU(v: u32, size: i32, axis: u32) -> i32 {
  if (v >= u32(size)) { ${st}[1] = v; ${st}[2] = axis; ${st}[3] = u32(size); ${st}[0] = ${code + 2}u; return 0; }
  return i32(v);
}`;
}

export function indexDtypeOk(d: ArrayData): boolean {
  return d.dtype.kind === 'i' || d.dtype.kind === 'u';
}

/** Per-word output loop shared by both kernels: `srcOff(e)` gives the source element offset. */
function outputLoop(per: number, size: number, outName: string): string {
  const shift = size === 4 ? '' : ` << (l * ${size * 8}u)`;
  const mask = size === 4 ? '' : size === 2 ? ' & 0xffffu' : ' & 0xffu';
  return `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = gid.x + gid.y * nw.x * 64u;
  let n = md[0];
  if (t * ${per}u >= n) { return; }
  var w = 0u;
  for (var l = 0u; l < ${per}u; l++) {
    let e = t * ${per}u + l;
    if (e < n) { w |= (raw0(srcOff(e))${mask})${shift}; }
  }
  ${outName}[t] = w;
}`;
}

export function runGather(be: WebGPUBackend, axes: readonly number[], inputs: readonly ArrayData[], out: ArrayData): boolean {
  const a = inputs[0]!;
  const idx = inputs.slice(1);
  if (!idx.every(indexDtypeOk)) return false;
  // 8-byte elements: gather their word pairs
  if (wide(a.dtype)) return runGather(be, axes, [wordsView(a), ...idx], wordsView(out));
  const n = out.shape.reduce((x, y) => x * y, 1);
  if (n === 0) return true;
  const aNd = a.shape.length;
  const nIdx = idx.length;
  const idxShape = idx[0]?.shape ?? [];
  const idxNd = idxShape.length;
  const sliceShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const ss = sliceShape.reduce((x, y) => x * y, 1);
  // [n, ss, aOff, aShape, aStrides, sliceShape, axes, idxShape, per index: offset, strides]
  const A = 3;
  const IDX = A + 3 * aNd + nIdx;
  const K = IDX + idxNd;
  const meta = new Uint32Array(K + nIdx * (1 + idxNd));
  const i32 = new Int32Array(meta.buffer);
  meta[0] = n;
  meta[1] = ss;
  i32[2] = a.offset;
  for (let d = 0; d < aNd; d++) {
    meta[A + d] = a.shape[d]!;
    i32[A + aNd + d] = a.strides[d]!;
    meta[A + 2 * aNd + d] = sliceShape[d]!;
  }
  axes.forEach((ax, k) => (meta[A + 3 * aNd + k] = ax));
  idxShape.forEach((s, d) => (meta[IDX + d] = s));
  idx.forEach((x, k) => {
    const b = K + k * (1 + idxNd);
    i32[b] = x.offset;
    x.strides.forEach((s, d) => (i32[b + 1 + d] = s));
  });
  const { bindings, names } = be.bind([a, ...idx, out, be.status]);
  const st = names[names.length - 1]!;
  const loaders = [rawLoader('raw0', names[0]!, a.dtype), ...idx.map((x, k) => rawLoader(`rawI${k}`, names[1 + k]!, x.dtype))];
  const idxFns = idx.map((x, k) => {
    const [v, sg] = indexValue(x.dtype, `rawI${k}(off)`);
    const check = `check${sg}(${v}, size, ax)`;
    return `
fn idx${k}(b: u32) -> i32 {
  let base = ${K + k * (1 + idxNd)}u;
  var off = bitcast<i32>(md[base]);
  var rem = b;
  for (var d = ${idxNd - 1}; d >= 0; d--) {
    let dim = md[${IDX}u + u32(d)];
    off += i32(rem % dim) * bitcast<i32>(md[base + 1u + u32(d)]);
    rem = rem / dim;
  }
  let ax = md[${A + 3 * aNd + k}u];
  let size = i32(md[${A}u + ax]);
  return ${check} * bitcast<i32>(md[${A + aNd}u + ax]);
}`;
  });
  const code = `
${loaders.join('\n')}
${checkFn(st, 'gather')}
${idxFns.join('\n')}
fn srcOff(e: u32) -> i32 {
  let b = e / md[1];
  var j = e % md[1];
  var off = bitcast<i32>(md[2]);
  ${idx.map((_x, k) => `off += idx${k}(b);`).join('\n  ')}
  for (var d = ${aNd - 1}; d >= 0; d--) {
    let dim = md[${A + 2 * aNd}u + u32(d)];
    off += i32(j % dim) * bitcast<i32>(md[${A + aNd}u + u32(d)]);
    j = j / dim;
  }
  return off;
}
${outputLoop(perWord(out.dtype), out.dtype.size, names[1 + nIdx]!)}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, Math.ceil(n / perWord(out.dtype)));
  be.statusDirty = true;
  return true;
}

export function runGatherAxis(be: WebGPUBackend, axis: number, x: ArrayData, idx: ArrayData, out: ArrayData): boolean {
  if (!indexDtypeOk(idx)) return false;
  if (wide(x.dtype)) return runGatherAxis(be, axis, wordsView(x), pairBroadcast(idx), wordsView(out));
  const n = out.shape.reduce((p, q) => p * q, 1);
  if (n === 0) return true;
  const nd = idx.shape.length;
  // [n, axis, xOff, idxOff, axis size, idx shape, x strides, idx strides]
  const H = 5;
  const meta = new Uint32Array(H + 3 * nd);
  const i32 = new Int32Array(meta.buffer);
  meta.set([n, axis]);
  i32[2] = x.offset;
  i32[3] = idx.offset;
  meta[4] = x.shape[axis]!;
  for (let d = 0; d < nd; d++) {
    meta[H + d] = idx.shape[d]!;
    i32[H + nd + d] = x.strides[d]!;
    i32[H + 2 * nd + d] = idx.strides[d]!;
  }
  const { bindings, names } = be.bind([x, idx, out, be.status]);
  const [v, sg] = indexValue(idx.dtype, 'rawI(ioff)');
  const check = `check${sg}(${v}, i32(md[4]), md[1])`;
  const code = `
${rawLoader('raw0', names[0]!, x.dtype)}
${rawLoader('rawI', names[1]!, idx.dtype)}
${checkFn(names[3]!, 'take_along_axis')}
fn srcOff(e: u32) -> i32 {
  var off = bitcast<i32>(md[2]);
  var ioff = bitcast<i32>(md[3]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${H}u + u32(d)];
    let c = i32(rem % dim);
    rem = rem / dim;
    ioff += c * bitcast<i32>(md[${H + 2 * nd}u + u32(d)]);
    if (u32(d) != md[1]) { off += c * bitcast<i32>(md[${H + nd}u + u32(d)]); }
  }
  return off + ${check} * bitcast<i32>(md[${H + nd}u + md[1]]);
}
${outputLoop(perWord(out.dtype), out.dtype.size, names[2]!)}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, Math.ceil(n / perWord(out.dtype)));
  be.statusDirty = true;
  return true;
}
