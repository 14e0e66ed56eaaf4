import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Folders whose tests restore whatever process state they change (process.env, stdout, the exit code) and use no
 * mocks: their files share a worker's loaded modules, and the USE-lite model a file before them loaded
 * (`isolate: false`), instead of starting a fresh process and re-importing the same modules for every file.
 */
const SHARED_WORKER_TESTS = ['tests/evals/**/*.test.ts', 'tests/starter/answer/**/*.test.ts', 'tests/new/**/*.test.ts'];

const UNIT = { globalSetup: ['tests/global-setup.ts'], testTimeout: 60_000, hookTimeout: 300_000 };

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
          ...UNIT,
        },
      },
      { test: { name: 'unit-shared', include: SHARED_WORKER_TESTS, isolate: false, ...UNIT } },
      {
        // The regression gate (`npm run test:evals`): re-runs the eval and fails on a significant regression.
        test: { name: 'evals', include: ['evals/**/*.test.ts'], globalSetup: ['tests/global-setup.ts'], testTimeout: 600_000 },
      },
    ],
  },
});
