// node-mlx compatibility: every function of node-mlx's `core` namespace and every `array`
// method/property in the foundation scope exists under the same name in @mlx-ts/core, so a
// node-mlx program only has to change its import line. (Autograd, compile, fft,
// fast, save/load and toTypedArray are later issues and are not listed here.)
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';

const functions = `
Complex Slice abs add addmm all allclose any arange arccos arccosh arcsin arcsinh arctan arctanh
argmax argmin argpartition argsort array arrayEqual asStrided asyncEval atleast1d atleast2d atleast3d
bitwiseAnd bitwiseInvert bitwiseOr bitwiseXor broadcastArrays broadcastTo ceil clearCache clip concat
concatenate conv1d conv2d conv3d convGeneral convTranspose1d convTranspose2d convTranspose3d convolve cos
cosh cummax cummin cumprod cumsum defaultDevice defaultStream degrees diag diagonal
dispose divide divmod einsum einsumPath equal erf erfinv eval exp expandDims expm1 eye finfo flatten
floor floorDivide full getActiveMemory getCacheMemory getPeakMemory getWrappersCount greater
greaterEqual identity imag inner isclose isfinite isinf isnan isneginf isposinf issubdtype kron
leftShift less lessEqual linspace log log10 log1p log2 logaddexp logicalAnd logicalNot logicalOr
logsumexp matmul max maximum mean meshgrid min minimum moveaxis multiply nanToNum negative newStream
notEqual ones onesLike outer pad partition permuteDims power prod putAlongAxis radians real reciprocal
remainder repeat resetPeakMemory reshape rightShift roll round rsqrt setCacheLimit setDefaultDevice
setDefaultStream setMemoryLimit setWiredLimit sigmoid sign sin sinh slice sliceUpdate softmax sort
split sqrt square squeeze stack std stopGradient stream subtract sum swapaxes synchronize take
takeAlongAxis tan tanh tensordot tidy tile toStream topk trace transpose tri tril triu unflatten
variance where zeros zerosLike
quantize dequantize quantizedMatmul gatherQMM gatherMM blockMaskedMM
`.trim().split(/\s+/);

const randomFunctions = `bernoulli categorical gumbel key normal randint seed split
truncatedNormal uniform laplace permutation multivariateNormal`.trim().split(/\s+/);

/** node-mlx's linalg namespace (src/linalg.cc) */
const linalgFunctions = `norm qr svd inv triInv cholesky choleskyInv pinv cross eigvalsh eigh lu luFactor
solve solveTriangular`.trim().split(/\s+/);

const methods = `
abs all any argmax argmin astype at cos cummax cummin cumprod cumsum diag diagonal exp flatten index
indexPut_ item log log10 log1p log2 logsumexp max mean min moveaxis power prod reciprocal reshape round
rsqrt sin split sqrt square squeeze std sum swapaxes tolist transpose variance view
`.trim().split(/\s+/);

const dtypes = `bool bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64
bfloat16 complex64 complexfloating floating inexact signedinteger unsignedinteger integer number generic`
  .trim().split(/\s+/);

const ns = mx as unknown as Record<string, unknown>;

describe('node-mlx core namespace', () => {
  it.each(functions)('mx.%s is a function', (name) => {
    expect(typeof ns[name]).toBe('function');
  });
  it.each(randomFunctions)('mx.random.%s is a function', (name) => {
    expect(typeof (mx.random as unknown as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(linalgFunctions)('mx.linalg.%s is a function', (name) => {
    expect(typeof (mx.linalg as unknown as Record<string, unknown>)[name]).toBe('function');
  });
  it.each(dtypes)('mx.%s is defined', (name) => {
    expect(ns[name]).toBeDefined();
  });
  it('constants and device types', () => {
    expect(mx.pi).toBe(Math.PI);
    expect(mx.e).toBe(Math.E);
    expect(mx.inf).toBe(Infinity);
    expect(Number.isNaN(mx.nan)).toBe(true);
    expect(mx.newaxis).toBe(null);
    expect(typeof mx.cpu).toBe('number');
    expect(typeof mx.gpu).toBe('number');
    expect(typeof mx.metal.isAvailable).toBe('function');
  });
});

describe('node-mlx array class', () => {
  const a = new mx.array([[1, 2], [3, 4]], mx.float32);
  it.each(methods)('array.prototype.%s is a method', (name) => {
    expect(typeof (a as unknown as Record<string, unknown>)[name]).toBe('function');
  });
  it('properties', () => {
    expect(a.shape).toEqual([2, 2]);
    expect(a.dtype).toBe(mx.float32);
    expect(a.ndim).toBe(2);
    expect(a.size).toBe(4);
    expect(a.itemsize).toBe(4);
    expect(a.nbytes).toBe(16);
    expect(a.length).toBe(2);
    expect(a.T.tolist()).toEqual([[1, 3], [2, 4]]);
    expect(a).toBeInstanceOf(mx.array);
    expect(mx.array([1])).toBeInstanceOf(mx.array);
  });
});
