import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configSchema } from '../../starter/config.ts';
import { runWorkflowSteps, workflowRunSteps } from './workflow.ts';

/**
 * Generate → npm ci → the project's own tests, ingest, baseline and regression gate, offline, for the
 * bundled dataset, a folder of Markdown files and a BEIR folder. Slow (minutes: installs, and the first
 * embedding of the bundled corpus), so opt-in: `npm run test:e2e` (.ci/run runs it last), or RAGFOLIO_E2E=1. npm uses
 * its warm cache.
 */
const enabled = process.env.RAGFOLIO_E2E === '1';
const kit = resolve(import.meta.dirname, '../..');
const timings: { step: string; seconds: number }[] = [];

// The outer npm/vitest leave variables that would steer the inner ones (npm_config_*, VITEST_*).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'));
Object.assign(env, { CI: 'true', NO_COLOR: '1', GIT_AUTHOR_NAME: 'E2E Tester', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'E2E Tester', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' });

async function step(label: string, cwd: string, command: string, args: string[]): Promise<string> {
  const started = performance.now();
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`${label}: \`${command} ${args.join(' ')}\` exited ${e.code}\n${e.stdout?.slice(-4000)}\n${e.stderr?.slice(-4000)}`);
  } finally {
    timings.push({ step: label, seconds: (performance.now() - started) / 1000 });
  }
}

let dir: string;
beforeAll(async () => {
  if (enabled) dir = await mkdtemp(join(tmpdir(), 'ragfolio-e2e-'));
});
afterAll(async () => {
  if (!enabled) return;
  console.log(`\ne2e timings\n${timings.map((t) => `${t.seconds.toFixed(1).padStart(7)} s  ${t.step}`).join('\n')}\n`);
  await rm(dir, { recursive: true, force: true });
});

/** `ragfolio new` with the given flags, then `npm ci` unless `ci: false` (the workflow test runs the workflow's own). */
async function generate(label: string, name: string, args: string[] = [], { git = false, ci = true } = {}): Promise<string> {
  const target = join(dir, name);
  await step(`${label}: ragfolio new`, dir, process.execPath, [
    join(kit, 'bin', 'ragfolio.js'),
    'new',
    target,
    '--yes',
    '--no-promptfoo',
    ...(git ? [] : ['--no-git']),
    '--no-install',
    '--author',
    'E2E Tester',
    ...args,
  ]);
  // From the project's shipped lockfile: the versions the kit was tested with.
  if (ci) await step(`${label}: npm ci`, target, 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  return target;
}

const ragfolio = (label: string, cwd: string, ...args: string[]) => step(`${label}: ragfolio ${args.join(' ')}`, cwd, 'npx', ['ragfolio', ...args]);
const npmRun = (label: string, cwd: string, script: string) => step(`${label}: npm run ${script}`, cwd, 'npm', ['run', script]);

describe.skipIf(!enabled)('ragfolio new, end to end (offline)', { timeout: 1_200_000 }, () => {
  // The workflow runs the project's whole unit suite: on a busy 2-core machine that alone can take 20 minutes.
  test('the bundled dataset: its first commit passes the eval workflow, which runs the gate once; a dense-only retriever fails it', { timeout: 3_600_000 }, async () => {
    // With git: the first commit `ragfolio new` makes is what the user pushes.
    const project = await generate('sotu', 'sotu-project', [], { git: true, ci: false });
    const shipped = await readFile(join(kit, 'evals', 'baseline.json'), 'utf8');
    expect(await readFile(join(project, 'evals', 'baseline.json'), 'utf8')).toBe(shipped);
    const steps = await workflowRunSteps(join(project, '.github', 'workflows', 'eval.yml'));
    // Each step's time, the generated project's `npm test` among them.
    const results = await runWorkflowSteps(steps, project, env, (r, seconds) => timings.push({ step: `sotu workflow step: ${r.name} (exit ${r.code})`, seconds }));
    // On failure: the step, vitest's FAIL lines (which test files), then the output's tail.
    const failures = (output: string) =>
      output
        .split('\n')
        .filter((line) => /\bFAIL\b|×/.test(line))
        .join('\n');
    for (const r of results) expect(r.code, `${r.name}\n${failures(r.output)}\n${r.output.slice(-4000)}`).toBe(0);
    expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(['npm ci', 'npm run lint', 'npm run typecheck', 'npm test']));
    // The gate's own run is the evidence that it ran (and was not skipped), against the baseline as shipped.
    const gateRuns = (await readdir(join(project, 'runs'))).filter((f) => f.endsWith('-regression-gate.json'));
    expect(gateRuns).toHaveLength(1);
    expect(await readFile(join(project, 'evals', 'baseline.json'), 'utf8')).toBe(shipped);
    await ragfolio('sotu', project, 'compare');

    // A clearly worse system, committed: dense retrieval alone. The workflow's test step must fail on the gate.
    const configFile = join(project, 'ragfolio.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as { retriever: Record<string, unknown> };
    await writeFile(configFile, `${JSON.stringify({ ...config, retriever: { ...config.retriever, kind: 'dense' } }, null, 2)}\n`);
    await step('sotu: commit a dense-only retriever', project, 'git', ['commit', '--quiet', '--all', '--message', 'Dense retrieval only']);
    const testStep = steps.filter((s) => s.run.trim() === 'npm test');
    expect(testStep).toHaveLength(1);
    // The test step's own command, narrowed to its gate project: the unit tests it also runs passed above, and
    // take most of its time.
    const [failed] = await runWorkflowSteps(
      testStep.map((s) => ({ ...s, run: `${s.run.trim()} -- --project evals` })),
      project,
      env,
      (r, seconds) => timings.push({ step: `sotu, dense-only: ${r.name} (exit ${r.code})`, seconds }),
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.output).toContain('gated metrics regressed');
    // The assertion names the gated metrics that regressed (vitest prints the array with single quotes).
    const gated = configSchema.parse(JSON.parse(await readFile(configFile, 'utf8'))).eval.gate.metrics;
    expect(gated.some((m) => failed?.output.includes(`'${m}'`))).toBe(true);

    // What the user runs next: the write-up and the site have no placeholder, and the project's lint passes over
    // everything they wrote (with the project's own install).
    await ragfolio('sotu', project, 'summary');
    await ragfolio('sotu', project, 'publish', '--no-demo');
    for (const file of ['docs/PROJECT_SUMMARY.md', 'site/index.html', 'site/summary.html', 'site/results.html']) expect(await readFile(join(project, file), 'utf8'), file).not.toMatch(/TODO|⟨|⟩|✎/);
    await npmRun('sotu', project, 'lint');
  });

  test('a folder of 3 Markdown files: npm test, then the eval set written from drafts, baseline and gate', async () => {
    const notes = join(dir, 'Town Notes');
    await mkdir(notes);
    await writeFile(
      join(notes, 'bridge.md'),
      '# The Blue River bridge\n\nThe council approved a new bridge over the Blue River in 1999. It carries four lanes of traffic. Work started in the spring.\n',
    );
    await writeFile(
      join(notes, 'harvest.md'),
      '# Valley harvest\n\nFarmers in the valley grow apples and pears. The harvest this year was the largest in twenty years. Most fruit went to the cider mill.\n',
    );
    await writeFile(join(notes, 'harbor.md'), '# Harbor storm\n\nA storm closed the harbor for three days. Fishing boats stayed at the dock until the wind dropped. No one was hurt.\n');
    const project = await generate('markdown', 'notes-project', ['--dataset', notes]);
    expect(existsSync(join(project, 'datasets', 'town-notes', 'evalset.jsonl'))).toBe(false);
    await npmRun('markdown', project, 'test');
    await ragfolio('markdown', project, 'ingest');

    // What the README asks of the user: draft stubs, write each question and answer, review, append.
    const draftFile = (await ragfolio('markdown', project, 'evalset', 'draft', '--n', '3')).trim();
    const written: Record<string, [string, string]> = {
      bridge: ['Which river does the new bridge cross?', 'Blue River'],
      harvest: ['What fruit do the valley farmers grow?', 'apples'],
      harbor: ['How long was the harbor closed by the storm?', 'three days'],
    };
    const items = (await readFile(draftFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; gold: string[] })
      .map((stub): Record<string, unknown> => {
        const doc = stub.gold[0]?.replace(/-\d{3}$/, '') ?? '';
        const [question, answer] = written[doc] ?? ['', ''];
        return { id: doc, question, answers: [answer], gold: stub.gold, type: 'factoid', split: 'dev' };
      });
    items.push({ id: 'none', question: 'Who won the chess tournament in Oslo?', answers: [], gold: [], type: 'unanswerable', split: 'dev' });
    await writeFile(join(project, 'datasets', 'town-notes', 'evalset.jsonl'), `${items.map((i) => JSON.stringify(i)).join('\n')}\n`);
    await rm(draftFile);

    await ragfolio('markdown', project, 'evalset', 'validate');
    await ragfolio('markdown', project, 'eval', '--save-baseline');
    await npmRun('markdown', project, 'test:evals');
  });

  test('a BEIR folder: its queries and qrels become the eval set; ingest, baseline and gate', async () => {
    const beir = join(dir, 'mini-beir');
    await mkdir(join(beir, 'qrels'), { recursive: true });
    const topics = [
      'Honeybees communicate the location of flowers to hive mates with a waggle dance.',
      'Glaciers carve U-shaped valleys as the ice slowly grinds the bedrock beneath it.',
      'Sourdough bread rises because wild yeast and lactic acid bacteria ferment the dough.',
      'Lighthouses warn ships at night with a rotating beam that has a distinct rhythm.',
      'Octopuses change skin colour using cells called chromatophores to hide from predators.',
      'Volcanic eruptions can cool the climate when sulfur aerosols reach the stratosphere.',
      'Chess openings such as the Sicilian Defence shape the middle game strategy.',
      'Solar panels convert sunlight into electricity with photovoltaic silicon cells.',
      'Penguins huddle together in Antarctic winter storms to conserve body heat.',
      'The printing press spread books across Europe after Gutenberg built it around 1440.',
      'Coral reefs bleach when warm water makes corals expel their symbiotic algae.',
      'Violins are tuned in fifths and their strings vibrate over a hollow wooden body.',
    ];
    const corpus = topics.map((text, i) => JSON.stringify({ _id: `doc${i + 1}`, title: text.split(' ').slice(0, 2).join(' '), text }));
    const questions = [
      'How do honeybees share where flowers are?',
      'What shape of valley do glaciers carve?',
      'What makes sourdough bread rise?',
      'How do lighthouses warn ships?',
      'How do octopuses change colour?',
      'How can volcanoes cool the climate?',
      'Which chess opening is named Sicilian?',
      'How do solar panels make electricity?',
      'Why do penguins huddle in winter?',
      'Who built the printing press?',
      'Why do coral reefs bleach?',
      'How are violins tuned?',
    ];
    await writeFile(join(beir, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
    await writeFile(join(beir, 'queries.jsonl'), `${questions.map((text, i) => JSON.stringify({ _id: `q${i + 1}`, text })).join('\n')}\n`);
    await writeFile(join(beir, 'qrels', 'test.tsv'), `query-id\tcorpus-id\tscore\n${questions.map((_, i) => `q${i + 1}\tdoc${i + 1}\t1`).join('\n')}\n`);
    const project = await generate('beir', 'beir-project', ['--dataset', beir]);
    const evalset = (await readFile(join(project, 'datasets', 'mini-beir', 'evalset.jsonl'), 'utf8')).trim().split('\n');
    expect(evalset).toHaveLength(12);
    await ragfolio('beir', project, 'ingest');
    await ragfolio('beir', project, 'eval', '--save-baseline');
    await npmRun('beir', project, 'test:evals');
  });
});
