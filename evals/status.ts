import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectConfig } from '../starter/config.ts';
import { loadCorpus } from '../starter/corpus.ts';
import { embeddingModelId } from '../starter/embeddings/index.ts';
import { isUserError } from '../starter/errors.ts';
import { readManifest } from '../starter/index/store.ts';
import { projectPaths } from '../starter/paths.ts';
import { readBaseline } from './baseline.ts';
import { findEvalsetProblems } from './evalset.ts';
import { latestLeaderboard } from './experiment.ts';
import { listRunFiles } from './run-file.ts';

export interface Milestone {
  stage: string;
  milestone: string;
  done: boolean;
  /** What shows it is done, or what to run next. */
  evidence: string;
}

/**
 * The transition timeline, read from the project's own artefacts: each milestone is done only when a file
 * proves it. Reading (month 1) leaves no artefact, so it points at the self-checks instead of guessing.
 */
export async function projectStatus(project: ProjectConfig): Promise<Milestone[]> {
  const paths = projectPaths(project);
  const root = project.root;
  const out: Milestone[] = [];
  const add = (stage: string, milestone: string, done: boolean, evidence: string) => out.push({ stage, milestone, done, evidence });
  const date = async (file: string) => (await stat(file)).mtime.toISOString().slice(0, 10);

  add('month 1', 'read the foundations', false, 'no artefact to check: answer the self-check at the end of docs/month-1-reading.md');

  const corpus = await loadCorpus(paths.corpus).catch((e: unknown) => (isUserError(e) ? undefined : Promise.reject(e)));
  add('month 2', 'dataset in place', corpus !== undefined, corpus ? `${corpus.passages.length} passages in ${paths.corpus}` : `add ${paths.corpus}`);
  const manifest = await readManifest(paths.index).catch(() => undefined);
  const fresh = manifest !== undefined && corpus !== undefined && manifest.corpusHash === corpus.hash && manifest.embeddingModel === embeddingModelId(project.config.embeddings);
  add('month 2', 'index built', fresh, fresh ? `${manifest?.chunkCount} chunks, ${manifest?.embeddingModel}, built ${manifest?.createdAt.slice(0, 10)}` : 'run `ragfolio ingest`');

  let evalsetOk = false;
  if (corpus && existsSync(paths.evalset)) {
    const { items, problems } = findEvalsetProblems(await readFile(paths.evalset, 'utf8'), new Set(corpus.byId.keys()));
    evalsetOk = problems.length === 0;
    add('month 3', 'eval set written and valid', evalsetOk, evalsetOk ? `${items.length} questions validated (${paths.evalset})` : `${problems.length} problems: run \`ragfolio evalset validate\``);
  } else add('month 3', 'eval set written and valid', false, 'write one: `ragfolio evalset draft --n 20`, then `ragfolio evalset validate`');

  const baseline = existsSync(paths.baseline) ? await readBaseline(project) : undefined;
  add(
    'month 3',
    'baseline saved',
    baseline !== undefined,
    baseline ? `${baseline.label} on ${baseline.split}, ${baseline.finishedAt.slice(0, 10)} (${paths.baseline})` : 'run `ragfolio eval --save-baseline`',
  );
  const runs = await listRunFiles(paths.runs);
  add('month 3', 'eval runs recorded', runs.length > 0, runs.length > 0 ? `${runs.length} runs in ${paths.runs}` : 'run `ragfolio eval`');
  const experiments = existsSync(join(paths.runs, 'experiments')) ? (await readdir(join(paths.runs, 'experiments'))).length : 0;
  const board = await latestLeaderboard(paths.runs);
  const top = board?.board.rows[0];
  const sortBy = board?.board.sortBy ?? '';
  const vs = top ? top.comparison.metrics.find((m) => m.metric === sortBy) : undefined;
  add(
    'month 3',
    'experiments run',
    experiments > 0,
    experiments > 0
      ? `${experiments} sweeps; best ${top?.label ?? '—'}${vs ? `: ${sortBy} ${vs.diff >= 0 ? '+' : ''}${vs.diff.toFixed(3)} [${vs.ci95[0].toFixed(3)}, ${vs.ci95[1].toFixed(3)}] vs baseline, ${vs.verdict}` : ''}`
      : 'run `ragfolio experiment --grid k=3,5,10 retriever=dense,bm25,hybrid`',
  );

  const summary = join(root, 'docs', 'PROJECT_SUMMARY.md');
  add('months 4–6', 'write-up generated', existsSync(summary), existsSync(summary) ? `${summary}, ${await date(summary)}` : 'run `ragfolio summary`');
  const workflow = join(root, '.github', 'workflows', 'eval.yml');
  add('months 4–6', 'CI runs tests and the regression gate', existsSync(workflow), existsSync(workflow) ? workflow : 'add .github/workflows/eval.yml (ragfolio new writes one)');
  add('month 6+', 'demo served', existsSync(paths.served), existsSync(paths.served) ? `last served ${await date(paths.served)}` : 'run `ragfolio serve` and open the page');
  return out;
}
