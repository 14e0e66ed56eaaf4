import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
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
