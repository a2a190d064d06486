// mx.fast.metalKernel on WebGPU: the user's WGSL body inside a generated compute shader. As
// MLX's Metal kernels: inputs and outputs are storage arrays named as given (a 0-d input is a
// value), `<name>_shape` / `_strides` / `_ndim` exist where the source uses them, template
// arguments are an alias (dtypes) or consts, and Metal's attribute names are the builtins
// (thread_position_in_grid ...). The grid counts threads, as Metal's dispatchThreads: the
// invocations past it return before the body (so a body with barriers needs a grid that is a
// multiple of the threadgroup).
import type { ArrayData, CustomKernelParams, Dtype } from '@mlx-ts/core';
import type { GpuStorage, WebGPUBackend } from './backend.js';
import { runAsType } from './elementwise.js';

const ELEMENT: Record<string, string> = { float32: 'f32', int32: 'i32', uint32: 'u32' };

function elementType(d: Dtype, who: string, kernel: string): string {
  const t = ELEMENT[d.name];
  if (!t) throw new TypeError(`[metal_kernel] ${kernel}: ${who} is ${d.name}; WGSL kernels on WebGPU take float32, int32 and uint32 arrays (convert with astype)`);
  return t;
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
export function customKernelSource(p: CustomKernelParams, inputs: readonly ArrayData[], outputs: readonly ArrayData[], guard: boolean, foldedX = 0): string {
  const used = (n: string) => p.source.includes(n);
  const lines: string[] = [`// ${p.name}`, p.header];
  for (const [n, v] of p.template) {
    if (typeof v === 'boolean') lines.push(`const ${n}: bool = ${v};`);
    else if (typeof v === 'number') lines.push(`const ${n}: i32 = ${v};`);
    else lines.push(`alias ${n} = ${elementType(v, `template argument '${n}'`, p.name)};`);
  }
  const scalars: string[] = [];
  inputs.forEach((x, i) => {
    const n = p.inputNames[i]!;
    const t = elementType(x.dtype, `input '${n}'`, p.name);
    const scalar = x.shape.length === 0;
    lines.push(`@group(0) @binding(${i + 1}) var<storage, read_write> ${scalar ? `${n}_buffer` : n}: array<${t}>;`);
    if (scalar) scalars.push(`  let ${n} = ${n}_buffer[0];`);
    if (used(`${n}_shape`)) lines.push(`var<private> ${n}_shape: array<i32, ${Math.max(1, x.shape.length)}> = ${i32s(x.shape)};`);
    if (used(`${n}_strides`)) lines.push(`var<private> ${n}_strides: array<i32, ${Math.max(1, x.shape.length)}> = ${i32s(x.strides)};`);
    if (used(`${n}_ndim`)) lines.push(`const ${n}_ndim: i32 = ${x.shape.length};`);
  });
  outputs.forEach((o, j) => {
    const n = p.outputNames[j]!;
    let t = elementType(o.dtype, `output '${n}'`, p.name);
    if (p.atomicOutputs) {
      if (t === 'f32') throw new TypeError(`[metal_kernel] ${p.name}: atomic output '${n}' is float32; WGSL has atomics on int32 and uint32 only`);
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
  return lines.join('\n');
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
  // each name needs its own binding at offset 0: inputs sharing a buffer, or starting inside
  // one (a view), are copied first
  const temps: ArrayData[] = [];
  const seen = new Set<unknown>();
  const ins = inputs.map((x) => {
    if (x.offset === 0 && !seen.has(x.storage)) {
      seen.add(x.storage);
      return x;
    }
    const n = x.shape.reduce((s, d) => s * d, 1);
    const t: ArrayData = { storage: be.allocate(n * x.dtype.size), dtype: x.dtype, shape: x.shape, strides: rowStrides(x.shape), offset: 0 };
    runAsType(be, x, t);
    temps.push(t);
    return t;
  });
  for (const o of outputs) {
    elementType(o.dtype, 'an output', p.name);
    if (p.initValue !== null) {
      const n = o.storage.byteLength / 4;
      const fill = o.dtype.name === 'float32' ? new Float32Array(n).fill(p.initValue) : o.dtype.name === 'int32' ? new Int32Array(n).fill(p.initValue) : new Uint32Array(n).fill(p.initValue);
      if (n > 0) be.write(o.storage, 0, new Uint8Array(fill.buffer));
    }
  }
  const guard = p.grid.some((g, i) => g % p.threadgroup[i]! !== 0);
  const code = customKernelSource(p, ins, outputs, guard, foldedX);
  if (p.verbose) console.log(`[metal_kernel] ${p.name} (WGSL):\n${code}`);
  const { bindings } = be.bind([...ins, ...outputs]);
  be.host.dispatch(be.host.shader(code, bindings.length), bindings, new Uint32Array(4), groups[0]!, groups[1]!, groups[2]!);
  for (const t of temps) {
    t.storage.released = true;
    be.release(t.storage);
  }
  return true;
}
