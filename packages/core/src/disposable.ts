// Symbol.dispose and Disposable, declared for the shipped .d.ts files (array.ts, device.ts use
// them): a consumer whose lib lacks esnext.disposable still type-checks them with
// skipLibCheck: false. Merges with the lib's declarations where it has them.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}
export {};
