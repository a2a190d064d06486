// Types of threads-checks.js (plain JS: it is served to the browser as is).
import type * as Mx from '@mlx-ts/core';

export interface OpRun {
  /** byte count and FNV-1a of the result's bytes */
  hash: string;
  workerChunks: number;
  byCaller: number;
}
export interface ChecksReport {
  /** The WASM kernel set the runtime loaded ('fma' with relaxed SIMD). */
  kernelSet: 'fma' | 'plain';
  isolated: boolean | null;
  sharedArrayBuffer: boolean;
  defaultThreads: number;
  before: Mx.ThreadStatus;
  init: Mx.ThreadStatus;
  backend: string;
  runs: Array<{ threads: number; status: Mx.ThreadStatus; ops: Record<'add' | 'sum' | 'matmul' | 'compiled', OpRun> }>;
  faults?: {
    stolen: OpRun;
    timeout: string;
    timeoutMs: number;
    afterTimeout: OpRun;
    afterTimeoutStatus: Mx.ThreadStatus;
    restarted: Mx.ThreadStatus;
    restartedRun: OpRun;
    resizing: Mx.ThreadStatus;
    resizingRun: OpRun;
    resized: Mx.ThreadStatus;
    resizedRun: OpRun;
  };
}
export declare function runChecks(mx: typeof Mx, hooks: unknown, options: { threadCounts: number[]; faults?: boolean }): Promise<ChecksReport>;
