import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run against the TypeScript sources, so `pnpm test` needs no build to see a change.
export default defineConfig({
  resolve: {
    // Exact matches, so that '@mlx-ts/core/testing' doesn't resolve into the main entry.
    alias: [
      { find: /^@mlx-ts\/core$/, replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
      { find: /^@mlx-ts\/core\/testing$/, replacement: fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)) },
      { find: /^mlx-ts$/, replacement: fileURLToPath(new URL('./packages/mlx/src/index.ts', import.meta.url)) },
      { find: /^mlx-ts\/nn$/, replacement: fileURLToPath(new URL('./packages/mlx/src/nn/index.ts', import.meta.url)) },
      { find: /^mlx-ts\/optimizers$/, replacement: fileURLToPath(new URL('./packages/mlx/src/optimizers/index.ts', import.meta.url)) },
      { find: /^mlx-ts\/utils$/, replacement: fileURLToPath(new URL('./packages/mlx/src/utils.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    // --expose-gc lets the memory tests prove that collected arrays release storage.
    execArgv: ['--expose-gc'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every suite runs on both CPU backends: the default (wasm) and the reference one. Run
    // once, in the default project only: the MLX-differential suites (packages/mlx's
    // mlx-differential.test.ts too), and the WASM oracle
    // suites (packages/core/test/wasm-*.test.ts), which choose their backends themselves and
    // compare the WASM kernels with the reference ones op by op, whatever the default is, and
    // the GPU suites (packages/metal-backend/test: the WebGPU backend against the reference one),
    // the browser suite (tests/browser: the WASM backend's threads in headless Chromium), the
    // examples (tests/examples: real training runs), and the universal-import matrix
    // (tests/universal: the packed packages in every runtime).
    // `--project wasm` or `--project reference` runs one of them.
    projects: [
      { extends: true, test: { name: 'wasm' } },
      {
        extends: true,
        test: {
          name: 'reference',
          env: { MLX_TS_CPU_BACKEND: 'reference' },
          exclude: [
            '**/node_modules/**',
            'tests/differential/**',
            'tests/autograd/differential-grad.test.ts',
            'packages/core/test/wasm-*.test.ts',
            'packages/mlx/test/mlx-differential.test.ts',
            'tests/browser/**',
            // the examples train real models: minutes on the reference loops, seconds on WASM
            'tests/examples/**',
            'tests/universal/**',
            // the GPU suites compare the GPU with the reference backend themselves
            'packages/metal-backend/test/**',
          ],
        },
      },
    ],
  },
});
