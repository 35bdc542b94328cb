import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The e2e suite drives one browser; keep files sequential on a 2-core machine.
    fileParallelism: false,
  },
});
