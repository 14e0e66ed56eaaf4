import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../starter/errors.ts';
import { describeZodError } from '../../starter/jsonl.ts';
import { color } from '../cli/output.ts';
import { count } from '../new/datasets/types.ts';
import { BUNDLED_DATASET } from '../new/manifest.ts';
import { DEFAULT_ANSWERS, type NewAnswers, type NewFlags, newFlagsSchema, PROVIDERS, RETRIEVERS } from '../new/options.ts';
import { npmNameProblems, suggestNpmName } from '../new/package-name.ts';
import { type ScaffoldOutcome, scaffoldProject } from '../new/scaffold.ts';
import { gitInit, gitUserName, npmInstall } from '../new/steps.ts';

const EXAMPLES = `
Examples:
  $ ragfolio new my-rag                          # asks the rest (at a terminal)
  $ ragfolio new my-rag --yes --no-promptfoo     # defaults, no prompts, without the promptfoo eval
  $ ragfolio new my-rag --dataset ./notes        # a folder of .md/.txt files
  $ ragfolio new my-rag --dataset ./scifact      # a BEIR folder: its queries and qrels become the eval set
  $ ragfolio new my-rag --dry-run                # list the files it would write
  $ npx -p ragfolio create-ragfolio my-rag       # the same, through the create-ragfolio bin
Prompts only when stdin is a terminal, and never with --yes or CI=true.`;

/** Add `new`'s arguments, options and action to a command (the `new` subcommand, or create-ragfolio's program). */
export function configureNewCommand(command: Command): Command {
  return command
    .description('create your own project: the RAG app, its evals, a dataset and its eval set, docs, tests and CI')
    .argument('[dir]', 'folder to create (default: asked, or the package name)')
    .option('--name <name>', 'npm package name (default: the folder name)')
    .option('--author <name>', "your name; the README tells the project's story in it (default: git config user.name)")
    .option('--dataset <sotu|path>', 'bundled "sotu", a folder of .md/.txt files, a .jsonl corpus, or a BEIR folder (default: sotu)')
    .option('--provider <name>', `embeddings and answers: ${PROVIDERS.join(' or ')} (default: local, no API key)`)
    .option('--retriever <kind>', `default retriever: ${RETRIEVERS.join(', ')} (default: hybrid)`)
    .option('--install', 'install dependencies from the shipped lockfile with npm ci (default)')
    .option('--no-install', 'skip the install')
    .option('--git', 'git init with a first commit (default)')
    .option('--no-git', 'skip git')
    .option('--promptfoo', 'include the promptfoo eval (default; promptfoo itself installs on first use)')
    .option('--no-promptfoo', 'leave the promptfoo eval out')
    .option('-y, --yes', 'never prompt: take the defaults for anything not given as a flag')
    .option('--force', 'write into a non-empty folder; files already there are kept, never overwritten or deleted')
    .option('--dry-run', 'print the files it would write (sorted) and write nothing')
    .addHelpText('after', EXAMPLES)
    .action(async (dir: string | undefined, raw: unknown) => {
      await runNew(dir, raw);
    });
}

export function registerNewCommand(program: Command): void {
  configureNewCommand(program.command('new'));
}

async function runNew(dir: string | undefined, raw: unknown): Promise<void> {
  const parsed = newFlagsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${describeZodError(parsed.error)}. See \`ragfolio new --help\`.`);
  const flags = parsed.data;
  const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI);
  const interactive = Boolean(process.stdin.isTTY) && !flags.yes && !ci;
  const answers = interactive ? await promptAnswers(dir, flags) : defaultAnswers(dir, flags);
  const started = performance.now();

  const outcome = await scaffoldProject(answers, { cwd: process.cwd(), force: flags.force ?? false, dryRun: flags.dryRun ?? false });
  const seconds = (performance.now() - started) / 1000;
  if (!outcome.result) {
    process.stdout.write(`${outcome.ops.map((op) => op.to).join('\n')}\n`);
    process.stderr.write(`dry run: ${outcome.ops.length} files would be written to ${outcome.targetDir}; nothing was written\n`);
    return;
  }
  const { result, targetDir } = outcome;
  process.stderr.write(`${color.green('✔')} wrote ${result.written.length} files to ${targetDir} in ${seconds.toFixed(2)} s\n`);
  for (const path of result.kept) process.stderr.write(`${color.yellow('!')} kept your ${path} (not overwritten; compare it with the kit's version yourself)\n`);
  if (outcome.dataset.kind !== 'bundled') {
    const d = outcome.dataset;
    process.stderr.write(
      `${color.green('✔')} dataset datasets/${d.name}: ${count(d.passages, 'passage')} from ${count(d.documents, 'document')}, ${d.questions > 0 ? count(d.questions, 'eval question') : 'no eval set yet'}\n`,
    );
    for (const note of d.notes) process.stderr.write(`  ${note}\n`);
  }

  if (answers.install) {
    // npm ci installs exactly the versions the kit was tested with; a package.json or lockfile of yours (kept
    // with --force) may disagree with them, so then npm install reconciles the two.
    const ci = !result.kept.includes('package.json') && !result.kept.includes('package-lock.json');
    const how = ci ? 'npm ci' : 'npm install';
    process.stderr.write(`installing dependencies (${how})…\n`);
    const code = await npmInstall(targetDir, ci);
    if (code !== 0)
      throw new UserError(`${how} failed in ${targetDir} (exit ${code}). The project is complete: fix the problem above, then run \`${how}\` there${answers.git ? ' and `git init`' : ''}.`);
  }
  if (answers.git) {
    const git = await gitInit(targetDir);
    const said = {
      committed: 'git repository with a first commit',
      initialised: 'git repository initialised (the first commit failed: set git config user.name and user.email, then commit)',
      'inside-repo': 'inside an existing git repository: left it to you to commit',
      'no-git': 'git not found: skipped version control',
    }[git];
    process.stderr.write(`${git === 'committed' ? color.green('✔') : color.yellow('!')} ${said}\n`);
  }
  process.stderr.write(nextSteps(outcome, answers));
  process.stdout.write(`${targetDir}\n`);
}

function defaultAnswers(dir: string | undefined, flags: NewFlags): NewAnswers {
  const target = dir ?? (flags.name ? flags.name.replace(/^@[^/]+\//, '') : undefined);
  if (!target) throw new UserError('missing the project folder. Run `ragfolio new <dir>` (prompts only at a terminal, without --yes and CI).');
  const name = flags.name ?? basename(resolve(target));
  const problem = npmNameProblems(name)[0];
  if (problem) {
    const source = flags.name ? `--name "${name}"` : `the folder name "${name}"`;
    throw new UserError(`${source} is not a valid npm package name: ${problem}. Pass --name ${suggestNpmName(name)}.`);
  }
  return {
    dir: target,
    name,
    author: flags.author ?? gitUserName(),
    dataset: flags.dataset ?? DEFAULT_ANSWERS.dataset,
    provider: flags.provider ?? DEFAULT_ANSWERS.provider,
    retriever: flags.retriever ?? DEFAULT_ANSWERS.retriever,
    promptfoo: flags.promptfoo ?? DEFAULT_ANSWERS.promptfoo,
    install: flags.install ?? DEFAULT_ANSWERS.install,
    git: flags.git ?? DEFAULT_ANSWERS.git,
  };
}

/** Ask for every answer not given as a flag (@clack/prompts, loaded only at a terminal). */
async function promptAnswers(dirArg: string | undefined, flags: NewFlags): Promise<NewAnswers> {
  const p = await import('@clack/prompts');
  const ask = async <T>(answer: Promise<T | symbol>): Promise<T> => {
    const value = await answer;
    if (p.isCancel(value)) {
      p.cancel('Cancelled.');
      throw new UserError('cancelled: nothing was written.');
    }
    return value;
  };
  p.intro('ragfolio new');
  const dir = dirArg ?? (await ask(p.text({ message: 'Project folder', placeholder: 'my-rag', defaultValue: 'my-rag' })));
  // Enter takes the default shown as the placeholder; typing replaces it.
  const suggested = suggestNpmName(basename(resolve(dir)));
  const name = flags.name ?? (await ask(p.text({ message: 'Package name', placeholder: suggested, defaultValue: suggested, validate: (value) => (value ? npmNameProblems(value)[0] : undefined) })));
  const gitName = gitUserName();
  const author = flags.author ?? (await ask(p.text({ message: 'Your name (the README tells the story in it)', placeholder: gitName || 'Ada Lovelace', defaultValue: gitName })));
  let dataset = flags.dataset;
  if (dataset === undefined) {
    const kind = await ask(
      p.select({
        message: 'Dataset',
        options: [
          { value: 'bundled', label: 'State of the Union addresses (bundled)', hint: '1,764 passages with a written eval set' },
          { value: 'own', label: 'My own', hint: 'a folder of .md/.txt, a .jsonl corpus, or a BEIR folder' },
        ],
      }),
    );
    dataset =
      kind === 'bundled'
        ? BUNDLED_DATASET
        : await ask(p.text({ message: 'Path to your data', placeholder: './my-notes', validate: (value) => (value && existsSync(resolve(value)) ? undefined : 'no such file or folder') }));
  }
  const provider =
    flags.provider ??
    (await ask(
      p.select({
        message: 'Provider',
        options: [
          { value: 'local' as const, label: 'local', hint: 'USE-lite embeddings, extractive answers; no API key, no network' },
          { value: 'openai' as const, label: 'openai', hint: 'OpenAI or any OpenAI-compatible server (OPENAI_API_KEY / OPENAI_BASE_URL)' },
        ],
      }),
    ));
  const retriever =
    flags.retriever ??
    (await ask(
      p.select({
        message: 'Default retriever',
        options: [
          { value: 'hybrid' as const, label: 'hybrid', hint: 'dense + BM25, fused by reciprocal rank' },
          { value: 'dense' as const, label: 'dense' },
          { value: 'bm25' as const, label: 'bm25' },
        ],
      }),
    ));
  const promptfoo = flags.promptfoo ?? (await ask(p.confirm({ message: 'Include the promptfoo eval? (promptfoo installs on first use)', initialValue: DEFAULT_ANSWERS.promptfoo })));
  const install = flags.install ?? (await ask(p.confirm({ message: 'Run npm install?', initialValue: DEFAULT_ANSWERS.install })));
  const git = flags.git ?? (await ask(p.confirm({ message: 'git init with a first commit?', initialValue: DEFAULT_ANSWERS.git })));
  p.outro('Writing the project…');
  // Flags given alongside prompts are checked like the non-interactive path.
  return defaultAnswers(dir, { ...flags, name, author, dataset, provider, retriever, promptfoo, install, git });
}

function nextSteps(outcome: ScaffoldOutcome, answers: NewAnswers): string {
  // A path that climbs out of the cwd reads better absolute.
  const rel = relative(process.cwd(), outcome.targetDir) || '.';
  const shown = rel.startsWith('..') ? outcome.targetDir : rel;
  const lines = ['', 'Next:', `  cd ${shellQuote(shown)}`];
  if (!answers.install) lines.push('  npm ci');
  if (answers.provider === 'openai') lines.push('  cp .env.example .env                  # set OPENAI_API_KEY (or OPENAI_BASE_URL), then: set -a; . ./.env; set +a');
  const hasEvalset = outcome.dataset.kind === 'bundled' || outcome.dataset.questions > 0;
  if (hasEvalset) {
    lines.push('  npm start                             # ingest, then evaluate: metrics with 95% CIs');
  } else {
    lines.push('  npx ragfolio ingest', '  npx ragfolio evalset draft --n 20     # then write the questions: see README.md, "Your eval set"');
  }
  const hasBaseline = outcome.ops.some((op) => op.to === 'evals/baseline.json');
  if (!hasBaseline) lines.push('  npx ragfolio eval --save-baseline     # the reference the regression gate compares against');
  lines.push('  npm test                              # unit tests and the regression gate (what CI runs)', '');
  return `${lines.join('\n')}\n`;
}

/** A path as a POSIX shell word: as is when plain, else single-quoted (no expansion of $, `, ! or spaces inside). */
export function shellQuote(path: string): string {
  const word = path.startsWith('-') ? `./${path}` : path;
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
