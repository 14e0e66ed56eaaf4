import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, captureOutput, REPO_ROOT, runCliInProcess, stderrLines } from '../../helpers/cli.ts';
import { createTempProject, type TempProject, tinyConfig } from '../../helpers/temp-project.ts';

// `"store": {"kind": "pgvector"}` without a url: an embedded PGlite under .ragfolio/, offline, one process at a time.
let p: TempProject;
const QUESTION = 'Which river will the bridge cross?';

beforeAll(async () => {
  p = await createTempProject({ config: { ...tinyConfig, store: { kind: 'pgvector' } } });
});
afterAll(async () => rm(p.root, { recursive: true, force: true }));

// One real process besides the test's own: `serve` holds the database while the test's process, a second process,
// is refused; then the test's process takes over the killed holder's lock and reads what its earlier ingest wrote.
// Every other command runs in the test's process (each opens the database anew, as a new process would).
test('ingest and ask work offline; a second process gets a clear error while one holds the database; a killed holder does not block', async () => {
  // ingest closes its store, which releases the lock for the serve process.
  const ingested = await runCliInProcess(['-C', p.root, 'ingest', '--json']);
  expect(ingested.code, ingested.stderr).toBe(0);
  expect(JSON.parse(ingested.stdout)).toMatchObject({ chunks: 5, written: 5, indexDir: expect.stringContaining('embedded PGlite') });

  const serve = spawn(process.execPath, [...CLI, '-C', p.root, 'serve', '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(serve);
  const exited = new Promise<void>((resolve) => serve.on('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      serve.stdout.on('data', () => output().stdout.includes('http://') && resolve());
      void exited.then(() => reject(new Error(`serve exited: ${output().stderr}`)));
    });
    const blocked = await runCliInProcess(['-C', p.root, 'ask', QUESTION]);
    expect(blocked.code, blocked.stderr).toBe(2);
    expect(stderrLines(blocked)).toHaveLength(1);
    expect(blocked.stderr).toMatch(new RegExp(`open in another ragfolio process \\(pid ${serve.pid}\\).*store\\.url`));
  } finally {
    serve.kill('SIGKILL');
    await exited;
  }
  // Commands never close the pipeline: from here on the test's process holds the database, as an `ask` process would.
  const after = await runCliInProcess(['-C', p.root, 'ask', '--json', QUESTION]);
  expect(after.code, after.stderr).toBe(0);
  expect((JSON.parse(after.stdout) as { retrieved: { passageIds: string[] }[] }).retrieved[0]?.passageIds).toEqual(['t-0']);

  // `status` asks the configured store, not the hnswlib files this project never wrote.
  const status = await runCliInProcess(['-C', p.root, 'status', '--json']);
  expect(status.code, status.stderr).toBe(0);
  const milestones = JSON.parse(status.stdout) as { milestone: string; done: boolean; evidence: string }[];
  expect(milestones.find((m) => m.milestone === 'index built')).toMatchObject({ done: true, evidence: expect.stringMatching(/^5 chunks, .*pgvector/) });
}, 300_000); // serve starts an embedded Postgres and loads the model in its own process
