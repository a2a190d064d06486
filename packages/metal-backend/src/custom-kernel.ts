// mx.fast.metalKernel on WebGPU: the user's WGSL body inside a generated compute shader. As
// MLX's Metal kernels: inputs and outputs are storage arrays named as given (a 0-d input is a
// value), `<name>_shape` / `_strides` / `_ndim` exist where the source uses them, template
// arguments are an alias (dtypes) or consts, and Metal's attribute names are the builtins
// (thread_position_in_grid ...). The grid counts threads, as Metal's dispatchThreads: the
// invocations past it return before the body (so a body with barriers needs a grid that is a
// multiple of the threadgroup).
//
// Dtypes: float32, int32, uint32 and complex64 (vec2<f32>) are bound as they are stored, float16
// as f16 where the adapter has shader-f16 (and passes the float16 probe). The others have no
// WGSL storage type of their size and reach the kernel widened to 32 bits, their outputs written
// there and converted back as astype does: bfloat16 (and float16 without shader-f16) as f32,
// int8/int16 as i32, uint8/uint16 and bool as u32 (nonzero is true). A template dtype names the
// same type. 64-bit integers (and float64, which the GPU doesn't have) raise.
import { float32, int32, uint32, type ArrayData, type CustomKernelParams, type Dtype } from '@mlx-ts/core';
import type { GpuStorage, WebGPUBackend } from './backend.js';
import { runAsType } from './elementwise.js';

const ELEMENT: Record<string, string> = { float32: 'f32', int32: 'i32', uint32: 'u32', complex64: 'vec2<f32>' };
/** dtypes bound through a 32-bit copy */
const WIDENED: Record<string, Dtype> = { bfloat16: float32, int8: int32, int16: int32, uint8: uint32, uint16: uint32, bool: uint32 };

/** The WGSL element type a kernel sees for dtype d. */
function elementType(d: Dtype, who: string, kernel: string, f16: boolean): string {
  if (d.name === 'float16') return f16 ? 'f16' : 'f32';
  const t = ELEMENT[d.name] ?? ELEMENT[WIDENED[d.name]?.name ?? ''];
  if (!t) throw new TypeError(`[metal_kernel] ${kernel}: ${who} is ${d.name}; WGSL kernels on WebGPU take float32, float16, bfloat16, complex64 and the 8-, 16- and 32-bit integer and bool arrays (convert with astype)`);
  return t;
}

/** The dtype an array is bound as: itself, or its 32-bit widening. */
function boundDtype(d: Dtype, f16: boolean): Dtype {
  if (d.name === 'float16') return f16 ? d : float32;
  return WIDENED[d.name] ?? d;
}

const rowStrides = (shape: readonly number[]): number[] => {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i]!;
  }
  return st;
};

const i32s = (xs: readonly number[]): string => `array<i32, ${Math.max(1, xs.length)}>(${(xs.length ? xs : [0]).join(', ')})`;

/** The WGSL module for one launch (cached by the host per source). */
export function customKernelSource(p: CustomKernelParams, inputs: readonly ArrayData[], outputs: readonly ArrayData[], guard: boolean, foldedX = 0, f16 = false): string {
  const used = (n: string) => p.source.includes(n);
  const lines: string[] = [`// ${p.name}`, p.header];
  for (const [n, v] of p.template) {
    if (typeof v === 'boolean') lines.push(`const ${n}: bool = ${v};`);
    else if (typeof v === 'number') lines.push(`const ${n}: i32 = ${v};`);
    else lines.push(`alias ${n} = ${elementType(v, `template argument '${n}'`, p.name, f16)};`);
  }
  const scalars: string[] = [];
  inputs.forEach((x, i) => {
    const n = p.inputNames[i]!;
    const t = elementType(x.dtype, `input '${n}'`, p.name, f16);
    const scalar = x.shape.length === 0;
    lines.push(`@group(0) @binding(${i + 1}) var<storage, read_write> ${scalar ? `${n}_buffer` : n}: array<${t}>;`);
    if (scalar) scalars.push(`  let ${n} = ${n}_buffer[0];`);
    if (used(`${n}_shape`)) lines.push(`var<private> ${n}_shape: array<i32, ${Math.max(1, x.shape.length)}> = ${i32s(x.shape)};`);
    if (used(`${n}_strides`)) lines.push(`var<private> ${n}_strides: array<i32, ${Math.max(1, x.shape.length)}> = ${i32s(x.strides)};`);
    if (used(`${n}_ndim`)) lines.push(`const ${n}_ndim: i32 = ${x.shape.length};`);
  });
  outputs.forEach((o, j) => {
    const n = p.outputNames[j]!;
    let t = elementType(o.dtype, `output '${n}'`, p.name, f16);
    if (p.atomicOutputs) {
      if (o.dtype.name !== 'int32' && o.dtype.name !== 'uint32') throw new TypeError(`[metal_kernel] ${p.name}: atomic output '${n}' is ${o.dtype.name}; WGSL has atomics on int32 and uint32 only`);
      t = `atomic<${t}>`;
    }
    lines.push(`@group(0) @binding(${inputs.length + j + 1}) var<storage, read_write> ${n}: array<${t}>;`);
  });
  const [tx, ty, tz] = p.threadgroup;
  lines.push(
    `const threads_per_threadgroup = vec3<u32>(${tx}u, ${ty}u, ${tz}u);`,
    `const threads_per_grid = vec3<u32>(${p.grid.map((g) => `${g}u`).join(', ')});`,
    `@compute @workgroup_size(${tx}, ${ty}, ${tz})`,
  );
  if (foldedX === 0) {
    lines.push(
      'fn main(@builtin(global_invocation_id) thread_position_in_grid: vec3<u32>,',
      '        @builtin(local_invocation_id) thread_position_in_threadgroup: vec3<u32>,',
      '        @builtin(local_invocation_index) thread_index_in_threadgroup: u32,',
      '        @builtin(workgroup_id) threadgroup_position_in_grid: vec3<u32>,',
      '        @builtin(num_workgroups) threadgroups_per_grid: vec3<u32>) {',
    );
  } else {
    // a 1-d grid of more threadgroups than one dispatch dimension takes, folded onto two: the
    // names the body sees are those of the unfolded grid (the extra groups return at once)
    lines.push(
      'fn main(@builtin(local_invocation_id) thread_position_in_threadgroup: vec3<u32>,',
      '        @builtin(local_invocation_index) thread_index_in_threadgroup: u32,',
      '        @builtin(workgroup_id) folded_id_: vec3<u32>,',
      '        @builtin(num_workgroups) folded_n_: vec3<u32>) {',
      '  let group_x_ = folded_id_.y * folded_n_.x + folded_id_.x;',
      `  if (group_x_ >= ${foldedX}u) { return; }`,
      '  let threadgroup_position_in_grid = vec3<u32>(group_x_, 0u, 0u);',
      `  let threadgroups_per_grid = vec3<u32>(${foldedX}u, 1u, 1u);`,
      `  let thread_position_in_grid = vec3<u32>(group_x_ * ${tx}u, 0u, 0u) + thread_position_in_threadgroup;`,
    );
  }
  if (guard) lines.push('  if (any(thread_position_in_grid >= threads_per_grid)) { return; }');
  lines.push(...scalars, p.source, '}');
  const code = lines.join('\n');
  return /\bf16\b/.test(code) && f16 ? `enable f16;\n${code}` : code;
}

export function runCustomKernel(be: WebGPUBackend, p: CustomKernelParams, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): boolean {
  const a = be.adapter;
  const [tx, ty, tz] = p.threadgroup;
  if (tx * ty * tz > a.maxComputeInvocationsPerWorkgroup || p.threadgroup.some((t, i) => t > a.maxComputeWorkgroupSize[i]!)) {
    throw new RangeError(
      `[metal_kernel] ${p.name}: threadgroup (${p.threadgroup.join(', ')}) is larger than this adapter allows (at most ${a.maxComputeInvocationsPerWorkgroup} threads, (${a.maxComputeWorkgroupSize.join(', ')}) per dimension)`,
    );
  }
  const groups = p.grid.map((g, i) => Math.ceil(g / p.threadgroup[i]!));
  const most = a.maxComputeWorkgroupsPerDimension;
  // a 1-d grid past one dimension's limit (Metal takes it in one): folded onto x and y
  let foldedX = 0;
  if (groups[0]! > most && groups[1] === 1 && groups[2] === 1 && groups[0]! <= most * most) {
    foldedX = groups[0]!;
    groups[1] = Math.ceil(foldedX / most);
    groups[0] = Math.ceil(foldedX / groups[1]);
  }
  if (groups.some((g) => g > most)) {
    throw new RangeError(`[metal_kernel] ${p.name}: grid (${p.grid.join(', ')}) needs more than ${most} threadgroups in one dimension (a 1-d grid may take up to ${most}^2)`);
  }
  if (inputs.length + outputs.length + 1 > a.maxStorageBuffersPerShaderStage) {
    throw new RangeError(`[metal_kernel] ${p.name}: ${inputs.length} inputs and ${outputs.length} outputs need more storage bindings than this adapter's ${a.maxStorageBuffersPerShaderStage - 1}`);
  }
  // (asking for the mode runs the float16 probe once: only where a float16 is involved)
  const half = [...inputs, ...outputs].some((x) => x.dtype.name === 'float16') || p.template.some(([, v]) => typeof v === 'object' && (v as Dtype).name === 'float16');
  const f16 = half && be.f16 === 'native';
  [...inputs, ...outputs].forEach((x, i) => elementType(x.dtype, i < inputs.length ? `input '${p.inputNames[i]}'` : `output '${p.outputNames[i - inputs.length]}'`, p.name, f16));
  if (p.atomicOutputs) {
    outputs.forEach((o, j) => {
      if (o.dtype.name !== 'int32' && o.dtype.name !== 'uint32') throw new TypeError(`[metal_kernel] ${p.name}: atomic output '${p.outputNames[j]}' is ${o.dtype.name}; WGSL has atomics on int32 and uint32 only`);
    });
  }
  const temps: ArrayData[] = [];
  const temp = (x: ArrayData, d: Dtype): ArrayData => {
    const n = x.shape.reduce((s, k) => s * k, 1);
    const t: ArrayData = { storage: be.allocate(n * d.size), dtype: d, shape: x.shape, strides: rowStrides(x.shape), offset: 0 };
    temps.push(t);
    return t;
  };
  // each name needs its own binding at offset 0: inputs sharing a buffer, or starting inside
  // one (a view), are copied first; dtypes without a WGSL storage type of their size, widened
  const seen = new Set<unknown>();
  const ins = inputs.map((x) => {
    const d = boundDtype(x.dtype, f16);
    if (d === x.dtype && x.offset === 0 && !seen.has(x.storage)) {
      seen.add(x.storage);
      return x;
    }
    const t = temp(x, d);
    runAsType(be, x, t);
    return t;
  });
  const outs = outputs.map((o) => (boundDtype(o.dtype, f16) === o.dtype ? o : temp(o, boundDtype(o.dtype, f16))));
  if (p.initValue !== null) {
    for (const o of outs) {
      const n = o.shape.reduce((s, k) => s * k, 1);
      if (n === 0) continue;
      // the bound array's elements: 32-bit, complex64, or native float16 (written as float32, then converted there)
      const d = o.dtype.name;
      const v = p.initValue;
      const at = d === 'float16' ? temp(o, float32) : o;
      const fill = d === 'int32' ? new Int32Array(n).fill(v) : d === 'uint32' ? new Uint32Array(n).fill(v) : d === 'complex64' ? new Float32Array(2 * n).map((_, i) => (i % 2 ? 0 : v)) : new Float32Array(n).fill(v);
      be.write(at.storage, 0, new Uint8Array(fill.buffer));
      if (at !== o) runAsType(be, at, o);
    }
  }
  const guard = p.grid.some((g, i) => g % p.threadgroup[i]! !== 0);
  const code = customKernelSource(p, ins, outs, guard, foldedX, f16);
  if (p.verbose) console.log(`[metal_kernel] ${p.name} (WGSL):\n${code}`);
  // the user's WGSL indexes its own bindings: no windows behind its back
  const { bindings } = be.bind([...ins, ...outs], { windows: false });
  be.host.dispatch(be.host.shader(code, bindings.length), bindings, new Uint32Array(4), groups[0]!, groups[1]!, groups[2]!);
  // widened outputs converted back, as astype converts
  outs.forEach((t, j) => {
    if (t !== outputs[j]) runAsType(be, t, outputs[j]!);
  });
  for (const t of temps) {
    t.storage.released = true;
    be.release(t.storage);
  }
  return true;
}
