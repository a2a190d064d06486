// mx.fast.metalKernel with WGSL bodies: elementwise, a template, strided inputs with their
// _shape/_strides/_ndim, a 0-d input, atomics with initValue, several outputs; and the errors
// (bad definitions, bad calls, the CPU, dtypes WGSL can't bind).
import { afterEach, describe, expect, it } from 'vitest';
import * as mx from '@mlx-ts/core';
import { gpuBackend, noGpu } from './gpu-helpers.js';

afterEach(() => mx.setDefaultDevice(mx.cpu));

describe.skipIf(noGpu)('mx.fast.metalKernel (WGSL)', () => {
  it('an elementwise kernel: exp over thread_position_in_grid.x', () => {
    const k = mx.fast.metalKernel({
      name: 'myexp',
      inputNames: ['inp'],
      outputNames: ['out'],
      source: 'let i = thread_position_in_grid.x;\n  out[i] = exp(inp[i]);',
    });
    const a = mx.array([0, 1, -1, 2.5, 3, -3, 0.5]);
    const [o] = k({ inputs: [a], grid: [7, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[7]], outputDtypes: [mx.float32], stream: mx.gpu });
    const want = mx.exp(a, mx.cpu).tolist() as number[];
    (o!.tolist() as number[]).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]!))));
  });

  it('a template (dtype alias and integer constant), a header, positional definition, default device GPU, verbose', () => {
    mx.setDefaultDevice(mx.gpu);
    const k = mx.fast.metalKernel('scale_add', ['x', 'y'], ['out'], 'let i = thread_position_in_grid.x;\n  out[i] = axpy(T(N), x[i], y[i]);', 'fn axpy(a: i32, x: i32, y: i32) -> i32 { return a * x + y; }');
    const x = mx.array([1, 2, 3, 4], mx.int32);
    const y = mx.array([10, 20, 30, 40], mx.int32);
    const [o] = k({ inputs: [x, y], template: [['T', mx.int32], ['N', 3]], grid: [4, 1, 1], threadgroup: [2, 1, 1], outputShapes: [[4]], outputDtypes: [mx.int32] });
    expect(o!.dtype).toBe(mx.int32);
    expect(o!.tolist()).toEqual([13, 26, 39, 52]);
    // the object form of the template, another value: another shader
    const [o2] = k({ inputs: [x, y], template: { T: mx.int32, N: -1 }, grid: [4, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4]], outputDtypes: [mx.int32] });
    expect(o2!.tolist()).toEqual([9, 18, 27, 36]);
    // verbose prints the generated module
    const logged: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void logged.push(a.join(' '));
    try {
      mx.eval(k({ inputs: [x, y], template: { T: mx.int32, N: 2 }, grid: [4, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4]], outputDtypes: [mx.int32], verbose: true }));
    } finally {
      console.log = log;
    }
    expect(logged.join('\n')).toMatch(/\[metal_kernel\] scale_add \(WGSL\):[\s\S]*fn axpy[\s\S]*alias T = i32;[\s\S]*const N: i32 = 2;/);
  });

  it('ensureRowContiguous false: a transposed input read through its _shape/_strides/_ndim', () => {
    const src = `
  let i = i32(thread_position_in_grid.x);
  // row-major position i of the logical array -> its element through the strides
  var rem = i;
  var loc = 0;
  for (var d = a_ndim - 1; d >= 0; d--) {
    loc += (rem % a_shape[d]) * a_strides[d];
    rem /= a_shape[d];
  }
  out[i] = a[loc] * 10.0;`;
    const k = mx.fast.metalKernel({ name: 'strided', inputNames: ['a'], outputNames: ['out'], source: src, ensureRowContiguous: false });
    const base = mx.reshape(mx.arange(6, mx.float32), [2, 3]);
    const t = mx.transpose(base);
    const [o] = k({ inputs: [t], grid: [6, 1, 1], threadgroup: [8, 1, 1], outputShapes: [[3, 2]], outputDtypes: [mx.float32], stream: mx.gpu });
    expect(o!.tolist()).toEqual(mx.multiply(t, 10, mx.cpu).tolist());
    // with the default (row contiguous) the same body sees row-major strides
    const k2 = mx.fast.metalKernel({ name: 'strided2', inputNames: ['a'], outputNames: ['out'], source: src });
    const [o3] = k2({ inputs: [t], grid: [6, 1, 1], threadgroup: [8, 1, 1], outputShapes: [[3, 2]], outputDtypes: [mx.float32], stream: mx.gpu });
    expect(o3!.tolist()).toEqual(mx.multiply(t, 10, mx.cpu).tolist());
  });

  it('atomicOutputs with initValue: a histogram, and two outputs plus a 0-d input', () => {
    const k = mx.fast.metalKernel({
      name: 'hist',
      inputNames: ['v'],
      outputNames: ['counts'],
      source: 'let i = thread_position_in_grid.x;\n  atomicAdd(&counts[u32(v[i])], 1);',
      atomicOutputs: true,
    });
    const v = mx.array([0, 1, 1, 3, 3, 3, 2, 0, 3], mx.int32);
    const [h] = k({ inputs: [v], grid: [9, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4]], outputDtypes: [mx.int32], initValue: 0, stream: mx.gpu });
    expect(h!.tolist()).toEqual([2, 2, 1, 4]);

    const k2 = mx.fast.metalKernel({
      name: 'two',
      inputNames: ['x', 'c'],
      outputNames: ['lo', 'hi'],
      source: 'let i = thread_position_in_grid.x;\n  lo[i] = min(x[i], c);\n  hi[i] = max(x[i], c);',
    });
    const x = mx.array([1, 5, 2, 8]);
    const [lo, hi] = k2({ inputs: [x, 4], grid: [4, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4], [2, 2]], outputDtypes: [mx.float32, mx.float32], stream: mx.gpu });
    expect(lo!.tolist()).toEqual([1, 4, 2, 4]);
    expect(hi!.tolist()).toEqual([[4, 5], [4, 8]]);
    // the same array twice: each name gets its own binding
    const k3 = mx.fast.metalKernel({ name: 'addself', inputNames: ['a', 'b'], outputNames: ['o'], source: 'let i = thread_position_in_grid.x;\n  o[i] = a[i] + b[i];' });
    expect(k3({ inputs: [x, x], grid: [4, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4]], outputDtypes: [mx.float32], stream: mx.gpu })[0]!.tolist()).toEqual([2, 10, 4, 16]);
  });

  it('a 1-d grid of more threadgroups than one dispatch dimension takes runs folded, with the names of the unfolded grid', () => {
    const most = gpuBackend!.adapter.maxComputeWorkgroupsPerDimension;
    const n = most * 64 + 100; // one more threadgroup than a dimension takes, the last one partial
    const k = mx.fast.metalKernel({
      name: 'iota_big',
      inputNames: ['inp'],
      outputNames: ['out', 'grp'],
      source: [
        'let i = thread_position_in_grid.x;',
        '  out[i] = u32(inp[0]) + i;',
        '  if (thread_position_in_threadgroup.x == 0u) { grp[threadgroup_position_in_grid.x] = threadgroups_per_grid.x; }',
      ].join('\n'),
    });
    const groups = Math.ceil(n / 64);
    const [o, g] = k({ inputs: [mx.array([5], mx.float32)], grid: [n, 1, 1], threadgroup: [64, 1, 1], outputShapes: [[n], [groups]], outputDtypes: [mx.uint32, mx.uint32], stream: mx.gpu });
    const probe = [0, 1, 63, 64, most * 64 - 1, most * 64, n - 1];
    expect(probe.map((i) => o!.index(i).item())).toEqual(probe.map((i) => 5 + i));
    expect(mx.all(mx.equal(o!, mx.add(mx.arange(n, mx.uint32), 5)), undefined, undefined, mx.cpu).item()).toBe(true);
    expect(mx.all(mx.equal(g!, groups), undefined, undefined, mx.cpu).item()).toBe(true);
    // a 2-d grid past the limit stays an error that says so
    expect(() => mx.eval(k({ inputs: [mx.array([5], mx.float32)], grid: [n, 2, 1], threadgroup: [64, 1, 1], outputShapes: [[4], [4]], outputDtypes: [mx.uint32, mx.uint32], stream: mx.gpu }))).toThrow(/threadgroups in one dimension \(a 1-d grid may take up to/);
  });

  it('no transforms, as in MLX: grad, jvp and vmap of a custom kernel raise that the primitive has no rule', () => {
    const k = mx.fast.metalKernel({ name: 'sq', inputNames: ['inp'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  out[i] = inp[i] * inp[i];' });
    const f = (a: mx.MxArray) => k({ inputs: [a], grid: [3, 1, 1], threadgroup: [3, 1, 1], outputShapes: [[3]], outputDtypes: [mx.float32], stream: mx.gpu })[0]!;
    const a = mx.array([1, 2, 3]);
    expect(f(a).tolist()).toEqual([1, 4, 9]);
    expect(() => mx.grad((x: mx.MxArray) => mx.sum(f(x)))(a)).toThrow('[vjp] The primitive CustomKernel has no vjp rule.');
    expect(() => mx.jvp(f, [a], [mx.onesLike(a)])).toThrow('[jvp] The primitive CustomKernel has no jvp rule.');
    expect(() => mx.vmap(f)(mx.stack([a, a]))).toThrow(/CustomKernel/);
  });

  it('float16 as f16 where the adapter has it, and widened to f32 otherwise; bfloat16 widened; a template T naming them', () => {
    const be = gpuBackend!;
    const mode = be.f16;
    const k = mx.fast.metalKernel({ name: 'halfaxpy', inputNames: ['x', 'y'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  out[i] = T(2.5) * x[i] + y[i];' });
    // values whose results are exact in float16 and bfloat16, and one that rounds (ties to even)
    const xs = [1, -2, 0.5, 1024, 3, 0.1];
    const ys = [0.25, 8, -1, 1, 1 / 1024, 0];
    try {
      for (const m of mode === 'native' ? (['native', 'emulated'] as const) : (['emulated'] as const)) {
        be.f16 = m;
        for (const dt of [mx.float16, mx.bfloat16]) {
          const x = mx.array(xs, dt);
          const y = mx.array(ys, dt);
          const logged: string[] = [];
          const log = console.log;
          console.log = (...a: unknown[]) => void logged.push(a.join(' '));
          let o: mx.MxArray;
          try {
            [o] = k({ inputs: [x, y], template: { T: dt }, grid: [6, 1, 1], threadgroup: [3, 1, 1], outputShapes: [[6]], outputDtypes: [dt], stream: mx.gpu, verbose: true }) as [mx.MxArray];
            mx.eval(o);
          } finally {
            console.log = log;
          }
          expect(o.dtype).toBe(dt);
          // the kernel computes in its element type: f16 natively, else f32, rounded once when written
          const want = mx.add(mx.multiply(mx.astype(x, mx.float32), 2.5, mx.cpu), mx.astype(y, mx.float32), mx.cpu);
          const nativeHalf = dt === mx.float16 && m === 'native';
          const expected = nativeHalf ? mx.add(mx.multiply(x, mx.array(2.5, mx.float16), mx.cpu), y, mx.cpu) : mx.astype(want, dt, mx.cpu);
          expect(o.tolist(), `${dt.name}, ${m}`).toEqual(expected.tolist());
          expect(logged.join('\n'), `${dt.name}, ${m}`).toMatch(nativeHalf ? /\(WGSL\):\nenable f16;[\s\S]*alias T = f16;[\s\S]*x: array<f16>/ : /alias T = f32;[\s\S]*x: array<f32>/);
        }
      }
    } finally {
      be.f16 = mode;
    }
  });

  it('8- and 16-bit integers and bool widened to i32 / u32, written back as astype converts; complex64 as vec2<f32>; initValue on each', () => {
    const k = mx.fast.metalKernel({ name: 'inc', inputNames: ['a'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  out[i] = a[i] * T(3) + T(1);' });
    const run = (vals: number[], dt: mx.Dtype) => {
      const [o] = k({ inputs: [mx.array(vals, dt)], template: { T: dt }, grid: [vals.length, 1, 1], threadgroup: [1, 1, 1], outputShapes: [[vals.length]], outputDtypes: [dt], stream: mx.gpu });
      return o!;
    };
    // int8 wraps as the C cast (and astype) does: 100 * 3 + 1 = 301 -> 45; -128 * 3 + 1 -> -127
    expect(run([1, -2, 100, -128], mx.int8).tolist()).toEqual([4, -5, 45, -127]);
    expect(run([1, -2, 20000], mx.int16).tolist()).toEqual([4, -5, (20000 * 3 + 1) - 65536]);
    expect(run([1, 200, 255], mx.uint8).tolist()).toEqual([4, (601) % 256, (766) % 256]);
    expect(run([1, 40000], mx.uint16).tolist()).toEqual([4, (120001) % 65536]);
    // bool: a u32 whose nonzero values are true
    const b = mx.fast.metalKernel({ name: 'notk', inputNames: ['a'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  out[i] = select(0u, 7u, a[i] == 0u);' });
    const [bo] = b({ inputs: [mx.array([true, false, false, true])], grid: [4, 1, 1], threadgroup: [2, 1, 1], outputShapes: [[4]], outputDtypes: [mx.bool], stream: mx.gpu });
    expect(bo!.dtype).toBe(mx.bool);
    expect(bo!.tolist()).toEqual([false, true, true, false]);
    // complex64: vec2<f32> (re, im)
    const c = mx.fast.metalKernel({ name: 'cmul', inputNames: ['z'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  let v = z[i];\n  out[i] = vec2<f32>(v.x * v.x - v.y * v.y, 2.0 * v.x * v.y);' });
    const z = mx.array([mx.Complex(1, 2), mx.Complex(-3, 0.5)]);
    const [co] = c({ inputs: [z], grid: [2, 1, 1], threadgroup: [2, 1, 1], outputShapes: [[2]], outputDtypes: [mx.complex64], stream: mx.gpu });
    expect(co!.tolist()).toEqual(mx.square(z, mx.cpu).tolist());
    // initValue fills the bound array: untouched elements keep it, converted as the output's dtype
    const some = mx.fast.metalKernel({ name: 'firsthalf', inputNames: ['a'], outputNames: ['out'], source: 'let i = thread_position_in_grid.x;\n  if (i < 2u) { out[i] = a[i]; }' });
    for (const [dt, init, want] of [
      [mx.int8, 300, [5, 6, 44, 44]],
      [mx.float16, 1 / 3, [5, 6, 0.333251953125, 0.333251953125]],
      [mx.bfloat16, 1 / 3, [5, 6, 0.333984375, 0.333984375]],
    ] as const) {
      const [o] = some({ inputs: [mx.array([5, 6, 7, 8], dt)], grid: [4, 1, 1], threadgroup: [4, 1, 1], outputShapes: [[4]], outputDtypes: [dt], initValue: init, stream: mx.gpu });
      expect(o!.tolist(), dt.name).toEqual(want);
    }
  });

  it('errors: definitions, calls, the CPU, dtypes and atomics WGSL lacks, a WGSL compile error', () => {
    const body = 'out[thread_position_in_grid.x] = inp[thread_position_in_grid.x];';
    expect(() => mx.fast.metalKernel({ name: 'bad name', inputNames: ['inp'], outputNames: ['out'], source: body })).toThrow(/\[metal_kernel\] name must be an identifier/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['inp'], outputNames: [], source: body })).toThrow(/outputNames must name at least one array/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['inp'], outputNames: ['inp'], source: body })).toThrow(/'inp' is given twice/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['1x'], outputNames: ['out'], source: body })).toThrow(/not an identifier/);
    expect(() => mx.fast.metalKernel({ name: 'k', inputNames: ['inp'], outputNames: ['out'], source: '' })).toThrow(/source must be the kernel body/);
    const k = mx.fast.metalKernel({ name: 'copyk', inputNames: ['inp'], outputNames: ['out'], source: body });
    const a = mx.array([1, 2, 3]);
    const call = { inputs: [a], grid: [3, 1, 1] as [number, number, number], threadgroup: [3, 1, 1] as [number, number, number], outputShapes: [[3]], outputDtypes: [mx.float32] };
    expect(() => k(call)).toThrow(/metalKernel needs the GPU: 'copyk' was called on Device\(cpu, 0\)/);
    expect(() => k({ ...call, stream: mx.cpu })).toThrow(/metalKernel needs the GPU/);
    expect(() => k({ ...call, inputs: [], stream: mx.gpu })).toThrow(/copyk takes 1 inputs \(inp\), got 0/);
    expect(() => k({ ...call, grid: [3, 1] as unknown as [number, number, number], stream: mx.gpu })).toThrow(/grid must be three positive integers/);
    expect(() => k({ ...call, threadgroup: [0, 1, 1], stream: mx.gpu })).toThrow(/threadgroup must be three positive integers/);
    expect(() => k({ ...call, outputShapes: [], stream: mx.gpu })).toThrow(/outputShapes must give one shape per output/);
    expect(() => k({ ...call, outputDtypes: ['float32' as unknown as mx.Dtype], stream: mx.gpu })).toThrow(/outputDtypes\[0\] must be an mx dtype/);
    expect(() => k({ ...call, template: [['T', 'f32' as unknown as number]], stream: mx.gpu })).toThrow(/template argument 'T' must be a dtype, an integer or a boolean/);
    expect(() => mx.eval(k({ ...call, threadgroup: [4096, 1, 1], stream: mx.gpu }))).toThrow(/threadgroup \(4096, 1, 1\) is larger than this adapter allows/);
    expect(() => mx.eval(k({ ...call, inputs: [mx.array([1, 2, 3], mx.int64)], stream: mx.gpu }))).toThrow(/input 'inp' is int64; WGSL kernels on WebGPU take float32, float16, bfloat16, complex64 and the 8-, 16- and 32-bit integer and bool arrays/);
    expect(() => mx.eval(k({ ...call, outputDtypes: [mx.uint64], stream: mx.gpu }))).toThrow(/output 'out' is uint64/);
    const atomicF = mx.fast.metalKernel({ name: 'af', inputNames: ['inp'], outputNames: ['out'], source: body, atomicOutputs: true });
    expect(() => mx.eval(atomicF({ ...call, stream: mx.gpu }))).toThrow(/atomic output 'out' is float32; WGSL has atomics on int32 and uint32 only/);
    expect(() => mx.eval(atomicF({ ...call, outputDtypes: [mx.int8], stream: mx.gpu }))).toThrow(/atomic output 'out' is int8; WGSL has atomics on int32 and uint32 only/);
    // a body that doesn't compile: the WGSL error at the next read, and the device goes on
    const broken = mx.fast.metalKernel({ name: 'broken', inputNames: ['inp'], outputNames: ['out'], source: 'out[0] = undefined_name;' });
    expect(() => broken({ ...call, stream: mx.gpu })[0]!.tolist()).toThrow(/\[webgpu\] .*undefined_name/);
    expect(k({ ...call, stream: mx.gpu })[0]!.tolist()).toEqual([1, 2, 3]);
    expect(gpuBackend!.host.lostReason).toBe(null);
  });
});
