import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // the Ollama contract against a real Ollama runs only when one is given (OLLAMA_URL); the
    // engine's real contract is always collected and reports its tests skipped, saying why
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.OLLAMA_URL ? [] : ['test/contract/ollama-real.contract.test.ts']),
    ],
    // 2-core machines: keep workers few so suites stay predictable.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
