// Reduce (sum/prod/max/min/and/or over any axes) and ArgReduce (argmax/argmin along one axis):
// one workgroup per output element; its 64 invocations stride over the reduced elements and
// combine their partials in workgroup memory (a few outputs over long lines: each line split
// among workgroups, their accumulators combined by a second pass). Float sums and products carry a float-float
// accumulator (about 48 bits), so that the result rounds as the reference's double
// accumulation does (within 1 ulp at near-ties); integers wrap as C does (modular arithmetic,
// so the order doesn't matter); max/min and the arg reductions keep the first NaN.
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { collapse, runElementwise } from './elementwise.js';
import { castValue, ctypeOf, fromRaw, helpersFor, rawLoader, toRaw, wgslType, type CType } from './wgsl.js';

const WG = 64;

/** Kept and reduced dims of x (each collapsed), and the meta words that describe them. */
export function layoutMeta(x: ArrayData, axes: readonly number[], m: number): { meta: Uint32Array; r: number; index: string } {
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  x.shape.forEach((s, d) => {
    if (axes.includes(d)) {
      redShape.push(s);
      redStrides.push(x.strides[d]!);
    } else {
      keptShape.push(s);
      keptStrides.push(x.strides[d]!);
    }
  });
  const k = collapse(keptShape, [keptStrides]);
  const rd = collapse(redShape, [redStrides]);
  const r = redShape.reduce((a, b) => a * b, 1);
  const nk = k.shape.length;
  const nr = rd.shape.length;
  // [m, r, nk, nr, offset, 1.0f, kept shape, kept strides, reduced shape, reduced strides]
  const H = 6;
  const meta = new Uint32Array(H + 2 * nk + 2 * nr);
  const i32 = new Int32Array(meta.buffer);
  meta.set([m, r, nk, nr]);
  i32[4] = x.offset;
  new Float32Array(meta.buffer)[5] = 1;
  k.shape.forEach((s, d) => {
    meta[H + d] = s;
    i32[H + nk + d] = k.strides[0]![d]!;
  });
  rd.shape.forEach((s, d) => {
    meta[H + 2 * nk + d] = s;
    i32[H + 2 * nk + nr + d] = rd.strides[0]![d]!;
  });
  return { meta, r, index: indexing(nk, nr) };
}

/**
 * The kept elements' base offsets and the reduced elements' offsets. nk and nr (the collapsed
 * kept and reduced dims) are known when the source is made: with at most one dim the offset
 * takes no division (a u32 division costs tens of cycles on a GPU, far more on lavapipe); the
 * general forms walk the dims. Each form is its own cached pipeline.
 */
function indexing(nk: number, nr: number): string {
  const kept = nk <= 1
    ? `fn keptBase(o: u32) -> i32 {
  return bitcast<i32>(md[4])${nk === 1 ? ' + i32(o) * bitcast<i32>(md[7u])' : ''};
}`
    : `fn keptBase(o: u32) -> i32 {
  let nk = md[2];
  var r = bitcast<i32>(md[4]);
  var rem = o;
  for (var d = i32(nk) - 1; d >= 0; d--) {
    let dim = md[6u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[6u + nk + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
  const red = nr <= 1
    ? `fn redOff(j: u32) -> i32 {
  return ${nr === 1 ? `i32(j) * bitcast<i32>(md[${6 + 2 * nk + 1}u])` : '0i'};
}`
    : `fn redOff(j: u32) -> i32 {
  let nk = md[2];
  let nr = md[3];
  let b = 6u + 2u * nk;
  var r = 0i;
  var rem = j;
  for (var d = i32(nr) - 1; d >= 0; d--) {
    let dim = md[b + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[b + nr + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
  return `\n${kept}\n${red}`;
}

// Float-float arithmetic. Lavapipe compiles with reassociation allowed, which folds the
// error terms of these transformations to 0; every intermediate is multiplied by ONE_, a 1.0
// read from the meta buffer at run time, which the compiler can't see through.
export const FF = `
var<private> ONE_: f32;
fn twoSum_(a: f32, b: f32) -> vec2f {
  let s = (a + b) * ONE_;
  let bb = (s - a) * ONE_;
  return vec2f(s, ((a - (s - bb) * ONE_) * ONE_) + ((b - bb) * ONE_));
}
fn ffNorm_(s: f32, e: f32) -> vec2f {
  if ((bitcast<u32>(s) & 0x7f800000u) == 0x7f800000u) { return vec2f(s, 0.0); }
  let h = (s + e) * ONE_;
  return vec2f(h, e - ((h - s) * ONE_));
}
fn ffAdd_(a: vec2f, b: vec2f) -> vec2f {
  let t = twoSum_(a.x, b.x);
  return ffNorm_(t.x, t.y + ((a.y + b.y) * ONE_));
}
fn split_(a: f32) -> vec2f {
  let c = (4097.0 * a) * ONE_;
  let h = (c - ((c - a) * ONE_)) * ONE_;
  return vec2f(h, (a - h) * ONE_);
}
fn ffMul_(a: vec2f, b: vec2f) -> vec2f {
  let p = (a.x * b.x) * ONE_;
  if ((bitcast<u32>(p) & 0x7f800000u) == 0x7f800000u || abs(a.x) > 1e30 || abs(b.x) > 1e30 || p == 0.0) { return vec2f(p, 0.0); }
  let x = split_(a.x);
  let y = split_(b.x);
  let err = ((((((x.x * y.x) * ONE_ - p) * ONE_ + (x.x * y.y) * ONE_) * ONE_ + (x.y * y.x) * ONE_) * ONE_) + (x.y * y.y) * ONE_) * ONE_;
  return ffNorm_(p, err + ((a.x * b.y + a.y * b.x) * ONE_));
}
fn twoProd_(a: f32, b: f32) -> vec2f {
  return ffMul_(vec2f(a, 0.0), vec2f(b, 0.0));
}
fn cffMul_(a: vec4f, b: vec4f) -> vec4f {
  return vec4f(ffAdd_(ffMul_(a.xy, b.xy), -ffMul_(a.zw, b.zw)), ffAdd_(ffMul_(a.xy, b.zw), ffMul_(a.zw, b.xy)));
}`;

type ReduceType = 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or';

export interface Plan {
  /** WGSL type of the accumulator */
  acc: string;
  init: string;
  /** acc from one element's compute value `v` */
  lift: (v: string) => string;
  combine: (a: string, b: string) => string;
  /** compute value (of `rt`) from the final accumulator */
  result: (a: string) => string;
  rt: CType | 'bool';
}

/** Reductions over and into int64/uint64 (wrapping, as the reference's bigints) and complex64. */
function planWide(type: ReduceType, ct: CType, inD: Dtype, outD: Dtype): Plan | null {
  const oct = ctypeOf(outD);
  if (oct === 'i64' || oct === 'u64') {
    if (ct === 'f32' || ct === 'c64') return null;
    const lift = (v: string) => castValue(ct, outD, v);
    if (type === 'sum' || type === 'prod') {
      return {
        acc: 'vec2u',
        init: type === 'sum' ? 'vec2u(0u, 0u)' : 'vec2u(1u, 0u)',
        lift,
        combine: (a, b) => `${type === 'sum' ? 'add64_' : 'mul64_'}(${a}, ${b})`,
        result: (a) => a,
        rt: oct,
      };
    }
    if (inD !== outD) return null;
    // an empty max/min is the dtype's lowest/highest, as the reference's initial value
    const lo = oct === 'u64' ? 'vec2u(0u, 0u)' : 'vec2u(0u, 0x80000000u)';
    const hi = oct === 'u64' ? 'vec2u(0xffffffffu, 0xffffffffu)' : 'vec2u(0xffffffffu, 0x7fffffffu)';
    const lt = oct === 'u64' ? 'ult64_' : 'slt64_';
    return {
      acc: 'vec2u',
      init: type === 'max' ? lo : hi,
      lift: (v) => v,
      combine: (a, b) => (type === 'max' ? `select(${a}, ${b}, ${lt}(${a}, ${b}))` : `select(${a}, ${b}, ${lt}(${b}, ${a}))`),
      result: (a) => a,
      rt: oct,
    };
  }
  if (oct === 'c64') {
    // re and im each in float-float (re hi, re lo, im hi, im lo), as the reference's doubles
    const lift = (v: string) => `vec4f(${castValue(ct, outD, v)}.x, 0.0, ${castValue(ct, outD, v)}.y, 0.0)`;
    const res = (a: string) => `vec2f(select(${a}.x + ${a}.y, ${a}.x, ${a}.y == 0.0), select(${a}.z + ${a}.w, ${a}.z, ${a}.w == 0.0))`;
    if (type === 'sum') return { acc: 'vec4f', init: 'vec4f(0.0)', lift, combine: (a, b) => `vec4f(ffAdd_(${a}.xy, ${b}.xy), ffAdd_(${a}.zw, ${b}.zw))`, result: res, rt: 'c64' };
    if (type === 'prod') return { acc: 'vec4f', init: 'vec4f(1.0, 0.0, 0.0, 0.0)', lift, combine: (a, b) => `cffMul_(${a}, ${b})`, result: res, rt: 'c64' };
  }
  return null;
}

export function plan(type: ReduceType, ct: CType, inD: Dtype, outD: Dtype): Plan | null {
  const oct = ctypeOf(outD);
  const nz = (v: string) => (ct === 'c64' ? `select(1u, 0u, ${v}.x == 0.0 && ${v}.y == 0.0)` : `select(1u, 0u, (${v}.x | ${v}.y) == 0u)`);
  if ((type === 'and' || type === 'or') && (ct === 'c64' || ct === 'i64' || ct === 'u64')) {
    return { acc: 'u32', init: type === 'and' ? '1u' : '0u', lift: nz, combine: (a, b) => (type === 'and' ? `(${a} & ${b})` : `(${a} | ${b})`), result: (a) => a, rt: 'bool' };
  }
  if (ct === 'c64' || ct === 'i64' || ct === 'u64' || oct === 'c64' || oct === 'i64' || oct === 'u64') return planWide(type, ct, inD, outD);
  if (type === 'and' || type === 'or') {
    const t = (v: string) => (ct === 'f32' ? `select(1u, 0u, ${v} == 0.0)` : `select(1u, 0u, ${v} == ${ct === 'u32' ? '0u' : '0i'})`);
    return {
      acc: 'u32',
      init: type === 'and' ? '1u' : '0u',
      lift: t,
      combine: (a, b) => (type === 'and' ? `(${a} & ${b})` : `(${a} | ${b})`),
      result: (a) => a,
      rt: 'bool',
    };
  }
  if (type === 'sum' || type === 'prod') {
    if (oct === 'f32') {
      // ints of 32 bits would round on the way into f32; the reference adds them exactly
      if (ct !== 'f32' && inD.size === 4) return null;
      const lift = (v: string) => `vec2f(f32(${v}), 0.0)`;
      return {
        acc: 'vec2f',
        init: type === 'sum' ? 'vec2f(0.0, 0.0)' : 'vec2f(1.0, 0.0)',
        lift: ct === 'f32' ? (v) => `vec2f(${v}, 0.0)` : lift,
        combine: (a, b) => (type === 'sum' ? `ffAdd_(${a}, ${b})` : `ffMul_(${a}, ${b})`),
        // hi alone when lo is 0, which keeps a -0 that hi + 0 would lose
        result: (a) => `select(${a}.x + ${a}.y, ${a}.x, ${a}.y == 0.0)`,
        rt: 'f32',
      };
    }
    if (ct === 'f32') return null;
    // integer accumulation wraps in 32 bits; the store wraps to the output's width
    const conv = (v: string) => (ct === oct ? v : `${oct}(${v})`);
    return {
      acc: oct,
      init: type === 'sum' ? `${oct}(0)` : `${oct}(1)`,
      lift: conv,
      combine: (a, b) => (type === 'sum' ? `(${a} + ${b})` : `(${a} * ${b})`),
      result: (a) => a,
      rt: oct,
    };
  }
  // max / min: the output dtype is the input's
  if (inD !== outD) return null;
  const isMax = type === 'max';
  if (ct === 'f32') {
    // vec2f(value, count>0 flag) so that an empty reduction gives the reference's -inf/inf
    return {
      acc: 'vec2f',
      init: `vec2f(${isMax ? '-inf_()' : 'inf_()'}, 0.0)`,
      lift: (v) => `vec2f(${v}, 1.0)`,
      combine: (a, b) => `${isMax ? 'fmaxr_' : 'fminr_'}(${a}, ${b})`,
      result: (a) => `${a}.x`,
      rt: 'f32',
    };
  }
  const lo = ct === 'u32' ? '0u' : 'i32(-2147483648)';
  const hi = ct === 'u32' ? '4294967295u' : '2147483647i';
  // empty: the reference stores -inf/inf into an int, which C's (and JS's) conversion makes 0
  return {
    acc: `vec2<${ct}>`,
    init: `vec2<${ct}>(${isMax ? lo : hi}, ${ct}(0))`,
    lift: (v) => `vec2<${ct}>(${v}, ${ct}(1))`,
    combine: (a, b) => `vec2<${ct}>(${isMax ? 'max' : 'min'}(${a}.x, ${b}.x), max(${a}.y, ${b}.y))`,
    result: (a) => `select(${ct}(0), ${a}.x, ${a}.y != ${ct}(0))`,
    rt: ct,
  };
}

const MAXMIN = `
fn fmaxr_(a: vec2f, b: vec2f) -> vec2f {
  if (b.y == 0.0) { return a; }
  if (a.y == 0.0 || isnan_(a.x)) { return select(b, a, a.y != 0.0); }
  if (isnan_(b.x) || b.x > a.x) { return b; }
  return a;
}
fn fminr_(a: vec2f, b: vec2f) -> vec2f {
  if (b.y == 0.0) { return a; }
  if (a.y == 0.0 || isnan_(a.x)) { return select(b, a, a.y != 0.0); }
  if (isnan_(b.x) || b.x < a.x) { return b; }
  return a;
}`;

/** Runs a per-output workgroup kernel writing 32-bit results, packing them after if narrower. */
export function writeWords(be: WebGPUBackend, out: ArrayData, run: (target: ArrayData) => void): void {
  // 8-byte outputs are written as word pairs by the kernels themselves
  if (out.dtype.size >= 4) return run(out);
  // 1- and 2-byte outputs: whole words per element first (no two workgroups share a word),
  // then packed by the elementwise kernel
  const m = out.shape.reduce((a, b) => a * b, 1);
  const tmp = be.allocate(4 * m);
  try {
    const wide: ArrayData = { storage: tmp, dtype: { ...out.dtype, size: 4 } as Dtype, shape: out.shape, strides: out.strides, offset: 0 };
    run(wide);
    const words: ArrayData = { ...wide, dtype: uint32Like };
    runElementwise(be, { inputs: [words], outputs: [out], body: `let o0 = x0 & ${out.dtype.size === 1 ? '0xffu' : '0xffffu'};` });
  } finally {
    tmp.released = true;
    be.release(tmp);
  }
}
// a stand-in dtype object for "raw 32-bit words" (only size and kind are read by the loaders)
const uint32Like = { name: 'uint32', size: 4, kind: 'u' } as unknown as Dtype;

/**
 * Complex max/min and argmax/argmin, one invocation per output walking its elements in the
 * reference's order: its lexicographic comparisons never pick a NaN part and break ties by
 * order, so where NaNs sit among equal real parts the result depends on that order.
 */
function runComplexSequential(be: WebGPUBackend, kind: 'max' | 'min' | 'argmax' | 'argmin', axes: readonly number[], x: ArrayData, out: ArrayData): boolean {
  const m = out.shape.reduce((a, b) => a * b, 1);
  if (m === 0) return true;
  const { meta, index } = layoutMeta(x, axes, m);
  const { bindings, names } = be.bind([x, out]);
  const O = names[1]!;
  const arg = kind === 'argmax' || kind === 'argmin';
  const wins = kind === 'max' || kind === 'argmax' ? 'clt_(best, v)' : 'clt_(v, best)';
  const body = `
${rawLoader('raw0', names[0]!, x.dtype)}
${index}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let o = gid.x + gid.y * nw.x * 64u;
  if (o >= md[0]) { return; }
  let base = keptBase(o);
  var best = ${arg ? 'bitcast<vec2f>(raw0(base))' : kind === 'max' ? 'vec2f(-inf_(), 0.0)' : 'vec2f(inf_(), 0.0)'};
  var bk = 0u;
  for (var j = ${arg ? '1u' : '0u'}; j < md[1]; j++) {
    let v = bitcast<vec2f>(raw0(base + redOff(j)));
    if (${wins}) { best = v; bk = j; }
  }
  ${arg ? `${O}[o] = bk;` : `${O}[2u * o] = bitcast<u32>(best.x);
  ${O}[2u * o + 1u] = bitcast<u32>(best.y);`}
}`;
  be.dispatch(helpersFor(body) + body, bindings, meta, m);
  return true;
}

export function runReduce(be: WebGPUBackend, type: ReduceType, axes: readonly number[], x: ArrayData, out: ArrayData): boolean {
  const ct = ctypeOf(x.dtype);
  if (ct === 'c64' && (type === 'max' || type === 'min') && out.dtype.name === 'complex64') return runComplexSequential(be, type, axes, x, out);
  const p = plan(type, ct, x.dtype, out.dtype);
  if (!p) return false;
  const m = out.shape.reduce((a, b) => a * b, 1);
  if (m === 0) return true;
  const { meta, r, index } = layoutMeta(x, axes, m);
  // each invocation's acc combined over the workgroup into sh[0]
  const tree = `sh[li] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { sh[li] = ${p.combine('sh[li]', 'sh[li + s]')}; }
    workgroupBarrier();
  }`;
  // few outputs over long lines (a full sum, a loss over a batch): each line split among P
  // workgroups whose partial accumulators a second pass combines, so that more than m
  // workgroups run. Float sums stay float-float throughout (a different order, the same ~48 bits).
  const P = m < SPLIT_OUTPUTS && r >= 2 * SPLIT_CHUNK ? Math.min(Math.ceil(r / SPLIT_CHUNK), SPLIT_MAX) : 1;
  writeWords(be, out, (target) => {
    const wideOut = out.dtype.size === 8;
    const store = (v: string) => {
      const storeRaw = toRaw(p.rt, out.dtype, p.result(v));
      return wideOut ? `let r = ${storeRaw};
    ${names[1]}[2u * o] = r.x;
    ${names[1]}[2u * o + 1u] = r.y;` : `${names[1]}[o] = ${storeRaw};`;
    };
    let names: string[];
    // one workgroup per output o (< md[0]): `loop` folds the output's elements into acc
    const perOutput = (decls: string, loop: string) => `
var<workgroup> sh: array<${p.acc}, ${WG}>;
${decls}
${FF}
${MAXMIN}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = wid.x + wid.y * nw.x;
  ONE_ = bitcast<f32>(md[5]);
  let valid = o < md[0];
  var acc: ${p.acc} = ${p.init};
  if (valid) {
    ${loop}
  }
  ${tree}
  if (li == 0u && valid) {
    ${store('sh[0]')}
  }
}`;
    if (P > 1) {
      const words = ACC_WORDS[p.acc]!;
      const parts = be.allocate(4 * words * m * P);
      try {
        {
          const b = be.bind([x, parts]);
          names = b.names;
          const body = `
var<workgroup> sh: array<${p.acc}, ${WG}>;
${rawLoader('raw0', names[0]!, x.dtype)}
${index}
${FF}
${MAXMIN}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  let g = min(wid.x + wid.y * nw.x, md[0] * ${P}u - 1u);
  let o = g / ${P}u;
  let part = g % ${P}u;
  ONE_ = bitcast<f32>(md[5]);
  let r = md[1];
  let chunk = (r + ${P - 1}u) / ${P}u;
  let j1 = min(r, (part + 1u) * chunk);
  var acc: ${p.acc} = ${p.init};
  let base = keptBase(o);
  for (var j = part * chunk + li; j < j1; j += ${WG}u) {
    let v = ${fromRaw(x.dtype, `raw0(base + redOff(j))`)};
    acc = ${p.combine('acc', p.lift('v'))};
  }
  ${tree}
  if (li == 0u) {
    ${putAcc(p.acc, names[1]!, `g * ${words}u`, 'sh[0]')}
  }
}`;
          be.dispatchGroups(helpersFor(body) + body, b.bindings, meta.slice(), m * P);
        }
        const b = be.bind([parts, target]);
        names = b.names;
        const body = perOutput(
          '',
          `for (var q = li; q < ${P}u; q += ${WG}u) {
      acc = ${p.combine('acc', getAcc(p.acc, names[0]!, `(o * ${P}u + q) * ${words}u`))};
    }`,
        );
        splitStats.passes++;
        be.dispatchGroups(helpersFor(body) + body, b.bindings, meta.slice(), m);
      } finally {
        parts.released = true;
        be.release(parts);
      }
      return;
    }
    const b = be.bind([x, target]);
    names = b.names;
    const bindings = b.bindings;
    const body = perOutput(
      `${rawLoader('raw0', names[0]!, x.dtype)}\n${index}`,
      `let base = keptBase(o);
    let r = md[1];
    for (var j = li; j < r; j += ${WG}u) {
      let v = ${fromRaw(x.dtype, `raw0(base + redOff(j))`)};
      acc = ${p.combine('acc', p.lift('v'))};
    }`,
    );
    be.dispatchGroups(helpersFor(body) + body, bindings, meta, m);
  });
  return true;
}

/** Reductions with fewer outputs than this and lines of at least 2 SPLIT_CHUNK elements split each line. */
const SPLIT_OUTPUTS = 256;
/** Elements a workgroup of a split line takes, about. */
const SPLIT_CHUNK = 4096;
/** Most workgroups one line is split among. */
const SPLIT_MAX = 1024;
/** @internal (tests) reductions that ran split; scans that ran the parallel path (scan.ts) */
export const splitStats = { passes: 0, scans: 0 };

/** u32 words of each accumulator type of the plans. */
export const ACC_WORDS: Record<string, number> = { u32: 1, i32: 1, f32: 1, vec2f: 2, vec2u: 2, 'vec2<i32>': 2, 'vec2<u32>': 2, vec4f: 4 };

/** WGSL: store accumulator `v` of type `acc` as words at buf[at...]. */
export function putAcc(acc: string, buf: string, at: string, v: string): string {
  const n = ACC_WORDS[acc]!;
  if (n === 1) return `${buf}[${at}] = bitcast<u32>(${v});`;
  return Array.from({ length: n }, (_, c) => `${buf}[${at} + ${c}u] = bitcast<u32>(${v}[${c}]);`).join('\n    ');
}

/** WGSL: the accumulator of type `acc` stored as words at buf[at...]. */
export function getAcc(acc: string, buf: string, at: string): string {
  const n = ACC_WORDS[acc]!;
  if (n === 1) return `bitcast<${acc}>(${buf}[${at}])`;
  const el = acc === 'vec2f' || acc === 'vec4f' ? 'f32' : acc === 'vec2u' ? 'u32' : acc.slice(5, -1);
  return `${acc}(${Array.from({ length: n }, (_, c) => `bitcast<${el}>(${buf}[${at} + ${c}u])`).join(', ')})`;
}

export function runArgReduce(be: WebGPUBackend, type: 'argmax' | 'argmin', axis: number, x: ArrayData, out: ArrayData): boolean {
  const ct = ctypeOf(x.dtype);
  if (ct === 'c64') return out.dtype.size === 4 && runComplexSequential(be, type, [axis], x, out);
  const vt = wgslType(ct);
  const gt64 = ct === 'i64' ? 'slt64_' : 'ult64_';
  const m = out.shape.reduce((a, b) => a * b, 1);
  if (m === 0) return true;
  const { meta, index } = layoutMeta(x, [axis], m);
  const { bindings, names } = be.bind([x, out]);
  const gt = type === 'argmax' ? '>' : '<';
  const nanOf = ct === 'f32' ? (v: string) => `isnan_(${v})` : () => 'false';
  // better(v2, k2 | v1, k1): the first NaN wins and stays; otherwise strictly better, ties to the lower index
  const body = `
var<workgroup> shv: array<${vt}, ${WG}>;
var<workgroup> shk: array<u32, ${WG}>;
${rawLoader('raw0', names[0]!, x.dtype)}
${index}
fn better(v2: ${vt}, k2: u32, v1: ${vt}, k1: u32) -> bool {
  if (k1 == 0xffffffffu) { return k2 != 0xffffffffu; }
  if (k2 == 0xffffffffu) { return false; }
  if (${nanOf('v1')}) { return ${nanOf('v2')} && k2 < k1; }
  if (${nanOf('v2')}) { return true; }
  ${
    vt === 'vec2u'
      ? `return ${type === 'argmax' ? `${gt64}(v1, v2)` : `${gt64}(v2, v1)`} || (eq64_(v2, v1) && k2 < k1);`
      : `return v2 ${gt} v1 || (v2 == v1 && k2 < k1);`
  }
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = wid.x + wid.y * nw.x;
  let valid = o < md[0];
  var bv: ${vt} = ${vt}(0);
  var bk = 0xffffffffu;
  if (valid) {
    let base = keptBase(o);
    let r = md[1];
    for (var j = li; j < r; j += ${WG}u) {
      let v = ${fromRaw(x.dtype, `raw0(base + redOff(j))`)};
      if (better(v, j, bv, bk)) { bv = v; bk = j; }
    }
  }
  shv[li] = bv;
  shk[li] = bk;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (li < s && better(shv[li + s], shk[li + s], shv[li], shk[li])) { shv[li] = shv[li + s]; shk[li] = shk[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u && valid) { ${names[1]}[o] = select(shk[0], 0u, shk[0] == 0xffffffffu); }
}`;
  be.dispatchGroups(helpersFor(body) + body, bindings, meta, m);
  return true;
}
