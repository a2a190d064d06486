// Hadamard (MLX's primitive: the Walsh-Hadamard transform along the last axis times a float32
// scale, for lengths m * 2^k, m in 1, 12, 20, 28): one workgroup per row, working in f32 words
// of the output (every value is rounded to the dtype, so f32 holds it exactly): the butterflies
// stage by stage (storage barriers between stages), rounded to the dtype, the last stage scaled
// when m = 1; then for m > 1 each column of the m x n view mixed by the sign matrix with a
// float32 running sum in k order and scaled. The reference's roundings step by step: bit-exact.
import { hadamardSignRows, type ArrayData } from '@mlx-ts/core';
import type { WebGPUBackend } from './backend.js';
import { writeWords } from './reduce.js';
import { fromRaw, helpersFor, rawLoader, roundToDtype, toRaw } from './wgsl.js';
import { FF, FLOATS, Meta, offsetFn } from './matmul-variants.js';

const WG = 64;

/** MLX's decompose_hadamard (the op has validated the length): [2^k, m]. */
function decompose(len: number): [number, number] {
  if ((len & (len - 1)) === 0) return [len, 1];
  const m = [12, 20, 28].find((f) => len % f === 0 && ((len / f) & (len / f - 1)) === 0)!;
  return [len / m, m];
}

export function runHadamard(be: WebGPUBackend, scale: number, x: ArrayData, out: ArrayData): boolean {
  if (!FLOATS.includes(x.dtype.name) || out.dtype !== x.dtype) return false;
  const len = x.shape[x.shape.length - 1]!;
  const rowShape = x.shape.slice(0, -1);
  const rows = rowShape.reduce((a, b) => a * b, 1);
  if (rows * len === 0) return true;
  const [n, m] = decompose(len);
  const dt = x.dtype;
  const meta = new Meta();
  meta.f(1);
  meta.f(scale);
  meta.u(rows, x.strides[x.shape.length - 1]!);
  const LX = meta.layout(x, rowShape, rowShape.length);
  const SG = meta.at;
  if (m > 1) {
    const r = hadamardSignRows[m]!.split(/\s+/).filter(Boolean);
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) meta.u(r[j]![k] === '+' ? 1 : 0);
  }
  const rt = (v: string) => roundToDtype(dt, `r_(${v})`);
  writeWords(be, out, (target) => {
    const { bindings, names } = be.bind([x, target]);
    const Y = names[1]!;
    const y = (i: string) => `bitcast<f32>(${Y}[base + ${i}])`;
    const code = `
${rawLoader('rawX', names[0]!, x.dtype)}
${offsetFn('offX', LX, rowShape.length)}
${FF}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  ONE_ = bitcast<f32>(md[0]);
  let scale = bitcast<f32>(md[1]);
  let row0 = wid.x + wid.y * nw.x;
  let live = row0 < md[2];
  let row = min(row0, md[2] - 1u);
  let base = row * ${len}u;
  let xo = offX(row);
  let sx = bitcast<i32>(md[3]);
  if (live) {
    for (var i = lid; i < ${len}u; i += ${WG}u) { ${Y}[base + i] = bitcast<u32>(${fromRaw(x.dtype, 'rawX(xo + i32(i) * sx)')}); }
  }
  storageBarrier();
  for (var h = 1u; h < ${n}u; h *= 2u) {
    let last = ${m === 1 ? 'true' : 'false'} && 2u * h == ${n}u;
    if (live) {
      for (var p = lid; p < ${len / 2}u; p += ${WG}u) {
        let j = (p / h) * 2u * h + p % h;
        let a = ${y('j')};
        let c = ${y('j + h')};
        var s = ${rt('a + c')};
        var d = ${rt('a - c')};
        if (last) { s = ${rt('s * scale')}; d = ${rt('d * scale')}; }
        ${Y}[base + j] = bitcast<u32>(s);
        ${Y}[base + j + h] = bitcast<u32>(d);
      }
    }
    storageBarrier();
  }
  ${
    m > 1
      ? `if (live) {
    for (var i = lid; i < ${n}u; i += ${WG}u) {
      var col: array<f32, ${m}>;
      for (var k = 0u; k < ${m}u; k++) { col[k] = ${y(`k * ${n}u + i`)}; }
      for (var j = 0u; j < ${m}u; j++) {
        var acc = 0.0;
        for (var k = 0u; k < ${m}u; k++) {
          let v = col[k];
          acc = select(r_(acc - v), r_(acc + v), md[${SG}u + j * ${m}u + k] == 1u);
        }
        ${Y}[base + j * ${n}u + i] = bitcast<u32>(${rt('acc * scale')});
      }
    }
  }
  storageBarrier();`
      : ''
  }
  ${
    dt.size === 4
      ? ''
      : `// the f32 working values to the dtype's bits (one word per element, packed by writeWords)
  if (live) {
    for (var i = lid; i < ${len}u; i += ${WG}u) { ${Y}[base + i] = ${toRaw('f32', dt, y('i'))}; }
  }`
  }
}`;
    be.dispatchGroups(helpersFor(code) + code, bindings, meta.array(), rows);
  });
  return true;
}
