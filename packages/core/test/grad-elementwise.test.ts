// Autodiff and batching rules of the elementwise primitives (primitives/elementwise.ts) and
// of AsType (primitives/copy.ts), against the real MLX 0.32.4.
//
// The `MLX_CASES` table was printed by MLX 0.32.4: for each op, mx.vjp(f, args, cts) and
// mx.jvp(f, args, tans) (the generator is the Python comment above the table). Here each
// op is built once with mx-ts, and the rule of the
// primitive at the root of its graph is called directly, with the node's own inputs (an
// AsType the op put in front of an argument is differentiated with its own rule), so the
// table checks exactly the rules: values, NaN/inf at the special points, and dtypes.
// The vmap rules are checked against applying the primitive example by example and
// stacking (`mx.stack`), with batch axes at every position and unbatched inputs mixed in.
import { describe, it, expect } from 'vitest';
import * as mx from '@mlx-ts/core';
import { unary, binary, unaryNames, binaryNames, Select, DivMod } from '../src/primitives/elementwise.js';
import { AsType } from '../src/primitives/copy.js';
import { alignBatchAxes } from '../src/primitives/rules.js';
import { makeArray } from '../src/array.js';
import { Primitive, type PrimitiveDef } from '../src/primitive.js';

type A = mx.MxArray;
type Spec = [unknown[], string];
interface Case { name: string; args: Spec[]; cts: Spec[]; tans: Spec[]; vjp: Spec[]; jvp: Spec[] }

const c = (re: number, im: number) => ({ re, im });
const dt = (name: string): mx.Dtype => (mx as unknown as Record<string, mx.Dtype>)[name]!;
const make = ([vals, d]: Spec): A => mx.array(vals as number[], dt(d));
const camel = (s: string) => s.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());

/** The mx-ts function for a table entry (mx.<camelCase name>, or astype_<dtype>). */
function opFor(name: string): (...xs: A[]) => A | A[] {
  if (name.startsWith('astype_')) return (x) => x.astype(dt(name.slice(7)));
  const f = (mx as unknown as Record<string, (...xs: A[]) => A | A[]>)[camel(name)];
  if (!f) throw new Error(`no op ${name}`);
  return f;
}

/** The node's input `inp` seen from the op argument `arg`: itself, or an AsType of it. */
function castOf(inp: A, arg: A): PrimitiveDef<any> | null {
  if (inp === arg) return null;
  const n = inp._node;
  if (n && n.prim.def === AsType && n.inputs[0] === arg) return AsType;
  throw new Error('the op put something other than a cast in front of an argument');
}

/** vjp and jvp of the op's root primitive, by its rules, carried through argument casts. */
function ruleResults(name: string, args: A[], cts: A[], tans: A[]): { vjp: A[]; jvp: A[] } {
  const res = opFor(name)(...args);
  const outs = Array.isArray(res) ? res : [res];
  const node = outs[0]!._node!;
  const { def, params } = node.prim;
  const argnums = node.inputs.map((_x, i) => i);
  const inCts = def.vjp!(params, node.inputs, cts, argnums, node.outputs);
  const vjp = args.map((a, i) => {
    const inp = node.inputs[i]!;
    return castOf(inp, a) ? AsType.vjp!(inp._node!.prim.params as any, [a], [inCts[i]!], [0], [inp])[0]! : inCts[i]!;
  });
  const inTans = args.map((a, i) => {
    const inp = node.inputs[i]!;
    return castOf(inp, a) ? AsType.jvp!(inp._node!.prim.params as any, [a], [tans[i]!], [0])[0]! : tans[i]!;
  });
  const jvp = def.jvp!(params, node.inputs, inTans, argnums);
  return { vjp, jvp };
}

type Value = number | boolean | { re: number; im: number };
function closeNumber(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}
function closeValue(got: Value, want: Value, tol: number): boolean {
  if (typeof want === 'object') {
    const g = got as { re: number; im: number };
    return closeNumber(g.re, want.re, tol) && closeNumber(g.im, want.im, tol);
  }
  if (typeof want === 'boolean') return got === want;
  return closeNumber(got as number, want, tol);
}
const TOL: Record<string, number> = { float16: 2e-3, bfloat16: 1e-2 };

/** `got` has MLX's dtype and shape, and values within a few float32 ulps (relative). */
function expectMatches(got: A, [vals, d]: Spec, what: string): void {
  expect(got.dtype.name, `${what}: dtype`).toBe(d);
  expect(got.shape, `${what}: shape`).toEqual([vals.length]);
  const g = got.tolist() as Value[];
  const tol = TOL[d] ?? 2e-6;
  const ok = g.every((v, i) => closeValue(v, vals[i] as Value, tol));
  expect(ok, `${what}: got ${JSON.stringify(g)}, MLX ${JSON.stringify(vals)}`).toBe(true);
}

/*
 Generator of MLX_CASES (python3, MLX 0.32.4); its output is pasted below as it prints.

# Prints the MLX 0.32.4 expected values for packages/core/test/grad-elementwise.test.ts.
import mlx.core as mx, math, json
def lit(v):
    if isinstance(v, complex): return f"c({lit(v.real)}, {lit(v.imag)})"
    if isinstance(v, bool): return 'true' if v else 'false'
    if isinstance(v, float):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
        r = repr(float(v))
        return r[:-2] if r.endswith('.0') else r
    return str(v)
def arr(a):
    return f"[[{', '.join(lit(v) for v in a.tolist())}], '{str(a.dtype).split('.')[-1]}']"
DT = {'f32': mx.float32, 'f16': mx.float16, 'bf16': mx.bfloat16, 'c64': mx.complex64, 'i32': mx.int32, 'bool': mx.bool_, 'u8': mx.uint8}
def A(v, d='f32'): return mx.array(v, DT[d])
cases = []
def case(name, fn, args, cts=None, tans=None):
    outs = fn(*args)
    outs_l = outs if isinstance(outs, (list, tuple)) else [outs]
    if cts is None:
        cts = [mx.array([[0.5+1j, -2+0.5j, 1.5-1j, 3.0, -1.0][i % 5] if o.dtype == mx.complex64 else [0.5, -2.0, 1.5, 3.0, -1.0][i % 5] for i in range(o.size)]).astype(o.dtype) for o in outs_l]
    if tans is None:
        tans = [mx.array([[1.5-0.5j, -0.5+2j, 2.0, 0.25, 1.0][i % 5] if a.dtype == mx.complex64 else [1.5, -0.5, 2.0, 0.25, 1.0][i % 5] for i in range(a.size)]).astype(a.dtype) for a in args]
    f = lambda *xs: fn(*xs) if isinstance(outs, (list, tuple)) else [fn(*xs)]
    vj = mx.vjp(f, list(args), list(cts))[1]
    jv = mx.jvp(f, list(args), list(tans))[1]
    cases.append(f"  {{ name: '{name}', args: [{', '.join(arr(a) for a in args)}], cts: [{', '.join(arr(a) for a in cts)}], tans: [{', '.join(arr(a) for a in tans)}], vjp: [{', '.join(arr(a) for a in vj)}], jvp: [{', '.join(arr(a) for a in jv)}] }},")
inf, nan = float('inf'), float('nan')
U = {
 'abs': [0., -2., 3.], 'negative': [0., -2., 3.], 'sign': [0., -2., 3.], 'square': [0., -2., 3.],
 'sqrt': [0., 4., 2.], 'rsqrt': [0., 4., 2.], 'reciprocal': [0., -2., 0.5], 'exp': [0., 1., -inf],
 'expm1': [0., 1., -2.], 'log': [0., 2., -1.], 'log2': [0., 2., 8.], 'log10': [0., 2., 100.], 'log1p': [-1., 0., 1.],
 'sin': [0., 1., -2.], 'cos': [0., 1., -2.], 'tan': [0., 1., -2.], 'arcsin': [0., 0.5, 1., -1.],
 'arccos': [0., 0.5, 1., -1.], 'arctan': [0., 1., -2.], 'sinh': [0., 1., -2.], 'cosh': [0., 1., -2.],
 'tanh': [0., 1., -20.], 'arcsinh': [0., 1., -2.], 'arccosh': [1., 2., 0.5], 'arctanh': [0., 0.5, 1., -1.],
 'floor': [0.5, -1.5, 2.], 'ceil': [0.5, -1.5, 2.], 'round': [0.5, -1.5, 2.], 'sigmoid': [0., 100., -100., 2.],
 'erf': [0., 1., -2.], 'erfinv': [0., 0.5, 1., -1.], 'stop_gradient': [1., -2.],
 'isnan': [nan, 1.], 'isinf': [inf, 1.], 'isposinf': [inf, 1.], 'isneginf': [-inf, 1.], 'isfinite': [inf, 1.],
}
for name, xs in U.items():
    case(name, getattr(mx, name), [A(xs)])
CU = ['abs','negative','sign','square','sqrt','rsqrt','reciprocal','exp','log','log2','log10','log1p','sin','cos','tan','arcsin','arccos','arctan','sinh','cosh','tanh','arcsinh','arccosh','arctanh','conjugate','real','imag','stop_gradient']
for name in CU:
    case(name, getattr(mx, name), [A([0.5+0.3j, -1+2j], 'c64')])
for name in ['arcsin', 'arccos', 'arctan', 'arcsinh', 'arccosh', 'arctanh', 'sqrt', 'log', 'rsqrt']:
    case(name, getattr(mx, name), [A([-2-0.1j, 2+0.1j, -0.5-3j, -3+0j], 'c64')])
for name in ['abs', 'negative', 'sign', 'square', 'conjugate', 'stop_gradient']:
    case(name, getattr(mx, name), [A([3, -2, 0], 'i32')])
case('logical_not', mx.logical_not, [A([True, False], 'bool')])
for d in ['f16', 'bf16']:
    for name in ['sqrt', 'log2', 'exp', 'sigmoid']:
        case(name, getattr(mx, name), [A([1., 3.], d)])
B = {
 'add': ([1., -2.], [3., 0.5]), 'subtract': ([1., -2.], [3., 0.5]), 'multiply': ([1., -2.], [3., 0.5]),
 'divide': ([1., -2., 1., 0.], [3., 0.5, 0., 0.]), 'power': ([0., 0., 0., 2., -2., -2., 4., 0., 0.], [0., 1., 2., 0., 2., 0.5, 0.5, -1., 0.5]),
 'floor_divide': ([5., -5.], [3., 3.]), 'remainder': ([5., -5., 5.5], [3., 3., -2.]),
 'maximum': ([1., 2., 3., nan, 2.], [1., 1., 4., 1., nan]), 'minimum': ([1., 2., 3., nan, 2.], [1., 1., 4., 1., nan]),
 'logaddexp': ([-inf, 0., -inf, 1.], [0., -inf, -inf, 2.]), 'arctan2': ([1., 0., 0., -1.], [2., 0., -1., 0.]),
 'equal': ([1., 2.], [1., 3.]), 'not_equal': ([1., 2.], [1., 3.]), 'less': ([1., 2.], [1., 3.]), 'less_equal': ([1., 2.], [1., 3.]),
 'greater': ([1., 2.], [1., 3.]), 'greater_equal': ([1., 2.], [1., 3.]),
}
for name, (x, y) in B.items():
    case(name, getattr(mx, name), [A(x), A(y)])
for name in ['add', 'subtract', 'multiply', 'divide', 'power']:
    case(name, getattr(mx, name), [A([0.5+0.3j, -1+2j], 'c64'), A([2-1j, 0.25+0.5j], 'c64')])
for name in ['add', 'subtract', 'multiply', 'maximum', 'minimum', 'remainder', 'floor_divide', 'equal', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift']:
    case(name, getattr(mx, name), [A([3, -2, 7], 'i32'), A([2, 5, 1], 'i32')])
case('power', mx.power, [A([2, 3, 0], 'i32'), A([2, 0, 3], 'i32')])
case('logical_and', mx.logical_and, [A([True, False], 'bool'), A([True, True], 'bool')])
case('logical_or', mx.logical_or, [A([True, False], 'bool'), A([False, False], 'bool')])
case('multiply', mx.multiply, [A([1., 3.], 'f16'), A([-2., 0.5], 'f16')])
case('where', mx.where, [A([True, False, True], 'bool'), A([1., 2., 3.]), A([4., 5., 6.])])
case('where', mx.where, [A([1., 0., -2.]), A([1., 2., 3.]), A([4., 5., 6.])])
case('where', mx.where, [A([True, False], 'bool'), A([1, 2], 'i32'), A([3, 4], 'i32')])
case('divmod', mx.divmod, [A([5., -5.]), A([3., 3.])])
case('divmod', mx.divmod, [A([5, -5], 'i32'), A([3, 3], 'i32')])
for src, dst in [('f32', 'f16'), ('f16', 'f32'), ('f32', 'bf16'), ('f32', 'i32'), ('i32', 'f32'), ('f32', 'bool'), ('bool', 'f32'), ('c64', 'f32'), ('f32', 'c64'), ('i32', 'u8')]:
    vals = [1.5, -2., 0.] if src not in ('bool', 'i32') else ([True, False, True] if src == 'bool' else [3, -2, 0])
    if src == 'c64': vals = [1.5+2j, -2+0j, 0j]
    case(f'astype_{str(DT[dst]).split(".")[-1]}', lambda x, d=DT[dst]: x.astype(d), [A(vals, src)])
print("\n".join(cases))
*/
const MLX_CASES: Case[] = [
  { name: 'abs', args: [[[0, -2, 3], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 2, 1.5], 'float32']], jvp: [[[0, 0.5, 2], 'float32']] },
  { name: 'negative', args: [[[0, -2, 3], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[-0.5, 2, -1.5], 'float32']], jvp: [[[-1.5, 0.5, -2], 'float32']] },
  { name: 'sign', args: [[[0, -2, 3], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 0, 0], 'float32']], jvp: [[[0, 0, 0], 'float32']] },
  { name: 'square', args: [[[0, -2, 3], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 8, 9], 'float32']], jvp: [[[0, 2, 12], 'float32']] },
  { name: 'sqrt', args: [[[0, 4, 2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -0.5, 0.5303301215171814], 'float32']], jvp: [[[Infinity, -0.125, 0.7071067690849304], 'float32']] },
  { name: 'rsqrt', args: [[[0, 4, 2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[-Infinity, 0.125, -0.2651650309562683], 'float32']], jvp: [[[-Infinity, 0.03125, -0.3535533845424652], 'float32']] },
  { name: 'reciprocal', args: [[[0, -2, 0.5], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[-Infinity, 0.5, -6], 'float32']], jvp: [[[-Infinity, 0.125, -8], 'float32']] },
  { name: 'exp', args: [[[0, 1, -Infinity], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -5.436563491821289, 0], 'float32']], jvp: [[[1.5, -1.3591408729553223, 0], 'float32']] },
  { name: 'expm1', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -5.436563491821289, 0.2030028998851776], 'float32']], jvp: [[[1.5, -1.3591408729553223, 0.2706705629825592], 'float32']] },
  { name: 'log', args: [[[0, 2, -1], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -1, -1.5], 'float32']], jvp: [[[Infinity, -0.25, -2], 'float32']] },
  { name: 'log2', args: [[[0, 2, 8], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -1.4426950216293335, 0.27050530910491943], 'float32']], jvp: [[[Infinity, -0.3606737554073334, 0.3606737554073334], 'float32']] },
  { name: 'log10', args: [[[0, 2, 100], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -0.4342944622039795, 0.006514417007565498], 'float32']], jvp: [[[Infinity, -0.10857361555099487, 0.008685888722538948], 'float32']] },
  { name: 'log1p', args: [[[-1, 0, 1], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -2, 0.75], 'float32']], jvp: [[[Infinity, -0.5, 1], 'float32']] },
  { name: 'sin', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -1.0806045532226562, -0.6242202520370483], 'float32']], jvp: [[[1.5, -0.27015113830566406, -0.8322936296463013], 'float32']] },
  { name: 'cos', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[-0, 1.6829419136047363, 1.3639460802078247], 'float32']], jvp: [[[-0, 0.4207354784011841, 1.8185948133468628], 'float32']] },
  { name: 'tan', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -6.851037979125977, 8.661600112915039], 'float32']], jvp: [[[1.5, -1.7127594947814941, 11.548799514770508], 'float32']] },
  { name: 'arcsin', args: [[[0, 0.5, 1, -1], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.5, -2.309401035308838, Infinity, Infinity], 'float32']], jvp: [[[1.5, -0.5773502588272095, Infinity, Infinity], 'float32']] },
  { name: 'arccos', args: [[[0, 0.5, 1, -1], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[-0.5, 2.309401035308838, -Infinity, -Infinity], 'float32']], jvp: [[[-1.5, 0.5773502588272095, -Infinity, -Infinity], 'float32']] },
  { name: 'arctan', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -1, 0.30000001192092896], 'float32']], jvp: [[[1.5, -0.25, 0.4000000059604645], 'float32']] },
  { name: 'sinh', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -3.0861611366271973, 5.643293857574463], 'float32']], jvp: [[[1.5, -0.7715402841567993, 7.5243916511535645], 'float32']] },
  { name: 'cosh', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, -2.350402355194092, -5.440290451049805], 'float32']], jvp: [[[0, -0.587600588798523, -7.253720760345459], 'float32']] },
  { name: 'tanh', args: [[[0, 1, -20], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -0.8399487733840942, 2.5490126441193183e-17], 'float32']], jvp: [[[1.5, -0.20998719334602356, 3.398683635783173e-17], 'float32']] },
  { name: 'arcsinh', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -1.4142135381698608, 0.6708203554153442], 'float32']], jvp: [[[1.5, -0.3535533845424652, 0.8944271802902222], 'float32']] },
  { name: 'arccosh', args: [[[1, 2, 0.5], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[Infinity, -1.154700517654419, NaN], 'float32']], jvp: [[[Infinity, -0.28867512941360474, NaN], 'float32']] },
  { name: 'arctanh', args: [[[0, 0.5, 1, -1], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.5, -2.6666667461395264, Infinity, Infinity], 'float32']], jvp: [[[1.5, -0.6666666865348816, Infinity, Infinity], 'float32']] },
  { name: 'floor', args: [[[0.5, -1.5, 2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 0, 0], 'float32']], jvp: [[[0, 0, 0], 'float32']] },
  { name: 'ceil', args: [[[0.5, -1.5, 2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 0, 0], 'float32']], jvp: [[[0, 0, 0], 'float32']] },
  { name: 'round', args: [[[0.5, -1.5, 2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, 0, 0], 'float32']], jvp: [[[0, 0, 0], 'float32']] },
  { name: 'sigmoid', args: [[[0, 100, -100, 2], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.125, -0, 0, 0.31498071551322937], 'float32']], jvp: [[[0.375, -0, 0, 0.026248393580317497], 'float32']] },
  { name: 'erf', args: [[[0, 1, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.564189612865448, -0.8302150368690491, 0.03100048005580902], 'float32']], jvp: [[[1.6925687789916992, -0.20755375921726227, 0.04133397340774536], 'float32']] },
  { name: 'erfinv', args: [[[0, 0.5, 1, -1], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.4431134760379791, -2.2251696586608887, Infinity, Infinity], 'float32']], jvp: [[[1.3293404579162598, -0.5562924146652222, Infinity, Infinity], 'float32']] },
  { name: 'stop_gradient', args: [[[1, -2], 'float32']], cts: [[[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'isnan', args: [[[NaN, 1], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'isinf', args: [[[Infinity, 1], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[false, false], 'bool']] },
  { name: 'isposinf', args: [[[Infinity, 1], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'isneginf', args: [[[-Infinity, 1], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'isfinite', args: [[[Infinity, 1], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32']], jvp: [[[false, false], 'bool']] },
  { name: 'abs', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[0.5, -2], 'float32']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.42874646186828613, 0.2572478950023651), c(0.8944271802902222, -1.7888543605804443)], 'complex64']], jvp: [[[1.028991460800171, 2.0124611854553223], 'float32']] },
  { name: 'negative', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.5, -1), c(2, -0.5)], 'complex64']], jvp: [[[c(-1.5, 0.5), c(0.5, -2)], 'complex64']] },
  { name: 'sign', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0, 0), c(0, 0)], 'complex64']], jvp: [[[c(0, 0), c(0, 0)], 'complex64']] },
  { name: 'square', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(1.100000023841858, 0.699999988079071), c(6, 7)], 'complex64']], jvp: [[[c(1.7999999523162842, 0.40000003576278687), c(-7, -6)], 'complex64']] },
  { name: 'sqrt', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.14072942733764648, 0.7184207439422607), c(-0.4937937259674072, -0.4809700846672058)], 'complex64']], jvp: [[[c(0.8591501712799072, -0.5776913166046143), c(0.4809700846672058, 0.4937937259674072)], 'complex64']] },
  { name: 'rsqrt', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.42694562673568726, -1.1806740760803223), c(-0.29114675521850586, 0.10132347792387009)], 'complex64']], jvp: [[[c(-0.7537285089492798, 1.6076197624206543), c(-0.10132347792387009, 0.29114675521850586)], 'complex64']] },
  { name: 'reciprocal', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(1.9031141996383667, -2.6816608905792236), c(-0.3199999928474426, -0.25999999046325684)], 'complex64']], jvp: [[[c(-0.7785465717315674, 4.584774971008301), c(0.25999999046325684, 0.3199999928474426)], 'complex64']] },
  { name: 'exp', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(1.2747722864151, 1.3314683437347412), c(0.47343966364860535, 0.5924776792526245)], 'complex64']], jvp: [[[c(2.6062405109405518, -0.05669611692428589), c(-0.5924776792526245, -0.47343966364860535)], 'complex64']] },
  { name: 'log', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.1470588594675064, 1.9117647409439087), c(0.20000000298023224, -0.8999999761581421)], 'complex64']], jvp: [[[c(1.764705777168274, -2.058823585510254), c(0.8999999761581421, -0.20000000298023224)], 'complex64']] },
  { name: 'log2', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.2121610790491104, 2.7580933570861816), c(0.28853902220726013, -1.2984254360198975)], 'complex64']], jvp: [[[c(2.5459322929382324, -2.970254421234131), c(1.2984254360198975, -0.28853902220726013)], 'complex64']] },
  { name: 'log10', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.06386684626340866, 0.8302688598632812), c(0.08685889095067978, -0.3908649981021881)], 'complex64']], jvp: [[[c(0.7664019465446472, -0.8941356539726257), c(0.3908649981021881, -0.08685889095067978)], 'complex64']] },
  { name: 'log1p', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.19230768084526062, 0.7051281929016113), c(-0.25, -1)], 'complex64']], jvp: [[[c(0.8974359035491943, -0.5128205418586731), c(1, 0.25)], 'complex64']] },
  { name: 'sin', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.3126906156539917, 0.9903682470321655), c(-2.539496898651123, 7.120157241821289)], 'complex64']], jvp: [[[c(1.3030588626861572, -0.6776776313781738), c(-7.120157241821289, 2.539496898651123)], 'complex64']] },
  { name: 'cos', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.5178227424621582, -0.3675411343574524), c(-7.311357498168945, -2.3363125324249268)], 'complex64']], jvp: [[[c(-0.8853638172149658, -0.15028157830238342), c(2.3363125324249268, 7.311357498168945)], 'complex64']] },
  { name: 'tan', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.9105814099311829, 0.9217734932899475), c(0.023012518882751465, -0.15158355236053467)], 'complex64']], jvp: [[[c(1.8323549032211304, -0.01119205541908741), c(0.15158355236053467, -0.023012518882751465)], 'complex64']] },
  { name: 'arcsin', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.7023603916168213, 0.9529382586479187), c(-0.8573362231254578, -0.1275753378868103)], 'complex64']], jvp: [[[c(1.6552985906600952, -0.2505778670310974), c(0.1275753378868103, 0.8573362231254578)], 'complex64']] },
  { name: 'arccos', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.7023603916168213, -0.9529382586479187), c(0.8573362231254578, 0.1275753378868103)], 'complex64']], jvp: [[[c(-1.6552985906600952, 0.2505778670310974), c(-0.1275753378868103, -0.8573362231254578)], 'complex64']] },
  { name: 'arctan', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.19504038989543915, 0.9125104546546936), c(0.30000001192092896, 0.3499999940395355)], 'complex64']], jvp: [[[c(1.107550859451294, -0.717470109462738), c(-0.3499999940395355, -0.30000001192092896)], 'complex64']] },
  { name: 'sinh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.6926253437995911, 1.0002652406692505), c(0.7499926090240479, -2.4582886695861816)], 'complex64']], jvp: [[[c(1.6928904056549072, -0.30763986706733704), c(2.4582886695861816, -0.7499926090240479)], 'complex64']] },
  { name: 'cosh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.582146942615509, 0.3312031924724579), c(-0.2765529155731201, 3.0507664680480957)], 'complex64']], jvp: [[[c(0.9133501052856445, 0.25094375014305115), c(-3.0507664680480957, 0.2765529155731201)], 'complex64']] },
  { name: 'tanh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.16872093081474304, 0.9289212822914124), c(0.3199516236782074, -1.287207007408142)], 'complex64']], jvp: [[[c(1.097642183303833, -0.7602003812789917), c(1.287207007408142, -0.3199516236782074)], 'complex64']] },
  { name: 'arcsinh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.33783984184265137, 0.9639118313789368), c(-0.2960818409919739, 0.9287973046302795)], 'complex64']], jvp: [[[c(1.301751732826233, -0.6260719895362854), c(-0.9287973046302795, 0.2960818409919739)], 'complex64']] },
  { name: 'arccosh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.9529383778572083, 0.7023605108261108), c(0.1275753676891327, -0.8573362231254578)], 'complex64']], jvp: [[[c(-0.2505779266357422, -1.6552988290786743), c(0.8573362231254578, -0.1275753676891327)], 'complex64']] },
  { name: 'arctanh', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.9049773216247559, 0.8672699332237244), c(-0.3125, -0.1875)], 'complex64']], jvp: [[[c(1.772247314453125, 0.037707388401031494), c(0.1875, 0.3125)], 'complex64']] },
  { name: 'conjugate', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.5, -1), c(-2, -0.5)], 'complex64']], jvp: [[[c(1.5, 0.5), c(-0.5, -2)], 'complex64']] },
  { name: 'real', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[0.5, -2], 'float32']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.5, 0), c(-2, 0)], 'complex64']], jvp: [[[1.5, -0.5], 'float32']] },
  { name: 'imag', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[0.5, -2], 'float32']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0, 0.5), c(-0, -2)], 'complex64']], jvp: [[[-0.5, 2], 'float32']] },
  { name: 'stop_gradient', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0, 0), c(0, 0)], 'complex64']], jvp: [[[c(0, 0), c(0, 0)], 'complex64']] },
  { name: 'arcsin', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(0.5936118364334106, -0.2489852011203766), c(0.21072861552238464, 1.1680954694747925), c(0.4178658127784729, -0.3794485330581665), c(0, 1.0606601238250732)], 'complex64']], jvp: [[[c(0.34462666511535645, 0.8425970673561096), c(-1.1680954694747925, -0.21072861552238464), c(0.6192290782928467, 0.09311200678348541), c(0, -0.0883883461356163)], 'complex64']] },
  { name: 'arccos', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(-0.5936118364334106, 0.2489852011203766), c(-0.21072861552238464, -1.1680954694747925), c(-0.4178658127784729, 0.3794485330581665), c(0, -1.0606601238250732)], 'complex64']], jvp: [[[c(-0.34462666511535645, -0.8425970673561096), c(1.1680954694747925, 0.21072861552238464), c(-0.6192290782928467, -0.09311200678348541), c(-0, 0.0883883461356163)], 'complex64']] },
  { name: 'arctan', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(0.0835990309715271, 0.20710213482379913), c(-0.40622344613075256, 0.06763739883899689), c(-0.1248868778347969, 0.17737556993961334), c(0.30000001192092896, 0)], 'complex64']], jvp: [[[c(0.2907011806964874, -0.12350310385227203), c(-0.06763739883899689, 0.40622344613075256), c(-0.22443439066410065, -0.08687783032655716), c(0.02500000037252903, 0)], 'complex64']] },
  { name: 'arcsinh', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(0.2054232507944107, 0.45552313327789307), c(-0.9021109342575073, 0.18755260109901428), c(0.4365330636501312, 0.4477899670600891), c(0.9486832618713379, -0)], 'complex64']], jvp: [[[c(0.6609463691711426, -0.25009986758232117), c(-0.18755260109901428, 0.9021109342575073), c(0.1273905336856842, -0.681980311870575), c(0.07905694097280502, 0)], 'complex64']] },
  { name: 'arccosh', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(-0.24898523092269897, -0.5936119556427002), c(-1.168095588684082, 0.21072863042354584), c(-0.3794485330581665, -0.4178657531738281), c(-1.0606601238250732, -0)], 'complex64']], jvp: [[[c(-0.8425971269607544, 0.34462669491767883), c(-0.21072863042354584, 1.168095588684082), c(-0.0931120216846466, 0.6192290186882019), c(-0.0883883461356163, -0)], 'complex64']] },
  { name: 'arctanh', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(-0.12032834440469742, -0.35054558515548706), c(0.6791133880615234, -0.07637278735637665), c(0.11171171069145203, -0.13693693280220032), c(-0.375, -0)], 'complex64']], jvp: [[[c(-0.47087395191192627, 0.23021724820137024), c(0.07637278735637665, -0.6791133880615234), c(0.1873873919248581, 0.05765765905380249), c(-0.03125, -0)], 'complex64']] },
  { name: 'sqrt', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(0.3576350510120392, -0.16778621077537537), c(-0.7108575701713562, 0.15896116197109222), c(0.059216633439064026, -0.5134605765342712), c(0, 0.866025447845459)], 'complex64']], jvp: [[[c(0.18984884023666382, 0.5254212617874146), c(-0.15896116197109222, 0.7108575701713562), c(0.3706372380256653, 0.4375225901603699), c(0, -0.07216878235340118)], 'complex64']] },
  { name: 'log', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(-0.22443890571594238, -0.5112219452857971), c(-1.0099750757217407, 0.19950124621391296), c(-0.4054054021835327, -0.4324324429035187), c(-1, 0)], 'complex64']], jvp: [[[c(-0.7356608510017395, 0.28678303956985474), c(-0.19950124621391296, 1.0099750757217407), c(-0.10810811072587967, 0.6486486196517944), c(-0.0833333358168602, -0)], 'complex64']] },
  { name: 'rsqrt', args: [[[c(-2, -0.10000000149011612), c(2, 0.10000000149011612), c(-0.5, -3), c(-3, 0)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1), c(3, 0)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0), c(0.25, 0)], 'complex64']], vjp: [[[c(0.18255577981472015, -0.07476530969142914), c(0.35850653052330017, -0.061555251479148865), c(0.16972865164279938, -0.008549228310585022), c(0, 0.28867512941360474)], 'complex64']], jvp: [[[c(0.10779047012329102, 0.2573210895061493), c(0.061555251479148865, -0.35850653052330017), c(0.16193366050720215, -0.09655680507421494), c(0, -0.024056261405348778)], 'complex64']] },
  { name: 'abs', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 2, 0], 'int32']], jvp: [[[1, 0, 0], 'int32']] },
  { name: 'negative', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 2, -1], 'int32']], jvp: [[[-1, 0, -2], 'int32']] },
  { name: 'sign', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'square', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 8, 0], 'int32']], jvp: [[[6, 0, 0], 'int32']] },
  { name: 'conjugate', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, -2, 1], 'int32']], jvp: [[[1, 0, 2], 'int32']] },
  { name: 'stop_gradient', args: [[[3, -2, 0], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'logical_not', args: [[[true, false], 'bool']], cts: [[[true, true], 'bool']], tans: [[[true, true], 'bool']], vjp: [[[false, false], 'bool']], jvp: [[[false, false], 'bool']] },
  { name: 'sqrt', args: [[[1, 3], 'float16']], cts: [[[0.5, -2], 'float16']], tans: [[[1.5, -0.5], 'float16']], vjp: [[[0.25, -0.5771484375], 'float16']], jvp: [[[0.75, -0.144287109375], 'float16']] },
  { name: 'log2', args: [[[1, 3], 'float16']], cts: [[[0.5, -2], 'float16']], tans: [[[1.5, -0.5], 'float16']], vjp: [[[0.72119140625, -0.96142578125], 'float16']], jvp: [[[2.1640625, -0.2403564453125], 'float16']] },
  { name: 'exp', args: [[[1, 3], 'float16']], cts: [[[0.5, -2], 'float16']], tans: [[[1.5, -0.5], 'float16']], vjp: [[[1.359375, -40.15625], 'float16']], jvp: [[[4.078125, -10.0390625], 'float16']] },
  { name: 'sigmoid', args: [[[1, 3], 'float16']], cts: [[[0.5, -2], 'float16']], tans: [[[1.5, -0.5], 'float16']], vjp: [[[0.09832763671875, -0.0902099609375], 'float16']], jvp: [[[0.294921875, -0.022552490234375], 'float16']] },
  { name: 'sqrt', args: [[[1, 3], 'bfloat16']], cts: [[[0.5, -2], 'bfloat16']], tans: [[[1.5, -0.5], 'bfloat16']], vjp: [[[0.25, -0.578125], 'bfloat16']], jvp: [[[0.75, -0.14453125], 'bfloat16']] },
  { name: 'log2', args: [[[1, 3], 'bfloat16']], cts: [[[0.5, -2], 'bfloat16']], tans: [[[1.5, -0.5], 'bfloat16']], vjp: [[[0.72265625, -0.96484375], 'bfloat16']], jvp: [[[2.171875, -0.2412109375], 'bfloat16']] },
  { name: 'exp', args: [[[1, 3], 'bfloat16']], cts: [[[0.5, -2], 'bfloat16']], tans: [[[1.5, -0.5], 'bfloat16']], vjp: [[[1.359375, -40.25], 'bfloat16']], jvp: [[[4.0625, -10.0625], 'bfloat16']] },
  { name: 'sigmoid', args: [[[1, 3], 'bfloat16']], cts: [[[0.5, -2], 'bfloat16']], tans: [[[1.5, -0.5], 'bfloat16']], vjp: [[[0.0986328125, -0.08935546875], 'bfloat16']], jvp: [[[0.296875, -0.0223388671875], 'bfloat16']] },
  { name: 'add', args: [[[1, -2], 'float32'], [[3, 0.5], 'float32']], cts: [[[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0.5, -2], 'float32'], [[0.5, -2], 'float32']], jvp: [[[3, -1], 'float32']] },
  { name: 'subtract', args: [[[1, -2], 'float32'], [[3, 0.5], 'float32']], cts: [[[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0.5, -2], 'float32'], [[-0.5, 2], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'multiply', args: [[[1, -2], 'float32'], [[3, 0.5], 'float32']], cts: [[[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[1.5, -1], 'float32'], [[0.5, 4], 'float32']], jvp: [[[6, 0.75], 'float32']] },
  { name: 'divide', args: [[[1, -2, 1, 0], 'float32'], [[3, 0.5, 0, 0], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32'], [[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.1666666716337204, -4, Infinity, Infinity], 'float32'], [[-0.0555555559694767, -16, -Infinity, NaN], 'float32']], jvp: [[[0.3333333134651184, -5, NaN, NaN], 'float32']] },
  { name: 'power', args: [[[0, 0, 0, 2, -2, -2, 4, 0, 0], 'float32'], [[0, 1, 2, 0, 2, 0.5, 0.5, -1, 0.5], 'float32']], cts: [[[0.5, -2, 1.5, 3, -1, 0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25, 1, 1.5, -0.5, 2, 0.25], 'float32'], [[1.5, -0.5, 2, 0.25, 1, 1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[NaN, -2, 0, 0, 4, NaN, -0.5, -Infinity, Infinity], 'float32'], [[-Infinity, -0, 0, 2.079441547393799, NaN, NaN, -5.545177459716797, -Infinity, 0], 'float32']], jvp: [[[NaN, -0.5, 0, 0.1732867956161499, NaN, NaN, -1.5112943649291992, -Infinity, Infinity], 'float32']] },
  { name: 'floor_divide', args: [[[5, -5], 'float32'], [[3, 3], 'float32']], cts: [[[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'remainder', args: [[[5, -5, 5.5], 'float32'], [[3, 3, -2], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32'], [[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -2, 1.5], 'float32'], [[-0.5, -4, 4.5], 'float32']], jvp: [[[0, -1.5, 8], 'float32']] },
  { name: 'maximum', args: [[[1, 2, 3, NaN, 2], 'float32'], [[1, 1, 4, 1, NaN], 'float32']], cts: [[[0.5, -2, 1.5, 3, -1], 'float32']], tans: [[[1.5, -0.5, 2, 0.25, 1], 'float32'], [[1.5, -0.5, 2, 0.25, 1], 'float32']], vjp: [[[0, -2, 0, 0, -0], 'float32'], [[0.5, -0, 1.5, 0, -0], 'float32']], jvp: [[[1.5, -0.5, 2, 0, 0], 'float32']] },
  { name: 'minimum', args: [[[1, 2, 3, NaN, 2], 'float32'], [[1, 1, 4, 1, NaN], 'float32']], cts: [[[0.5, -2, 1.5, 3, -1], 'float32']], tans: [[[1.5, -0.5, 2, 0.25, 1], 'float32'], [[1.5, -0.5, 2, 0.25, 1], 'float32']], vjp: [[[0, -0, 1.5, 0, -0], 'float32'], [[0.5, -2, 0, 0, -0], 'float32']], jvp: [[[1.5, -0.5, 2, 0, 0], 'float32']] },
  { name: 'logaddexp', args: [[[-Infinity, 0, -Infinity, 1], 'float32'], [[0, -Infinity, -Infinity, 2], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32'], [[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0, -2, NaN, 0.8068243265151978], 'float32'], [[0.5, -0, NaN, 2.193175792694092], 'float32']], jvp: [[[1.5, -0.5, NaN, 0.25], 'float32']] },
  { name: 'arctan2', args: [[[1, 0, 0, -1], 'float32'], [[2, 0, -1, 0], 'float32']], cts: [[[0.5, -2, 1.5, 3], 'float32']], tans: [[[1.5, -0.5, 2, 0.25], 'float32'], [[1.5, -0.5, 2, 0.25], 'float32']], vjp: [[[0.20000000298023224, NaN, -1.5, 0], 'float32'], [[-0.10000000149011612, NaN, -0, 3], 'float32']], jvp: [[[0.30000001192092896, NaN, -2, 0.25], 'float32']] },
  { name: 'equal', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'not_equal', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'less', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'less_equal', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'greater', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'greater_equal', args: [[[1, 2], 'float32'], [[1, 3], 'float32']], cts: [[[true, true], 'bool']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32']] },
  { name: 'add', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64'], [[c(2, -1), c(0.25, 0.5)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64'], [[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.5, 1), c(-2, 0.5)], 'complex64'], [[c(0.5, 1), c(-2, 0.5)], 'complex64']], jvp: [[[c(3, -1), c(-1, 4)], 'complex64']] },
  { name: 'subtract', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64'], [[c(2, -1), c(0.25, 0.5)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64'], [[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.5, 1), c(-2, 0.5)], 'complex64'], [[c(-0.5, -1), c(2, -0.5)], 'complex64']], jvp: [[[c(0, 0), c(0, 0)], 'complex64']] },
  { name: 'multiply', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64'], [[c(2, -1), c(0.25, 0.5)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64'], [[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0, 2.5), c(-0.25, 1.125)], 'complex64'], [[c(0.550000011920929, 0.3499999940395355), c(3, 3.5)], 'complex64']], jvp: [[[c(3.4000000953674316, -2.299999952316284), c(-4.625, -2.75)], 'complex64']] },
  { name: 'divide', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64'], [[c(2, -1), c(0.25, 0.5)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64'], [[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(0.4000000059604645, 0.30000001192092896), c(-2.4000000953674316, -2.799999952316284)], 'complex64'], [[c(-0.12200000137090683, 0.046000003814697266), c(14.720000267028809, -0.9599999785423279)], 'complex64']], jvp: [[[c(0.6240000128746033, -0.06799999624490738), c(3.759999990463257, -12.319999694824219)], 'complex64']] },
  { name: 'power', args: [[[c(0.5, 0.30000001192092896), c(-1, 2)], 'complex64'], [[c(2, -1), c(0.25, 0.5)], 'complex64']], cts: [[[c(0.5, 1), c(-2, 0.5)], 'complex64']], tans: [[[c(1.5, -0.5), c(-0.5, 2)], 'complex64'], [[c(1.5, -0.5), c(-0.5, 2)], 'complex64']], vjp: [[[c(-0.38023144006729126, 2.4734833240509033), c(-0.22015739977359772, 0.05887396261096001)], 'complex64'], [[c(0.18030571937561035, -0.46451354026794434), c(0.5690091848373413, -1.9114601612091064)], 'complex64']], jvp: [[[c(2.7725727558135986, 0.681689977645874), c(-1.470469355583191, -1.1796156167984009)], 'complex64']] },
  { name: 'add', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, -2, 1], 'int32'], [[0, -2, 1], 'int32']], jvp: [[[2, 0, 4], 'int32']] },
  { name: 'subtract', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, -2, 1], 'int32'], [[0, 2, -1], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'multiply', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, -10, 1], 'int32'], [[0, 4, 7], 'int32']], jvp: [[[5, 0, 16], 'int32']] },
  { name: 'maximum', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 1], 'int32'], [[0, -2, 0], 'int32']], jvp: [[[1, 0, 2], 'int32']] },
  { name: 'minimum', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, -2, 0], 'int32'], [[0, 0, 1], 'int32']], jvp: [[[1, 0, 2], 'int32']] },
  { name: 'remainder', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, -2, 1], 'int32'], [[-0, -2, -7], 'float32']], jvp: [[[0, 0, -12], 'float32']] },
  { name: 'floor_divide', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'equal', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[true, true, true], 'bool']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'bitwise_and', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'bitwise_or', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'bitwise_xor', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'left_shift', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'right_shift', args: [[[3, -2, 7], 'int32'], [[2, 5, 1], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, 0, 0], 'int32']], jvp: [[[0, 0, 0], 'int32']] },
  { name: 'power', args: [[[2, 3, 0], 'int32'], [[2, 0, 3], 'int32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1, 0, 2], 'int32'], [[1, 0, 2], 'int32']], vjp: [[[0, 0, 0], 'int32'], [[0, -2.1972246170043945, 0], 'float32']], jvp: [[[6.772588729858398, 0, 0], 'float32']] },
  { name: 'logical_and', args: [[[true, false], 'bool'], [[true, true], 'bool']], cts: [[[true, true], 'bool']], tans: [[[true, true], 'bool'], [[true, true], 'bool']], vjp: [[[false, false], 'bool'], [[false, false], 'bool']], jvp: [[[false, false], 'bool']] },
  { name: 'logical_or', args: [[[true, false], 'bool'], [[false, false], 'bool']], cts: [[[true, true], 'bool']], tans: [[[true, true], 'bool'], [[true, true], 'bool']], vjp: [[[false, false], 'bool'], [[false, false], 'bool']], jvp: [[[false, false], 'bool']] },
  { name: 'multiply', args: [[[1, 3], 'float16'], [[-2, 0.5], 'float16']], cts: [[[0.5, -2], 'float16']], tans: [[[1.5, -0.5], 'float16'], [[1.5, -0.5], 'float16']], vjp: [[[-1, -1], 'float16'], [[0.5, -6], 'float16']], jvp: [[[-1.5, -1.75], 'float16']] },
  { name: 'where', args: [[[true, false, true], 'bool'], [[1, 2, 3], 'float32'], [[4, 5, 6], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[true, true, true], 'bool'], [[1.5, -0.5, 2], 'float32'], [[1.5, -0.5, 2], 'float32']], vjp: [[[false, false, false], 'bool'], [[0.5, -0, 1.5], 'float32'], [[0, -2, 0], 'float32']], jvp: [[[1.5, -0.5, 2], 'float32']] },
  { name: 'where', args: [[[1, 0, -2], 'float32'], [[1, 2, 3], 'float32'], [[4, 5, 6], 'float32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float32'], [[1.5, -0.5, 2], 'float32'], [[1.5, -0.5, 2], 'float32']], vjp: [[[0, 0, 0], 'float32'], [[0.5, -0, 1.5], 'float32'], [[0, -2, 0], 'float32']], jvp: [[[1.5, -0.5, 2], 'float32']] },
  { name: 'where', args: [[[true, false], 'bool'], [[1, 2], 'int32'], [[3, 4], 'int32']], cts: [[[0, -2], 'int32']], tans: [[[true, true], 'bool'], [[1, 0], 'int32'], [[1, 0], 'int32']], vjp: [[[false, false], 'bool'], [[0, 0], 'int32'], [[0, -2], 'int32']], jvp: [[[1, 0], 'int32']] },
  { name: 'divmod', args: [[[5, -5], 'float32'], [[3, 3], 'float32']], cts: [[[0.5, -2], 'float32'], [[0.5, -2], 'float32']], tans: [[[1.5, -0.5], 'float32'], [[1.5, -0.5], 'float32']], vjp: [[[0, 0], 'float32'], [[0, 0], 'float32']], jvp: [[[0, 0], 'float32'], [[0, 0], 'float32']] },
  { name: 'divmod', args: [[[5, -5], 'int32'], [[3, 3], 'int32']], cts: [[[0, -2], 'int32'], [[0, -2], 'int32']], tans: [[[1, 0], 'int32'], [[1, 0], 'int32']], vjp: [[[0, 0], 'int32'], [[0, 0], 'int32']], jvp: [[[0, 0], 'int32'], [[0, 0], 'int32']] },
  { name: 'astype_float16', args: [[[1.5, -2, 0], 'float32']], cts: [[[0.5, -2, 1.5], 'float16']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -2, 1.5], 'float32']], jvp: [[[1.5, -0.5, 2], 'float16']] },
  { name: 'astype_float32', args: [[[1.5, -2, 0], 'float16']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1.5, -0.5, 2], 'float16']], vjp: [[[0.5, -2, 1.5], 'float16']], jvp: [[[1.5, -0.5, 2], 'float32']] },
  { name: 'astype_bfloat16', args: [[[1.5, -2, 0], 'float32']], cts: [[[0.5, -2, 1.5], 'bfloat16']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -2, 1.5], 'float32']], jvp: [[[1.5, -0.5, 2], 'bfloat16']] },
  { name: 'astype_int32', args: [[[1.5, -2, 0], 'float32']], cts: [[[0, -2, 1], 'int32']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0, -2, 1], 'float32']], jvp: [[[1, 0, 2], 'int32']] },
  { name: 'astype_float32', args: [[[3, -2, 0], 'int32']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, -2, 1], 'int32']], jvp: [[[1, 0, 2], 'float32']] },
  { name: 'astype_bool', args: [[[1.5, -2, 0], 'float32']], cts: [[[true, true, true], 'bool']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[1, 1, 1], 'float32']], jvp: [[[true, true, true], 'bool']] },
  { name: 'astype_float32', args: [[[true, false, true], 'bool']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[true, true, true], 'bool']], vjp: [[[true, true, true], 'bool']], jvp: [[[1, 1, 1], 'float32']] },
  { name: 'astype_float32', args: [[[c(1.5, 2), c(-2, 0), c(0, 0)], 'complex64']], cts: [[[0.5, -2, 1.5], 'float32']], tans: [[[c(1.5, -0.5), c(-0.5, 2), c(2, 0)], 'complex64']], vjp: [[[c(0.5, 0), c(-2, 0), c(1.5, 0)], 'complex64']], jvp: [[[1.5, -0.5, 2], 'float32']] },
  { name: 'astype_complex64', args: [[[1.5, -2, 0], 'float32']], cts: [[[c(0.5, 1), c(-2, 0.5), c(1.5, -1)], 'complex64']], tans: [[[1.5, -0.5, 2], 'float32']], vjp: [[[0.5, -2, 1.5], 'float32']], jvp: [[[c(1.5, 0), c(-0.5, 0), c(2, 0)], 'complex64']] },
  { name: 'astype_uint8', args: [[[3, -2, 0], 'int32']], cts: [[[0, 254, 1], 'uint8']], tans: [[[1, 0, 2], 'int32']], vjp: [[[0, 254, 1], 'int32']], jvp: [[[1, 0, 2], 'uint8']] },
];

describe('vjp and jvp rules match MLX 0.32.4', () => {
  for (const cs of MLX_CASES) {
    const label = `${cs.name}(${cs.args.map((a) => a[1]).join(', ')}) at ${JSON.stringify(cs.args.map((a) => a[0]))}`;
    it(label, () => {
      const args = cs.args.map(make);
      const { vjp, jvp } = ruleResults(cs.name, args, cs.cts.map(make), cs.tans.map(make));
      expect(vjp.length).toBe(cs.vjp.length);
      vjp.forEach((g, i) => expectMatches(g, cs.vjp[i]!, `vjp[${i}]`));
      expect(jvp.length).toBe(cs.jvp.length);
      jvp.forEach((g, i) => expectMatches(g, cs.jvp[i]!, `jvp[${i}]`));
    });
  }

  it('covers every elementwise primitive that MLX can differentiate', () => {
    // NaNEqual is only reachable through arrayEqual (a reduction follows), BitwiseInvert has
    // no rule in MLX (it raises): both are checked by hand below.
    const covered = new Set<string>();
    for (const cs of MLX_CASES) {
      const res = opFor(cs.name)(...cs.args.map(make));
      covered.add((Array.isArray(res) ? res[0]! : res)._node!.prim.name);
    }
    const all = [...unaryNames, ...binaryNames, 'Select', 'DivMod', 'AsType'];
    expect(all.filter((n) => !covered.has(n))).toEqual(['BitwiseInvert', 'NaNEqual']);
  });
});

describe('rules without an MLX counterpart', () => {
  it('bitwise_invert and NaNEqual have zero gradients of their inputs dtypes', () => {
    const i = mx.array([3, -2], mx.int32);
    const [g] = unary.BitwiseInvert.vjp!({}, [i], [mx.array([1, 1], mx.int32)], [0], [mx.bitwiseInvert(i)]);
    expect(g!.dtype).toBe(mx.int32);
    expect(g!.tolist()).toEqual([0, 0]);
    const x = mx.array([1, NaN]);
    const y = mx.array([1, NaN]);
    const out = makeArray([2], mx.bool, new Primitive(binary.NaNEqual, {}), [x, y]);
    const [gx, gy] = binary.NaNEqual.vjp!({}, [x, y], [mx.array([true, true])], [0, 1], [out]);
    expect([gx!.dtype, gy!.dtype]).toEqual([mx.float32, mx.float32]);
    expect([gx!.tolist(), gy!.tolist()]).toEqual([[0, 0], [0, 0]]);
    const [t] = binary.NaNEqual.jvp!({}, [x, y], [mx.array([1.5, 2.5])], [0]);
    expect(t!.dtype).toBe(mx.float32);
    expect(t!.tolist()).toEqual([0, 0]);
    expect(out.tolist()).toEqual([true, true]);
  });

  it('vjp with one argnum returns one cotangent (maximum, power, select)', () => {
    const x = mx.array([1, 2, 3], mx.float32);
    const y = mx.array([1, 1, 4], mx.float32);
    const ct = mx.array([1, 1, 1], mx.float32);
    // MLX: ties of maximum go to the second input.
    expect(binary.Maximum.vjp!({}, [x, y], [ct], [1], [mx.maximum(x, y)]).map((g) => g!.tolist())).toEqual([[1, 0, 1]]);
    const p = mx.array([0, 2], mx.float32);
    const q = mx.array([0, 3], mx.float32);
    // d/dy of x^y at 0^0 is log(0) * 1 = -inf (MLX keeps it); 2^3 -> log(2) * 8.
    const [gq] = binary.Power.vjp!({}, [p, q], [mx.array([1, 1], mx.float32)], [1], [mx.power(p, q)]);
    const [g0, g1] = gq!.tolist() as number[];
    expect(g0).toBe(-Infinity);
    expect(g1).toBeCloseTo(5.545177, 5);
    const cond = mx.array([true, false]);
    const [gy] = Select.vjp!({}, [cond, mx.array([1, 2]), mx.array([3, 4])], [mx.array([2, 3])], [2], []);
    expect(gy!.tolist()).toEqual([0, 3]);
  });

  it('jvp sums the tangents of both inputs (multiply, where)', () => {
    const x = mx.array([2, -3]);
    const y = mx.array([5, 7]);
    const [t] = binary.Multiply.jvp!({}, [x, y], [mx.array([1, 1]), mx.array([10, 10])], [0, 1]);
    expect(t!.tolist()).toEqual([5 + 20, 7 - 30]);
    const cond = mx.array([true, false]);
    const [ts] = Select.jvp!({}, [cond, x, y], [mx.array([9, 9]), mx.array([1, 2]), mx.array([3, 4])], [0, 1, 2]);
    expect(ts!.tolist()).toEqual([1, 4]);
  });

  it('astype refuses a cotangent of another dtype than its output (as MLX)', () => {
    const x = mx.array([1.5]);
    expect(() => AsType.vjp!({ dtype: mx.float16 }, [x], [mx.array([1])], [0], [x.astype(mx.float16)])).toThrow(/Type of cotangents/);
  });
});

// ---- vmap ----

const BATCH = 3;
const BASE = [2, 3];

/** Deterministic example data of `shape` for one primitive's domain. */
function data(kind: string, shape: number[], seed: number): A {
  const n = shape.reduce((p, q) => p * q, 1);
  const v = (i: number) => Math.abs(Math.sin(seed * 12.9898 + i * 78.233)) * 0.8 + 0.1; // in (0.1, 0.9)
  const vals = [...Array(n).keys()].map(v);
  let a: A;
  if (kind === 'int') a = mx.array(vals.map((x, i) => Math.round(x * 20) - 8 + i), mx.int32);
  else if (kind === 'bool') a = mx.array(vals.map((x) => x > 0.5));
  else if (kind === 'complex') a = mx.array(vals.map((x, i) => c(x, v(i + 7) - 0.5)), mx.complex64);
  else if (kind === 'above1') a = mx.array(vals.map((x) => 1 + x));
  else if (kind === 'signed') a = mx.array(vals.map((x, i) => (i % 2 ? -x * 3 : x * 3)));
  else a = mx.array(vals);
  return a.reshape(shape);
}

const UNARY_KIND: Partial<Record<string, string>> = {
  ArcCosh: 'above1', BitwiseInvert: 'int', LogicalNot: 'bool', Real: 'complex', Imag: 'complex', Conjugate: 'complex',
  Abs: 'signed', Sign: 'signed', Floor: 'signed', Ceil: 'signed', Round: 'signed', Negative: 'signed',
};
const BINARY_KIND: Partial<Record<string, string>> = {
  BitwiseAnd: 'int', BitwiseOr: 'int', BitwiseXor: 'int', LeftShift: 'int', RightShift: 'int', LogicalAnd: 'bool',
  LogicalOr: 'bool', FloorDivide: 'signed', Remainder: 'signed', Maximum: 'signed', Minimum: 'signed',
};

/**
 * Checks def.vmap against a loop: `examples[b][i]` is input i of example b (null: input i is
 * unbatched, `shared[i]` is used); `axes[i]` where the batch axis goes in the batched input.
 */
function checkVmap(def: PrimitiveDef<any>, params: unknown, perInput: (A[] | A)[], axes: number[], outDtypes: mx.Dtype[]): void {
  const inputsAt = (b: number) => perInput.map((p) => (Array.isArray(p) ? p[b]! : p));
  const batched = perInput.map((p, i) => (Array.isArray(p) ? mx.stack(p, axes[i]!) : p));
  const [outs, outAxes] = def.vmap!(params, batched, axes);
  expect(outs.length).toBe(outDtypes.length);
  outs.forEach((out, k) => {
    const perExample = [...Array(BATCH).keys()].map((b) => {
      const ex = inputsAt(b);
      const shape = [...ex[0]!.shape];
      const o = outDtypes.length === 1 ? [makeArray(shape, outDtypes[0]!, new Primitive(def, params), ex)] : mx.divmod(ex[0]!, ex[1]!);
      return o[k]!;
    });
    const want = mx.stack(perExample, outAxes[k]!);
    expect(out.dtype).toBe(outDtypes[k]);
    expect(out.shape).toEqual(want.shape);
    expect(mx.arrayEqual(out, want, true).item(), `${def.name} output ${k} axes ${JSON.stringify(axes)}`).toBe(true);
  });
}

/** Examples for each input: a batch of BATCH arrays of BASE shape, or one shared array. */
const batchOf = (kind: string, seed: number): A[] => [...Array(BATCH).keys()].map((b) => data(kind, BASE, seed * 10 + b));

describe('vmap rules equal a loop over the batch', () => {
  const unaryOut = (name: string, d: mx.Dtype): mx.Dtype =>
    ['IsNaN', 'IsInf', 'IsPosInf', 'IsNegInf', 'IsFinite', 'LogicalNot'].includes(name) ? mx.bool
      : ['Abs', 'Real', 'Imag'].includes(name) && d === mx.complex64 ? mx.float32 : d;
  for (const name of unaryNames) {
    it(`${name} with the batch axis at 0, 1 and 2`, () => {
      const kind = UNARY_KIND[name] ?? 'float';
      const xs = batchOf(kind, 1);
      for (const ax of [0, 1, 2]) checkVmap(unary[name], {}, [xs], [ax], [unaryOut(name, xs[0]!.dtype)]);
    });
  }

  const binaryOut = (name: string, d: mx.Dtype): mx.Dtype =>
    ['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'NaNEqual', 'LogicalAnd', 'LogicalOr'].includes(name) ? mx.bool : d;
  const pairs: [number, number][] = [[0, 0], [0, 2], [2, 1], [1, -1], [-1, 0], [-1, 2]];
  for (const name of binaryNames) {
    it(`${name} with batch axes ${JSON.stringify(pairs)} (-1: unbatched)`, () => {
      const kind = BINARY_KIND[name] ?? 'float';
      const xs = batchOf(kind, 2);
      const ys = batchOf(kind, 3);
      const d = xs[0]!.dtype;
      for (const [ax, ay] of pairs) {
        checkVmap(binary[name], {}, [ax < 0 ? xs[0]! : xs, ay < 0 ? ys[1]! : ys], [ax, ay], [binaryOut(name, d)]);
      }
    });
  }

  it('Select with the condition, x or y unbatched and batch axes anywhere', () => {
    const cs = batchOf('bool', 4);
    const xs = batchOf('float', 5);
    const ys = batchOf('float', 6);
    for (const axes of [[0, 0, 0], [-1, 1, 2], [2, -1, 0], [1, 2, -1], [-1, -1, 1], [0, -1, -1]]) {
      const per = [cs, xs, ys].map((p, i) => (axes[i]! < 0 ? p[0]! : p));
      checkVmap(Select, {}, per, axes, [mx.float32]);
    }
  });

  it('DivMod gives both outputs at the common batch axis', () => {
    const xs = batchOf('signed', 7);
    const ys = batchOf('signed', 8).map((y) => mx.add(y, 3));
    for (const axes of [[0, 0], [2, -1], [-1, 1], [1, 2]]) {
      checkVmap(DivMod, {}, [axes[0]! < 0 ? xs[0]! : xs, axes[1]! < 0 ? ys[0]! : ys], axes, [mx.float32, mx.float32]);
    }
  });

  it('AsType keeps the batch axis', () => {
    const xs = batchOf('signed', 9);
    for (const [ax, d] of [[0, mx.int32], [1, mx.float16], [2, mx.bool]] as [number, mx.Dtype][]) {
      checkVmap(AsType, { dtype: d }, [xs], [ax], [d]);
    }
  });

  it('alignBatchAxes: MLX placement of the common axis, broadcasting unbatched inputs', () => {
    const a = mx.zeros([2, 4, 3]); // batch axis 1 (size 4) of a [2, 3] example
    const b = mx.zeros([2, 3, 4]); // batch axis 2
    const u = mx.zeros([2, 3]);
    const r = alignBatchAxes([a, b, u], [1, 2, -1]);
    expect(r.axis).toBe(1);
    expect(r.inputs.map((x) => x.shape)).toEqual([[2, 4, 3], [2, 4, 3], [2, 4, 3]]);
    const none = alignBatchAxes([u, u], [-1, -1]);
    expect(none.axis).toBe(-1);
    expect(none.inputs[0]).toBe(u);
  });
});

// ---- through the transforms (mx.vjp, mx.jvp, mx.grad, mx.vmap) ----

/** The case's op as a function of its arguments returning a list of outputs. */
const asFn = (name: string) => (...xs: A[]): A[] => {
  const r = opFor(name)(...xs);
  return Array.isArray(r) ? r : [r];
};

/** Whether `got` matches MLX's `[values, dtype]` (see expectMatches). */
function matches(got: A, [vals, d]: Spec): boolean {
  if (got.dtype.name !== d || got.size !== vals.length) return false;
  const tol = TOL[d] ?? 2e-6;
  return (got.tolist() as Value[]).every((v, i) => closeValue(v, vals[i] as Value, tol));
}


describe('the same table through mx.vjp and mx.jvp', () => {
  it('agrees with MLX, values and dtypes', () => {
    const differ: string[] = [];
    for (const cs of MLX_CASES) {
      const args = cs.args.map(make);
      const label = `${cs.name}(${cs.args.map((a) => a[1]).join(',')})`;
      const [, vjps] = mx.vjp(asFn(cs.name), args, cs.cts.map(make));
      const [, jvps] = mx.jvp(asFn(cs.name), args, cs.tans.map(make));
      vjps.forEach((g, i) => matches(g, cs.vjp[i]!) || differ.push(`${label} vjp[${i}] ${g.dtype.name}`));
      jvps.forEach((g, i) => matches(g, cs.jvp[i]!) || differ.push(`${label} jvp[${i}] ${g.dtype.name}`));
    }
    expect(differ).toEqual([]);
  });
});

describe('grad, grad of grad and vmap of elementwise functions (values from MLX 0.32.4)', () => {
  const f32 = (v: number[] | number[][]) => mx.array(v, mx.float32);
  const expectClose = (got: A, want: number[] | number[][], what = '') => {
    expect(got.dtype, what).toBe(mx.float32);
    const g = (got.tolist() as number[] | number[][]).flat();
    want.flat().forEach((w, i) => expect(closeNumber(g[i]!, w, 2e-5), `${what}[${i}]: ${g[i]} vs ${w}`).toBe(true));
  };

  it('keeps integer gradients integer and follows MLX on complex inputs', () => {
    const g = mx.grad((x: A) => mx.multiply(x, 2n))(mx.array(3, mx.int32)) as A;
    expect(g.dtype).toBe(mx.int32);
    expect(g.item()).toBe(2);
    const z = mx.array([c(0.3, 1)], mx.complex64);
    const sq = mx.grad((x: A) => mx.sum(mx.multiply(x, x)))(z) as A;
    expect(sq.dtype).toBe(mx.complex64);
    const [v] = sq.tolist() as { re: number; im: number }[];
    expect([v!.re, v!.im].map((t) => Math.fround(t))).toEqual([Math.fround(0.6), -2]);
    const cases: [(x: A) => A, { re: number; im: number }, { re: number; im: number }][] = [
      [(x) => mx.abs(x), c(3, 4), c(0.6, 0.8)],
      [(x) => mx.real(mx.multiply(x, x)), c(0.3, 1), c(0.6, -2)],
      [(x) => mx.imag(mx.multiply(x, x)), c(0.3, 1), c(2, 0.6)],
      [(x) => mx.abs(mx.multiply(mx.conjugate(x), mx.array(c(2, 1), mx.complex64))), c(0.3, 1), c(0.642529, 2.14176)],
    ];
    for (const [f, at, want] of cases) {
      const [r] = (mx.grad((x: A) => mx.sum(f(x)))(mx.array([at], mx.complex64)) as A).tolist() as { re: number; im: number }[];
      expect(closeValue(r!, want, 1e-5), `${f} at ${JSON.stringify(at)}: ${JSON.stringify(r)}`).toBe(true);
    }
  });

  it('second derivatives', () => {
    const d2 = (f: (y: A) => A) => mx.grad((x: A) => mx.sum(mx.grad((y: A) => mx.sum(f(y)))(x) as A));
    const x = f32([0.5, -1.2, 2.0]);
    const table: [string, (y: A) => A, number[]][] = [
      ['sin', mx.sin, [-0.4794255495071411, 0.9320390820503235, -0.9092974066734314]],
      ['cube', (y) => mx.power(y, 3), [3.0, -7.200000286102295, 12.0]],
      ['sigmoid', mx.sigmoid, [-0.05755677819252014, 0.09553812444210052, -0.07996249198913574]],
      ['tanh', mx.tanh, [-0.7268619537353516, 0.5085626244544983, -0.13621866703033447]],
      ['sqrt of abs', (y) => mx.sqrt(mx.abs(y)), [-0.70710688829422, -0.1901814341545105, -0.0883883610367775]],
      ['logaddexp', (y) => mx.logaddexp(y, mx.multiply(2, y)), [0.23500370979309082, 0.1778944432735443, 0.10499359667301178]],
      ['arctan2', (y) => mx.arctan2(y, mx.add(1, mx.multiply(y, y))), [-1.3507728576660156, 0.21101780235767365, 0.019024968147277832]],
      ['erfinv', (y) => mx.erfinv(mx.divide(y, 3)), [0.027145467698574066, -0.08520299196243286, 0.3043941855430603]],
      ['maximum', (y) => mx.maximum(mx.multiply(y, y), y), [0.0, 2.0, 2.0]],
      ['where', (y) => mx.where(mx.greater(y, 0), mx.multiply(mx.multiply(y, y), y), mx.exp(y)), [3.0, 0.3011941909790039, 12.0]],
      ['divide', (y) => mx.divide(1, mx.add(mx.multiply(y, y), 1)), [-0.2560000419616699, 0.4570866823196411, 0.1759999841451645]],
      ['log1p', (y) => mx.log1p(mx.multiply(y, y)), [0.9599999785423279, -0.14780974388122559, -0.23999997973442078]],
      ['through float16', (y) => mx.square(y.astype(mx.float16)).astype(mx.float32), [2.0, 2.0, 2.0]],
    ];
    for (const [name, f, want] of table) expectClose(d2(f)(x) as A, want, name);
  });

  it('vmap of a function of several elementwise ops, and vmap/grad/jvp nested', () => {
    const a = f32([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
    const f = (u: A, v: A) => mx.where(mx.greater(u, 0.35), mx.multiply(mx.sin(u), v), mx.subtract(mx.maximum(u, v), mx.logaddexp(u, v)));
    expectClose(mx.vmap(f, [1, null])(a, f32([0.7, 0.3])), [[-0.4374879002571106, 0.11682550609111786], [-0.474077045917511, 0.1438276767730713], [-0.5130153298377991, 0.16939274966716766]], 'in (1, null)');
    expectClose(mx.vmap(f, [0, null], 1)(a, f32([0.7, 0.8, 0.9])), [[-0.4374879002571106, 0.27259284257888794], [-0.4374879002571106, 0.38354045152664185], [-0.43748795986175537, 0.5081782341003418]], 'out 1');
    expectClose(mx.vmap(f, [1, 0])(a, f32([[0.7, 0.3], [0.2, 0.9], [0.5, 0.5]])), [[-0.4374879002571106, 0.11682550609111786], [-0.6931471824645996, 0.4314829707145691], [-0.5981388092041016, 0.2823212444782257]], 'in (1, 0)');
    const g = mx.grad((u: A) => mx.sum(mx.multiply(mx.sqrt(u), mx.exp(mx.negative(u)))));
    expectClose(mx.vmap(g)(a) as A, [[1.1445388793945312, 0.5492213368415833, 0.2705085277557373], [0.10598692297935486, 0.0, -0.07085129618644714]], 'vmap(grad)');
    const h = mx.grad((u: A) => mx.sum(mx.vmap((r: A) => mx.arctan2(r, mx.subtract(1, r)))(u)));
    expectClose(h(a) as A, [[1.2195123434066772, 1.470588207244873, 1.7241380214691162], [1.923076868057251, 2.0, 1.9230769872665405]], 'grad(vmap)');
    const [, [t]] = mx.jvp((u: A) => mx.vmap((r: A) => mx.power(r, r))(u), [a], [mx.onesLike(a)]);
    expectClose(t!, [[-1.0346801280975342, -0.4417082667350769, -0.14213746786117554], [0.05802267789840698, 0.21697771549224854, 0.36004310846328735]], 'jvp(vmap)');
  });
});
