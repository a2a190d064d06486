// mlx-ts against JAX (tests/python/jax_check.py, jax + jaxlib CPU from PyPI) on fixed inputs:
// (a) float32 -> bfloat16 / float16 rounding bits (ties, subnormals, inf/nan, overflow) and the
//     widening back to float32 for every 16-bit pattern;
// (b) mx.grad / valueAndGrad / vjp / jvp / vmap of a set of functions against jax.grad /
//     value_and_grad / vjp / jvp / vmap, float32, within |ours - jax| <= ATOL + RTOL * |jax|;
// (c) our bfloat16 .npy read by NumPy + ml_dtypes into a jax array keeps every bit, and a
//     bfloat16 .npy jax produced reads back in mlx-ts bit for bit.
// Inputs go to Python as .npy files written with mx.save; jax's outputs come back as .npy files
// read with mx.load. A missing jax fails the run when CI is set; elsewhere it warns and skips.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mx from '@mlx-ts/core';

const script = fileURLToPath(new URL('../python/jax_check.py', import.meta.url));
/** float32 tolerance for (b): ours accumulates sums and matmuls in double, XLA in float32. */
const RTOL = 1e-4;
const ATOL = 1e-5;

function python(args: string[]): unknown {
  const r = spawnSync('python3', [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 300_000,
    env: { ...process.env, JAX_PLATFORMS: 'cpu', XLA_FLAGS: process.env.XLA_FLAGS ?? '--xla_force_host_platform_device_count=1' },
  });
  if (r.status !== 0) throw new Error(`python3 jax_check.py ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const versions = ((): Record<string, string | null> => {
  try {
    return python(['probe']) as Record<string, string | null>;
  } catch {
    return {};
  }
})();
const missing = ['jax', 'jaxlib', 'numpy', 'ml_dtypes'].filter((p) => !versions[p]);
const haveJax = missing.length === 0;
if (!haveJax) {
  const msg = `[jax] SKIPPED: Python package(s) ${missing.join(', ')} not importable (pip install "jax==0.10.2" "jaxlib==0.10.2" numpy ml_dtypes).`;
  if (process.env.CI) throw new Error(`CI is set and required packages are missing. ${msg}`);
  console.warn(`\n!!!!!!!!\n${msg}\n!!!!!!!!\n`);
}

// ---- deterministic inputs ----
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(20260601);
const normal = (shape: number[], scale = 1): mx.MxArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = scale * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return mx.array(v).reshape(shape);
};
const ints = (n: number, hi: number): mx.MxArray => mx.array(Array.from({ length: n }, () => Math.floor(r() * hi)), mx.int32);

/** float32 bit patterns for (a): hand-picked edge cases, every exponent near both 16-bit ranges, random bits. */
function conversionBits(): Uint32Array {
  const out: number[] = [
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, // ±0, ±1
    0x7f800000, 0xff800000, // ±inf
    0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000, 0x7fffffff, 0x7fc00001, 0x7f802000, 0xffbfe000, // NaNs: quiet, signalling, payloads
    0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x00408000, 0x00418000, 0x00010000, 0x00008000, 0x00018000, // f32 subnormals
    0x3f808000, 0x3f818000, 0x3f808001, 0x3f807fff, 0xbf808000, 0xbf818000, // bfloat16 ties (even down, odd up), off-tie
    0x3f801000, 0x3f803000, 0x3f801001, 0x3f800fff, 0xbf803000, // float16 ties at 1.0
    0x7f7fffff, 0xff7fffff, 0x7f7f7fff, 0x7f7f8000, 0x7f7f0000, // bfloat16 overflow: max float32 rounds to inf
    0x477fe000, 0x477fefff, 0x477ff000, 0x477fffff, 0x47800000, 0x47c35000, 0xc77ff000, // float16: 65504, below/at tie 65520, 65536, 1e5
    0x33800000, 0x33000000, 0x33400000, 0x33c00000, 0x337fffff, 0x38800000, 0x387fc000, 0x387fe000, 0x387ff000, // float16 subnormals/underflow
    0x00800000, 0x80800000, 0x00ff8000, 0x007f8000, 0x007fc000, // smallest float32 normal, bfloat16 subnormal edge
  ];
  for (let e = -30; e <= 18; e++) {
    for (const sign of [0, 0x80000000]) {
      const base = (sign | ((e + 127) << 23)) >>> 0;
      out.push(base | 0x1000, base | 0x3000, base | 0x8000, base | 0x18000, base | 0x7fffff);
      for (let k = 0; k < 6; k++) out.push((base | Math.floor(r() * 0x800000)) >>> 0);
    }
  }
  for (let k = 0; k < 4096; k++) out.push(Math.floor(r() * 4294967296) >>> 0);
  return new Uint32Array(out);
}

const fx = {
  W1: normal([4, 8], 0.5), b1: normal([8], 0.1), W2: normal([8, 3], 0.5), x: normal([5, 4]), y: normal([5, 3]),
  tW1: normal([4, 8]), tb1: normal([8]), tW2: normal([8, 3]),
};
const labels = ints(6, 5);
const logits = normal([6, 5], 2);
const onehot = mx.astype(mx.equal(mx.expandDims(labels, 1), mx.arange(5)), mx.float32);

type Arrays = Record<string, mx.MxArray>;
interface Case {
  id: string;
  inputs: Arrays;
  ours: (i: Arrays) => Arrays;
}

const mlpLoss = (W1: mx.MxArray, b1: mx.MxArray, W2: mx.MxArray, x: mx.MxArray, y: mx.MxArray): mx.MxArray =>
  mx.mean(mx.square(mx.subtract(mx.matmul(mx.tanh(mx.add(mx.matmul(x, W1), b1)), W2), y)));

const gradCases: Case[] = [
  {
    id: 'mlp_grad',
    inputs: { W1: fx.W1, b1: fx.b1, W2: fx.W2, x: fx.x, y: fx.y },
    ours: (i) => {
      const [value, [W1, b1, W2]] = mx.valueAndGrad((a: mx.MxArray, b: mx.MxArray, c: mx.MxArray) => mlpLoss(a, b, c, i.x!, i.y!), [0, 1, 2])(i.W1!, i.b1!, i.W2!);
      return { value, W1, b1, W2 };
    },
  },
  {
    id: 'mlp_jvp',
    inputs: { ...fx },
    ours: (i) => {
      const [[primal], [tangent]] = mx.jvp((a, b, c) => mlpLoss(a, b, c, i.x!, i.y!), [i.W1!, i.b1!, i.W2!], [i.tW1!, i.tb1!, i.tW2!]);
      return { primal: primal!, tangent: tangent! };
    },
  },
  {
    id: 'xent_grad',
    inputs: { logits, labels, onehot },
    ours: (i) => {
      const f = (l: mx.MxArray): mx.MxArray =>
        mx.mean(mx.subtract(mx.logsumexp(l, -1), mx.takeAlongAxis(l, i.labels!.reshape(-1, 1), -1).reshape(-1)));
      const g = (l: mx.MxArray): mx.MxArray => mx.negative(mx.mean(mx.sum(mx.multiply(i.onehot!, mx.log(mx.softmax(l, -1))), -1)));
      return { logsumexp: mx.grad(f)(i.logits!), softmax: mx.grad(g)(i.logits!), value: f(i.logits!) };
    },
  },
  {
    id: 'softmax_jvp',
    inputs: { x: normal([4, 6], 2), t: normal([4, 6]) },
    ours: (i) => {
      const [[primal], [tangent]] = mx.jvp((x) => mx.softmax(x, -1), [i.x!], [i.t!]);
      const [[lse], [lseTangent]] = mx.jvp((x) => mx.logsumexp(x, 0), [i.x!], [i.t!]);
      return { primal: primal!, tangent: tangent!, lse: lse!, lse_tangent: lseTangent! };
    },
  },
  {
    id: 'matmul_chain_vjp',
    inputs: { A: normal([2, 1, 3, 4]), B: normal([3, 4, 5]), C: normal([5, 2]), ct: normal([2, 3, 3, 2]) },
    ours: (i) => {
      const [[out], [A, B, C]] = mx.vjp((a, b, c) => mx.matmul(mx.matmul(a, b), c), [i.A!, i.B!, i.C!], [i.ct!]);
      return { out: out!, A: A!, B: B!, C: C! };
    },
  },
  {
    id: 'matmul_bcast_grad',
    // vector @ batched matrix, plus a broadcast bias
    inputs: { a: normal([4]), b: normal([2, 4, 3]), c: normal([1, 3]) },
    ours: (i) => {
      const f = (a: mx.MxArray, b: mx.MxArray, c: mx.MxArray): mx.MxArray => mx.sum(mx.sin(mx.add(mx.matmul(a, b), c)));
      const [a, b, c] = mx.grad(f, [0, 1, 2])(i.a!, i.b!, i.c!) as mx.MxArray[];
      return { a: a!, b: b!, c: c! };
    },
  },
  {
    id: 'gather_grad',
    inputs: { x: normal([5, 3]), idx: mx.array([0, 3, 3, 1, 4, 3, 0], mx.int32), w: normal([7, 3]), rows: ints(6, 5), cols: ints(6, 3), t: normal([5, 3]) },
    ours: (i) => {
      const f = (x: mx.MxArray): mx.MxArray => mx.sum(mx.multiply(mx.square(mx.take(x, i.idx!, 0)), i.w!));
      const [[g2], [t2]] = mx.jvp((x) => mx.multiply(x.index(i.rows!, i.cols!), 2), [i.x!], [i.t!]);
      return { grad: mx.grad(f)(i.x!), gather2d: g2!, gather2d_tangent: t2! };
    },
  },
  {
    id: 'scatter_add_vjp',
    inputs: { x: normal([5, 3]), idx: mx.array([1, 4, 1, 0, 1, 2, 4], mx.int32), v: normal([7, 3]), ct: normal([5, 3]) },
    ours: (i) => {
      const [[out], [x, v]] = mx.vjp((x, v) => mx.sin(x.at(i.idx!).add(mx.square(v))), [i.x!, i.v!], [i.ct!]);
      return { out: out!, x: x!, v: v! };
    },
  },
  {
    id: 'cumsum_vjp',
    inputs: { x: normal([4, 6]), ct: normal([4, 6]) },
    ours: (i) => {
      const [[out], [grad]] = mx.vjp((x) => mx.cumsum(mx.tanh(x), 1), [i.x!], [i.ct!]);
      const [[rout], [rgrad]] = mx.vjp((x) => mx.cumsum(mx.square(x), 0, true), [i.x!], [i.ct!]);
      const [, [t]] = mx.jvp((x) => mx.cumsum(mx.square(x), 0), [i.x!], [i.ct!]);
      return { out: out!, grad: grad!, reverse_out: rout!, reverse_grad: rgrad!, jvp: t! };
    },
  },
  {
    id: 'sort_vjp',
    inputs: { x: normal([3, 7]), w: normal([3, 7]), ct: normal([3, 7]) },
    ours: (i) => {
      const [[out], [grad]] = mx.vjp((x) => mx.multiply(mx.sort(x, -1), i.w!), [i.x!], [i.ct!]);
      const [, [t]] = mx.jvp((x) => mx.sort(x, 0), [i.x!], [i.ct!]);
      return { out: out!, grad: grad!, jvp: t! };
    },
  },
  {
    id: 'vmap_per_example',
    inputs: { W: normal([4, 3], 0.5), X: normal([8, 4]), Y: normal([8, 3]) },
    ours: (i) => {
      const loss1 = (W: mx.MxArray, x: mx.MxArray, y: mx.MxArray): mx.MxArray => mx.sum(mx.square(mx.subtract(mx.tanh(mx.matmul(x, W)), y)));
      return { grads: mx.vmap(mx.grad(loss1), [null, 0, 0])(i.W!, i.X!, i.Y!) as mx.MxArray };
    },
  },
  {
    id: 'vmap_axes',
    inputs: { A: normal([4, 6]), B: normal([4, 5]), P: normal([3, 5]), Q: normal([2, 5]) },
    ours: (i) => {
      const f = (a: mx.MxArray, B: mx.MxArray): mx.MxArray => mx.tanh(mx.matmul(a, B));
      const g = (x: mx.MxArray, y: mx.MxArray): mx.MxArray => mx.logsumexp(mx.multiply(x, y));
      return {
        out: mx.vmap(f, [1, null], 1)(i.A!, i.B!),
        nested: mx.vmap(mx.vmap(g, [0, null]), [null, 0])(i.P!, i.Q!),
      };
    },
  },
  {
    id: 'hvp',
    inputs: { x: normal([3, 4]), M: normal([4, 5]), v: normal([3, 4]) },
    ours: (i) => {
      const f = (x: mx.MxArray): mx.MxArray => mx.sum(mx.logsumexp(mx.tanh(mx.matmul(x, i.M!)), -1));
      const [, [t]] = mx.jvp((x) => mx.grad(f)(x) as mx.MxArray, [i.x!], [i.v!]);
      const grad2 = mx.grad((x: mx.MxArray) => mx.sum(mx.multiply(mx.grad(f)(x) as mx.MxArray, i.v!)))(i.x!);
      return { hvp: t!, grad2 };
    },
  },
];

// ---- running jax ----
const h16 = new Uint16Array(65536).map((_, k) => k);
const convBits = conversionBits();
const bfPatterns = (() => {
  // every NaN/inf/subnormal class of bfloat16 plus random patterns
  const special = [0x0000, 0x8000, 0x0001, 0x8001, 0x007f, 0x0080, 0x7f7f, 0x7f80, 0xff80, 0x7f81, 0x7fc0, 0xffc0, 0x7fff, 0xffff, 0x7fa5, 0x3f80, 0xbfc0];
  const v = new Uint16Array(8 * 64);
  v.set(special);
  for (let k = special.length; k < v.length; k++) v[k] = Math.floor(r() * 65536);
  return v;
})();
const bfPlain = mx.view(mx.array(bfPatterns), mx.bfloat16).reshape(8, 64);
const bfScalar = mx.array(-1.5, mx.bfloat16);

let dir = '';
const results = new Map<string, { ok: boolean; outputs?: Record<string, string>; meta?: Record<string, unknown>; error?: string; trace?: string }>();

beforeAll(() => {
  if (!haveJax) return;
  dir = mkdtempSync(join(tmpdir(), 'mlx-ts-jax-'));
  const manifest: { id: string; inputs: Record<string, string> }[] = [];
  const add = (id: string, inputs: Arrays): void => {
    const files: Record<string, string> = {};
    for (const [name, a] of Object.entries(inputs)) {
      files[name] = `in_${id}_${name}.npy`;
      mx.save(join(dir, files[name]), a);
    }
    manifest.push({ id, inputs: files });
  };
  add('convert', { bits: mx.array(convBits) });
  add('widen', { h: mx.array(h16) });
  add('bf16_npy', { plain: bfPlain, transposed: bfPlain.T, scalar: bfScalar });
  for (const c of gradCases) add(c.id, c.inputs);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ cases: manifest }));
  const out = python(['run', dir]) as { results: { id: string; ok: boolean }[] };
  for (const res of out.results) results.set(res.id, res);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function jaxOut(id: string): { arrays: Arrays; meta: Record<string, unknown> } {
  const res = results.get(id);
  if (!res) throw new Error(`jax produced no result for ${id}`);
  if (!res.ok) throw new Error(`jax failed on ${id}: ${res.error}\n${res.trace ?? ''}`);
  const arrays: Arrays = {};
  for (const [name, file] of Object.entries(res.outputs!)) arrays[name] = mx.load(join(dir, file)) as mx.MxArray;
  return { arrays, meta: res.meta ?? {} };
}

const list = (a: mx.MxArray): number[] => Array.from(a.toTypedArray() as ArrayLike<number>);
const hex = (v: number, w: number): string => '0x' + v.toString(16).padStart(w, '0');

/** Indices where two bit arrays differ, NaN results compared only by being NaN with the same sign when `nanLoose`. */
function bitDiffs(inBits: ArrayLike<number>, ours: number[], theirs: number[], isNan: (b: number) => boolean, sign: number, nanLoose: boolean, w: number): string[] {
  const bad: string[] = [];
  for (let k = 0; k < ours.length; k++) {
    const o = ours[k]!;
    const t = theirs[k]!;
    if (o === t) continue;
    if (nanLoose && isNan(o) && isNan(t) && (o & sign) === (t & sign)) continue;
    bad.push(`${hex(inBits[k]!, w)}: ours ${hex(o, 4)} jax ${hex(t, 4)}`);
  }
  return bad;
}

/** Elementwise |ours - jax| <= ATOL + RTOL * |jax|, same shape and dtype, jax not all zero. */
function closeTo(name: string, ours: mx.MxArray, theirs: mx.MxArray): string[] {
  if (ours.dtype !== mx.float32 || theirs.dtype !== mx.float32) return [`${name}: dtypes ${ours.dtype.name} / ${theirs.dtype.name}, want float32`];
  if (ours.shape.join() !== theirs.shape.join()) return [`${name}: shape [${ours.shape}] vs jax [${theirs.shape}]`];
  const o = list(ours);
  const t = list(theirs);
  if (!t.some((v) => v !== 0)) return [`${name}: jax's result is all zero; the case proves nothing`];
  const bad: string[] = [];
  for (let k = 0; k < o.length; k++) {
    if (!(Math.abs(o[k]! - t[k]!) <= ATOL + RTOL * Math.abs(t[k]!))) bad.push(`${name}[${k}]: ours ${o[k]} jax ${t[k]}`);
  }
  return bad.slice(0, 10);
}

describe.skipIf(!haveJax)('mlx-ts against jax', () => {
  describe('(a) float32 -> 16-bit conversions, bit for bit', () => {
    const inBits = convBits;
    const f32 = mx.view(mx.array(convBits), mx.float32);
    const bfNan = (b: number): boolean => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;
    const hNan = (b: number): boolean => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;

    test(`float32 -> bfloat16: ${convBits.length} patterns (ties, subnormals, inf/nan, overflow) equal jnp.astype(jnp.bfloat16), NaNs included`, () => {
      const ours = list(mx.view(mx.astype(f32, mx.bfloat16), mx.uint16));
      const theirs = list(jaxOut('convert').arrays.bf16!);
      expect(theirs.length).toBe(convBits.length);
      expect(bitDiffs(inBits, ours, theirs, bfNan, 0x8000, false, 8)).toEqual([]);
      // the inputs do exercise each rounding path
      const at = (b: number): number => theirs[inBits.indexOf(b)]!;
      expect([at(0x3f808000), at(0x3f818000), at(0x7f7fffff), at(0x00408000), at(0x7f800001)]).toEqual([0x3f80, 0x3f82, 0x7f80, 0x0040, 0x7fc0]);
    });

    test('float32 -> float16: every non-NaN pattern equals jnp.astype(jnp.float16); NaN stays NaN of the same sign', () => {
      const ours = list(mx.view(mx.astype(f32, mx.float16), mx.uint16));
      const theirs = list(jaxOut('convert').arrays.f16!);
      expect(theirs.length).toBe(convBits.length);
      expect(bitDiffs(inBits, ours, theirs, hNan, 0x8000, true, 8)).toEqual([]);
      const at = (b: number): number => theirs[inBits.indexOf(b)]!;
      // ties to even at 1.0; 65504 max, 65520 overflows; 2^-25 ties to 0, 3*2^-26 rounds up to 2^-24,
      // 2^-24 exact, 3*2^-25 ties to 2^-23
      expect([at(0x3f801000), at(0x3f803000), at(0x477fe000), at(0x477fefff), at(0x477ff000), at(0x33000000), at(0x33400000), at(0x33800000), at(0x33c00000)]).toEqual([
        0x3c00, 0x3c02, 0x7bff, 0x7bff, 0x7c00, 0x0000, 0x0001, 0x0001, 0x0002,
      ]);
      expect(ours.filter(hNan).length).toBeGreaterThan(10);
    });

    test('float32 -> float16 NaN payloads (known difference): jax keeps the top 10 payload bits, mlx-ts writes the quiet NaN', () => {
      // 0x7fa00000 -> jax 0x7f00, mlx-ts 0x7e00 (MLX 0.32.4's CPU astype writes 0x7d00): payloads are implementation-defined
      const ours = list(mx.view(mx.astype(f32, mx.float16), mx.uint16));
      const theirs = list(jaxOut('convert').arrays.f16!);
      const diff = [...ours.keys()].filter((k) => ours[k] !== theirs[k]);
      expect(diff.length).toBeGreaterThan(0);
      for (const k of diff) {
        const b = inBits[k]!;
        const payload = (b >>> 13) & 0x3ff;
        expect({ b: hex(b, 8), ours: hex(ours[k]!, 4), jax: hex(theirs[k]!, 4) }).toEqual({
          b: hex(b, 8), ours: hex(((b >>> 16) & 0x8000) | 0x7e00, 4), jax: hex(((b >>> 16) & 0x8000) | 0x7e00 | payload, 4),
        });
      }
    });

    const widen = (): { oursBf: number[]; oursH: number[]; jaxBf: number[]; jaxH: number[] } => {
      const { bf16, f16 } = jaxOut('widen').arrays;
      const h = mx.array(h16);
      return {
        oursBf: list(mx.view(mx.astype(mx.view(h, mx.bfloat16), mx.float32), mx.uint32)),
        oursH: list(mx.view(mx.astype(mx.view(h, mx.float16), mx.float32), mx.uint32)),
        jaxBf: list(bf16!),
        jaxH: list(f16!),
      };
    };
    const fNan = (b: number): boolean => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;

    test('bfloat16 -> float32 and float16 -> float32: all 65536 patterns equal jax (NaN results: both NaN)', () => {
      const { oursBf, oursH, jaxBf, jaxH } = widen();
      expect(jaxBf.length).toBe(65536);
      expect(bitDiffs(h16, oursBf, jaxBf, fNan, 0, true, 4)).toEqual([]);
      expect(bitDiffs(h16, oursH, jaxH, fNan, 0, true, 4)).toEqual([]);
      expect([jaxH[0x0001], jaxH[0x8001], jaxH[0x03ff], jaxH[0x7bff], jaxH[0x7c00]]).toEqual([0x33800000, 0xb3800000, 0x387fc000, 0x477fe000, 0x7f800000]);
      expect([jaxBf[0x0001], jaxBf[0x8000], jaxBf[0x7f7f], jaxBf[0xff80]]).toEqual([0x00010000, 0x80000000, 0x7f7f0000, 0xff800000]);
    });

    test('widening NaNs: sign and payload kept bit for bit, as jax (and MLX 0.32.4) do', () => {
      // bfloat16 widens as bits << 16 (even a signalling NaN stays signalling); float16 NaNs
      // become quiet with the payload shifted up 13.
      const { oursBf, oursH, jaxBf, jaxH } = widen();
      expect([...h16.keys()].filter((k) => oursBf[k] !== jaxBf[k]).map((k) => hex(k, 4))).toEqual([]);
      expect([...h16.keys()].filter((k) => oursH[k] !== jaxH[k]).map((k) => hex(k, 4))).toEqual([]);
      expect(oursBf[0xffc1]).toBe(0xffc10000);
      expect(oursH[0xfc01]).toBe((0x80000000 | 0x7fc00000 | (1 << 13)) >>> 0);
    });
  });

  describe(`(b) transforms against jax, float32, |ours - jax| <= ${ATOL} + ${RTOL}·|jax|`, () => {
    for (const c of gradCases) {
      test(c.id, () => {
        const { arrays } = jaxOut(c.id);
        const ours = c.ours(c.inputs);
        expect(Object.keys(ours).sort()).toEqual(Object.keys(arrays).sort());
        expect(Object.entries(ours).flatMap(([k, a]) => closeTo(k, a, arrays[k]!))).toEqual([]);
      });
    }
  });

  describe('(c) bfloat16 .npy files', () => {
    test('our bfloat16 .npy (C order, Fortran order, 0-d) read by NumPy + ml_dtypes into jax keeps every bit', () => {
      const { arrays, meta } = jaxOut('bf16_npy');
      expect(meta).toMatchObject({
        plain_numpy_dtype: '|V2', plain_jax_dtype: 'bfloat16', plain_shape: [8, 64],
        transposed_jax_dtype: 'bfloat16', transposed_shape: [64, 8],
        scalar_jax_dtype: 'bfloat16', scalar_shape: [],
      });
      expect(list(arrays.plain!)).toEqual(Array.from(bfPatterns));
      expect(arrays.plain!.shape).toEqual([8, 64]);
      expect(list(arrays.transposed!)).toEqual(list(mx.view(bfPlain.T, mx.uint16)));
      expect(list(arrays.scalar!)).toEqual([0xbfc0]);
      // jax widens what it read to float32 as bits << 16 (the bits it got are ours, NaNs included)
      expect(list(arrays.widened!)).toEqual(Array.from(bfPatterns, (b) => (b << 16) >>> 0));
    });

    test('a bfloat16 .npy jax computed and NumPy saved reads back in mlx-ts bit for bit', () => {
      const { arrays } = jaxOut('bf16_npy');
      const back = mx.load(join(dir, 'jax_written_bf16.npy')) as mx.MxArray;
      expect(back.dtype).toBe(mx.bfloat16);
      expect(back.shape).toEqual([8, 64]);
      const jaxBits = list(arrays.doubled!);
      expect(list(mx.view(back, mx.uint16))).toEqual(jaxBits);
      // and it is what mlx-ts computes for the same doubling, except where XLA's CPU arithmetic
      // flushes a float32 subnormal to zero (mlx-ts keeps it) and NaN signs (see the widening test)
      const ours = list(mx.view(mx.astype(mx.multiply(mx.astype(bfPlain, mx.float32), 2), mx.bfloat16), mx.uint16));
      const bfNan = (b: number): boolean => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;
      const subnormal = (b: number): boolean => (b & 0x7f80) === 0 && (b & 0x7f) !== 0;
      const flushed = [...bfPatterns.keys()].filter((k) => subnormal(bfPatterns[k]!));
      expect(flushed.length).toBeGreaterThan(3);
      for (const k of flushed) {
        expect(jaxBits[k]).toBe(bfPatterns[k]! & 0x8000); // ±0
        expect(ours[k]).toBe((bfPatterns[k]! & 0x8000) | ((bfPatterns[k]! & 0x7f) * 2)); // exact (2x a bfloat16 subnormal)
      }
      const rest = [...bfPatterns.keys()].filter((k) => !subnormal(bfPatterns[k]!));
      expect(bitDiffs(rest.map((k) => bfPatterns[k]!), rest.map((k) => ours[k]!), rest.map((k) => jaxBits[k]!), bfNan, 0, true, 4)).toEqual([]);
    });
  });
});
