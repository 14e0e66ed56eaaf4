/**
 * Write a dataset's shipped embeddings (<dataset>/embeddings/use-lite-512.{json,f32}): the local model's vector of
 * every passage as ingest embeds it (passage chunking, title + text) and of every sentence the extractive answerer
 * may quote, so the first ingest and the first eval read them instead of computing them; and beside them
 * (use-lite-512-questions.{json,f32}) the vector of every eval question and planner part, each embedded alone as
 * embedQuery does, so an eval or an experiment grid need not load the model. Reuses the project's embedding caches
 * and the vectors shipped before, so after an edit only the changed texts are embedded. Run by
 * `npm run build:dataset`; deterministic for a given corpus, eval set and model.
 *   npm run build:embeddings [-- datasets/sotu]
 */

import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { answerUnits, unitInContext } from '../starter/answer/units.ts';
import { chunkCorpus, searchText } from '../starter/chunk.ts';
import { findProjectRoot, loadProjectConfig } from '../starter/config.ts';
import { loadCorpus } from '../starter/corpus.ts';
import { EmbeddingCache } from '../starter/embeddings/cache.ts';
import { createEmbeddings } from '../starter/embeddings/index.ts';
import { QueryCache } from '../starter/embeddings/query-cache.ts';
import { loadShippedEmbeddings, writeShippedEmbeddings } from '../starter/embeddings/shipped.ts';
import { questionQueries } from '../starter/embeddings/shipped-questions.ts';
import { sha256 } from '../starter/hash.ts';
import { projectPaths } from '../starter/paths.ts';

const dataset = resolve(process.argv[2] ?? 'datasets/sotu');
const project = await loadProjectConfig(findProjectRoot(process.cwd()));
const corpus = await loadCorpus(resolve(dataset, 'corpus.jsonl'));
const passages = [...new Set((await chunkCorpus(corpus.passages, { mode: 'passage' })).map(searchText))];
// The extractive answerer compares the question with each answer unit (a sentence, in prose): ship those vectors too.
const sentences = [...new Set(corpus.passages.flatMap((p) => answerUnits(p.text, p.title).map(unitInContext)))];

const model = await createEmbeddings({ provider: 'local', model: 'use-lite', workers: 2 });
const previous = await loadShippedEmbeddings(dataset, model.id);
const seed = previous?.ok ? previous.shipped : undefined;
const paths = projectPaths(project);
// The same cache files the app uses for passages (ingest) and sentences (the answerer), so nothing is embedded twice.
const embedded = [];
for (const [texts, cacheFile] of [
  [passages, paths.embeddingCache(model.id)],
  [sentences, paths.embeddingCache(`${model.id}-sentences`)],
] as const) {
  const cache = await EmbeddingCache.open(cacheFile, model.id, { seed });
  const { vectors, stats } = await cache.embedAll(texts, model.embeddings, (n) => process.stderr.write(`\rembedded ${n}`));
  if (stats.misses > 0) {
    await cache.save();
    process.stderr.write('\n');
  }
  embedded.push({ texts, vectors, stats });
}
const entries = new Map(embedded.flatMap(({ texts, vectors }) => texts.map((text, i) => [sha256(text), vectors[i] ?? []] as const)));
const written = await writeShippedEmbeddings(dataset, model.id, [...entries]);
const misses = embedded.reduce((n, e) => n + e.stats.misses, 0);
console.log(
  `${relative(process.cwd(), written.vectors)}: ${entries.size} vectors (${passages.length} passages, ${sentences.length} sentences), ${(written.bytes / 1e6).toFixed(2)} MB (${misses} embedded) · index ${relative(process.cwd(), written.index)}`,
);

// Question vectors: each text embedded alone (a batch gives slightly different floats), through the query cache the grid keeps.
const evalset = await readFile(resolve(dataset, 'evalset.jsonl'), 'utf8').catch(() => '');
const asked = evalset.split('\n').flatMap((line) => (line.trim() ? [String((JSON.parse(line) as { question?: unknown }).question ?? '')] : []));
const queries = [...new Set(asked.flatMap(questionQueries))];
if (queries.length > 0) {
  const shippedQueries = await loadShippedEmbeddings(dataset, model.id, 'questions');
  const cache = await QueryCache.open(paths.embeddingCache(`${model.id}-queries`), model.id, { seed: shippedQueries?.ok ? shippedQueries.shipped : undefined });
  const { misses } = await cache.fill(queries, model.embeddings, (n) => process.stderr.write(`\rembedded ${n} questions`));
  if (misses > 0) process.stderr.write('\n');
  const rows = queries.map((q) => [sha256(q), cache.get(q) ?? []] as const);
  const file = await writeShippedEmbeddings(dataset, model.id, rows, 'questions');
  console.log(`${relative(process.cwd(), file.vectors)}: ${rows.length} question vectors, ${(file.bytes / 1e6).toFixed(2)} MB (${misses} embedded)`);
}
