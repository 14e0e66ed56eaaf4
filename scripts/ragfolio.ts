#!/usr/bin/env node
import { Command } from 'commander';
import { runProgram } from './cli/run-program.ts';
import { registerAskCommand } from './commands/ask.ts';
import { registerBaselineCommand } from './commands/baseline.ts';
import { registerCalibrateCommand } from './commands/calibrate.ts';
import { registerCompareCommand } from './commands/compare.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerEvalsetCommand } from './commands/evalset.ts';
import { registerExperimentCommand } from './commands/experiment.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerNewCommand } from './commands/new.ts';
import { registerPublishCommand } from './commands/publish.ts';
import { registerReviewCommand } from './commands/review.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerShowCommand } from './commands/show.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerSummaryCommand } from './commands/summary.ts';

const program = new Command()
  .name('ragfolio')
  .description('A portfolio RAG app with its eval set first and honest statistics.')
  .option('-C, --project <dir>', 'project folder (default: nearest folder up holding ragfolio.config.json)')
  .option('--config <file>', "lay this file over the project's ragfolio.config.json: sections it names replace the project's (e.g. configs/naive.json)")
  .option('--verbose', 'print stack traces for unexpected errors')
  .showHelpAfterError()
  .exitOverride();

registerIngestCommand(program);
registerAskCommand(program);
registerShowCommand(program);
registerEvalCommand(program);
registerCalibrateCommand(program);
registerEvalsetCommand(program);
registerCompareCommand(program);
registerBaselineCommand(program);
registerExperimentCommand(program);
registerSummaryCommand(program);
registerStatusCommand(program);
registerStartCommand(program);
registerServeCommand(program);
registerPublishCommand(program);
registerReviewCommand(program);
registerNewCommand(program);

await runProgram(program);
