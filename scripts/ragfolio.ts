#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isUserError } from '../starter/errors.ts';
import { registerAskCommand } from './commands/ask.ts';
import { registerBaselineCommand } from './commands/baseline.ts';
import { registerCompareCommand } from './commands/compare.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerEvalsetCommand } from './commands/evalset.ts';
import { registerExperimentCommand } from './commands/experiment.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerNewCommand } from './commands/new.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerShowCommand } from './commands/show.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerSummaryCommand } from './commands/summary.ts';

// Exit codes: 0 ok, 1 a gate or check failed, 2 user error or usage, 3 unexpected internal error.
const program = new Command()
  .name('ragfolio')
  .description('A portfolio RAG app with its eval set first and honest statistics.')
  .option('-C, --project <dir>', 'project folder (default: nearest folder up holding ragfolio.config.json)')
  .option('--verbose', 'print stack traces for unexpected errors')
  .showHelpAfterError()
  .exitOverride();

registerIngestCommand(program);
registerAskCommand(program);
registerShowCommand(program);
registerEvalCommand(program);
registerEvalsetCommand(program);
registerCompareCommand(program);
registerBaselineCommand(program);
registerExperimentCommand(program);
registerSummaryCommand(program);
registerStatusCommand(program);
registerStartCommand(program);
registerServeCommand(program);
registerNewCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the usage message; --help and --version end here too.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (isUserError(error)) {
    process.stderr.write(`ragfolio: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    const verbose = process.argv.includes('--verbose');
    process.stderr.write(`ragfolio: internal error: ${error instanceof Error ? error.message : String(error)}${verbose ? '' : ' (run with --verbose for the stack trace)'}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 3;
  }
}
