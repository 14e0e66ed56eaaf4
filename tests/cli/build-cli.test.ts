import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { buildCli, builtGridWorker, cliBuildDir, freshBuild } from '../../scripts/cli/build-cli.mjs';

/** A project in miniature: an entry that loads a module by dynamic import, as scripts/ragfolio.ts loads commands. */
function fixtureProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'ragfolio-build-cli-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'starter', 'deep'), { recursive: true });
  writeFileSync(join(root, 'starter', 'deep', 'asset.txt'), 'beside the source');
  writeFileSync(
    join(root, 'starter', 'deep', 'where.ts'),
    [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      'export const where = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename };',
      "export const asset = readFileSync(new URL('./asset.txt', import.meta.url), 'utf8') + ' / ' + readFileSync(join(import.meta.dirname, 'asset.txt'), 'utf8');",
    ].join('\n'),
  );
  writeFileSync(join(root, 'scripts', 'ragfolio.ts'), "const m = await import('../starter/deep/where.ts');\nconsole.log(JSON.stringify({ ...m.where, asset: m.asset }));\n");
  return root;
}

describe('the CLI build (.ragfolio/cli)', () => {
  test('a bundled module still sees its own source file through import.meta, and finds what lies beside it', async () => {
    const root = fixtureProject();
    const entry = await buildCli(root);
    expect(entry.startsWith(cliBuildDir(root))).toBe(true);
    const printed = JSON.parse(execFileSync(process.execPath, [entry], { encoding: 'utf8' })) as Record<string, string>;
    const source = join(root, 'starter', 'deep', 'where.ts');
    expect(printed).toEqual({ url: pathToFileURL(source).href, dirname: join(root, 'starter', 'deep'), filename: source, asset: 'beside the source / beside the source' });
  });

  test('is fresh until a file it was built from changes', async () => {
    const root = fixtureProject();
    const entry = await buildCli(root);
    expect(await freshBuild(root)).toBe(entry);
    writeFileSync(join(root, 'starter', 'deep', 'where.ts'), 'export const where = {}; export const asset = "edited";\n');
    expect(await freshBuild(root)).toBeUndefined();
  });

  test('a project with no build has none to run', async () => {
    expect(await freshBuild(fixtureProject())).toBeUndefined();
    expect(await builtGridWorker(fixtureProject())).toBeUndefined();
  });

  test("builds the experiment grid's worker beside the CLI when the project has one, and offers it only while the build is fresh", async () => {
    const root = fixtureProject();
    await buildCli(root);
    // The miniature has no grid: the CLI alone.
    expect(await builtGridWorker(root)).toBeUndefined();
    mkdirSync(join(root, 'evals', 'grid'), { recursive: true });
    writeFileSync(join(root, 'evals', 'grid', 'worker.ts'), "const m = await import('../../starter/deep/where.ts');\nconsole.log(m.asset);\n");
    await buildCli(root);
    const worker = await builtGridWorker(root);
    expect(worker).toBe(join(cliBuildDir(root), 'grid-worker.js'));
    expect(execFileSync(process.execPath, [worker as string], { encoding: 'utf8' })).toBe('beside the source / beside the source\n');
    writeFileSync(join(root, 'evals', 'grid', 'worker.ts'), 'export {};\n');
    expect(await builtGridWorker(root)).toBeUndefined();
  });
});
