import { findEvalsetProblems } from '../../../evals/evalset.ts';
import { parseCorpus } from '../../../starter/corpus.ts';
import { UserError } from '../../../starter/errors.ts';

export interface JsonlImport {
  corpus: string;
  evalset?: string;
  passages: number;
  documents: number;
  questions: number;
}

/**
 * A corpus in ragfolio's own format (and, beside it, an optional eval set), validated with the same code
 * the app loads it with, so a bad line fails now, naming file and line, rather than at the first ingest.
 */
export function importJsonlCorpus(corpus: { text: string; file: string }, evalset?: { text: string; file: string }): JsonlImport {
  const parsed = parseCorpus(corpus.text, corpus.file);
  const documents = new Set(parsed.passages.map((p) => p.docId)).size;
  if (!evalset) return { corpus: corpus.text, passages: parsed.passages.length, documents, questions: 0 };
  const { items, problems } = findEvalsetProblems(evalset.text, new Set(parsed.byId.keys()));
  const first = problems[0];
  if (first) throw new UserError(`${evalset.file}:${first.line}: ${first.message}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}. Fix the eval set or remove it from the folder.`);
  return { corpus: corpus.text, evalset: evalset.text, passages: parsed.passages.length, documents, questions: items.length };
}
