import { type Command, CommanderError } from 'commander';
import { isUserError } from '../../starter/errors.ts';
import { onRetry } from '../../starter/openai-retry.ts';
import { redact } from '../../starter/redact.ts';

/** 0 ok, 1 a gate or check failed (set by the command), 2 user error, usage or environment, 3 our bug. See docs/exit-codes.md. */
export const EXIT = { ok: 0, gateFailed: 1, userError: 2, internal: 3 } as const;

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.userError;
  return isUserError(error) ? EXIT.userError : EXIT.internal;
}

/** What stderr shows for an error (commander has printed its own usage message already), secrets redacted. */
export function errorMessage(error: unknown, verbose: boolean): string | undefined {
  if (error instanceof CommanderError) return undefined;
  if (isUserError(error)) return redact(`ragfolio: ${error.message}\n`);
  const message = `ragfolio: internal error: ${error instanceof Error ? error.message : String(error)}${verbose ? '' : ' (run with --verbose for the stack trace)'}\n`;
  return redact(verbose && error instanceof Error ? `${message}${error.stack}\n` : message);
}

/** `ragfolio ... | head` closes the pipe early: that is the reader's choice, not a crash. */
function exitOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
}

/**
 * Parse `args` (the command line after `ragfolio`) and run the program, mapping failures to exit codes. A
 * UserError is one line on stderr; the stack of an unexpected error only with --verbose. Retries of network
 * calls show as one line each on stderr.
 */
export async function runProgram(program: Command, args: readonly string[]): Promise<void> {
  // Once per process: the tests run the CLI many times in theirs.
  if (!process.stdout.listeners('error').includes(exitOnClosedPipe)) process.stdout.on('error', exitOnClosedPipe);
  onRetry((line) => process.stderr.write(`${redact(line)}\n`));
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    const message = errorMessage(error, args.includes('--verbose'));
    if (message) process.stderr.write(message);
    process.exitCode = exitCodeFor(error);
  }
}
