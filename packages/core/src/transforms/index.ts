// Function transforms: grad, valueAndGrad, vjp, jvp, vmap, customFunction, checkpoint.
export { grad, valueAndGrad, vjp, jvp } from './autodiff.js';
export { vmap, type AxesSpec } from './vmap.js';
export { customFunction, checkpoint, type CustomFunction } from './custom.js';
export { compile, enableCompile, disableCompile } from './compile.js';
