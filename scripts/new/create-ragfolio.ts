/**
 * Entry of the create-ragfolio bin (`npm create ragfolio <dir>`): the `new` command alone. Errors and exit codes
 * follow scripts/ragfolio.ts: 0 ok, 2 user error or usage, 3 unexpected.
 */
import { Command } from 'commander';
import { runProgram } from '../cli/run-program.ts';
import { configureNewCommand } from '../commands/new.ts';

const program = configureNewCommand(new Command('create-ragfolio')).option('--verbose', 'print stack traces for unexpected errors').showHelpAfterError().exitOverride();

await runProgram(program, process.argv.slice(2));
