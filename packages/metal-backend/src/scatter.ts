// Scatter (flat positions, MLX's scatter/at[].add... as mlx-ts lowers them) and ScatterAxis
// (putAlongAxis): a copy of the destination, then the updates applied in order by a single
// invocation, as the reference applies them: the last write wins, reductions see the values
// stored before them (rounded to the dtype at every step). Exact, and slow for many updates
// (a sort-by-position pass would parallelize it).
import type { ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { runAsType } from './elementwise.js';
import { checkFn, indexDtypeOk, INDEX_OPS } from './gather.js';
import { binaryOps } from './ops.js';
import { ctypeOf, fromRaw, helpersFor, indexValue, perWord, rawLoader, toRaw, wide, wordsView } from './wgsl.js';

type Reduce = 'none' | 'sum' | 'prod' | 'max' | 'min';

/** Offset of row-major element e of an array described at md[base]: offset, shape (nd), strides (nd). */
const offFn = (name: string, base: number, nd: number) => `
fn ${name}(e: u32) -> i32 {
  var r = bitcast<i32>(md[${base}u]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${base + 1}u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${base + 1 + nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;

function describe(meta: number[], x: ArrayData): void {
  meta.push(x.offset | 0, ...x.shape, ...x.strides.map((s) => s | 0));
}

function combine(reduce: Reduce, ct: string, isBool: boolean): string {
  const v = isBool ? 'select(0i, 1i, vv != 0i)' : 'vv';
  const u = isBool ? 'select(0i, 1i, uu != 0i)' : 'uu';
  switch (reduce) {
    case 'none':
      return u;
    case 'sum':
      return `(${v} + ${u})`;
    case 'prod':
      return `(${v} * ${u})`;
    // the current value stays only where it compares strictly greater (smaller): a NaN there is
    // replaced, a NaN update wins
    case 'max':
      return ct === 'f32' ? `select(${u}, ${v}, !isnan_(${v}) && !isnan_(${u}) && ${v} > ${u})` : `select(${u}, ${v}, ${v} > ${u})`;
    default:
      return ct === 'f32' ? `select(${u}, ${v}, !isnan_(${v}) && !isnan_(${u}) && ${v} < ${u})` : `select(${u}, ${v}, ${v} < ${u})`;
  }
}

/** The combination for 64-bit and complex elements (the op tables' wide entries), or null. */
function combineWide(reduce: Reduce, ct: string): string | null {
  if (reduce === 'none') return 'uu';
  if (ct === 'c64' && (reduce === 'max' || reduce === 'min')) return null;
  const op = { sum: 'Add', prod: 'Multiply', max: 'Maximum', min: 'Minimum' }[reduce];
  return binaryOps[op]!('vv', 'uu', ct as 'i64', undefined as never)?.[0] ?? null;
}

function applyUpdates(be: WebGPUBackend, reduce: Reduce, out: ArrayData, idx: ArrayData, upd: ArrayData, position: string, meta: number[], extra: string, op: 'scatter' | 'put_along_axis'): boolean {
  const m = upd.shape.reduce((a, b) => a * b, 1);
  const d = out.dtype;
  const ct = ctypeOf(d);
  const combined = wide(d) ? combineWide(reduce, ct) : combine(reduce, ct, d.name === 'bool');
  if (combined === null) return false;
  if (m === 0) return true;
  const per = Math.max(1, perWord(d));
  const bits = d.size * 8;
  const mask = d.size === 4 ? '0xffffffffu' : d.size === 2 ? '0xffffu' : '0xffu';
  const { bindings, names } = be.bind([out, idx, upd, be.status]);
  const [O, I, U, S] = names as [string, string, string, string];
  const code = `
${rawLoader('rawO', O, d)}
${rawLoader('rawI', I, idx.dtype)}
${rawLoader('rawU', U, upd.dtype)}
${checkFn(S, op)}
${extra}
@compute @workgroup_size(1)
fn main() {
  ONE_AT_
  for (var i = 0u; i < md[0]; i++) {
    let p = ${position};
    let uu = ${fromRaw(upd.dtype, 'rawU(uoff(i))')};
    let vv = ${fromRaw(d, 'rawO(p)')};
    let r = ${toRaw(ct, d, combined)};
    ${
      wide(d)
        ? `${O}[2u * u32(p)] = r.x;
    ${O}[2u * u32(p) + 1u] = r.y;`
        : `let wi = u32(p) / ${per}u;
    let sh = (u32(p) % ${per}u) * ${bits}u;
    ${O}[wi] = (${O}[wi] & ~(${mask} << sh)) | ((r & ${mask}) << sh);`
    }
  }
}`;
  // complex products read a run-time 1.0 (ONEC_, see wgsl.ts's perr_) after the meta words
  const helpers = helpersFor(code);
  const full = helpers + code.replace('ONE_AT_', helpers.includes('ONEC_') ? `ONEC_ = bitcast<f32>(md[${meta.length}]);` : '');
  be.dispatchGroups(full, bindings, Uint32Array.from([...meta, 0x3f800000].map((v) => v >>> 0)), 1);
  be.statusDirty = true;
  return true;
}

export function runScatter(be: WebGPUBackend, reduce: Reduce, [a, pos, upd]: readonly ArrayData[], out: ArrayData): boolean {
  if (!indexDtypeOk(pos!)) return false;
  runAsType(be, a!, out);
  const n = out.shape.reduce((x, y) => x * y, 1);
  const m = upd!.shape.reduce((x, y) => x * y, 1);
  const pn = pos!.shape.length;
  const un = upd!.shape.length;
  // [m, n, positions: offset, shape, strides, updates: offset, shape, strides]
  const meta = [m, n];
  describe(meta, pos!);
  const U = meta.length;
  describe(meta, upd!);
  const [pv, sg] = indexValue(pos!.dtype, 'rawI(poff(i))');
  const extra = `${offFn('poff', 2, pn)}\n${offFn('uoff', U, un)}`;
  return applyUpdates(be, reduce, out, pos!, upd!, `check${sg}(${pv}, i32(md[1]), 0u)`, meta, extra, 'scatter');
}

export function runScatterAxis(be: WebGPUBackend, reduce: Reduce, axis: number, [x, idx, upd]: readonly ArrayData[], out: ArrayData): boolean {
  if (!indexDtypeOk(idx!)) return false;
  runAsType(be, x!, out);
  const nd = idx!.shape.length;
  const m = idx!.shape.reduce((a, b) => a * b, 1);
  // row-major strides of out
  const outStrides: number[] = [];
  let acc = 1;
  for (let d = nd - 1; d >= 0; d--) {
    outStrides[d] = acc;
    acc *= out.shape[d]!;
  }
  // [m, axis size, idx: offset, shape, strides, upd: offset, shape, strides, out strides]
  const meta = [m, out.shape[axis]!];
  describe(meta, idx!);
  const U = meta.length;
  describe(meta, upd!);
  const OS = meta.length;
  meta.push(...outStrides);
  const [iv, sg] = indexValue(idx!.dtype, 'rawI(ioff(i))');
  const extra = `${offFn('ioff', 2, nd)}
${offFn('uoff', U, upd!.shape.length)}
fn position(i: u32) -> i32 {
  var p = 0i;
  var rem = i;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[3u + u32(d)];
    let c = i32(rem % dim);
    rem = rem / dim;
    if (d != ${axis}) { p += c * i32(md[${OS}u + u32(d)]); }
  }
  return p + check${sg}(${iv}, i32(md[1]), ${axis}u) * i32(md[${OS + axis}u]);
}`;
  return applyUpdates(be, reduce, out, idx!, upd!, 'position(i)', meta, extra, 'put_along_axis');
}

/**
 * MaskedScatter (boolean-mask indexPut_): a copy of the destination, then row k of the values
 * goes to the k-th selected position of the mask (inner elements per mask element), in order.
 * More selected positions than rows is the reference's RangeError, on the next read.
 */
export function runMaskedScatter(be: WebGPUBackend, [a, mask, values]: readonly ArrayData[], out: ArrayData): boolean {
  // 8-byte elements: their word pairs (inner doubles)
  if (wide(out.dtype)) return runMaskedScatter(be, [wordsView(a!), mask!, wordsView(values!)], wordsView(out));
  runAsType(be, a!, out);
  const total = out.shape.reduce((x, y) => x * y, 1);
  const nm = mask!.shape.reduce((x, y) => x * y, 1);
  if (nm === 0 || total === 0) return true;
  const inner = total / nm;
  const rows = values!.shape[0] ?? 0;
  // [mask count, inner, rows, mask: offset, shape, strides, values: offset, shape, strides]
  const meta = [nm, inner, rows];
  describe(meta, mask!);
  const V = meta.length;
  describe(meta, values!);
  const d = out.dtype;
  const per = perWord(d);
  const bits = d.size * 8;
  const mask32 = d.size === 4 ? '0xffffffffu' : d.size === 2 ? '0xffffu' : '0xffu';
  const { bindings, names } = be.bind([out, mask!, values!, be.status]);
  const [O, M, Vb, S] = names as [string, string, string, string];
  const code = `
${rawLoader('rawM', M, mask!.dtype)}
${rawLoader('rawV', Vb, values!.dtype)}
${offFn('moff', 3, mask!.shape.length)}
${offFn('voff', V, values!.shape.length)}
@compute @workgroup_size(1)
fn main() {
  var k = 0u;
  let inner = md[1];
  for (var p = 0u; p < md[0]; p++) {
    if (rawM(moff(p)) == 0u) { continue; }
    if (k >= md[2]) { ${S}[3] = md[2]; ${S}[0] = ${4 * INDEX_OPS.indexOf('masked_scatter') + 1}u; return; }
    for (var j = 0u; j < inner; j++) {
      let r = rawV(voff(k * inner + j));
      let e = p * inner + j;
      let wi = e / ${per}u;
      let sh = (e % ${per}u) * ${bits}u;
      ${O}[wi] = (${O}[wi] & ~(${mask32} << sh)) | ((r & ${mask32}) << sh);
    }
    k += 1u;
  }
}`;
  be.dispatchGroups(code, bindings, Uint32Array.from(meta.map((v) => v >>> 0)), 1);
  be.statusDirty = true;
  return true;
}
