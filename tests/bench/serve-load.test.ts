import { expect, test } from 'vitest';
import { benchServeLoad } from '../../bench/sections/serve-load.ts';
import { loadProjectConfig } from '../../starter/config.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

// Here, not in tests/server: generated projects copy tests/server but not bench/.
test('serve load bench (smoke; the benchmark runs 500 × 8 in npm run bench): 20 requests, 4 at a time, no errors', async () => {
  const result = await benchServeLoad(await loadProjectConfig(REPO_ROOT), { requests: 20, concurrency: 4 });
  expect(result).toMatchObject({ requests: 20, concurrency: 4, errors: 0 });
  expect(result.p95).toBeGreaterThanOrEqual(result.p50);
});
