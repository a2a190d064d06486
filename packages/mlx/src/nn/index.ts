// mlx.nn: layers, activations, nn.init, nn.losses, nn.valueAndGrad.
export * from './layers/index.js';
export { valueAndGrad, checkpoint, averageGradients, clipGradNormSharded } from './utils.js';
export * as init from './init.js';
export * as losses from './losses.js';
