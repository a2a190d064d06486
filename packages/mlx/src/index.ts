// mlx-ts: the counterpart of MLX's Python package (and of node-mlx's entry point):
// `import { core as mx, nn, optimizers, utils } from 'mlx-ts'`.
export * as core from '@mlx-ts/core';
export * as nn from './nn/index.js';
export * as optimizers from './optimizers/index.js';
export * as utils from './utils.js';
