import { type Command, CommanderError } from 'commander';
import { isUserError } from '../../starter/errors.ts';

/**
 * Parse and run a CLI program, mapping failures to exit codes: 0 ok, 1 a gate or check failed (set by the
 * command), 2 user error or usage, 3 unexpected internal error. A UserError is one line on stderr; the stack
 * of an unexpected error only with --verbose.
 */
export async function runProgram(program: Command): Promise<void> {
  // `ragfolio ... | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
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
}
