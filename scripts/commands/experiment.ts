import { fileURLToPath } from 'node:url';
import { MultiBar, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { type GridProgress, parseGrid, runExperiment } from '../../evals/experiment.ts';
import { leaderboardTerminal } from '../../evals/report/leaderboard.ts';
import { UserError } from '../../starter/errors.ts';
import { builtGridWorker } from '../cli/build-cli.mjs';
import { interactive, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

const optionsSchema = z.object({ grid: z.array(z.string()), split: z.enum(['dev', 'test', 'all']), sort: z.string().optional(), json: z.boolean().optional() });

const STAGE_WORDS: Record<GridProgress['stage'], string> = { index: 'indexing', queries: 'embedding questions', prefetch: 'retrieving and answering', eval: 'evaluating' };

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .requiredOption('--grid <key=values...>', 'axes to sweep, e.g. chunkSize=200,400,800 k=3,5,10 retriever=dense,bm25,hybrid')
    .option('--split <split>', 'dev, test or all', 'dev')
    .option('--sort <metric>', 'metric to rank by (default: the first gated metric)')
    .option('--json', 'print the leaderboard as JSON')
    .action(async (raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--split must be dev, test or all.');
      const project = await openProject(command);
      const axes = parseGrid(parsed.data.grid);
      const progress = interactive ? barProgress() : lineProgress();
      let board: Awaited<ReturnType<typeof runExperiment>>;
      try {
        // The grid's threads start from the CLI build when it is fresh (bin/ragfolio.js has just checked or made it).
        const gridWorker = await builtGridWorker(fileURLToPath(new URL('../..', import.meta.url)));
        board = await runExperiment(project, axes, { split: parsed.data.split, sortBy: parsed.data.sort, onProgress: progress.update, gridWorker });
      } finally {
        progress.stop();
      }
      if (parsed.data.json) printJson(board);
      else {
        process.stdout.write(`${leaderboardTerminal(board, project.config.eval.gate.metrics)}\n\n`);
        process.stdout.write(`${board.files.markdown}\n${board.files.json}\n`);
      }
    });
}

interface GridBars {
  update(p: GridProgress): void;
  stop(): void;
}

/**
 * Bars at a terminal: the whole grid in configurations, the current configuration's questions, and while it
 * runs the shared stage (indexing, embedding the questions), which overlaps the first configurations.
 */
function barProgress(): GridBars {
  const bars = new MultiBar({ format: '{name} [{bar}] {value}/{total} {what}', hideCursor: true, clearOnComplete: true, stream: process.stderr }, undefined);
  let overall: SingleBar | undefined;
  let current: SingleBar | undefined;
  let shared: SingleBar | undefined;
  return {
    update(p) {
      overall ??= bars.create(p.configs, 0, { name: 'grid  ', what: 'configurations' });
      if (p.stage !== 'eval') {
        shared ??= bars.create(p.total, 0, { name: 'shared', what: '' });
        shared.setTotal(p.total);
        shared.update(p.done, { what: STAGE_WORDS[p.stage] });
        return;
      }
      current ??= bars.create(p.total, 0, { name: 'config', what: '' });
      overall.update(p.done === p.total ? p.config : p.config - 1);
      current.setTotal(p.total);
      current.update(p.done, { what: p.label });
    },
    stop: () => bars.stop(),
  };
}

/** Not a terminal (CI, a pipe): one line per stage and per finished configuration, on stderr. */
function lineProgress(): GridBars {
  let last = '';
  return {
    update(p) {
      if (p.stage !== 'eval') {
        if (p.stage !== last) process.stderr.write(`${STAGE_WORDS[p.stage]}…\n`);
        last = p.stage;
        if (p.done === p.total && p.stage === 'queries') process.stderr.write(`${p.total} questions embedded\n`);
      } else if (p.done === p.total) process.stderr.write(`[${p.config}/${p.configs}] ${p.label}: ${p.total} questions done\n`);
    },
    stop() {},
  };
}
