import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';

/**
 * The first ten minutes of a new user, end to end: fresh clone → npm ci → npm start → ragfolio ask →
 * ragfolio new (which installs from the project's shipped lockfile) → the project's npm test → its ragfolio publish. Asserts exit codes
 * and outputs, never times (they are printed for the record). npm runs with --prefer-offline: after .ci/run's own
 * `npm ci` its cache holds every package, so no step needs the network.
 * It clones the kit's committed HEAD; RAGFOLIO_NEWCOMER_SOURCE clones another repository (e.g. one with your
 * uncommitted changes committed).
 */
const enabled = process.env.RAGFOLIO_NEWCOMER === '1';
const source = process.env.RAGFOLIO_NEWCOMER_SOURCE ?? resolve(import.meta.dirname, '../..');
const timings: { step: string; seconds: number }[] = [];

// The outer npm/vitest leave variables that would steer the inner ones (npm_config_*, VITEST_*).
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'));
Object.assign(env, { CI: 'true', NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(label: string, cwd: string, command: string, args: string[]): Promise<Ran> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  } finally {
    timings.push({ step: label, seconds: (performance.now() - started) / 1000 });
  }
}

/** Exit 0, or fail with the command's output tail. */
function ok(ran: Ran, label: string): Ran {
  expect(ran.code, `${label} exited ${ran.code}\n${ran.stdout.slice(-12000)}\n${ran.stderr.slice(-4000)}`).toBe(0);
  return ran;
}

let dir: string;
beforeAll(async () => {
  if (enabled) dir = await mkdtemp(join(tmpdir(), 'ragfolio newcomer '));
});
afterAll(async () => {
  if (!enabled) return;
  console.log(`\nnewcomer timings (not asserted)\n${timings.map((t) => `${t.seconds.toFixed(1).padStart(7)} s  ${t.step}`).join('\n')}\n`);
  await rm(dir, { recursive: true, force: true });
});

const answerSchema = z.object({ answer: z.string(), citations: z.array(z.string()) });
const siteSchema = z.object({ out: z.string(), demo: z.object({ entry: z.string() }).nullable() });

test.skipIf(!enabled)('clone → npm ci → npm start → ask → new → the project’s npm test → publish', async () => {
  const kit = join(dir, 'ragfolio');
  ok(await run('git clone', dir, 'git', ['clone', '--quiet', source, kit]), 'git clone');
  ok(await run('npm ci', kit, 'npm', ['ci']), 'npm ci');

  ok(await run('npm start', kit, 'npm', ['start']), 'npm start');
  // The first start read the shipped vectors: no passage was embedded, so no passage embedding cache was written.
  expect(existsSync(join(kit, 'datasets', 'sotu', 'embeddings', 'use-lite-512.f32'))).toBe(true);
  expect(existsSync(join(kit, '.ragfolio', 'index'))).toBe(true);
  expect(existsSync(join(kit, '.ragfolio', 'cache', 'embeddings-use-lite-512.json'))).toBe(false);

  const asked = ok(await run('ragfolio ask', kit, 'npx', ['ragfolio', 'ask', '--json', 'What top tax rate did Biden want to restore in 2021?']), 'ragfolio ask');
  const answer = answerSchema.parse(JSON.parse(asked.stdout));
  expect(answer.citations.length).toBeGreaterThan(0);
  for (const id of answer.citations) expect(answer.answer).toContain(`[${id}]`);
  expect(answer.answer).toContain('39.6 percent');

  // A folder name with a space: the printed cd step must quote it.
  const target = join(dir, 'my rag');
  const created = ok(
    await run('ragfolio new (npm ci from the shipped lockfile)', kit, 'npx', ['ragfolio', 'new', target, '--name', 'my-rag', '--yes', '--no-git', '--author', 'New Comer']),
    'ragfolio new',
  );
  expect(created.stdout.trim()).toBe(target);
  expect(created.stderr).toContain('installing dependencies (npm ci)');
  expect(created.stderr).toMatch(/cd '[^']*my rag'/);
  expect(existsSync(join(target, 'package-lock.json'))).toBe(true);
  expect(existsSync(join(target, 'node_modules', '@stdlib'))).toBe(false);

  ok(await run('the project: npm test', target, 'npm', ['test']), 'the project’s npm test');

  // Month 6: the link to send. The whole site, demo included, from the project's own install.
  const published = ok(await run('the project: ragfolio publish', target, 'npx', ['ragfolio', 'publish', '--json']), 'ragfolio publish');
  const site = siteSchema.parse(JSON.parse(published.stdout));
  expect(site.out).toBe(join(target, 'site'));
  expect(site.demo?.entry).toBe('demo/index.html');
  for (const page of ['index.html', 'results.html', 'demo/index.html', 'demo/app.js']) expect(existsSync(join(site.out, page)), page).toBe(true);
});
