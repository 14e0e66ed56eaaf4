import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliInProcess, stderrLines } from '../../helpers/cli.ts';
import { createTempProject, type TempProject, tinyPassages } from '../../helpers/temp-project.ts';

// Issue 16, point 4: a manifest field that disagrees with the files it describes makes the index stale,
// exactly like a checksum mismatch: `ask` says to run ingest (exit 2) and `ingest` rebuilds.
let p: TempProject;
let manifestFile: string;
let original: string;

beforeAll(async () => {
  p = await createTempProject();
  const ingested = await runCliInProcess(['-C', p.root, 'ingest', '--json']);
  expect(ingested.code, ingested.stderr).toBe(0);
  const [name] = await readdir(join(p.root, '.ragfolio', 'index'));
  manifestFile = join(p.root, '.ragfolio', 'index', name ?? '', 'manifest.json');
  original = await readFile(manifestFile, 'utf8');
});
afterAll(async () => rm(p.root, { recursive: true, force: true }));

const edits: [string, (m: Record<string, unknown>) => void][] = [
  ['dims', (m) => Object.assign(m, { dims: 384 })],
  ['chunkCount', (m) => Object.assign(m, { chunkCount: tinyPassages.length + 2 })],
];

describe.each(edits)('a manifest whose %s disagrees with the files', (field, edit) => {
  test('ask → exit 2 telling to run ingest; ingest rebuilds; ask answers', async () => {
    const manifest = JSON.parse(original) as Record<string, unknown>;
    edit(manifest);
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    const asked = await runCliInProcess(['-C', p.root, 'ask', 'Which river will the bridge cross?']);
    expect(asked.code, asked.stderr).toBe(2);
    expect(stderrLines(asked)).toHaveLength(1);
    expect(asked.stderr).toContain(field);
    expect(asked.stderr).toContain('`ragfolio ingest`');

    const repaired = await runCliInProcess(['-C', p.root, 'ingest', '--json']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ upToDate: false, cacheMisses: 0 });
    expect(JSON.parse(await readFile(manifestFile, 'utf8'))).toMatchObject({ dims: 512, chunkCount: tinyPassages.length });

    const again = await runCliInProcess(['-C', p.root, 'ask', '--json', 'Which river will the bridge cross?']);
    expect(again.code, again.stderr).toBe(0);
  });
});
