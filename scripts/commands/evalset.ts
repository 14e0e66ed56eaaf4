import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { draftStubs, proposeQuestions, samplePassages } from '../../evals/draft.ts';
import { evalsetLock, findEvalsetProblems, loadEvalset, problemAt, QUESTION_TYPES } from '../../evals/evalset.ts';
import type { ChatModelOptions } from '../../starter/chat-model.ts';
import type { Config } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';
import { writeFileAtomic } from '../../starter/fs-atomic.ts';
import { projectPaths } from '../../starter/paths.ts';
import { count } from '../../starter/plural.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

const draftOptions = z.object({
  n: z.coerce.number().int().min(1).max(1000),
  seed: z.coerce.number().int(),
  out: z.string().optional(),
  propose: z.boolean().optional(),
  model: z.string(),
});

export function registerEvalsetCommand(program: Command): void {
  const evalset = program.command('evalset');
  evalset
    .command('validate')
    .description('check schema, duplicate ids, unknown passage ids and empty answers; exit 1 on any problem')
    .argument('[file]', "eval set file (default: the dataset's evalset.jsonl)")
    .option('--json', 'print problems and counts as JSON')
    .action(async (fileArg: string | undefined, options: { json?: boolean }, command: Command) => {
      const project = await openProject(command);
      const paths = projectPaths(project);
      const file = fileArg ? resolve(fileArg) : paths.evalset;
      if (!existsSync(file)) throw new UserError(`${file}: eval set not found. Pass the path of an eval set file.`);
      const corpus = await loadCorpus(paths.corpus);
      const { items, problems } = findEvalsetProblems(await readFile(file, 'utf8'), new Set(corpus.byId.keys()));
      const counts = Object.fromEntries(QUESTION_TYPES.map((t) => [t, items.filter((i) => i.type === t).length]));
      const splits = { dev: items.filter((i) => i.split === 'dev').length, test: items.filter((i) => i.split === 'test').length };
      const drafts = items.filter((i) => i.status === 'draft').length;
      if (options.json) printJson({ file, questions: items.length, types: counts, splits, drafts, problems });
      else {
        for (const p of problems) process.stderr.write(`${problemAt(file, p)}: ${p.message}\n`);
        // Only the types the set uses: a speech set need not list the docs types at 0, nor a docs set the speech ones.
        const types = Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ');
        process.stdout.write(
          `${problems.length === 0 ? color.green('✔') : color.red('✘')} ${count(items.length, 'question')} (${types}; dev ${splits.dev}, test ${splits.test}${drafts ? `; ${count(drafts, 'draft')}` : ''}) · ${count(problems.length, 'problem')}\n`,
        );
      }
      if (problems.length > 0) process.exitCode = 1;
    });
  evalset
    .command('pin')
    .description("record the eval set's version and its test split's hash in evalset.lock.json (after a reviewed change and a version bump)")
    .action(async (_raw: unknown, command: Command) => {
      const project = await openProject(command);
      const paths = projectPaths(project);
      const corpus = await loadCorpus(paths.corpus);
      const lock = evalsetLock((await loadEvalset(paths.evalset, new Set(corpus.byId.keys()))).items);
      await writeFileAtomic(paths.evalsetLock, `${JSON.stringify(lock, null, 2)}\n`);
      process.stdout.write(`${paths.evalsetLock}\n`);
      process.stderr.write(`pinned eval set version ${lock.version}: ${lock.test.questions} test questions, sha256 ${lock.test.sha256.slice(0, 12)}…\n`);
    });
  evalset
    .command('draft')
    .description('sample passages into a JSONL stub for a person to write questions for')
    .option('--n <n>', 'how many passages', '20')
    .option('--seed <seed>', 'sampling seed', '1')
    .option('--out <file>', 'where to write (default: <dataset>/evalset.draft.jsonl)')
    .option('--propose', 'ask the configured OpenAI-compatible model to propose questions (kept as status: draft)')
    .option('--model <name>', 'model for --propose', 'gpt-4o-mini')
    .action(async (raw: unknown, command: Command) => {
      const parsed = draftOptions.safeParse(raw);
      if (!parsed.success) throw new UserError('--n must be a whole number from 1 to 1000 and --seed a whole number.');
      const options = parsed.data;
      const project = await openProject(command);
      const paths = projectPaths(project);
      const out = resolve(options.out ?? paths.evalset.replace(/evalset\.jsonl$/, 'evalset.draft.jsonl'));
      if (out === paths.evalset) throw new UserError(`${out}: refusing to write drafts over the eval set. Choose another --out.`);
      if (existsSync(out)) throw new UserError(`${out}: already exists. Review and merge it into the eval set, delete it, or choose another --out.`);
      const corpus = await loadCorpus(paths.corpus);
      let stubs = draftStubs(samplePassages(corpus.passages, options.n, options.seed));
      if (options.propose) stubs = await proposeQuestions(stubs, options.model, chatLimits(project.config.generator));
      await writeFileAtomic(out, `${stubs.map((s) => JSON.stringify(s)).join('\n')}\n`);
      process.stdout.write(`${out}\n`);
      process.stderr.write(`wrote ${stubs.length} draft items: write each question and answer, set "status": "reviewed" (or remove it), then append them to ${paths.evalset}\n`);
    });
}

/** A chat generator's time and retry limits, so --propose waits no longer than `ask` would. */
function chatLimits(generator: Config['generator']): Pick<ChatModelOptions, 'maxRetries' | 'timeoutMs' | 'maxTotalMs'> {
  if (generator.provider !== 'openai') return {};
  const { maxRetries, timeoutMs, maxTotalMs } = generator;
  return { maxRetries, timeoutMs, ...(maxTotalMs === undefined ? {} : { maxTotalMs }) };
}
