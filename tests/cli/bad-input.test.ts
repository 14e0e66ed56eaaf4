import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliResult, runCliInProcess, stderrLines } from '../helpers/cli.ts';
import { createTempProject, snapshotFiles, type TempProject, tinyConfig, tinyCorpusText, tinyPassages } from '../helpers/temp-project.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function project(options: Parameters<typeof createTempProject>[0] = {}): Promise<TempProject> {
  const p = await createTempProject(options);
  roots.push(p.root);
  return p;
}

/**
 * Run the CLI on a project and check the user-error contract: exit 2, exactly one stderr line starting
 * "ragfolio: ", nothing on stdout, and the user's config and corpus byte-for-byte unchanged.
 */
async function expectUserError(p: TempProject, args: string[], pattern: RegExp): Promise<string> {
  const before = await snapshotFiles([p.configFile, p.corpusFile]);
  const result = await runCliInProcess(['-C', p.root, ...args]);
  expectOneLineUserError(result, pattern);
  expect(await snapshotFiles([p.configFile, p.corpusFile])).toEqual(before);
  return result.stderr;
}

function expectOneLineUserError(result: CliResult, pattern: RegExp): void {
  expect(result.code, `stderr: ${result.stderr}`).toBe(2);
  const lines = stderrLines(result);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^ragfolio: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/internal error|\n\s+at /);
  expect(result.stdout).toBe('');
}

async function vectorsFile(root: string): Promise<string> {
  const indexes = await readdir(join(root, '.ragfolio', 'index'));
  expect(indexes).toHaveLength(1);
  return join(root, '.ragfolio', 'index', indexes[0]!, 'vectors.hnsw');
}

describe('ragfolio CLI on bad input', () => {
  test('malformed JSON in the config → exit 2, naming ragfolio.config.json', async () => {
    const p = await project({ config: '{\n  "dataset": "datasets/x",\n  "retriever": { "k": 3 \n' });
    const stderr = await expectUserError(p, ['ingest'], /ragfolio\.config\.json:4:1: not valid JSON/);
    expect(stderr).toContain(p.configFile);
  });

  test('an unknown field in the config → exit 2, naming the file and the field', async () => {
    const p = await project({ config: { ...tinyConfig, retriver: { k: 3 } } });
    await expectUserError(p, ['ingest'], /ragfolio\.config\.json: .*"retriver"/);
    const nested = await project({ config: { ...tinyConfig, retriever: { kind: 'hybrid', topK: 3 } } });
    await expectUserError(nested, ['ask', 'Which river?'], /ragfolio\.config\.json: retriever: .*"topK"/);
  });

  test('a wrong type in the config → exit 2, naming the field', async () => {
    const p = await project({ config: { ...tinyConfig, retriever: { k: 'five' } } });
    await expectUserError(p, ['ingest'], /ragfolio\.config\.json: retriever\.k: /);
  });

  test('a missing corpus → exit 2, naming corpus.jsonl', async () => {
    const p = await project({ corpus: null });
    const stderr = await expectUserError(p, ['ingest'], /corpus\.jsonl: corpus file not found/);
    expect(stderr).toContain(p.corpusFile);
  });

  test('a corpus line with a missing field → exit 2, naming corpus.jsonl:<line> and the field', async () => {
    const lines = tinyCorpusText.trimEnd().split('\n');
    const broken = JSON.parse(lines[2]!) as Record<string, unknown>;
    delete broken.text;
    lines[2] = JSON.stringify(broken);
    const p = await project({ corpus: `${lines.join('\n')}\n` });
    await expectUserError(p, ['ingest'], /corpus\.jsonl:3:1: text: /);
  });

  test('a corpus line that is not JSON → exit 2, naming its line, column and why', async () => {
    const lines = tinyCorpusText.trimEnd().split('\n');
    lines[1] = '{"id": "t-1", "docId" "doc-1"}';
    const p = await project({ corpus: `${lines.join('\n')}\n` });
    await expectUserError(p, ['ingest'], /corpus\.jsonl:2:23: not valid JSON \((Unexpected string|Expected ':' after property name)\)\. Each line must be/);
  });

  test('ask before any ingest → exit 2, telling to run ingest', async () => {
    const p = await project();
    await expectUserError(p, ['ask', 'What did the committee approve over the Blue River?'], /no index yet\. Run `ragfolio ingest` first/);
  });

  test('an invalid --k → exit 2', async () => {
    const p = await project();
    await expectUserError(p, ['ask', '--k', '0', 'Which river?'], /--k must be a whole number from 1 to 100/);
  });
});

describe('messages say what is wrong, and only that', () => {
  test('eval --repeat 0 names --repeat, not --split', async () => {
    const p = await project();
    await expectUserError(p, ['eval', '--repeat', '0'], /^ragfolio: --repeat 0: give a whole number of repeats from 1 to 100\.$/);
    await expectUserError(p, ['eval', '--split', 'train'], /^ragfolio: --split train: give dev, test or all\.$/);
  });

  test('compare given a folder says it is a folder, not that it is invalid JSON', async () => {
    const p = await project();
    await expectUserError(p, ['compare', p.root, 'latest'], /: a folder, not a run file\. Pass a run file \(runs\/<time>-<label>\.json\), "baseline" or "latest"\.$/);
  });

  test('experiment --grid k=0,5 blames the --grid value, not ragfolio.config.json', async () => {
    const p = await project();
    const stderr = await expectUserError(p, ['experiment', '--grid', 'k=0,5'], /^ragfolio: --grid k=0: retriever\.k: .*Give --grid values the config allows\.$/);
    expect(stderr).not.toContain('ragfolio.config.json');
  });

  test('evalset validate counts "1 problem", not "1 problems"', async () => {
    const p = await project();
    const file = join(p.root, 'one-problem.jsonl');
    await writeFile(file, `${JSON.stringify({ id: 'q1', question: 'Which river?', answers: ['Blue River'], gold: ['nope'], type: 'factoid', split: 'dev' })}\n`);
    const result = await runCliInProcess(['-C', p.root, 'evalset', 'validate', file]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/ · 1 problem\n$/);
  });
});

describe('ragfolio CLI on an ingested project', () => {
  let p: TempProject;
  let ingestResult: CliResult;
  beforeAll(async () => {
    p = await project();
    ingestResult = await runCliInProcess(['-C', p.root, 'ingest', '--json']);
  });

  test('ingest indexes the temp corpus with the local provider', () => {
    expect(ingestResult.code, ingestResult.stderr).toBe(0);
    expect(JSON.parse(ingestResult.stdout)).toMatchObject({ passages: tinyPassages.length, chunks: tinyPassages.length, upToDate: false });
  });

  test('happy path: ask --json prints only JSON, citing ids of the temp corpus', async () => {
    const before = await snapshotFiles([p.configFile, p.corpusFile]);
    const result = await runCliInProcess(['-C', p.root, 'ask', '--json', 'How long was the harbor closed by the storm?']);
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as { question: string; answer: string; citations: string[]; abstained: boolean; retrieved: { passageIds: string[] }[] };
    const ids = new Set<string>(tinyPassages.map(([id]) => id));
    expect(record.question).toBe('How long was the harbor closed by the storm?');
    expect(record.abstained).toBe(false);
    expect(record.citations.length).toBeGreaterThan(0);
    for (const id of record.citations) expect(ids.has(id)).toBe(true);
    expect(record.citations).toContain('t-3');
    expect(record.answer).toContain('three days');
    expect(record.retrieved).toHaveLength(3);
    for (const r of record.retrieved) for (const id of r.passageIds) expect(ids.has(id)).toBe(true);
    expect(await snapshotFiles([p.configFile, p.corpusFile])).toEqual(before);
  });

  test('a corrupted index file → exit 2 mentioning corrupted and `ragfolio ingest`; ask does not overwrite it', async () => {
    // A copy of the ingested project, so the happy path above keeps a good index.
    const copy: TempProject = { root: `${p.root}-corrupt`, configFile: '', corpusFile: '' };
    roots.push(copy.root);
    await cp(p.root, copy.root, { recursive: true });
    copy.configFile = join(copy.root, 'ragfolio.config.json');
    copy.corpusFile = join(copy.root, 'datasets', 'x', 'corpus.jsonl');

    const file = await vectorsFile(copy.root);
    const bytes = await readFile(file);
    bytes.write('CORRUPTED!', 200, 'latin1');
    await writeFile(file, bytes);

    const stderr = await expectUserError(copy, ['ask', 'What did the committee approve over the Blue River?'], /corrupted/);
    expect(stderr).toContain('vectors.hnsw');
    expect(stderr).toContain('`ragfolio ingest`');
    expect(await readFile(file)).toEqual(bytes);

    // Following the advice works: ingest notices the damage and rebuilds (from the embedding cache), then ask answers.
    const repair = await runCliInProcess(['-C', copy.root, 'ingest', '--json']);
    expect(repair.code, repair.stderr).toBe(0);
    expect(JSON.parse(repair.stdout)).toMatchObject({ upToDate: false, cacheMisses: 0, cacheHits: tinyPassages.length });
    expect(await readFile(file)).not.toEqual(bytes);
    const asked = await runCliInProcess(['-C', copy.root, 'ask', '--json', 'What did the committee approve over the Blue River?']);
    expect(asked.code, asked.stderr).toBe(0);
    expect((JSON.parse(asked.stdout) as { citations: string[] }).citations).toContain('t-0');
  });

  test('ingest again with nothing changed is up to date and embeds nothing', async () => {
    const result = await runCliInProcess(['-C', p.root, 'ingest', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ upToDate: true, cacheMisses: 0 });
  });
});
