import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { abstentionThreshold, type ThresholdInUse, thresholdLine } from '../../starter/abstention-threshold.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { sha256 } from '../../starter/hash.ts';
import { projectPaths } from '../../starter/paths.ts';

/** The abstention threshold the project's answerer uses and why, checked against its current eval set. */
export async function thresholdInUse(project: ProjectConfig): Promise<ThresholdInUse | undefined> {
  const file = projectPaths(project).evalset;
  const hash = existsSync(file) ? sha256(await readFile(file, 'utf8')) : undefined;
  return abstentionThreshold(project.config.generator, hash);
}

/** One line on stderr at startup (`ask`, `eval`, `serve`), so nobody reads abstentions without knowing the threshold. */
export async function announceThreshold(project: ProjectConfig, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<ThresholdInUse | undefined> {
  const threshold = await thresholdInUse(project);
  if (threshold) log(thresholdLine(threshold));
  return threshold;
}
