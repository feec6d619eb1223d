import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Load tests measure timing on a 2-core machine: do not run heavy files side by side.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
