// The named naive baseline (configs/naive.json, the first version docs/month-2 builds) against the project's
// configuration, paired on the same questions: the write-up's "from the first version" story and the site's
// comparison both come from here. Reads run files; computes what `ragfolio compare` computes from the two.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { isUserError } from '../../starter/errors.ts';
import { projectPaths } from '../../starter/paths.ts';
import { type CompareOptions, compareRuns, type GatedComparison, type MetricComparison } from '../compare.ts';
import { listRunFiles, type RunFile, readRunFile } from '../run-file.ts';
import type { Sourced } from './context.ts';

/** The first version's settings, kept so the improvement can be shown (docs/month-2-build-rag.md). */
export const NAMED_BASELINE_CONFIG = 'configs/naive.json';

export type NamedBaselineComparison = { ok: true; naive: Sourced<RunFile>; candidate: Sourced<RunFile>; result: GatedComparison } | { ok: false; missing: string };

/** The comparison as docs/iterations.json keeps it, so the write-up's numbers cite a file. */
export interface NamedBaselineStep {
  config: string;
  naiveRun: string;
  candidateRun: string;
  /** The candidate ran on code and config the project has not changed yet: both sides are the template's. */
  candidateFromTemplate: boolean;
  split: string;
  metrics: MetricComparison[];
}

/** The named baseline's config hash, or undefined when the project has no configs/naive.json. */
export async function namedBaselineHash(project: ProjectConfig): Promise<string | undefined> {
  const file = join(project.root, NAMED_BASELINE_CONFIG);
  return existsSync(file) ? (await loadProjectConfig(project.root, undefined, file)).configHash : undefined;
}

/**
 * The named baseline's newest run on a candidate's split and eval set, compared with that candidate; the
 * candidates in order of preference (the test run, then the baseline). Found by config hash, whatever its label.
 */
export async function findNamedBaselineComparison(
  project: ProjectConfig,
  naiveHash: string | undefined,
  candidates: readonly Sourced<RunFile>[],
  rel: (file: string) => string,
  options: CompareOptions,
): Promise<NamedBaselineComparison> {
  if (!naiveHash) return { ok: false, missing: `No named baseline (${NAMED_BASELINE_CONFIG}) in this project, so there is no first version to compare with.` };
  const runs: Sourced<RunFile>[] = [];
  for (const file of (await listRunFiles(projectPaths(project).runs)).reverse()) {
    const run = await readRunFile(file).catch(() => undefined);
    if (run?.configHash === naiveHash) runs.push({ file: rel(file), value: run });
  }
  for (const candidate of candidates) {
    const naive = runs.find((n) => n.value.split === candidate.value.split && n.value.evalsetHash === candidate.value.evalsetHash);
    if (!naive) continue;
    try {
      return { ok: true, naive, candidate, result: compareRuns(naive.value, candidate.value, options) };
    } catch (error) {
      // Runs that cannot be paired (an interrupted one): say why rather than fail the build.
      if (isUserError(error)) return { ok: false, missing: error.message };
      throw error;
    }
  }
  const first = candidates[0];
  return {
    ok: false,
    missing: first
      ? `No run of the named baseline (${NAMED_BASELINE_CONFIG}) on the ${first.value.split} split of this eval set, so the comparison with ${first.file} is not shown. Run \`npx ragfolio eval --split ${first.value.split} --config ${NAMED_BASELINE_CONFIG} --label naive\`, then \`npx ragfolio summary\` and \`npx ragfolio publish\` again.`
      : 'No eval run yet: run `npx ragfolio eval --save-baseline` first.',
  };
}

export function namedBaselineStep(found: Extract<NamedBaselineComparison, { ok: true }>, candidateFromTemplate: boolean): NamedBaselineStep {
  return { config: NAMED_BASELINE_CONFIG, naiveRun: found.naive.file, candidateRun: found.candidate.file, candidateFromTemplate, split: found.result.split, metrics: found.result.metrics };
}
