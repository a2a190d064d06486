// The kernels' loader (packages/kernels-wasm/src/kernels.js): one module is embedded (shared
// memory), and the plain-memory module is derived from it by rewriting the memory import's
// limits. Checked on the real kernels and on small hand-made modules whose import sections
// hold every kind of import before the memory.
import { describe, test, expect } from 'vitest';
import { kernelBytes, kernelModule, plainMemoryVariant } from '@mlx-ts/kernels-wasm';

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

/** A module importing a function, a table, a global and then a memory with `limits`; it exports `size() -> memory.size`. */
function moduleWith(limits: number[]): Uint8Array {
  const types = section(1, [2, 0x60, 0, 0, 0x60, 0, 1, 0x7f]); // () -> (), () -> i32
  const imports = section(2, [
    4,
    ...name('m'), ...name('f'), 0x00, 0, // func of type 0
    ...name('m'), ...name('t'), 0x01, 0x70, 0x01, 1, 2, // funcref table, min 1 max 2
    ...name('m'), ...name('g'), 0x03, 0x7f, 0x00, // const i32 global
    ...name('env'), ...name('memory'), 0x02, ...limits,
  ]);
  const funcs = section(3, [1, 1]);
  const exports = section(7, [1, ...name('size'), 0x00, 1]);
  const code = section(10, [1, 4, 0, 0x3f, 0x00, 0x0b]); // memory.size; end
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

const otherImports = { m: { f: () => {}, t: new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: 2 }), g: new WebAssembly.Global({ value: 'i32', mutable: false }, 0) } };

describe('the plain-memory module derived from the shared one', () => {
  test('a hand-made module: shared (min 2, max 300) becomes plain (min 2, no max); everything else is kept', () => {
    const shared = moduleWith([0x03, 2, ...leb(300)]);
    const plain = plainMemoryVariant(shared);
    expect(Array.from(plain)).toEqual(Array.from(moduleWith([0x00, 2])));
    const memory = new WebAssembly.Memory({ initial: 3, maximum: 10 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(plain as BufferSource), { ...otherImports, env: { memory } });
    expect((inst.exports.size as () => number)()).toBe(3);
    // the original refuses a plain memory: the rewrite is what makes it fit
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(shared as BufferSource), { ...otherImports, env: { memory } })).toThrow(WebAssembly.LinkError);
  });

  test('refuses a module whose memory is not shared, or that imports none', () => {
    expect(() => plainMemoryVariant(moduleWith([0x01, 1, 4]))).toThrow(/not shared with a maximum/);
    const noMemory = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 0]), ...section(2, [1, ...name('m'), ...name('f'), 0x00, 0])]);
    expect(() => plainMemoryVariant(noMemory)).toThrow(/imports no memory/);
  });

  test('the kernels: the plain module differs from the shared one only by its memory limits, with the same exports; bytes are handed out as copies', () => {
    const shared = kernelBytes(true);
    const plain = kernelBytes(false);
    // flag 0x03 with a 3-byte maximum (65536 pages) -> flag 0x00, no maximum: 3 bytes fewer
    expect(shared.length - plain.length).toBe(3);
    expect(Array.from(plainMemoryVariant(shared))).toEqual(Array.from(plain));
    expect(WebAssembly.Module.exports(kernelModule(false))).toEqual(WebAssembly.Module.exports(kernelModule(true)));
    // copies: a caller may not change the cached bytes
    plain[0] = 0xff;
    expect(kernelBytes(false)[0]).toBe(0x00);
  });
});
