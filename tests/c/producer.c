/* A DLPack producer in C: its own float32 buffer (static data of this module, placed in the
 * shared memory by mx.dlpack.loadModule), described by a DLManagedTensorVersioned with a
 * column-major (Fortran) layout and a non-zero byte_offset, handed to mlx-ts by pointer.
 * The deleter counts its calls in C memory, where the test reads them. */
#include "dlpack_wasm32.h"

#define ROWS 3
#define COLS 4
#define SKIP 2 /* leading floats before element [0, 0]: byte_offset = SKIP * 4 */

static float buffer[SKIP + ROWS * COLS];
static int64_t shape[2] = {ROWS, COLS};
static int64_t strides[2] = {1, ROWS}; /* column-major */
static int32_t deleted; /* deleter calls */
static DLManagedTensorVersioned *last_deleted;

static void producer_deleter(DLManagedTensorVersioned *self) {
  deleted++;
  last_deleted = self;
}

/* A static initializer with pointers: the loader must apply its data relocations. */
static DLManagedTensorVersioned tensor = {
  .version = {DLPACK_MAJOR_VERSION, DLPACK_MINOR_VERSION},
  .manager_ctx = &deleted,
  .deleter = producer_deleter,
  .flags = 0,
  .dl_tensor = {
    .data = buffer,
    .device = {kDLCPU, 0},
    .ndim = 2,
    .dtype = {kDLFloat, 32, 1},
    .shape = shape,
    .strides = strides,
    .byte_offset = SKIP * sizeof(float),
  },
};

/* Element [i, j] = 10 * i + j + scale; the padding before it holds -1. */
EXPORT DLManagedTensorVersioned *produce(float scale, int32_t flags) {
  for (int k = 0; k < SKIP; k++) buffer[k] = -1;
  for (int i = 0; i < ROWS; i++)
    for (int j = 0; j < COLS; j++) buffer[SKIP + i * strides[0] + j * strides[1]] = 10.0f * i + j + scale;
  tensor.flags = (uint64_t)flags;
  return &tensor;
}

/* A tensor with an unsupported major version, to check that the consumer still deletes it. */
EXPORT DLManagedTensorVersioned *produce_version(uint32_t major) {
  produce(0, 0);
  tensor.version.major = major;
  return &tensor;
}

EXPORT void restore_version(void) { tensor.version.major = DLPACK_MAJOR_VERSION; }

EXPORT void set_element(int32_t i, int32_t j, float v) { buffer[SKIP + i * strides[0] + j * strides[1]] = v; }
EXPORT int32_t *deleted_flag(void) { return &deleted; }
EXPORT DLManagedTensorVersioned *last_deleted_tensor(void) { return last_deleted; }
EXPORT float *buffer_address(void) { return buffer; }
