// MLX runs its linalg factorizations on the CPU only: on the GPU they raise MLX's message (the
// one its linalg ops give for a GPU stream), not the generic missing-kernel error.
const PREFIX: Record<string, string> = {
  Inverse: '[linalg::inv]',
  Cholesky: '[linalg::cholesky]',
  QRF: '[linalg::qr]',
  SVD: '[linalg::svd]',
  Eigh: '[linalg::eigh]',
  Eig: '[linalg::eig]',
  LUF: '[linalg::lu_factor]',
};

/** MLX's error for a CPU-only primitive, or null for any other. */
export function cpuOnlyError(primitive: string): Error | null {
  const p = PREFIX[primitive];
  return p ? new Error(`${p} This op is not yet supported on the GPU. Explicitly pass a CPU stream to run it.`) : null;
}
