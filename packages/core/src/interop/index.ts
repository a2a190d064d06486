// Interop: TypedArrays (copies and zero-copy views), DLPack, files, adapters to other frameworks.
export * from './io/index.js';
export * from './arrays.js';
