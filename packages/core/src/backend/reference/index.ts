// The pure-TS reference backend: plain loops, one file per family of primitives. It is the
// oracle every other backend is compared against, so clarity beats speed here.
import type { ArrayData, Backend, Storage } from '../interface.js';
import type { Primitive } from '../../primitive.js';
import { kernels } from './registry.js';
import { outOfMemory, outOfMemoryAdvice } from '../../out-of-memory.js';
import './copy.js';
import './elementwise.js';
import './creation.js';
import './shape.js';
import './reduce.js';
import './scan.js';
import './sort.js';
import './indexing.js';
import './matmul.js';
import './linalg.js';
import './conv.js';
import './quantized.js';
import './matmul-variants.js';
import './random.js';
import './fft.js';
import './compiled.js';
import './fast.js';
import './hadamard.js';

interface HostStorage extends Storage {
  readonly bytes: Uint8Array;
  readonly onRelease?: () => void;
}

export class ReferenceBackend implements Backend {
  readonly name: string = 'reference';
  readonly kind = 'cpu' as const;
  readonly syncReadable = true;
  private active = 0;
  private peak = 0;

  allocate(byteLength: number): Storage {
    if (!Number.isInteger(byteLength) || byteLength < 0) throw new RangeError(`allocate: invalid byte length ${byteLength}`);
    let bytes: Uint8Array;
    try {
      // 8-byte aligned length so BigInt64Array and Float64Array views always fit.
      bytes = new Uint8Array(new ArrayBuffer(Math.ceil(byteLength / 8) * 8), 0, byteLength);
    } catch (e) {
      // the engine's length limit, or no memory: either way this size can't be had here
      if (!(e instanceof RangeError)) throw e;
      // freeing arrays can help only where they hold as much as was asked for
      const advice = this.active >= byteLength ? ` ${outOfMemoryAdvice}` : '';
      throw outOfMemory(this.name, byteLength, `the JavaScript engine refused a buffer of that size (${e.message}).${advice}`, e);
    }
    this.active += byteLength;
    this.peak = Math.max(this.peak, this.active);
    const s: HostStorage = { backend: this, byteLength, refs: 0, released: false, bytes };
    return s;
  }

  adopt(bytes: Uint8Array, onRelease?: () => void): Storage | null {
    // Kernels view storage as any dtype, which needs 8-byte alignment; memory that can
    // shrink under us (resizable buffers) could turn reads into garbage.
    const buffer = bytes.buffer as ArrayBufferLike & { resizable?: boolean; growable?: boolean };
    if (bytes.byteOffset % 8 !== 0 || buffer.resizable || buffer.growable) return null;
    this.active += bytes.byteLength;
    this.peak = Math.max(this.peak, this.active);
    const s: HostStorage = { backend: this, byteLength: bytes.byteLength, refs: 0, released: false, bytes, onRelease };
    return s;
  }

  release(storage: Storage): void {
    this.active -= storage.byteLength;
    (storage as HostStorage).onRelease?.();
  }

  hostBytes(storage: Storage): Uint8Array {
    if (storage.released) throw new Error('internal: read of released storage');
    return (storage as HostStorage).bytes;
  }

  async read(storage: Storage, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    return this.readSync(storage, byteOffset, byteLength);
  }

  readSync(storage: Storage, byteOffset: number, byteLength: number): Uint8Array {
    return this.hostBytes(storage).slice(byteOffset, byteOffset + byteLength);
  }

  write(storage: Storage, byteOffset: number, bytes: Uint8Array): void {
    this.hostBytes(storage).set(bytes, byteOffset);
  }

  run(prim: Primitive<any>, inputs: readonly ArrayData[], outputs: readonly ArrayData[]): void {
    const k = kernels.get(prim.name);
    if (!k) throw new Error(`The ${this.name} backend has no kernel for primitive ${prim.name}`);
    k(prim, inputs, outputs);
  }

  synchronize(): void {}

  memory(): { active: number; peak: number } {
    return { active: this.active, peak: this.peak };
  }

  resetPeakMemory(): void {
    this.peak = 0;
  }
}
