// Scan (cumsum/cumprod/cummax/cummin/logcumsumexp along one axis, forward or reverse, inclusive
// or exclusive): one invocation per line, running sequentially, because the reference rounds
// the running value to the output dtype at every step (MLX's CPU scan) and a parallel prefix
// would round differently. Integers wrap; max/min keep the first NaN.
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { castValue, ctypeOf, fromRaw, helpersFor, rawLoader, roundToDtype, toRaw, wgslType } from './wgsl.js';

type ScanType = 'sum' | 'prod' | 'max' | 'min' | 'logaddexp';

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
  // the output dtype's own range (exclusive cummax/cummin start there)
  const bits = out.dtype.size * 8;
  const lowest =
    oct === 'f32' ? '-inf_()' : out.dtype.name === 'bool' || oct === 'u32' ? `${oct}(0)` : `i32(${-(2 ** (bits - 1))})`;
  const highest =
    oct === 'f32' ? 'inf_()' : out.dtype.name === 'bool' ? 'i32(1)' : oct === 'u32' ? `${2 ** bits - 1}u` : `i32(${2 ** (bits - 1) - 1})`;
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
