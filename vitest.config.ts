import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run against the TypeScript sources, so `pnpm test` needs no build to see a change.
export default defineConfig({
  resolve: {
    // Exact matches, so that '@mlx-ts/core/testing' doesn't resolve into the main entry.
    alias: [
      { find: /^@mlx-ts\/core$/, replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
      { find: /^@mlx-ts\/core\/testing$/, replacement: fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    // --expose-gc lets the memory tests prove that collected arrays release storage.
    execArgv: ['--expose-gc'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
