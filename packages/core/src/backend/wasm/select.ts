// Select (mx.where) adapter: any dtype (raw storage units), any layouts of the three operands.
import { bool } from '../../dtype.js';
import { shapeSize } from '../../shape.js';
import { registerWasmKernel, addressOf, mergeDims, fitsI32, isContiguous1d, MAX_COUNT } from './registry.js';

registerWasmKernel('Select', (ctx, _p, [cond, x, y], [out]) => {
  const width = out!.dtype.size;
  if (cond!.dtype !== bool || x!.dtype !== out!.dtype || y!.dtype !== out!.dtype || ![1, 2, 4, 8].includes(width)) return false;
  const n = shapeSize(out!.shape);
  if (n === 0) return true;
  if (n > MAX_COUNT) return false;
  const { shape, strides } = mergeDims(out!.shape, [cond!.strides, x!.strides, y!.strides]);
  const strided = !strides.every(isContiguous1d);
  if (strided) {
    if (shape.length > ctx.maxDims || !strides.every(fitsI32)) return false;
    const nd = shape.length;
    const desc = ctx.desc();
    desc[0] = nd;
    desc.set(shape, 1);
    strides.forEach((s, i) => desc.set(s, 1 + (i + 1) * nd));
  }
  return ctx.k.select(width, strided ? 1 : 0, addressOf(cond!), addressOf(x!), addressOf(y!), addressOf(out!), n) !== 0;
});
