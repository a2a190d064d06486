/* The DLPack 1.x exchange structs as the C consumer/producer tests use them, declared from
 * dmlc/dlpack's include/dlpack/dlpack.h (field order and types as there; the names are the
 * spec's). Only what the tests need; the static asserts pin the wasm32 layout that
 * packages/core/src/interop/dlpack-abi.ts reads and writes. */
#ifndef MLX_TS_DLPACK_WASM32_H
#define MLX_TS_DLPACK_WASM32_H
#include <stddef.h>
#include <stdint.h>

#define DLPACK_MAJOR_VERSION 1
#define DLPACK_MINOR_VERSION 1
#define DLPACK_FLAG_BITMASK_READ_ONLY (1UL << 0UL)
#define DLPACK_FLAG_BITMASK_IS_COPIED (1UL << 1UL)

typedef struct { uint32_t major; uint32_t minor; } DLPackVersion;
typedef enum { kDLCPU = 1, kDLWebGPU = 15 } DLDeviceType;
typedef struct { DLDeviceType device_type; int32_t device_id; } DLDevice;
typedef enum { kDLInt = 0U, kDLUInt = 1U, kDLFloat = 2U, kDLBfloat = 4U, kDLComplex = 5U, kDLBool = 6U } DLDataTypeCode;
typedef struct { uint8_t code; uint8_t bits; uint16_t lanes; } DLDataType;

typedef struct {
  void *data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t *shape;
  int64_t *strides; /* in elements; NULL = row-major */
  uint64_t byte_offset;
} DLTensor;

typedef struct DLManagedTensorVersioned {
  DLPackVersion version;
  void *manager_ctx;
  void (*deleter)(struct DLManagedTensorVersioned *self);
  uint64_t flags;
  DLTensor dl_tensor;
} DLManagedTensorVersioned;

/* wasm32: 4-byte pointers, int64/uint64 8-byte aligned. */
_Static_assert(sizeof(void *) == 4, "wasm32 only");
_Static_assert(sizeof(DLManagedTensorVersioned) == 64, "DLManagedTensorVersioned is 64 bytes on wasm32");
_Static_assert(offsetof(DLManagedTensorVersioned, manager_ctx) == 8, "manager_ctx");
_Static_assert(offsetof(DLManagedTensorVersioned, deleter) == 12, "deleter");
_Static_assert(offsetof(DLManagedTensorVersioned, flags) == 16, "flags");
_Static_assert(offsetof(DLManagedTensorVersioned, dl_tensor) == 24, "dl_tensor");
_Static_assert(offsetof(DLTensor, device) == 4 && offsetof(DLTensor, ndim) == 12, "device, ndim");
_Static_assert(offsetof(DLTensor, dtype) == 16 && offsetof(DLTensor, shape) == 20, "dtype, shape");
_Static_assert(offsetof(DLTensor, strides) == 24 && offsetof(DLTensor, byte_offset) == 32, "strides, byte_offset");

#define EXPORT __attribute__((visibility("default")))
#endif
