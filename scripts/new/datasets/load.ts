import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { evalsetJsonl, importBeir } from '../../../evals/beir.ts';
import { findEvalsetProblems } from '../../../evals/evalset.ts';
import { UserError } from '../../../starter/errors.ts';
import { BUNDLED_DATASET } from '../manifest.ts';
import { importTextFolder, type TextFile } from './folder.ts';
import { importJsonlCorpus } from './jsonl.ts';
import { corpusJsonl, type DatasetChoice, type ImportedDataset, slugify } from './types.ts';

const FIX = 'Pass "sotu" (bundled), a folder of .md/.txt files, a ragfolio .jsonl corpus, or a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).';

/**
 * Read the dataset the user named and convert it with the pure importers. `sotu` always means the bundled
 * dataset (write `./sotu` for a folder of that name). Every file read must resolve inside the source folder,
 * so a symlink cannot pull in files from elsewhere on the machine.
 */
export async function loadDataset(spec: string, cwd: string): Promise<DatasetChoice> {
  if (spec === BUNDLED_DATASET) return { kind: 'bundled', name: BUNDLED_DATASET };
  const path = resolve(cwd, spec);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`${spec}: dataset not found. ${FIX}`);
  if (info.isFile()) return loadJsonlFile(spec, path);
  if (!info.isDirectory()) throw new UserError(`${spec}: not a file or folder. ${FIX}`);
  const root = await realpath(path);
  const name = slugify(basename(root), 'my-data');
  const source = basename(root);
  const read = (rel: string) => readInside(root, rel, spec);
  const has = (rel: string) => existsSync(join(root, rel));

  if (has('corpus.jsonl')) {
    const corpusText = await read('corpus.jsonl');
    if (has('queries.jsonl') || has('qrels') || looksLikeBeir(corpusText)) {
      for (const rel of ['queries.jsonl', 'qrels/test.tsv']) if (!has(rel)) throw new UserError(`${join(spec, rel)}: missing. A BEIR folder holds corpus.jsonl, queries.jsonl and qrels/test.tsv.`);
      const corpusFile = join(spec, 'corpus.jsonl');
      const { passages, items, notes } = importBeir(
        { text: corpusText, file: corpusFile },
        { text: await read('queries.jsonl'), file: join(spec, 'queries.jsonl') },
        { text: await read('qrels/test.tsv'), file: join(spec, 'qrels', 'test.tsv') },
      );
      const evalset = evalsetJsonl(items);
      assertEvalsetValid(evalset, new Set(passages.map((p) => p.id)), join(spec, 'queries.jsonl'));
      return imported('beir', name, source, passages.length, passages.length, items.length, notes, corpusJsonl(passages), evalset);
    }
    const evalset = has('evalset.jsonl') ? { text: await read('evalset.jsonl'), file: join(spec, 'evalset.jsonl') } : undefined;
    const result = importJsonlCorpus({ text: corpusText, file: join(spec, 'corpus.jsonl') }, evalset);
    return imported('jsonl', name, source, result.passages, result.documents, result.questions, [], result.corpus, result.evalset);
  }

  const { files, skipped } = await collectTextFiles(root, spec);
  const skippedNote = skipped.length > 0 ? `skipped ${skipped.length} binary or non-UTF-8 file${skipped.length === 1 ? '' : 's'}: ${skipped.join(', ')}` : undefined;
  if (files.length === 0) throw new UserError(`${spec}: no .md or .txt files with text (and no corpus.jsonl)${skippedNote ? `; ${skippedNote}` : ''}. ${FIX}`);
  const { passages, documents } = importTextFolder(files, spec);
  return imported('folder', name, source, passages.length, documents, 0, skippedNote ? [skippedNote] : [], corpusJsonl(passages));
}

async function loadJsonlFile(spec: string, path: string): Promise<ImportedDataset> {
  if (!path.endsWith('.jsonl')) throw new UserError(`${spec}: not a .jsonl file. ${FIX}`);
  const text = await readFile(path, 'utf8');
  const result = importJsonlCorpus({ text, file: spec });
  // "corpus.jsonl" says nothing about the data; its folder's name usually does.
  const stem = basename(path, '.jsonl');
  const named = stem === 'corpus' ? basename(dirname(path)) : stem;
  return imported('jsonl', slugify(named, 'my-data'), basename(path), result.passages, result.documents, 0, [], result.corpus);
}

function imported(
  kind: ImportedDataset['kind'],
  name: string,
  source: string,
  passages: number,
  documents: number,
  questions: number,
  notes: string[],
  corpus: string,
  evalset?: string,
): ImportedDataset {
  const files = [{ path: 'corpus.jsonl', content: corpus }];
  if (evalset !== undefined) files.push({ path: 'evalset.jsonl', content: evalset });
  return { kind, name, source, files, passages, documents, questions, notes };
}

function looksLikeBeir(corpusText: string): boolean {
  const first = corpusText.split('\n').find((l) => l.trim());
  if (!first) return false;
  try {
    const json = JSON.parse(first) as Record<string, unknown>;
    return '_id' in json && !('id' in json);
  } catch {
    return false;
  }
}

function assertEvalsetValid(text: string, known: ReadonlySet<string>, file: string): void {
  const first = findEvalsetProblems(text, known).problems[0];
  if (first) throw new UserError(`${file}: the imported eval set has a problem on its line ${first.line}: ${first.message}. Fix the source data.`);
}

/** Resolve a path inside root, refusing one whose real location (after symlinks) lies outside it. */
async function insideRoot(root: string, rel: string, spec: string): Promise<string> {
  const real = await realpath(join(root, rel)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UserError(`${join(spec, rel)}: not found (a broken symlink?). Fix or remove it.`);
    throw error;
  });
  if (real !== root && !real.startsWith(root + sep)) {
    const what = (await stat(real)).isDirectory() ? 'folder' : 'file';
    throw new UserError(`${join(spec, rel)}: resolves outside the dataset folder (a symlink to ${real}). Copy the ${what} into ${spec} instead.`);
  }
  return real;
}

async function readInside(root: string, rel: string, spec: string): Promise<string> {
  return readFile(await insideRoot(root, rel, spec), 'utf8');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A file's text, or undefined when it is binary (has a NUL byte) or not valid UTF-8, whatever its name says. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Every .md/.txt file under root (dot-folders and node_modules skipped), paths relative with "/". Files that
 * are not text are listed in `skipped` rather than turned into passages of garbage.
 */
async function collectTextFiles(root: string, spec: string): Promise<{ files: TextFile[]; skipped: string[] }> {
  const out: TextFile[] = [];
  const skipped: string[] = [];
  const add = async (rel: string, abs: string) => {
    const text = decodeText(await readFile(abs));
    if (text === undefined) skipped.push(rel);
    else out.push({ path: rel, text });
  };
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const abs = join(dir, entry.name);
      const rel = relative(root, abs).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        const real = await insideRoot(root, rel, spec);
        // A link to a folder inside the source is reachable without it; following it could loop.
        if ((await lstat(real)).isFile() && /\.(md|txt)$/i.test(entry.name)) await add(rel, real);
      } else if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && /\.(md|txt)$/i.test(entry.name)) await add(rel, abs);
    }
  };
  await walk(root);
  return { files: out, skipped };
}
