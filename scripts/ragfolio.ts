import { Command } from 'commander';
import { runProgram } from './cli/run-program.ts';

type Register = (program: Command) => void;

/**
 * Every command, in help order, with its one-line summary. A command's module (and what it imports: TF.js and
 * the model, LangChain, pg, esbuild, markdown-it) loads only when that command runs, so `--help` and `ask` pay
 * for what they use rather than for every command's dependencies.
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Register> }[] = [
  { name: 'ingest', summary: 'chunk the dataset, embed it (cached by content hash) and build the vector index', load: async () => (await import('./commands/ingest.ts')).registerIngestCommand },
  { name: 'ask', summary: 'answer a question from the corpus, with cited passages', load: async () => (await import('./commands/ask.ts')).registerAskCommand },
  { name: 'show', summary: 'print a passage by id, e.g. one an answer cited', load: async () => (await import('./commands/show.ts')).registerShowCommand },
  { name: 'eval', summary: 'answer every eval question, score it, and write runs/<time>-<label>.json with 95% CIs', load: async () => (await import('./commands/eval.ts')).registerEvalCommand },
  {
    name: 'calibrate',
    summary: 'choose the abstention threshold on the dev split (split-conformal) for a target share of unanswerable questions answered; writes it, with its provenance, into ragfolio.config.json',
    load: async () => (await import('./commands/calibrate.ts')).registerCalibrateCommand,
  },
  { name: 'evalset', summary: 'check and grow the eval set', load: async () => (await import('./commands/evalset.ts')).registerEvalsetCommand },
  {
    name: 'compare',
    summary: 'paired tests between two runs; exit 1 when a gated metric regresses (one-sided, Holm over the gated metrics)',
    load: async () => (await import('./commands/compare.ts')).registerCompareCommand,
  },
  { name: 'baseline', summary: 'manage the reference run that compare and the regression gate use', load: async () => (await import('./commands/baseline.ts')).registerBaselineCommand },
  {
    name: 'experiment',
    summary: 'sweep configurations on the dev split (each pipeline stage computed once) and write a leaderboard with CIs and paired tests against the first configuration',
    load: async () => (await import('./commands/experiment.ts')).registerExperimentCommand,
  },
  {
    name: 'summary',
    summary: 'write docs/PROJECT_SUMMARY.md (+ .html and SVG charts) from your runs: every number traceable to a file',
    load: async () => (await import('./commands/summary.ts')).registerSummaryCommand,
  },
  { name: 'status', summary: 'where you are on the transition timeline, with the evidence from your project files', load: async () => (await import('./commands/status.ts')).registerStatusCommand },
  { name: 'start', summary: 'the main job: ingest the dataset, evaluate it, and answer one example question', load: async () => (await import('./commands/start.ts')).registerStartCommand },
  {
    name: 'serve',
    summary: "serve the question page and the HTTP API (/api/ask, /api/health, /api/eval/latest, /metrics) and /review, where you label the newest run's answers",
    load: async () => (await import('./commands/serve.ts')).registerServeCommand,
  },
  {
    name: 'publish',
    summary: 'build a static site from your project files (write-up, results with CIs, datasheet, live in-browser demo) for GitHub Pages or any static host',
    load: async () => (await import('./commands/publish.ts')).registerPublishCommand,
  },
  {
    name: 'review',
    summary: "label a run's answers in the browser (/review), or --report how far each automatic metric agrees with your labels",
    load: async () => (await import('./commands/review.ts')).registerReviewCommand,
  },
  { name: 'new', summary: 'create your own project: the RAG app, its evals, a dataset and its eval set, docs, tests and CI', load: async () => (await import('./commands/new.ts')).registerNewCommand },
];

function withGlobalOptions(command: Command): Command {
  return command
    .option('-C, --project <dir>', 'project folder (default: nearest folder up holding ragfolio.config.json)')
    .option('--config <file>', "lay this file over the project's ragfolio.config.json: sections it names replace the project's (e.g. configs/naive.json)")
    .option('--verbose', 'print stack traces for unexpected errors');
}

/** The command named on the command line, if any: the first operand once the global options are taken out (`help ask` names ask). */
function invokedCommand(args: readonly string[]): string | undefined {
  const { operands } = withGlobalOptions(new Command())
    .allowUnknownOption()
    .helpOption(false)
    .parseOptions([...args]);
  return operands[0] === 'help' ? operands[1] : operands[0];
}

/**
 * Run the CLI on `args` (the command line after `ragfolio`): bin/ragfolio.js calls it with the process's own; the
 * tests' in-process runner (tests/helpers/cli.ts) calls it with theirs, so a test pays no new process and no
 * module loading that an earlier run in the same file already did.
 */
export async function main(args: readonly string[]): Promise<void> {
  const program = withGlobalOptions(new Command().name('ragfolio').description('A portfolio RAG app with its eval set first and honest statistics.')).showHelpAfterError().exitOverride();
  const invoked = invokedCommand(args);
  for (const { name, summary, load } of COMMANDS) {
    // The others are listed by name and summary only, for `--help` and commander's "did you mean" suggestions.
    if (name === invoked) (await load())(program);
    else program.command(name);
    // `new` keeps its own description, which create-ragfolio shows too; the table's copy lists it when not loaded.
    const command = program.commands.at(-1);
    if (command && !command.description()) command.description(summary);
  }
  await runProgram(program, args);
}
