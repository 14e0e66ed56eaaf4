import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ProjectConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { projectPaths } from '../../starter/paths.ts';
import { readBaseline } from '../baseline.ts';
import { loadEvalset } from '../evalset.ts';
import { latestLeaderboard } from '../experiment.ts';
import { readAgreement } from '../review/agreement-file.ts';
import { listRunFiles, type RunFile, readRunFile } from '../run-file.ts';
import { collectEvidence } from './evidence.ts';
import { evalsetStats, type Sourced, type SummaryInput } from './summary.ts';

/** Gather the artefacts a write-up is made from; each keeps the path it was read from. */
export async function collectSummaryInput(project: ProjectConfig): Promise<SummaryInput> {
  const paths = projectPaths(project);
  const rel = (file: string) => relative(project.root, file);
  const corpus = await loadCorpus(paths.corpus);
  const evalset = await loadEvalset(paths.evalset, new Set(corpus.byId.keys()));
  const baseline: Sourced<RunFile> | undefined = existsSync(paths.baseline) ? { file: rel(paths.baseline), value: await readBaseline(project) } : undefined;
  let test: Sourced<RunFile> | undefined;
  for (const file of (await listRunFiles(paths.runs)).reverse()) {
    const run = await readRunFile(file);
    // The write-up describes the project's configuration: a test run of another one (a named baseline, an
    // experiment) is not its headline.
    if (run.split === 'test' && run.evalsetHash === evalset.hash && run.configHash === project.configHash) {
      test = { file: rel(file), value: run };
      break;
    }
  }
  const board = await latestLeaderboard(paths.runs);
  const name = z.object({ name: z.string() }).safeParse(JSON.parse(await readFile(join(project.root, 'package.json'), 'utf8').catch(() => '{}')));
  return {
    projectName: name.success ? name.data.name : 'ragfolio project',
    config: project.config,
    corpus: { file: rel(paths.corpus), value: { passages: corpus.passages.length, documents: new Set(corpus.passages.map((p) => p.docId)).size } },
    evalset: { file: rel(paths.evalset), value: evalsetStats(evalset.items) },
    baseline,
    test,
    leaderboard: board ? { file: rel(board.file), value: board.board } : undefined,
    evidence: await collectEvidence(project),
    agreement: await readAgreement(project.root, rel),
  };
}
