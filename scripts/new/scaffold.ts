import { resolve } from 'node:path';
import { type ApplyResult, applyScaffold, checkTarget } from './apply.ts';
import { loadDataset } from './datasets/load.ts';
import type { DatasetChoice } from './datasets/types.ts';
import { collectKitFiles, KIT_ROOT } from './kit.ts';
import type { NewAnswers } from './options.ts';
import { type FileOp, planScaffold } from './plan.ts';

export interface ScaffoldOutcome {
  targetDir: string;
  dataset: DatasetChoice;
  ops: FileOp[];
  /** Absent for a dry run. */
  result?: ApplyResult;
}

/**
 * Check the target, import the dataset, plan, and (unless dryRun) write: the whole of `new` but the
 * prompts, npm install and git. Cheap checks come first, so a refusal costs nothing and writes nothing.
 */
export async function scaffoldProject(answers: NewAnswers, options: { cwd: string; force: boolean; dryRun: boolean; kitRoot?: string }): Promise<ScaffoldOutcome> {
  const targetDir = resolve(options.cwd, answers.dir);
  await checkTarget(targetDir, options.force);
  const dataset = await loadDataset(answers.dataset, options.cwd);
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const kit = await collectKitFiles(kitRoot);
  const ops = planScaffold({ name: answers.name, author: answers.author, provider: answers.provider, retriever: answers.retriever, promptfoo: answers.promptfoo, dataset }, kit);
  if (options.dryRun) return { targetDir, dataset, ops };
  const result = await applyScaffold(ops, { targetDir, sourceRoot: kitRoot, force: options.force });
  return { targetDir, dataset, ops, result };
}
