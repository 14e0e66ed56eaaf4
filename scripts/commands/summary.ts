import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { readBaseline } from '../../evals/baseline.ts';
import { loadEvalset } from '../../evals/evalset.ts';
import { latestLeaderboard } from '../../evals/experiment.ts';
import { collectEvidence } from '../../evals/report/evidence.ts';
import { evalsetStats, missingArtefacts, renderSummary, type Sourced, type SummaryInput } from '../../evals/report/summary.ts';
import { listRunFiles, type RunFile, readRunFile } from '../../evals/run-file.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';
import { writeFileAtomic } from '../../starter/fs-atomic.ts';
import { projectPaths } from '../../starter/paths.ts';
import { openProject } from '../cli/project.ts';

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
  };
}

export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description('write docs/PROJECT_SUMMARY.md (+ .html and SVG charts) from your runs: every number traceable to a file')
    .option('--check', 'write nothing; list the sentences still placeholders (no evidence for them yet) and exit 1 if any')
    .action(async (options: { check?: boolean }, command: Command) => {
      const project = await openProject(command);
      const input = await collectSummaryInput(project);
      if (!input.baseline) throw new UserError(`no baseline run yet, so there is nothing to report. Run first: ${missingArtefacts(input).join('; then ')}.`);
      const summary = renderSummary(input);
      if (options.check) {
        const { placeholders, claims } = summary.ledger;
        process.stdout.write(`${claims.length} claims with evidence, ${placeholders.length} placeholders\n${placeholders.map((p) => `  placeholder: ${p}\n`).join('')}`);
        if (placeholders.length > 0) process.exitCode = 1;
        return;
      }
      const docs = join(project.root, 'docs');
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.md'), summary.markdown);
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.html'), summary.html);
      for (const chart of summary.charts) await writeFileAtomic(join(docs, 'charts', chart.name), chart.svg);
      for (const hint of missingArtefacts(input)) process.stderr.write(`tip: also run ${hint}\n`);
      process.stdout.write(`${join(docs, 'PROJECT_SUMMARY.md')}\n${join(docs, 'PROJECT_SUMMARY.html')}\n`);
    });
}
