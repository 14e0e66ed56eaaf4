import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import type { ProjectConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { projectPaths } from '../../starter/paths.ts';
import { readBaseline } from '../baseline.ts';
import { loadEvalset } from '../evalset.ts';
import { latestLeaderboard } from '../experiment.ts';
import { commitSubject, inOwnHistory, NEW_PROJECT_COMMIT_MESSAGE } from '../git-history.ts';
import { readAgreement } from '../review/agreement-file.ts';
import { listRunFiles, type RunFile, readRunFile } from '../run-file.ts';
import { collectEvidence } from './evidence.ts';
import { buildIterationLog, ITERATIONS_FILE, type IterationLog, type KeptRun, keptRuns } from './iterations.ts';
import { findNamedBaselineComparison, type NamedBaselineComparison, namedBaselineHash, namedBaselineStep } from './named-baseline.ts';
import { PITCH_FILE, type PitchText, readPitch } from './pitch.ts';
import { evalsetStats, type Sourced, type SummaryInput } from './summary.ts';

/** The project's name as its package.json gives it (what the write-up, the site and the demo are titled). */
export async function readProjectName(root: string): Promise<string> {
  const name = z.object({ name: z.string() }).safeParse(JSON.parse(await readFile(join(root, 'package.json'), 'utf8').catch(() => '{}')));
  return name.success ? name.data.name : basename(root);
}

/** A run with what git says of its commit: its subject, and whether it measured the template unchanged. */
async function withHistory(root: string, file: string, run: RunFile): Promise<KeptRun> {
  const own = await inOwnHistory(root, run.gitCommit);
  const subject = own && run.gitCommit ? await commitSubject(root, run.gitCommit) : undefined;
  // Not in this history (the template's shipped baseline), or at the commit `ragfolio new` made.
  const fromTemplate = !own || subject === NEW_PROJECT_COMMIT_MESSAGE;
  return { file, run, fromTemplate, ...(subject ? { subject } : {}) };
}

/** The iteration log, and the named baseline against the project's configuration when a run of it exists. */
async function collectIterations(
  project: ProjectConfig,
  baseline: Sourced<RunFile>,
  runs: readonly { file: string; run: RunFile }[],
  named: NamedBaselineComparison,
  naiveHash: string | undefined,
): Promise<IterationLog> {
  const first = await withHistory(project.root, baseline.file, baseline.value);
  // A run of the named baseline is the reference the story starts from, not a step of the project's history.
  const others = await Promise.all(runs.filter(({ run }) => run.configHash !== naiveHash).map(({ file, run }) => withHistory(project.root, file, run)));
  const e = project.config.eval;
  const log = buildIterationLog(keptRuns(first, others), { metrics: e.gate.metrics, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
  if (!named.ok) return log;
  const candidate = await withHistory(project.root, named.candidate.file, named.candidate.value);
  return { ...log, namedBaseline: namedBaselineStep(named, candidate.fromTemplate) };
}

/** The author's own sections of docs/PITCH.md; undefined when the file does not exist. */
async function collectPitch(root: string): Promise<Sourced<PitchText> | undefined> {
  const file = join(root, PITCH_FILE);
  return existsSync(file) ? { file: PITCH_FILE, value: readPitch(await readFile(file, 'utf8')) } : undefined;
}

/** Gather the artefacts a write-up is made from; each keeps the path it was read from. */
export async function collectSummaryInput(project: ProjectConfig): Promise<SummaryInput> {
  const paths = projectPaths(project);
  const rel = (file: string) => relative(project.root, file);
  const corpus = await loadCorpus(paths.corpus);
  const evalset = await loadEvalset(paths.evalset, new Set(corpus.byId.keys()));
  const baseline: Sourced<RunFile> | undefined = existsSync(paths.baseline) ? { file: rel(paths.baseline), value: await readBaseline(project) } : undefined;
  const runs: { file: string; run: RunFile }[] = [];
  for (const file of await listRunFiles(paths.runs)) runs.push({ file: rel(file), run: await readRunFile(file) });
  let test: Sourced<RunFile> | undefined;
  for (const { file, run } of [...runs].reverse()) {
    // The write-up describes the project's configuration: a test run of another one (a named baseline, an
    // experiment) is not its headline.
    if (run.split === 'test' && run.evalsetHash === evalset.hash && run.configHash === project.configHash) {
      test = { file, value: run };
      break;
    }
  }
  const board = await latestLeaderboard(paths.runs);
  const naiveHash = await namedBaselineHash(project);
  const e = project.config.eval;
  const reported = [test, baseline].filter((r): r is Sourced<RunFile> => r !== undefined);
  const namedBaseline = await findNamedBaselineComparison(project, naiveHash, reported, rel, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
  return {
    projectName: await readProjectName(project.root),
    config: project.config,
    corpus: { file: rel(paths.corpus), value: { passages: corpus.passages.length, documents: new Set(corpus.passages.map((p) => p.docId)).size } },
    evalset: { file: rel(paths.evalset), value: evalsetStats(evalset.items) },
    baseline,
    test,
    leaderboard: board ? { file: rel(board.file), value: board.board } : undefined,
    iterations: baseline ? { file: ITERATIONS_FILE, value: await collectIterations(project, baseline, runs, namedBaseline, naiveHash) } : undefined,
    namedBaseline,
    pitch: await collectPitch(project.root),
    evidence: await collectEvidence(project),
    agreement: await readAgreement(project.root, rel),
  };
}
