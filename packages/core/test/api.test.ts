// The public surface against node-mlx's `core` namespace (a program written for node-mlx must
// find every name here) and against the real MLX's: every public callable of mlx.core and its
// fft, linalg, fast, random and distributed modules, and every public member of mx.array, listed
// by the installed MLX itself, so that an MLX upgrade shows what it brought. Names mlx-ts leaves out
// are listed with the reason; an entry whose name lands must leave the list.
import { spawnSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { mlxAvailable } from '../../../tests/differential/harness.js';

const ops = `abs add addmm all allclose any arange arccos arccosh arcsin arcsinh arctan arctanh argmax argmin
argpartition argsort arrayEqual asStrided atleast1d atleast2d atleast3d bitwiseAnd bitwiseInvert bitwiseOr
bitwiseXor broadcastArrays broadcastTo ceil clip concat concatenate conv1d conv2d conv3d convGeneral
convTranspose1d convTranspose2d convTranspose3d convolve cos cosh cummax cummin cumprod cumsum
degrees diag diagonal divide divmod einsum einsumPath equal erf erfinv exp expandDims expm1 eye flatten floor
floorDivide full greater greaterEqual identity imag inner isclose isfinite isinf isnan isneginf isposinf
issubdtype kron leftShift less lessEqual linspace log log10 log1p log2 logaddexp logicalAnd logicalNot
logicalOr logsumexp matmul max maximum mean meshgrid min minimum moveaxis multiply nanToNum negative notEqual
ones onesLike outer pad partition permuteDims power prod putAlongAxis radians real reciprocal remainder repeat
reshape rightShift roll round rsqrt sigmoid sign sin sinh slice sliceUpdate softmax sort split sqrt square
squeeze stack std stopGradient subtract sum swapaxes take takeAlongAxis tan tanh tensordot tile topk trace
transpose tri tril triu unflatten variance where zeros zerosLike
array Complex Slice finfo eval asyncEval tidy dispose getWrappersCount
defaultDevice setDefaultDevice defaultStream setDefaultStream newStream toStream stream synchronize
getActiveMemory getPeakMemory resetPeakMemory getCacheMemory setMemoryLimit setWiredLimit setCacheLimit clearCache
grad valueAndGrad vjp jvp vmap checkpoint customFunction compile enableCompile disableCompile
load save saveGguf saveSafetensors savez savezCompressed saveToBytes loadFromBytes toTypedArray asarray fromDlpack
quantize dequantize quantizedMatmul gatherQMM gatherMM blockMaskedMM segmentedMM qqmm gatherQQMM toFp8 fromFp8`
  .split(/\s+/)
  .filter(Boolean);

const values = `cpu gpu Device Stream Dtype bool bool_ uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float32
float64 bfloat16 complex64 complexfloating floating inexact signedinteger unsignedinteger integer number generic
Inf Infinity inf infty NAN NaN nan NINF NZERO PINF PZERO e eulerGamma pi`
  .split(/\s+/)
  .filter(Boolean);

const randomFns = 'bernoulli categorical gumbel key normal randint seed split truncatedNormal uniform laplace permutation multivariateNormal'.split(' ');
/** node-mlx's mx.linalg, plus what MLX 0.32.4 added since (eig, eigvals, det, slogdet) */
const linalgFns = 'norm qr svd inv triInv cholesky choleskyInv pinv cross eigvalsh eigh eig eigvals lu luFactor solve solveTriangular det slogdet'.split(' ');
const metalFns = 'isAvailable startCapture stopCapture deviceInfo'.split(' ');
/** node-mlx's mx.fft, plus MLX's shifts, frequencies and stft/istft */
const fftFns = 'fft ifft fft2 ifft2 fftn ifftn rfft irfft rfft2 irfft2 rfftn irfftn fftshift ifftshift fftfreq rfftfreq stft istft'.split(' ');
// node-mlx's fast namespace, plus MLX 0.32.4's crossEntropy and gatedDeltaUpdate
const fastFns = 'rmsNorm layerNorm rope scaledDotProductAttention crossEntropy gatedDeltaUpdate'.split(' ');

const arrayMembers = `abs all any argmax argmin astype at cos cummax cummin cumprod cumsum diag diagonal exp flatten index
indexPut_ item log logsumexp max mean min moveaxis power prod reciprocal reshape round rsqrt sin split sqrt square
squeeze std sum swapaxes tolist transpose variance`
  .split(/\s+/)
  .filter(Boolean);
const arrayProps = 'T dtype itemsize length nbytes ndim shape size'.split(' ');

// ---- MLX's own surface ----

/** node-mlx's spelling where camelCase alone doesn't give it (a matmul suffix is upper case). */
const renames: Record<string, string> = {
  gather_mm: 'gatherMM',
  gather_qmm: 'gatherQMM',
  gather_qqmm: 'gatherQQMM',
  block_masked_mm: 'blockMaskedMM',
  segmented_mm: 'segmentedMM',
};
const jsName = (pyName: string): string => renames[pyName] ?? pyName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const modules = ['core', 'fft', 'linalg', 'fast', 'random', 'distributed'] as const;
type Module = (typeof modules)[number] | 'array';

const inProgress = (family: string) => `in progress in issue 12 (${family})`;
const entries = (module: Module, names: string, reason: string): [string, string][] =>
  names.split(/\s+/).filter(Boolean).map((n) => [`${module}.${n}`, reason]);

/** MLX names (module.python_name) that mlx-ts does not have, and why. */
const leftOut = new Map<string, string>([
  ...entries('fast', 'cuda_kernel precompiled_cuda_kernel', 'CUDA kernels: no JS runtime runs CUDA'),
  ...entries('core', 'export_function import_function exporter FunctionExporter', 'exporting and importing functions (.mlxfn) is a later issue'),
  ['core.ArrayIterator', 'arrays iterate through the JS iteration protocol (a generator), with no class of its own'],
  ['core.ArrayLike', "a Python protocol (__mlx_array__): JS code passes arrays, TypedArrays, lists or DLPack producers"],
  ['core.PrintOptions', 'a TS type here (print options are plain objects)'],
]);

function namespaceOf(module: Module): Record<string, unknown> | undefined {
  if (module === 'array') return mx.array([[1]]) as unknown as Record<string, unknown>;
  if (module === 'core') return mx as unknown as Record<string, unknown>;
  return (mx as unknown as Record<string, Record<string, unknown> | undefined>)[module];
}
const has = (module: Module, name: string): boolean => {
  const ns = namespaceOf(module);
  // members of an array are looked up, not read: a getter such as mT computes
  return ns !== undefined && name in ns && (module === 'array' || ns[name] !== undefined);
};

/** The real MLX's public names, or null (with a loud warning; an error under CI) when it is missing. */
function mlxSurface(): { version: string; names: Record<Module, string[]> } | null {
  if (!mlxAvailable()) return null;
  const script = [
    'import json, mlx.core as mx',
    "pub = lambda m: sorted(n for n in dir(m) if not n.startswith('_') and callable(getattr(m, n)))",
    "names = {k: pub(getattr(mx, k) if k != 'core' else mx) for k in ('core', 'fft', 'linalg', 'fast', 'random', 'distributed')}",
    "names['array'] = sorted(n for n in dir(mx.array) if not n.startswith('_'))",
    "print(json.dumps({'version': mx.__version__, 'names': names}))",
  ].join('\n');
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`listing MLX's names failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { version: string; names: Record<Module, string[]> };
}
const surface = mlxSurface();

describe('node-mlx core API surface', () => {
  it.each(ops)('mx.%s is a function', (name) => {
    expect(typeof (mx as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(values)('mx.%s is defined', (name) => {
    expect(name in mx).toBe(true);
  });
  it.each(randomFns)('mx.random.%s is a function', (name) => {
    expect(typeof (mx.random as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(fftFns)('mx.fft.%s is a function', (name) => {
    expect(typeof (mx.fft as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(linalgFns)('mx.linalg.%s is a function', (name) => {
    expect(typeof (mx.linalg as Record<string, unknown>)[name]).toBe('function');
  });
  it('mx.matrixNorm is mx.linalg.norm (MLX binds it at the top level too)', () => {
    expect(mx.matrixNorm).toBe(mx.linalg.norm);
  });
  it.each(metalFns)('mx.metal.%s is a function', (name) => {
    expect(typeof (mx.metal as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(fastFns)('mx.fast.%s is a function', (name) => {
    expect(typeof (mx.fast as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(arrayMembers)('array.%s is a method', (name) => {
    expect(typeof (mx.array([1]) as unknown as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(arrayProps)('array.%s is a property', (name) => {
    expect(() => (mx.array([[1]]) as unknown as Record<string, unknown>)[name]).not.toThrow();
  });
  it('names left out are not exported (an entry leaves the list when its name lands)', () => {
    const present = [...leftOut.keys()].filter((key) => {
      const [module, name] = key.split('.') as [Module, string];
      return has(module, jsName(name));
    });
    expect(present).toEqual([]);
  });
  it('mx.array works with and without new, and instanceof holds', () => {
    const a = mx.array([1, 2]);
    const b = new mx.array([1, 2]);
    expect(a instanceof mx.array).toBe(true);
    expect(b instanceof mx.array).toBe(true);
    expect(b.tolist()).toEqual([1, 2]);
  });
  it('constants have their values', () => {
    expect(mx.pi).toBe(Math.PI);
    expect(mx.e).toBe(Math.E);
    expect(mx.inf).toBe(Infinity);
    expect(Number.isNaN(mx.nan)).toBe(true);
    expect(Object.is(mx.NZERO, -0)).toBe(true);
    expect(mx.newaxis).toBe(null);
    expect(mx.eulerGamma).toBeCloseTo(0.5772156649015329, 15);
  });
});

describe.skipIf(!surface)(`the real MLX's surface (mlx ${surface?.version})`, () => {
  // (collected even when skipped: the names are read inside the tests)
  it.each([...modules, 'array' as const])('every public name of %s is in mlx-ts, or left out with a reason', (module) => {
    const missing = surface!.names[module]
      .filter((n) => !leftOut.has(`${module}.${n}`) && !has(module, jsName(n)))
      .map((n) => `${module}.${n} (mlx-ts: ${module === 'array' ? 'array.' : module === 'core' ? 'mx.' : `mx.${module}.`}${jsName(n)})`);
    expect(missing, `MLX names with no mlx-ts counterpart: add them, or list them in leftOut with the reason`).toEqual([]);
  });
  it('every name left out is still in MLX', () => {
    const gone = [...leftOut.keys()].filter((key) => {
      const [module, name] = key.split('.') as [Module, string];
      return !surface!.names[module].includes(name);
    });
    expect(gone).toEqual([]);
  });
});
