// RandomBits (threefry2x32, byte for byte the reference's and MLX's CPU layout), Arange and
// Concatenate.
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { perWord, rawLoader, toRaw, ctypeOf, helpersFor, roundToDtype, wide, wordsView } from './wgsl.js';

const OFF = (name: string, base: string, nd: number) => `
fn ${name}(e: u32) -> i32 {
  var r = bitcast<i32>(md[${base}]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${base} + 1u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${base} + 1u + ${nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;

export function runRandomBits(be: WebGPUBackend, keys: ArrayData, out: ArrayData): boolean {
  if (keys.dtype.name !== 'uint32') return false;
  const numKeys = keys.shape.reduce((a, b) => a * b, 1) / 2;
  const outSize = out.shape.reduce((a, b) => a * b, 1);
  if (numKeys === 0 || outSize === 0) return true;
  const totalBytes = out.dtype.size * outSize;
  const bytesPerKey = totalBytes / numKeys;
  const outSkip = Math.ceil(bytesPerKey / 4);
  const half = Math.floor(outSkip / 2);
  const odd = outSkip % 2;
  const nd = keys.shape.length;
  // [total bytes, bytes per key, half, odd, keys offset, keys shape, keys strides]
  const meta = new Uint32Array(5 + 2 * nd);
  const i32 = new Int32Array(meta.buffer);
  meta.set([totalBytes, bytesPerKey, half, odd]);
  i32[4] = keys.offset;
  keys.shape.forEach((s, d) => {
    meta[5 + d] = s;
    i32[5 + nd + d] = keys.strides[d]!;
  });
  const { bindings, names } = be.bind([keys, out]);
  const rounds = [
    [13, 15, 26, 6],
    [17, 29, 16, 24],
  ];
  const body: string[] = [];
  for (let i = 0; i < 5; i++) {
    for (const r of rounds[i % 2]!) body.push(`x0 = x0 + x1; x1 = (x1 << ${r}u) | (x1 >> ${32 - r}u); x1 = x1 ^ x0;`);
    body.push(`x0 = x0 + ks[${(i + 1) % 3}]; x1 = x1 + ks[${(i + 2) % 3}] + ${i + 1}u;`);
  }
  const code = `
${rawLoader('rawK', names[0]!, keys.dtype)}
${OFF('koff', '4u', nd)}
fn threefry(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2u {
  let ks = array<u32, 3>(k0, k1, k0 ^ k1 ^ 0x1bd11bdau);
  var x0 = c0 + ks[0];
  var x1 = c1 + ks[1];
  ${body.join('\n  ')}
  return vec2u(x0, x1);
}
// word \`loc\` of key i's block: counter pairs (j, j + half + odd) fill words j and j + half + odd
fn blockWord(i: u32, loc: u32) -> u32 {
  let k0 = rawK(koff(2u * i));
  let k1 = rawK(koff(2u * i + 1u));
  let half = md[2];
  let hp = half + md[3];
  if (loc < half) { return threefry(k0, k1, loc, loc + hp).x; }
  if (loc >= hp) { return threefry(k0, k1, loc - hp, loc).y; }
  return threefry(k0, k1, half, 0u).x;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = gid.x + gid.y * nw.x * 64u;
  let total = md[0];
  let bpk = md[1];
  if (4u * t >= total) { return; }
  var w = 0u;
  var lastKey = 0xffffffffu;
  var lastLoc = 0u;
  var word = 0u;
  for (var b = 0u; b < 4u; b++) {
    let g = 4u * t + b;
    if (g < total) {
      let i = g / bpk;
      let lb = g % bpk;
      let loc = lb / 4u;
      if (i != lastKey || loc != lastLoc) { word = blockWord(i, loc); lastKey = i; lastLoc = loc; }
      w |= ((word >> ((lb % 4u) * 8u)) & 0xffu) << (b * 8u);
    }
  }
  ${names[1]}[t] = w;
}`;
  be.dispatch(code, bindings, meta, Math.ceil(totalBytes / 4));
  return true;
}

/** A double rounded to nearest even with p significant bits, quanta no finer than 2^minQ, inf beyond max. */
function roundDouble(x: number, p: number, minQ: number, max: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const qe = Math.max(e - (p - 1), minQ);
  const q = a / 2 ** qe;
  const f = Math.floor(q);
  const r = q - f > 0.5 || (q - f === 0.5 && f % 2 === 1) ? f + 1 : f;
  const v = r * 2 ** qe;
  return Math.sign(x) * (v > max ? Infinity : v);
}
const CASTS: Record<string, (x: number) => number> = {
  float32: Math.fround,
  float16: (x) => roundDouble(x, 11, -24, 65504),
  bfloat16: (x) => roundDouble(x, 8, -133, 3.3895313892515355e38),
};

/**
 * Arange: integers as start + i * step (exact, wrapping); floats sequentially as the reference:
 * value = cast(start), step = cast(cast(start + step) - value), value = cast(value + step).
 */
export function runArange(be: WebGPUBackend, start: number, step: number, out: ArrayData): boolean {
  const d = out.dtype;
  const n = out.shape[0]!;
  if (n === 0) return true;
  const ct = ctypeOf(d);
  if (d.name === 'bool') return false;
  const { bindings, names } = be.bind([out]);
  const per = perWord(d);
  const meta = new Uint32Array(4);
  meta[0] = n;
  let code: string;
  if (ct === 'f32') {
    const cast = CASTS[d.name]!;
    const value = cast(start);
    const st = cast(cast(start + step) - value);
    // both are exact in f32; the f32 sum of two halves rounds to the half as the double would
    new Float32Array(meta.buffer).set([value, st], 1);
    const mask = d.size === 4 ? '0xffffffffu' : '0xffffu';
    code = `
@compute @workgroup_size(1)
fn main() {
  var v = bitcast<f32>(md[1]);
  let st = bitcast<f32>(md[2]);
  for (var i = 0u; i < md[0]; i++) {
    let wi = i / ${per}u;
    let sh = (i % ${per}u) * ${d.size * 8}u;
    ${names[0]}[wi] = (${names[0]}[wi] & ~(${mask} << sh)) | (${toRaw('f32', d, 'v')} << sh);
    v = ${roundToDtype(d, 'v + st')};
  }
}`;
    be.dispatchGroups(helpersFor(code) + code, bindings, meta, 1);
    return true;
  }
  if (wide(d)) {
    if (d.kind === 'c') return false;
    // int64/uint64: start + e * step in 64 bits (the reference's bigint sequence, wrapped)
    const b0 = BigInt(Math.trunc(start));
    const bs = BigInt(Math.trunc(start + step)) - b0;
    const words = (v: bigint) => [Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n))];
    const m = Uint32Array.from([n, ...words(b0), ...words(bs)]);
    const c = `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  let v = add64_(vec2u(md[1], md[2]), mul64_(vec2u(e, 0u), vec2u(md[3], md[4])));
  ${names[0]}[2u * e] = v.x;
  ${names[0]}[2u * e + 1u] = v.y;
}`;
    be.dispatch(helpersFor(c) + c, bindings, m, n);
    return true;
  }
  // integers: C casts truncate start and start + step; the sequence wraps in the dtype
  const s0 = Math.trunc(start);
  const st = Math.trunc(start + step) - s0;
  new Int32Array(meta.buffer).set([s0 | 0, st | 0], 1);
  const bits = d.size * 8;
  const shift = d.size === 4 ? '' : ` << (l * ${bits}u)`;
  code = `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = gid.x + gid.y * nw.x * 64u;
  let n = md[0];
  if (t * ${per}u >= n) { return; }
  var w = 0u;
  for (var l = 0u; l < ${per}u; l++) {
    let e = t * ${per}u + l;
    if (e < n) {
      let v = bitcast<i32>(md[1]) + i32(e) * bitcast<i32>(md[2]);
      w |= ${toRaw('i32', d, 'v')}${shift};
    }
  }
  ${names[0]}[t] = w;
}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, Math.ceil(n / per));
  return true;
}

/** Concatenate: each output element copied (raw bits) from the input whose slab holds it. */
export function runConcatenate(be: WebGPUBackend, axis: number, inputs: readonly ArrayData[], out: ArrayData): boolean {
  if (inputs.length + 2 > be.adapter.maxStorageBuffersPerShaderStage) return false;
  if (wide(out.dtype)) return runConcatenate(be, axis, inputs.map(wordsView), wordsView(out));
  const n = out.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return true;
  const nd = out.shape.length;
  const inner = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const total = out.shape[axis]!;
  const k = inputs.length;
  // [n, inner, total, per input: start along the axis, size, offset, shape (nd), strides (nd)]
  const B = 3;
  const W = 3 + 2 * nd;
  const meta = new Uint32Array(B + k * W);
  const i32 = new Int32Array(meta.buffer);
  meta.set([n, inner, total]);
  let start = 0;
  inputs.forEach((x, j) => {
    const b = B + j * W;
    meta[b] = start;
    meta[b + 1] = x.shape[axis]!;
    i32[b + 2] = x.offset;
    x.shape.forEach((s, d) => {
      meta[b + 3 + d] = s;
      i32[b + 3 + nd + d] = x.strides[d]!;
    });
    start += x.shape[axis]!;
  });
  const { bindings, names } = be.bind([...inputs, out]);
  const per = perWord(out.dtype);
  const bits = out.dtype.size * 8;
  const shift = out.dtype.size === 4 ? '' : ` << (l * ${bits}u)`;
  const loaders = inputs.map((x, j) => rawLoader(`raw${j}`, names[j]!, x.dtype));
  const cases = inputs
    .map((_x, j) => {
      const b = B + j * W;
      return `if (c >= md[${b}u] && c < md[${b}u] + md[${b + 1}u]) { return raw${j}(inOff(${b}u, (o * md[${b + 1}u] + (c - md[${b}u])) * inner + i)); }`;
    })
    .join('\n  ');
  const code = `
${loaders.join('\n')}
fn inOff(b: u32, e: u32) -> i32 {
  var r = bitcast<i32>(md[b + 2u]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[b + 3u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[b + 3u + ${nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}
fn element(e: u32) -> u32 {
  let inner = md[1];
  let i = e % inner;
  let c = (e / inner) % md[2];
  let o = e / (inner * md[2]);
  ${cases}
  return 0u;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = gid.x + gid.y * nw.x * 64u;
  let n = md[0];
  if (t * ${per}u >= n) { return; }
  var w = 0u;
  for (var l = 0u; l < ${per}u; l++) {
    let e = t * ${per}u + l;
    if (e < n) { w |= element(e)${shift}; }
  }
  ${names[k]}[t] = w;
}`;
  be.dispatch(code, bindings, meta, Math.ceil(n / per));
  return true;
}

/** NumberOfElements: the count of the reduced axes (or its reciprocal) in the output dtype. */
export function runNumberOfElements(be: WebGPUBackend, p: { axes: number[]; inverted: boolean }, x: ArrayData, out: ArrayData): boolean {
  let n = 1;
  for (const a of p.axes) n *= x.shape[a]!;
  const v = p.inverted ? 1 / n : n;
  const d = out.dtype;
  // the value goes in as f32: exact for counts below 2^24; a reciprocal rounded twice into a half could differ
  if ((d.name === 'float16' || d.name === 'bfloat16') && (p.inverted || n > 2 ** 24)) return false;
  const meta = new Uint32Array(2);
  new Float32Array(meta.buffer)[0] = v;
  new Int32Array(meta.buffer)[1] = Math.trunc(v) | 0;
  const { bindings, names } = be.bind([out]);
  if (wide(d)) {
    // a count (< 2^32) as int64/uint64, or a count or reciprocal (an f32 here, as for float32) as complex64
    if (d.kind === 'c' && n > 2 ** 24) return false;
    const raw = d.kind === 'c' ? toRaw('f32', d, 'bitcast<f32>(md[0])') : 'vec2u(md[1], 0u)';
    const c = `
@compute @workgroup_size(1)
fn main() {
  let r = ${raw};
  ${names[0]}[0] = r.x;
  ${names[0]}[1] = r.y;
}`;
    be.dispatchGroups(c, bindings, meta, 1);
    return true;
  }
  // bool: the double's truth (a reciprocal is true); ints: its truncation
  const ct = d.name === 'bool' ? 'f32' : ctypeOf(d);
  const value = ct === 'f32' ? 'bitcast<f32>(md[0])' : ct === 'u32' ? 'md[1]' : 'bitcast<i32>(md[1])';
  const mask = d.size === 4 ? '' : d.size === 2 ? ' & 0xffffu' : ' & 0xffu';
  const code = `
@compute @workgroup_size(1)
fn main() {
  let w = ${names[0]}[0];
  ${names[0]}[0] = (w & ~(0xffffffffu${mask})) | (${toRaw(ct, d, value)}${mask});
}`;
  be.dispatchGroups(helpersFor(code) + code, bindings, meta, 1);
  return true;
}
