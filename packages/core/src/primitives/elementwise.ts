// Elementwise primitives, one per MLX primitive (Add, Exp, ...). Their autodiff rules are
// added next to each definition by the transforms issue.
import { definePrimitive, type PrimitiveDef } from '../primitive.js';

export const unaryNames = [
  'Abs', 'Negative', 'Sign', 'Square', 'Sqrt', 'Rsqrt', 'Reciprocal', 'Exp', 'Expm1', 'Log', 'Log2', 'Log10',
  'Log1p', 'Sin', 'Cos', 'Tan', 'ArcSin', 'ArcCos', 'ArcTan', 'Sinh', 'Cosh', 'Tanh', 'ArcSinh', 'ArcCosh',
  'ArcTanh', 'Floor', 'Ceil', 'Round', 'Sigmoid', 'Erf', 'ErfInv', 'LogicalNot', 'BitwiseInvert', 'IsNaN',
  'IsInf', 'IsPosInf', 'IsNegInf', 'IsFinite', 'Real', 'Imag', 'Conjugate', 'StopGradient',
] as const;
export type UnaryName = (typeof unaryNames)[number];

export const binaryNames = [
  'Add', 'Subtract', 'Multiply', 'Divide', 'Power', 'FloorDivide', 'Remainder', 'Maximum', 'Minimum',
  'LogAddExp', 'ArcTan2', 'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'NaNEqual',
  'LogicalAnd', 'LogicalOr', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'LeftShift', 'RightShift',
] as const;
export type BinaryName = (typeof binaryNames)[number];

export const unary = Object.fromEntries(unaryNames.map((n) => [n, definePrimitive({ name: n })])) as Record<
  UnaryName,
  PrimitiveDef<Record<string, never>>
>;
export const binary = Object.fromEntries(binaryNames.map((n) => [n, definePrimitive({ name: n })])) as Record<
  BinaryName,
  PrimitiveDef<Record<string, never>>
>;

/** select(cond, x, y): MLX's Select primitive behind mx.where. */
export const Select = definePrimitive({ name: 'Select' });
/** divmod's two outputs in one primitive, as MLX's DivMod. */
export const DivMod = definePrimitive({ name: 'DivMod' });
