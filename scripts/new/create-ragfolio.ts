/**
 * Entry of the create-ragfolio bin (`npm create ragfolio <dir>`): the `new` command alone. The full CLI
 * (scripts/ragfolio.ts) loads every command's dependencies first (about 2 s here); this starts in well under
 * one. Errors and exit codes follow scripts/ragfolio.ts: 0 ok, 2 user error or usage, 3 unexpected.
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '../../starter/errors.ts';
import { configureNewCommand } from '../commands/new.ts';

const program = configureNewCommand(new Command('create-ragfolio'))
  .option('--verbose', 'print stack traces for unexpected errors')
  .showHelpAfterError()
  .exitOverride();

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (isUserError(error)) {
    process.stderr.write(`ragfolio: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    const verbose = process.argv.includes('--verbose');
    process.stderr.write(`ragfolio: internal error: ${error instanceof Error ? error.message : String(error)}${verbose ? '' : ' (run with --verbose for the stack trace)'}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 3;
  }
}
