/**
 * Build a bundled docs dataset (datasets/fastify-docs, datasets/npm-docs, …): corpus.jsonl from the Markdown files
 * in its source/ folder, with the same importer `ragfolio new --dataset <folder>` uses (scripts/new/datasets), so
 * the bundled example shows what a user gets. Reproducible: same source files → byte-identical output. source/ is
 * the package's docs, unchanged (each DATASHEET.md says how it was fetched).
 *   npm run build:dataset:docs -- --dir datasets/npm-docs          # rewrite corpus.jsonl
 *   npm run build:dataset:docs -- --dir datasets/npm-docs --split  # also give evalset.jsonl its stratified split
 *   npm run build:dataset:docs -- --dir datasets/npm-docs --check  # exit 1 when either is not what it should be
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { writeFileAtomic } from '../starter/fs-atomic.ts';
import { loadDataset } from './new/datasets/load.ts';
import { stratifiedSplit } from './stratified-split.ts';

const program = new Command()
  .option('--dir <dir>', 'dataset folder holding source/', 'datasets/fastify-docs')
  .option('--split', "set each question's split in evalset.jsonl by the stratified rule (before pinning the test split)", false)
  .option('--check', 'compare with the committed corpus.jsonl (and the split rule) instead of writing', false)
  .parse();
const opts = z.object({ dir: z.string(), split: z.boolean(), check: z.boolean() }).parse(program.opts());

const dataset = await loadDataset(join(opts.dir, 'source'), process.cwd());
const corpus = dataset.kind === 'folder' ? dataset.files.find((f) => f.path === 'corpus.jsonl') : undefined;
if (!corpus || dataset.kind !== 'folder') throw new Error(`${opts.dir}/source: expected a folder of Markdown files, got ${dataset.kind}`);
for (const note of dataset.notes) process.stderr.write(`${note}\n`);

const out = join(opts.dir, 'corpus.jsonl');
const summary = `${dataset.passages} passages from ${dataset.documents} files`;
const evalsetFile = join(opts.dir, 'evalset.jsonl');
const evalset = existsSync(evalsetFile) ? splitEvalset(await readFile(evalsetFile, 'utf8')) : undefined;
if (opts.check) {
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current !== corpus.content) {
    process.stderr.write(`${out} is out of date with ${opts.dir}/source (${summary}): run npm run build:dataset:docs\n`);
    process.exit(1);
  }
  if (evalset && evalset.moved > 0) {
    process.stderr.write(`${evalsetFile}: ${evalset.moved} questions are not in the split the stratified rule gives: run npm run build:dataset:docs -- --dir ${opts.dir} --split\n`);
    process.exit(1);
  }
  process.stdout.write(`${out} is up to date (${summary})\n`);
} else {
  await writeFileAtomic(out, corpus.content);
  process.stdout.write(`wrote ${out}: ${summary}\n`);
  if (opts.split && evalset) {
    await writeFileAtomic(evalsetFile, evalset.text);
    process.stdout.write(`wrote ${evalsetFile}: ${evalset.moved} questions changed split (then re-pin: ragfolio evalset pin)\n`);
  }
}

/** The eval set with each line's split set by the rule, and how many lines that changes. */
function splitEvalset(text: string): { text: string; moved: number } {
  const line = z.object({ id: z.string(), type: z.string(), split: z.string() }).passthrough();
  const items = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => line.parse(JSON.parse(l)));
  const splits = stratifiedSplit(items);
  const moved = items.filter((i) => splits.get(i.id) !== i.split).length;
  return { text: `${items.map((i) => JSON.stringify({ ...i, split: splits.get(i.id) })).join('\n')}\n`, moved };
}
