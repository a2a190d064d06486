// Elementwise primitives, one per MLX primitive (Add, Exp, ...), with their autodiff and
// batching rules. The rules follow MLX 0.32.4 (mlx/primitives.cpp), including its choices
// at non-smooth points and its dtypes for integer inputs; they are written with the public
// ops so that they can be differentiated again.
//
// Complex inputs follow MLX's convention: the jvp multiplies the tangent by f'(z), the vjp
// multiplies the cotangent by conj(f'(z)) (so grad(sum(z*z)) at z is 2*conj(z)).
import { makeArray, makeArrays, type MxArray } from '../array.js';
import { definePrimitive, Primitive, type PrimitiveDef } from '../primitive.js';
import { bool, float32, isComplex, type Dtype } from '../dtype.js';
import {
  add, subtract, multiply, divide, negative, square, sqrt, rsqrt, exp, log, sin, cos, sinh, cosh,
  sign, conjugate, real, imag, sigmoid, greater, greaterEqual, less, lessEqual, power, floor, where,
  logicalNot,
} from '../ops/elementwise.js';
import { zeros, zerosLike } from '../ops/creation.js';
import { astype } from '../ops/views.js';
import { alignBatchAxes, elementwiseShapes } from './rules.js';

type NoParams = Record<string, never>;

/** conj(x) for complex arrays; real arrays are their own conjugate (no extra node). */
const conj = (x: MxArray): MxArray => (isComplex(x._dtype) ? conjugate(x) : x);

/** Sums the per-input tangents of a multi-input primitive (MLX adds them in argnums order). */
const sumTangents = (parts: MxArray[]): MxArray => parts.reduce((acc, p) => add(acc, p));

// ---- unary ----

/**
 * The rule of a unary primitive. `tangent(x, t, out)` is the jvp, linear in `t`; `out()` is
 * the primitive's output (given to the vjp, recomputed by the jvp). The vjp is then
 * conj(tangent(x, conj(ct))), i.e. ct * conj(f'(x)), unless `vjp` says otherwise.
 */
interface UnaryRule {
  tangent: (x: MxArray, t: MxArray, out: () => MxArray) => MxArray;
  vjp?: (x: MxArray, ct: MxArray, out: MxArray) => MxArray;
  /** The output dtype for an input dtype (the same unless given). */
  outDtype?: (d: Dtype) => Dtype;
}

/** A piecewise-constant unary (floor, sign, ...): zero cotangent and zero tangent. */
const zeroUnary = (tangentDtype?: Dtype): UnaryRule => ({
  tangent: (x, t) => zeros(x._shape, tangentDtype ?? t._dtype),
  vjp: (x) => zerosLike(x),
});
/**
 * Predicates (bool output). MLX builds them from comparisons, whose tangent has the tangent's
 * dtype, or (isinf, isfinite, logical_not) from logical ops, whose tangent is bool.
 */
const predicate = (tangentDtype?: Dtype): UnaryRule => ({ ...zeroUnary(tangentDtype), outDtype: () => bool });
const realOfComplex = (d: Dtype): Dtype => (isComplex(d) ? float32 : d);
/** MLX's float constant 1/ln(base) for log2/log10. */
const logScale = (base: number): number => Math.fround(1 / Math.fround(Math.log(base)));
const M_2_SQRTPI = 2 / Math.sqrt(Math.PI);

const unaryRules = {
  Abs: {
    tangent: (x, t) => (isComplex(x._dtype) ? real(multiply(t, conjugate(sign(x)))) : multiply(t, sign(x))),
    // d|z| pulls back to ct * z/|z| (ct is real); for reals ct * sign(x), 0 at 0.
    vjp: (x, ct) => multiply(ct, sign(x)),
    outDtype: realOfComplex,
  },
  Negative: { tangent: (_x, t) => negative(t) },
  Sign: zeroUnary(),
  Square: { tangent: (x, t) => multiply(x, multiply(t, 2n)) },
  Sqrt: { tangent: (x, t, out) => divide(multiply(t, 0.5), out()) },
  Rsqrt: { tangent: (x, t, out) => multiply(multiply(t, -0.5), divide(out(), x)) },
  // MLX's reciprocal is divide(1, x): d/dx = -1/x^2.
  Reciprocal: { tangent: (x, t) => negative(divide(t, square(x))) },
  Exp: { tangent: (_x, t, out) => multiply(t, out()) },
  Expm1: { tangent: (x, t) => multiply(t, exp(x)), vjp: (_x, ct, out) => multiply(ct, add(out, 1)) },
  Log: { tangent: (x, t) => divide(t, x) },
  Log2: { tangent: (x, t) => multiply(divide(t, x), logScale(2)) },
  Log10: { tangent: (x, t) => multiply(divide(t, x), logScale(10)) },
  Log1p: { tangent: (x, t) => divide(t, add(x, 1)) },
  Sin: { tangent: (x, t) => multiply(t, cos(x)) },
  Cos: { tangent: (x, t) => multiply(t, negative(sin(x))) },
  Tan: { tangent: (x, t) => divide(t, square(cos(x))) },
  ArcSin: { tangent: (x, t) => multiply(t, rsqrt(subtract(1, square(x)))) },
  ArcCos: { tangent: (x, t) => multiply(t, negative(rsqrt(subtract(1, square(x))))) },
  ArcTan: { tangent: (x, t) => divide(t, add(square(x), 1)) },
  Sinh: { tangent: (x, t) => multiply(t, cosh(x)) },
  Cosh: { tangent: (x, t) => multiply(t, sinh(x)) },
  Tanh: { tangent: (x, t) => divide(t, square(cosh(x))) },
  ArcSinh: { tangent: (x, t) => multiply(t, rsqrt(add(square(x), 1))) },
  // 1/(sqrt(x-1) sqrt(x+1)), not rsqrt(x^2-1): the two differ in sign off the real line, and
  // MLX 0.32.4 takes the one that is the derivative of its (principal) arccosh.
  ArcCosh: { tangent: (x, t) => divide(t, multiply(sqrt(subtract(x, 1)), sqrt(add(x, 1)))) },
  ArcTanh: { tangent: (x, t) => divide(t, subtract(1, square(x))) },
  Floor: zeroUnary(),
  Ceil: zeroUnary(),
  Round: zeroUnary(),
  Sigmoid: { tangent: (_x, t, out) => multiply(t, multiply(out(), subtract(1, out()))) },
  Erf: { tangent: (x, t) => multiply(multiply(t, M_2_SQRTPI), exp(negative(square(x)))) },
  ErfInv: { tangent: (_x, t, out) => multiply(multiply(t, 1 / M_2_SQRTPI), exp(square(out()))) },
  // MLX's zero is like the cotangent (an int32 count from a broadcast stays int32), not the input
  LogicalNot: { tangent: (_x, t) => zerosLike(t), vjp: (_x, ct) => zerosLike(ct), outDtype: () => bool },
  // MLX has no rule here (it raises); a zero gradient is what every other bitwise op gives.
  BitwiseInvert: zeroUnary(),
  // isnan/isposinf/isneginf are comparisons in MLX, isinf/isfinite logical ops over them.
  IsNaN: predicate(),
  IsPosInf: predicate(),
  IsNegInf: predicate(),
  IsInf: predicate(bool),
  IsFinite: predicate(bool),
  Real: { tangent: (_x, t) => real(t), vjp: (x, ct) => astype(ct, x._dtype), outDtype: realOfComplex },
  Imag: {
    tangent: (_x, t) => imag(t),
    // d(Im z) pulls back to i*ct; for real inputs imag is identically zero.
    vjp: (x, ct) => (isComplex(x._dtype) ? multiply(ct, { re: 0, im: 1 }) : zerosLike(x)),
    outDtype: realOfComplex,
  },
  Conjugate: { tangent: (_x, t) => conjugate(t), vjp: (_x, ct) => conjugate(ct) },
  // Autodiff cuts its tape here (transforms/autodiff.ts), as MLX does; these zero rules are
  // what the cut amounts to.
  StopGradient: { tangent: (_x, t) => zerosLike(t), vjp: (x) => zerosLike(x) },
} satisfies Record<string, UnaryRule>;

export type UnaryName = keyof typeof unaryRules;
export const unaryNames = Object.keys(unaryRules) as UnaryName[];

function defineUnary(name: string, rule: UnaryRule): PrimitiveDef<NoParams> {
  const outDtype = rule.outDtype ?? ((d: Dtype) => d);
  const def: PrimitiveDef<NoParams> = definePrimitive<NoParams>({
    name,
    elementwise: true,
    outputShapes: (_p, inputs) => elementwiseShapes(name, inputs),
    vjp: (_p, [x], [ct], _argnums, [out]) =>
      rule.vjp ? [rule.vjp(x!, ct!, out!)] : [conj(rule.tangent(x!, conj(ct!), () => out!))],
    jvp: (p, [x], [t]) => {
      let out: MxArray | undefined;
      return [rule.tangent(x!, t!, () => (out ??= apply(p, x!)))];
    },
    // Elementwise: the primitive applies to the batched input as it is.
    vmap: (p, [x], axes) => [[apply(p, x!)], [axes[0]!]],
  });
  const apply = (p: NoParams, x: MxArray) => makeArray([...x._shape], outDtype(x._dtype), new Primitive(def, p), [x]);
  return def;
}

export const unary = Object.fromEntries(
  Object.entries(unaryRules).map(([name, rule]) => [name, defineUnary(name, rule)]),
) as Record<UnaryName, PrimitiveDef<NoParams>>;

// ---- binary ----

/**
 * The rule of a binary primitive: `vjp(x, y, ct, arg, out)` is the cotangent of input `arg`,
 * `tangent(x, y, t, arg)` the output's tangent from the tangent `t` of input `arg` alone
 * (the jvp sums them over the differentiated inputs).
 */
interface BinaryRule {
  vjp: (x: MxArray, y: MxArray, ct: MxArray, arg: number, out: MxArray) => MxArray;
  tangent?: (x: MxArray, y: MxArray, t: MxArray, arg: number) => MxArray;
  /** The whole jvp, where MLX does not sum per-input tangents. */
  jvp?: (x: MxArray, y: MxArray, tangents: MxArray[], argnums: number[]) => MxArray;
  outDtype?: (d: Dtype) => Dtype;
}

/**
 * Comparisons, bitwise ops and floor_divide: zero cotangents of each input's dtype; MLX's
 * tangent is a zero of the (first) tangent's dtype, or of the first input's (`fromPrimal`).
 */
const zeroBinary = (out?: Dtype, fromPrimal = false): BinaryRule => ({
  vjp: (x, y, _ct, arg) => zerosLike(arg === 0 ? x : y),
  jvp: (x, _y, [t]) => (fromPrimal ? zerosLike(x) : zeros(x._shape, t!._dtype)),
  outDtype: out ? () => out : undefined,
});
const comparison = zeroBinary(bool);
/** logical and/or: MLX's zero cotangents are like the cotangent, its zero tangent like `x`. */
const logicalRule: BinaryRule = { vjp: (_x, _y, ct) => zerosLike(ct), jvp: (x) => zerosLike(x), outDtype: () => bool };

/** max/min: the cotangent goes to `x` where `pick(x, y)` holds, else to `y` (ties go to y). */
const selectBetween = (pick: (x: MxArray, y: MxArray) => MxArray, other: (x: MxArray, y: MxArray) => MxArray): BinaryRule => {
  const mask = (x: MxArray, y: MxArray, arg: number) => (arg === 0 ? pick(x, y) : other(x, y));
  return { vjp: (x, y, ct, arg) => multiply(ct, mask(x, y, arg)), tangent: (x, y, t, arg) => multiply(t, mask(x, y, arg)) };
};

/** Power's rule: d/dx = y x^(y-1), d/dy = log(x) x^y, with 0 where x^y is 0 (0 * log 0). */
function powerGrad(x: MxArray, y: MxArray, c: MxArray, arg: number, out: MxArray): MxArray {
  const g = arg === 0 ? multiply(power(x, subtract(y, 1n)), y) : where(out, multiply(log(x), out), 0);
  return multiply(c, g);
}

/** remainder's d/dy: -floor(x / y) (d/dx is 1). */
const remainderDy = (x: MxArray, y: MxArray, c: MxArray): MxArray => negative(multiply(floor(divide(x, y)), c));

/** arctan2's 1/(x^2 + y^2) applied to c. */
const overNorm2 = (x: MxArray, y: MxArray, c: MxArray): MxArray => divide(c, add(square(x), square(y)));

const binaryRules = {
  Add: { vjp: (_x, _y, ct) => ct, tangent: (_x, _y, t) => t },
  Subtract: { vjp: (_x, _y, ct, arg) => (arg === 0 ? ct : negative(ct)), tangent: (_x, _y, t, arg) => (arg === 0 ? t : negative(t)) },
  Multiply: {
    vjp: (x, y, ct, arg) => multiply(conj(arg === 0 ? y : x), ct),
    tangent: (x, y, t, arg) => multiply(t, arg === 0 ? y : x),
  },
  Divide: {
    vjp: (x, y, ct, arg) =>
      arg === 0 ? divide(ct, conj(y)) : negative(divide(multiply(ct, conj(x)), square(conj(y)))),
    tangent: (x, y, t, arg) => (arg === 0 ? divide(t, y) : negative(divide(multiply(t, x), square(y)))),
  },
  Power: {
    vjp: powerGrad,
    jvp: (x, y, ts, argnums) => {
      const out = power(x, y);
      return sumTangents(argnums.map((arg, i) => powerGrad(x, y, ts[i]!, arg, out)));
    },
  },
  // floor_divide is piecewise constant (MLX: floor of a division, or an integer division).
  FloorDivide: zeroBinary(undefined, true),
  Remainder: {
    vjp: (x, y, ct, arg) => (arg === 0 ? ct : remainderDy(x, y, ct)),
    tangent: (x, y, t, arg) => (arg === 0 ? t : remainderDy(x, y, t)),
  },
  // (the ops are wrapped: they must not be read while this module is evaluated, see rules.ts)
  Maximum: selectBetween((x, y) => greater(x, y), (x, y) => lessEqual(x, y)),
  Minimum: selectBetween((x, y) => less(x, y), (x, y) => greaterEqual(x, y)),
  LogAddExp: {
    vjp: (x, y, ct, arg) => multiply(ct, logAddExpWeight(x, y, arg)),
    tangent: (x, y, t, arg) => multiply(t, logAddExpWeight(x, y, arg)),
  },
  ArcTan2: {
    vjp: (x, y, ct, arg) => (arg === 0 ? multiply(y, overNorm2(x, y, ct)) : multiply(negative(x), overNorm2(x, y, ct))),
    jvp: (x, y, ts, argnums) => {
      const num =
        argnums.length === 2
          ? subtract(multiply(y, ts[0]!), multiply(x, ts[1]!))
          : argnums[0] === 0
            ? multiply(y, ts[0]!)
            : negative(multiply(x, ts[0]!));
      return overNorm2(x, y, num);
    },
  },
  Equal: comparison,
  NotEqual: comparison,
  Less: comparison,
  LessEqual: comparison,
  Greater: comparison,
  GreaterEqual: comparison,
  NaNEqual: comparison,
  LogicalAnd: logicalRule,
  LogicalOr: logicalRule,
  BitwiseAnd: zeroBinary(),
  BitwiseOr: zeroBinary(),
  BitwiseXor: zeroBinary(),
  LeftShift: zeroBinary(),
  RightShift: zeroBinary(),
} satisfies Record<string, BinaryRule>;

/** logaddexp's d/dx = sigmoid(x - y), d/dy = 1 - sigmoid(x - y). */
function logAddExpWeight(x: MxArray, y: MxArray, arg: number): MxArray {
  const s = sigmoid(subtract(x, y));
  return arg === 0 ? s : subtract(1, s);
}

export type BinaryName = keyof typeof binaryRules;
export const binaryNames = Object.keys(binaryRules) as BinaryName[];

/** vmap of an elementwise primitive: align the batch axes, apply it once to the whole batch. */
function vmapElementwise<P>(def: PrimitiveDef<P>, p: P, inputs: MxArray[], axes: number[], outDtypes: Dtype[]): [MxArray[], number[]] {
  const { inputs: aligned, axis } = alignBatchAxes(inputs, axes);
  const shape = aligned[0]!._shape;
  const outs = makeArrays(outDtypes.map(() => [...shape]), outDtypes, new Primitive(def, p), aligned);
  return [outs, outs.map(() => axis)];
}

function defineBinary(name: string, rule: BinaryRule): PrimitiveDef<NoParams> {
  const outDtype = rule.outDtype ?? ((d: Dtype) => d);
  const def: PrimitiveDef<NoParams> = definePrimitive<NoParams>({
    name,
    elementwise: true,
    outputShapes: (_p, inputs) => elementwiseShapes(name, inputs),
    vjp: (_p, [x, y], [ct], argnums, [out]) => argnums.map((arg) => rule.vjp(x!, y!, ct!, arg, out!)),
    jvp: (_p, [x, y], tangents, argnums) => [
      rule.jvp ? rule.jvp(x!, y!, tangents, argnums) : sumTangents(argnums.map((arg, i) => rule.tangent!(x!, y!, tangents[i]!, arg))),
    ],
    vmap: (p, inputs, axes) => vmapElementwise(def, p, inputs, axes, [outDtype(inputs[0]!._dtype)]),
  });
  return def;
}

export const binary = Object.fromEntries(
  Object.entries(binaryRules).map(([name, rule]) => [name, defineBinary(name, rule as BinaryRule)]),
) as Record<BinaryName, PrimitiveDef<NoParams>>;

// ---- select and divmod ----

/** select(cond, x, y): MLX's Select primitive behind mx.where. The condition gets no gradient. */
export const Select: PrimitiveDef<NoParams> = definePrimitive<NoParams>({
  name: 'Select',
  elementwise: true,
  outputShapes: (_p, inputs) => elementwiseShapes('Select', inputs),
  vjp: (_p, [c], [ct], argnums) =>
    argnums.map((arg) =>
      arg === 0 ? zerosLike(c!) : multiply(astype(arg === 1 ? c! : logicalNot(c!), ct!._dtype), ct!),
    ),
  jvp: (_p, [c, x], tangents, argnums) => [
    sumTangents(
      argnums.map((arg, i) =>
        arg === 0 ? zerosLike(x!) : multiply(astype(arg === 1 ? c! : logicalNot(c!), tangents[i]!._dtype), tangents[i]!),
      ),
    ),
  ],
  vmap: (p, inputs, axes) => vmapElementwise(Select, p, inputs, axes, [inputs[1]!._dtype]),
});

/** divmod's two outputs in one primitive, as MLX's DivMod; both are piecewise constant. */
export const DivMod: PrimitiveDef<NoParams> = definePrimitive<NoParams>({
  name: 'DivMod',
  outputShapes: (_p, inputs) => elementwiseShapes('DivMod', inputs, 2),
  vjp: (_p, primals, _ct, argnums) => argnums.map((arg) => zerosLike(primals[arg]!)),
  jvp: (_p, [x]) => [zerosLike(x!), zerosLike(x!)],
  vmap: (p, inputs, axes) => vmapElementwise(DivMod, p, inputs, axes, [inputs[0]!._dtype, inputs[0]!._dtype]),
});
