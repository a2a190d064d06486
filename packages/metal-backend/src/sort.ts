// Sort, ArgSort, Partition, ArgPartition along one axis, in the order `before` defines: NaN
// last, ties by position (a strict total order over (value, position): a stable sort, as the
// reference's). Lines of up to BLOCK elements: each element's rank in its line is the number of
// elements that order before it, and it is written at that rank (n comparisons per element).
// Longer lines (a vocabulary's logits for top-p sampling): the same ranks within blocks of
// BLOCK, then merge passes that double the sorted runs, each element finding its place in the
// partner run by binary search (log n comparisons), so O(n log^2 n) in all instead of n^2.
// Partition is the full sort, as in the reference.
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { ctypeOf, fromRaw, helpersFor, rawLoader, wide } from './wgsl.js';
import { offsetFn } from './matmul-variants.js';

/** Lines longer than this take the block sort and merge passes. */
export const BLOCK = 256;
/** @internal (tests) merge passes dispatched */
export const sortStats = { mergePasses: 0 };

export function runSort(be: WebGPUBackend, axis: number, indices: boolean, x: ArrayData, out: ArrayData): boolean {
  const total = x.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return true;
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const nd = x.shape.length;
  const meta = new Uint32Array(6 + 2 * nd);
  const i32 = new Int32Array(meta.buffer);
  meta.set([total, n, inner, nd]);
  // [total, n, inner, nd, the axis' stride, offset, shape, strides]: offsetFn's layout from word 5
  i32[4] = x.strides[axis]!;
  i32[5] = x.offset;
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
  if (n > BLOCK) return mergeSort(be, { indices, x, out, meta, before, n, inner, total, pairs });
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([x, target]);
    const code = `
${rawLoader('raw0', names[0]!, x.dtype)}
${before}
${offsetFn('off', 5, nd)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  let n = md[1];
  let inner = md[2];
  let p = (e / inner) % n;
  let base = e - p * inner;
  let sa = bitcast<i32>(md[4]);
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

interface Long {
  indices: boolean;
  x: ArrayData;
  out: ArrayData;
  meta: Uint32Array;
  before: string;
  n: number;
  inner: number;
  total: number;
  pairs: boolean;
}

/**
 * Lines longer than BLOCK: keys (x's raw words) and positions in line-major scratch buffers,
 * ranked within blocks of BLOCK, merged in passes of doubling width (ping-pong), then written to
 * the output along the axis.
 */
function mergeSort(be: WebGPUBackend, p: Long): boolean {
  const { x, n, inner, total } = p;
  const nd = x.shape.length;
  const kw = wide(x.dtype) ? 2 : 1; // key words per element
  const keyOf = (buf: string, i: string) => (kw === 2 ? `vec2u(${buf}[2u * (${i})], ${buf}[2u * (${i}) + 1u])` : `${buf}[${i}]`);
  const putKey = (buf: string, i: string, v: string) => (kw === 2 ? `${buf}[2u * (${i})] = ${v}.x;\n  ${buf}[2u * (${i}) + 1u] = ${v}.y;` : `${buf}[${i}] = ${v};`);
  const keys = [be.allocate(4 * kw * total), be.allocate(4 * kw * total)];
  const pos = [be.allocate(4 * total), be.allocate(4 * total)];
  const extra = (w: number) => {
    const m = new Uint32Array(p.meta.length + 1);
    m.set(p.meta);
    m[p.meta.length] = w;
    return m;
  };
  const W = p.meta.length; // the pass's run width, after the layout words
  const MAIN = `@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  let n = md[1];
  let inner = md[2];`;
  try {
    // 1. ranks within blocks: element (outer, p, in) goes to line outer * inner + in, slot p's block start + rank
    {
      const { bindings, names } = be.bind([x, keys[0]!, pos[0]!]);
      const code = `
${rawLoader('raw0', names[0]!, x.dtype)}
${p.before}
${offsetFn('off', 5, nd)}
${MAIN}
  let p = (e / inner) % n;
  let line = (e / (n * inner)) * inner + e % inner;
  let sa = bitcast<i32>(md[4]);
  let mine = off(e);
  let lineOff = mine - i32(p) * sa;
  let raw = raw0(mine);
  let v = ${fromRaw(x.dtype, 'raw')};
  let blk0 = (p / ${BLOCK}u) * ${BLOCK}u;
  let blk1 = min(blk0 + ${BLOCK}u, n);
  var rank = 0u;
  for (var q = blk0; q < blk1; q++) {
    if (before(${fromRaw(x.dtype, 'raw0(lineOff + i32(q) * sa)')}, q, v, p)) { rank += 1u; }
  }
  let at = line * n + blk0 + rank;
  ${putKey(names[1]!, 'at', 'raw')}
  ${names[2]}[at] = p;
}`;
      be.dispatch(helpersFor(code) + code, bindings, p.meta.slice(), total);
    }
    // 2. merge passes: runs of w elements, pairwise, into runs of 2w
    let src = 0;
    for (let w = BLOCK; w < n; w *= 2) {
      const { bindings, names } = be.bind([keys[src]!, pos[src]!, keys[1 - src]!, pos[1 - src]!]);
      const [K0, P0, K1, P1] = names as [string, string, string, string];
      const code = `
${p.before}
${MAIN}
  let w = md[${W}u];
  let line = e / n;
  let t = e % n;
  let base = line * n;
  let start = (t / (2u * w)) * 2u * w;
  let left = t < start + w;
  let own = select(t - start - w, t - start, left);
  let ps = select(start, start + w, left);
  let pe = select(start + w, min(start + 2u * w, n), left);
  let k = ${keyOf(K0, 'base + t')};
  let v = ${fromRaw(x.dtype, 'k')};
  let pv = ${P0}[base + t];
  // partner elements that order before this one (the order is total: no two compare equal)
  var lo = ps;
  var hi = max(pe, ps);
  loop {
    if (lo >= hi) { break; }
    let mid = (lo + hi) / 2u;
    if (before(${fromRaw(x.dtype, keyOf(K0, 'base + mid'))}, ${P0}[base + mid], v, pv)) { lo = mid + 1u; } else { hi = mid; }
  }
  let at = base + start + own + (lo - ps);
  ${putKey(K1, 'at', 'k')}
  ${P1}[at] = pv;
}`;
      sortStats.mergePasses++;
      be.dispatch(helpersFor(code) + code, bindings, extra(w), total);
      src = 1 - src;
    }
    // 3. out along the axis: the keys (values) or the positions (indices)
    writeWords(be, p.out, (target) => {
      const { bindings, names } = be.bind([keys[src]!, pos[src]!, target]);
      const O = names[2]!;
      const code = `
${MAIN}
  let line = e / n;
  let t = e % n;
  let o = ((line / inner) * n + t) * inner + line % inner;
  ${p.indices ? `${O}[o] = ${names[1]}[e];` : p.pairs ? `${O}[2u * o] = ${names[0]}[2u * e];\n  ${O}[2u * o + 1u] = ${names[0]}[2u * e + 1u];` : `${O}[o] = ${names[0]}[e];`}
}`;
      be.dispatch(helpersFor(code) + code, bindings, p.meta.slice(), total);
    });
  } finally {
    for (const st of [...keys, ...pos]) {
      st.released = true;
      be.release(st);
    }
  }
  return true;
}
