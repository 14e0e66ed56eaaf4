import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:newcomer`: what a new user does first, on a fresh clone (.ci/run runs it after `npm test`).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/newcomer/newcomer.test.ts'],
    // `npm test` also collects this file; it skips itself there, without this variable.
    env: { RAGFOLIO_NEWCOMER: '1' },
    testTimeout: 2_400_000,
    hookTimeout: 600_000,
  },
});
