import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Five short passages, one document each: small enough to ingest with USE-lite in about a second. */
export const tinyPassages = [
  ['t-0', 'The committee approved a new bridge over the Blue River in 1999. It will carry four lanes of traffic.'],
  ['t-1', 'Farmers in the valley grow apples and pears. The harvest was the largest in twenty years.'],
  ['t-2', 'The city library opened a reading room for children. Volunteers read stories every Saturday morning.'],
  ['t-3', 'A storm closed the harbor for three days. Fishing boats stayed at the dock until the wind dropped.'],
  ['t-4', 'The school board hired forty new teachers. Classes will be smaller next autumn.'],
] as const;

export const tinyCorpusText = `${tinyPassages.map(([id, text], i) => JSON.stringify({ id, docId: `doc-${i}`, title: 'Town news', text, start: 0, end: text.length, meta: {} })).join('\n')}\n`;

export const tinyConfig = { dataset: 'datasets/x', embeddings: { provider: 'local', workers: 1 }, retriever: { kind: 'hybrid', k: 3 } };

export interface TempProject {
  root: string;
  configFile: string;
  corpusFile: string;
}

/**
 * A project folder under the OS temp dir. `config` is written as given when it is a string (so tests can
 * write broken JSON), as JSON otherwise; `corpus: null` writes no corpus file at all.
 */
export async function createTempProject(options: { config?: unknown; corpus?: string | null } = {}): Promise<TempProject> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-project-'));
  const configFile = join(root, 'ragfolio.config.json');
  const corpusFile = join(root, 'datasets', 'x', 'corpus.jsonl');
  await mkdir(join(root, 'datasets', 'x'), { recursive: true });
  const config = options.config ?? tinyConfig;
  await writeFile(configFile, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
  if (options.corpus !== null) await writeFile(corpusFile, options.corpus ?? tinyCorpusText);
  return { root, configFile, corpusFile };
}

/** The bytes of files that a command must never change, to compare before and after. */
export async function snapshotFiles(files: readonly string[]): Promise<Map<string, Buffer | undefined>> {
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(f).catch(() => undefined)] as const)));
}
