// mx.distributed (MLX's mlx/distributed/ops.cpp and python/src/distributed.cpp), single
// process: mlx-ts has no communication backend, so init() gives the singleton group (rank 0 of
// size 1), as MLX does when no backend initializes. On a singleton group MLX's collectives
// return their input itself (no primitive: nothing to do under grad, vmap or compile), and
// send/recv refuse; the same here.
import { MxArray, type ScalarOrArray } from '../array.js';
import { asArray, describeValue } from '../convert.js';
import { Dtype } from '../dtype.js';
import { type StreamOrDevice, toStream } from '../device.js';

const BACKENDS = ['any', 'mpi', 'nccl', 'jaccl', 'ring'] as const;
export type DistributedBackend = (typeof BACKENDS)[number];

/** What MLX's backends say when `init(true, backend)` can't start them. */
const STRICT_ERRORS: Record<DistributedBackend, string> = {
  any: "[distributed] Couldn't initialize any backend",
  mpi: 'Cannot initialize MPI',
  nccl: 'Cannot initialize nccl distributed backend.',
  jaccl: 'Cannot initialize jaccl distributed backend.',
  ring: 'Cannot initialize ring distributed backend.',
};

const token = Symbol('mlx-ts.distributed.group');

function checkInt(v: unknown, name: string, op: string): number {
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`[${op}] ${name} must be an integer, got ${describeValue(v)}.`);
  return v;
}

/**
 * A group of processes that communicate (MLX's `mx.distributed.Group`). Only `init()` makes
 * one; in mlx-ts it is always the singleton group of this process.
 */
export class Group {
  /** @internal */
  constructor(t: symbol) {
    if (t !== token) throw new TypeError('mx.distributed.Group has no public constructor: use mx.distributed.init().');
  }
  /** This process's rank in the group (0 .. size-1). */
  rank(): number {
    return 0;
  }
  /** The number of processes in the group. */
  size(): number {
    return 1;
  }
  /**
   * Splits the group into subgroups by `color` (processes with the same color share one),
   * ranked by `key` (negative: the rank in this group). A singleton group can't be split
   * further (MLX's error).
   */
  split(color: number, key: number = -1): Group {
    checkInt(color, 'color', 'Group.split');
    checkInt(key, 'key', 'Group.split');
    throw new Error('Cannot split the distributed group further.');
  }
  toString(): string {
    return `Group(rank=${this.rank()}, size=${this.size()})`;
  }
}

let globalGroup: Group | undefined;

function checkBackend(backend: unknown, op: string): DistributedBackend {
  if (typeof backend !== 'string') throw new TypeError(`[${op}] backend must be a string, got ${describeValue(backend)}.`);
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`[distributed] The only valid values for backend are 'any', 'mpi', 'nccl', 'jaccl' and 'ring' but '${backend}' was provided.`);
  }
  return backend as DistributedBackend;
}

/**
 * Whether a communication backend (`'any'`, `'mpi'`, `'nccl'`, `'jaccl'`, `'ring'`) is available:
 * always false in mlx-ts, which has none (an unknown name is false too, as MLX).
 */
export function isAvailable(backend: string = 'any'): boolean {
  if (typeof backend !== 'string') throw new TypeError(`[distributed.isAvailable] backend must be a string, got ${describeValue(backend)}.`);
  return false;
}

/**
 * Initializes the communication backend and returns the global group. With no backend (always,
 * in mlx-ts) it is the singleton group, unless `strict`, which then throws MLX's error.
 */
export function init(strict: boolean = false, backend: string = 'any'): Group {
  if (typeof strict !== 'boolean') throw new TypeError(`[distributed.init] strict must be a boolean, got ${describeValue(strict)}.`);
  const bk = checkBackend(backend, 'distributed.init');
  if (strict) throw new Error(STRICT_ERRORS[bk]);
  globalGroup ??= new Group(token);
  return globalGroup;
}

function toGroup(group: Group | null | undefined, op: string): Group {
  if (group === undefined || group === null) return init();
  if (!(group instanceof Group)) throw new TypeError(`[${op}] group must be an mx.distributed.Group (or undefined for the global group), got ${describeValue(group)}.`);
  return group;
}

/** The checks every collective makes; on a singleton group the result is `x` itself (MLX). */
function collective(op: string, x: ScalarOrArray, group: Group | null | undefined, s: StreamOrDevice | undefined): MxArray {
  const a = asArray(x, 'x', op);
  toGroup(group, op);
  if (s !== undefined) toStream(s);
  return a;
}

/** Sum of `x` over the processes of the group (all-reduce). */
export function allSum(x: ScalarOrArray, group?: Group | null, s?: StreamOrDevice): MxArray {
  return collective('allSum', x, group, s);
}

/** Element-wise maximum of `x` over the processes of the group. */
export function allMax(x: ScalarOrArray, group?: Group | null, s?: StreamOrDevice): MxArray {
  return collective('allMax', x, group, s);
}

/** Element-wise minimum of `x` over the processes of the group. */
export function allMin(x: ScalarOrArray, group?: Group | null, s?: StreamOrDevice): MxArray {
  return collective('allMin', x, group, s);
}

/** The processes' `x` concatenated along the first axis, in rank order. */
export function allGather(x: ScalarOrArray, group?: Group | null, s?: StreamOrDevice): MxArray {
  return collective('allGather', x, group, s);
}

/** Sum of `x` over the group, of which this process keeps its rank's slice of the first axis. */
export function sumScatter(x: ScalarOrArray, group?: Group | null, s?: StreamOrDevice): MxArray {
  return collective('sumScatter', x, group, s);
}

/** Sends `x` to the process of rank `dst`; a singleton group has nobody to send to (MLX's error). */
export function send(x: ScalarOrArray, dst: number, group?: Group | null, s?: StreamOrDevice): MxArray {
  collective('send', x, group, s);
  checkInt(dst, 'dst', 'send');
  // every group is a singleton here
  throw new Error('Cannot send to a singleton group');
}

/** Receives an array of `shape` and `dtype` from the process of rank `src` (MLX's error on a singleton group). */
export function recv(shape: number[], dtype: Dtype, src: number, group?: Group | null, s?: StreamOrDevice): MxArray {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d))) throw new TypeError(`[recv] shape must be a list of integers, got ${describeValue(shape)}.`);
  if (!(dtype instanceof Dtype)) throw new TypeError(`[recv] dtype must be an mx Dtype, got ${describeValue(dtype)}.`);
  checkInt(src, 'src', 'recv');
  toGroup(group, 'recv');
  if (s !== undefined) toStream(s);
  // every group is a singleton here
  throw new Error('Cannot recv from a singleton group');
}

/** `recv` with the shape and dtype of `x`. */
export function recvLike(x: ScalarOrArray, src: number, group?: Group | null, s?: StreamOrDevice): MxArray {
  const a = asArray(x, 'x', 'recvLike');
  return recv([...a.shape], a.dtype, src, group, s);
}
