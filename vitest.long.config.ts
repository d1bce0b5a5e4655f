// `npm run test:long`: the proofs that take minutes (SIGKILL crash cycles, 100,000 fuzzed
// requests). Same conventions as the main suite; not part of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest-long.json' }]],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
