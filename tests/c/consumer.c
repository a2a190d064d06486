/* A DLPack consumer in C: reads a DLManagedTensorVersioned that mlx-ts made with
 * mx.dlpack.toStruct, walks any strided float32 layout (shape, strides or NULL, byte_offset)
 * and sums it, then hands the tensor back through its deleter, as DLPack consumers must. */
#include "dlpack_wasm32.h"

/* Layout as clang sees it, for the test to compare with the TS side's offsets. */
EXPORT int32_t layout(int32_t i) {
  switch (i) {
    case 0: return sizeof(DLManagedTensorVersioned);
    case 1: return offsetof(DLManagedTensorVersioned, manager_ctx);
    case 2: return offsetof(DLManagedTensorVersioned, deleter);
    case 3: return offsetof(DLManagedTensorVersioned, flags);
    case 4: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, data);
    case 5: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, device);
    case 6: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, ndim);
    case 7: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, dtype);
    case 8: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, shape);
    case 9: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, strides);
    case 10: return offsetof(DLManagedTensorVersioned, dl_tensor) + offsetof(DLTensor, byte_offset);
    default: return -1;
  }
}

/* What the consumer read, for the test to check field by field: [ndim, shape..., strides...,
 * byte_offset, flags, version.major, version.minor, device_type, code, bits, lanes]. */
static int64_t seen[64];
EXPORT int64_t *seen_fields(void) { return seen; }

/* Errors: -1 wrong major version, -2 not CPU, -3 not float32, -4 too many dims. */
static int32_t check(const DLManagedTensorVersioned *t) {
  if (t->version.major != DLPACK_MAJOR_VERSION) return -1;
  if (t->dl_tensor.device.device_type != kDLCPU) return -2;
  if (t->dl_tensor.dtype.code != kDLFloat || t->dl_tensor.dtype.bits != 32 || t->dl_tensor.dtype.lanes != 1) return -3;
  if (t->dl_tensor.ndim > 16) return -4;
  return 0;
}

static double sum_f32(const DLTensor *t) {
  int32_t nd = t->ndim;
  int64_t strides[16], index[16];
  int64_t n = 1;
  for (int32_t d = nd - 1, run = 1; d >= 0; d--) {
    strides[d] = t->strides ? t->strides[d] : run;
    run *= (int32_t)t->shape[d];
    n *= t->shape[d];
    index[d] = 0;
  }
  const float *base = (const float *)((const char *)t->data + t->byte_offset);
  double acc = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t off = 0;
    for (int32_t d = 0; d < nd; d++) off += index[d] * strides[d];
    acc += base[off];
    for (int32_t d = nd - 1; d >= 0; d--) { /* odometer over the logical row-major order */
      if (++index[d] < t->shape[d]) break;
      index[d] = 0;
    }
  }
  return acc;
}

static void record(const DLManagedTensorVersioned *t) {
  const DLTensor *x = &t->dl_tensor;
  int k = 0;
  seen[k++] = x->ndim;
  for (int32_t d = 0; d < x->ndim; d++) seen[k++] = x->shape[d];
  for (int32_t d = 0; d < x->ndim; d++) seen[k++] = x->strides ? x->strides[d] : -999;
  seen[k++] = (int64_t)x->byte_offset;
  seen[k++] = (int64_t)t->flags;
  seen[k++] = t->version.major;
  seen[k++] = t->version.minor;
  seen[k++] = x->device.device_type;
  seen[k++] = x->dtype.code;
  seen[k++] = x->dtype.bits;
  seen[k++] = x->dtype.lanes;
}

/* Sums the tensor and, when `release` is set, calls its deleter (the tensor is then gone).
 * A negative error code (as a double) when the tensor isn't one this consumer reads; the
 * deleter runs then too, since the consumer took ownership. */
EXPORT double consume_sum(DLManagedTensorVersioned *t, int32_t release) {
  int32_t err = check(t);
  double s = 0;
  if (err == 0) {
    record(t);
    s = sum_f32(&t->dl_tensor);
  }
  if (release && t->deleter) t->deleter(t);
  return err ? (double)err : s;
}

/* Writes through the tensor's memory: element [0, ..., 0] = v (to prove the memory is shared). */
EXPORT void write_first(DLManagedTensorVersioned *t, float v) {
  *(float *)((char *)t->dl_tensor.data + t->dl_tensor.byte_offset) = v;
}
