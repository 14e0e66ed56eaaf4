import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE, findProjectRoot, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';

export interface GlobalOptions {
  project?: string;
  config?: string;
  verbose?: boolean;
}

/**
 * The project a command works on: --project, else the nearest folder up from the cwd holding
 * ragfolio.config.json; --config swaps in another config file (a named baseline such as configs/naive.json).
 */
export function openProject(command: Command): Promise<ProjectConfig> {
  const { project, config } = command.optsWithGlobals<GlobalOptions>();
  return loadProjectConfig(locateProject(project, process.cwd()), undefined, config);
}

/** The project's root folder, or a one-line error naming the folder searched and the file looked for. */
export function locateProject(flag: string | undefined, cwd: string): string {
  const start = resolve(cwd, flag ?? '.');
  if (flag !== undefined && !statSync(start, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`-C ${flag}: ${start} is not a folder. Pass the folder of a ragfolio project (the one holding ${CONFIG_FILE}).`);
  }
  const root = findProjectRoot(start);
  if (!existsSync(join(root, CONFIG_FILE))) {
    throw new UserError(
      `no ragfolio project at ${start}: looked for ${CONFIG_FILE} there and in every folder above it. cd into a project, pass -C <project folder>, or create one with \`npx ragfolio new my-rag\`.`,
    );
  }
  return root;
}
