// FFT (MLX's FFT primitive: axes, inverse, real, oddOut) as one pass per transformed axis, in
// the reference's order: a real forward transform does its real (last) axis first, a real
// inverse its real axis last, intermediates are complex64 buffers. Powers of two from 32 on take
// Stockham's radix-2 passes, other lengths past 96 Bluestein's chirp-z through those passes (both
// O(n log n)), short lengths a direct DFT per output element. All work in float-float: twiddles,
// chirps and Bluestein's kernel come from host tables computed in float64 and split into hi + lo
// f32, products and sums carry about 48 bits, and each pass rounds once (after the inverse's 1/N,
// also in float-float). So each pass is correctly rounded up to about n 2^-46 ‖x‖₁, and the
// result is within (passes + 1) eps32 ‖y‖₂ of the reference (eps32 = 2^-24, y the exact
// transform): no log n or n factor (measured: at most 0.37 eps32 ‖y‖₂, over three passes).
import type { ArrayData, Dtype, Storage } from '@mlx-ts/core';
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
  if (n > BLUESTEIN_MIN && (n & (n - 1)) !== 0) return bluestein(be, mode, inverse, axis, n, scale, x, out);
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

/** A host table of complex doubles as float-float words (re hi, re lo, im hi, im lo). */
function ffTable(re: Float64Array, im: Float64Array): Float32Array {
  const t = new Float32Array(4 * re.length);
  for (let j = 0; j < re.length; j++) t.set([...split(re[j]!), ...split(im[j]!)], 4 * j);
  return t;
}

/** The float-float twiddles, or another host table, in a fresh GPU buffer. */
function upload(be: WebGPUBackend, t: Float32Array): Storage {
  const st = be.allocate(t.byteLength);
  be.write(st, 0, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
  return st;
}

const RW = (A: string, B: string) => `
fn rd(i: u32) -> vec4f { return vec4f(bitcast<f32>(${A}[4u * i]), bitcast<f32>(${A}[4u * i + 1u]), bitcast<f32>(${A}[4u * i + 2u]), bitcast<f32>(${A}[4u * i + 3u])); }
fn wr(i: u32, v: vec4f) { ${B}[4u * i] = bitcast<u32>(v.x); ${B}[4u * i + 1u] = bitcast<u32>(v.y); ${B}[4u * i + 2u] = bitcast<u32>(v.z); ${B}[4u * i + 3u] = bitcast<u32>(v.w); }`;
// complex float-float product (re ff, im ff) x (re ff, im ff)
const CFF = `
fn cff_(a: vec4f, b: vec4f) -> vec4f {
  return vec4f(ffAdd_(ffMul_(a.xy, b.xy), -ffMul_(a.zw, b.zw)), ffAdd_(ffMul_(a.xy, b.zw), ffMul_(a.zw, b.xy)));
}`;

/**
 * Loads each transformed line into float-float complex lines of length m (zero past n), times
 * a float-float table (Bluestein's chirp) when given; c2r rebuilds the Hermitian line of n.
 */
function loadLines(be: WebGPUBackend, mode: Mode, axis: number, n: number, m: number, x: ArrayData, out: ArrayData, dst: Storage, chirp: Storage | null): number {
  const total = out.shape.reduce((a, b) => a * b, 1);
  const lines = total / out.shape[axis]!;
  const { bindings, names } = be.bind(chirp ? [x, dst, chirp] : [x, dst]);
  const [X, A, C] = names as [string, string, string];
  const { meta, code: shared } = lineCode(mode, axis, x, out, X);
  const elem =
    mode === 'c2r'
      ? `let h = n / 2u;
  let k = select(j, n - j, j > h);
  if (k < md[4]) { v = ld(base + i32(k) * bitcast<i32>(md[10])); }
  if (k == 0u || (n % 2u == 0u && k == h)) { v.y = 0.0; }
  if (j > h) { v.y = -v.y; }`
      : `if (j < md[4]) { v = ld(base + i32(j) * bitcast<i32>(md[10])); }`;
  const code = `${FF}
${CFF}
${shared}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let g = gid.x + gid.y * nw.x * 64u;
  let n = ${n}u;
  if (g >= md[1] * ${m}u) { return; }
  ONE_ = bitcast<f32>(md[8]);
  let l = g / ${m}u;
  let j = g % ${m}u;
  let inner = md[3];
  let base = lineBase((l / inner) * md[2] * inner + l % inner);
  var v = vec2f(0.0);
  if (j < n) {
    ${elem}
  }
  var o = vec4f(v.x, 0.0, v.y, 0.0);
  ${chirp ? `if (j < n) { o = cff_(o, vec4f(bitcast<f32>(${C}[4u * j]), bitcast<f32>(${C}[4u * j + 1u]), bitcast<f32>(${C}[4u * j + 2u]), bitcast<f32>(${C}[4u * j + 3u]))); }` : ''}
  let w = 4u * g;
  ${A}[w] = bitcast<u32>(o.x);
  ${A}[w + 1u] = bitcast<u32>(o.y);
  ${A}[w + 2u] = bitcast<u32>(o.z);
  ${A}[w + 3u] = bitcast<u32>(o.w);
}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, lines * m);
  return lines;
}

/**
 * Stockham's radix-2 passes over float-float lines of length m = 2^k (natural order in and out,
 * no bit reversal), ping-ponging between bufs; returns the index of the buffer holding the result.
 */
function radix2(be: WebGPUBackend, lines: number, m: number, inverse: boolean, bufs: Storage[], tw: Storage): number {
  let src = 0;
  for (let half = 1; half < m; half *= 2) {
    const { bindings, names } = be.bind([bufs[src]!, bufs[1 - src]!, tw]);
    const [A, B, W] = names as [string, string, string];
    const meta = new Uint32Array(4);
    meta.set([lines, half, m / (2 * half)]);
    new Float32Array(meta.buffer)[3] = 1;
    const code = `
${FF}
${RW(A, B)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let g = gid.x + gid.y * nw.x * 64u;
  let n = ${m}u;
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
    be.dispatch(helpersFor(code) + code, bindings, meta, lines * (m / 2));
    src = 1 - src;
  }
  return src;
}

/** Every line of `buf` (length m) times a float-float table of length m, in place. */
function multiplyLines(be: WebGPUBackend, lines: number, m: number, buf: Storage, table: Storage): void {
  const { bindings, names } = be.bind([buf, table]);
  const [A, K] = names as [string, string];
  const meta = new Uint32Array(2);
  meta[0] = lines * m;
  new Float32Array(meta.buffer)[1] = 1;
  const code = `
${FF}
${CFF}
${RW(A, A)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let g = gid.x + gid.y * nw.x * 64u;
  if (g >= md[0]) { return; }
  ONE_ = bitcast<f32>(md[1]);
  let j = g % ${m}u;
  wr(g, cff_(rd(g), vec4f(bitcast<f32>(${K}[4u * j]), bitcast<f32>(${K}[4u * j + 1u]), bitcast<f32>(${K}[4u * j + 2u]), bitcast<f32>(${K}[4u * j + 3u]))));
}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, lines * m);
}

/** Output element e = element k of its line (length m in `buf`), times the chirp if given, scaled, rounded once. */
function storeLines(be: WebGPUBackend, mode: Mode, axis: number, m: number, scale: number, buf: Storage, out: ArrayData, chirp: Storage | null): void {
  const total = out.shape.reduce((a, b) => a * b, 1);
  const { bindings, names } = be.bind(chirp ? [buf, out, chirp] : [buf, out]);
  const [A, O, C] = names as [string, string, string];
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
${CFF}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = gid.x + gid.y * nw.x * 64u;
  if (e >= md[0]) { return; }
  ONE_ = bitcast<f32>(md[5]);
  let nOut = md[1];
  let inner = md[2];
  let k = (e / inner) % nOut;
  let l = (e / (inner * nOut)) * inner + e % inner;
  let i = 4u * (l * ${m}u + k);
  var v = vec4f(bitcast<f32>(${A}[i]), bitcast<f32>(${A}[i + 1u]), bitcast<f32>(${A}[i + 2u]), bitcast<f32>(${A}[i + 3u]));
  ${chirp ? `v = cff_(v, vec4f(bitcast<f32>(${C}[4u * k]), bitcast<f32>(${C}[4u * k + 1u]), bitcast<f32>(${C}[4u * k + 2u]), bitcast<f32>(${C}[4u * k + 3u])));` : ''}
  let sc = vec2f(bitcast<f32>(md[3]), bitcast<f32>(md[4]));
  let re = ffMul_(v.xy, sc);
  let im = ffMul_(v.zw, sc);
  ${store}
}`;
  be.dispatch(helpersFor(code) + code, bindings, meta, total);
}

function release(be: WebGPUBackend, bufs: Storage[]): void {
  for (const b of bufs) {
    b.released = true;
    be.release(b);
  }
}

/**
 * Stockham's radix-2 FFT for n = 2^k: a load into float-float lines (vec4f: re hi, re lo, im hi,
 * im lo), k butterfly passes between two such buffers, and a store rounding once. Every
 * butterfly is in float-float with float-float twiddles, so the result keeps the direct pass's
 * bound.
 */
function stockham(be: WebGPUBackend, mode: Mode, inverse: boolean, axis: number, n: number, scale: number, x: ArrayData, out: ArrayData): void {
  const total = out.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const lines = total / out.shape[axis]!;
  const bufs = [be.allocate(16 * lines * n), be.allocate(16 * lines * n)];
  const tw = upload(be, twiddles(n));
  try {
    loadLines(be, mode, axis, n, n, x, out, bufs[0]!, null);
    const r = radix2(be, lines, n, inverse, bufs, tw);
    storeLines(be, mode, axis, n, scale, bufs[r]!, out, null);
  } finally {
    release(be, [...bufs, tw]);
  }
}

/** Lengths past this that aren't powers of two go through Bluestein's chirp-z. */
const BLUESTEIN_MIN = 96;

/** In-place radix-2 DFT (e^{-2πi jk/m}) of float64 lines, for the host's Bluestein kernel. */
function hostFFT(re: Float64Array, im: Float64Array): void {
  const m = re.length;
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= m; len *= 2) {
    for (let i = 0; i < m; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const [c, s] = turn(-k, len);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * c - im[b]! * s;
        const ti = re[b]! * s + im[b]! * c;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

const chirps = new Map<string, { chirp: Float32Array; kernel: Float32Array }>();
/**
 * Bluestein's tables for length n, padded length m, direction sign σ (-1 forward): the chirp
 * e^{σπi j²/n} (j < n) and the DFT of the kernel conj(chirp) laid out symmetrically over m, both
 * computed in float64 (j² mod 2n kept exact) and split into float-float.
 */
function bluesteinTables(n: number, m: number, inverse: boolean): { chirp: Float32Array; kernel: Float32Array } {
  const key = `${n},${inverse}`;
  let t = chirps.get(key);
  if (t) return t;
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let j = 0, sq = 0; j < n; j++) {
    const [c, s] = turn(inverse ? sq : -sq, 2 * n);
    cr[j] = c;
    ci[j] = s;
    sq = (sq + 2 * j + 1) % (2 * n);
  }
  const kr = new Float64Array(m);
  const ki = new Float64Array(m);
  kr[0] = cr[0]!;
  ki[0] = -ci[0]!;
  for (let j = 1; j < n; j++) {
    kr[j] = kr[m - j] = cr[j]!;
    ki[j] = ki[m - j] = -ci[j]!;
  }
  hostFFT(kr, ki);
  t = { chirp: ffTable(cr, ci), kernel: ffTable(kr, ki) };
  if (chirps.size >= 16) chirps.clear();
  chirps.set(key, t);
  return t;
}

/**
 * Bluestein's chirp-z for other lengths: X_k = chirp_k Σ_j (x_j chirp_j) conj(chirp_{k-j}), the
 * convolution by a radix-2 FFT of length m >= 2n - 1, a product with the kernel's DFT and an
 * inverse FFT (its 1/m folded into the store's scale), all in float-float.
 */
function bluestein(be: WebGPUBackend, mode: Mode, inverse: boolean, axis: number, n: number, scale: number, x: ArrayData, out: ArrayData): void {
  const total = out.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const lines = total / out.shape[axis]!;
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const { chirp, kernel } = bluesteinTables(n, m, inverse);
  const bufs = [be.allocate(16 * lines * m), be.allocate(16 * lines * m)];
  const tw = upload(be, twiddles(m));
  const ch = upload(be, chirp);
  const kn = upload(be, kernel);
  try {
    loadLines(be, mode, axis, n, m, x, out, bufs[0]!, ch);
    let r = radix2(be, lines, m, false, bufs, tw);
    multiplyLines(be, lines, m, bufs[r]!, kn);
    if (r === 1) [bufs[0], bufs[1]] = [bufs[1]!, bufs[0]!];
    r = radix2(be, lines, m, true, bufs, tw);
    storeLines(be, mode, axis, m, scale / m, bufs[r]!, out, ch);
  } finally {
    release(be, [...bufs, tw, ch, kn]);
  }
}
