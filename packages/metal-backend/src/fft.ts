// FFT (MLX's FFT primitive: axes, inverse, real, oddOut) as one pass per transformed axis, in
// the reference's order: a real forward transform does its real (last) axis first, a real
// inverse its real axis last, intermediates are complex64 buffers. Powers of two from 32 on take
// Stockham's radix-2 passes (O(n log n)); other lengths a direct DFT per output element (O(n²)
// per line: fine for short lengths, slow for long odd ones; Bluestein through the radix-2 path is
// still to come). Both work in float-float: the twiddles come from a host table computed in
// float64 and split into hi + lo f32, products and sums carry about 48 bits, and each pass rounds
// once (after the inverse's 1/N, also in float-float). So each pass is correctly rounded up to
// about n 2^-46 ‖x‖₁, and the result is within (passes + 1) eps32 ‖y‖₂ of the reference (eps32 =
// 2^-24, y the exact transform): no log n or n factor (measured: at most 0.37 eps32 ‖y‖₂).
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { FF } from './reduce.js';
import { helpersFor } from './wgsl.js';

type Mode = 'c2c' | 'r2c' | 'c2r';

/** e^{2πi j/n}: exact at quarter turns, conj-symmetric (the angle is reduced to an eighth turn). */
function turn(j: number, n: number): [number, number] {
  j %= n;
  if (j < 0) j += n;
  const q = Math.floor((4 * j) / n);
  const r = 4 * j - q * n;
  let c: number;
  let s: number;
  if (r === 0) [c, s] = [1, 0];
  else if (2 * r <= n) [c, s] = [Math.cos((Math.PI / 2) * (r / n)), Math.sin((Math.PI / 2) * (r / n))];
  else [s, c] = [Math.cos((Math.PI / 2) * ((n - r) / n)), Math.sin((Math.PI / 2) * ((n - r) / n))];
  return q === 0 ? [c, s] : q === 1 ? [-s, c] : q === 2 ? [-c, -s] : [s, -c];
}

/** A double as [hi, lo] f32 words (hi + lo within 2^-48 relative). */
function split(v: number): [number, number] {
  const hi = Math.fround(v);
  return [hi, Math.fround(v - hi)];
}

const tables = new Map<number, Float32Array>();
/** e^{-2πi t/n}, t < n, as (cos hi, cos lo, sin hi, sin lo); the last few lengths are kept. */
function twiddles(n: number): Float32Array {
  let t = tables.get(n);
  if (t) return t;
  t = new Float32Array(4 * n);
  for (let j = 0; j < n; j++) {
    const [c, s] = turn(-j, n);
    t.set([...split(c), ...split(s)], 4 * j);
  }
  if (tables.size >= 16) tables.clear();
  tables.set(n, t);
  return t;
}

const C64 = { name: 'complex64', size: 8, kind: 'c' } as unknown as Dtype;

/**
 * One pass along `axis`: out (contiguous, complex64, or float32 for c2r) from x (any strides;
 * float32 for r2c), transform length n, scaled by `scale` (rounded with the result).
 */
function pass(be: WebGPUBackend, mode: Mode, inverse: boolean, axis: number, n: number, scale: number, x: ArrayData, out: ArrayData): void {
  if (n >= STOCKHAM_MIN && (n & (n - 1)) === 0) return stockham(be, mode, inverse, axis, n, scale, x, out);
  const total = out.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const nd = out.shape.length;
  const nOut = out.shape[axis]!;
  const nIn = x.shape[axis]!;
  const inner = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  // [total, n, nOut, inner, nIn, axis, scale hi, scale lo, 1.0f, offset, in stride along the axis, out shape (nd), in strides (nd)]
  const H = 11;
  const meta = new Uint32Array(H + 2 * nd);
  const i32 = new Int32Array(meta.buffer);
  const f32 = new Float32Array(meta.buffer);
  meta.set([total, n, nOut, inner, nIn, axis]);
  [f32[6], f32[7]] = split(scale);
  f32[8] = 1;
  i32[9] = x.offset;
  i32[10] = x.strides[axis]!;
  out.shape.forEach((s, d) => {
    meta[H + d] = s;
    i32[H + nd + d] = d === axis ? 0 : x.strides[d]!;
  });
  const tw = be.allocate(16 * n);
  try {
    const t = twiddles(n);
    be.write(tw, 0, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
    const { bindings, names } = be.bind([x, out, tw]);
    const [X, O, W] = names as [string, string, string];
    const cplxIn = mode !== 'r2c';
    // element j of the (conceptual) length-n input line: c2r rebuilds the Hermitian spectrum
    // from bins 0..n/2 (DC's and Nyquist's imaginary parts dropped), as the reference
    const load = cplxIn
      ? `fn ld(o: i32) -> vec2f { return vec2f(bitcast<f32>(${X}[2u * u32(o)]), bitcast<f32>(${X}[2u * u32(o) + 1u])); }`
      : `fn ld(o: i32) -> vec2f { return vec2f(bitcast<f32>(${X}[u32(o)]), 0.0); }`;
    const element =
      mode === 'c2r'
        ? `
fn elem(base: i32, j: u32) -> vec2f {
  let n = md[1];
  let h = n / 2u;
  let k = select(j, n - j, j > h);
  if (k >= md[4]) { return vec2f(0.0); }
  var v = ld(base + i32(k) * bitcast<i32>(md[10]));
  if (k == 0u || (n % 2u == 0u && k == h)) { v.y = 0.0; }
  return select(v, vec2f(v.x, -v.y), j > h);
}`
        : `
fn elem(base: i32, j: u32) -> vec2f {
  if (j >= md[4]) { return vec2f(0.0); }
  return ld(base + i32(j) * bitcast<i32>(md[10]));
}`;
    const store =
      mode === 'c2r'
        ? `${O}[e] = bitcast<u32>(select(re.x + re.y, re.x, re.y == 0.0));`
        : `${O}[2u * e] = bitcast<u32>(select(re.x + re.y, re.x, re.y == 0.0));
  ${O}[2u * e + 1u] = bitcast<u32>(select(im.x + im.y, im.x, im.y == 0.0));`;
    const code = `
${FF}
${load}
${element}
fn lineBase(e: u32) -> i32 {
  let nd = ${nd}u;
  var r = bitcast<i32>(md[9]);
  var rem = e;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let dim = md[${H}u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${H}u + nd + u32(d)]);
    rem = rem / dim;
  }
  return r;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  ONE_ = bitcast<f32>(md[8]);
  let n = md[1];
  let k = (e / md[3]) % md[2];
  let base = lineBase(e);
  var re = vec2f(0.0);
  var im = vec2f(0.0);
  var t = 0u;
  for (var j = 0u; j < n; j++) {
    let v = elem(base, j);
    let w = vec4f(bitcast<f32>(${W}[4u * t]), bitcast<f32>(${W}[4u * t + 1u]), bitcast<f32>(${W}[4u * t + 2u]), bitcast<f32>(${W}[4u * t + 3u]));
    let c = w.xy;
    let s = ${inverse ? '-w.zw' : 'w.zw'};
    // (v.x + i v.y)(c + i s)
    let xr = vec2f(v.x, 0.0);
    let xi = vec2f(v.y, 0.0);
    re = ffAdd_(re, ffAdd_(ffMul_(xr, c), -ffMul_(xi, s)));
    ${mode === 'c2r' ? '' : 'im = ffAdd_(im, ffAdd_(ffMul_(xr, s), ffMul_(xi, c)));'}
    t += k;
    if (t >= n) { t -= n; }
  }
  let sc = vec2f(bitcast<f32>(md[6]), bitcast<f32>(md[7]));
  re = ffMul_(re, sc);
  im = ffMul_(im, sc);
  ${store}
}`;
    be.dispatch(helpersFor(code) + code, bindings, meta, total);
  } finally {
    tw.released = true;
    be.release(tw);
  }
}

export function runFFT(be: WebGPUBackend, p: { axes: number[]; inverse: boolean; real: boolean }, x: ArrayData, out: ArrayData): boolean {
  const { axes, inverse, real } = p;
  if (out.shape.reduce((a, b) => a * b, 1) === 0) return true;
  if (x.dtype.name !== (real && !inverse ? 'float32' : 'complex64')) return false;
  const realAxis = axes[axes.length - 1]!;
  // the passes in the reference's order: [mode, axis, transform length]
  const steps: [Mode, number, number][] = [];
  if (real && !inverse) steps.push(['r2c', realAxis, x.shape[realAxis]!]);
  for (const ax of real ? axes.slice(0, -1) : axes) steps.push(['c2c', ax, x.shape[ax]!]);
  if (real && inverse) steps.push(['c2r', realAxis, out.shape[realAxis]!]);
  let scale = 1;
  if (inverse) for (const ax of axes) scale /= (real ? out.shape : x.shape)[ax]!;
  let cur = x;
  const temps: ArrayData[] = [];
  try {
    steps.forEach(([mode, ax, n], i) => {
      const last = i === steps.length - 1;
      const shape = [...cur.shape];
      shape[ax] = mode === 'r2c' ? Math.floor(n / 2) + 1 : n;
      let dst = out;
      if (!last) {
        const count = shape.reduce((a, b) => a * b, 1);
        const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
        dst = { storage: be.allocate(8 * count), dtype: C64, shape, strides, offset: 0 };
        temps.push(dst);
      }
      pass(be, mode, inverse, ax, n, last ? scale : 1, cur, dst);
      cur = dst;
    });
  } finally {
    for (const t of temps) {
      t.storage.released = true;
      be.release(t.storage);
    }
  }
  return true;
}

/** Powers of two from this length on take log2(n) radix-2 passes instead of the direct sum. */
const STOCKHAM_MIN = 32;

/** Meta words and WGSL shared by the Stockham kernels: the line layout and element loads of `pass`. */
function lineCode(mode: Mode, axis: number, x: ArrayData, out: ArrayData, X: string): { meta: Uint32Array; code: string } {
  const nd = out.shape.length;
  const nOut = out.shape[axis]!;
  const inner = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const total = out.shape.reduce((a, b) => a * b, 1);
  // [total, lines, nOut, inner, nIn, axis, -, -, 1.0f, offset, in stride along the axis, out shape, in strides]
  const H = 11;
  const meta = new Uint32Array(H + 2 * nd);
  const i32 = new Int32Array(meta.buffer);
  new Float32Array(meta.buffer)[8] = 1;
  meta.set([total, total / nOut, nOut, inner, x.shape[axis]!, axis]);
  i32[9] = x.offset;
  i32[10] = x.strides[axis]!;
  out.shape.forEach((s, d) => {
    meta[H + d] = s;
    i32[H + nd + d] = d === axis ? 0 : x.strides[d]!;
  });
  const load =
    mode !== 'r2c'
      ? `fn ld(o: i32) -> vec2f { return vec2f(bitcast<f32>(${X}[2u * u32(o)]), bitcast<f32>(${X}[2u * u32(o) + 1u])); }`
      : `fn ld(o: i32) -> vec2f { return vec2f(bitcast<f32>(${X}[u32(o)]), 0.0); }`;
  const code = `
${load}
fn lineBase(e: u32) -> i32 {
  var r = bitcast<i32>(md[9]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${H}u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${H}u + ${nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
  return { meta, code };
}

/**
 * Stockham's radix-2 FFT for n = 2^k: a load into float-float lines (vec4f: re hi, re lo, im hi,
 * im lo; c2r rebuilds the Hermitian line), k butterfly passes between two such buffers (natural
 * order out, no bit reversal), and a store rounding once. Every butterfly is in float-float with
 * float-float twiddles, so the result keeps the direct pass's bound.
 */
function stockham(be: WebGPUBackend, mode: Mode, inverse: boolean, axis: number, n: number, scale: number, x: ArrayData, out: ArrayData): void {
  const total = out.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const lines = total / out.shape[axis]!;
  const bufs = [be.allocate(16 * lines * n), be.allocate(16 * lines * n)];
  const tw = be.allocate(16 * n);
  try {
    const t = twiddles(n);
    be.write(tw, 0, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
    // load: line l (outer o, inner i) element j into bufs[0][l n + j]
    {
      const { bindings, names } = be.bind([x, bufs[0]!]);
      const [X, A] = names as [string, string];
      const { meta, code: shared } = lineCode(mode, axis, x, out, X);
      const elem =
        mode === 'c2r'
          ? `let h = n / 2u;
  let k = select(j, n - j, j > h);
  var v = vec2f(0.0);
  if (k < md[4]) { v = ld(base + i32(k) * bitcast<i32>(md[10])); }
  if (k == 0u || k == h) { v.y = 0.0; }
  if (j > h) { v.y = -v.y; }`
          : `var v = vec2f(0.0);
  if (j < md[4]) { v = ld(base + i32(j) * bitcast<i32>(md[10])); }`;
      const code = `${shared}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let g = gid.x + gid.y * nw.x * 64u;
  let n = ${n}u;
  if (g >= md[1] * n) { return; }
  let l = g / n;
  let j = g % n;
  let inner = md[3];
  let base = lineBase((l / inner) * md[2] * inner + l % inner);
  ${elem}
  let w = 4u * g;
  ${A}[w] = bitcast<u32>(v.x);
  ${A}[w + 1u] = 0u;
  ${A}[w + 2u] = bitcast<u32>(v.y);
  ${A}[w + 3u] = 0u;
}`;
      be.dispatch(helpersFor(code) + code, bindings, meta, lines * n);
    }
    // butterflies: half-size m = 1, 2, ..., n/2
    let src = 0;
    for (let m = 1; m < n; m *= 2) {
      const { bindings, names } = be.bind([bufs[src]!, bufs[1 - src]!, tw]);
      const [A, B, W] = names as [string, string, string];
      const meta = new Uint32Array(4);
      meta.set([lines, m, n / (2 * m)]);
      new Float32Array(meta.buffer)[3] = 1;
      const code = `
${FF}
fn rd(i: u32) -> vec4f { return vec4f(bitcast<f32>(${A}[4u * i]), bitcast<f32>(${A}[4u * i + 1u]), bitcast<f32>(${A}[4u * i + 2u]), bitcast<f32>(${A}[4u * i + 3u])); }
fn wr(i: u32, v: vec4f) { ${B}[4u * i] = bitcast<u32>(v.x); ${B}[4u * i + 1u] = bitcast<u32>(v.y); ${B}[4u * i + 2u] = bitcast<u32>(v.z); ${B}[4u * i + 3u] = bitcast<u32>(v.w); }
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let g = gid.x + gid.y * nw.x * 64u;
  let n = ${n}u;
  let h = n / 2u;
  if (g >= md[0] * h) { return; }
  ONE_ = bitcast<f32>(md[3]);
  let m = md[1];
  let l = (g / h) * n;
  let j = g % h;
  let k = j & (m - 1u);
  let t = k * md[2];
  let c = vec2f(bitcast<f32>(${W}[4u * t]), bitcast<f32>(${W}[4u * t + 1u]));
  let s = ${inverse ? '-' : ''}vec2f(bitcast<f32>(${W}[4u * t + 2u]), bitcast<f32>(${W}[4u * t + 3u]));
  let a = rd(l + j);
  let b = rd(l + j + h);
  // w b, then a +- w b, all in float-float
  let wr_ = ffAdd_(ffMul_(c, b.xy), -ffMul_(s, b.zw));
  let wi_ = ffAdd_(ffMul_(c, b.zw), ffMul_(s, b.xy));
  let o = l + (j - k) * 2u + k;
  wr(o, vec4f(ffAdd_(a.xy, wr_), ffAdd_(a.zw, wi_)));
  wr(o + m, vec4f(ffAdd_(a.xy, -wr_), ffAdd_(a.zw, -wi_)));
}`;
      be.dispatch(helpersFor(code) + code, bindings, meta, lines * (n / 2));
      src = 1 - src;
    }
    // store: output element e is element k of line l, scaled, rounded once
    {
      const { bindings, names } = be.bind([bufs[src]!, out]);
      const [A, O] = names as [string, string];
      const meta = new Uint32Array(6);
      const f32 = new Float32Array(meta.buffer);
      meta.set([total, out.shape[axis]!, out.shape.slice(axis + 1).reduce((a, b) => a * b, 1)]);
      [f32[3], f32[4]] = split(scale);
      f32[5] = 1;
      const store =
        mode === 'c2r'
          ? `${O}[e] = bitcast<u32>(select(re.x + re.y, re.x, re.y == 0.0));`
          : `${O}[2u * e] = bitcast<u32>(select(re.x + re.y, re.x, re.y == 0.0));
  ${O}[2u * e + 1u] = bitcast<u32>(select(im.x + im.y, im.x, im.y == 0.0));`;
      const code = `
${FF}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  ONE_ = bitcast<f32>(md[5]);
  let nOut = md[1];
  let inner = md[2];
  let k = (e / inner) % nOut;
  let l = (e / (inner * nOut)) * inner + e % inner;
  let i = 4u * (l * ${n}u + k);
  let sc = vec2f(bitcast<f32>(md[3]), bitcast<f32>(md[4]));
  let re = ffMul_(vec2f(bitcast<f32>(${A}[i]), bitcast<f32>(${A}[i + 1u])), sc);
  let im = ffMul_(vec2f(bitcast<f32>(${A}[i + 2u]), bitcast<f32>(${A}[i + 3u])), sc);
  ${store}
}`;
      be.dispatch(helpersFor(code) + code, bindings, meta, total);
    }
  } finally {
    for (const b of [...bufs, tw]) {
      b.released = true;
      be.release(b);
    }
  }
}
