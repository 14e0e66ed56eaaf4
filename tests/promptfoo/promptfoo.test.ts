import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { findPromptfoo, PROMPTFOO_ENV, promptfooCli } from '../../scripts/promptfoo.ts';

// The real promptfoo (pinned, installed on first use: `npm run eval:promptfoo`) against our provider and
// assertions. .ci/run installs it and sets RAGFOLIO_PROMPTFOO_REQUIRED, so there a missing promptfoo fails;
// elsewhere, where nobody installed it, the test skips (tests never download).
const library = findPromptfoo();
const ROOT = join(import.meta.dirname, '..', '..');
const CASES = 6;

const outputSchema = z.object({
  results: z.object({
    stats: z.object({ successes: z.number(), failures: z.number(), errors: z.number() }),
    results: z.array(
      z.object({
        provider: z.object({ id: z.string() }),
        response: z.object({ output: z.string() }).optional(),
        gradingResult: z.object({ componentResults: z.array(z.object({ pass: z.boolean() })) }).nullable(),
      }),
    ),
  }),
});

test.skipIf(!library && !process.env.RAGFOLIO_PROMPTFOO_REQUIRED)(
  `promptfoo eval runs our provider and assertions on ${CASES} cases without errors`,
  async () => {
    if (!library) throw new Error('RAGFOLIO_PROMPTFOO_REQUIRED is set but promptfoo is not installed: run `npm run eval:promptfoo -- --version` first');
    const dir = await mkdtemp(join(tmpdir(), 'ragfolio-promptfoo-'));
    try {
      const out = join(dir, 'results.json');
      const run = spawnSync(process.execPath, [promptfooCli(library), 'eval', '-c', 'promptfooconfig.yaml', '--filter-first-n', String(CASES), '--no-cache', '--no-progress-bar', '-o', out], {
        cwd: ROOT,
        env: { ...process.env, ...PROMPTFOO_ENV, PROMPTFOO_CONFIG_DIR: join(dir, 'config') },
        encoding: 'utf8',
        timeout: 240_000,
      });
      // 0: every case passed; 100: some case failed an assertion (an eval, not a gate). Anything else is a crash.
      expect([0, 100], `${run.stdout}\n${run.stderr}`).toContain(run.status);
      const { results } = outputSchema.parse(JSON.parse(await readFile(out, 'utf8')));
      expect(results.stats.errors).toBe(0);
      expect(results.stats.successes + results.stats.failures).toBe(CASES);
      for (const r of results.results) {
        expect(r.provider.id).toBe('ragfolio'); // evals/promptfoo/provider.ts answered
        expect(r.response?.output.length).toBeGreaterThan(0);
        expect(r.gradingResult?.componentResults.length).toBeGreaterThan(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  300_000,
);
