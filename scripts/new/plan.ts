import { posix } from 'node:path';
import { FALLBACK_FILE, fallbackAbstention, fallbackFileSchema, NEW_PROJECT_REASON } from '../../evals/calibrate.ts';
import { PITCH_FILE, PITCH_TEMPLATE } from '../../evals/report/pitch.ts';
import { configSchema } from '../../starter/config.ts';
import { count } from './datasets/types.ts';
import { packageImports, relativeImports } from './imports.ts';
import type { KitFiles } from './kit.ts';
import { type ProjectPackage, pruneLockfile } from './lockfile.ts';
import {
  BUNDLED_BASELINE,
  BUNDLED_DATASET,
  DATASETS_DIR,
  IGNORED,
  IGNORED_SUFFIXES,
  isSecretOrLocal,
  isTestSource,
  KIT_ONLY,
  KIT_ONLY_BINS,
  KIT_ONLY_DEPENDENCIES,
  KIT_ONLY_LINES,
  KIT_ONLY_SCRIPTS,
  KIT_ONLY_TSCONFIG_INCLUDES,
  PATCHED_FILES,
  PROJECT_COMMAND_SCRIPTS,
  PROMPTFOO_DEPENDENCIES,
  PROMPTFOO_FILES,
  PROMPTFOO_SCRIPTS,
  REPLACED_BY_TEMPLATE,
  SOTU_DEPENDENT_TESTS,
  TEMPLATE_DIR,
  TEMPLATE_RENAMES,
} from './manifest.ts';
import { type ScaffoldOptions, scaffoldOptionsSchema } from './options.ts';
import { renderTemplate } from './render.ts';

/** One file of the project: copied from the kit as is, or written with content the plan computed. */
export type FileOp = { op: 'copy'; from: string; to: string } | { op: 'write'; to: string; content: string };

export const BUNDLED_DESCRIPTION = 'U.S. State of the Union addresses, 1990–2021 (1,764 passages, public domain)';

const matches = (path: string, patterns: readonly string[]) => patterns.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The whole project as a list of file operations, sorted by target path. Pure: the kit's file list and the
 * text of the files it patches come in, nothing is read or written, so tests and --dry-run see exactly
 * what `applyScaffold` would write.
 */
export function planScaffold(rawOptions: ScaffoldOptions, kit: KitFiles): FileOp[] {
  const options = scaffoldOptionsSchema.parse(rawOptions);
  const bundled = options.dataset.kind === 'bundled';
  const kitConfig = configSchema.parse(JSON.parse(kitText(kit, 'ragfolio.config.json')));
  // The committed baseline was measured with the kit's own config on the bundled data; any other choice
  // would make the first gate compare two different systems.
  const keepBaseline = bundled && options.provider === 'local' && options.retriever === kitConfig.retriever.kind;

  const ops: FileOp[] = [];
  for (const path of kit.files) {
    if (matches(path, IGNORED) || isSecretOrLocal(path) || IGNORED_SUFFIXES.some((s) => path.endsWith(s))) continue;
    if (matches(path, KIT_ONLY) || matches(path, REPLACED_BY_TEMPLATE)) continue;
    if (path.startsWith(DATASETS_DIR) && !(bundled && path.startsWith(`${DATASETS_DIR}${options.dataset.name}/`))) continue;
    if (!options.promptfoo && matches(path, PROMPTFOO_FILES)) continue;
    if (!bundled && matches(path, SOTU_DEPENDENT_TESTS)) continue;
    if (path === BUNDLED_BASELINE && !keepBaseline) continue;
    if ((PATCHED_FILES as readonly string[]).includes(path)) ops.push({ op: 'write', to: path, content: patchFile(path, options, kit) });
    else ops.push({ op: 'copy', from: path, to: path });
  }

  const { values, flags } = templateValues(options, keepBaseline, kit.files);
  for (const path of kit.files.filter((p) => p.startsWith(TEMPLATE_DIR))) {
    const rel = path.slice(TEMPLATE_DIR.length);
    if (rel === 'DATASHEET.md') {
      // The bundled dataset has its own datasheet; an imported one gets this stub to fill in.
      if (!bundled) ops.push({ op: 'write', to: `${DATASETS_DIR}${options.dataset.name}/DATASHEET.md`, content: renderTemplate(kitText(kit, path), values, flags, path) });
      continue;
    }
    const to = posix.join(posix.dirname(rel), TEMPLATE_RENAMES[posix.basename(rel)] ?? posix.basename(rel));
    if (rel === 'README.md') ops.push({ op: 'write', to, content: renderTemplate(kitText(kit, path), values, flags, path) });
    else ops.push({ op: 'copy', from: path, to });
  }
  // Where the author writes the pitch and next steps; the write-up and the site use it once its placeholders are gone.
  ops.push({ op: 'write', to: PITCH_FILE, content: PITCH_TEMPLATE });
  if (options.dataset.kind !== 'bundled') {
    for (const file of options.dataset.files) ops.push({ op: 'write', to: `${DATASETS_DIR}${options.dataset.name}/${file.path}`, content: file.content });
  }

  const kept = withoutUnresolvableTests(ops, kit, [...KIT_ONLY_DEPENDENCIES, ...(options.promptfoo ? [] : PROMPTFOO_DEPENDENCIES)]);
  kept.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  for (let i = 1; i < kept.length; i++) if (kept[i]?.to === kept[i - 1]?.to) throw new Error(`planScaffold: two operations write ${kept[i]?.to}`);
  return kept;
}

/**
 * Leave out test code that imports a file the plan lacks or a package the project does not install, until
 * none is left (a helper left out takes the tests importing it along).
 */
function withoutUnresolvableTests(ops: readonly FileOp[], kit: KitFiles, missingPackages: readonly string[]): FileOp[] {
  let current = [...ops];
  for (;;) {
    const planned = new Set(current.map((op) => op.to));
    const next = current.filter((op) => {
      if (op.op !== 'copy' || !isTestSource(op.from)) return true;
      const text = kit.text[op.from];
      if (text === undefined) return true;
      return relativeImports(text, op.to).every((p) => planned.has(p)) && !packageImports(text).some((p) => missingPackages.includes(p));
    });
    if (next.length === current.length) return next;
    current = next;
  }
}

function kitText(kit: KitFiles, path: string): string {
  const text = kit.text[path];
  if (text === undefined) throw new Error(`planScaffold: the kit's ${path} was not read`);
  return text;
}

function patchFile(path: string, options: ScaffoldOptions, kit: KitFiles): string {
  const text = kitText(kit, path);
  if (path === 'package.json') return json(patchPackageJson(JSON.parse(text) as Record<string, unknown>, options, kit.files));
  if (path === 'package-lock.json') return pruneLockfile(text, patchPackageJson(JSON.parse(kitText(kit, 'package.json')) as Record<string, unknown>, options, kit.files) as ProjectPackage);
  if (path === 'ragfolio.config.json') return json(patchConfig(JSON.parse(text) as Record<string, unknown>, options, kit.text[FALLBACK_FILE]));
  if (path === 'tsconfig.json') return patchTsconfig(text);
  const kitOnly = KIT_ONLY_LINES[path];
  return kitOnly
    ? text
        .split('\n')
        .filter((line) => !kitOnly.test(line))
        .join('\n')
    : text;
}

const without = (record: unknown, drop: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries((record ?? {}) as Record<string, unknown>).filter(([key]) => !drop.includes(key)));

/** The kit's package.json made the project's: its name, no kit-only entries, the project's scripts. */
export function patchPackageJson(kitPackage: Record<string, unknown>, options: ScaffoldOptions, kitFiles: readonly string[]): Record<string, unknown> {
  const dropScripts = [...KIT_ONLY_SCRIPTS, ...(options.promptfoo ? [] : PROMPTFOO_SCRIPTS)];
  const dropDependencies = [...KIT_ONLY_DEPENDENCIES, ...(options.promptfoo ? [] : PROMPTFOO_DEPENDENCIES)];
  const scripts = Object.fromEntries(Object.entries(without(kitPackage.scripts, dropScripts)).filter(([, command]) => !KIT_ONLY.some((p) => String(command).includes(p.replace(/\/$/, '')))));
  for (const command of PROJECT_COMMAND_SCRIPTS) {
    if (scripts[command] === undefined && kitFiles.includes(`scripts/commands/${command}.ts`)) scripts[command] = `node bin/ragfolio.js ${command}`;
  }
  const bin = without(kitPackage.bin, KIT_ONLY_BINS);
  const description = `${options.name}: question answering over ${datasetDescription(options)}, built eval-set-first with measured, reproducible results.`;

  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kitPackage)) {
    if (key === 'name') out.name = options.name;
    else if (key === 'version') Object.assign(out, { version: '0.1.0', private: true });
    else if (key === 'description') {
      out.description = description;
      if (options.author) out.author = options.author;
    } else if (key === 'private' || key === 'author' || key === 'repository' || key === 'homepage' || key === 'bugs' || key === 'keywords' || key === 'files' || key === 'publishConfig') continue;
    else if (key === 'bin') {
      if (Object.keys(bin).length > 0) out.bin = bin;
    } else if (key === 'scripts') out.scripts = scripts;
    else if (key === 'dependencies' || key === 'devDependencies') out[key] = without(value, dropDependencies);
    else out[key] = value;
  }
  return out;
}

/**
 * The kit's ragfolio.config.json with the project's dataset, provider and retriever; validated before use. The
 * kit's abstention threshold was calibrated on the bundled speeches' dev split: any other dataset gets the fallback
 * threshold (`fallbackText`, configs/abstention-fallback.json) with its provenance, or, without one, no claim.
 */
export function patchConfig(kitConfig: Record<string, unknown>, options: ScaffoldOptions, fallbackText?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...kitConfig, dataset: `${DATASETS_DIR}${options.dataset.name}` };
  out.retriever = { ...(kitConfig.retriever as Record<string, unknown> | undefined), kind: options.retriever };
  const generator = kitConfig.generator as Record<string, unknown> | undefined;
  const calibratedHere = options.dataset.kind === 'bundled' && options.dataset.name === BUNDLED_DATASET;
  if (!calibratedHere && generator?.provider === 'extractive') {
    const fallback = fallbackText === undefined ? undefined : fallbackFileSchema.parse(JSON.parse(fallbackText));
    out.generator = fallback
      ? { ...generator, minScore: fallback.minScore, confidence: fallback.confidence, abstention: fallbackAbstention(fallback, NEW_PROJECT_REASON) }
      : without(generator, ['abstention']);
  }
  if (options.provider === 'openai') {
    const defaults = configSchema.parse({ embeddings: { provider: 'openai' }, generator: { provider: 'openai' } });
    if (defaults.embeddings.provider === 'openai') out.embeddings = { provider: 'openai', model: defaults.embeddings.model };
    if (defaults.generator.provider === 'openai') out.generator = { provider: 'openai', model: defaults.generator.model };
  }
  configSchema.parse(out);
  return out;
}

/**
 * Drop `include` entries naming kit-only folders, editing only that array in the kit's text: the rest keeps the
 * kit's layout, so the project's `npm run lint` (Biome's formatter) passes on it. A tsconfig that is not plain
 * JSON is copied unchanged.
 */
export function patchTsconfig(text: string): string {
  let tsconfig: { include?: unknown };
  try {
    tsconfig = JSON.parse(text) as { include?: unknown };
  } catch {
    return text;
  }
  if (!Array.isArray(tsconfig.include)) return text;
  const include = tsconfig.include.filter((entry) => !(KIT_ONLY_TSCONFIG_INCLUDES as readonly unknown[]).includes(entry));
  return text.replace(/("include"\s*:\s*)\[[^\]]*\]/, (_, key: string) => `${key}[${include.map((entry) => JSON.stringify(entry)).join(', ')}]`);
}

function datasetDescription(options: ScaffoldOptions): string {
  const d = options.dataset;
  if (d.kind === 'bundled') return d.name === BUNDLED_DATASET ? BUNDLED_DESCRIPTION : `the bundled ${d.name} dataset`;
  return `${d.source} (${count(d.passages, 'passage')} from ${count(d.documents, 'document')})`;
}

const FORMATS = {
  folder: 'a folder of Markdown/text files, split into passages of whole sentences (100–200 words) by `starter/passages.ts`',
  jsonl: 'a corpus in ragfolio’s JSONL format (`{id, docId, title, text, start, end, meta}`), copied as given',
  beir: 'a BEIR-format folder: one passage per document of `corpus.jsonl`; `queries.jsonl` and `qrels/test.tsv` became `evalset.jsonl` (retrieval-only questions, split dev/test by a hash of the query id)',
} as const;

/** "Ada Lovelace's", "James'" (an English possessive, not "James's" from a git user name such as "maintainers"). */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

function templateValues(options: ScaffoldOptions, baseline: boolean, kitFiles: readonly string[]) {
  const d = options.dataset;
  const imported = d.kind !== 'bundled';
  const questions = imported ? d.questions : 0;
  const values: Record<string, string> = {
    projectName: options.name,
    author: options.author || 'the author',
    authorPossessive: possessive(options.author || 'the author'),
    datasetName: d.name,
    datasetPath: `${DATASETS_DIR}${d.name}`,
    datasetDescription: datasetDescription(options),
    datasetSource: imported ? d.source : d.name,
    datasetFormat: imported ? FORMATS[d.kind] : 'bundled',
    passages: imported ? count(d.passages, 'passage') : '1,764 passages',
    documents: imported ? count(d.documents, 'document') : '32 documents',
    questions: count(questions, 'eval question'),
    datasetNotes: imported && d.notes.length > 0 ? d.notes.map((n) => `- ${n}`).join('\n') : '- none',
    provider: options.provider,
    retriever: options.retriever,
  };
  const flags: Record<string, boolean> = {
    bundled: !imported,
    imported,
    hasEvalset: !imported || questions > 0,
    beir: d.kind === 'beir',
    promptfoo: options.promptfoo,
    openai: options.provider === 'openai',
    baseline,
    serve: kitFiles.includes('scripts/commands/serve.ts'),
    publish: kitFiles.includes('scripts/commands/publish.ts'),
  };
  return { values, flags };
}
