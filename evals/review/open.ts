import { existsSync } from 'node:fs';
import type { ProjectConfig } from '../../starter/config.ts';
import { type Corpus, loadCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';
import { projectPaths } from '../../starter/paths.ts';
import type { ReviewSource } from '../../starter/server/review.ts';
import { type EvalItem, loadEvalset } from '../evalset.ts';
import { listRunFiles, readRunFile } from '../run-file.ts';
import { labelsPath } from './labels.ts';
import { createReviewSource } from './source.ts';

/** "latest" (the newest run file), "baseline", or a path; no ref: the newest run, else the baseline. */
export async function locateRunFile(project: ProjectConfig, ref: string | undefined): Promise<string | undefined> {
  const paths = projectPaths(project);
  if (ref === 'baseline') return paths.baseline;
  if (ref !== undefined && ref !== 'latest') return ref;
  const newest = (await listRunFiles(paths.runs)).at(-1);
  if (newest || ref === 'latest') return newest;
  return existsSync(paths.baseline) ? paths.baseline : undefined;
}

/**
 * The review source of a project: `ref` as `locateRunFile` reads it, resolved again on every page load (so
 * `serve` follows the newest run); the corpus and eval set are read once.
 */
export function openReviewSource(project: ProjectConfig, ref: string | undefined, sampleSize?: number): ReviewSource {
  const paths = projectPaths(project);
  let loaded: Promise<{ corpus: Corpus; items: Map<string, EvalItem> }> | undefined;
  const load = async () => {
    const corpus = await loadCorpus(paths.corpus);
    const evalset = await loadEvalset(paths.evalset, new Set(corpus.byId.keys()));
    return { corpus, items: new Map(evalset.items.map((item) => [item.id, item])) };
  };
  return createReviewSource(labelsPath(project.root), async () => {
    const runFile = await locateRunFile(project, ref);
    if (!runFile) throw new UserError('No eval runs and no evals/baseline.json yet. Run `ragfolio eval` (or `npm start`), then reload.');
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    const { corpus, items } = await loaded;
    return { run: await readRunFile(runFile), runFile, corpus, items, ...(sampleSize !== undefined ? { sampleSize } : {}) };
  });
}
