// One kernel shape for every elementwise primitive (unary, binary, Select, DivMod, AsType):
// each invocation computes the elements of one 32-bit word of every output (4 bool/int8
// elements, 2 int16, 1 otherwise), reading each input through its own shape/strides/offset
// from the meta buffer, so broadcasts, transposes and slices need no copy first.
import type { ArrayData, Dtype } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { binaryOps, unaryOps, type RType } from './ops.js';
import { ctypeOf, fromRaw, gpuDtype, helpersFor, perWord, rawLoader, toRaw } from './wgsl.js';

/** Dims of size 1 dropped and adjacent dims merged where every input is contiguous across them. */
export function collapse(shape: readonly number[], strides: (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = sh.length - 1;
    if (k >= 0 && strides.every((s, i) => st[i]![k] === s[d]! * shape[d]!)) {
      sh[k]! *= shape[d]!;
      strides.forEach((s, i) => (st[i]![k] = s[d]!));
      continue;
    }
    sh.push(shape[d]!);
    strides.forEach((s, i) => st[i]!.push(s[d]!));
  }
  return { shape: sh, strides: st };
}

export interface ElementwiseSpec {
  inputs: readonly ArrayData[];
  outputs: readonly ArrayData[];
  /**
   * WGSL statements computing `o0`, `o1`, ... (raw u32 bits of each output element) from
   * `x0`, `x1`, ... (raw u32 bits of each input element at the same index).
   */
  body: string;
}

export function runElementwise(be: WebGPUBackend, spec: ElementwiseSpec): void {
  const { inputs, outputs } = spec;
  const out0 = outputs[0]!;
  const n = out0.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  // 8-byte outputs (int64, uint64, complex64): one element, two words, per invocation
  const wideOut = outputs.some((o) => o.dtype.size === 8);
  const per = wideOut ? 1 : Math.min(...outputs.map((o) => perWord(o.dtype)));
  const c = collapse(
    out0.shape,
    inputs.map((x) => x.strides),
  );
  const nd = c.shape.length;
  const { bindings, names } = be.bind([...inputs, ...outputs]);
  const loaders = inputs.map((x, k) => rawLoader(`raw${k}`, names[k]!, x.dtype));
  // 2 dims (a row broadcast, a transpose): the element's coordinates once, for every input
  const coords = nd === 2 ? 'let c0 = e / md[3]; let c1 = e - c0 * md[3];\n      ' : '';
  const loads = coords + inputs.map((_x, k) => `let x${k} = raw${k}(${nd === 2 ? `off2(${k}u, c0, c1)` : `off(e, ${k}u)`});`).join('\n      ');
  const stores = outputs
    .map((o, k) => {
      if (wideOut) return `${names[inputs.length + k]}[2u * e] = o${k}.x; ${names[inputs.length + k]}[2u * e + 1u] = o${k}.y;`;
      const bits = o.dtype.size * 8;
      const shift = o.dtype.size === 4 ? '' : ` << (l * ${bits}u)`;
      return `w${k} |= o${k}${shift};`;
    })
    .join('\n      ');
  const body = `${spec.body}`;
  const helpers = helpersFor(body);
  // helpers guarding against reassociation read a run-time 1.0 (ONEC_) after the meta words
  const oneAt = 2 + nd + inputs.length * (nd + 1);
  const needOne = helpers.includes('ONEC_');
  const code = `${loaders.join('\n')}
${helpers}
${offsetFn(nd)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = gid.x + gid.y * nw.x * 64u;
  let n = md[0];
  if (t * ${per}u >= n) { return; }
  ${needOne ? `ONEC_ = bitcast<f32>(md[${oneAt}]);` : ''}
  ${wideOut ? '' : outputs.map((_o, k) => `var w${k} = 0u;`).join(' ')}
  for (var l = 0u; l < ${per}u; l++) {
    let e = t * ${per}u + l;
    if (e < n) {
      ${loads}
      ${body}
      ${stores}
    }
  }
  ${wideOut ? '' : outputs.map((_o, k) => `${names[inputs.length + k]}[t] = w${k};`).join('\n  ')}
}`;
  const meta = new Uint32Array(oneAt + 1);
  new Float32Array(meta.buffer)[oneAt] = 1;
  const m32 = new Int32Array(meta.buffer);
  meta[0] = n;
  meta[1] = nd;
  c.shape.forEach((s, d) => (meta[2 + d] = s));
  inputs.forEach((x, k) => {
    const base = 2 + nd + k * (nd + 1);
    m32[base] = x.offset;
    c.strides[k]!.forEach((s, d) => (m32[base + 1 + d] = s));
  });
  be.dispatch(code, bindings, meta, Math.ceil(n / per));
}

/**
 * Element e's offset in input k (meta: [n, nd, shape..., then per input offset, strides...]).
 * After collapse most calls have at most one dimension: then no division (a u32 division is
 * tens of cycles on a GPU, and far more under a CPU adapter such as lavapipe); with two (a row
 * broadcast, a transpose) the coordinates come from one division shared by the inputs
 * (`off2`); the general form walks the dims. nd is part of the source, so each form is its own
 * cached pipeline.
 */
function offsetFn(nd: number): string {
  if (nd === 2) {
    return `fn off2(k: u32, c0: u32, c1: u32) -> i32 {
  let base = 4u + k * 3u;
  return bitcast<i32>(md[base]) + i32(c0) * bitcast<i32>(md[base + 1u]) + i32(c1) * bitcast<i32>(md[base + 2u]);
}`;
  }
  if (nd <= 1) {
    return `fn off(e: u32, k: u32) -> i32 {
  let base = 2u + ${nd}u + k * ${nd + 1}u;
  return bitcast<i32>(md[base])${nd === 1 ? ' + i32(e) * bitcast<i32>(md[base + 1u])' : ''};
}`;
  }
  return `fn off(e: u32, k: u32) -> i32 {
  let nd = md[1];
  let base = 2u + nd + k * (nd + 1u);
  var r = bitcast<i32>(md[base]);
  var rem = e;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let dim = md[2u + u32(d)];
    r += i32(rem % dim) * bitcast<i32>(md[base + 1u + u32(d)]);
    rem = rem / dim;
  }
  return r;
}`;
}

/** Raw bits of `d` to compute type and back: the conversion every kernel's stores go through. */
function convert(from: Dtype, to: Dtype, raw: string): string {
  if (from === to) return raw;
  return toRaw(ctypeOf(from), to, fromRaw(from, raw));
}

export function runAsType(be: WebGPUBackend, x: ArrayData, out: ArrayData): void {
  // same dtype: a raw copy, so NaN payloads survive
  runElementwise(be, { inputs: [x], outputs: [out], body: `let o0 = ${convert(x.dtype, out.dtype, 'x0')};` });
}

export function runUnary(be: WebGPUBackend, name: string, x: ArrayData, out: ArrayData): boolean {
  const f = unaryOps[name];
  const ct = ctypeOf(x.dtype);
  const r = f?.(`a`, ct, x.dtype);
  if (!r) return false;
  runElementwise(be, {
    inputs: [x],
    outputs: [out],
    body: `let a = ${fromRaw(x.dtype, 'x0')};\n      let o0 = ${toRaw(r[1], out.dtype, r[0])};`,
  });
  return true;
}

export function runBinary(be: WebGPUBackend, name: string, a: ArrayData, b: ArrayData, out: ArrayData): boolean {
  const f = binaryOps[name];
  const ct = ctypeOf(a.dtype);
  const r = f?.('a', 'b', ct, a.dtype);
  if (!r) return false;
  runElementwise(be, {
    inputs: [a, b],
    outputs: [out],
    body: `let a = ${fromRaw(a.dtype, 'x0')};\n      let b = ${fromRaw(b.dtype, 'x1')};\n      let o0 = ${toRaw(r[1] as RType, out.dtype, r[0])};`,
  });
  return true;
}

export function runDivMod(be: WebGPUBackend, a: ArrayData, b: ArrayData, q: ArrayData, r: ArrayData): boolean {
  const ct = ctypeOf(a.dtype);
  const fq = binaryOps.FloorDivide!('a', 'b', ct, a.dtype)!;
  const fr = binaryOps.Remainder!('a', 'b', ct, a.dtype)!;
  runElementwise(be, {
    inputs: [a, b],
    outputs: [q, r],
    body: `let a = ${fromRaw(a.dtype, 'x0')};\n      let b = ${fromRaw(b.dtype, 'x1')};\n      let o0 = ${toRaw(fq[1], q.dtype, fq[0])};\n      let o1 = ${toRaw(fr[1], r.dtype, fr[0])};`,
  });
  return true;
}

export function runSelect(be: WebGPUBackend, cond: ArrayData, x: ArrayData, y: ArrayData, out: ArrayData): void {
  // raw bits move, so every dtype is exact
  runElementwise(be, {
    inputs: [cond, x, y],
    outputs: [out],
    body: `let o0 = select(${convert(y.dtype, out.dtype, 'x2')}, ${convert(x.dtype, out.dtype, 'x1')}, x0 != 0u);`,
  });
}

interface FusedStep {
  readonly prim: { readonly name: string; readonly params: any };
  readonly inputs: readonly number[];
  readonly dtype: Dtype;
}
interface CompiledParams {
  readonly nInputs: number;
  readonly shape: readonly number[];
  readonly steps: readonly FusedStep[];
  readonly outputs: readonly number[];
}

/**
 * Compiled (mx.compile's fused elementwise chains): one kernel for the whole chain, as MLX's
 * Metal backend JIT-compiles it. Every step's value is stored to its dtype's bits and read
 * back (rounding halves, wrapping ints, normalizing bools), as the unfused steps would.
 * Outputs of different element sizes get one kernel each (the chain is recomputed).
 */
export function runCompiled(
  be: WebGPUBackend,
  p: CompiledParams,
  inputs: readonly ArrayData[],
  outputs: readonly ArrayData[],
  noKernel: (name: string, d: Dtype) => never,
): boolean {
  const dts: Dtype[] = inputs.map((x) => x.dtype);
  const lines: string[] = inputs.map((x, k) => `let r${k} = x${k};\n      let v${k} = ${fromRaw(x.dtype, `x${k}`)};`);
  p.steps.forEach((st, s) => {
    const i = p.nInputs + s;
    const ins = st.inputs;
    const name = st.prim.name;
    const d0 = dts[ins[0]!]!;
    // an intermediate dtype the GPU doesn't have (int64 between float32 ends) has no kernel
    if (!gpuDtype(st.dtype)) noKernel(name, st.dtype);
    let raw: string | null = null;
    if (name === 'AsType') raw = convert(d0, st.dtype, `r${ins[0]}`);
    else if (name === 'Select') raw = `select(${convert(dts[ins[2]!]!, st.dtype, `r${ins[2]}`)}, ${convert(dts[ins[1]!]!, st.dtype, `r${ins[1]}`)}, r${ins[0]} != 0u)`;
    else if (unaryOps[name] && ins.length === 1) {
      const r = unaryOps[name]!(`v${ins[0]}`, ctypeOf(d0), d0);
      if (r) raw = toRaw(r[1], st.dtype, r[0]);
    } else if (binaryOps[name] && ins.length === 2) {
      const r = binaryOps[name]!(`v${ins[0]}`, `v${ins[1]}`, ctypeOf(d0), d0);
      if (r) raw = toRaw(r[1] as RType, st.dtype, r[0]);
    }
    if (raw === null) noKernel(name, d0);
    dts.push(st.dtype);
    lines.push(`let r${i} = ${raw};\n      let v${i} = ${fromRaw(st.dtype, `r${i}`)};`);
  });
  const sizes = [...new Set(outputs.map((o) => o.dtype.size))];
  for (const size of sizes) {
    const ks = outputs.map((o, k) => (o.dtype.size === size ? k : -1)).filter((k) => k >= 0);
    runElementwise(be, {
      inputs,
      outputs: ks.map((k) => outputs[k]!),
      body: `${lines.join('\n      ')}\n      ${ks.map((k, j) => `let o${j} = r${p.outputs[k]};`).join('\n      ')}`,
    });
  }
  return true;
}
