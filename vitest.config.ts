import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // 2-core machines: keep workers few so suites stay predictable.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
