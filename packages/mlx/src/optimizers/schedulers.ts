// Learning-rate schedules (mlx/optimizers/schedulers.py): functions of the step (an array or
// a number) returning an array, usable as any optimizer's learning rate.
import * as mx from '@mlx-ts/core';

export type Schedule = (step: mx.array | number) => mx.array;

function asArr(x: mx.array | number): mx.array {
  return x instanceof mx.MxArray ? x : mx.array(x);
}

/** init * decayRate^step. */
export function exponentialDecay(init: number, decayRate: number): Schedule {
  return (step) => mx.multiply(init, mx.power(decayRate, asArr(step)));
}

/** init * decayRate^floor(step / stepSize). */
export function stepDecay(init: number, decayRate: number, stepSize: number): Schedule {
  if (stepSize < 1) throw new RangeError(`step_size must be greater than 0, but got ${stepSize}.`);
  return (step) => mx.multiply(init, mx.power(decayRate, mx.floorDivide(asArr(step), stepSize)));
}

/** Cosine decay from init to end over decaySteps steps, then end. */
export function cosineDecay(init: number, decaySteps: number, end = 0.0): Schedule {
  if (decaySteps < 1) throw new RangeError(`decay_steps must be greater than 0, but got ${decaySteps}.`);
  return (step) => {
    const s = mx.minimum(asArr(step), decaySteps);
    const decay = mx.multiply(0.5, mx.add(1.0, mx.cos(mx.multiply(Math.PI / decaySteps, s))));
    return mx.add(end, mx.multiply(decay, init - end));
  };
}

/** Linear from init to end over `steps` steps, then end. */
export function linearSchedule(init: number, end: number, steps: number): Schedule {
  if (steps < 1) throw new RangeError(`steps must be greater than 0, but got ${steps}.`);
  return (step) => mx.add(mx.multiply(mx.minimum(asArr(step), steps), (end - init) / steps), init);
}

/** schedules[i] from boundaries[i - 1] on (each sees the steps since its boundary). */
export function joinSchedules(schedules: ((step: any) => mx.array | number)[], boundaries: number[]): Schedule {
  if (schedules.length === 0) throw new Error('Must provide at least 1 schedule to join.');
  if (schedules.length !== boundaries.length + 1) throw new Error(`Received ${boundaries.length} boundaries but expected ${schedules.length - 1}.`);
  return (step) => {
    const s = asArr(step);
    let out = asArr(schedules[0]!(step));
    boundaries.forEach((b, i) => {
      out = mx.where(mx.less(s, b), out, schedules[i + 1]!(mx.subtract(s, b)));
    });
    return out;
  };
}
