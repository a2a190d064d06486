// GatherMM, BlockMaskedMM and SegmentedMM: one invocation per output element, operands read in
// place through their strides (no gathered or masked copies), exact f32 products accumulated
// in float-float as the Matmul kernel, so results round as the reference's double dot products
// (1 ulp at near-ties). BlockMaskedMM applies MLX's masks in MLX's order: operand blocks zeroed
// (bool false) or scaled and rounded to the dtype before the product, output blocks after it.
// Index and segment errors can't throw in a kernel: they go to the status buffer, and the next
// read raises the reference's RangeError. Also the helpers the conv/quantized/fast kernels share.
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { fromRaw, helpersFor, rawLoader, roundToDtype, toRaw } from './wgsl.js';
import { fastStats, SKINNY_M } from './matmul.js';
import { tiledGemmCode, tiledGroups } from './matmul-fast.js';

export const FLOATS = ['float32', 'float16', 'bfloat16'];

/** The entry point over a 2-d grid of 64-wide workgroups; `tid` is the flat invocation index. */
export const GRID_MAIN = `@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let tid = gid.x + gid.y * nw.x * 64u;`;

/**
 * Float-float arithmetic for these kernels (the API of reduce.ts's FF): every rounded step goes
 * through `r_(x)`, an xor with a zero the compiler can't see (made from ONE_, a 1.0 read at run
 * time). Lavapipe compiles with reassociation and contraction allowed: multiplying by ONE_
 * alone didn't stop it from dropping a two-sum's error term (x - k c1 - k c2 lost its low part),
 * and a product followed by a sum becomes a fused multiply-add. `r_` also serves the kernels'
 * own roundings where the reference rounds a product before adding it.
 */
export const FF = `
var<private> ONE_: f32;
fn r_(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ (bitcast<u32>(ONE_) ^ 0x3f800000u)); }
fn twoSum_(a: f32, b: f32) -> vec2f {
  let s = r_(a + b);
  let bb = r_(s - a);
  return vec2f(s, r_(r_(a - r_(s - bb)) + r_(b - bb)));
}
fn ffNorm_(s: f32, e: f32) -> vec2f {
  if ((bitcast<u32>(s) & 0x7f800000u) == 0x7f800000u) { return vec2f(s, 0.0); }
  let h = r_(s + e);
  return vec2f(h, r_(e - r_(h - s)));
}
fn ffAdd_(a: vec2f, b: vec2f) -> vec2f {
  let t = twoSum_(a.x, b.x);
  return ffNorm_(t.x, r_(t.y + r_(a.y + b.y)));
}
fn split_(a: f32) -> vec2f {
  let c = r_(4097.0 * a);
  let h = r_(c - r_(c - a));
  return vec2f(h, r_(a - h));
}
fn ffMul_(a: vec2f, b: vec2f) -> vec2f {
  let p = r_(a.x * b.x);
  if ((bitcast<u32>(p) & 0x7f800000u) == 0x7f800000u || abs(a.x) > 1e30 || abs(b.x) > 1e30 || p == 0.0) { return vec2f(p, 0.0); }
  let x = split_(a.x);
  let y = split_(b.x);
  let err = r_(r_(r_(r_(r_(x.x * y.x) - p) + r_(x.x * y.y)) + r_(x.y * y.x)) + r_(x.y * y.y));
  return ffNorm_(p, r_(err + r_(r_(a.x * b.y) + r_(a.y * b.x))));
}
fn twoProd_(a: f32, b: f32) -> vec2f {
  return ffMul_(vec2f(a, 0.0), vec2f(b, 0.0));
}
fn ffRound_(a: vec2f) -> f32 { return select(a.x + a.y, a.x, a.y == 0.0); }`;

/** A float-float accumulator rounded once and stored as `d`'s raw bits. */
export function storeFF(d: Dtype, acc: string): string {
  return toRaw('f32', d, `select(${acc}.x + ${acc}.y, ${acc}.x, ${acc}.y == 0.0)`);
}

/** Meta words built in order: unsigned, signed and float entries; `at` is the next index. */
export class Meta {
  readonly words: number[] = [];
  get at(): number {
    return this.words.length;
  }
  u(...v: number[]): number {
    const at = this.at;
    for (const x of v) this.words.push(x >>> 0);
    return at;
  }
  f(v: number): number {
    return this.u(new Uint32Array(new Float32Array([v]).buffer)[0]!);
  }
  /** [offset, shape, strides] of `d` over the leading dims `shape` (right-aligned; missing or size-1 dims broadcast). */
  layout(d: ArrayData, shape: readonly number[], dims = d.shape.length): number {
    const lead = d.shape.slice(0, dims);
    const strides = shape.map((s, i) => {
      const k = i - (shape.length - lead.length);
      return k < 0 || (lead[k] === 1 && s !== 1) ? 0 : d.strides[k]!;
    });
    return this.u(d.offset, ...shape, ...strides);
  }
  array(): Uint32Array {
    return Uint32Array.from(this.words);
  }
}

/** WGSL `name(e: u32) -> i32`: the element offset of flat index e over a Meta.layout at `base`. */
export function offsetFn(name: string, base: number, nd: number): string {
  return `fn ${name}(e: u32) -> i32 {
  var r = bitcast<i32>(md[${base}u]);
  var rem = e;
  for (var d = ${nd - 1}; d >= 0; d--) {
    let dim = md[${base + 1}u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[${base + 1 + nd}u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
}

// ---- errors recorded in the status buffer: kind 0x1000 | op << 4 | what ----

const OPS = ['gather_mm', 'gather_qmm', 'segmented_mm', 'cross_entropy', 'gather_qqmm'] as const;

/** WGSL `bad_(kind, value, a, size)`: records an error in the status binding `st`. */
export function badFn(st: string): string {
  return `fn bad_(kind: u32, v: u32, a: u32, s: u32) { ${st}[1] = v; ${st}[2] = a; ${st}[3] = s; ${st}[0] = kind; }`;
}

export function errorKind(op: (typeof OPS)[number], what: number): number {
  return 0x1000 | (OPS.indexOf(op) << 4) | what;
}

/** The reference's message for a status entry of these kernels, or null for other kinds. */
export function statusMessage(kind: number, value: number, a: number, size: number): string | null {
  if (!(kind & 0x1000)) return null;
  const op = OPS[(kind >> 4) & 0xff]!;
  if (op === 'cross_entropy') return `[cross_entropy] target ${value | 0} is out of bounds for ${size} classes.`;
  if (op === 'segmented_mm') return `[segmented_mm] segment [${value}, ${a}) is out of bounds for an inner dimension of ${size}.`;
  return `[${op}] ${kind & 1 ? 'rhs' : 'lhs'} index ${value} is out of bounds for ${size} matrices.`;
}

const last2 = (d: ArrayData): [number, number] => [d.shape[d.shape.length - 2]!, d.shape[d.shape.length - 1]!];
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** [M, N, K, 1.0f, sam, sak, sbk, sbn] */
function mmHeader(m: Meta, a: ArrayData, b: ArrayData, M: number, N: number, K: number): void {
  m.u(M, N, K);
  m.f(1);
  const na = a.shape.length, nb = b.shape.length;
  m.u(na > 1 ? a.strides[na - 2]! : 0, a.strides[na - 1]!, b.strides[nb - 2]!, b.strides[nb - 1]!);
}

const HEAD = `
  ONE_ = bitcast<f32>(md[3]);
  let M = md[0];
  let N = md[1];
  let K = md[2];
  let sam = bitcast<i32>(md[4]);
  let sak = bitcast<i32>(md[5]);
  let sbk = bitcast<i32>(md[6]);
  let sbn = bitcast<i32>(md[7]);
  let j = tid % N;
  let i = (tid / N) % M;
  let batch = tid / (M * N);`;

export function runGatherMM(be: WebGPUBackend, [a, b, l, r]: readonly ArrayData[], out: ArrayData): boolean {
  if (![a!, b!, out].every((d) => FLOATS.includes(d.dtype.name)) || l!.dtype.name !== 'uint32' || r!.dtype.name !== 'uint32') return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const [M, K] = last2(a!);
  const N = b!.shape[b!.shape.length - 1]!;
  const aB = a!.shape.slice(0, -2), bB = b!.shape.slice(0, -2);
  const iShape = l!.shape;
  const m = new Meta();
  mmHeader(m, a!, b!, M, N, K);
  const cnt = m.u(prod(aB), prod(bB));
  const LA = m.layout(a!, aB, aB.length);
  const LB = m.layout(b!, bB, bB.length);
  const LL = m.layout(l!, iShape);
  const LR = m.layout(r!, iShape);
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([a!, b!, l!, r!, target, be.status]);
    const decls = `
${rawLoader('rawA', names[0]!, a!.dtype)}
${rawLoader('rawB', names[1]!, b!.dtype)}
${offsetFn('offA', LA, aB.length)}
${offsetFn('offB', LB, bB.length)}
${offsetFn('offL', LL, iShape.length)}
${offsetFn('offR', LR, iShape.length)}
${badFn(names[5]!)}
${FF}`;
    const pick = `var li = ${names[2]}[offL(batch)];
  var ri = ${names[3]}[offR(batch)];
  if (li >= md[${cnt}u]) { bad_(${errorKind('gather_mm', 0)}u, li, 0u, md[${cnt}u]); li = 0u; }
  if (ri >= md[${cnt + 1}u]) { bad_(${errorKind('gather_mm', 1)}u, ri, 0u, md[${cnt + 1}u]); ri = 0u; }`;
    if (M > SKINNY_M && !be.exactMatmul) {
      // more rows than a matrix-vector product: Matmul's float32 tiles, each tile's pair of
      // matrices picked by its batch entry's indices
      const na = a!.shape.length, nb = b!.shape.length;
      const code = tiledGemmCode({
        decls,
        dims: `ONE_ = bitcast<f32>(md[3]);\n  let M = md[0];\n  let N = md[1];\n  let K = md[2];\n  let batches = ${total / (M * N)}u;`,
        prologue: `let sam = bitcast<i32>(md[4]);
  let sak = bitcast<i32>(md[5]);
  let sbk = bitcast<i32>(md[6]);
  let sbn = bitcast<i32>(md[7]);
  ${pick}
  let oa = offA(li);
  let ob = offB(ri);`,
        loadA: fromRaw(a!.dtype, 'rawA(oa + i32(i) * sam + i32(k) * sak)'),
        loadB: fromRaw(b!.dtype, 'rawB(ob + i32(k) * sbk + i32(j) * sbn)'),
        aAlongK: a!.strides[na - 1] === 1 || a!.strides[na - 2] !== 1,
        bAlongK: b!.strides[nb - 2] === 1 && b!.strides[nb - 1] !== 1,
        store: `${names[4]}[(batch * M + i) * N + j] = ${toRaw('f32', { ...out.dtype, size: 4 } as Dtype, 'v')};`,
      });
      fastStats.tiles++;
      be.dispatchGroups(helpersFor(code) + code, bindings, m.array(), tiledGroups(M, N, total / (M * N)));
      return;
    }
    const code = `${decls}
${GRID_MAIN}
  if (tid >= ${total}u) { return; }
  ${HEAD}
  ${pick}
  let oa = offA(li) + i32(i) * sam;
  let ob = offB(ri) + i32(j) * sbn;
  var acc = vec2f(0.0, 0.0);
  for (var k = 0u; k < K; k++) {
    acc = ffAdd_(acc, twoProd_(${fromRaw(a!.dtype, 'rawA(oa + i32(k) * sak)')}, ${fromRaw(b!.dtype, 'rawB(ob + i32(k) * sbk)')}));
  }
  ${names[4]}[tid] = ${storeFF(out.dtype, 'acc')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  be.statusDirty = true;
  return true;
}

export function runSegmentedMM(be: WebGPUBackend, [a, b, seg]: readonly ArrayData[], out: ArrayData): boolean {
  if (![a!, b!, out].every((d) => FLOATS.includes(d.dtype.name)) || seg!.dtype.name !== 'uint32') return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const [M, K] = last2(a!);
  const N = b!.shape[1]!;
  const sShape = seg!.shape.slice(0, -1);
  const m = new Meta();
  mmHeader(m, a!, b!, M, N, K);
  const offs = m.u(a!.offset, b!.offset, seg!.strides[seg!.shape.length - 1]!);
  const LS = m.layout(seg!, sShape, sShape.length);
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([a!, b!, seg!, target, be.status]);
    const code = `
${rawLoader('rawA', names[0]!, a!.dtype)}
${rawLoader('rawB', names[1]!, b!.dtype)}
${offsetFn('offS', LS, sShape.length)}
${badFn(names[4]!)}
${FF}
${GRID_MAIN}
  if (tid >= ${total}u) { return; }
  ${HEAD}
  let so = offS(batch);
  let k0 = ${names[2]}[so];
  var k1 = ${names[2]}[so + bitcast<i32>(md[${offs + 2}u])];
  if (k1 > K && k1 > k0) { bad_(${errorKind('segmented_mm', 0)}u, k0, k1, K); k1 = k0; }
  let oa = bitcast<i32>(md[${offs}u]) + i32(i) * sam;
  let ob = bitcast<i32>(md[${offs + 1}u]) + i32(j) * sbn;
  var acc = vec2f(0.0, 0.0);
  for (var k = k0; k < k1; k++) {
    acc = ffAdd_(acc, twoProd_(${fromRaw(a!.dtype, 'rawA(oa + i32(k) * sak)')}, ${fromRaw(b!.dtype, 'rawB(ob + i32(k) * sbk)')}));
  }
  ${names[3]}[tid] = ${storeFF(out.dtype, 'acc')};
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  be.statusDirty = true;
  return true;
}

export function runBlockMaskedMM(be: WebGPUBackend, blockSize: number, inputs: readonly ArrayData[], out: ArrayData): boolean {
  const [a, b] = inputs as [ArrayData, ArrayData];
  const hasOpMask = inputs.length > 3;
  const hasOutMask = inputs.length === 3 || inputs.length === 5;
  const masks = inputs.slice(2);
  if (![a, b, out].every((d) => FLOATS.includes(d.dtype.name))) return false;
  if (!masks.every((d) => d.dtype.name === 'bool' || d.dtype === out.dtype)) return false;
  const total = prod(out.shape);
  if (total === 0) return true;
  const [M, K] = last2(a);
  const N = b.shape[b.shape.length - 1]!;
  const batch = out.shape.slice(0, -2);
  const m = new Meta();
  mmHeader(m, a, b, M, N, K);
  const LA = m.layout(a, batch, a.shape.length - 2);
  const LB = m.layout(b, batch, b.shape.length - 2);
  // each mask over (batch, blocks of rows, blocks of columns)
  const LM = masks.map((d) => m.layout(d, [...batch, ...last2(d)]));
  const dt = out.dtype;
  // the mask's factor for element (y, x) of batch entry `batch`: 0/1 for bool, else the value
  const maskFn = (k: number, d: ArrayData, name: string): string => {
    const [tY, tX] = last2(d);
    return `fn mask${k}(batch: u32, y: u32, x: u32) -> f32 {
  let e = (batch * ${tY}u + y / ${blockSize}u) * ${tX}u + x / ${blockSize}u;
  return f32(${fromRaw(d.dtype, `rawM${k}(offM${k}(e))`)});
}
${rawLoader(`rawM${k}`, name, d.dtype)}
${offsetFn(`offM${k}`, LM[k]!, batch.length + 2)}`;
  };
  // MLX's masking of a value: bool false zeroes it, a factor other than 1 scales and rounds it
  const apply = (k: number, v: string, y: string, x: string): string =>
    masks[k]!.dtype.name === 'bool'
      ? `select(${v}, 0.0, mask${k}(batch, ${y}, ${x}) == 0.0)`
      : `scaled_(${v}, mask${k}(batch, ${y}, ${x}))`;
  const aMask = hasOpMask ? masks.length - 2 : -1;
  const bMask = hasOpMask ? masks.length - 1 : -1;
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([a, b, ...masks, target]);
    const av = fromRaw(a.dtype, 'rawA(oa + i32(k) * sak)');
    const bv = fromRaw(b.dtype, 'rawB(ob + i32(k) * sbk)');
    const result = 'select(acc.x + acc.y, acc.x, acc.y == 0.0)';
    const code = `
${rawLoader('rawA', names[0]!, a.dtype)}
${rawLoader('rawB', names[1]!, b.dtype)}
${offsetFn('offA', LA, batch.length)}
${offsetFn('offB', LB, batch.length)}
${masks.map((d, k) => maskFn(k, d, names[2 + k]!)).join('\n')}
fn scaled_(v: f32, f: f32) -> f32 {
  if (bitcast<u32>(f) == 0x3f800000u) { return v; }
  return ${roundToDtype(dt, 'v * f')};
}
${FF}
${GRID_MAIN}
  if (tid >= ${total}u) { return; }
  ${HEAD}
  let oa = offA(batch) + i32(i) * sam;
  let ob = offB(batch) + i32(j) * sbn;
  var acc = vec2f(0.0, 0.0);
  for (var k = 0u; k < K; k++) {
    acc = ffAdd_(acc, twoProd_(${hasOpMask ? apply(aMask, av, 'i', 'k') : av}, ${hasOpMask ? apply(bMask, bv, 'k', 'j') : bv}));
  }
  ${
    hasOutMask
      ? `let r = ${apply(0, roundToDtype(dt, result), 'i', 'j')};
  ${names[2 + masks.length]}[tid] = ${toRaw('f32', dt, 'r')};`
      : `${names[2 + masks.length]}[tid] = ${storeFF(dt, 'acc')};`
  }
}`;
    be.dispatch(helpersFor(code) + code, bindings, m.array(), total);
  });
  return true;
}
