import type { Command } from 'commander';
import { findProjectRoot, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';

export interface GlobalOptions {
  project?: string;
  verbose?: boolean;
}

/** The project a command works on: --project, else the nearest folder up from the cwd holding ragfolio.config.json. */
export function openProject(command: Command): Promise<ProjectConfig> {
  const { project } = command.optsWithGlobals<GlobalOptions>();
  return loadProjectConfig(findProjectRoot(project ?? process.cwd()));
}
