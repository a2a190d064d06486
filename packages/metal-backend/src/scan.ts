// Scan (cumsum/cumprod/cummax/cummin/logcumsumexp along one axis, forward or reverse, inclusive
// or exclusive). Integers wrap; max/min keep the first NaN.
//
// Lines shorter than PARALLEL_MIN: one invocation per line, running sequentially and rounding
// the running value to the output dtype at every step, exactly as the reference (MLX's CPU scan).
//
// Longer lines: parallel, in blocks of BLOCK (64 invocations x 64 consecutive elements). Pass 1
// writes each block's total; pass 2 (one workgroup per line) turns a line's totals into each
// block's carry (the combination of the blocks before it); pass 3 scans each block: every
// invocation combines its 64 elements, a workgroup prefix (Hillis-Steele, in invocation order)
// gives what comes before them, and the carry what comes before the block. Every combination
// keeps the sequence order (earlier operand first), which is what makes the exact cases exact:
// - integer sum/prod (wrapping, int64/uint64 as word pairs), max/min of every dtype (the first
//   NaN wins and stays; ties keep the earlier element, so -0/+0 come out as the reference's), and
//   bool are associative: bit-identical to the reference.
// - float sum and prod accumulate in float-float (reduce.ts's FF, about 48 bits) and round once
//   at the output, so each output is close to the correctly rounded prefix rather than to the
//   reference's sequentially rounded one. With s the exact prefix, A = sum of |x| over it, u32 =
//   2^-24 and lines of at most 2^24: a float-float addition errs by at most 3 u32^2 (|a| + |b|)
//   and an element's value passes through at most 64 + 6 + 2^24 / BLOCK / 64 + 6 + 2 (< 300) of
//   them (in its block, in the carries), so
//     float32 cumsum:   |y - s| <= u32 |s| + 2^-38 A        (so <= (1 + 2^-14) u32 A)
//     float16/bfloat16: |y - s| <= u |s| + 2^-38 A, u = 2^-11 / 2^-8 (the float-float value is
//                       rounded to float32 by round-to-odd, then to the half: one rounding);
//                       float16 results under 2^-14 (subnormal) err by up to 2^-25 more
//     complex64 cumsum: the float32 bound, for each part
//     float32 cumprod:  |y - p| <= (u32 + 2^-38) |p| while every product of consecutive elements
//                       stays within [2^-76, 1e30] (ffMul_ keeps no low word past 1e30; below,
//                       its error terms underflow).
//   The reference's sequential rounding errs by up to (k - 1) u32 A at the k-th element, so the
//   two differ by up to about (k + 1) u32 A. Overflow can differ too: the reference's running
//   value may overflow to inf where a parallel partial doesn't.
// - logcumsumexp and complex prod, max and min stay sequential at any length: logaddexp has no
//   float-float form here, and complex max/min's lexicographic comparisons never pick a NaN
//   part, so the result depends on the order the elements are met in.
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { ACC_WORDS, FF, getAcc, layoutMeta, plan, putAcc, splitStats, writeWords, type Plan } from './reduce.js';
import { castValue, ctypeOf, fromRaw, helpersFor, rawLoader, roundToDtype, toRaw, wgslType } from './wgsl.js';

type ScanType = 'sum' | 'prod' | 'max' | 'min' | 'logaddexp';

/** Lines at least this long run the parallel scan. */
export const PARALLEL_MIN = 1024;
const WG = 64;
/** Consecutive elements each invocation of a block takes. */
const PER_THREAD = 64;
/** Elements per workgroup of the parallel scan. */
export const BLOCK = WG * PER_THREAD;

export function runScan(
  be: WebGPUBackend,
  p: { type: ScanType; axis: number; reverse: boolean; inclusive: boolean },
  x: ArrayData,
  out: ArrayData,
): boolean {
  const ict = ctypeOf(x.dtype);
  const oct = ctypeOf(out.dtype);
  // 32-bit ints would round on their way into f32 before the add; the reference adds exactly
  if (oct === 'f32' && ict !== 'f32' && x.dtype.size === 4) return false;
  if (oct !== 'f32' && ict === 'f32') return false;
  if (p.type === 'logaddexp' && oct !== 'f32' && oct !== 'c64') return false;
  const wideOut = out.dtype.size === 8;
  if (wideOut && ict === 'c64' && oct !== 'c64') return false;
  const total = x.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return true;
  const n = x.shape[p.axis]!;
  const inner = x.shape.slice(p.axis + 1).reduce((a, b) => a * b, 1);
  const lines = total / n;
  if (n >= PARALLEL_MIN) {
    const pp = parallelPlan(p.type, x.dtype, out.dtype);
    if (pp) {
      runParallel(be, pp, p, x, out, n, lines);
      return true;
    }
  }
  const nd = x.shape.length;
  // [lines, n, inner, nd, offset, shape, strides, 1.0f (ONEC_, for complex products)]
  const meta = new Uint32Array(6 + 2 * nd);
  new Float32Array(meta.buffer)[5 + 2 * nd] = 1;
  const i32 = new Int32Array(meta.buffer);
  meta.set([lines, n, inner, nd]);
  i32[4] = x.offset;
  x.shape.forEach((s, d) => {
    meta[5 + d] = s;
    i32[5 + nd + d] = x.strides[d]!;
  });
  const conv = (v: string) => (ict === oct ? v : wideOut ? castValue(ict, out.dtype, v) : `${oct}(${v})`);
  let init: string;
  let combine: string;
  const { lowest, highest } = range(out.dtype);
  // the running value stays in the output's width: an int8 sum wraps at 8 bits each step only
  // through the final store, which is the same modular result
  // halves: the running value is rounded to the output's precision at every step, as the reference's
  const r = (v: string) => roundToDtype(out.dtype, v);
  const lt = oct === 'u64' ? 'ult64_' : 'slt64_';
  if (wideOut) {
    const c = oct === 'c64';
    if (p.type === 'sum') [init, combine] = [c ? 'vec2f(0.0)' : 'vec2u(0u, 0u)', c ? 'acc = acc + v;' : 'acc = add64_(acc, v);'];
    else if (p.type === 'prod') [init, combine] = [c ? 'vec2f(1.0, 0.0)' : 'vec2u(1u, 0u)', c ? 'acc = cmul_(acc, v);' : 'acc = mul64_(acc, v);'];
    else if (c) {
      // the reference's sequential rules: the lexicographic order (so a NaN part never wins a
      // comparison), logaddexp factored around the larger real part
      init = p.type === 'min' ? 'vec2f(inf_(), 0.0)' : 'vec2f(-inf_(), 0.0)';
      combine =
        p.type === 'logaddexp'
          ? 'acc = clcse_(acc, v);'
          : p.type === 'max'
            ? 'if (clt_(acc, v)) { acc = v; }'
            : 'if (clt_(v, acc)) { acc = v; }';
    } else {
      const isMax = p.type === 'max';
      const lo = oct === 'u64' ? 'vec2u(0u, 0u)' : 'vec2u(0u, 0x80000000u)';
      const hi = oct === 'u64' ? 'vec2u(0xffffffffu, 0xffffffffu)' : 'vec2u(0xffffffffu, 0x7fffffffu)';
      init = isMax ? lo : hi;
      combine = isMax ? `acc = select(acc, v, ${lt}(acc, v));` : `acc = select(acc, v, ${lt}(v, acc));`;
    }
  } else switch (p.type) {
    case 'sum':
      init = `${oct}(0)`;
      combine = `acc = ${r('acc + v')};`;
      break;
    case 'prod':
      init = `${oct}(1)`;
      combine = `acc = ${r('acc * v')};`;
      break;
    case 'logaddexp':
      init = '-inf_()';
      combine = `acc = ${r('lae_(acc, v)')};`;
      break;
    default: {
      const isMax = p.type === 'max';
      init = isMax ? lowest : highest;
      combine =
        oct === 'f32'
          ? `if (!isnan_(acc) && (isnan_(v) || v ${isMax ? '>' : '<'} acc)) { acc = v; }`
          : `acc = ${isMax ? 'max' : 'min'}(acc, v);`;
    }
  }
  const LAE = `
fn lae_(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  let hi = max(a, b);
  let lo = min(a, b);
  if (lo == -inf_() || hi == inf_()) { return hi; }
  return hi + log1p_(exp_(lo - hi));
}`;
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([x, target]);
    const store = toRaw(oct, wideOut ? out.dtype : ({ ...out.dtype, size: 4, name: out.dtype.name, kind: out.dtype.kind } as typeof out.dtype), 'acc');
    const put = wideOut ? `let r = ${store};\n    ${names[1]}[2u * e] = r.x;\n    ${names[1]}[2u * e + 1u] = r.y;` : `${names[1]}[e] = ${store};`;
    const code = `
${rawLoader('raw0', names[0]!, x.dtype)}
${p.type === 'logaddexp' ? LAE : ''}
fn off(e: u32) -> i32 {
  let nd = md[3];
  var r = bitcast<i32>(md[4]);
  var rem = e;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let dim = md[5u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[5u + nd + u32(d)]);
    rem = rem / dim;
  }
  return r;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let line = gid.x + gid.y * nw.x * 64u;
  if (line >= md[0]) { return; }
  ${oct === 'c64' && p.type === 'prod' ? `ONEC_ = bitcast<f32>(md[${5 + 2 * nd}]);` : ''}
  let n = md[1];
  let inner = md[2];
  let base = (line / inner) * n * inner + line % inner;
  var acc: ${wgslType(oct)} = ${init};
  for (var s = 0u; s < n; s++) {
    let j = ${p.reverse ? 'n - 1u - s' : 's'};
    let e = base + j * inner;
    let v = ${conv(fromRaw(x.dtype, 'raw0(off(e))'))};
    ${p.inclusive ? `${combine}\n    ${put}` : `${put}\n    ${combine}`}
  }
}`;
    be.dispatch(helpersFor(code) + code, bindings, meta, lines);
  });
  return true;
}

/** The output dtype's own range as 32-bit compute values (exclusive cummax/cummin start there). */
function range(d: Dtype): { lowest: string; highest: string } {
  const ct = ctypeOf(d);
  const bits = d.size * 8;
  return {
    lowest: ct === 'f32' ? '-inf_()' : d.name === 'bool' || ct === 'u32' ? `${ct}(0)` : `i32(${-(2 ** (bits - 1))})`,
    highest: ct === 'f32' ? 'inf_()' : d.name === 'bool' ? 'i32(1)' : ct === 'u32' ? `${2 ** bits - 1}u` : `i32(${2 ** (bits - 1) - 1})`,
  };
}

/**
 * The accumulator of the parallel scan, or null where the scan stays sequential. Sum and prod
 * take the reductions' plans (float-float for floats, wrapping for integers); max and min start
 * at the scan's identities (the output dtype's range, as the reference) rather than the
 * reductions' empty-aware ones.
 */
function parallelPlan(type: ScanType, inD: Dtype, outD: Dtype): Plan | null {
  const ct = ctypeOf(inD);
  const oct = ctypeOf(outD);
  if (type === 'logaddexp') return null;
  if (type === 'sum' || type === 'prod') {
    if (oct === 'c64' && type === 'prod') return null;
    const p = plan(type, ct, inD, outD);
    if (!p) return null;
    // halves round once from the float-float value (the plans' hi + lo would round twice)
    const half = outD.name === 'float16' || outD.name === 'bfloat16';
    return half && p.acc === 'vec2f' ? { ...p, result: (a) => `ffOdd_(${a})` } : p;
  }
  if (inD !== outD || oct === 'c64') return null;
  const isMax = type === 'max';
  if (oct === 'i64' || oct === 'u64') {
    const lt = oct === 'u64' ? 'ult64_' : 'slt64_';
    const lo = oct === 'u64' ? 'vec2u(0u, 0u)' : 'vec2u(0u, 0x80000000u)';
    const hi = oct === 'u64' ? 'vec2u(0xffffffffu, 0xffffffffu)' : 'vec2u(0xffffffffu, 0x7fffffffu)';
    return {
      acc: 'vec2u',
      init: isMax ? lo : hi,
      lift: (v) => v,
      combine: (a, b) => `select(${a}, ${b}, ${isMax ? `${lt}(${a}, ${b})` : `${lt}(${b}, ${a})`})`,
      result: (a) => a,
      rt: oct,
    };
  }
  const { lowest, highest } = range(outD);
  return {
    acc: wgslType(oct),
    init: isMax ? lowest : highest,
    lift: (v) => v,
    // the later operand wins only when strictly better or a NaN after no NaN: the first NaN, and
    // the first of equal values (-0 and +0), stay as in the reference's running comparison
    combine:
      oct === 'f32'
        ? (a, b) => `select(${a}, ${b}, !isnan_(${a}) && (isnan_(${b}) || ${b} ${isMax ? '>' : '<'} ${a}))`
        : (a, b) => `${isMax ? 'max' : 'min'}(${a}, ${b})`,
    result: (a) => a,
    rt: oct,
  };
}

// A float-float value rounded to float32 by round-to-odd: the float32 neighbour with an odd last
// bit where hi + lo falls between two floats. Rounding that once more to a half (11 or 8 bits,
// at least 2 fewer than float32's 24) gives hi + lo correctly rounded, with no double rounding.
const FF_ODD = `
fn ffOdd_(a: vec2f) -> f32 {
  let b = bitcast<u32>(a.x);
  if (a.y == 0.0 || (b & 1u) == 1u || (b & 0x7f800000u) == 0x7f800000u) { return a.x; }
  return bitcast<f32>(select(b - 1u, b + 1u, (a.y > 0.0) == (a.x > 0.0)));
}`;

/**
 * The parallel scan of `lines` lines of n (>= PARALLEL_MIN) elements: block totals, then each
 * block's carry, then each block scanned from its carry (see the header). Lines of one block
 * take the last pass alone.
 */
function runParallel(
  be: WebGPUBackend,
  pp: Plan,
  p: { axis: number; reverse: boolean; inclusive: boolean },
  x: ArrayData,
  out: ArrayData,
  n: number,
  lines: number,
): void {
  const blocks = Math.ceil(n / BLOCK);
  const inner = x.shape.slice(p.axis + 1).reduce((a, b) => a * b, 1);
  const { meta: layout, index } = layoutMeta(x, [p.axis], lines);
  // layoutMeta's words ([lines, n, nk, nr, offset, 1.0f, dims...]), then inner and the blocks a
  // line has; L depends only on the collapsed dims, as the pipelines cached by source do
  const L = layout.length;
  const meta = new Uint32Array(L + 2);
  meta.set(layout);
  meta[L] = inner;
  meta[L + 1] = blocks;
  const words = ACC_WORDS[pp.acc]!;
  const A = pp.acc;
  // the kernels' shared part: comb_ (earlier operand first), and wgScan_, the inclusive prefix
  // of the workgroup's values in invocation order (left in sh)
  const common = `
var<workgroup> sh: array<${A}, ${WG}>;
${FF}
${FF_ODD}
fn comb_(a: ${A}, b: ${A}) -> ${A} { return ${pp.combine('a', 'b')}; }
fn wgScan_(li: u32, v0: ${A}) -> ${A} {
  var v = v0;
  sh[li] = v;
  workgroupBarrier();
  for (var s = 1u; s < ${WG}u; s <<= 1u) {
    if (li >= s) { v = comb_(sh[li - s], v); }
    workgroupBarrier();
    sh[li] = v;
    workgroupBarrier();
  }
  return v;
}`;
  // one workgroup per block g (line g / blocks, block g % blocks); each invocation combines its
  // PER_THREAD consecutive elements (in scan order) into t
  const blockHead = (xName: string) => `
${rawLoader('raw0', xName, x.dtype)}
${index}
${common}
fn elem_(base: i32, n: u32, s: u32) -> ${A} {
  let v = ${fromRaw(x.dtype, `raw0(base + redOff(${p.reverse ? 'n - 1u - s' : 's'}))`)};
  return ${pp.lift('v')};
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  ONE_ = bitcast<f32>(md[5]);
  let blocks = md[${L + 1}];
  let count = md[0] * blocks;
  let g0 = wid.x + wid.y * nw.x;
  let valid = g0 < count;
  let g = min(g0, count - 1u);
  let line = g / blocks;
  let n = md[1];
  let base = keptBase(line);
  let s0 = (g % blocks) * ${BLOCK}u + li * ${PER_THREAD}u;
  let s1 = min(n, s0 + ${PER_THREAD}u);
  var t: ${A} = ${pp.init};
  for (var s = s0; s < s1; s++) { t = comb_(t, elem_(base, n, s)); }`;
  splitStats.scans++;
  const parts = blocks > 1 ? be.allocate(4 * words * lines * blocks) : null;
  try {
    if (parts) {
      // pass 1: each block's total
      {
        const { bindings, names } = be.bind([x, parts]);
        const code = `${blockHead(names[0]!)}
  let total = wgScan_(li, t);
  if (li == ${WG - 1}u && valid) {
    ${putAcc(A, names[1]!, `g * ${words}u`, 'total')}
  }
}`;
        be.dispatchGroups(helpersFor(code) + code, bindings, meta.slice(), lines * blocks);
      }
      // pass 2: a line's block totals to each block's carry, in place; each invocation takes
      // a run of consecutive blocks
      {
        const { bindings, names } = be.bind([parts]);
        const P = names[0]!;
        const at = (q: string) => `(line * blocks + ${q}) * ${words}u`;
        const code = `
${common}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  ONE_ = bitcast<f32>(md[5]);
  let blocks = md[${L + 1}];
  let o = wid.x + wid.y * nw.x;
  let valid = o < md[0];
  let line = min(o, md[0] - 1u);
  let per = (blocks + ${WG - 1}u) / ${WG}u;
  let q0 = min(blocks, li * per);
  let q1 = min(blocks, q0 + per);
  var t: ${A} = ${pp.init};
  for (var q = q0; q < q1; q++) { t = comb_(t, ${getAcc(A, P, at('q'))}); }
  wgScan_(li, t);
  var run: ${A} = ${pp.init};
  if (li > 0u) { run = sh[li - 1u]; }
  for (var q = q0; q < q1; q++) {
    let v = ${getAcc(A, P, at('q'))};
    if (valid) {
      ${putAcc(A, P, at('q'), 'run')}
    }
    run = comb_(run, v);
  }
}`;
        be.dispatchGroups(helpersFor(code) + code, bindings, meta.slice(), lines);
      }
    }
    // pass 3: each block from its carry, stored
    writeWords(be, out, (target) => {
      const { bindings, names } = be.bind(parts ? [x, target, parts] : [x, target]);
      const O = names[1]!;
      const wideOut = out.dtype.size === 8;
      const raw = toRaw(pp.rt, target.dtype, pp.result('run'));
      const put = wideOut ? `let r = ${raw};\n      ${O}[2u * e] = r.x;\n      ${O}[2u * e + 1u] = r.y;` : `${O}[e] = ${raw};`;
      const code = `${blockHead(names[0]!)}
  wgScan_(li, t);
  var run: ${A} = ${parts ? getAcc(A, names[2]!, `g * ${words}u`) : pp.init};
  if (li > 0u) { run = comb_(run, sh[li - 1u]); }
  let inner = md[${L}];
  let outBase = (line / inner) * n * inner + line % inner;
  if (valid) {
    // the elements again (the second read hits the cache); donation never aliases a scan's input
    for (var s = s0; s < s1; s++) {
      let e = outBase + ${p.reverse ? '(n - 1u - s)' : 's'} * inner;
      ${p.inclusive ? `run = comb_(run, elem_(base, n, s));\n      ${put}` : `${put}\n      run = comb_(run, elem_(base, n, s));`}
    }
  }
}`;
      be.dispatchGroups(helpersFor(code) + code, bindings, meta.slice(), lines * blocks);
    });
  } finally {
    if (parts) {
      parts.released = true;
      be.release(parts);
    }
  }
}
