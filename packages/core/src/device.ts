// Devices, streams and the backend registry. A device type (cpu, gpu) maps to the backend
// currently chosen for it; the CPU one can be switched by name (setCpuBackend).
import type { Backend } from './backend/interface.js';

export type DeviceType = number;
/** Device type constants, as node-mlx has them. */
export const cpu: DeviceType = 0;
export const gpu: DeviceType = 1;

export class Device {
  constructor(
    readonly type: DeviceType,
    readonly index = 0,
  ) {}
  toString(): string {
    return `Device(${this.type === cpu ? 'cpu' : 'gpu'}, ${this.index})`;
  }
  equals(other: Device): boolean {
    return other.type === this.type && other.index === this.index;
  }
}

let streamCounter = 0;
export class Stream {
  readonly index: number;
  constructor(readonly device: Device) {
    this.index = streamCounter++;
  }
  toString(): string {
    return `Stream(${this.device}, ${this.index})`;
  }
}

export type DeviceOrType = Device | DeviceType;
export type StreamOrDevice = Stream | Device | DeviceType | undefined | null;

const backends = new Map<string, Backend>();
const current: { cpu: Backend | null; gpu: Backend | null } = { cpu: null, gpu: null };

/** Registers a backend under its name; the first CPU backend becomes the CPU default. */
export function registerBackend(backend: Backend, { makeDefault = false } = {}): void {
  backends.set(backend.name, backend);
  if (makeDefault && backend.kind === 'cpu') provisional = null;
  if (makeDefault || current[backend.kind] === null) current[backend.kind] = backend;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

export function getBackendByName(name: string): Backend {
  const b = backends.get(name);
  if (!b) throw new Error(`No backend named '${name}' is registered; registered: ${listBackends().join(', ') || 'none'}`);
  return b;
}

/** Chooses which registered CPU backend runs mx.cpu work, e.g. setCpuBackend('reference'). */
export function setCpuBackend(name: string): void {
  const b = getBackendByName(name);
  if (b.kind !== 'cpu') throw new Error(`setCpuBackend: backend '${name}' is a ${b.kind} backend, not a cpu one`);
  provisional = null; // an explicit choice is kept, and fails loudly if that backend can't start
  current.cpu = b;
}

/**
 * A CPU default that is checked at first use: `startError()` returns null when the backend
 * can run, else why not; then `fallback` serves instead, after one console note.
 */
let provisional: { backend: Backend; startError: () => string | null; fallback: string } | null = null;

/**
 * @internal makes `name` the CPU default provided that it can start when first used (the WASM
 * backend compiles its kernels synchronously then, which browsers' main threads may refuse);
 * otherwise `fallback` becomes the default, with a one-time console.warn saying why.
 */
export function setProvisionalCpuBackend(name: string, startError: () => string | null, fallback: string): void {
  setCpuBackend(name);
  getBackendByName(fallback);
  provisional = { backend: current.cpu!, startError, fallback };
}

function resolveProvisional(): void {
  const p = provisional!;
  provisional = null;
  const why = p.startError();
  if (why === null) return;
  current.cpu = getBackendByName(p.fallback);
  console.warn(
    `mlx-ts: the '${p.backend.name}' CPU backend could not start (${why}); using the '${p.fallback}' backend instead. ` +
      `In a browser's main thread, await mx.initWasm() before the first op so that the kernels compile asynchronously.`,
  );
}

export function cpuBackend(): Backend {
  if (provisional) resolveProvisional();
  if (!current.cpu) throw new Error('No CPU backend is registered');
  return current.cpu;
}

/** The name of the backend that runs mx.cpu work now ('wasm' by default, or 'reference'). */
export function cpuBackendName(): string {
  return cpuBackend().name;
}

export function backendFor(device: Device): Backend {
  if (provisional && device.type !== gpu) resolveProvisional();
  const b = device.type === gpu ? current.gpu : current.cpu;
  if (!b) {
    throw new Error(
      device.type === gpu
        ? 'No GPU backend is registered: import @mlx-ts/metal-backend (WebGPU) to use mx.gpu'
        : 'No CPU backend is registered',
    );
  }
  return b;
}

export function isAvailable(type: DeviceType): boolean {
  return type === cpu ? current.cpu !== null : current.gpu !== null;
}

function toDevice(d: DeviceOrType, argName = 'device'): Device {
  if (d instanceof Device) return d;
  if (d === cpu || d === gpu) return new Device(d);
  throw new TypeError(`Invalid ${argName}: expected mx.cpu, mx.gpu or a Device, got ${String(d)}`);
}

let defaultDev = new Device(cpu);
const defaultStreams = new Map<string, Stream>();

export function defaultDevice(): Device {
  return defaultDev;
}

export function setDefaultDevice(device: DeviceOrType): void {
  const d = toDevice(device);
  backendFor(d); // throws a clear error when no backend serves this device
  defaultDev = d;
}

function key(d: Device): string {
  return `${d.type}:${d.index}`;
}

export function defaultStream(device?: DeviceOrType): Stream {
  const d = device === undefined ? defaultDev : toDevice(device);
  let s = defaultStreams.get(key(d));
  if (!s) {
    s = new Stream(d);
    defaultStreams.set(key(d), s);
  }
  return s;
}

export function setDefaultStream(stream: Stream): void {
  if (!(stream instanceof Stream)) throw new TypeError('setDefaultStream: expected a Stream');
  defaultStreams.set(key(stream.device), stream);
}

export function newStream(device: DeviceOrType): Stream {
  return new Stream(toDevice(device));
}

/** Resolves the optional last argument of every op to a stream. */
export function toStream(s: StreamOrDevice): Stream {
  if (s === undefined || s === null) return defaultStream();
  if (s instanceof Stream) return s;
  return defaultStream(toDevice(s, 'stream or device'));
}

/** `using _ = mx.stream(mx.cpu)`: runs ops on a stream until disposed. */
export function stream(s: StreamOrDevice): Disposable & { [Symbol.dispose](): void } {
  const target = toStream(s);
  const prevDevice = defaultDev;
  const prevStream = defaultStreams.get(key(target.device));
  defaultDev = target.device;
  defaultStreams.set(key(target.device), target);
  return {
    [Symbol.dispose]() {
      defaultDev = prevDevice;
      if (prevStream) defaultStreams.set(key(target.device), prevStream);
      else defaultStreams.delete(key(target.device));
    },
  };
}

/** Waits for all work queued on a stream (all streams when none is given). */
export function synchronize(s?: Stream): void {
  if (provisional) resolveProvisional();
  const targets = s ? [backendFor(s.device)] : [current.cpu, current.gpu].filter((b): b is Backend => !!b);
  for (const b of targets) {
    const r = b.synchronize();
    if (r && typeof (r as Promise<void>).then === 'function' && !b.syncReadable) {
      throw new Error(`synchronize: backend '${b.name}' can only be waited for asynchronously; use await mx.synchronizeAsync()`);
    }
  }
}

export async function synchronizeAsync(s?: Stream): Promise<void> {
  if (provisional) resolveProvisional();
  const targets = s ? [backendFor(s.device)] : [current.cpu, current.gpu].filter((b): b is Backend => !!b);
  for (const b of targets) await b.synchronize();
}

/** Live bytes per registered backend (mx.memory()). */
export function memory(): Record<string, { active: number; peak: number }> {
  const out: Record<string, { active: number; peak: number }> = {};
  for (const [name, b] of backends) out[name] = b.memory();
  return out;
}

export function getActiveMemory(): number {
  let n = 0;
  for (const b of backends.values()) n += b.memory().active;
  return n;
}

export function getPeakMemory(): number {
  let n = 0;
  for (const b of backends.values()) n += b.memory().peak;
  return n;
}

export function resetPeakMemory(): void {
  for (const b of backends.values()) b.resetPeakMemory();
}
