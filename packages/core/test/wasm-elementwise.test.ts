// Elementwise kernels of the WASM backend against the reference backend, through the public
// oracle (@mlx-ts/core/testing): every binary and unary primitive with a WASM kernel, in
// float32 / float64 / int32, on contiguous, scalar-broadcast, transposed, sliced and mixed
// layouts. Results must be bit-identical (NaN payloads aside).
import { describe, test, afterAll } from 'vitest';
import fc from 'fast-check';
import { compareBackends, arraySpecsArb, broadcastableShapesArb, arraySpecArb, shapeArb } from '@mlx-ts/core/testing';
import * as mx from '@mlx-ts/core';
import { binary, unary, Select, DivMod } from '../src/primitives/elementwise.js';
import { makeArrays } from '../src/array.js';
import { Primitive } from '../src/primitive.js';
import { broadcastArrays } from '../src/ops/views.js';
import { allDtypes } from '../src/dtype.js';
import { broadcastShapes } from '../src/shape.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { getBackendByName } from '../src/device.js';
import { runs, tally, applyPrim } from './wasm-helpers.js';

const backend = getBackendByName('wasm') as WasmBackend;
const dtypes = [mx.float32, mx.float64, mx.int32, mx.int8, mx.uint8, mx.int16, mx.uint16, mx.uint32, mx.bool];
const boolOut = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'NaNEqual', 'LogicalAnd', 'LogicalOr', 'IsNaN', 'IsInf', 'IsPosInf', 'IsNegInf', 'IsFinite', 'LogicalNot']);
const intOnly = new Set(['BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'LeftShift', 'RightShift', 'BitwiseInvert']);
// Divide and the functions the kernels import from the reference (transcendental ones)
const floatOnly = new Set(['Divide', 'Sqrt', 'Rsqrt', 'Reciprocal', 'Power', 'LogAddExp', 'ArcTan2', 'Exp', 'Expm1', 'Log', 'Log2', 'Log10', 'Log1p',
  'Sin', 'Cos', 'Tan', 'ArcSin', 'ArcCos', 'ArcTan', 'Sinh', 'Cosh', 'Tanh', 'ArcSinh', 'ArcCosh', 'ArcTanh', 'Sigmoid', 'Erf', 'ErfInv']);

// float32 transcendental functions computed natively (kernels-wasm/assembly/math.ts): stated bound 1 ulp (wasm-math.test.ts)
const nativeF32 = new Set(['Exp', 'Expm1', 'Log', 'Log2', 'Log10', 'Log1p', 'Sin', 'Cos', 'Tan', 'ArcSin', 'ArcCos', 'ArcTan', 'Sinh', 'Cosh', 'Tanh',
  'ArcSinh', 'ArcCosh', 'ArcTanh', 'Sigmoid', 'Erf']);
const binaryOps = backend.kernelOps('BINARY_');
const unaryOps = backend.kernelOps('UNARY_');

const isFloat = (d: mx.Dtype) => d === mx.float32 || d === mx.float64;
// bool takes only the comparisons and predicates
const applies = (name: string, d: mx.Dtype) =>
  !(intOnly.has(name) && isFloat(d)) && !(floatOnly.has(name) && !isFloat(d)) && (d !== mx.bool || boolOut.has(name));
const layoutsForScalar = fc.constantFrom<[number[], number[]]>([[5, 7], []], [[], [9]], [[33], [1]]);

describe('wasm elementwise: binary', () => {
  for (const name of binaryOps) {
    for (const d of dtypes.filter((d) => applies(name, d))) {
      test(`${name} ${d.name}`, () => {
        const def = binary[name as keyof typeof binary];
        const outD = boolOut.has(name) ? mx.bool : d;
        const shapes = fc.oneof({ arbitrary: broadcastableShapesArb({ maxRank: 4, maxSize: 300 }), weight: 4 }, { arbitrary: layoutsForScalar, weight: 1 });
        fc.assert(
          fc.property(
            shapes.chain((s) => arraySpecsArb(d, s)),
            (specs) => {
              tally.cases++;
              compareBackends((a, b) => applyPrim(def, {}, [a, b], outD), specs, { label: `${name} ${d.name}` });
            },
          ),
          { numRuns: runs(60) },
        );
      });
    }
  }
});

describe('wasm elementwise: unary', () => {
  for (const name of unaryOps) {
    for (const d of dtypes.filter((d) => applies(name, d))) {
      test(`${name} ${d.name}`, () => {
        const def = unary[name as keyof typeof unary];
        const outD = boolOut.has(name) ? mx.bool : d;
        fc.assert(
          fc.property(
            shapeArb({ maxRank: 4, maxSize: 300 }).chain((s) => arraySpecArb(d, s)),
            (spec) => {
              tally.cases++;
              compareBackends((x) => applyPrim(def, {}, [x], outD), [spec], { label: `${name} ${d.name}`, ulp: d === mx.float32 && nativeF32.has(name) ? 1 : 0 });
            },
          ),
          { numRuns: runs(60) },
        );
      });
    }
  }

  test('long contiguous runs take the SIMD path and its scalar tail', () => {
    const n = 1027;
    const a = mx.linspace(-50, 50, n, mx.float32);
    const b = mx.add(mx.multiply(a, a), 1);
    for (const name of ['Add', 'Subtract', 'Multiply', 'Divide', 'Maximum', 'Minimum']) {
      tally.cases++;
      compareBackends((x, y) => applyPrim(binary[name as keyof typeof binary], {}, [x, y], mx.float32), [a, b], { label: name });
    }
  });
});

describe('wasm elementwise: strided rows in lanes', () => {
  test('rows of unit stride against one value a row or a shared row (softmax, bias): the lanes equal the scalar loop', () => {
    const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-40, -3.5];
    for (const d of [mx.float32, mx.float64, mx.int32]) {
      const f = d === mx.int32;
      // rows 67 long (lanes and a tail), 40 apart in a [6, 80] parent: the rows are strided
      const base = mx.reshape(mx.arange(0, 480, 1, mx.float32), [6, 80]);
      let parent = mx.subtract(mx.multiply(mx.sin(base), 1000), 3);
      if (!f) parent = mx.where(mx.equal(mx.remainder(base, 11), 0), mx.array(specials[0]!), mx.where(mx.equal(mx.remainder(base, 13), 0), mx.array(-0), parent));
      const a = parent.astype(d).index(mx.Slice(), mx.Slice(5, 72));
      const perRow = mx.add(mx.multiply(mx.cos(mx.arange(6)), 7), 0.5).astype(d).reshape([6, 1]);
      const shared = mx.add(mx.multiply(mx.cos(mx.arange(67)), 9), f ? 3 : 0.25).astype(d);
      const specialRow = mx.array(Array.from({ length: 6 }, (_, i) => (f ? i - 3 : specials[i]!))).astype(d).reshape([6, 1]);
      for (const name of ['Add', 'Subtract', 'Multiply', 'Divide', 'Maximum', 'Minimum']) {
        if (f && name === 'Divide') continue;
        const def = binary[name as keyof typeof binary];
        for (const [x, y] of [[a, perRow], [perRow, a], [a, shared], [shared, a], [a, specialRow], [a, a.T.T]] as const) {
          tally.cases++;
          compareBackends((p, q) => applyPrim(def, {}, [p, q], d), [x, y], { label: `${name} ${d.name} [${x.shape}] with [${y.shape}]` });
        }
      }
    }
  });
});

describe('wasm elementwise: raw copies', () => {
  test('Select (mx.where) of every dtype, three broadcast operands in any layouts', () => {
    const caseArb = fc.constantFrom(...allDtypes).chain((d) =>
      fc
        .tuple(broadcastableShapesArb({ maxRank: 3, maxSize: 200 }), shapeArb({ maxRank: 3, maxSize: 200 }))
        .filter(([[a, b], c]) => {
          try {
            broadcastShapes(a, b, c);
            return true;
          } catch {
            return false;
          }
        })
        .chain(([[a, b], c]) => fc.tuple(arraySpecArb(mx.bool, c), arraySpecArb(d, a), arraySpecArb(d, b))),
    );
    fc.assert(
      fc.property(caseArb, (specs) => {
        tally.cases++;
        compareBackends((c, x, y) => applyPrim(Select, {}, [c, x, y], x.dtype), specs, { label: 'Select' });
      }),
      { numRuns: runs(400) },
    );
  });

  test('DivMod: both outputs, integer and float dtypes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(mx.float32, mx.float64, mx.int32, mx.int8, mx.uint16).chain((d) => broadcastableShapesArb({ maxRank: 3 }).chain((s) => arraySpecsArb(d, s))),
        (specs) => {
          tally.cases++;
          compareBackends((a, b) => {
            const [x, y] = broadcastArrays([a, b]);
            return makeArrays([[...x!.shape], [...x!.shape]], [a.dtype, a.dtype], new Primitive(DivMod, {}), [x!, y!]);
          }, specs, { label: 'DivMod' });
        },
      ),
      { numRuns: runs(300) },
    );
  });

  for (const name of ['StopGradient', 'Conjugate', 'Real']) {
    test(`${name} of real dtypes is a copy`, () => {
      const real = allDtypes.filter((d) => d !== mx.complex64);
      fc.assert(
        fc.property(fc.constantFrom(...real).chain((d) => shapeArb({ maxRank: 3 }).chain((s) => arraySpecArb(d, s))), (spec) => {
          tally.cases++;
          compareBackends((x) => applyPrim(unary[name as keyof typeof unary], {}, [x], x.dtype), [spec], { label: name });
        }),
        { numRuns: runs(100) },
      );
    });
  }
});

test('every elementwise primitive with a kernel ran in WASM', () => {
  const stats = backend.kernelStats();
  for (const name of [...binaryOps, ...unaryOps, 'Select', 'DivMod', 'StopGradient', 'Conjugate', 'Real']) {
    if (!stats[name] || stats[name]!.wasm === 0) throw new Error(`${name} never ran in WASM: ${JSON.stringify(stats[name])}`);
  }
});

afterAll(() => console.log(`wasm-elementwise: ${tally.cases} generated cases, ${binaryOps.length} binary + ${unaryOps.length} unary ops in WASM`));
