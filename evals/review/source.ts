import { basename } from 'node:path';
import type { Corpus } from '../../starter/corpus.ts';
import type { ReviewPage, ReviewPassage, ReviewSource } from '../../starter/server/review.ts';
import type { EvalItem } from '../evalset.ts';
import type { RunFile } from '../run-file.ts';
import { answerHash, createLabelStore, findLabel, type Label } from './labels.ts';
import { orderForReview } from './queue.ts';

/** The failure categories offered at first; a category typed on the page joins the list once a label uses it. */
export const DEFAULT_CATEGORIES = ['retrieval miss', 'wrong sentence chosen', 'unreadable fragment', 'false abstention', 'unsupported claim', 'gold wrong'] as const;

export interface ReviewInputs {
  run: RunFile;
  runFile: string;
  /** The eval set's items by id: the gold answers and passages. */
  items: ReadonlyMap<string, EvalItem>;
  corpus: Corpus;
  labelsFile: string;
  sampleSize?: number;
}

/** The page's data for one run: records in labelling order with their passages, gold marks and labels. */
export function buildReviewPage(inputs: ReviewInputs, labels: ReadonlyMap<string, Label>): ReviewPage {
  const { run, items, corpus } = inputs;
  const { queue, sample } = orderForReview(run.records, run.riskCoverage?.threshold, inputs.sampleSize);
  const passage = (id: string, gold: ReadonlySet<string>): ReviewPassage => {
    const p = corpus.byId.get(id);
    return { id, title: p?.title ?? '', text: p?.text ?? '(not in the corpus)', gold: gold.has(id) };
  };
  const categories = new Set<string>(DEFAULT_CATEGORIES);
  for (const l of labels.values()) if (l.category) categories.add(l.category);
  return {
    run: basename(inputs.runFile),
    labelsFile: inputs.labelsFile,
    categories: [...categories],
    records: queue.map(({ record, reason, why }) => {
      const item = items.get(record.id);
      const gold = new Set(item?.gold ?? []);
      const hash = answerHash(record.answer);
      const label = findLabel(labels, record.id, record.answer);
      return {
        id: record.id,
        type: record.type,
        question: record.question,
        goldAnswers: item?.answers ?? [],
        goldPassages: [...gold].map((id) => passage(id, gold)),
        answer: record.answer,
        answerHash: hash,
        ...(record.short ? { short: record.short } : {}),
        abstained: record.abstained,
        ...(record.confidence !== undefined ? { confidence: record.confidence } : {}),
        citations: record.citations,
        retrieved: record.retrieved.map((r) => passage(r.passageId, gold)),
        metrics: record.metrics,
        reason,
        why: sample.has(record.id) && reason !== 'random' ? `${why}; also in the random sample` : why,
        ...(label ? { label } : {}),
      };
    }),
  };
}

/**
 * What `serve` and `review` inject into the app for /review. `open` runs on every page load, so `serve`
 * can follow the newest run; a UserError from it (no runs yet) reaches the page as its message.
 */
export function createReviewSource(labelsFile: string, open: () => Promise<Omit<ReviewInputs, 'labelsFile'>>, now?: () => Date): ReviewSource {
  const store = createLabelStore(labelsFile, now);
  return {
    load: async () => buildReviewPage({ ...(await open()), labelsFile }, await store.read()),
    save: (label) => store.save(label),
  };
}
