// Devices, streams and the backend registry. A device type (cpu, gpu) maps to the backend
// currently chosen for it; the CPU one can be switched by name (setCpuBackend).
import './disposable.js'; // the shipped types use Symbol.dispose / Disposable
import type { Backend } from './backend/interface.js';

export type DeviceType = number;
/** Device type constants, as node-mlx has them. */
export const cpu: DeviceType = 0;
export const gpu: DeviceType = 1;
/** MLX's DeviceType enum: `mx.DeviceType.cpu === mx.cpu`. */
export const DeviceType = Object.freeze({ cpu, gpu });

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

/** Whether a backend serves the device (or device type): MLX's is_available. */
export function isAvailable(device: DeviceOrType): boolean {
  const type = device instanceof Device ? device.type : device;
  return type === cpu ? current.cpu !== null : current.gpu !== null;
}

/** How many devices of a type there are: one CPU; one GPU when a GPU backend is registered. */
export function deviceCount(type: DeviceType): number {
  if (type !== cpu && type !== gpu) throw new TypeError(`[device_count] expected mx.cpu or mx.gpu, got ${String(type)}.`);
  return isAvailable(type) ? 1 : 0;
}

/**
 * MLX's device_info: `architecture` and `device_name` of the CPU (from node:os where there is
 * one), the backend's name for a GPU, and an empty object for a device that isn't available.
 */
export function deviceInfo(device?: DeviceOrType | null): Record<string, string | number> {
  const d = device === undefined || device === null ? defaultDev : toDevice(device);
  if (!isAvailable(d)) return {};
  if (d.type === gpu) return current.gpu!.deviceInfo?.() ?? { architecture: current.gpu!.name, device_name: current.gpu!.name };
  const proc = (globalThis as { process?: { arch?: string; getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { cpus?: () => { model: string }[] } | undefined;
  const arch = proc?.arch === 'x64' ? 'x86_64' : (proc?.arch ?? 'unknown');
  return { architecture: arch, device_name: os?.cpus?.()[0]?.model.trim() || 'unknown' };
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

/**
 * MLX's thread-local stream. A JS thread (the main one, or a worker) has its own module
 * instance, so every stream is already local to the thread that made it: this is a Stream.
 */
export class ThreadLocalStream extends Stream {
  override toString(): string {
    return `ThreadLocalStream(${this.device}, ${this.index})`;
  }
}

export function newThreadLocalStream(device: DeviceOrType): ThreadLocalStream {
  return new ThreadLocalStream(toDevice(device));
}

/** A stream for any thread (MLX); JS threads share no streams, so this is newStream. */
export function newThreadUnsafeStream(device: DeviceOrType): Stream {
  return newStream(device);
}

/**
 * MLX's clear_streams: the default streams start afresh (the set ones are forgotten). Streams
 * hold no resources here, so the ones already made keep working.
 */
export function clearStreams(): void {
  defaultStreams.clear();
}

/** Resolves the optional last argument of every op to a stream. */
export function toStream(s: StreamOrDevice): Stream {
  if (s === undefined || s === null) return defaultStream();
  if (s instanceof Stream) return s;
  return defaultStream(toDevice(s, 'stream or device'));
}

/**
 * MLX's StreamContext: makes a stream (and its device) the default from construction until
 * disposed: `using _ = new mx.StreamContext(s)`, or `mx.stream(s)`.
 */
export class StreamContext implements Disposable {
  private readonly target: Stream;
  private readonly prevDevice: Device;
  private readonly prevStream: Stream | undefined;
  constructor(s: StreamOrDevice) {
    this.target = toStream(s);
    this.prevDevice = defaultDev;
    this.prevStream = defaultStreams.get(key(this.target.device));
    defaultDev = this.target.device;
    defaultStreams.set(key(this.target.device), this.target);
  }
  [Symbol.dispose](): void {
    defaultDev = this.prevDevice;
    if (this.prevStream) defaultStreams.set(key(this.target.device), this.prevStream);
    else defaultStreams.delete(key(this.target.device));
  }
}

/**
 * @internal f() with `s` as the default stream: a primitive's transform rules (vjp, jvp, vmap)
 * build their ops on the stream of the node they transform, as MLX's rules use the
 * primitive's stream() (a CPU-only op called with mx.cpu stays on the CPU under vmap).
 */
export function onStream<T>(s: Stream, f: () => T): T {
  if (defaultDev === s.device && defaultStreams.get(key(s.device)) === s) return f();
  const ctx = new StreamContext(s);
  try {
    return f();
  } finally {
    ctx[Symbol.dispose]();
  }
}

/** `using _ = mx.stream(mx.cpu)`: runs ops on a stream until disposed. */
export function stream(s: StreamOrDevice): StreamContext {
  return new StreamContext(s);
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
