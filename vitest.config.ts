import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

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
          // Test files restore whatever process state they change (process.env, stdout, the exit code) and use no
          // mocks, so a worker runs file after file with the modules, and the USE-lite model, that earlier files
          // loaded, instead of starting a fresh process and re-importing them for every file.
          isolate: false,
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        // The regression gate (`npm run test:evals`): re-runs the eval and fails on a significant regression.
        test: { name: 'evals', include: ['evals/**/*.test.ts'], globalSetup: ['tests/global-setup.ts'], testTimeout: 600_000 },
      },
    ],
  },
});
