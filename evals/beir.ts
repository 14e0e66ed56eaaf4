import { z } from 'zod';
import type { Passage } from '../starter/corpus.ts';
import { UserError } from '../starter/errors.ts';
import { sha256 } from '../starter/hash.ts';
import { parseJsonl } from '../starter/jsonl.ts';
import { count } from '../starter/plural.ts';
import type { EvalItem } from './evalset.ts';

export interface SourceText {
  text: string;
  /** Shown in errors as file:line. */
  file: string;
}

// BEIR ids are strings, but some corpora write them as JSON numbers.
const beirId = z.union([z.string().min(1), z.number()]).transform(String);
const beirDocSchema = z.object({ _id: beirId, title: z.string().default(''), text: z.string() });
const beirQuerySchema = z.object({ _id: beirId, text: z.string() });

/** dev or test from a hash of the id: stable across runs and machines, about half each. */
export function splitForId(id: string): 'dev' | 'test' {
  return Number.parseInt(sha256(id).slice(0, 8), 16) % 2 === 0 ? 'dev' : 'test';
}

export interface BeirImport {
  passages: Passage[];
  items: EvalItem[];
  notes: string[];
}

/**
 * A BEIR folder (https://github.com/beir-cellar/beir: corpus.jsonl, queries.jsonl, qrels/test.tsv) → one
 * passage per document and a retrieval-only eval set: a query's gold is every document it judges relevant
 * (score > 0). Queries without a relevant document in qrels/test.tsv (other splits' queries) are left out.
 */
export function importBeir(corpus: SourceText, queries: SourceText, qrels: SourceText): BeirImport {
  const notes: string[] = [];
  const docs = parseJsonl(corpus.text, beirDocSchema, corpus.file, 'Each line of a BEIR corpus is {"_id", "title", "text"}.');
  const passages: Passage[] = [];
  const known = new Set<string>();
  const skipped = new Set<string>();
  for (const { line, value } of docs) {
    if (known.has(value._id) || skipped.has(value._id)) throw new UserError(`${corpus.file}:${line}: duplicate _id "${value._id}". Give every document a unique _id.`);
    // An empty text cannot be embedded or cited; its judgements are dropped with it.
    if (!value.text.trim()) {
      skipped.add(value._id);
      continue;
    }
    known.add(value._id);
    passages.push({ id: value._id, docId: value._id, title: value.title, text: value.text, start: 0, end: value.text.length, meta: {} });
  }
  if (passages.length === 0) throw new UserError(`${corpus.file}: the corpus has no documents with text. Add at least one {"_id", "title", "text"} line.`);
  if (skipped.size > 0) notes.push(`skipped ${count(skipped.size, 'document')} with empty text`);

  const questions = new Map<string, string>();
  for (const { line, value } of parseJsonl(queries.text, beirQuerySchema, queries.file, 'Each line of BEIR queries is {"_id", "text"}.')) {
    if (questions.has(value._id)) throw new UserError(`${queries.file}:${line}: duplicate _id "${value._id}". Give every query a unique _id.`);
    questions.set(value._id, value.text);
  }

  const gold = new Map<string, string[]>();
  let droppedJudgements = 0;
  const lines = qrels.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.replace(/\r$/, '') ?? '';
    if (!raw.trim()) continue;
    const fields = raw.split('\t');
    if (i === 0 && fields[0]?.trim() === 'query-id') continue; // the header
    const where = `${qrels.file}:${i + 1}`;
    const [queryId, corpusId, scoreText] = fields.map((f) => f.trim());
    const score = Number(scoreText);
    if (fields.length !== 3 || !queryId || !corpusId || !Number.isFinite(score)) {
      throw new UserError(`${where}: expected "query-id<TAB>corpus-id<TAB>score". Fix the line (the first line may be that header).`);
    }
    if (!questions.has(queryId)) throw new UserError(`${where}: query id "${queryId}" is not in ${queries.file}. Add the query or remove the judgement.`);
    if (skipped.has(corpusId)) {
      droppedJudgements++;
      continue;
    }
    if (!known.has(corpusId)) throw new UserError(`${where}: corpus id "${corpusId}" is not in ${corpus.file}. Add the document or remove the judgement.`);
    if (score <= 0) continue;
    const list = gold.get(queryId) ?? [];
    if (!list.includes(corpusId)) list.push(corpusId);
    gold.set(queryId, list);
  }
  if (droppedJudgements > 0) notes.push(`dropped ${count(droppedJudgements, 'judgement')} of documents with empty text`);

  const items: EvalItem[] = [];
  for (const [id, question] of questions) {
    const relevant = gold.get(id);
    if (!relevant) continue;
    items.push({ id, question, answers: [], gold: relevant, type: 'factoid', split: splitForId(id), retrievalOnly: true });
  }
  if (items.length === 0) throw new UserError(`${qrels.file}: no query has a relevant document (score > 0). Check that the qrels match queries.jsonl and corpus.jsonl.`);
  const unjudged = questions.size - items.length;
  if (unjudged > 0) notes.push(`left out ${count(unjudged, 'query', 'queries')} without a relevant document in ${qrels.file.split('/').at(-1) ?? 'qrels'}`);
  // `eval` scores the dev split by default; a tiny set can hash entirely into test.
  for (const split of ['dev', 'test'] as const) {
    if (!items.some((item) => item.split === split)) notes.push(`no question fell in the ${split} split (the split hashes each query id); run \`ragfolio eval --split all\` or move some items`);
  }
  return { passages, items, notes };
}

export function evalsetJsonl(items: readonly EvalItem[]): string {
  return `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;
}
