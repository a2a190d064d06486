// TypedArray copies and views, BufferError, asarray, DLPack (JS protocol), adapters.
export { BufferError } from './buffer-error.js';
export { setInteropWarningHandler, type InteropWarningHandler } from './exported-memory.js';
export { toTypedArray, asarray, type ToTypedArrayOptions, type AsArrayOptions } from './typed-array.js';
export {
  fromDlpack,
  DLDeviceType,
  DLDataTypeCode,
  DLPackFlags,
  DLPACK_VERSION,
  type DLPackCapsule,
  type DLTensor,
  type DLPackProducer,
  type DLPackExportOptions,
  type FromDlpackOptions,
} from './dlpack.js';
export { toTfjs, fromTfjs, fromTfjsAsync, type TfjsTensorLike, type TfjsModuleLike, type TfjsConversionOptions } from './adapters/tfjs.js';
export { toOrtTensor, fromOrtTensor, type OrtTensorLike, type OrtModuleLike, type OrtConversionOptions } from './adapters/ort.js';
export { toNdarray, fromNdarray, type NdarrayLike, type NdarrayFactory, type NdarrayConversionOptions } from './adapters/ndarray.js';
export * as dlpack from './dlpack-abi.js';
