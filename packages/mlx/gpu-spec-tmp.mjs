// temporary (not committed): node-mlx's specs with mx.gpu as the default device
import * as m from './dist/index.js';
import { registerWebGPU } from '../metal-backend/dist/index.js';
registerWebGPU();
m.core.setDefaultDevice(m.core.gpu);
export const { core, nn, optimizers, utils } = m;
