import type * as Mx from '@mlx-ts/core';
/** Runs the universal smoke program (smoke.js) and returns its JSON-able report. */
export declare function smoke(mx: typeof Mx, opts?: { initThreads?: boolean }): Promise<Record<string, unknown> & { threadStatus: Mx.ThreadStatus; cpuBackend: string }>;
