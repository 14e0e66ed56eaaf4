import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectConfig } from '../starter/config.ts';
import { loadCorpus } from '../starter/corpus.ts';
import { embeddingModelId } from '../starter/embeddings/index.ts';
import { isUserError } from '../starter/errors.ts';
import { stableHash } from '../starter/hash.ts';
import { openVectorStore } from '../starter/index/vector-store.ts';
import { projectPaths } from '../starter/paths.ts';
import { readBaseline } from './baseline.ts';
import { findEvalsetProblems } from './evalset.ts';
import { latestLeaderboard } from './experiment.ts';
import { commitsTouching, inOwnHistory, rootCommits } from './git-history.ts';
import { gateWorkflow } from './report/evidence.ts';
import { PITCH_FILE, PITCH_SECTIONS, readPitch } from './report/pitch.ts';
import { listRunFiles, readRunFile } from './run-file.ts';

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
  const index = corpus ? await indexState(project, corpus.hash) : { fresh: false, evidence: 'run `ragfolio ingest` once the dataset is in place' };
  add('month 2', 'index built', index.fresh, index.evidence);

  // Files `ragfolio new` copied carry no evidence: the eval set counts once a commit after the project's
  // first one touched it, runs and the baseline once their commit is in the project's own history.
  const firsts = await rootCommits(root);
  if (corpus && existsSync(paths.evalset)) {
    const { items, problems } = findEvalsetProblems(await readFile(paths.evalset, 'utf8'), new Set(corpus.byId.keys()));
    const own = (await commitsTouching(root, paths.evalset)).filter((c) => !firsts.includes(c.commit));
    const evidence =
      problems.length > 0
        ? `${problems.length} problems: run \`ragfolio evalset validate\``
        : own.length === 0
          ? `${items.length} questions validated, but no commit after the project's first one changed ${paths.evalset}: write your own questions and commit them`
          : `${items.length} questions validated (${paths.evalset}, last changed in ${own[0]?.commit.slice(0, 7)})`;
    add('month 3', 'eval set written and valid', problems.length === 0 && own.length > 0, evidence);
  } else add('month 3', 'eval set written and valid', false, 'write one: `ragfolio evalset draft --n 20`, then `ragfolio evalset validate`');

  const baseline = existsSync(paths.baseline) ? await readBaseline(project) : undefined;
  const ownBaseline = baseline !== undefined && (await inOwnHistory(root, baseline.gitCommit));
  add(
    'month 3',
    'baseline saved',
    ownBaseline,
    !baseline
      ? 'run `ragfolio eval --save-baseline`'
      : ownBaseline
        ? `${baseline.label} on ${baseline.split}, ${baseline.finishedAt.slice(0, 10)}, commit ${baseline.gitCommit?.slice(0, 7)} (${paths.baseline})`
        : `${paths.baseline} was not run in this project (its commit ${baseline.gitCommit?.slice(0, 7) ?? 'is unrecorded'} is not in this history): run \`ragfolio eval --save-baseline\``,
  );
  const runFiles = await listRunFiles(paths.runs);
  let ownRuns = 0;
  for (const file of runFiles) if (await inOwnHistory(root, (await readRunFile(file).catch(() => undefined))?.gitCommit)) ownRuns++;
  add(
    'month 3',
    'eval runs recorded',
    ownRuns > 0,
    ownRuns > 0
      ? `${ownRuns} runs at commits of this project in ${paths.runs}`
      : runFiles.length > 0
        ? `${runFiles.length} runs, none at a commit of this project: commit, then \`ragfolio eval\``
        : 'run `ragfolio eval`',
  );
  const experiments = existsSync(join(paths.runs, 'experiments')) ? (await readdir(join(paths.runs, 'experiments'))).length : 0;
  const board = await latestLeaderboard(paths.runs);
  const top = board?.board.rows[0];
  const sortBy = board?.board.sortBy ?? '';
  const vs = top ? top.comparison.metrics.find((m) => m.metric === sortBy) : undefined;
  const diff = vs ? `${sortBy} ${vs.diff >= 0 ? '+' : ''}${vs.diff.toFixed(3)} [${vs.ci95[0].toFixed(3)}, ${vs.ci95[1].toFixed(3)}] vs the grid's first` : '';
  // "Best" only for a significant improvement: a tie or noise at the top of the table is no result.
  const topLine =
    vs?.verdict === 'improved' ? `best ${top?.label}: ${diff}, improved` : `no configuration beat the grid's first significantly${vs ? ` (top row ${top?.label}: ${diff}, ${vs.verdict})` : ''}`;
  add('month 3', 'experiments run', experiments > 0, experiments > 0 ? `${experiments} sweeps; ${topLine}` : 'run `ragfolio experiment --grid k=3,5,10 retriever=dense,bm25,hybrid`');

  // A write-up counts once it reports a run of this project's own: one over the template's shipped baseline alone
  // is the template's write-up.
  const summary = join(root, 'docs', 'PROJECT_SUMMARY.md');
  const ownEvidence = ownBaseline || ownRuns > 0;
  add(
    'months 4–6',
    'write-up generated',
    existsSync(summary) && ownEvidence,
    !existsSync(summary)
      ? 'run `ragfolio summary`'
      : ownEvidence
        ? `${summary}, ${await date(summary)}`
        : `${summary} reports only the baseline the template shipped: commit, run \`ragfolio eval\`, then \`ragfolio summary\` again`,
  );
  // The only part of the write-up the author writes: done once no section of docs/PITCH.md holds its placeholder.
  const pitchFile = join(root, PITCH_FILE);
  const written = existsSync(pitchFile) ? readPitch(await readFile(pitchFile, 'utf8')) : {};
  const unwritten = Object.entries(PITCH_SECTIONS).flatMap(([key, s]) => (written[key as keyof typeof written] === undefined ? [`"## ${s.heading}"`] : []));
  add(
    'months 4–6',
    'pitch and next steps in your own words',
    unwritten.length === 0,
    unwritten.length === 0 ? `${PITCH_FILE}, ${await date(pitchFile)}` : `write ${unwritten.join(' and ')} in ${PITCH_FILE} (in place of the marked paragraphs), then \`ragfolio summary\``,
  );
  // The workflow itself is copied by `new`: it counts once it is committed here and has a baseline of this project to gate against.
  const workflow = await gateWorkflow(root);
  const tracked = workflow ? (await commitsTouching(root, join(root, workflow.file))).length > 0 : false;
  // The gate CI runs is the committed baseline: one saved but not committed gates nothing on a push.
  const baselineCommitted = ownBaseline && (await commitsTouching(root, paths.baseline)).some((c) => !firsts.includes(c.commit));
  add(
    'months 4–6',
    'CI runs tests and the regression gate',
    workflow !== undefined && tracked && baselineCommitted,
    !workflow
      ? 'add a workflow that runs `npm test` (the gate included): .github/workflows/eval.yml'
      : !tracked
        ? `${workflow.file} is not committed: commit and push it`
        : baselineCommitted
          ? `${workflow.file} runs the gate against a baseline of this project, committed`
          : ownBaseline
            ? `${paths.baseline} is this project's but not committed: commit it, so CI gates against it`
            : `${workflow.file} is committed, but the baseline is not this project's: run \`ragfolio eval --save-baseline\` and commit it`,
  );
  add('month 6+', 'demo served', existsSync(paths.served), existsSync(paths.served) ? `last served ${await date(paths.served)}` : 'run `ragfolio serve` and open the page');
  return out;
}

/**
 * Fresh only when the configured store (hnswlib files or pgvector) opens the index: every staleness field
 * (model, corpus, chunking) and every consistency check agrees.
 */
async function indexState(project: ProjectConfig, corpusHash: string): Promise<{ fresh: boolean; evidence: string }> {
  const identity = { embeddingModel: embeddingModelId(project.config.embeddings), corpusHash, chunkConfigHash: stableHash(project.config.chunk) };
  try {
    const store = await openVectorStore(project);
    try {
      const { manifest } = await store.open(identity);
      return { fresh: true, evidence: `${manifest.chunkCount} chunks, ${manifest.embeddingModel}, ${store.describe().kind}, built ${manifest.createdAt.slice(0, 10)}` };
    } finally {
      await store.close();
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { fresh: false, evidence: error.message };
  }
}
