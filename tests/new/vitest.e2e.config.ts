import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: only the scaffolder's end-to-end test, with RAGFOLIO_E2E set (it is skipped otherwise).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/new/e2e.test.ts'],
    env: { RAGFOLIO_E2E: '1' },
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
  },
});
