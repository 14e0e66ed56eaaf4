/**
 * Build a bundled docs dataset's corpus.jsonl (datasets/fastify-docs unless --dir names another, such as
 * datasets/markdownlint-docs) from the Markdown files in its source/ folder, with the same importer
 * `ragfolio new --dataset <folder>` uses (scripts/new/datasets), so the bundled example shows what a user gets.
 * Reproducible: same source files → byte-identical output. source/ holds a package's docs, unchanged (each
 * dataset's DATASHEET.md says how they were fetched).
 *   npm run build:dataset:docs [-- --dir <dataset>]            # rewrite corpus.jsonl
 *   npm run build:dataset:docs -- [--dir <dataset>] --check    # exit 1 when corpus.jsonl is not what the source gives
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { writeFileAtomic } from '../starter/fs-atomic.ts';
import { loadDataset } from './new/datasets/load.ts';

const program = new Command()
  .option('--dir <dir>', 'dataset folder holding source/', 'datasets/fastify-docs')
  .option('--check', 'compare with the committed corpus.jsonl instead of writing it', false)
  .parse();
const opts = z.object({ dir: z.string(), check: z.boolean() }).parse(program.opts());

const dataset = await loadDataset(join(opts.dir, 'source'), process.cwd());
const corpus = dataset.kind === 'folder' ? dataset.files.find((f) => f.path === 'corpus.jsonl') : undefined;
if (!corpus || dataset.kind !== 'folder') throw new Error(`${opts.dir}/source: expected a folder of Markdown files, got ${dataset.kind}`);
for (const note of dataset.notes) process.stderr.write(`${note}\n`);

const out = join(opts.dir, 'corpus.jsonl');
const summary = `${dataset.passages} passages from ${dataset.documents} files`;
if (opts.check) {
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current !== corpus.content) {
    process.stderr.write(`${out} is out of date with ${opts.dir}/source (${summary}): run npm run build:dataset:docs -- --dir ${opts.dir}\n`);
    process.exit(1);
  }
  process.stdout.write(`${out} is up to date (${summary})\n`);
} else {
  await writeFileAtomic(out, corpus.content);
  process.stdout.write(`wrote ${out}: ${summary}\n`);
}
