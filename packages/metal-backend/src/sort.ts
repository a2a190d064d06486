// Sort, ArgSort, Partition, ArgPartition along one axis: each element's rank in its line is the
// number of elements that order before it (NaN last, ties by position: a stable sort, as the
// reference's), and it is written at that rank. n comparisons per element: simple and exact;
// Partition is the full sort, as in the reference.
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { ctypeOf, fromRaw, helpersFor, rawLoader, wide } from './wgsl.js';

export function runSort(be: WebGPUBackend, axis: number, indices: boolean, x: ArrayData, out: ArrayData): boolean {
  const total = x.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return true;
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const nd = x.shape.length;
  const meta = new Uint32Array(6 + 2 * nd);
  const i32 = new Int32Array(meta.buffer);
  meta.set([total, n, inner, nd]);
  i32[4] = x.offset;
  i32[5] = x.strides[axis]!;
  x.shape.forEach((s, d) => {
    meta[6 + d] = s;
    i32[6 + nd + d] = x.strides[d]!;
  });
  const ct = ctypeOf(x.dtype);
  const before =
    ct === 'f32'
      ? `fn before(a: f32, pa: u32, b: f32, pb: u32) -> bool {
  let na = isnan_(a);
  let nb = isnan_(b);
  if (na || nb) { return (na == nb && pa < pb) || (nb && !na); }
  return a < b || (a == b && pa < pb);
}`
      : ct === 'i64' || ct === 'u64'
        ? `fn before(a: vec2u, pa: u32, b: vec2u, pb: u32) -> bool { return ${ct === 'i64' ? 'slt64_' : 'ult64_'}(a, b) || (eq64_(a, b) && pa < pb); }`
        : ct === 'c64'
          ? // real parts first, then imaginary ones, each with NaN last
            `fn cmpf(a: f32, b: f32) -> i32 {
  let na = isnan_(a);
  let nb = isnan_(b);
  if (na || nb) { return select(select(-1, 1, na), 0, na == nb); }
  return select(select(0, 1, a > b), -1, a < b);
}
fn before(a: vec2f, pa: u32, b: vec2f, pb: u32) -> bool {
  var c = cmpf(a.x, b.x);
  if (c == 0) { c = cmpf(a.y, b.y); }
  return c < 0 || (c == 0 && pa < pb);
}`
          : `fn before(a: ${ct}, pa: u32, b: ${ct}, pb: u32) -> bool { return a < b || (a == b && pa < pb); }`;
  // 8-byte values: two words per element, written in place (indices are 32-bit)
  const pairs = wide(x.dtype) && !indices;
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([x, target]);
    const code = `
${rawLoader('raw0', names[0]!, x.dtype)}
${before}
fn off(e: u32) -> i32 {
  let nd = md[3];
  var r = bitcast<i32>(md[4]);
  var rem = e;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let dim = md[6u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[6u + nd + u32(d)]);
    rem = rem / dim;
  }
  return r;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  let n = md[1];
  let inner = md[2];
  let p = (e / inner) % n;
  let base = e - p * inner;
  let sa = bitcast<i32>(md[5]);
  let mine = off(e);
  let lineOff = mine - i32(p) * sa;
  let raw = raw0(mine);
  let v = ${fromRaw(x.dtype, 'raw')};
  var rank = 0u;
  for (var q = 0u; q < n; q++) {
    let w = ${fromRaw(x.dtype, 'raw0(lineOff + i32(q) * sa)')};
    if (before(w, q, v, p)) { rank += 1u; }
  }
  ${pairs ? `${names[1]}[2u * (base + rank * inner)] = raw.x;
  ${names[1]}[2u * (base + rank * inner) + 1u] = raw.y;` : `${names[1]}[base + rank * inner] = ${indices ? 'p' : 'raw'};`}
}`;
    be.dispatch(helpersFor(code) + code, bindings, meta, total);
  });
  return true;
}
