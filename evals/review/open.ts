import { existsSync } from 'node:fs';
import type { ProjectConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { projectPaths } from '../../starter/paths.ts';
import { type EvalItem, loadEvalset } from '../evalset.ts';
import { listRunFiles, type RunFile, readRunFile } from '../run-file.ts';
import { labelsPath } from './labels.ts';
import type { ReviewInputs } from './source.ts';

/** "latest" (the newest run file), "baseline", or a path; no ref: the newest run, else the baseline. */
export async function locateRunFile(project: ProjectConfig, ref: string | undefined): Promise<string | undefined> {
  const paths = projectPaths(project);
  if (ref === 'baseline') return paths.baseline;
  if (ref !== undefined && ref !== 'latest') return ref;
  const newest = (await listRunFiles(paths.runs)).at(-1);
  if (newest || ref === 'latest') return newest;
  return existsSync(paths.baseline) ? paths.baseline : undefined;
}

/** Everything the review page and report need for one run of the project: the run, its eval set and corpus, the labels file. */
export async function openReviewInputs(project: ProjectConfig, runFile: string, sampleSize?: number): Promise<ReviewInputs> {
  const paths = projectPaths(project);
  const run: RunFile = await readRunFile(runFile);
  const corpus = await loadCorpus(paths.corpus);
  const evalset = await loadEvalset(paths.evalset, new Set(corpus.byId.keys()));
  const items = new Map<string, EvalItem>(evalset.items.map((item) => [item.id, item]));
  return { run, runFile, items, corpus, labelsFile: labelsPath(project.root), ...(sampleSize !== undefined ? { sampleSize } : {}) };
}
