// Proof against the real Python packages (tests/python/io_interop.py): NumPy, ml_dtypes,
// safetensors (numpy flavour; torch flavour when torch is installed), gguf and MLX read the
// files mlx-ts writes, bit for bit, and mlx-ts reads the files they write. A missing package
// fails the run when CI is set; elsewhere its cases are skipped with a loud warning.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mx from '@mlx-ts/core';
import { allDtypes, craftedFiles, formatDtypes, fromBase64, patternArray, rawBytes, toBase64 } from './io-helpers.js';

const script = fileURLToPath(new URL('../python/io_interop.py', import.meta.url));

interface Spec {
  dtype: string;
  shape: number[];
  b64: string;
}
type MetaSpec = string | string[] | { type: string; value: Spec };
interface Case {
  id: string;
  file: string;
  format: mx.LoadFormat;
  reader?: string;
  writer?: string;
  arrays: Record<string, Spec>;
  metadata?: Record<string, MetaSpec> | Record<string, string> | null;
  bfloat16?: boolean;
  transpose?: Spec;
}

function python(args: string[]): unknown {
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python3 io_interop.py ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function probe(): Record<string, string | null> {
  try {
    return python(['probe']) as Record<string, string | null>;
  } catch {
    return {};
  }
}

const versions = probe();
const skipped: string[] = [];

/** Whether `packages` are importable; when not: a failure in CI, a loud skip elsewhere. */
function have(packages: string[], what: string, { optional = false } = {}): boolean {
  const missing = packages.filter((p) => !versions[p]);
  if (missing.length === 0) return true;
  const msg = `${what}: SKIPPED, Python package(s) ${missing.join(', ')} not importable (pip install ${missing.join(' ')}).`;
  if (process.env.CI && !optional) throw new Error(`CI is set and required packages are missing. ${msg}`);
  skipped.push(msg);
  return false;
}

const spec = (a: mx.MxArray): Spec => ({ dtype: a.dtype.name, shape: a.shape, b64: toBase64(rawBytes(a)) });

function metaSpec(v: mx.GgufMetadataValue): MetaSpec {
  return typeof v === 'string' || Array.isArray(v) ? v : { type: v.dtype.name, value: spec(v) };
}

let dir = '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (skipped.length) console.warn(`\n!!!!!!!!\n[io-python] ${skipped.length} group(s) skipped:\n  ${skipped.join('\n  ')}\n!!!!!!!!\n`);
});

describe('Python reads files mlx-ts wrote', () => {
  const cases: Case[] = [];
  let results = new Map<string, { ok: boolean; error?: string; trace?: string }>();
  const add = (c: Case): void => {
    cases.push(c);
  };
  const groups = {
    numpy: have(['numpy', 'ml_dtypes'], 'NumPy / ml_dtypes reading our .npy / .npz'),
    mlx: have(['mlx', 'numpy'], 'MLX reading our files'),
    safetensors: have(['safetensors', 'numpy', 'ml_dtypes'], 'safetensors (numpy) reading our .safetensors'),
    torch: have(['safetensors', 'torch'], 'safetensors (torch) reading our .safetensors', { optional: true }),
    gguf: have(['gguf', 'numpy'], 'gguf reading our .gguf'),
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlx-ts-io-py-'));
    const write = (file: string, bytes: Uint8Array): void => writeFileSync(join(dir, file), bytes);
    allDtypes.forEach((dtype, i) => {
      const x = patternArray(dtype, [2, 3, 4], 1000 + i);
      const n = dtype.name;
      write(`ours_${n}.npy`, mx.saveToBytes('npy', x));
      const base = { file: `ours_${n}.npy`, format: 'npy' as const, arrays: { x: spec(x) } };
      if (groups.numpy) add({ ...base, id: `numpy ${n}`, reader: 'numpy-npy', bfloat16: dtype === mx.bfloat16 });
      if (groups.mlx) {
        add({ ...base, id: `mlx ${n}`, reader: 'mlx' });
        add({ ...base, id: `mlx-bytes ${n}`, reader: 'mlx-same-bytes' });
      }
      // a transposed view: written in Fortran order, as mx.save does
      const t = mx.transpose(x);
      mx.save(join(dir, `ours_${n}_T.npy`), t);
      const tb = { file: `ours_${n}_T.npy`, format: 'npy' as const, arrays: { x: spec(t) } };
      if (groups.numpy) add({ ...tb, id: `numpy ${n} transposed`, reader: 'numpy-npy', bfloat16: dtype === mx.bfloat16 });
      if (groups.mlx) {
        add({ ...tb, id: `mlx ${n} transposed`, reader: 'mlx' });
        add({ ...tb, id: `mlx-bytes ${n} transposed`, reader: 'mlx-same-bytes', transpose: spec(x) });
      }
      for (const [label, shape] of [['scalar', []], ['empty', [0, 3]]] as const) {
        const y = patternArray(dtype, [...shape], 2000 + i);
        write(`ours_${n}_${label}.npy`, mx.saveToBytes('npy', y));
        const yb = { file: `ours_${n}_${label}.npy`, format: 'npy' as const, arrays: { x: spec(y) } };
        if (groups.numpy) add({ ...yb, id: `numpy ${n} ${label}`, reader: 'numpy-npy', bfloat16: dtype === mx.bfloat16 });
        if (groups.mlx) add({ ...yb, id: `mlx-bytes ${n} ${label}`, reader: 'mlx-same-bytes' });
      }
    });
    // a lazy broadcast and a strided slice
    const lazy = mx.add(mx.broadcastTo(mx.array([1.5, -2, 3], mx.float32), [4, 3]), mx.reshape(mx.arange(4, mx.float32), [4, 1]));
    write('ours_lazy.npy', mx.saveToBytes('npy', lazy));
    const sl = mx.reshape(mx.arange(30, mx.int64), [5, 6]).index(mx.Slice(null, null, 2), mx.Slice(1, 5, 3));
    write('ours_slice.npy', mx.saveToBytes('npy', sl));
    if (groups.numpy) {
      add({ id: 'numpy lazy broadcast', file: 'ours_lazy.npy', format: 'npy', reader: 'numpy-npy', arrays: { x: spec(lazy) } });
      add({ id: 'numpy strided slice', file: 'ours_slice.npy', format: 'npy', reader: 'numpy-npy', arrays: { x: spec(sl) } });
    }

    const named: Record<string, mx.MxArray> = {};
    allDtypes.forEach((d, i) => (named[d.name] = patternArray(d, [3, 2], 3000 + i)));
    const specs = (arrays: Record<string, mx.MxArray>): Record<string, Spec> => Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, spec(v)]));
    for (const f of ['npz', 'npzCompressed'] as const) {
      const file = `ours_${f}.npz`;
      write(file, mx.saveToBytes(f, named));
      if (groups.numpy) add({ id: `numpy ${f}`, file, format: 'npz', reader: 'numpy-npz', arrays: specs(named) });
      if (groups.mlx) add({ id: `mlx ${f}`, file, format: 'npz', reader: 'mlx', arrays: specs(named) });
    }
    const positional = [named.int8!, named.float16!, named.bool!];
    mx.savez(join(dir, 'ours_positional.npz'), ...positional);
    const posSpecs = Object.fromEntries(positional.map((a, i) => [`arr_${i}`, spec(a)]));
    if (groups.numpy) add({ id: 'numpy positional npz', file: 'ours_positional.npz', format: 'npz', reader: 'numpy-npz', arrays: posSpecs });

    const st = Object.fromEntries(formatDtypes.safetensors.map((d) => [d.name, named[d.name]!]));
    const stMeta = { producer: 'mlx-ts', unicode: 'é中', empty: '' };
    mx.saveSafetensors(join(dir, 'ours.safetensors'), st, stMeta);
    const stCase = { file: 'ours.safetensors', format: 'safetensors' as const, arrays: specs(st), metadata: stMeta };
    if (groups.safetensors) add({ ...stCase, id: 'safetensors-numpy', reader: 'safetensors-numpy' });
    if (groups.torch) add({ ...stCase, id: 'safetensors-torch', reader: 'safetensors-torch' });
    if (groups.mlx) add({ ...stCase, id: 'mlx safetensors', reader: 'mlx' });

    const gg = Object.fromEntries(formatDtypes.gguf.map((d) => [d.name, patternArray(d, [3, 5], 4000 + d.size)]));
    const ggMeta: Record<string, mx.GgufMetadataValue> = {
      s: 'text é',
      l: ['a', 'bc', ''],
      f: mx.array([1.5, -2], mx.float32),
      i: mx.array(7, mx.int32),
      u64: mx.array([2n ** 63n + 1n], mx.uint64),
      i64: mx.array(-(2n ** 40n), mx.int64),
      b: mx.array(true),
      u8: mx.array([1, 255], mx.uint8),
      i16: mx.array([-3], mx.int16),
    };
    mx.saveGguf(join(dir, 'ours.gguf'), gg, ggMeta);
    const ggCase = { file: 'ours.gguf', format: 'gguf' as const, arrays: specs(gg), metadata: Object.fromEntries(Object.entries(ggMeta).map(([k, v]) => [k, metaSpec(v)])) };
    if (groups.gguf) add({ ...ggCase, id: 'gguf reader', reader: 'gguf' });
    if (groups.mlx) add({ ...ggCase, id: 'mlx gguf', reader: 'mlx' });

    if (cases.length === 0) return;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ cases }));
    const out = python(['check', dir]) as { results: { id: string; ok: boolean; error?: string; trace?: string }[] };
    results = new Map(out.results.map((r) => [r.id, r]));
  });

  const expectPrefix = (prefix: string, min: number): void => {
    const mine = cases.filter((c) => c.id.startsWith(prefix));
    expect(mine.length).toBeGreaterThanOrEqual(min);
    const failures = mine.map((c) => [c.id, results.get(c.id)] as const).filter(([, r]) => !r?.ok);
    expect(failures.map(([id, r]) => `${id}: ${r?.error ?? 'no result'}`)).toEqual([]);
  };

  test('NumPy reads our .npy of all 14 dtypes (C order, Fortran order, scalars, empty, lazy, strided); ml_dtypes reads bfloat16', () => {
    if (!groups.numpy) return;
    expectPrefix('numpy ', 14 * 4 + 2);
  });
  test('NumPy reads our .npz, plain and compressed', () => {
    if (!groups.numpy) return;
    expectPrefix('numpy npz', 2);
    expectPrefix('numpy positional', 1);
  });
  test("MLX's mx.load reads all our files bit-exactly", () => {
    if (!groups.mlx) return;
    expectPrefix('mlx ', 14 * 2 + 4);
  });
  test("our .npy bytes are identical to MLX's mx.save output", () => {
    if (!groups.mlx) return;
    expectPrefix('mlx-bytes ', 14 * 4);
  });
  test('safetensors (numpy flavour) reads our 13 dtypes and metadata', () => {
    if (!groups.safetensors) return;
    expectPrefix('safetensors-numpy', 1);
  });
  test('safetensors (torch flavour) reads our file', () => {
    if (!groups.torch) return;
    expectPrefix('safetensors-torch', 1);
  });
  test('the gguf package reads our GGUF tensors and metadata', () => {
    if (!groups.gguf) return;
    expectPrefix('gguf reader', 1);
  });
});

describe('mlx-ts reads files Python wrote', () => {
  const writers = {
    numpy: have(['numpy', 'ml_dtypes'], 'reading NumPy-written files'),
    mlx: have(['mlx', 'numpy', 'ml_dtypes'], 'reading MLX-written files'),
    safetensors: have(['safetensors', 'numpy', 'ml_dtypes'], 'reading safetensors-written files'),
    gguf: have(['gguf', 'numpy', 'ml_dtypes'], 'reading gguf-written files'),
    'gguf-quant': have(['gguf', 'mlx', 'numpy'], 'reading quantized gguf files as MLX does'),
  };
  const only = Object.entries(writers).filter(([, ok]) => ok).map(([w]) => w);
  let wdir = '';
  let cases: Case[] = [];
  beforeAll(() => {
    if (only.length === 0) return;
    wdir = mkdtempSync(join(tmpdir(), 'mlx-ts-io-pyw-'));
    python(['write', wdir, '--only', only.join(',')]);
    cases = (JSON.parse(readFileSync(join(wdir, 'expected.json'), 'utf8')) as { cases: Case[] }).cases;
  });
  afterAll(() => {
    if (wdir) rmSync(wdir, { recursive: true, force: true });
  });

  function check(c: Case): string[] {
    const errors: string[] = [];
    try {
      const path = join(wdir, c.file);
      let arrays: Record<string, mx.MxArray>;
      let meta: Record<string, unknown> | null = null;
      if (c.format === 'npy') arrays = { x: mx.load(path) as mx.MxArray };
      else if (c.format === 'npz') arrays = mx.load(path) as Record<string, mx.MxArray>;
      else [arrays, meta] = mx.load(path, null, true) as [Record<string, mx.MxArray>, Record<string, unknown>];
      // the bytes twin must agree with the file reader
      const viaBytes = mx.loadFromBytes(new Uint8Array(readFileSync(path)), c.format);
      const twin = viaBytes instanceof mx.MxArray ? { x: viaBytes } : (viaBytes as Record<string, mx.MxArray>);
      if (Object.keys(arrays).sort().join() !== Object.keys(c.arrays).sort().join()) errors.push(`${c.id}: names ${Object.keys(arrays)}`);
      for (const [k, want] of Object.entries(c.arrays)) {
        for (const [how, got] of [['load', arrays[k]], ['loadFromBytes', twin[k]]] as const) {
          if (!got) continue;
          const g = spec(got);
          if (g.dtype !== want.dtype || g.shape.join() !== want.shape.join() || g.b64 !== want.b64) {
            errors.push(`${c.id} '${k}' (${how}): got ${g.dtype} [${g.shape}], want ${want.dtype} [${want.shape}]${g.b64 !== want.b64 ? ', bytes differ' : ''}`);
          }
        }
        if (arrays[k] && arrays[k]!.size > 1) {
          // C order in memory, whatever the file's order
          const st = arrays[k]!.strides;
          const sh = arrays[k]!.shape;
          const rowMajor = st.every((s, i) => sh[i] === 1 || s === sh.slice(i + 1).reduce((p, q) => p * q, 1));
          if (!rowMajor) errors.push(`${c.id} '${k}': strides ${st} not row-major`);
        }
      }
      if (c.metadata) {
        const got = c.format === 'gguf' ? Object.fromEntries(Object.entries(meta ?? {}).map(([k, v]) => [k, metaSpec(v as mx.GgufMetadataValue)])) : meta;
        try {
          expect(got).toEqual(c.metadata);
        } catch (e) {
          errors.push(`${c.id} metadata: ${(e as Error).message.slice(0, 800)}`);
        }
      }
    } catch (e) {
      errors.push(`${c.id}: threw ${(e as Error).message}`);
    }
    return errors;
  }

  const expectWriter = (writer: string, min: number, pick: (c: Case) => boolean = () => true): void => {
    const mine = cases.filter((c) => c.writer === writer && pick(c));
    expect(mine.length).toBeGreaterThanOrEqual(min);
    expect(mine.flatMap(check)).toEqual([]);
  };

  test('NumPy .npy of all 14 dtypes: C and Fortran order, big-endian (both orders), scalars, empty', () => {
    if (!writers.numpy) return;
    // big-endian: the 10 dtypes wider than a byte (bfloat16 is '|V2', without byte order)
    expectWriter('numpy', 14 * 3 + 10 * 2 + 1, (c) => c.format === 'npy');
  });
  test('NumPy .npz, plain and compressed (ZIP64 local headers as NumPy writes them)', () => {
    if (!writers.numpy) return;
    expectWriter('numpy', 2, (c) => c.format === 'npz');
  });
  test("MLX's mx.save / savez / savez_compressed / save_safetensors / save_gguf files", () => {
    if (!writers.mlx) return;
    expectWriter('mlx', 14 * 2 + 4);
  });
  test('safetensors (numpy) files with metadata', () => {
    if (!writers.safetensors) return;
    expectWriter('safetensors', 1);
  });
  test('gguf-package files: tensors, BF16 as float16, metadata of every value type', () => {
    if (!writers.gguf) return;
    expectWriter('gguf', 1);
  });
  test("Q4_0 / Q4_1 / Q8_0 tensors load as MLX's (weight, scales, biases), bit for bit", () => {
    if (!writers['gguf-quant']) return;
    expectWriter('gguf-quant', 1);
    expect(Object.keys(cases.find((c) => c.writer === 'gguf-quant')!.arrays).sort()).toEqual(
      ['a.biases', 'a.scales', 'a.weight', 'b.biases', 'b.scales', 'b.weight', 'c.biases', 'c.scales', 'c.weight'],
    );
  });
});

// io.test.ts checks what mlx-ts says of each hand-made file; here, that the format's own
// reader says the same (or, where craftedFiles notes it, that mlx-ts is deliberately stricter).
describe('the reference readers judge the hand-made files as craftedFiles says', () => {
  test('NumPy (.npz), safetensors and gguf: refused or loaded', () => {
    if (!have(['numpy', 'safetensors', 'gguf'], 'reference readers judging hand-made files')) return;
    const vdir = mkdtempSync(join(tmpdir(), 'mlx-ts-io-verdicts-'));
    try {
      const files = craftedFiles().map((c, i) => {
        writeFileSync(join(vdir, `${i}.${c.format}`), c.bytes);
        return { id: c.id, file: `${i}.${c.format}`, format: c.format, reference: c.reference };
      });
      writeFileSync(join(vdir, 'verdicts.json'), JSON.stringify({ files }));
      const { verdicts } = python(['verdicts', vdir]) as { verdicts: Record<string, string | null> };
      const got = files.map((f) => `${f.id}: ${verdicts[f.id] === null ? 'loads' : 'refuses'}`);
      const want = files.map((f) => `${f.id}: ${f.reference}`);
      expect(got, JSON.stringify(verdicts, null, 1)).toEqual(want);
    } finally {
      rmSync(vdir, { recursive: true, force: true });
    }
  });
});

// the pattern arrays must really hold NaNs and odd bit patterns, or "bit-exact" proves little
test('pattern arrays cover special values', () => {
  const f = patternArray(mx.float16, [4096], 7);
  const bits = new Uint16Array(rawBytes(f).buffer);
  expect(bits.some((b) => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0)).toBe(true); // NaNs
  expect(bits.some((b) => (b & 0x7c00) === 0 && (b & 0x3ff) !== 0)).toBe(true); // subnormals
  expect(fromBase64(toBase64(rawBytes(f)))).toEqual(rawBytes(f));
});
