// Runs a short Python snippet in the real MLX: `inputs` (trees of mx arrays, sent as float64
// lists with their dtype) are bound to Python variables of the same names as mx arrays; the
// snippet sets `out`, a tree (dicts, lists) of mx arrays, which comes back as mx arrays.
import { spawnSync } from 'node:child_process';
import * as mx from '@mlx-ts/core';

const RUNNER = String.raw`
import json, sys
import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
from mlx.utils import tree_flatten, tree_unflatten, tree_map
req = json.load(sys.stdin)
def dec(t):
    if isinstance(t, dict) and t.get('__array__'):
        return mx.array(t['data'], dtype=getattr(mx, t['dtype'])).reshape(t['shape'])
    if isinstance(t, dict): return {k: dec(v) for k, v in t.items()}
    if isinstance(t, list): return [dec(v) for v in t]
    return t
def enc(t):
    if isinstance(t, mx.array):
        return {'__array__': True, 'dtype': str(t.dtype).split('.')[-1], 'shape': list(t.shape), 'data': t.astype(mx.float32).reshape(-1).tolist() if t.dtype != mx.bool_ else t.reshape(-1).tolist()}
    if isinstance(t, dict): return {k: enc(v) for k, v in t.items()}
    if isinstance(t, (list, tuple)): return [enc(v) for v in t]
    return t
env = {k: dec(v) for k, v in req['inputs'].items()}
env.update(mx=mx, nn=nn, optim=optim, tree_flatten=tree_flatten, tree_unflatten=tree_unflatten, tree_map=tree_map)
exec(req['code'], env)
print(json.dumps(enc(env['out'])))
`;

/** Whether the real MLX (with numpy) is importable; in CI its absence is an error. */
export function mlxAvailable(): boolean {
  const ok = spawnSync('python3', ['-c', 'import mlx.core, mlx.nn'], { encoding: 'utf8' }).status === 0;
  if (!ok) {
    const msg = 'The real MLX is not importable (pip install "mlx[cpu]==0.32.4"): the nn/optimizers comparisons with MLX are SKIPPED.';
    if (process.env.CI) throw new Error(`CI is set and MLX is missing. ${msg}`);
    console.warn(`\n!!!!!!!!\n${msg}\n!!!!!!!!\n`);
  }
  return ok;
}

function enc(t: unknown): unknown {
  if (t instanceof mx.MxArray) {
    return { __array__: true, dtype: t.dtype.name, shape: t.shape, data: Array.from(t.astype(mx.float64).toTypedArray() as Float64Array) };
  }
  if (Array.isArray(t)) return t.map(enc);
  if (t && typeof t === 'object') return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, enc(v)]));
  return t;
}

function dec(t: any): any {
  if (t && typeof t === 'object' && t.__array__) {
    const dtype = t.dtype === 'bool' ? mx.bool : (mx as any)[t.dtype];
    return mx.array(Float32Array.from(t.data.map(Number)), mx.float32).reshape(t.shape).astype(dtype);
  }
  if (Array.isArray(t)) return t.map(dec);
  if (t && typeof t === 'object') return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, dec(v)]));
  return t;
}

/** Runs `code` in Python MLX with `inputs` bound; returns its `out`. */
export function runMlx(code: string, inputs: Record<string, unknown> = {}): any {
  const r = spawnSync('python3', ['-c', RUNNER], { input: JSON.stringify({ code, inputs: enc(inputs) }), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`Python MLX failed:\n${r.stderr}`);
  return dec(JSON.parse(r.stdout));
}
