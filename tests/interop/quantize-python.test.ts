// Quantized weights crossing between the real MLX and mlx-ts as safetensors files, both ways
// (tests/python/quantize_interop.py): MLX quantizes and saves, mlx-ts loads and gets the same
// packed words, scales and biases from w, the same dequantized values bit for bit, and MLX's
// quantized_matmul within float tolerance; then mlx-ts quantizes and saves, and MLX checks
// the same from its side. Every affine bit width and group size, mxfp4, mxfp8, nvfp4;
// float32, float16 and bfloat16 weights.
import { afterAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mx from '@mlx-ts/core';
import { mlxAvailable } from '../differential/harness.js';

const script = fileURLToPath(new URL('../python/quantize_interop.py', import.meta.url));

interface QCase {
  id: string;
  mode: mx.QuantizationMode;
  group_size: number;
  bits: number;
  dtype: string;
  transpose: boolean;
}

function python(args: string[]): unknown {
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python3 quantize_interop.py ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const hasMlx = mlxAvailable();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mlx-ts-quant-'));
  dirs.push(d);
  return d;
};

/**
 * Matmuls: MLX sums in float32 or, for half weights, in the half dtype (in SIMD order); mlx-ts
 * in double. Per element |diff| <= K eps S, S = sum_k |x_k w_k| (w dequantized), eps the
 * dtype's.
 */
const near = (a: mx.MxArray, b: mx.MxArray, x: mx.MxArray, deq: mx.MxArray, c: QCase) => {
  const eps = c.dtype === 'float32' ? 2 ** -23 : c.dtype === 'float16' ? 2 ** -10 : 2 ** -7;
  const w = mx.abs(deq.astype(mx.float32));
  const S = mx.matmul(mx.abs(x.astype(mx.float32)), c.transpose ? mx.swapaxes(w, -1, -2) : w);
  const K = x.shape[x.ndim - 1]!;
  const diff = mx.abs(mx.subtract(a.astype(mx.float32), b.astype(mx.float32)));
  return mx.all(mx.lessEqual(diff, mx.add(mx.multiply(S, K * eps), 1e-30))).item() === true;
};
const same = (a: mx.MxArray, b: mx.MxArray) => a.dtype === b.dtype && mx.arrayEqual(a, b, true).item() === true;
const quantized = (w: mx.MxArray, c: QCase) => {
  const q = mx.quantize(w, c.group_size, c.bits, c.mode);
  return { wq: q[0]!, scales: q[1]!, ...(q[2] ? { biases: q[2] } : {}) } as Record<string, mx.MxArray>;
};
const qmm = (x: mx.MxArray, q: Record<string, mx.MxArray>, c: QCase) =>
  mx.quantizedMatmul(x, q.wq!, q.scales!, q.biases ?? null, c.transpose, c.group_size, c.bits, c.mode);

describe.skipIf(!hasMlx)('quantized safetensors between MLX and mlx-ts', () => {
  test('MLX writes, mlx-ts reads: the same packing, dequantized values bit for bit, matmuls within tolerance', () => {
    const dir = tmp();
    const { cases } = python(['write', dir]) as { cases: QCase[] };
    expect(cases.length).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const c of cases) {
      const a = mx.load(join(dir, `${c.id}.safetensors`)) as Record<string, mx.MxArray>;
      const deq = mx.dequantize(a.wq!, a.scales!, a.biases ?? null, c.group_size, c.bits, c.mode);
      if (!same(deq, a.deq!)) problems.push(`${c.id}: dequantize differs`);
      for (const [k, v] of Object.entries(quantized(a.w!, c))) if (!same(v, a[k]!)) problems.push(`${c.id}: quantize ${k} differs`);
      const out = qmm(a.x!, { wq: a.wq!, scales: a.scales!, ...(a.biases ? { biases: a.biases } : {}) }, c);
      if (!near(out, a.qmm!, a.x!, a.deq!, c)) problems.push(`${c.id}: quantizedMatmul beyond tolerance`);
    }
    expect(problems).toEqual([]);
  });

  test('mlx-ts writes, MLX reads: the same checks on MLX', () => {
    const dir = tmp();
    const cases: QCase[] = [];
    let n = 0;
    const dts = [mx.float32, mx.float16, mx.bfloat16];
    const add = (mode: mx.QuantizationMode, gs: number, bits: number, dtype: mx.Dtype) => {
      const c: QCase = { id: `${mode}-${gs}-${bits}-${dtype.name}`, mode, group_size: gs, bits, dtype: dtype.name, transpose: n % 2 === 0 };
      const key = mx.random.key(500 + n++);
      const [k1, k2, k3] = mx.random.split(key, 3) as unknown as mx.MxArray[];
      const w = mx.multiply(mx.random.normal([2, 24, 256], mx.float32, 0, 1, k1), mx.exp(mx.random.normal([2, 24, 1], mx.float32, 0, 1, k2))).astype(dtype);
      const q = quantized(w, c);
      const deq = mx.dequantize(q.wq!, q.scales!, q.biases ?? null, gs, bits, mode);
      const x = mx.random.normal([2, 3, c.transpose ? 256 : 24], mx.float32, 0, 1, k3).astype(dtype);
      mx.saveSafetensors(join(dir, `${c.id}.safetensors`), { w, deq, x, qmm: qmm(x, q, c), ...q });
      cases.push(c);
    };
    for (const bits of [1, 2, 3, 4, 5, 6, 8]) for (const gs of [32, 64, 128]) add('affine', gs, bits, dts[n % 3]!);
    for (const [mode, gs, bits] of [['mxfp4', 32, 4], ['mxfp8', 32, 8], ['nvfp4', 16, 4]] as const) for (const d of dts) add(mode, gs, bits, d);
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    const { results } = python(['check', dir]) as { results: { id: string; ok: boolean; error: string | null }[] };
    expect(results.length).toBe(cases.length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});
