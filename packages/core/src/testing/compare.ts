// compareBackends: runs one op on two backends from the same inputs and compares the results,
// exactly (integers, bool, comparisons, data movement, and floats by default) or within a
// stated number of ulps (for transcendental functions).
import { MxArray } from '../array.js';
import { backendFor, cpuBackend, Device, getBackendByName, gpu, setCpuBackend, StreamContext } from '../device.js';
import { bfloat16, complex64, float16, float32, float64, type Dtype } from '../dtype.js';
import { bfloat16ToNumber, halfToNumber } from '../half.js';
import { evalArrays } from '../array.js';
import { materialize, readHost, type ArraySpec, type HostArray } from './specs.js';

export interface CompareOptions {
  /**
   * The two registered backends to run on; default ['reference', 'wasm']. A GPU backend (the
   * registered mx.gpu) runs the op with mx.gpu as the default device.
   */
  backends?: readonly [string, string];
  /**
   * Largest distance in units in the last place allowed between float results (0: exact).
   * NaN matches NaN whatever its payload; infinities and the sign of zero must match.
   */
  ulp?: number;
  /** Named in the error message. */
  label?: string;
}

export class BackendMismatchError extends Error {
  override readonly name = 'BackendMismatchError';
}

type Op = (...xs: MxArray[]) => MxArray | readonly MxArray[];

/**
 * Runs `op` on each backend (inputs rebuilt there from specs; MxArray inputs are used as they
 * are and moved by the eval layer), evaluates, and compares every output. Throws a
 * BackendMismatchError naming the first differing elements; returns the host results
 * (one list of outputs per backend) when they agree.
 */
export function compareBackends(op: Op, inputs: readonly (ArraySpec | MxArray)[], opts: CompareOptions = {}): HostArray[][] {
  const backends = opts.backends ?? (['reference', 'wasm'] as const);
  const ulp = opts.ulp ?? 0;
  const results = backends.map((name) => runOn(name, op, inputs));
  const [first, second] = results as [HostArray[], HostArray[]];
  const label = opts.label ? `${opts.label}: ` : '';
  if (first.length !== second.length) {
    throw new BackendMismatchError(`${label}${backends[0]} gave ${first.length} outputs, ${backends[1]} ${second.length}`);
  }
  first.forEach((a, i) => {
    const problem = compareHost(a, second[i]!, ulp);
    if (problem) {
      throw new BackendMismatchError(`${label}output ${i}: ${backends[0]} vs ${backends[1]}: ${problem}\ninputs: ${describeInputs(inputs)}`);
    }
  });
  return results;
}

function runOn(name: string, op: Op, inputs: readonly (ArraySpec | MxArray)[]): HostArray[] {
  // A GPU backend (the current mx.gpu) runs the op as the default device; the inputs are
  // built on the CPU and moved there by eval, as a user's would be.
  if (getBackendByName(name).kind === 'gpu') {
    if (backendFor(new Device(gpu)).name !== name) throw new Error(`compareBackends: '${name}' is not the registered mx.gpu backend`);
    const xs = inputs.map((x) => (x instanceof MxArray ? x : materialize(x)));
    const ctx = new StreamContext(gpu);
    try {
      const out = op(...xs);
      const outs = out instanceof MxArray ? [out] : [...out];
      evalArrays(outs);
      return outs.map(readHost);
    } finally {
      ctx[Symbol.dispose]();
    }
  }
  const previous = cpuBackend().name;
  setCpuBackend(name);
  try {
    const xs = inputs.map((x) => (x instanceof MxArray ? x : materialize(x)));
    const out = op(...xs);
    const outs = out instanceof MxArray ? [out] : [...out];
    evalArrays(outs);
    return outs.map(readHost);
  } finally {
    setCpuBackend(previous);
  }
}

/** Ulp distance of two finite floats of a dtype (via their ordered integer encodings). */
export function ulpDistance(a: number, b: number, dtype: Dtype): number {
  if (dtype === float64) {
    const f = new Float64Array([a, b]);
    const [x, y] = new BigInt64Array(f.buffer);
    const ord = (v: bigint) => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
    const d = ord(x!) - ord(y!);
    return Number(d < 0n ? -d : d);
  }
  let bits: (v: number) => number;
  if (dtype === float16 || dtype === bfloat16) {
    // storage units already are the bits
    bits = (v) => (v & 0x8000 ? -(v & 0x7fff) : v);
    return Math.abs(bits(a) - bits(b));
  }
  const f = new Float32Array([a, b]);
  const [x, y] = new Int32Array(f.buffer);
  const ord = (v: number) => (v < 0 ? -(v & 0x7fffffff) : v);
  return Math.abs(ord(x!) - ord(y!));
}

function decodeUnit(dtype: Dtype, u: number): number {
  if (dtype === float16) return halfToNumber(u);
  if (dtype === bfloat16) return bfloat16ToNumber(u);
  return u;
}

const isFloatDtype = (d: Dtype): boolean => d === float16 || d === bfloat16 || d === float32 || d === float64 || d === complex64;

/** Why two host arrays differ, or null when they agree under `ulp`. */
export function compareHost(a: HostArray, b: HostArray, ulp = 0): string | null {
  if (a.dtype !== b.dtype) return `dtype ${a.dtype.name} vs ${b.dtype.name}`;
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return `shape [${a.shape}] vs [${b.shape}]`;
  const bad: string[] = [];
  const n = a.units.length;
  const lanes = a.dtype.lanes;
  const float = isFloatDtype(a.dtype);
  const unitDtype = a.dtype === complex64 ? float32 : a.dtype;
  for (let i = 0; i < n && bad.length < 5; i++) {
    const u = a.units[i]!;
    const v = b.units[i]!;
    if (!float) {
      if (u !== v) bad.push(`[${Math.floor(i / lanes)}] ${u} vs ${v}`);
      continue;
    }
    const x = decodeUnit(a.dtype, u as number);
    const y = decodeUnit(a.dtype, v as number);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (Object.is(x, y)) continue;
    const within = ulp > 0 && Number.isFinite(x) && Number.isFinite(y) && ulpDistance(u as number, v as number, unitDtype) <= ulp;
    if (!within) bad.push(`[${Math.floor(i / lanes)}${lanes > 1 ? (i % 2 ? '.im' : '.re') : ''}] ${fmt(x)} vs ${fmt(y)}`);
  }
  return bad.length ? `${a.dtype.name}[${a.shape}] differs at ${bad.join(', ')}` : null;
}

// -0 prints as 0 by default
const fmt = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

function describeInputs(inputs: readonly (ArraySpec | MxArray)[]): string {
  return inputs
    .map((x) =>
      x instanceof MxArray
        ? `array ${x.dtype.name}[${x.shape}]`
        : JSON.stringify({ dtype: x.dtype.name, baseShape: x.baseShape, units: x.units.map(String), view: x.view }),
    )
    .join('; ');
}
