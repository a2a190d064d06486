// mlx.optimizers: optimizers, gradient clipping and learning-rate schedules.
export * from './optimizers.js';
export * from './schedulers.js';
