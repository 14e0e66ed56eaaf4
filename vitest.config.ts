import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests of pure functions over in-memory data (statistics, metrics, the answerer's parts, the scaffolder's
 * planner): no environment changes, servers, models or mocks, so they can share a worker's loaded modules
 * (`isolate: false`) instead of starting a fresh process and re-importing the same modules for every file.
 */
const SHARED_WORKER_TESTS = ['tests/evals/stats/**/*.test.ts', 'tests/evals/metrics/**/*.test.ts', 'tests/starter/answer/**/*.test.ts', 'tests/new/**/*.test.ts'];

export default defineConfig({
  test: {
    // vitest's default for `run` is one worker fewer than the cores: a single worker on a 2-core machine, so files
    // ran one at a time and the second core sat idle whenever no child process or worker thread was busy. Test
    // files share nothing they write (each makes its own temp project; servers listen on port 0).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: SHARED_WORKER_TESTS,
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: { name: 'unit-shared', include: SHARED_WORKER_TESTS, isolate: false, testTimeout: 60_000 },
      },
      {
        // The regression gate (`npm run test:evals`): re-runs the eval and fails on a significant regression.
        test: { name: 'evals', include: ['evals/**/*.test.ts'], globalSetup: ['tests/global-setup.ts'], testTimeout: 600_000 },
      },
    ],
  },
});
