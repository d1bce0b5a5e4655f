import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Long proofs (crash cycles, the full fuzz run) have their own script: `npm run test:long`.
    exclude: ['test/long/**', '**/node_modules/**'],
    // The JSON report feeds the one-line count that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
