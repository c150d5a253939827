import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One worker: the wasm backend and the corpus checks are CPU-bound, and there are two cores.
    pool: 'forks',
    fileParallelism: false,
  },
});
